//! A local emulator of the parts of Slack the bot uses: the Web API, Socket Mode (websocket) and
//! `response_url`s, on one port of 127.0.0.1, speaking what slack-morphism 2.31.1 expects.
//!
//! The API is synchronous so plain `#[test]` functions can drive it; the server runs on its own
//! tokio runtime on a background thread. Point slack-morphism at it with
//! `SlackClientHyperConnector::with_connector(HttpConnector::new()).with_slack_api_url(&emu.api_url())`:
//! every Web API call then goes to `http://127.0.0.1:PORT/api/<method>`, and Socket Mode's
//! `apps.connections.open` answers `ws://127.0.0.1:PORT/socket?ticket=N`.
//!
//! What it emulates:
//!
//! - Web API ([`Request`] records every call, failing ones too): `auth.test`,
//!   `apps.connections.open` (app token only), `chat.postMessage`, `chat.postEphemeral`,
//!   `chat.update`, `chat.delete`, `conversations.open`, `conversations.info`,
//!   `conversations.invite`, `users.info`, `files.getUploadURLExternal` and
//!   `files.completeUploadExternal` with the upload URLs (`/upload/<file id>`) between them
//!   ([`SlackEmulator::files`]), `usergroups.list`, `usergroups.update`, `usergroups.users.list`, `usergroups.users.update`;
//!   anything else is `unknown_method`. Answers are HTTP 200 with `{"ok": true, ...}` or
//!   `{"ok": false, "error": ...}` as on Slack, 429 with `Retry-After: 1` when
//!   [`SlackEmulator::rate_limit_next`] says so. Parameters may come as JSON, form or query.
//!   Block Kit limits that bots trip over are enforced (`invalid_blocks` with Slack-style
//!   `errors`), as are `no_text` and `msg_too_long` (40,000 characters).
//! - Socket Mode: `hello` on connect (after [`Options::hello_delay`]), envelopes
//!   (`events_api`, `slash_commands`, `interactive`) round robin over the open sockets, acks
//!   recorded ([`SlackEmulator::ack`]), pings answered, `disconnect` (refresh_requested) and
//!   abrupt drops on demand.
//! - The bot's own posts come back as `message` events (with `bot_id` and `bot_profile`, no
//!   `subtype`), and its edits as `message` events with `subtype: "message_changed"` (no
//!   top-level `user`), as on Slack, unless [`Options::echo_bot_messages`] is off. A bot must
//!   ignore both.
//! - `response_url`s (`/response/<id>`): recorded as [`Request`]s with method `"response_url"`
//!   and answered `{"ok": true}`. An `in_channel` answer to a slash command becomes a message of
//!   its channel; `replace_original` / `delete_original` after a button press change the pressed
//!   message; anything else is ephemeral ([`SlackEmulator::ephemerals`]). Each URL takes 5
//!   answers, then `used_url` (HTTP 404). The ack payload of a slash command is handled the same
//!   way (`response_type: "in_channel"` posts in the channel, otherwise ephemeral).
//!
//! Messages posted to a user id (`U...`) go to the DM channel `"D" + user id`, which is also what
//! `conversations.open` answers.
//!
//! slack-morphism 2.31.1 behaviour worth knowing when testing against this:
//!
//! - An event it cannot parse as a known type becomes `SlackEventCallbackBody::Unknown`, silently.
//! - The Socket Mode listener acks an envelope only after the callback returns, one envelope at
//!   a time per socket; an error returned from a callback goes to the error handler, whose
//!   default answer (400) means no ack at all.
//! - It opens `max_connections_count` sockets (default 2, each next one 5 s later) and
//!   reconnects at once after a close, a drop or a `disconnect` message. A drop
//!   ([`SlackEmulator::drop_connections`]) also reaches its error handler as
//!   `Slack WSS error: Protocol(ResetWithoutClosingHandshake)`.

mod api;
mod blocks;
mod client;
mod files;
mod payload;
mod server;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::emulator;
use serde_json::{json, Value};
use tokio::sync::mpsc;

pub use client::{interaction_form, now_unix, post, sign, slash_form};
pub use files::File;

