//! The Discord front end (serenity 0.12): turns gateway messages and interactions into
//! [`commands::Input`]s and renders each [`Reply`] as an embed with buttons. Nothing here
//! decides anything; `commands` does.

mod events;
pub mod slash;

use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result};
use commands::{
    Actor, ButtonStyle, Commands, Destination, Effect, Input, Platform, PostRef, Reply, Response,
};
use serenity::all::{
    ChannelId, CommandInteraction, ComponentInteraction, Context, CreateActionRow,
    CreateAllowedMentions, CreateAttachment, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, CreateThread,
    EditMessage, EventHandler, GatewayIntents, GuildId, Http, HttpBuilder, Interaction, Message,
    MessageId, Permissions, Ready, RoleId, UserId,
};

use crate::config::DiscordConfig;
use crate::front::{self, clip, QuestionLimit};

/// Embed and component limits Discord enforces.
const EMBED_TEXT: usize = 4000;
const FIELD_VALUE: usize = 1000;
const BUTTON_LABEL: usize = 80;
const CUSTOM_ID: usize = 100;

/// The gateway intents the bot needs. Message Content is privileged: enable it for the
/// application in the developer portal.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
}

/// What the bot needs in a server: read and answer, in threads too, with embeds and files,
/// and manage the roles it mirrors badges to.
pub fn permissions() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::CREATE_PUBLIC_THREADS
        | Permissions::EMBED_LINKS
        | Permissions::ATTACH_FILES
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::MANAGE_ROLES
}

/// The link that adds the bot to a server with exactly what it needs.
pub fn invite_url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}&scope=bot%20applications.commands&permissions={}",
        permissions().bits()
    )
}

/// REST client for the configured API (a proxy or the tests' emulator when set).
pub fn http(token: &str, config: &DiscordConfig) -> Http {
    let mut builder =
        HttpBuilder::new(token).default_allowed_mentions(CreateAllowedMentions::new());
    if let Some(base) = &config.api_base_url {
        // serenity's rate limiter builds requests without the proxy, so it is switched
        // off; the proxy in front is expected to do the rate limiting.
        builder = builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    builder.build()
}

struct Handler {
    commands: Arc<Commands>,
    config: DiscordConfig,
    bot_id: Mutex<Option<UserId>>,
    limit: QuestionLimit,
}

impl Handler {
    fn is_help_channel(&self, channel: ChannelId) -> bool {
        self.config
            .help_channels
            .iter()
            .any(|c| c == &channel.get().to_string())
    }

    async fn run(&self, actor: Actor, input: Input) -> Response {
        front::run(&self.commands, actor, input).await
    }
}

fn ids<T: From<u64>>(values: &[String]) -> Vec<T> {
    values
        .iter()
        .filter_map(|v| v.parse::<u64>().ok())
        .map(T::from)
        .collect()
}

/// Who may be pinged: exactly the users and roles the reply names, never @everyone.
fn allowed(reply: &Reply) -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .users(ids::<UserId>(&reply.mention_users))
        .roles(ids::<RoleId>(&reply.mention_roles))
}

fn embed(reply: &Reply) -> CreateEmbed {
    let mut e = CreateEmbed::new().description(clip(&reply.text, EMBED_TEXT));
    if let Some(t) = &reply.title {
        e = e.title(clip(t, 250));
    }
    for f in reply.fields.iter().take(25) {
        e = e.field(clip(&f.name, 250), clip(&f.value, FIELD_VALUE), false);
    }
    if !reply.ok {
        e = e.colour(0xd9_48_3b);
    }
    if let Some(c) = reply.citations.first() {
        e = e.footer(CreateEmbedFooter::new(clip(&c.doc, 200)));
    }
    e
}

