//! RSVPs: members say they are going (or not) with the buttons on an announcement or
//! `rsvp EVENT`. An event may have a capacity: a full event puts a member on its waitlist
//! with their place, and a freed place is offered to the first waiting member by direct
//! message, held for the claim window, then passed on. RSVPs close at the cutoff (by
//! default the start). Members going get the event's reminders; the organizer sees the
//! counts and lists. With the no-show policy on, members who said they were going and did
//! not come (or said no too late) go on the waitlist first for a while, and are told why.
//!
//! Not for: check-in at the door ([`crate::checkin`]), volunteer calls
//! ([`crate::volunteers`]).

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Level, Platform};
use crate::error::{CmdError, Kind};
use crate::events::Event;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::{abort, Tx, TxResult, T};
use crate::text::{key, UserRef};
use crate::volunteers::Call;
use crate::{Commands, Ctx};

/// A member on an event's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub platform: Platform,
    pub user: String,
    pub name: String,
    /// When they said so (for the waitlist, when they joined it).
    pub at: i64,
    /// The language they answered in; their messages use it.
    pub lang: String,
}

impl Attendee {
    pub fn lang(&self) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == self.lang)
            .unwrap_or(Lang::En)
    }

    pub(crate) fn is(&self, platform: Platform, user: &str) -> bool {
        self.platform == platform && self.user == user
    }

    fn of(actor: &Actor, lang: Lang, at: i64) -> Self {
        Attendee {
            platform: actor.platform,
            user: actor.user_id.clone(),
            name: actor
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect(),
            at,
            lang: lang.code().to_string(),
        }
    }
}

/// A freed place held for a waiting member until `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub who: Attendee,
    pub until: i64,
}

/// A member checked in at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Present {
    pub platform: Platform,
    pub user: String,
    pub name: String,
    pub at: i64,
    /// The organizer who marked them present; `None` when they checked in themselves.
    #[serde(default)]
    pub marked_by: Option<String>,
}

/// Everyone on an event's lists. Every list is in order of arrival.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    #[serde(default)]
    pub going: Vec<Attendee>,
    #[serde(default)]
    pub waitlist: Vec<Attendee>,
    #[serde(default)]
    pub offers: Vec<Offer>,
    #[serde(default)]
    pub not_going: Vec<Attendee>,
    /// Said no after the no-show policy's notice: counted with the no-shows.
    #[serde(default)]
    pub late: Vec<Attendee>,
    #[serde(default)]
    pub present: Vec<Present>,
    /// The open check-in's code.
    #[serde(default)]
    pub code: Option<String>,
}

impl Roster {
    /// Places taken: those going and those held for an offer.
    pub fn held(&self) -> usize {
        self.going.len() + self.offers.len()
    }

    pub fn is_present(&self, platform: Platform, user: &str) -> bool {
        self.present
            .iter()
            .any(|p| p.platform == platform && p.user == user)
    }

    fn remove_everywhere(&mut self, platform: Platform, user: &str) {
        self.going.retain(|a| !a.is(platform, user));
        self.waitlist.retain(|a| !a.is(platform, user));
        self.offers.retain(|o| !o.who.is(platform, user));
        self.not_going.retain(|a| !a.is(platform, user));
    }

    /// Offers each free place to the first waiting member, held until `until`; the new
    /// offers.
    fn offer_free_places(&mut self, capacity: Option<u32>, until: i64) -> Vec<Offer> {
        let mut made = Vec::new();
        while capacity.is_some_and(|c| self.held() < c as usize) && !self.waitlist.is_empty() {
            let who = self.waitlist.remove(0);
            let offer = Offer { who, until };
            self.offers.push(offer.clone());
            made.push(offer);
        }
        made
    }
}

/// A member's record under the no-show policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// Events they said they were going to and did not come to, since their last waitlist
    /// period (or since an admin cleared it).
    #[serde(default)]
    pub no_shows: Vec<String>,
    /// Until then, their RSVPs go on the waitlist first.
    #[serde(default)]
    pub waitlist_until: Option<i64>,
}

/// What an RSVP came to.
enum Said {
    Going,
    AlreadyGoing,
    Waiting {
        place: usize,
        held_back: Option<i64>,
    },
    AlreadyWaiting(usize),
    NotGoing {
        had_place: bool,
    },
    AlreadyNotGoing,
}

