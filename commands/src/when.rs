//! Dates and times as members type them, read in the community's time zone, and shown back
//! in each language.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use knowledge::Lang;

use crate::error::CmdError;

/// Reads a start date and time. Accepted: `2026-12-05 19:00`, `2026-12-05T19:00:00`,
/// RFC 3339 with an offset (`2026-12-05T19:00-03:00`), `2026/12/05 19:00`,
/// `05/12/2026 19:00` (day first), `05/12/2026 19h30`, `2026年12月5日 19:00` or `19点30分`,
/// and `7pm` / `7:30 pm`. Times without an offset are in `tz`.
pub fn parse(text: &str, tz: &TimeZone) -> Result<Timestamp, CmdError> {
    let given = text.trim();
    if let Ok(ts) = given.parse::<Timestamp>() {
        return Ok(ts);
    }
    let (date, time) = split(given)?;
    let date = date.ok_or_else(|| CmdError::BadDate {
        given: given.into(),
    })?;
    let time = time.ok_or_else(|| CmdError::NeedTime {
        given: given.into(),
    })?;
    local(date.to_datetime(time), tz, given)
}

/// Reads an end: a full date and time, or only a time on the start's day.
pub fn parse_end(text: &str, start: Timestamp, tz: &TimeZone) -> Result<Timestamp, CmdError> {
    let given = text.trim();
    if let Ok(ts) = given.parse::<Timestamp>() {
        return Ok(ts);
    }
    match split(given)? {
        (Some(date), Some(time)) => local(date.to_datetime(time), tz, given),
        (None, Some(time)) => {
            let day = start.to_zoned(tz.clone()).date();
            local(day.to_datetime(time), tz, given)
        }
        (Some(_), None) => Err(CmdError::NeedTime {
            given: given.into(),
        }),
        (None, None) => Err(CmdError::BadDate {
            given: given.into(),
        }),
    }
}

fn local(dt: DateTime, tz: &TimeZone, given: &str) -> Result<Timestamp, CmdError> {
    dt.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|_| CmdError::BadDate {
            given: given.into(),
        })
}

