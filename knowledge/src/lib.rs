//! The community-program knowledge base and question answering.
//!
//! Markdown documents (one folder per language) are split into sections by heading, analysed
//! and indexed in an embedded store (sled, behind the [`store::Store`] trait); a question is
//! analysed the same way, its language detected, and answered from the best section with a
//! short extract, the source and related topics, or declined when nothing fits.
//!
//! Not here: chat platforms, permissions or community commands (see the `commands` and `bot`
//! crates). Nothing in this crate knows about Discord, Slack or a terminal.

pub mod analysis;
pub mod encoding;
pub mod lang;
pub mod lexicon;
pub mod markdown;

pub use lang::Lang;
pub mod answer;
pub mod index;
pub mod store;
mod typo;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

pub use answer::{Answer, Citation, Messages, Outcome};
pub use index::{ImportReport, IndexError, SectionRecord};
pub use store::{MemStore, SledStore, Store, StoreError};

use analysis::{analyzer, fold, latin_words};
use index::{QueryTerm, Snapshot};

/// The longest question the bot reads, in characters.
pub const MAX_QUESTION_CHARS: usize = 1000;

/// How answering behaves; from the `[knowledge]` table of config.toml.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The share of a question a section must cover to be given as the answer (0..=1).
    pub threshold: f32,
    /// The reply language when a message shows none (emoji, numbers only).
    pub fallback_lang: Lang,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.45,
            fallback_lang: Lang::En,
        }
    }
}

/// Counts for `kb stats`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub documents: usize,
    pub sections: usize,
    pub sections_per_language: Vec<(Lang, usize)>,
    pub generation: u64,
}

/// The knowledge base: a store, the current index generation, and the answering settings.
/// Cheap to share (`Arc<KnowledgeBase>`); imports may run while questions are answered.
pub struct KnowledgeBase {
    store: Arc<dyn Store>,
    snapshot: RwLock<Arc<Snapshot>>,
    import_lock: Mutex<()>,
    settings: Settings,
}

