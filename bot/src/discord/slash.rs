//! Discord's slash commands, made from the registry in `commands`: names, descriptions and
//! options with their Chinese and Portuguese localizations (registered with `bot discord
//! register`), and the way back from an interaction's options to an [`Invocation`].

use std::collections::BTreeSet;

use anyhow::{Context as _, Result};
use commands::registry::{Kind, Opt, Spec, COMMANDS};
use commands::{Invocation, Level};
use knowledge::Lang;
use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandOptionType, CreateCommand,
    CreateCommandOption, GuildId, Permissions,
};

use super::events::{inbound, is_everyone};
use crate::config::DiscordConfig;

/// The Discord locales of the languages other than English.
const LOCALES: [(Lang, &str); 2] = [(Lang::Zh, "zh-CN"), (Lang::Pt, "pt-BR")];

/// The slash commands, as registered with `bot discord register`.
pub fn slash_commands() -> Vec<CreateCommand> {
    COMMANDS.iter().map(command).collect()
}

fn command(spec: &Spec) -> CreateCommand {
    let mut c = CreateCommand::new(spec.name).description(spec.about[0]);
    for (lang, locale) in LOCALES {
        c = c
            .name_localized(locale, spec.word(lang))
            .description_localized(locale, spec.about[lang as usize]);
    }
    // Hidden from members who cannot use any of it (server admins can change that).
    match spec.min_level() {
        Level::Admin => c = c.default_member_permissions(Permissions::MANAGE_ROLES),
        Level::Organizer => c = c.default_member_permissions(Permissions::MANAGE_EVENTS),
        Level::Member => {}
    }
    for sub in spec.subs {
        c = c.add_option(subcommand(sub));
    }
    for o in spec.options {
        c = c.add_option(option(o));
    }
    c
}

fn subcommand(spec: &Spec) -> CreateCommandOption {
    let mut s = CreateCommandOption::new(CommandOptionType::SubCommand, spec.name, spec.about[0]);
    for (lang, locale) in LOCALES {
        s = s
            .name_localized(locale, spec.word(lang))
            .description_localized(locale, spec.about[lang as usize]);
    }
    spec.options
        .iter()
        .fold(s, |s, o| s.add_sub_option(option(o)))
}

fn option(o: &Opt) -> CreateCommandOption {
    let kind = match o.kind {
        Kind::Text | Kind::Choice(_) => CommandOptionType::String,
        Kind::Integer { .. } => CommandOptionType::Integer,
        Kind::User => CommandOptionType::User,
        Kind::Role => CommandOptionType::Role,
    };
    let mut opt = CreateCommandOption::new(kind, o.name, o.about[0]).required(o.required);
    for (lang, locale) in LOCALES {
        opt = opt
            .name_localized(locale, o.word(lang))
            .description_localized(locale, o.about[lang as usize]);
    }
    match o.kind {
        Kind::Integer { min, max } => opt.min_int_value(min as u64).max_int_value(max as u64),
        Kind::Choice(choices) => choices().into_iter().fold(opt, |opt, c| {
            opt.add_string_choice_localized(
                c.names[Lang::En as usize],
                c.id,
                LOCALES.map(|(lang, locale)| (locale, c.names[lang as usize])),
            )
        }),
        _ => opt,
    }
}

/// An interaction's command and options as the registry reads them: members as `@id`,
/// roles as `@&id`, numbers as digits, and text with Discord's mentions in the same form.
///
/// The role of a server's own id (one of `guilds`) is @everyone: it is handed over as
/// `@everyone`, which is refused wherever a role is asked for.
pub fn invocation(
    name: &str,
    options: &[CommandDataOption],
    guilds: &BTreeSet<GuildId>,
) -> Invocation {
    let (sub, options) = match options.first() {
        Some(CommandDataOption {
            name,
            value: CommandDataOptionValue::SubCommand(inner),
            ..
        }) => (Some(name.clone()), inner.as_slice()),
        _ => (None, options),
    };
    Invocation {
        command: name.to_string(),
        sub,
        options: options
            .iter()
            .filter_map(|o| Some((o.name.clone(), value(&o.value, guilds)?)))
            .collect(),
    }
}

fn value(v: &CommandDataOptionValue, guilds: &BTreeSet<GuildId>) -> Option<String> {
    Some(match v {
        CommandDataOptionValue::String(s) => inbound(s, guilds),
        CommandDataOptionValue::Integer(n) => n.to_string(),
        CommandDataOptionValue::Number(n) => n.to_string(),
        CommandDataOptionValue::Boolean(b) => b.to_string(),
        CommandDataOptionValue::User(u) => format!("@{}", u.get()),
        CommandDataOptionValue::Role(r) if is_everyone(&r.get().to_string(), guilds) => {
            "@everyone".to_string()
        }
        CommandDataOptionValue::Role(r) => format!("@&{}", r.get()),
        CommandDataOptionValue::Mentionable(m) => format!("@{}", m.get()),
        CommandDataOptionValue::Channel(c) => c.get().to_string(),
        _ => return None,
    })
}

