//! Reading what members type for a talk: levels, languages, durations, the "details" line
//! of a form, track ids, deck links, and text fields checked for length and control
//! characters.

use knowledge::Lang;

use super::error::TalkError;
use super::model::TalkLevel;
use crate::text::fold;

pub const MAX_TITLE: usize = 150;
/// Fits a Slack text input (3000) and a Discord one (4000).
pub const MAX_ABSTRACT: usize = 3000;
pub const MAX_COMMENT: usize = 1500;
pub const MAX_REASON: usize = 1000;
pub const MAX_FRAMEWORK: usize = 1500;
pub const MAX_SHORT: usize = 200;
pub const MAX_LINK: usize = 500;
pub const MAX_TRACK_NAME: usize = 60;
pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 180;

/// Trims user text for a field and refuses control characters (line breaks and tabs are
/// fine where `multiline`) and text over `max` characters.
pub fn clean(
    text: &str,
    field: &'static str,
    max: usize,
    multiline: bool,
) -> Result<String, TalkError> {
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r')))
    {
        return Err(TalkError::ControlChars { field });
    }
    let text = text.trim();
    if text.chars().count() > max {
        return Err(TalkError::TooLong { field, max });
    }
    Ok(text.replace("\r\n", "\n"))
}

/// A required text field: present and not empty after trimming.
pub fn required(
    text: Option<&str>,
    field: &'static str,
    max: usize,
    multiline: bool,
) -> Result<String, TalkError> {
    let t = clean(text.unwrap_or(""), field, max, multiline)?;
    if t.is_empty() {
        return Err(TalkError::Missing { field });
    }
    Ok(t)
}

pub fn level(given: &str) -> Result<TalkLevel, TalkError> {
    let want = fold(given);
    TalkLevel::ALL
        .into_iter()
        .find(|l| {
            fold(l.id()) == want
                || l.number().to_string() == want
                || Lang::ALL.iter().any(|lang| fold(l.name(*lang)) == want)
                || l.aliases().iter().any(|a| fold(a) == want)
        })
        .ok_or_else(|| TalkError::BadLevel {
            given: given.chars().take(40).collect(),
        })
}

/// A talk language: `en`, `zh`, `pt` or their names.
pub fn language(given: &str) -> Result<Lang, TalkError> {
    let want = fold(given);
    let names: [(&str, Lang); 15] = [
        ("en", Lang::En),
        ("english", Lang::En),
        ("ingles", Lang::En),
        ("英语", Lang::En),
        ("英文", Lang::En),
        ("zh", Lang::Zh),
        ("chinese", Lang::Zh),
        ("中文", Lang::Zh),
        ("汉语", Lang::Zh),
        ("chines", Lang::Zh),
        ("pt", Lang::Pt),
        ("portuguese", Lang::Pt),
        ("portugues", Lang::Pt),
        ("葡萄牙语", Lang::Pt),
        ("ptbr", Lang::Pt),
    ];
    names
        .iter()
        .find(|(n, _)| fold(n) == want)
        .map(|(_, l)| *l)
        .ok_or_else(|| TalkError::BadLanguage {
            given: given.chars().take(40).collect(),
        })
}

/// Minutes: `30`, `30min`, `45 m`, `1h`, `1h30`, `30分钟`.
pub fn duration(given: &str) -> Result<u32, TalkError> {
    let bad = || TalkError::BadDuration {
        given: given.chars().take(40).collect(),
    };
    let t: String = given
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t
        .trim_end_matches("minutes")
        .trim_end_matches("minutos")
        .trim_end_matches("minute")
        .trim_end_matches("mins")
        .trim_end_matches("min")
        .trim_end_matches("分钟")
        .trim_end_matches('m');
    let minutes = match t.split_once('h') {
        Some((h, m)) => {
            let h: u32 = h.parse().map_err(|_| bad())?;
            let m: u32 = if m.is_empty() {
                0
            } else {
                m.parse().map_err(|_| bad())?
            };
            h.checked_mul(60).and_then(|h| h.checked_add(m))
        }
        None => t.parse().ok(),
    }
    .ok_or_else(bad)?;
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return Err(bad());
    }
    Ok(minutes)
}

/// A form's "details" line, as typed: each part `None` when not given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub level: Option<String>,
    pub language: Option<String>,
    pub minutes: Option<String>,
}

