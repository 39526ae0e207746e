//! What comes in from Slack, over Socket Mode or signed HTTP: messages, mentions, slash
//! commands, button presses and sent modals become an [`Actor`](commands::Actor) and an [`Input`] for
//! `commands`, and the response goes back (a slash command's in its acknowledgement when it
//! is ready in time). Slack's markup in typed text becomes the neutral form every front end
//! hands over: `@U123` for members, `@&S123` for user groups, links as their address, and
//! `&lt;`, `&gt;`, `&amp;` as the characters.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use commands::{Command, Destination, Form, Input, Response};
use slack_morphism::prelude::*;

use super::{environment, render, Here, Place, SlackBot};
use crate::metrics;
use crate::replay::Seen;

/// Slack retries a slash command it has not had an answer for within 3 s; the answer is
/// given in the acknowledgement when ready by then, else by the response URL. Socket Mode
/// handles one envelope at a time per socket, so this is kept well below 3 s.
const INLINE_ANSWER: Duration = Duration::from_millis(1000);
/// How long a repeat of a slash command still being handled waits for the first answer.
const REPEAT_WAIT: Duration = Duration::from_millis(2000);

/// `text` as Slack sends it, in the neutral form. `<!channel>`, `<!here>` and the like stay
/// as typed: they are text to show, never to ping.
pub fn inbound(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&unescape(&rest[..start]));
        let tail = &rest[start + 1..];
        let Some(end) = tail.find('>') else {
            out.push('<');
            rest = tail;
            continue;
        };
        let token = &tail[..end];
        let id = token.split('|').next().unwrap_or("");
        let is_id = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
        if let Some(user) = id.strip_prefix('@').filter(|u| is_id(u)) {
            out.push('@');
            out.push_str(user);
        } else if let Some(group) = id.strip_prefix("!subteam^").filter(|g| is_id(g)) {
            out.push_str("@&");
            out.push_str(group);
        } else if id.starts_with("http://") || id.starts_with("https://") {
            out.push_str(&unescape(id));
        } else if let Some(mail) = id.strip_prefix("mailto:") {
            out.push_str(&unescape(mail));
        } else {
            out.push('<');
            out.push_str(&unescape(token));
            out.push('>');
        }
        rest = &tail[end + 1..];
    }
    out.push_str(&unescape(rest));
    out
}

/// Slack's escapes turned back, `&amp;` last.
fn unescape(text: &str) -> String {
    render::ENTITIES
        .iter()
        .rev()
        .fold(text.to_string(), |t, (c, entity)| {
            t.replace(entity, &c.to_string())
        })
}

fn ack_text(text: &str) -> SlackCommandEventResponse {
    SlackCommandEventResponse::new(render::short(text))
        .with_response_type(SlackMessageResponseType::Ephemeral)
}

impl SlackBot {
    /// True the first time an event id is seen.
    fn first_sight(&self, id: &str) -> bool {
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(id.to_string(), ())
            .is_none()
    }

    fn is_help_channel(&self, channel: &str) -> bool {
        self.config.help_channels.iter().any(|c| c == channel)
    }

    /// Runs `input` for `place`'s member and delivers the replies from `skip` on.
    async fn answer(&self, place: &Place, input: Input, skip: usize) {
        let actor = self.actor(&place.user).await;
        let response = self.core.run(actor, input).await;
        self.deliver(place, &response, skip).await;
    }

    async fn deliver(&self, place: &Place, response: &Response, skip: usize) {
        let here = Here { bot: self, place };
        self.core.deliver(&here, response, skip).await;
    }

