//! Shared harness for the `commands` integration tests: one knowledge base per test
//! process (imported once from the shipped `knowledge/kb`), a fresh sled database per
//! test, a fixed configuration and a manual clock.

#![allow(dead_code)]

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use commands::{
    Access, Actor, Commands, Config, Input, Level, ManualClock, Platform, Reply, Response,
};
use jiff::Timestamp;
use knowledge::{KnowledgeBase, MemStore, Settings};

/// "Now" when a test starts: 2026-11-23 09:00 in São Paulo.
pub const NOW: &str = "2026-11-23T12:00:00Z";
/// 2026-12-05 19:00 in São Paulo, as UTC.
pub const DEC5_19H: &str = "2026-12-05T22:00:00Z";

/// The trees whose contents must not change when a command is refused.
pub const GUARDED: [&str; 14] = [
    "cmd.badges",
    "cmd.audit",
    "cmd.events",
    "cmd.calls",
    "cmd.reminders",
    "cmd.votes",
    "cmd.posts",
    "cmd.meta",
    "cmd.rsvps",
    "cmd.codes",
    "cmd.attendance",
    "cmd.standing",
    "cmd.series",
    "cmd.marks",
];

pub fn kb_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../knowledge/kb")).to_path_buf()
}

/// The shipped knowledge base, imported once per test process.
pub fn kb() -> Arc<KnowledgeBase> {
    static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| {
        let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default())
            .expect("open kb");
        let report = kb.sync_exact(&[kb_dir()]).expect("import the shipped kb");
        assert!(report.documents > 0, "the shipped knowledge base is empty");
        Arc::new(kb)
    })
    .clone()
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

/// Terminal: admin `ada`, organizers `olga` and `oscar`. Discord: admin role `R-ADMIN`, organizer role
/// `R-ORG`, admin user `D-ADA`. Slack: nothing configured.
pub fn config() -> Config {
    let mut cfg = Config {
        timezone: jiff::tz::TimeZone::get("America/Sao_Paulo").expect("tz"),
        knowledge_dirs: vec![kb_dir()],
        knowledge_exact: true,
        ..Config::default()
    };
    cfg.access.insert(
        Platform::Terminal,
        Access {
            admins: vec!["ada".into()],
            organizers: vec!["olga".into(), "oscar".into()],
            ..Access::default()
        },
    );
    cfg.access.insert(
        Platform::Discord,
        Access {
            admins: vec!["D-ADA".into()],
            admin_roles: vec!["R-ADMIN".into()],
            organizer_roles: vec!["R-ORG".into()],
            ..Access::default()
        },
    );
    cfg
}

/// One test's bot: its database, its commands and its clock.
pub struct World {
    pub db: sled::Db,
    pub cmds: Commands,
    pub clock: Arc<ManualClock>,
    pub dir: Option<tempfile::TempDir>,
    /// What the bot was opened with (and is reopened with).
    pub cfg: Config,
}

impl World {
    /// A bot on a temporary in-memory-backed sled database.
    pub fn new() -> World {
        World::with_config(config())
    }

    pub fn with_config(cfg: Config) -> World {
        let db = sled::Config::new()
            .temporary(true)
            .open()
            .expect("temporary sled");
        let clock = Arc::new(ManualClock::new(ts(NOW)));
        let cmds = Commands::open(&db, kb(), cfg.clone())
            .expect("open commands")
            .with_clock(clock.clone());
        World {
            db,
            cmds,
            clock,
            dir: None,
            cfg,
        }
    }

    /// A bot on a sled database in a temporary directory, so it can be reopened.
    pub fn on_disk() -> World {
        World::on_disk_with(config())
    }

    /// [`World::on_disk`] with this configuration.
    pub fn on_disk_with(cfg: Config) -> World {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = sled::Config::new()
            .path(dir.path().join("db"))
            .open()
            .expect("sled");
        let clock = Arc::new(ManualClock::new(ts(NOW)));
        let cmds = Commands::open(&db, kb(), cfg.clone())
            .expect("open commands")
            .with_clock(clock.clone());
        World {
            db,
            cmds,
            clock,
            dir: Some(dir),
            cfg,
        }
    }

