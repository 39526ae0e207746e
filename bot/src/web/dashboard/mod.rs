//! The dashboard under `/dashboard`: signed in by a one-time link from the `dashboard`
//! command, then a session cookie (HttpOnly, SameSite=Strict, Secure behind https). Every
//! form carries the session's CSRF token; every change is a registered command run as the
//! signed-in member (so `commands` decides what they may do), and every page that shows
//! what only some may see asks `commands` first.
//!
//! Pages: the overview with charts, events with rosters and waitlists (edit, cancel, mark
//! attendance, CSV), badges and the audit log, knowledge gaps, the knowledge base, talk
//! proposals (review, ranking and decisions, the speaker's own), and the member's own page.

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use commands::links::{same, Session};
use commands::{Command, Destination, Input, Reply};
use knowledge::Lang;

use super::html::{self, esc, t};
use super::public::{cookie, namer, visitor_lang};
use super::Web;

const SESSION_COOKIE: &str = "bot_session";
const SIGN_IN_COOKIE: &str = "bot_signin";
/// Form bodies are small; a field too long for its command is refused by the command.
const FORM_LIMIT: usize = 64 * 1024;

pub fn routes() -> axum::Router<Arc<Web>> {
    axum::Router::new()
        .route("/dashboard", get(overview))
        .route("/dashboard/", get(overview))
        .route("/dashboard/signin", get(sign_in_help))
        .route("/dashboard/signin/{token}", get(sign_in_page).post(sign_in))
        .route("/dashboard/signout", post(sign_out))
        .route("/dashboard/events", get(events))
        .route("/dashboard/events/{id}", get(event))
        .route("/dashboard/events/{id}/roster.csv", get(roster_csv))
        .route("/dashboard/events/{id}/edit", post(edit))
        .route("/dashboard/events/{id}/cancel", post(cancel))
        .route("/dashboard/calls/{id}/attended", post(attended))
        .route("/dashboard/badges", get(badges))
        .route("/dashboard/badges/grant", post(grant))
        .route("/dashboard/badges/revoke", post(revoke))
        .route("/dashboard/audit", get(audit))
        .route("/dashboard/gaps", get(gaps))
        .route("/dashboard/kb", get(kb))
        .route("/dashboard/kb/search", get(kb_search))
        .route("/dashboard/kb/reload", post(kb_reload))
        .route("/dashboard/me", get(me))
        .route("/dashboard/talks", get(talks::talks))
        .route("/dashboard/talks/{id}/score", post(talks::score))
        .route("/dashboard/talks/{id}/veto", post(talks::veto))
        .route("/dashboard/talks/{id}/accept", post(talks::accept))
        .route("/dashboard/talks/{id}/decline", post(talks::decline))
        .route("/dashboard/talks/{id}/send", post(talks::send))
        .layer(axum::extract::DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn(remember_language))
}

