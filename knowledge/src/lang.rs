//! The three languages the bot speaks, and telling which one a text is written in.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use lingua::{LanguageDetector, LanguageDetectorBuilder};
use serde::{Deserialize, Serialize};

/// A language the knowledge base and the bot's messages exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    En,
    Zh,
    Pt,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Pt];

    /// The language's position in per-language tables (en, zh, pt).
    pub fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Zh => 1,
            Lang::Pt => 2,
        }
    }

    /// The ISO 639-1 code used in config files, JSON output and folder names.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Pt => "pt",
        }
    }

    /// The language's own name, for messages such as "answered from the English text".
    pub fn name_in(self, reader: Lang) -> &'static str {
        match (self, reader) {
            (Lang::En, Lang::En) => "English",
            (Lang::Zh, Lang::En) => "Chinese",
            (Lang::Pt, Lang::En) => "Portuguese",
            (Lang::En, Lang::Zh) => "英文",
            (Lang::Zh, Lang::Zh) => "中文",
            (Lang::Pt, Lang::Zh) => "葡萄牙文",
            (Lang::En, Lang::Pt) => "inglês",
            (Lang::Zh, Lang::Pt) => "chinês",
            (Lang::Pt, Lang::Pt) => "português",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    /// Accepts the codes and the usual locale tags (`en-US`, `zh-CN`, `pt-BR`, `zh_TW`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" | "english" => Ok(Lang::En),
            "zh" | "chinese" | "cn" => Ok(Lang::Zh),
            "pt" | "portuguese" => Ok(Lang::Pt),
            _ => Err(format!("unknown language `{s}` (expected en, zh or pt)")),
        }
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF)
}

fn detector() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        LanguageDetectorBuilder::from_languages(&[
            lingua::Language::English,
            lingua::Language::Portuguese,
            lingua::Language::Chinese,
        ])
        .with_preloaded_language_models()
        .build()
    })
}

/// Loads the detector's models now rather than on the first question.
pub fn warm_up() {
    let _ = detector();
}

/// Tells the language of a short question; `None` when the text has no letters to judge by.
///
/// Han characters decide for Chinese when there are at least a third as many as other letters (people
/// mix in English program names: "CB 有什么福利"). Otherwise lingua, restricted to English
/// and Portuguese, decides; its models get short English questions right where whatlang did not.
pub fn detect_question(text: &str) -> Option<Lang> {
    let mut han = 0usize;
    let mut latin = 0usize;
    for c in text.chars() {
        if is_han(c) {
            han += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
    }
    if han == 0 && latin == 0 {
        return None;
    }
    if han * 3 >= latin || han >= 4 {
        return Some(Lang::Zh);
    }
    if let Some(hint) = portuguese_marks(text).or_else(|| function_word_vote(text)) {
        return Some(hint);
    }
    match detector().detect_language_of(text) {
        Some(lingua::Language::Portuguese) => Some(Lang::Pt),
        Some(lingua::Language::Chinese) => Some(Lang::Zh),
        Some(lingua::Language::English) => Some(Lang::En),
        _ => None,
    }
}

/// Questions about the programs are full of English names ("O que é o programa AWS
/// Community Builders?"); their function words tell the language the asker writes in.
fn function_word_vote(text: &str) -> Option<Lang> {
    const PT: &[&str] = &[
        "que", "é", "um", "uma", "são", "qual", "quais", "quantos", "quantas", "como", "existe",
        "existem", "para", "com", "não", "você", "voce", "eu", "meu", "minha", "dos", "das", "da",
        "os", "pelo", "pela", "ser", "tem", "há", "faço", "faco", "posso", "sobre", "onde",
        "quando", "quem", "porque", "por", "e", "ou", "mais", "seu", "sua", "isso", "preciso",
        "de", "o", "recebe", "recebem", "ganha", "ganham", "fazem", "faz", "precisa", "pode",
        "podem",
    ];
    const EN: &[&str] = &[
        "the", "what", "how", "is", "are", "does", "i", "my", "can", "who", "which", "where",
        "when", "why", "there", "of", "to", "for", "with", "and", "get", "an", "it", "you", "your",
        "should", "will", "have", "has", "many", "much", "about",
    ];
    let (mut pt, mut en) = (0, 0);
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = word.to_lowercase();
        pt += usize::from(PT.contains(&w.as_str()));
        en += usize::from(EN.contains(&w.as_str()));
    }
    match (pt, en) {
        (p, 0) if p > 0 => Some(Lang::Pt),
        (0, e) if e > 0 => Some(Lang::En),
        (p, e) if p >= e + 2 => Some(Lang::Pt),
        (p, e) if e >= p + 2 => Some(Lang::En),
        _ => None,
    }
}

