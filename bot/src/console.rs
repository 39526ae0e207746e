//! The terminal front end: an interactive chat (with line editing and history when it is a
//! terminal), `chat --json` for scripts, and `ask` for single questions. Like every front end
//! it goes through `commands`; a reply is shown in its plain form.

use std::io::{BufRead, IsTerminal, StdinLock, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use commands::{
    Actor, Command, Commands, Destination, Draft, Feed, Input, Platform, Reply, Response,
};
use knowledge::Lang;
use knowledge::Messages;
use rustyline::error::ReadlineError;
use rustyline::{DefaultEditor, ExternalPrinter};
use serde_json::json;

use crate::config::OPERATOR;

/// How often the terminal checks for reminders that are due.
const TICK: Duration = Duration::from_secs(30);

/// `bot ask`: the question given, or one per line of standard input, answers in order.
pub fn ask(commands: &Commands, json: bool, question: &str) -> Result<()> {
    let actor = Actor::new(Platform::Terminal, OPERATOR, OPERATOR);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut answer = |q: String| -> Result<()> {
        let response = commands.handle(&actor, Input::Command(Command::Ask(q)));
        let reply = response.main();
        if json {
            writeln!(out, "{}", answer_json(reply))?;
        } else {
            writeln!(out, "{}\n", answer_text(reply))?;
        }
        out.flush()?;
        Ok(())
    };
    if !question.is_empty() {
        answer(question.to_string())?;
    } else {
        let mut input = std::io::stdin().lock();
        while let Some(line) = read_line(&mut input)? {
            answer(line)?;
        }
    }
    // Question statistics are written lazily.
    commands.flush()?;
    Ok(())
}

/// An answer as `bot ask` prints it: the text, its source and the related topics.
pub fn answer_text(reply: &Reply) -> String {
    let m = Messages::of(reply.lang);
    let mut out = reply.text.to_string();
    // Every section the answer took a fact from (both programs of a comparison, where to
    // apply), the main one first.
    for (i, src) in reply.citations.iter().enumerate() {
        let gap = if i == 0 { "\n\n" } else { "\n" };
        out.push_str(&format!("{gap}{} {} ({})", m.source, src.section, src.doc));
    }
    let related = reply.answer.as_ref().map_or(&[][..], |a| &a.related[..]);
    if !related.is_empty() {
        let topics: Vec<&str> = related.iter().map(|c| c.section.as_str()).collect();
        out.push_str(&format!("\n{} {}", m.related, topics.join("; ")));
    }
    out
}

/// One answer as the JSON line of `bot ask --json`: `answered`, `lang`, `answer` (the
/// text `bot ask` prints), `sources` and `score`, and the answer's `spans`.
pub fn answer_json(reply: &Reply) -> serde_json::Value {
    let (answered, score) = reply
        .answer
        .as_ref()
        .map_or((false, 0.0), |a| (a.answered, a.score));
    json!({
        "answered": answered,
        "lang": reply.lang.code(),
        "answer": answer_text(reply),
        "sources": reply.citations,
        "score": (f64::from(score) * 1000.0).round() / 1000.0,
        "spans": reply.text.spans(),
    })
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

/// Where the lines of a chat come from: a line editor with history in a terminal, else
/// standard input as it is.
enum Lines {
    Editor {
        editor: Box<DefaultEditor>,
        history: Option<PathBuf>,
    },
    Plain(StdinLock<'static>),
}

impl Lines {
    fn new(interactive: bool, history: Option<PathBuf>) -> Lines {
        if interactive {
            match DefaultEditor::new() {
                Ok(mut editor) => {
                    if let Some(h) = &history {
                        // No history yet is fine.
                        let _ = editor.load_history(h);
                    }
                    return Lines::Editor {
                        editor: Box::new(editor),
                        history,
                    };
                }
                Err(e) => tracing::warn!("no line editing: {e}"),
            }
        }
        Lines::Plain(std::io::stdin().lock())
    }

    /// The next line; `None` at the end (Ctrl-D). Ctrl-C clears the line being typed.
    fn next(&mut self) -> Result<Option<String>> {
        match self {
            Lines::Plain(input) => read_line(input),
            Lines::Editor { editor, .. } => loop {
                match editor.readline("> ") {
                    Ok(line) => {
                        if !line.trim().is_empty() {
                            let _ = editor.add_history_entry(line.as_str());
                        }
                        return Ok(Some(line));
                    }
                    Err(ReadlineError::Interrupted) => continue,
                    Err(ReadlineError::Eof) => return Ok(None),
                    Err(e) => return Err(e.into()),
                }
            },
        }
    }

    /// Somewhere to print from another thread without breaking the line being typed.
    fn printer(&mut self) -> Box<dyn FnMut(String) + Send> {
        if let Lines::Editor { editor, .. } = self {
            if let Ok(mut p) = editor.create_external_printer() {
                return Box::new(move |text| {
                    let _ = p.print(text);
                });
            }
        }
        Box::new(|text| println!("{text}"))
    }

    fn save(&mut self) {
        if let Lines::Editor {
            editor,
            history: Some(h),
        } = self
        {
            if let Err(e) = editor.save_history(h) {
                tracing::warn!("could not keep the chat history in {}: {e}", h.display());
            }
        }
    }
}

/// `bot chat`: the whole bot in a terminal. Each line is a question or a command, run as
/// `user`; `/press ID` presses a button, `/as USER` switches user, `/join` joins as a
/// new member would (the welcome), `/quit` ends. A reply with a form is answered with
/// `key: value` lines and an empty line (`/cancel` drops it). In a
/// terminal, arrow keys edit the line and go through the history (kept in `history`).
pub fn chat(
    commands: Arc<Commands>,
    user: &str,
    json: bool,
    history: Option<PathBuf>,
    dashboard: Option<String>,
) -> Result<()> {
    if !commands::text::valid_id(user) {
        anyhow::bail!("--as {user:?}: a user name is letters, digits and . _ - (at most 64)");
    }
    let interactive = std::io::stdin().is_terminal() && !json;
    let mut actor = Actor::new(Platform::Terminal, user, user);
    if interactive {
        // Load the language models now, not on the first question.
        knowledge::lang::warm_up();
        let stats = commands.knowledge().stats();
        let m = Messages::of(commands.knowledge().settings().fallback_lang);
        println!("{}", m.welcome(stats.documents, stats.sections));
        println!("(you are @{user}; `help` lists the commands, `/quit` ends)");
        if let Some(url) = &dashboard {
            let lang = commands.knowledge().settings().fallback_lang;
            println!("{}", dashboard_line(lang, url));
        }
        println!();
    }
    let mut lines = Lines::new(interactive, history);
    remind(Arc::clone(&commands), json, lines.printer())?;
    // A form being filled in, `key: value` a line, and the language it was asked in.
    let mut draft: Option<(Draft, Lang)> = None;
    while let Some(line) = lines.next()? {
        if let Some((d, lang)) = draft.as_mut() {
            match d.feed(&line) {
                Feed::More(field) => {
                    print_filling(&d.form().id, &field, json)?;
                    continue;
                }
                Feed::Done(input) => {
                    let response = commands.handle(&actor, *input);
                    draft = form_of(&response);
                    print_response(&response, json)?;
                    continue;
                }
                Feed::Cancelled => {
                    print_cancelled(*lang, json)?;
                    draft = None;
                    continue;
                }
                // Not an answer to the form: it is dropped and the line read as usual.
                Feed::NotMine => draft = None,
            }
        }
        let trimmed = line.trim();
        let response = match trimmed.split_once(' ').unwrap_or((trimmed, "")) {
            ("/quit" | "/exit", _) => break,
            ("/as", who) => {
                switch_user(&mut actor, who, json);
                continue;
            }
            ("/press", id) => commands.handle(&actor, Input::Press(id.trim().to_string())),
            // As if the member had just joined the community: the welcome.
            ("/join", _) => commands.handle(&actor, Input::Command(Command::MemberJoined)),
            _ => commands.handle(&actor, Input::Text(line.clone())),
        };
        draft = form_of(&response);
        print_response(&response, json)?;
    }
    lines.save();
    // Question statistics are written lazily; the reminder thread keeps the store open,
    // so nothing else would flush them.
    commands.flush()?;
    Ok(())
}

/// Where the dashboard is, in the welcome.
fn dashboard_line(lang: knowledge::Lang, url: &str) -> String {
    match lang {
        knowledge::Lang::En => {
            format!("(the web dashboard is at {url}; `dashboard` gives you a sign-in link)")
        }
        knowledge::Lang::Zh => format!("（网页控制台在 {url}；输入 `dashboard` 获取登录链接）"),
        knowledge::Lang::Pt => {
            format!("(o painel web está em {url}; `painel` dá um link de acesso)")
        }
    }
}

/// The form the reply asks to fill in, as lines to type.
fn form_of(response: &Response) -> Option<(Draft, Lang)> {
    let main = response.replies.first()?;
    Some((main.form.as_ref()?.draft(), main.lang))
}

/// A line that went into a form: nothing to show in a terminal (the next line goes on);
/// in JSON, the line that says which field it filled.
fn print_filling(form: &str, field: &str, json: bool) -> Result<()> {
    if json {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{}",
            json!({"ok": true, "text": "", "title": null, "fields": [], "buttons": [], "error": null,
                   "filling": {"form": form, "field": field}})
        )?;
        out.flush()?;
    }
    Ok(())
}

/// `/cancel` while filling in a form.
fn print_cancelled(lang: Lang, json: bool) -> Result<()> {
    let text = match lang {
        Lang::En => "Form dropped; nothing was sent.",
        Lang::Zh => "表单已放弃，没有发送任何内容。",
        Lang::Pt => "Formulário descartado; nada foi enviado.",
    };
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(
            out,
            "{}",
            json!({"ok": true, "text": text, "title": null, "fields": [], "buttons": [], "error": null})
        )?;
    } else {
        writeln!(out, "{text}\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Prints reminders as they fall due, from a thread of their own.
fn remind(
    commands: Arc<Commands>,
    json: bool,
    mut print: Box<dyn FnMut(String) + Send>,
) -> Result<()> {
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || loop {
            for reply in commands.tick().replies {
                print(if json {
                    let mut v = reply_json(&reply);
                    // Direct messages are reminders and offers; the rest, posts brought up
                    // to date by the clock.
                    v["reminder"] = matches!(reply.destination, Destination::Direct { .. }).into();
                    v["clock"] = true.into();
                    v.to_string()
                } else {
                    format!("{}\n", show(&reply))
                });
            }
            std::thread::sleep(TICK);
        })?;
    Ok(())
}

/// `/as USER`.
fn switch_user(actor: &mut Actor, who: &str, json: bool) {
    let who = who.trim().trim_start_matches('@');
    let (ok, text) = if commands::text::valid_id(who) {
        *actor = Actor::new(Platform::Terminal, who, who);
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
}

fn print_response(response: &Response, json: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        // The whole line in one write: a reader sees it whole or not at all.
        let mut line = response_json(response).to_string();
        line.push('\n');
        out.write_all(line.as_bytes())?;
    } else {
        for reply in &response.replies {
            writeln!(out, "{}\n", show(reply))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A reply as terminal text, saying where it would go on a chat platform.
fn show(reply: &Reply) -> String {
    let to = match &reply.destination {
        Destination::Here | Destination::Private => String::new(),
        Destination::Announcements => "[posted to the announcement channel]\n".into(),
        Destination::Direct { user, .. } => format!("[direct message to @{user}]\n"),
        Destination::Update { key } => format!("[updates the post {key}]\n"),
        Destination::Channel { channel, .. } => format!("[posted to #{channel}]\n"),
        Destination::Thread { channel, name, .. } => {
            format!("[posted to #{channel}, in a new thread \"{name}\"]\n")
        }
        Destination::InThread { key } => format!("[in the thread of {key}]\n"),
    };
    format!("{to}{}", reply.plain())
}

/// One reply as JSON: `ok`, `text` (plain), `title`, `fields`, `buttons`, `error`, and the
/// rest, with the text's `spans`.
pub fn reply_json(r: &Reply) -> serde_json::Value {
    let mut v = serde_json::to_value(r).expect("replies serialise");
    v["spans"] = serde_json::to_value(r.text.spans()).expect("spans serialise");
    v
}

/// The JSON line for one input: the reply to the user, the other messages it caused under
/// `also`, and the platform changes under `effects`.
pub fn response_json(response: &Response) -> serde_json::Value {
    let mut main = reply_json(response.main());
    main["also"] = response.replies[1..].iter().map(reply_json).collect();
    main["effects"] = serde_json::to_value(&response.effects).expect("effects serialise");
    main
}
