//! Ranking: the named signals a section is scored by, and the search for the best sections
//! of each language over the in-memory index of one generation ([`crate::frozen`]).

use rustc_hash::FxHashMap as HashMap;

use crate::analysis::Kind;
use crate::index::{IndexError, Snapshot};
use crate::lang::Lang;
use crate::query::{QType, Understanding};
use crate::table::Types;

mod signals;
mod top;
pub(crate) use signals::holds_what_is_asked;
use signals::score_hit;

pub use signals::Signals;
use top::TopScores;

/// One query term with its weight in the question.
#[derive(Debug, Clone)]
pub(crate) struct QueryTerm {
    pub term: String,
    pub kind: Kind,
    /// Comes from a word typo correction changed: it counts half, being a guess.
    pub corrected: bool,
}

/// A ranked section.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// The section's slot in the generation.
    pub slot: u32,
    pub score: f32,
    /// The share of the question's weight this section matches, 0..=1.
    pub coverage: f32,
    /// The share of the question's language-neutral weight (concepts, numbers) it matches.
    pub neutral: f32,
    pub lang: Lang,
    pub signals: Signals,
}

/// What ranking learnt of the question as a whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranked {
    pub hits: Vec<Hit>,
    /// Each question term's weight.
    pub weights: HashMap<String, f32>,
    /// The share of the question's weight in words the knowledge base does not have at all.
    pub unknown: f32,
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Zh => 1,
        Lang::Pt => 2,
    }
}

fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}
/// Ranks live sections for the query terms: BM25 with the question language preferred,
/// and for each section the share of the question's weight it covers. The `keep` best
/// sections of each language are returned (with their ties), best first.
///
/// Each language is searched on its own, section by section in slot order over the
/// question terms' postings in that language (MaxScore): the terms whose postings together
/// cannot lift a section to the `keep`-th best score seen so far only have their
/// frequencies looked up in the sections the other terms bring, and a section whose upper
/// bound cannot reach that score is not scored in full. The scores are those of scoring
/// every section: the same sums in the same order.
pub(crate) fn rank(
    snap: &Snapshot,
    terms: &[QueryTerm],
    lang: Lang,
    u: &Understanding,
    keep: usize,
) -> Result<Ranked, IndexError> {
    Ok(rank_with(snap, terms, lang, u, keep, false))
}

/// As [`rank`], but the `keep` best sections of all languages together (with their ties),
/// best first: the first `keep` hits are those of [`rank`], and a language whose sections
/// cannot reach the best of the others is not searched through.
pub(crate) fn rank_overall(
    snap: &Snapshot,
    terms: &[QueryTerm],
    lang: Lang,
    u: &Understanding,
    keep: usize,
) -> Result<Ranked, IndexError> {
    Ok(rank_with(snap, terms, lang, u, keep, true))
}

fn rank_with(
    snap: &Snapshot,
    terms: &[QueryTerm],
    lang: Lang,
    u: &Understanding,
    keep: usize,
    overall: bool,
) -> Ranked {
    let q = Question::of(snap, terms, lang, u);
    let mut hits: Vec<Hit> = Vec::new();
    SCRATCH.with_borrow_mut(|scratch| {
        if overall {
            // The question's language first: its sections score double, and the score they
            // set to beat spares most of the others.
            let mut best = TopScores::new(keep);
            let others = Lang::ALL.into_iter().filter(|&l| l != lang);
            for l in std::iter::once(lang).chain(others) {
                search_language(snap, &q, l, &mut best, scratch, &mut hits);
            }
            hits.sort_unstable_by(best_first);
            keep_best(&mut hits, keep);
            return;
        }
        for l in Lang::ALL {
            let start = hits.len();
            search_language(snap, &q, l, &mut TopScores::new(keep), scratch, &mut hits);
            let mut mine = hits.split_off(start);
            mine.sort_unstable_by(best_first);
            keep_best(&mut mine, keep);
            hits.append(&mut mine);
        }
        hits.sort_unstable_by(best_first);
    });
    Ranked {
        hits,
        unknown: if q.total_weight > 0.0 {
            q.unknown_weight / q.total_weight
        } else {
            0.0
        },
        weights: q.weights,
    }
}

