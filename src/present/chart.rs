//! The report's figures (SPEC §6 `charts/*.svg`), drawn with plotters' SVG backend.
//!
//! Plotters positions text with a crude size estimate when no font files are linked, so
//! the layout (margins, label wrapping, where each number goes) is computed here from a
//! per-character width table, and plotters draws the grid, the shapes and the text.
//!
//! The SVG is then post-processed: plotters only knows literal colours, but the report
//! inlines these figures in a page with light and dark modes, so text, axes and grid are
//! drawn in private "sentinel" colours that are rewritten to `currentColor`, and the
//! suppressed-cell placeholder colour is rewritten to a hatch pattern.

use plotters::backend::SVGBackend;
use plotters::chart::ChartBuilder;
use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{
    Color, FontDesc, FontFamily, FontStyle, FontTransform, RGBColor, ShapeStyle, TextStyle,
};

use crate::config::Config;
use crate::model::{Count, Counts, IncidentFigures, Summary, UNASSIGNED};

/// One figure of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: the SVG is published as `charts/{id}.svg`. One of:
    /// "categories", "levels", "platforms", "resolution", "monthly", "appeals".
    pub id: &'static str,
    pub title: String,
    /// Text alternative: one or two plain sentences summarising what the chart shows,
    /// with the key numbers.
    pub description: String,
    pub svg: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("could not draw the {chart} chart: {message}")]
    Draw {
        chart: &'static str,
        message: String,
    },
}

/// Draws every figure, always all six and always in this order, so the report and the
/// manifest list the same files whatever the data.
///
/// The sections of the Code are counted per report, or per incident when the config says so
/// and the export groups reports into incidents.
pub fn render_all(
    summary: &Summary,
    incidents: Option<&IncidentFigures>,
    config: &Config,
) -> Result<Vec<Chart>, ChartError> {
    let by_incident = incidents
        .filter(|_| config.incidents.count_categories_by == crate::config::CountBasis::Incidents);
    let sections = match by_incident {
        Some(i) => Counted {
            by_category: &i.by_category,
            by_group: &i.by_category_group,
            total: Some(i.incidents),
            unit: "incident",
        },
        None => Counted::reports(summary),
    };
    let mut specs = vec![categories(&sections, config)];
    let builders: [fn(&Summary, &Config) -> Spec; 5] =
        [levels, platforms, resolution, monthly, appeals];
    specs.extend(builders.iter().map(|build| build(summary, config)));
    specs.into_iter().map(draw).collect()
}

/// Counts of sections of the Code, in what they count.
struct Counted<'a> {
    by_category: &'a Counts,
    by_group: &'a Counts,
    total: Count,
    /// "case" or "incident".
    unit: &'static str,
}

impl Counted<'_> {
    fn reports(summary: &Summary) -> Counted<'_> {
        Counted {
            by_category: &summary.by_category,
            by_group: &summary.by_category_group,
            total: summary.cases.total,
            unit: "case",
        }
    }
}

fn draw(spec: Spec) -> Result<Chart, ChartError> {
    {
        {
            let raw = match spec.orientation {
                Orientation::Horizontal => draw_horizontal(&spec.figure),
                Orientation::Vertical => draw_vertical(&spec.figure),
            }
            .map_err(|message| ChartError::Draw {
                chart: spec.figure.id,
                message,
            })?;
            let svg = finish_svg(&raw, spec.figure.id, &spec.title, &spec.description).map_err(
                |message| ChartError::Draw {
                    chart: spec.figure.id,
                    message,
                },
            )?;
            Ok(Chart {
                id: spec.figure.id,
                title: spec.title,
                description: spec.description,
                svg,
            })
        }
    }
}

/// The multi-year trend (`charts/history.svg`): cases received and resolved in each period,
/// oldest first. `periods` are (label, received, resolved) as each year's report published them.
pub fn history(periods: &[(String, Count, Count)], min_cell: u64) -> Result<Chart, ChartError> {
    let reported_fill = Fill::Solid(OI_BLUE);
    let resolved_fill = Fill::Tint(OI_VERMILLION);
    let slots = periods
        .iter()
        .map(|(label, reported, resolved)| Slot {
            label: label.clone(),
            bars: vec![
                Bar {
                    value: *reported,
                    fill: reported_fill,
                },
                Bar {
                    value: *resolved,
                    fill: resolved_fill,
                },
            ],
        })
        .collect();
    let mut sentences: Vec<String> = periods
        .iter()
        .map(|(label, reported, resolved)| {
            format!(
                "{label}: {} received, {} resolved.",
                count_text(*reported),
                count_text(*resolved)
            )
        })
        .collect();
    let hidden: Vec<String> = periods
        .iter()
        .flat_map(|(label, reported, resolved)| {
            [
                reported
                    .is_none()
                    .then(|| format!("cases received in {label}")),
                resolved
                    .is_none()
                    .then(|| format!("cases resolved in {label}")),
            ]
        })
        .flatten()
        .collect();
    sentences.extend(suppressed_sentence(&hidden, min_cell));
    draw(Spec {
        orientation: Orientation::Vertical,
        title: "Cases received and resolved, period by period".into(),
        description: sentences.join(" "),
        figure: Figure {
            id: "history",
            slots,
            legend: vec![
                LegendItem {
                    label: "Received".into(),
                    fill: reported_fill,
                },
                LegendItem {
                    label: "Resolved".into(),
                    fill: resolved_fill,
                },
            ],
            value_title: "Number of cases".into(),
            category_title: None,
            empty_message: "No cases in these periods".into(),
        },
    })
}

// ---------------------------------------------------------------------------------------
// Colours

/// Okabe–Ito colours whose relative luminance keeps at least 3:1 contrast (WCAG 1.4.11)
/// against both the light page (#ffffff) and the dark page (#16181d); the palette's
/// orange, sky blue and yellow are too light for white and are left out.
const OI_BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const OI_VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const OI_BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const OI_REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
const PALETTE: [RGBColor; 4] = [OI_BLUE, OI_VERMILLION, OI_BLUISH_GREEN, OI_REDDISH_PURPLE];

