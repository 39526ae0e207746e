//! Tracks: created by admins, owned by the track owners they name, each with the season's
//! framework its owners publish.

use std::collections::BTreeMap;

use knowledge::Lang;

use super::command::FrameworkFields;
use super::error::TalkError;
use super::model::{Framework, FrameworkText, Person, Track, VERSION};
use super::words::{self, clean, MAX_FRAMEWORK, MAX_SHORT, MAX_TRACK_NAME};
use super::{abort, audit, err};
use crate::error::CmdError;
use crate::reply::{ButtonStyle, Reply, Response};
use crate::spans::Text;
use crate::store::T;
use crate::text::UserRef;
use crate::{Commands, Ctx};

impl Commands {
    pub(crate) fn track_list(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let tracks = self.tracks()?;
        let lines: Vec<Text> = tracks
            .iter()
            .map(|t| {
                let owners = if t.owners.is_empty() {
                    Text::plain(tr!(lang, "no owner yet", "尚无出品人", "sem curador ainda"))
                } else {
                    Text::join(
                        t.owners.iter().map(|o| Text::user(o.platform, &o.user)),
                        ", ",
                    )
                };
                let season = t.framework.as_ref().map_or(String::new(), |f| {
                    let s = &f.season;
                    tr!(lang, " · framework {s}", " · {s} 框架", " · diretrizes {s}")
                });
                Text::code(&t.id)
                    .and(" ")
                    .and(Text::typed(&t.name))
                    .and(" — ")
                    .and(owners)
                    .and(season)
            })
            .collect();
        let text = if lines.is_empty() {
            tx!(
                lang,
                "No tracks yet. An admin creates one with `track add serverless Serverless`.",
                "还没有技术方向。管理员可以用 `track add serverless Serverless` 创建。",
                "Ainda não há trilhas. Um administrador cria com `track add serverless Serverless`."
            )
        } else {
            Text::join(lines, "\n").and(tx!(
                lang,
                "\n\n`talks framework TRACK` shows what a track looks for; `talks propose` proposes a talk.",
                "\n\n`talks framework 方向` 查看方向的内容框架；`talks propose` 提交演讲提案。",
                "\n\n`talks framework TRILHA` mostra o que a trilha procura; `talks propose` propõe uma palestra."
            ))
        };
        Ok(Response::one(Reply::new(lang, text).title(tr!(
            lang,
            "Tracks",
            "技术方向",
            "Trilhas"
        ))))
    }

