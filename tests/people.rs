//! What PSF and Django publish (issue 15, point 4), on the hand-made fixture
//! `tests/fixtures/people/` (a working group's 2024, in UTC):
//!
//! | case | reported   | action    | decided    | handled by | incident | person      |
//! |------|------------|-----------|------------|------------|----------|-------------|
//! | P01  | 2024-01-10 | warned    | 2024-01-20 | wg         | I1       | alice       |
//! | P02  | 2024-01-12 | warned    | 2024-01-25 | wg (`WG`)  | I1       | alice       |
//! | P03  | 2024-02-01 | no_action | 2024-02-03 | board      | I2       | bob         |
//! | P04  | 2024-03-05 | suspended | 2024-03-30 | local      | I3       | carol       |
//! | P05  | 2024-04-01 | banned    | 2024-05-01 | local      | I3       | ` carol `   |
//! | P06  | 2024-05-10 | warned    | 2024-05-12 | wg (` wg `)| I4       | dan         |
//! | P07  | 2024-06-01 | —         | open       | —          | I5       | —           |
//! | P08  | 2024-07-01 | warned    | 2024-07-05 | board      | I6       | alice       |
//! | P09  | 2023-12-20 | suspended | 2024-01-05 | wg         | I0       | erin        |
//! | P10  | 2023-11-01 | no_action | 2023-11-15 | wg         | —        | fay         |
//! | P11  | 2024-12-30 | —         | 2025-01-10 | local      | —        | bob         |
//!
//! 2024 has 9 cases (P01–P08, P11); P09 and P10 were reported in 2023.
//! - by handler: wg 3 (P01, P02, P06), board 2 (P03, P08), local 3 (P04, P05, P11),
//!   unassigned 1 (P07).
//! - people named: 4 (alice, bob, carol — trimmed —, dan; P07 names nobody, erin and fay
//!   only 2023). By action: no_action 1 (bob), warned 2 (alice thrice, dan), suspended 1
//!   (carol), banned 1 (carol again: once under each action), unassigned 1 (bob, P11).
//! - incidents: 7 (I1–I6 and P11, which has no id). By action: no_action 1 (I2), warned 3
//!   (I1, I4, I6), suspended 1 (I3), banned 1 (I3 again), unassigned 2 (I5, P11). By handler:
//!   wg 2 (I1, I4), board 2 (I2, I6), local 2 (I3, P11), unassigned 1 (I5).

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;
use transparency_report::commands::build::{compute, Built, Options, Plan};

fn dir() -> PathBuf {
    common::fixtures().join("people")
}

fn build_in(config: &Path, min_cell: Option<u64>) -> Built {
    let o = Options {
        config: Some(config.to_path_buf()),
        min_cell,
        ..Options::default()
    };
    compute(&Plan::resolve(&o).expect("plan")).expect("build")
}

fn build(min_cell: Option<u64>) -> Built {
    build_in(&dir().join("report.toml"), min_cell)
}

fn text(b: &Built, path: &str) -> String {
    String::from_utf8(b.files[path].clone()).unwrap()
}

fn summary(b: &Built) -> Value {
    serde_json::from_slice(&b.files["data/summary.json"]).unwrap()
}

/// The fixture's config with its export replaced by `csv` (and `extra` appended), in a
/// temporary folder.
fn variant(csv: &str, extra: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("cases.csv"), csv).unwrap();
    let config = std::fs::read_to_string(dir().join("report.toml")).unwrap();
    std::fs::write(d.path().join("report.toml"), format!("{config}{extra}")).unwrap();
    d
}

