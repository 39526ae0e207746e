//! The real `bot serve` against the local Discord emulator: what members, organizers and
//! admins do, checked by what the emulator received.

use std::process::Child;
use std::time::Duration;

use serde_json::{json, Value};
use tests::discord::{poll_until, DiscordEmulator, Msg, Press, Request, Slash, GUILD_ID};

const ADMIN: u64 = 500;
const ORGANIZER: u64 = 501;
const MEMBER: u64 = 502;
const WAIT: Duration = Duration::from_secs(10);

struct Running {
    emulator: DiscordEmulator,
    help: u64,
    announcements: u64,
    general: u64,
    speaker_role: u64,
    child: Child,
    _bot: tests::Bot,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Running {
    let emulator = DiscordEmulator::start();
    let help = emulator.add_channel("help");
    let announcements = emulator.add_channel("announcements");
    let general = tests::discord::CHANNEL_ID;
    let speaker_role = emulator.add_role("Speaker", 0);
    let bot = crate::bot();
    bot.config(&format!(
        r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.discord]
admins = ["{ADMIN}"]
organizers = ["{ORGANIZER}"]

[discord]
api_base_url = "{}"
gateway_url = "{}"
help_channels = ["{help}"]
announcements_channel = "{announcements}"
questions_per_minute = 3
admin_permissions = true
badge_roles = {{ speaker = "{speaker_role}" }}
"#,
        emulator.base_url(),
        emulator.gateway_url()
    ));
    let child = bot.serve(&[("DISCORD_TOKEN", "emulated-token")]);
    assert!(
        emulator.wait_ready(Duration::from_secs(30)),
        "the bot never connected"
    );
    Running {
        emulator,
        help,
        announcements,
        general,
        speaker_role,
        child,
        _bot: bot,
    }
}

fn posted_to(channel: u64) -> impl Fn(&Request) -> bool {
    move |r: &Request| r.method == "POST" && r.path == format!("/channels/{channel}/messages")
}

fn callback(id: u64) -> impl Fn(&Request) -> bool {
    move |r: &Request| r.method == "POST" && r.path.starts_with(&format!("/interactions/{id}/"))
}

pub(crate) fn embed_text(body: &Value) -> String {
    let data = if body["data"].is_object() {
        &body["data"]
    } else {
        body
    };
    let e = &data["embeds"][0];
    let mut text = format!(
        "{} {}",
        e["title"].as_str().unwrap_or(""),
        e["description"].as_str().unwrap_or("")
    );
    for f in e["fields"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            " {}: {}",
            f["name"].as_str().unwrap_or(""),
            f["value"].as_str().unwrap_or("")
        ));
    }
    text
}

fn slash(name: &str, options: Value, user: u64, channel: u64) -> Slash {
    Slash {
        name: name.into(),
        options,
        user_id: user,
        user_name: format!("user{user}"),
        roles: vec![],
        permissions: 0,
        locale: "en-US".into(),
        channel_id: channel,
        guild_id: Some(GUILD_ID),
    }
}

fn opts_for_revoke() -> Value {
    sub(
        "revoke",
        json!([
            { "name": "member", "type": 6, "value": MEMBER.to_string() },
            { "name": "badge", "type": 3, "value": "speaker" }
        ]),
    )
}

/// `user` asks `question` by direct message; waits for the answer.
fn ask_directly(e: &DiscordEmulator, user: u64, question: &str) -> Request {
    let dm = e.dm_channel(user);
    e.message(Msg {
        channel_id: dm,
        guild_id: None,
        author_id: user,
        author_name: format!("user{user}"),
        content: question.into(),
        mentions_bot: false,
        reply_to: None,
    });
    e.wait_for(WAIT, posted_to(dm)).expect("an answer")
}

fn sub(name: &str, options: Value) -> Value {
    json!([{ "name": name, "type": 1, "options": options }])
}

#[test]
fn a_mentioned_question_gets_one_answer_embed_that_pings_nobody() {
    let run = start();
    let e = &run.emulator;
    let (help, general) = (run.help, run.general);
    e.message(Msg {
        channel_id: general,
        guild_id: Some(GUILD_ID),
        author_id: MEMBER,
        author_name: "mia".into(),
        content: format!(
            "<@{}> how do I become a Community Builder? @everyone",
            tests::discord::BOT_ID
        ),
        mentions_bot: true,
        reply_to: None,
    });
    let sent = e.wait_for(WAIT, posted_to(general)).expect("an answer");
    let text = embed_text(&sent.body);
    assert!(text.contains("Community Builder"), "{text}");
    assert_eq!(
        sent.body["allowed_mentions"]["parse"],
        json!([]),
        "{:#}",
        sent.body
    );
    // The bot's own answer comes back as MESSAGE_CREATE, as on Discord. Once a later
    // question is answered, that echo has been handled too: it must not have been answered.
    ask_directly(e, ADMIN, "how many AWS Heroes are there?");
    assert_eq!(
        e.requests()
            .iter()
            .filter(|r| posted_to(general)(r))
            .count(),
        1,
        "exactly one message"
    );

    // In a help channel, a question gets its answer in a thread, in Portuguese.
    e.message(Msg {
        channel_id: help,
        guild_id: Some(GUILD_ID),
        author_id: MEMBER,
        author_name: "mia".into(),
        content: "Quais são os requisitos para ser voluntário?".into(),
        mentions_bot: false,
        reply_to: None,
    });
    e.wait_for(WAIT, |r| {
        r.method == "POST"
            && r.path.contains(&format!("/channels/{help}/messages/"))
            && r.path.ends_with("/threads")
    })
    .expect("a thread on the question");
    let answer = e
        .wait_for(WAIT, |r| {
            r.method == "POST"
                && r.path.ends_with("/messages")
                && !r.path.contains(&format!("/{general}/"))
                && embed_text(&r.body).contains("voluntári")
        })
        .expect("an answer in Portuguese");
    assert!(
        embed_text(&answer.body).contains("tecnologia") || embed_text(&answer.body).contains("AWS")
    );
}

