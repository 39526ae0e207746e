//! Questions for the knowledge base: answers with citations, votes, gaps, languages,
//! statistics and reloading.

use crate::support::*;
use commands::{Destination, Input, Response};
use knowledge::Lang;

const CB: &str = "How do I become a Community Builder?";
const OFF_TOPIC: &str = "What is the airspeed velocity of an unladen swallow?";

fn feedback_ids(r: &Response) -> (String, String) {
    let ids = button_ids(r.main());
    let up = ids
        .iter()
        .find(|id| id.starts_with("fb:up:"))
        .expect("a 👍 button");
    let down = ids
        .iter()
        .find(|id| id.starts_with("fb:down:"))
        .expect("a 👎 button");
    (up.to_string(), down.to_string())
}

fn gaps(w: &World) -> String {
    w.ok(&ada(), "/kb gaps").main().text.to_string()
}

#[test]
fn a_question_is_answered_with_a_citation_and_feedback_buttons() {
    let w = World::new();
    for line in [format!("/ask {CB}"), format!("ask {CB}"), CB.to_string()] {
        let r = w.ok(&mia(), &line);
        let reply = r.main();
        assert_eq!(reply.lang, Lang::En);
        assert_eq!(reply.destination, Destination::Here);
        assert!(reply.text.contains("Community Builder"), "{}", reply.text);
        assert_eq!(reply.citations.len(), 1, "{line}");
        assert_eq!(reply.citations[0].doc, "en/community-builders.md");
        assert!(
            plain(reply).contains("en/community-builders.md"),
            "the source is shown"
        );
        let (up, down) = feedback_ids(&r);
        assert_eq!(
            up.trim_start_matches("fb:up:"),
            down.trim_start_matches("fb:down:")
        );
    }
    // The same question, however written, has the same id.
    let a = feedback_ids(&w.ok(&mia(), "/ask how do i become a community builder"));
    let b = feedback_ids(&w.ok(&mia(), &format!("/ask {CB}")));
    assert_eq!(a, b);
}

