//! The dashboard's Talks page as `commands` decides it for each reader: the owner of the
//! proposal's track reviews it, the owner of another track does not see it, the event's
//! organizer ranks it without scores, the speaker sees their own, an admin sees all.

use crate::support::*;
use commands::talks::TalksBoard;
use commands::Actor;
use knowledge::Lang;

const PROPOSE: &str = "/talks propose title: Lambda at scale abstract: How we run ten thousand functions without tears track: serverless level: advanced language: pt duration: 30 event: e1";

/// Event e1 by olga; tracks serverless (tina) and data (theo); sam's p1 for e1 and his p2
/// for no event.
fn world() -> World {
    let w = World::new();
    assert_eq!(w.announce_standard(&olga()), "e1");
    for who in ["tina", "theo"] {
        w.ok(&ada(), &format!("/badge grant @{who} track-owner"));
    }
    w.ok(&ada(), "/track add serverless Serverless");
    w.ok(&ada(), "/track add data Data");
    w.ok(&ada(), "/track owner serverless @tina");
    w.ok(&ada(), "/track owner data @theo");
    w.ok(&member("sam"), PROPOSE);
    w.ok(
        &member("sam"),
        "/talks propose title: Streams abstract: Kinesis in practice track: data level: intermediate language: en duration: 20",
    );
    w
}

fn board(w: &World, who: &Actor) -> TalksBoard {
    w.cmds.talks_board(who, Lang::En).expect("the board")
}

fn ids(rows: &[commands::talks::TalkRow]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn each_reader_sees_the_part_of_the_talks_page_that_is_theirs() {
    let w = world();
    let tina = board(&w, &member("tina"));
    assert_eq!(tina.owned, ["Serverless"]);
    assert_eq!(ids(&tina.to_review), ["p1"]);
    assert!(tina.to_review[0].summary.is_some() && !tina.to_review[0].decide);
    assert!(tina.events.is_empty() && tina.mine.is_empty() && tina.all.is_none());

    let theo = board(&w, &member("theo"));
    assert_eq!(ids(&theo.to_review), ["p2"]);

    let max = board(&w, &member("max"));
    assert!(max.owned.is_empty() && max.to_review.is_empty() && max.events.is_empty());
    assert!(max.mine.is_empty() && max.all.is_none());

    let sam = board(&w, &member("sam"));
    assert_eq!(ids(&sam.mine), ["p2", "p1"]);
    assert!(sam.mine.iter().all(|r| r.score.is_none() && !r.decide));

    // Once tina scored it, it waits for her no more; the organizer may decide, without
    // seeing the score; the admin sees it.
    w.ok(
        &member("tina"),
        "/talks score p1 4 Clear outline, real numbers",
    );
    assert!(board(&w, &member("tina")).to_review.is_empty());
    let organizer = board(&w, &olga());
    assert_eq!(organizer.events.len(), 1);
    let e1 = &organizer.events[0];
    assert_eq!((e1.event.id.as_str(), ids(&e1.ranked)), ("e1", vec!["p1"]));
    assert!(e1.ranked[0].decide && e1.ranked[0].score.is_none());
    assert_eq!(e1.ranked[0].reviews, 1);
    assert_eq!(e1.to_send, 0);
    let ada = board(&w, &ada());
    assert_eq!(
        ids(ada.all.as_deref().expect("all for admins")),
        ["p2", "p1"]
    );
    assert_eq!(ada.all.as_ref().unwrap()[1].score, Some(4.0));
    assert_eq!(ids(&ada.events[0].ranked), ["p1"]);

    w.ok(&olga(), "/talks accept p1");
    assert_eq!(board(&w, &olga()).events[0].to_send, 1);
    w.ok(&olga(), "/talks send e1");
    let sam = board(&w, &member("sam"));
    assert!(
        sam.mine[1].stage.to_string().contains("accepted"),
        "{}",
        sam.mine[1].stage
    );
}

#[test]
fn a_vetoed_proposal_leaves_the_ranking_and_the_review_list() {
    let w = world();
    w.ok(
        &member("tina"),
        "/talks veto p1 Too close to last month's talk",
    );
    assert!(board(&w, &member("tina")).to_review.is_empty());
    let e1 = &board(&w, &olga()).events[0];
    assert!(e1.ranked.is_empty());
    assert_eq!((e1.vetoed, e1.to_send), (1, 1));
}
