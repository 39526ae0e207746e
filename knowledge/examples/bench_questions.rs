//! The fixed questions `bot bench` times, against the shipped base or `--kb DIR` (from `bot
//! bench --write-generated DIR`): each question's own time, then the cycled p50 and p99 as
//! the bench reports them. `ROUNDS` (default 300) cycles of the questions; for counting
//! instructions: `valgrind --tool=callgrind --toggle-collect='bench_questions::timed_round'
//! target/release/examples/bench_questions 5 --kb DIR`.

#[path = "../tests/support/mod.rs"]
mod support;

use knowledge::BENCH_QUESTIONS as QUESTIONS;

/// One round of the questions, after the first answers warmed the caches: what
/// `--toggle-collect='bench_questions::timed_round'` counts.
#[inline(never)]
fn timed_round(
    kb: &knowledge::KnowledgeBase,
    each: &mut [std::time::Duration],
    samples: &mut Vec<std::time::Duration>,
) {
    let only = std::env::var("BQ_ONLY").unwrap_or_default();
    for (i, q) in QUESTIONS.iter().enumerate() {
        if !q.contains(only.as_str()) {
            continue;
        }
        let t = std::time::Instant::now();
        std::hint::black_box(kb.ask(q).unwrap());
        let d = t.elapsed();
        each[i] += d;
        samples.push(d);
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dirs = support::kb_dirs(&mut args);
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(300);
    let kb = support::load(&dirs);
    eprintln!("loaded");
    let mut each = vec![std::time::Duration::ZERO; QUESTIONS.len()];
    let mut samples = Vec::with_capacity(rounds * QUESTIONS.len());
    for q in QUESTIONS {
        kb.ask(q).unwrap();
    }
    for _ in 0..rounds {
        timed_round(&kb, &mut each, &mut samples);
    }
    for (q, d) in QUESTIONS.iter().zip(&each) {
        println!("{:8.3} ms  {q}", d.as_secs_f64() * 1000.0 / rounds as f64);
    }
    samples.sort_unstable();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "p50 {:.3} ms  p99 {:.3} ms  mean {:.3} ms",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        samples.iter().sum::<std::time::Duration>().as_secs_f64() * 1000.0 / samples.len() as f64
    );
}
