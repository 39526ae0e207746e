//! The real `bot serve` against the local Slack emulator, over Socket Mode and signed HTTP:
//! what members, organizers and admins do, checked by what the emulator received.

use std::process::Child;
use std::time::Duration;

use serde_json::Value;
use tests::slack::{self, Msg, Press, Request, SlackEmulator, Slash};

mod files;

const ADMIN: &str = "UADMIN";
const ORGANIZER: &str = "UORG";
const MEMBER: &str = "UMEMBER";
/// An organizer by membership of the user group `[permissions.slack]` names.
const GROUP_ORGANIZER: &str = "UGROUPORG";
const HELP: &str = "CHELP";
const ANNOUNCEMENTS: &str = "CANNOUNCE";
const GENERAL: &str = "CGENERAL";
const WAIT: Duration = Duration::from_secs(10);

struct Running {
    emulator: SlackEmulator,
    speakers: String,
    child: Child,
    _bot: tests::Bot,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config(emulator: &SlackEmulator, speakers: &str, extra: &str) -> String {
    let organizers = emulator.add_usergroup("organizers", &[GROUP_ORGANIZER]);
    format!(
        r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.slack]
admins = ["{ADMIN}"]
organizers = ["{ORGANIZER}"]
organizer_roles = ["{organizers}"]

[slack]
api_base_url = "{}"
help_channels = ["{HELP}"]
announcements_channel = "{ANNOUNCEMENTS}"
socket_connections = 1
questions_per_minute = 100
badge_groups = {{ speaker = "{speakers}" }}
{extra}
"#,
        emulator.api_url()
    )
}

/// The bot over Socket Mode.
fn start() -> Running {
    let emulator = SlackEmulator::start();
    let speakers = emulator.add_usergroup("speakers", &["UOLDSPEAKER"]);
    let bot = crate::bot();
    bot.config(&config(&emulator, &speakers, ""));
    let child = bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]);
    assert!(
        emulator.wait_connected(Duration::from_secs(30)),
        "the bot never opened a socket"
    );
    Running {
        emulator,
        speakers,
        child,
        _bot: bot,
    }
}

/// Everything a member would read in a message: the fallback text, and every text in
/// its blocks.
pub(crate) fn shown(body: &Value) -> String {
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

/// Whether `markup` is live in a message: in its fallback text or any mrkdwn text, where
/// Slack parses it. (Plain-text objects show it as typed and never ping.)
fn pings(body: &Value, markup: &str) -> bool {
    fn walk(v: &Value, markup: &str) -> bool {
        match v {
            Value::Object(o) => {
                (o.get("type").and_then(Value::as_str) == Some("mrkdwn")
                    && o.get("text")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.contains(markup)))
                    || o.values().any(|v| walk(v, markup))
            }
            Value::Array(a) => a.iter().any(|v| walk(v, markup)),
            _ => false,
        }
    }
    body["text"].as_str().is_some_and(|t| t.contains(markup)) || walk(&body["blocks"], markup)
}

fn posted_to(channel: &'static str) -> impl Fn(&Request) -> bool {
    move |r: &Request| r.method == "chat.postMessage" && r.body["channel"] == channel
}

fn slash(command: &str, text: &str, user: &str) -> Slash {
    Slash {
        command: command.into(),
        text: text.into(),
        user: user.into(),
        user_name: user.to_lowercase(),
        channel: GENERAL.into(),
        channel_name: "general".into(),
    }
}

/// `user` asks `question` by direct message; waits for the answer.
fn ask_directly(e: &SlackEmulator, user: &str, question: &str) -> Request {
    let channel = slack::dm_channel(user);
    e.message(Msg {
        channel: channel.clone(),
        user: user.into(),
        text: question.into(),
        channel_type: Some("im".into()),
        ..Msg::default()
    });
    e.wait_for(WAIT, |r| {
        r.method == "chat.postMessage" && r.body["channel"] == channel.as_str()
    })
    .expect("an answer")
}

