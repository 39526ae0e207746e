//! The Slack front end (slack-morphism 2): Socket Mode and signed HTTP events in, Block Kit
//! out. Events, slash commands and button presses become [`commands::Input`]s; each
//! [`Reply`] is rendered as blocks and posted where it belongs. Nothing here decides
//! anything; `commands` does.
//!
//! Slack has no roles: badges live in the store, and a badge mapped to a user group in
//! `[slack.badge_groups]` is mirrored with `usergroups.users.update`.

pub mod manifest;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use commands::{
    Actor, ButtonStyle, Commands, Destination, Effect, Input, Platform, PostRef, Reply, Response,
};
use knowledge::Lang;
use serde_json::{json, Value};
use slack_morphism::prelude::*;

use crate::config::SlackConfig;
use crate::front::{self, clip, QuestionLimit};

/// Block Kit limits Slack enforces.
const SECTION_TEXT: usize = 3000;
const FIELD_TEXT: usize = 2000;
const HEADER_TEXT: usize = 150;
const BUTTON_TEXT: usize = 75;
const ACTION_ID: usize = 255;
const MAX_BLOCKS: usize = 50;
/// The fallback `text` of a message (notifications, screen readers).
const FALLBACK_TEXT: usize = 3000;
/// Slack retries a slash command it has not had an answer for within 3 s; the answer is
/// given in the acknowledgement when ready by then, else by the response URL. Socket Mode
/// handles one envelope at a time per socket, so this is kept well below 3 s.
const INLINE_ANSWER: Duration = Duration::from_millis(1000);
/// How long what users.info and usergroups.users.list said is trusted.
const PERSON_TTL: Duration = Duration::from_secs(600);
const GROUP_TTL: Duration = Duration::from_secs(60);
/// Event ids remembered, so that an event Slack delivers twice is answered once.
const SEEN_EVENTS: usize = 4096;

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

/// Where an input came from, and so where its replies go.
#[derive(Clone, Debug, Default)]
struct Place {
    channel: String,
    user: String,
    /// The thread answers go in (messages and mentions).
    thread: Option<String>,
    /// Slash commands and button presses can answer here, also privately.
    response_url: Option<SlackResponseUrl>,
    /// A direct message with the bot: everything there is private already.
    direct: bool,
}

pub struct SlackBot {
    commands: Arc<Commands>,
    config: SlackConfig,
    client: Arc<SlackHyperClient>,
    token: SlackApiToken,
    /// The bot's own user id, from auth.test.
    me: String,
    /// User groups that grant a level (`[permissions.slack]` admin and organizer roles).
    level_groups: Vec<String>,
    limit: QuestionLimit,
    people: Mutex<HashMap<String, (Instant, Person)>>,
    groups: Mutex<HashMap<String, (Instant, Vec<String>)>>,
    seen: Mutex<(HashSet<String>, VecDeque<String>)>,
    /// Group membership edits replace the whole list; one at a time.
    group_edit: tokio::sync::Mutex<()>,
}

