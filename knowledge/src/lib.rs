//! The community-program knowledge base and question answering.
//!
//! Markdown documents (one folder per language) are split into sections by heading, analysed
//! and indexed in an embedded store (sled, behind the [`store::Store`] trait); a question is
//! analysed the same way, its language detected, and answered from the best section with a
//! short extract, the source and related topics, or declined when nothing fits.
//!
//! Not here: chat platforms, permissions or community commands; those belong to the crates
//! built on this one. Nothing in this crate knows about Discord, Slack or a terminal.

pub mod analysis;
pub mod encoding;
pub mod lang;
pub mod lexicon;
pub mod markdown;
pub mod query;

pub use lang::Lang;
pub mod answer;
mod compose;
pub mod decide;
mod frozen;
pub mod index;
mod parallel;
mod parts;
mod persist;
mod rank;
pub mod shipped;
mod source;
pub mod store;
mod table;
mod threads;
mod typo;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

pub use answer::{Answer, Citation, Messages, Outcome};
pub use index::{ImportReport, IndexError, SectionRecord, Signals};
pub use query::{QType, Understanding};
pub use store::{MemStore, SledStore, Store, StoreError};

use analysis::latin_words;
use index::{QueryTerm, Snapshot};

/// The fixed questions `bot bench` (and `examples/bench_questions`) times: the three
/// languages, paraphrases, typos and questions the bot declines.
pub const BENCH_QUESTIONS: &[&str] = &[
    "How do I become a Community Builder?",
    "how many heroes are there",
    "what perks do CBs get",
    "What does a city organizer have to do?",
    "what is the growth path",
    "comunity buildr aplication",
    "What's the weather tomorrow?",
    "怎么成为社区建设者？",
    "Hero 有哪些权益",
    "志愿者需要什么条件",
    "城市组织者每年要办几次活动",
    "今天天气怎么样",
    "Como faço para ser voluntário?",
    "quais os beneficios de ser UGL",
    "Quando abrem as inscrições do Community Builders?",
    "qual a missão do grupo de usuarios",
    "receita de bolo de cenoura",
];

/// How many of the best-ranked sections `ask` considers as the answer.
const CANDIDATES: usize = 48;

/// The longest question the bot reads, in characters.
pub const MAX_QUESTION_CHARS: usize = 1000;

/// How answering behaves; from the `[knowledge]` table of config.toml.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How sure the decision must be that a section answers a question (0..=1).
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

/// A section found for a question, with how much of the question it covers: all of it
/// (`coverage`, the share `ask` compares with the threshold) and the part every language
/// shares (`shared`: concepts and numbers).
#[derive(Debug, Clone)]
pub struct Retrieved {
    pub section: SectionRecord,
    pub coverage: f32,
    pub shared: f32,
    /// Whether `ask` may give it as the answer.
    pub answers: bool,
    pub signals: index::Signals,
}

