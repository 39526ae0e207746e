//! Hardening (issue 12), against the local emulators: requests delivered twice act once,
//! a burst of answers under a low descriptor limit all arrive over a few sockets, nothing a
//! member types pings anyone, a rejected body is logged as a prefix, and long rosters reach
//! the organizer whole.

use std::process::Child;
use std::time::Duration;

use serde_json::{json, Value};
use tests::discord::{self as dc, DiscordEmulator};
use tests::slack::{self, Msg, Press, SlackEmulator, Slash};

const ADMIN: &str = "UADMIN";
const ORGANIZER: &str = "UORG";
const MEMBER: &str = "UMEMBER";
const ANNOUNCEMENTS: &str = "CANNOUNCE";
const GENERAL: &str = "CGENERAL";
const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const FORM: &str = "application/x-www-form-urlencoded";
const WAIT: Duration = Duration::from_secs(15);

const D_ADMIN: u64 = 500;
const D_ORGANIZER: u64 = 501;
const D_MEMBER: u64 = 502;

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn slack_config(e: &SlackEmulator, extra: &str) -> String {
    format!(
        r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.terminal]
admins = ["ada"]
organizers = ["olga"]

[permissions.slack]
admins = ["{ADMIN}"]
organizers = ["{ORGANIZER}"]

[slack]
api_base_url = "{}"
announcements_channel = "{ANNOUNCEMENTS}"
socket_connections = 1
questions_per_minute = 100000
{extra}
"#,
        e.api_url()
    )
}

