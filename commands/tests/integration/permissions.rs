//! Who may do what: every command at every level, refusals that change nothing, and the
//! ways a member becomes an organizer or an admin.

use crate::support::*;
use commands::events::EventFields;
use commands::text::UserRef;
use commands::{Actor, Command, Input, Level, Platform};

/// A world where every command has something to act on: event e1 by olga, call v1 on it
/// (host:3 onsite:2) with ada, olga and mia signed up as host, mia holding Speaker, and a
/// question mia asked. Returns the world and the question's feedback id.
fn seeded() -> (World, String) {
    let w = World::new();
    assert_eq!(w.announce_standard(&olga()), "e1");
    w.ok(&olga(), "/volunteer call e1 host:3 onsite:2");
    for a in [ada(), olga(), mia()] {
        w.ok(&a, "/volunteer signup v1 host");
    }
    w.ok(&ada(), "/badge grant @mia speaker");
    let r = w.ok(&mia(), "/ask How do I become a Community Builder?");
    let qid = button_ids(r.main())
        .into_iter()
        .find_map(|id| id.strip_prefix("fb:up:"))
        .expect("a feedback button")
        .to_string();
    (w, qid)
}

/// One command of the matrix: what is sent, the level it needs, and whether it only
/// makes sense once the event has started.
struct Case {
    label: &'static str,
    input: Box<dyn Fn(&str) -> Input>,
    needs: Level,
    after_start: bool,
}

fn text(label: &'static str, needs: Level) -> Case {
    Case {
        label,
        input: Box::new(move |_| Input::Text(label.to_string())),
        needs,
        after_start: false,
    }
}

fn press(label: &'static str, needs: Level, id: impl Fn(&str) -> String + 'static) -> Case {
    Case {
        label,
        input: Box::new(move |qid| Input::Press(id(qid))),
        needs,
        after_start: false,
    }
}

fn structured(label: &'static str, needs: Level, c: impl Fn() -> Command + 'static) -> Case {
    Case {
        label,
        input: Box::new(move |_| Input::Command(c())),
        needs,
        after_start: false,
    }
}

fn cases() -> Vec<Case> {
    use Level::*;
    vec![
        // Everyone.
        text("/help", Member),
        text("/ask How do I join a user group?", Member),
        text("/next", Member),
        text("/next @mia", Member),
        text("/badges", Member),
        text("/badges @mia", Member),
        text("/badge list", Member),
        text("/events", Member),
        text("/event ics e1", Member),
        text("/volunteer signup v1 host", Member),
        text("/volunteer withdraw v1", Member),
        text("/kb stats", Member),
        press("press fb:up", Member, |q| format!("fb:up:{q}")),
        press("press fb:down", Member, |q| format!("fb:down:{q}")),
        press("press ics:e1", Member, |_| "ics:e1".into()),
        press("press vol:signup", Member, |_| "vol:signup:v1:host".into()),
        press("press vol:withdraw", Member, |_| "vol:withdraw:v1".into()),
        press("press ask:", Member, |_| "ask:Community Builders".into()),
        // Organizers (user-group leaders) and admins.
        text(
            "/announce title: Cloud Day start: 2026-12-12 10:00 place: Online",
            Organizer,
        ),
        structured("Command::Announce", Organizer, || {
            Command::Announce(EventFields {
                title: Some("Structured Day".into()),
                start: Some("2026-12-13 10:00".into()),
                ..EventFields::default()
            })
        }),
        text("/event edit e1 place: Room 2", Organizer),
        text("/event cancel e1", Organizer),
        text("/volunteer call e1 prep:2", Organizer),
        text("/volunteer roster v1", Organizer),
        Case {
            after_start: true,
            ..text("/volunteer attended v1 @mia", Organizer)
        },
        // Admins only.
        text("/badge grant @mia volunteer", Admin),
        text("/badge grant @mia hero serverless Lambda workshops", Admin),
        text("/badge revoke @mia speaker", Admin),
        text("/audit", Admin),
        text("/audit @mia --limit 5", Admin),
        text("/kb gaps", Admin),
        text("/kb gaps 5", Admin),
        text("/kb reload", Admin),
        press("press grant:volunteer:mia", Admin, |_| {
            "grant:volunteer:mia".into()
        }),
        structured("Command::BadgeGrant", Admin, || Command::BadgeGrant {
            user: UserRef("mia".into()),
            badge: "track-owner".into(),
            category: None,
            note: None,
        }),
        structured("Command::BadgeRevoke", Admin, || Command::BadgeRevoke {
            user: UserRef("mia".into()),
            badge: "speaker".into(),
            category: None,
        }),
        structured("Command::Audit", Admin, || Command::Audit {
            user: None,
            limit: 3,
        }),
        structured("Command::KbGaps", Admin, || Command::KbGaps { limit: 3 }),
        structured("Command::KbReload", Admin, || Command::KbReload),
    ]
}

