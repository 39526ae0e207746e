//! `bot bench`: answer latency (p50/p99) and throughput on the shipped knowledge base and on
//! a generated one, plus the time of a full import and of a start on an imported store.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use knowledge::KnowledgeBase;

use crate::config::Config;

mod generate;
use generate::generate;

/// The fixed questions every run times.
use knowledge::BENCH_QUESTIONS as QUESTIONS;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn time_answers(kb: &KnowledgeBase, answers: usize) -> Result<(Duration, Duration, f64)> {
    for q in QUESTIONS {
        kb.ask(q)?;
    }
    let mut samples = Vec::with_capacity(answers);
    let started = Instant::now();
    for i in 0..answers {
        let q = QUESTIONS[i % QUESTIONS.len()];
        let t = Instant::now();
        std::hint::black_box(kb.ask(q)?);
        samples.push(t.elapsed());
    }
    let total = started.elapsed();
    samples.sort_unstable();
    Ok((
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        answers as f64 / total.as_secs_f64(),
    ))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn measure(
    label: &str,
    config: &Config,
    dirs: &[std::path::PathBuf],
    data: &Path,
    answers: usize,
) -> Result<()> {
    let mut cfg = config.clone();
    cfg.data_dir = data.to_path_buf();
    reset_peak_memory();
    let t = Instant::now();
    let kb = crate::open(&cfg)?;
    let report = kb.sync_exact(dirs)?;
    let import = t.elapsed();
    let import_peak = memory("VmHWM");
    drop(kb);
    println!(
        "{label}: {} documents, {} sections",
        report.documents, report.sections
    );
    println!(
        "  full import          {}, process peak {}",
        ms(import),
        mib(import_peak)
    );
    // The start and the serving in a process of their own, as a bot started on this store:
    // this one still holds what the import's allocations left.
    let mut child = std::process::Command::new(std::env::current_exe()?);
    child.args(forwarded_options()).arg("--data").arg(data);
    for dir in dirs {
        child.arg("--knowledge").arg(dir);
    }
    let status = child
        .args(["bench", "--start-only", "--answers", &answers.to_string()])
        .status()?;
    anyhow::ensure!(status.success(), "the start on the imported store failed");
    Ok(())
}

/// The command line's `--config`, for the process that measures a start.
fn forwarded_options() -> Vec<String> {
    let args: Vec<String> = std::env::args().collect();
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a == "--config" {
            out.extend(args.get(i..i + 2).into_iter().flatten().cloned());
        } else if a.starts_with("--config=") {
            out.push(a.clone());
        }
    }
    out
}

/// A start on the imported store of the configuration (open, check every document is
/// unchanged, answer once), then the answers and the memory while serving.
pub fn start_only(config: &Config, answers: usize) -> Result<()> {
    let t = Instant::now();
    let kb = crate::open(config)?;
    kb.sync_exact(&config.knowledge_dirs)?;
    kb.ask(QUESTIONS[0])?;
    let start = t.elapsed();
    let (p50, p99, rate) = time_answers(&kb, answers)?;
    let serving = memory("VmRSS");
    let index = kb.stats().index_bytes;
    println!(
        "  start, imported store {} (open + unchanged check + first answer, new process)",
        ms(start)
    );
    println!(
        "  answer latency       p50 {}  p99 {}  over {answers} answers",
        ms(p50),
        ms(p99)
    );
    println!("  throughput           {rate:.0} answers/s (one thread)");
    println!(
        "  memory while serving process resident {}, answering index {:.1} MiB",
        mib(serving),
        index as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}

/// A figure of this process from /proc/self/status (VmRSS, VmHWM), in KiB; none off Linux.
fn memory(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Starts the process's peak resident size afresh, so that each import's peak is its own.
fn reset_peak_memory() {
    // "5" resets VmHWM to the current resident size (Linux 4.0 and later).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "unknown".to_string(),
        |k| format!("{:.1} MiB", k as f64 / 1024.0),
    )
}

fn latencies(mut samples: Vec<Duration>) -> String {
    samples.sort_unstable();
    format!(
        "p50 {}  p99 {}",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99))
    )
}

