//! The lists the chat commands and the dashboard share, so that they cannot drift apart:
//! what waits for a track owner's review (`talks review`), and an event's proposals as its
//! organizer ranks them (`talks ranking`).

use super::model::{Outcome, Person, Proposal, Track};
use crate::actor::Actor;
use crate::error::CmdError;
use crate::Commands;

/// The proposals of the tracks in `owned` still waiting for `actor`'s review: open, not
/// vetoed, not yet scored by them; in order of submission (as `all` is).
pub(crate) fn waiting_review<'a>(
    actor: &Actor,
    owned: &[Track],
    all: &'a [Proposal],
) -> Vec<&'a Proposal> {
    let me = Person::of(actor);
    all.iter()
        .filter(|p| owned.iter().any(|t| t.id == p.track))
        .filter(|p| p.open() && p.veto.is_none() && p.review_by(&me).is_none())
        .collect()
}

impl Commands {
    /// The tracks `actor` owns.
    pub(crate) fn owned_tracks(&self, actor: &Actor) -> Result<Vec<Track>, CmdError> {
        Ok(self
            .tracks()?
            .into_iter()
            .filter(|t| self.owns(actor, t))
            .collect())
    }
}

/// The proposals for `event` as its organizer ranks them (best mean score first, unscored
/// last, ties by submission; withdrawn and vetoed ones left out), and how many were vetoed.
pub(crate) fn ranked<'a>(all: &'a [Proposal], event: &str) -> (Vec<&'a Proposal>, usize) {
    let for_it = |p: &&Proposal| p.event.as_deref() == Some(event) && p.withdrawn.is_none();
    let mut ranked: Vec<&Proposal> = all
        .iter()
        .filter(for_it)
        .filter(|p| {
            p.veto.is_none() && p.sent.as_ref().is_none_or(|s| s.outcome != Outcome::Vetoed)
        })
        .collect();
    ranked.sort_by(|a, b| {
        let (ma, mb) = (a.mean().unwrap_or(-1.0), b.mean().unwrap_or(-1.0));
        mb.total_cmp(&ma)
            .then(a.submitted.cmp(&b.submitted))
            .then(super::number(&a.id).cmp(&super::number(&b.id)))
    });
    let vetoed = all
        .iter()
        .filter(for_it)
        .filter(|p| p.veto.is_some())
        .count();
    (ranked, vetoed)
}

/// Whether the organizer may accept or decline `p` now: reviewed, no decision sent.
pub(crate) fn decidable(p: &Proposal) -> bool {
    p.sent.is_none() && !p.reviews.is_empty()
}
