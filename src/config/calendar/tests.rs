//! Unit tests of `calendar` (kept in their own file).

use super::*;

fn d(y: i32, m: u32, dd: u32) -> i64 {
    day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap())
}

#[test]
fn day_numbers_match_chrono_and_round_trip() {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    assert_eq!(epoch.num_days_from_ce(), CE_DAY_OF_1970);
    for day in -800_000..800_000 {
        let (y, m, dd) = civil_from_days(day);
        assert_eq!(days_from_civil(y, m, dd), day);
    }
    for date in [
        NaiveDate::from_ymd_opt(1900, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        NaiveDate::from_ymd_opt(2999, 12, 31).unwrap(),
    ] {
        let day = day_number(date);
        assert_eq!(day, (date - epoch).num_days());
        let (y, m, dd) = civil_from_days(day);
        assert_eq!(
            (y, m, dd),
            (
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day())
            )
        );
    }
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
    // A target of 0 is the report date itself, even on a weekend.
    assert_eq!(
        cal.nth_business_day_after(d(2025, 5, 24), 0),
        d(2025, 5, 24)
    );
    assert!(!cal.is_business_day(d(2025, 5, 26)));
    assert!(cal.is_business_day(d(2025, 5, 27)));
}

#[test]
fn one_business_weekday_behind_a_run_of_holidays_is_still_found() {
    let mondays: Vec<NaiveDate> = (0..200)
        .map(|w| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::weeks(w))
        .collect();
    let c = Config {
        business_days: vec!["mon".into()],
        holidays: mondays.iter().rev().copied().collect(),
        ..Config::default()
    };
    let cal = Calendar::from_config(&c).unwrap();
    // Every Monday for 200 weeks is a holiday: the first business day is the Monday after.
    let after = *mondays.last().unwrap() + chrono::Duration::weeks(1);
    assert_eq!(
        cal.nth_business_day_after(d(2023, 12, 31), 1),
        day_number(after)
    );
    assert_eq!(
        cal.nth_business_day_after(d(2023, 12, 31), 3),
        day_number(after + chrono::Duration::weeks(2))
    );
}

#[test]
fn weekdays_follow_chrono_before_and_after_1970() {
    let c = Config {
        business_days: vec!["tue".into(), "sun".into()],
        ..Config::default()
    };
    let cal = Calendar::from_config(&c).unwrap();
    let mut date = NaiveDate::from_ymd_opt(1969, 12, 1).unwrap();
    for _ in 0..70 {
        let expected = matches!(date.weekday(), chrono::Weekday::Tue | chrono::Weekday::Sun);
        assert_eq!(cal.is_business_day(day_number(date)), expected, "{date}");
        date = date.succ_opt().unwrap();
    }
}

#[test]
fn a_calendar_without_business_days_is_an_error() {
    let c = Config {
        business_days: Vec::new(),
        ..Config::default()
    };
    assert!(Calendar::from_config(&c)
        .unwrap_err()
        .contains("business_days"));
}
