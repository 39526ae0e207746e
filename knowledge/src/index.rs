//! The index in the store: documents, sections and postings, and the ranking over them.
//!
//! Trees: `kb.sections` (id → [`SectionRecord`]), `kb.terms.<generation>` (term → postings
//! by the generation's section slots) and `kb.meta`, whose `current` record is the whole
//! [`Generation`]: documents, sections' ranking facts, counters. An import writes the changed
//! documents' sections under fresh ids and every live section's postings into the new
//! generation's tree, then commits by writing `current` once. A crash before that write
//! leaves the previous generation whole; a question is always answered from one generation.
//! Sections and postings only the generation before the previous one used are removed after
//! the commit, so a question still reading the previous generation finds what it needs.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::analysis::{fold, Analyzer, Kind, Token};
use crate::encoding;
pub(crate) use crate::frozen::Frozen;
use crate::lang::{detect_document, Lang};
use crate::lexicon::{Lexicon, LexiconError};
use crate::markdown;
use crate::query::QType;
use crate::source;
use crate::store::{Store, StoreError};
use crate::table::{SectionIds, Table};
use crate::typo::TypoIndex;

pub(crate) use crate::rank::Ranked;
pub use crate::rank::Signals;
pub(crate) use crate::rank::{holds_what_is_asked, rank, rank_overall, Hit, QueryTerm};

pub(crate) const SECTIONS: &str = "kb.sections";
pub(crate) const META: &str = "kb.meta";
/// Per document key, the file's stamp when it was last read and the hash it had then
/// ([`stamp`]): kept apart from the generation, so that refreshing one commits nothing.
const STAMPS: &str = "kb.stamps";
const TERMS_PREFIX: &str = "kb.terms.";
const CURRENT: &[u8] = b"current";
const FORMAT: &[u8] = b"format";
/// The layout of the index records; a store written with another is rebuilt from the documents.
const FORMAT_VERSION: u32 = 6;
const SOURCES: &[u8] = b"sources";

/// Bumped whenever analysis changes, so every document is analysed again on the next start.
const ANALYSIS_VERSION: u64 = 20;
/// Documents larger than this are reported and skipped.
const MAX_DOC_BYTES: u64 = 8 * 1024 * 1024;
const HEADING_WEIGHT: u16 = 2;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the knowledge store holds data this version cannot read ({0}); remove the data directory to rebuild it")]
    Corrupt(String),
    #[error("knowledge directory {path}: {message}")]
    Dir { path: PathBuf, message: String },
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
}

/// The analyser of the shipped lexicon plus these operator files.
pub(crate) fn analyzer_for(lexicons: &[(String, String)]) -> Result<Arc<Analyzer>, LexiconError> {
    if lexicons.is_empty() {
        return Ok(crate::analysis::builtin());
    }
    Ok(Arc::new(Analyzer::new(Lexicon::load(lexicons)?)))
}

/// The largest operator lexicon file read.
const MAX_LEXICON_BYTES: u64 = 1 << 20;

/// The `lexicon.toml` files at the top of the knowledge folders, read like documents: never
/// through a link out of the folder, never a special file, never more than 1 MiB.
fn operator_lexicons(
    dirs: &[PathBuf],
    report: &mut ImportReport,
) -> Result<Vec<(String, String)>, IndexError> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(root) = dir.canonicalize() else {
            continue;
        };
        let path = root.join(crate::lexicon::FILE_NAME);
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        let name = dir.join(crate::lexicon::FILE_NAME).display().to_string();
        match source::read(&path, &root, MAX_LEXICON_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => out.push((name, text)),
                Err(_) => report
                    .notes
                    .push(format!("{name}: skipped: not UTF-8 text")),
            },
            Err(source::ReadError::Skipped(why)) => report.notes.push(format!("{name}: {why}")),
            Err(e) => report
                .notes
                .push(format!("{name}: could not be read: {e:?}")),
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocRecord {
    /// The knowledge directory it was found in.
    pub source: String,
    pub hash: u64,
    pub lang: Lang,
    pub title: String,
    /// Its sections' ids, in document order.
    pub sections: Vec<u32>,
    /// The entity concepts of its opening section: what the document is about.
    pub entities: Vec<String>,
}

/// A section as stored: where it comes from, its clean text and its analysed terms.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionRecord {
    /// The document as shown in citations: its path below its knowledge directory.
    pub doc: String,
    pub lang: Lang,
    /// The document's title.
    pub title: String,
    /// Headings from the document's top down to this section.
    pub path: Vec<String>,
    pub text: String,
    pub(crate) terms: Vec<(String, u16)>,
}

impl SectionRecord {
    /// "Community Builders › How to apply", without repeating the title.
    pub fn heading(&self) -> String {
        self.path.join(" › ")
    }
}

/// What ranking needs of a section without reading it: its length, language, and the
/// terms of its own heading (a section titled for the question beats one that mentions it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SectionMeta {
    /// Where its record is stored in `kb.sections`.
    pub id: u32,
    pub len: u32,
    pub lang: Lang,
    pub heading: Vec<(String, bool)>,
    /// States a number: half an answer to a "how many" question that names no count word.
    pub quantity: bool,
    /// What its own heading and its labels ("Duties:") say it answers (benefits, how to
    /// join, a count…).
    pub kinds: Vec<QType>,
    /// Its own heading asks something of its program ("Who can be a Hero", "UGL benefits"),
    /// rather than only naming it ("2. Track Owner").
    pub heading_asks: bool,
    /// Defines its subject: the document's opening, or a "What … is" heading.
    pub definition: bool,
    /// How many list items it holds.
    pub items: u16,
    /// The first section of its document, which introduces the document's subject.
    pub opening: bool,
    /// The programs and roles its own headings name (below the document title).
    pub path_entities: Vec<String>,
    /// Dates something (a month, a year, "every year"), links somewhere.
    pub has_time: bool,
    pub has_link: bool,
    /// Its document, as an index into [`Generation::docs`].
    pub doc: u32,
}

