//! Fits the weights of the answer-or-decline model (`src/decide.rs`) on the team's own
//! questions: the tuning half and the dev set of `eval/chat`, the older `eval/*.toml` set and the fact
//! questions of `tests/facts`. The test half of `eval/chat` is never read here.
//!
//! ```text
//! cargo run --release -p knowledge --example calibrate
//! ```
//!
//! Logistic regression by gradient descent, with the two classes weighed equally and a
//! little L2; it prints the weights to paste into `decide.rs` and how they do.

#[path = "../tests/support/mod.rs"]
mod support;

use knowledge::decide::{confidence_with, Features};
use knowledge::Lang;

fn main() {
    let kb = support::load(&[support::shipped_kb()]);
    let mut data: Vec<(Features, bool)> = Vec::new();
    let mut push = |q: &str, in_scope: bool| {
        if let Some(f) = kb.decision_features(q) {
            data.push((f, in_scope));
        } else if in_scope {
            eprintln!("no candidate for an in-scope question: {q}");
        }
    };
    for lang in Lang::ALL {
        for half in ["tune", "dev"] {
            for q in support::chat_questions(half, lang) {
                push(&q.q, q.kind != "out-of-scope");
            }
        }
        for q in support::eval_questions(&support::crate_dir().join("eval"), lang) {
            push(&q.q, q.kind != "out-of-scope");
        }
        for q in support::fact_questions(lang).values() {
            push(&q.q, true);
        }
    }
    let pos = data.iter().filter(|d| d.1).count() as f32;
    let neg = data.len() as f32 - pos;
    println!(
        "{} questions: {pos} in scope, {neg} out of scope",
        data.len()
    );
    let (mut bias, mut w) = (0.0f32, [0.0f32; 8]);
    let rate = 0.5;
    let l2 = 0.001;
    for _ in 0..20_000 {
        let (mut gb, mut gw) = (0.0f32, [0.0f32; 8]);
        for (f, y) in &data {
            let p = confidence_with(f, bias, &w);
            let weight = if *y { 0.5 / pos } else { 0.5 / neg };
            let e = (p - f32::from(u8::from(*y))) * weight;
            gb += e;
            for (g, x) in gw.iter_mut().zip(f.values()) {
                *g += e * x;
            }
        }
        bias -= rate * gb;
        for (wi, g) in w.iter_mut().zip(gw) {
            *wi -= rate * (g + l2 * *wi);
        }
    }
    println!("pub const BIAS: f32 = {bias:.2};");
    let ws: Vec<String> = w.iter().map(|x| format!("{x:.2}")).collect();
    println!("pub const WEIGHTS: [f32; 8] = [{}];", ws.join(", "));
    for (name, x) in Features::NAMES.iter().zip(w) {
        println!("  {name:14} {x:+.2}");
    }
    for threshold in [0.35, 0.4, 0.45, 0.5, 0.55, 0.6] {
        let tp = data
            .iter()
            .filter(|(f, y)| *y && confidence_with(f, bias, &w) >= threshold)
            .count();
        let tn = data
            .iter()
            .filter(|(f, y)| !*y && confidence_with(f, bias, &w) < threshold)
            .count();
        println!(
            "threshold {threshold:.2}: in scope answered {tp}/{pos}, out of scope declined {tn}/{neg}"
        );
    }
}
