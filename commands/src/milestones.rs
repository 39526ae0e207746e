//! The program calendar: dated program milestones ("Community Builder applications open",
//! every January, with the link), from `[[program_calendar]]` in config.toml and from a
//! `calendar.toml` at the top of a knowledge folder. Each is posted once in the announcement
//! channel of every platform this process serves, in that platform's language, when it falls
//! due (never twice, also across a restart: the post is marked in the store and flushed
//! before it is handed out); `calendar programs` lists what comes next, and a member can ask
//! to be reminded of one by direct message.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::Platform;
use crate::error::CmdError;
use crate::journey::valid_slug;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::{fold, key};
use crate::{Commands, Ctx};

/// A milestone is posted at most this long after its date (the bot was down longer).
const DEFAULT_POST_WITHIN: i64 = 3 * 86_400;
/// The largest `calendar.toml` read.
const MAX_FILE: u64 = 1 << 20;
/// The file read at the top of each knowledge folder.
pub const FILE: &str = "calendar.toml";
/// Remind-me buttons shown at most.
const MAX_BUTTONS: usize = 10;

/// A dated program milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// Its id, in buttons and `calendar programs remind: ID`.
    pub id: String,
    /// Its title per language (en, zh, pt).
    pub title: [String; 3],
    pub description: Option<[String; 3]>,
    pub link: Option<String>,
    pub month: i8,
    pub day: i8,
    /// Only that year; every year when `None`.
    pub year: Option<i16>,
    pub hour: i8,
    pub minute: i8,
    /// Seconds after its time within which it is still posted.
    pub post_within: i64,
    /// Where it was declared (for messages about it).
    pub source: String,
}

/// Text in one language for all, or per language (`{ en = "…", zh = "…", pt = "…" }`,
/// English standing in for a missing one).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Localized {
    One(String),
    Each {
        en: String,
        #[serde(default)]
        zh: Option<String>,
        #[serde(default)]
        pt: Option<String>,
    },
}

impl Localized {
    /// The text per language (en, zh, pt).
    pub fn each(self) -> [String; 3] {
        match self {
            Localized::One(s) => [s.clone(), s.clone(), s],
            Localized::Each { en, zh, pt } => [
                en.clone(),
                zh.unwrap_or_else(|| en.clone()),
                pt.unwrap_or(en),
            ],
        }
    }
}

/// A `[[program_calendar]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    pub id: String,
    pub title: Localized,
    #[serde(default)]
    pub description: Option<Localized>,
    #[serde(default)]
    pub link: Option<String>,
    /// `"01-15"` (every year) or `"2027-01-15"` (once).
    pub date: String,
    /// `"09:00"` (the default), in the community's time zone.
    #[serde(default)]
    pub time: Option<String>,
    /// `"3d"` (the default), `"12h"`.
    #[serde(default)]
    pub post_within: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    program_calendar: Vec<RawMilestone>,
}

fn two(s: &str) -> Option<i8> {
    (s.len() <= 2 && !s.is_empty())
        .then(|| s.parse::<i8>().ok())
        .flatten()
}

fn within(s: &str) -> Option<i64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: i64 = s[..s.len() - unit.len_utf8()].trim().parse().ok()?;
    let secs = match unit {
        'd' => 86_400,
        'h' => 3600,
        'm' => 60,
        _ => return None,
    };
    (n > 0).then_some(n * secs)
}

