//! The facts ranking reads of every section it looks at, packed in slot order.
//!
//! Ranking visits thousands of sections a question on a large knowledge base, in ascending
//! slot order. Read from [`SectionMeta`] (a large record with its own heap vectors) each
//! visit costs several cache misses; here one visit reads one small row and a few ids that
//! lie next to those of the slots before it. (A section's length is not here: its postings
//! carry their BM25 part for it, [`crate::frozen::Frozen::norms`].)

use crate::index::SectionMeta;
use crate::lang::Lang;
use crate::query::QType;

/// A set of question types, one bit each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Types(u16);

impl Types {
    pub const fn of(types: &[QType]) -> Types {
        let mut bits = 0u16;
        let mut i = 0;
        while i < types.len() {
            bits |= 1 << types[i] as u16;
            i += 1;
        }
        Types(bits)
    }

    pub fn has(self, t: QType) -> bool {
        self.0 & (1 << t as u16) != 0
    }

    /// Whether any type is in both.
    pub fn meets(self, other: Types) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn and(self, other: Types) -> Types {
        Types(self.0 & other.0)
    }

    pub fn without(self, other: Types) -> Types {
        Types(self.0 & !other.0)
    }
}

/// One section's row: what ranking reads of it on every visit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub doc: u32,
    /// Where its ids start in [`Table::ids`]: the programs its headings name, then its own
    /// heading's terms (an entity's with [`ENTITY`] set), then the programs that heading
    /// names less those only implied.
    at: u32,
    path: u8,
    heading: u8,
    named: u8,
    pub lang: Lang,
    /// What its heading and labels say it answers ([`SectionMeta::kinds`]).
    pub kinds: Types,
    pub items: u16,
    flags: u16,
}

/// The high bit of a heading id: the term is a program or role.
const ENTITY: u32 = 1 << 31;

const OPENING: u16 = 1;
const DEFINITION: u16 = 1 << 1;
const QUANTITY: u16 = 1 << 2;
const HAS_TIME: u16 = 1 << 3;
const HAS_LINK: u16 = 1 << 4;
/// Its heading has the "@what" concept ("What an AWS User Group is").
const SAYS_WHAT: u16 = 1 << 5;

impl Row {
    pub fn opening(&self) -> bool {
        self.flags & OPENING != 0
    }
    pub fn definition(&self) -> bool {
        self.flags & DEFINITION != 0
    }
    pub fn quantity(&self) -> bool {
        self.flags & QUANTITY != 0
    }
    pub fn has_time(&self) -> bool {
        self.flags & HAS_TIME != 0
    }
    pub fn has_link(&self) -> bool {
        self.flags & HAS_LINK != 0
    }
    /// Its heading says what its subject is ("What an AWS User Group is").
    pub fn says_what(&self) -> bool {
        self.flags & SAYS_WHAT != 0
    }
}

/// Every section's row, and the ids they point into; every document's programs.
#[derive(Debug, Default)]
pub(crate) struct Table {
    rows: Vec<Row>,
    ids: Vec<u32>,
    /// Per document, where its programs start in `doc_ids` (one more entry than documents).
    doc_at: Vec<u32>,
    doc_ids: Vec<u32>,
}

/// One section's ids as the snapshot resolved them.
pub(crate) struct SectionIds<'a> {
    pub heading: &'a [(u32, bool)],
    pub path_entities: &'a [u32],
    pub named: &'a [u32],
}

impl Table {
    pub fn with_capacity(sections: usize, docs: usize) -> Table {
        let mut doc_at = Vec::with_capacity(docs + 1);
        doc_at.push(0);
        Table {
            rows: Vec::with_capacity(sections),
            ids: Vec::with_capacity(sections * 4),
            doc_at,
            doc_ids: Vec::new(),
        }
    }

    /// Adds the next document's programs.
    pub fn push_doc(&mut self, entities: &[u32]) {
        self.doc_ids.extend_from_slice(entities);
        self.doc_at.push(self.doc_ids.len() as u32);
    }

