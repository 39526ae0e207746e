//! What the web side reads: events with their calls (rosters, waitlists, attendance),
//! questions per day, the knowledge-base gaps, the last import, the calendar feeds, and who
//! may see what. Every change still goes through a registered command ([`Commands::handle`]);
//! these are the read-only views a page needs, and [`Commands::may`] answers from the
//! registry whether an actor may use a command, so that permissions stay here.

use std::sync::Mutex;

use jiff::Timestamp;
use knowledge::{ImportReport, Lang};
use serde::Serialize;

use crate::actor::{Actor, Level, Platform};
use crate::asking::QuestionStat;
use crate::error::CmdError;
use crate::events::Event;
use crate::links::Who;
use crate::registry;
use crate::store::{Tx, TxResult, T};
use crate::text::key;
use crate::volunteers::Call;
use crate::Commands;

/// An event with its volunteer calls, and whether the viewer may manage it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: Event,
    pub calls: Vec<Call>,
    /// The viewer posted it (or one of its calls), or is an admin.
    pub manage: bool,
}

/// Questions of one day, in the community's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub answered: u32,
    pub declined: u32,
}

/// The last import of the knowledge base: when, and what it found, or why it failed.
#[derive(Debug, Clone, Serialize)]
pub struct ImportStatus {
    pub at: i64,
    pub ok: bool,
    pub documents: usize,
    pub sections: usize,
    pub notes: Vec<String>,
    pub error: Option<String>,
}

/// Where the last import is kept (in memory: it is about this run).
#[derive(Default)]
pub(crate) struct LastImport(pub(crate) Mutex<Option<ImportStatus>>);

/// Counts a question on its day (in the transaction that counts the question).
pub(crate) fn count_day(tx: &Tx, day: &str, declined: bool) -> TxResult<()> {
    let k = key(&[day, if declined { "declined" } else { "answered" }]);
    let n: u32 = tx.get(T::Days, &k)?.unwrap_or(0);
    tx.put(T::Days, &k, &(n + 1))
}

impl Commands {
    /// Whether `actor` may use the command at registry path `path` (`audit`, `kb reload`).
    pub fn may(&self, actor: &Actor, path: &str) -> bool {
        registry::find(path).is_some_and(|spec| self.level(actor) >= spec.min_level())
    }

    /// `YYYY-MM-DD` of a moment, in the community's time zone.
    pub fn day_of(&self, secs: i64) -> String {
        Timestamp::from_second(secs).map_or_else(
            |_| "?".into(),
            |t| t.to_zoned(self.config.timezone.clone()).date().to_string(),
        )
    }

    /// A moment as `lang` writes it, in the community's time zone.
    pub fn show_moment(&self, secs: i64, lang: Lang) -> String {
        self.moment(secs, lang)
    }

    pub fn now_secs(&self) -> i64 {
        self.now()
    }

    /// The name a member was last seen with, or their id.
    pub fn name_of(&self, platform: Platform, user: &str) -> String {
        self.trees
            .get::<String>(T::People, &key(&[platform.name(), user]))
            .ok()
            .flatten()
            .unwrap_or_else(|| user.to_string())
    }

    fn may_manage(&self, actor: &Actor, level: Level, e: &Event, calls: &[Call]) -> bool {
        let mine = |p: Platform, u: &str| actor.platform == p && actor.user_id == u;
        level == Level::Admin
            || mine(e.platform, &e.organizer)
            || calls.iter().any(|c| mine(c.platform, &c.organizer))
    }

    fn calls_of(&self, e: &Event) -> Result<Vec<Call>, CmdError> {
        let mut calls = Vec::new();
        for id in &e.calls {
            if let Some(c) = self.trees.get::<Call>(T::Calls, id.as_bytes())? {
                calls.push(c);
            }
        }
        Ok(calls)
    }

    /// One event and its calls, whoever asks (the public event page).
    pub fn event_view(&self, id: &str, actor: Option<&Actor>) -> Result<EventView, CmdError> {
        let event = self.event(id)?;
        let calls = self.calls_of(&event)?;
        let manage = actor.is_some_and(|a| self.may_manage(a, self.level(a), &event, &calls));
        Ok(EventView {
            event,
            calls,
            manage,
        })
    }

    /// Events not yet over, and those that ended in the last `past_days` days (for
    /// attendance), soonest first.
    pub fn events_overview(
        &self,
        actor: Option<&Actor>,
        past_days: i64,
    ) -> Result<Vec<EventView>, CmdError> {
        let since = self.now() - past_days * 86_400;
        let level = actor.map(|a| self.level(a));
        let mut out = Vec::new();
        for (_, event) in self.trees.scan::<Event>(T::Events, b"")? {
            if event.end.unwrap_or(event.start) < since {
                continue;
            }
            let calls = self.calls_of(&event)?;
            let manage = match (actor, level) {
                (Some(a), Some(l)) => self.may_manage(a, l, &event, &calls),
                _ => false,
            };
            out.push(EventView {
                event,
                calls,
                manage,
            });
        }
        out.sort_by_key(|v| (v.event.start, v.event.id.clone()));
        Ok(out)
    }

