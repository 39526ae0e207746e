//! Role badges: the catalog along the community growth path, grants and revocations by
//! admins, the audit log, and each member's next step.

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::Level;
use crate::error::CmdError;
use crate::link::Account;
use crate::reply::{ButtonStyle, Reply, Response};
use crate::spans::Text;
use crate::store::{Tx, TxResult, T};
use crate::text::{clean, fold, key, UserRef};
use crate::{Commands, Ctx};

/// A badge of the catalog.
#[derive(Debug)]
pub struct Badge {
    /// The id used in commands, buttons and configuration (`community-builder`).
    pub id: &'static str,
    names: [&'static str; 3],
    /// Other ways people write it, folded (lowercase, no spaces or accents).
    aliases: &'static [&'static str],
    /// Position on the growth path; `None` for roles beside the path.
    pub path: Option<u8>,
    /// Whether the badge carries a category (Hero does).
    pub has_categories: bool,
    /// What to ask the knowledge base to explain how to earn it (a test checks that each
    /// finds the badge's own document).
    pub how_to: [&'static str; 3],
}

impl Badge {
    pub fn name(&self, lang: Lang) -> &'static str {
        self.names[lang as usize]
    }
}

/// A Hero category.
#[derive(Debug)]
pub struct Category {
    pub id: &'static str,
    names: [&'static str; 3],
    aliases: &'static [&'static str],
}

impl Category {
    pub fn name(&self, lang: Lang) -> &'static str {
        self.names[lang as usize]
    }
}

/// The catalog, in growth-path order, then the roles beside the path.
pub const CATALOG: [Badge; 9] = [
    Badge {
        id: "member",
        names: ["Member", "成员", "Membro"],
        aliases: &["membro", "成员", "会员", "membre"],
        path: Some(0),
        has_categories: false,
        how_to: [
            "Who are the members of the AWS User Group?",
            "如何加入用户组？",
            "Quem são os membros do AWS User Group?",
        ],
    },
    Badge {
        id: "volunteer",
        names: ["Volunteer", "志愿者", "Voluntário"],
        aliases: &["voluntario", "voluntaria", "志愿者", "义工"],
        path: Some(1),
        has_categories: false,
        how_to: [
            "What are the requirements to become a volunteer?",
            "成为志愿者有什么要求？",
            "Quais são os requisitos para ser voluntário?",
        ],
    },
    Badge {
        id: "speaker",
        names: ["Speaker", "讲师", "Palestrante"],
        aliases: &[
            "palestrante",
            "讲师",
            "演讲者",
            "技术专家演讲者",
            "speakers",
        ],
        path: Some(2),
        has_categories: false,
        how_to: [
            "What are a speaker's responsibilities?",
            "技术专家演讲者（Speaker）的职责是什么？",
            "Quais são as responsabilidades do palestrante?",
        ],
    },
    Badge {
        id: "track-owner",
        names: ["Track Owner", "技术出品人", "Track Owner"],
        aliases: &["trackowner", "技术出品人", "出品人", "donodetrilha", "to"],
        path: Some(3),
        has_categories: false,
        how_to: [
            "Who can be a track owner?",
            "谁可以成为技术出品人？",
            "Quem pode ser curador técnico?",
        ],
    },
    Badge {
        id: "user-group-leader",
        names: ["User Group Leader", "用户组负责人", "Líder de User Group"],
        aliases: &[
            "usergroupleader",
            "ugl",
            "leader",
            "lider",
            "liderdeusergroup",
            "liderdeug",
            "用户组负责人",
            "用户组领袖",
            "organizer",
            "organizador",
        ],
        path: Some(4),
        has_categories: false,
        how_to: [
            "What are the requirements to be a city organizer?",
            "成为城市组织者有什么要求？",
            "Quais são os requisitos para ser organizador de cidade?",
        ],
    },
    Badge {
        id: "community-builder",
        names: ["Community Builder", "社区建设者", "Community Builder"],
        aliases: &[
            "communitybuilder",
            "cb",
            "builder",
            "社区建设者",
            "awscommunitybuilder",
        ],
        path: Some(5),
        has_categories: false,
        how_to: [
            "How do I apply to become a Community Builder?",
            "如何申请成为社区建设者？",
            "Como ser Community Builder?",
        ],
    },
    Badge {
        id: "hero",
        names: ["AWS Hero", "亚马逊云科技 Hero", "AWS Hero"],
        aliases: &[
            "hero",
            "awshero",
            "heroes",
            "英雄",
            "亚马逊云科技hero",
            "heroi",
        ],
        path: Some(6),
        has_categories: true,
        how_to: [
            "How do I become an AWS Hero?",
            "如何成为 Hero？",
            "Como me torno um AWS Hero?",
        ],
    },
    Badge {
        id: "cloud-captain",
        names: ["Cloud Captain", "云队长", "Cloud Captain"],
        aliases: &[
            "cloudcaptain",
            "captain",
            "云队长",
            "capitao",
            "cloudclubcaptain",
        ],
        path: None,
        has_categories: false,
        how_to: [
            "What are AWS Cloud Captains?",
            "什么是云队长？",
            "O que são os AWS Cloud Captains?",
        ],
    },
    Badge {
        id: "ambassador",
        names: ["AWS Ambassador", "亚马逊云科技大使", "AWS Ambassador"],
        aliases: &[
            "ambassador",
            "awsambassador",
            "大使",
            "embaixador",
            "embaixadora",
        ],
        path: None,
        has_categories: false,
        how_to: [
            "What are AWS Ambassadors?",
            "什么是亚马逊云科技大使？",
            "O que é o programa AWS Ambassadors?",
        ],
    },
];

