//! `commands`: everything the community bot can do, written once for every chat platform.
//!
//! A front end turns a platform event into an [`Actor`] and an [`Input`] (typed text, a
//! slash command's options, a button press) and calls [`Commands::handle`]; it gets back a
//! [`Response`] of platform-neutral [`Reply`]s (text made of [`Span`]s, fields, citations,
//! buttons, who may be mentioned, where each goes) and the [`Effect`]s to mirror (badge
//! roles). Every command is declared once, in [`registry`]: its words in each language, its
//! level, usage, descriptions and options, from which the parser, `help` and the front ends'
//! slash commands are made. Rendering and escaping are the front end's job: nothing here
//! writes a platform's markup, and mentions come in as `@id` (`@&id` for a role).
//!
//! This crate owns its sled trees (`cmd.*`): badges, the audit log, events, volunteer calls
//! with their sign-ups, sent reminders, question statistics and votes. Every change a user
//! is told about is flushed before the reply is returned. It knows nothing of serenity,
//! slack-morphism or terminals.
//!
//! Not for: answering questions (the `knowledge` crate does; [`Commands`] asks it) or
//! talking to a platform (the `bot` crate's front ends do).

/// A sentence in the three languages, with `{name}` arguments taken from the call site.
macro_rules! tr {
    ($lang:expr, $en:literal, $zh:literal, $pt:literal $(,)?) => {
        match $lang {
            knowledge::Lang::En => format!($en),
            knowledge::Lang::Zh => format!($zh),
            knowledge::Lang::Pt => format!($pt),
        }
    };
}

/// A sentence in the three languages as [`spans::Text`]: each `{name}` is the argument
/// `name = value` (or the variable `name`), `` `…` `` is code and `**…**` emphasis. User text
/// goes in as an argument (`Text::typed`), never formatted into the sentence.
macro_rules! tx {
    ($lang:expr, $en:literal, $zh:literal, $pt:literal $(; $($name:ident $(= $value:expr)?),+ $(,)?)?) => {
        $crate::spans::Text::template(
            match $lang {
                knowledge::Lang::En => $en,
                knowledge::Lang::Zh => $zh,
                knowledge::Lang::Pt => $pt,
            },
            &[$($((stringify!($name), $crate::spans::Text::from(tx!(@value $name $(= $value)?)))),+)?],
        )
    };
    (@value $name:ident = $value:expr) => { $value };
    (@value $name:ident) => { $name };
}

pub mod actor;
mod asking;
pub mod badges;
pub mod checkin;
pub mod config;
pub mod dashboard;
pub mod dates;
pub mod error;
pub mod events;
pub mod forms;
mod handoff;
mod help;
pub mod journey;
pub mod link;
pub mod links;
pub mod milestones;
pub mod parse;
pub mod registry;
pub mod reply;
mod restore;
pub mod rsvp;
pub mod series;
pub mod spans;
mod store;
pub mod talks;
pub mod text;
pub mod volunteers;
mod welcome;
pub mod when;

use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use knowledge::{KnowledgeBase, Lang};
use serde::{Deserialize, Serialize};

pub use actor::{lang_of_locale, Actor, Level, Platform};
pub use config::{Access, Clock, Config, ManualClock, NoShows, SystemClock};
pub use error::CmdError;
pub use forms::{Draft, Feed, Form, FormField};
pub use parse::Command;
pub use registry::Invocation;
pub use reply::{
    Answered, Attachment, Button, ButtonStyle, Destination, Effect, EventInfo, Field, Reply,
    Response,
};
pub use spans::{Span, Text};

use crate::parse::Line;
use crate::store::{Trees, T};
use crate::text::key;

/// Inputs longer than this are not read as commands; as questions they get the knowledge
/// base's "too long" reply.
pub const MAX_INPUT_CHARS: usize = 4000;

/// What a member sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A chat message: a question, or a command typed as text.
    Text(String),
    /// A slash command, with its options as the platform sent them.
    Slash(Invocation),
    /// A command built already (tests, and front ends that know exactly what they want).
    Command(Command),
    /// A button pressed, by its id.
    Press(String),
    /// A form filled in (a modal, or `key: value` lines): its id and each field's value.
    Form {
        id: String,
        values: Vec<(String, String)>,
    },
}

/// Where a front end posted a message that may be updated later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    pub channel: String,
    pub message: String,
}

