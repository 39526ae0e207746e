//! Dates and times as people write them, in English, Chinese and Portuguese: `tomorrow
//! 19:00`, `amanhã 19h`, `明天晚上7点`, `next Thursday 7pm`, `Dec 12 2026 19:00`, `12 de
//! dezembro às 19h`, `2026-12-05 19:00`, `05/12/2026 19h30`, with a trailing `UTC`, offset or
//! IANA zone name. Relative words are read against "now" in the community's time zone.
//!
//! A reading that could have gone two ways (`05/12/2026`: day first or month first; `next
//! Thursday` when this week's Thursday is still ahead) comes with a [`Note`] that says which
//! reading was taken and how to write the other.
//!
//! Not for: showing dates ([`crate::when`] does), or repeating rules ([`crate::series`]).

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use knowledge::Lang;

use crate::error::CmdError;
use crate::spans::Text;

/// A moment read from what a member typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub at: Timestamp,
    /// Set when the text could also have meant another day.
    pub note: Option<Note>,
}

/// Which of two readings was taken, and how to write the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub given: String,
    pub read: Date,
    pub other: Date,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `05/12/2026`: day first, as written in Brazil, Portugal and most of the world.
    DayFirst,
    /// `next Thursday`: the nearest Thursday, not the one of next week.
    Nearest,
}

impl Note {
    /// "I read "05/12/2026" as Sat 5 Dec 2026 (day first); for Tue 12 May 2026, write
    /// 2026-05-12."
    pub fn text(&self, lang: Lang) -> Text {
        let given = Text::typed(&self.given);
        let read = show_date(self.read, lang);
        let other = show_date(self.other, lang);
        let iso = Text::code(self.other.to_string());
        match self.why {
            Why::DayFirst => tx!(
                lang,
                "I read \"{given}\" as {read} (day first); for {other}, write {iso}.",
                "我把“{given}”理解为 {read}（日在前）；如果指的是 {other}，请写 {iso}。",
                "Li \"{given}\" como {read} (dia primeiro); para {other}, escreva {iso}.";
                given, read, other, iso
            ),
            Why::Nearest => tx!(
                lang,
                "I read \"{given}\" as {read}, the nearest one; for the week after ({other}), write {iso}.",
                "我把“{given}”理解为最近的 {read}；如果指的是再下一周（{other}），请写 {iso}。",
                "Li \"{given}\" como {read}, o mais próximo; para a semana seguinte ({other}), escreva {iso}.";
                given, read, other, iso
            ),
        }
    }
}

/// A day as the notes show it: `Sat 5 Dec 2026`, `2026年12月5日 周六`, `sáb 05/12/2026`.
pub fn show_date(d: Date, lang: Lang) -> String {
    let wd = d.weekday().to_monday_zero_offset() as usize;
    match lang {
        Lang::En => d.strftime("%a %-d %b %Y").to_string(),
        Lang::Zh => {
            const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
            format!("{} {}", d.strftime("%Y年%-m月%-d日"), DAYS[wd])
        }
        Lang::Pt => {
            const DAYS: [&str; 7] = ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"];
            format!("{} {}", DAYS[wd], d.strftime("%d/%m/%Y"))
        }
    }
}