    /// The events a public calendar shows: those not yet over, cancelled ones included
    /// (as cancelled, so calendars that have them update).
    pub fn calendar_events(&self) -> Result<Vec<Event>, CmdError> {
        let now = self.now();
        let mut events: Vec<Event> = self
            .trees
            .scan::<Event>(T::Events, b"")?
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| e.end.unwrap_or(e.start) >= now - 86_400)
            .collect();
        events.sort_by_key(|e| e.start);
        Ok(events)
    }

    /// The volunteer shifts a member signed up for (not the waitlists), with their events.
    pub fn shifts_of(&self, who: &Who) -> Result<Vec<(Event, Call, String)>, CmdError> {
        let mut out = Vec::new();
        for (_, call) in self.trees.scan::<Call>(T::Calls, b"")? {
            let Some(role) = call
                .signups
                .iter()
                .find(|s| s.platform == who.platform && s.user == who.user_id)
                .map(|s| s.role.clone())
            else {
                continue;
            };
            if let Some(e) = self.trees.get::<Event>(T::Events, call.event.as_bytes())? {
                out.push((e, call, role));
            }
        }
        out.sort_by_key(|(e, _, _)| e.start);
        Ok(out)
    }

    /// The questions most often declined or voted down, most first.
    pub fn gaps(&self, limit: usize) -> Result<Vec<QuestionStat>, CmdError> {
        let mut gaps: Vec<QuestionStat> = self
            .trees
            .scan::<QuestionStat>(T::Questions, b"")?
            .into_iter()
            .map(|(_, q)| q)
            .filter(|q| q.declined > 0 || q.unhelpful > q.helpful)
            .collect();
        gaps.sort_by_key(|q| {
            (
                std::cmp::Reverse(q.declined + q.unhelpful),
                std::cmp::Reverse(q.last),
            )
        });
        gaps.truncate(limit);
        Ok(gaps)
    }

    /// Questions answered and declined on each of the last `days` days, oldest first.
    pub fn question_days(&self, days: u32) -> Result<Vec<Day>, CmdError> {
        let now = self.now();
        let mut out = Vec::new();
        for back in (0..i64::from(days)).rev() {
            let day = self.day_of(now - back * 86_400);
            let count = |what: &str| -> Result<u32, CmdError> {
                Ok(self
                    .trees
                    .get::<u32>(T::Days, &key(&[&day, what]))?
                    .unwrap_or(0))
            };
            out.push(Day {
                answered: count("answered")?,
                declined: count("declined")?,
                day,
            });
        }
        Ok(out)
    }

    /// Reads the store, to tell whether it is readable (`/health`).
    pub fn check_store(&self) -> Result<(), CmdError> {
        self.trees.get::<u64>(T::Meta, b"health")?;
        Ok(())
    }

    /// Records an import of the knowledge base (the one at start, and each reload).
    pub fn note_import(&self, report: Result<&ImportReport, String>) {
        let status = match report {
            Ok(r) => ImportStatus {
                at: self.now(),
                ok: true,
                documents: r.documents,
                sections: r.sections,
                notes: r.notes.clone(),
                error: None,
            },
            Err(e) => {
                let s = self.kb.stats();
                ImportStatus {
                    at: self.now(),
                    ok: false,
                    documents: s.documents,
                    sections: s.sections,
                    notes: Vec::new(),
                    error: Some(e),
                }
            }
        };
        *self.last_import.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(status);
    }

    pub fn last_import(&self) -> Option<ImportStatus> {
        self.last_import
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// The UID every calendar file and feed gives an event, so that calendar apps update it in
/// place (the same as `event ics`).
pub fn event_uid(e: &Event) -> String {
    format!("{}-{}@community-bot", e.id, e.created)
}

fn utc(s: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from_timestamp(s, 0).unwrap_or_default()
}

/// A calendar feed (RFC 5545) of `events`, each with its page at `base/events/ID`.
pub fn feed(
    name: &str,
    events: &[Event],
    shifts: &[(Event, Call, String)],
    base: &str,
    names: &dyn Fn(Platform, &str) -> String,
) -> String {
    use icalendar::{Component, EventLike, EventStatus};
    let now = utc(Timestamp::now().as_second());
    let mut cal = icalendar::Calendar::new();
    cal.name(name);
    cal.append_property(icalendar::Property::new("REFRESH-INTERVAL", "PT1H").done());
    cal.append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT1H").done());
    let base = base.trim_end_matches('/');
    let one = |e: &Event, uid: String, summary: String| {
        let mut ev = icalendar::Event::new();
        ev.uid(&uid)
            .summary(&summary)
            .starts(utc(e.start))
            .ends(utc(e.end.unwrap_or(e.start + 3600)))
            .timestamp(now)
            .url(&format!("{base}/events/{}", e.id))
            .status(if e.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if let Some(p) = &e.place {
            ev.location(p);
        }
        if let Some(d) = &e.description {
            ev.description(d);
        }
        let organizer = names(e.platform, &e.organizer).replace(['"', ';', ':', ','], " ");
        ev.append_property(
            icalendar::Property::new(
                "ORGANIZER",
                format!("urn:community-bot:{}:{}", e.platform.name(), e.organizer),
            )
            .add_parameter("CN", &organizer)
            .done(),
        );
        ev.done()
    };
    for e in events {
        cal.push(one(e, event_uid(e), e.title.clone()));
    }
    for (e, call, role) in shifts {
        let uid = format!("shift-{}-{}@community-bot", call.id, e.created);
        cal.push(one(e, uid, format!("{} ({role})", e.title)));
    }
    cal.done().to_string()
}
