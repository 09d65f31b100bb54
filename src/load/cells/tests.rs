//! Unit tests of `load::cells`.

use super::*;
use crate::schema::check_date;

fn chicago() -> Tz {
    chrono_tz::America::Chicago
}

fn day(y: i32, m: u32, d: u32) -> i32 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().num_days_from_ce()
}

#[test]
fn rfc3339_with_offsets_and_local_date() {
    let tz = chicago();
    // 1 Jan 03:30 UTC is still 31 Dec in Chicago.
    let s = parse_timestamp("2026-01-01T03:30:00Z", &tz).unwrap();
    assert_eq!(s.secs, 1_767_238_200);
    assert_eq!(s.day, day(2025, 12, 31));
    let o = parse_timestamp("2025-03-04T10:15:00+01:00", &tz).unwrap();
    assert_eq!(
        o.secs,
        parse_timestamp("2025-03-04T09:15:00Z", &tz).unwrap().secs
    );
    assert_eq!(
        parse_timestamp("2025-03-04 09:15:00z", &tz).unwrap().secs,
        o.secs
    );
}

#[test]
fn naive_and_date_only_are_local() {
    let tz = chicago();
    // CST is UTC-6 in March before the change.
    let a = parse_timestamp("2025-03-04T10:15", &tz).unwrap();
    let b = parse_timestamp("2025-03-04 10:15:00", &tz).unwrap();
    let c = parse_timestamp("2025-03-04T16:15:00Z", &tz).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.secs, c.secs);
    let d = parse_timestamp("2025-03-04", &tz).unwrap();
    assert_eq!(
        d.secs,
        parse_timestamp("2025-03-04T06:00:00Z", &tz).unwrap().secs
    );
    assert_eq!(d.day, day(2025, 3, 4));
}

#[test]
fn dst_gap_and_overlap() {
    let tz = chicago();
    // 2025-03-09 02:30 does not exist in Chicago: read with CST (-6) → 08:30Z.
    let gap = parse_timestamp("2025-03-09T02:30", &tz).unwrap();
    assert_eq!(
        gap.secs,
        parse_timestamp("2025-03-09T08:30:00Z", &tz).unwrap().secs
    );
    // 2025-11-02 01:30 happens twice: the earlier (CDT, -5) → 06:30Z.
    let amb = parse_timestamp("2025-11-02T01:30", &tz).unwrap();
    assert_eq!(
        amb.secs,
        parse_timestamp("2025-11-02T06:30:00Z", &tz).unwrap().secs
    );
}

#[test]
fn bad_timestamps_explain_the_forms() {
    let tz = chicago();
    // (A date or time that cannot exist is named instead: `impossible_dates_are_named`.)
    for bad in ["03/04/2025", "2025-3-4", "yesterday", "2025-03-04T10h00"] {
        let e = parse_timestamp(bad, &tz).unwrap_err();
        assert!(e.contains("accepted forms"), "{bad}: {e}");
    }
    assert!(parse_timestamp("0000-01-01", &tz)
        .unwrap_err()
        .contains("year 0"));
    assert!(parse_timestamp("9999-12-31T00:00:00Z", &tz)
        .unwrap_err()
        .contains("9999"));
}

#[test]
fn enums_flags_days() {
    let keys: Vec<String> = ["intimidation", "impersonation", "age"]
        .map(String::from)
        .to_vec();
    assert_eq!(parse_enum("AGE", &keys, "category"), Ok(2));
    let e = parse_enum("intimdation", &keys, "category").unwrap_err();
    assert!(e.contains("did you mean `intimidation`?"), "{e}");
    assert!(!parse_enum("zzz", &keys, "category")
        .unwrap_err()
        .contains("did you mean"));
    assert_eq!(parse_flag("YES"), Ok(true));
    assert_eq!(parse_flag(""), Ok(false));
    assert!(parse_flag("maybe").is_err());
    assert_eq!(parse_days("14"), Ok(14));
    for bad in ["-1", "1.5", "1e3", "99999999999"] {
        assert!(parse_days(bad).is_err(), "{bad}");
    }
}

