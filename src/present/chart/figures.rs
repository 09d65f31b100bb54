//! What each figure shows: the bars, labels, legend and description of the six figures
//! of a report, built from the Summary and the config.

use super::describe::*;
use super::style::*;
use super::{Bar, Counted, Figure, Fill, LegendItem, Orientation, Slot, Spec};
use crate::config::Config;
use crate::model::{Count, Summary};
use crate::present::text::{
    bin_label, capitalise, days, join_and, level_label, long_month, outcome_axis_label,
    outcome_label, parse_month, percent_in_prose, plural, short_month, table_title, thousands,
    with_article, NO_LEVEL,
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
    let (one, many) = (&counted_in.unit.0, &counted_in.unit.1);
    let w = &config.words;
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
        sentences.push(format!(
            "{} No {} of the {} was cited.",
            w.none_received(),
            w.section,
            w.document
        ));
    } else {
        let groups: Vec<String> = counted_in
            .by_group
            .iter()
            .enumerate()
            .map(|(i, (key, value))| {
                let n = match value {
                    Some(n) => plural(*n, one, many),
                    None => format!("a suppressed number of {many}"),
                };
                if i == 0 {
                    format!("{} was cited in {n}", taxonomy.group_label(key))
                } else {
                    format!("{} in {n}", taxonomy.group_label(key))
                }
            })
            .collect();
        let mut first = join_and(&groups);
        if let Some(mut top) = leaders(&labelled, w) {
            top.unit = counted_in.unit.clone();
            if !first.is_empty() {
                first.push_str("; ");
            }
            let any_hidden = labelled.iter().any(|(_, v)| v.is_none());
            first.push_str(&top.sentence(
                &if any_hidden {
                    format!("the {} with the highest published count", w.section)
                } else {
                    format!("the most cited {}", w.section)
                },
                &w.sections(),
            ));
        }
        if !first.is_empty() {
            sentences.push(format!("{}.", capitalise(&first)));
        }
        let total = match counted_in.total {
            Some(n) => format!("the {}", plural(n, one, many)),
            None => format!("the number of {many}"),
        };
        let section = &w.section;
        sentences.push(if counted_in.by_incident {
            format!("An incident counts once for each {section} any of its reports cites, so the bars can add up to more than {total}.")
        } else {
            format!("{} counts once for each {section} it cites, so the bars can add up to more than {total}.", capitalise(&with_article(one)))
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
        title: table_title(
            if counted_in.by_incident {
                "incidents.by_category"
            } else {
                "by_category"
            },
            w,
        ),
        description: sentences.join(" "),
        figure: Figure {
            id: "categories",
            slots,
            legend,
            value_title: format!("Number of {many}"),
            category_title: None,
            empty_message: format!("No {} in this period", w.cases()),
        },
    }
}

pub(super) fn levels(summary: &Summary, config: &Config) -> Spec {
    let rows: Vec<(String, Count)> = summary
        .by_moderation_level
        .iter()
        .map(|(key, value)| (level_label(&config.taxonomy, key), *value))
        .collect();
    let w = &config.words;
    // "Still open" only where the period ends with open cases, a claim the figures can back.
    let open = summary.recorded("resolved_at") && summary.cases.open_at_period_end != Some(0);
    let unassigned = if open {
        format!(
            "“{NO_LEVEL}” means no level was recorded, for instance because the {} was still open.",
            w.case
        )
    } else {
        format!("“{NO_LEVEL}” means no level was recorded.")
    };
    let description = list_description(
        &rows,
        config.min_cell,
        match summary.cases.total {
            Some(n) => format!("Moderation level of the {} in this period", cases(n, w)),
            None => format!("Moderation level of the {} in this period", w.cases()),
        },
        &w.none_received(),
        Some(&unassigned),
    );
    Spec {
        orientation: Orientation::Vertical,
        title: table_title("by_moderation_level", w),
        description,
        figure: Figure {
            id: "levels",
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: format!("Number of {}", w.cases()),
            category_title: Some("Moderation level".into()),
            empty_message: format!("No {} in this period", w.cases()),
        },
    }
}

pub(super) fn platforms(summary: &Summary, config: &Config) -> Spec {
    let rows: Vec<(String, Count)> = summary
        .by_platform
        .iter()
        .map(|(key, value)| (config.taxonomy.platform_label(key), *value))
        .collect();
    let w = &config.words;
    let lead = match leaders(&rows, w) {
        Some(top) if !rows.iter().any(|(_, v)| v.is_none()) => {
            format!(
                "{}. By platform",
                capitalise(&top.sentence("the platform with most reports", "platforms"))
            )
        }
        _ => format!(
            "{} by platform where the reported conduct took place",
            capitalise(&w.cases())
        ),
    };
    let description = list_description(&rows, config.min_cell, lead, &w.none_received(), None);
    Spec {
        orientation: Orientation::Horizontal,
        title: table_title("by_platform", w),
        description,
        figure: Figure {
            id: "platforms",
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: format!("Number of {}", w.cases()),
            category_title: None,
            empty_message: format!("No {} in this period", w.cases()),
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
    let w = &config.words;
    let lead = match r.count {
        Some(n) => format!(
            "Time from report to decision for the {} resolved",
            cases(n, w)
        ),
        None => format!(
            "Time from report to decision for the resolved {}",
            w.cases()
        ),
    };
    let median = r.median.map(|m| format!("The median was {}.", days(m)));
    let description = list_description(
        &rows,
        config.min_cell,
        lead,
        &format!("No {} were resolved in this period.", w.cases()),
        median.as_deref(),
    );
    Spec {
        orientation: Orientation::Vertical,
        title: format!("Time taken to resolve {}", w.cases()),
        description,
        figure: Figure {
            id: "resolution",
            slots: single_bars(rows, Fill::Solid(OI_BLUE)),
            legend: Vec::new(),
            value_title: format!("Resolved {}", w.cases()),
            category_title: Some("Time from report to decision".into()),
            empty_message: format!("No {} were resolved in this period", w.cases()),
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
    let w = &config.words;
    let description = if !with_resolved && is_empty(&reported) {
        w.none_received()
    } else if is_empty(&reported) && is_empty(&resolved) {
        format!("No {} were reported or resolved in this period.", w.cases())
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
                    cases(r, w)
                ));
            }
        } else if let (Some(r), Some(d)) = (total(&reported), total(&resolved)) {
            sentences.push(format!(
                "Over {span} of the period, {} were reported and {} resolved.",
                cases(r, w),
                thousands(d)
            ));
        }
        let peaks: Vec<String> = [(&reported, "reports"), (&resolved, "decisions")]
            .into_iter()
            .filter_map(|(rows, what)| {
                leaders(rows, w).map(|top| {
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
        title: table_title(
            if with_resolved {
                "monthly"
            } else {
                "monthly.reported"
            },
            w,
        ),
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
            value_title: format!("Number of {}", w.cases()),
            category_title: None,
            empty_message: format!("No {} in this period", w.cases()),
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
        title: table_title("appeals.by_outcome", &config.words),
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
