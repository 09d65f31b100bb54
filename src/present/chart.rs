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
//!
//! This file holds what a figure is (`Spec`, `Figure`, its slots and bars) and the entry
//! points; one job per file below it:
//!
//! ```text
//! figures.rs   Summary + config → the six figure specs (bars, labels, legend, description)
//! describe.rs  the description sentences (the chart's text alternative)
//! layout.rs    pixel sizes, text measurement and wrapping, the value axis, legend rows
//! style.rs     palette, sentinel colours, fonts
//! draw.rs      plotters drawing of a horizontal or a vertical figure
//! svg.rs       post-processing: sentinels → currentColor and hatching, title and desc
//! ```

mod describe;
mod draw;
mod figures;
mod layout;
mod style;
mod svg;

/// The slide draws with the charts' fonts and escaping.
pub(crate) use style::FONT_STACK;
pub(crate) use svg::escape_xml;

use crate::config::{Config, Words};
use crate::model::{Count, Counts, IncidentFigures, Summary};
use crate::present::text::table_title;
use describe::{count_text, suppressed_sentence};
use draw::{draw_horizontal, draw_vertical};
use figures::{appeals, categories, levels, monthly, platforms, resolution};
use plotters::style::RGBColor;
use style::{OI_BLUE, OI_VERMILLION};
use svg::finish_svg;

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

impl From<ChartError> for crate::error::Error {
    fn from(e: ChartError) -> Self {
        crate::error::Error::Present(Box::new(e))
    }
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
    // The short report of a period without cases shows no table, so no chart of zeros.
    if summary.cases.total == Some(0) && config.report.empty == crate::config::EmptyPeriod::Short {
        return Ok(Vec::new());
    }
    let by_incident = incidents
        .filter(|_| config.incidents.count_categories_by == crate::config::CountBasis::Incidents);
    let sections = match by_incident {
        Some(i) => Counted {
            by_category: &i.by_category,
            by_group: &i.by_category_group,
            total: Some(i.incidents),
            unit: ("incident".into(), "incidents".into()),
            by_incident: true,
        },
        None => Counted::reports(summary, &config.words),
    };
    let mut specs = vec![categories(&sections, config)];
    // Each figure with the column it draws: a chart of a fact the export does not record
    // would be a chart of zeros or of "unassigned" (SPEC §3.1).
    // A figure of something the community's settings do not have is left out the same way:
    // levels without a taxonomy of levels (one bar of "no level"), appeals without an
    // appeal step when the export holds none.
    // And a figure of a section the config leaves out is not drawn.
    let applies = [
        !config.taxonomy.levels.is_empty() && summary.shows("outcomes"),
        summary.shows("platforms"),
        summary.shows("timeliness"),
        summary.shows("monthly"),
        (config.has_appeals() || summary.appeals.filed != Some(0)) && summary.shows("appeals"),
    ];
    let builders: [(Builder, &[&str]); 5] = [
        (levels, &["moderation_level"]),
        (platforms, &["platform"]),
        (resolution, &["resolved_at"]),
        (monthly, &[]),
        (appeals, &["appeal_filed_at", "appeal_outcome"]),
    ];
    specs.extend(
        builders
            .iter()
            .zip(applies)
            .filter(|((_, needs), applies)| *applies && needs.iter().all(|c| summary.recorded(c)))
            .map(|((build, _), _)| build(summary, config)),
    );
    specs.into_iter().map(draw).collect()
}

type Builder = fn(&Summary, &Config) -> Spec;

/// Counts of sections of the Code, in what they count.
struct Counted<'a> {
    by_category: &'a Counts,
    by_group: &'a Counts,
    total: Count,
    /// What is counted, singular and plural: the config's word for a case, or "incident".
    unit: (String, String),
    by_incident: bool,
}

impl Counted<'_> {
    fn reports<'a>(summary: &'a Summary, w: &Words) -> Counted<'a> {
        Counted {
            by_category: &summary.by_category,
            by_group: &summary.by_category_group,
            total: summary.cases.total,
            unit: (w.case.clone(), w.cases()),
            by_incident: false,
        }
    }
}

fn draw(spec: Spec) -> Result<Chart, ChartError> {
    let fail = |message| ChartError::Draw {
        chart: spec.figure.id,
        message,
    };
    let raw = match spec.orientation {
        Orientation::Horizontal => draw_horizontal(&spec.figure),
        Orientation::Vertical => draw_vertical(&spec.figure),
    }
    .map_err(fail)?;
    let svg = finish_svg(&raw, spec.figure.id, &spec.title, &spec.description).map_err(fail)?;
    Ok(Chart {
        id: spec.figure.id,
        title: spec.title,
        description: spec.description,
        svg,
    })
}

