//! The Web API under `/api/<method>` and the `response_url`s under `/response/<id>`: every
//! request is recorded, then answered like Slack.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::{
    blocks, dm_channel, files, now_unix, payload, Request, Responder, Shared, State, APP_TOKEN,
    BOT_ID, BOT_NAME, BOT_TOKEN, BOT_USER_ID, TEAM_ID,
};

/// What the server answers.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
    /// Send `Retry-After: 1`.
    pub retry_after: bool,
}

/// `{"ok": false, "error": ...}`, maybe with more fields.
struct Fail {
    error: &'static str,
    extra: Value,
}

impl Fail {
    fn new(error: &'static str) -> Fail {
        Fail {
            error,
            extra: Value::Null,
        }
    }
}

impl From<&'static str> for Fail {
    fn from(error: &'static str) -> Fail {
        Fail::new(error)
    }
}

/// A Web API call.
pub(crate) fn web_api(
    shared: &Shared,
    http_method: &str,
    method: &str,
    token: Option<String>,
    params: Value,
) -> Answer {
    let mut st = shared.lock();
    let now = Instant::now();
    let early = st.retry_after.get(method).is_some_and(|until| now < *until);
    let failing = match st.failures.get_mut(method).filter(|n| **n > 0) {
        Some(n) => {
            *n -= 1;
            true
        }
        None => false,
    };
    let limited = st.rate_limits.get_mut(method).filter(|n| **n > 0);
    let (status, body) = if failing {
        (503, json!({"ok": false, "error": "service_unavailable"}))
    } else if early || limited.is_some() {
        if let Some(n) = limited {
            *n -= 1;
        }
        st.retry_after
            .insert(method.to_string(), now + Duration::from_secs(1));
        (429, json!({"ok": false, "error": "ratelimited"}))
    } else {
        let result = if !METHODS.contains(&method) {
            Err(Fail::new("unknown_method"))
        } else {
            check_token(method, token.as_deref())
                .and_then(|_| call(shared, &mut st, method, &params))
        };
        (200, ok_or_error(result))
    };
    st.requests.push((
        Request {
            method: method.to_string(),
            http_method: http_method.to_string(),
            token,
            body: params,
            response_id: None,
            at: Instant::now(),
            status,
            response: body.clone(),
        },
        false,
    ));
    shared.notify(st);
    Answer {
        status,
        body,
        retry_after: status == 429,
    }
}

/// A POST to a `response_url`.
pub(crate) fn response_url(
    shared: &Shared,
    id: Option<u64>,
    token: Option<String>,
    body: Value,
) -> Answer {
    let mut st = shared.lock();
    let (status, answer) = respond(shared, &mut st, id, &body);
    st.requests.push((
        Request {
            method: "response_url".into(),
            http_method: "POST".into(),
            token,
            body,
            response_id: id,
            at: Instant::now(),
            status,
            response: answer.clone(),
        },
        false,
    ));
    shared.notify(st);
    Answer {
        status,
        body: answer,
        retry_after: false,
    }
}

fn ok_or_error(result: Result<Value, Fail>) -> Value {
    match result {
        Ok(v) => {
            let mut out = Map::new();
            out.insert("ok".into(), json!(true));
            if let Value::Object(m) = v {
                out.extend(m);
            }
            Value::Object(out)
        }
        Err(f) => {
            let mut out = Map::new();
            out.insert("ok".into(), json!(false));
            out.insert("error".into(), json!(f.error));
            if let Value::Object(m) = f.extra {
                out.extend(m);
            }
            Value::Object(out)
        }
    }
}

const METHODS: &[&str] = &[
    "auth.test",
    "apps.connections.open",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "chat.delete",
    "conversations.open",
    "conversations.info",
    "conversations.invite",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "users.info",
    "usergroups.list",
    "usergroups.update",
    "usergroups.users.list",
    "usergroups.users.update",
    "views.open",
];

fn check_token(method: &str, token: Option<&str>) -> Result<(), Fail> {
    let Some(t) = token.filter(|t| !t.is_empty()) else {
        return Err("not_authed".into());
    };
    let (wanted, other) = if method == "apps.connections.open" {
        (APP_TOKEN, ["xoxb-", "xoxp-"])
    } else {
        (BOT_TOKEN, ["xapp-", "xapp-"])
    };
    if t == wanted {
        Ok(())
    } else if other.iter().any(|p| t.starts_with(p)) {
        Err("not_allowed_token_type".into())
    } else {
        Err("invalid_auth".into())
    }
}

