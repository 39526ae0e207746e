//! Questions for the knowledge base, the votes on answers, the gaps admins should fill,
//! and reloading the knowledge base while the bot runs.

use knowledge::{Answer, Outcome};
use serde::{Deserialize, Serialize};

use crate::error::{CmdError, Kind};
use crate::reply::{Answered, ButtonStyle, Reply, Response};
use crate::spans::Text;
use crate::store::{abort, T};
use crate::text::key;
use crate::{Commands, Ctx};

/// What the bot knows about one question, however often it was asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionStat {
    pub text: String,
    pub lang: String,
    pub asked: u32,
    pub declined: u32,
    pub helpful: u32,
    pub unhelpful: u32,
    pub last: i64,
}

/// Questions are counted together when they differ only in case, spacing and the final
/// punctuation.
pub fn question_id(text: &str) -> String {
    let normal: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(['?', '？', '!', '！', '.', '。'])
        .to_string();
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in normal.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:012x}", h >> 16)
}

/// The label of a related-topic button: the last part of the heading path.
fn topic(section: &str) -> String {
    let last = section.rsplit(" › ").next().unwrap_or(section);
    last.chars().take(80).collect()
}

impl Commands {
    pub(crate) fn ask(&self, question: &str) -> Result<Response, CmdError> {
        let answer = self.kb.ask(question)?;
        let counted = matches!(
            answer.outcome,
            Outcome::Answered | Outcome::Unknown | Outcome::OutOfScope
        );
        let qid = question_id(question);
        if counted {
            let now = self.now();
            let text: String = question.trim().chars().take(300).collect();
            let lang = answer.lang.code().to_string();
            let declined = !answer.answered();
            let day = self.day_of(now);
            // Statistics, not something the user is told: no flush of its own.
            if let Err(e) = self.trees.write_lazily(|tx| {
                let mut stat = tx
                    .get::<QuestionStat>(T::Questions, qid.as_bytes())?
                    .unwrap_or(QuestionStat {
                        text: text.clone(),
                        lang: lang.clone(),
                        asked: 0,
                        declined: 0,
                        helpful: 0,
                        unhelpful: 0,
                        last: now,
                    });
                stat.asked += 1;
                stat.declined += u32::from(declined);
                stat.last = now;
                crate::dashboard::count_day(tx, &day, declined)?;
                tx.put(T::Questions, qid.as_bytes(), &stat)
            }) {
                tracing::warn!("could not count a question: {e}");
            }
        }
        Ok(Response::one(
            self.answer_reply(&answer, counted.then_some(qid.as_str())),
        ))
    }

    fn answer_reply(&self, a: &Answer, qid: Option<&str>) -> Reply {
        let lang = a.lang;
        let m = knowledge::Messages::of(lang);
        let mut text = String::new();
        if let Some(from) = a.answered_from {
            text.push_str(&m.from_other_language(from));
            text.push_str("\n\n");
        }
        text.push_str(&a.text);
        if !a.suggestions.is_empty() {
            text.push_str(&format!(
                "\n\n{} {}\n{}",
                m.i_can_help_with,
                a.suggestions.join(", "),
                m.example
            ));
        }
        // The knowledge base's words are the bot's own: the documents are the operators'.
        let mut reply = Reply::new(lang, text);
        reply.answer = Some(Answered {
            answered: a.answered(),
            score: a.score,
            related: a.related.clone(),
        });
        // A message the bot could not read at all is refused; a question it cannot answer
        // is still answered, with a plain "I don't know".
        reply.error = match a.outcome {
            Outcome::Answered | Outcome::Unknown | Outcome::OutOfScope | Outcome::Smalltalk => None,
            Outcome::Empty => Some("empty"),
            Outcome::TooLong => Some("too_long"),
            Outcome::NoWords => Some("no_words"),
        };
        reply.ok = reply.error.is_none();
        // Every section the answer took a fact from is cited (two-part questions,
        // comparisons, where to apply), the main one first.
        for src in a.source.iter().chain(&a.also) {
            reply = reply.field(
                m.source.trim_end_matches([':', '：']),
                format!("{} ({})", src.section, src.doc),
            );
        }
        reply.citations = a.sources();
        for r in &a.related {
            let label = topic(&r.section);
            reply = reply.button(format!("ask:{label}"), label, ButtonStyle::Secondary);
        }
        if let Some(q) = qid.filter(|_| a.answered()) {
            reply = reply
                .button(
                    format!("fb:up:{q}"),
                    tr!(lang, "👍 Helpful", "👍 有帮助", "👍 Ajudou"),
                    ButtonStyle::Success,
                )
                .button(
                    format!("fb:down:{q}"),
                    tr!(lang, "👎 Not helpful", "👎 没帮助", "👎 Não ajudou"),
                    ButtonStyle::Danger,
                );
        }
        reply
    }