/// The seven Hero categories.
pub const HERO_CATEGORIES: [Category; 7] = [
    Category {
        id: "community",
        names: ["Community", "社区", "Community"],
        aliases: &["社区", "comunidade"],
    },
    Category {
        id: "container",
        names: ["Container", "容器", "Container"],
        aliases: &["containers", "容器"],
    },
    Category {
        id: "machine-learning",
        names: ["Machine Learning", "机器学习", "Machine Learning"],
        aliases: &[
            "machinelearning",
            "ml",
            "ai",
            "机器学习",
            "aprendizadodemaquina",
        ],
    },
    Category {
        id: "serverless",
        names: ["Serverless", "无服务器", "Serverless"],
        aliases: &["无服务器"],
    },
    Category {
        id: "data",
        names: ["Data", "数据", "Data"],
        aliases: &["数据", "dados"],
    },
    Category {
        id: "security",
        names: ["Security", "安全", "Security"],
        aliases: &["安全", "seguranca"],
    },
    Category {
        id: "devtools",
        names: ["DevTools", "开发工具", "DevTools"],
        aliases: &["devtool", "developertools", "开发工具"],
    },
];

/// The badge with this id.
pub fn find(id: &str) -> Option<&'static Badge> {
    CATALOG.iter().find(|b| b.id == id)
}

fn category(id: &str) -> Option<&'static Category> {
    HERO_CATEGORIES.iter().find(|c| c.id == id)
}

/// Looks a name up among ids, names and aliases, ignoring case, spaces and accents.
fn lookup<'a, I: Copy>(
    given: &str,
    entries: impl Iterator<Item = (I, &'a str, Vec<&'a str>)> + Clone,
) -> Result<I, Option<I>> {
    let want = fold(given);
    if want.is_empty() {
        return Err(None);
    }
    for (item, id, names) in entries.clone() {
        if fold(id) == want || names.iter().any(|n| fold(n) == want) {
            return Ok(item);
        }
    }
    let mut best: Option<(f64, I)> = None;
    for (item, id, names) in entries {
        for n in std::iter::once(id).chain(names) {
            let score = strsim::normalized_damerau_levenshtein(&want, &fold(n));
            if score >= 0.6 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, item));
            }
        }
    }
    Err(best.map(|(_, item)| item))
}

/// The badge a user meant by `given`.
pub fn resolve(given: &str) -> Result<&'static Badge, CmdError> {
    lookup(
        given,
        CATALOG.iter().map(|b| {
            let names: Vec<&str> = b.names.iter().chain(b.aliases).copied().collect();
            (b, b.id, names)
        }),
    )
    .map_err(|suggestion| CmdError::UnknownBadge {
        given: given.to_string(),
        suggestion: suggestion.map(|b| b.id),
    })
}