/// The answer a slash command got in its acknowledgement.
pub(crate) fn acked(e: &SlackEmulator, envelope: &str) -> Value {
    let ack = e.ack(envelope, WAIT).expect("the command is acknowledged");
    ack["payload"].clone()
}

#[test]
fn a_portuguese_mention_is_answered_in_its_thread_in_portuguese() {
    let run = start();
    let e = &run.emulator;
    e.message(Msg {
        channel: GENERAL.into(),
        user: MEMBER.into(),
        text: format!("<@{}> Quantos AWS Heroes existem?", slack::BOT_USER_ID),
        ts: Some("1800000000.000100".into()),
        mention: true,
        ..Msg::default()
    });
    let answer = e.wait_for(WAIT, posted_to(GENERAL)).expect("an answer");
    assert_eq!(
        answer.body["thread_ts"], "1800000000.000100",
        "in the thread"
    );
    let text = shown(&answer.body);
    assert!(
        text.contains("238") && text.contains("mundo inteiro"),
        "{text}"
    );
    assert!(text.contains("pt/heroes.md"), "the source is cited: {text}");
    let buttons = serde_json::to_string(&answer.body["blocks"]).unwrap();
    assert!(buttons.contains("fb:up:"), "{buttons}");
    let down = answer.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().unwrap().clone())
        .map(|b| b["action_id"].as_str().unwrap().to_string())
        .find(|id| id.starts_with("fb:down:"))
        .expect("a not-helpful button");

    // "Not helpful" is stored, thanked privately, and shows in the admins' gaps report.
    e.press(Press {
        action_id: down,
        user: MEMBER.into(),
        user_name: "mia".into(),
        channel: GENERAL.into(),
        ..Press::default()
    });
    let thanks = e
        .wait_for(WAIT, |r| r.method == "response_url")
        .expect("the vote is acknowledged");
    assert_eq!(
        thanks.body["response_type"], "ephemeral",
        "{:#}",
        thanks.body
    );
    let gaps = acked(e, &e.slash(slash("/kb", "gaps", ADMIN)));
    assert!(shown(&gaps).contains("Quantos AWS Heroes"), "{gaps:#}");

    // The emulator echoes the bot's own post back as a message event, as Slack does; the
    // bot must not answer itself. Once a later question is answered, the echo (sent before
    // it) has been handled.
    ask_directly(e, ADMIN, "how many heroes are there");
    let posts = e
        .requests()
        .iter()
        .filter(|r| posted_to(GENERAL)(r))
        .count();
    assert_eq!(posts, 1, "exactly one answer");

    // In a help channel a plain question is answered too; elsewhere it is not.
    e.message(Msg {
        channel: GENERAL.into(),
        user: MEMBER.into(),
        text: "How do I become a Community Builder?".into(),
        ..Msg::default()
    });
    e.message(Msg {
        channel: HELP.into(),
        user: MEMBER.into(),
        text: "How do I become a Community Builder?".into(),
        ts: Some("1800000000.000200".into()),
        ..Msg::default()
    });
    let answer = e.wait_for(WAIT, posted_to(HELP)).expect("a help answer");
    assert_eq!(answer.body["thread_ts"], "1800000000.000200");
    assert!(shown(&answer.body).contains("Community Builder"));
    // The ordinary channel's question came first; once a later one is answered, it has been
    // seen and left alone.
    ask_directly(e, ADMIN, "how many heroes are there");
    assert_eq!(
        e.requests()
            .iter()
            .filter(|r| posted_to(GENERAL)(r))
            .count(),
        1,
        "a question in an ordinary channel without a mention is left alone"
    );
}