    pub(crate) fn track_add(
        &self,
        cx: &Ctx,
        id: &str,
        name: Option<&str>,
    ) -> Result<Response, CmdError> {
        let id = words::track_id(id).map_err(err)?;
        let name = match name {
            Some(n) => clean(n, "name", MAX_TRACK_NAME, false).map_err(err)?,
            None => String::new(),
        };
        let name = if name.is_empty() {
            let mut c = id.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            name
        };
        let now = self.now();
        let by = Person::of(cx.actor);
        let track = Track {
            v: VERSION,
            id: id.clone(),
            name,
            owners: Vec::new(),
            framework: None,
            created_by: by.clone(),
            created: now,
        };
        self.trees.write(|tx| {
            if tx.get::<Track>(T::Tracks, id.as_bytes())?.is_some() {
                return abort(TalkError::TrackExists { id: id.clone() });
            }
            tx.put(T::Tracks, id.as_bytes(), &track)?;
            audit(tx, now, &by, "track-add", &id, Some(track.name.clone()))
        })?;
        let lang = cx.lang;
        let name = Text::typed(&track.name);
        let tid = id.as_str();
        Ok(Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "Track {tid} ({name}) is created. Name its owners with `track owner {tid} @member`.",
                "技术方向 {tid}（{name}）已创建。用 `track owner {tid} @成员` 指定出品人。",
                "A trilha {tid} ({name}) foi criada. Defina os curadores com `track owner {tid} @membro`.";
                tid, name
            ),
        )))
    }

    pub(crate) fn track_owner(
        &self,
        cx: &Ctx,
        track: &str,
        user: &UserRef,
        add: bool,
    ) -> Result<Response, CmdError> {
        let track = self.track(track)?;
        let platform = cx.actor.platform;
        let who = Person {
            platform,
            user: user.0.clone(),
        };
        if add && !self.may_own(platform, &user.0) {
            return Err(err(TalkError::NotEligible {
                user: user.0.clone(),
            }));
        }
        let now = self.now();
        let by = Person::of(cx.actor);
        let changed = self.trees.write(|tx| {
            let Some(mut t) = tx.get::<Track>(T::Tracks, track.id.as_bytes())? else {
                return abort(TalkError::UnknownTrack {
                    given: track.id.clone(),
                    known: String::new(),
                });
            };
            let has = t.owners.contains(&who);
            if has == add {
                return Ok(false);
            }
            if add {
                t.owners.push(who.clone());
            } else {
                t.owners.retain(|o| *o != who);
            }
            tx.put(T::Tracks, t.id.as_bytes(), &t)?;
            let action = if add { "owner-add" } else { "owner-remove" };
            audit(tx, now, &by, action, &t.id, Some(format!("@{}", who.user)))?;
            Ok(true)
        })?;
        let lang = cx.lang;
        let member = Text::user(platform, &user.0);
        let name = Text::typed(&track.name);
        let text = match (changed, add) {
            (false, true) => tx!(
                lang,
                "{member} already owns {name}. Nothing changed.",
                "{member} 已经是 {name} 的出品人。没有改动。",
                "{member} já é curador de {name}. Nada mudou.";
                member, name
            ),
            (false, false) => tx!(
                lang,
                "{member} does not own {name}. Nothing changed.",
                "{member} 不是 {name} 的出品人。没有改动。",
                "{member} não é curador de {name}. Nada mudou.";
                member, name
            ),
            (true, true) => tx!(
                lang,
                "{member} now owns the track {name}: they review its proposals and decks (`talks review`) and publish its framework (`track publish`).",
                "{member} 现在是 {name} 的技术出品人：负责评审提案和讲稿（`talks review`），并发布内容框架（`track publish`）。",
                "{member} agora é curador da trilha {name}: revisa as propostas e os slides (`talks review`) e publica as diretrizes (`track publish`).";
                member, name
            ),
            (true, false) => tx!(
                lang,
                "{member} no longer owns the track {name}.",
                "{member} 不再是 {name} 的技术出品人。",
                "{member} não é mais curador da trilha {name}.";
                member, name
            ),
        };
        let mut reply = Reply::private(lang, text);
        if changed {
            reply.mention_users.push(user.0.clone());
        }
        Ok(Response::one(reply))
    }

    pub(crate) fn track_publish(
        &self,
        cx: &Ctx,
        track: &str,
        f: &FrameworkFields,
    ) -> Result<Response, CmdError> {
        let track = self.track(track)?;
        if !self.owns(cx.actor, &track) {
            return Err(err(TalkError::NotOwner { track: track.name }));
        }
        if f.is_empty() {
            return self.talk_form(cx, &super::FormKind::Publish(track.id));
        }
        let season = words::required(f.season.as_deref(), "season", 40, false).map_err(err)?;
        let text = FrameworkText {
            themes: words::required(f.themes.as_deref(), "themes", MAX_FRAMEWORK, true)
                .map_err(err)?,
            cover: words::required(f.cover.as_deref(), "cover", MAX_FRAMEWORK, true)
                .map_err(err)?,
            audience: words::required(f.audience.as_deref(), "audience", MAX_SHORT, true)
                .map_err(err)?,
        };
        let written = match f.language.as_deref() {
            Some(l) => words::language(l).map_err(err)?,
            None => cx.lang,
        };
        let now = self.now();
        let by = Person::of(cx.actor);
        let code = written.code().to_string();
        let framework = self.trees.write(|tx| {
            let Some(mut t) = tx.get::<Track>(T::Tracks, track.id.as_bytes())? else {
                return abort(TalkError::UnknownTrack {
                    given: track.id.clone(),
                    known: String::new(),
                });
            };
            // A new season starts afresh; the same season gains or replaces a language.
            let mut fw = match t.framework.take() {
                Some(fw) if fw.season == season => fw,
                _ => Framework {
                    season: season.clone(),
                    texts: BTreeMap::new(),
                    by: by.clone(),
                    at: now,
                },
            };
            fw.texts.insert(code.clone(), text.clone());
            fw.by = by.clone();
            fw.at = now;
            t.framework = Some(fw.clone());
            tx.put(T::Tracks, t.id.as_bytes(), &t)?;
            audit(
                tx,
                now,
                &by,
                "framework",
                &t.id,
                Some(format!("{season} ({code})")),
            )?;
            Ok(fw)
        })?;
        let lang = cx.lang;
        let name = Text::typed(&track.name);
        let langs = framework
            .texts
            .keys()
            .map(|c| words::language_name(c, lang))
            .collect::<Vec<_>>()
            .join(", ");
        let tid = track.id.as_str();
        let season = framework.season.as_str();
        Ok(Response::one(Reply::private(
            lang,
            tx!(
                lang,
                "The {season} framework of {name} is published (written in {langs}). Everyone reads it with `talks framework {tid}`.",
                "{name} 的 {season} 框架已发布（语言：{langs}）。大家可以用 `talks framework {tid}` 查看。",
                "As diretrizes {season} de {name} foram publicadas (em {langs}). Todos leem com `talks framework {tid}`.";
                season, name, langs = langs.as_str(), tid
            ),
        )))
    }

    pub(crate) fn track_framework(&self, cx: &Ctx, track: &str) -> Result<Response, CmdError> {
        let track = self.track(track)?;
        let lang = cx.lang;
        let name = Text::typed(&track.name);
        let Some(fw) = &track.framework else {
            let tid = track.id.as_str();
            return Ok(Response::one(Reply::new(
                lang,
                tx!(
                    lang,
                    "{name} has no framework for this season yet. You may still propose a talk for it: `talks propose … track: {tid}`.",
                    "{name} 本季还没有发布内容框架。你仍然可以为它提交提案：`talks propose … 方向: {tid}`。",
                    "{name} ainda não tem diretrizes para esta temporada. Você ainda pode propor uma palestra: `talks propose … trilha: {tid}`.";
                    name, tid
                ),
            )));
        };
        let (code, text) = fw
            .texts
            .get_key_value(lang.code())
            .or_else(|| fw.texts.get_key_value(Lang::En.code()))
            .or_else(|| fw.texts.iter().next())
            .ok_or_else(|| {
                err(TalkError::UnknownTrack {
                    given: track.id.clone(),
                    known: String::new(),
                })
            })?;
        let season = fw.season.as_str();
        let mut reply = Reply::new(lang, Text::typed(&text.themes))
            .title(tx!(
                lang,
                "{name} — framework {season}",
                "{name} — {season} 内容框架",
                "{name} — diretrizes {season}";
                name = &name, season
            ))
            .field(
                tr!(
                    lang,
                    "What a talk should cover",
                    "演讲应涵盖的内容",
                    "O que a palestra deve abordar"
                ),
                Text::typed(&text.cover),
            )
            .field(
                tr!(lang, "Audience", "受众", "Público"),
                Text::typed(&text.audience),
            )
            .field(
                tr!(lang, "Track owners", "技术出品人", "Curadores"),
                Text::join(
                    track.owners.iter().map(|o| Text::user(o.platform, &o.user)),
                    ", ",
                ),
            );
        if code != lang.code() {
            let written = words::language_name(code, lang);
            reply = reply.field(
                tr!(lang, "Language", "语言", "Idioma"),
                tr!(
                    lang,
                    "written in {written}; not yet in English",
                    "以{written}撰写；暂无中文版",
                    "escrito em {written}; ainda não em português"
                ),
            );
        }
        reply = reply.button(
            "talk:form:propose",
            tr!(lang, "Propose a talk", "提交演讲提案", "Propor palestra"),
            ButtonStyle::Primary,
        );
        Ok(Response::one(reply))
    }
}