/// The Hero category a user meant by `given`.
pub fn resolve_category(given: &str) -> Result<&'static Category, CmdError> {
    lookup(
        given,
        HERO_CATEGORIES.iter().map(|c| {
            let names: Vec<&str> = c.names.iter().chain(c.aliases).copied().collect();
            (c, c.id, names)
        }),
    )
    .map_err(|suggestion| CmdError::UnknownCategory {
        given: given.to_string(),
        suggestion: suggestion.map(|c| c.id),
    })
}

/// Splits the words after `badge grant @user` into badge, category and note: the longest
/// run of words naming a badge, then a category when the badge has them, then the note.
pub fn split_grant(
    words: &[String],
) -> Result<(&'static Badge, Option<String>, Option<String>), CmdError> {
    let mut found = None;
    for n in (1..=words.len().min(4)).rev() {
        if let Ok(b) = resolve(&words[..n].join(" ")) {
            found = Some((b, n));
            break;
        }
    }
    let Some((badge, used)) = found else {
        let first = words.first().map(String::as_str).unwrap_or("");
        return Err(resolve(first).err().unwrap_or(CmdError::UnknownBadge {
            given: first.to_string(),
            suggestion: None,
        }));
    };
    let mut rest = &words[used..];
    let mut category = None;
    if badge.has_categories && !rest.is_empty() {
        // The longest run naming a category ("machine learning", "aprendizado de máquina"),
        // else the next word (which then gets its "did you mean").
        let n = (1..=rest.len().min(4))
            .rev()
            .find(|&n| exact_category(&rest[..n].join(" ")).is_some())
            .unwrap_or(1);
        category = Some(rest[..n].join(" "));
        rest = &rest[n..];
    }
    let note = (!rest.is_empty()).then(|| rest.join(" "));
    Ok((badge, category, note))
}

/// The category `given` names exactly (ignoring case, spaces and accents).
fn exact_category(given: &str) -> Option<&'static Category> {
    let want = fold(given);
    HERO_CATEGORIES
        .iter()
        .find(|c| fold(c.id) == want || c.names.iter().chain(c.aliases).any(|n| fold(n) == want))
}

/// A badge a member holds.
///
/// Records written before Heroes could hold several categories have only `category`; they
/// still load, and [`Grant::categories`] reads either form. New records keep `category` as
/// the first of `categories`, so an older reader still sees one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grant {
    pub badge: String,
    pub category: Option<String>,
    pub note: Option<String>,
    pub by: String,
    pub at: i64,
    /// Every category held (Hero), in the order granted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl Grant {
    /// The categories held, whichever form the record has.
    pub fn categories(&self) -> Vec<String> {
        if self.categories.is_empty() {
            self.category.iter().cloned().collect()
        } else {
            self.categories.clone()
        }
    }

    fn set_categories(&mut self, categories: Vec<String>) {
        self.category = categories.first().cloned();
        self.categories = categories;
    }
}

/// Categories in catalog order.
fn ordered(mut categories: Vec<String>) -> Vec<String> {
    categories.sort_by_key(|c| HERO_CATEGORIES.iter().position(|x| x.id == c));
    categories.dedup();
    categories
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub platform: String,
    pub actor: String,
    pub target: String,
    /// `grant` or `revoke`.
    pub action: String,
    pub badge: String,
    pub category: Option<String>,
    pub note: Option<String>,
}

/// Writes one line of the audit log, in the transaction that makes the change.
#[allow(clippy::too_many_arguments)]
fn audit(
    tx: &Tx,
    at: i64,
    cx: &Ctx,
    target: &UserRef,
    action: &str,
    badge: &Badge,
    category: Option<&str>,
    note: Option<&str>,
) -> TxResult<()> {
    let seq = tx.next("audit")?;
    let entry = AuditEntry {
        at,
        platform: cx.actor.platform.name().to_string(),
        actor: cx.actor.user_id.clone(),
        target: target.0.clone(),
        action: action.to_string(),
        badge: badge.id.to_string(),
        category: category.map(str::to_string),
        note: note.map(str::to_string),
    };
    tx.put(T::Audit, &seq.to_be_bytes(), &entry)
}

/// The longest note kept with a grant.
const MAX_NOTE: usize = 500;
/// The most audit lines one request shows.
pub const MAX_AUDIT: usize = 200;

