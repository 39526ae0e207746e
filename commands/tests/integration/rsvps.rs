//! RSVPs with capacity, the waitlist and its offers, the cutoff, check-in, the no-show
//! policy, and posts that stay true — with the controlled clock.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::support::*;
use commands::{Destination, Input, NoShows, Platform, Reply, Response};
use knowledge::Lang;

/// Olga's event e1 (Sat 5 Dec 2026 19:00–21:00) with `capacity` places.
fn capped(w: &World, capacity: u32) {
    w.ok(
        &olga(),
        &format!("/announce title: Serverless Night start: 2026-12-05 19:00 end: 21:00 capacity: {capacity}"),
    );
}

fn dms(r: &Response) -> Vec<(&str, &Reply)> {
    r.replies
        .iter()
        .filter_map(|x| match &x.destination {
            Destination::Direct { user, .. } => Some((user.as_str(), x)),
            _ => None,
        })
        .collect()
}

fn post_update(r: &Response) -> Option<&Reply> {
    r.replies.iter().find(
        |x| matches!(&x.destination, Destination::Update { key } if key.starts_with("event:")),
    )
}

fn field<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.fields
        .iter()
        .find(|f| f.name.starts_with(name))
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no field {name} in {}", r.plain()))
}

#[test]
fn a_full_event_waitlists_and_a_freed_place_is_offered_for_the_claim_window() {
    let w = World::new();
    capped(&w, 2);
    let r = w.ok(&member("ana"), "/rsvp e1");
    assert!(r.main().text.contains("You are going"), "{}", r.main().text);
    assert_eq!(field(post_update(&r).unwrap(), "Going"), "1/2");
    w.ok(&member("bia"), "/rsvp e1");
    let r = w.press(&member("cai"), "rsvp:yes:e1");
    assert!(
        r.main().text.contains("number 1 on its waitlist"),
        "{}",
        r.main().text
    );
    let r = w.ok(&member("dan"), "/rsvp e1 yes");
    assert!(r.main().text.contains("number 2"), "{}", r.main().text);
    assert_eq!(field(post_update(&r).unwrap(), "Going"), "2/2, 2 waiting");

    // A replayed press acts once and says nothing changed; the post is not touched.
    let before = w.fingerprint();
    let r = w.press(&member("ana"), "rsvp:yes:e1");
    assert!(r.main().ok && r.main().text.contains("Nothing changed"));
    assert_eq!(r.replies.len(), 1);
    let r = w.press(&member("cai"), "rsvp:yes:e1");
    assert!(
        r.main().text.contains("already number 1"),
        "{}",
        r.main().text
    );
    assert_eq!(w.fingerprint(), before);

    // Ana cannot come: cai is offered her place by DM, with take and leave buttons.
    let r = w.press(&member("ana"), "rsvp:no:e1");
    assert!(
        r.main().text.contains("no longer going"),
        "{}",
        r.main().text
    );
    let offers = dms(&r);
    assert_eq!(offers.len(), 1);
    let (to, dm) = offers[0];
    assert_eq!(to, "cai");
    assert_eq!(button_ids(dm), ["rsvp:take:e1", "rsvp:leave:e1"]);
    // Held for 12 hours by default: until 21:00 São Paulo.
    assert!(dm.text.contains("Mon 23 Nov 2026, 21:00"), "{}", dm.text);
    // The place is held: a newcomer waits behind dan.
    let r = w.ok(&member("eva"), "/rsvp e1");
    assert!(r.main().text.contains("number 2"), "{}", r.main().text);

    // Cai lets the claim window pass: the offer goes to dan.
    w.clock.advance(Duration::from_secs(12 * 3600 + 60));
    let t = w.cmds.tick();
    let to: Vec<&str> = dms(&t).iter().map(|(u, _)| *u).collect();
    assert_eq!(
        to,
        ["cai", "dan"],
        "cai hears it expired, dan gets the offer"
    );
    assert!(dms(&t)[0].1.text.contains("not taken in time"));
    assert!(post_update(&t).is_some(), "the post's counts change");
    let r = w.press(&member("cai"), "rsvp:take:e1");
    assert_eq!(r.main().error, Some("no_offer"));
    // Dan takes it; pressing again changes nothing.
    let r = w.press(&member("dan"), "rsvp:take:e1");
    assert!(
        r.main().text.contains("The place is yours"),
        "{}",
        r.main().text
    );
    let r = w.press(&member("dan"), "rsvp:take:e1");
    assert!(r.main().text.contains("already yours"), "{}", r.main().text);
    assert!(w
        .cmds
        .tick()
        .replies
        .iter()
        .all(|x| !matches!(x.destination, Destination::Direct { .. })));

    // The organizer's view.
    let r = w.ok(&olga(), "/event attendees e1");
    let going = field(r.main(), "Going (2/2)");
    assert!(going.contains("@bia") && going.contains("@dan"), "{going}");
    assert!(field(r.main(), "Waitlist (1)").contains("1. @eva"));
    assert_eq!(field(r.main(), "Checked in (0)"), "—");
    w.fails(&member("eva"), "/event attendees e1", "denied");
}

