//! The Discord front end (serenity 0.12): gateway messages and interactions in
//! ([`events`]), embeds with buttons out ([`render`]), slash-command registration
//! ([`slash`]). This module holds what they share: the client, the one actor builder, where
//! replies of a conversation go, and the [`Front`] that `main` and the other front ends use
//! for direct messages and badge roles. Nothing here decides anything; `commands` does.

mod events;
mod posts;
mod render;
pub mod slash;

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use async_trait::async_trait;
use commands::{Actor, Effect, EventInfo, Platform, PostRef, Reply};
use lru::LruCache;
use serenity::all::{
    ChannelId, Client, CreateAllowedMentions, CreateScheduledEvent, CreateThread, EditRole,
    EditScheduledEvent, GatewayIntents, GuildId, Http, HttpBuilder, MessageId, Permissions, RoleId,
    ScheduledEventId, ScheduledEventStatus, ScheduledEventType, User, UserId,
};

use crate::config::DiscordConfig;
use crate::front::{record, recorded, Conversation, Core, Front};
use crate::outbound::{self, Outbound};
use crate::replay::{self, Replays};

/// How long a server's role permissions are trusted (for the admin flag of messages).
const ROLES_TTL: Duration = Duration::from_secs(60);

/// The gateway intents the bot needs. Message Content is privileged: enable it for the
/// application in the developer portal. With the welcome on, the bot also hears members
/// join, which needs the privileged Server Members intent (asked for only then: Discord
/// refuses a connection that asks for a privileged intent the portal has not enabled).
pub fn intents(welcome: bool) -> GatewayIntents {
    let mut intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT;
    if welcome {
        intents |= GatewayIntents::GUILD_MEMBERS;
    }
    intents
}

/// What the bot needs in a server: read and answer, in threads too, with embeds and files,
/// manage the roles it mirrors badges to, and the scheduled events it mirrors events to.
pub fn permissions() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::CREATE_PUBLIC_THREADS
        | Permissions::EMBED_LINKS
        | Permissions::ATTACH_FILES
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::MANAGE_ROLES
        | Permissions::MANAGE_EVENTS
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
    let mut builder = HttpBuilder::new(token)
        .default_allowed_mentions(CreateAllowedMentions::new())
        .client(outbound::discord_client());
    if let Some(base) = &config.api_base_url {
        // serenity's rate limiter builds requests without the proxy, so it is switched
        // off; the proxy in front is expected to do the rate limiting.
        builder = builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    builder.build()
}

/// What each role of a server may do.
type RolePermissions = HashMap<RoleId, Permissions>;

/// Who sent an input, as Discord describes them.
pub(crate) struct Who<'a> {
    pub user: &'a User,
    pub guild: Option<GuildId>,
    pub roles: &'a [RoleId],
    /// Sent with interactions; worked out from the roles for messages.
    pub permissions: Option<Permissions>,
    /// Sent with interactions (the member's client language).
    pub locale: Option<&'a str>,
}

/// The Discord side of the bot.
pub struct Discord {
    core: Core,
    config: DiscordConfig,
    /// The client's REST client, set once the client is built.
    http: OnceLock<Arc<Http>>,
    me: UserId,
    /// The servers the bot has heard from: where badge roles are mirrored.
    guilds: Mutex<BTreeSet<GuildId>>,
    /// Each server's role permissions, for members' messages (which carry none).
    roles: Mutex<LruCache<GuildId, (Instant, RolePermissions)>>,
    /// The client language each member last used in an interaction (messages carry none).
    locales: Mutex<LruCache<UserId, String>>,
    /// Each server's language (its preferred locale), for members who just joined: Discord
    /// tells a bot nothing of a new member's own language.
    guild_locales: Mutex<std::collections::HashMap<GuildId, String>>,
    /// Interactions handled, by id: one the gateway delivers again acts once.
    interactions: Replays<()>,
    /// Every REST call: bounded in flight, queued, retried.
    out: Outbound,
}

impl Discord {
    /// Builds the client: learns the bot's own id first, so that a mention in a message
    /// right after READY is seen.
    pub async fn connect(
        token: &str,
        config: DiscordConfig,
        core: Core,
    ) -> Result<(Arc<Discord>, Client)> {
        let me = http(token, &config)
            .get_current_user()
            .await
            .context("reading the bot user")?;
        let discord = Arc::new(Discord {
            core,
            config,
            http: OnceLock::new(),
            me: me.id,
            guilds: Mutex::new(BTreeSet::new()),
            roles: Mutex::new(LruCache::new(NonZeroUsize::new(64).expect("non-zero"))),
            locales: Mutex::new(LruCache::new(NonZeroUsize::new(10_000).expect("non-zero"))),
            guild_locales: Mutex::new(std::collections::HashMap::new()),
            interactions: Replays::new(4096, replay::WINDOW),
            out: Outbound::new(Platform::Discord, outbound::IN_FLIGHT),
        });
        let welcome = discord.core.commands.config().journey.welcome.enabled;
        let client = serenity::all::ClientBuilder::new_with_http(
            http(token, &discord.config),
            intents(welcome),
        )
        .event_handler(events::Handler(Arc::clone(&discord)))
        .await
        .context("connecting to Discord")?;
        if let Some(url) = &discord.config.gateway_url {
            *client.ws_url.lock().await = url.clone();
        }
        let _ = discord.http.set(Arc::clone(&client.http));
        Ok((discord, client))
    }

