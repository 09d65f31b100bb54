//! Small-cell suppression (SPEC §7) on a computed Summary.
//!
//! 615 lines: the old interval-propagation pass, which issue 16's LP audit replaces; kept whole
//! until that lands rather than split twice.
//!
//! Primary: a count in `1..min_cell` is hidden. Complementary: every published count takes
//! part in *relations* a reader can see (a table adds up to the total of cases, the monthly
//! resolved counts add up to the resolved cases, a level's resolved cases repeat that level's
//! cases, …). Cells are hidden until, in every relation, either nothing is hidden or
//! (a) at least two cells are hidden, so no single one follows by subtraction, and
//! (b) when the relation's total is published, every value from 1 to `min_cell - 1` stays
//! possible for each small hidden cell, even for a reader who knows that a complementary
//! cell is 0 or at least `min_cell` (so `1 + 1 = 2` or `1 + 3 = 4` cannot give a cell away).
//! Relations that chain through a hidden total (total = open + Σ monthly resolved) are
//! checked as well, and interval propagation over all relations at once hides more cells
//! while a small cell's possible values can still be narrowed (see `exposed` for its limits).
//! Statistics computed over fewer than `min_cell` cases are withheld.

use std::collections::{BTreeSet, HashMap};

use crate::compute::aggregate::Support;
use crate::config::Taxonomy;
use crate::model::{Count, Counts, IncidentFigures, Summary, SuppressionReport};

