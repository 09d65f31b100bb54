//! Every sentence reads correctly for any valid configuration (issue 15, SPEC §4): reports
//! built as a user would (a `report.toml`, an export, `build`) with each setting that may not
//! apply switched off, and with another community's words. The page and the Markdown must
//! have no empty slot, none of the ALA words, and the configured words.

mod common;

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

/// A community with no levels, no appeal step, no acknowledgement promise and no suspension
/// actions (none of the default keys), in a platform's words. The export has an empty
/// `moderation_level` column: every case would be "unassigned".
const NO_LEVELS_TOML: &str = r#"
timezone = "UTC"
min_cell = 0
organisation = "Example Hosting"
committee = "Trust and Safety"
contact = "abuse@example.org"
ack_promise = false
inputs = ["notices.csv"]

[period]
year = 2024

[words]
title = "{organisation} {document} enforcement report {label}"
document = "Terms of Service"
section = "clause"
case = "notice"
committee = "the trust and safety team"

[[taxonomy.category_groups]]
key = "content"
label = "Content rules"

[[taxonomy.categories]]
key = "spam"
label = "Spam"
group = "content"

[[taxonomy.categories]]
key = "abuse"
label = "Abusive content"
group = "content"

[[taxonomy.actions]]
key = "no_action"
label = "Nothing done"

[[taxonomy.actions]]
key = "removed"
label = "Content taken down"

[[taxonomy.actions]]
key = "warned"
label = "Account warned"
"#;

const NO_LEVELS_CSV: &str = "\
case_id,reported_at,category,moderation_level,reporter_type,action,acknowledged_at,resolved_at
N1,2024-01-03T10:00:00Z,spam,,named,removed,2024-01-03T12:00:00Z,2024-01-04T10:00:00Z
N2,2024-01-20T10:00:00Z,abuse,,anonymous,warned,2024-01-21T10:00:00Z,2024-01-25T10:00:00Z
N3,2024-02-11T10:00:00Z,spam;abuse,,moderator,removed,2024-02-11T11:00:00Z,2024-02-12T10:00:00Z
N4,2024-03-05T10:00:00Z,spam,,named,no_action,,2024-03-09T10:00:00Z
N5,2024-05-17T10:00:00Z,abuse,,anonymous,removed,2024-05-20T10:00:00Z,2024-05-30T10:00:00Z
N6,2024-08-02T10:00:00Z,spam,,named,,2024-08-02T18:00:00Z,
N7,2024-11-28T10:00:00Z,abuse,,moderator,warned,2024-11-29T10:00:00Z,2024-12-02T10:00:00Z
N8,2024-12-30T10:00:00Z,spam,,named,,,
";

/// Levels but no appeal step, a promise in calendar days ("within one week"), suspension
/// actions listed as none, the moderators as the committee.
const CALENDAR_TOML: &str = r#"
timezone = "Europe/Berlin"
min_cell = 0
organisation = "Example Forum"
committee = "Moderation team"
ack_target_calendar_days = 7
appealable_levels = []
inputs = ["reports.csv"]

[period]
year = 2024

[words]
document = "Community Guidelines"
section = "rule"
case = "report"
committee = "the moderators"

[[taxonomy.category_groups]]
key = "conduct"
label = "Conduct"

[[taxonomy.categories]]
key = "harassment"
label = "Harassment"
group = "conduct"

[[taxonomy.categories]]
key = "spam"
label = "Spam"
group = "conduct"

[[taxonomy.levels]]
key = "low"
label = "Low"
description = "A minor breach."

[[taxonomy.levels]]
key = "high"
label = "High"
description = "A serious breach."

[[taxonomy.actions]]
key = "no_action"
label = "Nothing done"

[[taxonomy.actions]]
key = "warning"
label = "Warning"

[[taxonomy.actions]]
key = "ban"
label = "Ban"

[taxonomy.suspension_actions]
temporary = []
full = []
"#;

