//! Proposals from the speaker's side: proposing, seeing them, editing until review starts,
//! withdrawing; and `talks show`, which shows each reader what they may see.

use knowledge::Lang;

use super::command::ProposalFields;
use super::error::TalkError;
use super::model::{Decision, Person, Proposal, Stage, TalkLevel, VERSION};
use super::words::{self, MAX_ABSTRACT, MAX_TITLE};
use super::{abort, audit, err};
use crate::actor::Level;
use crate::error::CmdError;
use crate::events::Event;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::fold;
use crate::{Commands, Ctx};

/// A proposal's fields, checked.
#[derive(Clone)]
struct Checked {
    title: String,
    summary: String,
    track: String,
    level: TalkLevel,
    language: String,
    duration: u32,
    event: Option<String>,
}

/// Who is reading a proposal, and so what they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    Speaker,
    /// Owners of its track and admins: scores, comments, the veto.
    Reviewer,
    /// The organizer of its event: the state and the number of reviews, no scores.
    Organizer,
    /// Anyone, once it is accepted.
    Public,
}

impl Commands {
    /// Checks `f`, on top of `base` for an edit.
    fn checked(&self, f: &ProposalFields, base: Option<&Proposal>) -> Result<Checked, CmdError> {
        let pick = |given: &Option<String>, old: Option<String>| given.clone().or(old);
        let title = pick(&f.title, base.map(|p| p.title.clone()));
        let summary = pick(&f.summary, base.map(|p| p.summary.clone()));
        let title = words::required(title.as_deref(), "title", MAX_TITLE, false).map_err(err)?;
        let summary =
            words::required(summary.as_deref(), "abstract", MAX_ABSTRACT, true).map_err(err)?;
        let track = match (&f.track, base) {
            (Some(t), _) => {
                self.track(&words::clean(t, "track", 60, false).map_err(err)?)?
                    .id
            }
            (None, Some(p)) => p.track.clone(),
            (None, None) => return Err(err(TalkError::Missing { field: "track" })),
        };
        let level = match (&f.level, base) {
            (Some(l), _) => {
                words::level(&words::clean(l, "level", 40, false).map_err(err)?).map_err(err)?
            }
            (None, Some(p)) => p.level,
            (None, None) => return Err(err(TalkError::Missing { field: "level" })),
        };
        let language = match (&f.language, base) {
            (Some(l), _) => words::language(&words::clean(l, "language", 40, false).map_err(err)?)
                .map_err(err)?
                .code()
                .to_string(),
            (None, Some(p)) => p.language.clone(),
            (None, None) => return Err(err(TalkError::Missing { field: "language" })),
        };
        let duration = match (&f.duration, base) {
            (Some(d), _) => words::duration(&words::clean(d, "duration", 40, false).map_err(err)?)
                .map_err(err)?,
            (None, Some(p)) => p.duration,
            (None, None) => return Err(err(TalkError::Missing { field: "duration" })),
        };
        let event = match &f.event {
            Some(e) => {
                let e = words::clean(e, "event", 40, false).map_err(err)?;
                if e.is_empty() || matches!(fold(&e).as_str(), "none" | "nenhum" | "无" | "-") {
                    None
                } else {
                    Some(self.open_event(&e)?.id)
                }
            }
            None => base.and_then(|p| p.event.clone()),
        };
        Ok(Checked {
            title,
            summary,
            track,
            level,
            language,
            duration,
            event,
        })
    }

    /// An event a talk may still be proposed for or accepted into.
    pub(crate) fn open_event(&self, id: &str) -> Result<Event, CmdError> {
        let e = self.event(id)?;
        if e.cancelled {
            return Err(CmdError::EventCancelled { id: e.id });
        }
        if e.started(self.now()) {
            return Err(CmdError::EventStarted { id: e.id });
        }
        Ok(e)
    }