/// Counts for `kb stats`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub documents: usize,
    pub sections: usize,
    pub sections_per_language: Vec<(Lang, usize)>,
    /// What the answering index holds in memory (dictionary, postings, section records,
    /// ranking's per-section table), estimated; the per-section analysis cached on first
    /// use comes on top.
    pub index_bytes: usize,
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
        let (gen, rebuilt) = index::open_generation(store.as_ref())?;
        if rebuilt {
            tracing::warn!("the knowledge index was written by another version; it is rebuilt from the documents");
        }
        let snapshot = Snapshot::opened(store.as_ref(), gen)?;
        Ok(KnowledgeBase {
            store,
            snapshot: RwLock::new(Arc::new(snapshot)),
            import_lock: Mutex::new(()),
            settings,
        })
    }

    /// Reads the current generation from the store again and answers from it, for when the
    /// store's contents were replaced underneath (a backup restored into a running bot).
    pub fn reopen(&self) -> Result<(), IndexError> {
        let _guard = self.import_lock.lock().unwrap_or_else(|e| e.into_inner());
        let (gen, _) = index::open_generation(self.store.as_ref())?;
        let snapshot = Snapshot::opened(self.store.as_ref(), gen)?;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        Ok(())
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
        let current = self.current();
        let (report, gen, analyzer, frozen) =
            index::sync(self.store.as_ref(), dirs, exact, Some(&current))?;
        // Nothing changed in the generation answered from.
        let Some(gen) = gen else {
            return Ok(report);
        };
        if report.changed()
            || gen.number != current.gen.number
            || !Arc::ptr_eq(&analyzer, &current.analyzer)
        {
            let frozen = match frozen {
                Some(f) => f,
                None => index::Frozen::build(index::load_records(self.store.as_ref(), &gen)?),
            };
            *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) =
                Arc::new(Snapshot::built(self.store.as_ref(), gen, analyzer, frozen));
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

    /// Forgets a directory added with [`KnowledgeBase::import`] and drops its documents; a
    /// directory that was never imported is an error that says so.
    pub fn forget(
        &self,
        dir: &std::path::Path,
        configured: &[PathBuf],
    ) -> Result<ImportReport, IndexError> {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let mut sources = index::recorded_sources(self.store.as_ref())?;
        if !sources.contains(&canonical) {
            return Err(IndexError::Dir {
                path: dir.to_path_buf(),
                message:
                    "was not added with `kb import` (configured folders are changed in config.toml)"
                        .into(),
            });
        }
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
            let n = snap.gen.sections.iter().filter(|s| s.lang == lang).count();
            per.push((lang, n));
        }
        Stats {
            documents: snap.gen.docs.len(),
            sections: snap.gen.sections.len(),
            sections_per_language: per,
            index_bytes: snap.frozen.heap_bytes() + snap.table.bytes(),
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
        // An import that commits while the question is answered may remove what the answer
        // was reading: the question is then answered again from the new generation.
        let mut attempts = 0;
        loop {
            let snap = self.current();
            let u = self.understand(cleaned, &snap);
            let result = self
                .answer_from(&snap, &u)
                .and_then(|a| self.with_other_parts(&snap, &u, cleaned, a));
            let stale = self.current().gen.number != snap.gen.number;
            if !stale || attempts == 3 {
                return result;
            }
            attempts += 1;
        }
    }

    /// Whether a ranked section may be given as the answer: the decision combines how much
    /// of the question it covers, how much of the question the knowledge base does not know
    /// at all, whether it is about what the question names and answers what it asks, and
    /// whether the message is a request the bot declines.
    fn fits(&self, snap: &Snapshot, h: &index::Hit, u: &Understanding, unknown: f32) -> bool {
        let threshold = self.settings.threshold + if h.lang == u.lang { 0.0 } else { 0.15 };
        let mut features = decide::Features::of(h, u, unknown);
        // Compared with nothing else asked, a section headed with one of the two covers its
        // half of the question in full: it is judged as the answer for that one.
        if u.compares && u.focus.len() == 2 && u.aspects.is_empty() {
            let compared = |id: u32| u.focus.iter().any(|f| snap.frozen.id(f) == Some(id));
            let headed = snap
                .table
                .heading(h.slot)
                .filter(|&(id, entity)| entity && compared(id))
                .count();
            if headed == 1 {
                features.coverage = (features.coverage * 2.0).min(1.0);
                features.focus_hit = 1.0;
                features.focus_miss = 0.0;
            }
        }
        if decide::confidence(&features) < threshold {
            return false;
        }
        // A message about another subject (a salary, a price) is answered only from a
        // section that speaks of it: "a Hero's yearly salary" is not how long Heroes exist.
        // Money asked of a program's credits ("CB 每年的抵扣券有多少钱") is what the credits are
        // worth, no price of something else.
        let of_credits = u.aspects.iter().any(|a| a == "@credits") && !u.focus.is_empty();
        if let Some(query::Request::Subject(subject)) = u.request.as_ref().filter(|_| !of_credits) {
            let subject = analysis::fold(subject);
            let speaks_of_it = snap.frozen.record(h.slot).is_some_and(|r| {
                names(&r.text, &subject) || r.path.iter().any(|p| names(p, &subject))
            });
            return speaks_of_it;
        }
        true
    }

    /// The decision features of the section `ask` would consider first in the question's
    /// own language, for calibrating the decision (`examples/calibrate.rs`).
    #[doc(hidden)]
    pub fn decision_features(&self, question: &str) -> Option<decide::Features> {
        let snap = self.current();
        let u = self.understand(question, &snap);
        let terms = query_terms(&u, &snap);
        let ranked = index::rank(&snap, &terms, u.lang, &u, 1).ok()?;
        let best = ranked.hits.iter().find(|h| h.lang == u.lang)?;
        Some(decide::Features::of(best, &u, ranked.unknown))
    }

    /// Answers an understood question from one generation of the index.
    fn answer_from(&self, snap: &Snapshot, u: &Understanding) -> Result<Answer, IndexError> {
        // "Think Big e Bias for Action significam o que?": what two things are, asked
        // together, is answered like a comparison, from each one's own section rather than
        // from an overview that names both.
        let several;
        let u = if each_asked_for_what_it_is(snap, u) {
            several = Understanding {
                compares: true,
                ..u.clone()
            };
            &several
        } else {
            u
        };
        let lang = u.lang;
        let m = Messages::of(lang);
        if u.only_noise() {
            return Ok(self.decline(lang, Outcome::Smalltalk, m.smalltalk.to_string()));
        }
        if matches!(u.request, Some(query::Request::Task(_))) {
            return Ok(self.decline(lang, Outcome::OutOfScope, m.out_of_scope.to_string()));
        }
        let terms = query_terms(u, snap);
        if terms.is_empty() {
            return Ok(self.decline(lang, Outcome::NoWords, m.no_words.to_string()));
        }
        // "Is there an age limit for Cloud Captains?": when the knowledge base has no word
        // for the thing asked, no section can say whether there is one, however much of the
        // rest of the question it shares.
        if u.exists
            .as_deref()
            .is_some_and(|t| !knows_thing(snap, u, t))
        {
            return Ok(self.decline(lang, Outcome::Unknown, m.unknown.to_string()));
        }
        let mut ranked = index::rank_overall(snap, &terms, lang, u, CANDIDATES)?;
        // Only the best-ranked sections can be the answer: the decision is taken once for
        // each of them, not for every section a common word touched.
        ranked.hits.truncate(CANDIDATES);
        // Two programs compared: what each one is can rank below a section that names both
        // ("who can be a track owner" names CBs, in the UGL document); each program's own
        // definitions are candidates too, when nothing else is asked of them.
        if u.compares && u.aspects.is_empty() {
            for program in &u.focus {
                // Scored as the definition of its program, which it is, rather than for the
                // pair, which it half covers.
                let own = rank_alone(snap, u, program, None, query::QType::Definition, lang, 3)?;
                let defines = |h: &index::Hit| {
                    snap.gen.sections[h.slot as usize].says_what_it_is()
                        && snap.analysed(h.slot).path_names(program)
                };
                for h in own.hits.into_iter().filter(defines) {
                    ranked.hits.retain(|r| r.slot != h.slot);
                    ranked.hits.push(h);
                }
            }
        }
        let hits = &ranked.hits[..];
        let fitting: Vec<u32> = hits
            .iter()
            .filter(|h| self.fits(snap, h, u, ranked.unknown))
            .map(|h| h.slot)
            .collect();
        // A section about another program than the one asked ("志愿者的要求" for a Hero's)
        // is no answer when one about the program asked fits too.
        let on_focus = |h: &index::Hit| h.signals.focus >= 1.0;
        let fitting: Vec<u32> = if hits
            .iter()
            .any(|h| h.lang == lang && on_focus(h) && fitting.contains(&h.slot))
        {
            hits.iter()
                .filter(|h| fitting.contains(&h.slot) && h.signals.focus >= 0.5)
                .map(|h| h.slot)
                .collect()
        } else {
            fitting
        };
        let fits = |h: &&index::Hit| fitting.contains(&h.slot);
        // The question's language first; another language only when none fits there, or
        // when only another language holds what the question asks (the raw seed documents
        // state some facts in one language only).
        // Two programs compared: each is best told of by its own section (the second comes
        // from its own as well), not by one that names them among others (the growth path).
        let compared: Vec<u32> = if u.compares {
            u.focus.iter().filter_map(|f| snap.frozen.id(f)).collect()
        } else {
            Vec::new()
        };
        // `strict`: with nothing else asked, the section that says what the program is;
        // else one whose own heading names it ("Principle 9: Bias for Action").
        let about_one = |h: &&index::Hit, strict: bool| {
            let path = snap.table.path(h.slot);
            let named = path.iter().filter(|p| compared.contains(p)).count();
            // What else the headings name, beyond what another name there implies ("User
            // Group Leader" names its user group too).
            let others = path
                .iter()
                .filter(|p| !compared.contains(p))
                .filter(|p| !path.iter().any(|q| snap.implied.contains(&(*q, **p))))
                .count();
            let meta = &snap.gen.sections[h.slot as usize];
            let fitting = if !u.aspects.is_empty() {
                h.signals.aspect >= 1.0
            } else if strict {
                meta.says_what_it_is()
            } else {
                // Its heading names nothing else asked of it (not "Who can be…", "…benefits").
                !meta.heading_asks
                    && snap
                        .table
                        .heading(h.slot)
                        .any(|(id, entity)| entity && compared.contains(&id))
            };
            // Its own heading is about one of them, if it names a program at all ("Who can
            // be a track owner" names the UGL only as what a track owner implies).
            let heading_named = snap.table.named(h.slot);
            let own_heading =
                heading_named.is_empty() || heading_named.iter().any(|p| compared.contains(p));
            named == 1 && others <= 1 && fitting && own_heading
        };
        let compare = !compared.is_empty();
        let own = first_of(
            hits.iter().filter(fits).filter(|h| h.lang == lang),
            compare,
            about_one,
        );
        // A question that asks an aspect ("how do I become a UGL?") is answered by the
        // section of the same document on that aspect (what a city organizer needs), not
        // by one that only names the program (UGL benefits).
        let doc_of = |h: &index::Hit| snap.gen.sections[h.slot as usize].doc;
        // So is a question of a type headings name ("会员由哪些人构成" and "用户组会员有哪些人").
        let typed = u.types.iter().any(|t| {
            !matches!(
                t,
                query::QType::Definition
                    | query::QType::List
                    | query::QType::YesNo
                    | query::QType::Other
            )
        });
        let own = own.map(|o| {
            if (u.aspects.is_empty() && !typed) || o.signals.aspect > 1.0 || compare {
                return o;
            }
            hits.iter()
                .filter(fits)
                .filter(|h| h.lang == lang && doc_of(h) == doc_of(o))
                .find(|h| {
                    let named_by = |slot: u32| snap.analysed(slot).path_names_all(&u.focus);
                    h.signals.aspect > 1.0
                        && h.signals.focus >= 0.5
                        && (named_by(h.slot) || !named_by(o.slot))
                        && h.coverage >= o.coverage
                })
                .unwrap_or(o)
        });
        // Of the other languages' sections, the best-ranked among those that cover about as
        // much of the question's concepts as any.
        let top_neutral = hits
            .iter()
            .filter(fits)
            .filter(|h| h.lang != lang)
            .map(|h| h.neutral)
            .fold(0.0f32, f32::max);
        // Another language's section cannot vouch for words the knowledge base does not
        // know at all: a question made largely of them is not answered from one. Unless
        // what it does know is a whole question, a program and an aspect of it that the
        // section's heading answers ("oq precisa pra ser voluntário? tenho mto tempo livre"
        // against a Chinese 志愿者要求): the rest is the asker's own words, not the subject.
        let whole_ask = !u.focus.is_empty() && !u.aspects.is_empty();
        let foreign_ok = |h: &index::Hit| {
            ranked.unknown < 0.45
                || whole_ask
                    && ranked.unknown < 0.8
                    && h.signals.focus >= 1.0
                    && h.signals.aspect >= 1.5
        };
        let others = || {
            hits.iter()
                .filter(fits)
                .filter(move |h| h.lang != lang && h.neutral >= top_neutral - 0.1 && foreign_ok(h))
        };
        let near = |h: &&index::Hit, top: Option<&index::Hit>, share: f32| {
            top.is_none_or(|t| h.score >= share * t.score)
        };
        // Only a hard fact (a number, a date, an address) sends the answer to another
        // language; a list may be written as prose or subsections in the asker's one.
        let hard: Vec<query::QType> = u
            .types
            .iter()
            .copied()
            .filter(|t| {
                matches!(
                    t,
                    query::QType::Count | query::QType::When | query::QType::Where
                )
            })
            .collect();
        // "How many Hero categories, and which?": the list of the kinds counted holds the
        // count (its items are counted for the answer).
        // So does the list headed with what is counted ("quantas categorias de Hero?" and
        // "Hero 类别"), though the question does not ask for the items.
        // The aspects asked that say what is wanted (goals, benefits, what is counted), not
        // the type words.
        let asked_aspects: Vec<&String> = u
            .aspects
            .iter()
            .filter(|t| !compose::TYPE_TERMS.contains(&t.as_str()))
            .collect();
        let counted_list = |h: &&index::Hit| {
            let meta = &snap.gen.sections[h.slot as usize];
            hard == [query::QType::Count]
                && (u.is(query::QType::List)
                    || asked_aspects
                        .iter()
                        .any(|t| snap.analysed(h.slot).own_path_names(t)))
                && meta.items > 1
                && meta.kinds.contains(&query::QType::List)
        };
        let holds_hard = |h: &&index::Hit| {
            !hard.is_empty()
                && (counted_list(h)
                    || index::holds_what_is_asked(&snap.gen.sections[h.slot as usize], h, &hard)
                        && compose::states_what_is_asked(u, snap.analysed(h.slot), &hard))
        };
        // Of those, one headed with what is counted comes before one that only holds
        // numbers (the Heroes' headcount for "how many Hero categories?").
        let names_counted = |h: &&index::Hit| {
            asked_aspects
                .iter()
                .any(|t| snap.analysed(h.slot).own_path_names(t))
        };
        fn first_of_either(
            candidates: Vec<&index::Hit>,
            rather: impl Fn(&&index::Hit) -> bool,
            or: impl Fn(&&index::Hit) -> bool,
        ) -> Option<&index::Hit> {
            let found = candidates.iter().copied().find(|h| rather(h));
            found.or_else(|| candidates.into_iter().find(|h| or(h)))
        }
        let counted_named = |h: &&index::Hit| names_counted(h) && counted_list(h);
        let own_holding = first_of_either(
            hits.iter()
                .filter(fits)
                .filter(|h| h.lang == lang && near(h, own, 0.6))
                .collect(),
            counted_named,
            holds_hard,
        );
        let first_other = others().next();
        // Another language's list headed with what is counted may cover a little less of
        // the question than its headcount, whose document title names the kind too.
        let other_holding = hits
            .iter()
            .filter(fits)
            .filter(|h| h.lang != lang && h.neutral >= top_neutral - 0.2 && foreign_ok(h))
            .filter(|h| near(h, first_other, 0.3))
            .find(counted_named)
            .or_else(|| {
                others()
                    .filter(|h| near(h, first_other, 0.3))
                    .find(holds_hard)
            });
        // A question of a type headings name (requirements, duties, benefits) is answered in
        // another language by the section headed so, though one headed otherwise covers a
        // context word more ("what r the reqs to be a volunteer at UG events": 志愿者要求,
        // not 志愿者福利, which names the events).
        let headed_type = u.types.iter().any(|t| {
            matches!(
                t,
                query::QType::Requirements
                    | query::QType::Duties
                    | query::QType::Benefits
                    | query::QType::HowTo
            )
        });
        let other = hits
            .iter()
            .filter(fits)
            .filter(|h| {
                headed_type
                    && h.lang != lang
                    && h.neutral >= (top_neutral - 0.5).max(0.5)
                    && h.signals.aspect >= 1.3
                    && h.signals.focus >= 0.9
                    && foreign_ok(h)
            })
            .find(|h| {
                first_other.is_some_and(|o| {
                    o.signals.aspect < 1.3 && h.signals.focus >= o.signals.focus.min(1.0) - 0.2
                })
            })
            .or(first_other);
        // Compared, each program's own section covers half of the question at best: the
        // other language is chosen by how much it covers, then its section for one of them.
        let foreign_pick = || {
            let foreign = hits
                .iter()
                .filter(fits)
                .filter(|h| compare && h.lang != lang && foreign_ok(h));
            let find = |strict| foreign.clone().find(|h| about_one(h, strict));
            find(true).or_else(|| find(false))
        };
        // Another language's section never displaces one in the asker's language when its
        // document has a version in that language: that version says the same.
        let replaceable =
            |h: &index::Hit| !snap.translated(snap.gen.sections[h.slot as usize].doc, lang);
        let name = |h: Option<&index::Hit>| h.map(|h| snap.heading_of(h.slot)).unwrap_or_default();
        tracing::debug!(
            "own {:?}; own holding {:?}; other {:?}; other holding {:?}",
            name(own),
            name(own_holding),
            name(first_other),
            name(other_holding)
        );
        let own = match (own, own_holding, other_holding) {
            (Some(o), Some(h), _) if !names_counted(&o) && names_counted(&h) => Some(h),
            (Some(o), _, _) if hard.is_empty() || holds_hard(&o) => Some(o),
            (_, Some(h), _) => Some(h),
            (Some(o), None, Some(h)) if !hard.is_empty() && !holds_hard(&o) && replaceable(h) => {
                None
            }
            (o, _, _) => o,
        };
        let other = other_holding.or(other);
        // Another language also wins when it is clearly more about what the question asks:
        // its headings name the program and the aspect asked where the asker's language only
        // mentions them, or it covers a good deal more of the concepts, or the asker's
        // language covers little of the question where the other covers most of it.
        let about = |h: &index::Hit| h.signals.focus * h.signals.aspect;
        // "what traits do u need to be a UG leader": the asker's language's "Key Traits"
        // says what another language's requirements do not.
        let only_own_names_an_aspect = |o: &index::Hit, a: &index::Hit| {
            let (own, other) = (snap.analysed(o.slot), snap.analysed(a.slot));
            asked_aspects
                .iter()
                .any(|t| own.names(t) && !other.names(t))
        };
        let names_all = |slot: u32| {
            let analysed = snap.analysed(slot);
            asked_aspects.iter().all(|t| analysed.names(t))
                && u.focus.iter().all(|t| analysed.names(t))
        };
        // Says, for `kb search`'s trace, why another language's section displaced the own.
        let traced = |why: &str, o: &index::Hit, a: &index::Hit| {
            tracing::debug!(
                "another language answers ({why}): {} over {}",
                snap.heading_of(a.slot),
                snap.heading_of(o.slot)
            );
            true
        };
        let own = match (own, other) {
            (Some(o), Some(a))
                if replaceable(a)
                    && ((about(o) < 1.0
                        && about(a) >= 1.4 * about(o)
                        && a.neutral >= o.neutral - 0.1
                        && traced("more about what is asked", o, a))
                        // A question of a type headings name (requirements, duties): a
                        // section headed so about the program asked, where the asker's
                        // language only has one about the program.
                        || (typed
                            && !only_own_names_an_aspect(o, a)
                            && o.signals.aspect < 1.3
                            && !u.aspects.iter().any(|t| snap.analysed(o.slot).path_names(t))
                            && a.signals.aspect >= 1.3
                            && a.signals.focus >= o.signals.focus.min(1.0)
                            && a.neutral >= o.neutral - 0.1
                            && traced("headed with the type asked", o, a))
                        || (a.neutral > o.neutral + 0.25 && traced("covers more concepts", o, a))
                        // It names everything asked where the asker's language leaves an
                        // aspect out ("UGL 的领导目标": the Chinese benefits never say goals).
                        || (!asked_aspects.is_empty()
                            && !names_all(o.slot)
                            && names_all(a.slot)
                            && a.signals.focus >= o.signals.focus.min(1.0)
                            && traced("names every aspect asked", o, a))
                        // Coverage counts the asker's own words only in their language
                        // ("perks" in an English question): a section there headed with the
                        // program and the aspect asked is not outdone by it.
                        || (o.coverage < 0.6
                            && a.coverage >= o.coverage + 0.35
                            && a.neutral >= o.neutral
                            && about(a) >= about(o)
                            && !(whole_ask && o.signals.focus >= 1.0 && o.signals.aspect >= 1.5)
                            && traced("covers more of the question", o, a))) =>
            {
                None
            }
            (o, _) => o,
        };
        // Another language's section whose document has a version in the asker's language
        // is answered from that version, though it alone was not judged to fit (it says the
        // same in other words).
        let doc_key = |h: &index::Hit| {
            let doc = snap.gen.sections[h.slot as usize].doc as usize;
            snap.gen
                .docs
                .get(doc)
                .map(|(path, _)| parallel::translation_key(path))
        };
        let own = own.or_else(|| {
            let a = other.filter(|a| !replaceable(a))?;
            let key = doc_key(a)?;
            hits.iter()
                .filter(|h| h.lang == lang && h.coverage >= 0.5)
                .find(|h| doc_key(h).as_ref() == Some(&key))
        });
        // Compared, a section in the asker's language about neither program alone (a
        // history that names both) yields to another language's section about one of them.
        let own = match own {
            Some(o) if compare && !about_one(&o, true) && !about_one(&o, false) => {
                foreign_pick().or(Some(o))
            }
            o => o,
        };
        let Some(best) = own.or_else(|| foreign_pick().or(other)).copied() else {
            let score = hits.first().map_or(0.0, |h| h.coverage);
            // A message that names nothing of the community and is mostly words the
            // knowledge base lacks ("红烧肉怎么做") is about something else, not a question the
            // documents leave open.
            let elsewhere = u.focus.is_empty() && u.aspects.is_empty() && ranked.unknown >= 0.5;
            let (outcome, text) = match u.request {
                Some(_) => (Outcome::OutOfScope, m.out_of_scope),
                None if elsewhere => (Outcome::OutOfScope, m.out_of_scope),
                None => (Outcome::Unknown, m.unknown),
            };
            let mut a = self.decline(lang, outcome, text.to_string());
            a.score = score;
            return Ok(a);
        };
        // A section that only mentions what is asked yields to one of the best that holds an
        // item labelled with it ("Ownership: …" in the list of principles, for "what is the
        // ownership principle?" when the summary names ownership among others).
        tracing::debug!("best {}", snap.heading_of(best.slot));
        let best = self
            .labelled_item(snap, hits, &best, u, &ranked.weights)
            .inspect(|l| tracing::debug!("a labelled item: {}", snap.heading_of(l.slot)))
            .unwrap_or(best);
        // Only a question that outlived two imports can miss its section: it is declined
        // like any other, not answered from a mix of generations.
        if snap.frozen.record(best.slot).is_none() {
            return Ok(self.decline(lang, Outcome::Unknown, m.unknown.to_string()));
        }
        let composer = compose::Composer {
            weights: &ranked.weights,
            understanding: u,
        };
        // A list spread over subsections ("Hero benefits" with one subsection per kind of
        // benefit) is answered from the parent section with its children's lists.
        let (slot, children, headless) = self.family(snap, &best, u);
        tracing::debug!(
            "answered from {} with {} children{}",
            snap.heading_of(slot),
            children.len(),
            if headless {
                ", as a heading's list"
            } else {
                ""
            }
        );
        let stored = snap.frozen.record(slot).expect("a slot of this snapshot");
        // Items written as sections under a heading with no text of its own are answered
        // (and cited) as that heading's list.
        let heading_alone;
        let no_units = compose::Analysed::default();
        let (section, analysed) = if headless {
            heading_alone = SectionRecord {
                doc: stored.doc.clone(),
                lang: stored.lang,
                title: stored.title.clone(),
                path: stored.path[..stored.path.len() - 1].to_vec(),
                text: String::new(),
                terms: Vec::new(),
            };
            (&heading_alone, &no_units)
        } else {
            (stored, snap.analysed(slot))
        };
        let composed = if children.is_empty() {
            composer.compose(section, analysed)
        } else {
            let heading_only: Vec<SectionRecord> = children
                .iter()
                .filter(|(_, h)| *h)
                .map(|&(c, _)| SectionRecord {
                    text: String::new(),
                    ..snap.frozen.record(c).expect("a slot").clone()
                })
                .collect();
            let mut bare = heading_only.iter();
            let family: Vec<(&SectionRecord, &compose::Analysed)> = children
                .iter()
                .map(|&(c, heading)| {
                    let rec = if heading {
                        bare.next().expect("one per heading-only child")
                    } else {
                        snap.frozen.record(c).expect("a slot")
                    };
                    (rec, snap.analysed(c))
                })
                .collect();
            let mut composed = composer.compose_family(analysed, &family);
            if headless && u.is(query::QType::Count) {
                // Each section is one of what is counted: "Quantos benefícios…" gets "São 7."
                let count = compose::count_line(section.lang, family.len(), false);
                composed.text = format!("{count}\n{}", composed.text);
            }
            composed
        };
        let source = Citation::of(section);
        let mut text = composed.text;
        // "Who runs NightTalk?" answered by a role's duties that never name the role: its
        // heading says who, so it leads ("技术出品人 (Track Owner)：" above the duties).
        if u.is(query::QType::Who) {
            if let Some(who) = who_the_heading_names(snap.analyzer.as_ref(), u, section, &text) {
                text = format!("{who}\n{text}");
            }
        }
        let mut also = Vec::new();
        // The facts a how-to, when or where question needs that the section does not hold
        // (when applications open, where to apply) come from the sections of the same
        // document that state them, each cited.
        for (extra, citation) in self.missing_facts(snap, hits, &best, section, u, &text)? {
            text.push('\n');
            text.push_str(&extra);
            if citation != source && !also.contains(&citation) {
                also.push(citation);
            }
        }
        // "What is the AWS Heroes program?" answered by a section within a document about
        // it ("What is an AWS Hero?") also gets the document's lead, when that defines it.
        if let Some((lead, citation)) = self.lead_of(snap, section, best.slot, u, &text) {
            text = format!("{lead}\n\n{text}");
            also.push(citation);
        }
        // A question that asks about two things ("the mission and the vision", "city
        // organizer and track owner") gets the second from its own section of the same
        // document when the first section does not say it.
        if composed.omitted == 0 || u.compares {
            for (extra, citation) in
                self.second_part(snap, hits, &best, section, u, &text, &composer)?
            {
                // Two programs compared, each part says which one it tells of.
                let extra = if u.compares {
                    let a = snap.analyzer.as_ref();
                    text = labelled(a, u, section.path.last(), section.lang, &text);
                    let own = citation.section.rsplit(" › ").next().map(str::to_string);
                    labelled(a, u, own.as_ref(), section.lang, &extra)
                } else {
                    extra
                };
                text.push_str("\n\n");
                text.push_str(&extra);
                if !also.contains(&citation) {
                    also.push(citation);
                }
            }
        }
        // A list whose topic a document in another language (not a version of this one)
        // lists too, with items of its own ("Hero benefits": four in the English notes, a
        // table in the Chinese ones): that list follows, in its language, said so. Not after
        // an answer in parts, which is long already.
        if let Some(a) = other.filter(|a| {
            best.lang == lang
                && composed.omitted == 0
                && also.is_empty()
                && !u.compares
                && replaceable(a)
                && snap.gen.sections[a.slot as usize].doc != snap.gen.sections[slot as usize].doc
        }) {
            if let Some((extra, citation)) =
                self.other_language_list(snap, a, &best, u, &composer, &text)
            {
                text.push_str("\n\n");
                text.push_str(&m.other_language_adds(a.lang));
                text.push('\n');
                text.push_str(&extra);
                also.push(citation);
            }
        }
        // Two programs compared with nothing else asked: beside what each is, how one gets
        // into each (one applies, the other is nominated), the difference members mean.
        if u.compares && u.aspects.is_empty() {
            let joins = self.how_each_joins(snap, u, section.lang, &text)?;
            if joins.len() == 2 {
                text.push_str("\n\n");
                text.push_str(Messages::of(section.lang).how_each_joins);
                for (line, citation) in joins {
                    text.push_str("\n- ");
                    text.push_str(&line);
                    if citation != source && !also.contains(&citation) {
                        also.push(citation);
                    }
                }
            }
        }
        if u.is(query::QType::YesNo) {
            let said = compose::yes_or_no(&snap.analyzer, u, &text, section.lang);
            let word = match said {
                Some(compose::YesNo::Said(word)) => Some(word),
                // A list under an introduction keeps its order.
                Some(compose::YesNo::SaidBy(word, _))
                    if !text.lines().next().is_some_and(compose::is_item_line) =>
                {
                    Some(word)
                }
                Some(compose::YesNo::SaidBy(word, line)) => {
                    // The item that says it leads; the rest follows as it was.
                    let mut lines: Vec<&str> = text.lines().collect();
                    let item = lines.remove(line);
                    text = std::iter::once(item)
                        .chain(lines)
                        .collect::<Vec<_>>()
                        .join("\n");
                    Some(word)
                }
                None => None,
            };
            if let Some(word) = word {
                // "Yes." before a list stands on a line of its own.
                let gap = if text.lines().next().is_some_and(compose::is_item_line) {
                    "\n"
                } else {
                    " "
                };
                text = format!("{word}{gap}{text}");
            }
        }
        let related = self.related(snap, hits, &best, &source, &also)?;
        Ok(Answer {
            outcome: Outcome::Answered,
            lang,
            text,
            answered_from: (best.lang != lang).then_some(best.lang),
            more: (composed.omitted > 0).then(|| source.clone()),
            omitted: composed.omitted,
            source: Some(source),
            also,
            related,
            score: best.coverage,
            suggestions: Vec::new(),
        })
    }

    /// A section among the best that holds a list item labelled with what the question is
    /// about, in `best`'s language, when `best`'s own headings do not name it.
    fn labelled_item(
        &self,
        snap: &Snapshot,
        hits: &[index::Hit],
        best: &index::Hit,
        u: &Understanding,
        weights: &rustc_hash::FxHashMap<String, f32>,
    ) -> Option<index::Hit> {
        if u.focus.is_empty() || u.compares || snap.analysed(best.slot).path_names_all(&u.focus) {
            return None;
        }
        let asked = |t: &str| weights.contains_key(t);
        hits.iter()
            .filter(|h| h.lang == best.lang && h.slot != best.slot)
            .filter(|h| h.score >= 0.3 * best.score && h.coverage >= best.coverage - 0.1)
            .find(|h| snap.analysed(h.slot).labels(&u.focus, &asked))
            .copied()
    }

    /// For a question that wants a whole list: the section that holds it with the
    /// subsections it is spread over. That is the best section's parent when the parent's
    /// heading names what is asked (its subsections then share the list), else the best
    /// section itself with its subsections; no children when there are none.
    fn family(
        &self,
        snap: &Snapshot,
        best: &index::Hit,
        u: &Understanding,
    ) -> (u32, Vec<(u32, bool)>, bool) {
        if !u.types.iter().any(|t| t.wants_list()) {
            return (best.slot, Vec::new(), false);
        }
        let record = |slot: u32| snap.frozen.record(slot).expect("a slot of this snapshot");
        let section = record(best.slot);
        let doc = snap.gen.sections[best.slot as usize].doc;
        let same_doc = snap.doc_slots(doc);
        let children_of = |path: &[String]| -> Vec<u32> {
            same_doc
                .iter()
                .copied()
                .filter(|&s| {
                    let p = &record(s).path;
                    p.len() == path.len() + 1 && p.starts_with(path)
                })
                .collect()
        };
        // A list of something ("which conditions…", "quais benefícios") is that list, not the
        // list of roles its section is one of: a bare "list" counts only when nothing more
        // precise is asked.
        let mut wanted: Vec<query::QType> =
            u.types.iter().copied().filter(|t| t.wants_list()).collect();
        if wanted.iter().any(|&t| t != query::QType::List) {
            wanted.retain(|&t| t != query::QType::List);
        }
        if section.path.len() > 2 {
            let parent_path = &section.path[..section.path.len() - 1];
            let parent = same_doc
                .iter()
                .copied()
                .find(|&s| record(s).path == parent_path);
            if let Some(parent) = parent {
                let meta = &snap.gen.sections[parent as usize];
                if meta.kinds.iter().any(|k| wanted.contains(k)) {
                    let children = children_of(parent_path);
                    return (
                        parent,
                        children.into_iter().map(|c| (c, false)).collect(),
                        false,
                    );
                }
            }
        }
        // "Benefícios de Participar…" with no text of its own, then one section per benefit
        // ("Networking Profissional", "Aprendizado Contínuo"…): when that heading names what
        // is asked, its sections are the list.
        if let [parent_path @ .., _] = section.path.as_slice() {
            let has_text = same_doc
                .iter()
                .any(|&s| record(s).path == parent_path && !record(s).text.trim().is_empty());
            // The heading is not the document's title (the sections of a document are not
            // one list), and the aspect it names is a list's kind (benefits, duties,
            // requirements). Its words are read last, only when the rest holds.
            let titled = parent_path.len() == 1 && parent_path[0] == section.title;
            let siblings = if has_text || titled {
                Vec::new()
            } else {
                children_of(parent_path)
            };
            let names_asked = || {
                let heading_terms: Vec<String> = parent_path
                    .last()
                    .map(|h| {
                        snap.analyzer
                            .analyze(h, section.lang)
                            .into_iter()
                            .map(|t| t.term)
                            .collect()
                    })
                    .unwrap_or_default();
                u.aspects.iter().any(|a| {
                    heading_terms.contains(a)
                        && snap.analyzer.qtype_of(a).is_some_and(|t| t.wants_list())
                })
            };
            if siblings.len() >= 3 && names_asked() {
                return (
                    best.slot,
                    siblings.into_iter().map(|c| (c, false)).collect(),
                    true,
                );
            }
        }
        let children = children_of(&section.path);
        if !children.is_empty() {
            return (
                best.slot,
                children.into_iter().map(|c| (c, false)).collect(),
                false,
            );
        }
        if !section.text.lines().any(compose::is_item_line) {
            // Items written as numbered sibling sections ("Principle 1: …", "准则一：…"),
            // introduced by this one: their headings are the items.
            let parent = &section.path[..section.path.len().saturating_sub(1)];
            let prefix = |s: u32| {
                record(s)
                    .path
                    .last()
                    .and_then(|h| compose::numbered_heading(h))
                    .map(|(p, _)| p)
            };
            let siblings: Vec<u32> = children_of(parent)
                .into_iter()
                .filter(|&s| s != best.slot && prefix(s).is_some())
                .collect();
            let first = siblings.first().and_then(|&s| prefix(s));
            // An introduction comes before them: a section after the list ("how the programs
            // complement each other") is not its heading.
            let at = |slot: u32| same_doc.iter().position(|&s| s == slot);
            let introduces = siblings.first().is_some_and(|&s| at(best.slot) < at(s));
            if siblings.len() >= 3 && introduces && siblings.iter().all(|&s| prefix(s) == first) {
                return (
                    best.slot,
                    siblings.into_iter().map(|s| (s, true)).collect(),
                    false,
                );
            }
        }
        (best.slot, Vec::new(), false)
    }

    /// Sentences of other sections of the answer's document (or about its program) that
    /// state what the question asks and the answer lacks: a date for "when", an address
    /// for "where", both for "how do I join".
    fn missing_facts(
        &self,
        snap: &Snapshot,
        hits: &[index::Hit],
        best: &index::Hit,
        section: &SectionRecord,
        u: &Understanding,
        shown: &str,
    ) -> Result<Vec<(String, Citation)>, IndexError> {
        use query::QType;
        let a = snap.analyzer.as_ref();
        let mut needs = Vec::new();
        if (u.is(QType::When) || u.is(QType::HowTo)) && !compose::has_time(a, shown) {
            needs.push(compose::Need::Time);
        }
        if (u.is(QType::Where) || u.is(QType::HowTo)) && !shown.contains("://") {
            needs.push(compose::Need::Link);
        }
        if needs.is_empty() {
            return Ok(Vec::new());
        }
        let best_doc = snap.gen.sections[best.slot as usize].doc;
        let mut out = Vec::new();
        for need in needs {
            // The sections of the same document, best-ranked first, then the rest of the
            // document in order.
            let mut slots: Vec<u32> = hits
                .iter()
                .filter(|h| h.slot != best.slot && h.lang == best.lang)
                .filter(|h| snap.gen.sections[h.slot as usize].doc == best_doc)
                .map(|h| h.slot)
                .collect();
            for &i in snap.doc_slots(best_doc) {
                if i != best.slot && !slots.contains(&i) {
                    slots.push(i);
                }
            }
            for slot in slots.into_iter().take(24) {
                // A date tells when one joins only in a section on joining: "Heroes attend
                // re:Invent every year" names attending, "the program has run for 10 years"
                // dates the program.
                let meta = &snap.gen.sections[slot as usize];
                let on_it = meta.kinds.contains(&QType::HowTo)
                    || u.aspects.iter().any(|t| snap.analysed(slot).path_names(t));
                if need == compose::Need::Time && !on_it {
                    continue;
                }
                let Some(other) = snap.frozen.record(slot) else {
                    continue;
                };
                if let Some(sentence) = compose::fact_sentence(u, snap.analysed(slot), need) {
                    if !shown.contains(&sentence) && !out.iter().any(|(s, _)| *s == sentence) {
                        out.push((sentence, Citation::of(other)));
                        break;
                    }
                }
            }
        }
        let _ = section;
        Ok(out)
    }

    /// For a list question (benefits, duties, requirements, "list all") answered in the
    /// asker's language, the list of another language's section headed with the same
    /// program and aspect, when it holds at least as many items as the answer shows.
    fn other_language_list(
        &self,
        snap: &Snapshot,
        other: &index::Hit,
        best: &index::Hit,
        u: &Understanding,
        composer: &compose::Composer,
        shown: &str,
    ) -> Option<(String, Citation)> {
        use query::QType;
        let listed = u.types.iter().any(|t| {
            matches!(
                t,
                QType::List | QType::Benefits | QType::Duties | QType::Requirements
            )
        });
        let headed = |h: &index::Hit| {
            h.signals.aspect >= 1.3
                && h.signals.focus >= 1.0
                && snap.analysed(h.slot).path_names_all(&u.focus)
        };
        // Both headed with the same aspect asked: "志愿者有啥好处，怎么加入" answered by how
        // to join is no list of benefits to add to.
        let same_aspect = u.aspects.iter().any(|t| {
            snap.analysed(best.slot).path_names(t) && snap.analysed(other.slot).path_names(t)
        });
        if !listed
            || u.is(QType::YesNo)
            || u.is(QType::Count)
            || !same_aspect
            || !headed(best)
            || !headed(other)
        {
            return None;
        }
        // The same list in the other language (the seven Hero categories, named alike in
        // both) adds nothing.
        let shown: rustc_hash::FxHashSet<String> = snap
            .analyzer
            .analyze(shown, best.lang)
            .into_iter()
            .map(|t| t.term)
            .collect();
        let asked: Vec<String> = u.focus.iter().chain(&u.aspects).cloned().collect();
        let (again, items) = snap.analysed(other.slot).items_said_in(&shown, &asked);
        let shown_items = snap.gen.sections[best.slot as usize].items as usize;
        if items < 2 || items < shown_items || 2 * again >= items {
            return None;
        }
        let record = snap.frozen.record(other.slot)?;
        let composed = composer.compose(record, snap.analysed(other.slot));
        (composed.omitted == 0 && !composed.text.is_empty())
            .then(|| (composed.text, Citation::of(record)))
    }

    /// For a question asking only what one program is, the opening paragraph of the
    /// nearest section above the answer's whose headings name the program, when that
    /// paragraph names it too; cited.
    fn lead_of(
        &self,
        snap: &Snapshot,
        section: &SectionRecord,
        slot: u32,
        u: &Understanding,
        shown: &str,
    ) -> Option<(String, Citation)> {
        let [focus] = u.focus.as_slice() else {
            return None;
        };
        if u.types != [query::QType::Definition] || u.compares || !u.aspects.is_empty() {
            return None;
        }
        let doc = snap.gen.sections[slot as usize].doc;
        let (above, record) = snap
            .doc_slots(doc)
            .iter()
            .filter_map(|&s| Some((s, snap.frozen.record(s)?)))
            .filter(|(_, r)| r.path.len() < section.path.len() && section.path.starts_with(&r.path))
            .filter(|&(s, _)| snap.analysed(s).path_names(focus))
            .max_by_key(|(_, r)| r.path.len())?;
        let line = snap.analysed(above).lead_naming(focus)?;
        let lead = record.text.lines().nth(line)?.trim();
        (!lead.is_empty() && !shown.contains(lead))
            .then(|| (lead.to_string(), Citation::of(record)))
    }

    /// For a question naming two programs or two aspects, the part the answer's section
    /// leaves out: the best-ranked section of the same document whose headings name it.
    #[allow(clippy::too_many_arguments)]
    fn second_part(
        &self,
        snap: &Snapshot,
        hits: &[index::Hit],
        best: &index::Hit,
        section: &SectionRecord,
        u: &Understanding,
        shown: &str,
        composer: &compose::Composer,
    ) -> Result<Vec<(String, Citation)>, IndexError> {
        const TYPE_TERMS: [&str; 7] = [
            "@count", "@when", "@link", "@what", "@apply", "@benefit", "@duty",
        ];
        let a = snap.analyzer.as_ref();
        let asked: Vec<&String> = u
            .focus
            .iter()
            .chain(u.aspects.iter())
            .filter(|t| !TYPE_TERMS.contains(&t.as_str()))
            .collect();
        if asked.len() < 2 {
            return Ok(Vec::new());
        }
        // Compared, a program is told of by its own section, not by a mention in the other's.
        let shown_terms = if u.compares {
            Vec::new()
        } else {
            snap.analysed(best.slot)
                .terms_of_shown(a, shown, section.lang)
        };
        // Compared, only the section's own heading says which program it tells of ("What
        // AWS Cloud Clubs are" in a document about Clubs and Captains).
        let headings: Vec<String> = if u.compares {
            section
                .path
                .last()
                .map(|h| a.analyze(h, section.lang))
                .unwrap_or_default()
                .into_iter()
                .map(|t| t.term)
                .collect()
        } else {
            snap.analysed(best.slot).path_terms().to_vec()
        };
        let said: rustc_hash::FxHashSet<String> = shown_terms.into_iter().chain(headings).collect();
        let missing: Vec<&String> = asked.into_iter().filter(|t| !said.contains(*t)).collect();
        if missing.is_empty() {
            return Ok(Vec::new());
        }
        let best_doc = snap.gen.sections[best.slot as usize].doc;
        // Two programs compared with nothing else asked: what the other one is.
        let defines = |h: &index::Hit| snap.gen.sections[h.slot as usize].says_what_it_is();
        let definition_wanted = u.compares && u.aspects.is_empty();
        let pick = |candidates: &[&index::Hit], strict: bool| {
            for h in candidates {
                if h.slot == best.slot || h.lang != best.lang || (strict && !defines(h)) {
                    continue;
                }
                // Two programs compared are usually told of in two documents.
                if snap.gen.sections[h.slot as usize].doc != best_doc && !u.compares {
                    continue;
                }
                let Some(other) = snap.frozen.record(h.slot) else {
                    continue;
                };
                let analysed = snap.analysed(h.slot);
                // Compared, the other program's own section: not one about several programs
                // (the growth path names them all; "AWS User Group Leaders" names one more).
                // Its own heading says so; its document's title may name more.
                let only_asked = || {
                    other
                        .path
                        .last()
                        .map(|h| a.analyze(h, other.lang))
                        .unwrap_or_default()
                        .iter()
                        .filter(|t| a.is_entity(&t.term) && !u.focus.contains(&t.term))
                        .count()
                        <= 1
                };
                // Not compared, it is about the program asked, not another of the same
                // document (a speaker's preparation is no city organizer's requirements).
                let best_path = snap.analysed(best.slot).path_terms();
                let about_focus = u.compares
                    || analysed
                        .path_terms()
                        .iter()
                        .all(|t| !a.is_entity(t) || u.focus.contains(t) || best_path.contains(t));
                if about_focus
                    && missing.iter().any(|m| analysed.path_names(m))
                    && (!u.compares || only_asked())
                {
                    let part = composer.compose(other, analysed);
                    // Nothing but an introduction to items it leaves out adds nothing.
                    let bare_intro = !part.text.contains('\n') && compose::opens_items(&part.text);
                    if part.text.is_empty() || bare_intro || shown.contains(&part.text) {
                        continue;
                    }
                    let citation = Citation::of(other);
                    return Some((part.text, citation));
                }
            }
            None
        };
        let candidates: Vec<&index::Hit> = hits.iter().take(20).collect();
        if let Some(found) = pick(&candidates, definition_wanted) {
            return Ok(vec![found]);
        }
        if !u.compares {
            return Ok(Vec::new());
        }
        // The other program's own section can rank low for the pair: it is asked for alone,
        // with what else the question asks.
        let mut alone = u.clone();
        alone.focus.retain(|f| missing.contains(&f));
        alone.compares = false;
        let terms: Vec<QueryTerm> = query_terms(u, snap)
            .into_iter()
            .filter(|t| t.kind == analysis::Kind::Concept)
            .filter(|t| !a.is_entity(&t.term) || missing.contains(&&t.term))
            .collect();
        if alone.focus.is_empty() || terms.is_empty() {
            return Ok(Vec::new());
        }
        let ranked = index::rank_overall(snap, &terms, best.lang, &alone, CANDIDATES)?;
        let alone: Vec<&index::Hit> = ranked.hits.iter().take(20).collect();
        if let Some(found) = pick(&alone, definition_wanted) {
            return Ok(vec![found]);
        }
        // No section says what the other one is: its own section then ("Principle 10:
        // Frugality" beside "Principle 9: Bias for Action"), when the first part was one too.
        let ids_of = |terms: &[&String]| -> Vec<u32> {
            terms.iter().filter_map(|t| snap.frozen.id(t)).collect()
        };
        let missing_ids = ids_of(&missing);
        let focus_ids = ids_of(&u.focus.iter().collect::<Vec<_>>());
        let heading_names = |slot: u32, ids: &[u32]| {
            snap.table
                .heading(slot)
                .filter(|(id, entity)| *entity && ids.contains(id))
                .count()
        };
        if !definition_wanted || heading_names(best.slot, &focus_ids) != 1 {
            return Ok(Vec::new());
        }
        // Beside a section of some kind (the speaker's duties), the other program's section
        // of that kind (the track owner's duties); beside a plain one, a plain one.
        let parallel = |h: &index::Hit| {
            let (first, other) = (
                &snap.gen.sections[best.slot as usize],
                &snap.gen.sections[h.slot as usize],
            );
            if first.heading_asks {
                other.heading_asks && other.kinds.iter().any(|k| first.kinds.contains(k))
            } else {
                !other.heading_asks
            }
        };
        let named: Vec<&index::Hit> = alone
            .into_iter()
            .filter(|h| heading_names(h.slot, &missing_ids) == 1)
            .collect();
        let own: Vec<&index::Hit> = named.iter().copied().filter(|h| parallel(h)).collect();
        // Else the other program's section under its own name, which tells what it is
        // without saying "is" ("2. AWS Community Builders: Overview…" beside "What is an AWS
        // Hero?"), rather than nothing of it.
        let plain = || -> Vec<&index::Hit> {
            named
                .iter()
                .copied()
                .filter(|h| !snap.gen.sections[h.slot as usize].heading_asks)
                .collect()
        };
        Ok(pick(&own, false)
            .or_else(|| pick(&plain(), false))
            .into_iter()
            .collect())
    }

    /// For each program compared, the first sentence of its own section on joining it, in
    /// `lang`, labelled with the program's document title when the sentence does not name
    /// it; nothing for a program with no such section.
    fn how_each_joins(
        &self,
        snap: &Snapshot,
        u: &Understanding,
        lang: Lang,
        shown: &str,
    ) -> Result<Vec<(String, Citation)>, IndexError> {
        const JOINING: [&str; 3] = ["@apply", "@referral", "@selection"];
        let a = snap.analyzer.as_ref();
        let mut out = Vec::new();
        for program in &u.focus {
            let ranked = rank_alone(
                snap,
                u,
                program,
                Some(JOINING[0]),
                query::QType::HowTo,
                lang,
                10,
            )?;
            let joining = ranked.hits.iter().find(|h| {
                let meta = &snap.gen.sections[h.slot as usize];
                h.lang == lang
                    && meta.kinds.contains(&query::QType::HowTo)
                    && snap.analysed(h.slot).path_names(program)
            });
            let Some(h) = joining else { continue };
            let Some(record) = snap.frozen.record(h.slot) else {
                continue;
            };
            let Some(sentence) = compose::first_naming(snap.analysed(h.slot), &JOINING) else {
                continue;
            };
            if shown.contains(&sentence) {
                continue;
            }
            let names_it = a
                .analyze(&sentence, lang)
                .iter()
                .any(|t| t.term == *program);
            let line = if names_it {
                sentence
            } else {
                let colon = if lang == Lang::Zh { "：" } else { ": " };
                format!("{}{colon}{sentence}", record.title)
            };
            let citation = Citation::of(record);
            out.push((line, citation));
        }
        Ok(out)
    }

    /// Related topics: other sections that answer part of the question, those of the
    /// answer's own document first (its neighbours are what a reader looks at next).
    fn related(
        &self,
        snap: &Snapshot,
        hits: &[index::Hit],
        best: &index::Hit,
        source: &Citation,
        also: &[Citation],
    ) -> Result<Vec<Citation>, IndexError> {
        let best_doc = snap.gen.sections[best.slot as usize].doc;
        let mut candidates: Vec<&index::Hit> = hits
            .iter()
            .filter(|h| h.slot != best.slot && h.lang == best.lang)
            .filter(|h| h.score >= best.score * 0.1 && h.coverage >= 0.2)
            .take(12)
            .collect();
        candidates.sort_by_key(|h| snap.gen.sections[h.slot as usize].doc != best_doc);
        let mut related = Vec::new();
        for h in candidates {
            if related.len() == 3 {
                break;
            }
            if let Some(s) = snap.frozen.record(h.slot) {
                let c = Citation::of(s);
                if c.section != source.section && !also.contains(&c) && !related.contains(&c) {
                    related.push(c);
                }
            }
        }
        Ok(related)
    }

    /// The best sections for a question, best first, with how much of it each covers and
    /// the signals that ranked it: the retrieval step of [`KnowledgeBase::ask`], for
    /// diagnostics and tests.
    pub fn search(&self, question: &str, limit: usize) -> Result<Vec<Retrieved>, IndexError> {
        let snap = self.current();
        let u = self.understand(question, &snap);
        let lang = u.lang;
        let terms = query_terms(&u, &snap);
        let ranked = index::rank(&snap, &terms, lang, &u, limit.max(CANDIDATES))?;
        let mut hits = ranked.hits;
        // As `ask` chooses: sections that may answer in the question's language come first.
        hits.sort_by_key(|h| !(h.lang == lang && self.fits(&snap, h, &u, ranked.unknown)));
        let mut out = Vec::new();
        for h in hits.into_iter().take(limit) {
            if let Some(section) = snap.frozen.record(h.slot).cloned() {
                out.push(Retrieved {
                    answers: self.fits(&snap, &h, &u, ranked.unknown),
                    section,
                    coverage: h.coverage,
                    shared: h.neutral,
                    signals: h.signals,
                });
            }
        }
        Ok(out)
    }

    /// How a question is understood (language, question, type, focus, request) and the
    /// index terms ranking sees.
    pub fn explain(&self, question: &str) -> Explained {
        let snap = self.current();
        let u = self.understand(question, &snap);
        let terms = query_terms(&u, &snap);
        let unknown = index::rank(&snap, &terms, u.lang, &u, 1).map_or(0.0, |r| r.unknown);
        Explained {
            terms: terms.into_iter().map(|t| t.term).collect(),
            unknown,
            understanding: u,
        }
    }

    /// Whether a message asks for the member's own next step on the growth path ("what
    /// should I do next?", "o que eu faço agora?", "我下一步该做什么"), and in which language.
    pub fn asks_for_next_step(&self, message: &str) -> Option<Lang> {
        let snap = self.current();
        let u = snap
            .analyzer
            .understand(message, self.settings.fallback_lang);
        (u.next_step && u.request.is_none()).then_some(u.lang)
    }

    /// A message as ranking reads it, with typos corrected against this generation's words.
    fn understand(&self, message: &str, snap: &Snapshot) -> Understanding {
        snap.analyzer
            .understand_with(message, self.settings.fallback_lang, &|s, lang| {
                correct_typos(s, snap, lang)
            })
    }

    fn decline(&self, lang: Lang, outcome: Outcome, text: String) -> Answer {
        let suggestions = if matches!(outcome, Outcome::TooLong | Outcome::Empty) {
            Vec::new()
        } else {
            self.current().suggestions(lang).to_vec()
        };
        Answer {
            outcome,
            lang,
            text,
            answered_from: None,
            source: None,
            also: Vec::new(),
            more: None,
            omitted: 0,
            related: Vec::new(),
            score: 0.0,
            suggestions,
        }
    }
}

