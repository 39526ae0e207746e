//! The answering index of a generation kept in the store beside it, so that opening an
//! imported store reads one snapshot instead of analysing and inverting every section.
//!
//! It is kept whole under one name ([`crate::store::Store::write_kept`]: a file of its own
//! in a sled store's directory): the snapshot, written through as it is encoded, then a
//! trailer of fixed size with the key of the generation it was made from (a checksum of the
//! generation's whole record, so a store rebuilt from scratch, whose numbers start again, or
//! a backup restored underneath, never takes an old snapshot for its own), the snapshot's
//! length and its checksum. It is only used for the generation it was written for, whole and
//! with the right checksum; anything else is rebuilt from the sections and written again.

use crate::frozen::Frozen;
use crate::store::Store;

/// Where earlier versions kept the snapshot in chunks; dropped when one is found.
pub(crate) const TREE: &str = "kb.frozen";
const NAME: &str = "answering-index";
/// Changed whenever the snapshot's layout changes.
const LAYOUT: u32 = 6;

/// What follows the snapshot: layout, generation key, length and checksum, little-endian.
#[derive(Debug, PartialEq)]
struct Trailer {
    layout: u32,
    generation: u64,
    len: u64,
    checksum: u64,
}

impl Trailer {
    const SIZE: usize = 4 + 8 + 8 + 8;

    fn to_bytes(&self) -> [u8; Trailer::SIZE] {
        let mut out = [0u8; Trailer::SIZE];
        out[..4].copy_from_slice(&self.layout.to_le_bytes());
        out[4..12].copy_from_slice(&self.generation.to_le_bytes());
        out[12..20].copy_from_slice(&self.len.to_le_bytes());
        out[20..].copy_from_slice(&self.checksum.to_le_bytes());
        out
    }

    /// The snapshot and the trailer of what was kept; `None` when it is too short for one.
    fn split(kept: &[u8]) -> Option<(&[u8], Trailer)> {
        let (body, t) = kept.split_at_checked(kept.len().checked_sub(Trailer::SIZE)?)?;
        let u64_at = |i: usize| u64::from_le_bytes(t[i..i + 8].try_into().expect("eight"));
        Some((
            body,
            Trailer {
                layout: u32::from_le_bytes(t[..4].try_into().expect("four")),
                generation: u64_at(4),
                len: u64_at(12),
                checksum: u64_at(20),
            },
        ))
    }
}

/// FNV-1a over eight bytes at a time: a check against a torn or damaged snapshot, not
/// against tampering (the store is the bot's own).
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    let mut c = Checksum::default();
    c.feed(bytes);
    c.finish()
}

/// [`checksum`] of bytes that come a piece at a time.
struct Checksum {
    h: u64,
    /// Bytes of a word not yet complete.
    pending: [u8; 8],
    n: usize,
}

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            h: 0xcbf2_9ce4_8422_2325,
            pending: [0; 8],
            n: 0,
        }
    }
}

impl Checksum {
    const PRIME: u64 = 0x0100_0000_01b3;

    fn word(&mut self, w: [u8; 8]) {
        self.h ^= u64::from_le_bytes(w);
        self.h = self.h.wrapping_mul(Checksum::PRIME);
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        if self.n > 0 {
            let take = (8 - self.n).min(bytes.len());
            self.pending[self.n..self.n + take].copy_from_slice(&bytes[..take]);
            self.n += take;
            bytes = &bytes[take..];
            if self.n < 8 {
                return;
            }
            self.word(self.pending);
            self.n = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.word(w.try_into().expect("eight bytes"));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.n = rest.len();
    }

    fn finish(mut self) -> u64 {
        for i in 0..self.n {
            self.h ^= u64::from(self.pending[i]);
            self.h = self.h.wrapping_mul(Checksum::PRIME);
        }
        self.h
    }
}

/// Passes writes through, counting and checksumming them.
struct Checked<'a> {
    inner: &'a mut dyn std::io::Write,
    len: u64,
    sum: Checksum,
}

