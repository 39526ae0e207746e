//! Volunteer calls: an organizer asks for people per role, members sign up with a button,
//! full roles keep a waitlist, reminders go out before the event, and the organizer marks
//! who showed up.

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::{Level, Platform};
use crate::error::{CmdError, Kind};
use crate::events::Event;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::{abort, T};
use crate::text::{clean, key, UserRef};
use crate::{when, Commands, Ctx};

/// Most roles one call may have, and most places per role.
pub const MAX_ROLES: usize = 10;
pub const MAX_PLACES: u32 = 500;

/// A role of a call and how many people it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub role: String,
    pub places: u32,
}

/// A member on a call's roster or waitlist.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Signup {
    pub platform: Platform,
    pub user: String,
    pub name: String,
    pub role: String,
    pub at: i64,
    /// The language they signed up in; their reminders use it.
    pub lang: String,
}

impl Signup {
    pub fn lang(&self) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == self.lang)
            .unwrap_or(Lang::En)
    }

    fn is(&self, platform: Platform, user: &str) -> bool {
        self.platform == platform && self.user == user
    }
}

/// A volunteer call for an event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    pub id: String,
    pub event: String,
    pub platform: Platform,
    pub organizer: String,
    pub slots: Vec<Slot>,
    pub deadline: Option<i64>,
    pub signups: Vec<Signup>,
    /// In order of arrival; each waits for a place in their own role.
    pub waitlist: Vec<Signup>,
    /// Members the organizer marked as having shown up: `(platform, user)`.
    pub attended: Vec<(Platform, String)>,
    pub created: i64,
}

impl Call {
    pub fn post_key(&self) -> String {
        format!("call:{}", self.id)
    }

    fn taken(&self, role: &str) -> usize {
        self.signups.iter().filter(|s| s.role == role).count()
    }

    fn slot(&self, role: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.role == role)
    }

    fn role_names(&self) -> String {
        self.slots
            .iter()
            .map(|s| s.role.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads `host:1 onsite:3 prep:2`.
pub fn parse_slots(words: &[String]) -> Result<Vec<Slot>, CmdError> {
    let mut slots: Vec<Slot> = Vec::new();
    for w in words {
        let bad = || CmdError::BadSlots {
            given: w.chars().take(40).collect(),
        };
        let (role, n) = w.rsplit_once(':').ok_or_else(bad)?;
        let role = role.trim().to_lowercase();
        if role.is_empty()
            || role.chars().count() > 30
            || !role
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad());
        }
        let places: u32 = n.trim().parse().map_err(|_| bad())?;
        if places == 0 || places > MAX_PLACES {
            return Err(CmdError::BadNumber {
                given: n.to_string(),
                max: MAX_PLACES,
            });
        }
        if slots.iter().any(|s| s.role == role) {
            return Err(bad());
        }
        slots.push(Slot { role, places });
    }
    if slots.is_empty() {
        return Err(CmdError::usage("volunteer call"));
    }
    if slots.len() > MAX_ROLES {
        return Err(CmdError::BadNumber {
            given: slots.len().to_string(),
            max: MAX_ROLES as u32,
        });
    }
    Ok(slots)
}

/// What a sign-up came to.
enum Joined {
    Signed,
    AlreadySigned,
    Waiting(usize),
}

impl Joined {
    /// What the member is told.
    fn text(&self, lang: Lang, role: &str, title: &Text, when: &str) -> Text {
        match self {
            Joined::Signed => tx!(
                lang,
                "✅ You are signed up as {role} for \"{title}\" ({when}). I will remind you before it starts. Thank you!",
                "✅ 你已报名“{title}”（{when}）的 {role} 岗位。活动开始前我会提醒你。谢谢！",
                "✅ Você está inscrito como {role} em \"{title}\" ({when}). Vou lembrar você antes do início. Obrigado!";
                role, title, when
            ),
            Joined::AlreadySigned => tx!(
                lang,
                "You are already signed up as {role} for \"{title}\". Nothing changed.",
                "你已经报名了“{title}”的 {role} 岗位。没有改动。",
                "Você já está inscrito como {role} em \"{title}\". Nada mudou.";
                role, title
            ),
            Joined::Waiting(place) => tx!(
                lang,
                "The {role} role is full. You are number {place} on its waitlist; I will tell you if a place opens.",
                "{role} 岗位已满。你在候补名单第 {place} 位；有空位时我会通知你。",
                "A função {role} está cheia. Você é o número {place} na lista de espera; aviso se abrir uma vaga.";
                role, place = *place
            ),
        }
    }
}

