//! Reports vs incidents (issue 8): the hand-made fixture with an `incident_id` column
//! (tests/fixtures/incidents/cases.csv), every figure worked out by hand.
//!
//! The 20 cases of 2025 (see tests/metrics.rs) and their incidents:
//! - I1: C01 and C22, both race_ethnicity → one incident under race_ethnicity;
//! - I2: C02 (sex_gender; intimidation) and C08 (intimidation, written `" I2 "`: ids are
//!   trimmed) → one incident under sex_gender and intimidation;
//! - I3: C05 (religion_politics; political_endorsement) and C06 (disability) → one incident
//!   under all three sections;
//! - I4: C03 (language) in 2025 and C18 (language) on 31 Dec 2024 local → counted in both years;
//! - I5: C16 (employment_military, 31 Dec 2025 local) and C17 (age, 2026) → in 2025 under
//!   employment_military only;
//! - C04 and C14 have no incident id: each is an incident of its own;
//! - C19 is `i1`, not `I1`: ids are compared exactly, so it is an incident of its own;
//! - every other case has an id of its own (I7, I9, …).
//!
//! 2025: 20 reports, 17 incidents (C22, C08 and C06 join an incident already counted).

mod common;

use std::path::{Path, PathBuf};

use transparency_report::commands::build::{compute, Built, Options, Plan};
use transparency_report::model::IncidentFigures;

fn dir() -> PathBuf {
    common::fixtures().join("incidents")
}

fn build_with(f: impl FnOnce(&mut Options)) -> Built {
    let mut o = Options {
        config: Some(dir().join("report.toml")),
        ..Options::default()
    };
    f(&mut o);
    compute(&Plan::resolve(&o).expect("plan")).expect("build")
}

fn incidents(b: &Built) -> IncidentFigures {
    let bytes = b
        .files
        .get("data/incidents.json")
        .expect("data/incidents.json is written");
    serde_json::from_slice(bytes).expect("incidents.json parses")
}

fn text(b: &Built, path: &str) -> String {
    String::from_utf8(b.files[path].clone()).unwrap()
}

fn counts(m: &indexmap::IndexMap<String, Option<u64>>) -> Vec<(&str, u64)> {
    m.iter()
        .map(|(k, v)| (k.as_str(), v.expect("not suppressed")))
        .collect()
}

/// A config like the fixture's, with `extra` appended, written beside a copy of the export.
fn config_dir(extra: &str, min_cell: u64) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(dir().join("cases.csv"), d.path().join("cases.csv")).unwrap();
    std::fs::write(
        d.path().join("report.toml"),
        format!(
            "timezone = \"America/Chicago\"\nholidays = [2025-05-26]\nmin_cell = {min_cell}\ninputs = [\"cases.csv\"]\n[period]\nyear = 2025\n{extra}"
        ),
    )
    .unwrap();
    d
}

/// The fixture without its incident ids (tests/fixtures/cases.csv).
fn plain_build() -> Built {
    build_with(|o| o.config = Some(common::fixtures().join("report.toml")))
}

fn build_in(d: &Path) -> Built {
    build_with(|o| o.config = Some(d.join("report.toml")))
}