/// The workspace.
pub const TEAM_ID: &str = "T0TEAM";
/// The workspace's domain (`emulated.slack.com`).
pub const TEAM_DOMAIN: &str = "emulated";
/// The bot's user id (`auth.test` `user_id`).
pub const BOT_USER_ID: &str = "UBOT";
/// The bot's bot id (`auth.test` `bot_id`).
pub const BOT_ID: &str = "BBOT";
/// The bot's user name (`auth.test` `user`).
pub const BOT_NAME: &str = "bot";
pub const APP_ID: &str = "A0APP";
pub const BOT_TOKEN: &str = "xoxb-test-token";
pub const APP_TOKEN: &str = "xapp-test-token";
/// The (deprecated) verification token in payloads.
pub const VERIFICATION_TOKEN: &str = "emulated-verification-token";
/// The channel of a [`Msg`], [`Slash`] or [`Press`] whose `channel` is empty (`#general`).
pub const GENERAL: &str = "C0GENERAL";
/// The user of a [`Msg`], [`Slash`] or [`Press`] whose `user` is empty (`alice`).
pub const ALICE: &str = "U0ALICE";

/// A user's message: an `events_api` envelope with a `message` event, or `app_mention` when
/// `mention` is set (write the mention into `text` yourself: `"<@UBOT> hello"`).
///
/// Empty `channel` / `user` mean [`GENERAL`] / [`ALICE`]. `channel_type` defaults to `"im"` for
/// `D...` channels, else `"channel"` (`app_mention` events carry none, as on Slack). The event
/// has `blocks` with the text as `rich_text` (`<@U...>` as user elements), as Slack sends.
#[derive(Clone, Debug, Default)]
pub struct Msg {
    pub channel: String,
    pub user: String,
    pub text: String,
    /// Generated (unique, increasing) when `None`.
    pub ts: Option<String>,
    pub thread_ts: Option<String>,
    pub mention: bool,
    pub channel_type: Option<String>,
}

/// A slash command: a `slash_commands` envelope (`accepts_response_payload: true`) whose
/// `response_url` is [`SlackEmulator::response_url`] of a fresh id.
///
/// Empty fields default to `/help`, [`ALICE`], `alice`, [`GENERAL`] and the channel's known
/// name (else `general`, `directmessage` for `D...`).
#[derive(Clone, Debug, Default)]
pub struct Slash {
    pub command: String,
    pub text: String,
    pub user: String,
    pub user_name: String,
    pub channel: String,
    pub channel_name: String,
}

/// A button press: an `interactive` envelope with a `block_actions` payload
/// (`accepts_response_payload: false`).
///
/// The pressed message is the stored message `message_ts` of the channel; without one, the bot's
/// latest message in the channel with an element of this `action_id`, else its latest message
/// there. The action's `block_id`, `text`, `type` and (when `value` is `None`) `value` come from
/// that element. Without any stored message, a made-up `message_ts` is used and the payload has
/// no `message`.
#[derive(Clone, Debug, Default)]
pub struct Press {
    pub action_id: String,
    pub value: Option<String>,
    pub user: String,
    pub user_name: String,
    pub channel: String,
    pub message_ts: Option<String>,
}

/// A modal sent: an `interactive` envelope with a `view_submission` payload for the view
/// `view_id` that the bot opened with `views.open`, each `(action_id, value)` in the state of
/// the input block holding that action.
#[derive(Clone, Debug, Default)]
pub struct ViewSubmit {
    pub view_id: String,
    pub values: Vec<(String, String)>,
    pub user: String,
    pub user_name: String,
}

/// A Web API call or a `response_url` POST the bot made.
#[derive(Clone, Debug)]
pub struct Request {
    /// The Web API method (`chat.postMessage`), or `"response_url"`.
    pub method: String,
    /// `GET` / `POST`.
    pub http_method: String,
    /// From `Authorization: Bearer ...` (or a `token` parameter).
    pub token: Option<String>,
    /// The JSON body; form and query parameters as an object of strings (merged, body first).
    pub body: Value,
    /// For `response_url` posts, the id in the URL.
    pub response_id: Option<u64>,
    pub at: Instant,
    /// The HTTP status the emulator answered.
    pub status: u16,
    /// The JSON the emulator answered.
    pub response: Value,
}

impl Request {
    /// The method is `method`.
    pub fn is(&self, method: &str) -> bool {
        self.method == method
    }

    /// The answer had `"ok": true`.
    pub fn ok(&self) -> bool {
        self.response["ok"] == json!(true)
    }
}

/// Settings for [`SlackEmulator::start_with`].
#[derive(Clone, Debug)]
pub struct Options {
    /// Deliver the bot's own posts (and edits) back as `message` events, as Slack does (only
    /// when a socket is open; no waiting).
    pub echo_bot_messages: bool,
    /// How long after a socket opens `hello` is sent.
    pub hello_delay: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            echo_bot_messages: true,
            hello_delay: Duration::ZERO,
        }
    }
}

/// How long an envelope waits for an open socket before the emulator panics.
const SOCKET_WAIT: Duration = Duration::from_secs(10);

/// The emulator; dropping it stops the server.
pub struct SlackEmulator {
    shared: Arc<Shared>,
    server: emulator::Server,
}