impl std::io::Write for Checked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.len += n as u64;
        self.sum.feed(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the snapshot of the generation whose key is `generation`, replacing any other. A
/// failure is logged, not returned: the snapshot is only a faster way to open the store.
pub(crate) fn save(store: &dyn Store, generation: u64, frozen: &Frozen) {
    if let Err(e) = try_save(store, generation, frozen) {
        tracing::warn!("the answering index could not be kept for a faster start: {e}");
    }
}

fn try_save(
    store: &dyn Store,
    generation: u64,
    frozen: &Frozen,
) -> Result<(), crate::store::StoreError> {
    store.write_kept(NAME, &mut |w| {
        let mut checked = Checked {
            inner: w,
            len: 0,
            sum: Checksum::default(),
        };
        frozen.write_to(&mut checked)?;
        let trailer = Trailer {
            layout: LAYOUT,
            generation,
            len: checked.len,
            checksum: std::mem::take(&mut checked.sum).finish(),
        };
        w.write_all(&trailer.to_bytes())
    })?;
    if store.tree_names()?.iter().any(|t| t == TREE) {
        store.drop_tree(TREE)?;
    }
    Ok(())
}

/// The snapshot kept for the generation whose key is `generation`, if there is a sound one.
pub(crate) fn load(store: &dyn Store, generation: u64) -> Option<Frozen> {
    let kept = store
        .read_kept(NAME)
        .inspect_err(|e| tracing::warn!("{e}; the answering index is built again"))
        .ok()??;
    let (bytes, trailer) = Trailer::split(&kept)?;
    if trailer.layout != LAYOUT || trailer.generation != generation {
        return None;
    }
    if bytes.len() as u64 != trailer.len || checksum(bytes) != trailer.checksum {
        tracing::warn!("the kept answering index is damaged; it is built again");
        return None;
    }
    Frozen::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SectionRecord;
    use crate::lang::Lang;
    use crate::store::MemStore;

    fn frozen(text: &str) -> Frozen {
        let mut f = Frozen::build(vec![SectionRecord {
            doc: "en/a.md".into(),
            lang: Lang::En,
            title: "A".into(),
            path: vec!["A".into()],
            text: text.into(),
            terms: vec![("hero".into(), 2), ("x".into(), 1)],
        }]);
        f.set_bounds(&[3], 3.0);
        f
    }

    #[test]
    fn a_kept_snapshot_is_used_only_for_its_generation_and_only_whole() {
        let store = MemStore::default();
        assert!(load(&store, 1).is_none());
        save(&store, 3, &frozen(&"long text ".repeat(300_000)));
        save(&store, 4, &frozen("short"));
        let back = load(&store, 4).expect("kept");
        assert!(back.has_bounds());
        assert_eq!(back.record(0).unwrap().text, "short");
        assert_eq!(back.id("hero"), Some(0));
        assert!(load(&store, 3).is_none(), "another generation's");
        let whole = store.read_kept(NAME).unwrap().unwrap();
        for at in [whole.len() / 2, whole.len() - 1] {
            let mut damaged = whole.clone();
            damaged[at] ^= 0xff;
            store
                .write_kept(NAME, &mut |w| w.write_all(&damaged))
                .unwrap();
            assert!(load(&store, 4).is_none(), "a damaged one");
        }
        store
            .write_kept(NAME, &mut |w| w.write_all(&whole[..whole.len() - 7]))
            .unwrap();
        assert!(load(&store, 4).is_none(), "a cut one");
    }

    #[test]
    fn a_checksum_fed_in_pieces_is_the_checksum_of_the_whole() {
        let bytes: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37)).collect();
        let whole = checksum(&bytes);
        for cuts in [vec![], vec![1], vec![3, 4, 13], vec![7, 8, 9, 57, 99]] {
            let mut sum = Checksum::default();
            let mut at = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                sum.feed(&bytes[at..cut]);
                at = cut;
            }
            assert_eq!(sum.finish(), whole);
        }
    }
}
