//! Commands as typed (`/badge grant @alice hero serverless`), as pressed (button ids), or
//! as built by a front end from structured slash-command options.

use knowledge::Lang;

use crate::error::CmdError;
use crate::events::EventFields;
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
    Feedback {
        question: String,
        helpful: bool,
    },
    KbGaps {
        limit: usize,
    },
    KbReload,
    KbStats,
}

impl Command {
    /// The members the command names.
    pub fn users(&self) -> Vec<&UserRef> {
        match self {
            Command::Next { user } | Command::Badges { user } | Command::Audit { user, .. } => {
                user.iter().collect()
            }
            Command::BadgeGrant { user, .. } | Command::BadgeRevoke { user, .. } => vec![user],
            Command::VolunteerAttended { users, .. } => users.iter().collect(),
            _ => Vec::new(),
        }
    }
}

pub const USAGE_BADGE_GRANT: &str = "badge grant @member BADGE [category] [note]";
pub const USAGE_BADGE_REVOKE: &str = "badge revoke @member BADGE";
pub const USAGE_ANNOUNCE: &str =
    "announce title: TITLE start: 2026-12-05 19:00 [end: 21:00] [place: PLACE OR LINK] [description: TEXT] [role: @ROLE]";
pub const USAGE_EVENT_EDIT: &str =
    "event edit ID [title: …] [start: …] [end: …] [place: …] [description: …]";
pub const USAGE_VOLUNTEER_CALL: &str =
    "volunteer call EVENT_ID host:1 onsite:3 prep:2 [deadline: 2026-12-04 18:00]";
const USAGE_AUDIT: &str = "audit [@member] [--limit N]";
const USAGE_EVENT: &str = "event edit|cancel|ics ID";
const USAGE_SIGNUP: &str = "volunteer signup CALL_ID ROLE";
const USAGE_VOLUNTEER: &str = "volunteer call|signup|withdraw|roster|attended …";
const USAGE_ATTENDED: &str = "volunteer attended CALL_ID @member …";
const USAGE_KB: &str = "kb gaps [N] | kb reload | kb stats";
const USAGE_BADGE: &str = "badge list | badge grant … | badge revoke …";

/// Default and largest numbers of lines for `audit` and `kb gaps`.
pub const DEFAULT_LIST: usize = 20;
pub const MAX_LIST: usize = 200;

/// The command words, with the language their spelling shows.
const WORDS: &[(&str, &str, Option<Lang>)] = &[
    ("help", "help", None),
    ("ajuda", "help", Some(Lang::Pt)),
    ("帮助", "help", Some(Lang::Zh)),
    ("ask", "ask", None),
    ("perguntar", "ask", Some(Lang::Pt)),
    ("问", "ask", Some(Lang::Zh)),
    ("next", "next", None),
    ("proximo", "next", Some(Lang::Pt)),
    ("下一步", "next", Some(Lang::Zh)),
    ("badges", "badges", None),
    ("selos", "badges", Some(Lang::Pt)),
    ("我的徽章", "badges", Some(Lang::Zh)),
    ("badge", "badge", None),
    ("selo", "badge", Some(Lang::Pt)),
    ("徽章", "badge", Some(Lang::Zh)),
    ("audit", "audit", None),
    ("auditoria", "audit", Some(Lang::Pt)),
    ("审计", "audit", Some(Lang::Zh)),
    ("announce", "announce", None),
    ("anunciar", "announce", Some(Lang::Pt)),
    ("发布活动", "announce", Some(Lang::Zh)),
    ("events", "events", None),
    ("eventos", "events", Some(Lang::Pt)),
    ("活动", "events", Some(Lang::Zh)),
    ("event", "event", None),
    ("evento", "event", Some(Lang::Pt)),
    ("volunteer", "volunteer", None),
    ("voluntario", "volunteer", Some(Lang::Pt)),
    ("志愿者", "volunteer", Some(Lang::Zh)),
    ("kb", "kb", None),
];

