//! Replies in the member's language, help that fits the member's level, and input the bot
//! must refuse without changing anything.

use crate::support::*;
use commands::{Actor, Input, Platform};
use knowledge::Lang;

#[test]
fn a_chinese_locale_gets_chinese_errors() {
    let w = World::new();
    let zh = mia().with_locale(Some(Lang::Zh));
    let before = w.fingerprint();
    let r = w.fails(&zh, "/badge grant @bob speaker", "denied");
    assert_eq!(r.main().lang, Lang::Zh);
    assert_eq!(
        r.main().text,
        "只有管理员可以使用 `badge grant`。没有做任何改动。"
    );
    let r = w.fails(&zh, "/xyzzy", "unknown_command");
    assert!(
        r.main().text.starts_with("我不认识命令"),
        "{}",
        r.main().text
    );
    let r = w.fails(&zh, "/event ics e9", "not_found");
    assert!(
        r.main().text.contains("没有编号为 e9 的活动"),
        "{}",
        r.main().text
    );
    let r = w.fails(&zh, "/announce title: x start: 2026-12-05 19:00", "denied");
    assert!(r.main().text.contains("组织者"), "{}", r.main().text);
    let r = w.fails(
        &zh.clone().with_platform_admin(true),
        "/badge grant @bob heroo",
        "unknown_badge",
    );
    assert!(
        r.main().text.contains("亚马逊云科技 Hero"),
        "{}",
        r.main().text
    );
    let r = w.press(&zh, "nope:nope");
    assert_eq!(r.main().text, "这个按钮已经失效。");
    assert_eq!(w.fingerprint(), before);
    // The locale wins over the language a command word shows.
    let r = w.ok(&zh, "ajuda");
    assert_eq!(r.main().lang, Lang::Zh);
}

#[test]
fn command_words_show_the_language() {
    let w = World::new();
    let r = w.ok(&mia(), "ajuda");
    assert_eq!(r.main().lang, Lang::Pt);
    assert_eq!(r.main().title.as_deref(), Some("Ajuda"));
    assert!(
        r.main().text.starts_with("Aqui você é membro."),
        "{}",
        r.main().text
    );
    let r = w.ok(&mia(), "/帮助");
    assert_eq!(r.main().lang, Lang::Zh);
    assert_eq!(r.main().title.as_deref(), Some("帮助"));
    let r = w.ok(&mia(), "help");
    assert_eq!(r.main().lang, Lang::En);
    assert_eq!(r.main().title.as_deref(), Some("Help"));
    // Errors of a Portuguese command are in Portuguese.
    let r = w.fails(&mia(), "/selo dar @bob palestrante", "denied");
    assert_eq!(r.main().lang, Lang::Pt);
    assert!(
        r.main().text.starts_with("Só administradores"),
        "{}",
        r.main().text
    );
    let r = w.fails(
        &olga(),
        "/anunciar título: Noite start: 2026-01-01 19:00",
        "past_date",
    );
    assert!(r.main().text.contains("já passou"), "{}", r.main().text);
    // A Discord-style locale tag maps to a language.
    let pt =
        Actor::new(Platform::Discord, "9", "Ana").with_locale(commands::lang_of_locale("pt-BR"));
    let r = w.cmds.handle(&pt, Input::Text("/help".into()));
    assert_eq!(r.main().lang, Lang::Pt);
}

#[test]
fn help_lists_only_what_the_level_allows() {
    let w = World::new();
    let member_help = w.ok(&mia(), "/help").main().text.clone();
    let organizer_help = w.ok(&olga(), "/help").main().text.clone();
    let admin_help = w.ok(&ada(), "/help").main().text.clone();

    assert!(member_help.contains("You are a member"), "{member_help}");
    assert!(
        organizer_help.contains("You are an organizer"),
        "{organizer_help}"
    );
    assert!(admin_help.contains("You are an admin"), "{admin_help}");

    let member_cmds = [
        "`ask ",
        "`next`",
        "`badges ",
        "`badge list`",
        "`events`",
        "`event ics",
        "`volunteer signup",
        "`volunteer withdraw",
        "`kb stats`",
    ];
    let organizer_cmds = [
        "`announce ",
        "`event edit",
        "`event cancel",
        "`volunteer call",
        "`volunteer roster",
        "`volunteer attended",
    ];
    let admin_cmds = [
        "`badge grant",
        "`badge revoke",
        "`audit",
        "`kb gaps",
        "`kb reload`",
    ];
    for c in member_cmds {
        for help in [&member_help, &organizer_help, &admin_help] {
            assert!(help.contains(c), "{c} missing from {help}");
        }
    }
    for c in organizer_cmds {
        assert!(!member_help.contains(c), "{c} offered to a member");
        assert!(organizer_help.contains(c), "{c} missing for an organizer");
        assert!(admin_help.contains(c), "{c} missing for an admin");
    }
    for c in admin_cmds {
        assert!(!member_help.contains(c), "{c} offered to a member");
        assert!(!organizer_help.contains(c), "{c} offered to an organizer");
        assert!(admin_help.contains(c), "{c} missing for an admin");
    }
    // A leader badge shows the organizer commands.
    w.ok(&ada(), "/badge grant @mia user-group-leader");
    let leader_help = w.ok(&mia(), "/help").main().text.clone();
    assert_eq!(leader_help, organizer_help);
}

