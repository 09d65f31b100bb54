//! Property tests of the loader: random bytes and random damage to valid exports never make
//! it panic; rows read = rows counted + rows rejected, per file and in total; and a build of
//! the same file either succeeds or fails with `InvalidData`, never another error.
//!
//! The case counts are kept small for CI; run longer with e.g.
//! `PROPTEST_CASES=200000 cargo test --release --test load_props`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use transparency_report::commands::build::{self, Options, Plan};
use transparency_report::config::Config;
use transparency_report::error::Error;
use transparency_report::load;
use transparency_report::schema::COLUMNS;

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn config() -> Config {
    Config {
        min_cell: 3,
        ignore_columns: vec!["notes".into()],
        ..Config::default()
    }
}

/// Loads `bytes` as one export and checks the row accounting.
fn check_load(dir: &Path, bytes: &[u8]) -> Result<PathBuf, TestCaseError> {
    let path = dir.join("cases.csv");
    std::fs::write(&path, bytes).unwrap();
    let loaded = load::load(std::slice::from_ref(&path), &config());
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => return Err(TestCaseError::fail(format!("load failed: {e}"))),
    };
    prop_assert_eq!(loaded.inputs.len(), 1);
    let s = &loaded.inputs[0];
    prop_assert_eq!(s.rows_read, s.rows_valid + s.rows_rejected, "per file");
    prop_assert_eq!(
        loaded.table.len() as u64,
        s.rows_valid,
        "table = valid rows"
    );
    prop_assert_eq!(loaded.errors.rejected_rows, s.rows_rejected);
    prop_assert!(loaded.errors.total >= loaded.errors.rejected_rows);
    prop_assert!(loaded.errors.shown.len() <= load::SHOWN_ERRORS);
    for c in &loaded.table.chunks {
        prop_assert_eq!(c.category_row.len(), c.category.len());
        prop_assert!(c.category_row.iter().all(|r| (*r as usize) < c.len()));
    }
    if loaded.errors.total == 0 {
        prop_assert_eq!(s.rows_valid, s.rows_read);
    }
    for e in &loaded.errors.shown {
        prop_assert!(e.line >= 1);
        prop_assert!(e.value.as_ref().is_none_or(|v| v.chars().count() <= 60));
    }
    Ok(path)
}

