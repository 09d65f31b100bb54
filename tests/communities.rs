//! Real communities' published figures, rebuilt as a user would: `init --preset …`, the
//! committee's own settings and export in place of the example, `build` (issue 15).
//!
//! - `tests/fixtures/psf/`: the PSF Code of Conduct Working Group's 2024 report
//!   (psf/policies, docs/python.org/code-of-conduct/reports/transparency-report-2024.md
//!   @98080377, read 2026-11-30): 20 reports about 16 distinct issues (four issues had two
//!   reports each), 17 meetings, 27 votes of which 26 reached quorum, the kinds of cases (5
//!   microaggressions or aggressive language in Discourse, 4 about PSF-Vote discussions on
//!   Discourse, 4 about communication on GitHub, 2 at PSF-sponsored events, 1 not a violation),
//!   the outcomes per issue it names (a warning recommended; enforcement recommended twice;
//!   one formally logged; one with no action; one asked to communicate more respectfully),
//!   six issues advised by the working group and four handled directly by local
//!   representatives. The export records no dates of acknowledgement or decision, no levels,
//!   platforms, reporters or appeals; its report dates are the fixture's own (the PSF
//!   publishes none), so the month-by-month section is left out, as in the PSF's reports.
//! - `tests/fixtures/django-2025/`: the 2025 row of Django's statistics table
//!   (django/code-of-conduct, statistics.md @7bd025f0: reports 4, people named 4, actions
//!   taken by us 2, by local reps 1, people banned or flagged 2, lack of actions taken 1) and
//!   the 2025 transparency report on djangoproject.com (two reports from late 2024 carried into
//!   the year, 12 meetings, three members joined and one stepped down). The sections of the
//!   Code each report cites are the fixture's own: Django's row does not publish them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// `init --preset NAME --year YEAR` into a temporary folder, then the fixture's settings,
/// narrative and export in place of the example ones.
fn report_folder(preset: &str, year: &str, fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let o = common::run(
        d.path(),
        &["init", "report", "--preset", preset, "--year", year],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let dir = d.path().join("report");
    fs::remove_file(dir.join("cases.csv")).unwrap();
    for f in ["report.toml", "narrative.md", "export.csv"] {
        fs::copy(common::fixtures().join(fixture).join(f), dir.join(f)).unwrap();
    }
    (d, dir)
}

/// The settings lines `init --preset NAME` writes (not comments, not taxonomy tables, not
/// the lines `edited` names): the fixture's report.toml must hold every one, so it is what
/// a user gets from init and then edits.
fn assert_settings_from_init(preset: &str, fixture: &str, edited: &[&str]) {
    let d = tempfile::tempdir().unwrap();
    let o = common::run(d.path(), &["init", "r", "--preset", preset]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let init = fs::read_to_string(d.path().join("r/report.toml")).unwrap();
    let ours = fs::read_to_string(common::fixtures().join(fixture).join("report.toml")).unwrap();
    let ours: Vec<&str> = ours.lines().map(str::trim).collect();
    let settings = init
        .split("[[taxonomy.")
        .next()
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| !edited.iter().any(|e| l.starts_with(e)));
    for line in settings {
        assert!(
            ours.contains(&line),
            "{fixture}/report.toml lacks init's `{line}`"
        );
    }
}

fn build(dir: &Path) -> PathBuf {
    let o = common::run(dir, &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    dir.join("out")
}

fn json(out: &Path, name: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(out.join(name)).unwrap()).unwrap()
}

/// The page's text without tags, whitespace collapsed.
fn page_text(out: &Path) -> String {
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let mut text = String::new();
    let mut tag = false;
    for ch in html.chars() {
        match ch {
            '<' => tag = true,
            '>' => {
                tag = false;
                text.push(' ');
            }
            c if !tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The report's part before the methodology (which names what is not recorded).
fn body(text: &str) -> &str {
    text.split("Methodology and data").nth(1).map_or(text, |_| {
        let i = text.rfind("Methodology and data").unwrap();
        &text[..i]
    })
}

fn published_files(out: &Path) -> Vec<String> {
    common::snapshot(out).into_iter().map(|(p, _)| p).collect()
}

/// A table of counts, by key (sorted: the order is the taxonomy's, checked elsewhere).
fn counts(v: &Value) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = list.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    out.sort();
    out
}

#[test]
fn psf_2024_every_figure_of_the_published_report_and_nothing_else() {
    assert_settings_from_init("psf", "psf", &["count_categories_by", "year ="]);
    let (_d, dir) = report_folder("psf", "2024", "psf");
    let out = build(&dir);
    let s = json(&out, "data/summary.json");
    let i = json(&out, "data/incidents.json");

    // 20 reports about 16 distinct issues.
    assert_eq!(s["cases"]["total"], 20);
    assert_eq!(i["reports"], 20);
    assert_eq!(i["incidents"], 16);
    // The kinds of cases, per issue as the PSF counts them.
    assert_eq!(
        counts(&i["by_category"]),
        pairs(&[
            ("aggressive_language", 5),
            ("vote_discussions", 4),
            ("github_communication", 4),
            ("event_incidents", 2),
            ("not_a_violation", 1),
        ])
    );
    assert_eq!(
        counts(&i["by_category_group"]),
        pairs(&[("kinds_2024", 16)])
    );
    // Six issues advised by the working group, four handled by local representatives; the
    // report names no handler for the other six.
    assert_eq!(
        counts(&i["by_handler"]),
        pairs(&[
            ("working_group", 6),
            ("local_representatives", 4),
            ("board", 0),
            ("unassigned", 6),
        ])
    );
    // The outcomes it names, per issue; nine issues have none recorded.
    let outcomes = counts(&i["by_action"]);
    for (k, n) in [
        ("warning", 1),
        ("enforcement_recommended", 2),
        ("formally_logged", 1),
        ("no_action", 1),
        ("asked_to_communicate_respectfully", 1),
        ("not_a_violation", 1),
        ("final_warning", 0),
        ("temporary_removal", 0),
        ("permanent_removal", 0),
        ("published_account", 0),
        ("unassigned", 9),
    ] {
        assert!(outcomes.contains(&(k.to_string(), n)), "{k}: {outcomes:?}");
    }
    // 17 meetings, 27 votes of which 26 reached quorum.
    let committee = fs::read_to_string(out.join("data/committee.csv")).unwrap();
    for row in [
        "meetings,Meetings held,17,",
        "votes,Votes taken,27,",
        "votes_quorate,Votes that reached quorum,26,",
    ] {
        assert!(committee.contains(row), "{committee}");
    }
    let text = page_text(&out);
    for sentence in [
        "The working group received 20 reports about 16 distinct incidents.",
        "The working group met 17 times and held 27 votes, of which 26 reached quorum.",
        "11 of the 16 issues received active follow-up.",
    ] {
        assert!(text.contains(sentence), "missing: {sentence}\n{text}");
    }

    // Nothing else as fact: what the PSF does not record has no figure anywhere, and the
    // month-by-month section (dates the PSF does not publish) is left out.
    assert_eq!(
        s["not_recorded"],
        serde_json::json!([
            "platform",
            "moderation_level",
            "reporter_type",
            "suspension_days",
            "interim_suspension",
            "acknowledged_at",
            "resolved_at",
            "decision_communicated_at",
            "appeal_filed_at",
            "appeal_decided_at",
            "appeal_outcome",
            "person_ref",
            "channel",
            "referred_to"
        ])
    );
    assert!(s["left_out"]
        .as_array()
        .unwrap()
        .contains(&"monthly".into()));
    assert_eq!(s["monthly"], serde_json::json!([]));
    assert_eq!(s["cases"]["resolved"], Value::Null);
    assert_eq!(s["acknowledgement"]["rate"], Value::Null);
    let main = body(&text);
    for absent in [
        "Month by month",
        "Timeliness",
        "Appeals",
        "acknowledg",
        "Platforms",
        "Who reported",
        "open at",
        "Resolved",
        "level",
    ] {
        assert!(!main.contains(absent), "states `{absent}`:\n{main}");
    }
    // A compact report: prose and tables, no charts, no month file.
    let files = published_files(&out);
    assert!(!files.iter().any(|f| f.starts_with("charts/")), "{files:?}");
    assert!(!files.iter().any(|f| f.contains("monthly")), "{files:?}");
    for f in [
        "data/categories.csv",
        "data/handlers.csv",
        "data/actions.csv",
        "data/committee.csv",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} missing: {files:?}");
    }
}

#[test]
fn django_2025_reproduces_the_published_statistics_row() {
    assert_settings_from_init("django", "django-2025", &["year ="]);
    let (_d, dir) = report_folder("django", "2025", "django-2025");
    let out = build(&dir);
    let s = json(&out, "data/summary.json");

    // Reports 4; people named 4.
    assert_eq!(s["cases"]["total"], 4);
    assert_eq!(s["people"]["named"], 4);
    // Actions taken by us 2 (the working group), by local reps 1; lack of actions taken 1.
    assert_eq!(
        counts(&s["by_handler"]),
        pairs(&[
            ("coc_wg", 2),
            ("dsf_board", 0),
            ("local_event_reps", 1),
            ("none", 1),
            ("unassigned", 0),
        ])
    );
    assert_eq!(s["by_action"]["no_action"], 1);
    // People banned or flagged 2: both suspended from the platform (people, not reports).
    assert_eq!(s["people"]["by_action"]["first_suspension"], 2);
    assert_eq!(s["people"]["by_action"]["ban"], 0);
    // Two reports from late 2024 carried into the year.
    assert_eq!(s["cases"]["carried_over"], 2);
    assert_eq!(s["cases"]["resolved"], 4);
    assert_eq!(s["cases"]["open_at_period_end"], 0);
    // 12 meetings; three members joined, one stepped down.
    let committee = fs::read_to_string(out.join("data/committee.csv")).unwrap();
    assert!(
        committee.contains("meetings,Meetings held,12,"),
        "{committee}"
    );
    assert!(
        committee.contains(",3,Ariane Djeupang; Natalia Bidart; Priya Pahwa"),
        "{committee}"
    );
    assert!(committee.contains(",1,Jay Miller"), "{committee}");
    let text = page_text(&out);
    assert!(
        text.contains("A decision was also taken on 2 reports that reached the working group before the period began (carried over), not counted in this period"),
        "{text}"
    );
    // Django publishes no month-by-month figures; nor does this report.
    assert!(!body(&text).contains("Month by month"));
    assert!(s["left_out"]
        .as_array()
        .unwrap()
        .contains(&"monthly".into()));
}
