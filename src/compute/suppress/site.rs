//! The disclosure audit of a whole site (`build --periods`, SPEC §7, issue 17): one linear
//! program whose unknowns are every period's counts (each period's own, namespaced by its
//! label), with each period's own relations and published figures, and the relations that tie
//! the periods together:
//!
//! - A count of cases by a fact of the case (the tables of `ADDITIVE`, and the single counts of
//!   `ADDITIVE_ONE`) is counted in the period the case was reported in. So where shorter
//!   periods of the site tile a longer one day for day (a year and its halves, a half and its
//!   quarters), the long period's cell is the sum of the parts' cells; and a period inside
//!   another never counts more than it.
//! - A month is the same month in every period that contains it: its reported cases are
//!   equal. Its resolved cases are those of the period's cases resolved in it: equal between
//!   two periods that start on the same day, never more in the one that starts later (it has
//!   fewer of the earlier cases).
//! - Distinct incidents and people (`DISTINCT`) are not additive: an incident reported in both
//!   halves counts once in the year and once in each half. What holds is that the long
//!   period has at least the part's and at most the sum of the parts'.
//!
//! Not tied across periods: the cases resolved or open at the period end and those carried
//! over (they depend on where the period ends), medians and rates (not linear), the latent
//! counts behind the medians, and the backlog.
//!
//! The site's own files (the index's series, `data/figures.csv`) restate each period's
//! published counts and add none; each period's comparison with the earlier ones (its history)
//! is among its published figures already.
//!
//! The build knows the exact counts and keeps a candidate relation only where it holds (a
//! relation that does not hold would be a bug in this list, and a reader could not use it);
//! `verify` without the export takes the relations as known by construction.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::audit::{Audit, Exposed, Inconsistent, Model};
use super::figures::Published;
use super::relations::{Kind, Row, Var};
use super::ProtectionError;
use crate::model::{IncidentFigures, Summary};

/// Tables counted once per case of the period, by a fact of the case: additive over a tiling.
const ADDITIVE: [&str; 9] = [
    "by_platform",
    "by_moderation_level",
    "by_category",
    "by_category_group",
    "by_action",
    "by_reporter_type",
    "by_channel",
    "by_referral",
    "appeals.by_outcome",
];

/// More counts of the period's cases that add up the same way; the build checks each against
/// the data (a decision or appeal is counted with the case however late it came). Not used
/// by `verify` without the export, which keeps to the tables above.
const ADDITIVE_CHECKED: [&str; 6] = [
    "by_handler",
    "appeals.eligibility",
    "appeals.window",
    "resolution_days.histogram",
    "resolution_days.by_moderation_level",
    "people.by_action",
];

/// Single counts of the period's cases, additive the same way (checked by the build).
const ADDITIVE_ONE: [(&str, &str); 5] = [
    ("cases", "total"),
    ("appeals", "filed"),
    ("resolution_days", "count"),
    ("acknowledgement", "met"),
    ("suspensions", "interim"),
];

/// Distinct things (incidents, people) counted in each period where one of their cases is:
/// a longer period has at least a part's and at most the parts' sum.
const DISTINCT: [&str; 7] = [
    "incidents.by_category",
    "incidents.by_category_group",
    "incidents.by_action",
    "incidents.by_handler",
    "incidents.by_platform",
    "incidents.by_moderation_level",
    "incidents.by_reporter_type",
];
const DISTINCT_ONE: [(&str, &str); 2] = [("incidents", "incidents"), ("people", "named")];

/// One period of a site as the audit sees it: its model (counts and relations) and what it
/// publishes.
pub struct SitePeriod<'a> {
    pub label: &'a str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    model: &'a Model,
    published: Published,
}