/// `?lang=xx` is remembered in a cookie for the next pages.
async fn remember_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let chosen = request.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| commands::lang_of_locale(&v))
    });
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let c = format!(
            "lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// A signed-in request: the session, its page language.
struct Signed {
    session: Session,
    token: String,
    lang: Lang,
}

impl Signed {
    fn actor(&self) -> commands::Actor {
        self.session.who.actor(Some(self.lang))
    }

    fn may(&self, web: &Web, path: &str) -> bool {
        web.commands.may(&self.actor(), path)
    }
}

/// The session of the request, or the redirect to the sign-in page.
fn signed(web: &Web, headers: &HeaderMap, query: Option<&str>) -> Result<Signed, Box<Response>> {
    let lang = visitor_lang(web, headers, query);
    let token = cookie(headers, SESSION_COOKIE);
    match token
        .as_deref()
        .and_then(|t| web.commands.session(t).map(|s| (t, s)))
    {
        Some((token, session)) => Ok(Signed {
            session,
            token: token.to_string(),
            lang,
        }),
        None => Err(Box::new(Redirect::to("/dashboard/signin").into_response())),
    }
}

macro_rules! signed_or_return {
    ($web:expr, $headers:expr, $query:expr) => {
        match signed(&$web, &$headers, $query) {
            Ok(s) => s,
            Err(redirect) => return *redirect,
        }
    };
}

// Declared after `signed_or_return!` so that the pages can use it.
mod badges;
mod events;
mod kb;
mod member;
mod overview;
mod signin;
mod talks;

use badges::{audit, badges, grant, revoke};
use events::{attended, cancel, edit, event, events, roster_csv};
use kb::{gaps, kb, kb_reload, kb_search};
use member::me;
use overview::overview;
use signin::{sign_in, sign_in_help, sign_in_page, sign_out};

/// The navigation for what this member may open.
fn nav(web: &Web, s: &Signed, here: &str) -> Vec<(String, String, bool)> {
    let lang = s.lang;
    let mut items = vec![
        (
            "/dashboard",
            t!(lang, "Overview", "概览", "Visão geral"),
            "",
        ),
        (
            "/dashboard/events",
            t!(lang, "Events", "活动", "Eventos"),
            "",
        ),
        (
            "/dashboard/badges",
            t!(lang, "Badges", "徽章", "Selos"),
            "badge grant",
        ),
        (
            "/dashboard/audit",
            t!(lang, "Audit log", "审计日志", "Auditoria"),
            "audit",
        ),
        (
            "/dashboard/gaps",
            t!(lang, "Knowledge gaps", "知识缺口", "Lacunas"),
            "kb gaps",
        ),
        (
            "/dashboard/kb",
            t!(lang, "Knowledge base", "知识库", "Base de conhecimento"),
            "kb reload",
        ),
        (
            "/dashboard/talks",
            t!(lang, "Talks", "演讲", "Palestras"),
            "",
        ),
        (
            "/dashboard/me",
            t!(lang, "My page", "我的页面", "Minha página"),
            "",
        ),
    ];
    items.retain(|(_, _, path)| path.is_empty() || s.may(web, path));
    items
        .into_iter()
        .map(|(href, label, _)| (href.to_string(), label.to_string(), href == here))
        .collect()
}

fn sign_out_form(s: &Signed) -> String {
    format!(
        "<form method=\"post\" action=\"/dashboard/signout\" style=\"margin-top:2rem\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button class=\"secondary\">{}</button></form>",
        esc(&s.session.csrf),
        t!(s.lang, "Sign out", "退出登录", "Sair")
    )
}

fn frame(web: &Web, s: &Signed, here: &str, title: &str, body: &str) -> Response {
    let who = format!(
        "@{} · {}",
        s.session.who.name,
        s.session.who.platform.name()
    );
    let body = format!("{body}{}", sign_out_form(s));
    let mut response = Html(html::page(
        s.lang,
        title,
        &nav(web, s, here),
        Some(&who),
        &body,
    ))
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain_page(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    (status, Html(html::page(lang, title, &[], None, body))).into_response()
}

fn csrf_field(s: &Signed) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&s.session.csrf)
    )
}

// --- Actions: registered commands run as the signed-in member ---------------------------

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn csrf_ok(s: &Signed, form: &[(String, String)]) -> bool {
    field(form, "csrf").is_some_and(|c| same(c, &s.session.csrf))
}

fn forged(lang: Lang) -> Response {
    plain_page(
        StatusCode::FORBIDDEN,
        lang,
        t!(lang, "Not accepted", "未被接受", "Não aceito"),
        t!(
            lang,
            "<p class=\"reply refused\" id=\"refused\">This form did not come from your dashboard session (its security token is missing or wrong), so nothing was changed. Reload the page and try again.</p>",
            "<p class=\"reply refused\" id=\"refused\">这个表单不是来自你的控制台会话（安全令牌缺失或错误），所以没有做任何改动。请刷新页面后重试。</p>",
            "<p class=\"reply refused\" id=\"refused\">Este formulário não veio da sua sessão do painel (o token de segurança falta ou está errado), então nada foi alterado. Recarregue a página e tente de novo.</p>"
        ),
    )
}