const CALENDAR_CSV: &str = "\
case_id,reported_at,category,moderation_level,reporter_type,action,acknowledged_at,resolved_at,decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome
R1,2024-01-08T10:00,harassment,low,named,warning,2024-01-09T10:00,2024-01-20T10:00,2024-01-20T11:00,,,
R2,2024-02-09T10:00,spam,low,anonymous,no_action,2024-02-20T10:00,2024-02-10T10:00,2024-02-10T11:00,,,
R3,2024-04-12T10:00,harassment,high,moderator,ban,2024-04-12T12:00,2024-04-30T10:00,2024-04-30T11:00,,,
R4,2024-06-14T10:00,harassment;spam,high,named,ban,2024-06-21T10:00,2024-07-10T10:00,2024-07-10T11:00,,,
R5,2024-09-03T10:00,spam,low,named,warning,2024-09-04T10:00,2024-09-05T10:00,2024-09-05T11:00,,,
R6,2024-12-20T10:00,harassment,,anonymous,,2024-12-21T10:00,,,,,
";

/// The words of the ALA defaults that another community's report must not show.
const ALA_WORDS: [&str; 14] = [
    "Code of Conduct",
    "the committee",
    "The committee",
    "moderators",
    "American Library",
    "ALA",
    "one or more platforms",
    "usually because",
    "in severe cases",
    "In severe cases",
    "Sections of the Code",
    "section of the Code",
    "local to UTC",
    "turned off",
];

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    html: String,
    /// The page's text: tags removed, entities decoded.
    text: String,
    md: String,
    summary: Value,
}

fn build(toml: &str, export: (&str, &str)) -> Built {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("report.toml"), toml).unwrap();
    fs::write(d.path().join(export.0), export.1).unwrap();
    built(d)
}

/// Builds the folder `d` (`build --out out`) and reads what the build wrote.
fn built(d: tempfile::TempDir) -> Built {
    let out = common::build(d.path(), &[]);
    let html = common::text(&out, "index.html");
    let summary = common::summary(&out);
    Built {
        text: text(&html),
        md: common::text(&out, "report.md"),
        html,
        summary,
        out,
        _dir: d,
    }
}

/// The ALA fixture export (levels, appeals, suspensions, incidents-free) in other words.
fn build_fixture_in_other_words() -> Built {
    build_fixture_edited(|toml| {
        toml.replace(
            "organisation = \"Fixture Library Association\"",
            "organisation = \"Fixture Library Association\"\ncommittee = \"Trust and Safety\"",
        ) + "\n[words]\ndocument = \"Terms of Service\"\nsection = \"clause\"\ncase = \"notice\"\n\
             committee = \"the trust and safety team\"\n"
    })
}

/// The ALA fixture, its report.toml changed by `edit`, built in a temporary folder.
fn build_fixture_edited(edit: impl FnOnce(String) -> String) -> Built {
    built(common::ala_fixture(edit))
}

/// The page's text without tags (each tag becomes nothing, so "word</a>." stays "word."),
/// the style sheet and the charts' SVG markup, with the entities the page uses decoded.
fn text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut tag = false;
    for ch in body.chars() {
        match ch {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The lines of prose in `body`: no table rows, code, hashes or blank lines.
fn prose(body: &str) -> Vec<&str> {
    let mut in_code = false;
    body.lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                in_code = !in_code;
                return false;
            }
            !in_code && !l.trim().is_empty() && !l.trim_start().starts_with('|')
        })
        .collect()
}

/// No sentence with a hole where a word or number was meant to go.
fn assert_no_empty_slots(what: &str, body: &str) {
    for line in prose(body) {
        let line = line.trim();
        for hole in [
            "  ",
            " .",
            " ,",
            " ;",
            " :",
            "()",
            "( ",
            " )",
            "at )",
            "{{",
            "}}",
            "{%",
            "%}",
            "{organisation}",
            "{document}",
            "{label}",
            ", .",
            ",.",
            "..",
        ] {
            assert!(!line.contains(hole), "{what}: `{hole}` in line: {line}");
        }
        assert!(!line.ends_with(" the"), "{what}: dangling article: {line}");
    }
}

