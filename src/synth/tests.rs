//! Unit tests of `synth` (kept in their own file).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

use super::write::{count_up, date_text, Clock};
use super::zone::{exact_offset, Offsets};
use super::*;
use crate::config::calendar::day_number;

use crate::config::{Category, Entry, Level};
use crate::schema::{APPEAL_OUTCOMES, COLUMNS, REPORTER_TYPES};

fn export(rows: u64, year: i32, seed: u64, config: &Config) -> Vec<u8> {
    let mut out = Vec::new();
    generate(&SampleOptions { rows, year, seed }, config, &mut out).unwrap();
    out
}

/// One parsed row, by column name.
struct Row(csv::StringRecord);

impl Row {
    fn get(&self, column: &str) -> &str {
        let i = COLUMNS.iter().position(|c| *c == column).unwrap();
        &self.0[i]
    }
    fn time(&self, column: &str) -> Option<DateTime<FixedOffset>> {
        let s = self.get(column);
        (!s.is_empty()).then(|| {
            DateTime::parse_from_rfc3339(s)
                .unwrap_or_else(|e| panic!("{column} = {s:?} is not RFC 3339: {e}"))
        })
    }
}

fn parse(bytes: &[u8]) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    // Every column of the format up to `incident_id`; the ones added for other communities'
    // trackers (who handled a case, the person reported) are not in the sample.
    let sample = COLUMNS.iter().position(|c| *c == "incident_id").unwrap() + 1;
    assert_eq!(header, COLUMNS[..sample]);
    reader.records().map(|r| Row(r.unwrap())).collect()
}

