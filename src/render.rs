//! Summary + config + charts → the published report, as `index.html` and `report.md`.
//!
//! Every figure is formatted here once, into a view-model that both templates read, so the
//! HTML and the Markdown cannot disagree about a number. Nothing is computed here beyond
//! display shares of a total: the figures themselves come from `model::Summary`.
//!
//! Text from the config and the committee's narrative is untrusted: the HTML template is
//! autoescaped as HTML, the Markdown template is autoescaped with a Markdown escaper, and the
//! narrative loses its raw HTML and script links before it is marked safe.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::model::{
    Count, Counts, Summary, SuppressionReport, APPEAL_OUTCOMES, RESOLUTION_BINS, UNASSIGNED,
};

/// A chart as produced by the chart module, ready to inline.
pub struct ChartRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Full `<svg …>` markup that already carries `role="img"`, `<title>` and `<desc>`.
    pub svg: &'a str,
}

/// One published file, listed with its hash in the methodology section.
pub struct DataFile {
    /// Relative to the report folder, e.g. `data/categories.csv`.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

pub struct ReportInput<'a> {
    pub summary: &'a Summary,
    pub config: &'a Config,
    pub charts: &'a [ChartRef<'a>],
    /// The committee's own text; may contain raw HTML, which is neutralised.
    pub narrative_markdown: Option<&'a str>,
    pub suppression: &'a SuppressionReport,
    /// Published data and chart files with their hashes, sorted.
    pub data_files: &'a [DataFile],
    pub tool_version: &'a str,
    /// Only from `SOURCE_DATE_EPOCH`; `None` leaves every date of the build out.
    pub build_date: Option<&'a str>,
    /// (export file name, sha256).
    pub input_hashes: &'a [(String, String)],
    /// Rows left out by `--skip-invalid`.
    pub rows_rejected: u64,
    /// Earlier periods, for the year-over-year section (`None`: no `history` in the config).
    pub history: Option<&'a crate::history::History>,
}

pub struct Rendered {
    pub html: String,
    pub markdown: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    #[error("cannot read template {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

const HTML_TEMPLATE: &str = "report.html.tera";
const MD_TEMPLATE: &str = "report.md.tera";
const CSS_FILE: &str = "style.css";

static EMBEDDED: [(&str, &str); 3] = [
    (HTML_TEMPLATE, include_str!("../templates/report.html.tera")),
    (MD_TEMPLATE, include_str!("../templates/report.md.tera")),
    (CSS_FILE, include_str!("../templates/style.css")),
];

/// (name, contents) of every embedded template, for `init` to write editable copies.
pub fn embedded_templates() -> &'static [(&'static str, &'static str)] {
    &EMBEDDED
}

/// Renders both documents. A file in `templates_dir` named like an embedded template
/// replaces it; a file left out falls back to the embedded one. A directory that does not
/// exist is an error: a mistyped path must not silently publish the default look.
pub fn render(input: &ReportInput, templates_dir: Option<&Path>) -> Result<Rendered, RenderError> {
    if let Some(dir) = templates_dir.filter(|d| !d.is_dir()) {
        return Err(RenderError::Read {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the template directory does not exist",
            ),
        });
    }
    let html_src = template_source(HTML_TEMPLATE, templates_dir)?;
    let md_src = template_source(MD_TEMPLATE, templates_dir)?;
    let css = template_source(CSS_FILE, templates_dir)?;

    let view = build_view(input, css);
    let context = Context::from_serialize(&view).map_err(|e| template_error("context", &e))?;

    // Two engines, because tera's escape function is per instance: HTML entities for the
    // page, Markdown backslash escapes for report.md.
    let html = render_one(&html_src, "report.html", None, &context)
        .map_err(|e| template_error(HTML_TEMPLATE, &e))?;
    let markdown = render_one(&md_src, "report.md", Some(escape_markdown), &context)
        .map_err(|e| template_error(MD_TEMPLATE, &e))?;
    Ok(Rendered { html, markdown })
}

fn template_source(name: &str, dir: Option<&Path>) -> Result<String, RenderError> {
    let embedded = EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .unwrap_or_default();
    let Some(dir) = dir else {
        return Ok(embedded.to_string());
    };
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(s) => Ok(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(embedded.to_string()),
        Err(source) => Err(RenderError::Read { path, source }),
    }
}

/// `name` decides autoescaping: tera escapes templates whose name ends with a registered suffix.
fn render_one(
    source: &str,
    name: &str,
    escape: Option<fn(&str) -> String>,
    context: &Context,
) -> Result<String, tera::Error> {
    let mut tera = Tera::default();
    match escape {
        None => tera.autoescape_on(vec![".html"]),
        Some(f) => {
            tera.autoescape_on(vec![".md"]);
            tera.set_escape_fn(f);
        }
    }
    tera.add_raw_template(name, source)?;
    tera.render(name, context)
}

/// tera's top-level message is only "Failed to render …"; the cause is in the source chain.
fn template_error(name: &str, err: &dyn std::error::Error) -> RenderError {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    RenderError::Template {
        name: name.to_string(),
        message,
    }
}

// ---------------------------------------------------------------------------------------------
// View-model

#[derive(Serialize)]
struct View {
    title: String,
    organisation: String,
    committee: String,
    contact: String,
    label: String,
    period_start: String,
    period_end: String,
    period_text: String,
    timezone: String,
    no_cases: bool,
    stats: Vec<Stat>,
    narrative_html: Option<String>,
    narrative_markdown: Option<String>,
    policy: Policy,
    /// `[committee_activity]`, when the config has it.
    committee_activity: Option<Table>,
    committee_note: Option<String>,
    history: Option<HistoryView>,
    categories: Table,
    levels: Table,
    actions: Table,
    suspensions: Table,
    platforms: Table,
    reporters: Table,
    acknowledgement: Table,
    resolution: Table,
    resolution_histogram: Table,
    resolution_by_level: Table,
    appeal_summary: Table,
    appeal_outcomes: Table,
    appeal_eligibility: Table,
    monthly: Table,
    charts: Charts,
    suppression: SuppressionView,
    rows: RowsView,
    data_files: Vec<FileView>,
    inputs: Vec<InputView>,
    tool_version: String,
    build_date: Option<String>,
    style: String,
}

#[derive(Serialize)]
struct HistoryView {
    previous_label: String,
    comparison: Table,
    trend: Table,
}

#[derive(Serialize)]
struct Stat {
    label: String,
    value: String,
    note: String,
}

#[derive(Serialize)]
struct Policy {
    /// "1 business day", for the promise.
    ack_target: String,
    /// "the next business day", for the definition.
    ack_deadline: String,
    business_days: String,
    holidays: usize,
    appealable_levels: String,
    appeal_window_days: i64,
}

/// A table as both templates draw it: the first column is the row header.
#[derive(Serialize)]
struct Table {
    id: &'static str,
    caption: String,
    columns: Vec<Column>,
    bodies: Vec<Body>,
}

#[derive(Serialize)]
struct Column {
    label: String,
    num: bool,
}

#[derive(Serialize)]
struct Body {
    heading: Option<String>,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    header: String,
    cells: Vec<Cell>,
    total: bool,
}

#[derive(Serialize)]
struct Cell {
    v: String,
    num: bool,
}

#[derive(Serialize, Clone)]
struct ChartView {
    id: String,
    title: String,
    description: String,
    svg: String,
}

/// Charts placed in their sections; ones this template does not know go to `other`.
#[derive(Serialize, Default)]
struct Charts {
    categories: Option<ChartView>,
    levels: Option<ChartView>,
    platforms: Option<ChartView>,
    resolution: Option<ChartView>,
    monthly: Option<ChartView>,
    appeals: Option<ChartView>,
    history: Option<ChartView>,
    other: Vec<ChartView>,
}

#[derive(Serialize)]
struct SuppressionView {
    min_cell: u64,
    /// "off" (0), "none" (threshold 1: nothing is small enough), or "on".
    mode: &'static str,
    largest_hidden: u64,
    tables: Vec<String>,
    primary: String,
    complementary: String,
}

#[derive(Serialize)]
struct RowsView {
    read: String,
    counted: String,
    outside_period: String,
    rejected: String,
    rejected_verb: &'static str,
    any_rejected: bool,
    any_outside: bool,
    any_read: bool,
}

