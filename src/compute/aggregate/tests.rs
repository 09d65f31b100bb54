//! Unit tests of `aggregate` (kept in their own file).

use super::*;

fn d(y: i32, m: u32, dd: u32) -> i32 {
    NaiveDate::from_ymd_opt(y, m, dd)
        .unwrap()
        .num_days_from_ce()
}

#[test]
fn next_business_day_skips_weekends_and_holidays() {
    let c = Config {
        holidays: vec![NaiveDate::from_ymd_opt(2025, 5, 26).unwrap()], // Memorial Day
        ..Config::default()
    };
    let cal = Calendar::from_config(&c).unwrap();
    // Friday → Monday.
    assert_eq!(cal.nth_business_day_after(d(2025, 3, 7), 1), d(2025, 3, 10));
    // Saturday → Monday.
    assert_eq!(cal.nth_business_day_after(d(2025, 3, 8), 1), d(2025, 3, 10));
    // Friday before a Monday holiday → Tuesday.
    assert_eq!(
        cal.nth_business_day_after(d(2025, 5, 23), 1),
        d(2025, 5, 27)
    );
    assert_eq!(
        cal.nth_business_day_after(d(2025, 5, 23), 2),
        d(2025, 5, 28)
    );
    assert_eq!(
        cal.nth_business_day_after(d(2025, 5, 23), 0),
        d(2025, 5, 23)
    );
}

#[test]
fn month_labels() {
    assert_eq!(month_label(month_index(d(2025, 12, 31))), "2025-12");
    assert_eq!(month_index(d(2026, 1, 1)) - month_index(d(2025, 12, 31)), 1);
}
