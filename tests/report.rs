//! End to end: the committed sample report is current, builds are byte-identical whatever the
//! environment, `verify` catches every kind of tampering, snapshots of the rendered report, and
//! the real-browser accessibility check.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{fixtures, root, run, snapshot, stderr, stdout};

/// Builds the fixture into `out` with extra environment variables.
fn build_fixture(dir: &Path, out: &Path, env: &[(&str, &str)]) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transparency-report"));
    cmd.args(["build", "--config"])
        .arg(dir.join("report.toml"))
        .arg("--out")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

fn copy_fixture(to: &Path) {
    for f in ["cases.csv", "report.toml"] {
        fs::copy(fixtures().join(f), to.join(f)).unwrap();
    }
}

#[test]
fn the_committed_sample_report_is_up_to_date() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("2025");
    let o = Command::new(env!("CARGO_BIN_EXE_transparency-report"))
        .args(["build", "--out"])
        .arg(&out)
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = snapshot(&out);
    let committed = snapshot(&root().join("output/2025"));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fresh), names(&committed));
    for ((name, a), (_, b)) in fresh.iter().zip(&committed) {
        assert!(
            a == b,
            "output/2025/{name} is out of date: run `cargo run --release -- build` and commit output/2025"
        );
    }
}

/// Every cell of a column the data package declares `integer` or `number` is empty or a
/// number (the formula guard once turned `-0.0201` into the text `'-0.0201`).
#[test]
fn numeric_columns_of_the_committed_data_hold_numbers() {
    let data = root().join("output/2025/data");
    let pkg: serde_json::Value =
        serde_json::from_slice(&fs::read(data.join("datapackage.json")).unwrap()).unwrap();
    let mut negatives = 0;
    for r in pkg["resources"].as_array().unwrap() {
        let path = r["path"].as_str().unwrap();
        let fields = r["schema"]["fields"].as_array().unwrap();
        let mut rd = csv::Reader::from_path(data.join(path)).unwrap();
        for rec in rd.records() {
            let rec = rec.unwrap();
            for (cell, f) in rec.iter().zip(fields) {
                if matches!(f["type"].as_str(), Some("integer" | "number")) && !cell.is_empty() {
                    assert!(
                        cell.parse::<f64>().is_ok(),
                        "{path}: {} holds `{cell}`, not a number",
                        f["name"]
                    );
                    negatives += usize::from(cell.starts_with('-'));
                }
            }
        }
    }
    // The sample's history has falling figures, so the check did meet negative numbers.
    assert!(negatives > 0);
}

#[test]
fn builds_are_byte_identical_across_threads_timezones_locales_and_runs() {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    let base = d.path().join("a");
    build_fixture(d.path(), &base, &[]);
    let reference = snapshot(&base);
    assert!(
        reference.len() >= 20,
        "every output file: {}",
        reference.len()
    );
    let variants: [&[(&str, &str)]; 6] = [
        &[],
        &[("POLARS_MAX_THREADS", "1")],
        &[("TZ", "UTC")],
        &[("TZ", "Pacific/Auckland")],
        &[("TZ", "America/Chicago"), ("POLARS_MAX_THREADS", "2")],
        &[("LANG", "de_DE.UTF-8"), ("LC_ALL", "de_DE.UTF-8")],
    ];
    for (i, env) in variants.iter().enumerate() {
        let out = d.path().join(format!("v{i}"));
        build_fixture(d.path(), &out, env);
        assert_eq!(snapshot(&out), reference, "variant {env:?} differs");
    }
}

#[test]
fn shuffled_rows_give_the_same_report() {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    let base = d.path().join("a");
    build_fixture(d.path(), &base, &[]);
    // Same rows, reversed and with CRLF: only the export's own hash may differ.
    let text = fs::read_to_string(d.path().join("cases.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let shuffled = std::iter::once(header)
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\r\n");
    fs::write(d.path().join("cases.csv"), shuffled).unwrap();
    let out = d.path().join("b");
    build_fixture(d.path(), &out, &[]);
    let strip = |s: Vec<(String, Vec<u8>)>| {
        s.into_iter()
            .filter(|(n, _)| n != "manifest.json" && n != "index.html" && n != "report.md")
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(snapshot(&out)), strip(snapshot(&base)));
}

#[test]
fn source_date_epoch_is_the_only_clock() {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    let out = d.path().join("a");
    build_fixture(d.path(), &out, &[("SOURCE_DATE_EPOCH", "1767225600")]);
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"build_date\": \"2026-01-01\""),
        "{manifest}"
    );
    let plain = d.path().join("b");
    build_fixture(d.path(), &plain, &[]);
    assert!(!fs::read_to_string(plain.join("manifest.json"))
        .unwrap()
        .contains("build_date"));
}

