//! A platform's notice log (SPEC §3.1): an export with only `case_id`, `reported_at` and
//! `category`, built as a user would. The report states what the log records and nothing
//! else: no timeliness, level, appeal, reporter, platform or action figure anywhere.

mod common;

use std::fs;
use std::path::Path;

fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    for f in ["notices.csv", "report.toml"] {
        fs::copy(
            common::fixtures().join("notice_log").join(f),
            d.path().join(f),
        )
        .unwrap();
    }
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let out = d.path().join("out");
    (d, out)
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

/// The page's text without tags, so the words of a table or a key figure are matched
/// whatever markup sits between them.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for ch in html.chars() {
        match ch {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn a_notice_log_reports_only_what_it_records() {
    let (_d, out) = build();
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out, "data/summary.json")).unwrap();
    assert_eq!(summary["schema_version"], 5);
    assert_eq!(summary["cases"]["total"], 40);
    assert_eq!(summary["rows"]["counted"], 40);
    assert_eq!(
        summary["not_recorded"],
        serde_json::json!([
            "platform",
            "moderation_level",
            "reporter_type",
            "action",
            "suspension_days",
            "interim_suspension",
            "acknowledged_at",
            "resolved_at",
            "decision_communicated_at",
            "appeal_filed_at",
            "appeal_decided_at",
            "appeal_outcome",
            "handled_by",
            "person_ref",
            "channel",
            "referred_to"
        ])
    );
    assert_eq!(summary["by_handler"], serde_json::Value::Null);
    assert_eq!(summary["people"], serde_json::Value::Null);
    // Every figure resting on an unrecorded fact is null, never 0.
    for path in [
        "/cases/resolved",
        "/cases/open_at_period_end",
        "/acknowledgement/met",
        "/acknowledgement/rate",
        "/resolution_days/count",
        "/resolution_days/histogram/0-1",
        "/suspensions/temporary",
        "/suspensions/full",
        "/suspensions/interim",
        "/appeals/filed",
        "/appeals/eligible",
        "/appeals/by_outcome/upheld",
        "/by_reporter_type/named",
        "/by_reporter_type/unassigned",
        "/by_moderation_level/unassigned",
        "/by_action/unassigned",
        "/monthly/0/resolved",
    ] {
        assert_eq!(
            summary.pointer(path),
            Some(&serde_json::Value::Null),
            "{path}"
        );
    }
    assert_eq!(summary.pointer("/monthly/0/reported"), Some(&4.into()));

    // Only the recorded figures' files.
    let mut data: Vec<String> = fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    data.sort();
    assert_eq!(
        data,
        [
            "categories.csv",
            "category_groups.csv",
            "datapackage.json",
            "disclosure.json",
            "monthly.csv",
            "summary.json"
        ]
    );
    assert_eq!(
        read(&out, "data/monthly.csv").lines().next(),
        Some("month,reported")
    );
    let mut charts: Vec<String> = fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    charts.sort();
    assert_eq!(charts, ["categories.svg", "monthly.svg"]);

    let html = text(&read(&out, "index.html"));
    let md = read(&out, "report.md");
    let csvs: String = data
        .iter()
        .filter(|f| f.ends_with(".csv"))
        .map(|f| read(&out, &format!("data/{f}")))
        .collect();
    for (what, body) in [("index.html", &html), ("report.md", &md), ("csv", &csvs)] {
        for word in [
            "Resolved",
            "resolved",
            "Open at period end",
            "Acknowledge",
            "acknowledge",
            "Timeliness",
            "promises to acknowledge",
            "business day after",
            "Moderation level",
            "moderation level",
            "Appeal",
            "Suspension",
            "Platform",
            "Who reported",
            "named",
            "Anonymous",
            "Actions taken",
            "no action",
            "Median days",
            " 0.0%",
        ] {
            // The methodology names what is not recorded, once, in its own paragraph.
            let body: String = body
                .lines()
                .filter(|l| !l.contains("does not record"))
                .collect();
            assert!(!body.contains(word), "{what} mentions {word:?}");
        }
    }
    for body in [&html, &md] {
        assert_eq!(body.matches("The export does not record").count(), 1);
        assert!(body.contains(
            "The export does not record the platform, the moderation level, who reported, the action taken"
        ));
        assert!(body.contains("Notices received"));
    }
    // In the platform's words: no "Code of Conduct", no "case" anywhere on the page.
    let page = text(&read(&out, "index.html"));
    assert!(
        page.contains("Example Hosting legal notices report 2024"),
        "{page}"
    );
    assert!(
        page.contains("Notices by legal ground of the Terms of Service"),
        "{page}"
    );
    assert!(!page.contains("Code of Conduct"), "{page}");
    assert!(!page.to_lowercase().contains(" case"), "{page}");
}

#[test]
fn an_export_lacking_a_column_another_has_is_named() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("a.csv"),
        "case_id,reported_at,category,resolved_at\nA1,2024-02-01,privacy,2024-02-03\n",
    )
    .unwrap();
    fs::write(
        d.path().join("b.csv"),
        "case_id,reported_at,category\nB1,2024-03-01,copyright\n",
    )
    .unwrap();
    let config = read(&common::fixtures().join("notice_log"), "report.toml").replace(
        "inputs = [\"notices.csv\"]",
        "inputs = [\"a.csv\", \"b.csv\"]",
    );
    fs::write(d.path().join("report.toml"), config).unwrap();
    let o = common::run(d.path(), &["build", "--out", "out"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("column `resolved_at` is missing from b.csv"),
        "{err}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&read(&d.path().join("out"), "data/summary.json")).unwrap();
    // Recorded (by a.csv): b.csv's case counts as open.
    assert_eq!(summary["cases"]["resolved"], 1);
    assert_eq!(summary["cases"]["open_at_period_end"], 1);
    assert!(!summary["not_recorded"]
        .as_array()
        .unwrap()
        .contains(&"resolved_at".into()));
}

/// With small cells withheld, what the log does not record takes no part as a withheld cell:
/// the disclosure audit treats those figures as unknown to a reader (they are never
/// published), withholds only recorded counts, and still finds none derivable.
#[test]
fn unrecorded_figures_are_unknowns_of_the_audit_not_withheld_cells() {
    let d = tempfile::tempdir().unwrap();
    for f in ["notices.csv", "report.toml"] {
        fs::copy(
            common::fixtures().join("notice_log").join(f),
            d.path().join(f),
        )
        .unwrap();
    }
    let o = common::run(d.path(), &["build", "--out", "out", "--min-cell", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let out = d.path().join("out");
    let disclosure: serde_json::Value =
        serde_json::from_str(&read(&out, "data/disclosure.json")).unwrap();
    assert_eq!(disclosure["audit"]["derivable_cells"], 0);
    assert_eq!(disclosure["withheld_small"], 12);
    let recorded = ["by_category", "by_category_group", "monthly.reported"];
    for cell in disclosure["withheld_to_protect_cells"].as_array().unwrap() {
        let cell = cell.as_str().unwrap();
        assert!(
            recorded.iter().any(|t| cell.starts_with(&format!("{t}."))),
            "{cell} is not a recorded figure"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out, "data/summary.json")).unwrap();
    assert_eq!(summary["cases"]["resolved"], serde_json::Value::Null);
    assert_eq!(summary["acknowledgement"]["met"], serde_json::Value::Null);
    let md = read(&out, "report.md");
    for table in ["Cases by platform", "time to decision", "Appeals"] {
        assert!(!md.contains(table), "{table}");
    }
    assert!(md.contains("withheld because they were small"), "{md}");
}