/// Page colours the palette is checked against.
#[cfg(test)]
const LIGHT_BACKGROUND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
#[cfg(test)]
const DARK_BACKGROUND: RGBColor = RGBColor(0x16, 0x18, 0x1D);

/// Sentinels: colours no figure uses for data, rewritten after drawing.
const INK: RGBColor = RGBColor(0x01, 0x02, 0x03);
const GRID: RGBColor = RGBColor(0x04, 0x05, 0x06);
const HATCH: RGBColor = RGBColor(0x07, 0x08, 0x09);
const INK_SVG: &str = "\"#010203\"";
const GRID_SVG: &str = "\"#040506\"";
const HATCH_SVG: &str = "\"#070809\"";
const FONT_SENTINEL: &str = "chart-font";

/// Generic families only: the report ships no font files and must render offline.
const FONT_STACK: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

#[derive(Clone, Copy)]
enum Fill {
    Solid(RGBColor),
    /// A light tint with a solid outline: tells a second series apart by lightness and
    /// texture, not by hue alone, for readers who do not see the hue difference.
    Tint(RGBColor),
    /// The suppressed-cell placeholder.
    Hatch,
}

// ---------------------------------------------------------------------------------------
// Layout constants (pixels)

const WIDTH: u32 = 720;
const PAD: i32 = 16;
const LABEL_PX: f64 = 13.0;
const VALUE_PX: f64 = 12.0;
const SMALL_VALUE_PX: f64 = 10.0;
const TICK_PX: f64 = 12.0;
const AXIS_TITLE_PX: f64 = 13.0;
const MESSAGE_PX: f64 = 15.0;
const LINE_H: i32 = 16;
/// Length of the placeholder drawn for a suppressed count: short and hatched, so it is
/// never read as a count.
const STUB: i32 = 12;
const SWATCH: i32 = 12;
const VERTICAL_PLOT_H: i32 = 220;
const SUPPRESSED_TEXT: &str = "suppressed";

/// plotters' SVG backend writes `font-size` as the requested size divided by 1.24.
const PLOTTERS_FONT_SCALE: f64 = 1.24;

// ---------------------------------------------------------------------------------------
// What each figure shows

enum Orientation {
    Horizontal,
    Vertical,
}

struct Bar {
    value: Count,
    fill: Fill,
}

struct Slot {
    label: String,
    bars: Vec<Bar>,
}

#[derive(Clone)]
struct LegendItem {
    label: String,
    fill: Fill,
}

struct Figure {
    id: &'static str,
    slots: Vec<Slot>,
    legend: Vec<LegendItem>,
    value_title: String,
    category_title: Option<String>,
    empty_message: String,
}

struct Spec {
    orientation: Orientation,
    title: String,
    description: String,
    figure: Figure,
}

fn single_bars(rows: Vec<(String, Count)>, fill: Fill) -> Vec<Slot> {
    rows.into_iter()
        .map(|(label, value)| Slot {
            label,
            bars: vec![Bar { value, fill }],
        })
        .collect()
}

fn categories(counted_in: &Counted, config: &Config) -> Spec {
    let unit = counted_in.unit;
    let taxonomy = &config.taxonomy;
    let group_index = |key: &str| {
        taxonomy
            .categories
            .iter()
            .find(|c| c.key == key)
            .and_then(|c| {
                taxonomy
                    .category_groups
                    .iter()
                    .position(|g| g.key == c.group)
            })
    };
    let order = |key: &str| {
        taxonomy
            .categories
            .iter()
            .position(|c| c.key == key)
            .unwrap_or(usize::MAX)
    };
    let mut rows: Vec<(usize, &String, Count)> = counted_in
        .by_category
        .iter()
        .enumerate()
        .map(|(i, (k, v))| (i, k, *v))
        .collect();
    // Largest first; a suppressed count is unknown, so it goes after every published
    // positive count and before the zeros, then taxonomy order breaks ties.
    rows.sort_by_key(|(i, key, value)| {
        let rank = match value {
            Some(0) => (2, 0),
            Some(v) => (0, u64::MAX - v),
            None => (1, 0),
        };
        (rank, order(key), *i)
    });

    let slots = rows
        .iter()
        .map(|(_, key, value)| Slot {
            label: taxonomy.category_label(key),
            bars: vec![Bar {
                value: *value,
                fill: Fill::Solid(PALETTE[group_index(key).unwrap_or(0) % PALETTE.len()]),
            }],
        })
        .collect();
    let legend = if taxonomy.category_groups.len() > 1 {
        taxonomy
            .category_groups
            .iter()
            .enumerate()
            .map(|(i, g)| LegendItem {
                label: g.label.clone(),
                fill: Fill::Solid(PALETTE[i % PALETTE.len()]),
            })
            .collect()
    } else {
        Vec::new()
    };

    let labelled: Vec<(String, Count)> = rows
        .iter()
        .map(|(_, key, value)| (taxonomy.category_label(key), *value))
        .collect();
    let mut sentences = Vec::new();
    if is_empty(&labelled) {
        sentences.push(
            "No cases were reported in this period, so no section of the Code was cited."
                .to_string(),
        );
    } else {
        let groups: Vec<String> = counted_in
            .by_group
            .iter()
            .enumerate()
            .map(|(i, (key, value))| {
                let n = match value {
                    Some(n) => counted(*n, unit),
                    None => format!("a suppressed number of {unit}s"),
                };
                if i == 0 {
                    format!("{} was cited in {n}", taxonomy.group_label(key))
                } else {
                    format!("{} in {n}", taxonomy.group_label(key))
                }
            })
            .collect();
        let mut first = join_and(&groups);
        if let Some(mut top) = leaders(&labelled) {
            top.unit = unit;
            if !first.is_empty() {
                first.push_str("; ");
            }
            let any_hidden = labelled.iter().any(|(_, v)| v.is_none());
            first.push_str(&top.sentence(
                if any_hidden {
                    "the section with the highest published count"
                } else {
                    "the most cited section"
                },
                "section",
            ));
        }
        if !first.is_empty() {
            sentences.push(format!("{}.", capitalise(&first)));
        }
        let total = match counted_in.total {
            Some(n) => format!("the {}", counted(n, unit)),
            None => format!("the number of {unit}s"),
        };
        sentences.push(if unit == "case" {
            format!("A case counts once for each section it cites, so the bars can add up to more than {total}.")
        } else {
            format!("An {unit} counts once for each section any of its reports cites, so the bars can add up to more than {total}.")
        });
    }
    let hidden: Vec<String> = labelled
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(l, _)| format!("“{l}”"))
        .collect();
    sentences.extend(suppressed_sentence(&hidden, config.min_cell));

    Spec {
        orientation: Orientation::Horizontal,
        title: format!("{}s by section of the Code of Conduct", capitalise(unit)),
        description: sentences.join(" "),
        figure: Figure {
            id: "categories",
            slots,
            legend,
            value_title: format!("Number of {unit}s"),
            category_title: None,
            empty_message: "No cases in this period".into(),
        },
    }
}

