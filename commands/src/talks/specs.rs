//! The registry's declarations of `track` and `talks`: words in each language, levels,
//! usage, descriptions and options. Who may act on a track or a proposal beyond the level
//! (its owners, its speaker, its event's organizer) is checked by the handlers.

use knowledge::Lang;

use super::command::{FrameworkFields, ProposalFields, TalkCommand as T};
use super::model::TalkLevel;
use crate::actor::Level;
use crate::error::CmdError;
use crate::parse::{Command, DEFAULT_LIST, MAX_LIST};
use crate::registry::{Args, Choice, Kind, Opt, Spec, Typed, OPT, SPEC};
use crate::text::UserRef;

fn level_choices() -> Vec<Choice> {
    TalkLevel::ALL
        .iter()
        .map(|l| Choice {
            id: l.id(),
            names: Lang::ALL.map(|lang| l.name(lang)),
        })
        .collect()
}

fn language_choices() -> Vec<Choice> {
    Lang::ALL
        .iter()
        .map(|l| Choice {
            id: l.code(),
            names: Lang::ALL.map(|lang| super::words::language_name(l.code(), lang)),
        })
        .collect()
}

const PROPOSAL: Opt = Opt {
    name: "proposal",
    words: [&["proposal", "id"], &["提案"], &["proposta"]],
    required: true,
    about: [
        "Proposal id, e.g. p3",
        "提案编号，如 p3",
        "Id da proposta, ex. p3",
    ],
    ..OPT
};

const TRACK_WORD: Opt = Opt {
    name: "track",
    words: [&["track"], &["方向"], &["trilha"]],
    required: true,
    about: [
        "Track id, e.g. serverless",
        "技术方向编号，如 serverless",
        "Id da trilha, ex. serverless",
    ],
    ..OPT
};

const EVENT_WORD: Opt = Opt {
    name: "event",
    words: [&["event"], &["活动"], &["evento"]],
    required: true,
    about: [
        "Event id, e.g. e3",
        "活动编号，如 e3",
        "Id do evento, ex. e3",
    ],
    ..OPT
};

const REASON: Opt = Opt {
    name: "reason",
    words: [&["reason"], &["理由"], &["motivo"]],
    about: [
        "The reason; the speaker reads it",
        "理由（讲者会看到）",
        "O motivo (quem propôs vai ler)",
    ],
    typed: Typed::Rest,
    ..OPT
};

const KEY: Opt = Opt {
    typed: Typed::Key,
    ..OPT
};

const TITLE: Opt = Opt {
    name: "title",
    words: [&["title"], &["标题"], &["título", "titulo"]],
    about: ["Title of the talk", "演讲标题", "Título da palestra"],
    ..KEY
};

const ABSTRACT: Opt = Opt {
    name: "abstract",
    words: [&["abstract", "summary"], &["摘要", "简介"], &["resumo"]],
    about: [
        "What the talk is about",
        "演讲内容摘要",
        "Do que trata a palestra",
    ],
    ..KEY
};

const TRACK_KEY: Opt = Opt {
    name: "track",
    words: [&["track"], &["方向"], &["trilha"]],
    about: [
        "Track id, e.g. serverless",
        "技术方向编号，如 serverless",
        "Id da trilha, ex. serverless",
    ],
    ..KEY
};

const LEVEL: Opt = Opt {
    name: "level",
    words: [&["level"], &["级别", "难度"], &["nível", "nivel"]],
    kind: Kind::Choice(level_choices),
    about: [
        "Audience level (100–400)",
        "受众级别（100–400）",
        "Nível do público (100–400)",
    ],
    ..KEY
};

const LANGUAGE: Opt = Opt {
    name: "language",
    words: [&["language", "lang"], &["语言"], &["idioma", "língua"]],
    kind: Kind::Choice(language_choices),
    about: ["Language of the talk", "演讲语言", "Idioma da palestra"],
    ..KEY
};

const DURATION: Opt = Opt {
    name: "duration",
    words: [
        &["duration", "minutes"],
        &["时长"],
        &["duração", "duracao", "minutos"],
    ],
    kind: Kind::Integer { min: 5, max: 180 },
    about: ["Minutes", "分钟数", "Minutos"],
    ..KEY
};

