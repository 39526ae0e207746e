//! The sled trees this crate owns, and the one way to change them: a transaction over all
//! of them, serialised by a lock, flushed before the caller hears it succeeded.

use std::cell::Cell;
use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use crate::error::CmdError;

/// One tree per kind of record. Values are JSON so that records can gain fields later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum T {
    /// `platform/user/badge` → [`crate::badges::Grant`]
    Badges = 0,
    /// big-endian sequence number → [`crate::badges::AuditEntry`]
    Audit,
    /// event id → [`crate::events::Event`]
    Events,
    /// call id → [`crate::volunteers::Call`] (sign-ups and waitlists live in the call)
    Calls,
    /// `call/platform/user/offset` → when the reminder was sent
    Reminders,
    /// question id → [`crate::asking::QuestionStat`]
    Questions,
    /// `question/platform/user` → the vote
    Votes,
    /// `platform/user` → the display name last seen
    People,
    /// `post key/platform` → where the front end posted it
    Posts,
    /// counters; `talk-title/platform/user/title` → the proposal id (duplicate check)
    Meta,
    /// `platform/user/call` → when the organizer marked them present
    Shifts,
    /// event id → [`crate::rsvp::Roster`] (who is going, waiting, offered, checked in)
    Rsvps,
    /// check-in code → event id
    Codes,
    /// `platform/user/event` → when they were checked in
    Attendance,
    /// `platform/user` → [`crate::rsvp::Standing`] (no-shows and their waitlist period)
    Standing,
    /// series id → [`crate::series::Series`]
    Series,
    /// `what/id` → when a post was brought up to date for it (RSVPs closed, started, …)
    Marks,
    /// track id → [`crate::talks::Track`] (its owners and framework)
    Tracks,
    /// proposal id → [`crate::talks::Proposal`] (reviews, veto, decision and deck in it)
    Talks,
    /// big-endian sequence number → [`crate::talks::TalkAudit`]
    TalkAudit,
    /// `platform/user/proposal` → when the organizer marked the talk given
    TalksGiven,
    /// Linked accounts, link codes (see [`crate::link`])
    Links,
    /// Questions handed to people, their threads and helpers' answers (see [`crate::handoff`])
    Handoffs,
    /// Program milestones posted and reminders asked for (see [`crate::milestones`])
    Milestones,
    /// `platform/user` → what a member chose on joining (see [`crate::welcome`])
    Members,
    /// selector → a [`crate::links`] token: sign-in links, dashboard sessions, calendar feeds
    Tokens,
    /// `platform/user` → the selector of the member's personal calendar feed
    Feeds,
    /// `day/answered|declined` → how many questions were answered or declined that day
    Days,
}

const NAMES: [&str; 28] = [
    "cmd.badges",
    "cmd.audit",
    "cmd.events",
    "cmd.calls",
    "cmd.reminders",
    "cmd.questions",
    "cmd.votes",
    "cmd.people",
    "cmd.posts",
    "cmd.meta",
    "cmd.shifts",
    "cmd.rsvps",
    "cmd.codes",
    "cmd.attendance",
    "cmd.standing",
    "cmd.series",
    "cmd.marks",
    "cmd.tracks",
    "cmd.talks",
    "cmd.talks.audit",
    "cmd.talks.given",
    "cmd.links",
    "cmd.handoffs",
    "cmd.milestones",
    "cmd.members",
    "cmd.tokens",
    "cmd.feeds",
    "cmd.days",
];

pub(crate) struct Trees {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    /// Writers take turns: a sign-up reads the call, decides and writes it back. sled's
    /// transactions would also be correct without it, but would retry under contention.
    write: Mutex<()>,
}

pub(crate) type TxResult<R> = Result<R, ConflictableTransactionError<CmdError>>;

/// A transaction in progress over every tree.
pub(crate) struct Tx<'a> {
    trees: &'a [TransactionalTree],
    /// Set once the transaction puts or removes anything.
    dirty: &'a Cell<bool>,
}

thread_local! {
    /// Durable writes that changed something, made on this thread (a command runs on one
    /// thread, so the difference across it says whether it changed anything).
    static WRITES: Cell<u64> = const { Cell::new(0) };
}

/// How many changing writes this thread has made so far.
pub(crate) fn writes_here() -> u64 {
    WRITES.with(Cell::get)
}

fn encode<V: Serialize>(value: &V) -> Vec<u8> {
    serde_json::to_vec(value).expect("records always serialise")
}

fn decode<V: DeserializeOwned>(tree: T, bytes: &[u8]) -> Result<V, CmdError> {
    serde_json::from_slice(bytes).map_err(|e| {
        CmdError::Store(format!(
            "a record in {} is damaged: {e}",
            NAMES[tree as usize]
        ))
    })
}

