//! One member across platforms: `link` gives a one-time code bound to the account that
//! asked, good for ten minutes; `link CODE` on the other platform links the two, and badges,
//! shifts and the audit log then count both accounts.

use std::time::Duration;

use commands::{Actor, Destination, Effect, Platform};

use crate::support::*;

fn discord(id: &str) -> Actor {
    Actor::new(Platform::Discord, id, id)
}

fn slack(id: &str) -> Actor {
    Actor::new(Platform::Slack, id, id)
}

fn admin() -> Actor {
    discord("D-ADA")
}

/// The code in the reply to `link`, as members read it (`ABC-234`).
fn code_of(w: &World, who: &Actor) -> String {
    let r = w.ok(who, "/link");
    let text = r.main().text.to_string();
    let at = text.find("`link ").expect("the reply says what to send") + "`link ".len();
    let code: String = text[at..].chars().take(7).collect();
    assert_eq!(code.chars().nth(3), Some('-'), "{text}");
    code
}

/// Codes and links (not the count of wrong codes each account sent, which a refusal keeps).
fn links(w: &World) -> Vec<(Vec<u8>, Vec<u8>)> {
    let tree = w.db.open_tree("cmd.links").expect("tree");
    tree.iter()
        .filter_map(Result::ok)
        .filter(|(k, _)| !k.starts_with(b"tries"))
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

#[test]
fn a_code_links_two_accounts_once_and_badges_follow() {
    let w = World::new();
    let code = code_of(&w, &slack("U-MIA"));
    let r = w.ok(&discord("D-MIA"), &format!("/link {code}"));
    assert!(
        r.main().text.contains("one member now"),
        "{}",
        r.main().text
    );
    // The account that asked hears of it there, in case it was not them.
    let notice = &r.replies[1];
    assert_eq!(
        notice.destination,
        Destination::Direct {
            platform: Platform::Slack,
            user: "U-MIA".into()
        }
    );
    assert!(notice.text.contains("unlink"), "{}", notice.text);

    // Granted on Discord, the badge shows on Slack, and the role follows on both.
    let r = w.ok(&admin(), "/badge grant @D-MIA speaker");
    assert!(r.effects.contains(&Effect::BadgeGranted {
        platform: Platform::Slack,
        user: "U-MIA".into(),
        badge: "speaker",
    }));
    assert!(r.effects.contains(&Effect::BadgeGranted {
        platform: Platform::Discord,
        user: "D-MIA".into(),
        badge: "speaker",
    }));
    let r = w.ok(&slack("U-MIA"), "/badges");
    assert!(r.main().text.contains("Speaker"), "{}", r.main().text);
    // The audit log of the member reads across their accounts.
    let r = w.ok(&admin(), "/audit @D-MIA");
    assert_eq!(r.main().text.lines().count(), 1, "{}", r.main().text);

    // Sent again (by the same account or anyone else), the code refuses and changes nothing.
    let before = (w.fingerprint(), links(&w));
    for who in [discord("D-MIA"), discord("D-EVE")] {
        let r = w.fails(&who, &format!("/link {code}"), "code_used");
        assert!(
            r.main().text.contains("Send `link` on your other account"),
            "{}",
            r.main().text
        );
    }
    assert_eq!((w.fingerprint(), links(&w)), before);
    let r = w.ok(&discord("D-EVE"), "/badges");
    assert!(r.main().text.contains("No badges yet"), "{}", r.main().text);

    // `unlink` leaves each account what was its own.
    let r = w.ok(&slack("U-MIA"), "/unlink");
    assert!(r.effects.contains(&Effect::BadgeRevoked {
        platform: Platform::Slack,
        user: "U-MIA".into(),
        badge: "speaker",
    }));
    let r = w.ok(&slack("U-MIA"), "/badges");
    assert!(r.main().text.contains("No badges yet"), "{}", r.main().text);
    let r = w.ok(&discord("D-MIA"), "/badges");
    assert!(r.main().text.contains("Speaker"), "{}", r.main().text);
    w.fails(&slack("U-MIA"), "/unlink", "not_linked");
}

#[test]
fn an_expired_code_refuses_and_changes_nothing() {
    let w = World::new();
    let code = code_of(&w, &slack("U-BOB"));
    w.clock.advance(Duration::from_secs(10 * 60));
    let before = (w.fingerprint(), links(&w));
    let r = w.fails(&discord("D-BOB"), &format!("/link {code}"), "code_expired");
    assert!(
        r.main().text.contains("codes last 10 minutes")
            && r.main().text.contains("Nothing was changed"),
        "{}",
        r.main().text
    );
    assert_eq!((w.fingerprint(), links(&w)), before);
    // A fresh code, used in time, works.
    let code = code_of(&w, &slack("U-BOB"));
    w.clock.advance(Duration::from_secs(9 * 60));
    w.ok(&discord("D-BOB"), &format!("/link {}", code.to_lowercase()));
}

#[test]
fn a_code_sent_from_a_third_account_does_not_link_it() {
    let w = World::new();
    let code = code_of(&w, &slack("U-ANA"));
    let before = (w.fingerprint(), links(&w));
    // Another account on the platform of the one that asked: the code is bound to Ana.
    let r = w.fails(&slack("U-EVE"), &format!("/link {code}"), "code_not_yours");
    assert!(
        r.main().text.contains("links only to it"),
        "{}",
        r.main().text
    );
    // Ana's own account cannot use it either: it goes to the other platform.
    w.fails(&slack("U-ANA"), &format!("/link {code}"), "code_not_yours");
    assert_eq!((w.fingerprint(), links(&w)), before);
    // In Portuguese, with what to type instead.
    let eve_pt = Actor {
        locale: Some(knowledge::Lang::Pt),
        ..slack("U-EVE")
    };
    let r = w.fails(&eve_pt, &format!("/link {code}"), "code_not_yours");
    assert!(
        r.main().text.contains("Nada foi alterado"),
        "{}",
        r.main().text
    );

    // Ana links her Discord account; a third account then finds the code used, and an
    // account already linked cannot join another member.
    w.ok(&discord("D-ANA"), &format!("/link {code}"));
    w.fails(&discord("D-EVE"), &format!("/link {code}"), "code_used");
    let eve_code = code_of(&w, &slack("U-EVE"));
    let r = w.fails(
        &discord("D-ANA"),
        &format!("/link {eve_code}"),
        "already_linked",
    );
    assert!(r.main().text.contains("`unlink`"), "{}", r.main().text);
    let r = w.ok(&admin(), "/badge grant @D-ANA volunteer");
    assert!(
        r.effects.iter().all(|e| !matches!(
            e,
            Effect::BadgeGranted { user, .. } if user == "U-EVE"
        )),
        "{:?}",
        r.effects
    );
}

#[test]
fn guessing_codes_is_refused_after_a_few_tries() {
    let w = World::new();
    let eve = discord("D-EVE");
    w.fails(&eve, "/link hello", "bad_code");
    for _ in 0..5 {
        w.fails(&eve, "/link ABC-234", "bad_code");
    }
    let r = w.fails(&eve, "/link ABC-235", "too_fast");
    assert!(r.main().text.contains("Wait until"), "{}", r.main().text);
}

#[test]
fn codes_are_forgotten_a_day_after_they_expire() {
    let w = World::new();
    let old = code_of(&w, &slack("U-OLD"));
    let codes = |w: &World| {
        links(w)
            .iter()
            .filter(|(k, _)| k.starts_with(b"code"))
            .count()
    };
    assert_eq!(codes(&w), 1);
    w.clock.advance(Duration::from_secs(86_400 + 11 * 60));
    code_of(&w, &slack("U-NEW"));
    assert_eq!(codes(&w), 1, "the old code is gone, the new one kept");
    // Gone, it reads as unknown.
    w.fails(&discord("D-OLD"), &format!("/link {old}"), "bad_code");
}

#[test]
fn a_linked_member_signs_up_once_whichever_account_they_use() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1 onsite:2");
    let code = code_of(&w, &mia());
    w.ok(&discord("D-MIA"), &format!("/link {code}"));
    w.ok(&mia(), "/volunteer signup v1 onsite");
    let r = w.ok(&discord("D-MIA"), "/volunteer signup v1 onsite");
    assert!(r.main().text.contains("already"), "{}", r.main().text);
    w.fails(
        &discord("D-MIA"),
        "/volunteer signup v1 host",
        "already_signed_up",
    );
    w.ok(&discord("D-MIA"), "/volunteer withdraw v1");
    w.fails(&mia(), "/volunteer withdraw v1", "not_signed_up");
}
