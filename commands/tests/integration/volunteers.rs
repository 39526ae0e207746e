//! Volunteer calls: the post, sign-ups, waitlists, withdrawals, deadlines, the roster and
//! attendance.

use crate::support::*;
use commands::{Destination, Effect, Platform, Response};

/// Event e1 by olga (2026-12-05 19:00) and call v1 with host:1 onsite:2.
fn with_call() -> World {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1 onsite:2");
    w
}

fn roster(w: &World) -> Response {
    w.ok(&olga(), "/volunteer roster v1")
}

fn field<'a>(r: &'a Response, name_starts: &str) -> &'a str {
    r.main()
        .fields
        .iter()
        .find(|f| f.name.starts_with(name_starts))
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no field {name_starts} in {}", plain(r.main())))
}

#[test]
fn a_call_posts_one_button_per_role_and_withdraw() {
    let w = World::new();
    w.announce_standard(&olga());
    let r = w.ok(&olga(), "/volunteer call e1 host:1 onsite:2");
    assert_eq!(r.replies.len(), 2);
    assert!(r.replies[0].text.contains("v1"), "{}", r.replies[0].text);
    let post = &r.replies[1];
    assert_eq!(post.destination, Destination::Announcements);
    assert_eq!(post.post_key.as_deref(), Some("call:v1"));
    assert_eq!(
        button_ids(post),
        [
            "vol:signup:v1:host",
            "vol:signup:v1:onsite",
            "vol:withdraw:v1"
        ]
    );
    assert!(post.text.contains("Serverless Night"), "{}", post.text);
    let fields: Vec<(&str, &str)> = post
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        fields,
        [("host", "0/1 signed up"), ("onsite", "0/2 signed up")]
    );
    let r = w.ok(&mia(), "/events");
    assert!(
        r.main().text.contains("volunteers: v1"),
        "{}",
        r.main().text
    );
}

#[test]
fn bad_calls_are_refused_and_change_nothing() {
    let w = World::new();
    w.announce_standard(&olga());
    let before = w.fingerprint();
    w.fails(&olga(), "/volunteer call e1 host", "bad_number");
    w.fails(&olga(), "/volunteer call e1 host:0", "bad_number");
    w.fails(&olga(), "/volunteer call e1 host:many", "bad_number");
    let r = w.fails(
        &olga(),
        "/volunteer call e1 host:1 host:2",
        "duplicate_role",
    );
    assert!(r.main().text.contains("listed twice"), "{}", r.main().text);
    w.fails(&olga(), "/volunteer call e1", "usage");
    w.fails(&olga(), "/volunteer call e9 host:1", "not_found");
    w.fails(
        &olga(),
        "/volunteer call e1 host:1 deadline: 2026-12-06 10:00",
        "bad_range",
    );
    w.fails(
        &olga(),
        "/volunteer call e1 host:1 deadline: 2026-11-01 10:00",
        "past_date",
    );
    w.fails(
        &olga(),
        "/volunteer call e1 host:1 deadline: soon",
        "bad_date",
    );
    w.fails(&mia(), "/volunteer call e1 host:1", "denied");
    assert_eq!(w.fingerprint(), before);
    w.ok(&olga(), "/event cancel e1");
    w.fails(&olga(), "/volunteer call e1 host:1", "cancelled");
}

