//! HTML: escaping, the page frame, a reply's spans as HTML, the visitor's language, and the
//! charts (SVG drawn here, no JavaScript). Like the chat renderers, this is the one place
//! user text is escaped.

use std::fmt::Write as _;

use commands::{Reply, Span, Text};
use knowledge::Lang;

/// A sentence in the three languages (the web side's own words).
macro_rules! t {
    ($lang:expr, $en:expr, $zh:expr, $pt:expr $(,)?) => {
        match $lang {
            knowledge::Lang::En => $en,
            knowledge::Lang::Zh => $zh,
            knowledge::Lang::Pt => $pt,
        }
    };
}
pub(crate) use t;

/// `text` safe inside HTML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A piece of a URL path or query.
pub fn url_part(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The language of the `Accept-Language` header that the bot speaks, by preference.
pub fn accept_language(header: Option<&str>) -> Option<Lang> {
    let mut choices: Vec<(f32, usize, Lang)> = Vec::new();
    for (i, part) in header?.split(',').enumerate().take(20) {
        let mut bits = part.trim().split(';');
        let tag = bits.next().unwrap_or("").trim();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(lang) = commands::lang_of_locale(tag) {
            if q > 0.0 {
                choices.push((q, i, lang));
            }
        }
    }
    choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    choices.first().map(|c| c.2)
}

/// Spans as HTML: typed text escaped, mentions by name, links that are web links.
pub fn text(t: &Text, name: &dyn Fn(&Span) -> Option<String>) -> String {
    let mut out = String::new();
    for span in t.spans() {
        match span {
            Span::Plain { text } | Span::Typed { text } => out.push_str(&esc(text)),
            Span::User { .. } | Span::Role { .. } => {
                let shown = name(span).unwrap_or_else(|| span.plain());
                let _ = write!(out, "<b>{}</b>", esc(&shown));
            }
            Span::Link { url, label } => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", esc(url), esc(label));
            }
            Span::Code { text } => {
                let _ = write!(out, "<code>{}</code>", esc(text));
            }
            Span::Emphasis { text } => {
                let _ = write!(out, "<strong>{}</strong>", esc(text));
            }
        }
    }
    out.replace('\n', "<br>")
}

/// A whole reply: its title, text and fields; a refusal is marked as one.
pub fn reply(r: &Reply, name: &dyn Fn(&Span) -> Option<String>) -> String {
    let class = if r.ok { "reply" } else { "reply refused" };
    let mut out = format!("<section class=\"{class}\" role=\"status\">");
    if let Some(title) = &r.title {
        let _ = write!(out, "<h3>{}</h3>", text(title, name));
    }
    let _ = write!(out, "<p>{}</p>", text(&r.text, name));
    if !r.fields.is_empty() {
        out.push_str("<dl>");
        for f in &r.fields {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                esc(&f.name),
                text(&f.value, name)
            );
        }
        out.push_str("</dl>");
    }
    out.push_str("</section>");
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC',sans-serif;margin:0;color:#1d2733;background:#f5f7fa}\
header{background:#232f3e;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}\
header a{color:#fff;text-decoration:none}header a.here{border-bottom:2px solid #ff9900}header .who{margin-left:auto;opacity:.85}\
main{max-width:64rem;margin:1.2rem auto;padding:0 1rem}h1{font-size:1.5rem}\
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1.2rem}th,td{border:1px solid #d5dbe3;padding:.35rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef1f5}.card{background:#fff;border:1px solid #d5dbe3;border-radius:6px;padding:.8rem 1rem;margin:.8rem 0}\
.reply{background:#e8f4ea;border-left:4px solid #2e7d32;padding:.5rem .9rem;margin:.8rem 0}.refused{background:#fdecea;border-color:#c62828}\
button,input[type=submit]{background:#ff9900;border:0;border-radius:4px;padding:.35rem .8rem;cursor:pointer;font:inherit}\
button.secondary{background:#d5dbe3}input[type=text],textarea{width:100%;box-sizing:border-box;font:inherit;padding:.3rem}\
label{display:block;margin:.4rem 0 .1rem;font-weight:600}.muted{color:#5f6b7a}.langs a{margin-right:.5rem}\
figure{margin:.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}code{background:#eef1f5;padding:0 .2rem}";