/// Of hits sorted best first, the `keep` best and every one tied with the last of them.
fn keep_best(hits: &mut Vec<Hit>, keep: usize) {
    if let Some(last) = hits.get(keep.saturating_sub(1)).map(|h| h.score) {
        let cut = hits.partition_point(|h| h.score >= last);
        hits.truncate(cut);
    }
}

fn best_first(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.slot.cmp(&b.slot))
}

/// What ranking knows of the question before it looks at any section.
struct Question<'a> {
    lang: Lang,
    /// The question's types; for a yes/no question also its aspects' ("can I apply to be a
    /// Hero myself?" is answered where applying is told).
    asked: Vec<QType>,
    asked_types: Types,
    /// "Is Community Day run by AWS?": a yes/no question (or a comparison) about a program
    /// that asks about no aspect of it is answered where the program is defined (what it is,
    /// who runs it).
    leans_to_definition: bool,
    who: bool,
    /// The question's distinct terms (at most 64 take part in the masks).
    distinct: Vec<Term>,
    weights: HashMap<String, f32>,
    total_weight: f32,
    unknown_weight: f32,
    neutral_weight: f32,
    entity_mask: u64,
    /// The aspects asked that no question type stands for (`@category`, `@credits`).
    untyped_mask: u64,
    /// The places in `distinct` of the terms that ask for a fact ([`Term::evidence`]), and
    /// of the programs and roles asked about (in `entity_mask`), in question order.
    evidence_terms: Vec<usize>,
    entity_terms: Vec<usize>,
    /// The coverage the facts asked for can earn a section that does not name them, at most.
    evidence_possible: f32,
    /// What aspect can multiply a score by at most.
    aspect_most: f32,
    /// The weight of the programs and roles asked about.
    entity_weight: f32,
    /// What every section of one language is expected to share with the question.
    expected: [f32; 3],
    focus_ids: Vec<Option<u32>>,
    /// The program named first is usually the subject ("can a track owner reject a
    /// speaker's slides?", "do UGLs get it too, or only CBs?").
    subject: Option<&'a str>,
    /// What heading and aspect can multiply a score by at most.
    bound: f32,
    /// The coverage a missing fact or program can earn at most.
    credit_possible: f32,
}

