//! The typed result of a build: every SPEC §5 figure, in publication order.
//!
//! `Summary` is the single contract between computing (aggregate, suppress) and presenting
//! (chart, render, data files, verify). Its serde form *is* `data/summary.json` (schema 2),
//! so field order here is the published key order.
//!
//! A `Count` is `None` when small-cell suppression hid it; a float is `None` when the
//! figure is "n/a" (zero denominator, no values) or withheld.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Schema 2 added `not_recorded`; schema 1 files (without it) still read, as all recorded.
/// Schema 3 added `by_handler` and `people` (`null` when the export has no `handled_by`,
/// `person_ref` column); schema 1 and 2 files read with them `null` and not recorded.
/// Schema 4 added `cases.carried_over` and `left_out` (the sections the config leaves out,
/// whose figures are `null`); earlier files read with neither.
/// Schema 5 added `by_channel` and `by_referral` (`null` when the export has no `channel`,
/// `referred_to` column); earlier files read with them `null` and not recorded.
pub const SCHEMA_VERSION: u32 = 5;
/// Every schema `history` reads.
pub const SCHEMA_VERSIONS: [u32; 5] = [1, 2, 3, 4, 5];
/// `data/incidents.json` kept its shape when summary.json went to schema 2.
pub const INCIDENTS_SCHEMA_VERSION: u32 = 1;
/// Schema 2 of `data/incidents.json` adds `by_action` and `by_handler`, written when the
/// config counts by incident (`[incidents] count_categories_by = "incidents"`); a file without
/// them stays schema 1.
pub const INCIDENTS_SCHEMA_VERSION_TABLES: u32 = 2;
/// Schema 3 adds `by_platform`, `by_moderation_level` and `by_reporter_type` (same rule).
pub const INCIDENTS_SCHEMA_VERSION_ALL_TABLES: u32 = 3;

/// The optional export columns a figure of summary.json rests on, in SPEC §3 order
/// (`incident_id` has its own file, `incidents.json`, written only when it is recorded).
pub const OPTIONAL_FACTS: [&str; 16] = [
    "platform",
    "moderation_level",
    "reporter_type",
    "action",
    "suspension_days",
    "interim_suspension",
    "acknowledged_at",
    "resolved_at",
    "decision_communicated_at",
    "appeal_filed_at",
    "appeal_decided_at",
    "appeal_outcome",
    "handled_by",
    "person_ref",
    "channel",
    "referred_to",
];

/// Facts that add a table of their own when recorded: the report names the export's other
/// unrecorded facts once, but not these (most exports never have them, and no figure of the
/// report would otherwise rest on them).
pub const ADDED_FACTS: [&str; 4] = ["handled_by", "person_ref", "channel", "referred_to"];

/// The facts a summary of `schema` can record: a file of an earlier schema records none of
/// those added since (schema 3 added the first two of `ADDED_FACTS`, schema 5 the others).
pub fn facts_added_after(schema: u32) -> &'static [&'static str] {
    match schema {
        0..=2 => &ADDED_FACTS,
        3 | 4 => &ADDED_FACTS[2..],
        _ => &[],
    }
}

/// A published count: `None` = suppressed.
pub type Count = Option<u64>;

/// Ordered `key → count`, in taxonomy order (never hash order).
pub type Counts = IndexMap<String, Count>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub schema_version: u32,
    pub period: PeriodInfo,
    pub rows: Rows,
    pub cases: CaseTotals,
    pub by_platform: Counts,
    pub by_moderation_level: Counts,
    pub by_category: Counts,
    pub by_category_group: Counts,
    pub by_action: Counts,
    pub by_reporter_type: Counts,
    /// How the reports arrived (schema 5): each case under its `channel` key, `unassigned`
    /// when empty; `null` when the export has no `channel` column.
    #[serde(default)]
    pub by_channel: Option<Counts>,
    /// Cases referred to the police or another body (schema 5): each case under its
    /// `referred_to` key, `not_referred` when empty; `null` when the export has no
    /// `referred_to` column. Never crossed with any other fact of the case.
    #[serde(default)]
    pub by_referral: Option<Counts>,
    /// Who handled the cases (schema 3): `null` when the export has no `handled_by` column.
    #[serde(default)]
    pub by_handler: Option<Counts>,
    /// The people reported (schema 3): `null` when the export has no `person_ref` column.
    #[serde(default)]
    pub people: Option<People>,
    pub suspensions: Suspensions,
    pub resolution_days: Resolution,
    pub acknowledgement: Acknowledgement,
    pub appeals: Appeals,
    pub monthly: Vec<Month>,
    /// Columns of `OPTIONAL_FACTS` that no export has: every figure resting on one is `null`.
    #[serde(default)]
    pub not_recorded: Vec<String>,
    /// Sections of the report the config leaves out (`[report] sections`, schema 4): their
    /// figures are `null` although the export may record them.
    #[serde(default)]
    pub left_out: Vec<String>,
}

impl Summary {
    /// Whether the export records `column` (a schema 1 summary records everything).
    pub fn recorded(&self, column: &str) -> bool {
        !self.not_recorded.iter().any(|c| c == column)
    }

