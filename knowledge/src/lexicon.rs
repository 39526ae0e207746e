//! The community lexicon, read from `lexicon.toml` (see the comment at the top of that file
//! for its format): concepts with their forms in each language, stop words, number words,
//! chat noise, language markers, question-type cues and what the bot declines.
//!
//! The shipped lexicon is built into the binary; an operator's knowledge folder may hold a
//! `lexicon.toml` of its own, which adds concepts, forms and phrases to it. Every file is
//! validated: a form given to two concepts, a reference to an unknown concept, an unknown
//! kind or type, a duplicate entry or malformed TOML is a [`LexiconError`] naming the file
//! and the line.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::analysis::fold;
use crate::lang::Lang;
use crate::query::QType;

/// The lexicon shipped with the bot.
pub const BUILTIN: &str = include_str!("../lexicon.toml");
/// Its name in error messages.
pub const BUILTIN_NAME: &str = "knowledge/lexicon.toml";
/// The name of an operator's lexicon at the top of a knowledge folder.
pub const FILE_NAME: &str = "lexicon.toml";

/// What a concept stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConceptKind {
    /// A program, role, group or event: a question naming one is about it.
    Entity,
    /// Something asked about an entity: benefits, duties, counts, dates.
    Aspect,
    /// Ranks sections but is not part of what a section must cover ("what is", "AWS").
    RankOnly,
}

#[derive(Debug, Clone)]
pub struct Concept {
    pub name: String,
    pub kind: ConceptKind,
    /// The question type an aspect signals (benefits, duties, count…).
    pub qtype: Option<QType>,
    pub implies: Vec<String>,
    /// Forms by language ([`Lang::index`]), as written.
    pub forms: [Vec<String>; 3],
}

/// Phrases in each language, folded.
#[derive(Debug, Clone, Default)]
pub struct PerLang(pub [Vec<String>; 3]);

impl PerLang {
    pub fn of(&self, lang: Lang) -> &[String] {
        &self.0[lang.index()]
    }

    pub fn all(&self) -> impl Iterator<Item = (Lang, &str)> {
        Lang::ALL
            .into_iter()
            .flat_map(move |l| self.0[l.index()].iter().map(move |s| (l, s.as_str())))
    }
}

/// What a request to the bot must not be, even when it names a community word.
#[derive(Debug, Clone, Default)]
pub struct Declines {
    /// A request to do something: "write", "translate", "fix"; at the start of a clause or
    /// after "can you", "please".
    pub task_verbs: PerLang,
    /// Things the bot does not make, anywhere in a message: a poem, a joke, my code.
    pub task_objects: PerLang,
    /// Other subjects: salaries, prices, AWS technical how-to, weather.
    pub subjects: PerLang,
}

/// The whole lexicon, merged from the shipped file and any operator files.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub concepts: Vec<Concept>,
    pub stopwords: PerLang,
    pub numbers: PerLang,
    pub noise: PerLang,
    pub address: PerLang,
    /// Words that join a message to the one before ("and", "e", "那"), dropped at the start
    /// of a clause that goes on with a question word.
    pub connectors: PerLang,
    /// Words a question starts with ("what", "quando"), after which a connector goes.
    pub question_words: PerLang,
    pub slang: PerLang,
    /// Words that date something: months, "every year", "每年".
    pub time: PerLang,
    /// Words that negate a statement ("not", "não", "不"): the "no" of a yes/no answer.
    pub negation: PerLang,
    /// Words that join alternatives ("or", "ou", "还是"): such a question is not yes/no.
    pub alternatives: PerLang,
    /// Words of permission and ability ("can", "pode", "可以").
    pub modals: PerLang,
    /// Words that ask why ("why", "pq", "为什么"): a clause with one is not a yes/no one.
    pub why: PerLang,
    /// How a question asks whether something exists ("is there", "tem", "有没有"): what
    /// follows is the thing asked, up to one of [`Lexicon::existence_ends`].
    pub existence: PerLang,
    pub existence_ends: PerLang,
    /// How a member asks for an answer in a language ("in english", "用中文"), by the
    /// language asked for.
    pub answer_in: PerLang,
    /// Words that may stand beside an [`Lexicon::answer_in`] phrase in its clause ("please",
    /// "answer", "回答"): with anything else there, the phrase is part of a question ("are
    /// the sessions in english?"), not a request.
    pub answer_in_words: PerLang,
    /// How a member asks what their own next step on the growth path is, and the bare
    /// phrases that ask it only as a whole message.
    pub next_step: PerLang,
    pub next_step_alone: Vec<String>,
    /// Question-type cues, anywhere in a clause.
    pub cues: Vec<(QType, PerLang)>,
    /// Yes/no cues that only count at the start of a clause.
    pub yesno_start: PerLang,
    /// Question frames with a gap ("what do * do" asks for duties), by type.
    pub frames: Vec<(QType, PerLang)>,
    /// Chat spellings and their full forms ("vc" → "voce", "u" → "you", "啥" → "什么"),
    /// by language, folded.
    pub expand: [Vec<(String, String)>; 3],
    pub declines: Declines,
    /// Identifies the merged content: documents are analysed again when it changes.
    pub fingerprint: u64,
}

