//! Query understanding, before anything is ranked: the chat noise around a question is
//! removed (greetings, thanks, apologies, filler, mentions, emoji, repeated punctuation), the
//! language is read from the whole message, and the question's type (definition, list,
//! count, how-to, when, where, who, requirements, benefits, duties, yes/no) and focus (the
//! program or role it is about, and the aspect asked) are found. Requests the bot declines
//! whatever they name (write a poem, fix my code, a salary) are flagged here too.
//!
//! Everything it knows about words comes from the lexicon ([`crate::lexicon`]).

use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use serde::{Deserialize, Serialize};

use crate::analysis::{fold, is_word_char, Analyzer};
use crate::lang::{is_han, Lang};
use crate::lexicon::{Lexicon, PerLang};

/// What a question asks for, which decides how its answer is put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QType {
    Count,
    Benefits,
    Duties,
    Requirements,
    HowTo,
    When,
    Where,
    Who,
    List,
    YesNo,
    Definition,
    Other,
}

impl QType {
    pub const NAMES: [&'static str; 12] = [
        "count",
        "benefits",
        "duties",
        "requirements",
        "howto",
        "when",
        "where",
        "who",
        "list",
        "yesno",
        "definition",
        "other",
    ];
    const ALL: [QType; 12] = [
        QType::Count,
        QType::Benefits,
        QType::Duties,
        QType::Requirements,
        QType::HowTo,
        QType::When,
        QType::Where,
        QType::Who,
        QType::List,
        QType::YesNo,
        QType::Definition,
        QType::Other,
    ];

    pub fn parse(name: &str) -> Option<QType> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|t| *t == self).unwrap_or(11)]
    }

    /// Whether the answer is a whole list (every benefit, every duty…).
    pub fn wants_list(self) -> bool {
        matches!(
            self,
            QType::List | QType::Benefits | QType::Duties | QType::Requirements | QType::Who
        )
    }
}

impl fmt::Display for QType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a request is not a question about the community programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "cue")]
pub enum Request {
    /// A task for the bot: write, translate, fix, a poem, a joke.
    Task(String),
    /// Another subject: salaries, prices, AWS technical how-to, weather.
    Subject(String),
}

/// Typo correction for one clause of a question: the corrected clause and the words put
/// in, each with whether it only restored a missing letter.
pub type Corrector<'a> = dyn Fn(&str, Lang) -> (String, Vec<(String, bool)>) + 'a;

/// How the language was told.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LangEvidence {
    /// Han characters and Latin letters outside the lexicon's names.
    pub han: usize,
    pub latin: usize,
    /// Words that only English or only Portuguese uses (function words, chat slang).
    pub en_words: usize,
    pub pt_words: usize,
    pub decided_by: &'static str,
}

/// How [`Analyzer::understand_as`] finds a text's language.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// From its words, with this language when they do not tell.
    Detect(Lang),
    Known(Lang),
}

/// A message as the answerer reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Understanding {
    /// The language of the whole message.
    #[serde(serialize_with = "lang_code")]
    pub lang: Lang,
    pub lang_evidence: LangEvidence,
    /// The question without its chat noise, folded.
    pub question: String,
    /// The question without the words that only say what kind of question it is ("how
    /// many", "什么时候", "quando"): its type carries them. What ranking reads.
    pub content: String,
    /// The pieces of chat noise that were removed.
    pub noise: Vec<String>,
    /// The question's types, the main one first.
    pub types: Vec<QType>,
    /// The programs and roles it names (`@hero`), in order.
    pub focus: Vec<String>,
    /// The aspects it asks about (`@benefit`, `@count`).
    pub aspects: Vec<String>,
    /// Set when the message is a request the bot declines.
    pub request: Option<Request>,
    /// The member asks what their own next step on the growth path is.
    pub next_step: bool,
    /// Words typo correction put in, and whether each only restored a missing letter.
    pub corrections: Vec<(String, bool)>,
    /// It compares two programs or roles ("the difference between a CB and a Hero").
    pub compares: bool,
    /// What it asks the existence of ("application fee" in "is there an application fee
    /// to join?", "年龄限制" in "有没有年龄限制"), folded.
    pub exists: Option<String>,
    /// The clause whose yes or no is asked ("does a Hero get a free ticket" in "…? and how
    /// much credit?"): what a "Yes." must be true of, folded.
    pub yes_no: Option<String>,
}

fn lang_code<S: serde::Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(lang.code())
}

impl Understanding {
    pub fn qtype(&self) -> QType {
        self.types.first().copied().unwrap_or(QType::Other)
    }

    pub fn is(&self, t: QType) -> bool {
        self.types.contains(&t)
    }

    /// Whether nothing but chat noise was written ("hi!", "thanks a lot 🙏").
    pub fn only_noise(&self) -> bool {
        self.question.trim().is_empty() && !self.noise.is_empty()
    }
}

/// Chinese words that ask something after "有" ("有哪些", "有多少"): not an existence.
const ZH_ASKING: [&str; 5] = ["哪", "什么", "啥", "多少", "几"];

/// "Hero 有年龄限制吗": what lies between the last "有" and the closing "吗", when that "有"
/// is not part of another word ("没有", "所有", "有哪些").
fn zh_has_then_ma(clause: &str) -> Option<&str> {
    let body = clause.trim_end_matches(|c: char| !is_han(c));
    let body = body.strip_suffix('吗')?;
    let (at, _) = body.char_indices().rev().find(|&(i, c)| {
        c == '有'
            && !body[..i].ends_with(['没', '所', '还', '只', '拥', '具', '含'])
            && !ZH_ASKING
                .iter()
                .chain(&["关", "点"])
                .any(|w| body[i + c.len_utf8()..].starts_with(w))
    })?;
    Some(&body[at + '有'.len_utf8()..])
}

/// A set of phrases found as whole words (Latin) or anywhere (Chinese), leftmost-longest.
pub(crate) struct Phrases {
    matcher: Option<AhoCorasick>,
    tags: Vec<u16>,
}

