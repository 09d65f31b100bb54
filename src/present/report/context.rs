//! The report's context (`[[context]]`): the size of the event or community, and each count
//! of the summary and of the sections of the document as a rate per 1,000 people. A withheld
//! count's rate is withheld too: it would give the count back.

use super::view::{row, Body, Column, Ctx, Table};
use crate::config::context::per_thousand as rate;
use crate::model::Count;
use crate::present::text::{capitalise, join_and, per_thousand, thousands, NOT_AVAILABLE};

#[derive(serde::Serialize)]
pub(super) struct ContextView {
    /// "For scale: 2,800 in-person attendees and 500 online attendees."
    pub(super) scale: String,
    /// The total and each section's count with its rates per 1,000.
    pub(super) table: Table,
}

/// The rate of `count` per 1,000 of `people`, as the report prints it.
fn cell(count: Count, people: u64) -> String {
    match count {
        Some(n) => per_thousand(Some(rate(n, people))),
        None => NOT_AVAILABLE.into(),
    }
}

pub(super) fn context(cx: &Ctx) -> Option<ContextView> {
    let pops = &cx.config.context;
    if pops.is_empty() {
        return None;
    }
    let (s, f, w, t) = (cx.summary, &cx.fmt, &cx.config.words, &cx.config.taxonomy);
    let sizes: Vec<String> = pops
        .iter()
        .map(|p| format!("{} {}", thousands(p.count), p.label))
        .collect();
    let rates: Vec<String> = match cx.total {
        Some(n) => pops
            .iter()
            .map(|p| format!("{} per 1,000 {}", cell(Some(n), p.count), p.label))
            .collect(),
        None => Vec::new(),
    };
    let scale = if rates.is_empty() {
        format!("For scale: {}.", join_and(&sizes))
    } else {
        format!(
            "For scale: {}. The {} {} of the period are {}.",
            join_and(&sizes),
            f.count(cx.total),
            w.cases(),
            join_and(&rates)
        )
    };
    let line = |header: String, table: &str, key: &str, c: Count| {
        let mut cells = vec![f.cell(table, key, c)];
        cells.extend(pops.iter().map(|p| cell(c, p.count)));
        row(header, cells)
    };
    let mut total = line(format!("All {}", w.cases()), "cases", "total", cx.total);
    total.total = true;
    let mut bodies = vec![Body {
        heading: None,
        rows: vec![total],
    }];
    for g in &t.category_groups {
        let rows = t
            .categories
            .iter()
            .filter(|c| c.group == g.key)
            .map(|c| {
                line(
                    c.label.clone(),
                    "by_category",
                    &c.key,
                    s.by_category.get(&c.key).copied().flatten(),
                )
            })
            .collect();
        bodies.push(Body {
            heading: Some(g.label.clone()),
            rows,
        });
    }
    let mut columns = vec![
        Column {
            label: w.section.clone(),
            num: false,
        },
        Column {
            label: capitalise(&w.cases()),
            num: true,
        },
    ];
    columns.extend(pops.iter().map(|p| Column {
        label: format!("Per 1,000 {}", p.label),
        num: true,
    }));
    columns[0].label = capitalise(&columns[0].label);
    Some(ContextView {
        scale,
        table: Table {
            id: "table-context",
            caption: format!(
                "{} per 1,000 people, in all and by {} of the {}",
                capitalise(&w.cases()),
                w.section,
                w.document
            ),
            columns,
            bodies,
        },
    })
}
