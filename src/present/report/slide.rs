//! The closing-session slide (`[slide]`): the report's few headline figures on one
//! 1920×1080 page, as `slide.html` (real text, for a browser on the projector) and
//! `slide.svg` (for a slide deck).
//!
//! Both are drawn from one [`SlideView`], built from the same summary and suppression as the
//! report: a withheld count reads "fewer than N" (or "withheld"), never its number; a list
//! shows only counts the report publishes, so a withheld cell is never ranked or shown; and a
//! fact the export does not record has no figure (its counts are `null`, so nothing of it
//! is listed).

use super::view::Ctx;
use super::ReportInput;
use crate::config::slide::Slide as SlideConfig;
use crate::config::CountBasis;
use crate::model::{Counts, UNASSIGNED};
use crate::present::chart::{escape_xml, FONT_STACK};
use crate::present::text::{
    action_label, is_month_name, period_line, slide_words, thousands, withheld, withheld_rule,
};

/// The slide's size, in CSS pixels: a 16:9 projector.
pub const WIDTH: u32 = 1920;
pub const HEIGHT: u32 = 1080;

/// A headline figure: a big number (or "fewer than 3") over what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: String,
    /// The value is words ("fewer than 3"), set smaller than a number.
    pub words: bool,
    pub label: String,
}

/// A short list: the largest published counts of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub id: &'static str,
    pub heading: String,
    /// (label, count).
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlideView {
    pub kicker: String,
    pub title: String,
    pub period: String,
    pub figures: Vec<Figure>,
    pub lists: Vec<List>,
    /// A period without cases: the community's sentence and what it means, instead of
    /// figures.
    pub empty: Option<(String, String)>,
    /// Lines at the foot: the rule for withheld counts (when one is shown), the committee's
    /// note.
    pub notes: Vec<String>,
}

/// The slide's two files.
pub struct Rendered {
    pub html: String,
    pub svg: String,
}

pub(super) fn view(input: &ReportInput, slide: &SlideConfig, title: String) -> SlideView {
    let s = input.summary;
    let c = input.config;
    let cx = Ctx::new(input);
    let min_cell = input.suppression.min_cell;
    let by_incident =
        input.incidents.is_some() && c.incidents.count_categories_by == CountBasis::Incidents;
    let words = slide_words(&c.words, by_incident);
    let mut withheld_shown = false;
    let mut figures = vec![match s.cases.total {
        Some(n) => number(n, &words.received),
        None => {
            withheld_shown = true;
            Figure {
                value: withheld(min_cell, cx.fmt.is_complementary("cases", "total")),
                words: true,
                label: words.received.clone(),
            }
        }
    }];
    if let Some(i) = input.incidents {
        figures.push(number(i.incidents, words.incidents));
    }
    let empty = (s.cases.total == Some(0))
        .then(|| c.words.no_cases(input.event.unwrap_or(&s.period.label)));
    let mut lists = Vec::new();
    if empty.is_none() {
        let sections = match input.incidents {
            Some(i) if by_incident => &i.by_category,
            _ => &s.by_category,
        };
        // A table the report shows with a withheld cell: the slide says why a list may be short.
        let withheld_in = |counts: &Counts, section: &str, fact: Option<&str>| {
            s.shows(section)
                && fact.is_none_or(|f| s.recorded(f))
                && counts.values().any(Option::is_none)
        };
        withheld_shown |= slide.sections > 0 && withheld_in(sections, "categories", None);
        let rows = largest(sections, slide.sections, |k| c.taxonomy.category_label(k));
        if !rows.is_empty() {
            lists.push(List {
                id: "sections",
                heading: words.by_section.clone(),
                rows,
            });
        }
        // As the sections: per incident where the report counts by incident (the PSF counts
        // outcomes per issue).
        let by_action = match input.incidents.and_then(|i| i.by_action.as_ref()) {
            Some(a) if by_incident => a,
            _ => &s.by_action,
        };
        let actions: Counts = by_action
            .iter()
            .filter(|(k, _)| k.as_str() != UNASSIGNED)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        withheld_shown |= slide.actions > 0 && withheld_in(&actions, "outcomes", Some("action"));
        let rows = largest(&actions, slide.actions, |k| action_label(&c.taxonomy, k));
        if !rows.is_empty() {
            lists.push(List {
                id: "actions",
                heading: words.actions.into(),
                rows,
            });
        }
    }
    let mut notes = Vec::new();
    if withheld_shown {
        notes.push(withheld_rule(min_cell));
    }
    notes.extend(slide.note.clone());
    SlideView {
        kicker: format!("{} · {}", words.initial, c.organisation),
        title,
        period: period_line(input.event, &s.period.start, &s.period.end),
        figures,
        lists,
        empty,
        notes,
    }
}

