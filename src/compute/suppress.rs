//! Small-cell suppression (SPEC §7) on a computed Summary.
//!
//! Primary: a count in `1..min_cell` is withheld (shown as "< N"). Complementary: the
//! disclosure audit (`audit`) works out, by linear programming, what a reader can derive
//! about each withheld cell from every figure the report publishes and every linear relation
//! that holds in this period's data (`relations`); while some withheld cell can be pinned
//! down, the cheapest further cell is withheld (shown as "suppressed"). When even withholding
//! everything but the total leaves a cell derivable, the build stops rather than publish it.
//! Statistics computed over fewer than `min_cell` cases are withheld.

mod audit;
mod figures;
mod reader;
mod relations;

use std::collections::BTreeSet;

pub use audit::{Audit, Exposed, Inconsistent, Model};
pub use reader::{reader_audit, ReaderAudit, ReaderError, Withheld};

use crate::compute::aggregate::Support;
use crate::compute::recorded;
use crate::config::Config;
use crate::model::{Count, Counts, IncidentFigures, Summary, SuppressionReport};
use relations::Kind;

/// Table ids in report order (also the order of `SuppressionReport::tables`).
const TABLE_ORDER: [&str; 30] = [
    "cases",
    "by_platform",
    "by_moderation_level",
    "by_category",
    "by_category_group",
    "incidents.by_category",
    "incidents.by_category_group",
    "by_action",
    "incidents.by_action",
    "by_reporter_type",
    "by_channel",
    "by_referral",
    "by_handler",
    "incidents.by_handler",
    "incidents.by_platform",
    "incidents.by_moderation_level",
    "incidents.by_reporter_type",
    "people",
    "people.by_action",
    "suspensions",
    "resolution_days",
    "resolution_days.by_moderation_level",
    "resolution_days.histogram",
    "acknowledgement",
    "appeals",
    "appeals.by_outcome",
    "appeals.eligibility",
    "appeals.window",
    "monthly.reported",
    "monthly.resolved",
];

/// The suspension figures as the action table shows them: the sum of the listed actions'
/// cells, hidden when any of them is hidden (so they can never reveal a suppressed cell).
/// `fallback` is kept when the taxonomy lists none of the keys.
fn suspension_cells(by_action: &Counts, keys: &[&str], fallback: Count) -> Count {
    let cells: Vec<Count> = keys
        .iter()
        .filter_map(|k| by_action.get(*k).copied())
        .collect();
    if cells.is_empty() {
        return fallback;
    }
    cells.into_iter().sum()
}

/// Why a report cannot be published with the small cells protected.
#[derive(Debug, thiserror::Error)]
pub enum ProtectionError {
    #[error(
        "small-cell protection is impossible for this period: even with every non-zero count withheld but the total number of cases, a reader could still work out {cells}. Report over a longer period, or set a lower min_cell (0 publishes exact counts, and the report says so)"
    )]
    Impossible { cells: String },
    #[error(
        "the disclosure audit found a withheld cell that the published figures give away: {cells}"
    )]
    Exposed { cells: String },
}

impl From<ProtectionError> for crate::error::Error {
    fn from(e: ProtectionError) -> Self {
        crate::error::Error::Protection(Box::new(e))
    }
}

/// What `suppress` did, and what the audit needs to check the published report again.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub report: SuppressionReport,
    /// `None` when suppression is off (nothing is withheld).
    pub model: Option<Model>,
}

/// The first few exposed cells by name, small ones first (those are the ones at stake).
fn named(model: &Model, cells: &[(usize, i64)]) -> String {
    const SHOWN: usize = 5;
    let mut cells = cells.to_vec();
    cells.sort_by_key(|&(i, _)| (!model.small(i), i));
    let mut names: Vec<String> = cells
        .iter()
        .take(SHOWN)
        .map(|&(i, v)| format!("{} (= {v})", model.describe(i)))
        .collect();
    if cells.len() > SHOWN {
        names.push(format!("and {} more", cells.len() - SHOWN));
    }
    names.join(", ")
}

