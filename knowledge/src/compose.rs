//! Answer composition by question type: what of a section is shown, and how.
//!
//! A list question (and a benefits, duties, requirements or "who can" one) gets the whole
//! list, its introduction first, every item in its own line with its own marker; when that
//! is too long for a chat message the items shrink to their labels, and what still does
//! not fit is counted ("and 3 more"). A count question gets the sentence that states the
//! number, or the count of the list's items when the text states none. Other questions get
//! the sentences that answer most of the question, never a list item without its list.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::Analyzer;
use crate::index::SectionRecord;
use crate::lang::Lang;
use crate::query::{QType, Understanding};

/// The most an answer shows, in characters: readable in chat.
pub const ANSWER_CHARS: usize = 1200;
/// The usual extract for a question that asks for one fact.
const EXTRACT_CHARS: usize = 400;
/// A section up to this long is shown whole, whatever the question.
const WHOLE_SECTION_CHARS: usize = 700;
/// An extract shorter than this takes the sentences that follow it.
const MIN_EXTRACT_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Sentence,
    Bullet,
    Number(u32),
}

/// A sentence or a list item of a section, with what analysis makes of it.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    line: usize,
    mark: Mark,
    depth: usize,
    text: String,
    /// Its index terms, sorted, without repeats; those of an item's head (`item_head`).
    terms: Vec<String>,
    head_terms: Vec<String>,
    /// It dates something; it states a number.
    has_time: bool,
    has_number: bool,
}

/// A section's sentences and list items, analysed once (on first use, then kept with the
/// snapshot), and the terms of its headings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysed {
    units: Vec<Unit>,
    /// The terms of its whole heading path, and of its own heading.
    path_terms: Vec<String>,
    heading_terms: Vec<String>,
    /// The terms of its headings below the document's title.
    own_path_terms: Vec<String>,
}

impl Analysed {
    pub fn of(analyzer: &Analyzer, section: &SectionRecord) -> Analysed {
        let terms = |text: &str| {
            let mut t: Vec<String> = analyzer
                .analyze(text, section.lang)
                .into_iter()
                .map(|t| t.term)
                .collect();
            t.sort();
            t.dedup();
            t
        };
        let mut units = units(&section.text);
        for u in &mut units {
            u.terms = terms(&u.text);
            if u.is_item() {
                u.head_terms = u.item_head().map(terms).unwrap_or_default();
            }
            u.has_time = has_time(analyzer, &u.text);
            u.has_number = states_number(analyzer, &u.text);
        }
        Analysed {
            units,
            path_terms: terms(&section.path.join("\n")),
            heading_terms: terms(section.path.last().map_or("", String::as_str)),
            own_path_terms: terms(&section.path[usize::from(section.path.len() > 1)..].join("\n")),
        }
    }

    /// Whether its headings name a term.
    pub fn path_names(&self, term: &str) -> bool {
        self.path_terms
            .binary_search_by(|t| t.as_str().cmp(term))
            .is_ok()
    }

    /// Whether its headings name every one of `terms` (and there is one).
    pub fn path_names_all(&self, terms: &[String]) -> bool {
        !terms.is_empty() && terms.iter().all(|t| self.path_names(t))
    }

    /// Whether its headings or its text name a term.
    pub fn names(&self, term: &str) -> bool {
        self.path_names(term) || self.units.iter().any(|u| u.names(term))
    }

    /// The line of its opening paragraph, when that is prose naming `term`: a document's
    /// lead ("The AWS Heroes program is a global recognition initiative…") says what its
    /// title names.
    pub fn lead_naming(&self, term: &str) -> Option<usize> {
        let first = self.units.first().filter(|u| !u.is_item())?;
        self.units
            .iter()
            .take_while(|u| u.line == first.line)
            .any(|u| u.names(term))
            .then_some(first.line)
    }

    /// Of its list items (and labelled lines, as a table's rows are), how many say again
    /// what a text in another language says, and how many there are. Only words both
    /// languages write alike can tell: an item is said again when half of its Latin words
    /// and numbers (beside `asked`, the question's) are among `said`, and one with none is
    /// not.
    pub fn items_said_in(&self, said: &HashSet<String>, asked: &[String]) -> (usize, usize) {
        let items: Vec<&Unit> = self
            .units
            .iter()
            .filter(|u| u.is_item() || u.label().is_some())
            .collect();
        let again = items
            .iter()
            .filter(|u| {
                let latin: Vec<&String> = u
                    .terms
                    .iter()
                    .filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric()))
                    .filter(|t| !asked.contains(t))
                    .collect();
                let found = latin.iter().filter(|t| said.contains(t.as_str())).count();
                !latin.is_empty() && 2 * found >= latin.len()
            })
            .count();
        (again, items.len())
    }

    /// The index terms of `shown`, an answer made (in part) of this section's sentences and
    /// items: those are read from their analyses, and only the rest of `shown` is analysed.
    pub fn terms_of_shown(&self, analyzer: &Analyzer, shown: &str, lang: Lang) -> Vec<String> {
        let mut rest = shown.to_string();
        let mut out = Vec::new();
        for u in &self.units {
            if u.text.is_empty() {
                continue;
            }
            if let Some(at) = rest.find(u.text.as_str()) {
                out.extend(u.terms.iter().cloned());
                rest.replace_range(at..at + u.text.len(), "\n");
            }
        }
        if rest.chars().any(char::is_alphanumeric) {
            out.extend(analyzer.analyze(&rest, lang).into_iter().map(|t| t.term));
        }
        out
    }

    /// Whether its own headings, below the document's title, name a term.
    pub fn own_path_names(&self, term: &str) -> bool {
        self.own_path_terms
            .binary_search_by(|t| t.as_str().cmp(term))
            .is_ok()
    }

    pub fn path_terms(&self) -> &[String] {
        &self.path_terms
    }

    /// Whether one of its list items is labelled with what `focus` names and nothing the
    /// question does not ask ("**Ownership**: Leaders act on behalf of…" for "what is the
    /// ownership principle?"): such an item is a small section of its own about it.
    pub fn labels(&self, focus: &[String], asked: &dyn Fn(&str) -> bool) -> bool {
        labelled_item(&self.units, focus, asked).is_some()
    }
}

