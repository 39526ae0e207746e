//! The knowledge base shipped in `knowledge/kb`, built into the crate. The bot unpacks it
//! where no copy is on disk; its words also tell typo correction which question words are
//! real words of English or Portuguese, though an operator's own documents may not use
//! them ("programa", "main", "employee" are not typos of "programs", "mais", "employer").

use std::collections::HashSet;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};

use crate::analysis::{fold, latin_words};
use crate::lang::Lang;

/// The shipped knowledge base: `en/`, `zh/` and `pt/` folders of Markdown documents.
pub static KB: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/kb");

/// Whether `word` (folded) is a word of `lang` in the shipped documents. Latin words of
/// Chinese questions and documents count as English.
pub(crate) fn is_word_of(word: &str, lang: Lang) -> bool {
    static WORDS: OnceLock<[HashSet<String>; 2]> = OnceLock::new();
    let [en, pt] = WORDS.get_or_init(|| {
        let collect = |folders: &[&str]| {
            let mut set = HashSet::new();
            for file in folders
                .iter()
                .filter_map(|f| KB.get_dir(f))
                .flat_map(|d| d.files())
            {
                let text = fold(file.contents_utf8().unwrap_or_default());
                for (s, e) in latin_words(&text) {
                    set.insert(text[s..e].to_string());
                }
            }
            set
        };
        [collect(&["en", "zh"]), collect(&["pt"])]
    });
    match lang {
        Lang::Pt => pt.contains(word),
        Lang::En | Lang::Zh => en.contains(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_belong_to_their_language() {
        assert!(is_word_of("employee", Lang::En));
        assert!(is_word_of("programa", Lang::Pt));
        assert!(!is_word_of("programa", Lang::En));
        assert!(is_word_of("builder", Lang::Zh));
        assert!(!is_word_of("comunity", Lang::En));
    }
}