impl Commands {
    /// The badges a member holds, in catalog order, across their linked accounts: one per
    /// badge, with every category held and the earliest date.
    pub(crate) fn grants(
        &self,
        platform: crate::Platform,
        user: &str,
    ) -> Result<Vec<Grant>, CmdError> {
        let mut grants: Vec<Grant> = Vec::new();
        for a in self.member_accounts(platform, user) {
            for (_, g) in self
                .trees
                .scan::<Grant>(T::Badges, &key(&[a.platform.name(), &a.user, ""]))?
            {
                match grants.iter_mut().find(|x| x.badge == g.badge) {
                    Some(x) => {
                        let mut all = x.categories();
                        all.extend(g.categories());
                        x.set_categories(ordered(all));
                        if g.at < x.at {
                            x.at = g.at;
                        }
                    }
                    None => {
                        let mut g = g.clone();
                        g.set_categories(ordered(g.categories()));
                        grants.push(g);
                    }
                }
            }
        }
        grants.sort_by_key(|g: &Grant| CATALOG.iter().position(|b| b.id == g.badge));
        Ok(grants)
    }

    /// Every record of `badge` among the accounts of a member: its key and the grant.
    fn records(
        &self,
        tx: &Tx,
        accounts: &[Account],
        badge: &str,
    ) -> TxResult<Vec<(Vec<u8>, Grant)>> {
        let mut out = Vec::new();
        for a in accounts {
            let k = key(&[a.platform.name(), &a.user, badge]);
            if let Some(g) = tx.get::<Grant>(T::Badges, &k)? {
                out.push((k, g));
            }
        }
        Ok(out)
    }