/// What `kb terms` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explained {
    pub understanding: Understanding,
    pub terms: Vec<String>,
    /// The share of the question's weight in words the knowledge base does not have.
    pub unknown: f32,
}

impl std::fmt::Display for Explained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.understanding)?;
        write!(
            f,
            "terms: {}\nunknown to the knowledge base: {:.0}% of the question",
            self.terms.join(" "),
            100.0 * self.unknown
        )
    }
}

/// A part of an answer under its section's own heading ("Track owner:"), unless its first
/// line already names one of the programs compared.
fn labelled(
    a: &analysis::Analyzer,
    u: &Understanding,
    heading: Option<&String>,
    lang: Lang,
    text: &str,
) -> String {
    let first = text.lines().next().unwrap_or("");
    let names_one = a
        .analyze(first, lang)
        .iter()
        .any(|t| u.focus.contains(&t.term));
    let Some(heading) = heading.filter(|_| !names_one) else {
        return text.to_string();
    };
    // "Principle 10: Frugality" is labelled "Frugality".
    let name = match heading.split_once([':', '：']) {
        Some((_, rest)) if !rest.trim().is_empty() => rest.trim().to_string(),
        _ => index::without_ordinal(heading),
    };
    if name.is_empty() {
        return text.to_string();
    }
    let colon = if lang == Lang::Zh { "：" } else { ":" };
    format!("{name}{colon}\n{text}")
}

