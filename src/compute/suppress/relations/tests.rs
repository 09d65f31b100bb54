//! Unit tests of `suppress::relations` (kept in their own file).

use super::*;

fn var(table: &'static str, key: &str, value: u64, kind: Kind) -> Var {
    Var {
        table,
        key: key.to_string(),
        value,
        kind,
    }
}

/// The row over exactly `terms` (in any order), if the relations have one.
fn find<'a>(rows: &'a [Row], terms: &[(usize, f64)]) -> Option<&'a Row> {
    let mut want = terms.to_vec();
    want.sort_by_key(|a| a.0);
    rows.iter().find(|r| {
        let mut got = r.terms.clone();
        got.sort_by_key(|a| a.0);
        got == want
    })
}

fn cells(group: u64, age: u64, language: u64, no_level: u64, open: u64) -> Vec<Var> {
    vec![
        var("cases", "open_at_period_end", open, Kind::Cell),
        var("by_moderation_level", "unassigned", no_level, Kind::Cell),
        var("by_category", "age", age, Kind::Cell),
        var("by_category", "language", language, Kind::Cell),
        var("by_category_group", "harassment", group, Kind::Cell),
        var("cases", "total", group, Kind::Total),
    ]
}

#[test]
fn a_group_is_the_sum_of_its_sections_only_when_no_case_cites_two() {
    let tax = Taxonomy::ala();
    // group − age − language: "= 0" when every case cites one section, "≤ 0" otherwise.
    let sum = [(4, 1.0), (2, -1.0), (3, -1.0)];
    let rows = relations(&cells(3, 1, 2, 0, 0), &tax, &[], 3);
    let r = find(&rows, &sum).expect("the group relation");
    assert_eq!((r.lo, r.hi), (0.0, 0.0));
    let rows = relations(&cells(2, 1, 2, 0, 0), &tax, &[], 3);
    let r = find(&rows, &sum).expect("the group relation");
    assert_eq!((r.lo, r.hi), (f64::NEG_INFINITY, 0.0));
    // A section never exceeds its group: an inequality while the group has other cases.
    let r = find(&rows, &[(2, 1.0), (4, -1.0)]).expect("section ≤ group");
    assert_eq!((r.lo, r.hi), (f64::NEG_INFINITY, 0.0));
}

#[test]
fn a_coincidence_is_only_kept_when_it_holds() {
    let tax = Taxonomy::ala();
    // "No level" = "open at period end" when both are 2; nothing when they differ.
    let same = [(1, 1.0), (0, -1.0)];
    let rows = relations(&cells(3, 1, 2, 2, 2), &tax, &[], 3);
    assert_eq!(find(&rows, &same).map(|r| (r.lo, r.hi)), Some((0.0, 0.0)));
    let rows = relations(&cells(3, 1, 2, 1, 2), &tax, &[], 3);
    assert!(find(&rows, &same).is_none());
}

#[test]
fn a_published_median_bounds_its_count() {
    let tax = Taxonomy::ala();
    let mut vars = cells(3, 1, 2, 0, 0);
    vars.push(var("resolution_days", "count", 2, Kind::Cell));
    let rows = relations(&vars, &tax, &[], 3);
    // Withheld over 2 values: at most 2; shown over 5: at least 3.
    let r = find(&rows, &[(6, 1.0)]).expect("count ≤ min − 1");
    assert_eq!((r.lo, r.hi), (f64::NEG_INFINITY, 2.0));
    vars[6].value = 5;
    let rows = relations(&vars, &tax, &[], 3);
    let r = find(&rows, &[(6, -1.0)]).expect("count ≥ min");
    assert_eq!((r.lo, r.hi), (f64::NEG_INFINITY, -3.0));
}
