//! Beyond one community: `init --preset`, a Django-style export read through `column_map`
//! with the Django taxonomy, the DSA-shaped data file and the committee's own activity.
//!
//! The Django fixture (tests/fixtures/django/export.csv), UTC, business days Mon–Fri:
//! D01–D09 reported in 2025, D10 on 30 Dec 2024 (outside). D09 is open (no level, no action).
//! Resolution days: D07 0.5, D02 1, D04 2, D03 4, D01 5, D06 7, D08 10, D05 14 → median 4.5,
//! mean 43.5 / 8 = 5.4375. Acknowledgement: D01 reported on a Sunday and acknowledged the same
//! day (met); D06 reported Monday 12 May, acknowledged Wednesday (not met); all others met →
//! 8 of 9. Appeals: D01 upheld after 5 days, D05 overturned after 15 days, D08 pending →
//! reversal rate 1/2, median 10 days; every level is appealable and all were on time.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{fixtures, run, stderr};
use serde_json::Value;

/// `init DIR --preset NAME --year 2025`, then the report.toml it wrote.
fn init(dir: &Path, preset: &str) -> String {
    let o = run(
        dir,
        &[
            "init", "site", "--preset", preset, "--year", "2025", "--quiet",
        ],
    );
    assert!(o.status.success(), "{preset}: {}", stderr(&o));
    fs::read_to_string(dir.join("site/report.toml")).unwrap()
}

fn build(site: &Path) -> PathBuf {
    let o = run(site, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    site.join("output/2025")
}

fn summary(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join("data/summary.json")).unwrap()).unwrap()
}

/// `section/item` → value cell of data/dsa_summary.csv.
fn dsa(out: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(out.join("data/dsa_summary.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["section", "item", "label", "value", "unit"]
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (format!("{}/{}", &rec[0], &rec[1]), rec[3].to_string())
        })
        .collect()
}

fn get<'a>(rows: &'a [(String, String)], key: &str) -> &'a str {
    rows.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no row {key}"))
}

/// `init --preset django`'s settings with a Django-style test taxonomy
/// (tests/fixtures/django/taxonomy.toml: levels low/medium/high, all appealable within 60
/// days, acknowledgement by the next business day) instead of Django's own, the export's
/// own headers mapped by `column_map`, at `min_cell`.
fn django_site(dir: &Path, min_cell: u64) -> PathBuf {
    let toml = init(dir, "django");
    let site = dir.join("site");
    let map = fs::read_to_string(fixtures().join("django/column_map.toml")).unwrap();
    let taxonomy = fs::read_to_string(fixtures().join("django/taxonomy.toml")).unwrap();
    let settings = &toml[..toml.find("[[taxonomy.").unwrap()];
    let mut toml = settings
        .replacen("column_map = {}", map.trim(), 1)
        .replacen("min_cell = 0", &format!("min_cell = {min_cell}"), 1)
        .replacen("ack_promise = false", "ack_target_business_days = 1", 1)
        .replacen(
            "appeal_any_decision = true   # any decision, whatever its level",
            "",
            1,
        )
        .replacen(
            "appealable_levels = []",
            "appealable_levels = [\"low\", \"medium\", \"high\"]",
            1,
        )
        .replacen(
            "appeal_window = false   # appeals have no time limit",
            "appeal_window_days = 60",
            1,
        );
    toml.push_str(&taxonomy);
    fs::write(site.join("report.toml"), toml).unwrap();
    fs::remove_file(site.join("cases.csv")).unwrap();
    fs::copy(
        fixtures().join("django/export.csv"),
        site.join("export.csv"),
    )
    .unwrap();
    site
}

