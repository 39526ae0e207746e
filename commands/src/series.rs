//! Recurring series: `announce … repeat: every first Thursday 19:00 until 2027-06-30`,
//! `weekly on Tuesday, 6 times`, `every quarter, 4 times` (and the same in Chinese and
//! Portuguese). Each occurrence becomes an event of its own, announced a configured time
//! ahead; one occurrence is edited or cancelled like any event (or skipped by its date),
//! the whole series with `series edit` and `series cancel`.
//!
//! Not for: reading single dates ([`crate::dates`]).

use jiff::civil::{Date, Time, Weekday};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::actor::Platform;
use crate::dates;
use crate::error::{CmdError, Kind};
use crate::events::{Event, EventFields};
use crate::reply::{Destination, Reply, Response};
use crate::spans::Text;
use crate::store::{abort, T};
use crate::text::clean;
use crate::{Commands, Ctx};

/// Most occurrences one series may have.
pub const MAX_OCCURRENCES: u32 = 100;

/// How a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Every `weeks` weeks on `weekday`.
    Weekly {
        weeks: u32,
        #[serde(with = "weekday")]
        weekday: Weekday,
    },
    /// Every `months` months on the `nth` (1–5, or -1 for the last) `weekday`.
    MonthlyNth {
        months: u32,
        nth: i8,
        #[serde(with = "weekday")]
        weekday: Weekday,
    },
    /// Every `months` months on day `day` (months without that day are skipped).
    MonthlyDay { months: u32, day: i8 },
}

/// A weekday in the store: 1 (Monday) to 7 (Sunday).
mod weekday {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(wd: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i8(wd.to_monday_one_offset())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let n = i8::deserialize(d)?;
        Weekday::from_monday_one_offset(n).map_err(serde::de::Error::custom)
    }
}

/// When a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum End {
    Until { day: Date },
    Count { n: u32 },
}

/// A series and what it has announced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Series {
    pub id: String,
    pub platform: Platform,
    pub organizer: String,
    pub lang: String,
    /// The rule as typed, for showing back.
    pub typed: String,
    pub rule: Rule,
    pub end: End,
    pub first: Date,
    pub time: Time,
    /// Seconds from start to end, when occurrences have an end.
    pub length: Option<i64>,
    pub title: String,
    pub place: Option<String>,
    pub description: Option<String>,
    pub role: Option<String>,
    pub capacity: Option<u32>,
    /// Days skipped (cancelled before they were announced).
    #[serde(default)]
    pub skipped: Vec<Date>,
    /// Occurrences announced: their day and event id.
    #[serde(default)]
    pub events: Vec<(Date, String)>,
    #[serde(default)]
    pub cancelled: bool,
    pub created: i64,
}

impl Rule {
    /// Whether `d` is a day of the rule, given the series' first day.
    fn months(&self) -> u32 {
        match self {
            Rule::Weekly { .. } => 0,
            Rule::MonthlyNth { months, .. } | Rule::MonthlyDay { months, .. } => *months,
        }
    }

    /// The rule's day in the month of `d`.
    fn day_in_month(&self, year: i16, month: i8) -> Option<Date> {
        match *self {
            Rule::Weekly { .. } => None,
            Rule::MonthlyDay { day, .. } => Date::new(year, month, day).ok(),
            Rule::MonthlyNth { nth, weekday, .. } => {
                let first = Date::new(year, month, 1).ok()?;
                first.nth_weekday_of_month(nth, weekday).ok()
            }
        }
    }

    /// The first day of the rule on or after `from`.
    fn first_from(&self, from: Date) -> Option<Date> {
        match *self {
            Rule::Weekly { weekday, .. } => {
                let ahead = (i32::from(weekday.to_monday_zero_offset())
                    - i32::from(from.weekday().to_monday_zero_offset())
                    + 7)
                    % 7;
                from.checked_add(ahead.days()).ok()
            }
            _ => {
                let mut month = from.first_of_month();
                for _ in 0..24 {
                    if let Some(d) = self.day_in_month(month.year(), month.month()) {
                        if d >= from {
                            return Some(d);
                        }
                    }
                    month = month.checked_add(1.month()).ok()?;
                }
                None
            }
        }
    }
}

