//! One member across platforms: `link` on one platform gives a short one-time code, bound to
//! the account that asked and good for ten minutes; `link CODE` sent from the member's
//! account on another platform links the two. From then on the member's badges, shifts and
//! audit lines are read across both accounts (each record stays with the account it was
//! made for, so `unlink` leaves each account what was its own), and the platform roles and
//! user groups badges and groups are mirrored to are kept the same on both.
//!
//! Other features that keep records per member (RSVPs, talks) ask
//! [`Commands::member_accounts`] for every account of a member.

use std::collections::BTreeSet;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::Platform;
use crate::error::CmdError;
use crate::reply::{Destination, Effect, Reply, Response};
use crate::spans::Text;
use crate::store::{abort, T};
use crate::text::key;
use crate::{Commands, Ctx};

/// How long a code is good for, in seconds.
pub const CODE_TTL: i64 = 600;
/// Characters of a code: no 0/O, 1/I/L, so it reads back without doubt.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 6;
/// Wrong codes an account may send in [`CODE_TTL`] before it has to wait.
const MAX_TRIES: usize = 5;
/// Codes are forgotten a day after they expire.
const KEEP_CODES: i64 = 86_400;

/// An account of a member on one platform.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Account {
    pub platform: Platform,
    pub user: String,
}

impl Account {
    pub fn new(platform: Platform, user: impl Into<String>) -> Self {
        Account {
            platform,
            user: user.into(),
        }
    }

    fn key(&self, kind: &str) -> Vec<u8> {
        key(&[kind, self.platform.name(), &self.user])
    }
}

/// A code handed out by `link`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LinkCode {
    /// The account that asked for it: the only one it links to.
    platform: Platform,
    user: String,
    created: i64,
    expires: i64,
    /// Who used it, and when; a code works once.
    #[serde(default)]
    used: Option<(Platform, String, i64)>,
}

/// Accounts that are one member.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct LinkGroup {
    accounts: Vec<Account>,
    /// When each account joined the group (same order).
    #[serde(default)]
    since: Vec<i64>,
}

/// Where codes come from: a keyed hash of a counter (the key is the process's random hasher
/// key), or a seeded sequence in tests.
pub(crate) struct CodeSource {
    state: Mutex<u64>,
    seeded: bool,
    hasher: std::collections::hash_map::RandomState,
}

