//! The routes through the app [`super::app`] builds, without a socket: the public feeds and
//! pages, `/health` and `/metrics`, and the dashboard's sign-in, sessions, CSRF checks and
//! permissions.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use commands::{Access, Actor, Commands, Input, ManualClock, Platform};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use knowledge::{KnowledgeBase, MemStore, Settings};
use tower::ServiceExt;

use super::{app, Web};

mod talks;

const BASE: &str = "http://bot.test";

struct Site {
    web: Arc<Web>,
    clock: Arc<ManualClock>,
}

fn site() -> Site {
    let db = sled::Config::new().temporary(true).open().unwrap();
    let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
    let mut config = commands::Config {
        public_url: Some(BASE.into()),
        ..commands::Config::default()
    };
    config.access = BTreeMap::from([(
        Platform::Terminal,
        Access {
            admins: vec!["ada".into()],
            organizers: vec!["olga".into()],
            ..Access::default()
        },
    )]);
    let clock = Arc::new(ManualClock::new("2030-12-05T12:00:00Z".parse().unwrap()));
    let commands = Commands::open(&db, Arc::new(kb), config)
        .unwrap()
        .with_clock(Arc::clone(&clock) as Arc<dyn commands::Clock>)
        .with_observer(Arc::new(super::metrics::Observer));
    Site {
        web: Web::new(Arc::new(commands), BASE, None),
        clock,
    }
}

fn who(name: &str) -> Actor {
    Actor::new(Platform::Terminal, name, name)
}

