//! Documents that are translations of each other: the same path but for a language folder
//! or tag (`en/heroes.md`, `zh/heroes.md`, `pt/heroes.md`; `guide.en.md`, `guide.pt.md`).
//! A question is answered from another language's text only when its own language has no
//! version of that document: where one exists it says the same, in the asker's words.

use crate::lang::Lang;

/// A language folder or file-name tag, folded.
fn is_language_tag(s: &str) -> bool {
    matches!(
        s,
        "en" | "en-us"
            | "en_us"
            | "en-gb"
            | "english"
            | "zh"
            | "zh-cn"
            | "zh_cn"
            | "zh-hans"
            | "cn"
            | "chinese"
            | "pt"
            | "pt-br"
            | "pt_br"
            | "br"
            | "portuguese"
    )
}

/// The path with its language folder or tag taken out, shared by a document's translations.
pub(crate) fn translation_key(path: &str) -> String {
    let lower = path.to_lowercase();
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = lower.split(['/', '\\']).collect();
    for (i, seg) in segments.iter().enumerate() {
        if i + 1 < segments.len() {
            if !is_language_tag(seg) {
                parts.push(seg.to_string());
            }
            continue;
        }
        // The file name: "guide.en.md", "guide_en.md", "guide-pt-br.md".
        let (stem, ext) = seg.rsplit_once('.').unwrap_or((seg, ""));
        // The first separator after which the rest is a tag ("pt-br" whole, not "br").
        let stem = stem
            .char_indices()
            .filter(|&(_, c)| matches!(c, '.' | '_' | '-'))
            .find(|&(i, _)| is_language_tag(&stem[i + 1..]))
            .map_or(stem, |(i, _)| &stem[..i]);
        parts.push(format!("{stem}.{ext}"));
    }
    parts.join("/")
}

/// For each document (by its language), the languages another version of it is written in.
pub(crate) fn translations(docs: &[(&str, Option<Lang>)]) -> Vec<[bool; 3]> {
    let keys: Vec<String> = docs.iter().map(|(p, _)| translation_key(p)).collect();
    let mut by_key: std::collections::HashMap<&str, [bool; 3]> = Default::default();
    for (key, (_, lang)) in keys.iter().zip(docs) {
        if let Some(l) = lang {
            by_key.entry(key).or_default()[l.index()] = true;
        }
    }
    keys.iter()
        .map(|k| by_key.get(k.as_str()).copied().unwrap_or_default())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_share_a_key() {
        assert_eq!(
            translation_key("en/heroes.md"),
            translation_key("zh/heroes.md")
        );
        assert_eq!(
            translation_key("kb/pt-BR/guide.md"),
            translation_key("kb/en/guide.md")
        );
        assert_eq!(
            translation_key("guide.en.md"),
            translation_key("guide.pt.md")
        );
        assert_eq!(
            translation_key("guide_zh-cn.md"),
            translation_key("guide_en.md")
        );
        assert_ne!(
            translation_key("en/heroes.md"),
            translation_key("en/builders.md")
        );
        // A name that merely ends like a tag is not one.
        assert_ne!(translation_key("open.md"), translation_key("op.md"));
    }

    #[test]
    fn a_document_knows_its_other_languages() {
        let t = translations(&[
            ("en/a.md", Some(Lang::En)),
            ("pt/a.md", Some(Lang::Pt)),
            ("seed.txt", Some(Lang::Zh)),
        ]);
        assert_eq!(t[0], [true, false, true]);
        assert_eq!(t[1], [true, false, true]);
        assert_eq!(t[2], [false, true, false]);
    }
}