/// The first list item whose head names every term of `focus` and nothing `asked` does not
/// accept.
fn labelled_item(units: &[Unit], focus: &[String], asked: &dyn Fn(&str) -> bool) -> Option<usize> {
    if focus.is_empty() {
        return None;
    }
    units.iter().position(|u| {
        !u.head_terms.is_empty()
            && focus.iter().all(|f| u.head_terms.contains(f))
            && u.head_terms.iter().all(|t| asked(t))
    })
}

impl Unit {
    fn plain(line: usize, mark: Mark, depth: usize, text: String) -> Unit {
        Unit {
            line,
            mark,
            depth,
            text,
            terms: Vec::new(),
            head_terms: Vec::new(),
            has_time: false,
            has_number: false,
        }
    }

    fn names(&self, term: &str) -> bool {
        self.terms
            .binary_search_by(|t| t.as_str().cmp(term))
            .is_ok()
    }
}

impl Unit {
    fn is_item(&self) -> bool {
        self.mark != Mark::Sentence
    }

    /// "Label" of "Label: what it is", when the label is short.
    fn label(&self) -> Option<&str> {
        // "re:Invent: …" has its label after "re:Invent": a label ends at ": " or "：".
        let (head, rest) = match (self.text.find(": "), self.text.find('：')) {
            (Some(a), Some(b)) if b < a => (&self.text[..b], &self.text[b + '：'.len_utf8()..]),
            (Some(a), _) => (&self.text[..a], &self.text[a + 2..]),
            (None, Some(b)) => (&self.text[..b], &self.text[b + '：'.len_utf8()..]),
            (None, None) => return None,
        };
        let n = head.chars().count();
        (n > 0 && n <= 60 && !rest.trim().is_empty() && !head.contains("://"))
            .then_some(head.trim())
    }

    /// What an item is about, before its explanation: "Ownership" of "Ownership: Leaders…",
    /// "Data Heroes" of "Data Heroes - 数据技术专家".
    fn item_head(&self) -> Option<&str> {
        self.label().or_else(|| {
            let (head, rest) = [" - ", " – ", " — "]
                .iter()
                .find_map(|sep| self.text.split_once(sep))?;
            let n = head.chars().count();
            (n > 0 && n <= 60 && !rest.trim().is_empty()).then_some(head.trim())
        })
    }

    fn render(&self, text: &str) -> String {
        let indent = "  ".repeat(self.depth);
        match self.mark {
            Mark::Sentence => text.to_string(),
            Mark::Bullet => format!("{indent}- {text}"),
            Mark::Number(n) => format!("{indent}{n}. {text}"),
        }
    }
}