fn local_date(t: &DateTime<FixedOffset>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// Every rule the validator applies to a row (SPEC §3), plus what the generator promises.
fn check_rows(rows: &[Row], year: i32, config: &Config) {
    let tz = config.tz().unwrap();
    let t = &config.taxonomy;
    let mut ids = std::collections::BTreeSet::new();
    let mut previous = None;
    for (n, row) in rows.iter().enumerate() {
        let id = row.get("case_id");
        assert_eq!(id, format!("C{year}-{:07}", n + 1));
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        for column in COLUMNS.iter().filter(|c| c.ends_with("_at")) {
            if let Some(time) = row.time(column) {
                let expected = tz.offset_from_utc_datetime(&time.naive_utc()).fix();
                assert_eq!(time.offset(), &expected, "{id} {column} {time}");
            }
        }
        let reported = row.time("reported_at").unwrap();
        assert_eq!(local_date(&reported, tz).year(), year, "{id}");
        assert!(previous <= Some(reported), "{id} out of report order");
        previous = Some(reported);
        for column in ["acknowledged_at", "resolved_at", "decision_communicated_at"] {
            if let Some(time) = row.time(column) {
                assert!(time >= reported, "{id}: {column} before reported_at");
            }
        }
        assert!(t.platforms.iter().any(|p| p.key == row.get("platform")));
        for c in row.get("category").split(';') {
            assert!(
                t.categories.iter().any(|k| k.key == c),
                "{id}: category {c:?}"
            );
        }
        let level = row.get("moderation_level");
        let action = row.get("action");
        let resolved = row.time("resolved_at");
        if resolved.is_some() {
            assert!(
                t.levels.iter().any(|l| l.key == level),
                "{id}: level {level:?}"
            );
            assert!(
                t.actions.iter().any(|a| a.key == action),
                "{id}: {action:?}"
            );
        } else {
            assert_eq!((level, action), ("", ""), "{id}: open case with a decision");
            assert_eq!(row.get("decision_communicated_at"), "");
        }
        assert!(REPORTER_TYPES.contains(&row.get("reporter_type")));
        assert!(["yes", "no", ""].contains(&row.get("interim_suspension")));
        match row.get("suspension_days") {
            "" => assert_ne!(action, "temporary_suspension", "{id}"),
            days => {
                assert_eq!(action, "temporary_suspension", "{id}");
                assert!((7..=90).contains(&days.parse::<u32>().unwrap()), "{id}");
            }
        }
        let communicated = row.time("decision_communicated_at");
        if let Some(c) = communicated {
            assert!(c >= resolved.unwrap(), "{id}: communicated before resolved");
        }
        let filed = row.time("appeal_filed_at");
        let decided = row.time("appeal_decided_at");
        let outcome = row.get("appeal_outcome");
        match filed {
            Some(f) => {
                assert!(
                    f >= communicated.unwrap(),
                    "{id}: appeal before decision sent"
                );
                assert!(outcome.is_empty() || APPEAL_OUTCOMES.contains(&outcome));
                match decided {
                    Some(d) => {
                        assert!(d >= f, "{id}: appeal decided before filed");
                        assert!(!outcome.is_empty() && outcome != "pending", "{id}");
                    }
                    None => assert!(outcome.is_empty() || outcome == "pending", "{id}"),
                }
            }
            None => assert_eq!((decided, outcome), (None, ""), "{id}"),
        }
    }
}

// That the same inputs give the same bytes is tested end to end: the README's command must
// remake the committed sample_data/cases.csv (tests/cli.rs).
#[test]
fn another_seed_gives_another_export() {
    let config = Config::default();
    let a = export(3_000, 2025, 7, &config);
    assert_ne!(a, export(3_000, 2025, 8, &config));
    assert!(!a.contains(&b'\r'));
}

#[test]
fn writes_the_header_and_exactly_the_rows_asked_for() {
    let config = Config::default();
    assert_eq!(export(0, 2025, 1, &config), HEADER.as_bytes());
    for rows in [1, 2, 777] {
        let bytes = export(rows, 2025, 1, &config);
        assert_eq!(parse(&bytes).len() as u64, rows);
        assert_eq!(
            bytes.iter().filter(|&&b| b == b'\n').count() as u64,
            rows + 1
        );
    }
}

#[test]
fn every_row_passes_the_validator_rules() {
    for (year, seed) in [(2025, 1), (2024, 99)] {
        let config = Config::default();
        check_rows(&parse(&export(8_000, year, seed, &config)), year, &config);
    }
}

#[test]
fn offsets_are_right_in_zones_with_unusual_dst() {
    for zone in [
        "UTC",
        "Europe/Berlin",
        "America/St_Johns",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Pacific/Chatham",
    ] {
        let config = Config {
            timezone: zone.into(),
            ..Config::default()
        };
        check_rows(&parse(&export(3_000, 2025, 3, &config)), 2025, &config);
    }
}

#[test]
fn formats_timestamps_as_rfc3339_local_time() {
    let tz: Tz = "America/Chicago".parse().unwrap();
    let offsets = Offsets::new(tz, 1_735_689_600, 1_767_225_600);
    let clock = Clock::new(offsets, 20_000, 20_500);
    let mut buf = Vec::new();
    // 2025-03-04T16:15:00Z (CST) and 2025-07-04T15:00:05Z (CDT).
    clock.push(&mut buf, 1_741_104_900);
    buf.push(b' ');
    clock.push(&mut buf, 1_751_641_205);
    assert_eq!(
        String::from_utf8(buf).unwrap(),
        "2025-03-04T10:15:00-06:00 2025-07-04T10:00:05-05:00"
    );
    for date in [
        "0001-01-01",
        "1969-12-31",
        "2024-02-29",
        "2999-12-31",
        "9999-12-31",
    ] {
        let day = day_number(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap());
        assert_eq!(&date_text(day), date.as_bytes());
    }
}

#[test]
fn cached_offsets_match_chrono_to_the_second_around_every_change() {
    for zone in [
        "America/Chicago",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "Africa/Casablanca",
    ] {
        let tz: Tz = zone.parse().unwrap();
        let (from, to) = (1_735_689_600 - 2 * DAY, 1_767_225_600 + 2 * DAY);
        let clock = Clock::new(Offsets::new(tz, from, to), 20_000, 20_500);
        let check = |utc: i64| {
            let mut buf = Vec::new();
            clock.push(&mut buf, utc);
            let expected = tz
                .timestamp_opt(utc, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string();
            assert_eq!(String::from_utf8(buf).unwrap(), expected, "{zone} {utc}");
        };
        let mut changes = 0;
        // Outside the cached span too: the exact fallback must agree as well.
        for hour in ((from - DAY)..(to + DAY)).step_by(HOUR as usize) {
            check(hour + 1_234);
            if exact_offset(tz, hour) != exact_offset(tz, hour + HOUR) {
                changes += 1;
                (hour..=hour + HOUR).for_each(check);
            }
        }
        assert!(
            changes >= 2 || zone == "Asia/Kathmandu",
            "{zone}: {changes}"
        );
    }
}

#[test]
fn includes_the_cases_a_report_must_handle() {
    let config = Config::default();
    let tz = config.tz().unwrap();
    let rows = parse(&export(20_000, 2025, 11, &config));
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count();
    let n = rows.len() as f64;
    let share = |f: &dyn Fn(&Row) -> bool| count(f) as f64 / n;

    let multi = share(&|r| r.get("category").contains(';'));
    assert!((0.10..=0.15).contains(&multi), "multi-category {multi}");
    assert!(count(&|r| r.get("category").split(';').count() == 3) > 0);

    let open = |r: &Row| r.get("resolved_at").is_empty();
    assert!(
        (0.05..=0.08).contains(&share(&open)),
        "open {}",
        share(&open)
    );
    let open_december = count(&|r| open(r) && r.get("reported_at")[5..7] == *"12");
    assert!(
        open_december * 2 > count(&open),
        "open cases mostly from December"
    );

    let missing_ack = share(&|r| r.get("acknowledged_at").is_empty());
    assert!(
        (0.005..0.06).contains(&missing_ack),
        "missing ack {missing_ack}"
    );
    let weekend = share(&|r| {
        local_date(&r.time("reported_at").unwrap(), tz)
            .weekday()
            .number_from_monday()
            > 5
    });
    assert!((0.05..0.30).contains(&weekend), "weekend {weekend}");
    assert!(count(&|r| r.get("interim_suspension") == "yes") > 0);

    let next_business_day = |d: NaiveDate| {
        let mut next = d.succ_opt().unwrap();
        while next.weekday().number_from_monday() > 5 {
            next = next.succ_opt().unwrap();
        }
        next
    };
    let acknowledged_in_time = share(&|r| {
        let reported = local_date(&r.time("reported_at").unwrap(), tz);
        r.time("acknowledged_at")
            .is_some_and(|t| local_date(&t, tz) <= next_business_day(reported))
    });
    assert!(
        (0.75..0.95).contains(&acknowledged_in_time),
        "acknowledged by the next business day {acknowledged_in_time}"
    );

    let in_month = |m: &str| count(&|r| r.get("reported_at")[5..7] == *m);
    let months: Vec<usize> = (1..=12).map(|m| in_month(&format!("{m:02}"))).collect();
    assert!(months.iter().all(|&c| c > rows.len() / 24), "{months:?}");
    assert!(
        months[5] > months[11],
        "June busier than December: {months:?}"
    );

    for (reporter, lo, hi) in [
        ("named", 0.60, 0.70),
        ("anonymous", 0.20, 0.30),
        ("moderator", 0.07, 0.13),
    ] {
        let s = share(&|r| r.get("reporter_type") == reporter);
        assert!((lo..=hi).contains(&s), "{reporter} {s}");
    }

    let days = |r: &Row| {
        let reported = r.time("reported_at").unwrap();
        r.time("resolved_at")
            .map(|t| (t - reported).num_seconds() as f64 / 86_400.0)
    };
    assert!(count(&|r| days(r).is_some_and(|d| d > 90.0)) > 0);
    assert!(count(&|r| r.get("moderation_level") == "A" && days(r).is_some_and(|d| d > 30.0)) == 0);

    let appealed = |r: &Row| !r.get("appeal_filed_at").is_empty();
    let level_d = count(&|r| r.get("moderation_level") == "D") as f64;
    let d_rate = count(&|r| appealed(r) && r.get("moderation_level") == "D") as f64 / level_d;
    assert!((0.2..0.4).contains(&d_rate), "D appeal rate {d_rate}");
    let ineligible = count(&|r| appealed(r) && r.get("moderation_level") != "D");
    assert!(
        ineligible > 0 && ineligible * 4 < count(&appealed),
        "{ineligible}"
    );
    let late = count(&|r| {
        appealed(r) && {
            let sent = local_date(&r.time("decision_communicated_at").unwrap(), tz);
            let filed = local_date(&r.time("appeal_filed_at").unwrap(), tz);
            (filed - sent).num_days() > config.appeal_window_days
        }
    });
    assert!(late > 0 && late * 5 < count(&appealed), "late {late}");
    assert!(count(&|r| appealed(r) && r.get("appeal_decided_at").is_empty()) > 0);
    for outcome in ["upheld", "overturned", "modified", "withdrawn"] {
        assert!(
            count(&|r| r.get("appeal_outcome") == outcome) > 0,
            "{outcome}"
        );
    }
    assert!(
        count(&|r| r.get("appeal_outcome") == "upheld") * 2
            > count(&|r| appealed(r) && !r.get("appeal_decided_at").is_empty())
    );
    assert!(
        count(&|r| !r.get("resolved_at").is_empty() && r.get("decision_communicated_at").is_empty())
            > 0
    );
}

#[test]
fn another_communitys_taxonomy_is_used_and_quoted() {
    let entry = |k: &str| Entry {
        key: k.into(),
        label: k.into(),
    };
    let mut config = Config {
        timezone: "Europe/Paris".into(),
        business_days: ["mon", "tue", "wed", "thu"].map(String::from).to_vec(),
        holidays: vec![NaiveDate::from_ymd_opt(2023, 7, 14).unwrap()],
        ack_target_business_days: Some(2),
        appeal_window_days: 30,
        ..Config::default()
    };
    config.taxonomy.platforms = vec![entry("forum"), entry("chat")];
    config.taxonomy.categories = ["spam", "abuse", "a,\"b\"", "doxxing"]
        .iter()
        .map(|k| Category {
            key: k.to_string(),
            label: k.to_string(),
            group: "harassment".into(),
        })
        .collect();
    config.taxonomy.levels = ["low", "mid", "high"]
        .iter()
        .map(|k| Level {
            key: k.to_string(),
            label: k.to_string(),
            description: String::new(),
        })
        .collect();
    config.taxonomy.actions = vec![entry("none"), entry("warn"), entry("ban")];
    config.appealable_levels = vec!["HIGH".into()];
    config.check().unwrap();
    let rows = parse(&export(5_000, 2023, 5, &config));
    check_rows(&rows, 2023, &config);
    assert!(rows.iter().any(|r| r.get("category").contains("a,\"b\"")));
    assert!(rows
        .iter()
        .any(|r| r.get("category").contains(';') && r.get("category").contains(',')));
    assert!(rows
        .iter()
        .any(|r| r.get("moderation_level") == "high" && !r.get("appeal_filed_at").is_empty()));
}

#[test]
fn case_ids_count_past_seven_digits() {
    let mut id = b"C2025-9999998".to_vec();
    count_up(&mut id, 6);
    assert_eq!(id, b"C2025-9999999");
    count_up(&mut id, 6);
    assert_eq!(id, b"C2025-10000000");
    count_up(&mut id, 6);
    assert_eq!(id, b"C2025-10000001");
}

#[test]
fn bad_options_are_errors_not_panics() {
    let config = Config::default();
    let opts = |year| SampleOptions {
        rows: 10,
        year,
        seed: 0,
    };
    let err = generate(&opts(1800), &config, Vec::new()).unwrap_err();
    assert!(
        matches!(err, SampleError::Invalid(ref m) if m.contains("1800")),
        "{err}"
    );
    let bad_zone = Config {
        timezone: "Mars/Base".into(),
        ..Config::default()
    };
    assert!(matches!(
        generate(&opts(2025), &bad_zone, Vec::new()),
        Err(SampleError::Invalid(_))
    ));
    let mut semicolon = Config::default();
    semicolon.taxonomy.categories[0].key = "a;b".into();
    assert!(matches!(
        generate(&opts(2025), &semicolon, Vec::new()),
        Err(SampleError::Invalid(_))
    ));
}

#[test]
fn errors_keep_their_message_and_exit_code_2_in_the_crate_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let opts = SampleOptions {
        rows: 10,
        year: 2025,
        seed: 0,
    };
    let io: crate::error::Error = generate(&opts, &Config::default(), Full)
        .unwrap_err()
        .into();
    assert!(matches!(io, crate::error::Error::Io { .. }), "{io:?}");
    assert_eq!(io.to_string(), "cannot write the sample export: disk full");
    let bad_year = SampleOptions { year: 1800, ..opts };
    let usage: crate::error::Error = generate(&bad_year, &Config::default(), Vec::new())
        .unwrap_err()
        .into();
    let message = usage.to_string();
    assert!(
        message.starts_with("cannot generate a sample export: ") && message.contains("1800"),
        "{message}"
    );
    assert_eq!((io.exit_code(), usage.exit_code()), (2, 2));
}