fn number(n: u64, label: &str) -> Figure {
    Figure {
        value: thousands(n),
        words: false,
        label: label.into(),
    }
}

/// The `n` largest published non-zero counts, largest first, ties in table order. A withheld
/// cell is left out, never ranked: where it would stand says something about its value.
fn largest(counts: &Counts, n: u8, label: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut shown: Vec<(usize, &String, u64)> = counts
        .iter()
        .enumerate()
        .filter_map(|(i, (k, v))| match v {
            Some(v) if *v > 0 => Some((i, k, *v)),
            _ => None,
        })
        .collect();
    shown.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    shown
        .into_iter()
        .take(usize::from(n))
        .map(|(_, k, v)| (label(k), thousands(v)))
        .collect()
}

pub(super) fn render(v: &SlideView) -> Rendered {
    Rendered {
        html: html(v),
        svg: svg(v),
    }
}

/// What the slide says, as one text: the SVG's description.
fn description(v: &SlideView) -> String {
    let mut parts = vec![format!("{}.", v.period)];
    if let Some((said, meaning)) = &v.empty {
        parts.push(said.clone());
        parts.push(meaning.clone());
    } else {
        for f in &v.figures {
            parts.push(format!("{}: {}.", f.label, f.value));
        }
        for l in &v.lists {
            let rows: Vec<String> = l.rows.iter().map(|(k, n)| format!("{k} {n}")).collect();
            parts.push(format!("{}: {}.", l.heading, rows.join(", ")));
        }
    }
    parts.extend(v.notes.iter().cloned());
    parts.join(" ")
}