impl SectionMeta {
    /// It says what its program is: the opening of the program's document, or a heading
    /// that reads as a definition ("What the AWS Heroes program is").
    pub fn says_what_it_is(&self) -> bool {
        self.opening || self.kinds.contains(&QType::Definition)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Generation {
    pub number: u64,
    pub avg_len: f32,
    /// Every live section's ranking facts; its position is its slot in the postings.
    pub sections: Vec<SectionMeta>,
    /// Every document, by its path, sorted.
    pub docs: Vec<(String, DocRecord)>,
    /// Folded words of the knowledge base with their counts, for typo correction.
    pub words: Vec<(String, u32)>,
    /// The section ids the previous generation used, kept until the next commit.
    pub previous: Vec<u32>,
    /// The operators' lexicon files it was analysed with: (name, contents).
    #[serde(default)]
    pub lexicons: Vec<(String, String)>,
    pub next_id: u32,
}

/// What an import did, for the operator.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub documents: usize,
    pub sections: usize,
    /// Per-file remarks: repaired encodings, skipped files.
    pub notes: Vec<String>,
    #[serde(skip)]
    pub elapsed: Duration,
}

impl ImportReport {
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

/// The in-memory view of one generation: its analyser (the shipped lexicon plus the
/// operators' own), with the typo index built on first need.
pub(crate) struct Snapshot {
    pub gen: Generation,
    pub analyzer: Arc<Analyzer>,
    /// The postings and the section records, in memory.
    pub frozen: Frozen,
    /// Each document's section slots, in order.
    doc_slots: Vec<Vec<u32>>,
    /// Per section, what ranking reads on every visit, with its heading terms and the
    /// programs its headings name by term id; per document, the programs it is about.
    pub table: Table,
    /// The lexicon's implications by term id: (a user group leader, a user group).
    pub implied: Vec<(u32, u32)>,
    /// Per program or role (by term id) and language, the slots of the sections whose own
    /// headings name it or whose document is about it, ascending: the only sections a
    /// question about it can focus on without naming it.
    pub focus_slots: rustc_hash::FxHashMap<(u32, Lang), Vec<u32>>,
    /// Per language, the slots, ascending, of the sections whose heading has a term their
    /// own postings do not (or has one twice): ranking cannot bound their heading by the
    /// terms they match.
    pub stray_headings: [Vec<u32>; 3],
    typo: OnceLock<TypoIndex>,
    lexicon_typo: OnceLock<TypoIndex>,
    translations: OnceLock<Vec<[bool; 3]>>,
    /// Per language, the suggestions a declined question gets ([`Snapshot::suggestions`]).
    suggestions: OnceLock<[Vec<String>; 3]>,
    /// The key of the committed generation record it was made from, when it was.
    pub key: Option<u64>,
}

impl Snapshot {
    /// The snapshot of a generation just imported (`frozen` its index), also kept in the
    /// store for the next start.
    pub fn built(
        store: &dyn Store,
        gen: Generation,
        analyzer: Arc<Analyzer>,
        frozen: Frozen,
    ) -> Self {
        let mut snap = Snapshot::of(gen, analyzer, frozen);
        snap.key = generation_key(store, &snap.gen);
        if let Some(key) = snap.key {
            crate::persist::save(store, key, &snap.frozen);
        }
        snap
    }

    fn of(gen: Generation, analyzer: Arc<Analyzer>, mut frozen: Frozen) -> Self {
        let mut doc_slots = vec![Vec::new(); gen.docs.len()];
        for (slot, meta) in gen.sections.iter().enumerate() {
            if let Some(slots) = doc_slots.get_mut(meta.doc as usize) {
                slots.push(slot as u32);
            }
        }
        let lens: Vec<u32> = gen.sections.iter().map(|m| m.len).collect();
        if !frozen.has_bounds() {
            frozen.set_bounds(&lens, gen.avg_len.max(1.0));
        }
        let to_ids = |terms: &mut dyn Iterator<Item = &String>| -> Vec<u32> {
            terms.filter_map(|t| frozen.id(t)).collect()
        };
        let implied: Vec<(u32, u32)> = analyzer
            .implications()
            .filter_map(|(a, b)| Some((frozen.id(a)?, frozen.id(b)?)))
            .collect();
        let mut table = Table::with_capacity(gen.sections.len(), gen.docs.len());
        for (_, d) in &gen.docs {
            table.push_doc(&to_ids(&mut d.entities.iter()));
        }
        let mut focus_slots: rustc_hash::FxHashMap<(u32, Lang), Vec<u32>> = Default::default();
        let mut stray_headings: [Vec<u32>; 3] = Default::default();
        let (mut heading, mut named, mut path) = (Vec::new(), Vec::new(), Vec::new());
        for (slot, meta) in gen.sections.iter().enumerate() {
            let slot = slot as u32;
            heading.clear();
            heading.extend(meta.heading.iter().filter_map(|(t, concept)| {
                frozen
                    .id(t)
                    .map(|id| (id, *concept && analyzer.is_entity(t)))
            }));
            let entities = || heading.iter().filter(|h| h.1).map(|h| h.0);
            named.clear();
            named
                .extend(entities().filter(|&id| !entities().any(|by| implied.contains(&(by, id)))));
            path.clear();
            path.extend(to_ids(&mut meta.path_entities.iter()));
            table.push(
                meta,
                SectionIds {
                    heading: &heading,
                    path_entities: &path,
                    named: &named,
                },
            );
            for &id in path.iter().chain(table.doc_entities(meta.doc)) {
                let slots = focus_slots.entry((id, meta.lang)).or_default();
                // A slot's own entries come one after the other.
                if slots.last() != Some(&slot) {
                    slots.push(slot);
                }
            }
            let stray = heading.iter().enumerate().any(|(i, &(id, _))| {
                let (a, b) = frozen.range(id, meta.lang);
                heading[..i].iter().any(|&(h, _)| h == id)
                    || frozen.slots()[a..b].binary_search(&slot).is_err()
            });
            if stray {
                stray_headings[meta.lang.index()].push(slot);
            }
        }
        Snapshot {
            frozen,
            table,
            implied,
            focus_slots,
            stray_headings,
            gen,
            analyzer,
            doc_slots,
            typo: OnceLock::new(),
            lexicon_typo: OnceLock::new(),
            translations: OnceLock::new(),
            suggestions: OnceLock::new(),
            key: None,
        }
    }

