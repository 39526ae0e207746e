//! Commands as typed (`/badge grant @alice hero serverless`), as pressed (button ids), or
//! as built by a front end from structured slash-command options.

use knowledge::Lang;

use crate::actor::Level;
use crate::error::CmdError;
use crate::events::EventFields;
use crate::registry::{self, Args, Spec, Typed};
use crate::text::{fold, tokenize, UserRef};

/// Everything the bot can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Ask(String),
    Next {
        user: Option<UserRef>,
    },
    Badges {
        user: Option<UserRef>,
    },
    BadgeList,
    BadgeGrant {
        user: UserRef,
        badge: String,
        category: Option<String>,
        note: Option<String>,
    },
    BadgeRevoke {
        user: UserRef,
        badge: String,
        /// One Hero category to take back (the others stay).
        category: Option<String>,
    },
    Audit {
        user: Option<UserRef>,
        limit: usize,
    },
    Announce(EventFields),
    Events,
    EventEdit {
        id: String,
        fields: EventFields,
    },
    EventCancel {
        id: String,
    },
    EventIcs {
        id: String,
    },
    VolunteerCall {
        event: String,
        /// `role:places` words.
        slots: Vec<String>,
        deadline: Option<String>,
    },
    VolunteerSignup {
        call: String,
        role: String,
    },
    VolunteerWithdraw {
        call: String,
    },
    VolunteerRoster {
        call: String,
    },
    VolunteerAttended {
        call: String,
        users: Vec<UserRef>,
    },
    /// Going (or not) to an event.
    Rsvp {
        event: String,
        going: bool,
    },
    /// Taking (or leaving) a place offered from the waitlist (buttons only).
    RsvpClaim {
        event: String,
        take: bool,
    },
    Checkin {
        code: String,
    },
    EventAttendees {
        id: String,
    },
    EventCheckin {
        id: String,
    },
    EventPresent {
        id: String,
        users: Vec<UserRef>,
    },
    EventForgive {
        user: UserRef,
    },
    SeriesShow {
        id: String,
    },
    SeriesEdit {
        id: String,
        fields: EventFields,
    },
    SeriesCancel {
        id: String,
        day: Option<String>,
    },
    Feedback {
        question: String,
        helpful: bool,
    },
    KbGaps {
        limit: usize,
    },
    KbReload,
    KbStats,
    /// A one-time sign-in link for the web dashboard.
    Dashboard,
    /// The member's personal calendar feed link; `reset` replaces it.
    Calendar {
        reset: bool,
    },
    /// Tracks, talk proposals, their review and the decisions on them.
    Talk(crate::talks::TalkCommand),
    /// `help COMMAND`: the lines of one command.
    HelpTopic(String),
    /// `link` (a code) or `link CODE`.
    Link {
        code: Option<String>,
    },
    Unlink,
    /// `welcome`: the welcome again.
    Welcome,
    /// A front end saw the member join (GUILD_MEMBER_ADD, team_join, the terminal's `/join`).
    MemberJoined,
    /// A language button of the welcome.
    SetLanguage(String),
    /// A group button of the welcome.
    PickGroup(String),
    /// "Still need help?": the question with this id to people.
    Handoff {
        question: String,
    },
    /// Someone wrote `text` in the thread the bot opened under this post key.
    ThreadReply {
        thread: String,
        text: String,
    },
    /// `calendar programs [remind: ID]`.
    CalendarPrograms {
        remind: Option<String>,
    },
}

impl Command {
    /// The members the command names.
    pub fn users(&self) -> Vec<&UserRef> {
        match self {
            Command::Next { user } | Command::Badges { user } | Command::Audit { user, .. } => {
                user.iter().collect()
            }
            Command::BadgeGrant { user, .. } | Command::BadgeRevoke { user, .. } => vec![user],
            Command::VolunteerAttended { users, .. } | Command::EventPresent { users, .. } => {
                users.iter().collect()
            }
            Command::EventForgive { user } => vec![user],
            Command::Talk(t) => t.users(),
            _ => Vec::new(),
        }
    }
}

