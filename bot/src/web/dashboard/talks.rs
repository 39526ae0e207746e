//! Talk proposals: for track owners, what waits for their review with score and veto
//! forms; for organizers, the proposals for their events ranked, with accept, decline and
//! "send decisions"; for speakers, their own proposals and where each stands; for admins,
//! every proposal. What each reader sees comes from [`commands::talks::TalksBoard`]; every
//! form runs a registered talks command as the signed-in member.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use commands::talks::{EventTalks, TalkCommand, TalkRow};
use commands::Command;
use knowledge::Lang;

use super::{csrf_field, csrf_ok, field, forged, frame, internal, run, signed};
use crate::web::html::{self, esc, t, url_part};
use crate::web::public::{namer, LangQuery};
use crate::web::Web;

const BACK: &str = "/dashboard/talks";

pub(super) async fn talks(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    let lang = s.lang;
    let board = match web.commands.talks_board(&s.actor(), lang) {
        Ok(b) => b,
        Err(e) => return internal(e),
    };
    let page = Page {
        web: &web,
        lang,
        csrf: csrf_field(&s),
    };
    let mut body = String::new();
    if !board.owned.is_empty() {
        page.review(&mut body, &board.owned.join(", "), &board.to_review);
    }
    for e in &board.events {
        page.event(&mut body, e);
    }
    page.mine(&mut body, &board.mine);
    if let Some(all) = &board.all {
        page.all(&mut body, all);
    }
    frame(
        &web,
        &s,
        BACK,
        t!(lang, "Talks", "演讲", "Palestras"),
        &body,
    )
}

/// What every part of the page needs.
struct Page<'a> {
    web: &'a Web,
    lang: Lang,
    /// The hidden CSRF field every form carries.
    csrf: String,
}