#[test]
fn votes_are_stored_and_a_second_vote_replaces_the_first() {
    let w = World::new();
    let r = w.ok(&mia(), &format!("/ask {CB}"));
    let (up, down) = feedback_ids(&r);
    assert!(gaps(&w).contains("No gaps"), "{}", gaps(&w));

    let r = w.press(&mia(), &up);
    assert!(r.main().ok);
    assert!(r.main().text.contains("Thanks"), "{}", r.main().text);
    assert_eq!(count(&w.db, "cmd.votes"), 1);
    // The same vote again changes nothing.
    let before = w.fingerprint();
    w.press(&mia(), &up);
    assert_eq!(w.fingerprint(), before);

    // A change of mind replaces the vote: 0 up, 1 down, and the question is a gap.
    let r = w.press(&mia(), &down);
    assert!(r.main().text.contains("did not help"), "{}", r.main().text);
    assert_eq!(count(&w.db, "cmd.votes"), 1, "one vote per member");
    let g = gaps(&w);
    assert!(g.contains(CB), "{g}");
    assert!(g.contains("0× unanswered, 1× 👎"), "{g}");

    // Another member's 👍 balances it.
    w.press(&member("bob"), &up);
    assert_eq!(count(&w.db, "cmd.votes"), 2);
    assert!(gaps(&w).contains("No gaps"), "{}", gaps(&w));
    // mia changes her mind back: still one vote each.
    w.press(&mia(), &up);
    assert_eq!(count(&w.db, "cmd.votes"), 2);
    assert!(gaps(&w).contains("No gaps"));

    // A vote on a question the bot never saw.
    let before = w.fingerprint();
    let r = w.press(&mia(), "fb:up:000000000000");
    assert_eq!(r.main().error, Some("not_found"));
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn declined_and_voted_down_questions_are_gaps_for_admins() {
    let w = World::new();
    let r = w.ok(&mia(), OFF_TOPIC);
    assert!(r.main().citations.is_empty(), "declined: {}", r.main().text);
    // Declined: a question about nothing the community knows is outside what the bot does.
    assert!(
        r.main().text.contains("outside what I can help with"),
        "{}",
        r.main().text
    );
    assert!(
        !button_ids(r.main()).iter().any(|id| id.starts_with("fb:")),
        "no votes on a refusal"
    );
    w.ok(&member("bob"), OFF_TOPIC);

    let r = w.ok(&mia(), "/ask How do I become an AWS Hero?");
    let (_, down) = feedback_ids(&r);
    w.press(&mia(), &down);

    let r = w.ok(&ada(), "/kb gaps");
    assert_eq!(r.main().destination, Destination::Private);
    let lines: Vec<&str> = r.main().text.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.main().text);
    // Most often missed first.
    assert!(
        lines[0].contains(OFF_TOPIC) && lines[0].contains("2× unanswered"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("AWS Hero") && lines[1].contains("1× 👎"),
        "{}",
        lines[1]
    );
    assert!(
        lines.iter().all(|l| l.contains("[en]")),
        "{}",
        r.main().text
    );
    let r = w.ok(&ada(), "/kb gaps 1");
    assert_eq!(r.main().text.lines().count(), 1);

    // Admins only; refusals change nothing.
    let before = w.fingerprint();
    w.fails(&olga(), "/kb gaps", "denied");
    w.fails(&mia(), "/kb gaps", "denied");
    assert_eq!(w.fingerprint(), before);
}

#[test]
fn a_portuguese_question_gets_a_portuguese_answer() {
    let w = World::new();
    let r = w.ok(&mia(), "Como me torno um AWS Hero?");
    let reply = r.main();
    assert_eq!(reply.lang, Lang::Pt);
    assert!(
        reply.citations[0].doc.starts_with("pt/"),
        "{:?}",
        reply.citations
    );
    assert!(
        reply.fields.iter().any(|f| f.name == "Fonte"),
        "{:?}",
        reply.fields
    );
    let labels: Vec<&str> = reply.buttons.iter().map(|b| b.label.as_str()).collect();
    assert!(labels.contains(&"👍 Ajudou"), "{labels:?}");
    let r = w.ok(&mia(), "/perguntar Como me torno Community Builder?");
    assert_eq!(r.main().lang, Lang::Pt);
    assert!(
        r.main().citations[0].doc.starts_with("pt/"),
        "{:?}",
        r.main().citations
    );
    let r = w.ok(&mia(), "如何成为社区建设者？");
    assert_eq!(r.main().lang, Lang::Zh);
    assert!(
        r.main().citations[0].doc.starts_with("zh/"),
        "{:?}",
        r.main().citations
    );
}

#[test]
fn related_topic_buttons_ask_again() {
    let w = World::new();
    let r = w.ok(&mia(), &format!("/ask {CB}"));
    let related: Vec<&str> = button_ids(r.main())
        .into_iter()
        .filter(|id| id.starts_with("ask:"))
        .collect();
    assert!(!related.is_empty(), "{}", plain(r.main()));
    for id in related {
        let r = w.press(&mia(), id);
        assert!(r.main().ok, "{id}: {}", r.main().plain());
        assert!(!r.main().citations.is_empty(), "{id}: {}", r.main().plain());
    }
}

#[test]
fn kb_stats_for_everyone_and_kb_reload_for_admins() {
    let w = World::new();
    for who in [mia(), olga(), ada()] {
        let r = w.ok(&who, "/kb stats");
        let stats = kb().stats();
        assert!(
            r.main().text.starts_with(&format!(
                "{} documents, {} sections",
                stats.documents, stats.sections
            )),
            "{}",
            r.main().text
        );
        let names: Vec<&str> = r.main().fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["English", "Chinese", "Portuguese"]);
    }

    let before = w.fingerprint();
    for who in [mia(), olga()] {
        let r = w.fails(&who, "/kb reload", "denied");
        assert!(r.main().text.contains("Only admins"), "{}", r.main().text);
    }
    assert_eq!(w.fingerprint(), before);
    let r = w.ok(&ada(), "/kb reload");
    assert!(r.main().text.contains("Reloaded"), "{}", r.main().text);
    assert!(r.main().text.contains("0 removed"), "{}", r.main().text);
    // The knowledge base still answers.
    let r = w.ok(&mia(), CB);
    assert!(!r.main().citations.is_empty());
}

#[test]
fn a_message_too_long_to_read_is_refused_clearly() {
    let w = World::new();
    let before = w.fingerprint();
    let before_questions = count(&w.db, "cmd.questions");
    let r = w
        .cmds
        .handle(&mia(), Input::Text("Community builder? ".repeat(3000)));
    assert!(r.main().text.contains("too long"), "{}", r.main().text);
    assert!(r.main().citations.is_empty());
    assert_eq!(w.fingerprint(), before);
    assert_eq!(
        count(&w.db, "cmd.questions"),
        before_questions,
        "not counted as a question"
    );
}
