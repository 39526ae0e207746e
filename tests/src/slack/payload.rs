//! JSON shapes Slack sends: Socket Mode frames, events, interaction payloads, API objects.

use serde_json::{json, Value};

use super::{
    channel_type, now_unix, or, Msg, Press, UserGroup, ALICE, APP_ID, BOT_ID, BOT_NAME,
    BOT_USER_ID, GENERAL, TEAM_ID, VERIFICATION_TOKEN,
};

/// `hello`, sent when a socket opens.
pub(crate) fn hello(num_connections: usize) -> Value {
    json!({
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {
            "host": "emulator",
            "build_number": 1,
            "approximate_connection_time": 18060,
        },
        "connection_info": {"app_id": APP_ID},
    })
}

/// `disconnect`, e.g. `refresh_requested`.
pub(crate) fn disconnect(reason: &str) -> Value {
    json!({
        "type": "disconnect",
        "reason": reason,
        "debug_info": {"host": "emulator"},
    })
}

/// The `event_callback` wrapping an event, as in an `events_api` envelope or an HTTP push.
pub(crate) fn event_callback(event: Value, n: u64) -> Value {
    json!({
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "context_team_id": TEAM_ID,
        "context_enterprise_id": null,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": format!("Ev{n:010}"),
        "event_time": now_unix(),
        "authorizations": [{
            "enterprise_id": null,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "is_bot": true,
            "is_enterprise_install": false,
        }],
        "is_ext_shared_channel": false,
        "event_context": format!("4-emulated-{n}"),
    })
}

/// A user's `message` (or `app_mention`) event.
pub(crate) fn user_message(m: &Msg, ts: &str, client_msg_id: &str) -> Value {
    let channel = or(&m.channel, GENERAL);
    let mut ev = json!({
        "type": if m.mention { "app_mention" } else { "message" },
        "client_msg_id": client_msg_id,
        "text": m.text,
        "user": or(&m.user, ALICE),
        "ts": ts,
        "blocks": rich_text(&m.text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    });
    if !m.mention {
        ev["channel_type"] = json!(m
            .channel_type
            .clone()
            .unwrap_or_else(|| channel_type(&channel).replace("group", "channel")));
    }
    if let Some(t) = &m.thread_ts {
        ev["thread_ts"] = json!(t);
    }
    ev
}

/// The `rich_text` block Slack adds to a user's message: text runs, `<@U...>` as user
/// elements, `<#C...>` as channel elements, `<!subteam^S...>` as user group elements.
pub(crate) fn rich_text(text: &str) -> Value {
    let mut elements = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            elements.push(json!({"type": "text", "text": rest}));
            break;
        };
        let Some(len) = rest[start..].find('>') else {
            elements.push(json!({"type": "text", "text": rest}));
            break;
        };
        let inner = &rest[start + 1..start + len];
        let mut parts = inner.splitn(2, '|');
        let id = parts.next().unwrap_or("");
        let label = parts.next();
        let element = if let Some(u) = id.strip_prefix('@') {
            Some(json!({"type": "user", "user_id": u}))
        } else if let Some(c) = id.strip_prefix('#') {
            Some(json!({"type": "channel", "channel_id": c}))
        } else if id.starts_with("http://") || id.starts_with("https://") {
            let mut link = json!({"type": "link", "url": id});
            if let Some(l) = label {
                link["text"] = json!(l);
            }
            Some(link)
        } else if let Some(range) = ["here", "channel", "everyone"]
            .into_iter()
            .find(|r| id.strip_prefix('!') == Some(r))
        {
            Some(json!({"type": "broadcast", "range": range}))
        } else {
            id.strip_prefix("!subteam^")
                .map(|s| json!({"type": "usergroup", "usergroup_id": s}))
        };
        match element {
            Some(e) => {
                if start > 0 {
                    elements.push(json!({"type": "text", "text": &rest[..start]}));
                }
                elements.push(e);
            }
            None => {
                elements.push(json!({"type": "text", "text": &rest[..start + len + 1]}));
            }
        }
        rest = &rest[start + len + 1..];
    }
    if elements.is_empty() {
        return json!([]);
    }
    json!([{
        "type": "rich_text",
        "block_id": block_id_for(text),
        "elements": [{"type": "rich_text_section", "elements": elements}],
    }])
}