/// Table ids in report order (also the order of `SuppressionReport::tables`).
const TABLE_ORDER: [&str; 20] = [
    "cases",
    "by_platform",
    "by_moderation_level",
    "by_category",
    "by_category_group",
    "incidents.by_category",
    "incidents.by_category_group",
    "by_action",
    "by_reporter_type",
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

#[derive(Debug, Clone)]
struct Cell {
    table: &'static str,
    key: String,
    value: u64,
    hidden: bool,
    primary: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Total {
    /// The grand total of cases: always published.
    Fixed,
    /// Another cell of the summary, which may be hidden itself.
    Cell(usize),
}

/// `total = Σ parts` as a reader can see it (some relations only hold approximately in the
/// data, e.g. a level's resolved cases ≤ its cases; they are protected as if exact).
#[derive(Debug, Clone)]
struct Relation {
    total: Total,
    parts: Vec<usize>,
}

type Slot<'a> = (&'static str, String, &'a mut Count);

/// Every suppressible count of the summary (and of the incident figures), in report order.
fn slots<'a>(s: &'a mut Summary, inc: Option<&'a mut IncidentFigures>) -> Vec<Slot<'a>> {
    let mut out: Vec<Slot<'_>> = Vec::new();
    out.push(("cases", "resolved".into(), &mut s.cases.resolved));
    out.push((
        "cases",
        "open_at_period_end".into(),
        &mut s.cases.open_at_period_end,
    ));
    let mut tables = vec![
        ("by_platform", &mut s.by_platform),
        ("by_moderation_level", &mut s.by_moderation_level),
        ("by_category", &mut s.by_category),
        ("by_category_group", &mut s.by_category_group),
    ];
    if let Some(i) = inc {
        tables.push(("incidents.by_category", &mut i.by_category));
        tables.push(("incidents.by_category_group", &mut i.by_category_group));
    }
    tables.push(("by_action", &mut s.by_action));
    tables.push(("by_reporter_type", &mut s.by_reporter_type));
    for (table, m) in tables {
        for (k, v) in m.iter_mut() {
            out.push((table, k.clone(), v));
        }
    }
    out.push(("suspensions", "interim".into(), &mut s.suspensions.interim));
    let r = &mut s.resolution_days;
    out.push(("resolution_days", "count".into(), &mut r.count));
    for (k, lv) in r.by_moderation_level.iter_mut() {
        out.push((
            "resolution_days.by_moderation_level",
            k.clone(),
            &mut lv.count,
        ));
    }
    for (k, v) in r.histogram.iter_mut() {
        out.push(("resolution_days.histogram", k.clone(), v));
    }
    out.push(("acknowledgement", "met".into(), &mut s.acknowledgement.met));
    let a = &mut s.appeals;
    out.push(("appeals", "filed".into(), &mut a.filed));
    for (k, v) in a.by_outcome.iter_mut() {
        out.push(("appeals.by_outcome", k.clone(), v));
    }
    out.push(("appeals.eligibility", "eligible".into(), &mut a.eligible));
    out.push((
        "appeals.eligibility",
        "not_eligible".into(),
        &mut a.not_eligible,
    ));
    out.push(("appeals.window", "timely".into(), &mut a.timely));
    out.push(("appeals.window", "late".into(), &mut a.late));
    out.push((
        "appeals.window",
        "window_unknown".into(),
        &mut a.window_unknown,
    ));
    let mut resolved = Vec::new();
    for m in s.monthly.iter_mut() {
        out.push(("monthly.reported", m.month.clone(), &mut m.reported));
        resolved.push(("monthly.resolved", m.month.clone(), &mut m.resolved));
    }
    out.extend(resolved);
    out
}

/// The relations a reader can see between the cells of `cells`.
fn relations(cells: &[Cell], tax: &Taxonomy) -> Vec<Relation> {
    let index: HashMap<(&str, &str), usize> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.table, c.key.as_str()), i))
        .collect();
    let at = |table: &str, key: &str| index.get(&(table, key)).copied();
    let table = |t: &str| -> Vec<usize> {
        cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.table == t)
            .map(|(i, _)| i)
            .collect()
    };
    let mut rels = Vec::new();
    let mut push = |total: Option<Total>, parts: Vec<usize>| {
        if let Some(total) = total {
            if !parts.is_empty() {
                rels.push(Relation { total, parts });
            }
        }
    };
    let fixed = Some(Total::Fixed);
    let cell = |t: &str, k: &str| at(t, k).map(Total::Cell);
    // Tables that partition the cases of the period.
    for t in [
        "cases",
        "by_platform",
        "by_moderation_level",
        "by_action",
        "by_reporter_type",
        "monthly.reported",
    ] {
        push(fixed, table(t));
    }
    // The resolved cases, month by month; the resolution figures count the same cases (plus
    // any resolved after the period end), so they are tied to them too.
    push(cell("cases", "resolved"), table("monthly.resolved"));
    push(
        cell("resolution_days", "count"),
        at("cases", "resolved").into_iter().collect(),
    );
    push(
        cell("resolution_days", "count"),
        table("resolution_days.histogram"),
    );
    push(
        cell("resolution_days", "count"),
        table("resolution_days.by_moderation_level"),
    );
    // A level's resolved cases are (nearly always) all of that level's cases.
    for i in table("resolution_days.by_moderation_level") {
        push(cell("by_moderation_level", &cells[i].key), vec![i]);
    }
    // Appeals: outcome, eligibility and timing each add up to the appeals filed.
    for t in [
        "appeals.by_outcome",
        "appeals.eligibility",
        "appeals.window",
    ] {
        push(cell("appeals", "filed"), table(t));
    }
    // A group with a single section repeats that section's count (in reports and incidents).
    for g in &tax.category_groups {
        let members: Vec<&str> = tax
            .categories
            .iter()
            .filter(|c| c.group == g.key)
            .map(|c| c.key.as_str())
            .collect();
        if let [only] = members.as_slice() {
            for (groups, categories) in [
                ("by_category_group", "by_category"),
                ("incidents.by_category_group", "incidents.by_category"),
            ] {
                push(
                    cell(groups, &g.key),
                    at(categories, only).into_iter().collect(),
                );
            }
        }
    }
    // One level of substitution: a part that is itself the total of another relation may be
    // replaced by that relation's parts (total = open + Σ monthly resolved, …).
    let base = rels.clone();
    for r in &base {
        for (pos, &p) in r.parts.iter().enumerate() {
            for q in base.iter().filter(|q| q.total == Total::Cell(p)) {
                let mut parts: Vec<usize> = r.parts.clone();
                parts.remove(pos);
                if q.parts
                    .iter()
                    .any(|x| parts.contains(x) || Total::Cell(*x) == r.total)
                {
                    continue;
                }
                parts.extend(&q.parts);
                rels.push(Relation {
                    total: r.total,
                    parts,
                });
            }
        }
    }
    rels
}

/// Whether every small hidden cell of a relation with a published total keeps every value in
/// `1..min` possible, for a reader who knows the sum of the hidden cells and that each
/// complementary cell is 0 or at least `min`.
fn protected(cells: &[Cell], hidden: &[usize], min: u64) -> bool {
    let sum: u64 = hidden.iter().map(|&i| cells[i].value).sum();
    let primaries = hidden.iter().filter(|&&i| cells[i].primary).count() as u64;
    let complements = hidden.len() as u64 - primaries;
    hidden.iter().filter(|&&i| cells[i].primary).all(|_| {
        let k1 = primaries - 1;
        (1..min).all(|v| {
            let Some(rest) = sum.checked_sub(v) else {
                return false;
            };
            (k1 <= rest && rest <= k1 * (min - 1)) || (complements > 0 && rest >= k1 + min)
        })
    })
}

/// The hidden parts of `r`, and whether its total is a hidden cell.
fn hidden_in(cells: &[Cell], r: &Relation) -> (Vec<usize>, bool) {
    let parts = r
        .parts
        .iter()
        .copied()
        .filter(|&i| cells[i].hidden)
        .collect();
    (parts, matches!(r.total, Total::Cell(t) if cells[t].hidden))
}