#[derive(Serialize)]
struct FileView {
    path: String,
    sha256: String,
    size: String,
}

#[derive(Serialize)]
struct InputView {
    name: String,
    sha256: String,
}

/// Formats counts as suppression left them.
struct Fmt<'a> {
    suppression: &'a SuppressionReport,
}

impl Fmt<'_> {
    /// A count hidden because it was small.
    fn count(&self, c: Count) -> String {
        match c {
            Some(n) => thousands(n),
            None => format!("< {}", self.suppression.min_cell),
        }
    }

    /// A count in table `table` under `key`: a cell hidden only to protect another one may
    /// be large, so it reads "suppressed" rather than "< N".
    fn cell(&self, table: &str, key: &str, c: Count) -> String {
        if c.is_none() && self.is_complementary(table, key) {
            "suppressed".into()
        } else {
            self.count(c)
        }
    }

    fn is_complementary(&self, table: &str, key: &str) -> bool {
        self.suppression
            .complementary_cells
            .contains(&format!("{table}/{key}"))
    }

    /// Share of `total` for display; hidden when either side is suppressed, so a percentage
    /// can never give away a suppressed count.
    fn share(&self, c: Count, total: Count) -> String {
        match (c, total) {
            (Some(n), Some(t)) if t > 0 => percent(Some(n as f64 / t as f64)),
            _ => "n/a".into(),
        }
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One decimal with thousands separators; `None` or a non-finite value is "n/a".
fn decimal1(x: Option<f64>) -> String {
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return "n/a".into();
    };
    let s = format!("{:.1}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), "0"));
    let int = int
        .parse::<u64>()
        .map(thousands)
        .unwrap_or_else(|_| int.to_string());
    // A value that rounds to zero is shown without a sign: "-0.0" would read as an error.
    let negative = x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    format!("{}{int}.{frac}", if negative { "-" } else { "" })
}

fn percent(rate: Option<f64>) -> String {
    match rate.filter(|r| r.is_finite()) {
        Some(r) => format!("{}%", decimal1(Some(r * 100.0))),
        None => "n/a".into(),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `2025-03-04` → `4 March 2025`; anything else is shown as given.
fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// `2025-03` → `March 2025`.
fn long_month(ym: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| ym.to_string())
}

fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn num_col(label: &str) -> Column {
    Column {
        label: label.into(),
        num: true,
    }
}

fn text_col(label: &str) -> Column {
    Column {
        label: label.into(),
        num: false,
    }
}

fn row(header: impl Into<String>, cells: Vec<String>) -> Row {
    Row {
        header: header.into(),
        cells: cells.into_iter().map(|v| Cell { v, num: true }).collect(),
        total: false,
    }
}

fn single_body(rows: Vec<Row>) -> Vec<Body> {
    vec![Body {
        heading: None,
        rows,
    }]
}

/// "Cases" and "% of cases" for every key of `counts`, labelled by `label`.
/// `table` is the suppression pass's name for the same figures.
#[allow(clippy::too_many_arguments)]
fn count_table(
    id: &'static str,
    caption: String,
    first: &str,
    table: &str,
    counts: &Counts,
    total: Count,
    f: &Fmt,
    label: impl Fn(&str) -> String,
) -> Table {
    let rows = counts
        .iter()
        .map(|(k, &c)| row(label(k), vec![f.cell(table, k, c), f.share(c, total)]))
        .collect();
    Table {
        id,
        caption,
        columns: vec![text_col(first), num_col("Cases"), num_col("% of cases")],
        bodies: single_body(rows),
    }
}

fn reporter_label(key: &str) -> String {
    match key {
        "named" => "Named reporter".into(),
        "anonymous" => "Anonymous report".into(),
        "moderator" => "Found by the moderators".into(),
        UNASSIGNED => "Not recorded".into(),
        other => other.into(),
    }
}

fn outcome_label(key: &str) -> String {
    match key {
        "upheld" => "Decision upheld".into(),
        "overturned" => "Decision overturned".into(),
        "modified" => "Decision modified".into(),
        "withdrawn" => "Appeal withdrawn".into(),
        "pending" => "Pending at period end".into(),
        other => other.into(),
    }
}

fn bin_label(key: &str) -> String {
    let day = |d: f64| {
        if d == 1.0 {
            "1 day".to_string()
        } else {
            format!("{d} days")
        }
    };
    match RESOLUTION_BINS.iter().find(|(k, _, _)| *k == key) {
        Some((_, lo, hi)) if *lo == 0.0 => format!("Under {}", day(*hi)),
        Some((_, lo, hi)) if hi.is_infinite() => format!("{} or more", day(*lo)),
        Some((_, lo, hi)) => format!("{lo} to under {}", day(*hi)),
        None => key.to_string(),
    }
}

fn ack_deadline(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    match n {
        0 => "the end of the local day on which the report arrived".into(),
        1 => "the end of the next business day after the local date of the report".into(),
        n => format!("the end of the {n}{suffix} business day after the local date of the report"),
    }
}

fn weekday_name(key: &str) -> Option<(u8, &'static str)> {
    Some(match key.trim().to_lowercase().as_str() {
        "mon" | "monday" => (0, "Monday"),
        "tue" | "tuesday" => (1, "Tuesday"),
        "wed" | "wednesday" => (2, "Wednesday"),
        "thu" | "thursday" => (3, "Thursday"),
        "fri" | "friday" => (4, "Friday"),
        "sat" | "saturday" => (5, "Saturday"),
        "sun" | "sunday" => (6, "Sunday"),
        _ => return None,
    })
}

/// "Monday to Friday" for a run of days, otherwise a list.
fn business_days_text(days: &[String]) -> String {
    let mut known: Vec<(u8, &str)> = days.iter().filter_map(|d| weekday_name(d)).collect();
    known.sort_unstable();
    known.dedup();
    let contiguous = known.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    match known.as_slice() {
        [first, .., last] if contiguous && known.len() > 2 => format!("{} to {}", first.1, last.1),
        _ => join_words(&known.iter().map(|d| d.1.to_string()).collect::<Vec<_>>()),
    }
}

/// The suppression pass names tables by their place in summary.json; the report names
/// them as its captions do.
fn suppressed_table_name(id: &str) -> String {
    match id {
        "cases" => "Cases resolved and open at period end",
        "by_platform" => "Cases by platform",
        "by_moderation_level" => "Cases by moderation level",
        "by_category" => "Cases by section of the Code of Conduct",
        "by_category_group" => "Cases by group of sections",
        "by_action" => "Cases by action taken",
        "by_reporter_type" => "Cases by who reported them",
        "suspensions" => "Suspensions",
        "resolution_days" => "Days from report to decision",
        "resolution_days.histogram" => "Resolved cases by time to decision",
        "resolution_days.by_moderation_level" => "Days to decision by moderation level",
        "acknowledgement" => "Acknowledgement",
        "appeals" => "Appeals",
        "appeals.by_outcome" => "Appeals by outcome",
        "appeals.eligibility" => "Appeals by eligibility",
        "appeals.window" => "Appeals by timing",
        "monthly.reported" => "Cases reported each month",
        "monthly.resolved" => "Cases resolved each month",
        other => other,
    }
    .to_string()
}

fn chart_slot<'c>(charts: &'c mut Charts, id: &str) -> Option<&'c mut Option<ChartView>> {
    // The chart module names its figures; a few spellings are accepted so a rename there
    // does not silently move a chart to "other figures".
    let slot = match id {
        "categories" | "category" | "by_category" => &mut charts.categories,
        "levels" | "level" | "moderation_levels" | "by_moderation_level" => &mut charts.levels,
        "platforms" | "platform" | "by_platform" => &mut charts.platforms,
        "resolution" | "resolution_days" | "resolution_histogram" | "histogram" => {
            &mut charts.resolution
        }
        "monthly" | "monthly_trend" | "trend" | "months" => &mut charts.monthly,
        "appeals" | "appeal" | "appeal_outcomes" => &mut charts.appeals,
        "history" => &mut charts.history,
        _ => return None,
    };
    Some(slot)
}

