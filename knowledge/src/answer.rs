//! What a user sees: the short answer taken from the best section, its source, related
//! topics, and the messages for questions the bot cannot or will not answer, in the
//! user's language.

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::analyzer;
use crate::index::SectionRecord;
use crate::lang::Lang;

/// The longest answer extract, in characters, before sentences are picked from the section.
const EXTRACT_CHARS: usize = 400;
/// An extract shorter than this takes the sentences that follow it.
const MIN_EXTRACT_CHARS: usize = 200;

/// Where an answer comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// The document, as its path below its knowledge directory (`en/heroes.md`).
    pub doc: String,
    /// The heading path of the section (`AWS Heroes › How to become a Hero`).
    pub section: String,
}

/// Why a question got the reply it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Answered,
    /// Nothing in the knowledge base fits well enough.
    Unknown,
    /// Empty or blank.
    Empty,
    /// Longer than the bot reads.
    TooLong,
    /// No words to search for (emoji, punctuation).
    NoWords,
}

/// An answer, ready for any front end to render.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub outcome: Outcome,
    /// The language of the reply: the question's.
    pub lang: Lang,
    /// The short answer, or the message explaining why there is none.
    pub text: String,
    /// Set when no section in the reply language fitted and another language's did.
    pub answered_from: Option<Lang>,
    pub source: Option<Citation>,
    pub related: Vec<Citation>,
    /// How much of the question the chosen section covers, 0..=1.
    pub score: f32,
    /// Topics the bot can answer, offered when it declines.
    pub suggestions: Vec<String>,
}

impl Answer {
    pub fn answered(&self) -> bool {
        self.outcome == Outcome::Answered
    }

    pub fn sources(&self) -> Vec<Citation> {
        self.source.iter().cloned().collect()
    }

    /// All the text a user sees, as plain text.
    pub fn render(&self) -> String {
        let m = Messages::of(self.lang);
        let mut out = String::new();
        if let Some(from) = self.answered_from {
            out.push_str(&m.from_other_language(from));
            out.push_str("\n\n");
        }
        out.push_str(&self.text);
        if let Some(src) = &self.source {
            out.push_str(&format!("\n\n{} {} ({})", m.source, src.section, src.doc));
        }
        if !self.related.is_empty() {
            let topics: Vec<&str> = self.related.iter().map(|c| c.section.as_str()).collect();
            out.push_str(&format!("\n{} {}", m.related, topics.join("; ")));
        }
        if !self.suggestions.is_empty() {
            out.push_str(&format!(
                "\n\n{} {}",
                m.i_can_help_with,
                self.suggestions.join(", ")
            ));
            out.push_str(&format!("\n{}", m.example));
        }
        out
    }
}

/// The bot's fixed sentences in one language.
pub struct Messages {
    lang: Lang,
    pub source: &'static str,
    pub related: &'static str,
    pub unknown: &'static str,
    pub empty: &'static str,
    pub no_words: &'static str,
    pub i_can_help_with: &'static str,
    pub example: &'static str,
}

impl Messages {
    pub fn of(lang: Lang) -> &'static Messages {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
            Lang::Pt => &PT,
        }
    }

    pub fn too_long(&self, chars: usize, max: usize) -> String {
        match self.lang {
            Lang::En => format!("That message is too long for me ({chars} characters). Please ask one question in at most {max} characters."),
            Lang::Zh => format!("这条消息太长了（{chars} 个字符）。请用不超过 {max} 个字符提出一个问题。"),
            Lang::Pt => format!("Essa mensagem é longa demais para mim ({chars} caracteres). Faça uma pergunta de no máximo {max} caracteres."),
        }
    }

    /// The greeting of an interactive session.
    pub fn welcome(&self, documents: usize, sections: usize) -> String {
        match self.lang {
            Lang::En => format!("Community bot: {documents} documents, {sections} sections. Ask about Heroes, Community Builders, user groups, volunteering… in English, 中文 or Português. /quit leaves."),
            Lang::Zh => format!("社区机器人：{documents} 篇文档，{sections} 个章节。可以用中文、English 或 Português 询问 Hero、社区建设者、用户组、志愿者等问题。输入 /quit 退出。"),
            Lang::Pt => format!("Bot da comunidade: {documents} documentos, {sections} seções. Pergunte sobre Heroes, Community Builders, grupos de usuários, voluntariado… em português, English ou 中文. /quit para sair."),
        }
    }

    pub fn from_other_language(&self, from: Lang) -> String {
        match self.lang {
            Lang::En => format!(
                "I found no answer written in English; this one comes from the {} text.",
                from.name_in(Lang::En)
            ),
            Lang::Zh => format!(
                "知识库中没有中文的答案，以下内容来自{}资料。",
                from.name_in(Lang::Zh)
            ),
            Lang::Pt => format!(
                "Não encontrei a resposta em português; esta vem do texto em {}.",
                from.name_in(Lang::Pt)
            ),
        }
    }
}

