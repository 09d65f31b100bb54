//! The year-over-year section: key figures against the previous period, and the trend.

use super::view::{num_col, row, single_body, text_col, HistoryView, Recorded, Table};
use crate::config::{AckPromise, Config};
use crate::model::Count;
use crate::present::text::{
    capitalise, decimal1, figure_label, join_and, long_date, percent, signed, table_title,
    thousands, IMPORTED_FROM, NOT_AVAILABLE,
};

/// Whether a compared figure is one this report publishes: a figure about something the
/// export does not record, or the community's settings do not have, is left out rather
/// than shown as n/a.
fn applies(key: &str, rec: &Recorded, promise: bool, suspensions: (bool, bool)) -> bool {
    match key {
        "cases_resolved"
        | "open_at_period_end"
        | "median_days_to_resolution"
        | "p90_days_to_resolution" => rec.resolved,
        "acknowledgement_rate" => rec.ack && promise,
        "appeals_filed" => rec.appeals,
        "reversal_rate" => rec.appeal_outcome,
        "temporary_suspensions" => rec.action && suspensions.0,
        "full_suspensions" => rec.action && suspensions.1,
        _ => true,
    }
}

pub(super) fn history_view(
    h: &crate::compute::history::History,
    label: &str,
    c: &Config,
    rec: &Recorded,
) -> HistoryView {
    use crate::compute::history::Kind;
    let w = &c.words;
    let t = &c.taxonomy;
    let listed = |keys: Vec<&str>| keys.iter().any(|k| t.actions.iter().any(|a| a.key == *k));
    let suspensions = (
        listed(t.temporary_suspension_actions()),
        listed(t.full_suspension_actions()),
    );
    let promise = c.ack_promise() != AckPromise::None;
    let prev = h.previous();
    let shown = |kind: Kind, v: Option<f64>| match (kind, v) {
        (_, None) => NOT_AVAILABLE.to_string(),
        (Kind::Count, Some(x)) => thousands(x as u64),
        (Kind::Rate, Some(_)) => percent(v),
        (Kind::Days, Some(_)) => decimal1(v),
    };
    let rows = h
        .comparison()
        .into_iter()
        .filter(|x| applies(x.key, rec, promise, suspensions))
        .map(|x| {
            let (name, kind, p, c, ch) = (
                figure_label(x.key, w),
                x.kind,
                x.previous,
                x.current,
                x.change,
            );
            let absolute = match (kind, ch.absolute) {
                (_, None) => NOT_AVAILABLE.to_string(),
                (Kind::Count, Some(x)) => signed(x, 0),
                (Kind::Rate, Some(x)) => format!("{} points", signed(x * 100.0, 1)),
                (Kind::Days, Some(x)) => format!("{} days", signed(x, 1)),
            };
            let relative = ch
                .percent
                .map(|x| format!("{}%", signed(x, 1)))
                .unwrap_or_else(|| NOT_AVAILABLE.into());
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
    let count = |c: Count| c.map(thousands).unwrap_or_else(|| NOT_AVAILABLE.into());
    // The trend's columns follow the same rule: no column of n/a for a figure not published.
    let mut columns = vec![
        text_col("Period"),
        num_col(&format!("{} received", capitalise(&w.cases()))),
    ];
    if rec.resolved {
        columns.push(num_col("Resolved"));
    }
    if rec.appeals {
        columns.push(num_col("Appeals filed"));
    }
    let trend = Table {
        id: "table-history-trend",
        caption: table_title("history", w),
        columns,
        bodies: single_body(
            h.periods
                .iter()
                .map(|p| {
                    let mut cells = vec![count(p.cases.total)];
                    if rec.resolved {
                        cells.push(count(p.cases.resolved));
                    }
                    if rec.appeals {
                        cells.push(count(p.appeals.filed));
                    }
                    row(
                        format!(
                            "{} ({} to {})",
                            p.period.label,
                            long_date(&p.period.start),
                            long_date(&p.period.end)
                        ),
                        cells,
                    )
                })
                .collect(),
        ),
    };
    // Groups and sections, cell by cell: a withheld cell on either side has no change.
    let categories = h.current().shows("categories");
    let tables = crate::compute::history::TABLES
        .iter()
        .filter(|_| categories)
        .map(|&table| {
            let rows = h
                .table_comparison(table)
                .into_iter()
                .map(|x| {
                    let name = match table {
                        "by_category_group" => t.group_label(&x.key),
                        _ => t.category_label(&x.key),
                    };
                    let shown = |v: Option<f64>| match v {
                        Some(n) => thousands(n as u64),
                        None => NOT_AVAILABLE.to_string(),
                    };
                    let absolute = x
                        .change
                        .absolute
                        .map(|a| signed(a, 0))
                        .unwrap_or_else(|| NOT_AVAILABLE.into());
                    let relative = x
                        .change
                        .percent
                        .map(|p| format!("{}%", signed(p, 1)))
                        .unwrap_or_else(|| NOT_AVAILABLE.into());
                    row(
                        name,
                        vec![shown(x.previous), shown(x.current), absolute, relative],
                    )
                })
                .collect();
            Table {
                id: match table {
                    "by_category_group" => "table-history-groups",
                    _ => "table-history-sections",
                },
                caption: format!(
                    "{}: {label} compared with {}",
                    table_title(table, w),
                    prev.period.label
                ),
                columns: vec![
                    text_col(&match table {
                        "by_category_group" => "Group".to_string(),
                        _ => capitalise(&w.section),
                    }),
                    num_col(&prev.period.label),
                    num_col(label),
                    num_col("Change"),
                    num_col("% change"),
                ],
                bodies: single_body(rows),
            }
        })
        .collect();
    let imported: Vec<String> = h
        .periods
        .iter()
        .map(|p| p.period.label.clone())
        .filter(|l| h.imported.contains(l))
        .collect();
    let imported_note = (!imported.is_empty()).then(|| {
        format!(
            "{IMPORTED_FROM}: {}. A figure such a report did not publish is n/a.",
            join_and(&imported)
        )
    });
    HistoryView {
        imported_note,
        previous_label: prev.period.label.clone(),
        comparison,
        tables,
        trend,
    }
}