fn levels(summary: &Summary, config: &Config) -> Spec {
    let rows: Vec<(String, Count)> = summary
        .by_moderation_level
        .iter()
        .map(|(key, value)| {
            let label = if key == UNASSIGNED {
                "Unassigned".to_string()
            } else {
                config.taxonomy.level_label(key)
            };
            (label, *value)
        })
        .collect();
    let description = list_description(
        &rows,
        config.min_cell,
        match summary.cases.total {
            Some(n) => format!("Moderation level of the {} in this period", cases(n)),
            None => "Moderation level of the cases in this period".into(),
        },
        "No cases were reported in this period.",
        Some("Unassigned means no level has been set yet, usually because the case is still open."),
    );
    Spec {
        orientation: Orientation::Vertical,
        title: "Cases by moderation level".into(),
        description,
        figure: Figure {
            id: "levels",
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: "Number of cases".into(),
            category_title: Some("Moderation level".into()),
            empty_message: "No cases in this period".into(),
        },
    }
}

fn platforms(summary: &Summary, config: &Config) -> Spec {
    let rows: Vec<(String, Count)> = summary
        .by_platform
        .iter()
        .map(|(key, value)| (config.taxonomy.platform_label(key), *value))
        .collect();
    let lead = match leaders(&rows) {
        Some(top) if !rows.iter().any(|(_, v)| v.is_none()) => {
            format!(
                "{}. By platform",
                capitalise(&top.sentence("the platform with most reports", "platform"))
            )
        }
        _ => "Cases by platform where the reported conduct took place".into(),
    };
    let description = list_description(
        &rows,
        config.min_cell,
        lead,
        "No cases were reported in this period.",
        None,
    );
    Spec {
        orientation: Orientation::Horizontal,
        title: "Cases by platform".into(),
        description,
        figure: Figure {
            id: "platforms",
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: "Number of cases".into(),
            category_title: None,
            empty_message: "No cases in this period".into(),
        },
    }
}

/// Chart label and prose wording of each `resolution_days.histogram` bin.
fn bin_labels(key: &str) -> (String, String) {
    let (chart, prose) = match key {
        "0-1" => ("< 1 day", "under 1 day"),
        "1-7" => ("1–7 days", "1 to 7 days"),
        "7-30" => ("7–30 days", "7 to 30 days"),
        "30-90" => ("30–90 days", "30 to 90 days"),
        "90+" => ("90 days or more", "90 days or more"),
        other => (other, other),
    };
    (chart.to_string(), prose.to_string())
}

