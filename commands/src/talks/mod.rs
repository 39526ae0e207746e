//! Talk proposals, reviewed by track owners who hold a veto.
//!
//! Admins create content tracks and name their track owners (members holding the Track
//! Owner badge, or named in `[talks] track_owners`). A track owner publishes the season's
//! framework (themes, what a talk should cover, the audience), in one language or several.
//! Any member proposes a talk (title, abstract, track, level, language, minutes, and the
//! event it is for, if any), may edit it until review starts, and may withdraw it. Each
//! owner of the track scores it from 1 to 5 with a comment; any one of them may veto it
//! with a reason, which ends it unless the same owner lifts the veto. The event's organizer
//! sees the proposals ranked by score (vetoes left out; the scores themselves only the
//! track's owners and admins see), accepts or declines, and sends the decisions when ready:
//! each speaker is told by direct message in their language. An accepted speaker sends a
//! slide deck before its deadline (reminded three days and one day before); owners approve
//! it or veto it with a reason. Accepted talks appear in the event's announcement and
//! calendar file; a talk marked given counts towards the Speaker badge.
//!
//! Every step is in the talks audit log, written in the transaction that makes it, and
//! flushed before the reply. A speaker reads reviewers' comments only when the reviewer
//! marks them shareable.

mod board;
mod command;
mod decisions;
mod error;
mod forms;
mod lists;
mod model;
mod proposals;
mod review;
pub(crate) mod specs;
mod tracks;
mod words;

use std::collections::BTreeMap;

pub use board::{EventTalks, TalkRow, TalksBoard};
pub use command::{
    form_command, parse_button, FormKind, FrameworkFields, ProposalFields, TalkCommand,
};
pub use error::TalkError;
pub use model::{
    Decision, Deck, Framework, FrameworkText, Mark, Outcome, Person, Proposal, Review, Sent, Stage,
    TalkAudit, TalkLevel, Track, Veto,
};

use crate::actor::{Actor, Level, Platform};
use crate::error::CmdError;
use crate::reply::Response;
use crate::store::{Tx, TxResult, T};
use crate::text::key;
use crate::{Commands, Ctx};

/// `[talks]` in config.toml.
#[derive(Debug, Clone)]
pub struct TalksConfig {
    /// Members who may own a track without holding the Track Owner badge, per platform.
    pub track_owners: BTreeMap<Platform, Vec<String>>,
    /// How many days before its event an accepted talk's deck is due.
    pub deck_days_before: u32,
    /// How many days before the deck's deadline the speaker is reminded, each once.
    pub deck_reminder_days: Vec<u32>,
    /// Talks given after which admins see a suggestion to grant the Speaker badge.
    pub speaker_badge_after: u32,
}

impl Default for TalksConfig {
    fn default() -> Self {
        TalksConfig {
            track_owners: BTreeMap::new(),
            deck_days_before: 7,
            deck_reminder_days: vec![3, 1],
            speaker_badge_after: 1,
        }
    }
}

pub(crate) fn err(e: TalkError) -> CmdError {
    CmdError::Talk(e)
}

/// Aborts a transaction with a talks refusal.
pub(crate) fn abort<R>(e: TalkError) -> TxResult<R> {
    crate::store::abort(err(e))
}

impl Commands {
    pub(crate) fn talk(&self, cx: &Ctx, c: &TalkCommand) -> Result<Response, CmdError> {
        use TalkCommand as C;
        match c {
            C::Tracks => self.track_list(cx),
            C::TrackAdd { id, name } => self.track_add(cx, id, name.as_deref()),
            C::TrackOwner { track, user, add } => self.track_owner(cx, track, user, *add),
            C::Publish { track, fields } => self.track_publish(cx, track, fields),
            C::Framework { track } => self.track_framework(cx, track),
            C::Propose(fields) => self.talk_propose(cx, fields),
            C::Mine => self.talk_mine(cx),
            C::Show { id } => self.talk_show(cx, id),
            C::Edit { id, fields } => self.talk_edit(cx, id, fields),
            C::Withdraw { id } => self.talk_withdraw(cx, id),
            C::Review => self.talk_review(cx),
            C::Score {
                id,
                score,
                comment,
                share,
            } => self.talk_score(
                cx,
                id,
                score.as_deref(),
                comment.as_deref(),
                share.as_deref(),
            ),
            C::Veto { id, reason } => self.talk_veto(cx, id, reason.as_deref()),
            C::Lift { id } => self.talk_lift(cx, id),
            C::Share { id, shared } => self.talk_share(cx, id, shared.as_deref()),
            C::Deck { id, link } => self.talk_deck(cx, id, link.as_deref()),
            C::Approve { id } => self.talk_deck_approve(cx, id),
            C::Reject { id, reason } => self.talk_deck_reject(cx, id, reason.as_deref()),
            C::Ranking { event } => self.talk_ranking(cx, event),
            C::Accept { id, event } => self.talk_accept(cx, id, event.as_deref()),
            C::Decline { id, reason } => self.talk_decline(cx, id, reason.as_deref()),
            C::Send { event } => self.talk_send(cx, event),
            C::Given { id } => self.talk_given(cx, id),
            C::Audit { id, limit } => self.talk_audit(cx, id.as_deref(), *limit),
            C::Form(kind) => self.talk_form(cx, kind),
        }
    }

