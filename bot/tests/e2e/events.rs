//! Events members RSVP to, through the real binary: from the terminal's JSON interface, and
//! one announcement served on Discord and Slack at once, kept in step on both.

use serde_json::Value;
use tests::discord::poll_until;
use tests::COMMUNITY_CONFIG;

fn text(v: &Value) -> String {
    v["text"].as_str().unwrap_or_default().to_string()
}

/// The value of the field `name` in a reply, or "".
fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or("")
}

fn button_ids(v: &Value) -> Vec<String> {
    v["buttons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| b["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A start `hours` from now, as people write it with a zone: `2026-12-01 14:20 UTC`.
fn hours_from_now(hours: i64) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours);
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

#[test]
fn members_rsvp_the_waitlist_gets_the_freed_place_and_the_door_checks_them_in() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    // Check-in opens up to a day ahead: the event starts in two hours.
    let announce = format!(
        "/announce title: Door night start: {} capacity: 2",
        hours_from_now(2)
    );
    let r = bot.chat_json(
        "olga",
        &[
            &announce,
            "/as mia",
            "/press rsvp:yes:e1",
            "/as leo",
            "/rsvp e1",
            "/as ana",
            "/press rsvp:yes:e1",
            "/as mia",
            "/rsvp e1 no",
            "/as ana",
            "/press rsvp:take:e1",
            "/as olga",
            "event checkin e1",
        ],
    );
    assert_eq!(r[0]["ok"], true, "{:#}", r[0]);
    let post = &r[0]["also"][0];
    assert_eq!(post["destination"]["kind"], "announcements");
    assert_eq!(field(post, "Going"), "0/2", "{post:#}");
    assert_eq!(
        button_ids(post),
        ["rsvp:yes:e1", "rsvp:no:e1", "ics:e1"],
        "Going / Not going on the post"
    );
    assert!(text(&r[2]).contains("You are going"), "{:#}", r[2]);
    // Every answer brings the post up to date.
    let update = &r[4]["also"][0];
    assert_eq!(update["destination"]["kind"], "update");
    assert_eq!(update["destination"]["key"], "event:e1");
    assert_eq!(field(update, "Going"), "2/2");
    // Full: the third member waits, and is told their place.
    assert!(
        text(&r[6]).contains("number 1 on its waitlist"),
        "{:#}",
        r[6]
    );
    assert_eq!(field(&r[6]["also"][0], "Going"), "2/2, 1 waiting");
    // Mia cannot come: the place is offered to Ana by direct message, with a deadline and
    // buttons to take or leave it.
    let also = r[8]["also"].as_array().unwrap();
    let offer = also
        .iter()
        .find(|a| a["destination"]["kind"] == "direct")
        .unwrap_or_else(|| panic!("an offer: {:#}", r[8]));
    assert_eq!(offer["destination"]["user"], "ana");
    assert!(text(offer).contains("A place opened"), "{offer:#}");
    assert_eq!(button_ids(offer), ["rsvp:take:e1", "rsvp:leave:e1"]);
    assert_eq!(r[10]["ok"], true, "{:#}", r[10]);
    assert!(text(&r[10]).contains("going"), "{:#}", r[10]);

    // The organizer opens check-in: a short code and its QR code as a PNG.
    let checkin = &r[12];
    assert_eq!(checkin["ok"], true, "{checkin:#}");
    let code = field(checkin, "Code").trim_matches('`').to_string();
    assert_eq!(code.len(), 6, "{checkin:#}");
    let png = &checkin["attachment"];
    assert_eq!(png["content_type"], "image/png");
    assert_eq!(png["encoding"], "base64");
    assert!(
        png["body"].as_str().unwrap().starts_with("iVBORw0KGgo"),
        "the PNG signature"
    );

    // At the door, in another process: a wrong code changes nothing and says what to type;
    // the right one checks Ana in, and the organizer marks Leo present.
    let checkin_line = format!("/checkin {}", code.to_lowercase());
    let r = bot.chat_json("ana", &["/checkin ZZZZZZ", &checkin_line, "badges"]);
    assert_eq!(r[0]["ok"], false);
    assert_eq!(r[0]["error"], "bad_code");
    assert!(text(&r[0]).contains("checkin K7Q2XM"), "{:#}", r[0]);
    assert_eq!(r[1]["ok"], true, "{:#}", r[1]);
    assert_eq!(field(&r[2], "Events attended"), "1", "{:#}", r[2]);
    let r = bot.chat_json("olga", &["event present e1 @leo", "event attendees e1"]);
    assert_eq!(r[0]["ok"], true, "{:#}", r[0]);
    let lists = r[1]["fields"].to_string();
    assert!(
        lists.contains("Going (2/2)") && lists.contains("Checked in (2)"),
        "{lists}"
    );
    assert!(lists.contains("@ana") && lists.contains("@leo"), "{lists}");
}

