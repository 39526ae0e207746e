//! Whether a ranked section answers a question, or the bot should say it does not know.
//!
//! One coverage threshold alone answers any request that shares a word with a section and
//! declines a question phrased in words the documents do not use. The decision combines
//! several signals of the best candidate: how much of the question it covers, whether it
//! is about the program the question names, whether its heading answers what is asked,
//! how much of the question the knowledge base does not know at all, and whether the
//! message names another subject. They are weighed by a logistic model whose weights were
//! fitted on the team's own questions (the tuning half of `eval/chat`, `eval/*.toml` and
//! the fact questions of `tests/facts`) with
//! `cargo run --release -p knowledge --example calibrate`; the test half is never used.

use crate::index::Hit;
use crate::query::{Request, Understanding};

/// The signals of one candidate answer, each in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// The share of the question the section covers.
    pub coverage: f32,
    /// The question names a program or role and the section is about it.
    pub focus_hit: f32,
    /// The question names a program or role the section is not about.
    pub focus_miss: f32,
    /// The section's heading answers what the question asks (its benefits, its duties…).
    pub aspect_hit: f32,
    /// The section's heading answers another aspect than the one asked.
    pub aspect_miss: f32,
    /// The share of the question's weight in words the knowledge base does not have.
    pub unknown: f32,
    /// The message names another subject (a salary, a price, AWS technical how-to).
    pub other_subject: f32,
    /// The question names no program or role at all.
    pub no_focus: f32,
}

impl Features {
    pub const NAMES: [&'static str; 8] = [
        "coverage",
        "focus_hit",
        "focus_miss",
        "aspect_hit",
        "aspect_miss",
        "unknown",
        "other_subject",
        "no_focus",
    ];

    pub(crate) fn of(h: &Hit, u: &Understanding, unknown: f32) -> Features {
        let has_focus = !u.focus.is_empty();
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        Features {
            coverage: h.coverage,
            focus_hit: flag(has_focus && h.signals.focus >= 0.99),
            focus_miss: flag(has_focus && h.signals.focus < 0.5),
            aspect_hit: flag(h.signals.aspect >= 1.3),
            aspect_miss: flag(h.signals.aspect < 0.9),
            unknown,
            other_subject: flag(matches!(u.request, Some(Request::Subject(_)))),
            no_focus: flag(!has_focus),
        }
    }

    pub fn values(&self) -> [f32; 8] {
        [
            self.coverage,
            self.focus_hit,
            self.focus_miss,
            self.aspect_hit,
            self.aspect_miss,
            self.unknown,
            self.other_subject,
            self.no_focus,
        ]
    }
}

/// The model: a bias and one weight per feature, in [`Features::NAMES`] order.
pub const BIAS: f32 = -2.26;
pub const WEIGHTS: [f32; 8] = [5.21, 1.77, 0.00, 1.52, 1.08, -3.69, -1.99, -1.88];

/// How sure the model is that the section answers the question, 0..1.
pub fn confidence(f: &Features) -> f32 {
    confidence_with(f, BIAS, &WEIGHTS)
}

pub fn confidence_with(f: &Features, bias: f32, weights: &[f32; 8]) -> f32 {
    let z: f32 = bias
        + f.values()
            .iter()
            .zip(weights)
            .map(|(x, w)| x * w)
            .sum::<f32>();
    1.0 / (1.0 + (-z).exp())
}
