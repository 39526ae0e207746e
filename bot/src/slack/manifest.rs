//! `slack/manifest.yml`, the Slack app's manifest, made from the registry in `commands`:
//! every command word in every language is a slash command. `bot slack manifest` prints
//! it; a test fails when the committed file is not what this makes.

use commands::registry::{usage_of, Spec, COMMANDS};
use knowledge::Lang;

/// What comes before the slash commands.
const HEAD: &str = r##"# The Slack app the bot runs as. In https://api.slack.com/apps choose
# "Create New App" → "From an app manifest", pick the workspace and paste this file.
# It sets up Socket Mode (no public URL needed). For the HTTP Events API instead, set
# socket_mode_enabled to false and uncomment the request URLs, pointing them at the
# bot's [slack] listen address behind HTTPS.
#
# Made by `bot slack manifest` from the command registry (commands/src/registry.rs):
# edit the registry, not this file.
display_information:
  name: Community Bot
  description: Answers questions about the AWS community programs, keeps badges, announces events and calls for volunteers.
  background_color: "#232f3e"
features:
  app_home:
    home_tab_enabled: false
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  bot_user:
    display_name: community-bot
    always_online: true
  # Every command word in English, Chinese and Portuguese. should_escape makes Slack send
  # mentions as <@U123|name>, which the bot reads. For HTTP events, give each
  # url: https://bot.example.org/slack/commands
  slash_commands:
"##;

/// What comes after them.
const TAIL: &str = r##"oauth_config:
  scopes:
    bot:
      - app_mentions:read  # mentions of the bot
      - channels:history   # questions in public help channels
      - groups:history     # questions in private help channels
      - im:history         # direct messages to the bot
      - im:write           # reminders and waitlist news by direct message
      - chat:write         # answers, announcements, volunteer calls
      - files:write        # the check-in QR image, uploaded to the organizer's direct messages
      - commands           # the slash commands
      - users:read         # names, language and workspace-admin flags
      - usergroups:read    # admins and organizers named by user group
      - usergroups:write   # badges mirrored to user groups
      - channels:manage    # members added to the help desk for their handed-over question
      - groups:write       # the same in a private help desk
settings:
  event_subscriptions:
    # request_url: https://bot.example.org/slack/events
    bot_events:
      - app_mention
      - message.channels
      - message.groups
      - message.im
      - team_join          # the welcome, when [welcome] is on
  interactivity:
    is_enabled: true
    # request_url: https://bot.example.org/slack/interactions
  org_deploy_enabled: false
  socket_mode_enabled: true
  token_rotation_enabled: false
"##;

/// The manifest.
pub fn manifest() -> String {
    let mut out = HEAD.to_string();
    for spec in COMMANDS {
        for lang in Lang::ALL {
            for command in slash_names(spec, lang) {
                out.push_str(&format!("    - command: /{command}\n"));
                out.push_str(&format!(
                    "      description: {}\n",
                    quoted(spec.about[lang as usize])
                ));
                let hint = usage_hint(spec, lang);
                if !hint.is_empty() {
                    out.push_str(&format!("      usage_hint: {}\n", quoted(&hint)));
                }
                out.push_str("      should_escape: true\n");
            }
        }
    }
    out.push_str(TAIL);
    out
}

/// The Slack commands of a command in one language: its word there, and the same without
/// accents when it has them (`/próximo` and `/proximo`), so a keyboard without them works.
fn slash_names(spec: &Spec, lang: Lang) -> Vec<String> {
    let word = spec.word(lang);
    let plain = knowledge::analysis::fold(word);
    let mut names = vec![word.to_string()];
    if plain != word && spec.words[lang as usize].contains(&plain.as_str()) {
        names.push(plain);
    }
    names
}

/// What follows the command, in the words of `lang`: `list | grant @member BADGE …`.
fn usage_hint(spec: &Spec, lang: Lang) -> String {
    if spec.subs.is_empty() {
        return spec.args[lang as usize].to_string();
    }
    let top = spec.word(lang);
    spec.subs
        .iter()
        .map(|s| {
            let line = usage_of(spec, Some(s), lang);
            line.strip_prefix(top).unwrap_or(&line).trim().to_string()
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A YAML string: JSON's double-quoted strings are YAML too.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_manifest_is_the_one_the_registry_makes() {
        let committed = include_str!("../../../slack/manifest.yml");
        assert!(
            committed == manifest(),
            "slack/manifest.yml is out of date: run `cargo run -p bot -- slack manifest > slack/manifest.yml`"
        );
    }

    #[test]
    fn every_command_word_of_every_language_is_a_slash_command() {
        let m = manifest();
        for spec in COMMANDS {
            for lang in Lang::ALL {
                let line = format!("    - command: /{}\n", spec.word(lang));
                assert!(m.contains(&line), "{line}");
            }
        }
        assert!(m.contains("- command: /próximo\n") && m.contains("- command: /proximo\n"));
        assert!(m.contains("usage_hint: \"lista | conceder @membro SELO [categoria] [nota] | revogar @membro SELO [categoria]\""));
    }
}
