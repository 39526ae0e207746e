//! The registry: every command the bot understands, declared once — its words in each
//! language, who may use it, its usage line, its descriptions and its typed options.
//!
//! Everything else is made from these declarations, so nothing can drift apart: the text
//! parser ([`crate::parse`]), `help`, the Discord slash commands (names, localizations,
//! options and their mapping back, in the `bot` crate), the Slack slash commands and the
//! Slack app manifest. Adding a command is one declaration here (with the function that
//! builds its [`Command`] from its options) and one handler.

use knowledge::Lang;

use crate::actor::Level;
use crate::error::CmdError;
use crate::events::EventFields;
use crate::parse::{Command, DEFAULT_LIST, MAX_LIST};
use crate::text::{fold, UserRef};

/// A command, or one subcommand of a command that has them (`badge grant`).
#[derive(Debug)]
pub struct Spec {
    /// The canonical (English) name: the Discord slash command and option mapping, the
    /// path in refusals (`badge grant`).
    pub name: &'static str,
    /// The words members type, per language (en, zh, pt); the first of each is the one
    /// shown (in `help`, as the Discord localization and the Slack command).
    pub words: [&'static [&'static str]; 3],
    /// Who may use it. A command with subcommands is as open as its most open one.
    pub level: Level,
    /// One short line per language for slash-command pickers (at most 100 characters).
    pub about: [&'static str; 3],
    /// Its line in `help`, per language; `None` keeps it out (`help` itself, groups).
    pub help: Option<[&'static str; 3]>,
    /// What follows the words in a usage line, per language (`@member BADGE [category]`).
    pub args: [&'static str; 3],
    pub options: &'static [Opt],
    pub subs: &'static [Spec],
    /// Makes the command from its options (commands without subcommands).
    pub build: Option<Builder>,
}

/// Makes a command from its options.
pub type Builder = fn(&Args) -> Result<Command, CmdError>;

/// An option of a command: a slash-command option, and a part of the typed command.
#[derive(Debug)]
pub struct Opt {
    /// The canonical (English) name, as in slash commands and in [`Args`].
    pub name: &'static str,
    /// Its name per language (the first of each is shown); for [`Typed::Key`] and
    /// [`Typed::Flag`] options, the keys members type.
    pub words: [&'static [&'static str]; 3],
    pub kind: Kind,
    /// A slash command cannot be sent without it; typed, a missing word is a usage error
    /// (a missing key is for the command to explain).
    pub required: bool,
    pub about: [&'static str; 3],
    pub typed: Typed,
}

/// What an option's value is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    Integer {
        min: i64,
        max: i64,
    },
    /// A member: `@id` typed, a user picker in slash commands.
    User,
    /// A role or user group: `@&id` (or `@id`) typed, a role picker in slash commands.
    Role,
    /// One of a fixed list (badges, categories).
    Choice(fn() -> Vec<Choice>),
}

/// One value of a [`Kind::Choice`] option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub id: &'static str,
    pub names: [&'static str; 3],
}

/// Where an option stands in a typed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// The next word.
    Word,
    /// The remaining words, each a value (a slash command takes them as one text).
    Words,
    /// The remaining words, as one value.
    Rest,
    /// The rest of the line exactly as typed (a question).
    Line,
    /// `key: value…` after the words, by any of its names; the value runs to the next key.
    Key,
    /// A [`Typed::Key`] that also takes the words before the first key (a title).
    Leading,
    /// `--name N`, `-n N`, `--name=N` or `name:N`, anywhere.
    Flag,
    /// Only in slash commands; typed, it is part of another option (a badge's category).
    Untyped,
}

impl Opt {
    /// Its name in `lang`.
    pub fn word(&self, lang: Lang) -> &'static str {
        self.words[lang as usize][0]
    }

    pub(crate) fn is_key(&self) -> bool {
        matches!(self.typed, Typed::Key | Typed::Leading)
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.name).chain(self.words.iter().flat_map(|w| w.iter().copied()))
    }
}

impl Spec {
    /// Its word in `lang`.
    pub fn word(&self, lang: Lang) -> &'static str {
        self.words[lang as usize][0]
    }

    /// Every word it is typed with, with the language it shows (none for English, which
    /// every member may type).
    pub fn all_words(&self) -> impl Iterator<Item = (&'static str, Option<Lang>)> + '_ {
        Lang::ALL.into_iter().flat_map(move |lang| {
            let shows = (lang != Lang::En).then_some(lang);
            self.words[lang as usize].iter().map(move |w| (*w, shows))
        })
    }

    fn is_word(&self, word: &str) -> bool {
        let want = fold(word);
        self.all_words().any(|(w, _)| fold(w) == want)
    }

    /// The subcommand `word` names.
    pub fn sub(&self, word: &str) -> Option<&'static Spec> {
        self.subs.iter().find(|s| s.is_word(word))
    }

    /// The most open level of it and its subcommands.
    pub fn min_level(&self) -> Level {
        self.subs
            .iter()
            .map(Spec::min_level)
            .min()
            .unwrap_or(self.level)
            .min(self.level)
    }
}

/// The command a word names, with the language the word shows.
pub fn command(word: &str) -> Option<(&'static Spec, Option<Lang>)> {
    let want = fold(word);
    COMMANDS.iter().find_map(|c| {
        c.all_words()
            .find(|(w, _)| fold(w) == want)
            .map(|(_, lang)| (c, lang))
    })
}

/// A command or subcommand by its canonical path (`badge grant`).
pub fn find(path: &str) -> Option<&'static Spec> {
    let mut parts = path.split(' ');
    let first = parts.next()?;
    let top = COMMANDS.iter().find(|c| c.name == first)?;
    match parts.next() {
        None => Some(top),
        Some(sub) => top.subs.iter().find(|s| s.name == sub),
    }
}

/// The canonical path of a command (`badge grant`), for refusals and lookups.
pub fn path(command: &Spec, sub: Option<&Spec>) -> String {
    match sub {
        Some(s) => format!("{} {}", command.name, s.name),
        None => command.name.to_string(),
    }
}

/// The usage line of the command at `path`, in the words of `lang`:
/// `selo conceder @membro SELO [categoria] [nota]`.
pub fn usage(path: &str, lang: Lang) -> String {
    let mut parts = path.split(' ');
    let first = parts.next().unwrap_or("");
    let Some(top) = COMMANDS.iter().find(|c| c.name == first) else {
        return path.to_string();
    };
    let sub = parts
        .next()
        .and_then(|s| top.subs.iter().find(|x| x.name == s));
    usage_of(top, sub, lang)
}

/// The usage line of `top` (or its subcommand `sub`) in the words of `lang`.
pub fn usage_of(top: &Spec, sub: Option<&Spec>, lang: Lang) -> String {
    let spec = sub.unwrap_or(top);
    let mut line = top.word(lang).to_string();
    if let Some(s) = sub {
        line.push(' ');
        line.push_str(s.word(lang));
    } else if !top.subs.is_empty() {
        let subs: Vec<&str> = top.subs.iter().map(|s| s.word(lang)).collect();
        line.push(' ');
        line.push_str(&subs.join("|"));
        line.push_str(" …");
        return line;
    }
    let args = spec.args[lang as usize];
    if !args.is_empty() {
        line.push(' ');
        line.push_str(args);
    }
    line
}