impl Site {
    /// Runs a typed line as `user`; returns the main reply's text, panicking on a refusal.
    fn say(&self, user: &str, line: &str) -> String {
        let r = self
            .web
            .commands
            .handle(&who(user), Input::Text(line.into()));
        let main = r.main();
        assert!(main.ok, "{line}: {}", main.text);
        r.replies
            .iter()
            .map(|r| r.text.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// An event e1 with a call v1 (host:1), mia signed up.
    fn event(&self) {
        self.say(
            "olga",
            "/announce title: Web night start: 2030-12-05 19:00 end: 21:00 place: Rua A, 10",
        );
        self.say("olga", "/volunteer call e1 host:1 onsite:2");
        let r = self
            .web
            .commands
            .handle(&who("mia"), Input::Press("vol:signup:v1:host".into()));
        assert!(r.main().ok, "{}", r.main().text);
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
        let mut request = request;
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = app(Arc::clone(&self.web)).oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> (StatusCode, http::HeaderMap, String) {
        let mut r = Request::get(path);
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    async fn post(
        &self,
        path: &str,
        cookie: &str,
        form: &str,
    ) -> (StatusCode, http::HeaderMap, String) {
        let r = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .unwrap();
        self.send(r).await
    }

    /// Signs `user` in through a fresh link; returns the session cookie and the page's CSRF
    /// token.
    async fn sign_in(&self, user: &str) -> (String, String, String) {
        let text = self.say(user, "dashboard");
        let link = link_in(&text, "/dashboard/signin/");
        let path = link.trim_start_matches(BASE).to_string();
        let (status, headers, page) = self.get(&path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let check = cookie_of(&headers, "bot_signin");
        let csrf = value_after(&page, "name=\"csrf\" value=\"");
        let (status, headers, _) = self
            .post(
                &path,
                &format!("bot_signin={check}"),
                &format!("csrf={csrf}"),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let set = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("bot_session="))
            .expect("a session cookie");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        let session = format!("bot_session={}", cookie_of(&headers, "bot_session"));
        let (_, _, overview) = self.get("/dashboard", Some(&session)).await;
        let csrf = value_after(&overview, "name=\"csrf\" value=\"");
        (session, csrf, path)
    }
}

fn link_in(text: &str, marker: &str) -> String {
    let start = text.find("http://").expect("a link");
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(link.contains(marker), "{link}");
    link
}

fn cookie_of(headers: &http::HeaderMap, name: &str) -> String {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .expect("the cookie")
        .to_string()
}

fn value_after(page: &str, marker: &str) -> String {
    let at = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"))
        + marker.len();
    page[at..].chars().take_while(|c| *c != '"').collect()
}

fn calendar(text: &str) -> icalendar::Calendar {
    text.parse::<icalendar::Calendar>()
        .unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The value of `name` in the calendar's only event.
fn property(cal: &icalendar::Calendar, name: &str) -> Option<String> {
    use icalendar::Component;
    let event = cal.components.iter().find_map(|c| match c {
        icalendar::CalendarComponent::Event(e) => Some(e),
        _ => None,
    })?;
    event.property_value(name).map(str::to_string)
}

#[tokio::test]
async fn the_public_calendar_has_every_required_property_and_keeps_its_uids() {
    let s = site();
    s.event();
    let (status, headers, body) = s.get("/calendar.ics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let cal = calendar(&body);
    for name in [
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "LOCATION",
        "STATUS",
        "URL",
        "ORGANIZER",
    ] {
        assert!(property(&cal, name).is_some(), "{name} in {body}");
    }
    assert_eq!(property(&cal, "SUMMARY").unwrap(), "Web night");
    assert_eq!(property(&cal, "STATUS").unwrap(), "CONFIRMED");
    assert_eq!(property(&cal, "URL").unwrap(), format!("{BASE}/events/e1"));
    let uid = property(&cal, "UID").unwrap();

    // Edited and then cancelled in chat: the same UID, the new title, then CANCELLED.
    s.say("olga", "/event edit e1 title: Web night, moved");
    let cal = calendar(&s.get("/calendar.ics", None).await.2);
    assert_eq!(property(&cal, "UID").unwrap(), uid);
    assert_eq!(property(&cal, "SUMMARY").unwrap(), "Web night, moved");
    s.say("olga", "/event cancel e1");
    let cal = calendar(&s.get("/events/e1.ics", None).await.2);
    assert_eq!(property(&cal, "UID").unwrap(), uid);
    assert_eq!(property(&cal, "STATUS").unwrap(), "CANCELLED");
}

#[tokio::test]
async fn an_event_page_speaks_the_visitors_language_and_lists_open_roles() {
    let s = site();
    s.event();
    let r = Request::get("/events/e1")
        .header(header::ACCEPT_LANGUAGE, "de-DE, pt-BR;q=0.8, en;q=0.5")
        .body(Body::empty())
        .unwrap();
    let (status, _, page) = s.send(r).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Adicionar à agenda"), "{page}");
    assert!(page.contains("href=\"/events/e1.ics\""), "{page}");
    // host is taken by mia; onsite has two places left.
    assert!(page.contains("<td>onsite</td><td>2</td>"), "{page}");
    assert!(!page.contains("<td>host</td>"), "{page}");
    let (status, _, _) = s.get("/events/e9", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_personal_feed_has_the_members_shifts_and_reset_revokes_it() {
    let s = site();
    s.event();
    let text = s.say("mia", "calendar me");
    let link = link_in(&text, "/me/");
    let path = link.trim_start_matches(BASE).to_string();
    let (status, _, body) = s.get(&path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        property(&calendar(&body), "SUMMARY").unwrap(),
        "Web night (host)"
    );
    // Asked again, the bot cannot show it (it keeps a hash), and says how to replace it.
    assert!(s.say("mia", "calendar me").contains("calendar reset"));
    let text = s.say("mia", "calendar reset");
    let new = link_in(&text, "/me/");
    assert_ne!(new, link);
    assert_eq!(s.get(&path, None).await.0, StatusCode::NOT_FOUND);
    let new_path = new.trim_start_matches(BASE).to_string();
    assert_eq!(s.get(&new_path, None).await.0, StatusCode::OK);
    // A token one character off finds nothing.
    let mut wrong = new_path.clone();
    let last = wrong.len() - ".ics".len() - 1;
    let flipped = if &wrong[last..=last] == "0" { "1" } else { "0" };
    wrong.replace_range(last..=last, flipped);
    assert_eq!(s.get(&wrong, None).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_and_metrics_report_what_the_operator_watches() {
    let s = site();
    s.say("olga", "help");
    let (status, _, body) = s.get("/health", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["ok"], true);
    assert_eq!(health["store"]["ok"], true);
    let (status, headers, body) = s.get("/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("openmetrics"));
    for family in [
        "bot_commands_total",
        "bot_answer_latency_seconds",
        "bot_outbound{platform=\"slack\",kind=\"replies_lost\"}",
        "# EOF",
    ] {
        assert!(body.contains(family), "{family} in {body}");
    }
}

#[tokio::test]
async fn every_dashboard_page_without_a_session_redirects_to_sign_in() {
    let s = site();
    s.event();
    for path in [
        "/dashboard",
        "/dashboard/events",
        "/dashboard/events/e1",
        "/dashboard/events/e1/roster.csv",
        "/dashboard/badges",
        "/dashboard/audit",
        "/dashboard/gaps",
        "/dashboard/kb",
        "/dashboard/kb/search?q=x",
        "/dashboard/me",
    ] {
        for cookie in [None, Some("bot_session=00ff")] {
            let (status, headers, _) = s.get(path, cookie).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(headers[header::LOCATION], "/dashboard/signin", "{path}");
        }
    }
    for path in [
        "/dashboard/events/e1/edit",
        "/dashboard/events/e1/cancel",
        "/dashboard/calls/v1/attended",
        "/dashboard/badges/grant",
        "/dashboard/kb/reload",
    ] {
        let (status, _, _) = s.post(path, "", "csrf=x").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
    }
}

#[tokio::test]
async fn a_sign_in_link_works_once_and_not_after_ten_minutes() {
    let s = site();
    let (session, _, path) = s.sign_in("olga").await;
    let (status, _, page) = s.get("/dashboard", Some(&session)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Welcome, @olga"), "{page}");
    // The same link again: refused, and it says why.
    let (status, _, page) = s.get(&path, None).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("used already"), "{page}");
    // A link left for eleven minutes.
    let text = s.say("olga", "dashboard");
    let late = link_in(&text, "/dashboard/signin/");
    s.clock.advance(Duration::from_secs(11 * 60));
    let (status, _, page) = s.get(late.trim_start_matches(BASE), None).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("expired"), "{page}");
}

#[tokio::test]
async fn forms_without_their_csrf_token_change_nothing() {
    let s = site();
    s.event();
    let (session, csrf, _) = s.sign_in("olga").await;
    for form in [
        "title=Hijacked",
        "title=Hijacked&csrf=0123",
        "csrf=&title=Hijacked",
    ] {
        let (status, _, page) = s.post("/dashboard/events/e1/edit", &session, form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{form}");
        assert!(page.contains("nothing was changed"), "{page}");
    }
    assert!(!s.get("/events/e1", None).await.2.contains("Hijacked"));
    // With the token, the same form goes through `event edit`.
    let (status, _, page) = s
        .post(
            "/dashboard/events/e1/edit",
            &session,
            &format!("csrf={csrf}&title=Web+night+II"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(s.get("/events/e1", None).await.2.contains("Web night II"));
}

#[tokio::test]
async fn an_organizer_marks_attendance_and_a_member_cannot_see_the_audit_log() {
    let s = site();
    s.event();
    let (session, csrf, _) = s.sign_in("olga").await;
    let (status, _, page) = s.get("/dashboard/events/e1", Some(&session)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"present-mia\""), "{page}");
    // The event has started (19:00 in São Paulo); the session, ten hours old, still lasts.
    s.clock.set("2030-12-05T22:30:00Z".parse().unwrap());
    let (status, _, page) = s
        .post(
            "/dashboard/calls/v1/attended",
            &session,
            &format!("csrf={csrf}&present=mia"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Marked 1 volunteer(s) as present"), "{page}");
    let (_, headers, csv) = s
        .get("/dashboard/events/e1/roster.csv", Some(&session))
        .await;
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(
        csv.contains("\"v1\",\"host\",signed_up,terminal,\"mia\""),
        "{csv}"
    );
    assert!(csv.trim_end().ends_with("true"), "{csv}");

    let (member, _, _) = s.sign_in("mia").await;
    let (status, _, page) = s.get("/dashboard/audit", Some(&member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(!page.contains("href=\"/dashboard/audit\""), "{page}");
    let (status, _, _) = s.get("/dashboard/audit", Some(&session)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "organizers are not admins");
    let (admin, _, _) = s.sign_in("ada").await;
    let (status, _, page) = s.get("/dashboard/audit", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited() {
    let s = site();
    let bogus = format!(
        "/dashboard/signin/{}",
        "0".repeat(commands::links::TOKEN_CHARS)
    );
    let mut statuses = Vec::new();
    for _ in 0..15 {
        statuses.push(s.get(&bogus, None).await.0);
    }
    assert_eq!(statuses[0], StatusCode::FORBIDDEN);
    assert_eq!(
        statuses.last().copied(),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
}