/// What a press on an offer came to.
enum Claim {
    Took,
    AlreadyGoing,
    Left,
}

pub(crate) fn standing_key(platform: Platform, user: &str) -> Vec<u8> {
    key(&[platform.name(), user])
}

fn roster_in(tx: &Tx, event: &str) -> TxResult<Roster> {
    Ok(tx
        .get::<Roster>(T::Rsvps, event.as_bytes())?
        .unwrap_or_default())
}

fn event_in(tx: &Tx, id: &str) -> TxResult<Event> {
    match tx.get::<Event>(T::Events, id.as_bytes())? {
        Some(e) => Ok(e),
        None => abort(CmdError::NotFound {
            kind: Kind::Event,
            id: id.to_string(),
        }),
    }
}

impl Commands {
    /// The lists of an event (empty for events nobody answered, and those from before
    /// RSVPs).
    pub(crate) fn roster(&self, event: &str) -> Result<Roster, CmdError> {
        Ok(self
            .trees
            .get::<Roster>(T::Rsvps, event.as_bytes())?
            .unwrap_or_default())
    }

    /// "12/30, 3 waiting" as the post shows it.
    pub(crate) fn going_counts(&self, e: &Event, lang: Lang) -> String {
        let r = self.roster(&e.id).unwrap_or_default();
        let going = r.going.len();
        let mut out = match e.capacity {
            Some(c) => format!("{going}/{c}"),
            None => going.to_string(),
        };
        let waiting = r.waitlist.len() + r.offers.len();
        if waiting > 0 {
            out.push_str(&tr!(
                lang,
                ", {waiting} waiting",
                "，候补 {waiting} 人",
                ", {waiting} na espera"
            ));
        }
        out
    }

    /// When the member's RSVPs go on the waitlist first, if they do now.
    fn held_back(&self, actor: &Actor) -> Result<Option<i64>, CmdError> {
        if self.config.no_shows.is_none() {
            return Ok(None);
        }
        let s: Option<Standing> = self
            .trees
            .get(T::Standing, &standing_key(actor.platform, &actor.user_id))?;
        Ok(s.and_then(|s| s.waitlist_until).filter(|u| *u > self.now()))
    }

