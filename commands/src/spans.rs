//! Reply text as spans: the bot's own words, text a member typed, mentions, links, code and
//! emphasis. No platform's markup is written here; each front end renders spans its own way
//! and escapes what needs escaping, once (see `bot/src/*/render.rs`). [`Text`] also reads as
//! its plain form (`@name` for a mention, `` `code` ``, `**emphasis**`), which is what a
//! terminal shows and what the JSON output's `text` fields hold.

use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};

use crate::actor::Platform;

/// One piece of a reply's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Span {
    /// The bot's own words.
    Plain { text: String },
    /// Words a member typed (a title, a place, a question): shown exactly as typed, never
    /// read as markup and never pinging anyone.
    Typed { text: String },
    /// A member, by their id on `platform`.
    User { platform: Platform, id: String },
    /// A role (Discord) or user group (Slack) on `platform`.
    Role { platform: Platform, id: String },
    /// A web link (`http://` or `https://`).
    Link { url: String, label: String },
    /// A command or an id to type, shown as code.
    Code { text: String },
    /// Words to stand out (bold).
    Emphasis { text: String },
}

impl Span {
    /// The span in plain text.
    pub fn plain(&self) -> String {
        match self {
            Span::Plain { text } | Span::Typed { text } => text.clone(),
            Span::User { id, .. } | Span::Role { id, .. } => format!("@{id}"),
            Span::Link { url, label } if label == url || label.is_empty() => url.clone(),
            Span::Link { url, label } => format!("{label} ({url})"),
            Span::Code { text } => format!("`{text}`"),
            Span::Emphasis { text } => format!("**{text}**"),
        }
    }
}

/// A reply's text: spans, and the same in plain text (which is what it reads as).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text {
    spans: Vec<Span>,
    plain: String,
}

impl Text {
    pub fn new() -> Self {
        Text::default()
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The text in plain form (also what it derefs to).
    pub fn as_str(&self) -> &str {
        &self.plain
    }

    pub fn is_empty(&self) -> bool {
        self.plain.is_empty()
    }

    /// Adds a span (neighbouring plain spans merge).
    pub fn push(&mut self, span: Span) {
        let plain = span.plain();
        if plain.is_empty() {
            return;
        }
        self.plain.push_str(&plain);
        match (self.spans.last_mut(), span) {
            (Some(Span::Plain { text }), Span::Plain { text: more }) => text.push_str(&more),
            (Some(Span::Typed { text }), Span::Typed { text: more }) => text.push_str(&more),
            (_, span) => self.spans.push(span),
        }
    }

    /// Adds all of `other`.
    pub fn append(&mut self, other: impl Into<Text>) {
        for span in other.into().spans {
            self.push(span);
        }
    }

    /// `self` followed by `other`.
    pub fn and(mut self, other: impl Into<Text>) -> Self {
        self.append(other);
        self
    }

    /// The bot's own words.
    pub fn plain(text: impl Into<String>) -> Self {
        Self::of(Span::Plain { text: text.into() })
    }

    /// Words a member typed.
    pub fn typed(text: impl Into<String>) -> Self {
        Self::of(Span::Typed { text: text.into() })
    }

    /// A member of `platform`.
    pub fn user(platform: Platform, id: impl Into<String>) -> Self {
        Self::of(Span::User {
            platform,
            id: id.into(),
        })
    }

    /// A role or user group of `platform`.
    pub fn role(platform: Platform, id: impl Into<String>) -> Self {
        Self::of(Span::Role {
            platform,
            id: id.into(),
        })
    }

    pub fn code(text: impl Into<String>) -> Self {
        Self::of(Span::Code { text: text.into() })
    }

    pub fn emphasis(text: impl Into<String>) -> Self {
        Self::of(Span::Emphasis { text: text.into() })
    }

    /// Something a member typed that may be a web link (an event's place): a link when it
    /// is one, and typed words otherwise.
    pub fn link_or_typed(text: &str) -> Self {
        let t = text.trim();
        let is_link = (t.starts_with("https://") || t.starts_with("http://"))
            && t.len() > "https://".len()
            && !t
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>|\"`".contains(c));
        if is_link {
            Self::of(Span::Link {
                url: t.to_string(),
                label: t.to_string(),
            })
        } else {
            Self::typed(text)
        }
    }

    fn of(span: Span) -> Self {
        let mut t = Text::new();
        t.push(span);
        t
    }

    /// Without white space at its end (where it ends with the bot's words).
    pub fn trim_end(mut self) -> Self {
        while let Some(Span::Plain { text }) = self.spans.last_mut() {
            let trimmed = text.trim_end().len();
            let cut = text.len() - trimmed;
            text.truncate(trimmed);
            self.plain.truncate(self.plain.len() - cut);
            if !text.is_empty() {
                break;
            }
            self.spans.pop();
        }
        self
    }

