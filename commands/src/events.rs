//! Event announcements: organizers post them to the announcement channel, edit and cancel
//! them; everyone lists them and takes them into a calendar.

use jiff::Timestamp;
use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::{Level, Platform};
use crate::error::{CmdError, Kind};
use crate::reply::{Attachment, ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::{abort, T};
use crate::text::{clean, fold};
use crate::volunteers::Call;
use crate::{dates, Commands, Ctx};

pub const MAX_TITLE: usize = 150;
pub const MAX_PLACE: usize = 300;
pub const MAX_DESCRIPTION: usize = 2000;
pub const MAX_CAPACITY: u32 = 100_000;

/// What an organizer typed for an event; every part optional until checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFields {
    pub title: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: Option<String>,
    pub description: Option<String>,
    pub role: Option<String>,
    /// Most members who may say they are going (`0` or empty: no limit).
    pub capacity: Option<String>,
    /// When RSVPs close (default: the start).
    pub cutoff: Option<String>,
    /// A repeat rule: the event is the first of a series.
    pub repeat: Option<String>,
}

impl EventFields {
    pub fn is_empty(&self) -> bool {
        *self == EventFields::default()
    }
}

/// An announced event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub platform: Platform,
    pub organizer: String,
    pub title: String,
    pub start: i64,
    pub end: Option<i64>,
    pub place: Option<String>,
    pub description: Option<String>,
    /// The role notified when it was posted.
    pub role: Option<String>,
    pub cancelled: bool,
    pub created: i64,
    /// Volunteer calls for this event.
    pub calls: Vec<String>,
    /// Most members going; `None`: no limit. (Records from before RSVPs have none.)
    #[serde(default)]
    pub capacity: Option<u32>,
    /// When RSVPs close; `None`: at the start.
    #[serde(default)]
    pub cutoff: Option<i64>,
    /// The series it is an occurrence of.
    #[serde(default)]
    pub series: Option<String>,
    /// The language it was announced in: its post stays in it, whoever changes it.
    #[serde(default)]
    pub lang: Option<String>,
}

impl Event {
    pub fn post_key(&self) -> String {
        format!("event:{}", self.id)
    }

    /// When RSVPs close.
    pub fn closes(&self) -> i64 {
        self.cutoff.unwrap_or(self.start).min(self.start)
    }

    /// Members may still say they are going.
    pub fn open(&self, now: i64) -> bool {
        !self.cancelled && now < self.closes()
    }

    /// The language of its post.
    pub fn post_lang(&self) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| Some(l.code()) == self.lang.as_deref())
            .unwrap_or(Lang::En)
    }

    pub(crate) fn info(&self) -> crate::reply::EventInfo {
        crate::reply::EventInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            start: self.start,
            end: self.end,
            place: self.place.clone(),
            description: self.description.clone(),
            cancelled: self.cancelled,
        }
    }

    pub fn started(&self, now: i64) -> bool {
        now >= self.start
    }
}

/// Reads a role to notify in the neutral form front ends hand over: `@&id` (a Discord role,
/// a Slack user group), `@name` or an id. @everyone, @here and @channel are never accepted.
fn parse_role(text: &str) -> Result<String, CmdError> {
    let t = text.trim();
    let id = t
        .strip_prefix("@&")
        .or_else(|| t.strip_prefix('@'))
        .unwrap_or(t);
    let lower = id.to_ascii_lowercase();
    if !crate::text::valid_id(id)
        || matches!(lower.as_str(), "everyone" | "here" | "channel" | "all")
    {
        return Err(CmdError::BadRole {
            given: t.chars().take(40).collect(),
        });
    }
    Ok(id.to_string())
}

impl Commands {
    pub(crate) fn event(&self, id: &str) -> Result<Event, CmdError> {
        self.trees
            .get(T::Events, id.to_ascii_lowercase().as_bytes())?
            .ok_or_else(|| CmdError::NotFound {
                kind: Kind::Event,
                id: id.chars().take(20).collect(),
            })
    }

    /// Owner or admin.
    pub(crate) fn may_change(
        &self,
        cx: &Ctx,
        platform: Platform,
        organizer: &str,
        id: &str,
    ) -> Result<(), CmdError> {
        if cx.level == Level::Admin
            || (cx.actor.platform == platform && cx.actor.user_id == organizer)
        {
            Ok(())
        } else {
            Err(CmdError::NotYours { id: id.to_string() })
        }
    }