#[test]
fn badges_are_granted_by_admins_only_and_mirrored_to_the_user_group() {
    let run = start();
    let e = &run.emulator;
    let target = format!("<@{MEMBER}|mia> speaker");

    let denied = acked(
        e,
        &e.slash(slash("/badge", &format!("grant {target}"), MEMBER)),
    );
    assert_eq!(denied["response_type"], "ephemeral", "{denied:#}");
    let text = shown(&denied);
    assert!(text.contains("admin"), "{text}");
    assert_eq!(e.usergroup_members(&run.speakers), ["UOLDSPEAKER"]);

    let granted = acked(
        e,
        &e.slash(slash("/badge", &format!("grant {target}"), ADMIN)),
    );
    assert!(shown(&granted).contains("Speaker"), "{granted:#}");
    let update = e
        .wait_for(WAIT, |r| r.method == "usergroups.users.update")
        .expect("the user group is updated");
    assert_eq!(update.body["usergroup"], run.speakers.as_str());
    // The refused grant was answered before this one was sent: had it called the API, the
    // call would be here by now.
    assert_eq!(
        e.requests()
            .iter()
            .filter(|r| r.method == "usergroups.users.update")
            .count(),
        1,
        "a refused grant makes no API call"
    );
    assert_eq!(
        e.usergroup_members(&run.speakers),
        ["UOLDSPEAKER", MEMBER],
        "the member is added; nobody is dropped"
    );
    let badges = acked(e, &e.slash(slash("/badges", "", MEMBER)));
    assert!(shown(&badges).contains("Speaker"), "{badges:#}");

    acked(
        e,
        &e.slash(slash("/badge", &format!("revoke {target}"), ADMIN)),
    );
    e.wait_for(WAIT, |r| r.method == "usergroups.users.update")
        .expect("the user group is updated again");
    assert_eq!(e.usergroup_members(&run.speakers), ["UOLDSPEAKER"]);
}