fn discord_config(e: &DiscordEmulator, announcements: u64) -> String {
    format!(
        r#"
[permissions.discord]
admins = ["{D_ADMIN}"]
organizers = ["{D_ORGANIZER}"]

[discord]
api_base_url = "{}"
gateway_url = "{}"
announcements_channel = "{announcements}"
questions_per_minute = 100000
"#,
        e.base_url(),
        e.gateway_url()
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Everything a member reads in a Slack message (fallback text and block texts).
fn shown(body: &Value) -> String {
    let mut out = vec![body["text"].as_str().unwrap_or("").to_string()];
    for block in body["blocks"].as_array().into_iter().flatten() {
        if let Some(t) = block["text"]["text"].as_str() {
            out.push(t.to_string());
        }
        for f in block["fields"].as_array().into_iter().flatten() {
            out.push(f["text"].as_str().unwrap_or("").to_string());
        }
        for e in block["elements"].as_array().into_iter().flatten() {
            out.push(
                e["text"]
                    .as_str()
                    .or(e["text"]["text"].as_str())
                    .unwrap_or("")
                    .to_string(),
            );
        }
    }
    out.join("\n")
}

/// The bot serving Slack's signed HTTP endpoints (and nothing else).
struct SlackHttp {
    emulator: SlackEmulator,
    base: String,
    log: tests::Log,
    _child: Killed,
    _bot: tests::Bot,
}

impl SlackHttp {
    fn start() -> SlackHttp {
        let emulator = SlackEmulator::start();
        let port = free_port();
        // The Slack endpoints are served by the web server, on a port known in advance.
        let bot = crate::bot().listening_on(format!("127.0.0.1:{port}"));
        bot.config(&slack_config(&emulator, ""));
        let (child, log) = bot.serve_logged(
            &[
                ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
                ("SLACK_SIGNING_SECRET", SECRET),
            ],
            None,
        );
        let child = Killed(child);
        let up = dc::poll_until(Duration::from_secs(30), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        assert!(up, "the HTTP listener never came up");
        SlackHttp {
            emulator,
            base: format!("http://127.0.0.1:{port}"),
            log,
            _child: child,
            _bot: bot,
        }
    }

    /// POSTs `body` signed now; the signed request, to send again as it is.
    fn signed(&self, path: &str, content_type: &str, body: &str) -> Signed {
        let ts = slack::now_unix();
        Signed {
            url: format!("{}{path}", self.base),
            content_type: content_type.to_string(),
            body: body.to_string(),
            ts,
            signature: slack::sign(SECRET, ts, body),
        }
    }

    fn slash(&self, command: &str, text: &str, user: &str) -> Signed {
        let form = slack::slash_form(
            &Slash {
                command: command.into(),
                text: text.into(),
                user: user.into(),
                user_name: user.to_lowercase(),
                channel: GENERAL.into(),
                channel_name: "general".into(),
            },
            &self.emulator.response_url(900),
        );
        self.signed("/slack/commands", FORM, &form)
    }

    fn press(&self, action: &str, user: &str, message_ts: &str) -> Signed {
        let payload = self.emulator.press_payload(Press {
            action_id: action.into(),
            value: Some(action.into()),
            user: user.into(),
            user_name: user.to_lowercase(),
            channel: ANNOUNCEMENTS.into(),
            message_ts: Some(message_ts.into()),
        });
        self.signed(
            "/slack/interactions",
            FORM,
            &slack::interaction_form(&payload),
        )
    }
}

/// A signed request, sent as many times as a test likes.
#[derive(Clone)]
struct Signed {
    url: String,
    content_type: String,
    body: String,
    ts: i64,
    signature: String,
}

impl Signed {
    fn send(&self) -> (u16, String) {
        slack::post(
            &self.url,
            &[
                ("X-Slack-Request-Timestamp", self.ts.to_string()),
                ("X-Slack-Signature", self.signature.clone()),
            ],
            &self.content_type,
            &self.body,
        )
    }
}

/// How many events the events list shows with `title` (each is listed as `` `eN` … title``).
fn events_listed(answer: &str, title: &str) -> usize {
    let blocks = answer.split_once('\n').map_or(answer, |(_, blocks)| blocks);
    blocks.lines().filter(|l| l.contains(title)).count()
}

#[test]
fn a_replayed_signed_slash_command_creates_one_event_and_gets_the_first_answer() {
    let run = SlackHttp::start();
    let e = &run.emulator;
    let announce = run.slash(
        "/announce",
        "title: Replay night start: 2030-12-05 19:00 place: Recife",
        ORGANIZER,
    );
    // Five deliveries of the same signed request, at once.
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let sends: Vec<_> = (0..5).map(|_| s.spawn(|| announce.send())).collect();
        sends.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    assert!(
        answers.iter().all(|a| a.1 == answers[0].1),
        "every repeat gets the first answer: {answers:#?}"
    );
    e.wait_for(WAIT, |r| {
        r.method == "chat.postMessage" && r.body["channel"] == ANNOUNCEMENTS
    })
    .expect("the event is announced");
    // Twice more, one after the other: still the first answer.
    for _ in 0..2 {
        assert_eq!(announce.send(), answers[0]);
    }
    let (_, listed) = run.slash("/events", "", MEMBER).send();
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(
        events_listed(&shown(&listed), "Replay night"),
        1,
        "one event: {listed:#}"
    );
    assert_eq!(
        e.requests()
            .iter()
            .filter(|r| r.method == "chat.postMessage" && r.body["channel"] == ANNOUNCEMENTS)
            .count(),
        1,
        "one announcement"
    );
    assert!(run
        .log
        .wait_for(6, WAIT, |l| l.contains("was seen before"))
        .is_some());
}

#[test]
fn a_sign_up_press_replayed_after_a_withdraw_does_not_sign_up_again() {
    let run = SlackHttp::start();
    let e = &run.emulator;
    run.slash(
        "/announce",
        "title: Press night start: 2030-12-06 19:00",
        ORGANIZER,
    )
    .send();
    let (status, _) = run
        .slash("/volunteer", "call e1 onsite:2", ORGANIZER)
        .send();
    assert_eq!(status, 200);
    e.wait_for(WAIT, |r| {
        r.method == "chat.postMessage"
            && serde_json::to_string(&r.body)
                .unwrap()
                .contains("vol:signup:v1:onsite")
    })
    .expect("the call is posted");
    let call_ts = e
        .messages(ANNOUNCEMENTS)
        .iter()
        .rev()
        .find(|m| m.to_string().contains("vol:signup:v1:onsite"))
        .expect("the call post")["ts"]
        .as_str()
        .unwrap()
        .to_string();
    let response = |r: &tests::slack::Request| r.method == "response_url";
    let signup = run.press("vol:signup:v1:onsite", MEMBER, &call_ts);
    assert_eq!(signup.send().0, 200);
    let signed_up = e.wait_for(WAIT, response).expect("signed up");
    assert!(
        shown(&signed_up.body).contains("onsite"),
        "{:#}",
        signed_up.body
    );
    assert_eq!(run.press("vol:withdraw:v1", MEMBER, &call_ts).send().0, 200);
    e.wait_for(WAIT, response).expect("withdrawn");
    // The first press, replayed (its signature still fresh), and its Slack retry.
    for _ in 0..3 {
        assert_eq!(signup.send().0, 200);
    }
    let (_, roster) = run.slash("/volunteer", "roster v1", ORGANIZER).send();
    let roster: Value = serde_json::from_str(&roster).unwrap();
    let roster = shown(&roster);
    assert!(roster.contains("onsite (0/2)"), "{roster}");
    assert!(!roster.contains(MEMBER), "{roster}");
    assert_eq!(
        e.requests().iter().filter(|r| response(r)).count(),
        2,
        "the replays were not answered again"
    );
}

#[test]
fn a_retried_socket_mode_envelope_acts_once_and_gets_the_first_answer() {
    let e = SlackEmulator::start();
    let bot = crate::bot();
    bot.config(&slack_config(&e, ""));
    let _child = Killed(bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]));
    assert!(e.wait_connected(Duration::from_secs(30)));
    let first = e.slash(Slash {
        command: "/announce".into(),
        text: "title: Retry night start: 2030-12-07 19:00".into(),
        user: ORGANIZER.into(),
        ..Slash::default()
    });
    let first_ack = e.ack(&first, WAIT).expect("acknowledged");
    let retry = e.redeliver(&first);
    let retry_ack = e.ack(&retry, WAIT).expect("the retry is acknowledged");
    assert_eq!(
        retry_ack["payload"], first_ack["payload"],
        "the first answer"
    );
    let listed = e.slash(Slash {
        command: "/events".into(),
        user: MEMBER.into(),
        ..Slash::default()
    });
    let listed = e.ack(&listed, WAIT).expect("events listed");
    assert_eq!(
        events_listed(&shown(&listed["payload"]), "Retry night"),
        1,
        "{listed:#}"
    );
}

/// The bot on the Discord emulator, with an announcement channel.
struct DiscordRun {
    emulator: DiscordEmulator,
    announcements: u64,
    _child: Killed,
    _bot: tests::Bot,
}

fn discord() -> DiscordRun {
    let emulator = DiscordEmulator::start();
    let announcements = emulator.add_channel("announcements");
    let bot = crate::bot();
    bot.config(&format!(
        "[community]\ntimezone = \"America/Sao_Paulo\"\n{}",
        discord_config(&emulator, announcements)
    ));
    let child = Killed(bot.serve(&[("DISCORD_TOKEN", "emulated-token")]));
    assert!(emulator.wait_ready(Duration::from_secs(30)));
    DiscordRun {
        emulator,
        announcements,
        _child: child,
        _bot: bot,
    }
}

fn d_slash(name: &str, options: Value, user: u64) -> dc::Slash {
    dc::Slash {
        name: name.into(),
        options,
        user_id: user,
        user_name: format!("user{user}"),
        ..dc::Slash::default()
    }
}

fn callback(id: u64) -> impl Fn(&dc::Request) -> bool {
    move |r: &dc::Request| r.method == "POST" && r.path.starts_with(&format!("/interactions/{id}/"))
}

fn embed_text(body: &Value) -> String {
    let data = if body["data"].is_object() {
        &body["data"]
    } else {
        body
    };
    let mut text = String::new();
    for e in data["embeds"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "{} {}",
            e["title"].as_str().unwrap_or(""),
            e["description"].as_str().unwrap_or("")
        ));
        for f in e["fields"].as_array().into_iter().flatten() {
            text.push_str(&format!(
                " {}: {}",
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or("")
            ));
        }
    }
    text
}