impl Command {
    /// Its canonical path in the registry (`badge grant`), which says who may use it.
    pub fn path(&self) -> &'static str {
        use Command as C;
        match self {
            C::Help => "help",
            C::Ask(_) => "ask",
            C::Next { .. } => "next",
            C::Badges { .. } => "badges",
            C::BadgeList => "badge list",
            C::BadgeGrant { .. } => "badge grant",
            C::BadgeRevoke { .. } => "badge revoke",
            C::Audit { .. } => "audit",
            C::Announce(_) => "announce",
            C::Events => "events",
            C::EventEdit { .. } => "event edit",
            C::EventCancel { .. } => "event cancel",
            C::EventIcs { .. } => "event ics",
            C::VolunteerCall { .. } => "volunteer call",
            C::VolunteerSignup { .. } => "volunteer signup",
            C::VolunteerWithdraw { .. } => "volunteer withdraw",
            C::VolunteerRoster { .. } => "volunteer roster",
            C::VolunteerAttended { .. } => "volunteer attended",
            C::Rsvp { .. } | C::RsvpClaim { .. } => "rsvp",
            C::Checkin { .. } => "checkin",
            C::EventAttendees { .. } => "event attendees",
            C::EventCheckin { .. } => "event checkin",
            C::EventPresent { .. } => "event present",
            C::EventForgive { .. } => "event forgive",
            C::SeriesShow { .. } => "series show",
            C::SeriesEdit { .. } => "series edit",
            C::SeriesCancel { .. } => "series cancel",
            // Only a button sends it.
            C::Feedback { .. } => "feedback",
            C::KbGaps { .. } => "kb gaps",
            C::KbReload => "kb reload",
            C::KbStats => "kb stats",
            C::Dashboard => "dashboard",
            C::Calendar { reset: false } => "calendar me",
            C::Calendar { reset: true } => "calendar reset",
            C::Talk(t) => t.path(),
            C::HelpTopic(_) => "help",
            C::Link { .. } => "link",
            C::Unlink => "unlink",
            C::Welcome => "welcome",
            C::CalendarPrograms { .. } => "calendar programs",
            // Only a front end or a button sends these.
            C::MemberJoined => "joined",
            C::SetLanguage(_) => "language",
            C::PickGroup(_) => "group",
            C::Handoff { .. } => "handoff",
            C::ThreadReply { .. } => "thread",
        }
    }

    /// Who may run it.
    pub fn level(&self) -> Level {
        registry::find(self.path()).map_or(Level::Member, |s| s.level)
    }
}

/// Default and largest numbers of lines for `audit` and `kb gaps`.
pub const DEFAULT_LIST: usize = 20;
pub const MAX_LIST: usize = 200;

/// A parsed input, with the language its command word was written in, if it shows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub command: Command,
    pub lang: Option<Lang>,
}

/// What a line of chat is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Command(Box<Parsed>),
    /// Plain text: a question for the knowledge base.
    Question,
}

/// Reads a line of chat. A line starting with `/` or `!` must be a command; otherwise a
/// line is a command only when it starts with a command word and reads as one throughout
/// (`events`, `badge list`), and is a question otherwise (`volunteer opportunities?`).
pub fn parse_line(line: &str) -> Result<Line, (CmdError, Option<Lang>)> {
    let trimmed = line.trim();
    let (explicit, body) = match trimmed.strip_prefix(['/', '!']) {
        Some(rest) if rest.chars().next().is_some_and(|c| !c.is_whitespace()) => (true, rest),
        _ => (false, trimmed),
    };
    let first = body.split_whitespace().next().unwrap_or("");
    let Some((spec, lang)) = registry::command(first) else {
        if explicit {
            let given: String = first.chars().take(30).collect();
            return Err((
                CmdError::UnknownCommand {
                    given: format!("/{given}"),
                    suggestion: closest_word(&given),
                },
                None,
            ));
        }
        return Ok(Line::Question);
    };
    let rest = body[first.len()..].trim();
    if !explicit && body.contains(['?', '？']) {
        return Ok(Line::Question);
    }
    match parse_command(spec, rest) {
        Ok(command) => Ok(Line::Command(Box::new(Parsed { command, lang }))),
        Err(e) if explicit => Err((e, lang)),
        Err(_) => Ok(Line::Question),
    }
}