/// Whether relation `r` needs another hidden cell.
fn needs_more(cells: &[Cell], r: &Relation, min: u64) -> bool {
    let (hidden, total_hidden) = hidden_in(cells, r);
    let n = hidden.len() + usize::from(total_hidden);
    if n == 0 {
        return false;
    }
    n < 2 || (!total_hidden && !protected(cells, &hidden, min))
}

/// The cell to hide next in `r`: the smallest non-zero part that settles the relation, else
/// the smallest non-zero part, else a zero part (when one can still help), else the
/// relation's total.
fn pick(cells: &[Cell], r: &Relation, min: u64) -> Option<usize> {
    let mut open: Vec<usize> = r
        .parts
        .iter()
        .copied()
        .filter(|&i| !cells[i].hidden)
        .collect();
    open.sort_by_key(|&i| (cells[i].value == 0, cells[i].value, i));
    let (mut hidden, total_hidden) = hidden_in(cells, r);
    let n = hidden.len() + usize::from(total_hidden);
    // An open cell is never small, so hiding it adds a complement: only its value matters.
    let mut tried = None;
    let settles = open.iter().copied().find(|&i| {
        if tried == Some(cells[i].value) {
            return false;
        }
        tried = Some(cells[i].value);
        hidden.push(i);
        let ok = n + 1 >= 2 && (total_hidden || protected(cells, &hidden, min));
        hidden.pop();
        ok
    });
    // A zero complement only helps as the first complement or the second hidden cell; more
    // of them never change what a reader can work out.
    let has_complement = total_hidden || hidden.iter().any(|&i| !cells[i].primary);
    let fallback = open
        .iter()
        .copied()
        .find(|&i| cells[i].value > 0 || n < 2 || !has_complement);
    settles.or(fallback).or(match r.total {
        Total::Cell(t) if !cells[t].hidden => Some(t),
        _ => None,
    })
}

const FAR: i64 = i64::MAX / 4;

/// `Σ coefficient · cell ∈ [lo, hi]`.
type Bounded = (Vec<(usize, i64)>, i64, i64);

