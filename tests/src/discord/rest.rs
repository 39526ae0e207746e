//! The REST API under `/api/v10`: every request is recorded, then answered like Discord.

use std::time::Instant;

use serde_json::{json, Value};

use super::{interaction_token, payload, Audience, Request, Shared, State, BOT_ID, GUILD_ID};

/// A successful answer.
enum Reply {
    /// 200 with a body.
    Json(Value),
    /// 201 with a body.
    Created(Value),
    /// 204.
    Empty,
}

/// An error answer, shaped like Discord's: `{"message", "code"[, "errors"]}`.
pub(crate) struct Fail {
    status: u16,
    body: Value,
}

impl Fail {
    pub(crate) fn not_found(message: &str, code: u64) -> Fail {
        Fail {
            status: 404,
            body: json!({"message": message, "code": code}),
        }
    }

    fn status(status: u16, message: &str, code: u64) -> Fail {
        Fail {
            status,
            body: json!({"message": message, "code": code}),
        }
    }

    /// 400 "Invalid Form Body" with the error at `path` (dot-separated, as Discord nests them).
    fn form(path: &str, code: &str, message: &str) -> Fail {
        let mut errors = json!({"_errors": [{"code": code, "message": message}]});
        for key in path.rsplit('.').filter(|k| !k.is_empty()) {
            errors = json!({ key: errors });
        }
        Fail {
            status: 400,
            body: json!({"message": "Invalid Form Body", "code": 50035, "errors": errors}),
        }
    }
}

const UNKNOWN_ROUTE: (&str, u64) = ("404: Not Found", 0);

pub(crate) fn handle(
    shared: &Shared,
    method: &str,
    path: &str,
    query: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Option<Value>) {
    let body = parse_body(content_type, body);
    let relative = path
        .strip_prefix("/api/v10")
        .filter(|r| r.is_empty() || r.starts_with('/'));
    let mut st = shared.lock();
    let result = match relative {
        Some(r) => route(shared, &mut st, method, r, &body),
        None => Err(Fail::not_found(UNKNOWN_ROUTE.0, UNKNOWN_ROUTE.1)),
    };
    let (status, out) = match result {
        Ok(Reply::Json(v)) => (200, Some(v)),
        Ok(Reply::Created(v)) => (201, Some(v)),
        Ok(Reply::Empty) => (204, None),
        Err(f) => (f.status, Some(f.body)),
    };
    let request = Request {
        method: method.to_string(),
        path: relative.unwrap_or(path).to_string(),
        query: query.to_string(),
        body,
        status,
        at: Instant::now(),
    };
    st.requests.push((request, false));
    drop(st);
    shared.changed.notify_all();
    (status, out)
}

/// JSON, the `payload_json` part of a multipart body, `Null` when empty, else a string.
fn parse_body(content_type: &str, body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        let boundary = format!("--{}", boundary.trim_matches('"'));
        let text = String::from_utf8_lossy(body);
        for part in text.split(boundary.as_str()) {
            if let Some((headers, content)) = part.split_once("\r\n\r\n") {
                if headers.contains("name=\"payload_json\"") {
                    let content = content.strip_suffix("\r\n").unwrap_or(content);
                    return serde_json::from_str(content).unwrap_or(json!(content));
                }
            }
        }
        return Value::Null;
    }
    serde_json::from_slice(body).unwrap_or_else(|_| json!(String::from_utf8_lossy(body)))
}

fn snowflake(s: &str, what: &str) -> Result<u64, Fail> {
    s.parse::<u64>().map_err(|_| {
        Fail::form(
            what,
            "NUMBER_TYPE_COERCE",
            &format!("Value \"{s}\" is not snowflake."),
        )
    })
}

fn guild(s: &str) -> Result<u64, Fail> {
    let g = snowflake(s, "guild_id")?;
    if g == GUILD_ID {
        Ok(g)
    } else {
        Err(Fail::not_found("Unknown Guild", 10004))
    }
}

fn application(s: &str) -> Result<(), Fail> {
    if snowflake(s, "application_id")? == BOT_ID {
        Ok(())
    } else {
        Err(Fail::not_found("Unknown Application", 10002))
    }
}

