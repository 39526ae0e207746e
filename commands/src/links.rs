//! Private links to the bot's web side: one-time dashboard sign-in links (the `dashboard`
//! command), the dashboard sessions they open, and members' personal calendar feeds (the
//! `calendar` command).
//!
//! A token is a random selector, which finds its record, and a random 128-bit secret, which
//! is kept only as its SHA-256 hash and compared in constant time. A sign-in link is good
//! for ten minutes and once; redeeming it opens a session in the same transaction. Nothing
//! here speaks HTTP: the `bot` crate's web server calls these functions.

use knowledge::Lang;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::actor::{Actor, Platform};
use crate::error::CmdError;
use crate::reply::{Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::key;
use crate::{Commands, Ctx};

/// How long a sign-in link is good for.
pub const SIGN_IN_SECS: i64 = 600;
/// How long a dashboard session lasts.
pub const SESSION_SECS: i64 = 12 * 3600;
const SELECTOR_BYTES: usize = 8;
const SECRET_BYTES: usize = 16;
/// A token's length as text: the selector and the secret, in hex.
pub const TOKEN_CHARS: usize = 2 * (SELECTOR_BYTES + SECRET_BYTES);

/// The person a link or a session stands for, as the front end knew them when they asked
/// for it: enough to run commands as them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    pub platform: Platform,
    pub user_id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub platform_admin: bool,
}

impl Who {
    pub fn of(actor: &Actor) -> Who {
        Who {
            platform: actor.platform,
            user_id: actor.user_id.clone(),
            name: actor.name.clone(),
            roles: actor.roles.clone(),
            platform_admin: actor.platform_admin,
        }
    }

    /// The actor commands run as, in `lang`.
    pub fn actor(&self, lang: Option<Lang>) -> Actor {
        Actor::new(self.platform, self.user_id.clone(), self.name.clone())
            .with_roles(self.roles.clone())
            .with_platform_admin(self.platform_admin)
            .with_locale(lang)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    SignIn,
    Session,
    Feed,
}

/// One stored token.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Link {
    kind: Kind,
    /// SHA-256 of the secret, hex.
    hash: String,
    who: Who,
    created: i64,
    expires: Option<i64>,
    used: bool,
    /// Sessions: the token every form of the session carries.
    csrf: Option<String>,
}

/// An open dashboard session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub who: Who,
    pub csrf: String,
    pub expires: i64,
}

/// Why a link or a session was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("no such link")]
    Invalid,
    #[error("the link has expired")]
    Expired,
    #[error("the link was used already")]
    Used,
}

impl LinkError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LinkError::Invalid => tr!(
                lang,
                "This sign-in link is not valid. Ask the bot for a new one with `dashboard`.",
                "这个登录链接无效。请用 `dashboard` 向机器人要一个新的。",
                "Este link de acesso não é válido. Peça um novo ao bot com `painel`."
            ),
            LinkError::Expired => tr!(
                lang,
                "This sign-in link has expired (links last 10 minutes). Ask the bot for a new one with `dashboard`.",
                "这个登录链接已过期（链接有效期 10 分钟）。请用 `dashboard` 要一个新的。",
                "Este link de acesso expirou (vale 10 minutos). Peça um novo ao bot com `painel`."
            ),
            LinkError::Used => tr!(
                lang,
                "This sign-in link was used already; each link works once. Ask the bot for a new one with `dashboard`.",
                "这个登录链接已经用过了；每个链接只能用一次。请用 `dashboard` 要一个新的。",
                "Este link de acesso já foi usado; cada link funciona uma vez. Peça um novo ao bot com `painel`."
            ),
        }
    }
}

/// Random bytes from the operating system.
fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the operating system's random numbers");
    bytes
}

fn digest(secret: &[u8]) -> String {
    hex::encode(Sha256::digest(secret))
}

/// Whether two strings are equal, taking the same time wherever they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A fresh token: its text, its selector and the hash of its secret.
fn fresh() -> (String, String, String) {
    let selector = hex::encode(random::<SELECTOR_BYTES>());
    let secret = random::<SECRET_BYTES>();
    (
        format!("{selector}{}", hex::encode(secret)),
        selector,
        digest(&secret),
    )
}

/// A fresh random token for a form (CSRF).
pub fn form_token() -> String {
    hex::encode(random::<SECRET_BYTES>())
}

/// The selector and the hash of the secret of a well-formed token.
fn split(token: &str) -> Option<(&str, String)> {
    if token.len() != TOKEN_CHARS || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (selector, secret) = token.split_at(2 * SELECTOR_BYTES);
    let secret = hex::decode(secret).ok()?;
    Some((selector, digest(&secret)))
}

