//! The answering index of one generation, in memory and immutable: the term dictionary, a
//! forward index (each section's terms) and the inverted one derived from it (each term's
//! sections), both as compact arrays, and each section's record. A snapshot is built once,
//! after an import or when the store is opened, and swapped in whole; questions read only it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::analysis::Analyzer;
use crate::compose::Analysed;
use crate::index::SectionRecord;
use crate::lang::Lang;

const LANGS: usize = Lang::ALL.len();

fn lang_index(lang: Lang) -> usize {
    Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0)
}

/// The postings of one term: the sections (by slot, ascending in each language) and its
/// frequency in each.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Postings<'a> {
    pub slots: &'a [u32],
    pub tfs: &'a [u16],
}

#[cfg(test)]
impl Postings<'_> {
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
const NO_POSTINGS: Postings<'static> = Postings {
    slots: &[],
    tfs: &[],
};

pub(crate) struct Frozen {
    ids: FxHashMap<Box<str>, u32>,
    /// Term `t`'s postings in the language of index `l` are
    /// `post_slot[post_start[3t + l]..post_start[3t + l + 1]]`.
    post_start: Vec<u32>,
    post_slot: Vec<u32>,
    /// Each posting's term frequency, until [`Frozen::set_bounds`] turns them into
    /// `post_norm`.
    post_tf: Vec<u16>,
    /// Each posting's BM25 frequency part for its section's length ([`crate::rank::norm`]):
    /// what ranking adds up, read beside the slot instead of looking up the section.
    post_norm: Vec<f32>,
    /// Per term and language, as `post_start`: see [`Frozen::set_bounds`].
    max_norm: Vec<f32>,
    max_run: Vec<u8>,
    records: Records,
    /// Each section's sentences analysed, on first use: what answers are composed from.
    analysed: Vec<OnceLock<Analysed>>,
}

/// The sections' records, kept encoded one after the other and each decoded on first use:
/// a question reads a handful of them, and a start should not decode thousands.
struct Records {
    bytes: Vec<u8>,
    /// Where each record's bytes end in `bytes`.
    end: Vec<u32>,
    decoded: Vec<OnceLock<Option<SectionRecord>>>,
}

impl Records {
    fn of(bytes: Vec<u8>, end: Vec<u32>) -> Records {
        let decoded = (0..end.len()).map(|_| OnceLock::new()).collect();
        Records {
            bytes,
            end,
            decoded,
        }
    }

    fn len(&self) -> usize {
        self.end.len()
    }

    fn get(&self, slot: usize) -> Option<&SectionRecord> {
        let cell = self.decoded.get(slot)?;
        cell.get_or_init(|| {
            let start = if slot == 0 {
                0
            } else {
                self.end[slot - 1] as usize
            };
            let bytes = self.bytes.get(start..self.end[slot] as usize)?;
            postcard::from_bytes(bytes)
                .inspect_err(|e| tracing::warn!("section record {slot} cannot be read: {e}"))
                .ok()
        })
        .as_ref()
    }
}

/// A section's terms by id, all sections one after the other: what the inverted index is
/// made from.
struct Forward {
    /// Where each section's terms start, and where the last one's end.
    start: Vec<u32>,
    term: Vec<u32>,
    tf: Vec<u16>,
}

impl Default for Forward {
    fn default() -> Self {
        Forward {
            start: vec![0],
            term: Vec::new(),
            tf: Vec::new(),
        }
    }
}

/// A run of consecutive sections made into index material on its own, so that runs can be
/// made in parallel: their terms by ids of the run's own dictionary, their records encoded
/// without the terms. [`Builder::append`] joins runs in slot order. Holding a section this
/// way takes a few bytes a term instead of a string each.
#[derive(Default)]
pub(crate) struct Part {
    ids: FxHashMap<Box<str>, u32>,
    fwd: Forward,
    langs: Vec<Lang>,
    bytes: Vec<u8>,
    end: Vec<u32>,
}