impl SlackBot {
    /// Connects to the Web API and learns who the bot is.
    pub async fn connect(
        config: SlackConfig,
        bot_token: &str,
        commands: Arc<Commands>,
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
            limit: QuestionLimit::new(config.questions_per_minute),
            commands,
            config,
            client,
            token,
            me: me.user_id.to_string(),
            level_groups,
            people: Mutex::new(HashMap::new()),
            groups: Mutex::new(HashMap::new()),
            seen: Mutex::new((HashSet::new(), VecDeque::new())),
            group_edit: tokio::sync::Mutex::new(()),
        }))
    }

    fn session(&self) -> SlackClientSession<'_, SlackClientHyperHttpsConnector> {
        self.client.open_session(&self.token)
    }

    /// True the first time an event id is seen.
    fn first_sight(&self, id: &str) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let (set, order) = &mut *seen;
        if !set.insert(id.to_string()) {
            return false;
        }
        order.push_back(id.to_string());
        if order.len() > SEEN_EVENTS {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
        true
    }

    /// Name, locale and admin flag from users.info, remembered for a while. A member the
    /// API cannot describe is still served, under their id.
    async fn person(&self, user: &str) -> Person {
        if let Some((at, p)) = self
            .people
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
        {
            if at.elapsed() < PERSON_TTL {
                return p.clone();
            }
        }
        let request =
            SlackApiUsersInfoRequest::new(SlackUserId::new(user.into())).with_include_locale(true);
        let person = match self.session().users_info(&request).await {
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
            .insert(user.to_string(), (Instant::now(), person.clone()));
        person
    }

    /// Members of a user group, remembered for a minute.
    async fn group_members(&self, group: &str, fresh: bool) -> Result<Vec<String>> {
        if !fresh {
            if let Some((at, m)) = self
                .groups
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(group)
            {
                if at.elapsed() < GROUP_TTL {
                    return Ok(m.clone());
                }
            }
        }
        let list = self
            .session()
            .usergroups_users_list(&SlackApiUserGroupsUsersListRequest::new(
                SlackUserGroupId::new(group.into()),
            ))
            .await
            .with_context(|| format!("usergroups.users.list {group}"))?;
        let members: Vec<String> = list.users.iter().map(|u| u.to_string()).collect();
        self.groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(group.to_string(), (Instant::now(), members.clone()));
        Ok(members)
    }

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
        let mut actor = Actor::new(Platform::Slack, user.to_string(), person.name)
            .with_roles(roles)
            .with_platform_admin(self.config.workspace_admins && person.workspace_admin);
        if let Some(lang) = person.locale {
            actor = actor.with_locale(Some(lang));
        }
        actor
    }

    async fn run(&self, actor: Actor, input: Input) -> Response {
        front::run(&self.commands, actor, input).await
    }

    fn is_help_channel(&self, channel: &str) -> bool {
        self.config.help_channels.iter().any(|c| c == channel)
    }

    /// A message or a mention: answered in a thread on it.
    pub async fn on_push(&self, callback: SlackPushEventCallback) {
        if !self.first_sight(callback.event_id.value()) {
            return;
        }
        let mention = format!("<@{}>", self.me);
        let (user, text, place) = match callback.event {
            SlackEventCallbackBody::AppMention(m) => {
                let text = m.content.text.unwrap_or_default();
                let place = Place {
                    channel: m.channel.to_string(),
                    user: m.user.to_string(),
                    thread: Some(m.origin.thread_ts.unwrap_or(m.origin.ts).to_string()),
                    response_url: None,
                    direct: false,
                };
                (m.user.to_string(), text, place)
            }
            SlackEventCallbackBody::Message(m) => {
                // Not the bot's own posts, edits, joins or other bots.
                if m.sender.bot_id.is_some() || m.subtype.is_some() {
                    return;
                }
                let Some(user) = m.sender.user.map(|u| u.to_string()) else {
                    return;
                };
                let Some(channel) = m.origin.channel.map(|c| c.to_string()) else {
                    return;
                };
                if user == self.me {
                    return;
                }
                let text = m.content.and_then(|c| c.text).unwrap_or_default();
                let direct = m
                    .origin
                    .channel_type
                    .as_ref()
                    .map_or(channel.starts_with('D'), |t| t.value() == "im");
                // A mention in a channel also arrives as app_mention, which answers it.
                if !direct
                    && (text.contains(&mention)
                        || !self.is_help_channel(&channel)
                        || !commands::parse::reads_as_question(&text))
                {
                    return;
                }
                let place = Place {
                    channel,
                    user: user.clone(),
                    thread: Some(m.origin.thread_ts.unwrap_or(m.origin.ts).to_string()),
                    response_url: None,
                    direct,
                };
                (user, text, place)
            }
            _ => return,
        };
        let text = text.replace(&mention, " ").trim().to_string();
        if !self.limit.allow(&user) {
            let lang = knowledge::lang::detect_question(&text).unwrap_or(Lang::En);
            let slow = Reply::private(lang, commands::CmdError::TooFast.message(lang));
            self.send_logged(&place, &slow).await;
            return;
        }
        let actor = self.actor(&user).await;
        let response = self.run(actor, Input::Text(text)).await;
        self.deliver(&place, &response, 0).await;
    }

    /// A slash command: the answer rides on the acknowledgement when it is ready within
    /// Slack's three seconds; otherwise it follows by the response URL.
    pub async fn on_command(
        self: &Arc<Self>,
        event: SlackCommandEvent,
    ) -> SlackCommandEventResponse {
        let line = format!(
            "{} {}",
            event.command.value(),
            event.text.clone().unwrap_or_default()
        );
        let place = Place {
            channel: event.channel_id.to_string(),
            user: event.user_id.to_string(),
            thread: None,
            response_url: Some(event.response_url.clone()),
            direct: event.channel_id.value().starts_with('D'),
        };
        let (tx, mut rx) = tokio::sync::oneshot::channel::<Response>();
        let bot = Arc::clone(self);
        let late_place = place.clone();
        tokio::spawn(async move {
            let actor = bot.actor(&late_place.user).await;
            let response = bot.run(actor, Input::Text(line)).await;
            if let Err(response) = tx.send(response) {
                // Too late for the acknowledgement: everything goes by the response URL.
                bot.deliver(&late_place, &response, 0).await;
            }
        });
        let response = match tokio::time::timeout(INLINE_ANSWER, &mut rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => return ack_text("⚠️"),
            Err(_) => {
                rx.close();
                match rx.try_recv() {
                    Ok(r) => r,
                    Err(_) => return ack_text("⏳"),
                }
            }
        };
        let first = response.replies.first();
        let inline = first.filter(|r| {
            matches!(r.destination, Destination::Here | Destination::Private)
                && r.attachment.is_none()
        });
        let ack = match inline {
            Some(reply) => SlackCommandEventResponse::new(content(reply)).with_response_type(
                if reply.destination == Destination::Private {
                    SlackMessageResponseType::Ephemeral
                } else {
                    SlackMessageResponseType::InChannel
                },
            ),
            None => ack_text("✅"),
        };
        let bot = Arc::clone(self);
        let skip = usize::from(inline.is_some());
        tokio::spawn(async move { bot.deliver(&place, &response, skip).await });
        ack
    }

    /// A button press runs the same command as typing it. Acknowledged at once; the
    /// replies follow.
    pub fn on_interaction(self: &Arc<Self>, event: SlackInteractionEvent) {
        let SlackInteractionEvent::BlockActions(press) = event else {
            return;
        };
        let Some(user) = press.user.as_ref().map(|u| u.id.to_string()) else {
            return;
        };
        let Some(action) = press.actions.as_ref().and_then(|a| a.first()) else {
            return;
        };
        let id = action.action_id.to_string();
        let (message_ts, container_channel) = match &press.container {
            SlackInteractionActionContainer::Message(m) => {
                (Some(m.message_ts.to_string()), m.channel_id.clone())
            }
            _ => (None, None),
        };
        let Some(channel) = press
            .channel
            .as_ref()
            .map(|c| c.id.to_string())
            .or(container_channel.map(|c| c.to_string()))
        else {
            return;
        };
        let thread = press
            .message
            .as_ref()
            .and_then(|m| m.origin.thread_ts.as_ref().map(|t| t.to_string()))
            .or(message_ts);
        let place = Place {
            direct: channel.starts_with('D'),
            channel,
            user,
            thread,
            response_url: press.response_url.clone(),
        };
        let bot = Arc::clone(self);
        tokio::spawn(async move {
            let actor = bot.actor(&place.user).await;
            let response = bot.run(actor, Input::Press(id)).await;
            bot.deliver(&place, &response, 0).await;
        });
    }

    /// Sends the replies from `skip` on, then mirrors the badge effects.
    async fn deliver(&self, place: &Place, response: &Response, skip: usize) {
        for reply in response.replies.iter().skip(skip) {
            self.send_logged(place, reply).await;
        }
        for effect in &response.effects {
            if let Err(e) = self.sync_group(effect).await {
                tracing::warn!("could not mirror a badge to a user group: {e:#}");
            }
        }
    }

    async fn send_logged(&self, place: &Place, reply: &Reply) {
        if let Err(e) = self.send(place, reply).await {
            tracing::warn!("could not deliver a reply: {e:#}");
        }
    }

    async fn post(&self, channel: &str, thread: Option<&str>, reply: &Reply) -> Result<String> {
        let request = SlackApiChatPostMessageRequest::new(
            SlackChannelId::new(channel.into()),
            content(reply),
        )
        .opt_thread_ts(thread.map(|t| SlackTs::new(t.to_string())))
        .with_unfurl_links(false);
        // Sent without the library's one-per-second pacing (which it applies to the whole
        // workspace rather than per channel); Slack's 429s are still honoured.
        let sent: SlackApiChatPostMessageResponse = self
            .session()
            .http_session_api
            .http_post("chat.postMessage", &request, None)
            .await
            .context("chat.postMessage")?;
        Ok(sent.ts.to_string())
    }

    async fn respond(&self, url: &SlackResponseUrl, reply: &Reply, private: bool) -> Result<()> {
        let mut body = serde_json::to_value(content(reply))?;
        body["response_type"] = json!(if private { "ephemeral" } else { "in_channel" });
        body["replace_original"] = json!(false);
        let span = tracing::debug_span!("slack response_url");
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: None,
            tracing_span: &span,
            is_sensitive_url: true,
        };
        let _: SlackApiPostWebhookMessageResponse = self
            .client
            .http_api
            .connector
            .http_post_uri(url.value().clone(), &body, context)
            .await
            .context("posting to the response URL")?;
        Ok(())
    }

    async fn send(&self, place: &Place, reply: &Reply) -> Result<()> {
        match &reply.destination {
            Destination::Here | Destination::Private => {
                let private = reply.destination == Destination::Private && !place.direct;
                if let Some(url) = &place.response_url {
                    return self.respond(url, reply, private).await;
                }
                if private {
                    let request = SlackApiChatPostEphemeralRequest::new(
                        SlackChannelId::new(place.channel.clone()),
                        SlackUserId::new(place.user.clone()),
                        content(reply),
                    )
                    .opt_thread_ts(place.thread.clone().map(SlackTs::new));
                    self.session()
                        .chat_post_ephemeral(&request)
                        .await
                        .context("chat.postEphemeral")?;
                } else {
                    self.post(&place.channel, place.thread.as_deref(), reply)
                        .await?;
                }
            }
            Destination::Announcements => {
                let channel = self
                    .config
                    .announcements_channel
                    .clone()
                    .unwrap_or_else(|| place.channel.clone());
                let ts = self.post(&channel, None, reply).await?;
                if let Some(key) = &reply.post_key {
                    let post = PostRef {
                        channel,
                        message: ts,
                    };
                    front::record_post(&self.commands, key, Platform::Slack, post).await?;
                }
            }
            Destination::Update { key } => {
                let post = front::recorded_post(&self.commands, key, Platform::Slack).await?;
                let Some(post) = post else {
                    return Ok(());
                };
                let request = SlackApiChatUpdateRequest::new(
                    SlackChannelId::new(post.channel),
                    content(reply),
                    SlackTs::new(post.message),
                );
                self.session()
                    .chat_update(&request)
                    .await
                    .context("chat.update")?;
            }
            Destination::Direct { platform, user } => {
                if *platform == Platform::Slack {
                    // Posting to a user id lands in the bot's direct messages with them.
                    self.post(user, None, reply).await?;
                }
            }
        }
        Ok(())
    }

    /// Mirrors a badge to its user group. Slack replaces the whole member list, so the
    /// list is read fresh and edits go one at a time.
    async fn sync_group(&self, effect: &Effect) -> Result<()> {
        let (user, badge, add) = match effect {
            Effect::BadgeGranted {
                platform: Platform::Slack,
                user,
                badge,
            } => (user, *badge, true),
            Effect::BadgeRevoked {
                platform: Platform::Slack,
                user,
                badge,
            } => (user, *badge, false),
            _ => return Ok(()),
        };
        let Some(group) = self.config.badge_groups.get(badge) else {
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
        let _: Value = self
            .session()
            .http_session_api
            .http_post(
                "usergroups.users.update",
                &json!({ "usergroup": group, "users": members.join(",") }),
                Some(&SLACK_TIER2_METHOD_CONFIG),
            )
            .await
            .context("usergroups.users.update")?;
        self.groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(group.clone(), (Instant::now(), members));
        Ok(())
    }

    /// Delivers reminders and other replies the store produced on its own.
    pub async fn send_direct(&self, reply: &Reply) {
        self.send_logged(&Place::default(), reply).await;
    }
}

