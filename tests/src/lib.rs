//! What the end-to-end tests of the bot (`bot/tests/e2e`) and its benchmarks (`examples/`)
//! share: running the real `bot` binary in a scratch directory, and the local Discord and Slack
//! emulators they run it against.

pub mod bench;
pub mod discord;
mod emulator;
pub mod slack;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The `bot` binary for the benchmarks in `examples/`, built on first use with the profile
/// they run with. The end-to-end tests do not need this: they live beside the `bot` crate
/// (`bot/tests/e2e`) and use the binary Cargo builds for them ([`Bot::with_binary`]).
///
/// It is built in a target directory of its own (`target/e2e`): an example build unifies the
/// dependencies' features across this package's dev-dependencies, a build of `bot` alone does
/// not, and in one directory each would rebuild serenity and its kin over the other's.
pub fn bot_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("the running program's path");
        let profile_dir = exe
            .ancestors()
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n == "debug" || n == "release")
            })
            .expect("target/<profile>");
        let profile = profile_dir.file_name().expect("a profile").to_owned();
        let target_dir = profile_dir.parent().expect("target").join("e2e");
        let cargo = option_env!("CARGO").unwrap_or("cargo");
        let mut build = Command::new(cargo);
        build
            .args([
                "build",
                "--quiet",
                "-p",
                "bot",
                "--bin",
                "bot",
                "--target-dir",
            ])
            .arg(&target_dir);
        if profile == "release" {
            build.arg("--release");
        }
        let status = build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the bot binary failed");
        let bin = target_dir
            .join(&profile)
            .join(format!("bot{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} was not built", bin.display());
        bin
    })
}

/// The knowledge base shipped with the bot.
pub fn shipped_kb() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge/kb")
}

/// A bot run in a scratch directory with its own data folder and no config file.
pub struct Bot {
    pub dir: tempfile::TempDir,
    bin: PathBuf,
    /// The web server's address (`--listen`): any free port unless a test needs a known one,
    /// so that bots run side by side never fight over one.
    listen: String,
}

impl Default for Bot {
    fn default() -> Self {
        Self::new()
    }
}

impl Bot {
    /// The benchmarks' bot: [`bot_binary`], built on first use.
    pub fn new() -> Self {
        Self::with_binary(bot_binary())
    }

    /// A bot run from `bin` (tests beside the `bot` crate pass `env!("CARGO_BIN_EXE_bot")`).
    pub fn with_binary(bin: impl Into<PathBuf>) -> Self {
        Bot {
            dir: tempfile::tempdir().expect("scratch dir"),
            bin: bin.into(),
            listen: "127.0.0.1:0".into(),
        }
    }

    /// Serves the web side on `addr` instead of a free port.
    pub fn listening_on(mut self, addr: impl Into<String>) -> Self {
        self.listen = addr.into();
        self
    }

    /// A command in the scratch directory, data kept there.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_limited(None, args)
    }

    /// [`Self::cmd`], with at most `nofile` open descriptors when given: run under
    /// `prlimit --nofile=N:N` (util-linux) when the machine has it, else under the shell's
    /// `ulimit -n`. Either way the bot is the process itself (an exec, not a child), so
    /// `/proc/<pid>` is the bot's.
    pub fn cmd_limited(&self, nofile: Option<u64>, args: &[&str]) -> Command {
        let mut c = match nofile {
            None => Command::new(&self.bin),
            Some(n) if Path::new("/usr/bin/prlimit").exists() => {
                let mut c = Command::new("/usr/bin/prlimit");
                c.arg(format!("--nofile={n}:{n}")).arg(&self.bin);
                c
            }
            Some(n) => {
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(&self.bin);
                c
            }
        };
        c.current_dir(self.dir.path())
            .arg("--data")
            .arg(self.dir.path().join("data"))
            .arg("--listen")
            .arg(&self.listen)
            .args(args)
            .env_remove("DISCORD_TOKEN")
            .env_remove("SLACK_BOT_TOKEN")
            .env_remove("SLACK_APP_TOKEN")
            .env_remove("SLACK_SIGNING_SECRET")
            .env_remove("RUST_LOG");
        c
    }

    /// `bot serve` with exactly these platform secrets set (e.g. `DISCORD_TOKEN`), its log
    /// on this process's standard error.
    pub fn serve(&self, secrets: &[(&str, &str)]) -> std::process::Child {
        self.cmd(&["serve"])
            .envs(secrets.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("bot starts")
    }

    /// `bot serve` with these platform secrets, its standard error collected in a [`Log`]
    /// (and copied to this process's), and at most `nofile` descriptors when given.
    pub fn serve_logged(&self, secrets: &[(&str, &str)], nofile: Option<u64>) -> (Child, Log) {
        let mut child = self
            .cmd_limited(nofile, &["serve"])
            .envs(secrets.iter().copied())
            .env("RUST_LOG", "warn,bot=info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bot starts");
        let log = Log::default();
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                eprintln!("{line}");
                sink.push(line);
            }
        });
        (child, log)
    }

    /// Runs with `input` on standard input.
    pub fn run(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bot starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = input.to_string();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        });
        let out = child.wait_with_output().expect("bot finishes");
        writer.join().expect("stdin writer");
        out
    }

    /// `bot ask --json QUESTION`, parsed.
    pub fn ask_json(&self, extra: &[&str], question: &str) -> serde_json::Value {
        let mut args = extra.to_vec();
        args.extend(["ask", "--json", question]);
        let out = self.run(&args, "");
        assert!(
            out.status.success(),
            "bot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("one JSON object")
    }
}

impl Bot {
    /// Writes `config.toml` into the scratch directory, where the bot finds it.
    pub fn config(&self, text: &str) {
        std::fs::write(self.dir.path().join("config.toml"), text).expect("config written");
    }

    /// `bot chat --json --as USER` over `lines`: one parsed JSON reply per input line. The
    /// lines the clock prints on its own (`"clock": true`: reminders, offers, posts brought
    /// up to date) are left out, as when they come depends on the clock.
    pub fn chat_json(&self, user: &str, lines: &[&str]) -> Vec<serde_json::Value> {
        let mut input = lines.join("\n");
        input.push('\n');
        let out = self.run(&["chat", "--json", "--as", user], &input);
        assert!(out.status.success(), "bot failed: {}", stderr(&out));
        let replies: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .filter(|v: &serde_json::Value| v["clock"] != true)
            .collect();
        assert_eq!(
            replies.len(),
            lines.len(),
            "one reply per line: {replies:#?}"
        );
        replies
    }
}

/// A community with an admin (ada) and an organizer (olga) on the terminal; everyone else
/// is a member.
pub const COMMUNITY_CONFIG: &str = r#"
[community]
timezone = "America/Sao_Paulo"

[permissions.terminal]
admins = ["ada"]
organizers = ["olga"]
"#;

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The lines a bot wrote to its standard error, as they come.
#[derive(Clone, Default)]
pub struct Log(Arc<(Mutex<Vec<String>>, Condvar)>);

impl Log {
    fn push(&self, line: String) {
        self.0
             .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
        self.0 .1.notify_all();
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.0 .0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until at least `n` lines match `pred`; the matching lines, or `None` when
    /// `timeout` passed first.
    pub fn wait_for(
        &self,
        n: usize,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> Option<Vec<String>> {
        let end = Instant::now() + timeout;
        let mut lines = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let found: Vec<String> = lines.iter().filter(|l| pred(l)).cloned().collect();
            if found.len() >= n {
                return Some(found);
            }
            let now = Instant::now();
            if now >= end {
                return None;
            }
            lines = self
                .0
                 .1
                .wait_timeout(lines, end - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}