    pub(crate) fn rsvp(&self, cx: &Ctx, id: &str, going: bool) -> Result<Response, CmdError> {
        let ev = self.event(id)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if ev.started(now) {
            return Err(CmdError::EventStarted { id: ev.id });
        }
        if going && !ev.open(now) {
            return Err(CmdError::RsvpClosed {
                when: self.moment(ev.closes(), cx.lang),
                id: ev.id,
            });
        }
        // Someone holding an offer who presses Going takes it.
        if going
            && self
                .roster(&ev.id)?
                .offers
                .iter()
                .any(|o| o.who.is(cx.actor.platform, &cx.actor.user_id))
        {
            return self.rsvp_claim(cx, &ev.id, true);
        }
        let held_back = if going {
            self.held_back(cx.actor)?
        } else {
            None
        };
        let me = Attendee::of(cx.actor, cx.lang, now);
        let window = self.config.claim_window.as_secs() as i64;
        let notice = self
            .config
            .no_shows
            .as_ref()
            .map(|p| p.notice.as_secs() as i64);
        let (said, ev, offers) = self.trees.write(|tx| {
            let ev = event_in(tx, &ev.id)?;
            let mut r = roster_in(tx, &ev.id)?;
            let (p, u) = (me.platform, me.user.as_str());
            let said = if going {
                if r.going.iter().any(|a| a.is(p, u)) {
                    Said::AlreadyGoing
                } else if let Some(i) = r.waitlist.iter().position(|a| a.is(p, u)) {
                    Said::AlreadyWaiting(i + 1)
                } else {
                    r.not_going.retain(|a| !a.is(p, u));
                    let full = ev.capacity.is_some_and(|c| r.held() >= c as usize)
                        || !r.waitlist.is_empty();
                    let held = held_back.filter(|_| ev.capacity.is_some());
                    if full || held.is_some() {
                        r.waitlist.push(me.clone());
                        Said::Waiting {
                            place: r.waitlist.len(),
                            held_back: held,
                        }
                    } else {
                        r.going.push(me.clone());
                        Said::Going
                    }
                }
            } else if r.not_going.iter().any(|a| a.is(p, u)) {
                Said::AlreadyNotGoing
            } else {
                let had_place =
                    r.going.iter().any(|a| a.is(p, u)) || r.offers.iter().any(|o| o.who.is(p, u));
                if had_place && notice.is_some_and(|n| ev.start - now < n) {
                    r.late.push(me.clone());
                }
                r.remove_everywhere(p, u);
                r.not_going.push(me.clone());
                Said::NotGoing { had_place }
            };
            let offers = if ev.open(now) {
                r.offer_free_places(ev.capacity, (now + window).min(ev.start))
            } else {
                Vec::new()
            };
            if !matches!(
                said,
                Said::AlreadyGoing | Said::AlreadyWaiting(_) | Said::AlreadyNotGoing
            ) {
                tx.put(T::Rsvps, ev.id.as_bytes(), &r)?;
            }
            Ok((said, ev, offers))
        })?;
        let lang = cx.lang;
        let title = Text::typed(&ev.title);
        let when = self.moment(ev.start, lang);
        let eid = &ev.id;
        let text = match &said {
            Said::Going => tx!(
                lang,
                "✅ You are going to \"{title}\" ({when}). I will remind you before it starts; if your plans change, press Not going (or type `rsvp {eid} no`).",
                "✅ 你已报名参加“{title}”（{when}）。活动开始前我会提醒你；如果有变，请点“不参加”（或输入 `rsvp {eid} no`）。",
                "✅ Você vai a \"{title}\" ({when}). Vou lembrar você antes do início; se mudar de ideia, aperte Não vou (ou digite `rsvp {eid} nao`).";
                title = &title, when, eid
            ),
            Said::AlreadyGoing => tx!(
                lang,
                "You are already going to \"{title}\". Nothing changed.",
                "你已经报名参加“{title}”了。没有改动。",
                "Você já confirmou presença em \"{title}\". Nada mudou.";
                title = &title
            ),
            Said::Waiting {
                place,
                held_back: None,
            } => {
                let place = *place;
                tx!(
                    lang,
                    "\"{title}\" is full. You are number {place} on its waitlist; when a place opens I will offer it to you by direct message.",
                    "“{title}”已满。你在候补名单第 {place} 位；有空位时我会私信通知你。",
                    "\"{title}\" está lotado. Você é o número {place} na lista de espera; quando abrir uma vaga, eu ofereço a você por mensagem direta.";
                    title = &title, place
                )
            }
            Said::Waiting {
                place,
                held_back: Some(until),
            } => {
                let place = *place;
                let until = self.day(*until, lang);
                let n = self.config.no_shows.as_ref().map_or(0, |p| p.after);
                tx!(
                    lang,
                    "You are number {place} on the waitlist of \"{title}\": after {n} events you said you would come to and did not, your RSVPs go on the waitlist first until {until}. When a place opens I will offer it to you. An admin can clear this.",
                    "你在“{title}”候补名单第 {place} 位：你有 {n} 次报名后未到场，{until} 之前你的报名会先进入候补。有空位时我会通知你。管理员可以解除。",
                    "Você é o número {place} na lista de espera de \"{title}\": depois de {n} eventos em que confirmou e não foi, suas confirmações vão primeiro para a lista de espera até {until}. Quando abrir uma vaga, eu ofereço a você. Um administrador pode desfazer isso.";
                    place, title = &title, n, until
                )
            }
            Said::AlreadyWaiting(place) => {
                let place = *place;
                tx!(
                    lang,
                    "You are already number {place} on the waitlist of \"{title}\". Nothing changed.",
                    "你已经在“{title}”候补名单第 {place} 位。没有改动。",
                    "Você já é o número {place} na lista de espera de \"{title}\". Nada mudou.";
                    place, title = &title
                )
            }
            Said::NotGoing { had_place: true } => tx!(
                lang,
                "You are no longer going to \"{title}\"; your place goes to the next person waiting. Thank you for saying so!",
                "你已取消参加“{title}”，名额会让给候补的下一位。谢谢告知！",
                "Você não vai mais a \"{title}\"; sua vaga passa para a próxima pessoa da espera. Obrigado por avisar!";
                title = &title
            ),
            Said::NotGoing { had_place: false } => tx!(
                lang,
                "Noted: you are not going to \"{title}\".",
                "已记录：你不参加“{title}”。",
                "Anotado: você não vai a \"{title}\".";
                title = &title
            ),
            Said::AlreadyNotGoing => tx!(
                lang,
                "You had already said you are not going to \"{title}\". Nothing changed.",
                "你之前已经表示不参加“{title}”。没有改动。",
                "Você já tinha dito que não vai a \"{title}\". Nada mudou.";
                title = &title
            ),
        };
        let mut response = Response::one(Reply::private(lang, text));
        if !matches!(
            said,
            Said::AlreadyGoing | Said::AlreadyWaiting(_) | Said::AlreadyNotGoing
        ) {
            response = response.and(
                self.event_post(&ev)
                    .to(Destination::Update { key: ev.post_key() }),
            );
        }
        for o in &offers {
            response = response.and(self.offer_dm(&ev, o));
        }
        Ok(response)
    }