    /// Applies `fields` to `event`, checking each; what the dates could also have meant.
    pub(crate) fn apply(
        &self,
        cx: &Ctx,
        event: &mut Event,
        f: &EventFields,
    ) -> Result<Vec<Text>, CmdError> {
        let tz = &self.config.timezone;
        let now = Timestamp::from_second(self.now()).expect("the clock is valid");
        let mut notes = Vec::new();
        if let Some(t) = &f.title {
            event.title = clean(t, "title", MAX_TITLE)?;
        }
        if event.title.is_empty() {
            return Err(CmdError::MissingField { field: "title" });
        }
        // `start: 22:00 to 01:00` gives the end too.
        let mut f = f.clone();
        if let (Some(s), None) = (f.start.clone(), &f.end) {
            if let Some((a, b)) = dates::split_range(&s) {
                if dates::parse(a, now, tz).is_ok() {
                    f.start = Some(a.to_string());
                    f.end = Some(b.to_string());
                }
            }
        }
        let f = &f;
        if let Some(s) = &f.start {
            let s = clean(s, "start", 80)?;
            let read = dates::parse(&s, now, tz)?;
            notes.extend(read.note.map(|n| n.text(cx.lang)));
            let start = read.at.as_second();
            if start <= self.now() {
                return Err(CmdError::PastDate {
                    when: self.moment(start, cx.lang),
                });
            }
            // A moved event keeps its length unless a new end is given.
            if f.end.is_none() {
                event.end = event.end.map(|end| end + (start - event.start));
            }
            event.start = start;
        }
        if let Some(e) = &f.end {
            let e = clean(e, "end", 80)?;
            event.end = if e.is_empty() {
                None
            } else {
                let start = Timestamp::from_second(event.start).expect("stored times are valid");
                let read = dates::parse_end(&e, start, now, tz)?;
                notes.extend(read.note.map(|n| n.text(cx.lang)));
                Some(read.at.as_second())
            };
        }
        if event.end.is_some_and(|end| end <= event.start) {
            return Err(CmdError::EndBeforeStart);
        }
        if let Some(p) = &f.place {
            event.place = Some(clean(p, "place", MAX_PLACE)?).filter(|p| !p.is_empty());
        }
        if let Some(d) = &f.description {
            event.description =
                Some(clean(d, "description", MAX_DESCRIPTION)?).filter(|d| !d.is_empty());
        }
        if let Some(r) = &f.role {
            let role = parse_role(&clean(r, "role", 100)?)?;
            let allowed = &self.config.access(cx.actor.platform).notify_roles;
            if !allowed.is_empty() && !allowed.contains(&role) {
                return Err(CmdError::UnknownField {
                    given: r.clone(),
                    allowed: "notify_roles (config.toml)".into(),
                });
            }
            event.role = Some(role);
        }
        if let Some(c) = &f.capacity {
            let c = clean(c, "capacity", 10)?;
            event.capacity = match c.parse::<u32>() {
                Ok(0) => None,
                Ok(n) if n <= MAX_CAPACITY => Some(n),
                _ if c.is_empty() || fold(&c) == "none" => None,
                _ => {
                    return Err(CmdError::BadNumber {
                        given: c.chars().take(20).collect(),
                        max: MAX_CAPACITY,
                    })
                }
            };
        }
        if let Some(c) = &f.cutoff {
            let c = clean(c, "cutoff", 80)?;
            event.cutoff = if c.is_empty() {
                None
            } else {
                let read = dates::parse(&c, now, tz)?;
                notes.extend(read.note.map(|n| n.text(cx.lang)));
                let at = read.at.as_second();
                if at <= self.now() {
                    return Err(CmdError::PastDate {
                        when: self.moment(at, cx.lang),
                    });
                }
                Some(at)
            };
        }
        if event.cutoff.is_some_and(|c| c > event.start) {
            return Err(CmdError::DeadlineAfterStart);
        }
        Ok(notes)
    }

