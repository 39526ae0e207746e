//! The HTTP Events API: `/slack/events`, `/slack/commands` and `/slack/interactions`, each
//! behind the signing-secret check (HMAC-SHA256 over the timestamp and body, a five-minute
//! window; slack-morphism's verifier), with bodies over 1 MiB refused before they are read.
//! The web server ([`crate::web`]) serves them on `[web] listen`. What a request carries is
//! handled like its Socket Mode twin ([`super::events`]).

use std::sync::Arc;

use serde_json::json;
use slack_morphism::prelude::*;

use super::{environment, SlackBot};

/// The routes, each behind the signature check.
pub fn router(bot: &Arc<SlackBot>, signing_secret: &str) -> axum::Router {
    use axum::routing::post;
    let listener = SlackEventsAxumListener::new(environment(bot));
    let secret = SlackSigningSecret::new(signing_secret.into());
    let signed = || listener.events_layer(&secret);
    axum::Router::new()
        .route(
            "/slack/events",
            post(events).layer(signed().with_event_extractor(SlackEventsExtractors::push_event())),
        )
        .route(
            "/slack/commands",
            post(command)
                .layer(signed().with_event_extractor(SlackEventsExtractors::command_event())),
        )
        .route(
            "/slack/interactions",
            post(interaction)
                .layer(signed().with_event_extractor(SlackEventsExtractors::interaction_event())),
        )
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::Extension(Arc::clone(bot)))
}

/// Slack's requests are small; anything over 1 MiB is refused before it is read.
async fn limit_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    const LIMIT: usize = 1 << 20;
    let declared = request
        .headers()
        .get(::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > LIMIT) {
        return ::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, LIMIT)));
    next.run(request).await
}

async fn events(
    axum::Extension(bot): axum::Extension<Arc<SlackBot>>,
    axum::Extension(event): axum::Extension<SlackPushEvent>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match event {
        SlackPushEvent::UrlVerification(v) => {
            axum::Json(json!({ "challenge": v.challenge })).into_response()
        }
        SlackPushEvent::EventCallback(callback) => {
            tokio::spawn(async move { bot.on_push(callback).await });
            ::http::StatusCode::OK.into_response()
        }
        _ => ::http::StatusCode::OK.into_response(),
    }
}

async fn command(
    axum::Extension(bot): axum::Extension<Arc<SlackBot>>,
    axum::Extension(event): axum::Extension<SlackCommandEvent>,
) -> axum::Json<SlackCommandEventResponse> {
    axum::Json(bot.on_command(event).await)
}

async fn interaction(
    axum::Extension(bot): axum::Extension<Arc<SlackBot>>,
    axum::Extension(event): axum::Extension<SlackInteractionEvent>,
) -> ::http::StatusCode {
    bot.on_interaction(event);
    ::http::StatusCode::OK
}
