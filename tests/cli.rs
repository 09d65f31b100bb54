//! CLI golden tests (as xsv/qsv do): help texts, `init` then `build`, and error messages that
//! say how to fix the mistake. `UPDATE_SNAPSHOTS=1` rewrites the golden files.

mod common;

use std::fs;
use std::path::Path;

use common::{run, stderr, stdout};

#[test]
fn help_texts() {
    let d = tempfile::tempdir().unwrap();
    for (name, args) in [
        ("help.txt", vec!["--help"]),
        ("help_build.txt", vec!["build", "--help"]),
        ("help_validate.txt", vec!["validate", "--help"]),
        ("help_verify.txt", vec!["verify", "--help"]),
        ("help_sample.txt", vec!["sample", "--help"]),
        ("help_init.txt", vec!["init", "--help"]),
        ("help_completions.txt", vec!["completions", "--help"]),
    ] {
        let o = run(d.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let text = stdout(&o);
        assert!(text.contains("Example"), "{args:?} shows an example");
        common::golden("golden", name, &text);
    }
}

#[test]
fn version_and_completions() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["--version"]);
    assert_eq!(
        stdout(&o).trim(),
        format!("transparency-report {}", env!("CARGO_PKG_VERSION"))
    );
    for shell in ["bash", "zsh", "fish"] {
        let o = run(d.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        assert!(
            stdout(&o).contains("verify"),
            "{shell} completion lists the subcommands"
        );
    }
}

#[test]
fn init_then_build_then_verify() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["init", "my-report", "--year", "2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = d.path().join("my-report");
    for f in [
        "report.toml",
        "narrative.md",
        "cases.csv",
        "templates/report.html.tera",
        "templates/report.md.tera",
        "templates/style.css",
    ] {
        assert!(dir.join(f).is_file(), "init writes {f}");
    }
    let toml = fs::read_to_string(dir.join("report.toml")).unwrap();
    for key in [
        "timezone",
        "business_days",
        "holidays",
        "ack_target_business_days",
        "appealable_levels",
        "appeal_window_days",
        "min_cell",
        "ignore_columns",
        "column_map",
        "organisation",
        "narrative",
        "[period]",
    ] {
        assert!(toml.contains(key), "report.toml documents `{key}`");
    }
    let o = run(&dir, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim(),
        "60 cases in 2025, 0 rows rejected → output/2025/"
    );
    let html = fs::read_to_string(dir.join("output/2025/index.html")).unwrap();
    assert!(
        html.contains("A word from the committee"),
        "the narrative is in the report"
    );
    // The copied templates are used: an edit shows up in the next build.
    let t = dir.join("templates/report.md.tera");
    let edited = fs::read_to_string(&t).unwrap() + "\nEdited by the committee.\n";
    fs::write(&t, edited).unwrap();
    assert_eq!(run(&dir, &["build"]).status.code(), Some(0));
    assert!(fs::read_to_string(dir.join("output/2025/report.md"))
        .unwrap()
        .contains("Edited by the committee."));
    let o = run(&dir, &["verify", "--report", "output/2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A second init does not overwrite the committee's work.
    let o = run(d.path(), &["init", "my-report"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
}

fn project(dir: &Path, config: &str, csv: &str) {
    fs::write(dir.join("report.toml"), config).unwrap();
    fs::write(dir.join("cases.csv"), csv).unwrap();
}

const HEADER: &str = "case_id,reported_at,platform,category\n";

#[test]
fn messages_say_how_to_fix_the_mistake() {
    let d = tempfile::tempdir().unwrap();
    let cfg = "[period]\nyear = 2025\n";
    // Unknown category: the valid keys and the closest one.
    project(
        d.path(),
        cfg,
        &format!("{HEADER}X1,2025-02-03,ala_connect,intimdation\n"),
    );
    let e = stderr(&run(d.path(), &["validate"]));
    assert!(
        e.contains("expected one of: race_ethnicity, sex_gender"),
        "{e}"
    );
    assert!(e.contains("did you mean `intimidation`?"), "{e}");
    // Timestamp: the accepted forms.
    project(
        d.path(),
        cfg,
        &format!("{HEADER}X1,3 Feb 2025,ala_connect,age\n"),
    );
    let e = stderr(&run(d.path(), &["validate"]));
    assert!(e.contains("accepted forms: 2025-03-04T10:15:00Z"), "{e}");
    // Missing column: the header found, and column_map.
    project(
        d.path(),
        cfg,
        "id,reported_at,platform,category\nX1,2025-02-03,ala_connect,age\n",
    );
    let e = stderr(&run(d.path(), &["validate"]));
    assert!(e.contains("column `case_id`: required column is missing; the header has: id, reported_at, platform, category"), "{e}");
    assert!(e.contains("column_map"), "{e}");
    // Personal data: ignore_columns.
    project(d.path(), cfg, "case_id,reported_at,platform,category,reporter_email\nX1,2025-02-03,ala_connect,age,a@b.c\n");
    let e = stderr(&run(d.path(), &["validate"]));
    assert!(
        e.contains("column `reporter_email`: this column looks like personal data"),
        "{e}"
    );
    assert!(e.contains("ignore_columns"), "{e}");
    assert!(!e.contains("a@b.c"), "the personal value is not echoed");
    // Config: the key and the line.
    project(
        d.path(),
        "organisation = \"X\"\nmin_cell = \"three\"\n[period]\nyear = 2025\n",
        &format!("{HEADER}X1,2025-02-03,ala_connect,age\n"),
    );
    let o = run(d.path(), &["validate"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("line 2") && e.contains("min_cell"), "{e}");
    // A mistyped key is named.
    project(
        d.path(),
        "timezon = \"UTC\"\n[period]\nyear = 2025\n",
        &format!("{HEADER}X1,2025-02-03,ala_connect,age\n"),
    );
    let e = stderr(&run(d.path(), &["validate"]));
    assert!(e.contains("timezon") && e.contains("line 1"), "{e}");
}

#[test]
fn sample_is_deterministic() {
    let d = tempfile::tempdir().unwrap();
    for f in ["a.csv", "b.csv"] {
        let o = run(
            d.path(),
            &[
                "sample", "--rows", "500", "--year", "2024", "--seed", "9", "--out", f,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let a = fs::read(d.path().join("a.csv")).unwrap();
    assert_eq!(a, fs::read(d.path().join("b.csv")).unwrap());
    assert_eq!(a.iter().filter(|b| **b == b'\n').count(), 501);
    // And it builds cleanly.
    fs::write(
        d.path().join("report.toml"),
        "inputs = [\"a.csv\"]\n[period]\nyear = 2024\n",
    )
    .unwrap();
    let o = run(d.path(), &["build", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "--quiet prints nothing");
}
