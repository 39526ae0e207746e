//! What the talks module keeps: tracks with their owners and framework, proposals with
//! their reviews, veto, decision and deck, and its audit log. Records are JSON with a
//! version; every field added after the first version has a default, so older records
//! read as they were.

use std::collections::BTreeMap;

use knowledge::Lang;
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Platform};

/// The version records are written with.
pub const VERSION: u32 = 1;

fn version() -> u32 {
    VERSION
}

/// A member, by platform and id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Person {
    pub platform: Platform,
    pub user: String,
}

impl Person {
    pub fn of(actor: &Actor) -> Person {
        Person {
            platform: actor.platform,
            user: actor.user_id.clone(),
        }
    }

    pub fn is(&self, actor: &Actor) -> bool {
        self.platform == actor.platform && self.user == actor.user_id
    }
}

/// A content track (Serverless, Data, Security) and the track owners who review for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Track {
    #[serde(default = "version")]
    pub v: u32,
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub owners: Vec<Person>,
    #[serde(default)]
    pub framework: Option<Framework>,
    pub created_by: Person,
    pub created: i64,
}

/// What a track looks for in a season, as its owners wrote it, in one or more languages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Framework {
    pub season: String,
    /// By language code (`en`, `zh`, `pt`).
    pub texts: BTreeMap<String, FrameworkText>,
    pub by: Person,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkText {
    pub themes: String,
    /// What a talk should cover.
    pub cover: String,
    /// The audience level it is for.
    pub audience: String,
}

/// The audience level of a talk, on AWS's 100–400 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TalkLevel {
    Introductory,
    Intermediate,
    Advanced,
    Expert,
}

impl TalkLevel {
    pub const ALL: [TalkLevel; 4] = [
        TalkLevel::Introductory,
        TalkLevel::Intermediate,
        TalkLevel::Advanced,
        TalkLevel::Expert,
    ];

    pub fn id(self) -> &'static str {
        match self {
            TalkLevel::Introductory => "introductory",
            TalkLevel::Intermediate => "intermediate",
            TalkLevel::Advanced => "advanced",
            TalkLevel::Expert => "expert",
        }
    }

    /// 100, 200, 300, 400.
    pub fn number(self) -> u32 {
        100 * (self as u32 + 1)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let names: [&str; 3] = match self {
            TalkLevel::Introductory => ["introductory", "入门", "introdutório"],
            TalkLevel::Intermediate => ["intermediate", "中级", "intermediário"],
            TalkLevel::Advanced => ["advanced", "高级", "avançado"],
            TalkLevel::Expert => ["expert", "专家", "especialista"],
        };
        names[lang as usize]
    }

    /// Other ways it is written, folded.
    pub(crate) fn aliases(self) -> &'static [&'static str] {
        match self {
            TalkLevel::Introductory => &["beginner", "basic", "初级", "iniciante", "basico"],
            TalkLevel::Intermediate => &["medium", "intermediario", "intermedio"],
            TalkLevel::Advanced => &["avancado"],
            TalkLevel::Expert => &["deepdive", "especialista"],
        }
    }
}

/// One track owner's review of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub by: Person,
    /// 1 to 5.
    pub score: u8,
    pub comment: String,
    /// The speaker may read the comment.
    #[serde(default)]
    pub shareable: bool,
    pub at: i64,
}

/// A veto: of a proposal, or of its slide deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Veto {
    pub by: Person,
    pub reason: String,
    pub at: i64,
    /// When the speaker was told.
    #[serde(default)]
    pub told: Option<i64>,
}

/// What the organizer decided, held until they send their decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Decision {
    Accept { by: Person, at: i64 },
    Decline { by: Person, at: i64, reason: String },
}

/// What the speaker was told, once decisions were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Accepted,
    Declined,
    Vetoed,
}

/// The decision as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    pub outcome: Outcome,
    /// The organizer's reason for a decline, the track owner's for a veto.
    #[serde(default)]
    pub reason: Option<String>,
    pub by: Person,
    pub at: i64,
}

/// An approval of a deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub by: Person,
    pub at: i64,
}

/// The slide deck of an accepted talk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck {
    pub url: String,
    pub at: i64,
    /// Sent after the deadline.
    #[serde(default)]
    pub late: bool,
    #[serde(default)]
    pub approved: Option<Mark>,
    #[serde(default)]
    pub veto: Option<Veto>,
}

/// A talk proposal and everything that happened to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Proposal {
    #[serde(default = "version")]
    pub v: u32,
    pub id: String,
    pub speaker: Person,
    /// The speaker's name when they proposed it.
    pub speaker_name: String,
    /// The language the speaker writes to the bot in: their messages come in it.
    pub speaker_lang: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub summary: String,
    pub track: String,
    pub level: TalkLevel,
    /// The language the talk is given in (`en`, `zh`, `pt`).
    pub language: String,
    /// Minutes.
    pub duration: u32,
    #[serde(default)]
    pub event: Option<String>,
    pub submitted: i64,
    #[serde(default)]
    pub edited: Option<i64>,
    #[serde(default)]
    pub withdrawn: Option<i64>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// A track owner has scored or vetoed it: the speaker may no longer edit it.
    #[serde(default)]
    pub review_started: bool,
    #[serde(default)]
    pub veto: Option<Veto>,
    #[serde(default)]
    pub pending: Option<Decision>,
    #[serde(default)]
    pub sent: Option<Sent>,
    #[serde(default)]
    pub deck_due: Option<i64>,
    #[serde(default)]
    pub deck: Option<Deck>,
    #[serde(default)]
    pub given: Option<i64>,
}