/// The bot's abilities over one store and one knowledge base.
pub struct Commands {
    trees: Trees,
    kb: Arc<KnowledgeBase>,
    config: Config,
    clock: Arc<dyn Clock>,
    /// Where link codes come from.
    codes: link::CodeSource,
    /// The program calendar (config.toml and the knowledge folders' `calendar.toml`).
    milestones: RwLock<Vec<milestones::Milestone>>,
    last_import: dashboard::LastImport,
    observer: Option<Arc<dyn Observer>>,
    /// Held for reading by every command and clock tick, and for writing while the store's
    /// contents are replaced underneath (see [`Commands::replace_store`]).
    gate: RwLock<()>,
}

/// Told of every input handled: the command's registry path (`unknown` when the input
/// was not one), the response and how long it took. The binary counts these for its
/// metrics.
pub trait Observer: Send + Sync {
    fn handled(&self, command: &str, response: &Response, elapsed: std::time::Duration);
}

/// One command's circumstances: who, in which language, at which level.
pub(crate) struct Ctx<'a> {
    pub actor: &'a Actor,
    pub lang: Lang,
    pub level: Level,
}

impl Commands {
    /// Opens this crate's trees in `db` (the same database the knowledge base uses).
    pub fn open(db: &sled::Db, kb: Arc<KnowledgeBase>, config: Config) -> Result<Self, CmdError> {
        let commands = Commands {
            trees: Trees::open(db)?,
            kb,
            config,
            clock: Arc::new(SystemClock),
            last_import: dashboard::LastImport::default(),
            observer: None,
            codes: link::CodeSource::random(),
            milestones: RwLock::new(Vec::new()),
            gate: RwLock::new(()),
        };
        commands.reload_milestones();
        Ok(commands)
    }