static EN: Messages = Messages {
    lang: Lang::En,
    source: "Source:",
    related: "Related topics:",
    unknown: "Sorry, I don't know the answer to that — it isn't in my knowledge base, and I'd rather not guess.",
    empty: "Ask me a question about the community programs, for example: How do I become a Community Builder?",
    no_words: "I couldn't find any words in that message to look up. Please ask your question in words.",
    i_can_help_with: "I can answer questions about:",
    example: "For example: \"How do I become a Community Builder?\"",
};

static ZH: Messages = Messages {
    lang: Lang::Zh,
    source: "来源：",
    related: "相关主题：",
    unknown: "抱歉，我不知道这个问题的答案——知识库里没有相关内容，我不想乱猜。",
    empty: "请向我提一个关于社区项目的问题，例如：怎么成为 Community Builder？",
    no_words: "这条消息里没有可以查询的文字，请用文字描述你的问题。",
    i_can_help_with: "我可以回答这些方面的问题：",
    example: "例如：“怎么成为 Community Builder？”",
};

static PT: Messages = Messages {
    lang: Lang::Pt,
    source: "Fonte:",
    related: "Tópicos relacionados:",
    unknown: "Desculpe, não sei a resposta — isso não está na minha base de conhecimento e prefiro não chutar.",
    empty: "Faça uma pergunta sobre os programas da comunidade, por exemplo: Como me torno Community Builder?",
    no_words: "Não encontrei palavras para pesquisar nessa mensagem. Escreva sua pergunta em palavras.",
    i_can_help_with: "Posso responder perguntas sobre:",
    example: "Por exemplo: \"Como me torno Community Builder?\"",
};

/// The parts of a section's text an answer is built from: sentences, and list items whole.
fn units(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        if line.starts_with("- ") || line.chars().count() <= 120 {
            out.push((line_no, line.to_string()));
            continue;
        }
        let mut current = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            current.push(c);
            let ends = matches!(c, '。' | '！' | '？' | '；')
                || (matches!(c, '.' | '!' | '?')
                    && chars.get(i + 1).is_none_or(|n| n.is_whitespace()));
            if ends && current.trim().chars().count() > 1 {
                out.push((line_no, current.trim().to_string()));
                current.clear();
            }
        }
        if !current.trim().is_empty() {
            out.push((line_no, current.trim().to_string()));
        }
    }
    out
}