#[test]
fn a_discord_interaction_delivered_again_acts_once() {
    let run = discord();
    let e = &run.emulator;
    let announce = e.slash(d_slash(
        "announce",
        json!([
            { "name": "title", "type": 3, "value": "Gateway night" },
            { "name": "start", "type": 3, "value": "2030-12-05 19:00" }
        ]),
        D_ORGANIZER,
    ));
    e.wait_for(WAIT, callback(announce)).expect("answered");
    let announcements = run.announcements;
    let posted = |r: &dc::Request| {
        r.method == "POST" && r.path == format!("/channels/{announcements}/messages")
    };
    e.wait_for(WAIT, posted).expect("the event is announced");
    for _ in 0..4 {
        e.redeliver(announce);
    }
    let listed = e.slash(d_slash("events", json!([]), D_MEMBER));
    let listed = e.wait_for(WAIT, callback(listed)).expect("events listed");
    assert_eq!(
        embed_text(&listed.body).matches("Gateway night").count(),
        1,
        "{:#}",
        listed.body
    );
    assert_eq!(
        e.requests().iter().filter(|r| posted(r)).count(),
        1,
        "announced once"
    );
    assert_eq!(
        e.requests()
            .iter()
            .filter(|r| callback(announce)(r))
            .count(),
        1,
        "answered once"
    );
}