impl Phrases {
    pub fn new<'a>(items: impl IntoIterator<Item = (&'a str, u16)>) -> Phrases {
        let mut forms = Vec::new();
        let mut tags = Vec::new();
        for (form, tag) in items {
            if !forms.iter().any(|f: &String| f == form) {
                forms.push(form.to_string());
                tags.push(tag);
            }
        }
        let matcher = (!forms.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .build(&forms)
                .expect("phrases compile")
        });
        Phrases { matcher, tags }
    }

    pub fn of(lists: &PerLang, tag: u16) -> Phrases {
        Phrases::new(lists.all().map(|(_, p)| (p, tag)))
    }

    /// Phrases tagged with their language's index.
    pub fn by_lang(lists: &PerLang) -> Phrases {
        Phrases::new(lists.all().map(|(l, p)| (p, l.index() as u16)))
    }

    /// Phrases tagged with the set of languages that list them (bit `1 << index`): a form
    /// two languages share ("ec2", "docker") is found in either.
    pub fn by_lang_set(lists: &PerLang) -> Phrases {
        let mut merged: Vec<(&str, u16)> = Vec::new();
        for (l, p) in lists.all() {
            match merged.iter_mut().find(|(f, _)| *f == p) {
                Some((_, set)) => *set |= 1 << l.index(),
                None => merged.push((p, 1 << l.index())),
            }
        }
        Phrases::new(merged)
    }

    /// Every whole match in `folded`: (start, end, tag).
    pub fn find(&self, folded: &str) -> Vec<(usize, usize, u16)> {
        let mut out = Vec::new();
        let Some(matcher) = &self.matcher else {
            return out;
        };
        let mut pos = 0;
        while let Some(m) = matcher.find(Input::new(folded).range(pos..)) {
            let (s, e) = (m.start(), m.end());
            let form = &folded[s..e];
            let glued_before = form.chars().next().is_some_and(is_word_char)
                && folded[..s].chars().next_back().is_some_and(is_word_char);
            let glued_after = form.chars().last().is_some_and(is_word_char)
                && folded[e..].chars().next().is_some_and(is_word_char);
            let whole = if glued_before {
                None
            } else if glued_after {
                self.shorter_whole(matcher, folded, s, e)
            } else {
                Some((e, m.pattern().as_usize()))
            };
            let Some((e, pattern)) = whole else {
                pos = s + form.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            out.push((s, e, self.tags[pattern]));
            pos = e;
        }
        out
    }

    /// A longer form that ran into the next word ("which are the" in "which are they"):
    /// the longest shorter form at the same start that ends on a word's end, if any.
    fn shorter_whole(
        &self,
        matcher: &AhoCorasick,
        folded: &str,
        start: usize,
        mut end: usize,
    ) -> Option<(usize, usize)> {
        loop {
            end = start + folded[start..end].rfind(|c: char| !is_word_char(c))?;
            let m = matcher.find(Input::new(folded).range(start..end).anchored(Anchored::Yes))?;
            if !folded[m.end()..].chars().next().is_some_and(is_word_char) {
                return Some((m.end(), m.pattern().as_usize()));
            }
            end = m.end();
        }
    }

    pub fn any(&self, folded: &str) -> Option<(usize, usize)> {
        self.find(folded).first().map(|&(s, e, _)| (s, e))
    }
}

/// The query-understanding tables built from one lexicon.
pub(crate) struct Reader {
    noise: Phrases,
    address: Phrases,
    connectors: Phrases,
    question_words: Phrases,
    /// [`Lexicon::existence`] and its ends, tagged with their language's index.
    existence: Phrases,
    existence_ends: Phrases,
    cues: Phrases,
    yesno_start: Phrases,
    task_verbs: Phrases,
    task_objects: Phrases,
    subjects: Phrases,
    requests: Phrases,
    modals: Phrases,
    why: Phrases,
    answer_in: Phrases,
    answer_in_words: Phrases,
    next_step: Phrases,
    /// Words only one of English and Portuguese uses, by language index.
    markers: rustc_hash::FxHashMap<String, Lang>,
    /// Question frames: (type, words before the gap, words after it).
    frames: Vec<(QType, Vec<String>, Vec<String>)>,
    /// Every single word of the noise and address lists: a clause made of these and stop
    /// words alone says nothing.
    filler_words: rustc_hash::FxHashSet<String>,
}

/// Phrases that put a task verb in request position ("can you write", "me ajuda a traduzir").
const REQUESTS: &[&str] = &[
    "can you",
    "could you",
    "would you",
    "will you",
    "can u",
    "could u",
    "pls",
    "please",
    "plz",
    "help me",
    "i need you to",
    "i want you to",
    "you can",
    "go ahead and",
    "pode",
    "voce pode",
    "vc pode",
    "poderia",
    "consegue",
    "me ajuda a",
    "me ajude a",
    "por favor",
    "帮我",
    "给我",
    "请你",
    "请帮我",
    "你能",
    "能不能帮我",
    "可以帮我",
    "麻烦帮我",
];

impl Reader {
    pub fn new(lex: &Lexicon) -> Reader {
        let cue_items: Vec<(&str, u16)> = lex
            .cues
            .iter()
            .flat_map(|(t, p)| {
                let tag = QType::ALL.iter().position(|x| x == t).unwrap_or(11) as u16;
                p.all().map(move |(_, s)| (s, tag))
            })
            .collect();
        let mut markers = rustc_hash::FxHashMap::default();
        let mut both = rustc_hash::FxHashSet::default();
        for lang in [Lang::En, Lang::Pt] {
            let lists = [&lex.stopwords, &lex.slang, &lex.noise, &lex.address];
            for list in lists {
                for w in list.of(lang) {
                    if w.contains(' ') {
                        continue;
                    }
                    match markers.get(w) {
                        Some(l) if *l != lang => {
                            both.insert(w.clone());
                        }
                        _ => {
                            markers.insert(w.clone(), lang);
                        }
                    }
                }
            }
        }
        // Chat spellings are markers of their language too ("qntos", "vc", "u").
        for lang in [Lang::En, Lang::Pt] {
            for (from, _) in &lex.expand[lang.index()] {
                if from.contains(' ') {
                    continue;
                }
                match markers.get(from) {
                    Some(l) if *l != lang => {
                        both.insert(from.clone());
                    }
                    _ => {
                        markers.insert(from.clone(), lang);
                    }
                }
            }
        }
        markers.retain(|w, _| !both.contains(w));
        let filler_words = [&lex.noise, &lex.address]
            .into_iter()
            .flat_map(|l| l.all().map(|(_, s)| s.to_string()))
            .filter(|s| !s.contains(' '))
            .collect();
        let frames = lex
            .frames
            .iter()
            .flat_map(|(t, p)| {
                p.all().filter_map(move |(_, f)| {
                    let (a, b) = f.split_once('*')?;
                    let words = |s: &str| s.split_whitespace().map(str::to_string).collect();
                    Some((*t, words(a), words(b)))
                })
            })
            .collect();
        Reader {
            frames,
            noise: Phrases::of(&lex.noise, 0),
            address: Phrases::of(&lex.address, 0),
            connectors: Phrases::of(&lex.connectors, 0),
            question_words: Phrases::of(&lex.question_words, 0),
            existence: Phrases::by_lang(&lex.existence),
            existence_ends: Phrases::by_lang(&lex.existence_ends),
            cues: Phrases::new(cue_items),
            yesno_start: Phrases::of(&lex.yesno_start, 0),
            task_verbs: Phrases::of(&lex.declines.task_verbs, 0),
            task_objects: Phrases::of(&lex.declines.task_objects, 0),
            subjects: Phrases::by_lang_set(&lex.declines.subjects),
            requests: Phrases::new(REQUESTS.iter().map(|r| (*r, 0))),
            modals: Phrases::of(&lex.modals, 0),
            why: Phrases::of(&lex.why, 0),
            next_step: Phrases::of(&lex.next_step, 0),
            answer_in: Phrases::by_lang(&lex.answer_in),
            answer_in_words: Phrases::of(&lex.answer_in_words, 0),
            markers,
            filler_words,
        }
    }
}

