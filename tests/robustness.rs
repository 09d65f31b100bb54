//! Broken and hostile exports through the real binary: each gives a clear message and exit 1
//! (the data) or 2 (the file, the config, the command line), never a panic or a backtrace,
//! and writes nothing.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

const HEADER: &str = "case_id,reported_at,platform,category,moderation_level,reporter_type,action,suspension_days,interim_suspension,acknowledged_at,resolved_at,decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome";
const ROW: &str = "A1,2025-03-03T09:00,ala_connect,age,A,named,discussion,,,2025-03-03T10:00,2025-03-04T09:00,2025-03-04T09:00,,,";
const CONFIG: &str = "min_cell = 0\n[period]\nyear = 2025\n";

/// A folder with report.toml and `cases.csv` holding `bytes`.
fn dir_with(bytes: &[u8]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("cases.csv"), bytes).unwrap();
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    d
}

fn build(dir: &Path) -> Output {
    common::run(dir, &["build", "--input", "cases.csv"])
}

/// Exit `code`, every needle in stderr, no panic, no backtrace, no report written.
fn assert_fails(dir: &Path, o: &Output, code: i32, needles: &[&str]) -> String {
    let err = common::stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr:\n{}", head(&err));
    assert!(!err.contains("panicked"), "{}", head(&err));
    assert!(!err.contains("RUST_BACKTRACE"), "{}", head(&err));
    assert!(err.starts_with("error: "), "{}", head(&err));
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in:\n{}", head(&err));
    }
    assert!(
        !dir.join("output").exists(),
        "nothing may be written on a failed build"
    );
    err
}

