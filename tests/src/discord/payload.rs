//! JSON shapes of Discord objects, with every field serenity 0.12.5 requires.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::{BOT_ID, BOT_NAME, CHANNEL_ID, GUILD_ID, OWNER_ID};

pub(crate) const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
pub(crate) const FLAG_EPHEMERAL: u64 = 1 << 6;
pub(crate) const FLAG_LOADING: u64 = 1 << 7;

/// RFC 3339 with microseconds, as Discord writes them.
pub(crate) fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (y, m, day) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        d.subsec_micros()
    )
}

/// The creation time of a snowflake.
pub(crate) fn snowflake_time(id: u64) -> String {
    let ms = (id >> 22) + DISCORD_EPOCH_MS;
    timestamp(UNIX_EPOCH + std::time::Duration::from_millis(ms))
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A snowflake written as a string or a number; 0 if neither.
pub(crate) fn id_of(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.parse().unwrap_or(0),
        Value::Number(n) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn user(id: u64, name: &str, bot: bool) -> Value {
    let mut u = json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": if bot { Value::Null } else { json!(name) },
        "avatar": null,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "avatar_decoration_data": null,
    });
    if bot {
        u["bot"] = json!(true);
    }
    u
}

/// The bot as `GET /users/@me` and READY describe it.
pub(crate) fn current_user() -> Value {
    let mut u = user(BOT_ID, BOT_NAME, true);
    u["verified"] = json!(true);
    u["mfa_enabled"] = json!(false);
    u["email"] = Value::Null;
    u["locale"] = json!("en-US");
    u["premium_type"] = json!(0);
    u
}

/// A guild member with `user`, as in GUILD_CREATE and interactions.
pub(crate) fn member(
    user: Value,
    roles: &[u64],
    joined_at: &str,
    permissions: Option<u64>,
) -> Value {
    let mut m = partial_member(roles, joined_at);
    m["user"] = user;
    if let Some(p) = permissions {
        m["permissions"] = json!(p.to_string());
    }
    m
}

/// A member without `user`, as in MESSAGE_CREATE.
pub(crate) fn partial_member(roles: &[u64], joined_at: &str) -> Value {
    json!({
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "nick": null,
        "avatar": null,
        "banner": null,
        "joined_at": joined_at,
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    })
}

pub(crate) fn role(
    id: u64,
    name: &str,
    permissions: u64,
    position: u64,
    bot: Option<u64>,
) -> Value {
    let mut tags = json!({});
    if let Some(b) = bot {
        tags["bot_id"] = json!(b.to_string());
    }
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": bot.is_some(),
        "mentionable": false,
        "flags": 0,
        "tags": tags,
    })
}

pub(crate) fn text_channel(id: u64, name: &str, position: u64) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": GUILD_ID.to_string(),
        "position": position,
        "permission_overwrites": [],
        "name": name,
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": null,
        "flags": 0,
    })
}

pub(crate) fn thread_channel(
    id: u64,
    parent_id: u64,
    name: &str,
    kind: u64,
    auto_archive: u64,
) -> Value {
    let now = timestamp(SystemTime::now());
    json!({
        "id": id.to_string(),
        "type": kind,
        "guild_id": GUILD_ID.to_string(),
        "parent_id": parent_id.to_string(),
        "owner_id": BOT_ID.to_string(),
        "name": name,
        "last_message_id": null,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": false,
            "auto_archive_duration": auto_archive,
            "archive_timestamp": now,
            "locked": false,
            "create_timestamp": now,
        },
    })
}

pub(crate) fn dm_channel(id: u64, recipient: Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [recipient],
    })
}

/// The `channel` of an interaction.
pub(crate) fn partial_channel(channel: &Value, id: u64, permissions: u64) -> Value {
    let mut c = json!({
        "id": id.to_string(),
        "type": channel.get("type").cloned().unwrap_or(json!(0)),
        "name": channel.get("name").cloned().unwrap_or(json!("general")),
        "guild_id": GUILD_ID.to_string(),
        "permissions": permissions.to_string(),
        "flags": 0,
    });
    for key in ["parent_id", "thread_metadata"] {
        if let Some(v) = channel.get(key) {
            c[key] = v.clone();
        }
    }
    c
}

pub(crate) fn guild(
    roles: &[Value],
    channels: Vec<Value>,
    members: Vec<Value>,
    member_count: u64,
    joined_at: &str,
) -> Value {
    let (threads, channels): (Vec<Value>, Vec<Value>) = channels
        .into_iter()
        .partition(|c| matches!(c["type"].as_u64(), Some(10..=12)));
    let mut guild = json!({
        "id": GUILD_ID.to_string(),
        "name": "Emulated Community",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": CHANNEL_ID.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
    });
    let state = json!({
        "joined_at": joined_at,
        "large": false,
        "unavailable": false,
        "member_count": member_count,
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": true,
    });
    if let (Some(g), Value::Object(s)) = (guild.as_object_mut(), state) {
        g.extend(s);
    }
    guild
}