impl Series {
    /// Every day of the series, in order (at most [`MAX_OCCURRENCES`]).
    pub fn days(&self) -> Vec<Date> {
        let mut out = Vec::new();
        let fits = |d: Date, n: usize| match self.end {
            End::Until { day } => d <= day,
            End::Count { n: max } => n < max as usize,
        };
        match self.rule {
            Rule::Weekly { weeks, .. } => {
                let mut d = self.first;
                while fits(d, out.len()) && out.len() < MAX_OCCURRENCES as usize {
                    out.push(d);
                    let Ok(next) = d.checked_add((7 * weeks as i32).days()) else {
                        break;
                    };
                    d = next;
                }
            }
            rule => {
                let mut month = self.first.first_of_month();
                for _ in 0..(MAX_OCCURRENCES as usize * 12) {
                    if let Some(d) = rule.day_in_month(month.year(), month.month()) {
                        if d >= self.first {
                            if !fits(d, out.len()) || out.len() >= MAX_OCCURRENCES as usize {
                                break;
                            }
                            out.push(d);
                        }
                    } else if matches!(self.end, End::Until { day } if month > day) {
                        break;
                    }
                    let Ok(next) = month.checked_add((rule.months() as i32).months()) else {
                        break;
                    };
                    month = next;
                }
            }
        }
        out
    }

    fn lang(&self) -> knowledge::Lang {
        knowledge::Lang::ALL
            .into_iter()
            .find(|l| l.code() == self.lang)
            .unwrap_or(knowledge::Lang::En)
    }
}

/// What a repeat rule says, before it is placed on a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub rule: Rule,
    /// `None`: the day of the start decides (monthly on its day, weekly on its weekday).
    pub end: Option<End>,
    pub time: Option<Time>,
}

/// A rule in the making: the weekday still to be filled in from the start when absent.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Weekly(u32, Option<Weekday>),
    Nth(u32, i8, Weekday),
    Day(u32, Option<i8>),
}

/// Reads a repeat rule with its end: `every first Thursday 19:00 until 2027-06-30`,
/// `weekly on Tuesday, 6 times`, `every quarter, 4 times`, `toda primeira quinta até
/// 30/06/2027`, `每月第一个星期四晚上7点 直到2027-06-30`, `每季度 共4次`.
pub(crate) fn parse_rule(
    text: &str,
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Result<(Shape2, Option<Time>, End), CmdError> {
    let bad = || CmdError::BadRepeat {
        given: text.chars().take(80).collect(),
    };
    let folded = knowledge::analysis::fold(text);
    let (rule_text, end) = split_end(&folded, now, tz).ok_or_else(bad)?;
    let end = end.ok_or(CmdError::SeriesNeedsEnd)?;
    let words = dates::normalized_words(&rule_text);
    let time = dates::time_in(&words).map_err(|_| bad())?;
    let shape = shape(&rule_text, &words).ok_or_else(bad)?;
    Ok((Shape2(shape), time, end))
}

/// A rule's shape, opaque outside this module.
#[derive(Debug, Clone, Copy)]
pub struct Shape2(Shape);

/// Finds the end (`until DATE`, `N times`, `até DATE`, `N vezes`, `直到DATE`, `共N次`) and
/// the rule before it. `None` when the end cannot be read.
fn split_end(text: &str, now: Timestamp, tz: &jiff::tz::TimeZone) -> Option<(String, Option<End>)> {
    for marker in [
        " until ",
        " ate ",
        " through ",
        "直到",
        "截止到",
        "截至",
        " ending ",
    ] {
        if let Some((rule, day)) = text.split_once(marker) {
            let day = day.trim().trim_end_matches("为止").trim();
            let (d, _) = dates::parse_day(day, now, tz).ok()?;
            return Some((rule.trim().to_string(), Some(End::Until { day: d })));
        }
    }
    if let Some(i) = text.find("共") {
        let rest = dates::numerals(&text[i + "共".len()..]);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let n = digits.parse().ok()?;
        return Some((text[..i].trim().to_string(), Some(End::Count { n })));
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let count = |n: &str| {
            dates::numerals(n.trim_start_matches('x'))
                .parse::<u32>()
                .ok()
        };
        let unit = words.get(i + 1).copied();
        let times = matches!(
            unit,
            Some(
                "times"
                    | "time"
                    | "occurrences"
                    | "vezes"
                    | "vez"
                    | "ocorrencias"
                    | "edicoes"
                    | "sessions"
            )
        );
        let n = if times {
            count(w)
        } else if let Some(n) = w.strip_suffix('次') {
            count(n)
        } else if w.starts_with('x') && w.len() > 1 {
            count(w)
        } else {
            None
        };
        if let Some(n) = n {
            let mut rule: Vec<&str> = words[..i].to_vec();
            if rule.last() == Some(&"for") || rule.last() == Some(&"por") {
                rule.pop();
            }
            rule.extend(&words[(i + if times { 2 } else { 1 })..]);
            return Some((rule.join(" "), Some(End::Count { n })));
        }
    }
    Some((text.to_string(), None))
}

/// The rule's shape from its words.
fn shape(text: &str, words: &[String]) -> Option<Shape> {
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let quarterly = has(&["quarter", "trimestr", "季"]);
    let monthly = quarterly
        || has(&[
            "month",
            "mensal",
            "todo mes",
            "todos os meses",
            "cada mes",
            "每月",
            "每个月",
        ]);
    let biweekly = has(&[
        "biweekly",
        "every other",
        "every 2 weeks",
        "every two weeks",
        "fortnight",
        "quinzenal",
        "cada 2 semanas",
        "cada duas semanas",
        "每两周",
        "每2周",
        "隔周",
    ]);
    let weekly = biweekly
        || has(&[
            "weekly",
            "every week",
            "each week",
            "semanal",
            "toda semana",
            "todas as semanas",
            "每周",
            "每星期",
            "每个星期",
            "每礼拜",
        ]);
    let mut weekday = None;
    let mut nth = None;
    let mut day = None;
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).map(String::as_str);
        if let (Some(n), Some(wd)) = (ordinal(w), next.and_then(weekday_of)) {
            nth = Some(n);
            weekday = Some(wd);
        } else if weekday.is_none() {
            if let Some(wd) = weekday_of(w) {
                weekday = Some(wd);
            }
        }
        if let Some(d) = day_of_month(w, next) {
            day = Some(d);
        }
    }
    // 每月第1个 / 每月最后一个 (the numeral is a digit by now).
    let norm = words.join(" ");
    if let Some(i) = norm.find('第') {
        let n: String = norm[i + '第'.len_utf8()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        nth = n.parse().ok().filter(|n| (1..=5).contains(n)).or(nth);
    }
    if has(&["最后一个", "最后1个", "最后"]) {
        nth = Some(-1);
    }
    let months = if quarterly { 3 } else { 1 };
    Some(match (nth, weekday) {
        (Some(n), Some(wd)) => Shape::Nth(months, n, wd),
        (Some(_), None) => return None,
        (None, wd) if weekly || (wd.is_some() && !monthly) => {
            Shape::Weekly(if biweekly { 2 } else { 1 }, wd)
        }
        (None, None) if monthly => Shape::Day(months, day),
        _ => return None,
    })
}

