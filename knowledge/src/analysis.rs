//! Text analysis shared by documents and questions: folding (case, accents, full-width
//! forms), concept terms from the lexicon, stop words, Snowball stemming for English and
//! Portuguese, and bigrams for Chinese, which is written without spaces.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::lang::{is_han, Lang};
use crate::lexicon::{ConceptKind, Lexicon};
use crate::query::QType;

/// Characters so common that a form with one of them in place of its own is another word.
const COMMON_HAN: &str =
    "哪几的了是在有和与也就都吗呢吧啊个这那我你他她它们要会能可以不没很大小多少上下中人来去说到对里内外前后间边头自己还或";

/// The prefix of concept terms in the index.
pub const CONCEPT_PREFIX: char = '@';

/// What kind of term a token is; ranking weighs an unknown Chinese bigram less than an
/// unknown word, and a synonym's own word only where the index knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A lexicon concept (`@cb`).
    Concept,
    /// A word.
    Word,
    /// The surface word of a concept, or a concept that only ranks; it adds to the score but
    /// ignores it where the index does not know it.
    Synonym,
    Han,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    pub term: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// An index into [`Lexicon::concepts`].
    Concept(u16),
    Stop,
}

/// Text analysis built from one [`Lexicon`]: the concept automaton, stop words and stemmers.
pub struct Analyzer {
    lexicon: Lexicon,
    matcher: AhoCorasick,
    /// The longest form, in bytes: a form overlapping another ends within this of it.
    longest_form: usize,
    patterns: Vec<Pattern>,
    stopwords: HashSet<String>,
    numbers: HashSet<String>,
    english: Stemmer,
    portuguese: Stemmer,
    /// Folded words of every Latin concept form, offered to typo correction.
    lexicon_words: HashSet<String>,
    /// Chinese concept forms of three or more characters with one character blanked
    /// (`社区?`), for finding them with one wrong character (社区曰 for 社区日).
    cjk_fuzzy: HashMap<String, u16>,
    /// The characters of those forms: a window with two characters outside them is none.
    cjk_fuzzy_chars: HashSet<char>,
    /// Index terms (`@name`) by concept, and the concepts each implies.
    terms: Vec<String>,
    implied: Vec<Vec<u16>>,
    by_term: HashMap<String, u16>,
    reader: crate::query::Reader,
}

/// The analyser of the shipped lexicon.
pub fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(Lexicon::builtin()))
}

/// The shipped analyser, shared.
pub fn builtin() -> Arc<Analyzer> {
    static SHARED: OnceLock<Arc<Analyzer>> = OnceLock::new();
    SHARED
        .get_or_init(|| Arc::new(Analyzer::new(Lexicon::builtin())))
        .clone()
}

/// Lower case, accents and compatibility forms removed ("Voluntário" → "voluntario",
/// "ＣＢ？" → "cb?"). Documents and questions meet in this form.
///
/// Most characters of the knowledge base are ASCII or common Chinese ideographs, which
/// decompose to themselves and are never reordered: they are copied (lower-cased), and only
/// the runs between them go through the decomposition. That gives the same string, since
/// canonical reordering never moves a mark across a character of combining class 0.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest
            .find(|c: char| !folds_to_itself(c))
            .unwrap_or(rest.len());
        out.extend(rest[..plain].chars().map(|c| c.to_ascii_lowercase()));
        rest = &rest[plain..];
        let other = rest.find(folds_to_itself).unwrap_or(rest.len());
        out.extend(fold_slowly(&rest[..other]));
        rest = &rest[other..];
    }
    out
}

