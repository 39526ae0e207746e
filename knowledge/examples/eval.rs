//! Runs the evaluation set against any knowledge directories, e.g. the raw seed documents:
//!
//! ```text
//! cargo run --release -p knowledge --example eval -- ../shared/seeds
//! ```
//!
//! With no directory it uses the shipped knowledge base. `--any-language` counts an answer
//! taken from another language's section (as the seeds need) as right when it holds the fact.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let any_language = args.iter().any(|a| a == "--any-language");
    let verbose = args.iter().any(|a| a == "-v");
    args.retain(|a| !a.starts_with('-'));
    let dirs: Vec<std::path::PathBuf> = if args.is_empty() {
        vec![support::shipped_kb()]
    } else {
        args.into_iter().map(Into::into).collect()
    };
    let kb = support::load(&dirs);
    let graded = support::evaluate(&kb, !any_language);
    for g in graded.iter().filter(|g| !g.ok) {
        println!("FAIL [{}] {} ({})", g.lang, g.q, g.kind);
        if verbose {
            println!("{}\n", g.got);
        }
    }
    if verbose {
        for g in &graded {
            println!(
                "{:.2} {} [{}] {}",
                g.score,
                if g.ok { "ok  " } else { "FAIL" },
                g.lang,
                g.q
            );
        }
    }
    println!("{}", support::summary(&graded));
}