/// Commands through the one entry point, on a sled store of their own: sign-ups, badge
/// grants and talk proposals (each flushed before it returns), reads, and questions with
/// their statistics.
fn measure_commands(config: &Config, data: &Path, n: usize) -> Result<()> {
    let bench = CommandBench::open(config, data)?;
    bench.run(
        &bench.admin,
        "/announce title: Bench night start: 2099-01-01 19:00",
    )?;
    bench.run(&bench.admin, "/volunteer call e1 onsite:500")?;
    println!("commands (each change flushed to disk before the reply):");
    bench.timed("signup, 500-place", n.min(2_000), &|i| {
        (member(i), "volunteer signup v1 onsite".into())
    })?;
    bench.small_calls(n.min(2_000))?;
    bench.timed("badge grant", n.min(2_000), &|i| {
        (bench.admin.clone(), format!("/badge grant @m{i} speaker"))
    })?;
    bench.timed("badges (read)", n, &|i| {
        (member(i), format!("badges @m{}", i % 2_000))
    })?;
    bench.timed("events (read)", n, &|i| (member(i), "events".into()))?;
    bench.timed("ask (with stats)", n, &|i| {
        (member(i), QUESTIONS[i % QUESTIONS.len()].to_string())
    })?;
    // The member journey: link codes (each written and flushed), the welcome a joining
    // member gets, and the program calendar.
    bench.timed("link (a code)", n.min(2_000), &|i| {
        (member(i), "link".into())
    })?;
    let joined = std::cell::Cell::new(0usize);
    bench.timed_input("welcome (join)", n.min(2_000), &|| {
        let i = joined.get();
        joined.set(i + 1);
        (
            commands::Actor::new(commands::Platform::Terminal, format!("j{i}"), "Joiner"),
            commands::Input::Command(commands::Command::MemberJoined),
        )
    })?;
    bench.timed("calendar programs", n, &|i| {
        (member(i), "calendar programs".into())
    })?;
    bench.concurrent(n.min(2_000))?;
    bench.concurrent_rsvps(n.min(2_000))?;
    measure_talks(&bench, n.min(2_000))?;
    Ok(())
}

/// Talk proposals: proposing and scoring (flushed), and the reads that go over every
/// proposal (an owner's review list, an event's ranking) with `n` proposals in the store.
fn measure_talks(bench: &CommandBench, n: usize) -> Result<()> {
    let owner = commands::Actor::new(commands::Platform::Terminal, "owner", "Owner");
    bench.run(&bench.admin, "/track add bench Bench")?;
    bench.run(&bench.admin, "/track owner bench @owner")?;
    println!("talks:");
    bench.timed("talks propose", n, &|i| {
        (
            member(i),
            format!("/talks propose title: Talk {i} abstract: What {i} learned track: bench level: 200 language: en duration: 30 event: e1"),
        )
    })?;
    bench.timed("talks review (read)", n.min(200), &|_| {
        (owner.clone(), "/talks review".into())
    })?;
    bench.timed("talks score", n, &|i| {
        (
            owner.clone(),
            format!("/talks score p{} {} Fine", i + 1, 1 + i % 5),
        )
    })?;
    bench.timed("talks ranking (read)", n.min(200), &|_| {
        (bench.admin.clone(), "/talks ranking e1".into())
    })?;
    Ok(())
}

fn member(i: usize) -> commands::Actor {
    commands::Actor::new(
        commands::Platform::Terminal,
        format!("m{i}"),
        format!("Member {i}"),
    )
}

/// A store of its own with an admin, for timing commands.
struct CommandBench {
    commands: commands::Commands,
    admin: commands::Actor,
}

impl CommandBench {
    fn open(config: &Config, data: &Path) -> Result<Self> {
        use commands::{Actor, Commands, Platform};
        let mut cfg = config.clone();
        cfg.data_dir = data.to_path_buf();
        let db = crate::open_db(data)?;
        let kb = crate::open_kb(&db, &cfg)?;
        kb.sync_exact(&cfg.knowledge_dirs)?;
        let mut settings = cfg.commands.clone();
        settings
            .talks
            .track_owners
            .insert(Platform::Terminal, vec!["owner".into()]);
        settings.access.insert(
            Platform::Terminal,
            commands::Access {
                admins: vec!["admin".into()],
                ..Default::default()
            },
        );
        // What a joining member gets, to be timed.
        settings.journey.welcome.enabled = true;
        Ok(CommandBench {
            commands: Commands::open(&db, kb, settings)?,
            admin: Actor::new(Platform::Terminal, "admin", "Admin"),
        })
    }

    fn run(&self, actor: &commands::Actor, text: &str) -> Result<commands::Response> {
        let r = self
            .commands
            .handle(actor, commands::Input::Text(text.to_string()));
        anyhow::ensure!(r.main().ok, "bench command failed: {}", r.main().text);
        Ok(r)
    }

    fn timed(
        &self,
        label: &str,
        count: usize,
        make: &dyn Fn(usize) -> (commands::Actor, String),
    ) -> Result<()> {
        let mut samples = Vec::with_capacity(count);
        let t = Instant::now();
        for i in 0..count {
            let (actor, text) = make(i);
            let s = Instant::now();
            self.run(&actor, &text)?;
            samples.push(s.elapsed());
        }
        let rate = count as f64 / t.elapsed().as_secs_f64();
        println!(
            "  {label:<20} {}  {rate:.0}/s over {count}",
            latencies(samples)
        );
        Ok(())
    }