/// `bot discord register [--guild ID]`: replaces the bot's slash commands (so there are
/// never duplicates), in one server for testing or globally.
pub async fn register(token: &str, config: &DiscordConfig, guild: Option<u64>) -> Result<usize> {
    let http = super::http(token, config);
    let app = http
        .get_current_application_info()
        .await
        .context("reading the application")?;
    http.set_application_id(app.id);
    let set = match guild {
        Some(g) => {
            GuildId::new(g)
                .set_commands(&http, slash_commands())
                .await?
        }
        None => serenity::all::Command::set_global_commands(&http, slash_commands()).await?,
    };
    Ok(set.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn registered() -> Vec<Value> {
        slash_commands()
            .iter()
            .map(|c| serde_json::to_value(c).unwrap())
            .collect()
    }

    #[test]
    fn every_command_word_is_a_localized_slash_command() {
        let set = registered();
        assert_eq!(set.len(), COMMANDS.len());
        for spec in COMMANDS {
            let c = set.iter().find(|c| c["name"] == spec.name).unwrap();
            assert_eq!(c["name_localizations"]["zh-CN"], spec.word(Lang::Zh));
            assert_eq!(c["name_localizations"]["pt-BR"], spec.word(Lang::Pt));
            for sub in spec.subs {
                let s = c["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|o| o["name"] == sub.name)
                    .unwrap();
                assert_eq!(s["name_localizations"]["pt-BR"], sub.word(Lang::Pt));
            }
        }
        let kb = set.iter().find(|c| c["name"] == "kb").unwrap();
        assert_eq!(kb["name_localizations"]["pt-BR"], "base");
        let events = set.iter().find(|c| c["name"] == "events").unwrap();
        assert_eq!(events["name_localizations"]["zh-CN"], "活动");
        let event = set.iter().find(|c| c["name"] == "event").unwrap();
        assert_ne!(event["name_localizations"]["zh-CN"], "活动");
    }

    #[test]
    fn options_keep_their_types_and_choices() {
        let set = registered();
        let badge = set.iter().find(|c| c["name"] == "badge").unwrap();
        let grant = &badge["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "grant")
            .unwrap()["options"];
        assert_eq!(grant[0]["name"], "member");
        assert_eq!(grant[0]["type"], 6);
        assert_eq!(grant[0]["required"], true);
        let choices = grant[1]["choices"].as_array().unwrap();
        assert!(choices.iter().any(|c| c["value"] == "community-builder"));
        let audit = set.iter().find(|c| c["name"] == "audit").unwrap();
        assert_ne!(audit["default_member_permissions"], Value::Null);
        let limit = &audit["options"][1];
        assert_eq!(
            (limit["type"].clone(), limit["max_value"].clone()),
            (json!(4), json!(200))
        );
        assert_eq!(
            set.iter().find(|c| c["name"] == "announce").unwrap()["default_member_permissions"],
            Permissions::MANAGE_EVENTS.bits().to_string()
        );
    }

    /// Discord's limits on one command: 4000 characters of names, descriptions and choice
    /// values (the longest localization of each counted), 25 options a level, names of at
    /// most 32 and descriptions of at most 100 characters.
    #[test]
    fn every_command_fits_discords_limits() {
        fn longest(o: &Value, key: &str) -> usize {
            let base = o[key].as_str().map_or(0, |s| s.chars().count());
            let localized = o[format!("{key}_localizations")]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
                .filter_map(Value::as_str)
                .map(|s| s.chars().count());
            localized.fold(base, usize::max)
        }
        fn size(o: &Value, path: &str) -> usize {
            let name = longest(o, "name");
            assert!(name <= 32, "{path}: a name over 32 characters");
            let description = longest(o, "description");
            assert!(
                description <= 100,
                "{path}: a description over 100 characters"
            );
            let options = o["options"].as_array().cloned().unwrap_or_default();
            assert!(options.len() <= 25, "{path}: over 25 options");
            let choices: usize = o["choices"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| longest(c, "name") + c["value"].as_str().map_or(0, str::len))
                .sum();
            name + description
                + choices
                + options
                    .iter()
                    .map(|x| size(x, &format!("{path} {}", x["name"])))
                    .sum::<usize>()
        }
        for c in registered() {
            let n = size(&c, c["name"].as_str().unwrap());
            assert!(n <= 4000, "{}: {n} characters", c["name"]);
        }
    }
}
