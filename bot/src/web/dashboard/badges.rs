//! Badges (grant, revoke) and the audit log.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use commands::text::UserRef;
use commands::Command;

use super::{csrf_field, csrf_ok, denied, field, forged, frame, run, shown, signed};
use crate::web::html::{esc, t};
use crate::web::public::LangQuery;
use crate::web::Web;

pub(super) async fn badges(
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

pub(super) async fn grant(
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

pub(super) async fn revoke(
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

pub(super) async fn audit(
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
