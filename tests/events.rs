//! Events and quarters (issue 18): `[period]` as a half-year, a quarter or an event with its
//! own dates and name, `build --period`, and the closing-session slide (`[slide]`).
//!
//! Figures are hand-computed from `tests/fixtures/cases.csv` (America/Chicago):
//! - 2025Q2 (1 April – 30 June): C05, C06, C09, C10, C20, C21 = 6 cases; actions: temporary
//!   suspension 3 (C05, C06, C21), discussion 1 (C20), warning 1 (C09), full suspension 1
//!   (C10); sections: other 2 (C20, C21), then seven sections once each.
//! - "Fixture Conf 2025", 22–25 May 2025 (an invented event): C05 (23 May), C06 (24 May).

mod common;

use std::fs;
use std::path::Path;

use common::{build, summary, text};
use serde_json::Value;

/// The fixture export and settings, with its `[period] year = 2025` replaced by `period`
/// (a TOML body for `[period]`) and `extra` appended.
fn folder(period: &str, extra: &str) -> tempfile::TempDir {
    common::ala_fixture(|toml| {
        assert!(toml.contains("[period]\nyear = 2025\n"));
        let toml = toml.replace("[period]\nyear = 2025\n", &format!("[period]\n{period}\n"));
        format!("{toml}\n{extra}")
    })
}

/// A build that must fail with a usage or config error (exit 2) naming `needle`.
fn refused(dir: &Path, args: &[&str], needle: &str) {
    let mut all = vec!["build", "--out", "out"];
    all.extend_from_slice(args);
    let o = common::run(dir, &all);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.join("out").exists());
}

fn period(out: &Path) -> (String, String, String) {
    let s = summary(out);
    let p = &s["period"];
    let get = |k: &str| p[k].as_str().unwrap().to_string();
    (get("label"), get("start"), get("end"))
}

const Q2: (&str, &str, &str) = ("2025Q2", "2025-04-01", "2025-06-30");

#[test]
fn a_quarter_in_the_config_is_that_quarter_and_its_label() {
    let d = folder("quarter = \"2025q2\"", "");
    let out = build(d.path(), &[]);
    let (l, s, e) = period(&out);
    assert_eq!((l.as_str(), s.as_str(), e.as_str()), Q2);
    assert_eq!(summary(&out)["cases"]["total"], 6);
    let md = text(&out, "report.md");
    assert!(
        md.contains("Period: **1 April 2025 to 30 June 2025**"),
        "{md}"
    );
    assert!(md.contains("transparency report 2025Q2"), "{md}");
}

#[test]
fn a_half_year_in_the_config_and_period_flags() {
    let d = folder("half = \"2025H2\"", "");
    let out = build(d.path(), &[]);
    let (l, s, e) = period(&out);
    assert_eq!(
        (l.as_str(), s.as_str(), e.as_str()),
        ("2025H2", "2025-07-01", "2025-12-31")
    );
    // The flag overrides the config and names the period after itself.
    let out = build(d.path(), &["--period", "2025Q2"]);
    let (l, s, e) = period(&out);
    assert_eq!((l.as_str(), s.as_str(), e.as_str()), Q2);
    assert_eq!(summary(&out)["cases"]["total"], 6);
    // A fiscal year takes its months from a twelve-month [period].
    let d = folder("start = 2024-09-01\nend = 2025-08-31", "");
    let out = build(d.path(), &["--period", "FY2026"]);
    let (l, s, e) = period(&out);
    assert_eq!(
        (l.as_str(), s.as_str(), e.as_str()),
        ("FY2026", "2025-09-01", "2026-08-31")
    );
}