    /// Drops the bot and its database and opens both again from disk (same clock).
    pub fn reopen(self) -> World {
        let World {
            db,
            cmds,
            clock,
            dir,
            cfg,
        } = self;
        let dir = dir.expect("reopen needs an on-disk world");
        db.flush().expect("flush");
        drop(cmds);
        drop(db);
        // sled's flusher thread can hold the file lock for a moment after the last handle
        // goes ("could not acquire lock"): the open is retried, with a deadline.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let db = loop {
            match sled::Config::new().path(dir.path().join("db")).open() {
                Ok(db) => break db,
                Err(e) if std::time::Instant::now() < deadline => {
                    eprintln!("sled reopen: {e}; trying again");
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => panic!("sled reopen: {e}"),
            }
        };
        let cmds = Commands::open(&db, kb(), cfg.clone())
            .expect("reopen commands")
            .with_clock(clock.clone());
        World {
            db,
            cmds,
            clock,
            dir: Some(dir),
            cfg,
        }
    }

    pub fn text(&self, who: &Actor, line: &str) -> Response {
        self.cmds.handle(who, Input::Text(line.to_string()))
    }

    pub fn press(&self, who: &Actor, id: &str) -> Response {
        self.cmds.handle(who, Input::Press(id.to_string()))
    }

    /// Runs a command that must succeed, and returns its response.
    pub fn ok(&self, who: &Actor, line: &str) -> Response {
        let r = self.text(who, line);
        assert!(
            r.main().ok,
            "{line:?} by {} failed: {:?}\n{}",
            who.user_id,
            r.main().error,
            r.main().plain()
        );
        r
    }

    /// Runs a command that must fail with `code`, and returns its response.
    pub fn fails(&self, who: &Actor, line: &str, code: &str) -> Response {
        let r = self.text(who, line);
        assert!(
            !r.main().ok,
            "{line:?} by {} should fail with {code}: {}",
            who.user_id,
            r.main().plain()
        );
        assert_eq!(r.main().error, Some(code), "{line:?}: {}", r.main().plain());
        r
    }

    pub fn set_time(&self, at: &str) {
        self.clock.set(ts(at));
    }

    /// A hash of every guarded tree's contents, by tree name.
    pub fn fingerprint(&self) -> BTreeMap<&'static str, u64> {
        fingerprint(&self.db)
    }

    /// Announces the standard event (e1 when it is the first): 2026-12-05 19:00–21:00.
    pub fn announce_standard(&self, who: &Actor) -> String {
        let r = self.ok(
            who,
            "/announce title: Serverless Night start: 2026-12-05 19:00 end: 21:00 place: Rua A, 10 description: Talks and pizza",
        );
        r.replies[1]
            .post_key
            .clone()
            .expect("post key")
            .trim_start_matches("event:")
            .to_string()
    }
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

pub fn fingerprint(db: &sled::Db) -> BTreeMap<&'static str, u64> {
    GUARDED
        .iter()
        .map(|name| {
            let tree = db.open_tree(name).expect("tree");
            let mut h = DefaultHasher::new();
            for kv in tree.iter() {
                let (k, v) = kv.expect("read");
                k.as_ref().hash(&mut h);
                v.as_ref().hash(&mut h);
            }
            (*name, h.finish())
        })
        .collect()
}

/// Number of records in a tree.
pub fn count(db: &sled::Db, tree: &str) -> usize {
    db.open_tree(tree).expect("tree").len()
}

pub fn ada() -> Actor {
    Actor::new(Platform::Terminal, "ada", "Ada")
}

pub fn olga() -> Actor {
    Actor::new(Platform::Terminal, "olga", "Olga")
}

/// A member with no configured rights (made an organizer in some tests by a badge).
pub fn otto() -> Actor {
    Actor::new(Platform::Terminal, "otto", "Otto")
}

/// A second configured organizer, who does not own olga's events.
pub fn oscar() -> Actor {
    Actor::new(Platform::Terminal, "oscar", "Oscar")
}

pub fn mia() -> Actor {
    Actor::new(Platform::Terminal, "mia", "Mia")
}

pub fn member(id: &str) -> Actor {
    Actor::new(Platform::Terminal, id, id.to_uppercase())
}

pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Member => "member",
        Level::Organizer => "organizer",
        Level::Admin => "admin",
    }
}

/// All of a reply as plain text.
pub fn plain(r: &Reply) -> String {
    r.plain()
}

/// Every reply of a response joined, for "does it say X anywhere".
pub fn all_text(r: &Response) -> String {
    r.replies
        .iter()
        .map(Reply::plain)
        .collect::<Vec<_>>()
        .join("\n----\n")
}

pub fn button_ids(r: &Reply) -> Vec<&str> {
    r.buttons.iter().map(|b| b.id.as_str()).collect()
}