#[test]
fn leaving_an_offer_passes_it_on_at_once_and_an_expired_one_says_so() {
    let w = World::new();
    capped(&w, 1);
    w.ok(&member("ana"), "/rsvp e1");
    w.ok(&member("bia"), "/rsvp e1");
    w.ok(&member("cai"), "/rsvp e1");
    let r = w.ok(&member("ana"), "/rsvp e1 no");
    assert_eq!(dms(&r)[0].0, "bia");
    let r = w.press(&member("bia"), "rsvp:leave:e1");
    assert!(r.main().text.contains("letting the place go"));
    assert_eq!(dms(&r)[0].0, "cai", "the next is offered it at once");
    // Cai's window passes before any tick: pressing take says it expired.
    w.clock.advance(Duration::from_secs(13 * 3600));
    let r = w.press(&member("cai"), "rsvp:take:e1");
    assert_eq!(r.main().error, Some("expired"), "{}", r.main().text);
    assert!(r.main().text.contains("rsvp e1"));
}

#[test]
fn rsvps_close_at_the_cutoff_and_the_post_loses_its_buttons() {
    let w = World::new();
    w.ok(
        &olga(),
        "/announce title: Night start: 2026-12-05 19:00 cutoff: 2026-12-04 12:00",
    );
    let r = w.ok(&member("ana"), "/rsvp e1");
    let post = post_update(&r).unwrap();
    assert!(button_ids(post).contains(&"rsvp:yes:e1"));
    assert!(plain(post).contains("RSVP by"), "{}", plain(post));
    w.set_time("2026-12-04T15:00:01Z");
    let before = w.fingerprint();
    let r = w.fails(&member("bia"), "/rsvp e1", "closed");
    assert!(r.main().text.contains("closed at"), "{}", r.main().text);
    assert_eq!(w.fingerprint(), before);
    let t = w.cmds.tick();
    let post = post_update(&t).expect("the post is updated when RSVPs close");
    assert!(post.text.contains("RSVPs are closed"), "{}", post.text);
    assert_eq!(button_ids(post), ["ics:e1"]);
    assert!(post_update(&w.cmds.tick()).is_none(), "once");
    // At the start, it says so and keeps no button.
    w.set_time("2026-12-05T22:00:00Z");
    let post = post_update(&w.cmds.tick())
        .cloned()
        .expect("updated at the start");
    assert!(post.text.contains("has started"), "{}", post.text);
    assert!(post.buttons.is_empty());
}

