//! The bot's web side (axum): public calendar feeds and event pages, members' personal
//! feeds, the dashboard for organizers and admins, `/health`, `/metrics`, and the Slack
//! HTTP endpoints, all on one listener (`[web] listen`).
//!
//! The app is built by [`app`] from a [`Web`], so the routes are tested without a socket;
//! [`server`] serves it with the listener's limits. Every change made in the dashboard is a
//! registered command run as the signed-in member, so `commands` decides who may do what,
//! as it does for every chat platform.

pub mod dashboard;
pub mod html;
pub mod metrics;
mod ops;
pub mod public;
pub mod server;
#[cfg(test)]
mod tests;

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use anyhow::{Context, Result};
use commands::Commands;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};

use crate::config::WebConfig;

/// What every route needs.
pub struct Web {
    pub commands: Arc<Commands>,
    /// The start of every link the pages and feeds give (no trailing slash).
    pub base: String,
    /// Session cookies are `Secure` (the public URL is https).
    pub secure: bool,
    /// The Slack HTTP endpoints, when this process serves them.
    pub slack: Option<axum::Router>,
    sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    all_sign_ins: DefaultDirectRateLimiter,
    /// `POST /ops/backup` and `/ops/restore`, for `bot backup` and `bot restore` while this
    /// process holds the store.
    ops: std::sync::OnceLock<Ops>,
    /// The chat front ends served beside the web side: what a dashboard change sends
    /// besides its reply (direct messages, updated posts) goes out through them.
    fronts: std::sync::OnceLock<crate::front::Fronts>,
}

/// What `/ops/backup` and `/ops/restore` need: the store, its data folder, and the token
/// `bot backup` finds there.
pub struct Ops {
    pub token: String,
    pub db: sled::Db,
    pub data: std::path::PathBuf,
}

impl Ops {
    /// A fresh token, written with the address to `DATA/ops-token` for `bot backup`.
    pub fn publish(db: &sled::Db, data: &std::path::Path, addr: SocketAddr) -> Result<Ops> {
        let token = commands::links::form_token();
        crate::backup::publish(data, addr, &token)?;
        Ok(Ops {
            token,
            db: db.clone(),
            data: data.to_path_buf(),
        })
    }
}

impl Web {
    pub fn new(commands: Arc<Commands>, base: &str, slack: Option<axum::Router>) -> Arc<Web> {
        let per_minute = |n| Quota::per_minute(NonZeroU32::new(n).expect("non-zero"));
        Arc::new(Web {
            commands,
            base: base.trim_end_matches('/').to_string(),
            secure: base.starts_with("https://"),
            slack,
            sign_ins: DefaultKeyedRateLimiter::keyed(per_minute(10)),
            all_sign_ins: DefaultDirectRateLimiter::direct(per_minute(120)),
            ops: std::sync::OnceLock::new(),
            fronts: std::sync::OnceLock::new(),
        })
    }

    /// Serves `/ops/backup` and `/ops/restore` from `ops`.
    pub fn with_ops(self: Arc<Self>, ops: Ops) -> Arc<Self> {
        let _ = self.ops.set(ops);
        self
    }

    pub fn ops(&self) -> Option<&Ops> {
        self.ops.get()
    }

    /// Sends what dashboard changes cause elsewhere through `fronts`.
    pub fn with_fronts(self: Arc<Self>, fronts: crate::front::Fronts) -> Arc<Self> {
        let _ = self.fronts.set(fronts);
        self
    }

    pub fn fronts(&self) -> Option<&crate::front::Fronts> {
        self.fronts.get()
    }

    /// Counts a sign-in attempt from `ip`; false when it is one too many.
    pub fn sign_in_allowed(&self, ip: IpAddr) -> bool {
        if self.sign_ins.len() > 10_000 {
            self.sign_ins.retain_recent();
        }
        self.sign_ins.check_key(&ip).is_ok() && self.all_sign_ins.check().is_ok()
    }
}

/// Every route of the web side.
pub fn app(web: Arc<Web>) -> axum::Router {
    let slack = web.slack.clone();
    let app = axum::Router::new()
        .merge(public::routes())
        .merge(ops::routes())
        .merge(dashboard::routes());
    let app = match slack {
        // Paths the web side does not serve go to the Slack endpoints.
        Some(slack) => app.fallback_service(slack),
        None => app.fallback(public::not_found),
    };
    app.with_state(web)
}

/// The listening socket, bound before anything else starts (so the links the bot hands
/// out carry the real port), and the public URL.
pub struct Bound {
    listener: std::net::TcpListener,
    pub addr: SocketAddr,
    pub base: String,
}

/// Binds `[web] listen` (named `key` in errors); `None` when the web side is off.
pub fn bind(config: &WebConfig, key: &str) -> Result<Option<Bound>> {
    if !config.enabled {
        return Ok(None);
    }
    let addr: SocketAddr = config
        .listen
        .parse()
        .with_context(|| format!("{key}: \"{}\" is not an address", config.listen))?;
    let listener = std::net::TcpListener::bind(addr).with_context(|| {
        format!(
            "{key}: cannot listen on {addr} (another program may be using it): set [web] listen to another address, or [web] enabled = false"
        )
    })?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let base = match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = match addr.ip() {
                ip if ip.is_unspecified() => "localhost".to_string(),
                IpAddr::V6(ip) => format!("[{ip}]"),
                ip => ip.to_string(),
            };
            format!("http://{host}:{}", addr.port())
        }
    };
    Ok(Some(Bound {
        listener,
        addr,
        base,
    }))
}

impl Bound {
    /// Serves `app` on this socket until `shutdown` turns true.
    pub async fn serve(
        self,
        app: axum::Router,
        max_connections: usize,
        shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)?;
        tracing::info!("web: listening on http://{}", self.addr);
        server::serve(
            listener,
            app,
            server::Limits::new(max_connections),
            shutdown,
        )
        .await
    }

    /// Serves from a thread of its own, for the terminal (which is not async).
    pub fn serve_in_background(self, web: Arc<Web>, max_connections: usize) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("web")
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("web".into())
            .spawn(move || {
                let (_keep, shutdown) = tokio::sync::watch::channel(false);
                if let Err(e) = runtime.block_on(self.serve(app(web), max_connections, shutdown)) {
                    tracing::error!("web: {e:#}");
                }
            })?;
        Ok(())
    }
}
