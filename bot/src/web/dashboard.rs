//! The dashboard under `/dashboard`: signed in by a one-time link from the `dashboard`
//! command, then a session cookie (HttpOnly, SameSite=Strict, Secure behind https). Every
//! form carries the session's CSRF token; every change is a registered command run as the
//! signed-in member (so `commands` decides what they may do), and every page that shows
//! what only some may see asks `commands` first.
//!
//! Pages: the overview with charts, events with rosters and waitlists (edit, cancel, mark
//! attendance, CSV), badges and the audit log, knowledge gaps, the knowledge base, and the
//! member's own page.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use commands::events::EventFields;
use commands::links::{same, Session};
use commands::text::UserRef;
use commands::{Command, Input, Reply};
use knowledge::Lang;
use serde::Deserialize;

use super::html::{self, esc, t, url_part};
use super::public::{cookie, event_body, namer, visitor_lang, LangQuery};
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

// --- Signing in ------------------------------------------------------------------------

async fn sign_in_help(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = visitor_lang(&web, &headers, q.lang.as_deref());
    let body = format!(
        "<div class=\"card\"><p>{}</p></div>",
        t!(
            lang,
            "To sign in, ask the bot for a link: send <code>dashboard</code> in chat (Discord, Slack or the terminal). The link works once, for 10 minutes.",
            "要登录，请向机器人索取链接：在聊天中（Discord、Slack 或终端）发送 <code>dashboard</code>。链接只能用一次，10 分钟内有效。",
            "Para entrar, peça um link ao bot: envie <code>painel</code> no chat (Discord, Slack ou o terminal). O link funciona uma vez, por 10 minutos."
        )
    );
    plain_page(
        StatusCode::OK,
        lang,
        t!(lang, "Sign in", "登录", "Entrar"),
        &body,
    )
}

