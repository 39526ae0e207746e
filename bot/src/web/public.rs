//! What needs no sign-in: `/calendar.ics` (every upcoming event), `/events/ID` (an event's
//! page in the visitor's language, with the volunteer roles still open) and
//! `/events/ID.ics`, members' personal feeds `/me/TOKEN.ics`, `/health` and `/metrics`.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use commands::dashboard::{feed, EventView};
use commands::{registry, Platform, Span};
use knowledge::Lang;
use serde::Deserialize;
use serde_json::json;

use super::html::{self, esc, t};
use super::metrics::metrics;
use super::Web;

pub fn routes() -> axum::Router<Arc<Web>> {
    axum::Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/dashboard") }),
        )
        .route("/health", get(health))
        .route("/metrics", get(prometheus))
        .route("/calendar.ics", get(calendar))
        .route("/events/{id}", get(event))
        .route("/me/{token}", get(personal))
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// The visitor's language: `?lang=`, then the `lang` cookie, then `Accept-Language`, then
/// the bot's fallback language.
pub fn visitor_lang(web: &Web, headers: &HeaderMap, query: Option<&str>) -> Lang {
    let cookie = cookie(headers, "lang");
    query
        .or(cookie.as_deref())
        .and_then(commands::lang_of_locale)
        .or_else(|| {
            html::accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            )
        })
        .unwrap_or(web.commands.knowledge().settings().fallback_lang)
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// How a member or role is shown on a page: `@name`.
pub fn namer(web: &Web) -> impl Fn(&Span) -> Option<String> + '_ {
    move |span| match span {
        Span::User { platform, id } => Some(format!("@{}", web.commands.name_of(*platform, id))),
        _ => None,
    }
}

pub async fn not_found(State(web): State<Arc<Web>>, headers: HeaderMap) -> Response {
    let lang = visitor_lang(&web, &headers, None);
    let body = format!(
        "<p>{}</p>",
        t!(
            lang,
            "There is nothing at this address.",
            "这个地址没有内容。",
            "Não há nada neste endereço."
        )
    );
    let title = t!(lang, "Not found", "未找到", "Não encontrado");
    (
        StatusCode::NOT_FOUND,
        axum::response::Html(html::page(lang, title, &[], None, &body)),
    )
        .into_response()
}

/// `/health`: 200 when the store reads, every platform served is connected and the last
/// import of the knowledge base went well; 503 otherwise. The JSON says which part failed.
async fn health(State(web): State<Arc<Web>>) -> Response {
    let commands = Arc::clone(&web.commands);
    let store = tokio::task::spawn_blocking(move || commands.check_store())
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    let import = web.commands.last_import();
    let kb_ok = import.as_ref().is_none_or(|i| i.ok);
    let mut failing: Vec<String> = Vec::new();
    if store.is_err() {
        failing.push("store".into());
    }
    if !kb_ok {
        failing.push("knowledge".into());
    }
    let mut platforms = serde_json::Map::new();
    for (p, up) in metrics().platforms() {
        platforms.insert(p.name().into(), json!({ "ok": up, "connected": up }));
        if !up {
            failing.push(p.name().into());
        }
    }
    let ok = failing.is_empty();
    let body = json!({
        "ok": ok,
        "failing": failing,
        "store": { "ok": store.is_ok(), "error": store.err() },
        "knowledge": {
            "ok": kb_ok,
            "documents": import.as_ref().map(|i| i.documents),
            "sections": import.as_ref().map(|i| i.sections),
            "last_import": import.as_ref().map(|i| i.at),
            "error": import.as_ref().and_then(|i| i.error.clone()),
        },
        "platforms": platforms,
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

async fn prometheus() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics().encode(),
    )
        .into_response()
}

fn ics(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        body,
    )
        .into_response()
}

fn failed(e: commands::CmdError) -> Response {
    tracing::error!("web: {e}");
    (StatusCode::INTERNAL_SERVER_ERROR, "the store failed\n").into_response()
}

/// `/calendar.ics`: every event not yet over.
async fn calendar(State(web): State<Arc<Web>>) -> Response {
    let events = match web.commands.calendar_events() {
        Ok(e) => e,
        Err(e) => return failed(e),
    };
    let names = |p: Platform, u: &str| web.commands.name_of(p, u);
    ics(
        feed("Community events", &events, &[], &web.base, &names),
        "calendar.ics",
    )
}