/// Reads a start: a day (or a word for one) and a time. Times without a zone are in `tz`.
pub fn parse(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Reading, CmdError> {
    let given = text.trim();
    if let Ok(ts) = given.parse::<Timestamp>() {
        return Ok(Reading { at: ts, note: None });
    }
    let p = read(given, now, tz)?;
    let (Some(day), Some(time)) = (p.day, p.time) else {
        return Err(if p.day.is_some() {
            CmdError::NeedTime { given: clip(given) }
        } else {
            bad(given)
        });
    };
    Ok(Reading {
        at: local(day, time, &p.zone, given)?,
        note: p.note,
    })
}

/// Reads an end: a full date and time, or only a time on the start's day — the next day
/// when that is earlier than the start and the event would last at most 12 hours
/// (`22:00` to `01:00`).
pub fn parse_end(
    text: &str,
    start: Timestamp,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Reading, CmdError> {
    let given = text.trim();
    if let Ok(ts) = given.parse::<Timestamp>() {
        return Ok(Reading { at: ts, note: None });
    }
    let p = read(given, now, tz)?;
    match (p.day, p.time) {
        (Some(day), Some(time)) => Ok(Reading {
            at: local(day, time, &p.zone, given)?,
            note: p.note,
        }),
        (None, Some(time)) => {
            let day = start.to_zoned(p.zone.clone()).date();
            let mut at = local(day, time, &p.zone, given)?;
            if at <= start {
                let next = local(
                    day.tomorrow().map_err(|_| bad(given))?,
                    time,
                    &p.zone,
                    given,
                )?;
                if next.duration_since(start).as_secs() <= 12 * 3600 {
                    at = next;
                }
            }
            Ok(Reading { at, note: None })
        }
        (Some(_), None) => Err(CmdError::NeedTime { given: clip(given) }),
        (None, None) => Err(bad(given)),
    }
}

/// Reads a day alone (a series' last day, an occurrence to skip): a date, or a word for one.
pub fn parse_day(
    text: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<(Date, Option<Note>), CmdError> {
    let given = text.trim();
    let p = read(given, now, tz)?;
    match (p.day, p.time) {
        (Some(day), _) => Ok((day, p.note)),
        _ => Err(bad(given)),
    }
}

/// Splits `22:00 to 01:00`, `19h–21h`, `19:00 até 21:00`, `晚上7点到9点` into a start and an
/// end, when the text holds a range.
pub fn split_range(text: &str) -> Option<(&str, &str)> {
    const SEPARATORS: [&str; 9] = [
        " to ", " until ", " até ", " ate ", " – ", " - ", "–", "—", "~",
    ];
    for sep in SEPARATORS {
        if let Some((a, b)) = text.split_once(sep) {
            if !a.trim().is_empty() && !b.trim().is_empty() {
                return Some((a.trim(), b.trim()));
            }
        }
    }
    for sep in ['到', '至'] {
        if let Some((a, b)) = text.split_once(sep) {
            if !a.trim().is_empty() && !b.trim().is_empty() {
                return Some((a.trim(), b.trim()));
            }
        }
    }
    None
}

fn clip(given: &str) -> String {
    given.chars().take(60).collect()
}

fn bad(given: &str) -> CmdError {
    CmdError::BadDate { given: clip(given) }
}

fn local(day: Date, time: Time, tz: &TimeZone, given: &str) -> Result<Timestamp, CmdError> {
    day.to_datetime(time)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|_| bad(given))
}

/// What a text said: a day, a time, the zone they are in, and a note on its reading.
struct Parts {
    day: Option<Date>,
    time: Option<Time>,
    zone: TimeZone,
    note: Option<Note>,
}

/// How a day was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    Ymd(i16, i8, i8, Option<Why>),
    /// Month and day, no year: the next such day.
    Md(i8, i8, Option<Why>),
    /// Days from today.
    Offset(i32),
    Weekday(Weekday, Which),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// The nearest after today.
    Upcoming,
    /// `next Thursday`: the nearest, noted when the week after could be meant.
    Next,
    /// `下周四`: in the calendar week after this one (weeks start on Monday).
    NextWeek,
    /// `这周四`: in this calendar week.
    ThisWeek,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Am,
    Pm,
    /// 中午: 11 and 12 stay, 1 and 2 are in the afternoon.
    Noon,
}

/// Reads every part it can find; anything it cannot read is an error.
fn read(given: &str, now: Timestamp, tz: &TimeZone) -> Result<Parts, CmdError> {
    let err = || bad(given);
    if given.is_empty() || given.chars().count() > 80 {
        return Err(err());
    }
    let mut words = words(&chinese(&split_iso(&knowledge::analysis::fold(given))));
    let zone = match words.last().and_then(|w| zone(w)) {
        Some(z) => {
            words.pop();
            z
        }
        None => tz.clone(),
    };
    let mut day: Option<Day> = None;
    let mut time: Option<Time> = None;
    let mut period: Option<Period> = None;
    let mut month: Option<(i8, usize)> = None;
    // Numbers not yet placed: (value, digits, position).
    let mut loose: Vec<(i32, usize, usize)> = Vec::new();
    let mut modifier: Option<Which> = None;
    let set_day = |day: &mut Option<Day>, d: Day| -> Result<(), CmdError> {
        if day.replace(d).is_some() {
            Err(err())
        } else {
            Ok(())
        }
    };
    // Positions that count for "beside" (`12 de dezembro`: the day is beside the month).
    let sig: Vec<usize> = words
        .iter()
        .scan(0, |n, w| {
            let at = *n;
            if !is_filler(w) {
                *n += 1;
            }
            Some(at)
        })
        .collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str);
        let after = words.get(i + 2).map(String::as_str);
        i += 1;
        match w {
            "today" | "hoje" => set_day(&mut day, Day::Offset(0))?,
            "tonight" => {
                set_day(&mut day, Day::Offset(0))?;
                period = Some(Period::Pm);
            }
            "tomorrow" | "tmrw" | "tmr" | "amanha" => set_day(&mut day, Day::Offset(1))?,
            "day" if next == Some("after") && after == Some("tomorrow") => {
                set_day(&mut day, Day::Offset(2))?;
                i += 2;
            }
            "depois" if next == Some("de") && after == Some("amanha") => {
                set_day(&mut day, Day::Offset(2))?;
                i += 2;
            }
            "in" | "em" | "daqui" | "within" => {
                let relative = |j: usize| {
                    let n = words.get(j).and_then(|n| small_number(n))?;
                    let unit = words.get(j + 1).and_then(|u| unit_days(u))?;
                    Some((n * unit, j + 2))
                };
                // "daqui a 3 dias": the "a" is a filler.
                let found = relative(i).or_else(|| {
                    (words.get(i).map(String::as_str) == Some("a"))
                        .then(|| relative(i + 1))
                        .flatten()
                });
                if let Some((days, to)) = found {
                    set_day(&mut day, Day::Offset(days))?;
                    i = to;
                }
                // Otherwise a filler ("in the evening").
            }
            "next" | "proxima" | "proximo" | "prox" | "coming" => modifier = Some(Which::Next),
            "this" | "esta" | "este" | "nesta" | "neste" | "essa" | "esse" => {
                modifier = modifier.or(Some(Which::Upcoming))
            }
            "que" if next == Some("vem") => {
                // "quinta que vem"
                i += 1;
                if let Some(Day::Weekday(wd, _)) = day {
                    day = Some(Day::Weekday(wd, Which::Next));
                } else {
                    return Err(err());
                }
            }
            "am" | "morning" | "manha" | "madrugada" => period = Some(Period::Am),
            "pm" | "afternoon" | "evening" | "night" | "tarde" | "noite" => {
                period = Some(Period::Pm)
            }
            "noonish" => period = Some(Period::Noon),
            "noon" | "midday" | "meio-dia" | "meiodia" => {
                set_time(&mut time, 12, 0).ok_or_else(err)?
            }
            "midnight" | "meia-noite" | "meianoite" => set_time(&mut time, 0, 0).ok_or_else(err)?,
            w if is_filler(w) => {}
            w => {
                if let Some(wd) = weekday_word(w) {
                    let which = modifier.take().unwrap_or(Which::Upcoming);
                    set_day(&mut day, Day::Weekday(wd, which))?;
                } else if let Some((kind, n)) = w
                    .split_once(':')
                    .filter(|(k, _)| k.ends_with("week") || *k == "weekday")
                {
                    let wd = cn_weekday(n).ok_or_else(err)?;
                    let which = match kind {
                        "nextweek" => Which::NextWeek,
                        "thisweek" => Which::ThisWeek,
                        _ => Which::Upcoming,
                    };
                    set_day(&mut day, Day::Weekday(wd, which))?;
                } else if let Some(n) = w.strip_prefix('+').and_then(|r| r.strip_suffix('d')) {
                    let n: i32 = n.parse().map_err(|_| err())?;
                    set_day(&mut day, Day::Offset(n))?;
                } else if let Some(m) = month_word(w) {
                    if month.replace((m, sig[i - 1])).is_some() {
                        return Err(err());
                    }
                } else if w.contains('月') {
                    set_day(&mut day, chinese_date(w).ok_or_else(err)?)?;
                } else if w.contains(['/', '-', '.'])
                    && w.starts_with(|c: char| c.is_ascii_digit())
                    && !w.contains(':')
                {
                    set_day(&mut day, numeric_date(w).ok_or_else(err)?)?;
                } else if let Some((n, digits)) = plain_number(w) {
                    match next {
                        Some("dayslater") | Some("weekslater") => {
                            let unit = if next == Some("dayslater") { 1 } else { 7 };
                            set_day(&mut day, Day::Offset(n * unit))?;
                            i += 1;
                        }
                        _ => loose.push((n, digits, sig[i - 1])),
                    }
                } else if let Some((h, m, p)) = time_word(w) {
                    if p.is_some() {
                        period = p;
                    }
                    set_time(&mut time, h, m).ok_or_else(err)?;
                } else {
                    return Err(err());
                }
            }
        }
    }
    if modifier.is_some() {
        // "next" with no weekday after it.
        return Err(err());
    }
    // A month name takes the number beside it as its day, and a four-digit one as its year.
    if let Some((m, at)) = month {
        let beside = loose
            .iter()
            .position(|&(n, digits, pos)| {
                digits <= 2 && (1..=31).contains(&n) && (pos + 1 == at || pos == at + 1)
            })
            .ok_or_else(err)?;
        let (d, _, _) = loose.remove(beside);
        let year = loose.iter().position(|&(_, digits, _)| digits == 4);
        let d = Day::Md(m, d as i8, None);
        let d = match year {
            Some(y) => {
                let (y, _, _) = loose.remove(y);
                Day::Ymd(i16::try_from(y).map_err(|_| err())?, m, d_of(d), None)
            }
            None => d,
        };
        set_day(&mut day, d)?;
    }
    // "7 da noite", "at 7 pm" split by a word: a lone small number with a period is the hour.
    if let (None, Some(_), [(h, digits, _)]) = (time, period, loose.as_slice()) {
        if *digits <= 2 {
            time = Time::new(i8::try_from(*h).map_err(|_| err())?, 0, 0, 0).ok();
            loose.clear();
        }
    }
    if !loose.is_empty() {
        return Err(err());
    }
    let time = match (time, period) {
        (Some(t), Some(p)) => Some(with_period(t, p).ok_or_else(err)?),
        (t, _) => t,
    };
    let today = now.to_zoned(zone.clone()).date();
    let (day, note) = match day {
        Some(d) => {
            let (date, note) = resolve(d, today).ok_or_else(err)?;
            (
                Some(date),
                note.map(|(other, why)| Note {
                    given: clip(given),
                    read: date,
                    other,
                    why,
                }),
            )
        }
        None => (None, None),
    };
    Ok(Parts {
        day,
        time,
        zone,
        note,
    })
}

