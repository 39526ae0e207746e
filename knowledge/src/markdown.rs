//! Markdown to sections: one section per heading, with the heading path kept for citations
//! and the body turned into clean text (lists as lines, tables as rows, links with their
//! address, the growth-path mermaid graph as an arrow chain).
//!
//! What one document yields is capped ([`Limits`]): so many sections, so long a heading, so
//! long a section, so much text in all. A document past a cap is imported in part and the
//! cut is reported ([`Cut`]); parsing stops once nothing more would be kept, so a file of any
//! content (random bytes, 100,000 headings, one huge line) costs bounded memory and time.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A piece of a document under one heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSection {
    /// Headings from the top of the document down to this section's own.
    pub path: Vec<String>,
    /// The body as clean text, one block (paragraph, list item, table row) per line.
    pub text: String,
}

/// A parsed document: its title (first heading, or the given fallback), its sections, and
/// what was left out of it for being past a cap.
#[derive(Debug, Clone)]
pub struct ParsedDoc {
    pub title: String,
    pub sections: Vec<RawSection>,
    pub cut: Cut,
}

/// The most one document yields. The shipped documents are far inside these (at most a few
/// dozen sections of a few KiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of Markdown read from one document (cut at a line end); parsing costs memory in
    /// proportion to the Markdown, many times over for some (long runs of `*` or `[`).
    pub source_bytes: usize,
    /// Sections kept from one document; the rest are left out.
    pub sections: usize,
    /// Bytes of one heading; a longer one is shortened.
    pub heading_bytes: usize,
    /// Bytes of one section's text: a longer section goes on in another part under the same
    /// headings, and a single block (paragraph, code block, table row) longer than this is
    /// shortened.
    pub section_bytes: usize,
    /// Bytes of text kept from the whole document (sections and their headings); what
    /// follows is left out.
    pub text_bytes: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        source_bytes: 1024 * 1024,
        sections: 1000,
        heading_bytes: 300,
        section_bytes: 32 * 1024,
        text_bytes: 256 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// What a document lost to the [`Limits`], and how its long sections were split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cut {
    pub limits: Limits,
    /// Its Markdown was longer than the cap and what followed was not read.
    pub source_left_out: bool,
    /// It had more sections than the cap; those after it were left out.
    pub sections_left_out: bool,
    /// Its text reached the cap; what followed was left out.
    pub text_left_out: bool,
    /// Blocks (paragraphs, code blocks, table rows) shortened to the section cap.
    pub blocks_shortened: usize,
    /// Headings shortened to the cap.
    pub headings_shortened: usize,
    /// Parts started because a section grew past the section cap (nothing is lost).
    pub sections_split: usize,
}

impl Cut {
    /// Whether anything of the document was left out.
    pub fn lost(&self) -> bool {
        self.source_left_out
            || self.sections_left_out
            || self.text_left_out
            || self.blocks_shortened > 0
            || self.headings_shortened > 0
    }

    /// Whether there is anything to report.
    pub fn any(&self) -> bool {
        self.lost() || self.sections_split > 0
    }

    /// A sentence for the import report.
    pub fn describe(&self) -> String {
        let l = &self.limits;
        let mut lost = Vec::new();
        if self.source_left_out {
            lost.push(format!(
                "only its first {} of Markdown were read",
                size(l.source_bytes)
            ));
        }
        if self.sections_left_out {
            lost.push(format!("only its first {} sections were kept", l.sections));
        }
        if self.text_left_out {
            lost.push(format!(
                "text after its first {} was left out",
                size(l.text_bytes)
            ));
        }
        if self.blocks_shortened > 0 {
            lost.push(format!(
                "{} paragraph(s) or block(s) longer than {} were shortened",
                self.blocks_shortened,
                size(l.section_bytes)
            ));
        }
        if self.headings_shortened > 0 {
            lost.push(format!(
                "{} heading(s) were shortened to {}",
                self.headings_shortened,
                size(l.heading_bytes)
            ));
        }
        let split = (self.sections_split > 0).then(|| {
            format!(
                "long sections were split into parts of at most {} ({} more part(s))",
                size(l.section_bytes),
                self.sections_split
            )
        });
        let mut sentence = String::new();
        if !lost.is_empty() {
            sentence = format!(
                "imported in part (split it into smaller documents to keep it all): {}",
                lost.join("; ")
            );
        }
        if let Some(split) = split {
            if !sentence.is_empty() {
                sentence.push_str("; ");
            }
            sentence.push_str(&split);
        }
        sentence
    }
}