fn split_sentences(line: &str) -> Vec<String> {
    if line.chars().count() <= 120 {
        return vec![line.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends = matches!(c, '。' | '！' | '？' | '；')
            || (matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace()));
        if ends && current.trim().chars().count() > 1 {
            out.push(current.trim().to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for (line_no, raw) in text.lines().enumerate() {
        let spaces = raw.len() - raw.trim_start().len();
        let line = raw.trim_start();
        let depth = spaces / 2;
        if let Some(item) = line.strip_prefix("- ") {
            out.push(Unit::plain(
                line_no,
                Mark::Bullet,
                depth,
                item.trim().to_string(),
            ));
            continue;
        }
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && digits.len() <= 3 {
            if let Some(item) = line[digits.len()..].strip_prefix(". ") {
                out.push(Unit::plain(
                    line_no,
                    Mark::Number(digits.parse().unwrap_or(0)),
                    depth,
                    item.trim().to_string(),
                ));
                continue;
            }
        }
        for s in split_sentences(line) {
            out.push(Unit::plain(line_no, Mark::Sentence, 0, s));
        }
    }
    out
}

/// The lists of a section: runs of items, each with the sentence that introduces it.
fn lists(units: &[Unit]) -> Vec<(Option<usize>, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if !units[i].is_item() {
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && units[i].is_item() {
            i += 1;
        }
        let intro = (start > 0).then(|| start - 1);
        out.push((intro, start..i));
    }
    out
}

/// What was put together for an answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Composed {
    pub text: String,
    /// List items left out for length.
    pub omitted: usize,
}

pub(crate) struct Composer<'a> {
    pub weights: &'a HashMap<String, f32>,
    pub understanding: &'a Understanding,
}

impl Composer<'_> {
    /// A unit's terms that the question weighs.
    fn weighted<'u>(&self, unit: &'u Unit) -> Vec<&'u str> {
        unit.terms
            .iter()
            .map(String::as_str)
            .filter(|t| self.weights.contains_key(*t))
            .collect()
    }

    fn weight(&self, terms: &[&str], covered: &HashSet<&str>) -> f32 {
        terms
            .iter()
            .filter(|t| !covered.contains(*t))
            .map(|t| self.weights[*t])
            .sum()
    }

    /// The answer from one section, shaped by the question's type; it never ends on a line
    /// that introduces items it does not show ("The 2024 strategy has four points:").
    pub fn compose(&self, section: &SectionRecord, analysed: &Analysed) -> Composed {
        let mut composed = self.shaped(section, analysed);
        let text = &mut composed.text;
        while let Some((rest, last)) = text.trim_end().rsplit_once('\n') {
            if !opens_items(last) {
                break;
            }
            let keep = rest.trim_end().len();
            text.truncate(keep);
        }
        composed
    }

    fn shaped(&self, section: &SectionRecord, analysed: &Analysed) -> Composed {
        let q = self.understanding;
        let units = &analysed.units;
        if units.is_empty() {
            return Composed::default();
        }
        let wants_list = q.types.iter().any(|t| t.wants_list()) || q.is(QType::Count);
        let hard = q.is(QType::Count) || q.is(QType::When) || q.is(QType::Where);
        // "Bias for Action 和 Frugality 分别是啥意思": programs or principles asked together,
        // each the label of an item of a section that is about neither, are those items.
        if q.focus.len() >= 2
            && !q.compares
            && !hard
            && !q.focus.iter().any(|f| analysed.path_names(f))
        {
            let asked = |t: &str| self.weights.contains_key(t);
            let items: Option<Vec<usize>> = q
                .focus
                .iter()
                .map(|f| labelled_item(units, std::slice::from_ref(f), &asked))
                .collect();
            if let Some(mut items) = items {
                items.sort_unstable();
                items.dedup();
                if items.len() == q.focus.len() {
                    let text = items
                        .iter()
                        .map(|&i| units[i].text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n");
                    return Composed { text, omitted: 0 };
                }
            }
        }
        let lists = lists(units);
        if wants_list && !lists.is_empty() && !self.said_outside_lists(units, &lists) {
            return self.whole_list(analysed, &lists);
        }
        // "Cloud Captain goals?": a list introduced by the aspect asked about is the answer.
        let introduced: Vec<(Option<usize>, std::ops::Range<usize>)> = lists
            .iter()
            .filter(|(intro, _)| intro.is_some_and(|i| q.aspects.iter().any(|a| units[i].names(a))))
            .cloned()
            .collect();
        if !introduced.is_empty() {
            return self.whole_list(analysed, &introduced);
        }
        // "What is the Ownership principle?" of a section that lists every principle: the
        // item labelled "Ownership" is the answer, with the items nested in it.
        // A number, a date or an address is found by the sentence that states it instead.
        if !wants_list && !hard && !analysed.path_names_all(&q.focus) {
            let asked = |t: &str| self.weights.contains_key(t);
            if let Some(i) = labelled_item(units, &q.focus, &asked) {
                let depth = units[i].depth;
                let nested = units[i + 1..]
                    .iter()
                    .take_while(|n| n.is_item() && n.depth > depth)
                    .count();
                let mut text = units[i].text.clone();
                for n in &units[i + 1..=i + nested] {
                    text.push('\n');
                    text.push_str(&n.render(&n.text));
                }
                return Composed { text, omitted: 0 };
            }
        }
        let total: usize = section.text.chars().count();
        if total <= WHOLE_SECTION_CHARS {
            // A short section is shown whole: it is one topic, and cutting it saves little.
            let all: Vec<usize> = (0..units.len()).collect();
            let (text, omitted) = fit(units, all);
            return Composed { text, omitted };
        }
        let budget = if wants_list {
            ANSWER_CHARS
        } else if q.is(QType::HowTo) {
            600
        } else {
            EXTRACT_CHARS
        };
        if total <= budget {
            return Composed {
                text: render(units, &(0..units.len()).collect::<Vec<_>>(), &[]),
                omitted: 0,
            };
        }
        let chosen = self.best_sentences(units, budget);
        let (text, omitted) = fit(units, chosen);
        Composed { text, omitted }
    }

    /// Whether a sentence outside every list (and its introduction) says more of what is
    /// asked than any list does: "the key traits are…" after a list of goals.
    fn said_outside_lists(
        &self,
        units: &[Unit],
        lists: &[(Option<usize>, std::ops::Range<usize>)],
    ) -> bool {
        let none = HashSet::default();
        let weight_of = |range: &mut dyn Iterator<Item = usize>| {
            let mut terms: Vec<&str> = range.flat_map(|i| self.weighted(&units[i])).collect();
            terms.sort_unstable();
            terms.dedup();
            self.weight(&terms, &none)
        };
        let in_a_list = |i: usize| {
            lists
                .iter()
                .any(|(intro, r)| *intro == Some(i) || r.contains(&i))
        };
        let best_list = lists
            .iter()
            .map(|(intro, r)| weight_of(&mut intro.iter().copied().chain(r.clone())))
            .fold(0.0f32, f32::max);
        (0..units.len())
            .filter(|&i| !in_a_list(i))
            .any(|i| weight_of(&mut std::iter::once(i)) > best_list + 1e-3)
    }

    /// A section with the subsections a list is spread over: the section's own text, then
    /// each subsection's heading with its items (or its first sentence when it has none),
    /// in document order, shrunk to fit like any list.
    pub fn compose_family(
        &self,
        parent: &Analysed,
        children: &[(&SectionRecord, &Analysed)],
    ) -> Composed {
        let mut all = parent.units.clone();
        let mut line = all.last().map_or(0, |u| u.line + 1);
        for (child, analysed) in children {
            let heading = child.path.last().cloned().unwrap_or_default();
            if child.text.is_empty() {
                // A numbered sibling: its heading is the item.
                let (n, name) = match numbered_heading(&heading) {
                    Some((_, rest)) => (
                        Mark::Number(all.iter().filter(|u| u.is_item()).count() as u32 + 1),
                        rest,
                    ),
                    None => (Mark::Bullet, heading.clone()),
                };
                all.push(Unit::plain(line, n, 0, name));
                line += 1;
                continue;
            }
            let colon = if child.lang == Lang::Zh { '：' } else { ':' };
            all.push(Unit::plain(
                line,
                Mark::Sentence,
                0,
                format!("{heading}{colon}"),
            ));
            line += 1;
            let child_units = &analysed.units;
            let items: Vec<&Unit> = child_units.iter().filter(|u| u.is_item()).collect();
            let shown: Vec<&Unit> = if items.is_empty() {
                child_units.iter().take(1).collect()
            } else {
                items
            };
            for u in shown {
                let mark = if u.is_item() { u.mark } else { Mark::Bullet };
                all.push(Unit::plain(line, mark, u.depth, u.text.clone()));
                line += 1;
            }
        }
        let chosen: Vec<usize> = (0..all.len()).collect();
        let (text, omitted) = fit(&all, chosen);
        Composed { text, omitted }
    }

    /// The list that answers most of the question, whole, with its introduction.
    fn whole_list(
        &self,
        analysed: &Analysed,
        lists: &[(Option<usize>, std::ops::Range<usize>)],
    ) -> Composed {
        let q = self.understanding;
        let units = &analysed.units;
        let none = HashSet::default();
        let unit_terms: Vec<Vec<&str>> = units.iter().map(|u| self.weighted(u)).collect();
        let score = |(intro, r): &(Option<usize>, std::ops::Range<usize>)| {
            let mut terms: Vec<&str> = intro.map(|i| unit_terms[i].clone()).unwrap_or_default();
            for i in r.clone() {
                terms.extend(unit_terms[i].iter().copied());
            }
            terms.sort();
            terms.dedup();
            // The first list wins a tie; a longer one a near tie.
            self.weight(&terms, &none) + 0.01 * r.len() as f32
        };
        // A list introduced by the aspect asked ("要求：" for which conditions) comes before
        // one that shares more of the question's other words ("担任…" in the duties).
        let introduced_as_asked = |(intro, _): &(Option<usize>, std::ops::Range<usize>)| {
            intro.is_some_and(|i| {
                !units[i].is_item()
                    && opens_items(&units[i].text)
                    && q.aspects.iter().any(|a| units[i].terms.contains(a))
            })
        };
        let (intro, range) = lists
            .iter()
            .max_by(|a, b| {
                introduced_as_asked(a)
                    .cmp(&introduced_as_asked(b))
                    .then(score(a).total_cmp(&score(b)))
                    .then(b.1.start.cmp(&a.1.start))
            })
            .cloned()
            .expect("at least one list");
        // Lists under labels of their own ("Products:", "Local support:") that say about as
        // much of what is asked are parts of one answer: shown together, not the first
        // alone. A count counts one list.
        let labelled = |l: &(Option<usize>, std::ops::Range<usize>)| {
            l.0.is_some_and(|i| !units[i].is_item() && opens_items(&units[i].text))
        };
        let best_score = score(&(intro, range.clone()));
        let siblings: Vec<(Option<usize>, std::ops::Range<usize>)> = if q.is(QType::Count)
            || !labelled(&(intro, range.clone()))
        {
            Vec::new()
        } else {
            lists
                .iter()
                .filter(|l| l.1 != range && labelled(l) && score(l) >= 0.8 * best_score)
                .filter(|l| introduced_as_asked(l) || !introduced_as_asked(&(intro, range.clone())))
                .cloned()
                .collect()
        };
        let mut lead: Vec<usize> = Vec::new();
        // What comes before the list: the sentences of the section's opening up to the
        // introduction, when the list is the section's first block, else the introduction.
        match intro {
            Some(i) if !units[i].is_item() => {
                if range.start == lists[0].1.start {
                    lead.extend(0..=i);
                } else {
                    lead.push(i);
                }
            }
            _ => {}
        }
        // A count question: the sentence stating the number, if the text has one.
        let stated = q
            .is(QType::Count)
            .then(|| self.stated_count(units, &unit_terms));
        if let Some(Some(i)) = stated {
            if !lead.contains(&i) && !range.contains(&i) && !units[i].is_item() {
                lead.insert(0, i);
            }
        }
        // "How many events a year does a city organizer host?": when the number is one item
        // of a long list of other things (the organizer's duties), that item is the answer.
        let top_items = range.clone().filter(|&i| units[i].depth == 0).count();
        if let Some(Some(i)) = stated {
            let asks_more_than_focus = unit_terms[i]
                .iter()
                .any(|t| !q.focus.iter().any(|f| f == t));
            if !q.types.iter().any(|t| t.wants_list())
                && range.contains(&i)
                && top_items > 4
                && asks_more_than_focus
            {
                // Its label goes when what follows is a sentence of its own.
                let text = &units[i].text;
                let rest = units[i]
                    .label()
                    .and_then(|l| text.get(l.len()..))
                    .map(|r| r.trim_start_matches([':', '：', ' ']))
                    .filter(|r| r.chars().count() > 40);
                return Composed {
                    text: rest.unwrap_or(text).to_string(),
                    omitted: 0,
                };
            }
        }
        // Keep the lead short: the introduction matters, an essay before it does not.
        while lead.len() > 1
            && lead
                .iter()
                .map(|&i| units[i].text.chars().count())
                .sum::<usize>()
                > 400
        {
            lead.remove(0);
        }
        let mut chosen = lead.clone();
        chosen.extend(range.clone());
        for (intro, r) in &siblings {
            chosen.extend(*intro);
            chosen.extend(r.clone());
        }
        let (mut text, omitted) = fit(units, chosen);
        // The count of a list answers "how many" only when the list is of what is counted:
        // the section's own heading names something the question asks about.
        let of_what_is_counted = analysed
            .heading_terms
            .iter()
            .any(|t| t != "@count" && self.weights.contains_key(t));
        if q.is(QType::Count) && stated.flatten().is_none() && of_what_is_counted {
            // "There are 7:" leads straight into the items; before an introduction of
            // them it is a sentence of its own.
            let into_items = text.lines().next().is_some_and(is_item_line);
            text = format!("{}\n{text}", count_line(q.lang, top_items, into_items));
        }
        Composed { text, omitted }
    }

    /// The sentence that states a number about what the question asks.
    fn stated_count(&self, units: &[Unit], unit_terms: &[Vec<&str>]) -> Option<usize> {
        let none = HashSet::default();
        units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.has_number)
            .map(|(i, _)| (i, self.weight(&unit_terms[i], &none)))
            .filter(|(_, w)| *w > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    }

    /// Greedy cover: the sentence that adds the most question weight not yet shown, until
    /// nothing adds any or the extract is full. The opening sentence gets a head start, as
    /// it usually states the section's main fact. A list item chosen brings its list's
    /// introduction, so an answer never starts mid-list.
    fn best_sentences(&self, units: &[Unit], budget: usize) -> Vec<usize> {
        let unit_terms: Vec<Vec<&str>> = units.iter().map(|u| self.weighted(u)).collect();
        let mut covered: HashSet<&str> = HashSet::default();
        let mut chosen: Vec<usize> = Vec::new();
        let mut used = 0usize;
        loop {
            let mut best: Option<(usize, f32)> = None;
            for (i, terms) in unit_terms.iter().enumerate() {
                if chosen.contains(&i) {
                    continue;
                }
                let len = units[i].text.chars().count();
                if used > 0 && used + len > budget {
                    continue;
                }
                let gain = self.weight(terms, &covered);
                let gain = if i == 0 { gain * 1.3 } else { gain };
                if gain > 0.0 && best.is_none_or(|(_, g)| gain > g) {
                    best = Some((i, gain));
                }
            }
            let Some((i, _)) = best else { break };
            used += units[i].text.chars().count();
            covered.extend(unit_terms[i].iter().copied());
            chosen.push(i);
        }
        // One sentence that names the question's terms often only introduces the answer:
        // the sentences after it follow until the extract says enough.
        while used < MIN_EXTRACT_CHARS {
            let next = chosen.iter().max().map_or(0, |&i| i + 1);
            let Some(i) = (next..units.len()).find(|i| !chosen.contains(i)) else {
                break;
            };
            let len = units[i].text.chars().count();
            if used + len > budget {
                break;
            }
            used += len;
            chosen.push(i);
        }
        if chosen.is_empty() {
            // Nothing but the heading matched: the section's opening is the answer.
            for (i, u) in units.iter().enumerate() {
                let len = u.text.chars().count();
                if used > 0 && used + len > budget {
                    break;
                }
                used += len;
                chosen.push(i);
            }
        }
        // A list the extract touches (an item, or the sentence that introduces it) is shown
        // with its introduction, never from the middle.
        let lists = lists(units);
        let mut with_context = chosen.clone();
        for (intro, range) in &lists {
            let touched = chosen.iter().any(|i| range.contains(i))
                || intro.is_some_and(|i| chosen.contains(&i) && introduces(&units[i].text));
            if touched {
                with_context.extend(intro.iter().copied().filter(|&i| !units[i].is_item()));
                // The whole list when it fits as written; a long one keeps the items that
                // answer (a question about one principle of fourteen gets that one).
                let whole: usize = range
                    .clone()
                    .map(|i| units[i].text.chars().count() + 3)
                    .sum();
                if whole + used <= ANSWER_CHARS || !chosen.iter().any(|i| range.contains(i)) {
                    with_context.extend(range.clone());
                }
            }
        }
        with_context.sort_unstable();
        with_context.dedup();
        with_context
    }
}