fn d_of(d: Day) -> i8 {
    match d {
        Day::Md(_, d, _) => d,
        _ => 0,
    }
}

fn set_time(time: &mut Option<Time>, h: i8, m: i8) -> Option<()> {
    let t = Time::new(h, m, 0, 0).ok()?;
    if time.replace(t).is_some() {
        return None;
    }
    Some(())
}

fn with_period(t: Time, p: Period) -> Option<Time> {
    let h = t.hour();
    let hour = match p {
        Period::Am if h == 12 => 0,
        Period::Am if h <= 12 => h,
        Period::Pm if (1..12).contains(&h) => h + 12,
        Period::Pm if h == 12 || h >= 13 => h,
        Period::Noon if (1..=2).contains(&h) => h + 12,
        Period::Noon if (11..=14).contains(&h) => h,
        _ => return None,
    };
    Time::new(hour, t.minute(), t.second(), 0).ok()
}

/// The date a named day stands for, and the other date it could have meant.
fn resolve(d: Day, today: Date) -> Option<(Date, Option<(Date, Why)>)> {
    let wd_offset = |wd: Weekday| i32::from(wd.to_monday_zero_offset());
    match d {
        Day::Ymd(y, m, d, why) => {
            let date = Date::new(y, m, d).ok()?;
            let other = why.and_then(|w| Some((Date::new(y, d, m).ok()?, w)));
            Some((date, other))
        }
        Day::Md(m, d, why) => {
            let pick = |m: i8, d: i8| -> Option<Date> {
                let this = Date::new(today.year(), m, d).ok();
                match this {
                    Some(x) if x >= today => Some(x),
                    _ => Date::new(today.year() + 1, m, d).ok(),
                }
            };
            let date = pick(m, d)?;
            let other = why.and_then(|w| Some((pick(d, m)?, w)));
            Some((date, other))
        }
        Day::Offset(n) => Some((today.checked_add(n.days()).ok()?, None)),
        Day::Weekday(wd, which) => {
            let from = wd_offset(today.weekday());
            let to = wd_offset(wd);
            let monday = today.checked_sub(from.days()).ok()?;
            match which {
                Which::Upcoming | Which::Next => {
                    let ahead = match (to - from + 7) % 7 {
                        0 => 7,
                        n => n,
                    };
                    let date = today.checked_add(ahead.days()).ok()?;
                    // Still this week: "next" may have meant the week after.
                    let other = (which == Which::Next && to > from)
                        .then(|| date.checked_add(7.days()).ok())
                        .flatten()
                        .map(|o| (o, Why::Nearest));
                    Some((date, other))
                }
                Which::NextWeek => Some((monday.checked_add((7 + to).days()).ok()?, None)),
                Which::ThisWeek => Some((monday.checked_add(to.days()).ok()?, None)),
            }
        }
    }
}