/// "1 MiB", "256 KiB", "300 bytes".
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Splits a Markdown document into sections within the default [`Limits`]. Sections with no
/// body of their own are kept out; their heading still stands in the path of the sections
/// below them.
pub fn parse(markdown: &str, fallback_title: &str) -> ParsedDoc {
    parse_with(markdown, fallback_title, Limits::DEFAULT)
}

/// [`parse`] within the given limits.
pub fn parse_with(markdown: &str, fallback_title: &str, limits: Limits) -> ParsedDoc {
    let mut parser = Builder {
        cut: Cut {
            limits,
            ..Cut::default()
        },
        ..Builder::default()
    };
    // Only so much Markdown is parsed, cut at a line end unless the last line is most of it.
    let source = if markdown.len() > limits.source_bytes {
        let head = shorten(markdown, limits.source_bytes);
        match head.rfind('\n') {
            Some(end) if end >= head.len() / 2 => &head[..=end],
            _ => head,
        }
    } else {
        markdown
    };
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(source, opts) {
        parser.event(event);
        if parser.full {
            break;
        }
    }
    parser.finish_section();
    // Unread Markdown is worth a mention only when the rest would have had room.
    parser.cut.source_left_out = source.len() < markdown.len() && !parser.full;
    // The title is the document's first heading when that is its first H1, or when the
    // document opens with a lower heading (a section before the first H1 is not below it).
    let title = match (&parser.first_h1, &parser.first_heading) {
        (Some(h1), Some(first)) if h1 != first && parser.opens_below_h1 => first.clone(),
        (Some(h1), _) => h1.clone(),
        (None, Some(first)) => first.clone(),
        (None, None) => shorten(fallback_title, limits.heading_bytes).to_string(),
    };
    let has_h1 = parser.first_h1.is_some();
    let mut sections = parser.sections;
    outline_headings(&mut sections, limits.sections);
    // A document without an H1 has nothing to root its paths: they start with the title,
    // so every citation names the document's subject.
    for s in &mut sections {
        if s.path.is_empty() || (!has_h1 && s.path[0] != title) {
            s.path.insert(0, title.clone());
        }
    }
    ParsedDoc {
        title,
        sections,
        cut: parser.cut,
    }
}

/// A heading with no text of its own whose subsections are the answer ("### UGL types"
/// over "#### 1. City organizer", "#### 2. Track owner"…) becomes a section listing them, so
/// "what kinds of UGL are there?" finds it. Only numbered subsections are read as a list. These come after the document's own sections:
/// the first of those still opens the document.
fn outline_headings(sections: &mut Vec<RawSection>, max: usize) {
    let mut outlines: Vec<RawSection> = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        for depth in 1..s.path.len() {
            let parent = &s.path[..depth];
            let known = sections.iter().any(|o| o.path == parent)
                || outlines.iter().any(|o| o.path == parent);
            // Found from its first subsection only.
            let first = sections[..i].iter().all(|o| !o.path.starts_with(parent));
            if known || !first {
                continue;
            }
            let mut children: Vec<&str> = Vec::new();
            for o in &sections[i..] {
                if o.path.starts_with(parent) && o.path.len() > depth {
                    let child = o.path[depth].as_str();
                    if !children.contains(&child) {
                        children.push(child);
                    }
                }
            }
            // Numbered subsections are items of one list; others are topics of their own
            // ("Overview", "Benefits") that the heading's sections answer better.
            let numbered = |c: &str| {
                c.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|ch| ch.is_ascii_digit()))
            };
            if children.len() < 2 || !children.iter().all(|c| numbered(c)) {
                continue;
            }
            let text = children.join("\n");
            outlines.push(RawSection {
                path: parent.to_vec(),
                text,
            });
        }
    }
    let room = max.saturating_sub(sections.len());
    sections.extend(outlines.into_iter().take(room));
}

/// List nesting shown by indentation; deeper items are indented as much as this level's.
const MAX_INDENT_LEVELS: usize = 8;