#[test]
fn help_shows_the_words_of_each_language() {
    let w = World::new();
    for lang in Lang::ALL {
        let admin = ada().with_locale(Some(lang));
        let help = w.ok(&admin, "/help").main().text.clone();
        for c in commands::registry::COMMANDS {
            let shown = c.subs.is_empty() && c.help.is_some();
            if shown {
                assert!(
                    help.contains(&format!("`{}", c.word(lang))),
                    "{lang:?}: {}",
                    c.name
                );
            }
            for s in c.subs {
                let words = format!("`{} {}", c.word(lang), s.word(lang));
                assert!(help.contains(&words), "{lang:?}: {words} in {help}");
            }
        }
    }
}

#[test]
fn a_fifty_kilobyte_message_gets_a_clear_reply_and_changes_nothing() {
    let w = World::new();
    w.announce_standard(&olga());
    let before = w.fingerprint();
    for text in [
        "x".repeat(50 * 1024),
        format!("/badge grant @mia speaker {}", "y".repeat(50 * 1024)),
        format!(
            "/announce title: {} start: 2026-12-05 19:00",
            "z".repeat(50 * 1024)
        ),
    ] {
        for who in [mia(), ada()] {
            let r = w.cmds.handle(&who, Input::Text(text.clone()));
            assert_eq!(r.replies.len(), 1);
            assert!(r.effects.is_empty());
            let reply = r.main();
            assert!(reply.text.contains("too long"), "{}", reply.text);
            assert!(
                reply.text.len() < 1000,
                "the reply does not echo the message"
            );
        }
    }
    assert_eq!(w.fingerprint(), before);
    // A long (but readable) description is refused by its own limit.
    w.fails(
        &olga(),
        &format!("/event edit e1 description: {}", "d".repeat(3000)),
        "too_long",
    );
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn control_characters_in_commands_are_refused() {
    let w = World::new();
    w.announce_standard(&olga());
    w.ok(&olga(), "/volunteer call e1 host:2");
    let before = w.fingerprint();
    for (who, line) in [
        (ada(), "/badge grant @mia speaker\u{7}"),
        (ada(), "/badge grant @mia speaker note\u{1b}[31mred"),
        (ada(), "/badge grant @mia\u{0} speaker"),
        (ada(), "/badge revoke @mia spea\u{8}ker"),
        (olga(), "/announce title: Bell\u{7} start: 2026-12-05 19:00"),
        (olga(), "/event edit e1 place: Room\u{1b}[2J 2"),
        (mia(), "/volunteer signup v1 host\u{7}"),
        (mia(), "/xyzzy\u{7}"),
        (mia(), "/events\u{7f}"),
        (mia(), "volunteer signup v1\u{1b} host"),
    ] {
        let r = w.text(&who, line);
        assert!(!r.main().ok, "{line:?} was accepted");
        assert_eq!(
            r.main().error,
            Some("control_characters"),
            "{line:?}: {}",
            r.main().text
        );
        assert!(
            !r.main().text.chars().any(|c| c.is_control() && c != '\n'),
            "the reply echoes a control character: {:?}",
            r.main().text
        );
        assert!(
            r.main().text.contains("control characters"),
            "{}",
            r.main().text
        );
    }
    assert_eq!(w.fingerprint(), before);
    // Newlines and tabs are fine in a command.
    w.ok(&olga(), "/event edit e1\tplace: Room 3");
}

#[test]
fn unknown_buttons_and_commands() {
    let w = World::new();
    let before = w.fingerprint();
    for id in [
        "",
        "rm:-rf",
        "vol:signup",
        "vol:explode:v1",
        "fb:maybe:abc",
        "ask:",
    ] {
        let r = w.press(&ada(), id);
        assert_eq!(
            r.main().error,
            Some("unknown_button"),
            "{id:?}: {}",
            r.main().plain()
        );
        assert!(
            r.main().text.contains("no longer valid"),
            "{}",
            r.main().text
        );
    }
    let r = w.fails(&mia(), "/xyzzy", "unknown_command");
    assert!(r.main().text.contains("`/xyzzy`"), "{}", r.main().text);
    assert!(r.main().text.contains("help"), "{}", r.main().text);
    let r = w.fails(&mia(), "/evnets", "unknown_command");
    assert!(
        r.main().text.contains("Did you mean `events`?"),
        "{}",
        r.main().text
    );
    let r = w.fails(&mia(), "!bagde list", "unknown_command");
    assert!(r.main().text.contains("`badge"), "{}", r.main().text);
    w.fails(&mia(), "/badge", "usage");
    w.fails(&mia(), "/volunteer signup v1", "usage");
    w.fails(&ada(), "/badge grant mia speaker", "bad_user");
    assert_eq!(w.fingerprint(), before);
    // Without a slash, unknown words are a question, not an error.
    let r = w.text(&mia(), "xyzzy");
    assert_eq!(r.main().error, None);
}

#[test]
fn ids_a_front_end_passes_in_are_checked_like_typed_ones() {
    let w = World::new();
    let before = w.fingerprint();
    let command = commands::Command::BadgeGrant {
        user: commands::text::UserRef("a\u{1f}b".into()),
        badge: "speaker".into(),
        category: None,
        note: None,
    };
    let r = w.cmds.handle(&ada(), Input::Command(command));
    assert_eq!(r.main().error, Some("bad_user"));
    assert!(!r.main().text.contains('\u{1f}'));
    assert_eq!(w.fingerprint(), before);
}
