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
    Series,
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
    #[error("RSVPs for {id} are closed")]
    RsvpClosed { id: String, when: String },
    #[error("no place on offer for {id}")]
    NoOffer { id: String },
    #[error("the offer for {id} expired")]
    OfferExpired { id: String, when: String },
    #[error("no open check-in with code {given}")]
    BadCode { given: String },
    #[error("check-in for {id} is closed")]
    CheckinClosed { id: String },
    #[error("the role {role} is listed twice")]
    DuplicateRole { role: String },
    #[error("cannot read the repeat rule {given}")]
    BadRepeat { given: String },
    #[error("a series needs an end")]
    SeriesNeedsEnd,
    #[error("the series {id} has no occurrence on {day}")]
    NoOccurrence { id: String, day: String },
    #[error("too many questions in a short time")]
    TooFast,
    #[error("the web server is off")]
    WebOff,
    /// A talk proposal, review or track command refused (see [`crate::talks::TalkError`]).
    #[error("{0}")]
    Talk(crate::talks::TalkError),
    #[error("the sign-up deadline {when} is in the past")]
    PastDeadline { when: String },
    #[error("{given} cannot be notified")]
    BadRole { given: String },
    #[error("only the organizer of {id} or an admin may read its roster")]
    NotYoursToRead { id: String },
    #[error("no command {given} to explain")]
    UnknownTopic {
        given: String,
        suggestion: Option<&'static str>,
    },
    #[error("the command {command} is longer than {max} characters")]
    CommandTooLong { command: String, max: usize },
    #[error("{held:?} are held; which to revoke")]
    WhichCategory { held: Vec<&'static str> },
    #[error("{given} is not a link code")]
    BadLinkCode { given: String },
    #[error("unknown link code")]
    LinkCodeUnknown,
    #[error("the link code expired at {at}")]
    LinkCodeExpired { at: String },
    #[error("the link code was used at {at}")]
    LinkCodeUsed { at: String },
    #[error("the link code is this account's own")]
    LinkOwnCode,
    #[error("the link code belongs to another account on this platform")]
    LinkOtherAccount,
    #[error("this account is linked to another member")]
    LinkedElsewhere,
    #[error("the member has a {platform} account linked already")]
    LinkPlatformTaken { platform: &'static str },
    #[error("too many wrong link codes; wait until {until}")]
    LinkTries { until: String },
    #[error("this account is not linked")]
    NotLinked,
    #[error("no help desk on this platform")]
    HandoffUnavailable,
    #[error("{per_day} questions handed over today")]
    HandoffLimit { per_day: u32, until: String },
    #[error("no group {given}")]
    UnknownGroup { given: String, groups: String },
    #[error("no milestone {given}")]
    UnknownMilestone { given: String, ids: String },
    #[error("milestone {id} has no date to come")]
    MilestonePassed { id: String },
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
        "capacity" => ["capacity", "人数上限", "vagas"],
        "cutoff" => ["RSVP cutoff", "报名截止时间", "prazo de confirmação"],
        "repeat" => ["repeat rule", "重复规则", "regra de repetição"],
        "code" => ["code", "签到码", "código"],
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
            CmdError::RsvpClosed { .. } | CmdError::CheckinClosed { .. } => "closed",
            CmdError::NoOffer { .. } => "no_offer",
            CmdError::OfferExpired { .. } => "expired",
            CmdError::BadCode { .. } => "bad_code",
            CmdError::DuplicateRole { .. } => "duplicate_role",
            CmdError::BadRepeat { .. } | CmdError::SeriesNeedsEnd => "bad_repeat",
            CmdError::NoOccurrence { .. } => "not_found",
            CmdError::TooFast => "too_fast",
            CmdError::WebOff => "web_off",
            CmdError::Talk(e) => e.code(),
            CmdError::PastDeadline { .. } => "past_date",
            CmdError::BadRole { .. } => "bad_role",
            CmdError::NotYoursToRead { .. } => "denied",
            CmdError::UnknownTopic { .. } => "unknown_command",
            CmdError::CommandTooLong { .. } => "too_long",
            CmdError::WhichCategory { .. } => "bad_category",
            CmdError::BadLinkCode { .. } | CmdError::LinkCodeUnknown => "bad_code",
            CmdError::LinkCodeExpired { .. } => "code_expired",
            CmdError::LinkCodeUsed { .. } => "code_used",
            CmdError::LinkOwnCode | CmdError::LinkOtherAccount => "code_not_yours",
            CmdError::LinkedElsewhere | CmdError::LinkPlatformTaken { .. } => "already_linked",
            CmdError::LinkTries { .. } | CmdError::HandoffLimit { .. } => "too_fast",
            CmdError::NotLinked => "not_linked",
            CmdError::HandoffUnavailable => "unavailable",
            CmdError::UnknownGroup { .. } => "unknown_group",
            CmdError::UnknownMilestone { .. } => "unknown_milestone",
            CmdError::MilestonePassed { .. } => "past_date",
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
                "I can't read the date \"{given}\". Write it like 2026-12-05 19:00, \"tomorrow 19:00\" or \"Dec 12 7pm\".",
                "无法识别日期“{given}”。请写成 2026-12-05 19:00、“明天晚上7点”或“12月12日 19:00”这样的格式。",
                "Não entendi a data \"{given}\". Escreva assim: 2026-12-05 19:00, 05/12/2026 19h ou \"amanhã 19h\".";
                given = typed(given)
            ),
            CmdError::NeedTime { given } => tx!(
                lang,
                "\"{given}\" has a date but no time. Add one, like {given} 19:00 (or write 2026-12-05 19:00).",
                "“{given}”只有日期没有时间。请加上时间，例如 {given} 19:00（或写成 2026-12-05 19:00）。",
                "\"{given}\" tem data mas não tem hora. Acrescente, como {given} 19h (ou escreva 05/12/2026 19:00).";
                given = typed(given)
            ),
            CmdError::PastDate { when } => tx!(
                lang,
                "The start {when} is in the past: events start in the future. Give a later start, like `start: 2026-12-05 19:00`. Nothing was changed.",
                "开始时间 {when} 已经过去了：活动必须在将来开始。请给一个更晚的开始时间，例如 `开始时间: 2026-12-05 19:00`。没有做任何改动。",
                "O início {when} já passou: eventos começam no futuro. Dê um início posterior, como `início: 05/12/2026 19:00`. Nada foi alterado.";
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
                    Kind::Series => tx!(
                        lang,
                        "There is no series {id}. `events` shows each event's series.",
                        "没有编号为 {id} 的系列活动。`events` 会显示每个活动所属的系列。",
                        "Não existe a série {id}. `eventos` mostra a série de cada evento.";
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
            CmdError::RsvpClosed { id, when } => tx!(
                lang,
                "RSVPs for {id} closed at {when}. Nothing changed; ask the organizer if you still hope to come.",
                "活动 {id} 的报名已于 {when} 截止。没有做任何改动；如果还想参加，请联系组织者。",
                "As confirmações de {id} encerraram em {when}. Nada mudou; fale com a organização se ainda quiser ir.";
                id, when
            ),
            CmdError::NoOffer { id } => tx!(
                lang,
                "You have no place on offer for {id}. Nothing changed; press Going on its announcement (or type `rsvp {id}`) to join.",
                "你在 {id} 没有待领取的名额。没有做任何改动；请在公告上点“参加”（或输入 `rsvp {id}`）报名。",
                "Você não tem vaga oferecida em {id}. Nada mudou; aperte Vou no anúncio (ou digite `rsvp {id}`) para entrar.";
                id
            ),
            CmdError::OfferExpired { id, when } => tx!(
                lang,
                "The place offered to you for {id} was held until {when} and has passed to the next person. Type `rsvp {id}` to join the waitlist again.",
                "为你保留的 {id} 名额已于 {when} 过期，已转给下一位。输入 `rsvp {id}` 可以重新排队候补。",
                "A vaga oferecida a você em {id} ficou reservada até {when} e passou para a próxima pessoa. Digite `rsvp {id}` para voltar à lista de espera.";
                id, when
            ),
            CmdError::BadCode { given } => tx!(
                lang,
                "There is no open check-in with the code \"{given}\". Type the code shown at the door, like `checkin K7Q2XM`.",
                "没有签到码为“{given}”的签到。请输入门口显示的签到码，例如 `checkin K7Q2XM`。",
                "Não há check-in aberto com o código \"{given}\". Digite o código mostrado na entrada, como `checkin K7Q2XM`.";
                given = typed(given)
            ),
            CmdError::CheckinClosed { id } => tx!(
                lang,
                "Check-in for {id} is closed. Nothing changed; the organizer can still mark you present.",
                "活动 {id} 的签到已关闭。没有做任何改动；组织者仍可以为你登记到场。",
                "O check-in de {id} está encerrado. Nada mudou; a organização ainda pode marcar sua presença.";
                id
            ),
            CmdError::DuplicateRole { role } => tx!(
                lang,
                "The role \"{role}\" is listed twice. List each role once with its number of places, like {role}:2.",
                "岗位“{role}”写了两次。每个岗位只写一次并注明人数，例如 {role}:2。",
                "A função \"{role}\" aparece duas vezes. Liste cada função uma vez com o número de vagas, como {role}:2.";
                role = typed(role)
            ),
            CmdError::BadRepeat { given } => tx!(
                lang,
                "I can't read the repeat rule \"{given}\". Write it like `every first Thursday until 2027-06-30`, `weekly on Tuesday, 6 times` or `every quarter, 4 times`.",
                "无法识别重复规则“{given}”。请写成 `每月第一个星期四 直到 2027-06-30`、`每周二 共6次` 或 `每季度 共4次` 这样的格式。",
                "Não entendi a regra de repetição \"{given}\". Escreva assim: `toda primeira quinta até 30/06/2027`, `toda terça, 6 vezes` ou `a cada trimestre, 4 vezes`.";
                given = typed(given)
            ),
            CmdError::SeriesNeedsEnd => tx!(
                lang,
                "A series needs an end: add `until 2027-06-30` or a count like `6 times` to the repeat rule.",
                "系列活动需要结束条件：请在重复规则后加上 `直到 2027-06-30` 或 `共6次`。",
                "Uma série precisa de um fim: acrescente `até 30/06/2027` ou uma contagem como `6 vezes` à regra."
            ),
            CmdError::NoOccurrence { id, day } => tx!(
                lang,
                "The series {id} has no occurrence on {day}. `series show {id}` lists its dates.",
                "系列 {id} 在 {day} 没有活动。`series show {id}` 会列出所有日期。",
                "A série {id} não tem ocorrência em {day}. `series show {id}` lista as datas.";
                id, day
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
            CmdError::Talk(e) => e.message(lang),
            CmdError::PastDeadline { when } => tx!(
                lang,
                "The sign-up deadline {when} is already past. Give a later one, before the event starts (like `deadline: 2026-12-04 18:00`), or leave it out. Nothing was changed.",
                "报名截止时间 {when} 已经过去了。请给一个更晚、但在活动开始之前的时间（例如 `截止: 2026-12-04 18:00`），或者不写截止时间。没有做任何改动。",
                "O prazo de inscrição {when} já passou. Dê um prazo posterior, antes do início do evento (como `prazo: 04/12/2026 18:00`), ou deixe sem prazo. Nada foi alterado.";
                when
            ),
            CmdError::BadRole { given } => {
                let everyone = {
                    let g = given.trim_start_matches(['@', '&']).to_ascii_lowercase();
                    matches!(g.as_str(), "everyone" | "here" | "channel" | "all")
                };
                if everyone {
                    tx!(
                        lang,
                        "Announcements never notify \"{given}\": that would ping everyone. Name a role instead, like `role: @speakers`, or leave `role:` out. Nothing was changed.",
                        "公告从不通知“{given}”：那会提醒所有人。请改为指定一个角色，例如 `通知角色: @speakers`，或者不写 `通知角色:`。没有做任何改动。",
                        "Anúncios nunca notificam \"{given}\": isso chamaria todo mundo. Indique um cargo, como `cargo: @palestrantes`, ou deixe `cargo:` de fora. Nada foi alterado.";
                        given = typed(given)
                    )
                } else {
                    tx!(
                        lang,
                        "\"{given}\" is not a role I can notify. Mention the role, like `role: @speakers`, or leave `role:` out. Nothing was changed.",
                        "“{given}”不是可以通知的角色。请提及角色，例如 `通知角色: @speakers`，或者不写 `通知角色:`。没有做任何改动。",
                        "\"{given}\" não é um cargo que eu possa notificar. Mencione o cargo, como `cargo: @palestrantes`, ou deixe `cargo:` de fora. Nada foi alterado.";
                        given = typed(given)
                    )
                }
            }
            CmdError::NotYoursToRead { id } => tx!(
                lang,
                "Only the organizer who posted {id}, or an admin, may read its roster. `events` shows how many places are taken; ask them for the names.",
                "只有发布 {id} 的组织者或管理员可以查看它的报名名单。`events` 会显示已报名的人数；具体名单请问发布者。",
                "Só quem publicou {id}, ou um administrador, pode ver a lista de inscritos. `eventos` mostra quantas vagas estão ocupadas; peça os nomes a quem publicou.";
                id
            ),
            CmdError::UnknownTopic { given, suggestion } => {
                let base = tx!(
                    lang,
                    "There is no command `{given}` to explain.",
                    "没有可以说明的命令 `{given}`。",
                    "Não existe o comando `{given}` para explicar.";
                    given
                );
                let hint = match suggestion {
                    Some(s) => tx!(lang, " Did you mean `help {s}`?", "你是不是想用 `help {s}`？", " Você quis dizer `ajuda {s}`?"; s = *s),
                    None => tx!(
                        lang,
                        " `help` lists every command you may use.",
                        "`help` 会列出你可以使用的所有命令。",
                        " `ajuda` lista todos os comandos que você pode usar."
                    ),
                };
                base.and(hint)
            }
            CmdError::CommandTooLong { command, max } => {
                let max = *max;
                if command == "badge grant" {
                    tx!(
                        lang,
                        "That `badge grant` is too long (more than {max} characters), so I did not read it. A note holds at most 500 characters: shorten it and send the command again. Nothing was changed.",
                        "这条 `badge grant` 命令太长了（超过 {max} 个字符），所以没有执行。备注最多 500 个字符：请缩短后重新发送。没有做任何改动。",
                        "Esse `badge grant` é longo demais (mais de {max} caracteres), então não o li. Uma nota tem no máximo 500 caracteres: encurte e envie o comando de novo. Nada foi alterado.";
                        max
                    )
                } else {
                    tx!(
                        lang,
                        "That `{command}` is too long (more than {max} characters), so I did not read it. Shorten its longest part and send it again. Nothing was changed.",
                        "这条 `{command}` 命令太长了（超过 {max} 个字符），所以没有执行。请缩短最长的部分后重新发送。没有做任何改动。",
                        "Esse `{command}` é longo demais (mais de {max} caracteres), então não o li. Encurte a parte mais longa e envie de novo. Nada foi alterado.";
                        command, max
                    )
                }
            }
            CmdError::WhichCategory { held } => {
                let list = held
                    .iter()
                    .filter_map(|c| crate::badges::HERO_CATEGORIES.iter().find(|x| x.id == *c))
                    .map(|c| c.name(lang))
                    .collect::<Vec<_>>()
                    .join(", ");
                let first = held.first().copied().unwrap_or("serverless");
                tx!(
                    lang,
                    "They hold AWS Hero in several categories ({list}). Say which to take back, like `badge revoke @member hero {first}`. Nothing was changed.",
                    "对方持有多个类别的亚马逊云科技 Hero 徽章（{list}）。请说明要收回哪一个，例如 `badge revoke @member hero {first}`。没有做任何改动。",
                    "A pessoa tem AWS Hero em várias categorias ({list}). Diga qual revogar, como `badge revoke @membro hero {first}`. Nada foi alterado.";
                    list, first
                )
            }
            CmdError::BadLinkCode { given } => tx!(
                lang,
                "\"{given}\" is not a link code: codes are six letters and digits, like ABC-234. Send `link` on your other account to get one, then `link CODE` here.",
                "“{given}”不是关联代码：代码由六个字母和数字组成，例如 ABC-234。请在另一个账号上发送 `link` 获取代码，再在这里发送 `link 代码`。",
                "\"{given}\" não é um código de vínculo: códigos têm seis letras e números, como ABC-234. Envie `link` na outra conta para receber um, depois `link CÓDIGO` aqui.";
                given = typed(given)
            ),
            CmdError::LinkCodeUnknown => tx!(
                lang,
                "I know no such link code. Check it, or send `link` on your other account for a new one (codes last 10 minutes). Nothing was changed.",
                "没有这个关联代码。请检查一下，或在另一个账号上发送 `link` 获取新代码（代码 10 分钟内有效）。没有做任何改动。",
                "Não conheço esse código de vínculo. Confira, ou envie `link` na outra conta para receber um novo (códigos valem 10 minutos). Nada foi alterado."
            ),
            CmdError::LinkCodeExpired { at } => tx!(
                lang,
                "That link code expired at {at}: codes last 10 minutes. Send `link` on your other account for a new one, and use it here within 10 minutes. Nothing was changed.",
                "这个关联代码已于 {at} 过期：代码只在 10 分钟内有效。请在另一个账号上发送 `link` 获取新代码，并在 10 分钟内在这里使用。没有做任何改动。",
                "Esse código de vínculo expirou em {at}: códigos valem 10 minutos. Envie `link` na outra conta para receber um novo e use aqui em até 10 minutos. Nada foi alterado.";
                at
            ),
            CmdError::LinkCodeUsed { at } => tx!(
                lang,
                "That link code was used already ({at}); each code works once. Send `link` on your other account for a new one. Nothing was changed.",
                "这个关联代码已经用过了（{at}）；每个代码只能用一次。请在另一个账号上发送 `link` 获取新代码。没有做任何改动。",
                "Esse código de vínculo já foi usado ({at}); cada código funciona uma vez. Envie `link` na outra conta para receber um novo. Nada foi alterado.";
                at
            ),
            CmdError::LinkOwnCode => tx!(
                lang,
                "That is this account's own code. Send `link CODE` from your account on the other platform (Discord or Slack). Nothing was changed.",
                "这是这个账号自己的代码。请用你在另一个平台（Discord 或 Slack）的账号发送 `link 代码`。没有做任何改动。",
                "Esse é o código desta própria conta. Envie `link CÓDIGO` da sua conta na outra plataforma (Discord ou Slack). Nada foi alterado."
            ),
            CmdError::LinkOtherAccount => tx!(
                lang,
                "That code belongs to another account on this platform, and links only to it. To link your own accounts, send `link` on your other account and use that code here. Nothing was changed.",
                "这个代码属于这个平台上的另一个账号，只能关联到那个账号。要关联你自己的账号，请在你的另一个账号上发送 `link`，再在这里使用那个代码。没有做任何改动。",
                "Esse código pertence a outra conta desta plataforma e só vincula a ela. Para vincular suas contas, envie `link` na sua outra conta e use aquele código aqui. Nada foi alterado."
            ),
            CmdError::LinkedElsewhere => tx!(
                lang,
                "This account is linked to another account already. Send `unlink` here first, then the code again. Nothing was changed.",
                "这个账号已经关联了另一个账号。请先在这里发送 `unlink`，再发送代码。没有做任何改动。",
                "Esta conta já está vinculada a outra. Envie `unlink` aqui primeiro, depois o código de novo. Nada foi alterado."
            ),
            CmdError::LinkPlatformTaken { platform } => tx!(
                lang,
                "The account that asked for this code is linked to another {platform} account already: one account per platform. Send `unlink` from that {platform} account first. Nothing was changed.",
                "申请这个代码的账号已经关联了另一个 {platform} 账号：每个平台只能关联一个账号。请先在那个 {platform} 账号上发送 `unlink`。没有做任何改动。",
                "A conta que pediu este código já está vinculada a outra conta do {platform}: uma conta por plataforma. Envie `unlink` daquela conta do {platform} primeiro. Nada foi alterado.";
                platform = *platform
            ),
            CmdError::LinkTries { until } => tx!(
                lang,
                "Too many wrong link codes from this account. Wait until {until}, then send the code from `link` on your other account. Nothing was changed.",
                "这个账号输入了太多错误的关联代码。请等到 {until}，再发送你在另一个账号上通过 `link` 获得的代码。没有做任何改动。",
                "Códigos de vínculo errados demais desta conta. Espere até {until} e envie o código que `link` deu na sua outra conta. Nada foi alterado.";
                until
            ),
            CmdError::NotLinked => tx!(
                lang,
                "This account is not linked to another, so there is nothing to unlink. Nothing was changed. `link` links it to your account on the other platform.",
                "这个账号没有关联其他账号，无需解除。没有做任何改动。`link` 可以把它和你在另一个平台的账号关联起来。",
                "Esta conta não está vinculada a outra, então não há o que desvincular. Nada foi alterado. `link` vincula à sua conta na outra plataforma."
            ),
            CmdError::HandoffUnavailable => tx!(
                lang,
                "There is no help desk for handing questions to people here yet. Ask in a help channel, or tell an admin (they set `help_desk_channel` in config.toml).",
                "这里还没有把问题转给真人的服务台。请在帮助频道里提问，或告诉管理员（在 config.toml 里设置 `help_desk_channel`）。",
                "Ainda não há um canal de ajuda para passar perguntas a pessoas aqui. Pergunte num canal de ajuda, ou avise um administrador (que define `help_desk_channel` no config.toml)."
            ),
            CmdError::HandoffLimit { per_day, until } => tx!(
                lang,
                "You handed {per_day} questions to people today, and they are on them. You can hand over another from {until}; meanwhile, ask in a help channel.",
                "你今天已经把 {per_day} 个问题转给了真人，他们正在处理。你可以在 {until} 之后再转交；在此之前可以去帮助频道提问。",
                "Você passou {per_day} perguntas para pessoas hoje, e elas estão cuidando disso. Você pode passar outra a partir de {until}; enquanto isso, pergunte num canal de ajuda.";
                per_day = *per_day, until
            ),
            CmdError::UnknownGroup { given, groups } => tx!(
                lang,
                "There is no group \"{given}\". The groups: {groups}. `welcome` shows a button for each.",
                "没有“{given}”这个小组。可选的小组：{groups}。`welcome` 会为每个小组显示一个按钮。",
                "Não existe o grupo \"{given}\". Os grupos: {groups}. `boas-vindas` mostra um botão para cada.";
                given = typed(given), groups
            ),
            CmdError::UnknownMilestone { given, ids } => tx!(
                lang,
                "There is no program date \"{given}\". `calendar programs` lists them with their ids ({ids}).",
                "没有“{given}”这个计划日期。`calendar programs` 会列出它们和编号（{ids}）。",
                "Não existe a data de programa \"{given}\". `agenda programas` lista todas com seus ids ({ids}).";
                given = typed(given), ids
            ),
            CmdError::MilestonePassed { id } => tx!(
                lang,
                "{id} happened already and does not come again, so there is nothing to remind you of. `calendar programs` lists the dates to come.",
                "{id} 已经过去了，不会再有，所以没有什么可以提醒的。`calendar programs` 会列出即将到来的日期。",
                "{id} já aconteceu e não se repete, então não há do que lembrar. `agenda programas` lista as próximas datas.";
                id
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
