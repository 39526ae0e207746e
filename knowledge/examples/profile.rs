//! Asks every tuning question many times against the shipped knowledge base, for profiling
//! the answer path: `perf record -g target/release/examples/profile [ROUNDS] [--kb DIR]`
//! (`--kb` a generated base, from `bot bench --write-generated DIR`).

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dirs = support::kb_dirs(&mut args);
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(50);
    let kb = support::load(&dirs);
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