/// Withholds further cells until the audit finds none of the withheld ones exposed. Each
/// round protects the first exposed cell (in report order), so builds stay byte-identical.
fn protect(model: &Model, hidden: &mut [bool]) -> Result<(), ProtectionError> {
    // Withholding a cell only widens what a reader can say of the others, so a cell found
    // safe stays safe: each round re-checks only the exposed cells and the new one.
    let mut check: Vec<usize> = (0..hidden.len()).filter(|&i| hidden[i]).collect();
    loop {
        let fixed = model.withholding(hidden);
        let exposed =
            model
                .exposed(&fixed, &[], &check, true)
                .map_err(|_| ProtectionError::Exposed {
                    cells: "the exact figures contradict a relation (a bug)".into(),
                })?;
        let Some(&(e, _)) = exposed.first() else {
            return Ok(());
        };
        let Some(more) = model.cover(hidden, e) else {
            return Err(ProtectionError::Impossible {
                cells: named(model, &exposed),
            });
        };
        for &c in &more {
            hidden[c] = true;
        }
        check = exposed.iter().map(|&(i, _)| i).chain(more).collect();
        check.sort_unstable();
    }
}

/// What the report shows beside this period's counts, which the audit must see too.
#[derive(Debug, Default)]
pub struct Beside<'a> {
    /// The summary of the period before (the history shown beside this one).
    pub previous: Option<&'a Summary>,
    /// Figures published elsewhere as sums of cells (the DSA summary), by their parts.
    pub sums: Vec<Vec<(&'static str, String)>>,
    /// Columns no export has: their figures are never published, so the reader does not
    /// know them (they take part in the audit as unknowns, and are never withheld). The same
    /// holds for figures the settings rule out (no levels, no promise, no suspension actions).
    pub not_recorded: &'a [String],
    /// Cells (table, key) to withhold although they are not small: a site withholds them so
    /// that a cell withheld in an overlapping period cannot be worked out (`compute::overlap`).
    pub withhold: &'a [(String, String)],
}

/// Withholds small cells in place, then more until no withheld cell can be derived, and says
/// what it did. `min_cell` 0 or 1 turns suppression off.
pub fn suppress(
    s: &mut Summary,
    mut incidents: Option<&mut IncidentFigures>,
    support: &Support,
    config: &Config,
    beside: &Beside,
) -> Result<Suppressed, ProtectionError> {
    let min = config.min_cell;
    let mut report = SuppressionReport {
        min_cell: min,
        ..SuppressionReport::default()
    };
    if min <= 1 {
        return Ok(Suppressed {
            report,
            model: None,
        });
    }
    let small = |n: u64| n >= 1 && n < min;
    let tax = &config.taxonomy;

    let mut vars = relations::vars(s, incidents.as_deref(), support);
    let rels = relations::relations(&vars, tax, &config.appealable_levels, min);
    recorded::null(s, beside.not_recorded);
    recorded::null_not_applicable(s, config);
    recorded::null_left_out(s, incidents.as_deref_mut(), &config.report);
    let shown = relations::published(s, incidents.as_deref());
    for (v, shown) in vars.iter_mut().zip(shown) {
        if v.kind == Kind::Cell && shown.is_none() {
            v.kind = Kind::Latent;
        }
    }
    let model = Model::new(vars, rels, min, tax, &beside.sums, beside.previous);
    let mut hidden: Vec<bool> = (0..model.vars.len())
        .map(|i| {
            let v = &model.vars[i];
            model.small(i)
                || (v.kind == Kind::Cell
                    && beside
                        .withhold
                        .iter()
                        .any(|(t, k)| v.table == t.as_str() && v.key == *k))
        })
        .collect();
    protect(&model, &mut hidden)?;

    let mut notes: BTreeSet<&str> = BTreeSet::new();
    let temporary_keys = tax.temporary_suspension_actions();
    let full_keys = tax.full_suspension_actions();
    let temporary_small = temporary_keys
        .iter()
        .filter_map(|k| s.by_action.get(*k).copied().flatten())
        .sum::<u64>();
    let temporary_small = small(temporary_small);
    for (i, (table, key, v)) in relations::slots(s, incidents.as_deref_mut())
        .into_iter()
        .enumerate()
    {
        if hidden[i] {
            *v = None;
            notes.insert(table);
            if model.small(i) {
                report.primary += 1;
            } else {
                report.complementary += 1;
                report.complementary_cells.insert(format!("{table}/{key}"));
            }
        }
    }
    let count = |table: &str, key: &str| -> u64 {
        model
            .vars
            .iter()
            .find(|v| v.table == table && v.key == key)
            .map_or(0, |v| v.value)
    };

    // Temporary and full suspensions repeat cells of the action table: keep them in step.
    s.suspensions.temporary =
        suspension_cells(&s.by_action, &temporary_keys, s.suspensions.temporary);
    s.suspensions.full = suspension_cells(&s.by_action, &full_keys, s.suspensions.full);
    if s.suspensions.temporary.is_none() || s.suspensions.full.is_none() {
        notes.insert("suspensions");
    }
    let mut withhold = |table: &'static str, fields: &mut [&mut Option<f64>]| {
        if fields.iter().any(|f| f.is_some()) {
            for f in fields.iter_mut() {
                **f = None;
            }
            notes.insert(table);
        }
    };
    if support.suspension_days < min || temporary_small {
        withhold("suspensions", &mut [&mut s.suspensions.median_days]);
    }
    let r = &mut s.resolution_days;
    if count("resolution_days", "count") < min {
        withhold(
            "resolution_days",
            &mut [&mut r.median, &mut r.p90, &mut r.mean],
        );
    }
    for (k, lv) in r.by_moderation_level.iter_mut() {
        if count("resolution_days.by_moderation_level", k) < min {
            withhold(
                "resolution_days.by_moderation_level",
                &mut [&mut lv.median, &mut lv.p90],
            );
        }
    }
    let a = &mut s.acknowledgement;
    if a.met.is_none() {
        withhold("acknowledgement", &mut [&mut a.rate]);
    }
    if support.acknowledged < min {
        withhold("acknowledgement", &mut [&mut a.median_hours]);
    }
    let ap = &mut s.appeals;
    let decided_hidden = ["upheld", "overturned", "modified"]
        .iter()
        .any(|k| ap.by_outcome.get(*k).is_some_and(|v| v.is_none()));
    if decided_hidden {
        withhold("appeals.by_outcome", &mut [&mut ap.reversal_rate]);
    }
    if support.appeals_decided < min {
        withhold("appeals", &mut [&mut ap.median_days_to_decision]);
    }
    report.tables = TABLE_ORDER
        .iter()
        .filter(|t| notes.contains(*t))
        .map(|t| t.to_string())
        .collect();

    // The proof the methodology states: the report as it will be published, with every
    // figure built from its cells.
    let audit = model
        .check(s, incidents.as_deref())
        .map_err(|_| ProtectionError::Exposed {
            cells: "the published figures contradict a relation (a bug)".into(),
        })?;
    if !audit.exposed.is_empty() {
        let cells: Vec<String> = audit
            .exposed
            .iter()
            .map(|e| format!("{} (= {})", e.cell, e.value))
            .collect();
        return Err(ProtectionError::Exposed {
            cells: cells.join(", "),
        });
    }
    report.audit = Some(crate::model::AuditFigures {
        published_figures: audit.figures as u64,
        relations: audit.relations as u64,
    });
    Ok(Suppressed {
        report,
        model: Some(model),
    })
}

