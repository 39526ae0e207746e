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
    Span, Text,
};
use governor::{DefaultKeyedRateLimiter, Quota};
use unicode_segmentation::UnicodeSegmentation;

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
                    let sent = self.direct(*platform, user, reply).await;
                    delivered(*platform, reply, sent);
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

/// Counts a reply sent on `platform`; one that could not be sent (its retries spent) is
/// counted as lost and logged at ERROR with what it was and where it was going.
pub fn delivered(platform: Platform, reply: &Reply, sent: Result<()>) {
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
            delivered(platform, reply, self.send(here, reply).await);
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

/// How much of a reply's fields one message of a platform holds, in characters of their
/// plain form (each platform's markup and escapes are left room): a field's value, and all
/// the values of a message.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub field: usize,
    pub fields: usize,
    pub total: usize,
}

impl Page {
    /// Discord: 1,024 characters a field value, 25 fields and 6,000 characters an embed.
    /// Slack: 2,000 characters a field, ten fields a section, fifty blocks a message.
    pub fn of(platform: Platform) -> Page {
        match platform {
            Platform::Discord => Page {
                field: 800,
                fields: 20,
                total: 4000,
            },
            Platform::Slack | Platform::Terminal => Page {
                field: 1500,
                fields: 30,
                total: 12_000,
            },
        }
    }
}

/// `response` with every reply whose fields do not fit one message of `page` split: long
/// field values into several fields (between list items or lines, never inside a mention
/// or a name), and the fields into as many messages as they need. The first message keeps
/// the reply's text, buttons and sources; the ones after it repeat the title and go to the
/// same place. Nothing is cut.
pub fn paged(response: Response, page: Page) -> Response {
    let Response { replies, effects } = response;
    let mut out = Vec::with_capacity(replies.len());
    for reply in replies {
        let fits = reply.fields.len() <= page.fields
            && reply
                .fields
                .iter()
                .all(|f| f.value.chars().count() <= page.field)
            && reply
                .fields
                .iter()
                .map(|f| f.value.chars().count())
                .sum::<usize>()
                <= page.total;
        if fits {
            out.push(reply);
            continue;
        }
        let mut pieces = Vec::new();
        for f in &reply.fields {
            for value in split_text(&f.value, page.field) {
                pieces.push(commands::Field {
                    name: f.name.clone(),
                    value,
                });
            }
        }
        let mut pages: Vec<Vec<commands::Field>> = vec![Vec::new()];
        let mut used = 0;
        for piece in pieces {
            let n = piece.value.chars().count();
            let current = pages.last_mut().expect("a page");
            if !current.is_empty() && (current.len() == page.fields || used + n > page.total) {
                pages.push(Vec::new());
                used = 0;
            }
            used += n;
            pages.last_mut().expect("a page").push(piece);
        }
        let count = pages.len();
        for (i, fields) in pages.into_iter().enumerate() {
            let mut part = if i == 0 {
                reply.clone()
            } else {
                let mut more =
                    Reply::new(reply.lang, reply.text.clone()).to(reply.destination.clone());
                more.ok = reply.ok;
                more
            };
            if count > 1 {
                part.title = Some(
                    reply
                        .title
                        .clone()
                        .unwrap_or_default()
                        .and(format!(" ({}/{count})", i + 1)),
                );
            }
            part.fields = fields;
            out.push(part);
        }
    }
    Response {
        replies: out,
        effects,
    }
}

