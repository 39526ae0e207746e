//! Turning a document's bytes into text: invalid UTF-8 and UTF-8 mis-decoded as
//! Windows-1252 ("AWSâ€™s") are repaired, and every repair is reported, never a panic.

/// What had to be done to a document's bytes to make clean text of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Byte sequences that were not UTF-8 and were read as Windows-1252 instead.
    pub invalid_utf8_bytes: usize,
    /// Mis-decoded sequences such as `â€™` turned back into the character they stood for.
    pub mojibake_fixed: usize,
}

impl Repairs {
    pub fn any(&self) -> bool {
        self.invalid_utf8_bytes > 0 || self.mojibake_fixed > 0
    }

    /// A sentence for the import report.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.invalid_utf8_bytes > 0 {
            parts.push(format!(
                "{} byte(s) were not valid UTF-8 and were read as Windows-1252",
                self.invalid_utf8_bytes
            ));
        }
        if self.mojibake_fixed > 0 {
            parts.push(format!(
                "{} mis-decoded character sequence(s) (like `â€™`) were repaired",
                self.mojibake_fixed
            ));
        }
        parts.join("; ")
    }
}

/// Windows-1252's characters for bytes 0x80..=0x9F; the five holes map to the C1 controls,
/// which is what decoders that "pass through" unknown bytes produce.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    // The 0x80..=0x9F range, holes (U+0081 …) included, is the table.
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// Decodes a document: a BOM is dropped, bytes that are not UTF-8 are read as Windows-1252,
/// and mojibake left by an earlier wrong decoding is undone.
pub fn decode(bytes: &[u8]) -> (String, Repairs) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut repairs = Repairs::default();
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for &b in chunk.invalid() {
            repairs.invalid_utf8_bytes += 1;
            text.push(cp1252_char(b));
        }
    }
    let (fixed, count) = fix_mojibake(&text);
    repairs.mojibake_fixed = count;
    (fixed, repairs)
}

/// Undoes UTF-8 that was decoded as Windows-1252: wherever a run of characters maps back to
/// bytes forming one valid multi-byte UTF-8 character, that character replaces the run.
/// Plain accented text ("Ótima", "ação") never forms such a run and is left alone.
pub fn fix_mojibake(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut fixed = 0usize;
    let mut i = 0;
    while i < chars.len() {
        if let Some((c, used)) = mojibake_at(&chars[i..]) {
            out.push(c);
            fixed += 1;
            i += used;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, fixed)
}

fn mojibake_at(chars: &[char]) -> Option<(char, usize)> {
    let lead = cp1252_byte(*chars.first()?)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    if chars.len() < len {
        return None;
    }
    let mut buf = [0u8; 4];
    buf[0] = lead;
    for k in 1..len {
        let b = cp1252_byte(chars[k])?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        buf[k] = b;
    }
    let s = std::str::from_utf8(&buf[..len]).ok()?;
    s.chars().next().map(|c| (c, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_utf8_is_untouched() {
        let s = "Ótima pergunta! ação, 社区建设者, AWS’s — “ok”";
        let (out, r) = decode(s.as_bytes());
        assert_eq!(out, s);
        assert!(!r.any());
    }

    #[test]
    fn mojibake_is_repaired() {
        let (out, r) = decode("showcases AWSâ€™s commitment".as_bytes());
        assert_eq!(out, "showcases AWS’s commitment");
        assert_eq!(r.mojibake_fixed, 1);
        let (out, _) = decode("Usuￃﾡrios".as_bytes());
        assert_eq!(out, "Usuￃﾡrios", "non-cp1252 characters are not touched");
        let (out, r) = decode("voluntÃ¡rio e informaÃ§Ã£o".as_bytes());
        assert_eq!(out, "voluntário e informação");
        assert_eq!(r.mojibake_fixed, 3);
    }

    #[test]
    fn windows_1252_bytes_are_read() {
        let bytes = b"Grupo de Usu\xe1rios \x93AWS\x94 \x80 5";
        let (out, r) = decode(bytes);
        assert_eq!(out, "Grupo de Usuários “AWS” € 5");
        assert_eq!(r.invalid_utf8_bytes, 4);
        assert!(r.describe().contains("Windows-1252"));
    }

    #[test]
    fn bom_is_dropped() {
        let (out, _) = decode(b"\xEF\xBB\xBF# Title");
        assert_eq!(out, "# Title");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn valid_text_round_trips_when_free_of_cp1252_runs(s in "[a-zA-Z0-9 ,.!?çãõéáíóúâêô社区建设者]{0,80}") {
            let (out, r) = decode(s.as_bytes());
            proptest::prop_assert_eq!(out, s);
            proptest::prop_assert!(!r.any());
        }
    }
}