#[test]
fn reports_and_incidents_match_the_hand_count() {
    let b = build_with(|_| {});
    let i = incidents(&b);
    // Schema 3: the fixture counts by incident, so actions, platforms, levels and reporter
    // types are counted by incident too.
    assert_eq!(i.schema_version, 3);
    assert!(i.by_action.is_some());
    assert_eq!(i.period.label, "2025");
    assert_eq!(i.categories_counted_by, "incidents");
    assert_eq!(i.reports, 20);
    assert_eq!(i.incidents, 17);
    assert_eq!(
        counts(&i.by_category),
        vec![
            ("race_ethnicity", 1), // C01 + C22 (I1)
            ("sex_gender", 1),
            ("language", 1), // C03 (I4; C18 is 2024)
            ("sexual_orientation", 1),
            ("disability", 1), // C06 (I3)
            ("appearance", 1),
            ("age", 1), // C04 (no id); C17 is 2026
            ("religion_politics", 1),
            ("marital_family", 1),
            ("nationality_location", 1),
            ("employment_military", 1), // C16 (I5)
            ("socioeconomic", 1),       // C19 (i1)
            ("prohibited_content", 1),
            ("intimidation", 1), // C02 + C08 (I2)
            ("intellectual_property", 1),
            ("political_endorsement", 1), // C05 (I3)
            ("paid_promotion", 1),
            ("job_posting", 1), // C14 (no id)
            ("accessibility", 1),
            ("impersonation", 1),
            ("sharing_member_content", 1),
            ("other", 2), // C20 (I20) and C21 (I21)
        ]
    );
    // Harassment: I1, I2, I4, C04, I3, I7, I10, I15, I5, i1. Conduct: I2 (C02, C08), I3,
    // I9, I11, I12, I13, C14, I20, I21.
    assert_eq!(
        counts(&i.by_category_group),
        vec![("harassment", 10), ("conduct", 9)]
    );
    // Every other table, by incident: an incident counts once under each value any of its
    // 2025 reports has. I1 is C01 (ALA Connect, A, named) and C22 (social media, D, named);
    // I2 is C02 (social media, B, anonymous) and C08 (social media, D, named); I3 is C05
    // (blog, C, named) and C06 (ALA Connect, C, anonymous). So against the reports: social
    // media 4 incidents (5 reports: I2 twice), level C 3 (4: I3 twice), named 11 (12: I1
    // twice); I1 counts under both platforms and both levels, I2 and I3 under both reporter
    // types.
    assert_eq!(
        counts(i.by_platform.as_ref().unwrap()),
        vec![
            ("ala_connect", 9),
            ("social_media", 4),
            ("website", 3),
            ("blog", 2),
            ("online_publication", 1),
        ]
    );
    assert_eq!(
        counts(i.by_moderation_level.as_ref().unwrap()),
        vec![("A", 5), ("B", 5), ("C", 3), ("D", 5), ("unassigned", 1)]
    );
    assert_eq!(
        counts(i.by_reporter_type.as_ref().unwrap()),
        vec![
            ("named", 11),
            ("anonymous", 5),
            ("moderator", 2),
            ("unassigned", 1)
        ]
    );
    assert_eq!(b.summary.by_platform["social_media"], Some(5));
    assert_eq!(b.summary.by_moderation_level["C"], Some(4));
    assert_eq!(b.summary.by_reporter_type["named"], Some(12));
    // summary.json keeps counting reports, exactly as without the column.
    let plain = plain_build();
    let mut s = b.summary.clone();
    s.period = plain.summary.period.clone();
    assert_eq!(s, plain.summary);
    assert_eq!(b.summary.by_category["race_ethnicity"], Some(2));
    assert_eq!(b.summary.by_category["intimidation"], Some(2));
    assert_eq!(b.summary.by_category_group["harassment"], Some(12));
    assert_eq!(b.summary.by_category_group["conduct"], Some(10));
}

#[test]
fn an_incident_across_the_year_boundary_counts_in_each_year() {
    let y2026 = incidents(&build_with(|o| o.year = Some(2026)));
    assert_eq!((y2026.reports, y2026.incidents), (1, 1)); // C17 (I5)
    assert_eq!(y2026.by_category["age"], Some(1));
    assert_eq!(y2026.by_category["employment_military"], Some(0));
    let y2024 = incidents(&build_with(|o| o.year = Some(2024)));
    assert_eq!((y2024.reports, y2024.incidents), (1, 1)); // C18 (I4)
    assert_eq!(y2024.by_category["language"], Some(1));
    let empty = incidents(&build_with(|o| o.year = Some(2023)));
    assert_eq!((empty.reports, empty.incidents), (0, 0));
    assert!(empty.by_category.values().all(|v| *v == Some(0)));
}