const EVENT_KEY: Opt = Opt {
    name: "event",
    words: [&["event"], &["活动"], &["evento"]],
    about: [
        "Event id it is for (optional)",
        "针对的活动编号（可选）",
        "Id do evento (opcional)",
    ],
    ..KEY
};

/// `talks propose`: a title may also lead.
const PROPOSE_FIELDS: &[Opt] = &[
    Opt {
        typed: Typed::Leading,
        ..TITLE
    },
    ABSTRACT,
    TRACK_KEY,
    LEVEL,
    LANGUAGE,
    DURATION,
    EVENT_KEY,
];

const EDIT_FIELDS: &[Opt] = &[
    PROPOSAL, TITLE, ABSTRACT, TRACK_KEY, LEVEL, LANGUAGE, DURATION, EVENT_KEY,
];

const FRAMEWORK_FIELDS: &[Opt] = &[
    TRACK_WORD,
    Opt {
        name: "season",
        words: [
            &["season", "year"],
            &["季度", "年度"],
            &["temporada", "ano"],
        ],
        about: ["Season, e.g. 2026", "季度，如 2026", "Temporada, ex. 2026"],
        ..KEY
    },
    Opt {
        name: "themes",
        words: [&["themes", "topics"], &["主题"], &["temas"]],
        about: ["The season's themes", "本季主题", "Os temas da temporada"],
        ..KEY
    },
    Opt {
        name: "cover",
        words: [
            &["cover", "covers"],
            &["内容要求"],
            &["conteúdo", "conteudo"],
        ],
        about: [
            "What a talk should cover",
            "演讲应涵盖的内容",
            "O que a palestra deve abordar",
        ],
        ..KEY
    },
    Opt {
        name: "audience",
        words: [&["audience"], &["受众"], &["público", "publico"]],
        about: ["Audience level", "受众级别", "Nível do público"],
        ..KEY
    },
    Opt {
        name: "language",
        words: [&["language", "lang"], &["语言"], &["idioma", "língua"]],
        kind: Kind::Choice(language_choices),
        about: [
            "Language it is written in",
            "撰写语言",
            "Idioma em que foi escrito",
        ],
        ..KEY
    },
];

fn proposal_fields(a: &Args) -> ProposalFields {
    ProposalFields {
        title: a.text("title"),
        summary: a.text("abstract"),
        track: a.text("track"),
        level: a.text("level"),
        language: a.text("language"),
        duration: a.text("duration"),
        event: a.text("event"),
    }
}

fn id(a: &Args) -> String {
    a.text("proposal").unwrap_or_default()
}

fn talk(t: T) -> Result<Command, CmdError> {
    Ok(Command::Talk(t))
}

