//! Recurring series: announced one occurrence at a time, a configured time ahead; edited
//! or cancelled one occurrence at a time or all at once.

use std::time::Duration;

use crate::support::*;
use commands::{Destination, Response};

fn announced(r: &Response) -> Vec<String> {
    r.replies
        .iter()
        .filter(|x| x.destination == Destination::Announcements)
        .map(|x| x.post_key.clone().unwrap_or_default())
        .collect()
}

#[test]
fn a_series_announces_each_occurrence_a_week_ahead() {
    let w = World::new();
    // Monday 23 Nov 2026: the first Thursdays are 3 Dec, 7 Jan, 4 Feb, 4 Mar.
    let r = w.ok(
        &olga(),
        "/announce title: AWS UG meetup repeat: every first Thursday 19:00 until 2027-03-31 place: Rua A, 10 capacity: 40",
    );
    assert!(
        r.main().text.contains("Series s1 is set: 4 occurrences"),
        "{}",
        r.main().text
    );
    assert_eq!(announced(&r), ["event:e1"], "only the first is posted now");
    let post = &r.replies[1];
    assert!(
        plain(post).contains("Thu 3 Dec 2026, 19:00"),
        "{}",
        plain(post)
    );
    assert!(plain(post).contains("Series: s1"));
    assert!(plain(post).contains("0/40"));
    // Nothing more until a week before the second.
    w.set_time("2026-12-30T21:59:00Z");
    assert!(announced(&w.cmds.tick()).is_empty());
    w.set_time("2026-12-31T22:00:00Z");
    assert_eq!(announced(&w.cmds.tick()), ["event:e2"]);
    assert!(announced(&w.cmds.tick()).is_empty(), "each once");
    let r = w.ok(&member("ana"), "/series show s1");
    let text = r.main().text.to_string();
    assert!(
        text.contains("`e1`") && text.contains("`e2`") && text.contains("to be announced"),
        "{text}"
    );
}

#[test]
fn one_occurrence_or_the_whole_series_is_cancelled_or_edited() {
    let w = World::new();
    w.ok(
        &olga(),
        "/announce title: Weekly study start: 2026-11-24 19:00 end: 21:00 repeat: weekly on Tuesday, 4 times",
    );
    w.clock.advance(Duration::from_secs(3600));
    // Skip the third (1 Dec is the second, 8 Dec the third) before it is announced.
    let r = w.ok(&olga(), "/series cancel s1 2026-12-08");
    assert!(
        r.main().text.contains("will not be announced"),
        "{}",
        r.main().text
    );
    w.fails(&olga(), "/series cancel s1 2026-12-09", "not_found");
    w.set_time("2026-11-24T23:00:00Z");
    assert_eq!(announced(&w.cmds.tick()), ["event:e2"]);
    // Editing the series changes the occurrences ahead and their posts.
    let r = w.ok(&olga(), "/series edit s1 place: Room 2 start: 19:30");
    let updated: Vec<String> = r
        .replies
        .iter()
        .filter_map(|x| match &x.destination {
            Destination::Update { key } => Some(key.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(updated, ["event:e2"], "e1 has started; e2 is ahead");
    assert!(
        plain(&r.replies[1]).contains("Tue 1 Dec 2026, 19:30 -03 – 21:30"),
        "{}",
        plain(&r.replies[1])
    );
    // One occurrence is an event like any other.
    w.ok(&olga(), "/event cancel e2");
    let r = w.ok(&olga(), "/series show s1");
    assert!(
        r.main().text.contains("skipped") && r.main().text.contains("(cancelled)"),
        "{}",
        r.main().text
    );
    // The whole series: nothing more is announced.
    let r = w.ok(&olga(), "/series cancel s1");
    assert!(r.main().text.contains("is cancelled"), "{}", r.main().text);
    w.set_time("2026-12-14T23:00:00Z");
    assert!(announced(&w.cmds.tick()).is_empty());
    w.fails(&oscar(), "/series cancel s1", "denied");
}

#[test]
fn every_quarter_in_portuguese_and_chinese() {
    let w = World::new();
    let r = w.ok(
        &olga(),
        "/anunciar título: Encontro trimestral início: 10/12/2026 19h repetir: a cada trimestre, 4 vezes",
    );
    assert!(r.main().text.contains("4 ocorrências"), "{}", r.main().text);
    let r = w.ok(
        &olga(),
        "/发布活动 标题: 季度聚会 开始时间: 2026-12-10 19:00 重复: 每季度 共4次",
    );
    assert!(r.main().text.contains("共 4 场"), "{}", r.main().text);
}

#[test]
fn bad_series_are_refused_and_change_nothing() {
    let w = World::new();
    let before = w.fingerprint();
    w.fails(
        &olga(),
        "/announce title: T repeat: every first Thursday 19:00",
        "bad_repeat",
    );
    w.fails(
        &olga(),
        "/announce title: T repeat: now and then 19:00, 3 times",
        "bad_repeat",
    );
    w.fails(
        &olga(),
        "/announce title: T repeat: every Tuesday, 3 times",
        "bad_date",
    );
    w.fails(
        &olga(),
        "/announce title: T start: 2026-12-01 19:00 repeat: weekly, 500 times",
        "bad_number",
    );
    w.fails(
        &member("ana"),
        "/announce title: T repeat: weekly on Tuesday 19:00, 3 times",
        "denied",
    );
    w.fails(&member("ana"), "/series show s9", "not_found");
    assert_eq!(w.fingerprint(), before);
}
