//! The `commands` crate through its one entry point, [`commands::Commands::handle`]: every
//! command at every level, in every language, against a real store and the shipped knowledge
//! base. One test binary: the modules share one knowledge-base import and one link.

mod support;

mod asking;
mod badges;
mod concurrency;
mod events;
mod growth_path;
mod heroes;
mod journey;
mod language_and_input;
mod linking;
mod next_steps;
mod permissions;
mod program_calendar;
mod reminders;
mod rsvps;
mod series;
mod talks;
mod talks_board;
mod volunteers;