    /// The direct message offering a freed place, with its two buttons.
    fn offer_dm(&self, ev: &Event, o: &Offer) -> Reply {
        let lang = o.who.lang();
        let title = Text::typed(&ev.title);
        let when = self.moment(ev.start, lang);
        let until = self.moment(o.until, lang);
        let mut dm = Reply::new(
            lang,
            tx!(
                lang,
                "🎟 A place opened at \"{title}\" ({when}) and it is yours if you take it by {until}. After that it passes to the next person waiting.",
                "🎟 “{title}”（{when}）有空位了，请在 {until} 前领取，否则名额会转给下一位候补。",
                "🎟 Abriu uma vaga em \"{title}\" ({when}) e ela é sua se você aceitar até {until}. Depois disso, passa para a próxima pessoa da espera.";
                title = &title, when, until
            ),
        )
        .button(
            format!("rsvp:take:{}", ev.id),
            tr!(lang, "Take the place", "领取名额", "Quero a vaga"),
            ButtonStyle::Success,
        )
        .button(
            format!("rsvp:leave:{}", ev.id),
            tr!(lang, "Leave it", "放弃", "Deixar para outra pessoa"),
            ButtonStyle::Secondary,
        )
        .to(Destination::Direct {
            platform: o.who.platform,
            user: o.who.user.clone(),
        });
        dm.mention_users.push(o.who.user.clone());
        dm
    }

    /// The member takes (or leaves) the place offered to them.
    pub(crate) fn rsvp_claim(&self, cx: &Ctx, id: &str, take: bool) -> Result<Response, CmdError> {
        let ev = self.event(id)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if ev.started(now) {
            return Err(CmdError::EventStarted { id: ev.id });
        }
        let (p, u) = (cx.actor.platform, cx.actor.user_id.clone());
        let window = self.config.claim_window.as_secs() as i64;
        let lang = cx.lang;
        let (claim, ev, offers) = self.trees.write(|tx| {
            let ev = event_in(tx, &ev.id)?;
            let mut r = roster_in(tx, &ev.id)?;
            let claim = match r.offers.iter().position(|o| o.who.is(p, &u)) {
                Some(i) if r.offers[i].until < now => {
                    return abort(CmdError::OfferExpired {
                        id: ev.id.clone(),
                        when: self.moment(r.offers[i].until, lang),
                    })
                }
                Some(i) => {
                    let offer = r.offers.remove(i);
                    if take {
                        r.going.push(Attendee {
                            at: now,
                            ..offer.who
                        });
                        Claim::Took
                    } else {
                        r.not_going.push(Attendee {
                            at: now,
                            ..offer.who
                        });
                        Claim::Left
                    }
                }
                None if take && r.going.iter().any(|a| a.is(p, &u)) => Claim::AlreadyGoing,
                None => return abort(CmdError::NoOffer { id: ev.id.clone() }),
            };
            let offers = if ev.open(now) {
                r.offer_free_places(ev.capacity, (now + window).min(ev.start))
            } else {
                Vec::new()
            };
            tx.put(T::Rsvps, ev.id.as_bytes(), &r)?;
            Ok((claim, ev, offers))
        })?;
        let title = Text::typed(&ev.title);
        let when = self.moment(ev.start, lang);
        let text = match claim {
            Claim::Took => tx!(
                lang,
                "✅ The place is yours: you are going to \"{title}\" ({when}). I will remind you before it starts.",
                "✅ 名额是你的了：你将参加“{title}”（{when}）。活动开始前我会提醒你。",
                "✅ A vaga é sua: você vai a \"{title}\" ({when}). Vou lembrar você antes do início.";
                title = &title, when
            ),
            Claim::AlreadyGoing => tx!(
                lang,
                "The place is already yours: you are going to \"{title}\". Nothing changed.",
                "名额已经是你的了：你将参加“{title}”。没有改动。",
                "A vaga já é sua: você vai a \"{title}\". Nada mudou.";
                title = &title
            ),
            Claim::Left => tx!(
                lang,
                "Thank you for letting the place go; it passes to the next person waiting for \"{title}\".",
                "谢谢你让出名额；它会转给“{title}”候补的下一位。",
                "Obrigado por liberar a vaga; ela passa para a próxima pessoa na espera de \"{title}\".";
                title = &title
            ),
        };
        let mut response = Response::one(Reply::private(lang, text));
        if !matches!(claim, Claim::AlreadyGoing) {
            response = response.and(
                self.event_post(&ev)
                    .to(Destination::Update { key: ev.post_key() }),
            );
        }
        for o in &offers {
            response = response.and(self.offer_dm(&ev, o));
        }
        Ok(response)
    }