impl SlackEmulator {
    /// Starts on 127.0.0.1 with an ephemeral port and default [`Options`].
    pub fn start() -> SlackEmulator {
        Self::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> SlackEmulator {
        let mut shared = None;
        let server = emulator::Server::start("slack-emulator", |port| {
            let base_url = format!("http://127.0.0.1:{port}");
            let made = Arc::new(Shared {
                state: Mutex::new(State {
                    base_url: base_url.clone(),
                    ..State::default()
                }),
                changed: Condvar::new(),
                options,
                base_url,
            });
            shared = Some(made.clone());
            move |req| server::handle(made.clone(), req)
        });
        SlackEmulator {
            shared: shared.expect("the handler was built"),
            server,
        }
    }

    /// `http://127.0.0.1:PORT/api`, for `with_slack_api_url`.
    pub fn api_url(&self) -> String {
        format!("{}/api", self.shared.base_url)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// Waits until at least one socket is open and was sent `hello`; false on timeout.
    pub fn wait_connected(&self, timeout: Duration) -> bool {
        self.wait_state(timeout, |st| st.sockets.values().any(|s| s.hello))
            .is_some()
    }

    /// Sockets opened so far (including closed ones).
    pub fn connections(&self) -> usize {
        self.lock().connections
    }

    /// Sockets open now (dropped or refreshed ones no longer count).
    pub fn open_sockets(&self) -> usize {
        self.lock().sockets.len()
    }

    /// A user posts a message; returns the envelope id.
    pub fn message(&self, m: Msg) -> String {
        let payload = self.lock().message_payload(&m);
        self.deliver("events_api", payload, false)
    }

    /// A user runs a slash command; returns the envelope id.
    pub fn slash(&self, s: Slash) -> String {
        let payload = self.lock().slash_payload(&s);
        self.deliver("slash_commands", payload, true)
    }

    /// A user presses a button; returns the envelope id.
    pub fn press(&self, p: Press) -> String {
        let payload = self.lock().press_payload(&p);
        self.deliver("interactive", payload, false)
    }

    /// A user sends a modal the bot opened; returns the envelope id. Panics when the view was
    /// never opened.
    pub fn submit_view(&self, v: ViewSubmit) -> String {
        let payload = self.lock().view_submission(&v);
        self.deliver("interactive", payload, true)
    }

    /// The views the bot opened (`views.open`), oldest first, as stored (with their `id`).
    pub fn views(&self) -> Vec<Value> {
        self.lock().views.values().cloned().collect()
    }

    /// A user joins the workspace: a `team_join` event (and `users.info` knows them from
    /// then on, with `locale`); returns the envelope id.
    pub fn member_joins(&self, id: &str, name: &str, locale: &str) -> String {
        let payload = {
            let mut st = self.lock();
            st.users
                .insert(id.to_string(), (name.to_string(), locale.to_string()));
            let user = payload::user(id, name, locale, true);
            let ts = st.next_ts();
            st.event_callback(json!({"type": "team_join", "user": user, "event_ts": ts}))
        };
        self.deliver("events_api", payload, false)
    }

    /// The users the bot invited to `channel` with `conversations.invite`, in order.
    pub fn invited(&self, channel: &str) -> Vec<String> {
        self.lock()
            .invited
            .get(channel)
            .cloned()
            .unwrap_or_default()
    }

    /// The `event_callback` a [`Msg`] makes, without sending it (for the HTTP Events API).
    pub fn message_payload(&self, m: Msg) -> Value {
        self.lock().message_payload(&m)
    }

    /// The slash command payload a [`Slash`] makes (with a fresh `response_url`), unsent.
    pub fn slash_payload(&self, s: Slash) -> Value {
        self.lock().slash_payload(&s)
    }

    /// The `block_actions` payload a [`Press`] makes (with a fresh `response_url`), unsent; see
    /// [`interaction_form`] for the HTTP body.
    pub fn press_payload(&self, p: Press) -> Value {
        self.lock().press_payload(&p)
    }

    /// Sends the payload of an envelope sent before again, in a new envelope marked as
    /// Slack's retry (`retry_attempt: 1`, `retry_reason: "timeout"`), as Slack does when an
    /// envelope was not acknowledged in time; returns the new envelope's id.
    pub fn redeliver(&self, envelope_id: &str) -> String {
        let (kind, payload, accepts) = {
            let st = self.lock();
            let env = st
                .envelopes
                .iter()
                .find(|e| e.id == envelope_id)
                .unwrap_or_else(|| panic!("no envelope {envelope_id}"));
            (
                env.kind.clone(),
                env.json["payload"].clone(),
                env.json["accepts_response_payload"] == json!(true),
            )
        };
        let st = self.wait_state(SOCKET_WAIT, |st| st.sockets.values().any(|s| s.hello));
        let mut st = st.expect("an open socket to redeliver on");
        let id = st
            .deliver_attempt(&kind, payload, accepts, 1)
            .expect("an open socket");
        self.notify(st);
        id
    }

    /// Waits for the ack of an envelope; the ack frame (`{"envelope_id", "payload"?}`), or
    /// `None` on timeout.
    pub fn ack(&self, envelope_id: &str, timeout: Duration) -> Option<Value> {
        let st = self.wait_state(timeout, |st| st.acks.contains_key(envelope_id))?;
        st.acks.get(envelope_id).cloned()
    }

    /// Every envelope sent so far, oldest first, as sent.
    pub fn envelopes(&self) -> Vec<Value> {
        self.lock()
            .envelopes
            .iter()
            .map(|e| e.json.clone())
            .collect()
    }

    /// Every frame the clients sent that carried an `envelope_id` (acks), oldest first.
    pub fn acks(&self) -> Vec<Value> {
        self.lock().ack_log.clone()
    }

    /// Closes every open socket abruptly (TCP close, no close frame).
    pub fn drop_connections(&self) {
        let mut st = self.lock();
        for (_, s) in std::mem::take(&mut st.sockets) {
            let _ = s.tx.send(Out::Drop);
        }
        self.notify(st);
    }

    /// Sends `{"type": "disconnect", "reason": "refresh_requested", ...}` on every open socket,
    /// then closes them (with a close frame, after the client closes or 1 s). They stop counting
    /// as open at once.
    pub fn request_refresh(&self) {
        let mut st = self.lock();
        let frame = payload::disconnect("refresh_requested").to_string();
        for (_, s) in std::mem::take(&mut st.sockets) {
            let _ = s.tx.send(Out::Refresh(frame.clone()));
        }
        self.notify(st);
    }

    /// Every Web API call and `response_url` post so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        self.lock()
            .requests
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// Waits for the oldest request matching `pred` that no earlier `wait_for` returned, and
    /// returns it (so successive calls with the same predicate step through successive
    /// requests). Requests made before the call count. `None` on timeout.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&Request) -> bool) -> Option<Request> {
        let mut found = None;
        emulator::wait_until(self.lock(), &self.shared.changed, timeout, |st| {
            found = emulator::take_first(&mut st.requests, &pred);
            found.is_some()
        });
        found
    }

    /// The messages of a channel (the bot's posts, edited in place by `chat.update`, and
    /// `in_channel` responses), oldest first: `{"type", "ts", "text", "user", "bot_id",
    /// "blocks"?, "thread_ts"?, "edited"?, ...}`. A user id means the DM with that user.
    pub fn messages(&self, channel: &str) -> Vec<Value> {
        let channel = dm_channel(channel);
        self.lock()
            .messages
            .get(&channel)
            .cloned()
            .unwrap_or_default()
    }

    /// Every file given an upload URL, oldest first, with its bytes once uploaded and where
    /// `files.completeUploadExternal` shared it.
    pub fn files(&self) -> Vec<File> {
        self.lock().files.values().cloned().collect()
    }

    /// Ephemeral messages shown in a channel (`chat.postEphemeral`, ephemeral slash command
    /// answers and `response_url` posts), oldest first, each with the `user` who sees it.
    pub fn ephemerals(&self, channel: &str) -> Vec<Value> {
        let channel = dm_channel(channel);
        self.lock()
            .ephemerals
            .get(&channel)
            .cloned()
            .unwrap_or_default()
    }

    /// Adds a user group; returns its id (`S0001`, `S0002`, ...).
    pub fn add_usergroup(&self, handle: &str, members: &[&str]) -> String {
        let mut st = self.lock();
        st.next_usergroup += 1;
        let id = format!("S{:04}", st.next_usergroup);
        let now = now_unix();
        st.usergroups.insert(
            id.clone(),
            UserGroup {
                id: id.clone(),
                handle: handle.to_string(),
                name: handle.to_string(),
                description: String::new(),
                users: members.iter().map(|m| m.to_string()).collect(),
                created: now,
                updated: now,
                updated_by: "U0ADMIN".into(),
            },
        );
        id
    }

    /// The members of a user group (empty for an unknown one).
    pub fn usergroup_members(&self, id: &str) -> Vec<String> {
        self.lock()
            .usergroups
            .get(id)
            .map(|g| g.users.clone())
            .unwrap_or_default()
    }

    /// What `users.info` answers for `id`. Unknown users are named after their id, locale
    /// `en-US`.
    pub fn set_user(&self, id: &str, name: &str, locale: &str) {
        self.lock()
            .users
            .insert(id.to_string(), (name.to_string(), locale.to_string()));
    }

    /// The next `n` calls of `method` get HTTP 429, `Retry-After: 1`,
    /// `{"ok": false, "error": "ratelimited"}`; as on Slack, a call of `method` that comes
    /// before that second has passed is refused the same way.
    pub fn rate_limit_next(&self, method: &str, n: usize) {
        *self
            .lock()
            .rate_limits
            .entry(method.to_string())
            .or_default() += n;
    }

    /// The next `n` calls of `method` get HTTP 503, `{"ok": false, "error":
    /// "service_unavailable"}`, and do nothing (Slack having a bad moment).
    pub fn fail_next(&self, method: &str, n: usize) {
        *self.lock().failures.entry(method.to_string()).or_default() += n;
    }

    /// The next `n` calls of `method` are answered only after `delay` (a slow Slack).
    pub fn delay_next(&self, method: &str, n: usize, delay: Duration) {
        self.lock().delays.insert(method.to_string(), (n, delay));
    }

    /// `http://127.0.0.1:PORT/response/<id>`.
    pub fn response_url(&self, id: u64) -> String {
        format!("{}/response/{id}", self.shared.base_url)
    }

    // -- internals ----------------------------------------------------------------------------

    fn deliver(&self, kind: &str, payload: Value, accepts_response_payload: bool) -> String {
        let st = self.wait_state(SOCKET_WAIT, |st| st.sockets.values().any(|s| s.hello));
        let Some(mut st) = st else {
            let st = self.lock();
            panic!(
                "Slack emulator: no open Socket Mode connection to deliver a {kind} envelope to \
                 (waited {SOCKET_WAIT:?}; sockets opened so far: {}, open now: {}). Is the bot \
                 connected (apps.connections.open with {APP_TOKEN})?",
                st.connections,
                st.sockets.len()
            );
        };
        let id = st
            .deliver(kind, payload, accepts_response_payload)
            .expect("an open socket");
        self.notify(st);
        id
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    fn notify(&self, st: MutexGuard<'_, State>) {
        drop(st);
        self.shared.changed.notify_all();
    }

    fn wait_state(
        &self,
        timeout: Duration,
        f: impl Fn(&State) -> bool,
    ) -> Option<MutexGuard<'_, State>> {
        emulator::wait_until(self.lock(), &self.shared.changed, timeout, |st| f(st))
    }
}

/// The DM channel of a user id (`U...`/`W...` -> `D` + id); other ids unchanged.
pub fn dm_channel(channel: &str) -> String {
    if channel.starts_with('U') || channel.starts_with('W') {
        format!("D{channel}")
    } else {
        channel.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared state

pub(crate) struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    options: Options,
    base_url: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long to hold the next call of `method`, if [`SlackEmulator::delay_next`] said so.
    fn take_delay(&self, method: &str) -> Option<Duration> {
        let mut st = self.lock();
        let (n, delay) = st.delays.get_mut(method)?;
        if *n == 0 {
            return None;
        }
        *n -= 1;
        Some(*delay)
    }

    fn notify(&self, st: MutexGuard<'_, State>) {
        drop(st);
        self.changed.notify_all();
    }
}

/// What a socket task is told to do.
pub(crate) enum Out {
    /// Send `hello` (marks the socket ready).
    Hello,
    Frame(String),
    /// Send this `disconnect` frame, then close.
    Refresh(String),
    /// Close without a close frame.
    Drop,
}

pub(crate) struct Socket {
    tx: mpsc::UnboundedSender<Out>,
    hello: bool,
}

struct Envelope {
    id: String,
    kind: String,
    json: Value,
}

/// What a `response_url` answers for.
#[derive(Clone, Debug)]
enum Responder {
    Slash {
        channel: String,
        user: String,
    },
    Press {
        channel: String,
        user: String,
        message_ts: String,
    },
}

struct ResponseSlot {
    responder: Responder,
    uses: usize,
}

struct UserGroup {
    id: String,
    handle: String,
    name: String,
    description: String,
    users: Vec<String>,
    created: i64,
    updated: i64,
    updated_by: String,
}

#[derive(Default)]
pub(crate) struct State {
    /// `http://127.0.0.1:PORT`.
    base_url: String,
    requests: Vec<(Request, bool)>,
    sockets: BTreeMap<u64, Socket>,
    next_socket: u64,
    connections: usize,
    next_ticket: u64,
    tickets: HashSet<u64>,
    round_robin: usize,
    envelopes: Vec<Envelope>,
    acks: HashMap<String, Value>,
    ack_log: Vec<Value>,
    /// The latest ts handed out, in microseconds.
    last_ts: u64,
    counter: u64,
    messages: BTreeMap<String, Vec<Value>>,
    ephemerals: BTreeMap<String, Vec<Value>>,
    usergroups: BTreeMap<String, UserGroup>,
    next_usergroup: u64,
    users: HashMap<String, (String, String)>,
    channel_names: HashMap<String, String>,
    rate_limits: HashMap<String, usize>,
    failures: HashMap<String, usize>,
    /// Until when a method that was answered 429 keeps answering 429 (its Retry-After).
    retry_after: HashMap<String, Instant>,
    delays: HashMap<String, (usize, Duration)>,
    responses: HashMap<u64, ResponseSlot>,
    next_response: u64,
    /// Trigger ids handed out with slash commands and presses, not used yet.
    triggers: HashSet<String>,
    /// Views opened with `views.open`, by id.
    views: BTreeMap<String, Value>,
    /// channel -> the users `conversations.invite` added.
    invited: BTreeMap<String, Vec<String>>,
    /// Files by id (`files.getUploadURLExternal` and what followed).
    files: BTreeMap<String, files::File>,
    next_file: u64,
}

impl State {
    /// A fresh message ts, `"1700000000.000100"`-style, strictly increasing.
    fn next_ts(&mut self) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_micros() as u64)
            .unwrap_or(0);
        self.last_ts = now.max(self.last_ts + 1);
        format!(
            "{}.{:06}",
            self.last_ts / 1_000_000,
            self.last_ts % 1_000_000
        )
    }

