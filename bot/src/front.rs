//! What every chat front end (Discord, Slack) shares: the one trait `main` needs from each
//! ([`Front`]: send a direct message, mirror an effect, post to and edit in its announcement
//! channel), delivering a response's replies where each belongs ([`Core::deliver`], so a
//! direct message or a badge role always reaches the platform it is for, and an
//! announcement goes to the announcement channel of every platform served and every later
//! change to each of its posts, whichever front end or the clock produced it), running a
//! command off the async runtime, the per-member question limit, and clipping text to a
//! platform's limits.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use anyhow::Result;
use async_trait::async_trait;
use commands::{
    Actor, CmdError, Commands, Destination, Effect, Input, Platform, PostRef, Reply, Response,
};
use governor::{DefaultKeyedRateLimiter, Quota};

mod paging;
pub use paging::{clip, paged, Page};

/// What `main` (and the other front ends) need from a front end.
#[async_trait]
pub trait Front: Send + Sync {
    /// Sends `reply` to `user` directly: reminders, waitlist news, notices to volunteers.
    async fn direct(&self, user: &str, reply: &Reply) -> Result<()>;
    /// Mirrors `effect` on the platform (a badge's role or user group).
    async fn apply(&self, effect: &Effect) -> Result<()>;
    /// Posts `reply` to the configured announcement channel; `None` when none is set.
    async fn announce(&self, reply: &Reply) -> Result<Option<PostRef>>;
    /// Replaces the earlier post `post`.
    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()>;
    /// Posts `reply` in `channel` (a program milestone, a welcome line), and where it went.
    async fn post(&self, channel: &str, _reply: &Reply) -> Result<PostRef> {
        anyhow::bail!("this front end cannot post to channel {channel}")
    }
    /// Posts `reply` in `channel` and opens a thread named `name` on it with `members`
    /// added (a question handed to people); where the thread is.
    async fn thread(
        &self,
        channel: &str,
        _name: &str,
        _members: &[String],
        _reply: &Reply,
    ) -> Result<PostRef> {
        anyhow::bail!("this front end cannot open threads in channel {channel}")
    }
    /// Posts `reply` in the thread at `thread`.
    async fn in_thread(&self, _thread: &PostRef, _reply: &Reply) -> Result<()> {
        anyhow::bail!("this front end cannot post in threads")
    }
}

/// `reply` as another platform gets it: it may ping only the members and roles of that
/// platform that it names (a Discord role id means nothing on Slack, and the reverse).
pub fn for_platform(reply: &Reply, platform: Platform) -> Reply {
    let mut r = reply.clone();
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let texts = std::iter::once(&reply.text)
        .chain(reply.title.iter())
        .chain(reply.fields.iter().map(|f| &f.value));
    for span in texts.flat_map(|t| t.spans()) {
        match span {
            commands::Span::User { platform: p, id } if *p == platform => users.push(id),
            commands::Span::Role { platform: p, id } if *p == platform => roles.push(id),
            _ => {}
        }
    }
    let direct =
        matches!(&reply.destination, Destination::Direct { platform: p, .. } if *p == platform);
    r.mention_users.retain(|u| direct || users.contains(&u));
    r.mention_roles.retain(|g| roles.contains(&g));
    r
}

/// The front ends being served, by platform.
#[derive(Clone, Default)]
pub struct Fronts {
    fronts: Arc<RwLock<HashMap<Platform, Arc<dyn Front>>>>,
    /// Held for writing while an announcement is posted and where each post went is
    /// recorded, and for reading while posts are updated: a change that comes while an
    /// announcement is still going out waits for it, instead of missing a post not yet
    /// recorded.
    posting: Arc<tokio::sync::RwLock<()>>,
}