/// Whether a line of section text is a list item.
pub(crate) fn is_item_line(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("- ")
        || l.split_once(". ").is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())
        })
}

/// A heading that numbers its section ("Principle 3: Invent and Simplify", "准则三：创新简化"):
/// the word before the number, and what follows it.
pub(crate) fn numbered_heading(heading: &str) -> Option<(String, String)> {
    const NUMERALS: &str = "0123456789一二三四五六七八九十百";
    let h = heading.trim();
    let word_end = h
        .char_indices()
        .find(|&(_, c)| NUMERALS.contains(c) || c.is_whitespace())
        .map(|(i, _)| i)?;
    let word = &h[..word_end];
    if word.is_empty() {
        return None;
    }
    let rest = h[word_end..].trim_start();
    let num_end = rest
        .char_indices()
        .find(|&(_, c)| !NUMERALS.contains(c))
        .map(|(i, _)| i)?;
    if num_end == 0 {
        return None;
    }
    let after = rest[num_end..].trim_start();
    let name = after.strip_prefix([':', '：', '.', '、'])?.trim();
    (!name.is_empty()).then(|| (word.to_string(), name.to_string()))
}

/// A fact a how-to, when or where answer must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// When: a month, a year, "every year".
    Time,
    /// Where: an address.
    Link,
}