    /// A fresh uuid-looking id.
    fn uuid(&mut self) -> String {
        self.counter += 1;
        let a = splitmix(self.counter);
        let b = splitmix(a ^ 0x5bd1_e995);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    fn next_counter(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn trigger_id(&mut self) -> String {
        let n = self.next_counter();
        let id = format!("{n}.{}.{:032x}", now_unix(), splitmix(n) as u128 * 0x9e37);
        self.triggers.insert(id.clone());
        id
    }

    /// `views.open`: a trigger is good once; the view is stored with an id and an empty state.
    pub(crate) fn open_view(&mut self, trigger_id: &str, mut view: Value) -> Value {
        self.triggers.remove(trigger_id);
        let id = format!("V{:010}", self.next_counter());
        view["id"] = json!(id);
        view["team_id"] = json!(TEAM_ID);
        view["app_id"] = json!(APP_ID);
        view["bot_id"] = json!(BOT_ID);
        view["root_view_id"] = json!(id);
        view["hash"] = json!(format!("{}.{}", now_unix(), self.uuid()));
        view["state"] = json!({"values": {}});
        for key in ["private_metadata", "callback_id", "external_id"] {
            if view[key].is_null() {
                view[key] = json!("");
            }
        }
        self.views.insert(id, view.clone());
        view
    }

    pub(crate) fn trigger_known(&self, trigger_id: &str) -> bool {
        self.triggers.contains(trigger_id)
    }

    fn view_submission(&mut self, v: &ViewSubmit) -> Value {
        let mut view = self
            .views
            .get(&v.view_id)
            .cloned()
            .unwrap_or_else(|| panic!("Slack emulator: no view {} was opened", v.view_id));
        let mut values = serde_json::Map::new();
        for block in view["blocks"].as_array().into_iter().flatten() {
            let action = block["element"]["action_id"].as_str().unwrap_or_default();
            let Some((_, value)) = v.values.iter().find(|(a, _)| a == action) else {
                continue;
            };
            let block_id = block["block_id"].as_str().unwrap_or(action).to_string();
            values.insert(
                block_id,
                json!({ action: {"type": "plain_text_input", "value": value} }),
            );
        }
        view["state"] = json!({ "values": values });
        let user = or(&v.user, ALICE);
        let trigger_id = self.trigger_id();
        json!({
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": {
                "id": user,
                "username": or(&v.user_name, "alice"),
                "name": or(&v.user_name, "alice"),
                "team_id": TEAM_ID,
            },
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": trigger_id,
            "view": view,
            "response_urls": [],
            "is_enterprise_install": false,
            "enterprise": null,
        })
    }

    fn new_response(&mut self, responder: Responder) -> u64 {
        self.next_response += 1;
        self.responses
            .insert(self.next_response, ResponseSlot { responder, uses: 0 });
        self.next_response
    }

    fn channel_name(&self, channel: &str) -> String {
        if let Some(n) = self.channel_names.get(channel) {
            return n.clone();
        }
        if channel.starts_with('D') {
            "directmessage".into()
        } else if channel == GENERAL {
            "general".into()
        } else {
            channel.to_lowercase()
        }
    }

    fn remember_channel_name(&mut self, channel: &str, name: &str) {
        if !name.is_empty() {
            self.channel_names
                .insert(channel.to_string(), name.to_string());
        }
    }

    // -- envelopes ----------------------------------------------------------------------------

    /// Sends an envelope on the next ready socket (round robin); its id, or `None` when no
    /// socket is ready.
    fn deliver(
        &mut self,
        kind: &str,
        payload: Value,
        accepts_response_payload: bool,
    ) -> Option<String> {
        self.deliver_attempt(kind, payload, accepts_response_payload, 0)
    }

    /// [`Self::deliver`], as Slack's `retry` attempt (0: the first delivery).
    fn deliver_attempt(
        &mut self,
        kind: &str,
        payload: Value,
        accepts_response_payload: bool,
        retry: u64,
    ) -> Option<String> {
        let ready: Vec<u64> = self
            .sockets
            .iter()
            .filter(|(_, s)| s.hello)
            .map(|(&id, _)| id)
            .collect();
        if ready.is_empty() {
            return None;
        }
        let socket = ready[self.round_robin % ready.len()];
        self.round_robin += 1;
        let id = self.uuid();
        let json = json!({
            "envelope_id": id,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": retry,
            "retry_reason": if retry > 0 { "timeout" } else { "" },
            "payload": payload,
        });
        let _ = self.sockets[&socket].tx.send(Out::Frame(json.to_string()));
        self.envelopes.push(Envelope {
            id: id.clone(),
            kind: kind.to_string(),
            json,
        });
        Some(id)
    }

    /// An event as Slack would push it, if echoes are on and a socket is ready.
    fn echo(&mut self, shared: &Shared, event: Value) {
        if shared.options.echo_bot_messages {
            let payload = self.event_callback(event);
            self.deliver("events_api", payload, false);
        }
    }

    fn event_callback(&mut self, event: Value) -> Value {
        let n = self.next_counter();
        payload::event_callback(event, n)
    }

    fn message_payload(&mut self, m: &Msg) -> Value {
        let ts = m.ts.clone().unwrap_or_else(|| self.next_ts());
        let client_msg_id = self.uuid();
        let event = payload::user_message(m, &ts, &client_msg_id);
        self.event_callback(event)
    }

    fn slash_payload(&mut self, s: &Slash) -> Value {
        let channel = or(&s.channel, GENERAL);
        let user = or(&s.user, ALICE);
        self.remember_channel_name(&channel, &s.channel_name);
        let channel_name = self.channel_name(&channel);
        let id = self.new_response(Responder::Slash {
            channel: channel.clone(),
            user: user.clone(),
        });
        let trigger_id = self.trigger_id();
        json!({
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": or(&s.user_name, "alice"),
            "command": or(&s.command, "/help"),
            "text": s.text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.response_url(id),
            "trigger_id": trigger_id,
        })
    }

    fn press_payload(&mut self, p: &Press) -> Value {
        let channel = or(&p.channel, GENERAL);
        let user = or(&p.user, ALICE);
        let message = self.pressed_message(&channel, p);
        let message_ts = match (&message, &p.message_ts) {
            (Some(m), _) => m["ts"].as_str().unwrap_or_default().to_string(),
            (None, Some(ts)) => ts.clone(),
            (None, None) => self.next_ts(),
        };
        let id = self.new_response(Responder::Press {
            channel: channel.clone(),
            user: user.clone(),
            message_ts: message_ts.clone(),
        });
        let element = message
            .as_ref()
            .and_then(|m| payload::find_element(&m["blocks"], &p.action_id));
        let action_ts = self.next_ts();
        let block_id = self.uuid()[..5].to_string();
        let action = payload::action(p, element.as_ref(), &block_id, &action_ts);
        let trigger_id = self.trigger_id();
        let mut d = json!({
            "type": "block_actions",
            "user": {
                "id": user,
                "username": or(&p.user_name, "alice"),
                "name": or(&p.user_name, "alice"),
                "team_id": TEAM_ID,
            },
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": false,
            },
            "trigger_id": trigger_id,
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": null,
            "is_enterprise_install": false,
            "channel": {"id": channel, "name": self.channel_name(&channel)},
            "state": {"values": {}},
            "response_url": self.response_url(id),
            "actions": [action],
        });
        match message {
            Some(m) => d["message"] = m,
            None if p.message_ts.is_some() => {
                d["message"] = json!({
                    "type": "message",
                    "ts": message_ts,
                    "text": "",
                    "user": BOT_USER_ID,
                    "bot_id": BOT_ID,
                    "app_id": APP_ID,
                    "team": TEAM_ID,
                })
            }
            None => {}
        }
        d
    }