    /// The organizer's view: Going, Waitlist and Checked-in counts and lists.
    pub(crate) fn event_attendees(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let ev = self.event(id)?;
        self.may_change(cx, ev.platform, &ev.organizer, &ev.id)?;
        let r = self.roster(&ev.id)?;
        let lang = cx.lang;
        let who = |platform: Platform, user: &str, name: &str| {
            Text::user(platform, user)
                .and(" (")
                .and(Text::typed(name))
                .and(")")
        };
        let list = |items: Vec<Text>| {
            if items.is_empty() {
                Text::plain("—")
            } else {
                Text::join(items, ", ")
            }
        };
        let going = r
            .going
            .iter()
            .map(|a| {
                let mark = if r.is_present(a.platform, &a.user) {
                    " ✔"
                } else {
                    ""
                };
                who(a.platform, &a.user, &a.name).and(mark)
            })
            .collect();
        let waiting: Vec<Text> = r
            .offers
            .iter()
            .map(|o| {
                let until = self.moment(o.until, lang);
                who(o.who.platform, &o.who.user, &o.who.name).and(tr!(
                    lang,
                    " (offered until {until})",
                    "（名额保留至 {until}）",
                    " (vaga oferecida até {until})"
                ))
            })
            .chain(r.waitlist.iter().enumerate().map(|(i, a)| {
                Text::plain(format!("{}. ", i + 1)).and(who(a.platform, &a.user, &a.name))
            }))
            .collect();
        let present: Vec<Text> = r
            .present
            .iter()
            .map(|p| who(p.platform, &p.user, &p.name))
            .collect();
        let cap = ev.capacity.map_or(String::new(), |c| format!("/{c}"));
        let title = {
            let eid = &ev.id;
            tr!(
                lang,
                "Attendees of {eid}",
                "{eid} 的参加名单",
                "Participantes de {eid}"
            )
        };
        let reply = Reply::private(
            lang,
            Text::typed(&ev.title).and(format!(" — {}", self.moment(ev.start, lang))),
        )
        .title(title)
        .field(
            format!(
                "{} ({}{cap})",
                tr!(lang, "Going", "参加", "Vão"),
                r.going.len()
            ),
            list(going),
        )
        .field(
            format!(
                "{} ({})",
                tr!(lang, "Waitlist", "候补", "Lista de espera"),
                r.waitlist.len() + r.offers.len()
            ),
            list(waiting),
        )
        .field(
            format!(
                "{} ({})",
                tr!(lang, "Checked in", "已签到", "Check-in feito"),
                r.present.len()
            ),
            list(present),
        )
        .field(
            tr!(lang, "Not going", "不参加", "Não vão"),
            r.not_going.len().to_string(),
        );
        Ok(Response::one(reply))
    }

