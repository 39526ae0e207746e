//! Messages that ask two things, each with its own question mark ("社区日是谁组织的？官网是多少",
//! "are the CB sessions in Portuguese? do I have to sign anything?"): the answer to the
//! whole message often says only one of them, so each part is also asked on its own and
//! what its answer adds is appended, cited. A part that names no program ("官网是多少",
//! "and how often?") goes on from the part before it; one that asks its own aspect ("，怎么加入"
//! after "用户组会员有啥好处") asks it of the programs the part before names.

use crate::answer::Answer;
use crate::index::{IndexError, Snapshot};
use crate::query::Understanding;
use crate::KnowledgeBase;
use std::collections::HashSet;

/// At most this many parts are asked on their own.
const MAX_PARTS: usize = 3;

/// How much of a part its own answer must cover to be added.
const MIN_COVERAGE: f32 = 0.6;

/// Where a second question starts inside one sentence ("how many heroes are there and
/// how do I become one"), lower case.
const JOINS: [&str; 39] = [
    " and how ",
    " and what ",
    " and when ",
    " and where ",
    " and who ",
    " and which ",
    " e como ",
    " e quando ",
    " e onde ",
    " e quem ",
    " e qual ",
    " e o que ",
    "另外",
    "还有",
    "以及",
    "顺便问下",
    // "用户组会员有啥好处，怎么加入": a comma before a question word.
    "，怎么",
    "，如何",
    "，有什么",
    "，有啥",
    "，有哪些",
    "，什么时候",
    "，何时",
    "，在哪",
    "，谁",
    "，多少",
    "，几",
    "，要求",
    ",怎么",
    ",如何",
    ",有什么",
    ",有啥",
    ",有哪些",
    ",什么时候",
    ",在哪",
    ",谁",
    ",多少",
    ",几",
    ",要求",
];

/// The message's parts that have words in them: split at question marks and where a
/// second question is joined on.
fn parts(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sentence in message.split(['?', '？']) {
        let lower = sentence.to_lowercase();
        let mut cuts: Vec<usize> = JOINS
            .iter()
            .flat_map(|j| lower.match_indices(j).map(|(i, _)| i))
            .filter(|&i| sentence.is_char_boundary(i))
            .collect();
        // "Hero 福利有哪些，CB 呢": a short "and X?" after a comma asks the same of X.
        cuts.extend(
            sentence
                .match_indices(['，', ','])
                .map(|(i, _)| i)
                .filter(|&i| {
                    let rest = sentence[i..].trim_start_matches(['，', ',']).trim_end();
                    rest.ends_with('呢') && rest.chars().count() <= 16
                }),
        );
        cuts.sort_unstable();
        let mut start = 0;
        for cut in cuts.into_iter().chain([sentence.len()]) {
            if cut > start {
                out.push(sentence[start..cut].trim().to_string());
                start = cut;
            }
        }
    }
    out.retain(|p| p.chars().any(char::is_alphanumeric));
    out
}

/// A part, folded, split into the programs it names and the rest of it.
fn programs_apart(a: &crate::analysis::Analyzer, part: &str) -> (String, String) {
    let mut rest = crate::analysis::fold(part);
    let mut programs = Vec::new();
    for (s, e, term) in a.concepts_in(&rest).into_iter().rev() {
        if a.is_entity(term) {
            programs.push(rest[s..e].to_string());
            rest.replace_range(s..e, " ");
        }
    }
    programs.reverse();
    (programs.join(" "), rest)
}

