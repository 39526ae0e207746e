//! Messages that say what happened and what to type instead, in three languages, and
//! whether anything changed.

use commands::{Actor, Platform};
use knowledge::Lang;

use crate::support::*;

fn in_lang(who: Actor, lang: Lang) -> Actor {
    Actor {
        locale: Some(lang),
        ..who
    }
}

#[test]
fn a_past_deadline_is_called_a_deadline_in_every_language() {
    let w = World::new();
    w.announce_standard(&olga());
    let before = w.fingerprint();
    for (lang, says) in [
        (Lang::En, "sign-up deadline"),
        (Lang::Zh, "报名截止时间"),
        (Lang::Pt, "prazo de inscrição"),
    ] {
        let r = w.fails(
            &in_lang(olga(), lang),
            "/volunteer call e1 host:1 deadline: 2026-11-01 10:00",
            "past_date",
        );
        let text = r.main().text.to_string();
        assert!(text.contains(says), "{lang:?}: {text}");
        assert!(
            !text.contains("Events must start in the future"),
            "not called a start: {text}"
        );
    }
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn an_overlong_badge_grant_is_refused_as_a_command() {
    let w = World::new();
    let before = w.fingerprint();
    let line = format!("/badge grant @mia speaker {}", "great talk ".repeat(400));
    let r = w.fails(&ada(), &line, "too_long");
    assert!(
        r.main()
            .text
            .contains("A note holds at most 500 characters"),
        "{}",
        r.main().text
    );
    assert!(!r.main().text.contains("one question"), "{}", r.main().text);
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn help_for_one_command_lists_its_lines() {
    let w = World::new();
    let r = w.ok(&mia(), "/help volunteer");
    let text = r.main().text.to_string();
    assert!(text.contains("volunteer signup"), "{text}");
    assert!(
        text.contains("(organizers)"),
        "marks what mia may not use: {text}"
    );
    let r = w.ok(&in_lang(mia(), Lang::Pt), "/ajuda voluntario");
    assert_eq!(r.main().lang, Lang::Pt);
    let r = w.fails(&mia(), "/help volunter", "unknown_command");
    assert!(
        r.main().text.contains("`help volunteer`"),
        "{}",
        r.main().text
    );
}

#[test]
fn leaving_a_waitlist_says_so() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1");
    w.ok(&mia(), "/volunteer signup v1 host");
    w.ok(&member("bob"), "/volunteer signup v1 host");
    let r = w.ok(&member("bob"), "/volunteer withdraw v1");
    assert!(
        r.main().text.contains("You left the waitlist")
            && r.main().text.contains("`volunteer signup v1 host`"),
        "{}",
        r.main().text
    );
    let r = w.ok(&mia(), "/volunteer withdraw v1");
    assert!(
        r.main().text.contains("no longer signed up"),
        "{}",
        r.main().text
    );
}

#[test]
fn every_reply_says_whether_anything_changed() {
    let w = World::new();
    let r = w.ok(&ada(), "/badge grant @mia speaker");
    assert_eq!(r.main().changed, Some(true));
    let r = w.ok(&ada(), "/badge grant @mia speaker");
    assert!(
        r.main().text.contains("Nothing changed"),
        "{}",
        r.main().text
    );
    assert_eq!(r.main().changed, Some(false));
    assert_eq!(w.ok(&mia(), "/badges").main().changed, Some(false));
    let r = w.fails(&mia(), "/badge grant @mia speaker", "denied");
    assert_eq!(r.main().changed, Some(false));
    let r = w.ok(&ada(), "/badge revoke @mia speaker");
    assert_eq!(r.main().changed, Some(true));
    let json = serde_json::to_value(r.main()).expect("a reply serialises");
    assert_eq!(json["changed"], true);
    let discord = Actor::new(Platform::Discord, "D-ADA", "Ada");
    let r = w.ok(&discord, "/audit @D-NOBODY");
    assert_eq!(r.main().changed, Some(false));
}