impl Part {
    /// Adds the next section.
    pub fn push(&mut self, mut rec: SectionRecord) {
        for (term, tf) in std::mem::take(&mut rec.terms) {
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(term.into_boxed_str()).or_insert(next);
            self.fwd.term.push(id);
            self.fwd.tf.push(tf);
        }
        self.fwd.start.push(self.fwd.term.len() as u32);
        self.langs.push(rec.lang);
        self.bytes =
            postcard::to_extend(&rec, std::mem::take(&mut self.bytes)).expect("serialisable");
        self.end.push(self.bytes.len() as u32);
    }
}

/// Joins [`Part`]s in slot order into a [`Frozen`]: one part of every section so far,
/// whose ids are global. A term's id is the place of its first appearance over all
/// sections in slot order, however the sections were split into parts.
#[derive(Default)]
pub(crate) struct Builder(Part);

impl Builder {
    pub fn append(&mut self, part: Part) {
        let all = &mut self.0;
        // The part's terms in the order of their first appearance in it: new ones get the
        // next global ids in that order.
        let mut local: Vec<(u32, Box<str>)> = part.ids.into_iter().map(|(t, i)| (i, t)).collect();
        local.sort_unstable_by_key(|&(i, _)| i);
        let global: Vec<u32> = local
            .into_iter()
            .map(|(_, term)| {
                let next = all.ids.len() as u32;
                *all.ids.entry(term).or_insert(next)
            })
            .collect();
        let offset = *all.fwd.start.last().expect("starts with 0");
        all.fwd
            .start
            .extend(part.fwd.start.iter().skip(1).map(|&s| s + offset));
        all.fwd
            .term
            .extend(part.fwd.term.iter().map(|&t| global[t as usize]));
        all.fwd.tf.extend_from_slice(&part.fwd.tf);
        all.langs.extend_from_slice(&part.langs);
        let base = all.bytes.len() as u32;
        all.bytes.extend_from_slice(&part.bytes);
        all.end.extend(part.end.iter().map(|&e| e + base));
    }

    pub fn finish(self) -> Frozen {
        let all = self.0;
        let mut frozen = Frozen {
            ids: all.ids,
            post_start: Vec::new(),
            post_slot: Vec::new(),
            post_tf: Vec::new(),
            post_norm: Vec::new(),
            max_norm: Vec::new(),
            max_run: Vec::new(),
            analysed: (0..all.end.len()).map(|_| OnceLock::new()).collect(),
            records: Records::of(all.bytes, all.end),
        };
        frozen.invert(&all.fwd, &all.langs);
        frozen
    }
}

/// What a snapshot is stored as, so that opening a store does not analyse and invert every
/// section again: this head (the dictionary in id order and the arrays' lengths), then the
/// arrays themselves as little-endian numbers, then the records' bytes. Copying arrays is
/// what makes a start cheap; decoding them number by number is not.
#[derive(Serialize, Deserialize)]
struct StoredHead<T> {
    terms: Vec<T>,
    /// Lengths of post_start, post_slot, post_norm, max_norm, max_run, record ends and
    /// record bytes, in that order.
    lens: [u64; 7],
}

/// Reads little-endian arrays off the front of a byte slice.
struct Raw<'a>(&'a [u8]);

impl<'a> Raw<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    fn u32s(&mut self, n: u64) -> Option<Vec<u32>> {
        let b = self.take(usize::try_from(n).ok()?.checked_mul(4)?)?;
        Some(
            b.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }

    fn f32s(&mut self, n: u64) -> Option<Vec<f32>> {
        Some(self.u32s(n)?.into_iter().map(f32::from_bits).collect())
    }

    fn bytes(&mut self, n: u64) -> Option<Vec<u8>> {
        Some(self.take(usize::try_from(n).ok()?)?.to_vec())
    }
}

impl Frozen {
    /// Builds the index from every section's record, in slot order. The records' own term
    /// lists are taken into the index.
    pub fn build(records: Vec<SectionRecord>) -> Frozen {
        let mut part = Part::default();
        for rec in records {
            part.push(rec);
        }
        let mut builder = Builder::default();
        builder.append(part);
        builder.finish()
    }

