//! What the front-end benchmarks (`examples/*_bench.rs`) share: the members, the questions
//! they ask, the arguments and the report.

use std::time::Duration;

/// How many members ask at once.
pub const USERS: usize = 50;

/// What they ask, in turn: the three languages, abbreviations, and one out of scope.
pub const QUESTIONS: &[&str] = &[
    "How do I become a Community Builder?",
    "how many heroes are there",
    "what perks do CBs get",
    "怎么成为社区建设者？",
    "志愿者需要什么条件",
    "Como faço para ser voluntário?",
    "quais os beneficios de ser UGL",
    "What's the weather tomorrow?",
];

/// `[QUESTIONS] [RATE_PER_SECOND]` from the command line (default 5,000 at 500/s).
pub fn args() -> (usize, f64) {
    let mut args = std::env::args().skip(1);
    let total = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let rate = args.next().and_then(|a| a.parse().ok()).unwrap_or(500.0);
    (total, rate)
}

/// Prints answers per second and the latency percentiles of the answered questions.
pub fn report(
    platform: &str,
    what: &str,
    total: usize,
    rate: f64,
    elapsed: Duration,
    mut latencies: Vec<Duration>,
) {
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p).round() as usize)
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3
    };
    println!(
        "{platform}: {total} questions from {USERS} members at {rate:.0}/s: {} answered in {:.2} s ({:.0} answers/s)",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    println!(
        "  {what}: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
}
