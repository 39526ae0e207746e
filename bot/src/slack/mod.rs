//! The Slack front end (slack-morphism 2): Socket Mode and signed HTTP events in
//! ([`events`], [`http`]), Block Kit out ([`render`]), and the app manifest ([`manifest`]).
//! This module holds what they share: the Web API client, what the bot knows of members and
//! user groups, the one actor builder, where replies of a conversation go, and the
//! [`Front`] that `main` and the other front ends use for direct messages and user groups.
//! Nothing here decides anything; `commands` does.
//!
//! Slack has no roles: badges live in the store, and a badge mapped to a user group in
//! `[slack.badge_groups]` is mirrored with `usergroups.users.update`.

mod events;
pub mod http;
pub mod manifest;
mod render;
mod send;

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use async_trait::async_trait;
use commands::{Actor, Effect, Platform, PostRef, Reply};
use knowledge::Lang;
use lru::LruCache;
use serde_json::{json, Value};
use slack_morphism::prelude::*;

pub use events::serve_socket_mode;

use crate::config::SlackConfig;
use crate::front::{Conversation, Core, Front};
use crate::outbound::{self, Outbound};
use crate::replay::{self, Replays};

/// How long what users.info and usergroups.users.list said is trusted, and how many
/// members and groups are remembered at most.
const PERSON_TTL: Duration = Duration::from_secs(600);
const GROUP_TTL: Duration = Duration::from_secs(60);
const PEOPLE: usize = 10_000;
const GROUPS: usize = 256;
/// Event ids remembered, so that an event Slack delivers twice is answered once.
const SEEN_EVENTS: usize = 4096;
/// Slash commands and presses remembered (each for Slack's five-minute signature window).
const SEEN_REQUESTS: usize = 4096;

/// The secrets Slack needs, from the environment; `None` when `SLACK_BOT_TOKEN` is unset.
pub struct Tokens {
    pub bot: String,
    /// Socket Mode (`xapp-…`).
    pub app: Option<String>,
    /// HTTP events: the request-signing secret.
    pub signing_secret: Option<String>,
}

impl Tokens {
    pub fn from_env() -> Result<Option<Tokens>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let Some(bot) = var("SLACK_BOT_TOKEN") else {
            return Ok(None);
        };
        let tokens = Tokens {
            bot,
            app: var("SLACK_APP_TOKEN"),
            signing_secret: var("SLACK_SIGNING_SECRET"),
        };
        if tokens.app.is_none() && tokens.signing_secret.is_none() {
            anyhow::bail!(
                "SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP events) is"
            );
        }
        Ok(Some(tokens))
    }
}

/// A Web API client for the configured base URL. `https_or_http` lets the tests' emulator
/// (plain HTTP on localhost) and Slack itself share one connector type.
pub fn client(config: &SlackConfig) -> Result<Arc<SlackHyperClient>> {
    let base = config.api_base_url.as_deref();
    let https = match hyper_rustls::HttpsConnectorBuilder::new().with_native_roots() {
        Ok(builder) => builder,
        Err(e) if base.is_some_and(|b| b.starts_with("http://")) => {
            // No CA certificates are needed to talk plain HTTP.
            tracing::debug!("no native CA certificates ({e}); plain HTTP only");
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let tls = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .context("setting up TLS")?
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls)
        }
        Err(e) => {
            return Err(e).context(
                "loading the system's CA certificates to reach Slack (install ca-certificates)",
            )
        }
    };
    let connector = https.https_or_http().enable_http1().enable_http2().build();
    let mut hyper = SlackClientHyperConnector::with_connector(connector).with_rate_control(
        // Tiered methods are paced by their tier; any 429 is retried after Retry-After.
        SlackApiRateControlConfig::new()
            .with_max_retries(5)
            .with_max_delay_timeout(Duration::from_secs(30)),
    );
    if let Some(base) = base {
        hyper = hyper.with_slack_api_url(base.trim_end_matches('/'));
    }
    Ok(Arc::new(SlackClient::new(hyper)))
}

/// What the bot knows of a member from users.info.
#[derive(Clone)]
struct Person {
    name: String,
    locale: Option<Lang>,
    workspace_admin: bool,
}