/// Runs `command` as the signed-in member and shows the reply, with a way back.
async fn run(web: &Arc<Web>, s: &Signed, command: Command, back: &str) -> Response {
    let replies = command_replies(web, s, command).await;
    let Some(main) = replies.first() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no reply").into_response();
    };
    let status = match (main.ok, main.error) {
        (true, _) => StatusCode::OK,
        (false, Some("denied")) => StatusCode::FORBIDDEN,
        (false, Some("internal")) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let name = namer(web);
    let body = format!(
        "{}<p><a href=\"{}\">← {}</a></p>",
        html::reply(main, &name),
        esc(back),
        t!(s.lang, "Back", "返回", "Voltar")
    );
    let title = if main.ok {
        t!(s.lang, "Done", "完成", "Feito")
    } else {
        t!(s.lang, "Not done", "未完成", "Não feito")
    };
    let mut r = frame(web, s, "", title, &body);
    *r.status_mut() = status;
    r
}

/// What a registered command replies to the member, run off the async runtime. Its other
/// messages (direct messages, updated posts, announcements) and effects go out through the
/// chat front ends served beside the dashboard, when there are any.
async fn command_replies(web: &Arc<Web>, s: &Signed, command: Command) -> Vec<Reply> {
    let commands = Arc::clone(&web.commands);
    let actor = s.actor();
    let Ok(response) =
        tokio::task::spawn_blocking(move || commands.handle(&actor, Input::Command(command))).await
    else {
        return Vec::new();
    };
    if let Some(fronts) = web.fronts() {
        let (fronts, commands) = (fronts.clone(), Arc::clone(&web.commands));
        let elsewhere = commands::Response {
            replies: response
                .replies
                .iter()
                .filter(|r| !matches!(r.destination, Destination::Here | Destination::Private))
                .cloned()
                .collect(),
            effects: response.effects.clone(),
        };
        tokio::spawn(async move { fronts.deliver(&commands, &elsewhere).await });
    }
    response.replies
}

/// A command's reply rendered, or `None` with the refusal page when it was refused.
async fn shown(web: &Arc<Web>, s: &Signed, command: Command) -> Result<String, Response> {
    let replies = command_replies(web, s, command).await;
    let Some(main) = replies.first() else {
        return Err((StatusCode::INTERNAL_SERVER_ERROR, "no reply").into_response());
    };
    let name = namer(web);
    let html = html::reply(main, &name);
    if main.ok {
        Ok(html)
    } else {
        let title = t!(s.lang, "Not allowed", "无权访问", "Não permitido");
        let mut r = frame(web, s, "", title, &html);
        *r.status_mut() = if main.error == Some("denied") {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::BAD_REQUEST
        };
        Err(r)
    }
}

fn denied(web: &Web, s: &Signed, path: &str) -> Response {
    let lang = s.lang;
    let body = format!(
        "<p class=\"reply refused\" id=\"refused\">{}</p>",
        esc(&match lang {
            Lang::En => format!("Your level does not allow `{path}`, so this page is not for you."),
            Lang::Zh => format!("你的权限不能使用 `{path}`，所以无法打开这个页面。"),
            Lang::Pt =>
                format!("Seu nível não permite `{path}`, então esta página não é para você."),
        })
    );
    let mut r = frame(
        web,
        s,
        "",
        t!(lang, "Not allowed", "无权访问", "Não permitido"),
        &body,
    );
    *r.status_mut() = StatusCode::FORBIDDEN;
    r
}

fn internal(e: commands::CmdError) -> Response {
    tracing::error!("web: {e}");
    (StatusCode::INTERNAL_SERVER_ERROR, "the store failed\n").into_response()
}