impl Tx<'_> {
    pub fn get<V: DeserializeOwned>(&self, tree: T, key: &[u8]) -> TxResult<Option<V>> {
        match self.trees[tree as usize].get(key)? {
            Some(bytes) => decode(tree, &bytes)
                .map(Some)
                .map_err(ConflictableTransactionError::Abort),
            None => Ok(None),
        }
    }

    pub fn put<V: Serialize>(&self, tree: T, key: &[u8], value: &V) -> TxResult<()> {
        let bytes = encode(value);
        let before = self.trees[tree as usize].insert(key, bytes.as_slice())?;
        // Writing back what was there changes nothing.
        if before.as_deref() != Some(bytes.as_slice()) {
            self.dirty.set(true);
        }
        Ok(())
    }

    pub fn remove(&self, tree: T, key: &[u8]) -> TxResult<()> {
        if self.trees[tree as usize].remove(key)?.is_some() {
            self.dirty.set(true);
        }
        Ok(())
    }

    /// The next number of a named counter, starting at 1.
    pub fn next(&self, counter: &str) -> TxResult<u64> {
        let meta = &self.trees[T::Meta as usize];
        let n = meta
            .get(counter.as_bytes())?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes)
            + 1;
        meta.insert(counter.as_bytes(), &n.to_be_bytes())?;
        self.dirty.set(true);
        Ok(n)
    }
}

/// Stops a transaction with an error for the user.
pub(crate) fn abort<R>(e: CmdError) -> TxResult<R> {
    Err(ConflictableTransactionError::Abort(e))
}

impl Trees {
    pub fn open(db: &sled::Db) -> Result<Self, CmdError> {
        let trees = NAMES
            .iter()
            .map(|name| db.open_tree(name))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Trees {
            db: db.clone(),
            trees,
            write: Mutex::new(()),
        })
    }

    fn tree(&self, tree: T) -> &sled::Tree {
        &self.trees[tree as usize]
    }

    pub fn get<V: DeserializeOwned>(&self, tree: T, key: &[u8]) -> Result<Option<V>, CmdError> {
        match self.tree(tree).get(key)? {
            Some(bytes) => decode(tree, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Every record under `prefix`, in key order.
    pub fn scan<V: DeserializeOwned>(
        &self,
        tree: T,
        prefix: &[u8],
    ) -> Result<Vec<(Vec<u8>, V)>, CmdError> {
        self.tree(tree)
            .scan_prefix(prefix)
            .map(|kv| {
                let (k, v) = kv?;
                Ok((k.to_vec(), decode(tree, &v)?))
            })
            .collect()
    }

    /// The records under `prefix` in key order, up to the first that `take` refuses (for
    /// keys that sort by time: the ones older than a moment).
    pub fn scan_while<V: DeserializeOwned>(
        &self,
        tree: T,
        prefix: &[u8],
        mut take: impl FnMut(&[u8], &V) -> bool,
    ) -> Result<Vec<(Vec<u8>, V)>, CmdError> {
        let mut out = Vec::new();
        for kv in self.tree(tree).scan_prefix(prefix) {
            let (k, v) = kv?;
            let v: V = decode(tree, &v)?;
            if !take(&k, &v) {
                break;
            }
            out.push((k.to_vec(), v));
        }
        Ok(out)
    }

    /// The last `limit` records of a tree, newest (highest key) first.
    pub fn last<V: DeserializeOwned>(
        &self,
        tree: T,
        limit: usize,
        mut keep: impl FnMut(&V) -> bool,
    ) -> Result<Vec<V>, CmdError> {
        let mut out = Vec::new();
        for kv in self.tree(tree).iter().rev() {
            let (_, v) = kv?;
            let v: V = decode(tree, &v)?;
            if keep(&v) {
                out.push(v);
                if out.len() == limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Runs `f` as one atomic change of any trees, then makes it durable. When this returns
    /// `Ok`, the change survives a crash.
    pub fn write<R>(&self, f: impl Fn(&Tx) -> TxResult<R>) -> Result<R, CmdError> {
        let (value, dirty) = self.transact(f)?;
        // Outside the lock (released by now), so that concurrent writers share one fsync.
        self.db.flush()?;
        if dirty {
            WRITES.with(|w| w.set(w.get() + 1));
        }
        Ok(value)
    }

    pub fn flush(&self) -> Result<(), CmdError> {
        self.db.flush()?;
        Ok(())
    }

    /// A write that nobody is told about (question statistics): atomic, not flushed.
    pub fn write_lazily<R>(&self, f: impl Fn(&Tx) -> TxResult<R>) -> Result<R, CmdError> {
        self.transact(f).map(|(value, _)| value)
    }

    /// One transaction, and whether it changed anything.
    fn transact<R>(&self, f: impl Fn(&Tx) -> TxResult<R>) -> Result<(R, bool), CmdError> {
        let _turn = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let dirty = Cell::new(false);
        let value = self.trees[..]
            .transaction(|trees| {
                dirty.set(false);
                f(&Tx {
                    trees,
                    dirty: &dirty,
                })
            })
            .map_err(|e| match e {
                TransactionError::Abort(e) => e,
                TransactionError::Storage(e) => CmdError::from(e),
            })?;
        Ok((value, dirty.get()))
    }
}