#[test]
fn every_command_at_every_level() {
    let actors = [
        (mia(), Level::Member),
        (olga(), Level::Organizer),
        (ada(), Level::Admin),
    ];
    for case in cases() {
        let (w, qid) = seeded();
        if case.after_start {
            w.set_time("2026-12-05T22:30:00Z");
        }
        for (actor, level) in &actors {
            assert_eq!(w.cmds.level(actor), *level);
            let before = w.fingerprint();
            let r = w.cmds.handle(actor, (case.input)(&qid));
            let who = level_name(*level);
            if *level < case.needs {
                assert!(
                    !r.main().ok,
                    "{}: a {who} was allowed: {}",
                    case.label,
                    r.main().plain()
                );
                assert_eq!(
                    r.main().error,
                    Some("denied"),
                    "{} by a {who}: {}",
                    case.label,
                    r.main().plain()
                );
                assert!(
                    r.main().text.contains("Nothing was changed"),
                    "{}: {}",
                    case.label,
                    r.main().text
                );
                assert_eq!(r.replies.len(), 1, "{}: a refusal is one reply", case.label);
                assert_eq!(
                    r.main().destination,
                    commands::Destination::Private,
                    "{}",
                    case.label
                );
                assert!(
                    r.effects.is_empty(),
                    "{}: a refusal has no effects",
                    case.label
                );
                assert_eq!(
                    w.fingerprint(),
                    before,
                    "{} by a {who} changed the store",
                    case.label
                );
            } else {
                assert!(
                    r.main().ok,
                    "{} by a {who} failed: {:?} {}",
                    case.label,
                    r.main().error,
                    r.main().plain()
                );
                assert_eq!(r.main().error, None, "{}", case.label);
            }
        }
    }
}

#[test]
fn organizers_may_change_only_their_own_events_and_calls() {
    let (w, _) = seeded();
    let before = w.fingerprint();
    for line in [
        "/event edit e1 title: Hijacked",
        "/event cancel e1",
        "/volunteer call e1 host:1",
    ] {
        let r = w.fails(&oscar(), line, "denied");
        assert!(
            r.main().text.contains("Nothing was changed"),
            "{line}: {}",
            r.main().text
        );
    }
    // Reading a roster changes nothing; the refusal says who may read it instead.
    let r = w.fails(&oscar(), "/volunteer roster v1", "denied");
    assert!(
        r.main()
            .text
            .contains("Only the organizer who posted v1, or an admin"),
        "{}",
        r.main().text
    );
    assert_eq!(w.fingerprint(), before);
    w.set_time("2026-12-05T22:30:00Z");
    w.fails(&oscar(), "/volunteer attended v1 @mia", "denied");
    assert_eq!(
        w.fingerprint(),
        before,
        "a refused organizer changed the store"
    );
    // The owner and any admin may.
    w.ok(&olga(), "/volunteer attended v1 @mia");
    w.ok(&ada(), "/volunteer roster v1");
}