/// The `track` command: tracks, their owners and their frameworks.
pub const TRACK: Spec = Spec {
    name: "track",
    words: [&["track", "tracks"], &["技术方向"], &["trilha", "trilhas"]],
    about: [
        "Content tracks and their owners",
        "技术方向及其出品人",
        "Trilhas de conteúdo e seus curadores",
    ],
    subs: &[
        Spec {
            name: "list",
            words: [&["list"], &["列表"], &["lista"]],
            about: [
                "Tracks and their owners",
                "技术方向和出品人",
                "Trilhas e seus curadores",
            ],
            help: Some([
                "the content tracks, their owners and their frameworks",
                "技术方向、出品人和内容框架",
                "as trilhas de conteúdo, seus curadores e diretrizes",
            ]),
            build: Some(|_| talk(T::Tracks)),
            ..SPEC
        },
        Spec {
            name: "add",
            words: [&["add", "create"], &["创建"], &["criar"]],
            level: Level::Admin,
            about: [
                "Create a track (admins)",
                "创建技术方向（管理员）",
                "Criar uma trilha (administradores)",
            ],
            help: Some([
                "create a content track",
                "创建技术方向",
                "cria uma trilha de conteúdo",
            ]),
            args: ["ID [NAME]", "编号 [名称]", "ID [NOME]"],
            options: &[
                Opt {
                    name: "id",
                    words: [&["id"], &["编号"], &["id"]],
                    required: true,
                    about: [
                        "Track id, e.g. serverless",
                        "方向编号，如 serverless",
                        "Id da trilha, ex. serverless",
                    ],
                    ..OPT
                },
                Opt {
                    name: "name",
                    words: [&["name"], &["名称"], &["nome"]],
                    about: ["Its name", "名称", "Nome"],
                    typed: Typed::Rest,
                    ..OPT
                },
            ],
            build: Some(|a| {
                talk(T::TrackAdd {
                    id: a.text("id").unwrap_or_default(),
                    name: a.text("name"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "owner",
            words: [&["owner"], &["出品人"], &["curador"]],
            level: Level::Admin,
            about: [
                "Name a track owner (admins)",
                "指定技术出品人（管理员）",
                "Definir um curador (administradores)",
            ],
            help: Some([
                "name a track owner (they hold the Track Owner badge)",
                "指定技术出品人（需持有技术出品人徽章）",
                "define um curador da trilha (com o selo Track Owner)",
            ]),
            args: ["TRACK @member", "方向 @成员", "TRILHA @membro"],
            options: &[TRACK_WORD, MEMBER],
            build: Some(|a| owner(a, true)),
            ..SPEC
        },
        Spec {
            name: "unowner",
            words: [
                &["unowner", "remove-owner"],
                &["移除出品人"],
                &["remover-curador"],
            ],
            level: Level::Admin,
            about: [
                "Remove a track owner (admins)",
                "移除技术出品人（管理员）",
                "Remover um curador (administradores)",
            ],
            help: Some([
                "remove a track owner",
                "移除技术出品人",
                "remove um curador da trilha",
            ]),
            args: ["TRACK @member", "方向 @成员", "TRILHA @membro"],
            options: &[TRACK_WORD, MEMBER],
            build: Some(|a| owner(a, false)),
            ..SPEC
        },
        Spec {
            name: "publish",
            words: [&["publish"], &["发布框架"], &["publicar"]],
            about: [
                "Publish a season's framework (track owners)",
                "发布本季内容框架（出品人）",
                "Publicar as diretrizes da temporada (curadores)",
            ],
            help: Some([
                "publish the season's framework of your track: themes, what a talk should cover, audience (a form without fields)",
                "发布你负责方向的本季框架：主题、内容要求、受众（不带字段时打开表单）",
                "publica as diretrizes da temporada da sua trilha: temas, o que abordar, público (sem campos, abre um formulário)",
            ]),
            args: [
                "TRACK season: 2026 themes: … cover: … audience: … [language: pt]",
                "方向 季度: 2026 主题: … 内容要求: … 受众: … [语言: zh]",
                "TRILHA temporada: 2026 temas: … conteúdo: … público: … [idioma: pt]",
            ],
            options: FRAMEWORK_FIELDS,
            build: Some(|a| {
                talk(T::Publish {
                    track: a.text("track").unwrap_or_default(),
                    fields: FrameworkFields {
                        season: a.text("season"),
                        themes: a.text("themes"),
                        cover: a.text("cover"),
                        audience: a.text("audience"),
                        language: a.text("language"),
                    },
                })
            }),
            ..SPEC
        },
    ],
    ..SPEC
};

const MEMBER: Opt = Opt {
    name: "member",
    words: [&["member"], &["成员"], &["membro"]],
    kind: Kind::User,
    required: true,
    about: ["The member", "成员", "O membro"],
    ..OPT
};

fn owner(a: &Args, add: bool) -> Result<Command, CmdError> {
    let path = if add { "track owner" } else { "track unowner" };
    let user = a
        .text("member")
        .map(|t| UserRef::parse(&t))
        .transpose()?
        .ok_or(CmdError::usage(path))?;
    talk(T::TrackOwner {
        track: a.text("track").unwrap_or_default(),
        user,
        add,
    })
}

/// The `talks` command: proposals, their review and the decisions on them.
pub const TALKS: Spec = Spec {
    name: "talks",
    words: [&["talks", "talk"], &["演讲"], &["palestras", "palestra"]],
    about: [
        "Talk proposals, reviews and decisions",
        "演讲提案、评审和决定",
        "Propostas de palestra, revisões e decisões",
    ],
    subs: &[
        Spec {
            name: "framework",
            words: [&["framework"], &["框架"], &["diretrizes"]],
            about: [
                "What a track looks for this season",
                "技术方向本季的内容框架",
                "O que a trilha procura nesta temporada",
            ],
            help: Some([
                "what a track looks for this season, in your language when it is written in it",
                "技术方向本季想要的内容（有你的语言版本时用你的语言）",
                "o que a trilha procura nesta temporada, no seu idioma quando houver",
            ]),
            args: ["TRACK", "方向", "TRILHA"],
            options: &[TRACK_WORD],
            build: Some(|a| {
                talk(T::Framework {
                    track: a.text("track").unwrap_or_default(),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "propose",
            words: [&["propose", "submit"], &["提交"], &["propor"]],
            about: ["Propose a talk", "提交演讲提案", "Propor uma palestra"],
            help: Some([
                "propose a talk (without fields: a form)",
                "提交演讲提案（不带字段时打开表单）",
                "propõe uma palestra (sem campos: um formulário)",
            ]),
            args: [
                "title: … abstract: … track: TRACK level: intermediate language: en duration: 30 [event: e3]",
                "标题: … 摘要: … 方向: 方向 级别: intermediate 语言: zh 时长: 30 [活动: e3]",
                "título: … resumo: … trilha: TRILHA nível: intermediate idioma: pt duração: 30 [evento: e3]",
            ],
            options: PROPOSE_FIELDS,
            build: Some(|a| talk(T::Propose(proposal_fields(a)))),
            ..SPEC
        },
        Spec {
            name: "mine",
            words: [&["mine", "my"], &["我的"], &["minhas"]],
            about: [
                "Your proposals and where they stand",
                "你的提案及进度",
                "Suas propostas e a situação",
            ],
            help: Some([
                "your proposals and where they stand",
                "你的提案及进度",
                "suas propostas e a situação de cada uma",
            ]),
            build: Some(|_| talk(T::Mine)),
            ..SPEC
        },
        Spec {
            name: "show",
            words: [&["show", "view"], &["查看"], &["ver"]],
            about: ["One proposal", "查看提案", "Uma proposta"],
            help: Some([
                "one proposal, as far as you may see it",
                "查看一个提案（按你的权限显示）",
                "uma proposta, no que você pode ver",
            ]),
            args: ["PROPOSAL", "提案", "PROPOSTA"],
            options: &[PROPOSAL],
            build: Some(|a| talk(T::Show { id: id(a) })),
            ..SPEC
        },
        Spec {
            name: "edit",
            words: [&["edit"], &["修改"], &["editar"]],
            about: [
                "Change your proposal",
                "修改你的提案",
                "Alterar sua proposta",
            ],
            help: Some([
                "change your proposal until review starts (without fields: a form)",
                "评审开始前修改你的提案（不带字段时打开表单）",
                "altera sua proposta até a revisão começar (sem campos: um formulário)",
            ]),
            args: [
                "PROPOSAL [title: …] [abstract: …] [track: …] [level: …] [language: …] [duration: …] [event: …]",
                "提案 [标题: …] [摘要: …] [方向: …] [级别: …] [语言: …] [时长: …] [活动: …]",
                "PROPOSTA [título: …] [resumo: …] [trilha: …] [nível: …] [idioma: …] [duração: …] [evento: …]",
            ],
            options: EDIT_FIELDS,
            build: Some(|a| {
                talk(T::Edit {
                    id: id(a),
                    fields: proposal_fields(a),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "withdraw",
            words: [&["withdraw"], &["撤回"], &["retirar"]],
            about: [
                "Withdraw your proposal",
                "撤回你的提案",
                "Retirar sua proposta",
            ],
            help: Some([
                "withdraw your proposal",
                "撤回你的提案",
                "retira sua proposta",
            ]),
            args: ["PROPOSAL", "提案", "PROPOSTA"],
            options: &[PROPOSAL],
            build: Some(|a| talk(T::Withdraw { id: id(a) })),
            ..SPEC
        },
        Spec {
            name: "review",
            words: [&["review", "queue"], &["评审"], &["revisar"]],
            about: [
                "What waits for your review (track owners)",
                "等你评审的提案（出品人）",
                "O que espera sua revisão (curadores)",
            ],
            help: Some([
                "proposals and decks waiting for you, oldest first, with buttons (track owners)",
                "等你评审的提案和讲稿，按提交时间排列，带按钮（出品人）",
                "propostas e slides esperando por você, dos mais antigos, com botões (curadores)",
            ]),
            build: Some(|_| talk(T::Review)),
            ..SPEC
        },
        Spec {
            name: "score",
            words: [&["score", "rate"], &["打分"], &["nota", "avaliar"]],
            about: [
                "Score a proposal 1–5 (track owners)",
                "给提案打分 1–5（出品人）",
                "Dar nota de 1 a 5 (curadores)",
            ],
            help: Some([
                "score a proposal of your track from 1 to 5 with a comment; `share: yes` lets the speaker read it",
                "给你方向的提案打 1–5 分并写评语；`分享: yes` 让讲者可以看到评语",
                "dá nota de 1 a 5 a uma proposta da sua trilha, com comentário; `compartilhar: sim` deixa quem propôs ler",
            ]),
            args: [
                "PROPOSAL 1-5 COMMENT [share: yes]",
                "提案 1-5 评语 [分享: yes]",
                "PROPOSTA 1-5 COMENTÁRIO [compartilhar: sim]",
            ],
            options: &[
                PROPOSAL,
                Opt {
                    name: "score",
                    words: [&["score"], &["分数"], &["nota"]],
                    kind: Kind::Integer { min: 1, max: 5 },
                    about: ["1 to 5", "1 到 5", "De 1 a 5"],
                    ..OPT
                },
                Opt {
                    name: "comment",
                    words: [&["comment"], &["评语"], &["comentário", "comentario"]],
                    about: ["Your comment", "你的评语", "Seu comentário"],
                    typed: Typed::Rest,
                    ..OPT
                },
                Opt {
                    name: "share",
                    words: [&["share"], &["分享"], &["compartilhar"]],
                    about: [
                        "Let the speaker read it (yes/no)",
                        "让讲者看到评语（yes/no）",
                        "Deixar quem propôs ler (sim/não)",
                    ],
                    ..KEY
                },
            ],
            build: Some(|a| {
                talk(T::Score {
                    id: id(a),
                    score: a.text("score"),
                    comment: a.text("comment"),
                    share: a.text("share"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "veto",
            words: [&["veto"], &["否决"], &["vetar"]],
            about: [
                "Veto a proposal, with a reason (track owners)",
                "否决提案并说明理由（出品人）",
                "Vetar uma proposta, com motivo (curadores)",
            ],
            help: Some([
                "veto a proposal of your track; the reason is required and the speaker reads it",
                "否决你方向的提案；必须写理由，讲者会看到",
                "veta uma proposta da sua trilha; o motivo é obrigatório e quem propôs vai ler",
            ]),
            args: ["PROPOSAL REASON", "提案 理由", "PROPOSTA MOTIVO"],
            options: &[PROPOSAL, REASON],
            build: Some(|a| {
                talk(T::Veto {
                    id: id(a),
                    reason: a.text("reason"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "lift",
            words: [&["lift", "unveto"], &["撤销否决"], &["retirar-veto"]],
            about: [
                "Lift your veto (track owners)",
                "撤销你的否决（出品人）",
                "Retirar seu veto (curadores)",
            ],
            help: Some([
                "lift a veto you gave",
                "撤销你做出的否决",
                "retira um veto que você deu",
            ]),
            args: ["PROPOSAL", "提案", "PROPOSTA"],
            options: &[PROPOSAL],
            build: Some(|a| talk(T::Lift { id: id(a) })),
            ..SPEC
        },
        Spec {
            name: "share",
            words: [&["share"], &["分享评语"], &["compartilhar"]],
            about: [
                "Let the speaker read your comment",
                "让讲者看到你的评语",
                "Deixar quem propôs ler seu comentário",
            ],
            help: Some([
                "let the speaker read your comment (`no` takes it back)",
                "让讲者看到你的评语（`no` 取消）",
                "deixa quem propôs ler seu comentário (`não` desfaz)",
            ]),
            args: ["PROPOSAL [no]", "提案 [no]", "PROPOSTA [não]"],
            options: &[
                PROPOSAL,
                Opt {
                    name: "shared",
                    words: [&["shared"], &["是否分享"], &["compartilhado"]],
                    about: ["yes or no", "yes 或 no", "sim ou não"],
                    ..OPT
                },
            ],
            build: Some(|a| {
                talk(T::Share {
                    id: id(a),
                    shared: a.text("shared"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "deck",
            words: [&["deck", "slides"], &["讲稿", "幻灯片"], &["slides"]],
            about: [
                "Send the slide deck of your talk",
                "提交你的演讲讲稿",
                "Enviar os slides da palestra",
            ],
            help: Some([
                "send the link to your accepted talk's slide deck, before its deadline",
                "在截止前提交已接受演讲的讲稿链接",
                "envia o link dos slides da sua palestra aceita, antes do prazo",
            ]),
            args: ["PROPOSAL LINK", "提案 链接", "PROPOSTA LINK"],
            options: &[
                PROPOSAL,
                Opt {
                    name: "link",
                    words: [&["link", "url"], &["链接"], &["link"]],
                    about: [
                        "https:// link to the slides",
                        "讲稿的 https:// 链接",
                        "Link https:// dos slides",
                    ],
                    ..OPT
                },
            ],
            build: Some(|a| {
                talk(T::Deck {
                    id: id(a),
                    link: a.text("link"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "approve",
            words: [&["approve"], &["通过讲稿"], &["aprovar"]],
            about: [
                "Approve a slide deck (track owners)",
                "通过讲稿（出品人）",
                "Aprovar os slides (curadores)",
            ],
            help: Some([
                "approve the slide deck of a talk of your track",
                "通过你方向演讲的讲稿",
                "aprova os slides de uma palestra da sua trilha",
            ]),
            args: ["PROPOSAL", "提案", "PROPOSTA"],
            options: &[PROPOSAL],
            build: Some(|a| talk(T::Approve { id: id(a) })),
            ..SPEC
        },
        Spec {
            name: "reject",
            words: [&["reject"], &["否决讲稿"], &["rejeitar"]],
            about: [
                "Veto a slide deck, with a reason (track owners)",
                "否决讲稿并说明理由（出品人）",
                "Vetar os slides, com motivo (curadores)",
            ],
            help: Some([
                "veto the slide deck of a talk of your track; the speaker reads the reason and sends a new one",
                "否决你方向演讲的讲稿；讲者会看到理由并重新提交",
                "veta os slides de uma palestra da sua trilha; quem propôs lê o motivo e envia outros",
            ]),
            args: ["PROPOSAL REASON", "提案 理由", "PROPOSTA MOTIVO"],
            options: &[PROPOSAL, REASON],
            build: Some(|a| {
                talk(T::Reject {
                    id: id(a),
                    reason: a.text("reason"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "ranking",
            words: [
                &["ranking", "rank"],
                &["排名"],
                &["classificação", "classificacao"],
            ],
            level: Level::Organizer,
            about: [
                "Proposals for your event, best first (organizers)",
                "你活动的提案排名（组织者）",
                "Propostas do seu evento, das melhores (organizadores)",
            ],
            help: Some([
                "the proposals for your event ranked by the track owners' scores, vetoes left out",
                "按出品人评分排列你活动的提案（不含被否决的）",
                "as propostas do seu evento pela nota dos curadores, sem as vetadas",
            ]),
            args: ["EVENT", "活动编号", "EVENTO"],
            options: &[EVENT_WORD],
            build: Some(|a| {
                talk(T::Ranking {
                    event: a.text("event").unwrap_or_default(),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "accept",
            words: [&["accept"], &["接受"], &["aceitar"]],
            level: Level::Organizer,
            about: [
                "Accept a proposal (organizers)",
                "接受提案（组织者）",
                "Aceitar uma proposta (organizadores)",
            ],
            help: Some([
                "accept a proposal for your event; held until `talks send`",
                "接受你活动的提案；在 `talks send` 前暂存",
                "aceita uma proposta para o seu evento; fica guardada até `talks send`",
            ]),
            args: [
                "PROPOSAL [event: e3]",
                "提案 [活动: e3]",
                "PROPOSTA [evento: e3]",
            ],
            options: &[PROPOSAL, EVENT_KEY],
            build: Some(|a| {
                talk(T::Accept {
                    id: id(a),
                    event: a.text("event"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "decline",
            words: [&["decline"], &["婉拒"], &["recusar"]],
            level: Level::Organizer,
            about: [
                "Decline a proposal, with a reason (organizers)",
                "婉拒提案并说明理由（组织者）",
                "Recusar uma proposta, com motivo (organizadores)",
            ],
            help: Some([
                "decline a proposal for your event, with a reason; held until `talks send`",
                "婉拒你活动的提案并说明理由；在 `talks send` 前暂存",
                "recusa uma proposta do seu evento, com motivo; fica guardada até `talks send`",
            ]),
            args: ["PROPOSAL REASON", "提案 理由", "PROPOSTA MOTIVO"],
            options: &[PROPOSAL, REASON],
            build: Some(|a| {
                talk(T::Decline {
                    id: id(a),
                    reason: a.text("reason"),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "send",
            words: [&["send"], &["发送决定"], &["enviar"]],
            level: Level::Organizer,
            about: [
                "Tell the speakers your decisions (organizers)",
                "通知讲者你的决定（组织者）",
                "Avisar quem propôs das decisões (organizadores)",
            ],
            help: Some([
                "send the pending decisions for your event: each speaker is told by direct message",
                "发送你活动的待定决定：每位讲者都会收到私信",
                "envia as decisões pendentes do seu evento: cada pessoa recebe uma mensagem direta",
            ]),
            args: ["EVENT", "活动编号", "EVENTO"],
            options: &[EVENT_WORD],
            build: Some(|a| {
                talk(T::Send {
                    event: a.text("event").unwrap_or_default(),
                })
            }),
            ..SPEC
        },
        Spec {
            name: "given",
            words: [&["given", "done"], &["已讲"], &["realizada"]],
            level: Level::Organizer,
            about: [
                "Mark a talk as given (organizers)",
                "登记演讲已完成（组织者）",
                "Marcar a palestra como feita (organizadores)",
            ],
            help: Some([
                "mark a talk as given, after the event: it counts towards the Speaker badge",
                "活动后登记演讲已完成：计入讲师徽章",
                "marca a palestra como feita, depois do evento: conta para o selo Palestrante",
            ]),
            args: ["PROPOSAL", "提案", "PROPOSTA"],
            options: &[PROPOSAL],
            build: Some(|a| talk(T::Given { id: id(a) })),
            ..SPEC
        },
        Spec {
            name: "audit",
            words: [&["audit", "log"], &["审计"], &["auditoria"]],
            level: Level::Admin,
            about: [
                "Every step of the talks, newest first (admins)",
                "演讲流程的每一步（管理员）",
                "Cada passo das palestras (administradores)",
            ],
            help: Some([
                "every step of proposals, reviews and decisions, newest first",
                "提案、评审和决定的每一步（最新在前）",
                "cada passo das propostas, revisões e decisões, do mais recente",
            ]),
            args: [
                "[PROPOSAL] [--limit N]",
                "[提案] [--limit N]",
                "[PROPOSTA] [--limit N]",
            ],
            options: &[
                Opt {
                    required: false,
                    ..PROPOSAL
                },
                Opt {
                    name: "limit",
                    words: [&["limit", "n"], &["数量"], &["limite"]],
                    kind: Kind::Integer {
                        min: 1,
                        max: MAX_LIST as i64,
                    },
                    about: ["How many", "条数", "Quantos"],
                    typed: Typed::Flag,
                    ..OPT
                },
            ],
            build: Some(|a| {
                let limit = match a.text("limit") {
                    Some(t) => t
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_LIST).contains(n))
                        .ok_or(CmdError::BadNumber {
                            given: t.chars().take(20).collect(),
                            max: MAX_LIST as u32,
                        })?,
                    None => DEFAULT_LIST,
                };
                talk(T::Audit {
                    id: a.text("proposal"),
                    limit,
                })
            }),
            ..SPEC
        },
    ],
    ..SPEC
};
