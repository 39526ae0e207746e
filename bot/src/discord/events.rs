//! What comes in from Discord: gateway messages and interactions become an [`Actor`] and an
//! [`Input`] for `commands`, and the response goes back (the interaction answered in place,
//! the rest delivered). Mentions in typed text become `@id` (members) and `@&id` (roles),
//! the neutral form every front end hands over.

use std::sync::Arc;

use commands::{Actor, Destination, Input, Response};
use serenity::all::{
    ChannelId, CommandInteraction, ComponentInteraction, ConnectionStage, Context,
    CreateInteractionResponse, CreateThread, EventHandler, GuildId, Interaction, InteractionId,
    Member, Message, Ready, ShardStageUpdateEvent, User,
};

use super::{render, slash, Channel, Discord, Who};
use crate::front::clip;

/// serenity's event handler: every event goes to the one [`Discord`].
pub(crate) struct Handler(pub Arc<Discord>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        for g in &ready.guilds {
            self.0.saw_guild(Some(g.id));
        }
        tracing::info!("connected to Discord as {}", ready.user.name);
        crate::web::metrics::metrics().connected(commands::Platform::Discord, true);
    }

    async fn shard_stage_update(&self, _ctx: Context, update: ShardStageUpdateEvent) {
        let up = matches!(update.new, ConnectionStage::Connected);
        crate::web::metrics::metrics().connected(commands::Platform::Discord, up);
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        self.0.on_message(msg).await;
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => self.0.on_command(cmd).await,
            Interaction::Component(press) => self.0.on_component(press).await,
            _ => {}
        }
    }
}

impl Discord {
    fn is_help_channel(&self, channel: ChannelId) -> bool {
        self.config
            .help_channels
            .iter()
            .any(|c| c == &channel.get().to_string())
    }

    /// A message: answered when it mentions the bot, comes by direct message, or reads as a
    /// question in a help channel (then in a thread on it).
    async fn on_message(&self, msg: Message) {
        if msg.author.bot {
            return;
        }
        let me = self.me;
        let mentioned = msg.mentions.iter().any(|u| u.id == me);
        let direct = msg.guild_id.is_none();
        let help = self.is_help_channel(msg.channel_id)
            && commands::parse::reads_as_question(&msg.content);
        if !(mentioned || direct || help) {
            return;
        }
        let text = msg
            .content
            .replace(&format!("<@{me}>"), "")
            .replace(&format!("<@!{me}>"), "");
        let text = inbound(text.trim());
        let here = Channel {
            discord: self,
            id: msg.channel_id,
        };
        if let Some(slow) = self.core.too_fast(&msg.author.id.get().to_string(), &text) {
            let notice = render::notice(&slow);
            if let Err(e) = msg.channel_id.send_message(self.http(), notice).await {
                tracing::warn!("could not ask a member to slow down: {e}");
            }
            return;
        }
        let roles = msg.member.as_ref().map_or(&[][..], |m| m.roles.as_slice());
        let actor = self
            .actor(Who {
                user: &msg.author,
                guild: msg.guild_id,
                roles,
                permissions: None,
                locale: None,
            })
            .await;
        let response = self.core.run(actor, Input::Text(text)).await;
        // In a help channel the answer goes in a thread on the question.
        let mut here = here;
        if help && !mentioned {
            let name = clip(msg.content.trim(), 90);
            match msg
                .channel_id
                .create_thread_from_message(self.http(), msg.id, CreateThread::new(name))
                .await
            {
                Ok(thread) => here.id = thread.id,
                Err(e) => tracing::warn!("could not start a thread: {e}"),
            }
        }
        self.core.deliver(&here, &response, 0).await;
    }

    /// Who sent an interaction: it carries their permissions and client language.
    async fn presser(
        &self,
        user: &User,
        member: Option<&Member>,
        guild: Option<GuildId>,
        locale: &str,
    ) -> Actor {
        self.actor(Who {
            user,
            guild,
            roles: member.map_or(&[][..], |m| m.roles.as_slice()),
            permissions: member.and_then(|m| m.permissions),
            locale: Some(locale),
        })
        .await
    }

    async fn on_command(&self, cmd: CommandInteraction) {
        let actor = self
            .presser(&cmd.user, cmd.member.as_deref(), cmd.guild_id, &cmd.locale)
            .await;
        let invocation = slash::invocation(&cmd.data.name, &cmd.data.options);
        let response = self.core.run(actor, Input::Slash(invocation)).await;
        self.respond(cmd.id, &cmd.token, cmd.channel_id, cmd.guild_id, &response)
            .await;
    }

    async fn on_component(&self, press: ComponentInteraction) {
        let actor = self
            .presser(
                &press.user,
                press.member.as_ref(),
                press.guild_id,
                &press.locale,
            )
            .await;
        let input = Input::Press(press.data.custom_id.clone());
        let response = self.core.run(actor, input).await;
        self.respond(
            press.id,
            &press.token,
            press.channel_id,
            press.guild_id,
            &response,
        )
        .await;
    }

    /// Answers an interaction with the first reply (when it belongs where the member is),
    /// then delivers the rest.
    async fn respond(
        &self,
        id: InteractionId,
        token: &str,
        channel: ChannelId,
        guild: Option<GuildId>,
        response: &Response,
    ) {
        self.saw_guild(guild);
        let Some(first) = response.replies.first() else {
            return;
        };
        let in_place = matches!(first.destination, Destination::Here | Destination::Private);
        let answer = CreateInteractionResponse::Message(if in_place {
            render::interaction(first)
        } else {
            render::acknowledgement()
        });
        if let Err(e) = self
            .http()
            .create_interaction_response(id, token, &answer, Vec::new())
            .await
        {
            tracing::warn!("could not answer an interaction: {e}");
        }
        let here = Channel {
            discord: self,
            id: channel,
        };
        self.core
            .deliver(&here, response, usize::from(in_place))
            .await;
    }
}

/// `text` with Discord's mention markup (`<@123>`, `<@!123>`, `<@&456>`) in the neutral
/// form; anything else, `@everyone` included, stays as typed.
pub fn inbound(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<@") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 2..];
        let (role, digits_from) = match tail.as_bytes().first() {
            Some(b'&') => (true, 1),
            Some(b'!') => (false, 1),
            _ => (false, 0),
        };
        let body = &tail[digits_from..];
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && body.as_bytes().get(digits) == Some(&b'>') {
            out.push_str(if role { "@&" } else { "@" });
            out.push_str(&body[..digits]);
            rest = &body[digits + 1..];
        } else {
            out.push_str("<@");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_become_neutral() {
        assert_eq!(
            inbound("/badge grant <@123> speaker"),
            "/badge grant @123 speaker"
        );
        assert_eq!(inbound("<@!42> and <@&998877>"), "@42 and @&998877");
        assert_eq!(
            inbound("@everyone <@x> <@12 a <@"),
            "@everyone <@x> <@12 a <@"
        );
    }
}
