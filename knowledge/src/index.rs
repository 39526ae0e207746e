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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::analysis::{fold, Analyzer, Kind, Token};
use crate::encoding;
use crate::frozen::Frozen;
use crate::lang::{detect_document, Lang};
use crate::lexicon::{Lexicon, LexiconError};
use crate::markdown;
use crate::query::{QType, Understanding};
use crate::source;
use crate::store::{Store, StoreError};
use crate::typo::TypoIndex;

pub(crate) const SECTIONS: &str = "kb.sections";
pub(crate) const META: &str = "kb.meta";
const TERMS_PREFIX: &str = "kb.terms.";
const CURRENT: &[u8] = b"current";
const FORMAT: &[u8] = b"format";
/// The layout of the index records; a store written with another is rebuilt from the documents.
const FORMAT_VERSION: u32 = 6;
const SOURCES: &[u8] = b"sources";

/// Bumped whenever analysis changes, so every document is analysed again on the next start.
const ANALYSIS_VERSION: u64 = 17;
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
    /// What its own heading says it answers (benefits, how to join, a count…).
    pub kinds: Vec<QType>,
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

impl Generation {
    /// Document titles in one language (all languages when it has none), for suggestions.
    pub fn titles(&self, lang: Lang) -> Vec<String> {
        let mut titles: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.lang == lang)
            .map(|(_, d)| d.title.clone())
            .collect();
        if titles.is_empty() {
            titles = self.docs.iter().map(|(_, d)| d.title.clone()).collect();
        }
        titles.sort();
        titles.dedup();
        titles
    }
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
    /// Per section, its heading terms and the programs its headings name, by term id; per
    /// document, the programs it is about.
    pub ids: Vec<SectionIds>,
    pub doc_entity_ids: Vec<Vec<u32>>,
    /// Per program or role (by term id), the sections whose headings name it and the
    /// documents about it: what bounds a section's focus before it is scored in full.
    entity_path_slots: rustc_hash::FxHashMap<u32, Vec<u32>>,
    entity_docs: rustc_hash::FxHashMap<u32, Vec<u32>>,
    typo: OnceLock<TypoIndex>,
    translations: OnceLock<Vec<[bool; 3]>>,
}

