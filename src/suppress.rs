//! Small-cell suppression (SPEC §7) on a computed Summary.
//!
//! Primary: a count in `1..min_cell` is hidden. Complementary: in a table whose cells add up to
//! a published total, more cells are hidden until at least two are hidden and the hidden cells
//! add up to `min_cell` or more, so subtraction from the total cannot single out a small one.
//! Statistics computed over fewer than `min_cell` cases are withheld as well.

use crate::aggregate::Support;
use crate::model::{Count, Counts, Summary, SuppressionReport};

struct Pass {
    min: u64,
    report: SuppressionReport,
}

impl Pass {
    fn small(&self, v: Count) -> bool {
        matches!(v, Some(n) if n >= 1 && n < self.min)
    }

    fn note(&mut self, table: &str) {
        if !self.report.tables.iter().any(|t| t == table) {
            self.report.tables.push(table.to_string());
        }
    }

    /// One cell with no total to protect.
    fn single(&mut self, table: &str, cell: &mut Count) -> bool {
        if self.small(*cell) {
            *cell = None;
            self.report.primary += 1;
            self.note(table);
            true
        } else {
            false
        }
    }

    /// A table whose cells partition a published total. `cells` are (id, value) in table order.
    fn partition(&mut self, table: &str, cells: &mut [(String, &mut Count)]) {
        let mut hidden: Vec<usize> = Vec::new();
        for (i, (_, v)) in cells.iter_mut().enumerate() {
            if self.small(**v) {
                hidden.push(i);
            }
        }
        if hidden.is_empty() {
            return;
        }
        self.report.primary += hidden.len() as u64;
        let mut sum: u64 = hidden.iter().map(|&i| cells[i].1.unwrap_or(0)).sum();
        let mut extra = Vec::new();
        while hidden.len() + extra.len() < 2 || sum < self.min {
            // Smallest remaining non-zero cell; a zero cell only when nothing else is left.
            let pick = cells
                .iter()
                .enumerate()
                .filter(|(i, (_, v))| v.is_some() && !hidden.contains(i) && !extra.contains(i))
                .min_by_key(|(i, (_, v))| (v.unwrap_or(0) == 0, v.unwrap_or(0), *i))
                .map(|(i, _)| i);
            let Some(i) = pick else { break };
            sum += cells[i].1.unwrap_or(0);
            extra.push(i);
        }
        for &i in &hidden {
            *cells[i].1 = None;
        }
        for &i in &extra {
            *cells[i].1 = None;
            self.report.complementary += 1;
            self.report
                .complementary_cells
                .insert(format!("{table}/{}", cells[i].0));
        }
        self.note(table);
    }

    fn counts(&mut self, table: &str, map: &mut Counts) {
        let mut cells: Vec<(String, &mut Count)> =
            map.iter_mut().map(|(k, v)| (k.clone(), v)).collect();
        self.partition(table, &mut cells);
    }

    fn singles(&mut self, table: &str, map: &mut Counts) {
        for v in map.values_mut() {
            self.single(table, v);
        }
    }
}

