//! End-to-end tests: the real `bot` binary (the one Cargo builds for these tests, so there is
//! no second build of it) driven from the terminal, and served against the local Discord and
//! Slack emulators of the `tests` crate, checked by what a user, an operator or the platform
//! sees. One test binary for all of them.

mod commands;
mod crash;
mod discord;
mod events;
mod harden;
mod journey;
mod slack;
mod talks;
mod terminal;
mod web;

/// A bot in a scratch directory of its own, run from the binary built for these tests.
pub fn bot() -> tests::Bot {
    tests::Bot::with_binary(env!("CARGO_BIN_EXE_bot"))
}