impl CodeSource {
    pub(crate) fn random() -> Self {
        CodeSource {
            state: Mutex::new(0),
            seeded: false,
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    pub(crate) fn seeded(seed: u64) -> Self {
        CodeSource {
            state: Mutex::new(seed),
            seeded: true,
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    fn next(&self) -> u64 {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        if self.seeded {
            let mut x = *state;
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            x ^ (x >> 31)
        } else {
            let mut h = self.hasher.build_hasher();
            h.write_u64(*state);
            h.finish()
        }
    }

    fn code(&self) -> String {
        let mut n = self.next();
        (0..CODE_LEN)
            .map(|_| {
                let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
                n /= ALPHABET.len() as u64;
                c
            })
            .collect()
    }
}

/// A code as typed (`k7q 3f2`, `K7Q-3F2`) in its stored form, if it can be one.
pub(crate) fn normalize(given: &str) -> Option<String> {
    let code: String = given
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '_'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// `ABC234` as members read it: `ABC-234`.
fn shown(code: &str) -> String {
    format!("{}-{}", &code[..3], &code[3..])
}

/// What a badge or a group makes a front end mirror on an account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mirror {
    Badge(&'static str),
    Role(String),
}

/// What each account of some members is mirrored with, before a change.
pub(crate) struct Snapshot(Vec<(Account, BTreeSet<Mirror>)>);

impl Commands {
    /// Every account of the member `platform/user` is: that account first, then the ones
    /// linked to it.
    pub fn member_accounts(&self, platform: Platform, user: &str) -> Vec<Account> {
        let me = Account::new(platform, user);
        let mut out = vec![me.clone()];
        let group = self
            .trees
            .get::<String>(T::Links, &me.key("acct"))
            .ok()
            .flatten()
            .and_then(|g| {
                self.trees
                    .get::<LinkGroup>(T::Links, &key(&["group", &g]))
                    .ok()
                    .flatten()
            });
        if let Some(g) = group {
            out.extend(g.accounts.into_iter().filter(|a| *a != me));
        }
        out
    }

    /// Whether two accounts are the same member.
    pub fn same_member(&self, a: &Account, b: &Account) -> bool {
        a == b || self.member_accounts(a.platform, &a.user).contains(b)
    }

    /// What the accounts of the members of `accounts` are mirrored with now.
    pub(crate) fn snapshot(&self, accounts: &[Account]) -> Result<Snapshot, CmdError> {
        let mut all: Vec<Account> = Vec::new();
        for a in accounts {
            for b in self.member_accounts(a.platform, &a.user) {
                if !all.contains(&b) {
                    all.push(b);
                }
            }
        }
        all.into_iter()
            .map(|a| Ok((a.clone(), self.mirrored(&a)?)))
            .collect::<Result<_, CmdError>>()
            .map(Snapshot)
    }

    /// The platform changes that bring each account of `before` (and of the members they
    /// belong to now) from what it was mirrored with to what it should be now.
    pub(crate) fn sync(&self, before: Snapshot) -> Result<Vec<Effect>, CmdError> {
        let accounts: Vec<Account> = before.0.iter().map(|(a, _)| a.clone()).collect();
        let now = self.snapshot(&accounts)?;
        let mut effects = Vec::new();
        for (account, after) in &now.0 {
            let was = before
                .0
                .iter()
                .find(|(a, _)| a == account)
                .map(|(_, m)| m.clone())
                .unwrap_or_default();
            let (platform, user) = (account.platform, account.user.clone());
            for m in after.difference(&was) {
                effects.push(match m {
                    Mirror::Badge(badge) => Effect::BadgeGranted {
                        platform,
                        user: user.clone(),
                        badge,
                    },
                    Mirror::Role(role) => Effect::RoleGranted {
                        platform,
                        user: user.clone(),
                        role: role.clone(),
                    },
                });
            }
            for m in was.difference(after) {
                effects.push(match m {
                    Mirror::Badge(badge) => Effect::BadgeRevoked {
                        platform,
                        user: user.clone(),
                        badge,
                    },
                    Mirror::Role(role) => Effect::RoleRevoked {
                        platform,
                        user: user.clone(),
                        role: role.clone(),
                    },
                });
            }
        }
        Ok(effects)
    }

    /// The badges of the member `a` belongs to, and the role of their group on `a`'s
    /// platform.
    fn mirrored(&self, a: &Account) -> Result<BTreeSet<Mirror>, CmdError> {
        let mut out: BTreeSet<Mirror> = self
            .grants(a.platform, &a.user)?
            .iter()
            .filter_map(|g| crate::badges::find(&g.badge))
            .map(|b| Mirror::Badge(b.id))
            .collect();
        if let Some(group) = self.member_group(a.platform, &a.user)? {
            if let Some(role) = group.roles.get(&a.platform) {
                out.insert(Mirror::Role(role.clone()));
            }
        }
        Ok(out)
    }

    /// `link` (a new code) or `link CODE` (use one).
    pub(crate) fn link(&self, cx: &Ctx, code: Option<&str>) -> Result<Response, CmdError> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => self.link_code(cx),
            Some(c) => self.link_with(cx, c),
        }
    }

    fn link_code(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let me = Account::new(cx.actor.platform, &cx.actor.user_id);
        let now = self.now();
        let mut code = self.codes.code();
        for _ in 0..8 {
            if self
                .trees
                .get::<LinkCode>(T::Links, &key(&["code", &code]))?
                .is_none()
            {
                break;
            }
            code = self.codes.code();
        }
        // Codes long expired, oldest first, from the index by expiry (so this reads only
        // what it removes).
        let stale: Vec<(Vec<u8>, String)> =
            self.trees
                .scan_while::<String>(T::Links, &key(&["exp", ""]), |_, c| {
                    self.trees
                        .get::<LinkCode>(T::Links, &key(&["code", c]))
                        .ok()
                        .flatten()
                        .is_none_or(|c| c.expires + KEEP_CODES < now)
                })?;
        self.trees.write(|tx| {
            if tx
                .get::<LinkCode>(T::Links, &key(&["code", &code]))?
                .is_some()
            {
                return abort(CmdError::Store("no free link code".into()));
            }
            for (k, c) in &stale {
                tx.remove(T::Links, k)?;
                tx.remove(T::Links, &key(&["code", c]))?;
            }
            // One code per account at a time: a new one replaces the last.
            if let Some(old) = tx.get::<String>(T::Links, &me.key("pending"))? {
                if let Some(c) = tx.get::<LinkCode>(T::Links, &key(&["code", &old]))? {
                    if c.used.is_none() {
                        tx.remove(T::Links, &key(&["code", &old]))?;
                    }
                }
            }
            tx.put(
                T::Links,
                &key(&["code", &code]),
                &LinkCode {
                    platform: me.platform,
                    user: me.user.clone(),
                    created: now,
                    expires: now + CODE_TTL,
                    used: None,
                },
            )?;
            tx.put(
                T::Links,
                &key(&["exp", &format!("{:020}", now + CODE_TTL), &code]),
                &code,
            )?;
            tx.put(T::Links, &me.key("pending"), &code)
        })?;
        let lang = cx.lang;
        let until = self.moment(now + CODE_TTL, lang);
        let typed = format!("link {}", shown(&code));
        let mut reply = Reply::private(
            lang,
            tx!(
                lang,
                "Your link code is **{code}**. Within 10 minutes (until {until}), send `{typed}` to me from your account on the other platform (Discord or Slack). It works once, and links only to this account.",
                "你的关联代码是 **{code}**。请在 10 分钟内（{until} 之前）用你在另一个平台（Discord 或 Slack）的账号给我发送 `{typed}`。代码只能用一次，而且只会关联到这个账号。",
                "Seu código de vínculo é **{code}**. Em até 10 minutos (até {until}), envie `{typed}` para mim da sua conta na outra plataforma (Discord ou Slack). Ele funciona uma vez e só vincula a esta conta.";
                code = shown(&code), until, typed
            ),
        )
        .title(tr!(
            lang,
            "Link your accounts",
            "关联你的账号",
            "Vincule suas contas"
        ));
        let others = self.member_accounts(me.platform, &me.user);
        if others.len() > 1 {
            reply = reply.field(
                tr!(lang, "Linked now", "已关联", "Vinculadas agora"),
                accounts_text(&others[1..]),
            );
        }
        Ok(Response::one(reply))
    }

    fn link_with(&self, cx: &Ctx, given: &str) -> Result<Response, CmdError> {
        let me = Account::new(cx.actor.platform, &cx.actor.user_id);
        let now = self.now();
        let Some(code) = normalize(given) else {
            return Err(CmdError::BadLinkCode {
                given: given.chars().take(20).collect(),
            });
        };
        let tries: Vec<i64> = self
            .trees
            .get::<Vec<i64>>(T::Links, &me.key("tries"))?
            .unwrap_or_default()
            .into_iter()
            .filter(|t| *t > now - CODE_TTL)
            .collect();
        if tries.len() >= MAX_TRIES {
            return Err(CmdError::LinkTries {
                until: self.moment(tries[0] + CODE_TTL, cx.lang),
            });
        }
        let record = self
            .trees
            .get::<LinkCode>(T::Links, &key(&["code", &code]))?;
        let refusal = match &record {
            None => Some((true, CmdError::LinkCodeUnknown)),
            Some(c) if c.used.is_some() => {
                let at = c.used.as_ref().map_or(now, |u| u.2);
                Some((
                    false,
                    CmdError::LinkCodeUsed {
                        at: self.moment(at, cx.lang),
                    },
                ))
            }
            Some(c) if now >= c.expires => Some((
                false,
                CmdError::LinkCodeExpired {
                    at: self.moment(c.expires, cx.lang),
                },
            )),
            Some(c) if c.platform == me.platform && c.user == me.user => {
                Some((false, CmdError::LinkOwnCode))
            }
            Some(c) if c.platform == me.platform => Some((true, CmdError::LinkOtherAccount)),
            _ => None,
        };
        if let Some((count, e)) = refusal {
            if count {
                // A wrong guess counts towards the limit, so codes cannot be guessed.
                let mut tries = tries;
                tries.push(now);
                self.trees
                    .write(|tx| tx.put(T::Links, &me.key("tries"), &tries))?;
            }
            return Err(e);
        }
        let c = record.expect("refused above when missing");
        let requester = Account::new(c.platform, &c.user);
        let theirs = self.member_accounts(requester.platform, &requester.user);
        let mine = self.member_accounts(me.platform, &me.user);
        let lang = cx.lang;
        if theirs.contains(&me) {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "This account and {them} are linked already. Nothing changed.",
                    "这个账号和 {them} 已经关联了。没有改动。",
                    "Esta conta e {them} já estão vinculadas. Nada mudou.";
                    them = account_text(&requester)
                ),
            )));
        }
        if mine.len() > 1 {
            return Err(CmdError::LinkedElsewhere);
        }
        if let Some(taken) = theirs.iter().find(|a| a.platform == me.platform) {
            return Err(CmdError::LinkPlatformTaken {
                platform: taken.platform.name(),
            });
        }
        let before = self.snapshot(&[me.clone(), requester.clone()])?;
        self.trees.write(|tx| {
            let ck = key(&["code", &code]);
            let Some(mut c) = tx.get::<LinkCode>(T::Links, &ck)? else {
                return abort(CmdError::LinkCodeUnknown);
            };
            if c.used.is_some() {
                return abort(CmdError::LinkCodeUsed {
                    at: self.moment(now, lang),
                });
            }
            c.used = Some((me.platform, me.user.clone(), now));
            tx.put(T::Links, &ck, &c)?;
            tx.remove(T::Links, &requester.key("pending"))?;
            let (gid, mut group) = match tx.get::<String>(T::Links, &requester.key("acct"))? {
                Some(g) => {
                    let group = tx
                        .get::<LinkGroup>(T::Links, &key(&["group", &g]))?
                        .unwrap_or_default();
                    (g, group)
                }
                None => (
                    format!("m{}", tx.next("member")?),
                    LinkGroup {
                        accounts: vec![requester.clone()],
                        since: vec![now],
                    },
                ),
            };
            group.accounts.push(me.clone());
            group.since.push(now);
            tx.put(T::Links, &key(&["group", &gid]), &group)?;
            tx.put(T::Links, &requester.key("acct"), &gid)?;
            tx.put(T::Links, &me.key("acct"), &gid)
        })?;
        let effects = self.sync(before)?;
        let mut response = Response::one(
            Reply::private(
                lang,
                tx!(
                    lang,
                    "✅ Linked: this account and {them} are one member now. Badges, volunteer shifts and the audit log count both, and roles follow on both platforms. `unlink` undoes it.",
                    "✅ 已关联：这个账号和 {them} 现在是同一位成员。徽章、志愿服务和审计日志会合并计算，角色在两个平台上保持一致。`unlink` 可以解除关联。",
                    "✅ Vinculado: esta conta e {them} agora são um membro só. Selos, turnos de voluntariado e o registro de auditoria contam as duas, e os cargos acompanham nas duas plataformas. `unlink` desfaz.";
                    them = account_text(&requester)
                ),
            )
            .title(tr!(lang, "Accounts linked", "账号已关联", "Contas vinculadas")),
        );
        // The account that asked for the code hears of it there, in case it was not them.
        let theirs_lang = self.lang_of(&requester);
        let mut notice = Reply::new(
            theirs_lang,
            tx!(
                theirs_lang,
                "🔗 Your account is now linked with {me}, using the code you asked for. If that was not you, send `unlink` from there.",
                "🔗 你的账号已通过你申请的代码与 {me} 关联。如果不是你本人操作，请在那个账号上发送 `unlink`。",
                "🔗 Sua conta agora está vinculada a {me}, com o código que você pediu. Se não foi você, envie `unlink` de lá.";
                me = account_text(&me)
            ),
        )
        .to(Destination::Direct {
            platform: requester.platform,
            user: requester.user.clone(),
        });
        notice.mention_users.push(requester.user.clone());
        response = response.and(notice);
        response.effects = effects;
        Ok(response)
    }

    pub(crate) fn unlink(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let me = Account::new(cx.actor.platform, &cx.actor.user_id);
        let accounts = self.member_accounts(me.platform, &me.user);
        if accounts.len() < 2 {
            return Err(CmdError::NotLinked);
        }
        let before = self.snapshot(&accounts)?;
        self.trees.write(|tx| {
            let Some(gid) = tx.get::<String>(T::Links, &me.key("acct"))? else {
                return abort(CmdError::NotLinked);
            };
            let gk = key(&["group", &gid]);
            let mut group = tx.get::<LinkGroup>(T::Links, &gk)?.unwrap_or_default();
            if let Some(i) = group.accounts.iter().position(|a| *a == me) {
                group.accounts.remove(i);
                if i < group.since.len() {
                    group.since.remove(i);
                }
            }
            tx.remove(T::Links, &me.key("acct"))?;
            if group.accounts.len() < 2 {
                for a in &group.accounts {
                    tx.remove(T::Links, &a.key("acct"))?;
                }
                tx.remove(T::Links, &gk)
            } else {
                tx.put(T::Links, &gk, &group)
            }
        })?;
        let effects = self.sync(before)?;
        let lang = cx.lang;
        let others = accounts_text(&accounts[1..]);
        let mut response = Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "Unlinked: this account and {others} are separate members again. Each keeps the badges and shifts that were its own. `link` links them again.",
                "已解除关联：这个账号和 {others} 重新成为不同的成员。各自保留原本属于自己的徽章和志愿服务记录。`link` 可以重新关联。",
                "Desvinculado: esta conta e {others} voltam a ser membros separados. Cada uma fica com os selos e turnos que eram seus. `link` vincula de novo.";
                others
            ),
        ));
        response.effects = effects;
        Ok(response)
    }

    /// The language to write to an account in when it is not the one acting: the member's
    /// choice, else its platform's, else the fallback.
    pub(crate) fn lang_of(&self, a: &Account) -> Lang {
        self.chosen_lang(a.platform, &a.user)
            .or(self.config.journey.places(a.platform).language)
            .unwrap_or(self.kb.settings().fallback_lang)
    }
}