#[test]
fn every_preset_scaffolds_a_report_that_builds() {
    for (preset, action, level) in [
        ("ala", "content_removed", Some("D")),
        // The PSF's documents define no levels.
        ("psf", "temporary_removal", None),
        ("django", "first_suspension", Some("suspension_extended")),
        (
            "contributor-covenant",
            "temporary_ban",
            Some("permanent_ban"),
        ),
    ] {
        let d = tempfile::tempdir().unwrap();
        let toml = init(d.path(), preset);
        assert!(toml.contains("[[taxonomy.actions]]"), "{preset}");
        let out = build(&d.path().join("site"));
        let s = summary(&out);
        assert!(s["by_action"].get(action).is_some(), "{preset}: {s}");
        match level {
            Some(level) => assert!(s["by_moderation_level"].get(level).is_some(), "{preset}"),
            None => assert!(
                s["by_moderation_level"]
                    .as_object()
                    .is_none_or(|m| m.values().all(Value::is_null)),
                "{preset}: {}",
                s["by_moderation_level"]
            ),
        }
        assert_eq!(s["cases"]["total"], 60, "{preset}");
        // The DSA file is published and described in the data package.
        assert!(out.join("data/dsa_summary.csv").is_file(), "{preset}");
        let pkg = fs::read_to_string(out.join("data/datapackage.json")).unwrap();
        assert!(pkg.contains("\"path\": \"dsa_summary.csv\""), "{preset}");
        let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(manifest.contains("data/dsa_summary.csv"), "{preset}");
    }
}

#[test]
fn an_unknown_preset_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), &["init", "site", "--preset", "acme"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("contributor-covenant"),
        "{}",
        stderr(&o)
    );
    assert!(!d.path().join("site").exists());
}

#[test]
fn a_django_style_export_builds_end_to_end() {
    let d = tempfile::tempdir().unwrap();
    let out = build(&django_site(d.path(), 0));
    let s = summary(&out);
    assert_eq!(s["rows"]["read"], 10);
    assert_eq!(s["rows"]["outside_period"], 1);
    assert_eq!(s["cases"]["total"], 9);
    assert_eq!(s["cases"]["resolved"], 8);
    assert_eq!(s["cases"]["open_at_period_end"], 1);
    // serde_json's map is sorted by key: compare as sorted lists.
    let pairs = |v: &Value| -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
            .collect();
        out.sort();
        out
    };
    let owned = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = v.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        out.sort();
        out
    };
    assert_eq!(
        pairs(&s["by_action"]),
        owned(&[
            ("not_a_violation", 1),
            ("out_of_scope", 1),
            ("no_action", 1),
            ("warning", 2),
            ("suspension", 2),
            ("ban", 1),
            ("unassigned", 1),
        ])
    );
    assert_eq!(
        pairs(&s["by_platform"]),
        owned(&[
            ("forum", 2),
            ("discord", 3),
            ("mailing_lists", 1),
            ("tracker", 1),
            ("events", 1),
            ("social_media", 1),
            ("other_venue", 0),
        ])
    );
    assert_eq!(
        pairs(&s["by_moderation_level"]),
        owned(&[("low", 3), ("medium", 2), ("high", 3), ("unassigned", 1)])
    );
    assert_eq!(
        pairs(&s["by_category"]),
        owned(&[
            ("harassment", 2),
            ("discriminatory_language", 1),
            ("sexual_content", 1),
            ("threats", 1),
            ("inappropriate_language", 1),
            ("disruptive_behaviour", 1),
            ("spam", 2),
            ("other", 1),
        ])
    );
    assert_eq!(
        pairs(&s["by_category_group"]),
        owned(&[("harassment", 5), ("conduct", 5)])
    );
    assert_eq!(
        pairs(&s["by_reporter_type"]),
        owned(&[
            ("named", 5),
            ("anonymous", 2),
            ("moderator", 2),
            ("unassigned", 0)
        ])
    );
    // Suspensions follow `[taxonomy.suspension_actions]`: suspension → temporary, ban → full.
    let sp = &s["suspensions"];
    assert_eq!(
        (
            &sp["temporary"],
            &sp["full"],
            &sp["interim"],
            &sp["median_days"]
        ),
        (
            &Value::from(2),
            &Value::from(1),
            &Value::from(2),
            &Value::from(22.0)
        )
    );
    let r = &s["resolution_days"];
    assert_eq!(r["count"], 8);
    assert_eq!(r["median"], 4.5);
    assert_eq!(r["mean"], 5.4375);
    assert_eq!(s["acknowledgement"]["met"], 8);
    assert_eq!(s["acknowledgement"]["rate"], 0.8889);
    let a = &s["appeals"];
    assert_eq!(a["filed"], 3);
    assert_eq!(
        pairs(&a["by_outcome"]),
        owned(&[
            ("upheld", 1),
            ("overturned", 1),
            ("modified", 0),
            ("withdrawn", 0),
            ("pending", 1)
        ])
    );
    assert_eq!(
        (&a["eligible"], &a["timely"]),
        (&Value::from(3), &Value::from(3))
    );
    assert_eq!(a["reversal_rate"], 0.5);
    assert_eq!(a["median_days_to_decision"], 10.0);

    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("| Temporary suspensions (Suspension) | 2 |"),
        "{md}"
    );
    assert!(md.contains("| Full suspensions (Ban) | 1 |"));
    assert!(md.contains("| Not a violation | 1 |"));
    assert!(md.contains("Django Software Foundation"));

    // The same figures, in the shape of the DSA templates, through the Django DSA mapping.
    let rows = dsa(&out);
    for (key, want) in [
        ("overview/cases", "9"),
        ("notices/received", "7"),
        ("own_initiative/cases", "2"),
        ("notices/source_unknown", "0"),
        ("category/online_bullying_intimidation", "2"),
        ("category/illegal_or_harmful_speech", "2"),
        ("category/pornography_or_sexualized_content", "1"),
        ("category/violence", "1"),
        ("category/scope_of_platform_service", "4"),
        ("category/animal_welfare", "0"),
        ("category/unmapped", "0"),
        ("action/decisions", "8"),
        ("action/median_days_to_decision", "4.5"),
        ("measures/out_of_scope", "1"),
        ("measures/unassigned", "1"),
        ("complaints/received", "3"),
        ("complaints/upheld", "1"),
        ("complaints/reversed", "1"),
        ("complaints/withdrawn", "0"),
        ("complaints/pending", "1"),
        ("complaints/median_days_to_decision", "10"),
        ("suspensions/temporary", "2"),
        ("suspensions/full", "1"),
        ("suspensions/interim", "2"),
    ] {
        assert_eq!(get(&rows, key), want, "{key}");
    }
    // All 15 DSA categories are listed, in template order, plus `unmapped`.
    let cats: Vec<&str> = rows
        .iter()
        .filter(|(k, _)| k.starts_with("category/"))
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(cats.len(), 16);
    assert_eq!(cats[0], "category/animal_welfare");
    assert_eq!(cats[15], "category/unmapped");
}

