//! Why a talks command did not happen, told in the member's language with what to type
//! instead. Every refusal changes nothing.

use knowledge::Lang;

use crate::spans::Text;

/// A talks command refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TalkError {
    #[error("no track {given}")]
    UnknownTrack { given: String, known: String },
    #[error("track {id} exists")]
    TrackExists { id: String },
    #[error("bad track id {given}")]
    BadTrackId { given: String },
    #[error("{user} may not own a track")]
    NotEligible { user: String },
    #[error("not an owner of {track}")]
    NotOwner { track: String },
    #[error("owns no track")]
    NoTrack,
    #[error("no proposal {given}")]
    UnknownProposal { given: String },
    #[error("{id} is not yours")]
    NotYours { id: String },
    #[error("may not see {id}")]
    Hidden { id: String },
    #[error("review of {id} has started")]
    ReviewStarted { id: String },
    #[error("{id} is withdrawn")]
    Withdrawn { id: String },
    #[error("the decision on {id} was sent")]
    Decided { id: String },
    #[error("bad score {given}")]
    BadScore { given: String },
    /// `what`: `veto`, `decline` or `deck` (a deck veto).
    #[error("a {what} needs a reason")]
    NoReason { what: &'static str, id: String },
    #[error("a score needs a comment")]
    NoComment { id: String },
    #[error("missing {field}")]
    Missing { field: &'static str },
    #[error("bad level {given}")]
    BadLevel { given: String },
    #[error("bad language {given}")]
    BadLanguage { given: String },
    #[error("bad duration {given}")]
    BadDuration { given: String },
    #[error("cannot read {given} in the details")]
    BadDetails { given: String },
    #[error("{field} too long")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} has control characters")]
    ControlChars { field: &'static str },
    #[error("{id} is vetoed")]
    Vetoed { id: String },
    #[error("only who vetoed {id} may lift it")]
    NotYourVeto { id: String },
    #[error("{id} has no review")]
    NotReviewed { id: String },
    #[error("{id} has no event")]
    NoEvent { id: String },
    #[error("{id} is for {event}")]
    OtherEvent { id: String, event: String },
    #[error("{id} is not accepted")]
    NotAccepted { id: String },
    #[error("{id} has no deck")]
    NoDeck { id: String },
    #[error("the deck of {id} is vetoed")]
    DeckVetoed { id: String },
    #[error("bad link {given}")]
    BadLink { given: String },
    #[error("already proposed as {id}")]
    Duplicate { id: String },
    #[error("{id} was given")]
    Given { id: String },
    #[error("{given} is not yes or no")]
    BadYesNo { given: String },
    #[error("no review of yours on {id}")]
    NotScoredByYou { id: String },
    #[error("unknown form")]
    UnknownForm,
}

impl TalkError {
    pub fn code(&self) -> &'static str {
        use TalkError as E;
        match self {
            E::UnknownTrack { .. } => "unknown_track",
            E::TrackExists { .. } | E::Duplicate { .. } => "duplicate",
            E::BadTrackId { .. }
            | E::BadLevel { .. }
            | E::BadLanguage { .. }
            | E::BadDuration { .. }
            | E::BadDetails { .. }
            | E::BadLink { .. }
            | E::BadYesNo { .. }
            | E::OtherEvent { .. } => "bad_value",
            E::NotEligible { .. } => "not_track_owner",
            E::NotOwner { .. }
            | E::NoTrack
            | E::NotYours { .. }
            | E::Hidden { .. }
            | E::NotYourVeto { .. } => "denied",
            E::UnknownProposal { .. } => "not_found",
            E::ReviewStarted { .. } => "review_started",
            E::Withdrawn { .. } | E::Decided { .. } | E::Given { .. } => "closed",
            E::BadScore { .. } => "bad_number",
            E::NoReason { .. } | E::NoComment { .. } | E::Missing { .. } | E::NoEvent { .. } => {
                "missing_field"
            }
            E::TooLong { .. } => "too_long",
            E::ControlChars { .. } => "control_characters",
            E::Vetoed { .. } | E::DeckVetoed { .. } => "vetoed",
            E::NotReviewed { .. } => "not_reviewed",
            E::NotAccepted { .. } | E::NoDeck { .. } | E::NotScoredByYou { .. } => "bad_state",
            E::UnknownForm => "unknown_button",
        }
    }

    pub fn message(&self, lang: Lang) -> Text {
        use TalkError as E;
        match self {
            E::UnknownTrack { given, known } => {
                let given = Text::typed(given);
                let head = tx!(
                    lang,
                    "There is no track \"{given}\".",
                    "没有“{given}”这个技术方向。",
                    "Não existe a trilha \"{given}\".";
                    given
                );
                let tail = if known.is_empty() {
                    tx!(
                        lang,
                        " No track exists yet: an admin creates one with `track add ID NAME`.",
                        "目前还没有技术方向：管理员可以用 `track add 编号 名称` 创建。",
                        " Ainda não há trilhas: um administrador cria com `track add ID NOME`."
                    )
                } else {
                    tx!(
                        lang,
                        " The tracks: {known}. `track list` shows them.",
                        "现有方向：{known}。`track list` 可以查看。",
                        " As trilhas: {known}. `track list` mostra todas.";
                        known = known.as_str()
                    )
                };
                head.and(tail)
            }
            E::TrackExists { id } => tx!(
                lang,
                "The track {id} exists already. Nothing changed; `track owner {id} @member` names its owners.",
                "技术方向 {id} 已经存在，没有改动；用 `track owner {id} @成员` 指定出品人。",
                "A trilha {id} já existe. Nada mudou; `track owner {id} @membro` define os curadores.";
                id = id.as_str()
            ),
            E::BadTrackId { given } => tx!(
                lang,
                "\"{given}\" cannot be a track id. Use lowercase letters, digits and hyphens (at most 30), like `serverless` or `data-ml`.",
                "“{given}”不能作为方向编号。请用小写字母、数字和连字符（最多 30 个），例如 `serverless` 或 `data-ml`。",
                "\"{given}\" não serve como id de trilha. Use letras minúsculas, números e hífens (até 30), como `serverless` ou `data-ml`.";
                given = Text::typed(given)
            ),
            E::NotEligible { user } => tx!(
                lang,
                "@{user} does not hold the Track Owner badge, so they cannot own a track. Grant it first (`badge grant @{user} track-owner`), or name them under [talks] track_owners in config.toml. Nothing was changed.",
                "@{user} 没有技术出品人徽章，不能负责技术方向。请先授予（`badge grant @{user} track-owner`），或在 config.toml 的 [talks] track_owners 中列出。没有做任何改动。",
                "@{user} não tem o selo Track Owner e não pode ser curador de trilha. Conceda antes (`badge grant @{user} track-owner`) ou inclua em [talks] track_owners no config.toml. Nada foi alterado.";
                user = user.as_str()
            ),
            E::NotOwner { track } => tx!(
                lang,
                "Only the track owners of {track} may do that. Nothing was changed.",
                "只有 {track} 方向的技术出品人可以这样做。没有做任何改动。",
                "Só os curadores da trilha {track} podem fazer isso. Nada foi alterado.";
                track = track.as_str()
            ),
            E::NoTrack => tx!(
                lang,
                "`talks review` is for track owners, and you own no track. Nothing was changed. `talks mine` shows your own proposals.",
                "`talks review` 是给技术出品人用的，你没有负责的方向。没有做任何改动。`talks mine` 可以查看你自己的提案。",
                "`talks review` é para curadores de trilha, e você não é curador de nenhuma. Nada foi alterado. `talks mine` mostra as suas propostas."
            ),
            E::UnknownProposal { given } => tx!(
                lang,
                "There is no proposal {given}. `talks mine` lists yours; ids look like p3.",
                "没有编号为 {given} 的提案。`talks mine` 列出你的提案；编号形如 p3。",
                "Não existe a proposta {given}. `talks mine` lista as suas; os ids são como p3.";
                given = Text::typed(given)
            ),
            E::NotYours { id } => tx!(
                lang,
                "Only the speaker who proposed {id} may do that. Nothing was changed.",
                "只有提交 {id} 的讲者可以这样做。没有做任何改动。",
                "Só quem propôs {id} pode fazer isso. Nada foi alterado.";
                id = id.as_str()
            ),
            E::Hidden { id } => tx!(
                lang,
                "Proposal {id} is seen only by its speaker, its track's owners, its event's organizer and admins. Nothing was changed.",
                "提案 {id} 只有讲者、该方向的出品人、活动组织者和管理员可以查看。没有做任何改动。",
                "A proposta {id} só pode ser vista por quem a propôs, pelos curadores da trilha, pela organização do evento e por administradores. Nada foi alterado.";
                id = id.as_str()
            ),
            E::ReviewStarted { id } => tx!(
                lang,
                "Review of {id} has started, so it can no longer be edited. Nothing was changed. If it must change, withdraw it (`talks withdraw {id}`) and propose it again.",
                "{id} 已经开始评审，不能再修改。没有做任何改动。如果必须修改，请撤回（`talks withdraw {id}`）后重新提交。",
                "A revisão de {id} já começou, então ela não pode mais ser editada. Nada foi alterado. Se precisar mudar, retire-a (`talks withdraw {id}`) e proponha de novo.";
                id = id.as_str()
            ),
            E::Withdrawn { id } => tx!(
                lang,
                "Proposal {id} was withdrawn. Nothing was changed. `talks propose` starts a new one.",
                "提案 {id} 已撤回。没有做任何改动。`talks propose` 可以提交新的提案。",
                "A proposta {id} foi retirada. Nada foi alterado. `talks propose` começa uma nova.";
                id = id.as_str()
            ),
            E::Decided { id } => tx!(
                lang,
                "The decision on {id} has been sent to its speaker, so this can no longer change. Nothing was changed.",
                "{id} 的决定已经通知讲者，不能再更改。没有做任何改动。",
                "A decisão sobre {id} já foi enviada a quem a propôs, então isso não pode mais mudar. Nada foi alterado.";
                id = id.as_str()
            ),
            E::BadScore { given } => tx!(
                lang,
                "\"{given}\" is not a score. A score is a whole number from 1 to 5, like `talks score p3 4 Clear outline, good demo`. Nothing was changed.",
                "“{given}”不是有效的分数。分数是 1 到 5 的整数，例如 `talks score p3 4 结构清晰，演示很好`。没有做任何改动。",
                "\"{given}\" não é uma nota. A nota é um número inteiro de 1 a 5, como `talks score p3 4 Roteiro claro, boa demo`. Nada foi alterado.";
                given = Text::typed(given)
            ),
            E::NoReason { what, id } => {
                let id = id.as_str();
                match *what {
                    "veto" => tx!(
                        lang,
                        "A veto needs a reason; the speaker will read it. Type it after the id: `talks veto {id} REASON`. Nothing was changed.",
                        "否决必须写明理由，讲者会看到。请在编号后写上：`talks veto {id} 理由`。没有做任何改动。",
                        "Um veto precisa de um motivo, que quem propôs vai ler. Escreva depois do id: `talks veto {id} MOTIVO`. Nada foi alterado.";
                        id
                    ),
                    "deck" => tx!(
                        lang,
                        "A veto of a deck needs a reason; the speaker will read it. Type it after the id: `talks reject {id} REASON`. Nothing was changed.",
                        "否决讲稿必须写明理由，讲者会看到。请在编号后写上：`talks reject {id} 理由`。没有做任何改动。",
                        "Vetar os slides exige um motivo, que quem propôs vai ler. Escreva depois do id: `talks reject {id} MOTIVO`. Nada foi alterado.";
                        id
                    ),
                    _ => tx!(
                        lang,
                        "Declining needs a reason; the speaker will read it. Type it after the id: `talks decline {id} REASON`. Nothing was changed.",
                        "婉拒必须写明理由，讲者会看到。请在编号后写上：`talks decline {id} 理由`。没有做任何改动。",
                        "Recusar exige um motivo, que quem propôs vai ler. Escreva depois do id: `talks decline {id} MOTIVO`. Nada foi alterado.";
                        id
                    ),
                }
            }
            E::NoComment { id } => tx!(
                lang,
                "A score needs a comment: say what works and what could be better. Type it after the score: `talks score {id} 4 COMMENT`. Nothing was changed.",
                "打分需要附上评语：说说好在哪里、哪里可以改进。请写在分数后面：`talks score {id} 4 评语`。没有做任何改动。",
                "Uma nota precisa de um comentário: diga o que funciona e o que pode melhorar. Escreva depois da nota: `talks score {id} 4 COMENTÁRIO`. Nada foi alterado.";
                id = id.as_str()
            ),
            E::Missing { field } => {
                let name = field_name(field, lang);
                let key = *field;
                tx!(
                    lang,
                    "The {name} is missing. Add `{key}: …` (for example `talks propose title: … abstract: … track: serverless level: intermediate language: en duration: 30`). Nothing was changed.",
                    "缺少{name}。请加上 `{key}: …`（例如 `talks propose title: … abstract: … track: serverless level: intermediate language: zh duration: 30`）。没有做任何改动。",
                    "Falta o campo {name}. Acrescente `{key}: …` (por exemplo `talks propose title: … abstract: … track: serverless level: intermediate language: pt duration: 30`). Nada foi alterado.";
                    name, key
                )
            }
            E::BadLevel { given } => tx!(
                lang,
                "\"{given}\" is not an audience level. Use introductory (100), intermediate (200), advanced (300) or expert (400).",
                "“{given}”不是有效的受众级别。请用 introductory（入门，100）、intermediate（中级，200）、advanced（高级，300）或 expert（专家，400）。",
                "\"{given}\" não é um nível de público. Use introductory (100), intermediate (200), advanced (300) ou expert (400).";
                given = Text::typed(given)
            ),
            E::BadLanguage { given } => tx!(
                lang,
                "\"{given}\" is not a language the community's talks are given in. Use en, zh or pt.",
                "“{given}”不是社区演讲使用的语言。请用 en、zh 或 pt。",
                "\"{given}\" não é um idioma das palestras da comunidade. Use en, zh ou pt.";
                given = Text::typed(given)
            ),
            E::BadDuration { given } => tx!(
                lang,
                "\"{given}\" is not a duration. Give the minutes, from 5 to 180, like 30 or 45min.",
                "“{given}”不是有效的时长。请写分钟数（5 到 180），例如 30 或 45min。",
                "\"{given}\" não é uma duração. Informe os minutos, de 5 a 180, como 30 ou 45min.";
                given = Text::typed(given)
            ),
            E::BadDetails { given } => tx!(
                lang,
                "I can't read \"{given}\" in the details. Give the level, the language and the minutes, like `intermediate en 30`.",
                "详情里的“{given}”无法识别。请写级别、语言和分钟数，例如 `intermediate zh 30`。",
                "Não entendi \"{given}\" nos detalhes. Informe o nível, o idioma e os minutos, como `intermediate pt 30`.";
                given = Text::typed(given)
            ),
            E::TooLong { field, max } => {
                let name = field_name(field, lang);
                let max = *max;
                tx!(
                    lang,
                    "The {name} is too long: at most {max} characters. Shorten it and send it again; nothing was changed.",
                    "{name}太长了：最多 {max} 个字符。请缩短后重新发送；没有做任何改动。",
                    "O campo {name} é longo demais: no máximo {max} caracteres. Encurte e envie de novo; nada foi alterado.";
                    name, max
                )
            }
            E::ControlChars { field } => {
                let name = field_name(field, lang);
                tx!(
                    lang,
                    "The {name} contains control characters. Type it again as plain text; nothing was changed.",
                    "{name}里有控制字符。请用普通文字重新输入；没有做任何改动。",
                    "O campo {name} tem caracteres de controle. Digite de novo como texto simples; nada foi alterado.";
                    name
                )
            }
            E::Vetoed { id } => tx!(
                lang,
                "Proposal {id} is vetoed by a track owner. Nothing was changed; only the owner who vetoed it can lift the veto (`talks lift {id}`).",
                "提案 {id} 已被技术出品人否决。没有做任何改动；只有否决的出品人可以撤销（`talks lift {id}`）。",
                "A proposta {id} foi vetada por um curador da trilha. Nada foi alterado; só quem vetou pode retirar o veto (`talks lift {id}`).";
                id = id.as_str()
            ),
            E::NotYourVeto { id } => tx!(
                lang,
                "Only the track owner who vetoed {id} may lift the veto. Nothing was changed.",
                "只有否决 {id} 的技术出品人可以撤销否决。没有做任何改动。",
                "Só o curador que vetou {id} pode retirar o veto. Nada foi alterado.";
                id = id.as_str()
            ),
            E::NotReviewed { id } => tx!(
                lang,
                "Proposal {id} has no review yet. A track owner of its track scores it first (`talks review` shows them what waits). Nothing was changed.",
                "提案 {id} 还没有评审。需要先由该方向的技术出品人打分（他们可以用 `talks review` 查看待评审）。没有做任何改动。",
                "A proposta {id} ainda não foi avaliada. Um curador da trilha dá a nota antes (`talks review` mostra o que espera). Nada foi alterado.";
                id = id.as_str()
            ),
            E::NoEvent { id } => tx!(
                lang,
                "Proposal {id} is not for an event yet. Say which one: `talks accept {id} event: e3`.",
                "提案 {id} 还没有指定活动。请写明活动：`talks accept {id} event: e3`。",
                "A proposta {id} ainda não é para um evento. Diga qual: `talks accept {id} event: e3`.";
                id = id.as_str()
            ),
            E::OtherEvent { id, event } => tx!(
                lang,
                "Proposal {id} is for event {event}; it is decided there. Nothing was changed.",
                "提案 {id} 属于活动 {event}，应在该活动中决定。没有做任何改动。",
                "A proposta {id} é para o evento {event}; a decisão é tomada lá. Nada foi alterado.";
                id = id.as_str(), event = event.as_str()
            ),
            E::NotAccepted { id } => tx!(
                lang,
                "Proposal {id} has not been accepted, so it has no slide deck yet. Nothing was changed; `talks show {id}` shows where it stands.",
                "提案 {id} 还没有被接受，所以还没有讲稿。没有做任何改动；`talks show {id}` 可以查看进度。",
                "A proposta {id} ainda não foi aceita, então ainda não tem slides. Nada foi alterado; `talks show {id}` mostra a situação.";
                id = id.as_str()
            ),
            E::NoDeck { id } => tx!(
                lang,
                "The speaker of {id} has not sent a slide deck yet. Nothing was changed; you will see it in `talks review` when they do.",
                "{id} 的讲者还没有提交讲稿。没有做任何改动；提交后会出现在 `talks review` 中。",
                "Quem propôs {id} ainda não enviou os slides. Nada foi alterado; eles aparecem em `talks review` quando chegarem.";
                id = id.as_str()
            ),
            E::DeckVetoed { id } => tx!(
                lang,
                "The slide deck of {id} is vetoed by a track owner; the speaker sends a new one with `talks deck {id} LINK`. Nothing was changed.",
                "{id} 的讲稿已被技术出品人否决；讲者需要用 `talks deck {id} 链接` 提交新讲稿。没有做任何改动。",
                "Os slides de {id} foram vetados por um curador; quem propôs envia novos com `talks deck {id} LINK`. Nada foi alterado.";
                id = id.as_str()
            ),
            E::BadLink { given } => tx!(
                lang,
                "\"{given}\" is not a web link. Send the deck as a link starting with https://, like `talks deck p3 https://example.org/slides.pdf`.",
                "“{given}”不是网页链接。请提交以 https:// 开头的链接，例如 `talks deck p3 https://example.org/slides.pdf`。",
                "\"{given}\" não é um link. Envie os slides como um link que começa com https://, como `talks deck p3 https://example.org/slides.pdf`.";
                given = Text::typed(given)
            ),
            E::Duplicate { id } => tx!(
                lang,
                "You already proposed this talk as {id}. Nothing was changed; `talks edit {id} …` changes it while review has not started.",
                "你已经以 {id} 提交过这个演讲。没有做任何改动；评审开始前可以用 `talks edit {id} …` 修改。",
                "Você já propôs esta palestra como {id}. Nada foi alterado; `talks edit {id} …` a altera enquanto a revisão não começou.";
                id = id.as_str()
            ),
            E::Given { id } => tx!(
                lang,
                "Talk {id} has been given already. Nothing was changed.",
                "演讲 {id} 已经讲过了。没有做任何改动。",
                "A palestra {id} já foi apresentada. Nada foi alterado.";
                id = id.as_str()
            ),
            E::BadYesNo { given } => tx!(
                lang,
                "\"{given}\" is not yes or no. Write `share: yes` to let the speaker read your comment, or `share: no`.",
                "“{given}”不是 yes 或 no。写 `分享: yes` 让讲者看到你的评语，或 `分享: no`。",
                "\"{given}\" não é sim nem não. Escreva `compartilhar: sim` para quem propôs ler seu comentário, ou `compartilhar: não`.";
                given = Text::typed(given)
            ),
            E::NotScoredByYou { id } => tx!(
                lang,
                "You have not scored {id} yet, so there is no comment of yours to share. Score it first: `talks score {id} 4 COMMENT share: yes`. Nothing was changed.",
                "你还没有给 {id} 打分，没有可以分享的评语。请先打分：`talks score {id} 4 评语 分享: yes`。没有做任何改动。",
                "Você ainda não avaliou {id}, então não há comentário seu para compartilhar. Avalie antes: `talks score {id} 4 COMENTÁRIO compartilhar: sim`. Nada foi alterado.";
                id = id.as_str()
            ),
            E::UnknownForm => tx!(
                lang,
                "That form is no longer valid. Nothing was changed; type the command again.",
                "这个表单已经失效。没有做任何改动；请重新输入命令。",
                "Esse formulário não é mais válido. Nada foi alterado; digite o comando de novo."
            ),
        }
    }
}

/// A field of a proposal, review or framework as members read it.
pub(crate) fn field_name(field: &str, lang: Lang) -> &'static str {
    let names: [&str; 3] = match field {
        "title" => ["title", "标题", "título"],
        "abstract" => ["abstract", "摘要", "resumo"],
        "track" => ["track", "技术方向", "trilha"],
        "level" => ["level", "级别", "nível"],
        "language" => ["language", "语言", "idioma"],
        "duration" => ["duration", "时长", "duração"],
        "event" => ["event", "活动", "evento"],
        "comment" => ["comment", "评语", "comentário"],
        "reason" => ["reason", "理由", "motivo"],
        "link" => ["link", "链接", "link"],
        "season" => ["season", "季度", "temporada"],
        "themes" => ["themes", "主题", "temas"],
        "cover" => [
            "what a talk should cover",
            "内容要求",
            "o que a palestra deve abordar",
        ],
        "audience" => ["audience", "受众", "público"],
        "name" => ["name", "名称", "nome"],
        "details" => ["details", "详情", "detalhes"],
        "score" => ["score", "分数", "nota"],
        "share" => ["share", "分享", "compartilhar"],
        _ => ["value", "值", "valor"],
    };
    names[lang as usize]
}