#[test]
fn the_servers_own_role_is_refused_like_everyone() {
    let run = discord();
    let e = &run.emulator;
    let everyone = dc::GUILD_ID.to_string();
    let id = e.slash(d_slash(
        "announce",
        json!([
            { "name": "title", "type": 3, "value": "Everyone night" },
            { "name": "start", "type": 3, "value": "2030-12-05 19:00" },
            { "name": "role", "type": 8, "value": everyone }
        ]),
        D_ORGANIZER,
    ));
    let answer = e.wait_for(WAIT, callback(id)).expect("answered");
    assert_eq!(answer.body["data"]["flags"], 64, "{:#}", answer.body);
    assert_eq!(
        answer.body["data"]["embeds"][0]["color"], 0xd9_48_3b,
        "refused: {:#}",
        answer.body
    );
    // The same typed in a message.
    let dm = e.dm_channel(D_ORGANIZER);
    e.message(dc::Msg {
        channel_id: dm,
        guild_id: None,
        author_id: D_ORGANIZER,
        author_name: "org".into(),
        content: format!(
            "/announce title: Everyone again start: 2030-12-06 19:00 role: <@&{everyone}>"
        ),
        mentions_bot: false,
        reply_to: None,
    });
    e.wait_for(WAIT, |r| {
        r.method == "POST" && r.path == format!("/channels/{dm}/messages")
    })
    .expect("answered");
    let guild_message = dc::Msg {
        content: format!(
            "<@{}> /announce title: Everyone in the guild start: 2030-12-07 19:00 role: <@&{everyone}>",
            dc::BOT_ID
        ),
        author_id: D_ORGANIZER,
        mentions_bot: true,
        ..dc::Msg::default()
    };
    e.message(guild_message);
    let answer = e
        .wait_for(WAIT, |r| {
            r.method == "POST" && r.path == format!("/channels/{}/messages", dc::CHANNEL_ID)
        })
        .expect("answered in the server");
    assert_eq!(
        answer.body["embeds"][0]["color"], 0xd9_48_3b,
        "{:#}",
        answer.body
    );
    for r in e.requests() {
        let raw = r.body.to_string();
        assert!(
            !raw.contains(&format!("<@&{everyone}>"))
                && r.body["allowed_mentions"]["roles"]
                    .as_array()
                    .is_none_or(|roles| !roles.contains(&json!(everyone))),
            "{} {}: {raw}",
            r.method,
            r.path
        );
    }
}

