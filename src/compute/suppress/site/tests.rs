//! Hand-built sites: each period a few counts, its own relations, and what it publishes; the
//! site audit must find the withheld cells that only the periods together give away, and
//! name the cells whose withholding protects them.

use super::*;
use crate::config::Taxonomy;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("test date")
}

const YEAR: (u32, u32, u32, u32) = (1, 1, 12, 31);

/// `(start month, start day, end month, end day)` of 2025.
fn days(p: (u32, u32, u32, u32)) -> (NaiveDate, NaiveDate) {
    (d(2025, p.0, p.1), d(2025, p.2, p.3))
}
const H1: (u32, u32, u32, u32) = (1, 1, 6, 30);
const H2: (u32, u32, u32, u32) = (7, 1, 12, 31);
const Q: [(u32, u32, u32, u32); 4] = [(1, 1, 3, 31), (4, 1, 6, 30), (7, 1, 9, 30), (10, 1, 12, 31)];

/// A period's model: its total of cases, then the counts `cells` (table, key, exact value),
/// with `Σ cells = total` when `adds_up`.
fn model(total: u64, cells: &[(&'static str, &str, u64)], adds_up: bool) -> Model {
    let mut vars = vec![Var {
        table: "cases",
        key: "total".into(),
        value: total,
        kind: Kind::Total,
    }];
    for &(table, key, value) in cells {
        vars.push(Var {
            table,
            key: key.into(),
            value,
            kind: Kind::Cell,
        });
    }
    let mut rows = Vec::new();
    if adds_up {
        rows.push(Row {
            terms: (1..vars.len())
                .map(|i| (i, 1.0))
                .chain([(0, -1.0)])
                .collect(),
            lo: 0.0,
            hi: 0.0,
        });
    }
    Model::new(vars, rows, 3, &Taxonomy::ala(), &[], None)
}

/// What a period publishes: the total, and each cell unless `withheld`.
fn shown(m: &Model, withheld: &[&str]) -> Vec<Option<f64>> {
    m.vars
        .iter()
        .map(|v| (!withheld.contains(&v.key.as_str())).then_some(v.value as f64))
        .collect()
}

fn cells(exposed: &[Exposed]) -> Vec<(String, i64)> {
    exposed.iter().map(|e| (e.cell.clone(), e.value)).collect()
}

fn withhold(p: &str, table: &str, key: &str) -> (String, String, String) {
    (p.into(), table.into(), key.into())
}

#[test]
fn a_half_withheld_is_found_from_its_year_and_the_other_half() {
    // 2025: a = 5, b = 40; H1: 3 and 20; H2: 2 and 20, both withheld (the 2 small, the 20 to
    // protect it): alone, H2's a + b = 22 leaves a at 1 or 2. The year less H1 gives both.
    let c = |a, b| [("by_category", "a", a), ("by_category", "b", b)];
    let (y, h1, h2) = (
        model(45, &c(5, 40), true),
        model(23, &c(3, 20), true),
        model(22, &c(2, 20), true),
    );
    let site = |h1_withheld: &[&str]| {
        vec![
            SitePeriod::with_fixed("2025", days(YEAR), &y, shown(&y, &[])),
            SitePeriod::with_fixed("2025H1", days(H1), &h1, shown(&h1, h1_withheld)),
            SitePeriod::with_fixed("2025H2", days(H2), &h2, shown(&h2, &["a", "b"])),
        ]
    };
    let j = Joined::new(&site(&[]), true);
    assert_eq!(
        cells(&j.audit(true).unwrap()),
        [
            ("2025H2: by_category.a".to_string(), 2),
            ("2025H2: by_category.b".to_string(), 20)
        ]
    );
    // The tiling: total, a and b of the year as the halves' sums; nothing else.
    assert_eq!(j.across, 3 + 3 * 2);
    // Cheapest: H1's a (3) with its b (20) to keep H1 adding up, rather than the year's 5
    // and 40.
    assert_eq!(
        protect_site(&site(&[])).unwrap(),
        SiteProtection::Withhold(vec![
            withhold("2025H1", "by_category", "a"),
            withhold("2025H1", "by_category", "b"),
        ])
    );
    // Built again with those withheld: safe.
    let SiteProtection::Safe(audit) = protect_site(&site(&["a", "b"])).unwrap() else {
        panic!("still exposed");
    };
    assert_eq!(audit.withheld, 4);
}

#[test]
fn a_withheld_year_cell_is_found_from_the_months_of_the_two_halves() {
    // 2025: March 2, April 40, September 3, October 30 (75 cases), March and September
    // withheld (alone: they add up to 5, so 2 + 3 or 1 + 4). H1: March 2, April 40, both
    // withheld. H2: September 3, October 30, published. September is the same month in 2025
    // and H2, so the year's March is 5 − 3; April is the same in 2025 and H1, so H1's March is
    // 42 − 40.
    let m = "monthly.reported";
    let (y, h1, h2) = (
        model(
            75,
            &[
                (m, "2025-03", 2),
                (m, "2025-04", 40),
                (m, "2025-09", 3),
                (m, "2025-10", 30),
            ],
            true,
        ),
        model(42, &[(m, "2025-03", 2), (m, "2025-04", 40)], true),
        model(33, &[(m, "2025-09", 3), (m, "2025-10", 30)], true),
    );
    let site = |more: &[(String, String, String)]| {
        let hide = |label: &str, base: &[&'static str]| -> Vec<&str> {
            base.iter()
                .copied()
                .chain(
                    more.iter()
                        .filter(|(p, _, _)| p == label)
                        .map(|(_, _, k)| k.as_str()),
                )
                .collect()
        };
        vec![
            SitePeriod::with_fixed(
                "2025",
                days(YEAR),
                &y,
                shown(&y, &hide("2025", &["2025-03", "2025-09"])),
            ),
            SitePeriod::with_fixed(
                "2025H1",
                days(H1),
                &h1,
                shown(&h1, &hide("2025H1", &["2025-03", "2025-04"])),
            ),
            SitePeriod::with_fixed("2025H2", days(H2), &h2, shown(&h2, &hide("2025H2", &[]))),
        ]
    };
    let j = Joined::new(&site(&[]), true);
    assert_eq!(
        cells(&j.audit(true).unwrap()),
        [
            ("2025: monthly.2025-03.reported".to_string(), 2),
            ("2025: monthly.2025-09.reported".to_string(), 3),
            ("2025H1: monthly.2025-03.reported".to_string(), 2),
            ("2025H1: monthly.2025-04.reported".to_string(), 40),
        ]
    );
    // Without the month relations (a reader who does not know a month is the same month),
    // nothing: each period alone is safe.
    for p in &site(&[]) {
        let one = Joined::new(std::slice::from_ref(p), true);
        assert!(one.audit(true).unwrap().is_empty(), "{}", p.label);
    }
    // Withheld further, round after round as the build does, until safe.
    let mut more = Vec::new();
    for _ in 0..4 {
        match protect_site(&site(&more)).unwrap() {
            SiteProtection::Withhold(m) => more.extend(m),
            SiteProtection::Safe(_) => break,
        }
    }
    more.sort();
    assert_eq!(
        more,
        [
            withhold("2025", "monthly.reported", "2025-04"),
            withhold("2025", "monthly.reported", "2025-10"),
            withhold("2025H2", "monthly.reported", "2025-09"),
            withhold("2025H2", "monthly.reported", "2025-10"),
        ]
    );
    assert!(matches!(
        protect_site(&site(&more)).unwrap(),
        SiteProtection::Safe(_)
    ));
}

#[test]
fn a_year_cell_is_found_through_a_chain_of_quarters_and_halves() {
    // Quarters 2 (< 3), 3 (suppressed), 3, 4; halves 5 and 7 (suppressed); year 12
    // (suppressed). H2 is Q3 + Q4 = 7, so the year is H1 + H2 = 12: neither the halves alone
    // (12 = 5 + H2) nor the quarters alone (Q1 + Q2 + 7, with Q1 + Q2 anything from 4) say so.
    let a = |n: u64, total: u64| model(total, &[("by_category", "a", n)], false);
    let (q1, q2, q3, q4) = (a(2, 100), a(3, 100), a(3, 100), a(4, 100));
    let (h1, h2, y) = (a(5, 200), a(7, 200), a(12, 400));
    let site = |q3_withheld: bool| {
        let q3_shown = if q3_withheld { vec!["a"] } else { vec![] };
        vec![
            SitePeriod::with_fixed("2025Q1", days(Q[0]), &q1, shown(&q1, &["a"])),
            SitePeriod::with_fixed("2025Q2", days(Q[1]), &q2, shown(&q2, &["a"])),
            SitePeriod::with_fixed("2025Q3", days(Q[2]), &q3, shown(&q3, &q3_shown)),
            SitePeriod::with_fixed("2025Q4", days(Q[3]), &q4, shown(&q4, &[])),
            SitePeriod::with_fixed("2025H1", days(H1), &h1, shown(&h1, &[])),
            SitePeriod::with_fixed("2025H2", days(H2), &h2, shown(&h2, &["a"])),
            SitePeriod::with_fixed("2025", days(YEAR), &y, shown(&y, &["a"])),
        ]
    };
    let j = Joined::new(&site(false), true);
    assert_eq!(
        cells(&j.audit(true).unwrap()),
        [
            ("2025H2: by_category.a".to_string(), 7),
            ("2025: by_category.a".to_string(), 12),
        ]
    );
    // Four tilings (year by halves, year by quarters, each half by its quarters), each of the
    // total and of a; and each of the six shorter periods inside the year, each quarter
    // inside its half, for both.
    assert_eq!(j.across, 4 * 2 + (6 + 4) * 2);
    // Cheapest: Q3's 3 (moving it by one moves H2 and the year with it).
    assert_eq!(
        protect_site(&site(false)).unwrap(),
        SiteProtection::Withhold(vec![withhold("2025Q3", "by_category", "a")])
    );
    assert!(matches!(
        protect_site(&site(true)).unwrap(),
        SiteProtection::Safe(_)
    ));
}

#[test]
fn a_site_that_cannot_be_protected_fails() {
    // The year's 2, each half's 1: all three "< 3", but 1..2 + 1..2 = 1..2 leaves only 1 + 1.
    // No published count takes part, so withholding more cannot help: the build fails.
    let a = |n: u64| model(100, &[("by_category", "a", n)], false);
    let (y, h1, h2) = (a(2), a(1), a(1));
    let site = vec![
        SitePeriod::with_fixed("2025", days(YEAR), &y, shown(&y, &["a"])),
        SitePeriod::with_fixed("2025H1", days(H1), &h1, shown(&h1, &["a"])),
        SitePeriod::with_fixed("2025H2", days(H2), &h2, shown(&h2, &["a"])),
    ];
    let err = protect_site(&site).unwrap_err();
    assert!(
        matches!(&err, ProtectionError::Site { cells } if cells.contains("2025: by_category.a (= 2)")),
        "{err}"
    );
}

#[test]
fn distinct_counts_are_bounded_not_added() {
    // Incidents: 4 in the year, 3 in H1, 2 in H2 (one incident has reports in both). The year
    // is at most 3 + 2 and at least each half: no equation.
    let inc = |n: u64| model(10, &[("incidents.by_category", "a", n)], false);
    let (y, h1, h2) = (inc(4), inc(3), inc(2));
    let site = vec![
        SitePeriod::with_fixed("2025", days(YEAR), &y, shown(&y, &[])),
        SitePeriod::with_fixed("2025H1", days(H1), &h1, shown(&h1, &[])),
        SitePeriod::with_fixed("2025H2", days(H2), &h2, shown(&h2, &["a"])),
    ];
    let j = Joined::new(&site, true);
    let rows: Vec<&Row> = j.model.relations.iter().collect();
    // Totals: a tiling (10 ≠ 20: dropped, not additive here by construction of the test),
    // and the halves' totals inside the year (kept); a: year ≤ H1 + H2 and each half ≤ year.
    assert!(rows
        .iter()
        .all(|r| r.lo == f64::NEG_INFINITY && r.hi == 0.0));
    // H2's 2 lies in 1..4 − 3 = 1: "< 3" and at least the year less H1: 4 − 3 = 1 … so
    // 1..2, not pinned.
    assert!(j.audit(true).unwrap().is_empty());
}