    /// Whether the report has `section` (schema 4 `left_out`; `section` is its config key).
    pub fn shows(&self, section: &str) -> bool {
        !self.left_out.iter().any(|c| c == section)
    }
}

/// Distinct people among the period's cases, by their (hashed) `person_ref`: a case without
/// one names nobody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// Distinct people named in the period's cases.
    pub named: Count,
    /// Distinct people per action key (and `unassigned`): a person counts once under each
    /// action any of their cases of the period got. `null` values when no export records
    /// `action`.
    pub by_action: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodInfo {
    pub label: String,
    /// `YYYY-MM-DD`, inclusive.
    pub start: String,
    /// `YYYY-MM-DD`, inclusive.
    pub end: String,
    pub timezone: String,
}

/// Row accounting; never suppressed (they describe the export, not people).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rows {
    pub read: u64,
    pub counted: u64,
    pub rejected: u64,
    pub outside_period: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseTotals {
    pub total: Count,
    /// Cases of the period whose decision was taken by the period end.
    pub resolved: Count,
    pub open_at_period_end: Count,
    /// Cases reported before the period and decided in it (schema 4): the work the period
    /// inherited. `null` without a decision column, or in a file of an earlier schema.
    #[serde(default)]
    pub carried_over: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suspensions {
    pub temporary: Count,
    pub full: Count,
    pub interim: Count,
    pub median_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    pub count: Count,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
    pub by_moderation_level: IndexMap<String, LevelResolution>,
    pub histogram: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelResolution {
    pub count: Count,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    pub met: Count,
    pub rate: Option<f64>,
    pub median_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appeals {
    pub filed: Count,
    pub by_outcome: Counts,
    pub eligible: Count,
    pub not_eligible: Count,
    pub timely: Count,
    pub late: Count,
    pub window_unknown: Count,
    pub reversal_rate: Option<f64>,
    pub median_days_to_decision: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub reported: Count,
    pub resolved: Count,
}

/// Reports vs incidents, published as `data/incidents.json` when the export has an
/// `incident_id` column (summary.json keeps its schema: its category counts are per report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentFigures {
    pub schema_version: u32,
    pub period: PeriodInfo,
    /// `reports` or `incidents`: what the report's figure of sections counts (config).
    pub categories_counted_by: String,
    /// Reports received in the period (= `cases.total` of summary.json).
    pub reports: u64,
    /// Distinct incidents among them; a report without an `incident_id` is one of its own.
    pub incidents: u64,
    /// Incidents per section: once in each section any of its period's reports cites.
    pub by_category: Counts,
    /// Incidents per group of sections, once per group.
    pub by_category_group: Counts,
    /// Incidents per action (schema 2): once under each action any of its period's reports
    /// got, as the PSF counts outcomes per issue. Absent unless the config counts by incident
    /// and an export records `action`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_action: Option<Counts>,
    /// Incidents per handler (schema 2), once under each; absent unless the config counts by
    /// incident and an export records `handled_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_handler: Option<Counts>,
    /// Incidents per platform, moderation level and reporter type (schema 3), once under each
    /// any of its period's reports has; absent unless the config counts by incident and an
    /// export records the column (and, for levels, the taxonomy has levels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_platform: Option<Counts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_moderation_level: Option<Counts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_reporter_type: Option<Counts>,
}

/// Histogram bin keys of `resolution_days.histogram`, in order, with their bounds in days.
pub const RESOLUTION_BINS: [(&str, f64, f64); 5] = [
    ("0-1", 0.0, 1.0),
    ("1-7", 1.0, 7.0),
    ("7-30", 7.0, 30.0),
    ("30-90", 30.0, 90.0),
    ("90+", 90.0, f64::INFINITY),
];

/// The keys of `by_reporter_type` and `appeals.by_outcome` are the export's own enums.
pub use crate::schema::{APPEAL_OUTCOMES, REPORTER_TYPES};
pub const UNASSIGNED: &str = "unassigned";
/// The key of `by_referral` for the cases with an empty `referred_to` cell.
pub const NOT_REFERRED: &str = "not_referred";

/// Rounds to the published precision (4 decimals) so every output shows the same figure.
pub fn round4(x: f64) -> f64 {
    let r = (x * 10_000.0).round() / 10_000.0;
    // -0.0 would print as "-0.0"; a figure is never negative zero.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// What the suppression pass did, for the methodology section (not part of summary.json).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SuppressionReport {
    pub min_cell: u64,
    /// Human names of the tables where at least one cell was hidden, in report order.
    pub tables: Vec<String>,
    /// Number of cells hidden because they were small.
    pub primary: u64,
    /// Number of extra cells hidden so that the disclosure audit finds no withheld cell a
    /// reader can work out.
    pub complementary: u64,
    /// `table/key` of each complementary cell: shown as "suppressed", not "< N", since its
    /// true value may be large.
    pub complementary_cells: std::collections::BTreeSet<String>,
    /// The size of the disclosure audit that found no withheld cell derivable (`None` when
    /// suppression is off).
    pub audit: Option<AuditFigures>,
}

/// How much the disclosure audit took into account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AuditFigures {
    /// Published figures: counts, and the figures built from several of them.
    pub published_figures: u64,
    /// Linear relations between the counts that hold in the period's data.
    pub relations: u64,
}

#[cfg(test)]
mod tests;