/// A message as REST returns it (no `guild_id`, no `member`).
pub(crate) fn message(
    id: u64,
    channel_id: u64,
    author: Value,
    content: &str,
    mentions: Vec<Value>,
    mention_roles: Vec<Value>,
    kind: u64,
) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": content,
        "timestamp": snowflake_time(id),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": mentions,
        "mention_roles": mention_roles,
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": kind,
        "flags": 0,
        "components": [],
    })
}

/// Copies what a create/edit body sets onto a message object.
pub(crate) fn apply_message_fields(message: &mut Value, body: &Value) {
    for key in ["embeds", "components", "tts", "poll"] {
        if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
            message[key] = v.clone();
        }
    }
    if let Some(f) = body.get("flags").and_then(Value::as_u64) {
        message["flags"] = json!(f);
    }
    // Discord gives every embed a type.
    if let Some(embeds) = message["embeds"].as_array_mut() {
        for e in embeds {
            if e.get("type").is_none() {
                e["type"] = json!("rich");
            }
        }
    }
}

pub(crate) fn is_ephemeral(message: &Value) -> bool {
    message["flags"].as_u64().unwrap_or(0) & FLAG_EPHEMERAL != 0
}

/// What a session without the MESSAGE_CONTENT intent sees of someone else's guild message.
pub(crate) fn without_content(d: &Value) -> Value {
    let mut d = d.clone();
    d["content"] = json!("");
    d["embeds"] = json!([]);
    d["attachments"] = json!([]);
    d["components"] = json!([]);
    if let Some(o) = d.as_object_mut() {
        o.remove("poll");
    }
    d
}

pub(crate) fn has_custom_id(components: &Value, custom_id: &str) -> bool {
    match components {
        Value::Array(items) => items.iter().any(|c| has_custom_id(c, custom_id)),
        Value::Object(o) => {
            o.get("custom_id").and_then(Value::as_str) == Some(custom_id)
                || o.get("components")
                    .is_some_and(|c| has_custom_id(c, custom_id))
        }
        _ => false,
    }
}

/// Options as Discord sends them: subcommands and groups always carry `options`.
pub(crate) fn normalize_options(options: &Value) -> Value {
    match options {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|o| {
                    let mut o = o.clone();
                    if matches!(o["type"].as_u64(), Some(1 | 2)) {
                        o["options"] = normalize_options(o.get("options").unwrap_or(&json!([])));
                    }
                    o
                })
                .collect(),
        ),
        Value::Null => json!([]),
        other => other.clone(),
    }
}

/// Calls `f(type, id)` for every user (6), channel (7), role (8) and mentionable (9) option.
pub(crate) fn walk_options(options: &Value, f: &mut dyn FnMut(u64, u64)) {
    for o in options.as_array().into_iter().flatten() {
        match o["type"].as_u64() {
            Some(1 | 2) => walk_options(&o["options"], f),
            Some(k @ 6..=9) => f(k, id_of(&o["value"])),
            _ => {}
        }
    }
}

/// A command as Discord stores and returns it.
pub(crate) fn command(body: &Value, id: u64, version: u64, guild_id: Option<u64>) -> Value {
    let kind = body["type"].as_u64().unwrap_or(1);
    let mut c = json!({
        "id": id.to_string(),
        "application_id": BOT_ID.to_string(),
        "version": version.to_string(),
        "type": kind,
        "name": body["name"],
        "name_localizations": body.get("name_localizations").cloned().unwrap_or(Value::Null),
        "description": body.get("description").cloned().unwrap_or(json!("")),
        "description_localizations":
            body.get("description_localizations").cloned().unwrap_or(Value::Null),
        "default_member_permissions":
            body.get("default_member_permissions").cloned().unwrap_or(Value::Null),
        "nsfw": body.get("nsfw").cloned().unwrap_or(json!(false)),
        "integration_types": body.get("integration_types").cloned().unwrap_or(json!([0])),
        "contexts": body.get("contexts").cloned().unwrap_or(Value::Null),
    });
    if let Some(options) = body.get("options").filter(|o| o.is_array()) {
        c["options"] = options.clone();
    }
    match guild_id {
        Some(g) => c["guild_id"] = json!(g.to_string()),
        None => c["dm_permission"] = body.get("dm_permission").cloned().unwrap_or(json!(true)),
    }
    c
}

pub(crate) fn application() -> Value {
    json!({
        "id": BOT_ID.to_string(),
        "name": BOT_NAME,
        "icon": null,
        "description": "",
        "rpc_origins": [],
        "bot_public": false,
        "bot_require_code_grant": false,
        "owner": user(OWNER_ID, "owner", false),
        "verify_key": "0".repeat(64),
        "team": null,
        "flags": 0,
        "bot": current_user(),
        "integration_types_config": {"0": {}},
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "approximate_guild_count": 1,
    })
}
