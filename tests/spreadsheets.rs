//! Workbooks as exports (issue 17, "Spreadsheets in"): an `.xlsx` (written by rust_xlsxwriter,
//! as Excel would) and an `.ods` (zipped by hand, as LibreOffice lays it out) with the content
//! of `tests/fixtures/cases.csv` build the same figures as the CSV and have the same content
//! digest; invalid cells are named by sheet, row and column; dates typed as real spreadsheet
//! dates and as text both work; `verify` of a report built from a workbook passes.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::{fixtures, run, snapshot, stderr, stdout};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// How a workbook's cells are typed.
#[derive(Clone, Copy, PartialEq)]
enum Dates {
    /// Local timestamps as real date (or date-time) cells, numbers as numbers, `yes`/`no`
    /// as booleans; timestamps with a UTC offset stay text (a spreadsheet date has none).
    Typed,
    /// Every cell as text, as the CSV has it.
    Text,
}

/// The fixture export as rows of cells.
fn fixture_rows() -> Vec<Vec<String>> {
    let text = fs::read_to_string(fixtures().join("cases.csv")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

/// A local timestamp of the CSV (`2025-01-10T16:00`, `2025-01-11 12:00`, `2025-06-10`) as
/// (year, month, day, hour, minute, second, whether it has a time); `None` for other text.
fn local_stamp(s: &str) -> Option<(u16, u8, u8, u16, u8, u8, bool)> {
    let b = s.as_bytes();
    if s.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if s.len() == 10 {
        return Some((y, m, d, 0, 0, 0, false));
    }
    let rest = &s[11..];
    if !(b[10] == b'T' || b[10] == b' ') || rest.len() > 8 || rest.contains(['Z', '+', '-']) {
        return None;
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let sec = parts.get(2).map_or(Some(0), |x| x.parse().ok())?;
    Some((
        y,
        m,
        d,
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        sec,
        true,
    ))
}

/// What a cell of the typed workbook holds.
enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    Date((u16, u8, u8, u16, u8, u8, bool)),
    /// A formula and its cached result (an error such as `#DIV/0!`).
    Formula(&'a str, &'a str),
}

fn typed<'a>(header: &str, value: &'a str, dates: Dates) -> Cell<'a> {
    if value.is_empty() {
        return Cell::Empty;
    }
    if let Some(f) = value.strip_prefix('=') {
        let (formula, result) = f.split_once('|').unwrap();
        return Cell::Formula(formula, result);
    }
    if dates == Dates::Text {
        return Cell::Text(value);
    }
    if header.ends_with("_at") {
        if let Some(t) = local_stamp(value) {
            return Cell::Date(t);
        }
    }
    if header == "suspension_days" {
        if let Ok(n) = value.parse::<f64>() {
            return Cell::Number(n);
        }
    }
    if header == "interim_suspension" {
        return Cell::Bool(value.eq_ignore_ascii_case("yes"));
    }
    Cell::Text(value)
}

