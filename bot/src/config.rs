//! config.toml: where the data and the knowledge live, and how answering behaves. Secrets
//! (platform tokens) never live here: they come from the environment.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use knowledge::{Lang, Settings};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    storage: RawStorage,
    #[serde(default)]
    knowledge: RawKnowledge,
    #[serde(default)]
    community: RawCommunity,
    #[serde(default)]
    events: RawEvents,
    #[serde(default)]
    permissions: RawPermissions,
    #[serde(default)]
    discord: DiscordConfig,
    #[serde(default)]
    slack: SlackConfig,
    #[serde(default)]
    web: RawWeb,
    #[serde(default)]
    talks: RawTalks,
    #[serde(default)]
    welcome: RawWelcome,
    #[serde(default)]
    handoff: RawHandoff,
    #[serde(default)]
    program_calendar: Vec<commands::milestones::RawMilestone>,
}

/// `[talks]`: track owners named by configuration, and the slide deck's deadline.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTalks {
    #[serde(default)]
    track_owners: RawTrackOwners,
    deck_days_before: Option<u32>,
    deck_reminder_days: Option<Vec<u32>>,
    speaker_badge_after: Option<u32>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTrackOwners {
    #[serde(default)]
    terminal: Vec<String>,
    #[serde(default)]
    discord: Vec<String>,
    #[serde(default)]
    slack: Vec<String>,
}

/// `[welcome]`: the direct message to members who join, and the groups they can pick.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWelcome {
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    groups: Vec<RawGroup>,
}

/// `[[welcome.groups]]`: a user group or city, and the role it gives on each platform.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: String,
    name: commands::milestones::Localized,
    discord_role: Option<String>,
    slack_group: Option<String>,
}

/// `[handoff]`: "Still need help?".
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHandoff {
    enabled: Option<bool>,
    per_day: Option<u32>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWeb {
    enabled: Option<bool>,
    listen: Option<String>,
    public_url: Option<String>,
    max_connections: Option<usize>,
}

/// `[web]`: the bot's HTTP server (dashboard, calendar feeds, health, metrics and the
/// Slack HTTP endpoints).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Serve at all.
    pub enabled: bool,
    /// The address to listen on.
    pub listen: String,
    /// Where people reach it (a proxy in front, https): the start of the links the bot
    /// puts in chat. Default: `http://` and the address it listens on.
    pub public_url: Option<String>,
    /// Connections served at once; more wait, and idle ones are closed first.
    pub max_connections: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            enabled: true,
            listen: DEFAULT_LISTEN.into(),
            public_url: None,
            max_connections: 256,
        }
    }
}

/// Where the web server listens unless `[web] listen` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// `[discord]`: how the bot behaves on Discord. The token comes from `DISCORD_TOKEN`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    /// Where the REST API is, for a rate-limit proxy (or the tests' emulator).
    pub api_base_url: Option<String>,
    /// The gateway websocket, when it is not the one the API names.
    pub gateway_url: Option<String>,
    /// Channel ids where every message that reads as a question is answered, in a thread.
    #[serde(default)]
    pub help_channels: Vec<String>,
    /// The channel id announcements and volunteer calls are posted to.
    pub announcements_channel: Option<String>,
    /// Members with Discord's Administrator or Manage Roles permission count as admins.
    #[serde(default)]
    pub admin_permissions: bool,
    /// Badge id → Discord role id, for role sync.
    #[serde(default)]
    pub badge_roles: std::collections::BTreeMap<String, String>,
    /// Create a role named after a badge that has no mapped role.
    #[serde(default)]
    pub create_roles: bool,
    /// Mirror each announced event as the server's native scheduled event, kept in step.
    #[serde(default)]
    pub scheduled_events: bool,
    /// Questions a member may ask per minute before being asked to slow down.
    pub questions_per_minute: Option<u32>,
    /// The channel id where a public welcome line greets each member who joins.
    pub welcome_channel: Option<String>,
    /// The channel id where questions handed to people are posted, each in a thread.
    pub help_desk_channel: Option<String>,
    /// Role ids mentioned on each question handed to people (volunteers, leaders).
    #[serde(default)]
    pub helper_roles: Vec<String>,
    /// The language of what the bot posts for everyone here (milestones, welcome lines,
    /// hand-offs): en, zh or pt; the knowledge fallback language when unset.
    pub language: Option<String>,
}

/// `[slack]`: how the bot behaves on Slack. Tokens come from `SLACK_BOT_TOKEN` with
/// `SLACK_APP_TOKEN` (Socket Mode) and/or `SLACK_SIGNING_SECRET` (HTTP events).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    /// Where the Web API is (default `https://slack.com/api`); the tests' emulator sets it.
    pub api_base_url: Option<String>,
    /// Channel ids where every message that reads as a question is answered, in a thread.
    #[serde(default)]
    pub help_channels: Vec<String>,
    /// The channel id announcements and volunteer calls are posted to.
    pub announcements_channel: Option<String>,
    /// Workspace admins and owners count as bot admins.
    #[serde(default)]
    pub workspace_admins: bool,
    /// Badge id → Slack user group id; granting a badge adds the member to the group.
    #[serde(default)]
    pub badge_groups: std::collections::BTreeMap<String, String>,
    /// The address the HTTP events endpoint listens on when `SLACK_SIGNING_SECRET` is set.
    pub listen: Option<String>,
    /// Socket Mode connections kept open (Slack allows up to 10; default 2).
    pub socket_connections: Option<u32>,
    /// Questions a member may ask per minute before being asked to slow down.
    pub questions_per_minute: Option<u32>,
    /// The channel id where a public welcome line greets each member who joins.
    pub welcome_channel: Option<String>,
    /// The channel id where questions handed to people are posted, each in a thread.
    pub help_desk_channel: Option<String>,
    /// User group ids mentioned on each question handed to people.
    #[serde(default)]
    pub helper_roles: Vec<String>,
    /// The language of what the bot posts for everyone here: en, zh or pt.
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCommunity {
    timezone: Option<toml::Spanned<String>>,
    reminders: Option<Vec<toml::Spanned<String>>>,
    volunteer_badge_after: Option<u32>,
}

