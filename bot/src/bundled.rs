//! The knowledge base shipped with the bot, embedded in the binary so that a copied or
//! installed `bot` with no config file still answers. Run from the source tree, the bot reads
//! `knowledge/kb` itself, so edits there take effect on the next start.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use include_dir::Dir;

use crate::config::Config;

static KB: &Dir<'_> = &knowledge::shipped::KB;

/// Where the shipped knowledge base is in the source tree this binary was built from.
pub fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge/kb")
}

/// When the configuration points at the source tree's knowledge base and that is not on this
/// machine, unpacks the embedded copy into the data directory and uses it instead.
pub fn resolve(config: &mut Config) -> Result<()> {
    resolve_from(config, &source_dir())
}

fn resolve_from(config: &mut Config, source: &Path) -> Result<()> {
    for dir in &mut config.knowledge_dirs {
        if dir == source && !dir.is_dir() {
            let target = config.data_dir.join("bundled-kb");
            unpack(&target).with_context(|| {
                format!(
                    "unpacking the bundled knowledge base into {}",
                    target.display()
                )
            })?;
            *dir = target;
        }
    }
    Ok(())
}

/// Writes the embedded documents below `target`, leaving unchanged files alone.
pub fn unpack(target: &Path) -> Result<()> {
    fn walk(dir: &Dir<'_>, target: &Path) -> std::io::Result<()> {
        for file in dir.files() {
            let path = target.join(file.path());
            if std::fs::read(&path).ok().as_deref() != Some(file.contents()) {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, file.contents())?;
            }
        }
        for sub in dir.dirs() {
            walk(sub, target)?;
        }
        Ok(())
    }
    walk(KB, target)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_knowledge_base_unpacks_whole() {
        let dir = tempfile::tempdir().unwrap();
        unpack(dir.path()).unwrap();
        for lang in ["en", "zh", "pt"] {
            let n = std::fs::read_dir(dir.path().join(lang)).unwrap().count();
            assert_eq!(n, 12, "{lang}");
        }
        let heroes = std::fs::read_to_string(dir.path().join("en/heroes.md")).unwrap();
        assert!(heroes.contains("238"));
        // Unpacking again changes nothing and does not fail.
        unpack(dir.path()).unwrap();
    }

    #[test]
    fn a_missing_source_tree_falls_back_to_the_embedded_copy() {
        let data = tempfile::tempdir().unwrap();
        let mut config = Config::parse("", None).unwrap();
        config.data_dir = data.path().to_path_buf();
        // Where the source tree would be on the machine the binary was built on.
        let gone = data.path().join("build-machine/knowledge/kb");
        config.knowledge_dirs = vec![gone.clone(), PathBuf::from("/srv/extra-kb")];
        resolve_from(&mut config, &gone).unwrap();
        let unpacked = data.path().join("bundled-kb");
        assert_eq!(
            config.knowledge_dirs,
            [unpacked.clone(), PathBuf::from("/srv/extra-kb")]
        );
        assert!(unpacked.join("zh/heroes.md").is_file());
        // In the source tree itself, the source is used so edits take effect.
        config.knowledge_dirs = vec![source_dir()];
        resolve(&mut config).unwrap();
        assert_eq!(config.knowledge_dirs, [source_dir()]);
    }
}