impl Commands {
    fn call(&self, id: &str) -> Result<Call, CmdError> {
        self.trees
            .get(T::Calls, id.to_ascii_lowercase().as_bytes())?
            .ok_or_else(|| CmdError::NotFound {
                kind: Kind::Call,
                id: id.chars().take(20).collect(),
            })
    }

    fn event_of(&self, call: &Call) -> Result<Event, CmdError> {
        self.event(&call.event)
    }

    /// Completed volunteer shifts of a member: calls where they were marked present (kept
    /// per member in `cmd.shifts`, so this does not read every call).
    pub(crate) fn shifts(&self, platform: Platform, user: &str) -> Result<u32, CmdError> {
        let mut n = 0;
        for a in self.member_accounts(platform, user) {
            n += self
                .trees
                .scan::<i64>(T::Shifts, &key(&[a.platform.name(), &a.user, ""]))?
                .len() as u32;
        }
        Ok(n)
    }

    pub(crate) fn volunteer_call(
        &self,
        cx: &Ctx,
        event: &str,
        slots: &[String],
        deadline: Option<&str>,
    ) -> Result<Response, CmdError> {
        let slots = parse_slots(slots)?;
        let ev = self.event(event)?;
        self.may_change(cx, ev.platform, &ev.organizer, &ev.id)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if ev.started(now) {
            return Err(CmdError::EventStarted { id: ev.id });
        }
        let deadline = match deadline {
            Some(d) => {
                let d = when::parse(&clean(d, "deadline", 60)?, &self.config.timezone)?.as_second();
                if d <= now {
                    return Err(CmdError::PastDeadline {
                        when: self.moment(d, cx.lang),
                    });
                }
                if d > ev.start {
                    return Err(CmdError::DeadlineAfterStart);
                }
                Some(d)
            }
            None => None,
        };
        let (call, ev) = self.trees.write(|tx| {
            let Some(mut ev) = tx.get::<Event>(T::Events, ev.id.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Event,
                    id: ev.id.clone(),
                });
            };
            let call = Call {
                id: format!("v{}", tx.next("call")?),
                event: ev.id.clone(),
                platform: cx.actor.platform,
                organizer: cx.actor.user_id.clone(),
                slots: slots.clone(),
                deadline,
                signups: Vec::new(),
                waitlist: Vec::new(),
                attended: Vec::new(),
                created: now,
            };
            ev.calls.push(call.id.clone());
            tx.put(T::Calls, call.id.as_bytes(), &call)?;
            tx.put(T::Events, ev.id.as_bytes(), &ev)?;
            Ok((call, ev))
        })?;
        let lang = cx.lang;
        let (cid, eid) = (&call.id, &ev.id);
        let confirm = Reply::private(
            lang,
            tx!(
                lang,
                "Volunteer call {cid} for event {eid} is posted. `volunteer roster {cid}` shows who signed up.",
                "活动 {eid} 的志愿者招募 {cid} 已发布。`volunteer roster {cid}` 可以查看报名名单。",
                "A chamada de voluntários {cid} do evento {eid} foi publicada. `volunteer roster {cid}` mostra quem se inscreveu.";
                cid, eid
            ),
        );
        Ok(Response::one(confirm).and(
            self.call_post(&call, &ev, lang)
                .to(Destination::Announcements),
        ))
    }

    /// The call as posted: one line and one button per role.
    pub(crate) fn call_post(&self, call: &Call, ev: &Event, lang: Lang) -> Reply {
        let title = &ev.title;
        let when = self.moment(ev.start, lang);
        let mut text = tx!(
            lang,
            "Volunteers wanted for **{title}** ({when}). Pick a role below; if it is full you join its waitlist.",
            "**{title}**（{when}）招募志愿者。请在下方选择岗位；岗位满了会进入候补名单。",
            "Precisamos de voluntários para **{title}** ({when}). Escolha uma função abaixo; se estiver cheia, você entra na lista de espera.";
            title, when
        );
        if ev.cancelled {
            text = Text::plain(tr!(
                lang,
                "❌ CANCELLED\n\n",
                "❌ 已取消\n\n",
                "❌ CANCELADO\n\n"
            ))
            .and(text);
        }
        let cid = &call.id;
        let mut reply = Reply::new(lang, text).title(tr!(
            lang,
            "🙋 Volunteer call {cid}",
            "🙋 志愿者招募 {cid}",
            "🙋 Chamada de voluntários {cid}"
        ));
        for s in &call.slots {
            let taken = call.taken(&s.role);
            let waiting = call.waitlist.iter().filter(|w| w.role == s.role).count();
            let places = s.places;
            let mut value = tr!(
                lang,
                "{taken}/{places} signed up",
                "已报名 {taken}/{places}",
                "{taken}/{places} inscritos"
            );
            if waiting > 0 {
                value.push_str(&tr!(
                    lang,
                    ", {waiting} waiting",
                    "，候补 {waiting} 人",
                    ", {waiting} na espera"
                ));
            }
            reply = reply.field(s.role.clone(), value);
        }
        if let Some(d) = call.deadline {
            reply = reply.field(
                tr!(lang, "Sign up by", "报名截止", "Inscrições até"),
                self.moment(d, lang),
            );
        }
        if !ev.cancelled {
            for s in &call.slots {
                let role = &s.role;
                reply = reply.button(
                    format!("vol:signup:{}:{}", call.id, s.role),
                    tr!(lang, "Sign up: {role}", "报名：{role}", "Inscrever: {role}"),
                    ButtonStyle::Primary,
                );
            }
            reply = reply.button(
                format!("vol:withdraw:{}", call.id),
                tr!(lang, "Withdraw", "退出", "Desistir"),
                ButtonStyle::Secondary,
            );
        }
        reply.post_key = Some(call.post_key());
        reply
    }

    pub(crate) fn volunteer_signup(
        &self,
        cx: &Ctx,
        call_id: &str,
        role: &str,
    ) -> Result<Response, CmdError> {
        let call = self.call(call_id)?;
        let ev = self.event_of(&call)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if ev.started(now) {
            return Err(CmdError::EventStarted { id: ev.id });
        }
        if call.deadline.is_some_and(|d| now > d) {
            return Err(CmdError::DeadlinePassed);
        }
        let role = role.trim().to_lowercase();
        if call.slot(&role).is_none() {
            return Err(CmdError::UnknownRole {
                given: role.chars().take(30).collect(),
                roles: call.role_names(),
            });
        }
        let (outcome, call) = self.join(cx, &call.id, &role)?;
        let lang = cx.lang;
        let text = outcome.text(
            lang,
            &role,
            &Text::typed(&ev.title),
            &self.moment(ev.start, lang),
        );
        let mut response = Response::one(Reply::private(lang, text));
        if !matches!(outcome, Joined::AlreadySigned) {
            response = response.and(self.call_post(&call, &ev, lang).to(Destination::Update {
                key: call.post_key(),
            }));
        }
        Ok(response)
    }

    /// Puts the member on the call's roster for `role`, or on its waitlist when full, in
    /// one transaction.
    fn join(&self, cx: &Ctx, call_id: &str, role: &str) -> Result<(Joined, Call), CmdError> {
        let me = cx.actor;
        let now = self.now();
        // A member signs up once, whichever of their linked accounts they use.
        let accounts = self.member_accounts(me.platform, &me.user_id);
        let is_me = |s: &Signup| accounts.iter().any(|a| s.is(a.platform, &a.user));
        self.trees.write(|tx| {
            let Some(mut call) = tx.get::<Call>(T::Calls, call_id.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Call,
                    id: call_id.into(),
                });
            };
            let mine = call
                .signups
                .iter()
                .map(|s| (s, false))
                .chain(call.waitlist.iter().map(|s| (s, true)))
                .find(|(s, _)| is_me(s));
            if let Some((s, waiting)) = mine {
                if s.role != role {
                    return abort(CmdError::OtherRole {
                        role: s.role.clone(),
                    });
                }
                let outcome = if waiting {
                    let place = call
                        .waitlist
                        .iter()
                        .filter(|w| w.role == role)
                        .position(&is_me)
                        .map_or(1, |p| p + 1);
                    Joined::Waiting(place)
                } else {
                    Joined::AlreadySigned
                };
                return Ok((outcome, call));
            }
            let signup = Signup {
                platform: me.platform,
                user: me.user_id.clone(),
                name: me.name.clone(),
                role: role.to_string(),
                at: now,
                lang: cx.lang.code().to_string(),
            };
            let places = call.slot(role).map_or(0, |s| s.places) as usize;
            let outcome = if call.taken(role) < places {
                call.signups.push(signup);
                Joined::Signed
            } else {
                call.waitlist.push(signup);
                Joined::Waiting(call.waitlist.iter().filter(|w| w.role == role).count())
            };
            tx.put(T::Calls, call.id.as_bytes(), &call)?;
            Ok((outcome, call))
        })
    }

    pub(crate) fn volunteer_withdraw(&self, cx: &Ctx, call_id: &str) -> Result<Response, CmdError> {
        let call = self.call(call_id)?;
        let ev = self.event_of(&call)?;
        if ev.started(self.now()) {
            return Err(CmdError::EventStarted { id: ev.id });
        }
        let me = cx.actor;
        let accounts = self.member_accounts(me.platform, &me.user_id);
        let is_me = |s: &Signup| accounts.iter().any(|a| s.is(a.platform, &a.user));
        let (left, waited, promoted, call) = self.trees.write(|tx| {
            let Some(mut call) = tx.get::<Call>(T::Calls, call.id.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Call,
                    id: call_id.into(),
                });
            };
            let mut promoted = None;
            let mut waited = false;
            let left = if let Some(i) = call.signups.iter().position(&is_me) {
                let gone = call.signups.remove(i);
                if let Some(w) = call.waitlist.iter().position(|w| w.role == gone.role) {
                    let next = call.waitlist.remove(w);
                    call.signups.push(next.clone());
                    promoted = Some(next);
                }
                gone
            } else if let Some(i) = call.waitlist.iter().position(&is_me) {
                waited = true;
                call.waitlist.remove(i)
            } else {
                return abort(CmdError::NotSignedUp {
                    call: call.id.clone(),
                });
            };
            tx.put(T::Calls, call.id.as_bytes(), &call)?;
            Ok((left, waited, promoted, call))
        })?;
        let lang = cx.lang;
        let role = &left.role;
        let title = Text::typed(&ev.title);
        let said = if waited {
            let cid = &call.id;
            tx!(
                lang,
                "You left the waitlist for {role} at \"{title}\"; you had no place yet, so nobody moves up. `volunteer signup {cid} {role}` puts you back at its end.",
                "你已离开“{title}”{role} 岗位的候补名单；你还没有获得名额，所以没有人递补。`volunteer signup {cid} {role}` 可以重新排到候补末尾。",
                "Você saiu da lista de espera de {role} em \"{title}\"; você ainda não tinha vaga, então ninguém sobe. `volunteer signup {cid} {role}` coloca você de volta no fim da fila.";
                role, title = &title, cid
            )
        } else {
            tx!(
                lang,
                "You are no longer signed up as {role} for \"{title}\".",
                "你已退出“{title}”的 {role} 岗位。",
                "Você não está mais inscrito como {role} em \"{title}\".";
                role, title = &title
            )
        };
        let mut response = Response::one(Reply::private(lang, said)).and(
            self.call_post(&call, &ev, lang).to(Destination::Update {
                key: call.post_key(),
            }),
        );
        if let Some(p) = promoted {
            let lang = p.lang();
            let when = self.moment(ev.start, lang);
            let role = &p.role;
            let cid = &call.id;
            let mut dm = Reply::new(
                lang,
                tx!(
                    lang,
                    "🎉 A place opened: you are now signed up as {role} for \"{title}\" ({when}). If you can no longer come, use `volunteer withdraw {cid}`.",
                    "🎉 有空位了：你已从候补转为“{title}”（{when}）的 {role} 岗位。如果来不了，请用 `volunteer withdraw {cid}`。",
                    "🎉 Abriu uma vaga: agora você está inscrito como {role} em \"{title}\" ({when}). Se não puder mais ir, use `volunteer withdraw {cid}`.";
                    role, title = &title, when, cid
                ),
            )
            .to(Destination::Direct { platform: p.platform, user: p.user.clone() });
            dm.mention_users.push(p.user.clone());
            response = response.and(dm);
        }
        Ok(response)
    }

    pub(crate) fn volunteer_roster(&self, cx: &Ctx, call_id: &str) -> Result<Response, CmdError> {
        let call = self.call(call_id)?;
        let ev = self.event_of(&call)?;
        self.may_change(cx, call.platform, &call.organizer, &call.id)
            .or_else(|_| self.may_change(cx, ev.platform, &ev.organizer, &call.id))
            .map_err(|_| CmdError::NotYoursToRead {
                id: call.id.clone(),
            })?;
        let lang = cx.lang;
        let person = |s: &Signup| {
            let present = if call
                .attended
                .iter()
                .any(|(p, u)| *p == s.platform && *u == s.user)
            {
                " ✔"
            } else {
                ""
            };
            Text::user(s.platform, &s.user)
                .and(" (")
                .and(Text::typed(&s.name))
                .and(format!("){present}"))
        };
        let mut reply = Reply::private(
            lang,
            Text::typed(&ev.title).and(format!(" — {}", self.moment(ev.start, lang))),
        )
        .title({
            let cid = &call.id;
            tr!(
                lang,
                "Roster of {cid}",
                "{cid} 的报名名单",
                "Inscritos em {cid}"
            )
        });
        for s in &call.slots {
            let names: Vec<Text> = call
                .signups
                .iter()
                .filter(|x| x.role == s.role)
                .map(&person)
                .collect();
            let waiting: Vec<Text> = call
                .waitlist
                .iter()
                .filter(|x| x.role == s.role)
                .map(&person)
                .collect();
            let mut value = if names.is_empty() {
                Text::plain("—")
            } else {
                Text::join(names, ", ")
            };
            if !waiting.is_empty() {
                let list = Text::join(waiting, ", ");
                value.append(tx!(
                    lang,
                    "\nwaitlist: {list}",
                    "\n候补：{list}",
                    "\nespera: {list}";
                    list
                ));
            }
            reply = reply.field(
                format!("{} ({}/{})", s.role, call.taken(&s.role), s.places),
                value,
            );
        }
        Ok(Response::one(reply))
    }

    pub(crate) fn volunteer_attended(
        &self,
        cx: &Ctx,
        call_id: &str,
        users: &[UserRef],
    ) -> Result<Response, CmdError> {
        let call = self.call(call_id)?;
        let ev = self.event_of(&call)?;
        self.may_change(cx, call.platform, &call.organizer, &call.id)
            .or_else(|_| self.may_change(cx, ev.platform, &ev.organizer, &call.id))?;
        if !ev.started(self.now()) {
            return Err(CmdError::EventNotStarted { id: ev.id });
        }
        let platform = cx.actor.platform;
        let (marked, unknown) = self.mark_present(platform, &call.id, users)?;
        let lang = cx.lang;
        let n = marked.len();
        let mut reply = Reply::private(
            lang,
            tr!(
                lang,
                "Marked {n} volunteer(s) as present.",
                "已登记 {n} 位志愿者到场。",
                "{n} voluntário(s) marcado(s) como presente(s)."
            ),
        );
        if !unknown.is_empty() {
            let list = Text::join(unknown.iter().map(|u| Text::user(platform, u)), ", ");
            reply = reply.field(
                tr!(
                    lang,
                    "Not on the roster (skipped)",
                    "不在报名名单上（已跳过）",
                    "Fora da lista (ignorados)"
                ),
                list,
            );
        }
        self.suggest_badges(cx, reply, &marked).map(Response::one)
    }

    /// Adds to `reply` the members just marked present who now have enough shifts for the
    /// Volunteer badge and lack it, with a grant button each for admins.
    fn suggest_badges(
        &self,
        cx: &Ctx,
        mut reply: Reply,
        marked: &[String],
    ) -> Result<Reply, CmdError> {
        let (lang, platform) = (cx.lang, cx.actor.platform);
        let mut suggestions = Vec::new();
        for u in marked {
            let has = self
                .grants(platform, u)?
                .iter()
                .any(|g| g.badge == "volunteer");
            let shifts = self.shifts(platform, u)?;
            if has || shifts < self.config.volunteer_badge_after {
                continue;
            }
            let who = Text::user(platform, u);
            suggestions.push(tx!(
                lang,
                "{who}: {shifts} completed shift(s), no Volunteer badge yet",
                "{who}：已完成 {shifts} 次志愿服务，还没有志愿者徽章",
                "{who}: {shifts} turno(s) concluído(s), ainda sem o selo Voluntário";
                who, shifts
            ));
            if cx.level == Level::Admin {
                reply = reply.button(
                    format!("grant:volunteer:{u}"),
                    tr!(
                        lang,
                        "Grant Volunteer to {u}",
                        "授予 {u} 志愿者徽章",
                        "Dar selo Voluntário a {u}"
                    ),
                    ButtonStyle::Success,
                );
            }
        }
        if !suggestions.is_empty() {
            reply = reply.field(
                tr!(
                    lang,
                    "Suggested for the Volunteer badge (admins grant it)",
                    "建议授予志愿者徽章（由管理员授予）",
                    "Sugeridos para o selo Voluntário (administradores concedem)"
                ),
                Text::join(suggestions, "\n"),
            );
        }
        Ok(reply)
    }

    /// Marks `users` present at a call, in one transaction: those marked now, and those
    /// not on its roster.
    fn mark_present(
        &self,
        platform: Platform,
        call_id: &str,
        users: &[UserRef],
    ) -> Result<(Vec<String>, Vec<String>), CmdError> {
        let now = self.now();
        self.trees.write(|tx| {
            let Some(mut call) = tx.get::<Call>(T::Calls, call_id.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Call,
                    id: call_id.into(),
                });
            };
            let (mut marked, mut unknown) = (Vec::new(), Vec::new());
            for u in users {
                if !call.signups.iter().any(|s| s.is(platform, &u.0)) {
                    unknown.push(u.0.clone());
                } else if !call
                    .attended
                    .iter()
                    .any(|(p, x)| *p == platform && *x == u.0)
                {
                    call.attended.push((platform, u.0.clone()));
                    tx.put(T::Shifts, &key(&[platform.name(), &u.0, &call.id]), &now)?;
                    marked.push(u.0.clone());
                }
            }
            tx.put(T::Calls, call.id.as_bytes(), &call)?;
            Ok((marked, unknown))
        })
    }

    /// Reminders due at the clock's time, each sent once: marked in the store (and flushed)
    /// before they are handed out, so a restart never repeats one. When several are due at
    /// once (the bot was down), only the nearest to the event goes out.
    pub fn due_reminders(&self) -> Result<Response, CmdError> {
        let now = self.now();
        let mut offsets: Vec<i64> = self
            .config
            .reminders
            .iter()
            .map(|d| d.as_secs() as i64)
            .collect();
        offsets.sort_unstable();
        let mut due: Vec<(Signup, Event, Vec<Vec<u8>>)> = Vec::new();
        for (_, call) in self.trees.scan::<Call>(T::Calls, b"")? {
            let Some(ev) = self.trees.get::<Event>(T::Events, call.event.as_bytes())? else {
                continue;
            };
            if ev.cancelled || ev.start <= now {
                continue;
            }
            for s in &call.signups {
                let mut keys = Vec::new();
                for off in &offsets {
                    if now >= ev.start - off {
                        let k = key(&[&call.id, s.platform.name(), &s.user, &off.to_string()]);
                        if self.trees.get::<i64>(T::Reminders, &k)?.is_none() {
                            keys.push(k);
                        }
                    }
                }
                if !keys.is_empty() {
                    due.push((s.clone(), ev.clone(), keys));
                }
            }
        }
        let mut response = Response {
            replies: Vec::new(),
            effects: Vec::new(),
        };
        if due.is_empty() {
            return Ok(response);
        }
        self.trees.write(|tx| {
            for (_, _, keys) in &due {
                for k in keys {
                    tx.put(T::Reminders, k, &now)?;
                }
            }
            Ok(())
        })?;
        for (s, ev, _) in due {
            let lang = s.lang();
            let title = Text::typed(&ev.title);
            let when = self.moment(ev.start, lang);
            let place = Text::link_or_typed(ev.place.as_deref().unwrap_or_default());
            let role = &s.role;
            let mut reply = Reply::new(
                lang,
                tx!(
                    lang,
                    "⏰ Reminder: you volunteer as {role} at \"{title}\", {when}. {place}",
                    "⏰ 提醒：你将在“{title}”担任 {role} 志愿者，时间 {when}。{place}",
                    "⏰ Lembrete: você é voluntário como {role} em \"{title}\", {when}. {place}";
                    role, title, when, place
                )
                .trim_end(),
            )
            .to(Destination::Direct {
                platform: s.platform,
                user: s.user.clone(),
            });
            reply.mention_users.push(s.user.clone());
            response.replies.push(reply);
        }
        Ok(response)
    }
}
