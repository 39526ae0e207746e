//! The HTTP server (REST and the websocket upgrade) and the gateway protocol.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::Response;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::{intents, payload, rest, Out, Session, Shared, BOT_ID, GUILD_ID};

use crate::emulator::{accept_websocket, Reply};

pub(crate) async fn handle(
    shared: Arc<Shared>,
    mut req: hyper::Request<Incoming>,
) -> Result<Reply, Infallible> {
    if req.uri().path() == "/gateway" {
        return Ok(upgrade(shared, &mut req));
    }
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let (status, body) = rest::handle(&shared, &method, &path, &query, &content_type, &body);
    let mut resp = Response::builder().status(status);
    let body = match body {
        Some(v) => {
            resp = resp.header(CONTENT_TYPE, "application/json");
            Full::new(Bytes::from(v.to_string()))
        }
        None => Full::new(Bytes::new()),
    };
    Ok(resp.body(body).expect("response"))
}

/// Answers the websocket handshake and runs the gateway on the upgraded connection.
fn upgrade(shared: Arc<Shared>, req: &mut hyper::Request<Incoming>) -> Reply {
    accept_websocket(req, move |ws| connection(shared, ws))
}

/// One gateway connection: everything it sends goes through its `Out` channel, in order.
async fn connection<S>(shared: Arc<Shared>, mut ws: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = {
        let mut st = shared.lock();
        st.next_conn += 1;
        let conn = st.next_conn;
        st.conns.insert(conn, tx.clone());
        conn
    };
    let hello = json!({
        "op": 10,
        "s": null,
        "t": null,
        "d": {"heartbeat_interval": shared.options.heartbeat_interval.as_millis() as u64},
    });
    let _ = tx.send(Out::Frame(hello.to_string()));
    let mut clean_close = false;
    loop {
        tokio::select! {
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Text(text))) => on_frame(&shared, conn, &tx, &text),
                Some(Ok(Message::Binary(_))) => {
                    let _ = tx.send(Out::Close(4002, "Error while decoding payload."));
                }
                Some(Ok(Message::Close(frame))) => {
                    let code = frame.map(|f| u16::from(f.code));
                    clean_close = matches!(code, Some(1000 | 1001));
                    // tungstenite queued the echo of the close frame; only a flush sends it
                    // (a `close()` now fails with SendAfterClosing and sends nothing).
                    let _ = ws.flush().await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            out = rx.recv() => match out {
                Some(Out::Frame(text)) => {
                    if ws.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code, reason)) => {
                    let _ = ws
                        .close(Some(CloseFrame { code: CloseCode::from(code), reason: reason.into() }))
                        .await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
        }
    }
    // Dropping `ws` closes the socket; without a close frame when told to drop.
    drop(ws);
    let mut st = shared.lock();
    st.conns.remove(&conn);
    let mut dead = Vec::new();
    for (id, s) in st.sessions.iter_mut() {
        if s.conn == Some(conn) {
            s.conn = None;
            if clean_close {
                dead.push(id.clone());
            }
        }
    }
    // A client that closes with 1000/1001 ends its session, as on Discord.
    for id in dead {
        st.sessions.remove(&id);
    }
    drop(st);
    shared.changed.notify_all();
}

fn on_frame(shared: &Shared, conn: u64, tx: &mpsc::UnboundedSender<Out>, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        let _ = tx.send(Out::Close(4002, "Error while decoding payload."));
        return;
    };
    let d = &frame["d"];
    match frame["op"].as_u64() {
        Some(1) => {
            shared.lock().heartbeats += 1;
            let _ = tx.send(Out::Frame(
                json!({"op": 11, "s": null, "t": null, "d": null}).to_string(),
            ));
            shared.changed.notify_all();
        }
        Some(2) => identify(shared, conn, tx, d),
        Some(6) => resume(shared, conn, tx, d),
        // Presence update, voice state, guild members request: accepted and ignored.
        Some(3 | 4 | 8 | 31) => {}
        _ => {
            let _ = tx.send(Out::Close(4001, "Unknown opcode."));
        }
    }
}

fn identify(shared: &Shared, conn: u64, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
    let mut st = shared.lock();
    if st.sessions.values().any(|s| s.conn == Some(conn)) {
        let _ = tx.send(Out::Close(4005, "Already authenticated."));
        return;
    }
    if d["token"].as_str().is_none_or(str::is_empty) {
        let _ = tx.send(Out::Close(4004, "Authentication failed."));
        return;
    }
    let intents_bits = d["intents"].as_u64().unwrap_or(0);
    let session_id = format!(
        "{:032x}",
        st.snowflake().wrapping_mul(0x9E37_79B9_7F4A_7C15)
    );
    st.sessions.insert(
        session_id.clone(),
        Session {
            intents: intents_bits,
            seq: 0,
            log: Default::default(),
            conn: Some(conn),
            ready: false,
        },
    );
    st.identifies += 1;
    st.last_intents = Some(intents_bits);
    let mut ready = json!({
        "v": 10,
        "user": payload::current_user(),
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": shared.gateway_url,
        "application": {"id": BOT_ID.to_string(), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
        "_trace": ["[\"discord-emulator\"]"],
    });
    if let Some(shard) = d.get("shard").filter(|s| s.is_array()) {
        ready["shard"] = shard.clone();
    }
    st.send_to(&session_id, "READY", &ready);
    if intents_bits & intents::GUILDS != 0 {
        let guild = st.guild_json();
        st.send_to(&session_id, "GUILD_CREATE", &guild);
    }
    if let Some(s) = st.sessions.get_mut(&session_id) {
        s.ready = true;
    }
    drop(st);
    shared.changed.notify_all();
}

fn resume(shared: &Shared, conn: u64, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
    let mut st = shared.lock();
    let session_id = d["session_id"].as_str().unwrap_or("").to_string();
    let seq = d["seq"].as_u64().unwrap_or(0);
    let resumable = st.sessions.get(&session_id).is_some_and(|s| {
        // The client must not claim more than it got, nor less than the log still holds.
        seq <= s.seq && s.log.front().is_none_or(|(first, _)| seq + 1 >= *first)
    });
    if !resumable {
        let _ = tx.send(Out::Frame(
            json!({"op": 9, "s": null, "t": null, "d": false}).to_string(),
        ));
        return;
    }
    let previous = st.sessions.get(&session_id).and_then(|s| s.conn);
    if let Some(old) = previous.filter(|&c| c != conn) {
        if let Some(old_tx) = st.conns.remove(&old) {
            let _ = old_tx.send(Out::Drop);
        }
    }
    let Some(s) = st.sessions.get_mut(&session_id) else {
        return;
    };
    s.conn = Some(conn);
    s.ready = true;
    for (_, frame) in s.log.iter().filter(|(n, _)| *n > seq) {
        let _ = tx.send(Out::Frame(frame.clone()));
    }
    st.resumes += 1;
    st.send_to(
        &session_id,
        "RESUMED",
        &json!({"_trace": ["[\"discord-emulator\"]"]}),
    );
    drop(st);
    shared.changed.notify_all();
}
