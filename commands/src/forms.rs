//! Forms: a reply may ask for several fields at once (a talk proposal, a review). Discord
//! shows one as a modal, Slack as a modal view, and the terminal as `key: value` lines ended
//! by an empty line ([`Draft`]). Whatever shows it, the answer comes back as
//! [`crate::Input::Form`]: the form's id and each field's value by name, and is read by the
//! same builders as the typed and slash commands.
//!
//! The limits are the tighter of the two platforms': at most five fields (Discord), a title
//! of 24 characters (Slack), 3000 characters a field (Slack's text input).

use serde::Serialize;

use crate::text::fold;
use crate::Input;

/// Most fields a form may have (Discord's modals take five rows).
pub const MAX_FIELDS: usize = 5;
/// Longest title (Slack's modal title).
pub const MAX_TITLE: usize = 24;
/// Longest label (Discord's text input label).
pub const MAX_LABEL: usize = 45;
/// Longest value (Slack's plain-text input).
pub const MAX_VALUE: usize = 3000;
/// Longest placeholder (Discord).
pub const MAX_PLACEHOLDER: usize = 100;
/// Longest id, in bytes (Discord's custom id).
pub const MAX_ID: usize = 100;

/// A form to fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    /// Sent back with the values; says what the form is for.
    pub id: String,
    pub title: String,
    /// The label of the button that sends it.
    pub submit: String,
    pub fields: Vec<FormField>,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormField {
    /// The name its value comes back under.
    pub name: String,
    pub label: String,
    /// The keys a terminal user may type it with (`title`, `标题`, `título`).
    pub keys: Vec<String>,
    /// Several lines (an abstract) rather than one.
    pub long: bool,
    pub required: bool,
    /// What it holds already (an edit).
    pub value: Option<String>,
    pub placeholder: Option<String>,
    /// Most characters it takes.
    pub max: usize,
}

impl Form {
    /// The terminal's way to fill it in.
    pub fn draft(&self) -> Draft {
        let values = self
            .fields
            .iter()
            .filter_map(|f| Some((f.name.clone(), f.value.clone()?)))
            .collect();
        Draft {
            form: self.clone(),
            values,
            current: None,
            touched: false,
        }
    }

    fn field_of_key(&self, key: &str) -> Option<usize> {
        let want = fold(key);
        if want.is_empty() {
            return None;
        }
        self.fields.iter().position(|f| {
            fold(&f.name) == want
                || fold(&f.label) == want
                || f.keys.iter().any(|k| fold(k) == want)
        })
    }
}

/// A form being filled in line by line: `key: value` starts a field, a line without a key
/// goes on with the field before it, an empty line sends it, `/cancel` drops it.
#[derive(Debug, Clone)]
pub struct Draft {
    form: Form,
    values: Vec<(String, String)>,
    current: Option<usize>,
    touched: bool,
}

/// What one line did to a [`Draft`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    /// Taken; more may follow. The field it went to.
    More(String),
    /// The form is complete: run this.
    Done(Input),
    /// Dropped (`/cancel`).
    Cancelled,
    /// Not an answer to the form (the first line names no field): the form is dropped and
    /// the line is what it is.
    NotMine,
}

impl Draft {
    pub fn form(&self) -> &Form {
        &self.form
    }

    pub fn feed(&mut self, line: &str) -> Feed {
        let trimmed = line.trim();
        if trimmed.eq_ignore_ascii_case("/cancel") {
            return Feed::Cancelled;
        }
        if trimmed.is_empty() {
            if !self.touched {
                return Feed::NotMine;
            }
            return Feed::Done(Input::Form {
                id: self.form.id.clone(),
                values: std::mem::take(&mut self.values),
            });
        }
        let keyed = trimmed
            .split_once([':', '：'])
            .and_then(|(k, v)| Some((self.form.field_of_key(k.trim())?, v.trim())));
        match (keyed, self.current) {
            (Some((i, value)), _) => {
                let name = self.form.fields[i].name.clone();
                self.values.retain(|(n, _)| *n != name);
                self.values.push((name.clone(), value.to_string()));
                self.current = Some(i);
                self.touched = true;
                Feed::More(name)
            }
            (None, Some(i)) => {
                let name = self.form.fields[i].name.clone();
                if let Some((_, v)) = self.values.iter_mut().find(|(n, _)| *n == name) {
                    if !v.is_empty() {
                        v.push('\n');
                    }
                    v.push_str(line.trim_end());
                }
                Feed::More(name)
            }
            (None, None) => Feed::NotMine,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        let field = |name: &str, keys: &[&str], long| FormField {
            name: name.into(),
            label: name.to_uppercase(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            long,
            required: true,
            value: None,
            placeholder: None,
            max: 100,
        };
        Form {
            id: "talk-form:propose".into(),
            title: "Propose".into(),
            submit: "Send".into(),
            fields: vec![
                field("title", &["título", "标题"], false),
                field("abstract", &["resumo"], true),
            ],
        }
    }

    #[test]
    fn lines_fill_fields_and_an_empty_line_sends() {
        let mut d = form().draft();
        assert_eq!(
            d.feed("Título: Lambda at scale"),
            Feed::More("title".into())
        );
        assert_eq!(d.feed("resumo: first line"), Feed::More("abstract".into()));
        assert_eq!(d.feed("second: line"), Feed::More("abstract".into()));
        match d.feed("") {
            Feed::Done(Input::Form { id, values }) => {
                assert_eq!(id, "talk-form:propose");
                assert_eq!(
                    values,
                    [
                        ("title".to_string(), "Lambda at scale".to_string()),
                        (
                            "abstract".to_string(),
                            "first line\nsecond: line".to_string()
                        )
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_line_that_names_no_field_is_not_an_answer() {
        let mut d = form().draft();
        assert_eq!(d.feed("events"), Feed::NotMine);
        let mut d = form().draft();
        assert_eq!(d.feed(""), Feed::NotMine);
        let mut d = form().draft();
        d.feed("title: x");
        assert_eq!(d.feed("/cancel"), Feed::Cancelled);
    }
}
