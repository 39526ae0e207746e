//! The signals a section is scored by once it may be among the best: coverage, focus,
//! aspect, heading and language on top of BM25.

use serde::Serialize;

use super::{Hit, Question, Score, Term};
use crate::index::{SectionMeta, Snapshot};
use crate::query::QType;
use crate::table::{Row, Table, Types};

/// The named signals a section was ranked by, in order of how much they decide; their
/// product is its score. `kb search` shows them.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Signals {
    /// BM25 over the question's terms.
    pub words: f32,
    /// The share of the question the section covers, as `0.25 + coverage`.
    pub coverage: f32,
    /// Names the program or role the question is about (1), only in its document (0.85),
    /// or not at all (0.35).
    pub focus: f32,
    /// Its heading answers what the question asks (benefits, duties, how to join, a count:
    /// 1.5), something else (0.7), or says nothing of it (1).
    pub aspect: f32,
    /// The question's terms in its heading, and other programs named there.
    pub heading: f32,
    /// The question's language (1) or another (0.5).
    pub language: f32,
}

impl Signals {
    pub fn score(&self) -> f32 {
        self.words * self.coverage * self.focus * self.aspect * self.heading * self.language
    }

    pub fn named(&self) -> [(&'static str, f32); 6] {
        [
            ("focus", self.focus),
            ("aspect", self.aspect),
            ("coverage", self.coverage),
            ("words", self.words),
            ("heading", self.heading),
            ("language", self.language),
        ]
    }
}

/// How well a section answers what the question asks: its heading names the aspect asked
/// (benefits, duties, how to join, a count…) or another one; it holds what a when, where or
/// count question needs (a date, an address, a number); it defines its subject.
/// `heading_names_aspect`: its own heading names an aspect asked that has no type of its
/// own ("Specializations" for "what categories of Heroes are there?").
fn aspect_fit(
    asked: Types,
    row: &Row,
    defines_focus: bool,
    lean: bool,
    heading_names_aspect: bool,
) -> f32 {
    const ASPECTS: Types = Types::of(&[
        QType::Benefits,
        QType::Duties,
        QType::Requirements,
        QType::HowTo,
        QType::Count,
        QType::When,
        QType::Where,
        QType::Who,
    ]);
    const CONTENT: Types = Types::of(&[
        QType::Benefits,
        QType::Duties,
        QType::Requirements,
        QType::Count,
        QType::Who,
    ]);
    const JOINING: Types = Types::of(&[QType::HowTo, QType::When, QType::Where]);
    const COUNT: Types = Types::of(&[QType::Count]);
    let wanted = asked.and(ASPECTS);
    let kinds = row.kinds;
    let heading_aspects = kinds.meets(ASPECTS);
    let mut fit = if wanted.is_empty() {
        // "What a Cloud Captain is, and what they do" defines as well as any; "UGL types"
        // lists kinds rather than saying what a UGL is.
        let defines = kinds.has(QType::Definition) || (!heading_aspects && !kinds.has(QType::List));
        let defining = asked.has(QType::Definition) || lean;
        if defining && row.definition() && defines && defines_focus {
            // The opening of a program's document defines it best, above all under a
            // heading that says so ("What an AWS User Group is", not "Brazilian cities
            // with AWS User Groups").
            let says_so = kinds.has(QType::Definition) || row.says_what();
            match (row.opening(), says_so) {
                (true, true) => 1.45,
                (true, false) => 1.35,
                (false, _) => 1.25,
            }
        } else if asked.has(QType::Definition) && !defines {
            0.8
        } else if heading_names_aspect {
            // A section headed with what is asked, rather than one that mentions it ("Regardless
            // of their category, Heroes…").
            1.3
        } else {
            1.0
        }
    } else if kinds.meets(wanted) {
        1.5
    } else if asked.has(QType::List)
        && kinds.has(QType::List)
        && row.items > 1
        && wanted.without(COUNT).is_empty()
    {
        // "How many Hero categories are there, and which?": the list of the kinds counted,
        // rather than a section that states other numbers.
        1.5
    } else if wanted.has(QType::HowTo) && kinds.has(QType::Requirements) {
        // "How can I volunteer?": what it takes is half of how to become one.
        1.3
    } else if wanted.has(QType::Who) && row.definition() && !heading_aspects {
        // "What kinds of people make up the membership?" is answered by "Who the members are".
        1.3
    } else if (!kinds.and(CONTENT).without(wanted).is_empty() && wanted.meets(CONTENT))
        || (kinds.meets(JOINING) && wanted.without(CONTENT.without(COUNT)).is_empty())
    {
        // Benefits asked, duties (or how to join) answered: another aspect. How to join,
        // when and where are facets of one answer and do not count against each other.
        0.7
    } else {
        1.0
    };
    let evidence = |has: bool| if has { 1.15 } else { 0.85 };
    if wanted.has(QType::When) {
        fit *= evidence(row.has_time());
    }
    if wanted.has(QType::Where) {
        fit *= evidence(row.has_link());
    }
    if wanted.has(QType::Count) {
        fit *= evidence(row.quantity() || row.items > 1);
    }
    fit
}

/// Whether a section holds what the question's types need: a number for a count, a date
/// for "when", an address for "where", a list (or a heading that names the aspect) for a
/// list, benefits, duties or requirements.
pub(crate) fn holds_what_is_asked(meta: &SectionMeta, hit: &Hit, types: &[QType]) -> bool {
    types.iter().all(|t| match t {
        // A number the text states; a list's items are counted only in the asker's language.
        QType::Count => meta.quantity,
        QType::When => meta.has_time,
        QType::Where => meta.has_link,
        t if t.wants_list() => meta.items >= 2 || hit.signals.aspect >= 1.3,
        _ => true,
    })
}

/// A section's aspect and heading signals: what its postings do not change.
pub(super) fn fixed(snap: &Snapshot, q: &Question, slot: u32) -> (f32, f32) {
    let row = snap.table.row(slot);
    (
        aspect_fit(
            q.asked_types,
            row,
            defines_focus(q, &snap.table, slot),
            q.leans_to_definition,
            heading_names_aspect(q, &snap.table, slot),
        ),
        heading_of(q, &snap.table, slot),
    )
}

/// The share of the question a section covers, and of its language-neutral part, from what
/// its postings gave: what [`score_hit`] scores by, computed once for the section's bound.
pub(super) fn coverage(snap: &Snapshot, q: &Question, slot: u32, e: &Score) -> (f32, f32) {
    let row = snap.table.row(slot);
    let doc_entities = snap.table.doc_entities(row.doc);
    let in_doc = |d: &Term| d.id.is_some_and(|id| doc_entities.contains(&id));
    coverage_of(q, row, e, in_doc)
}

/// Scores one section in full: every signal of [`Signals`].
/// `fixed` is the section's aspect and heading ([`fixed`]) and `(coverage, neutral)` its
/// [`coverage`], computed for its bounds already.
pub(super) fn score_hit(
    snap: &Snapshot,
    q: &Question,
    slot: u32,
    e: Score,
    (aspect, heading): (f32, f32),
    (coverage, neutral): (f32, f32),
) -> Hit {
    let row = snap.table.row(slot);
    let doc_entities = snap.table.doc_entities(row.doc);
    let in_doc = |d: &Term| d.id.is_some_and(|id| doc_entities.contains(&id));
    let section_lang = row.lang;
    let signals = Signals {
        words: e.bm25,
        coverage: 0.25 + coverage,
        focus: focus_of(q, snap.table.path(slot), &e, &in_doc),
        aspect,
        heading,
        language: q.lang_factor(section_lang),
    };
    Hit {
        slot,
        score: signals.score(),
        coverage,
        neutral,
        lang: section_lang,
        signals,
    }
}

/// The share of the question a section covers, and of its language-neutral part.
fn coverage_of(q: &Question, row: &Row, e: &Score, in_doc: impl Fn(&Term) -> bool) -> (f32, f32) {
    let (mut covered, mut covered_neutral) = (e.covered, e.covered_neutral);
    // Only the terms that ask for a fact can be met without being named; in question order.
    let evidence = q.evidence_terms.iter().map(|&i| &q.distinct[i]);
    for d in evidence.filter(|d| e.matched & d.bit == 0) {
        let has = match d.evidence {
            Some(QType::Count) => row.quantity() || row.items > 1,
            Some(QType::When) => row.has_time(),
            Some(_) => row.has_link(),
            None => false,
        };
        if has {
            covered += 0.8 * d.weight;
            covered_neutral += 0.8 * d.weight;
        }
    }
    // An entity the section does not name but its document does (a "Valores" section of a
    // document about Brazil) is half there.
    let doc_entity_credit: f32 = q
        .entity_terms
        .iter()
        .map(|&i| &q.distinct[i])
        .filter(|d| e.matched & d.bit == 0 && in_doc(d))
        .map(|d| 0.75 * d.weight)
        .sum();
    covered += doc_entity_credit;
    covered_neutral += doc_entity_credit;
    // Another language's section meets the question only in what languages share (concepts,
    // numbers, names): of the question's other words it is expected to have only those its
    // language's sections use at all. Only a question whose concepts or numbers carry a good
    // part of it can be judged so: one made of words alone ("hackathon prize") is not
    // excused any.
    let coverage = match q.coverage_base(row.lang) {
        Some(base) => (covered / base).min(1.0),
        None => 0.0,
    };
    let neutral = if q.neutral_weight > 0.0 {
        (covered_neutral / q.neutral_weight).min(1.0)
    } else {
        0.0
    };
    (coverage, neutral)
}

/// The section's own heading: question terms in it count for more, and concepts in it that
/// the question does not name (a "User Group Leader" heading for a question about user
/// groups) count against it.
/// Whether a section's own heading names an aspect the question asks that no question type
/// stands for (categories, credits, events), as opposed to a program or a type word.
fn heading_names_aspect(q: &Question, table: &Table, slot: u32) -> bool {
    table.heading(slot).any(|(id, entity)| {
        !entity
            && q.distinct
                .iter()
                .any(|d| d.id == Some(id) && q.untyped_mask & d.bit != 0)
    })
}

fn heading_of(q: &Question, table: &Table, slot: u32) -> f32 {
    let mut in_heading = 0.0;
    let mut foreign = 0;
    for (id, entity) in table.heading(slot) {
        match q.distinct.iter().find(|d| d.id == Some(id)) {
            Some(d) => in_heading += d.weight,
            None if entity => foreign += 1,
            None => {}
        }
    }
    (1.0 + 0.5 * in_heading.min(q.total_weight) / q.total_weight.max(1e-6))
        * 0.85f32.powi(foreign.min(4))
}

/// A question about a program is answered from a section about it: one whose own headings
/// name it first, then one in a document about it; not from a section about another one.
fn focus_of(q: &Question, path: &[u32], e: &Score, in_doc: &dyn Fn(&Term) -> bool) -> f32 {
    let (mut level_sum, mut weight_sum) = (0.0f32, 0.0f32);
    for d in q.distinct.iter().filter(|d| q.entity_mask & d.bit != 0) {
        let w = if q.subject == Some(d.term.as_str()) {
            d.weight * 1.5
        } else {
            d.weight
        };
        let in_path = d.id.is_some_and(|id| path.contains(&id));
        let level = if in_path {
            1.2
        } else if in_doc(d) {
            1.0
        } else if e.matched & d.bit != 0 {
            0.85
        } else {
            0.0
        };
        level_sum += w * level;
        weight_sum += w;
    }
    let is_question_term = |id: u32| q.distinct.iter().any(|d| d.id == Some(id));
    if q.entity_mask == 0 || weight_sum <= 0.0 {
        1.0
    } else if level_sum > 0.0 {
        let share = level_sum / weight_sum;
        // A heading about another program than the one asked about.
        let foreign = !q.who && path.iter().any(|&p| !is_question_term(p));
        if foreign && share < 1.2 {
            (share * 0.7).max(0.36)
        } else {
            share.max(0.36)
        }
    } else if q.who {
        // "Who reviews the slides?": the answer is a role the question does not name.
        0.8
    } else {
        0.35
    }
}

/// It defines what the question is about: its heading names every program the question
/// names, or it opens a document about them.
/// An opening whose heading names another program defines that one ("What an AWS User
/// Group is" opens a document about User Groups and Community Days).
fn defines_focus(q: &Question, table: &Table, slot: u32) -> bool {
    let row = table.row(slot);
    let doc_entities = table.doc_entities(row.doc);
    let opens_for = |id: u32| {
        row.opening()
            && doc_entities.contains(&id)
            && !table
                .heading(slot)
                .any(|(h, entity)| entity && !q.focus_ids.contains(&Some(h)))
    };
    // "Who the members of the AWS User Group are" tells of the members, not of the group.
    let names_another = table
        .named(slot)
        .iter()
        .any(|&n| !q.focus_ids.contains(&Some(n)));
    let path = table.path(slot);
    !names_another
        && q.focus_ids
            .iter()
            .all(|f| f.is_some_and(|id| path.contains(&id) || opens_for(id)))
}