fn ack_text(text: &str) -> SlackCommandEventResponse {
    SlackCommandEventResponse::new(SlackMessageContent::new().with_text(text.into()))
        .with_response_type(SlackMessageResponseType::Ephemeral)
}

/// Splits text into pieces of at most `max` characters, at line breaks where it can.
fn chunks(text: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut len = 0;
    for line in text.split_inclusive('\n') {
        let n = line.chars().count();
        if len + n > max && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            len = 0;
        }
        if n > max {
            for piece in line.chars().collect::<Vec<_>>().chunks(max) {
                out.push(piece.iter().collect());
            }
            continue;
        }
        current.push_str(line);
        len += n;
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// Only markup the reply may use survives: user and channel links, links, and the user
/// groups it notifies. `<!channel>`, `<!here>`, `<!everyone>` and any other group ping are
/// shown as text. `commands` already escapes what users typed; this is the second line.
fn guard(text: &str, reply: &Reply) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 1..];
        match tail.find(['>', '<']) {
            Some(end) if tail.as_bytes()[end] == b'>' => {
                let token = &tail[..end];
                if allowed(token, reply) {
                    out.push('<');
                    out.push_str(token);
                    out.push('>');
                } else {
                    out.push_str("&lt;");
                    out.push_str(token);
                    out.push_str("&gt;");
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str("&lt;");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn allowed(token: &str, reply: &Reply) -> bool {
    let id_like = |s: &str| {
        let id = s.split('|').next().unwrap_or("");
        !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())
    };
    if let Some(user) = token.strip_prefix('@') {
        return id_like(user);
    }
    if let Some(channel) = token.strip_prefix('#') {
        return id_like(channel);
    }
    if let Some(group) = token.strip_prefix("!subteam^") {
        let id = group.split('|').next().unwrap_or("");
        return reply.mention_roles.iter().any(|r| r == id);
    }
    token.starts_with("http://") || token.starts_with("https://") || token.starts_with("mailto:")
}

fn mrkdwn(text: String) -> Value {
    json!({ "type": "mrkdwn", "text": text, "verbatim": true })
}

/// Block Kit for a reply: the groups it notifies, a header, the text, fields, the
/// calendar file as a snippet, the sources, and the buttons.
fn blocks(reply: &Reply) -> Vec<Value> {
    let mut out = Vec::new();
    if !reply.mention_roles.is_empty() {
        let pings: Vec<String> = reply
            .mention_roles
            .iter()
            .map(|r| Platform::Slack.role_mention(r))
            .collect();
        out.push(json!({ "type": "section", "text": mrkdwn(pings.join(" ")) }));
    }
    if let Some(title) = &reply.title {
        out.push(json!({
            "type": "header",
            "text": { "type": "plain_text", "text": clip(&unescape(title), HEADER_TEXT), "emoji": true }
        }));
    }
    let text = if reply.ok {
        reply.text.clone()
    } else {
        format!(":warning: {}", reply.text)
    };
    for piece in chunks(&guard(&text, reply), SECTION_TEXT) {
        out.push(json!({ "type": "section", "text": mrkdwn(piece) }));
    }
    for group in reply.fields.chunks(10) {
        let fields: Vec<Value> = group
            .iter()
            .map(|f| {
                mrkdwn(clip(
                    &guard(&format!("*{}*\n{}", f.name, f.value), reply),
                    FIELD_TEXT,
                ))
            })
            .collect();
        out.push(json!({ "type": "section", "fields": fields }));
    }
    if let Some(a) = &reply.attachment {
        let body = clip(&Platform::Slack.escape(&a.body), SECTION_TEXT - 40);
        out.push(json!({
            "type": "section",
            "text": mrkdwn(format!("`{}`\n```{}```", a.filename, body))
        }));
    }
    if !reply.citations.is_empty() {
        let sources: Vec<Value> = reply
            .citations
            .iter()
            .take(10)
            .map(|c| {
                mrkdwn(clip(
                    &format!(
                        "📖 {} — {}",
                        Platform::Slack.escape(&c.section),
                        Platform::Slack.escape(&c.doc)
                    ),
                    FIELD_TEXT,
                ))
            })
            .collect();
        out.push(json!({ "type": "context", "elements": sources }));
    }
    // Action ids must fit and be unique in a message.
    let mut ids = HashSet::new();
    let buttons: Vec<Value> = reply
        .buttons
        .iter()
        .filter(|b| b.id.len() <= ACTION_ID && ids.insert(b.id.as_str()))
        .map(|b| {
            let mut button = json!({
                "type": "button",
                "action_id": b.id,
                "value": b.id,
                "text": { "type": "plain_text", "text": clip(&unescape(&b.label), BUTTON_TEXT), "emoji": true },
            });
            match b.style {
                ButtonStyle::Primary | ButtonStyle::Success => button["style"] = json!("primary"),
                ButtonStyle::Danger => button["style"] = json!("danger"),
                ButtonStyle::Secondary => {}
            }
            button
        })
        .collect();
    // The buttons always fit: text gives way to them.
    let rows: Vec<&[Value]> = buttons.chunks(25).take(2).collect();
    out.truncate(MAX_BLOCKS - rows.len());
    for row in rows {
        out.push(json!({ "type": "actions", "elements": row }));
    }
    out
}

/// Plain-text fields show `&lt;` literally, so escaped text is turned back there.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The message: blocks, and a plain fallback for notifications.
fn content(reply: &Reply) -> SlackMessageContent {
    let mut fallback = String::new();
    if let Some(t) = &reply.title {
        fallback.push_str(t);
        fallback.push_str(": ");
    }
    fallback.push_str(&reply.text);
    let fallback = clip(&guard(&fallback, reply), FALLBACK_TEXT);
    let content = SlackMessageContent::new().with_text(fallback);
    match serde_json::from_value::<Vec<SlackBlock>>(Value::Array(blocks(reply))) {
        Ok(b) => content.with_blocks(b),
        Err(e) => {
            tracing::warn!("could not build blocks: {e}");
            content
        }
    }
}

/// The bot, from the listener's state (Socket Mode callbacks are plain functions).
async fn bot_of(state: &SlackClientEventsUserState) -> Option<Arc<SlackBot>> {
    state
        .read()
        .await
        .get_user_state::<Arc<SlackBot>>()
        .cloned()
}

async fn on_socket_push(
    event: SlackPushEventCallback,
    _client: Arc<SlackHyperClient>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    if let Some(bot) = bot_of(&state).await {
        // Answered after the envelope is acknowledged: slack-morphism acks on return.
        tokio::spawn(async move { bot.on_push(event).await });
    }
    Ok(())
}

async fn on_socket_command(
    event: SlackCommandEvent,
    _client: Arc<SlackHyperClient>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    let bot = bot_of(&state).await;
    match bot {
        Some(bot) => Ok(bot.on_command(event).await),
        None => Ok(ack_text("…")),
    }
}

async fn on_socket_interaction(
    event: SlackInteractionEvent,
    _client: Arc<SlackHyperClient>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    if let Some(bot) = bot_of(&state).await {
        bot.on_interaction(event);
    }
    Ok(())
}

fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Arc<SlackHyperClient>,
    _state: SlackClientEventsUserState,
) -> http::StatusCode {
    // A request with a bad or stale signature lands here before anything runs (the error
    // names no secret), as do dropped sockets, which slack-morphism reopens by itself.
    tracing::warn!("Slack listener: {err}");
    http::StatusCode::UNAUTHORIZED
}

fn environment(bot: &Arc<SlackBot>) -> Arc<SlackHyperListenerEnvironment> {
    Arc::new(
        SlackClientEventsListenerEnvironment::new(Arc::clone(&bot.client))
            .with_error_handler(on_error)
            .with_user_state(Arc::clone(bot)),
    )
}

/// Socket Mode: no public URL needed. slack-morphism keeps the sockets open and reconnects.
pub async fn serve_socket_mode(
    bot: Arc<SlackBot>,
    app_token: &str,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<()> {
    let callbacks = SlackSocketModeListenerCallbacks::new()
        .with_push_events(on_socket_push)
        .with_command_events(on_socket_command)
        .with_interaction_events(on_socket_interaction);
    let config = SlackClientSocketModeConfig::new()
        .with_max_connections_count(bot.config.socket_connections.unwrap_or(2))
        .with_initial_backoff_in_seconds(1);
    let listener = SlackClientSocketModeListener::new(&config, environment(&bot), callbacks);
    listener
        .listen_for(&SlackApiToken::new(app_token.into()))
        .await
        .context("opening Socket Mode (apps.connections.open with SLACK_APP_TOKEN)")?;
    listener.start().await;
    tracing::info!("Slack Socket Mode is listening");
    let _ = shutdown.changed().await;
    listener.shutdown().await;
    Ok(())
}

/// The HTTP Events API: `/slack/events`, `/slack/commands` and `/slack/interactions`, each
/// behind the signing-secret check (HMAC-SHA256, five-minute window), and `/health`.
pub fn router(bot: &Arc<SlackBot>, signing_secret: &str) -> axum::Router {
    use axum::routing::{get, post};
    let env = environment(bot);
    let listener = SlackEventsAxumListener::new(env);
    let secret = SlackSigningSecret::new(signing_secret.into());
    axum::Router::new()
        .route(
            "/slack/events",
            post(http_events).layer(
                listener
                    .events_layer(&secret)
                    .with_event_extractor(SlackEventsExtractors::push_event()),
            ),
        )
        .route(
            "/slack/commands",
            post(http_command).layer(
                listener
                    .events_layer(&secret)
                    .with_event_extractor(SlackEventsExtractors::command_event()),
            ),
        )
        .route(
            "/slack/interactions",
            post(http_interaction).layer(
                listener
                    .events_layer(&secret)
                    .with_event_extractor(SlackEventsExtractors::interaction_event()),
            ),
        )
        .route("/health", get(|| async { "ok" }))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::Extension(Arc::clone(bot)))
}

/// Slack's requests are small; anything over 1 MiB is refused before it is read.
async fn limit_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    const LIMIT: usize = 1 << 20;
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > LIMIT) {
        return http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, LIMIT)));
    next.run(request).await
}

