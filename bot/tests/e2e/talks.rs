//! Talk proposals through the real binary: the terminal's JSON interface (a proposal typed
//! as `key: value` lines), and a proposal sent through a modal then reviewed by button on
//! the Discord and Slack emulators.

use serde_json::Value;

fn text(v: &Value) -> String {
    v["text"].as_str().unwrap_or_default().to_string()
}

fn buttons(v: &Value) -> Vec<String> {
    v["buttons"]
        .as_array()
        .map(|bs| {
            bs.iter()
                .filter_map(|b| b["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An admin (ada), an organizer (olga) and a track owner by configuration (tina) on the
/// terminal.
const TALKS_CONFIG: &str = r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.terminal]
admins = ["ada"]
organizers = ["olga"]

[talks.track_owners]
terminal = ["tina"]
"#;

#[test]
fn terminal_a_proposal_typed_as_lines_is_reviewed_accepted_and_the_speaker_told() {
    let bot = crate::bot();
    bot.config(TALKS_CONFIG);
    let r = bot.chat_json(
        "ada",
        &[
            "/track add serverless Serverless",
            "/track owner serverless @tina",
            "/as olga",
            "/announce title: Serverless night start: 2030-12-05 19:00 end: 21:00 place: Rua A, 10",
        ],
    );
    for reply in [&r[0], &r[1], &r[3]] {
        assert_eq!(reply["ok"], true, "{reply:#}");
    }

    // The speaker asks for the form and answers it a line at a time.
    let r = bot.chat_json(
        "sam",
        &[
            "talks propose",
            "title: Lambda at scale",
            "abstract: How we run ten thousand functions",
            "without tears.",
            "track: serverless",
            "details: advanced, pt, 30",
            "event: e1",
            "",
            "talks mine",
        ],
    );
    let form = &r[0]["form"];
    assert_eq!(form["id"], "talk-form:propose", "{:#}", r[0]);
    let names: Vec<&str> = form["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["title", "abstract", "track", "details", "event"]);
    assert!(text(&r[0]).contains("title: "), "{:#}", r[0]);
    assert_eq!(r[1]["filling"]["field"], "title", "{:#}", r[1]);
    assert_eq!(
        r[3]["filling"]["field"], "abstract",
        "a line without a key goes on"
    );
    assert_eq!(r[7]["ok"], true, "{:#}", r[7]);
    assert!(text(&r[7]).contains("p1"), "{:#}", r[7]);
    assert!(text(&r[8]).contains("Lambda at scale"), "{:#}", r[8]);

    // A veto needs a reason; the owner scores it instead, and the organizer decides.
    let r = bot.chat_json(
        "tina",
        &[
            "/talks review",
            "/talks veto p1",
            "/talks score p1 4 Clear outline, real numbers",
            "/as olga",
            "/talks ranking e1",
            "/press talk:accept:p1",
            "/talks send e1",
        ],
    );
    assert!(text(&r[0]).contains("Lambda at scale"), "{:#}", r[0]);
    assert!(
        buttons(&r[0]).iter().any(|b| b == "talk:form:score:p1"),
        "{:#}",
        r[0]
    );
    assert_eq!(r[1]["error"], "missing_field", "{:#}", r[1]);
    assert_eq!(r[2]["ok"], true, "{:#}", r[2]);
    assert!(text(&r[4]).contains("p1"), "{:#}", r[4]);
    assert!(
        !text(&r[4]).contains("4/5"),
        "the organizer sees no scores: {:#}",
        r[4]
    );
    assert_eq!(r[5]["ok"], true, "{:#}", r[5]);
    let told: Vec<&Value> = r[6]["also"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["destination"]["kind"] == "direct")
        .collect();
    assert_eq!(told.len(), 1, "{:#}", r[6]);
    assert_eq!(told[0]["destination"]["user"], "sam");
    assert_eq!(told[0]["lang"], "en");
    assert!(text(told[0]).contains("accepted"), "{:#}", told[0]);

    // Sent once: a second send tells nobody, also in a new process.
    let r = bot.chat_json("olga", &["/talks send e1"]);
    let again = r[0]["also"].as_array().unwrap();
    assert!(
        again.iter().all(|x| x["destination"]["kind"] != "direct"),
        "{:#}",
        r[0]
    );
}

#[test]
fn terminal_a_form_can_be_cancelled_and_bad_details_change_nothing() {
    let bot = crate::bot();
    bot.config(TALKS_CONFIG);
    bot.chat_json("ada", &["/track add data Data"]);
    let r = bot.chat_json(
        "sam",
        &[
            "talks propose",
            "title: Half a thought",
            "/cancel",
            "talks propose",
            "title: Streams",
            "abstract: Kinesis in practice",
            "track: data",
            "details: advanced, klingon, 30",
            "",
            "talks mine",
        ],
    );
    assert!(text(&r[2]).contains("nothing was sent"), "{:#}", r[2]);
    assert_eq!(r[8]["ok"], false, "{:#}", r[8]);
    assert!(text(&r[8]).contains("klingon"), "{:#}", r[8]);
    assert!(!text(&r[9]).contains("Streams"), "{:#}", r[9]);
    assert!(!text(&r[9]).contains("Half a thought"), "{:#}", r[9]);
}