fn route(
    shared: &Shared,
    st: &mut State,
    method: &str,
    path: &str,
    body: &Value,
) -> Result<Reply, Fail> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("GET", ["gateway"]) => Ok(Reply::Json(json!({"url": shared.gateway_url}))),
        ("GET", ["gateway", "bot"]) => Ok(Reply::Json(json!({
            "url": shared.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1
            },
        }))),
        ("GET", ["users", "@me"]) => Ok(Reply::Json(payload::current_user())),
        ("GET", ["users", id]) => {
            let id = snowflake(id, "user_id")?;
            if st.users.contains_key(&id) {
                Ok(Reply::Json(st.user(id)))
            } else {
                Err(Fail::not_found("Unknown User", 10013))
            }
        }
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            Ok(Reply::Json(payload::application()))
        }
        ("POST", ["users", "@me", "channels"]) => {
            let user = payload::id_of(&body["recipient_id"]);
            if user == 0 {
                return Err(Fail::form(
                    "recipient_id",
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                ));
            }
            let channel = st.dm_channel(user);
            Ok(Reply::Json(payload::dm_channel(channel, st.user(user))))
        }
        ("GET", ["channels", c]) => {
            let c = snowflake(c, "channel_id")?;
            if let Some(ch) = st.channels.get(&c) {
                Ok(Reply::Json(ch.clone()))
            } else if let Some(u) = st.dm_user(c) {
                Ok(Reply::Json(payload::dm_channel(c, st.user(u))))
            } else {
                Err(Fail::not_found("Unknown Channel", 10003))
            }
        }
        ("POST", ["channels", c, "messages"]) => {
            let c = snowflake(c, "channel_id")?;
            validate_message(body, true)?;
            st.bot_message(c, body, 0, false).map(Reply::Json)
        }
        ("GET", ["channels", c, "messages", m]) => {
            let (c, m) = (snowflake(c, "channel_id")?, snowflake(m, "message_id")?);
            match st.messages.get(&m).filter(|s| s.channel_id == c) {
                Some(s) => Ok(Reply::Json(s.json.clone())),
                None => Err(Fail::not_found("Unknown Message", 10008)),
            }
        }
        ("PATCH", ["channels", c, "messages", m]) => {
            let (c, m) = (snowflake(c, "channel_id")?, snowflake(m, "message_id")?);
            let Some(stored) = st.messages.get(&m).filter(|s| s.channel_id == c) else {
                return Err(Fail::not_found("Unknown Message", 10008));
            };
            if stored.author_id != BOT_ID {
                return Err(Fail::status(
                    403,
                    "Cannot edit a message authored by another user",
                    50005,
                ));
            }
            validate_message(body, false)?;
            st.edit_message(m, body)
                .map(Reply::Json)
                .ok_or(Fail::not_found("Unknown Message", 10008))
        }
        ("DELETE", ["channels", c, "messages", m]) => {
            let (c, m) = (snowflake(c, "channel_id")?, snowflake(m, "message_id")?);
            if st.messages.get(&m).is_some_and(|s| s.channel_id == c) && st.delete_message(m) {
                Ok(Reply::Empty)
            } else {
                Err(Fail::not_found("Unknown Message", 10008))
            }
        }
        ("POST", ["channels", c, "typing"]) => {
            let c = snowflake(c, "channel_id")?;
            match st.channel_guild(c) {
                Some(_) => Ok(Reply::Empty),
                None => Err(Fail::not_found("Unknown Channel", 10003)),
            }
        }
        ("POST", ["channels", c, "threads"]) => {
            let c = snowflake(c, "channel_id")?;
            let id = st.snowflake();
            start_thread(st, c, id, body, 11)
        }
        ("POST", ["channels", c, "messages", m, "threads"]) => {
            let (c, m) = (snowflake(c, "channel_id")?, snowflake(m, "message_id")?);
            if st.messages.get(&m).is_none_or(|s| s.channel_id != c) {
                return Err(Fail::not_found("Unknown Message", 10008));
            }
            if st.channels.contains_key(&m) {
                return Err(Fail::status(
                    400,
                    "A thread has already been created for this message",
                    160004,
                ));
            }
            // A thread started from a message has the message's id.
            start_thread(st, c, m, body, 11)
        }
        ("PUT", ["channels", c, "thread-members", u]) => {
            let (c, u) = (snowflake(c, "channel_id")?, snowflake(u, "user_id")?);
            if !st
                .channels
                .get(&c)
                .is_some_and(|t| matches!(t["type"].as_u64(), Some(10..=12)))
            {
                return Err(Fail::not_found("Unknown Channel", 10003));
            }
            let members = st.thread_members.entry(c).or_default();
            if !members.contains(&u) {
                members.push(u);
            }
            Ok(Reply::Empty)
        }
        ("POST", ["interactions", i, token, "callback"]) => {
            let i = snowflake(i, "interaction_id")?;
            callback(shared, st, i, token, body)
        }
        (_, ["webhooks", app, token, rest @ ..]) => webhook(st, method, app, token, rest, body),
        ("GET", ["guilds", g, "channels"]) => {
            guild(g)?;
            let channels: Vec<Value> = st
                .channels
                .values()
                .filter(|c| !matches!(c["type"].as_u64(), Some(10..=12)))
                .cloned()
                .collect();
            Ok(Reply::Json(json!(channels)))
        }
        ("GET", ["guilds", g]) => {
            guild(g)?;
            Ok(Reply::Json(st.guild_json()))
        }
        ("GET", ["guilds", g, "roles"]) => {
            guild(g)?;
            Ok(Reply::Json(json!(st.roles)))
        }
        ("POST", ["guilds", g, "roles"]) => {
            guild(g)?;
            if body["name"]
                .as_str()
                .is_some_and(|n| n.chars().count() > 100)
            {
                return Err(Fail::form(
                    "name",
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer in length.",
                ));
            }
            let id = st.create_role(body);
            Ok(Reply::Json(st.role_json(id).unwrap_or(Value::Null)))
        }
        ("GET", ["guilds", g, "members", u]) => {
            guild(g)?;
            let u = snowflake(u, "user_id")?;
            if !st.users.contains_key(&u) {
                return Err(Fail::not_found("Unknown Member", 10007));
            }
            let roles = st.member_roles.get(&u).cloned().unwrap_or_default();
            Ok(Reply::Json(st.member(u, &roles, None)))
        }
        ("PUT" | "DELETE", ["guilds", g, "members", u, "roles", r]) => {
            guild(g)?;
            let (u, r) = (snowflake(u, "user_id")?, snowflake(r, "role_id")?);
            if !st.has_role(r) || r == GUILD_ID {
                return Err(Fail::not_found("Unknown Role", 10011));
            }
            let roles = st.member_roles.entry(u).or_default();
            if method == "PUT" {
                if !roles.contains(&r) {
                    roles.push(r);
                }
            } else {
                roles.retain(|&x| x != r);
            }
            Ok(Reply::Empty)
        }
        (_, ["applications", app, "commands", rest @ ..]) => {
            application(app)?;
            commands(st, method, None, rest, body)
        }
        (_, ["applications", app, "guilds", g, "commands", rest @ ..]) => {
            application(app)?;
            let g = guild(g)?;
            commands(st, method, Some(g), rest, body)
        }
        _ => Err(Fail::not_found(UNKNOWN_ROUTE.0, UNKNOWN_ROUTE.1)),
    }
}