fn components(reply: &Reply) -> Vec<CreateActionRow> {
    let buttons: Vec<CreateButton> = reply
        .buttons
        .iter()
        .filter(|b| b.id.len() <= CUSTOM_ID)
        .take(25)
        .map(|b| {
            CreateButton::new(b.id.clone())
                .label(clip(&b.label, BUTTON_LABEL))
                .style(match b.style {
                    ButtonStyle::Primary => serenity::all::ButtonStyle::Primary,
                    ButtonStyle::Secondary => serenity::all::ButtonStyle::Secondary,
                    ButtonStyle::Success => serenity::all::ButtonStyle::Success,
                    ButtonStyle::Danger => serenity::all::ButtonStyle::Danger,
                })
        })
        .collect();
    buttons
        .chunks(5)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

/// Text above the embed: the role an announcement notifies, so that it pings.
fn content(reply: &Reply) -> String {
    reply
        .mention_roles
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn attachment(reply: &Reply) -> Option<CreateAttachment> {
    let a = reply.attachment.as_ref()?;
    Some(CreateAttachment::bytes(
        a.body.as_bytes().to_vec(),
        a.filename.clone(),
    ))
}

fn message(reply: &Reply) -> CreateMessage {
    let mut m = CreateMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(allowed(reply));
    let c = content(reply);
    if !c.is_empty() {
        m = m.content(c);
    }
    if let Some(a) = attachment(reply) {
        m = m.add_file(a);
    }
    m
}

fn interaction_message(reply: &Reply) -> CreateInteractionResponseMessage {
    let mut m = CreateInteractionResponseMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(allowed(reply))
        .ephemeral(matches!(reply.destination, Destination::Private));
    if let Some(a) = attachment(reply) {
        m = m.add_file(a);
    }
    m
}

impl Handler {
    /// Sends every reply but the first (which the caller answers in place), and mirrors
    /// the badge effects.
    async fn deliver(
        &self,
        ctx: &Context,
        here: ChannelId,
        guild: Option<GuildId>,
        response: &Response,
        skip_first: bool,
    ) {
        let replies = response.replies.iter().skip(usize::from(skip_first));
        for reply in replies {
            if let Err(e) = self.send(ctx, here, reply).await {
                tracing::warn!("could not deliver a reply: {e}");
            }
        }
        if let Some(guild) = guild {
            for effect in &response.effects {
                if let Err(e) = self.sync_role(ctx, guild, effect).await {
                    tracing::warn!("could not mirror a badge to a role: {e}");
                }
            }
        }
    }

    async fn send(&self, ctx: &Context, here: ChannelId, reply: &Reply) -> Result<()> {
        match &reply.destination {
            Destination::Here | Destination::Private => {
                here.send_message(&ctx.http, message(reply)).await?;
            }
            Destination::Announcements => {
                let channel = self
                    .config
                    .announcements_channel
                    .as_deref()
                    .and_then(|c| c.parse::<u64>().ok())
                    .map(ChannelId::new)
                    .unwrap_or(here);
                let sent = channel.send_message(&ctx.http, message(reply)).await?;
                if let Some(key) = &reply.post_key {
                    let post = PostRef {
                        channel: channel.get().to_string(),
                        message: sent.id.get().to_string(),
                    };
                    front::record_post(&self.commands, key, Platform::Discord, post).await?;
                }
            }
            Destination::Update { key } => {
                let post = front::recorded_post(&self.commands, key, Platform::Discord).await?;
                let Some(post) = post else {
                    return Ok(());
                };
                let (Ok(channel), Ok(msg)) =
                    (post.channel.parse::<u64>(), post.message.parse::<u64>())
                else {
                    return Ok(());
                };
                let mut edit = EditMessage::new()
                    .embed(embed(reply))
                    .components(components(reply))
                    .allowed_mentions(CreateAllowedMentions::new());
                let c = content(reply);
                if !c.is_empty() {
                    edit = edit.content(c);
                }
                ChannelId::new(channel)
                    .edit_message(&ctx.http, MessageId::new(msg), edit)
                    .await?;
            }
            Destination::Direct { platform, user } => {
                if *platform != Platform::Discord {
                    return Ok(());
                }
                let Ok(id) = user.parse::<u64>() else {
                    return Ok(());
                };
                let dm = UserId::new(id).create_dm_channel(&ctx.http).await?;
                dm.id.send_message(&ctx.http, message(reply)).await?;
            }
        }
        Ok(())
    }

    async fn sync_role(&self, ctx: &Context, guild: GuildId, effect: &Effect) -> Result<()> {
        let (user, badge, grant) = match effect {
            Effect::BadgeGranted {
                platform: Platform::Discord,
                user,
                badge,
            } => (user, *badge, true),
            Effect::BadgeRevoked {
                platform: Platform::Discord,
                user,
                badge,
            } => (user, *badge, false),
            _ => return Ok(()),
        };
        let user = UserId::new(user.parse().context("a Discord user id")?);
        let role = match self.config.badge_roles.get(badge) {
            Some(r) => RoleId::new(r.parse().context("discord.badge_roles holds role ids")?),
            None if self.config.create_roles && grant => {
                let name =
                    commands::badges::find(badge).map_or(badge, |b| b.name(knowledge::Lang::En));
                let existing = guild.roles(&ctx.http).await?;
                match existing.values().find(|r| r.name == name) {
                    Some(r) => r.id,
                    None => {
                        guild
                            .create_role(
                                &ctx.http,
                                serenity::all::EditRole::new().name(name).mentionable(false),
                            )
                            .await?
                            .id
                    }
                }
            }
            None => return Ok(()),
        };
        let reason = Some("community bot: badge change");
        if grant {
            ctx.http.add_member_role(guild, user, role, reason).await?;
        } else {
            ctx.http
                .remove_member_role(guild, user, role, reason)
                .await?;
        }
        Ok(())
    }

    fn actor_of_command(
        &self,
        user: &serenity::all::User,
        member: Option<&serenity::all::Member>,
        locale: &str,
    ) -> Actor {
        let roles: Vec<String> = member
            .map(|m| m.roles.iter().map(|r| r.get().to_string()).collect())
            .unwrap_or_default();
        let perms = member
            .and_then(|m| m.permissions)
            .unwrap_or_else(Permissions::empty);
        let platform_admin = self.config.admin_permissions
            && (perms.contains(Permissions::ADMINISTRATOR)
                || perms.contains(Permissions::MANAGE_ROLES));
        Actor::new(
            Platform::Discord,
            user.id.get().to_string(),
            user.global_name
                .clone()
                .unwrap_or_else(|| user.name.clone()),
        )
        .with_roles(roles)
        .with_locale(commands::lang_of_locale(locale))
        .with_platform_admin(platform_admin)
    }

    async fn on_message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        let bot_id = *self.bot_id.lock().unwrap_or_else(|p| p.into_inner());
        let mentioned = bot_id.is_some_and(|id| msg.mentions.iter().any(|u| u.id == id));
        let direct = msg.guild_id.is_none();
        let help = self.is_help_channel(msg.channel_id)
            && commands::parse::reads_as_question(&msg.content);
        if !(mentioned || direct || help) {
            return;
        }
        let text = match bot_id {
            Some(id) => msg
                .content
                .replace(&format!("<@{id}>"), "")
                .replace(&format!("<@!{id}>"), "")
                .trim()
                .to_string(),
            None => msg.content.clone(),
        };
        let member_roles: Vec<String> = msg
            .member
            .as_ref()
            .map(|m| m.roles.iter().map(|r| r.get().to_string()).collect())
            .unwrap_or_default();
        let actor = Actor::new(
            Platform::Discord,
            msg.author.id.get().to_string(),
            msg.author
                .global_name
                .clone()
                .unwrap_or_else(|| msg.author.name.clone()),
        )
        .with_roles(member_roles);
        if !self.limit.allow(&msg.author.id.get().to_string()) {
            let lang = knowledge::lang::detect_question(&text).unwrap_or(knowledge::Lang::En);
            let slow = commands::CmdError::TooFast.message(lang);
            let _ = msg
                .channel_id
                .send_message(
                    &ctx.http,
                    CreateMessage::new()
                        .content(slow)
                        .allowed_mentions(CreateAllowedMentions::new()),
                )
                .await;
            return;
        }
        let response = self.run(actor, Input::Text(text)).await;
        // In a help channel the answer goes in a thread on the question.
        let mut here = msg.channel_id;
        if help && !mentioned {
            let name = clip(msg.content.trim(), 90);
            match msg
                .channel_id
                .create_thread_from_message(&ctx.http, msg.id, CreateThread::new(name))
                .await
            {
                Ok(thread) => here = thread.id,
                Err(e) => tracing::warn!("could not start a thread: {e}"),
            }
        }
        self.deliver(&ctx, here, msg.guild_id, &response, false)
            .await;
    }

    async fn on_command(&self, ctx: Context, cmd: CommandInteraction) {
        let actor = self.actor_of_command(&cmd.user, cmd.member.as_deref(), &cmd.locale);
        let invocation = slash::invocation(&cmd.data.name, &cmd.data.options);
        let response = self.run(actor, Input::Slash(invocation)).await;
        self.respond(
            &ctx,
            cmd.id,
            &cmd.token,
            cmd.channel_id,
            cmd.guild_id,
            &response,
        )
        .await;
    }

    async fn on_component(&self, ctx: Context, press: ComponentInteraction) {
        let actor = self.actor_of_command(&press.user, press.member.as_ref(), &press.locale);
        let response = self
            .run(actor, Input::Press(press.data.custom_id.clone()))
            .await;
        self.respond(
            &ctx,
            press.id,
            &press.token,
            press.channel_id,
            press.guild_id,
            &response,
        )
        .await;
    }

    async fn respond(
        &self,
        ctx: &Context,
        id: serenity::all::InteractionId,
        token: &str,
        channel: ChannelId,
        guild: Option<GuildId>,
        response: &Response,
    ) {
        let Some(first) = response.replies.first() else {
            return;
        };
        // The first reply answers the interaction in place unless it belongs elsewhere.
        let in_place = matches!(first.destination, Destination::Here | Destination::Private);
        let answer = if in_place {
            CreateInteractionResponse::Message(interaction_message(first))
        } else {
            CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new()
                    .content("✅")
                    .ephemeral(true)
                    .allowed_mentions(CreateAllowedMentions::new()),
            )
        };
        if let Err(e) = ctx
            .http
            .create_interaction_response(id, token, &answer, Vec::new())
            .await
        {
            tracing::warn!("could not answer an interaction: {e}");
        }
        self.deliver(ctx, channel, guild, response, in_place).await;
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        *self.bot_id.lock().unwrap_or_else(|p| p.into_inner()) = Some(ready.user.id);
        tracing::info!("connected to Discord as {}", ready.user.name);
    }

    async fn message(&self, ctx: Context, msg: Message) {
        self.on_message(ctx, msg).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => self.on_command(ctx, cmd).await,
            Interaction::Component(press) => self.on_component(ctx, press).await,
            _ => {}
        }
    }
}