    pub(crate) fn talk_propose(&self, cx: &Ctx, f: &ProposalFields) -> Result<Response, CmdError> {
        if f.title.is_none() && f.summary.is_none() {
            return self.talk_form(cx, &super::FormKind::Propose);
        }
        let c = self.checked(f, None)?;
        let now = self.now();
        let me = Person::of(cx.actor);
        let name: String = cx
            .actor
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        let lang = cx.lang;
        let p = self.trees.write(|tx| {
            // The same talk proposed again (a form sent twice) is the one there is.
            let index = title_key(&me, &c.title);
            if let Some(id) = tx.get::<String>(T::Meta, &index)? {
                if let Some(other) = tx.get::<Proposal>(T::Talks, id.as_bytes())? {
                    if other.open() && fold(&other.title) == fold(&c.title) {
                        return abort(TalkError::Duplicate { id: other.id });
                    }
                }
            }
            let p = Proposal {
                v: VERSION,
                id: format!("p{}", tx.next("talk")?),
                speaker: me.clone(),
                speaker_name: name.clone(),
                speaker_lang: lang.code().to_string(),
                title: c.title.clone(),
                summary: c.summary.clone(),
                track: c.track.clone(),
                level: c.level,
                language: c.language.clone(),
                duration: c.duration,
                event: c.event.clone(),
                submitted: now,
                edited: None,
                withdrawn: None,
                reviews: Vec::new(),
                review_started: false,
                veto: None,
                pending: None,
                sent: None,
                deck_due: None,
                deck: None,
                given: None,
            };
            tx.put(T::Talks, p.id.as_bytes(), &p)?;
            tx.put(T::Meta, &index, &p.id)?;
            audit(tx, now, &me, "propose", &p.id, Some(p.title.clone()))?;
            Ok(p)
        })?;
        let track = self.track(&p.track)?;
        let pid = p.id.as_str();
        let title = Text::typed(&p.title);
        let tname = Text::typed(&track.name);
        let reply = Reply::private(
            lang,
            tx!(
                lang,
                "📝 Your proposal {pid}, \"{title}\", is submitted to the {tname} track. Its track owners review it; until they start you can change it (`talks edit {pid} …`) or withdraw it (`talks withdraw {pid}`). `talks mine` shows where it stands.",
                "📝 你的提案 {pid}“{title}”已提交到 {tname} 方向。该方向的技术出品人会评审；评审开始前你可以修改（`talks edit {pid} …`）或撤回（`talks withdraw {pid}`）。`talks mine` 可以查看进度。",
                "📝 Sua proposta {pid}, \"{title}\", foi enviada para a trilha {tname}. Os curadores da trilha vão revisá-la; até começarem, você pode alterá-la (`talks edit {pid} …`) ou retirá-la (`talks withdraw {pid}`). `talks mine` mostra a situação.";
                pid, title, tname
            ),
        )
        .button(
            format!("talk:form:edit:{pid}"),
            tr!(lang, "Edit", "修改", "Editar"),
            ButtonStyle::Secondary,
        )
        .button(
            "talk:mine",
            tr!(lang, "My proposals", "我的提案", "Minhas propostas"),
            ButtonStyle::Secondary,
        );
        Ok(Response::one(reply))
    }

    /// The speaker may still edit `p`.
    pub(crate) fn may_edit(&self, cx: &Ctx, p: &Proposal) -> Result<(), CmdError> {
        if !p.speaker.is(cx.actor) {
            return Err(err(TalkError::NotYours { id: p.id.clone() }));
        }
        editable(p)
    }