    // --- lookups and rights ---------------------------------------------------------------

    pub(crate) fn tracks(&self) -> Result<Vec<Track>, CmdError> {
        Ok(self
            .trees
            .scan::<Track>(T::Tracks, b"")?
            .into_iter()
            .map(|(_, t)| t)
            .collect())
    }

    pub(crate) fn track(&self, given: &str) -> Result<Track, CmdError> {
        let id = given.trim().to_lowercase();
        if let Some(t) = self.trees.get::<Track>(T::Tracks, id.as_bytes())? {
            return Ok(t);
        }
        // By name too ("Serverless" for `serverless`, "Data & ML").
        let want = crate::text::fold(given);
        let all = self.tracks()?;
        if let Some(t) = all
            .iter()
            .find(|t| crate::text::fold(&t.name) == want && !want.is_empty())
        {
            return Ok(t.clone());
        }
        Err(err(TalkError::UnknownTrack {
            given: given.chars().take(40).collect(),
            known: all
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }))
    }

    pub(crate) fn proposal(&self, given: &str) -> Result<Proposal, CmdError> {
        let id = given.trim().to_lowercase();
        self.trees
            .get::<Proposal>(T::Talks, id.as_bytes())?
            .ok_or_else(|| {
                err(TalkError::UnknownProposal {
                    given: given.chars().take(20).collect(),
                })
            })
    }

    pub(crate) fn proposals(&self) -> Result<Vec<Proposal>, CmdError> {
        let mut all: Vec<Proposal> = self
            .trees
            .scan::<Proposal>(T::Talks, b"")?
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        all.sort_by_key(|p| (p.submitted, number(&p.id)));
        Ok(all)
    }

    /// Whether a member may own a track: the Track Owner badge, or named in config.
    pub(crate) fn may_own(&self, platform: Platform, user: &str) -> bool {
        let named = self
            .config
            .talks
            .track_owners
            .get(&platform)
            .is_some_and(|ids| ids.iter().any(|u| u == user));
        named
            || self
                .trees
                .get::<crate::badges::Grant>(
                    T::Badges,
                    &key(&[platform.name(), user, "track-owner"]),
                )
                .ok()
                .flatten()
                .is_some()
    }

    /// An owner of `track` who may still own it.
    pub(crate) fn owns(&self, actor: &Actor, track: &Track) -> bool {
        track.owners.iter().any(|o| o.is(actor)) && self.may_own(actor.platform, &actor.user_id)
    }

    /// The proposal's track, and whether the actor owns it.
    pub(crate) fn owner_of(&self, actor: &Actor, p: &Proposal) -> Result<(Track, bool), CmdError> {
        let track = self.track(&p.track)?;
        let owns = self.owns(actor, &track);
        Ok((track, owns))
    }

    /// Refuses unless the actor owns the proposal's track.
    pub(crate) fn must_own(&self, cx: &Ctx, p: &Proposal) -> Result<Track, CmdError> {
        let (track, owns) = self.owner_of(cx.actor, p)?;
        if !owns {
            return Err(err(TalkError::NotOwner { track: track.name }));
        }
        Ok(track)
    }

    /// The organizer of the proposal's event, or an admin.
    pub(crate) fn organizes(&self, cx: &Ctx, p: &Proposal) -> bool {
        if cx.level == Level::Admin {
            return true;
        }
        p.event
            .as_deref()
            .and_then(|e| self.event(e).ok())
            .is_some_and(|e| e.platform == cx.actor.platform && e.organizer == cx.actor.user_id)
    }
}

/// Talks commands carry long texts (an abstract, a framework): one typed as a command is
/// read as one up to this many characters, so that a too-long field is named and refused
/// rather than the whole message taken for a question.
pub const MAX_COMMAND_CHARS: usize = 64 * 1024;

/// Whether a message over the usual input limit is a talks command to read anyway.
pub fn reads_long(text: &str) -> bool {
    let t = text.trim_start();
    let Some(body) = t.strip_prefix(['/', '!']) else {
        return false;
    };
    let first = body.split_whitespace().next().unwrap_or("");
    text.chars().count() <= MAX_COMMAND_CHARS
        && crate::registry::command(first)
            .is_some_and(|(c, _)| c.name == "talks" || c.name == "track")
}

/// The number in an id (`p12` → 12), for ordering.
pub(crate) fn number(id: &str) -> u64 {
    id.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap_or(0)
}

/// Writes a line of the talks audit log, in the transaction that makes the change.
pub(crate) fn audit(
    tx: &Tx,
    at: i64,
    by: &Person,
    action: &str,
    target: &str,
    detail: Option<String>,
) -> TxResult<()> {
    let seq = tx.next("talk-audit")?;
    let entry = TalkAudit {
        v: model::VERSION,
        at,
        by: by.clone(),
        action: action.to_string(),
        target: target.to_string(),
        detail,
    };
    tx.put(T::TalkAudit, &seq.to_be_bytes(), &entry)
}