/// Mentions (`<@123>`, `<@U1|ana>`, `<#C1>`, `<!here>`, `@bot`) and pictographs out; the
/// rest folded, with runs of punctuation ("??", "!!!") made one.
fn clean(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' && matches!(chars.peek(), Some('@' | '#' | '!')) {
            // Platform markup up to its closing bracket.
            let mut inner = String::new();
            let mut closed = false;
            for n in chars.by_ref() {
                if n == '>' {
                    closed = true;
                    break;
                }
                inner.push(n);
                if inner.len() > 100 {
                    break;
                }
            }
            if !closed {
                out.push('<');
                out.push_str(&inner);
            }
            out.push(' ');
            continue;
        }
        if c == '@' && !out.chars().last().is_some_and(char::is_alphanumeric) {
            while chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || matches!(n, '_' | '-' | '.'))
            {
                chars.next();
            }
            out.push(' ');
            continue;
        }
        if c.is_control() {
            out.push(' ');
        } else if c.is_alphanumeric() || c.is_whitespace() || is_text_punct(c) {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    let folded = fold(&out);
    let mut squeezed = String::with_capacity(folded.len());
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        let punct = matches!(c, '?' | '!' | '.' | '。' | '~' | '～');
        if punct && prev.is_some_and(|p| matches!(p, '?' | '!' | '.' | '。' | '~' | '～')) {
            // "?!" and "???" say one thing; "..." too.
            continue;
        }
        squeezed.push(c);
        prev = Some(c);
    }
    squeezed
}

fn is_text_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF65 | 0x2018..=0x201F | 0x2026)
}

/// Whether clause words fit a frame: `before` at the start, then at least one word, then
/// `after` somewhere later ("what do * do" fits "what do volunteers actually do").
fn frame_matches(words: &[&str], before: &[String], after: &[String]) -> bool {
    // Words that start another question: the `*` of "what * do" does not reach over them
    // ("what is a CB and how do I join?" asks no duties).
    const ANOTHER: [&str; 15] = [
        "and", "but", "plus", "then", "how", "when", "where", "who", "which", "why", "what",
        "como", "quando", "onde", "quem",
    ];
    if words.len() < before.len() + after.len() + 1
        || !words.iter().zip(before).all(|(w, b)| w == b)
    {
        return false;
    }
    let rest = &words[before.len()..];
    if after.is_empty() {
        return true;
    }
    // The first place `after` follows, with at least one word for the `*`.
    (1..rest.len()).any(|at| {
        let tail = &rest[at..];
        tail.len() >= after.len()
            && tail.iter().zip(after).all(|(w, a)| w == a)
            && !rest[..at].iter().any(|w| ANOTHER.contains(w))
    })
}

/// Chat lengthening undone for filler words: "heyyy" is "hey", "oiii" is "oi",
/// "valeuuu" is "valeu". Other words are left as written.
fn squeeze_elongated(clause: &str, filler: &rustc_hash::FxHashSet<String>) -> String {
    let mut out = String::with_capacity(clause.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if !filler.contains(word.as_str()) {
                let mut squeezed = String::new();
                for c in word.chars() {
                    if !squeezed.ends_with(c) || c.is_ascii_digit() {
                        squeezed.push(c);
                    }
                }
                if squeezed != *word && filler.contains(&squeezed) {
                    *word = squeezed;
                }
            }
            out.push_str(word);
            word.clear();
        }
    };
    for c in clause.chars() {
        if is_word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Byte ranges of the clauses of folded text: split at sentence punctuation, commas and
/// line ends, and at a colon followed by a space ("re:Invent" and URLs stay whole).
/// How an afterthought says what is not asked: "not the LPs", "não os LPs", "不是 LP".
const EXCLUDING: [&str; 9] = [
    "not ",
    "but not ",
    "except ",
    "nao ",
    "mas nao ",
    "exceto ",
    "不是",
    "除了",
    "不包括",
];

/// Whether a clause only says what the question is not about: short, and opening with
/// "not" ("not the LPs", "não os LPs kkk", "不是 LP 哈").
fn excludes(clause: &str) -> bool {
    let clause = clause.trim();
    let short = if clause.chars().any(is_han) {
        clause.chars().count() <= 10
    } else {
        clause.split_whitespace().count() <= 5
    };
    short && EXCLUDING.iter().any(|x| clause.starts_with(x))
}

/// An aside in brackets that says what is not asked ("(not the LPs)", "（不是 LP 哈）") is a
/// clause of its own.
fn asides_apart(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in text.char_indices() {
        if matches!(c, '(' | '（') && excludes(text[i + c.len_utf8()..].trim_start()) {
            out.push_str(" ; ");
        } else {
            out.push(c);
        }
    }
    out
}

fn clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let ends = match c {
            '?' | '!' | ';' | '\n' | '。' | '！' | '？' | '；' | '，' | '、' => true,
            '.' | ',' | ':' => next.is_none_or(char::is_whitespace) || next.is_some_and(is_han),
            _ => false,
        };
        if ends {
            out.push((start, i));
            start = i + c.len_utf8();
        }
    }
    out.push((start, text.len()));
    out.retain(|&(s, e)| !text[s..e].trim().is_empty());
    out
}

impl Analyzer {
    /// Whether the [`Lexicon::answer_in`] phrase at `s..e` of `text` asks for the answer in
    /// its language: its clause holds nothing else but [`Lexicon::answer_in_words`] and
    /// chat noise ("in english please", "请用英文回答"), or it ends a clause that is no yes/no
    /// question and does not say what something is ("what is a CB in english?"; not "are the
    /// sessions in english?", "as sessões são em inglês?" nor "是用英文吗").
    fn asks_for_language(&self, text: &str, s: usize, e: usize) -> bool {
        let r = self.reader();
        let (cs, ce) = clauses(text)
            .into_iter()
            .find(|&(cs, ce)| cs <= s && e <= ce)
            .unwrap_or((s, e));
        let without = |part: &str| {
            let mut rest = part.to_string();
            for phrases in [&r.answer_in_words, &r.noise] {
                for (ms, me, _) in phrases.find(&rest).into_iter().rev() {
                    rest.replace_range(ms..me, " ");
                }
            }
            rest
        };
        let says_something = |part: &str| part.chars().any(char::is_alphanumeric);
        let before = without(&text[cs..s]);
        let after = without(&text[e..ce]);
        if says_something(&after) {
            return false;
        }
        let before = before.trim();
        if !says_something(before) {
            return true;
        }
        // "são em inglês?", "是用英文": the phrase says what something is.
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let copula = before.ends_with('是')
            || r.yesno_start
                .find(last_word)
                .first()
                .is_some_and(|m| m.0 == 0 && m.1 == last_word.len());
        !copula && r.yesno_start.find(before).first().is_none_or(|m| m.0 != 0)
    }