    /// Whether the document has a version written in `lang` (itself included).
    pub fn translated(&self, doc: u32, lang: Lang) -> bool {
        let t = self.translations.get_or_init(|| {
            let docs: Vec<(&str, Option<Lang>)> = self
                .gen
                .docs
                .iter()
                .zip(&self.doc_slots)
                .map(|((path, _), slots)| {
                    let lang = slots.first().map(|&s| self.gen.sections[s as usize].lang);
                    (path.as_str(), lang)
                })
                .collect();
            crate::parallel::translations(&docs)
        });
        t.get(doc as usize).is_some_and(|l| l[lang.index()])
    }

    /// What a declined question is offered instead: the first document titles in its
    /// language, in alphabetical order (of every language when it has none).
    pub fn suggestions(&self, lang: Lang) -> &[String] {
        const SHOWN: usize = 12;
        let per = self.suggestions.get_or_init(|| {
            let titles = |lang: Option<Lang>| {
                let mut titles: Vec<&String> = self
                    .gen
                    .docs
                    .iter()
                    .filter(|(_, d)| lang.is_none_or(|l| d.lang == l))
                    .map(|(_, d)| &d.title)
                    .collect();
                titles.sort();
                titles.dedup();
                titles.truncate(SHOWN);
                titles.into_iter().cloned().collect::<Vec<String>>()
            };
            Lang::ALL.map(|l| {
                let own = titles(Some(l));
                if own.is_empty() {
                    titles(None)
                } else {
                    own
                }
            })
        });
        &per[lang.index()]
    }

    /// The section slots of one document, in document order.
    pub fn doc_slots(&self, doc: u32) -> &[u32] {
        self.doc_slots.get(doc as usize).map_or(&[], Vec::as_slice)
    }

    /// The snapshot of a generation read from the store, with the analyser of the lexicon
    /// files it was written with.
    pub fn opened(store: &dyn Store, gen: Generation) -> Result<Self, IndexError> {
        // The analyser is built while the kept snapshot is read: they do not depend on each
        // other, and each takes a good part of a start.
        let (analyzer, kept) = std::thread::scope(|scope| {
            let lexicons = &gen.lexicons;
            let building = scope.spawn(move || {
                analyzer_for(lexicons).unwrap_or_else(|e| {
                    tracing::warn!("{e}; answering with the shipped lexicon until the next import");
                    crate::analysis::builtin()
                })
            });
            let key = generation_key(store, &gen);
            let kept = key.and_then(|key| crate::persist::load(store, key));
            let analyzer = building
                .join()
                .unwrap_or_else(|_| crate::analysis::builtin());
            (analyzer, kept.map(|k| (key, k)))
        });
        if let Some((key, frozen)) = kept {
            if frozen.len() == gen.sections.len() {
                let mut snap = Snapshot::of(gen, analyzer, frozen);
                snap.key = key;
                return Ok(snap);
            }
        }
        let frozen = Frozen::build(load_records(store, &gen)?);
        Ok(Snapshot::built(store, gen, analyzer, frozen))
    }

    pub fn typo(&self) -> &TypoIndex {
        self.typo
            .get_or_init(|| TypoIndex::build(&self.gen.words, &self.analyzer))
    }

    /// Typo correction to the lexicon's own words only: small, so made at once.
    pub fn lexicon_typo(&self) -> &TypoIndex {
        self.lexicon_typo
            .get_or_init(|| TypoIndex::build(&[], &self.analyzer))
    }

    /// Whether the knowledge base writes this word (folded), as it is.
    pub fn knows_word(&self, word: &str) -> bool {
        self.gen
            .words
            .binary_search_by(|(w, _)| w.as_str().cmp(word))
            .is_ok()
    }

    /// A section's sentences and list items with their analysis, made on first use.
    pub fn analysed(&self, slot: u32) -> &crate::compose::Analysed {
        self.frozen.analysed(slot, &self.analyzer)
    }

