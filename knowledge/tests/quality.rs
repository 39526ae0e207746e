//! The evaluation set (`eval/*.toml`: paraphrases, abbreviations, typos and out-of-scope
//! questions in three languages) against the shipped knowledge base: at least 95% answered
//! with the right fact in the question's language, and every out-of-scope question declined.

mod support;

use support::*;

#[test]
fn evaluation_set_meets_the_quality_bar() {
    let kb = load(&[shipped_kb()]);
    let graded = evaluate(&kb, true);
    assert!(
        graded.len() >= 60,
        "the evaluation set has {} questions",
        graded.len()
    );
    let oos = graded.iter().filter(|g| g.out_of_scope).count();
    assert!(oos >= 8, "only {oos} out-of-scope questions");
    let failed: Vec<String> = graded
        .iter()
        .filter(|g| !g.ok)
        .map(|g| format!("[{}] {} ({}) got:\n{}\n", g.lang, g.q, g.kind, g.got))
        .collect();
    let ok = graded.len() - failed.len();
    let summary = summary(&graded);
    println!("{summary}");
    assert!(
        ok as f64 >= 0.95 * graded.len() as f64,
        "{summary}\nfailed:\n{}",
        failed.join("\n")
    );
    let oos_failed: Vec<&String> = graded
        .iter()
        .filter(|g| g.out_of_scope && !g.ok)
        .map(|g| &g.q)
        .collect();
    assert!(
        oos_failed.is_empty(),
        "answered out-of-scope questions: {oos_failed:?}"
    );
}