    /// Reads a message: its language, its question without the chat noise, the question's
    /// types and focus, and whether it is a request the bot declines.
    pub fn understand(&self, message: &str, fallback: Lang) -> Understanding {
        self.understand_with(message, fallback, &|s, _| (s.to_string(), Vec::new()))
    }

    /// Like [`Analyzer::understand`], with `fix` correcting typos in each clause of the
    /// question (against the knowledge base's words) before its type and focus are read.
    pub fn understand_with(&self, message: &str, fallback: Lang, fix: &Corrector) -> Understanding {
        self.understand_as(message, Reading::Detect(fallback), fix)
    }

    /// Like [`Analyzer::understand`] for text whose language is known: a heading is read in
    /// its document's language, whatever names it quotes ("AWS Community Builders" heads a
    /// Portuguese section too).
    pub(crate) fn understand_in(&self, text: &str, lang: Lang) -> Understanding {
        self.understand_as(text, Reading::Known(lang), &|s, _| {
            (s.to_string(), Vec::new())
        })
    }

    fn understand_as(&self, message: &str, reading: Reading, fix: &Corrector) -> Understanding {
        let r = self.reader();
        let mut corrections = Vec::new();
        let text = clean(message);
        let (mut lang, mut lang_evidence) = match reading {
            Reading::Detect(fallback) => self.language(&text, fallback),
            Reading::Known(lang) => (
                lang,
                LangEvidence {
                    decided_by: "known",
                    ..LangEvidence::default()
                },
            ),
        };
        // "in english, please": the member says which language they want; "are the sessions
        // in english?" asks something else.
        let asked_for: Vec<(usize, usize, u16)> = r
            .answer_in
            .find(&text)
            .into_iter()
            .filter(|&(s, e, _)| self.asks_for_language(&text, s, e))
            .collect();
        if let Some(&(_, _, l)) = asked_for.last() {
            lang = Lang::ALL[l as usize];
            lang_evidence.decided_by = "asked";
        }
        let mut text = text;
        for (s, e, _) in asked_for.into_iter().rev() {
            text.replace_range(s..e, " ");
        }
        let mut noise = Vec::new();
        let mut kept: Vec<String> = Vec::new();
        let mut clause_starts: Vec<String> = Vec::new();
        let text = asides_apart(&text);
        for (s, e) in clauses(&text) {
            let clause = &text[s..e];
            let squeezed = squeeze_elongated(clause, &r.filler_words);
            // Chat spellings are read out first, so "can u tell me" and "any1 know" are the
            // noise they spell.
            let expanded = self.expand(&squeezed, lang);
            let clause = expanded.as_str();
            let mut core = String::with_capacity(clause.len());
            let mut last = 0;
            for (ms, me, _) in r.noise.find(clause) {
                core.push_str(&clause[last..ms]);
                core.push(' ');
                noise.push(clause[ms..me].to_string());
                last = me;
            }
            core.push_str(&clause[last..]);
            let core = self.trim_address(core.trim(), &mut noise);
            let core = self.trim_connector(&core, lang, &mut noise);
            // "…? not the LPs lol": an afterthought that says what is not asked.
            if !kept.is_empty() && excludes(&core) {
                noise.push(core.trim().to_string());
                continue;
            }
            // "…? e quais são?": a follow-up of question words alone asks for more of the
            // same (here, the list); it keeps its type, and adds no words to rank by.
            if !kept.is_empty()
                && !core.trim().is_empty()
                && !self.has_content(&core)
                && !self.reader().cues.find(&core).is_empty()
            {
                clause_starts.push(core.trim().to_string());
                kept.push(core.trim().to_string());
                continue;
            }
            if core.is_empty() || !self.has_content(&core) {
                if !core.trim().is_empty() {
                    noise.push(core.trim().to_string());
                }
                continue;
            }
            let (core, fixed) = fix(&core, lang);
            corrections.extend(fixed);
            clause_starts.push(core.clone());
            kept.push(core);
        }
        let question = kept.join(" ");
        let (question, kind_of) = self.kind_of_aspect(question);
        let (mut types, yes_no) = self.types(&question, &clause_starts, lang);
        if kind_of && !types.contains(&QType::List) {
            types.push(QType::List);
        }
        let content = self.content(&question);
        let bare = question.trim_matches(|c: char| !c.is_alphanumeric() && !is_han(c));
        let next_step = !r.next_step.find(&question).is_empty()
            || self.lexicon().next_step_alone.iter().any(|p| bare == p);
        let mut focus = Vec::new();
        let mut aspects = Vec::new();
        let fuzzy = self.fuzzy_cjk_concepts(&question);
        let found = self
            .concepts_in(&question)
            .into_iter()
            .map(|(_, _, term)| term.to_string())
            .chain(fuzzy);
        let mut compares = false;
        for term in found {
            let term = term.as_str();
            compares |= term == "@compare";
            if self.is_entity(term) {
                if !focus.iter().any(|f| f == term) {
                    focus.push(term.to_string());
                }
            } else if self.is_aspect(term) && !aspects.iter().any(|a| a == term) {
                aspects.push(term.to_string());
                if let Some(t) = self.qtype_of(term) {
                    // "how to join" is a how-to only with "how"; an aspect named alone
                    // ("CB benefits?") is what is asked.
                    if t != QType::HowTo && !types.contains(&t) {
                        types.push(t);
                    }
                }
            }
        }
        if types.contains(&QType::HowTo)
            && !aspects.iter().any(|a| a == "@apply")
            && types.len() > 1
        {
            // "how many", "how long" are not how-to questions.
            types.retain(|t| *t != QType::HowTo);
        }
        if lang == Lang::Zh && types.contains(&QType::Where) && question.contains("是多少") {
            // "网址是多少" asks what the address is, not how many there are.
            types.retain(|t| *t != QType::Count);
            aspects.retain(|a| a != "@count");
        }
        if types.contains(&QType::Definition)
            && types
                .iter()
                .any(|t| matches!(t, QType::Where | QType::When | QType::Count))
        {
            // "What is the website for community days?" asks for the address, not what
            // Community Days are.
            types.retain(|t| *t != QType::Definition);
        }
        types.sort();
        types.dedup();
        if types.is_empty() {
            types.push(QType::Other);
        }
        let mut understood = Understanding {
            lang,
            lang_evidence,
            question,
            content,
            noise,
            types,
            compares: compares && focus.len() >= 2,
            focus,
            aspects,
            request: None,
            next_step,
            corrections,
            exists: self.asked_existence(&clause_starts, lang),
            yes_no,
        };
        understood.request = self.request(&text, &clause_starts, &understood);
        understood
    }

