//! What the commands need from config.toml: who may do what on each platform, the
//! community's time zone, reminder times, and where the knowledge base comes from.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::actor::Platform;

/// Who is an admin or an organizer on one platform, by user id or platform role id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub admins: Vec<String>,
    pub admin_roles: Vec<String>,
    pub organizers: Vec<String>,
    pub organizer_roles: Vec<String>,
    /// Roles announcements may notify. Empty: any role except @everyone/@here.
    pub notify_roles: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub access: BTreeMap<Platform, Access>,
    /// Dates typed without an offset are in this zone, and dates are shown in it.
    pub timezone: TimeZone,
    /// How long before an event volunteers are reminded.
    pub reminders: Vec<Duration>,
    /// Completed shifts after which admins see a Volunteer badge suggestion.
    pub volunteer_badge_after: u32,
    /// How long a member offered a freed place has to take it before it passes on.
    pub claim_window: Duration,
    /// How long before each occurrence of a series its announcement is posted.
    pub series_ahead: Duration,
    /// The no-show policy; `None` (the default) keeps it off.
    pub no_shows: Option<NoShows>,
    /// The knowledge folders `kb reload` reads.
    pub knowledge_dirs: Vec<PathBuf>,
    /// `kb reload` keeps exactly these folders (a `--knowledge` run) instead of the
    /// configured folders plus those added with `kb import`.
    pub knowledge_exact: bool,
    /// Where the bot's web server is reached (`https://bot.example.org`): the start of the
    /// sign-in and calendar links it hands out. `None` when the web server is off.
    pub public_url: Option<String>,
    /// Tracks, proposals and decks (`[talks]`).
    pub talks: crate::talks::TalksConfig,
    /// The welcome, the hand-off to people and the program calendar.
    pub journey: crate::journey::Journey,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            access: BTreeMap::new(),
            timezone: TimeZone::UTC,
            reminders: vec![Duration::from_secs(24 * 3600), Duration::from_secs(3600)],
            volunteer_badge_after: 2,
            claim_window: Duration::from_secs(12 * 3600),
            series_ahead: Duration::from_secs(7 * 24 * 3600),
            no_shows: None,
            knowledge_dirs: Vec::new(),
            knowledge_exact: false,
            public_url: None,
            talks: crate::talks::TalksConfig::default(),
            journey: Default::default(),
        }
    }
}

/// Members who said they were going and were not checked in `after` times (saying no less
/// than `notice` before the start counts too) go on the waitlist first for `waitlist_for`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoShows {
    pub after: u32,
    pub notice: Duration,
    pub waitlist_for: Duration,
}

impl Default for NoShows {
    fn default() -> Self {
        NoShows {
            after: 2,
            notice: Duration::from_secs(24 * 3600),
            waitlist_for: Duration::from_secs(60 * 24 * 3600),
        }
    }
}

impl Config {
    pub fn access(&self, platform: Platform) -> &Access {
        static NONE: Access = Access {
            admins: Vec::new(),
            admin_roles: Vec::new(),
            organizers: Vec::new(),
            organizer_roles: Vec::new(),
            notify_roles: Vec::new(),
        };
        self.access.get(&platform).unwrap_or(&NONE)
    }
}

/// Where "now" comes from: the system, or a test.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that moves only when told to.
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(at: Timestamp) -> Self {
        ManualClock(Mutex::new(at))
    }

    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += jiff::SignedDuration::try_from(by).expect("short durations");
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
