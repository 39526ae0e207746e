//! The forms of the talks module: a proposal (and its edit), a review, a veto, a decline,
//! a deck and a deck veto, and a track's framework. Each reply that carries one also says,
//! in its text, how to type the same as `key: value` lines or in one command.

use knowledge::Lang;

use super::command::FormKind;
use super::err;
use super::error::TalkError;
use super::model::Proposal;
use super::words::{MAX_ABSTRACT, MAX_COMMENT, MAX_FRAMEWORK, MAX_LINK, MAX_REASON, MAX_TITLE};
use crate::error::CmdError;
use crate::forms::{Form, FormField};
use crate::reply::{ButtonStyle, Reply, Response};
use crate::spans::Text;
use crate::{Commands, Ctx};

/// A field, its label and keys in every language.
#[allow(clippy::too_many_arguments)]
fn field(
    lang: Lang,
    name: &str,
    labels: [&str; 3],
    keys: [&str; 3],
    long: bool,
    required: bool,
    max: usize,
    placeholder: Option<String>,
) -> FormField {
    // The keys to type, by language first (shown), then the labels (also accepted).
    let mut all: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    all.extend(labels.iter().map(|l| l.to_string()));
    FormField {
        name: name.into(),
        label: labels[lang as usize].into(),
        keys: all,
        long,
        required,
        value: None,
        placeholder,
        max,
    }
}

fn with(mut f: FormField, value: impl Into<String>) -> FormField {
    let v = value.into();
    f.value = (!v.is_empty()).then_some(v);
    f
}

/// The text of a reply with a form: how to answer it by typing.
fn how_to_type(lang: Lang, intro: Text, form: &Form, one_line: &str) -> Text {
    let lines: Vec<String> = form
        .fields
        .iter()
        .map(|f| {
            let key = f
                .keys
                .get(lang as usize)
                .cloned()
                .unwrap_or_else(|| f.name.clone());
            let value = f
                .value
                .clone()
                .or_else(|| f.placeholder.clone())
                .unwrap_or_else(|| "…".into());
            let value: String = value
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(60)
                .collect();
            let optional = if f.required {
                String::new()
            } else {
                tr!(lang, " (optional)", "（可选）", " (opcional)")
            };
            format!("{key}: {value}{optional}")
        })
        .collect();
    let list = Text::plain(lines.join("\n"));
    intro.and(tx!(
        lang,
        "\n\nType each field as `key: value` on its own line, then an empty line to send it (`/cancel` drops it):\n{list}\n\nOr all in one line: `{one_line}`",
        "\n\n请每行输入一个 `字段: 内容`，最后输入空行发送（`/cancel` 放弃）：\n{list}\n\n也可以写成一行：`{one_line}`",
        "\n\nDigite cada campo como `campo: valor` numa linha, e uma linha vazia para enviar (`/cancel` desiste):\n{list}\n\nOu tudo numa linha: `{one_line}`";
        list, one_line
    ))
}