fn build_view(input: &ReportInput, style: String) -> View {
    let s = input.summary;
    let c = input.config;
    let t = &c.taxonomy;
    let f = Fmt {
        suppression: input.suppression,
    };
    let total = s.cases.total;

    let title = format!(
        "{} Code of Conduct transparency report {}",
        c.organisation, s.period.label
    );
    let ack_target = plural(
        u64::from(c.ack_target_business_days),
        "business day",
        "business days",
    );

    // Overturned + modified, for the headline only. With one part hidden the sum is only
    // shown when the other is zero and the hidden one was hidden for being small (a
    // complementary cell may be large), so the sum cannot reveal what suppression hid.
    let small = |k: &str| !f.is_complementary("appeals.by_outcome", k);
    let reversed = match (
        s.appeals.by_outcome.get("overturned"),
        s.appeals.by_outcome.get("modified"),
    ) {
        (Some(Some(o)), Some(Some(m))) => Some(f.count(Some(o + m))),
        (Some(None), Some(Some(0))) if small("overturned") => Some(f.count(None)),
        (Some(Some(0)), Some(None)) if small("modified") => Some(f.count(None)),
        _ => None,
    };

    let stats = vec![
        Stat {
            label: "Cases received".into(),
            value: f.count(total),
            note: "reported in the period".into(),
        },
        Stat {
            label: "Resolved".into(),
            value: f.cell("cases", "resolved", s.cases.resolved),
            note: "decided by the period end".into(),
        },
        Stat {
            label: "Open at period end".into(),
            value: f.cell("cases", "open_at_period_end", s.cases.open_at_period_end),
            note: "no decision yet".into(),
        },
        Stat {
            label: format!("Acknowledged within {ack_target}"),
            value: percent(s.acknowledgement.rate),
            note: format!(
                "{} of {} cases",
                f.count(s.acknowledgement.met),
                f.count(total)
            ),
        },
        Stat {
            label: "Median days to resolution".into(),
            value: decimal1(s.resolution_days.median),
            note: match s.resolution_days.p90 {
                Some(_) => format!("90th percentile: {} days", decimal1(s.resolution_days.p90)),
                None => "90th percentile: n/a".into(),
            },
        },
        Stat {
            label: "Appeals filed".into(),
            value: f.cell("appeals", "filed", s.appeals.filed),
            note: match (reversed, s.appeals.reversal_rate) {
                (Some(r), _) => format!("{r} reversed (overturned or modified)"),
                (None, Some(rate)) => format!("reversal rate {}", percent(Some(rate))),
                (None, None) => "reversals withheld (small numbers)".into(),
            },
        },
    ];

    // Categories, grouped; a case may cite several sections, so shares exceed 100% in sum.
    let mut cat_bodies = Vec::new();
    for g in &t.category_groups {
        let mut rows: Vec<Row> = t
            .categories
            .iter()
            .filter(|cat| cat.group == g.key)
            .map(|cat| {
                let n = s.by_category.get(&cat.key).copied().unwrap_or(Some(0));
                row(cat.label.clone(), vec![f.count(n), f.share(n, total)])
            })
            .collect();
        let gt = s.by_category_group.get(&g.key).copied().unwrap_or(Some(0));
        rows.push(Row {
            total: true,
            ..row(
                format!("Cases citing any of these ({})", g.label),
                vec![f.count(gt), f.share(gt, total)],
            )
        });
        cat_bodies.push(Body {
            heading: Some(g.label.clone()),
            rows,
        });
    }
    // Keys the taxonomy does not list (a config changed between export and build) still show.
    let listed: Vec<&str> = t.categories.iter().map(|c| c.key.as_str()).collect();
    let extra: Vec<Row> = s
        .by_category
        .iter()
        .filter(|(k, _)| !listed.contains(&k.as_str()))
        .map(|(k, &n)| row(k.clone(), vec![f.count(n), f.share(n, total)]))
        .collect();
    if !extra.is_empty() {
        cat_bodies.push(Body {
            heading: Some("Other sections".into()),
            rows: extra,
        });
    }
    let categories = Table {
        id: "table-categories",
        caption: "Cases by section of the Code of Conduct".into(),
        columns: vec![text_col("Section"), num_col("Cases"), num_col("% of cases")],
        bodies: cat_bodies,
    };

    let levels = Table {
        id: "table-levels",
        caption: "Cases by moderation level".into(),
        columns: vec![
            text_col("Level"),
            text_col("What it means"),
            num_col("Cases"),
            num_col("% of cases"),
        ],
        bodies: single_body(
            s.by_moderation_level
                .iter()
                .map(|(k, &n)| {
                    let (label, desc) = match t.levels.iter().find(|l| &l.key == k) {
                        Some(l) => (l.label.clone(), l.description.clone()),
                        None if k == UNASSIGNED => (
                            "No level".into(),
                            "No level recorded, usually because the case was still open.".into(),
                        ),
                        None => (k.clone(), String::new()),
                    };
                    Row {
                        header: label,
                        cells: vec![
                            Cell {
                                v: desc,
                                num: false,
                            },
                            Cell {
                                v: f.cell("by_moderation_level", k, n),
                                num: true,
                            },
                            Cell {
                                v: f.share(n, total),
                                num: true,
                            },
                        ],
                        total: false,
                    }
                })
                .collect(),
        ),
    };

    let actions = count_table(
        "table-actions",
        "Cases by action taken".into(),
        "Action",
        "by_action",
        &s.by_action,
        total,
        &f,
        |k| {
            if k == UNASSIGNED {
                "No action recorded".into()
            } else {
                t.action_label(k)
            }
        },
    );

    let sp = &s.suspensions;
    // These repeat cells of the action table and are suppressed with them. The header names
    // the actions when the taxonomy counts other keys than the ALA ones.
    let suspension_row = |header: &str, keys: Vec<&str>, default: &str, value: Count| {
        let header = if keys == [default] {
            header.to_string()
        } else if keys.is_empty() {
            format!("{header} (no action is counted as one)")
        } else {
            let labels: Vec<String> = keys.iter().map(|k| t.action_label(k)).collect();
            format!("{header} ({})", join_words(&labels))
        };
        let v = match keys.as_slice() {
            [one] => f.cell("by_action", one, value),
            // A sum of hidden cells may be large: never "< N".
            _ if value.is_none() => "suppressed".into(),
            _ => f.count(value),
        };
        row(header, vec![v])
    };
    let suspensions = Table {
        id: "table-suspensions",
        caption: "Suspensions".into(),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(vec![
            suspension_row(
                "Temporary suspensions",
                t.temporary_suspension_actions(),
                crate::config::DEFAULT_TEMPORARY_SUSPENSION,
                sp.temporary,
            ),
            suspension_row(
                "Full suspensions",
                t.full_suspension_actions(),
                crate::config::DEFAULT_FULL_SUSPENSION,
                sp.full,
            ),
            row(
                "Interim suspensions before the decision",
                vec![f.count(sp.interim)],
            ),
            row(
                "Median length of a temporary suspension (days)",
                vec![decimal1(sp.median_days)],
            ),
        ]),
    };

    let platforms = count_table(
        "table-platforms",
        "Cases by platform".into(),
        "Platform",
        "by_platform",
        &s.by_platform,
        total,
        &f,
        |k| t.platform_label(k),
    );

    let reporters = count_table(
        "table-reporters",
        "Cases by who reported them".into(),
        "Reported by",
        "by_reporter_type",
        &s.by_reporter_type,
        total,
        &f,
        reporter_label,
    );

    let ack = &s.acknowledgement;
    let acknowledgement = Table {
        id: "table-acknowledgement",
        caption: format!("Acknowledgement within {ack_target}"),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(vec![
            row("Cases acknowledged in time", vec![f.count(ack.met)]),
            row("Share of all cases", vec![percent(ack.rate)]),
            row(
                "Median hours to acknowledgement",
                vec![decimal1(ack.median_hours)],
            ),
        ]),
    };

    let rd = &s.resolution_days;
    let resolution = Table {
        id: "table-resolution",
        caption: "Days from report to decision".into(),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(vec![
            row(
                "Resolved cases",
                vec![f.cell("resolution_days", "count", rd.count)],
            ),
            row("Median days", vec![decimal1(rd.median)]),
            row("90th percentile (days)", vec![decimal1(rd.p90)]),
            row("Mean days", vec![decimal1(rd.mean)]),
        ]),
    };
    let resolution_histogram = count_table(
        "table-resolution-histogram",
        "Resolved cases by time to decision".into(),
        "Time to decision",
        "resolution_days.histogram",
        &rd.histogram,
        rd.count,
        &f,
        bin_label,
    );
    let resolution_histogram = Table {
        columns: vec![
            text_col("Time to decision"),
            num_col("Cases"),
            num_col("% of resolved"),
        ],
        ..resolution_histogram
    };
    let resolution_by_level = Table {
        id: "table-resolution-levels",
        caption: "Days to decision by moderation level".into(),
        columns: vec![
            text_col("Level"),
            num_col("Resolved cases"),
            num_col("Median days"),
            num_col("90th percentile (days)"),
        ],
        bodies: single_body(
            rd.by_moderation_level
                .iter()
                .map(|(k, l)| {
                    row(
                        t.level_label(k),
                        vec![
                            f.cell("resolution_days.by_moderation_level", k, l.count),
                            decimal1(l.median),
                            decimal1(l.p90),
                        ],
                    )
                })
                .collect(),
        ),
    };

    let ap = &s.appeals;
    let appeal_summary = Table {
        id: "table-appeals",
        caption: "Appeals".into(),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(vec![
            row("Appeals filed", vec![f.cell("appeals", "filed", ap.filed)]),
            row(
                "Reversal rate (overturned or modified, of decided appeals)",
                vec![percent(ap.reversal_rate)],
            ),
            row(
                "Median days from appeal to decision",
                vec![decimal1(ap.median_days_to_decision)],
            ),
        ]),
    };
    // The model lists outcomes in APPEAL_OUTCOMES order; keep any other key after them.
    let mut outcome_rows: Vec<Row> = APPEAL_OUTCOMES
        .iter()
        .filter_map(|k| ap.by_outcome.get(*k).map(|&n| (k.to_string(), n)))
        .chain(
            ap.by_outcome
                .iter()
                .filter(|(k, _)| !APPEAL_OUTCOMES.contains(&k.as_str()))
                .map(|(k, &n)| (k.clone(), n)),
        )
        .map(|(k, n)| {
            row(
                outcome_label(&k),
                vec![f.cell("appeals.by_outcome", &k, n), f.share(n, ap.filed)],
            )
        })
        .collect();
    if outcome_rows.is_empty() {
        outcome_rows = APPEAL_OUTCOMES
            .iter()
            .map(|k| row(outcome_label(k), vec![f.count(Some(0)), "n/a".into()]))
            .collect();
    }
    let appeal_outcomes = Table {
        id: "table-appeal-outcomes",
        caption: "Appeals by outcome".into(),
        columns: vec![
            text_col("Outcome"),
            num_col("Appeals"),
            num_col("% of appeals"),
        ],
        bodies: single_body(outcome_rows),
    };
    let appealable: Vec<String> = c
        .appealable_levels
        .iter()
        .map(|l| t.level_label(l))
        .collect();
    let appealable_text = join_words(&appealable);
    let appeal_eligibility = Table {
        id: "table-appeal-eligibility",
        caption: "Appeals by eligibility and timing".into(),
        columns: vec![
            text_col("Appeals that were"),
            num_col("Appeals"),
            num_col("% of appeals"),
        ],
        bodies: vec![
            Body {
                heading: Some("Eligibility".into()),
                rows: vec![
                    row(
                        format!("Eligible (decision at {appealable_text})"),
                        vec![
                            f.cell("appeals.eligibility", "eligible", ap.eligible),
                            f.share(ap.eligible, ap.filed),
                        ],
                    ),
                    row(
                        "Not eligible",
                        vec![
                            f.cell("appeals.eligibility", "not_eligible", ap.not_eligible),
                            f.share(ap.not_eligible, ap.filed),
                        ],
                    ),
                ],
            },
            Body {
                heading: Some("Timing".into()),
                rows: vec![
                    row(
                        format!("Filed within {} days", c.appeal_window_days),
                        vec![
                            f.cell("appeals.window", "timely", ap.timely),
                            f.share(ap.timely, ap.filed),
                        ],
                    ),
                    row(
                        "Filed late",
                        vec![
                            f.cell("appeals.window", "late", ap.late),
                            f.share(ap.late, ap.filed),
                        ],
                    ),
                    row(
                        "Window unknown (no date the decision was communicated)",
                        vec![
                            f.cell("appeals.window", "window_unknown", ap.window_unknown),
                            f.share(ap.window_unknown, ap.filed),
                        ],
                    ),
                ],
            },
        ],
    };

    let monthly = Table {
        id: "table-monthly",
        caption: "Cases reported and resolved each month".into(),
        columns: vec![text_col("Month"), num_col("Reported"), num_col("Resolved")],
        bodies: single_body(
            s.monthly
                .iter()
                .map(|m| {
                    row(
                        long_month(&m.month),
                        vec![
                            f.cell("monthly.reported", &m.month, m.reported),
                            f.cell("monthly.resolved", &m.month, m.resolved),
                        ],
                    )
                })
                .collect(),
        ),
    };

    let committee_activity = c.committee_activity.as_ref().map(|a| {
        let text = |header: &str, v: String| Row {
            header: header.into(),
            cells: vec![Cell { v, num: false }],
            total: false,
        };
        let mut rows = Vec::new();
        for (header, v) in [
            ("Meetings held", a.meetings),
            ("Votes taken", a.votes),
            ("Members at the end of the period", a.members),
        ] {
            if let Some(n) = v {
                rows.push(row(header, vec![thousands(n)]));
            }
        }
        if !a.joined.is_empty() {
            rows.push(text("Joined the committee", join_words(&a.joined)));
        }
        if !a.left.is_empty() {
            rows.push(text("Left the committee", join_words(&a.left)));
        }
        Table {
            id: "table-committee",
            caption: format!("The work of the {}", c.committee),
            columns: vec![text_col("Measure"), text_col("Value")],
            bodies: single_body(rows),
        }
    });
    let committee_note = c
        .committee_activity
        .as_ref()
        .and_then(|a| a.note.clone())
        .filter(|n| !n.trim().is_empty());

    let history = input.history.map(|h| history_view(h, &s.period.label));

    let mut charts = Charts::default();
    for ch in input.charts {
        let view = ChartView {
            id: ch.id.to_string(),
            title: ch.title.to_string(),
            description: ch.description.to_string(),
            svg: ch.svg.to_string(),
        };
        match chart_slot(&mut charts, ch.id) {
            Some(slot) if slot.is_none() => *slot = Some(view),
            _ => charts.other.push(view),
        }
    }

    let sup = input.suppression;
    let suppression = SuppressionView {
        min_cell: sup.min_cell,
        mode: match sup.min_cell {
            0 => "off",
            1 => "none",
            _ => "on",
        },
        largest_hidden: sup.min_cell.saturating_sub(1),
        tables: sup
            .tables
            .iter()
            .map(|t| suppressed_table_name(t))
            .collect(),
        primary: plural(sup.primary, "cell was", "cells were"),
        complementary: plural(sup.complementary, "more cell was", "more cells were"),
    };

    let rows = RowsView {
        read: thousands(s.rows.read),
        counted: thousands(s.rows.counted),
        outside_period: thousands(s.rows.outside_period),
        rejected: plural(input.rows_rejected, "row", "rows"),
        rejected_verb: if input.rows_rejected == 1 {
            "was"
        } else {
            "were"
        },
        any_rejected: input.rows_rejected > 0,
        any_outside: s.rows.outside_period > 0,
        any_read: s.rows.read > 0,
    };

    View {
        title,
        organisation: c.organisation.clone(),
        committee: c.committee.clone(),
        contact: c.contact.clone(),
        label: s.period.label.clone(),
        period_start: s.period.start.clone(),
        period_end: s.period.end.clone(),
        period_text: format!(
            "{} to {}",
            long_date(&s.period.start),
            long_date(&s.period.end)
        ),
        timezone: s.period.timezone.clone(),
        no_cases: total == Some(0),
        stats,
        narrative_html: input.narrative_markdown.map(narrative_to_html),
        narrative_markdown: input.narrative_markdown.map(narrative_to_markdown),
        policy: Policy {
            ack_target,
            ack_deadline: ack_deadline(c.ack_target_business_days),
            business_days: business_days_text(&c.business_days),
            holidays: c.holidays.len(),
            appealable_levels: appealable_text,
            appeal_window_days: c.appeal_window_days,
        },
        committee_activity,
        committee_note,
        history,
        categories,
        levels,
        actions,
        suspensions,
        platforms,
        reporters,
        acknowledgement,
        resolution,
        resolution_histogram,
        resolution_by_level,
        appeal_summary,
        appeal_outcomes,
        appeal_eligibility,
        monthly,
        charts,
        suppression,
        rows,
        data_files: input
            .data_files
            .iter()
            .map(|d| FileView {
                path: d.path.clone(),
                sha256: d.sha256.clone(),
                size: plural(d.bytes, "byte", "bytes"),
            })
            .collect(),
        inputs: input
            .input_hashes
            .iter()
            .map(|(name, sha256)| InputView {
                name: name.clone(),
                sha256: sha256.clone(),
            })
            .collect(),
        tool_version: input.tool_version.to_string(),
        build_date: input.build_date.map(str::to_string),
        style,
    }
}