    /// "What kind of support does AWS give?", "que tipo de apoio", "什么类型的支持": a kind
    /// named before another aspect frames a question about that aspect (the kinds of
    /// support are its list), not one about categories. The frame's words are taken out,
    /// and the question asks for a list. A kind of a program ("what kinds of Heroes") is
    /// still a question about categories.
    fn kind_of_aspect(&self, question: String) -> (String, bool) {
        // Latin script joins the two with a word ("kind of", "tipo de"; "tipo serverless" is
        // chat for "like serverless"); Chinese puts them side by side, or with 的.
        const LINKS: [&str; 6] = ["of", "de", "do", "da", "dos", "das"];
        let found = self.concepts_in(&question);
        let frame = found.windows(2).find_map(|w| {
            let ((ks, ke, kind), (s, _, next)) = (w[0], w[1]);
            let link = question[ke..s].trim();
            let han = question[ks..ke].chars().any(is_han);
            let joined = if han {
                link.is_empty() || link == "的"
            } else {
                LINKS.contains(&link)
            };
            (kind == "@category" && next != kind && self.is_aspect(next) && joined)
                .then_some((ks, s))
        });
        match frame {
            Some((s, e)) => {
                let mut q = question;
                q.replace_range(s..e, " ");
                (q, true)
            }
            None => (question, false),
        }
    }