impl<'a> SitePeriod<'a> {
    /// A period as built: `model` is its disclosure audit's, `summary` and `incidents` as
    /// published.
    pub fn new(
        label: &'a str,
        (start, end): (NaiveDate, NaiveDate),
        model: &'a Model,
        summary: &Summary,
        incidents: Option<&IncidentFigures>,
    ) -> SitePeriod<'a> {
        SitePeriod {
            label,
            start,
            end,
            model,
            published: model.published(summary, incidents),
        }
    }

    /// A period whose published counts are given directly (`fixed`, in `model`'s order).
    #[cfg(test)]
    pub(super) fn with_fixed(
        label: &'a str,
        (start, end): (NaiveDate, NaiveDate),
        model: &'a Model,
        fixed: Vec<Option<f64>>,
    ) -> SitePeriod<'a> {
        let count = fixed.iter().filter(|f| f.is_some()).count();
        SitePeriod {
            label,
            start,
            end,
            model,
            published: Published {
                fixed,
                figures: Vec::new(),
                count,
            },
        }
    }
}

/// Every period's counts in one model, and what the site publishes of them.
pub(super) struct Joined {
    pub model: Model,
    pub fixed: Vec<Option<f64>>,
    pub figures: Vec<Row>,
    pub count: usize,
    /// How many relations tie periods together.
    pub across: usize,
    /// The period of each count, by index into the site's periods.
    period_of: Vec<usize>,
}