impl Commands {
    pub(crate) fn talk_form(&self, cx: &Ctx, kind: &FormKind) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let (form, intro, one_line) = match kind {
            FormKind::Propose => self.propose_form(lang, None)?,
            FormKind::Edit(id) => {
                let p = self.proposal(id)?;
                self.may_edit(cx, &p)?;
                let (form, intro, _) = self.propose_form(lang, Some(&p))?;
                let pid = p.id.as_str();
                (form, intro, format!("talks edit {pid} title: …"))
            }
            FormKind::Score(id) => {
                let p = self.proposal(id)?;
                self.must_own(cx, &p)?;
                self.may_review(&p)?;
                let mine = p.review_by(&super::Person::of(cx.actor));
                let pid = p.id.as_str();
                let mut score = field(
                    lang,
                    "score",
                    ["Score, 1 to 5", "分数（1 到 5）", "Nota, de 1 a 5"],
                    ["score", "分数", "nota"],
                    false,
                    true,
                    1,
                    Some("4".into()),
                );
                let mut comment = field(
                    lang,
                    "comment",
                    ["Comment", "评语", "Comentário"],
                    ["comment", "评语", "comentario"],
                    true,
                    true,
                    MAX_COMMENT,
                    Some(tr!(
                        lang,
                        "What works, what could be better",
                        "好在哪里，哪里可以改进",
                        "O que funciona, o que pode melhorar"
                    )),
                );
                let mut share = field(
                    lang,
                    "share",
                    [
                        "Share the comment with the speaker?",
                        "让讲者看到评语吗？",
                        "Compartilhar com quem propôs?",
                    ],
                    ["share", "分享", "compartilhar"],
                    false,
                    false,
                    5,
                    Some(tr!(lang, "yes / no", "yes / no", "sim / não")),
                );
                if let Some(r) = mine {
                    score = with(score, r.score.to_string());
                    comment = with(comment, r.comment.clone());
                    share = with(
                        share,
                        if r.shareable {
                            tr!(lang, "yes", "yes", "sim")
                        } else {
                            tr!(lang, "no", "no", "não")
                        },
                    );
                }
                let form = Form {
                    id: format!("talk-form:score:{pid}"),
                    title: tr!(lang, "Score {pid}", "给 {pid} 打分", "Nota para {pid}"),
                    submit: tr!(lang, "Score", "提交评分", "Avaliar"),
                    fields: vec![score, comment, share],
                };
                let intro = Text::typed(&p.title).and(format!(" ({pid})"));
                (
                    form,
                    intro,
                    format!("talks score {pid} 4 COMMENT share: yes"),
                )
            }
            FormKind::Veto(id) | FormKind::Reject(id) => {
                let p = self.proposal(id)?;
                self.must_own(cx, &p)?;
                let deck = matches!(kind, FormKind::Reject(_));
                if deck {
                    if p.deck.is_none() {
                        return Err(err(TalkError::NoDeck { id: p.id }));
                    }
                } else {
                    self.may_review(&p)?;
                }
                let pid = p.id.as_str();
                let (title, verb) = if deck {
                    (
                        tr!(
                            lang,
                            "Veto the deck of {pid}",
                            "否决 {pid} 的讲稿",
                            "Vetar slides {pid}"
                        ),
                        "reject",
                    )
                } else {
                    (tr!(lang, "Veto {pid}", "否决 {pid}", "Vetar {pid}"), "veto")
                };
                let form = Form {
                    id: format!("talk-form:{verb}:{pid}"),
                    title,
                    submit: tr!(lang, "Veto", "否决", "Vetar"),
                    fields: vec![reason(lang)],
                };
                let intro = Text::typed(&p.title).and(format!(" ({pid})"));
                (form, intro, format!("talks {verb} {pid} REASON"))
            }
            FormKind::Decline(id) => {
                let p = self.proposal(id)?;
                if !self.organizes(cx, &p) {
                    return Err(CmdError::NotYours { id: p.id });
                }
                let pid = p.id.as_str();
                let form = Form {
                    id: format!("talk-form:decline:{pid}"),
                    title: tr!(lang, "Decline {pid}", "婉拒 {pid}", "Recusar {pid}"),
                    submit: tr!(lang, "Decline", "婉拒", "Recusar"),
                    fields: vec![reason(lang)],
                };
                let intro = Text::typed(&p.title).and(format!(" ({pid})"));
                (form, intro, format!("talks decline {pid} REASON"))
            }
            FormKind::Deck(id) => {
                let p = self.proposal(id)?;
                if !p.speaker.is(cx.actor) {
                    return Err(err(TalkError::NotYours { id: p.id }));
                }
                if !p.accepted() {
                    return Err(err(TalkError::NotAccepted { id: p.id }));
                }
                let pid = p.id.as_str();
                let link = field(
                    lang,
                    "link",
                    ["Link to the slide deck", "讲稿链接", "Link dos slides"],
                    ["link", "链接", "link"],
                    false,
                    true,
                    MAX_LINK,
                    Some("https://…".into()),
                );
                let form = Form {
                    id: format!("talk-form:deck:{pid}"),
                    title: tr!(lang, "Slides for {pid}", "{pid} 的讲稿", "Slides de {pid}"),
                    submit: tr!(lang, "Send", "提交", "Enviar"),
                    fields: vec![link],
                };
                let intro = Text::typed(&p.title).and(format!(" ({pid})"));
                (form, intro, format!("talks deck {pid} https://…"))
            }
            FormKind::Publish(track) => {
                let t = self.track(track)?;
                if !self.owns(cx.actor, &t) {
                    return Err(err(TalkError::NotOwner { track: t.name }));
                }
                let current = t
                    .framework
                    .as_ref()
                    .and_then(|f| Some((f.season.clone(), f.texts.get(lang.code())?.clone())));
                let mut season = field(
                    lang,
                    "season",
                    ["Season", "季度", "Temporada"],
                    ["season", "季度", "temporada"],
                    false,
                    true,
                    40,
                    Some("2026".into()),
                );
                let mut themes = field(
                    lang,
                    "themes",
                    ["Themes", "主题", "Temas"],
                    ["themes", "主题", "temas"],
                    true,
                    true,
                    MAX_FRAMEWORK,
                    None,
                );
                let mut cover = field(
                    lang,
                    "cover",
                    [
                        "What a talk should cover",
                        "演讲应涵盖的内容",
                        "O que a palestra deve abordar",
                    ],
                    ["cover", "内容要求", "conteudo"],
                    true,
                    true,
                    MAX_FRAMEWORK,
                    None,
                );
                let mut audience = field(
                    lang,
                    "audience",
                    ["Audience level", "受众级别", "Nível do público"],
                    ["audience", "受众", "publico"],
                    false,
                    true,
                    200,
                    Some(tr!(
                        lang,
                        "200–300, builders new to the topic",
                        "200–300，初次接触该主题的开发者",
                        "200–300, quem está começando no tema"
                    )),
                );
                if let Some((s, text)) = current {
                    season = with(season, s);
                    themes = with(themes, text.themes);
                    cover = with(cover, text.cover);
                    audience = with(audience, text.audience);
                }
                let language = with(
                    field(
                        lang,
                        "language",
                        [
                            "Written in (en, zh, pt)",
                            "撰写语言（en、zh、pt）",
                            "Idioma (en, zh, pt)",
                        ],
                        ["language", "语言", "idioma"],
                        false,
                        false,
                        10,
                        None,
                    ),
                    lang.code(),
                );
                let tid = t.id.as_str();
                let form = Form {
                    id: format!("talk-form:publish:{tid}"),
                    title: tr!(lang, "Framework", "内容框架", "Diretrizes"),
                    submit: tr!(lang, "Publish", "发布", "Publicar"),
                    fields: vec![season, themes, cover, audience, language],
                };
                let intro = Text::typed(&t.name);
                (
                    form,
                    intro,
                    format!("track publish {tid} season: 2026 themes: … cover: … audience: …"),
                )
            }
        };
        let text = how_to_type(lang, intro, &form, &one_line);
        let mut reply = Reply::private(lang, text).button(
            kind.button(),
            tr!(lang, "Open the form", "打开表单", "Abrir o formulário"),
            ButtonStyle::Primary,
        );
        reply.form = Some(form);
        Ok(Response::one(reply))
    }

    /// The proposal form, empty or holding `p` (an edit).
    fn propose_form(
        &self,
        lang: Lang,
        p: Option<&Proposal>,
    ) -> Result<(Form, Text, String), CmdError> {
        let tracks: Vec<String> = self.tracks()?.into_iter().map(|t| t.id).collect();
        let now = self.now();
        let mut events: Vec<crate::events::Event> = self
            .trees
            .scan::<crate::events::Event>(crate::store::T::Events, b"")?
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| !e.cancelled && e.start > now)
            .collect();
        events.sort_by_key(|e| e.start);
        let event_ids: Vec<String> = events.iter().take(5).map(|e| e.id.clone()).collect();
        let clip =
            |s: String| -> String { s.chars().take(crate::forms::MAX_PLACEHOLDER).collect() };
        let mut title = field(
            lang,
            "title",
            ["Title", "标题", "Título"],
            ["title", "标题", "titulo"],
            false,
            true,
            MAX_TITLE,
            None,
        );
        let mut summary = field(
            lang,
            "abstract",
            ["Abstract", "摘要", "Resumo"],
            ["abstract", "摘要", "resumo"],
            true,
            true,
            MAX_ABSTRACT,
            Some(tr!(
                lang,
                "What the audience will learn, and how",
                "听众会学到什么、如何学到",
                "O que o público vai aprender, e como"
            )),
        );
        let mut track = field(
            lang,
            "track",
            ["Track", "技术方向", "Trilha"],
            ["track", "方向", "trilha"],
            false,
            true,
            60,
            (!tracks.is_empty()).then(|| clip(tracks.join(", "))),
        );
        let mut details = field(
            lang,
            "details",
            [
                "Level, language, minutes",
                "级别、语言、分钟数",
                "Nível, idioma, minutos",
            ],
            ["details", "详情", "detalhes"],
            false,
            true,
            80,
            Some(tr!(
                lang,
                "intermediate, en, 30",
                "intermediate, zh, 30",
                "intermediate, pt, 30"
            )),
        );
        let mut event = field(
            lang,
            "event",
            [
                "Event it is for (optional)",
                "针对的活动（可选）",
                "Evento (opcional)",
            ],
            ["event", "活动", "evento"],
            false,
            false,
            20,
            (!event_ids.is_empty()).then(|| clip(event_ids.join(", "))),
        );
        if let Some(p) = p {
            title = with(title, p.title.clone());
            summary = with(summary, p.summary.clone());
            track = with(track, p.track.clone());
            details = with(
                details,
                format!("{}, {}, {}", p.level.id(), p.language, p.duration),
            );
            event = with(event, p.event.clone().unwrap_or_default());
        }
        let (id, form_title, submit, intro) = match p {
            None => (
                "talk-form:propose".to_string(),
                tr!(lang, "Propose a talk", "提交演讲提案", "Propor palestra"),
                tr!(lang, "Propose", "提交", "Propor"),
                tx!(
                    lang,
                    "Propose a talk. `track list` shows the tracks and `talks framework TRACK` what each looks for.",
                    "提交演讲提案。`track list` 列出技术方向，`talks framework 方向` 查看各方向想要的内容。",
                    "Proponha uma palestra. `track list` mostra as trilhas e `talks framework TRILHA` o que cada uma procura."
                ),
            ),
            Some(p) => {
                let pid = p.id.as_str();
                (
                    format!("talk-form:edit:{pid}"),
                    tr!(lang, "Edit {pid}", "修改 {pid}", "Editar {pid}"),
                    tr!(lang, "Save", "保存", "Salvar"),
                    Text::typed(&p.title).and(format!(" ({pid})")),
                )
            }
        };
        let form = Form {
            id,
            title: form_title,
            submit,
            fields: vec![title, summary, track, details, event],
        };
        let one_line = tr!(
            lang,
            "talks propose title: … abstract: … track: serverless level: intermediate language: en duration: 30 event: e3",
            "talks propose 标题: … 摘要: … 方向: serverless 级别: intermediate 语言: zh 时长: 30 活动: e3",
            "talks propose título: … resumo: … trilha: serverless nível: intermediate idioma: pt duração: 30 evento: e3"
        );
        Ok((form, intro, one_line))
    }
}

fn reason(lang: Lang) -> FormField {
    field(
        lang,
        "reason",
        [
            "Reason (the speaker reads it)",
            "理由（讲者会看到）",
            "Motivo (quem propôs vai ler)",
        ],
        ["reason", "理由", "motivo"],
        true,
        true,
        MAX_REASON,
        None,
    )
}
