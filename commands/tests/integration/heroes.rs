//! Heroes hold several categories: grant adds one, revoke takes one back, `badges` lists
//! them all, the audit log has a line for each, and multi-word names are read in every
//! language.

use std::collections::BTreeSet;

use commands::{Effect, Platform};

use crate::support::*;

/// Catalog order, with a way to name each that takes more than one word where one exists.
const CATEGORIES: [(&str, &str, &str); 5] = [
    ("community", "community", "Community"),
    ("container", "containers", "Container"),
    ("machine-learning", "machine learning", "Machine Learning"),
    ("serverless", "Serverless", "Serverless"),
    ("devtools", "dev tools", "DevTools"),
];

/// A small seeded generator (splitmix64), so a failing order can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn audit_lines(w: &World) -> usize {
    count(&w.db, "cmd.audit")
}

#[test]
fn categories_granted_and_revoked_in_any_order() {
    let seed = std::env::var("HERO_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x17_u64);
    println!("seed {seed} (set HERO_SEED to replay)");
    let mut rng = Rng(seed);
    for round in 0..6 {
        let w = World::new();
        let mut held: BTreeSet<usize> = BTreeSet::new();
        for step in 0..14 {
            let i = (rng.next() % CATEGORIES.len() as u64) as usize;
            let (id, typed, _) = CATEGORIES[i];
            let grant = rng.next().is_multiple_of(2);
            let audits = audit_lines(&w);
            let ctx = format!("seed {seed} round {round} step {step}");
            if grant {
                let r = w.ok(&ada(), &format!("/badge grant @mia hero {typed}"));
                let new = held.insert(i);
                assert_eq!(
                    audit_lines(&w),
                    audits + usize::from(new),
                    "{ctx}: grant {id}"
                );
                // The role comes with the first category only.
                let role = Effect::BadgeGranted {
                    platform: Platform::Terminal,
                    user: "mia".into(),
                    badge: "hero",
                };
                assert_eq!(
                    r.effects.contains(&role),
                    new && held.len() == 1,
                    "{ctx}: grant {id}: {:?}",
                    r.effects
                );
            } else {
                let r = w.text(&ada(), &format!("/badge revoke @mia hero {typed}"));
                let gone = held.remove(&i);
                assert_eq!(
                    audit_lines(&w),
                    audits + usize::from(gone),
                    "{ctx}: revoke {id}: {}",
                    r.main().text
                );
                if gone {
                    let role = Effect::BadgeRevoked {
                        platform: Platform::Terminal,
                        user: "mia".into(),
                        badge: "hero",
                    };
                    assert_eq!(r.effects.contains(&role), held.is_empty(), "{ctx}");
                } else {
                    assert!(
                        r.main().text.contains("Nothing changed"),
                        "{ctx}: {}",
                        r.main().text
                    );
                }
            }
            let badges = w.ok(&mia(), "/badges").main().text.to_string();
            if held.is_empty() {
                assert!(!badges.contains("AWS Hero"), "{ctx}: {badges}");
            } else {
                let names: Vec<&str> = held.iter().map(|&j| CATEGORIES[j].2).collect();
                let want = format!("AWS Hero ({})", names.join(", "));
                assert!(badges.contains(&want), "{ctx}: want {want} in {badges}");
            }
        }
    }
}

#[test]
fn multi_word_categories_in_every_language() {
    let w = World::new();
    for (line, shown) in [
        (
            "/badge grant @mia hero machine learning",
            "Machine Learning",
        ),
        ("/badge grant @mia hero dev tools for the CLI", "DevTools"),
    ] {
        let r = w.ok(&ada(), line);
        assert!(r.main().text.contains(shown), "{line}: {}", r.main().text);
    }
    let r = w.ok(&mia(), "/badges");
    assert!(
        r.main()
            .text
            .contains("AWS Hero (Machine Learning, DevTools)"),
        "{}",
        r.main().text
    );
    // The note after a multi-word category stays the note.
    let r = w.ok(&ada(), "/audit @mia");
    assert!(r.main().text.contains("for the CLI"), "{}", r.main().text);
    w.ok(&ada(), "/badge revoke @mia hero aprendizado de máquina");
    w.ok(&ada(), "/徽章管理 收回 @mia hero 开发工具");
    let r = w.ok(&mia(), "/badges");
    assert!(!r.main().text.contains("AWS Hero"), "{}", r.main().text);
    w.ok(&ada(), "/badge grant @mia hero 机器学习");
    let r = w.ok(&mia(), "/badges");
    assert!(
        r.main().text.contains("AWS Hero (Machine Learning)"),
        "{}",
        r.main().text
    );
}

#[test]
fn revoking_without_a_category_asks_which_when_several_are_held() {
    let w = World::new();
    w.ok(&ada(), "/badge grant @mia hero serverless");
    w.ok(&ada(), "/badge grant @mia hero data");
    let before = w.fingerprint();
    let r = w.fails(&ada(), "/badge revoke @mia hero", "bad_category");
    assert!(
        r.main().text.contains("badge revoke @member hero"),
        "says what to type: {}",
        r.main().text
    );
    assert_eq!(w.fingerprint(), before);
    let r = w.ok(&ada(), "/badge revoke @mia hero data");
    assert!(
        r.main()
            .plain()
            .contains("Hero categories still held: Serverless"),
        "{}",
        r.main().plain()
    );
    // With one left, `badge revoke @mia hero` takes it.
    let r = w.ok(&ada(), "/badge revoke @mia hero");
    assert_eq!(
        r.effects,
        [Effect::BadgeRevoked {
            platform: Platform::Terminal,
            user: "mia".into(),
            badge: "hero",
        }]
    );
}
