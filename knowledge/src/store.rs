//! The small storage interface the knowledge base is written against, with the sled
//! implementation the bot uses and an in-memory one for tests. Replacing sled means writing
//! one more implementation of [`Store`]; no caller changes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

/// A storage failure, with the operation that failed.
#[derive(Debug, thiserror::Error)]
#[error("storage error while {action}: {message}")]
pub struct StoreError {
    pub action: &'static str,
    pub message: String,
}

impl StoreError {
    fn sled(action: &'static str, e: sled::Error) -> Self {
        StoreError {
            action,
            message: e.to_string(),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An ordered key-value store made of named trees.
pub trait Store: Send + Sync {
    fn get(&self, tree: &str, key: &[u8]) -> StoreResult<Option<Vec<u8>>>;
    /// Writes many keys of one tree at once (`None` removes the key), atomically.
    fn write_batch(&self, tree: &str, writes: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> StoreResult<()>;
    /// Every key and value of a tree, in key order.
    fn scan(&self, tree: &str) -> StoreResult<Vec<(Vec<u8>, Vec<u8>)>>;
    /// Every key of a tree, in key order, without reading the values.
    fn keys(&self, tree: &str) -> StoreResult<Vec<Vec<u8>>> {
        Ok(self.scan(tree)?.into_iter().map(|(k, _)| k).collect())
    }
    /// Removes a whole tree.
    fn drop_tree(&self, tree: &str) -> StoreResult<()>;
    /// Makes every write so far durable.
    fn flush(&self) -> StoreResult<()>;
    /// The names of the trees that exist.
    fn tree_names(&self) -> StoreResult<Vec<String>>;

    fn insert(&self, tree: &str, key: &[u8], value: Vec<u8>) -> StoreResult<()> {
        self.write_batch(tree, vec![(key.to_vec(), Some(value))])
    }

    /// Data derived from the rest that is kept only for a faster start (the answering
    /// index), read whole: a file of its own where the store has a directory, so that a
    /// start copies it instead of paging it in through the trees.
    fn read_kept(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        self.get(KEPT_TREE, name.as_bytes())
    }

    /// Replaces what [`Store::read_kept`] gives for `name` with what `write` writes, whole
    /// or not at all. Written through, so that a large snapshot need not be made in memory
    /// first.
    fn write_kept(&self, name: &str, write: &mut KeptWriter<'_>) -> StoreResult<()> {
        write_kept_in_tree(self, name, write)
    }
}

/// [`Store::write_kept`] for a store without a directory: the data as one value of
/// [`KEPT_TREE`].
fn write_kept_in_tree(
    store: &(impl Store + ?Sized),
    name: &str,
    write: &mut KeptWriter<'_>,
) -> StoreResult<()> {
    let mut bytes = Vec::new();
    write(&mut bytes).map_err(|e| StoreError {
        action: "writing kept data",
        message: e.to_string(),
    })?;
    store.insert(KEPT_TREE, name.as_bytes(), bytes)
}

/// What writes the data [`Store::write_kept`] keeps.
pub type KeptWriter<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// Where a store without a directory keeps [`Store::read_kept`]'s data.
const KEPT_TREE: &str = "kept";

/// The store on sled 0.34 (the stable line). Trees are opened once and kept.
pub struct SledStore {
    db: sled::Db,
    trees: RwLock<HashMap<String, sled::Tree>>,
    /// The database's directory, where kept data has files of its own.
    dir: Option<std::path::PathBuf>,
}

impl SledStore {
    pub fn new(db: sled::Db) -> Self {
        SledStore {
            db,
            trees: RwLock::new(HashMap::new()),
            dir: None,
        }
    }

    /// The store on a database opened in `dir`: what [`Store::write_kept`] keeps goes to
    /// files there (`kept-NAME`), beside sled's own.
    pub fn in_dir(db: sled::Db, dir: &std::path::Path) -> Self {
        SledStore {
            dir: Some(dir.to_path_buf()),
            ..SledStore::new(db)
        }
    }

    fn kept_path(&self, name: &str) -> Option<std::path::PathBuf> {
        Some(self.dir.as_ref()?.join(format!("kept-{name}")))
    }

    fn tree(&self, name: &str) -> StoreResult<sled::Tree> {
        if let Some(t) = self
            .trees
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return Ok(t.clone());
        }
        let t = self
            .db
            .open_tree(name)
            .map_err(|e| StoreError::sled("opening a tree", e))?;
        self.trees
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), t.clone());
        Ok(t)
    }
}

impl Store for SledStore {
    fn get(&self, tree: &str, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        let t = self.tree(tree)?;
        t.get(key)
            .map(|v| v.map(|v| v.to_vec()))
            .map_err(|e| StoreError::sled("reading", e))
    }

