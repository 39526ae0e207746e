//! "Still need help?": every answer and every decline carries a button that hands the
//! question to people. Pressing it posts the question and the bot's answer in the platform's
//! help-desk channel, mentioning its helper roles, in a thread the member is added to. What
//! helpers write in that thread is kept with the question, so `kb gaps` shows it as handed
//! over with the helpers' answer beside it, for an admin to turn into knowledge. A member may
//! hand over a few questions a day (`[handoff] per_day`).

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::Platform;
use crate::asking::QuestionStat;
use crate::error::{CmdError, Kind};
use crate::link::Account;
use crate::reply::{ButtonStyle, Destination, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::key;
use crate::{Commands, Ctx, PostRef};

/// The post key prefix of hand-off threads.
const POST_KEY: &str = "handoff:";
/// The longest helper answer kept, and how many are kept per question.
const MAX_ANSWER: usize = 1000;
const MAX_ANSWERS: usize = 20;
const DAY: i64 = 86_400;

/// A question handed to people.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Handoff {
    pub id: String,
    /// The question's id in the question statistics.
    pub qid: String,
    pub question: String,
    /// What the bot answered (or how it declined).
    pub answer: String,
    pub bot_answered: bool,
    pub lang: String,
    pub platform: Platform,
    pub user: String,
    pub name: String,
    pub at: i64,
    /// What people wrote in its thread, oldest first.
    #[serde(default)]
    pub helpers: Vec<HelperAnswer>,
}

/// A message a helper wrote in a hand-off thread.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HelperAnswer {
    pub platform: Platform,
    pub user: String,
    pub name: String,
    pub text: String,
    pub at: i64,
}

