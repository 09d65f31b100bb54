//! The files of what the settings and the committee give rather than the export: the
//! `[[context]]` rates, `[process]`, the committee's summaries and the DSA template figures.

use super::DataTable;
use crate::config::Config;
use crate::model::Summary;
use crate::present::text::{capitalise, data_count, data_number};
use crate::summaries::Published;

/// `[[context]]`: each population, and the total and each section's count per 1,000 of it.
/// A withheld count's rate is withheld (empty) too: it would give the count back.
pub(super) fn context_table(s: &Summary, c: &Config) -> DataTable {
    let t = &c.taxonomy;
    let figures: Vec<(String, String, crate::model::Count)> = std::iter::once((
        "total".to_string(),
        format!("All {}", c.words.cases()),
        s.cases.total,
    ))
    .chain(t.categories.iter().map(|cat| {
        (
            cat.key.clone(),
            cat.label.clone(),
            s.by_category.get(&cat.key).copied().flatten(),
        )
    }))
    .collect();
    let rows = c
        .context
        .iter()
        .flat_map(|p| {
            figures.iter().map(move |(key, label, n)| {
                vec![
                    p.key.clone(),
                    p.label.clone(),
                    p.count.to_string(),
                    key.clone(),
                    label.clone(),
                    data_count(*n),
                    data_number(n.map(|n| {
                        crate::model::round4(crate::config::context::per_thousand(n, p.count))
                    })),
                ]
            })
        })
        .collect();
    DataTable {
        name: "context",
        title: format!(
            "{} per 1,000 people of each population the report covers",
            capitalise(&c.words.cases())
        ),
        fields: vec![
            ("population", "string"),
            ("population_label", "string"),
            ("people", "integer"),
            ("figure", "string"),
            ("label", "string"),
            ("cases", "integer"),
            ("per_1000", "number"),
        ],
        rows,
    }
}

/// `[process]` as the report shows it: one row per text, numbered within its item; a list
/// given empty is one row numbered 0 with no text (the report says there were none).
pub(super) fn process_table(p: &crate::config::process::Process) -> DataTable {
    let mut rows = Vec::new();
    for (item, text) in [
        ("how_to_report", &p.how_to_report),
        ("who_responded", &p.who_responded),
    ] {
        if let Some(t) = text {
            rows.push(vec![item.to_string(), "1".into(), t.clone()]);
        }
    }
    for (item, list) in [
        ("policy_change", &p.policy_changes),
        ("committee_change", &p.committee_changes),
    ] {
        match list.as_deref() {
            Some([]) => rows.push(vec![item.to_string(), "0".into(), String::new()]),
            Some(items) => rows.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, t)| vec![item.to_string(), (i + 1).to_string(), t.clone()]),
            ),
            None => {}
        }
    }
    DataTable {
        name: "process",
        title: "How to report, who responded, and the changes to the policy and the committee"
            .into(),
        fields: vec![
            ("item", "string"),
            ("number", "integer"),
            ("text", "string"),
        ],
        rows,
    }
}

/// The committee's summaries as the report lists them, numbered in the file's order.
pub(super) fn summaries_table(sums: &[Published]) -> DataTable {
    DataTable {
        name: "summaries",
        title:
            "Summaries of individual cases, written and anonymised by the committee for publication"
                .into(),
        fields: vec![
            ("number", "integer"),
            ("kind", "string"),
            ("outcome", "string"),
            ("summary", "string"),
        ],
        rows: sums
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    p.kind.clone(),
                    p.outcome.clone(),
                    p.text.clone(),
                ]
            })
            .collect(),
    }
}

/// `data/dsa_summary.csv` (see `dsa`).
pub(super) fn dsa_table(s: &Summary, c: &Config) -> DataTable {
    DataTable {
        name: "dsa_summary",
        title: "The figures in the shape of the EU Digital Services Act transparency templates (an aid, not a legal filing)".into(),
        fields: vec![
            ("section", "string"),
            ("item", "string"),
            ("label", "string"),
            ("value", "number"),
            ("unit", "string"),
        ],
        rows: crate::present::dsa::rows(s, &c.taxonomy, c.dsa.as_ref())
            .into_iter()
            .map(|r| vec![r.section.to_string(), r.item, r.label, r.value, r.unit.to_string()])
            .collect(),
    }
}