#[test]
fn members_going_get_the_reminders() {
    let w = World::new();
    capped(&w, 10);
    w.ok(&member("ana"), "/rsvp e1");
    let mut pt = member("bia");
    pt.locale = Some(Lang::Pt);
    w.ok(&pt, "/rsvp e1");
    w.set_time("2026-12-04T22:00:00Z");
    let t = w.cmds.tick();
    let to: BTreeSet<&str> = dms(&t).iter().map(|(u, _)| *u).collect();
    assert_eq!(to, BTreeSet::from(["ana", "bia"]));
    let bia = dms(&t).into_iter().find(|(u, _)| *u == "bia").unwrap().1;
    assert!(bia.text.contains("Lembrete"), "{}", bia.text);
    assert!(dms(&w.cmds.tick()).is_empty(), "each once");
}

#[test]
fn bad_rsvps_are_refused_and_change_nothing() {
    let w = World::new();
    capped(&w, 1);
    w.ok(&olga(), "/announce title: Gone start: 2026-12-06 19:00");
    w.ok(&olga(), "/event cancel e2");
    let before = w.fingerprint();
    w.fails(&member("ana"), "/rsvp e99", "not_found");
    w.fails(&member("ana"), "/rsvp e2", "cancelled");
    w.fails(&member("ana"), "/rsvp e1 maybe", "usage");
    w.fails(&member("ana"), "/rsvp e1\u{7}", "control_characters");
    w.fails(&member("ana"), "/checkin NOPE42", "bad_code");
    let r = w.press(&member("ana"), "rsvp:take:e1");
    assert_eq!(r.main().error, Some("no_offer"));
    let r = w.press(&member("ana"), "rsvp:maybe:e1");
    assert_eq!(r.main().error, Some("unknown_button"));
    w.fails(
        &olga(),
        "/announce title: T start: 2026-12-05 19:00 capacity: lots",
        "bad_number",
    );
    w.fails(
        &olga(),
        "/announce title: T start: 2026-12-05 19:00 cutoff: 2026-12-06 10:00",
        "bad_range",
    );
    w.fails(
        &olga(),
        "/announce title: T start: 2026-12-05 19:00 cutoff: whenever",
        "bad_date",
    );
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn rsvps_in_every_language() {
    let w = World::new();
    capped(&w, 5);
    let r = w.ok(&member("ana"), "/participar e1");
    assert_eq!(r.main().lang, Lang::Pt);
    assert!(r.main().text.contains("Você vai"), "{}", r.main().text);
    let r = w.ok(&member("bo"), "参加 e1");
    assert_eq!(r.main().lang, Lang::Zh);
    assert!(r.main().text.contains("你已报名参加"), "{}", r.main().text);
    let r = w.ok(&member("ana"), "/participar e1 não vou");
    assert!(r.main().text.contains("não vai mais"), "{}", r.main().text);
    // The post stays in the language it was announced in.
    let post = post_update(&r).unwrap();
    assert_eq!(post.lang, Lang::En);
    assert_eq!(field(post, "Going"), "1/5");
}

#[test]
fn two_hundred_concurrent_rsvps_for_five_places() {
    const MEMBERS: usize = 200;
    const PLACES: usize = 5;
    let w = Arc::new(World::new());
    capped(&w, PLACES as u32);
    let barrier = Arc::new(Barrier::new(MEMBERS));
    let handles: Vec<_> = (0..MEMBERS)
        .map(|i| {
            let (w, barrier) = (w.clone(), barrier.clone());
            std::thread::spawn(move || {
                let who = member(&format!("m{i:03}"));
                barrier.wait();
                let r = w.cmds.handle(&who, Input::Press("rsvp:yes:e1".into()));
                (who.user_id, r.main().ok, r.main().text.to_string())
            })
        })
        .collect();
    let results: Vec<(String, bool, String)> = handles
        .into_iter()
        .map(|h| h.join().expect("no panic"))
        .collect();
    let mut going = BTreeSet::new();
    let mut told: Vec<(usize, String)> = Vec::new();
    for (user, ok, text) in &results {
        assert!(ok, "{user}: {text}");
        if text.contains("You are going") {
            going.insert(user.clone());
        } else {
            let place: usize = text
                .split("number ")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{user}: no waitlist place in {text}"));
            told.push((place, user.clone()));
        }
    }
    assert_eq!(going.len(), PLACES, "capacity never exceeded");
    told.sort();
    let places: Vec<usize> = told.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        places,
        (1..=MEMBERS - PLACES).collect::<Vec<_>>(),
        "each place once"
    );
    // The waitlist is in the order members were told their places.
    let r = w.ok(&olga(), "/event attendees e1");
    let list = field(r.main(), "Waitlist");
    let listed: Vec<String> = list
        .split(", ")
        .map(|x| {
            x.split_whitespace()
                .nth(1)
                .unwrap()
                .trim_start_matches('@')
                .to_string()
        })
        .collect();
    let expected: Vec<String> = told.iter().map(|(_, u)| u.clone()).collect();
    assert_eq!(listed, expected, "waitlist order kept");
    let on: BTreeSet<String> = field(r.main(), "Going")
        .split(", ")
        .map(|x| {
            x.split_whitespace()
                .next()
                .unwrap()
                .trim_start_matches('@')
                .to_string()
        })
        .collect();
    assert_eq!(on, going);
    // Freeing a place offers it to number 1, and only to them.
    let first = going.iter().next().unwrap().clone();
    let r = w.ok(&member(&first), "/rsvp e1 no");
    let offered: Vec<&str> = dms(&r).iter().map(|(u, _)| *u).collect();
    assert_eq!(offered, [expected[0].as_str()]);
}