/// The sentences of a section that answer the question: the whole section when it is
/// short, otherwise the best-matching sentences (in their order) up to a few lines.
pub(crate) fn extract(section: &SectionRecord, weights: &HashMap<String, f32>) -> String {
    if section.text.chars().count() <= EXTRACT_CHARS {
        return section.text.clone();
    }
    let a = analyzer();
    let parts = units(&section.text);
    let unit_terms: Vec<Vec<String>> = parts
        .iter()
        .map(|(_, s)| {
            let mut t: Vec<String> = a
                .analyze(s, section.lang)
                .into_iter()
                .map(|t| t.term)
                .filter(|t| weights.contains_key(t))
                .collect();
            t.sort();
            t.dedup();
            t
        })
        .collect();
    // Greedy cover: the sentence that adds the most question weight not yet shown, until
    // nothing adds any or the extract is full. The opening sentence gets a head start, as
    // it usually states the section's main fact.
    let mut covered: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut chosen: Vec<usize> = Vec::new();
    let mut used = 0usize;
    loop {
        let mut best: Option<(usize, f32)> = None;
        for (i, terms) in unit_terms.iter().enumerate() {
            if chosen.contains(&i) {
                continue;
            }
            let len = parts[i].1.chars().count();
            if used > 0 && used + len > EXTRACT_CHARS {
                continue;
            }
            let gain: f32 = terms
                .iter()
                .filter(|t| !covered.contains(t.as_str()))
                .map(|t| weights[t])
                .sum();
            let gain = if i == 0 { gain * 1.3 } else { gain };
            if gain > 0.0 && best.is_none_or(|(_, g)| gain > g) {
                best = Some((i, gain));
            }
        }
        let Some((i, _)) = best else { break };
        used += parts[i].1.chars().count();
        covered.extend(unit_terms[i].iter().map(String::as_str));
        chosen.push(i);
    }
    // One sentence that names the question's terms often only introduces the answer: the
    // sentences after it follow until the extract says enough.
    while used < MIN_EXTRACT_CHARS {
        let next = chosen.iter().max().map_or(0, |&i| i + 1);
        let Some(i) = (next..parts.len()).find(|i| !chosen.contains(i)) else {
            break;
        };
        let len = parts[i].1.chars().count();
        if used + len > EXTRACT_CHARS {
            break;
        }
        used += len;
        chosen.push(i);
    }
    if chosen.is_empty() {
        // Nothing but the heading matched: the section's opening is the answer.
        for (i, (_, s)) in parts.iter().enumerate() {
            if used > 0 && used + s.chars().count() > EXTRACT_CHARS {
                break;
            }
            used += s.chars().count();
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    // A chosen line that introduces a list ("… three goals:") brings its items along.
    let mut with_lists = Vec::new();
    for &i in &chosen {
        with_lists.push(i);
        if parts[i].1.trim_end().ends_with([':', '：']) {
            let mut extra = 0usize;
            for (j, (_, s)) in parts.iter().enumerate().skip(i + 1) {
                if !s.starts_with("- ") || extra > EXTRACT_CHARS {
                    break;
                }
                extra += s.chars().count();
                with_lists.push(j);
            }
        }
    }
    with_lists.sort_unstable();
    with_lists.dedup();
    let chosen = with_lists;
    let mut out = String::new();
    let mut last_line = None;
    for i in chosen {
        let (line, s) = &parts[i];
        if let Some(l) = last_line {
            out.push(if l == *line { ' ' } else { '\n' });
        }
        out.push_str(s);
        last_line = Some(*line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> SectionRecord {
        SectionRecord {
            doc: "en/x.md".into(),
            lang: Lang::En,
            title: "X".into(),
            path: vec!["X".into()],
            text: text.into(),
            terms: vec![],
        }
    }

    #[test]
    fn short_sections_are_shown_whole() {
        let s = section("Heroes get credits.\n- A ticket");
        assert_eq!(extract(&s, &HashMap::new()), s.text);
    }

    #[test]
    fn long_sections_give_the_matching_sentences() {
        let filler =
            "The program has a long history of working with many people in many places. ".repeat(6);
        let s = section(&format!(
            "{filler}Community Builder applications open around January each year. {filler}"
        ));
        let mut w = HashMap::new();
        w.insert("januari".to_string(), 3.0);
        let out = extract(&s, &w);
        assert!(out.contains("January"), "{out}");
        assert!(out.chars().count() <= EXTRACT_CHARS, "{out}");
    }

    #[test]
    fn a_list_introduction_brings_its_items() {
        let filler = "Other facts about the program fill this long section with words. ".repeat(6);
        let s = section(&format!("{filler}\nCloud Captains pursue three leadership goals:\n- Empower future builders\n- Bridge theory and practice\n- Cultivate peer mentorship\n{filler}"));
        let mut w = HashMap::new();
        w.insert("goal".to_string(), 3.0);
        let out = extract(&s, &w);
        assert!(
            out.contains("goals:\n- Empower") && out.contains("peer mentorship"),
            "{out}"
        );
    }

    #[test]
    fn every_message_exists_in_every_language() {
        for lang in Lang::ALL {
            let m = Messages::of(lang);
            for s in [
                m.source,
                m.related,
                m.unknown,
                m.empty,
                m.no_words,
                m.i_can_help_with,
                m.example,
            ] {
                assert!(!s.is_empty());
            }
            assert!(m.too_long(50_000, 1000).contains("1000"));
            assert!(m.welcome(36, 305).contains("305"));
        }
    }
}