impl<'a> Question<'a> {
    fn of(snap: &Snapshot, terms: &[QueryTerm], lang: Lang, u: &'a Understanding) -> Self {
        let asked: Vec<QType> = if u.types.contains(&QType::YesNo) {
            u.types
                .iter()
                .copied()
                .chain(u.aspects.iter().filter_map(|t| snap.analyzer.qtype_of(t)))
                .collect()
        } else {
            u.types.clone()
        };
        let who = asked.contains(&QType::Who);
        let n = snap.gen.sections.len().max(1) as f32;
        let mut q = Question {
            lang,
            leans_to_definition: (asked.contains(&QType::YesNo) || u.compares)
                && u.aspects.is_empty()
                && !u.focus.is_empty(),
            asked_types: Types::of(&asked),
            asked,
            who,
            distinct: Vec::with_capacity(terms.len()),
            weights: HashMap::default(),
            total_weight: 0.0,
            unknown_weight: 0.0,
            neutral_weight: 0.0,
            entity_mask: 0,
            untyped_mask: 0,
            evidence_terms: Vec::new(),
            entity_terms: Vec::new(),
            evidence_possible: 0.0,
            aspect_most: 0.0,
            entity_weight: 0.0,
            expected: [0.0; 3],
            focus_ids: Vec::new(),
            subject: (u.focus.len() > 1 && !who).then(|| u.focus[0].as_str()),
            bound: 0.0,
            credit_possible: 0.0,
        };
        // Per question word: the languages whose sections contain it at all.
        let mut word_langs: Vec<(f32, [bool; 3])> = Vec::new();
        for qt in terms {
            if q.distinct.iter().any(|d| d.term == qt.term) {
                continue;
            }
            let term = q.term(snap, qt, n, &mut word_langs);
            q.distinct.push(term);
        }
        for (w, langs) in &word_langs {
            for (l, e) in q.expected.iter_mut().enumerate() {
                if langs[l] {
                    *e += w;
                }
            }
        }
        for d in &q.distinct {
            if u.aspects.contains(&d.term)
                && snap.analyzer.qtype_of(&d.term).is_none()
                && !crate::compose::TYPE_TERMS.contains(&d.term.as_str())
            {
                q.untyped_mask |= d.bit;
            }
        }
        q.focus_ids = u
            .focus
            .iter()
            .map(|f| q.distinct.iter().find(|d| d.term == *f).and_then(|d| d.id))
            .collect();
        // Heading 1.5, aspect 1.5 and 1.15 for each fact asked for (a time, an address, a
        // number).
        let facts_asked = q
            .asked
            .iter()
            .filter(|t| matches!(t, QType::When | QType::Where | QType::Count))
            .count() as i32;
        q.aspect_most = 1.5 * 1.15f32.powi(facts_asked);
        q.bound = 1.5 * q.aspect_most;
        for (i, d) in q.distinct.iter().enumerate() {
            if d.evidence.is_some() {
                q.evidence_terms.push(i);
            }
            if q.entity_mask & d.bit != 0 {
                q.entity_terms.push(i);
            }
        }
        q.evidence_possible = q
            .evidence_terms
            .iter()
            .map(|&i| 0.8 * q.distinct[i].weight)
            .sum();
        q.entity_weight = q
            .distinct
            .iter()
            .filter(|d| q.entity_mask & d.bit != 0)
            .map(|d| d.weight)
            .sum();
        q.credit_possible = q
            .distinct
            .iter()
            .map(|d| {
                let fact = if d.evidence.is_some() { 0.8 } else { 0.0 };
                let program = if q.entity_mask & d.bit != 0 {
                    0.75
                } else {
                    0.0
                };
                d.weight * (fact + program)
            })
            .sum();
        q
    }

    /// One distinct question term, weighed; the question's totals take it in.
    fn term(
        &mut self,
        snap: &Snapshot,
        qt: &QueryTerm,
        n: f32,
        word_langs: &mut Vec<(f32, [bool; 3])>,
    ) -> Term {
        let a = snap.analyzer.as_ref();
        let id = snap.frozen.id(&qt.term);
        let df = id.map_or(0, |t| snap.frozen.df(t));
        let term_idf = idf(n, df as f32);
        let entity = a.is_entity(&qt.term);
        let weight = match qt.kind {
            // The concept a synonym matched carries its meaning; the word itself only ranks.
            Kind::Synonym => 0.0,
            _ if df > 0 => term_idf,
            // Unknown words weigh as the rarest known ones; a stray Chinese bigram less.
            Kind::Han => idf(n, 1.0) * 0.5,
            Kind::Word | Kind::Concept => idf(n, 1.0),
        };
        // The program or role a question names is what it is about: it weighs double, however
        // many sections mention it.
        let weight = if entity { weight * 2.0 } else { weight };
        self.total_weight += weight;
        if df == 0 && qt.kind != Kind::Synonym {
            self.unknown_weight += weight;
        }
        self.weights.insert(qt.term.clone(), weight);
        let credit = if qt.corrected { weight * 0.5 } else { weight };
        let neutral = qt.kind == Kind::Concept || qt.term.chars().all(|c| c.is_ascii_digit());
        if neutral {
            self.neutral_weight += weight;
        }
        let bit = if self.distinct.len() < 64 {
            1u64 << self.distinct.len()
        } else {
            0
        };
        if entity {
            self.entity_mask |= bit;
        }
        if !neutral {
            // A word no section has is expected of no other language's sections: a
            // Portuguese word the knowledge base lacks ("líderes") is not what an English
            // section fails to say. It still counts against the question's own language
            // (whose sections are measured against the whole question) and in the share of
            // the question the knowledge base does not know.
            let in_langs = id.map_or([false; 3], |t| snap.frozen.langs(t));
            word_langs.push((weight, in_langs));
        }
        Term {
            term: qt.term.clone(),
            id,
            weight,
            bit,
            // An aspect that asks for a number, a date or an address is met by a section
            // that holds one, whatever its words ("how many" by "seven", "when" by "January").
            evidence: match a.qtype_of(&qt.term) {
                Some(t @ (QType::Count | QType::When | QType::Where)) => Some(t),
                _ => None,
            },
            idf: term_idf,
            credit,
            neutral,
        }
    }

