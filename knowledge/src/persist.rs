//! The answering index of a generation kept in the store beside it, so that opening an
//! imported store reads one snapshot instead of analysing and inverting every section.
//!
//! It is kept whole under one name ([`crate::store::Store::write_kept`]: a file of its own
//! in a sled store's directory): a head with the key of the generation it was made from (a
//! checksum of the generation's whole record, so a store rebuilt from scratch, whose numbers
//! start again, or a backup restored underneath, never takes an old snapshot for its own),
//! the snapshot's length and its checksum, then the snapshot. It is only used for the
//! generation it was written for, whole and with the right checksum; anything else is
//! rebuilt from the sections and written again.

use serde::{Deserialize, Serialize};

use crate::frozen::Frozen;
use crate::store::Store;

/// Where earlier versions kept the snapshot in chunks; dropped when one is found.
pub(crate) const TREE: &str = "kb.frozen";
const NAME: &str = "answering-index";
/// Changed whenever the snapshot's layout changes.
const LAYOUT: u32 = 4;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Head {
    layout: u32,
    generation: u64,
    len: u64,
    checksum: u64,
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
    let bytes = frozen.to_bytes();
    let head = Head {
        layout: LAYOUT,
        generation,
        len: bytes.len() as u64,
        checksum: checksum(&bytes),
    };
    let mut kept = postcard::to_stdvec(&head).expect("serialisable");
    kept.extend_from_slice(&bytes);
    drop(bytes);
    store.write_kept(NAME, kept)?;
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
    let (head, bytes): (Head, _) = postcard::take_from_bytes(&kept).ok()?;
    if head.layout != LAYOUT || head.generation != generation {
        return None;
    }
    if bytes.len() as u64 != head.len || checksum(bytes) != head.checksum {
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
            store.write_kept(NAME, damaged).unwrap();
            assert!(load(&store, 4).is_none(), "a damaged one");
        }
        store
            .write_kept(NAME, whole[..whole.len() - 7].to_vec())
            .unwrap();
        assert!(load(&store, 4).is_none(), "a cut one");
    }
}