/// Words that carry nothing: `at`, `on`, `the`, `de`, `às`, …
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "at" | "on"
            | "the"
            | "of"
            | "de"
            | "do"
            | "da"
            | "dia"
            | "as"
            | "a"
            | "o"
            | "no"
            | "na"
            | "um"
            | "uma"
            | "by"
            | "h"
            | "from"
            | "pelas"
            | "pelo"
            | "por"
            | "volta"
            | "around"
            | "em"
            | "in"
            | "-"
            | "ate"
            | "e"
            | "ao"
            | "for"
    )
}

/// `3` or `3rd`, `21st`: a number and its digit count.
fn plain_number(w: &str) -> Option<(i32, usize)> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == 'º' || c == 'o');
    let suffix = &w[digits.len()..];
    if digits.is_empty()
        || digits.len() > 4
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !matches!(suffix, "" | "st" | "nd" | "rd" | "th" | "º" | "o")
    {
        return None;
    }
    Some((digits.parse().ok()?, digits.len()))
}

/// A small count in words or digits (`in 3 days`, `in two weeks`, `em uma semana`).
fn small_number(w: &str) -> Option<i32> {
    let n = match w {
        "a" | "an" | "one" | "um" | "uma" => 1,
        "two" | "dois" | "duas" => 2,
        "three" | "tres" => 3,
        "four" | "quatro" => 4,
        "five" | "cinco" => 5,
        w => w.parse().ok()?,
    };
    (1..=366).contains(&n).then_some(n)
}

fn unit_days(w: &str) -> Option<i32> {
    match w {
        "day" | "days" | "dia" | "dias" => Some(1),
        "week" | "weeks" | "semana" | "semanas" => Some(7),
        _ => None,
    }
}

/// A weekday's name in English or Portuguese (folded: `sabado`, `terca-feira`).
pub(crate) fn weekday_word(w: &str) -> Option<Weekday> {
    use Weekday::*;
    let w = w.strip_suffix("-feira").unwrap_or(w);
    let w = w.strip_suffix('s').filter(|s| s.len() > 5).unwrap_or(w);
    Some(match w {
        "monday" | "mon" | "segunda" | "seg" => Monday,
        "tuesday" | "tue" | "tues" | "terca" | "ter" => Tuesday,
        "wednesday" | "wed" | "quarta" | "qua" => Wednesday,
        "thursday" | "thu" | "thur" | "thurs" | "quinta" | "qui" => Thursday,
        "friday" | "fri" | "sexta" | "sex" => Friday,
        "saturday" | "sat" | "sabado" | "sab" => Saturday,
        "sunday" | "sun" | "domingo" | "dom" => Sunday,
        _ => return None,
    })
}

/// The weekday after 周, 星期 or 礼拜: 一 … 六, 日 or 天.
pub(crate) fn cn_weekday(c: &str) -> Option<Weekday> {
    use Weekday::*;
    Some(match c {
        "一" | "1" => Monday,
        "二" | "2" => Tuesday,
        "三" | "3" => Wednesday,
        "四" | "4" => Thursday,
        "五" | "5" => Friday,
        "六" | "6" => Saturday,
        "日" | "天" | "7" => Sunday,
        _ => return None,
    })
}

/// A month's name in English or Portuguese (folded: `marco`).
pub(crate) fn month_word(w: &str) -> Option<i8> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "january" | "jan" | "janeiro" => 1,
        "february" | "feb" | "fevereiro" | "fev" => 2,
        "march" | "mar" | "marco" => 3,
        "april" | "apr" | "abril" | "abr" => 4,
        "may" | "maio" | "mai" => 5,
        "june" | "jun" | "junho" => 6,
        "july" | "jul" | "julho" => 7,
        "august" | "aug" | "agosto" | "ago" => 8,
        "september" | "sep" | "sept" | "setembro" | "set" => 9,
        "october" | "oct" | "outubro" | "out" => 10,
        "november" | "nov" | "novembro" => 11,
        "december" | "dec" | "dezembro" | "dez" => 12,
        _ => return None,
    })
}

/// `2026-12-05`, `2026/12/05`, `05/12/2026`, `12/25/2026`, `5/12`, `05.12.26`.
fn numeric_date(w: &str) -> Option<Day> {
    let parts: Vec<&str> = w.split(['-', '/', '.']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<i32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    // Day first unless only month first makes sense; both ≤ 12 is ambiguous.
    let order = |a: i32, b: i32| -> Option<(i8, i8, Option<Why>)> {
        let (a, b) = (i8::try_from(a).ok()?, i8::try_from(b).ok()?);
        match (a, b) {
            (a, b) if a > 12 && (1..=12).contains(&b) => Some((a, b, None)),
            (a, b) if b > 12 && (1..=12).contains(&a) => Some((b, a, None)),
            (a, b) if (1..=12).contains(&a) && (1..=12).contains(&b) => {
                Some((a, b, (a != b).then_some(Why::DayFirst)))
            }
            _ => None,
        }
    };
    match (parts.as_slice(), n.as_slice()) {
        ([y, _, _], [yn, m, d]) if y.len() == 4 => Some(Day::Ymd(
            i16::try_from(*yn).ok()?,
            i8::try_from(*m).ok()?,
            i8::try_from(*d).ok()?,
            None,
        )),
        ([_, _, y], [a, b, yn]) if y.len() == 4 || y.len() == 2 => {
            let year = if y.len() == 2 { 2000 + yn } else { *yn };
            let (d, m, why) = order(*a, *b)?;
            Some(Day::Ymd(i16::try_from(year).ok()?, m, d, why))
        }
        ([a, b], [an, bn]) if a.len() <= 2 && b.len() <= 2 && !w.contains('-') => {
            let (d, m, why) = order(*an, *bn)?;
            Some(Day::Md(m, d, why))
        }
        _ => None,
    }
}

/// `2026-12月5` (from `2026年12月5日`) and `12月5`: month first, as Chinese writes it.
fn chinese_date(w: &str) -> Option<Day> {
    let (left, d) = w.split_once('月')?;
    let d: i8 = d.trim_end_matches(['日', '号']).parse().ok()?;
    match left.split_once('-') {
        Some((y, m)) => Some(Day::Ymd(y.parse().ok()?, m.parse().ok()?, d, None)),
        None => Some(Day::Md(left.parse().ok()?, d, None)),
    }
}

/// `19:00`, `19:00:00`, `19h`, `19h30`, `7pm`, `7:30pm`, `7am`.
fn time_word(w: &str) -> Option<(i8, i8, Option<Period>)> {
    let (w, period) = if let Some(w) = w.strip_suffix("pm") {
        (w, Some(Period::Pm))
    } else if let Some(w) = w.strip_suffix("am") {
        (w, Some(Period::Am))
    } else {
        (w, None)
    };
    let w = w.trim_end_matches(':');
    let parts: Vec<&str> = w.split([':', 'h']).collect();
    if parts.is_empty() || parts.len() > 3 || parts[0].is_empty() {
        return None;
    }
    let mut n = [0i8; 3];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() && i > 0 {
            continue; // "19h"
        }
        if p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n[i] = p.parse().ok()?;
    }
    // A bare number is a time only with am/pm (alone, "19" could be a day).
    if parts.len() == 1 && period.is_none() && !w.contains('h') {
        return None;
    }
    let (h, m) = (n[0], n[1]);
    if m > 59 || h > 23 {
        return None;
    }
    if period.is_some() && !(1..=12).contains(&h) {
        return None;
    }
    Some((h, m, period))
}