fn account_text(a: &Account) -> Text {
    Text::user(a.platform, &a.user).and(format!(" ({})", platform_label(a.platform)))
}

fn accounts_text(accounts: &[Account]) -> Text {
    Text::join(accounts.iter().map(account_text), ", ")
}

fn platform_label(p: Platform) -> &'static str {
    match p {
        Platform::Discord => "Discord",
        Platform::Slack => "Slack",
        Platform::Terminal => "terminal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_typed() {
        assert_eq!(normalize("k7q-3f2").as_deref(), Some("K7Q3F2"));
        assert_eq!(normalize(" K7Q 3F2 ").as_deref(), Some("K7Q3F2"));
        assert_eq!(normalize("K7Q3F"), None, "too short");
        assert_eq!(normalize("K7Q3F0"), None, "no zero");
        assert_eq!(shown("K7Q3F2"), "K7Q-3F2");
    }

    #[test]
    fn seeded_codes_repeat_and_use_the_alphabet() {
        let seed = 17;
        println!("seed {seed}");
        let (a, b) = (CodeSource::seeded(seed), CodeSource::seeded(seed));
        let codes: Vec<String> = (0..50).map(|_| a.code()).collect();
        assert_eq!(codes, (0..50).map(|_| b.code()).collect::<Vec<_>>());
        let distinct: BTreeSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
        for c in &codes {
            assert!(normalize(c).is_some(), "{c}");
        }
        let random = CodeSource::random();
        assert_ne!(random.code(), random.code());
    }
}