#[test]
fn check_in_with_a_code_and_its_qr_image_counts_as_attendance() {
    let w = World::new();
    capped(&w, 10);
    w.ok(&member("ana"), "/rsvp e1");
    // Too early to open check-in.
    w.fails(&olga(), "/event checkin e1", "bad_time");
    w.set_time("2026-12-05T21:30:00Z");
    w.fails(&member("ana"), "/event checkin e1", "denied");
    let r = w.ok(&olga(), "/event checkin e1");
    let code = field(r.main(), "Code").trim_matches('`').to_string();
    assert_eq!(code.len(), 6, "{code}");
    let a = r.main().attachment.as_ref().expect("the QR image");
    assert_eq!(a.content_type, "image/png");
    assert!(a.bytes().starts_with(b"\x89PNG"));
    // Opening again shows the same code.
    let again = w.ok(&olga(), "/event checkin e1");
    assert_eq!(field(again.main(), "Code").trim_matches('`'), code);

    let r = w.ok(&member("ana"), &format!("/checkin {}", code.to_lowercase()));
    assert!(r.main().text.contains("checked in"), "{}", r.main().text);
    let before = w.fingerprint();
    let r = w.ok(&member("ana"), &format!("/checkin {code}"));
    assert!(r.main().text.contains("already checked in"));
    assert_eq!(
        w.fingerprint(),
        before,
        "a replayed check-in changes nothing"
    );
    // A walk-in checks in too; the organizer marks another present.
    w.ok(&member("bo"), &format!("签到 {code}"));
    let r = w.ok(&olga(), "/event present e1 @cai @ana");
    assert!(r.main().text.contains("Marked 1"), "{}", r.main().plain());
    let r = w.ok(&olga(), "/event attendees e1");
    assert!(
        r.main().fields.iter().any(|f| f.name == "Checked in (3)"),
        "{}",
        r.main().plain()
    );
    assert!(field(r.main(), "Going").contains("@ana (ANA) ✔"));
    // Attendance shows in badges and on the growth path.
    let r = w.ok(&member("ana"), "/badges");
    assert_eq!(field(r.main(), "Events attended"), "1");
    let r = w.ok(&member("ana"), "/next");
    assert_eq!(field(r.main(), "Events attended"), "1");
    // After the event, the code no longer works.
    w.set_time("2026-12-06T03:00:01Z");
    w.fails(&member("dan"), &format!("/checkin {code}"), "closed");
}

fn with_no_shows() -> World {
    let mut cfg = config();
    cfg.no_shows = Some(NoShows {
        after: 2,
        notice: Duration::from_secs(24 * 3600),
        waitlist_for: Duration::from_secs(30 * 24 * 3600),
    });
    World::with_config(cfg)
}