/// The options of one invocation, by canonical option name; each value is the words
/// typed for it (a slash command's text option is one word, or its words for
/// [`Typed::Words`]). Members, roles and numbers are in their typed form (`@id`, `@&id`,
/// `12`), whichever way they came.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    values: Vec<(&'static str, Vec<String>)>,
}

impl Args {
    pub(crate) fn set(&mut self, name: &'static str, words: Vec<String>) {
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, words));
    }

    pub fn has(&self, name: &str) -> bool {
        self.values.iter().any(|(n, _)| *n == name)
    }

    /// The words given for `name`.
    pub fn words(&self, name: &str) -> &[String] {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[], |(_, w)| w.as_slice())
    }

    /// The value of `name`, its words joined by spaces.
    pub fn text(&self, name: &str) -> Option<String> {
        self.has(name).then(|| self.words(name).join(" "))
    }

    fn user(&self, name: &str) -> Result<Option<UserRef>, CmdError> {
        self.text(name).map(|t| UserRef::parse(&t)).transpose()
    }

    fn number(&self, name: &str) -> Result<Option<usize>, CmdError> {
        self.text(name).map(|t| number(&t)).transpose()
    }

    fn fields(&self) -> EventFields {
        EventFields {
            title: self.text("title"),
            start: self.text("start"),
            end: self.text("end"),
            place: self.text("place"),
            description: self.text("description"),
            role: self.text("role"),
            capacity: self.text("capacity"),
            cutoff: self.text("cutoff"),
            repeat: self.text("repeat"),
        }
    }
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

/// A slash command as a front end received it: the command's and the subcommand's
/// canonical names, and each option's value in its typed form (see [`Args`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    pub command: String,
    pub sub: Option<String>,
    pub options: Vec<(String, String)>,
}

/// Makes the command a slash command stands for.
pub fn invoke(inv: &Invocation) -> Result<Command, CmdError> {
    let unknown = || CmdError::UnknownCommand {
        given: format!("/{}", inv.command.chars().take(30).collect::<String>()),
        suggestion: None,
    };
    let top = COMMANDS
        .iter()
        .find(|c| c.name == inv.command)
        .ok_or_else(unknown)?;
    let spec = match (&inv.sub, top.subs.is_empty()) {
        (None, true) => top,
        (Some(sub), false) => top
            .subs
            .iter()
            .find(|s| s.name == sub)
            .ok_or_else(unknown)?,
        _ => {
            return Err(CmdError::Usage {
                command: top.name.into(),
            })
        }
    };
    let mut args = Args::default();
    for (name, value) in &inv.options {
        let Some(opt) = spec.options.iter().find(|o| o.name == name) else {
            continue;
        };
        let words = if opt.typed == Typed::Words {
            value.split_whitespace().map(str::to_string).collect()
        } else {
            vec![value.clone()]
        };
        args.set(opt.name, words);
    }
    let path = path(top, (!std::ptr::eq(top, spec)).then_some(spec));
    if let Some(missing) = spec
        .options
        .iter()
        .find(|o| o.required && !args.has(o.name))
    {
        tracing::debug!("slash command {path} without its option {}", missing.name);
        return Err(CmdError::Usage { command: path });
    }
    build(spec, &args, path)
}

/// Runs a command's builder.
pub(crate) fn build(spec: &Spec, args: &Args, path: String) -> Result<Command, CmdError> {
    match spec.build {
        Some(build) => build(args),
        None => Err(CmdError::Usage { command: path }),
    }
}

// --- The declarations ------------------------------------------------------------------

/// Defaults the declarations below fill in.
pub(crate) const SPEC: Spec = Spec {
    name: "",
    words: [&[], &[], &[]],
    level: Level::Member,
    about: ["", "", ""],
    help: None,
    args: ["", "", ""],
    options: &[],
    subs: &[],
    build: None,
};

pub(crate) const OPT: Opt = Opt {
    name: "",
    words: [&[], &[], &[]],
    kind: Kind::Text,
    required: false,
    about: ["", "", ""],
    typed: Typed::Word,
};

fn badge_choices() -> Vec<Choice> {
    crate::badges::CATALOG
        .iter()
        .map(|b| Choice {
            id: b.id,
            names: Lang::ALL.map(|l| b.name(l)),
        })
        .collect()
}

fn category_choices() -> Vec<Choice> {
    crate::badges::HERO_CATEGORIES
        .iter()
        .map(|c| Choice {
            id: c.id,
            names: Lang::ALL.map(|l| c.name(l)),
        })
        .collect()
}

const MEMBER: Opt = Opt {
    name: "member",
    words: [&["member"], &["成员"], &["membro"]],
    kind: Kind::User,
    about: ["The member", "成员", "O membro"],
    ..OPT
};

const MEMBER_REQUIRED: Opt = Opt {
    required: true,
    ..MEMBER
};

const BADGE: Opt = Opt {
    name: "badge",
    words: [&["badge"], &["徽章"], &["selo"]],
    kind: Kind::Choice(badge_choices),
    required: true,
    about: ["The badge", "徽章", "O selo"],
    ..OPT
};

const CATEGORY: Opt = Opt {
    name: "category",
    words: [&["category"], &["类别"], &["categoria"]],
    kind: Kind::Choice(category_choices),
    about: ["Hero category", "Hero 类别", "Categoria de Hero"],
    typed: Typed::Untyped,
    ..OPT
};

const LIMIT: Opt = Opt {
    name: "limit",
    words: [&["limit", "n"], &["数量"], &["limite"]],
    kind: Kind::Integer {
        min: 1,
        max: MAX_LIST as i64,
    },
    about: ["How many", "条数", "Quantos"],
    typed: Typed::Flag,
    ..OPT
};

const EVENT_ID: Opt = Opt {
    name: "id",
    words: [&["id"], &["编号"], &["id"]],
    required: true,
    about: [
        "Event id, e.g. e3",
        "活动编号，如 e3",
        "Id do evento, ex. e3",
    ],
    ..OPT
};

const CALL_ID: Opt = Opt {
    name: "call",
    words: [&["call"], &["招募"], &["chamada"]],
    required: true,
    about: [
        "Call id, e.g. v2",
        "招募编号，如 v2",
        "Id da chamada, ex. v2",
    ],
    ..OPT
};

const TITLE: Opt = Opt {
    name: "title",
    words: [&["title", "name"], &["标题"], &["título", "nome"]],
    about: ["Title", "标题", "Título"],
    typed: Typed::Key,
    ..OPT
};

const START: Opt = Opt {
    name: "start",
    words: [
        &["start", "date", "when"],
        &["开始时间", "开始", "时间"],
        &["início", "data", "quando"],
    ],
    about: [
        "Start, e.g. 2026-12-05 19:00",
        "开始时间，如 2026-12-05 19:00",
        "Início, ex. 05/12/2026 19:00",
    ],
    typed: Typed::Key,
    ..OPT
};

const END: Opt = Opt {
    name: "end",
    words: [
        &["end", "until"],
        &["结束时间", "结束"],
        &["fim", "até", "término"],
    ],
    about: [
        "End (a time or a date and time)",
        "结束时间",
        "Fim (hora, ou data e hora)",
    ],
    typed: Typed::Key,
    ..OPT
};

const PLACE: Opt = Opt {
    name: "place",
    words: [
        &["place", "where", "link", "location"],
        &["地点", "链接"],
        &["local", "onde"],
    ],
    about: ["Place or link", "地点或链接", "Local ou link"],
    typed: Typed::Key,
    ..OPT
};