#[test]
fn an_announcement_and_a_volunteer_call_take_sign_ups_by_button() {
    let run = start();
    let e = &run.emulator;
    let ack = acked(
        e,
        &e.slash(slash(
            "/announce",
            "title: Serverless night <!channel> start: 2030-12-05 19:00 place: Recife",
            ORGANIZER,
        )),
    );
    assert!(!ack.is_null());
    let post = e
        .wait_for(WAIT, posted_to(ANNOUNCEMENTS))
        .expect("a post in the announcement channel");
    let text = shown(&post.body);
    assert!(text.contains("Serverless night"), "{text}");
    assert!(
        !pings(&post.body, "<!channel>"),
        "the title cannot ping the channel: {:#}",
        post.body
    );
    acked(
        e,
        &e.slash(slash("/volunteer", "call e1 onsite:2", ORGANIZER)),
    );
    let call = e
        .wait_for(WAIT, |r| {
            posted_to(ANNOUNCEMENTS)(r)
                && serde_json::to_string(&r.body)
                    .unwrap()
                    .contains("vol:signup:v1:onsite")
        })
        .expect("the call is posted with a sign-up button");
    let call_ts = e.messages(ANNOUNCEMENTS).last().expect("stored")["ts"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(shown(&call.body).contains("onsite"));

    for (n, user) in ["UVOL1", "UVOL2", "UVOL3"].iter().enumerate() {
        e.press(Press {
            action_id: "vol:signup:v1:onsite".into(),
            value: Some("vol:signup:v1:onsite".into()),
            user: user.to_string(),
            user_name: format!("volunteer{n}"),
            channel: ANNOUNCEMENTS.into(),
            message_ts: Some(call_ts.clone()),
        });
        let answer = e
            .wait_for(WAIT, |r| r.method == "response_url")
            .expect("the press is answered");
        if n == 2 {
            assert!(
                shown(&answer.body).contains("waitlist"),
                "{:#}",
                answer.body
            );
        }
        assert_eq!(answer.body["response_type"], "ephemeral");
    }
    e.wait_for(WAIT, |r| {
        r.method == "chat.update" && r.body["ts"] == call_ts.as_str()
    })
    .expect("the call post shows the new count");
    let roster = acked(e, &e.slash(slash("/volunteer", "roster v1", ORGANIZER)));
    let roster = shown(&roster);
    assert!(
        roster.contains("onsite (2/2)") && roster.contains("UVOL1") && roster.contains("UVOL2"),
        "{roster}"
    );
}

#[test]
fn organizers_named_by_user_group_may_announce_and_others_may_not() {
    let run = start();
    let e = &run.emulator;
    let text = "title: Cloud Club meetup start: 2030-12-06 19:00";
    let denied = acked(e, &e.slash(slash("/announce", text, MEMBER)));
    assert!(shown(&denied).contains("organizers"), "{denied:#}");
    acked(e, &e.slash(slash("/announce", text, GROUP_ORGANIZER)));
    let post = e
        .wait_for(WAIT, posted_to(ANNOUNCEMENTS))
        .expect("the group organizer's announcement is posted");
    assert!(shown(&post.body).contains("Cloud Club meetup"));
    // The member's attempt was answered before the organizer's was sent.
    assert_eq!(
        e.requests()
            .iter()
            .filter(|r| posted_to(ANNOUNCEMENTS)(r))
            .count(),
        1,
        "a member's announcement is not posted"
    );
}

#[test]
fn one_process_serves_discord_and_slack_on_one_store() {
    use tests::discord::{DiscordEmulator, Msg as DiscordMsg};
    const DISCORD_ORGANIZER: u64 = 501;
    let sl = SlackEmulator::start();
    let discord = DiscordEmulator::start();
    let speakers = sl.add_usergroup("speakers", &["UOLDSPEAKER"]);
    let bot = crate::bot();
    bot.config(&format!(
        "{}\n[permissions.discord]\norganizers = [\"{DISCORD_ORGANIZER}\"]\n\n[discord]\napi_base_url = \"{}\"\ngateway_url = \"{}\"\n",
        config(&sl, &speakers, ""),
        discord.base_url(),
        discord.gateway_url()
    ));
    let mut child = bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
        ("DISCORD_TOKEN", "emulated-token"),
    ]);
    assert!(sl.wait_connected(Duration::from_secs(30)), "Slack");
    assert!(discord.wait_ready(Duration::from_secs(30)), "Discord");

    // An event announced on Discord is listed on Slack: one store behind both.
    let dm = discord.dm_channel(DISCORD_ORGANIZER);
    discord.message(DiscordMsg {
        channel_id: dm,
        guild_id: None,
        author_id: DISCORD_ORGANIZER,
        author_name: "org".into(),
        content: "/announce title: Both-platforms night start: 2030-12-07 19:00".into(),
        mentions_bot: false,
        reply_to: None,
    });
    discord
        .wait_for(WAIT, |r| {
            r.method == "POST" && r.path == format!("/channels/{dm}/messages")
        })
        .expect("the Discord organizer is answered");
    let events = acked(&sl, &sl.slash(slash("/events", "", MEMBER)));
    assert!(
        shown(&events).contains("Both-platforms night"),
        "{events:#}"
    );
    // And each platform still answers questions.
    sl.message(Msg {
        channel: "DMEMBER".into(),
        user: MEMBER.into(),
        text: "how many heroes are there".into(),
        channel_type: Some("im".into()),
        ..Msg::default()
    });
    let answer = sl
        .wait_for(WAIT, |r| {
            r.method == "chat.postMessage" && r.body["channel"] == "DMEMBER"
        })
        .expect("Slack answers");
    assert!(shown(&answer.body).contains("238"));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_slow_slash_command_is_acknowledged_in_time_and_answered_by_its_response_url() {
    let run = start();
    let e = &run.emulator;
    // Slack is slow to say who the member is: the answer cannot make the acknowledgement.
    e.delay_next("users.info", 1, Duration::from_millis(2000));
    let envelope = e.slash(slash("/badges", "", "USLOW"));
    let ack = e.ack(&envelope, WAIT).expect("acknowledged");
    let users_info = |r: &Request| r.method == "users.info" && r.body["user"] == "USLOW";
    assert!(
        !e.requests().iter().any(users_info),
        "acknowledged before users.info answered"
    );
    assert_eq!(ack["payload"]["response_type"], "ephemeral", "{ack:#}");
    let answer = e
        .wait_for(WAIT, |r| r.method == "response_url")
        .expect("the answer follows by the response URL");
    let log = e.requests();
    let answered = log.iter().position(users_info);
    let followed = log.iter().position(|r| r.method == "response_url");
    assert!(
        answered.is_some() && answered < followed,
        "after users.info answered"
    );
    assert!(
        shown(&answer.body).contains("No badges yet"),
        "{:#}",
        answer.body
    );
}

