//! Finding and reading the documents of a knowledge folder, and nothing outside it.
//!
//! An operator names folders; only regular files below them are read. A link is followed
//! only when what it resolves to lies inside the same folder (a link between two documents
//! of the folder is fine, one to `/proc/self/environ` or to another folder is not). FIFOs,
//! sockets and devices are never opened for reading, so none can block an import or feed
//! it without end, and a file is read no further than the size cap, whatever its metadata
//! says. Every document left out is reported with the reason.

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A document found below a knowledge folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Where it really is: a canonical path below the folder.
    pub path: PathBuf,
    /// Where it was found, relative to the folder, with `/` between parts (a link's own name).
    pub rel: String,
}

/// Why a document was left out.
#[derive(Debug)]
pub(crate) enum Skip {
    /// A link that resolves to something outside the knowledge folder.
    LinkOut { folder: bool },
    /// A link that leads nowhere or around in a circle.
    BrokenLink(io::Error),
    /// A FIFO, socket or device: never opened for reading.
    NotRegular(&'static str),
    /// Larger than the size cap.
    TooLarge(u64),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::LinkOut { folder: false } => {
                f.write_str("skipped: a link to a file outside the knowledge folder")
            }
            Skip::LinkOut { folder: true } => {
                f.write_str("skipped: a link to a folder outside the knowledge folder")
            }
            Skip::BrokenLink(e) => write!(f, "skipped: a link that cannot be followed ({e})"),
            Skip::NotRegular(kind) => write!(f, "skipped: not a regular file but {kind}"),
            Skip::TooLarge(cap) => write!(f, "skipped: larger than {} MiB", cap >> 20),
        }
    }
}

/// What reading a document can come to besides its bytes.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Left out on purpose; the document is not part of the knowledge base.
    Skipped(Skip),
    /// The file could not be read this time.
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Whether a file name is one of a document: `.md`, `.markdown` or `.txt`.
pub(crate) fn is_document(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt")
    )
}

/// What kind of file a non-regular, non-directory file is, for the report.
fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// The documents below `root`, which must be canonical, in a stable order: the folder's own
/// files first (sorted, depth first), then those reached through links inside it. A file
/// reached twice (a link to a document of the folder) is listed once, under its own path.
/// Names starting with `.` are passed over. Each document left out adds a line to `notes`.
pub(crate) fn find(root: &Path, notes: &mut Vec<String>) -> io::Result<Vec<Entry>> {
    let mut walk = Walk {
        root,
        visited: HashSet::from([root.to_path_buf()]),
        links: Vec::new(),
        out: Vec::new(),
        notes,
    };
    walk.dir(root, "")?;
    // Links are followed once the folder's own tree is known, so a document keeps its own
    // path and a folder reached by a link is not walked twice. Links met on the way queue up.
    let mut next = 0;
    while next < walk.links.len() {
        let (path, rel) = walk.links[next].clone();
        next += 1;
        walk.link(&path, &rel)?;
    }
    let mut seen = HashSet::new();
    let mut out = walk.out;
    out.retain(|e| seen.insert(e.path.clone()));
    Ok(out)
}

struct Walk<'a> {
    root: &'a Path,
    /// Canonical folders already walked (or queued): a link loop ends here.
    visited: HashSet<PathBuf>,
    /// Links found, with where they were found, to follow after the folder's own tree.
    links: Vec<(PathBuf, String)>,
    out: Vec<Entry>,
    notes: &'a mut Vec<String>,
}