    /// The text and place of a message worth answering: a mention, a direct message, or a
    /// question in a help channel. Not the bot's own posts, edits, joins or other bots.
    fn message(&self, event: SlackEventCallbackBody) -> Option<(String, Place)> {
        match event {
            SlackEventCallbackBody::AppMention(m) => Some((
                m.content.text.unwrap_or_default(),
                Place {
                    channel: m.channel.to_string(),
                    user: m.user.to_string(),
                    thread: Some(m.origin.thread_ts.unwrap_or(m.origin.ts).to_string()),
                    ..Place::default()
                },
            )),
            SlackEventCallbackBody::Message(m) => {
                if m.sender.bot_id.is_some() || m.subtype.is_some() {
                    return None;
                }
                let user = m.sender.user.map(|u| u.to_string())?;
                let channel = m.origin.channel.map(|c| c.to_string())?;
                let text = m.content.and_then(|c| c.text).unwrap_or_default();
                let direct = m
                    .origin
                    .channel_type
                    .as_ref()
                    .map_or(channel.starts_with('D'), |t| t.value() == "im");
                // A mention in a channel also arrives as app_mention, which answers it.
                let wanted = direct
                    || (!text.contains(&format!("<@{}>", self.me))
                        && self.is_help_channel(&channel)
                        && commands::parse::reads_as_question(&text));
                (user != self.me && wanted).then(|| {
                    let thread = Some(m.origin.thread_ts.unwrap_or(m.origin.ts).to_string());
                    (
                        text,
                        Place {
                            channel,
                            user,
                            thread,
                            response_url: None,
                            direct,
                        },
                    )
                })
            }
            _ => None,
        }
    }

    /// A member joined the workspace (`team_join`): the welcome, in their language.
    async fn on_join(&self, user: &SlackUser) {
        if user.flags.is_bot.unwrap_or(false)
            || !self.core.commands.config().journey.welcome.enabled
        {
            return;
        }
        let actor = self.actor(user.id.value()).await;
        let mut response = self
            .core
            .run(actor, Input::Command(Command::MemberJoined))
            .await;
        // A join has no conversation: what would answer the member there is left out.
        response
            .replies
            .retain(|r| !matches!(r.destination, Destination::Private | Destination::Here));
        self.core
            .fronts
            .deliver(&self.core.commands, &response)
            .await;
    }

    /// A reply in a thread the bot opened (a question handed to people): what a helper
    /// writes there is kept with the question. True when it was one.
    async fn on_thread_reply(&self, m: &SlackMessageEvent) -> bool {
        if m.sender.bot_id.is_some() || m.subtype.is_some() {
            return false;
        }
        let (Some(thread), Some(channel), Some(user)) = (
            m.origin.thread_ts.as_ref(),
            m.origin.channel.as_ref(),
            m.sender.user.as_ref(),
        ) else {
            return false;
        };
        if *user.value() == self.me {
            return false;
        }
        let Some(key) = self.core.thread_key(channel.value(), thread.value()).await else {
            return false;
        };
        let text = inbound(
            m.content
                .as_ref()
                .and_then(|c| c.text.as_deref())
                .unwrap_or(""),
        );
        let actor = self.actor(user.value()).await;
        let response = self
            .core
            .run(
                actor,
                Input::Command(Command::ThreadReply { thread: key, text }),
            )
            .await;
        self.core
            .fronts
            .deliver(&self.core.commands, &response)
            .await;
        true
    }

    /// A message or a mention: answered in a thread on it.
    pub async fn on_push(&self, callback: SlackPushEventCallback) {
        if !self.first_sight(callback.event_id.value()) {
            return;
        }
        match &callback.event {
            SlackEventCallbackBody::TeamJoin(join) => return self.on_join(&join.user).await,
            SlackEventCallbackBody::Message(m) if self.on_thread_reply(m).await => return,
            _ => {}
        }
        let Some((text, place)) = self.message(callback.event) else {
            return;
        };
        let text = inbound(&text.replace(&format!("<@{}>", self.me), " "))
            .trim()
            .to_string();
        if let Some(slow) = self.core.too_fast(&place.user, &text) {
            let here = Here {
                bot: self,
                place: &place,
            };
            let sending = crate::front::Conversation::here(&here, &slow);
            crate::front::delivered(commands::Platform::Slack, &slow, sending).await;
            return;
        }
        self.answer(&place, Input::Text(text), 0).await;
    }

