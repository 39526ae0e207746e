//! Block Kit validation, the limits Slack enforces on messages (`invalid_blocks`).
//!
//! Errors are phrased like Slack's: `"must be less than 151 characters
//! [json-pointer:/blocks/0/text/text]"`.

use std::collections::HashSet;

use serde_json::Value;

/// Block types Slack accepts in messages.
const KNOWN: &[&str] = &[
    "section",
    "actions",
    "context",
    "divider",
    "header",
    "rich_text",
    "image",
    "markdown",
    "input",
    "file",
    "video",
    "table",
];

/// Validates a message's `blocks`; the errors (empty when valid).
pub(crate) fn validate(blocks: &Value) -> Vec<String> {
    let mut v = Validator::default();
    let Some(list) = blocks.as_array() else {
        v.err("/blocks", "must be an array");
        return v.errors;
    };
    if list.len() > 50 {
        v.err("/blocks", "no more than 50 items allowed");
    }
    let mut block_ids = HashSet::new();
    for (i, block) in list.iter().enumerate() {
        let at = format!("/blocks/{i}");
        if !block.is_object() {
            v.err(&at, "must be an object");
            continue;
        }
        if let Some(id) = block.get("block_id") {
            match id.as_str() {
                Some(s) if s.chars().count() > 255 => v.err(
                    &format!("{at}/block_id"),
                    "must be less than 256 characters",
                ),
                Some(s) if !block_ids.insert(s.to_string()) => v.err(
                    &format!("{at}/block_id"),
                    &format!("duplicate block_id {s:?}"),
                ),
                Some(_) => {}
                None => v.err(&format!("{at}/block_id"), "must be a string"),
            }
        }
        let Some(kind) = block["type"].as_str() else {
            v.err(&format!("{at}/type"), "must provide a type");
            continue;
        };
        if !KNOWN.contains(&kind) {
            v.err(&format!("{at}/type"), &format!("unsupported type: {kind}"));
            continue;
        }
        v.block(kind, block, &at);
    }
    v.errors
}

#[derive(Default)]
struct Validator {
    errors: Vec<String>,
    action_ids: HashSet<String>,
}

impl Validator {
    fn err(&mut self, at: &str, msg: &str) {
        self.errors.push(format!("{msg} [json-pointer:{at}]"));
    }

    fn block(&mut self, kind: &str, b: &Value, at: &str) {
        match kind {
            "section" => {
                let has_text = !b["text"].is_null();
                let has_fields = !b["fields"].is_null();
                if !has_text && !has_fields {
                    self.err(at, "must provide either text or fields");
                }
                if has_text {
                    self.text(&b["text"], &format!("{at}/text"), 3000, false);
                }
                if has_fields {
                    match b["fields"].as_array() {
                        Some(fields) => {
                            if fields.len() > 10 {
                                self.err(&format!("{at}/fields"), "no more than 10 items allowed");
                            }
                            if fields.is_empty() {
                                self.err(&format!("{at}/fields"), "must provide at least 1 item");
                            }
                            for (i, f) in fields.iter().enumerate() {
                                self.text(f, &format!("{at}/fields/{i}"), 2000, false);
                            }
                        }
                        None => self.err(&format!("{at}/fields"), "must be an array"),
                    }
                }
                if let Some(acc) = b.get("accessory").filter(|a| !a.is_null()) {
                    self.element(acc, &format!("{at}/accessory"));
                }
            }
            "header" => {
                if b["text"].is_null() {
                    self.err(&format!("{at}/text"), "must provide an object");
                } else {
                    self.text(&b["text"], &format!("{at}/text"), 150, true);
                }
            }
            "actions" => match b["elements"].as_array() {
                Some(els) => {
                    if els.is_empty() {
                        self.err(&format!("{at}/elements"), "must provide at least 1 item");
                    }
                    if els.len() > 25 {
                        self.err(&format!("{at}/elements"), "no more than 25 items allowed");
                    }
                    for (i, e) in els.iter().enumerate() {
                        self.element(e, &format!("{at}/elements/{i}"));
                    }
                }
                None => self.err(&format!("{at}/elements"), "must provide an array"),
            },
            "context" => match b["elements"].as_array() {
                Some(els) => {
                    if els.is_empty() {
                        self.err(&format!("{at}/elements"), "must provide at least 1 item");
                    }
                    if els.len() > 10 {
                        self.err(&format!("{at}/elements"), "no more than 10 items allowed");
                    }
                    for (i, e) in els.iter().enumerate() {
                        let eat = format!("{at}/elements/{i}");
                        match e["type"].as_str() {
                            Some("image") => self.image(e, &eat),
                            Some("plain_text" | "mrkdwn") => self.text(e, &eat, 3000, false),
                            _ => self.err(
                                &format!("{eat}/type"),
                                "must be image, plain_text or mrkdwn",
                            ),
                        }
                    }
                }
                None => self.err(&format!("{at}/elements"), "must provide an array"),
            },
            "rich_text" if !b["elements"].is_array() => {
                self.err(&format!("{at}/elements"), "must provide an array");
            }
            "image" => self.image(b, at),
            "markdown" => match b["text"].as_str() {
                Some(t) if t.chars().count() > 12000 => {
                    self.err(&format!("{at}/text"), "must be less than 12001 characters")
                }
                Some(_) => {}
                None => self.err(&format!("{at}/text"), "must provide a string"),
            },
            _ => {}
        }
    }