    /// Like [`Self::timed`], for inputs other than a typed line.
    fn timed_input(
        &self,
        label: &str,
        count: usize,
        make: &dyn Fn() -> (commands::Actor, commands::Input),
    ) -> Result<()> {
        let mut samples = Vec::with_capacity(count);
        let t = Instant::now();
        for _ in 0..count {
            let (actor, input) = make();
            let s = Instant::now();
            let r = self.commands.handle(&actor, input);
            anyhow::ensure!(r.main().ok, "bench command failed: {}", r.main().text);
            samples.push(s.elapsed());
        }
        let rate = count as f64 / t.elapsed().as_secs_f64();
        println!(
            "  {label:<20} {}  {rate:.0}/s over {count}",
            latencies(samples)
        );
        Ok(())
    }

    /// A typical call: 40 places; a new call every 40 sign-ups (their posting is not timed).
    fn small_calls(&self, n: usize) -> Result<()> {
        let mut samples = Vec::new();
        let t = Instant::now();
        let mut posting = Duration::ZERO;
        for i in 0..n {
            if i % 40 == 0 {
                // One call per event: a new event for each call.
                let p = Instant::now();
                let event = self.announce(&format!(
                    "/announce title: Small night {} start: 2099-01-01 19:00",
                    i / 40
                ))?;
                self.run(&self.admin, &format!("/volunteer call {event} onsite:40"))?;
                posting += p.elapsed();
            }
            let call = 2 + i / 40;
            let s = Instant::now();
            self.run(&member(i), &format!("volunteer signup v{call} onsite"))?;
            samples.push(s.elapsed());
        }
        let count = samples.len();
        let rate = count as f64 / (t.elapsed() - posting).as_secs_f64();
        println!(
            "  {:<20} {}  {rate:.0}/s over {count}",
            "signup, 40-place",
            latencies(samples)
        );
        Ok(())
    }

    /// Many members pressing the button at once share their disk flushes.
    fn concurrent(&self, n: usize) -> Result<()> {
        use commands::{Actor, Input, Platform};
        // One call per event: an event of its own.
        let event = self.announce("/announce title: Busy night start: 2099-01-03 19:00")?;
        let call = self.run(&self.admin, &format!("/volunteer call {event} onsite:40"))?;
        let call_id = call
            .replies
            .iter()
            .find_map(|r| r.post_key.as_deref()?.strip_prefix("call:"))
            .context("the call has no id")?
            .to_string();
        let threads = 8;
        let per = n / threads;
        let t = Instant::now();
        std::thread::scope(|s| {
            for k in 0..threads {
                let (commands, call_id) = (&self.commands, &call_id);
                s.spawn(move || {
                    for i in 0..per {
                        let actor =
                            Actor::new(Platform::Terminal, format!("c{k}x{i}"), "Concurrent");
                        commands.handle(
                            &actor,
                            Input::Text(format!("volunteer signup {call_id} onsite")),
                        );
                    }
                });
            }
        });
        let rate = (threads * per) as f64 / t.elapsed().as_secs_f64();
        println!(
            "  concurrent signup    {rate:.0}/s ({threads} threads, {} sign-ups on one 40-place call)",
            threads * per
        );
        Ok(())
    }
}

impl CommandBench {
    /// Announces an event as the admin; its id.
    fn announce(&self, line: &str) -> Result<String> {
        let r = self.run(&self.admin, line)?;
        r.replies
            .iter()
            .find_map(|r| r.post_key.as_deref()?.strip_prefix("event:"))
            .map(str::to_string)
            .context("the announcement has no event id")
    }