/// `text` in pieces of at most `max` characters, cut after a `, ` or a line break of the
/// bot's own words; a span never splits (one longer than `max` is a piece alone).
fn split_text(text: &Text, max: usize) -> Vec<Text> {
    if text.chars().count() <= max {
        return vec![text.clone()];
    }
    // The atoms: each span, the bot's own words cut after their separators.
    let mut atoms: Vec<Span> = Vec::new();
    for span in text.spans() {
        match span {
            Span::Plain { text } => {
                let mut rest = text.as_str();
                while let Some(at) = rest.find([',', '\n']) {
                    let end = at + rest[at..].chars().next().map_or(1, char::len_utf8);
                    let end = if rest[end..].starts_with(' ') {
                        end + 1
                    } else {
                        end
                    };
                    atoms.push(Span::Plain {
                        text: rest[..end].to_string(),
                    });
                    rest = &rest[end..];
                }
                if !rest.is_empty() {
                    atoms.push(Span::Plain {
                        text: rest.to_string(),
                    });
                }
            }
            other => atoms.push(other.clone()),
        }
    }
    // The items: atoms up to and with a separator.
    let mut items: Vec<Text> = vec![Text::new()];
    for atom in atoms {
        let ends = matches!(&atom, Span::Plain { text } if text.ends_with([',', ' ', '\n']));
        items.last_mut().expect("an item").push(atom);
        if ends {
            items.push(Text::new());
        }
    }
    let mut out = Vec::new();
    let mut current = Text::new();
    for item in items {
        let n = item.chars().count();
        if !current.is_empty() && current.chars().count() + n > max {
            out.push(std::mem::take(&mut current).trim_end());
        }
        current.append(item);
    }
    if !current.is_empty() {
        out.push(current.trim_end());
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut, never inside a
/// grapheme (a flag, an emoji with a skin tone, a letter with its accents).
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let n = g.chars().count();
        if used + n + 1 > max {
            break;
        }
        out.push_str(g);
        used += n;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use knowledge::{KnowledgeBase, Lang, MemStore, Settings};
    use std::sync::Mutex;

    /// A front end or conversation that writes down what it was asked to do.
    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);

    impl Log {
        fn note(&self, what: String) {
            self.0.lock().unwrap().push(what);
        }
        fn taken(&self) -> Vec<String> {
            std::mem::take(&mut *self.0.lock().unwrap())
        }
    }

    #[async_trait]
    impl Front for Log {
        async fn direct(&self, user: &str, reply: &Reply) -> Result<()> {
            self.note(format!("direct {user}: {}", reply.text));
            Ok(())
        }
        async fn apply(&self, effect: &Effect) -> Result<()> {
            self.note(format!("{effect:?}"));
            Ok(())
        }
        async fn announce(&self, reply: &Reply) -> Result<Option<PostRef>> {
            self.note(format!("announce: {}", reply.text));
            Ok(Some(PostRef {
                channel: "A".into(),
                message: "9".into(),
            }))
        }
        async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
            self.note(format!("edit {}: {}", post.message, reply.text));
            Ok(())
        }
    }

    #[async_trait]
    impl Conversation for Log {
        async fn here(&self, reply: &Reply) -> Result<()> {
            self.note(format!("here: {}", reply.text));
            Ok(())
        }
        async fn announce(&self, reply: &Reply) -> Result<PostRef> {
            self.note(format!("announce: {}", reply.text));
            Ok(PostRef {
                channel: "C".into(),
                message: "1".into(),
            })
        }
        async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
            self.note(format!("edit {}: {}", post.message, reply.text));
            Ok(())
        }
    }

    fn commands() -> Arc<Commands> {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
        Arc::new(Commands::open(&db, Arc::new(kb), commands::Config::default()).unwrap())
    }

    #[tokio::test]
    async fn every_reply_and_effect_goes_where_it_belongs() {
        let fronts = Fronts::default();
        let (discord, slack) = (Arc::new(Log::default()), Arc::new(Log::default()));
        fronts.add(Platform::Discord, Arc::clone(&discord) as Arc<dyn Front>);
        fronts.add(Platform::Slack, Arc::clone(&slack) as Arc<dyn Front>);
        let core = Core::new(commands(), fronts.clone(), Platform::Discord, None);
        let here = Log::default();
        let dm = |platform, user: &str, text: &str| {
            Reply::new(Lang::En, text).to(Destination::Direct {
                platform,
                user: user.into(),
            })
        };
        let mut post = Reply::new(Lang::En, "event").to(Destination::Announcements);
        post.post_key = Some("event:e1".into());
        let response = Response::one(Reply::new(Lang::En, "done"))
            .and(post)
            .and(
                Reply::new(Lang::En, "event, changed").to(Destination::Update {
                    key: "event:e1".into(),
                }),
            )
            .and(dm(Platform::Slack, "U1", "promoted on Slack"))
            .and(dm(Platform::Discord, "42", "promoted on Discord"))
            .effect(Effect::BadgeGranted {
                platform: Platform::Slack,
                user: "U1".into(),
                badge: "speaker",
            });
        core.deliver(&here, &response, 1).await;
        assert_eq!(here.taken(), ["announce: event", "edit 1: event, changed"]);
        assert_eq!(
            slack.taken(),
            [
                "announce: event",
                "edit 9: event, changed",
                "direct U1: promoted on Slack",
                "BadgeGranted { platform: Slack, user: \"U1\", badge: \"speaker\" }"
            ],
            "the announcement and its update reach Slack too"
        );
        assert_eq!(discord.taken(), ["direct 42: promoted on Discord"]);
        // The clock's: no conversation, each to its platform, updates to every post.
        let mut update = Reply::new(Lang::En, "closed").to(Destination::Update {
            key: "event:e1".into(),
        });
        update.post_key = Some("event:e1".into());
        fronts
            .deliver(
                &core.commands,
                &Response::one(dm(Platform::Slack, "U2", "reminder")).and(update),
            )
            .await;
        assert_eq!(slack.taken(), ["direct U2: reminder", "edit 9: closed"]);
        assert_eq!(discord.taken(), ["edit 1: closed"]);
    }

    #[test]
    fn another_platform_is_pinged_only_by_its_own_mentions() {
        let mut post = Reply::new(
            Lang::En,
            commands::Text::role(Platform::Discord, "998877")
                .and(" by ")
                .and(commands::Text::user(Platform::Discord, "42")),
        );
        post.mention_roles = vec!["998877".into()];
        post.mention_users = vec!["42".into()];
        let on_slack = for_platform(&post, Platform::Slack);
        assert!(on_slack.mention_roles.is_empty() && on_slack.mention_users.is_empty());
        let on_discord = for_platform(&post, Platform::Discord);
        assert_eq!(on_discord.mention_roles, ["998877"]);
        assert_eq!(on_discord.mention_users, ["42"]);
    }

    #[test]
    fn the_limit_counts_per_member() {
        let limit = QuestionLimit::new(Some(2));
        assert!(limit.allow("a") && limit.allow("a"));
        assert!(!limit.allow("a"), "a third question in the minute waits");
        assert!(limit.allow("b"), "another member is not held up");
    }

    #[test]
    fn the_limit_forgets_quiet_members() {
        let limit = QuestionLimit::new(Some(1_000_000));
        for i in 0..3000 {
            limit.allow(&format!("member{i}"));
        }
        assert!(limit.members() < 3000, "{} members kept", limit.members());
    }

    #[test]
    fn long_fields_are_paged_whole_and_short_replies_are_left_alone() {
        let names: Vec<Text> = (0..300)
            .map(|i| {
                Text::user(Platform::Discord, format!("{}", 1000 + i))
                    .and(" (")
                    .and(Text::typed(format!("volunteer{i:03}, the second")))
                    .and(")")
            })
            .collect();
        let value = Text::plain("@lead\nwaitlist: ").and(Text::join(names, ", "));
        let roster = Reply::private(Lang::En, "Night")
            .title("Roster of v1")
            .field("onsite (1/1)", value.clone())
            .field("host (0/1)", "—");
        let page = Page::of(Platform::Discord);
        let out = paged(Response::one(roster.clone()), page);
        assert!(out.replies.len() > 1, "one message cannot hold it");
        let mut seen = String::new();
        for (i, r) in out.replies.iter().enumerate() {
            assert_eq!(r.destination, Destination::Private);
            let title = r.title.as_ref().unwrap();
            assert!(
                title.ends_with(&format!("({}/{})", i + 1, out.replies.len())),
                "{title}"
            );
            assert!(r.fields.len() <= page.fields);
            let total: usize = r.fields.iter().map(|f| f.value.chars().count()).sum();
            assert!(total <= page.total, "{total}");
            for f in &r.fields {
                assert!(f.value.chars().count() <= page.field, "{}", f.value);
                seen.push_str(&f.value);
                seen.push(' ');
            }
        }
        for i in 0..300 {
            assert!(
                seen.contains(&format!("@{} (volunteer{i:03}, the second)", 1000 + i)),
                "{i}"
            );
        }
        assert!(seen.contains("—"));
        let short = Response::one(Reply::private(Lang::En, "x").field("a", "b"));
        assert_eq!(paged(short.clone(), page).replies, short.replies);
    }

    #[test]
    fn clipping_counts_characters_and_keeps_graphemes_whole() {
        assert_eq!(clip("日本語テキスト", 4), "日本語…");
        assert_eq!(clip("short", 10), "short");
        let flags = "🇧🇷🇵🇹🇨🇳";
        let cut = clip(flags, 4);
        assert_eq!(cut, "🇧🇷…", "a flag is two characters and is not split");
        assert!(clip("e\u{301}e\u{301}e\u{301}", 4).starts_with("e\u{301}"));
    }
}