impl Snapshot {
    pub fn new(gen: Generation, analyzer: Arc<Analyzer>, records: Vec<SectionRecord>) -> Self {
        let mut doc_slots = vec![Vec::new(); gen.docs.len()];
        for (slot, meta) in gen.sections.iter().enumerate() {
            if let Some(slots) = doc_slots.get_mut(meta.doc as usize) {
                slots.push(slot as u32);
            }
        }
        let frozen = Frozen::build(records);
        let to_ids = |terms: &mut dyn Iterator<Item = &String>| -> Vec<u32> {
            terms.filter_map(|t| frozen.id(t)).collect()
        };
        let ids: Vec<SectionIds> = gen
            .sections
            .iter()
            .map(|m| SectionIds {
                heading: m
                    .heading
                    .iter()
                    .filter_map(|(t, concept)| {
                        frozen
                            .id(t)
                            .map(|id| (id, *concept && analyzer.is_entity(t)))
                    })
                    .collect(),
                path_entities: to_ids(&mut m.path_entities.iter()),
            })
            .collect();
        let doc_entity_ids: Vec<Vec<u32>> = gen
            .docs
            .iter()
            .map(|(_, d)| to_ids(&mut d.entities.iter()))
            .collect();
        let mut entity_path_slots: rustc_hash::FxHashMap<u32, Vec<u32>> = Default::default();
        for (slot, section) in ids.iter().enumerate() {
            for &id in &section.path_entities {
                let slots = entity_path_slots.entry(id).or_default();
                if slots.last() != Some(&(slot as u32)) {
                    slots.push(slot as u32);
                }
            }
        }
        let mut entity_docs: rustc_hash::FxHashMap<u32, Vec<u32>> = Default::default();
        for (doc, entities) in doc_entity_ids.iter().enumerate() {
            for &id in entities {
                let docs = entity_docs.entry(id).or_default();
                if docs.last() != Some(&(doc as u32)) {
                    docs.push(doc as u32);
                }
            }
        }
        Snapshot {
            frozen,
            ids,
            doc_entity_ids,
            entity_path_slots,
            entity_docs,
            gen,
            analyzer,
            doc_slots,
            typo: OnceLock::new(),
            translations: OnceLock::new(),
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

    /// The section slots of one document, in document order.
    pub fn doc_slots(&self, doc: u32) -> &[u32] {
        self.doc_slots.get(doc as usize).map_or(&[], Vec::as_slice)
    }

    /// The snapshot of a generation read from the store, with the analyser of the lexicon
    /// files it was written with.
    pub fn opened(store: &dyn Store, gen: Generation) -> Result<Self, IndexError> {
        let analyzer = analyzer_for(&gen.lexicons).unwrap_or_else(|e| {
            tracing::warn!("{e}; answering with the shipped lexicon until the next import");
            crate::analysis::builtin()
        });
        let records = load_records(store, &gen)?;
        Ok(Snapshot::new(gen, analyzer, records))
    }

    pub fn typo(&self) -> &TypoIndex {
        self.typo
            .get_or_init(|| TypoIndex::build(&self.gen.words, &self.analyzer))
    }

    /// The section in a slot of this generation; `None` if a later import already removed
    /// it (a question that outlived two imports).
    /// A section's sentences and list items with their analysis, made on first use.
    pub fn analysed(&self, slot: u32) -> &crate::compose::Analysed {
        self.frozen.analysed(slot, &self.analyzer)
    }
}

/// A section's ranking facts that name terms, by their ids in the snapshot's dictionary.
pub(crate) struct SectionIds {
    /// Its own heading's terms, each with whether it is a program or role.
    pub heading: Vec<(u32, bool)>,
    pub path_entities: Vec<u32>,
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
        if name == "kb.docs" || name == SECTIONS || name == META || name.starts_with(TERMS_PREFIX) {
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
fn fnv1a(bytes: &[u8], lexicon: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ ANALYSIS_VERSION ^ lexicon.rotate_left(17);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A file found in a knowledge directory.
struct Found {
    key: String,
    source: String,
    display: String,
    path: PathBuf,
}

fn find_documents(dirs: &[PathBuf], report: &mut ImportReport) -> Result<Vec<Found>, IndexError> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
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
    let mut count: HashMap<String, usize> = HashMap::new();
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
    let u = a.understand(heading, lang);
    // "Who can be a track owner" answers who may; "Who AWS Heroes are" defines them.
    let eligibility = a.names_a_modal(&u.question);
    // "UGL types", "Hero 类别": a heading naming kinds lists them.
    let kinds_named = u.aspects.iter().any(|t| t == "@category");
    let named_definition = defines_by_name(&fold(heading));
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

fn analyse_section(
    a: &Analyzer,
    title: &str,
    path: &[String],
    text: &str,
    lang: Lang,
) -> Vec<(String, u16)> {
    let mut counts = HashMap::new();
    // The document title gives context; the section's own headings say what it is about.
    let own: &[String] = match path.first() {
        Some(first) if first == title => &path[1..],
        _ => path,
    };
    count_terms(a.analyze(title, lang), 1, &mut counts);
    count_terms(a.analyze(&own.join(" "), lang), HEADING_WEIGHT, &mut counts);
    count_terms(a.analyze(text, lang), 1, &mut counts);
    let mut terms: Vec<(String, u16)> = counts.into_iter().collect();
    terms.sort();
    terms
}

/// What an import leaves: its report, the generation now current with its analyser, and
/// the generation's section records when they were read (not when nothing changed).
pub(crate) type Synced = (
    ImportReport,
    Generation,
    Arc<Analyzer>,
    Option<Vec<SectionRecord>>,
);

/// Brings the store in line with the given directories. With `exact`, documents from any
/// other directory are dropped; otherwise only documents under these directories change.
pub(crate) fn sync(store: &dyn Store, dirs: &[PathBuf], exact: bool) -> Result<Synced, IndexError> {
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
    let mut gen = load_generation(store)?;
    let mut docs: HashMap<String, DocRecord> = gen.docs.drain(..).collect();

    let mut section_writes: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    let mut present = HashSet::new();
    for f in &found {
        let bytes = match source::read(&f.path, Path::new(&f.source), MAX_DOC_BYTES) {
            Ok(b) => b,
            // Left out on purpose: what an earlier import took from it goes too.
            Err(source::ReadError::Skipped(why)) => {
                report.notes.push(format!("{}: {why}", f.display));
                continue;
            }
            // Kept as it was until it can be read again.
            Err(source::ReadError::Io(e)) => {
                present.insert(f.key.clone());
                report
                    .notes
                    .push(format!("{}: could not be read: {e}", f.display));
                continue;
            }
        };
        present.insert(f.key.clone());
        let hash = fnv1a(&bytes, fingerprint);
        if docs.get(&f.key).is_some_and(|old| old.hash == hash) {
            report.unchanged += 1;
            continue;
        }
        let (text, repairs) = encoding::decode(&bytes);
        if repairs.any() {
            report
                .notes
                .push(format!("{}: {}", f.display, repairs.describe()));
        }
        // Judged on what can be parsed, not on megabytes no section will hold.
        let sample = markdown::shorten(&text, markdown::Limits::DEFAULT.source_bytes);
        let lang = document_lang(&f.display, sample);
        let parsed = markdown::parse(&text, &f.display);
        drop(text);
        if parsed.cut.any() {
            report
                .notes
                .push(format!("{}: {}", f.display, parsed.cut.describe()));
        }
        let mut ids = Vec::with_capacity(parsed.sections.len());
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
                entities = a
                    .analyze(&named, lang)
                    .into_iter()
                    .map(|t| t.term)
                    .filter(|t| a.is_entity(t))
                    .collect();
                entities.sort();
                entities.dedup();
            }
            let rec = SectionRecord {
                doc: f.display.clone(),
                lang,
                title: parsed.title.clone(),
                path: raw.path,
                text: raw.text,
                terms,
            };
            // Fresh ids: the sections the current generation reads are never overwritten.
            let id = gen.next_id;
            gen.next_id += 1;
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
            hash,
            lang,
            title: parsed.title,
            sections: ids,
            entities,
        };
        docs.insert(f.key.clone(), rec);
    }

    let before = docs.len();
    docs.retain(|k, d| present.contains(k) || !(exact || sources.contains(&d.source)));
    report.removed = before - docs.len();
    report.documents = docs.len();
    let mut docs: Vec<(String, DocRecord)> = docs.into_iter().collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    report.sections = docs.iter().map(|(_, d)| d.sections.len()).sum();
    if !report.changed() && gen.number > 0 && gen.lexicons == lexicons {
        gen.docs = docs;
        report.elapsed = started.elapsed();
        return Ok((report, gen, analyzer, None));
    }
    gen.lexicons = lexicons;

    // 1. The changed documents' sections, under fresh ids.
    write_in_batches(store, SECTIONS, section_writes)?;
    // 2. The new generation's ranking facts; its postings are built in memory from the
    // sections' terms (crate::frozen).
    let previous_ids: Vec<u32> = gen.sections.iter().map(|m| m.id).collect();
    gen.number += 1;
    let mut records = Vec::with_capacity(report.sections);
    let mut words: HashMap<String, u32> = HashMap::new();
    let mut sections = Vec::with_capacity(report.sections);
    let mut total_len: u64 = 0;
    for (doc_index, (_, doc)) in docs.iter().enumerate() {
        for &id in &doc.sections {
            let Some(rec) = load_section(store, id)? else {
                return Err(IndexError::Corrupt(format!(
                    "section {id} of {} is missing",
                    doc.title
                )));
            };
            let slot = sections.len() as u32;
            let len: u32 = rec.terms.iter().map(|(_, tf)| u32::from(*tf)).sum();
            total_len += u64::from(len);
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
            let kinds = heading_kinds(a, own_heading, rec.lang);
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
            let mut path_entities: Vec<String> = a
                .analyze(&own_path.join(" \n "), rec.lang)
                .into_iter()
                .map(|t| t.term)
                .filter(|t| a.is_entity(t))
                .collect();
            path_entities.sort();
            path_entities.dedup();
            sections.push(SectionMeta {
                path_entities,
                id,
                len: len.max(1),
                lang: rec.lang,
                heading,
                quantity: states_a_quantity(a, &rec.text),
                kinds,
                definition,
                items: items.min(usize::from(u16::MAX)) as u16,
                opening: doc.sections.first() == Some(&id),
                has_time: crate::compose::has_time(a, &rec.text),
                has_link: rec.text.contains("://"),
                doc: doc_index as u32,
            });
            let folded = fold(&rec.text);
            for w in folded.split(|c: char| !c.is_alphabetic() || crate::lang::is_han(c)) {
                if w.chars().count() >= 3 {
                    *words.entry(w.to_string()).or_insert(0) += 1;
                }
            }
            debug_assert_eq!(slot as usize, records.len());
            records.push(rec);
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
        for (k, _) in store.scan(SECTIONS)? {
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
    Ok((report, gen, analyzer, Some(records)))
}

/// One query term with its weight in the question.
#[derive(Debug, Clone)]
pub(crate) struct QueryTerm {
    pub term: String,
    pub kind: Kind,
    /// Comes from a word typo correction changed: it counts half, being a guess.
    pub corrected: bool,
}

/// The named signals a section was ranked by, in order of how much they decide; their
/// product is its score. `kb search` shows them.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Signals {
    /// BM25 over the question's terms.
    pub words: f32,
    /// The share of the question the section covers, as `0.25 + coverage`.
    pub coverage: f32,
    /// Names the program or role the question is about (1), only in its document (0.85),
    /// or not at all (0.35).
    pub focus: f32,
    /// Its heading answers what the question asks (benefits, duties, how to join, a count:
    /// 1.5), something else (0.7), or says nothing of it (1).
    pub aspect: f32,
    /// The question's terms in its heading, and other programs named there.
    pub heading: f32,
    /// The question's language (1) or another (0.5).
    pub language: f32,
}

impl Signals {
    pub fn score(&self) -> f32 {
        self.words * self.coverage * self.focus * self.aspect * self.heading * self.language
    }

    pub fn named(&self) -> [(&'static str, f32); 6] {
        [
            ("focus", self.focus),
            ("aspect", self.aspect),
            ("coverage", self.coverage),
            ("words", self.words),
            ("heading", self.heading),
            ("language", self.language),
        ]
    }
}

/// How well a section answers what the question asks: its heading names the aspect asked
/// (benefits, duties, how to join, a count…) or another one; it holds what a when, where or
/// count question needs (a date, an address, a number); it defines its subject.
fn aspect_fit(asked: &[QType], meta: &SectionMeta, defines_focus: bool, lean: bool) -> f32 {
    const ASPECTS: [QType; 8] = [
        QType::Benefits,
        QType::Duties,
        QType::Requirements,
        QType::HowTo,
        QType::Count,
        QType::When,
        QType::Where,
        QType::Who,
    ];
    const CONTENT: [QType; 5] = [
        QType::Benefits,
        QType::Duties,
        QType::Requirements,
        QType::Count,
        QType::Who,
    ];
    const JOINING: [QType; 3] = [QType::HowTo, QType::When, QType::Where];
    // The aspects asked, without collecting them: this runs for every section ranked.
    let wanted = || asked.iter().filter(|t| ASPECTS.contains(t));
    let wants = |t: &QType| ASPECTS.contains(t) && asked.contains(t);
    let heading_aspects = meta.kinds.iter().any(|k| ASPECTS.contains(k));
    let mut fit = if wanted().next().is_none() {
        // "What a Cloud Captain is, and what they do" defines as well as any; "UGL types"
        // lists kinds rather than saying what a UGL is.
        let defines = meta.kinds.contains(&QType::Definition)
            || (!heading_aspects && !meta.kinds.contains(&QType::List));
        let defining = asked.contains(&QType::Definition) || lean;
        if defining && meta.definition && defines && defines_focus {
            // The opening of a program's document defines it best.
            if meta.opening {
                1.4
            } else {
                1.25
            }
        } else if asked.contains(&QType::Definition) && !defines {
            0.8
        } else {
            1.0
        }
    } else if meta.kinds.iter().any(wants) {
        1.5
    } else if wants(&QType::Who) && meta.definition && !heading_aspects {
        // "What kinds of people make up the membership?" is answered by "Who the members are".
        1.3
    } else if meta.kinds.iter().any(|k| CONTENT.contains(k) && !wants(k))
        && wanted().any(|w| CONTENT.contains(w) || !JOINING.contains(w))
    {
        // Benefits asked, duties answered: another aspect. How to join, when and where
        // are facets of one answer and do not count against each other.
        0.7
    } else {
        1.0
    };
    let evidence = |has: bool| if has { 1.15 } else { 0.85 };
    if wants(&QType::When) {
        fit *= evidence(meta.has_time);
    }
    if wants(&QType::Where) {
        fit *= evidence(meta.has_link);
    }
    if wants(&QType::Count) {
        fit *= evidence(meta.quantity || meta.items > 1);
    }
    fit
}

/// Whether a section holds what the question's types need: a number for a count, a date
/// for "when", an address for "where", a list (or a heading that names the aspect) for a
/// list, benefits, duties or requirements.
pub(crate) fn holds_what_is_asked(meta: &SectionMeta, hit: &Hit, types: &[QType]) -> bool {
    types.iter().all(|t| match t {
        // A number the text states; a list's items are counted only in the asker's language.
        QType::Count => meta.quantity,
        QType::When => meta.has_time,
        QType::Where => meta.has_link,
        t if t.wants_list() => meta.items >= 2 || hit.signals.aspect >= 1.3,
        _ => true,
    })
}

/// A ranked section.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// The section's slot in the generation.
    pub slot: u32,
    pub score: f32,
    /// The share of the question's weight this section matches, 0..=1.
    pub coverage: f32,
    /// The share of the question's language-neutral weight (concepts, numbers) it matches.
    pub neutral: f32,
    pub lang: Lang,
    pub signals: Signals,
}

/// What ranking learnt of the question as a whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranked {
    pub hits: Vec<Hit>,
    /// Each question term's weight.
    pub weights: HashMap<String, f32>,
    /// The share of the question's weight in words the knowledge base does not have at all.
    pub unknown: f32,
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Zh => 1,
        Lang::Pt => 2,
    }
}

fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Ranks live sections for the query terms: BM25 with the question language preferred,
/// and for each section the share of the question's weight it covers. Every section that
/// can be among the `keep` best of its language is returned, best first; sections that
/// cannot are left out without being scored in full.
pub(crate) fn rank(
    snap: &Snapshot,
    terms: &[QueryTerm],
    lang: Lang,
    u: &Understanding,
    keep: usize,
) -> Result<Ranked, IndexError> {
    let a = snap.analyzer.as_ref();
    // "Can I apply to be a Hero myself?": a yes/no question is answered where what it asks
    // about is told (how to apply), so its aspects' types rank as if asked.
    let with_aspects: Vec<QType>;
    let asked = if u.types.contains(&QType::YesNo) {
        with_aspects = u
            .types
            .iter()
            .copied()
            .chain(u.aspects.iter().filter_map(|t| snap.analyzer.qtype_of(t)))
            .collect();
        &with_aspects
    } else {
        &u.types
    };
    // "Is Community Day run by AWS?": a yes/no question about a program that asks about no
    // aspect of it is answered where the program is defined (what it is, who runs it).
    let leans_to_definition = (asked.contains(&QType::YesNo) || u.compares)
        && u.aspects.is_empty()
        && !u.focus.is_empty();
    let who = asked.contains(&QType::Who);
    let sections = &snap.gen.sections;
    let n = sections.len().max(1) as f32;
    let avg_len = snap.gen.avg_len.max(1.0);
    // The question's distinct terms (at most 64 take part in the masks), with their ids in
    // this generation's dictionary (a term without one is in no section).
    let mut distinct: Vec<Term> = Vec::with_capacity(terms.len());
    let mut weights: HashMap<String, f32> = HashMap::new();
    let (mut total_weight, mut unknown_weight, mut neutral_weight) = (0.0f32, 0.0f32, 0.0f32);
    let mut entity_mask: u64 = 0;
    // Per question word: the languages whose sections contain it at all.
    let mut word_langs: Vec<(f32, [bool; 3])> = Vec::new();
    SCORES.with_borrow_mut(|scores| {
        if scores.len() != sections.len() {
            scores.clear();
            scores.resize(sections.len(), Score::default());
        }
    });
    let mut touched: Vec<u32> = Vec::new();
    for qt in terms {
        if distinct.iter().any(|d| d.term == qt.term) {
            continue;
        }
        let postings = snap.frozen.postings(&qt.term);
        let term_idf = idf(n, postings.len() as f32);
        let entity = a.is_entity(&qt.term);
        let weight = match qt.kind {
            // The concept a synonym matched carries its meaning; the word itself only ranks.
            Kind::Synonym => 0.0,
            _ if !postings.is_empty() => term_idf,
            // Unknown words weigh as the rarest known ones; a stray Chinese bigram less.
            Kind::Han => idf(n, 1.0) * 0.5,
            Kind::Word | Kind::Concept => idf(n, 1.0),
        };
        // The program or role a question names is what it is about: it weighs double, however
        // many sections mention it.
        let weight = if entity { weight * 2.0 } else { weight };
        total_weight += weight;
        if postings.is_empty() && qt.kind != Kind::Synonym {
            unknown_weight += weight;
        }
        weights.insert(qt.term.clone(), weight);
        let credit = if qt.corrected { weight * 0.5 } else { weight };
        let neutral = qt.kind == Kind::Concept || qt.term.chars().all(|c| c.is_ascii_digit());
        if neutral {
            neutral_weight += weight;
        }
        let bit = if distinct.len() < 64 {
            1u64 << distinct.len()
        } else {
            0
        };
        if entity {
            entity_mask |= bit;
        }
        // An aspect that asks for a number, a date or an address is met by a section that
        // holds one, whatever its words ("how many" by "seven", "when" by "January").
        let evidence = match a.qtype_of(&qt.term) {
            Some(t @ (QType::Count | QType::When | QType::Where)) => Some(t),
            _ => None,
        };
        let mut in_langs = [false; 3];
        SCORES.with_borrow_mut(|scores| {
            for (slot, tf) in postings.iter() {
                let meta = &sections[slot as usize];
                let tf = f32::from(tf);
                let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * meta.len as f32 / avg_len));
                let e = &mut scores[slot as usize];
                if e.matched == 0 && e.bm25 == 0.0 {
                    touched.push(slot);
                }
                e.bm25 += term_idf * norm;
                e.covered += credit;
                e.matched |= bit;
                if neutral {
                    e.covered_neutral += credit;
                }
                in_langs[lang_slot(meta.lang)] = true;
            }
        });
        if !neutral {
            if !in_langs.iter().any(|&l| l) {
                // A word no section has counts against the sections written in its script:
                // "heyy" against English and Portuguese ones, not against Chinese ones.
                let han = qt.term.chars().any(crate::lang::is_han);
                in_langs = [!han, han, !han];
            }
            word_langs.push((weight, in_langs));
        }
        distinct.push(Term {
            term: qt.term.clone(),
            id: snap.frozen.id(&qt.term),
            weight,
            bit,
            evidence,
        });
    }
    // What every section of one language is expected to share with the question.
    let mut expected = [0.0f32; 3];
    for (w, langs) in &word_langs {
        for (l, e) in expected.iter_mut().enumerate() {
            if langs[l] {
                *e += w;
            }
        }
    }
    let id_of = |term: &str| distinct.iter().find(|d| d.term == term).and_then(|d| d.id);
    let is_question_term = |id: u32| distinct.iter().any(|d| d.id == Some(id));
    let focus_ids: Vec<Option<u32>> = u.focus.iter().map(|f| id_of(f)).collect();
    // The program named first is usually the subject ("can a track owner reject a
    // speaker's slides?", "do UGLs get it too, or only CBs?").
    let subject = (u.focus.len() > 1 && !who).then(|| u.focus[0].as_str());
    // What the factors on top of BM25 can multiply it by at most, so that a section whose
    // BM25 times this cannot reach the `keep`-th best score of its language is never scored
    // in full: heading 1.5, aspect 1.5 and 1.15 for each fact asked for (a time, an
    // address, a number), and coverage and focus as below.
    let facts_asked = asked
        .iter()
        .filter(|t| matches!(t, QType::When | QType::Where | QType::Count))
        .count() as i32;
    let bound = 1.5 * 1.5 * 1.15f32.powi(facts_asked);
    // Focus is at most what the best-placed program asked about gives: named in the
    // section's headings 1.2, its document is about one 1.0, only mentioned 0.85.
    let entity_weight: f32 = distinct
        .iter()
        .filter(|d| entity_mask & d.bit != 0)
        .map(|d| d.weight)
        .sum();
    let mut doc_about = vec![
        false;
        if entity_weight > 0.0 {
            snap.doc_entity_ids.len()
        } else {
            0
        }
    ];
    if entity_weight > 0.0 {
        SCORES.with_borrow_mut(|scores| {
            for id in distinct
                .iter()
                .filter(|d| entity_mask & d.bit != 0)
                .filter_map(|d| d.id)
            {
                for &slot in snap.entity_path_slots.get(&id).into_iter().flatten() {
                    let e = &mut scores[slot as usize];
                    if e.matched != 0 || e.bm25 != 0.0 {
                        e.in_path = true;
                    }
                }
                for &doc in snap.entity_docs.get(&id).into_iter().flatten() {
                    doc_about[doc as usize] = true;
                }
            }
        });
    }
    let focus_most = |e: &Score, doc: u32| -> f32 {
        if entity_weight <= 0.0 {
            return 1.0;
        }
        let level: f32 = if e.in_path {
            1.2
        } else if doc_about.get(doc as usize).copied().unwrap_or(false) {
            1.0
        } else if e.matched & entity_mask != 0 {
            0.85
        } else {
            0.0
        };
        if level > 0.0 {
            level.max(0.36)
        } else if who {
            0.8
        } else {
            0.35
        }
    };
    let lang_factor_of = |l: Lang| if l == lang { 1.0 } else { 0.5 };
    // In the question's language coverage is the share of the question's weight covered:
    // what the postings gave, plus at most the credit a missing fact or program can earn.
    let credit_possible: f32 = distinct
        .iter()
        .map(|d| {
            let fact = if d.evidence.is_some() { 0.8 } else { 0.0 };
            let program = if entity_mask & d.bit != 0 { 0.75 } else { 0.0 };
            d.weight * (fact + program)
        })
        .sum();
    // Best bound first (ties by slot); a heap, since scoring usually stops long before the
    // last section and a full sort would cost more than the scoring.
    let mut order: std::collections::BinaryHeap<(Ordered, std::cmp::Reverse<u32>)> = SCORES
        .with_borrow(|scores| {
            touched
                .iter()
                .map(|&slot| {
                    let e = &scores[slot as usize];
                    let meta = &sections[slot as usize];
                    let section_lang = meta.lang;
                    let coverage = if section_lang == lang && total_weight > 0.0 {
                        0.25 + ((e.covered + credit_possible) / total_weight).min(1.0)
                    } else {
                        1.25
                    };
                    let most = e.bm25
                        * coverage
                        * focus_most(e, meta.doc)
                        * bound
                        * lang_factor_of(section_lang);
                    (Ordered(most), std::cmp::Reverse(slot))
                })
                .collect()
        });
    let mut best = [
        TopScores::new(keep),
        TopScores::new(keep),
        TopScores::new(keep),
    ];
    let mut hits: Vec<Hit> = Vec::with_capacity(order.len().min(keep.saturating_mul(4)));
    SCORES.with_borrow(|scores| {
        while let Some((Ordered(most), std::cmp::Reverse(slot))) = order.pop() {
            if best.iter().all(|b| most < b.floor()) {
                break;
            }
            let l = lang_slot(sections[slot as usize].lang);
            if most < best[l].floor() {
                continue;
            }
            let hit = {
                let meta = &sections[slot as usize];
                let ids = &snap.ids[slot as usize];
                let doc_entities = &snap.doc_entity_ids[meta.doc as usize];
                let e = scores[slot as usize];
                let (mut covered, mut covered_neutral) = (e.covered, e.covered_neutral);
                for d in distinct.iter().filter(|d| e.matched & d.bit == 0) {
                    let has = match d.evidence {
                        Some(QType::Count) => meta.quantity || meta.items > 1,
                        Some(QType::When) => meta.has_time,
                        Some(_) => meta.has_link,
                        None => false,
                    };
                    if has {
                        covered += 0.8 * d.weight;
                        covered_neutral += 0.8 * d.weight;
                    }
                }
                // An entity the section does not name but its document does (a "Valores"
                // section of a document about Brazil) is half there.
                let in_doc = |d: &Term| d.id.is_some_and(|id| doc_entities.contains(&id));
                let doc_entity_credit: f32 = distinct
                    .iter()
                    .filter(|d| entity_mask & d.bit != 0 && e.matched & d.bit == 0 && in_doc(d))
                    .map(|d| 0.75 * d.weight)
                    .sum();
                covered += doc_entity_credit;
                covered_neutral += doc_entity_credit;
                // Another language's section meets the question only in what languages share
                // (concepts, numbers, names): of the question's other words it is expected to
                // have only those its language's sections use at all. Only a question whose
                // concepts or numbers carry a good part of it can be judged so: one made of
                // words alone ("hackathon prize") is not excused any.
                let section_lang = meta.lang;
                let shared = neutral_weight + expected[lang_slot(section_lang)];
                let coverage = if section_lang != lang
                    && neutral_weight >= 0.3 * total_weight
                    && shared >= 0.4 * total_weight
                    && shared > 0.0
                {
                    (covered / shared).min(1.0)
                } else if total_weight > 0.0 {
                    (covered / total_weight).min(1.0)
                } else {
                    0.0
                };
                let neutral = if neutral_weight > 0.0 {
                    (covered_neutral / neutral_weight).min(1.0)
                } else {
                    0.0
                };
                let lang_factor = lang_factor_of(section_lang);
                // The section's own heading: question terms in it count for more, and concepts
                // in it that the question does not name (a "User Group Leader" heading for a
                // question about user groups) count against it.
                let mut in_heading = 0.0;
                let mut foreign = 0;
                for &(id, entity) in &ids.heading {
                    match distinct.iter().find(|d| d.id == Some(id)) {
                        Some(d) => in_heading += d.weight,
                        None if entity => foreign += 1,
                        None => {}
                    }
                }
                let heading_factor = (1.0
                    + 0.5 * in_heading.min(total_weight) / total_weight.max(1e-6))
                    * 0.85f32.powi(foreign.min(4));
                // A question about a program is answered from a section about it: one whose own
                // headings name it first, then one in a document about it; not from a section
                // about another one.
                let (mut level_sum, mut weight_sum) = (0.0f32, 0.0f32);
                for d in distinct.iter().filter(|d| entity_mask & d.bit != 0) {
                    let w = if subject == Some(d.term.as_str()) {
                        d.weight * 1.5
                    } else {
                        d.weight
                    };
                    let in_path = d.id.is_some_and(|id| ids.path_entities.contains(&id));
                    let level = if in_path {
                        1.2
                    } else if in_doc(d) {
                        1.0
                    } else if e.matched & d.bit != 0 {
                        0.85
                    } else {
                        0.0
                    };
                    level_sum += w * level;
                    weight_sum += w;
                }
                let entity_factor = if entity_mask == 0 || weight_sum <= 0.0 {
                    1.0
                } else if level_sum > 0.0 {
                    let share = level_sum / weight_sum;
                    // A heading about another program than the one asked about.
                    let foreign = !who && ids.path_entities.iter().any(|&p| !is_question_term(p));
                    if foreign && share < 1.2 {
                        (share * 0.85).max(0.36)
                    } else {
                        share.max(0.36)
                    }
                } else if who {
                    // "Who reviews the slides?": the answer is a role the question does not name.
                    0.8
                } else {
                    0.35
                };
                // It defines what the question is about: its heading names every program the
                // question names, or it opens a document about them.
                let defines_focus = focus_ids.iter().all(|f| {
                    f.is_some_and(|id| {
                        ids.path_entities.contains(&id)
                            || (meta.opening && doc_entities.contains(&id))
                    })
                });
                let signals = Signals {
                    words: e.bm25,
                    coverage: 0.25 + coverage,
                    focus: entity_factor,
                    aspect: aspect_fit(asked, meta, defines_focus, leans_to_definition),
                    heading: heading_factor,
                    language: lang_factor,
                };
                Hit {
                    slot,
                    score: signals.score(),
                    coverage,
                    neutral,
                    lang: section_lang,
                    signals,
                }
            };
            best[l].push(hit.score);
            hits.push(hit);
        }
    });
    // The scores go back to zero for the next question: only the sections touched.
    SCORES.with_borrow_mut(|scores| {
        for &slot in &touched {
            scores[slot as usize] = Score::default();
        }
    });
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.slot.cmp(&b.slot)));
    Ok(Ranked {
        hits,
        weights,
        unknown: if total_weight > 0.0 {
            unknown_weight / total_weight
        } else {
            0.0
        },
    })
}

