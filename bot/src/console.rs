//! The terminal front end: an interactive chat, and `ask` for scripts.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;
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

/// `bot chat`: questions in, answers out, until end of input or `/quit`.
pub fn chat(kb: &KnowledgeBase) -> Result<()> {
    let interactive = std::io::stdin().is_terminal();
    // Load the language models now, not on the first question.
    knowledge::lang::warm_up();
    let stats = kb.stats();
    if interactive {
        let m = Messages::of(kb.settings().fallback_lang);
        println!("{}", m.welcome(stats.documents, stats.sections));
    }
    let mut input = std::io::stdin().lock();
    loop {
        if interactive {
            print!("> ");
            std::io::stdout().flush()?;
        }
        let Some(line) = read_line(&mut input)? else {
            break;
        };
        match line.trim() {
            "/quit" | "/exit" => break,
            "/help" => {
                let m = Messages::of(kb.settings().fallback_lang);
                println!("{}\n", m.welcome(stats.documents, stats.sections));
                continue;
            }
            _ => {}
        }
        let answer = kb.ask(&line)?;
        println!("{}\n", answer.render());
    }
    Ok(())
}
