//! Asks every tuning question many times against the shipped knowledge base, for profiling
//! the answer path: `perf record -g target/release/examples/profile`.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let kb = support::load(&[support::shipped_kb()]);
    let mut questions = Vec::new();
    for lang in knowledge::Lang::ALL {
        for q in support::chat_questions("tune", lang) {
            questions.push(q.q);
        }
    }
    let started = std::time::Instant::now();
    let mut answered = 0;
    for _ in 0..rounds {
        for q in &questions {
            answered += usize::from(kb.ask(q).unwrap().answered());
        }
    }
    let n = rounds * questions.len();
    println!(
        "{n} questions, {answered} answered, {:.3} ms each",
        started.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}