#[test]
fn dates_as_people_write_them_and_clear_refusals_in_three_languages() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    let r = bot.chat_json(
        "olga",
        &[
            "/anunciar título: Noite de amanhã início: amanhã 19h",
            "发布活动 标题: 晚会 开始时间: 明天晚上7点",
            "/announce title: Late night start: 05/12/2030 22:00 end: 01:00 capacity: 30",
            "/participar e99",
            "/签到 XXXX",
            "/rsvp e3 maybe",
            "/announce title: Soon start: the day after never",
            "events",
        ],
    );
    // "amanhã 19h" and "明天晚上7点" are tomorrow at 19:00 in the community's zone.
    let pt = field(&r[0]["also"][0], "Quando").to_string();
    let zh = field(&r[1]["also"][0], "时间").to_string();
    assert!(pt.ends_with("19:00 -03"), "{:#}", r[0]);
    assert!(zh.ends_with("19:00 -03"), "{:#}", r[1]);
    // Day and month could be either way round: the reply says which it took, and how to
    // write the other; an end before the start is the next day.
    assert!(
        text(&r[2]).contains("(day first)") && text(&r[2]).contains("2030-05-12"),
        "{:#}",
        r[2]
    );
    assert_eq!(
        field(&r[2]["also"][0], "When"),
        "Thu 5 Dec 2030, 22:00 -03 – Fri 6 Dec 2030, 01:00 -03"
    );
    // Refusals in the language of the command, each saying what to type instead.
    assert_eq!(r[3]["error"], "not_found");
    assert!(text(&r[3]).contains("`eventos`"), "{:#}", r[3]);
    assert_eq!(r[4]["error"], "bad_code");
    assert!(text(&r[4]).contains("签到码"), "{:#}", r[4]);
    assert_eq!(r[5]["error"], "usage");
    assert!(text(&r[5]).contains("`rsvp EVENT [yes|no]`"), "{:#}", r[5]);
    assert_eq!(r[6]["error"], "bad_date");
    assert!(text(&r[6]).contains("\"tomorrow 19:00\""), "{:#}", r[6]);
    assert_eq!(r[6]["also"], Value::Array(vec![]), "nothing is posted");
    // Nothing refused was made or changed: three events, nobody going to any.
    let listed = r[7].to_string();
    assert!(
        listed.contains("Late night") && !listed.contains("Soon") && !listed.contains("e4"),
        "{listed}"
    );
    let r = bot.chat_json("olga", &["event attendees e3"]);
    assert!(
        r[0]["fields"].to_string().contains("Going (0/30)"),
        "{:#}",
        r[0]
    );
}

/// One `bot serve` on Discord and Slack at once, each with its announcement channel, and
/// Discord's scheduled events on.
mod both {
    use std::process::Child;
    use std::time::Duration;

    use serde_json::Value;
    use tests::discord::{self, poll_until, DiscordEmulator, Press as DiscordPress};
    use tests::slack::{self, Press as SlackPress, Request, SlackEmulator, Slash};

    use crate::discord::embed_text;
    use crate::slack::{acked, shown};

    pub const DISCORD_ORGANIZER: u64 = 501;
    pub const DISCORD_MEMBER: u64 = 502;
    pub const SLACK_ORGANIZER: &str = "UORG";
    pub const SLACK_MEMBER: &str = "UMEMBER";
    pub const SLACK_ANNOUNCEMENTS: &str = "CANNOUNCE";
    pub const WAIT: Duration = Duration::from_secs(10);