/// The registry path of a line too long to read, when it is plainly a command: written with
/// `/` or `!`, or a command word followed by one of its subcommands (`badge grant …`).
/// `ask` is not among them: a long question gets the knowledge base's own answer.
pub(crate) fn overlong_command(line: &str) -> Option<(String, Option<Lang>)> {
    let trimmed = line.trim();
    let (explicit, body) = match trimmed.strip_prefix(['/', '!']) {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut words = body.split_whitespace();
    let (top, lang) = registry::command(words.next()?)?;
    if top.name == "ask" {
        return None;
    }
    let sub = words.next().and_then(|w| top.sub(w));
    if !explicit && sub.is_none() {
        return None;
    }
    Some((registry::path(top, sub), lang))
}

/// The command word most like `given`, if one is like it at all.
pub(crate) fn closest_word(given: &str) -> Option<&'static str> {
    registry::COMMANDS
        .iter()
        .flat_map(|c| c.all_words())
        .map(|(w, _)| {
            (
                strsim::normalized_damerau_levenshtein(&fold(given), &fold(w)),
                w,
            )
        })
        .filter(|(s, _)| *s >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, w)| w)
}

/// Reads what follows a command word: the subcommand, then the options as the registry
/// declares them.
fn parse_command(top: &'static Spec, rest: &str) -> Result<Command, CmdError> {
    let words = tokenize(rest);
    if top.subs.is_empty() {
        let args = typed_args(top, &words, rest, top.name)?;
        return registry::build(top, &args, top.name.to_string());
    }
    let sub = words
        .first()
        .and_then(|w| top.sub(w))
        .ok_or(CmdError::usage(top.name))?;
    let path = registry::path(top, Some(sub));
    let line = rest
        .split_once(char::is_whitespace)
        .map_or("", |(_, r)| r.trim());
    let args = typed_args(sub, &words[1..], line, &path)?;
    registry::build(sub, &args, path)
}

/// The options of `spec` in typed `words` (`line` is the same, as typed).
fn typed_args(spec: &Spec, words: &[String], line: &str, path: &str) -> Result<Args, CmdError> {
    let usage = || CmdError::usage(path);
    let mut args = Args::default();
    if let Some(o) = spec.options.iter().find(|o| o.typed == Typed::Line) {
        if !line.is_empty() {
            args.set(o.name, vec![line.to_string()]);
        } else if o.required {
            return Err(usage());
        }
        return Ok(args);
    }
    let rest = flags(spec, words, &mut args).ok_or_else(usage)?;
    let mut leading = keys(spec, &rest, &mut args)?.into_iter();
    for o in spec.options {
        let taken: Vec<String> = match o.typed {
            Typed::Word => leading.next().into_iter().collect(),
            Typed::Words | Typed::Rest => leading.by_ref().collect(),
            _ => continue,
        };
        if !taken.is_empty() {
            args.set(o.name, taken);
        } else if o.required {
            return Err(usage());
        }
    }
    match leading.next() {
        None => Ok(args),
        Some(extra) if spec.options.iter().any(|o| o.typed == Typed::Key) => {
            Err(CmdError::UnknownField {
                given: extra
                    .split_once([':', '：'])
                    .map_or(extra.as_str(), |(k, _)| k)
                    .chars()
                    .take(30)
                    .collect(),
                allowed: allowed_keys(spec),
            })
        }
        Some(_) => Err(usage()),
    }
}

/// Takes `--name N`, `-n N`, `--name=N` and `name:N` out of `words`; `None` when a flag has
/// no value.
fn flags(spec: &Spec, words: &[String], args: &mut Args) -> Option<Vec<String>> {
    let mut rest = Vec::new();
    let mut words = words.iter();
    while let Some(w) = words.next() {
        let found = spec
            .options
            .iter()
            .filter(|o| o.typed == Typed::Flag)
            .find_map(|o| flag_value(o, w).map(|v| (o, v)));
        match found {
            Some((o, Some(value))) => args.set(o.name, vec![value]),
            Some((o, None)) => args.set(o.name, vec![words.next()?.clone()]),
            None => rest.push(w.clone()),
        }
    }
    Some(rest)
}