fn resolution(summary: &Summary, config: &Config) -> Spec {
    let r = &summary.resolution_days;
    let chart_rows: Vec<(String, Count)> = r
        .histogram
        .iter()
        .map(|(key, value)| (bin_labels(key).0, *value))
        .collect();
    let prose_rows: Vec<(String, Count)> = r
        .histogram
        .iter()
        .map(|(key, value)| (bin_labels(key).1, *value))
        .collect();
    let lead = match r.count {
        Some(n) => format!("Time from report to decision for the {} resolved", cases(n)),
        None => "Time from report to decision for the resolved cases".into(),
    };
    let median = r.median.map(|m| format!("The median was {}.", days(m)));
    let description = list_description(
        &prose_rows,
        config.min_cell,
        lead,
        "No cases were resolved in this period.",
        median.as_deref(),
    );
    Spec {
        orientation: Orientation::Vertical,
        title: "Time taken to resolve cases".into(),
        description,
        figure: Figure {
            id: "resolution",
            slots: single_bars(chart_rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: "Resolved cases".into(),
            category_title: Some("Time from report to decision".into()),
            empty_message: "No cases were resolved in this period".into(),
        },
    }
}

const MONTHS: [(&str, &str); 12] = [
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("May", "May"),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
];

/// `YYYY-MM` → (year, short name, full name); anything else is shown as given.
fn parse_month(month: &str) -> Option<(&str, &'static str, &'static str)> {
    let (year, number) = month.split_once('-')?;
    let index: usize = number.parse().ok()?;
    let (short, long) = MONTHS.get(index.checked_sub(1)?)?;
    Some((year, short, long))
}

fn monthly(summary: &Summary, config: &Config) -> Spec {
    let months = &summary.monthly;
    let years: Vec<&str> = months
        .iter()
        .filter_map(|m| parse_month(&m.month).map(|(y, _, _)| y))
        .collect();
    let spans_years = years.windows(2).any(|w| w[0] != w[1]);
    let short_label = |month: &str| match parse_month(month) {
        Some((year, short, _)) if spans_years => format!("{short} {year}"),
        Some((_, short, _)) => short.to_string(),
        None => month.to_string(),
    };
    let long_label = |month: &str| match parse_month(month) {
        Some((year, _, long)) => format!("{long} {year}"),
        None => month.to_string(),
    };
    let reported_fill = Fill::Solid(OI_BLUE);
    let resolved_fill = Fill::Tint(OI_VERMILLION);
    let slots = months
        .iter()
        .map(|m| Slot {
            label: short_label(&m.month),
            bars: vec![
                Bar {
                    value: m.reported,
                    fill: reported_fill,
                },
                Bar {
                    value: m.resolved,
                    fill: resolved_fill,
                },
            ],
        })
        .collect();

    let reported: Vec<(String, Count)> = months
        .iter()
        .map(|m| (long_label(&m.month), m.reported))
        .collect();
    let resolved: Vec<(String, Count)> = months
        .iter()
        .map(|m| (long_label(&m.month), m.resolved))
        .collect();
    let description = if is_empty(&reported) && is_empty(&resolved) {
        "No cases were reported or resolved in this period.".to_string()
    } else {
        // Unknown when a month is suppressed (or the sum would not fit).
        let total = |rows: &[(String, Count)]| {
            rows.iter()
                .try_fold(0u64, |acc, (_, v)| acc.checked_add((*v)?))
        };
        let mut sentences = Vec::new();
        let span = if months.len() == 1 {
            "the 1 month".to_string()
        } else {
            format!("the {} months", months.len())
        };
        if let (Some(r), Some(d)) = (total(&reported), total(&resolved)) {
            sentences.push(format!(
                "Over {span} of the period, {} were reported and {} resolved.",
                cases(r),
                num(d)
            ));
        }
        let peaks: Vec<String> = [(&reported, "reports"), (&resolved, "decisions")]
            .into_iter()
            .filter_map(|(rows, what)| {
                leaders(rows).map(|top| {
                    format!(
                        "{what} peaked at {} in {}",
                        num(top.value),
                        join_and(&top.labels)
                    )
                })
            })
            .collect();
        if !peaks.is_empty() {
            sentences.push(format!("{}.", capitalise(&join_and(&peaks))));
        }
        let hidden: Vec<String> = reported
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(l, _)| format!("reports in {l}"))
            .chain(
                resolved
                    .iter()
                    .filter(|(_, v)| v.is_none())
                    .map(|(l, _)| format!("decisions in {l}")),
            )
            .collect();
        sentences.extend(suppressed_sentence(&hidden, config.min_cell));
        sentences.join(" ")
    };

    Spec {
        orientation: Orientation::Vertical,
        title: "Cases reported and resolved each month".into(),
        description,
        figure: Figure {
            id: "monthly",
            slots,
            legend: vec![
                LegendItem {
                    label: "Reported".into(),
                    fill: reported_fill,
                },
                LegendItem {
                    label: "Resolved".into(),
                    fill: resolved_fill,
                },
            ],
            value_title: "Number of cases".into(),
            category_title: None,
            empty_message: "No cases in this period".into(),
        },
    }
}