/// ASCII (lower-cased apart) and the CJK Unified Ideographs: no decomposition, combining
/// class 0, no case.
fn folds_to_itself(c: char) -> bool {
    c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn fold_slowly(text: &str) -> impl Iterator<Item = char> + '_ {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// The value of an English or Portuguese number word from two to twenty, folded ("one",
/// "um" and "uma" are also articles and are left alone).
fn number_word(w: &str) -> Option<u8> {
    const WORDS: [(&str, u8); 43] = [
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("thirteen", 13),
        ("fourteen", 14),
        ("fifteen", 15),
        ("sixteen", 16),
        ("seventeen", 17),
        ("eighteen", 18),
        ("nineteen", 19),
        ("twenty", 20),
        ("dois", 2),
        ("duas", 2),
        ("tres", 3),
        ("quatro", 4),
        ("cinco", 5),
        ("seis", 6),
        ("sete", 7),
        ("oito", 8),
        ("nove", 9),
        ("dez", 10),
        ("onze", 11),
        ("doze", 12),
        ("treze", 13),
        ("catorze", 14),
        ("quatorze", 14),
        ("quinze", 15),
        ("dezesseis", 16),
        ("dezasseis", 16),
        ("dezessete", 17),
        ("dezassete", 17),
        ("dezoito", 18),
        ("dezenove", 19),
        ("dezanove", 19),
        ("vinte", 20),
    ];
    WORDS.iter().find(|(word, _)| *word == w).map(|&(_, n)| n)
}

/// The number a Chinese numeral from two to ten counts when a measure word follows it
/// ("三个", "七类", "两种").
fn han_count(numeral: char, measure: char) -> Option<u8> {
    const MEASURES: &str = "个种类条位次项大名";
    let n = match numeral {
        '十' => 10,
        c => crate::lang::han_digit(c).filter(|&n| n >= 2)?,
    };
    MEASURES.contains(measure).then_some(n)
}

impl Analyzer {
    pub fn new(lexicon: Lexicon) -> Self {
        let mut forms: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut lexicon_words = HashSet::default();
        let mut seen = HashSet::default();
        for (ci, concept) in lexicon.concepts.iter().enumerate() {
            let own_forms = Lang::ALL
                .into_iter()
                .flat_map(|lang| concept.forms[lang.index()].iter().map(move |f| (lang, f)));
            for (lang, form) in own_forms {
                let folded = fold(form);
                let latin_end =
                    folded.chars().last().is_some_and(is_word_char) && !folded.chars().any(is_han);
                let mut variants = vec![folded.clone()];
                if latin_end && folded.len() > 2 {
                    // A program or role is a noun: "organized by" does not name organizers.
                    let verb = concept.kind != crate::lexicon::ConceptKind::Entity;
                    variants.extend(inflections(&folded, verb));
                    if verb && lang == Lang::Pt {
                        variants.extend(
                            portuguese_conjugations(&folded)
                                .filter(|v| !lexicon.stopwords.of(Lang::Pt).contains(v)),
                        );
                    }
                }
                for v in variants {
                    if seen.insert(v.clone()) {
                        forms.push(v);
                        patterns.push(Pattern::Concept(ci as u16));
                    }
                }
                for w in folded
                    .split(|c: char| !is_word_char(c))
                    .filter(|w| w.len() > 2)
                {
                    lexicon_words.insert(w.to_string());
                }
            }
        }
        let cjk_stop = lexicon.stopwords.of(Lang::Zh);
        let mut cjk_fuzzy = HashMap::default();
        let mut cjk_fuzzy_chars = HashSet::default();
        for (ci, concept) in lexicon.concepts.iter().enumerate() {
            let surface: Vec<String> = concept.forms.iter().flatten().map(|f| fold(f)).collect();
            for form in &surface {
                let chars: Vec<char> = form.chars().collect();
                // A form built on a question phrase (做什么) would match any "…什么".
                let on_stop_phrase = cjk_stop
                    .iter()
                    .any(|stop| stop.chars().count() > 1 && form.contains(stop.as_str()));
                // One that contains a shorter form of its concept (想成为 ⊃ 成为) is found
                // exactly already.
                let has_shorter = surface.iter().any(|other| {
                    other.chars().count() >= 2 && other != form && form.contains(other.as_str())
                });
                if chars.len() >= 3
                    && chars.iter().all(|c| is_han(*c))
                    && !on_stop_phrase
                    && !has_shorter
                {
                    cjk_fuzzy_chars.extend(chars.iter().copied());
                    for i in 0..chars.len() {
                        let mut key = chars.clone();
                        key[i] = '?';
                        cjk_fuzzy
                            .entry(key.into_iter().collect())
                            .or_insert(ci as u16);
                    }
                }
            }
        }
        for stop in cjk_stop {
            if seen.insert(stop.clone()) {
                forms.push(stop.clone());
                patterns.push(Pattern::Stop);
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&forms)
            .expect("the lexicon compiles");
        let longest_form = forms.iter().map(String::len).max().unwrap_or(0);
        let terms: Vec<String> = lexicon
            .concepts
            .iter()
            .map(|c| format!("{CONCEPT_PREFIX}{}", c.name))
            .collect();
        let by_term: HashMap<String, u16> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u16))
            .collect();
        let implied = lexicon
            .concepts
            .iter()
            .map(|c| {
                c.implies
                    .iter()
                    .filter_map(|name| by_term.get(&format!("{CONCEPT_PREFIX}{name}")).copied())
                    .collect()
            })
            .collect();
        let stopwords = [Lang::En, Lang::Pt]
            .into_iter()
            .flat_map(|l| lexicon.stopwords.of(l).iter().cloned())
            .collect();
        let numbers = lexicon.numbers.all().map(|(_, n)| n.to_string()).collect();
        let reader = crate::query::Reader::new(&lexicon);
        Analyzer {
            reader,
            matcher,
            longest_form,
            patterns,
            stopwords,
            numbers,
            cjk_fuzzy,
            cjk_fuzzy_chars,
            english: Stemmer::create(Algorithm::English),
            portuguese: Stemmer::create(Algorithm::Portuguese),
            lexicon_words,
            terms,
            implied,
            by_term,
            lexicon,
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub(crate) fn reader(&self) -> &crate::query::Reader {
        &self.reader
    }

    fn concept_of(&self, term: &str) -> Option<&crate::lexicon::Concept> {
        self.by_term
            .get(term)
            .map(|&i| &self.lexicon.concepts[i as usize])
    }

    /// Whether an index term names a program, role, group or event (`@hero`, not `@benefit`).
    pub fn is_entity(&self, term: &str) -> bool {
        self.concept_of(term)
            .is_some_and(|c| c.kind == ConceptKind::Entity)
    }

    /// Every implication of the lexicon, as (term, the term it implies): a user group leader
    /// implies a user group.
    pub fn implications(&self) -> impl Iterator<Item = (&str, &str)> {
        self.implied
            .iter()
            .enumerate()
            .flat_map(move |(ci, implied)| {
                implied
                    .iter()
                    .map(move |&i| (self.terms[ci].as_str(), self.terms[i as usize].as_str()))
            })
    }

    /// Whether an index term is an aspect concept (`@benefit`, `@count`).
    pub fn is_aspect(&self, term: &str) -> bool {
        self.concept_of(term)
            .is_some_and(|c| c.kind == ConceptKind::Aspect)
    }

    /// The question type an aspect term signals (`@benefit` → benefits).
    pub fn qtype_of(&self, term: &str) -> Option<QType> {
        self.concept_of(term).and_then(|c| c.qtype)
    }

    /// A number word ("five", "cinco"), which typo correction leaves alone.
    pub fn is_number_word(&self, word: &str) -> bool {
        self.numbers.contains(word)
    }

    /// Chinese concepts written with one wrong character (社区曰, 志原者), for questions:
    /// every run of Han characters is tried against the lexicon's forms with one blank.
    pub fn fuzzy_cjk_concepts(&self, folded: &str) -> Vec<String> {
        // (start, length, concept) of every near match, longest first; a shorter one that
        // overlaps a longer one is part of it (社区建设着 is not also 社区日).
        let mut near: Vec<(usize, usize, u16)> = Vec::new();
        let chars: Vec<char> = folded.chars().collect();
        let mut start = 0;
        while start < chars.len() {
            if !is_han(chars[start]) {
                start += 1;
                continue;
            }
            let mut end = start;
            while end < chars.len() && is_han(chars[end]) {
                end += 1;
            }
            let mut key = String::new();
            for len in 3..=(end - start).min(8) {
                for at in start..=end - len {
                    let window = &chars[at..at + len];
                    // Only a character outside every form can be the wrong one.
                    let mut outside =
                        (0..len).filter(|&i| !self.cjk_fuzzy_chars.contains(&window[i]));
                    let blanks = match (outside.next(), outside.next()) {
                        (None, _) => 0..len,
                        (Some(i), None) => i..i + 1,
                        (Some(_), Some(_)) => continue,
                    };
                    for blank in blanks {
                        // 社区的 is "the community's", not a misspelt 社区日.
                        if COMMON_HAN.contains(window[blank]) {
                            continue;
                        }
                        // 多少位 is "how many people", not a misspelt 多少年: what is left of
                        // the form must be more than common characters.
                        let rest_common = window
                            .iter()
                            .enumerate()
                            .all(|(i, c)| i == blank || COMMON_HAN.contains(*c));
                        if rest_common {
                            continue;
                        }
                        // 社区领导者 is 社区 and 领导者, not a misspelt 社区日: a three-character
                        // form missed at its edge is taken only where the character beside
                        // the wrong one cannot go on with it (a particle, punctuation, the
                        // end), as in 社区曰的官网.
                        if len == 3 && blank != 1 {
                            let beside = if blank == 0 {
                                at.checked_sub(1).map(|i| chars[i])
                            } else {
                                chars.get(at + len).copied()
                            };
                            if beside.is_some_and(|c| is_han(c) && !COMMON_HAN.contains(c)) {
                                continue;
                            }
                        }
                        key.clear();
                        for (i, &c) in window.iter().enumerate() {
                            key.push(if i == blank { '?' } else { c });
                        }
                        if let Some(&concept) = self.cjk_fuzzy.get(key.as_str()) {
                            near.push((at, len, concept));
                        }
                    }
                }
            }
            start = end;
        }
        near.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut found = Vec::new();
        for (at, len, concept) in near {
            if taken.iter().any(|&(s, l)| at < s + l && s < at + len) {
                continue;
            }
            taken.push((at, len));
            let term = self.terms[concept as usize].clone();
            if !found.contains(&term) {
                found.push(term);
            }
        }
        found
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    pub fn is_lexicon_word(&self, word: &str) -> bool {
        self.lexicon_words.contains(word)
    }

    pub fn lexicon_words(&self) -> impl Iterator<Item = &str> {
        self.lexicon_words.iter().map(String::as_str)
    }

    /// A word's stem as text in `lang` is analysed (Latin words in Chinese are English).
    pub(crate) fn stem<'a>(&self, word: &'a str, lang: Lang) -> std::borrow::Cow<'a, str> {
        let portuguese = lang == Lang::Pt;
        // Words repeat (a question's words, a base's vocabulary): each thread keeps the stems
        // it made, up to a bound, since the stemmer costs more than a lookup.
        thread_local! {
            static STEMS: std::cell::RefCell<[HashMap<Box<str>, Box<str>>; 2]> =
                std::cell::RefCell::new(Default::default());
        }
        const KEPT: usize = 1 << 14;
        let kept = STEMS.with(|s| s.borrow()[usize::from(portuguese)].get(word).cloned());
        if let Some(stem) = kept {
            return std::borrow::Cow::Owned(stem.into());
        }
        let stem: String = if portuguese {
            self.portuguese.stem(word).into_owned()
        } else {
            match american_spelling(word) {
                Some(w) => self.english.stem(&w).into_owned(),
                None => self.english.stem(word).into_owned(),
            }
        };
        STEMS.with(|s| {
            let kept = &mut s.borrow_mut()[usize::from(portuguese)];
            if kept.len() >= KEPT {
                kept.clear();
            }
            kept.insert(word.into(), stem.as_str().into());
        });
        std::borrow::Cow::Owned(stem)
    }

    /// The lexicon's forms in folded text, in order, each whole: a form glued to the letters
    /// around it is part of a longer word and does not count. Where two forms overlap, the
    /// longer one that reaches further wins: "aws user group leaders" is "aws" and "user
    /// group leaders", not "aws user group" and "leaders".
    fn scan(&self, folded: &str) -> Vec<(usize, usize, Pattern)> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some((start, end, pattern)) = self.whole_form(folded, pos..folded.len()) {
            let after_first = start + folded[start..].chars().next().map_or(1, char::len_utf8);
            // A longer form that overlaps this one starts before its end, so it ends within
            // the longest form's length of it: no need to look further.
            let reach = (end + self.longest_form).min(folded.len());
            let longer = self
                .whole_form(folded, after_first..reach)
                .filter(|&(s, e, _)| s < end && e > end && e - s > end - start);
            match longer {
                Some((s, e, p)) => {
                    // What comes before the longer form may hold shorter ones ("aws").
                    let mut q = start;
                    while let Some(m) = self.whole_form(folded, q..s) {
                        q = m.1;
                        out.push(m);
                    }
                    out.push((s, e, p));
                    pos = e;
                }
                None => {
                    out.push((start, end, pattern));
                    pos = end;
                }
            }
        }
        out
    }

    /// The first form in `range` of folded text that is a whole word (or words).
    fn whole_form(
        &self,
        folded: &str,
        range: std::ops::Range<usize>,
    ) -> Option<(usize, usize, Pattern)> {
        let mut pos = range.start;
        while pos < range.end {
            let m = self
                .matcher
                .find(Input::new(folded).range(pos..range.end))?;
            let (start, end) = (m.start(), m.end());
            let form = &folded[start..end];
            let edge_word_start = form.chars().next().is_some_and(is_word_char);
            let edge_word_end = form.chars().last().is_some_and(is_word_char);
            let glued_before = edge_word_start
                && folded[..start]
                    .chars()
                    .next_back()
                    .is_some_and(is_word_char);
            let glued_after =
                edge_word_end && folded[end..].chars().next().is_some_and(is_word_char);
            if glued_before || glued_after {
                // Inside a longer word ("aws hero" in "aws heroes"): look again one
                // character on, where a shorter form may fit ("heroes").
                pos = start + form.chars().next().map_or(1, char::len_utf8);
                continue;
            }
            return Some((start, end, self.patterns[m.pattern().as_usize()]));
        }
        None
    }

    /// The concepts named in folded text, with their byte ranges and index terms.
    pub fn concepts_in(&self, folded: &str) -> Vec<(usize, usize, &str)> {
        self.scan(folded)
            .into_iter()
            .filter_map(|(s, e, p)| match p {
                Pattern::Concept(ci) => Some((s, e, self.terms[ci as usize].as_str())),
                Pattern::Stop => None,
            })
            .collect()
    }

    /// Analyses text in the given language into index terms, in text order, repeats kept.
    pub fn analyze(&self, text: &str, lang: Lang) -> Vec<Token> {
        let folded = fold(text);
        self.analyze_folded(&folded, lang)
    }

    /// Like [`Analyzer::analyze`] for text that is already folded.
    pub fn analyze_folded(&self, folded: &str, lang: Lang) -> Vec<Token> {
        let mut tokens = Vec::new();
        // Concepts are found first, on the folded text. Single words and Chinese forms stay
        // in the text too (so a partial mention still meets the same words in the index);
        // Chinese matches cut the text into segments so bigrams do not straddle a known
        // word, and Chinese stop phrases are removed.
        let mut rest = String::with_capacity(folded.len());
        let mut out_synonyms: Vec<String> = Vec::new();
        let mut last = 0;
        for (start, end, pattern) in self.scan(folded) {
            let form = &folded[start..end];
            rest.push_str(&folded[last..start]);
            match pattern {
                Pattern::Concept(ci) => {
                    for &implied in &self.implied[ci as usize] {
                        tokens.push(Token {
                            term: self.terms[implied as usize].clone(),
                            kind: Kind::Concept,
                        });
                    }
                    tokens.push(Token {
                        term: self.terms[ci as usize].clone(),
                        // "What is …" asks for a definition and "AWS" is everywhere: they
                        // rank, but are not part of what a section must cover.
                        kind: if self.lexicon.concepts[ci as usize].kind == ConceptKind::RankOnly {
                            Kind::Synonym
                        } else {
                            Kind::Concept
                        },
                    });
                    if form.chars().any(is_han) {
                        // Its bigrams stay, for partial and misspelt mentions, but only rank:
                        // the concept is what the question asks about.
                        let chars: Vec<char> = form.chars().collect();
                        for pair in chars.windows(2) {
                            out_synonyms.push(pair.iter().collect());
                        }
                        rest.push('\u{1}');
                    } else if form.chars().all(is_word_char) {
                        // A single word is also itself ("heroes" is `@hero` and `hero`).
                        rest.push(' ');
                        if !self.stopwords.contains(form) {
                            out_synonyms.push(self.stem(form, lang).into_owned());
                        }
                    } else {
                        // A phrase ("how many", "community builder") is the concept alone.
                        rest.push(' ');
                    }
                }
                Pattern::Stop => rest.push('\u{1}'),
            }
            last = end;
        }
        rest.push_str(&folded[last..]);
        for _ in folded.matches("://") {
            tokens.push(Token {
                term: format!("{CONCEPT_PREFIX}link"),
                kind: Kind::Concept,
            });
        }
        tokens.extend(out_synonyms.into_iter().map(|term| Token {
            term,
            kind: Kind::Synonym,
        }));
        self.words_and_bigrams(&rest, lang, &mut tokens);
        tokens
    }

    fn words_and_bigrams(&self, text: &str, lang: Lang, out: &mut Vec<Token>) {
        let mut word = String::new();
        let mut han: Vec<char> = Vec::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if is_word_char(c) {
                self.flush_han(&mut han, out);
                word.push(c);
            } else if is_han(c) {
                self.flush_word(&mut word, lang, out);
                han.push(c);
            } else {
                self.flush_word(&mut word, lang, out);
                self.flush_han(&mut han, out);
            }
        }
    }

    fn flush_word(&self, word: &mut String, lang: Lang, out: &mut Vec<Token>) {
        if word.is_empty() {
            return;
        }
        let w = std::mem::take(word);
        let is_number = w.chars().all(|c| c.is_ascii_digit());
        // A year ("2010") answers "in what year…" questions.
        if is_number && w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) {
            out.push(Token {
                term: format!("{CONCEPT_PREFIX}year_of"),
                kind: Kind::Concept,
            });
        }
        // "three" and "3" are one term ("the 3 core ideas" meets "three core ideas").
        if let Some(n) = number_word(&w) {
            out.push(Token {
                term: n.to_string(),
                kind: Kind::Word,
            });
            return;
        }
        if (w.chars().count() < 2 && !is_number) || self.stopwords.contains(w.as_str()) {
            return;
        }
        // Very long "words" are noise (hashes, pasted blobs); keep a bounded prefix.
        let w: String = if w.len() > 40 {
            w.chars().take(40).collect()
        } else {
            w
        };
        let term = self.stem(&w, lang).into_owned();
        out.push(Token {
            term,
            kind: Kind::Word,
        });
    }

    fn flush_han(&self, han: &mut Vec<char>, out: &mut Vec<Token>) {
        match han.len() {
            0 => {}
            1 => out.push(Token {
                term: han[0].to_string(),
                kind: Kind::Han,
            }),
            _ => {
                for pair in han.windows(2) {
                    out.push(Token {
                        term: pair.iter().collect(),
                        kind: Kind::Han,
                    });
                    // "三个", "七类": a counted number is the number, as "3" and "three".
                    if let Some(n) = han_count(pair[0], pair[1]) {
                        out.push(Token {
                            term: n.to_string(),
                            kind: Kind::Word,
                        });
                    }
                }
            }
        }
        han.clear();
    }
}

