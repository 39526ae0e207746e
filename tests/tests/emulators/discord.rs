//! The Discord emulator against the real serenity 0.12.5 client: every dispatch must reach the
//! event handler, every REST answer must parse, and serenity must log no warning while doing it
//! (a dispatch it cannot parse becomes `Event::Unknown`, logged at DEBUG only: the tests
//! catch that too, and parse every dispatch with serenity's types for the precise error).

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::{
    Channel, ChannelId, ChannelType, Command, CommandInteraction, CommandOptionType,
    ComponentInteraction, ComponentInteractionDataKind, Context, CreateActionRow,
    CreateAllowedMentions, CreateButton, CreateCommand, CreateCommandOption, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, CreateModal, CreateThread, EditInteractionResponse, EditMessage, EditRole,
    EventHandler, GatewayIntents, Guild, GuildChannel, GuildId, InputTextStyle, Interaction,
    Message, MessageId, MessageUpdateEvent, Ready, ResolvedValue, ResumedEvent, Role, RoleId,
    ShardManager, UserId,
};
use serenity::http::{Http, HttpBuilder, HttpError};
use serenity::model::event::{
    GuildCreateEvent, GuildRoleCreateEvent, MessageCreateEvent, MessageDeleteEvent,
    ThreadCreateEvent,
};
use serenity::Client;
use tests::discord::{
    interaction_token, poll_until, DiscordEmulator, Msg, Options, Press, Slash, BOT_ID, CHANNEL_ID,
    GUILD_ID, OWNER_ID,
};
use tracing_subscriber::layer::SubscriberExt;

const T: Duration = Duration::from_secs(5);
const ALICE: u64 = 300000000000000002;
const BOB: u64 = 300000000000000003;

/// Parses `d` as `T`, keeping only whether it worked.
fn from_value<T: serde::de::DeserializeOwned>(d: Value) -> Result<(), serde_json::Error> {
    serde_json::from_value::<T>(d).map(|_| ())
}

/// What the event handler saw or did.
#[derive(Clone, Debug)]
enum Got {
    Ready(Box<Ready>),
    GuildCreate(Box<Guild>),
    Message(Box<Message>),
    MessageUpdate(Box<MessageUpdateEvent>),
    MessageDelete(ChannelId, MessageId),
    Command(Box<CommandInteraction>),
    Component(Box<ComponentInteraction>),
    ThreadCreate(Box<GuildChannel>),
    RoleCreate(Box<Role>),
    Resumed,
    /// The result of something the handler sent.
    Sent(&'static str, Result<Value, String>),
}

type Log = Arc<Mutex<Vec<Got>>>;

struct Handler {
    log: Log,
}

impl Handler {
    fn got(&self, g: Got) {
        self.log.lock().unwrap().push(g);
    }

