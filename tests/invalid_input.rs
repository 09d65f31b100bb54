//! Each invalid input of SPEC §3, one by one, through the real binary: exit 1, a message naming
//! file, line, column and value, and nothing written.

mod common;

use std::fs;
use std::path::Path;

const HEADER: &str = "case_id,reported_at,platform,category,moderation_level,reporter_type,action,suspension_days,interim_suspension,acknowledged_at,resolved_at,decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome";
const GOOD: [&str; 3] = [
    "A1,2025-03-03T09:00,ala_connect,age,A,named,discussion,,,2025-03-03T10:00,2025-03-04T09:00,2025-03-04T09:00,,,",
    "A2,2025-03-04T09:00,blog,intimidation,D,named,full_suspension,,yes,2025-03-04T10:00,2025-03-20T09:00,2025-03-21T09:00,2025-04-01T09:00,2025-04-10T09:00,upheld",
    "A3,2025-03-05T09:00,website,language,B,anonymous,temporary_suspension,7,no,2025-03-05T10:00,2025-03-06T09:00,2025-03-06T09:00,,,",
];

const CONFIG: &str = "min_cell = 0\n[period]\nyear = 2025\n";

/// Writes an export whose data line `line` (2-based, as in the file) is replaced by `row`.
fn setup(dir: &Path, header: &str, replace: Option<(usize, &str)>) {
    let mut lines: Vec<String> = std::iter::once(header.to_string())
        .chain(GOOD.iter().map(|s| s.to_string()))
        .collect();
    if let Some((line, row)) = replace {
        lines[line - 1] = row.to_string();
    }
    fs::write(dir.join("cases.csv"), lines.join("\n") + "\n").unwrap();
    fs::write(dir.join("report.toml"), CONFIG).unwrap();
}

