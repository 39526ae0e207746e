//! A local emulator of the parts of Discord the bot uses: the gateway (websocket) and the REST
//! API, on one port of 127.0.0.1, speaking what serenity 0.12.5 expects.
//!
//! The API is synchronous so plain `#[test]` functions can drive it; the server runs on its own
//! tokio runtime on a background thread. Point serenity at it with
//! `HttpBuilder::new(token).proxy(emu.base_url()).ratelimiter_disabled(true)` and
//! `ClientBuilder::new_with_http(http, intents)`: building the client asks
//! `GET /api/v10/gateway`, which answers [`DiscordEmulator::gateway_url`].
//!
//! What it emulates, faithfully enough for serenity to parse every payload without a warning:
//!
//! - Gateway: HELLO, IDENTIFY -> READY (+ GUILD_CREATE with the `GUILDS` intent), HEARTBEAT ->
//!   HEARTBEAT_ACK, RESUME -> replay of the missed dispatches + RESUMED, per-session sequence
//!   numbers; GUILD_MEMBER_ADD on [`DiscordEmulator::member_joins`] (with the privileged
//!   `GUILD_MEMBERS` intent only). Dispatches honour the intents: MESSAGE_CREATE needs
//!   `GUILD_MESSAGES` (guild) or `DIRECT_MESSAGES` (DM), and without `MESSAGE_CONTENT` a
//!   guild message that neither mentions the bot nor comes from it arrives with empty
//!   content, embeds and components, as on Discord.
//! - REST: every request is recorded ([`Request`]) and answered with plausible JSON; messages,
//!   roles, commands, DM channels, threads and interactions are kept in memory so later answers
//!   agree with earlier ones. The bot's own messages come back as MESSAGE_CREATE (Discord does
//!   that too; a bot must ignore its own messages). Discord's limits that bots trip over are
//!   enforced: 2000 characters per message, empty messages, embed and component limits, command
//!   names and descriptions, one response per interaction within 3 s.
//!
//! Paths in [`Request::path`] are relative to `/api/v10` (`/channels/1/messages`), without the
//! query string, which is in [`Request::query`].
//!
//! serenity 0.12.5 behaviour worth knowing when testing against this:
//!
//! - A dispatch serenity cannot parse becomes `Event::Unknown` and is logged at DEBUG only
//!   (target `serenity::client::dispatch`, "An unknown event was received"): no WARN, no error,
//!   the handler is just never called. `tests/tests/discord_emulator.rs` catches that and parses
//!   [`DiscordEmulator::dispatches`] with serenity's own types for the precise serde error.
//! - [`DiscordEmulator::wait_ready`] means READY was sent. serenity learns the application id
//!   (needed to register commands, follow-ups and `@original` edits) only when it processes
//!   READY: wait for the handler's `ready`, or give `HttpBuilder::application_id(BOT_ID)`.
//! - serenity's message builders refuse content over 2000 characters themselves
//!   ("Message too large.", no request); raw `Http` calls reach the emulator's 400.
//! - serenity checks its heartbeat timer only between frames and waits at most 500 ms for one,
//!   so heartbeats come at most every ~500 ms whatever the interval, and a shutdown takes up
//!   to 500 ms.

mod gateway;
mod payload;
mod rest;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::emulator;
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// The bot user's id, which is also its application id.
pub const BOT_ID: u64 = 100000000000000001;
/// The one guild the bot is in. Its @everyone role has the same id.
pub const GUILD_ID: u64 = 200000000000000001;
/// The guild's `#general` text channel.
pub const CHANNEL_ID: u64 = 200000000000000002;
/// The guild's owner (a human).
pub const OWNER_ID: u64 = 300000000000000001;
/// The bot's managed role ("Community Bot"), which holds [`BOT_PERMISSIONS`].
pub const BOT_ROLE_ID: u64 = 200000000000000003;
/// The bot's username.
pub const BOT_NAME: &str = "community-bot";

/// Permissions of the bot in the guild, sent as `app_permissions` on interactions: view,
/// send, embed, attach, read history, use application commands, manage roles, manage threads,
/// create public threads, send in threads.
pub const BOT_PERMISSIONS: u64 = (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 31)
    | (1 << 28)
    | (1 << 34)
    | (1 << 35)
    | (1 << 38);
/// What @everyone may do, and the default `permissions` of a [`Slash`] or [`Press`] member.
pub const MEMBER_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31) | (1 << 38);