/// The Slack side of the bot.
pub struct SlackBot {
    core: Core,
    config: SlackConfig,
    client: Arc<SlackHyperClient>,
    token: SlackApiToken,
    /// The bot's own user id, from auth.test.
    me: String,
    /// User groups that grant a level (`[permissions.slack]` admin and organizer roles).
    level_groups: Vec<String>,
    people: Mutex<LruCache<String, (Instant, Person)>>,
    groups: Mutex<LruCache<String, (Instant, Vec<String>)>>,
    seen: Mutex<LruCache<String, ()>>,
    /// Slash commands handled (by trigger id) with their first answers, and presses
    /// handled (by trigger id and action time): what is delivered again acts once.
    commands_seen: Replays<SlackCommandEventResponse>,
    presses_seen: Replays<()>,
    /// Group membership edits replace the whole list; one at a time.
    group_edit: tokio::sync::Mutex<()>,
    /// Every Web API call: bounded in flight, queued, retried.
    out: Outbound,
}

fn cache<K: std::hash::Hash + Eq, V>(n: usize) -> Mutex<LruCache<K, V>> {
    Mutex::new(LruCache::new(NonZeroUsize::new(n).expect("non-zero")))
}

impl SlackBot {
    /// Connects to the Web API and learns who the bot is.
    pub async fn connect(
        config: SlackConfig,
        bot_token: &str,
        core: Core,
        level_groups: Vec<String>,
    ) -> Result<Arc<SlackBot>> {
        let client = client(&config)?;
        let token = SlackApiToken::new(bot_token.into());
        let me = client
            .open_session(&token)
            .auth_test()
            .await
            .context("checking SLACK_BOT_TOKEN with auth.test")?;
        tracing::info!("connected to Slack workspace {} as {}", me.team, me.user_id);
        Ok(Arc::new(SlackBot {
            core,
            config,
            client,
            token,
            me: me.user_id.to_string(),
            level_groups,
            people: cache(PEOPLE),
            groups: cache(GROUPS),
            seen: cache(SEEN_EVENTS),
            commands_seen: Replays::new(SEEN_REQUESTS, replay::WINDOW),
            presses_seen: Replays::new(SEEN_REQUESTS, replay::WINDOW),
            group_edit: tokio::sync::Mutex::new(()),
            out: Outbound::new(Platform::Slack, outbound::IN_FLIGHT),
        }))
    }