/// The longest start of `s` within `max` bytes, cut at a character boundary.
pub(crate) fn shorten(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Appends as much of `t` as fits in `max` bytes; `false` when some did not fit.
fn push_within(buf: &mut String, t: &str, max: usize) -> bool {
    let room = max.saturating_sub(buf.len());
    let part = shorten(t, room);
    buf.push_str(part);
    part.len() == t.len()
}

#[derive(Default)]
struct Builder {
    /// The current heading at each level (index 0 = H1).
    headings: [Option<String>; 6],
    first_heading: Option<String>,
    first_h1: Option<String>,
    /// The first heading came before any H1 and is not one.
    opens_below_h1: bool,
    heading_text: Option<String>,
    heading_level: usize,
    body: String,
    line: String,
    sections: Vec<RawSection>,
    list_depth: usize,
    /// The next number of each open list (`None` for bullet lists).
    list_numbers: Vec<Option<u64>>,
    item_prefix: Option<String>,
    in_code: Option<String>,
    code: String,
    link_urls: Vec<String>,
    link_text_start: Vec<usize>,
    in_table_cell: bool,
    row_cells: Vec<String>,
    /// Bytes of the table row being read.
    row_bytes: usize,
    /// Some text was dropped from the block (line, code block, table row) or heading being read.
    block_cut: bool,
    heading_cut: bool,
    /// Bytes of text kept so far, against [`Limits::text_bytes`].
    kept: usize,
    /// Nothing more will be kept: parsing can stop.
    full: bool,
    cut: Cut,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.finish_section();
                self.heading_level = heading_index(level);
                self.heading_text = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                let raw = clean_inline(&self.heading_text.take().unwrap_or_default());
                let max = self.cut.limits.heading_bytes;
                let text = shorten(&raw, max).trim_end().to_string();
                if std::mem::take(&mut self.heading_cut) || text.len() < raw.len() {
                    self.cut.headings_shortened += 1;
                }
                let level = self.heading_level;
                if self.first_heading.is_none() && !text.is_empty() {
                    self.first_heading = Some(text.clone());
                    self.opens_below_h1 = level > 0;
                }
                if level == 0 && self.first_h1.is_none() && !text.is_empty() {
                    self.first_h1 = Some(text.clone());
                }
                self.headings[level] = (!text.is_empty()).then_some(text);
                for deeper in &mut self.headings[level + 1..] {
                    *deeper = None;
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.in_code = Some(lang);
                self.code.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                let lang = self.in_code.take().unwrap_or_default();
                let text = if lang.eq_ignore_ascii_case("mermaid") {
                    mermaid_to_text(&self.code)
                } else {
                    self.code.trim().to_string()
                };
                self.push_line_text(&text);
                self.end_line();
            }
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::InlineHtml(h) | Event::Html(h)
                if h.trim().to_ascii_lowercase().starts_with("<br") =>
            {
                if self.in_table_cell {
                    self.text("; ");
                } else {
                    self.end_line();
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.end_line(),
            Event::Start(Tag::List(start)) => self.list_numbers.push(start),
            Event::End(TagEnd::List(_)) => {
                self.list_numbers.pop();
            }
            Event::Start(Tag::Item) => {
                self.end_line();
                self.list_depth += 1;
                // Ordered lists keep their numbers: "14. Deliver Results" says there are 14.
                if let Some(Some(n)) = self.list_numbers.last_mut() {
                    self.item_prefix = Some(format!("{n}. "));
                    *n += 1;
                }
            }
            Event::End(TagEnd::Item) => {
                self.end_line();
                self.list_depth = self.list_depth.saturating_sub(1);
            }
            Event::End(TagEnd::Paragraph) => self.end_line(),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                self.link_urls.push(dest_url.to_string());
                self.link_text_start.push(self.current_len());
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                let url = self.link_urls.pop().unwrap_or_default();
                let start = self.link_text_start.pop().unwrap_or(0);
                let shown = self.current_text_from(start);
                if (url.starts_with("http") || url.starts_with("mailto:")) && shown.trim() != url {
                    self.text(&format!(" ({url})"));
                }
            }
            Event::Start(Tag::TableCell) => {
                self.in_table_cell = true;
                self.line.clear();
            }
            Event::End(TagEnd::TableCell) => {
                self.in_table_cell = false;
                let cell = clean_inline(&std::mem::take(&mut self.line));
                // A row no section could hold is not gathered whole.
                if self.row_bytes + cell.len() <= self.cut.limits.section_bytes {
                    self.row_bytes += cell.len() + 2;
                    self.row_cells.push(cell);
                } else {
                    self.block_cut = true;
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                self.row_bytes = 0;
                let cells: Vec<String> = std::mem::take(&mut self.row_cells)
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .collect();
                if !cells.is_empty() {
                    self.line = cells.join(": ");
                    self.end_line();
                }
            }
            Event::Rule => self.end_line(),
            _ => {}
        }
    }

    fn current_len(&self) -> usize {
        match &self.heading_text {
            Some(h) => h.len(),
            None => self.line.len(),
        }
    }

    fn current_text_from(&self, start: usize) -> String {
        let s = match &self.heading_text {
            Some(h) => h.as_str(),
            None => self.line.as_str(),
        };
        s.get(start..).unwrap_or("").to_string()
    }

    /// Gathers text into the block being read, no more of it than a section could hold:
    /// one huge line or code block costs no more than the cap.
    fn text(&mut self, t: &str) {
        let limits = self.cut.limits;
        let fits = if self.in_code.is_some() {
            push_within(&mut self.code, t, limits.section_bytes)
        } else if let Some(h) = &mut self.heading_text {
            // Room for the white space and pictographs cleaning drops.
            let fits = push_within(h, t, 4 * limits.heading_bytes);
            self.heading_cut |= !fits;
            return;
        } else {
            push_within(&mut self.line, t, limits.section_bytes)
        };
        self.block_cut |= !fits;
    }

    fn push_line_text(&mut self, t: &str) {
        for l in t.lines() {
            if self.full {
                break;
            }
            self.line.push_str(l);
            self.end_line();
        }
    }

    fn end_line(&mut self) {
        if self.in_table_cell {
            return;
        }
        let line = clean_inline(&std::mem::take(&mut self.line));
        let shortened = std::mem::take(&mut self.block_cut);
        if shortened {
            self.cut.blocks_shortened += 1;
        }
        if line.is_empty() || self.full {
            return;
        }
        let limits = self.cut.limits;
        let mut add = String::with_capacity(line.len() + 8);
        if self.list_depth > 0 {
            // Nested items are indented two spaces a level, up to a few levels so a deeply
            // nested list does not fill its section with spaces; numbered ones keep their
            // number ("3. …"), bullets become "- ".
            for _ in 1..self.list_depth.min(MAX_INDENT_LEVELS) {
                add.push_str("  ");
            }
            match self.item_prefix.take() {
                Some(number) => add.push_str(&number),
                None => add.push_str("- "),
            }
        }
        add.push_str(&line);
        // A section about to grow past its cap ends here; its text goes on in a next part
        // under the same headings.
        if !self.body.is_empty() && self.body.len() + 1 + add.len() > limits.section_bytes {
            self.cut.sections_split += 1;
            self.push_section();
            if self.full {
                return;
            }
        }
        if !self.body.is_empty() {
            add.insert(0, '\n');
        }
        let before = self.body.len();
        let section_room = limits.section_bytes.saturating_sub(before);
        let room = section_room.min(limits.text_bytes.saturating_sub(self.kept));
        if !push_within(&mut self.body, &add, before + room) {
            if room < section_room {
                // The document's text is at its cap: nothing more is kept.
                self.cut.text_left_out = true;
                self.full = true;
            } else if !shortened {
                self.cut.blocks_shortened += 1;
            }
        }
        self.kept += self.body.len() - before;
    }

    fn finish_section(&mut self) {
        self.end_line();
        self.push_section();
    }

    fn push_section(&mut self) {
        let body = std::mem::take(&mut self.body);
        if body.trim().is_empty() {
            return;
        }
        if self.sections.len() >= self.cut.limits.sections {
            self.cut.sections_left_out = true;
            self.full = true;
            return;
        }
        let path: Vec<String> = self.headings.iter().flatten().cloned().collect();
        // Its headings count too: the next line finds the document full if they filled it.
        self.kept += path.iter().map(String::len).sum::<usize>();
        self.sections.push(RawSection { path, text: body });
    }
}

fn heading_index(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 0,
        HeadingLevel::H2 => 1,
        HeadingLevel::H3 => 2,
        HeadingLevel::H4 => 3,
        HeadingLevel::H5 => 4,
        HeadingLevel::H6 => 5,
    }
}

