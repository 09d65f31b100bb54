//! The year-over-year section: key figures against the previous period, and the trend.

use super::view::{num_col, row, single_body, text_col, HistoryView, Table};
use crate::model::Count;
use crate::present::text::{
    decimal1, figure_label, long_date, percent, signed, table_title, thousands, NOT_AVAILABLE,
};

pub(super) fn history_view(h: &crate::compute::history::History, label: &str) -> HistoryView {
    use crate::compute::history::Kind;
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
        .map(|x| {
            let (name, kind, p, c, ch) =
                (figure_label(x.key), x.kind, x.previous, x.current, x.change);
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
    let trend = Table {
        id: "table-history-trend",
        caption: table_title("history"),
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
