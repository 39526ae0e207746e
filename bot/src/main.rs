//! `bot`: the community bot. With no tokens configured it serves the terminal; its
//! subcommands ask single questions, manage the knowledge base and measure speed.

mod bench;
mod bundled;
mod config;
mod console;
mod discord;
mod front;
mod slack;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use commands::{Commands, Platform};
use knowledge::{ImportReport, KnowledgeBase, SledStore};

use crate::config::Config;
use crate::front::{Core, Fronts};

#[derive(Parser, Debug)]
#[command(
    name = "bot",
    version,
    about = "A chat bot for AWS tech communities: answers questions about the community programs in English, Chinese and Portuguese."
)]
struct Cli {
    /// The configuration file (default: ./config.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The data directory for the embedded store (overrides storage.data_dir).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// A knowledge directory; repeatable. Replaces knowledge.dirs from the config.
    #[arg(long, global = true, value_name = "DIR")]
    knowledge: Vec<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// An interactive session in the terminal (the default): questions and every command.
    Chat {
        /// Act as this user; their level comes from [permissions.terminal] in the config.
        #[arg(long = "as", value_name = "USER", default_value = config::OPERATOR)]
        user: String,
        /// Read one input per line and print one JSON reply per line, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Answers QUESTION, or one question per line of standard input.
    Ask {
        /// One JSON object per answer instead of text.
        #[arg(long)]
        json: bool,
        /// The question; read from standard input when absent.
        question: Vec<String>,
    },
    /// Reports answer latency and throughput on the shipped and a generated knowledge base.
    Bench {
        /// How many answers to time on each knowledge base.
        #[arg(long, default_value_t = 20_000)]
        answers: usize,
        /// How many sections the generated knowledge base has.
        #[arg(long, default_value_t = 10_000)]
        sections: usize,
    },
    /// Serves the chat platforms whose tokens are set (DISCORD_TOKEN; SLACK_BOT_TOKEN with
    /// SLACK_APP_TOKEN and/or SLACK_SIGNING_SECRET), until SIGINT or SIGTERM.
    Serve,
    /// Discord: register the slash commands, or print the invite link.
    Discord {
        #[command(subcommand)]
        action: DiscordAction,
    },
    /// Slack: print the app manifest.
    Slack {
        #[command(subcommand)]
        action: SlackAction,
    },
    /// Manages the knowledge base.
    Kb {
        #[command(subcommand)]
        action: KbAction,
    },
}

#[derive(Subcommand, Debug)]
enum DiscordAction {
    /// Registers the slash commands, replacing any registered before (no duplicates):
    /// in one server (instant, for testing) or globally.
    Register {
        #[arg(long, value_name = "GUILD_ID")]
        guild: Option<u64>,
    },
    /// Prints the link that adds the bot to a server with the scopes and permissions it needs.
    InviteUrl {
        /// The application id (default: asked from Discord with DISCORD_TOKEN).
        #[arg(long)]
        application_id: Option<u64>,
    },
}

#[derive(Subcommand, Debug)]
enum SlackAction {
    /// Prints the app manifest (slack/manifest.yml) with every slash command in every
    /// language, for "Create New App → From an app manifest".
    Manifest,
}

#[derive(Subcommand, Debug)]
enum KbAction {
    /// Imports a folder of Markdown documents and keeps it in the knowledge base.
    Import { dir: PathBuf },
    /// Drops a folder added with `kb import`.
    Forget { dir: PathBuf },
    /// Documents, sections and languages in the knowledge base.
    Stats,
    /// Shows the sections a question retrieves, with how much of it each covers.
    Search { question: Vec<String> },
    /// Shows how a question is understood: its language and index terms.
    Terms { question: Vec<String> },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(data) = cli.data {
        config.data_dir = data;
    }
    let explicit_knowledge = !cli.knowledge.is_empty();
    if explicit_knowledge {
        config.knowledge_dirs = cli.knowledge;
    }
    bundled::resolve(&mut config)?;
    if let Some(Command::Bench { answers, sections }) = cli.command {
        return bench::run(&config, answers, sections);
    }
    let discord_token = std::env::var("DISCORD_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    if let Some(Command::Slack {
        action: SlackAction::Manifest,
    }) = cli.command
    {
        print!("{}", slack::manifest::manifest());
        return Ok(());
    }
    // Discord set-up needs no store: it can run beside a serving bot.
    if let Some(Command::Discord { action }) = cli.command {
        let runtime = tokio::runtime::Runtime::new()?;
        match action {
            DiscordAction::Register { guild } => {
                let token = discord_token.context("DISCORD_TOKEN is not set")?;
                let n =
                    runtime.block_on(discord::slash::register(&token, &config.discord, guild))?;
                match guild {
                    Some(g) => println!("Registered {n} slash commands in server {g}."),
                    None => println!("Registered {n} slash commands globally (Discord may take up to an hour to show them everywhere)."),
                }
            }
            DiscordAction::InviteUrl { application_id } => {
                let id = match application_id {
                    Some(id) => id,
                    None => {
                        let token =
                            discord_token.context("give --application-id, or set DISCORD_TOKEN")?;
                        let http = discord::http(&token, &config.discord);
                        runtime
                            .block_on(http.get_current_application_info())?
                            .id
                            .get()
                    }
                };
                println!("{}", discord::invite_url(id));
                println!("The bot also needs the Message Content intent: enable it under Bot → Privileged Gateway Intents in the developer portal.");
            }
        }
        return Ok(());
    }
    let db = open_db(&config.data_dir)?;
    let kb = open_kb(&db, &config)?;
    tracing::info!(
        "loading the knowledge base from {} folder(s)",
        config.knowledge_dirs.len()
    );
    let report = if explicit_knowledge {
        kb.sync_exact(&config.knowledge_dirs)
    } else {
        kb.sync_configured(&config.knowledge_dirs)
    }
    .context("loading the knowledge base")?;
    tracing::info!(
        "knowledge base loaded: {} added, {} updated, {} removed, {} documents ({} ms)",
        report.added,
        report.updated,
        report.removed,
        report.documents,
        report.elapsed.as_millis()
    );
    print_notes(&report);