/// The first of some ranked sections; for a comparison, the first about one of the two
/// programs (`about_one(hit, strict)`), strictly first, then loosely.
fn first_of<'h>(
    hits: impl Iterator<Item = &'h index::Hit>,
    compare: bool,
    about_one: impl Fn(&&'h index::Hit, bool) -> bool,
) -> Option<&'h index::Hit> {
    let hits: Vec<&index::Hit> = hits.collect();
    if !compare {
        return hits.first().copied();
    }
    let find = |strict| hits.iter().copied().find(|h| about_one(h, strict));
    find(true)
        .or_else(|| find(false))
        .or_else(|| hits.first().copied())
}

/// The `keep` best sections for one program of `u` alone, asked as a question of type
/// `qtype` about `aspect` (none: what the program is), `lang` first.
fn rank_alone(
    snap: &Snapshot,
    u: &Understanding,
    program: &str,
    aspect: Option<&str>,
    qtype: query::QType,
    lang: Lang,
    keep: usize,
) -> Result<index::Ranked, IndexError> {
    let concept = aspect.unwrap_or("@what");
    let mut alone = u.clone();
    alone.focus = vec![program.to_string()];
    if let Some(aspect) = aspect {
        alone.aspects = vec![aspect.to_string()];
    }
    alone.types = vec![qtype];
    alone.compares = false;
    let terms: Vec<QueryTerm> = [program, concept]
        .into_iter()
        .map(|t| QueryTerm {
            term: t.to_string(),
            kind: analysis::Kind::Concept,
            corrected: false,
        })
        .collect();
    index::rank_overall(snap, &terms, lang, &alone, keep)
}

