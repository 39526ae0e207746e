//! The talks commands as the parser, the slash commands, buttons and forms build them.

use crate::error::CmdError;
use crate::text::UserRef;

use super::error::TalkError;

/// What a speaker typed for a proposal; every part optional until checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalFields {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub track: Option<String>,
    pub level: Option<String>,
    pub language: Option<String>,
    pub duration: Option<String>,
    pub event: Option<String>,
}

impl ProposalFields {
    pub fn is_empty(&self) -> bool {
        *self == ProposalFields::default()
    }
}

/// What a track owner typed for a season's framework.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameworkFields {
    pub season: Option<String>,
    pub themes: Option<String>,
    pub cover: Option<String>,
    pub audience: Option<String>,
    pub language: Option<String>,
}

impl FrameworkFields {
    pub fn is_empty(&self) -> bool {
        *self == FrameworkFields::default()
    }
}

/// The forms a button (or an incomplete command) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Propose,
    Edit(String),
    Score(String),
    Veto(String),
    Decline(String),
    /// A veto of a deck.
    Reject(String),
    Deck(String),
    Publish(String),
}

impl FormKind {
    /// The button that asks for this form: where a reply cannot open it (a typed message on
    /// Discord or Slack), pressing it does.
    pub fn button(&self) -> String {
        let (kind, x) = match self {
            FormKind::Propose => return "talk:form:propose".into(),
            FormKind::Edit(x) => ("edit", x),
            FormKind::Score(x) => ("score", x),
            FormKind::Veto(x) => ("veto", x),
            FormKind::Decline(x) => ("decline", x),
            FormKind::Reject(x) => ("reject", x),
            FormKind::Deck(x) => ("deck", x),
            FormKind::Publish(x) => ("publish", x),
        };
        format!("talk:form:{kind}:{x}")
    }
}

/// Everything about tracks and talks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TalkCommand {
    Tracks,
    TrackAdd {
        id: String,
        name: Option<String>,
    },
    /// Names (`add`) or removes an owner.
    TrackOwner {
        track: String,
        user: UserRef,
        add: bool,
    },
    Publish {
        track: String,
        fields: FrameworkFields,
    },
    Framework {
        track: String,
    },
    Propose(ProposalFields),
    Mine,
    Show {
        id: String,
    },
    Edit {
        id: String,
        fields: ProposalFields,
    },
    Withdraw {
        id: String,
    },
    Review,
    Score {
        id: String,
        score: Option<String>,
        comment: Option<String>,
        share: Option<String>,
    },
    Veto {
        id: String,
        reason: Option<String>,
    },
    Lift {
        id: String,
    },
    Share {
        id: String,
        shared: Option<String>,
    },
    Deck {
        id: String,
        link: Option<String>,
    },
    Approve {
        id: String,
    },
    Reject {
        id: String,
        reason: Option<String>,
    },
    Ranking {
        event: String,
    },
    Accept {
        id: String,
        event: Option<String>,
    },
    Decline {
        id: String,
        reason: Option<String>,
    },
    Send {
        event: String,
    },
    Given {
        id: String,
    },
    Audit {
        id: Option<String>,
        limit: usize,
    },
    /// A button asking for a form to fill in.
    Form(FormKind),
}

impl TalkCommand {
    /// Its path in the registry, which says who may use it.
    pub fn path(&self) -> &'static str {
        use TalkCommand as T;
        match self {
            T::Tracks => "track list",
            T::TrackAdd { .. } => "track add",
            T::TrackOwner { add: true, .. } => "track owner",
            T::TrackOwner { add: false, .. } => "track unowner",
            T::Publish { .. } | T::Form(FormKind::Publish(_)) => "track publish",
            T::Framework { .. } => "talks framework",
            T::Propose(_) | T::Form(FormKind::Propose) => "talks propose",
            T::Mine => "talks mine",
            T::Show { .. } => "talks show",
            T::Edit { .. } | T::Form(FormKind::Edit(_)) => "talks edit",
            T::Withdraw { .. } => "talks withdraw",
            T::Review => "talks review",
            T::Score { .. } | T::Form(FormKind::Score(_)) => "talks score",
            T::Veto { .. } | T::Form(FormKind::Veto(_)) => "talks veto",
            T::Lift { .. } => "talks lift",
            T::Share { .. } => "talks share",
            T::Deck { .. } | T::Form(FormKind::Deck(_)) => "talks deck",
            T::Approve { .. } => "talks approve",
            T::Reject { .. } | T::Form(FormKind::Reject(_)) => "talks reject",
            T::Ranking { .. } => "talks ranking",
            T::Accept { .. } => "talks accept",
            T::Decline { .. } | T::Form(FormKind::Decline(_)) => "talks decline",
            T::Send { .. } => "talks send",
            T::Given { .. } => "talks given",
            T::Audit { .. } => "talks audit",
        }
    }

    /// The members it names.
    pub fn users(&self) -> Vec<&UserRef> {
        match self {
            TalkCommand::TrackOwner { user, .. } => vec![user],
            _ => Vec::new(),
        }
    }
}