#[test]
fn bad_quarters_halves_and_events_are_clear_errors() {
    for (period, needle) in [
        ("quarter = \"2025Q5\"", "four quarters"),
        (
            "quarter = \"2025H1\"",
            "`quarter`: `2025H1` is not a quarter",
        ),
        ("half = \"2025Q1\"", "`half`: `2025Q1` is not a half-year"),
        ("half = \"2025H3\"", "two halves"),
        ("quarter = \"Q3\"", "is not a period"),
        (
            "quarter = \"2025Q1\"\nyear = 2025",
            "give one of `year`, `half`, `quarter`",
        ),
        ("name = \"Fixture Conf 2025\"", "needs its dates"),
        (
            "name = \"Fixture Conf 2025\"\nyear = 2025",
            "`name` is an event's name",
        ),
        (
            "name = \" \"\nstart = 2025-05-22\nend = 2025-05-25",
            "must not be empty",
        ),
        ("start = 2025-05-22", "`start` and `end` go together"),
    ] {
        let d = folder(period, "");
        refused(d.path(), &[], needle);
    }
    let d = folder("quarter = \"2025Q1\"", "");
    refused(d.path(), &["--period", "2025Q0"], "--period: `2025Q0`");
    refused(d.path(), &["--period", "FY2025"], "twelve months");
    let o = common::run(d.path(), &["build", "--period", "2025Q1", "--year", "2025"]);
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
}

const EVENT: &str = "name = \"Fixture Conf 2025\"\nstart = 2025-05-22\nend = 2025-05-25";