#[test]
fn badge_grant_by_an_admin_sets_the_role_and_a_member_is_refused() {
    let run = start();
    let e = &run.emulator;
    let general = run.general;
    let opts = sub(
        "grant",
        json!([
            { "name": "member", "type": 6, "value": MEMBER.to_string() },
            { "name": "badge", "type": 3, "value": "speaker" }
        ]),
    );
    let id = e.slash(slash("badge", opts.clone(), ADMIN, general));
    let answer = e
        .wait_for(WAIT, callback(id))
        .expect("an interaction response");
    assert!(
        embed_text(&answer.body).contains("Speaker"),
        "{:#}",
        answer.body
    );
    e.wait_for(WAIT, |r| {
        r.method == "PUT"
            && r.path
                == format!(
                    "/guilds/{GUILD_ID}/members/{MEMBER}/roles/{}",
                    run.speaker_role
                )
    })
    .expect("the role is given");

    let id = e.slash(slash("badge", opts, MEMBER, general));
    let denial = e.wait_for(WAIT, callback(id)).expect("a denial");
    assert!(
        embed_text(&denial.body).contains("Only admins"),
        "{:#}",
        denial.body
    );
    assert_eq!(denial.body["data"]["flags"], 64, "the denial is ephemeral");

    // With admin_permissions, Discord's Administrator permission makes an admin.
    let mut by_server_admin = slash("badge", opts_for_revoke(), 503, general);
    by_server_admin.permissions = 1 << 3;
    let id = e.slash(by_server_admin);
    let answer = e.wait_for(WAIT, callback(id)).expect("an answer");
    assert!(
        embed_text(&answer.body).contains("no longer holds"),
        "{:#}",
        answer.body
    );
    e.wait_for(WAIT, |r| {
        r.method == "DELETE"
            && r.path
                == format!(
                    "/guilds/{GUILD_ID}/members/{MEMBER}/roles/{}",
                    run.speaker_role
                )
    })
    .expect("the role is taken back");
    // The member's attempt came and was answered before the revoke: had it made a role
    // call, that would be here by now.
    let role_calls = e
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.contains("/roles/"))
        .count();
    assert_eq!(role_calls, 1, "the member's attempt made no role call");
}

#[test]
fn an_announcement_and_a_full_volunteer_call_with_a_waitlist() {
    let run = start();
    let e = &run.emulator;
    let (announcements, general) = (run.announcements, run.general);
    let id = e.slash(slash(
        "announce",
        json!([
            { "name": "title", "type": 3, "value": "Serverless night" },
            { "name": "start", "type": 3, "value": "2030-12-05 19:00" }
        ]),
        ORGANIZER,
        general,
    ));
    e.wait_for(WAIT, callback(id))
        .expect("the organizer is answered");
    let post = e
        .wait_for(WAIT, posted_to(announcements))
        .expect("a post in the announcement channel");
    assert!(embed_text(&post.body).contains("Serverless night"));
    let id = e.slash(slash(
        "volunteer",
        sub(
            "call",
            json!([
                { "name": "event", "type": 3, "value": "e1" },
                { "name": "roles", "type": 3, "value": "onsite:5" }
            ]),
        ),
        ORGANIZER,
        general,
    ));
    e.wait_for(WAIT, callback(id))
        .expect("the call is confirmed");
    e.wait_for(WAIT, |r| {
        posted_to(announcements)(r) && embed_text(&r.body).contains("v1")
    })
    .expect("the call is posted");
    let mut last = String::new();
    for n in 0..6u64 {
        let id = e.press(Press {
            custom_id: "vol:signup:v1:onsite".into(),
            user_id: 600 + n,
            user_name: format!("volunteer{n}"),
            channel_id: announcements,
            ..Press::default()
        });
        last = embed_text(
            &e.wait_for(WAIT, callback(id))
                .expect("a press is answered")
                .body,
        );
    }
    assert!(last.contains("number 1 on its waitlist"), "{last}");
    let id = e.slash(slash(
        "volunteer",
        sub(
            "roster",
            json!([{ "name": "call", "type": 3, "value": "v1" }]),
        ),
        ORGANIZER,
        general,
    ));
    let roster = embed_text(&e.wait_for(WAIT, callback(id)).expect("the roster").body);
    assert!(
        roster.contains("onsite (5/5)") && roster.contains("<@605>"),
        "{roster}"
    );
}

