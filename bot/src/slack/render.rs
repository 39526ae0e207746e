//! A [`Reply`] as Slack shows it: Block Kit built with slack-morphism's types (the groups it
//! notifies, a header, the text, fields, the calendar file, the sources, the buttons), the
//! text in Slack's mrkdwn with everything escaped that needs it, within Slack's limits. Pure
//! functions: no network, no state.

use std::collections::HashSet;

use commands::{ButtonStyle, Form, Platform, Reply, Span, Text};
use slack_morphism::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use crate::front::clip;

/// Block Kit limits Slack enforces.
pub const SECTION_TEXT: usize = 3000;
pub const FIELD_TEXT: usize = 2000;
pub const FIELDS: usize = 10;
pub const HEADER_TEXT: usize = 150;
pub const BUTTON_TEXT: usize = 75;
pub const ACTION_ID: usize = 255;
pub const BUTTONS_PER_ROW: usize = 25;
pub const MAX_BLOCKS: usize = 50;
/// The fallback `text` of a message (notifications, screen readers).
pub const FALLBACK_TEXT: usize = 3000;
/// Modal limits: the title and the submit button, an input's label, placeholder and value.
pub const MODAL_TITLE: usize = 24;
pub const INPUT_LABEL: usize = 2000;
pub const INPUT_PLACEHOLDER: usize = 150;
pub const INPUT_VALUE: usize = 3000;

/// The message: blocks, and a plain fallback for notifications.
pub fn content(reply: &Reply) -> SlackMessageContent {
    let mut fallback = Text::new();
    if let Some(t) = &reply.title {
        fallback = t.clone().and(": ");
    }
    fallback.append(&reply.text);
    SlackMessageContent::new()
        .with_text(clip(&mrkdwn(&fallback, reply), FALLBACK_TEXT))
        .with_blocks(blocks(reply))
}

/// A form as a modal view: an input block a field, the field's name as block and action
/// id so that the values come back by name; `metadata` comes back with them.
pub fn modal(form: &Form, metadata: &str) -> SlackView {
    let blocks = form
        .fields
        .iter()
        .map(|f| {
            let max = f.max.clamp(1, INPUT_VALUE);
            let mut input = SlackBlockPlainTextInputElement::new()
                .with_action_id(f.name.clone().into())
                .with_multiline(f.long)
                .with_max_length(max as u64);
            if let Some(v) = &f.value {
                input = input.with_initial_value(clip(v, max));
            }
            if let Some(p) = &f.placeholder {
                input = input.with_placeholder(plain(clip(p, INPUT_PLACEHOLDER)));
            }
            SlackInputBlock::new(
                plain(clip(&f.label, INPUT_LABEL)),
                SlackInputBlockElement::PlainTextInput(input),
            )
            .with_block_id(f.name.clone().into())
            .with_optional(!f.required)
            .into()
        })
        .collect();
    SlackView::Modal(
        SlackModalView::new(plain(clip(&form.title, MODAL_TITLE)), blocks)
            .with_submit(plain(clip(&form.submit, MODAL_TITLE)))
            .with_callback_id(form.id.clone().into())
            .with_private_metadata(metadata.to_string()),
    )
}

/// `text` alone, as an acknowledgement (`⏳`, `✅`).
pub fn short(text: &str) -> SlackMessageContent {
    SlackMessageContent::new().with_text(escape(text))
}

/// The spans in Slack's mrkdwn: members and groups of Slack as mentions (a group only when
/// the reply notifies it), everything else escaped so it shows as written and pings nobody.
pub fn mrkdwn(text: &Text, reply: &Reply) -> String {
    let mut out = String::new();
    for span in text.spans() {
        match span {
            Span::Plain { text } | Span::Typed { text } => out.push_str(&escape(text)),
            Span::User {
                platform: Platform::Slack,
                id,
            } => out.push_str(&format!("<@{id}>")),
            Span::Role {
                platform: Platform::Slack,
                id,
            } if reply.mention_roles.contains(id) => out.push_str(&format!("<!subteam^{id}>")),
            Span::User { id, .. } | Span::Role { id, .. } => {
                out.push_str(&escape(&format!("@{id}")))
            }
            Span::Link { url, label } if label == url => {
                out.push_str(&format!("<{}>", escape(url)))
            }
            Span::Link { url, label } => {
                out.push_str(&format!("<{}|{}>", escape(url), escape(label)))
            }
            Span::Code { text } => out.push_str(&format!("`{}`", escape(&text.replace('`', "ˋ")))),
            Span::Emphasis { text } => {
                out.push_str(&format!("*{}*", escape(&text.replace('*', "∗"))))
            }
        }
    }
    out
}