    fn pressed_message(&self, channel: &str, p: &Press) -> Option<Value> {
        let messages = self.messages.get(channel)?;
        if let Some(ts) = &p.message_ts {
            return messages.iter().find(|m| m["ts"] == json!(ts)).cloned();
        }
        let bots = || messages.iter().rev().filter(|m| m["user"] == BOT_USER_ID);
        bots()
            .find(|m| payload::find_element(&m["blocks"], &p.action_id).is_some())
            .or_else(|| bots().next())
            .cloned()
    }

    fn response_url(&self, id: u64) -> String {
        format!("{}/response/{id}", self.base_url)
    }

    // -- acks ---------------------------------------------------------------------------------

    fn on_ack(&mut self, shared: &Shared, frame: Value) {
        let Some(id) = frame["envelope_id"].as_str().map(str::to_string) else {
            return;
        };
        self.ack_log.push(frame.clone());
        self.acks.insert(id.clone(), frame.clone());
        let Some(env) = self.envelopes.iter().find(|e| e.id == id) else {
            return;
        };
        if env.kind != "slash_commands" {
            return;
        }
        let answer = &frame["payload"];
        if !answer.is_object() || (answer["text"].is_null() && answer["blocks"].is_null()) {
            return;
        }
        let p = &env.json["payload"];
        let channel = p["channel_id"].as_str().unwrap_or(GENERAL).to_string();
        let user = p["user_id"].as_str().unwrap_or(ALICE).to_string();
        let answer = answer.clone();
        if answer["response_type"] == "in_channel" {
            self.bot_post(shared, &channel, &answer);
        } else {
            self.ephemeral(&channel, &user, &answer);
        }
    }

