//! `data/history.csv`: this and earlier periods, figure by figure, with each change.

use crate::compute::history::{self, History};
use crate::config::Config;
use crate::present::text::{data_number, figure_label};

/// Every key figure, and every cell of the groups and sections (`history::TABLES`, metric
/// `table.key`), of each period with its change from the period before.
pub(super) fn history_rows(h: &History, c: &Config) -> Vec<Vec<String>> {
    let w = &c.words;
    let t = &c.taxonomy;
    let mut rows = Vec::new();
    for (i, p) in h.periods.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| h.periods.get(j));
        let mut row = |metric: String, label: String, cur: Option<f64>, before: Option<f64>| {
            let ch = match prev {
                Some(_) => history::change(before, cur),
                None => history::change(None, None),
            };
            rows.push(vec![
                p.period.label.clone(),
                p.period.start.clone(),
                p.period.end.clone(),
                metric,
                label,
                data_number(cur),
                data_number(ch.absolute),
                data_number(ch.percent),
            ]);
        };
        for (key, _) in history::FIGURES {
            row(
                key.to_string(),
                figure_label(key, w),
                history::value(p, key),
                prev.and_then(|q| history::value(q, key)),
            );
        }
        // A report that leaves its sections out compares none of them.
        for &table in history::TABLES
            .iter()
            .filter(|_| h.current().shows("categories"))
        {
            let Some(cells) = history::counts(p, table) else {
                continue;
            };
            for (key, v) in cells {
                let before = prev
                    .and_then(|q| history::counts(q, table))
                    .and_then(|m| m.get(key).copied().flatten());
                let label = match table {
                    "by_category_group" => t.group_label(key),
                    _ => t.category_label(key),
                };
                row(
                    format!("{table}.{key}"),
                    label,
                    v.map(|n| n as f64),
                    before.map(|n| n as f64),
                );
            }
        }
    }
    rows
}