    fn session(&self) -> SlackClientSession<'_, SlackClientHyperHttpsConnector> {
        self.client.open_session(&self.token)
    }

    /// Name, locale and admin flag from users.info, remembered for a while. A member the
    /// API cannot describe is still served, under their id.
    async fn person(&self, user: &str) -> Person {
        let known = self
            .people
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
            .filter(|(at, _)| at.elapsed() < PERSON_TTL)
            .map(|(_, p)| p.clone());
        if let Some(p) = known {
            return p;
        }
        let request =
            SlackApiUsersInfoRequest::new(SlackUserId::new(user.into())).with_include_locale(true);
        let info = self
            .out
            .call("users.info", || async {
                self.session().users_info(&request).await
            })
            .await;
        let person = match info {
            Ok(info) => {
                let u = info.user;
                let profile = u.profile.as_ref();
                let name = profile
                    .and_then(|p| p.display_name.clone().filter(|n| !n.is_empty()))
                    .or_else(|| profile.and_then(|p| p.real_name.clone()))
                    .or(u.name.clone())
                    .unwrap_or_else(|| user.to_string());
                Person {
                    name,
                    locale: u
                        .locale
                        .as_ref()
                        .and_then(|l| commands::lang_of_locale(l.value())),
                    workspace_admin: u.flags.is_admin.unwrap_or(false)
                        || u.flags.is_owner.unwrap_or(false),
                }
            }
            Err(e) => {
                tracing::debug!("users.info for {user}: {e}");
                Person {
                    name: user.to_string(),
                    locale: None,
                    workspace_admin: false,
                }
            }
        };
        self.people
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(user.to_string(), (Instant::now(), person.clone()));
        person
    }

    /// Members of a user group, remembered for a minute unless `fresh` is asked for.
    async fn group_members(&self, group: &str, fresh: bool) -> Result<Vec<String>> {
        let known = self
            .groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(group)
            .filter(|(at, _)| !fresh && at.elapsed() < GROUP_TTL)
            .map(|(_, m)| m.clone());
        if let Some(m) = known {
            return Ok(m);
        }
        let request = SlackApiUserGroupsUsersListRequest::new(SlackUserGroupId::new(group.into()));
        let list = self
            .out
            .call("usergroups.users.list", || async {
                self.session().usergroups_users_list(&request).await
            })
            .await
            .with_context(|| format!("usergroups.users.list {group}"))?;
        let members: Vec<String> = list.users.iter().map(|u| u.to_string()).collect();
        self.groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(group.to_string(), (Instant::now(), members.clone()));
        Ok(members)
    }

    /// The one way a Slack user becomes an [`Actor`]: their name and language from
    /// users.info, the permission user groups they are in, and whether they are a workspace
    /// admin, when the configuration lets that count.
    async fn actor(&self, user: &str) -> Actor {
        let person = self.person(user).await;
        let mut roles = Vec::new();
        for group in &self.level_groups {
            match self.group_members(group, false).await {
                Ok(members) if members.iter().any(|m| m == user) => roles.push(group.clone()),
                Ok(_) => {}
                Err(e) => tracing::warn!("could not read a permissions user group: {e:#}"),
            }
        }
        Actor::new(Platform::Slack, user.to_string(), person.name)
            .with_roles(roles)
            .with_locale(person.locale)
            .with_platform_admin(self.config.workspace_admins && person.workspace_admin)
    }

    /// Mirrors a badge to its user group. Slack replaces the whole member list, so the
    /// list is read fresh and edits go one at a time.
    async fn sync_group(&self, effect: &Effect) -> Result<()> {
        let (user, group, add) = match effect {
            Effect::BadgeGranted {
                platform: Platform::Slack,
                user,
                badge,
            } => (user, self.config.badge_groups.get(*badge), true),
            Effect::BadgeRevoked {
                platform: Platform::Slack,
                user,
                badge,
            } => (user, self.config.badge_groups.get(*badge), false),
            // The user group of the group or city a member picked.
            Effect::RoleGranted {
                platform: Platform::Slack,
                user,
                role,
            } => (user, Some(role), true),
            Effect::RoleRevoked {
                platform: Platform::Slack,
                user,
                role,
            } => (user, Some(role), false),
            _ => return Ok(()),
        };
        let Some(group) = group else {
            return Ok(());
        };
        let _one_at_a_time = self.group_edit.lock().await;
        let mut members = self.group_members(group, true).await?;
        let present = members.iter().any(|m| m == user);
        match (add, present) {
            (true, false) => members.push(user.clone()),
            (false, true) => members.retain(|m| m != user),
            _ => return Ok(()),
        }
        if members.is_empty() {
            // Slack keeps at least one member in a group; disabling it is the admin's call.
            tracing::warn!("not emptying user group {group}: Slack needs one member");
            return Ok(());
        }
        let update = json!({ "usergroup": group, "users": members.join(",") });
        let _: Value = self
            .out
            .call("usergroups.users.update", || async {
                self.session()
                    .http_session_api
                    .http_post(
                        "usergroups.users.update",
                        &update,
                        Some(&SLACK_TIER2_METHOD_CONFIG),
                    )
                    .await
            })
            .await?;
        self.groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(group.clone(), (Instant::now(), members));
        Ok(())
    }
}

/// Posting to a user id lands in the bot's direct messages with them.
#[async_trait]
impl Front for SlackBot {
    async fn direct(&self, user: &str, reply: &Reply) -> Result<()> {
        self.post(user, None, reply).await?;
        self.upload_attachment(reply, None, user).await
    }

    async fn apply(&self, effect: &Effect) -> Result<()> {
        self.sync_group(effect).await
    }

    async fn announce(&self, reply: &Reply) -> Result<Option<PostRef>> {
        let Some(channel) = self.config.announcements_channel.clone() else {
            return Ok(None);
        };
        let ts = self.post(&channel, None, reply).await?;
        Ok(Some(PostRef {
            channel,
            message: ts,
        }))
    }

    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
        self.update(post, reply).await
    }

    async fn post(&self, channel: &str, reply: &Reply) -> Result<PostRef> {
        let ts = self.post(channel, None, reply).await?;
        Ok(PostRef {
            channel: channel.to_string(),
            message: ts,
        })
    }

    /// Slack threads have no members of their own: the members are invited to the channel
    /// (if they are not in it), and the reply in the thread that mentions them subscribes
    /// them to it.
    async fn thread(
        &self,
        channel: &str,
        _name: &str,
        members: &[String],
        reply: &Reply,
    ) -> Result<PostRef> {
        let ts = self.post(channel, None, reply).await?;
        if !members.is_empty() {
            let invite = json!({ "channel": channel, "users": members.join(",") });
            let invited: Result<Value> = self
                .out
                .call("conversations.invite", || async {
                    self.session()
                        .http_session_api
                        .http_post(
                            "conversations.invite",
                            &invite,
                            Some(&SLACK_TIER3_METHOD_CONFIG),
                        )
                        .await
                })
                .await;
            if let Err(e) = invited {
                // `already_in_channel` is the usual answer; anything else is worth a line.
                if !format!("{e:#}").contains("already_in_channel") {
                    tracing::warn!("could not invite a member to channel {channel}: {e:#}");
                }
            }
        }
        Ok(PostRef {
            channel: channel.to_string(),
            message: ts,
        })
    }

    async fn in_thread(&self, thread: &PostRef, reply: &Reply) -> Result<()> {
        self.post(&thread.channel, Some(&thread.message), reply)
            .await
            .map(|_| ())
    }
}