#[test]
fn channel_pings_in_questions_are_never_echoed_as_pings() {
    let run = start();
    let e = &run.emulator;
    e.message(Msg {
        channel: "DMEMBER".into(),
        user: MEMBER.into(),
        text: "<!channel> <!subteam^S999> what is the airspeed of a laden swallow?".into(),
        channel_type: Some("im".into()),
        ..Msg::default()
    });
    let answer = e
        .wait_for(WAIT, |r| r.method == "chat.postMessage")
        .expect("an answer to the direct message");
    let raw = serde_json::to_string(&answer.body).unwrap();
    assert!(
        !raw.contains("<!channel>") && !raw.contains("<!subteam^S999>"),
        "{raw}"
    );
    // The declined question shows in the admins' gaps report, escaped.
    let gaps = acked(e, &e.slash(slash("/kb", "gaps", ADMIN)));
    let raw = serde_json::to_string(&gaps).unwrap();
    assert!(raw.contains("airspeed"), "{raw}");
    assert!(
        raw.contains("&lt;!channel&gt;") && !raw.contains("<!channel>"),
        "{raw}"
    );
}

#[test]
fn after_the_socket_drops_the_bot_reconnects_and_keeps_answering() {
    let run = start();
    let e = &run.emulator;
    let before = e.connections();
    e.drop_connections();
    assert!(
        tests::discord::poll_until(Duration::from_secs(20), || e.connections() > before
            && e.open_sockets() > 0),
        "the bot reconnects"
    );
    e.message(Msg {
        channel: "DMEMBER".into(),
        user: MEMBER.into(),
        text: "how many heroes are there".into(),
        channel_type: Some("im".into()),
        ..Msg::default()
    });
    let answer = e
        .wait_for(Duration::from_secs(20), |r| r.method == "chat.postMessage")
        .expect("answered after the reconnect");
    assert!(shown(&answer.body).contains("238"), "{:#}", answer.body);

    // Slack asking for a refresh is handled the same way.
    let before = e.connections();
    e.request_refresh();
    assert!(
        tests::discord::poll_until(Duration::from_secs(20), || e.connections() > before
            && e.open_sockets() > 0),
        "the bot reconnects after a refresh request"
    );
}

#[test]
fn a_rate_limited_answer_is_retried_after_retry_after() {
    let run = start();
    let e = &run.emulator;
    e.rate_limit_next("chat.postMessage", 1);
    e.message(Msg {
        channel: "DMEMBER".into(),
        user: MEMBER.into(),
        text: "how many heroes are there".into(),
        channel_type: Some("im".into()),
        ..Msg::default()
    });
    let first = e
        .wait_for(WAIT, |r| r.method == "chat.postMessage")
        .expect("a first attempt");
    assert_eq!(first.status, 429);
    // The emulator, like Slack, refuses the method again until Retry-After has passed.
    let second = e
        .wait_for(WAIT, |r| r.method == "chat.postMessage")
        .expect("a retry");
    assert_eq!(second.status, 200, "the retry waits for Retry-After");
    assert_eq!(e.messages("DMEMBER").len(), 1, "answered once");
}

