//! The site of a `build --periods` run: its front page (`index.html`), listing every period
//! and showing the series of the key figures, and its data (`data/figures.csv`, the tidy
//! long table of every published figure of every period, and `data/datapackage.json`).
//!
//! Nothing is computed here: every value is a period's published figure (after suppression),
//! formatted as that period's report formats it, so the series cannot disagree with the
//! reports.

use serde::Serialize;

use crate::compute::imports::Imported;
use crate::config::{AckPromise, Config};
use crate::error::{Error, Result};
use crate::model::{Count, IncidentFigures, Summary, SuppressionReport};
use crate::present::chart;
use crate::present::report::RenderError;
use crate::present::text::{
    action_label, below, capitalise, decimal1, figure_label, handler_label, long_date, percent,
    table_title, thousands, IMPORTED_MARK, IMPORTED_NOTE, NOT_AVAILABLE, PEOPLE_NAMED, SUPPRESSED,
    WITHHELD,
};

/// The site's figure file and its columns.
pub const FIGURES_FILE: &str = "data/figures.csv";

/// The most groups drawn as a chart (more bars per period would not be read).
const PALETTE_BARS: usize = 4;

/// One period of the site, as its report published it.
#[derive(Clone, Copy)]
pub struct SitePeriod<'a> {
    /// `year`, `half_year`, `quarter` or `fiscal_year` (`config::periods::Kind::key`).
    pub kind: &'static str,
    pub summary: &'a Summary,
    pub suppression: &'a SuppressionReport,
    pub incidents: Option<&'a IncidentFigures>,
    /// An earlier period imported from its published figures, not built from the export.
    pub imported: Option<&'a Imported>,
}

impl SitePeriod<'_> {
    fn label(&self) -> &str {
        &self.summary.period.label
    }

    /// The label with the mark of an imported period, for a column or a chart.
    fn marked(&self) -> String {
        match self.imported {
            Some(_) => format!("{}{IMPORTED_MARK}", self.label()),
            None => self.label().to_string(),
        }
    }

    /// A count of table `table` under `key` as the report shows it; an imported period
    /// shows n/a for a figure it did not publish and "withheld" for one it withheld.
    fn cell(&self, table: &str, key: &str, c: Count) -> String {
        if let Some(i) = self.imported {
            return match c {
                _ if !i.publishes(table, key) => NOT_AVAILABLE.into(),
                Some(n) => thousands(n),
                None => WITHHELD.into(),
            };
        }
        match c {
            Some(n) => thousands(n),
            None if self
                .suppression
                .complementary_cells
                .contains(&format!("{table}/{key}")) =>
            {
                SUPPRESSED.into()
            }
            None => below(self.suppression.min_cell),
        }
    }
}

#[derive(Serialize)]
struct Cell {
    v: String,
    num: bool,
}

#[derive(Serialize)]
struct Col {
    label: String,
    num: bool,
    /// An imported period: marked, and explained under the table.
    imported: bool,
}

