//! What each figure shows: the bars, labels, legend and description of the six figures
//! of a report, built from the Summary and the config.

use super::describe::*;
use super::style::*;
use super::{Bar, Counted, Figure, Fill, LegendItem, Orientation, Slot, Spec};
use crate::config::Config;
use crate::model::{Count, Summary};
use crate::present::text::{
    bin_label, capitalise, counted, days, join_and, level_label, long_month, outcome_axis_label,
    outcome_label, parse_month, percent_in_prose, short_month, table_title, thousands, NO_LEVEL,
};

pub(super) fn single_bars(rows: Vec<(String, Count)>, fill: Fill) -> Vec<Slot> {
    rows.into_iter()
        .map(|(label, value)| Slot {
            label,
            bars: vec![Bar { value, fill }],
        })
        .collect()
}

pub(super) fn categories(counted_in: &Counted, config: &Config) -> Spec {
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
        title: table_title(if unit == "case" {
            "by_category"
        } else {
            "incidents.by_category"
        }),
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

pub(super) fn levels(summary: &Summary, config: &Config) -> Spec {
    let rows: Vec<(String, Count)> = summary
        .by_moderation_level
        .iter()
        .map(|(key, value)| (level_label(&config.taxonomy, key), *value))
        .collect();
    let unassigned = format!(
        "“{NO_LEVEL}” means no level has been set yet, usually because the case is still open."
    );
    let description = list_description(
        &rows,
        config.min_cell,
        match summary.cases.total {
            Some(n) => format!("Moderation level of the {} in this period", cases(n)),
            None => "Moderation level of the cases in this period".into(),
        },
        "No cases were reported in this period.",
        Some(&unassigned),
    );
    Spec {
        orientation: Orientation::Vertical,
        title: table_title("by_moderation_level"),
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

pub(super) fn platforms(summary: &Summary, config: &Config) -> Spec {
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
        title: table_title("by_platform"),
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

pub(super) fn resolution(summary: &Summary, config: &Config) -> Spec {
    let r = &summary.resolution_days;
    let rows: Vec<(String, Count)> = r
        .histogram
        .iter()
        .map(|(key, value)| (bin_label(key), *value))
        .collect();
    let lead = match r.count {
        Some(n) => format!("Time from report to decision for the {} resolved", cases(n)),
        None => "Time from report to decision for the resolved cases".into(),
    };
    let median = r.median.map(|m| format!("The median was {}.", days(m)));
    let description = list_description(
        &rows,
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
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: "Resolved cases".into(),
            category_title: Some("Time from report to decision".into()),
            empty_message: "No cases were resolved in this period".into(),
        },
    }
}

pub(super) fn monthly(summary: &Summary, config: &Config) -> Spec {
    let months = &summary.monthly;
    let years: Vec<&str> = months
        .iter()
        .filter_map(|m| parse_month(&m.month).map(|(y, _, _)| y))
        .collect();
    let spans_years = years.windows(2).any(|w| w[0] != w[1]);
    let reported_fill = Fill::Solid(OI_BLUE);
    let resolved_fill = Fill::Tint(OI_VERMILLION);
    // Without a decision column the month has no "resolved" bar, not a bar of 0.
    let with_resolved = summary.recorded("resolved_at");
    let slots = months
        .iter()
        .map(|m| Slot {
            label: short_month(&m.month, spans_years),
            bars: [
                Some(Bar {
                    value: m.reported,
                    fill: reported_fill,
                }),
                with_resolved.then_some(Bar {
                    value: m.resolved,
                    fill: resolved_fill,
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        })
        .collect();

    let reported: Vec<(String, Count)> = months
        .iter()
        .map(|m| (long_month(&m.month), m.reported))
        .collect();
    let resolved: Vec<(String, Count)> = months
        .iter()
        .filter(|_| with_resolved)
        .map(|m| (long_month(&m.month), m.resolved))
        .collect();
    let description = if !with_resolved && is_empty(&reported) {
        "No cases were reported in this period.".to_string()
    } else if is_empty(&reported) && is_empty(&resolved) {
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
        if !with_resolved {
            if let Some(r) = total(&reported) {
                sentences.push(format!(
                    "Over {span} of the period, {} were reported.",
                    cases(r)
                ));
            }
        } else if let (Some(r), Some(d)) = (total(&reported), total(&resolved)) {
            sentences.push(format!(
                "Over {span} of the period, {} were reported and {} resolved.",
                cases(r),
                thousands(d)
            ));
        }
        let peaks: Vec<String> = [(&reported, "reports"), (&resolved, "decisions")]
            .into_iter()
            .filter_map(|(rows, what)| {
                leaders(rows).map(|top| {
                    format!(
                        "{what} peaked at {} in {}",
                        thousands(top.value),
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
        title: table_title(if with_resolved {
            "monthly"
        } else {
            "monthly.reported"
        }),
        description,
        figure: Figure {
            id: "monthly",
            slots,
            legend: [
                Some(LegendItem {
                    label: "Reported".into(),
                    fill: reported_fill,
                }),
                with_resolved.then_some(LegendItem {
                    label: "Resolved".into(),
                    fill: resolved_fill,
                }),
            ]
            .into_iter()
            .flatten()
            .collect(),
            value_title: "Number of cases".into(),
            category_title: None,
            empty_message: "No cases in this period".into(),
        },
    }
}

pub(super) fn appeals(summary: &Summary, config: &Config) -> Spec {
    let a = &summary.appeals;
    let rows: Vec<(String, Count)> = a
        .by_outcome
        .iter()
        .map(|(key, value)| (outcome_label(key), *value))
        .collect();
    let axis_rows: Vec<(String, Count)> = a
        .by_outcome
        .iter()
        .map(|(key, value)| (outcome_axis_label(key), *value))
        .collect();
    let lead = match a.filed {
        Some(1) => "Outcome of the 1 appeal filed".to_string(),
        Some(n) => format!("Outcome of the {} appeals filed", thousands(n)),
        None => "Outcome of the appeals filed".into(),
    };
    let reversal = a.reversal_rate.map(|r| {
        format!(
            "Of the appeals decided on their merits (upheld, overturned or modified), {} changed the decision.",
            percent_in_prose(r)
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
        title: table_title("appeals.by_outcome"),
        description,
        figure: Figure {
            id: "appeals",
            slots: single_bars(axis_rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: "Number of appeals".into(),
            category_title: Some("Outcome".into()),
            empty_message: "No appeals in this period".into(),
        },
    }
}