    /// Chat spellings written out ("vc" is "voce", "u" is "you", "啥" is "什么"), in the
    /// message's language: whole words in Latin script, anywhere in Chinese.
    fn expand(&self, clause: &str, lang: Lang) -> String {
        let table = &self.lexicon().expand[lang.index()];
        if table.is_empty() {
            return clause.to_string();
        }
        if lang == Lang::Zh {
            let mut out = clause.to_string();
            let mut entries: Vec<&(String, String)> = table.iter().collect();
            entries.sort_by_key(|(f, _)| std::cmp::Reverse(f.chars().count()));
            for (from, to) in entries {
                if out.contains(from.as_str()) {
                    // Longer spellings first, so "干啥" is not read as "干" + "什么".
                    out = out.replace(from.as_str(), &format!("\u{2}{to}\u{2}"));
                }
            }
            return out.replace('\u{2}', "");
        }
        let mut out = String::with_capacity(clause.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if !word.is_empty() {
                match table.iter().find(|(f, _)| f == word) {
                    Some((_, to)) => out.push_str(to),
                    None => out.push_str(word),
                }
                word.clear();
            }
        };
        for c in clause.chars() {
            if is_word_char(c) || (c == '\'' && !word.is_empty()) {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }

    /// Whether folded text names what someone may or can do ("can", "pode", "可以").
    pub(crate) fn names_a_modal(&self, folded: &str) -> bool {
        !self.reader().modals.find(folded).is_empty()
    }

    /// Address words ("folks", "gente", "大家") at either end of a clause go.
    fn trim_address(&self, clause: &str, noise: &mut Vec<String>) -> String {
        let r = self.reader();
        let mut s = clause
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        loop {
            let found = r.address.find(s);
            let before = s;
            if let Some(&(ms, me, _)) = found.first().filter(|m| m.0 == 0) {
                noise.push(s[ms..me].to_string());
                s = s[me..]
                    .trim_start_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
            }
            if let Some(&(ms, me, _)) = found.last().filter(|m| m.1 == s.len() && m.0 > 0) {
                noise.push(s[ms..me].to_string());
                s = s[..ms]
                    .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
            }
            if s == before || s.is_empty() {
                break;
            }
        }
        s.to_string()
    }

    /// A connector opening a clause ("and what do volunteers do?", "e o que…", "那志愿者…")
    /// goes when a question follows it: in Portuguese "e" is also "é" once accents are
    /// folded away, and "é verdade que…" keeps it.
    fn trim_connector(&self, clause: &str, lang: Lang, noise: &mut Vec<String>) -> String {
        let r = self.reader();
        let Some(&(0, end, _)) = r.connectors.find(clause).first() else {
            return clause.to_string();
        };
        let rest = clause[end..]
            .trim_start_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        let asks = lang == Lang::Zh
            || r.question_words
                .find(rest)
                .first()
                .is_some_and(|m| m.0 == 0);
        if rest.is_empty() || !asks {
            return clause.to_string();
        }
        noise.push(clause[..end].trim().to_string());
        rest.to_string()
    }

    /// The thing a clause asks the existence of: the words after an opening ("is there",
    /// "tem", "有没有", or Chinese "有…吗") up to an end word ("for", "pra", "吗"), unless a
    /// question word follows the opening ("tem como…", "tem quantos…": another question).
    fn asked_existence(&self, clause_starts: &[String], lang: Lang) -> Option<String> {
        let r = self.reader();
        let own = |p: &Phrases, text: &str| -> Vec<(usize, usize)> {
            p.find(text)
                .into_iter()
                .filter(|m| m.2 == lang.index() as u16)
                .map(|m| (m.0, m.1))
                .collect()
        };
        clause_starts.iter().find_map(|c| {
            let c = c.trim();
            let opening = own(&r.existence, c).into_iter().next();
            let rest = match opening {
                // English and Portuguese put it first; Chinese anywhere ("Hero 有没有…").
                Some((s, e)) if s == 0 || lang == Lang::Zh => &c[e..],
                _ if lang == Lang::Zh => zh_has_then_ma(c)?,
                _ => return None,
            };
            let end = own(&r.existence_ends, rest)
                .first()
                .map_or(rest.len(), |m| m.0);
            let thing = rest[..end]
                .trim()
                .trim_end_matches(|ch: char| !ch.is_alphanumeric())
                .trim();
            let asks_else = r
                .question_words
                .find(thing)
                .first()
                .is_some_and(|m| m.0 == 0)
                || !r.cues.find(thing).is_empty()
                || ZH_ASKING.iter().any(|w| thing.starts_with(w));
            (!thing.is_empty() && !asks_else).then(|| thing.to_string())
        })
    }

    /// Whether a clause says anything beyond function words and chat filler.
    fn has_content(&self, clause: &str) -> bool {
        let r = self.reader();
        if !self.concepts_in(clause).is_empty() {
            return true;
        }
        let cjk_stop = self.lexicon().stopwords.of(Lang::Zh);
        let mut han = String::new();
        for c in clause.chars() {
            if is_han(c) {
                han.push(c);
            }
        }
        if !han.is_empty() {
            let mut rest = han.clone();
            let mut stops: Vec<&String> = cjk_stop.iter().collect();
            stops.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            for s in stops {
                rest = rest.replace(s.as_str(), "");
            }
            if !rest.is_empty() {
                return true;
            }
        }
        clause
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .any(|w| !self.is_stopword(w) && !r.filler_words.contains(w))
    }

    /// The language of the whole message. Han characters decide when they are at least half
    /// as many as the Latin letters, not counting the lexicon's names in either script
    /// ("Cloud Captain 是做什么的" is Chinese; "what does 技术出品人 mean" English). Otherwise
    /// the words only English or only Portuguese uses vote (function words and chat slang:
    /// vc, q, pq; wanna, u), with Portuguese letters (ã, ç) as strong votes; lingua decides
    /// a tie.
    fn language(&self, text: &str, fallback: Lang) -> (Lang, LangEvidence) {
        let r = self.reader();
        // Program and role names are written alike in every language; phrases such as
        // "how many" or "around the world" are not, and stay.
        let mut masked = text.to_string();
        for (s, e, term) in self.concepts_in(text).into_iter().rev() {
            if self.is_entity(term) {
                masked.replace_range(s..e, " ");
            }
        }
        // Addresses are names too.
        let masked: String = masked
            .split_whitespace()
            .filter(|w| !w.contains("://") && !w.starts_with("www."))
            .collect::<Vec<_>>()
            .join(" ");
        let han = masked.chars().filter(|&c| is_han(c)).count();
        let latin = masked
            .chars()
            .filter(|&c| c.is_alphabetic() && !is_han(c))
            .count();
        let (mut en, mut pt) = (0usize, 0usize);
        for w in masked.split(|c: char| !is_word_char(c) && c != '\'') {
            let w = w.trim_matches('\'');
            match r.markers.get(w) {
                Some(Lang::En) => en += 1,
                Some(Lang::Pt) => pt += 1,
                _ => {}
            }
        }
        let mut ev = LangEvidence {
            han,
            latin,
            en_words: en,
            pt_words: pt,
            decided_by: "",
        };
        let all_han = text.chars().filter(|&c| is_han(c)).count();
        let all_latin = text
            .chars()
            .filter(|&c| c.is_alphabetic() && !is_han(c))
            .count();
        // Chinese function words ("的", "吗", "哪些") are written only by someone writing
        // Chinese, whatever English words the sentence carries ("CB 的 benefits 有哪些").
        let grammar = self
            .lexicon()
            .stopwords
            .of(Lang::Zh)
            .iter()
            .any(|w| masked.contains(w.as_str()));
        if (han >= 2 && (han * 2 >= latin || grammar)) || (han == 0 && latin == 0 && all_han > 0) {
            ev.decided_by = "han";
            return (Lang::Zh, ev);
        }
        if han == 0 && latin == 0 && all_latin == 0 {
            ev.decided_by = "fallback";
            return (fallback, ev);
        }
        if en != pt && (en.max(pt) >= 2 || en.min(pt) == 0) {
            ev.decided_by = "words";
            return (if pt > en { Lang::Pt } else { Lang::En }, ev);
        }
        let sample = if latin >= 12 { masked.as_str() } else { text };
        match crate::lang::detect_question(sample) {
            Some(l) => {
                ev.decided_by = "model";
                (l, ev)
            }
            None => {
                ev.decided_by = "fallback";
                (fallback, ev)
            }
        }
    }

    /// The question with the words of its type cues blanked, where they are not also a
    /// concept's form ("how many" is `@count` too and stays).
    fn content(&self, question: &str) -> String {
        let concepts = self.concepts_in(question);
        let mut out = question.to_string();
        for (s, e, _) in self.reader().cues.find(question).into_iter().rev() {
            if !concepts.iter().any(|&(cs, ce, _)| cs < e && s < ce) {
                out.replace_range(s..e, " ");
            }
        }
        if self.analyze_folded(&out, Lang::En).is_empty() {
            // Nothing but cue words ("when?"): they are the question.
            return question.to_string();
        }
        out
    }

    /// The types a message asks, clause by clause: "does a Hero get a free ticket? and how
    /// much credit?" asks a yes or no and a count. A clause that also asks a wh-question
    /// ("can you tell me what a Hero is") or why ("pq não dá pra…") is not a yes/no one,
    /// and only the first asking clause's yes or no is said: after "how do I become a Hero?", "is
    /// there a form?" is a follow-up that the answer to the first one covers.
    fn types(
        &self,
        question: &str,
        clause_starts: &[String],
        lang: Lang,
    ) -> (Vec<QType>, Option<String>) {
        let r = self.reader();
        let wh = [
            QType::Count,
            QType::HowTo,
            QType::When,
            QType::Where,
            QType::Who,
            QType::Definition,
            QType::List,
        ];
        let mut types: Vec<QType> = Vec::new();
        let mut of_clause: Vec<QType> = Vec::new();
        // A message whose clauses were all dropped as noise still has its cues read whole.
        let whole = [question.to_string()];
        let clauses = if clause_starts.is_empty() {
            &whole[..]
        } else {
            clause_starts
        };
        let mut yes_no = None;
        // Whether each clause asks something ("I'd like to be a Hero, can I sign up myself?"
        // asks first in its second clause).
        let mut asks = Vec::with_capacity(clauses.len());
        for (i, c) in clauses.iter().enumerate() {
            of_clause.clear();
            of_clause.extend(
                r.cues
                    .find(c)
                    .into_iter()
                    .map(|(_, _, tag)| QType::ALL[tag as usize]),
            );
            let words: Vec<&str> = c
                .split(|ch: char| !is_word_char(ch) && ch != '\'')
                .filter(|w| !w.is_empty())
                .collect();
            for (t, before, after) in &r.frames {
                if frame_matches(&words, before, after) {
                    of_clause.push(*t);
                }
            }
            // "e a visão do grupo?" is "and the group's vision?": folded (and in chat) "é"
            // loses its accent, and before an article it is the "and" of a follow-up.
            let and_the = lang == Lang::Pt
                && ["e a ", "e o ", "e as ", "e os "]
                    .iter()
                    .any(|p| c.starts_with(p));
            let starts_yes_no = !and_the && r.yesno_start.find(c).first().is_some_and(|m| m.0 == 0);
            if starts_yes_no {
                of_clause.push(QType::YesNo);
            }
            // A wh-question is not a yes/no one ("what is…", "como faço…"), unless the clause
            // starts as one ("is there a list of…").
            let asks_why = !r.why.find(c).is_empty();
            if asks.contains(&true)
                || asks_why
                || !starts_yes_no && of_clause.iter().any(|t| wh.contains(t))
            {
                of_clause.retain(|t| *t != QType::YesNo);
            }
            asks.push(!of_clause.is_empty());
            if of_clause.contains(&QType::YesNo) {
                yes_no = Some(i);
            }
            types.extend_from_slice(&of_clause);
        }
        // The yes/no clause runs on through the clauses that ask nothing of their own ("can
        // I attend in my own language, say Spanish?").
        let yes_no = yes_no.filter(|_| !clause_starts.is_empty()).map(|i| {
            let end = (i + 1..clauses.len())
                .find(|&j| asks[j])
                .unwrap_or(clauses.len());
            clauses[i..end].join(" ")
        });
        (types, yes_no)
    }

    fn request(&self, text: &str, clause_starts: &[String], u: &Understanding) -> Option<Request> {
        let r = self.reader();
        if let Some((s, e)) = r.task_objects.any(text) {
            return Some(Request::Task(text[s..e].to_string()));
        }
        let requests = r.requests.find(text);
        for (s, e, _) in r.task_verbs.find(text) {
            let at_start = clause_starts.iter().any(|c| c.starts_with(&text[s..e]))
                || clauses(text)
                    .iter()
                    .any(|&(cs, ce)| cs <= s && s < ce && text[cs..s].trim().is_empty());
            let after_request = requests
                .iter()
                .any(|&(_, re, _)| re <= s && text[re..s].split_whitespace().count() <= 1);
            // "把 Hero 项目的介绍翻译成日语": what is to be done comes before the verb.
            let verb = &text[s..e];
            let disposal = verb.chars().any(is_han)
                && text[..s]
                    .rfind('把')
                    .is_some_and(|b| !text[b..s].contains(['。', '？', '?', '！', '!', '，', ',']));
            if at_start || after_request || disposal {
                return Some(Request::Task(verb.to_string()));
            }
        }
        // Another subject, named in the message's own language and not as part of a longer
        // community name ("Earn Trust" is a principle, not a salary; "quanto ganha" asks a
        // salary though "ganha" alone is what a member gets).
        let concepts = self.concepts_in(text);
        r.subjects
            .find(text)
            .into_iter()
            .filter(|&(s, e, langs)| {
                langs & (1 << u.lang.index()) != 0
                    && !concepts
                        .iter()
                        .any(|&(cs, ce, _)| cs <= s && e <= ce && ce - cs > e - s)
            })
            // The most specific ("per month" over "earn") is the one a section must name.
            .max_by_key(|&(s, e, _)| (e - s, std::cmp::Reverse(s)))
            .map(|(s, e, _)| Request::Subject(text[s..e].to_string()))
    }
}

impl fmt::Display for Understanding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.lang_evidence;
        writeln!(
            f,
            "language: {} (by {}: {} Han, {} Latin letters outside names; {} English and {} Portuguese words)",
            self.lang, e.decided_by, e.han, e.latin, e.en_words, e.pt_words
        )?;
        writeln!(f, "question: {}", self.question)?;
        if !self.noise.is_empty() {
            writeln!(f, "chat noise removed: {}", self.noise.join(" | "))?;
        }
        if !self.corrections.is_empty() {
            let fixed: Vec<&str> = self.corrections.iter().map(|(w, _)| w.as_str()).collect();
            writeln!(f, "typos corrected to: {}", fixed.join(", "))?;
        }
        let types: Vec<&str> = self.types.iter().map(|t| t.name()).collect();
        writeln!(f, "type: {}", types.join(", "))?;
        writeln!(
            f,
            "focus: {}",
            if self.focus.is_empty() {
                "(none)".to_string()
            } else {
                self.focus.join(", ")
            }
        )?;
        writeln!(
            f,
            "aspects: {}",
            if self.aspects.is_empty() {
                "(none)".to_string()
            } else {
                self.aspects.join(", ")
            }
        )?;
        if let Some(thing) = &self.exists {
            writeln!(f, "asks whether there is: {thing}")?;
        }
        match &self.request {
            Some(Request::Task(cue)) => writeln!(f, "request: a task (\"{cue}\")"),
            Some(Request::Subject(cue)) => writeln!(f, "request: another subject (\"{cue}\")"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyzer;

    fn u(q: &str) -> Understanding {
        analyzer().understand(q, Lang::En)
    }

    #[test]
    fn a_phrase_is_found_whole_inside_a_longer_one_that_runs_on() {
        let p = Phrases::new([("which", 1), ("which are the", 2), ("are", 3)]);
        // "which are the" runs into "they": "which" is still a whole match, then "are".
        assert_eq!(p.find("which are they"), [(0, 5, 1), (6, 9, 3)]);
        assert_eq!(p.find("which are the ones"), [(0, 13, 2)]);
        // Never part of a word.
        assert!(p.find("whichever").is_empty());
    }

    #[test]
    fn the_thing_whose_existence_is_asked_is_found_in_each_language() {
        let exists = |q: &str| u(q).exists;
        assert_eq!(
            exists("hey, is there an age limit for cloud captains?").as_deref(),
            Some("an age limit")
        );
        assert_eq!(
            exists("tem taxa de inscrição pro CB?").as_deref(),
            Some("taxa de inscricao")
        );
        assert_eq!(exists("Hero 有没有年龄限制？").as_deref(), Some("年龄限制"));
        assert_eq!(exists("CB 有名额限制吗").as_deref(), Some("名额限制"));
        // Other questions that open the same way.
        for q in [
            "tem como virar CB?",
            "tem quantos user groups no brasil",
            "Hero 有哪些权益？",
            "CB 有什么要求吗",
            "what is a hero",
            "do heroes get a free ticket?",
        ] {
            assert_eq!(exists(q), None, "{q}");
        }
    }

    #[test]
    fn chat_noise_leaves_the_question() {
        for (noisy, clean) in [
            (
                "hey folks, quick question: what is a hero? thanks!",
                "what is a hero",
            ),
            ("<@123456> what is a hero??", "what is a hero"),
            (
                "sorry if dumb question but what does a track owner do?",
                "what does a track owner do",
            ),
            ("@bot what is a hero 🙏🙏", "what is a hero"),
            ("各位好，请问什么是Hero？多谢", "什么是hero"),
            (
                "Oi gente, beleza? o que é um hero? valeu!",
                "o que e um hero",
            ),
        ] {
            assert_eq!(u(noisy).question, u(clean).question, "{noisy}");
        }
        assert!(u("thanks a lot!!").only_noise());
        assert!(u("oi gente").only_noise());
        // A follow-up of question words alone is no noise: it asks for the list as well.
        for q in [
            "quantas categorias de Hero tem? e quais são?",
            "how many hero categories? and which are they?",
        ] {
            let t = &u(q).types;
            assert!(
                t.contains(&QType::Count) && t.contains(&QType::List),
                "{q}: {t:?}"
            );
        }
        // Alone, they are still no question.
        assert!(u("e aí?").only_noise());
        // Chat spellings of a polite frame are the frame: no yes/no question is left.
        for q in [
            "yo can u tell me how to join a user group?",
            "vc sabe como entra num UG?",
        ] {
            let t = &u(q).types;
            assert!(
                t.contains(&QType::HowTo) && !t.contains(&QType::YesNo),
                "{q}: {t:?}"
            );
        }
        assert_eq!(
            u("any1 know what is a hero?").question,
            u("what is a hero").question
        );
    }

    #[test]
    fn the_job_of_a_role_is_its_duties_and_a_job_alone_a_career() {
        for q in [
            "what's the job of a city organizer?",
            "志愿者要干些啥？",
            "志愿者平时干啥",
        ] {
            let got = u(q);
            assert!(got.is(QType::Duties), "{q}: {:?}", got.types);
            assert!(!got.aspects.iter().any(|a| a == "@career"), "{q}");
        }
        let got = u("can being a hero help me find a job?");
        assert!(got.aspects.iter().any(|a| a == "@career"));
        assert!(!got.is(QType::Duties));
    }

    #[test]
    fn a_language_is_asked_for_only_by_a_request_not_by_a_question_about_it() {
        for (q, lang) in [
            ("what is a CB in english please", Lang::En),
            ("o que é um hero? in english pls", Lang::En),
            ("CB 是什么？请用英文回答", Lang::En),
            ("sorry, in english: what perks do CBs get?", Lang::En),
            ("what is a hero, em português por favor", Lang::Pt),
        ] {
            let got = u(q);
            assert_eq!(got.lang, lang, "{q}");
            assert_eq!(got.lang_evidence.decided_by, "asked", "{q}");
        }
        for (q, lang) in [
            ("CB 每周分享是用英文吗？", Lang::Zh),
            ("as sessões semanais dos CB são em inglês?", Lang::Pt),
            ("are the CB weekly sessions in english?", Lang::En),
        ] {
            let got = u(q);
            assert_eq!(got.lang, lang, "{q}");
            assert_ne!(got.lang_evidence.decided_by, "asked", "{q}");
        }
    }

    #[test]
    fn an_address_asked_with_duoshao_is_not_a_count() {
        let t = u("用户组的官方网页网址是多少？").types;
        assert!(
            t.contains(&QType::Where) && !t.contains(&QType::Count),
            "{t:?}"
        );
        assert!(u("全球有多少个用户组").types.contains(&QType::Count));
    }

    #[test]
    fn a_yes_or_no_is_asked_by_the_first_clause_that_asks() {
        // Asked first, then a follow-up of another type: still a yes or no, about its own
        // clause only.
        for (q, clause) in [
            (
                "thanks! also, do speakers get a gift? and how many talks a year?",
                "do speakers get a gift",
            ),
            (
                "e aí, voluntário pode ganhar certificado? quantos benefícios são?",
                "voluntario pode ganhar certificado",
            ),
            ("志愿者有证书吗？一共有几项福利", "志愿者有证书吗"),
        ] {
            let got = u(q);
            assert!(got.is(QType::YesNo), "{q}: {got}");
            assert_eq!(got.yes_no.as_deref(), Some(clause), "{q}");
        }
        // A clause that asks nothing of its own belongs to the one before it.
        let got = u("can I give a talk in my own language, say Spanish?");
        assert_eq!(
            got.yes_no.as_deref(),
            Some("can i give a talk in my own language say spanish")
        );
        // A question asked first makes a later yes/no clause a follow-up; why asks for a
        // reason; Portuguese "e a…" is "and the…".
        for q in [
            "e a missão do grupo?",
            "e o NightTalk, qual é?",
            "how do I become a speaker? is there a form?",
            "why can't I apply to be a Hero myself?",
            "pq não dá pra se inscrever direto?",
            "为什么不能自己报名呢",
        ] {
            assert!(!u(q).is(QType::YesNo), "{q}: {}", u(q));
        }
    }

    #[test]
    fn a_kind_of_an_aspect_asks_for_that_aspect_not_for_categories() {
        for q in [
            "what kind of support do meetup organizers get from AWS?",
            "que tipo de apoio os organizadores recebem?",
            "活动组织者能得到什么类型的支持",
        ] {
            let got = u(q);
            assert!(!got.aspects.iter().any(|a| a == "@category"), "{q}: {got}");
            assert!(got.aspects.iter().any(|a| a == "@support"), "{q}: {got}");
            assert!(got.is(QType::List), "{q}: {got}");
        }
        // Kinds of a program, or "like serverless" in chat, are still about categories.
        for q in [
            "what types of Heroes are there?",
            "quais tipos de Hero existem?",
            "Hero 有几种类型",
            "tem hero tipo serverless?",
        ] {
            let got = u(q);
            assert!(got.aspects.iter().any(|a| a == "@category"), "{q}: {got}");
        }
    }

    #[test]
    fn the_language_of_the_whole_message() {
        for (q, lang) in [
            ("Cloud Captain 是做什么的", Lang::Zh),
            ("what does 技术出品人 mean", Lang::En),
            ("wanna be a CB, how??", Lang::En),
            ("e aí, alguém sabe o q um track owner faz?", Lang::Pt),
            ("vc sabe se tem track owner no Recife?", Lang::Pt),
            ("CB 有什么福利？", Lang::Zh),
            ("How do I reset my password?", Lang::En),
        ] {
            assert_eq!(u(q).lang, lang, "{q}: {}", u(q));
        }
    }

    #[test]
    fn question_types_and_focus() {
        let q = u("how many hero categories are there?");
        assert_eq!(q.qtype(), QType::Count, "{q}");
        assert_eq!(q.focus, ["@hero"]);
        assert_eq!(u("what perks do UGLs get").qtype(), QType::Benefits);
        assert_eq!(
            u("how do I become a Community Builder?").qtype(),
            QType::HowTo
        );
        assert_eq!(u("can I apply to be a Hero myself?").qtype(), QType::YesNo);
        // A frame's `*` does not reach into another question.
        assert!(!u("what is a speaker and how do I join?").is(QType::Duties));
        assert!(u("what does a speaker actually do?").is(QType::Duties));
        assert_eq!(u("when do CB applications open").qtype(), QType::When);
        assert_eq!(u("o que é um hero").qtype(), QType::Definition);
        assert_eq!(u("列出所有 Hero 类别").qtype(), QType::List);
    }

    #[test]
    fn requests_the_bot_declines() {
        assert!(matches!(
            u("can u write a poem about user groups").request,
            Some(Request::Task(_))
        ));
        assert!(matches!(
            u("translate this to Chinese: heroes").request,
            Some(Request::Task(_))
        ));
        assert!(matches!(
            u("what salary does a solutions architect get?").request,
            Some(Request::Subject(_))
        ));
        assert_eq!(u("do heroes write blog posts?").request, None);
        assert_eq!(u("what is a hero").request, None);
        // Chinese names what is to be done first: "把…翻译成…".
        assert!(matches!(
            u("把 Hero 项目的介绍翻译成日语。").request,
            Some(Request::Task(_))
        ));
        assert_eq!(u("Hero 写博客吗？").request, None);
    }
}