/// A build of `path`: Ok or InvalidData, and the summary's row accounting holds.
fn check_build(dir: &Path, path: &Path, skip_invalid: bool) -> Result<(), TestCaseError> {
    let cfg = dir.join("report.toml");
    if !cfg.exists() {
        std::fs::write(&cfg, "min_cell = 3\nignore_columns = [\"notes\"]\n").unwrap();
    }
    let plan = Plan::resolve(&Options {
        inputs: vec![path.to_path_buf()],
        config: Some(cfg),
        year: Some(2025),
        skip_invalid,
        ..Options::default()
    })
    .map_err(|e| TestCaseError::fail(format!("plan: {e}")))?;
    match build::compute(&plan) {
        Ok(b) => {
            let r = &b.summary.rows;
            prop_assert_eq!(r.read, r.counted + r.rejected);
            prop_assert_eq!(
                Some(r.counted),
                b.summary.cases.total.map(|t| t + r.outside_period)
            );
            prop_assert!(skip_invalid || r.rejected == 0);
            Ok(())
        }
        Err(Error::InvalidData(_)) => Ok(()),
        // A valid export too small to protect at min_cell 3 (a handful of cases): the build
        // stops rather than publish a cell a reader could work out (tests/disclosure.rs).
        Err(Error::Protection(_)) => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!("unexpected error: {e}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Generators

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (2024i32..2027, 1u32..13, 1u32..29, 0u32..24, 0u32..60).prop_map(|(y, m, d, h, mi)| {
            format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:00Z")
        }),
        3 => (2025i32..2026, 1u32..13, 1u32..29, 0u32..24).prop_map(|(y, m, d, h)| {
            format!("{y}-{m:02}-{d:02} {h:02}:30")
        }),
        2 => (2025i32..2026, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        2 => (2025i32..2026, 1u32..13, 1u32..29, -14i32..15).prop_map(|(y, m, d, o)| {
            let sign = if o < 0 { '-' } else { '+' };
            format!("{y}-{m:02}-{d:02}T12:00:00{sign}{:02}:00", o.abs())
        }),
        1 => (0i32..10_000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => "[0-9T:+ Z-]{0,30}",
        1 => Just(String::new()),
    ]
}

fn random_case(s: String) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<bool>(), s.len()).prop_map(move |flips| {
        s.chars()
            .zip(flips)
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

/// Mostly a valid key (last entry of `keys` is invalid), in random letter case.
fn one_of(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let (bad, good) = keys.split_last().unwrap();
    prop_oneof![
        60 => proptest::sample::select(good),
        1 => Just(*bad),
    ]
    .prop_flat_map(|k| random_case(k.to_string()))
}

/// An instant in 2025 plus `hours`, as RFC 3339 in UTC.
fn at(base: i64, hours: i64) -> String {
    chrono::DateTime::from_timestamp(base + hours * 3600, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A later event: mostly empty or a consistent time after `base`, sometimes anything.
fn later() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![20 => Just(None), 40 => (0i64..3000).prop_map(Some), 1 => Just(Some(-5))]
}

const PLATFORMS: &[&str] = &[
    "ala_connect",
    "social_media",
    "website",
    "blog",
    "online_publication",
    "twitter",
    "",
];
const CATEGORIES: &[&str] = &[
    "age",
    "language",
    "intimidation",
    "other",
    "age;other",
    " Age ; LANGUAGE ",
    "agee",
    ";",
    "",
];
const LEVELS: &[&str] = &["A", "B", "C", "D", "", "E"];
const REPORTERS: &[&str] = &["named", "anonymous", "moderator", "", "someone"];
const ACTIONS: &[&str] = &[
    "no_action",
    "discussion",
    "warning",
    "content_removed",
    "temporary_suspension",
    "full_suspension",
    "",
    "ban",
];
const FLAGS: &[&str] = &["yes", "no", "true", "false", "", "maybe"];
const OUTCOMES: &[&str] = &[
    "upheld",
    "overturned",
    "modified",
    "withdrawn",
    "pending",
    "",
    "lost",
];

/// One row's 15 cells in SPEC column order (mostly valid, sometimes not).
fn row() -> impl Strategy<Value = Vec<String>> {
    let days = prop_oneof![
        4 => Just(String::new()),
        4 => (0u32..400).prop_map(|d| d.to_string()),
        1 => "-?[0-9]{1,25}",
    ];
    let reported = prop_oneof![
        30 => (1_735_689_600i64..1_767_225_600).prop_map(|s| (Some(s), String::new())),
        1 => timestamp().prop_map(|t| (None, t)),
    ];
    (
        (
            reported,
            one_of(PLATFORMS),
            one_of(CATEGORIES),
            one_of(LEVELS),
            one_of(REPORTERS),
        ),
        (one_of(ACTIONS), days, one_of(FLAGS), later(), later()),
        (
            later(),
            later(),
            later(),
            one_of(OUTCOMES),
            prop_oneof![30 => Just(None), 1 => timestamp().prop_map(Some)],
        ),
    )
        .prop_map(
            |((r, p, c, l, rt), (a, d, f, ack, res), (com, filed, dec, o, wild))| {
                let (base, text) = r;
                let base = base.unwrap_or(1_740_000_000);
                let reported = if text.is_empty() { at(base, 0) } else { text };
                let ev = |h: Option<i64>| h.map(|h| at(base, h)).unwrap_or_default();
                let filed_h = filed.map(|f| f + 24);
                let mut cells = vec![
                    String::new(),
                    reported,
                    p,
                    c,
                    l,
                    rt,
                    a,
                    d,
                    f,
                    ev(ack),
                    ev(res),
                    ev(com),
                    ev(filed_h),
                    filed_h
                        .and(dec)
                        .map(|x| at(base, filed_h.unwrap() + x))
                        .unwrap_or_default(),
                    if filed_h.is_some() { o } else { String::new() },
                ];
                if let Some(w) = wild {
                    let i = 9 + (w.len() % 5);
                    cells[i] = w;
                }
                cells
            },
        )
}

/// Damage applied to the CSV text of a valid-looking export.
#[derive(Debug, Clone)]
enum Damage {
    DropCell(usize, usize),
    DuplicateCell(usize, usize),
    SwapCells(usize, usize, usize),
    InsertBytes(usize, Vec<u8>),
    DuplicateRow(usize),
    BlankCell(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let bytes = prop_oneof![
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF".to_vec()),
        Just(b"\xC3".to_vec()),
        Just(b",".to_vec()),
        Just(b"\0".to_vec()),
        Just("é".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..6),
    ];
    prop_oneof![
        (any::<usize>(), 0usize..15).prop_map(|(r, c)| Damage::DropCell(r, c)),
        (any::<usize>(), 0usize..15).prop_map(|(r, c)| Damage::DuplicateCell(r, c)),
        (any::<usize>(), 0usize..15, 0usize..15).prop_map(|(r, a, b)| Damage::SwapCells(r, a, b)),
        (any::<usize>(), bytes).prop_map(|(p, b)| Damage::InsertBytes(p, b)),
        any::<usize>().prop_map(Damage::DuplicateRow),
        (any::<usize>(), 0usize..15).prop_map(|(r, c)| Damage::BlankCell(r, c)),
    ]
}

#[derive(Debug, Clone)]
struct Export {
    /// Permutation of the SPEC columns, with their header spelling.
    order: Vec<usize>,
    header_case: Vec<bool>,
    notes: bool,
    bom: bool,
    crlf: bool,
    quote_all: bool,
    rows: Vec<Vec<String>>,
    damage: Vec<Damage>,
}

fn export() -> impl Strategy<Value = Export> {
    (
        Just((0..15).collect::<Vec<usize>>()).prop_shuffle(),
        proptest::collection::vec(any::<bool>(), 15),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(row(), 0..25),
        proptest::collection::vec(damage(), 0..4),
    )
        .prop_map(
            |(order, header_case, notes, bom, crlf, quote_all, rows, damage)| Export {
                order,
                header_case,
                notes,
                bom,
                crlf,
                quote_all,
                rows,
                damage,
            },
        )
}

fn render(e: &Export) -> Vec<u8> {
    let eol = if e.crlf { "\r\n" } else { "\n" };
    let cell = |s: &str| {
        if e.quote_all || s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut header: Vec<String> = e
        .order
        .iter()
        .map(|&c| {
            let name = COLUMNS[c];
            if e.header_case[c] {
                name.to_uppercase()
            } else {
                name.to_string()
            }
        })
        .collect();
    if e.notes {
        header.push("Notes".into());
    }
    let mut rows: Vec<Vec<String>> = e
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut r = r.clone();
            r[0] = format!("ID-{i}");
            let mut out: Vec<String> = e.order.iter().map(|&c| cell(&r[c])).collect();
            if e.notes {
                out.push(cell("free text, \"quoted\"\nover lines"));
            }
            out
        })
        .collect();
    let mut inserts = Vec::new();
    for d in &e.damage {
        let n = rows.len();
        match d {
            Damage::DropCell(r, c) if n > 0 => {
                let row = &mut rows[r % n];
                if *c < row.len() {
                    row.remove(*c);
                }
            }
            Damage::DuplicateCell(r, c) if n > 0 => {
                let row = &mut rows[r % n];
                if *c < row.len() {
                    let v = row[*c].clone();
                    row.insert(*c, v);
                }
            }
            Damage::SwapCells(r, a, b) if n > 0 => {
                let row = &mut rows[r % n];
                if *a < row.len() && *b < row.len() {
                    row.swap(*a, *b);
                }
            }
            Damage::BlankCell(r, c) if n > 0 => {
                let row = &mut rows[r % n];
                if *c < row.len() {
                    row[*c] = String::new();
                }
            }
            Damage::DuplicateRow(r) if n > 0 => {
                let v = rows[r % n].clone();
                rows.push(v);
            }
            Damage::InsertBytes(p, b) => inserts.push((*p, b.clone())),
            _ => {}
        }
    }
    let mut text = String::new();
    text.push_str(&header.join(","));
    for r in &rows {
        text.push_str(eol);
        text.push_str(&r.join(","));
    }
    text.push_str(eol);
    let mut bytes = Vec::new();
    if e.bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(text.as_bytes());
    for (p, b) in inserts {
        let at = p % (bytes.len() + 1);
        bytes.splice(at..at, b);
    }
    bytes
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let d = tempfile::tempdir().unwrap();
        check_load(d.path(), &bytes)?;
    }

    #[test]
    fn random_text_after_a_valid_header_never_panics(
        body in "[a-z0-9_;:,\"\n\r -]{0,600}",
    ) {
        let d = tempfile::tempdir().unwrap();
        let text = format!("{}\n{body}", COLUMNS.join(","));
        check_load(d.path(), text.as_bytes())?;
    }
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn damaged_exports_load_and_account_for_every_row(e in export()) {
        let d = tempfile::tempdir().unwrap();
        let bytes = render(&e);
        check_load(d.path(), &bytes)?;
    }
}

proptest! {
    #![proptest_config(cases(32))]

    #[test]
    fn damaged_exports_build_or_fail_as_invalid_data(e in export(), skip in any::<bool>()) {
        let d = tempfile::tempdir().unwrap();
        let bytes = render(&e);
        let path = check_load(d.path(), &bytes)?;
        check_build(d.path(), &path, skip)?;
    }
}

#[test]
fn undamaged_generated_exports_are_mostly_valid() {
    // Guards the generator: without damage and with valid cells, a generated export loads.
    let e = Export {
        order: (0..15).rev().collect(),
        header_case: vec![true; 15],
        notes: true,
        bom: true,
        crlf: true,
        quote_all: true,
        rows: vec![vec![
            String::new(),
            "2025-03-03T09:00:00Z".into(),
            "ALA_connect".into(),
            " Age ; LANGUAGE ".into(),
            "a".into(),
            "Named".into(),
            "warning".into(),
            String::new(),
            "YES".into(),
            "2025-03-03 10:00".into(),
            "2025-03-04".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]],
        damage: vec![],
    };
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("cases.csv");
    std::fs::write(&path, render(&e)).unwrap();
    let loaded = load::load(std::slice::from_ref(&path), &config()).unwrap();
    assert_eq!(loaded.errors.total, 0, "{}", loaded.errors);
    assert_eq!(loaded.table.len(), 1);
    assert!(check_build(d.path(), &path, false).is_ok());
}
