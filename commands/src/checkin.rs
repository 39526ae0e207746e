//! Check-in at the door: the organizer opens check-in for an event and gets a short code and
//! its QR image (a PNG) to show; members send `checkin CODE`; the organizer can also mark
//! people present. Check-ins count as attendance in `badges` and on the growth path.
//!
//! Not for: RSVPs ([`crate::rsvp`]) or volunteers' shifts ([`crate::volunteers`]).

use std::hash::{BuildHasher, Hasher};

use crate::actor::Platform;
use crate::error::{CmdError, Kind};
use crate::events::Event;
use crate::reply::{Attachment, Reply, Response};
use crate::rsvp::{Present, Roster};
use crate::spans::Text;
use crate::store::{abort, T};
use crate::text::{key, UserRef};
use crate::{Commands, Ctx};

/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 6;

/// How long after the end (or, without one, the start) check-in stays open.
const OPEN_AFTER: i64 = 3 * 3600;
/// How long before the start an organizer may open check-in.
const OPEN_BEFORE: i64 = 24 * 3600;

/// A fresh code: random (the standard library's per-process random keys, mixed with the
/// event, the time and a try count).
fn new_code(event: &str, now: i64, attempt: u32) -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write(event.as_bytes());
    h.write_i64(now);
    h.write_u32(attempt);
    let mut n = h.finish();
    (0..CODE_LEN)
        .map(|_| {
            let c = ALPHABET[(n % ALPHABET.len() as u64) as usize];
            n /= ALPHABET.len() as u64;
            c as char
        })
        .collect()
}

/// A code as typed: upper case, without spaces or dashes.
fn normal(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .take(20)
        .collect()
}