/// A parsed input, with the language its command word was written in, if it shows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub command: Command,
    pub lang: Option<Lang>,
}

/// What a line of chat is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Command(Parsed),
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
    let Some(&(_, name, lang)) = WORDS.iter().find(|(w, _, _)| fold(w) == fold(first)) else {
        if explicit {
            let given: String = first.chars().take(30).collect();
            let suggestion = WORDS
                .iter()
                .map(|(w, name, _)| {
                    (
                        strsim::normalized_damerau_levenshtein(&fold(&given), &fold(w)),
                        *name,
                    )
                })
                .filter(|(s, _)| *s >= 0.6)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, name)| name);
            return Err((
                CmdError::UnknownCommand {
                    given: format!("/{given}"),
                    suggestion,
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
    match parse_words(name, rest) {
        Ok(command) => Ok(Line::Command(Parsed { command, lang })),
        Err(e) if explicit => Err((e, lang)),
        Err(_) => Ok(Line::Question),
    }
}

fn user(word: Option<&String>) -> Result<Option<UserRef>, CmdError> {
    word.map(|w| UserRef::parse(w)).transpose()
}

fn number(word: &str) -> Result<usize, CmdError> {
    word.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_LIST).contains(n))
        .ok_or(CmdError::BadNumber {
            given: word.chars().take(20).collect(),
            max: MAX_LIST as u32,
        })
}