/// `configured`: a word of the config that is also an ALA word ("the moderators").
fn assert_no_ala_words(what: &str, body: &str, configured: &[&str]) {
    for word in ALA_WORDS.iter().filter(|w| !configured.contains(w)) {
        assert_absent(what, body, word);
    }
}

/// `word` is nowhere in `body`; a failure names the line.
fn assert_absent(what: &str, body: &str, word: &str) {
    if let Some(line) = body.lines().find(|l| l.contains(word)) {
        panic!("{what} says {word:?}: {line}");
    }
}

/// The word for a case is "notice" or "report": no sentence may still say "case".
fn assert_no_word_case(what: &str, body: &str) {
    for line in prose(body) {
        // The export's file name is data.
        let lower = line.to_lowercase().replace("cases.csv", "");
        for (i, _) in lower.match_indices("case") {
            let before = lower[..i].chars().last();
            let after = lower[i + 4..].chars().next();
            let word_start = before.is_none_or(|c| !c.is_alphanumeric() && c != '_');
            let word_end = after.is_none_or(|c| c == 's' || !c.is_alphanumeric() && c != '_');
            assert!(
                !(word_start && word_end),
                "{what} still says \"case\": {line}"
            );
        }
    }
}

#[test]
fn no_levels_no_appeals_no_promise_no_suspensions_in_a_platforms_words() {
    let b = build(NO_LEVELS_TOML, ("notices.csv", NO_LEVELS_CSV));
    for (what, body) in [("index.html", &b.text), ("report.md", &b.md)] {
        assert_no_empty_slots(what, body);
        assert_no_ala_words(what, body, &[]);
        assert_no_word_case(what, body);
        // The configured words.
        for word in [
            "Example Hosting Terms of Service enforcement report 2024",
            "Notices by clause of the Terms of Service",
            "Each notice is counted under every clause of the Terms of Service it cited",
            "Found by the trust and safety team",
            "Who brought each notice to the trust and safety team",
            "Notices received",
            "Dates and times are in UTC.",
        ] {
            assert!(body.contains(word), "{what} lacks {word:?}");
        }
        // No levels: no section, table, bar or "no level" row.
        for word in [
            "Moderation level",
            "moderation level",
            "No level",
            "Unassigned",
            "unassigned",
        ] {
            assert_absent(what, body, word);
        }
        // No appeal step (no levels to appeal), and the export records no appeals: one
        // sentence says so, and nothing else is said about them.
        assert_eq!(body.matches("has no appeal step").count(), 1, "{what}");
        let rest: String = body
            .lines()
            .filter(|l| !l.contains("has no appeal step") && l.trim() != "Appeals")
            .collect::<Vec<_>>()
            .join("\n");
        assert_absent(what, &rest, "ppeal");
        // No promise: no target, no rate; the time to acknowledgement is still published.
        for word in [
            "Acknowledged within",
            "acknowledged within",
            "in time",
            "business day",
            "promise is to",
        ] {
            assert_absent(what, body, word);
        }
        assert!(body.contains("No time to acknowledge a notice is promised."));
        assert!(body.contains("Median hours to acknowledgement"));
        // No suspension actions: no suspension sentence or table.
        assert_absent(what, body, "uspension");
        // Actions are recorded, under their own heading.
        assert!(body.contains("Actions taken"));
        assert!(body.contains("Content taken down"));
    }
    assert_eq!(
        b.html.matches("Actions taken").count(),
        2,
        "the contents and the heading"
    );
    assert!(b.md.contains("1. [Actions taken](#actions-taken)"));
    assert!(b.md.contains("\n## Actions taken\n"));
    assert!(b.md.contains(
        "1. [Notices by clause of the Terms of Service](#notices-by-clause-of-the-terms-of-service)"
    ));
    assert!(b
        .md
        .contains("\n## Notices by clause of the Terms of Service\n"));
    assert!(!b.out.join("charts/levels.svg").exists());
    assert!(!b.out.join("charts/appeals.svg").exists());
    assert!(!b.out.join("data/levels.csv").exists());
    assert!(!b.out.join("data/appeals.csv").exists());

    let s = &b.summary;
    assert_eq!(s["cases"]["total"], 8);
    assert_eq!(s["cases"]["open_at_period_end"], 2);
    // Figures of settings the community does not have are null, never 0.
    for path in [
        "/acknowledgement/met",
        "/acknowledgement/rate",
        "/by_moderation_level/unassigned",
        "/suspensions/temporary",
        "/suspensions/full",
        "/suspensions/median_days",
        "/appeals/eligible",
    ] {
        assert_eq!(s.pointer(path), Some(&Value::Null), "{path}");
    }
    // Hours to acknowledgement of the 6 acknowledged notices: 2, 24, 1, 72, 8, 24.
    assert_eq!(s["acknowledgement"]["median_hours"], 16.0);
    let manifest: Value = serde_json::from_str(&common::text(&b.out, "manifest.json")).unwrap();
    assert_eq!(manifest["settings"].get("ack_target_business_days"), None);
    assert_eq!(manifest["settings"].get("ack_target_calendar_days"), None);
    let package = common::text(&b.out, "data/datapackage.json");
    assert!(
        package.contains("\"title\": \"Example Hosting Terms of Service enforcement report 2024\"")
    );
    assert!(package.contains("Notices by clause of the Terms of Service"));
}

