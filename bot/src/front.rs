//! What every chat front end (Discord, Slack) shares: running a command off the async
//! runtime, remembering where a post went, the per-member question limit, and clipping text
//! to a platform's limits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use commands::{Actor, Commands, Input, Platform, PostRef, Response};

/// Runs a command on the blocking pool (it may write and flush the store). A command that
/// panicked answers nothing rather than taking the front end down.
pub async fn run(commands: &Arc<Commands>, actor: Actor, input: Input) -> Response {
    let commands = Arc::clone(commands);
    tokio::task::spawn_blocking(move || commands.handle(&actor, input))
        .await
        .unwrap_or_else(|e| {
            tracing::error!("a command panicked: {e}");
            Response {
                replies: Vec::new(),
                effects: Vec::new(),
            }
        })
}

/// Remembers where the post for `key` went, so later updates can edit it.
pub async fn record_post(
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
pub async fn recorded_post(
    commands: &Arc<Commands>,
    key: &str,
    platform: Platform,
) -> Result<Option<PostRef>> {
    let (commands, key) = (Arc::clone(commands), key.to_string());
    Ok(tokio::task::spawn_blocking(move || commands.post(&key, platform)).await?)
}

/// How many questions a member may ask in a minute before being asked to wait.
pub struct QuestionLimit {
    per_minute: usize,
    recent: Mutex<HashMap<String, Vec<Instant>>>,
}

impl QuestionLimit {
    pub fn new(per_minute: Option<u32>) -> Self {
        QuestionLimit {
            per_minute: per_minute.unwrap_or(10) as usize,
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a question by `user`; false when it is one too many this minute.
    pub fn allow(&self, user: &str) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let times = recent.entry(user.to_string()).or_default();
        times.retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        if times.len() >= self.per_minute {
            return false;
        }
        times.push(now);
        true
    }
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_per_member() {
        let limit = QuestionLimit::new(Some(2));
        assert!(limit.allow("a") && limit.allow("a"));
        assert!(!limit.allow("a"), "a third question in the minute waits");
        assert!(limit.allow("b"), "another member is not held up");
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("日本語テキスト", 4), "日本語…");
        assert_eq!(clip("short", 10), "short");
    }
}
