//! What the bot remembers of the requests it handled, so that one delivered again acts once:
//! a replayed signed Slack request, an envelope Slack retried, an interaction Discord sent
//! twice. Each is remembered by its own id (a Slack trigger id or event id, a Discord
//! interaction id) for a window as long as the platform's (five minutes for Slack's
//! signatures); a repeat gets the first answer, or nothing when there was none to give, and
//! has no effect of its own.
//!
//! Memory is bounded twice: entries older than the window are forgotten, and no more than
//! `capacity` are kept (the least recently seen go first).

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;
use tokio::sync::watch;

/// Slack's signatures are good for five minutes; remember a little longer than that.
pub const WINDOW: Duration = Duration::from_secs(6 * 60);

/// Handled requests by id, with their answers.
pub struct Replays<V> {
    seen: Arc<Mutex<LruCache<String, Entry<V>>>>,
    window: Duration,
}

struct Entry<V> {
    at: Instant,
    /// `None` until the first answer is ready.
    answer: watch::Receiver<Option<V>>,
}

/// What [`Replays::first`] found.
pub enum Seen<V> {
    /// The first time: handle it, then [`Claim::answer`].
    First(Claim<V>),
    /// Handled before: the first answer (`None` when it had none or is not ready yet).
    Again(Option<V>),
}

/// The right and duty to handle a request: its answer is kept for the repeats.
pub struct Claim<V> {
    tx: watch::Sender<Option<V>>,
}

impl<V: Clone + Send + Sync + 'static> Claim<V> {
    /// Keeps `answer` for the repeats (and hands it to those already waiting).
    pub fn answer(self, answer: V) {
        self.tx.send_replace(Some(answer));
    }
}

impl<V: Clone + Send + Sync + 'static> Replays<V> {
    pub fn new(capacity: usize, window: Duration) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Replays {
            seen: Arc::new(Mutex::new(LruCache::new(capacity))),
            window,
        }
    }

    /// Whether `key` is new; a repeat waits up to `wait` for the first answer when it is
    /// still being made.
    pub async fn first(&self, key: &str, wait: Duration) -> Seen<V> {
        let mut pending = match self.claim(key) {
            Ok(claim) => return Seen::First(claim),
            Err(rx) => rx,
        };
        if pending.borrow().is_none() {
            let _ = tokio::time::timeout(wait, pending.wait_for(Option::is_some)).await;
        }
        let answer = pending.borrow().clone();
        Seen::Again(answer)
    }

    /// True the first time `key` is seen within the window (for what has no answer).
    pub fn is_new(&self, key: &str) -> bool {
        self.claim(key).is_ok()
    }

    fn claim(&self, key: &str) -> Result<Claim<V>, watch::Receiver<Option<V>>> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = seen.get(key) {
            if e.at.elapsed() < self.window {
                return Err(e.answer.clone());
            }
        }
        let (tx, rx) = watch::channel(None);
        seen.put(
            key.to_string(),
            Entry {
                at: Instant::now(),
                answer: rx,
            },
        );
        // Entries past the window are dropped from the old end as new ones come.
        while let Some((_, oldest)) = seen.peek_lru() {
            if oldest.at.elapsed() < self.window {
                break;
            }
            seen.pop_lru();
        }
        Ok(Claim { tx })
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_repeat_gets_the_first_answer_even_while_it_is_being_made() {
        let replays = Arc::new(Replays::<String>::new(16, WINDOW));
        let Seen::First(claim) = replays.first("t1", Duration::ZERO).await else {
            panic!("new");
        };
        let waiting = {
            let replays = Arc::clone(&replays);
            tokio::spawn(async move { replays.first("t1", Duration::from_secs(10)).await })
        };
        tokio::task::yield_now().await;
        claim.answer("first".into());
        match waiting.await.unwrap() {
            Seen::Again(Some(a)) => assert_eq!(a, "first"),
            _ => panic!("a repeat"),
        }
        assert!(matches!(
            replays.first("t1", Duration::ZERO).await,
            Seen::Again(Some(_))
        ));
        assert!(matches!(
            replays.first("t2", Duration::ZERO).await,
            Seen::First(_)
        ));
    }

    #[test]
    fn old_and_surplus_entries_are_forgotten() {
        let replays = Replays::<()>::new(100, Duration::from_millis(0));
        assert!(replays.is_new("a"));
        assert!(replays.is_new("a"), "past the window it is new again");
        let replays = Replays::<()>::new(100, WINDOW);
        for i in 0..1000 {
            assert!(replays.is_new(&format!("k{i}")));
        }
        assert_eq!(replays.len(), 100, "bounded by the capacity");
        assert!(!replays.is_new("k999"));
    }
}