/// Hides small cells in place and says what it did. `min_cell` 0 or 1 turns suppression off.
/// Suspensions are the ALA action keys; see [`suppress_with`] for another taxonomy.
pub fn suppress(s: &mut Summary, support: &Support, min_cell: u64) -> SuppressionReport {
    suppress_with(
        s,
        support,
        min_cell,
        &[crate::config::DEFAULT_TEMPORARY_SUSPENSION],
        &[crate::config::DEFAULT_FULL_SUSPENSION],
    )
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

/// [`suppress`] with the taxonomy's own suspension action keys.
pub fn suppress_with(
    s: &mut Summary,
    support: &Support,
    min_cell: u64,
    temporary_actions: &[&str],
    full_actions: &[&str],
) -> SuppressionReport {
    let mut p = Pass {
        min: min_cell,
        report: SuppressionReport {
            min_cell,
            ..SuppressionReport::default()
        },
    };
    if min_cell <= 1 {
        return p.report;
    }
    let withheld = |n: u64| n < min_cell;

    {
        let c = &mut s.cases;
        let mut cells = vec![
            ("resolved".to_string(), &mut c.resolved),
            ("open_at_period_end".to_string(), &mut c.open_at_period_end),
        ];
        p.partition("cases", &mut cells);
    }
    p.counts("by_platform", &mut s.by_platform);
    p.counts("by_moderation_level", &mut s.by_moderation_level);
    // A case may cite several sections: these cells add up to no published total.
    p.singles("by_category", &mut s.by_category);
    p.singles("by_category_group", &mut s.by_category_group);
    p.counts("by_action", &mut s.by_action);
    p.counts("by_reporter_type", &mut s.by_reporter_type);

    // Temporary and full suspensions repeat two cells of the action table: keep them in step.
    s.suspensions.temporary =
        suspension_cells(&s.by_action, temporary_actions, s.suspensions.temporary);
    s.suspensions.full = suspension_cells(&s.by_action, full_actions, s.suspensions.full);
    if s.suspensions.temporary.is_none() || s.suspensions.full.is_none() {
        p.note("suspensions");
    }
    p.single("suspensions", &mut s.suspensions.interim);
    if withheld(support.suspension_days) && s.suspensions.median_days.is_some() {
        s.suspensions.median_days = None;
        p.note("suspensions");
    }

    let r = &mut s.resolution_days;
    let res_n = r.count.unwrap_or(0);
    let hidden = p.single("resolution_days", &mut r.count);
    if (hidden || withheld(res_n)) && r.median.is_some() {
        r.median = None;
        r.p90 = None;
        r.mean = None;
        p.note("resolution_days");
    }
    p.counts("resolution_days.histogram", &mut r.histogram);
    for (_, lv) in r.by_moderation_level.iter_mut() {
        let n = lv.count.unwrap_or(0);
        p.single("resolution_days.by_moderation_level", &mut lv.count);
        if withheld(n) && lv.median.is_some() {
            lv.median = None;
            lv.p90 = None;
            p.note("resolution_days.by_moderation_level");
        }
    }

    let a = &mut s.acknowledgement;
    if p.single("acknowledgement", &mut a.met) {
        a.rate = None;
    }
    if withheld(support.acknowledged) && a.median_hours.is_some() {
        a.median_hours = None;
        p.note("acknowledgement");
    }

    let ap = &mut s.appeals;
    p.single("appeals", &mut ap.filed);
    p.counts("appeals.by_outcome", &mut ap.by_outcome);
    {
        let mut cells = vec![
            ("eligible".to_string(), &mut ap.eligible),
            ("not_eligible".to_string(), &mut ap.not_eligible),
        ];
        p.partition("appeals.eligibility", &mut cells);
    }
    {
        let mut cells = vec![
            ("timely".to_string(), &mut ap.timely),
            ("late".to_string(), &mut ap.late),
            ("window_unknown".to_string(), &mut ap.window_unknown),
        ];
        p.partition("appeals.window", &mut cells);
    }
    let decided_hidden = ["upheld", "overturned", "modified"]
        .iter()
        .any(|k| ap.by_outcome.get(*k).is_some_and(|v| v.is_none()));
    if decided_hidden && ap.reversal_rate.is_some() {
        ap.reversal_rate = None;
        p.note("appeals.by_outcome");
    }
    if withheld(support.appeals_decided) && ap.median_days_to_decision.is_some() {
        ap.median_days_to_decision = None;
        p.note("appeals");
    }

    {
        let mut cells: Vec<(String, &mut Count)> = s
            .monthly
            .iter_mut()
            .map(|m| (m.month.clone(), &mut m.reported))
            .collect();
        p.partition("monthly.reported", &mut cells);
    }
    {
        let mut cells: Vec<(String, &mut Count)> = s
            .monthly
            .iter_mut()
            .map(|m| (m.month.clone(), &mut m.resolved))
            .collect();
        p.partition("monthly.resolved", &mut cells);
    }
    p.report
}

/// `table/key` ids of the cells hidden as complements, for "suppressed" (not "< N") display.
pub fn is_complementary(report: &SuppressionReport, table: &str, key: &str) -> bool {
    report
        .complementary_cells
        .contains(&format!("{table}/{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    fn counts(v: &[(&str, u64)]) -> Counts {
        v.iter().map(|(k, n)| (k.to_string(), Some(*n))).collect()
    }

    fn pass(min: u64) -> Pass {
        Pass {
            min,
            report: SuppressionReport {
                min_cell: min,
                ..Default::default()
            },
        }
    }

    #[test]
    fn one_small_cell_gets_a_complement() {
        let mut m = counts(&[("a", 10), ("b", 2), ("c", 5), ("d", 0)]);
        let mut p = pass(3);
        p.counts("t", &mut m);
        assert_eq!(m["a"], Some(10));
        assert_eq!(m["b"], None);
        assert_eq!(m["c"], None, "smallest non-zero cell hides b");
        assert_eq!(m["d"], Some(0));
        assert_eq!(p.report.primary, 1);
        assert_eq!(p.report.complementary, 1);
        assert!(p.report.complementary_cells.contains("t/c"));
    }

    #[test]
    fn two_ones_are_not_enough() {
        // 1 + 1 = 2 would reveal both cells: a third is hidden.
        let mut m = counts(&[("a", 1), ("b", 1), ("c", 7), ("d", 9)]);
        let mut p = pass(3);
        p.counts("t", &mut m);
        assert_eq!(
            (m["a"], m["b"], m["c"], m["d"]),
            (None, None, None, Some(9))
        );
    }

    #[test]
    fn zeros_are_published_and_off_switch() {
        let mut m = counts(&[("a", 0), ("b", 4)]);
        let mut p = pass(3);
        p.counts("t", &mut m);
        assert_eq!(m, counts(&[("a", 0), ("b", 4)]));
        assert!(p.report.tables.is_empty());
        let _: IndexMap<String, Count> = m;
    }
}