impl KnowledgeBase {
    /// `answer` (to the whole message) with what its other parts' own answers add.
    pub(crate) fn with_other_parts(
        &self,
        snap: &Snapshot,
        whole: &Understanding,
        message: &str,
        mut answer: Answer,
    ) -> Result<Answer, IndexError> {
        let parts = parts(message);
        if parts.len() < 2 || !answer.answered() {
            return Ok(answer);
        }
        // Parts that are only chat noise ("e aí, beleza?") are no question of their own.
        let asked: Vec<(&str, Understanding)> = parts
            .iter()
            .take(MAX_PARTS)
            .map(|p| (p.as_str(), self.understand(p, snap)))
            .filter(|(_, u)| !u.question.trim().is_empty() && !u.only_noise())
            .collect();
        if asked.len() < 2 {
            return Ok(answer);
        }
        let mut previous: Option<(&str, Vec<String>)> = None;
        for (part, mut u) in asked {
            if u.focus.is_empty() {
                // "…a free cert exam? and how often?": the part goes on from the one before.
                let Some((before, _)) = &previous else {
                    continue;
                };
                let asks_own = !u.aspects.is_empty() && !u.is(crate::query::QType::Other);
                let before = if !asks_own {
                    before.to_string()
                } else {
                    // "用户组会员有啥好处，怎么加入？": a part that asks its own aspect asks it of
                    // the programs the one before names, not that part's aspects again.
                    programs_apart(snap.analyzer.as_ref(), before).0
                };
                u = self.understand(&format!("{before} {part}"), snap);
            } else if let Some((before, aspects)) = &previous {
                // "how much credit does a CB get, and how much does a Hero get?": a part
                // that names another program and nothing else asks what the one before
                // asked, of that program.
                // One that asks by its own frame ("what do volunteers do?") asks that.
                let framed = u.types.iter().any(|t| {
                    use crate::query::QType;
                    matches!(t, QType::Duties | QType::Benefits | QType::Requirements)
                });
                if u.aspects.is_empty() && !aspects.is_empty() && !framed {
                    // The earlier part without the programs it names.
                    let asked = programs_apart(snap.analyzer.as_ref(), before).1;
                    u = self.understand(&format!("{asked} {part}"), snap);
                }
            }
            previous = Some((part, u.aspects.clone()));
            // The message's language, however short the part.
            u.lang = whole.lang;
            if u.request.is_some() || u.only_noise() || u.focus.is_empty() {
                continue;
            }
            // A part the answer so far already speaks to ("…? tipo tem ingresso pro
            // re:invent?" after Hero benefits that name the re:Invent ticket) adds nothing.
            if self.already_said(snap, whole, &u, &answer) {
                continue;
            }
            let more = self.answer_from(snap, &u)?;
            let Some(source) = more.source.clone() else {
                continue;
            };
            let known = answer.source.as_ref() == Some(&source) || answer.also.contains(&source);
            let first_line = more.text.lines().next().unwrap_or_default();
            // Only a part its answer covers well adds anything: one that merely names the
            // program gets the program's overview.
            if !more.answered()
                || more.score < MIN_COVERAGE
                || more.answered_from.is_some()
                || known
                || answer.text.contains(first_line)
            {
                continue;
            }
            answer.text.push_str("\n\n");
            answer.text.push_str(&more.text);
            answer.also.push(source);
        }
        Ok(answer)
    }