#[derive(Serialize)]
struct Row {
    header: String,
    href: Option<String>,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Table {
    id: String,
    caption: String,
    columns: Vec<Col>,
    rows: Vec<Row>,
    /// Under the table: what the mark of an imported period means.
    note: Option<String>,
}

#[derive(Serialize)]
struct Figure {
    id: &'static str,
    title: String,
    svg: String,
    note: Option<String>,
}

#[derive(Serialize)]
struct Series {
    id: &'static str,
    heading: String,
    intro: Option<String>,
    charts: Vec<Figure>,
    tables: Vec<Table>,
}

#[derive(Serialize)]
struct WordsView {
    cases: String,
}

#[derive(Serialize)]
struct View {
    title: String,
    organisation: String,
    committee: String,
    span_text: String,
    zone_text: String,
    style: String,
    tool_version: String,
    build_date: Option<String>,
    min_cell: u64,
    w: WordsView,
    periods: Vec<String>,
    /// How many periods were built from the export (the others are imported).
    built_count: usize,
    imported_count: usize,
    /// The site's copies of the imported files.
    imported: Vec<String>,
    reports: Table,
    series: Vec<Series>,
}

fn num(v: String) -> Cell {
    Cell { v, num: true }
}

/// A table with a row per figure and a column per period.
fn by_period(
    id: &str,
    caption: String,
    first: &str,
    periods: &[SitePeriod],
    rows: Vec<Row>,
) -> Table {
    let mut columns = vec![Col {
        label: first.into(),
        num: false,
        imported: false,
    }];
    columns.extend(periods.iter().map(|p| Col {
        label: p.marked(),
        num: true,
        imported: p.imported.is_some(),
    }));
    Table {
        id: id.into(),
        caption,
        columns,
        rows,
        note: imported_note(periods, false),
    }
}

/// What the mark of an imported period means, naming the periods and where each was
/// published; `None` without imported periods.
fn imported_note(periods: &[SitePeriod], chart: bool) -> Option<String> {
    // Imported periods from the same source, each starting the day after the one before
    // ended, are named together ("2015 to 2022"); any other, on its own.
    let mut groups: Vec<(Vec<&str>, Option<&str>)> = Vec::new();
    let mut last_end: Option<chrono::NaiveDate> = None;
    for p in periods {
        let Some(i) = p.imported else {
            last_end = None;
            continue;
        };
        let source = i.source.as_deref();
        let follows = last_end.and_then(|d| d.succ_opt()) == Some(i.period.period.start);
        match groups.last_mut() {
            Some((labels, s)) if *s == source && follows => labels.push(p.label()),
            _ => groups.push((vec![p.label()], source)),
        }
        last_end = Some(i.period.period.end);
    }
    if groups.is_empty() {
        return None;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(labels, source)| {
            let named = match labels.as_slice() {
                [one] => one.to_string(),
                [first, .., last] => format!("{first} to {last}"),
                [] => String::new(),
            };
            match source {
                Some(s) => format!("{named} ({s})"),
                None => named,
            }
        })
        .collect();
    Some(format!(
        "{IMPORTED_MARK} {IMPORTED_NOTE}: {}. {}",
        parts.join("; "),
        if chart {
            "A figure that period's report did not publish has no bar."
        } else {
            "n/a: a figure that period's report did not publish."
        }
    ))
}

/// Table `table` of the summary, for the series that show one.
fn summary_table<'s>(s: &'s Summary, table: &str) -> Option<&'s crate::model::Counts> {
    match table {
        "by_category_group" => Some(&s.by_category_group),
        "by_category" => Some(&s.by_category),
        "by_action" => Some(&s.by_action),
        "by_handler" => s.by_handler.as_ref(),
        _ => None,
    }
}

/// The periods a series of table `table` shows: every built one, and the imported ones that
/// published some figure of it (a column of n/a alone would say nothing).
fn giving<'a>(periods: &[SitePeriod<'a>], table: &str) -> Vec<SitePeriod<'a>> {
    periods
        .iter()
        .filter(|p| match p.imported {
            None => true,
            Some(i) => summary_table(p.summary, table)
                .is_some_and(|c| c.keys().any(|k| i.publishes(table, k))),
        })
        .copied()
        .collect()
}

fn row(header: String, cells: Vec<String>) -> Row {
    Row {
        header,
        href: None,
        cells: cells.into_iter().map(num).collect(),
    }
}

/// Whether every period's export records `column` (the site is built from one export, so
/// it is the same in every period; `all` keeps a mixed case from showing a number).
fn recorded(periods: &[SitePeriod], column: &str) -> bool {
    // An imported period shows n/a for what it did not publish; the export decides.
    built(periods).all(|p| p.summary.recorded(column))
}

/// The periods built from the export (not imported).
fn built<'p, 'a>(periods: &'p [SitePeriod<'a>]) -> impl Iterator<Item = &'p SitePeriod<'a>> {
    periods.iter().filter(|p| p.imported.is_none())
}

/// Whether every period's report has `section` (`[report] sections` may leave one out).
fn shown(periods: &[SitePeriod], section: &str) -> bool {
    built(periods).all(|p| p.summary.shows(section))
}

