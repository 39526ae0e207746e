//! What comes in from Discord: gateway messages and interactions become an [`Actor`] and an
//! [`Input`] for `commands`, and the response goes back (the interaction answered in place,
//! the rest delivered). Mentions in typed text become `@id` (members) and `@&id` (roles),
//! the neutral form every front end hands over.

use std::collections::BTreeSet;
use std::sync::Arc;

use commands::{Actor, Command, Destination, Input, PostRef, Reply, Response};
use serenity::all::{
    ActionRowComponent, Builder, ChannelId, CommandInteraction, ComponentInteraction,
    ConnectionStage, Context, CreateInteractionResponse, CreateThread, EventHandler, Guild,
    GuildId, Interaction, InteractionId, Member, Message, ModalInteraction, Ready,
    ShardStageUpdateEvent, User,
};

use super::{render, slash, Channel, Discord, Who};
use crate::front::clip;
use crate::front::Conversation;

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

    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        self.0.saw_guild(Some(guild.id));
        self.0
            .guild_locales
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(guild.id, guild.preferred_locale.clone());
    }

    async fn guild_member_addition(&self, _ctx: Context, member: Member) {
        self.0.on_join(member).await;
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        self.0.on_message(msg).await;
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        // An interaction is answered once: one delivered again (a replayed dispatch) is not
        // run again, and its token was spent on the first answer.
        if !self
            .0
            .interactions
            .is_new(&interaction.id().get().to_string())
        {
            crate::metrics::platform(commands::Platform::Discord)
                .replays
                .add();
            tracing::info!(
                "Discord interaction {} was seen before: not run again",
                interaction.id()
            );
            return;
        }
        match interaction {
            Interaction::Command(cmd) => self.0.on_command(cmd).await,
            Interaction::Component(press) => self.0.on_component(press).await,
            Interaction::Modal(form) => self.0.on_modal(form).await,
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

    /// A member joined a server (GUILD_MEMBER_ADD, with the Server Members intent): the
    /// welcome, in their language when Discord says it, else in the server's.
    async fn on_join(&self, member: Member) {
        if member.user.bot || !self.core.commands.config().journey.welcome.enabled {
            return;
        }
        let known = self
            .guild_locales
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&member.guild_id)
            .cloned();
        // A join can come before the server's GUILD_CREATE has been handled: ask.
        let guild_locale = match known {
            Some(l) => Some(l),
            None => match self
                .out
                .call("GET guild", || {
                    member.guild_id.to_partial_guild(self.http())
                })
                .await
            {
                Ok(g) => {
                    self.guild_locales
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(g.id, g.preferred_locale.clone());
                    Some(g.preferred_locale)
                }
                Err(e) => {
                    tracing::warn!("could not read the server's language: {e}");
                    None
                }
            },
        };
        let mut actor = self
            .actor(Who {
                user: &member.user,
                guild: Some(member.guild_id),
                roles: &member.roles,
                permissions: None,
                locale: None,
            })
            .await;
        // Not remembered as the member's own: it is the server's.
        let locale = member.user.locale.clone().or(guild_locale);
        actor.locale = actor
            .locale
            .or_else(|| locale.as_deref().and_then(commands::lang_of_locale));
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

    /// A message in a thread the bot opened (a question handed to people): what a helper
    /// writes there is kept with the question.
    async fn on_thread_message(&self, msg: &Message) -> bool {
        let channel = msg.channel_id.get().to_string();
        let Some(thread) = self.core.thread_key(&channel, &channel).await else {
            return false;
        };
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
        let text = inbound(msg.content.trim(), &self.known_guilds(msg.guild_id));
        let response = self
            .core
            .run(actor, Input::Command(Command::ThreadReply { thread, text }))
            .await;
        self.core
            .fronts
            .deliver(&self.core.commands, &response)
            .await;
        true
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
        if !direct && self.on_thread_message(&msg).await && !mentioned {
            return;
        }
        let help = self.is_help_channel(msg.channel_id)
            && commands::parse::reads_as_question(&msg.content);
        if !(mentioned || direct || help) {
            return;
        }
        let text = msg
            .content
            .replace(&format!("<@{me}>"), "")
            .replace(&format!("<@!{me}>"), "");
        let text = inbound(text.trim(), &self.known_guilds(msg.guild_id));
        let here = Channel {
            discord: self,
            id: msg.channel_id,
        };
        if let Some(slow) = self.core.too_fast(&msg.author.id.get().to_string(), &text) {
            let sending = async {
                self.out
                    .call("POST message", || {
                        msg.channel_id
                            .send_message(self.http(), render::notice(&slow))
                    })
                    .await
                    .map(|_| ())
            };
            crate::front::delivered(commands::Platform::Discord, &slow, sending).await;
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
            let thread = self
                .out
                .call("POST thread", || {
                    msg.channel_id.create_thread_from_message(
                        self.http(),
                        msg.id,
                        CreateThread::new(name.clone()),
                    )
                })
                .await;
            match thread {
                Ok(thread) => here.id = thread.id,
                Err(e) => tracing::warn!("could not start a thread: {e:#}"),
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
        let guilds = self.known_guilds(cmd.guild_id);
        let invocation = slash::invocation(&cmd.data.name, &cmd.data.options, &guilds);
        let response = self.core.run(actor, Input::Slash(invocation)).await;
        let to = Answer {
            id: cmd.id,
            token: &cmd.token,
            channel: cmd.channel_id,
            guild: cmd.guild_id,
            may_open_form: true,
        };
        self.respond(to, &response).await;
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
        let to = Answer {
            id: press.id,
            token: &press.token,
            channel: press.channel_id,
            guild: press.guild_id,
            may_open_form: true,
        };
        self.respond(to, &response).await;
    }

    /// A modal sent: its id and each text input's value, by the input's id.
    async fn on_modal(&self, form: ModalInteraction) {
        let actor = self
            .presser(
                &form.user,
                form.member.as_ref(),
                form.guild_id,
                &form.locale,
            )
            .await;
        let guilds = self.known_guilds(form.guild_id);
        let values = form
            .data
            .components
            .iter()
            .flat_map(|row| &row.components)
            .filter_map(|c| match c {
                ActionRowComponent::InputText(t) => Some((
                    t.custom_id.clone(),
                    inbound(t.value.as_deref().unwrap_or_default(), &guilds),
                )),
                _ => None,
            })
            .collect();
        let input = Input::Form {
            id: form.data.custom_id.clone(),
            values,
        };
        let response = self.core.run(actor, input).await;
        // A modal cannot answer a modal: a form asked for again shows as text.
        let to = Answer {
            id: form.id,
            token: &form.token,
            channel: form.channel_id,
            guild: form.guild_id,
            may_open_form: false,
        };
        self.respond(to, &response).await;
    }

    /// Answers an interaction with the first reply (when it belongs where the member is;
    /// a modal when it asks for a form and one may open), then delivers the rest.
    async fn respond(&self, to: Answer<'_>, response: &Response) {
        self.saw_guild(to.guild);
        let Some(first) = response.replies.first() else {
            return;
        };
        let in_place = matches!(first.destination, Destination::Here | Destination::Private);
        let answer = match &first.form {
            Some(form) if in_place && to.may_open_form => {
                CreateInteractionResponse::Modal(render::modal(form))
            }
            _ => CreateInteractionResponse::Message(if in_place {
                render::interaction(first)
            } else {
                render::acknowledgement()
            }),
        };
        let (id, token, channel) = (to.id, to.token, to.channel);
        let answered = self
            .out
            .call("POST interaction response", || {
                self.http()
                    .create_interaction_response(id, token, &answer, Vec::new())
            })
            .await;
        if in_place {
            crate::front::delivered(commands::Platform::Discord, first, async { answered }).await;
        } else if let Err(e) = answered {
            tracing::warn!("could not acknowledge an interaction: {e:#}");
        }
        let here = Interacted {
            channel: Channel {
                discord: self,
                id: channel,
            },
            token,
        };
        self.core
            .deliver(&here, response, usize::from(in_place))
            .await;
    }
}

/// The interaction being answered.
struct Answer<'a> {
    id: InteractionId,
    token: &'a str,
    channel: ChannelId,
    guild: Option<GuildId>,
    /// Not in answer to a modal, which Discord refuses.
    may_open_form: bool,
}

/// Where the replies after an interaction's answer go: those for the member (a long roster's
/// further pages) as follow-ups of the interaction, private when they are; announcements
/// and edits to their channels.
struct Interacted<'a> {
    channel: Channel<'a>,
    token: &'a str,
}

#[async_trait::async_trait]
impl Conversation for Interacted<'_> {
    async fn here(&self, reply: &Reply) -> anyhow::Result<()> {
        let discord = self.channel.discord;
        discord
            .out
            .call("POST follow-up", || {
                render::followup(reply).execute(discord.http(), (None, self.token))
            })
            .await?;
        Ok(())
    }

    async fn announce(&self, reply: &Reply) -> anyhow::Result<PostRef> {
        self.channel.announce(reply).await
    }

    async fn edit(&self, post: PostRef, reply: &Reply) -> anyhow::Result<()> {
        self.channel.edit(post, reply).await
    }
}

