//! What good reports also say (issue 18): a period without cases, the size of the community
//! ([[context]], rates per 1,000), how to report and who responded, policy and committee
//! changes. Figures are hand-computed from `tests/fixtures/cases.csv` (20 cases in 2025).

mod common;

use std::fs;

use common::{build, summary, text};
use serde_json::Value;

/// The fixture export and settings, with `extra` appended to its report.toml.
fn folder(extra: &str) -> tempfile::TempDir {
    common::ala_fixture(common::append(extra))
}

const MEMBERS: &str = "[[context]]\nkey = \"members\"\nlabel = \"members\"\ncount = 4000\n\n\
[[context]]\nkey = \"online\"\nlabel = \"online attendees\"\ncount = 300\n";

#[test]
fn context_gives_rates_per_thousand_beside_the_counts() {
    let d = folder(MEMBERS);
    let out = build(d.path(), &[]);
    let md = text(&out, "report.md");
    // 20 cases: 20 × 1000 / 4000 = 5; 20 × 1000 / 300 = 66.67.
    assert!(md.contains(
        "For scale: 4,000 members and 300 online attendees. The 20 cases of the period are 5.00 per 1,000 members and 66.67 per 1,000 online attendees."
    ), "{md}");
    assert!(md.contains("| Section | Cases | Per 1,000 members | Per 1,000 online attendees |"));
    assert!(md.contains("| **All cases** | 20 | 5.00 | 66.67 |"));
    // Two cases cite race or ethnicity: 0.5 and 6.67 per 1,000.
    assert!(md.contains("| Race, ethnicity or native language | 2 | 0.50 | 6.67 |"));
    let csv = text(&out, "data/context.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "population,population_label,people,figure,label,cases,per_1000"
    );
    assert_eq!(lines[1], "members,members,4000,total,All cases,20,5");
    assert_eq!(
        lines[2],
        "members,members,4000,race_ethnicity,\"Race, ethnicity or native language\",2,0.5"
    );
    assert!(csv.contains("online,online attendees,300,total,All cases,20,66.6667\n"));
    // One row per population and figure: the total and 22 sections, twice.
    assert_eq!(lines.len(), 1 + 2 * 23);
    let package = text(&out, "data/datapackage.json");
    assert!(package.contains("\"path\": \"context.csv\""), "{package}");
    assert!(text(&out, "index.html").contains("Per 1,000 online attendees"));
}

#[test]
fn a_withheld_counts_rate_is_withheld_too() {
    let d = folder(MEMBERS);
    let out = build(d.path(), &["--min-cell", "3"]);
    let s = summary(&out);
    let csv = text(&out, "data/context.csv");
    let mut withheld = 0;
    for line in csv.lines().skip(1).filter(|l| l.starts_with("members,")) {
        let cells: Vec<&str> = line.rsplitn(3, ',').collect();
        let (rate, count) = (cells[0], cells[1]);
        assert_eq!(rate.is_empty(), count.is_empty(), "{line}");
        if count.is_empty() {
            withheld += 1;
        }
    }
    let nulls = s["by_category"]
        .as_object()
        .unwrap()
        .values()
        .filter(|v| v.is_null())
        .count();
    assert!(nulls > 0);
    assert_eq!(withheld, nulls);
    let md = text(&out, "report.md");
    assert!(
        md.contains("| Race, ethnicity or native language | < 3 | n/a | n/a |"),
        "{md}"
    );
}