const CSS: &str = r#"
*{box-sizing:border-box}
html{color-scheme:light dark;font-size:min(1.6667vw,2.963vh)}
body{margin:0;font-family:FONTS;background:#fff;color:#16181d;line-height:1.2}
main{display:grid;grid-template-rows:auto 1fr auto;gap:1.2rem;width:100%;min-height:100vh;padding:1.8rem 3rem 1.2rem}
.kicker{margin:0;font-size:1.1rem;color:#3d4149;text-transform:uppercase;letter-spacing:.06em;font-weight:600}
h1{margin:.2rem 0 0;font-size:1.9rem;line-height:1.12}
.period{margin:.3rem 0 0;font-size:1.25rem;color:#3d4149}
.body{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,7fr);gap:3rem;align-items:start}
.figures{display:flex;flex-direction:column;gap:1.2rem;margin:0}
.figures div{border-left:.4rem solid #0072b2;padding-left:1.2rem}
.figures dd{margin:0;font-size:4.6rem;font-weight:700;line-height:1;color:#005a8c;font-variant-numeric:tabular-nums}
.figures dd.words{font-size:2.6rem;line-height:1.1}
.figures dt{font-size:1.4rem;margin-top:.4rem}
.lists{display:flex;flex-direction:column;gap:1rem}
h2{margin:0 0 .2rem;font-size:1.3rem;color:#3d4149}
table{border-collapse:collapse;width:100%;font-size:1.2rem}
th,td{padding:.25rem 0;border-bottom:2px solid #d0d4da;text-align:left}
td{text-align:right;font-weight:700;font-variant-numeric:tabular-nums;padding-left:1rem;white-space:nowrap}
th{font-weight:400}
.empty{grid-column:1/-1}
.empty p{margin:0;font-size:2.6rem;font-weight:700;max-width:40ch}
.empty p+p{margin-top:1.2rem;font-size:1.4rem;font-weight:400;color:#3d4149;max-width:60ch}
footer p{margin:0;font-size:1rem;color:#3d4149}
footer p+p{margin-top:.3rem}
.date{white-space:nowrap}
@media (max-width:900px){html{font-size:16px}.body{grid-template-columns:1fr}}
@media (prefers-color-scheme:dark){
body{background:#16181d;color:#f2f3f5}
.kicker,.period,h2,footer p,.empty p+p{color:#c9ccd2}
.figures div{border-color:#56b4e9}
.figures dd{color:#8ccff5}
th,td{border-color:#4a4f59}
}
"#;

fn html(v: &SlideView) -> String {
    let e = |t: &str| escape_xml(t);
    let mut out = String::with_capacity(4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // As the report: no script, nothing from the network.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n");
    out.push_str(&format!("<title>{}</title>\n", e(&v.title)));
    out.push_str(&format!(
        "<style>{}</style>\n</head>\n<body>\n<main>\n",
        CSS.replace("FONTS", FONT_STACK)
    ));
    out.push_str(&format!(
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<p class=\"period\">{}</p>\n</header>\n",
        e(&v.kicker),
        dated(&v.title),
        dated(&v.period)
    ));
    out.push_str("<div class=\"body\">\n");
    if let Some((said, meaning)) = &v.empty {
        out.push_str(&format!(
            "<div class=\"empty\">\n<p>{}</p>\n<p>{}</p>\n</div>\n",
            dated(said),
            dated(meaning)
        ));
    } else {
        out.push_str("<dl class=\"figures\">\n");
        for f in &v.figures {
            out.push_str(&format!(
                "<div><dd{}>{}</dd><dt>{}</dt></div>\n",
                if f.words { " class=\"words\"" } else { "" },
                e(&f.value),
                e(&f.label)
            ));
        }
        out.push_str("</dl>\n<div class=\"lists\">\n");
        for l in &v.lists {
            out.push_str(&format!(
                "<section aria-labelledby=\"slide-{id}\">\n<h2 id=\"slide-{id}\">{}</h2>\n<table>\n",
                e(&l.heading),
                id = l.id
            ));
            for (k, n) in &l.rows {
                out.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                    e(k),
                    e(n)
                ));
            }
            out.push_str("</table>\n</section>\n");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n<footer>\n");
    for n in &v.notes {
        out.push_str(&format!("<p>{}</p>\n", dated(n)));
    }
    out.push_str("</footer>\n</main>\n</body>\n</html>\n");
    out
}

// The SVG is laid out on a fixed 1920×1080 grid. Text width is estimated, not measured (no
// font ships with the report): an average glyph is taken as 0.55 em (0.6 em bold), a digit
// as 0.64 em (0.7 em bold), and text
// that would overrun its column is set smaller, or wrapped where it is a sentence.
const MARGIN: u32 = 96;
const RIGHT_COLUMN: u32 = 840;
const INK: &str = "#16181d";
const MUTED: &str = "#3d4149";
const ACCENT: &str = "#005a8c";
const RULE: &str = "#d0d4da";

fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    // Digits are wider than the average glyph (DejaVu Sans: 0.64 em, bold 0.70 em): a line of
    // dates measured as letters would overrun its column.
    let (em, digit) = if bold { (0.6, 0.7) } else { (0.55, 0.64) };
    text.chars()
        .map(|c| if c.is_ascii_digit() { digit } else { em })
        .sum::<f64>()
        * size
}

/// The largest size up to `size` at which `text` fits in `width`.
fn fit(text: &str, size: f64, width: f64, bold: bool) -> u32 {
    let w = text_width(text, size, bold);
    let fitted = if w > width { size * width / w } else { size };
    fitted.floor().max(12.0) as u32
}

/// A title in two lines, broken at the space nearest its middle that is not inside a date.
fn two_lines(title: &str) -> Vec<String> {
    let units = units(title);
    let half = title.chars().count() / 2;
    // Lines joined by single spaces: the first line's length before unit `i`.
    let best = (1..units.len()).min_by_key(|&i| {
        let before: usize = units[..i].iter().map(|(u, _)| u.chars().count() + 1).sum();
        (before - 1).abs_diff(half)
    });
    let join = |us: &[(String, bool)]| {
        us.iter()
            .map(|(u, _)| u.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match best {
        Some(i) => vec![join(&units[..i]), join(&units[i..])],
        None => vec![title.to_string()],
    }
}

/// Words broken into lines, each as long as `fits` allows; a date is never split.
fn wrap(text: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (word, _) in units(text) {
        match lines.last_mut() {
            Some(l) if fits(&format!("{l} {word}")) => {
                l.push(' ');
                l.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    lines
}

/// A word without the punctuation around it ("(9", "2018," → "9", "2018").
fn bare(word: &str) -> &str {
    word.trim_start_matches('(')
        .trim_end_matches([',', '.', ';', ':', ')', '!', '?'])
}

fn digits(s: &str, n: std::ops::RangeInclusive<usize>) -> bool {
    n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `2020-07-01`: a browser may break a line after either hyphen.
fn is_iso_date(word: &str) -> bool {
    let b = bare(word).as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A day before a month's name: `9`, or a range of days `9–17`.
fn is_day(word: &str) -> bool {
    match word.split_once(['–', '-']) {
        Some((a, b)) => digits(a, 1..=2) && digits(b, 1..=2),
        None => digits(word, 1..=2),
    }
}

/// The text cut at its spaces into the units a line may break between: a word, or a whole
/// date (`2020-07-01`, `9 May 2018`, `9–17 May 2018`, `28 April – 3 May 2018`), flagged
/// `true`. A month's name alone ("May") is a word: it needs a day or a year to be a date.
fn units(text: &str) -> Vec<(String, bool)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if is_iso_date(word) {
            out.push((word.to_string(), true));
            i += 1;
            continue;
        }
        if !is_month_name(bare(word)) {
            out.push((word.to_string(), false));
            i += 1;
            continue;
        }
        let mut date = vec![word.to_string()];
        if matches!(out.last(), Some((w, false)) if is_day(w)) {
            if let Some((w, _)) = out.pop() {
                date.insert(0, w);
            }
        }
        i += 1;
        // The year, unless the month's name ends a clause ("in May, 2018 was …").
        if bare(word) == word && words.get(i).is_some_and(|y| digits(bare(y), 4..=4)) {
            date.push(words[i].to_string());
            i += 1;
        }
        if date.len() < 2 {
            out.push((word.to_string(), false));
            continue;
        }
        let date = date.join(" ");
        // `28 April – 3 May 2018`: one range, one unit.
        let n = out.len();
        if n >= 2 && out[n - 1].0 == "–" && out[n - 2].1 {
            out.pop();
            if let Some(last) = out.last_mut() {
                last.0 = format!("{} – {date}", last.0);
            }
        } else {
            out.push((date, true));
        }
    }
    out
}

/// Escaped for HTML, each date in a span the browser does not break inside. Text without a
/// date is only escaped, its spacing as given.
fn dated(text: &str) -> String {
    let units = units(text);
    if !units.iter().any(|(_, date)| *date) {
        return escape_xml(text);
    }
    units
        .iter()
        .map(|(u, date)| {
            if *date {
                format!("<span class=\"date\">{}</span>", escape_xml(u))
            } else {
                escape_xml(u)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn text(out: &mut String, x: u32, y: u32, size: u32, style: &str, content: &str) {
    out.push_str(&format!(
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\"{style}>{}</text>\n",
        escape_xml(content)
    ));
}

fn svg(v: &SlideView) -> String {
    let (w, h) = (WIDTH, HEIGHT);
    let inner = f64::from(w - 2 * MARGIN);
    let mut out = String::with_capacity(4096);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\" aria-labelledby=\"slide-title slide-desc\" font-family=\"{}\">\n",
        escape_xml(FONT_STACK)
    ));
    out.push_str(&format!(
        "<title id=\"slide-title\">{}</title>\n<desc id=\"slide-desc\">{}</desc>\n",
        escape_xml(&v.title),
        escape_xml(&description(v))
    ));
    out.push_str(&format!(
        "<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<g fill=\"{INK}\">\n"
    ));
    let muted = format!(" fill=\"{MUTED}\"");
    let kicker = fit(&v.kicker, 34.0, inner, true);
    text(
        &mut out,
        MARGIN,
        120,
        kicker,
        &format!("{muted} font-weight=\"600\" letter-spacing=\"2\""),
        &v.kicker.to_uppercase(),
    );
    // A title too long for one line at full size takes two, as the page sets it.
    let mut y = 195;
    let lines = if text_width(&v.title, 64.0, true) <= inner {
        vec![v.title.clone()]
    } else {
        two_lines(&v.title)
    };
    for line in &lines {
        let size = fit(line, 64.0, inner, true);
        text(&mut out, MARGIN, y, size, " font-weight=\"700\"", line);
        y += 74;
    }
    let period = fit(&v.period, 42.0, inner, false);
    text(&mut out, MARGIN, y, period, &muted, &v.period);
    let top = y + 60;
    // The notes sit at the foot; the figures share the height between.
    let notes_top = h - 60 - 44 * (v.notes.len() as u32);
    if let Some((said, meaning)) = &v.empty {
        let mut y = top + 110;
        for line in wrap(said, |l| text_width(l, 84.0, true) <= inner) {
            text(&mut out, MARGIN, y, 84, " font-weight=\"700\"", &line);
            y += 100;
        }
        y += 30;
        for line in wrap(meaning, |l| text_width(l, 46.0, false) <= inner) {
            text(&mut out, MARGIN, y, 46, &muted, &line);
            y += 60;
        }
    } else {
        let column = f64::from(RIGHT_COLUMN - MARGIN - 96);
        let count = v.figures.len().max(1) as u32;
        let room = (notes_top.saturating_sub(top + 20)) / count;
        let big = f64::from(room.saturating_sub(130).clamp(60, 190));
        let mut y = top + 20;
        for f in &v.figures {
            let size = if f.words { big * 0.55 } else { big };
            let size = fit(&f.value, size, column - 40.0, true);
            out.push_str(&format!(
                "<rect x=\"{MARGIN}\" y=\"{y}\" width=\"13\" height=\"{}\" fill=\"#0072b2\"/>\n",
                size + 70
            ));
            text(
                &mut out,
                MARGIN + 40,
                y + size * 4 / 5,
                size,
                &format!(" fill=\"{ACCENT}\" font-weight=\"700\""),
                &f.value,
            );
            let label = fit(&f.label, 46.0, column - 40.0, false);
            text(&mut out, MARGIN + 40, y + size + 50, label, "", &f.label);
            y += size + 70 + 60;
        }
        let (x, right) = (RIGHT_COLUMN + 40, w - MARGIN);
        let width = f64::from(right - x);
        let mut y = top + 50;
        for l in &v.lists {
            let size = fit(&l.heading, 42.0, width, true);
            text(
                &mut out,
                x,
                y,
                size,
                &format!("{muted} font-weight=\"700\""),
                &l.heading,
            );
            y += 16;
            for (k, n) in &l.rows {
                let count_width = text_width(n, 40.0, true) + 32.0;
                let size = fit(k, 40.0, width - count_width, false);
                text(&mut out, x, y + 48, size, "", k);
                text(
                    &mut out,
                    right,
                    y + 48,
                    40,
                    " font-weight=\"700\" text-anchor=\"end\"",
                    n,
                );
                y += 64;
                out.push_str(&format!(
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"2\" fill=\"{RULE}\"/>\n",
                    right - x
                ));
            }
            y += 84;
        }
    }
    let mut y = notes_top + 44;
    for n in &v.notes {
        let size = fit(n, 32.0, inner, false);
        text(&mut out, MARGIN, y, size, &muted, n);
        y += 44;
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        units(text)
            .into_iter()
            .filter(|(_, d)| *d)
            .map(|(u, _)| u)
            .collect()
    }

    #[test]
    fn dates_are_one_unit_each() {
        assert_eq!(
            dates("Between 2020-04-01 and 2020-06-30, the committee met."),
            ["2020-04-01", "2020-06-30,"]
        );
        assert_eq!(dates("PyCon US 2018, 9–17 May 2018"), ["9–17 May 2018"]);
        assert_eq!(
            dates("1 April 2025 to 30 June 2025"),
            ["1 April 2025", "30 June 2025"]
        );
        assert_eq!(
            dates("Conf, 28 April – 3 May 2018."),
            ["28 April – 3 May 2018."]
        );
        assert_eq!(dates("In May 2018 and on 9 May."), ["May 2018", "9 May."]);
        // A month's name alone, a bare number or year, "2020-Q2": words.
        assert!(dates("You may see May here, 2025, 12 and 2020-Q2.").is_empty());
    }

    #[test]
    fn the_svg_never_breaks_a_line_inside_a_date() {
        // At 20 characters, plain word wrapping would leave "9–17 May" on one line and
        // "2018" on the next.
        assert_eq!(
            wrap("The conference ran 9–17 May 2018 in Cleveland.", |l| l
                .chars()
                .count()
                <= 20),
            ["The conference ran", "9–17 May 2018 in", "Cleveland."]
        );
        assert_eq!(
            wrap("Between 2020-04-01 and 2020-06-30, no report.", |l| l
                .chars()
                .count()
                <= 12),
            ["Between", "2020-04-01", "and", "2020-06-30,", "no report."]
        );
        // The title's space nearest its middle (character 8 of 17, after "9") is inside the
        // date: the break is at the space before it.
        assert_eq!(two_lines("Report 9 May 2018"), ["Report", "9 May 2018"]);
        assert_eq!(
            two_lines("Transparency report of 1 April 2025"),
            ["Transparency report", "of 1 April 2025"]
        );
        assert_eq!(two_lines("one two three four"), ["one two", "three four"]);
    }

    #[test]
    fn the_html_keeps_each_date_in_a_span_that_does_not_wrap() {
        assert_eq!(
            dated("Between 2020-04-01 and 2020-06-30, <none>."),
            "Between <span class=\"date\">2020-04-01</span> and \
             <span class=\"date\">2020-06-30,</span> &lt;none&gt;."
        );
        // Without a date the text is only escaped, its spacing kept.
        assert_eq!(dated("a  b & c"), "a  b &amp; c");
        assert!(CSS.contains(".date{white-space:nowrap}"));
    }
}
