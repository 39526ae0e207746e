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

/// The file being read, for messages that name it and the line.
struct Where<'a> {
    name: String,
    text: &'a str,
}

impl Where<'_> {
    /// `config.toml (line 3)`.
    fn line(&self, offset: usize) -> String {
        format!("{} (line {})", self.name, line_of(self.text, offset))
    }

    /// `[knowledge]`: the reply language and the confidence threshold.
    fn settings(&self, k: &RawKnowledge) -> Result<Settings> {
        let mut settings = Settings::default();
        if let Some(lang) = &k.fallback_language {
            settings.fallback_lang = lang.get_ref().parse::<Lang>().map_err(|msg| {
                anyhow::anyhow!(
                    "{}: knowledge.fallback_language: {msg}",
                    self.line(lang.span().start)
                )
            })?;
        }
        if let Some(t) = &k.confidence_threshold {
            let v = *t.get_ref();
            if !(0.0..=1.0).contains(&v) {
                bail!(
                    "{}: knowledge.confidence_threshold must be between 0 and 1, got {v}",
                    self.line(t.span().start)
                );
            }
            settings.threshold = v;
        }
        Ok(settings)
    }

    /// `[community]`: the time zone, the reminders and the Volunteer badge suggestion.
    fn community(&self, c: RawCommunity) -> Result<commands::Config> {
        let mut commands = commands::Config::default();
        if let Some(tz) = c.timezone {
            commands.timezone = jiff::tz::TimeZone::get(tz.get_ref()).map_err(|_| {
                anyhow::anyhow!(
                    "{}: community.timezone: unknown time zone \"{}\" (use an IANA name such as America/Sao_Paulo or Asia/Shanghai)",
                    self.line(tz.span().start),
                    tz.get_ref()
                )
            })?;
        }
        if let Some(reminders) = c.reminders {
            commands.reminders = reminders
                .iter()
                .map(|r| {
                    r.get_ref()
                        .parse::<jiff::SignedDuration>()
                        .ok()
                        .and_then(|d| std::time::Duration::try_from(d).ok())
                        .filter(|d| !d.is_zero())
                        .ok_or_else(|| {
                            anyhow::anyhow!(
                                "{}: community.reminders: cannot read \"{}\" as a time before the event (write it like \"24h\" or \"90m\")",
                                self.line(r.span().start),
                                r.get_ref()
                            )
                        })
                })
                .collect::<Result<_>>()?;
        }
        if let Some(n) = c.volunteer_badge_after {
            commands.volunteer_badge_after = n;
        }
        Ok(commands)
    }

    /// `[events]`: how long a freed place is held for the member offered it, how far ahead
    /// a series announces each occurrence, and the no-show policy (on when its table is
    /// there).
    fn events(&self, e: RawEvents, commands: &mut commands::Config) -> Result<()> {
        if let Some(w) = &e.claim_window {
            commands.claim_window = self.duration("events.claim_window", w)?;
        }
        if let Some(a) = &e.announce_series_ahead {
            commands.series_ahead = self.duration("events.announce_series_ahead", a)?;
        }
        if let Some(n) = e.no_shows {
            let mut policy = commands::NoShows::default();
            if let Some(after) = &n.after {
                if *after.get_ref() == 0 {
                    bail!(
                        "{}: events.no_shows.after must be at least 1 (remove [events.no_shows] to turn the policy off)",
                        self.line(after.span().start)
                    );
                }
                policy.after = *after.get_ref();
            }
            if let Some(t) = &n.notice {
                policy.notice = self.duration("events.no_shows.notice", t)?;
            }
            if let Some(t) = &n.waitlist_for {
                policy.waitlist_for = self.duration("events.no_shows.waitlist_for", t)?;
            }
            commands.no_shows = Some(policy);
        }
        Ok(())
    }

    /// A length of time as people write it in the file: "12h", "90m", "7d", "2 weeks".
    fn duration(&self, key: &str, v: &toml::Spanned<String>) -> Result<std::time::Duration> {
        v.get_ref()
            .parse::<jiff::Span>()
            .ok()
            .and_then(|s| s.to_duration(jiff::SpanRelativeTo::days_are_24_hours()).ok())
            .and_then(|d| std::time::Duration::try_from(d).ok())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: {key}: cannot read \"{}\" as a length of time (write it like \"12h\", \"90m\" or \"7d\")",
                    self.line(v.span().start),
                    v.get_ref()
                )
            })
    }

    /// `[web]`: the address and the public URL; `[slack] listen`, from before the Slack
    /// endpoints moved onto the web server, stands in for `[web] listen` when that is unset.
    fn web(&self, raw: RawWeb, slack: &SlackConfig) -> Result<WebConfig> {
        let name = &self.name;
        let defaults = WebConfig::default();
        let mut web = WebConfig {
            enabled: raw.enabled.unwrap_or(defaults.enabled),
            listen: raw.listen.clone().unwrap_or(defaults.listen),
            public_url: raw.public_url,
            max_connections: raw.max_connections.unwrap_or(defaults.max_connections),
        };
        if let (Some(old), None) = (&slack.listen, &raw.listen) {
            tracing::warn!(
                "{name}: slack.listen is replaced by web.listen (the Slack endpoints are served by the web server); using {old}"
            );
            web.listen = old.clone();
        }
        if web.listen.parse::<std::net::SocketAddr>().is_err() {
            bail!(
                "{name}: web.listen: \"{}\" is not an address like 127.0.0.1:8080",
                web.listen
            );
        }
        if let Some(url) = &web.public_url {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > "https://".len()
                && !url.contains(char::is_whitespace);
            if !ok {
                bail!("{name}: web.public_url: \"{url}\" is not a web address like https://bot.example.org");
            }
        }
        if web.max_connections == 0 {
            bail!("{name}: web.max_connections must be at least 1");
        }
        Ok(web)
    }

    /// `[talks]`: who may own a track without the badge, and when decks are due.
    fn talks(&self, t: RawTalks) -> Result<commands::talks::TalksConfig> {
        let name = &self.name;
        let mut talks = commands::talks::TalksConfig::default();
        let o = t.track_owners;
        for (platform, ids) in [
            (commands::Platform::Terminal, o.terminal),
            (commands::Platform::Discord, o.discord),
            (commands::Platform::Slack, o.slack),
        ] {
            if !ids.is_empty() {
                talks.track_owners.insert(platform, ids);
            }
        }
        if let Some(n) = t.deck_days_before {
            talks.deck_days_before = n;
        }
        if let Some(days) = t.deck_reminder_days {
            if days.iter().any(|&d| d == 0 || d > 60) {
                bail!("{name}: talks.deck_reminder_days: each is a number of days from 1 to 60, like [3, 1]");
            }
            talks.deck_reminder_days = days;
        }
        if let Some(n) = t.speaker_badge_after {
            if n == 0 {
                bail!("{name}: talks.speaker_badge_after must be at least 1");
            }
            talks.speaker_badge_after = n;
        }
        Ok(talks)
    }

    /// `[welcome]`, `[handoff]`, `[[program_calendar]]` and the journey's channels of
    /// `[discord]` and `[slack]`.
    fn journey(
        &self,
        welcome: RawWelcome,
        handoff: RawHandoff,
        calendar: Vec<commands::milestones::RawMilestone>,
        discord: &DiscordConfig,
        slack: &SlackConfig,
    ) -> Result<commands::journey::Journey> {
        use commands::journey::{Group, Handoff, Journey, Places, Welcome};
        use commands::Platform;
        let name = &self.name;
        let language = |table: &str, l: &Option<String>| -> Result<Option<Lang>> {
            l.as_deref()
                .map(|l| {
                    l.parse::<Lang>()
                        .map_err(|msg| anyhow::anyhow!("{name}: {table}.language: {msg}"))
                })
                .transpose()
        };
        let mut places = std::collections::BTreeMap::new();
        places.insert(
            Platform::Discord,
            Places {
                announcements: discord.announcements_channel.clone(),
                welcome: discord.welcome_channel.clone(),
                help_desk: discord.help_desk_channel.clone(),
                helper_roles: discord.helper_roles.clone(),
                language: language("discord", &discord.language)?,
            },
        );
        places.insert(
            Platform::Slack,
            Places {
                announcements: slack.announcements_channel.clone(),
                welcome: slack.welcome_channel.clone(),
                help_desk: slack.help_desk_channel.clone(),
                helper_roles: slack.helper_roles.clone(),
                language: language("slack", &slack.language)?,
            },
        );
        let mut groups: Vec<Group> = Vec::new();
        for g in welcome.groups {
            if !commands::journey::valid_slug(&g.id) {
                bail!("{name}: welcome.groups: the id \"{}\" must be lowercase letters, digits and -, like \"recife\"", g.id);
            }
            if groups.iter().any(|x| x.id == g.id) {
                bail!("{name}: welcome.groups: the id \"{}\" is used twice", g.id);
            }
            let mut roles = std::collections::BTreeMap::new();
            if let Some(r) = g.discord_role {
                if r.parse::<u64>().is_err() {
                    bail!("{name}: welcome.groups \"{}\": discord_role must be a role id (digits), got \"{r}\"", g.id);
                }
                roles.insert(Platform::Discord, r);
            }
            if let Some(s) = g.slack_group {
                if !s.starts_with('S') {
                    bail!("{name}: welcome.groups \"{}\": slack_group must be a user group id (S…), got \"{s}\"", g.id);
                }
                roles.insert(Platform::Slack, s);
            }
            groups.push(Group {
                id: g.id,
                names: g.name.each(),
                roles,
            });
        }
        let mut milestones: Vec<commands::milestones::Milestone> = Vec::new();
        for raw in calendar {
            let m = commands::milestones::check(raw, name)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            if milestones.iter().any(|x| x.id == m.id) {
                bail!(
                    "{name}: program_calendar: the id \"{}\" is used twice",
                    m.id
                );
            }
            milestones.push(m);
        }
        let defaults = Handoff::default();
        Ok(Journey {
            welcome: Welcome {
                enabled: welcome.enabled,
            },
            handoff: Handoff {
                enabled: handoff.enabled.unwrap_or(defaults.enabled),
                per_day: handoff.per_day.unwrap_or(defaults.per_day),
            },
            places,
            groups,
            milestones,
            announce_on: Vec::new(),
        })
    }

    /// `[discord]` and `[slack]`: badge ids, connection counts and addresses.
    fn check_platforms(&self, discord: &DiscordConfig, slack: &SlackConfig) -> Result<()> {
        let name = &self.name;
        for badge in discord.badge_roles.keys() {
            if commands::badges::find(badge).is_none() {
                bail!("{name}: discord.badge_roles: no badge called \"{badge}\" (the ids are in `badge list`)");
            }
        }
        for badge in slack.badge_groups.keys() {
            if commands::badges::find(badge).is_none() {
                bail!("{name}: slack.badge_groups: no badge called \"{badge}\" (the ids are in `badge list`)");
            }
        }
        if let Some(n) = slack.socket_connections {
            if !(1..=10).contains(&n) {
                bail!("{name}: slack.socket_connections must be between 1 and 10, got {n}");
            }
        }
        if let Some(addr) = &slack.listen {
            if addr.parse::<std::net::SocketAddr>().is_err() {
                bail!("{name}: slack.listen: \"{addr}\" is not an address like 0.0.0.0:3000");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talks_owners_and_deck_deadlines() {
        let c = Config::parse(
            "[talks]\ndeck_days_before = 10\ndeck_reminder_days = [5, 2]\n[talks.track_owners]\ndiscord = [\"42\"]\n",
            None,
        )
        .unwrap();
        let t = &c.commands.talks;
        assert_eq!(
            (t.deck_days_before, t.deck_reminder_days.clone()),
            (10, vec![5, 2])
        );
        assert_eq!(t.track_owners[&commands::Platform::Discord], ["42"]);
        let bad = Config::parse("[talks]\ndeck_reminder_days = [0]\n", None).unwrap_err();
        assert!(bad.to_string().contains("deck_reminder_days"), "{bad}");
    }

    #[test]
    fn defaults_without_a_file() {
        let c = Config::parse("", None).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert_eq!(c.knowledge_dirs.len(), 1);
        assert_eq!(c.settings.fallback_lang, Lang::En);
    }

    #[test]
    fn values_and_relative_paths() {
        let c = Config::parse(
            "[storage]\ndata_dir = \"state\"\n[knowledge]\ndirs = [\"kb\", \"/abs\"]\nfallback_language = \"pt-BR\"\nconfidence_threshold = 0.6\n",
            Some(PathBuf::from("/etc/bot/config.toml")),
        )
        .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/etc/bot/state"));
        assert_eq!(
            c.knowledge_dirs,
            [PathBuf::from("/etc/bot/kb"), PathBuf::from("/abs")]
        );
        assert_eq!(c.settings.fallback_lang, Lang::Pt);
        assert!((c.settings.threshold - 0.6).abs() < 1e-6);
    }

    #[test]
    fn the_shipped_config_file_reads() {
        let c = Config::parse(include_str!("../../config.toml"), None).unwrap();
        assert_eq!(c.commands.claim_window.as_secs(), 12 * 3600);
        assert!(!c.discord.scheduled_events);
    }

    #[test]
    fn events_settings_and_the_no_show_policy() {
        let c = Config::parse("", None).unwrap();
        assert_eq!(c.commands.claim_window.as_secs(), 12 * 3600);
        assert_eq!(c.commands.no_shows, None, "off by default");
        let c = Config::parse(
            "[events]\nclaim_window = \"90m\"\nannounce_series_ahead = \"2 weeks\"\n[events.no_shows]\nafter = 3\nwaitlist_for = \"30d\"\n",
            None,
        )
        .unwrap();
        assert_eq!(c.commands.claim_window.as_secs(), 90 * 60);
        assert_eq!(c.commands.series_ahead.as_secs(), 14 * 86_400);
        let policy = c.commands.no_shows.unwrap();
        assert_eq!(policy.after, 3);
        assert_eq!(policy.waitlist_for.as_secs(), 30 * 86_400);
        assert_eq!(policy.notice.as_secs(), 24 * 3600, "the default notice");
        let e = Config::parse("[events]\n\nclaim_window = \"soon\"\n", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3") && e.contains("events.claim_window") && e.contains("12h"),
            "{e}"
        );
        let e = Config::parse("[events.no_shows]\nafter = 0\n", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("at least 1"), "{e}");
    }

    #[test]
    fn errors_name_the_key_and_the_line() {
        let src = Some(PathBuf::from("config.toml"));
        let e = Config::parse(
            "[knowledge]\n\nconfidence_threshold = \"high\"\n",
            src.clone(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 3") && e.contains("knowledge.confidence_threshold"),
            "{e}"
        );
        let e = Config::parse("[storage]\ndatadir = \"x\"\n", src.clone())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("datadir"), "{e}");
        let e = Config::parse("[knowledge]\nconfidence_threshold = 7.0\n", src.clone())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("confidence_threshold"),
            "{e}"
        );
        let e = Config::parse("[knowledge]\nfallback_language = \"fr\"\n", src)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("fallback_language"),
            "{e}"
        );
    }

    #[test]
    fn the_shipped_file_parses_and_its_journey_examples_too() {
        let shipped = include_str!("../../config.toml");
        let c = Config::parse(shipped, None).unwrap();
        assert!(!c.commands.journey.welcome.enabled);
        assert_eq!(c.commands.journey.handoff.per_day, 3);
        // The commented examples of the journey, uncommented, are valid as written.
        let examples: String = shipped
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if [
                        "[[",
                        "id ",
                        "name ",
                        "discord_role",
                        "slack_group",
                        "title ",
                        "description ",
                        "link ",
                        "date ",
                        "time ",
                        "post_within ",
                    ]
                    .iter()
                    .any(|k| rest.starts_with(k)) =>
                {
                    rest
                }
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let c = Config::parse(&examples, None).unwrap();
        let j = &c.commands.journey;
        assert_eq!(j.groups.len(), 1);
        assert_eq!(j.groups[0].name(Lang::Zh), "累西腓");
        assert_eq!(j.milestones.len(), 1);
        assert_eq!(j.milestones[0].id, "cb-applications");
        assert_eq!((j.milestones[0].month, j.milestones[0].day), (1, 15));
    }

    #[test]
    fn journey_mistakes_say_what_to_write() {
        let e = Config::parse(
            "[[welcome.groups]]\nid = \"São Paulo\"\nname = \"SP\"\n",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("lowercase letters"), "{e}");
        let e = Config::parse(
            "[[program_calendar]]\nid = \"x\"\ntitle = \"X\"\ndate = \"15/01\"\n",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("\"01-15\""), "{e}");
        let e = Config::parse("[discord]\nlanguage = \"fr\"\n", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("discord.language"), "{e}");
    }
}
