//! Talk proposals, reviewed by track owners with a veto: the whole flow at every level
//! (speaker, another member, an owner of the proposal's track, an owner of another track,
//! the event's organizer, an admin), what each may see, concurrent reviews, decisions sent
//! once across restarts, deck reminders, forms, and bad input that changes nothing.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Barrier};

use crate::support::*;
use commands::{Actor, Destination, Feed, Input, Platform, Reply, Response};

/// Every tree a talks command may change (names and questions change on any input).
const TREES: [&str; 13] = [
    "cmd.badges",
    "cmd.audit",
    "cmd.events",
    "cmd.calls",
    "cmd.reminders",
    "cmd.votes",
    "cmd.posts",
    "cmd.meta",
    "cmd.shifts",
    "cmd.tracks",
    "cmd.talks",
    "cmd.talks.audit",
    "cmd.talks.given",
];

fn prints(db: &sled::Db) -> BTreeMap<&'static str, u64> {
    TREES
        .iter()
        .map(|name| {
            let tree = db.open_tree(name).expect("tree");
            let mut h = DefaultHasher::new();
            for kv in tree.iter() {
                let (k, v) = kv.expect("read");
                k.as_ref().hash(&mut h);
                v.as_ref().hash(&mut h);
            }
            (*name, h.finish())
        })
        .collect()
}

fn sam() -> Actor {
    member("sam")
}
fn max() -> Actor {
    member("max")
}
fn tina() -> Actor {
    member("tina")
}
fn theo() -> Actor {
    member("theo")
}

const PROPOSE: &str = "/talks propose title: Lambda at scale abstract: How we run ten thousand functions without tears track: serverless level: advanced language: pt duration: 30 event: e1";

/// How far the seeded world has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// p1 by sam for e1 in Serverless, not reviewed.
    Submitted,
    /// tina vetoed p1.
    Vetoed,
    /// tina scored p1 4/5.
    Reviewed,
    /// olga accepted p1, not sent.
    Pending,
    /// the decision is sent: accepted, deck due.
    Sent,
    /// sam sent the deck.
    Deck,
    /// after the event.
    After,
}

/// Event e1 by olga; tracks serverless (tina) and data (theo), both holding the Track
/// Owner badge; sam's p1 for e1 brought to `stage`.
fn seeded(stage: Stage) -> World {
    let w = World::new();
    seed(&w, stage);
    w
}

