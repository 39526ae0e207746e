//! What `/metrics` reports, in the Prometheus text format (prometheus-client): questions
//! answered and declined by language, commands by name and outcome, reply deliveries that
//! failed, the answer latency, and which platforms are connected. One registry for the
//! process; the front ends and the command observer count into it, `/health` reads the
//! platforms from it.

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use commands::{Platform, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

type Labels = Vec<(String, String)>;

pub struct Metrics {
    registry: Registry,
    questions: Family<Labels, Counter>,
    commands: Family<Labels, Counter>,
    deliveries_failed: Family<Labels, Counter>,
    latency: Histogram,
    connected: Family<Labels, Gauge>,
    /// The outbound calls' and replies' counters of `crate::metrics`, copied at each scrape.
    outbound: Family<Labels, Gauge>,
    /// The platforms this process serves (the ones `/health` checks).
    configured: Mutex<Vec<Platform>>,
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("bot");
        let questions = Family::<Labels, Counter>::default();
        registry.register(
            "questions",
            "Questions asked, by language and outcome (answered or declined)",
            questions.clone(),
        );
        let commands = Family::<Labels, Counter>::default();
        registry.register(
            "commands",
            "Inputs handled, by command and outcome (ok or the error code)",
            commands.clone(),
        );
        let deliveries_failed = Family::<Labels, Counter>::default();
        registry.register(
            "reply_deliveries_failed",
            "Replies that could not be delivered, by platform",
            deliveries_failed.clone(),
        );
        let latency = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register(
            "answer_latency_seconds",
            "Time to answer a question",
            latency.clone(),
        );
        let connected = Family::<Labels, Gauge>::default();
        registry.register(
            "platform_connected",
            "1 when the bot is connected to the platform",
            connected.clone(),
        );
        let outbound = Family::<Labels, Gauge>::default();
        registry.register(
            "outbound",
            "Calls to each platform's API and replies to it since the start, by kind: calls, retries, call_failures, in_flight, replies_sent, replies_lost, replays",
            outbound.clone(),
        );
        Metrics {
            registry,
            outbound,
            questions,
            commands,
            deliveries_failed,
            latency,
            connected,
            configured: Mutex::new(Vec::new()),
        }
    }

    /// The metrics as Prometheus (OpenMetrics) text.
    pub fn encode(&self) -> String {
        let counted = crate::metrics::snapshot();
        for (platform, c) in [
            (Platform::Discord, counted.discord),
            (Platform::Slack, counted.slack),
        ] {
            let kinds = [
                ("calls", c.calls as i64),
                ("retries", c.retries as i64),
                ("call_failures", c.call_failures as i64),
                ("in_flight", c.in_flight),
                ("replies_sent", c.replies_sent as i64),
                ("replies_lost", c.replies_lost as i64),
                ("replays", c.replays as i64),
            ];
            for (kind, n) in kinds {
                self.outbound
                    .get_or_create(&labels(&[("platform", platform.name()), ("kind", kind)]))
                    .set(n);
            }
        }
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a string");
        out
    }

    pub fn delivery_failed(&self, platform: Platform) {
        self.deliveries_failed
            .get_or_create(&labels(&[("platform", platform.name())]))
            .inc();
    }

    /// The process serves `platform` (not yet connected).
    pub fn serves(&self, platform: Platform) {
        let mut configured = self.configured.lock().unwrap_or_else(|p| p.into_inner());
        if !configured.contains(&platform) {
            configured.push(platform);
        }
        drop(configured);
        self.connected(platform, false);
    }

    pub fn connected(&self, platform: Platform, yes: bool) {
        self.connected
            .get_or_create(&labels(&[("platform", platform.name())]))
            .set(i64::from(yes));
    }

    /// The platforms served, and whether each is connected.
    pub fn platforms(&self) -> Vec<(Platform, bool)> {
        let configured = self
            .configured
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        configured
            .into_iter()
            .map(|p| {
                let up = self
                    .connected
                    .get_or_create(&labels(&[("platform", p.name())]))
                    .get();
                (p, up == 1)
            })
            .collect()
    }
}

/// Counts every input the commands handle.
pub struct Observer;

impl commands::Observer for Observer {
    fn handled(&self, command: &str, response: &Response, elapsed: Duration) {
        let m = metrics();
        let Some(main) = response.replies.first() else {
            return;
        };
        let outcome = main.error.unwrap_or("ok");
        m.commands
            .get_or_create(&labels(&[("command", command), ("outcome", outcome)]))
            .inc();
        if let Some(answer) = &main.answer {
            let outcome = if answer.answered {
                "answered"
            } else {
                "declined"
            };
            m.questions
                .get_or_create(&labels(&[("lang", main.lang.code()), ("outcome", outcome)]))
                .inc();
            m.latency.observe(elapsed.as_secs_f64());
        }
    }
}