/// The multi-year trend (`charts/history.svg`): cases received and resolved in each period,
/// oldest first. `periods` are (label, received, resolved) as each year's report published them;
/// `None` is a figure the period did not publish (an imported period's), drawn as no bar.
pub fn history(
    periods: &[(String, Option<Count>, Option<Count>)],
    min_cell: u64,
    w: &Words,
) -> Result<Chart, ChartError> {
    let reported_fill = Fill::Solid(OI_BLUE);
    let resolved_fill = Fill::Tint(OI_VERMILLION);
    let slots = periods
        .iter()
        .map(|(label, reported, resolved)| Slot {
            label: label.clone(),
            bars: vec![
                Bar::shown(*reported, reported_fill),
                Bar::shown(*resolved, resolved_fill),
            ],
        })
        .collect();
    let mut sentences: Vec<String> = periods
        .iter()
        .map(|(label, reported, resolved)| {
            let parts: Vec<String> = [(reported, "received"), (resolved, "resolved")]
                .into_iter()
                .filter_map(|(c, what)| c.map(|c| format!("{} {what}", count_text(c))))
                .collect();
            format!("{label}: {}.", parts.join(", "))
        })
        .collect();
    let hidden: Vec<String> = periods
        .iter()
        .flat_map(|(label, reported, resolved)| {
            [
                (*reported == Some(None)).then(|| format!("{} received in {label}", w.cases())),
                (*resolved == Some(None)).then(|| format!("{} resolved in {label}", w.cases())),
            ]
        })
        .flatten()
        .collect();
    let absent: Vec<String> = periods
        .iter()
        .flat_map(|(label, reported, resolved)| {
            [
                reported
                    .is_none()
                    .then(|| format!("{} received in {label}", w.cases())),
                resolved
                    .is_none()
                    .then(|| format!("{} resolved in {label}", w.cases())),
            ]
        })
        .flatten()
        .collect();
    sentences.extend(describe::absent_sentence(&absent));
    sentences.extend(suppressed_sentence(&hidden, min_cell));
    draw(Spec {
        orientation: Orientation::Vertical,
        title: table_title("history", w),
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
            value_title: format!("Number of {}", w.cases()),
            category_title: None,
            empty_message: format!("No {} in these periods", w.cases()),
        },
    })
}

/// A series of a site (`present::site`): for each period, one bar per key (`keys`: label,
/// in order), grouped by period, oldest first. `periods` are (label, one count per key) as
/// each period's report published them; a withheld count is drawn as the hatched
/// placeholder and named in the description.
pub fn series(
    id: &'static str,
    title: String,
    keys: &[String],
    periods: &[(String, Vec<Option<Count>>)],
    min_cell: u64,
    w: &Words,
) -> Result<Chart, ChartError> {
    // Colours first, then their tints, so that neighbours differ by lightness too.
    let fill = |i: usize| {
        let c = style::PALETTE[i % style::PALETTE.len()];
        if (i / style::PALETTE.len()) % 2 == 0 {
            Fill::Solid(c)
        } else {
            Fill::Tint(c)
        }
    };
    let slots = periods
        .iter()
        .map(|(label, counts)| Slot {
            label: label.clone(),
            bars: counts
                .iter()
                .enumerate()
                .map(|(i, c)| Bar::shown(*c, fill(i)))
                .collect(),
        })
        .collect();
    let mut sentences: Vec<String> = periods
        .iter()
        .map(|(label, counts)| {
            let parts: Vec<String> = keys
                .iter()
                .zip(counts)
                .filter_map(|(k, c)| c.map(|c| format!("{k} {}", count_text(c))))
                .collect();
            if parts.is_empty() {
                format!("{label}: {}.", describe::NOT_PUBLISHED)
            } else {
                format!("{label}: {}.", parts.join(", "))
            }
        })
        .collect();
    let hidden: Vec<String> = periods
        .iter()
        .flat_map(|(label, counts)| {
            keys.iter()
                .zip(counts)
                .filter(|(_, c)| **c == Some(None))
                .map(move |(k, _)| format!("{k} in {label}"))
        })
        .collect();
    let absent: Vec<String> = periods
        .iter()
        .flat_map(|(label, counts)| {
            keys.iter()
                .zip(counts)
                .filter(|(_, c)| c.is_none())
                .map(move |(k, _)| format!("{k} in {label}"))
        })
        .collect();
    sentences.extend(describe::absent_sentence(&absent));
    sentences.extend(suppressed_sentence(&hidden, min_cell));
    draw(Spec {
        orientation: Orientation::Vertical,
        title,
        description: sentences.join(" "),
        figure: Figure {
            id,
            slots,
            legend: keys
                .iter()
                .enumerate()
                .map(|(i, k)| LegendItem {
                    label: k.clone(),
                    fill: fill(i),
                })
                .collect(),
            value_title: format!("Number of {}", w.cases()),
            category_title: None,
            empty_message: format!("No {} in these periods", w.cases()),
        },
    })
}

// ---------------------------------------------------------------------------------------
// What each figure shows

#[derive(Clone, Copy)]
enum Fill {
    Solid(RGBColor),
    /// A light tint with a solid outline: tells a second series apart by lightness and
    /// texture, not by hue alone, for readers who do not see the hue difference.
    Tint(RGBColor),
    /// The suppressed-cell placeholder.
    Hatch,
}

enum Orientation {
    Horizontal,
    Vertical,
}

struct Bar {
    value: Count,
    fill: Fill,
    /// A figure the period did not publish (an imported period's): no bar, no placeholder.
    absent: bool,
}

impl Bar {
    fn new(value: Count, fill: Fill) -> Bar {
        Bar {
            value,
            fill,
            absent: false,
        }
    }

    /// `None`: not published.
    fn shown(value: Option<Count>, fill: Fill) -> Bar {
        Bar {
            value: value.flatten(),
            fill,
            absent: value.is_none(),
        }
    }
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

#[cfg(test)]
mod tests;