#[test]
fn nothing_a_member_types_reaches_slack_unescaped() {
    let e = SlackEmulator::start();
    let bot = crate::bot();
    bot.config(&slack_config(&e, ""));
    let _child = Killed(bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]));
    assert!(e.wait_connected(Duration::from_secs(30)));
    let slash = |command: &str, text: &str, user: &str| {
        let id = e.slash(Slash {
            command: command.into(),
            text: text.into(),
            user: user.into(),
            ..Slash::default()
        });
        e.ack(&id, WAIT).expect("acknowledged")["payload"].clone()
    };
    // What members type, as Slack sends it: a mention, a mail link, specials.
    let typed = [
        "<@U0VICTIM|victim>",
        "<mailto:a@b.example|x>",
        "<!channel>",
        "<!here>",
        "<!subteam^S0GROUP|@group>",
    ];
    let mut answers = Vec::new();
    for t in typed {
        answers.push(slash("/badge", &format!("grant {t} nosuchbadge"), ADMIN));
        answers.push(slash("/badge", &format!("grant <@UX> {t}"), ADMIN));
        answers.push(slash(
            "/announce",
            &format!("title: x start: {t}"),
            ORGANIZER,
        ));
        answers.push(slash("/volunteer", &format!("signup {t} {t}"), MEMBER));
        answers.push(slash(
            "/event",
            &format!("edit {t} start: tomorrow"),
            ORGANIZER,
        ));
    }
    slash(
        "/announce",
        "title: <!channel> <@U0VICTIM> night start: 2030-12-05 19:00",
        ORGANIZER,
    );
    let post = e
        .wait_for(WAIT, |r| {
            r.method == "chat.postMessage" && r.body["channel"] == ANNOUNCEMENTS
        })
        .expect("the announcement");
    answers.push(post.body.clone());
    answers.push(slash("/events", "", MEMBER));
    let live = [
        "<@U0VICTIM",
        "<mailto:",
        "<!channel>",
        "<!here>",
        "<!subteam^S0GROUP",
    ];
    for a in &answers {
        let raw = serde_json::to_string(a).unwrap();
        for markup in live {
            assert!(!raw.contains(markup), "{markup} is live in {a:#}");
        }
    }
    let header = post.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "header")
        .expect("a header");
    assert!(
        header["text"]["text"]
            .as_str()
            .unwrap()
            .contains("&lt;!channel&gt;"),
        "{header:#}"
    );
}

#[test]
fn a_rejected_large_body_is_logged_as_a_short_prefix_once() {
    let run = SlackHttp::start();
    // A signed body that is not what Slack sends: 200 KB of it.
    let body = format!(
        "{{\"type\":\"event_callback\",\"junk\":\"{}\"",
        "A".repeat(200_000)
    );
    let (status, _) = run
        .signed("/slack/events", "application/json", &body)
        .send();
    assert!(status >= 400, "{status}");
    let marker = |l: &str| l.contains("AAAAAAAAAA");
    let lines = run
        .log
        .wait_for(1, WAIT, marker)
        .expect("the rejection is logged");
    // A later request is answered after the rejection was logged: no second line came.
    let (status, _) = run.slash("/events", "", MEMBER).send();
    assert_eq!(status, 200);
    let lines = run.log.wait_for(lines.len(), WAIT, marker).unwrap();
    assert_eq!(lines.len(), 1, "logged once: {} lines", lines.len());
    let n = lines[0].chars().count();
    assert!(n < 2_000, "a bounded prefix, not {n} characters");
}