/// A zone at the end of the text: `UTC`, `GMT`, `Z`, `UTC+8`, `GMT-3`, `+08:00`, or an
/// IANA name such as `America/New_York`.
fn zone(w: &str) -> Option<TimeZone> {
    if matches!(w, "utc" | "gmt" | "z") {
        return Some(TimeZone::UTC);
    }
    let offset = w
        .strip_prefix("utc")
        .or_else(|| w.strip_prefix("gmt"))
        .unwrap_or(w);
    if let Some(sign) = offset.chars().next().filter(|c| matches!(c, '+' | '-')) {
        let body = &offset[1..];
        let (h, m) = match body.split_once(':') {
            Some((h, m)) => (h, m),
            None if body.len() == 4 => (&body[..2], &body[2..]),
            None => (body, "0"),
        };
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if h > 14 || m > 59 || (offset.len() == w.len() && !body.contains(':') && body.len() < 2) {
            return None;
        }
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        return Some(TimeZone::fixed(Offset::from_seconds(secs).ok()?));
    }
    if w.contains('/') && w.chars().any(|c| c.is_ascii_alphabetic()) {
        return TimeZone::get(w).ok();
    }
    None
}

/// The words a text reads as: folded, with Chinese days, periods, numerals and hours
/// rewritten (`每月第一个星期四晚上7点` → `每月第1个`, `weekday:4`, `pm`, `7:00`).
pub(crate) fn normalized_words(text: &str) -> Vec<String> {
    words(&chinese(&split_iso(&knowledge::analysis::fold(text))))
}

/// The one time of day among `words` (`19:00`, `7pm`, `19h`, `7` with `pm`), if there is
/// exactly one; `Err` when there are several or it is not a time.
pub(crate) fn time_in(words: &[String]) -> Result<Option<Time>, ()> {
    let mut time = None;
    let mut period = None;
    for w in words {
        match w.as_str() {
            "am" | "morning" | "manha" => period = Some(Period::Am),
            "pm" | "afternoon" | "evening" | "night" | "tarde" | "noite" => {
                period = Some(Period::Pm)
            }
            "noonish" => period = Some(Period::Noon),
            w => {
                if let Some((h, m, p)) = time_word(w) {
                    if time
                        .replace(Time::new(h, m, 0, 0).map_err(|_| ())?)
                        .is_some()
                    {
                        return Err(());
                    }
                    period = p.or(period);
                }
            }
        }
    }
    match (time, period) {
        (Some(t), Some(p)) => with_period(t, p).map(Some).ok_or(()),
        (t, _) => Ok(t),
    }
}

/// `2026-12-05t19:00` (folded ISO) with a space for the `t`.
fn split_iso(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let digits_around = c == 't'
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        out.push(if digits_around { ' ' } else { c });
    }
    out
}