/// Runs the Discord front end until `shutdown` turns true; serenity reconnects by itself.
/// Replies that arrive on `direct` (reminders) are sent as direct messages.
pub async fn serve(
    token: String,
    config: DiscordConfig,
    commands: Arc<Commands>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    mut direct: tokio::sync::mpsc::UnboundedReceiver<Reply>,
) -> Result<()> {
    let http = http(&token, &config);
    // Known before the first message, so that a mention in a message that arrives right
    // after READY is recognised (READY itself may be handled later).
    let me = http
        .get_current_user()
        .await
        .context("reading the bot user")?;
    let handler = Handler {
        commands: Arc::clone(&commands),
        config: config.clone(),
        bot_id: Mutex::new(Some(me.id)),
        limit: QuestionLimit::new(config.questions_per_minute),
    };
    let mut client = serenity::all::ClientBuilder::new_with_http(http, intents())
        .event_handler(handler)
        .await
        .context("connecting to Discord")?;
    if let Some(url) = &config.gateway_url {
        *client.ws_url.lock().await = url.clone();
    }
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = shutdown.changed().await;
        shards.shutdown_all().await;
    });
    let http = Arc::clone(&client.http);
    let reminders = tokio::spawn(async move {
        while let Some(reply) = direct.recv().await {
            let Destination::Direct { user, .. } = &reply.destination else {
                continue;
            };
            let Ok(id) = user.parse::<u64>() else {
                continue;
            };
            let sent = async {
                let dm = UserId::new(id).create_dm_channel(&http).await?;
                dm.id.send_message(&http, message(&reply)).await
            };
            if let Err(e) = sent.await {
                tracing::warn!("could not send a reminder: {e}");
            }
        }
    });
    let result = client.start().await.context("running the Discord client");
    reminders.abort();
    result
}