fn parse_words(name: &str, rest: &str) -> Result<Command, CmdError> {
    let words = tokenize(rest);
    let sub = words.first().map(|w| fold(w));
    let arg = |i: usize| words.get(i);
    let usage = |usage| CmdError::Usage { usage };
    Ok(match name {
        "help" if words.is_empty() => Command::Help,
        "ask" if !rest.is_empty() => Command::Ask(rest.to_string()),
        "ask" => return Err(usage("ask QUESTION")),
        "next" if words.len() <= 1 => Command::Next {
            user: user(arg(0))?,
        },
        "badges" if words.len() <= 1 => Command::Badges {
            user: user(arg(0))?,
        },
        "badge" => match sub.as_deref() {
            Some("list") | Some("lista") | Some("catalog") => Command::BadgeList,
            Some("grant") | Some("dar") | Some("conceder") | Some("授予") => {
                let who = UserRef::parse(arg(1).ok_or(usage(USAGE_BADGE_GRANT))?)?;
                if words.len() < 3 {
                    return Err(usage(USAGE_BADGE_GRANT));
                }
                let (badge, category, note) = crate::badges::split_grant(&words[2..])?;
                Command::BadgeGrant {
                    user: who,
                    badge: badge.id.to_string(),
                    category,
                    note,
                }
            }
            Some("revoke") | Some("revogar") | Some("收回") => {
                let who = UserRef::parse(arg(1).ok_or(usage(USAGE_BADGE_REVOKE))?)?;
                if words.len() < 3 {
                    return Err(usage(USAGE_BADGE_REVOKE));
                }
                Command::BadgeRevoke {
                    user: who,
                    badge: words[2..].join(" "),
                }
            }
            _ => return Err(usage(USAGE_BADGE)),
        },
        "audit" => {
            let (mut who, mut limit) = (None, DEFAULT_LIST);
            let mut i = 0;
            while i < words.len() {
                let w = &words[i];
                if w == "--limit" || w == "-n" {
                    limit = number(arg(i + 1).ok_or(usage(USAGE_AUDIT))?)?;
                    i += 1;
                } else if let Some(n) = w
                    .strip_prefix("--limit=")
                    .or_else(|| w.strip_prefix("limit:"))
                {
                    limit = number(n)?;
                } else if who.is_none() {
                    who = Some(UserRef::parse(w)?);
                } else {
                    return Err(usage(USAGE_AUDIT));
                }
                i += 1;
            }
            Command::Audit { user: who, limit }
        }
        "announce" => Command::Announce(fields(&words, true)?),
        "events" if words.is_empty() => Command::Events,
        "event" => {
            let id = arg(1).ok_or(usage(USAGE_EVENT))?.clone();
            match sub.as_deref() {
                Some("edit") | Some("editar") | Some("修改") => {
                    let fields = fields(&words[2..], false)?;
                    if fields.is_empty() {
                        return Err(usage(USAGE_EVENT_EDIT));
                    }
                    Command::EventEdit { id, fields }
                }
                Some("cancel") | Some("cancelar") | Some("取消") if words.len() == 2 => {
                    Command::EventCancel { id }
                }
                Some("ics") | Some("calendar") | Some("agenda") | Some("日历")
                    if words.len() == 2 =>
                {
                    Command::EventIcs { id }
                }
                _ => return Err(usage(USAGE_EVENT)),
            }
        }
        "volunteer" => match sub.as_deref() {
            Some("call") | Some("chamada") | Some("招募") => {
                let event = arg(1).ok_or(usage(USAGE_VOLUNTEER_CALL))?.clone();
                let mut slots = Vec::new();
                let mut deadline: Option<String> = None;
                for w in &words[2..] {
                    if let Some(d) = &mut deadline {
                        d.push(' ');
                        d.push_str(w);
                    } else if let Some((k, v)) = w.split_once([':', '：']) {
                        if matches!(fold(k).as_str(), "deadline" | "prazo" | "截止" | "报名截止")
                        {
                            deadline = Some(v.to_string());
                        } else {
                            slots.push(w.clone());
                        }
                    } else {
                        return Err(CmdError::BadSlots {
                            given: w.chars().take(40).collect(),
                        });
                    }
                }
                if slots.is_empty() {
                    return Err(usage(USAGE_VOLUNTEER_CALL));
                }
                Command::VolunteerCall {
                    event,
                    slots,
                    deadline: deadline.map(|d| d.trim().to_string()),
                }
            }
            Some("signup") | Some("join") | Some("inscrever") | Some("报名") => {
                match (arg(1), arg(2)) {
                    (Some(call), Some(role)) if words.len() == 3 => Command::VolunteerSignup {
                        call: call.clone(),
                        role: role.clone(),
                    },
                    _ => return Err(usage(USAGE_SIGNUP)),
                }
            }
            Some("withdraw") | Some("leave") | Some("desistir") | Some("退出")
                if words.len() == 2 =>
            {
                Command::VolunteerWithdraw {
                    call: words[1].clone(),
                }
            }
            Some("roster") | Some("lista") | Some("名单") if words.len() == 2 => {
                Command::VolunteerRoster {
                    call: words[1].clone(),
                }
            }
            Some("attended") | Some("presentes") | Some("到场") => {
                let call = arg(1).ok_or(usage(USAGE_ATTENDED))?.clone();
                let users = words[2..]
                    .iter()
                    .map(|w| UserRef::parse(w))
                    .collect::<Result<Vec<_>, _>>()?;
                if users.is_empty() {
                    return Err(usage(USAGE_ATTENDED));
                }
                Command::VolunteerAttended { call, users }
            }
            _ => return Err(usage(USAGE_VOLUNTEER)),
        },
        "kb" => match sub.as_deref() {
            Some("gaps") | Some("lacunas") | Some("缺口") if words.len() <= 2 => {
                Command::KbGaps {
                    limit: arg(1)
                        .map(|n| number(n))
                        .transpose()?
                        .unwrap_or(DEFAULT_LIST),
                }
            }
            Some("reload") | Some("recarregar") | Some("重新加载") if words.len() == 1 => {
                Command::KbReload
            }
            Some("stats") | Some("estatisticas") | Some("统计") if words.len() == 1 => {
                Command::KbStats
            }
            _ => return Err(usage(USAGE_KB)),
        },
        _ => {
            return Err(CmdError::Usage {
                usage: match name {
                    "help" => "help",
                    "next" => "next [@member]",
                    "badges" => "badges [@member]",
                    _ => "events",
                },
            })
        }
    })
}