    pub struct Both {
        pub discord: DiscordEmulator,
        pub slack: SlackEmulator,
        /// Discord's announcement channel.
        pub channel: u64,
        child: Child,
        _bot: tests::Bot,
    }

    impl Drop for Both {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    pub fn start() -> Both {
        let slack = SlackEmulator::start();
        let discord = DiscordEmulator::start();
        let channel = discord.add_channel("announcements");
        let bot = crate::bot();
        bot.config(&format!(
            r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.discord]
organizers = ["{DISCORD_ORGANIZER}"]

[permissions.slack]
organizers = ["{SLACK_ORGANIZER}"]

[discord]
api_base_url = "{}"
gateway_url = "{}"
announcements_channel = "{channel}"
scheduled_events = true

[slack]
api_base_url = "{}"
announcements_channel = "{SLACK_ANNOUNCEMENTS}"
socket_connections = 1
"#,
            discord.base_url(),
            discord.gateway_url(),
            slack.api_url(),
        ));
        let child = bot.serve(&[
            ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
            ("SLACK_APP_TOKEN", slack::APP_TOKEN),
            ("DISCORD_TOKEN", "emulated-token"),
        ]);
        assert!(slack.wait_connected(Duration::from_secs(30)), "Slack");
        assert!(discord.wait_ready(Duration::from_secs(30)), "Discord");
        Both {
            discord,
            slack,
            channel,
            child,
            _bot: bot,
        }
    }

    impl Both {
        /// The Discord organizer writes `line` to the bot directly; waits for the answer.
        pub fn discord_organizer(&self, line: &str) {
            let dm = self.discord.dm_channel(DISCORD_ORGANIZER);
            self.discord.message(discord::Msg {
                channel_id: dm,
                guild_id: None,
                author_id: DISCORD_ORGANIZER,
                author_name: "org".into(),
                content: line.into(),
                mentions_bot: false,
                reply_to: None,
            });
            self.discord
                .wait_for(WAIT, |r| {
                    r.method == "POST" && r.path == format!("/channels/{dm}/messages")
                })
                .expect("the Discord organizer is answered");
        }

        /// The Slack organizer runs `/command text`; the acknowledgement's payload.
        pub fn slack_organizer(&self, command: &str, text: &str) -> Value {
            acked(
                &self.slack,
                &self.slack.slash(Slash {
                    command: command.into(),
                    text: text.into(),
                    user: SLACK_ORGANIZER.into(),
                    user_name: "org".into(),
                    channel: "CGENERAL".into(),
                    channel_name: "general".into(),
                }),
            )
        }

        /// The Slack member presses `id` on the announcement post.
        pub fn slack_press(&self, id: &str) {
            self.slack.press(SlackPress {
                action_id: id.into(),
                user: SLACK_MEMBER.into(),
                user_name: "mia".into(),
                channel: SLACK_ANNOUNCEMENTS.into(),
                ..SlackPress::default()
            });
        }

        /// The Discord member presses `id` on the announcement post.
        pub fn discord_press(&self, id: &str) {
            self.discord.press(DiscordPress {
                custom_id: id.into(),
                user_id: DISCORD_MEMBER,
                user_name: "leo".into(),
                channel_id: self.channel,
                ..DiscordPress::default()
            });
        }

        /// The one announcement post in Discord's channel, as stored now (ephemeral
        /// answers to presses there are for their member only and left out).
        pub fn discord_post(&self) -> Value {
            let posts: Vec<Value> = self
                .discord
                .messages(self.channel)
                .into_iter()
                .filter(|m| m["flags"].as_u64().unwrap_or(0) & 64 == 0)
                .collect();
            assert!(posts.len() <= 1, "one post: {posts:#?}");
            posts.into_iter().next().unwrap_or(Value::Null)
        }

        /// The one announcement post in Slack's channel, as stored now.
        pub fn slack_post(&self) -> Value {
            let posts = self.slack.messages(SLACK_ANNOUNCEMENTS);
            assert!(posts.len() <= 1, "one post: {posts:#?}");
            posts.into_iter().next().unwrap_or(Value::Null)
        }

