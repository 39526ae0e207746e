//! Times each question given on the command line against knowledge directories, for
//! finding the slow ones: `cargo run --release -p knowledge --example latency -- --kb DIR
//! "question" ...`.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dirs = support::kb_dirs(&mut args);
    let kb = support::load(&dirs);
    for q in args {
        kb.ask(&q).unwrap();
        let rounds = 200;
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(kb.ask(&q).unwrap());
        }
        let each = started.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
        println!("{each:8.3} ms  {q}");
    }
}