const DESCRIPTION: Opt = Opt {
    name: "description",
    words: [
        &["description", "desc", "about"],
        &["描述", "说明", "介绍"],
        &["descrição", "sobre"],
    ],
    about: ["Description", "描述", "Descrição"],
    typed: Typed::Key,
    ..OPT
};

const NOTIFY: Opt = Opt {
    name: "role",
    words: [
        &["role", "notify"],
        &["通知角色", "角色", "通知"],
        &["cargo", "notificar"],
    ],
    kind: Kind::Role,
    about: ["Role to notify", "要通知的角色", "Cargo a notificar"],
    typed: Typed::Key,
    ..OPT
};

const CAPACITY: Opt = Opt {
    name: "capacity",
    words: [
        &["capacity", "seats", "places"],
        &["人数上限", "名额"],
        &["vagas", "capacidade", "lotação"],
    ],
    kind: Kind::Integer {
        min: 0,
        max: crate::events::MAX_CAPACITY as i64,
    },
    about: [
        "Most people going (0: no limit)",
        "人数上限（0 为不限）",
        "Máximo de participantes (0: sem limite)",
    ],
    typed: Typed::Key,
    ..OPT
};

const CUTOFF: Opt = Opt {
    name: "cutoff",
    words: [
        &["cutoff", "rsvp-by", "rsvpby"],
        &["报名截止时间", "截止时间"],
        &["confirmar-até", "prazo"],
    ],
    about: [
        "When RSVPs close (default: the start)",
        "报名截止时间（默认为开始时间）",
        "Quando as confirmações fecham (padrão: o início)",
    ],
    typed: Typed::Key,
    ..OPT
};

const REPEAT: Opt = Opt {
    name: "repeat",
    words: [
        &["repeat", "every", "recurring"],
        &["重复"],
        &["repetir", "repete", "recorrência"],
    ],
    about: [
        "Repeat, e.g. every first Thursday until 2027-06-30",
        "重复，如 每月第一个星期四 直到 2027-06-30",
        "Repetir, ex. toda primeira quinta até 30/06/2027",
    ],
    typed: Typed::Key,
    ..OPT
};

/// The fields of an event, as `announce` takes them: a title may also lead.
const ANNOUNCE_FIELDS: &[Opt] = &[
    Opt {
        required: true,
        typed: Typed::Leading,
        ..TITLE
    },
    Opt {
        required: true,
        ..START
    },
    END,
    PLACE,
    DESCRIPTION,
    NOTIFY,
    CAPACITY,
    CUTOFF,
    REPEAT,
];

/// `event edit ID` and the fields to change.
const EDIT_FIELDS: &[Opt] = &[
    EVENT_ID,
    TITLE,
    START,
    END,
    PLACE,
    DESCRIPTION,
    NOTIFY,
    CAPACITY,
    CUTOFF,
];

const SERIES_ID: Opt = Opt {
    name: "id",
    words: [&["id"], &["编号"], &["id"]],
    required: true,
    about: [
        "Series id, e.g. s1",
        "系列编号，如 s1",
        "Id da série, ex. s1",
    ],
    ..OPT
};

/// `series edit ID` and the fields to change (a start is a time of day).
const SERIES_FIELDS: &[Opt] = &[
    SERIES_ID,
    TITLE,
    START,
    END,
    PLACE,
    DESCRIPTION,
    NOTIFY,
    CAPACITY,
];

fn answer_choices() -> Vec<Choice> {
    vec![
        Choice {
            id: "yes",
            names: ["Going", "参加", "Vou"],
        },
        Choice {
            id: "no",
            names: ["Not going", "不参加", "Não vou"],
        },
    ]
}

/// Going or not, as typed: `yes`, `no`, `not going`, `sim`, `não vou`, `参加`, `不去`, ….
fn going(answer: Option<String>) -> Result<bool, CmdError> {
    let Some(a) = answer else { return Ok(true) };
    match fold(&a).as_str() {
        "yes" | "y" | "going" | "go" | "sim" | "s" | "vou" | "参加" | "去" | "是" | "会去" => {
            Ok(true)
        }
        "no" | "n" | "not" | "notgoing" | "nao" | "naovou" | "不参加" | "不去" | "不" | "否" => {
            Ok(false)
        }
        _ => Err(CmdError::usage("rsvp")),
    }
}

