//! The organizer's side: proposals for an event ranked by the track owners' scores, accept
//! and decline held as pending, sent together (each speaker told once, in their language),
//! talks marked given. And what the rest of the bot shows of talks: the event's
//! announcement and calendar file, `badges`, deck reminders, the audit log.

use knowledge::Lang;

use super::error::TalkError;
use super::model::{Decision, Outcome, Person, Proposal, Sent, TalkAudit};
use super::proposals::talk_facts;
use super::review::to_speaker;
use super::words::{self, MAX_REASON};
use super::{abort, audit, err};
use crate::actor::{Level, Platform};
use crate::error::CmdError;
use crate::events::Event;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::key;
use crate::{Commands, Ctx};

const DAY: i64 = 24 * 3600;
/// Proposals the ranking gives accept and decline buttons (two each, 25 buttons a message).
const WITH_BUTTONS: usize = 10;

/// What a sent decision told the speaker.
struct Told {
    p: Proposal,
    outcome: Outcome,
    reason: Option<String>,
}

impl Commands {
    /// The event, if the actor organizes it (or is an admin).
    pub(crate) fn organized_event(&self, cx: &Ctx, id: &str) -> Result<Event, CmdError> {
        let ev = self.event(id)?;
        self.may_change(cx, ev.platform, &ev.organizer, &ev.id)?;
        Ok(ev)
    }

    pub(crate) fn talk_ranking(&self, cx: &Ctx, event: &str) -> Result<Response, CmdError> {
        let ev = self.organized_event(cx, event)?;
        let lang = cx.lang;
        let admin = cx.level == Level::Admin;
        let all = self.proposals()?;
        let (ranked, vetoed) = super::lists::ranked(&all, &ev.id);
        let mut reply = Reply::private(lang, "").title(
            Text::plain(tr!(lang, "Proposals for ", "提案排名：", "Propostas para "))
                .and(Text::typed(&ev.title))
                .and(format!(" ({})", ev.id)),
        );
        let mut lines = Vec::new();
        let mut with_buttons = 0;
        for (i, p) in ranked.iter().enumerate() {
            let pid = &p.id;
            let n = p.reviews.len();
            let mut line = Text::plain(format!("{}. ", i + 1))
                .and(Text::code(pid))
                .and(" \"")
                .and(Text::typed(&p.title))
                .and("\" — ")
                .and(Text::user(p.speaker.platform, &p.speaker.user))
                .and(format!(" · {} · ", talk_facts(p, lang)))
                .and(tr!(lang, "{n} review(s)", "{n} 条评审", "{n} revisão(ões)"));
            if admin {
                if let Some(m) = p.mean() {
                    line.append(format!(" · {m:.1}/5"));
                }
            }
            let state = match (&p.sent, &p.pending) {
                (Some(s), _) if s.outcome == Outcome::Accepted => {
                    tr!(
                        lang,
                        " · ✅ accepted (sent)",
                        " · ✅ 已接受（已通知）",
                        " · ✅ aceita (enviada)"
                    )
                }
                (Some(_), _) => tr!(
                    lang,
                    " · declined (sent)",
                    " · 已婉拒（已通知）",
                    " · recusada (enviada)"
                ),
                (None, Some(Decision::Accept { .. })) => {
                    tr!(
                        lang,
                        " · ✅ accepted, not sent",
                        " · ✅ 已接受，未发送",
                        " · ✅ aceita, não enviada"
                    )
                }
                (None, Some(Decision::Decline { .. })) => {
                    tr!(
                        lang,
                        " · declined, not sent",
                        " · 已婉拒，未发送",
                        " · recusada, não enviada"
                    )
                }
                (None, None) if n == 0 => {
                    tr!(
                        lang,
                        " · waiting for review",
                        " · 等待评审",
                        " · esperando revisão"
                    )
                }
                (None, None) => String::new(),
            };
            line.append(state);
            lines.push(line);
            if super::lists::decidable(p) && with_buttons < WITH_BUTTONS {
                with_buttons += 1;
                reply = reply
                    .button(
                        format!("talk:accept:{pid}"),
                        tr!(lang, "Accept {pid}", "接受 {pid}", "Aceitar {pid}"),
                        ButtonStyle::Success,
                    )
                    .button(
                        format!("talk:form:decline:{pid}"),
                        tr!(lang, "Decline {pid}", "婉拒 {pid}", "Recusar {pid}"),
                        ButtonStyle::Danger,
                    );
            }
        }
        let waiting = self.to_send(&all, &ev.id).len();
        reply.text = if lines.is_empty() {
            Text::plain(tr!(
                lang,
                "No proposals for this event yet.",
                "这个活动还没有提案。",
                "Ainda não há propostas para este evento."
            ))
        } else {
            Text::join(lines, "\n").and(tx!(
                lang,
                "\n\nRanked by the track owners' scores. `talks accept ID` and `talks decline ID REASON` are held until `talks send {eid}` tells every speaker at once.",
                "\n\n按出品人评分排列。`talks accept 编号` 和 `talks decline 编号 理由` 会暂存，`talks send {eid}` 时一起通知所有讲者。",
                "\n\nPela nota dos curadores. `talks accept ID` e `talks decline ID MOTIVO` ficam guardadas até `talks send {eid}` avisar todos de uma vez.";
                eid = ev.id.as_str()
            ))
        };
        if vetoed > 0 {
            reply = reply.field(
                tr!(
                    lang,
                    "Vetoed (left out)",
                    "已否决（不参与排名）",
                    "Vetadas (fora)"
                ),
                vetoed.to_string(),
            );
        }
        let loose: Vec<Text> = all
            .iter()
            .filter(|p| p.event.is_none() && p.open() && p.veto.is_none() && !p.reviews.is_empty())
            .take(10)
            .map(|p| {
                Text::code(&p.id)
                    .and(" \"")
                    .and(Text::typed(&p.title))
                    .and("\"")
            })
            .collect();
        if !loose.is_empty() {
            let eid = &ev.id;
            reply = reply.field(
                tr!(
                    lang,
                    "Reviewed, for no event yet (`talks accept ID event: {eid}`)",
                    "已评审、尚未指定活动（`talks accept 编号 event: {eid}`）",
                    "Revisadas, sem evento (`talks accept ID event: {eid}`)"
                ),
                Text::join(loose, "\n"),
            );
        }
        if waiting > 0 {
            reply = reply.button(
                format!("talk:send:{}", ev.id),
                tr!(
                    lang,
                    "Send {waiting} decision(s)",
                    "发送 {waiting} 个决定",
                    "Enviar {waiting} decisão(ões)"
                ),
                ButtonStyle::Primary,
            );
        }
        reply.buttons.truncate(25);
        Ok(Response::one(reply))
    }