/// The relations the periods share. `exact`: the counts' values are the exact ones (a build),
/// so a candidate that does not hold is dropped; otherwise each is taken as known.
fn across(periods: &[SitePeriod], offsets: &[usize], vars: &[Var], exact: bool) -> Vec<Row> {
    let index: Vec<HashMap<(&str, &str), usize>> = periods
        .iter()
        .zip(offsets)
        .map(|(p, &off)| {
            p.model
                .vars
                .iter()
                .enumerate()
                .map(|(i, v)| ((v.table, v.key.as_str()), off + i))
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    // Σ terms ≤ 0 (`equation`: = 0).
    let mut keep = |terms: Vec<(usize, f64)>, equation: bool| {
        if exact {
            let value: f64 = terms.iter().map(|&(i, c)| c * vars[i].value as f64).sum();
            if value > 0.0 || (equation && value != 0.0) {
                return;
            }
        }
        rows.push(Row {
            terms,
            lo: if equation { 0.0 } else { f64::NEG_INFINITY },
            hi: 0.0,
        });
    };
    let tables: Vec<&str> = if exact {
        ADDITIVE.iter().chain(&ADDITIVE_CHECKED).copied().collect()
    } else {
        ADDITIVE.to_vec()
    };
    // The cells of `p` of the tables `tables` and single counts `ones`: (table, key, index).
    let cells =
        |p: usize, tables: &[&str], ones: &[(&str, &str)]| -> Vec<(String, String, usize)> {
            let off = offsets[p];
            periods[p]
                .model
                .vars
                .iter()
                .enumerate()
                .filter(|(_, v)| {
                    tables.contains(&v.table)
                        || ones.iter().any(|&(t, k)| t == v.table && k == v.key)
                })
                .map(|(i, v)| (v.table.to_string(), v.key.clone(), off + i))
                .collect()
        };
    let ones: &[(&str, &str)] = if exact {
        &ADDITIVE_ONE
    } else {
        &ADDITIVE_ONE[..1]
    };
    for (long, parts) in tilings(periods) {
        // The cell (t, k) in every part, or None when a part lacks it.
        let in_parts = |t: &str, k: &str| -> Option<Vec<usize>> {
            parts
                .iter()
                .map(|&j| index[j].get(&(t, k)).copied())
                .collect()
        };
        // Additive: long = Σ parts, where every part has the cell.
        for (t, k, l) in cells(long, &tables, ones) {
            let Some(bits) = in_parts(&t, &k) else {
                continue;
            };
            let terms = bits.iter().map(|&b| (b, 1.0)).chain([(l, -1.0)]).collect();
            keep(terms, true);
        }
        // Distinct: long ≤ Σ parts.
        for (t, k, l) in cells(long, &DISTINCT, &DISTINCT_ONE) {
            let Some(bits) = in_parts(&t, &k) else {
                continue;
            };
            let terms = bits.iter().map(|&b| (b, -1.0)).chain([(l, 1.0)]).collect();
            keep(terms, false);
        }
    }
    for (a, pa) in periods.iter().enumerate() {
        for (b, pb) in periods.iter().enumerate() {
            if a == b || pb.start > pa.start || pb.end < pa.end {
                continue;
            }
            let same = (pa.start, pa.end) == (pb.start, pb.end);
            if same && b < a {
                continue;
            }
            // `a` lies inside `b` (or is the same days): a part never counts more.
            let inside = [&tables[..], &DISTINCT[..]].concat();
            let single = [ones, &DISTINCT_ONE[..]].concat();
            for (t, k, i) in cells(a, &inside, &single) {
                if let Some(&j) = index[b].get(&(t.as_str(), k.as_str())) {
                    keep(vec![(i, 1.0), (j, -1.0)], same);
                }
            }
        }
    }
    // Months two periods share.
    for a in 0..periods.len() {
        for b in 0..periods.len() {
            if a == b {
                continue;
            }
            for (_, month, i) in cells(a, &["monthly.reported", "monthly.resolved"], &[]) {
                let table = periods[a].model.vars[i - offsets[a]].table;
                let Some(&j) = index[b].get(&(table, month.as_str())) else {
                    continue;
                };
                let (sa, sb) = (periods[a].start, periods[b].start);
                if table == "monthly.reported" || sa == sb {
                    if a < b {
                        keep(vec![(i, 1.0), (j, -1.0)], true);
                    }
                } else if sa > sb {
                    // `a` starts later: of the cases resolved in the month, it has only those
                    // reported since its start.
                    keep(vec![(i, 1.0), (j, -1.0)], false);
                }
            }
        }
    }
    rows
}

/// The shorter periods of `periods` that tile a longer one exactly, by index: periods of
/// about the same length inside it, contiguous, from its first day to its last.
fn tilings(periods: &[SitePeriod]) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for (i, long) in periods.iter().enumerate() {
        // Group the periods inside `long` by length in months, and try each group.
        let mut by_len: std::collections::BTreeMap<i64, Vec<usize>> = Default::default();
        for (j, p) in periods.iter().enumerate() {
            if j != i
                && p.start >= long.start
                && p.end <= long.end
                && (p.start, p.end) != (long.start, long.end)
            {
                by_len
                    .entry(((p.end - p.start).num_days() + 15) / 30)
                    .or_default()
                    .push(j);
            }
        }
        for (_, mut parts) in by_len {
            parts.sort_by_key(|&j| (periods[j].start, j));
            parts.dedup_by_key(|j| (periods[*j].start, periods[*j].end));
            let contiguous = parts
                .windows(2)
                .all(|w| periods[w[0]].end.succ_opt() == Some(periods[w[1]].start));
            if contiguous
                && parts.first().map(|&j| periods[j].start) == Some(long.start)
                && parts.last().map(|&j| periods[j].end) == Some(long.end)
            {
                out.push((i, parts));
            }
        }
    }
    out
}

impl Joined {
    pub(super) fn new(periods: &[SitePeriod], exact: bool) -> Joined {
        let mut vars: Vec<Var> = Vec::new();
        let (mut relations, mut totals, mut labels) = (Vec::new(), Vec::new(), Vec::new());
        let (mut fixed, mut figures, mut count) = (Vec::new(), Vec::new(), 0);
        let (mut offsets, mut period_of) = (Vec::new(), Vec::new());
        for (n, p) in periods.iter().enumerate() {
            let off = vars.len();
            offsets.push(off);
            let shift = |r: &Row| Row {
                terms: r.terms.iter().map(|&(i, c)| (off + i, c)).collect(),
                lo: r.lo,
                hi: r.hi,
            };
            let m = p.model;
            vars.extend(m.vars.iter().cloned());
            relations.extend(m.relations.iter().map(shift));
            totals.extend(m.totals.iter().copied());
            labels.extend(m.vars.iter().map(|_| p.label.to_string()));
            period_of.extend(m.vars.iter().map(|_| n));
            fixed.extend(p.published.fixed.iter().copied());
            figures.extend(p.published.figures.iter().map(shift));
            count += p.published.count;
        }
        let rows = across(periods, &offsets, &vars, exact);
        let across = rows.len();
        relations.extend(rows);
        let (min, tax) = match periods.first() {
            Some(p) => (p.model.min_cell, p.model.tax.clone()),
            None => (0, crate::config::Taxonomy::ala()),
        };
        let mut model = Model::new(vars, relations, min, &tax, &[], None);
        model.totals = totals;
        model.periods = labels;
        Joined {
            model,
            fixed,
            figures,
            count,
            across,
            period_of,
        }
    }

    /// The withheld cells, flagged.
    fn hidden(&self) -> Vec<bool> {
        self.fixed
            .iter()
            .zip(&self.model.vars)
            .map(|(f, v)| f.is_none() && v.kind == Kind::Cell)
            .collect()
    }

    /// A reader's audit of every withheld cell of the site as published.
    pub(super) fn audit(&self, truth_holds: bool) -> Result<Vec<Exposed>, Inconsistent> {
        let hidden = self.hidden();
        let targets: Vec<usize> = (0..hidden.len()).filter(|&i| hidden[i]).collect();
        Ok(self
            .model
            .exposed(&self.fixed, &self.figures, &targets, truth_holds)?
            .into_iter()
            .map(|(i, value)| Exposed {
                cell: self.model.describe(i),
                value,
            })
            .collect())
    }
}

/// What the site audit of a build found.
#[derive(Debug, Clone, PartialEq)]
pub enum SiteProtection {
    /// No withheld cell of any period can be worked out from the whole site.
    Safe(SiteAudit),
    /// Cells to withhold further, as (period label, table, key), before building again.
    Withhold(Vec<(String, String, String)>),
}

/// The figures of a site audit that proved every withheld cell protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteAudit {
    pub figures: usize,
    pub relations: usize,
    /// Of `relations`, those between periods.
    pub across: usize,
    pub withheld: usize,
}

