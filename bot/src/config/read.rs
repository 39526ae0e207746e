//! Reading config.toml's tables into the settings the bot and the commands use, each
//! mistake named with its file, line and what to write instead.

use super::*;

/// The file being read, for messages that name it and the line.
pub(super) struct Where<'a> {
    pub name: String,
    pub text: &'a str,
}

impl Where<'_> {
    /// `config.toml (line 3)`.
    pub(super) fn line(&self, offset: usize) -> String {
        format!("{} (line {})", self.name, line_of(self.text, offset))
    }

    /// `[knowledge]`: the reply language and the confidence threshold.
    pub(super) fn settings(&self, k: &RawKnowledge) -> Result<Settings> {
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
    pub(super) fn community(&self, c: RawCommunity) -> Result<commands::Config> {
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
    pub(super) fn events(&self, e: RawEvents, commands: &mut commands::Config) -> Result<()> {
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
    pub(super) fn duration(
        &self,
        key: &str,
        v: &toml::Spanned<String>,
    ) -> Result<std::time::Duration> {
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
    pub(super) fn web(&self, raw: RawWeb, slack: &SlackConfig) -> Result<WebConfig> {
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
    pub(super) fn talks(&self, t: RawTalks) -> Result<commands::talks::TalksConfig> {
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
    pub(super) fn journey(
        &self,
        welcome: RawWelcome,
        handoff: RawHandoff,
        calendar: Vec<commands::milestones::RawMilestone>,
        discord: &DiscordConfig,
        slack: &SlackConfig,
    ) -> Result<commands::journey::Journey> {
        use commands::journey::{Handoff, Journey, Places, Welcome};
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
        let groups = self.groups(welcome.groups)?;
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

    /// `[[welcome.groups]]`: the user groups or cities a member can pick, each with the
    /// role or user group it gives.
    pub(super) fn groups(&self, raw: Vec<RawGroup>) -> Result<Vec<commands::journey::Group>> {
        use commands::journey::Group;
        use commands::Platform;
        let name = &self.name;
        let mut groups: Vec<Group> = Vec::new();
        for g in raw {
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
        Ok(groups)
    }

    /// `[discord]` and `[slack]`: badge ids, connection counts and addresses.
    pub(super) fn check_platforms(
        &self,
        discord: &DiscordConfig,
        slack: &SlackConfig,
    ) -> Result<()> {
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