/// Checks an entry; the message names what is wrong and how to write it.
pub fn check(raw: RawMilestone, source: &str) -> Result<Milestone, String> {
    let id = raw.id.trim().to_string();
    if !valid_slug(&id) {
        return Err(format!(
            "program_calendar: the id \"{id}\" must be lowercase letters, digits and -, like \"cb-applications\""
        ));
    }
    let bad_date = || {
        format!(
            "program_calendar \"{id}\": date \"{}\" is not a date like \"01-15\" (every year) or \"2027-01-15\" (once)",
            raw.date
        )
    };
    let parts: Vec<&str> = raw.date.trim().split('-').collect();
    let (year, month, day) = match parts.as_slice() {
        [m, d] => (None, two(m), two(d)),
        [y, m, d] if y.len() == 4 => (
            Some(y.parse::<i16>().map_err(|_| bad_date())?),
            two(m),
            two(d),
        ),
        _ => return Err(bad_date()),
    };
    let (Some(month), Some(day)) = (month, day) else {
        return Err(bad_date());
    };
    // Checked on a leap year, so that 02-29 is allowed (it is skipped in other years).
    Date::new(year.unwrap_or(2028), month, day).map_err(|_| bad_date())?;
    let (hour, minute) = match raw.time.as_deref().map(str::trim) {
        None => (9, 0),
        Some(t) => {
            let (h, m) = t.split_once(':').unwrap_or((t, "00"));
            match (two(h), two(m)) {
                (Some(h), Some(m)) if (0..24).contains(&h) && (0..60).contains(&m) => (h, m),
                _ => {
                    return Err(format!(
                        "program_calendar \"{id}\": time \"{t}\" is not a time like \"09:00\""
                    ))
                }
            }
        }
    };
    let post_within = match raw.post_within.as_deref() {
        None => DEFAULT_POST_WITHIN,
        Some(w) => within(w).ok_or_else(|| {
            format!("program_calendar \"{id}\": post_within \"{w}\" is not a length like \"3d\" or \"12h\"")
        })?,
    };
    let link = raw
        .link
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    if let Some(l) = &link {
        if !(l.starts_with("https://") || l.starts_with("http://"))
            || l.contains(char::is_whitespace)
        {
            return Err(format!(
                "program_calendar \"{id}\": link \"{l}\" is not a web address (https://…)"
            ));
        }
    }
    let title = raw.title.each();
    if title
        .iter()
        .any(|t| t.trim().is_empty() || t.chars().count() > 200)
    {
        return Err(format!(
            "program_calendar \"{id}\": a title is empty or longer than 200 characters"
        ));
    }
    Ok(Milestone {
        id,
        title,
        description: raw.description.map(Localized::each),
        link,
        month,
        day,
        year,
        hour,
        minute,
        post_within,
        source: source.to_string(),
    })
}

/// The milestones of a `calendar.toml`.
pub fn parse_file(text: &str, source: &str) -> Result<Vec<Milestone>, String> {
    let file: CalendarFile = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("{source} (line {line}): {}", e.message())
        }
        None => format!("{source}: {}", e.message()),
    })?;
    file.program_calendar
        .into_iter()
        .map(|raw| check(raw, source).map_err(|e| format!("{source}: {e}")))
        .collect()
}

/// Reads `calendar.toml` at the top of `dir`, if there is one: a regular file (not a link
/// out of the folder, not a special file) of at most 1 MiB.
fn read_dir_file(dir: &Path) -> Result<Option<(PathBuf, String)>, String> {
    let path = dir.join(FILE);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(format!("{}: not read (not a regular file)", path.display()));
    }
    if meta.len() > MAX_FILE {
        return Err(format!("{}: not read (larger than 1 MiB)", path.display()));
    }
    std::fs::read_to_string(&path)
        .map(|t| Some((path.clone(), t)))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The milestones of the configuration and of the knowledge folders, and what went wrong
/// reading them.
pub(crate) fn load(configured: &[Milestone], dirs: &[PathBuf]) -> (Vec<Milestone>, Vec<String>) {
    let mut all: Vec<Milestone> = configured.to_vec();
    let mut notes = Vec::new();
    for dir in dirs {
        match read_dir_file(dir) {
            Ok(None) => {}
            Ok(Some((path, text))) => match parse_file(&text, &path.display().to_string()) {
                Ok(found) => {
                    for m in found {
                        if all.iter().any(|x| x.id == m.id) {
                            notes.push(format!(
                                "{}: the milestone \"{}\" is declared twice; the first one counts",
                                m.source, m.id
                            ));
                        } else {
                            all.push(m);
                        }
                    }
                }
                Err(e) => notes.push(e),
            },
            Err(e) => notes.push(e),
        }
    }
    (all, notes)
}

impl Milestone {
    pub fn title(&self, lang: Lang) -> &str {
        &self.title[lang as usize]
    }

    /// Its moment in `year`, if it has one then (a 29 February in another year does not).
    fn in_year(&self, year: i16, tz: &TimeZone) -> Option<Timestamp> {
        if self.year.is_some_and(|y| y != year) {
            return None;
        }
        let date = Date::new(year, self.month, self.day).ok()?;
        let dt = date.at(self.hour, self.minute, 0, 0);
        dt.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
    }