/// The site audit of a build: every period's withheld cells against everything the site
/// publishes and every relation within and between periods. Where some cell can be worked
/// out, names the cheapest published cells to withhold (the single-report audit's `cover`
/// over the whole site, round after round until none is exposed); fails when even withholding
/// every count would leave one exposed.
pub fn protect_site(periods: &[SitePeriod]) -> Result<SiteProtection, ProtectionError> {
    let joined = Joined::new(periods, true);
    let before = joined.hidden();
    let mut hidden = before.clone();
    super::protect(&joined.model, &mut hidden).map_err(|e| match e {
        ProtectionError::Impossible { cells } => ProtectionError::Site { cells },
        other => other,
    })?;
    let more: Vec<(String, String, String)> = (0..hidden.len())
        .filter(|&i| hidden[i] && !before[i])
        .map(|i| {
            let v = &joined.model.vars[i];
            (
                periods[joined.period_of[i]].label.to_string(),
                v.table.to_string(),
                v.key.clone(),
            )
        })
        .collect();
    if !more.is_empty() {
        return Ok(SiteProtection::Withhold(more));
    }
    // The proof over the site as published, with every figure built from the cells.
    let exposed = joined.audit(true).map_err(|_| ProtectionError::Exposed {
        cells: "the published figures of the site contradict a relation (a bug)".into(),
    })?;
    if !exposed.is_empty() {
        let cells: Vec<String> = exposed
            .iter()
            .map(|e| format!("{} (= {})", e.cell, e.value))
            .collect();
        return Err(ProtectionError::Exposed {
            cells: cells.join(", "),
        });
    }
    Ok(SiteProtection::Safe(SiteAudit {
        figures: joined.count,
        relations: joined.model.relation_count(),
        across: joined.across,
        withheld: before.iter().filter(|&&h| h).count(),
    }))
}

/// The site audit as a reader without the export runs it: `audit` over the published
/// counts, with the relations known by construction.
pub(super) fn reader_site_audit(periods: &[SitePeriod]) -> Result<(Audit, usize), Inconsistent> {
    let joined = Joined::new(periods, false);
    let exposed = joined.audit(false)?;
    Ok((
        Audit {
            figures: joined.count,
            relations: joined.model.relation_count(),
            exposed,
        },
        joined.across,
    ))
}

#[cfg(test)]
mod tests;
