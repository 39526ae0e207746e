//! The Discord and Slack emulators against the real client libraries the bot uses (serenity,
//! slack-morphism): whatever the emulators send must parse, and whatever the clients send must
//! be understood. One test binary for both.

mod discord;
mod slack;