fn seed(w: &World, stage: Stage) {
    assert_eq!(w.announce_standard(&olga()), "e1");
    for who in ["tina", "theo"] {
        w.ok(&ada(), &format!("/badge grant @{who} track-owner"));
    }
    w.ok(&ada(), "/track add serverless Serverless");
    w.ok(&ada(), "/track add data Data & Analytics");
    w.ok(&ada(), "/track owner serverless @tina");
    w.ok(&ada(), "/track owner data @theo");
    let r = w.ok(&sam(), PROPOSE);
    assert!(r.main().text.contains("p1"), "{}", r.main().text);
    if stage == Stage::Vetoed {
        w.ok(&tina(), "/talks veto p1 Too close to last month's talk");
        return;
    }
    if stage >= Stage::Reviewed {
        w.ok(&tina(), "/talks score p1 4 Clear outline, real numbers");
    }
    if stage >= Stage::Pending {
        w.ok(&olga(), "/talks accept p1");
    }
    if stage >= Stage::Sent {
        w.ok(&olga(), "/talks send e1");
    }
    if stage >= Stage::Deck {
        w.ok(&sam(), "/talks deck p1 https://example.org/p1.pdf");
    }
    if stage >= Stage::After {
        w.set_time("2026-12-05T23:30:00Z");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Speaker,
    Other,
    Owner,
    OtherOwner,
    Organizer,
    Admin,
}

const EVERYONE: [Who; 6] = [
    Who::Speaker,
    Who::Other,
    Who::Owner,
    Who::OtherOwner,
    Who::Organizer,
    Who::Admin,
];

fn actor(who: Who) -> Actor {
    match who {
        Who::Speaker => sam(),
        Who::Other => max(),
        Who::Owner => tina(),
        Who::OtherOwner => theo(),
        Who::Organizer => olga(),
        Who::Admin => ada(),
    }
}

struct Step {
    stage: Stage,
    input: &'static str,
    allowed: &'static [Who],
}

fn step(stage: Stage, input: &'static str, allowed: &'static [Who]) -> Step {
    Step {
        stage,
        input,
        allowed,
    }
}

fn steps() -> Vec<Step> {
    use Stage::*;
    use Who::*;
    vec![
        step(Submitted, "/track list", &EVERYONE),
        step(Submitted, "/track add security Security", &[Admin]),
        step(Submitted, "/track owner data @tina", &[Admin]),
        step(Submitted, "/track unowner serverless @tina", &[Admin]),
        step(
            Submitted,
            "/track publish serverless season: 2026 themes: Event-driven design cover: A real system audience: 200-300",
            &[Owner],
        ),
        step(Submitted, "/talks framework serverless", &EVERYONE),
        step(
            Submitted,
            "/talks propose title: Another talk abstract: About things track: data level: 200 language: en duration: 20",
            &EVERYONE,
        ),
        step(Submitted, "/talks propose", &EVERYONE),
        step(Submitted, "/talks mine", &EVERYONE),
        step(Submitted, "/talks show p1", &[Speaker, Owner, Organizer, Admin]),
        step(Submitted, "/talks edit p1 duration: 45", &[Speaker]),
        step(Submitted, "/press talk:form:edit:p1", &[Speaker]),
        step(Submitted, "/talks withdraw p1", &[Speaker]),
        step(Submitted, "/talks review", &[Owner, OtherOwner]),
        step(Submitted, "/talks score p1 5 Great topic", &[Owner]),
        step(Submitted, "/press talk:form:score:p1", &[Owner]),
        step(Submitted, "/talks veto p1 Off topic for this season", &[Owner]),
        step(Submitted, "/press talk:form:veto:p1", &[Owner]),
        step(Vetoed, "/talks lift p1", &[Owner]),
        step(Reviewed, "/talks share p1", &[Owner]),
        step(Reviewed, "/talks ranking e1", &[Organizer, Admin]),
        step(Reviewed, "/talks accept p1", &[Organizer, Admin]),
        step(Reviewed, "/press talk:accept:p1", &[Organizer, Admin]),
        step(Reviewed, "/talks decline p1 The agenda is full", &[Organizer, Admin]),
        step(Reviewed, "/press talk:form:decline:p1", &[Organizer, Admin]),
        step(Pending, "/talks send e1", &[Organizer, Admin]),
        step(Pending, "/press talk:send:e1", &[Organizer, Admin]),
        step(Sent, "/talks deck p1 https://example.org/deck.pdf", &[Speaker]),
        step(Sent, "/talks show p1", &EVERYONE),
        step(Deck, "/talks approve p1", &[Owner]),
        step(Deck, "/talks reject p1 Slide 3 leaks a customer name", &[Owner]),
        step(After, "/talks given p1", &[Organizer, Admin]),
        step(Submitted, "/talks audit", &[Admin]),
        step(Submitted, "/talks audit p1 --limit 5", &[Admin]),
    ]
}

fn run(w: &World, who: &Actor, line: &str) -> Response {
    match line.strip_prefix("/press ") {
        Some(id) => w.press(who, id),
        None => w.text(who, line),
    }
}

#[test]
fn the_whole_flow_at_every_level() {
    for s in steps() {
        for who in EVERYONE {
            let w = seeded(s.stage);
            let a = actor(who);
            let before = prints(&w.db);
            let r = run(&w, &a, s.input);
            let label = format!("{} by {who:?} at {:?}", s.input, s.stage);
            if s.allowed.contains(&who) {
                assert!(
                    r.main().ok,
                    "{label} failed: {:?} {}",
                    r.main().error,
                    r.main().plain()
                );
            } else {
                assert!(!r.main().ok, "{label} was allowed: {}", r.main().plain());
                assert_eq!(
                    r.main().error,
                    Some("denied"),
                    "{label}: {}",
                    r.main().plain()
                );
                assert!(
                    r.main().text.contains("Nothing was changed"),
                    "{label}: {}",
                    r.main().text
                );
                assert_eq!(r.replies.len(), 1, "{label}: a refusal is one reply");
                assert_eq!(r.main().destination, Destination::Private, "{label}");
                assert!(r.main().form.is_none(), "{label}: a refusal opens no form");
                assert!(r.effects.is_empty(), "{label}");
                assert_eq!(prints(&w.db), before, "{label} changed the store");
            }
        }
    }
}

/// What each reader sees of p1 after two owners reviewed it, one comment shared.
#[test]
fn scores_only_for_the_tracks_owners_and_admins_comments_only_when_shared() {
    let w = seeded(Stage::Reviewed);
    let tom = member("tom");
    w.ok(&ada(), "/badge grant @tom track-owner");
    w.ok(&ada(), "/track owner serverless @tom");
    w.ok(&tom, "/talks score p1 2 Needs a demo share: yes");
    let show = |a: &Actor| w.text(a, "/talks show p1");
    for reviewer in [tina(), tom.clone(), ada()] {
        let t = show(&reviewer).main().plain();
        assert!(
            t.contains("4/5") && t.contains("2/5"),
            "{}: {t}",
            reviewer.user_id
        );
        assert!(
            t.contains("Clear outline") && t.contains("Needs a demo"),
            "{t}"
        );
        assert!(t.contains("3.0"), "the mean: {t}");
    }
    let speaker = show(&sam()).main().plain();
    assert!(
        speaker.contains("Needs a demo"),
        "the shared comment: {speaker}"
    );
    assert!(
        !speaker.contains("Clear outline"),
        "an unshared comment: {speaker}"
    );
    assert!(
        !speaker.contains("/5") && !speaker.contains("3.0"),
        "no scores: {speaker}"
    );
    let organizer = show(&olga()).main().plain();
    assert!(
        organizer.contains("2 (scores are for the track owners)"),
        "{organizer}"
    );
    assert!(
        !organizer.contains("/5") && !organizer.contains("Needs a demo"),
        "{organizer}"
    );
    assert_eq!(
        w.text(&theo(), "/talks show p1").main().error,
        Some("denied")
    );
    assert_eq!(
        w.text(&max(), "/talks show p1").main().error,
        Some("denied")
    );
    // The ranking gives the organizer the order, not the numbers; an admin sees both.
    let ranking = w.ok(&olga(), "/talks ranking e1").main().plain();
    assert!(
        ranking.contains("1. `p1`") && ranking.contains("2 review(s)"),
        "{ranking}"
    );
    assert!(!ranking.contains("3.0/5"), "{ranking}");
    assert!(w
        .ok(&ada(), "/talks ranking e1")
        .main()
        .plain()
        .contains("3.0/5"));
    // Unsharing takes the comment back.
    w.ok(&tom, "/talks share p1 no");
    assert!(!show(&sam()).main().plain().contains("Needs a demo"));
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

#[test]
fn a_proposal_from_submission_to_a_given_talk() {
    let w = seeded(Stage::Submitted);
    // Edits until review starts.
    w.ok(&sam(), "/talks edit p1 duration: 40 min");
    let r = w.ok(&sam(), "/talks edit p1 duration: 40");
    assert!(
        r.main().text.contains("Nothing changed"),
        "{}",
        r.main().text
    );
    let queue = w.ok(&tina(), "/talks review");
    assert!(
        button_ids(queue.main()).contains(&"talk:form:score:p1"),
        "{:?}",
        queue.main().buttons
    );
    assert!(button_ids(queue.main()).contains(&"talk:form:veto:p1"));
    assert!(queue.main().text.contains("Lambda at scale"));
    assert!(w
        .ok(&theo(), "/talks review")
        .main()
        .text
        .contains("Nothing waits"));
    w.ok(&tina(), "/talks score p1 4 Clear outline share: yes");
    assert!(w
        .ok(&tina(), "/talks review")
        .main()
        .text
        .contains("Nothing waits"));
    w.fails(&sam(), "/talks edit p1 title: Renamed", "review_started");
    assert!(w
        .ok(&sam(), "/talks mine")
        .main()
        .text
        .contains("in review"));
    // The organizer accepts; nothing reaches the speaker until sent.
    let r = w.ok(&olga(), "/talks accept p1");
    assert!(dms(&r).is_empty());
    assert!(w
        .ok(&sam(), "/talks mine")
        .main()
        .text
        .contains("in review"));
    let r = w.ok(&olga(), "/talks send e1");
    let told = dms(&r);
    assert_eq!(told.len(), 1, "{}", all_text(&r));
    let (user, dm) = told[0];
    assert_eq!(user, "sam");
    assert_eq!(dm.lang, knowledge::Lang::En);
    assert!(
        dm.text.contains("is accepted for \"Serverless Night\""),
        "{}",
        dm.text
    );
    assert!(
        dm.plain().contains("Clear outline"),
        "the shared comment: {}",
        dm.plain()
    );
    assert!(button_ids(dm).contains(&"talk:form:deck:p1"));
    // The announcement names the talk and its speaker.
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
        post.plain()
            .contains("🎤 \"Lambda at scale\" — @sam (40 min"),
        "{}",
        post.plain()
    );
    let ics = w.ok(&mia(), "/event ics e1");
    let body = &ics
        .main()
        .attachment
        .as_ref()
        .expect("a calendar file")
        .body;
    let body = body.replace("\r\n ", "");
    assert!(body.contains("Lambda at scale — SAM (40 min)"), "{body}");
    // The accepted talk is public now.
    w.ok(&max(), "/talks show p1");
    // The deck, its review, and the talk given.
    w.fails(&tina(), "/talks approve p1", "bad_state");
    w.ok(&sam(), "/talks deck p1 https://example.org/v1.pdf");
    let r = w.ok(&tina(), "/talks reject p1 Slide 3 shows a customer name");
    let (_, dm) = dms(&r)[0];
    assert!(
        dm.text.contains("Slide 3 shows a customer name"),
        "{}",
        dm.text
    );
    w.fails(&tina(), "/talks approve p1", "vetoed");
    w.ok(&sam(), "/talks deck p1 https://example.org/v2.pdf");
    let r = w.ok(&tina(), "/talks approve p1");
    assert!(dms(&r)[0].1.text.contains("approved"));
    w.fails(&olga(), "/talks given p1", "bad_time");
    w.set_time("2026-12-05T23:30:00Z");
    let r = w.ok(&olga(), "/talks given p1");
    assert!(
        r.main().plain().contains("Talks given: 1"),
        "{}",
        r.main().plain()
    );
    assert!(
        button_ids(r.main()).is_empty(),
        "an organizer grants no badges"
    );
    let badges = w.ok(&ada(), "/badges @sam");
    assert!(
        badges.main().plain().contains("Talks given: 1"),
        "{}",
        badges.main().plain()
    );
    assert!(button_ids(badges.main()).contains(&"grant:speaker:sam"));
    w.press(&ada(), "grant:speaker:sam");
    assert!(!button_ids(w.ok(&ada(), "/badges @sam").main()).contains(&"grant:speaker:sam"));
    // Every step is in the audit log.
    let log = w.ok(&ada(), "/talks audit p1 --limit 50").main().plain();
    for action in [
        "propose",
        "edit",
        "score",
        "accept",
        "send",
        "deck",
        "deck-veto",
        "deck-approve",
        "given",
    ] {
        assert!(log.contains(&format!("`{action}` `p1`")), "{action}: {log}");
    }
}

#[test]
fn a_veto_ends_it_unless_the_same_owner_lifts_it() {
    let w = seeded(Stage::Submitted);
    let tom = member("tom");
    w.ok(&ada(), "/badge grant @tom track-owner");
    w.ok(&ada(), "/track owner serverless @tom");
    w.ok(&tina(), "/talks veto p1 Not for this season");
    assert!(!w
        .ok(&olga(), "/talks ranking e1")
        .main()
        .text
        .contains("p1"));
    w.fails(&olga(), "/talks accept p1", "vetoed");
    w.fails(&tom, "/talks score p1 5 I like it", "vetoed");
    w.fails(&tom, "/talks veto p1 Another reason", "vetoed");
    let before = prints(&w.db);
    w.fails(&tom, "/talks lift p1", "denied");
    assert_eq!(prints(&w.db), before);
    w.ok(&tina(), "/talks lift p1");
    w.ok(&tom, "/talks score p1 5 I like it");
    w.ok(&olga(), "/talks accept p1");
    // A veto after the accept wins, and the speaker reads it when decisions go out.
    w.ok(&tom, "/talks veto p1 Changed my mind: a duplicate of p0");
    assert!(w
        .ok(&sam(), "/talks mine")
        .main()
        .text
        .contains("in review"));
    let r = w.ok(&olga(), "/talks send e1");
    let (_, dm) = dms(&r)[0];
    assert!(
        dm.text.contains("vetoed") && dm.text.contains("a duplicate of p0"),
        "{}",
        dm.text
    );
    w.fails(&tom, "/talks lift p1", "closed");
    assert!(w.ok(&sam(), "/talks mine").main().text.contains("vetoed"));
}

#[test]
fn a_veto_of_a_proposal_for_no_event_is_told_at_once() {
    let w = seeded(Stage::Submitted);
    w.ok(
        &sam(),
        "/talks propose title: Step Functions patterns abstract: Patterns track: serverless level: 300 language: en duration: 20",
    );
    let r = w.ok(&tina(), "/talks veto p2 Too advanced for our meetups");
    let told = dms(&r);
    assert_eq!(told.len(), 1);
    assert!(told[0].1.text.contains("Too advanced"));
    let r = w.ok(&tina(), "/talks lift p2");
    assert!(dms(&r)[0].1.text.contains("lifted"));
}

#[test]
fn a_veto_without_a_reason_is_refused_and_changes_nothing() {
    let w = seeded(Stage::Submitted);
    let before = prints(&w.db);
    for line in [
        "/talks veto p1",
        "/talks veto p1    ",
        "/talks 否决 p1",
        "/palestras vetar p1",
    ] {
        let r = w.fails(&tina(), line, "missing_field");
        let t = r.main().text.to_string();
        assert!(
            t.contains("talks veto p1")
                && (t.contains("REASON") || t.contains("理由") || t.contains("MOTIVO")),
            "{line}: {t}"
        );
    }
    // Through the form too, and the slash command.
    let r = w.cmds.handle(
        &tina(),
        Input::Form {
            id: "talk-form:veto:p1".into(),
            values: vec![("reason".into(), "   ".into())],
        },
    );
    assert_eq!(
        r.main().error,
        Some("missing_field"),
        "{}",
        r.main().plain()
    );
    let r = w.cmds.handle(
        &tina(),
        Input::Slash(commands::Invocation {
            command: "talks".into(),
            sub: Some("veto".into()),
            options: vec![("proposal".into(), "p1".into())],
        }),
    );
    assert_eq!(r.main().error, Some("missing_field"));
    // A deck veto and a decline need one as well.
    w.fails(&olga(), "/talks decline p1", "missing_field");
    assert_eq!(prints(&w.db), before);
}

#[test]
fn bad_input_says_what_to_type_and_changes_nothing() {
    let w = seeded(Stage::Submitted);
    w.ok(&tina(), "/talks score p1 4 Fine");
    let before = prints(&w.db);
    let big = "x".repeat(50 * 1024);
    let cases: Vec<(Actor, String, &str, &str)> = vec![
        (sam(), PROPOSE.replace("serverless", "quantum"), "unknown_track", "data, serverless"),
        (tina(), "/talks score p1 7 Great".into(), "bad_number", "from 1 to 5"),
        (tina(), "/talks score p1 great talk".into(), "bad_number", "from 1 to 5"),
        (tina(), "/talks score p1 4".into(), "missing_field", "talks score p1 4 COMMENT"),
        (tina(), "/talks veto p1".into(), "missing_field", "talks veto p1 REASON"),
        (sam(), "/talks edit p1 title: New".into(), "review_started", "talks withdraw p1"),
        (
            sam(),
            format!("/talks propose title: Big abstract: {big} track: data level: 200 language: en duration: 20"),
            "too_long",
            "at most 3000 characters",
        ),
        (
            sam(),
            "/talks propose title: Bell\u{7} abstract: x track: data level: 200 language: en duration: 20".into(),
            "control_characters",
            "plain text",
        ),
        (sam(), PROPOSE.replace("advanced", "wizard"), "bad_value", "introductory (100)"),
        (sam(), PROPOSE.replace("language: pt", "language: klingon"), "bad_value", "en, zh or pt"),
        (sam(), PROPOSE.replace("duration: 30", "duration: 600"), "bad_value", "from 5 to 180"),
        (sam(), PROPOSE.replace("event: e1", "event: e9"), "not_found", "`events`"),
        (sam(), "/talks propose title: Only a title".into(), "missing_field", "abstract"),
        (sam(), "/talks deck p1 https://example.org/x".into(), "bad_state", "not been accepted"),
        (tina(), "/talks score p9 4 Fine".into(), "not_found", "talks mine"),
        (ada(), "/track add bad/id Bad".into(), "bad_value", "lowercase letters"),
        (ada(), "/track owner data @max".into(), "not_track_owner", "badge grant @max track-owner"),
        (olga(), "/talks accept p1 event: e7".into(), "bad_value", "for event e1"),
        (tina(), "/talks share p1 perhaps".into(), "bad_value", "share: yes"),
    ];
    for (who, line, code, says) in cases {
        let r = w.fails(&who, &line, code);
        let shown: String = line.chars().take(60).collect();
        assert!(r.main().text.contains(says), "{shown}: {}", r.main().text);
        assert!(
            r.main().text.len() < 2000,
            "{shown}: the reply does not echo the input"
        );
        assert_eq!(prints(&w.db), before, "{shown} changed the store");
    }
    // A proposal sent twice (a replayed form) is the one there is.
    let r = w.fails(&sam(), PROPOSE, "duplicate");
    assert!(r.main().text.contains("as p1"), "{}", r.main().text);
    // Replayed presses act once.
    w.ok(&olga(), "/talks accept p1");
    let before = prints(&w.db);
    let r = w.press(&olga(), "talk:accept:p1");
    assert!(
        r.main().ok && r.main().text.contains("Nothing changed"),
        "{}",
        r.main().plain()
    );
    assert_eq!(prints(&w.db), before);
    w.press(&olga(), "talk:send:e1");
    let before = prints(&w.db);
    let r = w.press(&olga(), "talk:send:e1");
    assert!(r.main().ok && r.main().text.contains("Nothing changed"));
    assert!(dms(&r).is_empty(), "a replayed send tells nobody again");
    assert_eq!(prints(&w.db), before);
    w.fails(&olga(), "/talks decline p1 Too late", "closed");
    let r = w.press(&olga(), "talk:nonsense:p1");
    assert_eq!(r.main().error, Some("unknown_button"));
}

#[test]
fn pending_decisions_are_sent_once_even_across_restarts() {
    let w = World::on_disk();
    seed(&w, Stage::Submitted);
    let pt = member("lia").with_locale(Some(knowledge::Lang::Pt));
    let zh = member("wei").with_locale(Some(knowledge::Lang::Zh));
    w.ok(
        &pt,
        "/palestras propor título: Dados na borda resumo: IoT e analytics trilha: data nível: intermediário idioma: pt duração: 25 evento: e1",
    );
    w.ok(
        &zh,
        "/演讲 提交 标题: 无服务器的成本 摘要: 成本分析 方向: serverless 级别: 入门 语言: zh 时长: 20 活动: e1",
    );
    w.ok(&tina(), "/talks score p1 5 Strong");
    w.ok(&theo(), "/talks score p2 3 Fine");
    w.ok(&tina(), "/talks veto p3 Overlaps with p1");
    w.ok(&olga(), "/talks accept p1");
    w.ok(&olga(), "/talks decline p2 The agenda is full");
    let w = w.reopen();
    // Still pending after the restart.
    let ranking = w.ok(&olga(), "/talks ranking e1").main().plain();
    assert!(
        ranking.contains("accepted, not sent") && ranking.contains("declined, not sent"),
        "{ranking}"
    );
    assert!(ranking.contains("Vetoed (left out): 1"), "{ranking}");
    let r = w.ok(&olga(), "/talks send e1");
    let mut told: Vec<(&str, String, knowledge::Lang)> = dms(&r)
        .into_iter()
        .map(|(u, x)| (u, x.text.to_string(), x.lang))
        .collect();
    told.sort_by_key(|(u, _, _)| u.to_string());
    assert_eq!(told.len(), 3, "{}", all_text(&r));
    assert_eq!(told[0].0, "lia");
    assert_eq!(told[0].2, knowledge::Lang::Pt);
    assert!(
        told[0].1.contains("não foi aceita") && told[0].1.contains("The agenda is full"),
        "{}",
        told[0].1
    );
    assert_eq!(told[1].0, "sam");
    assert!(told[1].1.contains("is accepted"), "{}", told[1].1);
    assert_eq!(told[2].0, "wei");
    assert_eq!(told[2].2, knowledge::Lang::Zh);
    assert!(
        told[2].1.contains("否决") && told[2].1.contains("Overlaps with p1"),
        "{}",
        told[2].1
    );
    // Never again: not now, not after another restart.
    assert!(dms(&w.ok(&olga(), "/talks send e1")).is_empty());
    let w = w.reopen();
    let r = w.ok(&olga(), "/talks send e1");
    assert!(dms(&r).is_empty() && r.main().text.contains("Nothing changed"));
    assert!(w
        .ok(&sam(), "/talks mine")
        .main()
        .text
        .contains("accepted for e1"));
}

#[test]
fn concurrent_reviews_of_one_proposal_each_count_once() {
    let seed: u64 = std::env::var("TALKS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_7a1c);
    println!("concurrent reviews: seed {seed}");
    const OWNERS: usize = 12;
    let w = Arc::new(seeded(Stage::Submitted));
    let mut x = seed;
    let mut next = move || {
        // xorshift: a seeded, printed sequence of scores.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let owners: Vec<(String, u8)> = (0..OWNERS)
        .map(|i| (format!("owner{i:02}"), (next() % 5 + 1) as u8))
        .collect();
    for (o, _) in &owners {
        w.ok(&ada(), &format!("/badge grant @{o} track-owner"));
        w.ok(&ada(), &format!("/track owner serverless @{o}"));
    }
    let barrier = Arc::new(Barrier::new(OWNERS * 2));
    let handles: Vec<_> = owners
        .iter()
        .flat_map(|(o, score)| {
            // Each owner sends the same review twice at once (a double click).
            (0..2).map(|_| {
                let (w, barrier, o, score) = (w.clone(), barrier.clone(), o.clone(), *score);
                std::thread::spawn(move || {
                    barrier.wait();
                    let r = w.text(
                        &member(&o),
                        &format!("/talks score p1 {score} Comment of {o}"),
                    );
                    (o, r.main().ok, r.main().text.to_string())
                })
            })
        })
        .collect();
    let results: Vec<(String, bool, String)> = handles
        .into_iter()
        .map(|h| h.join().expect("no panic"))
        .collect();
    let mut first = 0;
    for (o, ok, text) in &results {
        assert!(ok, "{o}: {text}");
        if text.contains("You scored p1") {
            first += 1;
        } else {
            assert!(text.contains("Nothing changed"), "{o}: {text}");
        }
    }
    assert_eq!(first, OWNERS, "each owner's review counts once");
    let show = w.ok(&ada(), "/talks show p1").main().plain();
    let mean = owners.iter().map(|(_, s)| f64::from(*s)).sum::<f64>() / OWNERS as f64;
    assert!(
        show.contains(&format!("{mean:.1} ({OWNERS})")),
        "seed {seed}: {show}"
    );
    for (o, s) in &owners {
        assert!(
            show.contains(&format!("@{o} {s}/5")),
            "seed {seed}: {o} in {show}"
        );
    }
    let log = w.ok(&ada(), "/talks audit p1 --limit 200").main().plain();
    assert_eq!(
        log.matches("`score` `p1`").count(),
        OWNERS,
        "seed {seed}: {log}"
    );
    // Two owners vetoing at once: one veto stands, the other is told so.
    let barrier = Arc::new(Barrier::new(2));
    let vetoes: Vec<_> = ["owner00", "owner01"]
        .into_iter()
        .map(|o| {
            let (w, barrier) = (w.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                w.text(&member(o), &format!("/talks veto p1 Veto by {o}"))
                    .main()
                    .error
            })
        })
        .collect();
    let mut errors: Vec<Option<&str>> = vetoes.into_iter().map(|h| h.join().unwrap()).collect();
    errors.sort();
    assert_eq!(errors, [None, Some("vetoed")]);
}

#[test]
fn deck_reminders_three_days_and_one_day_before_once_each() {
    let w = World::on_disk();
    seed(&w, Stage::Sent);
    // Due 7 days before the event: 2026-11-28 22:00Z.
    assert!(w
        .ok(&sam(), "/talks mine")
        .main()
        .text
        .contains("slides due Sat 28 Nov 2026"));
    let decks = |r: &Response| {
        r.replies
            .iter()
            .filter(|x| x.text.contains("slides for your talk"))
            .count()
    };
    w.set_time("2026-11-25T21:59:00Z");
    assert_eq!(decks(&w.cmds.tick()), 0);
    w.set_time("2026-11-25T22:00:00Z");
    let r = w.cmds.tick();
    assert_eq!(decks(&r), 1);
    assert!(
        r.replies[0].text.contains("in 3 day(s)"),
        "{}",
        r.replies[0].text
    );
    assert_eq!(decks(&w.cmds.tick()), 0, "once");
    let w = w.reopen();
    assert_eq!(decks(&w.cmds.tick()), 0, "once, after a restart too");
    w.set_time("2026-11-27T22:00:00Z");
    let r = w.cmds.tick();
    assert_eq!(decks(&r), 1);
    assert!(r.replies[0].text.contains("in 1 day(s)"));
    // A speaker who sent the deck hears no more.
    let w2 = seeded(Stage::Deck);
    w2.set_time("2026-11-27T22:00:00Z");
    assert_eq!(decks(&w2.cmds.tick()), 0);
}

#[test]
fn the_framework_in_the_readers_language() {
    let w = seeded(Stage::Submitted);
    w.ok(
        &tina(),
        "/track publish serverless season: 2026 themes: Event-driven design cover: A system in production audience: 200-300",
    );
    w.ok(
        &tina(),
        "/track publish serverless season: 2026 themes: Arquitetura orientada a eventos cover: Um sistema em produção audience: 200-300 language: pt",
    );
    let en = w.ok(&max(), "/talks framework serverless").main().plain();
    assert!(
        en.contains("Event-driven design") && en.contains("framework 2026"),
        "{en}"
    );
    let pt = w
        .ok(&max(), "/palestras diretrizes serverless")
        .main()
        .plain();
    assert!(pt.contains("Arquitetura orientada a eventos"), "{pt}");
    let zh = w.ok(&max(), "/演讲 框架 serverless").main().plain();
    assert!(
        zh.contains("Event-driven design") && zh.contains("暂无中文版"),
        "{zh}"
    );
    // A new season starts afresh.
    w.ok(&tina(), "/track publish serverless season: 2027 themes: Durable functions cover: Failure audience: 300");
    let pt = w
        .ok(&max(), "/palestras diretrizes serverless")
        .main()
        .plain();
    assert!(
        pt.contains("Durable functions") && pt.contains("ainda não em português"),
        "{pt}"
    );
    assert!(w
        .ok(&max(), "/track list")
        .main()
        .text
        .contains("framework 2027"));
}

#[test]
fn forms_ask_for_what_a_command_lacks_and_come_back_as_commands() {
    let w = seeded(Stage::Submitted);
    let r = w.ok(&max(), "/talks propose");
    let form = r.main().form.clone().expect("a form");
    assert_eq!(form.id, "talk-form:propose");
    assert!(form.fields.len() <= commands::forms::MAX_FIELDS);
    assert!(form.title.chars().count() <= commands::forms::MAX_TITLE);
    assert!(r.main().text.contains("title: "), "{}", r.main().text);
    // Where a reply cannot open it (a typed message on Discord or Slack), a button does.
    let open = &r.main().buttons[0];
    assert_eq!(open.id, "talk:form:propose");
    assert_eq!(w.press(&max(), &open.id).main().form.as_ref(), Some(&form));
    // Filled in the terminal's way.
    let mut draft = form.draft();
    for line in [
        "title: Cold starts, measured",
        "abstract: What we measured",
        "and what we changed.",
        "track: Serverless",
        "details: intermediate, en, 25 min",
    ] {
        assert!(matches!(draft.feed(line), Feed::More(_)), "{line}");
    }
    let Feed::Done(input) = draft.feed("") else {
        panic!("the form is complete")
    };
    let r = w.cmds.handle(&max(), input.clone());
    assert!(r.main().ok, "{}", r.main().plain());
    let show = w.ok(&max(), "/talks show p2").main().plain();
    assert!(
        show.contains("What we measured\nand what we changed."),
        "{show}"
    );
    assert!(
        show.contains("intermediate (200) · English · 25 min"),
        "{show}"
    );
    // The same form sent again is refused.
    assert_eq!(w.cmds.handle(&max(), input).main().error, Some("duplicate"));
    // An owner's score by button and form.
    let r = w.press(&tina(), "talk:form:score:p2");
    let form = r.main().form.clone().expect("a score form");
    assert_eq!(form.id, "talk-form:score:p2");
    let r = w.cmds.handle(
        &tina(),
        Input::Form {
            id: form.id,
            values: vec![
                ("score".into(), "5".into()),
                ("comment".into(), "Numbers!".into()),
                ("share".into(), "yes".into()),
            ],
        },
    );
    assert!(
        r.main().text.contains("You scored p2 5/5"),
        "{}",
        r.main().plain()
    );
    // The edit form holds what is there.
    let r = w.press(&sam(), "talk:form:edit:p1");
    let form = r.main().form.as_ref().expect("an edit form");
    let title = form.fields.iter().find(|f| f.name == "title").unwrap();
    assert_eq!(title.value.as_deref(), Some("Lambda at scale"));
    let details = form.fields.iter().find(|f| f.name == "details").unwrap();
    assert_eq!(details.value.as_deref(), Some("advanced, pt, 30"));
    // A form nobody made is refused.
    let r = w.cmds.handle(
        &sam(),
        Input::Form {
            id: "talk-form:explode".into(),
            values: vec![],
        },
    );
    assert_eq!(r.main().error, Some("unknown_button"));
}

#[test]
fn track_owners_come_from_the_badge_or_the_configuration() {
    let mut cfg = config();
    cfg.talks
        .track_owners
        .insert(Platform::Terminal, vec!["cora".into()]);
    let w = World::with_config(cfg);
    w.ok(&ada(), "/track add data Data");
    w.ok(&ada(), "/track owner data @cora");
    w.fails(&ada(), "/track owner data @max", "not_track_owner");
    w.ok(&ada(), "/badge grant @max track-owner");
    w.ok(&ada(), "/track owner data @max");
    w.ok(&member("max"), "/talks review");
    // Without the badge an owner loses the track's rights.
    w.ok(&ada(), "/badge revoke @max track-owner");
    w.fails(&member("max"), "/talks review", "denied");
    w.ok(&member("cora"), "/talks review");
}