/// A short, stable block id for a text (Slack's are random 3-5 characters).
fn block_id_for(text: &str) -> String {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..5)
        .map(|i| ALPHABET[((h >> (i * 8)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// The bot's profile, as in its messages and their events.
pub(crate) fn bot_profile() -> Value {
    json!({
        "id": BOT_ID,
        "deleted": false,
        "name": BOT_NAME,
        "updated": 1_700_000_000,
        "app_id": APP_ID,
        "user_id": BOT_USER_ID,
        "icons": {
            "image_36": "https://emulated.slack.com/bot_36.png",
            "image_48": "https://emulated.slack.com/bot_48.png",
            "image_72": "https://emulated.slack.com/bot_72.png",
        },
        "team_id": TEAM_ID,
    })
}

/// `blocks` as JSON (form bodies send them as a JSON string).
pub(crate) fn blocks_value(blocks: &Value) -> Value {
    match blocks {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| blocks.clone()),
        other => other.clone(),
    }
}

/// A message by the bot with the text, blocks and thread of a request body.
pub(crate) fn bot_message(ts: &str, body: &Value) -> Value {
    let text = body["text"]
        .as_str()
        .or_else(|| body["markdown_text"].as_str())
        .unwrap_or("");
    let mut m = json!({
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "text": text,
        "ts": ts,
        "team": TEAM_ID,
        "bot_profile": bot_profile(),
    });
    let blocks = blocks_value(&body["blocks"]);
    if blocks.as_array().is_some_and(|b| !b.is_empty()) {
        m["blocks"] = blocks;
    }
    if let Some(t) = body["thread_ts"].as_str().filter(|t| !t.is_empty()) {
        m["thread_ts"] = json!(t);
    }
    m
}

/// An interactive element found in blocks, with its block's id.
pub(crate) struct Found {
    pub block_id: Option<String>,
    pub element: Value,
}

/// The element with this `action_id` in `actions` blocks or section accessories.
pub(crate) fn find_element(blocks: &Value, action_id: &str) -> Option<Found> {
    for block in blocks.as_array()? {
        let candidates = block["elements"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(block.get("accessory"));
        for e in candidates {
            if e["action_id"] == json!(action_id) {
                return Some(Found {
                    block_id: block["block_id"].as_str().map(str::to_string),
                    element: e.clone(),
                });
            }
        }
    }
    None
}

/// The `actions[0]` of a `block_actions` payload.
pub(crate) fn action(p: &Press, found: Option<&Found>, block_id: &str, action_ts: &str) -> Value {
    let element = found.map(|f| &f.element);
    let text = element
        .and_then(|e| e.get("text"))
        .filter(|t| t.is_object())
        .cloned()
        .unwrap_or_else(|| json!({"type": "plain_text", "text": p.action_id, "emoji": true}));
    let kind = element
        .and_then(|e| e["type"].as_str())
        .unwrap_or("button")
        .to_string();
    let value = p
        .value
        .clone()
        .or_else(|| element.and_then(|e| e["value"].as_str().map(str::to_string)));
    let mut a = json!({
        "action_id": p.action_id,
        "block_id": found
            .and_then(|f| f.block_id.clone())
            .unwrap_or_else(|| block_id.to_string()),
        "text": text,
        "type": kind,
        "action_ts": action_ts,
    });
    if let Some(v) = value {
        a["value"] = json!(v);
    }
    if let Some(style) = element.and_then(|e| e.get("style")) {
        a["style"] = style.clone();
    }
    a
}

/// A `users.info` user.
pub(crate) fn user(id: &str, name: &str, locale: &str, include_locale: bool) -> Value {
    let mut u = json!({
        "id": id,
        "team_id": TEAM_ID,
        "name": name,
        "deleted": false,
        "color": "9f69e7",
        "real_name": name,
        "tz": "America/Sao_Paulo",
        "tz_label": "Brasilia Standard Time",
        "tz_offset": -10800,
        "profile": {
            "real_name": name,
            "real_name_normalized": name,
            "display_name": name,
            "display_name_normalized": name,
            "avatar_hash": "g0000000000",
            "status_text": "",
            "status_emoji": "",
            "team": TEAM_ID,
        },
        "is_admin": false,
        "is_owner": false,
        "is_primary_owner": false,
        "is_restricted": false,
        "is_ultra_restricted": false,
        "is_bot": id == BOT_USER_ID,
        "is_app_user": false,
        "updated": 1_700_000_000,
    });
    if include_locale {
        u["locale"] = json!(locale);
    }
    u
}

/// A user group, as `usergroups.*` answer it (slack-morphism's `SlackUserGroup`).
pub(crate) fn usergroup(g: &UserGroup, include_users: bool) -> Value {
    let mut v = json!({
        "id": g.id,
        "team_id": TEAM_ID,
        "is_usergroup": true,
        "is_subteam": true,
        "name": g.name,
        "description": g.description,
        "handle": g.handle,
        "is_external": false,
        "date_create": g.created,
        "date_update": g.updated,
        "date_delete": 0,
        "auto_type": null,
        "auto_provision": false,
        "enterprise_subteam_id": "",
        "created_by": "U0ADMIN",
        "updated_by": g.updated_by,
        "deleted_by": null,
        "prefs": {"channels": [], "groups": []},
        "user_count": g.users.len(),
        "channel_count": 0,
    });
    if include_users {
        v["users"] = json!(g.users);
    }
    v
}

/// A `conversations.info` / `conversations.open` channel.
pub(crate) fn channel(id: &str, name: &str) -> Value {
    let mut c = json!({
        "id": id,
        "created": 1_700_000_000,
        "is_archived": false,
        "is_org_shared": false,
        "is_shared": false,
        "context_team_id": TEAM_ID,
        "updated": 1_700_000_000_000u64,
    });
    if let Some(user) = id.strip_prefix('D') {
        c["is_im"] = json!(true);
        c["is_channel"] = json!(false);
        c["is_group"] = json!(false);
        c["is_mpim"] = json!(false);
        c["is_private"] = json!(true);
        c["user"] = json!(user);
        c["is_open"] = json!(true);
        c["priority"] = json!(0);
    } else {
        let private = id.starts_with('G');
        c["name"] = json!(name);
        c["name_normalized"] = json!(name);
        c["is_channel"] = json!(!private);
        c["is_group"] = json!(private);
        c["is_im"] = json!(false);
        c["is_mpim"] = json!(false);
        c["is_private"] = json!(private);
        c["is_general"] = json!(id == GENERAL);
        c["is_member"] = json!(true);
        c["creator"] = json!("U0ADMIN");
        c["topic"] = json!({"value": "", "creator": "", "last_set": 0});
        c["purpose"] = json!({"value": "", "creator": "", "last_set": 0});
        c["previous_names"] = json!([]);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_splits_mentions() {
        let b = rich_text("<@UBOT> hi <#C1|x> <https://x.y> <!subteam^S1> <!here>");
        let els = &b[0]["elements"][0]["elements"];
        assert_eq!(els[0], json!({"type": "user", "user_id": "UBOT"}));
        assert_eq!(els[1], json!({"type": "text", "text": " hi "}));
        assert_eq!(els[2], json!({"type": "channel", "channel_id": "C1"}));
        assert_eq!(els[3], json!({"type": "text", "text": " "}));
        assert_eq!(els[4], json!({"type": "link", "url": "https://x.y"}));
        assert_eq!(els[5], json!({"type": "text", "text": " "}));
        assert_eq!(els[6], json!({"type": "usergroup", "usergroup_id": "S1"}));
        assert_eq!(els[8], json!({"type": "broadcast", "range": "here"}));
        assert_eq!(rich_text(""), json!([]));
    }
}
