//! One document of any content costs the import a bounded amount of work: 8 MiB files of
//! random bytes, 100,000 headings, prose, one huge line and deeply nested lists are
//! imported in part, within the caps, and reported, beside an ordinary document that is
//! imported whole. (How fast and how much memory is measured on the release binary, not
//! asserted here.)

use std::sync::Arc;

use knowledge::{KnowledgeBase, MemStore, Settings};

const SIZE: usize = 8 << 20;
/// The caps of `markdown::Limits::DEFAULT`, written out (the test also ran before they were).
const SECTIONS: usize = 1000;
const SECTION_BYTES: usize = 32 << 10;
const HEADING_BYTES: usize = 300;

/// Bytes that look random, the same every run.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn fill(unit: impl Fn(usize) -> String) -> Vec<u8> {
    let mut out = String::with_capacity(SIZE + 1024);
    let mut i = 0;
    while out.len() < SIZE {
        out.push_str(&unit(i));
        i += 1;
    }
    out.truncate(SIZE);
    out.into_bytes()
}

#[test]
fn eight_mebibyte_documents_of_any_content_are_imported_within_the_caps() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("random.md", random_bytes(SIZE)),
        (
            "headings.md",
            fill(|i| format!("## Heading {i}\n\nBody {i}.\n\n")),
        ),
        (
            "prose.md",
            fill(|i| format!("Paragraph {i} of words, program{i} and member{i}.\n\n")),
        ),
        ("line.md", fill(|i| format!("word{} ", i % 100_000))),
        (
            "nested.md",
            fill(|i| format!("{}- item {i}\n", "  ".repeat(i % 400))),
        ),
    ];
    for (name, bytes) in &files {
        assert_eq!(bytes.len(), SIZE);
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(
        dir.path().join("ordinary.md"),
        "# Heroes\n\n## Count\n\nThere are 238 Heroes in 55 countries.\n",
    )
    .unwrap();

    let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
    let report = kb.sync_exact(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(report.added, 6, "{report:?}");
    let notes = report.notes.join("\n");
    for (name, _) in &files {
        assert!(
            notes.contains(&format!("{name}: imported in part")),
            "no cap reported for {name}:\n{notes}"
        );
    }
    assert!(!notes.contains("ordinary.md"), "{notes}");
    // At most the cap of sections from each document.
    assert!(
        kb.stats().sections <= 1 + files.len() * SECTIONS,
        "{:?}",
        kb.stats()
    );
    // The ordinary document answers; the sections found stay within the caps.
    let answer = kb.ask("How many Heroes are there?").unwrap();
    assert_eq!(answer.source.unwrap().doc, "ordinary.md");
    for q in ["Heading 999", "word7 word8", "item 12", "program3 member3"] {
        for hit in kb.search(q, 10).unwrap() {
            assert!(hit.section.text.len() <= SECTION_BYTES);
            assert!(hit.section.path.iter().all(|h| h.len() <= HEADING_BYTES));
        }
    }
    // The headings document kept its first sections only.
    let found = kb.search("Heading 999", 5).unwrap();
    assert!(found.iter().any(|h| h.section.text == "Body 999."));
    assert!(kb
        .search("Heading 5000", 5)
        .unwrap()
        .iter()
        .all(|h| h.section.text != "Body 5000."));
}