/// A string parameter, "" when absent.
fn s<'a>(p: &'a Value, key: &str) -> &'a str {
    p[key].as_str().unwrap_or("")
}

/// A boolean parameter (`true`, `"true"`, `"1"`).
fn flag(p: &Value, key: &str) -> bool {
    match &p[key] {
        Value::Bool(b) => *b,
        Value::String(s) => s == "true" || s == "1",
        Value::Number(n) => n.as_u64() == Some(1),
        _ => false,
    }
}

/// A list parameter: a JSON array of strings or a comma-separated string.
fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Value::String(s) => s
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => vec![],
    }
}

/// Checks a message's content: `no_text`, `msg_too_long`, `invalid_blocks(_format)`.
fn content(p: &Value) -> Result<(), Fail> {
    let text = p["text"]
        .as_str()
        .or_else(|| p["markdown_text"].as_str())
        .unwrap_or("");
    let blocks = payload::blocks_value(&p["blocks"]);
    let has_blocks = match &blocks {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        _ => return Err("invalid_blocks_format".into()),
    };
    let has_attachments = match payload::blocks_value(&p["attachments"]) {
        Value::Array(a) => !a.is_empty(),
        _ => false,
    };
    if text.is_empty() && !has_blocks && !has_attachments {
        return Err("no_text".into());
    }
    if text.chars().count() > 40_000 {
        return Err("msg_too_long".into());
    }
    if has_blocks {
        let errors = blocks::validate(&blocks);
        if !errors.is_empty() {
            let messages: Vec<String> = errors.iter().map(|e| format!("[ERROR] {e}")).collect();
            return Err(Fail {
                error: "invalid_blocks",
                extra: json!({"errors": errors, "response_metadata": {"messages": messages}}),
            });
        }
    }
    Ok(())
}