#[test]
fn the_dsa_file_respects_small_cell_suppression() {
    let d = tempfile::tempdir().unwrap();
    let site = django_site(d.path(), 3);
    // Three appeals with three outcomes (1 + 1 + 1), two of them decided: the withheld median
    // says fewer than 3 appeals were decided, so upheld = overturned = 1 whatever else is
    // withheld. The build refuses rather than publish them.
    let o = run(&site, &["build", "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("appeals.by_outcome.upheld (= 1), appeals.by_outcome.overturned (= 1)"),
        "{}",
        stderr(&o)
    );
    assert!(!site.join("output").exists());
    // Two more upheld appeals, decided: now it can be protected.
    let mut export = fs::read_to_string(site.join("export.csv")).unwrap();
    export.push_str(
        "D11,2025-02-10,forum,harassment,high,named,ban,,,2025-02-10,2025-02-20,2025-02-20,2025-03-01,2025-03-10,upheld\n\
         D12,2025-03-10,forum,threats,high,named,ban,,,2025-03-10,2025-03-20,2025-03-20,2025-04-01,2025-04-10,upheld\n",
    );
    fs::write(site.join("export.csv"), export).unwrap();
    let out = build(&site);
    let rows = dsa(&out);
    for (key, want) in [
        ("overview/cases", "11"),
        // anonymous (2) and moderator (2) are small: any sum that includes them is withheld.
        ("notices/received", ""),
        ("own_initiative/cases", ""),
        ("notices/source_unknown", "0"),
        ("category/violence", ""),
        ("category/animal_welfare", "0"),
        // Overturned and pending are 1 each: withheld, and so is the total of appeals, which
        // with the 3 upheld would give their sum (2, so 1 + 1) away.
        ("complaints/received", ""),
        ("complaints/upheld", "3"),
        ("complaints/reversed", ""),
        ("complaints/pending", ""),
        ("complaints/withdrawn", "0"),
        // Four decided appeals: enough for a median.
        ("complaints/median_days_to_decision", "9"),
        ("suspensions/temporary", ""),
        ("suspensions/full", "3"),
        ("suspensions/interim", ""),
    ] {
        assert_eq!(get(&rows, key), want, "{key}");
    }
    let s = summary(&out);
    assert_eq!(s["suspensions"]["temporary"], Value::Null);
    assert_eq!(s["appeals"]["filed"], Value::Null);
}

#[test]
fn a_custom_dsa_mapping_and_unmapped_sections() {
    let d = tempfile::tempdir().unwrap();
    let site = django_site(d.path(), 0);
    let toml = fs::read_to_string(site.join("report.toml")).unwrap();
    // Replace the preset's mapping with one that maps spam only.
    let cut = toml.find("[dsa.category_map]").unwrap();
    let toml = format!(
        "{}[dsa.category_map]\nspam = \"scams_and_fraud\"\n",
        &toml[..cut]
    );
    fs::write(site.join("report.toml"), &toml).unwrap();
    let rows = dsa(&build(&site));
    assert_eq!(get(&rows, "category/scams_and_fraud"), "2");
    assert_eq!(get(&rows, "category/scope_of_platform_service"), "0");
    assert_eq!(get(&rows, "category/unmapped"), "8");

    let bad = toml.replace("scams_and_fraud", "spam_and_scams");
    fs::write(site.join("report.toml"), bad).unwrap();
    let o = run(&site, &["build", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("spam_and_scams"), "{}", stderr(&o));
}

#[test]
fn committee_activity_is_shown_escaped_in_both_outputs() {
    let d = tempfile::tempdir().unwrap();
    for f in ["cases.csv", "report.toml"] {
        fs::copy(fixtures().join(f), d.path().join(f)).unwrap();
    }
    let plain = d.path().join("plain");
    let o = run(
        d.path(),
        &["build", "--quiet", "--out", plain.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(plain.join("index.html")).unwrap();
    // The heading holds the config's words, so the page escapes its apostrophe.
    assert!(!html.contains("committee&#x27;s work"));
    assert!(!html.contains("committee's work"));
    assert!(!html.contains("id=\"committee\""));

    let mut toml = fs::read_to_string(d.path().join("report.toml")).unwrap();
    toml.push_str(
        "\n[committee_activity]\nmeetings = 12\nvotes = 1234\nmembers = 7\n\
         joined = [\"Ada <b>Lovelace</b>\", \"Grace | Hopper\"]\nleft = [\"Alan *Turing*\"]\n\
         note = \"We met <script>alert(1)</script> monthly | [x](javascript:alert(1))\"\n",
    );
    fs::write(d.path().join("report.toml"), toml).unwrap();
    let out = d.path().join("out");
    let o = run(
        d.path(),
        &["build", "--quiet", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<a href=\"#committee\">The committee&#x27;s work</a>"));
    assert!(html.contains("<th scope=\"row\">Meetings held</th><td class=\"num\">12</td>"));
    assert!(html.contains("<th scope=\"row\">Votes taken</th><td class=\"num\">1,234</td>"));
    assert!(html.contains(
        "<th scope=\"row\">Members at the end of the period</th><td class=\"num\">7</td>"
    ));
    assert!(html.contains("Ada &lt;b&gt;Lovelace&lt;&#x2F;b&gt; and Grace | Hopper"));
    assert!(html.contains("We met &lt;script&gt;"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>Lovelace"));
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## The committee's work"));
    assert!(md.contains("| Meetings held | 12 |"));
    assert!(
        md.contains("| Joined the committee | Ada \\<b\\>Lovelace\\</b\\> and Grace \\| Hopper |"),
        "{md}"
    );
    assert!(md.contains("| Left the committee | Alan \\*Turing\\* |"));
    assert!(
        md.contains(
            "We met \\<script\\>alert(1)\\</script\\> monthly \\| \\[x\\](javascript:alert(1))"
        ),
        "{md}"
    );
}

/// The fixture's 2025 summary, relabelled as an earlier period with some figures changed.
fn earlier(current: &Value, label: &str, year: u32, edits: &[(&str, &str, Value)]) -> Value {
    let mut s = current.clone();
    s["period"]["label"] = label.into();
    s["period"]["start"] = format!("{year}-01-01").into();
    s["period"]["end"] = format!("{year}-12-31").into();
    for (a, b, v) in edits {
        s[*a][*b] = v.clone();
    }
    s
}

#[test]
fn year_over_year_changes_against_the_previous_period() {
    let d = tempfile::tempdir().unwrap();
    for f in ["cases.csv", "report.toml"] {
        fs::copy(fixtures().join(f), d.path().join(f)).unwrap();
    }
    let first = d.path().join("first");
    let o = run(
        d.path(),
        &["build", "--quiet", "--out", first.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!first.join("data/history.csv").exists());
    assert!(!first.join("charts/history.svg").exists());
    let current = summary(&first);
    // The 2025 fixture: 20 cases, 18 resolved, 2 open, 80% acknowledged in time, median 5
    // days, p90 36, 5 appeals, reversal rate 0.6667, 4 temporary and 4 full suspensions.
    let y2024 = earlier(
        &current,
        "2024",
        2024,
        &[
            ("cases", "total", 16.into()),
            ("cases", "resolved", 16.into()),
            ("cases", "open_at_period_end", 0.into()),
            ("acknowledgement", "rate", 0.75.into()),
            ("resolution_days", "median", 4.0.into()),
            ("resolution_days", "p90", Value::Null),
            ("appeals", "reversal_rate", 0.5.into()),
            ("suspensions", "temporary", 0.into()),
            ("suspensions", "full", 2.into()),
        ],
    );
    let y2023 = earlier(&current, "2023", 2023, &[("cases", "total", 10.into())]);
    fs::create_dir_all(d.path().join("past")).unwrap();
    for (name, v) in [("2024.json", &y2024), ("2023.json", &y2023)] {
        fs::write(d.path().join("past").join(name), v.to_string()).unwrap();
    }
    let toml = fs::read_to_string(d.path().join("report.toml")).unwrap();
    // Listed newest first: the report orders periods by their start.
    let with_history = format!("history = [\"past/2024.json\", \"past/2023.json\"]\n{toml}");
    fs::write(d.path().join("report.toml"), &with_history).unwrap();
    let out = d.path().join("out");
    let o = run(
        d.path(),
        &["build", "--quiet", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // summary.json itself is unchanged: schema 1 has no history keys.
    assert_eq!(summary(&out), current);

    let mut r = csv::Reader::from_path(out.join("data/history.csv")).unwrap();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    // Ten key figures a period, then (since the comparison covers them) each of the ALA's
    // 2 groups and 22 sections: 3 × 10 + 3 × 24.
    let by_table = |prefix: &str| rows.iter().filter(|r| r[3].starts_with(prefix)).count();
    assert_eq!(rows.len(), 102);
    assert_eq!(by_table("by_category_group."), 6);
    assert_eq!(by_table("by_category."), 66);
    let row = |period: &str, metric: &str| -> (String, String, String) {
        let r = rows
            .iter()
            .find(|r| r[0] == period && r[3] == metric)
            .unwrap_or_else(|| panic!("{period} {metric}"));
        (r[5].clone(), r[6].clone(), r[7].clone())
    };
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(row("2023", "cases_total"), t("10", "", ""));
    assert_eq!(row("2024", "cases_total"), t("16", "6", "60"));
    assert_eq!(row("2025", "cases_total"), t("20", "4", "25"));
    assert_eq!(row("2025", "cases_resolved"), t("18", "2", "12.5"));
    // From 0 the relative change is n/a.
    assert_eq!(row("2025", "open_at_period_end"), t("2", "2", ""));
    assert_eq!(
        row("2025", "acknowledgement_rate"),
        t("0.8", "0.05", "6.6667")
    );
    assert_eq!(row("2025", "median_days_to_resolution"), t("5", "1", "25"));
    // Withheld in 2024: no change.
    assert_eq!(row("2025", "p90_days_to_resolution"), t("36", "", ""));
    assert_eq!(row("2025", "appeals_filed"), t("5", "0", "0"));
    assert_eq!(row("2025", "reversal_rate"), t("0.6667", "0.1667", "33.34"));
    assert_eq!(row("2025", "temporary_suspensions"), t("4", "4", ""));
    assert_eq!(row("2025", "full_suspensions"), t("4", "2", "100"));

    let md = fs::read_to_string(out.join("report.md")).unwrap();
    for line in [
        "| Cases received | 16 | 20 | +4 | +25.0% |",
        "| Share acknowledged in time | 75.0% | 80.0% | +5.0 points | +6.7% |",
        "| Median days to resolution | 4.0 | 5.0 | +1.0 days | +25.0% |",
        "| 90th percentile days to resolution | n/a | 36.0 | n/a | n/a |",
        "| Appeals filed | 5 | 5 | 0 | 0.0% |",
        "| Open at period end | 0 | 2 | +2 | n/a |",
        "| 2023 (1 January 2023 to 31 December 2023) | 10 | 18 | 5 |",
        "![Cases received and resolved, period by period](charts/history.svg)",
    ] {
        assert!(md.contains(line), "missing `{line}` in\n{md}");
    }
    assert!(out.join("charts/history.svg").is_file());
    let pkg = fs::read_to_string(out.join("data/datapackage.json")).unwrap();
    assert!(pkg.contains("\"path\": \"history.csv\""));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<section id=\"history\""));

    // verify rebuilds with the same history and finds every file equal.
    let o = run(
        d.path(),
        &[
            "verify",
            "--report",
            out.to_str().unwrap(),
            "--input",
            "cases.csv",
            "--config",
            "report.toml",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // A "previous" period that overlaps this one is refused.
    let overlapping = earlier(&current, "again", 2025, &[]);
    fs::write(d.path().join("past/2024.json"), overlapping.to_string()).unwrap();
    let o = run(
        d.path(),
        &["build", "--quiet", "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not end before"), "{}", stderr(&o));
}

#[test]
fn unmapped_in_the_dsa_map_leaves_a_section_out() {
    let d = tempfile::tempdir().unwrap();
    let site = django_site(d.path(), 0);
    let toml = fs::read_to_string(site.join("report.toml")).unwrap();
    let cut = toml.find("[dsa.category_map]").unwrap();
    let toml = format!("{}[dsa.category_map]\nspam = \"unmapped\"\n", &toml[..cut]);
    fs::write(site.join("report.toml"), &toml).unwrap();
    let rows = dsa(&build(&site));
    // The two spam citations go with the eight unlisted ones, and nowhere else.
    assert_eq!(get(&rows, "category/unmapped"), "10");
    assert_eq!(get(&rows, "category/scams_and_fraud"), "0");
}

#[test]
fn an_own_taxonomy_without_a_dsa_map_warns_and_writes_no_dsa_file() {
    let d = tempfile::tempdir().unwrap();
    let site = django_site(d.path(), 0);
    let toml = fs::read_to_string(site.join("report.toml")).unwrap();
    let cut = toml.find("[dsa.category_map]").unwrap();
    fs::write(site.join("report.toml"), &toml[..cut]).unwrap();
    let o = run(&site, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: data/dsa_summary.csv is not written: no [dsa.category_map] in report.toml, and the ALA mapping does not cover the sections `harassment`, `discriminatory_language`"),
        "{err}"
    );
    let out = site.join("output/2025");
    assert!(!out.join("data/dsa_summary.csv").exists());
    for f in [
        "data/datapackage.json",
        "manifest.json",
        "index.html",
        "report.md",
    ] {
        let text = fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains("dsa_summary"), "{f} mentions the DSA file");
    }
    // The ALA sections are covered by the built-in mapping: the fixture still has the file.
    let d = tempfile::tempdir().unwrap();
    for f in ["cases.csv", "report.toml"] {
        fs::copy(fixtures().join(f), d.path().join(f)).unwrap();
    }
    let o = run(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("dsa_summary"), "{}", stderr(&o));
    let out = d.path().join("output/2025");
    assert!(out.join("data/dsa_summary.csv").is_file());
    assert!(fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("<code>data/dsa_summary.csv</code> restates"));
}