    /// Adds a direct message to everyone going to the event or waiting for it, in the
    /// language each answered in.
    pub(crate) fn tell_attendees(
        &self,
        mut response: Response,
        event: &Event,
        text: impl Fn(Lang, &Commands) -> Text,
    ) -> Result<Response, CmdError> {
        let r = self.roster(&event.id)?;
        let volunteers = self.volunteers_of(event)?;
        let everyone = r
            .going
            .iter()
            .chain(r.offers.iter().map(|o| &o.who))
            .chain(&r.waitlist);
        for a in everyone {
            // Volunteers hear it as volunteers already.
            if volunteers.contains(&(a.platform, a.user.clone())) {
                continue;
            }
            let lang = a.lang();
            let mut reply = Reply::new(lang, text(lang, self)).to(Destination::Direct {
                platform: a.platform,
                user: a.user.clone(),
            });
            reply.mention_users.push(a.user.clone());
            response = response.and(reply);
        }
        Ok(response)
    }

    /// The members signed up (or waiting) on the event's volunteer calls.
    fn volunteers_of(&self, event: &Event) -> Result<Vec<(Platform, String)>, CmdError> {
        let mut out = Vec::new();
        for cid in &event.calls {
            if let Some(c) = self.trees.get::<Call>(T::Calls, cid.as_bytes())? {
                out.extend(
                    c.signups
                        .iter()
                        .chain(&c.waitlist)
                        .map(|s| (s.platform, s.user.clone())),
                );
            }
        }
        Ok(out)
    }

