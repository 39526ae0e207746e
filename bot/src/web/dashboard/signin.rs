//! Signing in: the help page, the one-time link's page and form, and signing out.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use commands::links::same;
use knowledge::Lang;
use serde::Deserialize;

use super::{csrf_ok, forged, plain_page, signed, SESSION_COOKIE, SIGN_IN_COOKIE};
use crate::web::html::{esc, t, url_part};
use crate::web::public::{cookie, visitor_lang, LangQuery};
use crate::web::Web;

pub(super) async fn sign_in_help(
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
pub(super) async fn sign_in_page(
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
pub(super) struct CsrfOnly {
    csrf: Option<String>,
}

pub(super) async fn sign_in(
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

pub(super) async fn sign_out(
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
