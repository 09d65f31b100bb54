use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn labels(v: &[SpecPeriod]) -> Vec<&str> {
    v.iter().map(|p| p.period.label.as_str()).collect()
}

#[test]
fn years_halves_and_lists() {
    let v = parse("2019..2025,2025H1,2025h2", None).expect("valid");
    assert_eq!(
        labels(&v),
        ["2019", "2020", "2021", "2022", "2023", "2024", "2025", "2025H1", "2025H2"]
    );
    let h2 = &v[8].period;
    assert_eq!((h2.start, h2.end), (d("2025-07-01"), d("2025-12-31")));
    assert_eq!(v[8].kind, Kind::Half);
    let y = &v[0].period;
    assert_eq!((y.start, y.end), (d("2019-01-01"), d("2019-12-31")));
}

#[test]
fn ranges_of_halves_and_quarters_cross_years() {
    let v = parse("2024H2..2025H2", None).expect("valid");
    assert_eq!(labels(&v), ["2024H2", "2025H1", "2025H2"]);
    let v = parse("2024Q4..2025Q1", None).expect("valid");
    assert_eq!(labels(&v), ["2024Q4", "2025Q1"]);
    assert_eq!(
        (v[0].period.start, v[0].period.end),
        (d("2024-10-01"), d("2024-12-31"))
    );
    assert_eq!(
        (v[1].period.start, v[1].period.end),
        (d("2025-01-01"), d("2025-03-31"))
    );
}

#[test]
fn fiscal_years_are_named_by_the_year_they_end_in() {
    let fy = Some((d("2024-09-01"), d("2025-08-31")));
    let v = parse("FY2020..FY2022", fy).expect("valid");
    assert_eq!(labels(&v), ["FY2020", "FY2021", "FY2022"]);
    assert_eq!(
        (v[0].period.start, v[0].period.end),
        (d("2019-09-01"), d("2020-08-31"))
    );
    assert_eq!(
        (v[2].period.start, v[2].period.end),
        (d("2021-09-01"), d("2022-08-31"))
    );
    // A fiscal year of the calendar is the calendar year.
    let v = parse("fy2025", Some((d("2025-01-01"), d("2025-12-31")))).expect("valid");
    assert_eq!(
        (v[0].period.start, v[0].period.end),
        (d("2025-01-01"), d("2025-12-31"))
    );
}

#[test]
fn bad_specs_are_named() {
    let err = |s: &str| parse(s, None).expect_err(s);
    assert!(err("").contains("empty"));
    assert!(err("2025,,2024").contains("empty item"));
    assert!(err("2025H3").contains("two halves"));
    assert!(err("2025Q5").contains("four quarters"));
    assert!(err("25").contains("is not a period"));
    assert!(err("2025-01").contains("is not a period"));
    assert!(err("2025..2019").contains("ends before it starts"));
    assert!(err("2024..2025H1").contains("one kind"));
    assert!(err("2025,2025").contains("named twice"));
    assert!(err("2024..2025,2025").contains("2025 is named twice"));
    assert!(err("FY2025").contains("needs `[period] start`"));
    assert!(err("0999").contains("outside"));
    let not_twelve = parse("FY2025", Some((d("2025-01-01"), d("2025-06-30"))));
    assert!(not_twelve
        .expect_err("six months")
        .contains("not twelve months"));
}
