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

use crate::config::{Config, CountBasis};
use crate::model::{
    Count, Counts, IncidentFigures, Summary, SuppressionReport, APPEAL_OUTCOMES, RESOLUTION_BINS,
    UNASSIGNED,
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
    /// Reports vs incidents (`None`: the export has no `incident_id` column).
    pub incidents: Option<&'a IncidentFigures>,
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
    /// Present when the export groups reports into incidents.
    incidents: Option<IncidentsView>,
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
struct IncidentsView {
    reports: String,
    incidents: String,
    /// The figure of sections counts incidents (else reports, with incidents beside them).
    by_incident: bool,
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
    /// "312 published figures" and "95 relations" of the disclosure audit; empty when off.
    audit_figures: String,
    audit_relations: String,
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
        "incidents.by_category" => "Incidents by section of the Code of Conduct",
        "incidents.by_category_group" => "Incidents by group of sections",
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

    let mut stats = vec![
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

    // A seventh card would stand alone on the grid: the incidents go in the first card's note.
    if let Some(i) = input.incidents {
        stats[0].note = format!(
            "reported in the period, concerning {}",
            plural(i.incidents, "distinct incident", "distinct incidents")
        );
    }
    let incidents = input.incidents.map(|i| IncidentsView {
        reports: thousands(i.reports),
        incidents: thousands(i.incidents),
        by_incident: c.incidents.count_categories_by == CountBasis::Incidents,
    });

    // Categories, grouped; a case may cite several sections, so shares exceed 100% in sum.
    // With incidents, both counts are shown, the configured one first.
    let by_incident = incidents.as_ref().is_some_and(|i| i.by_incident);
    let cells = |table: &str, key: &str, reports: Count| -> Vec<String> {
        let mut out = vec![f.cell(table, key, reports), f.share(reports, total)];
        if let Some(i) = input.incidents {
            let (itable, ikey) = (format!("incidents.{table}"), key);
            let map = if table == "by_category" {
                &i.by_category
            } else {
                &i.by_category_group
            };
            let n = map.get(ikey).copied().unwrap_or(Some(0));
            let counted = vec![f.cell(&itable, ikey, n), f.share(n, Some(i.incidents))];
            if by_incident {
                out.splice(0..0, counted);
            } else {
                out.extend(counted);
            }
        }
        out
    };
    let mut cat_bodies = Vec::new();
    for g in &t.category_groups {
        let mut rows: Vec<Row> = t
            .categories
            .iter()
            .filter(|cat| cat.group == g.key)
            .map(|cat| {
                let n = s.by_category.get(&cat.key).copied().unwrap_or(Some(0));
                row(cat.label.clone(), cells("by_category", &cat.key, n))
            })
            .collect();
        let gt = s.by_category_group.get(&g.key).copied().unwrap_or(Some(0));
        let any = if incidents.is_some() {
            format!("Any of these ({})", g.label)
        } else {
            format!("Cases citing any of these ({})", g.label)
        };
        rows.push(Row {
            total: true,
            ..row(any, cells("by_category_group", &g.key, gt))
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
        .map(|(k, &n)| row(k.clone(), cells("by_category", k, n)))
        .collect();
    if !extra.is_empty() {
        cat_bodies.push(Body {
            heading: Some("Other sections".into()),
            rows: extra,
        });
    }
    let mut columns = vec![num_col("Cases"), num_col("% of cases")];
    let caption = match &incidents {
        None => "Cases by section of the Code of Conduct",
        Some(i) => {
            let counted = vec![num_col("Incidents"), num_col("% of incidents")];
            if i.by_incident {
                columns.splice(0..0, counted);
                "Incidents and cases by section of the Code of Conduct"
            } else {
                columns.extend(counted);
                "Cases and incidents by section of the Code of Conduct"
            }
        }
    };
    columns.insert(0, text_col("Section"));
    let categories = Table {
        id: "table-categories",
        caption: caption.into(),
        columns,
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
        audit_figures: sup
            .audit
            .map(|a| plural(a.published_figures, "published figure", "published figures"))
            .unwrap_or_default(),
        audit_relations: sup
            .audit
            .map(|a| plural(a.relations, "relation", "relations"))
            .unwrap_or_default(),
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
        incidents,
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
#[path = "tests/render.rs"]
mod tests;
