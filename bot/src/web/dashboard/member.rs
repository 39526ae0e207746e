//! The member's own page.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use commands::Command;

use super::{frame, shown, signed};
use crate::web::html::{esc, t, url_part};
use crate::web::public::LangQuery;
use crate::web::Web;

pub(super) async fn me(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    let lang = s.lang;
    let mut body = String::new();
    for command in [Command::Badges { user: None }, Command::Next { user: None }] {
        match shown(&web, &s, command).await {
            Ok(b) => body.push_str(&b),
            Err(r) => return r,
        }
    }
    if let Ok(shifts) = web.commands.shifts_of(&s.session.who) {
        if !shifts.is_empty() {
            let _ = write!(
                body,
                "<h2>{}</h2><table>",
                t!(lang, "My volunteer shifts", "我的志愿者班次", "Meus turnos")
            );
            for (e, call, role) in shifts {
                let present = call
                    .attended
                    .iter()
                    .any(|(p, u)| *p == s.session.who.platform && *u == s.session.who.user_id);
                let _ = write!(
                    body,
                    "<tr><td><a href=\"/events/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    url_part(&e.id),
                    esc(&e.title),
                    esc(&web.commands.show_moment(e.start, lang)),
                    esc(&role),
                    if present { "✔" } else { "" }
                );
            }
            body.push_str("</table>");
        }
    }
    let _ = write!(
        body,
        "<p class=\"muted\">{}</p>",
        t!(
            lang,
            "Send <code>calendar me</code> in chat for a private calendar link with your shifts.",
            "在聊天中发送 <code>日历 我的</code>，获取包含你的班次的私人日历链接。",
            "Envie <code>agenda minha</code> no chat para um link de agenda privado com seus turnos."
        )
    );
    frame(
        &web,
        &s,
        "/dashboard/me",
        t!(lang, "My page", "我的页面", "Minha página"),
        &body,
    )
}
