//! Reminders: a direct message to each signed-up volunteer 24 hours and 1 hour before the
//! event, each sent once, even across a restart.

use crate::support::*;
use commands::{Destination, Platform, Response};

/// The users a tick messaged, sorted; every reply must be a direct message.
fn reminded(r: &Response) -> Vec<String> {
    assert!(r.effects.is_empty());
    let mut users: Vec<String> = r
        .replies
        .iter()
        .map(|x| match &x.destination {
            Destination::Direct {
                platform: Platform::Terminal,
                user,
            } => {
                assert!(x.text.contains("Reminder"), "{}", x.text);
                assert_eq!(x.mention_users, std::slice::from_ref(user));
                user.clone()
            }
            other => panic!("a reminder went to {other:?}"),
        })
        .collect();
    users.sort();
    users
}

/// e1 at 2026-12-05 19:00 (22:00Z) with call v1 host:2; mia and bob signed up, carl waiting.
fn setup(w: &World) {
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:2");
    w.ok(&mia(), "/volunteer signup v1 host");
    w.ok(&member("bob"), "/volunteer signup v1 host");
    let r = w.ok(&member("carl"), "/volunteer signup v1 host");
    assert!(r.main().text.contains("waitlist"), "{}", r.main().text);
}

#[test]
fn reminders_go_out_24h_and_1h_before_once_even_after_a_restart() {
    let w = World::on_disk();
    setup(&w);
    assert!(
        w.cmds.tick().replies.is_empty(),
        "nothing twelve days early"
    );
    w.set_time("2026-12-04T21:59:59Z");
    assert!(
        w.cmds.tick().replies.is_empty(),
        "nothing a second before 24 h"
    );

    w.set_time("2026-12-04T22:00:00Z");
    let r = w.cmds.tick();
    assert_eq!(
        reminded(&r),
        ["bob", "mia"],
        "the waitlisted member is not reminded"
    );
    let mia_dm = r
        .replies
        .iter()
        .find(|x| {
            x.destination
                == Destination::Direct {
                    platform: Platform::Terminal,
                    user: "mia".into(),
                }
        })
        .unwrap();
    assert!(mia_dm.text.contains("host"), "{}", mia_dm.text);
    assert!(mia_dm.text.contains("Serverless Night"), "{}", mia_dm.text);
    assert!(
        mia_dm.text.contains("Sat 5 Dec 2026, 19:00"),
        "{}",
        mia_dm.text
    );
    assert!(mia_dm.text.contains("Rua A, 10"), "{}", mia_dm.text);
    assert!(w.cmds.tick().replies.is_empty(), "never twice");
    w.set_time("2026-12-05T12:00:00Z");
    assert!(
        w.cmds.tick().replies.is_empty(),
        "never twice, later either"
    );

    // A restart remembers what was sent.
    let w = w.reopen();
    assert!(
        w.cmds.tick().replies.is_empty(),
        "not again after a restart"
    );

    w.set_time("2026-12-05T20:59:59Z");
    assert!(w.cmds.tick().replies.is_empty());
    w.set_time("2026-12-05T21:00:00Z");
    assert_eq!(reminded(&w.cmds.tick()), ["bob", "mia"]);
    assert!(w.cmds.tick().replies.is_empty());
    let w = w.reopen();
    assert!(
        w.cmds.tick().replies.is_empty(),
        "not again after a second restart"
    );
    w.set_time("2026-12-05T21:59:59Z");
    assert!(w.cmds.tick().replies.is_empty());
    // Nor once the event has started (its posts are brought up to date instead).
    w.set_time("2026-12-05T22:30:00Z");
    assert!(reminded_any(&w.cmds.tick()).is_empty());
    assert_eq!(count(&w.db, "cmd.reminders"), 4);
}

#[test]
fn a_bot_that_was_down_sends_one_reminder_not_two() {
    let w = World::new();
    setup(&w);
    w.set_time("2026-12-05T21:30:00Z"); // 30 minutes before: both reminders are due
    assert_eq!(reminded(&w.cmds.tick()), ["bob", "mia"]);
    assert!(w.cmds.tick().replies.is_empty());
}

#[test]
fn no_reminders_for_a_cancelled_event() {
    let w = World::new();
    setup(&w);
    w.ok(&olga(), "/event cancel e1");
    for at in ["2026-12-04T22:00:00Z", "2026-12-05T21:00:00Z"] {
        w.set_time(at);
        assert!(
            w.cmds.tick().replies.is_empty(),
            "a reminder for a cancelled event at {at}"
        );
    }
    assert_eq!(count(&w.db, "cmd.reminders"), 0);
}

#[test]
fn withdrawn_members_are_not_reminded_and_promoted_ones_are() {
    let w = World::new();
    setup(&w);
    w.set_time("2026-12-04T22:00:00Z");
    assert_eq!(reminded(&w.cmds.tick()), ["bob", "mia"]);
    // mia leaves, carl takes her place.
    w.ok(&mia(), "/volunteer withdraw v1");
    // carl's first reminder is due at once.
    assert_eq!(reminded(&w.cmds.tick()), ["carl"]);
    assert!(w.cmds.tick().replies.is_empty());
    w.set_time("2026-12-05T21:00:00Z");
    assert_eq!(reminded(&w.cmds.tick()), ["bob", "carl"]);
}

#[test]
fn reminders_speak_the_language_members_signed_up_in() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:2");
    w.ok(&member("joao"), "/voluntario inscrever v1 host");
    w.set_time("2026-12-04T22:00:00Z");
    let r = w.cmds.tick();
    assert_eq!(reminded_any(&r), ["joao"]);
    assert_eq!(r.replies[0].lang, knowledge::Lang::Pt);
    assert!(
        r.replies[0].text.starts_with("⏰ Lembrete"),
        "{}",
        r.replies[0].text
    );
    assert!(
        r.replies[0].text.contains("sáb 05/12/2026 19:00"),
        "{}",
        r.replies[0].text
    );
}

fn reminded_any(r: &Response) -> Vec<String> {
    r.replies
        .iter()
        .filter_map(|x| match &x.destination {
            Destination::Direct { user, .. } => Some(user.clone()),
            _ => None,
        })
        .collect()
}