impl Page<'_> {
    fn speaker(&self, row: &TalkRow) -> String {
        esc(&format!(
            "@{}",
            self.web
                .commands
                .name_of(row.speaker.platform, &row.speaker.user)
        ))
    }

    fn stage(&self, row: &TalkRow) -> String {
        html::text(&row.stage, &namer(self.web))
    }

    /// The track owner's part: one card per proposal waiting, with its forms.
    fn review(&self, body: &mut String, tracks: &str, rows: &[TalkRow]) {
        let lang = self.lang;
        let _ = write!(
            body,
            "<h2>{} ({})</h2>",
            t!(
                lang,
                "Waiting for your review",
                "等待你评审",
                "Esperando sua revisão"
            ),
            esc(tracks)
        );
        if rows.is_empty() {
            let _ = write!(
                body,
                "<p id=\"review-none\">{}</p>",
                t!(
                    lang,
                    "Nothing waits for your review. Thank you!",
                    "没有等待你评审的提案。谢谢！",
                    "Nada espera sua revisão. Obrigado!"
                )
            );
        }
        for row in rows {
            self.review_card(body, row);
        }
    }

    fn review_card(&self, body: &mut String, row: &TalkRow) {
        let lang = self.lang;
        let (id, pid, csrf) = (esc(&row.id), url_part(&row.id), &self.csrf);
        let event = row
            .event
            .as_deref()
            .map(|e| format!(" · {}", esc(e)))
            .unwrap_or_default();
        let scores: String = (1..=5)
            .map(|n| format!("<option value=\"{n}\">{n}</option>"))
            .collect();
        let _ = write!(
            body,
            "<div class=\"card\" id=\"review-{id}\"><h3><code>{id}</code> {}</h3>\
<p class=\"muted\">{} · {} · {} · {}{event}</p><p>{}</p>\
<form method=\"post\" action=\"/dashboard/talks/{pid}/score\" id=\"score-{id}\">{csrf}\
<label for=\"score-{id}-n\">{}</label><select id=\"score-{id}-n\" name=\"score\">{scores}</select>\
<label for=\"score-{id}-comment\">{}</label><textarea id=\"score-{id}-comment\" name=\"comment\" rows=\"2\"></textarea>\
<label><input type=\"checkbox\" name=\"share\" value=\"yes\"> {}</label><p><button>{}</button></p></form>\
<form method=\"post\" action=\"/dashboard/talks/{pid}/veto\" id=\"veto-{id}\">{csrf}\
<label for=\"veto-{id}-reason\">{}</label><input type=\"text\" id=\"veto-{id}-reason\" name=\"reason\">\
<p><button class=\"secondary\">{}</button></p></form></div>",
            esc(&row.title),
            self.speaker(row),
            esc(&row.track),
            esc(&row.facts),
            esc(&row.submitted),
            esc(row.summary.as_deref().unwrap_or("")).replace('\n', "<br>"),
            t!(lang, "Score (1–5)", "评分（1–5）", "Nota (1–5)"),
            t!(lang, "Comment", "评语", "Comentário"),
            t!(
                lang,
                "The speaker may read this comment",
                "讲者可以看到这条评语",
                "O palestrante pode ler este comentário"
            ),
            t!(lang, "Score", "打分", "Avaliar"),
            t!(
                lang,
                "Reason for a veto (required; it ends the proposal)",
                "否决理由（必填；否决将终止此提案）",
                "Motivo do veto (obrigatório; encerra a proposta)"
            ),
            t!(lang, "Veto", "否决", "Vetar"),
        );
    }

    /// An event the reader organizes: its proposals ranked, with accept and decline, and
    /// the button that sends the decisions.
    fn event(&self, body: &mut String, e: &EventTalks) {
        let lang = self.lang;
        let (eid, csrf) = (esc(&e.event.id), &self.csrf);
        let _ = write!(
            body,
            "<h2 id=\"event-{eid}\">{} {} ({eid})</h2>",
            t!(lang, "Proposals for", "提案：", "Propostas para"),
            esc(&e.event.title)
        );
        if e.ranked.is_empty() {
            let _ = write!(
                body,
                "<p>{}</p>",
                t!(
                    lang,
                    "No proposals to rank for this event.",
                    "这个活动没有可排名的提案。",
                    "Nenhuma proposta para classificar neste evento."
                )
            );
        } else {
            let _ = write!(
                body,
                "<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
                t!(lang, "Proposal", "提案", "Proposta"),
                t!(lang, "Speaker", "讲者", "Palestrante"),
                t!(lang, "Reviews", "评审", "Revisões"),
                t!(lang, "Score", "评分", "Nota"),
                t!(lang, "Status", "状态", "Situação"),
            );
            for (i, row) in e.ranked.iter().enumerate() {
                self.ranked_row(body, i + 1, row);
            }
            body.push_str("</table>");
        }
        if e.vetoed > 0 {
            let _ = write!(
                body,
                "<p class=\"muted\">{}: {}</p>",
                t!(
                    lang,
                    "Vetoed (left out)",
                    "已否决（不参与排名）",
                    "Vetadas (fora)"
                ),
                e.vetoed
            );
        }
        if e.to_send > 0 {
            let _ = write!(
                body,
                "<form method=\"post\" action=\"/dashboard/talks/{}/send\" id=\"send-{eid}\">{csrf}<p><button>{} ({})</button> <span class=\"muted\">{}</span></p></form>",
                url_part(&e.event.id),
                t!(lang, "Send decisions", "发送决定", "Enviar decisões"),
                e.to_send,
                t!(
                    lang,
                    "Each speaker is told once, by direct message, in their language.",
                    "每位讲者会收到一次私信，使用其语言。",
                    "Cada palestrante recebe uma mensagem direta, uma vez, no seu idioma."
                ),
            );
        }
    }

    fn ranked_row(&self, body: &mut String, rank: usize, row: &TalkRow) {
        let lang = self.lang;
        let (id, pid, csrf) = (esc(&row.id), url_part(&row.id), &self.csrf);
        let score = row.score.map(|m| format!("{m:.1}/5")).unwrap_or_default();
        let forms = if row.decide {
            format!(
                "<form method=\"post\" action=\"/dashboard/talks/{pid}/accept\" id=\"accept-{id}\">{csrf}<button>{}</button></form>\
<form method=\"post\" action=\"/dashboard/talks/{pid}/decline\" id=\"decline-{id}\">{csrf}\
<input type=\"text\" name=\"reason\" aria-label=\"{}\" placeholder=\"{}\"><button class=\"secondary\">{}</button></form>",
                t!(lang, "Accept", "接受", "Aceitar"),
                t!(lang, "Reason", "理由", "Motivo"),
                t!(lang, "Reason for declining", "婉拒理由", "Motivo da recusa"),
                t!(lang, "Decline", "婉拒", "Recusar"),
            )
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<tr id=\"rank-{id}\"><td>{rank}</td><td><code>{id}</code> {}<br><span class=\"muted\">{} · {}</span></td><td>{}</td><td>{}</td><td>{score}</td><td>{}</td><td>{forms}</td></tr>",
            esc(&row.title),
            esc(&row.track),
            esc(&row.facts),
            self.speaker(row),
            row.reviews,
            self.stage(row),
        );
    }

    /// The speaker's own proposals.
    fn mine(&self, body: &mut String, rows: &[TalkRow]) {
        let lang = self.lang;
        let _ = write!(
            body,
            "<h2>{}</h2>",
            t!(
                lang,
                "Your talk proposals",
                "你的演讲提案",
                "Suas propostas de palestra"
            )
        );
        if rows.is_empty() {
            let _ = write!(
                body,
                "<p id=\"mine-none\">{}</p>",
                t!(
                    lang,
                    "You have no talk proposals yet. Send <code>talks propose</code> in chat to propose one; <code>track list</code> shows the tracks.",
                    "你还没有演讲提案。在聊天中发送 <code>talks propose</code> 提交；<code>track list</code> 列出技术方向。",
                    "Você ainda não tem propostas de palestra. Envie <code>talks propose</code> no chat para propor uma; <code>track list</code> mostra as trilhas."
                )
            );
            return;
        }
        self.table(body, "mine", rows, false);
    }

    /// Every proposal, for admins.
    fn all(&self, body: &mut String, rows: &[TalkRow]) {
        let lang = self.lang;
        let _ = write!(
            body,
            "<h2>{}</h2>",
            t!(lang, "Every proposal", "全部提案", "Todas as propostas")
        );
        self.table(body, "all", rows, true);
    }

    fn table(&self, body: &mut String, name: &str, rows: &[TalkRow], speakers: bool) {
        let lang = self.lang;
        let speaker_th = if speakers {
            format!("<th>{}</th>", t!(lang, "Speaker", "讲者", "Palestrante"))
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<table id=\"{name}\"><tr><th>{}</th>{speaker_th}<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            t!(lang, "Proposal", "提案", "Proposta"),
            t!(lang, "Track", "技术方向", "Trilha"),
            t!(lang, "Event", "活动", "Evento"),
            t!(lang, "Score", "评分", "Nota"),
            t!(lang, "Status", "状态", "Situação"),
        );
        for row in rows {
            let speaker = if speakers {
                format!("<td>{}</td>", self.speaker(row))
            } else {
                String::new()
            };
            let _ = write!(
                body,
                "<tr id=\"{name}-{id}\"><td><code>{id}</code> {}</td>{speaker}<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.title),
                esc(&row.track),
                esc(row.event.as_deref().unwrap_or("—")),
                row.score.map(|m| format!("{m:.1}/5")).unwrap_or_default(),
                self.stage(row),
                id = esc(&row.id),
            );
        }
        body.push_str("</table>");
    }
}

