//! The program calendar: milestones from the configuration and from a knowledge folder's
//! `calendar.toml`, posted once each in every served platform's announcement channel and
//! language when due (also across a restart), listed by `calendar programs`, and reminded
//! of by direct message when a member asks.

use commands::journey::Places;
use commands::milestones::{check, Localized, RawMilestone};
use commands::{Config, Destination, Platform, Reply};
use knowledge::Lang;

use crate::support::*;

/// "Community Builder applications open", every 25 November at 10:00 in São Paulo.
fn cb() -> RawMilestone {
    RawMilestone {
        id: "cb-applications".into(),
        title: Localized::Each {
            en: "Community Builder applications open".into(),
            zh: Some("社区建设者申请开放".into()),
            pt: Some("Inscrições do Community Builders abertas".into()),
        },
        description: None,
        link: Some("https://aws.amazon.com/developer/community/community-builders/".into()),
        date: "11-25".into(),
        time: Some("10:00".into()),
        post_within: None,
    }
}

fn calendar_config() -> Config {
    let mut cfg = config();
    cfg.journey.milestones = vec![check(cb(), "config.toml").expect("a valid milestone")];
    cfg.journey.announce_on = vec![Platform::Discord, Platform::Slack];
    for (platform, channel, lang) in [
        (Platform::Discord, "200000000000000009", Lang::Pt),
        (Platform::Slack, "C0ANNOUNCE", Lang::Zh),
    ] {
        cfg.journey.places.insert(
            platform,
            Places {
                announcements: Some(channel.into()),
                language: Some(lang),
                ..Places::default()
            },
        );
    }
    cfg
}

/// The milestone posts among `replies`: (platform, channel, language, title).
fn posts(replies: &[Reply]) -> Vec<(Platform, String, Lang, String)> {
    replies
        .iter()
        .filter_map(|r| match &r.destination {
            Destination::Channel { platform, channel } => Some((
                *platform,
                channel.clone(),
                r.lang,
                r.title
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            )),
            _ => None,
        })
        .collect()
}

fn dms(replies: &[Reply]) -> Vec<String> {
    replies
        .iter()
        .filter_map(|r| match &r.destination {
            Destination::Direct { user, .. } => Some(user.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn milestones_are_posted_once_each_also_across_a_restart() {
    let w = World::on_disk_with(calendar_config());
    assert!(posts(&w.cmds.tick().replies).is_empty(), "not due yet");
    // A member asks to be reminded.
    let r = w.ok(&mia(), "/calendar programs");
    assert!(
        r.main()
            .text
            .contains("Community Builder applications open"),
        "{}",
        r.main().text
    );
    assert!(button_ids(r.main()).contains(&"ms:remind:cb-applications"));
    let r = w.press(&mia(), "ms:remind:cb-applications");
    assert!(r.main().ok, "{}", r.main().text);
    assert!(
        r.main().text.contains("I will remind you"),
        "{}",
        r.main().text
    );
    let r = w.press(&mia(), "ms:remind:cb-applications");
    assert!(
        r.main().text.contains("Nothing changed"),
        "{}",
        r.main().text
    );
    assert_eq!(r.main().changed, Some(false));

    // Due: one post per platform, each in that platform's language, and the reminder.
    w.set_time("2026-11-25T13:00:30Z");
    let due = w.cmds.tick();
    let mut got = posts(&due.replies);
    got.sort();
    assert_eq!(
        got,
        [
            (
                Platform::Discord,
                "200000000000000009".to_string(),
                Lang::Pt,
                "📅 Inscrições do Community Builders abertas".to_string()
            ),
            (
                Platform::Slack,
                "C0ANNOUNCE".to_string(),
                Lang::Zh,
                "📅 社区建设者申请开放".to_string()
            ),
        ]
    );
    assert_eq!(dms(&due.replies), ["mia"]);
    assert!(posts(&w.cmds.tick().replies).is_empty(), "posted twice");

    // A restart right after posting does not post again.
    let w = w.reopen();
    let again = w.cmds.tick();
    assert!(
        posts(&again.replies).is_empty(),
        "posted again after a restart"
    );
    assert!(
        dms(&again.replies).is_empty(),
        "reminded again after a restart"
    );

    // Every year; a year the bot was down past the posting window is skipped.
    w.set_time("2027-11-29T13:00:00Z");
    assert!(posts(&w.cmds.tick().replies).is_empty(), "too late to post");
    w.set_time("2028-11-25T13:01:00Z");
    assert_eq!(posts(&w.cmds.tick().replies).len(), 2);
    assert!(posts(&w.cmds.tick().replies).is_empty());
}

#[test]
fn a_due_milestone_survives_a_restart_before_it_is_posted() {
    let w = World::on_disk_with(calendar_config());
    w.set_time("2026-11-25T13:10:00Z");
    // Down when it fell due; up again, it posts once.
    let w = w.reopen();
    assert_eq!(posts(&w.cmds.tick().replies).len(), 2);
    let w = w.reopen();
    assert!(posts(&w.cmds.tick().replies).is_empty());
}

#[test]
fn a_knowledge_folder_can_hold_the_calendar() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("calendar.toml"),
        "[[program_calendar]]\nid = \"hero-nominations\"\ntitle = { en = \"Hero nominations close\", pt = \"Indicações de Heroes fecham\" }\ndate = \"12-01\"\nlink = \"https://aws.amazon.com/developer/community/heroes/\"\n",
    )
    .expect("write calendar.toml");
    let mut cfg = calendar_config();
    cfg.knowledge_dirs.push(dir.path().to_path_buf());
    let w = World::with_config(cfg);
    let r = w.ok(&mia(), "/agenda programas");
    let text = r.main().text.to_string();
    let (cb, hero) = (
        text.find("Inscrições do Community Builders").expect(&text),
        text.find("Indicações de Heroes fecham").expect(&text),
    );
    assert!(cb < hero, "soonest first: {text}");
    // An unknown id says what to type instead, and changes nothing.
    let before = w.fingerprint();
    let r = w.fails(
        &mia(),
        "/calendar programs remind: hero-nominatons",
        "unknown_milestone",
    );
    assert!(
        r.main().text.contains("cb-applications, hero-nominations"),
        "{}",
        r.main().text
    );
    assert_eq!(w.fingerprint(), before);
}