/// Where a proposal stands, as the speaker may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for a first review; the speaker may still edit it.
    Submitted,
    InReview,
    Withdrawn,
    Accepted,
    Declined(Option<String>),
    Vetoed(String),
    Given,
}

impl Proposal {
    pub fn lang(&self) -> Lang {
        lang_of(&self.speaker_lang)
    }

    /// Still open to reviews and decisions: not withdrawn, and no decision sent.
    pub fn open(&self) -> bool {
        self.withdrawn.is_none() && self.sent.is_none()
    }

    pub fn accepted(&self) -> bool {
        self.withdrawn.is_none()
            && self
                .sent
                .as_ref()
                .is_some_and(|s| s.outcome == Outcome::Accepted)
    }

    /// The mean score, when it has reviews.
    pub fn mean(&self) -> Option<f64> {
        if self.reviews.is_empty() {
            return None;
        }
        let sum: u32 = self.reviews.iter().map(|r| u32::from(r.score)).sum();
        Some(f64::from(sum) / self.reviews.len() as f64)
    }

    pub fn review_by(&self, who: &Person) -> Option<&Review> {
        self.reviews.iter().find(|r| r.by == *who)
    }

    /// Where it stands for the speaker: a veto shows once the speaker has been told.
    pub fn stage(&self) -> Stage {
        if self.withdrawn.is_some() {
            return Stage::Withdrawn;
        }
        if let Some(s) = &self.sent {
            return match s.outcome {
                Outcome::Accepted if self.given.is_some() => Stage::Given,
                Outcome::Accepted => Stage::Accepted,
                Outcome::Declined => Stage::Declined(s.reason.clone()),
                Outcome::Vetoed => Stage::Vetoed(s.reason.clone().unwrap_or_default()),
            };
        }
        if let Some(v) = self.veto.as_ref().filter(|v| v.told.is_some()) {
            return Stage::Vetoed(v.reason.clone());
        }
        if self.review_started {
            Stage::InReview
        } else {
            Stage::Submitted
        }
    }

    /// The deck is still wanted: accepted, not given, and none sent that stands.
    pub fn deck_wanted(&self) -> bool {
        self.accepted()
            && self.given.is_none()
            && self.deck.as_ref().is_none_or(|d| d.veto.is_some())
    }

    pub fn post_key(&self) -> String {
        format!("talk:{}", self.id)
    }
}

pub fn lang_of(code: &str) -> Lang {
    Lang::ALL
        .into_iter()
        .find(|l| l.code() == code)
        .unwrap_or(Lang::En)
}

/// One line of the talks audit log: who did what to which proposal or track.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TalkAudit {
    #[serde(default = "version")]
    pub v: u32,
    pub at: i64,
    pub by: Person,
    /// `propose`, `edit`, `withdraw`, `score`, `veto`, `lift`, `share`, `deck`,
    /// `deck-approve`, `deck-veto`, `accept`, `decline`, `send`, `given`, `track-add`,
    /// `owner-add`, `owner-remove`, `framework`.
    pub action: String,
    /// The proposal or track.
    pub target: String,
    #[serde(default)]
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_version_record_without_later_fields_reads() {
        let old = r#"{"id":"p1","speaker":{"platform":"terminal","user":"sam"},
            "speaker_name":"Sam","speaker_lang":"pt","title":"T","abstract":"A",
            "track":"serverless","level":"advanced","language":"pt","duration":30,
            "submitted":1}"#;
        let p: Proposal = serde_json::from_str(old).unwrap();
        assert_eq!(p.v, VERSION);
        assert_eq!(p.stage(), Stage::Submitted);
        assert!(p.reviews.is_empty() && p.open());
        assert_eq!(p.lang(), Lang::Pt);
        let track = r#"{"id":"data","name":"Data","created_by":{"platform":"slack","user":"U1"},"created":5}"#;
        let t: Track = serde_json::from_str(track).unwrap();
        assert!(t.owners.is_empty() && t.framework.is_none());
    }

    #[test]
    fn records_keep_unknown_fields_out_and_round_trip() {
        let p = Proposal {
            v: VERSION,
            id: "p2".into(),
            speaker: Person {
                platform: Platform::Discord,
                user: "42".into(),
            },
            speaker_name: "Ana".into(),
            speaker_lang: "zh".into(),
            title: "T".into(),
            summary: "A".into(),
            track: "data".into(),
            level: TalkLevel::Expert,
            language: "en".into(),
            duration: 45,
            event: Some("e1".into()),
            submitted: 3,
            edited: None,
            withdrawn: None,
            reviews: vec![],
            review_started: true,
            veto: None,
            pending: Some(Decision::Decline {
                by: Person {
                    platform: Platform::Discord,
                    user: "7".into(),
                },
                at: 4,
                reason: "full".into(),
            }),
            sent: None,
            deck_due: None,
            deck: None,
            given: None,
        };
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("\"abstract\":\"A\"") && json.contains("\"kind\":\"decline\""));
        let back: Proposal = serde_json::from_str(&json).unwrap();
        assert_eq!(back.pending, p.pending);
        assert_eq!(back.stage(), Stage::InReview);
    }
}