    fn sent<T: serde::Serialize>(&self, what: &'static str, r: serenity::Result<T>) {
        let r = r
            .map(|v| serde_json::to_value(v).unwrap_or(Value::Null))
            .map_err(|e| describe(&e));
        self.got(Got::Sent(what, r));
    }
}

/// An error, with Discord's code when there is one.
fn describe(e: &serenity::Error) -> String {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            format!(
                "{} {} {}",
                r.status_code.as_u16(),
                r.error.code,
                r.error.message
            )
        }
        other => other.to_string(),
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, ready: Ready) {
        self.got(Got::Ready(Box::new(ready)));
    }

    async fn guild_create(&self, _: Context, guild: Guild, _: Option<bool>) {
        self.got(Got::GuildCreate(Box::new(guild)));
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        self.got(Got::Resumed);
    }

    async fn message(&self, ctx: Context, msg: Message) {
        self.got(Got::Message(Box::new(msg.clone())));
        if msg.author.bot || !msg.content.contains("!ping") {
            return;
        }
        let reply = CreateMessage::new()
            .content(format!("pong <@{}>", msg.author.id))
            .allowed_mentions(CreateAllowedMentions::new().users([msg.author.id]))
            .reference_message(&msg);
        let r = msg.channel_id.send_message(&ctx.http, reply).await;
        self.sent("send_message", r);
    }

    async fn message_update(
        &self,
        _: Context,
        _: Option<Message>,
        _: Option<Message>,
        event: MessageUpdateEvent,
    ) {
        self.got(Got::MessageUpdate(Box::new(event)));
    }

    async fn message_delete(
        &self,
        _: Context,
        channel: ChannelId,
        message: MessageId,
        _: Option<GuildId>,
    ) {
        self.got(Got::MessageDelete(channel, message));
    }

    async fn thread_create(&self, _: Context, thread: GuildChannel) {
        self.got(Got::ThreadCreate(Box::new(thread)));
    }

    async fn guild_role_create(&self, _: Context, role: Role) {
        self.got(Got::RoleCreate(Box::new(role)));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => {
                self.got(Got::Command(Box::new(cmd.clone())));
                match cmd.data.name.as_str() {
                    "slow" => {
                        let r = cmd
                            .create_response(
                                &ctx.http,
                                CreateInteractionResponse::Defer(
                                    CreateInteractionResponseMessage::new(),
                                ),
                            )
                            .await;
                        self.sent("defer", r);
                        let r = cmd
                            .edit_response(
                                &ctx.http,
                                EditInteractionResponse::new().content("done thinking"),
                            )
                            .await;
                        self.sent("edit_response", r);
                        let r = cmd
                            .create_followup(
                                &ctx.http,
                                CreateInteractionResponseFollowup::new()
                                    .content("and one more thing")
                                    .ephemeral(true),
                            )
                            .await;
                        self.sent("followup", r);
                        let r = cmd.get_response(&ctx.http).await;
                        self.sent("get_response", r);
                    }
                    "form" => {
                        let modal = CreateModal::new("volunteer", "Volunteer").components(vec![
                            CreateActionRow::InputText(CreateInputText::new(
                                InputTextStyle::Short,
                                "Name",
                                "name",
                            )),
                        ]);
                        let r = cmd
                            .create_response(&ctx.http, CreateInteractionResponse::Modal(modal))
                            .await;
                        self.sent("modal", r);
                    }
                    "twice" => {
                        for _ in 0..2 {
                            let r = cmd
                                .create_response(
                                    &ctx.http,
                                    CreateInteractionResponse::Message(
                                        CreateInteractionResponseMessage::new().content("hi"),
                                    ),
                                )
                                .await;
                            self.sent("twice", r);
                        }
                    }
                    _ => {
                        let reply = CreateInteractionResponseMessage::new()
                            .content(format!("badge for <@{}>?", cmd.user.id))
                            .allowed_mentions(CreateAllowedMentions::new())
                            .components(vec![CreateActionRow::Buttons(vec![
                                CreateButton::new("confirm").label("Confirm"),
                                CreateButton::new("cancel").label("Cancel"),
                            ])]);
                        let r = cmd
                            .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
                            .await;
                        self.sent("command_response", r);
                    }
                }
            }
            Interaction::Component(press) if press.data.custom_id == "ack" => {
                self.got(Got::Component(Box::new(press.clone())));
                let r = press
                    .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                    .await;
                self.sent("acknowledge", r);
                let r = press
                    .edit_response(
                        &ctx.http,
                        EditInteractionResponse::new().content("acknowledged"),
                    )
                    .await;
                self.sent("edit_after_acknowledge", r);
            }
            Interaction::Component(press) => {
                self.got(Got::Component(Box::new(press.clone())));
                let update = CreateInteractionResponseMessage::new()
                    .content(format!("{} by <@{}>", press.data.custom_id, press.user.id))
                    .components(vec![]);
                let r = press
                    .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                    .await;
                self.sent("component_response", r);
            }
            _ => {}
        }
    }
}

/// WARN and ERROR events of one test's runtime.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        // serenity 0.12.5 turns a dispatch it cannot parse into `Event::Unknown` and logs it
        // at DEBUG only ("An unknown event was received"); anything at WARN is suspect too.
        let unknown_event = event.metadata().target() == "serenity::client::dispatch";
        if *event.metadata().level() <= tracing::Level::WARN || unknown_event {
            struct Fields(String);
            impl tracing::field::Visit for Fields {
                fn record_debug(
                    &mut self,
                    field: &tracing::field::Field,
                    value: &dyn std::fmt::Debug,
                ) {
                    let _ = write!(self.0, "{}={:?} ", field.name(), value);
                }
            }
            let mut fields = Fields(String::new());
            event.record(&mut fields);
            let m = event.metadata();
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(format!("{} {}: {}", m.level(), m.target(), fields.0));
        }
    }
}

/// A serenity client connected to an emulator.
struct Bot {
    emu: DiscordEmulator,
    log: Log,
    warnings: Warnings,
    http: Arc<Http>,
    shards: Option<Arc<ShardManager>>,
    rt: tokio::runtime::Runtime,
    _tracing: tracing::dispatcher::DefaultGuard,
}

fn all_intents() -> GatewayIntents {
    GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
        | GatewayIntents::GUILDS
}

impl Bot {
    fn start() -> Bot {
        Self::start_with(Options::default(), all_intents())
    }

