//! The dashboard's Talks page through the app: a track owner scores and vetoes from it, the
//! event's organizer accepts and sends the decisions, the speaker follows their proposal,
//! an admin sees every one; forms without their CSRF token, or from someone the talks
//! commands refuse, change nothing.

use super::*;

const PROPOSE: &str = "/talks propose title: Lambda at scale abstract: How we run ten thousand functions track: serverless level: advanced language: pt duration: 30 event: e1";

/// Event e1 by olga; track serverless owned by tina; sam's p1 for e1.
fn talks_site() -> Site {
    let s = site();
    s.say(
        "olga",
        "/announce title: Web night start: 2030-12-05 19:00 end: 21:00 place: Rua A, 10",
    );
    s.say("ada", "/badge grant @tina track-owner");
    s.say("ada", "/track add serverless Serverless");
    s.say("ada", "/track owner serverless @tina");
    s.say("sam", PROPOSE);
    s
}

/// p1 as an admin sees it: its stage and its mean score.
fn p1(s: &Site) -> (String, Option<f64>) {
    let board = s
        .web
        .commands
        .talks_board(&who("ada"), knowledge::Lang::En)
        .unwrap();
    let row = board
        .all
        .unwrap()
        .into_iter()
        .find(|r| r.id == "p1")
        .unwrap();
    (row.stage.to_string(), row.score)
}

#[tokio::test]
async fn a_track_owner_scores_from_the_page_and_a_veto_needs_its_reason() {
    let s = talks_site();
    let (session, csrf, _) = s.sign_in("tina").await;
    let (status, _, page) = s.get("/dashboard/talks", Some(&session)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("href=\"/dashboard/talks\""), "{page}");
    assert!(
        page.contains("id=\"review-p1\"") && page.contains("Lambda at scale"),
        "{page}"
    );
    assert!(page.contains("id=\"score-p1\"") && page.contains("id=\"veto-p1\""));

    // Without the token, or a veto without a reason: refused, nothing changed.
    let (status, _, _) = s
        .post(
            "/dashboard/talks/p1/score",
            &session,
            "score=5&comment=Great",
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, page) = s
        .post(
            "/dashboard/talks/p1/veto",
            &session,
            &format!("csrf={csrf}&reason=+"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(
        page.contains("id=\"refused\"") || page.contains("refused"),
        "{page}"
    );
    assert_eq!(
        p1(&s),
        (
            "submitted, waiting for a first review (still editable)".into(),
            None
        )
    );

    let (status, _, page) = s
        .post(
            "/dashboard/talks/p1/score",
            &session,
            &format!("csrf={csrf}&score=4&comment=Clear+outline&share=yes"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(p1(&s), ("in review".into(), Some(4.0)));
    let (_, _, page) = s.get("/dashboard/talks", Some(&session)).await;
    assert!(
        page.contains("id=\"review-none\"") && !page.contains("id=\"review-p1\""),
        "{page}"
    );

    // Another member has no review part, and the talks commands refuse their forms.
    let (other, other_csrf, _) = s.sign_in("max").await;
    let (_, _, page) = s.get("/dashboard/talks", Some(&other)).await;
    assert!(
        !page.contains("review-") && page.contains("id=\"mine-none\""),
        "{page}"
    );
    let (status, _, _) = s
        .post(
            "/dashboard/talks/p1/veto",
            &other,
            &format!("csrf={other_csrf}&reason=I+do+not+like+it"),
        )
        .await;
    assert_ne!(status, StatusCode::OK);
    assert_eq!(p1(&s), ("in review".into(), Some(4.0)));
}

#[tokio::test]
async fn the_organizer_ranks_accepts_and_sends_and_the_speaker_sees_it() {
    let s = talks_site();
    s.say("tina", "/talks score p1 4 Clear outline");
    let (session, csrf, _) = s.sign_in("olga").await;
    let (_, _, page) = s.get("/dashboard/talks", Some(&session)).await;
    assert!(
        page.contains("id=\"event-e1\"") && page.contains("id=\"rank-p1\""),
        "{page}"
    );
    // Organizers see the ranking, not the scores.
    assert!(!page.contains("4.0/5"), "{page}");
    assert!(page.contains("id=\"accept-p1\"") && !page.contains("id=\"send-e1\""));
    let (status, _, page) = s
        .post(
            "/dashboard/talks/p1/accept",
            &session,
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (_, _, page) = s.get("/dashboard/talks", Some(&session)).await;
    assert!(page.contains("id=\"send-e1\""), "{page}");
    let (status, _, page) = s
        .post(
            "/dashboard/talks/e1/send",
            &session,
            &format!("csrf={csrf}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");

    let (speaker, _, _) = s.sign_in("sam").await;
    let (_, _, page) = s.get("/dashboard/talks", Some(&speaker)).await;
    assert!(page.contains("id=\"mine-p1\""), "{page}");
    assert!(page.contains("accepted for e1"), "{page}");
    assert!(
        !page.contains("rank-") && !page.contains("id=\"all\""),
        "{page}"
    );

    let (admin, _, _) = s.sign_in("ada").await;
    let (_, _, page) = s.get("/dashboard/talks?lang=pt", Some(&admin)).await;
    assert!(
        page.contains("id=\"all-p1\"") && page.contains("4.0/5"),
        "{page}"
    );
    assert!(page.contains("Todas as propostas"), "{page}");
}
