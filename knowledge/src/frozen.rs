//! The answering index of one generation, in memory and immutable: the term dictionary, a
//! forward index (each section's terms) and the inverted one derived from it (each term's
//! sections), both as compact arrays, and each section's record. A snapshot is built once,
//! after an import or when the store is opened, and swapped in whole; questions read only it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::analysis::Analyzer;
use crate::compose::Analysed;
use crate::index::SectionRecord;

/// The postings of one term: the sections (by slot, ascending) and its frequency in each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Postings<'a> {
    pub slots: &'a [u32],
    pub tfs: &'a [u16],
}

impl Postings<'_> {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, u16)> + '_ {
        self.slots.iter().copied().zip(self.tfs.iter().copied())
    }
}

const NO_POSTINGS: Postings<'static> = Postings {
    slots: &[],
    tfs: &[],
};

pub(crate) struct Frozen {
    ids: FxHashMap<Box<str>, u32>,
    /// Section `s`'s terms are `fwd_term[fwd_start[s]..fwd_start[s + 1]]`, with their
    /// frequencies in `fwd_tf`.
    fwd_start: Vec<u32>,
    fwd_term: Vec<u32>,
    fwd_tf: Vec<u16>,
    /// Term `t`'s postings are `post_slot[post_start[t]..post_start[t + 1]]`.
    post_start: Vec<u32>,
    post_slot: Vec<u32>,
    post_tf: Vec<u16>,
    records: Vec<SectionRecord>,
    /// Each section's sentences analysed, on first use: what answers are composed from.
    analysed: Vec<OnceLock<Analysed>>,
}

impl Frozen {
    /// Builds the index from every section's record, in slot order. The records' own term
    /// lists move into the forward index.
    pub fn build(mut records: Vec<SectionRecord>) -> Frozen {
        let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut fwd_start = Vec::with_capacity(records.len() + 1);
        let mut fwd_term = Vec::new();
        let mut fwd_tf = Vec::new();
        fwd_start.push(0);
        for rec in &mut records {
            for (term, tf) in std::mem::take(&mut rec.terms) {
                let next = ids.len() as u32;
                let id = *ids.entry(term.into_boxed_str()).or_insert(next);
                fwd_term.push(id);
                fwd_tf.push(tf);
            }
            fwd_start.push(fwd_term.len() as u32);
        }
        let mut frozen = Frozen {
            ids,
            fwd_start,
            fwd_term,
            fwd_tf,
            post_start: Vec::new(),
            post_slot: Vec::new(),
            post_tf: Vec::new(),
            analysed: (0..records.len()).map(|_| OnceLock::new()).collect(),
            records,
        };
        frozen.invert();
        frozen
    }

    /// The inverted index from the forward one, by counting sort: slots come out ascending
    /// because sections are visited in slot order.
    fn invert(&mut self) {
        let terms = self.ids.len();
        let mut counts = vec![0u32; terms + 1];
        for &t in &self.fwd_term {
            counts[t as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let total = self.fwd_term.len();
        let mut slot = vec![0u32; total];
        let mut tf = vec![0u16; total];
        let mut next = counts.clone();
        for s in 0..self.records.len() {
            let (a, b) = (self.fwd_start[s] as usize, self.fwd_start[s + 1] as usize);
            for i in a..b {
                let t = self.fwd_term[i] as usize;
                let at = next[t] as usize;
                slot[at] = s as u32;
                tf[at] = self.fwd_tf[i];
                next[t] += 1;
            }
        }
        self.post_start = counts;
        self.post_slot = slot;
        self.post_tf = tf;
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn postings(&self, term: &str) -> Postings<'_> {
        match self.id(term) {
            Some(t) => {
                let (a, b) = (
                    self.post_start[t as usize] as usize,
                    self.post_start[t as usize + 1] as usize,
                );
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
        let arrays = 4 * (self.fwd_start.len() + self.fwd_term.len() + self.post_start.len())
            + 4 * self.post_slot.len()
            + 2 * (self.fwd_tf.len() + self.post_tf.len());
        let records: usize = self
            .records
            .iter()
            .map(|r| {
                r.text.len()
                    + r.doc.len()
                    + r.title.len()
                    + r.path.iter().map(|p| p.len() + 24).sum::<usize>()
                    + 120
            })
            .sum();
        dict + arrays + records
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

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
}
