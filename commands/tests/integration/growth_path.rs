//! The `next` command explains each step from the knowledge base; this checks that every
//! badge's question finds that badge's own document, in each language.

use std::sync::Arc;

use commands::badges::CATALOG;
use knowledge::{KnowledgeBase, Lang, MemStore, Settings};

#[test]
fn every_badge_question_finds_its_own_document_in_each_language() {
    let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge/kb");
    kb.sync_exact(&[dir]).unwrap();
    let docs = [
        ("volunteer", "volunteers.md"),
        ("speaker", "user-group-leaders.md"),
        ("track-owner", "user-group-leaders.md"),
        ("user-group-leader", "user-group-leaders.md"),
        ("community-builder", "community-builders.md"),
        ("hero", "heroes.md"),
        ("cloud-captain", "cloud-clubs-and-captains.md"),
        ("ambassador", "ambassadors.md"),
    ];
    let mut misses = Vec::new();
    for (id, doc) in docs {
        let badge = CATALOG.iter().find(|b| b.id == id).unwrap();
        for lang in Lang::ALL {
            let q = badge.how_to[lang as usize];
            let a = kb.ask(q).unwrap();
            let want = format!("{}/{doc}", lang.code());
            let got = a.source.as_ref().map(|c| c.doc.clone()).unwrap_or_default();
            if !a.answered() || got != want {
                misses.push(format!("{q:?}: wanted {want}, got {got:?}"));
            }
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}