impl Walk<'_> {
    fn skip(&mut self, rel: &str, why: Skip) {
        self.notes.push(format!("{rel}: {why}"));
    }

    /// Lists `dir`, a canonical folder below the root, shown as `rel`.
    fn dir(&mut self, dir: &Path, rel: &str) -> io::Result<()> {
        let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let shown = if rel.is_empty() {
                name.into_owned()
            } else {
                format!("{rel}/{name}")
            };
            let path = entry.path();
            // The entry itself, links not followed.
            let kind = entry.file_type()?;
            if kind.is_symlink() {
                self.links.push((path, shown));
            } else if kind.is_dir() {
                // No link on the way: the path is canonical.
                if self.visited.insert(path.clone()) {
                    self.dir(&path, &shown)?;
                }
            } else if is_document(&path) {
                if kind.is_file() {
                    self.out.push(Entry { path, rel: shown });
                } else {
                    let meta = entry.metadata()?;
                    self.skip(&shown, Skip::NotRegular(kind_of(&meta)));
                }
            }
        }
        Ok(())
    }

    /// Follows a link found in the folder, if it stays inside it.
    fn link(&mut self, link: &Path, rel: &str) -> io::Result<()> {
        let target = match fs::canonicalize(link) {
            Ok(t) => t,
            Err(e) => {
                if is_document(link) {
                    self.skip(rel, Skip::BrokenLink(e));
                }
                return Ok(());
            }
        };
        // What the link resolves to; only its type, nothing of its content.
        let meta = match fs::metadata(&target) {
            Ok(m) => m,
            Err(e) => {
                if is_document(link) {
                    self.skip(rel, Skip::BrokenLink(e));
                }
                return Ok(());
            }
        };
        if !target.starts_with(self.root) {
            if meta.is_dir() || is_document(link) {
                self.skip(
                    rel,
                    Skip::LinkOut {
                        folder: meta.is_dir(),
                    },
                );
            }
            return Ok(());
        }
        if meta.is_dir() {
            if self.visited.insert(target.clone()) {
                self.dir(&target, rel)?;
            }
        } else if is_document(link) {
            if meta.is_file() {
                self.out.push(Entry {
                    path: target,
                    rel: rel.to_string(),
                });
            } else {
                self.skip(rel, Skip::NotRegular(kind_of(&meta)));
            }
        }
        Ok(())
    }
}

/// Reads a document found by [`find`] below `root` (canonical), no more than `max` bytes.
///
/// The file is checked again as it is opened, since the folder may have changed since it
/// was listed: it is opened without following a link and without blocking, and only when
/// what was opened is a regular file below the root is anything read.
pub(crate) fn read(path: &Path, root: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let before = fs::symlink_metadata(path)?;
    if before.file_type().is_symlink() {
        return Err(ReadError::Skipped(Skip::LinkOut { folder: false }));
    }
    if !before.is_file() {
        return Err(ReadError::Skipped(Skip::NotRegular(kind_of(&before))));
    }
    let file = open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::Skipped(Skip::NotRegular(kind_of(&meta))));
    }
    if !opened_below(&file, root) {
        return Err(ReadError::Skipped(Skip::LinkOut { folder: false }));
    }
    if meta.len() > max {
        return Err(ReadError::Skipped(Skip::TooLarge(max)));
    }
    // The length said is a hint: the cap holds while reading, whatever the file turns out to be.
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize + 1);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::Skipped(Skip::TooLarge(max)));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // No link followed at the last step, no wait on a FIFO, never a controlling terminal.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Whether the file opened lies below `root`: on Linux the kernel says where the open file
/// is, which catches a folder on the way swapped for a link after the check.
#[cfg(target_os = "linux")]
fn opened_below(file: &File, root: &Path) -> bool {
    use std::os::fd::AsRawFd;
    match fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
        Ok(real) => real.starts_with(root),
        // No /proc: the checks made before opening stand.
        Err(_) => true,
    }
}