/// Gateway intents the emulator looks at.
pub mod intents {
    pub const GUILDS: u64 = 1;
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

/// A user's message (MESSAGE_CREATE).
///
/// `guild_id: None` makes it a DM; its `channel_id` then becomes the author's DM channel if the
/// author has none yet (see [`DiscordEmulator::dm_channel`]). An unknown guild channel is added
/// to the guild. Mentions are filled from `<@id>` / `<@!id>` / `<@&id>` in `content`, and the
/// bot is added when `mentions_bot` is set (write `<@100000000000000001>` in the content for a
/// visible mention). Guild messages carry `member` with the roles the emulator holds for the
/// author ([`DiscordEmulator::member_roles`]).
#[derive(Clone, Debug)]
pub struct Msg {
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub author_id: u64,
    pub author_name: String,
    pub content: String,
    pub mentions_bot: bool,
    /// Makes it a reply (type 19) to this message, with `message_reference` and
    /// `referenced_message`.
    pub reply_to: Option<u64>,
}

impl Default for Msg {
    /// "hello" from user 300000000000000002 ("alice") in `#general`.
    fn default() -> Self {
        Msg {
            channel_id: CHANNEL_ID,
            guild_id: Some(GUILD_ID),
            author_id: 300000000000000002,
            author_name: "alice".into(),
            content: "hello".into(),
            mentions_bot: false,
            reply_to: None,
        }
    }
}

/// A slash command invocation (INTERACTION_CREATE, type 2 APPLICATION_COMMAND, command type 1).
///
/// `options` is Discord's options array, e.g.
/// `json!([{"name": "add", "type": 1, "options": [{"name": "who", "type": 6, "value": "42"}]}])`;
/// user, role and channel options get `data.resolved` entries. `permissions` is the member's
/// permission bitfield (sent as a string). With `guild_id: None` it comes from a DM (`user`
/// instead of `member`). `data.id` is the id of the registered command of that name if there is
/// one.
#[derive(Clone, Debug)]
pub struct Slash {
    pub name: String,
    pub options: Value,
    pub user_id: u64,
    pub user_name: String,
    pub roles: Vec<u64>,
    pub permissions: u64,
    pub locale: String,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
}

impl Default for Slash {
    /// `/help` from alice in `#general`, no roles, member permissions, locale en-US.
    fn default() -> Self {
        Slash {
            name: "help".into(),
            options: json!([]),
            user_id: 300000000000000002,
            user_name: "alice".into(),
            roles: vec![],
            permissions: MEMBER_PERMISSIONS,
            locale: "en-US".into(),
            channel_id: CHANNEL_ID,
            guild_id: Some(GUILD_ID),
        }
    }
}

/// A button press (INTERACTION_CREATE, type 3 MESSAGE_COMPONENT, component_type 2), or a
/// string-select choice when `values` is `Some` (component_type 3).
///
/// The interaction's `message` is the stored message `message_id`; without one, the bot's latest
/// message in the channel that has a component with this `custom_id`, else its latest message in
/// the channel, else a made-up bot message carrying the button.
#[derive(Clone, Debug)]
pub struct Press {
    pub custom_id: String,
    pub values: Option<Vec<String>>,
    pub message_id: Option<u64>,
    pub user_id: u64,
    pub user_name: String,
    pub roles: Vec<u64>,
    pub permissions: u64,
    pub locale: String,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
}

impl Default for Press {
    fn default() -> Self {
        Press {
            custom_id: String::new(),
            values: None,
            message_id: None,
            user_id: 300000000000000002,
            user_name: "alice".into(),
            roles: vec![],
            permissions: MEMBER_PERMISSIONS,
            locale: "en-US".into(),
            channel_id: CHANNEL_ID,
            guild_id: Some(GUILD_ID),
        }
    }
}

/// A modal sent (INTERACTION_CREATE, type 5 MODAL_SUBMIT): the modal's `custom_id` and each
/// text input's `(custom_id, value)`, one action row each, as Discord sends them.
#[derive(Clone, Debug)]
pub struct ModalSubmit {
    pub custom_id: String,
    pub values: Vec<(String, String)>,
    pub user_id: u64,
    pub user_name: String,
    pub roles: Vec<u64>,
    pub permissions: u64,
    pub locale: String,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
}

impl Default for ModalSubmit {
    fn default() -> Self {
        ModalSubmit {
            custom_id: String::new(),
            values: Vec::new(),
            user_id: 300000000000000002,
            user_name: "alice".into(),
            roles: vec![],
            permissions: MEMBER_PERMISSIONS,
            locale: "en-US".into(),
            channel_id: CHANNEL_ID,
            guild_id: Some(GUILD_ID),
        }
    }
}

/// A REST request the bot made.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    pub method: String,
    /// Relative to `/api/v10`, e.g. `/channels/200000000000000002/messages`; requests outside
    /// `/api/v10` keep their full path.
    pub path: String,
    /// The query string without `?` (serenity writes `?&a=b`, kept as `&a=b`), or "".
    pub query: String,
    /// The JSON body (for multipart requests, the `payload_json` part), `Null` when empty, a
    /// string when it was not JSON.
    pub body: Value,
    /// The status the emulator answered.
    pub status: u16,
    pub at: Instant,
}

impl Request {
    /// `method` and `path` match exactly.
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// Settings for [`DiscordEmulator::start_with`].
#[derive(Clone, Debug)]
pub struct Options {
    /// Sent in HELLO. Discord sends about 41.25 s; a short one exercises heartbeating.
    pub heartbeat_interval: Duration,
    /// An interaction not answered within this time is gone (404 "Unknown interaction").
    pub interaction_deadline: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            heartbeat_interval: Duration::from_millis(41250),
            interaction_deadline: Duration::from_secs(3),
        }
    }
}

/// The token of the interaction with this id, as sent in INTERACTION_CREATE and expected in
/// `/interactions/{id}/{token}/callback` and `/webhooks/{app}/{token}/...`.
pub fn interaction_token(interaction_id: u64) -> String {
    format!("emulated-interaction-token-{interaction_id}")
}

