//! What the Discord and Slack emulators share: a server on its own thread and runtime, the
//! websocket handshake, waiting for their state to change, and stepping through the
//! requests they recorded.

use std::convert::Infallible;
use std::future::Future;
use std::sync::{Condvar, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONNECTION, SEC_WEBSOCKET_ACCEPT, UPGRADE};
use hyper::service::service_fn;
use hyper::upgrade::Upgraded;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::WebSocketStream;

/// What an emulator answers an HTTP request with.
pub(crate) type Reply = Response<Full<Bytes>>;

/// The server side of an accepted websocket.
pub(crate) type ServerSocket = WebSocketStream<TokioIo<Upgraded>>;

/// An HTTP server on 127.0.0.1, on a thread and tokio runtime of its own, so that plain
/// `#[test]` functions can drive it; dropping it stops it.
pub(crate) struct Server {
    pub port: u16,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds a free port, builds the request handler for it with `handler(port)`, and serves.
    pub(crate) fn start<H, F>(name: &str, handler: impl FnOnce(u16) -> H) -> Server
    where
        H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
        F: Future<Output = Result<Reply, Infallible>> + Send + 'static,
    {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let port = listener.local_addr().expect("local addr").port();
        let handle = handler(port);
        let (tx, rx) = oneshot::channel();
        let thread_name = name.to_string();
        let thread = std::thread::Builder::new()
            .name(format!("{name}-{port}"))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name(thread_name)
                    .enable_all()
                    .build()
                    .expect("emulator runtime");
                rt.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("tokio listener");
                    serve(listener, rx, handle).await;
                });
            })
            .expect("emulator thread");
        Server {
            port,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers a websocket handshake: 101 and `connection` run on the socket, or 400 when the
/// request is not one.
pub(crate) fn accept_websocket<C, F>(req: &mut Request<Incoming>, connection: C) -> Reply
where
    C: FnOnce(ServerSocket) -> F + Send + 'static,
    F: Future<Output = ()> + Send,
{
    let key = req
        .headers()
        .get("sec-websocket-key")
        .map(|k| derive_accept_key(k.as_bytes()));
    let is_ws = req
        .headers()
        .get(UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let Some(accept) = key.filter(|_| is_ws) else {
        return Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .body(Full::new(Bytes::from_static(b"websocket upgrade expected")))
            .expect("response");
    };
    let on_upgrade = hyper::upgrade::on(req);
    tokio::spawn(async move {
        if let Ok(upgraded) = on_upgrade.await {
            let ws =
                WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
            connection(ws).await;
        }
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(UPGRADE, HeaderValue::from_static("websocket"))
        .header(CONNECTION, HeaderValue::from_static("Upgrade"))
        .header(SEC_WEBSOCKET_ACCEPT, accept)
        .body(Full::new(Bytes::new()))
        .expect("response")
}

/// Serves HTTP/1.1 (with websocket upgrades) on `listener` with `handle` until `shutdown`
/// fires.
async fn serve<H, F>(listener: TcpListener, mut shutdown: oneshot::Receiver<()>, handle: H)
where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Reply, Infallible>> + Send + 'static,
{
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let handle = handle.clone();
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service_fn(handle))
                        .with_upgrades()
                        .await;
                });
            }
        }
    }
}

/// Waits on `changed` until `ready` holds for the state, or `timeout` passes (`None`).
pub(crate) fn wait_until<'a, S>(
    mut state: MutexGuard<'a, S>,
    changed: &Condvar,
    timeout: Duration,
    mut ready: impl FnMut(&mut S) -> bool,
) -> Option<MutexGuard<'a, S>> {
    let end = Instant::now() + timeout;
    loop {
        if ready(&mut state) {
            return Some(state);
        }
        let now = Instant::now();
        if now >= end {
            return None;
        }
        state = changed
            .wait_timeout(state, end - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// The oldest request matching `pred` that no earlier call took; it is taken now.
pub(crate) fn take_first<R: Clone>(log: &mut [(R, bool)], pred: impl Fn(&R) -> bool) -> Option<R> {
    let (request, taken) = log.iter_mut().find(|(r, taken)| !*taken && pred(r))?;
    *taken = true;
    Some(request.clone())
}