/// Writes `rows` (header first) as an .xlsx with one worksheet named `sheet` after a first,
/// hidden worksheet of lookup lists (which the reader passes over).
fn write_xlsx(path: &Path, sheet: &str, rows: &[Vec<String>], dates: Dates) {
    let mut book = Workbook::new();
    let lists = book.add_worksheet();
    lists.set_name("Lists").unwrap();
    lists.write_string(0, 0, "platform").unwrap();
    lists.write_string(1, 0, "ala_connect").unwrap();
    lists.set_hidden(true);
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    // The sheet shown on opening (Excel cannot hide the active sheet).
    ws.set_active(true);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let header = column_of(rows, r as usize, c as usize);
            match typed(header, value, dates) {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, n).unwrap();
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, c, b).unwrap();
                }
                Cell::Date((y, mo, d, h, mi, s, has_time)) => {
                    let t = ExcelDateTime::from_ymd(y, mo, d)
                        .unwrap()
                        .and_hms(h, mi, s)
                        .unwrap();
                    let f = if has_time { &datetime } else { &date };
                    ws.write_datetime_with_format(r, c, &t, f).unwrap();
                }
                Cell::Formula(f, result) => {
                    ws.write_formula(r, c, Formula::new(f).set_result(result))
                        .unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The heading of cell (`r`, `c`): the first row with a value is the header (none above it
/// or for the header itself).
fn column_of(rows: &[Vec<String>], r: usize, c: usize) -> &str {
    let top = rows
        .iter()
        .position(|row| row.iter().any(|v| !v.is_empty()))
        .unwrap_or(0);
    if r <= top {
        ""
    } else {
        rows[top].get(c).map_or("", String::as_str)
    }
}

/// Escapes text for XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes `rows` as an .ods with one table named `sheet`, as LibreOffice lays it out: typed
/// cells carry their value in `office:*-value` and the text shown in `<text:p>`.
fn write_ods(path: &Path, sheet: &str, rows: &[Vec<String>], dates: Dates) {
    let mut body = String::new();
    for (r, row) in rows.iter().enumerate() {
        body.push_str("<table:table-row>");
        for (c, value) in row.iter().enumerate() {
            let header = column_of(rows, r, c);
            let cell = match typed(header, value, dates) {
                Cell::Empty => "<table:table-cell/>".to_string(),
                Cell::Text(s) | Cell::Formula(_, s) => format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    esc(s)
                ),
                Cell::Number(n) => format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                ),
                Cell::Bool(b) => format!(
                    r#"<table:table-cell office:value-type="boolean" office:boolean-value="{b}"><text:p>{}</text:p></table:table-cell>"#,
                    if b { "TRUE" } else { "FALSE" }
                ),
                Cell::Date((y, mo, d, h, mi, s, has_time)) => {
                    let v = if has_time {
                        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
                    } else {
                        format!("{y:04}-{mo:02}-{d:02}")
                    };
                    format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                    )
                }
            };
            body.push_str(&cell);
        }
        body.push_str("</table:table-row>\n");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{}">
{body}</table:table></office:spreadsheet></office:body></office:document-content>
"#,
        esc(sheet)
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn write_book(path: &Path, sheet: &str, rows: &[Vec<String>], dates: Dates) {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ods") => write_ods(path, sheet, rows, dates),
        _ => write_xlsx(path, sheet, rows, dates),
    }
}