/// The words of a folded text: white space, commas and the Chinese particles between them
/// are separators; `7 pm` becomes `7pm`.
fn words(text: &str) -> Vec<String> {
    let spaced: String = text
        .chars()
        .map(|c| {
            if matches!(c, ',' | '，' | '、' | '。' | '的' | '在' | '于' | '号') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for w in spaced.split_whitespace() {
        let w = w.trim_end_matches('.');
        let joined = matches!(w, "am" | "pm" | "a.m" | "p.m")
            && out.last().is_some_and(|l| {
                l.bytes().all(|b| b.is_ascii_digit() || b == b':') && !l.is_empty()
            });
        if joined {
            let suffix = w.replace('.', "");
            out.last_mut().expect("checked").push_str(&suffix);
        } else if !w.is_empty() {
            out.push(w.replace("a.m", "am").replace("p.m", "pm"));
        }
    }
    out
}

/// Chinese days, weekdays, periods, numerals, hours and dates in the words the rest of the
/// parser reads: `明天晚上七点半` → ` tomorrow  pm 7:30`.
fn chinese(text: &str) -> String {
    if !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return text.to_string();
    }
    // Weekdays first, before their numerals become digits.
    const WEEKS: [(&str, &str); 13] = [
        ("下个星期", "nextweek"),
        ("下个礼拜", "nextweek"),
        ("下个周", "nextweek"),
        ("下星期", "nextweek"),
        ("下礼拜", "nextweek"),
        ("下周", "nextweek"),
        ("这个星期", "thisweek"),
        ("这星期", "thisweek"),
        ("本星期", "thisweek"),
        ("这周", "thisweek"),
        ("本周", "thisweek"),
        ("星期", "weekday"),
        ("礼拜", "weekday"),
    ];
    let mut out = String::new();
    let mut rest = text;
    'scan: while let Some(c) = rest.chars().next() {
        for (prefix, kind) in WEEKS.iter().chain(&[("周", "weekday")]) {
            if let Some(after) = rest.strip_prefix(prefix) {
                if let Some(d) = after
                    .chars()
                    .next()
                    .filter(|d| "一二三四五六日天".contains(*d))
                {
                    let n = "一二三四五六日"
                        .chars()
                        .position(|x| x == d)
                        .map_or(7, |p| p + 1);
                    out.push_str(&format!(" {kind}:{n} "));
                    rest = &after[d.len_utf8()..];
                    continue 'scan;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let mut s = out;
    for (from, to) in [
        ("大后天", " +3d "),
        ("后天", " +2d "),
        ("明晚", " tomorrow pm "),
        ("今晚", " today pm "),
        ("明天", " tomorrow "),
        ("明日", " tomorrow "),
        ("今天", " today "),
        ("今日", " today "),
        ("凌晨", " am "),
        ("早上", " am "),
        ("早晨", " am "),
        ("上午", " am "),
        ("中午", " noonish "),
        ("下午", " pm "),
        ("傍晚", " pm "),
        ("晚上", " pm "),
        ("夜里", " pm "),
        ("晚", " pm "),
        ("个星期后", " weekslater "),
        ("星期后", " weekslater "),
        ("周后", " weekslater "),
        ("天后", " dayslater "),
    ] {
        s = s.replace(from, to);
    }
    let s = numerals(&s);
    // Hours: 7点 → 7:00, 7点半 → 7:30, 7点15分 → 7:15, 7点1刻 → 7:15.
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '点' | '點' | '时' | '時') && i > 0 && chars[i - 1].is_ascii_digit() {
            let mut j = i + 1;
            let mut minutes = String::new();
            while j < chars.len() && chars[j].is_ascii_digit() {
                minutes.push(chars[j]);
                j += 1;
            }
            let m = match chars.get(j) {
                Some('半') if minutes.is_empty() => {
                    j += 1;
                    "30".to_string()
                }
                Some('刻') if minutes == "1" || minutes == "3" => {
                    j += 1;
                    if minutes == "1" { "15" } else { "45" }.to_string()
                }
                Some('分') => {
                    j += 1;
                    format!("{minutes:0>2}")
                }
                _ if minutes.is_empty() => "00".to_string(),
                _ => format!("{minutes:0>2}"),
            };
            out.push(':');
            out.push_str(&m);
            out.push(' ');
            i = j;
            continue;
        }
        match c {
            '年' => out.push('-'),
            '日' | '号' => out.push(' '),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Runs of Chinese numerals as digits: 七 → 7, 十二 → 12, 二十五 → 25, 二〇二六 → 2026.
pub(crate) fn numerals(s: &str) -> String {
    let value = |c: char| knowledge::lang::han_digit(c).map(u32::from);
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && (value(chars[i]).is_some() || chars[i] == '十') {
            i += 1;
        }
        if start == i {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run: Vec<char> = chars[start..i].to_vec();
        let n = if run.contains(&'十') {
            let pos = run.iter().position(|&c| c == '十').expect("contains");
            let tens = if pos == 0 {
                1
            } else {
                run[..pos]
                    .iter()
                    .try_fold(0, |a, &c| Some(a * 10 + value(c)?))
                    .unwrap_or(0)
            };
            let ones = run[pos + 1..]
                .iter()
                .try_fold(0, |a, &c| Some(a * 10 + value(c)?))
                .unwrap_or(0);
            tens * 10 + ones
        } else {
            run.iter().fold(0, |a, &c| a * 10 + value(c).unwrap_or(0))
        };
        out.push_str(&n.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp() -> TimeZone {
        TimeZone::get("America/Sao_Paulo").unwrap()
    }

    /// Monday 23 November 2026, 09:00 in São Paulo.
    fn now() -> Timestamp {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    /// The moment read, as São Paulo's local time (`2026-12-05 19:00`), or its UTC instant
    /// when the text named a zone.
    fn local_of(text: &str) -> Result<String, CmdError> {
        parse(text, now(), &sp())
            .map(|r| r.at.to_zoned(sp()).strftime("%Y-%m-%d %H:%M").to_string())
    }

    /// At least a hundred forms people write, in the three languages, and what each means.
    const TABLE: &[(&str, &str)] = &[
        // ISO and the forms the bot always took.
        ("2026-12-05 19:00", "2026-12-05 19:00"),
        ("2026-12-05T19:00", "2026-12-05 19:00"),
        ("2026-12-05 19:00:00", "2026-12-05 19:00"),
        ("2026-12-05T19:00-03:00", "2026-12-05 19:00"),
        ("2026-12-05T22:00:00Z", "2026-12-05 19:00"),
        ("2026/12/05 19:00", "2026-12-05 19:00"),
        ("05/12/2026 19:00", "2026-12-05 19:00"),
        ("05/12/2026 19h", "2026-12-05 19:00"),
        ("05/12/2026 às 19h00", "2026-12-05 19:00"),
        ("5.12.2026 19:00", "2026-12-05 19:00"),
        ("05/12/26 19:00", "2026-12-05 19:00"),
        ("2026-12-05 7pm", "2026-12-05 19:00"),
        ("2026-12-05 7 PM", "2026-12-05 19:00"),
        ("2026-12-05 7 p.m.", "2026-12-05 19:00"),
        ("2026-12-05 7:30 pm", "2026-12-05 19:30"),
        ("2026-12-05 19h30", "2026-12-05 19:30"),
        ("2026-12-05 12am", "2026-12-05 00:00"),
        ("2026-12-05 12pm", "2026-12-05 12:00"),
        ("2026-12-05 noon", "2026-12-05 12:00"),
        ("2026-12-05 midnight", "2026-12-05 00:00"),
        ("12/25/2026 18:00", "2026-12-25 18:00"),
        ("25/12/2026 18:00", "2026-12-25 18:00"),
        ("25/12 18:00", "2026-12-25 18:00"),
        ("5/12 19:00", "2026-12-05 19:00"),
        ("10/1 19:00", "2027-01-10 19:00"),
        // English words.
        ("today 19:00", "2026-11-23 19:00"),
        ("today at 7pm", "2026-11-23 19:00"),
        ("tonight 8pm", "2026-11-23 20:00"),
        ("tonight at 8", "2026-11-23 20:00"),
        ("tomorrow 19:00", "2026-11-24 19:00"),
        ("tomorrow at 7pm", "2026-11-24 19:00"),
        ("Tomorrow 7:30 PM", "2026-11-24 19:30"),
        ("tomorrow 9am", "2026-11-24 09:00"),
        ("tomorrow noon", "2026-11-24 12:00"),
        ("tomorrow at 7 in the evening", "2026-11-24 19:00"),
        ("day after tomorrow 18:00", "2026-11-25 18:00"),
        ("in 3 days 19:00", "2026-11-26 19:00"),
        ("in 2 weeks at 7pm", "2026-12-07 19:00"),
        ("in a week 19:00", "2026-11-30 19:00"),
        ("Thursday 7pm", "2026-11-26 19:00"),
        ("on Thursday at 19:00", "2026-11-26 19:00"),
        ("this Friday 18:30", "2026-11-27 18:30"),
        ("next Thursday 7pm", "2026-11-26 19:00"),
        ("next Monday 19:00", "2026-11-30 19:00"),
        ("next thu 7pm", "2026-11-26 19:00"),
        ("Sat 10am", "2026-11-28 10:00"),
        ("sunday 10:00", "2026-11-29 10:00"),
        ("Monday 19:00", "2026-11-30 19:00"),
        ("Dec 12 2026 19:00", "2026-12-12 19:00"),
        ("Dec 12, 2026 7pm", "2026-12-12 19:00"),
        ("December 12th, 2026 at 7:00 pm", "2026-12-12 19:00"),
        ("12 Dec 2026 19:00", "2026-12-12 19:00"),
        ("12 December 2026, 19:00", "2026-12-12 19:00"),
        ("Dec 12 19:00", "2026-12-12 19:00"),
        ("Jan 5 7pm", "2027-01-05 19:00"),
        ("January 5th 2027 18:00", "2027-01-05 18:00"),
        ("Sept 3 2027 9am", "2027-09-03 09:00"),
        ("on March 3rd at 10am", "2027-03-03 10:00"),
        ("1st of Feb 2027 19:00", "2027-02-01 19:00"),
        // Portuguese.
        ("amanhã 19h", "2026-11-24 19:00"),
        ("amanha 19h", "2026-11-24 19:00"),
        ("amanhã às 19h30", "2026-11-24 19:30"),
        ("amanhã às 7 da noite", "2026-11-24 19:00"),
        ("amanhã às 9 da manhã", "2026-11-24 09:00"),
        ("amanhã às 3 da tarde", "2026-11-24 15:00"),
        ("amanhã ao meio-dia", "2026-11-24 12:00"),
        ("hoje às 20h", "2026-11-23 20:00"),
        ("hoje à noite às 8", "2026-11-23 20:00"),
        ("depois de amanhã 18h", "2026-11-25 18:00"),
        ("daqui a 3 dias 19h", "2026-11-26 19:00"),
        ("em 2 semanas às 19h", "2026-12-07 19:00"),
        ("quinta 19h", "2026-11-26 19:00"),
        ("quinta-feira às 19h", "2026-11-26 19:00"),
        ("na sexta às 18h", "2026-11-27 18:00"),
        ("sábado 10h", "2026-11-28 10:00"),
        ("sabado 10h", "2026-11-28 10:00"),
        ("próxima quinta 19h", "2026-11-26 19:00"),
        ("quinta que vem às 19h", "2026-11-26 19:00"),
        ("próxima segunda às 19h", "2026-11-30 19:00"),
        ("domingo às 10h", "2026-11-29 10:00"),
        ("12 de dezembro às 19h", "2026-12-12 19:00"),
        ("12 de dezembro de 2026 às 19h", "2026-12-12 19:00"),
        ("12 de dezembro de 2026, 19:30", "2026-12-12 19:30"),
        ("5 de janeiro às 19h", "2027-01-05 19:00"),
        ("3 de março de 2027 às 10h", "2027-03-03 10:00"),
        ("dia 12 de dezembro às 19h", "2026-12-12 19:00"),
        ("12 dez 2026 19h", "2026-12-12 19:00"),
        // Chinese.
        ("明天晚上7点", "2026-11-24 19:00"),
        ("明天晚上七点", "2026-11-24 19:00"),
        ("明天晚上7点半", "2026-11-24 19:30"),
        ("明天下午3点", "2026-11-24 15:00"),
        ("明天上午9点", "2026-11-24 09:00"),
        ("明天中午12点", "2026-11-24 12:00"),
        ("明天19:00", "2026-11-24 19:00"),
        ("明天 19:00", "2026-11-24 19:00"),
        ("明晚8点", "2026-11-24 20:00"),
        ("今晚8点", "2026-11-23 20:00"),
        ("今天下午5点", "2026-11-23 17:00"),
        ("后天晚上7点", "2026-11-25 19:00"),
        ("大后天19点", "2026-11-26 19:00"),
        ("3天后晚上7点", "2026-11-26 19:00"),
        ("周四晚上7点", "2026-11-26 19:00"),
        ("星期四19:00", "2026-11-26 19:00"),
        ("下周四晚上7点", "2026-12-03 19:00"),
        ("下星期一上午10点", "2026-11-30 10:00"),
        ("这周五晚上7点", "2026-11-27 19:00"),
        ("本周六下午2点", "2026-11-28 14:00"),
        ("周日上午10点", "2026-11-29 10:00"),
        ("礼拜天下午3点", "2026-11-29 15:00"),
        ("12月12日晚上7点", "2026-12-12 19:00"),
        ("12月12日 19:00", "2026-12-12 19:00"),
        ("2026年12月5日 19:00", "2026-12-05 19:00"),
        ("2026年12月5日19点", "2026-12-05 19:00"),
        ("2026年12月5日晚上7点30分", "2026-12-05 19:30"),
        ("十二月十二日晚上七点", "2026-12-12 19:00"),
        ("1月5号下午3点", "2027-01-05 15:00"),
        ("明天晚上7点15分", "2026-11-24 19:15"),
        ("明天晚上7点1刻", "2026-11-24 19:15"),
    ];

    #[test]
    fn a_table_of_forms_people_write() {
        assert!(TABLE.len() >= 100, "{} forms", TABLE.len());
        let mut wrong = Vec::new();
        for (text, want) in TABLE {
            match local_of(text) {
                Ok(got) if got == *want => {}
                other => wrong.push(format!("{text:?}: {other:?}, want {want}")),
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {}:\n{}",
            wrong.len(),
            TABLE.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn a_trailing_zone_is_the_zone_of_the_time() {
        let utc = |text: &str| parse(text, now(), &sp()).unwrap().at.to_string();
        assert_eq!(utc("2026-12-05 19:00 UTC"), "2026-12-05T19:00:00Z");
        assert_eq!(utc("2026-12-05 19:00 GMT"), "2026-12-05T19:00:00Z");
        assert_eq!(utc("tomorrow 19:00 UTC"), "2026-11-24T19:00:00Z");
        assert_eq!(
            utc("2026-12-05 19:00 Asia/Shanghai"),
            "2026-12-05T11:00:00Z"
        );
        assert_eq!(utc("明天晚上7点 Asia/Shanghai"), "2026-11-24T11:00:00Z");
        assert_eq!(
            utc("Dec 12 2026 7pm America/New_York"),
            "2026-12-13T00:00:00Z"
        );
        assert_eq!(
            utc("12 de dezembro às 19h Europe/Lisbon"),
            "2026-12-12T19:00:00Z"
        );
        assert_eq!(utc("2026-12-05 19:00 UTC+8"), "2026-12-05T11:00:00Z");
        assert_eq!(utc("2026-12-05 19:00 +05:30"), "2026-12-05T13:30:00Z");
        assert_eq!(utc("2026-12-05 19:00 GMT-3"), "2026-12-05T22:00:00Z");
        assert!(parse("2026-12-05 19:00 Mars/Olympus", now(), &sp()).is_err());
    }

    #[test]
    fn ambiguous_readings_say_which_they_took() {
        let r = parse("05/12/2026 19:00", now(), &sp()).unwrap();
        let note = r.note.expect("a note");
        assert_eq!(note.why, Why::DayFirst);
        assert_eq!(note.other.to_string(), "2026-05-12");
        let en = note.text(Lang::En);
        assert!(
            en.contains("Sat 5 Dec 2026") && en.contains("2026-05-12"),
            "{en}"
        );
        assert!(note.text(Lang::Pt).contains("dia primeiro"));
        assert!(note.text(Lang::Zh).contains("日在前"));
        // Not ambiguous: the 13th cannot be a month, ISO is year-month-day.
        for text in [
            "13/12/2026 19:00",
            "12/25/2026 19:00",
            "2026-05-12 19:00",
            "05/05/2026 19:00",
        ] {
            assert!(parse(text, now(), &sp()).unwrap().note.is_none(), "{text}");
        }
        // "next Thursday" on a Monday: this week's, and the week after is how to write it.
        let r = parse("next Thursday 7pm", now(), &sp()).unwrap();
        let note = r.note.expect("a note");
        assert_eq!(
            (note.why, note.other.to_string()),
            (Why::Nearest, "2026-12-03".into())
        );
        assert!(parse("Thursday 7pm", now(), &sp()).unwrap().note.is_none());
    }

    #[test]
    fn an_end_earlier_than_the_start_is_the_next_day() {
        let start = parse("2026-12-05 22:00", now(), &sp()).unwrap().at;
        let end = |t: &str| parse_end(t, start, now(), &sp()).map(|r| r.at.to_string());
        assert_eq!(end("01:00").unwrap(), "2026-12-06T04:00:00Z");
        assert_eq!(end("23:30").unwrap(), "2026-12-06T02:30:00Z");
        // Far earlier is a mistake, not a 20-hour event.
        assert_eq!(end("18:00").unwrap(), "2026-12-05T21:00:00Z");
        assert_eq!(split_range("22:00 to 01:00"), Some(("22:00", "01:00")));
        assert_eq!(split_range("19h – 21h"), Some(("19h", "21h")));
        assert_eq!(
            split_range("明天晚上7点到9点"),
            Some(("明天晚上7点", "9点"))
        );
        assert_eq!(split_range("2026-12-05 19:00"), None);
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            "someday",
            "2026-13-05 19:00",
            "2026-02-30 10:00",
            "19:00 20:00 2026-01-01",
            "2026-12-05 25:00",
            "2026-12-05 19:61",
            "tomorrow today 19:00",
            "next 19:00",
            "13pm tomorrow",
            "32/12 19:00",
            "Dec 40 19:00",
            "",
            "明天晚上99点",
        ] {
            assert!(parse(text, now(), &sp()).is_err(), "{text}");
        }
        for text in ["tomorrow", "amanhã", "明天", "2026-12-05", "Dec 12"] {
            assert!(
                matches!(parse(text, now(), &sp()), Err(CmdError::NeedTime { .. })),
                "{text}"
            );
        }
    }
}