/// Every command, in the order `help` shows them.
pub const COMMANDS: &[Spec] = &[
    Spec {
        name: "help",
        words: [&["help"], &["帮助"], &["ajuda"]],
        about: [
            "What I can do for you",
            "我能为你做什么",
            "O que posso fazer por você",
        ],
        args: ["[COMMAND]", "[命令]", "[COMANDO]"],
        options: &[Opt {
            name: "command",
            words: [&["command"], &["命令"], &["comando"]],
            about: [
                "A command to explain, e.g. volunteer",
                "要说明的命令，如 志愿者",
                "Um comando para explicar, ex. voluntário",
            ],
            typed: Typed::Rest,
            ..OPT
        }],
        build: Some(|a| {
            let Some(topic) = a.text("command").filter(|t| !t.trim().is_empty()) else {
                return Ok(Command::Help);
            };
            // Typed without a slash, "help me find …" is a question, not a topic.
            let first = topic.split_whitespace().next().unwrap_or("");
            if command(first).is_none() {
                return Err(CmdError::UnknownTopic {
                    given: topic.chars().take(30).collect(),
                    suggestion: crate::parse::closest_word(first),
                });
            }
            Ok(Command::HelpTopic(topic))
        }),
        ..SPEC
    },
    Spec {
        name: "ask",
        words: [&["ask"], &["提问", "问"], &["perguntar"]],
        about: [
            "Ask about the community programs",
            "询问社区计划",
            "Pergunte sobre os programas da comunidade",
        ],
        help: Some([
            "answer a question about the community programs (or just type the question)",
            "回答关于社区计划的问题（也可以直接输入问题）",
            "responde a uma pergunta sobre os programas da comunidade (ou apenas digite a pergunta)",
        ]),
        args: ["QUESTION", "问题", "PERGUNTA"],
        options: &[Opt {
            name: "question",
            words: [&["question"], &["问题"], &["pergunta"]],
            required: true,
            about: ["Your question", "你的问题", "Sua pergunta"],
            typed: Typed::Line,
            ..OPT
        }],
        build: Some(|a| Ok(Command::Ask(a.text("question").unwrap_or_default()))),
        ..SPEC
    },
    Spec {
        name: "next",
        words: [&["next"], &["下一步"], &["próximo", "proximo"]],
        about: [
            "Your next step on the growth path",
            "你在成长路径上的下一步",
            "Seu próximo passo na trilha",
        ],
        help: Some([
            "your next step on the growth path",
            "你在成长路径上的下一步",
            "seu próximo passo na trilha de crescimento",
        ]),
        options: &[MEMBER],
        build: Some(|a| {
            Ok(Command::Next {
                user: a.user("member")?,
            })
        }),
        ..SPEC
    },
    Spec {
        name: "badges",
        words: [&["badges"], &["徽章", "我的徽章"], &["selos"]],
        about: ["A member's badges", "成员的徽章", "Os selos de um membro"],
        help: Some([
            "the badges a member holds",
            "查看成员的徽章",
            "os selos de um membro",
        ]),
        args: ["[@member]", "[@成员]", "[@membro]"],
        options: &[MEMBER],
        build: Some(|a| {
            Ok(Command::Badges {
                user: a.user("member")?,
            })
        }),
        ..SPEC
    },
    Spec {
        name: "badge",
        words: [&["badge"], &["徽章管理"], &["selo"]],
        about: [
            "Badges: list, grant, revoke",
            "徽章：列表、授予、收回",
            "Selos: listar, conceder, revogar",
        ],
        subs: &[
            Spec {
                name: "list",
                words: [&["list", "catalog"], &["列表"], &["lista"]],
                about: ["All badges", "全部徽章", "Todos os selos"],
                help: Some([
                    "all badges and the growth path",
                    "全部徽章和成长路径",
                    "todos os selos e a trilha de crescimento",
                ]),
                build: Some(|_| Ok(Command::BadgeList)),
                ..SPEC
            },
            Spec {
                name: "grant",
                words: [&["grant"], &["授予"], &["conceder", "dar"]],
                level: Level::Admin,
                about: [
                    "Grant a badge (admins)",
                    "授予徽章（管理员）",
                    "Conceder um selo (administradores)",
                ],
                help: Some(["grant a badge", "授予徽章", "concede um selo"]),
                args: [
                    "@member BADGE [category] [note]",
                    "@成员 徽章 [类别] [备注]",
                    "@membro SELO [categoria] [nota]",
                ],
                options: &[
                    MEMBER_REQUIRED,
                    Opt {
                        typed: Typed::Rest,
                        ..BADGE
                    },
                    CATEGORY,
                    Opt {
                        name: "note",
                        words: [&["note"], &["备注"], &["nota"]],
                        about: [
                            "A note for the audit log",
                            "审计日志备注",
                            "Nota para o registro",
                        ],
                        typed: Typed::Untyped,
                        ..OPT
                    },
                ],
                build: Some(build_grant),
                ..SPEC
            },
            Spec {
                name: "revoke",
                words: [&["revoke"], &["收回"], &["revogar"]],
                level: Level::Admin,
                about: [
                    "Take a badge back (admins)",
                    "收回徽章（管理员）",
                    "Revogar um selo (administradores)",
                ],
                help: Some([
                    "take a badge back (a Hero category: only that one)",
                    "收回徽章（Hero 类别：只收回该类别）",
                    "revoga um selo (uma categoria de Hero: só ela)",
                ]),
                args: [
                    "@member BADGE [category]",
                    "@成员 徽章 [类别]",
                    "@membro SELO [categoria]",
                ],
                options: &[
                    MEMBER_REQUIRED,
                    Opt {
                        typed: Typed::Rest,
                        ..BADGE
                    },
                    CATEGORY,
                ],
                build: Some(build_revoke),
                ..SPEC
            },
        ],
        ..SPEC
    },
    Spec {
        name: "audit",
        words: [&["audit"], &["审计"], &["auditoria"]],
        level: Level::Admin,
        about: [
            "Badge changes, newest first",
            "徽章变更记录",
            "Mudanças de selos, da mais recente",
        ],
        help: Some([
            "who granted and revoked what, newest first",
            "谁授予或收回了什么（最新在前）",
            "quem concedeu e revogou o quê, do mais recente",
        ]),
        args: [
            "[@member] [--limit N]",
            "[@成员] [--limit N]",
            "[@membro] [--limit N]",
        ],
        options: &[MEMBER, LIMIT],
        build: Some(|a| {
            Ok(Command::Audit {
                user: a.user("member")?,
                limit: a.number("limit")?.unwrap_or(DEFAULT_LIST),
            })
        }),
        ..SPEC
    },
    Spec {
        name: "announce",
        words: [&["announce"], &["发布活动"], &["anunciar"]],
        level: Level::Organizer,
        about: ["Announce an event", "发布活动", "Anunciar um evento"],
        help: Some([
            "announce an event in the announcement channel",
            "在公告频道发布活动",
            "anuncia um evento no canal de anúncios",
        ]),
        args: [
            "title: TITLE start: 2026-12-05 19:00 [end: 21:00] [place: PLACE OR LINK] [description: TEXT] [role: @ROLE] [capacity: N] [cutoff: DATE] [repeat: every first Thursday until 2027-06-30]",
            "标题: 标题 开始时间: 2026-12-05 19:00 [结束时间: 21:00] [地点: 地点或链接] [描述: 文字] [通知角色: @角色] [人数上限: N] [报名截止时间: 日期] [重复: 每月第一个星期四 直到 2027-06-30]",
            "título: TÍTULO início: 05/12/2026 19:00 [fim: 21:00] [local: LOCAL OU LINK] [descrição: TEXTO] [cargo: @CARGO] [vagas: N] [prazo: DATA] [repetir: toda primeira quinta até 30/06/2027]",
        ],
        options: ANNOUNCE_FIELDS,
        build: Some(|a| Ok(Command::Announce(a.fields()))),
        ..SPEC
    },
    Spec {
        name: "events",
        words: [&["events"], &["活动", "活动列表"], &["eventos"]],
        about: ["Upcoming events", "近期活动", "Próximos eventos"],
        help: Some(["upcoming events", "近期活动", "próximos eventos"]),
        build: Some(|_| Ok(Command::Events)),
        ..SPEC
    },
    Spec {
        name: "rsvp",
        words: [&["rsvp"], &["参加", "报名参加"], &["participar", "confirmar"]],
        about: [
            "Say you are going to an event (or not)",
            "报名参加活动（或取消）",
            "Confirmar presença num evento (ou não)",
        ],
        help: Some([
            "say you are going to an event, or not (or press its buttons)",
            "报名参加活动或取消（也可以点公告上的按钮）",
            "confirme que vai a um evento, ou não (ou aperte os botões)",
        ]),
        args: ["EVENT [yes|no]", "活动编号 [参加|不参加]", "EVENTO [sim|não]"],
        options: &[
            Opt {
                name: "event",
                words: [&["event"], &["活动"], &["evento"]],
                required: true,
                about: ["Event id, e.g. e3", "活动编号，如 e3", "Id do evento, ex. e3"],
                ..OPT
            },
            Opt {
                name: "answer",
                words: [&["answer", "going"], &["回复"], &["resposta"]],
                kind: Kind::Choice(answer_choices),
                about: ["Going or not (default: going)", "参加或不参加（默认参加）", "Vou ou não vou (padrão: vou)"],
                typed: Typed::Rest,
                ..OPT
            },
        ],
        build: Some(|a| {
            Ok(Command::Rsvp {
                event: a.text("event").unwrap_or_default(),
                going: going(a.text("answer"))?,
            })
        }),
        ..SPEC
    },
    Spec {
        name: "checkin",
        words: [&["checkin", "check-in"], &["签到"], &["presença", "presenca"]],
        about: [
            "Check in at an event with its code",
            "用签到码在活动现场签到",
            "Fazer check-in num evento com o código",
        ],
        help: Some([
            "check in at the door with the code shown there",
            "在门口用现场展示的签到码签到",
            "faça check-in na entrada com o código mostrado lá",
        ]),
        args: ["CODE", "签到码", "CÓDIGO"],
        options: &[Opt {
            name: "code",
            words: [&["code"], &["签到码"], &["código"]],
            required: true,
            about: ["The code at the door", "门口的签到码", "O código da entrada"],
            typed: Typed::Rest,
            ..OPT
        }],
        build: Some(|a| {
            Ok(Command::Checkin {
                code: a.text("code").unwrap_or_default(),
            })
        }),
        ..SPEC
    },
    Spec {
        name: "event",
        words: [&["event"], &["活动管理"], &["evento"]],
        about: [
            "Change, cancel or export an event",
            "修改、取消或导出活动",
            "Alterar, cancelar ou exportar um evento",
        ],
        subs: &[
            Spec {
                name: "edit",
                words: [&["edit"], &["修改"], &["editar"]],
                level: Level::Organizer,
                about: ["Change your event", "修改活动", "Alterar seu evento"],
                help: Some(["change your event", "修改你的活动", "altera seu evento"]),
                args: [
                    "ID [title: …] [start: …] [end: …] [place: …] [description: …]",
                    "编号 [标题: …] [开始时间: …] [结束时间: …] [地点: …] [描述: …]",
                    "ID [título: …] [início: …] [fim: …] [local: …] [descrição: …]",
                ],
                options: EDIT_FIELDS,
                build: Some(|a| {
                    let fields = a.fields();
                    if fields.is_empty() {
                        return Err(CmdError::usage("event edit"));
                    }
                    Ok(Command::EventEdit {
                        id: a.text("id").unwrap_or_default(),
                        fields,
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "cancel",
                words: [&["cancel"], &["取消"], &["cancelar"]],
                level: Level::Organizer,
                about: ["Cancel your event", "取消活动", "Cancelar seu evento"],
                help: Some([
                    "cancel your event and tell its volunteers",
                    "取消你的活动并通知志愿者",
                    "cancela seu evento e avisa os voluntários",
                ]),
                args: ["ID", "编号", "ID"],
                options: &[EVENT_ID],
                build: Some(|a| {
                    Ok(Command::EventCancel {
                        id: a.text("id").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "attendees",
                words: [&["attendees", "going", "rsvps"], &["参加名单"], &["participantes"]],
                level: Level::Organizer,
                about: [
                    "Who is going, waiting, checked in",
                    "参加、候补和签到名单",
                    "Quem vai, espera, fez check-in",
                ],
                help: Some([
                    "who is going, waiting and checked in, with the counts",
                    "查看参加、候补和签到的人数与名单",
                    "quem vai, quem espera e quem fez check-in, com as contagens",
                ]),
                args: ["ID", "编号", "ID"],
                options: &[EVENT_ID],
                build: Some(|a| {
                    Ok(Command::EventAttendees {
                        id: a.text("id").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "checkin",
                words: [&["checkin", "check-in", "door"], &["开启签到", "签到"], &["checkin", "abrir-checkin"]],
                level: Level::Organizer,
                about: [
                    "Open check-in: a code and a QR image",
                    "开启签到：签到码和二维码",
                    "Abrir o check-in: código e QR",
                ],
                help: Some([
                    "open check-in at the door: a short code and its QR image",
                    "开启现场签到：获得签到码和二维码",
                    "abre o check-in na entrada: um código curto e seu QR",
                ]),
                args: ["ID", "编号", "ID"],
                options: &[EVENT_ID],
                build: Some(|a| {
                    Ok(Command::EventCheckin {
                        id: a.text("id").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "present",
                words: [&["present"], &["到场"], &["presente", "presentes"]],
                level: Level::Organizer,
                about: [
                    "Mark members present",
                    "登记成员到场",
                    "Marcar membros presentes",
                ],
                help: Some([
                    "mark members present at your event",
                    "为成员登记到场",
                    "marca membros como presentes no seu evento",
                ]),
                args: ["ID @member …", "编号 @成员 …", "ID @membro …"],
                options: &[
                    EVENT_ID,
                    Opt {
                        name: "members",
                        words: [&["members"], &["成员"], &["membros"]],
                        required: true,
                        about: [
                            "Mentions of those who came",
                            "到场成员的提及",
                            "Menções de quem veio",
                        ],
                        typed: Typed::Words,
                        ..OPT
                    },
                ],
                build: Some(|a| {
                    let users = a
                        .words("members")
                        .iter()
                        .map(|w| UserRef::parse(w))
                        .collect::<Result<Vec<_>, _>>()?;
                    if users.is_empty() {
                        return Err(CmdError::usage("event present"));
                    }
                    Ok(Command::EventPresent {
                        id: a.text("id").unwrap_or_default(),
                        users,
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "forgive",
                words: [&["forgive", "clear-noshows"], &["清除缺席"], &["perdoar", "limpar-faltas"]],
                level: Level::Admin,
                about: [
                    "Clear a member's no-shows (admins)",
                    "清除成员的缺席记录（管理员）",
                    "Apagar as faltas de um membro (administradores)",
                ],
                help: Some([
                    "clear a member's no-shows and their waitlist period",
                    "清除成员的缺席记录和候补期",
                    "apaga as faltas de um membro e o período na lista de espera",
                ]),
                args: ["@member", "@成员", "@membro"],
                options: &[MEMBER_REQUIRED],
                build: Some(|a| {
                    Ok(Command::EventForgive {
                        user: a.user("member")?.ok_or(CmdError::usage("event forgive"))?,
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "ics",
                words: [&["ics", "calendar"], &["日历"], &["agenda"]],
                about: ["Calendar file", "日历文件", "Arquivo de agenda"],
                help: Some([
                    "an event as a calendar file",
                    "活动的日历文件",
                    "um evento como arquivo de agenda",
                ]),
                args: ["ID", "编号", "ID"],
                options: &[EVENT_ID],
                build: Some(|a| {
                    Ok(Command::EventIcs {
                        id: a.text("id").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
        ],
        ..SPEC
    },
    Spec {
        name: "series",
        words: [&["series"], &["系列"], &["série", "serie"]],
        about: [
            "Recurring events: show, edit, cancel",
            "系列活动：查看、修改、取消",
            "Eventos recorrentes: ver, alterar, cancelar",
        ],
        subs: &[
            Spec {
                name: "show",
                words: [&["show", "list"], &["查看"], &["ver", "mostrar"]],
                about: ["A series and its dates", "系列及其日期", "Uma série e suas datas"],
                help: Some([
                    "a recurring series and its dates",
                    "查看系列活动及其日期",
                    "uma série recorrente e suas datas",
                ]),
                args: ["ID", "编号", "ID"],
                options: &[SERIES_ID],
                build: Some(|a| {
                    Ok(Command::SeriesShow {
                        id: a.text("id").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "edit",
                words: [&["edit"], &["修改"], &["editar"]],
                level: Level::Organizer,
                about: [
                    "Change every occurrence ahead",
                    "修改所有未举行的场次",
                    "Alterar todas as ocorrências futuras",
                ],
                help: Some([
                    "change a series and every occurrence still ahead (start: a time of day)",
                    "修改系列及所有未举行的场次（开始时间：每天的时刻）",
                    "altera uma série e todas as ocorrências futuras (início: um horário)",
                ]),
                args: [
                    "ID [title: …] [start: 19:30] [end: …] [place: …] [capacity: …]",
                    "编号 [标题: …] [开始时间: 19:30] [结束时间: …] [地点: …] [人数上限: …]",
                    "ID [título: …] [início: 19h30] [fim: …] [local: …] [vagas: …]",
                ],
                options: SERIES_FIELDS,
                build: Some(|a| {
                    let fields = a.fields();
                    if fields.is_empty() {
                        return Err(CmdError::usage("series edit"));
                    }
                    Ok(Command::SeriesEdit {
                        id: a.text("id").unwrap_or_default(),
                        fields,
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "cancel",
                words: [&["cancel"], &["取消"], &["cancelar"]],
                level: Level::Organizer,
                about: [
                    "Cancel a series, or one day of it",
                    "取消整个系列或其中一天",
                    "Cancelar uma série, ou um dia dela",
                ],
                help: Some([
                    "cancel a whole series, or the occurrence on one day",
                    "取消整个系列，或其中某一天的场次",
                    "cancela a série inteira, ou a ocorrência de um dia",
                ]),
                args: ["ID [DAY]", "编号 [日期]", "ID [DIA]"],
                options: &[
                    SERIES_ID,
                    Opt {
                        name: "day",
                        words: [&["day", "date"], &["日期"], &["dia", "data"]],
                        about: [
                            "Only this day, e.g. 2027-01-07",
                            "只取消这一天，如 2027-01-07",
                            "Só este dia, ex. 07/01/2027",
                        ],
                        typed: Typed::Rest,
                        ..OPT
                    },
                ],
                build: Some(|a| {
                    Ok(Command::SeriesCancel {
                        id: a.text("id").unwrap_or_default(),
                        day: a.text("day"),
                    })
                }),
                ..SPEC
            },
        ],
        ..SPEC
    },
    Spec {
        name: "volunteer",
        words: [&["volunteer"], &["志愿者"], &["voluntário", "voluntario"]],
        about: [
            "Volunteer calls",
            "志愿者招募",
            "Chamadas de voluntários",
        ],
        subs: &[
            Spec {
                name: "call",
                words: [&["call"], &["招募"], &["chamada"]],
                level: Level::Organizer,
                about: [
                    "Ask for volunteers (organizers)",
                    "招募志愿者（组织者）",
                    "Pedir voluntários (organizadores)",
                ],
                help: Some([
                    "ask for volunteers, with a sign-up button per role",
                    "招募志愿者，每个岗位一个报名按钮",
                    "pede voluntários, com um botão de inscrição por função",
                ]),
                args: [
                    "EVENT_ID host:1 onsite:3 prep:2 [deadline: 2026-12-04 18:00]",
                    "活动编号 host:1 onsite:3 prep:2 [截止: 2026-12-04 18:00]",
                    "ID_DO_EVENTO host:1 onsite:3 prep:2 [prazo: 04/12/2026 18:00]",
                ],
                options: &[
                    Opt {
                        name: "event",
                        words: [&["event"], &["活动"], &["evento"]],
                        required: true,
                        about: ["Event id", "活动编号", "Id do evento"],
                        ..OPT
                    },
                    Opt {
                        name: "roles",
                        words: [&["roles"], &["岗位"], &["funções"]],
                        required: true,
                        about: [
                            "Roles and places, e.g. host:1 onsite:3",
                            "岗位和人数，如 host:1 onsite:3",
                            "Funções e vagas, ex. host:1 onsite:3",
                        ],
                        typed: Typed::Words,
                        ..OPT
                    },
                    Opt {
                        name: "deadline",
                        words: [&["deadline"], &["截止", "报名截止"], &["prazo"]],
                        about: [
                            "Sign-up deadline",
                            "报名截止时间",
                            "Prazo de inscrição",
                        ],
                        typed: Typed::Key,
                        ..OPT
                    },
                ],
                build: Some(build_call),
                ..SPEC
            },
            Spec {
                name: "signup",
                words: [&["signup", "join"], &["报名"], &["inscrever"]],
                about: ["Sign up for a role", "报名岗位", "Inscrever-se numa função"],
                help: Some([
                    "volunteer for a role (or press its button)",
                    "报名志愿者岗位（或点按钮）",
                    "inscreva-se numa função (ou aperte o botão)",
                ]),
                args: ["CALL ROLE", "招募编号 岗位", "CHAMADA FUNÇÃO"],
                options: &[
                    CALL_ID,
                    Opt {
                        name: "role",
                        words: [&["role"], &["岗位"], &["função"]],
                        required: true,
                        about: ["Role", "岗位", "Função"],
                        ..OPT
                    },
                ],
                build: Some(|a| {
                    Ok(Command::VolunteerSignup {
                        call: a.text("call").unwrap_or_default(),
                        role: a.text("role").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "withdraw",
                words: [&["withdraw", "leave"], &["退出"], &["desistir"]],
                about: ["Give your place back", "退出", "Desistir da vaga"],
                help: Some([
                    "give your place back",
                    "退出志愿者岗位",
                    "desista da sua vaga",
                ]),
                args: ["CALL", "招募编号", "CHAMADA"],
                options: &[CALL_ID],
                build: Some(|a| {
                    Ok(Command::VolunteerWithdraw {
                        call: a.text("call").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "roster",
                words: [&["roster"], &["名单"], &["lista"]],
                level: Level::Organizer,
                about: [
                    "Who signed up (organizers)",
                    "报名名单（组织者）",
                    "Inscritos (organizadores)",
                ],
                help: Some([
                    "who signed up, per role, and the waitlists",
                    "按岗位查看报名名单和候补",
                    "quem se inscreveu, por função, e as listas de espera",
                ]),
                args: ["CALL", "招募编号", "CHAMADA"],
                options: &[CALL_ID],
                build: Some(|a| {
                    Ok(Command::VolunteerRoster {
                        call: a.text("call").unwrap_or_default(),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "attended",
                words: [&["attended"], &["到场"], &["presentes"]],
                level: Level::Organizer,
                about: [
                    "Mark who showed up (organizers)",
                    "登记到场（组织者）",
                    "Marcar presença (organizadores)",
                ],
                help: Some([
                    "mark who showed up, after the event",
                    "活动后登记到场的志愿者",
                    "marca quem compareceu, depois do evento",
                ]),
                args: ["CALL @member …", "招募编号 @成员 …", "CHAMADA @membro …"],
                options: &[
                    CALL_ID,
                    Opt {
                        name: "members",
                        words: [&["members"], &["成员"], &["membros"]],
                        required: true,
                        about: [
                            "Mentions of those who came",
                            "到场成员的提及",
                            "Menções de quem veio",
                        ],
                        typed: Typed::Words,
                        ..OPT
                    },
                ],
                build: Some(|a| {
                    let users = a
                        .words("members")
                        .iter()
                        .map(|w| UserRef::parse(w))
                        .collect::<Result<Vec<_>, _>>()?;
                    if users.is_empty() {
                        return Err(CmdError::usage("volunteer attended"));
                    }
                    Ok(Command::VolunteerAttended {
                        call: a.text("call").unwrap_or_default(),
                        users,
                    })
                }),
                ..SPEC
            },
        ],
        ..SPEC
    },
    Spec {
        name: "kb",
        words: [&["kb"], &["知识库"], &["base"]],
        about: [
            "The knowledge base",
            "知识库",
            "A base de conhecimento",
        ],
        subs: &[
            Spec {
                name: "stats",
                words: [&["stats"], &["统计"], &["estatísticas", "estatisticas"]],
                about: ["What it holds", "统计", "O que contém"],
                help: Some([
                    "what the knowledge base holds",
                    "知识库的内容统计",
                    "o que a base de conhecimento contém",
                ]),
                build: Some(|_| Ok(Command::KbStats)),
                ..SPEC
            },
            Spec {
                name: "gaps",
                words: [&["gaps"], &["缺口"], &["lacunas"]],
                level: Level::Admin,
                about: [
                    "Unanswered questions (admins)",
                    "未答出的问题（管理员）",
                    "Perguntas sem resposta (administradores)",
                ],
                help: Some([
                    "questions the bot could not answer or that were voted down",
                    "机器人答不出或被投反对票的问题",
                    "perguntas sem resposta ou com voto negativo",
                ]),
                args: ["[N]", "[N]", "[N]"],
                options: &[Opt {
                    typed: Typed::Word,
                    ..LIMIT
                }],
                build: Some(|a| {
                    Ok(Command::KbGaps {
                        limit: a.number("limit")?.unwrap_or(DEFAULT_LIST),
                    })
                }),
                ..SPEC
            },
            Spec {
                name: "reload",
                words: [&["reload"], &["重新加载"], &["recarregar"]],
                level: Level::Admin,
                about: [
                    "Re-read the documents (admins)",
                    "重新加载（管理员）",
                    "Reler os documentos (administradores)",
                ],
                help: Some([
                    "re-read the knowledge base documents now",
                    "立即重新读取知识库文档",
                    "relê agora os documentos da base de conhecimento",
                ]),
                build: Some(|_| Ok(Command::KbReload)),
                ..SPEC
            },
        ],
        ..SPEC
    },
    crate::talks::specs::TRACK,
    crate::talks::specs::TALKS,
    Spec {
        name: "dashboard",
        words: [&["dashboard"], &["控制台", "仪表盘"], &["painel"]],
        about: [
            "A sign-in link for the web dashboard",
            "网页控制台的登录链接",
            "Um link de acesso ao painel web",
        ],
        help: Some([
            "a one-time link that signs you in to the web dashboard (events, rosters, badges)",
            "一次性登录网页控制台的链接（活动、名单、徽章）",
            "um link de uso único para entrar no painel web (eventos, listas, selos)",
        ]),
        build: Some(|_| Ok(Command::Dashboard)),
        ..SPEC
    },
    Spec {
        name: "link",
        words: [&["link"], &["关联账号", "关联"], &["vincular"]],
        about: [
            "One member on Discord and Slack",
            "在 Discord 和 Slack 上是同一位成员",
            "Um membro só no Discord e no Slack",
        ],
        help: Some([
            "link your accounts on Discord and Slack: `link` gives a code, `link CODE` on the other platform uses it",
            "关联你在 Discord 和 Slack 上的账号：`link` 获取代码，在另一个平台发送 `link 代码` 使用它",
            "vincula suas contas do Discord e do Slack: `link` dá um código, `link CÓDIGO` na outra plataforma usa",
        ]),
        args: ["[CODE]", "[代码]", "[CÓDIGO]"],
        options: &[Opt {
            name: "code",
            words: [&["code"], &["代码"], &["codigo"]],
            about: [
                "The code from the other platform",
                "另一个平台上获得的代码",
                "O código da outra plataforma",
            ],
            ..OPT
        }],
        build: Some(|a| {
            let code = a.text("code");
            // "link for the CB page" typed without a slash is a question, not a code.
            if let Some(c) = &code {
                if crate::link::normalize(c).is_none() {
                    return Err(CmdError::BadLinkCode {
                        given: c.chars().take(20).collect(),
                    });
                }
            }
            Ok(Command::Link { code })
        }),
        ..SPEC
    },
    Spec {
        name: "unlink",
        words: [&["unlink"], &["解除关联"], &["desvincular"]],
        about: [
            "Undo the link of your accounts",
            "解除账号关联",
            "Desfazer o vínculo das contas",
        ],
        help: Some([
            "make this account a member of its own again",
            "让这个账号重新成为独立的成员",
            "torna esta conta um membro à parte de novo",
        ]),
        build: Some(|_| Ok(Command::Unlink)),
        ..SPEC
    },
    Spec {
        name: "welcome",
        words: [&["welcome"], &["欢迎"], &["boas-vindas", "bemvindo"]],
        about: [
            "The welcome: language and group",
            "欢迎信息：语言和小组",
            "As boas-vindas: idioma e grupo",
        ],
        help: Some([
            "the welcome again, to pick your language and your user group or city",
            "再次显示欢迎信息，选择语言和你的用户组或城市",
            "as boas-vindas de novo, para escolher seu idioma e seu user group ou cidade",
        ]),
        build: Some(|_| Ok(Command::Welcome)),
        ..SPEC
    },
    // `calendar programs`, and the personal feed: `calendar me`, `calendar reset`.
    Spec {
        name: "calendar",
        words: [&["calendar"], &["日历"], &["agenda", "calendario"]],
        about: ["Calendars", "日历", "Agendas"],
        subs: &[Spec {
            name: "programs",
            words: [
                &["programs", "milestones"],
                &["计划", "社区计划"],
                &["programas"],
            ],
            about: [
                "Program dates: applications, nominations",
                "社区计划的日期：申请、提名",
                "Datas dos programas: inscrições, indicações",
            ],
            help: Some([
                "the program calendar (applications open, …); `remind: ID` reminds you of one",
                "社区计划日历（申请开放等）；`提醒: 编号` 到时提醒你",
                "o calendário dos programas (inscrições abertas, …); `lembrar: ID` avisa você de uma data",
            ]),
            args: ["[remind: ID]", "[提醒: 编号]", "[lembrar: ID]"],
            options: &[Opt {
                name: "remind",
                words: [&["remind"], &["提醒"], &["lembrar"]],
                about: [
                    "The id of a date to be reminded of",
                    "要提醒的日期编号",
                    "O id de uma data para ser lembrado",
                ],
                typed: Typed::Key,
                ..OPT
            }],
            build: Some(|a| {
                Ok(Command::CalendarPrograms {
                    remind: a.text("remind"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "me",
            words: [&["me", "mine"], &["我的"], &["minha", "meu"]],
            about: [
                "Your personal calendar feed",
                "你的个人日历订阅",
                "Sua agenda pessoal para assinar",
            ],
            help: Some([
                "a private calendar link with the volunteer shifts you signed up for",
                "包含你报名的志愿者班次的私人日历链接",
                "um link de agenda privado com os turnos em que você se inscreveu",
            ]),
            build: Some(|_| Ok(Command::Calendar { reset: false })),
            ..SPEC
        },
        Spec {
            name: "reset",
            words: [&["reset"], &["重置"], &["redefinir"]],
            about: [
                "A new personal calendar link",
                "新的个人日历链接",
                "Um novo link de agenda pessoal",
            ],
            help: Some([
                "a new personal calendar link; the old one stops working",
                "生成新的个人日历链接，旧链接失效",
                "um novo link de agenda pessoal; o antigo deixa de valer",
            ]),
            build: Some(|_| Ok(Command::Calendar { reset: true })),
            ..SPEC
        }],
        ..SPEC
    },
];

/// `badge grant`: typed, the badge's words also hold the category and the note (the
/// longest run naming a badge, then a category when the badge has them, then the note);
/// a slash command gives each on its own.
fn build_grant(a: &Args) -> Result<Command, CmdError> {
    let user = a.user("member")?.ok_or(CmdError::usage("badge grant"))?;
    if a.has("category") || a.has("note") {
        return Ok(Command::BadgeGrant {
            user,
            badge: a.text("badge").unwrap_or_default(),
            category: a.text("category"),
            note: a.text("note"),
        });
    }
    let words: Vec<String> = a
        .words("badge")
        .iter()
        .flat_map(|w| w.split_whitespace().map(str::to_string))
        .collect();
    if words.is_empty() {
        return Err(CmdError::usage("badge grant"));
    }
    let (badge, category, note) = crate::badges::split_grant(&words)?;
    Ok(Command::BadgeGrant {
        user,
        badge: badge.id.to_string(),
        category,
        note,
    })
}

/// `badge revoke`: typed, the badge's words may end with a Hero category.
fn build_revoke(a: &Args) -> Result<Command, CmdError> {
    let user = a.user("member")?.ok_or(CmdError::usage("badge revoke"))?;
    if a.has("category") {
        return Ok(Command::BadgeRevoke {
            user,
            badge: a.text("badge").unwrap_or_default(),
            category: a.text("category"),
        });
    }
    let words: Vec<String> = a
        .words("badge")
        .iter()
        .flat_map(|w| w.split_whitespace().map(str::to_string))
        .collect();
    if words.is_empty() {
        return Err(CmdError::usage("badge revoke"));
    }
    let (badge, category, rest) = crate::badges::split_grant(&words)?;
    if let Some(extra) = rest {
        if !badge.has_categories {
            return Err(CmdError::usage("badge revoke"));
        }
        return Err(CmdError::UnknownCategory {
            given: format!("{} {extra}", category.unwrap_or_default()),
            suggestion: None,
        });
    }
    Ok(Command::BadgeRevoke {
        user,
        badge: badge.id.to_string(),
        category,
    })
}

/// `volunteer call`: each role is `role:places`.
fn build_call(a: &Args) -> Result<Command, CmdError> {
    let slots: Vec<String> = a.words("roles").to_vec();
    if let Some(bad) = slots.iter().find(|w| !w.contains([':', '：'])) {
        return Err(CmdError::BadSlots {
            given: bad.chars().take(40).collect(),
        });
    }
    if slots.is_empty() {
        return Err(CmdError::usage("volunteer call"));
    }
    Ok(Command::VolunteerCall {
        event: a.text("event").unwrap_or_default(),
        slots,
        deadline: a.text("deadline").map(|d| d.trim().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn leaves() -> Vec<(&'static Spec, Option<&'static Spec>)> {
        COMMANDS
            .iter()
            .flat_map(|c| {
                if c.subs.is_empty() {
                    vec![(c, None)]
                } else {
                    c.subs.iter().map(|s| (c, Some(s))).collect()
                }
            })
            .collect()
    }

    #[test]
    fn every_word_names_one_command() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in COMMANDS {
            for lang in Lang::ALL {
                assert!(!c.words[lang as usize].is_empty(), "{} in {lang:?}", c.name);
            }
            for (w, _) in c.all_words() {
                if let Some(other) = seen.insert(fold(w), c.name) {
                    assert_eq!(other, c.name, "{w} names both {other} and {}", c.name);
                }
            }
            let mut subs: HashMap<String, &str> = HashMap::new();
            for s in c.subs {
                for (w, _) in s.all_words() {
                    if let Some(other) = subs.insert(fold(w), s.name) {
                        assert_eq!(other, s.name, "{} {w}: {other} or {}", c.name, s.name);
                    }
                }
            }
        }
    }

    #[test]
    fn declarations_fit_the_platforms() {
        for (c, s) in leaves() {
            let spec = s.unwrap_or(c);
            assert!(spec.build.is_some(), "{} has no builder", spec.name);
            for about in spec.about.iter().chain(&c.about) {
                assert!(!about.is_empty() && about.chars().count() <= 100, "{about}");
            }
            let mut names = HashMap::new();
            for o in spec.options {
                for lang in Lang::ALL {
                    assert!(!o.words[lang as usize].is_empty(), "{}", o.name);
                    let name = o.word(lang);
                    assert!(
                        name.chars().count() <= 32 && !name.contains(char::is_whitespace),
                        "{name}"
                    );
                    assert_eq!(name, name.to_lowercase(), "slash names are lowercase");
                    let before = names.insert((lang, name), o.name);
                    assert!(before.is_none(), "{name} twice in {}", spec.name);
                }
                assert!(o
                    .about
                    .iter()
                    .all(|a| !a.is_empty() && a.chars().count() <= 100));
            }
            // Required options come first, as Discord wants them.
            let first_optional = spec.options.iter().position(|o| !o.required);
            if let Some(i) = first_optional {
                assert!(
                    spec.options[i..].iter().all(|o| !o.required),
                    "{}: a required option after an optional one",
                    spec.name
                );
            }
        }
        for c in COMMANDS {
            for (w, _) in c.all_words() {
                assert_eq!(w, w.to_lowercase(), "{w}");
                assert!(w.chars().count() <= 32 && !w.contains(char::is_whitespace));
            }
        }
    }

    #[test]
    fn usage_lines_speak_the_language() {
        assert_eq!(
            usage("badge grant", Lang::Pt),
            "selo conceder @membro SELO [categoria] [nota]"
        );
        assert_eq!(usage("ask", Lang::En), "ask QUESTION");
        assert_eq!(usage("kb", Lang::En), "kb stats|gaps|reload …");
        assert_eq!(usage("calendar", Lang::En), "calendar programs|me|reset …");
        assert_eq!(
            usage("calendar programs", Lang::Pt),
            "agenda programas [lembrar: ID]"
        );
        assert_eq!(usage("events", Lang::Zh), "活动");
    }

    #[test]
    fn slash_invocations_build_commands() {
        let inv = |command: &str, sub: Option<&str>, options: &[(&str, &str)]| Invocation {
            command: command.into(),
            sub: sub.map(Into::into),
            options: options
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        assert_eq!(
            invoke(&inv(
                "volunteer",
                Some("call"),
                &[
                    ("event", "e1"),
                    ("roles", "host:1 onsite:3"),
                    ("deadline", "2026-12-04 18:00")
                ]
            ))
            .unwrap(),
            Command::VolunteerCall {
                event: "e1".into(),
                slots: vec!["host:1".into(), "onsite:3".into()],
                deadline: Some("2026-12-04 18:00".into()),
            }
        );
        assert_eq!(
            invoke(&inv(
                "volunteer",
                Some("attended"),
                &[("call", "v1"), ("members", "@1 @2")]
            ))
            .unwrap(),
            Command::VolunteerAttended {
                call: "v1".into(),
                users: vec![UserRef("1".into()), UserRef("2".into())],
            }
        );
        assert_eq!(
            invoke(&inv(
                "badge",
                Some("grant"),
                &[("member", "@7"), ("badge", "hero"), ("category", "data")]
            ))
            .unwrap(),
            Command::BadgeGrant {
                user: UserRef("7".into()),
                badge: "hero".into(),
                category: Some("data".into()),
                note: None,
            }
        );
        assert!(matches!(
            invoke(&inv("badge", None, &[])),
            Err(CmdError::Usage { .. })
        ));
        assert!(matches!(
            invoke(&inv("badge", Some("grant"), &[("badge", "hero")])),
            Err(CmdError::Usage { .. })
        ));
        assert!(matches!(
            invoke(&inv("teleport", None, &[])),
            Err(CmdError::UnknownCommand { .. })
        ));
    }
}