#[test]
fn levels_without_appeals_and_a_promise_in_calendar_days() {
    let b = build(CALENDAR_TOML, ("reports.csv", CALENDAR_CSV));
    for (what, body) in [("index.html", &b.text), ("report.md", &b.md)] {
        assert_no_empty_slots(what, body);
        assert_no_ala_words(what, body, &["moderators"]);
        assert_no_word_case(what, body);
        for word in [
            "Example Forum Community Guidelines transparency report 2024",
            "Reports by rule of the Community Guidelines",
            "The moderators' promise is to acknowledge every report within 7 days.",
            "Acknowledged within 7 days",
            "the end of the 7th day after the local date of the report",
            "Found by the moderators",
            "Dates and times are local to Europe/Berlin.",
            "Moderation levels and actions",
            "Each report is given a moderation level that reflects how serious the breach was.",
        ] {
            assert!(body.contains(word), "{what} lacks {word:?}");
        }
        // A promise in calendar days says nothing of business days.
        assert!(!body.contains("business day"), "{what}");
        // No appeal step: one sentence says so, and nothing else about appeals.
        assert_eq!(
            body.matches("The process has no appeal step").count()
                + body.matches("the process has no appeal step").count(),
            1,
            "{what}"
        );
        assert!(!body.contains("may be appealed"), "{what}");
        assert!(!body.contains("Eligible"), "{what}");
        assert!(!body.contains("Appeals filed"), "{what}");
        assert!(!body.contains("appeal rules"), "{what}");
        // Suspension actions listed as none: no suspension sentence or table.
        assert_absent(what, body, "uspension");
    }
    assert!(!b.html.contains("id=\"appeals\""));
    assert!(!b.out.join("charts/appeals.svg").exists());
    assert!(b.out.join("charts/levels.svg").exists());
    // The one open report has no level: "no level" says why only because one is open.
    assert!(b
        .md
        .contains("| No level | No level recorded, for instance because the report was still open. | 1 | 16.7% |"));

    let s = &b.summary;
    assert_eq!(s["cases"]["total"], 6);
    // Met by the 7th calendar day: R1 (1 day), R2 (11 days: late), R3, R4 (7 days), R5, R6.
    assert_eq!(s["acknowledgement"]["met"], 5);
    assert_eq!(s["suspensions"]["temporary"], Value::Null);
    assert_eq!(s["suspensions"]["full"], Value::Null);
    assert_eq!(s["appeals"]["filed"], 0);
    let manifest: Value = serde_json::from_str(&common::text(&b.out, "manifest.json")).unwrap();
    assert_eq!(manifest["settings"]["ack_target_calendar_days"], 7);
    assert_eq!(manifest["settings"].get("ack_target_business_days"), None);
}