    /// A slash command: the answer rides on the acknowledgement when it is ready within
    /// Slack's three seconds; otherwise it follows by the response URL.
    ///
    /// A command delivered again (a replayed signed request, an envelope Slack retried:
    /// the same trigger id) is not run again; it gets the first answer.
    pub async fn on_command(
        self: &Arc<Self>,
        event: SlackCommandEvent,
    ) -> SlackCommandEventResponse {
        let key = format!("command {}", event.trigger_id);
        let claim = match self.commands_seen.first(&key, REPEAT_WAIT).await {
            Seen::First(claim) => claim,
            Seen::Again(answer) => {
                metrics::platform(commands::Platform::Slack).replays.add();
                tracing::info!(
                    "Slack {} by {} (trigger {}) was seen before: given the first answer, not run again",
                    event.command,
                    event.user_id,
                    event.trigger_id
                );
                return answer.unwrap_or_else(|| ack_text("⏳"));
            }
        };
        let ack = self.run_command(event).await;
        claim.answer(ack.clone());
        ack
    }

    async fn run_command(self: &Arc<Self>, event: SlackCommandEvent) -> SlackCommandEventResponse {
        let line = inbound(&format!(
            "{} {}",
            event.command.value(),
            event.text.clone().unwrap_or_default()
        ));
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
            let response = bot.core.run(actor, Input::Text(line)).await;
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
        let inline = response.replies.first().filter(|r| {
            matches!(r.destination, Destination::Here | Destination::Private)
                && r.attachment.is_none()
        });
        // A form opens as a modal; its text (how to type it) is for when that fails.
        if let Some(form) = inline.and_then(|r| r.form.as_ref()) {
            match self
                .open_form(&event.trigger_id, form, &place.channel)
                .await
            {
                Ok(()) => {
                    let bot = Arc::clone(self);
                    tokio::spawn(async move { bot.deliver(&place, &response, 1).await });
                    return SlackCommandEventResponse::new(SlackMessageContent::new());
                }
                Err(e) => tracing::warn!("could not open a form: {e:#}"),
            }
        }
        let ack = match inline {
            Some(reply) => SlackCommandEventResponse::new(render::content(reply))
                .with_response_type(if reply.destination == Destination::Private {
                    SlackMessageResponseType::Ephemeral
                } else {
                    SlackMessageResponseType::InChannel
                }),
            None => ack_text("✅"),
        };
        let bot = Arc::clone(self);
        let skip = usize::from(inline.is_some());
        tokio::spawn(async move { bot.deliver(&place, &response, skip).await });
        ack
    }

    /// Opens `form` as a modal for whoever caused `trigger`; the replies to it go to
    /// `channel` (carried in the view's metadata).
    async fn open_form(&self, trigger: &SlackTriggerId, form: &Form, channel: &str) -> Result<()> {
        let request = SlackApiViewsOpenRequest::new(trigger.clone(), render::modal(form, channel));
        self.session()
            .views_open(&request)
            .await
            .context("views.open")?;
        Ok(())
    }

    /// A button press or a modal sent. Acknowledged at once; the replies follow.
    pub fn on_interaction(self: &Arc<Self>, event: SlackInteractionEvent) {
        match event {
            SlackInteractionEvent::BlockActions(press) => self.on_press(press),
            SlackInteractionEvent::ViewSubmission(sent) => self.on_view(sent),
            _ => {}
        }
    }

