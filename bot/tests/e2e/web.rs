//! The web side of the real binary: the listener keeps answering `/health` while hundreds
//! of idle connections are held open under a low descriptor limit; a port already taken is
//! an error for `bot serve` and a warning in the terminal; and the dashboard in a real,
//! headless Chromium (chromedriver), signed in by a link the terminal hands out.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long anything here may take before the test gives up (not a speed check).
const WAIT: Duration = Duration::from_secs(60);

/// A community with olga as organizer and ada as admin, and no reminders (none is due in
/// these tests, and their lines would come between the replies).
const CONFIG: &str = r#"
[community]
timezone = "America/Sao_Paulo"
reminders = []

[permissions.terminal]
admins = ["ada"]
organizers = ["olga"]
"#;

/// `bot chat --json` kept open: one line in, one JSON reply out (clock lines left out).
struct Chat {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: mpsc::Receiver<Value>,
}

impl Chat {
    fn start(mut command: Command) -> Chat {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("bot starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let v: Value =
                    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
                // What the clock prints on its own (the event's post brought up to date once
                // it starts, reminders) is no reply to a line: when it comes depends on time.
                if v["clock"] == true {
                    continue;
                }
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Chat {
            stdin: child.stdin.take(),
            child,
            replies,
        }
    }

    fn say(&mut self, line: &str) -> Value {
        let stdin = self.stdin.as_mut().expect("open");
        writeln!(stdin, "{line}").expect("line sent");
        stdin.flush().expect("flushed");
        self.replies
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no reply to {line:?}"))
    }

    /// `say`, and the reply must be a success.
    fn ok(&mut self, line: &str) -> Value {
        let r = self.say(line);
        assert_eq!(r["ok"], true, "{line}: {r:#}");
        r
    }
}

impl Drop for Chat {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first web link in a reply's text.
fn link(reply: &Value) -> String {
    let text = reply["text"].as_str().unwrap_or_default();
    let start = text
        .find("http://")
        .unwrap_or_else(|| panic!("a link in {reply:#}"));
    text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

/// `http://host:port` of a link.
fn origin(link: &str) -> String {
    let rest = &link["http://".len()..];
    format!("http://{}", &rest[..rest.find('/').unwrap_or(rest.len())])
}

/// One HTTP/1.1 GET with its own connection: the status and the body.
fn get(origin: &str, path: &str) -> std::io::Result<(u16, String)> {
    let addr = origin.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

#[test]
fn health_answers_while_hundreds_of_idle_connections_are_held_under_a_low_descriptor_limit() {
    const LIMIT: u64 = 256;
    const IDLE: usize = 400;
    let bot = crate::bot();
    bot.config(CONFIG);
    let mut chat = Chat::start(bot.cmd_limited(Some(LIMIT), &["chat", "--json", "--as", "olga"]));
    let site = origin(&link(&chat.ok("dashboard")));
    assert_eq!(get(&site, "/health").expect("health").0, 200);

    // More connections than the bot has descriptors: half say nothing, half start a
    // request and never finish its headers.
    let addr = site.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for i in 0..IDLE {
        let Ok(mut s) = TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(5))
        else {
            continue;
        };
        if i % 2 == 1 {
            let _ = s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n");
        }
        held.push(s);
    }
    assert!(
        held.len() > LIMIT as usize,
        "{} connections held",
        held.len()
    );

    // While they are all still open on this side, /health is answered.
    let deadline = Instant::now() + WAIT;
    let answered = loop {
        match get(&site, "/health") {
            Ok((200, body)) => break Some(body),
            _ if Instant::now() > deadline => break None,
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let body = answered.expect("/health answered while the idle connections are held");
    let health: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(health["ok"], true, "{health:#}");
    // And the bot still does its work.
    assert_eq!(chat.ok("help")["ok"], true);
    drop(held);
}

#[test]
fn a_taken_port_stops_serve_naming_the_key_and_only_warns_in_the_terminal() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let bot = crate::bot().listening_on(addr.clone());
    bot.config(CONFIG);
    let out = bot
        .cmd(&["serve"])
        .env("DISCORD_TOKEN", "not-used")
        .output()
        .expect("bot runs");
    assert!(!out.status.success());
    let err = tests::stderr(&out);
    assert!(err.contains("--listen") && err.contains(&addr), "{err}");

    let out = bot.run(&["chat", "--json", "--as", "olga"], "help\ndashboard\n");
    assert!(out.status.success(), "{}", tests::stderr(&out));
    let err = tests::stderr(&out);
    assert!(err.contains("warning: the web dashboard is off"), "{err}");
    let replies: Vec<Value> = tests::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(replies[0]["ok"], true);
    assert_eq!(replies[1]["error"], "web_off", "{:#}", replies[1]);
}

/// A free local port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a port of its own, stopped with the test.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<(Driver, u16)> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let driver = Driver(child);
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, port))
}

/// The event's start: a little after now, as RFC 3339 with seconds, and as Unix time.
fn soon(after: Duration) -> (String, i64) {
    let secs = jiff::Timestamp::now().as_second() + after.as_secs() as i64;
    let at = jiff::Timestamp::from_second(secs).unwrap();
    (at.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string(), secs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_signs_in_with_a_terminal_link_and_marks_a_volunteer_present_in_chromium() {
    use fantoccini::{ClientBuilder, Locator};

    let Some((_driver, port)) = chromedriver() else {
        // CI (.ci/run) installs Chromium and sets BOT_REQUIRE_BROWSER, so there this fails;
        // on a developer's machine without Chromium it says loudly that it did not run.
        assert!(
            std::env::var_os("BOT_REQUIRE_BROWSER").is_none(),
            "chromedriver is not installed (.ci/run installs Debian's chromium-driver)"
        );
        eprintln!(
            "NOT RUN: the dashboard browser test needs chromium and chromedriver \
             (Debian: apt-get install chromium chromium-driver)"
        );
        return;
    };
    let bot = crate::bot();
    bot.config(CONFIG);
    let mut chat = Chat::start(bot.cmd(&["chat", "--json", "--as", "olga"]));

    // An event starting shortly (attendance is taken once it has started), a volunteer;
    // timed from the first reply, when the bot has finished starting.
    chat.ok("help");
    let (start, start_secs) = soon(Duration::from_secs(15));
    chat.ok(&format!("/announce title: Web night start: {start}"));
    chat.ok("/volunteer call e1 host:1 onsite:1");
    chat.ok("/as ada");
    chat.ok("/track add serverless Serverless");
    chat.ok("/as mia");
    chat.ok("/press vol:signup:v1:host");
    chat.ok("/talks propose title: Door talks abstract: What we learnt at the door track: serverless level: introductory language: en duration: 20 event: e1");
    let member_link = link(&chat.ok("dashboard"));
    chat.ok("/as olga");
    let organizer_link = link(&chat.ok("dashboard"));
    let site = origin(&organizer_link);

    let profile = tempfile::tempdir().unwrap();
    let caps: serde_json::Map<String, Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }
    }))
    .unwrap();
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let browser = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");
    let page_text = |b: &fantoccini::Client| {
        let b = b.clone();
        async move {
            b.find(Locator::Css("main"))
                .await
                .expect("a page")
                .text()
                .await
                .expect("its text")
        }
    };

    // Sign in: the link shows a page with a button, the button opens a session.
    browser.goto(&organizer_link).await.unwrap();
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("sign-in"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("header .who"))
        .await
        .expect("the overview, signed in");
    assert!(page_text(&browser).await.contains("Welcome, @olga"));

    // The roster: mia signed up as host.
    browser
        .goto(&format!("{site}/dashboard/events/e1"))
        .await
        .unwrap();
    let roster = page_text(&browser).await;
    assert!(
        roster.contains("@mia") && roster.contains("host"),
        "{roster}"
    );
    // Attendance is taken once the event has started.
    let deadline = Instant::now() + WAIT;
    while jiff::Timestamp::now().as_second() <= start_secs {
        assert!(Instant::now() < deadline, "the event never started");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    browser
        .find(Locator::Id("present-mia"))
        .await
        .expect("a checkbox for mia")
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::Id("mark-v1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("section.reply"))
        .await
        .expect("the command's reply");
    let done = page_text(&browser).await;
    assert!(done.contains("Marked 1 volunteer(s) as present"), "{done}");
    browser
        .goto(&format!("{site}/dashboard/events/e1"))
        .await
        .unwrap();
    let screenshot = browser.screenshot().await.expect("a screenshot");
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard.png");
    std::fs::write(&shot, screenshot).unwrap();
    eprintln!("dashboard screenshot: {}", shot.display());

    // The terminal sees the shift recorded.
    let roster = chat.ok("volunteer roster v1");
    assert!(
        roster["fields"].to_string().contains("(mia) ✔"),
        "{roster:#}"
    );

    // A form without its CSRF token changes nothing: onsite is still open in chat.
    browser
        .execute(
            "const f = document.createElement('form'); f.method = 'post';\
             f.action = '/dashboard/events/e1/edit';\
             const i = document.createElement('input'); i.name = 'title'; i.value = 'Forged';\
             f.appendChild(i); document.body.appendChild(f); f.submit();",
            vec![],
        )
        .await
        .unwrap();
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("refused"))
        .await
        .expect("the forged form refused");
    assert!(page_text(&browser).await.contains("nothing was changed"));
    browser.goto(&format!("{site}/events/e1")).await.unwrap();
    assert!(!page_text(&browser).await.contains("Forged"));

    // The same sign-in link a second time is refused.
    browser.goto(&organizer_link).await.unwrap();
    let again = page_text(&browser).await;
    assert!(again.contains("used already"), "{again}");

    // A member's link opens a session that cannot read the audit log.
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&member_link).await.unwrap();
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("header .who"))
        .await
        .expect("signed in as mia");
    browser
        .goto(&format!("{site}/dashboard/audit"))
        .await
        .unwrap();
    let audit = page_text(&browser).await;
    assert!(audit.contains("Not allowed"), "{audit}");

    // Her talk proposal, and where it stands, on the Talks page.
    browser
        .goto(&format!("{site}/dashboard/talks"))
        .await
        .unwrap();
    let talks = page_text(&browser).await;
    assert!(
        talks.contains("Door talks") && talks.contains("waiting for a first review"),
        "{talks}"
    );
    browser.close().await.unwrap();
}