    /// A section's heading path as a reader sees it ("Heroes › Benefits"), for traces; empty
    /// if a later import already removed it (a question that outlived two imports).
    pub fn heading_of(&self, slot: u32) -> String {
        self.frozen
            .record(slot)
            .map(|r| format!("[{}] {}", r.lang, r.path.join(" › ")))
            .unwrap_or_default()
    }
}

/// What a kept snapshot is keyed by: a checksum of the committed generation's record (`gen`
/// is always the one committed when a snapshot is opened or built).
fn generation_key(store: &dyn Store, gen: &Generation) -> Option<u64> {
    if gen.number == 0 {
        return None;
    }
    let bytes = store.get(META, CURRENT).ok()??;
    Some(crate::persist::checksum(&bytes) ^ gen.number)
}

/// Opens the index kept in `store`. The index is derived from the documents, so one written
/// by another version of this code is dropped (and rebuilt by the next import) rather than
/// refused; `true` says that happened.
pub(crate) fn open_generation(store: &dyn Store) -> Result<(Generation, bool), IndexError> {
    let format = store.get(META, FORMAT)?;
    let readable = format.as_deref() == Some(&FORMAT_VERSION.to_be_bytes()[..]);
    if readable {
        if let Ok(gen) = load_generation(store) {
            return Ok((gen, false));
        }
    }
    let existed = format.is_some() || store.get(META, CURRENT)?.is_some();
    let sources = store.get(META, SOURCES)?;
    for name in store.tree_names()? {
        if name == "kb.docs"
            || name == SECTIONS
            || name == META
            || name == crate::persist::TREE
            || name.starts_with(TERMS_PREFIX)
        {
            store.drop_tree(&name)?;
        }
    }
    store.insert(META, FORMAT, FORMAT_VERSION.to_be_bytes().to_vec())?;
    if let Some(sources) = sources {
        store.insert(META, SOURCES, sources)?;
    }
    store.flush()?;
    Ok((Generation::default(), existed))
}

pub(crate) fn load_generation(store: &dyn Store) -> Result<Generation, IndexError> {
    match store.get(META, CURRENT)? {
        None => Ok(Generation::default()),
        Some(bytes) => postcard::from_bytes(&bytes).map_err(|e| IndexError::Corrupt(e.to_string())),
    }
}

/// Every section record of a generation, in slot order.
pub(crate) fn load_records(
    store: &dyn Store,
    gen: &Generation,
) -> Result<Vec<SectionRecord>, IndexError> {
    gen.sections
        .iter()
        .map(|meta| {
            load_section(store, meta.id)?.ok_or_else(|| {
                IndexError::Corrupt(format!(
                    "section {} of the current index is missing",
                    meta.id
                ))
            })
        })
        .collect()
}

pub(crate) fn load_section(
    store: &dyn Store,
    id: u32,
) -> Result<Option<SectionRecord>, IndexError> {
    match store.get(SECTIONS, &id.to_be_bytes())? {
        None => Ok(None),
        Some(bytes) => postcard::from_bytes(&bytes)
            .map(Some)
            .map_err(|e| IndexError::Corrupt(e.to_string())),
    }
}

/// The directories recorded by `kb import`, kept across restarts.
pub(crate) fn recorded_sources(store: &dyn Store) -> Result<Vec<PathBuf>, IndexError> {
    match store.get(META, SOURCES)? {
        None => Ok(Vec::new()),
        Some(bytes) => {
            let v: Vec<String> =
                postcard::from_bytes(&bytes).map_err(|e| IndexError::Corrupt(e.to_string()))?;
            Ok(v.into_iter().map(PathBuf::from).collect())
        }
    }
}

pub(crate) fn record_sources(store: &dyn Store, dirs: &[PathBuf]) -> Result<(), IndexError> {
    let v: Vec<String> = dirs
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    store.insert(
        META,
        SOURCES,
        postcard::to_stdvec(&v).expect("serialisable"),
    )?;
    Ok(())
}

/// Writes that nothing reads before the commit (sections under fresh ids, the new
/// generation's postings, records no generation uses) go to the store in bounded batches:
/// sled's memory for one batch grows far beyond the batch (100,000 postings took 430 MB in
/// one batch, under 30 MB in batches of 500).
fn write_in_batches(
    store: &dyn Store,
    tree: &str,
    writes: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>,
) -> Result<(), IndexError> {
    const WRITES: usize = 500;
    const BYTES: usize = 256 * 1024;
    let mut batch = Vec::with_capacity(WRITES);
    let mut bytes = 0;
    for write in writes {
        bytes += write.0.len() + write.1.as_ref().map_or(0, Vec::len);
        batch.push(write);
        if batch.len() >= WRITES || bytes >= BYTES {
            store.write_batch(tree, std::mem::take(&mut batch))?;
            bytes = 0;
        }
    }
    if !batch.is_empty() {
        store.write_batch(tree, batch)?;
    }
    Ok(())
}

/// A document's fingerprint: its bytes, the analysis version and the lexicon it is analysed
/// with, so a change to any of them analyses it again.
/// FNV-1a over eight bytes at a time: a start checks every document, so this runs over the
/// whole knowledge base.
fn fnv1a(bytes: &[u8], lexicon: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ ANALYSIS_VERSION ^ lexicon.rotate_left(17);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h ^= u64::from_le_bytes(w.try_into().expect("eight bytes"));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    for &b in words.remainder() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ bytes.len() as u64
}

/// A file found in a knowledge directory.
struct Found {
    key: String,
    source: String,
    display: String,
    path: PathBuf,
}

/// What [`STAMPS`] keeps of a document's file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Stamped {
    stamp: (u64, u64, u64),
    hash: u64,
}

/// A file's size and modification time (nanoseconds since the epoch), with the lexicon's
/// fingerprint; `None` where the file system does not say.
fn stamp(path: &Path, fingerprint: u64) -> Option<(u64, u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let nanos = u64::try_from(modified.as_nanos()).ok()?;
    // File times are coarse: a file written this very moment may be written again within
    // the same tick, same size. Only a file left alone a while is trusted by its stamp
    // (git's "racily clean" entries).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    if now.saturating_sub(modified) < std::time::Duration::from_secs(2) {
        return None;
    }
    Some((meta.len(), nanos, fingerprint))
}