/// A lexicon file that cannot be used, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (line {}): {}", self.file, self.line, self.message)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLangs {
    #[serde(default)]
    en: Vec<Spanned<String>>,
    #[serde(default)]
    zh: Vec<Spanned<String>>,
    #[serde(default)]
    pt: Vec<Spanned<String>>,
}

impl RawLangs {
    fn by_lang(&self) -> [(Lang, &Vec<Spanned<String>>); 3] {
        [
            (Lang::En, &self.en),
            (Lang::Zh, &self.zh),
            (Lang::Pt, &self.pt),
        ]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    name: Spanned<String>,
    kind: Option<Spanned<String>>,
    #[serde(rename = "type")]
    qtype: Option<Spanned<String>>,
    #[serde(default)]
    implies: Vec<Spanned<String>>,
    #[serde(default)]
    en: Vec<Spanned<String>>,
    #[serde(default)]
    zh: Vec<Spanned<String>>,
    #[serde(default)]
    pt: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNextStep {
    #[serde(default)]
    en: Vec<Spanned<String>>,
    #[serde(default)]
    zh: Vec<Spanned<String>>,
    #[serde(default)]
    pt: Vec<Spanned<String>>,
    #[serde(default)]
    alone: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDeclines {
    #[serde(default)]
    task_verbs: RawLangs,
    #[serde(default)]
    task_objects: RawLangs,
    #[serde(default)]
    subjects: RawLangs,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawExistence {
    #[serde(default)]
    opening: RawLangs,
    #[serde(default)]
    ends: RawLangs,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    concept: Vec<RawConcept>,
    #[serde(default)]
    stopwords: RawLangs,
    #[serde(default)]
    numbers: RawLangs,
    #[serde(default)]
    noise: RawLangs,
    #[serde(default)]
    address: RawLangs,
    #[serde(default)]
    connectors: RawLangs,
    #[serde(default)]
    question_words: RawLangs,
    #[serde(default)]
    slang: RawLangs,
    #[serde(default)]
    time: RawLangs,
    #[serde(default)]
    negation: RawLangs,
    #[serde(default)]
    alternatives: RawLangs,
    #[serde(default)]
    modals: RawLangs,
    #[serde(default)]
    why: RawLangs,
    #[serde(default)]
    existence: RawExistence,
    #[serde(default)]
    answer_in: RawLangs,
    #[serde(default)]
    answer_in_words: RawLangs,
    #[serde(default)]
    next_step: RawNextStep,
    #[serde(default)]
    cues: BTreeMap<String, RawLangs>,
    #[serde(default)]
    frames: BTreeMap<String, RawLangs>,
    #[serde(default)]
    expand: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    decline: RawDeclines,
}

/// Reads lexicon files in turn (the first is normally [`BUILTIN`]); later files add to the
/// earlier ones.
struct Reader {
    concepts: Vec<Concept>,
    by_name: HashMap<String, usize>,
    /// Every folded concept form, with the concept it belongs to.
    forms: HashMap<String, usize>,
    lists: BTreeMap<&'static str, PerLang>,
    cues: BTreeMap<String, PerLang>,
    frames: BTreeMap<String, PerLang>,
    expand: [Vec<(String, String)>; 3],
    next_step_alone: Vec<String>,
    hash: u64,
}

impl Lexicon {
    /// The shipped lexicon alone.
    pub fn builtin() -> Lexicon {
        Lexicon::load(&[]).expect("the shipped lexicon is valid (tested)")
    }

    /// The shipped lexicon plus `extra` files, given as (name for messages, contents).
    pub fn load(extra: &[(String, String)]) -> Result<Lexicon, LexiconError> {
        let mut r = Reader {
            concepts: Vec::new(),
            by_name: HashMap::new(),
            forms: HashMap::new(),
            lists: BTreeMap::new(),
            cues: BTreeMap::new(),
            frames: BTreeMap::new(),
            expand: Default::default(),
            next_step_alone: Vec::new(),
            hash: 0xcbf2_9ce4_8422_2325,
        };
        r.read(BUILTIN_NAME, BUILTIN)?;
        for (name, text) in extra {
            r.read(name, text)?;
        }
        r.finish()
    }

    pub fn concept(&self, name: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.name == name)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Reader {
    fn read(&mut self, file: &str, text: &str) -> Result<(), LexiconError> {
        let err = |span: std::ops::Range<usize>, message: String| LexiconError {
            file: file.to_string(),
            line: line_of(text, span.start),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            err(
                e.span().unwrap_or(0..0),
                e.message().trim().replace('\n', " "),
            )
        })?;
        for b in text.bytes() {
            self.hash ^= u64::from(b);
            self.hash = self.hash.wrapping_mul(0x0100_0000_01b3);
        }
        // Concepts first, so that `implies` may name one declared further down.
        let mut implied = Vec::new();
        for rc in &raw.concept {
            let name = rc.name.get_ref().trim().to_string();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Err(err(
                    rc.name.span(),
                    format!("a concept name is lower-case letters and `_`, not `{name}`"),
                ));
            }
            let kind = match rc.kind.as_ref().map(|k| (k.get_ref().as_str(), k.span())) {
                None => None,
                Some(("entity", _)) => Some(ConceptKind::Entity),
                Some(("aspect", _)) => Some(ConceptKind::Aspect),
                Some(("rank_only", _)) => Some(ConceptKind::RankOnly),
                Some((other, span)) => {
                    return Err(err(
                        span,
                        format!("unknown kind `{other}` (expected entity, aspect or rank_only)"),
                    ))
                }
            };
            let qtype = match &rc.qtype {
                None => None,
                Some(t) => Some(QType::parse(t.get_ref()).ok_or_else(|| {
                    err(
                        t.span(),
                        format!(
                            "unknown type `{}` (expected one of {})",
                            t.get_ref(),
                            QType::NAMES.join(", ")
                        ),
                    )
                })?),
            };
            let index = match self.by_name.get(&name) {
                Some(&i) => {
                    // A later file adds forms to a concept the shipped lexicon has.
                    if kind.is_some_and(|k| k != self.concepts[i].kind) {
                        return Err(err(
                            rc.name.span(),
                            format!("concept `{name}` is declared again with another kind"),
                        ));
                    }
                    i
                }
                None => {
                    let Some(kind) = kind else {
                        return Err(err(
                            rc.name.span(),
                            format!(
                                "new concept `{name}` needs a kind (entity, aspect or rank_only)"
                            ),
                        ));
                    };
                    self.concepts.push(Concept {
                        name: name.clone(),
                        kind,
                        qtype,
                        implies: Vec::new(),
                        forms: Default::default(),
                    });
                    self.by_name.insert(name.clone(), self.concepts.len() - 1);
                    self.concepts.len() - 1
                }
            };
            if qtype.is_some() {
                self.concepts[index].qtype = qtype;
            }
            for (lang, forms) in [(Lang::En, &rc.en), (Lang::Zh, &rc.zh), (Lang::Pt, &rc.pt)] {
                for form in forms {
                    let folded = fold(form.get_ref().trim());
                    if folded.is_empty() {
                        return Err(err(form.span(), format!("an empty form for `{name}`")));
                    }
                    if let Some(&other) = self.forms.get(&folded) {
                        let other = &self.concepts[other].name;
                        return Err(err(
                            form.span(),
                            if *other == name {
                                format!(
                                    "the form \"{}\" is listed twice for `{name}`",
                                    form.get_ref()
                                )
                            } else {
                                format!(
                                    "the form \"{}\" is given to both `{other}` and `{name}`",
                                    form.get_ref()
                                )
                            },
                        ));
                    }
                    self.forms.insert(folded, index);
                    self.concepts[index].forms[lang.index()]
                        .push(form.get_ref().trim().to_string());
                }
            }
            for i in &rc.implies {
                implied.push((index, i.get_ref().clone(), i.span()));
            }
        }
        for (index, target, span) in implied {
            if !self.by_name.contains_key(&target) {
                return Err(err(
                    span,
                    format!("`implies` names unknown concept `{target}`"),
                ));
            }
            if !self.concepts[index].implies.contains(&target) {
                self.concepts[index].implies.push(target);
            }
        }
        let next_step = RawLangs {
            en: raw.next_step.en.clone(),
            zh: raw.next_step.zh.clone(),
            pt: raw.next_step.pt.clone(),
        };
        for a in &raw.next_step.alone {
            let folded = fold(a.trim());
            if !self.next_step_alone.contains(&folded) {
                self.next_step_alone.push(folded);
            }
        }
        let lists: [(&'static str, &RawLangs); 20] = [
            ("existence", &raw.existence.opening),
            ("existence.ends", &raw.existence.ends),
            ("next_step", &next_step),
            ("modals", &raw.modals),
            ("why", &raw.why),
            ("answer_in", &raw.answer_in),
            ("answer_in_words", &raw.answer_in_words),
            ("stopwords", &raw.stopwords),
            ("numbers", &raw.numbers),
            ("noise", &raw.noise),
            ("address", &raw.address),
            ("connectors", &raw.connectors),
            ("question_words", &raw.question_words),
            ("slang", &raw.slang),
            ("time", &raw.time),
            ("negation", &raw.negation),
            ("alternatives", &raw.alternatives),
            ("decline.task_verbs", &raw.decline.task_verbs),
            ("decline.task_objects", &raw.decline.task_objects),
            ("decline.subjects", &raw.decline.subjects),
        ];
        for (key, langs) in lists {
            let into = self.lists.entry(key).or_default();
            add_phrases(into, key, langs, &err)?;
        }
        for (key, langs) in &raw.cues {
            if key != "yesno_start" && QType::parse(key).is_none() {
                let at = text.find(&format!("[cues.{key}]")).unwrap_or(0);
                return Err(err(
                    at..at,
                    format!(
                        "unknown question type `cues.{key}` (expected one of {} or yesno_start)",
                        QType::NAMES.join(", ")
                    ),
                ));
            }
            let into = self.cues.entry(key.clone()).or_default();
            add_phrases(into, "cues", langs, &err)?;
        }
        for (key, langs) in &raw.frames {
            if QType::parse(key).is_none() {
                let at = text.find(&format!("[frames.{key}]")).unwrap_or(0);
                return Err(err(at..at, format!("unknown question type `frames.{key}`")));
            }
            for (_, list) in langs.by_lang() {
                for f in list {
                    if f.get_ref().matches('*').count() != 1 {
                        return Err(err(
                            f.span(),
                            format!("a frame has one `*` for the gap: \"{}\"", f.get_ref()),
                        ));
                    }
                }
            }
            let into = self.frames.entry(key.clone()).or_default();
            add_phrases(into, "frames", langs, &err)?;
        }
        for (code, table) in &raw.expand {
            let at = text.find(&format!("[expand.{code}]")).unwrap_or(0);
            let lang: Lang = code.parse().map_err(|e: String| err(at..at, e))?;
            for (from, to) in table {
                let (from, to) = (fold(from.trim()), fold(to.trim()));
                if from.is_empty() || to.is_empty() {
                    return Err(err(at..at, format!("an empty entry in `expand.{code}`")));
                }
                let list = &mut self.expand[lang.index()];
                list.retain(|(f, _)| *f != from);
                list.push((from, to));
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Lexicon, LexiconError> {
        let mut take = |k: &str| self.lists.remove(k).unwrap_or_default();
        let stopwords = take("stopwords");
        let numbers = take("numbers");
        let noise = take("noise");
        let address = take("address");
        let connectors = take("connectors");
        let question_words = take("question_words");
        let slang = take("slang");
        let time = take("time");
        let negation = take("negation");
        let alternatives = take("alternatives");
        let modals = take("modals");
        let why = take("why");
        let existence = take("existence");
        let existence_ends = take("existence.ends");
        let answer_in = take("answer_in");
        let answer_in_words = take("answer_in_words");
        let next_step = take("next_step");
        let declines = Declines {
            task_verbs: take("decline.task_verbs"),
            task_objects: take("decline.task_objects"),
            subjects: take("decline.subjects"),
        };
        let yesno_start = self.cues.remove("yesno_start").unwrap_or_default();
        let cues = self
            .cues
            .into_iter()
            .filter_map(|(k, v)| QType::parse(&k).map(|t| (t, v)))
            .collect();
        let frames = self
            .frames
            .into_iter()
            .filter_map(|(k, v)| QType::parse(&k).map(|t| (t, v)))
            .collect();
        Ok(Lexicon {
            concepts: self.concepts,
            stopwords,
            numbers,
            noise,
            address,
            connectors,
            question_words,
            slang,
            time,
            negation,
            alternatives,
            modals,
            why,
            existence,
            existence_ends,
            answer_in,
            answer_in_words,
            next_step,
            next_step_alone: self.next_step_alone,
            cues,
            yesno_start,
            frames,
            expand: self.expand,
            declines,
            fingerprint: self.hash,
        })
    }
}

fn add_phrases(
    into: &mut PerLang,
    key: &str,
    langs: &RawLangs,
    err: &dyn Fn(std::ops::Range<usize>, String) -> LexiconError,
) -> Result<(), LexiconError> {
    for (lang, phrases) in langs.by_lang() {
        let list = &mut into.0[lang.index()];
        for p in phrases {
            let folded = fold(p.get_ref().trim());
            if folded.is_empty() {
                return Err(err(p.span(), format!("an empty entry in `{key}`")));
            }
            if list.contains(&folded) {
                return Err(err(
                    p.span(),
                    format!(
                        "\"{}\" is listed twice in `{key}.{}`",
                        p.get_ref(),
                        lang.code()
                    ),
                ));
            }
            list.push(folded);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(text: &str) -> Result<Lexicon, LexiconError> {
        Lexicon::load(&[("kb/lexicon.toml".into(), text.into())])
    }

    #[test]
    fn the_shipped_lexicon_is_valid_and_complete() {
        let lex = Lexicon::builtin();
        assert!(lex.concepts.len() > 50);
        let cb = lex.concept("cb").unwrap();
        assert_eq!(cb.kind, ConceptKind::Entity);
        assert!(cb.forms[Lang::Zh.index()].iter().any(|f| f == "社区建设者"));
        assert_eq!(lex.concept("benefit").unwrap().qtype, Some(QType::Benefits));
        for lang in Lang::ALL {
            assert!(!lex.noise.of(lang).is_empty(), "{lang}");
            assert!(!lex.declines.subjects.of(lang).is_empty(), "{lang}");
        }
        assert!(lex.cues.iter().any(|(t, _)| *t == QType::Count));
    }

    #[test]
    fn an_operator_file_adds_concepts_and_forms() {
        let lex = extra(
            "[[concept]]\nname = \"nighttalk\"\nen = [\"after-hours talk\"]\n\n\
             [[concept]]\nname = \"summit\"\nkind = \"entity\"\nen = [\"aws summit\"]\npt = [\"cúpula aws\"]\n\n\
             [noise]\nen = [\"ahoy\"]\n",
        )
        .unwrap();
        assert!(lex.concept("nighttalk").unwrap().forms[0].contains(&"after-hours talk".into()));
        assert_eq!(lex.concept("summit").unwrap().kind, ConceptKind::Entity);
        assert!(lex.noise.of(Lang::En).contains(&"ahoy".to_string()));
        assert_ne!(lex.fingerprint, Lexicon::builtin().fingerprint);
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let e = extra("[[concept]]\nname = \"mine\"\nkind = \"entity\"\nen = [\"x\", \"community builder\"]\n")
            .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("kb/lexicon.toml", 4), "{e}");
        assert!(e.message.contains("both `cb` and `mine`"), "{e}");

        let e = extra(
            "\n[[concept]]\nname = \"mine\"\nkind = \"entity\"\nimplies = [\"nothing_like_it\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(
            e.message.contains("unknown concept `nothing_like_it`"),
            "{e}"
        );

        let e = extra("[[concept]]\nname = \"mine\"\nkind = \"thing\"\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("unknown kind"), "{e}");

        let e = extra("[[concept]]\nname = \"brand_new\"\nen = [\"zzz\"]\n").unwrap_err();
        assert!(e.message.contains("needs a kind"), "{e}");

        let e = extra("[noise]\nen = [\"ahoy\", \"Ahoy\"]\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("listed twice"), "{e}");

        let e = extra("[[concept]]\nname = \"mine\"\nkind = \"entity\"\nfr = [\"le truc\"]\n")
            .unwrap_err();
        assert_eq!(e.line, 4, "{e}");

        let e = extra("[cues.sometimes]\nen = [\"now and then\"]\n").unwrap_err();
        assert!(e.message.contains("unknown question type"), "{e}");

        let e = extra("[[concept]\nname = 1\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(
            e.to_string().starts_with("kb/lexicon.toml (line 1): "),
            "{e}"
        );
    }
}
