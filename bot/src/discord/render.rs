//! A [`Reply`] as Discord shows it: an embed with buttons, the text in Discord's Markdown,
//! within Discord's limits, pinging exactly whom the reply names. Pure functions: no
//! network, no state.

use commands::{ButtonStyle, Destination, Form, Platform, Reply, Span, Text};
use serenity::all::{
    CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInputText, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, CreateModal, EditMessage, InputTextStyle,
    RoleId, UserId,
};

use crate::front::clip;

/// Embed and component limits Discord enforces (characters, or counts).
struct Limits {
    text: usize,
    title: usize,
    field_name: usize,
    field_value: usize,
    fields: usize,
    footer: usize,
    label: usize,
    /// In bytes.
    custom_id: usize,
    buttons: usize,
}

const LIMITS: Limits = Limits {
    text: 4000,
    title: 250,
    field_name: 250,
    field_value: 1000,
    fields: 25,
    footer: 200,
    label: 80,
    custom_id: 100,
    buttons: 25,
};

/// Modal limits: rows, title, label and placeholder (characters), value length.
const MODAL_ROWS: usize = 5;
const MODAL_TITLE: usize = 45;
const INPUT_LABEL: usize = 45;
const INPUT_PLACEHOLDER: usize = 100;
const INPUT_VALUE: usize = 4000;

/// What can never ping, written so it cannot (a zero-width space after the `@`).
const PINGS: [(&str, &str); 3] = [
    ("@everyone", "@\u{200b}everyone"),
    ("@here", "@\u{200b}here"),
    ("<@", "<\u{200b}@"),
];

/// A message with the reply.
pub fn message(reply: &Reply) -> CreateMessage {
    let mut m = CreateMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(allowed(reply));
    if let Some(c) = content(reply) {
        m = m.content(c);
    }
    if let Some(a) = attachment(reply) {
        m = m.add_file(a);
    }
    m
}

/// The reply as the answer to an interaction: private replies are ephemeral.
pub fn interaction(reply: &Reply) -> CreateInteractionResponseMessage {
    let mut m = CreateInteractionResponseMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(allowed(reply))
        .ephemeral(matches!(reply.destination, Destination::Private));
    if let Some(a) = attachment(reply) {
        m = m.add_file(a);
    }
    m
}