impl Fronts {
    /// Waits until no announcement is going out, and keeps new ones from starting while
    /// the guard lives.
    pub async fn updating(&self) -> tokio::sync::RwLockReadGuard<'_, ()> {
        self.posting.read().await
    }

    /// Waits for posts being updated and other announcements, and holds them back while
    /// the guard lives.
    pub async fn announcing(&self) -> tokio::sync::RwLockWriteGuard<'_, ()> {
        self.posting.write().await
    }

    pub fn add(&self, platform: Platform, front: Arc<dyn Front>) {
        self.fronts
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(platform, front);
    }

    /// Every front end served but `except`'s.
    fn others(&self, except: Platform) -> Vec<(Platform, Arc<dyn Front>)> {
        let fronts = self.fronts.read().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<(Platform, Arc<dyn Front>)> = fronts
            .iter()
            .filter(|(p, _)| **p != except)
            .map(|(p, f)| (*p, Arc::clone(f)))
            .collect();
        out.sort_by_key(|(p, _)| *p);
        out
    }

    /// Posts an announcement on every platform but `except` (the one it came from), each
    /// recorded under its post key so that later changes reach it.
    pub async fn announce_elsewhere(
        &self,
        commands: &Arc<Commands>,
        except: Platform,
        reply: &Reply,
    ) {
        for (platform, front) in self.others(except) {
            match front.announce(&for_platform(reply, platform)).await {
                Ok(Some(post)) => {
                    if let Some(key) = &reply.post_key {
                        if let Err(e) = record(commands, key, platform, post).await {
                            tracing::warn!(
                                "could not remember a post on {}: {e:#}",
                                platform.name()
                            );
                        }
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::warn!("could not announce on {}: {e:#}", platform.name()),
            }
        }
    }

    /// Brings the post recorded under `key` up to date on every platform but `except`.
    pub async fn edit_elsewhere(
        &self,
        commands: &Arc<Commands>,
        except: Platform,
        key: &str,
        reply: &Reply,
    ) {
        for (platform, front) in self.others(except) {
            let post = match recorded(commands, key, platform).await {
                Ok(Some(post)) => post,
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!("could not look up a post: {e:#}");
                    continue;
                }
            };
            if let Err(e) = front.edit(post, &for_platform(reply, platform)).await {
                tracing::warn!("could not update a post on {}: {e:#}", platform.name());
            }
        }
    }

    fn get(&self, platform: Platform) -> Option<Arc<dyn Front>> {
        let fronts = self.fronts.read().unwrap_or_else(|p| p.into_inner());
        let front = fronts.get(&platform).cloned();
        if front.is_none() {
            let p = platform.name();
            tracing::warn!("something for {p} is due, but {p} is not served");
        }
        front
    }

    /// A direct message to `user` on `platform`.
    pub async fn direct(&self, platform: Platform, user: &str, reply: &Reply) -> Result<()> {
        match self.get(platform) {
            Some(front) => front.direct(user, reply).await,
            None => Ok(()),
        }
    }

    /// Mirrors `effect` on the platform it concerns.
    pub async fn apply(&self, effect: &Effect) {
        let platform = effect.platform();
        if let Some(front) = self.get(platform) {
            if let Err(e) = front.apply(effect).await {
                tracing::warn!("could not mirror a badge on {}: {e:#}", platform.name());
            }
        }
    }

    /// A post in `channel` of `platform`.
    pub async fn post(&self, platform: Platform, channel: &str, reply: &Reply) -> Result<()> {
        match self.get(platform) {
            Some(front) => front.post(channel, reply).await.map(|_| ()),
            None => Ok(()),
        }
    }

    /// Delivers what belongs to no conversation (the clock's: reminders, offers, posts
    /// brought up to date, occurrences of a series, milestones, welcomes): each direct
    /// message and channel post to its platform, each announcement to every platform's
    /// announcement channel, each update to every post of its key; then the effects.
    pub async fn deliver(&self, commands: &Arc<Commands>, response: &Response) {
        for reply in &response.replies {
            match &reply.destination {
                Destination::Direct { platform, user } => {
                    delivered(*platform, reply, self.direct(*platform, user, reply)).await;
                }
                Destination::Announcements => {
                    let _posting = self.announcing().await;
                    self.announce_elsewhere(commands, Platform::Terminal, reply)
                        .await
                }
                Destination::Update { key } => {
                    let _posting = self.updating().await;
                    self.edit_elsewhere(commands, Platform::Terminal, key, reply)
                        .await
                }
                Destination::Channel { platform, channel } => {
                    if let Err(e) = self.post(*platform, channel, reply).await {
                        tracing::warn!("could not post to channel {channel}: {e:#}");
                    }
                }
                other => tracing::warn!("a reply for {other:?} has no conversation to go to"),
            }
        }
        for effect in &response.effects {
            self.apply(effect).await;
        }
    }
}

