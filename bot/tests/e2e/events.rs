//! Events members RSVP to, through the real binary: from the terminal's JSON interface, and
//! one announcement served on Discord and Slack at once, kept in step on both.

use serde_json::Value;
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