async fn http_events(
    axum::Extension(bot): axum::Extension<Arc<SlackBot>>,
    axum::Extension(event): axum::Extension<SlackPushEvent>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match event {
        SlackPushEvent::UrlVerification(v) => {
            axum::Json(json!({ "challenge": v.challenge })).into_response()
        }
        SlackPushEvent::EventCallback(callback) => {
            tokio::spawn(async move { bot.on_push(callback).await });
            http::StatusCode::OK.into_response()
        }
        _ => http::StatusCode::OK.into_response(),
    }
}

async fn http_command(
    axum::Extension(bot): axum::Extension<Arc<SlackBot>>,
    axum::Extension(event): axum::Extension<SlackCommandEvent>,
) -> axum::Json<SlackCommandEventResponse> {
    axum::Json(bot.on_command(event).await)
}

async fn http_interaction(
    axum::Extension(bot): axum::Extension<Arc<SlackBot>>,
    axum::Extension(event): axum::Extension<SlackInteractionEvent>,
) -> http::StatusCode {
    bot.on_interaction(event);
    http::StatusCode::OK
}

/// Serves the HTTP events endpoint until `shutdown` turns true.
pub async fn serve_http(
    bot: Arc<SlackBot>,
    signing_secret: &str,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<()> {
    let addr = bot
        .config
        .listen
        .clone()
        .unwrap_or_else(|| "0.0.0.0:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("listening for Slack events on {addr}"))?;
    tracing::info!("Slack events endpoint on http://{addr}/slack/events");
    axum::serve(listener, router(&bot, signing_secret))
        .with_graceful_shutdown(async move {
            let _ = shutdown.changed().await;
        })
        .await
        .context("serving Slack events")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: &str) -> Reply {
        Reply::new(Lang::En, text.to_string())
    }

    #[test]
    fn specials_and_foreign_groups_never_ping() {
        let mut r = reply("hi <!channel> <!here|here> <!subteam^S1> <!subteam^S2|x> <@U1> <#C1> <https://a.b|x> a < b > c");
        r.mention_roles = vec!["S2".into()];
        let g = guard(&r.text, &r);
        assert!(g.contains("&lt;!channel&gt;"), "{g}");
        assert!(g.contains("&lt;!here|here&gt;"), "{g}");
        assert!(g.contains("&lt;!subteam^S1&gt;"), "{g}");
        assert!(g.contains("<!subteam^S2|x>"), "{g}");
        assert!(g.contains("<@U1>") && g.contains("<#C1>") && g.contains("<https://a.b|x>"));
        assert!(g.ends_with("a &lt; b &gt; c"), "{g}");
    }

    #[test]
    fn long_text_is_split_into_sections_within_limits() {
        let long = "line of text\n".repeat(1000);
        let mut r = reply(&long);
        r.title = Some("T".repeat(400));
        for i in 0..60 {
            r.buttons.push(commands::Button {
                id: format!("ask:{i}"),
                label: "L".repeat(120),
                style: ButtonStyle::Secondary,
            });
        }
        let blocks = blocks(&r);
        assert!(blocks.len() <= MAX_BLOCKS);
        for b in &blocks {
            if let Some(t) = b["text"]["text"].as_str() {
                assert!(t.chars().count() <= SECTION_TEXT);
            }
            if b["type"] == "actions" {
                let els = b["elements"].as_array().unwrap();
                assert!(els.len() <= 25);
                for e in els {
                    assert!(e["text"]["text"].as_str().unwrap().chars().count() <= BUTTON_TEXT);
                }
            }
        }
        assert_eq!(blocks[0]["type"], "header");
        let header = blocks[0]["text"]["text"].as_str().unwrap();
        assert!(header.chars().count() <= HEADER_TEXT);
        assert!(blocks.iter().any(|b| b["type"] == "actions"));
        // The blocks are valid for slack-morphism's model too.
        assert!(content(&r).blocks.is_some());
    }

    #[test]
    fn buttons_keep_their_ids_and_styles() {
        let mut r = reply("x");
        r.buttons = vec![
            commands::Button {
                id: "vol:signup:c1:host".into(),
                label: "Host".into(),
                style: ButtonStyle::Success,
            },
            commands::Button {
                id: "vol:withdraw:c1".into(),
                label: "Withdraw".into(),
                style: ButtonStyle::Danger,
            },
        ];
        let b = Value::Array(blocks(&r));
        let actions = b
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["type"] == "actions")
            .unwrap();
        assert_eq!(actions["elements"][0]["action_id"], "vol:signup:c1:host");
        assert_eq!(actions["elements"][0]["style"], "primary");
        assert_eq!(actions["elements"][1]["style"], "danger");
    }

    #[test]
    fn chunks_keep_every_character() {
        let text = "a".repeat(7000) + "\nshort\n" + &"b".repeat(10);
        let parts = chunks(&text, 3000);
        assert!(parts.iter().all(|p| p.chars().count() <= 3000));
        assert_eq!(parts.concat(), text);
    }
}