/// `/me/TOKEN.ics`: a member's volunteer shifts.
async fn personal(State(web): State<Arc<Web>>, Path(token): Path<String>) -> Response {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let Some(who) = web.commands.feed_owner(token) else {
        return (StatusCode::NOT_FOUND, "no such calendar\n").into_response();
    };
    let shifts = match web.commands.shifts_of(&who) {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    let names = |p: Platform, u: &str| web.commands.name_of(p, u);
    let title = format!("Community shifts of {}", who.name);
    ics(
        feed(&title, &[], &shifts, &web.base, &names),
        "my-calendar.ics",
    )
}

/// `/events/ID` and `/events/ID.ics`.
async fn event(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let (id, as_ics) = match id.strip_suffix(".ics") {
        Some(id) => (id.to_string(), true),
        None => (id, false),
    };
    let lang = visitor_lang(&web, &headers, q.lang.as_deref());
    let view = match web.commands.event_view(&id, None) {
        Ok(v) => v,
        Err(commands::CmdError::NotFound { .. }) => {
            return not_found(State(web), headers).await;
        }
        Err(e) => return failed(e),
    };
    if as_ics {
        let names = |p: Platform, u: &str| web.commands.name_of(p, u);
        let body = feed(
            &view.event.title,
            std::slice::from_ref(&view.event),
            &[],
            &web.base,
            &names,
        );
        return ics(body, &format!("{}.ics", view.event.id));
    }
    let body = event_body(&web, &view, lang);
    axum::response::Html(html::page(lang, &view.event.title, &[], None, &body)).into_response()
}

/// An event as a page: when, where, what, who, and the roles still open.
pub fn event_body(web: &Web, view: &EventView, lang: Lang) -> String {
    let e = &view.event;
    let c = &web.commands;
    let mut out = String::from("<div class=\"card\">");
    if e.cancelled {
        let _ = write!(
            out,
            "<p class=\"reply refused\"><strong>{}</strong></p>",
            t!(
                lang,
                "This event is cancelled.",
                "此活动已取消。",
                "Este evento foi cancelado."
            )
        );
    }
    let when = match e.end {
        Some(end) => format!(
            "{} – {}",
            c.show_moment(e.start, lang),
            c.show_moment(end, lang)
        ),
        None => c.show_moment(e.start, lang),
    };
    let _ = write!(
        out,
        "<dl><dt>{}</dt><dd>{}</dd>",
        t!(lang, "When", "时间", "Quando"),
        esc(&when)
    );
    if let Some(p) = &e.place {
        let place = html::text(&commands::Text::link_or_typed(p), &|_| None);
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{place}</dd>",
            t!(lang, "Where", "地点", "Onde")
        );
    }
    let _ = write!(
        out,
        "<dt>{}</dt><dd>{}</dd></dl>",
        t!(lang, "Organizer", "组织者", "Organização"),
        esc(&c.name_of(e.platform, &e.organizer))
    );
    if let Some(d) = &e.description {
        let _ = write!(out, "<p>{}</p>", esc(d).replace('\n', "<br>"));
    }
    let _ = write!(
        out,
        "<p><a href=\"/events/{id}.ics\">📅 {}</a> · <a href=\"/calendar.ics\">{}</a></p></div>",
        t!(lang, "Add to calendar", "加入日历", "Adicionar à agenda"),
        t!(
            lang,
            "Subscribe to every event",
            "订阅全部活动",
            "Assinar todos os eventos"
        ),
        id = html::url_part(&e.id),
    );
    out.push_str(&open_roles(web, view, lang));
    out
}

/// The volunteer roles of an event that still have places, with what to type to sign up.
fn open_roles(web: &Web, view: &EventView, lang: Lang) -> String {
    let (e, c) = (&view.event, &web.commands);
    let mut out = String::new();
    let now = c.now_secs();
    let open = !e.cancelled && now < e.start;
    let volunteer = registry::find("volunteer");
    let signup = registry::find("volunteer signup");
    let mut roles = String::new();
    for call in &view.calls {
        if !open || call.deadline.is_some_and(|d| now > d) {
            continue;
        }
        for slot in &call.slots {
            let taken = call.signups.iter().filter(|s| s.role == slot.role).count();
            let left = (slot.places as usize).saturating_sub(taken);
            if left == 0 {
                continue;
            }
            let how = match (volunteer, signup) {
                (Some(v), Some(s)) => format!(
                    "{} {} {} {}",
                    v.word(lang),
                    s.word(lang),
                    call.id,
                    slot.role
                ),
                _ => String::new(),
            };
            let _ = write!(
                roles,
                "<tr><td>{}</td><td>{left}</td><td><code>{}</code></td></tr>",
                esc(&slot.role),
                esc(&how)
            );
        }
    }
    if !roles.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{roles}</table>",
            t!(
                lang,
                "Volunteers wanted",
                "招募志愿者",
                "Precisamos de voluntários"
            ),
            t!(lang, "Role", "岗位", "Função"),
            t!(lang, "Places left", "剩余名额", "Vagas restantes"),
            t!(
                lang,
                "Sign up in chat",
                "在聊天中报名",
                "Inscreva-se no chat"
            ),
        );
    }
    out
}