/// A running bot (olga in its terminal) holding the event "Backup night", and a backup of
/// its store taken through it; the command's output.
fn backed_up() -> (tests::Bot, Chat, std::path::PathBuf, std::process::Output) {
    let bot = crate::bot();
    bot.config(CONFIG);
    let mut chat = Chat::start(bot.cmd(&["chat", "--json", "--as", "olga"]));
    chat.ok("/announce title: Backup night start: 2030-12-05 19:00");
    let file = bot.dir.path().join("store.backup");
    let out = bot
        .cmd(&["backup", file.to_str().unwrap()])
        .output()
        .expect("backup runs");
    assert!(out.status.success(), "{}", tests::stderr(&out));
    (bot, chat, file, out)
}

#[test]
fn a_backup_taken_while_the_bot_runs_restores_into_a_new_store() {
    let (bot, mut chat, file, out) = backed_up();
    assert!(
        tests::stdout(&out).contains("Backed up"),
        "{}",
        tests::stdout(&out)
    );
    // The running bot goes on, and says it is healthy.
    chat.ok("help");
    let out = bot.cmd(&["health"]).output().expect("health runs");
    assert!(out.status.success(), "{}", tests::stderr(&out));
    assert!(
        tests::stdout(&out).contains("\"ok\":true"),
        "{}",
        tests::stdout(&out)
    );
    drop(chat);

    let other = crate::bot();
    other.config(CONFIG);
    let out = other
        .cmd(&["restore", file.to_str().unwrap()])
        .output()
        .expect("restore runs");
    assert!(out.status.success(), "{}", tests::stderr(&out));
    let r = other.chat_json("olga", &["events"]);
    assert!(r[0].to_string().contains("Backup night"), "{:#}", r[0]);

    // Something that is not a backup is refused, and the store is left as it was.
    let junk = other.dir.path().join("junk");
    std::fs::write(&junk, "not a backup").unwrap();
    let out = other
        .cmd(&["restore", junk.to_str().unwrap()])
        .output()
        .expect("restore runs");
    assert!(!out.status.success());
    assert!(
        tests::stderr(&out).contains("not a backup"),
        "{}",
        tests::stderr(&out)
    );
    let r = other.chat_json("olga", &["events"]);
    assert!(r[0].to_string().contains("Backup night"), "{:#}", r[0]);
}

