//! The welcome on joining (in the member's language, with buttons for a language and a
//! group, a group giving a platform role) and "Still need help?" (the question and the
//! bot's answer to the help desk in a thread, the helpers' answers in `kb gaps`).

use commands::journey::{Group, Places};
use commands::{Actor, Command, Destination, Effect, Input, Platform, Response};
use knowledge::Lang;

use crate::support::*;

fn journey_config() -> commands::Config {
    let mut cfg = config();
    cfg.journey.welcome.enabled = true;
    cfg.journey.groups = vec![
        Group {
            id: "recife".into(),
            names: ["Recife".into(), "累西腓".into(), "Recife".into()],
            roles: [
                (Platform::Discord, "900000000000000001".to_string()),
                (Platform::Slack, "S0RECIFE".to_string()),
            ]
            .into(),
        },
        Group {
            id: "sao-paulo".into(),
            names: ["São Paulo".into(), "圣保罗".into(), "São Paulo".into()],
            roles: [(Platform::Discord, "900000000000000002".to_string())].into(),
        },
    ];
    cfg.journey.places.insert(
        Platform::Discord,
        Places {
            welcome: Some("200000000000000005".into()),
            help_desk: Some("200000000000000006".into()),
            helper_roles: vec!["900000000000000009".into()],
            language: Some(Lang::En),
            ..Places::default()
        },
    );
    cfg
}

fn join(w: &World, who: &Actor) -> Response {
    w.cmds.handle(who, Input::Command(Command::MemberJoined))
}

fn newcomer() -> Actor {
    Actor {
        locale: Some(Lang::Pt),
        ..Actor::new(Platform::Discord, "D-NEW", "Nova")
    }
}

