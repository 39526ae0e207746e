//! What `bot kb terms` and `bot kb search` show, for the shipped knowledge base (or the
//! folders given with `--kb DIR`), without the bot: `cargo run -p knowledge --example
//! explain -- "how do I become a CB?"`. With `RUST_LOG=knowledge=debug` it also traces how
//! the answer was chosen (which section, which language and why).

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_target(false)
        .without_time()
        .init();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dirs = support::kb_dirs(&mut args);
    // `--top N` lists the N best sections instead of 6.
    let top = args.iter().position(|a| a == "--top").map_or(6, |i| {
        args.remove(i);
        args.remove(i).parse().expect("--top takes a number")
    });
    let kb = support::load(&dirs);
    for q in args {
        println!("=== {q}\n{}", kb.explain(&q));
        for r in kb.search(&q, top).unwrap() {
            let g = r.signals;
            println!(
                "{} cov {:.2} shared {:.2} | focus {:.2} aspect {:.2} words {:.2} heading {:.2} lang {:.2} | [{}] {}",
                if r.answers { "ANSWERS" } else { "       " },
                r.coverage, r.shared, g.focus, g.aspect, g.words, g.heading, g.language,
                r.section.lang, r.section.heading()
            );
        }
        println!("--- answer:\n{}\n", kb.ask(&q).unwrap().render());
    }
}
