//! The chat-style question set (`eval/chat/`): the test half meets the bar it is held to,
//! and chat noise around a question changes nothing about its answer.

mod support;

use knowledge::Lang;
use support::*;

/// Greetings, thanks and filler as people write them, per language. Written for this test,
/// not taken from the lexicon: some of them the lexicon does not list, and the answer must
/// not change anyway.
fn wrappers(lang: Lang) -> Vec<(&'static str, &'static str)> {
    match lang {
        Lang::En => vec![
            ("hey everyone! ", " thanks!"),
            ("<@98765> ", ""),
            ("hi all, quick question: ", " 🙏"),
            ("Good morning folks, ", " Thanks in advance!!"),
            ("sorry if this was asked before, ", "??"),
        ],
        Lang::Zh => vec![
            ("大家好，", "谢谢！"),
            ("<@98765> ", ""),
            ("请问一下，", "多谢🙏"),
            ("各位大佬好，", "？？"),
        ],
        Lang::Pt => vec![
            ("Oi gente, ", " valeu!"),
            ("<@98765> ", ""),
            ("Bom dia pessoal, ", " obrigado!!"),
            ("e aí, beleza? ", " vlw 🙏"),
        ],
    }
}

#[test]
fn chat_noise_does_not_change_an_answer() {
    let kb = load(&[shipped_kb()]);
    let mut changed = Vec::new();
    let mut asked = 0;
    for lang in langs() {
        for q in chat_questions("test", lang) {
            if q.style != "clean" || q.kind == "out-of-scope" {
                continue;
            }
            let plain = kb.ask(&q.q).unwrap();
            for (before, after) in wrappers(lang) {
                let noisy = format!("{before}{}{after}", q.q.trim_end_matches(['?', '？']));
                let a = kb.ask(&noisy).unwrap();
                asked += 1;
                if a.text != plain.text || a.lang != plain.lang || a.outcome != plain.outcome {
                    changed.push(format!(
                        "[{lang}] {noisy:?}\n  without noise: {:?} {}\n  with noise:    {:?} {}",
                        plain.outcome,
                        plain.text.lines().next().unwrap_or(""),
                        a.outcome,
                        a.text.lines().next().unwrap_or("")
                    ));
                }
            }
        }
    }
    println!("{} of {asked} noisy questions changed", changed.len());
    // A few may legitimately change (a wrapper can carry meaning); the mechanism must hold
    // for nearly all of them.
    assert!(
        changed.len() * 20 <= asked,
        "{} of {asked} noisy questions got another answer:\n{}",
        changed.len(),
        changed.join("\n")
    );
}

#[test]
fn the_test_half_meets_the_bar() {
    let kb = load(&[shipped_kb()]);
    let graded = evaluate_chat(&kb, "test", true, false);
    let summary = chat_summary(&graded);
    println!("{summary}");
    let ins: Vec<&ChatGraded> = graded.iter().filter(|g| !g.out_of_scope).collect();
    let oos: Vec<&ChatGraded> = graded.iter().filter(|g| g.out_of_scope).collect();
    let ok =
        |gs: &[&ChatGraded]| gs.iter().filter(|g| g.ok).count() as f64 / gs.len().max(1) as f64;
    assert!(ins.len() >= 150 && oos.len() >= 30, "{summary}");
    // The floors sit below the figures reported in the closing note, so that a change that
    // makes answers worse fails here; the note says where they stand against the targets.
    assert!(ok(&ins) >= 0.85, "{summary}");
    assert!(ok(&oos) >= 0.95, "{summary}");
}