    pub(crate) fn badge_grant(
        &self,
        cx: &Ctx,
        user: &UserRef,
        badge: &str,
        category: Option<&str>,
        note: Option<&str>,
    ) -> Result<Response, CmdError> {
        let badge = resolve(badge)?;
        let category = match (category, badge.has_categories) {
            (Some(c), true) => Some(resolve_category(c)?.id),
            (Some(_), false) => return Err(CmdError::NoCategories { badge: badge.id }),
            (None, true) => {
                return Err(CmdError::MissingField { field: "category" });
            }
            (None, false) => None,
        };
        let note = note
            .map(|n| clean(n, "note", MAX_NOTE))
            .transpose()?
            .filter(|n| !n.is_empty());
        let platform = cx.actor.platform;
        let accounts = self.member_accounts(platform, &user.0);
        let before = self.snapshot(&accounts[..1])?;
        let k = key(&[platform.name(), &user.0, badge.id]);
        let now = self.now();
        // The grant the member held already, when it is this one.
        let held: Option<Grant> = self.trees.write(|tx| {
            let records = self.records(tx, &accounts, badge.id)?;
            if let Some((_, g)) = records.iter().find(|(_, g)| match category {
                Some(c) => g.categories().iter().any(|x| x == c),
                None => true,
            }) {
                return Ok(Some(g.clone()));
            }
            let mut grant = tx.get::<Grant>(T::Badges, &k)?.unwrap_or(Grant {
                badge: badge.id.to_string(),
                category: None,
                note: None,
                by: cx.actor.user_id.clone(),
                at: now,
                categories: Vec::new(),
            });
            if let Some(c) = category {
                let mut all = grant.categories();
                all.push(c.to_string());
                grant.set_categories(all);
            }
            if note.is_some() {
                grant.note = note.clone();
            }
            grant.by = cx.actor.user_id.clone();
            tx.put(T::Badges, &k, &grant)?;
            audit(tx, now, cx, user, "grant", badge, category, note.as_deref())?;
            Ok(None)
        })?;
        let lang = cx.lang;
        let who = Text::user(platform, &user.0);
        let name = badge_label(badge, category, lang);
        if let Some(b) = held {
            let since = self.day(b.at, lang);
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "{who} already holds {name} (since {since}). Nothing changed.",
                    "{who} 已经拥有{name}徽章（自 {since} 起）。没有改动。",
                    "{who} já tem o selo {name} (desde {since}). Nada mudou.";
                    who, name, since
                ),
            )));
        }
        let mut reply = Reply::new(
            lang,
            tx!(
                lang,
                "🏅 {who} now holds the {name} badge.",
                "🏅 {who} 获得了{name}徽章。",
                "🏅 {who} agora tem o selo {name}.";
                who, name
            ),
        );
        reply.mention_users.push(user.0.clone());
        if badge.has_categories {
            let all = self
                .grants(platform, &user.0)?
                .into_iter()
                .find(|g| g.badge == badge.id)
                .map(|g| g.categories())
                .unwrap_or_default();
            if all.len() > 1 {
                reply = reply.field(
                    tr!(lang, "Hero categories", "Hero 类别", "Categorias de Hero"),
                    category_names(&all, lang),
                );
            }
        }
        if let Some(n) = &note {
            reply = reply.field(crate::error::field_name("note", lang), Text::typed(n));
        }
        let mut response = Response::one(reply);
        response.effects = self.sync(before)?;
        Ok(response)
    }

    pub(crate) fn badge_revoke(
        &self,
        cx: &Ctx,
        user: &UserRef,
        badge: &str,
        category: Option<&str>,
    ) -> Result<Response, CmdError> {
        let badge = resolve(badge)?;
        let category = match (category, badge.has_categories) {
            (Some(c), true) => Some(resolve_category(c)?.id),
            (Some(_), false) => return Err(CmdError::NoCategories { badge: badge.id }),
            (None, _) => None,
        };
        let platform = cx.actor.platform;
        let accounts = self.member_accounts(platform, &user.0);
        let before = self.snapshot(&accounts[..1])?;
        let now = self.now();
        /// What a revocation came to.
        enum Revoked {
            NotHeld,
            /// The badge is held, in other categories than the one named.
            OtherCategories(Vec<String>),
            Done,
        }
        let outcome = self.trees.write(|tx| {
            let records = self.records(tx, &accounts, badge.id)?;
            if records.is_empty() {
                return Ok(Revoked::NotHeld);
            }
            let held = ordered(records.iter().flat_map(|(_, g)| g.categories()).collect());
            let take: Vec<String> = match category {
                Some(c) if !held.iter().any(|h| h == c) => {
                    return Ok(Revoked::OtherCategories(held))
                }
                Some(c) => vec![c.to_string()],
                None if held.len() > 1 => {
                    return crate::store::abort(CmdError::WhichCategory {
                        held: held.iter().filter_map(|h| category_id(h)).collect(),
                    })
                }
                None => held.clone(),
            };
            for (k, g) in &records {
                let left: Vec<String> = g
                    .categories()
                    .into_iter()
                    .filter(|c| !take.contains(c))
                    .collect();
                if left.is_empty() {
                    tx.remove(T::Badges, k)?;
                } else if left.len() != g.categories().len() {
                    let mut g = g.clone();
                    g.set_categories(left);
                    tx.put(T::Badges, k, &g)?;
                }
            }
            if take.is_empty() {
                audit(tx, now, cx, user, "revoke", badge, None, None)?;
            }
            // One audit line per category taken back.
            for c in &take {
                audit(tx, now, cx, user, "revoke", badge, Some(c), None)?;
            }
            Ok(Revoked::Done)
        })?;
        let lang = cx.lang;
        let who = Text::user(platform, &user.0);
        let name = badge_label(badge, category, lang);
        match outcome {
            Revoked::NotHeld => {
                return Ok(Response::one(Reply::private(
                    lang,
                    tx!(
                        lang,
                        "{who} does not hold {name}. Nothing changed.",
                        "{who} 没有{name}徽章。没有改动。",
                        "{who} não tem o selo {name}. Nada mudou.";
                        who, name
                    ),
                )))
            }
            Revoked::OtherCategories(held) => {
                let list = category_names(&held, lang);
                return Ok(Response::one(Reply::private(
                    lang,
                    tx!(
                        lang,
                        "{who} does not hold {name}; their Hero categories are {list}. Nothing changed.",
                        "{who} 没有{name}徽章；对方的 Hero 类别是：{list}。没有改动。",
                        "{who} não tem o selo {name}; as categorias de Hero são {list}. Nada mudou.";
                        who, name, list
                    ),
                )));
            }
            Revoked::Done => {}
        }
        let mut reply = Reply::private(
            lang,
            tx!(
                lang,
                "{who} no longer holds the {name} badge.",
                "已收回 {who} 的{name}徽章。",
                "{who} não tem mais o selo {name}.";
                who, name
            ),
        );
        if let Some(left) = self
            .grants(platform, &user.0)?
            .into_iter()
            .find(|g| g.badge == badge.id)
        {
            reply = reply.field(
                tr!(
                    lang,
                    "Hero categories still held",
                    "仍持有的 Hero 类别",
                    "Categorias de Hero mantidas"
                ),
                category_names(&left.categories(), lang),
            );
        }
        let mut response = Response::one(reply);
        response.effects = self.sync(before)?;
        Ok(response)
    }

    pub(crate) fn badge_list(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let path: Vec<&str> = CATALOG
            .iter()
            .filter(|b| b.path.is_some())
            .map(|b| b.name(lang))
            .collect();
        let beside: Vec<&str> = CATALOG
            .iter()
            .filter(|b| b.path.is_none())
            .map(|b| b.name(lang))
            .collect();
        let categories = HERO_CATEGORIES.iter().map(|c| {
            Text::plain(format!("{} (", c.name(lang)))
                .and(Text::code(c.id))
                .and(")")
        });
        let ids = CATALOG.iter().map(|b| Text::code(b.id));
        let reply = Reply::new(lang, path.join(" → "))
            .title(tr!(lang, "Badges", "徽章", "Selos"))
            .field(
                tr!(lang, "Beside the path", "成长路径之外", "Fora da trilha"),
                beside.join(", "),
            )
            .field(
                tr!(lang, "Hero categories", "Hero 类别", "Categorias de Hero"),
                Text::join(categories, ", "),
            )
            .field(
                tr!(
                    lang,
                    "Ids for commands",
                    "命令中使用的编号",
                    "Ids para comandos"
                ),
                Text::join(ids, " "),
            );
        Ok(Response::one(reply))
    }

    pub(crate) fn badges_of(&self, cx: &Ctx, user: Option<&UserRef>) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let platform = cx.actor.platform;
        let target = user.map_or(cx.actor.user_id.as_str(), |u| u.0.as_str());
        let grants = self.grants(platform, target)?;
        let shifts = self.shifts(platform, target)?;
        let who = Text::user(platform, target);
        let mut lines: Vec<Text> = grants
            .iter()
            .filter_map(|g| {
                let b = find(&g.badge)?;
                let since = self.day(g.at, lang);
                let cats = g.categories();
                let label = if cats.is_empty() {
                    b.name(lang).to_string()
                } else {
                    format!("{} ({})", b.name(lang), category_names(&cats, lang))
                };
                Some(Text::plain(format!(
                    "🏅 {label} — {}",
                    tr!(lang, "since {since}", "自 {since} 起", "desde {since}")
                )))
            })
            .collect();
        if lines.is_empty() {
            lines.push(tx!(
                lang,
                "No badges yet. `next` shows the first step.",
                "还没有徽章。`next` 会告诉你第一步。",
                "Nenhum selo ainda. `proximo` mostra o primeiro passo."
            ));
        }
        let mut reply = Reply::new(lang, Text::join(lines, "\n")).title(tx!(
            lang,
            "Badges of {who}",
            "{who} 的徽章",
            "Selos de {who}";
            who = &who
        ));
        reply = reply.field(
            tr!(
                lang,
                "Volunteer shifts completed",
                "已完成的志愿服务",
                "Turnos de voluntariado concluídos"
            ),
            shifts.to_string(),
        );
        reply = self.speaker_suggestion(cx, reply, platform, target)?;
        let has_volunteer = grants.iter().any(|g| g.badge == "volunteer");
        if cx.level == Level::Admin && !has_volunteer && shifts >= self.config.volunteer_badge_after
        {
            reply = reply
                .field(
                    tr!(lang, "Suggestion", "建议", "Sugestão"),
                    tx!(
                        lang,
                        "{who} has {shifts} completed shifts and no Volunteer badge yet.",
                        "{who} 已完成 {shifts} 次志愿服务，还没有志愿者徽章。",
                        "{who} tem {shifts} turnos concluídos e ainda não tem o selo Voluntário.";
                        who = &who, shifts
                    ),
                )
                .button(
                    format!("grant:volunteer:{target}"),
                    tr!(
                        lang,
                        "Grant Volunteer",
                        "授予志愿者徽章",
                        "Dar selo Voluntário"
                    ),
                    ButtonStyle::Success,
                );
        }
        Ok(Response::one(reply))
    }

    pub(crate) fn next_step(&self, cx: &Ctx, user: Option<&UserRef>) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let platform = cx.actor.platform;
        let target = user.map_or(cx.actor.user_id.as_str(), |u| u.0.as_str());
        let grants = self.grants(platform, target)?;
        let reached = grants
            .iter()
            .filter_map(|g| find(&g.badge)?.path)
            .max()
            .unwrap_or(0);
        let path: Vec<&Badge> = CATALOG.iter().filter(|b| b.path.is_some()).collect();
        let trail = || {
            Text::join(
                path.iter().map(|b| {
                    if b.path == Some(reached) {
                        Text::emphasis(b.name(lang))
                    } else {
                        Text::plain(b.name(lang))
                    }
                }),
                " → ",
            )
        };
        let Some(next) = path.iter().find(|b| b.path == Some(reached + 1)) else {
            let text = tr!(
                lang,
                "You have reached the end of the growth path: AWS Hero. Thank you for all you give the community! Mentoring the next Volunteers and Speakers is the way on from here.",
                "你已经走到成长路径的终点：亚马逊云科技 Hero。感谢你为社区付出的一切！接下来可以去指导新的志愿者和讲师。",
                "Você chegou ao fim da trilha de crescimento: AWS Hero. Obrigado por tudo o que você dá à comunidade! Daqui em diante, o caminho é orientar os próximos voluntários e palestrantes."
            );
            return Ok(Response::one(
                Reply::private(lang, text)
                    .field(tr!(lang, "Growth path", "成长路径", "Trilha"), trail()),
            ));
        };
        let name = next.name(lang);
        let current = path[reached as usize].name(lang);
        let answer = self.kb.ask(next.how_to[lang as usize])?;
        let mut text = tx!(
            lang,
            "You are at {current}. Your next step: **{name}**.",
            "你现在是{current}。下一步：**{name}**。",
            "Você está em {current}. Seu próximo passo: **{name}**.";
            current, name
        );
        if answer.answered() {
            text.append(format!("\n\n{}", answer.text));
        }
        let mut reply = Reply::private(lang, text)
            .title(tr!(
                lang,
                "Your next step",
                "你的下一步",
                "Seu próximo passo"
            ))
            .field(tr!(lang, "Growth path", "成长路径", "Trilha"), trail());
        reply.citations = answer.sources();
        Ok(Response::one(reply))
    }

    pub(crate) fn audit(
        &self,
        cx: &Ctx,
        user: Option<&UserRef>,
        limit: usize,
    ) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let platform = cx.actor.platform;
        let accounts = user.map(|u| self.member_accounts(platform, &u.0));
        let entries: Vec<AuditEntry> = self.trees.last(T::Audit, limit, |e: &AuditEntry| {
            match &accounts {
                // A member's lines from every account of theirs, on any platform.
                Some(accounts) => accounts
                    .iter()
                    .any(|a| a.platform.name() == e.platform && a.user == e.target),
                None => e.platform == platform.name(),
            }
        })?;
        let lines: Vec<Text> = entries
            .iter()
            .map(|e| {
                let when = self.moment(e.at, lang);
                let on = crate::Platform::parse(&e.platform).unwrap_or(platform);
                let by = Text::user(on, &e.actor);
                let whom = Text::user(on, &e.target);
                let badge = find(&e.badge).map_or(e.badge.clone(), |b| {
                    badge_label(b, e.category.as_deref(), lang)
                });
                let what = match e.action.as_str() {
                    "grant" => tr!(lang, "granted", "授予", "concedeu"),
                    _ => tr!(lang, "revoked", "收回", "revogou"),
                };
                let mut line = match lang {
                    Lang::Zh => Text::template(
                        "{when} {by} {what} {whom}：{badge}",
                        &[
                            ("when", when.into()),
                            ("by", by),
                            ("what", what.into()),
                            ("whom", whom),
                            ("badge", badge.into()),
                        ],
                    ),
                    _ => Text::template(
                        "{when} {by} {what} {badge} → {whom}",
                        &[
                            ("when", when.into()),
                            ("by", by),
                            ("what", what.into()),
                            ("whom", whom),
                            ("badge", badge.into()),
                        ],
                    ),
                };
                if let Some(n) = &e.note {
                    line = line.and(" — \"").and(Text::typed(n)).and("\"");
                }
                line
            })
            .collect();
        let text = match (lines.is_empty(), user) {
            (true, Some(u)) => {
                let who = Text::user(platform, &u.0);
                tx!(
                    lang,
                    "No badge was ever granted to or taken from {who}, so there is nothing to show. `badges {who}` shows what they hold; `audit` without a member shows the whole log.",
                    "从来没有人授予或收回过 {who} 的徽章，所以没有记录。`badges {who}` 可以查看对方拥有的徽章；不带成员的 `audit` 会显示完整日志。",
                    "Nenhum selo foi concedido a {who} ou revogado, então não há o que mostrar. `selos {who}` mostra o que a pessoa tem; `audit` sem membro mostra o registro inteiro.";
                    who
                )
            }
            (true, None) => tx!(
                lang,
                "The audit log is empty: no badge was granted or revoked yet. `badge grant @member BADGE` grants one.",
                "审计日志为空：还没有授予或收回过任何徽章。`badge grant @成员 徽章` 可以授予徽章。",
                "O registro de auditoria está vazio: nenhum selo foi concedido ou revogado ainda. `badge grant @membro SELO` concede um."
            ),
            (false, _) => Text::join(lines, "\n"),
        };
        Ok(Response::one(Reply::private(lang, text).title(tr!(
            lang,
            "Audit log",
            "审计日志",
            "Registro de auditoria"
        ))))
    }
}