/// The fixture's export without the columns named.
fn export_without(drop: &[&str]) -> String {
    let csv = std::fs::read_to_string(dir().join("cases.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !drop.contains(&header[i]))
        .collect();
    let pick = |line: &str| -> String {
        let cells: Vec<&str> = line.split(',').collect();
        keep.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(",")
    };
    let mut out = pick(&header.join(","));
    out.push('\n');
    for l in lines {
        out.push_str(&pick(l));
        out.push('\n');
    }
    out
}

#[test]
fn cases_by_handler_match_the_hand_count() {
    let b = build(None);
    let s = summary(&b);
    assert_eq!(s["schema_version"], 5);
    assert_eq!(s["cases"]["total"], 9);
    assert_eq!(
        s["by_handler"],
        serde_json::json!({"wg": 3, "board": 2, "local": 3, "unassigned": 1})
    );
    assert!(!s["not_recorded"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "handled_by"));
    assert_eq!(
        text(&b, "data/handlers.csv"),
        "handler,label,cases\nwg,The working group,3\nboard,The board,2\nlocal,Local organisers,3\nunassigned,Not assigned,1\n"
    );
    let package = text(&b, "data/datapackage.json");
    assert!(package.contains("\"path\": \"handlers.csv\""), "{package}");
    let md = text(&b, "report.md");
    assert!(md.contains("## Who handled the cases"), "{md}");
    assert!(md.contains("| The working group | 3 | 33.3% |"), "{md}");
    assert!(md.contains("| Not assigned | 1 | 11.1% |"), "{md}");
    let html = text(&b, "index.html");
    assert!(html.contains("<h2 id=\"handlers-title\">Who handled the cases</h2>"));
    assert!(html.contains("href=\"#handlers\""));
}

#[test]
fn people_named_and_people_by_action_match_the_hand_count() {
    let b = build(None);
    let s = summary(&b);
    assert_eq!(
        s["people"],
        serde_json::json!({
            "named": 4,
            "by_action": {"no_action": 1, "warned": 2, "suspended": 1, "banned": 1, "unassigned": 1}
        })
    );
    // Cases by action, for comparison: people count once per action.
    assert_eq!(
        s["by_action"],
        serde_json::json!({"no_action": 1, "warned": 4, "suspended": 1, "banned": 1, "unassigned": 2})
    );
    assert_eq!(
        text(&b, "data/people.csv"),
        "figure,action,label,people\nnamed,,People named,4\nby_action,no_action,No action,1\nby_action,warned,Warned,2\nby_action,suspended,Suspended,1\nby_action,banned,Banned,1\nby_action,unassigned,No action recorded,1\n"
    );
    assert!(text(&b, "data/datapackage.json").contains("\"path\": \"people.csv\""));
    let md = text(&b, "report.md");
    assert!(md.contains("## People named"), "{md}");
    assert!(md.contains("| People named | 4 |"), "{md}");
    assert!(md.contains("| Warned | 2 |"), "{md}");
    // The codes themselves are published nowhere.
    for (path, bytes) in &b.files {
        let t = String::from_utf8_lossy(bytes);
        for code in ["alice", "carol", "erin"] {
            assert!(!t.contains(code), "{path} holds the code {code}");
        }
    }
}

#[test]
fn without_a_person_ref_column_nothing_is_said_about_people() {
    let d = variant(&export_without(&["person_ref"]), "");
    let b = build_in(&d.path().join("report.toml"), None);
    let s = summary(&b);
    assert_eq!(s["people"], Value::Null);
    assert!(s["not_recorded"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "person_ref"));
    assert!(!b.files.contains_key("data/people.csv"));
    for page in ["report.md", "index.html"] {
        let t = text(&b, page);
        assert!(!t.contains("People named"), "{page} speaks of people named");
    }
}

#[test]
fn people_cells_are_suppressed_and_audited() {
    // min_cell 3: every people-by-action cell is small (1 or 2), and none can be worked out
    // from people named (4) or the cases by action.
    let d = variant(&export_without(&["incident_id"]), "");
    let b = build_in(&d.path().join("report.toml"), Some(3));
    let s = summary(&b);
    assert_eq!(s["people"]["named"], 4);
    for k in ["no_action", "warned", "suspended", "banned", "unassigned"] {
        assert_eq!(s["people"]["by_action"][k], Value::Null, "{k}");
    }
    let disclosure: Value = serde_json::from_slice(&b.files["data/disclosure.json"]).unwrap();
    assert_eq!(disclosure["audit"]["derivable_cells"], 0);
}

#[test]
fn actions_and_handlers_count_incidents_too() {
    // Counted by report (the default), only the sections table counts incidents.
    let b = build(None);
    let i: Value = serde_json::from_slice(&b.files["data/incidents.json"]).unwrap();
    assert_eq!(i["schema_version"], 1);
    assert_eq!(i.get("by_action"), None);
    assert!(!b.files.contains_key("data/incidents_by_action.csv"));
    assert!(text(&b, "report.md").contains("| Warned | 4 | 44.4% |\n"));
    // Counted by incident, every table counts both, incidents first.
    let d = variant(
        &std::fs::read_to_string(dir().join("cases.csv")).unwrap(),
        "\n[incidents]\ncount_categories_by = \"incidents\"\n",
    );
    let b = build_in(&d.path().join("report.toml"), None);
    let i: Value = serde_json::from_slice(&b.files["data/incidents.json"]).unwrap();
    assert_eq!(i["schema_version"], 2);
    assert_eq!(i["incidents"], 7);
    assert_eq!(
        i["by_action"],
        serde_json::json!({"no_action": 1, "warned": 3, "suspended": 1, "banned": 1, "unassigned": 2})
    );
    assert_eq!(
        i["by_handler"],
        serde_json::json!({"wg": 2, "board": 2, "local": 2, "unassigned": 1})
    );
    assert_eq!(
        text(&b, "data/incidents_by_handler.csv"),
        "handler,label,reports,incidents\nwg,The working group,3,2\nboard,The board,2,2\nlocal,Local organisers,3,2\nunassigned,Not assigned,1,1\n"
    );
    assert!(text(&b, "data/incidents_by_action.csv").contains("warned,Warned,4,3\n"));
    let md = text(&b, "report.md");
    assert!(md.contains("| Warned | 3 | 42.9% | 4 | 44.4% |"), "{md}");
    assert!(
        md.contains("| The working group | 2 | 28.6% | 3 | 33.3% |"),
        "{md}"
    );
}

#[test]
fn a_period_too_small_to_protect_its_incident_cells_is_refused() {
    // min_cell 3: every incident-by-handler cell is "< 3", and each is at least 1 (its
    // handler has reports); with 7 incidents published and the unassigned incident at most its
    // one report, wg, board and local must be 2 each. The audit sees it and the build stops
    // rather than publish them.
    let d = variant(
        &std::fs::read_to_string(dir().join("cases.csv")).unwrap(),
        "\n[incidents]\ncount_categories_by = \"incidents\"\n",
    );
    let o = Options {
        config: Some(d.path().join("report.toml")),
        min_cell: Some(3),
        ..Options::default()
    };
    let err = match compute(&Plan::resolve(&o).expect("plan")) {
        Ok(_) => panic!("published derivable incident cells"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("incidents.by_handler.wg (= 2)"), "{err}");
    assert!(err.contains("small-cell protection is impossible"), "{err}");
}

#[test]
fn committee_activity_is_also_a_data_file() {
    let d = variant(
        &std::fs::read_to_string(dir().join("cases.csv")).unwrap(),
        "\n[committee_activity]\nmeetings = 17\nvotes = 27\nvotes_quorate = 26\njoined = [\"A. Member\", \"=B\"]\n",
    );
    let b = build_in(&d.path().join("report.toml"), None);
    assert_eq!(
        text(&b, "data/committee.csv"),
        "measure,label,count,names\nmeetings,Meetings held,17,\nvotes,Votes taken,27,\nvotes_quorate,Votes that reached quorum,26,\njoined,Joined the committee,2,A. Member; =B\n"
    );
    assert!(text(&b, "data/datapackage.json").contains("\"path\": \"committee.csv\""));
    let md = text(&b, "report.md");
    assert!(md.contains("| Votes that reached quorum | 26 |"), "{md}");
    // Without the table, no file.
    assert!(!build(None).files.contains_key("data/committee.csv"));
}

#[test]
fn without_a_handled_by_column_nothing_is_said_about_handlers() {
    let d = variant(&export_without(&["handled_by"]), "");
    let b = build_in(&d.path().join("report.toml"), None);
    let s = summary(&b);
    assert_eq!(s["by_handler"], Value::Null);
    assert!(s["not_recorded"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "handled_by"));
    assert!(!b.files.contains_key("data/handlers.csv"));
    for page in ["report.md", "index.html", "data/datapackage.json"] {
        let t = text(&b, page).to_lowercase();
        assert!(!t.contains("handled"), "{page} speaks of handlers");
        assert!(!t.contains("handler"), "{page} speaks of handlers");
    }
}

#[test]
fn an_unknown_handler_is_an_error_naming_the_value() {
    let csv = std::fs::read_to_string(dir().join("cases.csv"))
        .unwrap()
        .replace(",board,I2", ",the_board,I2");
    let d = variant(&csv, "");
    let o = Options {
        config: Some(d.path().join("report.toml")),
        ..Options::default()
    };
    let err = match compute(&Plan::resolve(&o).expect("plan")) {
        Ok(_) => panic!("an unknown handler was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("handled_by"), "{err}");
    assert!(err.contains("the_board"), "{err}");
}

#[test]
fn handler_cells_are_suppressed_and_audited() {
    // min_cell 3: board (2) and unassigned (1) are small; the table adds up to the total, so
    // no single one of them may be the only cell withheld. (Without incident ids: see
    // `a_period_too_small_to_protect_its_incident_cells_is_refused`.)
    let d = variant(&export_without(&["incident_id"]), "");
    let b = build_in(&d.path().join("report.toml"), Some(3));
    let s = summary(&b);
    let h = &s["by_handler"];
    assert_eq!(h["board"], Value::Null);
    assert_eq!(h["unassigned"], Value::Null);
    let published: i64 = ["wg", "local"].iter().filter_map(|k| h[k].as_i64()).sum();
    assert!(published <= 6);
    let disclosure: Value = serde_json::from_slice(&b.files["data/disclosure.json"]).unwrap();
    assert_eq!(disclosure["audit"]["derivable_cells"], 0);
    let md = text(&b, "report.md");
    assert!(md.contains("| The board | < 3 |"), "{md}");
}