/// A page: its title, the navigation (`nav`: links as `(path, label, here)`), who is
/// signed in, and the body.
pub fn page(
    lang: Lang,
    title: &str,
    nav: &[(String, String, bool)],
    who: Option<&str>,
    body: &str,
) -> String {
    let mut links = String::new();
    for (href, label, here) in nav {
        let class = if *here { " class=\"here\"" } else { "" };
        let _ = write!(links, "<a href=\"{}\"{class}>{}</a>", esc(href), esc(label));
    }
    if let Some(who) = who {
        let _ = write!(links, "<span class=\"who\">{}</span>", esc(who));
    }
    let langs: String = Lang::ALL
        .iter()
        .map(|l| format!("<a href=\"?lang={}\">{}</a>", l.code(), l.name_in(*l)))
        .collect();
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{title}</title><style>{STYLE}</style></head><body>\
<header><strong>{bot}</strong>{links}</header><main><h1>{title}</h1>{body}\
<p class=\"langs muted\">{langs}</p></main></body></html>",
        code = if lang == Lang::Zh {
            "zh-Hans"
        } else {
            lang.code()
        },
        title = esc(title),
        bot = t!(lang, "Community bot", "社区机器人", "Bot da comunidade"),
    )
}

/// A bar chart: each label with its values, one colour per series (SVG, server-drawn).
pub fn bars(caption: &str, series: &[(&str, &str)], rows: &[(String, Vec<u32>)]) -> String {
    let width = 640.0_f64;
    let height = 200.0_f64;
    let (left, bottom, top) = (36.0, 40.0, 10.0);
    let max = rows
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = (width - left) / rows.len().max(1) as f64;
    let bar = (slot * 0.8 / series.len().max(1) as f64).max(1.0);
    let scale = (height - bottom - top) / f64::from(max);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\" style=\"background:#fff;border:1px solid #d5dbe3\">",
        esc(caption),
        esc(caption)
    );
    let base = height - bottom;
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{width}\" y2=\"{base}\" stroke=\"#8895a7\"/><text x=\"4\" y=\"{}\" font-size=\"11\">{max}</text><text x=\"4\" y=\"{base}\" font-size=\"11\">0</text>",
        top + 10.0
    );
    for (i, (label, values)) in rows.iter().enumerate() {
        let x0 = left + slot * i as f64 + slot * 0.1;
        for (j, v) in values.iter().enumerate() {
            let h = f64::from(*v) * scale;
            let colour = series.get(j).map_or("#888", |s| s.1);
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{}: {v}</title></rect>",
                x0 + bar * j as f64,
                base - h,
                esc(label)
            );
        }
        if rows.len() <= 16 || i % (rows.len() / 8).max(1) == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x0 + slot * 0.4,
                base + 14.0,
                esc(label)
            );
        }
    }
    for (j, (name, colour)) in series.iter().enumerate() {
        let x = left + 130.0 * j as f64;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            height - 14.0,
            x + 14.0,
            height - 5.0,
            esc(name)
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_languages() {
        assert_eq!(
            esc("<script>\"x\"&'\u{7}"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;\u{fffd}"
        );
        assert_eq!(
            accept_language(Some("fr-FR,pt-BR;q=0.9,en;q=0.8")),
            Some(Lang::Pt)
        );
        assert_eq!(
            accept_language(Some("en;q=0.5, zh-CN;q=0.9")),
            Some(Lang::Zh)
        );
        assert_eq!(accept_language(Some("de")), None);
        assert_eq!(accept_language(None), None);
    }

    #[test]
    fn charts_are_svg_with_a_bar_per_value() {
        let svg = bars(
            "Q",
            &[("a", "#111"), ("b", "#222")],
            &[("d1".into(), vec![1, 2]), ("d2".into(), vec![0, 3])],
        );
        assert_eq!(svg.matches("<rect").count(), 4 + 2);
        assert!(svg.contains("<svg") && !svg.contains("<script"));
    }
}
