//! `bot`: the community bot. With no tokens configured it serves the terminal; its
//! subcommands ask single questions, manage the knowledge base and measure speed.

mod backup;
mod bench;
mod bundled;
mod config;
mod console;
mod discord;
mod front;
mod metrics;
mod outbound;
mod replay;
mod serve;
mod slack;
mod web;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use commands::Commands;
use knowledge::{ImportReport, KnowledgeBase, SledStore};

use crate::config::Config;

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
    /// The web server's address (overrides web.listen), e.g. 127.0.0.1:0 for any free port.
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<String>,
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
        /// Only the knowledge bases: no commands, no web.
        #[arg(long)]
        knowledge_only: bool,
        /// What the bench runs in a process of its own: a start on the imported store in
        /// the data directory, then the answers and the memory while serving.
        #[arg(long, hide = true)]
        start_only: bool,
        /// Writes the generated knowledge base to this folder instead, and measures nothing
        /// (to compare answers on it: `cargo run -p knowledge --example answers -- DIR`).
        #[arg(long)]
        write_generated: Option<std::path::PathBuf>,
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
    /// Writes the whole store to FILE; while the bot runs, the running bot writes it.
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Replaces the whole store with a backup made by `bot backup`; while the bot runs, the
    /// running bot puts it in and answers from it at once.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Asks the running bot's /health (exit status 0 when healthy), for container checks.
    Health,
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
    let Cli {
        config: file,
        data,
        knowledge,
        listen,
        command,
    } = cli;
    let (config, listen_key, explicit_knowledge) =
        configure(file.as_deref(), data, knowledge, listen)?;
    let discord_token = std::env::var("DISCORD_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let command = match without_store(command, &config, &discord_token)? {
        Next::Done => return Ok(()),
        Next::Open(command) => command,
    };
    let db = open_db(&config.data_dir)?;
    let (kb, import) = load_knowledge(&db, &config, explicit_knowledge)?;
    let slack_tokens = slack::Tokens::from_env()?;
    let command = command.unwrap_or(if discord_token.is_some() || slack_tokens.is_some() {
        Command::Serve
    } else {
        Command::Chat {
            user: config::OPERATOR.into(),
            json: false,
        }
    });
    let bound = bind_web(&command, &config, listen_key)?;
    let announce_on = announce_on(
        &command,
        &config,
        discord_token.is_some(),
        slack_tokens.is_some(),
    );
    let open_commands = || -> Result<Arc<Commands>> {
        let mut settings = config.commands.clone();
        settings.knowledge_dirs = config.knowledge_dirs.clone();
        settings.knowledge_exact = explicit_knowledge;
        settings.journey.announce_on = announce_on.clone();
        settings.public_url = bound.as_ref().map(|b| b.base.clone());
        let commands = Commands::open(&db, Arc::clone(&kb), settings)
            .context("opening the command store")?
            .with_observer(Arc::new(web::metrics::Observer));
        commands.note_import(Ok(&import));
        Ok(Arc::new(commands))
    };
    match command {
        Command::Chat { user, json } => chat(open_commands()?, bound, &db, &config, &user, json),
        Command::Serve => {
            let ops = bound.as_ref().and_then(|b| ops(&db, &config, b));
            serve::serve(
                open_commands()?,
                &config,
                discord_token,
                slack_tokens,
                bound.map(|b| (b, ops)),
            )
        }
        Command::Ask { json, question } => {
            console::ask(&*open_commands()?, json, &question.join(" "))
        }
        Command::Kb { action } => kb_command(&kb, &config, action),
        Command::Bench { .. }
        | Command::Backup { .. }
        | Command::Health
        | Command::Restore { .. }
        | Command::Discord { .. }
        | Command::Slack { .. } => {
            unreachable!("handled above")
        }
    }
}

