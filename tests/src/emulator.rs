//! What the Discord and Slack emulators share: the HTTP accept loop, waiting for their
//! state to change, and stepping through the requests they recorded.

use std::convert::Infallible;
use std::future::Future;
use std::sync::{Condvar, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Serves HTTP/1.1 (with websocket upgrades) on `listener` with `handle` until `shutdown`
/// fires.
pub(crate) async fn serve<H, F>(
    listener: TcpListener,
    mut shutdown: oneshot::Receiver<()>,
    handle: H,
) where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send + 'static,
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