/// Signs `n` members up for one role of a call made in the terminal (the store the served
/// bot then opens), so that the roster has a waitlist of `n - 1`.
fn seed_waitlist(bot: &tests::Bot, n: usize) {
    let mut lines = vec![
        "/announce title: Busy night start: 2030-12-05 19:00".to_string(),
        "/volunteer call e1 onsite:1".to_string(),
    ];
    for i in 0..n {
        lines.push(format!("/as volunteer{i:03}"));
        lines.push("/press vol:signup:v1:onsite".into());
    }
    let out = bot.run(
        &["chat", "--json", "--as", "olga"],
        &(lines.join("\n") + "\n"),
    );
    assert!(out.status.success(), "{}", tests::stderr(&out));
    let text = tests::stdout(&out);
    assert!(
        text.contains(&format!("number {} on its waitlist", n - 1)),
        "{}",
        &text[text.len().saturating_sub(2000)..]
    );
}

fn volunteers_named(text: &str, n: usize) -> usize {
    (0..n)
        .filter(|i| text.contains(&format!("volunteer{i:03}")))
        .count()
}

#[test]
fn a_roster_with_157_waiting_reaches_slack_whole() {
    const N: usize = 158;
    let e = SlackEmulator::start();
    let bot = crate::bot();
    bot.config(&slack_config(&e, ""));
    seed_waitlist(&bot, N);
    let _child = Killed(bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]));
    assert!(e.wait_connected(Duration::from_secs(30)));
    let id = e.slash(Slash {
        command: "/volunteer".into(),
        text: "roster v1".into(),
        user: ADMIN.into(),
        ..Slash::default()
    });
    let ack = e.ack(&id, WAIT).expect("acknowledged");
    let mut shown_all = shown(&ack["payload"]);
    // A roster longer than one message follows by the response URL, page by page.
    while volunteers_named(&shown_all, N) < N {
        let Some(page) = e.wait_for(WAIT, |r| r.method == "response_url") else {
            break;
        };
        shown_all.push_str(&shown(&page.body));
    }
    assert_eq!(volunteers_named(&shown_all, N), N, "{shown_all}");
}

#[test]
fn a_roster_with_157_waiting_reaches_discord_whole() {
    const N: usize = 158;
    let emulator = DiscordEmulator::start();
    let announcements = emulator.add_channel("announcements");
    let bot = crate::bot();
    bot.config(&format!(
        "[community]\ntimezone = \"America/Sao_Paulo\"\n[permissions.terminal]\norganizers = [\"olga\"]\n{}",
        discord_config(&emulator, announcements)
    ));
    seed_waitlist(&bot, N);
    let _child = Killed(bot.serve(&[("DISCORD_TOKEN", "emulated-token")]));
    assert!(emulator.wait_ready(Duration::from_secs(30)));
    let id = emulator.slash(d_slash(
        "volunteer",
        json!([{ "name": "roster", "type": 1, "options": [
            { "name": "call", "type": 3, "value": "v1" }
        ]}]),
        D_ADMIN,
    ));
    let answer = emulator.wait_for(WAIT, callback(id)).expect("answered");
    let mut text = embed_text(&answer.body);
    let token = dc::interaction_token(id);
    while volunteers_named(&text, N) < N {
        let Some(more) = emulator.wait_for(WAIT, |r| {
            r.method == "POST"
                && r.path
                    .contains(&format!("/webhooks/{}/{token}", dc::BOT_ID))
        }) else {
            break;
        };
        assert_eq!(more.body["flags"], 64, "the follow-ups are private too");
        text.push_str(&embed_text(&more.body));
    }
    assert_eq!(volunteers_named(&text, N), N, "{text}");
}

/// A small, seeded generator (splitmix64), so a failing order can be run again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }
}