    fn lang_factor(&self, l: Lang) -> f32 {
        if l == self.lang {
            1.0
        } else {
            0.5
        }
    }

    fn is_entity_id(&self, id: u32) -> bool {
        self.distinct
            .iter()
            .any(|d| self.entity_mask & d.bit != 0 && d.id == Some(id))
    }

    /// What focus can multiply a section's score by at most: a program asked about named
    /// in its headings 1.2, its document about one 1.0, only mentioned 0.85.
    fn focus_most(&self, snap: &Snapshot, slot: u32, e: &Score) -> f32 {
        if self.entity_weight <= 0.0 {
            return 1.0;
        }
        let in_path = snap.table.path(slot).iter().any(|&p| self.is_entity_id(p));
        let doc_about = || {
            let doc = snap.table.row(slot).doc;
            snap.table
                .doc_entities(doc)
                .iter()
                .any(|&p| self.is_entity_id(p))
        };
        let level: f32 = if in_path {
            1.2
        } else if doc_about() {
            1.0
        } else if e.matched & self.entity_mask != 0 {
            0.85
        } else {
            0.0
        };
        if level > 0.0 {
            level.max(0.36)
        } else if self.who {
            0.8
        } else {
            0.35
        }
    }

    /// What a section of language `l` has its covered weight divided by for its coverage:
    /// the question's whole weight, or for another language's section, when the question's
    /// concepts and numbers carry a good part of it, only what that language can share with
    /// it (see [`signals::coverage`]); none for a question without weight.
    fn coverage_base(&self, l: Lang) -> Option<f32> {
        let total_weight = self.total_weight;
        let shared = self.neutral_weight + self.expected[lang_slot(l)];
        if l != self.lang
            && self.neutral_weight >= 0.3 * total_weight
            && shared >= 0.4 * total_weight
            && shared > 0.0
        {
            Some(shared)
        } else if total_weight > 0.0 {
            Some(total_weight)
        } else {
            None
        }
    }

    /// The most `0.25 + coverage` can be for a section of language `l` whose postings give
    /// at most `covered`: that, plus at most the credit a missing fact or program can earn,
    /// over what its language's coverage is a share of.
    fn coverage_most(&self, l: Lang, covered: f32) -> f32 {
        match self.coverage_base(l) {
            Some(base) => 0.25 + ((covered + self.credit_possible) / base).min(1.0),
            None => 0.25,
        }
    }

    /// The most a section of language `l` can score, from what its postings gave, `0.25 +
    /// coverage` (or at most what it can be) and the most its focus can be: heading and
    /// aspect at most [`Question::bound`], in the order [`Signals::score`] multiplies them,
    /// with a little slack for heading and aspect being multiplied as one.
    fn most(&self, l: Lang, e: &Score, coverage: f32, focus: f32) -> f32 {
        e.bm25 * coverage * focus * self.bound * self.lang_factor(l) * SLACK
    }