fn weekday_of(w: &str) -> Option<Weekday> {
    let w = w.trim_end_matches('s');
    dates::weekday_word(w)
        .or_else(|| dates::weekday_word(&format!("{w}s")))
        .or_else(|| w.strip_prefix("weekday:").and_then(dates::cn_weekday))
}

fn ordinal(w: &str) -> Option<i8> {
    Some(match w {
        "first" | "1st" | "primeira" | "primeiro" | "1a" | "1o" | "1º" | "1ª" => 1,
        "second" | "2nd" | "segunda" | "segundo" | "2a" | "2o" => 2,
        "third" | "3rd" | "terceira" | "terceiro" | "3a" | "3o" => 3,
        "fourth" | "4th" | "quarta" | "quarto" | "4a" | "4o" => 4,
        "fifth" | "5th" | "quinta" | "quinto" => 5,
        "last" | "ultima" | "ultimo" => -1,
        _ => return None,
    })
}

/// `15th`, `dia 15`, `15日`.
fn day_of_month(w: &str, _next: Option<&str>) -> Option<i8> {
    let digits = w
        .trim_end_matches(['日', '号'])
        .trim_end_matches("th")
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd");
    let d: i8 = digits.parse().ok()?;
    ((1..=31).contains(&d) && digits.len() < w.len()).then_some(d)
}

impl Commands {
    fn series_rec(&self, id: &str) -> Result<Series, CmdError> {
        self.trees
            .get(T::Series, id.to_ascii_lowercase().as_bytes())?
            .ok_or_else(|| CmdError::NotFound {
                kind: Kind::Series,
                id: id.chars().take(20).collect(),
            })
    }