#[test]
fn the_config_chooses_what_the_figure_of_sections_counts() {
    let by_incident = build_with(|_| {});
    let svg = text(&by_incident, "charts/categories.svg");
    assert!(svg.contains("Incidents by section of the Code of Conduct"));
    assert!(svg.contains("Number of incidents"));
    // Race/ethnicity: 1 incident (2 cases); "other" is the largest with 2 incidents.
    assert!(svg.contains("(2 incidents)"), "{svg}");
    let md = text(&by_incident, "report.md");
    common::golden("snapshots", "incidents_report.md", &md);
    assert!(md.contains("| Section | Incidents | % of incidents | Cases | % of cases |"));
    assert!(md.contains("| Race, ethnicity or native language | 1 | 5.9% | 2 | 10.0% |"));
    assert!(md.contains("the committee received 20 cases about 17 distinct incidents"));
    assert!(md.contains("The chart counts each incident once"));
    let html = text(&by_incident, "index.html");
    assert!(html.contains(
        "<dt>Cases received</dt><dd class=\"stat-value\">20</dd><dd class=\"stat-note\">reported in the period, concerning 17 distinct incidents</dd>"
    ));
    assert!(html.contains("<dt>Incident</dt>"));

    let d = config_dir("[incidents]\ncount_categories_by = \"reports\"\n", 0);
    let by_report = build_in(d.path());
    assert_eq!(incidents(&by_report).categories_counted_by, "reports");
    let svg = text(&by_report, "charts/categories.svg");
    assert!(svg.contains("Cases by section of the Code of Conduct"));
    assert!(svg.contains("Number of cases"));
    let md = text(&by_report, "report.md");
    assert!(md.contains("| Section | Cases | % of cases | Incidents | % of incidents |"));
    assert!(md.contains("| Race, ethnicity or native language | 2 | 10.0% | 1 | 5.9% |"));
    assert!(md.contains("The chart counts cases; the table also shows"));
    // The data are the same either way; only the presentation follows the config.
    for f in [
        "data/incidents_by_category.csv",
        "data/incidents_by_category_group.csv",
    ] {
        assert_eq!(by_report.files[f], by_incident.files[f], "{f}");
    }
    assert_eq!(
        by_report.manifest.settings.count_categories_by, "reports",
        "the manifest records the setting"
    );
    assert_eq!(
        by_incident.manifest.settings.count_categories_by,
        "incidents"
    );
}

#[test]
fn the_data_files_hold_both_counts() {
    let b = build_with(|_| {});
    let csv = text(&b, "data/incidents_by_category.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "group,group_label,category,label,reports,incidents"
    );
    assert!(lines.contains(&"harassment,Harassment on protected grounds,race_ethnicity,\"Race, ethnicity or native language\",2,1"));
    assert!(lines.contains(&"conduct,Other conduct rules,intimidation,\"Intimidation, stalking or unwelcome attention\",2,1"), "{csv}");
    assert_eq!(lines.len(), 23);
    assert_eq!(
        text(&b, "data/incidents_by_category_group.csv"),
        "group,label,reports,incidents\nharassment,Harassment on protected grounds,12,10\nconduct,Other conduct rules,10,9\n"
    );
    let package = text(&b, "data/datapackage.json");
    assert!(package.contains("\"path\": \"incidents_by_category.csv\""));
    assert!(package.contains("\"path\": \"incidents_by_category_group.csv\""));
    for f in [
        "data/incidents.json",
        "data/incidents_by_category.csv",
        "data/incidents_by_category_group.csv",
    ] {
        assert!(
            b.manifest.outputs.iter().any(|o| o.path == f),
            "{f} is in the manifest"
        );
    }
}