    fn write_batch(&self, tree: &str, writes: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> StoreResult<()> {
        let t = self.tree(tree)?;
        let mut batch = sled::Batch::default();
        for (k, v) in writes {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        t.apply_batch(batch)
            .map_err(|e| StoreError::sled("writing", e))
    }

    fn scan(&self, tree: &str) -> StoreResult<Vec<(Vec<u8>, Vec<u8>)>> {
        let t = self.tree(tree)?;
        t.iter()
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())))
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::sled("scanning", e))
    }

    fn keys(&self, tree: &str) -> StoreResult<Vec<Vec<u8>>> {
        let t = self.tree(tree)?;
        t.iter()
            .keys()
            .map(|k| k.map(|k| k.to_vec()))
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::sled("scanning", e))
    }

    fn drop_tree(&self, tree: &str) -> StoreResult<()> {
        self.trees
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(tree);
        self.db
            .drop_tree(tree)
            .map(|_| ())
            .map_err(|e| StoreError::sled("dropping a tree", e))
    }

    fn flush(&self) -> StoreResult<()> {
        self.db
            .flush()
            .map(|_| ())
            .map_err(|e| StoreError::sled("flushing", e))
    }

    fn read_kept(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        let Some(path) = self.kept_path(name) else {
            return self.get(KEPT_TREE, name.as_bytes());
        };
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError {
                action: "reading kept data",
                message: format!("{}: {e}", path.display()),
            }),
        }
    }

    fn write_kept(&self, name: &str, write: &mut KeptWriter<'_>) -> StoreResult<()> {
        let Some(path) = self.kept_path(name) else {
            return write_kept_in_tree(self, name, write);
        };
        // Written beside, made durable, then put in place: a crash leaves the old file or
        // the new one, never half of one.
        let fail = |e: std::io::Error| StoreError {
            action: "writing kept data",
            message: format!("{}: {e}", path.display()),
        };
        let partial = path.with_extension("partial");
        let written = (|| {
            let f = std::fs::File::create(&partial)?;
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, f);
            write(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(fail(e));
        }
        std::fs::rename(&partial, &path).map_err(fail)
    }

    fn tree_names(&self) -> StoreResult<Vec<String>> {
        Ok(self
            .db
            .tree_names()
            .into_iter()
            .map(|n| String::from_utf8_lossy(&n).into_owned())
            .collect())
    }
}

type MemTree = BTreeMap<Vec<u8>, Vec<u8>>;

/// A store in memory, for tests and for throw-away indexes (benchmarks).
#[derive(Default, Clone)]
pub struct MemStore {
    trees: Arc<RwLock<HashMap<String, MemTree>>>,
}

impl Store for MemStore {
    fn get(&self, tree: &str, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        let trees = self.trees.read().unwrap_or_else(|e| e.into_inner());
        Ok(trees.get(tree).and_then(|t| t.get(key).cloned()))
    }

    fn write_batch(&self, tree: &str, writes: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> StoreResult<()> {
        let mut trees = self.trees.write().unwrap_or_else(|e| e.into_inner());
        let t = trees.entry(tree.to_string()).or_default();
        for (k, v) in writes {
            match v {
                Some(v) => t.insert(k, v),
                None => t.remove(&k),
            };
        }
        Ok(())
    }

    fn scan(&self, tree: &str) -> StoreResult<Vec<(Vec<u8>, Vec<u8>)>> {
        let trees = self.trees.read().unwrap_or_else(|e| e.into_inner());
        Ok(trees
            .get(tree)
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    fn drop_tree(&self, tree: &str) -> StoreResult<()> {
        self.trees
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(tree);
        Ok(())
    }

    fn flush(&self) -> StoreResult<()> {
        Ok(())
    }

    fn tree_names(&self) -> StoreResult<Vec<String>> {
        Ok(self
            .trees
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(store: &dyn Store) {
        store.insert("t", b"b", b"2".to_vec()).unwrap();
        store
            .write_batch(
                "t",
                vec![(b"a".to_vec(), Some(b"1".to_vec())), (b"b".to_vec(), None)],
            )
            .unwrap();
        assert_eq!(store.get("t", b"a").unwrap(), Some(b"1".to_vec()));
        assert_eq!(store.get("t", b"b").unwrap(), None);
        assert_eq!(
            store.scan("t").unwrap(),
            vec![(b"a".to_vec(), b"1".to_vec())]
        );
        assert_eq!(store.keys("t").unwrap(), vec![b"a".to_vec()]);
        assert!(store.tree_names().unwrap().contains(&"t".to_string()));
        store.drop_tree("t").unwrap();
        assert!(store.scan("t").unwrap().is_empty());
        store.flush().unwrap();
        assert_eq!(store.read_kept("index").unwrap(), None);
        store
            .write_kept("index", &mut |w| w.write_all(b"first"))
            .unwrap();
        store
            .write_kept("index", &mut |w| {
                w.write_all(b"sec")?;
                w.write_all(b"ond")
            })
            .unwrap();
        let failing = store.write_kept("index", &mut |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failing.is_err());
        assert_eq!(store.read_kept("index").unwrap(), Some(b"second".to_vec()));
    }

    #[test]
    fn both_stores_behave_alike() {
        exercise(&MemStore::default());
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        exercise(&SledStore::new(db.clone()));
        exercise(&SledStore::in_dir(db, dir.path()));
        assert!(dir.path().join("kept-index").is_file(), "a file of its own");
    }
}