/// The QR code of `text` as a PNG: black modules on white, 8 pixels each, with the quiet
/// zone of four modules the standard asks for.
pub fn qr_png(text: &str) -> Vec<u8> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(text.as_bytes()).expect("a short text fits a QR code");
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for y in 0..width {
        for x in 0..width {
            if colors[y * width + x] == qrcode::Color::Dark {
                for dy in 0..SCALE {
                    let row = (y + QUIET) * SCALE + dy;
                    let from = row * side + (x + QUIET) * SCALE;
                    pixels[from..from + SCALE].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("writing to memory");
        writer.write_image_data(&pixels).expect("writing to memory");
    }
    out
}

impl Commands {
    /// When check-in for the event closes.
    fn checkin_closes(ev: &Event) -> i64 {
        ev.end.unwrap_or(ev.start) + OPEN_AFTER
    }

    /// `event checkin ID`: opens check-in (or shows the code already open).
    pub(crate) fn checkin_open(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let ev = self.event(id)?;
        self.may_change(cx, ev.platform, &ev.organizer, &ev.id)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if now > Self::checkin_closes(&ev) {
            return Err(CmdError::CheckinClosed { id: ev.id });
        }
        if now < ev.start - OPEN_BEFORE {
            return Err(CmdError::EventNotStarted { id: ev.id });
        }
        let eid = ev.id.clone();
        let code = self.trees.write(|tx| {
            let mut r: Roster = tx.get(T::Rsvps, eid.as_bytes())?.unwrap_or_default();
            if let Some(code) = &r.code {
                return Ok(code.clone());
            }
            let mut attempt = 0;
            let code = loop {
                let code = new_code(&eid, now, attempt);
                if tx.get::<String>(T::Codes, code.as_bytes())?.is_none() {
                    break code;
                }
                attempt += 1;
            };
            tx.put(T::Codes, code.as_bytes(), &eid)?;
            r.code = Some(code.clone());
            tx.put(T::Rsvps, eid.as_bytes(), &r)?;
            Ok(code)
        })?;
        let lang = cx.lang;
        let title = Text::typed(&ev.title);
        let until = self.moment(Self::checkin_closes(&ev), lang);
        let c = Text::code(format!("checkin {code}"));
        let mut reply = Reply::private(
            lang,
            tx!(
                lang,
                "Check-in for \"{title}\" is open until {until}. Show this code (or the QR image) at the door: members send {c}. You can also mark people present with `event present {eid} @member …`.",
                "“{title}”的签到已开启，截至 {until}。请在门口展示签到码（或二维码）：成员发送 {c} 即可签到。你也可以用 `event present {eid} @成员 …` 为他们登记到场。",
                "O check-in de \"{title}\" está aberto até {until}. Mostre este código (ou o QR) na entrada: os membros enviam {c}. Você também pode marcar presença com `event present {eid} @membro …`.";
                title, until, c, eid = &eid
            ),
        )
        .title(Text::plain("🚪 ").and(Text::code(code.clone())))
        .field(tr!(lang, "Code", "签到码", "Código"), Text::code(code.clone()));
        reply.attachment = Some(Attachment::binary(
            format!("checkin-{eid}.png"),
            "image/png",
            &qr_png(&format!("checkin {code}")),
        ));
        Ok(Response::one(reply))
    }

    /// `checkin CODE`: a member checks in.
    pub(crate) fn checkin(&self, cx: &Ctx, code: &str) -> Result<Response, CmdError> {
        let code = normal(code);
        let bad = || CmdError::BadCode {
            given: code.chars().take(12).collect(),
        };
        if code.is_empty()
            || !code
                .bytes()
                .all(|b| ALPHABET.contains(&b) || b.is_ascii_digit())
        {
            return Err(bad());
        }
        let eid: String = self.trees.get(T::Codes, code.as_bytes())?.ok_or_else(bad)?;
        let ev = self.event(&eid)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if now > Self::checkin_closes(&ev) {
            return Err(CmdError::CheckinClosed { id: ev.id });
        }
        let (p, u) = (cx.actor.platform, cx.actor.user_id.clone());
        let name: String = cx
            .actor
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        let fresh = self.record_present(&ev.id, p, &[(u.clone(), name)], None)?;
        let lang = cx.lang;
        let title = Text::typed(&ev.title);
        let text = if fresh.is_empty() {
            tx!(
                lang,
                "You are already checked in at \"{title}\". Nothing changed.",
                "你已经在“{title}”签到过了。没有改动。",
                "Você já fez check-in em \"{title}\". Nada mudou.";
                title
            )
        } else {
            tx!(
                lang,
                "✅ Welcome to \"{title}\"! You are checked in; it counts as an event attended in `badges`.",
                "✅ 欢迎来到“{title}”！你已签到，这会计入 `badges` 中的活动参加次数。",
                "✅ Bem-vindo a \"{title}\"! Seu check-in foi feito; conta como evento frequentado em `selos`.";
                title
            )
        };
        Ok(Response::one(Reply::private(lang, text)))
    }

    /// `event present ID @member …`: the organizer marks people present.
    pub(crate) fn checkin_mark(
        &self,
        cx: &Ctx,
        id: &str,
        users: &[UserRef],
    ) -> Result<Response, CmdError> {
        let ev = self.event(id)?;
        self.may_change(cx, ev.platform, &ev.organizer, &ev.id)?;
        let now = self.now();
        if ev.cancelled {
            return Err(CmdError::EventCancelled { id: ev.id });
        }
        if now < ev.start - OPEN_BEFORE {
            return Err(CmdError::EventNotStarted { id: ev.id });
        }
        let platform = cx.actor.platform;
        let named: Vec<(String, String)> = users
            .iter()
            .map(|u| {
                let name = self
                    .trees
                    .get::<String>(T::People, &key(&[platform.name(), &u.0]))
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| u.0.clone());
                (u.0.clone(), name)
            })
            .collect();
        let fresh = self.record_present(&ev.id, platform, &named, Some(&cx.actor.user_id))?;
        let lang = cx.lang;
        let n = fresh.len();
        let mut reply = Reply::private(
            lang,
            tr!(
                lang,
                "Marked {n} member(s) present.",
                "已登记 {n} 位成员到场。",
                "{n} membro(s) marcado(s) como presente(s)."
            ),
        );
        let already: Vec<Text> = users
            .iter()
            .filter(|u| !fresh.contains(&u.0))
            .map(|u| Text::user(platform, &u.0))
            .collect();
        if !already.is_empty() {
            reply = reply.field(
                tr!(lang, "Already checked in", "已签到过", "Já tinham check-in"),
                Text::join(already, ", "),
            );
        }
        Ok(Response::one(reply))
    }

    /// Records the members present at the event, in one transaction; those not present
    /// before.
    fn record_present(
        &self,
        eid: &str,
        platform: Platform,
        people: &[(String, String)],
        by: Option<&str>,
    ) -> Result<Vec<String>, CmdError> {
        let now = self.now();
        self.trees.write(|tx| {
            if tx.get::<Event>(T::Events, eid.as_bytes())?.is_none() {
                return abort(CmdError::NotFound {
                    kind: Kind::Event,
                    id: eid.to_string(),
                });
            }
            let mut r: Roster = tx.get(T::Rsvps, eid.as_bytes())?.unwrap_or_default();
            let mut fresh = Vec::new();
            for (user, name) in people {
                if r.is_present(platform, user) || fresh.contains(user) {
                    continue;
                }
                r.present.push(Present {
                    platform,
                    user: user.clone(),
                    name: name.clone(),
                    at: now,
                    marked_by: by.map(str::to_string),
                });
                // Someone at the door is not waiting for a place any more.
                r.waitlist.retain(|a| !a.is(platform, user));
                tx.put(T::Attendance, &key(&[platform.name(), user, eid]), &now)?;
                fresh.push(user.clone());
            }
            tx.put(T::Rsvps, eid.as_bytes(), &r)?;
            Ok(fresh)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_unambiguous() {
        for i in 0..50 {
            let c = new_code("e1", 1_700_000_000, i);
            assert_eq!(c.len(), CODE_LEN);
            assert!(c.bytes().all(|b| ALPHABET.contains(&b)), "{c}");
        }
        assert_eq!(normal(" k7q-2xm "), "K7Q2XM");
    }

    #[test]
    fn the_qr_image_is_a_png_of_the_code() {
        let png = qr_png("checkin K7Q2XM");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().expect("a valid PNG");
        let info = reader.info();
        assert_eq!(info.width, info.height);
        // Version 1 (21 modules) plus the quiet zone, 8 pixels each.
        assert_eq!(info.width as usize % 8, 0);
        assert!(info.width >= (21 + 8) * 8);
    }
}