/// The fast path gives exactly what chrono gives, for every form and zone.
#[test]
fn timestamp_parser_matches_chrono() {
    let zones = [
        chrono_tz::America::Chicago,
        chrono_tz::Europe::Amsterdam,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::UTC,
    ];
    let mut cells = vec![
        "2025-03-09T02:30".to_string(),
        "2025-11-02T01:30:00".into(),
        "2025-03-09".into(),
        "1900-01-01T00:00:00Z".into(),
        "1899-12-31T23:00:00-01:00".into(),
        "2999-12-31T23:59:59-12:00".into(),
        "0000-01-01".into(),
        "2024-02-29".into(),
        "2025-02-29".into(),
        "2025-04-31".into(),
        "2025-03-04T10:15:00-00:00".into(),
        "2025-03-04T10:15:00+23:59".into(),
        "2025-03-04T10:15:00+24:00".into(),
        "2025-03-04T10:15:60".into(),
        "2025-03-04T24:00".into(),
        "2025-03-04 10:15:00z".into(),
        "2025-03-04t10:15".into(),
        "2025-03-04T10:15:00.5".into(),
        "2025-03-04T10:15+01:00".into(),
        "2025-3-04T10:15".into(),
        "1937-07-01T00:00:00".into(),
    ];
    let mut seed = 7u64;
    let mut rnd = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for _ in 0..20_000 {
        let y = 1899 + rnd(130) + if rnd(10) == 0 { 900 } else { 0 };
        let (m, d, h, mi, s) = (1 + rnd(12), 1 + rnd(31), rnd(24), rnd(60), rnd(60));
        let date = format!("{y:04}-{m:02}-{d:02}");
        let sep = ["T", " ", "t"][rnd(3) as usize];
        cells.push(match rnd(5) {
            0 => date,
            1 => format!("{date}{sep}{h:02}:{mi:02}"),
            2 => format!("{date}{sep}{h:02}:{mi:02}:{s:02}"),
            3 => format!("{date}{sep}{h:02}:{mi:02}:{s:02}Z"),
            _ => format!(
                "{date}{sep}{h:02}:{mi:02}:{s:02}{}{:02}:{:02}",
                ["+", "-"][rnd(2) as usize],
                rnd(15),
                [0, 30, 45][rnd(3) as usize]
            ),
        });
    }
    for tz in zones {
        let mut p = TimestampParser::new(tz);
        for c in &cells {
            assert_eq!(p.parse(c), parse_timestamp(c, &tz), "{c} in {tz}");
        }
        for secs in (-2_300_000_000i64..33_000_000_000).step_by(3_599_993) {
            assert_eq!(p.local_day(secs), local_day(secs, &tz), "{secs} in {tz}");
        }
    }
}

#[test]
fn shorten_long_values() {
    let long = "x".repeat(10_000_000);
    assert_eq!(shorten(&long).chars().count(), 58);
    assert_eq!(shorten("a\nb"), "a\u{fffd}b");
}

#[test]
fn one_range_of_days_from_1900_to_2999() {
    assert_eq!(FIRST_DAY, day(MIN_YEAR, 1, 1));
    assert_eq!(LAST_DAY, day(MAX_YEAR, 12, 31));
    assert_eq!(UNIX_EPOCH_DAY, day(1970, 1, 1));
    let utc = chrono_tz::UTC;
    for tz in [utc, chicago(), chrono_tz::Pacific::Kiritimati] {
        let mut fast = TimestampParser::new(tz);
        for ok in [
            "2999-12-31",
            "2999-12-31T23:59",
            "1900-01-01",
            "1900-01-01 00:00:00",
        ] {
            assert!(fast.parse(ok).is_ok(), "{ok}");
            assert!(parse_timestamp(ok, &tz).is_ok(), "{ok}");
        }
        // The day after the last one was accepted as a date alone.
        for bad in [
            "3000-01-01",
            "3000-01-01T00:00",
            "1899-12-31",
            "1899-12-31T23:59:59",
        ] {
            let e = fast.parse(bad).unwrap_err();
            assert!(e.starts_with("year "), "{bad}: {e}");
            assert_eq!(parse_timestamp(bad, &tz).unwrap_err(), e);
        }
    }
    assert!(check_date(NaiveDate::from_ymd_opt(2999, 12, 31).unwrap()).is_ok());
    assert_eq!(
        check_date(NaiveDate::from_ymd_opt(3000, 1, 1).unwrap()).unwrap_err(),
        "year 3000 is outside 1900–2999; check the date"
    );
}

/// Every month's English name, with its length in 2025 (no leap year), counted by hand.
#[test]
fn each_month_is_named_by_its_english_name() {
    let mut fast = TimestampParser::new(chicago());
    for (m, name, days) in [
        (1, "January", 31),
        (2, "February", 28),
        (3, "March", 31),
        (4, "April", 30),
        (5, "May", 31),
        (6, "June", 30),
        (7, "July", 31),
        (8, "August", 31),
        (9, "September", 30),
        (10, "October", 31),
        (11, "November", 30),
        (12, "December", 31),
    ] {
        let cell = format!("2025-{m:02}-32");
        assert_eq!(
            fast.parse(&cell).unwrap_err(),
            format!("{name} 2025 has {days} days"),
            "{cell}"
        );
    }
}

#[test]
fn impossible_dates_are_named() {
    let tz = chicago();
    let mut fast = TimestampParser::new(tz);
    for (cell, msg) in [
        ("2025-02-30", "February 2025 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2100-02-29T10:00", "February 2100 has 28 days"),
        ("2025-06-31 08:00:00", "June 2025 has 30 days"),
        ("2025-12-32T08:00:00Z", "December 2025 has 31 days"),
        (
            "2025-00-10",
            "there is no month 00 (months are 01–12; the form is YYYY-MM-DD)",
        ),
        ("2025-03-04T25:00", "there is no hour 25 (hours are 00–23)"),
        (
            "2025-03-04 10:75",
            "there is no minute 75 (minutes are 00–59)",
        ),
    ] {
        assert_eq!(fast.parse(cell).unwrap_err(), msg, "{cell}");
    }
    for cell in ["03/04/2025", "2025-3-4", "2025-02-28X", "yesterday"] {
        assert!(
            fast.parse(cell)
                .unwrap_err()
                .starts_with("not a timestamp; accepted forms"),
            "{cell}"
        );
    }
}