/// The data file that states what suppression withheld and what the audit proved.
pub const DISCLOSURE_FILE: &str = "data/disclosure.json";

/// `data/disclosure.json`: the methodology's suppression figures, machine-readable.
#[derive(serde::Serialize)]
struct Disclosure {
    schema_version: u32,
    min_cell: u64,
    /// Small counts withheld (shown as "< min_cell").
    withheld_small: u64,
    /// Further counts withheld so that the small ones cannot be derived (shown as "suppressed").
    withheld_to_protect: u64,
    /// Where those are, as paths into `summary.json` (or `incidents.json` for `incidents.*`).
    withheld_to_protect_cells: Vec<String>,
    audit: Option<DisclosureAudit>,
}

#[derive(serde::Serialize)]
struct DisclosureAudit {
    method: &'static str,
    published_figures: u64,
    relations: u64,
    derivable_cells: u64,
}

pub fn disclosure_json(r: &SuppressionReport) -> Vec<u8> {
    let d = Disclosure {
        schema_version: 1,
        min_cell: r.min_cell,
        withheld_small: r.primary,
        withheld_to_protect: r.complementary,
        withheld_to_protect_cells: r
            .complementary_cells
            .iter()
            .map(|id| match id.split_once('/') {
                Some((table, key)) => audit::cell_path(table, key),
                None => id.clone(),
            })
            .collect(),
        audit: r.audit.map(|a| DisclosureAudit {
            method: "linear programming: the smallest and largest value of each withheld cell given every published figure and every relation",
            published_figures: a.published_figures,
            relations: a.relations,
            derivable_cells: 0,
        }),
    };
    // A struct of strings and integers always serialises.
    let mut out = serde_json::to_vec_pretty(&d).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `table/key` ids of the cells hidden as complements, for "suppressed" (not "< N") display.
pub fn is_complementary(report: &SuppressionReport, table: &str, key: &str) -> bool {
    report
        .complementary_cells
        .contains(&format!("{table}/{key}"))
}

#[cfg(test)]
mod tests;
