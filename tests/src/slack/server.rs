//! The HTTP server (Web API, `response_url`s, the websocket upgrade) and Socket Mode.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use hyper::{Response, StatusCode};
use serde_json::{json, Map, Value};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::{api, files, payload, Out, Shared, Socket};

/// How long a socket told to refresh waits for the client to close before closing itself.
const REFRESH_GRACE: Duration = Duration::from_secs(1);

use crate::emulator::{accept_websocket, Reply};

pub(crate) async fn handle(
    shared: Arc<Shared>,
    mut req: hyper::Request<Incoming>,
) -> Result<Reply, Infallible> {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    if path == "/socket" {
        return Ok(upgrade(shared, &mut req, &query));
    }
    let http_method = req.method().as_str().to_string();
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE).unwrap_or_default();
    let bearer = header(AUTHORIZATION).and_then(|a| {
        a.strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("bearer "))
            .map(|t| t.trim().to_string())
    });
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    if let Some(id) = path.strip_prefix("/upload/") {
        let (status, text) = files::upload(&shared, id, bearer, &body);
        return Ok(Response::builder()
            .status(status)
            .header(CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Full::new(Bytes::from(text)))
            .expect("response"));
    }
    let params = params(&content_type, &query, &body);
    let token = bearer.or_else(|| params["token"].as_str().map(str::to_string));
    if let Some(delay) = path
        .strip_prefix("/api/")
        .and_then(|m| shared.take_delay(m))
    {
        tokio::time::sleep(delay).await;
    }
    let answer = if let Some(method) = path.strip_prefix("/api/") {
        api::web_api(&shared, &http_method, method, token, params)
    } else if let Some(id) = path.strip_prefix("/response/") {
        api::response_url(&shared, id.parse().ok(), token, params)
    } else {
        api::Answer {
            status: 404,
            body: json!({"ok": false, "error": "not_found"}),
            retry_after: false,
        }
    };
    let mut resp = Response::builder()
        .status(answer.status)
        .header(CONTENT_TYPE, "application/json; charset=utf-8");
    if answer.retry_after {
        resp = resp.header(RETRY_AFTER, "1");
    }
    Ok(resp
        .body(Full::new(Bytes::from(answer.body.to_string())))
        .expect("response"))
}

/// The parameters of a request: a JSON object body, or form fields, merged with the query
/// (the body wins). A JSON body that is not an object is returned as is.
fn params(content_type: &str, query: &str, body: &[u8]) -> Value {
    let mut map = Map::new();
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if form {
        for (k, v) in form_urlencoded::parse(body) {
            map.insert(k.into_owned(), json!(v.into_owned()));
        }
    } else if !body.is_empty() {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => map = m,
            Ok(other) => return other,
            Err(_) => return json!(String::from_utf8_lossy(body)),
        }
    }
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        map.entry(k.into_owned())
            .or_insert_with(|| json!(v.into_owned()));
    }
    // Interactivity posts `payload=<json>`.
    if form && map.len() == 1 {
        if let Some(Ok(v)) = map
            .get("payload")
            .and_then(Value::as_str)
            .map(serde_json::from_str::<Value>)
        {
            return v;
        }
    }
    Value::Object(map)
}

/// Answers the websocket handshake of `/socket?ticket=N` and runs Socket Mode on it.
fn upgrade(shared: Arc<Shared>, req: &mut hyper::Request<Incoming>, query: &str) -> Reply {
    let ticket = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "ticket")
        .and_then(|(_, v)| v.parse::<u64>().ok());
    let valid = ticket.is_some_and(|t| shared.lock().tickets.remove(&t));
    if !valid {
        return Response::builder()
            .status(StatusCode::UNAUTHORIZED)
            .body(Full::new(Bytes::from_static(
                b"unknown or used ticket: call apps.connections.open",
            )))
            .expect("response");
    }
    accept_websocket(req, move |ws| connection(shared, ws))
}

/// One Socket Mode connection: everything it sends goes through its `Out` channel, in order.
async fn connection<S>(shared: Arc<Shared>, mut ws: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut st = shared.lock();
        st.next_socket += 1;
        st.connections += 1;
        let id = st.next_socket;
        st.sockets.insert(
            id,
            Socket {
                tx: tx.clone(),
                hello: false,
            },
        );
        shared.notify(st);
        id
    };
    let delay = shared.options.hello_delay;
    if delay.is_zero() {
        let _ = tx.send(Out::Hello);
    } else {
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = tx.send(Out::Hello);
        });
    }
    let mut closing: Option<tokio::time::Instant> = None;
    loop {
        let deadline = closing.unwrap_or_else(|| tokio::time::Instant::now() + REFRESH_GRACE);
        tokio::select! {
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Text(text))) => on_frame(&shared, &text),
                // tungstenite queued the pong (or the close echo); only a flush sends it now.
                Some(Ok(Message::Ping(_))) => {
                    let _ = ws.flush().await;
                }
                Some(Ok(Message::Close(_))) => {
                    let _ = ws.flush().await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            out = rx.recv(), if closing.is_none() => match out {
                Some(Out::Hello) => {
                    let n = shared.lock().sockets.len();
                    if ws.send(Message::Text(payload::hello(n).to_string())).await.is_err() {
                        break;
                    }
                    let mut st = shared.lock();
                    if let Some(s) = st.sockets.get_mut(&id) {
                        s.hello = true;
                    }
                    shared.notify(st);
                }
                Some(Out::Frame(text)) => {
                    if ws.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Out::Refresh(text)) => {
                    let _ = ws.send(Message::Text(text)).await;
                    closing = Some(tokio::time::Instant::now() + REFRESH_GRACE);
                }
                Some(Out::Drop) | None => break,
            },
            _ = tokio::time::sleep_until(deadline), if closing.is_some() => {
                let _ = ws
                    .close(Some(CloseFrame { code: CloseCode::Normal, reason: "refresh".into() }))
                    .await;
                break;
            }
        }
    }
    // Dropping `ws` closes the socket; without a close frame when told to drop.
    drop(ws);
    let mut st = shared.lock();
    st.sockets.remove(&id);
    shared.notify(st);
}

/// A frame from the client: acks are recorded; anything else is ignored.
fn on_frame(shared: &Shared, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        return;
    };
    if frame.get("envelope_id").is_some() {
        let mut st = shared.lock();
        st.on_ack(shared, frame);
        shared.notify(st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_merge_body_and_query() {
        let p = params(
            "application/x-www-form-urlencoded",
            "a=1&b=2",
            b"b=3&c=%20x",
        );
        assert_eq!(p, json!({"a": "1", "b": "3", "c": " x"}));
        let p = params("application/json; charset=utf-8", "a=1", br#"{"b": [1]}"#);
        assert_eq!(p, json!({"a": "1", "b": [1]}));
        let p = params(
            "application/x-www-form-urlencoded",
            "",
            b"payload=%7B%22type%22%3A%22block_actions%22%7D",
        );
        assert_eq!(p, json!({"type": "block_actions"}));
    }
}
