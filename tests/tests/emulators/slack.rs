//! The Slack emulator against the real slack-morphism 2.31.1 client: every Web API answer must
//! parse, every envelope must reach the Socket Mode callbacks (as a known event, not
//! `Unknown`), and the acks the listener sends must be recorded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use slack_morphism::errors::{SlackClientApiError, SlackClientError};
use slack_morphism::prelude::*;
use slack_morphism::signature_verifier::SlackEventSignatureVerifier;
use tests::slack::{
    interaction_form, now_unix, post, sign, slash_form, Msg, Options, Press, SlackEmulator, Slash,
    APP_ID, APP_TOKEN, BOT_ID, BOT_TOKEN, BOT_USER_ID, TEAM_ID,
};

mod files;

const T: Duration = Duration::from_secs(5);

type Connector = SlackClientHyperConnector<HttpConnector>;

fn connector(emu: &SlackEmulator) -> Connector {
    SlackClientHyperConnector::with_connector(HttpConnector::new())
        .with_slack_api_url(&emu.api_url())
}

fn token(t: &str) -> SlackApiToken {
    SlackApiToken::new(SlackApiTokenValue(t.to_string()))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn api_error(e: SlackClientError) -> SlackClientApiError {
    match e {
        SlackClientError::ApiError(e) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn button(text: &str, action_id: &str, value: &str) -> SlackActionBlockElement {
    SlackBlockButtonElement::new(text.into())
        .with_action_id(action_id.into())
        .with_value(value.into())
        .into()
}

fn mrkdwn(text: &str) -> SlackBlockText {
    SlackBlockText::MarkDown(SlackBlockMarkDownText::new(text.into()))
}

/// A message with a header, a section and two buttons.
fn badge_blocks() -> Vec<SlackBlock> {
    vec![
        SlackHeaderBlock::new("Badge request".into()).into(),
        SlackSectionBlock::new()
            .with_text(mrkdwn("*ana* asks for _helper_"))
            .into(),
        SlackActionsBlock::new(vec![
            SlackBlockButtonElement::new("Approve".into())
                .with_action_id("approve".into())
                .with_value("req-1".into())
                .with_style(SlackBlockButtonStyle::Primary)
                .into(),
            button("Deny", "deny", "req-1"),
        ])
        .into(),
    ]
}

#[test]
fn web_api_answers_parse_in_slack_morphism() {
    let emu = SlackEmulator::start();
    let group = emu.add_usergroup("organizers", &["U1", "U2"]);
    emu.set_user("U1", "ana", "pt-BR");
    let rt = runtime();
    let client = SlackClient::new(connector(&emu));
    let bot = token(BOT_TOKEN);
    let posted_ts = rt.block_on(async {
        let session = client.open_session(&bot);

        let me = session.auth_test().await.expect("auth.test");
        assert_eq!(me.user_id.value(), BOT_USER_ID);
        assert_eq!(me.team_id.value(), TEAM_ID);
        assert_eq!(me.bot_id.as_ref().map(|b| b.value().as_str()), Some(BOT_ID));

        let posted = session
            .chat_post_message(&SlackApiChatPostMessageRequest::new(
                "C1".into(),
                SlackMessageContent::new()
                    .with_text("Badge request".into())
                    .with_blocks(badge_blocks()),
            ))
            .await
            .expect("chat.postMessage");
        assert_eq!(posted.channel.value(), "C1");
        assert_eq!(posted.message.origin.ts, posted.ts);
        assert_eq!(posted.message.sender.bot_id, Some(BOT_ID.into()));
        assert_eq!(
            posted.message.content.blocks.as_ref().map(Vec::len),
            Some(3)
        );

        // In a thread, and to a user id (the DM).
        let reply = session
            .chat_post_message(
                &SlackApiChatPostMessageRequest::new(
                    "C1".into(),
                    SlackMessageContent::new().with_text("in thread".into()),
                )
                .with_thread_ts(posted.ts.clone()),
            )
            .await
            .expect("thread reply");
        assert_eq!(reply.message.origin.thread_ts, Some(posted.ts.clone()));
        let dm = session
            .chat_post_message(&SlackApiChatPostMessageRequest::new(
                "U1".into(),
                SlackMessageContent::new().with_text("psst".into()),
            ))
            .await
            .expect("DM");
        assert_eq!(dm.channel.value(), "DU1");

        // Block Kit limits.
        let too_long = "x".repeat(76);
        let err = session
            .chat_post_message(&SlackApiChatPostMessageRequest::new(
                "C1".into(),
                SlackMessageContent::new().with_blocks(vec![SlackActionsBlock::new(vec![
                    button(&too_long, "a", "1"),
                    button("ok", "a", "2"),
                ])
                .into()]),
            ))
            .await
            .expect_err("invalid blocks");
        let err = api_error(err);
        assert_eq!(err.code, "invalid_blocks");
        assert_eq!(
            err.errors,
            Some(vec![
                "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"
                    .to_string(),
                "duplicate action_id \"a\" [json-pointer:/blocks/0/elements/1/action_id]"
                    .to_string(),
            ])
        );
        let err = session
            .chat_post_message(&SlackApiChatPostMessageRequest::new(
                "C1".into(),
                SlackMessageContent::new(),
            ))
            .await
            .expect_err("no text");
        assert_eq!(api_error(err).code, "no_text");
        let err = session
            .chat_post_message(&SlackApiChatPostMessageRequest::new(
                "C1".into(),
                SlackMessageContent::new().with_text("x".repeat(40_001)),
            ))
            .await
            .expect_err("too long");
        assert_eq!(api_error(err).code, "msg_too_long");

        let updated = session
            .chat_update(&SlackApiChatUpdateRequest::new(
                "C1".into(),
                SlackMessageContent::new().with_text("Approved by ana".into()),
                posted.ts.clone(),
            ))
            .await
            .expect("chat.update");
        assert_eq!(updated.ts, posted.ts);
        assert_eq!(
            updated.message.content.text.as_deref(),
            Some("Approved by ana")
        );
        let err = session
            .chat_update(&SlackApiChatUpdateRequest::new(
                "C1".into(),
                SlackMessageContent::new().with_text("x".into()),
                "1.000001".into(),
            ))
            .await
            .expect_err("unknown ts");
        assert_eq!(api_error(err).code, "message_not_found");

        session
            .chat_post_ephemeral(&SlackApiChatPostEphemeralRequest::new(
                "C1".into(),
                "U2".into(),
                SlackMessageContent::new().with_text("only you".into()),
            ))
            .await
            .expect("chat.postEphemeral");

        let opened = session
            .conversations_open(
                &SlackApiConversationsOpenRequest::new().with_users(vec!["U1".into()]),
            )
            .await
            .expect("conversations.open");
        assert_eq!(opened.channel.id.value(), "DU1");
        let full = session
            .conversations_open_full(
                &SlackApiConversationsOpenRequest::new().with_users(vec!["U2".into()]),
            )
            .await
            .expect("conversations.open return_im");
        assert_eq!(full.channel.flags.is_im, Some(true));
        let info = session
            .conversations_info(&SlackApiConversationsInfoRequest::new("C1".into()))
            .await
            .expect("conversations.info");
        assert_eq!(info.channel.id.value(), "C1");

        let user = session
            .users_info(&SlackApiUsersInfoRequest::new("U1".into()).with_include_locale(true))
            .await
            .expect("users.info");
        assert_eq!(user.user.name.as_deref(), Some("ana"));
        assert_eq!(
            user.user.locale.as_ref().map(|l| l.value().as_str()),
            Some("pt-BR")
        );
        let stranger = session
            .users_info(&SlackApiUsersInfoRequest::new("U9".into()))
            .await
            .expect("users.info of anyone");
        assert_eq!(stranger.user.locale, None);

        let members = session
            .usergroups_users_list(&SlackApiUserGroupsUsersListRequest::new(
                group.clone().into(),
            ))
            .await
            .expect("usergroups.users.list");
        assert_eq!(members.users, vec!["U1".into(), "U2".into()]);
        let updated: SlackApiUserGroupsUpdateResponse = session
            .http_session_api
            .http_post(
                "usergroups.users.update",
                &json!({"usergroup": group, "users": "U2,U3"}),
                None,
            )
            .await
            .expect("usergroups.users.update");
        assert_eq!(updated.usergroup.user_count, 2);
        assert_eq!(updated.usergroup.handle, "organizers");
        let groups = session
            .usergroups_list(&SlackApiUserGroupsListRequest::new().with_include_users(true))
            .await
            .expect("usergroups.list");
        assert_eq!(
            groups.usergroups[0].users,
            Some(vec!["U2".into(), "U3".into()])
        );
        let err = session
            .usergroups_users_list(&SlackApiUserGroupsUsersListRequest::new("S9999".into()))
            .await
            .expect_err("unknown group");
        assert_eq!(api_error(err).code, "no_such_subteam");

        let err = session
            .http_session_api
            .http_post::<_, Value>("bogus.method", &json!({}), None)
            .await
            .expect_err("unknown method");
        assert_eq!(api_error(err).code, "unknown_method");

        posted.ts
    });
    assert_eq!(emu.usergroup_members(&group), vec!["U2", "U3"]);

    // Tokens: the app token only opens connections, the bot token everything else.
    rt.block_on(async {
        let app = token(APP_TOKEN);
        let err = client
            .open_session(&app)
            .auth_test()
            .await
            .expect_err("app token");
        assert_eq!(api_error(err).code, "not_allowed_token_type");
        let err = client
            .open_session(&bot)
            .apps_connections_open(&SlackApiAppsConnectionOpenRequest::new())
            .await
            .expect_err("bot token");
        assert_eq!(api_error(err).code, "not_allowed_token_type");
        let bad = token("xoxb-wrong");
        let err = client
            .open_session(&bad)
            .auth_test()
            .await
            .expect_err("wrong token");
        assert_eq!(api_error(err).code, "invalid_auth");
        let opened = client
            .open_session(&app)
            .apps_connections_open(&SlackApiAppsConnectionOpenRequest::new())
            .await
            .expect("apps.connections.open");
        assert!(opened
            .url
            .value()
            .as_str()
            .starts_with(&emu.base_url().replace("http://", "ws://")));
    });

    // Rate limits: 429 with Retry-After; a call before it has passed is refused too, and
    // after it things are normal again.
    emu.rate_limit_next("auth.test", 1);
    rt.block_on(async {
        let session = client.open_session(&bot);
        let limited = |result| match result {
            Err(SlackClientError::RateLimitError(e)) => {
                assert_eq!(e.retry_after, Some(Duration::from_secs(1)));
                assert_eq!(e.code.as_deref(), Some("ratelimited"));
                e.retry_after.unwrap()
            }
            other => panic!("expected a rate limit error, got {other:?}"),
        };
        limited(session.auth_test().await);
        let wait = limited(session.auth_test().await);
        tokio::time::sleep(wait).await;
        session.auth_test().await.expect("not limited any more");
    });

    // What the emulator kept.
    let c1 = emu.messages("C1");
    assert_eq!(c1.len(), 2, "{c1:#?}");
    assert_eq!(c1[0]["ts"], json!(posted_ts.value()));
    assert_eq!(c1[0]["text"], "Approved by ana");
    assert_eq!(c1[0]["blocks"].as_array().map(Vec::len), Some(3));
    assert_eq!(c1[0]["edited"]["user"], BOT_USER_ID);
    assert_eq!(c1[1]["thread_ts"], json!(posted_ts.value()));
    assert_eq!(emu.messages("U1")[0]["text"], "psst");
    assert_eq!(emu.messages("DU1")[0]["user"], BOT_USER_ID);
    assert_eq!(emu.ephemerals("C1")[0]["text"], "only you");
    assert_eq!(emu.ephemerals("C1")[0]["user_shown"], "U2");

    let requests = emu.requests();
    let auth = &requests[0];
    assert!(auth.is("auth.test"));
    assert_eq!(auth.http_method, "GET");
    assert_eq!(auth.token.as_deref(), Some(BOT_TOKEN));
    let post_req = emu
        .wait_for(T, |r| r.is("chat.postMessage"))
        .expect("recorded");
    assert_eq!(post_req.http_method, "POST");
    assert_eq!(post_req.body["channel"], "C1");
    assert_eq!(
        post_req.body["blocks"][2]["elements"][0]["style"],
        "primary"
    );
    assert!(post_req.ok());
    let users_info = emu.wait_for(T, |r| r.is("users.info")).expect("users.info");
    assert_eq!(users_info.http_method, "GET");
    assert_eq!(
        users_info.body,
        json!({"user": "U1", "include_locale": "true"})
    );
    let limited = emu
        .wait_for(T, |r| r.is("auth.test") && r.status == 429)
        .expect("the limited call is recorded");
    assert_eq!(limited.response["error"], "ratelimited");
}

// ---------------------------------------------------------------------------------------------
// Socket Mode

/// What the listener's callbacks saw.
#[derive(Debug)]
enum Got {
    Hello(u32),
    Push(Box<SlackPushEventCallback>),
    Command(Box<SlackCommandEvent>),
    Interaction(Box<SlackInteractionEvent>),
    Error(String),
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Got>>>);

impl Log {
    fn push(&self, g: Got) {
        self.0.lock().unwrap().push(g);
    }

    fn errors(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter_map(|g| match g {
                Got::Error(e) => Some(e.clone()),
                _ => None,
            })
            .collect()
    }

    /// Waits for the first entry `f` maps to something.
    fn wait<R>(&self, f: impl Fn(&Got) -> Option<R>) -> R {
        let end = std::time::Instant::now() + T;
        loop {
            if let Some(r) = self.0.lock().unwrap().iter().find_map(&f) {
                return r;
            }
            assert!(
                std::time::Instant::now() < end,
                "not seen in time; errors: {:?}",
                self.errors()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

async fn log_of(states: &SlackClientEventsUserState) -> Log {
    states
        .read()
        .await
        .get_user_state::<Log>()
        .cloned()
        .expect("log")
}

async fn on_push(
    ev: SlackPushEventCallback,
    _client: Arc<SlackClient<Connector>>,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    log_of(&states).await.push(Got::Push(Box::new(ev)));
    Ok(())
}

/// Answers in the ack (in channel) and later through the response_url (ephemeral).
async fn on_command(
    ev: SlackCommandEvent,
    client: Arc<SlackClient<Connector>>,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    log_of(&states)
        .await
        .push(Got::Command(Box::new(ev.clone())));
    let text = ev.text.clone().unwrap_or_default();
    client
        .respond_to_event(
            &ev.response_url,
            &SlackApiPostWebhookMessageRequest::new(
                SlackMessageContent::new().with_text(format!("later: {text}")),
            ),
        )
        .await?;
    Ok(
        SlackCommandEventResponse::new(SlackMessageContent::new().with_text(format!("got {text}")))
            .with_response_type(SlackMessageResponseType::InChannel),
    )
}

async fn on_interaction(
    ev: SlackInteractionEvent,
    _client: Arc<SlackClient<Connector>>,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    log_of(&states).await.push(Got::Interaction(Box::new(ev)));
    Ok(())
}

fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Arc<SlackClient<Connector>>,
    states: SlackClientEventsUserState,
) -> HttpStatusCode {
    if let Ok(s) = states.try_read() {
        if let Some(log) = s.get_user_state::<Log>() {
            log.push(Got::Error(err.to_string()));
        }
    }
    HttpStatusCode::BAD_REQUEST
}

/// A Socket Mode listener (one connection) and a Web API client, against the emulator.
struct Listener {
    rt: tokio::runtime::Runtime,
    client: Arc<SlackClient<Connector>>,
    listener: Option<SlackClientSocketModeListener<Connector>>,
    log: Log,
}

impl Listener {
    fn start(emu: &SlackEmulator) -> Listener {
        let rt = runtime();
        let log = Log::default();
        let client = Arc::new(SlackClient::new(connector(emu)));
        let listener = rt.block_on(async {
            let callbacks = SlackSocketModeListenerCallbacks::new()
                // slack-morphism does not export the hello event's type: a closure names it.
                .with_hello_events(|ev, _client, states| async move {
                    log_of(&states).await.push(Got::Hello(ev.num_connections));
                })
                .with_push_events(on_push)
                .with_command_events(on_command)
                .with_interaction_events(on_interaction);
            let env = Arc::new(
                SlackClientEventsListenerEnvironment::new(client.clone())
                    .with_error_handler(on_error)
                    .with_user_state(log.clone()),
            );
            let listener = SlackClientSocketModeListener::new(
                &SlackClientSocketModeConfig::new().with_max_connections_count(1),
                env,
                callbacks,
            );
            listener
                .listen_for(&token(APP_TOKEN))
                .await
                .expect("listen_for");
            listener.start().await;
            listener
        });
        Listener {
            rt,
            client,
            listener: Some(listener),
            log,
        }
    }

    fn post(&self, channel: &str, content: SlackMessageContent) -> SlackApiChatPostMessageResponse {
        let bot = token(BOT_TOKEN);
        self.rt
            .block_on(async {
                self.client
                    .open_session(&bot)
                    .chat_post_message(&SlackApiChatPostMessageRequest::new(
                        channel.into(),
                        content,
                    ))
                    .await
            })
            .expect("chat.postMessage")
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(l) = self.listener.take() {
            self.rt.block_on(l.shutdown());
        }
    }
}

/// Every envelope's payload parses as slack-morphism's model for its type, events as known
/// ones (slack-morphism does not export `SlackSocketModeEvent` itself).
fn assert_envelopes_parse(emu: &SlackEmulator) {
    for env in emu.envelopes() {
        let payload = env["payload"].clone();
        assert!(env["envelope_id"].is_string(), "{env:#}");
        assert!(env["accepts_response_payload"].is_boolean(), "{env:#}");
        let parsed = match env["type"].as_str() {
            Some("events_api") => {
                serde_json::from_value::<SlackPushEventCallback>(payload).map(|e| {
                    assert!(
                        !matches!(e.event, SlackEventCallbackBody::Unknown(_)),
                        "an event slack-morphism does not know: {env:#}"
                    )
                })
            }
            Some("slash_commands") => {
                serde_json::from_value::<SlackCommandEvent>(payload).map(|_| ())
            }
            Some("interactive") => {
                serde_json::from_value::<SlackInteractionEvent>(payload).map(|_| ())
            }
            other => panic!("envelope type {other:?}"),
        };
        parsed.unwrap_or_else(|e| panic!("{e}: {env:#}"));
    }
}

#[test]
fn socket_mode_delivers_envelopes_and_records_acks() {
    let emu = SlackEmulator::start();
    let l = Listener::start(&emu);
    assert!(emu.wait_connected(T), "the listener connects");
    assert_eq!(
        l.log.wait(|g| match g {
            Got::Hello(n) => Some(*n),
            _ => None,
        }),
        1
    );
    assert_eq!(emu.connections(), 1);
    assert_eq!(emu.open_sockets(), 1);
    let open = emu
        .wait_for(T, |r| r.is("apps.connections.open"))
        .expect("opened");
    assert_eq!(open.token.as_deref(), Some(APP_TOKEN));

    // A user's message.
    let id = emu.message(Msg {
        channel: "C1".into(),
        user: "U1".into(),
        text: "hello <@U2>".into(),
        ..Default::default()
    });
    assert_eq!(emu.ack(&id, T), Some(json!({"envelope_id": id})));
    let (event, m) = l.log.wait(|g| match g {
        Got::Push(p) => match &p.event {
            SlackEventCallbackBody::Message(m) => Some(((**p).clone(), m.clone())),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(event.team_id.value(), TEAM_ID);
    assert_eq!(event.api_app_id.value(), APP_ID);
    assert_eq!(m.sender.user, Some("U1".into()));
    assert_eq!(m.sender.bot_id, None);
    assert_eq!(m.subtype, None);
    assert_eq!(m.origin.channel, Some("C1".into()));
    assert_eq!(
        m.origin.channel_type,
        Some(SlackChannelType("channel".into()))
    );
    let content = m.content.expect("content");
    assert_eq!(content.text.as_deref(), Some("hello <@U2>"));
    assert!(matches!(
        content.blocks.as_deref(),
        Some([SlackBlock::RichText(_)])
    ));

    // A mention, in a thread.
    let id = emu.message(Msg {
        channel: "C1".into(),
        user: "U1".into(),
        text: format!("<@{BOT_USER_ID}> help"),
        mention: true,
        thread_ts: Some("1700000000.000100".into()),
        ..Default::default()
    });
    assert!(emu.ack(&id, T).is_some());
    let mention = l.log.wait(|g| match g {
        Got::Push(p) => match &p.event {
            SlackEventCallbackBody::AppMention(m) => Some(m.clone()),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(mention.user.value(), "U1");
    assert_eq!(mention.origin.thread_ts, Some("1700000000.000100".into()));

    // A slash command: answered in the ack (in channel) and through the response_url.
    let id = emu.slash(Slash {
        command: "/badge".into(),
        text: "list".into(),
        user: "U1".into(),
        user_name: "ana".into(),
        channel: "C1".into(),
        channel_name: "general".into(),
    });
    let ack = emu.ack(&id, T).expect("slash ack");
    assert_eq!(ack["envelope_id"], json!(id));
    assert_eq!(ack["payload"]["text"], "got list");
    assert_eq!(ack["payload"]["response_type"], "in_channel");
    let cmd = l.log.wait(|g| match g {
        Got::Command(c) => Some(c.clone()),
        _ => None,
    });
    assert_eq!(cmd.command.value(), "/badge");
    assert_eq!(cmd.user_id.value(), "U1");
    assert_eq!(cmd.channel_name.as_deref(), Some("general"));
    assert_eq!(cmd.response_url.value().as_str(), emu.response_url(1));
    let later = emu
        .wait_for(T, |r| r.is("response_url"))
        .expect("response_url post");
    assert_eq!(later.response_id, Some(1));
    assert_eq!(later.body["text"], "later: list");
    assert_eq!(later.response, json!({"ok": true}));
    assert_eq!(emu.ephemerals("C1")[0]["text"], "later: list");
    assert_eq!(emu.ephemerals("C1")[0]["user_shown"], "U1");

    // The in-channel ack answer is a message of the channel, echoed as the bot's.
    let answer = emu
        .messages("C1")
        .into_iter()
        .find(|m| m["text"] == "got list")
        .expect("the in-channel answer");
    assert_eq!(answer["bot_id"], BOT_ID);

    // The bot posts buttons; its own message comes back with bot_id.
    let posted = l.post(
        "C1",
        SlackMessageContent::new()
            .with_text("Badge request".into())
            .with_blocks(badge_blocks()),
    );
    let echo = l.log.wait(|g| match g {
        Got::Push(p) => match &p.event {
            SlackEventCallbackBody::Message(m) if m.origin.ts == posted.ts => Some(m.clone()),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(echo.sender.bot_id, Some(BOT_ID.into()));
    assert_eq!(echo.sender.user, Some(BOT_USER_ID.into()));
    assert!(echo.sender.bot_profile.is_some());
    assert_eq!(echo.subtype, None);

    // A user presses a button on it.
    let id = emu.press(Press {
        action_id: "deny".into(),
        user: "U2".into(),
        user_name: "bob".into(),
        channel: "C1".into(),
        ..Default::default()
    });
    assert_eq!(emu.ack(&id, T), Some(json!({"envelope_id": id})));
    let press = l.log.wait(|g| match g {
        Got::Interaction(i) => match &**i {
            SlackInteractionEvent::BlockActions(b) => Some(b.clone()),
            _ => None,
        },
        _ => None,
    });
    let action = &press.actions.as_ref().expect("actions")[0];
    assert_eq!(action.action_id.value(), "deny");
    assert_eq!(action.value.as_deref(), Some("req-1"));
    assert_eq!(
        press.user.as_ref().map(|u| u.id.value().as_str()),
        Some("U2")
    );
    assert_eq!(
        press.message.as_ref().map(|m| m.origin.ts.clone()),
        Some(posted.ts.clone())
    );
    match &press.container {
        SlackInteractionActionContainer::Message(c) => {
            assert_eq!(c.message_ts, posted.ts);
            assert_eq!(c.channel_id, Some("C1".into()));
        }
        other => panic!("container {other:?}"),
    }
    let response_url = press.response_url.as_ref().expect("response_url");

    // Answering the press through its response_url replaces the message.
    let bot = token(BOT_TOKEN);
    l.rt.block_on(async {
        l.client
            .respond_to_event(
                response_url,
                &SlackApiPostWebhookMessageRequest::new(
                    SlackMessageContent::new().with_text("Denied by bob".into()),
                )
                .with_replace_original(true),
            )
            .await
            .expect("response_url");
        l.client
            .open_session(&bot)
            .chat_update(&SlackApiChatUpdateRequest::new(
                "C1".into(),
                SlackMessageContent::new()
                    .with_text("Denied by bob (edited)".into())
                    .with_blocks(vec![]),
                posted.ts.clone(),
            ))
            .await
            .expect("chat.update")
    });
    let stored = emu
        .messages("C1")
        .into_iter()
        .find(|m| m["ts"] == json!(posted.ts.value()))
        .expect("stored");
    assert_eq!(stored["text"], "Denied by bob (edited)");
    assert_eq!(
        stored.get("blocks"),
        None,
        "an empty blocks array removes them"
    );

    // Edits come back as message_changed, without a top-level user.
    let changed = l.log.wait(|g| match g {
        Got::Push(p) => match &p.event {
            SlackEventCallbackBody::Message(m)
                if m.subtype == Some(SlackMessageEventType::MessageChanged) =>
            {
                Some(m.clone())
            }
            _ => None,
        },
        _ => None,
    });
    assert_eq!(changed.sender.user, None);
    assert_eq!(
        changed.message.as_ref().map(|m| m.ts.clone()),
        Some(posted.ts.clone())
    );

    // Every echo was acked too, and nothing failed to parse.
    let echoes = emu.envelopes().len();
    assert!(poll(|| emu.acks().len() == echoes), "all acked");
    assert_envelopes_parse(&emu);
    assert_eq!(l.log.errors(), Vec::<String>::new());
}

fn poll(f: impl Fn() -> bool) -> bool {
    let end = std::time::Instant::now() + T;
    while std::time::Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    f()
}

#[test]
fn listener_reconnects_after_drops_and_refreshes() {
    let emu = SlackEmulator::start_with(Options {
        echo_bot_messages: false,
        hello_delay: Duration::from_millis(200),
    });
    let l = Listener::start(&emu);
    assert!(emu.wait_connected(T));

    let mut texts = Vec::new();
    for round in 0..3 {
        match round {
            1 => emu.drop_connections(),
            2 => emu.request_refresh(),
            _ => {}
        }
        if round > 0 {
            assert_eq!(emu.open_sockets(), 0, "closed at once");
        }
        // Sent while the listener reconnects: waits for the new socket's hello.
        let text = format!("round {round}");
        let id = emu.message(Msg {
            channel: "C1".into(),
            user: "U1".into(),
            text: text.clone(),
            ..Default::default()
        });
        assert!(emu.ack(&id, T).is_some(), "acked after round {round}");
        assert_eq!(emu.connections(), round + 1);
        texts.push(text);
    }
    let seen: Vec<String> = l
        .log
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|g| match g {
            Got::Push(p) => match &p.event {
                SlackEventCallbackBody::Message(m) => m.content.as_ref()?.text.clone(),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(seen, texts);
    let hellos = emu
        .requests()
        .iter()
        .filter(|r| r.is("apps.connections.open"))
        .count();
    assert_eq!(hellos, 3, "one apps.connections.open per connection");
    assert_envelopes_parse(&emu);
    // The abrupt drop reaches the error handler (the listener then reconnects); nothing else.
    assert_eq!(
        l.log.errors(),
        vec![
            "Slack socket mode protocol error: Slack WSS error: \
              Protocol(ResetWithoutClosingHandshake)"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The HTTP helpers

#[test]
fn http_helpers_match_slack_morphism() {
    let secret = "8f742231b10e8888abcd99yyyzzz85a5";
    let ts = now_unix();
    let body = r#"{"type":"url_verification","challenge":"x"}"#;
    let verifier = SlackEventSignatureVerifier::new(&SlackSigningSecret::new(secret.into()));
    verifier
        .verify(&sign(secret, ts, body), body, &ts.to_string())
        .expect("the signature verifies");
    assert!(verifier
        .verify(&sign("other", ts, body), body, &ts.to_string())
        .is_err());

    let emu = SlackEmulator::start();
    let slash = Slash {
        command: "/badge".into(),
        text: "give @ana helper".into(),
        user: "U1".into(),
        user_name: "olga".into(),
        channel: "C1".into(),
        channel_name: "general".into(),
    };
    let form = slash_form(&slash, &emu.response_url(7));
    let fields: serde_json::Map<String, Value> = form_urlencoded_pairs(&form);
    let cmd: SlackCommandEvent = serde_json::from_value(Value::Object(fields)).expect("parses");
    assert_eq!(cmd.text.as_deref(), Some("give @ana helper"));
    assert_eq!(cmd.response_url.value().as_str(), emu.response_url(7));

    // Payloads for the HTTP endpoints parse too.
    let push: SlackPushEvent =
        serde_json::from_value(emu.message_payload(Msg::default())).expect("event_callback");
    assert!(matches!(
        push,
        SlackPushEvent::EventCallback(SlackPushEventCallback {
            event: SlackEventCallbackBody::Message(_),
            ..
        })
    ));
    let press = emu.press_payload(Press {
        action_id: "approve".into(),
        value: Some("x".into()),
        ..Default::default()
    });
    let form = interaction_form(&press);
    assert!(form.starts_with("payload=%7B"));
    let parsed: SlackInteractionEvent = serde_json::from_value(press).expect("block_actions");
    assert!(matches!(parsed, SlackInteractionEvent::BlockActions(_)));
    let slash_payload: SlackCommandEvent =
        serde_json::from_value(emu.slash_payload(slash.clone())).expect("slash payload");
    let response_url = slash_payload.response_url.value().to_string();

    // `post` against the emulator: a form-encoded API call, and response_urls.
    let (status, answer) = post(
        &format!("{}/auth.test", emu.api_url()),
        &[],
        "application/x-www-form-urlencoded",
        &format!("token={BOT_TOKEN}"),
    );
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&answer).expect("json");
    assert_eq!(answer["user_id"], BOT_USER_ID);
    let (status, _) = post(&emu.response_url(999), &[], "application/json", "{}");
    assert_eq!(status, 404);
    let (status, answer) = post(
        &response_url,
        &[],
        "application/json",
        r#"{"response_type":"in_channel","text":"everyone sees this"}"#,
    );
    assert_eq!((status, answer.as_str()), (200, r#"{"ok":true}"#));
    assert_eq!(emu.messages("C1")[0]["text"], "everyone sees this");
    for _ in 0..4 {
        assert_eq!(
            post(
                &response_url,
                &[],
                "application/json",
                r#"{"text":"again"}"#
            )
            .0,
            200
        );
    }
    assert_eq!(
        post(
            &response_url,
            &[],
            "application/json",
            r#"{"text":"sixth"}"#
        )
        .0,
        404,
        "a response_url takes 5 answers"
    );
}

fn form_urlencoded_pairs(form: &str) -> serde_json::Map<String, Value> {
    form_urlencoded::parse(form.as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect()
}

#[test]
fn views_open_takes_a_trigger_once_and_a_sent_view_parses() {
    let emu = SlackEmulator::start();
    let rt = runtime();
    let client = SlackClient::new(connector(&emu));
    let bot = token(BOT_TOKEN);
    let trigger = emu.slash_payload(Slash::default())["trigger_id"]
        .as_str()
        .unwrap()
        .to_string();
    let input = |name: &str| -> SlackBlock {
        SlackInputBlock::new(
            SlackBlockPlainText::new(name.to_uppercase()).into(),
            SlackInputBlockElement::PlainTextInput(
                SlackBlockPlainTextInputElement::new().with_action_id(name.into()),
            ),
        )
        .with_block_id(name.into())
        .into()
    };
    let view = |title: &str| {
        SlackView::Modal(
            SlackModalView::new(
                SlackBlockPlainText::new(title.into()).into(),
                vec![input("title"), input("abstract")],
            )
            .with_callback_id("talk-form:propose".into())
            .with_private_metadata("C1".into()),
        )
    };
    let view_id = rt.block_on(async {
        let session = client.open_session(&bot);
        let too_long = session
            .views_open(&SlackApiViewsOpenRequest::new(
                trigger.clone().into(),
                view("A title far longer than Slack allows"),
            ))
            .await
            .expect_err("a title over 24 characters");
        assert_eq!(api_error(too_long).code, "invalid_arguments");
        let opened = session
            .views_open(&SlackApiViewsOpenRequest::new(
                trigger.clone().into(),
                view("Propose a talk"),
            ))
            .await
            .expect("views.open");
        let again = session
            .views_open(&SlackApiViewsOpenRequest::new(
                trigger.clone().into(),
                view("Propose a talk"),
            ))
            .await
            .expect_err("a trigger is good once");
        assert_eq!(api_error(again).code, "invalid_trigger_id");
        opened.view.state_params.id.to_string()
    });
    assert_eq!(emu.views().len(), 1);

    let l = Listener::start(&emu);
    assert!(emu.wait_connected(T), "the listener connects");
    emu.submit_view(tests::slack::ViewSubmit {
        view_id,
        values: vec![("title".into(), "Lambda at scale".into())],
        user: "U1".into(),
        user_name: "ana".into(),
    });
    assert_envelopes_parse(&emu);
    let env = emu.envelopes().pop().unwrap();
    let Ok(SlackInteractionEvent::ViewSubmission(sent)) =
        serde_json::from_value::<SlackInteractionEvent>(env["payload"].clone())
    else {
        panic!("a view submission: {env:#}");
    };
    let SlackView::Modal(modal) = &sent.view.view else {
        panic!("a modal");
    };
    assert_eq!(modal.private_metadata.as_deref(), Some("C1"));
    let state = sent.view.state_params.state.expect("a state");
    let title =
        &state.values[&SlackBlockId::new("title".into())][&SlackActionId::new("title".into())];
    assert_eq!(title.value.as_deref(), Some("Lambda at scale"));
    drop(l);
}
