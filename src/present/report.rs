//! Summary + config + charts → the published report, as `index.html` and `report.md`.
//!
//! Every figure is formatted here once, into a view-model that both templates read, so the
//! HTML and the Markdown cannot disagree about a number. Nothing is computed here beyond
//! display shares of a total: the figures themselves come from `model::Summary`.
//!
//! Text from the config and the committee's narrative is untrusted: the HTML template is
//! autoescaped as HTML, the Markdown template is autoescaped with a Markdown escaper, and the
//! narrative loses its raw HTML and script links before it is marked safe.
//!
//! This file loads the templates and renders them; the view-model is built below it:
//!
//! ```text
//! view.rs         the view-model the templates read, and build_view assembling it
//! headline.rs     title, key-figure cards, incidents
//! cases.rs        sections of the Code, levels, actions, suspensions, platforms, reporters
//! timeliness.rs   acknowledgement, days to decision, month by month
//! appeals.rs      appeals filed, outcomes, eligibility and timing
//! history.rs      the year-over-year comparison and trend
//! methodology.rs  policy, committee activity, suppression, rows read
//! markdown.rs     Markdown escaping and the committee's narrative, made safe
//! summaries.rs    the committee's public summaries of individual cases
//! ```
//!
//! Numbers, dates and shared labels are formatted by `present::text`.

mod appeals;
mod cases;
mod context;
mod headline;
mod history;
mod markdown;
mod methodology;
mod process;
mod referrals;
pub mod slide;
mod summaries;
mod timeliness;
mod view;

use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::config::Config;
use crate::model::{IncidentFigures, Summary, SuppressionReport};
use markdown::escape_markdown;
use view::build_view;

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
    /// The event the period is (`[period] name`), which titles the report.
    pub event: Option<&'a str>,
    pub config: &'a Config,
    pub charts: &'a [ChartRef<'a>],
    /// The committee's own text; may contain raw HTML, which is neutralised.
    pub narrative_markdown: Option<&'a str>,
    /// The committee's summaries the build publishes (confirmed, and naming no withheld count).
    pub summaries: &'a [crate::summaries::Published],
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
    pub history: Option<&'a crate::compute::history::History>,
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

impl From<RenderError> for crate::error::Error {
    fn from(e: RenderError) -> Self {
        crate::error::Error::Present(Box::new(e))
    }
}

const HTML_TEMPLATE: &str = "report.html.tera";
const MD_TEMPLATE: &str = "report.md.tera";
const CSS_FILE: &str = "style.css";

static EMBEDDED: [(&str, &str); 3] = [
    (
        HTML_TEMPLATE,
        include_str!("../../templates/report.html.tera"),
    ),
    (MD_TEMPLATE, include_str!("../../templates/report.md.tera")),
    (CSS_FILE, include_str!("../../templates/style.css")),
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
    // Sections come in the config's order, so the blank lines between them depend on which
    // section ends on a table: one blank line between blocks, whatever the order.
    let markdown = markdown::single_blank_lines(&markdown);
    Ok(Rendered { html, markdown })
}

/// The closing-session slide (`[slide]`): `slide.html` and `slide.svg`, from the same
/// summary and suppression as the report.
pub fn render_slide(input: &ReportInput, config: &crate::config::slide::Slide) -> slide::Rendered {
    let c = input.config;
    let title = c
        .words
        .title(&c.organisation, &input.summary.period.label, input.event);
    slide::render(&slide::view(input, config, title))
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

#[cfg(test)]
mod tests;
