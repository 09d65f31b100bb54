//! Markdown: the escaper report.md's template uses, and the committee's narrative made
//! safe for both outputs.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Backslash-escapes what Markdown (GFM) would read as markup, so config text cannot add
/// table columns, links, emphasis or HTML to report.md. `<` before a space or digit is left
/// alone: "< 3" cannot open a tag and reads better unescaped.
pub(super) fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '>' | '#' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => {
                if !matches!(chars.peek(), Some(c) if c.is_whitespace() || c.is_ascii_digit()) {
                    out.push('\\');
                }
                out.push('<');
            }
            // Only an entity reference (`&lt;`, `&#60;`) needs guarding; "A & B" stays.
            '&' => {
                if matches!(chars.peek(), Some(c) if c.is_ascii_alphanumeric() || *c == '#') {
                    out.push('\\');
                }
                out.push('&');
            }
            // A line break would end a table row or a list item early.
            '\r' | '\n' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Link targets the report may carry: the web, mail, and links within the report.
pub(super) fn is_safe_url(url: &str) -> bool {
    // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned[i..].starts_with(':') => {
            matches!(&cleaned[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

pub(super) fn narrative_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The narrative sits under an h2, so its `#` becomes h3 and the page keeps one h1.
pub(super) fn shift_heading(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Markdown → HTML with raw HTML shown as text, unsafe links reduced to their text and
/// images reduced to their alt text (the page must not fetch anything).
pub(super) fn narrative_to_html(md: &str) -> String {
    let mut links_kept: Vec<bool> = Vec::new();
    let events = Parser::new_ext(md, narrative_options()).filter_map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Heading { level, .. }) => Some(Event::Start(Tag::Heading {
            level: shift_heading(level),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(shift_heading(level))))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = is_safe_url(&dest_url);
            links_kept.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => links_kept
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// The narrative for report.md: the committee's Markdown as written, except that raw HTML
/// is turned into entities and unsafe links lose their brackets, so no renderer of the
/// .md file executes or links anything the HTML page would not.
pub(super) fn narrative_to_markdown(md: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Plain,
        Html,
        BrokenLink,
    }
    let mut marks = vec![Mark::Plain; md.len()];
    for (ev, range) in Parser::new_ext(md, narrative_options()).into_offset_iter() {
        let mark = match ev {
            Event::Html(_) | Event::InlineHtml(_) => Mark::Html,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !is_safe_url(&dest_url) =>
            {
                Mark::BrokenLink
            }
            _ => continue,
        };
        for m in marks.get_mut(range).into_iter().flatten() {
            // Raw HTML inside a broken link still needs its tags neutralised.
            if *m != Mark::Html {
                *m = mark;
            }
        }
    }
    let mut out = String::with_capacity(md.len() + 16);
    for (i, ch) in md.char_indices() {
        let mark = marks.get(i).copied().unwrap_or(Mark::Plain);
        match (mark, ch) {
            (Mark::Html | Mark::BrokenLink, '<') => out.push_str("&lt;"),
            (Mark::Html, '>') => out.push_str("&gt;"),
            (Mark::BrokenLink, '[') => out.push_str("&#91;"),
            (Mark::BrokenLink, ']') => out.push_str("&#93;"),
            _ => out.push(ch),
        }
    }
    out
}

/// `md` with every run of blank lines outside fenced code blocks made one blank line (blank
/// lines never change how Markdown renders there).
pub(super) fn single_blank_lines(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let (mut fenced, mut blank) = (false, false);
    for line in md.split_inclusive('\n') {
        let is_blank = line.trim().is_empty();
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if is_blank && blank && !fenced {
            continue;
        }
        blank = is_blank;
        out.push_str(line);
    }
    out
}
