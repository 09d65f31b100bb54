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

/// The figures of `period` from `table`, as JSON (every figure, and the incident figures).
fn figures(table: Cow<'_, CaseTable>, config: &Config, period: &Period) -> String {
    let a = aggregate_counted(table, config, period, 0, 0).unwrap();
    format!(
        "{}\n{:?}",
        serde_json::to_string(&a.summary).unwrap(),
        a.incidents
    )
}

/// A site builds every period from one shared table, read in many pieces (chunks wholly in
/// the period, wholly outside and across its bounds); a one-period build owns its table.
/// The figures are the same whichever way the rows are held.
#[test]
fn a_shared_table_in_pieces_gives_the_figures_of_an_owned_one() {
    use crate::load::{load_with, LoadOptions};
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let period = |label: &str, start: (i32, u32, u32), end: (i32, u32, u32)| Period {
        label: label.into(),
        start: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
        end: NaiveDate::from_ymd_opt(end.0, end.1, end.2).unwrap(),
        event: None,
    };
    let cases = [
        // Seven years with incidents.
        (
            "periods",
            Config::default(),
            vec![
                period("2019", (2019, 1, 1), (2019, 12, 31)),
                period("2022", (2022, 1, 1), (2022, 12, 31)),
                period("2025H1", (2025, 1, 1), (2025, 6, 30)),
                period("2025", (2025, 1, 1), (2025, 12, 31)),
                period("2030", (2030, 1, 1), (2030, 12, 31)),
            ],
        ),
        // People and handlers, cases before and after the year.
        (
            "people",
            crate::config::LoadedConfig::load(&fixtures.join("people/report.toml"))
                .unwrap()
                .config,
            vec![
                period("2024", (2024, 1, 1), (2024, 12, 31)),
                period("2024Q2", (2024, 4, 1), (2024, 6, 30)),
            ],
        ),
    ];
    for (fixture, config, periods) in cases {
        let path = fixtures.join(fixture).join("cases.csv");
        let load = |block: usize| {
            let opts = LoadOptions {
                progress: false,
                threads: 2,
                block,
            };
            load_with(std::slice::from_ref(&path), &config, &opts)
                .unwrap()
                .table
        };
        let whole = load(1 << 30);
        // Pieces of a row or two up to about twenty rows (some across a period's bounds).
        for block in [64, 300, 4096] {
            let pieces = load(block);
            assert!(
                block > 64 || pieces.chunks.len() > 5,
                "{fixture}: one piece"
            );
            for p in &periods {
                let owned = figures(Cow::Owned(whole.clone()), &config, p);
                let at = format!("{fixture} {} in pieces of {block} bytes", p.label);
                assert_eq!(figures(Cow::Borrowed(&pieces), &config, p), owned, "{at}");
                assert_eq!(
                    figures(Cow::Owned(pieces.clone()), &config, p),
                    owned,
                    "{at}"
                );
            }
        }
    }
}

#[test]
fn dense_numbers_are_equal_exactly_for_equal_ids() {
    // Ids spread over the buckets (leading bits) and within one.
    let ids: Vec<u128> = [
        5u128,
        0,
        1 << 127,
        5,
        0,
        (1 << 127) | 9,
        1 << 127,
        7 << 120,
        5,
    ]
    .to_vec();
    let (numbers, n) = frames::dense_numbers(ids.as_slice(), 0, true);
    assert_eq!(n, 6, "4 distinct ids and 2 empty cells");
    for (i, a) in ids.iter().enumerate() {
        for (j, b) in ids.iter().enumerate() {
            let same = a == b && (*a != 0 || i == j);
            assert_eq!(numbers[i] == numbers[j], same, "{i} {j}");
        }
    }
    let (numbers, n) = frames::dense_numbers(ids.as_slice(), 0, false);
    assert_eq!(n, 4);
    assert_eq!(numbers[1], u32::MAX);
    assert_eq!(numbers[4], u32::MAX);
    assert!(numbers.iter().filter(|&&x| x != u32::MAX).all(|&x| x < 4));
}