/// The configuration file with the command line's overrides, which key the web address came
/// from (for the message when it is taken), and whether knowledge folders were named.
fn configure(
    file: Option<&Path>,
    data: Option<PathBuf>,
    knowledge: Vec<PathBuf>,
    listen: Option<String>,
) -> Result<(Config, &'static str, bool)> {
    let mut config = Config::load(file)?;
    let listen_key = if let Some(addr) = listen {
        if addr.parse::<std::net::SocketAddr>().is_err() {
            anyhow::bail!("--listen: \"{addr}\" is not an address like 127.0.0.1:8080");
        }
        config.web.listen = addr;
        "--listen"
    } else {
        "web.listen"
    };
    if let Some(data) = data {
        config.data_dir = data;
    }
    let explicit_knowledge = !knowledge.is_empty();
    if explicit_knowledge {
        config.knowledge_dirs = knowledge;
    }
    bundled::resolve(&mut config)?;
    Ok((config, listen_key, explicit_knowledge))
}

/// The long-running modes serve the web side. Its socket is bound first, so that the links
/// the bot hands out carry the address it really listens on. A taken address stops `serve`;
/// in the terminal it is a warning.
fn bind_web(command: &Command, config: &Config, key: &str) -> Result<Option<web::Bound>> {
    Ok(match command {
        Command::Serve => web::bind(&config.web, key)?,
        Command::Chat { .. } => web::bind(&config.web, key).unwrap_or_else(|e| {
            eprintln!("warning: the web dashboard is off: {e:#}");
            None
        }),
        _ => None,
    })
}

/// What is left to do once the set-up commands, which need no store, have run.
enum Next {
    Done,
    Open(Option<Command>),
}

/// Runs the set-up commands that need no store, so they can run beside a serving bot.
fn without_store(
    command: Option<Command>,
    config: &Config,
    discord_token: &Option<String>,
) -> Result<Next> {
    match command {
        Some(Command::Backup { file }) => backup(&config.data_dir, &file)?,
        Some(Command::Health) => {
            let (status, body) = backup::ask_running_bot(&config.data_dir, "GET", "/health", &[])?;
            println!("{}", String::from_utf8_lossy(&body).trim());
            if status != 200 {
                anyhow::bail!("the bot is not healthy ({status})");
            }
        }
        Some(Command::Restore { file }) => restore(&config.data_dir, &file)?,
        Some(Command::Bench {
            answers,
            sections,
            knowledge_only,
            start_only,
            write_generated,
        }) => match write_generated {
            Some(dir) => bench::write_generated(&dir, sections)?,
            None if start_only => bench::start_only(config, answers)?,
            None => bench::run(config, answers, sections, knowledge_only)?,
        },
        Some(Command::Slack {
            action: SlackAction::Manifest,
        }) => print!("{}", slack::manifest::manifest()),
        Some(Command::Discord { action }) => discord_setup(action, config, discord_token.clone())?,
        other => return Ok(Next::Open(other)),
    }
    Ok(Next::Done)
}

/// Where program milestones are announced: the announcement channels of what this process
/// serves.
fn announce_on(
    command: &Command,
    config: &Config,
    discord: bool,
    slack: bool,
) -> Vec<commands::Platform> {
    match command {
        Command::Chat { .. } => vec![commands::Platform::Terminal],
        Command::Serve => {
            let mut on = Vec::new();
            if discord && config.discord.announcements_channel.is_some() {
                on.push(commands::Platform::Discord);
            }
            if slack && config.slack.announcements_channel.is_some() {
                on.push(commands::Platform::Slack);
            }
            on
        }
        _ => Vec::new(),
    }
}

/// The terminal, with the dashboard served beside it when its address could be bound.
fn chat(
    commands: Arc<Commands>,
    bound: Option<web::Bound>,
    db: &sled::Db,
    config: &Config,
    user: &str,
    json: bool,
) -> Result<()> {
    let history = config.data_dir.join("chat-history.txt");
    let dashboard = match bound {
        Some(bound) => {
            let url = format!("{}/dashboard", bound.base);
            let mut app = web::Web::new(Arc::clone(&commands), &bound.base, None);
            if let Some(ops) = ops(db, config, &bound) {
                app = app.with_ops(ops);
            }
            bound.serve_in_background(app, config.web.max_connections)?;
            Some(url)
        }
        None => None,
    };
    console::chat(commands, user, json, Some(history), dashboard)
}

