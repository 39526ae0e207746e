//! Events with rosters and waitlists: the list, one event (edit, cancel, mark
//! attendance), and its roster as CSV.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use commands::events::{Event, EventFields};
use commands::text::UserRef;
use commands::volunteers::Call;
use commands::{Command, Reply};
use knowledge::Lang;

use super::{csrf_field, csrf_ok, field, forged, frame, internal, run, shown, signed};
use crate::web::html::{self, esc, t, url_part};
use crate::web::public::{event_body, LangQuery};
use crate::web::Web;

pub(super) async fn events(
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

pub(super) async fn event(
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
            return crate::web::public::not_found(State(web), headers).await
        }
        Err(e) => return internal(e),
    };
    let mut body = event_body(&web, &view, lang);
    let e = &view.event;
    if view.manage {
        let csrf = csrf_field(&s);
        let eid = url_part(&e.id);
        for call in &view.calls {
            call_card(&mut body, lang, &csrf, call);
        }
        if !view.calls.is_empty() {
            let _ = write!(
                body,
                "<p><a href=\"/dashboard/events/{eid}/roster.csv\">⬇ {}</a></p>",
                t!(lang, "Roster as CSV", "名单 CSV", "Lista em CSV")
            );
        }
        if !e.cancelled && !e.started(web.commands.now_secs()) {
            edit_form(&mut body, &web, lang, &csrf, &eid, e);
        }
    }
    frame(&web, &s, "/dashboard/events", &e.title, &body)
}

/// One volunteer call's card: its signups and waitlist with the attendance checkboxes,
/// and its slots.
fn call_card(body: &mut String, lang: Lang, csrf: &str, call: &Call) {
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

/// The form that changes the event, and the one that cancels it.
fn edit_form(body: &mut String, web: &Web, lang: Lang, csrf: &str, eid: &str, e: &Event) {
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
        esc(&local_time(web, e.start)),
        t!(lang, "End", "结束时间", "Fim"),
        esc(&e.end.map(|x| local_time(web, x)).unwrap_or_default()),
        t!(lang, "Place or link", "地点或链接", "Local ou link"),
        value(&e.place),
        t!(lang, "Description", "描述", "Descrição"),
        value(&e.description),
        t!(lang, "Save", "保存", "Salvar"),
        t!(lang, "Cancel the event", "取消活动", "Cancelar o evento"),
    );
}

pub(super) async fn roster_csv(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    let view = match web.commands.event_view(&id, Some(&s.actor())) {
        Ok(v) => v,
        Err(_) => return crate::web::public::not_found(State(web), headers).await,
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

pub(super) async fn edit(
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

pub(super) async fn cancel(
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

pub(super) async fn attended(
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