    /// Tells `observer` of every input handled from now on.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Replaces the system clock (tests drive reminders and deadlines this way).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Makes link codes a repeatable sequence from `seed` (tests print it).
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.codes = link::CodeSource::seeded(seed);
        self
    }

    pub fn knowledge(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// What `actor` may do: admin and organizer come from the configuration (user ids,
    /// platform roles, the platform's own administrator flag); holding the User Group
    /// Leader badge also makes a member an organizer.
    pub fn level(&self, actor: &Actor) -> Level {
        let access = self.config.access(actor.platform);
        let named = |ids: &[String], roles: &[String]| {
            ids.contains(&actor.user_id) || actor.roles.iter().any(|r| roles.contains(r))
        };
        if actor.platform_admin || named(&access.admins, &access.admin_roles) {
            return Level::Admin;
        }
        if named(&access.organizers, &access.organizer_roles) {
            return Level::Organizer;
        }
        // On any of the member's linked accounts.
        let leader = self
            .member_accounts(actor.platform, &actor.user_id)
            .iter()
            .any(|a| {
                self.trees
                    .get::<badges::Grant>(
                        T::Badges,
                        &key(&[a.platform.name(), &a.user, "user-group-leader"]),
                    )
                    .ok()
                    .flatten()
                    .is_some()
            });
        if leader {
            Level::Organizer
        } else {
            Level::Member
        }
    }

    /// The one entry point: runs `input` for `actor`. Refusals and failures are replies
    /// too (with `ok: false`), in the actor's language, and change nothing.
    pub fn handle(&self, actor: &Actor, input: Input) -> Response {
        let started = std::time::Instant::now();
        let held = self.held();
        let (path, response) = self.handle_input(actor, input);
        drop(held);
        if let Some(observer) = &self.observer {
            observer.handled(path, &response, started.elapsed());
        }
        response
    }

    fn handle_input(&self, actor: &Actor, input: Input) -> (&'static str, Response) {
        let fallback = self.kb.settings().fallback_lang;
        // The language a member picked comes first, then their platform's, then the one
        // their words show.
        let chosen = text::valid_id(&actor.user_id)
            .then(|| self.chosen_lang(actor.platform, &actor.user_id))
            .flatten();
        let (command, hint) = match self.read(input) {
            Ok(read) => read,
            Err((e, hint)) => {
                let lang = chosen.or(actor.locale).or(hint).unwrap_or(fallback);
                return ("unknown", self.refusal(&e, lang));
            }
        };
        let lang = chosen.or(actor.locale).or(hint).unwrap_or(fallback);
        self.remember(actor);
        let cx = Ctx {
            actor,
            lang,
            level: self.level(actor),
        };
        let writes = store::writes_here();
        let mut response = match self.run(&cx, &command) {
            Ok(response) => response,
            Err(e) => self.refusal(&e, lang),
        };
        if let Some(first) = response.replies.first_mut() {
            first.changed = Some(store::writes_here() != writes);
        }
        (command.path(), response)
    }

    /// What the clock brings now; the binary calls this every little while: reminders
    /// (direct messages, decks too), program milestones, occurrences of series to announce, posts brought up to date
    /// (RSVPs or sign-ups closed, an event started, an offer passed on) and freed places
    /// offered. Each is marked done in the store before it is handed out.
    pub fn tick(&self) -> Response {
        let _held = self.held();
        let mut all = Response {
            replies: Vec::new(),
            effects: Vec::new(),
        };
        type Part = fn(&Commands) -> Result<Response, CmdError>;
        let parts: [(&str, Part); 5] = [
            ("reminders", Commands::due_reminders),
            ("deck reminders", Commands::deck_reminders),
            ("program calendar", Commands::due_milestones),
            ("series", Commands::series_sweep),
            ("rsvps", Commands::rsvp_sweep),
        ];
        for (what, part) in parts {
            match part(self) {
                Ok(r) => all.replies.extend(r.replies),
                Err(e) => tracing::error!("{what}: {e}"),
            }
        }
        all
    }

    /// Makes every change durable, statistics included (the binary calls this on the way
    /// out; changes users were told about are already durable).
    pub fn flush(&self) -> Result<(), CmdError> {
        self.trees.flush()
    }

    /// Remembers where a front end posted the message with this key.
    pub fn record_post(
        &self,
        post_key: &str,
        platform: Platform,
        post: &PostRef,
    ) -> Result<(), CmdError> {
        let _held = self.held();
        let k = key(&[post_key, platform.name()]);
        self.trees.write(|tx| tx.put(T::Posts, &k, post))
    }

    /// Where the message with this key was posted on `platform`.
    pub fn post(&self, post_key: &str, platform: Platform) -> Option<PostRef> {
        self.trees
            .get(T::Posts, &key(&[post_key, platform.name()]))
            .ok()
            .flatten()
    }

    fn refusal(&self, e: &CmdError, lang: Lang) -> Response {
        if matches!(e, CmdError::Store(_) | CmdError::Knowledge(_)) {
            tracing::error!("{e}");
        }
        let mut reply = Reply::private(lang, e.message(lang));
        reply.ok = false;
        reply.error = Some(e.code());
        reply.changed = Some(false);
        Response::one(reply)
    }

    /// Turns the input into a command and the language its wording shows.
    #[allow(clippy::type_complexity)]
    fn read(&self, input: Input) -> Result<(Command, Option<Lang>), (CmdError, Option<Lang>)> {
        match input {
            Input::Command(c) => {
                // Front ends build these from platform data; check the ids all the same, as
                // they become parts of store keys.
                if let Some(bad) = c.users().into_iter().find(|u| !text::valid_id(&u.0)) {
                    let given = bad.0.chars().filter(|c| !c.is_control()).take(40).collect();
                    return Err((CmdError::BadUser { given }, None));
                }
                Ok((c, None))
            }
            Input::Slash(inv) => {
                let command = registry::invoke(&inv).map_err(|e| (e, None))?;
                self.read(Input::Command(command))
            }
            Input::Press(id) => parse::parse_button(&id)
                .map(|c| (c, None))
                .map_err(|e| (e, None)),
            Input::Form { id, values } => {
                let command = talks::form_command(&id, &values).map_err(|e| (e, None))?;
                self.read(Input::Command(command))
            }
            Input::Text(text) => {
                if text.chars().count() > MAX_INPUT_CHARS && !talks::reads_long(&text) {
                    // A command that long is refused as such, not answered as a question.
                    if let Some((path, lang)) = parse::overlong_command(&text) {
                        return Err((
                            CmdError::CommandTooLong {
                                command: path,
                                max: MAX_INPUT_CHARS,
                            },
                            lang,
                        ));
                    }
                    return Ok((Command::Ask(text), None));
                }
                let control = text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
                // A command that fails to parse because of a control character is told so,
                // instead of an error that echoes the character back.
                let line = match parse::parse_line(&text) {
                    Err((_, hint)) if control => {
                        return Err((CmdError::ControlChars { field: "command" }, hint))
                    }
                    line => line?,
                };
                if let Line::Command(p) = line {
                    if control {
                        return Err((CmdError::ControlChars { field: "command" }, p.lang));
                    }
                    return Ok((p.command, p.lang));
                }
                if let Some(lang) = self.kb.asks_for_next_step(&text) {
                    Ok((Command::Next { user: None }, Some(lang)))
                } else {
                    Ok((Command::Ask(text), None))
                }
            }
        }
    }

    fn run(&self, cx: &Ctx, command: &Command) -> Result<Response, CmdError> {
        use Command as C;
        let needs = command.level();
        if cx.level < needs {
            return Err(CmdError::Denied {
                command: command.path(),
                needs,
            });
        }
        match command {
            C::Help => self.help(cx),
            C::Ask(q) => self.ask(q).map(|r| self.offer_handoff(cx, r, q)),
            C::Next { user } => self.next_step(cx, user.as_ref()),
            C::Badges { user } => self.badges_of(cx, user.as_ref()),
            C::BadgeList => self.badge_list(cx),
            C::BadgeGrant {
                user,
                badge,
                category,
                note,
            } => self.badge_grant(cx, user, badge, category.as_deref(), note.as_deref()),
            C::BadgeRevoke {
                user,
                badge,
                category,
            } => self.badge_revoke(cx, user, badge, category.as_deref()),
            C::Audit { user, limit } => {
                self.audit(cx, user.as_ref(), (*limit).clamp(1, badges::MAX_AUDIT))
            }
            C::Announce(fields) => self.announce(cx, fields),
            C::Events => self.events(cx),
            C::EventEdit { id, fields } => self.event_edit(cx, id, fields),
            C::EventCancel { id } => self.event_cancel(cx, id),
            C::EventIcs { id } => self.event_ics(cx, id),
            C::VolunteerCall {
                event,
                slots,
                deadline,
            } => self.volunteer_call(cx, event, slots, deadline.as_deref()),
            C::VolunteerSignup { call, role } => self.volunteer_signup(cx, call, role),
            C::VolunteerWithdraw { call } => self.volunteer_withdraw(cx, call),
            C::VolunteerRoster { call } => self.volunteer_roster(cx, call),
            C::VolunteerAttended { call, users } => self.volunteer_attended(cx, call, users),
            C::Rsvp { event, going } => self.rsvp(cx, event, *going),
            C::RsvpClaim { event, take } => self.rsvp_claim(cx, event, *take),
            C::Checkin { code } => self.checkin(cx, code),
            C::EventAttendees { id } => self.event_attendees(cx, id),
            C::EventCheckin { id } => self.checkin_open(cx, id),
            C::EventPresent { id, users } => self.checkin_mark(cx, id, users),
            C::EventForgive { user } => self.noshows_clear(cx, user),
            C::SeriesShow { id } => self.series_show(cx, id),
            C::SeriesEdit { id, fields } => self.series_edit(cx, id, fields),
            C::SeriesCancel { id, day } => self.series_cancel(cx, id, day.as_deref()),
            C::Feedback { question, helpful } => self.feedback(cx, question, *helpful),
            C::KbGaps { limit } => self.kb_gaps(cx, (*limit).clamp(1, parse::MAX_LIST)),
            C::KbReload => self.kb_reload(cx),
            C::KbStats => self.kb_stats(cx),
            C::Dashboard => self.dashboard_link(cx),
            C::Calendar { reset } => self.calendar_link(cx, *reset),
            C::Talk(t) => self.talk(cx, t),
            C::HelpTopic(topic) => self.help_topic(cx, topic),
            C::Link { code } => self.link(cx, code.as_deref()),
            C::Unlink => self.unlink(cx),
            C::Welcome => self.welcome(cx),
            C::MemberJoined => self.member_joined(cx),
            C::SetLanguage(code) => self.set_language(cx, code),
            C::PickGroup(group) => self.pick_group(cx, group),
            C::Handoff { question } => self.handoff(cx, question),
            C::ThreadReply { thread, text } => self.thread_reply(cx, thread, text),
            C::CalendarPrograms { remind } => self.calendar_programs(cx, remind.as_deref()),
        }
    }

    /// Keeps the display name each member was last seen with, for rosters.
    fn remember(&self, actor: &Actor) {
        let k = key(&[actor.platform.name(), &actor.user_id]);
        if self
            .trees
            .get::<String>(T::People, &k)
            .ok()
            .flatten()
            .as_deref()
            != Some(actor.name.as_str())
        {
            let name: String = actor
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect();
            if let Err(e) = self.trees.write_lazily(|tx| tx.put(T::People, &k, &name)) {
                tracing::warn!("could not remember a name: {e}");
            }
        }
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    /// A moment in the community's time zone, as `lang` writes it.
    pub(crate) fn moment(&self, secs: i64, lang: Lang) -> String {
        Timestamp::from_second(secs).map_or_else(
            |_| "?".into(),
            |t| when::show(t, &self.config.timezone, lang),
        )
    }

    pub(crate) fn day(&self, secs: i64, lang: Lang) -> String {
        Timestamp::from_second(secs).map_or_else(
            |_| "?".into(),
            |t| when::show_day(t, &self.config.timezone, lang),
        )
    }
}