fn head(s: &str) -> &str {
    let mut end = s.len().min(4000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn fails_with(bytes: &[u8], code: i32, needles: &[&str]) -> String {
    let d = dir_with(bytes);
    let o = build(d.path());
    let err = assert_fails(d.path(), &o, code, needles);
    let v = common::run(d.path(), &["validate", "--input", "cases.csv"]);
    assert_eq!(v.status.code(), Some(code), "validate agrees");
    assert!(!common::stderr(&v).contains("panicked"));
    err
}

#[test]
fn empty_file() {
    fails_with(b"", 1, &["cases.csv:1:", "the file is empty", "case_id"]);
    // Only a BOM, only blank lines: still nothing to read.
    fails_with(b"\xEF\xBB\xBF", 1, &["the file is empty"]);
}

#[test]
fn header_only_builds_an_empty_report() {
    // A committee with no cases exports just the header: that is a valid export of zero cases.
    let d = dir_with(format!("{HEADER}\n").as_bytes());
    let o = build(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let md = fs::read_to_string(d.path().join("output/2025/report.md")).unwrap();
    assert!(
        md.contains("The committee received no cases in this period."),
        "{md}"
    );
}

#[test]
fn wrong_delimiter() {
    for sep in [";", "\t"] {
        let text = format!("{}\n{}\n", HEADER.replace(',', sep), ROW.replace(',', sep));
        let err = fails_with(
            text.as_bytes(),
            1,
            &[
                "cases.csv:1:",
                "another delimiter",
                "comma-separated",
                "column `case_id`: required column is missing",
            ],
        );
        assert!(
            err.len() < 20_000,
            "message stays readable: {} bytes",
            err.len()
        );
    }
}

#[test]
fn not_utf8_anywhere() {
    // Latin-1 in a cell, in the header, and a UTF-16 file.
    let mut cell = format!("{HEADER}\n").into_bytes();
    cell.extend_from_slice(b"A1,2025-03-03T09:00,ala_connect,\xE2ge,A,named,discussion,,,,,,,,\n");
    fails_with(
        &cell,
        1,
        &["cases.csv:2: column `category`: the cell is not UTF-8 text"],
    );
    let mut header = b"case_id,r\xE9ported_at".to_vec();
    header.extend_from_slice(&HEADER.as_bytes()[19..]);
    header.extend_from_slice(format!("\n{ROW}\n").as_bytes());
    fails_with(&header, 1, &["cases.csv:1: the header is not UTF-8 text"]);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("{HEADER}\n{ROW}\n")
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    fails_with(&utf16, 1, &["cases.csv:1: the file is UTF-16"]);
    // Random binary.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fails_with(&noise, 1, &["cases.csv:1:"]);
}

#[test]
fn a_ten_megabyte_cell() {
    let big = "x".repeat(10 * 1024 * 1024);
    for column in [0usize, 1, 3, 7] {
        let mut cells: Vec<String> = ROW.split(',').map(String::from).collect();
        cells[column] = big.clone();
        let text = format!("{HEADER}\n{}\n{ROW}\n", cells.join(","));
        let start = Instant::now();
        let d = dir_with(text.as_bytes());
        let o = build(d.path());
        let err = common::stderr(&o);
        assert!(!err.contains("panicked"));
        if column == 0 {
            // A long case id is still an id; it is never published.
            assert_eq!(o.status.code(), Some(0), "{}", head(&err));
            for (path, bytes) in common::snapshot(&d.path().join("output/2025")) {
                assert!(
                    !bytes.windows(64).any(|w| w.iter().all(|&b| b == b'x')),
                    "{path} contains the id"
                );
            }
        } else {
            assert_fails(d.path(), &o, 1, &["cases.csv:2: column `"]);
        }
        assert!(
            err.len() < 10_000,
            "the value is shortened on screen, not echoed: {} bytes",
            err.len()
        );
        assert!(start.elapsed() < Duration::from_secs(20));
    }
}

#[test]
fn unbalanced_quotes() {
    let text = format!(
        "{HEADER}\nA1,\"2025-03-03T09:00,ala_connect,age,A,named,discussion,,,,,,,,\n{}\n",
        ROW.replace("A1", "A2")
    );
    fails_with(
        text.as_bytes(),
        1,
        &["cases.csv:2: this row has", "unbalanced quote"],
    );
    // A quote opened in the header.
    let text = format!("\"{HEADER}\n{ROW}\n");
    fails_with(text.as_bytes(), 1, &["cases.csv:1:"]);
}

#[test]
fn a_million_columns() {
    let mut header = String::with_capacity(9_000_000);
    for i in 0..1_000_000 {
        if i > 0 {
            header.push(',');
        }
        header.push_str(&format!("c{i}"));
    }
    header.push('\n');
    header.push_str(ROW);
    header.push('\n');
    let d = dir_with(header.as_bytes());
    let start = Instant::now();
    let o = build(d.path());
    let took = start.elapsed();
    let err = assert_fails(
        d.path(),
        &o,
        1,
        &[
            "cases.csv:1: the header has 1000000 cells",
            "comma-separated",
        ],
    );
    assert!(
        took < Duration::from_secs(10),
        "a huge header is refused quickly, took {took:?}"
    );
    assert!(
        err.len() < 20_000,
        "the message stays short: {} bytes",
        err.len()
    );
    // The same header with a valid one in front: still refused, still quick.
    let text = format!("{HEADER},{}", header);
    let d = dir_with(text.as_bytes());
    let start = Instant::now();
    let o = build(d.path());
    assert_fails(d.path(), &o, 1, &["cases.csv:1:"]);
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn many_rows_of_a_wide_ragged_file_stay_bounded() {
    // 200 rows of 5,000 cells each against a 15-column header: one clear error per row.
    let wide = vec!["x"; 5_000].join(",");
    let mut text = format!("{HEADER}\n");
    for _ in 0..200 {
        text.push_str(&wide);
        text.push('\n');
    }
    let err = fails_with(
        text.as_bytes(),
        1,
        &[
            "this row has 5000 cells but the header has 15",
            "200 problems in 200 rows",
        ],
    );
    assert!(err.len() < 50_000);
}

#[test]
fn dates_out_of_range() {
    for (bad, needle) in [
        ("0000-01-01", "year 0"),
        ("0000-01-01T00:00:00Z", "year"),
        ("9999-12-31", "9999"),
        ("9999-12-31T23:59:59+14:00", "9999"),
        // One day past the last accepted one, in every form.
        ("3000-01-01", "year 3000 is outside 1900–2999"),
        ("3000-01-01T00:00", "year 3000 is outside 1900–2999"),
        ("3000-01-01T06:00:00Z", "year 3000 is outside 1900–2999"),
        ("1899-12-31", "year 1899 is outside 1900–2999"),
        ("+275760-09-13", "not a timestamp"),
        ("-0001-01-01", "not a timestamp"),
        ("2025-03-03T09:00:00+99:00", "not a timestamp"),
    ] {
        let row = ROW.replace("2025-03-03T09:00,ala", &format!("{bad},ala"));
        fails_with(
            format!("{HEADER}\n{row}\n").as_bytes(),
            1,
            &["cases.csv:2: column `reported_at`", needle],
        );
        // In a later column too.
        let row = ROW.replace("2025-03-04T09:00,2025", &format!("{bad},2025"));
        fails_with(
            format!("{HEADER}\n{row}\n").as_bytes(),
            1,
            &["cases.csv:2: column `resolved_at`"],
        );
    }
}

#[test]
fn negative_or_huge_suspension_days() {
    for bad in [
        "-1",
        "-9223372036854775808",
        "4294967296",
        "18446744073709551616",
        "99999999999999999999999999999999",
        "1e9",
        "NaN",
        "inf",
        "0x10",
        "١٢",
    ] {
        let row = format!(
            "A1,2025-03-03T09:00,ala_connect,age,A,named,temporary_suspension,{bad},,,,,,,"
        );
        fails_with(
            format!("{HEADER}\n{row}\n").as_bytes(),
            1,
            &["cases.csv:2: column `suspension_days`"],
        );
    }
    // The largest value accepted still builds (and its median prints sensibly).
    let row = "A1,2025-03-03T09:00,ala_connect,age,A,named,temporary_suspension,4294967295,,,,,,,";
    let d = dir_with(format!("{HEADER}\n{row}\n").as_bytes());
    let o = build(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
}

#[test]
fn a_row_of_only_commas() {
    let commas = ",".repeat(14);
    fails_with(
        format!("{HEADER}\n{commas}\n{ROW}\n").as_bytes(),
        1,
        &[
            "cases.csv:2: column `case_id`: a value is required",
            "cases.csv:2: column `reported_at`: a value is required",
        ],
    );
    // Fewer commas than columns: a ragged row.
    fails_with(
        format!("{HEADER}\n,,,\n").as_bytes(),
        1,
        &["cases.csv:2: this row has 4 cells but the header has 15"],
    );
    // Only commas in the header.
    fails_with(
        format!("{commas}\n{ROW}\n").as_bytes(),
        1,
        &["cases.csv:1:", "required column is missing"],
    );
}

#[test]
fn an_input_that_is_a_directory() {
    let d = dir_with(b"");
    fs::create_dir(d.path().join("folder.csv")).unwrap();
    let o = common::run(d.path(), &["build", "--input", "folder.csv"]);
    assert_fails(d.path(), &o, 2, &["folder.csv"]);
    let o = common::run(d.path(), &["validate", "--input", "folder.csv"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_unreadable_input() {
    let d = dir_with(format!("{HEADER}\n{ROW}\n").as_bytes());
    // A path through a file cannot be opened, whoever runs the test.
    let o = common::run(d.path(), &["build", "--input", "cases.csv/inner.csv"]);
    assert_fails(d.path(), &o, 2, &["cannot read export", "inner.csv"]);
    // Permission denied (not testable as root, who may read anything).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = d.path().join("cases.csv");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&p).is_err() {
            let o = build(d.path());
            assert_fails(d.path(), &o, 2, &["cannot read export", "cases.csv"]);
        }
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
    }
    // A missing file and a missing config.
    let o = common::run(d.path(), &["build", "--input", "nope.csv"]);
    assert_fails(d.path(), &o, 2, &["nope.csv"]);
    let o = common::run(
        d.path(),
        &["build", "--input", "cases.csv", "--config", "nope.toml"],
    );
    assert_fails(d.path(), &o, 2, &["nope.toml"]);
}

#[test]
fn hostile_config_values_exit_2() {
    for (config, needle) in [
        ("min_cell = -1\n[period]\nyear = 2025\n", "min_cell"),
        ("[period]\nyear = 0\n", "year"),
        ("[period]\nyear = 99999\n", "year"),
        (
            "timezone = \"Mars/Olympus\"\n[period]\nyear = 2025\n",
            "Mars/Olympus",
        ),
        ("[period]\nstart = 2025-12-31\nend = 2025-01-01\n", "period"),
        ("\u{0}\u{1}garbage = = =\n", "report.toml"),
        // The one date range applies to the config's period too.
        ("[period]\nyear = 3000\n", "year 3000 is outside 1900–2999"),
        (
            "[period]\nstart = 2025-01-01\nend = 3000-01-01\n",
            "year 3000 is outside 1900–2999",
        ),
        (
            "[period]\nstart = 1899-12-31\nend = 2025-01-01\n",
            "year 1899 is outside 1900–2999",
        ),
        ("min_cell = 1000001\n[period]\nyear = 2025\n", "min_cell"),
    ] {
        let d = dir_with(format!("{HEADER}\n{ROW}\n").as_bytes());
        fs::write(d.path().join("report.toml"), config).unwrap();
        let o = build(d.path());
        assert_fails(d.path(), &o, 2, &[needle]);
    }
    // A command-line period that cannot exist.
    let d = dir_with(format!("{HEADER}\n{ROW}\n").as_bytes());
    for args in [
        &["build", "--input", "cases.csv", "--year", "0"][..],
        &["build", "--input", "cases.csv", "--year", "-5"],
        &[
            "build",
            "--input",
            "cases.csv",
            "--from",
            "2025-02-30",
            "--to",
            "2025-03-01",
        ],
        &["build", "--input", "cases.csv", "--min-cell", "-3"],
        &[
            "build",
            "--input",
            "cases.csv",
            "--min-cell",
            "18446744073709551615",
        ],
        // The one date range applies to --from/--to too.
        &[
            "build",
            "--input",
            "cases.csv",
            "--from",
            "2025-01-01",
            "--to",
            "3000-01-01",
        ],
        &[
            "build",
            "--input",
            "cases.csv",
            "--from",
            "1899-12-31",
            "--to",
            "2025-01-01",
        ],
        &["build", "--input", "cases.csv", "--year", "3000"],
        &["build", "--input", "cases.csv", "--timezone", "Not/AZone"],
    ] {
        let o = common::run(d.path(), args);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(!d.path().join("output").exists());
}

#[test]
fn extreme_but_valid_dates_build() {
    // Years at both ends of the accepted range, in and outside the period.
    let rows = [
        "A1,1900-01-02T00:00:00Z,ala_connect,age,A,named,discussion,,,,2999-12-31T00:00:00Z,,,,",
        "A2,2999-12-30,blog,age,,,,,,,,,,,",
        "A3,2025-06-01,blog,age,B,named,warning,,,2025-06-01,2999-12-31,2999-12-31,2999-12-31,2999-12-31,upheld",
    ];
    let d = dir_with(format!("{HEADER}\n{}\n", rows.join("\n")).as_bytes());
    for args in [
        &["build", "--input", "cases.csv"][..],
        &[
            "build",
            "--input",
            "cases.csv",
            "--year",
            "1970",
            "--out",
            "o1970",
        ],
        &[
            "build",
            "--input",
            "cases.csv",
            "--year",
            "2999",
            "--out",
            "o2999",
        ],
        // The first accepted year is the same for the period as for the export.
        &[
            "build",
            "--input",
            "cases.csv",
            "--year",
            "1900",
            "--out",
            "o1900",
        ],
    ] {
        let o = common::run(d.path(), args);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn a_thousand_year_period_builds_quickly_with_suppression() {
    // 12,360 months: suppression, charts and tables stay fast (this once took 15 s).
    let d = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let o = common::run(
        d.path(),
        &[
            "build",
            "--config",
            common::fixtures().join("report.toml").to_str().unwrap(),
            "--min-cell",
            "3",
            "--from",
            "1970-01-01",
            "--to",
            "2999-12-31",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