/// Whether `word` is the flag `o`: with its value (`--limit=5`), or without (`--limit`).
fn flag_value(o: &registry::Opt, word: &str) -> Option<Option<String>> {
    for name in o.names() {
        let dashes = if name.chars().count() == 1 { "-" } else { "--" };
        if let Some(after) = word.strip_prefix(dashes).and_then(|w| w.strip_prefix(name)) {
            if after.is_empty() {
                return Some(None);
            }
            if let Some(v) = after.strip_prefix('=') {
                return Some(Some(v.to_string()));
            }
        }
        if let Some((k, v)) = word.split_once([':', '：']) {
            if fold(k) == fold(name) && !v.is_empty() {
                return Some(Some(v.to_string()));
            }
        }
    }
    None
}

/// Reads `key: value` pairs into `args`, a value running until the next key, so quotes are
/// needed only for values that contain one. Returns the words before the first key, or
/// gives them to the option that takes them (a title).
fn keys(spec: &Spec, words: &[String], args: &mut Args) -> Result<Vec<String>, CmdError> {
    let key = |k: &str| {
        spec.options
            .iter()
            .filter(|o| o.is_key())
            .find(|o| o.names().any(|n| fold(n) == fold(k)))
    };
    let mut current: Option<(&'static str, Vec<String>)> = None;
    let mut leading = Vec::new();
    let mut keyed: Vec<(&'static str, Vec<String>)> = Vec::new();
    for w in words {
        let opened = w
            .split_once([':', '：'])
            .and_then(|(k, v)| key(k).map(|o| (o, v)));
        if let Some((o, v)) = opened {
            if let Some(done) = current.take() {
                keyed.push(done);
            }
            if keyed.iter().any(|(n, _)| *n == o.name) {
                return Err(CmdError::UnknownField {
                    given: format!("{} (twice)", o.name),
                    allowed: allowed_keys(spec),
                });
            }
            let v = v.trim();
            current = Some((
                o.name,
                (!v.is_empty()).then(|| v.to_string()).into_iter().collect(),
            ));
        } else if let Some((_, values)) = &mut current {
            values.push(w.clone());
        } else {
            leading.push(w.clone());
        }
    }
    keyed.extend(current);
    let lead = spec.options.iter().find(|o| o.typed == Typed::Leading);
    if let (Some(o), false) = (lead, leading.is_empty()) {
        if keyed.iter().any(|(n, _)| *n == o.name) {
            return Err(CmdError::UnknownField {
                given: leading.join(" ").chars().take(30).collect(),
                allowed: allowed_keys(spec),
            });
        }
        keyed.push((o.name, std::mem::take(&mut leading)));
    }
    for (name, values) in keyed {
        args.set(name, values);
    }
    Ok(leading)
}

/// The keys a command takes, for "the options are: …".
fn allowed_keys(spec: &Spec) -> String {
    spec.options
        .iter()
        .filter(|o| o.is_key())
        .map(|o| o.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a button id back into the command it stands for.
pub fn parse_button(id: &str) -> Result<Command, CmdError> {
    let parts: Vec<&str> = id.splitn(4, ':').collect();
    Ok(match parts.as_slice() {
        ["vol", "signup", call, role] => Command::VolunteerSignup {
            call: call.to_string(),
            role: role.to_string(),
        },
        ["vol", "withdraw", call] => Command::VolunteerWithdraw {
            call: call.to_string(),
        },
        ["rsvp", answer @ ("yes" | "no"), event] => Command::Rsvp {
            event: event.to_string(),
            going: *answer == "yes",
        },
        ["rsvp", answer @ ("take" | "leave"), event] => Command::RsvpClaim {
            event: event.to_string(),
            take: *answer == "take",
        },
        ["fb", "up", q] => Command::Feedback {
            question: q.to_string(),
            helpful: true,
        },
        ["fb", "down", q] => Command::Feedback {
            question: q.to_string(),
            helpful: false,
        },
        ["ics", event] => Command::EventIcs {
            id: event.to_string(),
        },
        ["lang", code] => Command::SetLanguage(code.to_string()),
        ["group", group] => Command::PickGroup(group.to_string()),
        ["handoff", q] => Command::Handoff {
            question: q.to_string(),
        },
        ["ms", "remind", id] => Command::CalendarPrograms {
            remind: Some(id.to_string()),
        },
        ["grant", badge, user] => Command::BadgeGrant {
            user: UserRef::parse(&format!("@{user}"))?,
            badge: badge.to_string(),
            category: None,
            note: None,
        },
        _ if id.starts_with("ask:") && id.len() > 4 => Command::Ask(id[4..].to_string()),
        _ if id.starts_with("talk:") => Command::Talk(crate::talks::parse_button(id)?),
        _ => return Err(CmdError::UnknownButton),
    })
}

/// Reads as a question (for help channels, where every question is answered): a question
/// mark, or an opening question word in one of the three languages.
pub fn reads_as_question(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    if t.contains(['?', '？']) {
        return true;
    }
    const OPENERS: &[&str] = &[
        "how ",
        "what ",
        "who ",
        "when ",
        "where ",
        "why ",
        "which ",
        "can ",
        "is ",
        "are ",
        "do ",
        "does ",
        "como ",
        "o que ",
        "quem ",
        "quando ",
        "onde ",
        "qual ",
        "quais ",
        "por que ",
        "posso ",
        "如何",
        "怎么",
        "什么",
        "哪",
        "谁",
        "为什么",
        "是否",
        "能否",
    ];
    OPENERS.iter().any(|o| t.starts_with(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(line: &str) -> Command {
        match parse_line(line) {
            Ok(Line::Command(p)) => p.command,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn err(line: &str) -> CmdError {
        match parse_line(line) {
            Err((e, _)) => e,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn badge_commands() {
        assert_eq!(
            cmd("/badge grant @alice hero serverless great Lambda talks"),
            Command::BadgeGrant {
                user: UserRef("alice".into()),
                badge: "hero".into(),
                category: Some("serverless".into()),
                note: Some("great Lambda talks".into())
            }
        );
        assert_eq!(cmd("badge list"), Command::BadgeList);
        assert_eq!(
            // Front ends hand mentions over as `@id` (see bot/src/*/events.rs).
            cmd("/badges @42"),
            Command::Badges {
                user: Some(UserRef("42".into()))
            }
        );
        assert!(matches!(
            err("/badge grant alice hero"),
            CmdError::BadUser { .. }
        ));
        assert!(matches!(
            err("/badge grant @alice wizard"),
            CmdError::UnknownBadge { .. }
        ));
        assert!(matches!(err("/badge grant @alice"), CmdError::Usage { .. }));
        assert_eq!(
            cmd("/audit @bob --limit 5"),
            Command::Audit {
                user: Some(UserRef("bob".into())),
                limit: 5
            }
        );
        assert!(matches!(
            err("/audit --limit 0"),
            CmdError::BadNumber { .. }
        ));
    }

    #[test]
    fn announce_reads_key_values_without_quotes() {
        let Command::Announce(f) = cmd("/announce title: Serverless night start: 2026-12-05 19:00 end:21:00 place: https://meet.example/x description: Talks and pizza") else {
            panic!()
        };
        assert_eq!(f.title.as_deref(), Some("Serverless night"));
        assert_eq!(f.start.as_deref(), Some("2026-12-05 19:00"));
        assert_eq!(f.end.as_deref(), Some("21:00"));
        assert_eq!(f.place.as_deref(), Some("https://meet.example/x"));
        assert_eq!(f.description.as_deref(), Some("Talks and pizza"));
        let Command::Announce(f) =
            cmd("/anunciar Noite Serverless início: 05/12/2026 19h local: \"Rua A: 10\"")
        else {
            panic!()
        };
        assert_eq!(
            (f.title.as_deref(), f.place.as_deref()),
            (Some("Noite Serverless"), Some("Rua A: 10"))
        );
        assert!(matches!(
            err("/event edit e1 colour: red"),
            CmdError::UnknownField { .. }
        ));
    }

    #[test]
    fn volunteer_commands() {
        assert_eq!(
            cmd("/volunteer call e3 host:1 onsite:3 deadline: 2026-12-04 18:00"),
            Command::VolunteerCall {
                event: "e3".into(),
                slots: vec!["host:1".into(), "onsite:3".into()],
                deadline: Some("2026-12-04 18:00".into())
            }
        );
        assert_eq!(
            cmd("volunteer signup v1 host"),
            Command::VolunteerSignup {
                call: "v1".into(),
                role: "host".into()
            }
        );
        assert!(matches!(
            err("/volunteer call e3 host"),
            CmdError::BadSlots { .. }
        ));
    }

    #[test]
    fn plain_text_is_a_question_unless_it_reads_as_a_command() {
        assert_eq!(
            parse_line("How do I become a Community Builder?"),
            Ok(Line::Question)
        );
        assert_eq!(
            parse_line("volunteer opportunities in Recife"),
            Ok(Line::Question)
        );
        assert_eq!(parse_line("events?"), Ok(Line::Question));
        assert_eq!(parse_line("help me find the Hero page"), Ok(Line::Question));
        assert_eq!(cmd("events"), Command::Events);
        assert_eq!(cmd("ajuda"), Command::Help);
        assert!(matches!(
            err("/evnets"),
            CmdError::UnknownCommand {
                suggestion: Some("events"),
                ..
            }
        ));
        assert!(matches!(
            err("/xyzzy"),
            CmdError::UnknownCommand {
                suggestion: None,
                ..
            }
        ));
    }

    #[test]
    fn every_word_in_every_language_reads_as_its_command() {
        // The command (or the usage error) a typed line comes to, by registry path.
        let path = |line: &str| match parse_line(line) {
            Ok(Line::Command(p)) => (p.command.path().to_string(), p.lang),
            Err((CmdError::Usage { command }, lang)) => (command, lang),
            other => panic!("{line}: {other:?}"),
        };
        for c in registry::COMMANDS {
            for (word, lang) in c.all_words() {
                assert_eq!(
                    path(&format!("/{word}")),
                    (c.name.to_string(), lang),
                    "{word}"
                );
                for s in c.subs {
                    for (sub, _) in s.all_words() {
                        let line = format!("/{word} {sub}");
                        assert_eq!(path(&line), (registry::path(c, Some(s)), lang), "{line}");
                    }
                }
            }
        }
        assert_eq!(cmd("徽章"), Command::Badges { user: None });
        assert_eq!(cmd("活动"), Command::Events);
        assert_eq!(cmd("base estatísticas"), Command::KbStats);
        assert_eq!(
            cmd("/活动管理 日历 e1"),
            Command::EventIcs { id: "e1".into() }
        );
    }

    #[test]
    fn buttons_round_trip() {
        assert_eq!(
            parse_button("vol:signup:v2:onsite").unwrap(),
            Command::VolunteerSignup {
                call: "v2".into(),
                role: "onsite".into()
            }
        );
        assert_eq!(
            parse_button("fb:down:abc").unwrap(),
            Command::Feedback {
                question: "abc".into(),
                helpful: false
            }
        );
        assert_eq!(
            parse_button("ask:Community Builders").unwrap(),
            Command::Ask("Community Builders".into())
        );
        assert!(parse_button("rm:-rf").is_err());
    }

    #[test]
    fn help_channel_messages_that_read_as_questions() {
        assert!(reads_as_question("anyone know the CB deadline?"));
        assert!(reads_as_question("como faço para ser voluntário"));
        assert!(reads_as_question("如何成为 Hero"));
        assert!(!reads_as_question("thanks, see you at the meetup"));
    }
}
