//! What a user sees: the short answer taken from the best section, its source, related
//! topics, and the messages for questions the bot cannot or will not answer, in the
//! user's language.

use serde::Serialize;

use crate::lang::Lang;

/// Where an answer comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// The document, as its path below its knowledge directory (`en/heroes.md`).
    pub doc: String,
    /// The heading path of the section (`AWS Heroes › How to become a Hero`).
    pub section: String,
}

impl Citation {
    /// The citation of a stored section.
    pub(crate) fn of(section: &crate::index::SectionRecord) -> Citation {
        Citation {
            doc: section.doc.clone(),
            section: section.heading(),
        }
    }
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
    /// Nothing but a greeting or thanks.
    Smalltalk,
    /// A request the bot does not take (write a post, tell a joke) or another subject
    /// (salaries, prices, AWS technical how-to).
    OutOfScope,
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
    /// Other sections the answer took a fact from (when applications open, where to apply).
    pub also: Vec<Citation>,
    /// List items left out for length, and the section that has them all.
    pub omitted: usize,
    pub more: Option<Citation>,
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

    /// Every section the answer cites, the main one first.
    pub fn sources(&self) -> Vec<Citation> {
        self.source
            .iter()
            .chain(self.also.iter())
            .cloned()
            .collect()
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
        if self.omitted > 0 {
            out.push('\n');
            out.push_str(&m.and_more(self.omitted));
        }
        for (i, src) in self.sources().iter().enumerate() {
            out.push_str(if i == 0 { "\n\n" } else { "\n" });
            out.push_str(&format!("{} {} ({})", m.source, src.section, src.doc));
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
    /// The reply to a greeting or thanks alone.
    pub smalltalk: &'static str,
    /// The reply to a task request or a question on another subject.
    pub out_of_scope: &'static str,
    /// Before how one gets into each of two programs compared.
    pub how_each_joins: &'static str,
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

    /// The line after a list cut short.
    pub fn and_more(&self, n: usize) -> String {
        match self.lang {
            Lang::En => format!("…and {n} more (the source below has the whole list)."),
            Lang::Zh => format!("……还有 {n} 项（完整列表见下方来源）。"),
            Lang::Pt => format!("…e mais {n} (a fonte abaixo tem a lista completa)."),
        }
    }

    /// Before what a document in another language lists besides the answer.
    pub fn other_language_adds(&self, from: Lang) -> String {
        match self.lang {
            Lang::En => format!("The {} text adds:", from.name_in(Lang::En)),
            Lang::Zh => format!("{}资料还列出：", from.name_in(Lang::Zh)),
            Lang::Pt => format!("O texto em {} acrescenta:", from.name_in(Lang::Pt)),
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
    how_each_joins: "How you get into each:",
    smalltalk: "Hi! I answer questions about the AWS community programs — Heroes, Community Builders, user groups, volunteering — in English, 中文 or Português.",
    out_of_scope: "That is outside what I can help with: I answer questions about the AWS community programs, and I don't write texts, translate, fix code, or answer questions about AWS prices, jobs or technical how-to.",
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
    how_each_joins: "如何加入：",
    smalltalk: "你好！我可以用中文、English 或 Português 回答关于亚马逊云科技社区项目的问题，比如 Hero、社区建设者、用户组和志愿者。",
    out_of_scope: "这超出了我能帮忙的范围：我只回答关于亚马逊云科技社区项目的问题，不写文章、不翻译、不改代码，也不回答关于 AWS 价格、工作机会或技术操作的问题。",
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
    how_each_joins: "Como se entra em cada um:",
    smalltalk: "Oi! Eu respondo perguntas sobre os programas da comunidade AWS — Heroes, Community Builders, grupos de usuários, voluntariado — em português, English ou 中文.",
    out_of_scope: "Isso está fora do que posso ajudar: respondo perguntas sobre os programas da comunidade AWS e não escrevo textos, não traduzo, não corrijo código nem respondo sobre preços da AWS, vagas ou dúvidas técnicas.",
};

#[cfg(test)]
mod tests {
    use super::*;

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
                m.smalltalk,
                m.out_of_scope,
            ] {
                assert!(!s.is_empty());
            }
            assert!(m.too_long(50_000, 1000).contains("1000"));
            assert!(m.welcome(36, 305).contains("305"));
            assert!(!m.other_language_adds(Lang::Zh).is_empty());
        }
    }
}
