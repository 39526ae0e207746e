//! Discord answer latency and throughput, end to end: the real `bot serve` against the local
//! emulator. 50 members each ask in their own channel; the time of an answer is from the
//! MESSAGE_CREATE leaving the emulator to the bot's POST arriving there.
//!
//! `cargo run --release -p tests --example discord_bench -- [QUESTIONS] [RATE_PER_SECOND]`

use std::time::{Duration, Instant};

use tests::bench::{self, QUESTIONS, USERS};
use tests::discord::{DiscordEmulator, Msg};
use tests::Bot;

fn main() {
    let (total, rate) = bench::args();
    let e = DiscordEmulator::start();
    // Each member writes to the bot directly, in their own DM channel.
    let channels: Vec<u64> = (0..USERS as u64).map(|u| e.dm_channel(1_000 + u)).collect();
    let bot = Bot::new();
    bot.config(&format!(
        "[discord]\napi_base_url = \"{}\"\ngateway_url = \"{}\"\nquestions_per_minute = 100000\n",
        e.base_url(),
        e.gateway_url()
    ));
    let mut child = bot.serve(&[("DISCORD_TOKEN", "bench")]);
    assert!(
        e.wait_ready(Duration::from_secs(60)),
        "the bot never connected"
    );
    // Warm up: language models and caches.
    for (i, q) in QUESTIONS.iter().enumerate() {
        e.message(Msg {
            channel_id: channels[i],
            guild_id: None,
            author_id: 1_000 + i as u64,
            author_name: "warm".into(),
            content: q.to_string(),
            ..Msg::default()
        });
    }
    std::thread::sleep(Duration::from_secs(2));
    let before = e.requests().len();

    let mut sent: Vec<(u64, Instant)> = Vec::with_capacity(total);
    let started = Instant::now();
    let gap = Duration::from_secs_f64(1.0 / rate);
    for i in 0..total {
        let due = started + gap * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let user = (i % USERS) as u64;
        let channel = channels[user as usize];
        let at = Instant::now();
        e.message(Msg {
            channel_id: channel,
            guild_id: None,
            author_id: 1_000 + user,
            author_name: format!("member{user}"),
            content: QUESTIONS[i % QUESTIONS.len()].to_string(),
            ..Msg::default()
        });
        sent.push((channel, at));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let answers = loop {
        let answers: Vec<_> = e.requests()[before..]
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
            .cloned()
            .collect();
        if answers.len() >= total || Instant::now() > deadline {
            break answers;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = answers.last().map_or(Duration::ZERO, |a| a.at - started);
    // Answers in a channel come in the order of its questions.
    let mut by_channel: std::collections::HashMap<String, Vec<Instant>> = Default::default();
    for a in &answers {
        by_channel.entry(a.path.clone()).or_default().push(a.at);
    }
    let mut seen: std::collections::HashMap<u64, usize> = Default::default();
    let mut latencies: Vec<Duration> = Vec::new();
    for (channel, at) in &sent {
        let k = seen.entry(*channel).or_default();
        if let Some(answered) = by_channel
            .get(&format!("/channels/{channel}/messages"))
            .and_then(|v| v.get(*k))
        {
            latencies.push(answered.saturating_duration_since(*at));
        }
        *k += 1;
    }
    bench::report(
        "discord",
        "MESSAGE_CREATE → answer at the emulator",
        total,
        rate,
        elapsed,
        latencies,
    );
    let _ = child.kill();
    let _ = child.wait();
}