/// Sends a reply on `platform` by `sending` and counts it sent; one that could not be sent
/// (its retries spent) is counted as lost and logged at ERROR with what it was and where it
/// was going. The reply is underway until counted, so a stop waits for it.
pub async fn delivered(
    platform: Platform,
    reply: &Reply,
    sending: impl std::future::Future<Output = Result<()>>,
) {
    let _underway = crate::metrics::underway();
    let sent = sending.await;
    let counters = crate::metrics::platform(platform);
    match sent {
        Ok(()) => counters.replies_sent.add(),
        Err(e) => {
            counters.replies_lost.add();
            crate::web::metrics::metrics().delivery_failed(platform);
            tracing::error!(
                "a reply on {} to {:?} was lost: {:?} ({e:#})",
                platform.name(),
                reply.destination,
                clip(&reply.plain(), 200)
            );
        }
    }
}

/// The conversation an input came from: where the replies that stay on its platform go.
#[async_trait]
pub trait Conversation: Send + Sync {
    /// The reply to the person who acted, or to everyone there ([`Destination::Private`]
    /// or [`Destination::Here`]).
    async fn here(&self, reply: &Reply) -> Result<()>;
    /// A post in the announcement channel, and where it went.
    async fn announce(&self, reply: &Reply) -> Result<PostRef>;
    /// Replaces the earlier post `post`.
    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()>;
}

/// What a front end needs of the bot: the commands, the other front ends, and its
/// platform's question limit.
pub struct Core {
    pub commands: Arc<Commands>,
    pub fronts: Fronts,
    pub platform: Platform,
    limit: QuestionLimit,
}

impl Core {
    pub fn new(
        commands: Arc<Commands>,
        fronts: Fronts,
        platform: Platform,
        per_minute: Option<u32>,
    ) -> Self {
        Core {
            commands,
            fronts,
            platform,
            limit: QuestionLimit::new(per_minute),
        }
    }

    /// Runs a command on the blocking pool (it may write and flush the store). A command
    /// that panicked answers nothing rather than taking the front end down. A reply too
    /// long for one message of the platform (a long roster) is paged: see [`paged`].
    pub async fn run(&self, actor: Actor, input: Input) -> Response {
        let commands = Arc::clone(&self.commands);
        let limits = Page::of(self.platform);
        tokio::task::spawn_blocking(move || paged(commands.handle(&actor, input), limits))
            .await
            .unwrap_or_else(|e| {
                tracing::error!("a command panicked: {e}");
                Response {
                    replies: Vec::new(),
                    effects: Vec::new(),
                }
            })
    }

    /// Counts a message by `user`; the reply asking them to wait when it is one too many.
    pub fn too_fast(&self, user: &str, text: &str) -> Option<Reply> {
        if self.limit.allow(user) {
            return None;
        }
        let lang = knowledge::lang::detect_question(text)
            .unwrap_or_else(|| self.commands.knowledge().settings().fallback_lang);
        Some(Reply::private(lang, CmdError::TooFast.message(lang)))
    }

    /// Sends the replies of `response` from `skip` on, each where it belongs, then mirrors
    /// the effects.
    pub async fn deliver(&self, here: &dyn Conversation, response: &Response, skip: usize) {
        for reply in response.replies.iter().skip(skip) {
            let platform = match &reply.destination {
                Destination::Direct { platform, .. } => *platform,
                _ => self.platform,
            };
            delivered(platform, reply, self.send(here, reply)).await;
        }
        for effect in &response.effects {
            self.fronts.apply(effect).await;
        }
    }

