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
use crate::text::clean;
use crate::volunteers::Call;
use crate::{when, Commands, Ctx};

pub const MAX_TITLE: usize = 150;
pub const MAX_PLACE: usize = 300;
pub const MAX_DESCRIPTION: usize = 2000;

/// What an organizer typed for an event; every part optional until checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFields {
    pub title: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: Option<String>,
    pub description: Option<String>,
    pub role: Option<String>,
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
}

impl Event {
    pub fn post_key(&self) -> String {
        format!("event:{}", self.id)
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

    /// Applies `fields` to `event`, checking each.
    fn apply(&self, cx: &Ctx, event: &mut Event, f: &EventFields) -> Result<(), CmdError> {
        let tz = &self.config.timezone;
        if let Some(t) = &f.title {
            event.title = clean(t, "title", MAX_TITLE)?;
        }
        if event.title.is_empty() {
            return Err(CmdError::MissingField { field: "title" });
        }
        if let Some(s) = &f.start {
            let s = clean(s, "start", 60)?;
            let start = when::parse(&s, tz)?.as_second();
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
            let e = clean(e, "end", 60)?;
            event.end = if e.is_empty() {
                None
            } else {
                Some(
                    when::parse_end(
                        &e,
                        Timestamp::from_second(event.start).expect("stored times are valid"),
                        tz,
                    )?
                    .as_second(),
                )
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
        Ok(())
    }

    pub(crate) fn announce(&self, cx: &Ctx, f: &EventFields) -> Result<Response, CmdError> {
        if f.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(CmdError::MissingField { field: "title" });
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
        };
        self.apply(cx, &mut event, f)?;
        let event = self.trees.write(|tx| {
            let mut event = event.clone();
            event.id = format!("e{}", tx.next("event")?);
            tx.put(T::Events, event.id.as_bytes(), &event)?;
            Ok(event)
        })?;
        let lang = cx.lang;
        let id = &event.id;
        let confirm = Reply::private(
            lang,
            tx!(
                lang,
                "Event {id} is posted to the announcement channel. Use `event edit {id} …`, `event cancel {id}` or `volunteer call {id} host:1 onsite:3` next.",
                "活动 {id} 已发布到公告频道。接下来可以用 `event edit {id} …`、`event cancel {id}` 或 `volunteer call {id} host:1 onsite:3`。",
                "O evento {id} foi publicado no canal de anúncios. Depois, use `event edit {id} …`, `event cancel {id}` ou `volunteer call {id} host:1 onsite:3`.";
                id
            ),
        );
        let post = self.event_post(&event, lang).to(Destination::Announcements);
        Ok(Response::one(confirm).and(post))
    }

    /// The announcement as posted (and as updated later).
    pub(crate) fn event_post(&self, e: &Event, lang: Lang) -> Reply {
        let mut parts = Vec::new();
        if e.cancelled {
            parts.push(Text::plain(tr!(
                lang,
                "❌ CANCELLED",
                "❌ 已取消",
                "❌ CANCELADO"
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
            .field(tr!(lang, "Event", "活动编号", "Evento"), e.id.clone())
            .button(
                format!("ics:{}", e.id),
                tr!(lang, "Add to calendar", "加入日历", "Adicionar à agenda"),
                ButtonStyle::Secondary,
            );
        if !e.cancelled {
            if let Some(role) = &e.role {
                reply.mention_roles.push(role.clone());
            }
        }
        let mut reply = self.with_talks(e, lang, reply);
        reply.post_key = Some(e.post_key());
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
        if f.is_empty() {
            return Err(CmdError::usage("event edit"));
        }
        let before = event.clone();
        self.apply(cx, &mut event, f)?;
        let event = self.trees.write(|tx| {
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
            tx.put(T::Events, current.id.as_bytes(), &current)?;
            Ok(current)
        })?;
        let lang = cx.lang;
        let eid = &event.id;
        let mut response = Response::one(Reply::private(
            lang,
            tr!(
                lang,
                "Event {eid} is updated.",
                "活动 {eid} 已更新。",
                "O evento {eid} foi atualizado."
            ),
        ))
        .and(self.event_post(&event, lang).to(Destination::Update {
            key: event.post_key(),
        }));
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
            for call in &event.calls {
                if let Some(c) = self.trees.get::<Call>(T::Calls, call.as_bytes())? {
                    response = response.and(
                        self.call_post(&c, &event, lang)
                            .to(Destination::Update { key: c.post_key() }),
                    );
                }
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
        let event = self.trees.write(|tx| {
            let Some(mut e) = tx.get::<Event>(T::Events, eid.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Event,
                    id: eid.clone(),
                });
            };
            e.cancelled = true;
            tx.put(T::Events, eid.as_bytes(), &e)?;
            Ok(e)
        })?;
        let mut response = Response::one(Reply::private(
            lang,
            tr!(
                lang,
                "Event {eid} is cancelled; its announcement says so, and its volunteers are told.",
                "活动 {eid} 已取消；公告已更新，报名的志愿者会收到通知。",
                "O evento {eid} foi cancelado; o anúncio foi atualizado e os voluntários serão avisados."
            ),
        ))
        .and(self.event_post(&event, lang).to(Destination::Update { key: event.post_key() }));
        // The calls' posts say so too, and lose their sign-up buttons.
        for call in &event.calls {
            if let Some(c) = self.trees.get::<Call>(T::Calls, call.as_bytes())? {
                response = response.and(
                    self.call_post(&c, &event, lang)
                        .to(Destination::Update { key: c.post_key() }),
                );
            }
        }
        let title = Text::typed(&event.title);
        self.tell_volunteers(response, &event, |lang, _| {
            tx!(
                lang,
                "❌ \"{title}\", which you volunteered for, is cancelled. Thank you for offering your time!",
                "❌ 你报名做志愿者的活动“{title}”已取消。感谢你愿意付出时间！",
                "❌ O evento \"{title}\", em que você se inscreveu como voluntário, foi cancelado. Obrigado pela disposição!";
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
        reply.attachment = Some(Attachment {
            filename: format!("{eid}.ics"),
            content_type: "text/calendar; charset=utf-8".into(),
            body,
        });
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