fn verify(dir: &Path, report: &Path) -> std::process::Output {
    run(
        dir,
        &[
            "verify",
            "--report",
            report.to_str().unwrap(),
            "--input",
            "cases.csv",
            "--config",
            "report.toml",
        ],
    )
}

fn fresh_report() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    let out = d.path().join("2025");
    build_fixture(d.path(), &out, &[]);
    (d, out)
}

#[test]
fn verify_an_untouched_report() {
    let (d, out) = fresh_report();
    let o = verify(d.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let n = snapshot(&out).len();
    assert_eq!(stdout(&o).trim(), format!("verified: {n} files match"));
}

#[test]
fn verify_names_an_edited_figure() {
    let (d, out) = fresh_report();
    let p = out.join("data/summary.json");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        text.replacen("\"ala_connect\": 9", "\"ala_connect\": 10", 1),
    )
    .unwrap();
    let o = verify(d.path(), &out);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("data/summary.json was changed after it was published"),
        "{err}"
    );
    assert!(
        err.contains("by_platform.ala_connect: published 10, a fresh build gives 9"),
        "{err}"
    );
    assert!(err.contains("not verified: 1 difference found"), "{err}");
}

#[test]
fn verify_catches_a_changed_chart_byte() {
    let (d, out) = fresh_report();
    let p = out.join("charts/levels.svg");
    let mut bytes = fs::read(&p).unwrap();
    let i = bytes.len() / 2;
    bytes[i] = if bytes[i] == b'1' { b'2' } else { b'1' };
    fs::write(&p, bytes).unwrap();
    let o = verify(d.path(), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("charts/levels.svg was changed after it was published"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn verify_catches_a_changed_export_cell() {
    let (d, out) = fresh_report();
    let p = d.path().join("cases.csv");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        text.replacen(
            "C03,2025-01-11 12:00,website",
            "C03,2025-01-11 12:00,blog",
            1,
        ),
    )
    .unwrap();
    let o = verify(d.path(), &out);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("the export cases.csv is not the one the report was built from"),
        "{err}"
    );
    assert!(
        err.contains("by_platform.website: published 3, a fresh build gives 2"),
        "{err}"
    );
}

#[test]
fn verify_catches_missing_and_extra_files() {
    let (d, out) = fresh_report();
    fs::remove_file(out.join("data/monthly.csv")).unwrap();
    fs::write(out.join("notes.txt"), "hello").unwrap();
    let o = verify(d.path(), &out);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("data/monthly.csv is missing from the report folder"),
        "{err}"
    );
    assert!(
        err.contains("notes.txt is in the report folder but is not part of the report"),
        "{err}"
    );
}