#[test]
fn every_sentence_of_the_full_report_takes_the_communitys_words() {
    let b = build_fixture_in_other_words();
    for (what, body) in [("index.html", &b.text), ("report.md", &b.md)] {
        assert_no_empty_slots(what, body);
        // The fixture keeps the ALA taxonomy, whose labels ("ALA Connect") are data.
        assert_no_ala_words(what, body, &["ALA", "one or more platforms"]);
        assert_no_word_case(what, body);
        for word in [
            "Fixture Library Association Terms of Service transparency report 2025",
            "Notices by clause of the Terms of Service",
            "The trust and safety team's promise is to acknowledge every notice within 1 business day",
            "Found by the trust and safety team",
            "Temporary suspensions",
            "Decisions at Level D may be appealed.",
            "Only decisions at Level D may be appealed, within 60 days",
            "The trust and safety team's choice is to publish small numbers as they are",
        ] {
            assert!(body.contains(word), "{what} lacks {word:?}");
        }
    }
    // The charts speak the same words.
    let svg = common::text(&b.out, "charts/categories.svg");
    assert!(svg.contains("Notices by clause of the Terms of Service"));
    assert!(!svg.contains("Code of Conduct") && !svg.contains(" case"));
}

#[test]
fn the_ala_words_stay_the_default() {
    let d = tempfile::tempdir().unwrap();
    fs::copy(
        common::fixtures().join("cases.csv"),
        d.path().join("cases.csv"),
    )
    .unwrap();
    fs::copy(
        common::fixtures().join("report.toml"),
        d.path().join("report.toml"),
    )
    .unwrap();
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let md = common::text(&d.path().join("out"), "report.md");
    assert_no_empty_slots("report.md", &md);
    for word in [
        "# Fixture Library Association Code of Conduct transparency report 2025",
        "## Cases by section of the Code of Conduct",
        "The committee's promise is to acknowledge every case within 1 business day",
        "Found by the committee",
    ] {
        assert!(md.contains(word), "report.md lacks {word:?}");
    }
}