    fn http(&self) -> &Http {
        self.http.get().expect("the client is built in connect")
    }

    /// The configured announcement channel.
    fn announcements(&self) -> Option<ChannelId> {
        let id = self.config.announcements_channel.as_deref()?;
        id.parse::<u64>().ok().map(ChannelId::new)
    }

    fn saw_guild(&self, guild: Option<GuildId>) {
        if let Some(g) = guild {
            self.guilds
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(g);
        }
    }

    /// The servers the bot has heard from, `also` included (and remembered).
    fn known_guilds(&self, also: Option<GuildId>) -> BTreeSet<GuildId> {
        self.saw_guild(also);
        self.guilds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The one way an input's sender becomes an [`Actor`]: their roles, the language of
    /// their client (remembered from their interactions for their messages), and whether
    /// Discord calls them an administrator, when the configuration lets that count.
    pub(crate) async fn actor(&self, who: Who<'_>) -> Actor {
        self.saw_guild(who.guild);
        let locale = {
            let mut locales = self.locales.lock().unwrap_or_else(|p| p.into_inner());
            match who.locale {
                Some(l) => {
                    locales.put(who.user.id, l.to_string());
                    Some(l.to_string())
                }
                None => locales.get(&who.user.id).cloned(),
            }
        };
        let platform_admin = self.config.admin_permissions && {
            let perms = match (who.permissions, who.guild) {
                (Some(p), _) => p,
                (None, Some(guild)) => self.permissions_of(guild, who.roles).await,
                (None, None) => Permissions::empty(),
            };
            perms.contains(Permissions::ADMINISTRATOR) || perms.contains(Permissions::MANAGE_ROLES)
        };
        let name = who
            .user
            .global_name
            .clone()
            .unwrap_or_else(|| who.user.name.clone());
        Actor::new(Platform::Discord, who.user.id.get().to_string(), name)
            .with_roles(who.roles.iter().map(|r| r.get().to_string()))
            .with_locale(locale.as_deref().and_then(commands::lang_of_locale))
            .with_platform_admin(platform_admin)
    }

    /// A member's permissions in a server from their roles (and @everyone's, whose id is
    /// the server's).
    async fn permissions_of(&self, guild: GuildId, roles: &[RoleId]) -> Permissions {
        let cached = self
            .roles
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&guild)
            .filter(|(at, _)| at.elapsed() < ROLES_TTL)
            .map(|(_, r)| r.clone());
        let table = match cached {
            Some(t) => t,
            None => match self
                .out
                .call("GET roles", || guild.roles(self.http()))
                .await
            {
                Ok(all) => {
                    let t: RolePermissions =
                        all.into_iter().map(|(id, r)| (id, r.permissions)).collect();
                    self.roles
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .put(guild, (Instant::now(), t.clone()));
                    t
                }
                Err(e) => {
                    tracing::warn!("could not read the server's roles: {e:#}");
                    HashMap::new()
                }
            },
        };
        std::iter::once(RoleId::new(guild.get()))
            .chain(roles.iter().copied())
            .filter_map(|r| table.get(&r).copied())
            .fold(Permissions::empty(), |all, p| all | p)
    }

    /// Gives or takes the role mapped to a badge in one server (creating it when the
    /// configuration says so).
    async fn sync_role(
        &self,
        guild: GuildId,
        user: UserId,
        badge: &str,
        grant: bool,
    ) -> Result<()> {
        let http = self.http();
        let role = match self.config.badge_roles.get(badge) {
            Some(r) => RoleId::new(r.parse().context("discord.badge_roles holds role ids")?),
            None if self.config.create_roles && grant => {
                let name =
                    commands::badges::find(badge).map_or(badge, |b| b.name(knowledge::Lang::En));
                let existing = self.out.call("GET roles", || guild.roles(http)).await?;
                match existing.values().find(|r| r.name == name) {
                    Some(r) => r.id,
                    None => {
                        self.out
                            .call("POST role", || {
                                guild.create_role(
                                    http,
                                    EditRole::new().name(name).mentionable(false),
                                )
                            })
                            .await?
                            .id
                    }
                }
            }
            None => return Ok(()),
        };
        let reason = Some("community bot: badge change");
        if grant {
            self.out
                .call("PUT member role", || {
                    http.add_member_role(guild, user, role, reason)
                })
                .await?;
        } else {
            self.out
                .call("DELETE member role", || {
                    http.remove_member_role(guild, user, role, reason)
                })
                .await?;
        }
        Ok(())
    }
}

