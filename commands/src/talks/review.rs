//! Review by the track owners: what waits for each of them, scores with comments, vetoes
//! with reasons (lifted only by whoever gave them), sharing comments with the speaker, and
//! the slide decks of accepted talks.

use super::error::TalkError;
use super::model::{Deck, Mark, Person, Proposal, Review, Veto};
use super::proposals::talk_facts;
use super::words::{self, MAX_COMMENT, MAX_REASON};
use super::{abort, audit, err};
use crate::error::CmdError;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::{Commands, Ctx};

/// Most proposals `talks review` lists with buttons (five buttons a row, 25 a message).
const LISTED: usize = 10;

/// A direct message to the speaker of `p`, in their language.
pub(crate) fn to_speaker(p: &Proposal, text: impl Fn(knowledge::Lang) -> Text) -> Reply {
    let lang = p.lang();
    let mut r = Reply::new(lang, text(lang)).to(Destination::Direct {
        platform: p.speaker.platform,
        user: p.speaker.user.clone(),
    });
    r.mention_users.push(p.speaker.user.clone());
    r
}

impl Commands {
    /// Still open to review: not withdrawn, no decision sent.
    pub(crate) fn may_review(&self, p: &Proposal) -> Result<(), CmdError> {
        if p.withdrawn.is_some() {
            return Err(err(TalkError::Withdrawn { id: p.id.clone() }));
        }
        if p.sent.is_some() {
            return Err(err(TalkError::Decided { id: p.id.clone() }));
        }
        Ok(())
    }

