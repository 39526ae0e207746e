//! The whole bot driven from the terminal, as a script would: `bot chat --json --as USER`,
//! one JSON reply per input line, buttons pressed with `/press`.

use serde_json::Value;
use tests::COMMUNITY_CONFIG;

fn text(v: &Value) -> String {
    v["text"].as_str().unwrap_or_default().to_string()
}

#[test]
fn an_organizer_announces_members_sign_up_and_an_admin_grants_a_badge() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    let r = bot.chat_json(
        "olga",
        &[
            "/announce title: Serverless night start: 2030-12-05 19:00 end: 21:00 place: Rua A, 10",
            "/volunteer call e1 host:1 onsite:2",
            "/as mia",
            "/press vol:signup:v1:host",
            "/as leo",
            "/press vol:signup:v1:host",
            "/as olga",
            "volunteer roster v1",
        ],
    );
    assert_eq!(r[0]["ok"], true, "{:#}", r[0]);
    let post = &r[0]["also"][0];
    assert_eq!(post["destination"]["kind"], "announcements");
    assert_eq!(post["title"], "📅 Serverless night");
    assert!(
        post["fields"]
            .to_string()
            .contains("Thu 5 Dec 2030, 19:00 -03 – 21:00"),
        "{post:#}"
    );
    let call = &r[1]["also"][0];
    let buttons: Vec<&str> = call["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        buttons,
        [
            "vol:signup:v1:host",
            "vol:signup:v1:onsite",
            "vol:withdraw:v1"
        ]
    );
    assert!(text(&r[3]).contains("signed up as host"), "{:#}", r[3]);
    assert!(
        text(&r[5]).contains("number 1 on its waitlist"),
        "{:#}",
        r[5]
    );
    let roster = r[7]["fields"].to_string();
    assert!(
        roster.contains("@mia") && roster.contains("waitlist: @leo"),
        "{roster}"
    );

    // Later, in another process: the state is still there.
    let r = bot.chat_json(
        "ada",
        &[
            "/badge grant @mia volunteer first shift",
            "badges @mia",
            "audit",
        ],
    );
    assert_eq!(r[0]["effects"][0]["kind"], "badge_granted");
    assert!(text(&r[1]).contains("Volunteer"), "{:#}", r[1]);
    assert!(
        text(&r[2]).contains("@ada granted Volunteer → @mia — \"first shift\""),
        "{:#}",
        r[2]
    );
}

#[test]
fn a_member_is_refused_admin_commands_and_nothing_changes() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    let r = bot.chat_json(
        "mia",
        &[
            "/badge grant @mia hero serverless",
            "/announce title: X start: 2030-01-01 10:00",
            "kb reload",
        ],
    );
    for reply in &r {
        assert_eq!(reply["ok"], false);
        assert_eq!(reply["error"], "denied");
        assert!(text(reply).contains("Nothing was changed"), "{reply:#}");
        assert_eq!(reply["also"], Value::Array(vec![]));
    }
    let r = bot.chat_json("ada", &["badges @mia", "events", "audit"]);
    assert!(text(&r[0]).contains("No badges yet"), "{:#}", r[0]);
    assert!(text(&r[1]).contains("No upcoming events"), "{:#}", r[1]);
    assert!(text(&r[2]).contains("empty"), "{:#}", r[2]);
}

#[test]
fn help_and_errors_come_in_the_language_of_the_command() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    let r = bot.chat_json(
        "mia",
        &[
            "ajuda",
            "帮助",
            "/badge grant @x heroo",
            "/announce title: Noite start: 2020-01-01 10:00",
        ],
    );
    assert!(text(&r[0]).contains("Pergunte o que quiser"), "{:#}", r[0]);
    assert!(
        !text(&r[0]).contains("badge grant"),
        "members are not shown admin commands"
    );
    assert!(text(&r[1]).contains("社区计划"), "{:#}", r[1]);
    assert_eq!(r[2]["error"], "unknown_badge");
    let r = bot.chat_json(
        "ada",
        &[
            "/badge grant @x heroo",
            "/anunciar título: Noite início: 01/01/2020 10h",
        ],
    );
    assert!(
        text(&r[0]).contains("Did you mean AWS Hero (`hero`)?"),
        "{:#}",
        r[0]
    );
    assert_eq!(r[1]["error"], "past_date");
    assert!(text(&r[1]).contains("já passou"), "{:#}", r[1]);
}

#[test]
fn questions_answer_with_feedback_buttons_and_gaps_reach_admins() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    let r = bot.chat_json(
        "mia",
        &[
            "How do I become a Community Builder?",
            "What is the weather in Lisbon tomorrow?",
        ],
    );
    assert_eq!(r[0]["lang"], "en");
    assert!(
        r[0]["citations"][0]["doc"]
            .as_str()
            .unwrap()
            .contains("community-builders"),
        "{:#}",
        r[0]
    );
    let down = r[0]["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .find(|id| id.starts_with("fb:down:"))
        .expect("a not-helpful button");
    let press = format!("/press {down}");
    let r = bot.chat_json("mia", &[&press]);
    assert_eq!(r[0]["ok"], true, "{:#}", r[0]);
    let r = bot.chat_json("ada", &["kb gaps"]);
    let gaps = text(&r[0]);
    assert!(
        gaps.contains("weather in Lisbon") && gaps.contains("Community Builder"),
        "{gaps}"
    );
}

#[test]
fn bad_input_gets_a_clear_reply_and_the_session_goes_on() {
    let bot = crate::bot();
    bot.config(COMMUNITY_CONFIG);
    let huge = format!(
        "/announce title: {} start: 2030-01-01 10:00",
        "x".repeat(50_000)
    );
    let r = bot.chat_json(
        "olga",
        &[
            &huge,
            "/announce title: a\u{1b}[31mred start: 2030-01-01 10:00",
            "/press nonsense",
            "/as",
            "events",
        ],
    );
    assert_eq!(r[0]["error"], "too_long");
    assert_eq!(r[1]["error"], "control_characters");
    assert_eq!(r[2]["error"], "unknown_button");
    assert_eq!(r[3]["ok"], false);
    assert_eq!(r[4]["ok"], true);
}