    pub(crate) fn talk_edit(
        &self,
        cx: &Ctx,
        id: &str,
        f: &ProposalFields,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.may_edit(cx, &p)?;
        if f.is_empty() {
            return self.talk_form(cx, &super::FormKind::Edit(p.id));
        }
        let c = self.checked(f, Some(&p))?;
        let now = self.now();
        let me = Person::of(cx.actor);
        let lang = cx.lang;
        let changed = self.trees.write(|tx| {
            let Some(mut cur) = tx.get::<Proposal>(T::Talks, p.id.as_bytes())? else {
                return abort(TalkError::UnknownProposal {
                    given: p.id.clone(),
                });
            };
            // A review may have started since it was read.
            if let Err(CmdError::Talk(e)) = editable(&cur) {
                return abort(e);
            }
            let mut changed = Vec::new();
            let mut set = |name: &'static str, differs: bool| {
                if differs {
                    changed.push(name);
                }
            };
            set("title", cur.title != c.title);
            set("abstract", cur.summary != c.summary);
            set("track", cur.track != c.track);
            set("level", cur.level != c.level);
            set("language", cur.language != c.language);
            set("duration", cur.duration != c.duration);
            set("event", cur.event != c.event);
            if changed.is_empty() {
                return Ok(changed);
            }
            cur.title = c.title.clone();
            cur.summary = c.summary.clone();
            cur.track = c.track.clone();
            cur.level = c.level;
            cur.language = c.language.clone();
            cur.duration = c.duration;
            cur.event = c.event.clone();
            cur.edited = Some(now);
            cur.speaker_lang = lang.code().to_string();
            tx.put(T::Talks, cur.id.as_bytes(), &cur)?;
            tx.put(T::Meta, &title_key(&cur.speaker, &cur.title), &cur.id)?;
            audit(tx, now, &me, "edit", &cur.id, Some(changed.join(", ")))?;
            Ok(changed)
        })?;
        let pid = p.id.as_str();
        let text = if changed.is_empty() {
            tx!(
                lang,
                "Proposal {pid} already says that. Nothing changed.",
                "提案 {pid} 的内容已经是这样。没有改动。",
                "A proposta {pid} já diz isso. Nada mudou.";
                pid
            )
        } else {
            let fields = changed
                .iter()
                .map(|f| super::error::field_name(f, lang))
                .collect::<Vec<_>>()
                .join(", ");
            tx!(
                lang,
                "Proposal {pid} is updated ({fields}).",
                "提案 {pid} 已更新（{fields}）。",
                "A proposta {pid} foi atualizada ({fields}).";
                pid, fields = fields.as_str()
            )
        };
        Ok(Response::one(Reply::private(lang, text)))
    }

    pub(crate) fn talk_withdraw(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        if !p.speaker.is(cx.actor) {
            return Err(err(TalkError::NotYours { id: p.id }));
        }
        let now = self.now();
        let me = Person::of(cx.actor);
        let (before, after) = self.trees.write(|tx| {
            let Some(mut cur) = tx.get::<Proposal>(T::Talks, p.id.as_bytes())? else {
                return abort(TalkError::UnknownProposal {
                    given: p.id.clone(),
                });
            };
            let before = cur.clone();
            if cur.withdrawn.is_some() {
                return Ok((before, None));
            }
            if cur.given.is_some() {
                return abort(TalkError::Given { id: cur.id });
            }
            match cur.stage() {
                Stage::Declined(_) | Stage::Vetoed(_) => {
                    return abort(TalkError::Decided { id: cur.id })
                }
                _ => {}
            }
            cur.withdrawn = Some(now);
            cur.pending = None;
            tx.put(T::Talks, cur.id.as_bytes(), &cur)?;
            audit(tx, now, &me, "withdraw", &cur.id, None)?;
            Ok((before, Some(cur)))
        })?;
        let lang = cx.lang;
        let pid = p.id.as_str();
        let title = Text::typed(&p.title);
        let Some(after) = after else {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "Proposal {pid} was already withdrawn. Nothing changed.",
                    "提案 {pid} 早已撤回。没有改动。",
                    "A proposta {pid} já tinha sido retirada. Nada mudou.";
                    pid
                ),
            )));
        };
        let mut response = Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "Proposal {pid}, \"{title}\", is withdrawn. Thank you for proposing it.",
                "提案 {pid}“{title}”已撤回。感谢你的提案。",
                "A proposta {pid}, \"{title}\", foi retirada. Obrigado por tê-la proposto.";
                pid, title = &title
            ),
        ));
        // An accepted talk leaves its event: the announcement and the organizer know.
        if before.accepted() {
            if let Some(ev) = after.event.as_deref().and_then(|e| self.event(e).ok()) {
                response = response.and(
                    self.event_post(&ev, lang)
                        .to(Destination::Update { key: ev.post_key() }),
                );
                let mut dm = Reply::new(
                    lang,
                    tx!(
                        lang,
                        "The speaker withdrew {pid}, \"{title}\", accepted for {eid}.",
                        "讲者撤回了已被 {eid} 接受的提案 {pid}“{title}”。",
                        "Quem propôs retirou {pid}, \"{title}\", aceita para {eid}.";
                        pid, title = &title, eid = ev.id.as_str()
                    ),
                )
                .to(Destination::Direct {
                    platform: ev.platform,
                    user: ev.organizer.clone(),
                });
                dm.mention_users.push(ev.organizer.clone());
                response = response.and(dm);
            }
        }
        Ok(response)
    }

    pub(crate) fn talk_mine(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let mut mine: Vec<Proposal> = self
            .proposals()?
            .into_iter()
            .filter(|p| p.speaker.is(cx.actor))
            .collect();
        mine.reverse();
        if mine.is_empty() {
            return Ok(Response::one(
                Reply::private(
                    lang,
                    tx!(
                        lang,
                        "You have no talk proposals yet. `talks propose` proposes one; `track list` shows the tracks.",
                        "你还没有演讲提案。`talks propose` 可以提交；`track list` 列出技术方向。",
                        "Você ainda não tem propostas de palestra. `talks propose` propõe uma; `track list` mostra as trilhas."
                    ),
                )
                .button(
                    "talk:form:propose",
                    tr!(lang, "Propose a talk", "提交演讲提案", "Propor palestra"),
                    ButtonStyle::Primary,
                ),
            ));
        }
        let mut reply = Reply::private(lang, "").title(tr!(
            lang,
            "Your talk proposals",
            "你的演讲提案",
            "Suas propostas de palestra"
        ));
        let mut lines = Vec::new();
        for p in mine.iter().take(25) {
            let mut line = Text::code(&p.id)
                .and(" \"")
                .and(Text::typed(&p.title))
                .and("\" — ")
                .and(self.stage_text(p, View::Speaker, lang));
            let shared = p.reviews.iter().filter(|r| r.shareable).count();
            if shared > 0 {
                line.append(tr!(
                    lang,
                    " · {shared} comment(s) shared with you",
                    " · {shared} 条评语已分享给你",
                    " · {shared} comentário(s) compartilhado(s) com você"
                ));
            }
            lines.push(line);
            let pid = &p.id;
            if editable(p).is_ok() {
                reply = reply.button(
                    format!("talk:form:edit:{pid}"),
                    tr!(lang, "Edit {pid}", "修改 {pid}", "Editar {pid}"),
                    ButtonStyle::Secondary,
                );
            } else if p.deck_wanted() {
                reply = reply.button(
                    format!("talk:form:deck:{pid}"),
                    tr!(
                        lang,
                        "Send slides for {pid}",
                        "提交 {pid} 的讲稿",
                        "Enviar slides de {pid}"
                    ),
                    ButtonStyle::Primary,
                );
            }
        }
        reply.text = Text::join(lines, "\n").and(tx!(
            lang,
            "\n\n`talks show ID` shows one in full.",
            "\n\n`talks show 编号` 查看详情。",
            "\n\n`talks show ID` mostra uma por inteiro."
        ));
        reply.buttons.truncate(25);
        Ok(Response::one(reply))
    }

    /// How the reader may see `p`.
    pub(crate) fn view_of(&self, cx: &Ctx, p: &Proposal) -> Result<Option<View>, CmdError> {
        let (_, owns) = self.owner_of(cx.actor, p)?;
        Ok(if owns || cx.level == Level::Admin {
            Some(View::Reviewer)
        } else if p.speaker.is(cx.actor) {
            Some(View::Speaker)
        } else if self.organizes(cx, p) {
            Some(View::Organizer)
        } else if p.accepted() {
            Some(View::Public)
        } else {
            None
        })
    }

    pub(crate) fn talk_show(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        let view = self
            .view_of(cx, &p)?
            .ok_or_else(|| err(TalkError::Hidden { id: p.id.clone() }))?;
        let lang = cx.lang;
        let track = self.track(&p.track)?;
        let owns = self.owns(cx.actor, &track);
        let ev = p.event.as_deref().and_then(|e| self.event(e).ok());
        let mut reply = Reply::private(lang, Text::typed(&p.summary))
            .title(Text::plain(format!("🎤 {} · ", p.id)).and(Text::typed(&p.title)))
            .field(
                tr!(lang, "Speaker", "讲者", "Palestrante"),
                Text::user(p.speaker.platform, &p.speaker.user),
            )
            .field(
                tr!(lang, "Track", "技术方向", "Trilha"),
                Text::typed(&track.name),
            )
            .field(tr!(lang, "Talk", "演讲", "Palestra"), talk_facts(&p, lang));
        if let Some(e) = &ev {
            reply = reply.field(
                tr!(lang, "Event", "活动", "Evento"),
                Text::code(&e.id)
                    .and(" ")
                    .and(Text::typed(&e.title))
                    .and(format!(" — {}", self.moment(e.start, lang))),
            );
        }
        if view != View::Public {
            reply = reply.field(
                tr!(lang, "State", "状态", "Situação"),
                self.stage_text(&p, view, lang),
            );
        }
        match view {
            View::Reviewer => {
                let reviews: Vec<Text> = p
                    .reviews
                    .iter()
                    .map(|r| {
                        let shared = if r.shareable {
                            tr!(lang, " (shared)", "（已分享）", " (compartilhado)")
                        } else {
                            String::new()
                        };
                        Text::user(r.by.platform, &r.by.user)
                            .and(format!(" {}/5{shared} — ", r.score))
                            .and(Text::typed(&r.comment))
                    })
                    .collect();
                if let Some(m) = p.mean() {
                    reply = reply.field(
                        tr!(lang, "Mean score", "平均分", "Nota média"),
                        format!("{m:.1} ({})", p.reviews.len()),
                    );
                }
                if !reviews.is_empty() {
                    reply = reply.field(
                        tr!(lang, "Reviews", "评审", "Revisões"),
                        Text::join(reviews, "\n"),
                    );
                }
                if let Some(v) = &p.veto {
                    reply = reply.field(
                        tr!(lang, "Veto", "否决", "Veto"),
                        Text::user(v.by.platform, &v.by.user)
                            .and(": ")
                            .and(Text::typed(&v.reason)),
                    );
                }
            }
            View::Speaker => {
                let shared: Vec<Text> = p
                    .reviews
                    .iter()
                    .filter(|r| r.shareable)
                    .map(|r| Text::typed(&r.comment))
                    .collect();
                if !shared.is_empty() {
                    reply = reply.field(
                        tr!(
                            lang,
                            "Reviewers' comments shared with you",
                            "评审分享给你的评语",
                            "Comentários compartilhados com você"
                        ),
                        Text::join(shared, "\n"),
                    );
                }
            }
            View::Organizer => {
                let n = p.reviews.len();
                reply = reply.field(
                    tr!(lang, "Reviews", "评审", "Revisões"),
                    tr!(
                        lang,
                        "{n} (scores are for the track owners)",
                        "{n} 条（分数仅出品人可见）",
                        "{n} (as notas são dos curadores)"
                    ),
                );
            }
            View::Public => {}
        }
        if let (Some(d), true) = (&p.deck, view != View::Public) {
            let mut value = Text::link_or_typed(&d.url);
            if d.late {
                value.append(tr!(lang, " (late)", "（逾期）", " (atrasado)"));
            }
            if let Some(a) = &d.approved {
                value.append(tr!(
                    lang,
                    " — approved by ",
                    " — 已通过：",
                    " — aprovado por "
                ));
                value.append(Text::user(a.by.platform, &a.by.user));
            }
            if let Some(v) = &d.veto {
                value.append(tr!(lang, " — vetoed: ", " — 已否决：", " — vetado: "));
                value.append(Text::typed(&v.reason));
            }
            reply = reply.field(tr!(lang, "Slides", "讲稿", "Slides"), value);
        }
        if let (Some(due), true) = (p.deck_due, p.deck_wanted() && view != View::Public) {
            reply = reply.field(
                tr!(lang, "Slides due", "讲稿截止", "Slides até"),
                self.moment(due, lang),
            );
        }
        reply = self.show_buttons(cx, &p, view, owns, reply);
        Ok(Response::one(reply))
    }

    fn show_buttons(&self, cx: &Ctx, p: &Proposal, view: View, owns: bool, mut r: Reply) -> Reply {
        let lang = cx.lang;
        let pid = &p.id;
        let me = Person::of(cx.actor);
        if view == View::Speaker && editable(p).is_ok() {
            r = r.button(
                format!("talk:form:edit:{pid}"),
                tr!(lang, "Edit", "修改", "Editar"),
                ButtonStyle::Secondary,
            );
        }
        if view == View::Speaker && p.deck_wanted() {
            r = r.button(
                format!("talk:form:deck:{pid}"),
                tr!(lang, "Send slides", "提交讲稿", "Enviar slides"),
                ButtonStyle::Primary,
            );
        }
        if owns && p.open() {
            r = r.button(
                format!("talk:form:score:{pid}"),
                tr!(lang, "Score", "打分", "Avaliar"),
                ButtonStyle::Primary,
            );
            match &p.veto {
                None => {
                    r = r.button(
                        format!("talk:form:veto:{pid}"),
                        tr!(lang, "Veto", "否决", "Vetar"),
                        ButtonStyle::Danger,
                    )
                }
                Some(v) if v.by == me => {
                    r = r.button(
                        format!("talk:lift:{pid}"),
                        tr!(lang, "Lift my veto", "撤销我的否决", "Retirar meu veto"),
                        ButtonStyle::Secondary,
                    )
                }
                Some(_) => {}
            }
            if p.review_by(&me).is_some_and(|r| !r.shareable) {
                r = r.button(
                    format!("talk:share:{pid}"),
                    tr!(
                        lang,
                        "Share my comment",
                        "分享我的评语",
                        "Compartilhar comentário"
                    ),
                    ButtonStyle::Secondary,
                );
            }
        }
        if owns
            && p.accepted()
            && p.deck
                .as_ref()
                .is_some_and(|d| d.approved.is_none() && d.veto.is_none())
        {
            r = r
                .button(
                    format!("talk:approve:{pid}"),
                    tr!(lang, "Approve slides", "通过讲稿", "Aprovar slides"),
                    ButtonStyle::Success,
                )
                .button(
                    format!("talk:form:reject:{pid}"),
                    tr!(lang, "Veto slides", "否决讲稿", "Vetar slides"),
                    ButtonStyle::Danger,
                );
        }
        if (matches!(view, View::Organizer) || (cx.level == Level::Admin && p.event.is_some()))
            && p.open()
            && p.veto.is_none()
            && !p.reviews.is_empty()
        {
            r = r
                .button(
                    format!("talk:accept:{pid}"),
                    tr!(lang, "Accept", "接受", "Aceitar"),
                    ButtonStyle::Success,
                )
                .button(
                    format!("talk:form:decline:{pid}"),
                    tr!(lang, "Decline", "婉拒", "Recusar"),
                    ButtonStyle::Danger,
                );
        }
        r
    }

    /// Where `p` stands, as `view` may see it.
    pub(crate) fn stage_text(&self, p: &Proposal, view: View, lang: Lang) -> Text {
        let stage = p.stage();
        let insider = matches!(view, View::Reviewer | View::Organizer);
        if insider && p.sent.is_none() && p.withdrawn.is_none() {
            if p.veto.is_some() {
                return Text::plain(tr!(
                    lang,
                    "vetoed by a track owner (not sent yet)",
                    "已被技术出品人否决（尚未通知讲者）",
                    "vetada por um curador (ainda não enviado)"
                ));
            }
            match &p.pending {
                Some(Decision::Accept { .. }) => {
                    return Text::plain(tr!(
                        lang,
                        "accepted, to be sent with `talks send`",
                        "已接受，待 `talks send` 发送",
                        "aceita, a enviar com `talks send`"
                    ))
                }
                Some(Decision::Decline { reason, .. }) => {
                    return Text::plain(tr!(
                        lang,
                        "declined, to be sent with `talks send`: ",
                        "已婉拒，待 `talks send` 发送：",
                        "recusada, a enviar com `talks send`: "
                    ))
                    .and(Text::typed(reason))
                }
                None => {}
            }
        }
        match stage {
            Stage::Submitted => Text::plain(tr!(
                lang,
                "submitted, waiting for a first review (still editable)",
                "已提交，等待评审（仍可修改）",
                "enviada, esperando a primeira revisão (ainda editável)"
            )),
            Stage::InReview => Text::plain(tr!(lang, "in review", "评审中", "em revisão")),
            Stage::Withdrawn => Text::plain(tr!(lang, "withdrawn", "已撤回", "retirada")),
            Stage::Accepted => {
                let eid = p.event.clone().unwrap_or_default();
                let mut t = Text::plain(tr!(
                    lang,
                    "accepted for {eid}",
                    "已被 {eid} 接受",
                    "aceita para {eid}"
                ));
                if let Some(d) = &p.deck {
                    if d.approved.is_some() {
                        t.append(tr!(
                            lang,
                            ", slides approved",
                            "，讲稿已通过",
                            ", slides aprovados"
                        ));
                    } else if d.veto.is_some() {
                        t.append(tr!(
                            lang,
                            ", slides vetoed: send new ones",
                            "，讲稿被否决：请重新提交",
                            ", slides vetados: envie outros"
                        ));
                    } else {
                        t.append(tr!(
                            lang,
                            ", slides in review",
                            "，讲稿评审中",
                            ", slides em revisão"
                        ));
                    }
                } else if let Some(due) = p.deck_due {
                    let due = self.moment(due, lang);
                    t.append(tr!(
                        lang,
                        ", slides due {due}",
                        "，讲稿截止 {due}",
                        ", slides até {due}"
                    ));
                }
                t
            }
            Stage::Declined(reason) => {
                let mut t = Text::plain(tr!(lang, "declined", "未被接受", "recusada"));
                if let Some(r) = reason {
                    t.append(": ");
                    t.append(Text::typed(r));
                }
                t
            }
            Stage::Vetoed(reason) => Text::plain(tr!(
                lang,
                "vetoed by a track owner: ",
                "被技术出品人否决：",
                "vetada por um curador: "
            ))
            .and(Text::typed(reason)),
            Stage::Given => Text::plain(tr!(
                lang,
                "given — thank you!",
                "已讲 — 谢谢！",
                "apresentada — obrigado!"
            )),
        }
    }
}

/// Level, language and minutes: "intermediate (200) · pt · 30 min".
pub(crate) fn talk_facts(p: &Proposal, lang: Lang) -> String {
    format!(
        "{} ({}) · {} · {} min",
        p.level.name(lang),
        p.level.number(),
        words::language_name(&p.language, lang),
        p.duration
    )
}

/// Open, and no track owner has reviewed it yet.
fn editable(p: &Proposal) -> Result<(), CmdError> {
    if p.withdrawn.is_some() {
        return Err(err(TalkError::Withdrawn { id: p.id.clone() }));
    }
    if p.sent.is_some() {
        return Err(err(TalkError::Decided { id: p.id.clone() }));
    }
    if p.review_started {
        return Err(err(TalkError::ReviewStarted { id: p.id.clone() }));
    }
    Ok(())
}

/// Where the speaker's latest proposal with this title is found, for the duplicate check
/// inside the write (sled's transactions cannot scan). A stale entry (the title since
/// edited) is harmless: the proposal it names is read and compared.
fn title_key(speaker: &Person, title: &str) -> Vec<u8> {
    crate::text::key(&[
        "talk-title",
        speaker.platform.name(),
        &speaker.user,
        &fold(title),
    ])
}
