//! The community-program knowledge base and question answering.
//!
//! Markdown documents (one folder per language) are split into sections by heading, analysed
//! and indexed in an embedded store (sled, behind the [`store::Store`] trait); a question is
//! analysed the same way, its language detected, and answered from the best section with a
//! short extract, the source and related topics, or declined when nothing fits.
//!
//! Not here: chat platforms, permissions or community commands (see the `commands` and `bot`
//! crates). Nothing in this crate knows about Discord, Slack or a terminal.

pub mod analysis;
pub mod encoding;
pub mod lang;
pub mod lexicon;
pub mod markdown;

pub use lang::Lang;