/// The forms a Latin concept form also matches as: plurals and, for English verbs, the
/// past and the gerund ("nominate" → "nominates", "nominated", "nominating"; "apply" →
/// "applies", "applied"). A variant no text uses costs nothing.
fn inflections(form: &str, verb: bool) -> Vec<String> {
    let mut out = vec![format!("{form}s"), format!("{form}es")];
    if !verb {
        return out;
    }
    let consonant_y =
        form.ends_with('y') && !form[..form.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if let Some(stem) = form.strip_suffix('e') {
        out.push(format!("{form}d"));
        out.push(format!("{stem}ing"));
    } else if consonant_y {
        let stem = &form[..form.len() - 1];
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
        out.push(format!("{form}ing"));
    } else {
        out.push(format!("{form}ed"));
        out.push(format!("{form}ing"));
    }
    out
}

/// The common forms of a Portuguese verb given in the infinitive ("inscrever" →
/// "inscrevo", "inscreveu", "inscreva", "inscrevendo"…): a member writes "onde me inscrevo",
/// not the infinitive the lexicon lists. Only single words of five letters or more that end
/// in -ar, -er or -ir; nothing else is a verb here.
fn portuguese_conjugations(form: &str) -> impl Iterator<Item = String> + '_ {
    const AR: &[&str] = &[
        "o", "a", "as", "am", "amos", "ei", "ou", "aram", "ando", "e", "em",
    ];
    const ER: &[&str] = &[
        "o", "e", "es", "em", "emos", "i", "eu", "eram", "endo", "a", "am",
    ];
    const IR: &[&str] = &[
        "o", "e", "es", "em", "imos", "i", "iu", "iram", "indo", "a", "am",
    ];
    let single = form.len() >= 5 && form.chars().all(|c| c.is_ascii_lowercase());
    let (stem, endings) = match form.len().checked_sub(2).map(|i| form.split_at(i)) {
        Some((stem, "ar")) if single => (stem, AR),
        Some((stem, "er")) if single => (stem, ER),
        Some((stem, "ir")) if single => (stem, IR),
        _ => ("", &[][..]),
    };
    endings.iter().map(move |e| format!("{stem}{e}"))
}