#[test]
fn a_member_who_joins_is_welcomed_in_their_language_and_picks_a_group() {
    let w = World::with_config(journey_config());
    let r = join(&w, &newcomer());
    let dm = &r.replies[0];
    assert_eq!(
        dm.destination,
        Destination::Direct {
            platform: Platform::Discord,
            user: "D-NEW".into()
        }
    );
    assert_eq!(dm.lang, Lang::Pt);
    assert!(
        dm.title.as_deref().unwrap_or("").contains("Boas-vindas"),
        "{:?}",
        dm.title
    );
    let ids = button_ids(dm);
    for id in [
        "lang:en",
        "lang:zh",
        "lang:pt",
        "group:recife",
        "group:sao-paulo",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    // The public line, in the channel's language, mentioning the member.
    let line = &r.replies[1];
    assert_eq!(
        line.destination,
        Destination::Channel {
            platform: Platform::Discord,
            channel: "200000000000000005".into()
        }
    );
    assert!(line.text.contains("Please welcome"), "{}", line.text);
    assert_eq!(line.mention_users, ["D-NEW"]);

    // Joining again (or the join delivered twice) does not welcome twice.
    let again = join(&w, &newcomer());
    assert!(
        again
            .replies
            .iter()
            .all(|r| matches!(r.destination, Destination::Private)),
        "{:?}",
        again.replies
    );

    // A group gives its role; another takes it back and gives its own.
    let r = w.press(&newcomer(), "group:recife");
    assert!(r.main().text.contains("Recife"), "{}", r.main().text);
    assert_eq!(
        r.effects,
        [Effect::RoleGranted {
            platform: Platform::Discord,
            user: "D-NEW".into(),
            role: "900000000000000001".into()
        }]
    );
    let r = w.press(&newcomer(), "group:recife");
    assert!(r.main().text.contains("Nada mudou"), "{}", r.main().text);
    assert!(r.effects.is_empty());
    let r = w.press(&newcomer(), "group:sao-paulo");
    assert!(r.effects.contains(&Effect::RoleRevoked {
        platform: Platform::Discord,
        user: "D-NEW".into(),
        role: "900000000000000001".into()
    }));
    assert!(r.effects.contains(&Effect::RoleGranted {
        platform: Platform::Discord,
        user: "D-NEW".into(),
        role: "900000000000000002".into()
    }));
    // An unknown group says which there are, and changes nothing.
    let r = w.press(&newcomer(), "group:mars");
    assert_eq!(r.main().error, Some("unknown_group"));
    assert!(
        r.main().text.contains("recife, sao-paulo"),
        "{}",
        r.main().text
    );

    // The language picked wins over the client's from then on.
    let r = w.press(&newcomer(), "lang:zh");
    assert_eq!(r.main().lang, Lang::Zh);
    let r = w.text(&newcomer(), "/badges");
    assert_eq!(r.main().lang, Lang::Zh, "{}", r.main().text);
}

#[test]
fn the_welcome_can_be_off() {
    let w = World::new();
    let r = join(&w, &newcomer());
    assert_eq!(r.replies.len(), 1);
    assert_eq!(r.main().destination, Destination::Private);
    assert!(r.main().text.contains("[welcome]"), "{}", r.main().text);
}

/// The id of the hand-off button on a reply, if it has one.
fn handoff_button(r: &Response) -> Option<String> {
    r.main()
        .buttons
        .iter()
        .map(|b| b.id.clone())
        .find(|id| id.starts_with("handoff:"))
}

#[test]
fn a_question_is_handed_to_people_and_their_answer_shows_in_kb_gaps() {
    let w = World::new();
    let r = w.text(&mia(), "How do I become an AWS Community Builder?");
    let answered = handoff_button(&r).expect("an answer carries the button");
    let r = w.text(&mia(), "Who won the chess world cup in 1950?");
    assert!(!r.main().answer.as_ref().expect("an answer").answered);
    let declined = handoff_button(&r).expect("a decline carries the button");

    let r = w.press(&mia(), &declined);
    assert!(r.main().ok, "{}", r.main().text);
    assert!(
        r.main().text.contains("handed your question"),
        "{}",
        r.main().text
    );
    let root = &r.replies[1];
    let Destination::Thread {
        channel, members, ..
    } = &root.destination
    else {
        panic!("a thread in the help desk: {:?}", root.destination);
    };
    assert_eq!(channel, "help-desk");
    assert_eq!(members, &["mia"]);
    let post = root.plain();
    assert!(post.contains("chess world cup"), "the question: {post}");
    assert!(
        post.contains("I could not answer it"),
        "the bot's answer: {post}"
    );
    let key = root.post_key.clone().expect("recorded for the thread");
    assert_eq!(
        r.replies[2].destination,
        Destination::InThread { key: key.clone() }
    );

    // Pressed twice, it is not posted twice.
    let r = w.press(&mia(), &declined);
    assert_eq!(r.replies.len(), 1);
    assert!(
        r.main().text.contains("Nothing changed"),
        "{}",
        r.main().text
    );

    // What a helper writes in the thread is kept; the member's own messages are not.
    for (who, text) in [
        (mia(), "thanks, waiting"),
        (
            olga(),
            "It was Uruguay vs Brazil in football; chess has no world cup like that.",
        ),
    ] {
        w.cmds.handle(
            &who,
            Input::Command(Command::ThreadReply {
                thread: key.clone(),
                text: text.into(),
            }),
        );
    }
    let gaps = w.ok(&ada(), "/kb gaps").main().text.to_string();
    assert!(gaps.contains("handed over"), "{gaps}");
    assert!(gaps.contains("answered by @olga"), "{gaps}");
    assert!(gaps.contains("Uruguay"), "{gaps}");
    assert!(!gaps.contains("thanks, waiting"), "{gaps}");

    // A few a day per member ([handoff] per_day, 3 by default).
    let mut handed = 1;
    let r = w.press(&mia(), &answered);
    assert!(r.main().ok, "{}", r.main().text);
    handed += 1;
    let mut refused = None;
    for q in [
        "What is a Cloud Club?",
        "How do I volunteer at an event?",
        "What is the AWS Heroes program?",
        "How do I start a user group?",
    ] {
        let Some(b) = handoff_button(&w.text(&mia(), q)) else {
            continue;
        };
        let r = w.press(&mia(), &b);
        if r.main().ok {
            handed += 1;
        } else {
            refused = Some(r);
            break;
        }
    }
    let r = refused.expect("a limit");
    assert_eq!(handed, 3);
    assert_eq!(r.main().error, Some("too_fast"), "{}", r.main().text);
    assert!(r.main().text.contains("help channel"), "{}", r.main().text);
}