/// "Serverless, Machine Learning".
fn category_names(ids: &[String], lang: Lang) -> String {
    ids.iter()
        .map(|id| category(id).map_or(id.as_str(), |c| c.name(lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The catalog's id for a stored category id.
fn category_id(id: &str) -> Option<&'static str> {
    category(id).map(|c| c.id)
}

/// "AWS Hero (Serverless)".
pub fn badge_label(badge: &Badge, category: Option<&str>, lang: Lang) -> String {
    match category.and_then(self::category) {
        Some(c) => format!("{} ({})", badge.name(lang), c.name(lang)),
        None => badge.name(lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn names_aliases_and_typos_resolve() {
        assert_eq!(
            resolve("Community Builder").unwrap().id,
            "community-builder"
        );
        assert_eq!(resolve("cb").unwrap().id, "community-builder");
        assert_eq!(resolve("社区建设者").unwrap().id, "community-builder");
        assert_eq!(
            resolve("Líder de User Group").unwrap().id,
            "user-group-leader"
        );
        assert_eq!(resolve("track_owner").unwrap().id, "track-owner");
        match resolve("heroo") {
            Err(CmdError::UnknownBadge { suggestion, .. }) => assert_eq!(suggestion, Some("hero")),
            other => panic!("{other:?}"),
        }
        match resolve("astronaut") {
            Err(CmdError::UnknownBadge { suggestion, .. }) => assert_eq!(suggestion, None),
            other => panic!("{other:?}"),
        }
        assert_eq!(resolve_category("ML").unwrap().id, "machine-learning");
        assert_eq!(resolve_category("segurança").unwrap().id, "security");
    }

    #[test]
    fn grant_words_split_into_badge_category_and_note() {
        let (b, c, n) = split_grant(&words("hero serverless for the Lambda workshops")).unwrap();
        assert_eq!(
            (b.id, c.as_deref(), n.as_deref()),
            ("hero", Some("serverless"), Some("for the Lambda workshops"))
        );
        let (b, c, n) = split_grant(&words("user group leader")).unwrap();
        assert_eq!((b.id, c, n), ("user-group-leader", None, None));
        let (b, _, n) = split_grant(&words("community builder since 2024")).unwrap();
        assert_eq!(
            (b.id, n.as_deref()),
            ("community-builder", Some("since 2024"))
        );
        assert!(split_grant(&words("wizard")).is_err());
    }

    #[test]
    fn the_growth_path_is_in_order() {
        let path: Vec<&str> = CATALOG
            .iter()
            .filter(|b| b.path.is_some())
            .map(|b| b.id)
            .collect();
        assert_eq!(
            path,
            [
                "member",
                "volunteer",
                "speaker",
                "track-owner",
                "user-group-leader",
                "community-builder",
                "hero"
            ]
        );
        for (i, b) in CATALOG.iter().filter(|b| b.path.is_some()).enumerate() {
            assert_eq!(b.path, Some(i as u8));
        }
    }
}