#[test]
fn after_the_gateway_drops_the_bot_comes_back_and_answers() {
    let run = start();
    let e = &run.emulator;
    let general = run.general;
    e.drop_connection();
    assert!(
        poll_until(Duration::from_secs(20), || e.identifies() + e.resumes()
            >= 2),
        "no reconnect"
    );
    e.message(Msg {
        channel_id: general,
        guild_id: None,
        author_id: MEMBER,
        author_name: "mia".into(),
        content: "how many AWS Heroes are there?".into(),
        mentions_bot: false,
        reply_to: None,
    });
    let sent = e
        .wait_for(Duration::from_secs(20), posted_to(general))
        .expect("an answer after the reconnect");
    assert!(embed_text(&sent.body).contains("Hero"));
}

#[test]
fn slash_commands_register_once_with_localized_names_however_often_it_runs() {
    let run = start();
    let e = &run.emulator;
    for _ in 0..2 {
        let out = run
            ._bot
            .cmd(&["discord", "register", "--guild", &GUILD_ID.to_string()])
            .env("DISCORD_TOKEN", "emulated-token")
            .output()
            .expect("register runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Registered 21 slash commands"));
    }
    let registered = e.commands(Some(GUILD_ID));
    assert_eq!(registered.len(), 21, "{registered:#?}");
    let talks = registered
        .iter()
        .find(|c| c["name"] == "talks")
        .expect("/talks");
    assert_eq!(talks["name_localizations"]["pt-BR"], "palestras");
    // The member journey's commands, named in every language.
    let link = registered
        .iter()
        .find(|c| c["name"] == "link")
        .expect("/link");
    assert_eq!(link["name_localizations"]["pt-BR"], "vincular");
    for name in ["unlink", "welcome", "calendar", "dashboard"] {
        assert!(
            registered.iter().any(|c| c["name"] == name),
            "/{name} in {registered:#?}"
        );
    }
    let ask = registered
        .iter()
        .find(|c| c["name"] == "ask")
        .expect("/ask");
    assert_eq!(ask["name_localizations"]["pt-BR"], "perguntar");
    assert_eq!(ask["description_localizations"]["zh-CN"], "询问社区计划");
    let audit = registered
        .iter()
        .find(|c| c["name"] == "audit")
        .expect("/audit");
    assert_ne!(
        audit["default_member_permissions"],
        Value::Null,
        "admin commands are hidden from members"
    );
}

#[test]
fn a_member_asking_too_fast_is_asked_to_wait() {
    let run = start();
    let e = &run.emulator;
    let dm = e.dm_channel(MEMBER);
    for _ in 0..4 {
        e.message(Msg {
            channel_id: dm,
            guild_id: None,
            author_id: MEMBER,
            author_name: "mia".into(),
            content: "how many AWS Heroes are there?".into(),
            mentions_bot: false,
            reply_to: None,
        });
    }
    let answers: Vec<Request> = (0..4)
        .map(|_| e.wait_for(WAIT, posted_to(dm)).expect("a reply"))
        .collect();
    let slow = answers
        .iter()
        .filter(|r| {
            r.body["content"]
                .as_str()
                .unwrap_or("")
                .contains("wait a minute")
        })
        .count();
    assert_eq!(slow, 1, "{answers:#?}");
}

#[test]
fn sigterm_shuts_the_bot_down_cleanly() {
    let mut run = start();
    let pid = run.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let mut exit = None;
    poll_until(Duration::from_secs(10), || {
        exit = run.child.try_wait().unwrap();
        exit.is_some()
    });
    let status = exit.expect("still running 10 s after SIGTERM");
    assert!(status.success(), "exit status {status}");
}

#[test]
fn the_organizer_gets_the_check_in_code_with_its_qr_image_attached() {
    let run = start();
    let e = &run.emulator;
    let dm = e.dm_channel(ORGANIZER);
    let say = |line: &str| {
        e.message(Msg {
            channel_id: dm,
            guild_id: None,
            author_id: ORGANIZER,
            author_name: "olga".into(),
            content: line.into(),
            mentions_bot: false,
            reply_to: None,
        });
        e.wait_for(WAIT, posted_to(dm)).expect("an answer")
    };
    // Check-in opens up to a day ahead: the event starts in two hours.
    let start = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2);
    say(&format!(
        "/announce title: Door night start: {}",
        start.strftime("%Y-%m-%d %H:%M UTC")
    ));
    let sent = say("event checkin e1");
    assert!(
        embed_text(&sent.body).contains("checkin "),
        "{:#}",
        sent.body
    );
    assert_eq!(sent.files.len(), 1, "{:#}", sent.body);
    let qr = &sent.files[0];
    assert_eq!(qr.filename, "checkin-e1.png");
    assert!(
        qr.bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "a PNG image: {:?}",
        &qr.bytes[..qr.bytes.len().min(16)]
    );
}
