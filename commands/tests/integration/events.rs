//! Events: announcing, listing, editing, cancelling and the calendar file.

use crate::support::*;
use commands::{Actor, Destination, Input, Platform};

#[test]
fn an_organizer_announces_to_the_announcement_channel() {
    let w = World::new();
    let r = w.ok(
        &olga(),
        "/announce title: Serverless Night start: 2026-12-05 19:00 end: 21:00 place: Rua A, 10 description: Talks and pizza role: @sp-members",
    );
    assert_eq!(r.replies.len(), 2, "{}", all_text(&r));
    let confirm = &r.replies[0];
    assert_eq!(confirm.destination, Destination::Private);
    assert!(confirm.text.contains("e1"), "{}", confirm.text);

    let post = &r.replies[1];
    assert_eq!(post.destination, Destination::Announcements);
    assert_eq!(post.post_key.as_deref(), Some("event:e1"));
    assert_eq!(post.mention_roles, ["sp-members"]);
    assert!(post.mention_users.is_empty());
    assert_eq!(post.title.as_deref(), Some("📅 Serverless Night"));
    assert!(post.text.contains("@sp-members"), "{}", post.text);
    assert!(post.text.contains("Talks and pizza"), "{}", post.text);
    let all = plain(post);
    assert!(all.contains("Sat 5 Dec 2026, 19:00 -03 – 21:00"), "{all}");
    assert!(all.contains("Rua A, 10"), "{all}");
    assert!(all.contains("@olga"), "the organizer: {all}");
    assert_eq!(button_ids(post), ["ics:e1"]);

    // Without a role nobody is pinged; ids count up.
    let r = w.ok(&olga(), "/announce Cloud Day start: 2026-12-12 10:00");
    assert_eq!(r.replies[1].post_key.as_deref(), Some("event:e2"));
    assert!(r.replies[1].mention_roles.is_empty());
    assert_eq!(r.replies[1].title.as_deref(), Some("📅 Cloud Day"));
}

#[test]
fn discord_role_mentions_are_read() {
    // The Discord front end hands `<@&998877>` over as `@&998877` (its events.rs turns
    // mentions into that form, and its render.rs makes the role span `<@&998877>` again).
    let w = World::new();
    let org = Actor::new(Platform::Discord, "77", "Org").with_roles(["R-ORG"]);
    let r = w.cmds.handle(
        &org,
        Input::Text("/announce title: Discord night start: 2026-12-07 19:00 role: @&998877".into()),
    );
    assert!(r.main().ok, "{}", r.main().plain());
    assert_eq!(r.replies[1].mention_roles, ["998877"]);
    assert!(
        r.replies[1].text.spans().contains(&commands::Span::Role {
            platform: Platform::Discord,
            id: "998877".into()
        }),
        "{:?}",
        r.replies[1].text.spans()
    );
}

#[test]
fn announcements_refuse_bad_fields_and_change_nothing() {
    let w = World::new();
    let before = w.fingerprint();
    for role in ["@everyone", "@here", "everyone", "<!channel>"] {
        let r = w.text(
            &olga(),
            &format!("/announce title: Ping all start: 2026-12-05 19:00 role: {role}"),
        );
        assert!(!r.main().ok, "role {role} was accepted");
        assert_eq!(
            r.main().error,
            Some("bad_role"),
            "{role}: {}",
            r.main().text
        );
        assert!(
            r.main().text.contains("`role: @speakers`"),
            "says what to type instead: {}",
            r.main().text
        );
        assert_eq!(r.replies.len(), 1);
    }
    let r = w.fails(
        &olga(),
        "/announce title: Old news start: 2026-01-10 19:00",
        "past_date",
    );
    assert!(r.main().text.contains("in the past"), "{}", r.main().text);
    // One minute ago is in the past too.
    w.fails(
        &olga(),
        "/announce title: Just now start: 2026-11-23 08:59",
        "past_date",
    );
    w.fails(
        &olga(),
        "/announce title: Backwards start: 2026-12-05 19:00 end: 18:00",
        "bad_range",
    );
    w.fails(
        &olga(),
        "/announce title: Zero start: 2026-12-05 19:00 end: 19:00",
        "bad_range",
    );
    w.fails(
        &olga(),
        "/announce title: Backwards start: 2026-12-05 19:00 end: 2026-12-04 21:00",
        "bad_range",
    );
    let r = w.fails(
        &olga(),
        "/announce start: 2026-12-05 19:00 place: Online",
        "missing_field",
    );
    assert!(r.main().text.contains("title"), "{}", r.main().text);
    let r = w.fails(&olga(), "/announce title: No date", "missing_field");
    assert!(r.main().text.contains("start"), "{}", r.main().text);
    for bad in [
        "tomorrow",
        "2026-13-05 19:00",
        "2026-02-30 10:00",
        "5/12 19:00",
        "2026-12-05 25:00",
    ] {
        let r = w.fails(
            &olga(),
            &format!("/announce title: T start: {bad}"),
            "bad_date",
        );
        assert!(
            r.main().text.contains("2026-12-05 19:00"),
            "the right form is shown: {}",
            r.main().text
        );
    }
    w.fails(&olga(), "/announce title: T start: 2026-12-05", "bad_date");
    w.fails(
        &olga(),
        "/announce colour: red title: T start: 2026-12-05 19:00",
        "unknown_field",
    );
    w.fails(
        &olga(),
        "/announce title: T start: 2026-12-05 19:00 start: 2026-12-06 19:00",
        "unknown_field",
    );
    let long_title = "x".repeat(200);
    w.fails(
        &olga(),
        &format!("/announce title: {long_title} start: 2026-12-05 19:00"),
        "too_long",
    );
    assert_eq!(
        w.fingerprint(),
        before,
        "a refused announcement changed the store"
    );

    // The same announcement, correct, is accepted.
    w.ok(
        &olga(),
        "/announce title: Ping some start: 2026-12-05 19:00 role: @sp-members",
    );
}

