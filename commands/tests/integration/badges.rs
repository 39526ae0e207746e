//! Badges: grants, revocations, the catalog, the audit log and each member's next step.

use crate::support::*;
use commands::{Destination, Effect, Input, Platform};

fn granted(user: &str, badge: &'static str) -> Effect {
    Effect::BadgeGranted {
        platform: Platform::Terminal,
        user: user.into(),
        badge,
    }
}

fn revoked(user: &str, badge: &'static str) -> Effect {
    Effect::BadgeRevoked {
        platform: Platform::Terminal,
        user: user.into(),
        badge,
    }
}

#[test]
fn the_fingerprint_sees_every_change() {
    let w = World::new();
    let before = w.fingerprint();
    w.ok(&ada(), "/badge grant @mia speaker");
    let after = w.fingerprint();
    assert_ne!(after["cmd.badges"], before["cmd.badges"]);
    assert_ne!(after["cmd.audit"], before["cmd.audit"]);
    assert_ne!(after["cmd.meta"], before["cmd.meta"]);
}

#[test]
fn grant_mentions_the_member_and_asks_for_the_role() {
    let w = World::new();
    let r = w.ok(&ada(), "/badge grant @mia speaker");
    let reply = r.main();
    assert!(reply.text.contains("@mia"), "{}", reply.text);
    assert!(reply.text.contains("Speaker"), "{}", reply.text);
    assert_eq!(reply.mention_users, ["mia"]);
    assert!(reply.mention_roles.is_empty());
    assert_eq!(r.effects, [granted("mia", "speaker")]);
    assert_eq!(count(&w.db, "cmd.badges"), 1);
    assert_eq!(count(&w.db, "cmd.audit"), 1);

    // Names, aliases and other languages find the same badge.
    let r = w.ok(&ada(), "/badge grant @bob Community Builder since 2024");
    assert_eq!(r.effects, [granted("bob", "community-builder")]);
    assert!(
        plain(r.main()).contains("since 2024"),
        "the note is shown: {}",
        plain(r.main())
    );
    let r = w.ok(&ada(), "/selo dar @carla palestrante");
    assert_eq!(r.effects, [granted("carla", "speaker")]);
    assert_eq!(r.main().lang, knowledge::Lang::Pt);
}

#[test]
fn granting_twice_changes_nothing_and_says_so() {
    let w = World::new();
    w.ok(&ada(), "/badge grant @mia speaker");
    let before = w.fingerprint();
    let r = w.ok(&ada(), "/badge grant @mia speaker");
    assert!(r.main().text.contains("already holds"), "{}", r.main().text);
    assert!(
        r.main().text.contains("Nothing changed"),
        "{}",
        r.main().text
    );
    assert!(r.effects.is_empty(), "no role change to mirror");
    assert!(r.main().mention_users.is_empty(), "nobody is pinged again");
    assert_eq!(w.fingerprint(), before, "no second audit line");
    assert_eq!(count(&w.db, "cmd.audit"), 1);
}

#[test]
fn revoke_and_revoking_an_unheld_badge() {
    let w = World::new();
    w.ok(&ada(), "/badge grant @mia speaker");
    let r = w.ok(&ada(), "/badge revoke @mia speaker");
    assert!(
        r.main().text.contains("no longer holds"),
        "{}",
        r.main().text
    );
    assert_eq!(r.effects, [revoked("mia", "speaker")]);
    assert_eq!(count(&w.db, "cmd.badges"), 0);
    assert_eq!(count(&w.db, "cmd.audit"), 2);

    let before = w.fingerprint();
    let r = w.ok(&ada(), "/badge revoke @mia speaker");
    assert!(r.main().text.contains("does not hold"), "{}", r.main().text);
    assert!(r.effects.is_empty());
    let r = w.ok(&ada(), "/badge revoke @nobody hero");
    assert!(r.main().text.contains("does not hold"), "{}", r.main().text);
    assert_eq!(
        w.fingerprint(),
        before,
        "revoking an unheld badge changed the store"
    );
}