impl Commands {
    /// The start of the links the bot hands out, when the web server runs.
    fn base_url(&self) -> Result<String, CmdError> {
        self.config
            .public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_string())
            .ok_or(CmdError::WebOff)
    }

    /// The stored token `token` names, of `kind`, checked in constant time.
    fn stored_link(&self, token: &str, kind: Kind) -> Result<(String, Link), LinkError> {
        let (selector, hash) = split(token).ok_or(LinkError::Invalid)?;
        let link: Link = self
            .trees
            .get(T::Tokens, selector.as_bytes())
            .ok()
            .flatten()
            .ok_or(LinkError::Invalid)?;
        if !same(&link.hash, &hash) || link.kind != kind {
            return Err(LinkError::Invalid);
        }
        Ok((selector.to_string(), link))
    }

    /// Removes links and sessions past their time (a few per member; cheap to scan).
    fn prune_links(&self) -> Result<(), CmdError> {
        let now = self.now();
        let stale: Vec<Vec<u8>> = self
            .trees
            .scan::<Link>(T::Tokens, b"")?
            .into_iter()
            .filter(|(_, l)| l.expires.is_some_and(|e| e < now - SIGN_IN_SECS))
            .map(|(k, _)| k)
            .collect();
        if !stale.is_empty() {
            self.trees.write_lazily(|tx| {
                for k in &stale {
                    tx.remove(T::Tokens, k)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// The reply carrying a private link: in the terminal, to the person at it; elsewhere
    /// by direct message (a typed command in a channel is answered in the channel), with a
    /// note in the conversation saying where it went.
    fn private_link(&self, cx: &Ctx, text: Text) -> Response {
        let lang = cx.lang;
        let actor = cx.actor;
        if actor.platform == Platform::Terminal {
            return Response::one(Reply::private(lang, text));
        }
        let note = Reply::private(
            lang,
            tr!(
                lang,
                "I sent you the link in a direct message.",
                "我已通过私信把链接发给你。",
                "Enviei o link por mensagem direta."
            ),
        );
        Response::one(note).and(Reply::new(lang, text).to(Destination::Direct {
            platform: actor.platform,
            user: actor.user_id.clone(),
        }))
    }

    /// `dashboard`: a one-time sign-in link, good for ten minutes.
    pub(crate) fn dashboard_link(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let base = self.base_url()?;
        self.prune_links()?;
        let (token, selector, hash) = fresh();
        let now = self.now();
        let link = Link {
            kind: Kind::SignIn,
            hash,
            who: Who::of(cx.actor),
            created: now,
            expires: Some(now + SIGN_IN_SECS),
            used: false,
            csrf: None,
        };
        self.trees
            .write(|tx| tx.put(T::Tokens, selector.as_bytes(), &link))?;
        let url = format!("{base}/dashboard/signin/{token}");
        let lang = cx.lang;
        let link = Text::link_or_typed(&url);
        let text = tx!(
            lang,
            "Your sign-in link for the dashboard: {link}\nIt works once, for the next 10 minutes. Do not share it: it signs in as you.",
            "你的控制台登录链接：{link}\n只能用一次，10 分钟内有效。请勿分享：它会以你的身份登录。",
            "Seu link de acesso ao painel: {link}\nFunciona uma vez, nos próximos 10 minutos. Não compartilhe: ele entra como você.";
            link
        );
        Ok(self.private_link(cx, text))
    }

    /// `calendar`: a personal feed link (a new one replaces the old with `reset`).
    pub(crate) fn calendar_link(&self, cx: &Ctx, reset: bool) -> Result<Response, CmdError> {
        let base = self.base_url()?;
        let me = cx.actor;
        let lang = cx.lang;
        let owner = key(&[me.platform.name(), &me.user_id]);
        let existing: Option<String> = self.trees.get(T::Feeds, &owner)?;
        if let (Some(old), false) = (&existing, reset) {
            let since = self
                .trees
                .get::<Link>(T::Tokens, old.as_bytes())?
                .map_or_else(|| "?".to_string(), |l| self.day(l.created, lang));
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "You already have a personal calendar link (since {since}). I keep only its fingerprint, so I cannot show it again: `calendar reset` makes a new one, and the old one stops working.",
                    "你已经有个人日历链接（自 {since} 起）。我只保存它的指纹，无法再次显示：`calendar reset` 会生成新链接，旧链接随即失效。",
                    "Você já tem um link de agenda pessoal (desde {since}). Guardo só a impressão digital dele, então não posso mostrá-lo de novo: `calendario redefinir` cria um novo, e o antigo deixa de funcionar.";
                    since
                ),
            )));
        }
        let (token, selector, hash) = fresh();
        let link = Link {
            kind: Kind::Feed,
            hash,
            who: Who::of(me),
            created: self.now(),
            expires: None,
            used: false,
            csrf: None,
        };
        self.trees.write(|tx| {
            if let Some(old) = tx.get::<String>(T::Feeds, &owner)? {
                tx.remove(T::Tokens, old.as_bytes())?;
            }
            tx.put(T::Tokens, selector.as_bytes(), &link)?;
            tx.put(T::Feeds, &owner, &selector)
        })?;
        let url = format!("{base}/me/{token}.ics");
        let link = Text::link_or_typed(&url);
        let mut text = if existing.is_some() {
            tx!(
                lang,
                "Your old calendar link no longer works. ",
                "你的旧日历链接已失效。",
                "Seu link de agenda antigo não funciona mais. "
            )
        } else {
            Text::new()
        };
        text.append(tx!(
            lang,
            "Your personal calendar, with the volunteer shifts you signed up for: {link}\nAdd it to your calendar app as a subscription (by URL). Keep it private; `calendar reset` replaces it.",
            "你的个人日历（包含你报名的志愿者班次）：{link}\n在日历应用中以“通过网址订阅”添加。请勿公开；`calendar reset` 可以更换它。",
            "Sua agenda pessoal, com os turnos de voluntariado em que você se inscreveu: {link}\nAdicione no seu app de agenda como assinatura (por URL). Mantenha em sigilo; `calendario redefinir` troca o link.";
            link
        ));
        Ok(self.private_link(cx, text))
    }

    /// Whether a sign-in link is still good, without using it (the page that asks the
    /// visitor to press "Sign in").
    pub fn check_sign_in(&self, token: &str) -> Result<Who, LinkError> {
        let (_, link) = self.stored_link(token, Kind::SignIn)?;
        if link.used {
            return Err(LinkError::Used);
        }
        if link.expires.is_some_and(|e| self.now() > e) {
            return Err(LinkError::Expired);
        }
        Ok(link.who)
    }

    /// Uses a sign-in link: once, within its time. Returns the new session's token.
    pub fn sign_in(&self, token: &str) -> Result<(String, Session), LinkError> {
        let (selector, _) = self.stored_link(token, Kind::SignIn)?;
        let now = self.now();
        let (session_token, session_selector, session_hash) = fresh();
        let csrf = form_token();
        let outcome = self.trees.write(|tx| {
            let Some(mut link) = tx.get::<Link>(T::Tokens, selector.as_bytes())? else {
                return Ok(Err(LinkError::Invalid));
            };
            if link.used {
                return Ok(Err(LinkError::Used));
            }
            if link.expires.is_some_and(|e| now > e) {
                return Ok(Err(LinkError::Expired));
            }
            link.used = true;
            tx.put(T::Tokens, selector.as_bytes(), &link)?;
            let session = Link {
                kind: Kind::Session,
                hash: session_hash.clone(),
                who: link.who.clone(),
                created: now,
                expires: Some(now + SESSION_SECS),
                used: false,
                csrf: Some(csrf.clone()),
            };
            tx.put(T::Tokens, session_selector.as_bytes(), &session)?;
            Ok(Ok(link.who))
        });
        match outcome {
            Ok(Ok(who)) => Ok((
                session_token,
                Session {
                    who,
                    csrf,
                    expires: now + SESSION_SECS,
                },
            )),
            Ok(Err(e)) => Err(e),
            Err(e) => {
                tracing::error!("signing in: {e}");
                Err(LinkError::Invalid)
            }
        }
    }

    /// The session a session token names, while it lasts.
    pub fn session(&self, token: &str) -> Option<Session> {
        let (_, link) = self.stored_link(token, Kind::Session).ok()?;
        let expires = link.expires?;
        if self.now() > expires {
            return None;
        }
        Some(Session {
            who: link.who,
            csrf: link.csrf?,
            expires,
        })
    }

    /// Ends a session.
    pub fn sign_out(&self, token: &str) {
        if let Ok((selector, _)) = self.stored_link(token, Kind::Session) {
            if let Err(e) = self
                .trees
                .write(|tx| tx.remove(T::Tokens, selector.as_bytes()))
            {
                tracing::warn!("signing out: {e}");
            }
        }
    }

    /// Whose personal feed a feed token is.
    pub fn feed_owner(&self, token: &str) -> Option<Who> {
        self.stored_link(token, Kind::Feed).ok().map(|(_, l)| l.who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_checked_whole() {
        let (a, sel, hash) = fresh();
        let (b, _, _) = fresh();
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_CHARS);
        let (s, h) = split(&a).unwrap();
        assert_eq!((s, h.as_str()), (sel.as_str(), hash.as_str()));
        assert!(split(&a[1..]).is_none());
        assert!(split(&format!("{}g", &a[1..])).is_none());
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