#[test]
fn dates_in_other_forms_are_read_in_the_community_time_zone() {
    let w = World::new();
    for (n, start) in [
        "05/12/2026 19h",
        "2026年12月5日 19:00",
        "2026-12-05 7pm",
        "2026-12-05T19:00-03:00",
    ]
    .iter()
    .enumerate()
    {
        w.ok(
            &olga(),
            &format!("/announce title: Form {n} start: {start}"),
        );
        let r = w.ok(&mia(), &format!("/event ics e{}", n + 1));
        let body = &r.main().attachment.as_ref().unwrap().body;
        assert!(
            body.contains(&format!("DTSTART:{}", "20261205T220000Z")),
            "{start}: {body}"
        );
    }
}

#[test]
fn events_lists_upcoming_events_in_start_order_without_cancelled_ones() {
    let w = World::new();
    let r = w.ok(&mia(), "/events");
    assert!(
        r.main().text.contains("No upcoming events"),
        "{}",
        r.main().text
    );
    w.ok(
        &olga(),
        "/announce title: Late event start: 2026-12-20 19:00",
    );
    w.ok(
        &olga(),
        "/announce title: Early event start: 2026-12-01 19:00 place: Online",
    );
    w.ok(
        &oscar(),
        "/announce title: Middle event start: 2026-12-10 19:00",
    );
    w.ok(
        &olga(),
        "/announce title: Doomed event start: 2026-12-02 19:00",
    );
    w.ok(&olga(), "/event cancel e4");
    w.ok(&oscar(), "/volunteer call e3 host:1");

    let r = w.ok(&mia(), "/events");
    let lines: Vec<&str> = r.main().text.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.main().text);
    assert!(
        lines[0].starts_with("`e2`") && lines[0].contains("Early event (Online)"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("`e3`") && lines[1].contains("volunteers: v1"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("`e1`") && lines[2].contains("Late event"),
        "{}",
        lines[2]
    );
    assert!(!r.main().text.contains("Doomed"), "{}", r.main().text);

    // Past events leave the list.
    w.set_time("2026-12-05T12:00:00Z");
    let r = w.ok(&mia(), "/events");
    let lines: Vec<&str> = r.main().text.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.main().text);
    assert!(lines[0].starts_with("`e3`"), "{}", lines[0]);
}