fn too_many(lang: Lang) -> Response {
    let mut r = plain_page(
        StatusCode::TOO_MANY_REQUESTS,
        lang,
        t!(
            lang,
            "Too many attempts",
            "尝试次数过多",
            "Tentativas demais"
        ),
        t!(
            lang,
            "<p>Too many sign-in attempts from here. Wait a minute and try again.</p>",
            "<p>这里的登录尝试太多了。请等一分钟再试。</p>",
            "<p>Tentativas de acesso demais a partir daqui. Espere um minuto e tente de novo.</p>"
        ),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    r
}

fn refused_link(lang: Lang, e: commands::links::LinkError) -> Response {
    let status = match e {
        commands::links::LinkError::Invalid => StatusCode::FORBIDDEN,
        _ => StatusCode::GONE,
    };
    plain_page(
        status,
        lang,
        t!(lang, "Sign in", "登录", "Entrar"),
        &format!(
            "<p class=\"reply refused\" id=\"refused\">{}</p>",
            esc(&e.message(lang))
        ),
    )
}

/// The page a sign-in link opens: it asks to press "Sign in" (so that link previews,
/// which only fetch the page, do not use the link up).
async fn sign_in_page(
    State(web): State<Arc<Web>>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let lang = visitor_lang(&web, &headers, q.lang.as_deref());
    if !web.sign_in_allowed(peer.ip()) {
        return too_many(lang);
    }
    let who = match web.commands.check_sign_in(&token) {
        Ok(who) => who,
        Err(e) => return refused_link(lang, e),
    };
    // The form's CSRF token, checked against a cookie set with it (there is no session
    // yet to keep it in).
    let check = commands::links::form_token();
    let body = format!(
        "<div class=\"card\"><form method=\"post\" action=\"/dashboard/signin/{}\"><input type=\"hidden\" name=\"csrf\" value=\"{check}\"><p>{}</p><button id=\"sign-in\">{}</button></form></div>",
        url_part(&token),
        esc(&match lang {
            Lang::En => format!("Sign in to the dashboard as @{} ({}).", who.name, who.platform.name()),
            Lang::Zh => format!("以 @{}（{}）的身份登录控制台。", who.name, who.platform.name()),
            Lang::Pt => format!("Entrar no painel como @{} ({}).", who.name, who.platform.name()),
        }),
        t!(lang, "Sign in", "登录", "Entrar"),
    );
    let mut r = plain_page(
        StatusCode::OK,
        lang,
        t!(lang, "Sign in", "登录", "Entrar"),
        &body,
    );
    let c = format!(
        "{SIGN_IN_COOKIE}={check}; Path=/dashboard/signin; HttpOnly; SameSite=Strict; Max-Age=600{}",
        if web.secure { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

async fn sign_in(
    State(web): State<Arc<Web>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let lang = visitor_lang(&web, &headers, None);
    if !web.sign_in_allowed(peer.ip()) {
        return too_many(lang);
    }
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same(&expected, form.csrf.as_deref().unwrap_or("")) {
        return forged(lang);
    }
    let (session_token, session) = match web.commands.sign_in(&token) {
        Ok(s) => s,
        Err(e) => return refused_link(lang, e),
    };
    let max_age = (session.expires - web.commands.now_secs()).max(0);
    let c = format!(
        "{SESSION_COOKIE}={session_token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if web.secure { "; Secure" } else { "" }
    );
    let mut r = Redirect::to("/dashboard").into_response();
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

async fn sign_out(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    web.commands.sign_out(&s.token);
    let mut r = Redirect::to("/dashboard/signin").into_response();
    let c = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
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

/// What a registered command replies to the member, run off the async runtime, with its
/// other messages (announcement updates, direct messages) left to the chat front ends.
async fn command_replies(web: &Arc<Web>, s: &Signed, command: Command) -> Vec<Reply> {
    let commands = Arc::clone(&web.commands);
    let actor = s.actor();
    tokio::task::spawn_blocking(move || commands.handle(&actor, Input::Command(command)).replies)
        .await
        .unwrap_or_default()
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

// --- Overview --------------------------------------------------------------------------

async fn overview(
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

// --- Events ----------------------------------------------------------------------------

async fn events(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    let lang = s.lang;
    let views = match web.commands.events_overview(Some(&s.actor()), 30) {
        Ok(v) => v,
        Err(e) => return internal(e),
    };
    let mut rows = String::new();
    for v in &views {
        let e = &v.event;
        let signed: usize = v.calls.iter().map(|c| c.signups.len()).sum();
        let waiting: usize = v.calls.iter().map(|c| c.waitlist.len()).sum();
        let status = if e.cancelled {
            t!(lang, "cancelled", "已取消", "cancelado")
        } else if e.started(web.commands.now_secs()) {
            t!(lang, "started", "已开始", "começou")
        } else {
            t!(lang, "upcoming", "即将举行", "em breve")
        };
        let _ = write!(
            rows,
            "<tr><td><a href=\"/dashboard/events/{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{status}</td><td>{signed}</td><td>{waiting}</td></tr>",
            esc(&e.title),
            esc(&web.commands.show_moment(e.start, lang)),
            id = esc(&e.id),
        );
    }
    let body = if rows.is_empty() {
        format!(
            "<p>{}</p>",
            t!(
                lang,
                "No events yet. Organizers announce them in chat with `announce`.",
                "还没有活动。组织者在聊天中用 `announce` 发布活动。",
                "Nenhum evento ainda. Organizadores anunciam no chat com `anunciar`."
            )
        )
    } else {
        format!(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{rows}</table>",
            t!(lang, "Event", "活动", "Evento"),
            t!(lang, "Title", "标题", "Título"),
            t!(lang, "When", "时间", "Quando"),
            t!(lang, "Status", "状态", "Situação"),
            t!(lang, "Signed up", "已报名", "Inscritos"),
            t!(lang, "Waitlist", "候补", "Espera"),
        )
    };
    frame(
        &web,
        &s,
        "/dashboard/events",
        t!(lang, "Events", "活动", "Eventos"),
        &body,
    )
}

fn internal(e: commands::CmdError) -> Response {
    tracing::error!("web: {e}");
    (StatusCode::INTERNAL_SERVER_ERROR, "the store failed\n").into_response()
}

/// The time as the edit form shows it (and reads it back): `2026-12-05 19:00`.
fn local_time(web: &Web, secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| {
            t.to_zoned(web.commands.config().timezone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

async fn event(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    let lang = s.lang;
    let view = match web.commands.event_view(&id, Some(&s.actor())) {
        Ok(v) => v,
        Err(commands::CmdError::NotFound { .. }) => {
            return super::public::not_found(State(web), headers).await
        }
        Err(e) => return internal(e),
    };
    let mut body = event_body(&web, &view, lang);
    let e = &view.event;
    if view.manage {
        let csrf = csrf_field(&s);
        let eid = url_part(&e.id);
        for call in &view.calls {
            let _ = write!(
                body,
                "<div class=\"card\" id=\"call-{}\"><h2>{} {}</h2><form method=\"post\" action=\"/dashboard/calls/{}/attended\">{csrf}<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                esc(&call.id),
                t!(lang, "Volunteer call", "志愿者招募", "Chamada de voluntários"),
                esc(&call.id),
                url_part(&call.id),
                t!(lang, "Role", "岗位", "Função"),
                t!(lang, "Member", "成员", "Membro"),
                t!(lang, "List", "名单", "Lista"),
                t!(lang, "Present", "到场", "Presente"),
            );
            for (signup, waiting) in call
                .signups
                .iter()
                .map(|x| (x, false))
                .chain(call.waitlist.iter().map(|x| (x, true)))
            {
                let present = call
                    .attended
                    .iter()
                    .any(|(p, u)| *p == signup.platform && *u == signup.user);
                let list = if waiting {
                    t!(lang, "waitlist", "候补", "espera")
                } else {
                    t!(lang, "signed up", "已报名", "inscrito")
                };
                let mark = if waiting {
                    String::new()
                } else if present {
                    "✔".to_string()
                } else {
                    format!(
                        "<input type=\"checkbox\" name=\"present\" value=\"{}\" id=\"present-{}\">",
                        esc(&signup.user),
                        esc(&signup.user)
                    )
                };
                let _ = write!(
                    body,
                    "<tr><td>{}</td><td>@{} <span class=\"muted\">({})</span></td><td>{list}</td><td>{mark}</td></tr>",
                    esc(&signup.role),
                    esc(&signup.name),
                    esc(&signup.user),
                );
            }
            for slot in &call.slots {
                let taken = call.signups.iter().filter(|x| x.role == slot.role).count();
                let _ = write!(
                    body,
                    "<tr class=\"muted\"><td>{}</td><td colspan=\"3\">{taken}/{}</td></tr>",
                    esc(&slot.role),
                    slot.places
                );
            }
            let _ = write!(
                body,
                "</table><button id=\"mark-{}\">{}</button></form></div>",
                esc(&call.id),
                t!(
                    lang,
                    "Mark the checked volunteers present",
                    "登记勾选的志愿者到场",
                    "Marcar os voluntários selecionados como presentes"
                )
            );
        }
        if !view.calls.is_empty() {
            let _ = write!(
                body,
                "<p><a href=\"/dashboard/events/{eid}/roster.csv\">⬇ {}</a></p>",
                t!(lang, "Roster as CSV", "名单 CSV", "Lista em CSV")
            );
        }
        if !e.cancelled && !e.started(web.commands.now_secs()) {
            let value = |v: &Option<String>| esc(v.as_deref().unwrap_or(""));
            let _ = write!(
                body,
                "<div class=\"card\"><h2>{}</h2><form method=\"post\" action=\"/dashboard/events/{eid}/edit\">{csrf}\
<label for=\"title\">{}</label><input type=\"text\" id=\"title\" name=\"title\" value=\"{}\">\
<label for=\"start\">{}</label><input type=\"text\" id=\"start\" name=\"start\" value=\"{}\">\
<label for=\"end\">{}</label><input type=\"text\" id=\"end\" name=\"end\" value=\"{}\">\
<label for=\"place\">{}</label><input type=\"text\" id=\"place\" name=\"place\" value=\"{}\">\
<label for=\"description\">{}</label><textarea id=\"description\" name=\"description\" rows=\"4\">{}</textarea>\
<p><button>{}</button></p></form>\
<form method=\"post\" action=\"/dashboard/events/{eid}/cancel\">{csrf}<button class=\"secondary\">{}</button></form></div>",
                t!(lang, "Change the event", "修改活动", "Alterar o evento"),
                t!(lang, "Title", "标题", "Título"),
                esc(&e.title),
                t!(lang, "Start", "开始时间", "Início"),
                esc(&local_time(&web, e.start)),
                t!(lang, "End", "结束时间", "Fim"),
                esc(&e.end.map(|x| local_time(&web, x)).unwrap_or_default()),
                t!(lang, "Place or link", "地点或链接", "Local ou link"),
                value(&e.place),
                t!(lang, "Description", "描述", "Descrição"),
                value(&e.description),
                t!(lang, "Save", "保存", "Salvar"),
                t!(lang, "Cancel the event", "取消活动", "Cancelar o evento"),
            );
        }
    }
    frame(&web, &s, "/dashboard/events", &e.title, &body)
}

async fn roster_csv(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    let view = match web.commands.event_view(&id, Some(&s.actor())) {
        Ok(v) => v,
        Err(_) => return super::public::not_found(State(web), headers).await,
    };
    // Who may see a roster is the `volunteer roster` command's to say.
    for call in &view.calls {
        if let Err(r) = shown(
            &web,
            &s,
            Command::VolunteerRoster {
                call: call.id.clone(),
            },
        )
        .await
        {
            return r;
        }
    }
    let cell = |v: &str| {
        // Quoted, and never read as a formula by a spreadsheet.
        let v = if v.starts_with(['=', '+', '-', '@']) {
            format!("'{v}")
        } else {
            v.to_string()
        };
        format!("\"{}\"", v.replace('"', "\"\""))
    };
    let mut out = String::from("call,role,list,platform,user,name,signed_up_at,present\r\n");
    for call in &view.calls {
        for (signup, list) in call
            .signups
            .iter()
            .map(|x| (x, "signed_up"))
            .chain(call.waitlist.iter().map(|x| (x, "waitlist")))
        {
            let present = call
                .attended
                .iter()
                .any(|(p, u)| *p == signup.platform && *u == signup.user);
            let at = jiff::Timestamp::from_second(signup.at)
                .map(|t| t.to_string())
                .unwrap_or_default();
            let _ = write!(
                out,
                "{},{},{list},{},{},{},{at},{present}\r\n",
                cell(&call.id),
                cell(&signup.role),
                signup.platform.name(),
                cell(&signup.user),
                cell(&signup.name),
            );
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"roster-{}.csv\"", view.event.id),
            ),
        ],
        out,
    )
        .into_response()
}

async fn edit(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    let back = format!("/dashboard/events/{}", url_part(&id));
    let Ok(view) = web.commands.event_view(&id, Some(&s.actor())) else {
        // The command says what is wrong with the id.
        let fields = EventFields {
            title: field(&form, "title").map(str::to_string),
            ..EventFields::default()
        };
        return run(&web, &s, Command::EventEdit { id, fields }, &back).await;
    };
    let e = &view.event;
    // Only what changed goes to `event edit`: the form shows every field.
    let changed = |name: &str, now: String| {
        field(&form, name)
            .map(|v| v.replace("\r\n", "\n"))
            .filter(|v| v.trim() != now.trim())
    };
    let fields = EventFields {
        title: changed("title", e.title.clone()),
        start: changed("start", local_time(&web, e.start)),
        end: changed(
            "end",
            e.end.map(|x| local_time(&web, x)).unwrap_or_default(),
        ),
        place: changed("place", e.place.clone().unwrap_or_default()),
        description: changed("description", e.description.clone().unwrap_or_default()),
        role: None,
        // Capacity, cutoff and repeat rules are changed by command, not on the dashboard.
        capacity: None,
        cutoff: None,
        repeat: None,
    };
    if fields.is_empty() {
        let lang = s.lang;
        let body = format!(
            "<p class=\"reply\">{}</p><p><a href=\"{}\">← {}</a></p>",
            t!(
                lang,
                "Nothing was changed: the form holds what the event already says.",
                "没有改动：表单内容与活动现有信息相同。",
                "Nada foi alterado: o formulário tem o que o evento já diz."
            ),
            esc(&back),
            t!(lang, "Back", "返回", "Voltar")
        );
        return frame(&web, &s, "", t!(lang, "Done", "完成", "Feito"), &body);
    }
    run(&web, &s, Command::EventEdit { id, fields }, &back).await
}

async fn cancel(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    let back = format!("/dashboard/events/{}", url_part(&id));
    run(&web, &s, Command::EventCancel { id }, &back).await
}

async fn attended(
    State(web): State<Arc<Web>>,
    Path(call): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    let users: Result<Vec<UserRef>, _> = form
        .iter()
        .filter(|(k, _)| k == "present")
        .map(|(_, v)| UserRef::parse(&format!("@{v}")))
        .collect();
    let back = "/dashboard/events";
    let users = match users {
        Ok(u) if !u.is_empty() => u,
        Ok(_) => {
            let lang = s.lang;
            let body = format!(
                "<p class=\"reply refused\">{}</p><p><a href=\"{back}\">← {}</a></p>",
                t!(
                    lang,
                    "No volunteer was checked, so nothing was changed.",
                    "没有勾选任何志愿者，所以没有改动。",
                    "Nenhum voluntário foi marcado, então nada foi alterado."
                ),
                t!(lang, "Back", "返回", "Voltar")
            );
            let mut r = frame(
                &web,
                &s,
                "",
                t!(lang, "Not done", "未完成", "Não feito"),
                &body,
            );
            *r.status_mut() = StatusCode::BAD_REQUEST;
            return r;
        }
        Err(e) => {
            // An id that is no member id: the command's own message says so.
            let reply = Reply::private(s.lang, e.message(s.lang));
            let body = html::reply(&Reply { ok: false, ..reply }, &|_| None);
            let mut r = frame(
                &web,
                &s,
                "",
                t!(s.lang, "Not done", "未完成", "Não feito"),
                &body,
            );
            *r.status_mut() = StatusCode::BAD_REQUEST;
            return r;
        }
    };
    run(&web, &s, Command::VolunteerAttended { call, users }, back).await
}

// --- Badges and the audit log ------------------------------------------------------------

async fn badges(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "badge grant") {
        return denied(&web, &s, "badge grant");
    }
    let lang = s.lang;
    let csrf = csrf_field(&s);
    let options: String = commands::badges::CATALOG
        .iter()
        .map(|b| format!("<option value=\"{}\">{}</option>", b.id, esc(b.name(lang))))
        .collect();
    let categories: String = std::iter::once("<option value=\"\">—</option>".to_string())
        .chain(
            commands::badges::HERO_CATEGORIES
                .iter()
                .map(|c| format!("<option value=\"{}\">{}</option>", c.id, esc(c.name(lang)))),
        )
        .collect();
    let member = t!(lang, "Member id", "成员编号", "Id do membro");
    let badge = t!(lang, "Badge", "徽章", "Selo");
    let body = format!(
        "<div class=\"card\"><h2>{}</h2><form method=\"post\" action=\"/dashboard/badges/grant\">{csrf}\
<label for=\"g-member\">{member}</label><input type=\"text\" id=\"g-member\" name=\"member\">\
<label for=\"g-badge\">{badge}</label><select id=\"g-badge\" name=\"badge\">{options}</select>\
<label for=\"g-category\">{}</label><select id=\"g-category\" name=\"category\">{categories}</select>\
<label for=\"g-note\">{}</label><input type=\"text\" id=\"g-note\" name=\"note\"><p><button>{}</button></p></form></div>\
<div class=\"card\"><h2>{}</h2><form method=\"post\" action=\"/dashboard/badges/revoke\">{csrf}\
<label for=\"r-member\">{member}</label><input type=\"text\" id=\"r-member\" name=\"member\">\
<label for=\"r-badge\">{badge}</label><select id=\"r-badge\" name=\"badge\">{options}</select><p><button>{}</button></p></form></div>\
<p><a href=\"/dashboard/audit\">{}</a></p>",
        t!(lang, "Grant a badge", "授予徽章", "Conceder um selo"),
        t!(lang, "Hero category", "Hero 类别", "Categoria de Hero"),
        t!(lang, "Note for the audit log", "审计日志备注", "Nota para a auditoria"),
        t!(lang, "Grant", "授予", "Conceder"),
        t!(lang, "Take a badge back", "收回徽章", "Revogar um selo"),
        t!(lang, "Revoke", "收回", "Revogar"),
        t!(lang, "The audit log", "审计日志", "A auditoria"),
    );
    frame(
        &web,
        &s,
        "/dashboard/badges",
        t!(lang, "Badges", "徽章", "Selos"),
        &body,
    )
}

fn member_field(form: &[(String, String)]) -> Result<UserRef, commands::CmdError> {
    let given = field(form, "member").unwrap_or("").trim();
    UserRef::parse(&format!("@{}", given.trim_start_matches('@')))
}

async fn grant(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    let command = match member_field(&form) {
        Ok(user) => Command::BadgeGrant {
            user,
            badge: field(&form, "badge").unwrap_or("").to_string(),
            category: field(&form, "category")
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            note: field(&form, "note")
                .filter(|n| !n.trim().is_empty())
                .map(str::to_string),
        },
        // The command refuses the member id with its own message.
        Err(_) => Command::BadgeGrant {
            user: UserRef(field(&form, "member").unwrap_or("").to_string()),
            badge: String::new(),
            category: None,
            note: None,
        },
    };
    run(&web, &s, command, "/dashboard/badges").await
}

async fn revoke(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    let user = member_field(&form)
        .unwrap_or_else(|_| UserRef(field(&form, "member").unwrap_or("").to_string()));
    let command = Command::BadgeRevoke {
        user,
        badge: field(&form, "badge").unwrap_or("").to_string(),
        category: field(&form, "category")
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    };
    run(&web, &s, command, "/dashboard/badges").await
}

async fn audit(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    let body = match shown(
        &web,
        &s,
        Command::Audit {
            user: None,
            limit: commands::badges::MAX_AUDIT,
        },
    )
    .await
    {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    frame(
        &web,
        &s,
        "/dashboard/audit",
        t!(s.lang, "Audit log", "审计日志", "Auditoria"),
        &body,
    )
}

// --- Knowledge -------------------------------------------------------------------------

async fn gaps(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "kb gaps") {
        return denied(&web, &s, "kb gaps");
    }
    let lang = s.lang;
    let gaps = match web.commands.gaps(300) {
        Ok(g) => g,
        Err(e) => return internal(e),
    };
    let mut body = String::new();
    if gaps.is_empty() {
        let _ = write!(
            body,
            "<p>{}</p>",
            t!(
                lang,
                "No gaps: every question so far was answered, and no answer was voted down.",
                "没有缺口：目前所有问题都答出了，也没有回答被投反对票。",
                "Nenhuma lacuna: todas as perguntas até agora tiveram resposta, e nenhuma resposta recebeu voto negativo."
            )
        );
    }
    for l in Lang::ALL {
        let rows: Vec<_> = gaps
            .iter()
            .filter(|g| g.lang == l.code())
            .take(50)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            body,
            "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>👎</th><th>{}</th><th></th></tr>",
            esc(l.name_in(lang)),
            t!(lang, "Question", "问题", "Pergunta"),
            t!(lang, "Declined", "未回答", "Sem resposta"),
            t!(lang, "Last asked", "最近提问", "Última vez"),
        );
        for g in rows {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/dashboard/kb/search?q={}\">{}</a></td></tr>",
                esc(&g.text),
                g.declined,
                g.unhelpful,
                esc(&web.commands.show_moment(g.last, lang)),
                url_part(&g.text),
                t!(lang, "kb search", "知识库检索", "buscar na base"),
            );
        }
        body.push_str("</table>");
    }
    frame(
        &web,
        &s,
        "/dashboard/gaps",
        t!(lang, "Knowledge gaps", "知识缺口", "Lacunas"),
        &body,
    )
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    lang: Option<String>,
}

async fn kb_search(
    State(web): State<Arc<Web>>,
    Query(q): Query<SearchQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "kb gaps") {
        return denied(&web, &s, "kb gaps");
    }
    let lang = s.lang;
    let question: String =
        q.q.unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(commands::MAX_INPUT_CHARS)
            .collect();
    let mut body = format!(
        "<form method=\"get\"><input type=\"text\" name=\"q\" value=\"{}\"><p><button>{}</button></p></form>",
        esc(&question),
        t!(lang, "Search", "检索", "Buscar")
    );
    if !question.trim().is_empty() {
        let commands = Arc::clone(&web.commands);
        let asked = question.clone();
        let found = tokio::task::spawn_blocking(move || {
            let kb = commands.knowledge();
            (kb.explain(&asked).understanding, kb.search(&asked, 8))
        })
        .await;
        match found {
            Ok((understanding, Ok(results))) => {
                let _ = write!(body, "<pre>{}</pre>", esc(&understanding.to_string()));
                let _ = write!(
                    body,
                    "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                    t!(lang, "Answers", "可作答", "Responde"),
                    t!(lang, "Covers", "覆盖", "Cobre"),
                    t!(lang, "Section", "章节", "Seção"),
                    t!(lang, "Document", "文档", "Documento"),
                );
                for r in results {
                    let _ = write!(
                        body,
                        "<tr><td>{}</td><td>{:.2}</td><td>[{}] {}</td><td>{}</td></tr>",
                        if r.answers { "✔" } else { "" },
                        r.coverage,
                        r.section.lang.code(),
                        esc(&r.section.heading()),
                        esc(&r.section.doc),
                    );
                }
                body.push_str("</table>");
            }
            Ok((_, Err(e))) => {
                let _ = write!(
                    body,
                    "<p class=\"reply refused\">{}</p>",
                    esc(&e.to_string())
                );
            }
            Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "search failed").into_response(),
        }
    }
    frame(
        &web,
        &s,
        "/dashboard/gaps",
        t!(lang, "kb search", "知识库检索", "Busca na base"),
        &body,
    )
}

async fn kb(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "kb reload") {
        return denied(&web, &s, "kb reload");
    }
    let lang = s.lang;
    let mut body = match shown(&web, &s, Command::KbStats).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(i) = web.commands.last_import() {
        let _ = write!(
            body,
            "<div class=\"card\"><h2>{}</h2><p>{} — {}</p>",
            t!(lang, "Last import", "最近一次导入", "Última importação"),
            esc(&web.commands.show_moment(i.at, lang)),
            if i.ok {
                t!(lang, "ok", "成功", "ok")
            } else {
                t!(lang, "failed", "失败", "falhou")
            }
        );
        if let Some(e) = &i.error {
            let _ = write!(body, "<p class=\"reply refused\">{}</p>", esc(e));
        }
        if !i.notes.is_empty() {
            let _ = write!(
                body,
                "<h3>{}</h3><ul>",
                t!(
                    lang,
                    "Problems found",
                    "发现的问题",
                    "Problemas encontrados"
                )
            );
            for n in &i.notes {
                let _ = write!(body, "<li>{}</li>", esc(n));
            }
            body.push_str("</ul>");
        }
        body.push_str("</div>");
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/dashboard/kb/reload\">{}<button>{}</button></form>",
        csrf_field(&s),
        t!(
            lang,
            "Reload the documents now",
            "立即重新加载文档",
            "Recarregar os documentos agora"
        )
    );
    frame(
        &web,
        &s,
        "/dashboard/kb",
        t!(lang, "Knowledge base", "知识库", "Base de conhecimento"),
        &body,
    )
}

async fn kb_reload(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    run(&web, &s, Command::KbReload, "/dashboard/kb").await
}

// --- The member's own page ---------------------------------------------------------------

async fn me(
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
