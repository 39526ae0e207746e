//! What the member journey needs from config.toml: the welcome on joining (on or off, the
//! user groups or cities a member can pick), handing questions to people (the help desk on
//! each platform, its helper roles, how many a member may hand over a day), the channels
//! and language of each platform, and the program calendar.
//!
//! The `bot` crate fills this in from `[welcome]`, `[handoff]`, `[[program_calendar]]` and
//! the `[discord]` / `[slack]` channel keys; `commands` never reads config.toml itself.

use std::collections::BTreeMap;

use knowledge::Lang;

use crate::actor::Platform;
use crate::milestones::Milestone;

/// The member journey's settings.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    pub welcome: Welcome,
    pub handoff: Handoff,
    /// Where things go on each platform, and in which language.
    pub places: BTreeMap<Platform, Places>,
    /// The user groups or cities a member can pick on joining.
    pub groups: Vec<Group>,
    /// Program milestones from config.toml (`calendar.toml` files in the knowledge folders
    /// are read as well).
    pub milestones: Vec<Milestone>,
    /// The platforms whose announcement channels this process posts milestones to (the
    /// ones it serves).
    pub announce_on: Vec<Platform>,
}

/// `[welcome]`.
#[derive(Debug, Clone, Default)]
pub struct Welcome {
    /// A direct message to each member who joins (and a public line where a platform has a
    /// welcome channel).
    pub enabled: bool,
}

/// `[handoff]`: "Still need help?".
#[derive(Debug, Clone)]
pub struct Handoff {
    pub enabled: bool,
    /// Questions one member may hand to people in a day.
    pub per_day: u32,
}

impl Default for Handoff {
    fn default() -> Self {
        Handoff {
            enabled: true,
            per_day: 3,
        }
    }
}

/// One platform's channels for the journey, and its language.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// Where program milestones are posted.
    pub announcements: Option<String>,
    /// Where the public welcome line goes.
    pub welcome: Option<String>,
    /// Where questions handed to people are posted, each in a thread.
    pub help_desk: Option<String>,
    /// Roles (Slack user groups) mentioned on each hand-off: volunteers, leaders.
    pub helper_roles: Vec<String>,
    /// What is posted for everyone (milestones, welcome lines, hand-offs) is in it.
    pub language: Option<Lang>,
}

/// A user group or city a member can say they belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its id in buttons (`recife`).
    pub id: String,
    /// Its name per language (en, zh, pt).
    pub names: [String; 3],
    /// The platform role (Discord role id, Slack user group id) a member who picks it gets.
    pub roles: BTreeMap<Platform, String>,
}

impl Group {
    pub fn name(&self, lang: Lang) -> &str {
        &self.names[lang as usize]
    }
}

impl Journey {
    /// The places of `platform` (all empty when it has none).
    pub fn places(&self, platform: Platform) -> &Places {
        static NONE: Places = Places {
            announcements: None,
            welcome: None,
            help_desk: None,
            helper_roles: Vec::new(),
            language: None,
        };
        self.places.get(&platform).unwrap_or(&NONE)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

/// Ids of groups and milestones: lowercase letters, digits and `-`, at most 40.
pub fn valid_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
