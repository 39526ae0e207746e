//! Typo correction for question words: a word the knowledge base does not know is replaced
//! by a known word one edit away (a letter missing, extra, changed or two swapped), found
//! through an index of every known word with one letter deleted (the SymSpell idea).

use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use crate::analysis::Analyzer;

pub(crate) struct TypoIndex {
    words: Vec<(String, u32)>,
    /// The ids of the lexicon's own words, preferred as corrections.
    lexicon: FxHashSet<u32>,
    known: HashMap<String, u32>,
    deletes: HashMap<String, Vec<u32>>,
}

fn deletions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len())
        .map(|i| chars[..i].iter().chain(&chars[i + 1..]).collect())
        .collect()
}

/// Damerau–Levenshtein distance, bounded: stops early above `max`.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => *ra == rb[1..],
        _ => false,
    }
}

impl TypoIndex {
    pub fn build(kb_words: &[(String, u32)], analyzer: &Analyzer) -> Self {
        let mut words: Vec<(String, u32)> = kb_words.to_vec();
        let known: FxHashSet<&str> = kb_words.iter().map(|(w, _)| w.as_str()).collect();
        for w in analyzer.lexicon_words() {
            if !known.contains(w) {
                words.push((w.to_string(), 1));
            }
        }
        let lexicon = words
            .iter()
            .enumerate()
            .filter(|(_, (w, _))| analyzer.is_lexicon_word(w))
            .map(|(i, _)| i as u32)
            .collect();
        let mut known = HashMap::with_capacity_and_hasher(words.len(), Default::default());
        let mut deletes: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, (w, _)) in words.iter().enumerate() {
            known.insert(w.clone(), i as u32);
            if w.chars().count() >= 4 {
                for d in deletions(w) {
                    deletes.entry(d).or_default().push(i as u32);
                }
            }
        }
        TypoIndex {
            words,
            lexicon,
            known,
            deletes,
        }
    }

    pub fn knows(&self, word: &str) -> bool {
        self.known.contains_key(word)
    }

    /// The most frequent known word one edit away from `word`, if any, and whether the edit
    /// was a letter left out ("comunity"): the commonest typo, and the one least likely to
    /// turn one real word into another ("recipe" into "Recife").
    pub fn correct(&self, word: &str) -> Option<(&str, bool)> {
        if word.chars().count() < 4 || self.knows(word) {
            return None;
        }
        let mut candidates: Vec<u32> = Vec::new();
        if let Some(ids) = self.deletes.get(word) {
            candidates.extend(ids);
        }
        for d in deletions(word) {
            if let Some(&i) = self.known.get(&d) {
                candidates.push(i);
            }
            if let Some(ids) = self.deletes.get(&d) {
                candidates.extend(ids);
            }
        }
        // People seldom mistype a word's first letter; a word that differs there is another
        // word ("book" is not "look", "near" not "year").
        let first = word.chars().next();
        candidates
            .into_iter()
            .filter(|&i| self.words[i as usize].0.chars().next() == first)
            .filter(|&i| within_one_edit(word, &self.words[i as usize].0))
            .max_by_key(|&i| {
                // A lexicon word first ("buildr" is "builder", not "build"), then the commonest.
                (
                    self.lexicon.contains(&i),
                    self.words[i as usize].1,
                    std::cmp::Reverse(i),
                )
            })
            .map(|i| {
                let fix = self.words[i as usize].0.as_str();
                (fix, fix.chars().count() == word.chars().count() + 1)
            })
    }

    /// The lexicon word `word` is with one letter left out inside it ("volunter" for
    /// "volunteer"), for a word whose stem is known and so is not corrected by
    /// [`TypoIndex::correct`]. A letter missing at the end is an inflection ("organize",
    /// "organizer"), not a typo.
    pub fn lexicon_word_missing_a_letter(&self, word: &str) -> Option<&str> {
        if word.chars().count() < 6 || self.knows(word) {
            return None;
        }
        self.deletes
            .get(word)?
            .iter()
            .filter(|&&i| self.lexicon.contains(&i))
            .map(|&i| self.words[i as usize].0.as_str())
            .filter(|fix| {
                let (mut f, mut w) = (fix.chars(), word.chars());
                f.next() == w.next() && !fix.starts_with(word)
            })
            .max_by_key(|fix| fix.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_typos_are_corrected() {
        let idx = TypoIndex::build(
            &[
                ("community".into(), 10),
                ("volunteer".into(), 5),
                ("benefits".into(), 3),
                ("benefist".into(), 0),
            ],
            crate::analysis::analyzer(),
        );
        assert_eq!(idx.correct("comunity"), Some(("community", true)));
        assert_eq!(idx.correct("volunter"), Some(("volunteer", true)));
        assert_eq!(idx.correct("beneffits"), Some(("benefits", false)));
        assert_eq!(
            idx.lexicon_word_missing_a_letter("volunter"),
            Some("volunteer")
        );
        assert_eq!(idx.lexicon_word_missing_a_letter("voluntee"), None);
        assert_eq!(idx.correct("communitty"), Some(("community", false)));
        assert_eq!(idx.correct("weather"), None);
        assert_eq!(idx.correct("community"), None);
    }

    #[test]
    fn a_different_first_letter_is_another_word() {
        let idx = TypoIndex::build(
            &[("look".into(), 10), ("year".into(), 10)],
            crate::analysis::analyzer(),
        );
        assert_eq!(idx.correct("book"), None);
        assert_eq!(idx.correct("near"), None);
        assert_eq!(idx.correct("loook"), Some(("look", false)));
    }

    #[test]
    fn edit_distance() {
        assert!(within_one_edit("abcd", "abdc"));
        assert!(within_one_edit("abcd", "abd"));
        assert!(within_one_edit("abd", "abcd"));
        assert!(within_one_edit("abcd", "abxd"));
        assert!(!within_one_edit("abcd", "badc"));
        assert!(!within_one_edit("abcd", "ab"));
    }
}