#[test]
fn unknown_badges_get_a_suggestion() {
    let w = World::new();
    let before = w.fingerprint();
    let r = w.fails(&ada(), "/badge grant @mia heroo", "unknown_badge");
    assert!(
        r.main().text.contains("Did you mean AWS Hero"),
        "{}",
        r.main().text
    );
    let r = w.fails(&ada(), "/badge grant @mia astronaut", "unknown_badge");
    assert!(r.main().text.contains("badge list"), "{}", r.main().text);
    let r = w.fails(&ada(), "/badge revoke @mia speakr", "unknown_badge");
    assert!(r.main().text.contains("Speaker"), "{}", r.main().text);
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn hero_needs_a_known_category() {
    let w = World::new();
    let before = w.fingerprint();
    let r = w.fails(&ada(), "/badge grant @mia hero", "missing_field");
    assert!(
        r.main().text.contains("serverless"),
        "the categories are listed: {}",
        r.main().text
    );
    let r = w.fails(&ada(), "/badge grant @mia hero wizardry", "bad_category");
    assert!(
        r.main().text.contains("machine-learning"),
        "{}",
        r.main().text
    );
    let r = w.fails(&ada(), "/badge grant @mia hero severless", "bad_category");
    assert!(
        r.main().text.contains("serverless"),
        "a suggestion: {}",
        r.main().text
    );
    assert_eq!(w.fingerprint(), before);

    let r = w.ok(
        &ada(),
        "/badge grant @mia hero ML for the SageMaker workshops",
    );
    assert_eq!(r.effects, [granted("mia", "hero")]);
    assert!(
        r.main().text.contains("AWS Hero (Machine Learning)"),
        "{}",
        r.main().text
    );
    // Another category is added (audited; the Hero role is held already); the same one
    // again is not a change.
    let r = w.ok(&ada(), "/badge grant @mia hero serverless");
    assert!(r.effects.is_empty(), "{:?}", r.effects);
    let r = w.ok(&ada(), "/badge grant @mia hero serverless");
    assert!(r.effects.is_empty());
    assert!(
        r.main().text.contains("Nothing changed"),
        "{}",
        r.main().text
    );
    assert_eq!(count(&w.db, "cmd.audit"), 2);
    let r = w.ok(&mia(), "/badges");
    assert!(
        r.main()
            .text
            .contains("AWS Hero (Machine Learning, Serverless)"),
        "{}",
        r.main().text
    );
}

#[test]
fn badges_lists_a_members_badges() {
    let w = World::new();
    let r = w.ok(&mia(), "/badges");
    assert!(r.main().text.contains("No badges yet"), "{}", r.main().text);
    w.ok(&ada(), "/badge grant @mia speaker");
    w.ok(&ada(), "/badge grant @mia volunteer");
    w.ok(&ada(), "/badge grant @mia cloud captain");
    for (who, line) in [(mia(), "/badges"), (olga(), "/badges @mia")] {
        let r = w.ok(&who, line);
        let reply = r.main();
        assert!(
            reply.title.as_deref().unwrap_or("").contains("@mia"),
            "{:?}",
            reply.title
        );
        let lines: Vec<&str> = reply.text.lines().collect();
        assert_eq!(lines.len(), 3, "{}", reply.text);
        // In catalog order, whatever the order of the grants.
        assert!(lines[0].contains("Volunteer"), "{}", reply.text);
        assert!(lines[1].contains("Speaker"), "{}", reply.text);
        assert!(lines[2].contains("Cloud Captain"), "{}", reply.text);
        assert!(reply.text.contains("since 23 Nov 2026"), "{}", reply.text);
    }
    let r = w.ok(&mia(), "/badges @olga");
    assert!(r.main().text.contains("No badges yet"), "{}", r.main().text);
}

#[test]
fn badge_list_shows_the_growth_path_in_order() {
    let w = World::new();
    let r = w.ok(&mia(), "/badge list");
    assert_eq!(
        r.main().text,
        "Member → Volunteer → Speaker → Track Owner → User Group Leader → Community Builder → AWS Hero"
    );
    let all = plain(r.main());
    for id in [
        "cloud-captain",
        "ambassador",
        "serverless",
        "machine-learning",
    ] {
        assert!(all.contains(id), "{id} missing from {all}");
    }
    let zh = w.cmds.handle(
        &mia().with_locale(Some(knowledge::Lang::Zh)),
        Input::Text("/badge list".into()),
    );
    assert!(
        zh.main().text.starts_with("成员 → 志愿者 → 讲师"),
        "{}",
        zh.main().text
    );
}

#[test]
fn the_audit_log_is_newest_first_with_limit_and_filter() {
    let w = World::new();
    w.ok(&ada(), "/badge grant @mia speaker great talk");
    w.clock.advance(std::time::Duration::from_secs(3600));
    w.ok(&ada(), "/badge grant @bob volunteer");
    w.clock.advance(std::time::Duration::from_secs(3600));
    w.ok(&ada(), "/badge revoke @mia speaker");
    w.clock.advance(std::time::Duration::from_secs(3600));
    w.ok(&ada(), "/badge grant @mia track owner");
    // Nothing happened: not logged.
    w.ok(&ada(), "/badge revoke @bob hero");
    w.ok(&ada(), "/badge grant @bob volunteer");

    let r = w.ok(&ada(), "/audit");
    assert_eq!(r.main().destination, Destination::Private);
    let lines: Vec<&str> = r.main().text.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.main().text);
    assert!(
        lines[0].contains("granted Track Owner → @mia"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("revoked Speaker → @mia"), "{}", lines[1]);
    assert!(
        lines[2].contains("granted Volunteer → @bob"),
        "{}",
        lines[2]
    );
    assert!(lines[3].contains("granted Speaker → @mia"), "{}", lines[3]);
    assert!(
        lines[3].contains("\"great talk\""),
        "the note: {}",
        lines[3]
    );
    assert!(
        lines[0].contains("12:00"),
        "the time in São Paulo: {}",
        lines[0]
    );
    assert!(lines[3].contains("09:00"), "{}", lines[3]);
    assert!(lines.iter().all(|l| l.contains("@ada")), "who did it");

    let r = w.ok(&ada(), "/audit --limit 2");
    let limited: Vec<&str> = r.main().text.lines().collect();
    assert_eq!(limited, lines[..2]);

    let r = w.ok(&ada(), "/audit @mia");
    let mine: Vec<&str> = r.main().text.lines().collect();
    assert_eq!(mine, [lines[0], lines[1], lines[3]]);
    let r = w.ok(&ada(), "/audit @mia -n 1");
    assert_eq!(r.main().text.lines().collect::<Vec<_>>(), [lines[0]]);
    // A member with no lines is told so, with what to type instead.
    let r = w.ok(&ada(), "/audit @nobody");
    assert!(
        r.main()
            .text
            .contains("No badge was ever granted to or taken from @nobody")
            && r.main().text.contains("`badges @nobody`"),
        "{}",
        r.main().text
    );
    w.fails(&ada(), "/audit --limit 0", "bad_number");
    w.fails(&ada(), "/audit --limit lots", "bad_number");

    // Only admins read it, and the audit log is per platform.
    w.fails(&olga(), "/audit", "denied");
    w.fails(&mia(), "/audit @mia", "denied");
    let discord_admin = commands::Actor::new(Platform::Discord, "D-ADA", "Ada");
    let r = w.cmds.handle(&discord_admin, Input::Text("/audit".into()));
    assert!(r.main().text.contains("empty"), "{}", r.main().text);
}

#[test]
fn next_step_for_a_member_without_badges_is_volunteer() {
    let w = World::new();
    let r = w.ok(&mia(), "/next");
    let reply = r.main();
    assert!(
        reply.text.contains("Your next step: **Volunteer**"),
        "{}",
        reply.text
    );
    // Knowledge-base text after the first paragraph, with its citation.
    let (_, kb_text) = reply.text.split_once("\n\n").expect("knowledge-base text");
    assert!(kb_text.to_lowercase().contains("volunteer"), "{kb_text}");
    assert!(!reply.citations.is_empty(), "a citation");
    assert!(
        reply.citations[0].doc.starts_with("en/"),
        "{:?}",
        reply.citations
    );
    assert!(
        reply.citations[0].doc.contains("volunteer"),
        "{:?}",
        reply.citations
    );
    let path = &reply.fields[0].value;
    assert!(path.starts_with("**Member** → Volunteer"), "{path}");
}

#[test]
fn plain_text_asking_for_the_next_step_routes_to_next() {
    let w = World::new();
    let r = w.ok(&mia(), "What is my next step?");
    assert_eq!(r.main().title.as_deref(), Some("Your next step"));
    assert!(r.main().text.contains("**Volunteer**"), "{}", r.main().text);
    let r = w.ok(&mia(), "Qual é o meu próximo passo?");
    assert_eq!(r.main().lang, knowledge::Lang::Pt);
    assert!(
        r.main().text.contains("**Voluntário**"),
        "{}",
        r.main().text
    );
    // However members ask it, in their language, with chat noise around it.
    for (q, lang) in [
        ("what should I do next?", knowledge::Lang::En),
        ("hey bot, what do I do now? thanks", knowledge::Lang::En),
        ("o que eu faço agora?", knowledge::Lang::Pt),
        ("próximo passo?", knowledge::Lang::Pt),
        ("我下一步该做什么", knowledge::Lang::Zh),
        ("请问我接下来该做什么？", knowledge::Lang::Zh),
    ] {
        let r = w.ok(&mia(), q);
        assert_eq!(r.main().lang, lang, "{q}");
        assert!(
            r.main().title.is_some()
                && r.main()
                    .citations
                    .iter()
                    .any(|c| c.doc.contains("volunteers")),
            "{q}: {}",
            r.main().plain()
        );
    }
    // A question about the next step of something else is a question.
    let r = w.ok(&mia(), "What is the next step after the CB application?");
    assert_ne!(r.main().title.as_deref(), Some("Your next step"));
}

#[test]
fn next_step_follows_the_highest_badge() {
    let w = World::new();
    w.ok(&ada(), "/badge grant @mia volunteer");
    w.ok(&ada(), "/badge grant @mia speaker");
    let r = w.ok(&mia(), "/next");
    assert!(
        r.main().text.contains("You are at Speaker"),
        "{}",
        r.main().text
    );
    assert!(
        r.main().text.contains("**Track Owner**"),
        "{}",
        r.main().text
    );
    assert!(!r.main().citations.is_empty());
    // Badges beside the path do not move anyone along it.
    w.ok(&ada(), "/badge grant @mia ambassador");
    let r = w.ok(&mia(), "/next");
    assert!(
        r.main().text.contains("**Track Owner**"),
        "{}",
        r.main().text
    );
    // Someone else's next step.
    let r = w.ok(&olga(), "/next @mia");
    assert!(
        r.main().text.contains("**Track Owner**"),
        "{}",
        r.main().text
    );
}

#[test]
fn a_hero_is_congratulated() {
    let w = World::new();
    w.ok(&ada(), "/badge grant @mia hero community");
    let r = w.ok(&mia(), "/next");
    assert!(
        r.main().text.contains("end of the growth path"),
        "{}",
        r.main().text
    );
    assert!(r.main().text.contains("Thank you"), "{}", r.main().text);
    assert!(
        r.main().fields[0].value.ends_with("**AWS Hero**"),
        "{:?}",
        r.main().fields
    );
}