    /// A button press runs the same command as typing it; one asking for fields opens
    /// them as a modal.
    fn on_press(self: &Arc<Self>, press: SlackInteractionBlockActionsEvent) {
        let Some(user) = press.user.as_ref().map(|u| u.id.to_string()) else {
            return;
        };
        let Some(action) = press.actions.as_ref().and_then(|a| a.first()) else {
            return;
        };
        let id = action.action_id.to_string();
        // A press delivered again (a replayed signed request, a retried envelope) acts once.
        let key = format!(
            "press {} {}",
            press.trigger_id,
            action.action_ts.as_ref().map_or("", |t| t.value())
        );
        if !self.presses_seen.is_new(&key) {
            metrics::platform(commands::Platform::Slack).replays.add();
            tracing::info!(
                "Slack press {id} (trigger {}) was seen before: not run again",
                press.trigger_id
            );
            return;
        }
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
        let trigger = press.trigger_id.clone();
        tokio::spawn(async move {
            let actor = bot.actor(&place.user).await;
            let response = bot.core.run(actor, Input::Press(id)).await;
            let form = response
                .replies
                .first()
                .filter(|r| matches!(r.destination, Destination::Here | Destination::Private))
                .and_then(|r| r.form.as_ref());
            let mut skip = 0;
            if let Some(form) = form {
                match bot.open_form(&trigger, form, &place.channel).await {
                    Ok(()) => skip = 1,
                    Err(e) => tracing::warn!("could not open a form: {e:#}"),
                }
            }
            bot.deliver(&place, &response, skip).await;
        });
    }

    /// A modal sent: the form's id (the view's callback id) and each input's value by its
    /// action id; the replies go to the channel it was opened from.
    fn on_view(self: &Arc<Self>, sent: SlackInteractionViewSubmissionEvent) {
        let SlackView::Modal(view) = &sent.view.view else {
            return;
        };
        let Some(id) = view.callback_id.as_ref().map(|c| c.to_string()) else {
            return;
        };
        // A view sent again (a replayed signed request, a retried envelope) acts once.
        let key = format!(
            "view {} {}",
            sent.view.state_params.id, sent.view.state_params.hash
        );
        if !self.presses_seen.is_new(&key) {
            metrics::platform(commands::Platform::Slack).replays.add();
            tracing::info!("Slack view {id} was seen before: not run again");
            return;
        }
        let channel = view.private_metadata.clone().unwrap_or_default();
        if channel.is_empty() {
            tracing::warn!("a form came back without the channel it was opened from");
            return;
        }
        let mut values: Vec<(String, String)> = sent
            .view
            .state_params
            .state
            .iter()
            .flat_map(|s| s.values.values())
            .flat_map(|inputs| inputs.iter())
            .map(|(action, v)| (action.to_string(), v.value.clone().unwrap_or_default()))
            .collect();
        values.sort();
        let place = Place {
            direct: channel.starts_with('D'),
            channel,
            user: sent.user.id.to_string(),
            thread: None,
            response_url: None,
        };
        let bot = Arc::clone(self);
        tokio::spawn(async move { bot.answer(&place, Input::Form { id, values }, 0).await });
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
    match bot_of(&state).await {
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
    crate::web::metrics::metrics().connected(commands::Platform::Slack, true);
    let _ = shutdown.changed().await;
    crate::web::metrics::metrics().connected(commands::Platform::Slack, false);
    listener.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_links_and_escapes_become_neutral() {
        assert_eq!(
            inbound("grant <@U0MIA|mia> speaker"),
            "grant @U0MIA speaker"
        );
        assert_eq!(
            inbound(
                "role: <!subteam^S1|@speakers> place: <https://meet.example/x?a=1&amp;b=2|meet>"
            ),
            "role: @&S1 place: https://meet.example/x?a=1&b=2"
        );
        assert_eq!(inbound("a &lt; b &amp;&amp; c &gt; d"), "a < b && c > d");
        assert_eq!(
            inbound("<!channel> <!here|here> <#C1|general> <@bad id> <"),
            "<!channel> <!here|here> <#C1|general> <@bad id> <"
        );
    }
}