    pub(crate) fn announce(&self, cx: &Ctx, f: &EventFields) -> Result<Response, CmdError> {
        if f.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(CmdError::MissingField { field: "title" });
        }
        if f.repeat.is_some() {
            return self.announce_series(cx, f);
        }
        if f.start.is_none() {
            return Err(CmdError::MissingField { field: "start" });
        }
        let now = self.now();
        let mut event = Event {
            id: String::new(),
            platform: cx.actor.platform,
            organizer: cx.actor.user_id.clone(),
            title: String::new(),
            start: 0,
            end: None,
            place: None,
            description: None,
            role: None,
            cancelled: false,
            created: now,
            calls: Vec::new(),
            capacity: None,
            cutoff: None,
            series: None,
            lang: Some(cx.lang.code().to_string()),
        };
        let notes = self.apply(cx, &mut event, f)?;
        let event = self.trees.write(|tx| {
            let mut event = event.clone();
            event.id = format!("e{}", tx.next("event")?);
            tx.put(T::Events, event.id.as_bytes(), &event)?;
            Ok(event)
        })?;
        let lang = cx.lang;
        let id = &event.id;
        let mut text = tx!(
            lang,
            "Event {id} is posted to the announcement channel. Use `event edit {id} …`, `event cancel {id}`, `event attendees {id}`, `event checkin {id}` or `volunteer call {id} host:1 onsite:3` next.",
            "活动 {id} 已发布到公告频道。接下来可以用 `event edit {id} …`、`event cancel {id}`、`event attendees {id}`、`event checkin {id}` 或 `volunteer call {id} host:1 onsite:3`。",
            "O evento {id} foi publicado no canal de anúncios. Depois, use `event edit {id} …`, `event cancel {id}`, `event attendees {id}`, `event checkin {id}` ou `volunteer call {id} host:1 onsite:3`.";
            id
        );
        for n in notes {
            text = text.and("\n").and(n);
        }
        let confirm = Reply::private(lang, text);
        let post = self.event_post(&event).to(Destination::Announcements);
        Ok(Response::one(confirm).and(post))
    }

    /// The announcement as posted (and as updated later), in the language it was announced
    /// in: what is true of the event now (cancelled, RSVPs closed, started), the counts, and
    /// the buttons that still do something.
    pub(crate) fn event_post(&self, e: &Event) -> Reply {
        let lang = e.post_lang();
        let now = self.now();
        let mut parts = Vec::new();
        if e.cancelled {
            parts.push(Text::plain(tr!(
                lang,
                "❌ CANCELLED",
                "❌ 已取消",
                "❌ CANCELADO"
            )));
        } else if e.started(now) {
            parts.push(Text::plain(tr!(
                lang,
                "🔒 This event has started; RSVPs are closed.",
                "🔒 活动已经开始，报名已截止。",
                "🔒 O evento já começou; as confirmações estão encerradas."
            )));
        } else if !e.open(now) {
            parts.push(Text::plain(tr!(
                lang,
                "🔒 RSVPs are closed.",
                "🔒 报名已截止。",
                "🔒 As confirmações estão encerradas."
            )));
        }
        if let Some(role) = &e.role {
            parts.push(Text::role(e.platform, role));
        }
        if let Some(d) = &e.description {
            parts.push(Text::typed(d));
        }
        let when = match e.end {
            Some(end) if self.day(end, lang) == self.day(e.start, lang) => {
                let until = Timestamp::from_second(end)
                    .map(|t| {
                        t.to_zoned(self.config.timezone.clone())
                            .strftime("%H:%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                format!("{} – {until}", self.moment(e.start, lang))
            }
            Some(end) => format!(
                "{} – {}",
                self.moment(e.start, lang),
                self.moment(end, lang)
            ),
            None => self.moment(e.start, lang),
        };
        let mut reply = Reply::new(lang, Text::join(parts, "\n\n"))
            .title(Text::plain("📅 ").and(Text::typed(&e.title)))
            .field(tr!(lang, "When", "时间", "Quando"), when);
        if let Some(p) = &e.place {
            reply = reply.field(tr!(lang, "Where", "地点", "Onde"), Text::link_or_typed(p));
        }
        reply = reply
            .field(
                tr!(lang, "Organizer", "组织者", "Organização"),
                Text::user(e.platform, &e.organizer),
            )
            .field(tr!(lang, "Event", "活动编号", "Evento"), e.id.clone());
        if let Some(series) = &e.series {
            reply = reply.field(tr!(lang, "Series", "系列", "Série"), series.clone());
        }
        if !e.cancelled {
            reply = reply.field(
                tr!(lang, "Going", "参加", "Vão"),
                self.going_counts(e, lang),
            );
            if e.open(now) && e.cutoff.is_some() {
                reply = reply.field(
                    tr!(lang, "RSVP by", "报名截止", "Confirme até"),
                    self.moment(e.closes(), lang),
                );
            }
        }
        if e.open(now) {
            reply = reply
                .button(
                    format!("rsvp:yes:{}", e.id),
                    tr!(lang, "Going", "参加", "Vou"),
                    ButtonStyle::Success,
                )
                .button(
                    format!("rsvp:no:{}", e.id),
                    tr!(lang, "Not going", "不参加", "Não vou"),
                    ButtonStyle::Secondary,
                );
        }
        if !e.cancelled && !e.started(now) {
            reply = reply.button(
                format!("ics:{}", e.id),
                tr!(lang, "Add to calendar", "加入日历", "Adicionar à agenda"),
                ButtonStyle::Secondary,
            );
        }
        if !e.cancelled {
            if let Some(role) = &e.role {
                reply.mention_roles.push(role.clone());
            }
        }
        let mut reply = self.with_talks(e, lang, reply);
        reply.post_key = Some(e.post_key());
        reply.event = Some(e.info());
        reply
    }

    pub(crate) fn events(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let now = self.now();
        let mut events: Vec<Event> = self
            .trees
            .scan::<Event>(T::Events, b"")?
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| !e.cancelled && e.end.unwrap_or(e.start) >= now)
            .collect();
        events.sort_by_key(|e| e.start);
        let lines: Vec<Text> = events
            .iter()
            .take(25)
            .map(|e| {
                let mut line = Text::code(&e.id)
                    .and(format!(" {} — ", self.moment(e.start, lang)))
                    .and(Text::typed(&e.title));
                if let Some(p) = &e.place {
                    line = line.and(" (").and(Text::link_or_typed(p)).and(")");
                }
                if !e.calls.is_empty() {
                    let calls = e.calls.join(", ");
                    line.append(tr!(
                        lang,
                        " · volunteers: {calls}",
                        " · 志愿者招募：{calls}",
                        " · voluntários: {calls}"
                    ));
                }
                line
            })
            .collect();
        let text = if lines.is_empty() {
            Text::plain(tr!(
                lang,
                "No upcoming events yet.",
                "近期还没有活动。",
                "Nenhum evento programado ainda."
            ))
        } else {
            Text::join(lines, "\n")
        };
        Ok(Response::one(Reply::new(lang, text).title(tr!(
            lang,
            "Upcoming events",
            "近期活动",
            "Próximos eventos"
        ))))
    }

    pub(crate) fn event_edit(
        &self,
        cx: &Ctx,
        id: &str,
        f: &EventFields,
    ) -> Result<Response, CmdError> {
        let mut event = self.event(id)?;
        self.may_change(cx, event.platform, &event.organizer, &event.id)?;
        if event.cancelled {
            return Err(CmdError::EventCancelled { id: event.id });
        }
        if event.started(self.now()) {
            return Err(CmdError::EventStarted { id: event.id });
        }
        if f.is_empty() || f.repeat.is_some() {
            return Err(CmdError::usage("event edit"));
        }
        let before = event.clone();
        // A cutoff after the new start moves with it, as a call's deadline does.
        let fields = self.cutoff_kept_before(&event, f);
        let notes = self.apply(cx, &mut event, &fields)?;
        let (event, moved) = self.trees.write(|tx| {
            let mut current: Event = match tx.get(T::Events, event.id.as_bytes())? {
                Some(e) => e,
                None => {
                    return abort(CmdError::NotFound {
                        kind: Kind::Event,
                        id: event.id.clone(),
                    })
                }
            };
            // Only the fields edited; calls added meanwhile stay.
            current.title = event.title.clone();
            current.start = event.start;
            current.end = event.end;
            current.place = event.place.clone();
            current.description = event.description.clone();
            current.role = event.role.clone();
            current.capacity = event.capacity;
            current.cutoff = event.cutoff;
            tx.put(T::Events, current.id.as_bytes(), &current)?;
            // A call whose deadline is now after the start closes at the start instead.
            let mut moved = Vec::new();
            for cid in &current.calls {
                if let Some(mut c) = tx.get::<Call>(T::Calls, cid.as_bytes())? {
                    if c.deadline.is_some_and(|d| d > current.start) {
                        c.deadline = Some(current.start);
                        tx.put(T::Calls, cid.as_bytes(), &c)?;
                        moved.push(c.id.clone());
                    }
                }
            }
            Ok((current, moved))
        })?;
        let lang = cx.lang;
        let eid = &event.id;
        let mut text = tx!(
            lang,
            "Event {eid} is updated.",
            "活动 {eid} 已更新。",
            "O evento {eid} foi atualizado.";
            eid
        );
        for cid in &moved {
            let when = self.moment(event.start, lang);
            text = text.and("\n").and(tx!(
                lang,
                "The sign-up deadline of volunteer call {cid} was after the new start; it is now the start, {when}.",
                "志愿者招募 {cid} 的报名截止时间晚于新的开始时间，已改为开始时间 {when}。",
                "O prazo de inscrição da chamada {cid} era depois do novo início; agora é o início, {when}.";
                cid, when
            ));
        }
        if before.cutoff.is_some() && before.cutoff != event.cutoff && f.cutoff.is_none() {
            let when = self.moment(event.closes(), lang);
            text = text.and("\n").and(tx!(
                lang,
                "RSVPs were to close after the new start; they now close at the start, {when}.",
                "原报名截止时间晚于新的开始时间，现改为开始时间 {when}。",
                "As confirmações fechariam depois do novo início; agora fecham no início, {when}.";
                when
            ));
        }
        for n in notes {
            text = text.and("\n").and(n);
        }
        let mut response = Response::one(Reply::private(lang, text)).and(
            self.event_post(&event).to(Destination::Update {
                key: event.post_key(),
            }),
        );
        if before.start != event.start || before.place != event.place {
            let title = Text::typed(&event.title);
            let when = event.start;
            let place = Text::link_or_typed(event.place.as_deref().unwrap_or_default());
            response = self.tell_volunteers(response, &event, |lang, this: &Commands| {
                let when = this.moment(when, lang);
                tx!(
                    lang,
                    "📅 \"{title}\", which you volunteer for, has changed: now {when} {place}",
                    "📅 你报名做志愿者的活动“{title}”有变动：现在是 {when} {place}",
                    "📅 O evento \"{title}\", em que você é voluntário, mudou: agora {when} {place}";
                    title = &title, when, place = &place
                )
            })?;
            response = self.tell_attendees(response, &event, |lang, this: &Commands| {
                let when = this.moment(when, lang);
                tx!(
                    lang,
                    "📅 \"{title}\", which you are going to, has changed: now {when} {place}",
                    "📅 你报名参加的活动“{title}”有变动：现在是 {when} {place}",
                    "📅 O evento \"{title}\", em que você confirmou presença, mudou: agora {when} {place}";
                    title = &title, when, place = &place
                )
            })?;
        }
        response = self.call_updates(response, &event)?;
        Ok(response)
    }

    /// `f`, with the event's cutoff brought back to the new start when the start moves
    /// before it and no new cutoff is given.
    fn cutoff_kept_before(&self, event: &Event, f: &EventFields) -> EventFields {
        let mut f = f.clone();
        if f.cutoff.is_none() && f.start.is_some() && event.cutoff.is_some() {
            let tz = &self.config.timezone;
            let now = Timestamp::from_second(self.now()).expect("the clock is valid");
            let start = f.start.as_deref().and_then(|s| {
                let s = dates::split_range(s).map_or(s, |(a, _)| a);
                dates::parse(s, now, tz).ok()
            });
            if let (Some(start), Some(cutoff)) = (start, event.cutoff) {
                if cutoff > start.at.as_second() {
                    f.cutoff = Some(String::new());
                }
            }
        }
        f
    }

    /// The posts of the event's volunteer calls, brought up to date.
    pub(crate) fn call_updates(
        &self,
        mut response: Response,
        event: &Event,
    ) -> Result<Response, CmdError> {
        for call in &event.calls {
            if let Some(c) = self.trees.get::<Call>(T::Calls, call.as_bytes())? {
                response = response.and(
                    self.call_post(&c, event, event.post_lang())
                        .to(Destination::Update { key: c.post_key() }),
                );
            }
        }
        Ok(response)
    }

    pub(crate) fn event_cancel(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let event = self.event(id)?;
        self.may_change(cx, event.platform, &event.organizer, &event.id)?;
        if event.started(self.now()) {
            return Err(CmdError::EventStarted { id: event.id });
        }
        let lang = cx.lang;
        let eid = event.id.clone();
        if event.cancelled {
            return Ok(Response::one(Reply::private(
                lang,
                tr!(
                    lang,
                    "Event {eid} was already cancelled.",
                    "活动 {eid} 早已取消。",
                    "O evento {eid} já estava cancelado."
                ),
            )));
        }
        let event = self.cancel_one(&eid)?;
        let response = Response::one(Reply::private(
            lang,
            tr!(
                lang,
                "Event {eid} is cancelled; its announcement says so, and its volunteers and attendees are told.",
                "活动 {eid} 已取消；公告已更新，报名的志愿者和参加者会收到通知。",
                "O evento {eid} foi cancelado; o anúncio foi atualizado e os voluntários e participantes serão avisados."
            ),
        ));
        self.cancelled_news(response, &event)
    }

    /// Marks an event cancelled, in one transaction.
    pub(crate) fn cancel_one(&self, eid: &str) -> Result<Event, CmdError> {
        self.trees.write(|tx| {
            let Some(mut e) = tx.get::<Event>(T::Events, eid.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Event,
                    id: eid.to_string(),
                });
            };
            e.cancelled = true;
            tx.put(T::Events, eid.as_bytes(), &e)?;
            Ok(e)
        })
    }

    /// What a cancellation changes for everyone else: the post and the calls' posts say so
    /// (and lose their buttons), volunteers and attendees are told.
    pub(crate) fn cancelled_news(
        &self,
        response: Response,
        event: &Event,
    ) -> Result<Response, CmdError> {
        let response = response.and(self.event_post(event).to(Destination::Update {
            key: event.post_key(),
        }));
        let response = self.call_updates(response, event)?;
        let title = Text::typed(&event.title);
        let response = self.tell_volunteers(response, event, |lang, _| {
            tx!(
                lang,
                "❌ \"{title}\", which you volunteered for, is cancelled. Thank you for offering your time!",
                "❌ 你报名做志愿者的活动“{title}”已取消。感谢你愿意付出时间！",
                "❌ O evento \"{title}\", em que você se inscreveu como voluntário, foi cancelado. Obrigado pela disposição!";
                title = &title
            )
        })?;
        self.tell_attendees(response, event, |lang, _| {
            tx!(
                lang,
                "❌ \"{title}\", which you were going to, is cancelled.",
                "❌ 你报名参加的活动“{title}”已取消。",
                "❌ O evento \"{title}\", em que você confirmou presença, foi cancelado.";
                title = &title
            )
        })
    }

    pub(crate) fn event_ics(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let mut event = self.event(id)?;
        let lang = cx.lang;
        // The accepted talks and their speakers are part of the calendar entry.
        if let Some(talks) = self.talks_for_calendar(&event) {
            event.description = Some(match event.description.take() {
                Some(d) => format!("{d}\n\n{talks}"),
                None => talks,
            });
        }
        let body = ics(&event);
        let eid = &event.id;
        let mut reply = Reply::private(
            lang,
            tr!(
                lang,
                "The calendar file for {eid} is attached.",
                "附件是 {eid} 的日历文件。",
                "O arquivo de agenda de {eid} está anexado."
            ),
        );
        reply.attachment = Some(Attachment::text(
            format!("{eid}.ics"),
            "text/calendar; charset=utf-8",
            body,
        ));
        Ok(Response::one(reply))
    }

    /// Adds a direct message to every volunteer of the event's calls, in the language each
    /// signed up in.
    pub(crate) fn tell_volunteers(
        &self,
        mut response: Response,
        event: &Event,
        text: impl Fn(Lang, &Commands) -> Text,
    ) -> Result<Response, CmdError> {
        for call in &event.calls {
            let Some(c) = self.trees.get::<Call>(T::Calls, call.as_bytes())? else {
                continue;
            };
            for s in c.signups.iter().chain(&c.waitlist) {
                let lang = s.lang();
                let mut reply = Reply::new(lang, text(lang, self)).to(Destination::Direct {
                    platform: s.platform,
                    user: s.user.clone(),
                });
                reply.mention_users.push(s.user.clone());
                response = response.and(reply);
            }
        }
        Ok(response)
    }
}

/// The event as an iCalendar file (RFC 5545).
pub fn ics(e: &Event) -> String {
    use icalendar::{Component, EventLike, EventStatus};
    let utc = |s: i64| {
        chrono::DateTime::<chrono::Utc>::from_timestamp(s, 0).expect("stored times are valid")
    };
    let mut ev = icalendar::Event::new();
    ev.uid(&format!("{}-{}@community-bot", e.id, e.created))
        .summary(&e.title)
        .starts(utc(e.start))
        .timestamp(utc(e.created));
    if let Some(end) = e.end {
        ev.ends(utc(end));
    }
    if let Some(p) = &e.place {
        ev.location(p);
    }
    if let Some(d) = &e.description {
        ev.description(d);
    }
    if e.cancelled {
        ev.status(EventStatus::Cancelled);
    }
    let mut cal = icalendar::Calendar::new();
    cal.push(ev.done());
    cal.done().to_string()
}