/// One row per key of a `Counts` table of the summaries, in the first period's order.
fn count_rows(
    periods: &[SitePeriod],
    table: &str,
    get: impl Fn(&Summary) -> Option<&crate::model::Counts>,
    label: impl Fn(&str) -> String,
) -> Vec<Row> {
    let mut keys: Vec<String> = Vec::new();
    // The built periods' order first: an imported period may give only a few keys.
    let imported = periods.iter().filter(|p| p.imported.is_some());
    for p in built(periods).chain(imported) {
        for k in get(p.summary).into_iter().flat_map(|c| c.keys()) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys.iter()
        .map(|k| {
            row(
                label(k),
                periods
                    .iter()
                    .map(|p| match get(p.summary).and_then(|c| c.get(k)) {
                        Some(c) => p.cell(table, k, *c),
                        // A key a period's taxonomy did not have: nothing was counted there.
                        None => NOT_AVAILABLE.into(),
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The series of the site's index, each only where the export records it.
fn series(periods: &[SitePeriod], c: &Config) -> std::result::Result<Vec<Series>, Error> {
    let w = &c.words;
    let t = &c.taxonomy;
    let mut out = Vec::new();

    // Key figures.
    let mut rows = vec![row(
        figure_label("cases_total", w),
        periods
            .iter()
            .map(|p| p.cell("cases", "total", p.summary.cases.total))
            .collect(),
    )];
    if built(periods).all(|p| p.incidents.is_some()) {
        rows.push(row(
            "Incidents".into(),
            periods
                .iter()
                .map(|p| {
                    p.incidents
                        .map(|i| thousands(i.incidents))
                        .unwrap_or_else(|| NOT_AVAILABLE.into())
                })
                .collect(),
        ));
    }
    // People named (Django's statistics count them beside the reports).
    if recorded(periods, "person_ref") && shown(periods, "people") {
        rows.push(row(
            PEOPLE_NAMED.into(),
            periods
                .iter()
                .map(|p| {
                    let named = p.summary.people.as_ref().and_then(|x| x.named);
                    p.cell("people", "named", named)
                })
                .collect(),
        ));
    }
    let timeliness = shown(periods, "timeliness");
    if recorded(periods, "resolved_at") {
        rows.push(row(
            figure_label("cases_resolved", w),
            periods
                .iter()
                .map(|p| p.cell("cases", "resolved", p.summary.cases.resolved))
                .collect(),
        ));
        if timeliness {
            rows.push(row(
                figure_label("median_days_to_resolution", w),
                periods
                    .iter()
                    .map(|p| decimal1(p.summary.resolution_days.median))
                    .collect(),
            ));
        }
    }
    if timeliness && recorded(periods, "acknowledged_at") && c.ack_promise() != AckPromise::None {
        rows.push(row(
            figure_label("acknowledgement_rate", w),
            periods
                .iter()
                .map(|p| percent(p.summary.acknowledgement.rate))
                .collect(),
        ));
    }
    let shows = |p: &SitePeriod, table: &str, key: &str, c: Count| match p.imported {
        Some(i) if !i.publishes(table, key) => None,
        _ => Some(c),
    };
    let trend: Vec<(String, Option<Count>, Option<Count>)> = periods
        .iter()
        .map(|p| {
            (
                p.marked(),
                shows(p, "cases", "total", p.summary.cases.total),
                shows(p, "cases", "resolved", p.summary.cases.resolved),
            )
        })
        .collect();
    let mut charts = Vec::new();
    if periods.len() > 1 && recorded(periods, "resolved_at") {
        let ch = chart::history(&trend, c.min_cell, w)?;
        charts.push(Figure {
            id: ch.id,
            title: ch.title,
            svg: ch.svg,
            note: imported_note(periods, true),
        });
    }
    out.push(Series {
        id: "key-figures",
        heading: "Key figures, period by period".into(),
        intro: Some(format!(
            "{} received in each period{}, as each period's report published them.",
            capitalise(&w.cases()),
            if recorded(periods, "resolved_at") {
                ", how many were resolved by its end and how long a decision took"
            } else {
                ""
            }
        )),
        charts,
        tables: vec![by_period(
            "series-key-figures",
            "Key figures, period by period".into(),
            "Figure",
            periods,
            rows,
        )],
    });

    if !shown(periods, "categories") {
        return Ok(out);
    }
    let all = periods;
    let periods = &giving(all, "by_category_group");
    // The groups as a chart too: few enough bars to read beside each other.
    let groups: Vec<String> = built(periods)
        .next()
        .map(|p| p.summary.by_category_group.keys().cloned().collect())
        .unwrap_or_default();
    let mut group_charts = Vec::new();
    if periods.len() > 1 && (1..=PALETTE_BARS).contains(&groups.len()) {
        let labels: Vec<String> = groups.iter().map(|k| t.group_label(k)).collect();
        let values: Vec<(String, Vec<Option<Count>>)> = periods
            .iter()
            .map(|p| {
                (
                    p.marked(),
                    groups
                        .iter()
                        .map(|k| match p.summary.by_category_group.get(k) {
                            Some(c) => shows(p, "by_category_group", k, *c),
                            // A group the period's report did not have.
                            None if p.imported.is_some() => None,
                            None => Some(None),
                        })
                        .collect(),
                )
            })
            .collect();
        let ch = chart::series(
            "series-groups",
            format!("{}, period by period", table_title("by_category_group", w)),
            &labels,
            &values,
            c.min_cell,
            w,
        )?;
        group_charts.push(Figure {
            id: ch.id,
            title: ch.title,
            svg: ch.svg,
            note: imported_note(periods, true),
        });
    }
    out.push(Series {
        id: "by-group",
        heading: table_title("by_category_group", w),
        intro: None,
        charts: group_charts,
        tables: vec![by_period(
            "series-by-group",
            format!("{}, period by period", table_title("by_category_group", w)),
            "Group",
            periods,
            count_rows(
                periods,
                "by_category_group",
                |s| Some(&s.by_category_group),
                |k| t.group_label(k),
            ),
        )],
    });
    let periods = &giving(all, "by_category");
    out.push(Series {
        id: "by-section",
        heading: table_title("by_category", w),
        intro: None,
        charts: Vec::new(),
        tables: vec![by_period(
            "series-by-section",
            format!("{}, period by period", table_title("by_category", w)),
            &capitalise(&w.section),
            periods,
            count_rows(
                periods,
                "by_category",
                |s| Some(&s.by_category),
                |k| t.category_label(k),
            ),
        )],
    });
    if recorded(all, "handled_by") && !t.handlers.is_empty() && shown(all, "handlers") {
        let periods = &giving(all, "by_handler");
        out.push(Series {
            id: "by-handler",
            heading: table_title("by_handler", w),
            intro: None,
            charts: Vec::new(),
            tables: vec![by_period(
                "series-by-handler",
                format!("{}, period by period", table_title("by_handler", w)),
                "Handled by",
                periods,
                count_rows(
                    periods,
                    "by_handler",
                    |s| s.by_handler.as_ref(),
                    |k| handler_label(t, k),
                ),
            )],
        });
    }
    if recorded(all, "action") && !t.actions.is_empty() && shown(all, "outcomes") {
        let periods = &giving(all, "by_action");
        out.push(Series {
            id: "by-action",
            heading: table_title("by_action", w),
            intro: None,
            charts: Vec::new(),
            tables: vec![by_period(
                "series-by-action",
                format!("{}, period by period", table_title("by_action", w)),
                "Action",
                periods,
                count_rows(
                    periods,
                    "by_action",
                    |s| Some(&s.by_action),
                    |k| action_label(t, k),
                ),
            )],
        });
    }
    Ok(out)
}

fn kind_text(kind: &str) -> &'static str {
    match kind {
        "year" => "Year",
        "half_year" => "Half-year",
        "quarter" => "Quarter",
        "fiscal_year" => "Fiscal year",
        _ => "Period",
    }
}

/// The site's `index.html`. `style` is the report's stylesheet (embedded or the committee's).
pub fn index_html(
    periods: &[SitePeriod],
    c: &Config,
    style: String,
    build_date: Option<&str>,
) -> Result<Vec<u8>> {
    let w = &c.words;
    let (Some(first), Some(last)) = (
        periods.iter().map(|p| &p.summary.period.start).min(),
        periods.iter().map(|p| &p.summary.period.end).max(),
    ) else {
        return Err(Error::Usage("a site needs at least one period".into()));
    };
    let zone = &c.timezone;
    let utc = matches!(
        zone.as_str(),
        "UTC" | "Etc/UTC" | "Etc/UCT" | "UCT" | "Universal" | "Etc/Universal" | "Zulu" | "Etc/Zulu"
    );
    let span_label = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if periods.len() > 1 => {
            // Dates are `YYYY-MM-DD`: the span is named by its years.
            let year = |d: &str| d.get(..4).unwrap_or(d).to_string();
            let (a, b) = (year(&a.summary.period.start), year(&b.summary.period.end));
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        }
        _ => periods
            .first()
            .map(|p| p.label().to_string())
            .unwrap_or_default(),
    };
    let reports = Table {
        id: "table-reports".into(),
        caption: "Every report of this site".into(),
        columns: vec![
            Col {
                label: "Report".into(),
                num: false,
                imported: false,
            },
            Col {
                label: "Kind".into(),
                num: false,
                imported: false,
            },
            Col {
                label: "Period".into(),
                num: false,
                imported: false,
            },
            Col {
                label: format!("{} received", capitalise(&w.cases())),
                num: true,
                imported: false,
            },
        ],
        rows: periods
            .iter()
            .map(|p| Row {
                header: p.marked(),
                // An imported period has no report here: its link is the file it came from.
                href: Some(match p.imported {
                    Some(i) => i.file.clone(),
                    None => format!("{}/index.html", p.label()),
                }),
                cells: vec![
                    Cell {
                        v: match p.imported {
                            Some(_) => format!("{}, imported", kind_text(p.kind)),
                            None => kind_text(p.kind).into(),
                        },
                        num: false,
                    },
                    Cell {
                        v: format!(
                            "{} to {}",
                            long_date(&p.summary.period.start),
                            long_date(&p.summary.period.end)
                        ),
                        num: false,
                    },
                    num(p.cell("cases", "total", p.summary.cases.total)),
                ],
            })
            .collect(),
        note: imported_note(periods, false),
    };
    let view = View {
        title: w.title(&c.organisation, &span_label, None),
        organisation: c.organisation.clone(),
        committee: c.committee.clone(),
        span_text: format!("{} to {}", long_date(first), long_date(last)),
        zone_text: if utc {
            "in UTC".into()
        } else {
            format!("local to {zone}")
        },
        style,
        tool_version: crate::version::VERSION.into(),
        build_date: build_date.map(str::to_string),
        min_cell: c.min_cell,
        w: WordsView { cases: w.cases() },
        periods: periods.iter().map(|p| p.label().to_string()).collect(),
        built_count: built(periods).count(),
        imported_count: periods.iter().filter(|p| p.imported.is_some()).count(),
        imported: {
            let mut files: Vec<String> = Vec::new();
            for i in periods.iter().filter_map(|p| p.imported) {
                if !files.contains(&i.file) {
                    files.push(i.file.clone());
                }
            }
            files
        },
        reports,
        series: series(periods, c)?,
    };
    let context = tera::Context::from_serialize(&view).map_err(|e| template_error(&e))?;
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("site.html", SITE_TEMPLATE)
        .map_err(|e| template_error(&e))?;
    let html = tera
        .render("site.html", &context)
        .map_err(|e| template_error(&e))?;
    Ok(html.into_bytes())
}

const SITE_TEMPLATE: &str = include_str!("../../templates/site.html.tera");

fn template_error(err: &dyn std::error::Error) -> Error {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    RenderError::Template {
        name: "site.html.tera".into(),
        message,
    }
    .into()
}

mod data;
#[cfg(test)]
mod tests;

pub use data::{datapackage, figures_csv};
