//! The member journey through the real `bot serve` and the emulators: a member joins and
//! gets the welcome by direct message in their language, picks a group and gets its role;
//! a question handed to people lands in the help desk in a thread the member is in, and
//! what a helper answers there shows in `kb gaps`.

use std::process::Child;
use std::time::Duration;

use serde_json::{json, Value};
use tests::discord::{self, poll_until, DiscordEmulator, Msg, GUILD_ID};
use tests::slack::{self, SlackEmulator};

const WAIT: Duration = Duration::from_secs(10);

struct Running<E> {
    emulator: E,
    child: Child,
    _bot: tests::Bot,
}

impl<E> Drop for Running<E> {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// -- Terminal ---------------------------------------------------------------------------------

#[test]
fn terminal_join_simulates_the_welcome_and_json_says_what_changed() {
    let bot = crate::bot();
    bot.config(&format!(
        r#"{}
[welcome]
enabled = true

[[welcome.groups]]
id = "recife"
name = {{ en = "Recife", zh = "累西腓", pt = "Recife" }}

[[program_calendar]]
id = "cb-applications"
title = "Community Builder applications open"
date = "01-15"
link = "https://aws.amazon.com/developer/community/community-builders/"
"#,
        tests::COMMUNITY_CONFIG
    ));
    let replies = bot.chat_json(
        "nova",
        &[
            "/join",
            "/join",
            "/press group:recife",
            "/press group:recife",
            "/calendar programs",
        ],
    );
    let welcome = &replies[0];
    assert_eq!(welcome["destination"]["kind"], "direct", "{welcome:#}");
    assert_eq!(welcome["destination"]["user"], "nova", "{welcome:#}");
    assert!(
        welcome["buttons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["id"] == "group:recife"),
        "{welcome:#}"
    );
    assert!(
        replies[1]["text"]
            .as_str()
            .unwrap()
            .contains("less than a day ago"),
        "{:#}",
        replies[1]
    );
    assert_eq!(replies[2]["changed"], true, "{:#}", replies[2]);
    assert_eq!(replies[3]["changed"], false, "{:#}", replies[3]);
    let calendar = replies[4]["text"].as_str().unwrap();
    assert!(
        calendar.contains("Community Builder applications open"),
        "{calendar}"
    );
    assert_eq!(replies[4]["changed"], false);
}

// -- Discord ----------------------------------------------------------------------------------

const D_ADMIN: u64 = 600;
const D_MEMBER: u64 = 602;
const D_HELPER: u64 = 603;

struct DiscordPlaces {
    welcome: u64,
    help_desk: u64,
    recife: u64,
    helpers: u64,
}

fn start_discord() -> (Running<DiscordEmulator>, DiscordPlaces) {
    let emulator = DiscordEmulator::start();
    // Discord tells a bot nothing of a new member's language: the server's is used.
    emulator.set_guild_locale("pt-BR");
    let places = DiscordPlaces {
        welcome: emulator.add_channel("welcome"),
        help_desk: emulator.add_channel("help-desk"),
        recife: emulator.add_role("Recife", 0),
        helpers: emulator.add_role("Helpers", 0),
    };
    let bot = crate::bot();
    bot.config(&format!(
        r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.discord]
admins = ["{D_ADMIN}"]

[discord]
api_base_url = "{}"
gateway_url = "{}"
welcome_channel = "{}"
help_desk_channel = "{}"
helper_roles = ["{}"]

[welcome]
enabled = true

[[welcome.groups]]
id = "recife"
name = "Recife"
discord_role = "{}"
"#,
        emulator.base_url(),
        emulator.gateway_url(),
        places.welcome,
        places.help_desk,
        places.helpers,
        places.recife,
    ));
    let child = bot.serve(&[("DISCORD_TOKEN", "emulated-token")]);
    assert!(
        emulator.wait_ready(Duration::from_secs(30)),
        "the bot never connected"
    );
    (
        Running {
            emulator,
            child,
            _bot: bot,
        },
        places,
    )
}

fn posted_to(channel: u64) -> impl Fn(&discord::Request) -> bool {
    move |r: &discord::Request| {
        r.method == "POST" && r.path == format!("/channels/{channel}/messages")
    }
}

/// What a member reads in a Discord message: content, embed title, description and fields.
fn discord_text(body: &Value) -> String {
    let data = if body["data"].is_object() {
        &body["data"]
    } else {
        body
    };
    let mut text = data["content"].as_str().unwrap_or("").to_string();
    for e in data["embeds"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            " {} {}",
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

fn discord_buttons(body: &Value) -> Vec<String> {
    let data = if body["data"].is_object() {
        &body["data"]
    } else {
        body
    };
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn discord_press(custom_id: &str, user: u64, channel: u64) -> discord::Press {
    discord::Press {
        custom_id: custom_id.into(),
        user_id: user,
        user_name: format!("user{user}"),
        locale: "pt-BR".into(),
        channel_id: channel,
        guild_id: None,
        ..discord::Press::default()
    }
}

#[test]
fn discord_a_member_who_joins_is_welcomed_in_portuguese_and_gets_the_group_role() {
    let (run, places) = start_discord();
    let e = &run.emulator;
    assert_ne!(
        e.last_intents().unwrap_or(0) & discord::intents::GUILD_MEMBERS,
        0,
        "with the welcome on, the bot asks for the Server Members intent"
    );
    e.member_joins(D_MEMBER, "nova");
    let dm = e.dm_channel(D_MEMBER);
    let welcome = e.wait_for(WAIT, posted_to(dm)).expect("a welcome DM");
    let text = discord_text(&welcome.body);
    assert!(text.contains("Boas-vindas à comunidade"), "{text}");
    assert!(text.contains("Onde você está na trilha"), "{text}");
    let buttons = discord_buttons(&welcome.body);
    for id in ["lang:en", "lang:zh", "lang:pt", "group:recife"] {
        assert!(buttons.iter().any(|b| b == id), "{id} in {buttons:?}");
    }
    let line = e
        .wait_for(WAIT, posted_to(places.welcome))
        .expect("a public welcome line");
    assert!(
        discord_text(&line.body).contains(&format!("<@{D_MEMBER}>")),
        "{:#}",
        line.body
    );
    assert_eq!(
        line.body["allowed_mentions"]["users"],
        json!([D_MEMBER.to_string()]),
        "pings the newcomer only: {:#}",
        line.body
    );

    // The group button gives the group's role.
    e.press(discord_press("group:recife", D_MEMBER, dm));
    e.wait_for(WAIT, |r| {
        r.method == "PUT"
            && r.path
                == format!(
                    "/guilds/{GUILD_ID}/members/{D_MEMBER}/roles/{}",
                    places.recife
                )
    })
    .expect("the group's role is given");
    assert!(
        poll_until(WAIT, || e.member_roles(D_MEMBER).contains(&places.recife)),
        "the member holds the role"
    );
}

#[test]
fn discord_a_question_is_handed_to_people_in_a_help_desk_thread() {
    let (run, places) = start_discord();
    let e = &run.emulator;
    let dm = e.dm_channel(D_MEMBER);
    e.message(Msg {
        channel_id: dm,
        guild_id: None,
        author_id: D_MEMBER,
        author_name: "nova".into(),
        content: "Who won the chess world cup in 1950?".into(),
        mentions_bot: false,
        reply_to: None,
    });
    let answer = e.wait_for(WAIT, posted_to(dm)).expect("an answer");
    let handoff = discord_buttons(&answer.body)
        .into_iter()
        .find(|b| b.starts_with("handoff:"))
        .expect("a decline carries \"Still need help?\"");
    let press = e.press(discord::Press {
        locale: "en-US".into(),
        ..discord_press(&handoff, D_MEMBER, dm)
    });
    let confirm = e
        .wait_for(WAIT, |r| {
            r.method == "POST" && r.path.starts_with(&format!("/interactions/{press}/"))
        })
        .expect("the press is answered");
    assert!(
        discord_text(&confirm.body).contains("handed your question"),
        "{:#}",
        confirm.body
    );
    let root = e
        .wait_for(WAIT, posted_to(places.help_desk))
        .expect("the question in the help desk");
    let text = discord_text(&root.body);
    assert!(text.contains("chess world cup"), "{text}");
    assert!(text.contains(&format!("<@&{}>", places.helpers)), "{text}");
    assert_eq!(
        root.body["allowed_mentions"]["roles"],
        json!([places.helpers.to_string()]),
        "pings the helpers: {:#}",
        root.body
    );
    let thread = e
        .wait_for(WAIT, |r| {
            r.method == "POST"
                && r.path
                    .starts_with(&format!("/channels/{}/messages/", places.help_desk))
                && r.path.ends_with("/threads")
        })
        .expect("a thread on it");
    let thread_id: u64 = thread.path.split('/').nth(4).unwrap().parse().unwrap();
    assert!(
        poll_until(WAIT, || e.thread_members(thread_id) == [D_MEMBER]),
        "the member is added to the thread"
    );
    e.wait_for(WAIT, posted_to(thread_id))
        .expect("a word to the member in the thread");

    // A helper answers in the thread; `kb gaps` shows it beside the question.
    e.message(Msg {
        channel_id: thread_id,
        guild_id: Some(GUILD_ID),
        author_id: D_HELPER,
        author_name: "helper".into(),
        content: "Chess has no world cup like that; the 1950 World Cup was football.".into(),
        mentions_bot: false,
        reply_to: None,
    });
    let gaps = || {
        let id = e.slash(discord::Slash {
            name: "kb".into(),
            options: json!([{ "name": "gaps", "type": 1, "options": [] }]),
            user_id: D_ADMIN,
            user_name: "admin".into(),
            locale: "en-US".into(),
            ..discord::Slash::default()
        });
        let r = e
            .wait_for(WAIT, |r| {
                r.method == "POST" && r.path.starts_with(&format!("/interactions/{id}/"))
            })
            .expect("kb gaps answers");
        discord_text(&r.body)
    };
    assert!(
        poll_until(WAIT, || gaps().contains("1950 World Cup was football")),
        "the helper's answer in kb gaps: {}",
        gaps()
    );
    assert!(gaps().contains("handed over"), "{}", gaps());
}

// -- Slack ------------------------------------------------------------------------------------

const S_ADMIN: &str = "UADMIN";
const S_MEMBER: &str = "UNOVA";
const S_HELPER: &str = "UHELPER";
const HELP_DESK: &str = "CHELPDESK";
const WELCOME: &str = "CWELCOME";

fn start_slack() -> (Running<SlackEmulator>, String) {
    let emulator = SlackEmulator::start();
    let recife = emulator.add_usergroup("recife", &[]);
    let helpers = emulator.add_usergroup("helpers", &[S_HELPER]);
    let bot = crate::bot();
    bot.config(&format!(
        r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.slack]
admins = ["{S_ADMIN}"]

[slack]
api_base_url = "{}"
socket_connections = 1
questions_per_minute = 100
welcome_channel = "{WELCOME}"
help_desk_channel = "{HELP_DESK}"
helper_roles = ["{helpers}"]

[welcome]
enabled = true

[[welcome.groups]]
id = "recife"
name = {{ en = "Recife", zh = "累西腓", pt = "Recife" }}
slack_group = "{recife}"
"#,
        emulator.api_url()
    ));
    let child = bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]);
    assert!(
        emulator.wait_connected(Duration::from_secs(30)),
        "the bot never opened a socket"
    );
    (
        Running {
            emulator,
            child,
            _bot: bot,
        },
        recife,
    )
}

/// Everything a member reads in a Slack message: the fallback text and its blocks' texts.
fn slack_text(body: &Value) -> String {
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

fn slack_buttons(body: &Value) -> Vec<String> {
    body["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["action_id"].as_str().map(str::to_string))
        .collect()
}

fn slack_posted_to(channel: String) -> impl Fn(&slack::Request) -> bool {
    move |r: &slack::Request| {
        r.method == "chat.postMessage" && r.body["channel"] == channel.as_str()
    }
}

#[test]
fn slack_a_member_who_joins_is_welcomed_in_their_locale_and_joins_the_group() {
    let (run, recife) = start_slack();
    let e = &run.emulator;
    e.member_joins(S_MEMBER, "nova", "zh-CN");
    let welcome = e
        .wait_for(WAIT, |r| {
            r.method == "chat.postMessage" && slack_text(&r.body).contains("欢迎加入社区")
        })
        .expect("a welcome DM in Chinese");
    let channel = welcome.body["channel"].as_str().unwrap_or("").to_string();
    assert!(
        channel == S_MEMBER || channel == slack::dm_channel(S_MEMBER),
        "a direct message: {channel}"
    );
    let buttons = slack_buttons(&welcome.body);
    assert!(buttons.iter().any(|b| b == "group:recife"), "{buttons:?}");
    let line = e
        .wait_for(WAIT, slack_posted_to(WELCOME.into()))
        .expect("a public welcome line");
    assert!(
        slack_text(&line.body).contains(&format!("<@{S_MEMBER}>")),
        "{:#}",
        line.body
    );

    e.press(slack::Press {
        action_id: "group:recife".into(),
        user: S_MEMBER.into(),
        user_name: "nova".into(),
        channel: slack::dm_channel(S_MEMBER),
        ..slack::Press::default()
    });
    assert!(
        poll_until(WAIT, || e
            .usergroup_members(&recife)
            .contains(&S_MEMBER.to_string())),
        "the member joins the group's user group: {:?}",
        e.usergroup_members(&recife)
    );
}

#[test]
fn slack_a_question_is_handed_to_people_in_a_help_desk_thread() {
    let (run, _) = start_slack();
    let e = &run.emulator;
    let dm = slack::dm_channel(S_MEMBER);
    e.message(slack::Msg {
        channel: dm.clone(),
        user: S_MEMBER.into(),
        text: "Who won the chess world cup in 1950?".into(),
        channel_type: Some("im".into()),
        ..slack::Msg::default()
    });
    let answer = e
        .wait_for(WAIT, slack_posted_to(dm.clone()))
        .expect("an answer");
    let handoff = slack_buttons(&answer.body)
        .into_iter()
        .find(|b| b.starts_with("handoff:"))
        .expect("a decline carries \"Still need help?\"");
    e.press(slack::Press {
        action_id: handoff,
        user: S_MEMBER.into(),
        user_name: "nova".into(),
        channel: dm,
        ..slack::Press::default()
    });
    let root = e
        .wait_for(WAIT, slack_posted_to(HELP_DESK.into()))
        .expect("the question in the help desk");
    assert!(
        slack_text(&root.body).contains("chess world cup"),
        "{:#}",
        root.body
    );
    assert!(
        slack_text(&root.body).contains("<!subteam^"),
        "the helpers are mentioned: {:#}",
        root.body
    );
    let ts = root.response["ts"].as_str().expect("posted").to_string();
    assert!(
        poll_until(WAIT, || e.invited(HELP_DESK) == [S_MEMBER]),
        "the member is brought into the help desk: {:?}",
        e.invited(HELP_DESK)
    );
    e.wait_for(WAIT, |r| {
        r.method == "chat.postMessage"
            && r.body["channel"] == HELP_DESK
            && r.body["thread_ts"] == ts.as_str()
    })
    .expect("a word to the member in the thread");

    // A helper answers in the thread; `kb gaps` shows it beside the question.
    e.message(slack::Msg {
        channel: HELP_DESK.into(),
        user: S_HELPER.into(),
        text: "Chess has no world cup like that; the 1950 World Cup was football.".into(),
        thread_ts: Some(ts),
        ..slack::Msg::default()
    });
    let gaps = || {
        let envelope = e.slash(slack::Slash {
            command: "/kb".into(),
            text: "gaps".into(),
            user: S_ADMIN.into(),
            user_name: "admin".into(),
            channel: slack::GENERAL.into(),
            channel_name: "general".into(),
        });
        let ack = e.ack(&envelope, WAIT).expect("kb gaps is acknowledged");
        slack_text(&ack["payload"])
    };
    assert!(
        poll_until(WAIT, || gaps().contains("1950 World Cup was football")),
        "the helper's answer in kb gaps: {}",
        gaps()
    );
}

// -- Both -------------------------------------------------------------------------------------

/// One process serving both platforms: a member links their Slack and Discord accounts,
/// and a badge granted on Discord reaches their Slack user group.
#[test]
fn one_member_on_both_platforms_gets_badges_on_both() {
    let discord = DiscordEmulator::start();
    let slack = SlackEmulator::start();
    let speakers = slack.add_usergroup("speakers", &["UOLDSPEAKER"]);
    let speaker_role = discord.add_role("Speaker", 0);
    let bot = crate::bot();
    bot.config(&format!(
        r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.discord]
admins = ["{D_ADMIN}"]

[discord]
api_base_url = "{}"
gateway_url = "{}"
badge_roles = {{ speaker = "{speaker_role}" }}

[slack]
api_base_url = "{}"
socket_connections = 1
questions_per_minute = 100
badge_groups = {{ speaker = "{speakers}" }}
"#,
        discord.base_url(),
        discord.gateway_url(),
        slack.api_url()
    ));
    let child = bot.serve(&[
        ("DISCORD_TOKEN", "emulated-token"),
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]);
    let run = Running {
        emulator: (),
        child,
        _bot: bot,
    };
    assert!(discord.wait_ready(Duration::from_secs(30)), "no Discord");
    assert!(
        slack.wait_connected(Duration::from_secs(30)),
        "no Slack socket"
    );

    // `/link` on Slack gives the code; sent from Discord, it links the two.
    let envelope = slack.slash(slack::Slash {
        command: "/link".into(),
        text: String::new(),
        user: S_MEMBER.into(),
        user_name: "nova".into(),
        channel: slack::GENERAL.into(),
        channel_name: "general".into(),
    });
    let ack = slack.ack(&envelope, WAIT).expect("/link is acknowledged");
    let text = slack_text(&ack["payload"]);
    let at = text.find("`link ").expect("what to send") + "`link ".len();
    let code: String = text[at..].chars().take(7).collect();
    let dm = discord.dm_channel(D_MEMBER);
    discord.message(Msg {
        channel_id: dm,
        guild_id: None,
        author_id: D_MEMBER,
        author_name: "nova".into(),
        content: format!("link {code}"),
        mentions_bot: false,
        reply_to: None,
    });
    let linked = discord.wait_for(WAIT, posted_to(dm)).expect("an answer");
    assert!(
        discord_text(&linked.body).contains("one member now"),
        "{:#}",
        linked.body
    );
    slack
        .wait_for(WAIT, |r| {
            r.method == "chat.postMessage" && slack_text(&r.body).contains("now linked with")
        })
        .expect("the Slack account hears of the link");

    // Granted on Discord: the Discord role, and the Slack user group of the same member.
    let id = discord.slash(discord::Slash {
        name: "badge".into(),
        options: json!([{ "name": "grant", "type": 1, "options": [
            { "name": "member", "type": 6, "value": D_MEMBER.to_string() },
            { "name": "badge", "type": 3, "value": "speaker" }
        ]}]),
        user_id: D_ADMIN,
        user_name: "admin".into(),
        locale: "en-US".into(),
        ..discord::Slash::default()
    });
    discord
        .wait_for(WAIT, |r| {
            r.method == "POST" && r.path.starts_with(&format!("/interactions/{id}/"))
        })
        .expect("the grant is answered");
    discord
        .wait_for(WAIT, |r| {
            r.method == "PUT"
                && r.path == format!("/guilds/{GUILD_ID}/members/{D_MEMBER}/roles/{speaker_role}")
        })
        .expect("the Discord role");
    assert!(
        poll_until(WAIT, || slack
            .usergroup_members(&speakers)
            .contains(&S_MEMBER.to_string())),
        "the Slack user group: {:?}",
        slack.usergroup_members(&speakers)
    );
    drop(run);
}