/// A small hidden cell whose value a reader can narrow down by combining relations, if any.
///
/// Interval propagation over every relation at once: each hidden cell starts at what the
/// report says of it (1..min-1 for a small one; 0 or min.. for a complement) and each
/// relation tightens the bounds of its cells from the others'. A relation that holds exactly
/// in the data (the levels' resolved cases are all of their cases, …) is used as an equation,
/// since a reader may well assume it; one that does not, as the inequality it always is.
/// Sound but not complete: a linear program could find more, on tables like these rarely.
fn exposed(cells: &[Cell], rels: &[Relation], min: u64, grand: u64) -> Option<usize> {
    let m = min as i64;
    let mut lo: Vec<i64> = Vec::with_capacity(cells.len());
    let mut hi: Vec<i64> = Vec::with_capacity(cells.len());
    for c in cells {
        let (l, h) = match (c.hidden, c.primary) {
            (false, _) => (c.value as i64, c.value as i64),
            (true, true) => (1, m - 1),
            (true, false) => (0, grand as i64),
        };
        lo.push(l);
        hi.push(h);
    }
    // Σ parts − total ∈ [b_lo, b_hi], with the grand total as a constant.
    let eqs: Vec<Bounded> = rels
        .iter()
        .map(|r| {
            let mut terms: Vec<(usize, i64)> = r.parts.iter().map(|&i| (i, 1)).collect();
            let parts: u64 = r.parts.iter().map(|&i| cells[i].value).sum();
            match r.total {
                Total::Fixed => (terms, grand as i64, grand as i64),
                Total::Cell(t) => {
                    terms.push((t, -1));
                    if parts == cells[t].value {
                        (terms, 0, 0)
                    } else {
                        (terms, -FAR, 0)
                    }
                }
            }
        })
        .collect();
    for _ in 0..200 {
        let mut changed = false;
        for (terms, b_lo, b_hi) in &eqs {
            let span = |lo: &[i64], hi: &[i64], i: usize, c: i64| {
                if c > 0 {
                    (lo[i], hi[i])
                } else {
                    (-hi[i], -lo[i])
                }
            };
            let sum_lo: i64 = terms.iter().map(|&(i, c)| span(&lo, &hi, i, c).0).sum();
            let sum_hi: i64 = terms.iter().map(|&(i, c)| span(&lo, &hi, i, c).1).sum();
            for &(i, c) in terms {
                if !cells[i].hidden {
                    continue;
                }
                let (own_lo, own_hi) = span(&lo, &hi, i, c);
                // c·x ∈ [b_lo − (rest hi), b_hi − (rest lo)]
                let cx_lo = b_lo.saturating_sub(sum_hi - own_hi);
                let cx_hi = b_hi.saturating_sub(sum_lo - own_lo);
                let (mut l, mut h) = if c > 0 {
                    (cx_lo, cx_hi)
                } else {
                    (-cx_hi, -cx_lo)
                };
                l = l.max(lo[i]);
                h = h.min(hi[i]);
                if !cells[i].primary {
                    // A complement is 0 or at least min.
                    if h < m {
                        h = h.min(0);
                    }
                    if l > 0 {
                        l = l.max(m);
                    }
                }
                if l > h {
                    // Contradiction: an equation the data does not satisfy; stop trusting it.
                    continue;
                }
                if (l, h) != (lo[i], hi[i]) {
                    lo[i] = l;
                    hi[i] = h;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    cells
        .iter()
        .enumerate()
        .find(|(i, c)| c.primary && (lo[*i] > 1 || hi[*i] < m - 1))
        .map(|(i, _)| i)
}

/// Another cell to hide so that exposed cell `p` gains room: the smallest non-zero unhidden
/// cell of a relation that contains `p`.
fn widen(cells: &[Cell], rels: &[Relation], p: usize) -> Option<usize> {
    rels.iter()
        .filter(|r| r.parts.contains(&p) || r.total == Total::Cell(p))
        .flat_map(|r| {
            r.parts.iter().copied().chain(match r.total {
                Total::Cell(t) => Some(t),
                Total::Fixed => None,
            })
        })
        .filter(|&i| !cells[i].hidden && cells[i].value > 0)
        .min_by_key(|&i| (cells[i].value, i))
}

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

/// Hides small cells in place and says what it did. `min_cell` 0 or 1 turns suppression off.
pub fn suppress(
    s: &mut Summary,
    mut incidents: Option<&mut IncidentFigures>,
    support: &Support,
    min_cell: u64,
    tax: &Taxonomy,
) -> SuppressionReport {
    let mut report = SuppressionReport {
        min_cell,
        ..SuppressionReport::default()
    };
    if min_cell <= 1 {
        return report;
    }
    let min = min_cell;
    let small = |n: u64| n >= 1 && n < min;

    let mut cells: Vec<Cell> = slots(s, incidents.as_deref_mut())
        .into_iter()
        .map(|(table, key, v)| Cell {
            table,
            key,
            value: v.unwrap_or(0),
            hidden: v.is_none(),
            primary: false,
        })
        .collect();
    for c in cells.iter_mut() {
        if small(c.value) {
            c.hidden = true;
            c.primary = true;
        }
    }
    let rels = relations(&cells, tax);
    let grand = s.cases.total.unwrap_or(0);
    // Each round hides at least one more cell, so this ends.
    loop {
        let mut changed = false;
        for r in &rels {
            if needs_more(&cells, r, min) {
                if let Some(i) = pick(&cells, r, min) {
                    cells[i].hidden = true;
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }
        // Relations chained through several tables: what bounds do they give?
        let Some(p) = exposed(&cells, &rels, min, grand) else {
            break;
        };
        let Some(i) = widen(&cells, &rels, p) else {
            break;
        };
        cells[i].hidden = true;
    }

    let mut notes: BTreeSet<&str> = BTreeSet::new();
    let temporary_keys = tax.temporary_suspension_actions();
    let full_keys = tax.full_suspension_actions();
    let temporary_small = temporary_keys
        .iter()
        .filter_map(|k| s.by_action.get(*k).copied().flatten())
        .sum::<u64>();
    let temporary_small = small(temporary_small);
    for ((_, _, v), c) in slots(s, incidents).into_iter().zip(&cells) {
        if c.hidden {
            *v = None;
            notes.insert(c.table);
            if c.primary {
                report.primary += 1;
            } else {
                report.complementary += 1;
                report
                    .complementary_cells
                    .insert(format!("{}/{}", c.table, c.key));
            }
        }
    }

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
    let res_n = cells
        .iter()
        .find(|c| c.table == "resolution_days")
        .map_or(0, |c| c.value);
    if res_n < min {
        withhold(
            "resolution_days",
            &mut [&mut r.median, &mut r.p90, &mut r.mean],
        );
    }
    for (k, lv) in r.by_moderation_level.iter_mut() {
        let n = cells
            .iter()
            .find(|c| c.table == "resolution_days.by_moderation_level" && &c.key == k)
            .map_or(0, |c| c.value);
        if n < min {
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
    report
}

/// `table/key` ids of the cells hidden as complements, for "suppressed" (not "< N") display.
pub fn is_complementary(report: &SuppressionReport, table: &str, key: &str) -> bool {
    report
        .complementary_cells
        .contains(&format!("{table}/{key}"))
}

#[cfg(test)]
mod tests;