    let slack_tokens = slack::Tokens::from_env()?;
    let command = cli
        .command
        .unwrap_or(if discord_token.is_some() || slack_tokens.is_some() {
            Command::Serve
        } else {
            Command::Chat {
                user: config::OPERATOR.into(),
                json: false,
            }
        });
    let commands_settings = || {
        let mut settings = config.commands.clone();
        settings.knowledge_dirs = config.knowledge_dirs.clone();
        settings.knowledge_exact = explicit_knowledge;
        settings
    };
    match command {
        Command::Chat { user, json } => {
            let commands = Commands::open(&db, kb, commands_settings())
                .context("opening the command store")?;
            console::chat(Arc::new(commands), &user, json)
        }
        Command::Serve => {
            let commands = Commands::open(&db, kb, commands_settings())
                .context("opening the command store")?;
            serve(Arc::new(commands), &config, discord_token, slack_tokens)
        }
        Command::Discord { .. } | Command::Slack { .. } => unreachable!("handled above"),
        Command::Ask { json, question } => console::ask(&kb, json, &question.join(" ")),
        Command::Kb { action } => match action {
            KbAction::Import { dir } => {
                let report = kb
                    .import(&dir)
                    .with_context(|| format!("importing {}", dir.display()))?;
                print_report(&dir, &report);
                Ok(())
            }
            KbAction::Forget { dir } => {
                let report = kb.forget(&dir, &config.knowledge_dirs)?;
                println!(
                    "Forgot {}: {} document(s) removed.",
                    dir.display(),
                    report.removed
                );
                Ok(())
            }
            KbAction::Search { question } => {
                println!("covers  shared  section");
                for r in kb.search(&question.join(" "), 8)? {
                    let s = &r.section;
                    println!(
                        "{:.2}    {:.2}    [{}] {} ({})",
                        r.coverage,
                        r.shared,
                        s.lang,
                        s.heading(),
                        s.doc
                    );
                }
                Ok(())
            }
            KbAction::Terms { question } => {
                let (lang, terms) = kb.explain(&question.join(" "));
                println!("[{lang}] {}", terms.join(" "));
                Ok(())
            }
            KbAction::Stats => {
                let s = kb.stats();
                println!("documents: {}\nsections:  {}", s.documents, s.sections);
                for (lang, n) in s.sections_per_language {
                    println!("  {lang}: {n} sections");
                }
                Ok(())
            }
        },
        Command::Bench { .. } => unreachable!("handled above"),
    }
}