/// A form as a modal: one text input a field, its name as the input's id, so that the
/// values come back by name.
pub fn modal(form: &Form) -> CreateModal {
    let rows = form
        .fields
        .iter()
        .take(MODAL_ROWS)
        .map(|f| {
            let style = if f.long {
                InputTextStyle::Paragraph
            } else {
                InputTextStyle::Short
            };
            let max = f.max.clamp(1, INPUT_VALUE);
            let mut input = CreateInputText::new(style, clip(&f.label, INPUT_LABEL), &f.name)
                .required(f.required)
                .max_length(u16::try_from(max).unwrap_or(u16::MAX));
            if let Some(v) = &f.value {
                input = input.value(clip(v, max));
            }
            if let Some(p) = &f.placeholder {
                input = input.placeholder(clip(p, INPUT_PLACEHOLDER));
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    CreateModal::new(&form.id, clip(&form.title, MODAL_TITLE)).components(rows)
}

/// A reply after an interaction's answer, where the member acted: private when it is.
pub fn followup(reply: &Reply) -> CreateInteractionResponseFollowup {
    let mut m = CreateInteractionResponseFollowup::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(allowed(reply))
        .ephemeral(matches!(reply.destination, Destination::Private));
    if let Some(a) = attachment(reply) {
        m = m.add_file(a);
    }
    m
}

/// A short private acknowledgement, when the reply itself goes elsewhere.
pub fn acknowledgement() -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content("✅")
        .ephemeral(true)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// An earlier post replaced by the reply. An edit pings nobody.
pub fn edit(reply: &Reply) -> EditMessage {
    let mut e = EditMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(CreateAllowedMentions::new());
    if let Some(c) = content(reply) {
        e = e.content(c);
    }
    e
}

/// Plain text that pings nobody (the slow-down notice).
pub fn notice(reply: &Reply) -> CreateMessage {
    CreateMessage::new()
        .content(clip(&markdown(&reply.text), 2000))
        .allowed_mentions(CreateAllowedMentions::new())
}

/// The spans in Discord's Markdown: members and roles of Discord as mentions (that ping only
/// when allowed), what members typed escaped so it shows as typed.
pub fn markdown(text: &Text) -> String {
    let mut out = String::new();
    for span in text.spans() {
        match span {
            Span::Plain { text } => out.push_str(&defuse(text)),
            Span::Typed { text } => out.push_str(&defuse(&escape(text))),
            Span::User {
                platform: Platform::Discord,
                id,
            } => out.push_str(&format!("<@{id}>")),
            Span::Role {
                platform: Platform::Discord,
                id,
            } => out.push_str(&format!("<@&{id}>")),
            Span::User { id, .. } | Span::Role { id, .. } => out.push_str(&format!("@{id}")),
            Span::Link { url, label } if label == url => out.push_str(url),
            Span::Link { url, label } => {
                out.push_str(&format!("[{}]({url})", defuse(&escape(label))))
            }
            Span::Code { text } if text.contains('`') => {
                out.push_str(&format!("`` {} ``", defuse(text)))
            }
            Span::Code { text } => out.push_str(&format!("`{}`", defuse(text))),
            Span::Emphasis { text } => out.push_str(&format!("**{}**", defuse(&escape(text)))),
        }
    }
    out
}

/// `@everyone`, `@here` and `<@…>` written so they never ping (a zero-width space after the
/// `@`); the allowed mentions are the first defence, this the second.
fn defuse(text: &str) -> String {
    PINGS.iter().fold(text.to_string(), |t, (ping, defused)| {
        t.replace(ping, defused)
    })
}

/// What a member typed, with Discord's Markdown characters escaped. Underscores in web
/// addresses stay, so links keep working.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_link = false;
    let mut word_start = true;
    for (i, c) in text.char_indices() {
        if word_start {
            let rest = &text[i..];
            in_link = rest.starts_with("http://") || rest.starts_with("https://");
        }
        word_start = c.is_whitespace();
        let special =
            matches!(c, '\\' | '*' | '~' | '`' | '|' | '>' | '#') || (c == '_' && !in_link);
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn embed(reply: &Reply) -> CreateEmbed {
    let mut e = CreateEmbed::new().description(clip(&markdown(&reply.text), LIMITS.text));
    if let Some(t) = &reply.title {
        e = e.title(clip(&markdown(t), LIMITS.title));
    }
    for f in reply.fields.iter().take(LIMITS.fields) {
        e = e.field(
            clip(&defuse(&escape(&f.name)), LIMITS.field_name),
            clip(&markdown(&f.value), LIMITS.field_value),
            false,
        );
    }
    if !reply.ok {
        e = e.colour(0xd9_48_3b);
    }
    if let Some(c) = reply.citations.first() {
        e = e.footer(CreateEmbedFooter::new(clip(&c.doc, LIMITS.footer)));
    }
    e
}

fn components(reply: &Reply) -> Vec<CreateActionRow> {
    let buttons: Vec<CreateButton> = reply
        .buttons
        .iter()
        .filter(|b| b.id.len() <= LIMITS.custom_id)
        .take(LIMITS.buttons)
        .map(|b| {
            CreateButton::new(b.id.clone())
                .label(clip(&b.label, LIMITS.label))
                .style(match b.style {
                    ButtonStyle::Primary => serenity::all::ButtonStyle::Primary,
                    ButtonStyle::Secondary => serenity::all::ButtonStyle::Secondary,
                    ButtonStyle::Success => serenity::all::ButtonStyle::Success,
                    ButtonStyle::Danger => serenity::all::ButtonStyle::Danger,
                })
        })
        .collect();
    buttons
        .chunks(5)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

fn ids<T: From<u64>>(values: &[String]) -> Vec<T> {
    values
        .iter()
        .filter_map(|v| v.parse::<u64>().ok())
        .map(T::from)
        .collect()
}

/// Who may be pinged: exactly the users and roles the reply names, never @everyone.
fn allowed(reply: &Reply) -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .users(ids::<UserId>(&reply.mention_users))
        .roles(ids::<RoleId>(&reply.mention_roles))
}

/// Text above the embed: the roles an announcement notifies, so that they ping.
fn content(reply: &Reply) -> Option<String> {
    let roles: Vec<String> = ids::<u64>(&reply.mention_roles)
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect();
    (!roles.is_empty()).then(|| roles.join(" "))
}

fn attachment(reply: &Reply) -> Option<CreateAttachment> {
    let a = reply.attachment.as_ref()?;
    Some(CreateAttachment::bytes(
        a.body.as_bytes().to_vec(),
        a.filename.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use commands::Button;
    use knowledge::Lang;
    use serde_json::Value;

    fn json(m: &CreateMessage) -> Value {
        serde_json::to_value(m).unwrap()
    }

    #[test]
    fn members_typed_text_never_pings_or_formats() {
        let text = Text::plain("Title: ")
            .and(Text::typed("**Night** @everyone <@123> @here"))
            .and(" by ")
            .and(Text::user(Platform::Discord, "42"))
            .and(" and ")
            .and(Text::user(Platform::Slack, "U1"))
            .and(" for ")
            .and(Text::role(Platform::Discord, "998877"));
        let md = markdown(&text);
        assert!(md.contains("\\*\\*Night\\*\\*"), "{md}");
        assert!(!md.contains("@everyone") && !md.contains("@here") && !md.contains("<@123>"));
        assert!(md.contains("<@42>") && md.contains("@U1") && md.contains("<@&998877>"));
        let mut reply = Reply::new(Lang::En, text);
        reply.mention_users = vec!["42".into()];
        let m = json(&message(&reply));
        assert_eq!(m["allowed_mentions"]["parse"], serde_json::json!([]));
        assert_eq!(m["allowed_mentions"]["users"], serde_json::json!(["42"]));
        assert_eq!(m["allowed_mentions"]["roles"], serde_json::json!([]));
    }

    #[test]
    fn code_emphasis_and_links() {
        let text = Text::code("event edit e1")
            .and(" ")
            .and(Text::emphasis("Volunteer"))
            .and(" ")
            .and(Text::link_or_typed("https://meet.example/a_b"))
            .and(" ")
            .and(Text::typed("snake_case"));
        assert_eq!(
            markdown(&text),
            "`event edit e1` **Volunteer** https://meet.example/a_b snake\\_case"
        );
    }

    #[test]
    fn announcements_ping_their_role_and_edits_ping_nobody() {
        let mut reply = Reply::new(Lang::En, Text::role(Platform::Discord, "7"));
        reply.mention_roles = vec!["7".into()];
        let m = json(&message(&reply));
        assert_eq!(m["content"], "<@&7>");
        assert_eq!(m["allowed_mentions"]["roles"], serde_json::json!(["7"]));
        let e = serde_json::to_value(edit(&reply)).unwrap();
        assert_eq!(e["allowed_mentions"]["roles"], serde_json::json!([]));
    }

    #[test]
    fn limits_hold() {
        let mut reply = Reply::new(Lang::En, "x".repeat(10_000)).title("T".repeat(400));
        for i in 0..40 {
            reply = reply.field(format!("f{i}"), "v".repeat(2000));
        }
        for i in 0..40 {
            reply.buttons.push(Button {
                id: format!("ask:{i}"),
                label: "L".repeat(120),
                style: ButtonStyle::Secondary,
            });
        }
        reply.buttons.push(Button {
            id: "x".repeat(101),
            label: "too long an id".into(),
            style: ButtonStyle::Primary,
        });
        let m = json(&message(&reply));
        let e = &m["embeds"][0];
        let chars = |v: &Value| v.as_str().unwrap().chars().count();
        assert!(chars(&e["description"]) <= LIMITS.text);
        assert!(chars(&e["title"]) <= LIMITS.title);
        let fields = e["fields"].as_array().unwrap();
        assert_eq!(fields.len(), LIMITS.fields);
        assert!(fields
            .iter()
            .all(|f| chars(&f["value"]) <= LIMITS.field_value));
        let rows = m["components"].as_array().unwrap();
        assert_eq!(rows.len(), 5, "25 buttons in rows of five");
        for row in rows {
            for b in row["components"].as_array().unwrap() {
                assert!(chars(&b["label"]) <= LIMITS.label);
                assert!(b["custom_id"].as_str().unwrap().len() <= LIMITS.custom_id);
            }
        }
    }

    #[test]
    fn a_form_is_a_modal_within_discords_limits() {
        let field = |name: &str, long, value: Option<String>| commands::FormField {
            name: name.into(),
            label: "L".repeat(60),
            keys: vec![name.into()],
            long,
            required: name == "title",
            value,
            placeholder: Some("p".repeat(150)),
            max: 5000,
        };
        let form = Form {
            id: "talk-form:edit:p1".into(),
            title: "Edit p1".into(),
            submit: "Save".into(),
            fields: vec![
                field("title", false, Some("Lambda".into())),
                field("abstract", true, Some("x".repeat(4500))),
                field("track", false, None),
                field("details", false, None),
                field("event", false, None),
                field("sixth", false, None),
            ],
        };
        let m = serde_json::to_value(modal(&form)).unwrap();
        assert_eq!(m["custom_id"], "talk-form:edit:p1");
        let rows = m["components"].as_array().unwrap();
        assert_eq!(rows.len(), 5, "{m:#}");
        let input = |i: usize| &rows[i]["components"][0];
        assert_eq!(input(0)["custom_id"], "title");
        assert_eq!(input(0)["style"], 1);
        assert_eq!(input(0)["required"], true);
        assert_eq!(input(0)["value"], "Lambda");
        assert_eq!(input(1)["style"], 2, "an abstract is a paragraph");
        assert_eq!(input(1)["max_length"], 4000);
        let chars = |v: &Value| v.as_str().unwrap().chars().count();
        assert!(chars(&input(1)["value"]) <= 4000);
        assert!(chars(&input(2)["label"]) <= 45 && chars(&input(2)["placeholder"]) <= 100);
    }

    #[test]
    fn refusals_are_red_and_private_replies_ephemeral() {
        let mut reply = Reply::private(Lang::En, "no");
        reply.ok = false;
        let i = serde_json::to_value(interaction(&reply)).unwrap();
        assert_eq!(i["flags"], 64);
        assert_eq!(i["embeds"][0]["color"], 0xd9_48_3b);
        let here = serde_json::to_value(interaction(&Reply::new(Lang::En, "yes"))).unwrap();
        assert!(here["flags"].is_null() || here["flags"] == 0, "{here}");
    }
}