#[test]
fn sign_up_then_waitlist_with_places() {
    let w = with_call();
    let r = w.press(&mia(), "vol:signup:v1:host");
    assert!(r.main().ok);
    assert!(
        r.main().text.contains("signed up as host"),
        "{}",
        r.main().text
    );
    assert_eq!(r.main().destination, Destination::Private);
    let update = &r.replies[1];
    assert_eq!(
        update.destination,
        Destination::Update {
            key: "call:v1".into()
        }
    );
    assert_eq!(update.fields[0].value, "1/1 signed up");

    let r = w.press(&member("bob"), "vol:signup:v1:host");
    assert!(r.main().ok);
    assert!(r.main().text.contains("full"), "{}", r.main().text);
    assert!(
        r.main().text.contains("number 1 on its waitlist"),
        "{}",
        r.main().text
    );
    assert_eq!(r.replies[1].fields[0].value, "1/1 signed up, 1 waiting");
    let r = w.ok(&member("carl"), "/volunteer signup v1 host");
    assert!(
        r.main().text.contains("number 2 on its waitlist"),
        "{}",
        r.main().text
    );
    let r = w.ok(&member("dan"), "/volunteer signup v1 ONSITE");
    assert!(
        r.main().text.contains("signed up as onsite"),
        "{}",
        r.main().text
    );

    // Asking again tells the same place and changes nothing.
    let before = w.fingerprint();
    let r = w.press(&member("bob"), "vol:signup:v1:host");
    assert!(
        r.main().text.contains("number 1 on its waitlist"),
        "{}",
        r.main().text
    );
    assert_eq!(w.fingerprint(), before);

    let r = roster(&w);
    assert_eq!(
        field(&r, "host (1/1)"),
        "@mia (Mia)\nwaitlist: @bob (BOB), @carl (CARL)"
    );
    assert_eq!(field(&r, "onsite (1/2)"), "@dan (DAN)");
    w.fails(&member("eve"), "/volunteer signup v1 cook", "unknown_role");
    w.fails(&member("eve"), "/volunteer signup v9 host", "not_found");
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn withdrawing_promotes_the_first_waiting_member_and_tells_them() {
    let w = with_call();
    w.ok(&mia(), "/volunteer signup v1 host");
    w.ok(&member("bob"), "/volunteer signup v1 host");
    w.ok(&member("carl"), "/volunteer signup v1 host");
    w.ok(&member("dan"), "/volunteer signup v1 onsite");

    let r = w.press(&mia(), "vol:withdraw:v1");
    assert!(r.main().ok);
    assert!(
        r.main().text.contains("no longer signed up as host"),
        "{}",
        r.main().text
    );
    assert!(r.replies.iter().any(|x| x.destination
        == Destination::Update {
            key: "call:v1".into()
        }));
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
            user: "bob".into()
        }
    );
    assert_eq!(dms[0].mention_users, ["bob"]);
    assert!(dms[0].text.contains("A place opened"), "{}", dms[0].text);
    assert!(
        dms[0].text.contains("volunteer withdraw v1"),
        "{}",
        dms[0].text
    );

    let r = roster(&w);
    assert_eq!(
        field(&r, "host (1/1)"),
        "@bob (BOB)\nwaitlist: @carl (CARL)"
    );

    // Leaving a waitlist promotes nobody; leaving twice is an error.
    let r = w.ok(&member("carl"), "/volunteer withdraw v1");
    assert!(r
        .replies
        .iter()
        .all(|x| !matches!(x.destination, Destination::Direct { .. })));
    let before = w.fingerprint();
    w.fails(&member("carl"), "/volunteer withdraw v1", "not_signed_up");
    w.fails(&mia(), "/volunteer withdraw v1", "not_signed_up");
    assert_eq!(w.fingerprint(), before);
    // Withdrawing from another role promotes nobody from host.
    let r = w.ok(&member("dan"), "/volunteer withdraw v1");
    assert!(r
        .replies
        .iter()
        .all(|x| !matches!(x.destination, Destination::Direct { .. })));
    let r = roster(&w);
    assert_eq!(field(&r, "host (1/1)"), "@bob (BOB)");
    assert_eq!(field(&r, "onsite (0/2)"), "—");
}