    fn start_with(options: Options, intents: GatewayIntents) -> Bot {
        let emu = DiscordEmulator::start_with(options);
        let warnings = Warnings::default();
        // `EMU_LOG=serenity=debug` prints serenity's logs too.
        let fmt = std::env::var("EMU_LOG").ok().map(|filter| {
            tracing_subscriber::fmt::layer()
                .with_test_writer()
                .with_filter(tracing_subscriber::EnvFilter::new(filter))
        });
        use tracing_subscriber::Layer as _;
        let dispatch = tracing::Dispatch::new(
            tracing_subscriber::registry()
                .with(warnings.clone())
                .with(fmt),
        );
        let guard = tracing::dispatcher::set_default(&dispatch);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .on_thread_start(move || {
                std::mem::forget(tracing::dispatcher::set_default(&dispatch));
            })
            .build()
            .expect("runtime");
        let log = Log::default();
        let http = HttpBuilder::new("emulated-token")
            .proxy(emu.base_url())
            .ratelimiter_disabled(true)
            .build();
        let handler = Handler { log: log.clone() };
        let mut client: Client = rt
            .block_on(async {
                serenity::client::ClientBuilder::new_with_http(http, intents)
                    .event_handler(handler)
                    .await
            })
            .expect("client builds");
        // Building the client asked the emulator for the gateway URL.
        assert_eq!(
            rt.block_on(async { client.ws_url.lock().await.clone() }),
            emu.gateway_url()
        );
        let http = client.http.clone();
        let shards = Some(client.shard_manager.clone());
        rt.spawn(async move { client.start().await });
        assert!(emu.wait_ready(T), "the client never got READY");
        let bot = Bot {
            emu,
            log,
            warnings,
            http,
            shards,
            rt,
            _tracing: guard,
        };
        // `wait_ready` means READY was sent; serenity learns the application id (needed to
        // register commands and answer interactions) when it handles it.
        bot.wait("READY", |g| matches!(g, Got::Ready(_)).then_some(()));
        bot
    }

    /// Waits for the first logged item `f` maps to `Some`.
    fn wait<R>(&self, what: &str, f: impl Fn(&Got) -> Option<R>) -> R {
        let mut found = None;
        poll_until(T, || {
            found = self.log.lock().unwrap().iter().find_map(&f);
            found.is_some()
        });
        found.unwrap_or_else(|| {
            panic!(
                "no {what} within {T:?}; the handler got {:#?}\nwarnings: {:#?}",
                self.log.lock().unwrap().clone(),
                self.warnings()
            )
        })
    }

    fn wait_message(&self, id: u64) -> Message {
        self.wait(&format!("message {id}"), |g| match g {
            Got::Message(m) if m.id.get() == id => Some((**m).clone()),
            _ => None,
        })
    }

    fn wait_sent(&self, what: &'static str) -> Value {
        let r = self.wait(what, |g| match g {
            Got::Sent(w, r) if *w == what => Some(r.clone()),
            _ => None,
        });
        r.unwrap_or_else(|e| panic!("{what} failed: {e}"))
    }

    fn request(&self, method: &str, path: &str) -> tests::discord::Request {
        self.emu
            .wait_for(T, |r| r.is(method, path))
            .unwrap_or_else(|| {
                panic!(
                    "no {method} {path}; requests: {:#?}\nwarnings: {:#?}",
                    self.emu
                        .requests()
                        .iter()
                        .map(|r| format!("{} {} {}", r.method, r.path, r.status))
                        .collect::<Vec<_>>(),
                    self.warnings()
                )
            })
    }

    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Shuts the client down (the emulator must see a clean close) and asserts serenity logged
    /// no warning and dropped no dispatch during the whole test.
    fn finish(mut self) {
        self.shutdown();
        assert!(
            poll_until(T, || self.emu.connections() == 0),
            "the gateway connection is still open"
        );
        let w = self.warnings();
        assert!(w.is_empty(), "serenity warned: {w:#?}");
        // Parse every dispatch with serenity's own types too, for the precise error.
        for frame in self.emu.dispatches() {
            let d = frame["d"].clone();
            let t = frame["t"].as_str().unwrap_or("");
            let parsed = match t {
                "READY" => from_value::<Ready>(d),
                "GUILD_CREATE" => from_value::<GuildCreateEvent>(d),
                "MESSAGE_CREATE" => from_value::<MessageCreateEvent>(d),
                "MESSAGE_UPDATE" => from_value::<MessageUpdateEvent>(d),
                "MESSAGE_DELETE" => from_value::<MessageDeleteEvent>(d),
                "INTERACTION_CREATE" => from_value::<Interaction>(d),
                "THREAD_CREATE" => from_value::<ThreadCreateEvent>(d),
                "GUILD_ROLE_CREATE" => from_value::<GuildRoleCreateEvent>(d),
                "RESUMED" => from_value::<ResumedEvent>(d),
                other => panic!("a dispatch this test does not know: {other}"),
            };
            if let Err(e) = parsed {
                panic!("serenity cannot parse {t}: {e}\n{frame:#}");
            }
        }
    }