/// A signed change for display: "+3", "−1.5", "0".
fn signed(x: f64, digits: usize) -> String {
    let text = if digits == 0 {
        thousands(x.abs().round() as u64)
    } else {
        decimal1(Some(x.abs()))
    };
    if text.bytes().all(|b| matches!(b, b'0' | b'.' | b',')) {
        text
    } else if x > 0.0 {
        format!("+{text}")
    } else if x < 0.0 {
        format!("\u{2212}{text}")
    } else {
        text
    }
}

fn history_view(h: &crate::history::History, label: &str) -> HistoryView {
    use crate::history::Kind;
    let prev = h.previous();
    let shown = |kind: Kind, v: Option<f64>| match (kind, v) {
        (_, None) => "n/a".to_string(),
        (Kind::Count, Some(x)) => thousands(x as u64),
        (Kind::Rate, Some(_)) => percent(v),
        (Kind::Days, Some(_)) => decimal1(v),
    };
    let rows = h
        .comparison()
        .into_iter()
        .map(|x| {
            let (name, kind, p, c, ch) = (x.label, x.kind, x.previous, x.current, x.change);
            let absolute = match (kind, ch.absolute) {
                (_, None) => "n/a".to_string(),
                (Kind::Count, Some(x)) => signed(x, 0),
                (Kind::Rate, Some(x)) => format!("{} points", signed(x * 100.0, 1)),
                (Kind::Days, Some(x)) => format!("{} days", signed(x, 1)),
            };
            let relative = ch
                .percent
                .map(|x| format!("{}%", signed(x, 1)))
                .unwrap_or_else(|| "n/a".into());
            row(
                name,
                vec![shown(kind, p), shown(kind, c), absolute, relative],
            )
        })
        .collect();
    let comparison = Table {
        id: "table-history",
        caption: format!("Key figures: {label} compared with {}", prev.period.label),
        columns: vec![
            text_col("Key figure"),
            num_col(&prev.period.label),
            num_col(label),
            num_col("Change"),
            num_col("% change"),
        ],
        bodies: single_body(rows),
    };
    let count = |c: Count| c.map(thousands).unwrap_or_else(|| "n/a".into());
    let trend = Table {
        id: "table-history-trend",
        caption: "Cases received and resolved, period by period".into(),
        columns: vec![
            text_col("Period"),
            num_col("Cases received"),
            num_col("Resolved"),
            num_col("Appeals filed"),
        ],
        bodies: single_body(
            h.periods
                .iter()
                .map(|p| {
                    row(
                        format!(
                            "{} ({} to {})",
                            p.period.label,
                            long_date(&p.period.start),
                            long_date(&p.period.end)
                        ),
                        vec![
                            count(p.cases.total),
                            count(p.cases.resolved),
                            count(p.appeals.filed),
                        ],
                    )
                })
                .collect(),
        ),
    };
    HistoryView {
        previous_label: prev.period.label.clone(),
        comparison,
        trend,
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping and the narrative

/// Backslash-escapes what Markdown (GFM) would read as markup, so config text cannot add
/// table columns, links, emphasis or HTML to report.md. `<` before a space or digit is left
/// alone: "< 3" cannot open a tag and reads better unescaped.
fn escape_markdown(s: &str) -> String {
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
fn is_safe_url(url: &str) -> bool {
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

fn narrative_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The narrative sits under an h2, so its `#` becomes h3 and the page keeps one h1.
fn shift_heading(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Markdown → HTML with raw HTML shown as text, unsafe links reduced to their text and
/// images reduced to their alt text (the page must not fetch anything).
fn narrative_to_html(md: &str) -> String {
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
fn narrative_to_markdown(md: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Acknowledgement, Appeals, CaseTotals, LevelResolution, Month, PeriodInfo, Resolution, Rows,
        Suspensions,
    };
    use indexmap::IndexMap;

    fn counts(pairs: &[(&str, Count)]) -> Counts {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    /// A year of a mid-sized community, with a few suppressed cells.
    fn fixture() -> Summary {
        let monthly = [
            (17, 15),
            (19, 18),
            (22, 20),
            (16, 19),
            (18, 16),
            (14, 15),
            (12, 13),
            (15, 14),
            (21, 17),
            (24, 22),
            (20, 19),
            (16, 10),
        ];
        Summary {
            schema_version: crate::model::SCHEMA_VERSION,
            period: PeriodInfo {
                label: "2025".into(),
                start: "2025-01-01".into(),
                end: "2025-12-31".into(),
                timezone: "America/Chicago".into(),
            },
            rows: Rows {
                read: 230,
                counted: 226,
                rejected: 4,
                outside_period: 12,
            },
            cases: CaseTotals {
                total: Some(214),
                resolved: Some(198),
                open_at_period_end: Some(16),
            },
            by_platform: counts(&[
                ("ala_connect", Some(142)),
                ("social_media", Some(41)),
                ("website", Some(19)),
                ("blog", None),
                ("online_publication", None),
            ]),
            by_moderation_level: counts(&[
                ("A", Some(96)),
                ("B", Some(58)),
                ("C", Some(31)),
                ("D", Some(13)),
                (UNASSIGNED, Some(16)),
            ]),
            by_category: counts(&[
                ("race_ethnicity", Some(18)),
                ("sex_gender", Some(27)),
                ("language", Some(4)),
                ("sexual_orientation", Some(11)),
                ("disability", Some(6)),
                ("appearance", Some(5)),
                ("age", None),
                ("religion_politics", Some(22)),
                ("marital_family", Some(0)),
                ("nationality_location", Some(9)),
                ("employment_military", Some(0)),
                ("socioeconomic", Some(3)),
                ("prohibited_content", Some(31)),
                ("intimidation", Some(24)),
                ("intellectual_property", Some(12)),
                ("political_endorsement", Some(15)),
                ("paid_promotion", Some(38)),
                ("job_posting", Some(29)),
                ("accessibility", Some(7)),
                ("impersonation", None),
                ("sharing_member_content", Some(10)),
                ("other", Some(8)),
            ]),
            by_category_group: counts(&[("harassment", Some(89)), ("conduct", Some(171))]),
            by_action: counts(&[
                ("no_action", Some(21)),
                ("discussion", Some(64)),
                ("warning", Some(47)),
                ("content_removed", Some(38)),
                ("temporary_suspension", Some(19)),
                ("full_suspension", Some(9)),
                (UNASSIGNED, Some(16)),
            ]),
            by_reporter_type: counts(&[
                ("named", Some(118)),
                ("anonymous", Some(61)),
                ("moderator", None),
                (UNASSIGNED, None),
            ]),
            suspensions: Suspensions {
                temporary: Some(19),
                full: Some(9),
                interim: Some(4),
                median_days: Some(14.0),
            },
            resolution_days: Resolution {
                count: Some(198),
                median: Some(4.6),
                p90: Some(21.3),
                mean: Some(8.94),
                by_moderation_level: [
                    ("A", Some(96), Some(1.8), Some(6.2)),
                    ("B", Some(58), Some(5.1), Some(14.7)),
                    ("C", Some(31), Some(12.4), Some(33.0)),
                    ("D", Some(13), Some(27.5), Some(61.25)),
                ]
                .into_iter()
                .map(|(k, count, median, p90)| {
                    (k.to_string(), LevelResolution { count, median, p90 })
                })
                .collect::<IndexMap<_, _>>(),
                histogram: counts(&[
                    ("0-1", Some(38)),
                    ("1-7", Some(92)),
                    ("7-30", Some(51)),
                    ("30-90", None),
                    ("90+", None),
                ]),
            },
            acknowledgement: Acknowledgement {
                met: Some(187),
                rate: Some(0.8738),
                median_hours: Some(9.5),
            },
            appeals: Appeals {
                filed: Some(9),
                by_outcome: counts(&[
                    ("upheld", Some(4)),
                    ("overturned", None),
                    ("modified", None),
                    ("withdrawn", Some(0)),
                    ("pending", Some(3)),
                ]),
                eligible: Some(7),
                not_eligible: None,
                timely: Some(6),
                late: None,
                window_unknown: None,
                reversal_rate: None,
                median_days_to_decision: Some(18.0),
            },
            monthly: monthly
                .iter()
                .enumerate()
                .map(|(i, &(r, d))| Month {
                    month: format!("2025-{:02}", i + 1),
                    reported: Some(r),
                    resolved: Some(d),
                })
                .collect(),
        }
    }

    /// The same period with no case at all: zeros, and n/a for every rate and median.
    fn empty_fixture() -> Summary {
        let mut s = fixture();
        let zero = |c: &mut Counts| c.values_mut().for_each(|v| *v = Some(0));
        s.rows = Rows {
            read: 0,
            counted: 0,
            rejected: 0,
            outside_period: 0,
        };
        s.cases = CaseTotals {
            total: Some(0),
            resolved: Some(0),
            open_at_period_end: Some(0),
        };
        for c in [
            &mut s.by_platform,
            &mut s.by_moderation_level,
            &mut s.by_category,
            &mut s.by_category_group,
            &mut s.by_action,
            &mut s.by_reporter_type,
            &mut s.resolution_days.histogram,
            &mut s.appeals.by_outcome,
        ] {
            zero(c);
        }
        s.suspensions = Suspensions {
            temporary: Some(0),
            full: Some(0),
            interim: Some(0),
            median_days: None,
        };
        s.resolution_days.count = Some(0);
        s.resolution_days.median = None;
        s.resolution_days.p90 = None;
        s.resolution_days.mean = None;
        for l in s.resolution_days.by_moderation_level.values_mut() {
            *l = LevelResolution {
                count: Some(0),
                median: None,
                p90: None,
            };
        }
        s.acknowledgement = Acknowledgement {
            met: Some(0),
            rate: None,
            median_hours: None,
        };
        s.appeals = Appeals {
            filed: Some(0),
            by_outcome: s.appeals.by_outcome.clone(),
            eligible: Some(0),
            not_eligible: Some(0),
            timely: Some(0),
            late: Some(0),
            window_unknown: Some(0),
            reversal_rate: None,
            median_days_to_decision: None,
        };
        for m in &mut s.monthly {
            m.reported = Some(0);
            m.resolved = Some(0);
        }
        s
    }

    /// A plain bar chart standing in for the chart module's output.
    fn placeholder_svg(id: &str, title: &str, desc: &str, bars: &[(String, f64)]) -> String {
        let row_h = 26.0;
        let height = 30.0 + row_h * bars.len() as f64;
        let max = bars.iter().map(|b| b.1).fold(1.0_f64, f64::max);
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 {height}\" width=\"720\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">{desc}</desc><g font-family=\"system-ui, sans-serif\" font-size=\"13\" fill=\"currentColor\">"
        );
        for (i, (label, v)) in bars.iter().enumerate() {
            let label = label
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let y = 10.0 + row_h * i as f64;
            let w = 360.0 * v / max;
            svg.push_str(&format!(
                "<text x=\"300\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect x=\"310\" y=\"{y}\" width=\"{w}\" height=\"18\" fill=\"#1f6feb\"/><text x=\"{tx}\" y=\"{ty}\">{v}</text>",
                ty = y + 13.0,
                tx = 316.0 + w
            ));
        }
        svg.push_str(&format!(
            "</g><line x1=\"310\" y1=\"6\" x2=\"310\" y2=\"{}\" stroke=\"currentColor\"/></svg>",
            height - 14.0
        ));
        svg
    }

    fn bars(c: &Counts, label: impl Fn(&str) -> String) -> Vec<(String, f64)> {
        c.iter()
            .map(|(k, v)| (label(k), v.unwrap_or(0) as f64))
            .collect()
    }

    struct Owned {
        summary: Summary,
        config: Config,
        charts: Vec<(String, String, String, String)>,
        suppression: SuppressionReport,
        files: Vec<DataFile>,
        inputs: Vec<(String, String)>,
    }

    fn owned(summary: Summary, config: Config) -> Owned {
        let t = &config.taxonomy;
        let mut charts = Vec::new();
        for (id, title, desc, data) in [
            (
                "categories",
                "Cases by section of the Code",
                "Horizontal bar chart of cases per section of the Code of Conduct; the most cited was promotion of paid products or services.",
                bars(&summary.by_category, |k| t.category_label(k)),
            ),
            (
                "levels",
                "Cases by moderation level",
                "Bar chart of cases per moderation level; most cases were level A.",
                bars(&summary.by_moderation_level, |k| t.level_label(k)),
            ),
            (
                "platforms",
                "Cases by platform",
                "Bar chart of cases per platform; most were on ALA Connect.",
                bars(&summary.by_platform, |k| t.platform_label(k)),
            ),
            (
                "resolution",
                "Time to a decision",
                "Histogram of days from report to decision; most cases were decided within a week.",
                bars(&summary.resolution_days.histogram, bin_label),
            ),
            (
                "monthly",
                "Cases reported each month",
                "Bar chart of cases reported per month, between 12 and 24.",
                summary
                    .monthly
                    .iter()
                    .map(|m| (long_month(&m.month), m.reported.unwrap_or(0) as f64))
                    .collect(),
            ),
            (
                "appeals",
                "Appeals by outcome",
                "Bar chart of appeals by outcome; most decisions were upheld.",
                bars(&summary.appeals.by_outcome, outcome_label),
            ),
        ] {
            let svg = placeholder_svg(id, title, desc, &data);
            charts.push((id.to_string(), title.to_string(), desc.to_string(), svg));
        }
        let mut files: Vec<DataFile> = [
            "charts/appeals.svg",
            "charts/categories.svg",
            "data/by_category.csv",
            "data/datapackage.json",
            "data/summary.json",
        ]
        .iter()
        .enumerate()
        .map(|(i, p)| DataFile {
            path: p.to_string(),
            sha256: format!("{:064x}", 0xdead_beef_u64 * (i as u64 + 3)),
            bytes: 812 + 1000 * i as u64,
        })
        .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Owned {
            summary,
            suppression: SuppressionReport {
                min_cell: config.min_cell,
                tables: [
                    "by_platform",
                    "by_category",
                    "by_reporter_type",
                    "resolution_days.histogram",
                    "appeals.by_outcome",
                    "appeals.eligibility",
                    "appeals.window",
                ]
                .map(String::from)
                .to_vec(),
                primary: 9,
                complementary: 4,
                complementary_cells: [
                    "by_platform/online_publication",
                    "by_reporter_type/moderator",
                    "resolution_days.histogram/30-90",
                    "appeals.window/window_unknown",
                ]
                .map(String::from)
                .into_iter()
                .collect(),
            },
            config,
            charts,
            files,
            inputs: vec![(
                "cases-2025.csv".into(),
                "9f2c4e1a7b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8".into(),
            )],
        }
    }

    const NARRATIVE: &str = "This year the committee received more reports than in any year \
before, mostly about **promotion of paid products** in ALA Connect communities.\n\n\
# What changed\n\nWe now acknowledge reports the same day whenever we can, and we publish the \
[Code of Conduct](https://www.ala.org/) alongside this report.\n\n\
- Moderators took part in training on bias.\n- Appeals are now decided within 30 days.\n";

    fn render_owned(
        o: &Owned,
        narrative: Option<&str>,
        dir: Option<&Path>,
    ) -> Result<Rendered, RenderError> {
        let charts: Vec<ChartRef> = o
            .charts
            .iter()
            .map(|(id, title, description, svg)| ChartRef {
                id,
                title,
                description,
                svg,
            })
            .collect();
        let input = ReportInput {
            summary: &o.summary,
            config: &o.config,
            charts: &charts,
            narrative_markdown: narrative,
            suppression: &o.suppression,
            data_files: &o.files,
            tool_version: "0.1.0",
            build_date: None,
            input_hashes: &o.inputs,
            rows_rejected: o.summary.rows.rejected,
            history: None,
        };
        render(&input, dir)
    }

    fn render_fixture(narrative: Option<&str>) -> Rendered {
        render_owned(&owned(fixture(), Config::default()), narrative, None).expect("renders")
    }

    #[test]
    fn formats_numbers() {
        let sup = SuppressionReport {
            min_cell: 3,
            complementary_cells: ["t/big".to_string()].into_iter().collect(),
            ..SuppressionReport::default()
        };
        let f = Fmt { suppression: &sup };
        assert_eq!(f.cell("t", "big", None), "suppressed");
        assert_eq!(f.cell("t", "small", None), "< 3");
        assert_eq!(f.cell("t", "big", Some(4)), "4");
        assert_eq!(f.count(Some(1_234_567)), "1,234,567");
        assert_eq!(f.count(Some(0)), "0");
        assert_eq!(f.count(Some(999)), "999");
        assert_eq!(f.count(None), "< 3");
        assert_eq!(f.share(Some(7), Some(8)), "87.5%");
        assert_eq!(f.share(None, Some(8)), "n/a");
        assert_eq!(f.share(Some(1), Some(0)), "n/a");
        assert_eq!(percent(Some(0.875)), "87.5%");
        assert_eq!(percent(Some(1.0)), "100.0%");
        assert_eq!(percent(None), "n/a");
        assert_eq!(percent(Some(f64::NAN)), "n/a");
        assert_eq!(decimal1(Some(4.26)), "4.3");
        assert_eq!(decimal1(Some(1234.56)), "1,234.6");
        assert_eq!(decimal1(Some(-0.01)), "0.0");
        assert_eq!(decimal1(None), "n/a");
        assert_eq!(long_date("2025-03-04"), "4 March 2025");
        assert_eq!(long_month("2025-11"), "November 2025");
        assert!(ack_deadline(1).starts_with("the end of the next business day after"));
        assert!(ack_deadline(2).starts_with("the end of the 2nd business day"));
        assert!(ack_deadline(11).starts_with("the end of the 11th business day"));
        assert_eq!(bin_label("0-1"), "Under 1 day");
        assert_eq!(bin_label("1-7"), "1 to under 7 days");
        assert_eq!(bin_label("90+"), "90 days or more");
        assert_eq!(business_days_text(&default_days()), "Monday to Friday");
        assert_eq!(
            business_days_text(&["mon".into(), "wed".into()]),
            "Monday and Wednesday"
        );
    }

    fn default_days() -> Vec<String> {
        Config::default().business_days
    }

    #[test]
    fn suppressed_and_na_cells_show_in_both_outputs() {
        let r = render_fixture(None);
        // Blog is suppressed: "< 3" and no share that could give it away.
        assert!(
            r.html
                .contains("<th scope=\"row\">Blogs</th><td class=\"num\">&lt; 3</td><td class=\"num\">n&#x2F;a</td>"),
            "{}",
            r.html
        );
        assert!(
            r.markdown.contains("| Blogs | < 3 | n/a |"),
            "{}",
            r.markdown
        );
        assert!(r.markdown.contains("| ALA Connect | 142 | 66.4% |"));
        // A complementary cell may be large: "suppressed", never "< 3".
        assert!(r
            .markdown
            .contains("| Online publications | suppressed | n/a |"));
        assert!(r
            .markdown
            .contains("| 30 to under 90 days | suppressed | n/a |"));
        assert!(r.markdown.contains("| 90 days or more | < 3 | n/a |"));
        assert!(r.html.contains("<td class=\"num\">suppressed</td>"));
        assert!(r
            .markdown
            .contains("| Appeals filed | 9 | reversals withheld (small numbers) |"));
        assert!(r
            .markdown
            .contains("| Acknowledged within 1 business day | 87.4% |"));
        assert!(!r.html.contains("NaN") && !r.markdown.contains("NaN"));
    }

    #[test]
    fn hostile_config_text_and_narrative_are_inert() {
        let mut config = Config {
            organisation: "<script>alert(1)</script>".into(),
            committee: "{{ 7*7 }} committee".into(),
            ..Config::default()
        };
        config.taxonomy.platforms[0].label = "\"><img src=x onerror=alert(1)>".into();
        config.taxonomy.categories[0].label = "a | b * c _d_ [x](y) `e`".into();
        let narrative = "Hello <script>alert(1)</script> and {{ 7*7 }}.\n\n\
<div onclick=\"alert(1)\">block</div>\n\n\
[click](javascript:alert(1)) [ok](https://example.org) ![img](https://example.org/x.png)\n\n\
<img src=x onerror=alert(1)>\n";
        let o = owned(fixture(), config);
        let r = render_owned(&o, Some(narrative), None).expect("renders");

        assert_eq!(raw_tags(&r.markdown), Vec::<&str>::new(), "{}", r.markdown);
        for out in [&r.html, &r.markdown.replace("\\<", "")] {
            assert!(!out.contains("<script"), "{out}");
            assert!(!out.contains("<img"), "{out}");
            assert!(!out.contains("<div onclick"), "{out}");
            assert!(!out.contains("](javascript:"), "{out}");
            assert!(!out.contains("href=\"javascript:"), "{out}");
            assert!(
                !out.contains("49 committee"),
                "tera evaluated config text: {out}"
            );
        }
        // The text itself survives, visibly.
        assert!(r
            .html
            .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
        assert!(r.html.contains("{{ 7*7 }} committee"));
        assert!(r
            .html
            .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(r
            .html
            .contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}."));
        assert!(r.html.contains("<a href=\"https://example.org\">ok</a>"));
        assert!(r.html.contains(">click<") || r.html.contains("click "));
        assert!(
            !r.html.contains("example.org/x.png"),
            "images must not load"
        );
        assert!(
            r.markdown.contains("\\<script\\>alert(1)\\</script\\>"),
            "{}",
            r.markdown
        );
        assert!(r.markdown.contains("\\{\\{ 7\\*7 \\}\\} committee"));
        assert!(r.markdown.contains("\"\\>\\<img src=x onerror=alert(1)\\>"));
        assert!(r
            .markdown
            .contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}."));
        assert!(r.markdown.contains("[ok](https://example.org)"));
    }

    /// Unescaped `<` that a Markdown renderer would take as the start of an HTML tag.
    fn raw_tags(md: &str) -> Vec<&str> {
        md.match_indices('<')
            .filter(|(i, _)| !md[..*i].ends_with('\\'))
            .filter(|(i, _)| {
                md[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
            })
            .map(|(i, _)| &md[i..md.len().min(i + 20)])
            .collect()
    }

    #[test]
    fn markdown_cells_cannot_add_columns() {
        let mut config = Config::default();
        config.taxonomy.platforms[1].label = "one | two\nthree".into();
        let r = render_owned(&owned(fixture(), config), None, None).expect("renders");
        let line = r
            .markdown
            .lines()
            .find(|l| l.contains("one \\| two"))
            .expect("row present");
        assert_eq!(line, "| one \\| two three | 41 | 19.2% |");
        let unescaped = line.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 4);
    }

    #[test]
    fn empty_period_says_so_and_keeps_every_section() {
        let r =
            render_owned(&owned(empty_fixture(), Config::default()), None, None).expect("renders");
        for out in [&r.html, &r.markdown] {
            assert!(out.contains("No cases were reported in this period."));
            assert!(!out.contains("NaN") && !out.contains("inf"));
            for h in [
                "Cases by section of the Code",
                "Moderation levels and actions",
                "Platforms",
                "Who reported",
                "Timeliness",
                "Appeals",
                "Month by month",
                "Methodology and data",
            ] {
                assert!(out.contains(h), "missing {h}");
            }
        }
        assert!(r.markdown.contains("| Median days to resolution | n/a |"));
        assert!(r.markdown.contains("| ALA Connect | 0 | n/a |"));
        let full = render_fixture(None);
        assert!(!full.html.contains("No cases were reported"));
    }

    #[test]
    fn override_from_directory_replaces_only_that_template() {
        let dir = std::env::temp_dir().join(format!("tr-render-override-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(
            dir.join(MD_TEMPLATE),
            "# {{ title }} ({{ stats.0.value }} cases)\n",
        )
        .expect("write");
        let r = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
        let broken = {
            std::fs::write(dir.join(HTML_TEMPLATE), "<p>{{ title </p>").expect("write");
            render_owned(&owned(fixture(), Config::default()), None, Some(&dir))
        };
        let undefined = {
            std::fs::write(dir.join(HTML_TEMPLATE), "<p>{{ no_such_value }}</p>").expect("write");
            render_owned(&owned(fixture(), Config::default()), None, Some(&dir))
        };
        std::fs::remove_dir_all(&dir).ok();

        let r = r.expect("renders with override");
        assert_eq!(
            r.markdown,
            "# American Library Association Code of Conduct transparency report 2025 (214 cases)\n"
        );
        assert!(r.html.contains("<h1>American Library Association"));
        for e in [broken, undefined] {
            match e {
                Err(RenderError::Template { name, message }) => {
                    assert_eq!(name, HTML_TEMPLATE);
                    assert!(!message.is_empty());
                }
                Err(other) => panic!("wrong error: {other}"),
                Ok(_) => panic!("a broken template must fail"),
            }
        }
    }

    #[test]
    fn missing_template_directory_is_an_error() {
        let dir = std::env::temp_dir().join("tr-render-no-such-dir-3f9a");
        let e = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
        assert!(matches!(e, Err(RenderError::Read { .. })));
    }

    #[test]
    fn undefined_variable_error_names_the_variable() {
        let dir = std::env::temp_dir().join(format!("tr-render-undef-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join(MD_TEMPLATE), "{{ no_such_value }}").expect("write");
        let e = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
        std::fs::remove_dir_all(&dir).ok();
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("report.md.tera") && msg.contains("no_such_value"),
            "{msg}"
        );
    }

    #[test]
    fn suppression_statement_follows_the_threshold() {
        let r = render_fixture(None);
        assert!(r.html.contains("a count from 1 to 2 is shown as “&lt; 3”"));
        assert!(r
            .html
            .contains("9 cells were withheld because they were small, and 4 more cells were"));
        assert!(r.markdown.contains("- Cases by platform\n"));
        assert!(r
            .markdown
            .contains("- Resolved cases by time to decision\n"));
        assert!(r.markdown.contains("- Appeals by timing\n"));

        let mut o = owned(fixture(), Config::default());
        o.suppression.tables.clear();
        let r = render_owned(&o, None, None).expect("renders");
        assert!(r.html.contains("no cell needed suppression"));
        assert!(r.markdown.contains("no cell needed suppression"));

        o.suppression.min_cell = 0;
        let r = render_owned(&o, None, None).expect("renders");
        assert!(r.html.contains("suppression was turned off"));
        assert!(r.markdown.contains("suppression was turned off"));
    }

    #[test]
    fn build_date_and_rejected_rows_are_stated_only_when_present() {
        let o = owned(fixture(), Config::default());
        let r = render_owned(&o, None, None).expect("renders");
        assert!(r.html.contains("4 rows of the export were invalid"));
        assert!(r.markdown.contains("4 rows of the export were invalid"));
        assert!(r.html.contains("Built with transparency-report 0.1.0.</p>"));

        let mut s = fixture();
        s.rows.rejected = 0;
        let o = owned(s, Config::default());
        let charts: Vec<ChartRef> = Vec::new();
        let input = ReportInput {
            summary: &o.summary,
            config: &o.config,
            charts: &charts,
            narrative_markdown: None,
            suppression: &o.suppression,
            data_files: &o.files,
            tool_version: "0.1.0",
            build_date: Some("2026-01-15"),
            input_hashes: &o.inputs,
            rows_rejected: 0,
            history: None,
        };
        let r = render(&input, None).expect("renders");
        assert!(!r.html.contains("invalid and left out"));
        assert!(r.html.contains("transparency-report 0.1.0 on 2026-01-15."));
        assert!(r
            .markdown
            .contains("transparency-report 0.1.0 on 2026-01-15."));
    }

    #[test]
    fn page_structure_is_one_h1_and_self_contained() {
        let r = render_fixture(Some(NARRATIVE));
        assert_eq!(
            r.html.matches("<h1").count(),
            1,
            "narrative # must not add an h1"
        );
        assert!(r.html.contains("<h3>What changed</h3>"));
        assert!(r.html.contains("<html lang=\"en\">"));
        assert!(r.html.contains("<main id=\"main\""));
        assert!(r.html.contains("<nav "));
        for forbidden in [
            "<script",
            "<link",
            "@import",
            "url(",
            "src=\"http",
            "<iframe",
        ] {
            assert!(!r.html.contains(forbidden), "{forbidden}");
        }
        // Every chart sits in the page and is followed by a table.
        assert_eq!(r.html.matches("<figure class=\"chart\"").count(), 6);
        assert!(r
            .markdown
            .contains("![Cases by platform](charts/platforms.svg)"));
        assert!(r
            .markdown
            .contains("*Chart description:* Bar chart of cases per platform"));
        assert!(r
            .html
            .contains("<caption id=\"table-platforms-caption\">Cases by platform</caption>"));
    }

    #[test]
    fn unknown_chart_ids_are_still_published() {
        let mut o = owned(fixture(), Config::default());
        o.charts[0].0 = "extra_figure".into();
        let r = render_owned(&o, None, None).expect("renders");
        assert!(r.html.contains("id=\"other-figures\""));
        assert!(r.markdown.contains("](charts/extra\\_figure.svg)"));
    }

    #[test]
    fn rendering_is_deterministic() {
        let a = render_fixture(Some(NARRATIVE));
        let b = render_fixture(Some(NARRATIVE));
        assert_eq!(a.html, b.html);
        assert_eq!(a.markdown, b.markdown);
    }

    #[test]
    fn embedded_templates_are_listed_for_init() {
        let names: Vec<&str> = embedded_templates().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, [HTML_TEMPLATE, MD_TEMPLATE, CSS_FILE]);
        assert!(embedded_templates().iter().all(|(_, s)| !s.is_empty()));
    }

    #[test]
    fn url_safety() {
        for ok in [
            "https://x.org",
            "http://x",
            "mailto:a@b",
            "#top",
            "data/x.csv",
            "x/y:z",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }

    /// Writes the fixture report for the browser test:
    /// `RENDER_FIXTURE_OUT=/tmp/report cargo test --lib write_fixture_report -- --ignored`
    #[test]
    #[ignore = "writes files; run by hand for the browser test"]
    fn write_fixture_report() {
        let Ok(out) = std::env::var("RENDER_FIXTURE_OUT") else {
            return;
        };
        let out = PathBuf::from(out);
        let empty = std::env::var("RENDER_FIXTURE_EMPTY").is_ok();
        let summary = if empty { empty_fixture() } else { fixture() };
        let o = owned(summary, Config::default());
        let r = render_owned(&o, Some(NARRATIVE), None).expect("renders");
        std::fs::create_dir_all(out.join("charts")).expect("mkdir");
        std::fs::write(out.join("index.html"), r.html).expect("write");
        std::fs::write(out.join("report.md"), r.markdown).expect("write");
        let json = serde_json::to_string_pretty(&o.summary).expect("serialises");
        std::fs::write(out.join("summary.json"), json).expect("write");
        for (id, _, _, svg) in &o.charts {
            std::fs::write(out.join("charts").join(format!("{id}.svg")), svg).expect("write");
        }
    }
}