    /// Adds the next section's row.
    pub fn push(&mut self, meta: &SectionMeta, ids: SectionIds<'_>) {
        let at = self.ids.len() as u32;
        let short = |n: usize| u8::try_from(n).unwrap_or(u8::MAX);
        let (path, heading, named) = (
            &ids.path_entities[..ids.path_entities.len().min(255)],
            &ids.heading[..ids.heading.len().min(255)],
            &ids.named[..ids.named.len().min(255)],
        );
        self.ids.extend_from_slice(path);
        self.ids.extend(heading.iter().map(|&(id, entity)| {
            debug_assert!(id & ENTITY == 0, "term ids stay below 2^31");
            if entity {
                id | ENTITY
            } else {
                id
            }
        }));
        self.ids.extend_from_slice(named);
        let flag = |b: bool, f: u16| if b { f } else { 0 };
        self.rows.push(Row {
            doc: meta.doc,
            at,
            path: short(path.len()),
            heading: short(heading.len()),
            named: short(named.len()),
            lang: meta.lang,
            kinds: Types::of(&meta.kinds),
            items: meta.items,
            flags: flag(meta.opening, OPENING)
                | flag(meta.definition, DEFINITION)
                | flag(meta.quantity, QUANTITY)
                | flag(meta.has_time, HAS_TIME)
                | flag(meta.has_link, HAS_LINK)
                | flag(meta.heading.iter().any(|(t, _)| t == "@what"), SAYS_WHAT),
        });
    }

    pub fn row(&self, slot: u32) -> &Row {
        &self.rows[slot as usize]
    }

    /// The programs and roles the section's own headings name (below the document title).
    pub fn path(&self, slot: u32) -> &[u32] {
        let r = &self.rows[slot as usize];
        &self.ids[r.at as usize..][..usize::from(r.path)]
    }

    /// Its own heading's terms, each with whether it is a program or role.
    pub fn heading(&self, slot: u32) -> impl Iterator<Item = (u32, bool)> + '_ {
        let r = &self.rows[slot as usize];
        self.ids[r.at as usize + usize::from(r.path)..][..usize::from(r.heading)]
            .iter()
            .map(|&id| (id & !ENTITY, id & ENTITY != 0))
    }

    /// The programs and roles its own heading names, less those only implied by another
    /// there ("User Group Leader" names the leader, not the user group).
    pub fn named(&self, slot: u32) -> &[u32] {
        let r = &self.rows[slot as usize];
        let at = r.at as usize + usize::from(r.path) + usize::from(r.heading);
        &self.ids[at..][..usize::from(r.named)]
    }

    /// The programs and roles a document is about.
    pub fn doc_entities(&self, doc: u32) -> &[u32] {
        match (
            self.doc_at.get(doc as usize),
            self.doc_at.get(doc as usize + 1),
        ) {
            (Some(&a), Some(&b)) => &self.doc_ids[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Bytes held, for `kb stats`.
    pub fn bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + (self.ids.capacity() + self.doc_at.capacity() + self.doc_ids.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(kinds: Vec<QType>, heading: &[&str]) -> SectionMeta {
        SectionMeta {
            id: 0,
            len: 12,
            lang: Lang::Pt,
            heading: heading.iter().map(|h| (h.to_string(), false)).collect(),
            quantity: true,
            kinds,
            heading_asks: false,
            definition: false,
            items: 3,
            opening: true,
            path_entities: Vec::new(),
            has_time: false,
            has_link: true,
            doc: 2,
        }
    }

    #[test]
    fn a_row_gives_back_what_it_was_given() {
        let mut t = Table::with_capacity(2, 1);
        t.push_doc(&[7, 9]);
        t.push(
            &meta(vec![QType::Benefits, QType::Count], &["@what", "hero"]),
            SectionIds {
                heading: &[(5, true), (6, false)],
                path_entities: &[5],
                named: &[5],
            },
        );
        t.push(
            &meta(Vec::new(), &["x"]),
            SectionIds {
                heading: &[],
                path_entities: &[1, 2],
                named: &[],
            },
        );
        let r = t.row(0);
        assert_eq!((r.doc, r.lang, r.items), (2, Lang::Pt, 3));
        assert!(r.kinds.has(QType::Benefits) && r.kinds.has(QType::Count));
        assert!(!r.kinds.has(QType::Duties));
        assert!(r.opening() && r.quantity() && r.has_link() && r.says_what());
        assert!(!r.definition() && !r.has_time());
        assert_eq!(t.path(0), &[5]);
        assert_eq!(
            t.heading(0).collect::<Vec<_>>(),
            vec![(5, true), (6, false)]
        );
        assert_eq!(t.named(0), &[5]);
        assert_eq!(t.path(1), &[1, 2]);
        assert_eq!(t.heading(1).count(), 0);
        assert!(t.named(1).is_empty() && !t.row(1).says_what());
        assert_eq!(t.doc_entities(0), &[7, 9]);
        assert!(t.doc_entities(1).is_empty());
    }

    #[test]
    fn type_sets_meet_and_differ() {
        let a = Types::of(&[QType::When, QType::Where]);
        let b = Types::of(&[QType::Where]);
        assert!(a.meets(b) && !a.without(b).has(QType::Where));
        assert!(a.without(b).has(QType::When));
        assert!(Types::default().is_empty() && !a.is_empty());
        assert_eq!(a.and(b), b);
    }
}
