//! The terminal front end and the operator commands, through the real binary.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use tests::{stderr, stdout};

#[test]
fn ask_json_answers_in_the_question_language_with_sources() {
    let bot = crate::bot();
    let cases = [
        ("How do I become a Community Builder?", "en", "January"),
        ("全球有多少位 Hero？", "zh", "238"),
        (
            "Quantos eventos por ano um organizador de cidade precisa fazer?",
            "pt",
            "quatro",
        ),
    ];
    for (q, lang, fact) in cases {
        let v = bot.ask_json(&[], q);
        assert_eq!(v["answered"], true, "{q}: {v}");
        assert_eq!(v["lang"], lang, "{q}: {v}");
        let answer = v["answer"].as_str().unwrap();
        assert!(answer.contains(fact), "{q}: {answer}");
        let sources = v["sources"].as_array().unwrap();
        assert_eq!(sources.len(), 1);
        assert!(
            sources[0]["doc"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{lang}/")),
            "{v}"
        );
        assert!(!sources[0]["section"].as_str().unwrap().is_empty());
        assert!(v["score"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn out_of_scope_questions_are_declined_politely_in_their_language() {
    let bot = crate::bot();
    let v = bot.ask_json(&[], "What's the weather like in Seattle tomorrow?");
    assert_eq!(v["answered"], false);
    // Another subject is declined as such, with what the bot can answer instead.
    assert!(
        v["answer"]
            .as_str()
            .unwrap()
            .contains("outside what I can help with"),
        "{v}"
    );
    assert!(
        v["answer"].as_str().unwrap().contains("Community Builders"),
        "suggestions: {v}"
    );
    let v = bot.ask_json(&[], "明天北京天气怎么样？");
    assert_eq!(
        (v["answered"].clone(), v["lang"].clone()),
        (false.into(), "zh".into())
    );
    assert!(
        v["answer"]
            .as_str()
            .unwrap()
            .contains("超出了我能帮忙的范围"),
        "{v}"
    );
    let v = bot.ask_json(&[], "Qual é a receita de feijoada?");
    assert_eq!(
        (v["answered"].clone(), v["lang"].clone()),
        (false.into(), "pt".into())
    );
    assert!(
        v["answer"]
            .as_str()
            .unwrap()
            .contains("fora do que posso ajudar"),
        "{v}"
    );
}

#[test]
fn stdin_batch_gives_one_json_line_per_question_in_order() {
    let bot = crate::bot();
    let long = "volunteer ".repeat(6000);
    let input = format!(
        "how many heroes are there?\n\n{long}\n🙂🙂🙂\n.*+?[](){{}}|^$\\\nquais são os valores do grupo de usuários no Brasil?\n"
    );
    let out = bot.run(&["ask", "--json"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 6, "{}", stdout(&out));
    assert!(lines[0]["answer"].as_str().unwrap().contains("238"));
    assert_eq!(lines[1]["answered"], false);
    assert!(
        lines[2]["answer"].as_str().unwrap().contains("too long"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["answered"], false);
    assert_eq!(lines[4]["answered"], false);
    assert_eq!(lines[5]["lang"], "pt");
    assert!(
        lines[5]["answer"].as_str().unwrap().contains("Colaboração"),
        "{}",
        lines[5]
    );
}

#[test]
fn plain_ask_prints_answer_source_and_related_topics() {
    let bot = crate::bot();
    let out = bot.run(&["ask", "what perks does a UGL get?"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Source: "), "{text}");
    assert!(text.contains("en/user-group-leaders.md"), "{text}");
    assert!(text.contains("Related topics: "), "{text}");
    // A comparison cites both programs' sections, one line each.
    let out = bot.run(
        &[
            "ask",
            "whats the diff between a Hero and a Community Builder?",
        ],
        "",
    );
    let text = stdout(&out);
    assert!(text.contains("(en/heroes.md)"), "{text}");
    assert!(text.contains("(en/community-builders.md)"), "{text}");
}

#[test]
fn running_with_no_arguments_serves_the_terminal() {
    let bot = crate::bot();
    let out = bot.run(&[], "CB 有什么福利？\n/quit\nthis line is never read\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("来源："), "{text}");
    assert!(text.contains("500"), "{text}");
    assert!(!text.contains("never read"));
}

#[test]
fn operator_folders_load_with_broken_encodings_reported() {
    let bot = crate::bot();
    let docs = bot.dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("meetups.md"), "# Local meetups\n\n## Venue\n\nOur meetups happen at the Harbour Library, every second Tuesday.\n").unwrap();
    std::fs::write(
        docs.join("latin1.md"),
        b"# Encontros\n\nOs encontros acontecem na Biblioteca do Porto, \xe0s ter\xe7as-feiras.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("mojibake.md"),
        "# Sponsors\n\nThe sponsorâ€™s booth is at the entrance of the venue hall.\n",
    )
    .unwrap();
    let docs_arg = docs.to_str().unwrap();

    let out = bot.run(
        &[
            "--knowledge",
            docs_arg,
            "ask",
            "--json",
            "where do the meetups happen?",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("latin1.md") && err.contains("Windows-1252"),
        "{err}"
    );
    assert!(
        err.contains("mojibake.md") && err.contains("repaired"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["answer"].as_str().unwrap().contains("Harbour Library"),
        "{v}"
    );
    // Only the given folder is in effect: the shipped programs are not.
    let v = bot.ask_json(&["--knowledge", docs_arg], "how many heroes are there?");
    assert_eq!(v["answered"], false, "{v}");
    let v = bot.ask_json(&["--knowledge", docs_arg], "onde acontecem os encontros?");
    assert!(
        v["answer"].as_str().unwrap().contains("às terças-feiras"),
        "{v}"
    );
}

#[test]
fn kb_import_adds_a_folder_for_good_and_forget_drops_it() {
    let bot = crate::bot();
    let docs = bot.dir.path().join("extra");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("hackathon.md"),
        "# Hackathon\n\nThe winter hackathon prize is a pair of Graviton stickers.\n",
    )
    .unwrap();
    let out = bot.run(&["kb", "import", docs.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 added"), "{}", stdout(&out));
    let v = bot.ask_json(&[], "what is the hackathon prize?");
    assert!(v["answer"].as_str().unwrap().contains("Graviton"), "{v}");
    let v = bot.ask_json(&[], "how many heroes are there?");
    assert!(
        v["answer"].as_str().unwrap().contains("238"),
        "the shipped base stays: {v}"
    );
    let out = bot.run(&["kb", "forget", docs.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let v = bot.ask_json(&[], "what is the hackathon prize?");
    assert_eq!(v["answered"], false, "{v}");
    let out = bot.run(&["kb", "forget", docs.to_str().unwrap()], "");
    assert!(!out.status.success());
    // Twice: what happened, that nothing changed, and what to type instead.
    let err = stderr(&out);
    assert!(
        err.contains("is not a folder added with `bot kb import`")
            && err.contains("Nothing changed")
            && err.contains("`bot kb stats`"),
        "{err}"
    );
}

#[test]
fn kb_stats_counts_every_language() {
    let bot = crate::bot();
    let out = bot.run(&["kb", "stats"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for lang in ["en", "zh", "pt"] {
        let n: usize = text
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{lang}: ")))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no count for {lang}: {text}"));
        assert!(n > 50, "{lang} has {n} sections: {text}");
    }
    assert!(text.contains("documents: 36"), "{text}");
}

#[test]
fn a_bad_config_names_the_key_and_the_line() {
    let bot = crate::bot();
    let cfg = bot.dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "[knowledge]\nfallback_language = \"en\"\nconfidence_threshold = \"very\"\n",
    )
    .unwrap();
    let out = bot.run(&["--config", cfg.to_str().unwrap(), "ask", "hi"], "");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("line 3") && err.contains("confidence_threshold"),
        "{err}"
    );
    std::fs::write(&cfg, "[storage]\ndata_directory = \"x\"\n").unwrap();
    let out = bot.run(&["--config", cfg.to_str().unwrap(), "ask", "hi"], "");
    let err = stderr(&out);
    assert!(
        !out.status.success() && err.contains("line 2") && err.contains("data_directory"),
        "{err}"
    );
}

#[test]
fn a_second_process_on_the_same_data_is_told_why_it_cannot_start() {
    let bot = crate::bot();
    let mut first = bot
        .cmd(&["chat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait (at most a minute) until the first bot has the store open and has answered.
    let mut stdin = first.stdin.take().unwrap();
    writeln!(stdin, "how many heroes are there?").unwrap();
    let reader = BufReader::new(first.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first_answer = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the first bot answers");
    assert!(!first_answer.is_empty());
    let out = bot.run(&["ask", "hello"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("another bot process"),
        "{}",
        stderr(&out)
    );
    drop(stdin);
    assert!(first.wait().unwrap().success());
}

#[test]
fn a_bot_killed_during_an_import_leaves_a_store_that_opens_and_answers() {
    let bot = crate::bot();
    let docs = bot.dir.path().join("big");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("fact.md"),
        "# Mascot\n\n## The mascot\n\nThe community mascot is a purple capybara named Lambda.\n",
    )
    .unwrap();
    let docs_arg = docs.to_str().unwrap();
    // A fixed seed, then a random one: each round waits until the import has begun, then
    // kills the bot a seeded moment later. A kill that comes after the import finished
    // still checks the store, and the next delays are shorter, so that on a fast or a
    // loaded machine alike enough kills land while the import runs.
    for seed in crate::crash::seeds("IMPORT_CRASH_SEED") {
        let mut rng = crate::crash::Lcg(seed);
        let mut interrupted = 0;
        let mut longest = 200;
        let mut round = 0u64;
        while interrupted < 3 && round < 24 {
            // Each round changes every document but one, so there is a lot to import.
            write_filler(&docs, seed, round);
            std::fs::write(
                docs.join("doc0.md"),
                format!("# Topic 0\n\n## Round\n\nRound {round} of the crash test.\n"),
            )
            .unwrap();
            let delay = std::time::Duration::from_millis(rng.below(longest));
            if kill_during_import(&bot, docs_arg, delay) {
                interrupted += 1;
            } else {
                longest = (longest / 2).max(1);
            }
            let v = bot.ask_json(&["--knowledge", docs_arg], "what is the community mascot?");
            assert!(
                v["answer"].as_str().unwrap().contains("capybara"),
                "seed {seed}, round {round}: {v}"
            );
            // The document the killed import was bringing in is there after the next start.
            let v = bot.ask_json(
                &["--knowledge", docs_arg],
                "which round of the crash test is it?",
            );
            let want = format!("Round {round} of the crash test");
            assert!(
                v["answer"].as_str().unwrap().contains(&want),
                "seed {seed}, round {round}: {v}"
            );
            round += 1;
        }
        assert!(
            interrupted >= 3,
            "seed {seed}: only {interrupted} of {round} kills interrupted an import"
        );
    }
}

/// Enough documents that an import takes a while, different in each round.
fn write_filler(docs: &std::path::Path, seed: u64, round: u64) {
    for d in 1..60 {
        let mut text = format!("# Topic {d}\n\n");
        for s in 0..40 {
            text.push_str(&format!("## Part {d}-{s}\n\nFiller about meetups, volunteers and speakers number {s} in topic {d}, round {round} of seed {seed}.\n\n"));
        }
        std::fs::write(docs.join(format!("doc{d}.md")), text).unwrap();
    }
}

/// Starts an import, waits until the bot says it has begun, kills the bot `delay` later, and
/// tells whether the import was still running then (the bot never said it finished).
fn kill_during_import(bot: &tests::Bot, docs: &str, delay: std::time::Duration) -> bool {
    let mut child = bot
        .cmd(&["--knowledge", docs, "kb", "stats"])
        .env("RUST_LOG", "bot=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap()).lines();
    let began = log
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("loading the knowledge base"));
    assert!(began, "the bot never said it began the import");
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
    // The bot is gone: whatever it wrote is all there is to read.
    !log.map_while(Result::ok)
        .any(|l| l.contains("knowledge base loaded"))
}

#[test]
fn input_that_is_not_utf8_is_answered_not_fatal() {
    let bot = crate::bot();
    let mut child = bot
        .cmd(&["ask", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"caf\xe9 volunt\xe1rio?\nhow many heroes are there?\n")
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("238"), "{}", lines[1]);
}