#[test]
fn an_event_titles_the_report_and_its_dates_are_the_period_line() {
    let d = folder(EVENT, "");
    // No --out: the folder is named after the event.
    let o = common::run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let out = d.path().join("output/Fixture-Conf-2025");
    let (l, s, e) = period(&out);
    assert_eq!(
        (l.as_str(), s.as_str(), e.as_str()),
        ("Fixture-Conf-2025", "2025-05-22", "2025-05-25")
    );
    assert_eq!(summary(&out)["cases"]["total"], 2);
    let html = text(&out, "index.html");
    assert!(
        html.contains("<h1>Fixture Conf 2025 Code of Conduct transparency report</h1>"),
        "{html}"
    );
    assert!(html.contains("Period: <strong>Fixture Conf 2025, 22–25 May 2025</strong>"));
    // Sentences that read "from … to …" keep the full dates.
    assert!(html.contains("from 22 May 2025 to 25 May 2025"));
    let md = text(&out, "report.md");
    assert!(md.contains("# Fixture Conf 2025 Code of Conduct transparency report\n"));
    let pkg: Value = serde_json::from_str(&text(&out, "data/datapackage.json")).unwrap();
    assert_eq!(
        pkg["title"],
        "Fixture Conf 2025 Code of Conduct transparency report"
    );
    // The community's own title for an event, and its own label.
    let d = folder(
        EVENT,
        "label = \"fc25\"\n[words]\nevent_title = \"{organisation} at {event}\"\n",
    );
    // `label` is a top-level key: put it before any table.
    common::edit_config(d.path(), |toml| {
        format!(
            "label = \"fc25\"\n{}",
            toml.replace("label = \"fc25\"\n", "")
        )
    });
    let o = common::run(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let html = text(&d.path().join("output/fc25"), "index.html");
    assert!(html.contains("<h1>Fixture Library Association at Fixture Conf 2025</h1>"));
}

#[test]
fn an_event_report_verifies_and_other_periods_of_its_config_are_not_the_event() {
    let d = folder(EVENT, "[slide]\n");
    let out = build(d.path(), &[]);
    assert!(out.join("slide.svg").is_file());
    let o = common::run(d.path(), &["verify", "--report", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    // The same config built for the year: a year report, not the event's.
    let out = build(d.path(), &["--year", "2025"]);
    let html = text(&out, "index.html");
    assert!(html
        .contains("<h1>Fixture Library Association Code of Conduct transparency report 2025</h1>"));
    assert!(!html.contains("Fixture Conf"));
    assert!(!text(&out, "slide.html").contains("Fixture Conf"));
}

/// The slide's headline figures as (label, value), and its list rows as (label, count),
/// read from slide.html.
/// (label, value) pairs.
type Pairs = Vec<(String, String)>;

fn slide_figures(html: &str) -> (Pairs, Pairs) {
    let between = |s: &str, a: &str, b: &str| -> Pairs {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find(a) {
            rest = &rest[i + a.len()..];
            let end = [rest.find("</div>"), rest.find("</tr>")]
                .into_iter()
                .flatten()
                .min()
                .unwrap();
            let item = &rest[..end];
            let (first, second) = item.split_once(b).unwrap();
            let strip = |t: &str| {
                let t = t.trim_start_matches(|c| c != '>').trim_start_matches('>');
                t.split('<').next().unwrap().to_string()
            };
            out.push((strip(first), strip(second)));
            rest = &rest[end..];
        }
        out
    };
    // <div><dd>20</dd><dt>Cases received</dt></div>: (value, label) → (label, value).
    let figures = between(html, "<div><dd", "</dd>")
        .into_iter()
        .map(|(v, l)| (l, v))
        .collect();
    let rows = between(html, "<tr><th scope=\"row\"", "</th>");
    (figures, rows)
}

#[test]
fn the_slide_shows_the_summary_figures_largest_first() {
    let d = folder(
        "quarter = \"2025Q2\"",
        "[slide]\nnote = \"The full report follows within a month.\"\n",
    );
    let out = build(d.path(), &[]);
    let html = text(&out, "slide.html");
    let (figures, rows) = slide_figures(&html);
    assert_eq!(figures, [("Cases received".to_string(), "6".to_string())]);
    let s = summary(&out);
    assert_eq!(s["cases"]["total"], 6);
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    // Three sections (other 2, then the first two cited once, in taxonomy order), then three
    // actions (temporary suspension 3, then discussion and warning, once each).
    assert_eq!(
        rows,
        [
            ("Other breach of the Code", "2"),
            ("Physical or mental disability", "1"),
            ("Religious or political beliefs", "1"),
            ("Temporary suspension", "3"),
            ("Discussion of the Code", "1"),
            ("Warning", "1"),
        ]
    );
    assert_eq!(s["by_category"]["other"], 2);
    assert_eq!(s["by_action"]["temporary_suspension"], 3);
    assert!(html.contains(
        "<h1>Fixture Library Association Code of Conduct transparency report 2025Q2</h1>"
    ));
    assert!(html.contains(
        "<p class=\"period\"><span class=\"date\">1 April 2025</span> to <span class=\"date\">30 June 2025</span></p>"
    ));
    assert!(html.contains("<p>The full report follows within a month.</p>"));
    // The SVG says the same, with a title and a description for screen readers.
    let svg = text(&out, "slide.svg");
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1920\" height=\"1080\"")
    );
    assert!(svg.contains("<title id=\"slide-title\">Fixture Library Association Code of Conduct transparency report 2025Q2</title>"));
    assert!(svg.contains("Cases received: 6. Cases by section: Other breach of the Code 2, Physical or mental disability 1, Religious or political beliefs 1. Actions taken: Temporary suspension 3, Discussion of the Code 1, Warning 1."), "{svg}");
    // Listed in the manifest with their hashes.
    let manifest: Value = serde_json::from_str(&text(&out, "manifest.json")).unwrap();
    let outputs = manifest["outputs"].as_array().unwrap();
    for name in ["slide.html", "slide.svg"] {
        let o = outputs.iter().find(|o| o["path"] == name).unwrap();
        let bytes = fs::read(out.join(name)).unwrap();
        assert_eq!(o["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(o["bytes"].as_u64(), Some(bytes.len() as u64), "{o}");
    }
    // Deterministic: a second build writes the same bytes.
    let again = d.path().join("again");
    let o = common::run(d.path(), &["build", "--out", "again"]);
    assert_eq!(o.status.code(), Some(0));
    for name in ["slide.html", "slide.svg"] {
        assert_eq!(
            fs::read(out.join(name)).unwrap(),
            fs::read(again.join(name)).unwrap()
        );
    }
    // Without [slide], no slide.
    let d = folder("quarter = \"2025Q2\"", "");
    let out = build(d.path(), &[]);
    assert!(!out.join("slide.html").exists() && !out.join("slide.svg").exists());
}

#[test]
fn the_slide_never_shows_a_withheld_count() {
    let d = folder("year = 2025", "[slide]\nsections = 4\nactions = 4\n");
    let out = build(d.path(), &["--min-cell", "2"]);
    let s = summary(&out);
    let html = text(&out, "slide.html");
    let (figures, rows) = slide_figures(&html);
    assert_eq!(figures, [("Cases received".to_string(), "20".to_string())]);
    // Sections: only race/ethnicity, intimidation and other (2 each) are published; every other
    // section cited once is withheld and not listed.
    assert_eq!(s["by_category"]["sex_gender"], Value::Null);
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("Race, ethnicity or native language", "2"),
            ("Intimidation, stalking or unwelcome attention", "2"),
            ("Other breach of the Code", "2"),
            ("Warning", "4"),
            ("Temporary suspension", "4"),
            ("Full suspension", "4"),
            ("Discussion of the Code", "3"),
        ]
    );
    assert!(!html.contains(">1<"), "{html}");
    assert!(html.contains(
        "Counts below 2 are withheld to protect the people involved: the lists show only published counts."
    ));
    assert!(!text(&out, "slide.svg").contains(">1<"));
}

#[test]
fn a_period_without_cases_says_so_on_the_slide() {
    let d = folder(
        "name = \"Fixture Conf 2024\"\nstart = 2024-05-22\nend = 2024-05-25",
        "[slide]\n[words]\ncase = \"report\"\nno_cases = \"No reports reached {committee} at {label}.\"\n",
    );
    let out = build(d.path(), &[]);
    assert_eq!(summary(&out)["cases"]["total"], 0);
    let html = text(&out, "slide.html");
    assert!(
        html.contains("<p>No reports reached the committee at Fixture Conf 2024.</p>"),
        "{html}"
    );
    assert!(!html.contains("<dl"));
    assert!(!html.contains("<table"));
    assert!(
        text(&out, "slide.svg").contains("No reports reached the committee at Fixture Conf 2024.")
    );
}

/// The Carpentries' sentence for a quarter without cases types its dates as ISO dates
/// ("Between 2020-04-01 and 2020-06-30, …"): a browser may break a line after a hyphen, so each
/// date is a span that does not wrap, and the SVG's own wrapping never splits one.
#[test]
fn the_slide_keeps_each_date_on_one_line() {
    let d = tempfile::tempdir().unwrap();
    let fixture = common::fixtures().join("carpentries-2020q2");
    fs::copy(fixture.join("export.csv"), d.path().join("export.csv")).unwrap();
    let toml = fs::read_to_string(fixture.join("report.toml")).unwrap();
    fs::write(d.path().join("report.toml"), format!("{toml}\n[slide]\n")).unwrap();
    let out = build(d.path(), &[]);
    let html = text(&out, "slide.html");
    assert!(html.contains(".date{white-space:nowrap}"));
    assert!(
        html.contains(
            "<p>Between <span class=\"date\">2020-04-01</span> and <span class=\"date\">2020-06-30,</span> \
             the Code of Conduct committee processed no formal incident report.</p>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "<p class=\"period\"><span class=\"date\">1 April 2020</span> to <span class=\"date\">30 June 2020</span></p>"
    ));
    // The SVG wraps the sentence at 34 characters: each date whole on one line.
    let svg = text(&out, "slide.svg");
    let lines: Vec<&str> = svg
        .lines()
        .filter(|l| l.starts_with("<text") && l.contains("font-size=\"84\""))
        .map(|l| l.split('>').nth(1).unwrap().trim_end_matches("</text"))
        .collect();
    assert_eq!(
        lines,
        [
            "Between 2020-04-01 and",
            "2020-06-30, the Code of Conduct",
            "committee processed no formal",
            "incident report."
        ]
    );

    // An event's dates as a range: one span.
    let d = folder(
        "name = \"Fixture Conf 2024\"\nstart = 2024-05-22\nend = 2024-05-25",
        "[slide]\n",
    );
    let out = build(d.path(), &[]);
    assert!(text(&out, "slide.html").contains(
        "<p class=\"period\">Fixture Conf 2024, <span class=\"date\">22–25 May 2024</span></p>"
    ));
}

#[test]
fn slide_settings_are_checked() {
    for (slide, needle) in [
        ("[slide]\nsections = 5\n", "at most 4"),
        ("[slide]\nnote = \"\"\n", "`slide.note` must not be empty"),
        ("[slide]\nnote = \"two\\nlines\"\n", "one line"),
        ("[slide]\ncolour = \"red\"\n", "colour"),
    ] {
        let d = folder("year = 2025", slide);
        refused(d.path(), &[], needle);
    }
}