/// Slack's three escapes, which mrkdwn and the fallback text need everywhere.
pub(super) fn escape(text: &str) -> String {
    ENTITIES
        .iter()
        .fold(text.to_string(), |t, (c, entity)| t.replace(*c, entity))
}

/// `text` escaped, clipped first so that it is at most `max` characters escaped (an
/// entity is never cut).
fn escaped(text: &str, max: usize) -> String {
    let mut keep = max;
    loop {
        let out = escape(&clip(text, keep));
        let n = out.chars().count();
        if n <= max || keep == 0 {
            return out;
        }
        keep = keep.saturating_sub(n - max);
    }
}

/// The characters Slack escapes, `&` first.
pub(super) const ENTITIES: [(char, &str); 3] = [('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;")];

fn section(text: String) -> SlackBlock {
    SlackSectionBlock::new().with_text(md(text)).into()
}

fn md(text: String) -> SlackBlockText {
    SlackBlockMarkDownText::new(text).with_verbatim(true).into()
}

fn plain(text: String) -> SlackBlockPlainTextOnly {
    SlackBlockPlainText::new(text).with_emoji(true).into()
}

/// Block Kit for a reply. The buttons always fit: text gives way to them.
pub fn blocks(reply: &Reply) -> Vec<SlackBlock> {
    let mut out = Vec::new();
    if !reply.mention_roles.is_empty() {
        let pings: Vec<String> = reply
            .mention_roles
            .iter()
            .map(|r| format!("<!subteam^{r}>"))
            .collect();
        out.push(section(pings.join(" ")));
    }
    if let Some(title) = &reply.title {
        // Plain text is escaped like mrkdwn: a title someone typed (`<!channel>`) shows as
        // written and pings nobody.
        out.push(SlackHeaderBlock::new(plain(escaped(title, HEADER_TEXT))).into());
    }
    let mut text = mrkdwn(&reply.text, reply);
    if !reply.ok {
        text = format!(":warning: {text}");
    }
    for piece in chunks(&text, SECTION_TEXT) {
        out.push(section(piece));
    }
    for group in reply.fields.chunks(FIELDS) {
        let fields = group
            .iter()
            .map(|f| {
                let value = mrkdwn(&f.value, reply);
                md(clip(&format!("*{}*\n{value}", escape(&f.name)), FIELD_TEXT))
            })
            .collect();
        out.push(SlackSectionBlock::new().with_fields(fields).into());
    }
    match &reply.attachment {
        // A picture cannot go in blocks without a public address: it is uploaded beside
        // the message (see `send.rs`), and the text around it carries what it shows.
        Some(a) if a.is_binary() => out.push(section(format!("📎 `{}`", escape(&a.filename)))),
        Some(a) => {
            let body = clip(&escape(&a.body), SECTION_TEXT - 40);
            out.push(section(format!("`{}`\n```{body}```", escape(&a.filename))));
        }
        None => {}
    }
    if !reply.citations.is_empty() {
        let sources = reply
            .citations
            .iter()
            .take(10)
            .map(|c| {
                let source = format!("📖 {} — {}", escape(&c.section), escape(&c.doc));
                SlackContextBlockElement::MarkDown(
                    SlackBlockMarkDownText::new(clip(&source, FIELD_TEXT)).with_verbatim(true),
                )
            })
            .collect();
        out.push(SlackContextBlock::new(sources).into());
    }
    let rows = buttons(reply);
    out.truncate(MAX_BLOCKS - rows.len());
    out.extend(rows);
    out
}

/// The buttons, in rows; action ids must fit and be unique in a message.
fn buttons(reply: &Reply) -> Vec<SlackBlock> {
    let mut ids = HashSet::new();
    let buttons: Vec<SlackActionBlockElement> = reply
        .buttons
        .iter()
        .filter(|b| b.id.len() <= ACTION_ID && ids.insert(b.id.as_str()))
        .map(|b| {
            let button = SlackBlockButtonElement::new(plain(escaped(&b.label, BUTTON_TEXT)))
                .with_action_id(b.id.clone().into())
                .with_value(b.id.clone());
            match b.style {
                ButtonStyle::Primary | ButtonStyle::Success => {
                    button.with_style(SlackBlockButtonStyle::Primary)
                }
                ButtonStyle::Danger => button.with_style(SlackBlockButtonStyle::Danger),
                ButtonStyle::Secondary => button,
            }
            .into()
        })
        .collect();
    buttons
        .chunks(BUTTONS_PER_ROW)
        .take(2)
        .map(|row| SlackActionsBlock::new(row.to_vec()).into())
        .collect()
}

/// Splits text into pieces of at most `max` characters, at line breaks where it can and
/// never inside a grapheme.
pub fn chunks(text: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut len = 0;
    for line in text.split_inclusive('\n') {
        let n = line.chars().count();
        if len + n > max && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            len = 0;
        }
        if n <= max {
            current.push_str(line);
            len += n;
            continue;
        }
        for g in line.graphemes(true) {
            let n = g.chars().count();
            if len + n > max {
                out.push(std::mem::take(&mut current));
                len = 0;
            }
            current.push_str(g);
            len += n;
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use commands::Button;
    use knowledge::Lang;
    use serde_json::Value;

    fn reply(text: impl Into<Text>) -> Reply {
        Reply::new(Lang::En, text)
    }

    fn json(blocks: Vec<SlackBlock>) -> Vec<Value> {
        blocks
            .into_iter()
            .map(|b| serde_json::to_value(b).unwrap())
            .collect()
    }

    #[test]
    fn specials_and_foreign_groups_never_ping() {
        let text = Text::typed("hi <!channel> <!here|here> <!subteam^S1> a < b > c & d")
            .and(" ")
            .and(Text::role(Platform::Slack, "S1"))
            .and(" ")
            .and(Text::role(Platform::Slack, "S2"))
            .and(" ")
            .and(Text::user(Platform::Slack, "U1"))
            .and(" ")
            .and(Text::user(Platform::Discord, "42"))
            .and(" ")
            .and(Text::link_or_typed("https://a.b/x?y=1&z=2"));
        let mut r = reply(text);
        r.mention_roles = vec!["S2".into()];
        let g = mrkdwn(&r.text, &r);
        assert!(g.contains("&lt;!channel&gt;"), "{g}");
        assert!(g.contains("&lt;!here|here&gt;"), "{g}");
        assert!(g.contains("&lt;!subteam^S1&gt;"), "{g}");
        assert!(g.contains("a &lt; b &gt; c &amp; d"), "{g}");
        assert!(
            g.contains(" @S1 "),
            "a group the reply does not notify is text: {g}"
        );
        assert!(g.contains("<!subteam^S2>"), "{g}");
        assert!(g.contains("<@U1>") && g.contains(" @42 "), "{g}");
        assert!(g.contains("<https://a.b/x?y=1&amp;z=2>"), "{g}");
        let fallback = content(&r).text.unwrap();
        assert!(!fallback.contains("<!channel>") && !fallback.contains("<!here"));
    }

    #[test]
    fn code_and_emphasis_in_mrkdwn_and_titles_escaped_as_typed() {
        let r = reply(
            Text::code("event edit e1")
                .and(" ")
                .and(Text::emphasis("Volunteer")),
        )
        .title(Text::plain("📅 ").and(Text::typed("Night <3 & more")));
        assert_eq!(mrkdwn(&r.text, &r), "`event edit e1` *Volunteer*");
        let b = json(blocks(&r));
        assert_eq!(b[0]["type"], "header");
        assert_eq!(b[0]["text"]["text"], "📅 Night &lt;3 &amp; more");
        let r = reply("x").title(Text::typed("<!channel>".repeat(40)));
        let header = json(blocks(&r))[0]["text"]["text"].clone();
        let header = header.as_str().unwrap();
        assert!(header.chars().count() <= HEADER_TEXT, "{header}");
        assert!(header.starts_with("&lt;!channel&gt;") && !header.contains("<!"));
        assert_eq!(b[1]["text"]["verbatim"], true);
    }

    #[test]
    fn long_text_is_split_into_sections_within_limits() {
        let long = "line of text\n".repeat(1000);
        let mut r = reply(long).title("T".repeat(400));
        for i in 0..60 {
            r.buttons.push(Button {
                id: format!("ask:{i}"),
                label: "L".repeat(120),
                style: ButtonStyle::Secondary,
            });
        }
        let blocks = json(blocks(&r));
        assert!(blocks.len() <= MAX_BLOCKS);
        for b in &blocks {
            if let Some(t) = b["text"]["text"].as_str() {
                assert!(t.chars().count() <= SECTION_TEXT);
            }
            if b["type"] == "actions" {
                let els = b["elements"].as_array().unwrap();
                assert!(els.len() <= BUTTONS_PER_ROW);
                for e in els {
                    assert!(e["text"]["text"].as_str().unwrap().chars().count() <= BUTTON_TEXT);
                }
            }
        }
        assert_eq!(blocks[0]["type"], "header");
        let header = blocks[0]["text"]["text"].as_str().unwrap();
        assert!(header.chars().count() <= HEADER_TEXT);
        assert!(blocks.iter().any(|b| b["type"] == "actions"));
    }

    #[test]
    fn a_form_is_a_modal_within_slacks_limits() {
        let field = |name: &str, long, value: Option<String>| commands::FormField {
            name: name.into(),
            label: name.to_uppercase(),
            keys: vec![name.into()],
            long,
            required: name == "title",
            value,
            placeholder: Some("p".repeat(200)),
            max: 5000,
        };
        let form = Form {
            id: "talk-form:propose".into(),
            title: "A title far longer than Slack allows".into(),
            submit: "Propose".into(),
            fields: vec![
                field("title", false, None),
                field("abstract", true, Some("x".repeat(4000))),
            ],
        };
        let v = serde_json::to_value(modal(&form, "C1")).unwrap();
        assert_eq!(v["type"], "modal");
        assert_eq!(v["callback_id"], "talk-form:propose");
        assert_eq!(v["private_metadata"], "C1");
        assert!(v["title"]["text"].as_str().unwrap().chars().count() <= MODAL_TITLE);
        let blocks = v["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["block_id"], "title");
        assert_eq!(blocks[0]["element"]["action_id"], "title");
        assert_eq!(blocks[0]["optional"], false);
        assert_eq!(blocks[1]["optional"], true);
        assert_eq!(blocks[1]["element"]["multiline"], true);
        assert_eq!(blocks[1]["element"]["max_length"], 3000);
        let chars = |v: &Value| v.as_str().unwrap().chars().count();
        assert!(chars(&blocks[1]["element"]["initial_value"]) <= INPUT_VALUE);
        assert!(chars(&blocks[1]["element"]["placeholder"]["text"]) <= INPUT_PLACEHOLDER);
    }

    #[test]
    fn buttons_keep_their_ids_and_styles() {
        let mut r = reply("x");
        r.buttons = vec![
            Button {
                id: "vol:signup:c1:host".into(),
                label: "Host".into(),
                style: ButtonStyle::Success,
            },
            Button {
                id: "vol:withdraw:c1".into(),
                label: "Withdraw".into(),
                style: ButtonStyle::Danger,
            },
            Button {
                id: "vol:withdraw:c1".into(),
                label: "Twice".into(),
                style: ButtonStyle::Danger,
            },
        ];
        let b = json(blocks(&r));
        let actions = b.iter().find(|b| b["type"] == "actions").unwrap();
        assert_eq!(actions["elements"][0]["action_id"], "vol:signup:c1:host");
        assert_eq!(actions["elements"][0]["style"], "primary");
        assert_eq!(actions["elements"][1]["style"], "danger");
        assert_eq!(
            actions["elements"].as_array().unwrap().len(),
            2,
            "ids are unique"
        );
    }

    #[test]
    fn chunks_keep_every_character_and_every_grapheme() {
        let text = "a".repeat(7000) + "\nshort\n" + &"b".repeat(10);
        let parts = chunks(&text, 3000);
        assert!(parts.iter().all(|p| p.chars().count() <= 3000));
        assert_eq!(parts.concat(), text);
        let flags = "🇧🇷".repeat(5);
        let parts = chunks(&flags, 3);
        assert!(
            parts.iter().all(|p| p.chars().count() % 2 == 0),
            "{parts:?}"
        );
        assert_eq!(parts.concat(), flags);
    }
}