#[test]
fn no_shows_put_a_member_on_the_waitlist_first_until_an_admin_clears_it() {
    let w = with_no_shows();
    // Two events with check-in; ana says she is going to both and comes to neither.
    w.ok(
        &olga(),
        "/announce title: One start: 2026-11-25 19:00 end: 21:00",
    );
    w.ok(
        &olga(),
        "/announce title: Two start: 2026-11-26 19:00 end: 21:00",
    );
    w.ok(&member("ana"), "/rsvp e1");
    w.ok(&member("ana"), "/rsvp e2");
    w.ok(&member("bia"), "/rsvp e1");
    w.set_time("2026-11-25T22:30:00Z");
    w.ok(&olga(), "/event checkin e1");
    w.ok(&olga(), "/event present e1 @bia");
    w.set_time("2026-11-26T01:00:00Z");
    let t = w.cmds.tick();
    assert!(
        dms(&t)
            .iter()
            .all(|(_, x)| !x.text.contains("waitlist first")),
        "one no-show is not yet the policy's count"
    );
    // On the second, she says no too late (less than 24 h before): that counts too.
    w.set_time("2026-11-26T12:00:00Z");
    w.ok(&member("ana"), "/rsvp e2 no");
    w.set_time("2026-11-26T22:30:00Z");
    w.ok(&olga(), "/event checkin e2");
    w.set_time("2026-11-27T01:00:00Z");
    let t = w.cmds.tick();
    let told: Vec<&str> = dms(&t)
        .iter()
        .filter(|(_, x)| x.text.contains("waitlist first"))
        .map(|(u, _)| *u)
        .collect();
    assert_eq!(told, ["ana"], "{}", all_text(&t));
    // Her next RSVP, to an event with free places, goes on the waitlist, and says why.
    w.ok(
        &olga(),
        "/announce title: Three start: 2026-12-10 19:00 capacity: 20",
    );
    let r = w.ok(&member("ana"), "/rsvp e3");
    assert!(
        r.main().text.contains("number 1 on the waitlist"),
        "{}",
        r.main().text
    );
    assert!(r.main().text.contains("2 events"), "{}", r.main().text);
    w.ok(&member("ana"), "/rsvp e3 no");
    // Only admins may clear it; then she is going like anyone.
    w.fails(&olga(), "/event forgive @ana", "denied");
    w.ok(&ada(), "/event forgive @ana");
    let r = w.ok(&member("ana"), "/rsvp e3");
    assert!(r.main().text.contains("You are going"), "{}", r.main().text);
}

#[test]
fn without_the_policy_nobody_is_held_back() {
    let w = World::new();
    w.ok(&olga(), "/announce title: One start: 2026-11-25 19:00");
    w.ok(&member("ana"), "/rsvp e1");
    w.set_time("2026-11-25T22:30:00Z");
    w.ok(&olga(), "/event checkin e1");
    w.set_time("2026-11-26T12:00:00Z");
    assert!(dms(&w.cmds.tick()).is_empty());
    assert_eq!(count(&w.db, "cmd.standing"), 0);
}

#[test]
fn an_edit_that_moves_the_start_before_a_deadline_moves_the_deadline_and_says_so() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(
        &olga(),
        "/volunteer call e1 host:1 deadline: 2026-12-05 12:00",
    );
    let r = w.ok(&olga(), "/event edit e1 start: 2026-12-04 10:00");
    assert!(
        r.main().text.contains("deadline of volunteer call v1"),
        "{}",
        r.main().text
    );
    let call = r
        .replies
        .iter()
        .find(|x| {
            x.destination
                == Destination::Update {
                    key: "call:v1".into(),
                }
        })
        .expect("the call's post is updated");
    assert!(
        plain(call).contains("Fri 4 Dec 2026, 10:00"),
        "{}",
        plain(call)
    );
    // The event's post ends when it runs: 2 hours, as before.
    assert!(plain(post_update(&r).unwrap()).contains("10:00 -03 – 12:00"));
}