/// `text` with Discord's mention markup (`<@123>`, `<@!123>`, `<@&456>`) in the neutral
/// form; anything else, `@everyone` included, stays as typed. A server's own role (its id
/// is the server's, one of `guilds`) is @everyone and is handed over as `@everyone`, which
/// is refused wherever a role is asked for.
pub fn inbound(text: &str, guilds: &BTreeSet<GuildId>) -> String {
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
            let id = &body[..digits];
            if role && is_everyone(id, guilds) {
                out.push_str("@everyone");
            } else {
                out.push_str(if role { "@&" } else { "@" });
                out.push_str(id);
            }
            rest = &body[digits + 1..];
        } else {
            out.push_str("<@");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Whether the role `id` is a server's @everyone (whose id is the server's).
pub fn is_everyone(id: &str, guilds: &BTreeSet<GuildId>) -> bool {
    id.parse::<u64>()
        .is_ok_and(|id| id != 0 && guilds.contains(&GuildId::new(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_become_neutral() {
        let none = BTreeSet::new();
        assert_eq!(
            inbound("/badge grant <@123> speaker", &none),
            "/badge grant @123 speaker"
        );
        assert_eq!(inbound("<@!42> and <@&998877>", &none), "@42 and @&998877");
        assert_eq!(
            inbound("@everyone <@x> <@12 a <@", &none),
            "@everyone <@x> <@12 a <@"
        );
    }

    #[test]
    fn the_servers_own_role_is_everyone() {
        let guilds = BTreeSet::from([GuildId::new(77)]);
        assert_eq!(
            inbound("role: <@&77> and <@&78> <@77>", &guilds),
            "role: @everyone and @&78 @77"
        );
    }
}