/// The American spelling of a British one ("organised" → "organized", "programme" →
/// "program", "honours" → "honors"), so that a question and a document written on either
/// side of the Atlantic meet. Both sides go through it, so a word changed that has no
/// other spelling ("promise" → "promize") still matches itself.
fn american_spelling(word: &str) -> Option<String> {
    const IZE: [(&str, &str); 8] = [
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("isers", "izers"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("iser", "izer"),
        ("ise", "ize"),
    ];
    const YZE: [(&str, &str); 4] = [
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("yses", "yzes"),
        ("yse", "yze"),
    ];
    const OUR: [&str; 10] = [
        "behaviour",
        "colour",
        "favour",
        "honour",
        "labour",
        "neighbour",
        "flavour",
        "humour",
        "rumour",
        "endeavour",
    ];
    const WHOLE: [(&str, &str); 12] = [
        ("programme", "program"),
        ("centre", "center"),
        ("licence", "license"),
        ("defence", "defense"),
        ("catalogue", "catalog"),
        ("dialogue", "dialog"),
        ("enrolment", "enrollment"),
        ("enrol", "enroll"),
        ("travelling", "traveling"),
        ("travelled", "traveled"),
        ("cancelled", "canceled"),
        ("cancelling", "canceling"),
    ];
    for (british, american) in IZE {
        if let Some(stem) = word.strip_suffix(british) {
            if stem.chars().count() >= 4 {
                return Some(format!("{stem}{american}"));
            }
        }
    }
    for (british, american) in YZE {
        if let Some(stem) = word.strip_suffix(british) {
            if stem.chars().count() >= 3 {
                return Some(format!("{stem}{american}"));
            }
        }
    }
    for british in OUR {
        if let Some(rest) = word.strip_prefix(british) {
            return Some(format!("{}or{rest}", &british[..british.len() - 3]));
        }
    }
    for (british, american) in WHOLE {
        if let Some(rest) = word.strip_prefix(british) {
            return Some(format!("{american}{rest}"));
        }
    }
    None
}

/// Splits folded text into the words typo correction looks at, with their byte ranges.
pub fn latin_words(folded: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in folded.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, folded.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_copies_plain_runs_and_decomposes_the_rest_as_a_whole() {
        // Random strings over characters that decompose, combine, reorder and change case,
        // beside plain ones; seeded, and the seed printed.
        let seed: u64 = std::env::var("FOLD_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5eed_f01d);
        println!("fold seed {seed}");
        const CHARS: &[char] = &[
            'a', 'Z', ' ', '?', '1', 'é', 'Ç', 'ã', '\u{301}', '\u{327}', '\u{323}', '\u{302}',
            '\u{5b0}', '\u{591}', 'ﬁ', 'Ａ', '？', '，', '。', '城', '市', '\u{F900}', '㈱', 'ǅ',
            'İ', 'ß', 'Ω', '가', 'ｶ', '\u{FF9E}', '①', 'ṩ',
        ];
        let mut state = seed;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let s: String = (0..len)
                .map(|_| CHARS[(next() % CHARS.len() as u64) as usize])
                .collect();
            assert_eq!(fold(&s), fold_slowly(&s).collect::<String>(), "{s:?}");
        }
    }

    use super::*;

    fn terms(text: &str, lang: Lang) -> Vec<String> {
        analyzer()
            .analyze(text, lang)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn folding_removes_case_accents_and_width() {
        assert_eq!(fold("Voluntário ÇÃO"), "voluntario cao");
        assert_eq!(fold("ＣＢ？"), "cb?");
    }

    #[test]
    fn concepts_meet_across_languages_and_abbreviations() {
        let en = terms("How do I become a Community Builder?", Lang::En);
        let abbr = terms("how to become a CB", Lang::En);
        let zh = terms("怎么成为社区建设者", Lang::Zh);
        let pt = terms("Como me tornar construtor da comunidade?", Lang::Pt);
        for t in [&en, &abbr, &zh, &pt] {
            assert!(t.contains(&"@cb".to_string()), "{t:?}");
            assert!(t.contains(&"@apply".to_string()), "{t:?}");
        }
        assert!(terms("what perks do heroes get", Lang::En).contains(&"@benefit".to_string()));
        assert!(terms("福利", Lang::Zh).contains(&"@benefit".to_string()));
        assert!(terms("Quais os benefícios?", Lang::Pt).contains(&"@benefit".to_string()));
    }

    #[test]
    fn a_rejected_match_does_not_hide_a_shorter_one() {
        let t = terms("AWS Heroes", Lang::En);
        assert!(t.contains(&"@hero".to_string()), "{t:?}");
        let t = terms("the AWS User Groups page", Lang::En);
        assert!(t.contains(&"@user_group".to_string()), "{t:?}");
    }

    #[test]
    fn chinese_forms_with_one_wrong_character_are_found() {
        let a = analyzer();
        assert!(a
            .fuzzy_cjk_concepts(&fold("社区曰的官网"))
            .contains(&"@community_day".to_string()));
        assert!(a
            .fuzzy_cjk_concepts(&fold("怎么成为社区建设着"))
            .contains(&"@cb".to_string()));
        assert!(a.fuzzy_cjk_concepts(&fold("hello")).is_empty());
        assert!(a.fuzzy_cjk_concepts(&fold("社区的成功主要靠谁")).is_empty());
        // 社区自己 is "the community itself", not a misspelt 社区日; nor is 社区领导者.
        assert!(a.fuzzy_cjk_concepts(&fold("还是社区自己搞的")).is_empty());
        assert!(a
            .fuzzy_cjk_concepts(&fold("对社区领导者意味着什么"))
            .is_empty());
        assert!(a.fuzzy_cjk_concepts(&fold("ML Hero擅长什么")).is_empty());
        assert_eq!(a.fuzzy_cjk_concepts(&fold("怎么成为社区建设着")), ["@cb"]);
    }

    #[test]
    fn concepts_need_word_boundaries() {
        assert!(!terms("abcb", Lang::En).contains(&"@cb".to_string()));
        assert!(terms("CB有什么福利", Lang::Zh).contains(&"@cb".to_string()));
    }

    #[test]
    fn stemming_and_accents() {
        let mut two = terms("volunteering volunteers", Lang::En);
        two.sort();
        let mut one = [terms("volunteer", Lang::En), terms("volunteer", Lang::En)].concat();
        one.sort();
        assert_eq!(two, one);
        let a = terms("voluntário", Lang::Pt);
        let b = terms("voluntario", Lang::Pt);
        assert_eq!(a, b);
        assert_eq!(
            terms("organizing events", Lang::En),
            terms("organize event", Lang::En)
        );
    }

    #[test]
    fn verb_forms_of_aspect_concepts_are_found() {
        assert!(terms("AWS employees nominated them", Lang::En).contains(&"@referral".to_string()));
        assert!(terms("she applied last year", Lang::En).contains(&"@apply".to_string()));
        // A role is a noun: the past of its verb does not name it.
        assert!(!terms("organized by the community", Lang::En).contains(&"@organizer".to_string()));
        assert_eq!(inflections("apply", true)[3], "applied");
        assert_eq!(inflections("hero", false), ["heros", "heroes"]);
    }

    #[test]
    fn portuguese_verbs_are_found_conjugated() {
        // The lexicon lists infinitives; members write "me inscrevo", "se candidatou".
        for said in [
            "onde eu me inscrevo",
            "ela se inscreveu ano passado",
            "quero que voce se inscreva",
        ] {
            assert!(
                terms(said, Lang::Pt).contains(&"@apply".to_string()),
                "{said}"
            );
        }
        // Only verbs of five letters or more, and nothing that is not an -ar/-er/-ir word.
        assert_eq!(portuguese_conjugations("ir").count(), 0);
        assert_eq!(portuguese_conjugations("hero").count(), 0);
        assert!(portuguese_conjugations("candidatar").any(|v| v == "candidatou"));
    }

    #[test]
    fn british_and_american_spellings_meet() {
        for (british, american) in [
            ("recognised by the community", "recognized by the community"),
            ("organised meetups", "organized meetups"),
            (
                "the programme honours experts",
                "the program honors experts",
            ),
            ("analyse the behaviour", "analyze the behavior"),
            ("recognisation", "recognization"),
        ] {
            assert_eq!(
                terms(british, Lang::En),
                terms(american, Lang::En),
                "{british}"
            );
        }
        // Short words are not touched: "raise" and "rise" stay apart.
        assert_ne!(terms("raise", Lang::En), terms("raze", Lang::En));
    }

    #[test]
    fn chinese_is_cut_into_bigrams_without_stop_phrases() {
        let t = terms("我怎么举办活动", Lang::Zh);
        assert!(t.contains(&"举办".to_string()), "{t:?}");
        assert!(
            !t.iter().any(|x| x.contains('我') || x.contains('怎')),
            "{t:?}"
        );
    }

    #[test]
    fn function_words_and_symbols_leave_nothing_to_match() {
        let what_is_it = analyzer().analyze("what is it?", Lang::En);
        assert!(
            what_is_it.iter().all(|t| t.kind == Kind::Synonym),
            "{what_is_it:?}"
        );
        assert!(terms("🙂🙂🙂", Lang::En).is_empty());
        assert!(terms(".*+?[](){}|^$\\", Lang::En).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn analysis_never_panics_and_yields_clean_terms(s in "\\PC{0,200}") {
            for lang in Lang::ALL {
                for t in analyzer().analyze(&s, lang) {
                    proptest::prop_assert!(!t.term.is_empty());
                    proptest::prop_assert!(!t.term.chars().any(char::is_whitespace));
                }
            }
        }

        #[test]
        fn folding_is_idempotent(s in "\\PC{0,100}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
        }
    }
}
