//! Shared by the knowledge tests and the `eval` example: the shipped knowledge base in a
//! throw-away store, and the fact and evaluation tables.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use knowledge::analysis::fold;
use knowledge::{KnowledgeBase, Lang, MemStore, Settings};
use serde::Deserialize;

/// The languages to check: all, or those named in `KB_LANGS` (`en,pt`) when debugging one.
pub fn langs() -> Vec<Lang> {
    match std::env::var("KB_LANGS") {
        Ok(v) if !v.trim().is_empty() => v.split(',').filter_map(|l| l.parse().ok()).collect(),
        _ => Lang::ALL.to_vec(),
    }
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn shipped_kb() -> PathBuf {
    crate_dir().join("kb")
}

/// The examples' `--kb DIR` arguments, taken out of `args`: every folder given, else the
/// shipped knowledge base.
pub fn kb_dirs(args: &mut Vec<String>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    while let Some(i) = args.iter().position(|a| a == "--kb") {
        args.remove(i);
        if i < args.len() {
            dirs.push(PathBuf::from(args.remove(i)));
        }
    }
    if dirs.is_empty() {
        dirs.push(shipped_kb());
    }
    dirs
}

/// A knowledge base in memory holding exactly the documents of `dirs`.
pub fn load(dirs: &[PathBuf]) -> KnowledgeBase {
    let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
    kb.sync_exact(dirs).unwrap();
    kb
}

/// Case, accent and white-space insensitive containment.
pub fn contains(haystack: &str, needle: &str) -> bool {
    let squash = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    squash(haystack).contains(&squash(needle))
}

#[derive(Debug, Deserialize)]
pub struct FactQuestion {
    pub q: String,
    pub needle: String,
}

#[derive(Debug, Deserialize)]
pub struct Fact {
    pub fact: String,
}

pub fn facts() -> BTreeMap<String, Fact> {
    let text = std::fs::read_to_string(crate_dir().join("tests/facts/facts.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

pub fn fact_questions(lang: Lang) -> BTreeMap<String, FactQuestion> {
    let path = crate_dir().join(format!("tests/facts/{}.toml", lang.code()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, Deserialize)]
pub struct EvalQuestion {
    pub q: String,
    pub expect: Vec<String>,
    pub kind: String,
}

#[derive(Debug, Deserialize)]
struct EvalFile {
    question: Vec<EvalQuestion>,
}

pub fn eval_questions(dir: &Path, lang: Lang) -> Vec<EvalQuestion> {
    let path = dir.join(format!("{}.toml", lang.code()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: EvalFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.question
}

/// The outcome of one evaluation question.
pub struct Graded {
    pub lang: Lang,
    pub q: String,
    pub kind: String,
    pub ok: bool,
    pub out_of_scope: bool,
    pub got: String,
    pub score: f32,
}

/// Asks every evaluation question: an in-scope one passes when it is answered, in its own
/// language when `same_language`, with one of the expected strings in the answer shown; an
/// out-of-scope one passes when it is declined.
pub fn evaluate(kb: &KnowledgeBase, same_language: bool) -> Vec<Graded> {
    let mut out = Vec::new();
    for lang in langs() {
        for q in eval_questions(&crate_dir().join("eval"), lang) {
            let a = kb.ask(&q.q).unwrap();
            let out_of_scope = q.kind == "out-of-scope";
            let ok = if out_of_scope {
                !a.answered()
            } else {
                a.answered()
                    && (!same_language || (a.lang == lang && a.answered_from.is_none()))
                    && q.expect.iter().any(|e| contains(&a.text, e))
            };
            out.push(Graded {
                lang,
                q: q.q,
                kind: q.kind,
                ok,
                out_of_scope,
                got: a.render(),
                score: a.score,
            });
        }
    }
    out
}

pub fn summary(graded: &[Graded]) -> String {
    let mut s = String::new();
    for lang in langs() {
        let all: Vec<&Graded> = graded.iter().filter(|g| g.lang == lang).collect();
        let ok = all.iter().filter(|g| g.ok).count();
        s.push_str(&format!("{lang}: {ok}/{} ", all.len()));
    }
    let ok = graded.iter().filter(|g| g.ok).count();
    let oos: Vec<&Graded> = graded.iter().filter(|g| g.out_of_scope).collect();
    s.push_str(&format!(
        "| total {ok}/{} = {:.1}% | out-of-scope declined {}/{}",
        graded.len(),
        100.0 * ok as f64 / graded.len().max(1) as f64,
        oos.iter().filter(|g| g.ok).count(),
        oos.len()
    ));
    s
}

/// One question of the chat-style set (`eval/chat/{tune,test}/<lang>.toml`): every inner list
/// of `facts` is a fact the answer must hold, any one of its alternatives counting.
#[derive(Debug, Deserialize)]
pub struct ChatQuestion {
    pub id: String,
    pub q: String,
    pub style: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub near: bool,
    #[serde(default = "yes")]
    pub seeds: bool,
    pub facts: Vec<Vec<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
struct ChatFile {
    question: Vec<ChatQuestion>,
}

/// The questions of one half (`tune` or `test`) of the chat-style set in one language.
pub fn chat_questions(half: &str, lang: Lang) -> Vec<ChatQuestion> {
    let path = crate_dir().join(format!("eval/chat/{half}/{}.toml", lang.code()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: ChatFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.question
}

/// The outcome of one chat-style question.
pub struct ChatGraded {
    pub lang: Lang,
    pub id: String,
    pub q: String,
    pub style: String,
    pub kind: String,
    pub near: bool,
    pub ok: bool,
    pub out_of_scope: bool,
    /// The facts the answer missed, by their first alternative.
    pub missing: Vec<String>,
    pub got: String,
}

/// Asks every question of one half: an in-scope one passes when it is answered (in its own
/// language when `same_language`) with every fact in the text shown to the member; an
/// out-of-scope one passes when it is declined. With `seeds_only`, questions marked
/// `seeds = false` are left out.
pub fn evaluate_chat(
    kb: &KnowledgeBase,
    half: &str,
    same_language: bool,
    seeds_only: bool,
) -> Vec<ChatGraded> {
    let mut out = Vec::new();
    for lang in langs() {
        for q in chat_questions(half, lang) {
            if seeds_only && !q.seeds {
                continue;
            }
            let a = kb.ask(&q.q).unwrap();
            let out_of_scope = q.kind == "out-of-scope";
            let shown = a.render();
            let missing: Vec<String> = q
                .facts
                .iter()
                .filter(|alts| !alts.iter().any(|alt| contains(&shown, alt)))
                .map(|alts| alts[0].clone())
                .collect();
            let ok = if out_of_scope {
                !a.answered()
            } else {
                a.answered()
                    && (!same_language || (a.lang == lang && a.answered_from.is_none()))
                    && missing.is_empty()
            };
            out.push(ChatGraded {
                lang,
                id: q.id,
                q: q.q,
                style: q.style,
                kind: q.kind,
                near: q.near,
                ok,
                out_of_scope,
                missing,
                got: shown,
            });
        }
    }
    out
}

/// Per language and in all: in-scope answered with every fact, by style, and out-of-scope
/// declined.
pub fn chat_summary(graded: &[ChatGraded]) -> String {
    let pct = |ok: usize, n: usize| 100.0 * ok as f64 / n.max(1) as f64;
    let line = |name: &str, gs: Vec<&ChatGraded>| {
        let ins: Vec<&&ChatGraded> = gs.iter().filter(|g| !g.out_of_scope).collect();
        let ins_ok = ins.iter().filter(|g| g.ok).count();
        let count = |style: &str| {
            let s: Vec<&&&ChatGraded> = ins.iter().filter(|g| g.style == style).collect();
            (s.iter().filter(|g| g.ok).count(), s.len())
        };
        let (clean_ok, clean) = count("clean");
        let (chat_ok, chat) = count("chat");
        let oos: Vec<&&ChatGraded> = gs.iter().filter(|g| g.out_of_scope).collect();
        let oos_ok = oos.iter().filter(|g| g.ok).count();
        format!(
            "{name}: answered {ins_ok}/{} = {:.1}% (clean {clean_ok}/{clean}, chat {chat_ok}/{chat}) | out of scope declined {oos_ok}/{} = {:.1}%\n",
            ins.len(),
            pct(ins_ok, ins.len()),
            oos.len(),
            pct(oos_ok, oos.len()),
        )
    };
    let mut s = String::new();
    for lang in langs() {
        s.push_str(&line(
            lang.code(),
            graded.iter().filter(|g| g.lang == lang).collect(),
        ));
    }
    s.push_str(&line("all", graded.iter().collect()));
    s
}