/// Open sockets of a process, from /proc/<pid>/fd.
fn sockets(pid: u32) -> usize {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    dir.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|l| l.to_string_lossy().starts_with("socket:"))
        .count()
}

/// Threads of a process, from /proc/<pid>/status.
fn threads_of(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn a_burst_of_a_thousand_answers_per_platform_arrives_whole_under_a_low_descriptor_limit() {
    const EACH: usize = 1000;
    const NOFILE: u64 = 1024;
    let seed = std::env::var("BURST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        });
    eprintln!("burst seed: {seed} (BURST_SEED={seed} runs this order again)");
    let mut rng = Rng(seed);
    let sl = SlackEmulator::start();
    let dsc = DiscordEmulator::start();
    let announcements = dsc.add_channel("announcements");
    let bot = crate::bot();
    bot.config(&format!(
        "{}\n{}",
        slack_config(&sl, ""),
        discord_config(&dsc, announcements)
    ));
    let (child, log) = bot.serve_logged(
        &[
            ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
            ("SLACK_APP_TOKEN", slack::APP_TOKEN),
            ("DISCORD_TOKEN", "emulated-token"),
        ],
        Some(NOFILE),
    );
    let child = Killed(child);
    let pid = child.0.id();
    assert!(sl.wait_connected(Duration::from_secs(30)), "Slack");
    assert!(dsc.wait_ready(Duration::from_secs(30)), "Discord");
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let open_files = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap()
        .to_string();
    assert!(
        open_files
            .split_whitespace()
            .filter(|w| *w == NOFILE.to_string())
            .count()
            == 2,
        "{open_files}"
    );

    // Sockets are counted while the burst runs, every few milliseconds, by a thread that
    // stops when told (or after a bounded number of looks).
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let done = std::sync::Arc::clone(&done);
        std::thread::spawn(move || {
            let (mut most, mut threads) = (0, 0);
            for _ in 0..200_000 {
                if done.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                most = most.max(sockets(pid));
                threads = threads.max(threads_of(pid));
                std::thread::sleep(Duration::from_millis(2));
            }
            (most, threads)
        })
    };
    let question = "how many AWS Heroes are there?";
    // Measured, never asserted: how long the whole burst took to be answered.
    let started = std::time::Instant::now();
    let (mut slack_left, mut discord_left) = (EACH, EACH);
    while slack_left + discord_left > 0 {
        let slack_turn = discord_left == 0
            || (slack_left > 0
                && rng.next() % ((slack_left + discord_left) as u64) < slack_left as u64);
        if slack_turn {
            let n = EACH - slack_left;
            sl.message(Msg {
                channel: GENERAL.into(),
                user: format!("UBURST{:02}", n % 25),
                text: format!("<@{}> {question}", slack::BOT_USER_ID),
                mention: true,
                ..Msg::default()
            });
            slack_left -= 1;
        } else {
            let n = EACH - discord_left;
            dsc.message(dc::Msg {
                content: format!("<@{}> {question}", dc::BOT_ID),
                author_id: 700 + (n % 25) as u64,
                author_name: format!("burst{}", n % 25),
                mentions_bot: true,
                ..dc::Msg::default()
            });
            discord_left -= 1;
        }
    }
    let slack_answered = |r: &tests::slack::Request| {
        r.method == "chat.postMessage" && r.ok() && r.body["channel"] == GENERAL
    };
    let discord_answered = |r: &dc::Request| {
        r.method == "POST"
            && r.status == 200
            && r.path == format!("/channels/{}/messages", dc::CHANNEL_ID)
    };
    let all_in = dc::poll_until(Duration::from_secs(300), || {
        sl.requests().iter().filter(|r| slack_answered(r)).count() >= EACH
            && dsc
                .requests()
                .iter()
                .filter(|r| discord_answered(r))
                .count()
                >= EACH
    });
    let took = started.elapsed();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (most, threads) = watcher.join().unwrap();
    let slack_n = sl.requests().iter().filter(|r| slack_answered(r)).count();
    let discord_n = dsc
        .requests()
        .iter()
        .filter(|r| discord_answered(r))
        .count();
    eprintln!(
        "burst: {slack_n}/{EACH} Slack and {discord_n}/{EACH} Discord replies delivered, \
         at most {most} sockets open and {threads} threads, under a limit of {NOFILE} \
         descriptors, in {took:.1?} (seed {seed})"
    );
    assert!(
        all_in,
        "{slack_n} Slack and {discord_n} Discord replies of {EACH} each"
    );
    assert!(most < 200, "{most} sockets open at once");
    let lost: Vec<String> = log
        .lines()
        .into_iter()
        .filter(|l| l.contains("ERROR"))
        .collect();
    assert!(lost.is_empty(), "{lost:#?}");
}

#[test]
fn a_reply_slack_fails_for_a_while_is_sent_again_until_it_arrives() {
    let e = SlackEmulator::start();
    let bot = crate::bot();
    bot.config(&slack_config(&e, ""));
    let (child, log) = bot.serve_logged(
        &[
            ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
            ("SLACK_APP_TOKEN", slack::APP_TOKEN),
        ],
        None,
    );
    let mut child = Killed(child);
    assert!(e.wait_connected(Duration::from_secs(30)));
    // Slack fails the first three tries of the answer (503), then takes it.
    e.fail_next("chat.postMessage", 3);
    e.message(Msg {
        channel: GENERAL.into(),
        user: MEMBER.into(),
        text: format!("<@{}> how many AWS Heroes are there?", slack::BOT_USER_ID),
        mention: true,
        ..Msg::default()
    });
    let answered = e.wait_for(Duration::from_secs(60), |r| {
        r.method == "chat.postMessage" && r.ok() && r.body["channel"] == GENERAL
    });
    assert!(
        answered.is_some(),
        "the answer arrived after the failed tries"
    );
    let refused = e
        .requests()
        .iter()
        .filter(|r| r.method == "chat.postMessage" && !r.ok())
        .count();
    assert_eq!(refused, 3, "three failed tries, then the answer");
    // What was counted is logged when the bot stops.
    let pid = child.0.id().to_string();
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(stopped.success());
    let exited = dc::poll_until(WAIT, || child.0.try_wait().unwrap().is_some());
    assert!(exited, "still running after SIGTERM");
    let counted = log
        .wait_for(1, WAIT, |l| l.contains("Slack: "))
        .expect("the counters are logged at shutdown");
    assert!(
        counted[0].contains("1 replies sent, 0 lost") && counted[0].contains("3 retried"),
        "{}",
        counted[0]
    );
}

#[test]
fn a_reply_that_cannot_be_delivered_is_logged_as_an_error_with_what_was_lost() {
    let emulator = DiscordEmulator::start();
    let bot = crate::bot();
    // An announcement channel the server does not have: every post there is refused.
    bot.config(&format!(
        "[community]\ntimezone = \"America/Sao_Paulo\"\n{}",
        discord_config(&emulator, 424_242)
    ));
    let (child, log) = bot.serve_logged(&[("DISCORD_TOKEN", "emulated-token")], None);
    let _child = Killed(child);
    assert!(emulator.wait_ready(Duration::from_secs(30)));
    let id = emulator.slash(d_slash(
        "announce",
        json!([
            { "name": "title", "type": 3, "value": "Lost night" },
            { "name": "start", "type": 3, "value": "2030-12-05 19:00" }
        ]),
        D_ORGANIZER,
    ));
    emulator
        .wait_for(WAIT, callback(id))
        .expect("the organizer is answered");
    let lost = log
        .wait_for(1, WAIT, |l| l.contains("ERROR") && l.contains("was lost"))
        .expect("the lost announcement is logged at ERROR");
    assert!(
        lost[0].contains("Announcements") && lost[0].contains("Lost night"),
        "{}",
        lost[0]
    );
}
