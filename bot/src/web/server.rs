//! The listener: HTTP/1.1 connections served by hyper with limits that keep the bot
//! answering when someone holds connections open or the descriptors run out.
//!
//! - A request's headers must arrive within [`Limits::header`] (hyper's header read timeout),
//!   its body within [`Limits::body`] after them, and the whole answer within
//!   [`Limits::request`].
//! - A connection with no request in progress is closed after [`Limits::idle`].
//! - At most [`Limits::max_connections`] connections are served at once (fewer when the
//!   process's descriptor limit is low). When a new one arrives at the cap, the connection
//!   idle the longest is closed to make room; when every one is busy, accepting waits.
//! - An accept error (`Too many open files`) closes the longest-idle connection and backs
//!   off, doubling up to a second, instead of spinning.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use anyhow::Result;
use axum::body::Body;
use bytes::Bytes;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// The listener's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header: Duration,
    pub body: Duration,
    pub request: Duration,
    pub idle: Duration,
}

impl Limits {
    pub fn new(max_connections: usize) -> Self {
        Limits {
            max_connections: capped_by_descriptors(max_connections),
            header: Duration::from_secs(10),
            body: Duration::from_secs(15),
            request: Duration::from_secs(30),
            idle: Duration::from_secs(20),
        }
    }
}

/// The soft limit on open files, from /proc/self/limits (no unsafe code needed).
fn descriptor_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// At most half the descriptors go to web connections: the store, the chat platforms and
/// outgoing requests need the rest.
fn capped_by_descriptors(wanted: usize) -> usize {
    match descriptor_limit() {
        Some(n) => wanted.min((n / 2).max(16)),
        None => wanted,
    }
}

/// One connection being served.
struct Conn {
    /// Requests in progress.
    busy: AtomicUsize,
    /// Since when no request has been in progress.
    idle_since: Mutex<Instant>,
    close: Notify,
}

impl Conn {
    fn idle_for(&self) -> Option<Duration> {
        (self.busy.load(Ordering::Acquire) == 0).then(|| {
            self.idle_since
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .elapsed()
        })
    }
}

/// The connections being served.
#[derive(Default)]
struct Table {
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    next: AtomicUsize,
    freed: Notify,
}

impl Table {
    fn len(&self) -> usize {
        self.conns.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Closes the connection idle the longest; false when every one is busy.
    fn close_longest_idle(&self) -> bool {
        let conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        let longest = conns
            .values()
            .filter_map(|c| c.idle_for().map(|d| (d, c)))
            .max_by_key(|(d, _)| *d);
        match longest {
            Some((_, c)) => {
                c.close.notify_one();
                true
            }
            None => false,
        }
    }

    fn add(&self) -> (u64, Arc<Conn>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed) as u64;
        let conn = Arc::new(Conn {
            busy: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            close: Notify::new(),
        });
        self.conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, Arc::clone(&conn));
        (id, conn)
    }

    fn remove(&self, id: u64) {
        self.conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        self.freed.notify_waiters();
    }
}

/// Errors of one connection that say nothing about the listener.
fn per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted | WouldBlock
    )
}

/// Serves `app` on `listener` until `shutdown` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) -> Result<()> {
    let table = Arc::new(Table::default());
    let mut backoff = Duration::from_millis(5);
    let mut last_warning: Option<Instant> = None;
    loop {
        // At the cap: make room by closing the longest-idle connection, or wait for one.
        while table.len() >= limits.max_connections {
            if table.close_longest_idle() {
                let freed = table.freed.notified();
                let _ = tokio::time::timeout(Duration::from_millis(50), freed).await;
            } else {
                tokio::select! {
                    _ = table.freed.notified() => {}
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                    _ = shutdown.changed() => return Ok(()),
                }
            }
        }
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => return Ok(()),
        };
        match accepted {
            Ok((stream, peer)) => {
                backoff = Duration::from_millis(5);
                let _ = stream.set_nodelay(true);
                let (id, conn) = table.add();
                let (app, table, shutdown) = (app.clone(), Arc::clone(&table), shutdown.clone());
                tokio::spawn(async move {
                    connection(stream, peer, app, limits, &conn, shutdown).await;
                    table.remove(id);
                });
            }
            Err(e) if per_connection(&e) => {}
            Err(e) => {
                if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                    tracing::warn!(
                        "web: accept failed ({e}) with {} connections open; closing idle ones and backing off",
                        table.len()
                    );
                    last_warning = Some(Instant::now());
                }
                table.close_longest_idle();
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.changed() => return Ok(()),
                }
                backoff = (backoff * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// Counts a request in progress on its connection for as long as it lives.
struct Busy(Arc<Conn>);

impl Busy {
    fn new(conn: &Arc<Conn>) -> Self {
        conn.busy.fetch_add(1, Ordering::AcqRel);
        Busy(Arc::clone(conn))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *self.0.idle_since.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    app: axum::Router,
    limits: Limits,
    conn: &Arc<Conn>,
    mut shutdown: watch::Receiver<bool>,
) {
    let for_requests = Arc::clone(conn);
    let service =
        hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
            let busy = Busy::new(&for_requests);
            let app = app.clone();
            async move {
                let _busy = busy;
                let mut request = request.map(|body| Body::new(Deadline::new(body, limits.body)));
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                let answer = tokio::time::timeout(limits.request, app.oneshot(request)).await;
                Ok::<_, Infallible>(match answer {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_) => timed_out(),
                })
            }
        });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header)
        .max_buf_size(64 * 1024)
        .keep_alive(true);
    let served = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(served);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    let mut stopping = *shutdown.borrow();
    if stopping {
        served.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            done = &mut served => {
                if let Err(e) = done {
                    tracing::debug!("web: connection from {peer}: {e}");
                }
                return;
            }
            _ = conn.close.notified() => return,
            _ = tick.tick() => {
                if conn.idle_for().is_some_and(|d| d > limits.idle) {
                    return;
                }
            }
            changed = shutdown.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    served.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

fn timed_out() -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        http::StatusCode::SERVICE_UNAVAILABLE,
        "the request took too long\n",
    )
        .into_response()
}

/// A request body that must arrive whole by a deadline.
struct Deadline {
    body: hyper::body::Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(body: hyper::body::Incoming, within: Duration) -> Self {
        Deadline {
            body,
            sleep: Box::pin(tokio::time::sleep(within)),
        }
    }
}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err("the request body took too long".into())));
        }
        Pin::new(&mut self.body)
            .poll_frame(cx)
            .map_err(axum::BoxError::from)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