    // -- messages -----------------------------------------------------------------------------

    /// Stores a message by the bot (text, blocks, thread_ts from `body`) and echoes it.
    fn bot_post(&mut self, shared: &Shared, channel: &str, body: &Value) -> Value {
        let ts = self.next_ts();
        let message = payload::bot_message(&ts, body);
        self.messages
            .entry(channel.to_string())
            .or_default()
            .push(message.clone());
        let mut event = message.clone();
        event["channel"] = json!(channel);
        event["channel_type"] = json!(channel_type(channel));
        event["event_ts"] = json!(ts);
        self.echo(shared, event);
        message
    }

    fn ephemeral(&mut self, channel: &str, user: &str, body: &Value) -> String {
        let ts = self.next_ts();
        let mut message = payload::bot_message(&ts, body);
        message["user_shown"] = json!(user);
        self.ephemerals
            .entry(channel.to_string())
            .or_default()
            .push(message);
        ts
    }

    /// Replaces text and blocks (when given) of a stored message; the new message.
    fn edit(&mut self, shared: &Shared, channel: &str, ts: &str, body: &Value) -> Option<Value> {
        let edit_ts = self.next_ts();
        let m = self
            .messages
            .get_mut(channel)?
            .iter_mut()
            .find(|m| m["ts"] == json!(ts))?;
        let previous = m.clone();
        if let Some(text) = body.get("text").filter(|t| t.is_string()) {
            m["text"] = text.clone();
        }
        if let Some(blocks) = body.get("blocks").filter(|b| !b.is_null()) {
            let blocks = payload::blocks_value(blocks);
            match blocks.as_array() {
                Some(b) if b.is_empty() => {
                    m.as_object_mut().map(|o| o.remove("blocks"));
                }
                _ => m["blocks"] = blocks,
            }
        }
        m["edited"] = json!({"user": BOT_USER_ID, "ts": edit_ts});
        let message = m.clone();
        let event = json!({
            "type": "message",
            "subtype": "message_changed",
            "hidden": true,
            "message": message,
            "previous_message": previous,
            "channel": channel,
            "channel_type": channel_type(channel),
            "ts": edit_ts,
            "event_ts": edit_ts,
        });
        self.echo(shared, event);
        Some(message)
    }

    fn delete(&mut self, channel: &str, ts: &str) -> bool {
        let Some(list) = self.messages.get_mut(channel) else {
            return false;
        };
        let before = list.len();
        list.retain(|m| m["ts"] != json!(ts));
        list.len() != before
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn or(s: &str, default: &str) -> String {
    if s.is_empty() {
        default.to_string()
    } else {
        s.to_string()
    }
}

/// `im` for `D...`, `group` for `G...`, else `channel`.
fn channel_type(channel: &str) -> &'static str {
    if channel.starts_with('D') {
        "im"
    } else if channel.starts_with('G') {
        "group"
    } else {
        "channel"
    }
}