/// A button id back into its command: `talk:accept:p3`, `talk:form:score:p3`.
pub fn parse_button(id: &str) -> Result<TalkCommand, CmdError> {
    let parts: Vec<&str> = id.splitn(4, ':').collect();
    let arg = |s: &str| s.to_string();
    use TalkCommand as T;
    Ok(match parts.as_slice() {
        ["talk", "form", "propose"] => T::Form(FormKind::Propose),
        ["talk", "form", kind, x] => T::Form(match *kind {
            "edit" => FormKind::Edit(arg(x)),
            "score" => FormKind::Score(arg(x)),
            "veto" => FormKind::Veto(arg(x)),
            "decline" => FormKind::Decline(arg(x)),
            "reject" => FormKind::Reject(arg(x)),
            "deck" => FormKind::Deck(arg(x)),
            "publish" => FormKind::Publish(arg(x)),
            _ => return Err(CmdError::UnknownButton),
        }),
        ["talk", "show", x] => T::Show { id: arg(x) },
        ["talk", "withdraw", x] => T::Withdraw { id: arg(x) },
        ["talk", "lift", x] => T::Lift { id: arg(x) },
        ["talk", "share", x] => T::Share {
            id: arg(x),
            shared: None,
        },
        ["talk", "approve", x] => T::Approve { id: arg(x) },
        ["talk", "accept", x] => T::Accept {
            id: arg(x),
            event: None,
        },
        ["talk", "send", x] => T::Send { event: arg(x) },
        ["talk", "ranking", x] => T::Ranking { event: arg(x) },
        ["talk", "given", x] => T::Given { id: arg(x) },
        ["talk", "review"] => T::Review,
        ["talk", "mine"] => T::Mine,
        _ => return Err(CmdError::UnknownButton),
    })
}

/// The command a filled-in form stands for: the form's id says which, and its fields are
/// the command's options (a proposal's "details" split into level, language and minutes).
pub fn form_command(id: &str, values: &[(String, String)]) -> Result<crate::Command, CmdError> {
    let parts: Vec<&str> = id.splitn(3, ':').collect();
    let (command, sub, fixed): (&str, &str, Vec<(&str, String)>) = match parts.as_slice() {
        ["talk-form", "propose"] => ("talks", "propose", vec![]),
        ["talk-form", kind, x] => {
            let x = x.to_string();
            match *kind {
                "edit" => ("talks", "edit", vec![("proposal", x)]),
                "score" => ("talks", "score", vec![("proposal", x)]),
                "veto" => ("talks", "veto", vec![("proposal", x)]),
                "decline" => ("talks", "decline", vec![("proposal", x)]),
                "reject" => ("talks", "reject", vec![("proposal", x)]),
                "deck" => ("talks", "deck", vec![("proposal", x)]),
                "publish" => ("track", "publish", vec![("track", x)]),
                _ => return Err(CmdError::Talk(TalkError::UnknownForm)),
            }
        }
        _ => return Err(CmdError::Talk(TalkError::UnknownForm)),
    };
    let mut options: Vec<(String, String)> =
        fixed.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    for (name, value) in values {
        if name == "details" {
            let super::words::Details {
                level,
                language,
                minutes,
            } = super::words::details(value).map_err(CmdError::Talk)?;
            for (k, v) in [
                ("level", level),
                ("language", language),
                ("duration", minutes),
            ] {
                if let Some(v) = v {
                    options.push((k.into(), v));
                }
            }
        } else if !value.trim().is_empty() {
            options.push((name.clone(), value.clone()));
        }
    }
    let inv = crate::registry::Invocation {
        command: command.into(),
        sub: Some(sub.into()),
        options,
    };
    let built = crate::registry::invoke(&inv)?;
    // A form always asks for the command, never for the form again.
    let empty = match &built {
        crate::Command::Talk(TalkCommand::Propose(f) | TalkCommand::Edit { fields: f, .. }) => {
            f.is_empty()
        }
        crate::Command::Talk(TalkCommand::Publish { fields, .. }) => fields.is_empty(),
        _ => false,
    };
    if empty {
        return Err(CmdError::Talk(TalkError::Missing { field: "title" }));
    }
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_read_back() {
        assert_eq!(
            parse_button("talk:form:score:p3").unwrap(),
            TalkCommand::Form(FormKind::Score("p3".into()))
        );
        assert_eq!(
            parse_button("talk:send:e1").unwrap(),
            TalkCommand::Send { event: "e1".into() }
        );
        for kind in [
            FormKind::Propose,
            FormKind::Edit("p1".into()),
            FormKind::Score("p1".into()),
            FormKind::Veto("p1".into()),
            FormKind::Decline("p1".into()),
            FormKind::Reject("p1".into()),
            FormKind::Deck("p1".into()),
            FormKind::Publish("serverless".into()),
        ] {
            assert_eq!(
                parse_button(&kind.button()).unwrap(),
                TalkCommand::Form(kind)
            );
        }
        assert!(parse_button("talk:form:explode:p1").is_err());
        assert!(parse_button("talk:nope").is_err());
    }
}