#[test]
fn without_the_column_there_are_no_incident_figures() {
    let plain = plain_build();
    assert!(!plain.files.keys().any(|k| k.contains("incident")));
    assert!(!text(&plain, "index.html").contains("distinct incidents"));
    assert!(plain.warnings.is_empty());

    // Counting by incident without the column: said on stderr, figures per report.
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::fixtures().join("cases.csv"),
        d.path().join("cases.csv"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("report.toml"),
        "timezone = \"America/Chicago\"\nmin_cell = 0\n[period]\nyear = 2025\n[incidents]\ncount_categories_by = \"incidents\"\n",
    )
    .unwrap();
    let b = build_in(d.path());
    assert!(!b.files.contains_key("data/incidents.json"));
    assert!(text(&b, "charts/categories.svg").contains("Cases by section"));
    assert_eq!(b.warnings.len(), 1);
    assert!(
        b.warnings[0].contains("no incident_id column"),
        "{:?}",
        b.warnings
    );
    let out = common::run(d.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::stderr(&out).contains("no incident_id column"));
}

#[test]
fn a_wrong_setting_is_a_config_error() {
    let d = config_dir("[incidents]\ncount_categories_by = \"people\"\n", 0);
    let out = common::run(d.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(err.contains("count_categories_by"), "{err}");
    assert!(
        err.contains("reports") && err.contains("incidents"),
        "{err}"
    );
    let d = config_dir("[incidents]\ncount_by = \"reports\"\n", 0);
    let out = common::run(d.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("count_by"));
}

#[test]
fn small_incident_counts_are_suppressed() {
    let d = config_dir("[incidents]\ncount_categories_by = \"incidents\"\n", 3);
    let b = build_in(d.path());
    let i = incidents(&b);
    // Totals describe the period, as the number of cases does: never withheld.
    assert_eq!((i.reports, i.incidents), (20, 17));
    // Every section has 1 or 2 incidents: all withheld; the groups (10 and 9) are shown.
    assert!(i.by_category.values().all(Option::is_none));
    assert_eq!(
        counts(&i.by_category_group),
        vec![("harassment", 10), ("conduct", 9)]
    );
    let md = text(&b, "report.md");
    assert!(md.contains("| Race, ethnicity or native language | < 3 | n/a | < 3 | n/a |"));
    assert!(md.contains("Incidents by section of the Code of Conduct"));
    let csv = text(&b, "data/incidents_by_category.csv");
    assert!(
        csv.contains(",\"Race, ethnicity or native language\",,\n"),
        "{csv}"
    );
}

#[test]
fn exports_with_and_without_the_column_combine() {
    // The 2025 rows of the fixture split in two exports: C01–C11 with incident ids, the
    // rest without (each of those is an incident of its own).
    let d = tempfile::tempdir().unwrap();
    let all = std::fs::read_to_string(dir().join("cases.csv")).unwrap();
    let mut lines = all.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let (with, without): (Vec<&str>, Vec<&str>) = rows.iter().partition(|r| {
        let id: u32 = r[1..3].parse().unwrap();
        id <= 11
    });
    std::fs::write(
        d.path().join("a.csv"),
        format!("{header}\n{}\n", with.join("\n")),
    )
    .unwrap();
    let strip = |r: &str| r[..r.rfind(',').unwrap()].to_string();
    let plain_header = strip(header);
    let without: Vec<String> = without.iter().map(|r| strip(r)).collect();
    std::fs::write(
        d.path().join("b.csv"),
        format!("{plain_header}\n{}\n", without.join("\n")),
    )
    .unwrap();
    std::fs::write(
        d.path().join("report.toml"),
        "timezone = \"America/Chicago\"\nmin_cell = 0\n[period]\nyear = 2025\n",
    )
    .unwrap();
    let i = incidents(&build_in(d.path()));
    // a.csv: C01–C11 in 2025 = 11 reports; C02+C08 (I2) and C05+C06 (I3) merge → 9.
    // b.csv: 9 reports in 2025 (C12–C16, C19–C22; C17, C18 outside), each its own → 9.
    // C22 (I1 in the fixture) is in b.csv without its id, so it no longer joins C01.
    assert_eq!((i.reports, i.incidents), (20, 18));
    assert_eq!(i.by_category["race_ethnicity"], Some(2));
    assert_eq!(i.by_category["intimidation"], Some(1));
    assert_eq!(i.categories_counted_by, "reports");
}

#[test]
fn incident_ids_never_reach_the_report() {
    let d = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(dir().join("cases.csv"))
        .unwrap()
        .replace(",I1\n", ",INCIDENT-SECRET-4711\n")
        .replace(",I3\n", ",INCIDENT-SECRET-0815\n");
    assert_eq!(csv.matches("INCIDENT-SECRET").count(), 4);
    std::fs::write(d.path().join("cases.csv"), csv).unwrap();
    std::fs::copy(dir().join("report.toml"), d.path().join("report.toml")).unwrap();
    let b = build_in(d.path());
    assert_eq!(incidents(&b).incidents, 17);
    for (path, bytes) in &b.files {
        let s = String::from_utf8_lossy(bytes);
        assert!(!s.contains("SECRET"), "{path} holds an incident id");
        assert!(!s.contains("4711") && !s.contains("0815"), "{path}");
    }
}

#[test]
fn row_order_and_line_ends_do_not_change_the_figures() {
    let d = tempfile::tempdir().unwrap();
    let all = std::fs::read_to_string(dir().join("cases.csv")).unwrap();
    let mut lines: Vec<&str> = all.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    std::fs::write(
        d.path().join("cases.csv"),
        format!("{header}\r\n{}\r\n", lines.join("\r\n")),
    )
    .unwrap();
    std::fs::copy(dir().join("report.toml"), d.path().join("report.toml")).unwrap();
    let a = build_with(|_| {});
    let b = build_in(d.path());
    for f in [
        "data/incidents.json",
        "data/incidents_by_category.csv",
        "charts/categories.svg",
    ] {
        assert_eq!(a.files[f], b.files[f], "{f}");
    }
}

#[test]
fn verify_names_a_changed_incident_figure() {
    let d = config_dir("[incidents]\ncount_categories_by = \"incidents\"\n", 0);
    let out = d.path().join("2025");
    let o = common::run(d.path(), &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let verify = || {
        common::run(
            d.path(),
            &[
                "verify",
                "--report",
                out.to_str().unwrap(),
                "--input",
                "cases.csv",
            ],
        )
    };
    let o = verify();
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    // C22 now names an incident of its own instead of C01's.
    let p = d.path().join("cases.csv");
    let csv = std::fs::read_to_string(&p).unwrap();
    let edited = csv.replacen("2025-06-01T12:00,,,,I1\n", "2025-06-01T12:00,,,,I22\n", 1);
    assert_ne!(csv, edited);
    std::fs::write(&p, edited).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(
        err.contains("data/incidents.json differs from a fresh build"),
        "{err}"
    );
    assert!(
        err.contains("incidents: published 17, a fresh build gives 18"),
        "{err}"
    );
    assert!(
        err.contains("by_category.race_ethnicity: published 1, a fresh build gives 2"),
        "{err}"
    );
}

#[test]
fn a_tracker_header_maps_to_incident_id() {
    let d = config_dir("column_map = { \"Incident #\" = \"incident_id\" }\n", 0);
    // `column_map` is a top-level key: it must come before the [period] table.
    let config = std::fs::read_to_string(d.path().join("report.toml")).unwrap();
    let (top, rest) = config.split_once("[period]").unwrap();
    let (period, map) = rest.split_once("column_map").unwrap();
    std::fs::write(
        d.path().join("report.toml"),
        format!("{top}column_map{map}[period]{period}"),
    )
    .unwrap();
    let p = d.path().join("cases.csv");
    let csv = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, csv.replacen(",incident_id\n", ",Incident #\n", 1)).unwrap();
    let i = incidents(&build_in(d.path()));
    assert_eq!((i.reports, i.incidents), (20, 17));
}