fn phrases_in(list: &[String], folded: &str) -> bool {
    list.iter().any(|p| {
        folded.match_indices(p.as_str()).any(|(s, _)| {
            let e = s + p.len();
            let before = folded[..s].chars().next_back();
            let after = folded[e..].chars().next();
            let latin = p.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            !latin
                || (!before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric))
        })
    })
}

/// Whether text dates something: a year, a month, "every year".
pub(crate) fn has_time(analyzer: &Analyzer, text: &str) -> bool {
    let folded = crate::analysis::fold(text);
    let year = folded
        .split(|c: char| !c.is_ascii_digit())
        .any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")));
    year || states_years(&folded)
        || Lang::ALL
            .into_iter()
            .any(|l| phrases_in(analyzer.lexicon().time.of(l), &folded))
}

/// Whether folded text gives a number of years ("over 10 years", "10 anos", "10 年"): how
/// long something has run answers "how old" as a date answers "when".
fn states_years(folded: &str) -> bool {
    let mut rest = folded;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        let after = rest[at..].trim_start_matches(|c: char| c.is_ascii_digit());
        let unit = after.trim_start_matches([' ', '+']);
        if ["year", "ano", "年"].iter().any(|u| unit.starts_with(u)) {
            return true;
        }
        rest = after;
    }
    false
}

/// The sentence of a section that states what `need` asks for, about what the question
/// names (its program, or the aspect asked, such as applying).
pub(crate) fn fact_sentence(u: &Understanding, analysed: &Analysed, need: Need) -> Option<String> {
    if u.focus.is_empty() && u.aspects.is_empty() {
        return None;
    }
    analysed
        .units
        .iter()
        .filter(|unit| match need {
            Need::Time => unit.has_time,
            Need::Link => unit.text.contains("://"),
        })
        // An introduction ("The 2024 strategy has four points:") states no fact alone.
        .filter(|unit| !opens_items(&unit.text))
        .find(|unit| {
            // About what was asked: the sentence or its heading names an aspect asked
            // (applying) and, when the question names a program, that program.
            let named = |t: &String| unit.names(t) || analysed.path_names(t);
            let own = |t: &String| unit.names(t) || analysed.own_path_names(t);
            let aspect_ok = u.aspects.is_empty() || u.aspects.iter().any(named);
            let focus_ok = u.focus.is_empty() || u.focus.iter().any(own);
            aspect_ok && focus_ok
        })
        .map(|unit| unit.render(&unit.text))
}

/// The first sentence of a section that names one of `terms` (an introduction to a list
/// states nothing alone), as it would be shown.
pub(crate) fn first_naming(analysed: &Analysed, terms: &[&str]) -> Option<String> {
    analysed
        .units
        .iter()
        .filter(|unit| !opens_items(&unit.text))
        .find(|unit| terms.iter().any(|t| unit.names(t)))
        .map(|unit| unit.render(&unit.text))
}

