//! What the dashboard's Talks page shows its reader, decided here with the same rules the
//! chat commands use: the proposals waiting for a track owner's review (`talks review`), the
//! proposals for the events an organizer runs ranked as `talks ranking` ranks them, the
//! speaker's own (`talks mine`), and for admins every proposal. Scores are in a row only
//! when the reader may see them (the track's owners and admins). Every change the page
//! offers is still a registered command, which checks again.

use knowledge::Lang;

use super::lists::{decidable, ranked, waiting_review};
use super::model::{Person, Proposal};
use super::proposals::{talk_facts, View};
use crate::actor::{Actor, Level};
use crate::error::CmdError;
use crate::events::Event;
use crate::spans::Text;
use crate::{Commands, Ctx};

/// One proposal as the page may show it to its reader.
#[derive(Debug, Clone)]
pub struct TalkRow {
    pub id: String,
    pub title: String,
    pub speaker: Person,
    /// The track's name.
    pub track: String,
    /// Level, language and minutes: "intermediate (200) · pt · 30 min".
    pub facts: String,
    pub event: Option<String>,
    /// The day it was submitted, in the reader's language.
    pub submitted: String,
    /// The abstract, for those who judge it (track owners, organizers, admins).
    pub summary: Option<String>,
    /// Where it stands, as the reader may see it.
    pub stage: Text,
    pub reviews: usize,
    /// The mean score, only for the track's owners and admins.
    pub score: Option<f64>,
    /// The reader may accept or decline it now.
    pub decide: bool,
}

/// An event the reader organizes, with its proposals ranked.
#[derive(Debug, Clone)]
pub struct EventTalks {
    pub event: Event,
    pub ranked: Vec<TalkRow>,
    pub vetoed: usize,
    /// Decisions (and vetoes) waiting for `talks send`.
    pub to_send: usize,
}

/// Everything the Talks page shows one reader.
#[derive(Debug, Clone, Default)]
pub struct TalksBoard {
    /// The names of the tracks the reader owns: when there are any, they review.
    pub owned: Vec<String>,
    pub to_review: Vec<TalkRow>,
    pub events: Vec<EventTalks>,
    pub mine: Vec<TalkRow>,
    /// Every proposal, newest first; for admins only.
    pub all: Option<Vec<TalkRow>>,
}

impl Commands {
    /// The Talks page for `actor`, in `lang`.
    pub fn talks_board(&self, actor: &Actor, lang: Lang) -> Result<TalksBoard, CmdError> {
        let cx = Ctx {
            actor,
            lang,
            level: self.level(actor),
        };
        let all = self.proposals()?;
        let owned = self.owned_tracks(actor)?;
        let row = |p: &Proposal| self.talk_row(&cx, p);
        let to_review = waiting_review(actor, &owned, &all)
            .into_iter()
            .map(row)
            .collect::<Result<_, _>>()?;
        let mine = all
            .iter()
            .rev()
            .filter(|p| p.speaker.is(actor))
            .map(row)
            .collect::<Result<_, _>>()?;
        let all_rows = if cx.level == Level::Admin {
            Some(all.iter().rev().map(row).collect::<Result<_, _>>()?)
        } else {
            None
        };
        Ok(TalksBoard {
            owned: owned.into_iter().map(|t| t.name).collect(),
            to_review,
            events: self.organized_talks(&cx, &all)?,
            mine,
            all: all_rows,
        })
    }

    /// The events with proposals that the reader organizes (all of them for an admin),
    /// soonest first, each with its proposals ranked.
    fn organized_talks(&self, cx: &Ctx, all: &[Proposal]) -> Result<Vec<EventTalks>, CmdError> {
        let mut ids: Vec<&str> = all.iter().filter_map(|p| p.event.as_deref()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            let Ok(event) = self.organized_event(cx, id) else {
                continue;
            };
            let (ranked, vetoed) = ranked(all, &event.id);
            let ranked = ranked
                .into_iter()
                .map(|p| self.talk_row(cx, p))
                .collect::<Result<_, _>>()?;
            out.push(EventTalks {
                to_send: self.to_send(all, &event.id).len(),
                event,
                ranked,
                vetoed,
            });
        }
        out.sort_by_key(|e| e.event.start);
        Ok(out)
    }

    /// One proposal as the reader sees it (`talks show` decides what they may see).
    fn talk_row(&self, cx: &Ctx, p: &Proposal) -> Result<TalkRow, CmdError> {
        let view = self.view_of(cx, p)?.unwrap_or(View::Public);
        let track = self.track(&p.track)?;
        Ok(TalkRow {
            id: p.id.clone(),
            title: p.title.clone(),
            speaker: p.speaker.clone(),
            track: track.name,
            facts: talk_facts(p, cx.lang),
            event: p.event.clone(),
            submitted: self.day(p.submitted, cx.lang),
            summary: (view != View::Public).then(|| p.summary.clone()),
            stage: self.stage_text(p, view, cx.lang),
            reviews: p.reviews.len(),
            score: if view == View::Reviewer {
                p.mean()
            } else {
                None
            },
            decide: self.organizes(cx, p) && decidable(p),
        })
    }
}
