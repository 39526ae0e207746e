//! Kill -9 while members sign up and admins grant badges: after every restart, each change
//! the bot acknowledged is still there and the store opens cleanly.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tests::COMMUNITY_CONFIG;

/// How many times the bot is killed, for each seed; CI runs them all.
const ROUNDS: u64 = 10;

/// The seed every run tries, so a failure it finds is found again.
const FIXED_SEED: u64 = 0x5eed_c0ff_ee00_0011;

/// A small deterministic generator, so a failing seed can be replayed.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The seeds a crash test runs: the fixed one, then `var` when set (to replay a failure),
/// else one from the clock. Each is logged.
pub fn seeds(var: &str) -> [u64; 2] {
    let second = std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash test seeds: {FIXED_SEED} and {second} (set {var} to replay the second)");
    [FIXED_SEED, second]
}

#[test]
fn acknowledged_changes_survive_sigkill_at_random_moments() {
    for seed in seeds("CRASH_SEED") {
        survive_kills(seed);
    }
}

fn survive_kills(seed: u64) {
    let mut rng = Lcg(seed);
    let bot = crate::bot();
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
        let mut out = BufReader::new(child.stdout.take().unwrap());
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
                // A reply is acknowledged by its whole line; the kill may cut the last
                // one short, and then it was not.
                let mut line = String::new();
                match out.read_line(&mut line) {
                    Ok(_) if line.ends_with('\n') => {
                        let v: serde_json::Value =
                            serde_json::from_str(&line).expect("a whole JSON line");
                        assert_eq!(v["ok"], true, "seed {seed}, round {round}: {input}: {v:#}");
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
            "seed {seed}, round {round}: killed after {delay:?}; {} grants and {} sign-ups acknowledged so far",
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
                "seed {seed}, round {round}: grant to {u} lost: {r:#}"
            );
        }
        let roster = replies.last().unwrap()["fields"].to_string();
        for u in &signed {
            assert!(
                roster.contains(&format!("@{u} ")),
                "seed {seed}, round {round}: sign-up of {u} lost"
            );
        }
    }
    assert!(
        granted.len() + signed.len() > ROUNDS as usize,
        "seed {seed}: the bot acknowledged almost nothing"
    );
}