/// "Yes" or "No" for a yes/no question, from the answer's first sentence: "No" when it
/// negates, "Yes" when it states what the question asks without negating it; nothing when
/// the question weighs alternatives ("A or B?") or the sentence does not say.
pub(crate) fn yes_or_no(
    analyzer: &Analyzer,
    u: &Understanding,
    text: &str,
    lang: Lang,
) -> Option<YesNo> {
    let lex = analyzer.lexicon();
    // "Can I apply, or does one need a referral?" asks which, not whether.
    if phrases_in(lex.alternatives.of(u.lang), &u.question) {
        return None;
    }
    let q = u.yes_no.as_deref().unwrap_or(&u.question);
    if phrases_in(lex.alternatives.of(u.lang), q) {
        return None;
    }
    let first = split_sentences(text.lines().next()?).into_iter().next()?;
    let folded = crate::analysis::fold(&first);
    // In the answer's own language: Portuguese "no" is "in the", not a refusal.
    let negates = phrases_in(lex.negation.of(lang), &folded);
    // What the question claims beyond naming its program: "free exam" in "does a UGL get
    // a free exam?". A sentence that only names the program says neither yes nor no.
    let asked: Vec<String> = analyzer
        .analyze_folded(q, u.lang)
        .into_iter()
        // Chinese words count as claims too ("要交钱", must one pay, is not said by an answer
        // that only tells how to apply): Chinese names fewer of its claims by concepts.
        // One character left between words ("当", "话") is a particle or a verb of the
        // frame, not a claim.
        .filter(|t| match t.kind {
            crate::analysis::Kind::Concept => !u.focus.contains(&t.term),
            crate::analysis::Kind::Han => t.term.chars().nth(1).is_some(),
            _ => false,
        })
        .map(|t| t.term)
        .collect();
    // The item path also weighs the question's plain words: "in my own language, say
    // Spanish?" is not answered yes by an item on weekly sessions held in English.
    let words: Vec<String> = analyzer
        .analyze_folded(q, u.lang)
        .into_iter()
        .filter(|t| t.kind == crate::analysis::Kind::Word && !u.focus.contains(&t.term))
        .map(|t| t.term)
        .collect();
    let terms_of = |sentence: &str| -> HashSet<String> {
        analyzer
            .analyze(sentence, lang)
            .into_iter()
            .map(|t| t.term)
            .collect()
    };
    // Two thirds of `wanted` are stated.
    let most_of = |wanted: &[String], stated: &HashSet<String>| {
        wanted.iter().filter(|t| stated.contains(*t)).count() * 3 >= wanted.len() * 2
    };
    // Whether a sentence's terms state what is asked.
    let states = |stated: &HashSet<String>| {
        // "Is there an application fee?" is not answered yes by a sentence on applying: the
        // thing whose existence is asked must be stated.
        let thing_stated = u.exists.as_deref().is_none_or(|thing| {
            analyzer
                .analyze_folded(thing, u.lang)
                .into_iter()
                .filter(|t| !u.focus.contains(&t.term))
                .all(|t| stated.contains(&t.term))
        });
        !asked.is_empty() && most_of(&asked, stated) && thing_stated
    };
    let (yes, no) = match u.lang {
        Lang::En => ("Yes.", "No."),
        Lang::Zh => ("是的。", "不。"),
        Lang::Pt => ("Sim.", "Não."),
    };
    if negates {
        // "A Hero cannot just sign up, becoming one takes a referral" asked "does it take a
        // referral?": the negation is in another clause than the one that states what is
        // asked, which says yes.
        let stating: Vec<bool> = first
            .split([',', '，', ';', '；', ':', '：'])
            .filter(|clause| states(&terms_of(clause)))
            .map(|clause| phrases_in(lex.negation.of(lang), &crate::analysis::fold(clause)))
            .collect();
        if !stating.is_empty() && stating.iter().all(|negated| !negated) {
            Some(YesNo::Said(yes))
        } else {
            Some(YesNo::Said(no))
        }
    } else if states(&terms_of(&first)) {
        Some(YesNo::Said(yes))
    } else {
        // "do CBs need to sign an NDA?" answered by a list of perks: the item that states it
        // (a bullet, not a numbered step) says yes, and comes first.
        text.lines()
            .enumerate()
            .skip(1)
            .take(12)
            .find(|(_, line)| {
                line.starts_with("- ")
                    && !phrases_in(lex.negation.of(lang), &crate::analysis::fold(line))
                    && {
                        let stated = terms_of(line);
                        states(&stated) && most_of(&words, &stated)
                    }
            })
            .map(|(i, _)| YesNo::SaidBy(yes, i))
    }
}