// --- Actions: the talks commands, run as the signed-in member ---------------------------

/// A form's text field, `None` when left empty (the command then says what it needs).
fn given(form: &[(String, String)], name: &str) -> Option<String> {
    field(form, name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Checks the form's CSRF token, then runs the talks command the form makes.
async fn act(
    web: Arc<Web>,
    headers: HeaderMap,
    form: Vec<(String, String)>,
    command: impl FnOnce(&[(String, String)]) -> TalkCommand,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    run(&web, &s, Command::Talk(command(&form)), BACK).await
}

pub(super) async fn score(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    act(web, headers, form, |f| TalkCommand::Score {
        id,
        score: given(f, "score"),
        comment: given(f, "comment"),
        share: Some(given(f, "share").unwrap_or_else(|| "no".into())),
    })
    .await
}

pub(super) async fn veto(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    act(web, headers, form, |f| TalkCommand::Veto {
        id,
        reason: given(f, "reason"),
    })
    .await
}

pub(super) async fn accept(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    act(web, headers, form, |_| TalkCommand::Accept {
        id,
        event: None,
    })
    .await
}

pub(super) async fn decline(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    act(web, headers, form, |f| TalkCommand::Decline {
        id,
        reason: given(f, "reason"),
    })
    .await
}

pub(super) async fn send(
    State(web): State<Arc<Web>>,
    Path(event): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    act(web, headers, form, |_| TalkCommand::Send { event }).await
}
