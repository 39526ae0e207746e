//! The index in the store: documents, sections and postings, and the ranking over them.
//!
//! Trees: `kb.docs` (document key → [`DocRecord`]), `kb.sections` (id → [`SectionRecord`]),
//! `kb.meta` (the current [`Generation`]) and `kb.terms.<generation>` (term → postings).
//! An import writes the changed documents' sections under fresh ids and the postings of
//! every live section into a new generation's tree, then flips `kb.meta` in one write: a
//! question is always answered from one whole generation, never from a half-written one.
//! What the previous generation used is removed by the next import.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::analysis::{analyzer, fold, Kind, Token};
use crate::encoding;
use crate::lang::{detect_document, Lang};
use crate::markdown;
use crate::store::{Store, StoreError};
use crate::typo::TypoIndex;

pub(crate) const DOCS: &str = "kb.docs";
pub(crate) const SECTIONS: &str = "kb.sections";
pub(crate) const META: &str = "kb.meta";
const TERMS_PREFIX: &str = "kb.terms.";
const CURRENT: &[u8] = b"current";
const FORMAT: &[u8] = b"format";
/// The layout of the index records; a store written with another is rebuilt from the documents.
const FORMAT_VERSION: u32 = 4;
const SOURCES: &[u8] = b"sources";

