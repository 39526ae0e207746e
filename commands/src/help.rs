//! `help`: the commands the actor may use, in the actor's language and with the words of
//! that language, as the registry declares them.

use crate::actor::Level;
use crate::error::CmdError;
use crate::registry::{self, Spec, COMMANDS};
use crate::reply::{Reply, Response};
use crate::spans::Text;
use crate::{Commands, Ctx};

/// Every command and subcommand with a help line, with its parent: `(badge, grant)`.
fn entries() -> impl Iterator<Item = (&'static Spec, Option<&'static Spec>)> {
    COMMANDS.iter().flat_map(|c| {
        let own = c.subs.is_empty().then_some((c, None));
        own.into_iter()
            .chain(c.subs.iter().map(move |s| (c, Some(s))))
    })
}

impl Commands {
    pub(crate) fn help(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let mut shown: Vec<(Level, Text)> = entries()
            .filter_map(|(top, sub)| {
                let spec = sub.unwrap_or(top);
                let what = spec.help?[lang as usize];
                (cx.level >= spec.level).then(|| {
                    let usage = registry::usage_of(top, sub, lang);
                    (spec.level, Text::code(usage).and(format!(" — {what}")))
                })
            })
            .collect();
        // Everyone's commands first, then the organizers', then the admins'.
        shown.sort_by_key(|(level, _)| *level);
        let lines = shown.into_iter().map(|(_, line)| line);
        let level = match cx.level {
            Level::Admin => tr!(lang, "an admin", "管理员", "administrador"),
            Level::Organizer => tr!(lang, "an organizer", "组织者", "organizador"),
            Level::Member => tr!(lang, "a member", "成员", "membro"),
        };
        let intro = tr!(
            lang,
            "You are {level} here. Ask me anything about the community programs, or use these commands:",
            "你在这里的身份是{level}。可以直接问我社区计划的问题，或使用这些命令：",
            "Aqui você é {level}. Pergunte o que quiser sobre os programas da comunidade, ou use estes comandos:"
        );
        Ok(Response::one(
            Reply::private(
                lang,
                Text::plain(format!("{intro}\n")).and(Text::join(lines, "\n")),
            )
            .title(tr!(lang, "Help", "帮助", "Ajuda")),
        ))
    }
}

impl Commands {
    /// `help COMMAND`: that command's lines, each with who may use it.
    pub(crate) fn help_topic(&self, cx: &Ctx, topic: &str) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let first = topic.split_whitespace().next().unwrap_or("");
        let Some((top, _)) = registry::command(first) else {
            return Err(CmdError::UnknownTopic {
                given: first.chars().take(30).collect(),
                suggestion: crate::parse::closest_word(first),
            });
        };
        let lines: Vec<Text> = entries()
            .filter(|(t, _)| t.name == top.name)
            .filter_map(|(t, sub)| {
                let spec = sub.unwrap_or(t);
                let what = spec.help?[lang as usize];
                let mut line =
                    Text::code(registry::usage_of(t, sub, lang)).and(format!(" — {what}"));
                if cx.level < spec.level {
                    line.append(match spec.level {
                        Level::Admin => tr!(lang, " (admins)", "（管理员）", " (administradores)"),
                        _ => tr!(lang, " (organizers)", "（组织者）", " (organizadores)"),
                    });
                }
                Some(line)
            })
            .collect();
        let word = top.word(lang);
        let text = if lines.is_empty() {
            let usage = registry::usage_of(top, None, lang);
            Text::code(usage).and(format!(" — {}", top.about[lang as usize]))
        } else {
            Text::join(lines, "\n")
        };
        Ok(Response::one(Reply::private(lang, text).title(tr!(
            lang,
            "Help: {word}",
            "帮助：{word}",
            "Ajuda: {word}"
        ))))
    }
}