    /// The most a section of language `l` can score when it names no program or role asked
    /// about, is in no document about one, has none in its headings, and has in its heading
    /// only terms of its own postings: from the most its postings give (`ub`, `credit`,
    /// and `weight`, the weight of the question terms they can be), focus is what it is for
    /// such a section, coverage has no program's credit, heading at most what those terms
    /// give it.
    fn most_unfocused(&self, l: Lang, ub: f32, credit: f32, weight: f32) -> f32 {
        let coverage = match self.coverage_base(l) {
            Some(base) => 0.25 + ((credit + self.evidence_possible) / base).min(1.0),
            None => 0.25,
        };
        let focus = if self.entity_weight <= 0.0 {
            1.0
        } else if self.who {
            0.8
        } else {
            0.35
        };
        let heading = 1.0 + 0.5 * weight.min(self.total_weight) / self.total_weight.max(1e-6);
        ub * SLACK * coverage * focus * self.aspect_most * heading * self.lang_factor(l)
    }

    /// What one section's postings give it, summed over the terms in question order and
    /// over each term's postings of the section (a term a section was given twice counts
    /// twice), from where they are: `found[d]` is (first position, count) for term `d`.
    fn accumulate(&self, snap: &Snapshot, found: &[(u32, u32)]) -> Score {
        let norms = snap.frozen.norms();
        let mut e = Score::default();
        for (d, &(pos, count)) in self.distinct.iter().zip(found) {
            for &n in &norms[pos as usize..(pos + count) as usize] {
                e.bm25 += d.idf * n;
                e.covered += d.credit;
                e.matched |= d.bit;
                if d.neutral {
                    e.covered_neutral += d.credit;
                }
            }
        }
        e
    }
}

/// BM25's term-frequency part.
pub(crate) fn norm(tf: u16, len: u32, avg_len: f32) -> f32 {
    let tf = f32::from(tf);
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len as f32 / avg_len))
}

/// Upper bounds are summed in another order than scores: a little slack keeps rounding
/// from cutting a section that ties the last of the best.
const SLACK: f32 = 1.001;

/// One question term's postings in one language, walked in slot order.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    /// The term's place among the question's distinct terms.
    d: usize,
    pos: usize,
    end: usize,
    /// The most the term adds to a section's BM25, and to its coverage.
    ub: f32,
    credit: f32,
}

