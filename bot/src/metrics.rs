//! Counters the bot keeps about its own traffic, for a metrics endpoint (or a test) to read.
//! Plain atomics in one process-wide registry: writing one is a relaxed add, reading them is
//! [`snapshot`]. `bot serve` logs them when it stops; a metrics endpoint reads the same
//! snapshot (this module only counts: how the numbers are exposed is the endpoint's).
//!
//! What is counted, per chat platform (`discord`, `slack`):
//!
//! - `calls`: outbound API calls attempted (each retry counts again);
//! - `retries`: attempts that failed in a way worth retrying and were retried after a pause;
//! - `call_failures`: calls that finally failed (after their retries, or at once when retrying
//!   could not help);
//! - `in_flight`: outbound calls being made right now (a gauge);
//! - `replies_sent`: replies delivered;
//! - `replies_lost`: replies that could not be delivered and were given up on (each is also
//!   logged at ERROR with what was lost);
//! - `replays`: requests or events seen a second time (a replayed signed request, a retried
//!   envelope, a redelivered interaction), answered without acting again.
//!
//! The API, for readers:
//!
//! ```ignore
//! let s = crate::metrics::snapshot();
//! let lost_on_slack = s.slack.replies_lost;
//! ```
//!
//! Writers use [`platform`] (`metrics::platform(Platform::Slack).replies_lost.add()`).

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use commands::Platform;

/// A counter that only goes up.
#[derive(Default, Debug)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A value that goes up and down.
#[derive(Default, Debug)]
pub struct Gauge(AtomicI64);

impl Gauge {
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn dec(&self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
        CALL_ENDED.notify_waiters();
    }

    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The counters of one chat platform.
#[derive(Default, Debug)]
pub struct PlatformCounters {
    pub calls: Counter,
    pub retries: Counter,
    pub call_failures: Counter,
    pub in_flight: Gauge,
    pub replies_sent: Counter,
    pub replies_lost: Counter,
    pub replays: Counter,
}

/// Every counter of the process.
#[derive(Default, Debug)]
pub struct Registry {
    pub discord: PlatformCounters,
    pub slack: PlatformCounters,
    /// The terminal and anything else that is not a chat platform.
    pub other: PlatformCounters,
}

/// Woken whenever a call in flight ends, for [`calls_ended`].
static CALL_ENDED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Calls and replies underway: a call from its first attempt to its last (the pauses
/// between tries included), a reply from the start of its sending until it is counted.
static UNDERWAY: Gauge = Gauge(AtomicI64::new(0));

/// Held while a call or a reply is underway, so that a stop waits for it ([`calls_ended`]).
#[must_use = "the work counts as underway only while this is held"]
pub struct Underway(());

/// Marks a call or a reply underway until the returned guard is dropped.
pub fn underway() -> Underway {
    UNDERWAY.inc();
    Underway(())
}

impl Drop for Underway {
    fn drop(&mut self) {
        UNDERWAY.dec();
    }
}

/// Waits until no call to Discord or Slack is in flight or between its tries, and every
/// reply being sent has been counted, or `wait` has passed.
pub async fn calls_ended(wait: std::time::Duration) {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        // Registered before the check, so an end between the check and the wait is not missed.
        let ended = CALL_ENDED.notified();
        let counted = snapshot();
        if UNDERWAY.get() <= 0 && counted.discord.in_flight <= 0 && counted.slack.in_flight <= 0 {
            return;
        }
        if tokio::time::timeout_at(deadline, ended).await.is_err() {
            return;
        }
    }
}

static REGISTRY: Registry = Registry {
    discord: counters(),
    slack: counters(),
    other: counters(),
};

const fn counters() -> PlatformCounters {
    PlatformCounters {
        calls: Counter(AtomicU64::new(0)),
        retries: Counter(AtomicU64::new(0)),
        call_failures: Counter(AtomicU64::new(0)),
        in_flight: Gauge(AtomicI64::new(0)),
        replies_sent: Counter(AtomicU64::new(0)),
        replies_lost: Counter(AtomicU64::new(0)),
        replays: Counter(AtomicU64::new(0)),
    }
}

/// The counters of `platform`.
pub fn platform(platform: Platform) -> &'static PlatformCounters {
    match platform {
        Platform::Discord => &REGISTRY.discord,
        Platform::Slack => &REGISTRY.slack,
        Platform::Terminal => &REGISTRY.other,
    }
}

/// The counters of one platform at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlatformSnapshot {
    pub calls: u64,
    pub retries: u64,
    pub call_failures: u64,
    pub in_flight: i64,
    pub replies_sent: u64,
    pub replies_lost: u64,
    pub replays: u64,
}

impl PlatformCounters {
    fn snapshot(&self) -> PlatformSnapshot {
        PlatformSnapshot {
            calls: self.calls.get(),
            retries: self.retries.get(),
            call_failures: self.call_failures.get(),
            in_flight: self.in_flight.get(),
            replies_sent: self.replies_sent.get(),
            replies_lost: self.replies_lost.get(),
            replays: self.replays.get(),
        }
    }
}

/// Every counter at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub discord: PlatformSnapshot,
    pub slack: PlatformSnapshot,
}

/// Reads every counter.
pub fn snapshot() -> Snapshot {
    Snapshot {
        discord: REGISTRY.discord.snapshot(),
        slack: REGISTRY.slack.snapshot(),
    }
}

impl std::fmt::Display for PlatformSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} replies sent, {} lost; {} calls ({} retried, {} failed, {} in flight); {} replays answered once",
            self.replies_sent,
            self.replies_lost,
            self.calls,
            self.retries,
            self.call_failures,
            self.in_flight,
            self.replays
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_add_up() {
        let before = snapshot();
        platform(Platform::Slack).replies_lost.add();
        platform(Platform::Discord).in_flight.inc();
        platform(Platform::Discord).in_flight.dec();
        let after = snapshot();
        assert_eq!(after.slack.replies_lost, before.slack.replies_lost + 1);
        assert_eq!(after.discord.in_flight, before.discord.in_flight);
        assert!(after
            .slack
            .to_string()
            .contains(&format!("{} lost", after.slack.replies_lost)));
    }
}
