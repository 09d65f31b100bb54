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
        ("help_serve.txt", vec!["serve", "--help"]),
        ("help_validate.txt", vec!["validate", "--help"]),
        ("help_verify.txt", vec!["verify", "--help"]),
        ("help_sign.txt", vec!["sign", "--help"]),
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
        "warning: cases.csv is the example export that `init` wrote (synthetic cases): replace it with your export before publishing\n\
         warning: narrative.md still holds the placeholder text that `init` wrote (\"Replace this text with the committee's own account of the year…\"): replace it with the committee's own words before publishing\n\
         60 cases in 2025, 0 rows rejected → output/2025/ (settings: report.toml)"
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
    assert!(
        e.contains("column `case_id`: required column is missing"),
        "{e}"
    );
    assert!(
        e.contains("cases.csv: the header has: id, reported_at, platform, category."),
        "{e}"
    );
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

/// The README's command for sample_data/cases.csv remakes it byte for byte: the generator
/// gives the same file on every machine and in every version (published examples and
/// benchmark baselines are pinned by hash), and the committed export is current.
#[test]
fn sample_remakes_the_committed_export_byte_for_byte() {
    let readme = fs::read_to_string(common::root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("transparency-report sample "))
        .expect("the README shows the sample command");
    let command = line.split('#').next().unwrap().trim();
    let args: Vec<&str> = command.split_whitespace().collect();
    assert!(args.ends_with(&["--out", "cases.csv"]), "{command}");
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &args[1..]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fresh = fs::read(d.path().join("cases.csv")).unwrap();
    let committed = fs::read(common::root().join("sample_data/cases.csv")).unwrap();
    assert!(
        fresh == committed,
        "`{command}` no longer gives sample_data/cases.csv"
    );
}