        /// Waits until both posts show `wanted`.
        pub fn both_show(&self, wanted: &str) {
            let ok = poll_until(WAIT, || {
                embed_text(&self.discord_post()).contains(wanted)
                    && shown(&self.slack_post()).contains(wanted)
            });
            assert!(
                ok,
                "both posts show {wanted:?}:\nDiscord: {}\nSlack: {}",
                embed_text(&self.discord_post()),
                shown(&self.slack_post())
            );
        }
    }

    /// The buttons on a Discord message, by custom id.
    pub fn discord_buttons(message: &Value) -> Vec<String> {
        message["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
            .collect()
    }

    /// The buttons on a Slack message, by action id.
    pub fn slack_buttons(message: &Value) -> Vec<String> {
        message["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["type"] == "actions")
            .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
            .filter_map(|e| e["action_id"].as_str().map(str::to_string))
            .collect()
    }

    pub fn posted_to_slack_announcements(r: &Request) -> bool {
        r.method == "chat.postMessage" && r.body["channel"] == SLACK_ANNOUNCEMENTS
    }
}

#[test]
fn an_announcement_made_on_discord_appears_on_slack_and_every_change_reaches_both() {
    let run = both::start();
    run.discord_organizer(
        "/announce title: Both-platforms night start: 2030-12-07 19:00 end: 21:00 place: Rua A, 10 capacity: 2",
    );
    run.slack
        .wait_for(both::WAIT, both::posted_to_slack_announcements)
        .expect("the announcement reaches Slack");
    run.both_show("Both-platforms night");
    run.both_show("0/2");
    assert_eq!(
        both::slack_buttons(&run.slack_post()),
        ["rsvp:yes:e1", "rsvp:no:e1", "ics:e1"]
    );
    assert_eq!(
        both::discord_buttons(&run.discord_post()),
        ["rsvp:yes:e1", "rsvp:no:e1", "ics:e1"]
    );
    // The server's native scheduled event mirrors it.
    let events = run.discord.scheduled_events();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0]["name"], "Both-platforms night");
    assert_eq!(events[0]["entity_metadata"]["location"], "Rua A, 10");

    // A Slack member says they are going: both posts count them.
    run.slack_press("rsvp:yes:e1");
    run.both_show("1/2");
    // A Discord member too.
    run.discord_press("rsvp:yes:e1");
    run.both_show("2/2");

    // The organizer moves it, then cancels it: both posts follow, and lose their buttons.
    run.discord_organizer("/event edit e1 start: 2030-12-08 19:00 end: 21:00");
    run.both_show("Sun 8 Dec 2030");
    assert!(
        poll_until(both::WAIT, || run.discord.scheduled_events()[0]
            ["scheduled_start_time"]
            .as_str()
            .is_some_and(|t| t.starts_with("2030-12-08T22:00:00"))),
        "the scheduled event moved: {:#?}",
        run.discord.scheduled_events()
    );
    run.discord_organizer("/event cancel e1");
    run.both_show("CANCELLED");
    assert!(
        poll_until(both::WAIT, || both::slack_buttons(&run.slack_post())
            .is_empty()
            && both::discord_buttons(&run.discord_post()).is_empty()),
        "no buttons on a cancelled event"
    );
    assert!(
        poll_until(both::WAIT, || run.discord.scheduled_events()[0]["status"]
            == 4),
        "the scheduled event is cancelled: {:#?}",
        run.discord.scheduled_events()
    );
}

#[test]
fn an_announcement_made_on_slack_appears_on_discord_and_every_change_reaches_both() {
    let run = both::start();
    run.slack_organizer(
        "/announce",
        "title: Slack-first night start: 2030-12-07 19:00 capacity: 1",
    );
    run.both_show("Slack-first night");
    run.both_show("0/1");
    // A Discord member takes the one place; a Slack member waits.
    run.discord_press("rsvp:yes:e1");
    run.both_show("1/1");
    run.slack_press("rsvp:yes:e1");
    run.both_show("1/1, 1 waiting");
    // The organizer renames it on Slack: Discord's post follows.
    run.slack_organizer("/event", "edit e1 title: Slack-first night, renamed");
    run.both_show("Slack-first night, renamed");
    assert!(
        poll_until(both::WAIT, || run.discord.scheduled_events()[0]["name"]
            == "Slack-first night, renamed"),
        "the scheduled event is renamed: {:#?}",
        run.discord.scheduled_events()
    );
}
