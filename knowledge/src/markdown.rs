//! Markdown to sections: one section per heading, with the heading path kept for citations
//! and the body turned into clean text (lists as lines, tables as rows, links with their
//! address, the growth-path mermaid graph as an arrow chain).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A piece of a document under one heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSection {
    /// Headings from the top of the document down to this section's own.
    pub path: Vec<String>,
    /// The body as clean text, one block (paragraph, list item, table row) per line.
    pub text: String,
}

/// A parsed document: its title (first heading, or the given fallback) and its sections.
#[derive(Debug, Clone)]
pub struct ParsedDoc {
    pub title: String,
    pub sections: Vec<RawSection>,
}

/// Splits a Markdown document into sections. Sections with no body of their own are kept
/// out; their heading still stands in the path of the sections below them.
pub fn parse(markdown: &str, fallback_title: &str) -> ParsedDoc {
    let mut parser = Builder::default();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, opts) {
        parser.event(event);
    }
    parser.finish_section();
    // The title is the document's first heading when that is its first H1, or when the
    // document opens with a lower heading (a section before the first H1 is not below it).
    let title = match (&parser.first_h1, &parser.first_heading) {
        (Some(h1), Some(first)) if h1 != first && parser.opens_below_h1 => first.clone(),
        (Some(h1), _) => h1.clone(),
        (None, Some(first)) => first.clone(),
        (None, None) => fallback_title.to_string(),
    };
    let has_h1 = parser.first_h1.is_some();
    let mut sections = parser.sections;
    // A document without an H1 has nothing to root its paths: they start with the title,
    // so every citation names the document's subject.
    for s in &mut sections {
        if s.path.is_empty() || (!has_h1 && s.path[0] != title) {
            s.path.insert(0, title.clone());
        }
    }
    ParsedDoc { title, sections }
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
                let text = clean_inline(&self.heading_text.take().unwrap_or_default());
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
                self.row_cells.push(cell);
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
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

    fn text(&mut self, t: &str) {
        if self.in_code.is_some() {
            self.code.push_str(t);
        } else if let Some(h) = &mut self.heading_text {
            h.push_str(t);
        } else {
            self.line.push_str(t);
        }
    }

    fn push_line_text(&mut self, t: &str) {
        for l in t.lines() {
            self.line.push_str(l);
            self.end_line();
        }
    }

    fn end_line(&mut self) {
        if self.in_table_cell {
            return;
        }
        let line = clean_inline(&std::mem::take(&mut self.line));
        if line.is_empty() {
            return;
        }
        if !self.body.is_empty() {
            self.body.push('\n');
        }
        if self.list_depth > 0 {
            // Nested items are indented two spaces a level; numbered ones keep their number
            // ("3. …"), bullets become "- ".
            for _ in 1..self.list_depth {
                self.body.push_str("  ");
            }
            match self.item_prefix.take() {
                Some(number) => self.body.push_str(&number),
                None => self.body.push_str("- "),
            }
        }
        self.body.push_str(&line);
    }

    fn finish_section(&mut self) {
        self.end_line();
        let body = std::mem::take(&mut self.body);
        if body.trim().is_empty() {
            return;
        }
        let path: Vec<String> = self.headings.iter().flatten().cloned().collect();
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
}