/// The `keep` best scores seen in one language, to know the score a section must beat.
struct TopScores {
    keep: usize,
    /// A min-heap of the best scores so far.
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Ordered>>,
}

/// A score ordered totally, for the heap.
struct Ordered(f32);

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ordered {}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl TopScores {
    fn new(keep: usize) -> Self {
        TopScores {
            keep,
            heap: std::collections::BinaryHeap::with_capacity(keep.min(1024) + 1),
        }
    }

    /// The score a section of this language must reach to be among the best: none until
    /// `keep` have been seen.
    fn floor(&self) -> f32 {
        if self.heap.len() < self.keep {
            f32::NEG_INFINITY
        } else {
            self.heap.peek().map_or(f32::NEG_INFINITY, |r| r.0 .0)
        }
    }

    fn push(&mut self, score: f32) {
        self.heap.push(std::cmp::Reverse(Ordered(score)));
        if self.heap.len() > self.keep {
            self.heap.pop();
        }
    }
}

/// One distinct question term as ranking weighs it.
struct Term {
    term: String,
    id: Option<u32>,
    weight: f32,
    /// Its bit in the masks (none past the 64th term).
    bit: u64,
    /// The kind of fact it asks for (a number, a date, an address), met by one the section
    /// holds whatever its words.
    evidence: Option<QType>,
}

/// What the question's terms give one section while their postings are walked.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    bm25: f32,
    covered: f32,
    matched: u64,
    covered_neutral: f32,
    /// A heading of the section names a program the question asks about.
    in_path: bool,
}

thread_local! {
    /// One score per section, reused from question to question on each thread.
    static SCORES: std::cell::RefCell<Vec<Score>> = const { std::cell::RefCell::new(Vec::new()) };
}