/// The fixture settings in `dir`, reading `input` (and `extra` appended).
fn settings(dir: &Path, input: &str, extra: &str) {
    let toml = fs::read_to_string(fixtures().join("report.toml"))
        .unwrap()
        .replace(
            r#"inputs = ["cases.csv"]"#,
            &format!(r#"inputs = ["{input}"]"#),
        );
    fs::write(dir.join("report.toml"), format!("{extra}{toml}")).unwrap();
}

/// Builds `dir/report.toml` into `dir/<out>`.
fn build(dir: &Path, out: &str) -> PathBuf {
    let o = run(dir, &["build", "--config", "report.toml", "--out", out]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    dir.join(out)
}

fn manifest(report: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(report.join("manifest.json")).unwrap()).unwrap()
}

/// The data files of a report (every figure), by path.
fn data_files(report: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(report)
        .into_iter()
        .filter(|(p, _)| p.starts_with("data/") || p.starts_with("charts/"))
        .collect()
}

/// The CSV fixture's report, and its manifest entry for the export.
fn csv_report(dir: &Path) -> (PathBuf, serde_json::Value) {
    fs::copy(fixtures().join("cases.csv"), dir.join("cases.csv")).unwrap();
    settings(dir, "cases.csv", "");
    let out = build(dir, "from-csv");
    let input = manifest(&out)["inputs"][0].clone();
    (out, input)
}

fn same_report_as_the_csv(ext: &str, dates: Dates) {
    let d = tempfile::tempdir().unwrap();
    let (csv_out, csv_input) = csv_report(d.path());
    let name = format!("cases.{ext}");
    let book = d.path().join(&name);
    write_book(&book, "Cases", &fixture_rows(), dates);
    settings(d.path(), &name, "");
    let out = build(d.path(), "from-book");
    let (a, b) = (data_files(&csv_out), data_files(&out));
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    assert!(a.iter().any(|(p, _)| p == "data/summary.json"));
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{p} differs between the CSV and the .{ext} build");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["rows"]["read"], 22);
    assert_eq!(summary["rows"]["rejected"], 0);
    // The manifest: the workbook's own bytes, the records' content digest of the CSV.
    let input = manifest(&out)["inputs"][0].clone();
    assert_eq!(input["name"], name.as_str());
    let bytes = fs::read(&book).unwrap();
    assert_eq!(input["bytes"], bytes.len() as u64);
    assert_eq!(input["sha256"], sha256(&bytes).as_str());
    assert_ne!(input["sha256"], csv_input["sha256"]);
    assert_eq!(input["rows_read"], 22);
    assert_eq!(input["content"]["rows"], 22);
    assert_eq!(
        input["content"]["sha256"], csv_input["content"]["sha256"],
        "a workbook with the CSV's content has its content digest"
    );
    // The report itself names the workbook where it names the export; otherwise the same.
    let html = |dir: &Path, name: &str, hash: &str| {
        fs::read_to_string(dir.join("index.html"))
            .unwrap()
            .replace(name, "EXPORT")
            .replace(hash, "HASH")
            .replace(&hash[..12], "HASH")
    };
    let csv_hash = csv_input["sha256"].as_str().unwrap();
    let book_hash = input["sha256"].as_str().unwrap();
    assert_eq!(
        html(&csv_out, "cases.csv", csv_hash),
        html(&out, &name, book_hash)
    );
}

fn sha256(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn an_xlsx_with_the_csv_content_builds_the_same_report() {
    same_report_as_the_csv("xlsx", Dates::Typed);
}

#[test]
fn an_ods_with_the_csv_content_builds_the_same_report() {
    same_report_as_the_csv("ods", Dates::Typed);
}

#[test]
fn dates_typed_as_text_in_a_workbook_work_too() {
    same_report_as_the_csv("xlsx", Dates::Text);
    same_report_as_the_csv("ods", Dates::Text);
}

#[test]
fn verify_passes_for_a_report_built_from_a_workbook() {
    let d = tempfile::tempdir().unwrap();
    write_book(
        &d.path().join("cases.xlsx"),
        "Cases",
        &fixture_rows(),
        Dates::Typed,
    );
    settings(d.path(), "cases.xlsx", "");
    let out = build(d.path(), "2025");
    let o = run(
        d.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--input",
            "cases.xlsx",
            "--config",
            "report.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // The same content in another workbook file: the bytes differ, the content does not.
    fs::remove_file(d.path().join("cases.xlsx")).unwrap();
    write_book(
        &d.path().join("cases.xlsx"),
        "Cases",
        &fixture_rows(),
        Dates::Text,
    );
    let o = run(
        d.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--input",
            "cases.xlsx",
            "--config",
            "report.toml",
        ],
    );
    let text = stdout(&o);
    // The figures match, and verify says why the export's hash differs.
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("cases.xlsx: the same 22 rows; only the bytes differ (the workbook's formatting, cell types or layout"),
        "{text}{}",
        stderr(&o)
    );
}

/// The fixture with some cells replaced: (row index in the file, header, new value).
fn with_cells(changes: &[(usize, &str, &str)]) -> Vec<Vec<String>> {
    let mut rows = fixture_rows();
    for &(r, h, v) in changes {
        let c = rows[0].iter().position(|x| x == h).unwrap();
        rows[r][c] = v.to_string();
    }
    rows
}

#[test]
fn invalid_cells_are_named_by_sheet_row_and_column() {
    for ext in ["xlsx", "ods"] {
        let d = tempfile::tempdir().unwrap();
        let name = format!("log.{ext}");
        // Rows 7 and 9 of the sheet are the fixture's 6th and 8th cases (header = row 1).
        let rows = with_cells(&[
            (6, "reported_at", "2025-13-40"),
            (8, "suspension_days", "-3"),
            (8, "platform", "fax"),
            (12, "resolved_at", "=1/0|#DIV/0!"),
        ]);
        write_book(&d.path().join(&name), "Log 2025", &rows, Dates::Typed);
        settings(d.path(), &name, "sheet = \"Log 2025\"\n");
        let o = run(d.path(), &["validate", "--config", "report.toml"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!(
                "{name}: sheet `Log 2025`, row 7: column `reported_at`: value \"2025-13-40\":"
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "{name}: sheet `Log 2025`, row 9: column `platform`: value \"fax\": unknown platform"
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "{name}: sheet `Log 2025`, row 9: column `suspension_days`: value \"-3\":"
            )),
            "{err}"
        );
        if ext == "xlsx" {
            // The formula's cached error value (an .ods keeps an error as text, read as such:
            // here a string "#DIV/0!" is no timestamp either).
            assert!(
                err.contains(&format!(
                    "{name}: sheet `Log 2025`, row 13: column `resolved_at`: value \"#DIV/0!\": the cell holds the spreadsheet error #DIV/0!"
                )),
                "{err}"
            );
        } else {
            assert!(
                err.contains(&format!(
                    "{name}: sheet `Log 2025`, row 13: column `resolved_at`: value \"#DIV/0!\":"
                )),
                "{err}"
            );
        }
        assert!(err.contains("in 3 rows of the export"), "{err}");
        // With --skip-invalid the 3 rows are left out and counted.
        let o = run(
            d.path(),
            &[
                "build",
                "--config",
                "report.toml",
                "--skip-invalid",
                "--out",
                "r",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let m = manifest(&d.path().join("r"));
        assert_eq!(m["inputs"][0]["rows_read"], 22);
        assert_eq!(m["inputs"][0]["rows_rejected"], 3);
    }
}

#[test]
fn a_missing_sheet_and_a_bad_header_are_file_problems() {
    let d = tempfile::tempdir().unwrap();
    write_book(
        &d.path().join("cases.xlsx"),
        "Cases",
        &fixture_rows(),
        Dates::Typed,
    );
    settings(d.path(), "cases.xlsx", "sheet = \"2024\"\n");
    let o = run(d.path(), &["validate", "--config", "report.toml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cases.xlsx:1: the workbook has no worksheet named `2024` (the config's `sheet`); it has: `Lists`, `Cases`"),
        "{err}"
    );
    // A header naming personal data, in a sheet whose table starts on row 3.
    let mut rows = vec![vec![String::new()], vec![String::new()]];
    let mut data = fixture_rows();
    data[0].push("email".into());
    for r in &mut data[1..] {
        r.push(String::new());
    }
    rows.extend(data);
    write_book(&d.path().join("top.ods"), "Cases", &rows, Dates::Typed);
    settings(d.path(), "top.ods", "");
    let o = run(d.path(), &["validate", "--config", "report.toml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "top.ods: sheet `Cases`, row 3: column `email`: this column looks like personal data"
        ),
        "{err}"
    );
    // Not a workbook at all.
    fs::write(d.path().join("fake.xlsx"), "case_id,reported_at\n").unwrap();
    settings(d.path(), "fake.xlsx", "");
    let o = run(d.path(), &["validate", "--config", "report.toml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("fake.xlsx:1: cannot read the file as a .xlsx workbook"),
        "{err}"
    );
}

#[test]
fn a_value_beyond_the_header_is_a_ragged_row() {
    let d = tempfile::tempdir().unwrap();
    let mut rows = fixture_rows();
    let width = rows[0].len();
    for r in &mut rows {
        r.push(String::new());
    }
    rows[4][width] = "stray".into();
    write_book(&d.path().join("cases.xlsx"), "Cases", &rows, Dates::Typed);
    settings(d.path(), "cases.xlsx", "");
    let o = run(d.path(), &["validate", "--config", "report.toml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "cases.xlsx: sheet `Cases`, row 5: this row has a value in column {} of the sheet, which has no heading",
            width + 1
        )),
        "{err}"
    );
    assert!(err.contains("1 problem in 1 row"), "{err}");
}

#[test]
fn a_case_id_in_both_a_csv_and_a_workbook_is_a_duplicate() {
    let d = tempfile::tempdir().unwrap();
    fs::copy(fixtures().join("cases.csv"), d.path().join("cases.csv")).unwrap();
    // The workbook's second case repeats the CSV's C05; its others are new ids.
    let mut rows = fixture_rows();
    for (i, r) in rows.iter_mut().enumerate().skip(1) {
        r[0] = if i == 2 {
            "C05".into()
        } else {
            format!("W{i:02}")
        };
    }
    write_book(&d.path().join("more.xlsx"), "Cases", &rows, Dates::Typed);
    settings(d.path(), "cases.csv\", \"more.xlsx", "");
    let o = run(d.path(), &["validate", "--config", "report.toml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "more.xlsx: sheet `Cases`, row 3: column `case_id`: value \"C05\": duplicate case_id"
        ),
        "{err}"
    );
    assert!(err.contains("1 problem in 1 row"), "{err}");
}