    /// The snapshot as bytes, for [`Frozen::from_bytes`].
    #[cfg(test)]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out).expect("writing to memory");
        out
    }

    /// Writes the snapshot as [`Frozen::from_bytes`] reads it, a piece at a time: a
    /// snapshot of 100,000 sections is tens of megabytes, not to be copied whole to be
    /// written.
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut terms: Vec<&str> = vec![""; self.ids.len()];
        for (term, &id) in &self.ids {
            terms[id as usize] = term;
        }
        let r = &self.records;
        let head = StoredHead {
            terms,
            lens: [
                self.post_start.len(),
                self.post_slot.len(),
                self.post_norm.len(),
                self.max_norm.len(),
                self.max_run.len(),
                r.end.len(),
                r.bytes.len(),
            ]
            .map(|n| n as u64),
        };
        w.write_all(&postcard::to_stdvec(&head).expect("serialisable"))?;
        let mut buf = Vec::with_capacity(64 * 1024);
        let flush_at = |buf: &mut Vec<u8>, w: &mut dyn std::io::Write, at: usize| {
            if buf.len() >= at {
                w.write_all(buf)?;
                buf.clear();
            }
            std::io::Result::Ok(())
        };
        let limit = buf.capacity() - 8;
        for &x in self.post_start.iter().chain(&self.post_slot) {
            buf.extend(x.to_le_bytes());
            flush_at(&mut buf, w, limit)?;
        }
        for &x in self.post_norm.iter().chain(&self.max_norm) {
            buf.extend(x.to_bits().to_le_bytes());
            flush_at(&mut buf, w, limit)?;
        }
        flush_at(&mut buf, w, 0)?;
        w.write_all(&self.max_run)?;
        for &x in &r.end {
            buf.extend(x.to_le_bytes());
            flush_at(&mut buf, w, limit)?;
        }
        flush_at(&mut buf, w, 0)?;
        w.write_all(&r.bytes)
    }

    /// A snapshot stored by [`Frozen::to_bytes`]; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Frozen> {
        let (head, rest): (StoredHead<Box<str>>, _) = postcard::take_from_bytes(bytes).ok()?;
        let [starts, slots, post_norms, norms, runs, ends, record_bytes] = head.lens;
        let mut raw = Raw(rest);
        let post_start = raw.u32s(starts)?;
        let post_slot = raw.u32s(slots)?;
        let post_norm = raw.f32s(post_norms)?;
        let max_norm = raw.f32s(norms)?;
        let max_run = raw.bytes(runs)?;
        let end = raw.u32s(ends)?;
        let records = Records::of(raw.bytes(record_bytes)?, end);
        let lists = head.terms.len() * LANGS;
        let total = post_slot.len();
        let sound = raw.0.is_empty()
            && post_start.len() == lists + 1
            && post_norm.len() == total
            && max_norm.len() == lists
            && max_run.len() == lists
            && post_start.windows(2).all(|w| w[0] <= w[1])
            && post_start.last().is_some_and(|&e| e as usize == total)
            && post_slot.iter().all(|&s| (s as usize) < records.len())
            && records.end.windows(2).all(|w| w[0] <= w[1])
            && records
                .end
                .last()
                .is_none_or(|&e| e as usize == records.bytes.len());
        if !sound {
            return None;
        }
        let ids = head
            .terms
            .into_iter()
            .enumerate()
            .map(|(id, term)| (term, id as u32))
            .collect();
        Some(Frozen {
            ids,
            post_start,
            post_slot,
            post_tf: Vec::new(),
            post_norm,
            max_norm,
            max_run,
            analysed: (0..records.len()).map(|_| OnceLock::new()).collect(),
            records,
        })
    }

    /// Whether [`Frozen::set_bounds`] was done (a stored snapshot keeps its bounds).
    pub fn has_bounds(&self) -> bool {
        self.max_norm.len() + 1 == self.post_start.len()
    }

    /// How many sections it holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// The inverted index from the forward one, by counting sort on (term, language): each
    /// term's postings are three runs, one per language, each in ascending slot order
    /// because sections are visited in slot order.
    fn invert(&mut self, fwd: &Forward, langs: &[Lang]) {
        let terms = self.ids.len();
        let key = |t: u32, lang: Lang| t as usize * LANGS + lang_index(lang);
        let mut counts = vec![0u32; terms * LANGS + 1];
        for (s, &lang) in langs.iter().enumerate() {
            let (a, b) = (fwd.start[s] as usize, fwd.start[s + 1] as usize);
            for &t in &fwd.term[a..b] {
                counts[key(t, lang) + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let total = fwd.term.len();
        let mut slot = vec![0u32; total];
        let mut tf = vec![0u16; total];
        let mut next = counts.clone();
        for (s, &lang) in langs.iter().enumerate() {
            let (a, b) = (fwd.start[s] as usize, fwd.start[s + 1] as usize);
            for i in a..b {
                let k = key(fwd.term[i], lang);
                let at = next[k] as usize;
                slot[at] = s as u32;
                tf[at] = fwd.tf[i];
                next[k] += 1;
            }
        }
        self.post_start = counts;
        self.post_slot = slot;
        self.post_tf = tf;
    }

    /// Each posting's BM25 frequency part for its section's length, in place of its term
    /// frequency; per term and language, the largest such part its postings give one
    /// section and the most postings one section has (a term added to a section's own terms
    /// can be there twice): what bounds its share of a score before a section is looked at.
    pub fn set_bounds(&mut self, lens: &[u32], avg_len: f32) {
        self.post_norm = self
            .post_slot
            .iter()
            .zip(&self.post_tf)
            .map(|(&slot, &tf)| {
                let len = lens.get(slot as usize).copied().unwrap_or(1);
                crate::rank::norm(tf, len, avg_len)
            })
            .collect();
        self.post_tf = Vec::new();
        let lists = self.post_start.len().saturating_sub(1);
        let mut max_norm = vec![0.0f32; lists];
        let mut max_run = vec![0u8; lists];
        for k in 0..lists {
            let (a, b) = (self.post_start[k] as usize, self.post_start[k + 1] as usize);
            let mut i = a;
            while i < b {
                let slot = self.post_slot[i];
                let (mut sum, mut run) = (0.0f32, 0usize);
                while i < b && self.post_slot[i] == slot {
                    sum += self.post_norm[i];
                    run += 1;
                    i += 1;
                }
                max_norm[k] = max_norm[k].max(sum);
                max_run[k] = max_run[k].max(run.min(usize::from(u8::MAX)) as u8);
            }
        }
        self.max_norm = max_norm;
        self.max_run = max_run;
    }

    /// Where term `t`'s postings in one language lie in [`Frozen::slots`] and
    /// [`Frozen::norms`].
    pub fn range(&self, t: u32, lang: Lang) -> (usize, usize) {
        let k = t as usize * LANGS + lang_index(lang);
        match (self.post_start.get(k), self.post_start.get(k + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        }
    }

    /// The most [`crate::rank::norm`] gives term `t` in one section of `lang` (summed over
    /// its postings there), and the most postings it has in one section; unbounded before
    /// [`Frozen::set_bounds`].
    pub fn bounds(&self, t: u32, lang: Lang) -> (f32, u8) {
        let k = t as usize * LANGS + lang_index(lang);
        match (self.max_norm.get(k), self.max_run.get(k)) {
            (Some(&most), Some(&run)) => (most, run),
            _ => (f32::INFINITY, u8::MAX),
        }
    }

    /// How many sections hold term `t`.
    pub fn df(&self, t: u32) -> usize {
        let (a, _) = self.range(t, Lang::ALL[0]);
        let (_, b) = self.range(t, Lang::ALL[LANGS - 1]);
        b - a
    }

    /// The languages (in [`Lang::ALL`] order) whose sections hold term `t`.
    pub fn langs(&self, t: u32) -> [bool; LANGS] {
        Lang::ALL.map(|l| {
            let (a, b) = self.range(t, l);
            a < b
        })
    }

    pub fn slots(&self) -> &[u32] {
        &self.post_slot
    }

    /// Each posting's BM25 frequency part, once [`Frozen::set_bounds`] made them.
    pub fn norms(&self) -> &[f32] {
        &self.post_norm
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// Every section of a term, language by language.
    #[cfg(test)]
    pub fn postings(&self, term: &str) -> Postings<'_> {
        match self.id(term) {
            Some(t) => {
                let (a, _) = self.range(t, Lang::ALL[0]);
                let (_, b) = self.range(t, Lang::ALL[LANGS - 1]);
                Postings {
                    slots: &self.post_slot[a..b],
                    tfs: &self.post_tf[a..b],
                }
            }
            None => NO_POSTINGS,
        }
    }

    pub fn record(&self, slot: u32) -> Option<&SectionRecord> {
        self.records.get(slot as usize)
    }

    /// The section's sentences and list items with their analysis; a slot this index does
    /// not have gets an empty one.
    pub fn analysed(&self, slot: u32, analyzer: &Analyzer) -> &Analysed {
        static NONE: OnceLock<Analysed> = OnceLock::new();
        match (
            self.records.get(slot as usize),
            self.analysed.get(slot as usize),
        ) {
            (Some(rec), Some(cell)) => cell.get_or_init(|| Analysed::of(analyzer, rec)),
            _ => NONE.get_or_init(Analysed::default),
        }
    }

    /// Bytes held, for `kb stats`.
    pub fn heap_bytes(&self) -> usize {
        let dict: usize = self.ids.keys().map(|k| k.len() + 24).sum();
        let arrays = 4 * (self.post_start.len() + self.post_slot.len() + self.max_norm.len())
            + self.max_run.len()
            + 2 * self.post_tf.len()
            + 4 * self.post_norm.len();
        // Encoded, plus the records decoded so far.
        let r = &self.records;
        let decoded: usize = r
            .decoded
            .iter()
            .filter_map(|cell| cell.get()?.as_ref())
            .map(|r| {
                r.text.len()
                    + r.doc.len()
                    + r.title.len()
                    + r.path.iter().map(|p| p.len() + 24).sum::<usize>()
                    + 120
            })
            .sum();
        let records = r.bytes.len() + 4 * r.end.len() + 16 * r.decoded.len() + decoded;
        dict + arrays + records
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(terms: &[(&str, u16)]) -> SectionRecord {
        SectionRecord {
            doc: "en/a.md".into(),
            lang: Lang::En,
            title: "A".into(),
            path: vec!["A".into()],
            text: "text".into(),
            terms: terms.iter().map(|(t, f)| (t.to_string(), *f)).collect(),
        }
    }

    #[test]
    fn postings_list_every_section_of_a_term_in_slot_order() {
        let f = Frozen::build(vec![
            rec(&[("hero", 2), ("@cb", 1)]),
            rec(&[("@cb", 3)]),
            rec(&[("hero", 1), ("@cb", 1), ("x", 9)]),
        ]);
        let cb = f.postings("@cb");
        assert_eq!(cb.slots, [0, 1, 2]);
        assert_eq!(cb.tfs, [1, 3, 1]);
        assert_eq!(f.postings("hero").slots, [0, 2]);
        assert!(f.postings("nothing").is_empty());
        assert!(f.record(3).is_none());
        assert!(f.record(2).unwrap().terms.is_empty());
    }

    #[test]
    fn parts_joined_make_the_index_one_part_makes() {
        let sections = || {
            vec![
                rec(&[("hero", 2), ("@cb", 1)]),
                rec(&[("@cb", 3), ("z", 1)]),
                rec(&[("x", 4), ("hero", 1)]),
                rec(&[("y", 1), ("@cb", 1), ("x", 9)]),
            ]
        };
        let whole = Frozen::build(sections());
        let mut builder = Builder::default();
        let mut all = sections().into_iter();
        for n in [1, 0, 2, 1] {
            let mut part = Part::default();
            for rec in all.by_ref().take(n) {
                part.push(rec);
            }
            builder.append(part);
        }
        let joined = builder.finish();
        assert_eq!(joined.to_bytes(), whole.to_bytes());
        for term in ["hero", "@cb", "x", "y", "z"] {
            assert_eq!(joined.id(term), whole.id(term), "{term}");
            assert_eq!(joined.postings(term).slots, whole.postings(term).slots);
            assert_eq!(joined.postings(term).tfs, whole.postings(term).tfs);
        }
        assert_eq!(joined.record(3).unwrap().text, "text");
    }
}