    fn shutdown(&mut self) {
        if let Some(shards) = self.shards.take() {
            self.rt.block_on(async move { shards.shutdown_all().await });
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[test]
fn ready_and_guild_create_reach_the_handler() {
    let bot = Bot::start();
    let ready = bot.wait("READY", |g| match g {
        Got::Ready(r) => Some(r.clone()),
        _ => None,
    });
    assert_eq!(ready.user.id.get(), BOT_ID);
    assert!(ready.user.bot);
    assert_eq!(ready.application.id.get(), BOT_ID);
    assert_eq!(ready.guilds.len(), 1);
    assert_eq!(ready.guilds[0].id.get(), GUILD_ID);
    assert!(!ready.session_id.is_empty());
    assert_eq!(bot.http.application_id().map(|a| a.get()), Some(BOT_ID));

    let guild = bot.wait("GUILD_CREATE", |g| match g {
        Got::GuildCreate(g) => Some(g.clone()),
        _ => None,
    });
    assert_eq!(guild.id.get(), GUILD_ID);
    let everyone = &guild.roles[&RoleId::new(GUILD_ID)];
    assert_eq!(everyone.name, "@everyone");
    assert_eq!(guild.channels[&ChannelId::new(CHANNEL_ID)].name, "general");
    assert!(guild.members.contains_key(&UserId::new(BOT_ID)));

    assert_eq!(bot.emu.identifies(), 1);
    assert_eq!(bot.emu.last_intents(), Some(all_intents().bits()));
    assert!(bot.emu.requests().iter().any(|r| r.is("GET", "/gateway")));
    bot.finish();
}

#[test]
fn a_message_reaches_the_handler_and_the_reply_reaches_the_emulator() {
    let bot = Bot::start();
    let helper = bot.emu.add_role("helper", 0);
    bot.emu.set_member_roles(ALICE, vec![helper]);
    let id = bot.emu.message(Msg {
        author_id: ALICE,
        author_name: "alice".into(),
        content: format!("<@{BOT_ID}> !ping <@{BOB}>"),
        mentions_bot: true,
        ..Msg::default()
    });
    let msg = bot.wait_message(id);
    assert_eq!(msg.content, format!("<@{BOT_ID}> !ping <@{BOB}>"));
    assert_eq!(msg.author.id.get(), ALICE);
    assert_eq!(msg.author.name, "alice");
    assert!(!msg.author.bot);
    assert_eq!(msg.channel_id.get(), CHANNEL_ID);
    assert_eq!(msg.guild_id.map(|g| g.get()), Some(GUILD_ID));
    let mentioned: Vec<u64> = msg.mentions.iter().map(|u| u.id.get()).collect();
    assert_eq!(mentioned, vec![BOT_ID, BOB]);
    let member = msg
        .member
        .as_ref()
        .expect("guild messages carry the member");
    assert_eq!(member.roles, vec![RoleId::new(helper)]);

    // The reply, as the emulator saw it.
    let req = bot.request("POST", &format!("/channels/{CHANNEL_ID}/messages"));
    assert_eq!(req.status, 200);
    assert_eq!(req.body["content"], json!(format!("pong <@{ALICE}>")));
    assert_eq!(
        req.body["allowed_mentions"],
        json!({"parse": [], "users": [ALICE.to_string()], "roles": []})
    );
    assert_eq!(
        req.body["message_reference"]["message_id"],
        json!(id.to_string())
    );
    // ... and as serenity got it back.
    let sent = bot.wait_sent("send_message");
    assert_eq!(sent["content"], json!(format!("pong <@{ALICE}>")));
    assert_eq!(sent["type"], json!(19));
    let reply_id: u64 = sent["id"].as_str().unwrap().parse().unwrap();
    // Discord echoes the bot's own message over the gateway.
    let echo = bot.wait_message(reply_id);
    assert!(echo.author.bot);
    assert_eq!(
        echo.referenced_message.as_ref().map(|m| m.id.get()),
        Some(id)
    );

    // A DM: no guild, no member; the reply goes to the DM channel.
    let dm = bot.emu.dm_channel(BOB);
    let id = bot.emu.message(Msg {
        channel_id: dm,
        guild_id: None,
        author_id: BOB,
        author_name: "bob".into(),
        content: "!ping".into(),
        ..Msg::default()
    });
    let msg = bot.wait_message(id);
    assert_eq!(msg.guild_id, None);
    assert!(msg.member.is_none());
    assert_eq!(msg.content, "!ping");
    let req = bot.request("POST", &format!("/channels/{dm}/messages"));
    assert_eq!(req.body["content"], json!(format!("pong <@{BOB}>")));
    bot.finish();
}

#[test]
fn without_the_message_content_intent_guild_messages_arrive_empty() {
    let intents = GatewayIntents::GUILD_MESSAGES | GatewayIntents::GUILDS;
    let bot = Bot::start_with(Options::default(), intents);
    let plain = bot.emu.message(Msg {
        content: "hello there".into(),
        ..Msg::default()
    });
    let mention = bot.emu.message(Msg {
        content: format!("<@{BOT_ID}> hello"),
        ..Msg::default()
    });
    assert_eq!(bot.wait_message(plain).content, "");
    assert_eq!(
        bot.wait_message(mention).content,
        format!("<@{BOT_ID}> hello")
    );
    // No DIRECT_MESSAGES intent: DMs do not arrive at all.
    let dm = bot.emu.message(Msg {
        guild_id: None,
        channel_id: bot.emu.dm_channel(ALICE),
        ..Msg::default()
    });
    let later = bot.emu.message(Msg::default());
    bot.wait_message(later);
    assert!(!bot
        .log
        .lock()
        .unwrap()
        .iter()
        .any(|g| matches!(g, Got::Message(m) if m.id.get() == dm)));
    bot.finish();
}

#[test]
fn slash_commands_and_button_presses_reach_the_handler_and_their_responses_the_emulator() {
    let bot = Bot::start();
    let badge = CreateCommand::new("badge")
        .description("Badges")
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, "give", "Give a badge")
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::User, "who", "Who gets it")
                        .required(true),
                )
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::String, "badge", "Which badge")
                        .required(true),
                ),
        );
    let registered = bot
        .block_on(Command::set_global_commands(&bot.http, vec![badge]))
        .expect("commands registered");
    assert_eq!(registered[0].name, "badge");
    assert_eq!(bot.emu.commands(None).len(), 1);
    let put = bot.request("PUT", &format!("/applications/{BOT_ID}/commands"));
    assert_eq!(put.body[0]["options"][0]["options"][0]["type"], json!(6));

    let organizer = bot.emu.add_role("organizer", 0);
    let iid = bot.emu.slash(Slash {
        name: "badge".into(),
        options: json!([{"name": "give", "type": 1, "options": [
            {"name": "who", "type": 6, "value": BOB.to_string()},
            {"name": "badge", "type": 3, "value": "helper"},
        ]}]),
        user_id: ALICE,
        user_name: "alice".into(),
        roles: vec![organizer],
        permissions: 8,
        locale: "pt-BR".into(),
        ..Slash::default()
    });
    let cmd = bot.wait("the command", |g| match g {
        Got::Command(c) if c.id.get() == iid => Some(c.clone()),
        _ => None,
    });
    assert_eq!(cmd.data.name, "badge");
    assert_eq!(cmd.data.id, registered[0].id);
    assert_eq!(cmd.user.id.get(), ALICE);
    assert_eq!(cmd.user.name, "alice");
    assert_eq!(cmd.locale, "pt-BR");
    assert_eq!(cmd.guild_id.map(|g| g.get()), Some(GUILD_ID));
    assert_eq!(cmd.channel_id.get(), CHANNEL_ID);
    assert_eq!(cmd.token, interaction_token(iid));
    let member = cmd.member.as_ref().expect("member");
    assert_eq!(member.roles, vec![RoleId::new(organizer)]);
    assert_eq!(member.permissions.map(|p| p.bits()), Some(8));
    assert!(cmd.app_permissions.is_some());
    let options = cmd.data.options();
    assert_eq!(options[0].name, "give");
    let ResolvedValue::SubCommand(sub) = &options[0].value else {
        panic!("a subcommand: {options:?}")
    };
    match (&sub[0].value, &sub[1].value) {
        (ResolvedValue::User(user, _), ResolvedValue::String(badge)) => {
            assert_eq!(user.id.get(), BOB);
            assert_eq!(*badge, "helper");
        }
        other => panic!("user and string options: {other:?}"),
    }

    let callback = bot.request(
        "POST",
        &format!("/interactions/{iid}/{}/callback", cmd.token),
    );
    assert_eq!(callback.status, 204);
    assert_eq!(callback.body["type"], json!(4));
    assert_eq!(
        callback.body["data"]["content"],
        json!(format!("badge for <@{ALICE}>?"))
    );
    assert_eq!(
        callback.body["data"]["components"][0]["components"][0]["custom_id"],
        json!("confirm")
    );
    bot.wait_sent("command_response");
    // The response is a message in the channel (echoed as MESSAGE_CREATE, type 20).
    let response = bot.wait("the response message", |g| match g {
        Got::Message(m) if m.author.bot && m.content.starts_with("badge for") => Some(m.clone()),
        _ => None,
    });
    assert_eq!(response.components[0].components.len(), 2);

    // A press on its button.
    let pid = bot.emu.press(Press {
        custom_id: "confirm".into(),
        user_id: BOB,
        user_name: "bob".into(),
        ..Press::default()
    });
    let press = bot.wait("the press", |g| match g {
        Got::Component(c) if c.id.get() == pid => Some(c.clone()),
        _ => None,
    });
    assert_eq!(press.data.custom_id, "confirm");
    assert!(matches!(
        press.data.kind,
        ComponentInteractionDataKind::Button
    ));
    assert_eq!(press.message.id, response.id);
    assert_eq!(press.user.id.get(), BOB);
    let callback = bot.request(
        "POST",
        &format!("/interactions/{pid}/{}/callback", interaction_token(pid)),
    );
    assert_eq!(callback.status, 204);
    assert_eq!(callback.body["type"], json!(7));
    assert_eq!(
        callback.body["data"]["content"],
        json!(format!("confirm by <@{BOB}>"))
    );
    bot.wait_sent("component_response");
    // The update shows as MESSAGE_UPDATE of the response message.
    let update = bot.wait("the update", |g| match g {
        Got::MessageUpdate(u) if u.id == response.id => Some(u.clone()),
        _ => None,
    });
    assert_eq!(
        update.content.as_deref(),
        Some(format!("confirm by <@{BOB}>").as_str())
    );

    // A deferred update (type 6), then an edit of the message the component is on.
    let ack = bot.emu.press(Press {
        custom_id: "ack".into(),
        message_id: Some(response.id.get()),
        ..Press::default()
    });
    let callback = bot.request(
        "POST",
        &format!("/interactions/{ack}/{}/callback", interaction_token(ack)),
    );
    assert_eq!(callback.body["type"], json!(6));
    bot.wait_sent("acknowledge");
    let edited = bot.wait_sent("edit_after_acknowledge");
    assert_eq!(edited["id"], json!(response.id.to_string()));
    assert_eq!(
        bot.emu.stored_message(response.id.get()).unwrap()["content"],
        json!("acknowledged")
    );
    bot.finish();
}

