//! Runs one half of the chat-style question set (`eval/chat/`) against any knowledge
//! directories:
//!
//! ```text
//! cargo run --release -p knowledge --example chat_eval -- tune [-v] [--any-language] [DIR…]
//! cargo run --release -p knowledge --example chat_eval -- test --any-language ../shared/seeds
//! ```
//!
//! With no directory it uses the shipped knowledge base. `--any-language` counts an answer
//! taken from another language's section (as the raw seeds need) as right when it holds the
//! facts. `-v` prints every failure with the answer it got.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let any_language = args.iter().any(|a| a == "--any-language");
    let verbose = args.iter().any(|a| a == "-v");
    args.retain(|a| !a.starts_with('-'));
    let half = if args.is_empty() {
        "tune".to_string()
    } else {
        args.remove(0)
    };
    assert!(
        ["tune", "dev", "test"].contains(&half.as_str()),
        "the first argument is the set: tune, dev (both for tuning) or test"
    );
    let dirs: Vec<std::path::PathBuf> = if args.is_empty() {
        vec![support::shipped_kb()]
    } else {
        args.into_iter().map(Into::into).collect()
    };
    let seeds_only = dirs.iter().any(|d| d != &support::shipped_kb());
    let kb = support::load(&dirs);
    let graded = support::evaluate_chat(&kb, &half, !any_language, seeds_only);
    for g in graded.iter().filter(|g| !g.ok) {
        println!(
            "FAIL {} [{}{}] {} — missing {:?}",
            g.id,
            g.kind,
            if g.near { ", near" } else { "" },
            g.q,
            g.missing
        );
        if verbose {
            println!("{}\n", g.got);
        }
    }
    print!("{}", support::chat_summary(&graded));
}