    pub(crate) fn feedback(
        &self,
        cx: &Ctx,
        qid: &str,
        helpful: bool,
    ) -> Result<Response, CmdError> {
        let who = cx.actor;
        let vote_key = key(&[qid, who.platform.name(), &who.user_id]);
        self.trees.write(|tx| {
            let Some(mut stat) = tx.get::<QuestionStat>(T::Questions, qid.as_bytes())? else {
                return abort(CmdError::NotFound {
                    kind: Kind::Question,
                    id: qid.into(),
                });
            };
            match tx.get::<bool>(T::Votes, &vote_key)? {
                Some(before) if before == helpful => return Ok(()),
                Some(true) => stat.helpful = stat.helpful.saturating_sub(1),
                Some(false) => stat.unhelpful = stat.unhelpful.saturating_sub(1),
                None => {}
            }
            if helpful {
                stat.helpful += 1;
            } else {
                stat.unhelpful += 1;
            }
            tx.put(T::Votes, &vote_key, &helpful)?;
            tx.put(T::Questions, qid.as_bytes(), &stat)
        })?;
        let lang = cx.lang;
        let text = if helpful {
            tr!(
                lang,
                "Thanks for telling me!",
                "谢谢你的反馈！",
                "Obrigado por avisar!"
            )
        } else {
            tr!(
                lang,
                "Thanks. I noted that this answer did not help, so the admins can improve the knowledge base.",
                "谢谢。我记下了这个回答没有帮助，管理员会据此改进知识库。",
                "Obrigado. Anotei que esta resposta não ajudou, para que os administradores melhorem a base de conhecimento."
            )
        };
        Ok(Response::one(Reply::private(lang, text)))
    }

    pub(crate) fn kb_gaps(&self, cx: &Ctx, limit: usize) -> Result<Response, CmdError> {
        let lang = cx.lang;
        // Questions handed to people are gaps too, with the helpers' answers beside them.
        let handed = self.handed_over()?;
        let mut gaps: Vec<(String, QuestionStat)> = self
            .trees
            .scan::<QuestionStat>(T::Questions, b"")?
            .into_iter()
            .map(|(k, q)| (String::from_utf8_lossy(&k).into_owned(), q))
            .filter(|(qid, q)| q.declined > 0 || q.unhelpful > q.helpful || handed.contains(qid))
            .collect();
        gaps.sort_by_key(|(_, q)| {
            (
                std::cmp::Reverse(q.declined + q.unhelpful),
                std::cmp::Reverse(q.last),
            )
        });
        let lines: Vec<Text> = gaps
            .iter()
            .take(limit)
            .map(|(qid, q)| {
                let (d, u) = (q.declined, q.unhelpful);
                let counts = tr!(
                    lang,
                    "{d}× unanswered, {u}× 👎",
                    "{d} 次未答出，{u} 次 👎",
                    "{d}× sem resposta, {u}× 👎"
                );
                let line = Text::plain("• \"")
                    .and(Text::typed(&q.text))
                    .and(format!("\" [{}] — {counts}", q.lang));
                match self.handoff_note(qid, lang) {
                    Ok(Some(note)) => line.and("\n").and(note),
                    _ => line,
                }
            })
            .collect();
        let text = if lines.is_empty() {
            Text::plain(tr!(
                lang,
                "No gaps: every question so far was answered, and no answer was voted down.",
                "没有缺口：目前所有问题都答出了，也没有回答被投反对票。",
                "Nenhuma lacuna: todas as perguntas até agora tiveram resposta, e nenhuma resposta recebeu voto negativo."
            ))
        } else {
            Text::join(lines, "\n")
        };
        Ok(Response::one(Reply::private(lang, text).title(tr!(
            lang,
            "Knowledge-base gaps",
            "知识库缺口",
            "Lacunas da base de conhecimento"
        ))))
    }

    pub(crate) fn kb_reload(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let r = self.sync_knowledge();
        self.note_import(r.as_ref().map_err(|e| e.to_string()));
        let r = r?;
        let lang = cx.lang;
        let (a, u, d, docs, secs, ms) = (
            r.added,
            r.updated,
            r.removed,
            r.documents,
            r.sections,
            r.elapsed.as_millis(),
        );
        let mut reply = Reply::private(
            lang,
            tr!(
                lang,
                "Reloaded in {ms} ms: {a} added, {u} updated, {d} removed. The knowledge base has {docs} documents and {secs} sections.",
                "已在 {ms} 毫秒内重新加载：新增 {a}，更新 {u}，删除 {d}。知识库现有 {docs} 篇文档、{secs} 个章节。",
                "Recarregado em {ms} ms: {a} adicionados, {u} atualizados, {d} removidos. A base tem {docs} documentos e {secs} seções."
            ),
        );
        let mut notes = r.notes.clone();
        // The program calendar's files live in the knowledge folders too.
        notes.extend(self.reload_milestones());
        if !notes.is_empty() {
            reply = reply.field(tr!(lang, "Notes", "提示", "Observações"), notes.join("\n"));
        }
        Ok(Response::one(reply))
    }

    pub(crate) fn kb_stats(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let s = self.kb.stats();
        let (docs, secs) = (s.documents, s.sections);
        let mut reply = Reply::new(
            lang,
            tr!(
                lang,
                "{docs} documents, {secs} sections.",
                "{docs} 篇文档，{secs} 个章节。",
                "{docs} documentos, {secs} seções."
            ),
        )
        .title(tr!(
            lang,
            "Knowledge base",
            "知识库",
            "Base de conhecimento"
        ));
        for (l, n) in s.sections_per_language {
            reply = reply.field(l.name_in(lang), n.to_string());
        }
        Ok(Response::one(reply))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_ignore_case_space_and_final_punctuation() {
        assert_eq!(
            question_id("How do I join?"),
            question_id("  how do  I JOIN ")
        );
        assert_ne!(
            question_id("How do I join?"),
            question_id("How do I leave?")
        );
        assert_eq!(question_id("x").len(), 12);
    }
}