    /// Reads, changes and writes one proposal in a transaction, with a line of audit.
    /// `change` returns what to audit (`None`: nothing changed) and a value.
    pub(crate) fn change<R: Clone>(
        &self,
        id: &str,
        cx: &Ctx,
        change: impl Fn(
            &mut Proposal,
            i64,
        ) -> Result<Option<(&'static str, Option<String>, R)>, TalkError>,
    ) -> Result<(Proposal, Option<R>), CmdError> {
        let now = self.now();
        let by = Person::of(cx.actor);
        self.trees.write(|tx| {
            let Some(mut p) = tx.get::<Proposal>(T::Talks, id.as_bytes())? else {
                return abort(TalkError::UnknownProposal { given: id.into() });
            };
            match change(&mut p, now) {
                Err(e) => abort(e),
                Ok(None) => Ok((p, None)),
                Ok(Some((action, detail, value))) => {
                    tx.put(T::Talks, p.id.as_bytes(), &p)?;
                    audit(tx, now, &by, action, &p.id, detail)?;
                    Ok((p, Some(value)))
                }
            }
        })
    }

    pub(crate) fn talk_review(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let owned = self.owned_tracks(cx.actor)?;
        if owned.is_empty() {
            return Err(err(TalkError::NoTrack));
        }
        let mine = |p: &Proposal| owned.iter().any(|t| t.id == p.track);
        let all = self.proposals()?;
        let waiting = super::lists::waiting_review(cx.actor, &owned, &all);
        let decks: Vec<&Proposal> = all
            .iter()
            .filter(|p| {
                mine(p)
                    && p.accepted()
                    && p.deck
                        .as_ref()
                        .is_some_and(|d| d.approved.is_none() && d.veto.is_none())
            })
            .collect();
        let tracks = owned
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut reply = Reply::private(lang, "").title(tr!(
            lang,
            "Waiting for your review ({tracks})",
            "等待你评审（{tracks}）",
            "Esperando sua revisão ({tracks})"
        ));
        let mut lines = Vec::new();
        for p in waiting.iter().take(LISTED) {
            let pid = &p.id;
            let summary: String = p.summary.chars().take(200).collect();
            let mut line = Text::code(pid)
                .and(" \"")
                .and(Text::typed(&p.title))
                .and("\" — ")
                .and(Text::user(p.speaker.platform, &p.speaker.user))
                .and(format!(
                    " · {} · {}",
                    talk_facts(p, lang),
                    self.day(p.submitted, lang)
                ));
            if let Some(e) = &p.event {
                line.append(format!(" · {e}"));
            }
            line.append("\n> ");
            line.append(Text::typed(summary.replace('\n', " ")));
            lines.push(line);
            reply = reply
                .button(
                    format!("talk:form:score:{pid}"),
                    tr!(lang, "Score {pid}", "给 {pid} 打分", "Avaliar {pid}"),
                    ButtonStyle::Primary,
                )
                .button(
                    format!("talk:form:veto:{pid}"),
                    tr!(lang, "Veto {pid}", "否决 {pid}", "Vetar {pid}"),
                    ButtonStyle::Danger,
                );
        }
        if waiting.len() > LISTED {
            let more = waiting.len() - LISTED;
            lines.push(Text::plain(tr!(
                lang,
                "… and {more} more after these.",
                "……之后还有 {more} 个。",
                "… e mais {more} depois destas."
            )));
        }
        let mut deck_lines = Vec::new();
        for p in decks.iter().take(2) {
            let pid = &p.id;
            let d = p.deck.as_ref().expect("filtered on a deck");
            deck_lines.push(
                Text::code(pid)
                    .and(" \"")
                    .and(Text::typed(&p.title))
                    .and("\" — ")
                    .and(Text::link_or_typed(&d.url)),
            );
            reply = reply
                .button(
                    format!("talk:approve:{pid}"),
                    tr!(
                        lang,
                        "Approve slides {pid}",
                        "通过 {pid} 讲稿",
                        "Aprovar slides {pid}"
                    ),
                    ButtonStyle::Success,
                )
                .button(
                    format!("talk:form:reject:{pid}"),
                    tr!(
                        lang,
                        "Veto slides {pid}",
                        "否决 {pid} 讲稿",
                        "Vetar slides {pid}"
                    ),
                    ButtonStyle::Danger,
                );
        }
        for p in decks.iter().skip(2) {
            let d = p.deck.as_ref().expect("filtered on a deck");
            deck_lines.push(
                Text::code(&p.id)
                    .and(" — ")
                    .and(Text::link_or_typed(&d.url)),
            );
        }
        reply.text = if lines.is_empty() {
            Text::plain(tr!(
                lang,
                "Nothing waits for your review. Thank you!",
                "没有等待你评审的提案。谢谢！",
                "Nada espera sua revisão. Obrigado!"
            ))
        } else {
            Text::join(lines, "\n\n").and(tx!(
                lang,
                "\n\nScore with `talks score ID 1-5 COMMENT`, veto with `talks veto ID REASON`.",
                "\n\n打分：`talks score 编号 1-5 评语`；否决：`talks veto 编号 理由`。",
                "\n\nAvalie com `talks score ID 1-5 COMENTÁRIO`, vete com `talks veto ID MOTIVO`."
            ))
        };
        if !deck_lines.is_empty() {
            reply = reply.field(
                tr!(
                    lang,
                    "Slide decks to review",
                    "待评审的讲稿",
                    "Slides para revisar"
                ),
                Text::join(deck_lines, "\n"),
            );
        }
        reply.buttons.truncate(25);
        Ok(Response::one(reply))
    }

    pub(crate) fn talk_score(
        &self,
        cx: &Ctx,
        id: &str,
        score: Option<&str>,
        comment: Option<&str>,
        share: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.must_own(cx, &p)?;
        self.may_review(&p)?;
        if score.is_none() && comment.is_none() && share.is_none() {
            return self.talk_form(cx, &super::FormKind::Score(p.id));
        }
        let given = score.unwrap_or("").trim();
        let n: u8 = given
            .trim_end_matches("/5")
            .parse()
            .ok()
            .filter(|n| (1..=5).contains(n))
            .ok_or_else(|| {
                err(TalkError::BadScore {
                    given: if given.is_empty() {
                        "?".into()
                    } else {
                        given.chars().take(20).collect()
                    },
                })
            })?;
        let comment =
            words::clean(comment.unwrap_or(""), "comment", MAX_COMMENT, true).map_err(err)?;
        if comment.is_empty() {
            return Err(err(TalkError::NoComment { id: p.id }));
        }
        let shareable = match share {
            None => None,
            Some(s) => Some(words::yes_no(s).ok_or_else(|| {
                err(TalkError::BadYesNo {
                    given: s.chars().take(20).collect(),
                })
            })?),
        };
        let me = Person::of(cx.actor);
        let (after, outcome) = self.change(&p.id, cx, |p, now| {
            if p.veto.is_some() {
                return Err(TalkError::Vetoed { id: p.id.clone() });
            }
            if p.withdrawn.is_some() {
                return Err(TalkError::Withdrawn { id: p.id.clone() });
            }
            if p.sent.is_some() {
                return Err(TalkError::Decided { id: p.id.clone() });
            }
            let before = p.review_by(&me).cloned();
            let review = Review {
                by: me.clone(),
                score: n,
                comment: comment.clone(),
                shareable: shareable
                    .or(before.as_ref().map(|r| r.shareable))
                    .unwrap_or(false),
                at: now,
            };
            if before.as_ref().is_some_and(|b| {
                b.score == review.score
                    && b.comment == review.comment
                    && b.shareable == review.shareable
            }) {
                return Ok(None);
            }
            p.reviews.retain(|r| r.by != me);
            p.reviews.push(review.clone());
            p.review_started = true;
            let shared = if review.shareable { ", shared" } else { "" };
            Ok(Some((
                "score",
                Some(format!("{n}{shared}")),
                before.is_some(),
            )))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        let mine = after.review_by(&me).cloned();
        let shared = mine.as_ref().is_some_and(|r| r.shareable);
        let text = match outcome {
            None => tx!(
                lang,
                "Your review of {pid} already says that. Nothing changed.",
                "你对 {pid} 的评审已经是这样。没有改动。",
                "Sua revisão de {pid} já diz isso. Nada mudou.";
                pid
            ),
            Some(again) => {
                let head = if again {
                    tx!(
                        lang,
                        "⭐ Your review of {pid} is updated: {n}/5.",
                        "⭐ 你对 {pid} 的评审已更新：{n}/5。",
                        "⭐ Sua revisão de {pid} foi atualizada: {n}/5.";
                        pid, n = u64::from(n)
                    )
                } else {
                    tx!(
                        lang,
                        "⭐ You scored {pid} {n}/5.",
                        "⭐ 你给 {pid} 打了 {n}/5 分。",
                        "⭐ Você deu {n}/5 para {pid}.";
                        pid, n = u64::from(n)
                    )
                };
                let tail = if shared {
                    tx!(
                        lang,
                        " The speaker may read your comment.",
                        "讲者可以看到你的评语。",
                        " Quem propôs pode ler seu comentário."
                    )
                } else {
                    tx!(
                        lang,
                        " Only the track's owners and admins see it; `talks share {pid}` lets the speaker read your comment.",
                        "只有该方向的出品人和管理员能看到；`talks share {pid}` 可以让讲者看到你的评语。",
                        " Só os curadores da trilha e administradores veem; `talks share {pid}` deixa quem propôs ler seu comentário.";
                        pid
                    )
                };
                head.and(tail)
            }
        };
        Ok(Response::one(Reply::private(lang, text).button(
            "talk:review",
            tr!(
                lang,
                "What else waits",
                "还有哪些待评审",
                "O que mais espera"
            ),
            ButtonStyle::Secondary,
        )))
    }

    pub(crate) fn talk_veto(
        &self,
        cx: &Ctx,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.must_own(cx, &p)?;
        self.may_review(&p)?;
        let reason = words::clean(reason.unwrap_or(""), "reason", MAX_REASON, true).map_err(err)?;
        if reason.is_empty() {
            return Err(err(TalkError::NoReason {
                what: "veto",
                id: p.id,
            }));
        }
        let me = Person::of(cx.actor);
        let (after, changed) = self.change(&p.id, cx, |p, now| {
            if p.withdrawn.is_some() {
                return Err(TalkError::Withdrawn { id: p.id.clone() });
            }
            if p.sent.is_some() {
                return Err(TalkError::Decided { id: p.id.clone() });
            }
            match &p.veto {
                Some(v) if v.by != me => return Err(TalkError::Vetoed { id: p.id.clone() }),
                Some(v) if v.reason == reason => return Ok(None),
                _ => {}
            }
            // A proposal for no event has no batch of decisions to wait for: its speaker
            // is told now.
            let told = p.event.is_none().then_some(now);
            p.veto = Some(Veto {
                by: me.clone(),
                reason: reason.clone(),
                at: now,
                told,
            });
            p.review_started = true;
            p.pending = None;
            Ok(Some(("veto", Some(reason.clone()), ())))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        if changed.is_none() {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "You vetoed {pid} already, with that reason. Nothing changed.",
                    "你已经以这个理由否决了 {pid}。没有改动。",
                    "Você já vetou {pid}, com esse motivo. Nada mudou.";
                    pid
                ),
            )));
        }
        let mut response = match &after.event {
            Some(eid) => Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "⛔ You vetoed {pid}. It is out of the ranking for {eid}; its speaker reads your reason when the organizer sends the decisions. `talks lift {pid}` lifts the veto until then.",
                    "⛔ 你否决了 {pid}。它已移出 {eid} 的排名；组织者发送决定时讲者会看到你的理由。在此之前可以用 `talks lift {pid}` 撤销。",
                    "⛔ Você vetou {pid}. Ela saiu da classificação de {eid}; quem propôs lê seu motivo quando a organização enviar as decisões. Até lá, `talks lift {pid}` retira o veto.";
                    pid, eid = eid.as_str()
                ),
            )),
            None => Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "⛔ You vetoed {pid}; its speaker is told your reason now. `talks lift {pid}` lifts the veto.",
                    "⛔ 你否决了 {pid}；讲者现在会收到你的理由。`talks lift {pid}` 可以撤销否决。",
                    "⛔ Você vetou {pid}; quem propôs recebe seu motivo agora. `talks lift {pid}` retira o veto.";
                    pid
                ),
            )),
        };
        if after.event.is_none() {
            let title = Text::typed(&after.title);
            let why = Text::typed(&reason);
            response = response.and(to_speaker(&after, |lang| {
                tx!(
                    lang,
                    "Your talk proposal {pid}, \"{title}\", was vetoed by a track owner. The reason: \"{why}\". Thank you for proposing it; `talks framework {track}` shows what the track looks for.",
                    "你的演讲提案 {pid}“{title}”被技术出品人否决。理由：“{why}”。感谢你的提案；`talks framework {track}` 可以查看该方向想要的内容。",
                    "Sua proposta de palestra {pid}, \"{title}\", foi vetada por um curador da trilha. O motivo: \"{why}\". Obrigado por propor; `talks framework {track}` mostra o que a trilha procura.";
                    pid, title = &title, why = &why, track = after.track.as_str()
                )
            }));
        }
        Ok(response)
    }

    pub(crate) fn talk_lift(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.must_own(cx, &p)?;
        self.may_review(&p)?;
        let me = Person::of(cx.actor);
        let (after, lifted) = self.change(&p.id, cx, |p, _| {
            if p.sent.is_some() {
                return Err(TalkError::Decided { id: p.id.clone() });
            }
            match p.veto.take() {
                None => Ok(None),
                Some(v) if v.by != me => Err(TalkError::NotYourVeto { id: p.id.clone() }),
                Some(v) => Ok(Some(("lift", None, v))),
            }
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        let Some(veto) = lifted else {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "{pid} is not vetoed. Nothing changed.",
                    "{pid} 没有被否决。没有改动。",
                    "{pid} não está vetada. Nada mudou.";
                    pid
                ),
            )));
        };
        let mut response = Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "Your veto of {pid} is lifted; it is back in review.",
                "你对 {pid} 的否决已撤销；它重新进入评审。",
                "Seu veto a {pid} foi retirado; ela voltou para revisão.";
                pid
            ),
        ));
        if veto.told.is_some() {
            let title = Text::typed(&after.title);
            response = response.and(to_speaker(&after, |lang| {
                tx!(
                    lang,
                    "Good news: the veto of your proposal {pid}, \"{title}\", is lifted. It is back in review.",
                    "好消息：你的提案 {pid}“{title}”的否决已撤销，重新进入评审。",
                    "Boa notícia: o veto à sua proposta {pid}, \"{title}\", foi retirado. Ela voltou para revisão.";
                    pid, title = &title
                )
            }));
        }
        Ok(response)
    }

    pub(crate) fn talk_share(
        &self,
        cx: &Ctx,
        id: &str,
        shared: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.must_own(cx, &p)?;
        let on = match shared {
            None => true,
            Some(s) => words::yes_no(s).ok_or_else(|| {
                err(TalkError::BadYesNo {
                    given: s.chars().take(20).collect(),
                })
            })?,
        };
        let me = Person::of(cx.actor);
        let (after, changed) = self.change(&p.id, cx, |p, _| {
            let id = p.id.clone();
            let Some(r) = p.reviews.iter_mut().find(|r| r.by == me) else {
                return Err(TalkError::NotScoredByYou { id });
            };
            if r.shareable == on {
                return Ok(None);
            }
            r.shareable = on;
            Ok(Some(("share", Some(on.to_string()), ())))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        let text = match (changed.is_some(), on) {
            (false, true) => tx!(
                lang,
                "Your comment on {pid} is shared with the speaker already. Nothing changed.",
                "你对 {pid} 的评语已经分享给讲者。没有改动。",
                "Seu comentário sobre {pid} já está compartilhado. Nada mudou.";
                pid
            ),
            (false, false) => tx!(
                lang,
                "Your comment on {pid} is not shared. Nothing changed.",
                "你对 {pid} 的评语没有分享。没有改动。",
                "Seu comentário sobre {pid} não está compartilhado. Nada mudou.";
                pid
            ),
            (true, true) => tx!(
                lang,
                "The speaker of {pid} may now read your comment (not your score).",
                "{pid} 的讲者现在可以看到你的评语（看不到分数）。",
                "Quem propôs {pid} agora pode ler seu comentário (não a nota).";
                pid
            ),
            (true, false) => tx!(
                lang,
                "Your comment on {pid} is private again.",
                "你对 {pid} 的评语已改为不分享。",
                "Seu comentário sobre {pid} voltou a ser privado.";
                pid
            ),
        };
        Ok(Response::one(Reply::private(lang, text)))
    }

    pub(crate) fn talk_deck(
        &self,
        cx: &Ctx,
        id: &str,
        link: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        if !p.speaker.is(cx.actor) {
            return Err(err(TalkError::NotYours { id: p.id }));
        }
        if !p.accepted() {
            return Err(err(TalkError::NotAccepted { id: p.id }));
        }
        if p.given.is_some() {
            return Err(err(TalkError::Given { id: p.id }));
        }
        let Some(link) = link.filter(|l| !l.trim().is_empty()) else {
            return self.talk_form(cx, &super::FormKind::Deck(p.id));
        };
        let url = words::link(link).map_err(err)?;
        let (after, changed) = self.change(&p.id, cx, |p, now| {
            if p.deck
                .as_ref()
                .is_some_and(|d| d.url == url && d.veto.is_none())
            {
                return Ok(None);
            }
            let late = p.deck_due.is_some_and(|due| now > due);
            p.deck = Some(Deck {
                url: url.clone(),
                at: now,
                late,
                approved: None,
                veto: None,
            });
            Ok(Some(("deck", Some(url.clone()), late)))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        let text = match changed {
            None => tx!(
                lang,
                "The track owners have these slides for {pid} already. Nothing changed.",
                "出品人已经收到 {pid} 的这份讲稿。没有改动。",
                "Os curadores já têm esses slides de {pid}. Nada mudou.";
                pid
            ),
            Some(false) => tx!(
                lang,
                "📎 Thank you! The slides for {pid} are in; the track owners review them and you will hear back.",
                "📎 谢谢！{pid} 的讲稿已收到；出品人会评审并回复你。",
                "📎 Obrigado! Os slides de {pid} chegaram; os curadores vão revisá-los e você terá retorno.";
                pid
            ),
            Some(true) => tx!(
                lang,
                "📎 Thank you! The slides for {pid} are in, after their deadline; the track owners review them and you will hear back.",
                "📎 谢谢！{pid} 的讲稿已收到（已过截止时间）；出品人会评审并回复你。",
                "📎 Obrigado! Os slides de {pid} chegaram, depois do prazo; os curadores vão revisá-los e você terá retorno.";
                pid
            ),
        };
        Ok(Response::one(Reply::private(lang, text)))
    }

    pub(crate) fn talk_deck_approve(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.must_own(cx, &p)?;
        if !p.accepted() {
            return Err(err(TalkError::NotAccepted { id: p.id }));
        }
        let me = Person::of(cx.actor);
        let (after, changed) = self.change(&p.id, cx, |p, now| {
            let id = p.id.clone();
            let Some(d) = p.deck.as_mut() else {
                return Err(TalkError::NoDeck { id });
            };
            if d.veto.is_some() {
                return Err(TalkError::DeckVetoed { id });
            }
            if d.approved.is_some() {
                return Ok(None);
            }
            d.approved = Some(Mark {
                by: me.clone(),
                at: now,
            });
            Ok(Some(("deck-approve", Some(d.url.clone()), ())))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        if changed.is_none() {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "The slides for {pid} are approved already. Nothing changed.",
                    "{pid} 的讲稿已经通过。没有改动。",
                    "Os slides de {pid} já estão aprovados. Nada mudou.";
                    pid
                ),
            )));
        }
        let title = Text::typed(&after.title);
        Ok(Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "✅ The slides for {pid} are approved; the speaker is told.",
                "✅ {pid} 的讲稿已通过，已通知讲者。",
                "✅ Os slides de {pid} foram aprovados; quem propôs foi avisado.";
                pid
            ),
        ))
        .and(to_speaker(&after, |lang| {
            tx!(
                lang,
                "✅ Your slides for {pid}, \"{title}\", are approved by the track owners. See you on stage!",
                "✅ 你的演讲 {pid}“{title}”的讲稿已通过出品人评审。舞台上见！",
                "✅ Seus slides de {pid}, \"{title}\", foram aprovados pelos curadores. Até o palco!";
                pid, title = &title
            )
        })))
    }

    pub(crate) fn talk_deck_reject(
        &self,
        cx: &Ctx,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Response, CmdError> {
        let p = self.proposal(id)?;
        self.must_own(cx, &p)?;
        if !p.accepted() {
            return Err(err(TalkError::NotAccepted { id: p.id }));
        }
        if p.deck.is_none() {
            return Err(err(TalkError::NoDeck { id: p.id }));
        }
        let reason = words::clean(reason.unwrap_or(""), "reason", MAX_REASON, true).map_err(err)?;
        if reason.is_empty() {
            return Err(err(TalkError::NoReason {
                what: "deck",
                id: p.id,
            }));
        }
        let me = Person::of(cx.actor);
        let (after, changed) = self.change(&p.id, cx, |p, now| {
            let id = p.id.clone();
            let Some(d) = p.deck.as_mut() else {
                return Err(TalkError::NoDeck { id });
            };
            if d.veto.as_ref().is_some_and(|v| v.reason == reason) {
                return Ok(None);
            }
            d.approved = None;
            d.veto = Some(Veto {
                by: me.clone(),
                reason: reason.clone(),
                at: now,
                told: Some(now),
            });
            Ok(Some(("deck-veto", Some(reason.clone()), ())))
        })?;
        let lang = cx.lang;
        let pid = after.id.as_str();
        if changed.is_none() {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "The slides for {pid} are vetoed already, with that reason. Nothing changed.",
                    "{pid} 的讲稿已经以这个理由被否决。没有改动。",
                    "Os slides de {pid} já estão vetados, com esse motivo. Nada mudou.";
                    pid
                ),
            )));
        }
        let title = Text::typed(&after.title);
        let why = Text::typed(&reason);
        let due = after.deck_due;
        Ok(Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "⛔ You vetoed the slides for {pid}; the speaker reads your reason and sends new ones.",
                "⛔ 你否决了 {pid} 的讲稿；讲者会看到理由并重新提交。",
                "⛔ Você vetou os slides de {pid}; quem propôs lê seu motivo e envia outros.";
                pid
            ),
        ))
        .and(to_speaker(&after, |lang| {
            let by = due.map_or_else(String::new, |d| {
                let when = self.moment(d, lang);
                tr!(lang, " by {when}", "（截止 {when}）", " até {when}")
            });
            tx!(
                lang,
                "The track owners need changes to your slides for {pid}, \"{title}\": \"{why}\". Send the new ones{by} with `talks deck {pid} LINK`.",
                "出品人需要你修改 {pid}“{title}”的讲稿：“{why}”。请{by}用 `talks deck {pid} 链接` 提交新版本。",
                "Os curadores pedem mudanças nos seus slides de {pid}, \"{title}\": \"{why}\". Envie os novos{by} com `talks deck {pid} LINK`.";
                pid, title = &title, why = &why, by = by.as_str()
            )
        })))
    }
}