impl KnowledgeBase {
    /// Opens the knowledge base kept in `store` (empty if it was never imported).
    pub fn open(store: Arc<dyn Store>, settings: Settings) -> Result<Self, IndexError> {
        let gen = index::load_generation(store.as_ref())?;
        Ok(KnowledgeBase {
            store,
            snapshot: RwLock::new(Arc::new(Snapshot::new(gen))),
            import_lock: Mutex::new(()),
            settings,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn run_sync(&self, dirs: &[PathBuf], exact: bool) -> Result<ImportReport, IndexError> {
        let _guard = self.import_lock.lock().unwrap_or_else(|e| e.into_inner());
        let (report, gen) = index::sync(self.store.as_ref(), dirs, exact)?;
        if report.changed() || gen.number != self.current().gen.number {
            *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) =
                Arc::new(Snapshot::new(gen));
        }
        Ok(report)
    }

    /// Makes the store hold exactly the documents of `dirs` plus those of directories added
    /// earlier with [`KnowledgeBase::import`] that still exist. Unchanged documents are skipped.
    pub fn sync_configured(&self, dirs: &[PathBuf]) -> Result<ImportReport, IndexError> {
        let mut all = dirs.to_vec();
        for extra in index::recorded_sources(self.store.as_ref())? {
            if extra.is_dir() && !all.contains(&extra) {
                all.push(extra);
            }
        }
        self.run_sync(&all, true)
    }

    /// Makes the store hold exactly the documents of `dirs`, and nothing else.
    pub fn sync_exact(&self, dirs: &[PathBuf]) -> Result<ImportReport, IndexError> {
        self.run_sync(dirs, true)
    }

    /// Adds (or updates) the documents of `dir` and remembers it, so later starts keep it.
    pub fn import(&self, dir: &std::path::Path) -> Result<ImportReport, IndexError> {
        let canonical = dir.canonicalize().map_err(|e| IndexError::Dir {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let report = self.run_sync(std::slice::from_ref(&canonical), false)?;
        let mut sources = index::recorded_sources(self.store.as_ref())?;
        if !sources.contains(&canonical) {
            sources.push(canonical);
            index::record_sources(self.store.as_ref(), &sources)?;
            self.store.flush()?;
        }
        Ok(report)
    }

    /// Forgets a directory added with [`KnowledgeBase::import`] and drops its documents.
    pub fn forget(
        &self,
        dir: &std::path::Path,
        configured: &[PathBuf],
    ) -> Result<ImportReport, IndexError> {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let mut sources = index::recorded_sources(self.store.as_ref())?;
        sources.retain(|s| *s != canonical);
        index::record_sources(self.store.as_ref(), &sources)?;
        let mut keep = configured.to_vec();
        keep.extend(sources.into_iter().filter(|s| s.is_dir()));
        self.run_sync(&keep, true)
    }

    pub fn stats(&self) -> Stats {
        let snap = self.current();
        let mut per = Vec::new();
        for lang in Lang::ALL {
            let n = snap.gen.sections.iter().filter(|s| s.2 == lang).count();
            per.push((lang, n));
        }
        let documents = self.store.scan(index::DOCS).map(|d| d.len()).unwrap_or(0);
        Stats {
            documents,
            sections: snap.gen.sections.len(),
            sections_per_language: per,
            generation: snap.gen.number,
        }
    }

    /// Answers a question in its own language. Never panics on any input: empty, huge,
    /// control characters and symbol-only messages get a clear reply instead of an answer.
    pub fn ask(&self, question: &str) -> Result<Answer, IndexError> {
        let fallback = self.settings.fallback_lang;
        let chars = question.chars().count();
        if chars > MAX_QUESTION_CHARS {
            let head: String = question.chars().take(MAX_QUESTION_CHARS).collect();
            let lang = lang::detect_question(&head).unwrap_or(fallback);
            return Ok(self.decline(
                lang,
                Outcome::TooLong,
                Messages::of(lang).too_long(chars, MAX_QUESTION_CHARS),
            ));
        }
        let cleaned: String = question
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let cleaned = cleaned.trim();
        if cleaned.is_empty() {
            return Ok(self.decline(
                fallback,
                Outcome::Empty,
                Messages::of(fallback).empty.to_string(),
            ));
        }
        let lang = lang::detect_question(cleaned).unwrap_or(fallback);
        let snap = self.current();
        let folded = correct_typos(&fold(cleaned), &snap);
        let terms: Vec<QueryTerm> = analyzer()
            .analyze_folded(&folded, lang)
            .into_iter()
            .map(|t| QueryTerm {
                term: t.term,
                kind: t.kind,
            })
            .collect();
        if terms.is_empty() {
            let m = Messages::of(lang);
            return Ok(self.decline(lang, Outcome::NoWords, m.no_words.to_string()));
        }
        let (hits, weights) = index::rank(self.store.as_ref(), &snap, &terms, lang)?;
        let Some(best) = hits
            .first()
            .copied()
            .filter(|h| h.coverage >= self.settings.threshold)
        else {
            let score = hits.first().map_or(0.0, |h| h.coverage);
            let mut a = self.decline(
                lang,
                Outcome::Unknown,
                Messages::of(lang).unknown.to_string(),
            );
            a.score = score;
            return Ok(a);
        };
        let Some(section) = index::load_section(self.store.as_ref(), best.id)? else {
            return Err(IndexError::Corrupt(format!(
                "section {} is missing",
                best.id
            )));
        };
        let text = answer::extract(&section, &weights);
        let source = Citation {
            doc: section.doc.clone(),
            section: section.heading(),
        };
        let mut related = Vec::new();
        for h in hits.iter().skip(1) {
            if related.len() == 3 || h.score < best.score * 0.2 {
                break;
            }
            if h.lang != best.lang || h.coverage < self.settings.threshold * 0.5 {
                continue;
            }
            if let Some(s) = index::load_section(self.store.as_ref(), h.id)? {
                let c = Citation {
                    doc: s.doc.clone(),
                    section: s.heading(),
                };
                if c.section != source.section && !related.contains(&c) {
                    related.push(c);
                }
            }
        }
        Ok(Answer {
            outcome: Outcome::Answered,
            lang,
            text,
            answered_from: (best.lang != lang).then_some(best.lang),
            source: Some(source),
            related,
            score: best.coverage,
            suggestions: Vec::new(),
        })
    }

    fn decline(&self, lang: Lang, outcome: Outcome, text: String) -> Answer {
        let snap = self.current();
        let mut suggestions: Vec<String> = snap
            .gen
            .titles
            .iter()
            .filter(|(l, _)| *l == lang)
            .map(|(_, t)| t.clone())
            .collect();
        if suggestions.is_empty() {
            suggestions = snap.gen.titles.iter().map(|(_, t)| t.clone()).collect();
        }
        suggestions.truncate(12);
        if outcome == Outcome::TooLong || outcome == Outcome::Empty {
            suggestions.clear();
        }
        Answer {
            outcome,
            lang,
            text,
            answered_from: None,
            source: None,
            related: Vec::new(),
            score: 0.0,
            suggestions,
        }
    }
}

/// Replaces question words the knowledge base does not know by a known word one edit away.
fn correct_typos(folded: &str, snap: &Snapshot) -> String {
    let a = analyzer();
    let mut out = String::with_capacity(folded.len());
    let mut last = 0;
    for (s, e) in latin_words(folded) {
        let w = &folded[s..e];
        if w.chars().count() < 4
            || !w.chars().all(char::is_alphabetic)
            || a.is_stopword(w)
            || a.is_lexicon_word(w)
        {
            continue;
        }
        let typo = snap.typo();
        if typo.knows(w) {
            continue;
        }
        if let Some(fix) = typo.correct(w) {
            out.push_str(&folded[last..s]);
            out.push_str(fix);
            last = e;
        }
    }
    out.push_str(&folded[last..]);
    out
}