#[test]
fn deferred_responses_edits_follow_ups_and_double_acks() {
    let bot = Bot::start();
    let iid = bot.emu.slash(Slash {
        name: "slow".into(),
        ..Slash::default()
    });
    let token = interaction_token(iid);
    let defer = bot.request("POST", &format!("/interactions/{iid}/{token}/callback"));
    assert_eq!(defer.body["type"], json!(5));
    bot.wait_sent("defer");
    let edit = bot.request(
        "PATCH",
        &format!("/webhooks/{BOT_ID}/{token}/messages/@original"),
    );
    assert_eq!(edit.status, 200);
    assert_eq!(edit.body["content"], json!("done thinking"));
    assert_eq!(
        bot.wait_sent("edit_response")["content"],
        json!("done thinking")
    );
    let follow = bot.request("POST", &format!("/webhooks/{BOT_ID}/{token}"));
    assert_eq!(follow.body["flags"], json!(64));
    assert_eq!(
        bot.wait_sent("followup")["content"],
        json!("and one more thing")
    );
    assert_eq!(
        bot.wait_sent("get_response")["content"],
        json!("done thinking")
    );

    let iid = bot.emu.slash(Slash {
        name: "form".into(),
        ..Slash::default()
    });
    let modal = bot.request(
        "POST",
        &format!("/interactions/{iid}/{}/callback", interaction_token(iid)),
    );
    assert_eq!((modal.status, modal.body["type"].clone()), (204, json!(9)));
    bot.wait_sent("modal");

    let iid = bot.emu.slash(Slash {
        name: "twice".into(),
        ..Slash::default()
    });
    let twice = |log: &[Got]| -> Vec<Result<Value, String>> {
        log.iter()
            .filter_map(|g| match g {
                Got::Sent("twice", r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    };
    assert!(poll_until(T, || twice(&bot.log.lock().unwrap()).len() == 2));
    let results = twice(&bot.log.lock().unwrap());
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().unwrap_err(),
        "400 40060 Interaction has already been acknowledged."
    );
    let token = interaction_token(iid);
    let path = format!("/interactions/{iid}/{token}/callback");
    assert_eq!(bot.request("POST", &path).status, 204);
    assert_eq!(bot.request("POST", &path).status, 400);
    bot.finish();
}

#[test]
fn after_a_dropped_connection_the_client_resumes_and_nothing_is_lost() {
    let bot = Bot::start();
    let first = bot.emu.message(Msg::default());
    bot.wait_message(first);
    bot.emu.drop_connection();
    // Sent while the client is away: replayed after its RESUME.
    let missed = bot.emu.message(Msg {
        content: "while you were away".into(),
        ..Msg::default()
    });
    assert!(poll_until(T, || bot.emu.resumes() == 1), "no RESUME");
    assert!(bot.emu.wait_ready(T));
    assert_eq!(bot.wait_message(missed).content, "while you were away");
    bot.wait("RESUMED", |g| matches!(g, Got::Resumed).then_some(()));
    let after = bot.emu.message(Msg {
        content: "welcome back".into(),
        ..Msg::default()
    });
    assert_eq!(bot.wait_message(after).content, "welcome back");
    assert_eq!(bot.emu.identifies(), 1);
    bot.finish();
}

#[test]
fn heartbeats_are_acknowledged() {
    let options = Options {
        heartbeat_interval: Duration::from_millis(100),
        ..Options::default()
    };
    let bot = Bot::start_with(options, all_intents());
    // serenity checks its heartbeat timer between frames, waiting at most 500 ms for one.
    assert!(poll_until(T, || bot.emu.heartbeats() >= 2), "no heartbeats");
    let id = bot.emu.message(Msg::default());
    bot.wait_message(id);
    assert_eq!(bot.emu.identifies(), 1);
    assert_eq!(bot.emu.resumes(), 0);
    assert_eq!(bot.emu.connections(), 1);
    bot.finish();
}

#[test]
fn rest_routes_answer_what_serenity_expects() {
    let bot = Bot::start();
    let http = &bot.http;
    let guild = GuildId::new(GUILD_ID);
    let general = ChannelId::new(CHANNEL_ID);
    let deleted = bot.block_on(async {
        assert_eq!(http.get_current_user().await.unwrap().id.get(), BOT_ID);
        let app = http.get_current_application_info().await.unwrap();
        assert_eq!(app.id.get(), BOT_ID);
        assert_eq!(
            http.get_bot_gateway().await.unwrap().url,
            bot.emu.gateway_url()
        );

        // Roles.
        let role = guild
            .create_role(
                http,
                EditRole::new().name("Event Champion").colour(0x00ff00),
            )
            .await
            .unwrap();
        assert_eq!(role.name, "Event Champion");
        let roles = guild.roles(http).await.unwrap();
        assert!(roles.contains_key(&role.id) && roles.contains_key(&RoleId::new(GUILD_ID)));
        http.add_member_role(guild, UserId::new(ALICE), role.id, None)
            .await
            .unwrap();
        assert_eq!(bot.emu.member_roles(ALICE), vec![role.id.get()]);
        http.remove_member_role(guild, UserId::new(ALICE), role.id, None)
            .await
            .unwrap();
        assert!(bot.emu.member_roles(ALICE).is_empty());
        let unknown = http
            .add_member_role(guild, UserId::new(ALICE), RoleId::new(5), None)
            .await
            .unwrap_err();
        assert_eq!(describe(&unknown), "404 10011 Unknown Role");

        // Guild commands, and Discord's checks on them.
        let cmds = guild
            .set_commands(
                http,
                vec![CreateCommand::new("event")
                    .description("Events")
                    .add_option(
                        CreateCommandOption::new(CommandOptionType::String, "name", "Event name")
                            .required(true),
                    )],
            )
            .await
            .unwrap();
        assert_eq!(cmds[0].guild_id, Some(guild));
        assert_eq!(guild.get_commands(http).await.unwrap().len(), 1);
        assert_eq!(bot.emu.commands(Some(GUILD_ID)).len(), 1);
        let bad = guild
            .set_commands(http, vec![CreateCommand::new("Bad Name").description("x")])
            .await
            .unwrap_err();
        assert!(describe(&bad).starts_with("400 50035"), "{bad}");

        // DM channel.
        let dm = UserId::new(BOB).create_dm_channel(http).await.unwrap();
        assert_eq!(dm.id.get(), bot.emu.dm_channel(BOB));
        assert_eq!(dm.recipient.id.get(), BOB);
        dm.id.say(http, "hello in private").await.unwrap();

        // Reads.
        let owner = http.get_user(UserId::new(OWNER_ID)).await.unwrap();
        assert_eq!(owner.name, "owner");
        assert!(matches!(
            general.to_channel(http).await.unwrap(),
            Channel::Guild(c) if c.name == "general"
        ));
        assert!(matches!(
            dm.id.to_channel(http).await.unwrap(),
            Channel::Private(c) if c.recipient.id.get() == BOB
        ));
        assert!(guild.channels(http).await.unwrap().contains_key(&general));
        let owner = guild.member(http, UserId::new(OWNER_ID)).await.unwrap();
        assert_eq!(owner.user.id.get(), OWNER_ID);

        // One global command, created then deleted.
        let one = Command::create_global_command(
            http,
            CreateCommand::new("about").description("About the bot"),
        )
        .await
        .unwrap();
        assert_eq!(Command::get_global_commands(http).await.unwrap().len(), 1);
        Command::delete_global_command(http, one.id).await.unwrap();
        assert!(bot.emu.commands(None).is_empty());

        // Messages: edit, delete, limits.
        let msg = general.say(http, "first draft").await.unwrap();
        let fetched = general.message(http, msg.id).await.unwrap();
        assert_eq!(fetched.content, "first draft");
        let edited = general
            .edit_message(http, msg.id, EditMessage::new().content("second draft"))
            .await
            .unwrap();
        assert_eq!(edited.content, "second draft");
        assert!(edited.edited_timestamp.is_some());
        general.broadcast_typing(http).await.unwrap();
        // serenity's builders check the length themselves; raw calls reach Discord.
        let too_long = general.say(http, "x".repeat(2001)).await.unwrap_err();
        assert_eq!(describe(&too_long), "Message too large.");
        let too_long = http
            .send_message(general, vec![], &json!({"content": "x".repeat(2001)}))
            .await
            .unwrap_err();
        assert_eq!(describe(&too_long), "400 50035 Invalid Form Body");
        let empty = general
            .send_message(http, CreateMessage::new())
            .await
            .unwrap_err();
        assert_eq!(describe(&empty), "400 50006 Cannot send an empty message");

        // Threads, with and without a starter message.
        let thread = general
            .create_thread(
                http,
                CreateThread::new("volunteers").kind(ChannelType::PublicThread),
            )
            .await
            .unwrap();
        assert_eq!(thread.kind, ChannelType::PublicThread);
        assert_eq!(thread.parent_id, Some(general));
        thread.id.say(http, "in the thread").await.unwrap();
        let from_msg = general
            .create_thread_from_message(http, msg.id, CreateThread::new("about the draft"))
            .await
            .unwrap();
        assert_eq!(from_msg.id.get(), msg.id.get());
        general.delete_message(http, msg.id).await.unwrap();

        // A route the emulator does not know.
        let unknown = general.webhooks(http).await.unwrap_err();
        assert_eq!(describe(&unknown), "404 0 404: Not Found");
        msg.id
    });
    bot.wait("GUILD_ROLE_CREATE", |g| match g {
        Got::RoleCreate(r) if r.name == "Event Champion" => Some(()),
        _ => None,
    });
    bot.wait("THREAD_CREATE", |g| match g {
        Got::ThreadCreate(t) if t.name == "volunteers" => Some(()),
        _ => None,
    });
    bot.wait("MESSAGE_UPDATE", |g| match g {
        Got::MessageUpdate(u) if u.content.as_deref() == Some("second draft") => Some(()),
        _ => None,
    });
    bot.wait("MESSAGE_DELETE", |g| match g {
        Got::MessageDelete(c, m) if *c == general && *m == deleted => Some(()),
        _ => None,
    });
    let last = bot.emu.requests().pop().unwrap();
    assert_eq!(last.path, format!("/channels/{CHANNEL_ID}/webhooks"));
    assert_eq!(last.status, 404);
    bot.finish();
}

#[test]
fn dm_commands_and_select_menus_parse_too() {
    let bot = Bot::start();
    let dm = bot.emu.dm_channel(BOB);
    let iid = bot.emu.slash(Slash {
        name: "help".into(),
        user_id: BOB,
        user_name: "bob".into(),
        channel_id: dm,
        guild_id: None,
        ..Slash::default()
    });
    let cmd = bot.wait("the DM command", |g| match g {
        Got::Command(c) if c.id.get() == iid => Some(c.clone()),
        _ => None,
    });
    assert_eq!(cmd.guild_id, None);
    assert!(cmd.member.is_none());
    assert_eq!(cmd.user.id.get(), BOB);
    assert_eq!(cmd.channel_id.get(), dm);
    let callback = bot.request(
        "POST",
        &format!("/interactions/{iid}/{}/callback", interaction_token(iid)),
    );
    assert_eq!(callback.status, 204);
    // The response landed in the DM channel.
    let response = bot.wait("the DM response", |g| match g {
        Got::Message(m) if m.author.bot && m.channel_id.get() == dm => Some(m.id),
        _ => None,
    });

    let pid = bot.emu.press(Press {
        custom_id: "pick".into(),
        values: Some(vec!["saturday".into()]),
        user_id: BOB,
        user_name: "bob".into(),
        channel_id: dm,
        guild_id: None,
        ..Press::default()
    });
    let press = bot.wait("the select", |g| match g {
        Got::Component(c) if c.id.get() == pid => Some(c.clone()),
        _ => None,
    });
    match &press.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => {
            assert_eq!(values, &vec!["saturday".to_string()])
        }
        other => panic!("a string select: {other:?}"),
    }
    // Without a message id, the press is on the bot's latest message in the channel.
    assert_eq!(press.message.id, response);
    bot.wait_sent("component_response");
    bot.finish();
}