#[test]
fn verify_names_a_changed_history_file() {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    fs::create_dir(d.path().join("history")).unwrap();
    let h = d.path().join("history/summary-2024.json");
    fs::copy(root().join("sample_data/history/summary-2024.json"), &h).unwrap();
    let toml = fs::read_to_string(d.path().join("report.toml")).unwrap();
    let toml = toml.replacen(
        "[period]",
        "history = [\"history/summary-2024.json\"]\n\n[period]",
        1,
    );
    fs::write(d.path().join("report.toml"), toml).unwrap();
    let out = d.path().join("2025");
    build_fixture(d.path(), &out, &[]);
    let before = fs::read(&h).unwrap();
    // Same figures, one more byte: only the manifest's record of the file changes.
    let mut after = before.clone();
    after.push(b'\n');
    fs::write(&h, &after).unwrap();
    let o = verify(d.path(), &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let hash = |b: &[u8]| {
        use sha2::Digest;
        let d = sha2::Sha256::digest(b);
        d.iter().map(|x| format!("{x:02x}")).collect::<String>()[..12].to_string()
    };
    let want = format!(
        "the history file ./history/summary-2024.json is not the one the report was built with: its SHA-256 is {} but the manifest records {}",
        hash(&after),
        hash(&before)
    );
    assert!(err.contains(&want), "{err}");
    assert!(!err.contains("see the other differences"), "{err}");
    assert!(err.contains("not verified: 1 difference found"), "{err}");
}

#[test]
fn verify_names_settings_saved_under_another_name() {
    let (d, out) = fresh_report();
    fs::copy(d.path().join("report.toml"), d.path().join("settings.toml")).unwrap();
    let o = run(
        d.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--input",
            "cases.csv",
            "--config",
            "settings.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the settings were read from `settings.toml` but the manifest names `report.toml` (the same content, SHA-256 "),
        "{err}"
    );
    assert!(!err.contains("see the other differences"), "{err}");
    assert!(err.contains("not verified: 1 difference found"), "{err}");
}

#[test]
fn verify_without_a_report_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["verify", "--report", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("manifest.json"), "{}", stderr(&o));
}

/// The heading, table and figure outline of the page: structure, not styling.
fn html_outline(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "h1" | "h2"
                | "h3"
                | "table"
                | "caption"
                | "figure"
                | "figcaption"
                | "nav"
                | "main"
                | "svg"
                | "details"
        ) {
            let close = rest[end..]
                .find('<')
                .map(|j| &rest[end + 1..end + j])
                .unwrap_or("");
            let text = close.trim();
            let role = if tag.contains("role=\"img\"") {
                " role=img"
            } else {
                ""
            };
            out.push_str(&format!("{name}{role} {text}\n"));
        }
    }
    out
}

#[test]
fn rendered_report_snapshots() {
    let (_d, out) = fresh_report();
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    common::golden("snapshots", "fixture_report.md", &md);
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    common::golden(
        "snapshots",
        "fixture_index_outline.txt",
        &html_outline(&html),
    );
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(html.contains("<html lang=\"en\""));
    assert_eq!(html.matches("role=\"img\"").count(), 6, "six inline charts");
    // The SVG namespace is a name, not a request.
    let body = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for bad in ["http://", "https://", "<script", "<link", "@import", "url("] {
        assert!(
            !body.contains(bad),
            "index.html must not load anything: found {bad}"
        );
    }
}

/// Ignored, so a plain `cargo test` lists it as ignored instead of passing it unrun; `.ci/run`
/// runs it with `cargo test --release --test report -- --ignored`.
#[test]
#[ignore = "needs Chromium and the npm modules of tests/browser; .ci/run runs it with --ignored"]
fn the_report_passes_axe_in_a_real_browser() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("2025");
    let o = Command::new(env!("CARGO_BIN_EXE_transparency-report"))
        .args(["build", "--out"])
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let o = Command::new("node")
        .arg(root().join("tests/browser/a11y.mjs"))
        .arg(out.join("index.html"))
        .arg(&shots)
        .output()
        .expect("node is installed (.ci/run installs the browser test's modules)");
    println!("{}", stdout(&o));
    assert!(
        o.status.success(),
        "browser check failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(shots.join("light.png").is_file() && shots.join("dark.png").is_file());
}

#[test]
#[ignore = "needs Chromium and the npm modules of tests/browser; .ci/run runs it with --ignored"]
fn the_site_index_passes_axe_in_a_real_browser() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("site");
    let o = Command::new(env!("CARGO_BIN_EXE_transparency-report"))
        .args(["build", "--periods", "2019..2025,2025H1,2025H2", "--input"])
        .arg(fixtures().join("periods/cases.csv"))
        .arg("--out")
        .arg(&out)
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots-site");
    let o = Command::new("node")
        .arg(root().join("tests/browser/a11y.mjs"))
        .arg(out.join("index.html"))
        .arg(&shots)
        .output()
        .expect("node is installed (.ci/run installs the browser test's modules)");
    println!("{}", stdout(&o));
    assert!(
        o.status.success(),
        "browser check of the site's index failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(shots.join("light.png").is_file() && shots.join("dark.png").is_file());
}