fn appeals(summary: &Summary, config: &Config) -> Spec {
    let a = &summary.appeals;
    let rows: Vec<(String, Count)> = a
        .by_outcome
        .iter()
        .map(|(key, value)| (capitalise(&key.replace('_', " ")), *value))
        .collect();
    let lead = match a.filed {
        Some(1) => "Outcome of the 1 appeal filed".to_string(),
        Some(n) => format!("Outcome of the {} appeals filed", num(n)),
        None => "Outcome of the appeals filed".into(),
    };
    let reversal = a.reversal_rate.map(|r| {
        format!(
            "Of the appeals decided on their merits (upheld, overturned or modified), {}% changed the decision.",
            percent(r)
        )
    });
    let description = list_description(
        &rows,
        config.min_cell,
        lead,
        "No appeals were filed in this period.",
        reversal.as_deref(),
    );
    Spec {
        orientation: Orientation::Vertical,
        title: "Appeals by outcome".into(),
        description,
        figure: Figure {
            id: "appeals",
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: "Number of appeals".into(),
            category_title: Some("Outcome".into()),
            empty_message: "No appeals in this period".into(),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Description wording

fn is_empty(rows: &[(String, Count)]) -> bool {
    rows.iter().all(|(_, v)| *v == Some(0))
}

fn cases(n: u64) -> String {
    counted(n, "case")
}

/// "1 case", "2,004 incidents".
fn counted(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{} {unit}s", num(n))
    }
}

fn count_text(value: Count) -> String {
    value.map_or_else(|| SUPPRESSED_TEXT.to_string(), num)
}

/// Digits grouped by thousands with commas, as English prose writes them; fixed, not
/// locale-dependent, so the output is the same on every machine.
fn num(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Days with one decimal: enough precision for prose, and the table has the rest.
fn days(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 1.0 {
        "1 day".into()
    } else {
        format!("{} days", format!("{rounded:.1}").trim_end_matches(".0"))
    }
}

fn percent(rate: f64) -> String {
    let p = (rate * 1000.0).round() / 10.0;
    format!("{p:.1}").trim_end_matches(".0").to_string()
}

struct Leaders {
    labels: Vec<String>,
    value: u64,
    /// What the values count ("case", "incident").
    unit: &'static str,
}

impl Leaders {
    fn amount(&self) -> String {
        counted(self.value, self.unit)
    }

    fn sentence(&self, what: &str, noun: &str) -> String {
        let quoted: Vec<String> = self.labels.iter().map(|l| format!("“{l}”")).collect();
        if quoted.len() == 1 {
            format!("{what} was {} ({})", quoted[0], self.amount())
        } else if quoted.len() <= 3 {
            format!(
                "{what} was shared by {} ({} each)",
                join_and(&quoted),
                self.amount()
            )
        } else {
            format!(
                "{what} was shared by {} {noun}s ({} each)",
                quoted.len(),
                self.amount()
            )
        }
    }
}

/// The rows with the largest published positive count, in their given order.
fn leaders(rows: &[(String, Count)]) -> Option<Leaders> {
    let max = rows
        .iter()
        .filter_map(|(_, v)| *v)
        .max()
        .filter(|m| *m > 0)?;
    Some(Leaders {
        labels: rows
            .iter()
            .filter(|(_, v)| *v == Some(max))
            .map(|(l, _)| l.clone())
            .collect(),
        value: max,
        unit: "case",
    })
}

/// The suppression rule of SPEC §7 in words; a complementary cell may be large, so the
/// wording never claims that every suppressed count is small.
fn privacy_reason(min_cell: u64) -> String {
    if min_cell > 1 {
        format!(" (counts below {min_cell}, and counts that would reveal them)")
    } else {
        String::new()
    }
}

fn suppressed_sentence(hidden: &[String], min_cell: u64) -> Option<String> {
    if hidden.is_empty() {
        None
    } else {
        Some(format!(
            "Suppressed to protect privacy{}: {}.",
            privacy_reason(min_cell),
            join_and(hidden)
        ))
    }
}

/// "Lead: a: 3; b: 5; c: suppressed. Extra. Suppression note."
fn list_description(
    rows: &[(String, Count)],
    min_cell: u64,
    lead: String,
    empty: &str,
    extra: Option<&str>,
) -> String {
    if is_empty(rows) {
        return empty.to_string();
    }
    let items: Vec<String> = rows
        .iter()
        .map(|(label, value)| format!("{label}: {}", count_text(*value)))
        .collect();
    // Semicolons, because labels themselves may contain commas.
    let mut text = format!("{lead}: {}.", items.join("; "));
    if let Some(extra) = extra {
        text.push(' ');
        text.push_str(extra);
    }
    if rows.iter().any(|(_, v)| v.is_none()) {
        text.push_str(&format!(
            " Counts shown as suppressed are withheld to protect privacy{}.",
            privacy_reason(min_cell)
        ));
    }
    text
}

// ---------------------------------------------------------------------------------------
// Text measurement

/// Advance width in em of a character in a typical sans-serif UI font (Arial/Roboto/
/// Segoe metrics, rounded up): a real measurement is impossible without font files, and
/// over-estimating only costs a little white space while under-estimating overlaps text.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' | '!' | '.' | ',' | ':' | ';' => 0.28,
        'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '[' | ']' | '-' | '/' => 0.36,
        'm' | 'w' | 'M' | 'W' | '@' | '—' | '%' => 0.92,
        'A'..='Z' => 0.7,
        '0'..='9' | '–' | '<' | '>' => 0.58,
        c if c.is_ascii() => 0.56,
        // Accented letters, CJK and the like: err wide.
        _ => 0.8,
    }
}

fn text_width(text: &str, px: f64) -> f64 {
    // 8% margin for fonts wider than Arial (San Francisco, Segoe UI).
    text.chars().map(char_em).sum::<f64>() * px * 1.08
}

/// Greedy word wrap to `max_w` pixels; a single word wider than that keeps its own line.
fn wrap(text: &str, px: f64, max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || text_width(&candidate, px) <= max_w {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

fn px(value: f64) -> i32 {
    // Layout sizes are small positive numbers; the clamp documents that.
    value.ceil().clamp(0.0, 100_000.0) as i32
}

// ---------------------------------------------------------------------------------------
// Value axis

/// A value axis from 0 to `max` with ticks every `step`, both integers so tick labels
/// never show fractions of a case.
struct Scale {
    max: u64,
    step: u64,
}

impl Scale {
    fn for_peak(peak: u64) -> Scale {
        if peak == 0 {
            return Scale { max: 1, step: 1 };
        }
        let mut magnitude: u64 = 1;
        loop {
            for m in [1, 2, 5] {
                let Some(step) = magnitude.checked_mul(m) else {
                    return Scale {
                        max: peak,
                        step: peak,
                    };
                };
                let intervals = peak.div_ceil(step);
                if intervals <= 5 {
                    return match intervals.checked_mul(step) {
                        Some(max) => Scale { max, step },
                        None => Scale {
                            max: peak,
                            step: peak,
                        },
                    };
                }
            }
            match magnitude.checked_mul(10) {
                Some(next) => magnitude = next,
                None => {
                    return Scale {
                        max: peak,
                        step: peak,
                    }
                }
            }
        }
    }

    fn ticks(&self) -> Vec<u64> {
        (0..=self.max / self.step).map(|i| i * self.step).collect()
    }
}

fn peak(figure: &Figure) -> u64 {
    figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter().filter_map(|b| b.value))
        .max()
        .unwrap_or(0)
}

fn has_data(figure: &Figure) -> bool {
    figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter())
        .any(|b| b.value != Some(0))
}

// ---------------------------------------------------------------------------------------
// Drawing

type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn fail<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn font(size: f64, style: FontStyle, transform: FontTransform) -> FontDesc<'static> {
    FontDesc::new(
        FontFamily::Name(FONT_SENTINEL),
        size * PLOTTERS_FONT_SCALE,
        style,
    )
    .transform(transform)
}

