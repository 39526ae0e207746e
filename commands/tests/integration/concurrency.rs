//! Many members pressing the same sign-up button at once.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use crate::support::*;
use commands::Input;

const MEMBERS: usize = 200;
const PLACES: usize = 5;

#[test]
fn two_hundred_concurrent_sign_ups_for_five_places() {
    let w = Arc::new(World::new());
    w.announce_standard(&olga());
    w.ok(&olga(), &format!("/volunteer call e1 host:{PLACES}"));

    let barrier = Arc::new(Barrier::new(MEMBERS));
    let handles: Vec<_> = (0..MEMBERS)
        .map(|i| {
            let (w, barrier) = (w.clone(), barrier.clone());
            std::thread::spawn(move || {
                let who = member(&format!("m{i:03}"));
                barrier.wait();
                let r = w
                    .cmds
                    .handle(&who, Input::Press("vol:signup:v1:host".into()));
                (who.user_id, r.main().ok, r.main().text.to_string())
            })
        })
        .collect();
    let results: Vec<(String, bool, String)> = handles
        .into_iter()
        .map(|h| h.join().expect("no panic"))
        .collect();

    let mut signed = BTreeSet::new();
    let mut places = BTreeSet::new();
    for (user, ok, text) in &results {
        assert!(ok, "{user}: {text}");
        if text.contains("You are signed up as host") {
            assert!(signed.insert(user.clone()));
        } else {
            let place: usize = text
                .split("number ")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{user}: no waitlist place in {text}"));
            assert!(places.insert(place), "waitlist place {place} given twice");
        }
    }
    assert_eq!(signed.len(), PLACES, "signed up: {signed:?}");
    assert_eq!(places, (1..=MEMBERS - PLACES).collect::<BTreeSet<_>>());

    // The roster agrees: five on the role, 195 waiting, nobody twice.
    let r = w.ok(&olga(), "/volunteer roster v1");
    let host = r
        .main()
        .fields
        .iter()
        .find(|f| f.name.starts_with("host"))
        .expect("host");
    assert_eq!(host.name, format!("host ({PLACES}/{PLACES})"));
    let (on, waiting) = host.value.split_once("\nwaitlist: ").expect("a waitlist");
    let on: Vec<&str> = on.split(", ").collect();
    let waiting: Vec<&str> = waiting.split(", ").collect();
    assert_eq!(on.len(), PLACES);
    assert_eq!(waiting.len(), MEMBERS - PLACES);
    let everyone: BTreeSet<&str> = on.iter().chain(&waiting).copied().collect();
    assert_eq!(everyone.len(), MEMBERS, "somebody is listed twice");
    let on_roster: BTreeSet<String> = on
        .iter()
        .map(|p| {
            p.split_whitespace()
                .next()
                .unwrap()
                .trim_start_matches('@')
                .to_string()
        })
        .collect();
    assert_eq!(
        on_roster, signed,
        "the roster names those who were told they are in"
    );

    // The post counts agree too.
    let r = w.ok(&member("late"), "/volunteer signup v1 host");
    assert!(
        r.main()
            .text
            .contains(&format!("number {}", MEMBERS - PLACES + 1)),
        "{}",
        r.main().text
    );
    assert_eq!(
        r.replies[1].fields[0].value,
        format!(
            "{PLACES}/{PLACES} signed up, {} waiting",
            MEMBERS - PLACES + 1
        )
    );
}

/// A store replaced underneath (a backup restored while the bot runs): a command that
/// arrives during the swap waits for it, and sees only what the swap left.
#[test]
fn a_command_sent_while_the_store_is_replaced_waits_and_sees_the_new_contents() {
    let w = Arc::new(World::new());
    w.announce_standard(&olga());
    assert!(plain(w.ok(&member("mia"), "events").main()).contains("Serverless Night"));

    let during = w.clone();
    let waiting = w
        .cmds
        .replace_store(|| {
            let asker = during.clone();
            let waiting =
                std::thread::spawn(move || plain(asker.ok(&member("mia"), "events").main()));
            for name in during.db.tree_names() {
                if name.starts_with(b"cmd.") {
                    during.db.open_tree(name)?.clear()?;
                }
            }
            Ok::<_, sled::Error>(waiting)
        })
        .expect("the swap runs");
    let seen = waiting.join().expect("no panic");
    assert!(!seen.contains("Serverless Night"), "{seen}");
}