/// Whether the knowledge base has words for most of `thing` (folded, from the question),
/// beyond the programs it names: a concept of the lexicon or a word of one of its forms
/// ("club" of "cloud club"), a word or Chinese pair that sections in the question's language
/// hold (Portuguese "age", he acts, is no English "age"). A lone Chinese character left
/// between concepts ("表" of "申请表") says too little to count.
/// Whether a message asks only what two things it names side by side are ("Think Big e Bias
/// for Action", "Heroes and Community Builders"): joined by "and" and nothing else, not
/// one named within the other ("the Dive Deep leadership principle").
fn each_asked_for_what_it_is(snap: &Snapshot, u: &Understanding) -> bool {
    const AND: [&str; 10] = ["and", "e", "&", "和", "与", "跟", "及", "以及", ",", "、"];
    if u.compares
        || u.focus.len() != 2
        || !u.aspects.is_empty()
        || !u
            .types
            .iter()
            .all(|t| matches!(t, query::QType::Definition | query::QType::Other))
    {
        return false;
    }
    let found: Vec<(usize, usize, &str)> = snap
        .analyzer
        .concepts_in(&u.question)
        .into_iter()
        .filter(|(_, _, t)| u.focus.iter().any(|f| f == t))
        .collect();
    found.windows(2).any(|w| {
        let ((_, end, first), (start, _, second)) = (w[0], w[1]);
        first != second && start >= end && AND.contains(&u.question[end..start].trim())
    })
}

fn knows_thing(snap: &Snapshot, u: &Understanding, thing: &str) -> bool {
    let a = snap.analyzer.as_ref();
    let tokens: Vec<analysis::Token> = a
        .analyze_folded(thing, u.lang)
        .into_iter()
        .filter(|t| t.kind != analysis::Kind::Synonym && !u.focus.contains(&t.term))
        .collect();
    let lone_han =
        |t: &analysis::Token| t.kind == analysis::Kind::Han && t.term.chars().count() < 2;
    let counted: Vec<&analysis::Token> = if tokens.iter().all(lone_han) {
        tokens.iter().collect()
    } else {
        tokens.iter().filter(|t| !lone_han(t)).collect()
    };
    let in_lexicon = |term: &str| {
        thing
            .split(|c: char| !c.is_alphanumeric() || lang::is_han(c))
            .filter(|w| a.is_lexicon_word(w))
            .any(|w| a.analyze_folded(w, u.lang).iter().any(|t| t.term == term))
    };
    let known = counted
        .iter()
        .filter(|t| {
            t.kind == analysis::Kind::Concept
                || snap
                    .frozen
                    .id(&t.term)
                    .is_some_and(|id| snap.frozen.langs(id)[u.lang.index()])
                || (t.kind == analysis::Kind::Word && in_lexicon(&t.term))
        })
        .count();
    counted.is_empty() || known * 2 > counted.len()
}

pub(crate) fn query_terms(u: &Understanding, snap: &Snapshot) -> Vec<QueryTerm> {
    let (folded, lang) = (&u.content, u.lang);
    let a = snap.analyzer.as_ref();
    // A guessed word counts half; so does its concept unless the guess only restored a
    // missing letter.
    let corrected: Vec<String> = u
        .corrections
        .iter()
        .flat_map(|(w, missing_letter)| {
            a.analyze_folded(w, lang)
                .into_iter()
                .filter(move |t| !missing_letter || t.kind != analysis::Kind::Concept)
        })
        .map(|t| t.term)
        .collect();
    let mut terms: Vec<QueryTerm> = a
        .analyze_folded(folded, lang)
        .into_iter()
        .map(|t| QueryTerm {
            corrected: corrected.contains(&t.term),
            term: t.term,
            kind: t.kind,
        })
        .collect();
    for term in a.fuzzy_cjk_concepts(folded) {
        if !terms.iter().any(|t| t.term == term) {
            terms.push(QueryTerm {
                term,
                kind: analysis::Kind::Concept,
                corrected: false,
            });
        }
    }
    terms
}

/// Whether `text` names `subject` (folded): as the start of a word in Latin script
/// ("earn" in "earns", not in "learn"), anywhere in Chinese.
fn names(text: &str, subject: &str) -> bool {
    let text = analysis::fold(text);
    if subject.chars().any(lang::is_han) {
        return text.contains(subject);
    }
    text.match_indices(subject).any(|(i, _)| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(analysis::is_word_char)
    })
}

/// Replaces question words the knowledge base does not know by a known word one edit
/// away; returns the new text and the words put in. A word whose stem the knowledge base
/// has ("perks", "kinds", "programa") is another form of a known word, not a typo.
fn correct_typos(folded: &str, snap: &Snapshot, lang: Lang) -> (String, Vec<(String, bool)>) {
    let a = snap.analyzer.as_ref();
    let mut out = String::with_capacity(folded.len());
    let mut fixes = Vec::new();
    let mut last = 0;
    for (s, e) in latin_words(folded) {
        let w = &folded[s..e];
        if w.chars().count() < 4
            || !w.chars().all(char::is_alphabetic)
            || a.is_stopword(w)
            || a.is_lexicon_word(w)
            || a.is_number_word(w)
        {
            continue;
        }
        // A word whose stem the knowledge base has is a form of a known word, not a typo,
        // unless it is a community word with a letter left out inside ("volunter") that the
        // knowledge base never writes.
        let fix = if snap.frozen.id(&a.stem(w, lang)).is_some() {
            if snap.knows_word(w) {
                continue;
            }
            snap.lexicon_typo()
                .lexicon_word_missing_a_letter(w)
                .filter(|_| !shipped::is_word_of(w, lang))
                .map(|f| (f, true))
        } else if shipped::is_word_of(w, lang) {
            continue;
        } else {
            snap.typo().correct(w)
        };
        // A fix is a word of the question's language: "paid" is no misspelt Portuguese
        // "país" in an English question.
        let in_lang = |fix: &str| {
            snap.frozen
                .id(&a.stem(fix, lang))
                .is_some_and(|t| snap.frozen.langs(t)[lang.index()])
        };
        let fix = fix.filter(|&(f, missing_letter)| missing_letter || in_lang(f));
        if let Some((fix, missing_letter)) = fix {
            out.push_str(&folded[last..s]);
            out.push_str(fix);
            fixes.push((fix.to_string(), missing_letter));
            last = e;
        }
    }
    out.push_str(&folded[last..]);
    (out, fixes)
}