/// `[events]`: RSVP offers, series announcements and the no-show policy.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEvents {
    claim_window: Option<toml::Spanned<String>>,
    announce_series_ahead: Option<toml::Spanned<String>>,
    no_shows: Option<RawNoShows>,
}

/// `[events.no_shows]`: present means on.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNoShows {
    after: Option<toml::Spanned<u32>>,
    notice: Option<toml::Spanned<String>>,
    waitlist_for: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPermissions {
    terminal: Option<RawAccess>,
    discord: Option<RawAccess>,
    slack: Option<RawAccess>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAccess {
    #[serde(default)]
    admins: Vec<String>,
    #[serde(default)]
    admin_roles: Vec<String>,
    #[serde(default)]
    organizers: Vec<String>,
    #[serde(default)]
    organizer_roles: Vec<String>,
    #[serde(default)]
    notify_roles: Vec<String>,
}

impl From<RawAccess> for commands::Access {
    fn from(r: RawAccess) -> Self {
        commands::Access {
            admins: r.admins,
            admin_roles: r.admin_roles,
            organizers: r.organizers,
            organizer_roles: r.organizer_roles,
            notify_roles: r.notify_roles,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    data_dir: Option<PathBuf>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKnowledge {
    dirs: Option<Vec<PathBuf>>,
    fallback_language: Option<toml::Spanned<String>>,
    confidence_threshold: Option<toml::Spanned<f32>>,
}

/// The configuration in effect, paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub knowledge_dirs: Vec<PathBuf>,
    pub settings: Settings,
    /// Permissions, time zone and reminders for the commands (`knowledge_dirs` is filled in
    /// once the knowledge folders are settled).
    pub commands: commands::Config,
    pub discord: DiscordConfig,
    pub slack: SlackConfig,
    pub web: WebConfig,
}

/// The terminal user when `bot chat` is given no `--as`; an admin unless config says
/// otherwise, since whoever runs the bot in a terminal runs the bot.
pub const OPERATOR: &str = "operator";

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `table.key` for the assignment on a 1-based line, for error messages.
fn key_at_line(text: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            table = t.trim_matches(['[', ']']).trim().to_string();
        }
        if i + 1 == line {
            let key = t.split('=').next()?.trim();
            if key.is_empty() || key.starts_with('[') {
                return None;
            }
            return Some(if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            });
        }
    }
    None
}

impl Config {
    /// Reads `path`, or `./config.toml` when none is given and it exists; defaults otherwise.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let (text, source) = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the config file {}", p.display()))?;
                (text, Some(p.to_path_buf()))
            }
            None if Path::new("config.toml").is_file() => {
                let text =
                    std::fs::read_to_string("config.toml").context("cannot read ./config.toml")?;
                (text, Some(PathBuf::from("config.toml")))
            }
            None => (String::new(), None),
        };
        Self::parse(&text, source)
    }

    /// Parses config text; relative paths are taken from the config file's folder.
    pub fn parse(text: &str, source: Option<PathBuf>) -> Result<Config> {
        let at = Where {
            name: source
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "config".into()),
            text,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => {
                let line = line_of(text, span.start);
                let key = key_at_line(text, line)
                    .filter(|k| !e.message().contains(k.rsplit('.').next().unwrap_or(k)))
                    .map(|k| format!("{k}: "))
                    .unwrap_or_default();
                anyhow::anyhow!("{} (line {line}): {key}{}", at.name, e.message())
            }
            None => anyhow::anyhow!("{}: {}", at.name, e.message()),
        })?;
        let base = source
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        let settings = at.settings(&raw.knowledge)?;
        let knowledge_dirs = match raw.knowledge.dirs {
            Some(dirs) => dirs.into_iter().map(resolve).collect(),
            None => vec![crate::bundled::source_dir()],
        };
        let mut commands = at.community(raw.community)?;
        at.events(raw.events, &mut commands)?;
        commands.access = access(raw.permissions);
        commands.talks = at.talks(raw.talks)?;
        at.check_platforms(&raw.discord, &raw.slack)?;
        let web = at.web(raw.web, &raw.slack)?;
        commands.journey = at.journey(
            raw.welcome,
            raw.handoff,
            raw.program_calendar,
            &raw.discord,
            &raw.slack,
        )?;
        Ok(Config {
            web,
            discord: raw.discord,
            slack: raw.slack,
            commands,
            data_dir: resolve(
                raw.storage
                    .data_dir
                    .unwrap_or_else(|| PathBuf::from("data")),
            ),
            knowledge_dirs,
            settings,
        })
    }
}

/// Who is admin and organizer on each platform; on the terminal, the operator is admin
/// unless the file says otherwise.
fn access(p: RawPermissions) -> std::collections::BTreeMap<commands::Platform, commands::Access> {
    let terminal = p
        .terminal
        .map(commands::Access::from)
        .unwrap_or_else(|| commands::Access {
            admins: vec![OPERATOR.to_string()],
            ..Default::default()
        });
    let mut access = std::collections::BTreeMap::new();
    access.insert(commands::Platform::Terminal, terminal);
    if let Some(d) = p.discord {
        access.insert(commands::Platform::Discord, d.into());
    }
    if let Some(s) = p.slack {
        access.insert(commands::Platform::Slack, s.into());
    }
    access
}

mod read;
use read::Where;

#[cfg(test)]
mod tests;