/// The event field a key names, in any of the three languages.
fn field_key(k: &str) -> Option<&'static str> {
    Some(match fold(k).as_str() {
        "title" | "titulo" | "标题" | "name" | "nome" => "title",
        "start" | "date" | "when" | "inicio" | "data" | "quando" | "开始" | "时间" | "开始时间" => {
            "start"
        }
        "end" | "until" | "fim" | "ate" | "termino" | "结束" | "结束时间" => "end",
        "place" | "where" | "link" | "location" | "local" | "onde" | "地点" | "链接" => "place",
        "description" | "desc" | "about" | "descricao" | "sobre" | "描述" | "说明" | "介绍" => {
            "description"
        }
        "role" | "notify" | "cargo" | "notificar" | "角色" | "通知" => "role",
        _ => return None,
    })
}

const FIELDS_ALLOWED: &str = "title, start, end, place, description, role";

/// Reads `key: value` pairs. A value runs until the next known key, so quotes are needed
/// only for values that contain one. Words before any key are the title when allowed.
pub fn fields(words: &[String], leading_title: bool) -> Result<EventFields, CmdError> {
    let mut f = EventFields::default();
    let mut current: Option<&'static str> = None;
    let mut leading = Vec::new();
    for w in words {
        let split = w
            .split_once([':', '：'])
            .and_then(|(k, v)| field_key(k).map(|k| (k, v)));
        if let Some((k, v)) = split {
            current = Some(k);
            let slot = slot(&mut f, k);
            if slot.is_some() {
                return Err(CmdError::UnknownField {
                    given: format!("{k} (twice)"),
                    allowed: FIELDS_ALLOWED,
                });
            }
            *slot = Some(v.trim().to_string());
        } else if let Some(k) = current {
            let s = slot(&mut f, k).get_or_insert_with(String::new);
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(w);
        } else if leading_title {
            leading.push(w.as_str());
        } else {
            let given = w
                .split_once(':')
                .map_or(w.as_str(), |(k, _)| k)
                .chars()
                .take(30)
                .collect();
            return Err(CmdError::UnknownField {
                given,
                allowed: FIELDS_ALLOWED,
            });
        }
    }
    if !leading.is_empty() {
        if f.title.is_some() {
            return Err(CmdError::UnknownField {
                given: leading.join(" ").chars().take(30).collect(),
                allowed: FIELDS_ALLOWED,
            });
        }
        f.title = Some(leading.join(" "));
    }
    Ok(f)
}

fn slot<'a>(f: &'a mut EventFields, k: &str) -> &'a mut Option<String> {
    match k {
        "title" => &mut f.title,
        "start" => &mut f.start,
        "end" => &mut f.end,
        "place" => &mut f.place,
        "description" => &mut f.description,
        _ => &mut f.role,
    }
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
        ["grant", badge, user] => Command::BadgeGrant {
            user: UserRef::parse(&format!("@{user}"))?,
            badge: badge.to_string(),
            category: None,
            note: None,
        },
        _ if id.starts_with("ask:") && id.len() > 4 => Command::Ask(id[4..].to_string()),
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

/// "What is my next step?" in any of the three languages.
pub fn asks_for_next_step(text: &str) -> bool {
    let t = text.to_lowercase();
    let mine = ["my ", "i ", "meu ", "minha ", "eu ", "我"]
        .iter()
        .any(|w| t.contains(w));
    let next = ["next step", "próximo passo", "proximo passo", "下一步"]
        .iter()
        .any(|w| t.contains(w));
    mine && next && t.chars().count() < 80
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
            cmd("/badges <@42>"),
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

    #[test]
    fn next_step_questions() {
        assert!(asks_for_next_step("What is my next step?"));
        assert!(asks_for_next_step("Qual é o meu próximo passo?"));
        assert!(asks_for_next_step("我的下一步是什么？"));
        assert!(!asks_for_next_step(
            "What is the next step after the application?"
        ));
    }
}
