use super::*;
use crate::model::Summary;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn summary(cells: &[(&str, Option<u64>)]) -> Summary {
    let mut s: Summary = serde_json::from_str(include_str!(
        "../../../sample_data/history/summary-2024.json"
    ))
    .expect("a published summary");
    // Only the cells given: the other additive tables are left empty.
    for t in [
        &mut s.by_platform,
        &mut s.by_moderation_level,
        &mut s.by_category,
        &mut s.by_category_group,
        &mut s.by_action,
        &mut s.by_reporter_type,
        &mut s.appeals.by_outcome,
    ] {
        t.clear();
    }
    for (k, v) in cells {
        s.by_category.insert(k.to_string(), *v);
    }
    s
}

fn report(min_cell: u64, complementary: &[&str]) -> SuppressionReport {
    SuppressionReport {
        min_cell,
        complementary_cells: complementary.iter().map(|c| c.to_string()).collect(),
        ..SuppressionReport::default()
    }
}

#[test]
fn a_half_withheld_beside_its_year_and_the_other_half_is_found() {
    // 2025: a = 5; H1: a = 3; H2: a withheld (< 3), so H2's a = 5 - 3 = 2.
    let (y, h1, h2) = (
        summary(&[("a", Some(5)), ("b", Some(40))]),
        summary(&[("a", Some(3)), ("b", Some(20))]),
        summary(&[("a", None), ("b", Some(20))]),
    );
    let r = report(3, &[]);
    let periods = [
        Published {
            label: "2025",
            start: d("2025-01-01"),
            end: d("2025-12-31"),
            summary: &y,
            suppression: &r,
        },
        Published {
            label: "2025H1",
            start: d("2025-01-01"),
            end: d("2025-06-30"),
            summary: &h1,
            suppression: &r,
        },
        Published {
            label: "2025H2",
            start: d("2025-07-01"),
            end: d("2025-12-31"),
            summary: &h2,
            suppression: &r,
        },
    ];
    let found = exposed(&periods);
    assert_eq!(
        found,
        [Exposed {
            cell: "2025H2: by_category/a".into(),
            withhold: Some(("2025H1".into(), "by_category".into(), "a".into())),
        }]
    );
    // With H1's cell withheld too (complementary), a is 0..∞ there: nothing is pinned.
    let h1b = summary(&[("a", None), ("b", Some(20))]);
    let rc = report(3, &["by_category/a"]);
    let periods = [
        Published {
            label: "2025",
            start: d("2025-01-01"),
            end: d("2025-12-31"),
            summary: &y,
            suppression: &r,
        },
        Published {
            label: "2025H1",
            start: d("2025-01-01"),
            end: d("2025-06-30"),
            summary: &h1b,
            suppression: &rc,
        },
        Published {
            label: "2025H2",
            start: d("2025-07-01"),
            end: d("2025-12-31"),
            summary: &h2,
            suppression: &r,
        },
    ];
    assert!(exposed(&periods).is_empty());
}

#[test]
fn two_small_halves_that_must_both_be_two_are_found() {
    // 2025: a = 4; both halves < 3 (1 or 2): only 2 + 2 makes 4.
    let (y, h) = (summary(&[("a", Some(4))]), summary(&[("a", None)]));
    let r = report(3, &[]);
    let periods = [
        Published {
            label: "2025",
            start: d("2025-01-01"),
            end: d("2025-12-31"),
            summary: &y,
            suppression: &r,
        },
        Published {
            label: "2025H1",
            start: d("2025-01-01"),
            end: d("2025-06-30"),
            summary: &h,
            suppression: &r,
        },
        Published {
            label: "2025H2",
            start: d("2025-07-01"),
            end: d("2025-12-31"),
            summary: &h,
            suppression: &r,
        },
    ];
    let cells: Vec<String> = exposed(&periods).into_iter().map(|e| e.cell).collect();
    assert_eq!(cells, ["2025H1: by_category/a", "2025H2: by_category/a"]);
    // 3 = 1 + 2 or 2 + 1: neither half is known.
    let y3 = summary(&[("a", Some(3))]);
    let periods = [
        Published {
            label: "2025",
            start: d("2025-01-01"),
            end: d("2025-12-31"),
            summary: &y3,
            suppression: &r,
        },
        Published {
            label: "2025H1",
            start: d("2025-01-01"),
            end: d("2025-06-30"),
            summary: &h,
            suppression: &r,
        },
        Published {
            label: "2025H2",
            start: d("2025-07-01"),
            end: d("2025-12-31"),
            summary: &h,
            suppression: &r,
        },
    ];
    assert!(exposed(&periods).is_empty());
}

#[test]
fn years_side_by_side_have_no_relation() {
    let (a, b) = (summary(&[("a", Some(5))]), summary(&[("a", None)]));
    let r = report(3, &[]);
    let periods = [
        Published {
            label: "2024",
            start: d("2024-01-01"),
            end: d("2024-12-31"),
            summary: &a,
            suppression: &r,
        },
        Published {
            label: "2025",
            start: d("2025-01-01"),
            end: d("2025-12-31"),
            summary: &b,
            suppression: &r,
        },
    ];
    assert!(exposed(&periods).is_empty());
}

#[test]
fn three_small_cells_of_a_year_and_its_halves_cannot_be_protected_by_more_withholding() {
    // Each "< 3" is 1 or 2; with both halves at least 1 the year is 2 and each half 1.
    let small = summary(&[("a", None), ("b", Some(40))]);
    let r = report(3, &[]);
    let periods = [
        Published {
            label: "2025",
            start: d("2025-01-01"),
            end: d("2025-12-31"),
            summary: &small,
            suppression: &r,
        },
        Published {
            label: "2025H1",
            start: d("2025-01-01"),
            end: d("2025-06-30"),
            summary: &small,
            suppression: &r,
        },
        Published {
            label: "2025H2",
            start: d("2025-07-01"),
            end: d("2025-12-31"),
            summary: &small,
            suppression: &r,
        },
    ];
    let found = exposed(&periods);
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|e| e.withhold.is_none()));
}