#[test]
fn one_role_per_member_per_call() {
    let w = with_call();
    w.ok(&mia(), "/volunteer signup v1 host");
    let before = w.fingerprint();
    let r = w.fails(&mia(), "/volunteer signup v1 onsite", "already_signed_up");
    assert!(r.main().text.contains("host"), "{}", r.main().text);
    let r = w.press(&mia(), "vol:signup:v1:host");
    assert!(r.main().ok);
    assert!(
        r.main().text.contains("already signed up"),
        "{}",
        r.main().text
    );
    assert_eq!(r.replies.len(), 1, "nothing to update");
    // Waiting counts as signed up for that role.
    w.ok(&member("bob"), "/volunteer signup v1 host");
    let before_bob = w.fingerprint();
    w.fails(
        &member("bob"),
        "/volunteer signup v1 onsite",
        "already_signed_up",
    );
    assert_eq!(w.fingerprint(), before_bob);
    let r = roster(&w);
    assert_eq!(field(&r, "host"), "@mia (Mia)\nwaitlist: @bob (BOB)");
    assert_eq!(field(&r, "onsite"), "—");
    assert_ne!(before, before_bob);

    // Withdraw, then another role is fine.
    w.ok(&mia(), "/volunteer withdraw v1");
    w.ok(&mia(), "/volunteer signup v1 onsite");
    // The same member on another platform is another person.
    let discord_mia = commands::Actor::new(Platform::Discord, "mia", "Mia");
    let r = w.cmds.handle(
        &discord_mia,
        commands::Input::Press("vol:signup:v1:onsite".into()),
    );
    assert!(
        r.main().text.contains("signed up as onsite"),
        "{}",
        r.main().text
    );
}

#[test]
fn sign_ups_close_at_the_deadline() {
    let w = World::new();
    w.announce_standard(&olga());
    let r = w.ok(
        &olga(),
        "/volunteer call e1 host:3 deadline: 2026-12-01 18:00",
    );
    assert!(
        plain(&r.replies[1]).contains("Sign up by: Tue 1 Dec 2026, 18:00 -03"),
        "{}",
        plain(&r.replies[1])
    );
    w.ok(&mia(), "/volunteer signup v1 host");
    w.set_time("2026-12-01T21:00:00Z"); // 18:00 in São Paulo: still open
    w.ok(&member("bob"), "/volunteer signup v1 host");
    w.set_time("2026-12-01T21:00:01Z");
    let before = w.fingerprint();
    let r = w.fails(&member("carl"), "/volunteer signup v1 host", "closed");
    assert!(r.main().text.contains("closed"), "{}", r.main().text);
    let r = w.press(&member("carl"), "vol:signup:v1:host");
    assert_eq!(r.main().error, Some("closed"));
    assert_eq!(w.fingerprint(), before);
    // Withdrawing is still possible until the event starts.
    w.ok(&member("bob"), "/volunteer withdraw v1");
}

