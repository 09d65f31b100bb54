//! Unit tests of `aggregate` (kept in their own file).

use super::*;

fn d(y: i32, m: u32, dd: u32) -> i32 {
    NaiveDate::from_ymd_opt(y, m, dd)
        .unwrap()
        .num_days_from_ce()
}

#[test]
fn month_labels() {
    assert_eq!(month_label(month_index(d(2025, 12, 31))), "2025-12");
    assert_eq!(month_index(d(2026, 1, 1)) - month_index(d(2025, 12, 31)), 1);
}