fn text_style(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: font(size, FontStyle::Normal, FontTransform::None),
        color: INK.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

fn draw_text(
    root: &Root,
    text: &str,
    at: (i32, i32),
    style: TextStyle<'static>,
) -> Result<(), String> {
    // A label from the config may hold a line break, which SVG text cannot show.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    root.draw(&Text::new(text, at, style)).map_err(fail)
}

/// Draws one bar from `from` to `to` (pixel corners), in the style its series uses.
fn draw_bar(root: &Root, from: (i32, i32), to: (i32, i32), fill: Fill) -> Result<(), String> {
    match fill {
        Fill::Solid(c) => root
            .draw(&Rectangle::new([from, to], c.filled()))
            .map_err(fail),
        Fill::Tint(c) => {
            root.draw(&Rectangle::new([from, to], c.mix(0.3).filled()))
                .map_err(fail)?;
            // Inset by half the stroke so the outline stays inside the bar's extent.
            let (x0, x1) = (from.0.min(to.0) + 1, from.0.max(to.0) - 1);
            let (y0, y1) = (from.1.min(to.1) + 1, from.1.max(to.1) - 1);
            if x1 > x0 && y1 > y0 {
                root.draw(&Rectangle::new(
                    [(x0, y0), (x1, y1)],
                    ShapeStyle::from(&c).stroke_width(2),
                ))
                .map_err(fail)?;
            }
            Ok(())
        }
        Fill::Hatch => draw_placeholder(root, from, to),
    }
}

fn draw_placeholder(root: &Root, from: (i32, i32), to: (i32, i32)) -> Result<(), String> {
    root.draw(&Rectangle::new([from, to], HATCH.filled()))
        .map_err(fail)?;
    root.draw(&Rectangle::new([from, to], INK.mix(0.7).stroke_width(1)))
        .map_err(fail)
}

/// Lays legend items out left to right from `x`, wrapping at `max_x`; returns each
/// item's position and the number of rows used.
fn legend_layout(items: &[LegendItem], x: i32, max_x: i32) -> (Vec<(i32, i32)>, i32) {
    let mut positions = Vec::new();
    let (mut cx, mut row) = (x, 0);
    for item in items {
        let w = SWATCH + 6 + px(text_width(&item.label, LABEL_PX));
        if cx > x && cx + w > max_x {
            cx = x;
            row += 1;
        }
        positions.push((cx, row));
        cx += w + 20;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (positions, rows)
}

const LEGEND_ROW_H: i32 = 20;

fn legend_height(rows: i32) -> i32 {
    if rows == 0 {
        0
    } else {
        rows * LEGEND_ROW_H + 8
    }
}

fn draw_legend(root: &Root, items: &[LegendItem], positions: &[(i32, i32)]) -> Result<(), String> {
    for (item, (x, row)) in items.iter().zip(positions) {
        let cy = PAD + row * LEGEND_ROW_H + LEGEND_ROW_H / 2 - 2;
        draw_bar(
            root,
            (*x, cy - SWATCH / 2),
            (*x + SWATCH, cy + SWATCH / 2),
            item.fill,
        )?;
        draw_text(
            root,
            &item.label,
            (*x + SWATCH + 6, cy),
            text_style(LABEL_PX, HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

fn grid_style() -> ShapeStyle {
    GRID.mix(0.22).stroke_width(1)
}

/// Horizontal bars: one row per slot, labels on the left, values after the bars.
fn draw_horizontal(figure: &Figure) -> Result<String, String> {
    let n = figure.slots.len().max(1);
    let scale = Scale::for_peak(peak(figure));
    let budget = f64::from(WIDTH) * 0.45;
    let wrapped: Vec<Vec<String>> = figure
        .slots
        .iter()
        .map(|s| wrap(&s.label, LABEL_PX, budget))
        .collect();
    let label_col = wrapped
        .iter()
        .flatten()
        .map(|l| px(text_width(l, LABEL_PX)))
        .max()
        .unwrap_or(0);
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;
    let row_h = (lines * LINE_H + 10).max(26);
    let bar_h = 16;
    let value_col = figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter())
        .map(|b| px(text_width(&count_text(b.value), VALUE_PX)))
        .max()
        .unwrap_or(0)
        .max(px(text_width(&num(scale.max), TICK_PX)) / 2)
        + 14;

    let width = WIDTH as i32;
    let (legend_pos, legend_rows) = legend_layout(&figure.legend, PAD, width - PAD);
    let top = PAD + legend_height(legend_rows) + 4;
    let left = PAD + label_col + 12;
    let right = width - PAD - value_col;
    let bottom = top + n as i32 * row_h;
    let height = bottom + 8 + LINE_H + 10 + LINE_H + PAD;
    let (width_u, height_u) = (WIDTH, u32::try_from(height).map_err(fail)?);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width_u, height_u)).into_drawing_area();
        let ticks = scale.ticks();
        let mut chart = ChartBuilder::on(&root)
            .margin_left(left)
            .margin_right(width - right)
            .margin_top(top)
            .margin_bottom(height - bottom)
            .build_cartesian_2d(
                (0u64..scale.max).with_key_points(ticks.clone()),
                0f64..n as f64,
            )
            .map_err(fail)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_axes()
            .max_light_lines(0)
            .bold_line_style(grid_style())
            .draw()
            .map_err(fail)?;

        for tick in &ticks {
            let (x, _) = chart.backend_coord(&(*tick, 0.0));
            draw_text(
                &root,
                &num(*tick),
                (x, bottom + 8),
                text_style(TICK_PX, HPos::Center, VPos::Top),
            )?;
        }
        draw_text(
            &root,
            &figure.value_title,
            ((left + right) / 2, bottom + 8 + LINE_H + 10),
            text_style(AXIS_TITLE_PX, HPos::Center, VPos::Top),
        )?;

        for (i, (slot, label_lines)) in figure.slots.iter().zip(&wrapped).enumerate() {
            let centre = n as f64 - i as f64 - 0.5;
            let (x0, cy) = chart.backend_coord(&(0, centre));
            let first_line = cy - (label_lines.len() as i32 - 1) * LINE_H / 2;
            for (j, line) in label_lines.iter().enumerate() {
                draw_text(
                    &root,
                    line,
                    (left - 10, first_line + j as i32 * LINE_H),
                    text_style(LABEL_PX, HPos::Right, VPos::Center),
                )?;
            }
            let Some(bar) = slot.bars.first() else {
                continue;
            };
            let (y0, y1) = (cy - bar_h / 2, cy + bar_h / 2);
            let end = match bar.value {
                Some(v) => {
                    let (x1, _) = chart.backend_coord(&(v, centre));
                    if x1 > x0 {
                        draw_bar(&root, (x0, y0), (x1, y1), bar.fill)?;
                    }
                    x1
                }
                None => {
                    draw_placeholder(&root, (x0, y0), (x0 + STUB, y1))?;
                    x0 + STUB
                }
            };
            draw_text(
                &root,
                &count_text(bar.value),
                (end + 6, cy),
                text_style(VALUE_PX, HPos::Left, VPos::Center),
            )?;
        }

        let (x0, _) = chart.backend_coord(&(0, 0.0));
        root.draw(&PathElement::new(
            vec![(x0, top), (x0, bottom)],
            INK.stroke_width(1),
        ))
        .map_err(fail)?;
        draw_legend(&root, &figure.legend, &legend_pos)?;
        if !has_data(figure) {
            draw_text(
                &root,
                &figure.empty_message,
                ((left + right) / 2, (top + bottom) / 2),
                text_style(MESSAGE_PX, HPos::Center, VPos::Center),
            )?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

/// Vertical bars: one slot per category along the bottom, one or more bars per slot.
fn draw_vertical(figure: &Figure) -> Result<String, String> {
    let n = figure.slots.len().max(1);
    let scale = Scale::for_peak(peak(figure));
    let ticks = scale.ticks();
    let width = WIDTH as i32;
    let tick_w = ticks
        .iter()
        .map(|t| px(text_width(&num(*t), TICK_PX)))
        .max()
        .unwrap_or(0);
    let left = PAD + LINE_H + 10 + tick_w + 8;
    let right = width - PAD;
    let slot_w = f64::from(right - left) / n as f64;

    let label_room = (slot_w - 8.0).max(1.0);
    let wrapped: Vec<Vec<String>> = figure
        .slots
        .iter()
        .map(|s| wrap(&s.label, LABEL_PX, label_room))
        .collect();
    // When even single words do not fit (many months), label every k-th slot only.
    let widest_line = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let label_every = ((widest_line + 6.0) / slot_w).ceil().max(1.0) as usize;
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;

    let per_slot = figure
        .slots
        .iter()
        .map(|s| s.bars.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let gap = if per_slot > 1 { 2.0 } else { 0.0 };
    let bar_w = if per_slot == 1 {
        (slot_w * 0.6).min(72.0)
    } else {
        ((slot_w * 0.76 - gap * (per_slot as f64 - 1.0)) / per_slot as f64).min(40.0)
    }
    .max(2.0);
    let pitch = bar_w + gap;
    let widest_value = |size: f64| {
        figure
            .slots
            .iter()
            .flat_map(|s| s.bars.iter())
            .filter_map(|b| b.value)
            .map(|v| text_width(&num(v), size))
            .fold(0.0, f64::max)
    };
    // Neighbouring labels are one pitch apart: shrink the numbers, then drop them, rather
    // than let them overlap.
    let room = if per_slot > 1 {
        pitch - 1.0
    } else {
        slot_w - 4.0
    };
    let value_px = if widest_value(VALUE_PX) <= room {
        Some(VALUE_PX)
    } else if widest_value(SMALL_VALUE_PX) <= room {
        Some(SMALL_VALUE_PX)
    } else {
        None
    };
    // The placeholder's word goes above it, upright if it fits, else turned to read
    // upwards; in very narrow slots it is left out and the legend explains the hatching.
    let placeholder_label = if text_width(SUPPRESSED_TEXT, VALUE_PX) <= room {
        Some((VALUE_PX, false))
    } else if pitch >= SMALL_VALUE_PX + 4.0 {
        Some((SMALL_VALUE_PX, true))
    } else {
        None
    };
    let any_hidden = figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter())
        .any(|b| b.value.is_none());
    let mut legend = figure.legend.clone();
    if any_hidden && placeholder_label.is_none() {
        legend.push(LegendItem {
            label: "Suppressed for privacy".into(),
            fill: Fill::Hatch,
        });
    }
    let (legend_pos, legend_rows) = legend_layout(&legend, left, right);
    let top = PAD + legend_height(legend_rows) + LINE_H + 6;
    let bottom = top + VERTICAL_PLOT_H;
    let mut height = bottom + 8 + lines * LINE_H + PAD;
    if figure.category_title.is_some() {
        height += 8 + LINE_H;
    }
    let height_u = u32::try_from(height).map_err(fail)?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height_u)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin_left(left)
            .margin_right(width - right)
            .margin_top(top)
            .margin_bottom(height - bottom)
            .build_cartesian_2d(
                0f64..n as f64,
                (0u64..scale.max).with_key_points(ticks.clone()),
            )
            .map_err(fail)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_axes()
            .max_light_lines(0)
            .bold_line_style(grid_style())
            .draw()
            .map_err(fail)?;

        for tick in &ticks {
            let (_, y) = chart.backend_coord(&(0.0, *tick));
            draw_text(
                &root,
                &num(*tick),
                (left - 8, y),
                text_style(TICK_PX, HPos::Right, VPos::Center),
            )?;
        }
        let mut title = text_style(AXIS_TITLE_PX, HPos::Center, VPos::Top);
        title.font = font(AXIS_TITLE_PX, FontStyle::Normal, FontTransform::Rotate270);
        draw_text(&root, &figure.value_title, (PAD, (top + bottom) / 2), title)?;

        for (i, (slot, label_lines)) in figure.slots.iter().zip(&wrapped).enumerate() {
            let centre_x = chart.backend_coord(&(i as f64 + 0.5, 0)).0;
            if i % label_every == 0 {
                for (j, line) in label_lines.iter().enumerate() {
                    draw_text(
                        &root,
                        line,
                        (centre_x, bottom + 8 + j as i32 * LINE_H),
                        text_style(LABEL_PX, HPos::Center, VPos::Top),
                    )?;
                }
            }
            let group_w = pitch * slot.bars.len() as f64 - gap;
            for (j, bar) in slot.bars.iter().enumerate() {
                let x0 = (f64::from(centre_x) - group_w / 2.0 + pitch * j as f64).round() as i32;
                let x1 = x0 + px(bar_w);
                let mid = (x0 + x1) / 2;
                match bar.value {
                    Some(v) => {
                        let (_, y1) = chart.backend_coord(&(0.0, v));
                        if v > 0 {
                            draw_bar(&root, (x0, y1), (x1, bottom), bar.fill)?;
                        }
                        if let Some(size) = value_px {
                            draw_text(
                                &root,
                                &num(v),
                                (mid, y1 - 4),
                                text_style(size, HPos::Center, VPos::Bottom),
                            )?;
                        }
                    }
                    None => {
                        draw_placeholder(&root, (x0, bottom - STUB), (x1, bottom))?;
                        if let Some((size, rotated)) = placeholder_label {
                            let mut style = text_style(size, HPos::Center, VPos::Bottom);
                            if rotated {
                                style.pos = Pos::new(HPos::Left, VPos::Center);
                                style.font =
                                    font(size, FontStyle::Normal, FontTransform::Rotate270);
                            }
                            draw_text(&root, SUPPRESSED_TEXT, (mid, bottom - STUB - 4), style)?;
                        }
                    }
                }
            }
        }

        root.draw(&PathElement::new(
            vec![(left, bottom), (right, bottom)],
            INK.stroke_width(1),
        ))
        .map_err(fail)?;
        if let Some(title) = &figure.category_title {
            draw_text(
                &root,
                title,
                ((left + right) / 2, bottom + 8 + lines * LINE_H + 8),
                text_style(AXIS_TITLE_PX, HPos::Center, VPos::Top),
            )?;
        }
        draw_legend(&root, &legend, &legend_pos)?;
        if !has_data(figure) {
            draw_text(
                &root,
                &figure.empty_message,
                ((left + right) / 2, (top + bottom) / 2),
                text_style(MESSAGE_PX, HPos::Center, VPos::Center),
            )?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

// ---------------------------------------------------------------------------------------
// SVG post-processing

/// Escapes text for XML character data and double-quoted attributes.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// plotters writes `font-size` as a float (`13.000000000000002` for 13 px): round it so
/// the output does not depend on float formatting details.
fn tidy_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        match value.parse::<f64>() {
            Ok(v) => {
                let tenths = (v * 10.0).round() / 10.0;
                out.push_str(format!("{tenths:.1}").trim_end_matches(".0"));
            }
            Err(_) => out.push_str(value),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// plotters writes `<text ...>\ncontent\n</text>`; the line breaks become spaces in the
/// rendered text, which shifts right-aligned labels, so they are removed.
fn tighten_text(svg: &str) -> String {
    const OPEN: &str = "<text ";
    const CLOSE: &str = "\n</text>";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(OPEN) {
        let (before, element) = rest.split_at(at);
        out.push_str(before);
        let Some(open_end) = element.find(">\n") else {
            rest = element;
            break;
        };
        let Some(close) = element[open_end..].find(CLOSE).map(|i| i + open_end) else {
            rest = element;
            break;
        };
        out.push_str(&element[..=open_end]);
        out.push_str(&element[open_end + 2..close]);
        out.push_str("</text>");
        rest = &element[close + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

fn finish_svg(raw: &str, id: &str, title: &str, description: &str) -> Result<String, String> {
    // plotters opens with `<svg width=".." height=".." viewBox=".." xmlns="..">\n`.
    let open_end = raw
        .find(">\n")
        .filter(|_| raw.starts_with("<svg "))
        .ok_or_else(|| "plotters produced an SVG without the expected root element".to_string())?;
    let open = &raw[..open_end];
    let attr = |name: &str| -> Result<&str, String> {
        let key = format!(" {name}=\"");
        let start = open
            .find(&key)
            .map(|i| i + key.len())
            .ok_or_else(|| format!("the SVG root has no {name}"))?;
        let len = open[start..]
            .find('"')
            .ok_or_else(|| format!("the SVG root's {name} is not closed"))?;
        Ok(&open[start..start + len])
    };
    let (width, height) = (attr("width")?, attr("height")?);

    let body = raw[open_end + 2..]
        .replace(INK_SVG, "\"currentColor\"")
        .replace(GRID_SVG, "\"currentColor\"")
        .replace(HATCH_SVG, &format!("\"url(#chart-{id}-hatch)\""))
        .replace(&format!(" font-family=\"{FONT_SENTINEL}\""), "")
        .replace(" opacity=\"1\"", "");
    let body = tighten_text(&tidy_font_sizes(&body));

    let mut svg = String::with_capacity(body.len() + 1024);
    svg.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"chart-{id}-title chart-{id}-desc\" \
         font-family=\"{}\">\n",
        escape_xml(FONT_STACK)
    ));
    svg.push_str(&format!(
        "<title id=\"chart-{id}-title\">{}</title>\n<desc id=\"chart-{id}-desc\">{}</desc>\n",
        escape_xml(title),
        escape_xml(description)
    ));
    // Stripes in currentColor so placeholders follow the page's light or dark text colour.
    svg.push_str(&format!(
        "<defs>\n<pattern id=\"chart-{id}-hatch\" width=\"6\" height=\"6\" \
         patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\n\
         <rect width=\"6\" height=\"6\" fill=\"currentColor\" opacity=\"0.08\"/>\n\
         <rect width=\"2\" height=\"6\" fill=\"currentColor\" opacity=\"0.55\"/>\n\
         </pattern>\n</defs>\n"
    ));
    svg.push_str(&body);
    Ok(svg)
}

#[cfg(test)]
mod tests;