#[test]
fn editing_is_for_the_owner_or_an_admin_and_updates_the_post() {
    let w = World::new();
    w.announce_standard(&olga());
    let before = w.fingerprint();
    w.fails(&oscar(), "/event edit e1 title: Mine now", "denied");
    w.fails(&mia(), "/event edit e1 title: Mine now", "denied");
    assert_eq!(w.fingerprint(), before);

    let r = w.ok(
        &olga(),
        "/event edit e1 title: Serverless Night II place: Online",
    );
    assert_eq!(r.replies.len(), 2, "{}", all_text(&r));
    assert_eq!(r.replies[0].destination, Destination::Private);
    let update = &r.replies[1];
    assert_eq!(
        update.destination,
        Destination::Update {
            key: "event:e1".into()
        }
    );
    assert_eq!(update.post_key.as_deref(), Some("event:e1"));
    assert_eq!(update.title.as_deref(), Some("📅 Serverless Night II"));
    assert!(plain(update).contains("Online"), "{}", plain(update));
    // Fields not edited stay.
    assert!(update.text.contains("Talks and pizza"), "{}", update.text);

    let r = w.ok(&ada(), "/event edit e1 start: 2026-12-06 18:00 end: 20:00");
    assert_eq!(
        r.replies[1].destination,
        Destination::Update {
            key: "event:e1".into()
        }
    );
    assert!(
        plain(&r.replies[1]).contains("Sun 6 Dec 2026, 18:00 -03 – 20:00"),
        "{}",
        plain(&r.replies[1])
    );
    let r = w.ok(&mia(), "/event ics e1");
    let body = &r.main().attachment.as_ref().unwrap().body;
    assert!(body.contains("DTSTART:20261206T210000Z"), "{body}");
    assert!(body.contains("SUMMARY:Serverless Night II"), "{body}");

    // Bad edits change nothing.
    let before = w.fingerprint();
    w.fails(
        &olga(),
        "/event edit e1 start: 2026-01-01 10:00",
        "past_date",
    );
    w.fails(&olga(), "/event edit e1 end: 17:00", "bad_range");
    w.fails(&olga(), "/event edit e1 start: someday", "bad_date");
    w.fails(&olga(), "/event edit e1 title: \"\"", "missing_field");
    w.fails(&olga(), "/event edit e9 title: Nope", "not_found");
    w.fails(&olga(), "/event edit e1", "usage");
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn moving_an_event_tells_its_volunteers_and_updates_the_call() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1");
    w.ok(&mia(), "/volunteer signup v1 host");
    let r = w.ok(&olga(), "/event edit e1 start: 2026-12-06 19:00");
    let dms: Vec<_> = r
        .replies
        .iter()
        .filter(|x| matches!(x.destination, Destination::Direct { .. }))
        .collect();
    assert_eq!(dms.len(), 1, "{}", all_text(&r));
    assert_eq!(
        dms[0].destination,
        Destination::Direct {
            platform: Platform::Terminal,
            user: "mia".into()
        }
    );
    assert!(dms[0].text.contains("has changed"), "{}", dms[0].text);
    assert!(
        dms[0].text.contains("Sun 6 Dec 2026, 19:00"),
        "{}",
        dms[0].text
    );
    // The event kept its two hours.
    let post = r
        .replies
        .iter()
        .find(|x| {
            x.destination
                == Destination::Update {
                    key: "event:e1".into(),
                }
        })
        .expect("the announcement is updated");
    assert!(
        plain(post).contains("Sun 6 Dec 2026, 19:00 -03 – 21:00"),
        "{}",
        plain(post)
    );
    assert!(
        r.replies.iter().any(|x| x.destination
            == Destination::Update {
                key: "call:v1".into()
            }),
        "the call's post is updated too"
    );
    // A title change alone does not message anybody.
    let r = w.ok(&olga(), "/event edit e1 title: Renamed");
    assert!(r
        .replies
        .iter()
        .all(|x| !matches!(x.destination, Destination::Direct { .. })));
}