/// Runs `build`; asserts exit 1, the location in the message, and that no report was written.
fn expect_error(dir: &Path, needles: &[&str]) -> String {
    let o = common::run(dir, &["build"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !dir.join("output").exists(),
        "nothing may be written on invalid data"
    );
    let v = common::run(dir, &["validate"]);
    assert_eq!(
        v.status.code(),
        Some(1),
        "validate agrees: {}",
        common::stderr(&v)
    );
    err
}

fn with_row(line: usize, row: &str, needles: &[&str]) -> String {
    let d = tempfile::tempdir().unwrap();
    setup(d.path(), HEADER, Some((line, row)));
    expect_error(d.path(), needles)
}

#[test]
fn the_valid_base_file_builds() {
    let d = tempfile::tempdir().unwrap();
    setup(d.path(), HEADER, None);
    let o = common::run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(d.path().join("output/2025/data/summary.json").is_file());
}

#[test]
fn missing_required_column() {
    let d = tempfile::tempdir().unwrap();
    let header = HEADER.replace(",category", ",categories");
    setup(d.path(), &header, None);
    let err = expect_error(
        d.path(),
        &[
            "cases.csv:1: column `category`: required column is missing",
            "column_map",
        ],
    );
    assert!(
        err.contains("cases.csv:1: column `categories`: unknown column"),
        "{err}"
    );
}

#[test]
fn missing_required_value() {
    with_row(
        3,
        "A2,2025-03-04T09:00,blog,,D,named,full_suspension,,,,,,,,",
        &["cases.csv:3: column `category`: a value is required"],
    );
}

#[test]
fn unparseable_timestamp() {
    with_row(
        2,
        "A1,03/03/2025,ala_connect,age,A,named,discussion,,,,,,,,",
        &[
            "cases.csv:2: column `reported_at`: value \"03/03/2025\": not a timestamp",
            "accepted forms",
        ],
    );
}

#[test]
fn unknown_enum_values() {
    with_row(
        4,
        "A3,2025-03-05T09:00,twitter,language,E,anonymous,ban,,maybe,,,,,,",
        &[
            "cases.csv:4: column `platform`: value \"twitter\": unknown platform",
            "cases.csv:4: column `moderation_level`: value \"E\"",
            "cases.csv:4: column `action`: value \"ban\"",
            "cases.csv:4: column `interim_suspension`: value \"maybe\"",
        ],
    );
    with_row(
        2,
        "A1,2025-03-03T09:00,ala_connect,age;intimdation,A,named,discussion,,,,,,,,",
        &[
            "cases.csv:2: column `category`: value \"intimdation\"",
            "did you mean `intimidation`?",
        ],
    );
}

#[test]
fn duplicate_case_id() {
    with_row(
        4,
        "A1,2025-03-05T09:00,website,language,B,anonymous,warning,,,,,,,,",
        &["cases.csv:4: column `case_id`: value \"A1\": duplicate case_id"],
    );
}

#[test]
fn events_before_the_report() {
    with_row(
        2,
        "A1,2025-03-03T09:00,ala_connect,age,A,named,discussion,,,2025-03-03T08:00,2025-03-02T09:00,2025-03-01T09:00,,,",
        &[
            "cases.csv:2: column `resolved_at`: value \"2025-03-02T09:00\": resolved_at is before reported_at",
            "cases.csv:2: column `acknowledged_at`: value \"2025-03-03T08:00\": acknowledged_at is before reported_at",
            "cases.csv:2: column `decision_communicated_at`",
        ],
    );
}

#[test]
fn appeal_decided_before_filed() {
    with_row(
        3,
        "A2,2025-03-04T09:00,blog,intimidation,D,named,full_suspension,,,,2025-03-20T09:00,2025-03-21T09:00,2025-04-01T09:00,2025-03-30T09:00,upheld",
        &["cases.csv:3: column `appeal_decided_at`: value \"2025-03-30T09:00\": appeal_decided_at is before appeal_filed_at"],
    );
}

#[test]
fn appeal_filed_before_the_decision_was_communicated() {
    // Filed on 20 March, the decision communicated on 21 March: not a timely appeal but a
    // wrong date, so an error like the other orders of events.
    with_row(
        3,
        "A2,2025-03-04T09:00,blog,intimidation,D,named,full_suspension,,,,2025-03-20T09:00,2025-03-21T09:00,2025-03-20T10:00,2025-04-10T09:00,upheld",
        &[
            "cases.csv:3: column `appeal_filed_at`: value \"2025-03-20T10:00\": appeal_filed_at is before decision_communicated_at (2025-03-21T09:00)",
            "correct either date",
        ],
    );
}

#[test]
fn bad_suspension_days() {
    for bad in ["-3", "seven", "2.5", "99999999999999"] {
        with_row(
            4,
            &format!("A3,2025-03-05T09:00,website,language,B,anonymous,temporary_suspension,{bad},,,,,,,"),
            &[&format!("cases.csv:4: column `suspension_days`: value \"{bad}\"")],
        );
    }
}

#[test]
fn ragged_row() {
    with_row(
        3,
        "A2,2025-03-04T09:00,blog,intimidation",
        &["cases.csv:3: this row has 4 cells but the header has 15"],
    );
}

#[test]
fn not_utf8() {
    let d = tempfile::tempdir().unwrap();
    setup(d.path(), HEADER, None);
    let mut bytes = fs::read(d.path().join("cases.csv")).unwrap();
    let pos = bytes.windows(8).position(|w| w == b"language").unwrap();
    bytes[pos] = 0xE9; // Latin-1 é
    fs::write(d.path().join("cases.csv"), bytes).unwrap();
    expect_error(
        d.path(),
        &["cases.csv:4: column `category`: the cell is not UTF-8 text"],
    );
    // A whole file in UTF-16 is named as such.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("case_id\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    fs::write(d.path().join("cases.csv"), utf16).unwrap();
    expect_error(d.path(), &["cases.csv:1: the file is UTF-16"]);
}

#[test]
fn all_errors_are_listed_and_counted() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from(HEADER) + "\n";
    for i in 0..120 {
        text.push_str(&format!("B{i},not-a-date,ala_connect,age,,,,,,,,,,,\n"));
    }
    fs::write(d.path().join("cases.csv"), text).unwrap();
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    let err = expect_error(
        d.path(),
        &[
            "cases.csv:2: column `reported_at`",
            "… and 70 more",
            "120 problems in 120 rows",
        ],
    );
    assert_eq!(
        err.matches("column `reported_at`").count(),
        50,
        "first 50 on screen"
    );
}

