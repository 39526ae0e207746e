//! Nothing outside the folders an operator named is read: a knowledge folder holding links
//! out (to a file, a folder, `/proc/self/environ`, `/dev/zero`) and a FIFO beside an
//! ordinary document imports that document, reports the others with their reasons, finishes
//! promptly, and nothing from outside reaches a section or an answer.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use knowledge::{ImportReport, KnowledgeBase, MemStore, Settings};

const OUTSIDE_MARKER: &str = "Quokkazebra";

fn mkfifo(path: &Path) {
    // The coreutils command, so the test needs no unsafe code.
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
}

/// Runs an import on its own thread: a hang fails the test instead of hanging it.
fn import_within_deadline(kb: &Arc<KnowledgeBase>, dir: &Path) -> ImportReport {
    let (tx, rx) = mpsc::channel();
    let (kb, dir) = (Arc::clone(kb), dir.to_path_buf());
    std::thread::spawn(move || {
        let _ = tx.send(kb.sync_exact(&[dir]));
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the import did not finish within 5 s")
        .expect("the import failed")
}

/// Distinctive words of this process's environment, as `/proc/self/environ` shows it.
fn environment_words() -> Vec<String> {
    let raw = std::fs::read("/proc/self/environ").unwrap_or_default();
    let mut words: Vec<String> = String::from_utf8_lossy(&raw)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 6)
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    // Words of the ordinary document would be found for good reason.
    words.retain(|w| !ORDINARY.to_lowercase().contains(&w.to_lowercase()));
    words
}

const ORDINARY: &str = "# Community Builders\n\n\
    The Community Builders program offers technical resources and mentorship.\n\n\
    ## How to apply\n\n\
    Applications open twice a year on the program website.\n";

fn folder_with_everything_but_documents(outside: &Path) -> tempfile::TempDir {
    std::fs::write(
        outside.join("secret.md"),
        format!("# Secret\n\nThe {OUTSIDE_MARKER} token is not for members.\n"),
    )
    .unwrap();
    std::fs::create_dir_all(outside.join("folder")).unwrap();
    std::fs::write(
        outside.join("folder/inside.md"),
        format!("# Elsewhere\n\n{OUTSIDE_MARKER} lives in another folder.\n"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("en");
    std::fs::create_dir_all(&en).unwrap();
    std::fs::write(en.join("builders.md"), ORDINARY).unwrap();
    symlink(outside.join("secret.md"), en.join("out.md")).unwrap();
    symlink(outside.join("folder"), en.join("elsewhere")).unwrap();
    symlink("/proc/self/environ", en.join("env.md")).unwrap();
    symlink("/dev/zero", en.join("zero.md")).unwrap();
    mkfifo(&en.join("pipe.md"));
    dir
}

#[test]
fn links_out_special_files_and_endless_files_are_skipped_with_reasons() {
    let outside = tempfile::tempdir().unwrap();
    let dir = folder_with_everything_but_documents(outside.path());
    let kb =
        Arc::new(KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap());

    let report = import_within_deadline(&kb, dir.path());

    assert_eq!(report.added, 1, "{report:?}");
    let stats = kb.stats();
    assert_eq!(stats.documents, 1);
    assert_eq!(stats.sections, 2);
    let notes = report.notes.join("\n");
    for expected in [
        "en/out.md: skipped: a link to a file outside the knowledge folder",
        "en/env.md: skipped: a link to a file outside the knowledge folder",
        "en/zero.md: skipped: a link to a file outside the knowledge folder",
        "en/elsewhere: skipped: a link to a folder outside the knowledge folder",
        "en/pipe.md: skipped: not a regular file but a FIFO",
    ] {
        assert!(
            notes.contains(expected),
            "missing {expected:?} in:\n{notes}"
        );
    }

    // The ordinary document answers.
    let answer = kb.ask("How do I apply to Community Builders?").unwrap();
    assert!(answer.answered(), "{answer:?}");
    assert_eq!(answer.source.as_ref().unwrap().doc, "en/builders.md");

    // Nothing from outside: no section but the ordinary document's, whatever is asked.
    let mut questions = vec![OUTSIDE_MARKER.to_string(), "env".to_string()];
    questions.extend(environment_words());
    for q in &questions {
        for hit in kb.search(q, 20).unwrap() {
            assert_eq!(hit.section.doc, "en/builders.md", "{q:?} found {hit:?}");
        }
        let answer = kb.ask(q).unwrap();
        let shown = format!("{answer:?}");
        assert!(!shown.contains(OUTSIDE_MARKER), "{q:?}: {shown}");
    }
}

#[test]
fn a_document_imported_through_a_link_that_now_leads_out_is_dropped() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        format!("# Secret\n\n{OUTSIDE_MARKER} again.\n"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("builders.md"), ORDINARY).unwrap();
    std::fs::write(
        dir.path().join("notes.md"),
        "# Notes\n\nMeetups happen monthly.\n",
    )
    .unwrap();
    let kb =
        Arc::new(KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap());
    import_within_deadline(&kb, dir.path());
    assert_eq!(kb.stats().documents, 2);

    // The document becomes a link out of the folder.
    let notes: PathBuf = dir.path().join("notes.md");
    std::fs::remove_file(&notes).unwrap();
    symlink(outside.path().join("secret.md"), &notes).unwrap();
    let report = import_within_deadline(&kb, dir.path());
    assert_eq!(report.removed, 1, "{report:?}");
    assert_eq!(kb.stats().documents, 1);
    assert!(kb
        .search(OUTSIDE_MARKER, 20)
        .unwrap()
        .iter()
        .all(|h| h.section.doc == "builders.md"));
}

#[test]
fn links_inside_the_folder_are_followed_and_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("en/shared")).unwrap();
    std::fs::write(root.join("en/shared/builders.md"), ORDINARY).unwrap();
    symlink("shared/builders.md", root.join("en/alias.md")).unwrap();
    symlink("shared", root.join("en/again")).unwrap();
    symlink("..", root.join("en/shared/up")).unwrap();
    symlink("b.md", root.join("en/a.md")).unwrap();
    symlink("a.md", root.join("en/b.md")).unwrap();
    let kb =
        Arc::new(KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap());
    let report = import_within_deadline(&kb, root);
    // One document, under its own path, however many ways lead to it.
    assert_eq!(kb.stats().documents, 1, "{report:?}");
    let answer = kb.ask("How do I apply to Community Builders?").unwrap();
    assert_eq!(answer.source.unwrap().doc, "en/shared/builders.md");
    let notes = report.notes.join("\n");
    assert!(
        notes.contains("en/a.md: skipped: a link that cannot be followed"),
        "{notes}"
    );
}