/// Checks a modal as `views.open` does: `invalid_arguments` with what is wrong.
fn view_errors(view: &Value) -> Result<(), Fail> {
    let mut errors = Vec::new();
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    if view["type"] != "modal" {
        errors.push("view.type must be modal".to_string());
    }
    for (key, max) in [("title", 24), ("submit", 24), ("close", 24)] {
        let t = &view[key];
        if t.is_null() && key != "title" {
            continue;
        }
        if t["type"] != "plain_text" || chars(&t["text"]) == 0 || chars(&t["text"]) > max {
            errors.push(format!(
                "view.{key} must be plain_text of 1 to {max} characters"
            ));
        }
    }
    if chars(&view["callback_id"]) > 255 || chars(&view["private_metadata"]) > 3000 {
        errors.push("callback_id or private_metadata too long".into());
    }
    let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
    if blocks.is_empty() || blocks.len() > 100 {
        errors.push("view.blocks must hold 1 to 100 blocks".into());
    }
    for (i, b) in blocks.iter().enumerate() {
        if b["type"] != "input" {
            continue;
        }
        let e = &b["element"];
        if chars(&b["label"]["text"]) == 0 || chars(&b["label"]["text"]) > 2000 {
            errors.push(format!("blocks[{i}].label must be 1 to 2000 characters"));
        }
        if e["type"] == "plain_text_input" {
            if chars(&e["action_id"]) == 0 {
                errors.push(format!("blocks[{i}].element.action_id is required"));
            }
            if e["max_length"].as_u64().is_some_and(|m| m > 3000)
                || chars(&e["initial_value"]) > 3000
                || chars(&e["placeholder"]["text"]) > 150
            {
                errors.push(format!("blocks[{i}].element is over Slack's limits"));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Fail {
            error: "invalid_arguments",
            extra: json!({"response_metadata": {"messages": errors}}),
        })
    }
}

fn call(shared: &Shared, st: &mut State, method: &str, p: &Value) -> Result<Value, Fail> {
    match method {
        "auth.test" => Ok(json!({
            "url": "https://emulated.slack.com/",
            "team": "Emulated",
            "user": BOT_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": false,
        })),
        "apps.connections.open" => {
            st.next_ticket += 1;
            let ticket = st.next_ticket;
            st.tickets.insert(ticket);
            let ws = st.base_url.replacen("http://", "ws://", 1);
            Ok(json!({"url": format!("{ws}/socket?ticket={ticket}")}))
        }
        "chat.postMessage" => {
            let channel = s(p, "channel");
            if channel.is_empty() {
                return Err("channel_not_found".into());
            }
            content(p)?;
            let channel = dm_channel(channel);
            let message = st.bot_post(shared, &channel, p);
            Ok(json!({"channel": channel, "ts": message["ts"], "message": message}))
        }
        "files.getUploadURLExternal" => files::get_upload_url(st, p).map_err(Fail::from),
        "files.completeUploadExternal" => files::complete(st, p).map_err(Fail::from),
        "views.open" => {
            let trigger = s(p, "trigger_id");
            if trigger.is_empty() || !st.trigger_known(trigger) {
                return Err("invalid_trigger_id".into());
            }
            let view = payload::blocks_value(&p["view"]);
            view_errors(&view)?;
            let view = st.open_view(trigger, view);
            Ok(json!({ "view": view }))
        }
        "chat.postEphemeral" => {
            let channel = s(p, "channel");
            if channel.is_empty() {
                return Err("channel_not_found".into());
            }
            let user = s(p, "user");
            if user.is_empty() {
                return Err("user_not_in_channel".into());
            }
            content(p)?;
            let ts = st.ephemeral(&dm_channel(channel), user, p);
            Ok(json!({"message_ts": ts}))
        }
        "chat.update" => {
            let channel = s(p, "channel");
            if channel.is_empty() {
                return Err("channel_not_found".into());
            }
            let ts = s(p, "ts");
            if ts.is_empty() {
                return Err("message_not_found".into());
            }
            content(p)?;
            let channel = dm_channel(channel);
            let message = st
                .edit(shared, &channel, ts, p)
                .ok_or(Fail::new("message_not_found"))?;
            Ok(json!({
                "channel": channel,
                "ts": ts,
                "text": message["text"],
                "message": message,
            }))
        }
        "chat.delete" => {
            let channel = dm_channel(s(p, "channel"));
            let ts = s(p, "ts");
            if st.delete(&channel, ts) {
                Ok(json!({"channel": channel, "ts": ts}))
            } else {
                Err("message_not_found".into())
            }
        }
        "conversations.open" => {
            let users = list(&p["users"]);
            let channel = s(p, "channel");
            let id = if !channel.is_empty() {
                channel.to_string()
            } else if users.is_empty() {
                return Err("users_list_not_supplied".into());
            } else if users.len() == 1 {
                dm_channel(&users[0])
            } else {
                format!("G{}", users.join("").replace(['U', 'W'], ""))
            };
            let channel = if flag(p, "return_im") {
                payload::channel(&id, &st.channel_name(&id))
            } else {
                json!({"id": id})
            };
            Ok(json!({"no_op": false, "already_open": false, "channel": channel}))
        }
        "conversations.invite" => {
            let channel = s(p, "channel").to_string();
            let users = list(&p["users"]);
            if channel.is_empty() {
                return Err("channel_not_found".into());
            }
            if users.is_empty() {
                return Err("no_user".into());
            }
            let invited = st.invited.entry(channel.clone()).or_default();
            if users.iter().all(|u| invited.contains(u)) {
                return Err("already_in_channel".into());
            }
            for u in users {
                if !invited.contains(&u) {
                    invited.push(u);
                }
            }
            Ok(json!({"channel": payload::channel(&channel, &st.channel_name(&channel))}))
        }
        "conversations.info" => {
            let id = s(p, "channel");
            if id.is_empty() {
                return Err("channel_not_found".into());
            }
            Ok(json!({"channel": payload::channel(id, &st.channel_name(id))}))
        }
        "users.info" => {
            let id = s(p, "user");
            if id.is_empty() {
                return Err("user_not_found".into());
            }
            let (name, locale) = st
                .users
                .get(id)
                .cloned()
                .unwrap_or_else(|| (id.to_lowercase(), "en-US".to_string()));
            Ok(json!({"user": payload::user(id, &name, &locale, flag(p, "include_locale"))}))
        }
        "usergroups.list" => {
            let include_users = flag(p, "include_users");
            let groups: Vec<Value> = st
                .usergroups
                .values()
                .map(|g| payload::usergroup(g, include_users))
                .collect();
            Ok(json!({"usergroups": groups}))
        }
        "usergroups.users.list" => {
            let g = st
                .usergroups
                .get(s(p, "usergroup"))
                .ok_or(Fail::new("no_such_subteam"))?;
            Ok(json!({"users": g.users}))
        }
        "usergroups.users.update" => {
            let users = list(&p["users"]);
            if users
                .iter()
                .any(|u| !u.starts_with('U') && !u.starts_with('W'))
            {
                return Err("invalid_users".into());
            }
            let g = st
                .usergroups
                .get_mut(s(p, "usergroup"))
                .ok_or(Fail::new("no_such_subteam"))?;
            g.users = users;
            g.updated = now_unix();
            g.updated_by = BOT_USER_ID.into();
            Ok(json!({"usergroup": payload::usergroup(g, true)}))
        }
        "usergroups.update" => {
            let g = st
                .usergroups
                .get_mut(s(p, "usergroup"))
                .ok_or(Fail::new("no_such_subteam"))?;
            if let Some(n) = p["name"].as_str() {
                g.name = n.to_string();
            }
            if let Some(h) = p["handle"].as_str() {
                g.handle = h.to_string();
            }
            if let Some(d) = p["description"].as_str() {
                g.description = d.to_string();
            }
            g.updated = now_unix();
            g.updated_by = BOT_USER_ID.into();
            Ok(json!({"usergroup": payload::usergroup(g, true)}))
        }
        _ => Err("unknown_method".into()),
    }
}

/// Answers a `response_url` post: 404 for an unknown id or after 5 uses.
fn respond(shared: &Shared, st: &mut State, id: Option<u64>, body: &Value) -> (u16, Value) {
    let Some(slot) = id.and_then(|id| st.responses.get_mut(&id)) else {
        return (404, json!({"ok": false, "error": "expired_url"}));
    };
    slot.uses += 1;
    if slot.uses > 5 {
        return (404, json!({"ok": false, "error": "used_url"}));
    }
    let responder = slot.responder.clone();
    if !body.is_object() {
        return (400, json!({"ok": false, "error": "invalid_payload"}));
    }
    if flag(body, "delete_original") {
        if let Responder::Press {
            channel,
            message_ts,
            ..
        } = &responder
        {
            st.delete(channel, message_ts);
        }
        return (200, json!({"ok": true}));
    }
    if let Err(f) = content(body) {
        return (200, ok_or_error(Err(f)));
    }
    match &responder {
        Responder::Press {
            channel,
            message_ts,
            ..
        } if flag(body, "replace_original") => {
            st.edit(shared, channel, message_ts, body);
        }
        Responder::Slash { channel, .. } | Responder::Press { channel, .. }
            if body["response_type"] == "in_channel" =>
        {
            st.bot_post(shared, channel, body);
        }
        Responder::Slash { channel, user } | Responder::Press { channel, user, .. } => {
            st.ephemeral(channel, user, body);
        }
    }
    (200, json!({"ok": true}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_flags() {
        assert_eq!(list(&json!("U1, U2,,")), vec!["U1", "U2"]);
        assert_eq!(list(&json!(["U1", "U2"])), vec!["U1", "U2"]);
        assert!(flag(&json!({"a": "true"}), "a"));
        assert!(!flag(&json!({"a": "false"}), "a"));
    }

    #[test]
    fn tokens() {
        assert!(check_token("auth.test", Some(BOT_TOKEN)).is_ok());
        assert_eq!(
            check_token("auth.test", Some(APP_TOKEN))
                .err()
                .unwrap()
                .error,
            "not_allowed_token_type"
        );
        assert_eq!(
            check_token("apps.connections.open", Some(BOT_TOKEN))
                .err()
                .unwrap()
                .error,
            "not_allowed_token_type"
        );
        assert_eq!(
            check_token("auth.test", Some("xoxb-wrong"))
                .err()
                .unwrap()
                .error,
            "invalid_auth"
        );
        assert_eq!(
            check_token("auth.test", None).err().unwrap().error,
            "not_authed"
        );
    }
}