fn start_thread(
    st: &mut State,
    parent: u64,
    id: u64,
    body: &Value,
    default_kind: u64,
) -> Result<Reply, Fail> {
    if !st
        .channels
        .get(&parent)
        .is_some_and(|c| matches!(c["type"].as_u64(), Some(0 | 5)))
    {
        return Err(Fail::not_found("Unknown Channel", 10003));
    }
    let name = body["name"].as_str().unwrap_or("");
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Fail::form(
            "name",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        ));
    }
    let kind = body["type"].as_u64().unwrap_or(default_kind);
    let archive = body["auto_archive_duration"].as_u64().unwrap_or(1440);
    let thread = payload::thread_channel(id, parent, name, kind, archive);
    st.channels.insert(id, thread.clone());
    let mut event = thread.clone();
    event["newly_created"] = json!(true);
    st.dispatch(
        "THREAD_CREATE",
        &event,
        Audience::Intent(super::intents::GUILDS),
    );
    Ok(Reply::Created(thread))
}

// -- messages ---------------------------------------------------------------------------------

/// Discord's limits on a message body. `creating`: it must not be empty.
fn validate_message(body: &Value, creating: bool) -> Result<(), Fail> {
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let content = len(&body["content"]);
    if content > 2000 {
        return Err(Fail::form(
            "content",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 2000 or fewer in length.",
        ));
    }
    let embeds = body["embeds"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if embeds.len() > 10 {
        return Err(Fail::form(
            "embeds",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 10 or fewer in length.",
        ));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        for (field, max) in [("title", 256), ("description", 4096)] {
            let n = len(&e[field]);
            total += n;
            if n > max {
                return Err(Fail::form(
                    &format!("embeds.{i}.{field}"),
                    "BASE_TYPE_MAX_LENGTH",
                    &format!("Must be {max} or fewer in length."),
                ));
            }
        }
        let fields = e["fields"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        if fields.len() > 25 {
            return Err(Fail::form(
                &format!("embeds.{i}.fields"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            ));
        }
        for (j, f) in fields.iter().enumerate() {
            for (field, max) in [("name", 256), ("value", 1024)] {
                let n = len(&f[field]);
                total += n;
                if n > max || n == 0 {
                    return Err(Fail::form(
                        &format!("embeds.{i}.fields.{j}.{field}"),
                        "BASE_TYPE_BAD_LENGTH",
                        &format!("Must be between 1 and {max} in length."),
                    ));
                }
            }
        }
        total += len(&e["footer"]["text"]) + len(&e["author"]["name"]);
    }
    if total > 6000 {
        return Err(Fail::form(
            "embeds",
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000",
        ));
    }
    let rows = body["components"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if rows.len() > 5 {
        return Err(Fail::form(
            "components",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 5 or fewer in length.",
        ));
    }
    let mut custom_ids = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let items = row["components"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if row["type"].as_u64() != Some(1) || items.is_empty() || items.len() > 5 {
            return Err(Fail::form(
                &format!("components.{i}.components"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 5 in length.",
            ));
        }
        for (j, c) in items.iter().enumerate() {
            let at = format!("components.{i}.components.{j}");
            if c["type"].as_u64() == Some(2) && len(&c["label"]) > 80 {
                return Err(Fail::form(
                    &format!("{at}.label"),
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 80 or fewer in length.",
                ));
            }
            if let Some(id) = c["custom_id"].as_str() {
                if id.is_empty() || id.chars().count() > 100 {
                    return Err(Fail::form(
                        &format!("{at}.custom_id"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 100 in length.",
                    ));
                }
                if custom_ids.contains(&id) {
                    return Err(Fail::form(
                        &format!("{at}.custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    ));
                }
                custom_ids.push(id);
            } else if c["type"].as_u64() == Some(2) && c["style"].as_u64() != Some(5) {
                return Err(Fail::form(
                    &format!("{at}.custom_id"),
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                ));
            }
        }
    }
    let non_empty = |key: &str| match &body[key] {
        Value::Array(a) => !a.is_empty(),
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        _ => true,
    };
    if creating
        && ![
            "content",
            "embeds",
            "components",
            "sticker_ids",
            "attachments",
            "poll",
        ]
        .iter()
        .any(|k| non_empty(k))
    {
        return Err(Fail::status(400, "Cannot send an empty message", 50006));
    }
    Ok(())
}

// -- interactions -----------------------------------------------------------------------------

fn callback(
    shared: &Shared,
    st: &mut State,
    id: u64,
    token: &str,
    body: &Value,
) -> Result<Reply, Fail> {
    let unknown = || Fail::not_found("Unknown interaction", 10062);
    if token != interaction_token(id) {
        return Err(unknown());
    }
    let Some(i) = st.interactions.get(&id) else {
        return Err(unknown());
    };
    if i.response.is_some() {
        return Err(Fail::status(
            400,
            "Interaction has already been acknowledged.",
            40060,
        ));
    }
    if i.created.elapsed() > shared.options.interaction_deadline {
        return Err(unknown());
    }
    let (kind, channel, source) = (i.kind, i.channel_id, i.source_message);
    let data = &body["data"];
    let original = match body["type"].as_u64() {
        Some(4) => {
            validate_message(data, true)?;
            let m = st.bot_message(channel, data, if kind == 2 { 20 } else { 0 }, true)?;
            Some(payload::id_of(&m["id"]))
        }
        Some(5) => {
            let flags = payload::FLAG_LOADING
                | (data["flags"].as_u64().unwrap_or(0) & payload::FLAG_EPHEMERAL);
            let m = st.bot_message(
                channel,
                &json!({"flags": flags}),
                if kind == 2 { 20 } else { 0 },
                true,
            )?;
            Some(payload::id_of(&m["id"]))
        }
        Some(6) if kind == 3 => source,
        Some(7) if kind == 3 => {
            validate_message(data, false)?;
            if let Some(m) = source {
                st.edit_message(m, data);
            }
            source
        }
        Some(9) if kind != 5 => {
            for key in ["custom_id", "title", "components"] {
                if data[key].is_null() {
                    return Err(Fail::form(
                        &format!("data.{key}"),
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    ));
                }
            }
            None
        }
        _ => {
            return Err(Fail::form(
                "type",
                "INTERACTION_RESPONSE_TYPE_INVALID",
                "Interaction response type is invalid for this interaction",
            ))
        }
    };
    if let Some(i) = st.interactions.get_mut(&id) {
        i.response = body["type"].as_u64();
        i.original = original;
    }
    Ok(Reply::Empty)
}

/// `/webhooks/{app}/{token}` (follow-ups) and `/webhooks/{app}/{token}/messages/{id|@original}`.
fn webhook(
    st: &mut State,
    method: &str,
    app: &str,
    token: &str,
    rest: &[&str],
    body: &Value,
) -> Result<Reply, Fail> {
    let unknown_webhook = || Fail::not_found("Unknown Webhook", 10015);
    let unknown_message = || Fail::not_found("Unknown Message", 10008);
    if app.parse::<u64>().ok() != Some(BOT_ID) {
        return Err(unknown_webhook());
    }
    let id = token
        .strip_prefix("emulated-interaction-token-")
        .and_then(|i| i.parse::<u64>().ok())
        .filter(|i| st.interactions.contains_key(i))
        .ok_or_else(unknown_webhook)?;
    let (channel, original, responded) = {
        let i = &st.interactions[&id];
        (i.channel_id, i.original, i.response.is_some())
    };
    match (method, rest) {
        ("POST", []) => {
            if !responded {
                return Err(unknown_webhook());
            }
            validate_message(body, true)?;
            // The first follow-up after a deferred response replaces the "thinking..." message.
            if let Some(o) = original.filter(|o| {
                st.messages.get(o).is_some_and(|m| {
                    m.json["flags"].as_u64().unwrap_or(0) & payload::FLAG_LOADING != 0
                })
            }) {
                return st
                    .edit_message(o, body)
                    .map(Reply::Json)
                    .ok_or_else(unknown_message);
            }
            let m = st.bot_message(channel, body, 0, true)?;
            Ok(Reply::Json(m))
        }
        (_, ["messages", which]) => {
            let target = if *which == "@original" {
                original.ok_or_else(unknown_message)?
            } else {
                snowflake(which, "message_id")?
            };
            if !st
                .messages
                .get(&target)
                .is_some_and(|m| m.author_id == BOT_ID && m.channel_id == channel)
            {
                return Err(unknown_message());
            }
            match method {
                "GET" => Ok(Reply::Json(st.messages[&target].json.clone())),
                "PATCH" => {
                    validate_message(body, false)?;
                    st.edit_message(target, body)
                        .map(Reply::Json)
                        .ok_or_else(unknown_message)
                }
                "DELETE" => {
                    st.delete_message(target);
                    Ok(Reply::Empty)
                }
                _ => Err(Fail::status(405, "405: Method Not Allowed", 0)),
            }
        }
        _ => Err(Fail::not_found(UNKNOWN_ROUTE.0, UNKNOWN_ROUTE.1)),
    }
}

// -- application commands ---------------------------------------------------------------------

fn commands(
    st: &mut State,
    method: &str,
    guild_id: Option<u64>,
    rest: &[&str],
    body: &Value,
) -> Result<Reply, Fail> {
    match (method, rest) {
        ("GET", []) => Ok(Reply::Json(json!(st
            .commands
            .get(&guild_id)
            .cloned()
            .unwrap_or_default()))),
        ("PUT", []) => {
            let Some(list) = body.as_array() else {
                return Err(Fail::form("", "BASE_TYPE_ARRAY", "Must be an array"));
            };
            if list.len() > 100 {
                return Err(Fail::form(
                    "",
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer in length.",
                ));
            }
            let mut seen = Vec::new();
            for (i, c) in list.iter().enumerate() {
                validate_command(c, &i.to_string())?;
                let key = (
                    c["name"].as_str().unwrap_or(""),
                    c["type"].as_u64().unwrap_or(1),
                );
                if seen.contains(&key) {
                    return Err(Fail::form(
                        &format!("{i}.name"),
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        &format!("Application command names must be unique: {}", key.0),
                    ));
                }
                seen.push(key);
            }
            let old = st.commands.get(&guild_id).cloned().unwrap_or_default();
            let mut new = Vec::new();
            for c in list {
                new.push(upsert(st, &old, c, guild_id).0);
            }
            st.commands.insert(guild_id, new.clone());
            Ok(Reply::Json(json!(new)))
        }
        ("POST", []) => {
            validate_command(body, "")?;
            let old = st.commands.get(&guild_id).cloned().unwrap_or_default();
            let (command, existed) = upsert(st, &old, body, guild_id);
            let list = st.commands.entry(guild_id).or_default();
            list.retain(|c| c["id"] != command["id"]);
            list.push(command.clone());
            Ok(if existed {
                Reply::Json(command)
            } else {
                Reply::Created(command)
            })
        }
        ("GET" | "DELETE", [id]) => {
            let id = snowflake(id, "command_id")?;
            let list = st.commands.entry(guild_id).or_default();
            let Some(pos) = list.iter().position(|c| payload::id_of(&c["id"]) == id) else {
                return Err(Fail::not_found("Unknown application command", 10063));
            };
            if method == "GET" {
                Ok(Reply::Json(list[pos].clone()))
            } else {
                list.remove(pos);
                Ok(Reply::Empty)
            }
        }
        _ => Err(Fail::not_found(UNKNOWN_ROUTE.0, UNKNOWN_ROUTE.1)),
    }
}

/// The stored form of `body`, keeping the id of an existing command of the same name and type.
fn upsert(st: &mut State, old: &[Value], body: &Value, guild_id: Option<u64>) -> (Value, bool) {
    let kind = body["type"].as_u64().unwrap_or(1);
    let existing = old
        .iter()
        .find(|c| c["name"] == body["name"] && c["type"].as_u64() == Some(kind))
        .map(|c| payload::id_of(&c["id"]));
    let id = match existing {
        Some(id) => id,
        None => st.snowflake(),
    };
    let version = st.snowflake();
    (
        payload::command(body, id, version, guild_id),
        existing.is_some(),
    )
}

/// Discord's rules for command names, descriptions and options.
fn validate_command(c: &Value, at: &str) -> Result<(), Fail> {
    let prefix = |field: &str| {
        if at.is_empty() {
            field.to_string()
        } else {
            format!("{at}.{field}")
        }
    };
    let kind = c["type"].as_u64().unwrap_or(1);
    let name = c["name"].as_str().unwrap_or("");
    let valid_name = |n: &str| {
        (1..=32).contains(&n.chars().count())
            && n.chars()
                .all(|ch| ch == '-' || ch == '_' || (ch.is_alphanumeric() && !ch.is_uppercase()))
    };
    if kind == 1 && !valid_name(name) {
        return Err(Fail::form(
            &prefix("name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            &format!("Command name is invalid: {name:?}"),
        ));
    }
    if kind != 1 && !(1..=32).contains(&name.chars().count()) {
        return Err(Fail::form(
            &prefix("name"),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 32 in length.",
        ));
    }
    let description = c["description"].as_str().unwrap_or("").chars().count();
    if kind == 1 && !(1..=100).contains(&description) {
        return Err(Fail::form(
            &prefix("description"),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        ));
    }
    validate_options(&c["options"], &prefix("options"))
}

fn validate_options(options: &Value, at: &str) -> Result<(), Fail> {
    let Some(list) = options.as_array() else {
        return Ok(());
    };
    if list.len() > 25 {
        return Err(Fail::form(
            at,
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
        ));
    }
    let mut optional_seen = false;
    let mut names = Vec::new();
    for (i, o) in list.iter().enumerate() {
        let here = format!("{at}.{i}");
        let name = o["name"].as_str().unwrap_or("");
        let name_ok = (1..=32).contains(&name.chars().count())
            && name
                .chars()
                .all(|ch| ch == '-' || ch == '_' || (ch.is_alphanumeric() && !ch.is_uppercase()));
        if !name_ok {
            return Err(Fail::form(
                &format!("{here}.name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                &format!("Command name is invalid: {name:?}"),
            ));
        }
        if names.contains(&name) {
            return Err(Fail::form(
                &format!("{here}.name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            ));
        }
        names.push(name);
        let description = o["description"].as_str().unwrap_or("").chars().count();
        if !(1..=100).contains(&description) {
            return Err(Fail::form(
                &format!("{here}.description"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            ));
        }
        let required = o["required"].as_bool().unwrap_or(false);
        if required && optional_seen {
            return Err(Fail::form(
                &format!("{here}.required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            ));
        }
        optional_seen |= !required;
        if o["choices"].as_array().is_some_and(|c| c.len() > 25) {
            return Err(Fail::form(
                &format!("{here}.choices"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            ));
        }
        if matches!(o["type"].as_u64(), Some(1 | 2)) {
            validate_options(&o["options"], &format!("{here}.options"))?;
        }
    }
    Ok(())
}