/// A form's "details" line: the level, the language and the minutes in any order
/// (`intermediate, pt, 30 min`).
pub fn details(given: &str) -> Result<Details, TalkError> {
    let (mut lvl, mut lang, mut mins) = (None, None, None);
    let words: Vec<String> = given
        .split([',', ';', '/', '·', '，', '、'])
        .flat_map(|part| part.split_whitespace())
        .map(str::to_string)
        .collect();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        // "30 min" is one duration.
        let with_unit = words.get(i + 1).map(|u| format!("{w}{u}"));
        if let Some(two) = with_unit.filter(|t| w.parse::<u32>().is_ok() && duration(t).is_ok()) {
            mins = Some(two);
            i += 2;
            continue;
        }
        if level(w).is_ok() && lvl.is_none() {
            lvl = Some(w.clone());
        } else if language(w).is_ok() && lang.is_none() {
            lang = Some(w.clone());
        } else if duration(w).is_ok() && mins.is_none() {
            mins = Some(w.clone());
        } else {
            return Err(TalkError::BadDetails {
                given: w.chars().take(40).collect(),
            });
        }
        i += 1;
    }
    Ok(Details {
        level: lvl,
        language: lang,
        minutes: mins,
    })
}

/// A track id: lowercase letters, digits and hyphens, at most 30.
pub fn track_id(given: &str) -> Result<String, TalkError> {
    let id = given.trim().to_lowercase();
    let ok = !id.is_empty()
        && id.chars().count() <= 30
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !id.starts_with('-');
    if ok {
        Ok(id)
    } else {
        Err(TalkError::BadTrackId {
            given: given.chars().take(40).collect(),
        })
    }
}

/// A deck link: a clean `http(s)://` address.
pub fn link(given: &str) -> Result<String, TalkError> {
    let t = clean(given, "link", MAX_LINK, false)?;
    let ok = (t.starts_with("https://") || t.starts_with("http://"))
        && t.len() > "https://".len()
        && !t.chars().any(|c| c.is_whitespace() || "<>|\"`".contains(c));
    if ok {
        Ok(t)
    } else {
        Err(TalkError::BadLink {
            given: t.chars().take(80).collect(),
        })
    }
}

/// `yes`/`no` in any of the languages; `None` when it is neither.
pub fn yes_no(given: &str) -> Option<bool> {
    match fold(given).as_str() {
        "yes" | "y" | "true" | "on" | "1" | "sim" | "s" | "是" | "好" | "分享" | "share"
        | "compartilhar" => Some(true),
        "no" | "n" | "false" | "off" | "0" | "nao" | "否" | "不" | "private" | "privado" => {
            Some(false)
        }
        _ => None,
    }
}

/// A language's name in `lang`.
pub fn language_name(code: &str, lang: Lang) -> &'static str {
    let names: [&str; 3] = match code {
        "zh" => ["Chinese", "中文", "chinês"],
        "pt" => ["Portuguese", "葡萄牙语", "português"],
        _ => ["English", "英语", "inglês"],
    };
    names[lang as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_languages_and_minutes() {
        assert_eq!(level("Intermediário").unwrap(), TalkLevel::Intermediate);
        assert_eq!(level("300").unwrap(), TalkLevel::Advanced);
        assert_eq!(level("入门").unwrap(), TalkLevel::Introductory);
        assert!(level("wizard").is_err());
        assert_eq!(language("Português").unwrap(), Lang::Pt);
        assert_eq!(language("中文").unwrap(), Lang::Zh);
        assert!(language("fr").is_err());
        assert_eq!(duration("45min").unwrap(), 45);
        assert_eq!(duration("1h30").unwrap(), 90);
        assert_eq!(duration("30 分钟").unwrap(), 30);
        assert!(duration("0").is_err() && duration("600").is_err() && duration("x").is_err());
    }

    #[test]
    fn details_in_any_order() {
        let Details {
            level: l,
            language: g,
            minutes: m,
        } = details("pt, 30 min, avançado").unwrap();
        assert_eq!(
            (l.as_deref(), g.as_deref(), m.as_deref()),
            (Some("avançado"), Some("pt"), Some("30min"))
        );
        let Details {
            level: l,
            language: g,
            minutes: m,
        } = details("intermediate en 45").unwrap();
        assert_eq!(
            (l.is_some(), g.is_some(), m.as_deref()),
            (true, true, Some("45"))
        );
        assert!(matches!(
            details("intermediate klingon 30"),
            Err(TalkError::BadDetails { .. })
        ));
    }

    #[test]
    fn cleaning_links_and_ids() {
        assert!(matches!(
            clean("a\u{7}b", "title", 10, false),
            Err(TalkError::ControlChars { field: "title" })
        ));
        assert_eq!(
            clean(" two\r\nlines ", "abstract", 20, true).unwrap(),
            "two\nlines"
        );
        assert!(matches!(
            clean(&"x".repeat(11), "title", 10, false),
            Err(TalkError::TooLong { max: 10, .. })
        ));
        assert!(link("https://example.org/deck.pdf").is_ok());
        assert!(link("javascript:alert(1)").is_err() && link("https://a b").is_err());
        assert_eq!(track_id("Serverless").unwrap(), "serverless");
        assert!(track_id("a b").is_err() && track_id("").is_err());
    }
}