#[test]
fn skip_invalid_leaves_bad_rows_out_and_counts_them() {
    let d = tempfile::tempdir().unwrap();
    setup(
        d.path(),
        HEADER,
        Some((3, "A2,yesterday,blog,intimidation,,,,,,,,,,,")),
    );
    let o = common::run(d.path(), &["build", "--skip-invalid"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let s: serde_json::Value =
        serde_json::from_slice(&fs::read(d.path().join("output/2025/data/summary.json")).unwrap())
            .unwrap();
    assert_eq!(s["rows"]["read"], 3);
    assert_eq!(s["rows"]["counted"], 2);
    assert_eq!(s["rows"]["rejected"], 1);
    assert_eq!(s["cases"]["total"], 2);
    // The rejected row's content is in no output file.
    for (path, bytes) in common::snapshot(&d.path().join("output/2025")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("yesterday"), "{path} leaks a rejected cell");
    }
}

#[test]
fn a_failed_build_keeps_the_previous_report() {
    let d = tempfile::tempdir().unwrap();
    setup(d.path(), HEADER, None);
    assert_eq!(common::run(d.path(), &["build"]).status.code(), Some(0));
    let before = common::snapshot(&d.path().join("output/2025"));
    setup(
        d.path(),
        HEADER,
        Some((2, "A1,bad,ala_connect,age,,,,,,,,,,,")),
    );
    let o = common::run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(common::snapshot(&d.path().join("output/2025")), before);
    let leftovers: Vec<_> = fs::read_dir(d.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary folders: {leftovers:?}");
}

#[test]
fn usage_and_config_errors_exit_2() {
    let d = tempfile::tempdir().unwrap();
    setup(d.path(), HEADER, None);
    fs::write(d.path().join("report.toml"), "min_cel = 3\n").unwrap();
    let o = common::run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(err.contains("min_cel") && err.contains("line 1"), "{err}");
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    let o = common::run(
        d.path(),
        &["build", "--input", "missing.csv", "--year", "2025"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(common::stderr(&o).contains("missing.csv"));
    let o = common::run(d.path(), &["build", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_broken_template_keeps_the_previous_report() {
    let d = tempfile::tempdir().unwrap();
    setup(d.path(), HEADER, None);
    assert_eq!(common::run(d.path(), &["build"]).status.code(), Some(0));
    let before = common::snapshot(&d.path().join("output/2025"));
    fs::create_dir(d.path().join("templates")).unwrap();
    fs::write(
        d.path().join("templates/report.md.tera"),
        "{% for x in %}broken",
    )
    .unwrap();
    let o = common::run(d.path(), &["build"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a template error is not a data error"
    );
    let err = common::stderr(&o);
    assert!(err.contains("report.md"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(common::snapshot(&d.path().join("output/2025")), before);
}

#[test]
fn crlf_exports_report_the_right_lines() {
    // Windows line ends and a blank line: each error names the line an editor shows.
    let d = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEADER}\r\nA1,bad,ala_connect,age,,,,,,,,,,,\r\n{}\r\n\r\nA3,2025-03-05T09:00,web,age,,,,,,,,,,,\r\n",
        GOOD[1]
    );
    fs::write(d.path().join("cases.csv"), text).unwrap();
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    expect_error(
        d.path(),
        &[
            "cases.csv:2: column `reported_at`",
            "cases.csv:5: column `platform`",
        ],
    );
}

#[test]
fn a_header_problem_is_never_skipped_even_after_many_bad_rows() {
    // The first export has more bad rows than are shown; the second lacks a required column.
    // `--skip-invalid` may leave the bad rows out, never the second export's header problem.
    let d = tempfile::tempdir().unwrap();
    let mut first = String::from(HEADER) + "\n";
    for i in 0..60 {
        first.push_str(&format!("B{i},not-a-date,ala_connect,age,,,,,,,,,,,\n"));
    }
    first.push_str(GOOD[0]);
    first.push('\n');
    fs::write(d.path().join("a.csv"), first).unwrap();
    let second = format!(
        "{}\n{}\n",
        HEADER.replace("category,", "topic,"),
        GOOD[1].replace("A2,", "Z2,")
    );
    fs::write(d.path().join("b.csv"), second).unwrap();
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    for cmd in ["build", "validate"] {
        let o = common::run(d.path(), &[cmd, "--skip-invalid"]);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
        // The header problem is shown although 50 row problems were shown before it.
        assert!(
            err.contains("b.csv:1: column `category`: required column is missing"),
            "{cmd}: {err}"
        );
        assert!(err.contains("… and 10 more"), "{cmd}: {err}");
    }
    assert!(!d.path().join("output").exists());
}

#[test]
fn errors_name_the_exports_own_column_too() {
    // With `column_map`, the operator looks for `Outcome` in their file, not `action`.
    let d = tempfile::tempdir().unwrap();
    let header = HEADER.replace(",action,", ",Outcome,");
    setup(
        d.path(),
        &header,
        Some((
            2,
            "A1,2025-03-03T09:00,ala_connect,age,A,named,banish,,,,,,,,",
        )),
    );
    fs::write(
        d.path().join("report.toml"),
        format!("column_map = {{ \"Outcome\" = \"action\" }}\n{CONFIG}"),
    )
    .unwrap();
    expect_error(
        d.path(),
        &["cases.csv:2: column `Outcome` → `action`: value \"banish\": unknown action"],
    );
    // A column not renamed is named once, as before.
    with_row(
        2,
        "A1,2025-03-03T09:00,ala_connect,age,A,named,banish,,,,,,,,",
        &["cases.csv:2: column `action`: value \"banish\""],
    );
}

#[test]
fn an_unknown_category_is_one_error_not_two() {
    let err = with_row(
        2,
        "A1,2025-03-03T09:00,ala_connect,agee,A,named,discussion,,,,,,,,",
        &["cases.csv:2: column `category`: value \"agee\": unknown category"],
    );
    assert!(!err.contains("no category given"), "{err}");
    assert!(err.contains("1 problem in 1 row"), "{err}");
    // Only separators: no category at all.
    with_row(
        2,
        "A1,2025-03-03T09:00,ala_connect,; ;,A,named,discussion,,,,,,,,",
        &["cases.csv:2: column `category`: value \"; ;\": no category given"],
    );
}

#[test]
fn impossible_dates_say_what_is_impossible() {
    for (bad, needle) in [
        ("2025-02-30", "February 2025 has 28 days"),
        ("2024-02-30T10:00", "February 2024 has 29 days"),
        ("2025-04-31 09:00", "April 2025 has 30 days"),
        ("2025-01-00", "January 2025 has 31 days"),
        ("2025-13-01", "there is no month 13"),
        ("2025-03-03T24:00", "there is no hour 24"),
        ("2025-03-03T09:60", "there is no minute 60"),
    ] {
        let err = with_row(
            2,
            &format!("A1,{bad},ala_connect,age,A,named,discussion,,,,,,,,"),
            &[&format!(
                "cases.csv:2: column `reported_at`: value \"{bad}\": {needle}"
            )],
        );
        assert!(!err.contains("not a timestamp"), "{err}");
    }
}

#[test]
fn events_in_the_wrong_order_come_with_a_fix() {
    let err = with_row(
        2,
        "A1,2025-03-03T09:00,ala_connect,age,A,named,discussion,,,,2025-03-02T09:00,,,,",
        &["resolved_at is before reported_at (2025-03-03T09:00); correct whichever of the two is wrong"],
    );
    assert!(
        err.contains("swapped") && err.contains("UTC offset"),
        "{err}"
    );
    with_row(
        3,
        "A2,2025-03-04T09:00,blog,intimidation,D,named,full_suspension,,,,2025-03-20T09:00,2025-03-21T09:00,2025-04-01T09:00,2025-03-30T09:00,upheld",
        &["appeal_decided_at is before appeal_filed_at (2025-04-01T09:00); correct whichever"],
    );
}

#[test]
fn a_foreign_header_lists_the_accepted_columns_once() {
    // A tracker's own export: 19 columns, none of the format's names.
    let d = tempfile::tempdir().unwrap();
    let header: Vec<String> = (1..=19).map(|i| format!("Field {i}")).collect();
    let row = vec!["x"; 19].join(",");
    fs::write(
        d.path().join("cases.csv"),
        format!("{}\n{row}\n", header.join(",")),
    )
    .unwrap();
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    let err = expect_error(d.path(), &["cases.csv:1: column `Field 7`: unknown column"]);
    let list = "case_id, reported_at, platform, category, moderation_level";
    assert_eq!(
        err.matches(list).count(),
        1,
        "the format's columns once:\n{err}"
    );
    assert_eq!(
        err.matches("Field 1, Field 2, Field 3").count(),
        1,
        "the file's header once:\n{err}"
    );
    assert_eq!(err.matches("unknown column").count(), 19, "{err}");
    // case_id, reported_at and category: the other columns may be unrecorded (SPEC §3.1).
    assert_eq!(
        err.matches("required column is missing").count(),
        3,
        "{err}"
    );
    assert!(
        err.contains("column_map") && err.contains("ignore_columns"),
        "{err}"
    );
}