/// The yes or no a yes/no question's answer starts with; `SaidBy` names the line (a list
/// item below the first line) that states it, which then leads the answer.
pub(crate) enum YesNo {
    Said(&'static str),
    SaidBy(&'static str, usize),
}

/// Whether a line ends with a colon, opening items that follow it ("The 2024 strategy has
/// four points:"): alone, it states no fact.
pub(crate) fn opens_items(line: &str) -> bool {
    line.trim_end().ends_with([':', '：'])
}

/// Whether a line introduces what follows it: it ends with a colon, or it is a short label
/// ("Leadership Goals") rather than a sentence.
fn introduces(line: &str) -> bool {
    let l = line.trim_end();
    opens_items(l) || (l.chars().count() <= 60 && !l.ends_with(['.', '。', '!', '?', '！', '？']))
}

/// "There are 7:" in the section's language, for a count the text does not state; "There
/// are 7." when not followed by the items themselves.
pub(crate) fn count_line(lang: Lang, n: usize, into_items: bool) -> String {
    let (colon, stop) = match lang {
        Lang::Zh => ("：", "。"),
        _ => (":", "."),
    };
    let end = if into_items { colon } else { stop };
    match lang {
        Lang::En => format!("There are {n}{end}"),
        Lang::Zh => format!("共有 {n} 项{end}"),
        Lang::Pt => format!("São {n}{end}"),
    }
}

/// Concepts that only say a question's type ("how many", "when", "what is", a link): what
/// an answer holds shows them, not the words.
pub(crate) const TYPE_TERMS: [&str; 4] = ["@count", "@when", "@link", "@what"];

/// Whether a sentence (or list item) of the section states what a count, when or where
/// question asks, about what it asks: a number, a date or an address in a sentence that,
/// with the section's headings, names the question's program (or, when it names none,
/// an aspect it asks about).
pub(crate) fn states_what_is_asked(
    u: &Understanding,
    analysed: &Analysed,
    types: &[QType],
) -> bool {
    let wanted: Vec<&String> = if u.focus.is_empty() {
        u.aspects
            .iter()
            .filter(|a| !TYPE_TERMS.contains(&a.as_str()))
            .collect()
    } else {
        u.focus.iter().collect()
    };
    if wanted.is_empty() {
        return true;
    }
    // A count of something asked of a program ("UGL一年要办几场活动", how many events) is
    // stated by a number beside what is counted, not by any number about the program ("分为
    // 三种角色", its three roles).
    let counted: Vec<&String> = if types.contains(&QType::Count) && !u.focus.is_empty() {
        u.aspects
            .iter()
            .filter(|a| !TYPE_TERMS.contains(&a.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    analysed.units.iter().any(|unit| {
        let states = types.iter().all(|t| match t {
            QType::Count => unit.has_number,
            QType::When => unit.has_time,
            QType::Where => unit.text.contains("://"),
            _ => true,
        });
        // Its own headings, not only the document's title: a history of the user groups in
        // a document titled for them and the Community Days does not date the latter.
        states
            && wanted
                .iter()
                .any(|w| unit.names(w) || analysed.own_path_names(w))
            && (counted.is_empty() || counted.iter().any(|c| unit.names(c)))
    })
}

/// Whether a sentence states a number (digits, a number word, Chinese numerals) that counts
/// something: a calendar year ("2024") or a stretch of time ("over 10 years", "10 年",
/// "três meses") says when or how long, not how many, and answers no count question.
pub(crate) fn states_number(analyzer: &Analyzer, text: &str) -> bool {
    let folded = crate::analysis::fold(text);
    let mut rest = folded.as_str();
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit() || is_han_numeral(c)) {
        let digits = rest[at..]
            .find(|c: char| !(c.is_ascii_digit() || is_han_numeral(c) || c == ',' || c == '.'))
            .map_or(&rest[at..], |end| &rest[at..at + end]);
        let before = &rest[..at];
        let after = &rest[at + digits.len()..];
        let digits = digits.trim_end_matches([',', '.']);
        if !is_year(digits, before, after) && !names_time_span(after) {
            return true;
        }
        rest = after;
    }
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        analyzer.is_number_word(w) && !words.get(i + 1).is_some_and(|n| names_time_span(n))
    })
}

/// Whether a number is a calendar year: four digits from 1900 to 2099 that stand alone or
/// follow "in", "since", "em", "desde"…, not a count ("2000 developers", "超过2000位",
/// "$2000").
fn is_year(digits: &str, before: &str, after: &str) -> bool {
    let shaped = digits.len() == 4
        && (digits.starts_with("19") || digits.starts_with("20"))
        && digits.bytes().all(|b| b.is_ascii_digit());
    if !shaped || before.ends_with(['$', '€', '£', '¥']) {
        return false;
    }
    let next = after.trim_start_matches(' ').chars().next();
    let alone = next.is_none_or(|c| !c.is_alphanumeric()) || after.starts_with('年');
    let previous_word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    alone
        || [
            "in", "since", "from", "until", "by", "of", "em", "desde", "de", "ate", "after",
            "before",
        ]
        .contains(&previous_word)
}

fn is_han_numeral(c: char) -> bool {
    "一二三四五六七八九十百千万两".contains(c)
}

/// Whether folded text starts with a unit of time ("years", "anos", "年", "个月").
fn names_time_span(after: &str) -> bool {
    let unit = after.trim_start_matches([' ', '+', '多']);
    let unit = unit.strip_prefix('个').unwrap_or(unit);
    [
        "year", "yr", "month", "week", "day", "hour", "minute", "ano", "mes", "semana", "dia",
        "hora", "minuto", "年", "月", "周", "星期", "天", "小时", "分钟",
    ]
    .iter()
    .any(|u| unit.starts_with(u))
}

/// Renders the chosen units within [`ANSWER_CHARS`]: whole if they fit, else with list
/// items by their labels (nested items left out), else with as many items as fit; returns
/// the text and how many items were left out.
fn fit(units: &[Unit], mut chosen: Vec<usize>) -> (String, usize) {
    chosen.sort_unstable();
    chosen.dedup();
    let text = render(units, &chosen, &[]);
    if text.chars().count() <= ANSWER_CHARS {
        return (text, 0);
    }
    let chosen: Vec<usize> = chosen
        .into_iter()
        .filter(|&i| !units[i].is_item() || units[i].depth == 0)
        .collect();
    let items: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| units[i].is_item())
        .collect();
    let text = render(units, &chosen, &items);
    if text.chars().count() <= ANSWER_CHARS {
        return (text, 0);
    }
    // Still too long: each block (a sentence and the items under it) keeps its first items,
    // taken in turns, so that every block says something; a sentence that introduces items
    // is only shown with the first of them, never as an empty heading.
    let mut blocks: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
    for &i in &chosen {
        match blocks.last_mut() {
            Some((_, block)) if units[i].is_item() => block.push(i),
            _ if units[i].is_item() => blocks.push((None, vec![i])),
            _ => blocks.push((Some(i), Vec::new())),
        }
    }
    let cost = |i: usize| {
        let u = &units[i];
        let shown = if u.is_item() {
            u.label().unwrap_or(&u.text)
        } else {
            &u.text
        };
        u.render(shown).chars().count() + 1
    };
    let mut kept: Vec<usize> = Vec::new();
    let mut used = 0;
    let mut open: Vec<bool> = vec![true; blocks.len()];
    for round in 0.. {
        let mut added = false;
        for (b, (head, block)) in blocks.iter().enumerate() {
            if !open[b] {
                continue;
            }
            let mut take = Vec::new();
            if round == 0 {
                take.extend(*head);
            }
            take.extend(block.get(round).copied());
            let len: usize = take.iter().map(|&i| cost(i)).sum();
            if take.is_empty() || used + len > ANSWER_CHARS {
                open[b] = false;
                continue;
            }
            used += len;
            kept.extend(take);
            added = true;
        }
        if !added {
            break;
        }
    }
    let shown_items = kept.iter().filter(|&&i| units[i].is_item()).count();
    let omitted = items.len() - shown_items.min(items.len());
    (render(units, &kept, &items), omitted)
}

/// The chosen units in section order; items in `short` by their labels.
fn render(units: &[Unit], chosen: &[usize], short: &[usize]) -> String {
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let mut out = String::new();
    let mut last_line: Option<usize> = None;
    for i in chosen {
        let u = &units[i];
        let text = if short.contains(&i) {
            u.label().unwrap_or(&u.text)
        } else {
            &u.text
        };
        if let Some(l) = last_line {
            out.push(if l == u.line && !u.is_item() {
                ' '
            } else {
                '\n'
            });
        }
        out.push_str(&u.render(text));
        last_line = Some(u.line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyzer;

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

    fn compose(q: &str, text: &str) -> Composed {
        compose_in("Principles and items", q, text)
    }

    fn compose_in(heading: &str, q: &str, text: &str) -> Composed {
        let a = analyzer();
        let u = a.understand(q, Lang::En);
        let weights: HashMap<String, f32> = a
            .analyze_folded(&u.question, Lang::En)
            .into_iter()
            .map(|t| (t.term, 1.0))
            .collect();
        let record = SectionRecord {
            path: vec!["X".into(), heading.into()],
            ..section(text)
        };
        let analysed = Analysed::of(a, &record);
        Composer {
            weights: &weights,
            understanding: &u,
        }
        .compose(&record, &analysed)
    }

    #[test]
    fn a_number_of_years_is_a_time() {
        assert!(states_years("now over 10 years running"));
        assert!(states_years("ha mais de 10 anos"));
        assert!(states_years("已有 10 年"));
        assert!(!states_years("238 heroes in 10 countries"));
    }

    #[test]
    fn two_principles_asked_together_are_their_two_items() {
        let list = "Our principles:\n1. Ownership: A leader acts for the whole group.\n2. Dive Deep: A leader checks the details.\n3. Frugality: A leader does more with less.\n4. Earn Trust: A leader listens.";
        let c = compose("what do ownership and frugality mean?", list);
        assert_eq!(
            c.text,
            "Ownership: A leader acts for the whole group.\nFrugality: A leader does more with less."
        );
    }

    #[test]
    fn a_count_stated_by_one_item_of_a_long_list_is_that_item() {
        let list = "An organizer has these duties:\n- Contact: An organizer is the first contact for members.\n- Events: An organizer hosts at least four events a year, one every quarter of the year.\n- Platform: An organizer uses the official platform.\n- Topics: An organizer picks the topics and speakers.\n- Calls: An organizer joins the monthly call.";
        let c = compose("how many events a year does an organizer host?", list);
        assert_eq!(
            c.text,
            "An organizer hosts at least four events a year, one every quarter of the year."
        );
        // Asked for the list, the list comes whole.
        let c = compose("list all the organizer duties", list);
        assert!(
            c.text.contains("monthly call") && c.text.contains("four events"),
            "{}",
            c.text
        );
    }

    #[test]
    fn a_year_or_a_stretch_of_time_counts_nothing() {
        let a = crate::analysis::analyzer();
        for counts in [
            "全球总数：238位 Hero",
            "超过2000位开发者",
            "more than 2000 developers",
            "$2000 in credits every year",
            "每年一次任意认证考试",
            "there are seven categories",
        ] {
            assert!(states_number(a, counts), "{counts}");
        }
        for dates in [
            "now over 10 years running",
            "in 2024 the strategy changed",
            "2024年会员策略",
            "lá pelos anos de 2010-2012",
            "há três meses",
            "已有 10 年",
        ] {
            assert!(!states_number(a, dates), "{dates}");
        }
    }

    #[test]
    fn a_list_question_is_answered_by_the_sentence_that_says_it_outside_the_list() {
        let c = compose(
            "what are the key traits?",
            "The program pursues three goals:\n- Nurture: members grow.\n- Teach: members learn.\n- Include: everyone is welcome.\nThe key traits of a member are curiosity and generosity.",
        );
        assert!(c.text.contains("curiosity and generosity"), "{}", c.text);
    }

    #[test]
    fn lists_under_labels_of_their_own_are_one_answer() {
        let c = compose(
            "what are the benefits?",
            "Heroes get benefits of three kinds.\nProduct benefits:\n- Early roadmap access.\n- Credits every year.\nGlobal benefits:\n- A free conference ticket.\nLocal benefits:\n- Invitations to speak.",
        );
        for item in [
            "Early roadmap",
            "free conference ticket",
            "Invitations to speak",
        ] {
            assert!(c.text.contains(item), "{}", c.text);
        }
    }

    #[test]
    fn a_list_too_long_for_an_answer_keeps_the_first_items_of_every_block() {
        let long = "a long explanation that goes on about this benefit for quite a while, and then some more words about it";
        let mut text = String::from("The benefits come in three kinds.\n");
        for block in ["Products", "Influence", "Local"] {
            text.push_str(&format!("{block} benefits:\n"));
            for n in 1..=4 {
                text.push_str(&format!("- {block} item {n} is {long}.\n"));
            }
        }
        let record = SectionRecord {
            path: vec!["X".into(), "Benefits".into()],
            ..section(&text)
        };
        let analysed = Analysed::of(analyzer(), &record);
        let (shown, omitted) = fit(&analysed.units, (0..analysed.units.len()).collect());
        assert!(shown.chars().count() <= ANSWER_CHARS, "{shown}");
        for block in ["Products", "Influence", "Local"] {
            assert!(
                shown.contains(&format!("{block} benefits:\n- {block} item 1")),
                "{shown}"
            );
        }
        assert!(omitted > 0, "{omitted}");
    }

    #[test]
    fn a_list_question_gets_every_item() {
        let filler = "Other facts about the program fill this long section with words. ".repeat(8);
        let text = format!("{filler}\nThe program has seven categories:\n- Alpha: the first one.\n- Beta: the second.\n- Gamma: the third.\n- Delta: the fourth.\n- Epsilon: the fifth.\n- Zeta: the sixth.\n- Eta: the seventh.\n{filler}");
        let c = compose("what are the categories?", &text);
        for name in ["Alpha", "Delta", "Eta"] {
            assert!(c.text.contains(&format!("- {name}")), "{}", c.text);
        }
        assert!(c.text.contains("seven categories:\n- Alpha"), "{}", c.text);
        assert_eq!(c.omitted, 0);
    }

    #[test]
    fn a_long_list_shrinks_to_labels_then_counts_what_is_left() {
        let items: String = (1..=120)
            .map(|i| format!("{i}. Item number {i}: a long explanation of the item that goes on and on for a while.\n"))
            .collect();
        let c = compose("list all the items", &format!("The items are:\n{items}"));
        assert!(c.text.chars().count() <= ANSWER_CHARS, "{}", c.text);
        assert!(
            c.text.contains("1. Item number 1\n2. Item number 2"),
            "{}",
            c.text
        );
        assert!(c.omitted > 0 && c.omitted < 120, "{}", c.omitted);
    }

    #[test]
    fn a_count_the_text_does_not_state_is_the_count_of_the_list() {
        let c = compose(
            "how many principles are there?",
            "Here are some key principles:\n1. One: first.\n2. Two: second.\n3. Three: third.",
        );
        // Before the list's own introduction, the count is a sentence of its own.
        assert!(
            c.text
                .starts_with("There are 3.\nHere are some key principles:"),
            "{}",
            c.text
        );
        let c = compose(
            "how many principles are there?",
            "1. One: first.\n2. Two: second.\n3. Three: third.",
        );
        assert!(c.text.starts_with("There are 3:\n1. One"), "{}", c.text);
        let c = compose(
            "how many principles are there?",
            "There are 14 principles in all.\n1. One: first.\n2. Two: second.",
        );
        assert!(c.text.starts_with("There are 14 principles"), "{}", c.text);
    }

    #[test]
    fn an_item_never_comes_without_its_list() {
        let filler = "Other facts about the program fill this long section with words. ".repeat(6);
        let c = compose(
            "what is the certificate?",
            &format!("{filler}\nVolunteers get three things:\n- Swag: gifts.\n- Certificate: an excellent volunteer certificate.\n- Access: events.\n{filler}"),
        );
        assert!(c.text.contains("three things:\n"), "{}", c.text);
    }
}