#[test]
fn context_and_process_are_checked() {
    for (toml, message) in [
        (
            "[[context]]\nkey = \"members\"\nlabel = \"members\"\ncount = 0\n",
            "`count` must be at least 1",
        ),
        (
            "[[context]]\nkey = \"In person\"\nlabel = \"x\"\ncount = 3\n",
            "key `In person` must be lower-case",
        ),
        (
            "[[context]]\nkey = \"a\"\nlabel = \"x\"\ncount = 3\n[[context]]\nkey = \"a\"\nlabel = \"y\"\ncount = 3\n",
            "key `a` is listed twice",
        ),
        (
            "[process]\npolicy_changes = [\" \"]\n",
            "`process.policy_changes` must not be empty",
        ),
        ("[process]\nphone = \"x\"\n", "unknown field `phone`"),
    ] {
        let d = folder(toml);
        let o = common::run(d.path(), &["build", "--out", "out"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        assert!(common::stderr(&o).contains(message), "{}", common::stderr(&o));
    }
}

#[test]
fn a_period_without_cases_is_a_short_report() {
    let d = folder(
        "[words]\nno_cases = \"There were no reports in {label}.\"\n\n[[context]]\nkey = \"members\"\nlabel = \"members\"\ncount = 4000\n",
    );
    let out = build(d.path(), &["--year", "2023"]);
    assert_eq!(summary(&out)["cases"]["total"], 0);
    let md = text(&out, "report.md");
    assert!(md.contains("**There were no reports in 2023.** This does not show that nothing against the Code of Conduct happened: only that no case reached the committee in this period."), "{md}");
    assert!(md.contains(
        "For scale: 4,000 members. The 0 cases of the period are 0.00 per 1,000 members."
    ));
    assert!(!md.contains("## Cases by section"));
    assert!(!md.contains("| Key figure |"));
    assert!(!out.join("charts").exists());
    // The data files keep every table, with zeros.
    assert!(text(&out, "data/categories.csv").contains(",0\n"));
    assert!(text(&out, "data/context.csv").contains("members,members,4000,total,All cases,0,0\n"));
}

const PROCESS: &str = "[process]\n\
how_to_report = \"By email to the committee, or in person at the registration desk.\"\n\
who_responded = \"Two committee members and four trained volunteers.\"\n\
policy_changes = [\"The Code now covers the conference chat.\", \"Reports are acknowledged within a day.\"]\n\
committee_changes = []\n";

#[test]
fn process_and_changes_are_shown_where_given_and_kept_in_the_data() {
    let d = folder(PROCESS);
    let out = build(d.path(), &[]);
    let md = text(&out, "report.md");
    for line in [
        "1. [How to report, and what changed](#how-to-report-and-what-changed)",
        "## How to report, and what changed\n\n### How to report\n\nBy email to the committee, or in person at the registration desk.\n\n### Who responded\n\nTwo committee members and four trained volunteers.\n\n### Changes to the policy\n\n- The Code now covers the conference chat.\n- Reports are acknowledged within a day.\n\n### Changes to the committee\n\nNo one joined or left the committee in this period.\n",
    ] {
        assert!(md.contains(line), "{line}\n---\n{md}");
    }
    let html = text(&out, "index.html");
    assert!(html.contains("<li>The Code now covers the conference chat.</li>"));
    assert!(html.contains("<a href=\"#process\">How to report, and what changed</a>"));
    assert_eq!(
        text(&out, "data/process.csv"),
        "item,number,text\n\
how_to_report,1,\"By email to the committee, or in person at the registration desk.\"\n\
who_responded,1,Two committee members and four trained volunteers.\n\
policy_change,1,The Code now covers the conference chat.\n\
policy_change,2,Reports are acknowledged within a day.\n\
committee_change,0,\n"
    );
    // Not given: no section, no file.
    let bare = folder("");
    let out = build(bare.path(), &[]);
    assert!(!text(&out, "report.md").contains("How to report"));
    assert!(!out.join("data/process.csv").exists());
    // Left out of `[report] sections`: published nowhere.
    let left = folder(&format!(
        "{PROCESS}\n[report]\nsections = [\"categories\"]\n"
    ));
    let out = build(left.path(), &[]);
    assert!(!text(&out, "report.md").contains("How to report"));
    assert!(!out.join("data/process.csv").exists());
    let s = summary(&out);
    assert!(s["left_out"]
        .as_array()
        .unwrap()
        .contains(&"process".into()));
}

#[test]
fn a_quarter_without_reports_still_shows_its_process() {
    let d = folder(PROCESS);
    let out = build(d.path(), &["--from", "2023-07-01", "--to", "2023-09-30"]);
    let md = text(&out, "report.md");
    assert!(md.contains("**The committee received no cases in this period.**"));
    assert!(md.contains("- Reports are acknowledged within a day."));
}

/// The Carpentries' quarterly report of 2020-07-01 (see the fixture's report.toml for the
/// source): no incident report in 2020-04-01 – 2020-06-30, one policy change, no committee
/// change. Built from a header-only export.
#[test]
fn carpentries_2020_q2_no_reports_and_a_policy_change() {
    let d = common::fixture("carpentries-2020q2", |toml| toml);
    let out = build(d.path(), &[]);
    let s = summary(&out);
    assert_eq!(s["period"]["start"], "2020-04-01");
    assert_eq!(s["period"]["end"], "2020-06-30");
    assert_eq!(s["cases"]["total"], 0);
    assert_eq!(s["rows"]["read"], 0);
    let md = text(&out, "report.md");
    for line in [
        "# The Carpentries Code of Conduct transparency report 2020-Q2",
        "**Between 2020-04-01 and 2020-06-30, the Code of Conduct committee processed no formal incident report.** There was no report of an incident.",
        "### Changes to the policy\n\n- The CoC governance document was approved by all stakeholders from CoCc, EC and the core leadership.\n",
        "### Changes to the committee\n\nNo one joined or left the Code of Conduct committee in this period.\n",
    ] {
        assert!(md.contains(line), "{line}\n---\n{md}");
    }
    assert!(!md.contains("| Key figure |") && !md.contains("## Incident reports by section"));
    assert!(text(&out, "data/process.csv").contains("committee_change,0,\n"));
    let v = common::run(
        d.path(),
        &[
            "verify",
            "--report",
            "out",
            "--input",
            "export.csv",
            "--config",
            "report.toml",
        ],
    );
    assert_eq!(v.status.code(), Some(0), "{}", common::stderr(&v));
}

/// The fixture export and settings (20 cases in 2025) with `summaries` naming a file of
/// these lines.
fn with_summaries(lines: &str) -> tempfile::TempDir {
    // A top-level key: before the first table.
    let d = common::ala_fixture(|toml| format!("summaries = \"summaries.csv\"\n{toml}"));
    fs::write(d.path().join("summaries.csv"), lines).unwrap();
    d
}

/// PyCascades' 2023 Code of Conduct Transparency Report (see the fixture's report.toml for
/// the source and what the fixture had to supply): three incidents, each listed with its
/// summary, in the order published.
#[test]
fn pycascades_2023_lists_each_incident_with_its_summary() {
    let d = common::fixture("pycascades-2023", |toml| toml);
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    // summaries.csv is not read as a second export, and nothing in it looks identifying.
    assert!(
        err.contains("3 incidents in 2023, 0 rows rejected"),
        "{err}"
    );
    assert!(
        !err.contains("looks like") && !err.contains("not published"),
        "{err}"
    );
    let out = d.path().join("out");
    let s = summary(&out);
    assert_eq!(s["cases"]["total"], 3);
    assert_eq!(s["rows"]["read"], 3);
    for k in ["theft", "accessibility", "inappropriate_comments"] {
        assert_eq!(s["by_category"][k], 1, "{k}");
    }
    let md = text(&out, "report.md");
    let listed = "## Incidents and their outcomes\n\n\
Summaries of individual incidents, written and anonymised by the Code of Conduct committee for publication. They do not come from the export the figures are counted from.\n\n\
1. **Theft at the venue**: An organizer's laptop was stolen from a conference room during the event. Working with on-site security, the organizers found that the thief was passing through the space and was not an attendee.\n\
2. **Accessibility of talks**: Several speakers remarked that their own slides might not be colorblind friendly. After the event the committee sent them tools for making their slides accessible to colorblind viewers.\n\
3. **Inappropriate comments**: An attendee told a committee member about inappropriate comments by another attendee, who left the conference before the organizers could discuss them. In follow-up after the event the committee explained to that person how the comments had affected others, and they apologized.\n";
    assert!(md.contains(listed), "{md}");
    assert!(md.contains("1. [Incidents and their outcomes](#incidents-and-their-outcomes)"));
    // The section comes where `[report] sections` puts it: after the process, before the counts.
    let (p, l, c) = (
        md.find("## How to report").unwrap(),
        md.find("## Incidents and their outcomes").unwrap(),
        md.find("## Incidents by section").unwrap(),
    );
    assert!(p < l && l < c);
    // The report no longer says it publishes counts only.
    assert!(md.contains("It publishes counts only, besides the summaries of individual incidents that the Code of Conduct committee wrote and anonymised for publication: no incident"));
    let html = text(&out, "index.html");
    assert!(html.contains("<section id=\"summaries\" aria-labelledby=\"summaries-title\">\n<h2 id=\"summaries-title\">Incidents and their outcomes</h2>"), "{html}");
    assert!(html.contains("<li>\n<p class=\"summary-head\">Theft at the venue</p>\n<p>An organizer&#x27;s laptop was stolen"), "{html}");
    assert_eq!(
        text(&out, "data/summaries.csv"),
        "number,kind,outcome,summary\n\
1,Theft at the venue,,\"An organizer's laptop was stolen from a conference room during the event. Working with on-site security, the organizers found that the thief was passing through the space and was not an attendee.\"\n\
2,Accessibility of talks,,Several speakers remarked that their own slides might not be colorblind friendly. After the event the committee sent them tools for making their slides accessible to colorblind viewers.\n\
3,Inappropriate comments,,\"An attendee told a committee member about inappropriate comments by another attendee, who left the conference before the organizers could discuss them. In follow-up after the event the committee explained to that person how the comments had affected others, and they apologized.\"\n"
    );
    assert!(text(&out, "data/datapackage.json").contains("\"path\": \"summaries.csv\""));
    let manifest: Value = serde_json::from_str(&text(&out, "manifest.json")).unwrap();
    let file_hash =
        transparency_report::hash::sha256_hex(&fs::read(d.path().join("summaries.csv")).unwrap());
    assert_eq!(manifest["settings"]["summaries_sha256"], file_hash.as_str());
    assert!(manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["path"] == "data/summaries.csv"));
    let verify = ["verify", "--report", "out", "--config", "report.toml"];
    let v = common::run(d.path(), &verify);
    assert_eq!(v.status.code(), Some(0), "{}", common::stderr(&v));
    // A summary edited after publication: verify names the file's hash and the page.
    let edited = fs::read_to_string(d.path().join("summaries.csv"))
        .unwrap()
        .replace("Several speakers", "Some speakers");
    fs::write(d.path().join("summaries.csv"), edited).unwrap();
    let v = common::run(d.path(), &verify);
    assert_eq!(v.status.code(), Some(1), "{}", common::stdout(&v));
    let said = format!("{}{}", common::stdout(&v), common::stderr(&v));
    assert!(said.contains("summaries_sha256"), "{said}");
    assert!(said.contains("data/summaries.csv"), "{said}");
}

#[test]
fn only_confirmed_summaries_naming_no_withheld_count_are_published() {
    // With min_cell = 3 the 20 cases' sections are all withheld; the groups (harassment 12,
    // conduct 10) and the actions warning (4) and discussion (3) are published, no_action
    // (< 3) is not.
    let d = with_summaries(
        "kind,outcome,summary,confirmed\n\
harassment,warning,A member was warned after repeated comments.,yes\n\
intimidation,,A member was suspended for threats.,yes\n\
conduct,no_action,The committee took no action.,yes\n\
,,We spoke with Jane Doe on 2025-03-04.,yes\n\
conduct,discussion,Not yet checked.,no\n",
    );
    let o = common::run(d.path(), &["build", "--out", "out", "--min-cell", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    for line in [
        "summaries.csv:3: not published: the report withholds the count of the section \"Intimidation, stalking or unwelcome attention\"",
        "summaries.csv:4: not published: the report withholds the count of the action \"No action\"",
        "summaries.csv:5: \"Jane Doe\" looks like a person's name (rule: name); the summary is confirmed, so it is published as written",
        "summaries.csv:5: \"2025-03-04\" looks like a date (rule: date); the summary is confirmed",
        "summaries.csv:6: not published: not confirmed (write `yes` in its `confirmed` column",
        "summaries.csv: 2 of 5 summaries published (1 not confirmed, 2 naming a withheld count)",
    ] {
        assert!(err.contains(line), "{line}\n---\n{err}");
    }
    // `validate` has no figures, but says what looks identifying and what is unconfirmed.
    let v = common::run(d.path(), &["validate"]);
    assert_eq!(v.status.code(), Some(0));
    let said = common::stderr(&v);
    assert!(
        said.contains("warning: summaries.csv:5: \"Jane Doe\" looks like a person's name"),
        "{said}"
    );
    assert!(
        said.contains("warning: summaries.csv:6: not published: not confirmed"),
        "{said}"
    );
    assert!(!said.contains("withholds"), "{said}");
    let out = d.path().join("out");
    assert_eq!(
        text(&out, "data/summaries.csv"),
        "number,kind,outcome,summary\n\
1,Harassment on protected grounds,Warning,A member was warned after repeated comments.\n\
2,,,We spoke with Jane Doe on 2025-03-04.\n"
    );
}

#[test]
fn a_malformed_summaries_file_stops_the_build_and_writes_nothing() {
    let d = with_summaries("kind,summary,confirmed\nharassment,,yes\nconduct,Fine.,perhaps\n");
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(
        err.contains("summaries.csv:2: column `summary` is empty"),
        "{err}"
    );
    assert!(
        err.contains("summaries.csv:3: column `confirmed`: value \"perhaps\""),
        "{err}"
    );
    assert!(err.contains("2 problems in"), "{err}");
    assert!(!d.path().join("out").exists());
    // `validate` checks the file too.
    let v = common::run(d.path(), &["validate"]);
    assert_eq!(v.status.code(), Some(2));
    assert!(common::stderr(&v).contains("summaries.csv:2: column `summary` is empty"));
}

#[test]
fn summaries_can_be_left_out_and_a_site_publishes_none() {
    let lines = "summary,confirmed\nA member was warned.,yes\n";
    // A site: the file describes one period, so no period of the site publishes it.
    let site = with_summaries(lines);
    let o = common::run(
        site.path(),
        &["build", "--periods", "2025", "--out", "site"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains("summaries.csv: none of its 1 summaries is published: a site (--periods) publishes no summaries"), "{}", common::stderr(&o));
    assert!(!site.path().join("site/2025/data/summaries.csv").exists());
    let d = with_summaries(lines);
    common::edit_config(
        d.path(),
        common::append("[report]\nsections = [\"categories\"]\n"),
    );
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains(
        "summaries.csv: none of its 1 summaries is published: `[report] sections` leaves out \"summaries\""
    ));
    let out = d.path().join("out");
    assert!(!out.join("data/summaries.csv").exists());
    assert!(!text(&out, "report.md").contains("A member was warned."));
    assert!(summary(&out)["left_out"]
        .as_array()
        .unwrap()
        .contains(&"summaries".into()));
}

/// One file of summaries for a series: the `period` column says which report publishes each.
/// The fixture's 20 cases are all of 2025; 2026 holds the export's one case of 2026-01-01.
const SERIES: &str = "kind,outcome,summary,confirmed,period\n\
harassment,warning,A member was warned.,yes,2025\n\
,,A talk was stopped.,yes,2026\n\
,,A summary of no period.,yes,\n\
,,An old case.,yes,2019\n";

#[test]
fn a_site_publishes_each_periods_summaries_in_that_period() {
    let d = with_summaries(SERIES);
    let o = common::run(
        d.path(),
        &["build", "--periods", "2025..2026", "--out", "site"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    for line in [
        "summaries.csv: 1 of its 4 summaries is not published: a site (--periods) publishes no summaries without a period; add a `period` column naming the period each describes",
        "summaries.csv:5: not published: its period 2019 is not one of this site's (2025, 2026)",
    ] {
        assert!(err.contains(line), "{line}\n---\n{err}");
    }
    let site = d.path().join("site");
    assert_eq!(
        text(&site.join("2025"), "data/summaries.csv"),
        "number,kind,outcome,summary\n1,Harassment on protected grounds,Warning,A member was warned.\n"
    );
    assert_eq!(
        text(&site.join("2026"), "data/summaries.csv"),
        "number,kind,outcome,summary\n1,,,A talk was stopped.\n"
    );
    assert!(!text(&site.join("2025"), "report.md").contains("A talk was stopped."));
    assert!(!text(&site.join("2026"), "report.md").contains("A member was warned."));
    // Each period's manifest hashes the file, as a one-period build's does.
    let hash =
        transparency_report::hash::sha256_hex(&fs::read(d.path().join("summaries.csv")).unwrap());
    for p in ["2025", "2026"] {
        let m: Value = serde_json::from_str(&text(&site.join(p), "manifest.json")).unwrap();
        assert_eq!(m["settings"]["summaries_sha256"], hash.as_str(), "{p}");
    }
    // The site verifies, and no longer once a summary is edited.
    let v = common::run(d.path(), &["verify", "--report", "site"]);
    assert_eq!(v.status.code(), Some(0), "{}", common::stderr(&v));
    let edited = SERIES.replace("A talk was stopped.", "A talk was halted.");
    fs::write(d.path().join("summaries.csv"), edited).unwrap();
    let v = common::run(d.path(), &["verify", "--report", "site"]);
    assert_eq!(v.status.code(), Some(1), "{}", common::stdout(&v));
    let said = format!("{}{}", common::stdout(&v), common::stderr(&v));
    assert!(
        said.contains("row 1, column summary: published A talk was stopped., a fresh build gives A talk was halted."),
        "{said}"
    );
    assert!(said.contains("period 2026: report.md differs"), "{said}");
    // 2025 publishes none of the edited rows: only its manifest, which hashes the file, differs.
    assert!(
        said.contains("period 2025: manifest.json differs"),
        "{said}"
    );
    assert!(!said.contains("period 2025: report.md"), "{said}");
}

#[test]
fn a_one_period_build_publishes_its_own_and_undated_summaries_only() {
    let d = with_summaries(SERIES);
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    // 2025's row and the row without a period, numbered in the file's order.
    assert_eq!(
        text(&d.path().join("out"), "data/summaries.csv"),
        "number,kind,outcome,summary\n\
1,Harassment on protected grounds,Warning,A member was warned.\n\
2,,,A summary of no period.\n"
    );
    // A file all of another period: nothing published, and the build says why.
    let d = with_summaries("summary,confirmed,period\nA talk was stopped.,yes,2026Q1\n");
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains(
        "summaries.csv: none of its 1 summaries is published: each names another period in its `period` column than this report's (2025-01-01 to 2025-12-31)"
    ), "{}", common::stderr(&o));
    assert!(!d.path().join("out/data/summaries.csv").exists());
}

#[test]
fn a_malformed_period_label_stops_the_build_with_its_line_and_cell() {
    let d = with_summaries(
        "summary,confirmed,period\nFine.,yes,2025\nHalf.,yes,2025H3\nWhen.,yes,spring\n",
    );
    for args in [
        &["build", "--out", "out"][..],
        &["build", "--periods", "2025", "--out", "out"],
    ] {
        let o = common::run(d.path(), args);
        assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
        let err = common::stderr(&o);
        assert!(
            err.contains(
                "summaries.csv:3:3: column `period`: `2025H3`: a year has two halves, H1 and H2"
            ),
            "{err}"
        );
        assert!(
            err.contains("summaries.csv:4:3: column `period`: `spring` is not a period: write a year (2025), a half-year (2025H1), a quarter (2025Q3) or a fiscal year (FY2025)"),
            "{err}"
        );
        assert!(!d.path().join("out").exists());
    }
}

#[test]
fn a_count_withheld_in_one_period_keeps_that_periods_summary_out_only() {
    // With min_cell = 2, "discussion" is published in 2025H1 (2) and withheld in 2025H2.
    let d = with_summaries(
        "kind,outcome,summary,confirmed,period\n\
,discussion,A first-half talk.,yes,2025H1\n\
,discussion,A second-half talk.,yes,2025h2\n",
    );
    let o = common::run(
        d.path(),
        &[
            "build",
            "--periods",
            "2025H1,2025H2",
            "--min-cell",
            "2",
            "--out",
            "site",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let site = d.path().join("site");
    assert_eq!(summary(&site.join("2025H1"))["by_action"]["discussion"], 2);
    assert_eq!(
        summary(&site.join("2025H2"))["by_action"]["discussion"],
        Value::Null
    );
    assert_eq!(
        text(&site.join("2025H1"), "data/summaries.csv"),
        "number,kind,outcome,summary\n1,,Discussion of the Code,A first-half talk.\n"
    );
    assert!(!site.join("2025H2/data/summaries.csv").exists());
    let err = common::stderr(&o);
    assert!(
        err.contains("2025H2: summaries.csv:3: not published: the report withholds the count of the action \"Discussion of the Code\""),
        "{err}"
    );
}
