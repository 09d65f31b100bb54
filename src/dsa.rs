//! `data/dsa_summary.csv`: the report's figures restated in the shape of the EU Digital
//! Services Act transparency-report templates for a small platform (notices by category,
//! own-initiative action, time to action, internal complaints, suspensions).
//!
//! An aid for a committee that also files a DSA report, not a legal filing: every value is
//! read from the (suppressed) `model::Summary`, nothing is computed from the export. A value
//! derived from several published cells is empty when any of them was suppressed, so it can
//! never reveal a hidden one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Taxonomy;
use crate::model::{Count, Counts, Summary, UNASSIGNED};

/// The DSA content categories (the statement-of-reasons categories of the Commission's
/// transparency templates), in template order: key → label.
pub const DSA_CATEGORIES: [(&str, &str); 15] = [
    ("animal_welfare", "Animal welfare"),
    (
        "data_protection_and_privacy_violations",
        "Data protection and privacy violations",
    ),
    ("illegal_or_harmful_speech", "Illegal or harmful speech"),
    (
        "intellectual_property_infringements",
        "Intellectual property infringements",
    ),
    (
        "negative_effects_on_civic_discourse_or_elections",
        "Negative effects on civic discourse or elections",
    ),
    ("non_consensual_behaviour", "Non-consensual behaviour"),
    (
        "online_bullying_intimidation",
        "Online bullying/intimidation",
    ),
    (
        "pornography_or_sexualized_content",
        "Pornography or sexualized content",
    ),
    ("protection_of_minors", "Protection of minors"),
    ("risk_for_public_security", "Risk for public security"),
    ("scams_and_fraud", "Scams and/or fraud"),
    ("self_harm", "Self-harm"),
    ("scope_of_platform_service", "Scope of platform service"),
    (
        "unsafe_and_illegal_products",
        "Unsafe and/or illegal products",
    ),
    ("violence", "Violence"),
];

/// Row key for the categories the map leaves out, so no citation silently disappears.
pub const UNMAPPED: &str = "unmapped";

/// The ALA sections of the Code → DSA categories (the default of `[dsa] category_map`).
pub const ALA_CATEGORY_MAP: [(&str, &str); 22] = [
    ("race_ethnicity", "illegal_or_harmful_speech"),
    ("sex_gender", "illegal_or_harmful_speech"),
    ("language", "illegal_or_harmful_speech"),
    ("sexual_orientation", "illegal_or_harmful_speech"),
    ("disability", "illegal_or_harmful_speech"),
    ("appearance", "illegal_or_harmful_speech"),
    ("age", "illegal_or_harmful_speech"),
    ("religion_politics", "illegal_or_harmful_speech"),
    ("marital_family", "illegal_or_harmful_speech"),
    ("nationality_location", "illegal_or_harmful_speech"),
    ("employment_military", "illegal_or_harmful_speech"),
    ("socioeconomic", "illegal_or_harmful_speech"),
    ("prohibited_content", "pornography_or_sexualized_content"),
    ("intimidation", "online_bullying_intimidation"),
    (
        "intellectual_property",
        "intellectual_property_infringements",
    ),
    (
        "political_endorsement",
        "negative_effects_on_civic_discourse_or_elections",
    ),
    ("paid_promotion", "scope_of_platform_service"),
    ("job_posting", "scope_of_platform_service"),
    ("accessibility", "scope_of_platform_service"),
    ("impersonation", "scams_and_fraud"),
    (
        "sharing_member_content",
        "data_protection_and_privacy_violations",
    ),
    ("other", "scope_of_platform_service"),
];

/// `[dsa]` in report.toml.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DsaConfig {
    /// Section of the Code (taxonomy category key) → DSA category key. Categories left out
    /// are counted as `unmapped`.
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
}

impl DsaConfig {
    pub fn check(&self, t: &Taxonomy) -> Result<(), String> {
        for (from, to) in &self.category_map {
            if !t.categories.iter().any(|c| c.key == *from) {
                return Err(format!(
                    "`dsa.category_map`: `{from}` is not one of the keys in `taxonomy.categories`"
                ));
            }
            if !DSA_CATEGORIES.iter().any(|(k, _)| k == to) {
                return Err(format!(
                    "`dsa.category_map`: `{from}` maps to `{to}`, which is not a DSA category ({})",
                    DSA_CATEGORIES.map(|(k, _)| k).join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The mapping in force: the config's, else the ALA default for the ALA keys the taxonomy has.
pub fn category_map(dsa: Option<&DsaConfig>, t: &Taxonomy) -> BTreeMap<String, String> {
    match dsa {
        Some(d) => d.category_map.clone(),
        None => ALA_CATEGORY_MAP
            .iter()
            .filter(|(k, _)| t.categories.iter().any(|c| c.key == *k))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

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

fn count(c: Count) -> String {
    c.map(|n| n.to_string()).unwrap_or_default()
}

fn float(f: Option<f64>) -> String {
    f.map(|x| x.to_string()).unwrap_or_default()
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
    (count(sum(map, keys)), parts)
}

fn cell(table: &'static str, key: &str, c: Count) -> (String, Vec<(&'static str, String)>) {
    (count(c), vec![(table, key.to_string())])
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
        "Cases the moderators acted on at their own initiative",
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
        .filter(|k| !map.contains_key(*k))
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
        (float(s.resolution_days.median), Vec::new()),
        "days",
    );
    for (k, v) in &s.by_action {
        let label = if k == UNASSIGNED {
            "No action recorded".to_string()
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
        (float(ap.median_days_to_decision), Vec::new()),
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
        (count(sp.temporary), temporary),
        "cases",
    );
    push(
        "suspensions",
        "full",
        "Full suspensions (termination of access)",
        (count(sp.full), full),
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
#[path = "tests/dsa.rs"]
mod tests;