/// `bot discord register` and `bot discord invite-url`.
fn discord_setup(action: DiscordAction, config: &Config, token: Option<String>) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    match action {
        DiscordAction::Register { guild } => {
            let token = token.context("DISCORD_TOKEN is not set")?;
            let n = runtime.block_on(discord::slash::register(&token, &config.discord, guild))?;
            match guild {
                Some(g) => println!("Registered {n} slash commands in server {g}."),
                None => println!("Registered {n} slash commands globally (Discord may take up to an hour to show them everywhere)."),
            }
        }
        DiscordAction::InviteUrl { application_id } => {
            let id = match application_id {
                Some(id) => id,
                None => {
                    let token = token.context("give --application-id, or set DISCORD_TOKEN")?;
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
    Ok(())
}

/// Lets `bot backup` reach this process through its web server; a warning when the token
/// cannot be written (then only a stopped bot can be backed up).
fn ops(db: &sled::Db, config: &Config, bound: &web::Bound) -> Option<web::Ops> {
    web::Ops::publish(db, &config.data_dir, bound.addr)
        .map_err(|e| eprintln!("warning: `bot backup` cannot reach this process: {e:#}"))
        .ok()
}

/// `bot backup FILE`: from the store, or from the running bot that holds it.
fn backup(data: &Path, file: &Path) -> Result<()> {
    let pairs = match open_db(data) {
        Ok(db) => backup::to_file(&db, file)?,
        Err(e) if format!("{e:#}").contains("another bot process") => {
            backup::from_running_bot(data, file)?
        }
        Err(e) => return Err(e),
    };
    println!("Backed up {pairs} entries to {}.", file.display());
    Ok(())
}

/// `bot restore FILE`: into the store, or into the running bot that holds it. A file that is
/// not a whole backup is refused and changes nothing.
fn restore(data: &Path, file: &Path) -> Result<()> {
    let refused = || format!("{} was not restored; nothing changed", file.display());
    let (pairs, into) = match open_db(data) {
        Ok(db) => (backup::from_file(&db, file).with_context(refused)?, ""),
        Err(e) if format!("{e:#}").contains("another bot process") => (
            backup::to_running_bot(data, file)?,
            " (the running bot now answers from it)",
        ),
        Err(e) => return Err(e),
    };
    println!(
        "Restored {pairs} entries from {} into {}{into}.",
        file.display(),
        data.display()
    );
    Ok(())
}

/// Opens the knowledge base on the store and brings it up to date with the folders.
fn load_knowledge(
    db: &sled::Db,
    config: &Config,
    exact: bool,
) -> Result<(Arc<KnowledgeBase>, ImportReport)> {
    let kb = open_kb(db, config)?;
    tracing::info!(
        "loading the knowledge base from {} folder(s)",
        config.knowledge_dirs.len()
    );
    let report = if exact {
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
    Ok((kb, report))
}

/// `bot kb …`.
fn kb_command(kb: &KnowledgeBase, config: &Config, action: KbAction) -> Result<()> {
    match action {
        KbAction::Import { dir } => {
            let report = kb
                .import(&dir)
                .with_context(|| format!("importing {}", dir.display()))?;
            print_report(&dir, &report);
        }
        KbAction::Forget { dir } => {
            let report = match kb.forget(&dir, &config.knowledge_dirs) {
                Err(knowledge::IndexError::Dir { path, .. }) if path == dir => {
                    anyhow::bail!("{}", not_imported(&dir, config.settings.fallback_lang))
                }
                other => other?,
            };
            println!(
                "Forgot {}: {} document(s) removed.",
                dir.display(),
                report.removed
            );
        }
        KbAction::Search { question } => {
            let question = question.join(" ");
            print!("{}", kb.explain(&question).understanding);
            println!("\nanswers covers  shared  focus aspect words  heading lang  section");
            for r in kb.search(&question, 8)? {
                let s = &r.section;
                let g = &r.signals;
                println!(
                    "{}       {:.2}    {:.2}    {:.2}  {:.2}   {:5.2} {:.2}    {:.2}  [{}] {} ({})",
                    if r.answers { "yes" } else { "no " },
                    r.coverage,
                    r.shared,
                    g.focus,
                    g.aspect,
                    g.words,
                    g.heading,
                    g.language,
                    s.lang,
                    s.heading(),
                    s.doc
                );
            }
        }
        KbAction::Terms { question } => {
            println!("{}", kb.explain(&question.join(" ")));
        }
        KbAction::Stats => {
            let s = kb.stats();
            println!("documents: {}\nsections:  {}", s.documents, s.sections);
            for (lang, n) in s.sections_per_language {
                println!("  {lang}: {n} sections");
            }
            println!(
                "index in memory: {:.1} MiB",
                s.index_bytes as f64 / (1024.0 * 1024.0)
            );
        }
    }
    Ok(())
}

/// Opens the embedded store in the data directory and the knowledge base on it.
pub(crate) fn open(config: &Config) -> Result<Arc<KnowledgeBase>> {
    open_kb(&open_db(&config.data_dir)?, config)
}

/// The knowledge base on the store opened in the configuration's data directory; it shares
/// the database with the commands.
pub(crate) fn open_kb(db: &sled::Db, config: &Config) -> Result<Arc<KnowledgeBase>> {
    let store = Arc::new(SledStore::in_dir(db.clone(), &config.data_dir));
    let kb = KnowledgeBase::open(store, config.settings.clone())
        .context("opening the knowledge base")?;
    Ok(Arc::new(kb))
}

pub(crate) fn open_db(dir: &Path) -> Result<sled::Db> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    // sled caches up to 1 GiB of pages by default: after an import that is most of the
    // knowledge base a second time, beside the answering index that already holds it.
    const SLED_CACHE: u64 = 32 * 1024 * 1024;
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(SLED_CACHE)
        .open()
        .map_err(|e| {
            let hint = if e.to_string().contains("lock") || e.to_string().contains("WouldBlock") {
                " (is another bot process using this data directory?)"
            } else {
                ""
            };
            anyhow::anyhow!("cannot open the store in {}: {e}{hint}", dir.display())
        })?;
    if let Some(pairs) = backup::finish_pending(&db, dir)? {
        eprintln!("note: finished a restore that was cut short ({pairs} entries)");
    }
    Ok(db)
}

/// `kb forget DIR` for a folder the knowledge base does not hold as an import: what
/// happened, and what to type instead, in the community's language.
fn not_imported(dir: &Path, lang: knowledge::Lang) -> String {
    let d = dir.display();
    match lang {
        knowledge::Lang::En => format!(
            "{d} is not a folder added with `bot kb import`: it was forgotten already, or never imported. Nothing changed. `bot kb stats` shows what the knowledge base holds; folders in config.toml (knowledge.dirs) are removed there."
        ),
        knowledge::Lang::Zh => format!(
            "{d} 不是用 `bot kb import` 添加的文件夹：它已经被移除过，或者从未导入。没有做任何改动。`bot kb stats` 可以查看知识库的内容；config.toml 里配置的文件夹（knowledge.dirs）要在那里删除。"
        ),
        knowledge::Lang::Pt => format!(
            "{d} não é uma pasta adicionada com `bot kb import`: já foi esquecida, ou nunca foi importada. Nada mudou. `bot kb stats` mostra o que a base contém; pastas do config.toml (knowledge.dirs) são removidas lá."
        ),
    }
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