/// Serves every platform whose token is set until SIGINT or SIGTERM; then flushes the
/// store. One process may serve Discord and Slack at once, on one store.
fn serve(
    commands: Arc<Commands>,
    config: &Config,
    discord_token: Option<String>,
    slack_tokens: Option<slack::Tokens>,
) -> Result<()> {
    if discord_token.is_none() && slack_tokens.is_none() {
        anyhow::bail!(
            "no platform token is set (DISCORD_TOKEN, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET); `bot chat` serves the terminal"
        );
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    runtime.block_on(async {
        tokio::spawn(async move {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            tracing::info!("shutting down");
            let _ = stop.send(true);
        });
        // Every front end reaches the others through this: a direct message or a badge
        // role for a platform goes to that platform's front end.
        let fronts = Fronts::default();
        let core = |platform, per_minute| {
            Core::new(Arc::clone(&commands), fronts.clone(), platform, per_minute)
        };
        let mut running = tokio::task::JoinSet::new();
        if let Some(token) = discord_token {
            let per_minute = config.discord.questions_per_minute;
            let (discord, client) = discord::Discord::connect(
                &token,
                config.discord.clone(),
                core(Platform::Discord, per_minute),
            )
            .await?;
            fronts.add(Platform::Discord, discord);
            running.spawn(discord::serve(client, stopped.clone()));
        }
        if let Some(tokens) = slack_tokens {
            let access = config.commands.access.get(&Platform::Slack);
            let level_groups = access
                .map(|a| {
                    a.admin_roles
                        .iter()
                        .chain(&a.organizer_roles)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let per_minute = config.slack.questions_per_minute;
            let bot = slack::SlackBot::connect(
                config.slack.clone(),
                &tokens.bot,
                core(Platform::Slack, per_minute),
                level_groups,
            )
            .await?;
            fronts.add(Platform::Slack, Arc::clone(&bot) as Arc<dyn front::Front>);
            if let Some(app) = tokens.app {
                let (bot, stopped) = (Arc::clone(&bot), stopped.clone());
                running.spawn(async move { slack::serve_socket_mode(bot, &app, stopped).await });
            }
            if let Some(secret) = tokens.signing_secret {
                let (bot, stopped) = (Arc::clone(&bot), stopped.clone());
                running.spawn(async move { slack::serve_http(bot, &secret, stopped).await });
            }
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
        if let Some(done) = running.join_next().await {
            result = done.context("a front end panicked").and_then(|r| r);
        }
        reminders.abort();
        running.shutdown().await;
        result
    })?;
    commands.flush()?;
    Ok(())
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
        fronts.deliver(&due).await;
    }
}

/// Opens the embedded store in the data directory and the knowledge base on it.
pub(crate) fn open(config: &Config) -> Result<Arc<KnowledgeBase>> {
    open_kb(&open_db(&config.data_dir)?, config)
}

/// The knowledge base on an open store; it shares the database with the commands.
pub(crate) fn open_kb(db: &sled::Db, config: &Config) -> Result<Arc<KnowledgeBase>> {
    let store = Arc::new(SledStore::new(db.clone()));
    let kb = KnowledgeBase::open(store, config.settings.clone())
        .context("opening the knowledge base")?;
    Ok(Arc::new(kb))
}

pub(crate) fn open_db(dir: &Path) -> Result<sled::Db> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    sled::Config::new().path(dir).open().map_err(|e| {
        let hint = if e.to_string().contains("lock") || e.to_string().contains("WouldBlock") {
            " (is another bot process using this data directory?)"
        } else {
            ""
        };
        anyhow::anyhow!("cannot open the store in {}: {e}{hint}", dir.display())
    })
}

fn print_notes(report: &ImportReport) {
    for note in &report.notes {
        eprintln!("note: {note}");
    }
}

fn print_report(dir: &Path, r: &ImportReport) {
    println!(
        "Imported {}: {} added, {} updated, {} unchanged, {} removed; the knowledge base now has {} documents and {} sections ({} ms).",
        dir.display(),
        r.added,
        r.updated,
        r.unchanged,
        r.removed,
        r.documents,
        r.sections,
        r.elapsed.as_millis()
    );
    print_notes(r);
}
