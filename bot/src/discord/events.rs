//! What comes in from Discord, in the form `commands` reads: mentions in typed text become
//! `@id` (members) and `@&id` (roles), the neutral form every front end hands over.

/// `text` with Discord's mention markup (`<@123>`, `<@!123>`, `<@&456>`) in the neutral
/// form; anything else, `@everyone` included, stays as typed.
pub fn inbound(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<@") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 2..];
        let (role, digits_from) = match tail.as_bytes().first() {
            Some(b'&') => (true, 1),
            Some(b'!') => (false, 1),
            _ => (false, 0),
        };
        let body = &tail[digits_from..];
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && body.as_bytes().get(digits) == Some(&b'>') {
            out.push_str(if role { "@&" } else { "@" });
            out.push_str(&body[..digits]);
            rest = &body[digits + 1..];
        } else {
            out.push_str("<@");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_become_neutral() {
        assert_eq!(
            inbound("/badge grant <@123> speaker"),
            "/badge grant @123 speaker"
        );
        assert_eq!(inbound("<@!42> and <@&998877>"), "@42 and @&998877");
        assert_eq!(
            inbound("@everyone <@x> <@12 a <@"),
            "@everyone <@x> <@12 a <@"
        );
    }
}
