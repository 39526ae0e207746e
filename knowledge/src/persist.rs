//! The answering index of a generation kept in the store beside it, so that opening an
//! imported store reads one snapshot instead of analysing and inverting every section.
//!
//! Tree `kb.frozen`: key `head` holds the key of the generation it was made from (a checksum
//! of the generation's whole record, so a store rebuilt from scratch, whose numbers start
//! again, never takes an old snapshot for its own), the snapshot's length and its checksum;
//! the snapshot itself is split into chunks under keys `c` + chunk number. A snapshot is
//! only used for the generation it was written for, whole and with the right checksum;
//! anything else is rebuilt from the sections and written again.

use serde::{Deserialize, Serialize};

use crate::frozen::Frozen;
use crate::store::Store;

pub(crate) const TREE: &str = "kb.frozen";
const HEAD: &[u8] = b"head";
/// Changed whenever the snapshot's layout changes.
const LAYOUT: u32 = 3;
const CHUNK: usize = 1 << 20;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Head {
    layout: u32,
    generation: u64,
    len: u64,
    checksum: u64,
}

fn chunk_key(n: u32) -> Vec<u8> {
    let mut k = b"c".to_vec();
    k.extend_from_slice(&n.to_be_bytes());
    k
}

/// FNV-1a over eight bytes at a time: a check against a torn or damaged snapshot, not
/// against tampering (the store is the bot's own).
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h ^= u64::from_le_bytes(w.try_into().expect("eight bytes"));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    for &b in words.remainder() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Writes the snapshot of the generation whose key is `generation`, replacing any other. A failure is logged, not
/// returned: the snapshot is only a faster way to open the store.
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
    let bytes = frozen.to_bytes();
    let head = Head {
        layout: LAYOUT,
        generation,
        len: bytes.len() as u64,
        checksum: checksum(&bytes),
    };
    // The head goes first, so a snapshot half written is never taken for a whole one.
    store.write_batch(TREE, vec![(HEAD.to_vec(), None)])?;
    let mut n = 0u32;
    for chunk in bytes.chunks(CHUNK) {
        store.write_batch(TREE, vec![(chunk_key(n), Some(chunk.to_vec()))])?;
        n += 1;
    }
    // Chunks a longer snapshot left.
    let stale: Vec<(Vec<u8>, Option<Vec<u8>>)> = store
        .scan(TREE)?
        .into_iter()
        .filter(|(k, _)| k.len() == 5 && k[0] == b'c')
        .filter(|(k, _)| u32::from_be_bytes([k[1], k[2], k[3], k[4]]) >= n)
        .map(|(k, _)| (k, None))
        .collect();
    if !stale.is_empty() {
        store.write_batch(TREE, stale)?;
    }
    let head = postcard::to_stdvec(&head).expect("serialisable");
    store.write_batch(TREE, vec![(HEAD.to_vec(), Some(head))])?;
    store.flush()
}

/// The snapshot kept for the generation whose key is `generation`, if there is a sound one.
pub(crate) fn load(store: &dyn Store, generation: u64) -> Option<Frozen> {
    let head: Head = postcard::from_bytes(&store.get(TREE, HEAD).ok()??).ok()?;
    if head.layout != LAYOUT || head.generation != generation {
        return None;
    }
    let len = usize::try_from(head.len).ok()?;
    let mut bytes = Vec::with_capacity(len);
    let mut n = 0u32;
    while bytes.len() < len {
        let chunk = store.get(TREE, &chunk_key(n)).ok()??;
        if chunk.is_empty() {
            return None;
        }
        bytes.extend_from_slice(&chunk);
        n += 1;
    }
    if bytes.len() != len || checksum(&bytes) != head.checksum {
        tracing::warn!("the kept answering index is damaged; it is built again");
        return None;
    }
    Frozen::from_bytes(&bytes)
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
        // The longer snapshot's second chunk is gone.
        assert!(store.get(TREE, &chunk_key(1)).unwrap().is_none());
        let mut damaged = store.get(TREE, &chunk_key(0)).unwrap().unwrap();
        damaged[3] ^= 0xff;
        store.insert(TREE, &chunk_key(0), damaged).unwrap();
        assert!(load(&store, 4).is_none(), "a damaged one");
    }
}