    /// `rsvp clear @member` (admins): forgets a member's no-shows and ends their waitlist
    /// period.
    pub(crate) fn noshows_clear(&self, cx: &Ctx, user: &UserRef) -> Result<Response, CmdError> {
        if cx.level < Level::Admin {
            return Err(CmdError::Denied {
                command: "event forgive",
                needs: Level::Admin,
            });
        }
        let k = standing_key(cx.actor.platform, &user.0);
        self.trees.write(|tx| tx.remove(T::Standing, &k))?;
        let lang = cx.lang;
        let who = Text::user(cx.actor.platform, &user.0);
        Ok(Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "{who}'s no-shows are forgotten; their RSVPs count as anyone's again.",
                "已清除 {who} 的缺席记录；其报名恢复正常。",
                "As faltas de {who} foram esquecidas; as confirmações voltam a valer como as de todos.";
                who
            ),
        )))
    }

    /// What the clock brings for RSVPs: expired offers pass on, posts say when RSVPs
    /// closed and when the event started, no-shows are counted once an event is over,
    /// and members going are reminded. Each is marked done in the store before it is
    /// handed out.
    pub(crate) fn rsvp_sweep(&self) -> Result<Response, CmdError> {
        let now = self.now();
        let mut response = Response {
            replies: Vec::new(),
            effects: Vec::new(),
        };
        for (_, ev) in self.trees.scan::<Event>(T::Events, b"")? {
            if !ev.cancelled && !ev.started(now) {
                response = self.expire_offers(response, &ev, now)?;
            }
            response = self.closings(response, &ev, now)?;
            if !ev.cancelled {
                response = self.settle_no_shows(response, &ev, now)?;
                response = self.attendee_reminders(response, &ev, now)?;
            }
        }
        Ok(response)
    }

    fn expire_offers(
        &self,
        mut response: Response,
        ev: &Event,
        now: i64,
    ) -> Result<Response, CmdError> {
        let r = self.roster(&ev.id)?;
        if !r.offers.iter().any(|o| o.until < now) {
            return Ok(response);
        }
        let window = self.config.claim_window.as_secs() as i64;
        let (expired, offers) = self.trees.write(|tx| {
            let ev = event_in(tx, &ev.id)?;
            let mut r = roster_in(tx, &ev.id)?;
            let (gone, kept): (Vec<Offer>, Vec<Offer>) =
                r.offers.drain(..).partition(|o| o.until < now);
            r.offers = kept;
            let offers = if ev.open(now) {
                r.offer_free_places(ev.capacity, (now + window).min(ev.start))
            } else {
                Vec::new()
            };
            tx.put(T::Rsvps, ev.id.as_bytes(), &r)?;
            Ok((gone, offers))
        })?;
        let eid = &ev.id;
        for o in &expired {
            let lang = o.who.lang();
            let title = Text::typed(&ev.title);
            let mut dm = Reply::new(
                lang,
                tx!(
                    lang,
                    "⌛ The place at \"{title}\" held for you was not taken in time and has passed to the next person. Type `rsvp {eid}` to join the waitlist again.",
                    "⌛ 为你保留的“{title}”名额已过期，已转给下一位。输入 `rsvp {eid}` 可以重新排队候补。",
                    "⌛ A vaga em \"{title}\" reservada para você não foi aceita a tempo e passou para a próxima pessoa. Digite `rsvp {eid}` para voltar à lista de espera.";
                    title = &title, eid
                ),
            )
            .to(Destination::Direct {
                platform: o.who.platform,
                user: o.who.user.clone(),
            });
            dm.mention_users.push(o.who.user.clone());
            response = response.and(dm);
        }
        for o in &offers {
            response = response.and(self.offer_dm(ev, o));
        }
        Ok(response.and(
            self.event_post(ev)
                .to(Destination::Update { key: ev.post_key() }),
        ))
    }

    /// Marks `what` done for `id`; false when it was done already.
    pub(crate) fn mark_once(&self, what: &str, id: &str) -> Result<bool, CmdError> {
        let k = key(&[what, id]);
        let now = self.now();
        self.trees.write(|tx| {
            if tx.get::<i64>(T::Marks, &k)?.is_some() {
                return Ok(false);
            }
            tx.put(T::Marks, &k, &now)?;
            Ok(true)
        })
    }

    fn is_marked(&self, what: &str, id: &str) -> Result<bool, CmdError> {
        Ok(self
            .trees
            .get::<i64>(T::Marks, &key(&[what, id]))?
            .is_some())
    }

    /// Posts that stay true: when RSVPs close, when a call's sign-ups close and when the
    /// event starts, its posts are updated once (buttons gone, saying so).
    fn closings(&self, mut response: Response, ev: &Event, now: i64) -> Result<Response, CmdError> {
        if ev.cancelled || ev.created > now {
            return Ok(response);
        }
        let started = ev.started(now);
        let closed = !ev.open(now);
        let what = if started { "started" } else { "closed" };
        if closed && !self.is_marked(what, &ev.id)? && self.mark_once(what, &ev.id)? {
            response = response.and(
                self.event_post(ev)
                    .to(Destination::Update { key: ev.post_key() }),
            );
            if started {
                response = self.call_updates(response, ev)?;
            }
        }
        for cid in &ev.calls {
            let Some(c) = self.trees.get::<Call>(T::Calls, cid.as_bytes())? else {
                continue;
            };
            if !started
                && c.deadline.is_some_and(|d| now > d)
                && !self.is_marked("deadline", &c.id)?
                && self.mark_once("deadline", &c.id)?
            {
                response = response.and(
                    self.call_post(&c, ev, ev.post_lang())
                        .to(Destination::Update { key: c.post_key() }),
                );
            }
        }
        Ok(response)
    }

    /// Once an event is over, members who said they were going and were not checked in
    /// (and those who said no too late) get a no-show, if the policy is on and check-in
    /// was used; at the policy's count their RSVPs go on the waitlist first for a while,
    /// and they are told.
    fn settle_no_shows(
        &self,
        mut response: Response,
        ev: &Event,
        now: i64,
    ) -> Result<Response, CmdError> {
        let Some(policy) = self.config.no_shows.clone() else {
            return Ok(response);
        };
        let over = ev.end.unwrap_or(ev.start + 3 * 3600);
        if now < over || self.is_marked("settled", &ev.id)? {
            return Ok(response);
        }
        let r = self.roster(&ev.id)?;
        if r.present.is_empty() && r.code.is_none() {
            // Nobody took attendance: nobody can be said not to have come.
            self.mark_once("settled", &ev.id)?;
            return Ok(response);
        }
        let missing: Vec<Attendee> = r
            .going
            .iter()
            .chain(&r.late)
            .filter(|a| !r.is_present(a.platform, &a.user))
            .cloned()
            .collect();
        let period = policy.waitlist_for.as_secs() as i64;
        let eid = ev.id.clone();
        let penalised = self.trees.write(|tx| {
            let k = key(&["settled", &eid]);
            if tx.get::<i64>(T::Marks, &k)?.is_some() {
                return Ok(Vec::new());
            }
            tx.put(T::Marks, &k, &now)?;
            let mut penalised = Vec::new();
            for a in &missing {
                let sk = standing_key(a.platform, &a.user);
                let mut s: Standing = tx.get(T::Standing, &sk)?.unwrap_or_default();
                if !s.no_shows.contains(&eid) {
                    s.no_shows.push(eid.clone());
                }
                if s.no_shows.len() >= policy.after as usize
                    && s.waitlist_until.is_none_or(|u| u <= now)
                {
                    s.waitlist_until = Some(now + period);
                    s.no_shows.clear();
                    penalised.push((a.clone(), now + period));
                }
                tx.put(T::Standing, &sk, &s)?;
            }
            Ok(penalised)
        })?;
        for (a, until) in penalised {
            let lang = a.lang();
            let n = policy.after;
            let until = self.day(until, lang);
            let mut dm = Reply::new(
                lang,
                tx!(
                    lang,
                    "You said you were going to {n} events and were not checked in at them, so until {until} your RSVPs go on the waitlist first. If that is a mistake, an admin can clear it.",
                    "你有 {n} 次报名参加活动却没有签到，所以在 {until} 之前你的报名会先进入候补。如有误会，管理员可以解除。",
                    "Você confirmou presença em {n} eventos e não fez check-in, então até {until} suas confirmações vão primeiro para a lista de espera. Se for um engano, um administrador pode desfazer.";
                    n, until
                ),
            )
            .to(Destination::Direct {
                platform: a.platform,
                user: a.user.clone(),
            });
            dm.mention_users.push(a.user.clone());
            response = response.and(dm);
        }
        Ok(response)
    }

    /// The event's reminders for members going (volunteers have theirs), each sent once;
    /// when several are due at once, only the nearest to the event goes out.
    fn attendee_reminders(
        &self,
        mut response: Response,
        ev: &Event,
        now: i64,
    ) -> Result<Response, CmdError> {
        if ev.start <= now {
            return Ok(response);
        }
        let mut offsets: Vec<i64> = self
            .config
            .reminders
            .iter()
            .map(|d| d.as_secs() as i64)
            .collect();
        offsets.sort_unstable();
        if !offsets.iter().any(|off| now >= ev.start - off) {
            return Ok(response);
        }
        let r = self.roster(&ev.id)?;
        let volunteers = self.volunteers_of(ev)?;
        let mut due: Vec<(Attendee, Vec<Vec<u8>>)> = Vec::new();
        for a in &r.going {
            if volunteers.contains(&(a.platform, a.user.clone())) {
                continue;
            }
            let mut keys = Vec::new();
            for off in &offsets {
                if now >= ev.start - off {
                    let k = key(&["rsvp", &ev.id, a.platform.name(), &a.user, &off.to_string()]);
                    if self.trees.get::<i64>(T::Reminders, &k)?.is_none() {
                        keys.push(k);
                    }
                }
            }
            if !keys.is_empty() {
                due.push((a.clone(), keys));
            }
        }
        if due.is_empty() {
            return Ok(response);
        }
        self.trees.write(|tx| {
            for (_, keys) in &due {
                for k in keys {
                    tx.put(T::Reminders, k, &now)?;
                }
            }
            Ok(())
        })?;
        for (a, _) in due {
            let lang = a.lang();
            let title = Text::typed(&ev.title);
            let when = self.moment(ev.start, lang);
            let place = Text::link_or_typed(ev.place.as_deref().unwrap_or_default());
            let eid = &ev.id;
            let mut reply = Reply::new(
                lang,
                tx!(
                    lang,
                    "⏰ Reminder: you are going to \"{title}\", {when}. {place} If you can no longer come, type `rsvp {eid} no` so your place goes to someone waiting.",
                    "⏰ 提醒：你报名参加了“{title}”，时间 {when}。{place} 如果来不了，请输入 `rsvp {eid} no`，把名额让给候补。",
                    "⏰ Lembrete: você vai a \"{title}\", {when}. {place} Se não puder mais ir, digite `rsvp {eid} nao` para a vaga ir para quem espera.";
                    title, when, place, eid
                ),
            )
            .to(Destination::Direct {
                platform: a.platform,
                user: a.user.clone(),
            });
            reply.mention_users.push(a.user.clone());
            response.replies.push(reply);
        }
        Ok(response)
    }

    /// Events a member was checked in at (for `badges` and the growth path).
    pub(crate) fn attended(&self, platform: Platform, user: &str) -> Result<u32, CmdError> {
        Ok(self
            .trees
            .scan::<i64>(T::Attendance, &key(&[platform.name(), user, ""]))?
            .len() as u32)
    }
}