#[test]
fn a_second_call_for_an_event_is_merged_into_the_first() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:1");
    w.ok(&member("ana"), "/volunteer signup v1 host");
    w.ok(&member("bia"), "/volunteer signup v1 host");
    let r = w.ok(&olga(), "/volunteer call e1 host:2 prep:3");
    assert!(r.main().text.contains("merged"), "{}", r.main().text);
    assert!(r
        .replies
        .iter()
        .all(|x| x.destination != Destination::Announcements));
    assert_eq!(
        dms(&r)[0].0,
        "bia",
        "the waitlist moves up into the new place"
    );
    let roster = w.ok(&olga(), "/volunteer roster v1");
    let names: Vec<&str> = roster
        .main()
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["host (2/2)", "prep (0/3)"]);
    assert_eq!(count(&w.db, "cmd.calls"), 1);
}

#[test]
fn a_call_post_loses_its_buttons_once_its_deadline_passes() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(
        &olga(),
        "/volunteer call e1 host:1 deadline: 2026-12-01 12:00",
    );
    w.set_time("2026-12-01T15:00:01Z");
    let t = w.cmds.tick();
    let call = t
        .replies
        .iter()
        .find(|x| {
            x.destination
                == Destination::Update {
                    key: "call:v1".into(),
                }
        })
        .expect("the call post is updated at its deadline");
    assert!(call.text.contains("Sign-ups are closed"), "{}", call.text);
    assert!(call.buttons.is_empty());
}

#[test]
fn events_stored_before_rsvps_still_load_and_take_them() {
    let w = World::new();
    let old = serde_json::json!({
        "id": "e1", "platform": "terminal", "organizer": "olga", "title": "Old night",
        "start": 1_796_594_400i64, "end": null, "place": null, "description": null,
        "role": null, "cancelled": false, "created": 1_795_000_000i64, "calls": []
    });
    w.db.open_tree("cmd.events")
        .unwrap()
        .insert("e1", serde_json::to_vec(&old).unwrap())
        .unwrap();
    let r = w.ok(&member("ana"), "/events");
    assert!(r.main().text.contains("Old night"), "{}", r.main().text);
    let r = w.ok(&member("ana"), "/rsvp e1");
    assert_eq!(field(post_update(&r).unwrap(), "Going"), "1");
    let mut other = member("ana");
    other.platform = Platform::Discord;
    w.ok(&other, "/rsvp e1");
    let r = w.ok(&olga(), "/event attendees e1");
    assert!(r.main().fields.iter().any(|f| f.name == "Going (2)"));
}

#[test]
fn dates_as_people_write_them_in_announcements_with_the_reading_said() {
    let w = World::new();
    let r = w.ok(&olga(), "/announce title: T start: tomorrow 19:00");
    assert!(plain(&r.replies[1]).contains("Tue 24 Nov 2026, 19:00"));
    let r = w.ok(&olga(), "/announce title: T start: 03/12/2026 19h");
    assert!(r.main().text.contains("day first"), "{}", r.main().text);
    assert!(r.main().text.contains("2026-03-12") || r.main().text.contains("2027-03-12"));
    let r = w.ok(
        &olga(),
        "/announce title: Late start: 2026-12-05 22:00 to 01:00",
    );
    assert!(
        plain(&r.replies[1]).contains("Sat 5 Dec 2026, 22:00 -03 – Sun 6 Dec 2026, 01:00"),
        "{}",
        plain(&r.replies[1])
    );
    let r = w.ok(
        &olga(),
        "/announce title: T start: 12 de dezembro às 19h end: 21h",
    );
    assert!(plain(&r.replies[1]).contains("Sat 12 Dec 2026, 19:00 -03 – 21:00"));
    let r = w.ok(&olga(), "/announce title: T start: 明天晚上7点");
    assert!(plain(&r.replies[1]).contains("Tue 24 Nov 2026, 19:00"));
}
