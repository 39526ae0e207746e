//! Dates and times shown back in each language, in the community's time zone (reading
//! them as members type them is [`crate::dates`]).

use jiff::tz::TimeZone;
use jiff::Timestamp;
use knowledge::Lang;

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

    #[test]
    fn shown_in_each_language() {
        let ts: Timestamp = "2026-12-05T22:00:00Z".parse().unwrap();
        assert_eq!(show(ts, &sp(), Lang::En), "Sat 5 Dec 2026, 19:00 -03");
        assert_eq!(show(ts, &sp(), Lang::Zh), "2026年12月5日 周六 19:00 -03");
        assert_eq!(show(ts, &sp(), Lang::Pt), "sáb 05/12/2026 19:00 -03");
    }
}