#[test]
fn nothing_changes_once_the_event_started() {
    let w = with_call();
    w.ok(&mia(), "/volunteer signup v1 host");
    w.set_time(DEC5_19H);
    let before = w.fingerprint();
    w.fails(&member("bob"), "/volunteer signup v1 onsite", "bad_time");
    w.fails(&mia(), "/volunteer withdraw v1", "bad_time");
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn the_roster_is_for_the_organizer_and_admins() {
    let w = with_call();
    w.ok(&mia(), "/volunteer signup v1 host");
    let before = w.fingerprint();
    w.fails(&mia(), "/volunteer roster v1", "denied");
    w.fails(&oscar(), "/volunteer roster v1", "denied");
    assert_eq!(w.fingerprint(), before);
    let r = w.ok(&ada(), "/volunteer roster v1");
    assert_eq!(r.main().destination, Destination::Private);
    assert_eq!(r.main().title.as_deref(), Some("Roster of v1"));
    assert!(
        r.main().text.contains("Serverless Night"),
        "{}",
        r.main().text
    );
    assert_eq!(field(&r, "host (1/1)"), "@mia (Mia)");
    w.fails(&olga(), "/volunteer roster v7", "not_found");
}

#[test]
fn attendance_counts_shifts_and_suggests_the_volunteer_badge() {
    let w = World::new();
    w.announce_standard(&olga()); // e1, 5 Dec
    w.ok(
        &olga(),
        "/announce title: Second night start: 2026-12-10 19:00",
    ); // e2
    w.ok(&olga(), "/volunteer call e1 host:1 onsite:2"); // v1
    w.ok(&olga(), "/volunteer call e2 onsite:2"); // v2
    w.ok(&mia(), "/volunteer signup v1 host");
    w.ok(&member("bob"), "/volunteer signup v1 onsite");
    w.ok(&mia(), "/volunteer signup v2 onsite");

    let before = w.fingerprint();
    w.fails(&olga(), "/volunteer attended v1 @mia", "bad_time");
    w.fails(&mia(), "/volunteer attended v1 @mia", "denied");
    assert_eq!(w.fingerprint(), before);

    w.set_time("2026-12-05T23:00:00Z");
    w.fails(&oscar(), "/volunteer attended v1 @mia", "denied");
    let r = w.ok(&olga(), "/volunteer attended v1 @mia @bob @stranger");
    assert!(r.main().text.contains("Marked 2"), "{}", r.main().text);
    assert!(
        plain(r.main()).contains("@stranger"),
        "skipped: {}",
        plain(r.main())
    );
    // Marking again counts nobody twice.
    let r = w.ok(&olga(), "/volunteer attended v1 @mia");
    assert!(r.main().text.contains("Marked 0"), "{}", r.main().text);
    let r = w.ok(&olga(), "/volunteer roster v1");
    assert!(
        field(&r, "host").contains("@mia (Mia) ✔"),
        "{}",
        plain(r.main())
    );

    let r = w.ok(&mia(), "/badges");
    assert_eq!(field(&r, "Volunteer shifts completed"), "1");
    let r = w.ok(&ada(), "/badges @mia");
    assert!(r.main().buttons.is_empty(), "one shift is not enough yet");

    w.set_time("2026-12-10T23:00:00Z");
    // An organizer sees the suggestion, without a grant button.
    let r = w.ok(&olga(), "/volunteer attended v2 @mia");
    assert!(
        plain(r.main()).contains("2 completed shift(s), no Volunteer badge yet"),
        "{}",
        plain(r.main())
    );
    assert!(r.main().buttons.is_empty());
    let r = w.ok(&mia(), "/badges");
    assert_eq!(field(&r, "Volunteer shifts completed"), "2");
    assert!(r.main().buttons.is_empty(), "members get no grant button");
    assert!(
        !plain(r.main()).contains("Suggestion"),
        "{}",
        plain(r.main())
    );

    // An admin sees it with a button.
    let r = w.ok(&ada(), "/badges @mia");
    assert!(
        field(&r, "Suggestion").contains("2 completed shifts"),
        "{}",
        plain(r.main())
    );
    assert_eq!(button_ids(r.main()), ["grant:volunteer:mia"]);

    // Pressed by a member: refused, nothing changes.
    let before = w.fingerprint();
    let denied = w.press(&mia(), "grant:volunteer:mia");
    assert_eq!(denied.main().error, Some("denied"));
    assert!(denied.effects.is_empty());
    assert_eq!(w.fingerprint(), before);
    // Pressed by an admin: granted.
    let r = w.press(&ada(), "grant:volunteer:mia");
    assert!(r.main().ok, "{}", r.main().plain());
    assert_eq!(
        r.effects,
        [Effect::BadgeGranted {
            platform: Platform::Terminal,
            user: "mia".into(),
            badge: "volunteer"
        }]
    );
    let r = w.ok(&ada(), "/badges @mia");
    assert!(r.main().buttons.is_empty(), "no suggestion once granted");
    assert!(r.main().text.contains("Volunteer"), "{}", r.main().text);
}

#[test]
fn an_admin_marking_attendance_gets_the_grant_button() {
    let mut cfg = config();
    cfg.volunteer_badge_after = 1;
    let w = World::with_config(cfg);
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1");
    w.ok(&mia(), "/volunteer signup v1 host");
    w.set_time("2026-12-05T23:00:00Z");
    let r = w.ok(&ada(), "/volunteer attended v1 @mia");
    assert_eq!(button_ids(r.main()), ["grant:volunteer:mia"]);
    let r = w.press(&ada(), button_ids(r.main())[0]);
    assert_eq!(r.effects.len(), 1);
}