    /// Members answering Going at once to one event with 100 places: each answer takes a
    /// place or a waitlist spot, in one transaction, flushed before it returns.
    fn concurrent_rsvps(&self, n: usize) -> Result<()> {
        use commands::{Actor, Input, Platform};
        let event =
            self.announce("/announce title: RSVP night start: 2099-01-02 19:00 capacity: 100")?;
        let threads = 8;
        let per = n / threads;
        let t = Instant::now();
        let answers: Vec<(Duration, bool)> = std::thread::scope(|s| {
            let running: Vec<_> = (0..threads)
                .map(|k| {
                    let (commands, event) = (&self.commands, &event);
                    s.spawn(move || {
                        (0..per)
                            .map(|i| {
                                let actor =
                                    Actor::new(Platform::Terminal, format!("r{k}x{i}"), "Going");
                                let s = Instant::now();
                                let r = commands
                                    .handle(&actor, Input::Text(format!("rsvp {event} yes")));
                                (s.elapsed(), r.main().ok)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            running
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let rate = answers.len() as f64 / t.elapsed().as_secs_f64();
        let refused = answers.iter().filter(|(_, ok)| !ok).count();
        anyhow::ensure!(refused == 0, "{refused} RSVPs were refused");
        let samples = answers.into_iter().map(|(d, _)| d).collect();
        println!(
            "  concurrent rsvp      {}  {rate:.0}/s ({threads} threads, {} answers for 100 places)",
            latencies(samples),
            threads * per
        );
        Ok(())
    }
}

/// One GET on a kept-alive connection: the status, the body read whole.
fn http_get(stream: &mut std::io::BufReader<std::net::TcpStream>, path: &str) -> Result<u16> {
    use std::io::{BufRead, Read, Write};
    // One write per request: a request split over writes waits for delayed ACKs.
    let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes())?;
    let mut line = String::new();
    stream.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line)?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse()?;
            }
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(status)
}

/// The web side through its real listener on loopback: requests on one kept-alive
/// connection, with 100 events in the store, then `/health` while 1,000 idle connections
/// are held open.
fn measure_web(config: &Config, data: &Path, n: usize) -> Result<()> {
    use std::sync::Arc;
    let bench = CommandBench::open(config, data)?;
    for i in 0..100 {
        bench.run(
            &bench.admin,
            &format!("/announce title: Bench night {i} start: 2099-01-01 19:00 place: Rua A, {i}"),
        )?;
        bench.run(
            &bench.admin,
            &format!("/volunteer call e{} onsite:5", i + 1),
        )?;
    }
    let commands = Arc::new(bench.commands);
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let site = crate::web::Web::new(commands, &format!("http://{addr}"), None);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let limits = crate::web::server::Limits::new(256);
    let server = runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        crate::web::server::serve(listener, crate::web::app(site), limits, stopped).await
    });
    println!("web (one kept-alive connection on loopback, 100 events):");
    let connect = || -> Result<std::io::BufReader<std::net::TcpStream>> {
        let stream = std::net::TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(std::io::BufReader::new(stream))
    };
    let mut conn = connect()?;
    for (label, path) in [
        ("GET /health", "/health"),
        ("GET /calendar.ics", "/calendar.ics"),
        ("GET /events/e1", "/events/e1"),
        ("GET /metrics", "/metrics"),
    ] {
        let mut samples = Vec::with_capacity(n);
        let t = Instant::now();
        for _ in 0..n {
            let s = Instant::now();
            let status = http_get(&mut conn, path)?;
            anyhow::ensure!(status == 200, "{path}: {status}");
            samples.push(s.elapsed());
        }
        let rate = n as f64 / t.elapsed().as_secs_f64();
        println!("  {label:<20} {}  {rate:.0}/s over {n}", latencies(samples));
    }
    let idle: Vec<std::net::TcpStream> = (0..1_000)
        .filter_map(|_| std::net::TcpStream::connect(addr).ok())
        .collect();
    let mut samples = Vec::new();
    for _ in 0..n.min(200) {
        let s = Instant::now();
        let mut fresh = connect()?;
        let status = http_get(&mut fresh, "/health")?;
        anyhow::ensure!(status == 200, "/health with idle connections: {status}");
        samples.push(s.elapsed());
    }
    println!(
        "  {:<20} {}  (new connection each, {} idle held, cap {})",
        "/health, idle held",
        latencies(samples),
        idle.len(),
        limits.max_connections
    );
    drop(idle);
    let _ = stop.send(true);
    runtime.block_on(server)??;
    Ok(())
}

/// Writes the generated knowledge base of `sections` sections to `dir`.
pub fn write_generated(dir: &Path, sections: usize) -> Result<()> {
    generate(dir, sections)
}

pub fn run(config: &Config, answers: usize, sections: usize, knowledge_only: bool) -> Result<()> {
    let scratch = tempfile::tempdir()?;
    println!("bot bench: {} fixed questions, cycled", QUESTIONS.len());
    measure(
        "shipped knowledge base",
        config,
        &config.knowledge_dirs,
        &scratch.path().join("shipped"),
        answers,
    )?;
    if !knowledge_only {
        measure_commands(config, &scratch.path().join("commands"), answers.min(5_000))?;
        measure_web(config, &scratch.path().join("web"), answers.min(2_000))?;
    }
    let generated = scratch.path().join("generated-kb");
    generate(&generated, sections)?;
    measure(
        &format!("generated knowledge base ({sections} sections)"),
        config,
        &[generated],
        &scratch.path().join("generated"),
        answers,
    )?;
    Ok(())
}