    /// A text object: `plain_text` or `mrkdwn` (only `plain_text` when `plain_only`), with
    /// 1..=max characters.
    fn text(&mut self, t: &Value, at: &str, max: usize, plain_only: bool) {
        let kind = t["type"].as_str();
        match kind {
            Some("plain_text") => {}
            Some("mrkdwn") if !plain_only => {}
            Some(other) => {
                let allowed = if plain_only {
                    "plain_text"
                } else {
                    "plain_text or mrkdwn"
                };
                self.err(
                    &format!("{at}/type"),
                    &format!("must be {allowed}, not {other}"),
                );
                return;
            }
            None => {
                self.err(&format!("{at}/type"), "must provide a text object type");
                return;
            }
        }
        match t["text"].as_str() {
            Some(s) => {
                let n = s.chars().count();
                if n == 0 {
                    self.err(&format!("{at}/text"), "must be more than 0 characters");
                } else if n > max {
                    self.err(
                        &format!("{at}/text"),
                        &format!("must be less than {} characters", max + 1),
                    );
                }
            }
            None => self.err(&format!("{at}/text"), "must provide a string"),
        }
    }

    fn image(&mut self, e: &Value, at: &str) {
        if e["image_url"].as_str().is_none() && e["slack_file"].is_null() {
            self.err(at, "must provide either image_url or slack_file");
        }
        match e["alt_text"].as_str() {
            Some(a) if a.chars().count() > 2000 => self.err(
                &format!("{at}/alt_text"),
                "must be less than 2001 characters",
            ),
            Some(_) => {}
            None => self.err(&format!("{at}/alt_text"), "must provide a string"),
        }
    }

    /// An interactive element (actions element or section accessory).
    fn element(&mut self, e: &Value, at: &str) {
        let Some(kind) = e["type"].as_str() else {
            self.err(&format!("{at}/type"), "must provide a type");
            return;
        };
        if let Some(id) = e.get("action_id") {
            match id.as_str() {
                Some("") => self.err(&format!("{at}/action_id"), "must be more than 0 characters"),
                Some(s) if s.chars().count() > 255 => self.err(
                    &format!("{at}/action_id"),
                    "must be less than 256 characters",
                ),
                Some(s) if !self.action_ids.insert(s.to_string()) => self.err(
                    &format!("{at}/action_id"),
                    &format!("duplicate action_id {s:?}"),
                ),
                Some(_) => {}
                None => self.err(&format!("{at}/action_id"), "must be a string"),
            }
        }
        match kind {
            "button" => {
                if e["text"].is_null() {
                    self.err(&format!("{at}/text"), "must provide an object");
                } else {
                    self.text(&e["text"], &format!("{at}/text"), 75, true);
                }
                if let Some(v) = e.get("value") {
                    match v.as_str() {
                        Some(s) if s.chars().count() > 2000 => {
                            self.err(&format!("{at}/value"), "must be less than 2001 characters")
                        }
                        Some(_) => {}
                        None => self.err(&format!("{at}/value"), "must be a string"),
                    }
                }
                if let Some(u) = e.get("url") {
                    match u.as_str() {
                        Some(s) if s.chars().count() > 3000 => {
                            self.err(&format!("{at}/url"), "must be less than 3001 characters")
                        }
                        Some(_) => {}
                        None => self.err(&format!("{at}/url"), "must be a string"),
                    }
                }
                if let Some(style) = e.get("style") {
                    if !matches!(style.as_str(), Some("primary" | "danger")) {
                        self.err(
                            &format!("{at}/style"),
                            "must be one of the allowed values: primary, danger",
                        );
                    }
                }
            }
            "image" => self.image(e, at),
            "static_select" | "multi_static_select" => {
                let has_options = e["options"].as_array().is_some_and(|o| !o.is_empty());
                let has_groups = e["option_groups"].as_array().is_some_and(|o| !o.is_empty());
                if !has_options && !has_groups {
                    self.err(at, "must provide either options or option_groups");
                }
                if e["options"].as_array().is_some_and(|o| o.len() > 100) {
                    self.err(&format!("{at}/options"), "no more than 100 items allowed");
                }
            }
            "overflow" => match e["options"].as_array() {
                Some(o) if o.len() < 2 || o.len() > 5 => self.err(
                    &format!("{at}/options"),
                    "must provide between 2 and 5 items",
                ),
                Some(_) => {}
                None => self.err(&format!("{at}/options"), "must provide an array"),
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn button(text: &str, id: &str) -> Value {
        json!({"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": id})
    }

    #[test]
    fn valid_blocks_pass() {
        let blocks = json!([
            {"type": "header", "text": {"type": "plain_text", "text": "Hi"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "*x*"}},
            {"type": "divider"},
            {"type": "actions", "elements": [button("A", "a"), button("B", "b")]},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}]},
        ]);
        assert_eq!(validate(&blocks), Vec::<String>::new());
    }

    #[test]
    fn limits_are_enforced() {
        let long = "x".repeat(76);
        let blocks = json!([
            {"type": "header", "text": {"type": "mrkdwn", "text": "Hi"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "y".repeat(3001)}},
            {"type": "actions", "elements": [button(&long, "a"), button("B", "a")]},
            {"type": "bogus"},
            {"type": "section"},
        ]);
        let errors = validate(&blocks);
        assert_eq!(
            errors,
            vec![
                "must be plain_text, not mrkdwn [json-pointer:/blocks/0/text/type]",
                "must be less than 3001 characters [json-pointer:/blocks/1/text/text]",
                "must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]",
                "duplicate action_id \"a\" [json-pointer:/blocks/2/elements/1/action_id]",
                "unsupported type: bogus [json-pointer:/blocks/3/type]",
                "must provide either text or fields [json-pointer:/blocks/4]",
            ]
        );
        let many: Vec<Value> = (0..51).map(|_| json!({"type": "divider"})).collect();
        assert_eq!(
            validate(&json!(many)),
            vec!["no more than 50 items allowed [json-pointer:/blocks]"]
        );
    }
}