fn find_documents(dirs: &[PathBuf], report: &mut ImportReport) -> Result<Vec<Found>, IndexError> {
    let mut found = Vec::new();
    let mut seen = HashSet::default();
    for dir in dirs {
        let canonical = dir.canonicalize().map_err(|e| IndexError::Dir {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        if !canonical.is_dir() {
            return Err(IndexError::Dir {
                path: dir.clone(),
                message: "not a directory".into(),
            });
        }
        let files = source::find(&canonical, &mut report.notes).map_err(|e| IndexError::Dir {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        for source::Entry { path, rel: display } in files {
            let key = path.to_string_lossy().into_owned();
            if !seen.insert(key.clone()) {
                continue;
            }
            found.push(Found {
                key,
                source: canonical.to_string_lossy().into_owned(),
                display,
                path,
            });
        }
        if !found
            .iter()
            .any(|f| f.source == canonical.to_string_lossy())
        {
            report
                .notes
                .push(format!("{}: no Markdown documents found", dir.display()));
        }
    }
    // The same path below two knowledge directories: name the directory in citations.
    let mut count: HashMap<String, usize> = HashMap::default();
    for f in &found {
        *count.entry(f.display.clone()).or_insert(0) += 1;
    }
    for f in &mut found {
        if count[&f.display] > 1 {
            let dir = Path::new(&f.source)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            f.display = format!("{dir}/{}", f.display);
        }
    }
    Ok(found)
}

/// The language of a document: a folder or file-name part that names one (`en/`, `x.pt.md`),
/// else what its text looks like.
fn document_lang(display: &str, text: &str) -> Lang {
    for part in display.split(['/', '.', '_', '-']) {
        if let Ok(lang) = part.parse::<Lang>() {
            if part.len() == 2 {
                return lang;
            }
        }
    }
    detect_document(text)
}

fn count_terms(tokens: Vec<Token>, weight: u16, into: &mut HashMap<String, u16>) {
    for t in tokens {
        let e = into.entry(t.term).or_insert(0);
        *e = e.saturating_add(weight);
    }
}

fn states_a_quantity(a: &Analyzer, text: &str) -> bool {
    if text
        .chars()
        .any(|c| c.is_ascii_digit() || "二三四五六七八九十百千万两".contains(c))
    {
        return true;
    }
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| a.is_number_word(w))
}

/// What a heading says its section answers: the types a question with the same words
/// would have ("How to become an AWS Hero" is a how-to, "AWS Hero benefits" benefits).
fn heading_kinds(a: &Analyzer, heading: &str, lang: Lang) -> Vec<QType> {
    let u = a.understand_in(heading, lang);
    // "Who can be a track owner" answers who may; "Who AWS Heroes are" defines them.
    let eligibility = a.names_a_modal(&u.question);
    // "UGL types", "Hero 类别": a heading naming kinds lists them.
    let kinds_named = u.aspects.iter().any(|t| t == "@category");
    let folded = fold(heading);
    // "What an AWS User Group is", "O que são os AWS Cloud Clubs": a definition, though no
    // question would be worded so.
    let what_it_is = (folded.starts_with("what ")
        && (folded.ends_with(" is") || folded.ends_with(" are")))
        || folded.starts_with("o que e ")
        || folded.starts_with("o que sao ");
    let named_definition = defines_by_name(&folded) || what_it_is;
    u.types
        .into_iter()
        .map(|t| match t {
            QType::Who if !eligibility => QType::Definition,
            t => t,
        })
        .filter(|t| !matches!(t, QType::Other | QType::YesNo | QType::List))
        // Only "kinds of" reads as a list heading: "Who the members are" defines them.
        .chain(kinds_named.then_some(QType::List))
        .chain(named_definition.then_some(QType::Definition))
        .collect()
}

/// The text of a line that is only a label over what follows ("职责：", "Requirements:";
/// bold in the document, plain here).
fn label_line(line: &str) -> Option<&str> {
    let line = line.trim();
    let label = line
        .strip_suffix(':')
        .or_else(|| line.strip_suffix('：'))?
        .trim();
    let item = label.starts_with("- ")
        || label
            .split_once(". ")
            .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
    (!label.is_empty() && !item && label.chars().count() <= 30).then_some(label)
}

/// Whether a section defines its subject: the first of its document, or one whose own
/// heading reads as a definition ("What a User Group Leader is", "O que é…", "什么是…").
fn is_definition(first_in_doc: bool, path: &[String]) -> bool {
    if first_in_doc {
        return true;
    }
    let heading = path.last().map(|h| fold(h)).unwrap_or_default();
    ["what ", "who ", "o que ", "quem ", "about "]
        .iter()
        .any(|p| heading.starts_with(p))
        || defines_by_name(&heading)
}

/// A heading that names itself a definition or an introduction ("Overview", "角色定义",
/// "Visão geral").
fn defines_by_name(folded_heading: &str) -> bool {
    const NAMES: [&str; 16] = [
        "什么是",
        "是什么",
        "简介",
        "概述",
        "定义",
        "介绍",
        "概览",
        "overview",
        "introduction",
        "definition",
        "definicao",
        "introducao",
        "visao geral",
        "apresentacao",
        "sobre o",
        "sobre a",
    ];
    NAMES.iter().any(|n| folded_heading.contains(n))
}

/// A heading without the number that only orders it ("3. AWS User Group Leaders",
/// "Principle 3: Invent and Simplify"): a question asking for three of something is not
/// about the third one.
pub(crate) fn without_ordinal(heading: &str) -> String {
    let h = heading.trim_start();
    let digits = h.len() - h.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && digits <= 3 {
        if let Some(rest) = h[digits..].strip_prefix(['.', '、', ')']) {
            return rest.trim_start().to_string();
        }
    }
    // "Principle 3: …", "Princípio 3: …": a word, its number, a colon.
    if let Some((label, rest)) = h.split_once([':', '：']) {
        let mut words = label.split_whitespace();
        if let (Some(word), Some(n), None) = (words.next(), words.next(), words.next()) {
            if n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()) {
                return format!("{word}: {}", rest.trim_start());
            }
        }
    }
    heading.to_string()
}

fn analyse_section(
    a: &Analyzer,
    title: &str,
    path: &[String],
    text: &str,
    lang: Lang,
) -> Vec<(String, u16)> {
    let mut counts = HashMap::default();
    // The document title gives context; the section's own headings say what it is about.
    let own: &[String] = match path.first() {
        Some(first) if first == title => &path[1..],
        _ => path,
    };
    count_terms(a.analyze(title, lang), 1, &mut counts);
    let own: Vec<String> = own.iter().map(|h| without_ordinal(h)).collect();
    count_terms(a.analyze(&own.join(" "), lang), HEADING_WEIGHT, &mut counts);
    count_terms(a.analyze(text, lang), 1, &mut counts);
    let mut terms: Vec<(String, u16)> = counts.into_iter().collect();
    terms.sort();
    terms
}

/// How many files an import reads and analyses before it writes their sections.
const IMPORT_BATCH: usize = 64;

/// What reading one file gave an import.
enum Read {
    /// The document the generation holds, still (its stamp to record, when it has a new
    /// one).
    Unchanged {
        stamp: Option<(Vec<u8>, Option<Vec<u8>>)>,
    },
    /// Left out on purpose: what an earlier import took from it goes too.
    Skipped(String),
    /// Kept as it was until it can be read again.
    Unreadable(String),
    Changed(Box<ReadDocument>),
}

/// A new or changed document, analysed.
struct ReadDocument {
    hash: u64,
    stamp: Option<(Vec<u8>, Option<Vec<u8>>)>,
    notes: Vec<String>,
    lang: Lang,
    title: String,
    sections: Vec<SectionRecord>,
    /// The entity concepts of its title and first heading: what the document is about.
    entities: Vec<String>,
}

/// Reads one file found in a knowledge directory and, when it is not the document `docs`
/// holds already, analyses it into sections. Touches no shared state: files are read in
/// parallel.
fn read_document(
    a: &Analyzer,
    f: &Found,
    fingerprint: u64,
    stamps: &HashMap<Vec<u8>, Stamped>,
    docs: &HashMap<String, DocRecord>,
) -> Read {
    // A file with the stamp it had when it was read, and read as the document the
    // generation holds, is that document still.
    let stamped = stamp(&f.path, fingerprint);
    let known = stamps.get(f.key.as_bytes());
    if let (Some(now), Some(then), Some(doc)) = (stamped, known, docs.get(&f.key)) {
        if then.stamp == now && then.hash == doc.hash {
            return Read::Unchanged { stamp: None };
        }
    }
    let bytes = match source::read(&f.path, Path::new(&f.source), MAX_DOC_BYTES) {
        Ok(b) => b,
        Err(source::ReadError::Skipped(why)) => return Read::Skipped(why.to_string()),
        Err(source::ReadError::Io(e)) => return Read::Unreadable(e.to_string()),
    };
    let hash = fnv1a(&bytes, fingerprint);
    let stamp = stamped.and_then(|now| {
        let record = Stamped { stamp: now, hash };
        (known != Some(&record)).then(|| {
            let value = postcard::to_stdvec(&record).expect("serialisable");
            (f.key.as_bytes().to_vec(), Some(value))
        })
    });
    // Touched but not changed: read again each time until it changes (a new stamp would
    // mean a new generation for nothing).
    if docs.get(&f.key).is_some_and(|old| old.hash == hash) {
        return Read::Unchanged { stamp };
    }
    let mut notes = Vec::new();
    let (text, repairs) = encoding::decode(&bytes);
    drop(bytes);
    if repairs.any() {
        notes.push(format!("{}: {}", f.display, repairs.describe()));
    }
    // Judged on what can be parsed, not on megabytes no section will hold.
    let sample = markdown::shorten(&text, markdown::Limits::DEFAULT.source_bytes);
    let lang = document_lang(&f.display, sample);
    let parsed = markdown::parse(&text, &f.display);
    drop(text);
    if parsed.cut.any() {
        notes.push(format!("{}: {}", f.display, parsed.cut.describe()));
    }
    let mut sections = Vec::with_capacity(parsed.sections.len());
    let mut entities = Vec::new();
    for (n, raw) in parsed.sections.into_iter().enumerate() {
        let mut terms = analyse_section(a, &parsed.title, &raw.path, &raw.text, lang);
        if is_definition(n == 0, &raw.path) {
            terms.push(("@what".to_string(), 1));
        }
        if n == 0 {
            // What the document is about: the programs its title and its first heading
            // name, not every one its opening mentions.
            let named = format!("{}\n{}", parsed.title, raw.path.join("\n"));
            entities = entities_named(a, &named, lang);
        }
        sections.push(SectionRecord {
            doc: f.display.clone(),
            lang,
            title: parsed.title.clone(),
            path: raw.path,
            text: raw.text,
            terms,
        });
    }
    Read::Changed(Box::new(ReadDocument {
        hash,
        stamp,
        notes,
        lang,
        title: parsed.title,
        sections,
        entities,
    }))
}

/// The programs and roles a text names, sorted, each once.
fn entities_named(a: &Analyzer, text: &str, lang: Lang) -> Vec<String> {
    let mut named: Vec<String> = a
        .analyze(text, lang)
        .into_iter()
        .map(|t| t.term)
        .filter(|t| a.is_entity(t))
        .collect();
    named.sort();
    named.dedup();
    named
}

/// What ranking needs of one section without reading it ([`SectionMeta`]), with its length
/// in terms before the floor of one.
fn section_meta(
    a: &Analyzer,
    rec: &SectionRecord,
    id: u32,
    doc_index: u32,
    doc: &DocRecord,
) -> (SectionMeta, u32) {
    let len: u32 = rec.terms.iter().map(|(_, tf)| u32::from(*tf)).sum();
    let mut heading: Vec<(String, bool)> = rec
        .path
        .last()
        .map(|h| a.analyze(h, rec.lang))
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.term, t.kind == Kind::Concept))
        .collect();
    heading.sort();
    heading.dedup();
    let own_heading = rec.path.last().map(String::as_str).unwrap_or("");
    let mut kinds = heading_kinds(a, own_heading, rec.lang);
    // A section under a heading of benefits, duties or requirements ("Benefícios de
    // Participar…" › "Networking Profissional") is one of them, when its own heading says
    // no other kind.
    if kinds.is_empty() {
        if let [.., parent, _] = rec.path.as_slice() {
            if *parent != rec.title {
                kinds.extend(heading_kinds(a, parent, rec.lang).into_iter().filter(|k| {
                    matches!(k, QType::Benefits | QType::Duties | QType::Requirements)
                }));
            }
        }
    }
    let heading_asks = !kinds.is_empty();
    // Labels over the parts of a section ("职责：" over the duties, "Requirements:") name
    // what the section holds, as a heading would.
    for label in rec.text.lines().filter_map(label_line) {
        for k in heading_kinds(a, label, rec.lang) {
            if !matches!(k, QType::Definition | QType::List) && !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    let definition =
        rec.terms.iter().any(|(t, _)| t == "@what") || kinds.contains(&QType::Definition);
    let items = rec
        .text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("- ")
                || l.split_once(". ").is_some_and(|(n, _)| {
                    !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())
                })
        })
        .count();
    let own_path: &[String] = match rec.path.first() {
        Some(first) if *first == rec.title => &rec.path[1..],
        _ => &rec.path,
    };
    let meta = SectionMeta {
        path_entities: entities_named(a, &own_path.join(" \n "), rec.lang),
        id,
        len: len.max(1),
        lang: rec.lang,
        heading,
        quantity: states_a_quantity(a, &rec.text),
        kinds,
        heading_asks,
        definition,
        items: items.min(usize::from(u16::MAX)) as u16,
        opening: doc.sections.first() == Some(&id),
        has_time: crate::compose::has_time(a, &rec.text),
        has_link: rec.text.contains("://"),
        doc: doc_index,
    };
    (meta, len)
}

