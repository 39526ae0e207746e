//! Helpers for tests of the bot's HTTP endpoints (Events API, slash commands, interactivity):
//! Slack's request signing, the bodies Slack posts, and a tiny blocking HTTP client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::{or, Slash, ALICE, APP_ID, GENERAL, TEAM_DOMAIN, TEAM_ID, VERIFICATION_TOKEN};

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Slack's `X-Slack-Signature`: `"v0=" + hex(HMAC-SHA256(secret, "v0:{timestamp}:{body}"))`.
/// Send it with `X-Slack-Request-Timestamp: {timestamp}`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

/// A trigger id no other form of this process has (Slack's are unique per invocation).
fn trigger_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{n}.{}.{:x}", now_unix(), std::process::id())
}

/// The `application/x-www-form-urlencoded` body Slack posts for a slash command (empty fields
/// default as in [`Slash`]; a fresh trigger id each time).
pub fn slash_form(s: &Slash, response_url: &str) -> String {
    let channel = or(&s.channel, GENERAL);
    let channel_name = if s.channel_name.is_empty() {
        if channel.starts_with('D') {
            "directmessage".to_string()
        } else if channel == GENERAL {
            "general".to_string()
        } else {
            channel.to_lowercase()
        }
    } else {
        s.channel_name.clone()
    };
    form_urlencoded::Serializer::new(String::new())
        .append_pair("token", VERIFICATION_TOKEN)
        .append_pair("team_id", TEAM_ID)
        .append_pair("team_domain", TEAM_DOMAIN)
        .append_pair("channel_id", &channel)
        .append_pair("channel_name", &channel_name)
        .append_pair("user_id", &or(&s.user, ALICE))
        .append_pair("user_name", &or(&s.user_name, "alice"))
        .append_pair("command", &or(&s.command, "/help"))
        .append_pair("text", &s.text)
        .append_pair("api_app_id", APP_ID)
        .append_pair("is_enterprise_install", "false")
        .append_pair("response_url", response_url)
        .append_pair("trigger_id", &trigger_id())
        .finish()
}

/// The `application/x-www-form-urlencoded` body Slack posts for an interaction:
/// `payload=<json>` (see `SlackEmulator::press_payload`).
pub fn interaction_form(payload: &Value) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &payload.to_string())
        .finish()
}

/// POSTs `body` to `http://host:port/path` with HTTP/1.1 and returns the status and body.
/// Panics when the server cannot be reached or answers garbage; waits at most 30 s.
pub fn post(
    url: &str,
    headers: &[(&str, String)],
    content_type: &str,
    body: &str,
) -> (u16, String) {
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("only http:// URLs: {url}"));
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream =
        TcpStream::connect(authority).unwrap_or_else(|e| panic!("connect to {authority}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\nUser-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("write to {url}: {e}"));
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("read from {url}: {e}"));
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "not an HTTP response from {url}: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

fn parse_response(raw: &[u8]) -> Option<(u16, String)> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked") {
            chunked = true;
        } else if name.eq_ignore_ascii_case("content-length") {
            length = value.parse::<usize>().ok();
        }
    }
    let body = if chunked {
        let mut out = Vec::new();
        loop {
            let end = body.windows(2).position(|w| w == b"\r\n")?;
            let size_text = std::str::from_utf8(&body[..end]).ok()?;
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            body = &body[end + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(body.get(..size)?);
            body = body.get(size + 2..)?;
        }
        out
    } else {
        match length {
            Some(n) => body.get(..n)?.to_vec(),
            None => body.to_vec(),
        }
    };
    Some((status, String::from_utf8_lossy(&body).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_slack_docs() {
        // The example from Slack's "Verifying requests from Slack" page.
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assert_eq!(
            sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body),
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        );
    }

    #[test]
    fn parses_chunked_and_sized() {
        let raw = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(raw), Some((200, "abcde".into())));
        let raw = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\nnoEXTRA";
        assert_eq!(parse_response(raw), Some((400, "no".into())));
    }
}