    /// `announce … repeat: RULE`: the series, and its first occurrences as events.
    pub(crate) fn announce_series(&self, cx: &Ctx, f: &EventFields) -> Result<Response, CmdError> {
        let tz = &self.config.timezone;
        let now_s = self.now();
        let now = Timestamp::from_second(now_s).expect("the clock is valid");
        let typed = clean(f.repeat.as_deref().unwrap_or_default(), "repeat", 200)?;
        let (Shape2(shape), rule_time, end) = parse_rule(&typed, now, tz)?;
        // The first day and the time: from the start, or from the rule after today.
        let (from, start_time, mut notes) = match &f.start {
            Some(s) => {
                let s = clean(s, "start", 80)?;
                let s = dates::split_range(&s)
                    .map_or(s.as_str(), |(a, _)| a)
                    .to_string();
                match dates::parse(&s, now, tz) {
                    Ok(r) => {
                        let z = r.at.to_zoned(tz.clone());
                        (
                            z.date(),
                            Some(z.time()),
                            r.note.map(|n| n.text(cx.lang)).into_iter().collect(),
                        )
                    }
                    Err(CmdError::NeedTime { .. }) => {
                        let (d, note) = dates::parse_day(&s, now, tz)?;
                        (
                            d,
                            None,
                            note.map(|n| n.text(cx.lang))
                                .into_iter()
                                .collect::<Vec<_>>(),
                        )
                    }
                    Err(e) => return Err(e),
                }
            }
            None => (now.to_zoned(tz.clone()).date(), None, Vec::new()),
        };
        let time = start_time.or(rule_time).ok_or(CmdError::NeedTime {
            given: typed.chars().take(60).collect(),
        })?;
        let rule = match shape {
            Shape::Weekly(weeks, wd) => Rule::Weekly {
                weeks,
                weekday: wd.unwrap_or(from.weekday()),
            },
            Shape::Nth(months, nth, weekday) => Rule::MonthlyNth {
                months,
                nth,
                weekday,
            },
            Shape::Day(months, day) => Rule::MonthlyDay {
                months,
                day: day.unwrap_or(from.day()),
            },
        };
        // The first day of the rule that is still ahead.
        let mut first = rule.first_from(from).ok_or_else(|| CmdError::BadRepeat {
            given: typed.clone(),
        })?;
        while self.local(first, time)? <= now_s {
            first = rule
                .first_from(first.tomorrow().map_err(|_| CmdError::BadRepeat {
                    given: typed.clone(),
                })?)
                .ok_or_else(|| CmdError::BadRepeat {
                    given: typed.clone(),
                })?;
        }
        if let End::Count { n } = end {
            if n == 0 || n > MAX_OCCURRENCES {
                return Err(CmdError::BadNumber {
                    given: n.to_string(),
                    max: MAX_OCCURRENCES,
                });
            }
        }
        if matches!(end, End::Until { day } if day < first) {
            return Err(CmdError::EndBeforeStart);
        }
        // Title, place, capacity and the rest are checked as for one event, on the first.
        let mut probe = EventFields {
            repeat: None,
            start: Some(format!("{first} {}", time.strftime("%H:%M"))),
            ..f.clone()
        };
        if let Some(s) = &f.start {
            if let Some((_, b)) = dates::split_range(s) {
                probe.end = probe.end.or(Some(b.to_string()));
            }
        }
        let mut template = self.blank_event(cx);
        notes.extend(self.apply(cx, &mut template, &probe)?);
        let length = template.end.map(|e| e - template.start);
        let lang = cx.lang;
        let series = self.trees.write(|tx| {
            let id = format!("s{}", tx.next("series")?);
            let s = Series {
                id: id.clone(),
                platform: cx.actor.platform,
                organizer: cx.actor.user_id.clone(),
                lang: lang.code().to_string(),
                typed: typed.clone(),
                rule,
                end,
                first,
                time,
                length,
                title: template.title.clone(),
                place: template.place.clone(),
                description: template.description.clone(),
                role: template.role.clone(),
                capacity: template.capacity,
                skipped: Vec::new(),
                events: Vec::new(),
                cancelled: false,
                created: now_s,
            };
            tx.put(T::Series, id.as_bytes(), &s)?;
            Ok(s)
        })?;
        let days = series.days();
        let n = days.len();
        let sid = &series.id;
        let last = days
            .last()
            .map(|d| dates::show_date(*d, lang))
            .unwrap_or_default();
        let mut text = tx!(
            lang,
            "Series {sid} is set: {n} occurrences, the last on {last}. Each is announced on its own {ahead} ahead; `series show {sid}` lists them, `series edit {sid} …` and `series cancel {sid}` change them all, `event edit`/`event cancel` one.",
            "系列 {sid} 已设定：共 {n} 场，最后一场在 {last}。每场会提前 {ahead} 单独发布；`series show {sid}` 列出所有场次，`series edit {sid} …` 和 `series cancel {sid}` 修改全部，`event edit`/`event cancel` 修改单场。",
            "A série {sid} está criada: {n} ocorrências, a última em {last}. Cada uma é anunciada {ahead} antes; `series show {sid}` lista todas, `series edit {sid} …` e `series cancel {sid}` mudam todas, `event edit`/`event cancel` uma só.";
            sid, n, last, ahead = self.ahead(lang)
        );
        for note in notes {
            text = text.and("\n").and(note);
        }
        let response = Response::one(Reply::private(lang, text));
        // The first is announced now, and any others already within the time ahead.
        self.announce_due(response, &series.id, true)
    }

