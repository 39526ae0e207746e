//! Why a command did not happen, told to the user in their language.

use knowledge::Lang;

use crate::actor::Level;
use crate::spans::Text;

/// What a not-found id was meant to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Event,
    Call,
    Question,
}

/// A command refused or failed. Nothing was changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CmdError {
    #[error("`{command}` needs the {needs:?} level")]
    Denied { command: &'static str, needs: Level },
    #[error("only the organizer who posted {id} or an admin may change it")]
    NotYours { id: String },
    /// The command at this registry path (`badge grant`) is incomplete.
    #[error("usage of {command}")]
    Usage { command: String },
    #[error("unknown command {given}")]
    UnknownCommand {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error("unknown badge {given}")]
    UnknownBadge {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error("unknown category {given}")]
    UnknownCategory {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error("{badge} has no categories")]
    NoCategories { badge: &'static str },
    #[error("{given} is not a member mention")]
    BadUser { given: String },
    #[error("cannot read the date {given}")]
    BadDate { given: String },
    #[error("the date {given} has no time")]
    NeedTime { given: String },
    #[error("{when} is in the past")]
    PastDate { when: String },
    #[error("the end is before the start")]
    EndBeforeStart,
    #[error("the deadline is after the event starts")]
    DeadlineAfterStart,
    #[error("missing {field}")]
    MissingField { field: &'static str },
    #[error("unknown option {given}")]
    UnknownField { given: String, allowed: String },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains control characters")]
    ControlChars { field: &'static str },
    #[error("no {kind:?} {id}")]
    NotFound { kind: Kind, id: String },
    #[error("cannot read the roles {given}")]
    BadSlots { given: String },
    #[error("no role {given} in this call")]
    UnknownRole { given: String, roles: String },
    #[error("sign-ups are closed")]
    DeadlinePassed,
    #[error("event {id} is cancelled")]
    EventCancelled { id: String },
    #[error("event {id} has already started")]
    EventStarted { id: String },
    #[error("event {id} has not started yet")]
    EventNotStarted { id: String },
    #[error("already signed up as {role}")]
    OtherRole { role: String },
    #[error("not signed up for {call}")]
    NotSignedUp { call: String },
    #[error("{given} is not a number from 1 to {max}")]
    BadNumber { given: String, max: u32 },
    #[error("this button is no longer valid")]
    UnknownButton,
    #[error("too many questions in a short time")]
    TooFast,
    #[error("the web server is off")]
    WebOff,
    #[error("the knowledge base failed: {0}")]
    Knowledge(String),
    #[error("the store failed: {0}")]
    Store(String),
}

impl From<sled::Error> for CmdError {
    fn from(e: sled::Error) -> Self {
        CmdError::Store(e.to_string())
    }
}

impl From<knowledge::IndexError> for CmdError {
    fn from(e: knowledge::IndexError) -> Self {
        CmdError::Knowledge(e.to_string())
    }
}

/// A field's name as users see it.
pub fn field_name(field: &str, lang: Lang) -> &'static str {
    let names: [&str; 3] = match field {
        "title" => ["title", "标题", "título"],
        "start" => ["start", "开始时间", "início"],
        "end" => ["end", "结束时间", "fim"],
        "place" => ["place", "地点", "local"],
        "description" => ["description", "描述", "descrição"],
        "role" => ["role", "通知角色", "cargo"],
        "deadline" => ["deadline", "报名截止", "prazo"],
        "note" => ["note", "备注", "nota"],
        "question" => ["question", "问题", "pergunta"],
        "roles" => ["roles", "岗位", "funções"],
        "user" => ["member", "成员", "membro"],
        "command" => ["command", "命令", "comando"],
        _ => ["value", "值", "valor"],
    };
    names[lang as usize]
}

impl CmdError {
    /// The command at registry path `command` (`event edit`) is incomplete.
    pub fn usage(command: &str) -> CmdError {
        CmdError::Usage {
            command: command.to_string(),
        }
    }

    /// A stable code for scripts and front ends.
    pub fn code(&self) -> &'static str {
        match self {
            CmdError::Denied { .. } | CmdError::NotYours { .. } => "denied",
            CmdError::Usage { .. } => "usage",
            CmdError::UnknownCommand { .. } => "unknown_command",
            CmdError::UnknownBadge { .. } => "unknown_badge",
            CmdError::UnknownCategory { .. } | CmdError::NoCategories { .. } => "bad_category",
            CmdError::BadUser { .. } => "bad_user",
            CmdError::BadDate { .. } | CmdError::NeedTime { .. } => "bad_date",
            CmdError::PastDate { .. } => "past_date",
            CmdError::EndBeforeStart | CmdError::DeadlineAfterStart => "bad_range",
            CmdError::MissingField { .. } => "missing_field",
            CmdError::UnknownField { .. } => "unknown_field",
            CmdError::TooLong { .. } => "too_long",
            CmdError::ControlChars { .. } => "control_characters",
            CmdError::NotFound { .. } => "not_found",
            CmdError::BadSlots { .. } | CmdError::BadNumber { .. } => "bad_number",
            CmdError::UnknownRole { .. } => "unknown_role",
            CmdError::DeadlinePassed => "closed",
            CmdError::EventCancelled { .. } => "cancelled",
            CmdError::EventStarted { .. } | CmdError::EventNotStarted { .. } => "bad_time",
            CmdError::OtherRole { .. } => "already_signed_up",
            CmdError::NotSignedUp { .. } => "not_signed_up",
            CmdError::UnknownButton => "unknown_button",
            CmdError::TooFast => "too_fast",
            CmdError::WebOff => "web_off",
            CmdError::Knowledge(_) | CmdError::Store(_) => "internal",
        }
    }

    /// The sentence the user reads. What the member typed is echoed as typed text.
    pub fn message(&self, lang: Lang) -> Text {
        match self {
            CmdError::Denied { command, needs } => {
                let who = match (needs, lang) {
                    (Level::Admin, Lang::En) => "admins",
                    (Level::Admin, Lang::Zh) => "管理员",
                    (Level::Admin, Lang::Pt) => "administradores",
                    (_, Lang::En) => "organizers (user-group leaders) and admins",
                    (_, Lang::Zh) => "组织者（用户组负责人）和管理员",
                    (_, Lang::Pt) => "organizadores (líderes de user group) e administradores",
                };
                tx!(
                    lang,
                    "Only {who} may use `{command}`. Nothing was changed.",
                    "只有{who}可以使用 `{command}`。没有做任何改动。",
                    "Só {who} podem usar `{command}`. Nada foi alterado.";
                    who, command = *command
                )
            }
            CmdError::NotYours { id } => tx!(
                lang,
                "Only the organizer who posted {id}, or an admin, may change it. Nothing was changed.",
                "只有发布 {id} 的组织者或管理员可以修改它。没有做任何改动。",
                "Só quem publicou {id}, ou um administrador, pode alterá-lo. Nada foi alterado.";
                id
            ),
            CmdError::Usage { command } => {
                let usage = crate::registry::usage(command, lang);
                tx!(
                    lang,
                    "That command is incomplete. Use it like this: `{usage}`",
                    "命令不完整。用法：`{usage}`",
                    "Faltou algo no comando. Use assim: `{usage}`";
                    usage
                )
            }
            CmdError::UnknownCommand { given, suggestion } => {
                let base = tx!(
                    lang,
                    "I don't know the command `{given}`.",
                    "我不认识命令 `{given}`。",
                    "Não conheço o comando `{given}`.";
                    given
                );
                let hint = match suggestion {
                    Some(s) => tx!(lang, " Did you mean `{s}`?", "你是不是想用 `{s}`？", " Você quis dizer `{s}`?"; s = *s),
                    None => tx!(
                        lang,
                        " Type `help` to see what I can do.",
                        "输入 `help` 查看我能做什么。",
                        " Digite `ajuda` para ver o que sei fazer."
                    ),
                };
                base.and(hint)
            }
            CmdError::UnknownBadge { given, suggestion } => {
                let base = tx!(
                    lang,
                    "There is no badge called \"{given}\".",
                    "没有叫“{given}”的徽章。",
                    "Não existe o selo \"{given}\".";
                    given = typed(given)
                );
                let hint = match suggestion.and_then(crate::badges::find) {
                    Some(b) => {
                        let name = b.name(lang);
                        let id = b.id;
                        tx!(
                            lang,
                            " Did you mean {name} (`{id}`)?",
                            "你是不是指{name}（`{id}`）？",
                            " Você quis dizer {name} (`{id}`)?";
                            name, id
                        )
                    }
                    None => tx!(
                        lang,
                        " `badge list` shows them all.",
                        "`badge list` 列出全部徽章。",
                        " `badge list` mostra todos."
                    ),
                };
                base.and(hint)
            }
            CmdError::UnknownCategory { given, suggestion } => {
                let list = crate::badges::HERO_CATEGORIES
                    .iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>()
                    .join(", ");
                let base = tx!(
                    lang,
                    "\"{given}\" is not a Hero category.",
                    "“{given}”不是 Hero 类别。",
                    "\"{given}\" não é uma categoria de Hero.";
                    given = typed(given)
                );
                let hint = match suggestion {
                    Some(s) => tx!(lang, " Did you mean `{s}`?", "你是不是指 `{s}`？", " Você quis dizer `{s}`?"; s = *s),
                    None => tx!(lang, " The categories: {list}.", "类别有：{list}。", " As categorias: {list}."; list),
                };
                base.and(hint)
            }
            CmdError::NoCategories { badge } => {
                let name = crate::badges::find(badge).map_or(*badge, |b| b.name(lang));
                tx!(
                    lang,
                    "{name} has no categories; only Hero does. Put a note in quotes if you meant one.",
                    "{name}没有类别，只有 Hero 有。如果要写备注，请加引号。",
                    "{name} não tem categorias; só Hero tem. Se era uma nota, coloque entre aspas.";
                    name
                )
            }
            CmdError::BadUser { given } => tx!(
                lang,
                "\"{given}\" is not a member. Mention them, like @name.",
                "“{given}”不是成员。请用 @名字 提及对方。",
                "\"{given}\" não é um membro. Mencione a pessoa, como @nome.";
                given = typed(given)
            ),
            CmdError::BadDate { given } => tx!(
                lang,
                "I can't read the date \"{given}\". Write it like 2026-12-05 19:00.",
                "无法识别日期“{given}”。请写成 2026-12-05 19:00 这样的格式。",
                "Não entendi a data \"{given}\". Escreva assim: 2026-12-05 19:00 ou 05/12/2026 19h.";
                given = typed(given)
            ),
            CmdError::NeedTime { given } => tx!(
                lang,
                "\"{given}\" has a date but no time. Add one, like {given} 19:00.",
                "“{given}”只有日期没有时间。请加上时间，例如 {given} 19:00。",
                "\"{given}\" tem data mas não tem hora. Acrescente, como {given} 19:00.";
                given = typed(given)
            ),
            CmdError::PastDate { when } => tx!(
                lang,
                "{when} is in the past. Events must start in the future.",
                "{when} 已经过去了。活动的开始时间必须在将来。",
                "{when} já passou. O evento precisa começar no futuro.";
                when
            ),
            CmdError::EndBeforeStart => tx!(
                lang,
                "The end is before the start. Check both times.",
                "结束时间早于开始时间。请检查这两个时间。",
                "O fim está antes do início. Confira os dois horários."
            ),
            CmdError::DeadlineAfterStart => tx!(
                lang,
                "The sign-up deadline is after the event starts. Choose an earlier deadline.",
                "报名截止时间晚于活动开始时间。请设一个更早的截止时间。",
                "O prazo de inscrição termina depois do início do evento. Escolha um prazo anterior."
            ),
            CmdError::MissingField { field: "category" } => {
                let list = crate::badges::HERO_CATEGORIES
                    .iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>()
                    .join(", ");
                tx!(
                    lang,
                    "AWS Hero needs a category, one of: {list}. For example: `badge grant @member hero serverless`.",
                    "亚马逊云科技 Hero 徽章需要一个类别：{list}。例如：`badge grant @member hero serverless`。",
                    "AWS Hero precisa de uma categoria: {list}. Por exemplo: `badge grant @member hero serverless`.";
                    list
                )
            }
            CmdError::MissingField { field } => {
                let name = field_name(field, lang);
                tx!(
                    lang,
                    "The {name} is missing. Add `{field}: …`.",
                    "缺少{name}。请加上 `{field}: …`。",
                    "Falta o campo {name}. Acrescente `{field}: …`.";
                    name, field = *field
                )
            }
            CmdError::UnknownField { given, allowed } => tx!(
                lang,
                "I don't know the option \"{given}\". The options are: {allowed}.",
                "不认识选项“{given}”。可用的选项：{allowed}。",
                "Não conheço a opção \"{given}\". As opções são: {allowed}.";
                given = typed(given), allowed
            ),
            CmdError::TooLong { field, max } => {
                let name = field_name(field, lang);
                tx!(
                    lang,
                    "The {name} is too long: at most {max} characters.",
                    "{name}太长了：最多 {max} 个字符。",
                    "O campo {name} é longo demais: no máximo {max} caracteres.";
                    name, max = *max
                )
            }
            CmdError::ControlChars { field } => {
                let name = field_name(field, lang);
                tx!(
                    lang,
                    "The {name} contains control characters. Please type it again as plain text.",
                    "{name}里有控制字符。请用普通文字重新输入。",
                    "O campo {name} tem caracteres de controle. Digite de novo como texto simples.";
                    name
                )
            }
            CmdError::NotFound { kind, id } => {
                let id = typed(id);
                match kind {
                    Kind::Event => tx!(
                        lang,
                        "There is no event {id}. `events` lists the upcoming ones.",
                        "没有编号为 {id} 的活动。`events` 可以列出即将举行的活动。",
                        "Não existe o evento {id}. `eventos` lista os próximos.";
                        id
                    ),
                    Kind::Call => tx!(
                        lang,
                        "There is no volunteer call {id}. `events` shows each event's call.",
                        "没有编号为 {id} 的志愿者招募。`events` 会显示每个活动的招募。",
                        "Não existe a chamada de voluntários {id}. `eventos` mostra a chamada de cada evento.";
                        id
                    ),
                    Kind::Question => tx!(
                        lang,
                        "I no longer know that question; ask it again.",
                        "我找不到这个问题了，请重新提问。",
                        "Não encontro mais essa pergunta; faça-a de novo."
                    ),
                }
            }
            CmdError::BadSlots { given } => tx!(
                lang,
                "I can't read \"{given}\". Give each role with its number of places, like host:1 onsite:3.",
                "无法识别“{given}”。请按“岗位:人数”的格式填写，例如 host:1 onsite:3。",
                "Não entendi \"{given}\". Informe cada função com o número de vagas, como host:1 onsite:3.";
                given = typed(given)
            ),
            CmdError::UnknownRole { given, roles } => tx!(
                lang,
                "This call has no role \"{given}\". Its roles: {roles}.",
                "这个招募没有“{given}”岗位。可选岗位：{roles}。",
                "Esta chamada não tem a função \"{given}\". As funções: {roles}.";
                given = typed(given), roles
            ),
            CmdError::DeadlinePassed => tx!(
                lang,
                "Sign-ups for this call are closed: the deadline has passed.",
                "报名已截止。",
                "As inscrições desta chamada estão encerradas: o prazo acabou."
            ),
            CmdError::EventCancelled { id } => tx!(
                lang,
                "Event {id} was cancelled.",
                "活动 {id} 已取消。",
                "O evento {id} foi cancelado.";
                id
            ),
            CmdError::EventStarted { id } => tx!(
                lang,
                "Event {id} has already started; sign-ups and changes are closed.",
                "活动 {id} 已经开始，不能再报名或修改。",
                "O evento {id} já começou; inscrições e alterações estão encerradas.";
                id
            ),
            CmdError::EventNotStarted { id } => tx!(
                lang,
                "Event {id} has not started yet; attendance is marked once it has.",
                "活动 {id} 还没开始；活动开始后才能登记到场情况。",
                "O evento {id} ainda não começou; a presença é marcada depois que ele começar.";
                id
            ),
            CmdError::OtherRole { role } => tx!(
                lang,
                "You are already signed up as {role} for this call. One role per person: withdraw first to change.",
                "你已经报名了这个招募的 {role} 岗位。每人只能报一个岗位：要换岗位请先退出。",
                "Você já está inscrito como {role} nesta chamada. Uma função por pessoa: desista primeiro para trocar.";
                role
            ),
            CmdError::NotSignedUp { call } => tx!(
                lang,
                "You are not signed up for {call}.",
                "你没有报名 {call}。",
                "Você não está inscrito em {call}.";
                call
            ),
            CmdError::BadNumber { given, max } => tx!(
                lang,
                "\"{given}\" is not a number from 1 to {max}.",
                "“{given}”不是 1 到 {max} 之间的数字。",
                "\"{given}\" não é um número de 1 a {max}.";
                given = typed(given), max = *max
            ),
            CmdError::UnknownButton => tx!(
                lang,
                "That button is no longer valid.",
                "这个按钮已经失效。",
                "Esse botão não é mais válido."
            ),
            CmdError::TooFast => tx!(
                lang,
                "You are asking faster than I can keep up — please wait a minute and ask again.",
                "你提问太快了，请等一分钟再问。",
                "Você está perguntando rápido demais — espere um minuto e pergunte de novo."
            ),
            CmdError::WebOff => tx!(
                lang,
                "The web dashboard is not running here, so I have no link to give (an operator turns it on under [web] in config.toml).",
                "这里没有运行网页控制台，所以我没有链接可给（运维人员可以在 config.toml 的 [web] 中开启）。",
                "O painel web não está rodando aqui, então não tenho link para dar (um operador o liga em [web] no config.toml)."
            ),
            CmdError::Knowledge(_) | CmdError::Store(_) => tx!(
                lang,
                "Something went wrong on my side, and nothing was changed. Please try again; if it keeps happening, tell an admin.",
                "我这边出了问题，没有做任何改动。请再试一次；如果一直这样，请告诉管理员。",
                "Algo deu errado do meu lado, e nada foi alterado. Tente de novo; se continuar, avise um administrador."
            ),
        }
    }
}

/// What the member typed, echoed back.
fn typed(text: &str) -> Text {
    Text::typed(text)
}
