//! Long replies cut to what one message of a platform holds: paged by field and by message,
//! text clipped on grapheme boundaries.

use commands::{Platform, Reply, Response, Span, Text};
use unicode_segmentation::UnicodeSegmentation;

/// How much of a reply's fields one message of a platform holds, in characters of their
/// plain form (each platform's markup and escapes are left room): a field's value, and all
/// the values of a message.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub field: usize,
    pub fields: usize,
    pub total: usize,
}

impl Page {
    /// Discord: 1,024 characters a field value, 25 fields and 6,000 characters an embed.
    /// Slack: 2,000 characters a field, ten fields a section, fifty blocks a message.
    pub fn of(platform: Platform) -> Page {
        match platform {
            Platform::Discord => Page {
                field: 800,
                fields: 20,
                total: 4000,
            },
            Platform::Slack | Platform::Terminal => Page {
                field: 1500,
                fields: 30,
                total: 12_000,
            },
        }
    }
}

/// `response` with every reply whose fields do not fit one message of `page` split: long
/// field values into several fields (between list items or lines, never inside a mention
/// or a name), and the fields into as many messages as they need. The first message keeps
/// the reply's text, buttons and sources; the ones after it repeat the title and go to the
/// same place. Nothing is cut.
pub fn paged(response: Response, page: Page) -> Response {
    let Response { replies, effects } = response;
    let mut out = Vec::with_capacity(replies.len());
    for reply in replies {
        let fits = reply.fields.len() <= page.fields
            && reply
                .fields
                .iter()
                .all(|f| f.value.chars().count() <= page.field)
            && reply
                .fields
                .iter()
                .map(|f| f.value.chars().count())
                .sum::<usize>()
                <= page.total;
        if fits {
            out.push(reply);
            continue;
        }
        let mut pieces = Vec::new();
        for f in &reply.fields {
            for value in split_text(&f.value, page.field) {
                pieces.push(commands::Field {
                    name: f.name.clone(),
                    value,
                });
            }
        }
        let mut pages: Vec<Vec<commands::Field>> = vec![Vec::new()];
        let mut used = 0;
        for piece in pieces {
            let n = piece.value.chars().count();
            let current = pages.last_mut().expect("a page");
            if !current.is_empty() && (current.len() == page.fields || used + n > page.total) {
                pages.push(Vec::new());
                used = 0;
            }
            used += n;
            pages.last_mut().expect("a page").push(piece);
        }
        let count = pages.len();
        for (i, fields) in pages.into_iter().enumerate() {
            let mut part = if i == 0 {
                reply.clone()
            } else {
                let mut more =
                    Reply::new(reply.lang, reply.text.clone()).to(reply.destination.clone());
                more.ok = reply.ok;
                more
            };
            if count > 1 {
                part.title = Some(
                    reply
                        .title
                        .clone()
                        .unwrap_or_default()
                        .and(format!(" ({}/{count})", i + 1)),
                );
            }
            part.fields = fields;
            out.push(part);
        }
    }
    Response {
        replies: out,
        effects,
    }
}

/// `text` in pieces of at most `max` characters, cut after a `, ` or a line break of the
/// bot's own words; a span never splits (one longer than `max` is a piece alone).
fn split_text(text: &Text, max: usize) -> Vec<Text> {
    if text.chars().count() <= max {
        return vec![text.clone()];
    }
    // The atoms: each span, the bot's own words cut after their separators.
    let mut atoms: Vec<Span> = Vec::new();
    for span in text.spans() {
        match span {
            Span::Plain { text } => {
                let mut rest = text.as_str();
                while let Some(at) = rest.find([',', '\n']) {
                    let end = at + rest[at..].chars().next().map_or(1, char::len_utf8);
                    let end = if rest[end..].starts_with(' ') {
                        end + 1
                    } else {
                        end
                    };
                    atoms.push(Span::Plain {
                        text: rest[..end].to_string(),
                    });
                    rest = &rest[end..];
                }
                if !rest.is_empty() {
                    atoms.push(Span::Plain {
                        text: rest.to_string(),
                    });
                }
            }
            other => atoms.push(other.clone()),
        }
    }
    // The items: atoms up to and with a separator.
    let mut items: Vec<Text> = vec![Text::new()];
    for atom in atoms {
        let ends = matches!(&atom, Span::Plain { text } if text.ends_with([',', ' ', '\n']));
        items.last_mut().expect("an item").push(atom);
        if ends {
            items.push(Text::new());
        }
    }
    let mut out = Vec::new();
    let mut current = Text::new();
    for item in items {
        let n = item.chars().count();
        if !current.is_empty() && current.chars().count() + n > max {
            out.push(std::mem::take(&mut current).trim_end());
        }
        current.append(item);
    }
    if !current.is_empty() {
        out.push(current.trim_end());
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut, never inside a
/// grapheme (a flag, an emoji with a skin tone, a letter with its accents).
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let n = g.chars().count();
        if used + n + 1 > max {
            break;
        }
        out.push_str(g);
        used += n;
    }
    out.push('…');
    out
}
