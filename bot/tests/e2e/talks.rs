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

mod discord {
    use std::process::Child;
    use std::time::Duration;

    use serde_json::{json, Value};
    use tests::discord::{DiscordEmulator, ModalSubmit, Msg, Press, Request, Slash};

    const ADMIN: u64 = 500;
    const OWNER: u64 = 503;
    const SPEAKER: u64 = 504;
    const WAIT: Duration = Duration::from_secs(10);

    struct Running {
        emulator: DiscordEmulator,
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
        let bot = crate::bot();
        bot.config(&format!(
            r#"
[permissions.discord]
admins = ["{ADMIN}"]

[talks.track_owners]
discord = ["{OWNER}"]

[discord]
api_base_url = "{}"
gateway_url = "{}"
admin_permissions = false
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
            child,
            _bot: bot,
        }
    }

    fn callback(id: u64) -> impl Fn(&Request) -> bool {
        move |r: &Request| r.method == "POST" && r.path.starts_with(&format!("/interactions/{id}/"))
    }

    fn embed_text(body: &Value) -> String {
        let e = &body["data"]["embeds"][0];
        format!(
            "{} {}",
            e["title"].as_str().unwrap_or(""),
            e["description"].as_str().unwrap_or("")
        )
    }

    fn button_ids(body: &Value) -> Vec<String> {
        body["data"]["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
            .collect()
    }

    /// The admin sets up a track by direct message; waits for each answer.
    fn as_admin(e: &DiscordEmulator, line: &str) -> String {
        let dm = e.dm_channel(ADMIN);
        e.message(Msg {
            channel_id: dm,
            guild_id: None,
            author_id: ADMIN,
            author_name: "ada".into(),
            content: line.into(),
            mentions_bot: false,
            reply_to: None,
        });
        let sent = e
            .wait_for(WAIT, move |r: &Request| {
                r.method == "POST" && r.path == format!("/channels/{dm}/messages")
            })
            .expect("an answer");
        let text = sent.body["embeds"][0]["description"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        text
    }

    fn slash(name: &str, options: Value, user: u64) -> Slash {
        Slash {
            name: name.into(),
            options,
            user_id: user,
            user_name: format!("user{user}"),
            ..Slash::default()
        }
    }

    fn modal(custom_id: &str, values: &[(&str, &str)], user: u64) -> ModalSubmit {
        ModalSubmit {
            custom_id: custom_id.into(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            user_id: user,
            user_name: format!("user{user}"),
            ..ModalSubmit::default()
        }
    }

    #[test]
    fn discord_a_proposal_sent_through_a_modal_is_reviewed_by_button() {
        let run = start();
        let e = &run.emulator;
        let added = as_admin(e, "/track add serverless Serverless");
        assert!(added.contains("serverless"), "{added}");
        let owned = as_admin(e, &format!("/track owner serverless <@{OWNER}>"));
        assert!(owned.contains("Serverless"), "{owned}");

        // Typed in a message, where no modal can open, the reply has a button that opens it.
        let dm = e.dm_channel(SPEAKER);
        e.message(Msg {
            channel_id: dm,
            guild_id: None,
            author_id: SPEAKER,
            author_name: "sam".into(),
            content: "talks propose".into(),
            mentions_bot: false,
            reply_to: None,
        });
        let asked = e
            .wait_for(WAIT, move |r: &Request| {
                r.method == "POST" && r.path == format!("/channels/{dm}/messages")
            })
            .expect("an answer");
        let buttons = button_ids(&json!({ "data": asked.body }));
        assert_eq!(buttons, ["talk:form:propose"], "{:#}", asked.body);
        let id = e.press(Press {
            custom_id: "talk:form:propose".into(),
            user_id: SPEAKER,
            user_name: "sam".into(),
            channel_id: dm,
            guild_id: None,
            ..Press::default()
        });
        let opened = e.wait_for(WAIT, callback(id)).expect("a modal");
        assert_eq!(opened.body["type"], 9, "{:#}", opened.body);

        // `/talks propose` with nothing filled in opens the proposal modal.
        let id = e.slash(slash(
            "talks",
            json!([{"name": "propose", "type": 1, "options": []}]),
            SPEAKER,
        ));
        let opened = e.wait_for(WAIT, callback(id)).expect("a modal");
        assert_eq!(opened.status, 204, "{:#}", opened.body);
        assert_eq!(opened.body["type"], 9, "{:#}", opened.body);
        assert_eq!(opened.body["data"]["custom_id"], "talk-form:propose");
        let inputs: Vec<&str> = opened.body["data"]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["components"][0]["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(inputs, ["title", "abstract", "track", "details", "event"]);

        let id = e.submit_modal(modal(
            "talk-form:propose",
            &[
                ("title", "Lambda at scale"),
                (
                    "abstract",
                    "How we run ten thousand functions **without** tears",
                ),
                ("track", "serverless"),
                ("details", "advanced, pt, 30"),
                ("event", ""),
            ],
            SPEAKER,
        ));
        let proposed = e.wait_for(WAIT, callback(id)).expect("an answer");
        assert_eq!(proposed.body["type"], 4, "{:#}", proposed.body);
        let text = embed_text(&proposed.body);
        assert!(
            text.contains("p1") && text.contains("Lambda at scale"),
            "{text}"
        );
        assert_eq!(proposed.body["data"]["flags"], 64, "private to the speaker");

        // The owner sees it waiting, with buttons; the score button opens the review modal.
        let id = e.slash(slash(
            "talks",
            json!([{"name": "review", "type": 1, "options": []}]),
            OWNER,
        ));
        let waiting = e.wait_for(WAIT, callback(id)).expect("the review list");
        assert!(embed_text(&waiting.body).contains("Lambda at scale"));
        let buttons = button_ids(&waiting.body);
        assert!(
            buttons.iter().any(|b| b == "talk:form:score:p1"),
            "{buttons:?}"
        );
        let id = e.press(Press {
            custom_id: "talk:form:veto:p1".into(),
            user_id: OWNER,
            user_name: "tina".into(),
            ..Press::default()
        });
        let veto = e.wait_for(WAIT, callback(id)).expect("the veto modal");
        assert_eq!(veto.body["type"], 9);
        // Sent without a reason: refused, and nothing vetoed.
        let id = e.submit_modal(modal("talk-form:veto:p1", &[("reason", " ")], OWNER));
        let refused = e.wait_for(WAIT, callback(id)).expect("a refusal");
        assert_eq!(refused.body["type"], 4, "a modal never answers a modal");
        assert!(
            embed_text(&refused.body).contains("talks veto p1"),
            "{}",
            embed_text(&refused.body)
        );

        let id = e.press(Press {
            custom_id: "talk:form:score:p1".into(),
            user_id: OWNER,
            user_name: "tina".into(),
            ..Press::default()
        });
        let form = e.wait_for(WAIT, callback(id)).expect("the score modal");
        assert_eq!(form.body["type"], 9, "{:#}", form.body);
        let custom_id = form.body["data"]["custom_id"].as_str().unwrap().to_string();
        let id = e.submit_modal(modal(
            &custom_id,
            &[("score", "4"), ("comment", "Clear outline, real numbers")],
            OWNER,
        ));
        let scored = e.wait_for(WAIT, callback(id)).expect("an answer");
        let text = embed_text(&scored.body);
        assert!(text.contains("You scored p1 4/5"), "{text}");

        // The speaker sees the state, not the score.
        let id = e.slash(slash(
            "talks",
            json!([{"name": "mine", "type": 1, "options": []}]),
            SPEAKER,
        ));
        let mine = embed_text(&e.wait_for(WAIT, callback(id)).expect("the list").body);
        assert!(
            mine.contains("Lambda at scale") && !mine.contains("4/5"),
            "{mine}"
        );
    }
}

mod slack {
    use std::process::Child;
    use std::time::Duration;

    use serde_json::Value;
    use tests::slack::{self, Press, Request, SlackEmulator, Slash, ViewSubmit};

    const ADMIN: &str = "UADMIN";
    const OWNER: &str = "UOWNER";
    const SPEAKER: &str = "USPEAKER";
    const GENERAL: &str = "CGENERAL";
    const WAIT: Duration = Duration::from_secs(10);

    struct Running {
        emulator: SlackEmulator,
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
        let emulator = SlackEmulator::start();
        let bot = crate::bot();
        bot.config(&format!(
            r#"
[permissions.slack]
admins = ["{ADMIN}"]

[talks.track_owners]
slack = ["{OWNER}"]

[slack]
api_base_url = "{}"
socket_connections = 1
workspace_admins = false
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
        Running {
            emulator,
            child,
            _bot: bot,
        }
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

    /// The answer a slash command got in its acknowledgement.
    fn acked(e: &SlackEmulator, envelope: &str) -> Value {
        e.ack(envelope, WAIT).expect("acknowledged")["payload"].clone()
    }

    /// Every text of a message: the fallback and the blocks' texts.
    fn shown(body: &Value) -> String {
        let mut out = vec![body["text"].as_str().unwrap_or("").to_string()];
        for block in body["blocks"].as_array().into_iter().flatten() {
            if let Some(t) = block["text"]["text"].as_str() {
                out.push(t.to_string());
            }
        }
        out.join("\n")
    }

    fn action_ids(body: &Value) -> Vec<String> {
        body["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["type"] == "actions")
            .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["action_id"].as_str().map(str::to_string))
            .collect()
    }

    /// The next view the bot opened: its id and callback id.
    fn opened(e: &SlackEmulator) -> (String, String) {
        let r = e
            .wait_for(WAIT, |r: &Request| r.is("views.open"))
            .expect("a modal opened");
        assert!(r.ok(), "views.open refused: {:#}", r.response);
        let view = &r.response["view"];
        (
            view["id"].as_str().unwrap().to_string(),
            view["callback_id"].as_str().unwrap().to_string(),
        )
    }

    /// The next private message to `user` in the channel.
    fn told(e: &SlackEmulator, user: &'static str) -> String {
        let r = e
            .wait_for(WAIT, move |r: &Request| {
                r.is("chat.postEphemeral") && r.body["user"] == user
            })
            .expect("a private answer");
        assert_eq!(r.body["channel"], GENERAL);
        shown(&r.body)
    }

    fn submit(view_id: &str, values: &[(&str, &str)], user: &str) -> ViewSubmit {
        ViewSubmit {
            view_id: view_id.into(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            user: user.into(),
            user_name: user.to_lowercase(),
        }
    }

    #[test]
    fn slack_a_proposal_sent_through_a_modal_is_reviewed_by_button() {
        let run = start();
        let e = &run.emulator;
        let added = acked(
            e,
            &e.slash(slash("/track", "add serverless Serverless", ADMIN)),
        );
        assert!(shown(&added).contains("serverless"), "{added:#}");
        let owned = acked(
            e,
            &e.slash(slash(
                "/track",
                &format!("owner serverless <@{OWNER}>"),
                ADMIN,
            )),
        );
        assert!(shown(&owned).contains("Serverless"), "{owned:#}");

        // `/talks propose` alone opens the proposal modal; the acknowledgement says nothing.
        let ack = acked(e, &e.slash(slash("/talks", "propose", SPEAKER)));
        assert!(ack["text"].is_null() && ack["blocks"].is_null(), "{ack:#}");
        let (view, callback) = opened(e);
        assert_eq!(callback, "talk-form:propose");
        let stored = e.views().into_iter().find(|v| v["id"] == view.as_str());
        let inputs: Vec<String> = stored.unwrap()["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["element"]["action_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(inputs, ["title", "abstract", "track", "details", "event"]);
        let sent = submit(
            &view,
            &[
                ("title", "Lambda at scale"),
                (
                    "abstract",
                    "How we run ten thousand functions <!here> without tears",
                ),
                ("track", "serverless"),
                ("details", "advanced, pt, 30"),
            ],
            SPEAKER,
        );
        // Slack may deliver the same submission twice: it acts once.
        e.submit_view(sent.clone());
        e.submit_view(sent);
        let proposed = told(e, SPEAKER);
        assert!(
            proposed.contains("p1") && proposed.contains("Lambda at scale"),
            "{proposed}"
        );

        // The owner sees it waiting with buttons; the score button opens the review modal.
        let waiting = acked(e, &e.slash(slash("/talks", "review", OWNER)));
        assert!(shown(&waiting).contains("Lambda at scale"), "{waiting:#}");
        let ids = action_ids(&waiting);
        assert!(ids.iter().any(|a| a == "talk:form:score:p1"), "{ids:?}");
        e.press(Press {
            action_id: "talk:form:score:p1".into(),
            user: OWNER.into(),
            user_name: "tina".into(),
            channel: GENERAL.into(),
            ..Press::default()
        });
        let (view, callback) = opened(e);
        assert_eq!(callback, "talk-form:score:p1");
        e.submit_view(submit(
            &view,
            &[("score", "4"), ("comment", "Clear outline, real numbers")],
            OWNER,
        ));
        let scored = told(e, OWNER);
        assert!(scored.contains("You scored p1 4/5"), "{scored}");

        // The speaker sees where it stands, not the score.
        let mine = acked(e, &e.slash(slash("/talks", "mine", SPEAKER)));
        let mine = shown(&mine);
        assert!(
            mine.contains("Lambda at scale") && !mine.contains("4/5"),
            "{mine}"
        );
        // By now the second delivery was handled too: it told the speaker nothing.
        let to_speaker = e
            .requests()
            .iter()
            .filter(|r| r.is("chat.postEphemeral") && r.body["user"] == SPEAKER)
            .count();
        assert_eq!(to_speaker, 1, "one answer to one proposal");
        assert!(!mine.contains("p2"), "{mine}");
    }
}
