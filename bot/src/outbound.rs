//! Every call the bot makes to a chat platform's API goes through one [`Outbound`] per
//! platform: at most [`IN_FLIGHT`] calls at once (the others wait their turn, in order), a
//! call that failed in a way that may pass (a refused or reset connection, a timeout, a 5xx,
//! a 429) tried again after a growing pause, and a call that finally failed counted in
//! [`crate::metrics`]. Whoever made the call decides what was lost and logs it (a reply is
//! logged at ERROR and counted by [`crate::front::delivered`]).
//!
//! Each platform has one pooled HTTP client (slack-morphism's hyper client; serenity's
//! reqwest client, built by [`discord_client`]). A connection is opened only when no idle
//! one is free, and no more than [`IN_FLIGHT`] calls are ever made at once, so a burst of
//! answers is carried by a few dozen reused sockets instead of one socket each.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use commands::Platform;
use tokio::sync::Semaphore;

use crate::metrics;

/// Calls to one platform in flight at once.
pub const IN_FLIGHT: usize = 32;
/// Attempts of one call, the first included.
pub const ATTEMPTS: u32 = 5;
/// The pause after the first failed attempt; it doubles each time, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(250);
const MAX_PAUSE: Duration = Duration::from_secs(8);
/// How long one attempt may take before it counts as failed.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether a failure may pass if the call is made again.
pub trait Transient {
    /// `Some(pause)` when trying again may work (`pause` when the platform said how long
    /// to wait, else the backoff decides); `None` when it cannot (a refusal, a bad request).
    fn transient(&self) -> Option<Option<Duration>>;
}

/// The calls to one platform: bounded, queued, retried, counted.
#[derive(Clone)]
pub struct Outbound {
    platform: Platform,
    permits: Arc<Semaphore>,
}

impl Outbound {
    pub fn new(platform: Platform, in_flight: usize) -> Self {
        Outbound {
            platform,
            permits: Arc::new(Semaphore::new(in_flight.max(1))),
        }
    }

    /// Makes the call `attempt` builds, waiting for a free place first, and tries again
    /// while it fails transiently (at most [`ATTEMPTS`] times). `what` names the call in the
    /// logs (`chat.postMessage`).
    pub async fn call<T, E, F, Fut>(&self, what: &str, mut attempt: F) -> Result<T, anyhow::Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Transient + Into<anyhow::Error>,
    {
        let counters = metrics::platform(self.platform);
        let _underway = metrics::underway();
        let mut pause = FIRST_PAUSE;
        for n in 1..=ATTEMPTS {
            let result = {
                let _place = self.permits.acquire().await;
                counters.calls.add();
                counters.in_flight.inc();
                let r = tokio::time::timeout(ATTEMPT_TIMEOUT, attempt()).await;
                counters.in_flight.dec();
                r
            };
            let error = match result {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(e)) => match e.transient() {
                    Some(asked) if n < ATTEMPTS => {
                        let e: anyhow::Error = e.into();
                        (asked, e)
                    }
                    _ => {
                        counters.call_failures.add();
                        let e: anyhow::Error = e.into();
                        return Err(e.context(format!("{what} (attempt {n} of {ATTEMPTS})")));
                    }
                },
                Err(_) if n < ATTEMPTS => (None, anyhow::anyhow!("timed out")),
                Err(_) => {
                    counters.call_failures.add();
                    return Err(anyhow::anyhow!(
                        "{what}: timed out after {ATTEMPT_TIMEOUT:?} (attempt {n} of {ATTEMPTS})"
                    ));
                }
            };
            let (asked, e) = error;
            let wait = asked.unwrap_or(pause).min(MAX_PAUSE * 4);
            counters.retries.add();
            tracing::warn!(
                "{} {what} failed (attempt {n} of {ATTEMPTS}), trying again in {wait:?}: {e:#}",
                self.platform.name()
            );
            tokio::time::sleep(wait).await;
            pause = (pause * 2).min(MAX_PAUSE);
        }
        unreachable!("the last attempt returns")
    }
}