    /// Whether the answer so far speaks to all a part asks: its words, or else its concepts
    /// in the answer or the headings it cites ("Hero 类别" for "Hero 一共几类" after the
    /// categories were counted), with the number, date or address the part's type needs.
    fn already_said(
        &self,
        snap: &Snapshot,
        whole: &Understanding,
        part: &Understanding,
        answer: &Answer,
    ) -> bool {
        use crate::analysis::Kind;
        use crate::query::QType;
        let a = snap.analyzer.as_ref();
        let terms = |text: &str| -> HashSet<String> {
            a.analyze(text, whole.lang)
                .into_iter()
                .map(|t| t.term)
                .collect()
        };
        let said = terms(&answer.text);
        let asks = crate::query_terms(part, snap);
        let words: Vec<&String> = asks
            .iter()
            .filter(|t| t.kind != Kind::Synonym)
            .map(|t| &t.term)
            .collect();
        let cited: HashSet<String> = answer
            .source
            .iter()
            .chain(&answer.also)
            .flat_map(|c| terms(&c.section))
            .collect();
        // An aspect that names a question type (requirements, benefits) is said by a
        // section headed so: "eligible" in a list of benefits is no volunteer's requirements.
        let typed_aspect = |t: &str| a.is_aspect(t) && a.qtype_of(t).is_some();
        // So is a type asked by the question's frame alone ("o que o curador faz?").
        let headed = |t: &QType| cited.iter().any(|c| a.qtype_of(c) == Some(*t));
        if part
            .types
            .iter()
            .filter(|t| matches!(t, QType::Duties | QType::Benefits | QType::Requirements))
            .any(|t| !headed(t))
        {
            return false;
        }
        // Who may be one ("quem pode ser track owner?") is not said by an answer that only
        // names the role: the part is asked on its own.
        if part.is(QType::Who) && a.names_a_modal(&part.question) {
            return false;
        }
        if !words.is_empty()
            && words.iter().all(|t| {
                if typed_aspect(t) {
                    cited.contains(*t)
                } else {
                    said.contains(*t)
                }
            })
        {
            return true;
        }
        // Type words are asked by what the answer holds, not by being repeated.
        let concepts: Vec<&String> = asks
            .iter()
            .filter(|t| {
                t.kind == Kind::Concept && !crate::compose::TYPE_TERMS.contains(&t.term.as_str())
            })
            .map(|t| &t.term)
            .collect();
        // Only types the answer can be seen to hold: who or how it does not show.
        let holds = |t: &QType| match t {
            QType::Count => answer.text.chars().any(|c| c.is_ascii_digit()),
            QType::When => crate::compose::has_time(a, &answer.text),
            QType::Where => answer.text.contains("://"),
            QType::List => answer.text.lines().any(crate::compose::is_item_line),
            _ => false,
        };
        !concepts.is_empty()
            && concepts
                .iter()
                .all(|t| said.contains(*t) || cited.contains(*t))
            && !part.types.is_empty()
            && part.types.iter().all(holds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_of_a_message_is_answered() {
        let kb = KnowledgeBase::open(
            std::sync::Arc::new(crate::store::MemStore::default()),
            crate::Settings::default(),
        )
        .unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        kb.sync_exact(&[root.join("kb")]).unwrap();
        // Who may be one is not said by an answer that only names the role.
        for q in [
            "quem pode ser track owner? e o que é o NightTalk",
            "谁可以当技术出品人？NightTalk 是什么",
        ] {
            let a = kb.ask(q).unwrap();
            assert!(a.text.contains("NightTalk"), "{q}:\n{}", a.render());
            assert!(a.text.contains("Hero"), "{q}:\n{}", a.render());
        }
        // "…，CB 呢" asks the same of another program.
        let a = kb.ask("志愿者有什么要求，那演讲者呢").unwrap();
        assert!(a.text.contains("技术热情"), "{}", a.render());
        assert!(a.text.contains("演讲主题"), "{}", a.render());
        let a = kb.ask("社区日是谁组织的？官网是多少").unwrap();
        for fact in ["100% 由社区主办", "community-days"] {
            assert!(a.text.contains(fact), "{fact} missing from\n{}", a.render());
        }
        assert_eq!(a.also.len(), 1, "{}", a.render());
        // A part naming only another program asks what the part before asked, of it.
        let credits = kb
            .ask("two things: how much AWS credit does a CB get per year, and how much does a Hero get?")
            .unwrap();
        for fact in ["$500", "$2000"] {
            assert!(
                credits.text.contains(fact),
                "{fact} missing from\n{}",
                credits.render()
            );
        }
        assert!(!credits.text.contains("categories"), "{}", credits.render());
        // Chat noise is no part of its own: the answer is the question's.
        let noisy = kb.ask("e aí, beleza? o que é um hero?").unwrap();
        assert_eq!(noisy.text, kb.ask("o que é um hero?").unwrap().text);
    }

    #[test]
    fn parts_are_split_at_question_marks() {
        assert_eq!(
            parts("社区日是谁组织的？官网是多少"),
            ["社区日是谁组织的", "官网是多少"]
        );
        assert_eq!(parts("what is a hero??"), ["what is a hero"]);
        assert_eq!(
            parts("用户组会员有啥好处，怎么加入？"),
            ["用户组会员有啥好处", "，怎么加入"]
        );
        assert_eq!(parts("a? 🙏"), ["a"]);
        // A short "and X?" after a comma.
        assert_eq!(
            parts("志愿者有什么要求，那演讲者呢"),
            ["志愿者有什么要求", "，那演讲者呢"]
        );
        assert_eq!(
            parts("志愿者有什么要求，演讲者需要准备什么呢我想知道得详细一点"),
            ["志愿者有什么要求，演讲者需要准备什么呢我想知道得详细一点"]
        );
        assert_eq!(
            parts("how many heroes are there and how do i become one"),
            ["how many heroes are there", "and how do i become one"]
        );
    }
}