    /// Proposals of the event whose speaker has something to be told.
    pub(crate) fn to_send<'a>(&self, all: &'a [Proposal], event: &str) -> Vec<&'a Proposal> {
        all.iter()
            .filter(|p| p.event.as_deref() == Some(event) && p.open())
            .filter(|p| p.pending.is_some() || p.veto.is_some())
            .collect()
    }

    /// The event a decision on `p` is taken for: its own, or the one named for a proposal
    /// that has none. The actor must organize it.
    fn deciding(&self, cx: &Ctx, p: &Proposal, named: Option<&str>) -> Result<Event, CmdError> {
        let event = match (&p.event, named) {
            (Some(own), Some(n)) if !own.eq_ignore_ascii_case(n.trim()) => {
                return Err(err(TalkError::OtherEvent {
                    id: p.id.clone(),
                    event: own.clone(),
                }))
            }
            (Some(own), _) => own.clone(),
            (None, Some(n)) => n.trim().to_string(),
            (None, None) => return Err(err(TalkError::NoEvent { id: p.id.clone() })),
        };
        let ev = self.organized_event(cx, &event)?;
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if ev.started(self.now()) {
            return Err(CmdError::EventStarted { id: ev.id });
        }
        Ok(ev)
    }

    pub(crate) fn talk_accept(
        &self,
        cx: &Ctx,
        id: &str,
        event: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        let ev = self.deciding(cx, &p, event)?;
        self.may_review(&p)?;
        let by = Person::of(cx.actor);
        let eid = ev.id.clone();
        let (after, changed) = self.change(&p.id, cx, |p, now| {
            if p.withdrawn.is_some() {
                return Err(TalkError::Withdrawn { id: p.id.clone() });
            }
            if p.sent.is_some() {
                return Err(TalkError::Decided { id: p.id.clone() });
            }
            if p.veto.is_some() {
                return Err(TalkError::Vetoed { id: p.id.clone() });
            }
            if p.reviews.is_empty() {
                return Err(TalkError::NotReviewed { id: p.id.clone() });
            }
            if matches!(p.pending, Some(Decision::Accept { .. })) && p.event.is_some() {
                return Ok(None);
            }
            p.event = Some(eid.clone());
            p.pending = Some(Decision::Accept {
                by: by.clone(),
                at: now,
            });
            Ok(Some(("accept", Some(eid.clone()), ())))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        let eid = ev.id.as_str();
        let text = if changed.is_none() {
            tx!(
                lang,
                "{pid} is accepted for {eid} already, waiting for `talks send {eid}`. Nothing changed.",
                "{pid} 已被 {eid} 接受，等待 `talks send {eid}`。没有改动。",
                "{pid} já está aceita para {eid}, esperando `talks send {eid}`. Nada mudou.";
                pid, eid
            )
        } else {
            tx!(
                lang,
                "✅ {pid} is accepted for {eid}. The speaker is told when you send your decisions: `talks send {eid}`.",
                "✅ {pid} 已被 {eid} 接受。发送决定时会通知讲者：`talks send {eid}`。",
                "✅ {pid} foi aceita para {eid}. Quem propôs será avisado quando você enviar as decisões: `talks send {eid}`.";
                pid, eid
            )
        };
        Ok(Response::one(Reply::private(lang, text).button(
            format!("talk:send:{eid}"),
            tr!(lang, "Send decisions", "发送决定", "Enviar decisões"),
            ButtonStyle::Primary,
        )))
    }

    pub(crate) fn talk_decline(
        &self,
        cx: &Ctx,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        let ev = self.deciding(cx, &p, None)?;
        self.may_review(&p)?;
        let reason = words::clean(reason.unwrap_or(""), "reason", MAX_REASON, true).map_err(err)?;
        if reason.is_empty() {
            return Err(err(TalkError::NoReason {
                what: "decline",
                id: p.id,
            }));
        }
        let by = Person::of(cx.actor);
        let (after, changed) = self.change(&p.id, cx, |p, now| {
            if p.withdrawn.is_some() {
                return Err(TalkError::Withdrawn { id: p.id.clone() });
            }
            if p.sent.is_some() {
                return Err(TalkError::Decided { id: p.id.clone() });
            }
            if p.veto.is_some() {
                return Err(TalkError::Vetoed { id: p.id.clone() });
            }
            if matches!(&p.pending, Some(Decision::Decline { reason: r, .. }) if *r == reason) {
                return Ok(None);
            }
            p.pending = Some(Decision::Decline {
                by: by.clone(),
                at: now,
                reason: reason.clone(),
            });
            Ok(Some(("decline", Some(reason.clone()), ())))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        let eid = ev.id.as_str();
        let text = if changed.is_none() {
            tx!(
                lang,
                "{pid} is declined already, with that reason, waiting for `talks send {eid}`. Nothing changed.",
                "{pid} 已以这个理由婉拒，等待 `talks send {eid}`。没有改动。",
                "{pid} já está recusada, com esse motivo, esperando `talks send {eid}`. Nada mudou.";
                pid, eid
            )
        } else {
            tx!(
                lang,
                "{pid} is declined. The speaker reads your reason when you send your decisions: `talks send {eid}`.",
                "{pid} 已婉拒。发送决定时讲者会看到你的理由：`talks send {eid}`。",
                "{pid} foi recusada. Quem propôs lê seu motivo quando você enviar as decisões: `talks send {eid}`.";
                pid, eid
            )
        };
        Ok(Response::one(Reply::private(lang, text).button(
            format!("talk:send:{eid}"),
            tr!(lang, "Send decisions", "发送决定", "Enviar decisões"),
            ButtonStyle::Primary,
        )))
    }

    pub(crate) fn talk_send(&self, cx: &Ctx, event: &str) -> Result<Response, CmdError> {
        let ev = self.organized_event(cx, event)?;
        let now = self.now();
        let by = Person::of(cx.actor);
        let days = i64::from(self.config.talks.deck_days_before);
        let due = (ev.start - days * DAY).max(now + DAY).min(ev.start);
        let ids: Vec<String> = self
            .to_send(&self.proposals()?, &ev.id)
            .iter()
            .map(|p| p.id.clone())
            .collect();
        // One transaction: every decision is marked sent, and flushed, before any speaker
        // is told; sending again (or after a restart) finds nothing left to send.
        let told: Vec<Told> = self.trees.write(|tx| {
            let mut told = Vec::new();
            for id in &ids {
                let Some(mut p) = tx.get::<Proposal>(T::Talks, id.as_bytes())? else {
                    continue;
                };
                if !p.open() || p.event.as_deref() != Some(ev.id.as_str()) {
                    continue;
                }
                let (outcome, reason) = match (&p.veto, &p.pending) {
                    (Some(v), _) => (Outcome::Vetoed, Some(v.reason.clone())),
                    (None, Some(Decision::Accept { .. })) => (Outcome::Accepted, None),
                    (None, Some(Decision::Decline { reason, .. })) => {
                        (Outcome::Declined, Some(reason.clone()))
                    }
                    (None, None) => continue,
                };
                if let Some(v) = p.veto.as_mut() {
                    v.told = Some(now);
                }
                p.sent = Some(Sent {
                    outcome,
                    reason: reason.clone(),
                    by: by.clone(),
                    at: now,
                });
                p.pending = None;
                if outcome == Outcome::Accepted {
                    p.deck_due = Some(due);
                }
                tx.put(T::Talks, p.id.as_bytes(), &p)?;
                let what = match outcome {
                    Outcome::Accepted => "accepted",
                    Outcome::Declined => "declined",
                    Outcome::Vetoed => "vetoed",
                };
                audit(
                    tx,
                    now,
                    &by,
                    "send",
                    &p.id,
                    Some(format!("{what} ({})", ev.id)),
                )?;
                told.push(Told { p, outcome, reason });
            }
            Ok(told)
        })?;
        let lang = cx.lang;
        let eid = ev.id.as_str();
        if told.is_empty() {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "No decisions for {eid} are waiting to be sent. Nothing changed; `talks ranking {eid}` shows the proposals.",
                    "{eid} 没有待发送的决定。没有改动；`talks ranking {eid}` 可以查看提案。",
                    "Não há decisões de {eid} esperando envio. Nada mudou; `talks ranking {eid}` mostra as propostas.";
                    eid
                ),
            )));
        }
        let count = |o: Outcome| told.iter().filter(|t| t.outcome == o).count();
        let (a, d, v) = (
            count(Outcome::Accepted),
            count(Outcome::Declined),
            count(Outcome::Vetoed),
        );
        let n = told.len();
        let mut response = Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "📨 {n} speaker(s) of {eid} are told: {a} accepted, {d} declined, {v} vetoed. Accepted talks are on the event's announcement.",
                "📨 已通知 {eid} 的 {n} 位讲者：接受 {a}，婉拒 {d}，否决 {v}。已接受的演讲会显示在活动公告中。",
                "📨 {n} pessoa(s) de {eid} foram avisadas: {a} aceita(s), {d} recusada(s), {v} vetada(s). As palestras aceitas estão no anúncio do evento.";
                n, eid, a, d, v
            ),
        ));
        for t in &told {
            response = response.and(self.decision_message(t, &ev));
        }
        if a > 0 {
            response = response.and(
                self.event_post(&ev)
                    .to(Destination::Update { key: ev.post_key() }),
            );
        }
        Ok(response)
    }

    /// The direct message that tells a speaker the decision, in their language.
    fn decision_message(&self, t: &Told, ev: &Event) -> Reply {
        let p = &t.p;
        let pid = p.id.as_str();
        let title = Text::typed(&p.title);
        let event = Text::typed(&ev.title);
        let reason = Text::typed(t.reason.clone().unwrap_or_default());
        let shared: Vec<Text> = p
            .reviews
            .iter()
            .filter(|r| r.shareable)
            .map(|r| Text::plain("• ").and(Text::typed(&r.comment)))
            .collect();
        let mut reply = to_speaker(p, |lang| match t.outcome {
            Outcome::Accepted => {
                let when = self.moment(ev.start, lang);
                let due = self.moment(p.deck_due.unwrap_or(ev.start), lang);
                tx!(
                    lang,
                    "🎉 Your talk \"{title}\" ({pid}) is accepted for \"{event}\", {when}! Please send your slide deck by {due}: `talks deck {pid} LINK`. The track owners review every deck.",
                    "🎉 你的演讲“{title}”（{pid}）已被“{event}”（{when}）接受！请在 {due} 前提交讲稿：`talks deck {pid} 链接`。出品人会评审每一份讲稿。",
                    "🎉 Sua palestra \"{title}\" ({pid}) foi aceita para \"{event}\", {when}! Envie seus slides até {due}: `talks deck {pid} LINK`. Os curadores revisam todos os slides.";
                    title = &title, pid, event = &event, when, due
                )
            }
            Outcome::Declined => tx!(
                lang,
                "Your talk \"{title}\" ({pid}) was not accepted for \"{event}\". The organizer's reason: \"{reason}\". Thank you for proposing it; there are more events to propose for.",
                "你的演讲“{title}”（{pid}）未被“{event}”接受。组织者的理由：“{reason}”。感谢你的提案；之后还有更多活动可以投稿。",
                "Sua palestra \"{title}\" ({pid}) não foi aceita para \"{event}\". O motivo da organização: \"{reason}\". Obrigado por propor; há outros eventos para propor.";
                title = &title, pid, event = &event, reason = &reason
            ),
            Outcome::Vetoed => tx!(
                lang,
                "Your talk \"{title}\" ({pid}) for \"{event}\" was vetoed by a track owner. The reason: \"{reason}\". Thank you for proposing it; `talks framework {track}` shows what the track looks for.",
                "你为“{event}”提交的演讲“{title}”（{pid}）被技术出品人否决。理由：“{reason}”。感谢你的提案；`talks framework {track}` 可以查看该方向想要的内容。",
                "Sua palestra \"{title}\" ({pid}) para \"{event}\" foi vetada por um curador da trilha. O motivo: \"{reason}\". Obrigado por propor; `talks framework {track}` mostra o que a trilha procura.";
                title = &title, pid, event = &event, reason = &reason, track = p.track.as_str()
            ),
        });
        if !shared.is_empty() {
            let lang = p.lang();
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
        if t.outcome == Outcome::Accepted {
            let lang = p.lang();
            reply = reply.button(
                format!("talk:form:deck:{pid}"),
                tr!(lang, "Send slides", "提交讲稿", "Enviar slides"),
                ButtonStyle::Primary,
            );
        }
        reply
    }

    pub(crate) fn talk_given(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        if !p.accepted() {
            return Err(err(TalkError::NotAccepted { id: p.id }));
        }
        let eid = p.event.clone().unwrap_or_default();
        let ev = self.organized_event(cx, &eid)?;
        if !ev.started(self.now()) {
            return Err(CmdError::EventNotStarted { id: ev.id });
        }
        let speaker = p.speaker.clone();
        let given_key = key(&[speaker.platform.name(), &speaker.user, &p.id]);
        let now = self.now();
        let by = Person::of(cx.actor);
        let after = self.trees.write(|tx| {
            let Some(mut p) = tx.get::<Proposal>(T::Talks, p.id.as_bytes())? else {
                return abort(TalkError::UnknownProposal {
                    given: p.id.clone(),
                });
            };
            if p.given.is_some() {
                return Ok(None);
            }
            p.given = Some(now);
            tx.put(T::Talks, p.id.as_bytes(), &p)?;
            tx.put(T::TalksGiven, &given_key, &now)?;
            audit(tx, now, &by, "given", &p.id, None)?;
            Ok(Some(p))
        })?;
        let lang = cx.lang;
        let pid = p.id.as_str();
        let Some(after) = after else {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "{pid} is marked as given already. Nothing changed.",
                    "{pid} 已经登记为已讲。没有改动。",
                    "{pid} já está marcada como apresentada. Nada mudou.";
                    pid
                ),
            )));
        };
        let who = Text::user(speaker.platform, &speaker.user);
        let mut reply = Reply::private(
            lang,
            tx!(
                lang,
                "🎤 {pid} is marked as given by {who}. It counts in their `badges`.",
                "🎤 已登记 {who} 讲完了 {pid}，计入其 `badges`。",
                "🎤 {pid} foi marcada como apresentada por {who}. Conta nos `badges` da pessoa.";
                pid, who = &who
            ),
        );
        reply = self.speaker_suggestion(cx, reply, speaker.platform, &speaker.user)?;
        let title = Text::typed(&after.title);
        Ok(Response::one(reply).and(to_speaker(&after, |lang| {
            tx!(
                lang,
                "🎤 Thank you for speaking about \"{title}\"! Your talk counts on your growth path (`badges`).",
                "🎤 感谢你分享“{title}”！这次演讲已计入你的成长路径（`badges`）。",
                "🎤 Obrigado por apresentar \"{title}\"! Sua palestra conta na sua trilha de crescimento (`badges`).";
                title = &title
            )
        })))
    }

    /// Talks a member has given.
    pub(crate) fn talks_given(&self, platform: Platform, user: &str) -> Result<u32, CmdError> {
        Ok(self
            .trees
            .scan::<i64>(T::TalksGiven, &key(&[platform.name(), user, ""]))?
            .len() as u32)
    }

    /// Adds the talks a member has given to `reply`, and for admins a Speaker badge
    /// suggestion with a grant button when they have given enough and lack the badge.
    pub(crate) fn speaker_suggestion(
        &self,
        cx: &Ctx,
        mut reply: Reply,
        platform: Platform,
        user: &str,
    ) -> Result<Reply, CmdError> {
        let lang = cx.lang;
        let given = self.talks_given(platform, user)?;
        let has = self
            .grants(platform, user)?
            .iter()
            .any(|g| g.badge == "speaker");
        reply = reply.field(
            tr!(
                lang,
                "Talks given",
                "已完成的演讲",
                "Palestras apresentadas"
            ),
            given.to_string(),
        );
        if has || given < self.config.talks.speaker_badge_after || given == 0 {
            return Ok(reply);
        }
        let who = Text::user(platform, user);
        reply = reply.field(
            tr!(lang, "Suggestion", "建议", "Sugestão"),
            tx!(
                lang,
                "{who} has given {given} talk(s) and no Speaker badge yet (admins grant it).",
                "{who} 已完成 {given} 次演讲，还没有讲师徽章（由管理员授予）。",
                "{who} apresentou {given} palestra(s) e ainda não tem o selo Palestrante (administradores concedem).";
                who, given
            ),
        );
        if cx.level == Level::Admin && cx.actor.platform == platform {
            reply = reply.button(
                format!("grant:speaker:{user}"),
                tr!(
                    lang,
                    "Grant Speaker",
                    "授予讲师徽章",
                    "Dar selo Palestrante"
                ),
                ButtonStyle::Success,
            );
        }
        Ok(reply)
    }

    /// The accepted talks of an event, for its announcement: "“Title” — @speaker (30 min)".
    pub(crate) fn event_talks(&self, e: &Event) -> Vec<Proposal> {
        self.proposals()
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.event.as_deref() == Some(e.id.as_str()) && p.accepted())
            .collect()
    }

    /// Adds the event's accepted talks to its announcement.
    pub(crate) fn with_talks(&self, e: &Event, lang: Lang, reply: Reply) -> Reply {
        let talks = self.event_talks(e);
        if talks.is_empty() {
            return reply;
        }
        let lines = talks.iter().map(|p| {
            Text::plain("🎤 \"")
                .and(Text::typed(&p.title))
                .and("\" — ")
                .and(Text::user(p.speaker.platform, &p.speaker.user))
                .and(format!(
                    " ({} min, {})",
                    p.duration,
                    words::language_name(&p.language, lang)
                ))
        });
        reply.field(
            tr!(lang, "Talks", "演讲", "Palestras"),
            Text::join(lines, "\n"),
        )
    }

    /// The event's accepted talks as lines of its calendar entry's description.
    pub(crate) fn talks_for_calendar(&self, e: &Event) -> Option<String> {
        let talks = self.event_talks(e);
        if talks.is_empty() {
            return None;
        }
        let lines: Vec<String> = talks
            .iter()
            .map(|p| format!("- {} — {} ({} min)", p.title, p.speaker_name, p.duration))
            .collect();
        Some(format!("Talks:\n{}", lines.join("\n")))
    }

    /// Deck reminders due now, each sent once (marked and flushed before it is handed
    /// out). When several are due at once, only the nearest to the deadline goes out.
    pub fn deck_reminders(&self) -> Result<Response, CmdError> {
        let now = self.now();
        let mut days: Vec<i64> = self
            .config
            .talks
            .deck_reminder_days
            .iter()
            .map(|d| i64::from(*d))
            .collect();
        days.sort_unstable();
        let mut due = Vec::new();
        for p in self.proposals()? {
            let Some(deadline) = p.deck_due else { continue };
            if !p.deck_wanted() || now >= deadline {
                continue;
            }
            let mut keys = Vec::new();
            let mut nearest = None;
            for d in &days {
                if now >= deadline - d * DAY {
                    let k = key(&["deck", &p.id, &d.to_string()]);
                    if self.trees.get::<i64>(T::Reminders, &k)?.is_none() {
                        keys.push(k);
                        nearest = nearest.or(Some(*d));
                    }
                }
            }
            if let Some(d) = nearest {
                due.push((p, keys, d, deadline));
            }
        }
        let mut response = Response {
            replies: Vec::new(),
            effects: Vec::new(),
        };
        if due.is_empty() {
            return Ok(response);
        }
        self.trees.write(|tx| {
            for (_, keys, _, _) in &due {
                for k in keys {
                    tx.put(T::Reminders, k, &now)?;
                }
            }
            Ok(())
        })?;
        for (p, _, days, deadline) in due {
            let pid = p.id.as_str();
            let title = Text::typed(&p.title);
            let mut r = to_speaker(&p, |lang| {
                let when = self.moment(deadline, lang);
                tx!(
                    lang,
                    "⏰ Reminder: the slides for your talk \"{title}\" ({pid}) are due {when}, in {days} day(s). Send them with `talks deck {pid} LINK`.",
                    "⏰ 提醒：你的演讲“{title}”（{pid}）的讲稿截止时间是 {when}，还有 {days} 天。请用 `talks deck {pid} 链接` 提交。",
                    "⏰ Lembrete: os slides da sua palestra \"{title}\" ({pid}) vencem {when}, em {days} dia(s). Envie com `talks deck {pid} LINK`.";
                    title = &title, pid, when, days
                )
            });
            let lang = p.lang();
            r = r.button(
                format!("talk:form:deck:{pid}"),
                tr!(lang, "Send slides", "提交讲稿", "Enviar slides"),
                ButtonStyle::Primary,
            );
            response.replies.push(r);
        }
        Ok(response)
    }

    pub(crate) fn talk_audit(
        &self,
        cx: &Ctx,
        id: Option<&str>,
        limit: usize,
    ) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let want = id.map(|i| i.trim().to_lowercase());
        let entries: Vec<TalkAudit> = self.trees.last(T::TalkAudit, limit, |e: &TalkAudit| {
            want.as_deref().is_none_or(|w| e.target == w)
        })?;
        let lines: Vec<Text> = entries
            .iter()
            .map(|e| {
                let mut line = Text::plain(format!("{} ", self.moment(e.at, lang)))
                    .and(Text::user(e.by.platform, &e.by.user))
                    .and(" ")
                    .and(Text::code(&e.action))
                    .and(" ")
                    .and(Text::code(&e.target));
                if let Some(d) = &e.detail {
                    line = line.and(" — ").and(Text::typed(d));
                }
                line
            })
            .collect();
        let text = if lines.is_empty() {
            Text::plain(tr!(
                lang,
                "The talks audit log is empty.",
                "演讲审计日志为空。",
                "O registro das palestras está vazio."
            ))
        } else {
            Text::join(lines, "\n")
        };
        Ok(Response::one(Reply::private(lang, text).title(tr!(
            lang,
            "Talks audit log",
            "演讲审计日志",
            "Registro das palestras"
        ))))
    }
}