/// The heading of `section` as a label ("技术出品人 (Track Owner)："), when it names a program
/// or role, nothing the question names, and the answer `text` never names it.
fn who_the_heading_names(
    a: &analysis::Analyzer,
    u: &Understanding,
    section: &SectionRecord,
    text: &str,
) -> Option<String> {
    let heading = index::without_ordinal(section.path.last()?);
    let terms = a.analyze(&heading, section.lang);
    // A heading about what is asked ("AWS Cloud Captains" for who they are) is no "who".
    if section.path.len() < 2 || terms.iter().any(|t| u.focus.contains(&t.term)) {
        return None;
    }
    let named: Vec<String> = terms
        .into_iter()
        .map(|t| t.term)
        .filter(|t| a.is_entity(t))
        .collect();
    if named.is_empty() {
        return None;
    }
    let said = a.analyze(text, section.lang);
    if said.iter().any(|t| named.contains(&t.term)) {
        return None;
    }
    let colon = if section.lang == Lang::Zh { "：" } else { ":" };
    Some(format!("{}{colon}", heading.trim_end_matches([':', '：'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb_with(dir: &std::path::Path, store: Arc<dyn Store>) -> KnowledgeBase {
        let kb = KnowledgeBase::open(store, Settings::default()).unwrap();
        kb.sync_exact(&[dir.to_path_buf()]).unwrap();
        kb
    }

    fn write(dir: &std::path::Path, name: &str, text: &[u8]) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Ranking leaves sections out without scoring them only when they cannot be among the
    /// best: the best sections, their order and their scores are those of scoring them all.
    #[test]
    fn pruned_ranking_keeps_exactly_the_best_sections() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        let snap = kb.current();
        let mut questions = vec![
            "How do I become a Community Builder?".to_string(),
            "when do applications open".into(),
            "怎么成为社区建设者？".into(),
            "quantos heróis existem".into(),
        ];
        for half in ["tune", "dev"] {
            for lang in ["en", "zh", "pt"] {
                let path = root.join(format!("eval/chat/{half}/{lang}.toml"));
                let text = std::fs::read_to_string(path).unwrap();
                let set: toml::Value = toml::from_str(&text).unwrap();
                for q in set["question"].as_array().unwrap() {
                    questions.push(q["q"].as_str().unwrap().to_string());
                }
            }
        }
        let mut pruned_any = 0;
        for q in &questions {
            let u = kb.understand(q, &snap);
            let terms = query_terms(&u, &snap);
            let all = index::rank(&snap, &terms, u.lang, &u, usize::MAX).unwrap();
            for keep in [1, CANDIDATES] {
                let some = index::rank(&snap, &terms, u.lang, &u, keep).unwrap();
                pruned_any += usize::from(some.hits.len() < all.hits.len());
                let top = |r: &index::Ranked| -> Vec<(u32, u32)> {
                    r.hits
                        .iter()
                        .take(keep)
                        .map(|h| (h.slot, h.score.to_bits()))
                        .collect()
                };
                assert_eq!(top(&some), top(&all), "{q:?}, keeping {keep}");
                let overall = index::rank_overall(&snap, &terms, u.lang, &u, keep).unwrap();
                assert_eq!(top(&overall), top(&all), "{q:?}, keeping {keep} overall");
                for lang in Lang::ALL {
                    let first =
                        |r: &index::Ranked| r.hits.iter().find(|h| h.lang == lang).map(|h| h.slot);
                    assert_eq!(first(&some), first(&all), "{q:?} in {lang}");
                }
            }
        }
        assert!(pruned_any > 0, "no question left any section out");
    }

    #[test]
    fn roles_compared_are_told_of_by_their_own_labelled_sections() {
        // One document, in Chinese only, names both roles in an overview and gives each a
        // section of labelled parts ("职责："), the way an operator's notes are written.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "roles.md",
            "# 角色\n\n## 用户组负责人 UGL\n\n### UGL 类型\n\n#### 1. 城市组织者\n\n\
             **职责：**\n- 担任成员的主要联系人\n- 每季度举办一次活动\n\n\
             #### 2. 技术出品人 (Track Owner)\n\n**主要任务：**\n1. 制订话题方向\n\
             2. 审查分享内容，拥有否决权\n\n## 会员\n\n### 成长路径\n\n\
             会员可以成为城市组织者，再成为技术出品人。\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "城市组织者和技术出品人有啥区别",
            "whats the diff between city organizer and track owner",
            "qual a diferença entre organizador de cidade e curador técnico?",
        ] {
            let a = kb.ask(q).unwrap();
            for fact in ["主要联系人", "否决权"] {
                assert!(
                    a.text.contains(fact),
                    "{q}: {fact} missing from\n{}",
                    a.render()
                );
            }
            // Each part says which role it tells of.
            assert!(a.text.contains("城市组织者：\n"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn a_list_asked_of_one_numbered_role_is_that_roles_not_every_roles() {
        // The roles are numbered sections under "types"; "which duties" is a list question,
        // but the list asked is the one role's duties, not the list of roles.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "roles.md",
            "# 角色\n\n## 用户组负责人 UGL\n\n### UGL 类型\n\n#### 1. 城市组织者\n\n\
             **职责：**\n- 担任成员的主要联系人\n- 每季度举办一次活动\n\n\
             #### 2. 技术出品人 (Track Owner)\n\n**主要任务：**\n1. 制订话题方向\n\
             2. 审查分享内容，拥有否决权\n\n#### 3. 技术专家演讲者 (Speaker)\n\n\
             1. 准备分享内容\n2. 分享真实案例\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "城市组织者的职责有哪些？",
            "what are the duties of a city organizer?",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("主要联系人"), "{q}:\n{}", a.render());
            assert!(!a.text.contains("否决权"), "{q}:\n{}", a.render());
        }
        // Asked for the roles themselves, the numbered sections are the list.
        let a = kb.ask("UGL 有哪些类型？").unwrap();
        for role in ["城市组织者", "技术出品人", "技术专家演讲者"] {
            assert!(a.text.contains(role), "{role}:\n{}", a.render());
        }
    }

    #[test]
    fn who_is_said_by_the_heading_when_the_items_never_name_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "roles.md",
            "# 角色\n\n## 角色类型\n\n### 1. 城市组织者\n\n- 每季度办一次聚会\n- 寻找场地\n\n\
             ### 2. 技术出品人\n\n主要任务：\n1. 挑选每季的分享主题\n2. 主持 NightTalk 线上夜谈\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in ["NightTalk 是谁组织的？", "who runs NightTalk?"] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("技术出品人："), "{q}:\n{}", a.render());
            assert!(a.text.contains("线上夜谈"), "{q}:\n{}", a.render());
        }
        // Asked what a role does, its own heading is not repeated as a label.
        let a = kb.ask("技术出品人的主要任务是什么？").unwrap();
        assert!(!a.text.contains("技术出品人："), "{}", a.render());
    }

    #[test]
    fn of_lists_under_labels_the_one_labelled_with_what_is_asked_answers() {
        // The duties share a word with the question ("担任"); the requirements are asked.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "organizer.md",
            "# 角色\n\n## 城市组织者\n\n职责：\n- 担任本地活动的主持人\n- 每月发一次活动通知\n\n\
             要求：\n- 熟悉本地开发者社区\n- 每周能投入半天时间\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("担任城市组织者需要具备哪些条件？").unwrap();
        assert!(a.text.contains("半天"), "{}", a.render());
        assert!(!a.text.contains("主持人"), "{}", a.render());
        let a = kb.ask("城市组织者的职责有哪些？").unwrap();
        assert!(a.text.contains("主持人"), "{}", a.render());
        assert!(!a.text.contains("半天"), "{}", a.render());
    }

    #[test]
    fn two_roles_compared_are_each_told_of_by_the_same_kind_of_section_when_none_defines_them() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/crew.md",
            b"# The meetup crew\n\n## Speaker\n\n### Who can be a speaker\n\n\
              Any member with a story to tell can be a speaker.\n\n\
              ### Speaker responsibilities\n\n- Rehearses the talk twice.\n\
              - Sends the slides a week ahead.\n\n## Track owner\n\n\
              ### Who can be a track owner\n\nSeasoned members can be track owners.\n\n\
              ### Track owner responsibilities\n\n- Picks the themes of the season.\n\
              - Reviews every deck and may veto it.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        // No section says what either one is: each is told of by the same kind of section,
        // who can be one beside who can be the other, or duties beside duties.
        for q in [
            "what's the difference between a speaker and a track owner?",
            "qual a diferença entre palestrante e curador técnico?",
        ] {
            let a = kb.ask(q).unwrap();
            let who = ["story to tell", "Seasoned"].map(|f| a.text.contains(f));
            let duties = ["Rehearses", "veto"].map(|f| a.text.contains(f));
            assert!(
                who == [true, true] || duties == [true, true],
                "{q}:\n{}",
                a.render()
            );
        }
    }

    #[test]
    fn how_many_of_a_kind_counts_the_list_headed_with_that_kind_not_a_headcount() {
        // The title names categories too, so only a heading below it tells what is counted.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "members.md",
            "# 成员类别\n\n## Hero\n\n### 全球分布\n\n- 全球总数：120位 Hero\n- 覆盖：30个国家\n\n\
             ### Hero 类别\n\n1. **Edge Heroes** - 边缘计算\n2. **Storage Heroes** - 存储\n\
             3. **Network Heroes** - 网络\n4. **Quantum Heroes** - 量子计算\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "Hero 有几个类别？",
            "how many categories of heroes are there?",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains('4'), "{q}:\n{}", a.render());
            assert!(a.text.contains("Quantum"), "{q}:\n{}", a.render());
            assert!(!a.text.contains("120"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn how_many_kinds_and_which_is_the_counted_list_not_other_numbers() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "heroes.md",
            "# 成员\n\n## Hero\n\n### 全球分布\n\n- 全球总数：238位 Hero\n- 覆盖：55个国家\n\n\
             ### Hero 类别\n\n1. **Community Heroes** - 社区\n2. **Data Heroes** - 数据\n\
             3. **Security Heroes** - 安全\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in ["Hero 一共几类？分别是哪些", "Hero 有几种类别，都是什么"] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.starts_with("共有 3 项"), "{q}:\n{}", a.render());
            assert!(a.text.contains("Security Heroes"), "{q}:\n{}", a.render());
            // The part "Hero 一共几类" is already answered: no other numbers appended.
            assert!(!a.text.contains("238"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn a_count_asked_of_a_program_is_stated_beside_what_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "builders.md",
            "# 成员\n\n## Community Builders (CB)\n\n### 规模\n\n- 总人数：超过3000位开发者\n\
             - 开放时间：每年二月前后\n\n### 权益\n\n- 每年$300服务抵扣券\n- 免费培训课程\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in ["CB每年有多少抵扣券", "社区建设者一年给多少抵扣券？"] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("$300"), "{q}:\n{}", a.render());
            assert!(!a.text.contains("3000"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn another_language_answers_a_typed_question_from_the_section_headed_with_the_type() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "members.md",
            "# 成员类别\n\n## Hero\n\n### 申请方式\n\n- 要求：需内部推荐\n\n### Hero 权益\n\n\
             - 免费参加大会\n\n## 志愿者\n\n### 志愿者要求\n\n1. 技术热情 - 热爱技术\n\
             2. 时间投入 - 有比较多的空闲时间\n3. 用户身份 - 是亚马逊云科技的用户\n\n\
             ### 志愿者福利\n\n1. 参加用户组全年活动的资格\n2. 优秀志愿者证书\n\
             3. 用户组 UserGroup 周边礼品\n\n### 志愿者职责\n\n1. 协助活动现场\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        // The benefits name the events too, and so cover more of the question.
        for q in [
            "what are the requirements to volunteer at events?",
            "quais os requisitos pra ser voluntário nos eventos?",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("技术热情"), "{q}:\n{}", a.render());
            assert!(!a.text.contains("礼品"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn a_section_headed_with_the_aspect_asked_beats_one_that_mentions_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "heroes.md",
            "# Heroes Program\n\n## Activities and contributions\n\nRegardless of their category, Heroes \
             write blogs, speak at Hero meetups, run user groups and mentor developers. Heroes \
             share code and Heroes answer questions from other developers.\n\n\
             ## Specializations\n\nHeroes are grouped by focus:\n\n\
             - Serverless Heroes: experts in functions.\n- Data Heroes: experts in analytics.\n\
             - Security Heroes: experts in security.\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "What categories of Heroes are there?",
            "hero categories?",
            "quais categorias de Heroes existem?",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("Security Heroes"), "{q}:\n{}", a.render());
            assert!(!a.text.contains("Regardless"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn compared_programs_are_each_told_of_by_their_own_sections_even_unlabelled() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "heroes.md",
            "# Heroes Program\n\n## What is a Hero?\n\nHeroes are enthusiasts recognised for \
             their contributions to the community. They are nominated by AWS employees or \
             community members.\n\n## Specializations\n\nHeroes focus on domains:\n\n\
             - Serverless Heroes: functions.\n- Data Heroes: analytics.\n"
                .as_bytes(),
        );
        // The Community Builders' section never says what they "are".
        write(
            dir.path(),
            "programs.md",
            "# Programs: goals and traits\n\nBelow is an overview of several programs.\n\n\
             ## 1. Heroes\n\n**Overview**\n\nHeroes are recognised experts with deep \
             knowledge.\n\n**Goals**\n\n- Teach: share guidance through talks.\n\n\
             ## 2. Community Builders\n\n**Overview**\n\nThe Community Builders program helps \
             rising leaders learn, write and speak.\n\n**Goals**\n\n\
             - Connect: build a supportive place.\n\n## Summary\n\nHeroes, Community Builders \
             and user group leaders each help the community grow.\n"
                .as_bytes(),
        );
        // The asker's language names both only in passing.
        write(
            dir.path(),
            "historia.md",
            "# Como nasceu o grupo\n\nOs grupos cresceram, e a AWS passou a apoiar \
             oferecendo:\n\n- Apoio de marketing;\n- Programas como o Community Builders e \
             Heroes para reconhecer lideranças.\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "what's the difference between Heroes and Community Builders?",
            "qual a diferença entre Hero e Community Builder?",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("nominated"), "{q}:\n{}", a.render());
            assert!(a.text.contains("rising leaders"), "{q}:\n{}", a.render());
        }
    }

    #[test]
    fn numbered_sections_are_the_list_of_the_section_before_them_not_after() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "principles.md",
            "# Leadership principles\n\n## About the principles\n\nThe community follows \
             these leadership principles.\n\n## Principle 1: Curiosity\n\nLeaders keep \
             learning.\n\n## Principle 2: Frugality\n\nLeaders do more with less.\n\n\
             ## Principle 3: Candour\n\nLeaders speak plainly.\n\n\
             ## How the leadership programs fit together\n\nThe leadership programs are \
             Heroes, Community Builders and Cloud Captains, each for other people.\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("list all the leadership programs").unwrap();
        assert!(a.text.contains("Cloud Captains"), "{}", a.render());
        assert!(!a.text.contains("Frugality"), "{}", a.render());
        let a = kb.ask("list all the leadership principles").unwrap();
        assert!(a.text.contains("Candour"), "{}", a.render());
    }

    #[test]
    fn two_things_asked_together_are_each_told_of_by_their_own_section() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "principles.md",
            "# Principles\n\n## About the principles\n\nThe community keeps three \
             principles: Think Big, Frugality and Dive Deep.\n\n## Principle 1: Think Big\n\n\
             Leaders set a bold direction that inspires results.\n\n\
             ## Principle 2: Frugality\n\nLeaders do more with less.\n\n\
             ## Principle 3: Dive Deep\n\nLeaders stay close to the details.\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "what do think big and frugality mean?",
            "Think Big e Frugality significam o que? rs",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("bold direction"), "{q}:\n{}", a.render());
            assert!(a.text.contains("more with less"), "{q}:\n{}", a.render());
        }
        // One named within the other is one thing asked.
        let a = kb.ask("what does the Frugality principle say?").unwrap();
        assert!(!a.text.contains("bold direction"), "{}", a.render());
    }

    #[test]
    fn a_date_of_another_program_in_the_same_document_does_not_answer_when() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/groups.md",
            b"# AWS User Groups and AWS Community Days\n\n## How user groups started\n\n\
              User groups began around 2010, when cloud computing was new.\n\n\
              ## What AWS Community Days are\n\nAWS Community Days are conferences \
              organised by community leaders, with support from AWS.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb
            .ask("who organizes community days? and when r they held?")
            .unwrap();
        assert!(a.text.contains("community leaders"), "{}", a.render());
        assert!(!a.text.contains("2010"), "{}", a.render());
    }

    #[test]
    fn a_negation_says_no_only_to_the_clause_it_is_in() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "zh/organizer.md",
            "# 城市组织者\n\n## 如何成为城市组织者\n\n城市组织者不能自己报名，成为城市组织者需要内部推荐。\
             推荐人通常是现任组织者。\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("当城市组织者要不要内部推荐？").unwrap();
        assert!(a.text.starts_with("是的。"), "{}", a.render());
        let a = kb.ask("城市组织者可以自己报名吗？").unwrap();
        assert!(a.text.starts_with("不。"), "{}", a.render());
    }

    #[test]
    fn a_yes_or_no_is_said_only_for_what_the_answer_states() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        let text = |q: &str| kb.ask(q).unwrap().text;
        assert!(text("do heroes get a free re:invent ticket?").starts_with("Yes."));
        // The answer tells how to apply, not whether one pays: no "yes".
        assert!(!text("加入CB要交钱吗").starts_with("是的"));
        let fee = text("Is there an application fee to join the AWS Community Builders program?");
        assert!(!fee.starts_with("Yes"), "{fee}");
        // A polite frame is no yes/no question.
        assert!(!text("can u tell me how to join a user group?").starts_with("Yes"));
        // Before a list, the yes stands on its own line.
        let credits = text("ok cool. do community builders get aws credits?");
        assert!(credits.starts_with("Yes.\n- "), "{credits}");
    }

    #[test]
    fn a_how_to_join_answer_takes_its_date_only_from_a_section_on_joining() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        // Heroes attend re:Invent every year; the program has run for ten years: neither
        // says when one joins.
        for (q, stray) in [
            ("怎么申请成为 Hero？谢谢", "re:Invent"),
            ("como me torno hero?", "10 anos"),
            ("how do i become a city organiser", "Monthly"),
        ] {
            let a = kb.ask(q).unwrap();
            assert_eq!(a.outcome, Outcome::Answered, "{q}");
            assert!(!a.text.contains(stray), "{q}\n{}", a.text);
        }
        // No section tells how to become a UGL: the document's section on what one of its
        // roles requires answers, not the one on what UGLs get.
        let ugl = kb.ask("how do i become a UGL??").unwrap();
        assert!(ugl.text.contains("requirements"), "{}", ugl.text);
        assert!(!ugl.text.contains("badge"), "{}", ugl.text);
        // The same for a type its headings name: who the members are, not their strategy.
        let who = kb.ask("社区会员由哪些人构成？").unwrap();
        assert!(who.text.contains("四类人"), "{}", who.text);
        // When the joining section gives the date, it is there.
        let cb = kb.ask("how do I become a community builder?").unwrap();
        assert!(cb.text.contains("January"), "{}", cb.text);
    }

    #[test]
    fn two_programs_compared_are_contrasted_by_how_one_gets_into_each() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        for (q, facts) in [
            (
                "what's the difference between a hero and a community builder?",
                ["nomination", "January"],
            ),
            (
                "qual a diferença entre Hero e CB?",
                ["indicação", "inscrever"],
            ),
            ("Hero 和社区建设者有什么区别", ["推荐", "一月"]),
        ] {
            let a = kb.ask(q).unwrap();
            for fact in facts {
                assert!(a.text.contains(fact), "{q}: {fact}\n{}", a.text);
            }
            assert!(
                a.text.chars().count() <= 1600,
                "{q}: stays readable\n{}",
                a.text
            );
            assert!(a.also.len() >= 3, "{q}: each part cited");
        }
        // What each one is, not a section that names both ("who can be a track owner"
        // names CBs, in the UGL document).
        let a = kb.ask("CB vs UGL whats the diff tho 🤔").unwrap();
        let cited: Vec<&str> = a
            .source
            .iter()
            .chain(&a.also)
            .map(|c| c.section.as_str())
            .collect();
        assert!(
            cited
                .iter()
                .any(|c| c.contains("What the AWS Community Builders program is")),
            "{cited:?}"
        );
        assert!(
            !cited.iter().any(|c| c.contains("track owner")),
            "{cited:?}"
        );
    }

    #[test]
    fn another_language_answers_when_the_askers_leaves_out_an_aspect_asked() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "catalogue.md",
            "# 成员\n\n## 用户组负责人福利\n\n- 提升领导能力和个人品牌。\n- 每年一次免费认证考试。\n"
                .as_bytes(),
        );
        write(
            dir.path(),
            "leaders.md",
            b"# Community leaders\n\n## User Group Leaders\n\nUser Group Leaders run local groups.\n\
              Their goals:\n- Build a local forum for learning.\n- Adapt sessions to regional needs.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("用户组负责人的领导目标是什么？").unwrap();
        assert_eq!(a.answered_from, Some(Lang::En), "{}", a.text);
        assert!(a.text.contains("regional needs"), "{}", a.text);
        // What the Chinese section does say is still answered from it.
        let a = kb.ask("用户组负责人有什么福利？").unwrap();
        assert_eq!(a.answered_from, None, "{}", a.text);
    }

    #[test]
    fn a_known_program_and_aspect_are_answered_across_languages_whatever_else_is_said() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "zh.md",
            "# 成员

