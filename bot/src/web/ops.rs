//! The operator's routes for `bot backup` and `bot restore` while this process holds the
//! store: `POST /ops/backup` answers the whole store, `POST /ops/restore` takes a backup
//! and puts it in (see [`crate::backup::into_running`]). Both want the token from
//! `DATA/ops-token`; wrong tokens count against the sign-in limit.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

use super::{Ops, Web};
use crate::backup::MAX_RESTORE_BYTES;

pub fn routes() -> axum::Router<Arc<Web>> {
    axum::Router::new()
        .route("/ops/backup", post(backup))
        .route(
            "/ops/restore",
            post(restore).layer(DefaultBodyLimit::max(MAX_RESTORE_BYTES)),
        )
}

/// The ops settings when the request carries their token; the refusal otherwise.
fn authorized<'a>(
    web: &'a Web,
    peer: std::net::SocketAddr,
    headers: &HeaderMap,
) -> Result<&'a Ops, Box<Response>> {
    let Some(ops) = web.ops() else {
        return Err(Box::new(
            (StatusCode::NOT_FOUND, "no backups here\n").into_response(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !commands::links::same(given, &ops.token) {
        if !web.sign_in_allowed(peer.ip()) {
            return Err(Box::new(
                (StatusCode::TOO_MANY_REQUESTS, "too many attempts\n").into_response(),
            ));
        }
        return Err(Box::new(
            (StatusCode::FORBIDDEN, "wrong token\n").into_response(),
        ));
    }
    Ok(ops)
}

/// `POST /ops/backup`: the whole store, for `bot backup`.
async fn backup(
    State(web): State<Arc<Web>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let ops = match authorized(&web, peer, &headers) {
        Ok(ops) => ops,
        Err(refused) => return *refused,
    };
    let db = ops.db.clone();
    let made = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        crate::backup::write(&db, &mut out).map(|_| out)
    })
    .await;
    match made {
        Ok(Ok(bytes)) => {
            ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
        }
        Ok(Err(e)) => {
            tracing::error!("web: backup: {e:#}");
            (StatusCode::INTERNAL_SERVER_ERROR, "the backup failed\n").into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the backup failed\n").into_response(),
    }
}

/// Why a restore did not happen, or did not finish.
enum Refusal {
    NotABackup(anyhow::Error),
    Failed(anyhow::Error),
}

/// `POST /ops/restore` with a backup as the body, for `bot restore`: `{"restored": N}`
/// once every tree holds the backup's pairs and the bot answers from them. A body that is
/// not a whole backup is refused (422) and changes nothing.
async fn restore(
    State(web): State<Arc<Web>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ops = match authorized(&web, peer, &headers) {
        Ok(ops) => ops,
        Err(refused) => return *refused,
    };
    let (db, data, commands) = (ops.db.clone(), ops.data.clone(), Arc::clone(&web.commands));
    // Not cancelled with the request: once begun, the restore finishes.
    let done = tokio::task::spawn_blocking(move || {
        // Checked whole before anything changes (the CLI checked it too).
        let trees = crate::backup::read(&mut &body[..]).map_err(Refusal::NotABackup)?;
        crate::backup::into_running(&db, &data, &commands, &trees, &body).map_err(Refusal::Failed)
    })
    .await;
    match done {
        Ok(Ok(pairs)) => {
            tracing::info!("web: restored a backup of {pairs} entries");
            axum::Json(json!({ "restored": pairs })).into_response()
        }
        Ok(Err(Refusal::NotABackup(e))) => {
            let text = format!("{e:#}; nothing changed\n");
            (StatusCode::UNPROCESSABLE_ENTITY, text).into_response()
        }
        Ok(Err(Refusal::Failed(e))) => {
            tracing::error!("web: restore: {e:#}");
            let text = format!("the restore failed: {e:#}; the next start finishes it\n");
            (StatusCode::INTERNAL_SERVER_ERROR, text).into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the restore failed\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::net::SocketAddr;

    use axum::body::Body;
    use commands::{Access, Actor, Commands, Input, Platform};
    use http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use knowledge::{KnowledgeBase, Settings, SledStore};
    use tower::ServiceExt;

    use super::*;
    use crate::web::app;

    const TOKEN: &str = "the-ops-token";

    /// A bot on a store of its own, its knowledge base on the same store with one folder
    /// added by `kb import`, its ops routes on.
    struct Bot {
        web: Arc<Web>,
        data: tempfile::TempDir,
        _docs: tempfile::TempDir,
    }

    fn bot() -> Bot {
        let data = tempfile::tempdir().unwrap();
        let db = sled::Config::new()
            .path(data.path().join("db"))
            .open()
            .unwrap();
        let kb =
            KnowledgeBase::open(Arc::new(SledStore::new(db.clone())), Settings::default()).unwrap();
        let docs = tempfile::tempdir().unwrap();
        std::fs::create_dir(docs.path().join("en")).unwrap();
        std::fs::write(
            docs.path().join("en/heroes.md"),
            "# Heroes\n\nThere are 238 Heroes.\n",
        )
        .unwrap();
        kb.import(docs.path()).unwrap();
        let config = commands::Config {
            access: BTreeMap::from([(
                Platform::Terminal,
                Access {
                    organizers: vec!["olga".into()],
                    ..Access::default()
                },
            )]),
            ..commands::Config::default()
        };
        let commands = Commands::open(&db, Arc::new(kb), config).unwrap();
        let ops = Ops {
            token: TOKEN.into(),
            db,
            data: data.path().to_path_buf(),
        };
        Bot {
            web: Web::new(Arc::new(commands), "http://bot.test", None).with_ops(ops),
            data,
            _docs: docs,
        }
    }

    impl Bot {
        fn events(&self) -> String {
            let olga = Actor::new(Platform::Terminal, "olga", "Olga");
            let r = self
                .web
                .commands
                .handle(&olga, Input::Text("events".into()));
            r.main().plain()
        }

        fn announce(&self, title: &str) {
            let olga = Actor::new(Platform::Terminal, "olga", "Olga");
            let line = format!("/announce title: {title} start: 2030-12-05 19:00");
            let r = self.web.commands.handle(&olga, Input::Text(line));
            assert!(r.main().ok, "{}", r.main().text);
        }

        async fn post(&self, path: &str, token: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
            let mut request = Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(body))
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
            let response = app(Arc::clone(&self.web)).oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, bytes.to_vec())
        }
    }

    #[tokio::test]
    async fn a_backup_restored_into_the_running_bot_brings_back_every_state() {
        let bot = bot();
        bot.announce("Backup night");
        let (status, backup) = bot.post("/ops/backup", TOKEN, Vec::new()).await;
        assert_eq!(status, StatusCode::OK);

        bot.announce("After the backup");
        let kb = bot.web.commands.knowledge();
        kb.forget(bot._docs.path(), &[]).unwrap();
        assert_eq!(kb.stats().sections, 0);

        let (status, body) = bot.post("/ops/restore", TOKEN, backup.clone()).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let pairs = crate::backup::pairs(&crate::backup::read(&mut &backup[..]).unwrap());
        assert_eq!(answer["restored"], pairs);
        let events = bot.events();
        assert!(events.contains("Backup night"), "{events}");
        assert!(!events.contains("After the backup"), "{events}");
        // The knowledge base answers from the restored store, and says so to /health.
        assert_eq!(kb.stats().sections, 1);
        assert!(bot.web.commands.last_import().is_some_and(|i| i.ok));
        assert!(!bot.data.path().join(crate::backup::PENDING).exists());
    }

    #[tokio::test]
    async fn a_cut_or_foreign_backup_or_a_wrong_token_changes_nothing() {
        let bot = bot();
        bot.announce("Backup night");
        let (_, backup) = bot.post("/ops/backup", TOKEN, Vec::new()).await;
        bot.announce("After the backup");

        let cut = backup[..backup.len() - 3].to_vec();
        let (status, body) = bot.post("/ops/restore", TOKEN, cut).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("cut short") && text.contains("nothing changed"),
            "{text}"
        );
        let (status, body) = bot.post("/ops/restore", TOKEN, b"hello".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(String::from_utf8_lossy(&body).contains("not a backup"));
        let (status, _) = bot.post("/ops/restore", "guess", backup).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let events = bot.events();
        assert!(events.contains("After the backup"), "{events}");
    }
}