/// Pictographs carry no meaning for search and clutter citations.
fn is_decoration(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE00..=0xFE0F | 0x200D | 0x20E3)
}

/// Folds white space, drops pictographs and leading list punctuation left by the source.
fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_decoration(c) || c == '•' {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if space && !out.ends_with(' ') {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out.trim_start_matches(['•', '→', '-', ' '])
        .trim()
        .to_string()
}

/// `graph LR; A[Member] --> B[Volunteer]; B --> C[...]` becomes "Member → Volunteer → ...".
/// Chains are followed from the first node; a graph that is not a simple chain lists its edges.
fn mermaid_to_text(src: &str) -> String {
    let mut labels: Vec<(String, String)> = Vec::new();
    let mut edges: Vec<(String, String)> = Vec::new();
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with("graph")
            || line.starts_with("flowchart")
            || line.starts_with("%%")
        {
            continue;
        }
        let parts: Vec<&str> = line.split("-->").map(str::trim).collect();
        let mut ids = Vec::new();
        for part in parts {
            let (id, label) = mermaid_node(part);
            if id.is_empty() {
                continue;
            }
            if let Some(label) = label {
                if !labels.iter().any(|(i, _)| *i == id) {
                    labels.push((id.clone(), label));
                }
            }
            ids.push(id);
        }
        for pair in ids.windows(2) {
            edges.push((pair[0].clone(), pair[1].clone()));
        }
    }
    let name = |id: &str| {
        labels
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let Some((first, _)) = edges.first().cloned() else {
        return labels
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join(", ");
    };
    let mut chain = vec![first.clone()];
    let mut current = first;
    while let Some((_, next)) = edges.iter().find(|(from, _)| *from == current) {
        if chain.contains(next) {
            break;
        }
        chain.push(next.clone());
        current = next.clone();
    }
    if chain.len() == edges.len() + 1 {
        chain
            .iter()
            .map(|id| name(id))
            .collect::<Vec<_>>()
            .join(" → ")
    } else {
        edges
            .iter()
            .map(|(a, b)| format!("{} → {}", name(a), name(b)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `A[Label]`, `A(Label)`, `A{Label}` or a bare `A`.
fn mermaid_node(part: &str) -> (String, Option<String>) {
    let part = part.trim_end_matches(';').trim();
    match part.find(['[', '(', '{']) {
        Some(open) => {
            let id = part[..open].trim().to_string();
            let label = part[open + 1..]
                .trim_end_matches([']', ')', '}'])
                .trim_matches(['"', '\''])
                .trim()
                .to_string();
            (id, (!label.is_empty()).then_some(label))
        }
        None => (part.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_headings_with_paths() {
        let doc = parse(
            "# Heroes\n\nIntro text.\n\n## Benefits\n\n- **Credits**: $2000 a year\n- A *free* ticket\n\n### Local\n\nTalks.\n\n## Empty\n\n## Apply\n\nSee [the form](https://example.org/hero).\n",
            "fallback",
        );
        assert_eq!(doc.title, "Heroes");
        let paths: Vec<String> = doc.sections.iter().map(|s| s.path.join(" › ")).collect();
        assert_eq!(
            paths,
            [
                "Heroes",
                "Heroes › Benefits",
                "Heroes › Benefits › Local",
                "Heroes › Apply"
            ]
        );
        assert_eq!(
            doc.sections[1].text,
            "- Credits: $2000 a year\n- A free ticket"
        );
        assert_eq!(
            doc.sections[3].text,
            "See the form (https://example.org/hero)."
        );
    }

    #[test]
    fn tables_become_rows_and_br_splits_cells() {
        let doc = parse(
            "## 🏆 Hero\n\n| Kind | What |\n|---|---|\n| **Product** | • roadmap<br/>• $2000 credits |\n",
            "t",
        );
        assert_eq!(doc.sections[0].path, ["Hero"]);
        assert_eq!(
            doc.sections[0].text,
            "Kind: What\nProduct: roadmap; $2000 credits"
        );
    }

    #[test]
    fn mermaid_growth_path_becomes_a_chain() {
        let doc = parse(
            "# Path\n\n```mermaid\ngraph LR\n    A[会员] --> B[志愿者]\n    B --> C[技术专家演讲者]\n    C --> D[UGL]\n```\n",
            "t",
        );
        assert_eq!(doc.sections[0].text, "会员 → 志愿者 → 技术专家演讲者 → UGL");
    }

    #[test]
    fn a_heading_without_text_lists_its_subsections() {
        let doc = parse(
            "# Members\n\nWho the members are.\n\n## Leader types\n\n### 1. City organizer\n\nRuns events.\n\n### 2. Track owner\n\nReviews talks.\n\n## Benefits\n\nMany.\n",
            "x",
        );
        let outline = doc
            .sections
            .iter()
            .find(|s| s.path.last().map(String::as_str) == Some("Leader types"))
            .expect("an outline section");
        assert_eq!(outline.text, "1. City organizer\n2. Track owner");
        // The document still opens with its own first section, and no heading with text
        // of its own is outlined twice.
        assert_eq!(doc.sections[0].text, "Who the members are.");
        assert_eq!(doc.sections.iter().filter(|s| s.path.len() == 1).count(), 1);
    }

    #[test]
    fn ordered_lists_keep_their_numbers() {
        let doc = parse(
            "# P\n\n1. **Customer Obsession**: start with the community.\n2. Ownership\n",
            "t",
        );
        assert_eq!(
            doc.sections[0].text,
            "1. Customer Obsession: start with the community.\n2. Ownership"
        );
    }

    #[test]
    fn document_without_headings_uses_fallback_title() {
        let doc = parse("Just some text\nover two lines.", "notes.md");
        assert_eq!(doc.title, "notes.md");
        assert_eq!(doc.sections[0].path, ["notes.md"]);
        assert_eq!(doc.sections[0].text, "Just some text over two lines.");
    }

    #[test]
    fn autolinks_are_not_doubled() {
        let doc = parse("# T\n\nGo to <https://aws.amazon.com/developer/>.", "t");
        assert_eq!(
            doc.sections[0].text,
            "Go to https://aws.amazon.com/developer/."
        );
    }

    /// Every section, heading and the whole within the limits.
    fn assert_within(doc: &ParsedDoc, l: Limits) {
        assert!(
            doc.sections.len() <= l.sections,
            "{} sections",
            doc.sections.len()
        );
        let mut total = 0;
        for s in &doc.sections {
            assert!(
                s.text.len() <= l.section_bytes,
                "a section of {}",
                s.text.len()
            );
            for h in &s.path {
                assert!(h.len() <= l.heading_bytes, "a heading of {}", h.len());
            }
            total += s.text.len();
        }
        assert!(total <= l.text_bytes, "{total} bytes of text");
        assert!(doc.title.len() <= l.heading_bytes);
    }

    #[test]
    fn sections_per_document_are_capped() {
        let md: String = (0..100_000)
            .map(|i| format!("## Heading {i}\n\nBody {i}.\n\n"))
            .collect();
        let doc = parse(&md, "t");
        assert_within(&doc, Limits::DEFAULT);
        assert_eq!(doc.sections.len(), Limits::DEFAULT.sections);
        assert!(doc.cut.sections_left_out && doc.cut.lost());
        assert!(doc
            .cut
            .describe()
            .contains("only its first 1000 sections were kept"));
        assert_eq!(doc.sections[999].text, "Body 999.");
    }

    #[test]
    fn long_headings_are_shortened_at_a_character_boundary() {
        let long = "社区".repeat(5000);
        let md = format!(
            "# {long}\n\nText.\n\n## {}\n\nMore.\n",
            "word ".repeat(10_000)
        );
        let doc = parse(&md, "t");
        assert_within(&doc, Limits::DEFAULT);
        assert_eq!(doc.cut.headings_shortened, 2);
        assert!(long.starts_with(&doc.title));
        assert!(doc.title.len() > Limits::DEFAULT.heading_bytes - 3);
        assert!(doc
            .cut
            .describe()
            .contains("2 heading(s) were shortened to 300 bytes"));
    }

    #[test]
    fn a_long_section_goes_on_in_parts_and_nothing_is_lost() {
        let l = Limits {
            section_bytes: 4096,
            ..Limits::DEFAULT
        };
        let paragraphs: Vec<String> = (0..200)
            .map(|i| format!("{i} {}", "x".repeat(1000)))
            .collect();
        let md = format!("# Long\n\n{}", paragraphs.join("\n\n"));
        let doc = parse_with(&md, "t", l);
        assert_within(&doc, l);
        assert!(doc.sections.len() > 40);
        assert!(doc.sections.iter().all(|s| s.path == ["Long"]));
        let kept: Vec<&str> = doc.sections.iter().flat_map(|s| s.text.lines()).collect();
        assert_eq!(kept, paragraphs);
        assert!(!doc.cut.lost(), "{:?}", doc.cut);
        assert_eq!(doc.cut.sections_split, doc.sections.len() - 1);
        assert!(doc.cut.describe().starts_with("long sections were split"));
    }

    #[test]
    fn the_text_of_a_document_is_capped() {
        let md: String = (0..20_000)
            .map(|i| format!("## Part {i}\n\n{}\n\n", "prose words here ".repeat(25)))
            .collect();
        assert!(md.len() > 8 << 20);
        let doc = parse(&md, "t");
        assert_within(&doc, Limits::DEFAULT);
        assert!(doc.cut.text_left_out);
        assert!(!doc.cut.source_left_out, "the text cap came first");
        // Up to the cap, the headings of the sections counted in.
        let text: usize = doc.sections.iter().map(|s| s.text.len()).sum();
        assert!(text > Limits::DEFAULT.text_bytes * 9 / 10, "{text}");
    }

    #[test]
    fn one_huge_line_costs_one_section() {
        let word = "word ".repeat((8 << 20) / 5);
        let doc = parse(&format!("# One line\n\n{word}"), "t");
        assert_within(&doc, Limits::DEFAULT);
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.cut.blocks_shortened, 1);
        assert!(doc.cut.source_left_out);
        assert!(doc
            .cut
            .describe()
            .contains("only its first 1 MiB of Markdown were read"));
        assert!(doc.sections[0].text.len() > Limits::DEFAULT.section_bytes - 8);
    }

    #[test]
    fn code_blocks_and_table_rows_are_capped() {
        let code = format!("# C\n\n```\n{}\n```\n", "let x = 1;".repeat(100_000));
        let doc = parse(&code, "t");
        assert_within(&doc, Limits::DEFAULT);
        assert_eq!(doc.cut.blocks_shortened, 1);
        let row: String = (0..20_000).map(|i| format!("| cell{i} ")).collect();
        let header: String = (0..20_000).map(|_| "|---").collect();
        let table = format!("# T\n\n{row}|\n{header}|\n{row}|\n");
        let doc = parse(&table, "t");
        assert_within(&doc, Limits::DEFAULT);
        assert!(doc.cut.blocks_shortened >= 1, "{:?}", doc.cut);
    }

    #[test]
    fn deeply_nested_lists_and_quotes_stay_within_the_limits() {
        let list: String = (0..5000)
            .map(|d| format!("{}- item {d}\n", "  ".repeat(d)))
            .collect();
        let quotes: String = (0..5000)
            .map(|d| format!("{} quote {d}\n", ">".repeat(d)))
            .collect();
        let emphasis = "*a **b [c ".repeat(200_000);
        for md in [list, quotes, emphasis] {
            assert_within(&parse(&md, "t"), Limits::DEFAULT);
        }
        // Indentation stops a few levels down: the deep items are text, not spaces.
        let list: String = (0..2000)
            .map(|d| format!("{}- item {d}\n", "  ".repeat(d)))
            .collect();
        let doc = parse(&list, "t");
        let lines: Vec<&str> = doc.sections.iter().flat_map(|s| s.text.lines()).collect();
        assert!(lines.len() > 100, "{}", lines.len());
        for line in lines {
            let indent = line.len() - line.trim_start().len();
            assert!(indent <= 2 * (MAX_INDENT_LEVELS - 1), "{line:?}");
        }
    }

    #[test]
    fn the_caps_are_those_the_import_tests_write_out() {
        let l = Limits::DEFAULT;
        assert_eq!(
            (l.sections, l.section_bytes, l.heading_bytes),
            (1000, 32 << 10, 300)
        );
    }

    #[test]
    fn the_shipped_documents_are_far_inside_the_limits() {
        let kb = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
        let mut seen = 0;
        for lang in std::fs::read_dir(kb).unwrap() {
            for file in std::fs::read_dir(lang.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let doc = parse(&text, "t");
                assert!(!doc.cut.any(), "{}: {:?}", path.display(), doc.cut);
                seen += 1;
            }
        }
        assert!(seen > 10);
    }

    proptest::proptest! {
        #[test]
        fn any_text_stays_within_small_limits(md in "[#\n *>`|\\[\\]()!a-c1中 -]{0,3000}") {
            let l = Limits {
                source_bytes: 2000,
                sections: 5,
                heading_bytes: 10,
                section_bytes: 60,
                text_bytes: 200,
            };
            assert_within(&parse_with(&md, "fallback title that is long", l), l);
        }
    }
}