#[test]
fn an_organizer_on_another_platform_cannot_change_the_event() {
    let (w, _) = seeded();
    let discord_org = Actor::new(Platform::Discord, "olga", "Olga").with_roles(["R-ORG"]);
    assert_eq!(w.cmds.level(&discord_org), Level::Organizer);
    let before = w.fingerprint();
    let r = w
        .cmds
        .handle(&discord_org, Input::Text("/event cancel e1".into()));
    assert_eq!(r.main().error, Some("denied"));
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn the_user_group_leader_badge_makes_a_member_an_organizer() {
    let w = World::new();
    let otto = otto();
    assert_eq!(w.cmds.level(&otto), Level::Member);
    let announce = "/announce title: Otto's meetup start: 2026-12-10 19:00";
    let before = w.fingerprint();
    w.fails(&otto, announce, "denied");
    assert_eq!(w.fingerprint(), before);

    w.ok(&ada(), "/badge grant @otto user group leader");
    assert_eq!(w.cmds.level(&otto), Level::Organizer);
    w.ok(&otto, announce);
    w.ok(&otto, "/volunteer call e1 host:1");
    w.ok(&otto, "/volunteer roster v1");
    // Organizer, not admin.
    w.fails(&otto, "/badge grant @mia speaker", "denied");
    w.fails(&otto, "/audit", "denied");

    // The badge counts on its own platform only.
    let discord_otto = Actor::new(Platform::Discord, "otto", "Otto");
    assert_eq!(w.cmds.level(&discord_otto), Level::Member);

    w.ok(&ada(), "/badge revoke @otto user-group-leader");
    assert_eq!(w.cmds.level(&otto), Level::Member);
    let before = w.fingerprint();
    w.fails(
        &otto,
        "/announce title: Again start: 2026-12-11 19:00",
        "denied",
    );
    w.fails(&otto, "/volunteer roster v1", "denied");
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn the_platform_admin_flag_makes_an_admin() {
    let w = World::new();
    let slack_boss = Actor::new(Platform::Slack, "U0BOSS", "Boss").with_platform_admin(true);
    assert_eq!(w.cmds.level(&slack_boss), Level::Admin);
    let r = w.cmds.handle(
        &slack_boss,
        Input::Text("/badge grant @U0MIA speaker".into()),
    );
    assert!(r.main().ok, "{}", r.main().plain());
    assert_eq!(
        r.effects,
        [commands::Effect::BadgeGranted {
            platform: Platform::Slack,
            user: "U0MIA".into(),
            badge: "speaker"
        }]
    );
    let plain_slack = Actor::new(Platform::Slack, "U0BOSS", "Boss");
    assert_eq!(w.cmds.level(&plain_slack), Level::Member);
}

#[test]
fn configured_ids_and_roles_count_per_platform() {
    let w = World::new();
    let cases = [
        (Actor::new(Platform::Terminal, "ada", "Ada"), Level::Admin),
        (Actor::new(Platform::Discord, "ada", "Ada"), Level::Member),
        (Actor::new(Platform::Discord, "D-ADA", "Ada"), Level::Admin),
        (Actor::new(Platform::Slack, "D-ADA", "Ada"), Level::Member),
        (
            Actor::new(Platform::Terminal, "olga", "Olga"),
            Level::Organizer,
        ),
        (Actor::new(Platform::Slack, "olga", "Olga"), Level::Member),
        (
            Actor::new(Platform::Discord, "1", "A").with_roles(["R-ADMIN"]),
            Level::Admin,
        ),
        (
            Actor::new(Platform::Discord, "2", "O").with_roles(["x", "R-ORG"]),
            Level::Organizer,
        ),
        (
            Actor::new(Platform::Discord, "3", "M").with_roles(["x"]),
            Level::Member,
        ),
        (
            Actor::new(Platform::Slack, "1", "A").with_roles(["R-ADMIN"]),
            Level::Member,
        ),
        (
            Actor::new(Platform::Slack, "2", "O").with_roles(["R-ORG"]),
            Level::Member,
        ),
    ];
    for (actor, want) in &cases {
        assert_eq!(w.cmds.level(actor), *want, "{actor:?}");
    }

    // And it decides what they may do.
    let discord_admin = Actor::new(Platform::Discord, "1", "A").with_roles(["R-ADMIN"]);
    let r = w.cmds.handle(
        &discord_admin,
        Input::Text("/badge grant @42 volunteer".into()),
    );
    assert!(r.main().ok, "{}", r.main().plain());
    let discord_org = Actor::new(Platform::Discord, "2", "O").with_roles(["R-ORG"]);
    let r = w.cmds.handle(
        &discord_org,
        Input::Text("/announce title: Discord night start: 2026-12-07 19:00".into()),
    );
    assert!(r.main().ok, "{}", r.main().plain());

    let before = w.fingerprint();
    let slack_with_discord_role = Actor::new(Platform::Slack, "1", "A").with_roles(["R-ADMIN"]);
    let r = w.cmds.handle(
        &slack_with_discord_role,
        Input::Text("/badge grant @U42 volunteer".into()),
    );
    assert_eq!(r.main().error, Some("denied"));
    let slack_with_org_role = Actor::new(Platform::Slack, "2", "O").with_roles(["R-ORG"]);
    let r = w.cmds.handle(
        &slack_with_org_role,
        Input::Text("/announce title: Slack night start: 2026-12-07 19:00".into()),
    );
    assert_eq!(r.main().error, Some("denied"));
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn a_member_pressing_an_admin_button_changes_nothing() {
    let (w, _) = seeded();
    let before = w.fingerprint();
    let r = w.press(&mia(), "grant:volunteer:mia");
    assert_eq!(r.main().error, Some("denied"));
    assert!(r.effects.is_empty());
    assert_eq!(w.fingerprint(), before);
}