impl Transient for serenity::Error {
    fn transient(&self) -> Option<Option<Duration>> {
        use serenity::http::HttpError;
        match self {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
                let s = r.status_code.as_u16();
                (s == 429 || s >= 500).then_some(None)
            }
            serenity::Error::Http(HttpError::Request(e)) => {
                (e.is_connect() || e.is_timeout() || e.is_request() || e.is_body()).then_some(None)
            }
            serenity::Error::Io(_) => Some(None),
            _ => None,
        }
    }
}

impl Transient for slack_morphism::errors::SlackClientError {
    fn transient(&self) -> Option<Option<Duration>> {
        use slack_morphism::errors::SlackClientError as E;
        match self {
            E::RateLimitError(r) => Some(r.retry_after),
            E::HttpError(h) => {
                let s = h.status_code.as_u16();
                (s == 429 || s >= 500).then_some(None)
            }
            E::HttpProtocolError(_) | E::EndOfStream(_) => Some(None),
            E::ApiError(a) => matches!(
                a.code.as_str(),
                "ratelimited"
                    | "internal_error"
                    | "fatal_error"
                    | "service_unavailable"
                    | "request_timeout"
            )
            .then_some(None),
            _ => None,
        }
    }
}

/// The one HTTP client of the Discord REST API: idle connections kept are no more than the
/// calls [`Outbound`] lets through at once, and none waits forever.
pub fn discord_client() -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .pool_max_idle_per_host(IN_FLIGHT)
        .pool_idle_timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .timeout(ATTEMPT_TIMEOUT)
        .tcp_nodelay(true)
        .build()
        .unwrap_or_else(|e| {
            tracing::error!("could not build the Discord HTTP client ({e}); using the default");
            reqwest::Client::new()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug)]
    struct Fail(bool);

    impl std::fmt::Display for Fail {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "fail (transient: {})", self.0)
        }
    }

    impl std::error::Error for Fail {}

    impl Transient for Fail {
        fn transient(&self) -> Option<Option<Duration>> {
            self.0.then_some(Some(Duration::from_millis(1)))
        }
    }

    #[tokio::test]
    async fn transient_failures_are_retried_and_refusals_are_not() {
        let out = Outbound::new(Platform::Terminal, 2);
        let tries = AtomicUsize::new(0);
        let got = out
            .call("test", || {
                let n = tries.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < 2 {
                        Err(Fail(true))
                    } else {
                        Ok(n)
                    }
                }
            })
            .await
            .unwrap();
        assert_eq!(got, 2, "two failures, then success");
        let tries = AtomicUsize::new(0);
        let err = out
            .call("test", || {
                tries.fetch_add(1, Ordering::SeqCst);
                async { Err::<(), _>(Fail(false)) }
            })
            .await
            .unwrap_err();
        assert_eq!(tries.load(Ordering::SeqCst), 1, "a refusal is not retried");
        assert!(format!("{err:#}").contains("attempt 1 of 5"), "{err:#}");
        let tries = AtomicUsize::new(0);
        out.call("test", || {
            tries.fetch_add(1, Ordering::SeqCst);
            async { Err::<(), _>(Fail(true)) }
        })
        .await
        .unwrap_err();
        assert_eq!(tries.load(Ordering::SeqCst), ATTEMPTS as usize);
    }

    #[tokio::test]
    async fn no_more_calls_than_places_are_in_flight() {
        let out = Outbound::new(Platform::Terminal, 3);
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let (out, now, most) = (out.clone(), Arc::clone(&now), Arc::clone(&most));
            tasks.spawn(async move {
                out.call("test", || {
                    let (now, most) = (Arc::clone(&now), Arc::clone(&most));
                    async move {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        Ok::<_, Fail>(())
                    }
                })
                .await
                .unwrap();
            });
        }
        while tasks.join_next().await.is_some() {}
        assert!(most.load(Ordering::SeqCst) <= 3, "{most:?}");
    }
}