/// Letters English never uses (ã, õ, ç) settle Portuguese without asking the model.
fn portuguese_marks(text: &str) -> Option<Lang> {
    text.chars()
        .any(|c| matches!(c, 'ã' | 'õ' | 'ç' | 'Ã' | 'Õ' | 'Ç'))
        .then_some(Lang::Pt)
}

/// Tells the language of a whole document from its share of Han characters and of the
/// commonest English and Portuguese function words: cheap and reliable on long text.
pub fn detect_document(text: &str) -> Lang {
    const EN: &[&str] = &[
        "the", "and", "of", "to", "is", "are", "for", "with", "their", "they", "who", "in",
    ];
    const PT: &[&str] = &[
        "de", "que", "para", "com", "os", "as", "uma", "da", "do", "dos", "das", "e", "em", "não",
    ];
    let (mut han, mut letters) = (0usize, 0usize);
    for c in text.chars() {
        if is_han(c) {
            han += 1;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    if letters > 0 && han * 5 >= letters {
        return Lang::Zh;
    }
    let (mut en, mut pt) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        en += usize::from(EN.contains(&lower.as_str()));
        pt += usize::from(PT.contains(&lower.as_str()));
    }
    if pt > en {
        Lang::Pt
    } else {
        Lang::En
    }
}

/// The value of one Chinese numeral character: 零 or 〇 to 九, 两 being 2.
pub fn han_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_questions_get_their_language() {
        let cases = [
            ("How do I reset my password?", Lang::En),
            ("How do I become a Community Builder?", Lang::En),
            ("what perks do heroes get", Lang::En),
            ("Como faço para ser voluntário?", Lang::Pt),
            ("quantos heroes existem no mundo", Lang::Pt),
            ("como virar voluntario", Lang::Pt),
            ("O que é o programa AWS Community Builders?", Lang::Pt),
            ("Qual o site oficial dos AWS User Groups?", Lang::Pt),
            ("What is AWS Community Day?", Lang::En),
            ("Community Builders Slack?", Lang::En),
            ("Community Builders recebem kit de boas-vindas?", Lang::Pt),
            ("怎么成为社区建设者", Lang::Zh),
            ("CB 有什么福利？", Lang::Zh),
        ];
        for (q, want) in cases {
            assert_eq!(detect_question(q), Some(want), "{q}");
        }
    }

    #[test]
    fn no_letters_no_language() {
        assert_eq!(detect_question("🙂🙂 ??? 123"), None);
        assert_eq!(detect_question(""), None);
    }

    #[test]
    fn documents() {
        assert_eq!(
            detect_document(
                "The AWS Heroes program is a global recognition initiative for the community."
            ),
            Lang::En
        );
        assert_eq!(
            detect_document(
                "O Grupo de Usuários AWS surgiu de uma ideia da comunidade de tecnologia."
            ),
            Lang::Pt
        );
        assert_eq!(
            detect_document(
                "# 成员类别\nHero 项目旨在发现和认可在开发者社区中最具影响力的技术专家"
            ),
            Lang::Zh
        );
    }

    #[test]
    fn locale_tags_parse() {
        assert_eq!("pt-BR".parse::<Lang>(), Ok(Lang::Pt));
        assert_eq!("zh_CN".parse::<Lang>(), Ok(Lang::Zh));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }
}