#[test]
fn bad_words_and_contradictory_promises_are_config_errors() {
    for (toml, message) in [
        ("[words]\ncase = \"\"\n", "`words.case` must not be empty"),
        ("[words]\ncommittee = \"the  team\"\n", "`words.committee`"),
        ("[words]\ntitle = \"{org} report\"\n", "`words.title`"),
        ("[words]\nchapter = \"x\"\n", "unknown field `chapter`"),
        (
            "[words]\nno_cases = \"No reports in {year}.\"\n",
            "`words.no_cases`: \"No reports in {year}.\" has a placeholder other than {case}, {cases}, {committee}, {document}, {label}",
        ),
        ("[report]\nempty = \"blank\"\n", "unknown variant `blank`"),
        (
            "ack_target_business_days = 1\nack_target_calendar_days = 7\n",
            "keep one",
        ),
        (
            "ack_promise = false\nack_target_calendar_days = 7\n",
            "no acknowledgement promise",
        ),
        ("ack_target_calendar_days = 400\n", "at most 366"),
    ] {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("report.toml"), toml).unwrap();
        let o = common::run(d.path(), &["validate", "--config", "report.toml"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        assert!(
            common::stderr(&o).contains(message),
            "{toml}: {}",
            common::stderr(&o)
        );
    }
}

#[test]
fn history_leaves_out_the_figures_this_report_does_not_publish() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("notices.csv"), NO_LEVELS_CSV).unwrap();
    // The year before, from the same export: a summary with 0 notices.
    fs::write(
        d.path().join("report.toml"),
        NO_LEVELS_TOML.replace("year = 2024", "year = 2023"),
    )
    .unwrap();
    let o = common::run(d.path(), &["build", "--out", "y2023"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    fs::write(
        d.path().join("report.toml"),
        NO_LEVELS_TOML.replace(
            "inputs = [\"notices.csv\"]",
            "inputs = [\"notices.csv\"]\nhistory = [\"y2023/data/summary.json\"]",
        ),
    )
    .unwrap();
    let o = common::run(d.path(), &["build", "--out", "y2024"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let md = common::text(&d.path().join("y2024"), "report.md");
    let section: &str = md
        .split("## Compared with earlier periods")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a comparison section");
    for row in [
        "| Notices received | 0 | 8 | +8 | n/a |",
        "| Resolved by the period end | 0 | 6 |",
        "| Median days to resolution |",
    ] {
        assert!(section.contains(row), "lacks {row:?}: {section}");
    }
    // No promise, no appeal step, no suspension actions: no row, rather than a row of n/a.
    for figure in [
        "Share acknowledged in time",
        "Appeals filed",
        "Appeal reversal rate",
        "Temporary suspensions",
        "Full suspensions",
    ] {
        assert_absent("the comparison", section, figure);
    }
    assert!(section.contains("| Period | Notices received | Resolved |\n"));
}

/// The ALA fixture with `extra` appended to its report.toml.
fn build_fixture_with(extra: &str) -> Built {
    build_fixture_edited(|toml| format!("{toml}\n{extra}"))
}

const SECTIONS: [&str; 13] = [
    "history",
    "narrative",
    "committee",
    "categories",
    "outcomes",
    "platforms",
    "reporters",
    "handlers",
    "people",
    "timeliness",
    "appeals",
    "monthly",
    "other_figures",
];

#[test]
fn a_section_left_out_is_published_nowhere() {
    // Each section the fixture has: its heading, its data files, and a figure that goes null.
    let cases: [(&str, &str, &[&str], &str); 6] = [
        (
            "outcomes",
            "Moderation levels and actions",
            &["data/levels.csv", "data/actions.csv", "charts/levels.svg"],
            "/by_action/warning",
        ),
        (
            "platforms",
            "Where the conduct reported took place",
            &["data/platforms.csv", "charts/platforms.svg"],
            "/by_platform/ala_connect",
        ),
        (
            "reporters",
            "Who reported",
            &["data/reporter_types.csv"],
            "/by_reporter_type/named",
        ),
        (
            "timeliness",
            "Time to a decision",
            &["data/resolution.csv", "charts/resolution.svg"],
            "/resolution_days/median",
        ),
        (
            "appeals",
            "Appeals",
            &["data/appeals.csv", "charts/appeals.svg"],
            "/appeals/filed",
        ),
        (
            "monthly",
            "Month by month",
            &["data/monthly.csv", "charts/monthly.svg"],
            "/monthly/0",
        ),
    ];
    let full = build_fixture_with("");
    for (section, heading, files, figure) in cases {
        assert!(
            full.text.contains(heading),
            "the full report has {heading:?}"
        );
        for f in files {
            assert!(full.out.join(f).exists(), "the full report has {f}");
        }
        assert!(
            full.summary.pointer(figure).is_some_and(|v| !v.is_null()),
            "{figure}"
        );

        let kept: Vec<String> = SECTIONS
            .iter()
            .filter(|s| **s != section)
            .map(|s| format!("\"{s}\""))
            .collect();
        let b = build_fixture_with(&format!("[report]\nsections = [{}]\n", kept.join(", ")));
        assert!(
            b.summary["left_out"]
                .as_array()
                .unwrap()
                .contains(&Value::from(section)),
            "{section}: {}",
            b.summary["left_out"]
        );
        for (what, body) in [("index.html", &b.text), ("report.md", &b.md)] {
            let main = body.split("What each figure means").next().unwrap();
            assert!(
                !main.contains(heading),
                "{section}: {what} still has {heading:?}"
            );
            assert_no_empty_slots(what, body);
        }
        for f in files {
            assert!(!b.out.join(f).exists(), "{section}: {f} is still written");
        }
        assert!(
            b.summary.pointer(figure).is_none_or(Value::is_null),
            "{section}: {figure} is still published"
        );
        // The rest of the report is unchanged: the sections kept publish the same figures.
        assert_eq!(b.summary["by_category"], full.summary["by_category"]);
        assert_eq!(b.summary["cases"], full.summary["cases"]);
    }
}

#[test]
fn sections_come_in_the_configured_order() {
    let b = build_fixture_with(
        "[report]\nsections = [\"monthly\", \"categories\", \"platforms\", \"outcomes\"]\n",
    );
    for body in [&b.text, &b.md] {
        // After the table of contents, which follows the same order.
        let start = body.find("This report covers every").unwrap();
        let body = &body[start..];
        let at = |h: &str| body.find(h).unwrap_or_else(|| panic!("{h} missing"));
        assert!(at("Month by month") < at("by section of the Code of Conduct"));
        assert!(at("by section of the Code of Conduct") < at("Where the conduct reported"));
        assert!(at("Where the conduct reported") < at("Moderation levels and actions"));
        assert!(!body.contains("Who reported") && !body.contains("Time to a decision"));
    }
}

#[test]
fn the_compact_style_reads_as_prose_with_tables_and_no_charts() {
    let b = build_fixture_with("[report]\nstyle = \"compact\"\n");
    let s = &b.summary;
    let total = s["cases"]["total"].as_u64().unwrap();
    let resolved = s["cases"]["resolved"].as_u64().unwrap();
    for (what, body) in [("index.html", &b.text), ("report.md", &b.md)] {
        assert_no_empty_slots(what, body);
        assert!(!body.contains("Contents"), "{what} has a table of contents");
        assert!(
            body.contains(&format!("The committee received {total} cases.")),
            "{what}"
        );
        assert!(
            body.contains(&format!(
                "By the end of the period {resolved} cases had a decision"
            )),
            "{what}"
        );
        assert!(!body.contains("Key figure"), "{what} has key-figure cards");
    }
    assert!(!b.html.contains("<svg") && !b.md.contains("charts/"));
    assert!(!b.out.join("charts").exists());
    // The same figures as the full style.
    assert_eq!(*s, build_fixture_with("").summary);
}

#[test]
fn a_bad_section_list_is_a_config_error() {
    let d = tempfile::tempdir().unwrap();
    fs::copy(
        common::fixtures().join("cases.csv"),
        d.path().join("cases.csv"),
    )
    .unwrap();
    let toml = fs::read_to_string(common::fixtures().join("report.toml")).unwrap();
    for (extra, says) in [
        (
            "[report]\nsections = [\"monthly\"]\n",
            "must include \"categories\"",
        ),
        (
            "[report]\nsections = [\"categories\", \"categories\"]\n",
            "lists \"categories\" twice",
        ),
        (
            "[report]\nsections = [\"categories\", \"summary\"]\n",
            "summary",
        ),
        ("[report]\nstyle = \"short\"\n", "short"),
    ] {
        fs::write(d.path().join("report.toml"), format!("{toml}\n{extra}")).unwrap();
        let o = common::run(d.path(), &["build", "--out", "out"]);
        assert_eq!(o.status.code(), Some(2), "{extra}");
        assert!(common::stderr(&o).contains(says), "{}", common::stderr(&o));
        assert!(!d.path().join("out").exists());
    }
}
