//! File uploads the current Slack way (`files.upload` is retired): `files.getUploadURLExternal`
//! hands out a file id and an upload URL for a promised length, the bytes are POSTed to
//! that URL (answered `OK - <length>` in plain text, as Slack does), and
//! `files.completeUploadExternal` shares the uploaded files in `channel_id` (a DM by its
//! `D…` id), as a `file_share` message by the bot.

use std::time::Instant;

use serde_json::{json, Value};

use super::{dm_channel, payload, Request, Shared, State, BOT_ID, BOT_USER_ID};

/// A file handed an upload URL, with what was uploaded and where it was shared.
#[derive(Clone, Debug, Default)]
pub struct File {
    /// `F0001`, `F0002`, ...
    pub id: String,
    pub filename: String,
    /// The length promised to `files.getUploadURLExternal`.
    pub length: usize,
    /// What was POSTed to the upload URL.
    pub bytes: Option<Vec<u8>>,
    pub title: Option<String>,
    /// Where `files.completeUploadExternal` shared it.
    pub channel: Option<String>,
    pub thread_ts: Option<String>,
    pub initial_comment: Option<String>,
}

/// The upload path of a file id on this server (`/upload/F0001`).
fn upload_path(id: &str) -> String {
    format!("/upload/{id}")
}

/// `files.getUploadURLExternal`: `filename` and `length` (a positive number) are required.
pub(crate) fn get_upload_url(st: &mut State, p: &Value) -> Result<Value, &'static str> {
    let filename = p["filename"].as_str().unwrap_or("").trim().to_string();
    if filename.is_empty() {
        return Err("invalid_arguments");
    }
    let length = match &p["length"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .filter(|n| *n > 0)
    .ok_or("invalid_arguments")? as usize;
    st.next_file += 1;
    let id = format!("F{:04}", st.next_file);
    let url = format!("{}{}", st.base_url, upload_path(&id));
    st.files.insert(
        id.clone(),
        File {
            id: id.clone(),
            filename,
            length,
            ..File::default()
        },
    );
    Ok(json!({ "upload_url": url, "file_id": id }))
}

/// A POST of the bytes to an upload URL: 200 `OK - <length>`, or 404 for an unknown file
/// and 400 when the length is not the one promised.
fn store(st: &mut State, id: &str, bytes: &[u8]) -> (u16, String) {
    let Some(file) = st.files.get_mut(id) else {
        return (404, "file not found".into());
    };
    if bytes.len() != file.length {
        return (
            400,
            format!(
                "length {} differs from the {} promised",
                bytes.len(),
                file.length
            ),
        );
    }
    file.bytes = Some(bytes.to_vec());
    (200, format!("OK - {}", bytes.len()))
}

/// The bytes of a file POSTed to its upload URL: recorded as a [`Request`] with method
/// `"upload"` (its body `{"file_id", "length"}`), answered in plain text as Slack does.
pub(crate) fn upload(
    shared: &Shared,
    id: &str,
    token: Option<String>,
    bytes: &[u8],
) -> (u16, String) {
    let mut st = shared.lock();
    let (status, text) = store(&mut st, id, bytes);
    st.requests.push((
        Request {
            method: "upload".into(),
            http_method: "POST".into(),
            token,
            body: json!({"file_id": id, "length": bytes.len()}),
            response_id: None,
            at: Instant::now(),
            status,
            response: json!(text),
        },
        false,
    ));
    shared.notify(st);
    (status, text)
}

fn mimetype(filename: &str) -> &'static str {
    match filename.rsplit('.').next().map(str::to_ascii_lowercase) {
        Some(ext) if ext == "png" => "image/png",
        Some(ext) if ext == "ics" => "text/calendar",
        Some(ext) if ext == "csv" => "text/csv",
        _ => "application/octet-stream",
    }
}

/// `files.completeUploadExternal`: every file must have its bytes; with `channel_id`, they
/// are shared there in one message.
pub(crate) fn complete(st: &mut State, p: &Value) -> Result<Value, &'static str> {
    let files = match payload::blocks_value(&p["files"]) {
        Value::Array(a) if !a.is_empty() => a,
        _ => return Err("invalid_arguments"),
    };
    let mut shared = Vec::new();
    for f in &files {
        let id = f["id"].as_str().unwrap_or("");
        let file = st.files.get(id).ok_or("file_not_found")?;
        let bytes = file.bytes.as_ref().ok_or("file_not_found")?;
        shared.push(json!({
            "id": id,
            "name": file.filename,
            "title": f["title"].as_str().unwrap_or(&file.filename),
            "mimetype": mimetype(&file.filename),
            "size": bytes.len(),
        }));
    }
    let channel = p["channel_id"]
        .as_str()
        .filter(|c| !c.is_empty())
        .map(dm_channel);
    let thread = p["thread_ts"].as_str().map(str::to_string);
    let comment = p["initial_comment"].as_str().map(str::to_string);
    for (f, info) in files.iter().zip(&shared) {
        let file = st
            .files
            .get_mut(f["id"].as_str().unwrap_or(""))
            .expect("checked");
        file.title = info["title"].as_str().map(str::to_string);
        file.channel = channel.clone();
        file.thread_ts = thread.clone();
        file.initial_comment = comment.clone();
    }
    if let Some(channel) = &channel {
        let ts = st.next_ts();
        let mut message = json!({
            "type": "message",
            "subtype": "file_share",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "ts": ts,
            "text": comment.clone().unwrap_or_default(),
            "upload": true,
            "files": shared,
        });
        if let Some(t) = &thread {
            message["thread_ts"] = json!(t);
        }
        st.messages
            .entry(channel.clone())
            .or_default()
            .push(message);
    }
    let answered: Vec<Value> = shared
        .iter()
        .map(|f| json!({"id": f["id"], "title": f["title"]}))
        .collect();
    Ok(json!({ "files": answered }))
}
