//! Small text helpers shared by the commands: tokens, mentions, folding, validation, keys.

use crate::error::CmdError;

/// A member named in a command, by platform user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef(pub String);

impl UserRef {
    /// Reads a mention in the neutral form every front end hands over: `@id` (a Discord
    /// snowflake, a Slack `U…` id, a terminal name). Front ends turn their platform's
    /// markup (`<@123>`, `<@U123|ana>`) into this form before `commands` sees it.
    pub fn parse(token: &str) -> Result<UserRef, CmdError> {
        match token.strip_prefix('@').filter(|id| valid_id(id)) {
            Some(id) => Ok(UserRef(id.to_string())),
            None => Err(CmdError::BadUser {
                given: token.chars().take(40).collect(),
            }),
        }
    }
}

/// User ids are what platforms hand out (digits, `U…`) or terminal names: letters, digits
/// and `._-`, at most 64.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= 64
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// How names are compared: the knowledge base's fold (lower case, no accents, no
/// compatibility forms: "Voluntário" and "ＶＯＬＵＮＴＡＲＩＯ" alike), without spaces, hyphens,
/// underscores, dots or apostrophes.
pub fn fold(s: &str) -> String {
    knowledge::analysis::fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '\''))
        .collect()
}

/// Trims user text for a field and refuses what should not be stored: control characters
/// (newlines and tabs are allowed only in descriptions) and text over `max` characters.
pub fn clean(text: &str, field: &'static str, max: usize) -> Result<String, CmdError> {
    let multiline = field == "description";
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r')))
    {
        return Err(CmdError::ControlChars { field });
    }
    let text = text.trim();
    if text.chars().count() > max {
        return Err(CmdError::TooLong { field, max });
    }
    Ok(text.to_string())
}

/// A tree key from parts, separated by a byte no part can contain (ids are checked by
/// [`valid_id`], and commands refuse control characters).
pub fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("\u{1f}").into_bytes()
}

/// Splits a command line into words; "double", 'single' and “curly” quotes group words.
pub fn tokenize(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut quoted = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None => match c {
                '"' => {
                    quote = Some('"');
                    quoted = true;
                }
                '“' => {
                    quote = Some('”');
                    quoted = true;
                }
                '\'' if cur.is_empty() => {
                    quote = Some('\'');
                    quoted = true;
                }
                c if c.is_whitespace() => {
                    if !cur.is_empty() || quoted {
                        out.push(std::mem::take(&mut cur));
                    }
                    quoted = false;
                }
                c => cur.push(c),
            },
        }
    }
    if !cur.is_empty() || quoted {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_in_the_neutral_form() {
        // Platform markup is the front ends' to read (bot/src/*/events.rs).
        assert_eq!(UserRef::parse("@123").unwrap().0, "123");
        assert_eq!(UserRef::parse("@U0ABC").unwrap().0, "U0ABC");
        assert_eq!(UserRef::parse("@alice").unwrap().0, "alice");
        assert!(UserRef::parse("<@123>").is_err());
        assert!(UserRef::parse("alice").is_err());
        assert!(UserRef::parse("@").is_err());
        assert!(UserRef::parse("@a/b").is_err());
        assert!(UserRef::parse("@everyone\u{7}").is_err());
    }

    #[test]
    fn quotes_group_words() {
        assert_eq!(
            tokenize(r#"announce title:"Serverless night" place:“Rua X, 10”  it's"#),
            [
                "announce",
                "title:Serverless night",
                "place:Rua X, 10",
                "it's"
            ]
        );
        assert_eq!(tokenize(r#"note "" end"#), ["note", "", "end"]);
    }

    #[test]
    fn cleaning_refuses_control_characters_and_long_text() {
        assert!(matches!(
            clean("a\u{1b}[31m", "title", 10),
            Err(CmdError::ControlChars { .. })
        ));
        assert!(clean("two\nlines", "description", 100).is_ok());
        assert!(matches!(
            clean("two\nlines", "title", 100),
            Err(CmdError::ControlChars { .. })
        ));
        assert!(matches!(
            clean(&"x".repeat(11), "title", 10),
            Err(CmdError::TooLong { .. })
        ));
        assert_eq!(clean("  ok ", "title", 10).unwrap(), "ok");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Líder de User-Group"), "liderdeusergroup");
        assert_eq!(fold("ＥＳＴＡＴÍＳＴＩＣＡＳ"), "estatisticas");
        assert_eq!(fold("Segurança"), "seguranca");
    }
}