fn lang_code(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

impl Commands {
    /// Whether questions can be handed to people on `platform`: hand-off is on, and the
    /// platform has a help desk (the terminal always shows where it would go).
    fn handoff_here(&self, platform: Platform) -> Option<String> {
        let j = &self.config.journey;
        if !j.handoff.enabled {
            return None;
        }
        match (&j.places(platform).help_desk, platform) {
            (Some(c), _) => Some(c.clone()),
            (None, Platform::Terminal) => Some("help-desk".into()),
            (None, _) => None,
        }
    }

    /// Adds the "Still need help?" button to the answer to (or the decline of) `question`.
    pub(crate) fn offer_handoff(
        &self,
        cx: &Ctx,
        mut response: Response,
        question: &str,
    ) -> Response {
        if self.handoff_here(cx.actor.platform).is_none() {
            return response;
        }
        let Some(reply) = response.replies.first_mut() else {
            return response;
        };
        if reply.answer.is_none() || reply.error.is_some() {
            return response;
        }
        // Only questions the statistics know (not greetings) can be handed over.
        let qid = crate::asking::question_id(question);
        let known = self
            .trees
            .get::<QuestionStat>(T::Questions, qid.as_bytes())
            .ok()
            .flatten()
            .is_some();
        if !known {
            return response;
        }
        let lang = reply.lang;
        reply.buttons.push(crate::reply::Button {
            id: format!("handoff:{qid}"),
            label: tr!(
                lang,
                "🙋 Still need help? Ask a person",
                "🙋 还需要帮助？转给真人",
                "🙋 Ainda precisa de ajuda? Falar com uma pessoa"
            ),
            style: ButtonStyle::Primary,
        });
        response
    }

    /// The hand-off button: the question and the bot's answer to the help desk.
    pub(crate) fn handoff(&self, cx: &Ctx, qid: &str) -> Result<Response, CmdError> {
        let platform = cx.actor.platform;
        let Some(channel) = self.handoff_here(platform) else {
            return Err(CmdError::HandoffUnavailable);
        };
        let Some(stat) = self
            .trees
            .get::<QuestionStat>(T::Questions, qid.as_bytes())?
        else {
            return Err(CmdError::NotFound {
                kind: Kind::Question,
                id: qid.chars().take(20).collect(),
            });
        };
        let qlang = lang_code(&stat.lang).unwrap_or(cx.lang);
        let lang = cx
            .actor
            .locale
            .or_else(|| self.chosen_lang(platform, &cx.actor.user_id))
            .unwrap_or(qlang);
        let accounts = self.member_accounts(platform, &cx.actor.user_id);
        let mine = |h: &Handoff| accounts.contains(&Account::new(h.platform, &h.user));
        if let Some(h) = self.handoffs_of(qid)?.into_iter().find(|h| mine(h)) {
            let (id, when) = (h.id.clone(), self.moment(h.at, lang));
            return Ok(Response::one(Reply::private(
                lang,
                tx!(
                    lang,
                    "You handed this question to the helpers already ({id}, {when}); they answer in its thread in the help desk. Nothing changed.",
                    "你已经把这个问题转给了帮助者（{id}，{when}）；他们会在服务台的对应话题里回答。没有改动。",
                    "Você já passou esta pergunta para os ajudantes ({id}, {when}); eles respondem na conversa dela no canal de ajuda. Nada mudou.";
                    id, when
                ),
            )));
        }
        let now = self.now();
        let mut recent: Vec<i64> = Vec::new();
        for a in &accounts {
            for (k, _) in self
                .trees
                .scan::<String>(T::Handoffs, &key(&["by", a.platform.name(), &a.user, ""]))?
            {
                let at = String::from_utf8_lossy(&k)
                    .rsplit('\u{1f}')
                    .nth(1)
                    .and_then(|s| s.parse::<i64>().ok())
                    .unwrap_or(0);
                if at > now - DAY {
                    recent.push(at);
                }
            }
        }
        recent.sort_unstable();
        let per_day = self.config.journey.handoff.per_day.max(1) as usize;
        if recent.len() >= per_day {
            return Err(CmdError::HandoffLimit {
                per_day: per_day as u32,
                until: self.moment(recent[recent.len() - per_day] + DAY, lang),
            });
        }
        let answer = self.kb.ask(&stat.text)?;
        let me = Account::new(platform, &cx.actor.user_id);
        let handoff = self.trees.write(|tx| {
            let id = format!("h{}", tx.next("handoff")?);
            let h = Handoff {
                id: id.clone(),
                qid: qid.to_string(),
                question: stat.text.clone(),
                answer: answer.text.clone(),
                bot_answered: answer.answered(),
                lang: stat.lang.clone(),
                platform,
                user: me.user.clone(),
                name: cx.actor.name.clone(),
                at: now,
                helpers: Vec::new(),
            };
            tx.put(T::Handoffs, &key(&["h", &id]), &h)?;
            tx.put(T::Handoffs, &key(&["q", qid, &id]), &now)?;
            tx.put(
                T::Handoffs,
                &key(&["by", platform.name(), &me.user, &format!("{now:020}"), &id]),
                &id,
            )?;
            Ok(h)
        })?;
        let places = self.config.journey.places(platform);
        let post_lang = places.language.unwrap_or(qlang);
        let who = Text::user(platform, &me.user);
        let roles = Text::join(
            places.helper_roles.iter().map(|r| Text::role(platform, r)),
            " ",
        );
        let id = handoff.id.clone();
        let intro = if roles.is_empty() {
            tx!(
                post_lang,
                "🙋 {who} still needs help with a question ({id}). Please answer in this thread.",
                "🙋 {who} 的问题还需要帮助（{id}）。请在这个话题里回答。",
                "🙋 {who} ainda precisa de ajuda com uma pergunta ({id}). Responda nesta conversa, por favor.";
                who = &who, id = &id
            )
        } else {
            tx!(
                post_lang,
                "🙋 {roles}: {who} still needs help with a question ({id}). Please answer in this thread.",
                "🙋 {roles}：{who} 的问题还需要帮助（{id}）。请在这个话题里回答。",
                "🙋 {roles}: {who} ainda precisa de ajuda com uma pergunta ({id}). Responda nesta conversa, por favor.";
                roles, who = &who, id = &id
            )
        };
        let bot_said = if handoff.bot_answered {
            Text::plain(clip(&handoff.answer, MAX_ANSWER))
        } else {
            Text::plain(tr!(
                post_lang,
                "I could not answer it: ",
                "我没能回答：",
                "Não consegui responder: "
            ))
            .and(clip(&handoff.answer, MAX_ANSWER))
        };
        let mut root = Reply::new(post_lang, intro)
            .title(tr!(
                post_lang,
                "Question for a person",
                "需要真人回答的问题",
                "Pergunta para uma pessoa"
            ))
            .field(
                tr!(post_lang, "Question", "问题", "Pergunta"),
                Text::typed(&handoff.question),
            )
            .field(
                tr!(
                    post_lang,
                    "The bot's answer",
                    "机器人的回答",
                    "A resposta do bot"
                ),
                bot_said,
            )
            .to(Destination::Thread {
                platform,
                channel,
                name: clip(handoff.question.trim(), 90),
                members: vec![me.user.clone()],
            });
        root.citations = answer.sources();
        root.mention_roles = places.helper_roles.clone();
        root.post_key = Some(format!("{POST_KEY}{id}"));
        let mut inside = Reply::new(
            post_lang,
            tx!(
                post_lang,
                "{who}, this thread is yours: the helpers answer you here. Helpers: what you write here is kept with the question, so the knowledge base can learn it.",
                "{who}，这个话题是你的：帮助者会在这里回答你。帮助者：你在这里写的内容会和问题一起保存，用来完善知识库。",
                "{who}, esta conversa é sua: os ajudantes respondem aqui. Ajudantes: o que vocês escrevem aqui fica guardado com a pergunta, para a base de conhecimento aprender.";
                who = &who
            ),
        )
        .to(Destination::InThread {
            key: format!("{POST_KEY}{id}"),
        });
        inside.mention_users.push(me.user.clone());
        let confirm = Reply::private(
            lang,
            tx!(
                lang,
                "🙋 I handed your question to the helpers in the help desk, with my answer ({id}). You are in its thread: they answer you there.",
                "🙋 我已经把你的问题和我的回答转给了服务台的帮助者（{id}）。你已被加入对应的话题，他们会在那里回答你。",
                "🙋 Passei sua pergunta para os ajudantes no canal de ajuda, com a minha resposta ({id}). Você está na conversa dela: eles respondem lá.";
                id
            ),
        );
        Ok(Response::one(confirm).and(root).and(inside))
    }

    /// Every hand-off of a question, oldest first.
    pub(crate) fn handoffs_of(&self, qid: &str) -> Result<Vec<Handoff>, CmdError> {
        let mut out = Vec::new();
        for (k, _) in self.trees.scan::<i64>(T::Handoffs, &key(&["q", qid, ""]))? {
            let id = String::from_utf8_lossy(&k)
                .rsplit('\u{1f}')
                .next()
                .unwrap_or("")
                .to_string();
            if let Some(h) = self.trees.get::<Handoff>(T::Handoffs, &key(&["h", &id]))? {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// The ids of every question handed over.
    pub(crate) fn handed_over(&self) -> Result<std::collections::BTreeSet<String>, CmdError> {
        Ok(self
            .trees
            .scan::<i64>(T::Handoffs, &key(&["q", ""]))?
            .into_iter()
            .filter_map(|(k, _)| {
                String::from_utf8_lossy(&k)
                    .split('\u{1f}')
                    .nth(1)
                    .map(str::to_string)
            })
            .collect())
    }

    /// What `kb gaps` says of a handed-over question: who handed it over, and what the
    /// helpers answered.
    pub(crate) fn handoff_note(&self, qid: &str, lang: Lang) -> Result<Option<Text>, CmdError> {
        let handoffs = self.handoffs_of(qid)?;
        if handoffs.is_empty() {
            return Ok(None);
        }
        let mut lines = Vec::new();
        for h in &handoffs {
            let (id, who) = (h.id.clone(), Text::user(h.platform, &h.user));
            let mut line = tx!(
                lang,
                "  🙋 handed over ({id}) by {who}",
                "  🙋 已转给真人（{id}），提问者 {who}",
                "  🙋 passada para pessoas ({id}) por {who}";
                id, who
            );
            if h.helpers.is_empty() {
                line.append(tr!(
                    lang,
                    " — no answer yet",
                    " —— 还没有人回答",
                    " — ainda sem resposta"
                ));
            }
            lines.push(line);
            for a in &h.helpers {
                let helper = Text::user(a.platform, &a.user);
                lines.push(
                    tx!(
                        lang,
                        "    answered by {helper}: \"",
                        "    {helper} 的回答：“",
                        "    respondida por {helper}: \"";
                        helper
                    )
                    .and(Text::typed(&a.text))
                    .and(if lang == Lang::Zh { "”" } else { "\"" }),
                );
            }
        }
        Ok(Some(Text::join(lines, "\n")))
    }

    /// Remembers a thread a front end opened for a reply with a post key, so that what is
    /// written in it comes back ([`Commands::thread_key`]).
    pub fn record_thread(
        &self,
        post_key: &str,
        platform: Platform,
        post: &PostRef,
    ) -> Result<(), CmdError> {
        self.record_post(post_key, platform, post)?;
        let k = key(&["thread", platform.name(), &post.channel, &post.message]);
        self.trees
            .write(|tx| tx.put(T::Handoffs, &k, &post_key.to_string()))
    }

    /// The post key of the thread the bot opened at `channel`/`message` on `platform`, if it
    /// opened one there (a Discord thread is its own channel and message; a Slack thread is
    /// its channel and the ts of its first message).
    pub fn thread_key(&self, platform: Platform, channel: &str, message: &str) -> Option<String> {
        self.trees
            .get::<String>(
                T::Handoffs,
                &key(&["thread", platform.name(), channel, message]),
            )
            .ok()
            .flatten()
    }

    /// Someone wrote in a thread the bot opened: in a hand-off thread, a helper's answer is
    /// kept with the question (the member's own messages are not answers).
    pub(crate) fn thread_reply(
        &self,
        cx: &Ctx,
        thread: &str,
        text: &str,
    ) -> Result<Response, CmdError> {
        let Some(id) = thread.strip_prefix(POST_KEY) else {
            return Ok(Response::none());
        };
        let hk = key(&["h", id]);
        let Some(h) = self.trees.get::<Handoff>(T::Handoffs, &hk)? else {
            return Ok(Response::none());
        };
        let me = Account::new(cx.actor.platform, &cx.actor.user_id);
        if self.same_member(&me, &Account::new(h.platform, &h.user)) {
            return Ok(Response::none());
        }
        let text: String = text
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        let text = clip(text.trim(), MAX_ANSWER);
        if text.is_empty() {
            return Ok(Response::none());
        }
        let now = self.now();
        let answer = HelperAnswer {
            platform: me.platform,
            user: me.user.clone(),
            name: cx.actor.name.chars().take(100).collect(),
            text,
            at: now,
        };
        self.trees.write(|tx| {
            let Some(mut h) = tx.get::<Handoff>(T::Handoffs, &hk)? else {
                return Ok(());
            };
            if h.helpers.len() >= MAX_ANSWERS {
                h.helpers.remove(0);
            }
            h.helpers.push(answer.clone());
            tx.put(T::Handoffs, &hk, &h)
        })?;
        Ok(Response::none())
    }
}
