//! Prints every question of every set with the answer it gets, one block per question, so
//! two versions of the answerer can be compared exactly:
//! `cargo run --release -p knowledge --example answers > before.txt`.

#[path = "../tests/support/mod.rs"]
mod support;

use knowledge::Lang;

fn main() {
    let dirs: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let dirs = if dirs.is_empty() {
        vec![support::shipped_kb()]
    } else {
        dirs
    };
    let kb = support::load(&dirs);
    let mut questions = Vec::new();
    for lang in Lang::ALL {
        for half in ["tune", "dev", "test"] {
            questions.extend(support::chat_questions(half, lang).into_iter().map(|q| q.q));
        }
        questions.extend(
            support::eval_questions(&support::crate_dir().join("eval"), lang)
                .into_iter()
                .map(|q| q.q),
        );
        questions.extend(support::fact_questions(lang).into_values().map(|q| q.q));
    }
    for q in questions {
        let a = kb.ask(&q).unwrap();
        println!("### {q}\n{:?} {}\n{}", a.outcome, a.lang, a.render());
        if !a.suggestions.is_empty() {
            println!("suggestions: {}", a.suggestions.join("; "));
        }
        println!();
    }
}