#[test]
fn a_backup_restored_while_the_bot_runs_brings_back_what_it_held() {
    let (bot, mut chat, file, _) = backed_up();
    chat.ok("/event cancel e1");
    chat.ok("/announce title: Later night start: 2030-12-12 19:00");
    let events = chat.ok("events").to_string();
    assert!(!events.contains("Backup night"), "{events}");

    // A cut-off file is refused before anything is sent, and the bot keeps its state.
    let bytes = std::fs::read(&file).unwrap();
    let cut = bot.dir.path().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = bot
        .cmd(&["restore", cut.to_str().unwrap()])
        .output()
        .expect("restore runs");
    assert!(!out.status.success());
    let refused = tests::stderr(&out);
    assert!(
        refused.contains("cut short") && refused.contains("nothing changed"),
        "{refused}"
    );
    let events = chat.ok("events").to_string();
    assert!(events.contains("Later night"), "{events}");

    let out = bot
        .cmd(&["restore", file.to_str().unwrap()])
        .output()
        .expect("restore runs");
    assert!(out.status.success(), "{}", tests::stderr(&out));
    assert!(
        tests::stdout(&out).contains("the running bot now answers from it"),
        "{}",
        tests::stdout(&out)
    );
    // The same running bot lists the event again (cancelled events are not listed), and
    // not the one announced after the backup.
    let events = chat.ok("events").to_string();
    assert!(events.contains("Backup night"), "{events}");
    assert!(!events.contains("Later night"), "{events}");
}