/// Where an input came from, and so where its replies go.
#[derive(Clone, Debug, Default)]
pub(crate) struct Place {
    pub channel: String,
    pub user: String,
    /// The thread answers go in (messages and mentions).
    pub thread: Option<String>,
    /// Slash commands and button presses can answer here, also privately.
    pub response_url: Option<SlackResponseUrl>,
    /// A direct message with the bot: everything there is private already.
    pub direct: bool,
}

/// A conversation on Slack: the bot and the place an input came from.
pub(crate) struct Here<'a> {
    bot: &'a SlackBot,
    place: &'a Place,
}

#[async_trait]
impl Conversation for Here<'_> {
    async fn here(&self, reply: &Reply) -> Result<()> {
        let (bot, place) = (self.bot, self.place);
        let private = reply.destination == commands::Destination::Private && !place.direct;
        // A file goes where the reply goes, or to the member's direct messages when the
        // reply is private in a channel.
        let file_place = (!private).then_some((place.channel.as_str(), place.thread.as_deref()));
        if let Some(url) = &place.response_url {
            bot.respond(url, reply, private).await?;
            return bot.upload_attachment(reply, file_place, &place.user).await;
        }
        if private {
            let request = SlackApiChatPostEphemeralRequest::new(
                SlackChannelId::new(place.channel.clone()),
                SlackUserId::new(place.user.clone()),
                render::content(reply),
            )
            .opt_thread_ts(place.thread.clone().map(SlackTs::new));
            bot.out
                .call("chat.postEphemeral", || async {
                    bot.session().chat_post_ephemeral(&request).await
                })
                .await?;
        } else {
            bot.post(&place.channel, place.thread.as_deref(), reply)
                .await?;
        }
        bot.upload_attachment(reply, file_place, &place.user).await
    }

    async fn announce(&self, reply: &Reply) -> Result<PostRef> {
        let channel = self
            .bot
            .config
            .announcements_channel
            .clone()
            .unwrap_or_else(|| self.place.channel.clone());
        let ts = self.bot.post(&channel, None, reply).await?;
        Ok(PostRef {
            channel,
            message: ts,
        })
    }

    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
        self.bot.update(post, reply).await
    }
}

fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Arc<SlackHyperClient>,
    _state: SlackClientEventsUserState,
) -> ::http::StatusCode {
    // A request with a bad or stale signature lands here before anything runs (the error
    // names no secret), as do dropped sockets, which slack-morphism reopens by itself.
    // The error quotes the body it could not read: only a bounded prefix of that is logged.
    tracing::warn!("Slack listener: {}", logged(&err.to_string()));
    ::http::StatusCode::UNAUTHORIZED
}

/// The characters of a rejected request's description that reach the log.
const LOGGED: usize = 500;

/// `text` cut to [`LOGGED`] characters, saying how long it was when cut.
fn logged(text: &str) -> String {
    let n = text.chars().count();
    if n <= LOGGED {
        return text.to_string();
    }
    format!(
        "{} ({n} characters in all)",
        crate::front::clip(text, LOGGED)
    )
}

/// What both listeners (Socket Mode, HTTP) run in: the client, the error handler, the bot.
fn environment(bot: &Arc<SlackBot>) -> Arc<SlackHyperListenerEnvironment> {
    Arc::new(
        SlackClientEventsListenerEnvironment::new(Arc::clone(&bot.client))
            .with_error_handler(on_error)
            .with_user_state(Arc::clone(bot)),
    )
}

#[cfg(test)]
mod tests;