#[test]
fn cancelling_updates_the_post_and_tells_the_volunteers() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1");
    w.ok(&mia(), "/volunteer signup v1 host");
    w.ok(&member("bob"), "/volunteer signup v1 host"); // waitlisted

    let before = w.fingerprint();
    w.fails(&oscar(), "/event cancel e1", "denied");
    w.fails(&mia(), "/event cancel e1", "denied");
    assert_eq!(w.fingerprint(), before);

    let r = w.ok(&olga(), "/event cancel e1");
    let update = r
        .replies
        .iter()
        .find(|x| {
            x.destination
                == Destination::Update {
                    key: "event:e1".into(),
                }
        })
        .expect("the announcement is updated");
    assert!(update.text.contains("CANCELLED"), "{}", update.text);
    assert!(
        update.mention_roles.is_empty(),
        "a cancelled post pings nobody"
    );
    let call_post = r
        .replies
        .iter()
        .find(|x| {
            x.destination
                == Destination::Update {
                    key: "call:v1".into(),
                }
        })
        .expect("the call's post is updated");
    assert!(call_post.text.contains("CANCELLED"), "{}", call_post.text);
    assert!(
        call_post.buttons.is_empty(),
        "no sign-up buttons left: {:?}",
        call_post.buttons
    );
    let mut told: Vec<&str> = r
        .replies
        .iter()
        .filter_map(|x| match &x.destination {
            Destination::Direct {
                platform: Platform::Terminal,
                user,
            } => {
                assert!(x.text.contains("cancelled"), "{}", x.text);
                assert!(x.text.contains("Serverless Night"), "{}", x.text);
                assert_eq!(x.mention_users, std::slice::from_ref(user));
                Some(user.as_str())
            }
            _ => None,
        })
        .collect();
    told.sort_unstable();
    assert_eq!(told, ["bob", "mia"]);

    // Gone from the list; sign-ups and edits refused; cancelling again is harmless.
    let r = w.ok(&mia(), "/events");
    assert!(
        !r.main().text.contains("Serverless Night"),
        "{}",
        r.main().text
    );
    w.fails(&member("carl"), "/volunteer signup v1 host", "cancelled");
    w.fails(&olga(), "/event edit e1 title: Back", "cancelled");
    let before = w.fingerprint();
    let r = w.ok(&ada(), "/event cancel e1");
    assert!(
        r.main().text.contains("already cancelled"),
        "{}",
        r.main().text
    );
    assert_eq!(r.replies.len(), 1);
    assert_eq!(w.fingerprint(), before);
    let r = w.ok(&mia(), "/event ics e1");
    assert!(r
        .main()
        .attachment
        .as_ref()
        .unwrap()
        .body
        .contains("STATUS:CANCELLED"));
}

#[test]
fn an_admin_may_cancel_any_event() {
    let w = World::new();
    w.announce_standard(&olga());
    let r = w.ok(&ada(), "/event cancel e1");
    assert!(r.replies.iter().any(|x| x.destination
        == Destination::Update {
            key: "event:e1".into()
        }));
}

#[test]
fn started_events_cannot_be_changed() {
    let w = World::new();
    w.announce_standard(&olga());
    w.set_time("2026-12-05T22:00:00Z");
    let before = w.fingerprint();
    w.fails(&olga(), "/event edit e1 title: Late change", "bad_time");
    w.fails(&olga(), "/event cancel e1", "bad_time");
    w.fails(&olga(), "/volunteer call e1 host:1", "bad_time");
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn the_calendar_file() {
    let w = World::new();
    w.announce_standard(&olga());
    for r in [
        w.ok(&mia(), "/event ics e1"),
        w.press(&mia(), "ics:e1"),
        w.ok(&mia(), "/event ics E1"),
    ] {
        assert!(r.main().ok);
        let a = r.main().attachment.as_ref().expect("an attachment");
        assert_eq!(a.filename, "e1.ics");
        assert!(
            a.content_type.starts_with("text/calendar"),
            "{}",
            a.content_type
        );
        assert!(a.body.starts_with("BEGIN:VCALENDAR"), "{}", a.body);
        assert!(a.body.contains("BEGIN:VEVENT"), "{}", a.body);
        assert!(a.body.contains("SUMMARY:Serverless Night"), "{}", a.body);
        assert!(a.body.contains("DTSTART:20261205T220000Z"), "{}", a.body);
        assert!(a.body.contains("DTEND:20261206T000000Z"), "{}", a.body);
        assert!(a.body.contains("LOCATION:Rua A\\, 10"), "{}", a.body);
        assert!(a.body.trim_end().ends_with("END:VCALENDAR"), "{}", a.body);
    }
    w.fails(&mia(), "/event ics e42", "not_found");
}

#[test]
fn structured_announcements_are_checked_like_typed_ones() {
    use commands::events::EventFields;
    use commands::Command;
    let w = World::new();
    let before = w.fingerprint();
    let r = w.cmds.handle(
        &olga(),
        Input::Command(Command::Announce(EventFields {
            title: Some("Bell\u{7} night".into()),
            start: Some("2026-12-05 19:00".into()),
            ..EventFields::default()
        })),
    );
    assert_eq!(r.main().error, Some("control_characters"));
    let r = w.cmds.handle(
        &olga(),
        Input::Command(Command::Announce(EventFields {
            title: Some("   ".into()),
            start: Some("2026-12-05 19:00".into()),
            ..EventFields::default()
        })),
    );
    assert_eq!(r.main().error, Some("missing_field"));
    assert_eq!(w.fingerprint(), before);
}