/// Bumped whenever analysis changes, so every document is analysed again on the next start.
const ANALYSIS_VERSION: u64 = 15;
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocRecord {
    pub source: String,
    pub display: String,
    pub hash: u64,
    pub lang: Lang,
    pub title: String,
    pub sections: Vec<u32>,
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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SectionMeta {
    pub id: u32,
    pub len: u32,
    pub lang: Option<Lang>,
    pub heading: Vec<(String, bool)>,
    /// States a number: half an answer to a "how many" question that names no count word.
    pub quantity: bool,
    /// The entity concepts of its document's opening section: what the document is about.
    pub doc_entities: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Generation {
    pub number: u64,
    pub avg_len: f32,
    /// Every live section's ranking facts.
    pub sections: Vec<SectionMeta>,
    /// Folded words of the knowledge base with their counts, for typo correction.
    pub words: Vec<(String, u32)>,
    /// Document titles per language, for suggestions when a question is declined.
    pub titles: Vec<(Lang, String)>,
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

/// The in-memory view of one generation: section lengths and languages for ranking, and the
/// typo index, built on first need.
pub(crate) struct Snapshot {
    pub gen: Generation,
    pub terms_tree: String,
    /// Dense by section id; length 0 = not live.
    pub meta: Vec<SectionMeta>,
    pub live: u32,
    typo: OnceLock<TypoIndex>,
}

impl Snapshot {
    pub fn new(gen: Generation) -> Self {
        let mut meta = vec![SectionMeta::default(); gen.next_id as usize];
        for m in &gen.sections {
            if let Some(slot) = meta.get_mut(m.id as usize) {
                *slot = SectionMeta {
                    len: m.len.max(1),
                    ..m.clone()
                };
            }
        }
        Snapshot {
            terms_tree: format!("{TERMS_PREFIX}{}", gen.number),
            live: gen.sections.len() as u32,
            meta,
            gen,
            typo: OnceLock::new(),
        }
    }

    pub fn typo(&self) -> &TypoIndex {
        self.typo.get_or_init(|| TypoIndex::build(&self.gen.words))
    }
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
        if name == DOCS || name == SECTIONS || name == META || name.starts_with(TERMS_PREFIX) {
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

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ ANALYSIS_VERSION;
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

fn is_document(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt")
    )
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if is_document(&path) {
            out.push(path);
        }
    }
    Ok(())
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
        let mut files = Vec::new();
        walk(&canonical, &mut files).map_err(|e| IndexError::Dir {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        for path in files {
            let rel = path.strip_prefix(&canonical).unwrap_or(&path);
            let display = rel.to_string_lossy().replace('\\', "/");
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
        if found.is_empty() {
            report
                .notes
                .push(format!("{}: no Markdown documents found", dir.display()));
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

fn states_a_quantity(text: &str) -> bool {
    if text
        .chars()
        .any(|c| c.is_ascii_digit() || "二三四五六七八九十百千万两".contains(c))
    {
        return true;
    }
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| crate::lexicon::NUMBER_WORDS.contains(&w))
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
        || heading.contains("什么是")
        || heading.contains("是什么")
        || heading.contains("简介")
        || heading.contains("概述")
}

fn analyse_section(title: &str, path: &[String], text: &str, lang: Lang) -> Vec<(String, u16)> {
    let a = analyzer();
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

/// Brings the store in line with the given directories. With `exact`, documents from any
/// other directory are dropped; otherwise only documents under these directories change.
pub(crate) fn sync(
    store: &dyn Store,
    dirs: &[PathBuf],
    exact: bool,
) -> Result<(ImportReport, Generation), IndexError> {
    let started = Instant::now();
    let mut report = ImportReport::default();
    let found = find_documents(dirs, &mut report)?;
    let sources: HashSet<String> = found.iter().map(|f| f.source.clone()).collect();
    let mut gen = load_generation(store)?;

    let mut docs: HashMap<String, DocRecord> = HashMap::new();
    for (k, v) in store.scan(DOCS)? {
        let rec: DocRecord =
            postcard::from_bytes(&v).map_err(|e| IndexError::Corrupt(e.to_string()))?;
        docs.insert(String::from_utf8_lossy(&k).into_owned(), rec);
    }

    let mut doc_writes: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    let mut section_writes: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    let mut present = HashSet::new();

    for f in &found {
        present.insert(f.key.clone());
        let size = std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_DOC_BYTES {
            report.notes.push(format!(
                "{}: skipped, larger than {} MiB",
                f.display,
                MAX_DOC_BYTES >> 20
            ));
            continue;
        }
        let bytes = match std::fs::read(&f.path) {
            Ok(b) => b,
            Err(e) => {
                report
                    .notes
                    .push(format!("{}: could not be read: {e}", f.display));
                continue;
            }
        };
        let hash = fnv1a(&bytes);
        if let Some(old) = docs.get(&f.key) {
            if old.hash == hash {
                report.unchanged += 1;
                continue;
            }
        }
        let (text, repairs) = encoding::decode(&bytes);
        if repairs.any() {
            report
                .notes
                .push(format!("{}: {}", f.display, repairs.describe()));
        }
        let lang = document_lang(&f.display, &text);
        let parsed = markdown::parse(&text, &f.display);
        let mut ids = Vec::with_capacity(parsed.sections.len());
        for (n, raw) in parsed.sections.into_iter().enumerate() {
            let mut terms = analyse_section(&parsed.title, &raw.path, &raw.text, lang);
            if is_definition(n == 0, &raw.path) {
                terms.push(("@what".to_string(), 1));
            }
            let rec = SectionRecord {
                doc: f.display.clone(),
                lang,
                title: parsed.title.clone(),
                path: raw.path,
                text: raw.text,
                terms,
            };
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
        let rec = DocRecord {
            source: f.source.clone(),
            display: f.display.clone(),
            hash,
            lang,
            title: parsed.title,
            sections: ids,
        };
        if docs.contains_key(&f.key) {
            report.updated += 1;
        } else {
            report.added += 1;
        }
        doc_writes.push((
            f.key.as_bytes().to_vec(),
            Some(postcard::to_stdvec(&rec).expect("serialisable")),
        ));
        docs.insert(f.key.clone(), rec);
    }

    let gone: Vec<String> = docs
        .iter()
        .filter(|(k, d)| !present.contains(*k) && (exact || sources.contains(&d.source)))
        .map(|(k, _)| k.clone())
        .collect();
    for k in gone {
        docs.remove(&k);
        doc_writes.push((k.into_bytes(), None));
        report.removed += 1;
    }
    report.documents = docs.len();

    let live: HashSet<u32> = docs
        .values()
        .flat_map(|d| d.sections.iter().copied())
        .collect();
    report.sections = live.len();
    if !report.changed() && gen.number > 0 {
        report.elapsed = started.elapsed();
        return Ok((report, gen));
    }

    // New sections first, then the postings of the new generation, then the flip.
    store.write_batch(SECTIONS, section_writes)?;
    let old_number = gen.number;
    gen.number += 1;
    let tree = format!("{TERMS_PREFIX}{}", gen.number);
    store.drop_tree(&tree)?;

    let mut postings: HashMap<String, Vec<(u32, u16)>> = HashMap::new();
    let mut words: HashMap<String, u32> = HashMap::new();
    let mut sections_meta = Vec::with_capacity(live.len());
    let mut total_len: u64 = 0;
    let mut stale = Vec::new();
    let mut records: Vec<(u32, SectionRecord)> = Vec::with_capacity(live.len());
    let mut doc_entities: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in store.scan(SECTIONS)? {
        let id = u32::from_be_bytes(
            k.as_slice()
                .try_into()
                .map_err(|_| IndexError::Corrupt("section key".into()))?,
        );
        if !live.contains(&id) {
            stale.push(k);
            continue;
        }
        let rec: SectionRecord =
            postcard::from_bytes(&v).map_err(|e| IndexError::Corrupt(e.to_string()))?;
        records.push((id, rec));
    }
    // What a document is about: the entities of its opening section (sections are stored in
    // document order, so a document's first is its lowest id).
    records.sort_by_key(|(id, _)| *id);
    for (_, rec) in &records {
        if !doc_entities.contains_key(&rec.doc) {
            let entities = rec
                .terms
                .iter()
                .filter(|(t, _)| crate::lexicon::is_entity(t))
                .map(|(t, _)| t.clone())
                .collect();
            doc_entities.insert(rec.doc.clone(), entities);
        }
    }
    for (id, rec) in records {
        let len: u32 = rec.terms.iter().map(|(_, tf)| u32::from(*tf)).sum();
        total_len += u64::from(len);
        let mut heading: Vec<(String, bool)> = rec
            .path
            .last()
            .map(|h| analyzer().analyze(h, rec.lang))
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.term, t.kind == Kind::Concept))
            .collect();
        heading.sort();
        heading.dedup();
        let quantity = states_a_quantity(&rec.text);
        sections_meta.push(SectionMeta {
            id,
            len,
            lang: Some(rec.lang),
            heading,
            quantity,
            doc_entities: doc_entities.get(&rec.doc).cloned().unwrap_or_default(),
        });
        for (term, tf) in rec.terms {
            postings.entry(term).or_default().push((id, tf));
        }
        let folded = fold(&rec.text);
        for w in folded.split(|c: char| !c.is_alphabetic() || crate::lang::is_han(c)) {
            if w.chars().count() >= 3 {
                *words.entry(w.to_string()).or_insert(0) += 1;
            }
        }
    }
    let writes = postings
        .into_iter()
        .map(|(term, list)| {
            (
                term.into_bytes(),
                Some(postcard::to_stdvec(&list).expect("serialisable")),
            )
        })
        .collect();
    store.write_batch(&tree, writes)?;

    gen.avg_len = if sections_meta.is_empty() {
        1.0
    } else {
        total_len as f32 / sections_meta.len() as f32
    };
    gen.sections = sections_meta;
    let mut words: Vec<(String, u32)> = words.into_iter().collect();
    words.sort();
    gen.words = words;
    let mut titles: Vec<(Lang, String)> =
        docs.values().map(|d| (d.lang, d.title.clone())).collect();
    titles.sort();
    titles.dedup();
    gen.titles = titles;

    store.write_batch(DOCS, doc_writes)?;
    store.insert(
        META,
        CURRENT,
        postcard::to_stdvec(&gen).expect("serialisable"),
    )?;
    store.flush()?;

    // What generations before the previous one used is no longer read by anyone.
    store.write_batch(SECTIONS, stale.into_iter().map(|k| (k, None)).collect())?;
    if old_number > 0 {
        store.drop_tree(&format!("{TERMS_PREFIX}{}", old_number.saturating_sub(1)))?;
    }
    report.elapsed = started.elapsed();
    Ok((report, gen))
}

/// One query term with its weight in the question.
#[derive(Debug, Clone)]
pub(crate) struct QueryTerm {
    pub term: String,
    pub kind: Kind,
    /// Comes from a word typo correction changed: it counts half, being a guess.
    pub corrected: bool,
}

/// A ranked section.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub id: u32,
    pub score: f32,
    /// The share of the question's weight this section matches, 0..=1.
    pub coverage: f32,
    /// The share of the question's language-neutral weight (concepts, numbers) it matches.
    pub neutral: f32,
    /// How many of the question's concepts it does not match at all.
    pub missing: u32,
    pub lang: Lang,
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
/// and for each section the share of the question's weight it covers.
pub(crate) fn rank(
    store: &dyn Store,
    snap: &Snapshot,
    terms: &[QueryTerm],
    lang: Lang,
) -> Result<(Vec<Hit>, HashMap<String, f32>), IndexError> {
    let n = snap.live.max(1) as f32;
    // Per section: BM25, the question weight covered, which question terms matched, and
    // the weight covered by terms every language shares (concepts, numbers).
    // Dense by section id (ids are compact), with the ids touched kept aside.
    let mut scores: Vec<(f32, f32, u64, f32)> = vec![(0.0, 0.0, 0, 0.0); snap.meta.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut neutral_weight = 0.0f32;
    let mut entity_mask: u64 = 0;
    let mut count_bit: u64 = 0;
    let mut concept_mask: u64 = 0;
    let mut distinct: Vec<(String, f32)> = Vec::new();
    // Per question word: the languages whose sections contain it at all.
    let mut word_langs: Vec<(f32, [bool; 3])> = Vec::new();
    let mut term_index = 0usize;
    let mut weights: HashMap<String, f32> = HashMap::new();
    let mut total_weight = 0.0f32;
    let mut seen = HashSet::new();
    for qt in terms {
        if !seen.insert(qt.term.as_str()) {
            continue;
        }
        let postings: Vec<(u32, u16)> = match store.get(&snap.terms_tree, qt.term.as_bytes())? {
            Some(bytes) => {
                postcard::from_bytes(&bytes).map_err(|e| IndexError::Corrupt(e.to_string()))?
            }
            None => Vec::new(),
        };
        let df = postings.len() as f32;
        let term_idf = idf(n, df);
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
        let weight = if crate::lexicon::is_entity(&qt.term) {
            weight * 2.0
        } else {
            weight
        };
        total_weight += weight;
        weights.insert(qt.term.clone(), weight);
        distinct.push((qt.term.clone(), weight));
        let credit = if qt.corrected { weight * 0.5 } else { weight };
        let neutral = qt.kind == Kind::Concept || qt.term.chars().all(|c| c.is_ascii_digit());
        if neutral {
            neutral_weight += weight;
        }
        let mut in_langs = [false; 3];
        let bit = if term_index < 64 {
            1u64 << term_index
        } else {
            0
        };
        term_index += 1;
        if crate::lexicon::is_entity(&qt.term) {
            entity_mask |= bit;
        }
        if qt.kind == Kind::Concept {
            concept_mask |= bit;
        }
        if qt.term == "@count" {
            count_bit = bit;
        }
        for (id, tf) in postings {
            let len = snap.meta.get(id as usize).map_or(0, |m| m.len);
            if len == 0 {
                continue;
            }
            let tf = f32::from(tf);
            let norm = tf * (K1 + 1.0)
                / (tf + K1 * (1.0 - B + B * len as f32 / snap.gen.avg_len.max(1.0)));
            let Some(e) = scores.get_mut(id as usize) else {
                continue;
            };
            if e.2 == 0 && e.0 == 0.0 {
                touched.push(id);
            }
            e.0 += term_idf * norm;
            e.1 += credit;
            e.2 |= bit;
            if neutral {
                e.3 += credit;
            }
            if let Some(l) = snap.meta.get(id as usize).and_then(|m| m.lang) {
                in_langs[lang_slot(l)] = true;
            }
        }
        if !neutral {
            word_langs.push((weight, in_langs));
        }
    }
    let count_weight = weights.get("@count").copied().unwrap_or(0.0);
    let mut hits: Vec<Hit> = touched
        .into_iter()
        .map(|id| (id, scores[id as usize]))
        .map(|(id, (bm25, mut covered, matched, covered_neutral))| {
            if count_weight > 0.0 && snap.meta[id as usize].quantity && matched & count_bit == 0 {
                covered += 0.6 * count_weight;
            }
            let meta = &snap.meta[id as usize];
            let section_lang = meta.lang.unwrap_or(Lang::En);
            // Another language's section can only meet the question in what languages
            // share: it is judged on that part, when the question has enough of it.
            // An entity the section does not name but its document does (a "Valores"
            // section of a document about Brazil) is half there.
            let doc_entities = &meta.doc_entities;
            let mut doc_entity_credit = 0.0;
            for (i, (term, w)) in distinct.iter().enumerate().take(64) {
                let bit = 1u64 << i;
                if entity_mask & bit != 0 && matched & bit == 0 && doc_entities.contains(term) {
                    doc_entity_credit += 0.75 * w;
                }
            }
            covered += doc_entity_credit;
            let covered_neutral = covered_neutral + doc_entity_credit;
            // Another language's section meets the question only in what languages share
            // (concepts, numbers, names): of the question's other words it is expected to
            // have only those its language's sections use at all.
            let expected_words: f32 = word_langs
                .iter()
                .filter(|(_, langs)| langs[lang_slot(section_lang)])
                .map(|(w, _)| w)
                .sum();
            let shared = neutral_weight + expected_words;
            // Only a question whose concepts or numbers carry a good part of it can be
            // judged so: one made of words alone ("hackathon prize") is not excused any.
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
            let lang_factor = if section_lang == lang { 1.0 } else { 0.5 };
            // The section's own heading: question terms in it count for more, and concepts
            // in it that the question does not name (a "User Group Leader" heading for a
            // question about user groups) count against it.
            let mut in_heading = 0.0;
            let mut foreign = 0;
            for (term, concept) in &meta.heading {
                match weights.get(term) {
                    Some(w) => in_heading += w,
                    None if *concept && crate::lexicon::is_entity(term) => foreign += 1,
                    None => {}
                }
            }
            let heading_factor =
                (1.0 + 0.5 * in_heading / total_weight.max(1e-6)) * 0.85f32.powi(foreign.min(4));
            // A question about a program is not answered from a section about another one.
            let entity_factor = if entity_mask == 0 || matched & entity_mask != 0 {
                1.0
            } else if doc_entity_credit > 0.0 {
                0.85
            } else {
                0.35
            };
            Hit {
                id,
                score: bm25 * lang_factor * heading_factor * entity_factor * (0.25 + coverage),
                coverage,
                neutral,
                missing: (concept_mask & !matched).count_ones(),
                lang: section_lang,
            }
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    Ok((hits, weights))
}