/// Buffers reused from question to question on each thread.
#[derive(Default)]
struct Scratch {
    cursors: Vec<Cursor>,
    /// Per distinct term, where its postings of the section being scored are: (first
    /// position, count).
    found: Vec<(u32, u32)>,
    /// Over the cursors in order of `ub`: the sums of `ub` and `credit` before each.
    ub_before: Vec<f32>,
    credit_before: Vec<f32>,
    /// The same of the terms' weights, and whether a program or role asked about is among
    /// the cursors before each.
    weight_before: Vec<f32>,
    entity_before: Vec<bool>,
    /// The sections of the language searched that can be focused on without naming a program
    /// asked about, or whose heading has a term of no posting of theirs
    /// ([`Snapshot::focus_slots`], [`Snapshot::stray_headings`]), ascending.
    focus: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Sets up the cursors of one language, weakest term first; false when no term has postings.
fn set_up(snap: &Snapshot, q: &Question, l: Lang, s: &mut Scratch) -> bool {
    s.cursors.clear();
    for (d, term) in q.distinct.iter().enumerate() {
        let Some(id) = term.id else { continue };
        let (pos, end) = snap.frozen.range(id, l);
        if pos < end {
            let (most, run) = snap.frozen.bounds(id, l);
            s.cursors.push(Cursor {
                d,
                pos,
                end,
                ub: term.idf * most,
                credit: term.credit * f32::from(run),
            });
        }
    }
    // The programs and roles asked about last: the terms before them then bound sections
    // that do not name them, which cannot be focused on (see `Question::most_unfocused`).
    let is_entity = |c: &Cursor| q.entity_mask & q.distinct[c.d].bit != 0;
    s.cursors.sort_by(|a, b| {
        is_entity(a)
            .cmp(&is_entity(b))
            .then(a.ub.total_cmp(&b.ub))
            .then(a.d.cmp(&b.d))
    });
    s.found.clear();
    s.found.resize(q.distinct.len(), (0, 0));
    s.ub_before.clear();
    s.credit_before.clear();
    s.weight_before.clear();
    s.entity_before.clear();
    let (mut ub, mut credit, mut weight, mut entity) = (0.0f32, 0.0f32, 0.0f32, false);
    for c in &s.cursors {
        s.ub_before.push(ub);
        s.credit_before.push(credit);
        s.weight_before.push(weight);
        s.entity_before.push(entity);
        ub += c.ub;
        credit += c.credit;
        weight += q.distinct[c.d].weight;
        entity |= is_entity(c);
    }
    s.ub_before.push(ub);
    s.credit_before.push(credit);
    s.weight_before.push(weight);
    s.entity_before.push(entity);
    s.focus.clear();
    for &i in &q.entity_terms {
        if let Some(slots) = q.distinct[i]
            .id
            .and_then(|id| snap.focus_slots.get(&(id, l)))
        {
            s.focus.extend_from_slice(slots);
        }
    }
    s.focus.extend_from_slice(&snap.stray_headings[l.index()]);
    s.focus.sort_unstable();
    s.focus.dedup();
    !s.cursors.is_empty()
}

/// The best sections of one language, scored in full, pushed to `hits`.
fn search_language(
    snap: &Snapshot,
    q: &Question,
    l: Lang,
    best: &mut TopScores,
    s: &mut Scratch,
    hits: &mut Vec<Hit>,
) {
    if !set_up(snap, q, l, s) {
        return;
    }
    let slots = snap.frozen.slots();
    let norms = snap.frozen.norms();
    // What focus, heading, aspect and language multiply a score by at most.
    let factors = if q.entity_weight > 0.0 { 1.2 } else { 1.0 } * q.bound * q.lang_factor(l);
    let most = |ub: f32, credit: f32| ub * SLACK * q.coverage_most(l, credit) * factors;
    let is_entity = |c: &Cursor| q.entity_mask & q.distinct[c.d].bit != 0;
    // The most a section scores that only the first `k` cursors can be in: one outside
    // `s.focus` that none of them can focus on when no program or role asked is among them.
    let prefix_most = |s: &Scratch, k: usize| {
        let any = most(s.ub_before[k], s.credit_before[k]);
        if s.entity_before[k] {
            any
        } else {
            any.min(q.most_unfocused(l, s.ub_before[k], s.credit_before[k], s.weight_before[k]))
        }
    };
    // The first `essential` cursors are the terms that cannot lift a section alone (outside
    // `s.focus`, whose sections are all looked at).
    let mut essential = 0;
    // The first entry of `s.focus` past every section looked at or left out.
    let mut next_focus = 0;
    loop {
        let floor = best.floor();
        while essential < s.cursors.len() && prefix_most(s, essential + 1) < floor {
            essential += 1;
        }
        // The sections of `s.focus` the essential terms do not bring are looked at only while
        // one of them can reach the score to beat with the other terms alone.
        let focused = if most(s.ub_before[essential], s.credit_before[essential]) >= floor {
            s.focus.get(next_focus).copied()
        } else {
            None
        };
        let Some(slot) = s.cursors[essential..]
            .iter()
            .filter(|c| c.pos < c.end)
            .map(|c| slots[c.pos])
            .chain(focused)
            .min()
        else {
            break;
        };
        // Whether it is in `s.focus` at all, whether or not that brought it.
        while s.focus.get(next_focus).is_some_and(|&f| f < slot) {
            next_focus += 1;
        }
        let in_focus = s.focus.get(next_focus) == Some(&slot);
        if in_focus {
            next_focus += 1;
        }
        let (mut bm25, mut credit, mut weight) = (0.0f32, 0.0f32, 0.0f32);
        let mut named = false;
        let mut matched = false;
        for c in &mut s.cursors[essential..] {
            let count = run(slots, c, slot);
            if count > 0 {
                s.found[c.d] = (c.pos as u32, count as u32);
                for &n in &norms[c.pos..c.pos + count] {
                    bm25 += q.distinct[c.d].idf * n;
                    credit += q.distinct[c.d].credit;
                }
                weight += q.distinct[c.d].weight;
                named |= is_entity(c);
                matched = true;
                c.pos += count;
            }
        }
        let (ub, credit) = (
            bm25 + s.ub_before[essential],
            credit + s.credit_before[essential],
        );
        let unfocused = !in_focus && !named && !s.entity_before[essential];
        let bound = if unfocused {
            most(ub, credit).min(q.most_unfocused(
                l,
                ub,
                credit,
                weight + s.weight_before[essential],
            ))
        } else {
            most(ub, credit)
        };
        if essential == 0 || bound >= floor {
            for c in &mut s.cursors[..essential] {
                c.pos = seek(slots, c.pos, c.end, slot);
                let count = run(slots, c, slot);
                if count > 0 {
                    s.found[c.d] = (c.pos as u32, count as u32);
                    matched = true;
                }
            }
        }
        // A section of `s.focus` none of the terms is in is no hit.
        if matched && (essential == 0 || bound >= floor) {
            let e = q.accumulate(snap, &s.found);
            // With its coverage at most first, which costs nothing.
            let focus = q.focus_most(snap, slot, &e);
            if q.most(l, &e, q.coverage_most(l, e.covered), focus) >= floor {
                let coverage = signals::coverage(snap, q, slot, &e);
                if q.most(l, &e, 0.25 + coverage.0, focus) >= floor {
                    let fixed = signals::fixed(snap, q, slot);
                    let hit = score_hit(snap, q, slot, e, fixed, coverage);
                    best.push(hit.score);
                    // One below the score to beat now can only be cut at the end.
                    if hit.score >= best.floor() {
                        hits.push(hit);
                    }
                }
            }
        }
        for c in &s.cursors {
            s.found[c.d] = (0, 0);
        }
    }
}

/// The first position from `from` on (before `end`) whose slot is not below `slot`:
/// galloping, since the next section looked at is most often a few postings on.
fn seek(slots: &[u32], from: usize, end: usize, slot: u32) -> usize {
    let (mut lo, mut hi, mut step) = (from, from, 1);
    // Every slot in `from..lo` is below `slot`.
    while hi < end && slots[hi] < slot {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    let hi = hi.min(end);
    lo + slots[lo..hi].partition_point(|&x| x < slot)
}

/// How many postings of `slot` a cursor is at.
fn run(slots: &[u32], c: &Cursor, slot: u32) -> usize {
    slots[c.pos..c.end]
        .iter()
        .take_while(|&&x| x == slot)
        .count()
}

/// One distinct question term as ranking weighs it.
struct Term {
    term: String,
    id: Option<u32>,
    weight: f32,
    /// Its bit in the masks (none past the 64th term).
    bit: u64,
    /// The kind of fact it asks for (a number, a date, an address), met by one the section
    /// holds whatever its words.
    evidence: Option<QType>,
    idf: f32,
    /// What it adds to a section's coverage: its weight, half of it for a typo's guess.
    credit: f32,
    /// A concept or a number, shared by every language.
    neutral: bool,
}

/// What the question's terms give one section.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    bm25: f32,
    covered: f32,
    matched: u64,
    covered_neutral: f32,
}

#[cfg(test)]
mod tests {
    use super::seek;

    #[test]
    fn seeking_finds_the_first_posting_not_below_the_slot() {
        let slots = [1, 3, 3, 4, 9, 12, 12, 15, 20, 31, 40];
        for from in 0..slots.len() {
            for end in from..=slots.len() {
                for slot in 0..45 {
                    let want = from + slots[from..end].partition_point(|&x| x < slot);
                    assert_eq!(seek(&slots, from, end, slot), want, "{from} {end} {slot}");
                }
            }
        }
    }
}
