//! The terminal front end: an interactive chat, and `ask` for scripts.

use std::io::{BufRead, IsTerminal, Write};

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use commands::{Actor, Commands, Destination, Input, Platform, Reply, Response};
use knowledge::{Answer, KnowledgeBase, Messages};
use serde_json::json;

/// One answer as the JSON line of `bot ask --json`.
pub fn answer_json(a: &Answer) -> serde_json::Value {
    json!({
        "answered": a.answered(),
        "lang": a.lang.code(),
        "answer": a.render(),
        "sources": a.sources(),
        "score": (f64::from(a.score) * 1000.0).round() / 1000.0,
    })
}

fn print_answer(out: &mut impl Write, a: &Answer, json: bool) -> Result<()> {
    if json {
        writeln!(out, "{}", answer_json(a))?;
    } else {
        writeln!(out, "{}\n", a.render())?;
    }
    Ok(())
}

/// `bot ask`: the question given, or one per line of standard input, answers in order.
pub fn ask(kb: &KnowledgeBase, json: bool, question: &str) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !question.is_empty() {
        return print_answer(&mut out, &kb.ask(question)?, json);
    }
    let mut input = std::io::stdin().lock();
    while let Some(line) = read_line(&mut input)? {
        print_answer(&mut out, &kb.ask(&line)?, json)?;
        out.flush()?;
    }
    Ok(())
}

/// One line of input; bytes that are not UTF-8 (a Latin-1 terminal) become U+FFFD instead
/// of ending the session.
fn read_line(input: &mut impl BufRead) -> Result<Option<String>> {
    let mut buf = Vec::new();
    if input.read_until(b'\n', &mut buf)? == 0 {
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&buf);
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

/// How often the terminal checks for reminders that are due.
const TICK: Duration = Duration::from_secs(30);

/// `bot chat`: the whole bot in a terminal. Each line is a question or a command, run as
/// `user`; `/press ID` presses a button, `/as USER` switches user, `/quit` ends.
pub fn chat(commands: Arc<Commands>, user: &str, json: bool) -> Result<()> {
    if !commands::text::valid_id(user) {
        anyhow::bail!("--as {user:?}: a user name is letters, digits and . _ - (at most 64)");
    }
    let interactive = std::io::stdin().is_terminal() && !json;
    if interactive {
        // Load the language models now, not on the first question.
        knowledge::lang::warm_up();
    }
    let mut actor = Actor::new(Platform::Terminal, user, user);
    if interactive {
        let stats = commands.knowledge().stats();
        let m = Messages::of(commands.knowledge().settings().fallback_lang);
        println!("{}", m.welcome(stats.documents, stats.sections));
        println!("(you are @{user}; `help` lists the commands, `/quit` ends)\n");
    }
    let ticker = {
        let commands = Arc::clone(&commands);
        std::thread::Builder::new()
            .name("reminders".into())
            .spawn(move || loop {
                for reply in commands.tick().replies {
                    let out = if json {
                        let mut v = reply_json(&reply);
                        v["reminder"] = true.into();
                        v.to_string()
                    } else {
                        format!("{}\n", show(&reply))
                    };
                    println!("{out}");
                }
                std::thread::sleep(TICK);
            })?
    };
    drop(ticker);
    let mut input = std::io::stdin().lock();
    loop {
        if interactive {
            print!("> ");
            std::io::stdout().flush()?;
        }
        let Some(line) = read_line(&mut input)? else {
            break;
        };
        let trimmed = line.trim();
        let response = match trimmed.split_once(' ').unwrap_or((trimmed, "")) {
            ("/quit" | "/exit", _) => break,
            ("/as", who) => {
                let who = who.trim().trim_start_matches('@');
                let (ok, text) = if commands::text::valid_id(who) {
                    actor = Actor::new(Platform::Terminal, who, who);
                    (true, format!("You are now @{who}."))
                } else {
                    (
                        false,
                        "Usage: /as USER (letters, digits and . _ -)".to_string(),
                    )
                };
                if json {
                    println!(
                        "{}",
                        json!({"ok": ok, "text": text, "title": null, "fields": [], "buttons": [], "error": (!ok).then_some("usage")})
                    );
                } else {
                    println!("{text}\n");
                }
                continue;
            }
            ("/press", id) => commands.handle(&actor, Input::Press(id.trim().to_string())),
            _ => commands.handle(&actor, Input::Text(line.clone())),
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if json {
            writeln!(out, "{}", response_json(&response))?;
        } else {
            for reply in &response.replies {
                writeln!(out, "{}\n", show(reply))?;
            }
        }
        out.flush()?;
    }
    // Question statistics are written lazily; the reminder thread keeps the store open,
    // so nothing else would flush them.
    commands.flush()?;
    Ok(())
}

/// A reply as terminal text, saying where it would go on a chat platform.
fn show(reply: &Reply) -> String {
    let to = match &reply.destination {
        Destination::Here | Destination::Private => String::new(),
        Destination::Announcements => "[posted to the announcement channel]\n".into(),
        Destination::Direct { user, .. } => format!("[direct message to @{user}]\n"),
        Destination::Update { key } => format!("[updates the post {key}]\n"),
    };
    format!("{to}{}", reply.plain())
}

/// One reply as JSON: `ok`, `text`, `title`, `fields`, `buttons`, `error`, and the rest.
pub fn reply_json(r: &Reply) -> serde_json::Value {
    serde_json::to_value(r).expect("replies serialise")
}

/// The JSON line for one input: the reply to the user, the other messages it caused under
/// `also`, and the platform changes under `effects`.
pub fn response_json(response: &Response) -> serde_json::Value {
    let mut main = reply_json(response.main());
    main["also"] = response.replies[1..].iter().map(reply_json).collect();
    main["effects"] = serde_json::to_value(&response.effects).expect("effects serialise");
    main
}