#[cfg(not(target_os = "linux"))]
fn opened_below(_file: &File, _root: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(dir: &tempfile::TempDir) -> PathBuf {
        dir.path().canonicalize().unwrap()
    }

    fn rels(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.rel.as_str()).collect()
    }

    #[test]
    fn own_documents_are_found_in_order_and_others_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let root = canonical(&dir);
        fs::create_dir_all(root.join("en/deep")).unwrap();
        fs::write(root.join("en/b.md"), "b").unwrap();
        fs::write(root.join("en/a.txt"), "a").unwrap();
        fs::write(root.join("en/deep/c.markdown"), "c").unwrap();
        fs::write(root.join("en/picture.png"), "p").unwrap();
        fs::write(root.join(".hidden.md"), "h").unwrap();
        let mut notes = Vec::new();
        let found = find(&root, &mut notes).unwrap();
        assert_eq!(rels(&found), ["en/a.txt", "en/b.md", "en/deep/c.markdown"]);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_followed_once_and_links_out_are_not() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), "outside").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = canonical(&dir);
        fs::create_dir_all(root.join("en")).unwrap();
        fs::create_dir_all(root.join("shared")).unwrap();
        fs::write(root.join("en/real.md"), "real").unwrap();
        fs::write(root.join("shared/common.md"), "common").unwrap();
        // A link to a document of the folder is the same document.
        symlink(root.join("en/real.md"), root.join("en/alias.md")).unwrap();
        // A linked folder inside the folder is walked, under the link's name.
        symlink("../shared", root.join("en/linked")).unwrap();
        fs::create_dir_all(root.join("only")).unwrap();
        fs::write(root.join("only/x.md"), "x").unwrap();
        fs::rename(root.join("only"), root.join(".only")).unwrap();
        symlink(root.join(".only"), root.join("en/via")).unwrap();
        // Out of the folder: a file, a folder, a loop, nowhere.
        symlink(outside.path().join("secret.md"), root.join("en/out.md")).unwrap();
        symlink(outside.path(), root.join("en/outdir")).unwrap();
        symlink("..", root.join("en/up")).unwrap();
        symlink("loop2.md", root.join("en/loop1.md")).unwrap();
        symlink("loop1.md", root.join("en/loop2.md")).unwrap();
        symlink("missing.md", root.join("en/dangling.md")).unwrap();
        let mut notes = Vec::new();
        let found = find(&root, &mut notes).unwrap();
        assert_eq!(
            rels(&found),
            ["en/real.md", "shared/common.md", "en/via/x.md"]
        );
        assert!(found.iter().all(|e| e.path.starts_with(&root)));
        let joined = notes.join("\n");
        assert!(
            joined.contains("en/out.md: skipped: a link to a file outside the knowledge folder"),
            "{joined}"
        );
        assert!(
            joined.contains("en/outdir: skipped: a link to a folder outside the knowledge folder"),
            "{joined}"
        );
        for name in ["en/loop1.md", "en/loop2.md", "en/dangling.md"] {
            assert!(
                joined.contains(&format!("{name}: skipped: a link that cannot be followed")),
                "{joined}"
            );
        }
        assert_eq!(notes.len(), 5, "{joined}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_reported_and_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = canonical(&dir);
        let fifo = root.join("pipe.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo");
        let mut notes = Vec::new();
        assert!(find(&root, &mut notes).unwrap().is_empty());
        assert_eq!(notes, ["pipe.md: skipped: not a regular file but a FIFO"]);
        // Read directly, it is refused without blocking.
        match read(&fifo, &root, 1024) {
            Err(ReadError::Skipped(Skip::NotRegular("a FIFO"))) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_size_cap_holds_while_reading() {
        let dir = tempfile::tempdir().unwrap();
        let root = canonical(&dir);
        let path = root.join("a.md");
        fs::write(&path, vec![b'a'; 100]).unwrap();
        assert_eq!(read(&path, &root, 100).unwrap().len(), 100);
        match read(&path, &root, 99) {
            Err(ReadError::Skipped(Skip::TooLarge(99))) => {}
            other => panic!("{other:?}"),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_size_cap_holds_when_the_metadata_says_nothing() {
        // Files of /proc say they have 0 bytes; a cap checked on the metadata alone reads on.
        let status = Path::new("/proc/self/status");
        assert_eq!(fs::metadata(status).unwrap().len(), 0);
        match read(status, Path::new("/proc"), 10) {
            Err(ReadError::Skipped(Skip::TooLarge(10))) => {}
            other => panic!("{other:?}"),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_outside_the_root_is_refused_at_reading() {
        // Found inside, then the folder changed: reading checks where the file really is.
        let outside = tempfile::tempdir().unwrap();
        let path = canonical(&outside).join("x.md");
        fs::write(&path, "outside").unwrap();
        let dir = tempfile::tempdir().unwrap();
        match read(&path, &canonical(&dir), 1024) {
            Err(ReadError::Skipped(Skip::LinkOut { .. })) => {}
            other => panic!("{other:?}"),
        }
    }
}
