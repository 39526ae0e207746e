//! Posts in a server's announcement channel, and the server's own scheduled event kept in
//! step with each announced event.

use super::*;

impl Discord {
    /// Posts an announcement in `channel`, and mirrors its event as the server's
    /// scheduled event when configured.
    pub(super) async fn post_announcement(
        &self,
        channel: ChannelId,
        reply: &Reply,
    ) -> Result<PostRef> {
        let sent = self
            .out
            .call("POST message", || {
                channel.send_message(self.http(), render::message(reply))
            })
            .await?;
        self.sync_scheduled(reply).await;
        Ok(PostRef {
            channel: channel.get().to_string(),
            message: sent.id.get().to_string(),
        })
    }

    /// Replaces an earlier post, and keeps its scheduled event in step.
    pub(super) async fn edit_post(&self, post: PostRef, reply: &Reply) -> Result<()> {
        let channel = ChannelId::new(post.channel.parse().context("a channel id")?);
        let message = MessageId::new(post.message.parse().context("a message id")?);
        self.out
            .call("PATCH message", || {
                channel.edit_message(self.http(), message, render::edit(reply))
            })
            .await?;
        self.sync_scheduled(reply).await;
        Ok(())
    }

    /// `[discord] scheduled_events`: the server's native scheduled event for an announced
    /// event, created with its first post and changed with every later one (cancelled with
    /// it). Where it lives is recorded as the post `sched:EVENT`.
    async fn sync_scheduled(&self, reply: &Reply) {
        let Some(info) = reply
            .event
            .as_ref()
            .filter(|_| self.config.scheduled_events)
        else {
            return;
        };
        if let Err(e) = self.try_sync_scheduled(info).await {
            tracing::warn!("could not keep the Discord scheduled event in step: {e:#}");
        }
    }

    async fn try_sync_scheduled(&self, info: &EventInfo) -> Result<()> {
        let key = format!("sched:{}", info.id);
        let commands = &self.core.commands;
        let now = jiff::Timestamp::now().as_second();
        let at = |secs: i64| serenity::model::Timestamp::from_unix_timestamp(secs);
        let end = info.end.unwrap_or(info.start + 2 * 3600);
        let location = crate::front::clip(info.place.as_deref().unwrap_or(&info.title), 100);
        let description = crate::front::clip(info.description.as_deref().unwrap_or(""), 1000);
        match recorded(commands, &key, Platform::Discord).await? {
            Some(post) => {
                // Once it has begun, Discord keeps its times; only a cancellation before
                // that changes anything.
                if info.start <= now {
                    return Ok(());
                }
                let guild = GuildId::new(post.channel.parse().context("a guild id")?);
                let id = ScheduledEventId::new(post.message.parse().context("an event id")?);
                let edit = if info.cancelled {
                    EditScheduledEvent::new().status(ScheduledEventStatus::Canceled)
                } else {
                    EditScheduledEvent::new()
                        .name(crate::front::clip(&info.title, 100))
                        .start_time(at(info.start)?)
                        .end_time(at(end)?)
                        .location(location)
                        .description(description)
                };
                guild.edit_scheduled_event(self.http(), id, edit).await?;
            }
            None if info.cancelled || info.start <= now => {}
            None => {
                let Some(guild) = self
                    .guilds
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .iter()
                    .next()
                    .copied()
                else {
                    return Ok(());
                };
                let mut create = CreateScheduledEvent::new(
                    ScheduledEventType::External,
                    crate::front::clip(&info.title, 100),
                    at(info.start)?,
                )
                .end_time(at(end)?)
                .location(location);
                if !description.is_empty() {
                    create = create.description(description);
                }
                let made = guild.create_scheduled_event(self.http(), create).await?;
                let post = PostRef {
                    channel: guild.get().to_string(),
                    message: made.id.get().to_string(),
                };
                record(commands, &key, Platform::Discord, post).await?;
            }
        }
        Ok(())
    }
}
