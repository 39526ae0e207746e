//! Slack answer latency and throughput, end to end: the real `bot serve` over Socket Mode
//! against the local emulator. 50 members each ask in their direct messages with the bot;
//! the time of an answer is from the envelope leaving the emulator to the bot's
//! `chat.postMessage` (in the question's thread) arriving there.
//!
//! `cargo run --release -p tests --example slack_bench -- [QUESTIONS] [RATE_PER_SECOND]`

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tests::bench::{self, QUESTIONS, USERS};
use tests::slack::{self, Msg, SlackEmulator};
use tests::Bot;

fn main() {
    let (total, rate) = bench::args();
    let e = SlackEmulator::start();
    let bot = Bot::new();
    bot.config(&format!(
        "[slack]\napi_base_url = \"{}\"\nquestions_per_minute = 100000\nsocket_connections = 1\n",
        e.api_url()
    ));
    let mut child = bot.serve(&[
        ("SLACK_BOT_TOKEN", slack::BOT_TOKEN),
        ("SLACK_APP_TOKEN", slack::APP_TOKEN),
    ]);
    assert!(
        e.wait_connected(Duration::from_secs(60)),
        "the bot never connected"
    );
    let ask = |i: usize, ts: String| {
        let user = i % USERS;
        e.message(Msg {
            channel: format!("DUSER{user}"),
            user: format!("UUSER{user}"),
            text: QUESTIONS[i % QUESTIONS.len()].to_string(),
            ts: Some(ts),
            channel_type: Some("im".into()),
            ..Msg::default()
        });
    };
    // Warm up: language models, caches, users.info for every member.
    for i in 0..USERS {
        ask(i, format!("1700000000.{i:06}"));
    }
    std::thread::sleep(Duration::from_secs(2));
    let before = e.requests().len();

    let mut sent: Vec<(String, Instant)> = Vec::with_capacity(total);
    let started = Instant::now();
    let gap = Duration::from_secs_f64(1.0 / rate);
    for i in 0..total {
        let due = started + gap * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let ts = format!("1800000000.{i:06}");
        let at = Instant::now();
        ask(i, ts.clone());
        sent.push((ts, at));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let answers: HashMap<String, Instant> = loop {
        let answers: HashMap<String, Instant> = e.requests()[before..]
            .iter()
            .filter(|r| r.method == "chat.postMessage")
            .filter_map(|r| Some((r.body["thread_ts"].as_str()?.to_string(), r.at)))
            .collect();
        if answers.len() >= total || Instant::now() > deadline {
            break answers;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let latencies: Vec<Duration> = sent
        .iter()
        .filter_map(|(ts, at)| Some(answers.get(ts)?.saturating_duration_since(*at)))
        .collect();
    let last = answers.values().max().copied().unwrap_or(started);
    let elapsed = last - started;
    bench::report(
        "slack",
        "envelope → chat.postMessage at the emulator",
        total,
        rate,
        elapsed,
        latencies,
    );
    let _ = child.kill();
    let _ = child.wait();
}
