//! Kill -9 while members sign up and admins grant badges: after every restart, each change
//! the bot acknowledged is still there and the store opens cleanly.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tests::{Bot, COMMUNITY_CONFIG};

/// How many times the bot is killed; CI runs them all.
const ROUNDS: u64 = 20;

/// A small deterministic generator, so a failing seed can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn acknowledged_changes_survive_sigkill_at_random_moments() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash test seed: {seed} (set CRASH_SEED to replay)");
    let mut rng = Lcg(seed);
    let bot = Bot::new();
    bot.config(COMMUNITY_CONFIG);
    let setup = bot.chat_json(
        "ada",
        &[
            "/announce title: Crash night start: 2030-12-05 19:00",
            "/volunteer call e1 onsite:500",
        ],
    );
    assert!(setup.iter().all(|r| r["ok"] == true), "{setup:#?}");

    let mut granted: BTreeSet<String> = BTreeSet::new();
    let mut signed: BTreeSet<String> = BTreeSet::new();
    let mut next_user = 0u64;
    for round in 0..ROUNDS {
        let mut child = bot
            .cmd(&["chat", "--json", "--as", "ada"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bot starts");
        let mut stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let pid = child.id();
        // The killer strikes after a random delay, whatever the bot is doing then.
        let delay = Duration::from_millis(50 + rng.below(400));
        let killed = Arc::new(AtomicBool::new(false));
        let killer = {
            let killed = Arc::clone(&killed);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                killed.store(true, Ordering::SeqCst);
                let _ = std::process::Command::new("kill")
                    .args(["-9", &pid.to_string()])
                    .status();
            })
        };
        // Alternate grants and sign-ups, one at a time, recording each acknowledgement.
        loop {
            next_user += 1;
            let user = format!("u{next_user}");
            let (inputs, grant): (Vec<String>, bool) = if next_user.is_multiple_of(2) {
                (vec![format!("/badge grant @{user} speaker")], true)
            } else {
                (
                    vec![
                        format!("/as {user}"),
                        "volunteer signup v1 onsite".into(),
                        "/as ada".into(),
                    ],
                    false,
                )
            };
            let mut acked = true;
            for input in &inputs {
                if writeln!(stdin, "{input}")
                    .and_then(|_| stdin.flush())
                    .is_err()
                {
                    acked = false;
                    break;
                }
                match lines.next() {
                    Some(Ok(line)) => {
                        let v: serde_json::Value =
                            serde_json::from_str(&line).expect("a whole JSON line");
                        assert_eq!(v["ok"], true, "round {round}: {input}: {v:#}");
                        if input.starts_with("volunteer") {
                            signed.insert(user.clone());
                        }
                    }
                    _ => {
                        acked = false;
                        break;
                    }
                }
            }
            if grant && acked {
                granted.insert(user.clone());
            }
            if !acked {
                break;
            }
        }
        killer.join().unwrap();
        eprintln!(
            "round {round}: killed after {delay:?}; {} grants and {} sign-ups acknowledged so far",
            granted.len(),
            signed.len()
        );
        assert!(killed.load(Ordering::SeqCst));
        let _ = child.wait();

        // Reopen: every acknowledged change must be there.
        let mut checks: Vec<String> = granted.iter().map(|u| format!("badges @{u}")).collect();
        checks.push("volunteer roster v1".into());
        let refs: Vec<&str> = checks.iter().map(String::as_str).collect();
        let replies = bot.chat_json("ada", &refs);
        for (u, r) in granted.iter().zip(&replies) {
            assert!(
                r["text"].as_str().unwrap().contains("Speaker"),
                "round {round}: grant to {u} lost: {r:#}"
            );
        }
        let roster = replies.last().unwrap()["fields"].to_string();
        for u in &signed {
            assert!(
                roster.contains(&format!("@{u} ")),
                "round {round}: sign-up of {u} lost"
            );
        }
    }
    assert!(
        granted.len() + signed.len() > ROUNDS as usize,
        "the bot acknowledged almost nothing"
    );
}