    /// "7 days", "7 天", "7 dias".
    fn ahead(&self, lang: knowledge::Lang) -> String {
        let secs = self.config.series_ahead.as_secs();
        let (n, unit) = if secs.is_multiple_of(86_400) {
            (secs / 86_400, tr!(lang, "days", "天", "dias"))
        } else {
            (secs.div_ceil(3600), tr!(lang, "hours", "小时", "horas"))
        };
        match lang {
            knowledge::Lang::Zh => format!("{n} {unit}"),
            _ => format!("{n} {unit}"),
        }
    }

    fn local(&self, day: Date, time: Time) -> Result<i64, CmdError> {
        day.to_datetime(time)
            .to_zoned(self.config.timezone.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|_| CmdError::BadDate {
                given: day.to_string(),
            })
    }

    /// An event with nothing set yet, by the actor.
    pub(crate) fn blank_event(&self, cx: &Ctx) -> Event {
        Event {
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
            created: self.now(),
            calls: Vec::new(),
            capacity: None,
            cutoff: None,
            series: None,
            lang: Some(cx.lang.code().to_string()),
        }
    }

    /// Announces the occurrences of a series whose time ahead has come (and, with
    /// `first`, its next one in any case), each once.
    fn announce_due(
        &self,
        mut response: Response,
        sid: &str,
        first: bool,
    ) -> Result<Response, CmdError> {
        let now = self.now();
        let ahead = self.config.series_ahead.as_secs() as i64;
        let created = self.trees.write(|tx| {
            let Some(mut s) = tx.get::<Series>(T::Series, sid.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Series,
                    id: sid.to_string(),
                });
            };
            if s.cancelled {
                return Ok(Vec::new());
            }
            let mut made = Vec::new();
            for day in s.days() {
                if s.skipped.contains(&day) || s.events.iter().any(|(d, _)| *d == day) {
                    continue;
                }
                let start = self
                    .local(day, s.time)
                    .map_err(sled::transaction::ConflictableTransactionError::Abort)?;
                if start <= now {
                    continue;
                }
                let due = start - ahead <= now || (first && s.events.is_empty() && made.is_empty());
                if !due {
                    break;
                }
                let e = Event {
                    id: format!("e{}", tx.next("event")?),
                    platform: s.platform,
                    organizer: s.organizer.clone(),
                    title: s.title.clone(),
                    start,
                    end: s.length.map(|l| start + l),
                    place: s.place.clone(),
                    description: s.description.clone(),
                    role: s.role.clone(),
                    cancelled: false,
                    created: now,
                    calls: Vec::new(),
                    capacity: s.capacity,
                    cutoff: None,
                    series: Some(s.id.clone()),
                    lang: Some(s.lang.clone()),
                };
                tx.put(T::Events, e.id.as_bytes(), &e)?;
                s.events.push((day, e.id.clone()));
                made.push(e);
            }
            if !made.is_empty() {
                tx.put(T::Series, s.id.as_bytes(), &s)?;
            }
            Ok(made)
        })?;
        for e in created {
            response = response.and(self.event_post(&e).to(Destination::Announcements));
        }
        Ok(response)
    }

    /// The clock's part: occurrences whose time ahead has come are announced.
    pub(crate) fn series_sweep(&self) -> Result<Response, CmdError> {
        let mut response = Response {
            replies: Vec::new(),
            effects: Vec::new(),
        };
        for (_, s) in self.trees.scan::<Series>(T::Series, b"")? {
            if !s.cancelled {
                response = self.announce_due(response, &s.id, false)?;
            }
        }
        Ok(response)
    }

    /// `series show ID`.
    pub(crate) fn series_show(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let s = self.series_rec(id)?;
        let lang = cx.lang;
        let now = self.now();
        let lines: Vec<Text> = s
            .days()
            .into_iter()
            .map(|d| {
                let day = Text::plain(dates::show_date(d, lang));
                let status = if s.skipped.contains(&d) {
                    Text::plain(tr!(lang, " — skipped", " — 已跳过", " — pulada"))
                } else if let Some((_, eid)) = s.events.iter().find(|(x, _)| *x == d) {
                    let cancelled = self.event(eid).map(|e| e.cancelled).unwrap_or(false);
                    let mut t = Text::plain(" — ").and(Text::code(eid.clone()));
                    if cancelled {
                        t.append(tr!(lang, " (cancelled)", "（已取消）", " (cancelado)"));
                    }
                    t
                } else if s.cancelled {
                    Text::plain(tr!(lang, " — cancelled", " — 已取消", " — cancelada"))
                } else {
                    Text::plain(tr!(
                        lang,
                        " — to be announced",
                        " — 待发布",
                        " — a anunciar"
                    ))
                };
                day.and(status)
            })
            .collect();
        let _ = now;
        let sid = &s.id;
        let mut reply = Reply::private(lang, Text::join(lines, "\n"))
            .title(Text::plain(format!("🔁 {sid} ")).and(Text::typed(&s.title)))
            .field(
                tr!(lang, "Repeats", "重复", "Repete"),
                Text::typed(&s.typed),
            );
        if s.cancelled {
            reply = reply.field(
                tr!(lang, "Status", "状态", "Situação"),
                tr!(lang, "cancelled", "已取消", "cancelada"),
            );
        }
        Ok(Response::one(reply))
    }

    /// `series edit ID …`: the series and every occurrence still ahead. A `start:` here is
    /// a new time of day.
    pub(crate) fn series_edit(
        &self,
        cx: &Ctx,
        id: &str,
        f: &EventFields,
    ) -> Result<Response, CmdError> {
        let s = self.series_rec(id)?;
        self.may_change(cx, s.platform, &s.organizer, &s.id)?;
        if s.cancelled {
            return Err(CmdError::EventCancelled { id: s.id });
        }
        if f.is_empty() || f.repeat.is_some() || f.cutoff.is_some() {
            return Err(CmdError::usage("series edit"));
        }
        let tz = &self.config.timezone;
        let now = Timestamp::from_second(self.now()).expect("the clock is valid");
        let time = match &f.start {
            Some(t) => {
                let words = dates::normalized_words(&clean(t, "start", 40)?);
                dates::time_in(&words)
                    .ok()
                    .flatten()
                    .ok_or_else(|| CmdError::BadDate {
                        given: t.chars().take(40).collect(),
                    })?
            }
            None => s.time,
        };
        // Check the fields on the next day of the series, as an event.
        let probe_day = s
            .days()
            .into_iter()
            .find(|d| self.local(*d, time).is_ok_and(|t| t > now.as_second()));
        let mut probe = self.blank_event(cx);
        probe.title = s.title.clone();
        probe.place = s.place.clone();
        probe.description = s.description.clone();
        probe.role = s.role.clone();
        probe.capacity = s.capacity;
        if let Some(d) = probe_day {
            probe.start = self.local(d, s.time)?;
            probe.end = s.length.map(|l| probe.start + l);
            let mut pf = f.clone();
            pf.start = Some(format!("{d} {}", time.strftime("%H:%M")));
            self.apply(cx, &mut probe, &pf)?;
        }
        let length = if f.end.is_some() || f.start.is_some() {
            probe.end.map(|e| e - probe.start)
        } else {
            s.length
        };
        let s = self.trees.write(|tx| {
            let Some(mut cur) = tx.get::<Series>(T::Series, s.id.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Series,
                    id: s.id.clone(),
                });
            };
            cur.time = time;
            cur.length = length;
            cur.title = probe.title.clone();
            cur.place = probe.place.clone();
            cur.description = probe.description.clone();
            cur.role = probe.role.clone();
            cur.capacity = probe.capacity;
            tx.put(T::Series, cur.id.as_bytes(), &cur)?;
            Ok(cur)
        })?;
        let lang = cx.lang;
        let sid = &s.id;
        let mut response = Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "Series {sid} is updated, and so is every occurrence still ahead.",
                "系列 {sid} 已更新，所有尚未举行的场次也已更新。",
                "A série {sid} foi atualizada, assim como todas as ocorrências futuras.";
                sid
            ),
        ));
        let _ = tz;
        for (day, eid) in &s.events {
            let Ok(ev) = self.event(eid) else { continue };
            if ev.cancelled || ev.started(self.now()) {
                continue;
            }
            let mut one = f.clone();
            one.start = f
                .start
                .as_ref()
                .map(|_| format!("{day} {}", time.strftime("%H:%M")));
            if f.start.is_some() && f.end.is_none() {
                one.end = s.length.map(|l| {
                    let end = self.local(*day, time).unwrap_or(ev.start) + l;
                    Timestamp::from_second(end)
                        .map(|t| {
                            t.to_zoned(self.config.timezone.clone())
                                .strftime("%Y-%m-%d %H:%M")
                                .to_string()
                        })
                        .unwrap_or_default()
                });
            }
            let mut edited = self.event_edit(cx, eid, &one)?;
            edited.replies.remove(0);
            response.replies.extend(edited.replies);
        }
        Ok(response)
    }

    /// `series cancel ID [DAY]`: the whole series, or one day of it.
    pub(crate) fn series_cancel(
        &self,
        cx: &Ctx,
        id: &str,
        day: Option<&str>,
    ) -> Result<Response, CmdError> {
        let s = self.series_rec(id)?;
        self.may_change(cx, s.platform, &s.organizer, &s.id)?;
        let lang = cx.lang;
        let sid = s.id.clone();
        let now = self.now();
        if let Some(day) = day {
            let now_ts = Timestamp::from_second(now).expect("the clock is valid");
            let (d, _) =
                dates::parse_day(&clean(day, "start", 60)?, now_ts, &self.config.timezone)?;
            let shown = dates::show_date(d, lang);
            if !s.days().contains(&d) {
                return Err(CmdError::NoOccurrence {
                    id: sid,
                    day: shown,
                });
            }
            if let Some((_, eid)) = s.events.iter().find(|(x, _)| *x == d) {
                return self.event_cancel(cx, eid);
            }
            self.trees.write(|tx| {
                let Some(mut cur) = tx.get::<Series>(T::Series, sid.as_bytes())? else {
                    return abort(CmdError::NotFound {
                        kind: Kind::Series,
                        id: sid.clone(),
                    });
                };
                if !cur.skipped.contains(&d) {
                    cur.skipped.push(d);
                }
                tx.put(T::Series, sid.as_bytes(), &cur)?;
                Ok(())
            })?;
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "The occurrence of series {sid} on {shown} is cancelled; it will not be announced.",
                    "系列 {sid} 在 {shown} 的场次已取消，不会再发布。",
                    "A ocorrência da série {sid} em {shown} foi cancelada; não será anunciada.";
                    sid = &sid, shown
                ),
            )));
        }
        if s.cancelled {
            return Ok(Response::one(Reply::private(
                lang,
                tr!(
                    lang,
                    "Series {sid} was already cancelled.",
                    "系列 {sid} 早已取消。",
                    "A série {sid} já estava cancelada."
                ),
            )));
        }
        self.trees.write(|tx| {
            let Some(mut cur) = tx.get::<Series>(T::Series, sid.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Series,
                    id: sid.clone(),
                });
            };
            cur.cancelled = true;
            tx.put(T::Series, sid.as_bytes(), &cur)?;
            Ok(())
        })?;
        let mut response = Response::one(Reply::private(
            lang,
            tr!(
                lang,
                "Series {sid} is cancelled: no more occurrences will be announced, and those already announced are cancelled (their posts say so, and everyone going is told).",
                "系列 {sid} 已取消：不会再发布新场次，已发布的场次也已取消（公告已更新，报名者会收到通知）。",
                "A série {sid} foi cancelada: nenhuma ocorrência nova será anunciada, e as já anunciadas foram canceladas (os anúncios foram atualizados e quem confirmou será avisado)."
            ),
        ));
        for (_, eid) in &s.events {
            let Ok(ev) = self.event(eid) else { continue };
            if ev.cancelled || ev.started(now) {
                continue;
            }
            let ev = self.cancel_one(eid)?;
            response = self.cancelled_news(response, &ev)?;
        }
        let _ = s.lang();
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap()
    }

    fn now() -> Timestamp {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn series(rule: &str, first: &str) -> Series {
        let (Shape2(shape), time, end) =
            parse_rule(rule, now(), &sp()).unwrap_or_else(|e| panic!("{rule}: {e}"));
        let from: Date = first.parse().unwrap();
        let rule = match shape {
            Shape::Weekly(weeks, wd) => Rule::Weekly {
                weeks,
                weekday: wd.unwrap_or(from.weekday()),
            },
            Shape::Nth(months, nth, weekday) => Rule::MonthlyNth {
                months,
                nth,
                weekday,
            },
            Shape::Day(months, day) => Rule::MonthlyDay {
                months,
                day: day.unwrap_or(from.day()),
            },
        };
        Series {
            id: "s1".into(),
            platform: Platform::Terminal,
            organizer: "olga".into(),
            lang: "en".into(),
            typed: rule_text(rule),
            rule,
            end,
            first: rule.first_from(from).unwrap(),
            time: time.unwrap_or(Time::midnight()),
            length: None,
            title: "T".into(),
            place: None,
            description: None,
            role: None,
            capacity: None,
            skipped: Vec::new(),
            events: Vec::new(),
            cancelled: false,
            created: 0,
        }
    }

    fn rule_text(r: Rule) -> String {
        format!("{r:?}")
    }

    fn days(rule: &str, first: &str) -> Vec<String> {
        series(rule, first)
            .days()
            .iter()
            .map(Date::to_string)
            .collect()
    }

    #[test]
    fn every_first_thursday_until_a_day() {
        assert_eq!(
            days("every first Thursday 19:00 until 2027-03-31", "2026-11-23"),
            ["2026-12-03", "2027-01-07", "2027-02-04", "2027-03-04"]
        );
        let s = series("every first Thursday 19:00 until 2027-03-31", "2026-11-23");
        assert_eq!(s.time, Time::constant(19, 0, 0, 0));
        assert_eq!(
            days("toda primeira quinta às 19h até 31/03/2027", "2026-11-23"),
            days("every first Thursday 19:00 until 2027-03-31", "2026-11-23")
        );
        assert_eq!(
            days("每月第一个星期四晚上7点 直到2027-03-31", "2026-11-23"),
            days("every first Thursday 19:00 until 2027-03-31", "2026-11-23")
        );
    }

    #[test]
    fn weekly_with_a_count() {
        assert_eq!(
            days("weekly on Tuesday, 4 times", "2026-11-23"),
            ["2026-11-24", "2026-12-01", "2026-12-08", "2026-12-15"]
        );
        assert_eq!(days("toda terça, 3 vezes", "2026-11-23").len(), 3);
        assert_eq!(days("每周二 共3次", "2026-11-23")[2], "2026-12-08");
        assert_eq!(
            days("every other Monday, 3 times", "2026-11-23"),
            ["2026-11-23", "2026-12-07", "2026-12-21"]
        );
    }

    #[test]
    fn every_quarter() {
        assert_eq!(
            days("every quarter, 4 times", "2026-12-10"),
            ["2026-12-10", "2027-03-10", "2027-06-10", "2027-09-10"]
        );
        assert_eq!(days("a cada trimestre, 4 vezes", "2026-12-10").len(), 4);
        assert_eq!(days("每季度 共4次", "2026-12-10")[3], "2027-09-10");
        assert_eq!(
            days("every quarter on the first Thursday, 3 times", "2026-11-23"),
            ["2026-12-03", "2027-03-04", "2027-06-03"]
        );
    }

    #[test]
    fn last_weekday_and_day_of_month() {
        assert_eq!(
            days("every last Friday, 2 times", "2026-11-23"),
            ["2026-11-27", "2026-12-25"]
        );
        assert_eq!(
            days("monthly on the 31st until 2027-05-01", "2026-11-23"),
            ["2026-12-31", "2027-01-31", "2027-03-31"]
        );
    }

    #[test]
    fn rules_without_an_end_or_unreadable_are_refused() {
        assert!(matches!(
            parse_rule("every first Thursday", now(), &sp()),
            Err(CmdError::SeriesNeedsEnd)
        ));
        for bad in [
            "now and then, 3 times",
            "every first, 3 times",
            "every blue moon until 2027-01-01",
        ] {
            assert!(
                matches!(
                    parse_rule(bad, now(), &sp()),
                    Err(CmdError::BadRepeat { .. })
                ),
                "{bad}"
            );
        }
    }
}