    /// `items` joined by `sep` (the bot's words).
    pub fn join(items: impl IntoIterator<Item = Text>, sep: &str) -> Self {
        let mut out = Text::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(Span::Plain { text: sep.into() });
            }
            out.append(item);
        }
        out
    }

    /// A sentence of the bot's: `template` with each `{name}` replaced by its argument,
    /// `` `…` `` as code and `**…**` as emphasis. Arguments inside code or emphasis are
    /// taken as their plain text. An unknown `{name}` stays as written.
    pub fn template(template: &str, args: &[(&str, Text)]) -> Self {
        let mut out = Text::new();
        let mut plain = String::new();
        // Inside `…` or **…**: what is collected so far.
        let mut inner: Option<(bool, String)> = None;
        let mut rest = template;
        while let Some(c) = rest.chars().next() {
            let arg = (c == '{')
                .then(|| rest.find('}'))
                .flatten()
                .and_then(|end| {
                    let (_, value) = args.iter().find(|(n, _)| *n == &rest[1..end])?;
                    Some((end, value))
                });
            if let Some((end, value)) = arg {
                match &mut inner {
                    Some((_, s)) => s.push_str(value),
                    None => {
                        out.push(Span::Plain {
                            text: std::mem::take(&mut plain),
                        });
                        out.append(value.clone());
                    }
                }
                rest = &rest[end + 1..];
                continue;
            }
            let (marker, code) = if rest.starts_with('`') {
                (1, true)
            } else if rest.starts_with("**") {
                (2, false)
            } else {
                (0, false)
            };
            if marker > 0 && inner.as_ref().is_none_or(|(was_code, _)| *was_code == code) {
                match inner.take() {
                    Some((code, text)) if code => out.push(Span::Code { text }),
                    Some((_, text)) => out.push(Span::Emphasis { text }),
                    None => {
                        out.push(Span::Plain {
                            text: std::mem::take(&mut plain),
                        });
                        inner = Some((code, String::new()));
                    }
                }
                rest = &rest[marker..];
                continue;
            }
            match &mut inner {
                Some((_, s)) => s.push(c),
                None => plain.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
        if let Some((code, text)) = inner {
            // An unclosed marker is just a character.
            plain.push_str(if code { "`" } else { "**" });
            plain.push_str(&text);
        }
        out.push(Span::Plain { text: plain });
        out
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.plain
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.plain
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.plain, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.plain == other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.plain == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.plain == *other
    }
}

/// In JSON a text is its plain form (see [`Text::spans`] for the spans).
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::plain(text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::plain(text.clone())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::plain(text)
    }
}

impl From<&Text> for Text {
    fn from(text: &Text) -> Self {
        text.clone()
    }
}

impl From<Span> for Text {
    fn from(span: Span) -> Self {
        Text::of(span)
    }
}

macro_rules! numbers_are_plain {
    ($($t:ty),*) => {$(
        impl From<$t> for Text {
            fn from(n: $t) -> Self {
                Text::plain(n.to_string())
            }
        }
    )*};
}
numbers_are_plain!(u32, u64, usize, i64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_place_arguments_code_and_emphasis() {
        let t = Text::template(
            "🏅 {who} holds **{name}**. Use `badge revoke {who} {id}`, not {missing}.",
            &[
                ("who", Text::user(Platform::Slack, "U1")),
                ("name", Text::plain("Speaker")),
                ("id", Text::plain("speaker")),
            ],
        );
        assert_eq!(
            t.spans(),
            [
                Span::Plain {
                    text: "🏅 ".into()
                },
                Span::User {
                    platform: Platform::Slack,
                    id: "U1".into()
                },
                Span::Plain {
                    text: " holds ".into()
                },
                Span::Emphasis {
                    text: "Speaker".into()
                },
                Span::Plain {
                    text: ". Use ".into()
                },
                Span::Code {
                    text: "badge revoke @U1 speaker".into()
                },
                Span::Plain {
                    text: ", not {missing}.".into()
                },
            ]
        );
        assert_eq!(
            t,
            "🏅 @U1 holds **Speaker**. Use `badge revoke @U1 speaker`, not {missing}."
        );
    }

    #[test]
    fn typed_text_stays_typed_and_plain_spans_merge() {
        let t = Text::template("a {x} b", &[("x", Text::typed("`<!here>` **x**"))]);
        assert_eq!(t.spans().len(), 3);
        assert_eq!(
            t.spans()[1],
            Span::Typed {
                text: "`<!here>` **x**".into()
            }
        );
        let merged = Text::plain("a").and("b").and(Text::plain("c"));
        assert_eq!(merged.spans().len(), 1);
        assert_eq!(Text::template("unclosed `tick", &[]), "unclosed `tick");
    }

    #[test]
    fn only_clean_web_links_are_links() {
        assert!(matches!(
            Text::link_or_typed("https://meet.example/x").spans()[0],
            Span::Link { .. }
        ));
        for not in [
            "Rua A, 10",
            "https://x.y/<!channel>",
            "https://a b",
            "javascript:x",
        ] {
            assert!(matches!(
                Text::link_or_typed(not).spans()[0],
                Span::Typed { .. }
            ));
        }
    }
}