    /// Its latest moment at or before `now`.
    fn latest(&self, now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        let year = now.to_zoned(tz.clone()).year();
        (0..=8)
            .filter_map(|back| self.in_year(year - back, tz))
            .find(|t| *t <= now)
    }

    /// Its first moment after `now`.
    pub fn next(&self, now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        let year = now.to_zoned(tz.clone()).year();
        (0..=8)
            .filter_map(|ahead| self.in_year(year + ahead, tz))
            .find(|t| *t > now)
    }
}

/// A member who asked to be reminded of one moment of a milestone.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remind {
    lang: String,
    asked: i64,
    #[serde(default)]
    sent: Option<i64>,
}

impl Remind {
    fn lang(&self) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == self.lang)
            .unwrap_or(Lang::En)
    }
}

impl Commands {
    /// The milestones known now.
    pub fn milestones(&self) -> Vec<Milestone> {
        self.milestones
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reads the milestones again (the configuration's and the knowledge folders'); what
    /// could not be read, for `kb reload` to show.
    pub(crate) fn reload_milestones(&self) -> Vec<String> {
        let (all, notes) = load(&self.config.journey.milestones, &self.config.knowledge_dirs);
        for n in &notes {
            tracing::warn!("program calendar: {n}");
        }
        *self.milestones.write().unwrap_or_else(|p| p.into_inner()) = all;
        notes
    }

    fn find_milestone(&self, given: &str) -> Result<Milestone, CmdError> {
        let all = self.milestones();
        let want = fold(given);
        if let Some(m) = all
            .iter()
            .find(|m| fold(&m.id) == want || m.title.iter().any(|t| fold(t) == want))
        {
            return Ok(m.clone());
        }
        Err(CmdError::UnknownMilestone {
            given: given.chars().take(40).collect(),
            ids: all
                .iter()
                .map(|m| m.id.clone())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// `calendar programs`, or `calendar programs remind: ID`.
    pub(crate) fn calendar_programs(
        &self,
        cx: &Ctx,
        remind: Option<&str>,
    ) -> Result<Response, CmdError> {
        if let Some(id) = remind.map(str::trim).filter(|r| !r.is_empty()) {
            return self.remind_milestone(cx, id);
        }
        let lang = cx.lang;
        let tz = &self.config.timezone;
        let now = self.clock.now();
        let mut coming: Vec<(Timestamp, Milestone)> = self
            .milestones()
            .into_iter()
            .filter_map(|m| Some((m.next(now, tz)?, m)))
            .collect();
        coming.sort_by_key(|(t, _)| *t);
        let title = tr!(
            lang,
            "Program calendar",
            "社区计划日历",
            "Calendário dos programas"
        );
        if coming.is_empty() {
            return Ok(Response::one(
                Reply::new(
                    lang,
                    tx!(
                        lang,
                        "No program dates are coming up. Admins add them to config.toml (`[[program_calendar]]`) or to calendar.toml in a knowledge folder.",
                        "近期没有社区计划的日期。管理员可以在 config.toml（`[[program_calendar]]`）或知识库文件夹中的 calendar.toml 里添加。",
                        "Nenhuma data dos programas está para chegar. Administradores as adicionam no config.toml (`[[program_calendar]]`) ou num calendar.toml de uma pasta de conhecimento."
                    ),
                )
                .title(title),
            ));
        }
        let lines = coming.iter().map(|(t, m)| {
            let mut line = Text::code(&m.id)
                .and(format!(" {} — ", self.day(t.as_second(), lang)))
                .and(Text::emphasis(m.title(lang)));
            if let Some(l) = &m.link {
                line = line.and(" ").and(Text::link_or_typed(l));
            }
            line
        });
        let mut reply = Reply::new(
            lang,
            Text::join(lines, "\n").and(tx!(
                lang,
                "\n\nPress a button (or send `calendar programs remind: ID`) and I remind you by direct message when it comes.",
                "\n\n点按钮（或发送 `calendar programs remind: 编号`），到时候我会私信提醒你。",
                "\n\nAperte um botão (ou envie `agenda programas lembrar: ID`) e eu aviso você por mensagem direta quando chegar."
            )),
        )
        .title(title);
        for (_, m) in coming.iter().take(MAX_BUTTONS) {
            let name = m.title(lang);
            reply = reply.button(
                format!("ms:remind:{}", m.id),
                tr!(
                    lang,
                    "⏰ Remind me: {name}",
                    "⏰ 提醒我：{name}",
                    "⏰ Me lembre: {name}"
                ),
                ButtonStyle::Secondary,
            );
        }
        Ok(Response::one(reply))
    }

    /// A member asks to be reminded of a milestone's next moment.
    pub(crate) fn remind_milestone(&self, cx: &Ctx, given: &str) -> Result<Response, CmdError> {
        let m = self.find_milestone(given)?;
        let lang = cx.lang;
        let tz = &self.config.timezone;
        let Some(next) = m.next(self.clock.now(), tz) else {
            return Err(CmdError::MilestonePassed { id: m.id.clone() });
        };
        let occ = next.as_second().to_string();
        let (platform, user) = (cx.actor.platform, cx.actor.user_id.clone());
        let k = key(&["remind", &m.id, &occ, platform.name(), &user]);
        let now = self.now();
        let asked_before = self.trees.write(|tx| {
            if tx.get::<Remind>(T::Milestones, &k)?.is_some() {
                return Ok(true);
            }
            tx.put(
                T::Milestones,
                &k,
                &Remind {
                    lang: lang.code().to_string(),
                    asked: now,
                    sent: None,
                },
            )?;
            Ok(false)
        })?;
        let (name, when) = (
            m.title(lang).to_string(),
            self.moment(next.as_second(), lang),
        );
        let text = if asked_before {
            tx!(
                lang,
                "I remind you of \"{name}\" on {when} already. Nothing changed.",
                "我已经会在 {when} 提醒你“{name}”了。没有改动。",
                "Eu já vou lembrar você de \"{name}\" em {when}. Nada mudou.";
                name, when
            )
        } else {
            tx!(
                lang,
                "⏰ I will remind you of \"{name}\" by direct message on {when}.",
                "⏰ 我会在 {when} 私信提醒你“{name}”。",
                "⏰ Vou lembrar você de \"{name}\" por mensagem direta em {when}.";
                name, when
            )
        };
        Ok(Response::one(Reply::private(lang, text)))
    }

    /// Milestones due now, as posts in each served platform's announcement channel, and the
    /// reminders members asked for, each handed out once: marked in the store (and flushed)
    /// before they are returned.
    pub fn due_milestones(&self) -> Result<Response, CmdError> {
        let now_ts = self.clock.now();
        let now = now_ts.as_second();
        let tz = &self.config.timezone;
        let journey = &self.config.journey;
        let fallback = self.kb.settings().fallback_lang;
        let mut marks: Vec<Vec<u8>> = Vec::new();
        let mut sent: Vec<(Vec<u8>, Remind)> = Vec::new();
        let mut response = Response::none();
        for m in self.milestones() {
            let Some(at) = m.latest(now_ts, tz) else {
                continue;
            };
            let at = at.as_second();
            if now >= at + m.post_within {
                continue;
            }
            let occ = at.to_string();
            for &platform in &journey.announce_on {
                let channel = match (&journey.places(platform).announcements, platform) {
                    (Some(c), _) => c.clone(),
                    (None, Platform::Terminal) => "announcements".into(),
                    (None, _) => continue,
                };
                let k = key(&["posted", &m.id, &occ, platform.name()]);
                if self.trees.get::<i64>(T::Milestones, &k)?.is_some() {
                    continue;
                }
                let lang = journey.places(platform).language.unwrap_or(fallback);
                marks.push(k);
                response = response.and(
                    self.milestone_post(&m, at, lang)
                        .to(Destination::Channel { platform, channel }),
                );
            }
            for (k, r) in self
                .trees
                .scan::<Remind>(T::Milestones, &key(&["remind", &m.id, &occ, ""]))?
            {
                if r.sent.is_some() {
                    continue;
                }
                let parts: Vec<String> = String::from_utf8_lossy(&k)
                    .split('\u{1f}')
                    .map(str::to_string)
                    .collect();
                let (Some(platform), Some(user)) = (
                    parts.get(3).and_then(|p| Platform::parse(p)),
                    parts.get(4).cloned(),
                ) else {
                    continue;
                };
                let lang = r.lang();
                let name = m.title(lang).to_string();
                let mut dm = self.milestone_post(&m, at, lang).to(Destination::Direct {
                    platform,
                    user: user.clone(),
                });
                dm.text = tx!(
                    lang,
                    "⏰ You asked me to remind you: \"{name}\" is now.",
                    "⏰ 你让我提醒你：“{name}”现在开始了。",
                    "⏰ Você pediu para eu lembrar: \"{name}\" é agora.";
                    name
                )
                .and("\n\n")
                .and(dm.text);
                dm.buttons.clear();
                dm.mention_users.push(user);
                response = response.and(dm);
                sent.push((k, r));
            }
        }
        if marks.is_empty() && sent.is_empty() {
            return Ok(response);
        }
        self.trees.write(|tx| {
            for k in &marks {
                tx.put(T::Milestones, k, &now)?;
            }
            for (k, r) in &sent {
                let mut r = r.clone();
                r.sent = Some(now);
                tx.put(T::Milestones, k, &r)?;
            }
            Ok(())
        })?;
        Ok(response)
    }

    /// A milestone as posted.
    fn milestone_post(&self, m: &Milestone, at: i64, lang: Lang) -> Reply {
        let text = match &m.description {
            Some(d) => Text::plain(d[lang as usize].clone()),
            None => Text::plain(tr!(
                lang,
                "A date on the program calendar.",
                "社区计划日历上的日期。",
                "Uma data do calendário dos programas."
            )),
        };
        let mut reply = Reply::new(lang, text)
            .title(format!("📅 {}", m.title(lang)))
            .field(tr!(lang, "When", "时间", "Quando"), self.moment(at, lang));
        if let Some(l) = &m.link {
            reply = reply.field(tr!(lang, "Link", "链接", "Link"), Text::link_or_typed(l));
        }
        let id = &m.id;
        reply
            .field(tr!(lang, "Milestone", "编号", "Marco"), Text::code(id))
            .button(
                format!("ms:remind:{id}"),
                tr!(
                    lang,
                    "⏰ Remind me next time",
                    "⏰ 下次提醒我",
                    "⏰ Me lembre da próxima vez"
                ),
                ButtonStyle::Secondary,
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(date: &str) -> RawMilestone {
        RawMilestone {
            id: "cb-applications".into(),
            title: Localized::One("Community Builder applications open".into()),
            description: None,
            link: Some("https://aws.amazon.com/developer/community/community-builders/".into()),
            date: date.into(),
            time: None,
            post_within: None,
        }
    }

    #[test]
    fn dates_every_year_or_once() {
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let m = check(raw("01-05"), "config.toml").unwrap();
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let next = m.next(now, &tz).unwrap();
        assert_eq!(
            next.to_string(),
            "2027-01-05T12:00:00Z",
            "09:00 in São Paulo"
        );
        assert_eq!(
            m.latest(now, &tz).unwrap().to_string(),
            "2026-01-05T12:00:00Z"
        );
        let once = check(raw("2026-01-05"), "config.toml").unwrap();
        assert_eq!(once.next(now, &tz), None);
        for bad in ["13-01", "2026-02-30", "Jan 5", "1-5-2026"] {
            assert!(check(raw(bad), "config.toml").is_err(), "{bad}");
        }
        let leap = check(raw("02-29"), "config.toml").unwrap();
        assert_eq!(
            leap.next(now, &tz).unwrap().to_string(),
            "2028-02-29T12:00:00Z"
        );
    }

    #[test]
    fn files_say_where_they_are_wrong() {
        let e = parse_file(
            "[[program_calendar]]\nid = \"x\"\ntitle = \"X\"\ndate = 5\n",
            "kb/calendar.toml",
        )
        .unwrap_err();
        assert!(e.contains("kb/calendar.toml (line 4)"), "{e}");
        let e = parse_file(
            "[[program_calendar]]\nid = \"Bad Id\"\ntitle = \"X\"\ndate = \"01-05\"\n",
            "kb/calendar.toml",
        )
        .unwrap_err();
        assert!(e.contains("lowercase"), "{e}");
        let ok = parse_file(
            "[[program_calendar]]\nid = \"x\"\ntitle = { en = \"X\", pt = \"Xis\" }\ndate = \"01-05\"\ntime = \"10:30\"\npost_within = \"12h\"\n",
            "kb/calendar.toml",
        )
        .unwrap();
        assert_eq!(ok[0].title, ["X".to_string(), "X".into(), "Xis".into()]);
        assert_eq!(
            (ok[0].hour, ok[0].minute, ok[0].post_within),
            (10, 30, 43_200)
        );
    }
}
