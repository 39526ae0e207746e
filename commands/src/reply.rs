//! What a command gives back, independent of any platform. Front ends render it: an embed
//! with components on Discord, Block Kit on Slack, text in a terminal.

use knowledge::{Citation, Lang};
use serde::Serialize;

use crate::actor::Platform;
use crate::spans::Text;

/// Where a reply goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Destination {
    /// The conversation the command came from, visible to everyone there.
    Here,
    /// Only the person who acted (an ephemeral reply; a terminal prints it as usual).
    Private,
    /// The community's configured announcement channel on the actor's platform.
    Announcements,
    /// A direct message to this user.
    Direct { platform: Platform, user: String },
    /// Replaces an earlier post: the one recorded under this key (see
    /// [`crate::Commands::record_post`]).
    Update { key: String },
    /// A post in this channel of `platform`, whoever acted (a program milestone in the
    /// announcement channel, a welcome line).
    Channel { platform: Platform, channel: String },
    /// A new post in `channel` of `platform` that opens a thread named `name`, with
    /// `members` added to it; the front end records it under the reply's `post_key` (see
    /// [`crate::Commands::record_thread`]).
    Thread {
        platform: Platform,
        channel: String,
        name: String,
        members: Vec<String>,
    },
    /// A reply in the thread recorded under `key`.
    InThread { key: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

/// A button; pressing it sends `id` back through [`crate::Input::Press`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Button {
    pub id: String,
    pub label: String,
    pub style: ButtonStyle,
}

/// A file that goes with a reply (an iCalendar event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub body: String,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// False when the command was refused or failed; `error` then says why.
    pub ok: bool,
    #[serde(serialize_with = "lang_code")]
    pub lang: Lang,
    pub title: Option<Text>,
    pub text: Text,
    pub fields: Vec<Field>,
    pub citations: Vec<Citation>,
    pub buttons: Vec<Button>,
    /// Users this message may ping. Nothing else in it may.
    pub mention_users: Vec<String>,
    /// Roles (or Slack user groups) this message may ping.
    pub mention_roles: Vec<String>,
    pub destination: Destination,
    /// When set, the front end records where it posted this message under this key, so
    /// that a later [`Destination::Update`] can replace it.
    pub post_key: Option<String>,
    pub attachment: Option<Attachment>,
    /// A stable code for what went wrong (`denied`, `unknown_badge`, `bad_date`, …).
    pub error: Option<&'static str>,
    /// Set on the answer to a question: what the knowledge base made of it.
    #[serde(skip)]
    pub answer: Option<Answered>,
    /// Fields to fill in: a modal on Discord and Slack, `key: value` lines in the terminal.
    /// The text says the same for where a form cannot be shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<crate::forms::Form>,
    /// On the reply to the person who acted: whether what they did changed anything that is
    /// kept (false for lists, refusals and "nothing changed").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<bool>,
}

/// What the knowledge base made of a question, for front ends that show more than the
/// reply (`bot ask --json`).
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// It was answered (not declined, not refused).
    pub answered: bool,
    /// How much of the question the answer covers, 0..=1.
    pub score: f32,
    /// The related topics, whole (the buttons carry only their last heading).
    pub related: Vec<Citation>,
}

fn lang_code<S: serde::Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(lang.code())
}

impl Reply {
    pub fn new(lang: Lang, text: impl Into<Text>) -> Self {
        Reply {
            ok: true,
            lang,
            title: None,
            text: text.into(),
            fields: Vec::new(),
            citations: Vec::new(),
            buttons: Vec::new(),
            mention_users: Vec::new(),
            mention_roles: Vec::new(),
            destination: Destination::Here,
            post_key: None,
            attachment: None,
            error: None,
            answer: None,
            form: None,
            changed: None,
        }
    }

    pub fn private(lang: Lang, text: impl Into<Text>) -> Self {
        Reply::new(lang, text).to(Destination::Private)
    }

    pub fn to(mut self, destination: Destination) -> Self {
        self.destination = destination;
        self
    }

    pub fn title(mut self, title: impl Into<Text>) -> Self {
        self.title = Some(title.into());
        self
    }

    pub fn field(mut self, name: impl Into<String>, value: impl Into<Text>) -> Self {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    pub fn button(
        mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        style: ButtonStyle,
    ) -> Self {
        self.buttons.push(Button {
            id: id.into(),
            label: label.into(),
            style,
        });
        self
    }

    /// The whole message as plain text, the way a terminal shows it.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        if let Some(title) = &self.title {
            out.push_str(title);
            out.push('\n');
        }
        out.push_str(&self.text);
        let colon = if self.lang == Lang::Zh { "：" } else { ": " };
        for f in &self.fields {
            out.push_str(&format!("\n{}{colon}{}", f.name, f.value));
        }
        if !self.buttons.is_empty() {
            let buttons: Vec<String> = self
                .buttons
                .iter()
                .map(|b| format!("[{}] /press {}", b.label, b.id))
                .collect();
            out.push_str(&format!("\n{}", buttons.join("  ")));
        }
        if let Some(a) = &self.attachment {
            out.push_str(&format!("\n--- {} ---\n{}", a.filename, a.body));
        }
        out
    }
}

/// A change a front end mirrors on its platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Effect {
    /// Give the member the platform role mapped to this badge.
    BadgeGranted {
        platform: Platform,
        user: String,
        badge: &'static str,
    },
    /// Take the mapped platform role away.
    BadgeRevoked {
        platform: Platform,
        user: String,
        badge: &'static str,
    },
    /// Give the member this platform role (Discord role id, Slack user group id): the user
    /// group or city they chose.
    RoleGranted {
        platform: Platform,
        user: String,
        role: String,
    },
    /// Take this platform role away.
    RoleRevoked {
        platform: Platform,
        user: String,
        role: String,
    },
}

impl Effect {
    /// The platform the change is for.
    pub fn platform(&self) -> Platform {
        match self {
            Effect::BadgeGranted { platform, .. }
            | Effect::BadgeRevoked { platform, .. }
            | Effect::RoleGranted { platform, .. }
            | Effect::RoleRevoked { platform, .. } => *platform,
        }
    }
}

/// Everything one input produced: the reply to the actor first, then any posts, updates
/// and direct messages, and the platform changes to mirror.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
}

impl Response {
    pub fn one(reply: Reply) -> Self {
        Response {
            replies: vec![reply],
            effects: Vec::new(),
        }
    }

    /// Nothing to say (an event the bot only records).
    pub fn none() -> Self {
        Response {
            replies: Vec::new(),
            effects: Vec::new(),
        }
    }

    /// The reply to the person who acted.
    pub fn main(&self) -> &Reply {
        &self.replies[0]
    }

    pub fn and(mut self, reply: Reply) -> Self {
        self.replies.push(reply);
        self
    }

    pub fn effect(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }
}