    async fn send(&self, here: &dyn Conversation, reply: &Reply) -> Result<()> {
        match &reply.destination {
            Destination::Here | Destination::Private => here.here(reply).await,
            Destination::Announcements => {
                // Here first (where the organizer is), then every other platform served.
                let _posting = self.fronts.announcing().await;
                let post = here.announce(reply).await?;
                if let Some(key) = &reply.post_key {
                    self.record_post(key, post).await?;
                }
                self.fronts
                    .announce_elsewhere(&self.commands, self.platform, reply)
                    .await;
                Ok(())
            }
            Destination::Update { key } => {
                let _posting = self.fronts.updating().await;
                if let Some(post) = self.recorded_post(key).await? {
                    here.edit(post, reply).await?;
                }
                self.fronts
                    .edit_elsewhere(&self.commands, self.platform, key, reply)
                    .await;
                Ok(())
            }
            Destination::Direct { platform, user } => {
                self.fronts.direct(*platform, user, reply).await
            }
            Destination::Channel { platform, channel } => {
                self.fronts.post(*platform, channel, reply).await
            }
            Destination::Thread {
                platform,
                channel,
                name,
                members,
            } => {
                let Some(front) = self.fronts.get(*platform) else {
                    return Ok(());
                };
                let thread = front.thread(channel, name, members, reply).await?;
                if let Some(key) = &reply.post_key {
                    let (commands, key, platform) =
                        (Arc::clone(&self.commands), key.clone(), *platform);
                    tokio::task::spawn_blocking(move || {
                        commands.record_thread(&key, platform, &thread)
                    })
                    .await??;
                }
                Ok(())
            }
            Destination::InThread { key } => match self.recorded_post(key).await? {
                Some(thread) => match self.fronts.get(self.platform) {
                    Some(front) => front.in_thread(&thread, reply).await,
                    None => Ok(()),
                },
                None => Ok(()),
            },
        }
    }

    /// The post key of the thread the bot opened where a message was written (`channel`
    /// and, on Slack, the thread's ts), if it opened one there.
    pub async fn thread_key(&self, channel: &str, message: &str) -> Option<String> {
        let (commands, platform) = (Arc::clone(&self.commands), self.platform);
        let (channel, message) = (channel.to_string(), message.to_string());
        tokio::task::spawn_blocking(move || commands.thread_key(platform, &channel, &message))
            .await
            .ok()
            .flatten()
    }

    /// Remembers where the post for `key` went, so later updates can edit it.
    async fn record_post(&self, key: &str, post: PostRef) -> Result<()> {
        record(&self.commands, key, self.platform, post).await
    }

    /// Where the post for `key` went on this platform, if it was recorded.
    async fn recorded_post(&self, key: &str) -> Result<Option<PostRef>> {
        recorded(&self.commands, key, self.platform).await
    }
}

/// Remembers where the post for `key` went on `platform` (flushed, off the runtime).
pub async fn record(
    commands: &Arc<Commands>,
    key: &str,
    platform: Platform,
    post: PostRef,
) -> Result<()> {
    let (commands, key) = (Arc::clone(commands), key.to_string());
    tokio::task::spawn_blocking(move || commands.record_post(&key, platform, &post)).await??;
    Ok(())
}

/// Where the post for `key` went on `platform`, if it was recorded.
pub async fn recorded(
    commands: &Arc<Commands>,
    key: &str,
    platform: Platform,
) -> Result<Option<PostRef>> {
    let (commands, key) = (Arc::clone(commands), key.to_string());
    Ok(tokio::task::spawn_blocking(move || commands.post(&key, platform)).await?)
}

/// How many questions a member may ask in a minute before being asked to wait: a burst of
/// that many, then one more each 1/n of a minute. Members not heard from in a while are
/// forgotten.
pub struct QuestionLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

impl QuestionLimit {
    pub fn new(per_minute: Option<u32>) -> Self {
        let n = NonZeroU32::new(per_minute.unwrap_or(10)).unwrap_or(NonZeroU32::MIN);
        QuestionLimit {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts a question by `user`; false when it is one too many this minute.
    pub fn allow(&self, user: &str) -> bool {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&user.to_string()).is_ok()
    }

    #[cfg(test)]
    fn members(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests;
