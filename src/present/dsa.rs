//! `data/dsa_summary.csv`: the report's figures restated in the shape of the EU Digital
//! Services Act transparency-report templates for a small platform (notices by category,
//! own-initiative action, time to action, internal complaints, suspensions).
//!
//! An aid for a committee that also files a DSA report, not a legal filing: every value is
//! read from the (suppressed) `model::Summary`, nothing is computed from the export. A value
//! derived from several published cells is empty when any of them was suppressed, so it can
//! never reveal a hidden one.

use crate::config::dsa::{category_map, DsaConfig, DSA_CATEGORIES, UNMAPPED};
use crate::config::Taxonomy;
use crate::model::{Count, Counts, Summary, UNASSIGNED};
use crate::present::text::{data_count, data_number, NO_ACTION};

/// One row of `dsa_summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub section: &'static str,
    pub item: String,
    pub label: String,
    /// Empty when suppressed or n/a.
    pub value: String,
    pub unit: &'static str,
    /// For a count: the summary cells (table, key) it adds up, so the disclosure audit sees
    /// it as the sum it is. Empty for other values.
    pub sums: Vec<(&'static str, String)>,
}

/// The sum of `keys`' cells of `map`; `None` when any is suppressed. Missing keys count 0.
fn sum(map: &Counts, keys: &[&str]) -> Count {
    keys.iter()
        .map(|k| map.get(*k).copied().unwrap_or(Some(0)))
        .sum()
}

/// A count row's value and the cells of `table` (named as the suppression pass names them)
/// it adds up.
fn summed(
    table: &'static str,
    map: &Counts,
    keys: &[&str],
) -> (String, Vec<(&'static str, String)>) {
    let parts = keys
        .iter()
        .filter(|k| map.contains_key(**k))
        .map(|k| (table, k.to_string()))
        .collect();
    (data_count(sum(map, keys)), parts)
}

fn cell(table: &'static str, key: &str, c: Count) -> (String, Vec<(&'static str, String)>) {
    (data_count(c), vec![(table, key.to_string())])
}

/// The parts of every count the DSA summary publishes as a sum of report cells, for the
/// disclosure audit (the same for any summary of the period: only the keys matter).
pub fn sums(
    s: &Summary,
    t: &Taxonomy,
    dsa: Option<&DsaConfig>,
) -> Vec<Vec<(&'static str, String)>> {
    // A file the committee does not want is not published: a reader has none of its sums.
    if !crate::config::dsa::wanted(dsa) {
        return Vec::new();
    }
    rows(s, t, dsa)
        .into_iter()
        .map(|r| r.sums)
        .filter(|parts| !parts.is_empty())
        .collect()
}

/// The rows of `dsa_summary.csv`, from the suppressed Summary only.
pub fn rows(s: &Summary, t: &Taxonomy, dsa: Option<&DsaConfig>) -> Vec<Row> {
    let map = category_map(dsa, t);
    let mut out = Vec::new();
    let mut push = |section, item: &str, label: &str, (value, sums), unit| {
        out.push(Row {
            section,
            item: item.to_string(),
            label: label.to_string(),
            value,
            unit,
            sums,
        })
    };
    push(
        "overview",
        "cases",
        "Cases (notices and own-initiative) reported in the period",
        cell("cases", "total", s.cases.total),
        "cases",
    );
    let rt = &s.by_reporter_type;
    push(
        "notices",
        "received",
        "Notices received from users (named or anonymous reporters)",
        summed("by_reporter_type", rt, &["named", "anonymous"]),
        "cases",
    );
    push(
        "own_initiative",
        "cases",
        "Cases opened without a report (own initiative)",
        summed("by_reporter_type", rt, &["moderator"]),
        "cases",
    );
    push(
        "notices",
        "source_unknown",
        "Cases with no reporter type recorded",
        summed("by_reporter_type", rt, &[UNASSIGNED]),
        "cases",
    );
    // A case counts once under each section of the Code it cites, so a DSA category that
    // several sections map to may count one case more than once.
    for (key, label) in DSA_CATEGORIES {
        let keys: Vec<&str> = map
            .iter()
            .filter(|(_, v)| *v == key)
            .map(|(k, _)| k.as_str())
            .collect();
        push(
            "category",
            key,
            label,
            summed("by_category", &s.by_category, &keys),
            "category citations",
        );
    }
    let unmapped: Vec<&str> = t
        .categories
        .iter()
        .map(|c| c.key.as_str())
        .filter(|k| map.get(*k).is_none_or(|v| v == UNMAPPED))
        .collect();
    push(
        "category",
        UNMAPPED,
        "Sections of the Code not mapped to a DSA category",
        summed("by_category", &s.by_category, &unmapped),
        "category citations",
    );
    push(
        "action",
        "decisions",
        "Cases decided by the period end",
        cell("cases", "resolved", s.cases.resolved),
        "cases",
    );
    push(
        "action",
        "median_days_to_decision",
        "Median time from report to decision",
        (data_number(s.resolution_days.median), Vec::new()),
        "days",
    );
    for (k, v) in &s.by_action {
        let label = if k == UNASSIGNED {
            NO_ACTION.to_string()
        } else {
            format!("Measure: {}", t.action_label(k))
        };
        push("measures", k, &label, cell("by_action", k, *v), "cases");
    }
    let ap = &s.appeals;
    push(
        "complaints",
        "received",
        "Internal complaints (appeals) received",
        cell("appeals", "filed", ap.filed),
        "complaints",
    );
    let outcomes = &ap.by_outcome;
    push(
        "complaints",
        "upheld",
        "Complaints rejected: decision upheld",
        summed("appeals.by_outcome", outcomes, &["upheld"]),
        "complaints",
    );
    push(
        "complaints",
        "reversed",
        "Complaints granted: decision overturned or modified",
        summed("appeals.by_outcome", outcomes, &["overturned", "modified"]),
        "complaints",
    );
    push(
        "complaints",
        "withdrawn",
        "Complaints withdrawn",
        summed("appeals.by_outcome", outcomes, &["withdrawn"]),
        "complaints",
    );
    push(
        "complaints",
        "pending",
        "Complaints pending at the time of the report",
        summed("appeals.by_outcome", outcomes, &["pending"]),
        "complaints",
    );
    push(
        "complaints",
        "median_days_to_decision",
        "Median time from complaint to decision",
        (data_number(ap.median_days_to_decision), Vec::new()),
        "days",
    );
    let sp = &s.suspensions;
    let ba = &s.by_action;
    let temporary = summed("by_action", ba, &t.temporary_suspension_actions()).1;
    let full = summed("by_action", ba, &t.full_suspension_actions()).1;
    push(
        "suspensions",
        "temporary",
        "Temporary suspensions",
        (data_count(sp.temporary), temporary),
        "cases",
    );
    push(
        "suspensions",
        "full",
        "Full suspensions (termination of access)",
        (data_count(sp.full), full),
        "cases",
    );
    push(
        "suspensions",
        "interim",
        "Interim suspensions before the decision",
        cell("suspensions", "interim", sp.interim),
        "cases",
    );
    out
}

#[cfg(test)]
mod tests;