/// Polls `f` every few milliseconds until it holds or `timeout` passes; whether it held.
pub fn poll_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    loop {
        if f() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The emulator; dropping it stops the server.
pub struct DiscordEmulator {
    shared: Arc<Shared>,
    server: emulator::Server,
}

impl DiscordEmulator {
    /// Starts on 127.0.0.1 with an ephemeral port and default [`Options`].
    pub fn start() -> DiscordEmulator {
        Self::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> DiscordEmulator {
        let mut shared = None;
        let server = emulator::Server::start("discord-emulator", |port| {
            let made = Arc::new(Shared {
                state: Mutex::new(State::new()),
                changed: Condvar::new(),
                options,
                base_url: format!("http://127.0.0.1:{port}"),
                gateway_url: format!("ws://127.0.0.1:{port}/gateway"),
            });
            shared = Some(made.clone());
            move |req| gateway::handle(made.clone(), req)
        });
        DiscordEmulator {
            shared: shared.expect("the handler was built"),
            server,
        }
    }

    /// `http://127.0.0.1:PORT`, for `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// `ws://127.0.0.1:PORT/gateway`.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url.clone()
    }

    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// Waits until a client is connected on a session that was sent READY (after IDENTIFY) or
    /// RESUMED (after RESUME); false on timeout. The client may not have processed it yet.
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        self.wait_state(timeout, |st| {
            st.sessions.values().any(|s| s.conn.is_some() && s.ready)
        })
    }

    /// IDENTIFYs received so far.
    pub fn identifies(&self) -> usize {
        self.lock().identifies
    }

    /// RESUMEs that resumed a session (RESUMED sent).
    pub fn resumes(&self) -> usize {
        self.lock().resumes
    }

    /// HEARTBEATs received (each answered with HEARTBEAT_ACK).
    pub fn heartbeats(&self) -> usize {
        self.lock().heartbeats
    }

    /// Gateway connections open now.
    pub fn connections(&self) -> usize {
        self.lock().conns.len()
    }

    /// The intents of the latest IDENTIFY.
    pub fn last_intents(&self) -> Option<u64> {
        self.lock().last_intents
    }

    /// A user posts a message; MESSAGE_CREATE goes to every live session whose intents allow
    /// it. Returns the message id.
    pub fn message(&self, m: Msg) -> u64 {
        let mut st = self.lock();
        let id = st.user_message(m);
        self.notify(st);
        id
    }

    /// A user runs a slash command; returns the interaction id (its token is
    /// [`interaction_token`]).
    pub fn slash(&self, s: Slash) -> u64 {
        let mut st = self.lock();
        let id = st.slash(s);
        self.notify(st);
        id
    }

    /// A user presses a button (or picks from a select); returns the interaction id.
    pub fn press(&self, p: Press) -> u64 {
        let mut st = self.lock();
        let id = st.press(p);
        self.notify(st);
        id
    }

    /// A user sends a modal (answering a type 9 callback); returns the interaction id.
    pub fn submit_modal(&self, m: ModalSubmit) -> u64 {
        let mut st = self.lock();
        let id = st.submit_modal(m);
        self.notify(st);
        id
    }

    /// Sends the INTERACTION_CREATE of interaction `id` again, unchanged (with the next
    /// sequence number), as a gateway that delivers an event twice would.
    pub fn redeliver(&self, id: u64) {
        let mut st = self.lock();
        let d = st
            .dispatched
            .iter()
            .find(|f| f["t"] == "INTERACTION_CREATE" && f["d"]["id"] == json!(id.to_string()))
            .map(|f| f["d"].clone())
            .unwrap_or_else(|| panic!("no interaction {id} was dispatched"));
        st.dispatch("INTERACTION_CREATE", &d, Audience::All);
        self.notify(st);
    }

    /// Closes every gateway websocket abruptly (no close frame). The sessions stay resumable:
    /// dispatches sent until the client resumes are replayed after its RESUME.
    pub fn drop_connection(&self) {
        let mut st = self.lock();
        for (_, tx) in st.conns.drain() {
            let _ = tx.send(Out::Drop);
        }
        for s in st.sessions.values_mut() {
            s.conn = None;
        }
        self.notify(st);
    }

    /// Every dispatch frame sent so far (`{"op": 0, "t", "s", "d"}`), oldest first, once per
    /// session it went to; RESUME replays are not repeated here.
    pub fn dispatches(&self) -> Vec<Value> {
        self.lock().dispatched.clone()
    }

    /// Every REST request so far, oldest first.
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

    /// The messages stored for a channel (users' and the bot's), oldest first, as REST message
    /// objects.
    pub fn messages(&self, channel_id: u64) -> Vec<Value> {
        let st = self.lock();
        st.messages
            .values()
            .filter(|m| m.channel_id == channel_id)
            .map(|m| m.json.clone())
            .collect()
    }

    /// One stored message, as a REST message object.
    pub fn stored_message(&self, message_id: u64) -> Option<Value> {
        self.lock()
            .messages
            .get(&message_id)
            .map(|m| m.json.clone())
    }

    /// The DM channel id between the bot and `user_id` (the same `POST /users/@me/channels`
    /// returns), created if needed.
    pub fn dm_channel(&self, user_id: u64) -> u64 {
        self.lock().dm_channel(user_id)
    }

    /// Adds a text channel to the guild; returns its id. Before the bot connects it is part of
    /// GUILD_CREATE (no CHANNEL_CREATE is sent).
    pub fn add_channel(&self, name: &str) -> u64 {
        let mut st = self.lock();
        let id = st.snowflake();
        let position = st.channels.len() as u64;
        st.channels
            .insert(id, payload::text_channel(id, name, position));
        id
    }

    /// A user joins the guild: GUILD_MEMBER_ADD to every session with the privileged
    /// `GUILD_MEMBERS` intent (Discord sends it to no other).
    pub fn member_joins(&self, user_id: u64, name: &str) {
        let mut st = self.lock();
        st.see_user(user_id, name);
        let roles = st.member_roles.get(&user_id).cloned().unwrap_or_default();
        let mut member = st.member(user_id, &roles, None);
        member["guild_id"] = json!(GUILD_ID.to_string());
        st.dispatch(
            "GUILD_MEMBER_ADD",
            &member,
            Audience::Intent(intents::GUILD_MEMBERS),
        );
        self.notify(st);
    }

    /// The guild's `preferred_locale` (`en-US` unless set), sent in GUILD_CREATE: set it
    /// before the bot connects.
    pub fn set_guild_locale(&self, locale: &str) {
        self.lock().guild_locale = locale.to_string();
    }

    /// The users the bot added to a thread, in order.
    pub fn thread_members(&self, thread_id: u64) -> Vec<u64> {
        self.lock()
            .thread_members
            .get(&thread_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Adds a role to the guild (GUILD_ROLE_CREATE to live sessions); returns its id.
    pub fn add_role(&self, name: &str, permissions: u64) -> u64 {
        let mut st = self.lock();
        let id = st.create_role(&json!({"name": name, "permissions": permissions.to_string()}));
        self.notify(st);
        id
    }

    /// The guild's roles, as Discord returns them.
    pub fn roles(&self) -> Vec<Value> {
        self.lock().roles.clone()
    }

    /// The role ids the emulator holds for a member (changed by the bot's role PUT/DELETE
    /// requests and by [`Self::set_member_roles`]). Used for `member.roles` in MESSAGE_CREATE;
    /// [`Slash`] and [`Press`] carry their own `roles`.
    pub fn member_roles(&self, user_id: u64) -> Vec<u64> {
        self.lock()
            .member_roles
            .get(&user_id)
            .cloned()
            .unwrap_or_default()
    }

    pub fn set_member_roles(&self, user_id: u64, roles: Vec<u64>) {
        self.lock().member_roles.insert(user_id, roles);
    }

    /// The application commands registered globally (`guild_id: None`) or in a guild, as
    /// Discord returns them.
    pub fn commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        self.lock()
            .commands
            .get(&guild_id)
            .cloned()
            .unwrap_or_default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    fn notify(&self, st: MutexGuard<'_, State>) {
        drop(st);
        self.shared.changed.notify_all();
    }

    fn wait_state(&self, timeout: Duration, f: impl Fn(&State) -> bool) -> bool {
        emulator::wait_until(self.lock(), &self.shared.changed, timeout, |st| f(st)).is_some()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared state

pub(crate) struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    options: Options,
    base_url: String,
    gateway_url: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a gateway connection task is told to do.
pub(crate) enum Out {
    Frame(String),
    Close(u16, &'static str),
    Drop,
}

struct Session {
    intents: u64,
    seq: u64,
    /// Dispatches sent, for RESUME (the newest [`LOG_LIMIT`]).
    log: VecDeque<(u64, String)>,
    /// The connection the session lives on, if any.
    conn: Option<u64>,
    ready: bool,
}

const LOG_LIMIT: usize = 10_000;

/// Who a dispatch is for.
#[derive(Clone, Copy)]
enum Audience {
    All,
    Intent(u64),
    /// A message: `GUILD_MESSAGES` or `DIRECT_MESSAGES`; without `MESSAGE_CONTENT` the content
    /// is blanked unless `content_free`.
    Message {
        dm: bool,
        content_free: bool,
    },
}

struct StoredMessage {
    channel_id: u64,
    guild_id: Option<u64>,
    author_id: u64,
    json: Value,
}

struct Interaction {
    created: Instant,
    /// 2 command, 3 component.
    kind: u8,
    channel_id: u64,
    /// The callback type it got.
    response: Option<u64>,
    /// The message that `@original` means.
    original: Option<u64>,
    /// For components, the message the component is on.
    source_message: Option<u64>,
}

struct State {
    last_id: u64,
    requests: Vec<(Request, bool)>,
    sessions: HashMap<String, Session>,
    conns: HashMap<u64, mpsc::UnboundedSender<Out>>,
    next_conn: u64,
    identifies: usize,
    resumes: usize,
    heartbeats: usize,
    last_intents: Option<u64>,
    /// Names of the users seen.
    users: HashMap<u64, String>,
    /// When each user joined the guild.
    joined: HashMap<u64, String>,
    member_roles: HashMap<u64, Vec<u64>>,
    roles: Vec<Value>,
    /// Guild channels and threads.
    channels: BTreeMap<u64, Value>,
    /// user -> DM channel.
    dm_channels: HashMap<u64, u64>,
    messages: BTreeMap<u64, StoredMessage>,
    interactions: HashMap<u64, Interaction>,
    commands: HashMap<Option<u64>, Vec<Value>>,
    /// Every dispatch frame sent (not counting RESUME replays).
    dispatched: Vec<Value>,
    started: String,
    /// The guild's `preferred_locale` in GUILD_CREATE.
    guild_locale: String,
    /// thread -> the users added to it with `PUT /channels/{thread}/thread-members/{user}`.
    thread_members: HashMap<u64, Vec<u64>>,
}

impl State {
    fn new() -> State {
        let started = payload::timestamp(SystemTime::now());
        let mut channels = BTreeMap::new();
        channels.insert(CHANNEL_ID, payload::text_channel(CHANNEL_ID, "general", 0));
        let mut users = HashMap::new();
        users.insert(BOT_ID, BOT_NAME.to_string());
        users.insert(OWNER_ID, "owner".to_string());
        let mut member_roles = HashMap::new();
        member_roles.insert(BOT_ID, vec![BOT_ROLE_ID]);
        State {
            last_id: 0,
            requests: Vec::new(),
            sessions: HashMap::new(),
            conns: HashMap::new(),
            next_conn: 0,
            identifies: 0,
            resumes: 0,
            heartbeats: 0,
            last_intents: None,
            users,
            joined: HashMap::new(),
            member_roles,
            roles: vec![
                payload::role(GUILD_ID, "@everyone", MEMBER_PERMISSIONS, 0, None),
                payload::role(
                    BOT_ROLE_ID,
                    "Community Bot",
                    BOT_PERMISSIONS,
                    1,
                    Some(BOT_ID),
                ),
            ],
            channels,
            dm_channels: HashMap::new(),
            messages: BTreeMap::new(),
            interactions: HashMap::new(),
            commands: HashMap::new(),
            dispatched: Vec::new(),
            started,
            guild_locale: "en-US".into(),
            thread_members: HashMap::new(),
        }
    }

    /// A fresh snowflake: milliseconds since the Discord epoch in the top bits, increasing.
    fn snowflake(&mut self) -> u64 {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
            .saturating_sub(payload::DISCORD_EPOCH_MS);
        self.last_id = (ms << 22).max(self.last_id + 1);
        self.last_id
    }

    fn user_name(&self, id: u64) -> String {
        self.users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("user{id}"))
    }

    fn user(&self, id: u64) -> Value {
        payload::user(id, &self.user_name(id), id == BOT_ID)
    }

    fn joined_at(&mut self, id: u64) -> String {
        let started = self.started.clone();
        self.joined.entry(id).or_insert(started).clone()
    }

    fn see_user(&mut self, id: u64, name: &str) {
        if !name.is_empty() {
            self.users.insert(id, name.to_string());
        }
    }

    fn dm_channel(&mut self, user_id: u64) -> u64 {
        if let Some(&c) = self.dm_channels.get(&user_id) {
            return c;
        }
        let c = self.snowflake();
        self.dm_channels.insert(user_id, c);
        c
    }

    fn dm_user(&self, channel_id: u64) -> Option<u64> {
        self.dm_channels
            .iter()
            .find(|(_, &c)| c == channel_id)
            .map(|(&u, _)| u)
    }

    /// The guild of a channel: `Some(GUILD_ID)` for guild channels and threads, `None` for DMs
    /// and unknown channels.
    fn channel_guild(&self, channel_id: u64) -> Option<Option<u64>> {
        if self.channels.contains_key(&channel_id) {
            Some(Some(GUILD_ID))
        } else if self.dm_user(channel_id).is_some() {
            Some(None)
        } else {
            None
        }
    }

    /// Makes sure a channel a user writes in exists.
    fn register_channel(&mut self, channel_id: u64, guild_id: Option<u64>, user_id: u64) {
        match guild_id {
            Some(_) => {
                if !self.channels.contains_key(&channel_id) {
                    let position = self.channels.len() as u64;
                    self.channels.insert(
                        channel_id,
                        payload::text_channel(channel_id, &format!("channel-{position}"), position),
                    );
                }
            }
            None => {
                if self.dm_user(channel_id).is_none() {
                    self.dm_channels.entry(user_id).or_insert(channel_id);
                }
            }
        }
    }

    /// Member object (with `user`) for interactions and REST.
    fn member(&mut self, user_id: u64, roles: &[u64], permissions: Option<u64>) -> Value {
        let joined = self.joined_at(user_id);
        payload::member(self.user(user_id), roles, &joined, permissions)
    }

    fn partial_member(&mut self, user_id: u64) -> Value {
        let joined = self.joined_at(user_id);
        let roles = self.member_roles.get(&user_id).cloned().unwrap_or_default();
        payload::partial_member(&roles, &joined)
    }

    // -- gateway ------------------------------------------------------------------------------

    /// Sends a dispatch to one session: next sequence number, logged for RESUME.
    fn send_to(&mut self, session_id: &str, t: &str, d: &Value) {
        let Some(s) = self.sessions.get_mut(session_id) else {
            return;
        };
        s.seq += 1;
        let frame = json!({"op": 0, "t": t, "s": s.seq, "d": d});
        self.dispatched.push(frame.clone());
        let frame = frame.to_string();
        s.log.push_back((s.seq, frame.clone()));
        if s.log.len() > LOG_LIMIT {
            s.log.pop_front();
        }
        if let Some(conn) = s.conn {
            if let Some(tx) = self.conns.get(&conn) {
                let _ = tx.send(Out::Frame(frame));
            }
        }
    }

    /// Sends a dispatch to every session (connected, or waiting to be resumed) whose intents
    /// allow it.
    fn dispatch(&mut self, t: &str, d: &Value, audience: Audience) {
        let mut redacted = None;
        let ids: Vec<(String, u64)> = self
            .sessions
            .iter()
            .map(|(id, s)| (id.clone(), s.intents))
            .collect();
        for (id, intents) in ids {
            let payload = match audience {
                Audience::All => d,
                Audience::Intent(bit) if intents & bit != 0 => d,
                Audience::Intent(_) => continue,
                Audience::Message { dm, content_free } => {
                    let needed = if dm {
                        intents::DIRECT_MESSAGES
                    } else {
                        intents::GUILD_MESSAGES
                    };
                    if intents & needed == 0 {
                        continue;
                    }
                    if dm || content_free || intents & intents::MESSAGE_CONTENT != 0 {
                        d
                    } else {
                        redacted.get_or_insert_with(|| payload::without_content(d))
                    }
                }
            };
            let payload = payload.clone();
            self.send_to(&id, t, &payload);
        }
    }

    fn guild_json(&mut self) -> Value {
        let mut members = Vec::new();
        for id in [BOT_ID, OWNER_ID] {
            let roles = self.member_roles.get(&id).cloned().unwrap_or_default();
            members.push(self.member(id, &roles, None));
        }
        let member_count = (self.users.len() as u64).max(2);
        let mut guild = payload::guild(
            &self.roles,
            self.channels.values().cloned().collect(),
            members,
            member_count,
            &self.started,
        );
        guild["preferred_locale"] = json!(self.guild_locale);
        guild
    }

    // -- messages -----------------------------------------------------------------------------

    fn mentions_in(&self, content: &str) -> (Vec<Value>, Vec<Value>) {
        let mut users: Vec<u64> = Vec::new();
        let mut roles: Vec<u64> = Vec::new();
        let mut rest = content;
        while let Some(i) = rest.find("<@") {
            rest = &rest[i + 2..];
            let (is_role, body) = match rest.as_bytes().first() {
                Some(b'&') => (true, &rest[1..]),
                Some(b'!') => (false, &rest[1..]),
                _ => (false, rest),
            };
            let digits: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
            if body[digits.len()..].starts_with('>') {
                if let Ok(id) = digits.parse::<u64>() {
                    let list = if is_role { &mut roles } else { &mut users };
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
            }
        }
        (
            users.into_iter().map(|u| self.user(u)).collect(),
            roles.into_iter().map(|r| json!(r.to_string())).collect(),
        )
    }

    fn store_message(&mut self, json: Value, guild_id: Option<u64>) {
        let id = payload::id_of(&json["id"]);
        let channel_id = payload::id_of(&json["channel_id"]);
        let author_id = payload::id_of(&json["author"]["id"]);
        self.messages.insert(
            id,
            StoredMessage {
                channel_id,
                guild_id,
                author_id,
                json,
            },
        );
    }

    /// The gateway form of a stored message: plus `guild_id` and `member` in guilds.
    fn gateway_message(&mut self, id: u64) -> Option<(Value, Option<u64>, u64)> {
        let (mut json, guild_id, author_id) = {
            let m = self.messages.get(&id)?;
            (m.json.clone(), m.guild_id, m.author_id)
        };
        if let Some(g) = guild_id {
            json["guild_id"] = json!(g.to_string());
            json["member"] = self.partial_member(author_id);
        }
        Some((json, guild_id, author_id))
    }

    fn user_message(&mut self, m: Msg) -> u64 {
        let id = self.snowflake();
        self.see_user(m.author_id, &m.author_name);
        self.register_channel(m.channel_id, m.guild_id, m.author_id);
        let (mut mentions, mention_roles) = self.mentions_in(&m.content);
        if m.mentions_bot
            && !mentions
                .iter()
                .any(|u| u["id"] == json!(BOT_ID.to_string()))
        {
            mentions.push(self.user(BOT_ID));
        }
        let mentions_bot = mentions
            .iter()
            .any(|u| u["id"] == json!(BOT_ID.to_string()));
        let mut json = payload::message(
            id,
            m.channel_id,
            self.user(m.author_id),
            &m.content,
            mentions,
            mention_roles,
            0,
        );
        if let Some(r) = m.reply_to {
            json["type"] = json!(19);
            json["message_reference"] = json!({
                "type": 0,
                "message_id": r.to_string(),
                "channel_id": m.channel_id.to_string(),
            });
            if let Some(g) = m.guild_id {
                json["message_reference"]["guild_id"] = json!(g.to_string());
            }
            json["referenced_message"] = self
                .messages
                .get(&r)
                .map(|s| s.json.clone())
                .unwrap_or(Value::Null);
        }
        self.store_message(json, m.guild_id);
        if let Some((d, guild_id, _)) = self.gateway_message(id) {
            self.dispatch(
                "MESSAGE_CREATE",
                &d,
                Audience::Message {
                    dm: guild_id.is_none(),
                    content_free: mentions_bot,
                },
            );
        }
        id
    }

    /// A message by the bot (REST): stored, and echoed as MESSAGE_CREATE unless ephemeral.
    fn bot_message(
        &mut self,
        channel_id: u64,
        body: &Value,
        kind: u64,
        webhook: bool,
    ) -> Result<Value, rest::Fail> {
        let guild_id = match self.channel_guild(channel_id) {
            Some(g) => g,
            None => return Err(rest::Fail::not_found("Unknown Channel", 10003)),
        };
        let id = self.snowflake();
        let content = body["content"].as_str().unwrap_or("").to_string();
        let (mentions, mention_roles) = self.mentions_in(&content);
        let mut json = payload::message(
            id,
            channel_id,
            self.user(BOT_ID),
            &content,
            mentions,
            mention_roles,
            kind,
        );
        payload::apply_message_fields(&mut json, body);
        if webhook {
            json["webhook_id"] = json!(BOT_ID.to_string());
            json["application_id"] = json!(BOT_ID.to_string());
        }
        if let Some(reference) = body.get("message_reference").filter(|r| r.is_object()) {
            if let Some(mid) = reference.get("message_id").map(payload::id_of) {
                json["type"] = json!(19);
                let mut r = json!({
                    "type": 0,
                    "message_id": mid.to_string(),
                    "channel_id": channel_id.to_string(),
                });
                if let Some(g) = guild_id {
                    r["guild_id"] = json!(g.to_string());
                }
                json["message_reference"] = r;
                json["referenced_message"] = self
                    .messages
                    .get(&mid)
                    .map(|s| s.json.clone())
                    .unwrap_or(Value::Null);
            }
        }
        self.store_message(json.clone(), guild_id);
        if !payload::is_ephemeral(&json) {
            if let Some((d, guild_id, _)) = self.gateway_message(id) {
                self.dispatch(
                    "MESSAGE_CREATE",
                    &d,
                    Audience::Message {
                        dm: guild_id.is_none(),
                        content_free: true,
                    },
                );
            }
        }
        Ok(json)
    }

    /// Applies an edit to a stored message; MESSAGE_UPDATE unless ephemeral.
    fn edit_message(&mut self, id: u64, body: &Value) -> Option<Value> {
        let content = body
            .get("content")
            .and_then(Value::as_str)
            .map(str::to_string);
        let mentions = content.as_deref().map(|c| self.mentions_in(c));
        let m = self.messages.get_mut(&id)?;
        if let Some(c) = content {
            m.json["content"] = json!(c);
        }
        if let Some((users, roles)) = mentions {
            m.json["mentions"] = json!(users);
            m.json["mention_roles"] = json!(roles);
        }
        payload::apply_message_fields(&mut m.json, body);
        // An edit ends the "thinking..." state of a deferred response.
        let flags = m.json["flags"].as_u64().unwrap_or(0) & !payload::FLAG_LOADING;
        m.json["flags"] = json!(flags);
        m.json["edited_timestamp"] = json!(payload::timestamp(SystemTime::now()));
        let json = m.json.clone();
        if !payload::is_ephemeral(&json) {
            if let Some((d, guild_id, _)) = self.gateway_message(id) {
                self.dispatch(
                    "MESSAGE_UPDATE",
                    &d,
                    Audience::Message {
                        dm: guild_id.is_none(),
                        content_free: true,
                    },
                );
            }
        }
        Some(json)
    }

    fn delete_message(&mut self, id: u64) -> bool {
        let Some(m) = self.messages.remove(&id) else {
            return false;
        };
        if !payload::is_ephemeral(&m.json) {
            let mut d = json!({"id": id.to_string(), "channel_id": m.channel_id.to_string()});
            if let Some(g) = m.guild_id {
                d["guild_id"] = json!(g.to_string());
            }
            self.dispatch(
                "MESSAGE_DELETE",
                &d,
                Audience::Message {
                    dm: m.guild_id.is_none(),
                    content_free: true,
                },
            );
        }
        true
    }

    // -- guild --------------------------------------------------------------------------------

    fn create_role(&mut self, body: &Value) -> u64 {
        let id = self.snowflake();
        let permissions = match &body["permissions"] {
            Value::String(s) => s.parse().unwrap_or(0),
            Value::Number(n) => n.as_u64().unwrap_or(0),
            _ => MEMBER_PERMISSIONS,
        };
        let name = body["name"].as_str().unwrap_or("new role");
        let mut role = payload::role(id, name, permissions, 1, None);
        for key in ["color", "hoist", "mentionable", "unicode_emoji"] {
            if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
                role[key] = v.clone();
            }
        }
        if let Some(c) = body["color"].as_u64() {
            role["colors"]["primary_color"] = json!(c);
        }
        // New roles go just above @everyone.
        for r in self.roles.iter_mut() {
            let p = r["position"].as_u64().unwrap_or(0);
            if p >= 1 {
                r["position"] = json!(p + 1);
            }
        }
        self.roles.push(role.clone());
        self.dispatch(
            "GUILD_ROLE_CREATE",
            &json!({"guild_id": GUILD_ID.to_string(), "role": role}),
            Audience::Intent(intents::GUILDS),
        );
        id
    }

    fn has_role(&self, id: u64) -> bool {
        self.roles.iter().any(|r| payload::id_of(&r["id"]) == id)
    }

    fn role_json(&self, id: u64) -> Option<Value> {
        self.roles
            .iter()
            .find(|r| payload::id_of(&r["id"]) == id)
            .cloned()
    }

    // -- interactions -------------------------------------------------------------------------

    fn command_id(&mut self, name: &str, guild_id: Option<u64>) -> u64 {
        let registered = guild_id
            .and_then(|g| self.commands.get(&Some(g)))
            .into_iter()
            .chain(self.commands.get(&None))
            .flatten()
            .find(|c| c["name"] == json!(name))
            .map(|c| payload::id_of(&c["id"]));
        registered.unwrap_or_else(|| self.snowflake())
    }

    /// The parts every interaction has: who, where, token, permissions.
    #[allow(clippy::too_many_arguments)]
    fn interaction_base(
        &mut self,
        id: u64,
        kind: u8,
        user_id: u64,
        user_name: &str,
        roles: &[u64],
        permissions: u64,
        locale: &str,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> Value {
        self.see_user(user_id, user_name);
        self.register_channel(channel_id, guild_id, user_id);
        let mut d = json!({
            "id": id.to_string(),
            "application_id": BOT_ID.to_string(),
            "type": kind,
            "channel_id": channel_id.to_string(),
            "token": interaction_token(id),
            "version": 1,
            "app_permissions": BOT_PERMISSIONS.to_string(),
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10485760,
        });
        match guild_id {
            Some(g) => {
                d["guild_id"] = json!(g.to_string());
                d["guild_locale"] = json!("en-US");
                d["member"] = self.member(user_id, roles, Some(permissions));
                d["channel"] = payload::partial_channel(
                    self.channels.get(&channel_id).unwrap_or(&Value::Null),
                    channel_id,
                    permissions,
                );
                d["authorizing_integration_owners"] = json!({"0": g.to_string()});
                d["context"] = json!(0);
            }
            None => {
                d["user"] = self.user(user_id);
                d["channel"] = json!({
                    "id": channel_id.to_string(),
                    "type": 1,
                    "flags": 0,
                    "recipients": [self.user(user_id)],
                });
                d["authorizing_integration_owners"] = json!({"0": "0"});
                d["context"] = json!(1);
            }
        }
        self.interactions.insert(
            id,
            Interaction {
                created: Instant::now(),
                kind,
                channel_id,
                response: None,
                original: None,
                source_message: None,
            },
        );
        d
    }

    fn slash(&mut self, s: Slash) -> u64 {
        let id = self.snowflake();
        let mut d = self.interaction_base(
            id,
            2,
            s.user_id,
            &s.user_name,
            &s.roles,
            s.permissions,
            &s.locale,
            s.channel_id,
            s.guild_id,
        );
        let options = payload::normalize_options(&s.options);
        let command_id = self.command_id(&s.name, s.guild_id);
        let mut data = json!({
            "id": command_id.to_string(),
            "name": s.name,
            "type": 1,
            "options": options,
        });
        if let Some(g) = s.guild_id {
            if self
                .commands
                .get(&Some(g))
                .is_some_and(|cs| cs.iter().any(|c| c["name"] == json!(s.name)))
            {
                data["guild_id"] = json!(g.to_string());
            }
        }
        let resolved = self.resolved(&data["options"], s.guild_id);
        if resolved.as_object().is_some_and(|o| !o.is_empty()) {
            data["resolved"] = resolved;
        }
        d["data"] = data;
        self.dispatch("INTERACTION_CREATE", &d, Audience::All);
        id
    }

    /// `data.resolved` for user, role, channel and mentionable options.
    fn resolved(&mut self, options: &Value, guild_id: Option<u64>) -> Value {
        let mut found = Vec::new();
        payload::walk_options(options, &mut |kind, value| found.push((kind, value)));
        let mut users = serde_json::Map::new();
        let mut members = serde_json::Map::new();
        let mut roles = serde_json::Map::new();
        let mut channels = serde_json::Map::new();
        for (kind, id) in found {
            match kind {
                6 | 9 if !self.has_role(id) || kind == 6 => {
                    users.insert(id.to_string(), self.user(id));
                    if guild_id.is_some() {
                        let joined = self.joined_at(id);
                        let r = self.member_roles.get(&id).cloned().unwrap_or_default();
                        members.insert(id.to_string(), payload::partial_member(&r, &joined));
                    }
                }
                8 | 9 => {
                    if let Some(r) = self.role_json(id) {
                        roles.insert(id.to_string(), r);
                    }
                }
                7 => {
                    let c = self.channels.get(&id).cloned().unwrap_or(Value::Null);
                    channels.insert(
                        id.to_string(),
                        payload::partial_channel(&c, id, MEMBER_PERMISSIONS),
                    );
                }
                _ => {}
            }
        }
        let mut out = serde_json::Map::new();
        for (k, v) in [
            ("users", users),
            ("members", members),
            ("roles", roles),
            ("channels", channels),
        ] {
            if !v.is_empty() {
                out.insert(k.into(), Value::Object(v));
            }
        }
        Value::Object(out)
    }

    fn press(&mut self, p: Press) -> u64 {
        let id = self.snowflake();
        let source = self.source_message(&p);
        let mut d = self.interaction_base(
            id,
            3,
            p.user_id,
            &p.user_name,
            &p.roles,
            p.permissions,
            &p.locale,
            p.channel_id,
            p.guild_id,
        );
        let (component_type, values) = match &p.values {
            Some(v) => (3, Some(v.clone())),
            None => (2, None),
        };
        let mut data = json!({"custom_id": p.custom_id, "component_type": component_type});
        if let Some(v) = values {
            data["values"] = json!(v);
        }
        d["data"] = data;
        let message = match source.and_then(|m| self.messages.get(&m)) {
            Some(m) => m.json.clone(),
            None => {
                let mid = self.snowflake();
                let mut m =
                    payload::message(mid, p.channel_id, self.user(BOT_ID), "", vec![], vec![], 0);
                m["components"] = json!([{"type": 1, "components": [
                    {"type": 2, "style": 1, "label": p.custom_id, "custom_id": p.custom_id}
                ]}]);
                m
            }
        };
        let source_id = payload::id_of(&message["id"]);
        d["message"] = message;
        if let Some(i) = self.interactions.get_mut(&id) {
            i.source_message = Some(source_id).filter(|_| source.is_some());
        }
        self.dispatch("INTERACTION_CREATE", &d, Audience::All);
        id
    }

    fn submit_modal(&mut self, m: ModalSubmit) -> u64 {
        let id = self.snowflake();
        let mut d = self.interaction_base(
            id,
            5,
            m.user_id,
            &m.user_name,
            &m.roles,
            m.permissions,
            &m.locale,
            m.channel_id,
            m.guild_id,
        );
        let rows: Vec<Value> = m
            .values
            .iter()
            .map(|(custom_id, value)| {
                json!({"type": 1, "components": [
                    {"type": 4, "custom_id": custom_id, "value": value}
                ]})
            })
            .collect();
        d["data"] = json!({"custom_id": m.custom_id, "components": rows});
        self.dispatch("INTERACTION_CREATE", &d, Audience::All);
        id
    }

    fn source_message(&self, p: &Press) -> Option<u64> {
        if let Some(m) = p.message_id {
            return self.messages.contains_key(&m).then_some(m);
        }
        let bot_messages = || {
            self.messages
                .iter()
                .rev()
                .filter(|(_, m)| m.channel_id == p.channel_id && m.author_id == BOT_ID)
        };
        bot_messages()
            .find(|(_, m)| payload::has_custom_id(&m.json["components"], &p.custom_id))
            .or_else(|| bot_messages().next())
            .map(|(&id, _)| id)
    }
}
