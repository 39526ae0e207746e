//! `bot serve`: every platform whose token is set, on one store, until SIGINT or SIGTERM,
//! with one reminder clock for all of them.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use commands::{Commands, Platform};

use crate::config::Config;
use crate::front::{Core, Front, Fronts};
use crate::web::metrics::metrics;
use crate::{discord, slack, web};

/// Threads that run commands (and other blocking work) at once.
const BLOCKING_THREADS: usize = 32;

/// Serves every platform whose token is set until SIGINT or SIGTERM; then flushes the
/// store. One process may serve Discord and Slack at once, on one store.
pub fn serve(
    commands: Arc<Commands>,
    config: &Config,
    discord_token: Option<String>,
    slack_tokens: Option<slack::Tokens>,
    bound: Option<(web::Bound, Option<web::Ops>)>,
) -> Result<()> {
    if slack_tokens
        .as_ref()
        .is_some_and(|t| t.signing_secret.is_some())
        && bound.is_none()
    {
        anyhow::bail!(
            "SLACK_SIGNING_SECRET is set, but [web] enabled = false: the Slack HTTP endpoints are served by the web server (on web.listen)"
        );
    }
    if discord_token.is_none() && slack_tokens.is_none() {
        anyhow::bail!(
            "no platform token is set (DISCORD_TOKEN, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET); `bot chat` serves the terminal"
        );
    }
    // Commands run on the blocking pool; a burst of them waits its turn there rather than
    // starting a thread each (tokio's default allows 512).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()?;
    runtime.block_on(async {
        let stopped = on_signal();
        // Every front end reaches the others through this: a direct message or a badge
        // role for a platform goes to that platform's front end.
        let fronts = Fronts::default();
        let mut running = Running {
            commands: &commands,
            fronts: &fronts,
            stopped,
            tasks: tokio::task::JoinSet::new(),
            slack_http: None,
        };
        if let Some(token) = discord_token {
            metrics().serves(Platform::Discord);
            running.discord(&token, config).await?;
        }
        if let Some(tokens) = slack_tokens {
            metrics().serves(Platform::Slack);
            running.slack(tokens, config).await?;
        }
        if let Some((bound, ops)) = bound {
            running.web(bound, ops, config.web.max_connections);
        }
        // One reminder clock for every platform: each reminder is marked sent once, and
        // goes to the front end of its platform.
        let reminders = tokio::spawn(reminders(
            Arc::clone(&commands),
            fronts.clone(),
            Duration::from_secs(30),
        ));
        // The first front end to stop (with an error, or at shutdown) stops the bot.
        let mut result = Ok(());
        if let Some(done) = running.tasks.join_next().await {
            result = done.context("a front end panicked").and_then(|r| r);
        }
        reminders.abort();
        // Replies already on their way are let arrive (for a few seconds) before the front
        // ends stop, so that a stop does not lose an answer a member was about to get.
        crate::metrics::calls_ended(Duration::from_secs(5)).await;
        running.tasks.shutdown().await;
        result
    })?;
    let counted = crate::metrics::snapshot();
    tracing::info!("Discord: {}", counted.discord);
    tracing::info!("Slack: {}", counted.slack);
    commands.flush()?;
    Ok(())
}

/// Turns true at SIGINT or SIGTERM.
fn on_signal() -> tokio::sync::watch::Receiver<bool> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        tracing::info!("shutting down");
        let _ = stop.send(true);
    });
    stopped
}

/// The front ends being started, and the tasks that serve them.
struct Running<'a> {
    commands: &'a Arc<Commands>,
    fronts: &'a Fronts,
    stopped: tokio::sync::watch::Receiver<bool>,
    tasks: tokio::task::JoinSet<Result<()>>,
    /// The Slack HTTP endpoints, for the web server to serve.
    slack_http: Option<axum::Router>,
}

impl Running<'_> {
    /// The web server, with the Slack HTTP endpoints when Slack is served over HTTP.
    fn web(&mut self, bound: web::Bound, ops: Option<web::Ops>, max_connections: usize) {
        let mut site = web::Web::new(
            Arc::clone(self.commands),
            &bound.base,
            self.slack_http.take(),
        );
        if let Some(ops) = ops {
            site = site.with_ops(ops);
        }
        site = site.with_fronts(self.fronts.clone());
        let stopped = self.stopped.clone();
        self.tasks
            .spawn(async move { bound.serve(web::app(site), max_connections, stopped).await });
    }

    fn core(&self, platform: Platform, per_minute: Option<u32>) -> Core {
        Core::new(
            Arc::clone(self.commands),
            self.fronts.clone(),
            platform,
            per_minute,
        )
    }

    async fn discord(&mut self, token: &str, config: &Config) -> Result<()> {
        let core = self.core(Platform::Discord, config.discord.questions_per_minute);
        let (discord, client) =
            discord::Discord::connect(token, config.discord.clone(), core).await?;
        self.fronts.add(Platform::Discord, discord);
        self.tasks
            .spawn(discord::serve(client, self.stopped.clone()));
        Ok(())
    }

    async fn slack(&mut self, tokens: slack::Tokens, config: &Config) -> Result<()> {
        let level_groups = config
            .commands
            .access
            .get(&Platform::Slack)
            .map(|a| {
                a.admin_roles
                    .iter()
                    .chain(&a.organizer_roles)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let core = self.core(Platform::Slack, config.slack.questions_per_minute);
        let bot =
            slack::SlackBot::connect(config.slack.clone(), &tokens.bot, core, level_groups).await?;
        self.fronts
            .add(Platform::Slack, Arc::clone(&bot) as Arc<dyn Front>);
        if let Some(app) = tokens.app {
            let (bot, stopped) = (Arc::clone(&bot), self.stopped.clone());
            self.tasks
                .spawn(async move { slack::serve_socket_mode(bot, &app, stopped).await });
        } else {
            // HTTP events only: connected once auth.test said the token is good.
            metrics().connected(Platform::Slack, true);
        }
        if let Some(secret) = tokens.signing_secret {
            self.slack_http = Some(slack::http::router(&bot, &secret));
        }
        Ok(())
    }
}

/// Hands due reminders to the front end of their platform, every `tick`.
async fn reminders(commands: Arc<Commands>, fronts: Fronts, tick: Duration) {
    let mut every = tokio::time::interval(tick);
    loop {
        every.tick().await;
        let c = Arc::clone(&commands);
        let Ok(due) = tokio::task::spawn_blocking(move || c.tick()).await else {
            continue;
        };
        fronts.deliver(&commands, &due).await;
    }
}