/// What an import leaves: its report, the generation now current with its analyser (none
/// when it is the `known` one, unchanged), and the generation's answering index when its
/// sections were read (not when nothing changed).
pub(crate) type Synced = (
    ImportReport,
    Option<Generation>,
    Arc<Analyzer>,
    Option<Frozen>,
);

/// Brings the store in line with the given directories. With `exact`, documents from any
/// other directory are dropped; otherwise only documents under these directories change.
/// `known` is the generation being answered from: when it is still the committed one (the
/// store's record has the same key), it is taken as it is instead of being read again.
pub(crate) fn sync(
    store: &dyn Store,
    dirs: &[PathBuf],
    exact: bool,
    known: Option<&Snapshot>,
) -> Result<Synced, IndexError> {
    let started = Instant::now();
    let mut report = ImportReport::default();
    // The lexicon first: a mistake in an operator's file stops the import before anything
    // changes, with the file and the line.
    let lexicons = operator_lexicons(dirs, &mut report)?;
    let analyzer = analyzer_for(&lexicons)?;
    let a = analyzer.as_ref();
    let fingerprint = a.lexicon().fingerprint;
    let found = find_documents(dirs, &mut report)?;
    let sources: HashSet<String> = dirs
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    // The generation answered from, when it is still the committed one, is only copied
    // once something changed: a start on an unchanged store copies nothing.
    let known = known
        .filter(|snap| snap.key.is_some() && generation_key(store, &snap.gen) == snap.key)
        .map(|snap| &snap.gen);
    let mut loaded = match known {
        Some(_) => None,
        None => Some(load_generation(store)?),
    };
    let base = known.or(loaded.as_ref()).expect("one of the two");
    let mut docs: HashMap<String, DocRecord> = base.docs.iter().cloned().collect();
    let mut next_id = base.next_id;

    let mut present = HashSet::default();
    let stamps: HashMap<Vec<u8>, Stamped> = store
        .scan(STAMPS)?
        .into_iter()
        .filter_map(|(k, v)| Some((k, postcard::from_bytes(&v).ok()?)))
        .collect();
    let mut stamp_writes: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    // Files are read and analysed a batch at a time, spread over the cores; what each one
    // gives is taken in file order, and its sections written, before the next batch is
    // read: memory holds a batch of documents, not the folder.
    for batch in found.chunks(IMPORT_BATCH) {
        let read = crate::threads::map_runs(batch, 1, |run| {
            run.iter()
                .map(|f| read_document(a, f, fingerprint, &stamps, &docs))
                .collect::<Vec<_>>()
        });
        let mut section_writes: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
        for (f, read) in batch.iter().zip(read.into_iter().flatten()) {
            let read = match read {
                Read::Unchanged { stamp } => {
                    present.insert(f.key.clone());
                    report.unchanged += 1;
                    stamp_writes.extend(stamp);
                    continue;
                }
                Read::Skipped(why) => {
                    report.notes.push(format!("{}: {why}", f.display));
                    continue;
                }
                Read::Unreadable(why) => {
                    present.insert(f.key.clone());
                    report
                        .notes
                        .push(format!("{}: could not be read: {why}", f.display));
                    continue;
                }
                Read::Changed(read) => read,
            };
            present.insert(f.key.clone());
            stamp_writes.extend(read.stamp);
            report.notes.extend(read.notes);
            let mut ids = Vec::with_capacity(read.sections.len());
            for rec in read.sections {
                // Fresh ids: the sections the current generation reads are never overwritten.
                let id = next_id;
                next_id += 1;
                ids.push(id);
                section_writes.push((
                    id.to_be_bytes().to_vec(),
                    Some(postcard::to_stdvec(&rec).expect("serialisable")),
                ));
            }
            if ids.is_empty() {
                report.notes.push(format!("{}: no text found", f.display));
            }
            if docs.contains_key(&f.key) {
                report.updated += 1;
            } else {
                report.added += 1;
            }
            let rec = DocRecord {
                source: f.source.clone(),
                hash: read.hash,
                lang: read.lang,
                title: read.title,
                sections: ids,
                entities: read.entities,
            };
            docs.insert(f.key.clone(), rec);
        }
        // 1. The changed documents' sections, under fresh ids: nothing reads them before
        // the commit.
        write_in_batches(store, SECTIONS, section_writes)?;
    }

    let before = docs.len();
    docs.retain(|k, d| present.contains(k) || !(exact || sources.contains(&d.source)));
    // The stamps of documents gone go with them.
    stamp_writes.extend(
        stamps
            .keys()
            .filter(|k| std::str::from_utf8(k).map_or(true, |k| !docs.contains_key(k)))
            .map(|k| (k.clone(), None)),
    );
    if !stamp_writes.is_empty() {
        store.write_batch(STAMPS, stamp_writes)?;
    }
    report.removed = before - docs.len();
    report.documents = docs.len();
    let mut docs: Vec<(String, DocRecord)> = docs.into_iter().collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    report.sections = docs.iter().map(|(_, d)| d.sections.len()).sum();
    if !report.changed() && base.number > 0 && base.lexicons == lexicons {
        report.elapsed = started.elapsed();
        let gen = loaded.take().map(|mut gen| {
            gen.docs = docs;
            gen
        });
        return Ok((report, gen, analyzer, None));
    }
    let mut gen = match loaded {
        Some(gen) => gen,
        None => known.expect("one of the two").clone(),
    };
    gen.next_id = next_id;
    gen.lexicons = lexicons;

    // 2. The new generation's ranking facts; its postings are built in memory from the
    // sections' terms (crate::frozen).
    let previous_ids: Vec<u32> = gen.sections.iter().map(|m| m.id).collect();
    gen.number += 1;
    // Each section's ranking facts, read from its record: independent of every other
    // section's, so spread over the cores in contiguous runs that keep slot order.
    let wanted: Vec<(u32, &DocRecord, u32)> = docs
        .iter()
        .enumerate()
        .flat_map(|(doc_index, (_, doc))| {
            doc.sections
                .iter()
                .map(move |&id| (doc_index as u32, doc, id))
        })
        .collect();
    let runs = crate::threads::map_runs(&wanted, 64, |run| -> Result<_, IndexError> {
        let mut words: HashMap<String, u32> = HashMap::default();
        let mut metas = Vec::with_capacity(run.len());
        let mut part = crate::frozen::Part::default();
        for &(doc_index, doc, id) in run {
            let Some(rec) = load_section(store, id)? else {
                return Err(IndexError::Corrupt(format!(
                    "section {id} of {} is missing",
                    doc.title
                )));
            };
            metas.push(section_meta(a, &rec, id, doc_index, doc));
            let folded = fold(&rec.text);
            for w in folded.split(|c: char| !c.is_alphabetic() || crate::lang::is_han(c)) {
                if w.chars().count() >= 3 {
                    *words.entry(w.to_string()).or_insert(0) += 1;
                }
            }
            part.push(rec);
        }
        Ok((metas, part, words))
    });
    let mut index = crate::frozen::Builder::default();
    let mut words: HashMap<String, u32> = HashMap::default();
    let mut sections = Vec::with_capacity(report.sections);
    let mut total_len: u64 = 0;
    for run in runs {
        let (metas, part, run_words) = run?;
        for (meta, len) in metas {
            total_len += u64::from(len);
            sections.push(meta);
        }
        index.append(part);
        if words.is_empty() {
            words = run_words;
        } else {
            for (w, n) in run_words {
                *words.entry(w).or_insert(0) += n;
            }
        }
    }

    gen.avg_len = if sections.is_empty() {
        1.0
    } else {
        total_len as f32 / sections.len() as f32
    };
    gen.sections = sections;
    gen.docs = docs;
    let mut words: Vec<(String, u32)> = words.into_iter().collect();
    words.sort();
    gen.words = words;
    let stale_previous = std::mem::replace(&mut gen.previous, previous_ids);

    // 3. The commit: one write of the whole generation.
    store.insert(
        META,
        CURRENT,
        postcard::to_stdvec(&gen).expect("serialisable"),
    )?;
    store.flush()?;

    // 4. What neither this generation nor the previous one uses. Readers of the previous
    // generation still find their sections and postings.
    let keep: HashSet<u32> = gen
        .sections
        .iter()
        .map(|m| m.id)
        .chain(gen.previous.iter().copied())
        .collect();
    let mut stale: Vec<(Vec<u8>, Option<Vec<u8>>)> = stale_previous
        .into_iter()
        .filter(|id| !keep.contains(id))
        .map(|id| (id.to_be_bytes().to_vec(), None))
        .collect();
    // Sections left by an import that died before its commit have ids no generation knows.
    if stale.is_empty() || gen.number % 16 == 0 {
        for k in store.keys(SECTIONS)? {
            if let Ok(bytes) = <[u8; 4]>::try_from(k.as_slice()) {
                if !keep.contains(&u32::from_be_bytes(bytes)) {
                    stale.push((k, None));
                }
            }
        }
    }
    write_in_batches(store, SECTIONS, stale)?;
    // Postings trees of older versions of this code: the postings live in memory now.
    for name in store.tree_names()? {
        if name.starts_with(TERMS_PREFIX) {
            store.drop_tree(&name)?;
        }
    }
    report.elapsed = started.elapsed();
    Ok((report, Some(gen), analyzer, Some(index.finish())))
}

#[cfg(test)]
mod tests {
    use super::without_ordinal;

    #[test]
    fn a_heading_loses_the_number_that_only_orders_it() {
        assert_eq!(
            without_ordinal("3. AWS User Group Leaders"),
            "AWS User Group Leaders"
        );
        assert_eq!(without_ordinal("1. 城市组织者"), "城市组织者");
        assert_eq!(
            without_ordinal("Principle 3: Invent and Simplify"),
            "Principle: Invent and Simplify"
        );
        assert_eq!(
            without_ordinal("2024 member strategy"),
            "2024 member strategy"
        );
        assert_eq!(
            without_ordinal("The 7 Hero categories"),
            "The 7 Hero categories"
        );
    }
}
