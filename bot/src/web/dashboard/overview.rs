//! The overview with its charts.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use knowledge::Lang;

use super::{frame, signed};
use crate::web::html::{self, esc, t};
use crate::web::public::LangQuery;
use crate::web::Web;

pub(super) async fn overview(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    let lang = s.lang;
    let mut body = format!(
        "<p>{}</p>",
        esc(&match lang {
            Lang::En => format!("Welcome, @{}.", s.session.who.name),
            Lang::Zh => format!("欢迎，@{}。", s.session.who.name),
            Lang::Pt => format!("Boas-vindas, @{}.", s.session.who.name),
        })
    );
    if s.may(&web, "kb gaps") {
        if let Ok(days) = web.commands.question_days(14) {
            let rows: Vec<(String, Vec<u32>)> = days
                .iter()
                .map(|d| (d.day[5..].to_string(), vec![d.answered, d.declined]))
                .collect();
            body.push_str(&html::bars(
                t!(
                    lang,
                    "Questions per day: answered and declined",
                    "每日问题：已回答与未回答",
                    "Perguntas por dia: respondidas e sem resposta"
                ),
                &[
                    (t!(lang, "answered", "已回答", "respondidas"), "#2e7d32"),
                    (t!(lang, "declined", "未回答", "sem resposta"), "#c62828"),
                ],
                &rows,
            ));
        }
    }
    if let Ok(events) = web.commands.events_overview(Some(&s.actor()), 0) {
        let rows: Vec<(String, Vec<u32>)> = events
            .iter()
            .filter(|v| !v.event.cancelled && !v.calls.is_empty())
            .take(12)
            .map(|v| {
                let signed: usize = v.calls.iter().map(|c| c.signups.len()).sum();
                let waiting: usize = v.calls.iter().map(|c| c.waitlist.len()).sum();
                (v.event.id.clone(), vec![signed as u32, waiting as u32])
            })
            .collect();
        if !rows.is_empty() {
            body.push_str(&html::bars(
                t!(
                    lang,
                    "Volunteer sign-ups per event",
                    "每个活动的志愿者报名",
                    "Inscrições de voluntários por evento"
                ),
                &[
                    (t!(lang, "signed up", "已报名", "inscritos"), "#ff9900"),
                    (t!(lang, "waitlist", "候补", "espera"), "#8895a7"),
                ],
                &rows,
            ));
        }
    }
    frame(
        &web,
        &s,
        "/dashboard",
        t!(lang, "Dashboard", "控制台", "Painel"),
        &body,
    )
}