#[test]
fn a_sample_export_builds_quietly() {
    let d = tempfile::tempdir().unwrap();
    let o = run(
        d.path(),
        &[
            "sample", "--rows", "500", "--year", "2024", "--seed", "9", "--out", "a.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a = fs::read(d.path().join("a.csv")).unwrap();
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

/// A folder shaped like the repository: the sample's settings in `sample_data/`.
fn beside_the_sample(dir: &Path) {
    let sample = dir.join("sample_data");
    fs::create_dir(&sample).unwrap();
    for f in ["report.toml", "narrative.md"] {
        fs::copy(common::root().join("sample_data").join(f), sample.join(f)).unwrap();
    }
    fs::copy(common::fixtures().join("cases.csv"), dir.join("mine.csv")).unwrap();
}

#[test]
fn an_own_export_never_takes_the_sample_settings() {
    let d = tempfile::tempdir().unwrap();
    beside_the_sample(d.path());
    let args = [
        "build", "--input", "mine.csv", "--year", "2025", "--out", "out",
    ];
    let o = run(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let last = stderr(&o)
        .trim()
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(
        last.ends_with("→ out/ (settings: built-in defaults)"),
        "{}",
        stderr(&o)
    );
    let html = fs::read_to_string(d.path().join("out/index.html")).unwrap();
    assert!(!html.contains("sample narrative"), "the sample's narrative");
    assert!(
        !html.contains("Sample figures"),
        "the sample's committee figures"
    );
    let manifest = fs::read_to_string(d.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("(embedded ALA default)"), "{manifest}");

    // ./report.toml comes first, and is named.
    fs::write(
        d.path().join("report.toml"),
        "organisation = \"Own Library\"\n",
    )
    .unwrap();
    let o = run(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .trim()
            .ends_with("→ out/ (settings: report.toml)"),
        "{}",
        stderr(&o)
    );
    assert!(fs::read_to_string(d.path().join("out/index.html"))
        .unwrap()
        .contains("Own Library"));
}

#[test]
fn the_example_export_and_the_placeholder_narrative_are_not_published_silently() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["init", "my-report", "--year", "2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = d.path().join("my-report");
    fs::copy(common::fixtures().join("cases.csv"), dir.join("mine.csv")).unwrap();
    let warning = "warning: cases.csv is the example export that `init` wrote (synthetic cases) and is read together with mine.csv: delete it, or list your exports in `inputs` in report.toml";
    let v = run(&dir, &["validate"]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    assert!(stderr(&v).contains(warning), "{}", stderr(&v));
    let b = run(&dir, &["build"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(stderr(&b).contains(warning), "{}", stderr(&b));
    assert!(stderr(&b).contains("narrative.md still holds the placeholder text"));

    // The committee's own words and export alone: no warning.
    let example = fs::read_to_string(dir.join("cases.csv")).unwrap();
    fs::remove_file(dir.join("cases.csv")).unwrap();
    fs::write(
        dir.join("narrative.md"),
        "## A word from the committee\n\nA calm year.\n",
    )
    .unwrap();
    let b = run(&dir, &["build"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(!stderr(&b).contains("warning"), "{}", stderr(&b));
    // An edited copy of the example is an export like any other.
    let edited = example.replacen("C2025-0000001,", "C2025-0000001b,", 1);
    assert_ne!(edited, example);
    fs::write(dir.join("edited.csv"), edited).unwrap();
    let b = run(&dir, &["build"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(!stderr(&b).contains("example export"), "{}", stderr(&b));
}

#[test]
fn a_period_the_export_does_not_reach_is_flagged() {
    let d = tempfile::tempdir().unwrap();
    // Two cases cannot be published with small cells withheld; the period is the point here.
    let cfg = "min_cell = 0\n[period]\nyear = 2026\n";
    project(
        d.path(),
        cfg,
        &format!("{HEADER}X1,2026-02-03,ala_connect,age\nX2,2026-08-14T16:00,blog,age\n"),
    );
    let o = run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: the export's last report is from 2026-08-14, 139 days before the period ends (2026-12-31): the figures cover only part of 2026"),
        "{}",
        stderr(&o)
    );
    // 31 days before the end is still a whole period (a quiet December).
    project(
        d.path(),
        cfg,
        &format!("{HEADER}X1,2026-02-03,ala_connect,age\nX2,2026-11-30T16:00,blog,age\n"),
    );
    let o = run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn sample_writes_to_stdout_and_defaults_to_last_year() {
    use chrono::Datelike;
    let d = tempfile::tempdir().unwrap();
    let o = run(
        d.path(),
        &["sample", "--rows", "5", "--year", "2024", "--out", "-"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("case_id,reported_at,"), "{text}");
    assert_eq!(text.lines().count(), 6);
    assert!(!d.path().join("-").exists(), "no file named `-`");
    let o = run(d.path(), &["sample", "--rows", "5", "--out", "last.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let last = chrono::Utc::now().year() - 1;
    let text = fs::read_to_string(d.path().join("last.csv")).unwrap();
    for row in text.lines().skip(1) {
        let reported = row.split(',').nth(1).unwrap();
        assert!(reported.starts_with(&format!("{last}-")), "{row}");
    }
}

#[test]
fn validate_needs_no_period_and_counts_the_rows_inside_one() {
    let d = tempfile::tempdir().unwrap();
    let rows =
        "X1,2024-12-31T23:00,ala_connect,age\nX2,2025-02-03,blog,age\nX3,2025-12-31,blog,age\n";
    project(d.path(), "min_cell = 0\n", &format!("{HEADER}{rows}"));
    // No period anywhere: every row is checked.
    let o = run(d.path(), &["validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim(),
        "valid: 3 rows read from 1 file, 0 rejected"
    );
    // A bad row is found whatever its date.
    project(
        d.path(),
        "min_cell = 0\n",
        &format!("{HEADER}{rows}X4,1999-02-30,blog,age\n"),
    );
    let o = run(d.path(), &["validate"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cases.csv:5: column `reported_at`"));
    // With a period (flag or config), the rows inside it are counted too.
    project(d.path(), "min_cell = 0\n", &format!("{HEADER}{rows}"));
    let o = run(d.path(), &["validate", "--year", "2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim(),
        "valid: 3 rows read from 1 file, 0 rejected; 2 of the valid rows were reported in the period 2025-01-01 to 2025-12-31"
    );
    project(
        d.path(),
        "min_cell = 0\n[period]\nstart = 2024-12-01\nend = 2024-12-31\n",
        &format!("{HEADER}{rows}"),
    );
    let o = run(d.path(), &["validate"]);
    assert!(
        stderr(&o)
            .contains("1 of the valid rows was reported in the period 2024-12-01 to 2024-12-31"),
        "{}",
        stderr(&o)
    );
    // `build` still needs one.
    project(d.path(), "min_cell = 0\n", &format!("{HEADER}{rows}"));
    let o = run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no reporting period"), "{}", stderr(&o));
}

/// The write end of a pipe whose reader is already gone: every write to it fails with
/// `BrokenPipe`, as when `| head` has read what it wanted. (The reader is a `true` that
/// has exited, so there is no race with the program under test.)
#[cfg(unix)]
fn closed_pipe() -> std::process::Stdio {
    use std::process::{Command, Stdio};
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("`true` runs");
    let w = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    Stdio::from(w)
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_stops_quietly_with_exit_0() {
    use std::process::{Command, Stdio};
    let d = tempfile::tempdir().unwrap();
    // Many problems on stderr, as in `validate … 2>&1 | head -3`.
    let mut csv = String::from(HEADER);
    for i in 0..200 {
        csv.push_str(&format!("X{i},not a date,ala_connect,age\n"));
    }
    project(d.path(), "[period]\nyear = 2025\n", &csv);
    let bin = env!("CARGO_BIN_EXE_transparency-report");
    let stderr_closed = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(d.path())
            .stdout(Stdio::null())
            .stderr(closed_pipe())
            .status()
            .unwrap()
    };
    for args in [
        &["validate"][..],
        &["build"],
        &["validate", "--skip-invalid"],
    ] {
        assert_eq!(stderr_closed(args).code(), Some(0), "{args:?}");
    }
    // Output on stdout: a completion script, the verdict of `verify`.
    let stdout_closed = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(d.path())
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    for args in [
        &["completions", "bash"][..],
        &["--help"],
        &["validate", "--help"],
    ] {
        let o = stdout_closed(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}: quiet");
    }
    project(
        d.path(),
        "min_cell = 0\n[period]\nyear = 2025\n",
        &format!("{HEADER}X1,2025-02-03,blog,age\n"),
    );
    assert_eq!(run(d.path(), &["build", "--quiet"]).status.code(), Some(0));
    let o = stdout_closed(&["verify", "--report", "output/2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn min_cell_has_an_upper_bound() {
    let d = tempfile::tempdir().unwrap();
    let csv = format!("{HEADER}X1,2025-02-03,blog,age\n");
    project(
        d.path(),
        "min_cell = 1000001\n[period]\nyear = 2025\n",
        &csv,
    );
    for cmd in ["build", "validate"] {
        let o = run(d.path(), &[cmd]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let e = stderr(&o);
        assert!(
            e.contains("`min_cell`: 1000001 is larger than 1000000"),
            "{e}"
        );
    }
    // u64::MAX once wrapped to -1 inside the suppression.
    project(d.path(), "[period]\nyear = 2025\n", &csv);
    for n in ["1000001", "18446744073709551615"] {
        let o = run(d.path(), &["build", "--min-cell", n]);
        assert_eq!(o.status.code(), Some(2), "{n}");
        assert!(stderr(&o).contains("--min-cell:"), "{}", stderr(&o));
        assert!(!d.path().join("output").exists());
    }
    // The bound itself is accepted: `validate` takes it, and `build` gets as far as the
    // disclosure audit, which finds that one case cannot be published with every count
    // below a million withheld.
    project(
        d.path(),
        "min_cell = 1000000\n[period]\nyear = 2025\n",
        &csv,
    );
    let o = run(d.path(), &["validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    project(d.path(), "[period]\nyear = 2025\n", &csv);
    let o = run(d.path(), &["build", "--min-cell", "1000000"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("--min-cell:"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("small-cell protection is impossible for this period"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_table_is_named_not_the_line_of_another() {
    let d = tempfile::tempdir().unwrap();
    // Levels may be absent (SPEC §4); the sections of the Code may not.
    let config = "[period]\nyear = 2025\n\n[[taxonomy.platforms]]\nkey = \"blog\"\nlabel = \"Blog\"\n\n[[taxonomy.category_groups]]\nkey = \"g\"\nlabel = \"G\"\n\n[[taxonomy.actions]]\nkey = \"warning\"\nlabel = \"Warning\"\n";
    project(
        d.path(),
        config,
        &format!("{HEADER}X1,2025-02-03,blog,age\n"),
    );
    let o = run(d.path(), &["validate"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("missing field `categories` in [taxonomy]"),
        "{e}"
    );
    assert!(
        !e.contains("line 4") && !e.contains("[[taxonomy.platforms]]"),
        "{e}"
    );
}