/// A free local port for the HTTP listener.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn signed_http_slash_commands_are_answered_and_forgeries_are_not() {
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    let emulator = SlackEmulator::start();
    let speakers = emulator.add_usergroup("speakers", &["UOLDSPEAKER"]);
    let port = free_port();
    let bot = crate::bot().listening_on(format!("127.0.0.1:{port}"));
    bot.config(&config(&emulator, &speakers, ""));
    let mut child = bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_SIGNING_SECRET", SECRET),
    ]);
    let base = format!("http://127.0.0.1:{port}");
    let up = tests::discord::poll_until(Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(up, "the HTTP listener never came up");

    let form = slack::slash_form(
        &slash("/badge", &format!("grant <@{MEMBER}|mia> speaker"), ADMIN),
        &emulator.response_url(1),
    );
    // A POST to the bot as Slack makes it: signed with `signature` at time `ts`.
    let post = |path: &str, content_type: &str, body: &str, ts: i64, signature: String| {
        slack::post(
            &format!("{base}{path}"),
            &[
                ("X-Slack-Request-Timestamp", ts.to_string()),
                ("X-Slack-Signature", signature),
            ],
            content_type,
            body,
        )
    };
    let now = slack::now_unix();
    let signed = |path: &str, content_type: &str, body: &str| {
        post(
            path,
            content_type,
            body,
            now,
            slack::sign(SECRET, now, body),
        )
    };
    const FORM: &str = "application/x-www-form-urlencoded";
    let send = |ts: i64, signature: String| post("/slack/commands", FORM, &form, ts, signature);

    // A wrong signature and a ten-minute-old one are refused, and nothing runs.
    let (status, _) = send(now, slack::sign("not-the-secret", now, &form));
    assert_eq!(status, 401, "a wrong signature is refused");
    let old = now - 600;
    let (status, _) = send(old, slack::sign(SECRET, old, &form));
    assert_eq!(status, 401, "a stale timestamp is refused");
    assert_eq!(emulator.usergroup_members(&speakers), ["UOLDSPEAKER"]);

    // A correctly signed one is answered in the HTTP response.
    let (status, body) = send(now, slack::sign(SECRET, now, &form));
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("a JSON answer");
    assert!(shown(&answer).contains("Speaker"), "{answer:#}");
    emulator
        .wait_for(WAIT, |r| r.method == "usergroups.users.update")
        .expect("the user group is updated");
    // The forgeries were refused before this was sent: had one run, its call would be here.
    assert_eq!(
        emulator
            .requests()
            .iter()
            .filter(|r| r.method == "usergroups.users.update")
            .count(),
        1,
        "nothing ran"
    );

    // A signed button press: a related-topic button asks its question.
    let press = slack::interaction_form(&emulator.press_payload(Press {
        action_id: "ask:how many heroes are there".into(),
        user: MEMBER.into(),
        user_name: "mia".into(),
        channel: GENERAL.into(),
        ..Press::default()
    }));
    let (status, _) = signed("/slack/interactions", FORM, &press);
    assert_eq!(status, 200);
    let answer = emulator
        .wait_for(WAIT, |r| r.method == "response_url")
        .expect("the press is answered by its response URL");
    assert!(shown(&answer.body).contains("238"), "{:#}", answer.body);

    // Events: the URL check, and a signed question answered by chat.postMessage.
    let challenge = r#"{"token":"t","challenge":"c-123","type":"url_verification"}"#;
    let (status, body) = signed("/slack/events", "application/json", challenge);
    assert_eq!(status, 200);
    assert!(body.contains("c-123"), "{body}");
    let event = emulator
        .message_payload(Msg {
            channel: "DMEMBER".into(),
            user: MEMBER.into(),
            text: "Quantos AWS Heroes existem?".into(),
            channel_type: Some("im".into()),
            ..Msg::default()
        })
        .to_string();
    let (status, _) = signed("/slack/events", "application/json", &event);
    assert_eq!(status, 200);
    let answer = emulator
        .wait_for(WAIT, |r| r.method == "chat.postMessage")
        .expect("the event is answered");
    assert!(shown(&answer.body).contains("238"), "{:#}", answer.body);

    let _ = child.kill();
    let _ = child.wait();
}
