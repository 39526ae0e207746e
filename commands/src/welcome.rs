//! The welcome: a direct message to a member who joins (what the bot answers, the growth
//! path and where they stand on it, the next events, buttons to pick a language and the user
//! group or city they belong to), a public line in the platform's welcome channel, and what
//! the member picks: the language the bot writes to them in, and their group (which can give
//! a platform role or user-group membership, on every linked account).

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::badges::CATALOG;
use crate::error::CmdError;
use crate::events::Event;
use crate::journey::Group;
use crate::link::Account;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::key;
use crate::{Commands, Ctx};

/// A member who joins again within a day (or whose join arrives twice) is welcomed once.
const WELCOME_AGAIN_AFTER: i64 = 86_400;
/// Group buttons shown at most.
const MAX_GROUP_BUTTONS: usize = 20;

/// What a member chose, per account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct MemberPrefs {
    /// The language code they picked.
    #[serde(default)]
    pub lang: Option<String>,
    /// The id of the group they picked.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub group_at: i64,
    /// When they were last welcomed.
    #[serde(default)]
    pub welcomed: Option<i64>,
}

fn prefs_key(a: &Account) -> Vec<u8> {
    key(&[a.platform.name(), &a.user])
}

fn lang_code(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

impl Commands {
    fn prefs(&self, a: &Account) -> MemberPrefs {
        self.trees
            .get::<MemberPrefs>(T::Members, &prefs_key(a))
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// The language the member picked, on this account or a linked one.
    pub(crate) fn chosen_lang(&self, platform: crate::Platform, user: &str) -> Option<Lang> {
        self.member_accounts(platform, user)
            .iter()
            .find_map(|a| self.prefs(a).lang.as_deref().and_then(lang_code))
    }

    /// The group the member picked last, on any of their accounts.
    pub(crate) fn member_group(
        &self,
        platform: crate::Platform,
        user: &str,
    ) -> Result<Option<Group>, CmdError> {
        let mut best: Option<(i64, Group)> = None;
        for a in self.member_accounts(platform, user) {
            let p = self.prefs(&a);
            if let Some(g) = p
                .group
                .as_deref()
                .and_then(|g| self.config.journey.group(g))
            {
                if best.as_ref().is_none_or(|(at, _)| p.group_at > *at) {
                    best = Some((p.group_at, g.clone()));
                }
            }
        }
        Ok(best.map(|(_, g)| g))
    }

    /// A member joined the community (Discord's GUILD_MEMBER_ADD, Slack's team_join, the
    /// terminal's `/join`): the welcome by direct message, and a line in the welcome channel.
    pub(crate) fn member_joined(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        // Only the terminal sees these two replies (a platform join has no conversation).
        if !self.config.journey.welcome.enabled {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "The welcome is off, so nobody who joins gets it. An operator turns it on with `enabled = true` under `[welcome]` in config.toml; `welcome` shows it to you now.",
                    "欢迎信息已关闭，新成员加入时不会收到。运维人员可以在 config.toml 的 `[welcome]` 下设置 `enabled = true` 打开它；`welcome` 现在就可以给你看。",
                    "As boas-vindas estão desligadas, então quem entra não as recebe. Um operador liga com `enabled = true` em `[welcome]` no config.toml; `boas-vindas` mostra para você agora."
                ),
            )));
        }
        let me = Account::new(cx.actor.platform, &cx.actor.user_id);
        let now = self.now();
        let first = self.trees.write(|tx| {
            let mut p: MemberPrefs = tx.get(T::Members, &prefs_key(&me))?.unwrap_or_default();
            if p.welcomed.is_some_and(|at| now - at < WELCOME_AGAIN_AFTER) {
                return Ok(false);
            }
            p.welcomed = Some(now);
            tx.put(T::Members, &prefs_key(&me), &p)?;
            Ok(true)
        })?;
        if !first {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "You were welcomed less than a day ago, so I did not send it again. Nothing changed. `welcome` shows it to you again.",
                    "你在一天之内已经收到过欢迎信息，所以没有再发。没有改动。`welcome` 可以再次查看。",
                    "Você recebeu as boas-vindas há menos de um dia, então não mandei de novo. Nada mudou. `boas-vindas` mostra de novo."
                ),
            )));
        }
        let dm = self.welcome_message(cx, lang)?.to(Destination::Direct {
            platform: me.platform,
            user: me.user.clone(),
        });
        let mut response = Response::one(dm);
        let places = self.config.journey.places(me.platform);
        if let Some(channel) = &places.welcome {
            let lang = places.language.unwrap_or(lang);
            let who = Text::user(me.platform, &me.user);
            let mut line = Reply::new(
                lang,
                tx!(
                    lang,
                    "👋 Please welcome {who} to the community!",
                    "👋 欢迎 {who} 加入社区！",
                    "👋 Deem as boas-vindas a {who} na comunidade!";
                    who
                ),
            )
            .to(Destination::Channel {
                platform: me.platform,
                channel: channel.clone(),
            });
            line.mention_users.push(me.user.clone());
            response = response.and(line);
        }
        Ok(response)
    }

    /// `welcome`: the welcome again, to pick a language or a group.
    pub(crate) fn welcome(&self, cx: &Ctx) -> Result<Response, CmdError> {
        Ok(Response::one(
            self.welcome_message(cx, cx.lang)?.to(Destination::Private),
        ))
    }

    fn welcome_message(&self, cx: &Ctx, lang: Lang) -> Result<Reply, CmdError> {
        let platform = cx.actor.platform;
        let user = cx.actor.user_id.as_str();
        let name = Text::typed(&cx.actor.name);
        let text = tx!(
            lang,
            "I am the community bot. Ask me anything about the community programs — AWS User Groups, Community Builders, Heroes, volunteering, Cloud Clubs — in English, 中文 or Português, and I answer with the source. When I cannot, the **Still need help?** button hands your question to people.",
            "我是社区机器人。可以用中文、English 或 Português 问我任何关于社区计划的问题——AWS 用户组、社区建设者、Hero、志愿者、云俱乐部——我会附上出处回答。我答不了的时候，**还需要帮助？**按钮会把你的问题转给真人。",
            "Eu sou o bot da comunidade. Pergunte o que quiser sobre os programas da comunidade — AWS User Groups, Community Builders, Heroes, voluntariado, Cloud Clubs — em Português, English ou 中文, e eu respondo com a fonte. Quando eu não souber, o botão **Ainda precisa de ajuda?** passa sua pergunta para pessoas."
        );
        let mut reply = Reply::new(lang, text).title(tx!(
            lang,
            "👋 Welcome to the community, {name}!",
            "👋 欢迎加入社区，{name}！",
            "👋 Boas-vindas à comunidade, {name}!";
            name
        ));
        // Where they stand on the growth path.
        let grants = self.grants(platform, user)?;
        let reached = grants
            .iter()
            .filter_map(|g| crate::badges::find(&g.badge)?.path)
            .max()
            .unwrap_or(0);
        let trail = Text::join(
            CATALOG.iter().filter(|b| b.path.is_some()).map(|b| {
                if b.path == Some(reached) {
                    Text::emphasis(b.name(lang))
                } else {
                    Text::plain(b.name(lang))
                }
            }),
            " → ",
        );
        let stand = trail.and(tx!(
            lang,
            "\n`next` tells you your next step.",
            "\n`next` 会告诉你下一步。",
            "\n`proximo` mostra seu próximo passo."
        ));
        reply = reply.field(
            tr!(
                lang,
                "Where you stand",
                "你在成长路径上的位置",
                "Onde você está na trilha"
            ),
            stand,
        );
        // The next events.
        let now = self.now();
        let mut events: Vec<Event> = self
            .trees
            .scan::<Event>(T::Events, b"")?
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| !e.cancelled && e.start >= now)
            .collect();
        events.sort_by_key(|e| e.start);
        let upcoming = if events.is_empty() {
            tx!(
                lang,
                "None announced yet; `events` lists them once they are.",
                "还没有发布的活动；发布后 `events` 会列出来。",
                "Nenhum anunciado ainda; `eventos` lista quando houver."
            )
        } else {
            Text::join(
                events.iter().take(3).map(|e| {
                    Text::code(&e.id)
                        .and(format!(" {} — ", self.moment(e.start, lang)))
                        .and(Text::typed(&e.title))
                }),
                "\n",
            )
        };
        reply = reply.field(
            tr!(lang, "Next events", "近期活动", "Próximos eventos"),
            upcoming,
        );
        reply = reply.field(
            tr!(lang, "Try", "试试", "Experimente"),
            tx!(
                lang,
                "`help` · `next` · `events` · `calendar programs` · `link` (one member on Discord and Slack)",
                "`help` · `next` · `events` · `calendar programs` · `link`（在 Discord 和 Slack 上是同一位成员）",
                "`ajuda` · `proximo` · `eventos` · `agenda programas` · `link` (um membro só no Discord e no Slack)"
            ),
        );
        for l in Lang::ALL {
            let label = match l {
                Lang::En => "English",
                Lang::Zh => "中文",
                Lang::Pt => "Português",
            };
            let style = if l == lang {
                ButtonStyle::Primary
            } else {
                ButtonStyle::Secondary
            };
            reply = reply.button(format!("lang:{}", l.code()), label, style);
        }
        let groups = &self.config.journey.groups;
        if !groups.is_empty() {
            let mine = self.member_group(platform, user)?;
            reply = reply.field(
                tr!(
                    lang,
                    "Your user group or city",
                    "你的用户组或城市",
                    "Seu user group ou cidade"
                ),
                match &mine {
                    Some(g) => Text::plain(g.name(lang)),
                    None => Text::plain(tr!(
                        lang,
                        "Pick yours below.",
                        "请在下方选择。",
                        "Escolha o seu abaixo."
                    )),
                },
            );
            for g in groups.iter().take(MAX_GROUP_BUTTONS) {
                let style = if mine.as_ref().is_some_and(|m| m.id == g.id) {
                    ButtonStyle::Success
                } else {
                    ButtonStyle::Secondary
                };
                reply = reply.button(format!("group:{}", g.id), g.name(lang), style);
            }
        }
        Ok(reply)
    }

    /// A language button: the bot writes to the member in it from now on.
    pub(crate) fn set_language(&self, cx: &Ctx, code: &str) -> Result<Response, CmdError> {
        let lang = lang_code(code).ok_or(CmdError::UnknownButton)?;
        let me = Account::new(cx.actor.platform, &cx.actor.user_id);
        self.trees.write(|tx| {
            let mut p: MemberPrefs = tx.get(T::Members, &prefs_key(&me))?.unwrap_or_default();
            p.lang = Some(lang.code().to_string());
            tx.put(T::Members, &prefs_key(&me), &p)
        })?;
        let note = tx!(
            lang,
            "From now on I write to you in English.",
            "从现在起我会用中文和你交流。",
            "De agora em diante eu escrevo para você em português."
        );
        let mut reply = self.welcome_message(cx, lang)?;
        reply.text = note.and("\n\n").and(reply.text);
        Ok(Response::one(reply.to(Destination::Private)))
    }

    /// A group button: the member belongs to that user group or city, and gets its role.
    pub(crate) fn pick_group(&self, cx: &Ctx, id: &str) -> Result<Response, CmdError> {
        let groups = &self.config.journey.groups;
        let Some(group) = self.config.journey.group(id) else {
            return Err(CmdError::UnknownGroup {
                given: id.chars().take(40).collect(),
                groups: groups
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let lang = cx.lang;
        let platform = cx.actor.platform;
        let me = Account::new(platform, &cx.actor.user_id);
        let name = group.name(lang).to_string();
        if self
            .member_group(platform, &me.user)?
            .is_some_and(|g| g.id == group.id)
        {
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "You are with {name} already. Nothing changed.",
                    "你已经在{name}了。没有改动。",
                    "Você já está em {name}. Nada mudou.";
                    name
                ),
            )));
        }
        let before = self.snapshot(std::slice::from_ref(&me))?;
        let now = self.now();
        self.trees.write(|tx| {
            let mut p: MemberPrefs = tx.get(T::Members, &prefs_key(&me))?.unwrap_or_default();
            p.group = Some(group.id.clone());
            p.group_at = now;
            tx.put(T::Members, &prefs_key(&me), &p)
        })?;
        let effects = self.sync(before)?;
        let mut text = tx!(
            lang,
            "📍 You are with {name} now.",
            "📍 你现在属于{name}。",
            "📍 Agora você está em {name}.";
            name
        );
        if group.roles.contains_key(&platform) {
            text.append(tr!(
                lang,
                " You get its role here too.",
                " 你也会获得它在这里的角色。",
                " Você também recebe o cargo dele aqui."
            ));
        }
        text.append(tx!(
            lang,
            " Another button changes it; `welcome` shows them again.",
            " 点其他按钮可以更换；`welcome` 会再次显示这些按钮。",
            " Outro botão muda; `boas-vindas` mostra os botões de novo."
        ));
        let mut response = Response::one(Reply::private(lang, text));
        response.effects = effects;
        Ok(response)
    }
}