/// Finds the date and the time in `given`.
fn split(given: &str) -> Result<(Option<Date>, Option<Time>), CmdError> {
    let bad = || CmdError::BadDate {
        given: given.chars().take(60).collect(),
    };
    let normal: String = given
        .chars()
        .map(|c| match c {
            '年' | '月' => '-',
            '日' | '号' | ',' => ' ',
            '点' | '時' | '时' => 'h',
            '分' => ' ',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    // `2026-12-05T19:00` and `2026-12-05t19:00`
    let normal = match normal.find('t') {
        Some(i)
            if normal[..i].ends_with(|c: char| c.is_ascii_digit())
                && normal[i + 1..].starts_with(|c: char| c.is_ascii_digit()) =>
        {
            format!("{} {}", &normal[..i], &normal[i + 1..])
        }
        _ => normal,
    };
    let mut words: Vec<String> = normal.split_whitespace().map(str::to_string).collect();
    // "7 pm" → "7pm"
    let mut i = 0;
    while i + 1 < words.len() {
        if matches!(words[i + 1].as_str(), "am" | "pm" | "a.m." | "p.m.") {
            let suffix = words.remove(i + 1);
            words[i].push_str(&suffix.replace('.', ""));
        }
        i += 1;
    }
    let (mut date, mut time) = (None, None);
    for w in &words {
        let w = w.trim_end_matches('-');
        if w.is_empty() || matches!(w, "at" | "às" | "as" | "a" | "um" | "de") {
            continue;
        }
        if w.contains(['-', '/']) {
            if date.replace(parse_date(w).ok_or_else(bad)?).is_some() {
                return Err(bad());
            }
        } else if time.replace(parse_time(w).ok_or_else(bad)?).is_some() {
            return Err(bad());
        }
    }
    Ok((date, time))
}

fn parse_date(w: &str) -> Option<Date> {
    let parts: Vec<&str> = w.split(['-', '/']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<i32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 {
        // Day first, as written in Brazil, Portugal and most of the world.
        (n[2], n[1], n[0])
    } else {
        return None;
    };
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

fn parse_time(w: &str) -> Option<Time> {
    let (w, pm) = if let Some(w) = w.strip_suffix("pm") {
        (w, Some(true))
    } else if let Some(w) = w.strip_suffix("am") {
        (w, Some(false))
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
    // A bare number is a time only with am/pm or a Chinese 点 ("19" alone could be a day).
    if parts.len() == 1 && pm.is_none() && !w.contains('h') {
        return None;
    }
    let mut hour = n[0];
    match pm {
        Some(true) if (1..12).contains(&hour) => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        Some(_) if !(1..=12).contains(&hour) => return None,
        _ => {}
    }
    Time::new(hour, n[1], n[2], 0).ok()
}

/// A moment as members read it: `Sat 5 Dec 2026, 19:00 -03`, `2026年12月5日 周六 19:00`,
/// `sáb 05/12/2026 19:00`.
pub fn show(ts: Timestamp, tz: &TimeZone, lang: Lang) -> String {
    let z = ts.to_zoned(tz.clone());
    let zone = z.strftime("%Z").to_string();
    let wd = z.weekday().to_monday_zero_offset() as usize;
    match lang {
        Lang::En => format!("{} {}", z.strftime("%a %-d %b %Y, %H:%M"), zone),
        Lang::Zh => {
            const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
            format!(
                "{} {} {} {zone}",
                z.strftime("%Y年%-m月%-d日"),
                DAYS[wd],
                z.strftime("%H:%M")
            )
        }
        Lang::Pt => {
            const DAYS: [&str; 7] = ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"];
            format!("{} {} {zone}", DAYS[wd], z.strftime("%d/%m/%Y %H:%M"))
        }
    }
}

/// A day: `5 Dec 2026`, `2026年12月5日`, `05/12/2026`.
pub fn show_day(ts: Timestamp, tz: &TimeZone, lang: Lang) -> String {
    let z = ts.to_zoned(tz.clone());
    match lang {
        Lang::En => z.strftime("%-d %b %Y").to_string(),
        Lang::Zh => z.strftime("%Y年%-m月%-d日").to_string(),
        Lang::Pt => z.strftime("%d/%m/%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp() -> TimeZone {
        TimeZone::get("America/Sao_Paulo").unwrap()
    }

    fn at(text: &str) -> String {
        parse(text, &sp()).unwrap().to_string()
    }

    #[test]
    fn common_forms_mean_the_same_moment() {
        let want = "2026-12-05T22:00:00Z"; // 19:00 in São Paulo (UTC-3)
        for form in [
            "2026-12-05 19:00",
            "2026-12-05T19:00",
            "2026-12-05 19:00:00",
            "2026-12-05T19:00-03:00",
            "2026/12/05 19:00",
            "05/12/2026 19:00",
            "05/12/2026 19h",
            "05/12/2026 às 19h00",
            "2026年12月5日 19:00",
            "2026年12月5日19点",
            "2026-12-05 7pm",
            "2026-12-05 7 PM",
        ] {
            assert_eq!(at(form), want, "{form}");
        }
        assert_eq!(at("2026-12-05 19h30"), "2026-12-05T22:30:00Z");
        assert_eq!(at("2026-12-05 12am"), "2026-12-05T03:00:00Z");
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "tomorrow",
            "2026-13-05 19:00",
            "2026-02-30 10:00",
            "19:00 20:00 2026-01-01",
            "2026-12-05 25:00",
            "5/12 19:00",
            "",
        ] {
            assert!(parse(bad, &sp()).is_err(), "{bad}");
        }
        assert!(matches!(
            parse("2026-12-05", &sp()),
            Err(CmdError::NeedTime { .. })
        ));
    }

    #[test]
    fn an_end_may_be_a_time_on_the_same_day() {
        let start = parse("2026-12-05 19:00", &sp()).unwrap();
        assert_eq!(
            parse_end("21:30", start, &sp()).unwrap().to_string(),
            "2026-12-06T00:30:00Z"
        );
        assert!(parse_end("2026-12-06", start, &sp()).is_err());
    }

    #[test]
    fn shown_in_each_language() {
        let ts = parse("2026-12-05 19:00", &sp()).unwrap();
        assert_eq!(show(ts, &sp(), Lang::En), "Sat 5 Dec 2026, 19:00 -03");
        assert_eq!(show(ts, &sp(), Lang::Zh), "2026年12月5日 周六 19:00 -03");
        assert_eq!(show(ts, &sp(), Lang::Pt), "sáb 05/12/2026 19:00 -03");
    }
}