/// A Discord user id is a number; their direct-message channel is opened on the way.
#[async_trait]
impl Front for Discord {
    async fn direct(&self, user: &str, reply: &Reply) -> Result<()> {
        let id: u64 = user.parse().context("a Discord user id")?;
        let user = UserId::new(id);
        let dm = self
            .out
            .call("POST DM channel", || user.create_dm_channel(self.http()))
            .await?;
        self.out
            .call("POST message", || {
                dm.id.send_message(self.http(), render::message(reply))
            })
            .await?;
        Ok(())
    }

    /// In every server the bot has heard from (a community has one).
    async fn apply(&self, effect: &Effect) -> Result<()> {
        let guilds: Vec<GuildId> = self
            .guilds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .copied()
            .collect();
        let (user, badge, grant) = match effect {
            Effect::BadgeGranted { user, badge, .. } => (user, *badge, true),
            Effect::BadgeRevoked { user, badge, .. } => (user, *badge, false),
            // A group's role, by id.
            Effect::RoleGranted { user, role, .. } | Effect::RoleRevoked { user, role, .. } => {
                let grant = matches!(effect, Effect::RoleGranted { .. });
                let user = UserId::new(user.parse().context("a Discord user id")?);
                let role = RoleId::new(role.parse().context("a Discord role id")?);
                let reason = Some("community bot: user group");
                let http = self.http();
                for guild in guilds {
                    if grant {
                        self.out
                            .call("PUT member role", || {
                                http.add_member_role(guild, user, role, reason)
                            })
                            .await?;
                    } else {
                        self.out
                            .call("DELETE member role", || {
                                http.remove_member_role(guild, user, role, reason)
                            })
                            .await?;
                    }
                }
                return Ok(());
            }
        };
        let user = UserId::new(user.parse().context("a Discord user id")?);
        for guild in guilds {
            self.sync_role(guild, user, badge, grant).await?;
        }
        Ok(())
    }

    async fn announce(&self, reply: &Reply) -> Result<Option<PostRef>> {
        match self.announcements() {
            Some(channel) => self.post_announcement(channel, reply).await.map(Some),
            None => Ok(None),
        }
    }

    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
        self.edit_post(post, reply).await
    }

    async fn post(&self, channel: &str, reply: &Reply) -> Result<PostRef> {
        let id = ChannelId::new(channel.parse().context("a Discord channel id")?);
        let sent = self
            .out
            .call("POST message", || {
                id.send_message(self.http(), render::message(reply))
            })
            .await?;
        Ok(PostRef {
            channel: channel.to_string(),
            message: sent.id.get().to_string(),
        })
    }

    /// The post, a thread started from it (a thread has the id of its first message), and
    /// each member added to the thread.
    async fn thread(
        &self,
        channel: &str,
        name: &str,
        members: &[String],
        reply: &Reply,
    ) -> Result<PostRef> {
        let id = ChannelId::new(channel.parse().context("a Discord channel id")?);
        let http = self.http();
        let sent = self
            .out
            .call("POST message", || {
                id.send_message(http, render::message(reply))
            })
            .await?;
        let thread = self
            .out
            .call("POST thread", || {
                id.create_thread_from_message(
                    http,
                    sent.id,
                    CreateThread::new(crate::front::clip(name, 90)),
                )
            })
            .await?;
        for m in members {
            let user = UserId::new(m.parse().context("a Discord user id")?);
            self.out
                .call("PUT thread member", || {
                    thread.id.add_thread_member(http, user)
                })
                .await?;
        }
        let at = thread.id.get().to_string();
        Ok(PostRef {
            channel: at.clone(),
            message: at,
        })
    }

    async fn in_thread(&self, thread: &PostRef, reply: &Reply) -> Result<()> {
        let id = ChannelId::new(thread.channel.parse().context("a Discord thread id")?);
        self.out
            .call("POST message", || {
                id.send_message(self.http(), render::message(reply))
            })
            .await?;
        Ok(())
    }
}

/// A channel an input came from (or the thread the bot opened on it).
pub(crate) struct Channel<'a> {
    discord: &'a Discord,
    id: ChannelId,
}

#[async_trait]
impl Conversation for Channel<'_> {
    async fn here(&self, reply: &Reply) -> Result<()> {
        let http = self.discord.http();
        self.discord
            .out
            .call("POST message", || {
                self.id.send_message(http, render::message(reply))
            })
            .await?;
        Ok(())
    }

    async fn announce(&self, reply: &Reply) -> Result<PostRef> {
        let channel = self.discord.announcements().unwrap_or(self.id);
        self.discord.post_announcement(channel, reply).await
    }

    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
        self.discord.edit_post(post, reply).await
    }
}

/// Runs the Discord client until `shutdown` turns true; serenity reconnects by itself.
pub async fn serve(
    mut client: Client,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<()> {
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = shutdown.changed().await;
        shards.shutdown_all().await;
    });
    client.start().await.context("running the Discord client")
}