## 志愿者

### 志愿者要求

1. 技术热情
2. 有相对充裕的时间

### 志愿者福利

- 周边礼品
"
            .as_bytes(),
        );
        write(
            dir.path(),
            "pt.md",
            "# Eventos

O grupo faz encontros mensais em São Paulo.
"
            .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        // Most of the words are the asker's own (no document has them), but the program
        // and the aspect asked are known, and a section's heading answers them.
        let a = kb
            .ask("o que precisa para ser voluntário? moro longe kkk")
            .unwrap();
        assert_eq!(a.answered_from, Some(Lang::Zh), "{}", a.text);
        assert!(a.text.contains("技术热情"), "{}", a.text);
        // Words the base does not know, around no program, are still not answered by it.
        let a = kb
            .ask("quem ganhou o campeonato de futebol de domingo?")
            .unwrap();
        assert!(!a.answered(), "{}", a.text);
    }

    #[test]
    fn a_definition_from_within_a_document_gets_the_documents_lead_too() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "cb.md",
            b"# AWS Community Builders\n\nThe Community Builders program is a mentoring initiative for people who write and speak about AWS.\n\n\
              ## What is a Community Builder?\n\nA Community Builder is a member who shares technical content with others.\n\n\
              ## Perks\n\n- Community Builders get a welcome kit.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("what is a community builder?").unwrap();
        assert!(
            a.text
                .starts_with("The Community Builders program is a mentoring initiative"),
            "{}",
            a.text
        );
        assert!(a.text.contains("shares technical content"), "{}", a.text);
        assert_eq!(a.also.len(), 1, "both sections cited: {:?}", a.also);
        // Another question than what the program is gets no lead.
        let a = kb.ask("what perks do community builders get?").unwrap();
        assert!(!a.text.contains("mentoring initiative"), "{}", a.text);
    }

    #[test]
    fn a_list_another_languages_notes_give_otherwise_follows_the_answer() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/heroes.md",
            b"# Heroes\n\n## Hero benefits\n\n- Early briefings on new services.\n- Promotional support for their work.\n\n\
              ## Hero categories\n\n- Serverless Heroes: functions.\n- Data Heroes: databases.\n",
        );
        write(
            dir.path(),
            "notes/zh.md",
            "# 成员\n\n## Hero 权益\n\n- 每年 re:Invent 免费门票\n- 每年$2000服务抵扣券\n- 与本地团队建立联系\n\n\
             ## Hero 类别\n\n- Serverless Heroes - 无服务器专家\n- Data Heroes - 数据专家\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("what benefits do heroes get?").unwrap();
        assert!(a.text.starts_with("- Early briefings"), "{}", a.text);
        assert!(
            a.text
                .contains("The Chinese text adds:\n- 每年 re:Invent 免费门票"),
            "{}",
            a.text
        );
        assert_eq!(a.also.len(), 1, "{:?}", a.also);
        // The same list in the other language adds nothing.
        let a = kb.ask("what are the hero categories?").unwrap();
        assert!(!a.text.contains("Chinese"), "{}", a.text);
    }

    #[test]
    fn a_yes_is_said_by_the_item_that_states_it_and_that_item_leads() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/cb.md",
            b"# Community Builders\n\n## Community Builder perks\n\n\
              - Slack: Community Builders join a private Slack workspace.\n\
              - Welcome kit: Community Builders receive a welcome kit.\n\
              - Weekly sessions: Community Builders attend weekly talks held in English that require signing an NDA.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb
            .ask("do community builders need to sign an NDA?")
            .unwrap();
        assert!(a.text.starts_with("Yes.\n- Weekly sessions:"), "{}", a.text);
        assert!(a.text.contains("welcome kit"), "{}", a.text);
        // What no item states gets no yes: the sessions are not in Spanish.
        let a = kb
            .ask("can community builders attend the weekly sessions in their own language, say spanish?")
            .unwrap();
        assert!(!a.text.starts_with("Yes."), "{}", a.text);
    }

    #[test]
    fn each_part_of_a_message_about_one_program_is_answered() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/volunteers.md",
            b"# Event volunteers\n\n## Volunteer benefits\n\n- Volunteers are eligible for a free ticket.\n\
              - Volunteers get a thank-you gift.\n\n## Volunteer requirements\n\n\
              - A volunteer must be at least eighteen.\n- A volunteer needs two free evenings a month.\n\n\
              ## What volunteers do\n\n- Volunteers set up the room.\n- Volunteers greet the guests.\n",
        );
        write(
            dir.path(),
            "zh/helpers.md",
            "# 志愿者\n\n## 志愿者福利\n\n- 志愿者可以获得免费门票。\n- 志愿者可以获得纪念品。\n\n\
             ## 如何成为志愿者\n\n- 在活动页面填写报名表即可申请成为志愿者。\n"
                .as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        // "eligible" among the benefits does not say the requirements.
        let a = kb
            .ask("what are the volunteer requirements? and the benefits?")
            .unwrap();
        assert!(
            a.text.contains("eighteen") && a.text.contains("thank-you gift"),
            "{}",
            a.text
        );
        // A part that asks only by its frame ("what do they do") is its own question.
        let a = kb
            .ask("what are the volunteer benefits? also what do volunteers do?")
            .unwrap();
        assert!(
            a.text.contains("greet the guests") && a.text.contains("free ticket"),
            "{}",
            a.text
        );
        // A comma before a question word starts the second question; it asks its own aspect
        // of the program the first names.
        let a = kb.ask("志愿者有啥好处，怎么加入？").unwrap();
        assert!(
            a.text.contains("纪念品") && a.text.contains("报名表"),
            "{}",
            a.text
        );
        assert_eq!(a.also.len(), 1, "{a:?}");
    }

    #[test]
    fn an_item_labelled_with_what_is_asked_answers_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "principles.md",
            "# Community principles\n\n## Our leadership principles\n\n\
             1. **Ownership**: A leader acts for the whole group and never says a task belongs to someone else.\n\
             2. **Frugality**: A leader does a lot with little; limits lead to invention.\n\
             3. **Dive Deep**: A leader knows the details and checks them often.\n"
                .as_bytes(),
        );
        write(
            dir.path(),
            "leading.md",
            "# Leading a group\n\n## Summary\n\nGood leaders practise the principles of ownership and frugality, \
             and the group grows with them. Ownership matters most in a young group.\n"
                .as_bytes(),
        );
        write(
            dir.path(),
            "grupo.pt.md",
            "# O grupo\n\nSer um dos líderes significa planejar os encontros do mês.\n".as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        for q in [
            "what is the ownership principle?",
            "ownership principle = ? pls",
            // A Portuguese word the documents lack is not what the English list fails to say.
            "o que significa o princípio ownership para os líderes da comunidade?",
        ] {
            let a = kb.ask(q).unwrap();
            assert_eq!(a.outcome, Outcome::Answered, "{q}: {}", a.text);
            assert!(a.text.contains("never says a task"), "{q}: {}", a.text);
            // The item alone: not its neighbours, not the summary.
            assert!(!a.text.contains("Frugality:"), "{q}: {}", a.text);
            assert!(!a.text.contains("Good leaders"), "{q}: {}", a.text);
        }
        // A question about the whole list still gets the list.
        let a = kb.ask("list all the principles").unwrap();
        assert!(
            a.text.contains("Frugality") && a.text.contains("Dive Deep"),
            "{}",
            a.text
        );
    }

    #[test]
    fn a_thing_the_knowledge_base_has_no_word_for_is_not_said_to_exist() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/captains.md",
            b"# Cloud Captains\n\n## Who can be one\n\nCloud Captains are students who lead a cloud club. Joining is free.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        // Nothing says whether there is an age limit: no section about who can be one
        // stands in for it.
        let a = kb.ask("is there an age limit for cloud captains?").unwrap();
        assert_eq!(a.outcome, Outcome::Unknown, "{}", a.text);
        let a = kb
            .ask("tem limite de idade pra ser cloud captain?")
            .unwrap();
        assert_eq!(a.outcome, Outcome::Unknown, "{}", a.text);
        // A thing that is only the program asked about is known.
        let a = kb.ask("are there cloud captains?").unwrap();
        assert_eq!(a.outcome, Outcome::Answered, "{}", a.text);
        // Words the documents write ("cloud" and "club" of "cloud club") are known.
        let a = kb.ask("is there a free cloud club for captains?").unwrap();
        assert!(a.text.starts_with("Yes."), "{}", a.text);
    }

    #[test]
    fn only_words_with_no_known_stem_are_corrected() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/a.md",
            b"# Builders\n\n## Perks\n\nA builder gets one perk: a free community program.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let fixed = |q: &str| kb.explain(q).understanding.corrections.clone();
        // "perks" and "programs" are forms of known words; "comunity" is a typo.
        assert!(fixed("what perks and programs are there").is_empty());
        assert_eq!(fixed("which comunity perks")[0].0, "community");
        // A Portuguese word is not "corrected" into an English one it resembles.
        assert!(fixed("qual programa da comunidade").is_empty());
        // Nor an English word into a Portuguese one ("paid" is no "país").
        write(
            dir.path(),
            "pt/a.md",
            "# Construtores

## Onde

O programa existe em cada país.
"
            .as_bytes(),
        );
        kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(fixed("are builders paid for each perk?"), Vec::new());
    }

    #[test]
    fn a_document_translated_into_the_askers_language_answers_in_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/heroes.md",
            b"# Heroes\n\n## How many\n\nThere are 238 Heroes around the world.\n",
        );
        write(
            dir.path(),
            "pt/heroes.md",
            "# Heroes\n\n## Quantos\n\nExistem 238 Heroes em 55 países e regiões, em 2024.\n"
                .as_bytes(),
        );
        write(
            dir.path(),
            "seed.md",
            "# Builders\n\n## Quantos\n\nMais de 2000 Community Builders em 2024.\n".as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        // The Portuguese version names more of the question, but the English one says it too.
        let a = kb
            .ask("how many heroes are there in 55 countries in 2024?")
            .unwrap();
        assert_eq!(a.answered_from, None, "{}", a.render());
        assert!(a.text.contains("238"), "{}", a.render());
        // A document in one language only still answers the others.
        let b = kb.ask("how many community builders are there?").unwrap();
        assert_eq!(b.answered_from, Some(Lang::Pt), "{}", b.render());
    }

    /// "Valores" named in Portuguese by a section that says "AWS User Group" where the
    /// question says "grupos": the Portuguese version of the document answers, not the
    /// Chinese one that was judged a better fit.
    #[test]
    fn a_document_with_a_version_in_the_askers_language_answers_in_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        let a = kb.ask("quais os valores dos grupos no brasil").unwrap();
        assert!(a.answered() && a.answered_from.is_none(), "{}", a.render());
        assert!(a.text.contains("Colaboração"), "{}", a.render());
    }

    #[test]
    fn a_comparison_answers_for_both_programs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        for (q, both) in [
            (
                "whats the diff between a CB and a Hero in terms of credits?",
                ["$500", "$2000"],
            ),
            ("Hero 和 CB 的福利有什么区别", ["500 美元", "2000 美元"]),
            (
                "qual a diferença entre CB e UGL nos benefícios?",
                ["US$ 500", "Os UGLs"],
            ),
        ] {
            let a = kb.ask(q).unwrap();
            assert!(kb.explain(q).understanding.compares, "{q}");
            for fact in both {
                assert!(
                    a.text.contains(fact),
                    "{q}: {fact} missing from\n{}",
                    a.render()
                );
            }
        }
        // Compared with nothing else asked: what each one is, from its own section, not
        // a section that names both among others (the growth path).
        for (q, sections) in [
            (
                "whats the diff between a Hero and a Community Builder?",
                [
                    "What the AWS Heroes program is",
                    "What the AWS Community Builders program is",
                ],
            ),
            (
                "what's the difference between bias for action and frugality",
                ["Principle 9: Bias for Action", "Principle 10: Frugality"],
            ),
        ] {
            let a = kb.ask(q).unwrap();
            let cited: Vec<String> = a
                .source
                .iter()
                .chain(&a.also)
                .map(|c| c.section.clone())
                .collect();
            for s in sections {
                assert!(
                    cited.iter().any(|c| c.ends_with(s)),
                    "{q}: {s} not in {cited:?}"
                );
            }
        }
        // Two programs named without comparing them is not a comparison.
        assert!(
            !kb.explain("do CBs and Heroes get credits")
                .understanding
                .compares
        );
    }

    #[test]
    fn another_subject_is_answered_only_where_it_is_spoken_of() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let kb = kb_with(&root.join("kb"), Arc::new(MemStore::default()));
        for q in [
            "AWS Hero 一般年薪多少",
            "what salary does a Community Builder get?",
            "vai chover em Curitiba no dia do community day?",
            "推荐几本学习 Python 的书，我是 CB 新人",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(!a.answered(), "{q}: {}", a.render());
        }
        // A word of another subject inside a longer one is not it ("earn" in "learn").
        assert!(names("people learn together", "learn") && !names("people learn", "earn"));
        // "sem custo" is the community's "free", not a price.
        let a = kb
            .ask("O UGL tem direito a alguma prova de certificação sem custo?")
            .unwrap();
        assert!(a.answered(), "{}", a.render());
        // The second part of an answer is about the program asked, not a neighbour in the
        // same document: a speaker's preparation gets no city organizer's requirements.
        let a = kb.ask("技术专家演讲者要准备什么").unwrap();
        assert!(
            a.answered() && !a.text.contains("城市组织者"),
            "{}",
            a.render()
        );
        // What a program's credits are worth is no price of something else.
        let a = kb.ask("CB 每年的抵扣券有多少钱啊").unwrap();
        assert!(a.text.contains("500"), "{}", a.render());
        let a = kb.ask("EC2 多少钱一个小时").unwrap();
        assert!(!a.answered(), "{}", a.render());
        // AWS technical how-to that shares a word with a section (Lambda is a Serverless
        // Hero's subject) is declined as another subject, not answered "I don't know".
        for q in [
            "lambda 冷启动怎么优化",
            "how do I cut lambda cold start times?",
            "como evito cold start na lambda?",
            "quanto cobram pelo docker no ECS?",
        ] {
            let a = kb.ask(q).unwrap();
            assert_eq!(a.outcome, Outcome::OutOfScope, "{q}: {}", a.render());
        }
        // "cobrar" is also to follow up on a task: only a price asked is another subject.
        let a = kb.ask("quem cobra as tarefas dos voluntários?").unwrap();
        assert!(a.answered(), "{}", a.render());
    }

    #[test]
    fn import_is_incremental_and_follows_changes_and_removals() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/a.md",
            b"# Heroes\n\n## Count\n\nThere are 238 Heroes in 55 countries.\n",
        );
        write(
            dir.path(),
            "en/b.md",
            b"# Builders\n\n## Apply\n\nCommunity Builder applications open in January.\n",
        );
        let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
        let r = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!((r.added, r.updated, r.unchanged, r.removed), (2, 0, 0, 0));
        let r = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!((r.added, r.updated, r.unchanged, r.removed), (0, 0, 2, 0));
        assert!(kb
            .ask("how many heroes are there")
            .unwrap()
            .text
            .contains("238"));

        write(
            dir.path(),
            "en/a.md",
            b"# Heroes\n\n## Count\n\nThere are 300 Heroes in 60 countries.\n",
        );
        std::fs::remove_file(dir.path().join("en/b.md")).unwrap();
        let r = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!((r.added, r.updated, r.unchanged, r.removed), (0, 1, 0, 1));
        assert!(kb
            .ask("how many heroes are there")
            .unwrap()
            .text
            .contains("300"));
        assert!(!kb
            .ask("when do community builder applications open")
            .unwrap()
            .answered());
        assert_eq!(kb.stats().documents, 1);
    }

    /// Opens a sled store that was just dropped. sled's flusher thread can hold the file lock
    /// for a moment after the last handle goes, so a refused open is retried, with a deadline.
    fn reopen(path: &std::path::Path) -> sled::Db {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            match sled::Config::new().path(path).open() {
                Ok(db) => return db,
                Err(e) if std::time::Instant::now() < deadline => {
                    eprintln!("reopening {}: {e}; trying again", path.display());
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => panic!("the store at {} did not reopen: {e}", path.display()),
            }
        }
    }

    #[test]
    fn the_index_survives_reopening_the_sled_store() {
        let docs = tempfile::tempdir().unwrap();
        write(
            docs.path(),
            "pt/v.md",
            "# Voluntários\n\n## Requisitos\n\nO voluntário precisa ter paixão por tecnologia.\n"
                .as_bytes(),
        );
        let data = tempfile::tempdir().unwrap();
        {
            let db = sled::Config::new().path(data.path()).open().unwrap();
            kb_with(docs.path(), Arc::new(SledStore::new(db)));
        }
        let db = reopen(data.path());
        let kb = KnowledgeBase::open(Arc::new(SledStore::new(db)), Settings::default()).unwrap();
        let a = kb.ask("quais os requisitos para ser voluntario?").unwrap();
        assert!(a.answered(), "{}", a.render());
        assert_eq!(a.lang, Lang::Pt);
        assert!(a.text.contains("paixão"));
    }

    #[test]
    fn an_index_of_another_format_is_rebuilt_not_refused() {
        let store = Arc::new(MemStore::default());
        store
            .insert(index::META, b"current", b"\xff\xff garbage".to_vec())
            .unwrap();
        let kb = KnowledgeBase::open(store.clone(), Settings::default()).unwrap();
        assert_eq!(kb.stats().sections, 0);
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/a.md",
            b"# Heroes\n\nThere are 238 Heroes.\n",
        );
        kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(kb.stats().sections, 1);
    }

    #[test]
    fn reopening_answers_from_what_the_store_holds_now() {
        let store: Arc<dyn Store> = Arc::new(MemStore::default());
        let running = KnowledgeBase::open(Arc::clone(&store), Settings::default()).unwrap();
        assert_eq!(running.stats().sections, 0);
        // Another writer (a restored backup) fills the same store underneath.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/a.md",
            b"# Heroes\n\nThere are 238 Heroes.\n",
        );
        kb_with(dir.path(), Arc::clone(&store));
        assert_eq!(running.stats().sections, 0);
        running.reopen().unwrap();
        assert_eq!(running.stats().sections, 1);
        assert_eq!(
            running
                .search("how many heroes are there?", 3)
                .unwrap()
                .len(),
            1
        );
    }
    #[test]
    fn broken_encodings_are_repaired_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/moji.md",
            "# Heroes\n\nThe program showcases AWSâ€™s commitment to community leaders.\n"
                .as_bytes(),
        );
        write(
            dir.path(),
            "pt/latin1.md",
            b"# Volunt\xe1rios\n\nO volunt\xe1rio ajuda na organiza\xe7\xe3o dos eventos.\n",
        );
        let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
        let r = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(r.added, 2);
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("moji.md") && n.contains("repaired")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("latin1.md") && n.contains("Windows-1252")),
            "{:?}",
            r.notes
        );
        let a = kb.ask("o que faz o voluntário?").unwrap();
        assert!(a.text.contains("organização"), "{}", a.render());
        let a = kb.ask("commitment to community leaders").unwrap();
        assert!(a.text.contains("AWS’s"), "{}", a.render());
    }

    #[test]
    fn questions_answered_while_imports_run_never_fail_or_mix_versions() {
        let dir = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(data.path()).open().unwrap();
        let kb = Arc::new(kb_with(dir.path(), Arc::new(SledStore::new(db))));
        write(
            dir.path(),
            "en/a.md",
            b"# Heroes\n\n## Count\n\nThere are 238 Heroes in 55 countries.\n",
        );
        kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let askers: Vec<_> = (0..3)
            .map(|_| {
                let (kb, stop) = (kb.clone(), stop.clone());
                std::thread::spawn(move || {
                    let mut answered = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let a = kb
                            .ask("how many heroes are there?")
                            .expect("no error while importing");
                        if a.answered() {
                            assert!(
                                a.text.contains("238") ^ a.text.contains("300"),
                                "{}",
                                a.text
                            );
                            answered += 1;
                        }
                    }
                    answered
                })
            })
            .collect();
        for round in 0..60 {
            let n = if round % 2 == 0 { 300 } else { 238 };
            write(
                dir.path(),
                "en/a.md",
                format!("# Heroes\n\n## Count\n\nThere are {n} Heroes in 55 countries.\n")
                    .as_bytes(),
            );
            kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for a in askers {
            assert!(a.join().unwrap() > 0);
        }
    }

    /// Files are not read again while their size and time say they are unchanged, but a
    /// file changed within the same tick of the clock (same size, same time) is still seen.
    #[test]
    fn an_edit_right_after_an_import_is_seen_and_an_old_file_is_trusted_by_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("en/hero.md");
        write(
            dir.path(),
            "en/hero.md",
            b"# Heroes\n\nHeroes get 100 credits.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        write(
            dir.path(),
            "en/hero.md",
            b"# Heroes\n\nHeroes get 900 credits.\n",
        );
        let report = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(report.updated, 1, "{report:?}");
        assert!(kb
            .ask("how many credits do heroes get")
            .unwrap()
            .text
            .contains("900"));
        // A file left alone a while is taken as it was by its stamp: with its size and
        // time as they were, it is not read again (so an edit that keeps both, as only a
        // tool setting the time back makes, waits until the file's time moves).
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let set_time = |t| {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(t)
                .unwrap()
        };
        set_time(old);
        let report = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!((report.updated, report.unchanged), (0, 1), "{report:?}");
        write(
            dir.path(),
            "en/hero.md",
            b"# Heroes\n\nHeroes get 500 credits.\n",
        );
        set_time(old);
        let report = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(report.updated, 0, "not read again: {report:?}");
        set_time(old + std::time::Duration::from_secs(60));
        let report = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(report.updated, 1, "its time moved: {report:?}");
        assert!(kb
            .ask("how many credits do heroes get")
            .unwrap()
            .text
            .contains("500"));
    }

    #[test]
    fn an_operators_lexicon_teaches_the_bot_their_terms() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/summit.md",
            b"# AWS Summit\n\n## What the AWS Summit is\n\nThe AWS Summit is a free one-day conference in many cities.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let before = kb.ask("when is the big free gathering?").unwrap();
        assert!(!before.answered(), "{}", before.render());
        write(
            dir.path(),
            "lexicon.toml",
            b"[[concept]]\nname = \"summit\"\nkind = \"entity\"\nen = [\"aws summit\", \"big free gathering\"]\n",
        );
        let report = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(
            report.updated, 1,
            "the lexicon changed, so the document is analysed again"
        );
        let after = kb.ask("what is the big free gathering?").unwrap();
        assert!(
            after.answered() && after.text.contains("one-day"),
            "{}",
            after.render()
        );
        // A mistake stops the import with the file and the line, and changes nothing.
        write(
            dir.path(),
            "lexicon.toml",
            b"[[concept]]\nname = \"summit\"\nkind = \"entity\"\nen = [\"community builder\"]\n",
        );
        let err = kb
            .sync_exact(&[dir.path().to_path_buf()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("lexicon.toml (line 4)") && err.contains("`cb`"),
            "{err}"
        );
        assert!(kb
            .ask("what is the big free gathering?")
            .unwrap()
            .answered());
    }

    #[test]
    fn a_section_headed_with_what_is_asked_in_the_askers_language_is_not_outdone_by_another() {
        // The English section lacks the asker's own words ("perks", "come"), which another
        // language's section is not counted for: that is no reason to answer in Chinese.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "volunteering.md",
            b"# Volunteering\n\n## Volunteer benefits\n\nVolunteers receive a few benefits:\n\n\
              - A crew t-shirt.\n- A thank-you letter from the organizers.\n",
        );
        write(
            dir.path(),
            "members.md",
            "# 成员\n\n## 志愿者\n\n### 志愿者福利\n\n- 纪念T恤\n- 感谢信\n- 优先报名\n".as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("What perks come with being a volunteer?").unwrap();
        assert_eq!(a.lang, Lang::En);
        assert!(a.text.starts_with("Volunteers receive"), "{}", a.render());
    }

    #[test]
    fn a_shared_word_alone_does_not_answer_from_another_language() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "zh/ug.md",
            "# 用户组\n\n## 活动\n\n用户组会举办 workshop 和黑客松（hackathon）。\n".as_bytes(),
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        let a = kb.ask("what is the hackathon prize?").unwrap();
        assert!(!a.answered(), "{}", a.render());
        let a = kb.ask("用户组有什么活动？").unwrap();
        assert!(
            a.answered() && a.text.contains("hackathon"),
            "{}",
            a.render()
        );
    }

    #[test]
    fn bad_questions_get_clear_replies() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "en/a.md",
            b"# Heroes\n\nThere are 238 Heroes.\n",
        );
        let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
        assert_eq!(kb.ask("").unwrap().outcome, Outcome::Empty);
        assert_eq!(kb.ask(" \t\n ").unwrap().outcome, Outcome::Empty);
        assert_eq!(
            kb.ask("\u{0}\u{7}\u{1b}\u{8}").unwrap().outcome,
            Outcome::Empty
        );
        assert!(!kb.ask("\u{1b}[2J\u{1b}[0m").unwrap().answered());
        assert_eq!(kb.ask("🙂🎉🚀").unwrap().outcome, Outcome::NoWords);
        assert_eq!(kb.ask(".*+?[](){}|^$\\").unwrap().outcome, Outcome::NoWords);
        let huge = "how many heroes ".repeat(3200);
        let a = kb.ask(&huge).unwrap();
        assert_eq!(a.outcome, Outcome::TooLong);
        assert!(a.text.contains("1000"), "{}", a.text);
        let zh = kb.ask(&"英雄".repeat(30_000)).unwrap();
        assert_eq!((zh.outcome, zh.lang), (Outcome::TooLong, Lang::Zh));
        let a = kb.ask("how many\u{0} heroes\u{7}?").unwrap();
        assert!(a.answered() && a.text.contains("238"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_question_gets_a_reply_with_a_sane_score(q in "\\PC{0,120}") {
            use std::sync::OnceLock;
            static KB: OnceLock<(tempfile::TempDir, KnowledgeBase)> = OnceLock::new();
            let (_, kb) = KB.get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                write(dir.path(), "en/a.md", b"# Heroes\n\n## Count\n\nThere are 238 Heroes.\n\n## Benefits\n\nCredits and tickets.\n");
                write(dir.path(), "zh/a.md", "# 英雄\n\n全球共有 238 位 Hero。\n".as_bytes());
                let kb = kb_with(dir.path(), Arc::new(MemStore::default()));
                (dir, kb)
            });
            let a = kb.ask(&q).unwrap();
            proptest::prop_assert!(a.score.is_finite() && (0.0..=1.0).contains(&a.score));
            proptest::prop_assert!(!a.render().is_empty());
            proptest::prop_assert_eq!(a.answered(), a.source.is_some());
        }
    }
}
