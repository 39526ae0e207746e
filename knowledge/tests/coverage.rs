//! Every fact of the seed documents can be found in every language: for each fact of
//! `tests/facts/facts.toml`, the question in each language retrieves, among its three best
//! sections, one that contains the fact's needle.

mod support;

use support::*;

#[test]
fn every_fact_is_found_in_every_language() {
    let facts = facts();
    assert!(
        facts.len() >= 80,
        "the fact table has {} facts",
        facts.len()
    );
    let kb = load(&[shipped_kb()]);
    let mut failures = Vec::new();
    let mut asked = 0;
    for lang in langs() {
        let questions = fact_questions(lang);
        for (id, fact) in &facts {
            let Some(fq) = questions.get(id) else {
                failures.push(format!("[{lang}] {id}: no question ({})", fact.fact));
                continue;
            };
            asked += 1;
            let hits = kb.search(&fq.q, 3).unwrap();
            if !hits
                .iter()
                .any(|r| r.section.lang == lang && contains(&r.section.text, &fq.needle))
            {
                let got: Vec<String> = hits
                    .iter()
                    .map(|r| format!("{} ({:.2})", r.section.heading(), r.coverage))
                    .collect();
                failures.push(format!(
                    "[{lang}] {id}: {:?} wants {:?}; got {got:?}",
                    fq.q, fq.needle
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {asked} fact questions failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn needles_are_in_the_knowledge_base_text() {
    for lang in langs() {
        let dir = shipped_kb().join(lang.code());
        let mut text = String::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let plain = text.replace(['*', '`', '#'], "");
        for (id, fq) in fact_questions(lang) {
            assert!(
                contains(&plain, &fq.needle),
                "[{lang}] {id}: needle {:?} is not in kb/{lang}",
                fq.needle
            );
        }
    }
}
