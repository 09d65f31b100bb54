//! SPEC §7 end to end, through the real binary: small-cell suppression in every output,
//! complementary suppression across tables, the personal-data guard, no case id or free text
//! in any output, inert config text, and the zero-case report.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

const HEADER: &str = "case_id,reported_at,platform,category,moderation_level,reporter_type,action,suspension_days,interim_suspension,acknowledged_at,resolved_at,decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome";

fn ok(o: &std::process::Output) {
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(o));
    assert!(!common::stderr(o).contains("panicked"));
}

/// Builds the fixture export into `dir/out` with `--min-cell min`.
fn build_fixture(dir: &Path, min: u64) -> PathBuf {
    let out = dir.join(format!("out{min}"));
    let fx = common::fixtures();
    let o = common::run(
        dir,
        &[
            "build",
            "--config",
            fx.join("report.toml").to_str().unwrap(),
            "--min-cell",
            &min.to_string(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    ok(&o);
    out
}

fn json(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("data/summary.json")).unwrap()).unwrap()
}

fn text(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap()
}

/// JSON pointers of every count of summary.json (the cells suppression may hide).
fn count_pointers(s: &Value) -> Vec<String> {
    let mut out: Vec<String> = vec!["/cases/resolved".into(), "/cases/open_at_period_end".into()];
    for t in [
        "by_platform",
        "by_moderation_level",
        "by_category",
        "by_category_group",
        "by_action",
        "by_reporter_type",
        "resolution_days/histogram",
        "appeals/by_outcome",
    ] {
        for k in s
            .pointer(&format!("/{t}"))
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
        {
            out.push(format!("/{t}/{k}"));
        }
    }
    for k in s["resolution_days"]["by_moderation_level"]
        .as_object()
        .unwrap()
        .keys()
    {
        out.push(format!("/resolution_days/by_moderation_level/{k}/count"));
    }
    for p in [
        "/suspensions/temporary",
        "/suspensions/full",
        "/suspensions/interim",
        "/resolution_days/count",
        "/acknowledgement/met",
        "/appeals/filed",
        "/appeals/eligible",
        "/appeals/not_eligible",
        "/appeals/timely",
        "/appeals/late",
        "/appeals/window_unknown",
    ] {
        out.push(p.into());
    }
    for i in 0..s["monthly"].as_array().unwrap().len() {
        out.push(format!("/monthly/{i}/reported"));
        out.push(format!("/monthly/{i}/resolved"));
    }
    out
}

fn nulls(s: &Value) -> Vec<String> {
    let mut v: Vec<String> = count_pointers(s)
        .into_iter()
        .filter(|p| s.pointer(p).unwrap().is_null())
        .collect();
    v.sort();
    v
}

/// The relations a reader of summary.json can see: `(total, parts)`; a total of `None` is the
/// grand total of cases, which is always published.
fn relations(s: &Value) -> Vec<(Option<String>, Vec<String>)> {
    let keys = |t: &str| -> Vec<String> {
        s.pointer(&format!("/{t}"))
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .map(|k| format!("/{t}/{k}"))
            .collect()
    };
    let months = s["monthly"].as_array().unwrap().len();
    let monthly =
        |f: &str| -> Vec<String> { (0..months).map(|i| format!("/monthly/{i}/{f}")).collect() };
    let levels: Vec<String> = s["resolution_days"]["by_moderation_level"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut r: Vec<(Option<String>, Vec<String>)> = vec![
        (
            None,
            vec!["/cases/resolved".into(), "/cases/open_at_period_end".into()],
        ),
        (None, keys("by_platform")),
        (None, keys("by_moderation_level")),
        (None, keys("by_action")),
        (None, keys("by_reporter_type")),
        (None, monthly("reported")),
        (Some("/cases/resolved".into()), monthly("resolved")),
        (
            None,
            std::iter::once("/cases/open_at_period_end".to_string())
                .chain(monthly("resolved"))
                .collect(),
        ),
        (
            Some("/resolution_days/count".into()),
            vec!["/cases/resolved".into()],
        ),
        (
            Some("/resolution_days/count".into()),
            keys("resolution_days/histogram"),
        ),
        (
            Some("/resolution_days/count".into()),
            levels
                .iter()
                .map(|l| format!("/resolution_days/by_moderation_level/{l}/count"))
                .collect(),
        ),
        (Some("/appeals/filed".into()), keys("appeals/by_outcome")),
        (
            Some("/appeals/filed".into()),
            vec!["/appeals/eligible".into(), "/appeals/not_eligible".into()],
        ),
        (
            Some("/appeals/filed".into()),
            vec![
                "/appeals/timely".into(),
                "/appeals/late".into(),
                "/appeals/window_unknown".into(),
            ],
        ),
        (
            Some("/by_action/temporary_suspension".into()),
            vec!["/suspensions/temporary".into()],
        ),
        (
            Some("/by_action/full_suspension".into()),
            vec!["/suspensions/full".into()],
        ),
    ];
    for l in &levels {
        r.push((
            Some(format!("/by_moderation_level/{l}")),
            vec![format!("/resolution_days/by_moderation_level/{l}/count")],
        ));
    }
    r
}

/// Checks a suppressed summary against the exact one (`--min-cell 0`) of the same export:
/// every small count hidden, every published count exact, no relation with exactly one hidden
/// cell, statistics over fewer than `min` cases withheld.
fn audit(exact: &Value, hidden: &Value, min: u64) {
    for p in count_pointers(exact) {
        let truth = exact.pointer(&p).unwrap().as_u64().unwrap();
        let shown = hidden.pointer(&p).unwrap();
        if (1..min).contains(&truth) {
            assert!(shown.is_null(), "{p} = {truth} must be hidden");
        } else if !shown.is_null() {
            assert_eq!(shown.as_u64(), Some(truth), "{p}");
        }
    }
    for (total, parts) in relations(exact) {
        let mut cells: Vec<&String> = parts.iter().collect();
        cells.extend(total.iter());
        let n = cells
            .iter()
            .filter(|p| hidden.pointer(p).unwrap().is_null())
            .count();
        assert!(
            n == 0 || n >= 2,
            "{total:?} = {parts:?}: exactly one hidden cell can be recovered"
        );
        if total.is_none() && n > 0 {
            // With the total published, the hidden cells add up to something a reader knows:
            // never just the small ones' smallest or largest possible sum.
            let small: Vec<u64> = parts
                .iter()
                .map(|p| exact.pointer(p).unwrap().as_u64().unwrap())
                .filter(|v| (1..min).contains(v))
                .collect();
            let sum: u64 = parts
                .iter()
                .filter(|p| hidden.pointer(p).unwrap().is_null())
                .map(|p| exact.pointer(p).unwrap().as_u64().unwrap())
                .sum();
            let k = small.len() as u64;
            let only_small = parts
                .iter()
                .filter(|p| hidden.pointer(p).unwrap().is_null())
                .all(|p| (1..min).contains(&exact.pointer(p).unwrap().as_u64().unwrap()));
            if k > 0 && n < parts.len() && only_small {
                assert!(
                    sum != k && sum != k * (min - 1),
                    "{parts:?}: hidden cells add up to {sum}, which pins the small ones"
                );
            }
        }
    }
    let withheld = |n: &str, stats: &[&str]| {
        let count = exact.pointer(n).unwrap().as_u64().unwrap();
        for st in stats {
            if count < min {
                assert!(
                    hidden.pointer(st).unwrap().is_null(),
                    "{st} over {count} cases"
                );
            }
        }
    };
    withheld(
        "/resolution_days/count",
        &[
            "/resolution_days/median",
            "/resolution_days/p90",
            "/resolution_days/mean",
        ],
    );
    for l in exact["resolution_days"]["by_moderation_level"]
        .as_object()
        .unwrap()
        .keys()
    {
        let base = format!("/resolution_days/by_moderation_level/{l}");
        withheld(
            &format!("{base}/count"),
            &[&format!("{base}/median"), &format!("{base}/p90")],
        );
    }
    withheld("/suspensions/temporary", &["/suspensions/median_days"]);
    if hidden["acknowledgement"]["met"].is_null() {
        assert!(hidden["acknowledgement"]["rate"].is_null());
    }
    if ["upheld", "overturned", "modified"]
        .iter()
        .any(|k| hidden["appeals"]["by_outcome"][k].is_null())
    {
        assert!(hidden["appeals"]["reversal_rate"].is_null());
    }
}

#[test]
fn fixture_cells_hidden_in_every_output() {
    let d = tempfile::tempdir().unwrap();
    let exact_dir = build_fixture(d.path(), 0);
    let dir = build_fixture(d.path(), 3);
    let exact = json(&exact_dir);
    let s = json(&dir);
    assert!(nulls(&exact).is_empty(), "--min-cell 0 hides nothing");
    audit(&exact, &s, 3);
    assert_eq!(nulls(&s), EXPECTED_NULLS, "cells hidden in summary.json");
    // Statistics over fewer than 3 cases, and a rate built from hidden cells, are withheld;
    // those over enough cases stay.
    assert!(s["appeals"]["reversal_rate"].is_null());
    assert_eq!(
        s["resolution_days"]["median"],
        exact["resolution_days"]["median"]
    );
    assert_eq!(s["cases"]["total"], 20);

    // CSV: empty cells, the rest exact.
    assert_eq!(
        text(&dir, "data/platforms.csv"),
        "platform,label,cases\nala_connect,ALA Connect,9\nsocial_media,ALA-managed social media,5\n\
         website,Websites,3\nblog,Blogs,\nonline_publication,Online publications,\n"
    );
    assert_eq!(
        text(&exact_dir, "data/platforms.csv"),
        "platform,label,cases\nala_connect,ALA Connect,9\nsocial_media,ALA-managed social media,5\n\
         website,Websites,3\nblog,Blogs,2\nonline_publication,Online publications,1\n"
    );
    let levels = text(&dir, "data/levels.csv");
    assert!(levels.contains("\nC,Level C,,,24.5,38.5\n"), "{levels}");
    assert!(levels.contains("\nunassigned,No level,,,,\n"), "{levels}");
    assert!(text(&exact_dir, "data/levels.csv").contains("\nC,Level C,4,4,24.5,38.5\n"));
    let appeals = text(&dir, "data/appeals.csv");
    assert_eq!(
        appeals.lines().filter(|l| l.ends_with(',')).count(),
        5,
        "{appeals}"
    );

    // Markdown and HTML: "< 3" for a small cell, "suppressed" for its complement.
    let md = text(&dir, "report.md");
    for row in [
        "| Blogs | < 3 | n/a |",
        "| Online publications | < 3 | n/a |",
        "| suppressed | n/a |\n| Level D |",
        "| No level | No level recorded, for instance because the case was still open. | < 3 | n/a |",
        "| Level C | suppressed | 24.5 | 38.5 |",
        "| Resolved cases | suppressed |",
        "| Appeals filed | suppressed |",
    ] {
        assert!(md.contains(row), "report.md lacks `{row}`");
    }
    let html = text(&dir, "index.html");
    for row in [
        "<tr><th scope=\"row\">Blogs</th><td class=\"num\">&lt; 3</td><td class=\"num\">n&#x2F;a</td></tr>",
        "<tr><th scope=\"row\">Online publications</th><td class=\"num\">&lt; 3</td>",
    ] {
        assert!(html.contains(row), "index.html lacks `{row}`");
    }
    // Charts: a hidden bar is a hatched placeholder, not drawn to scale.
    let svg = text(&dir, "charts/platforms.svg");
    assert_eq!(
        svg.matches("fill=\"url(#chart-platforms-hatch)\"").count(),
        2
    );
    assert!(!text(&exact_dir, "charts/platforms.svg").contains("hatch)\""));
    // The methodology states the rule and the tables it touched.
    assert!(md.contains("a count from 1 to 2 is shown as “< 3”"));
    assert!(md.contains("- Cases by platform\n"));
    assert!(md.contains("- Cases resolved each month\n"));
    assert!(
        !md.contains("- Cases by group of sections\n"),
        "nothing hidden there"
    );
    assert!(html.contains("<li>Cases by platform</li>"));
    let md0 = text(&exact_dir, "report.md");
    assert!(md0.contains(
        "The committee's choice is to publish small numbers as they are: no figure is withheld"
    ));
    assert!(!md0.contains("< 3") && !md0.contains("suppressed |"));
    assert!(!text(&exact_dir, "index.html").contains("&lt; 3"));
}

/// Every cell of the fixture hidden at `--min-cell 3`, by JSON pointer. Small (1 or 2):
/// the primaries; the rest were withheld until the disclosure audit found no small cell a
/// reader could work out: `cases/resolved` (18, beside 2 open) with `resolution_days/count`
/// (19, tied to it), `by_moderation_level/C` (4, beside 1 without a level) with level C's
/// decided cases, the 7-to-30-day bin (so that "90+" is not the decided cases minus the
/// published bins), and `appeals/filed` (5 appeals, one of each outcome: the total would pin
/// every outcome to 1). The interval check withheld level A instead of the bin, and its report
/// gave "no level" and "90+" away (see tests/disclosure.rs).
const EXPECTED_NULLS: &[&str] = &[
    "/appeals/by_outcome/modified",
    "/appeals/by_outcome/overturned",
    "/appeals/by_outcome/pending",
    "/appeals/by_outcome/upheld",
    "/appeals/by_outcome/withdrawn",
    "/appeals/filed",
    "/appeals/late",
    "/appeals/not_eligible",
    "/appeals/window_unknown",
    "/by_action/content_removed",
    "/by_action/no_action",
    "/by_action/unassigned",
    "/by_category/accessibility",
    "/by_category/age",
    "/by_category/appearance",
    "/by_category/disability",
    "/by_category/employment_military",
    "/by_category/impersonation",
    "/by_category/intellectual_property",
    "/by_category/intimidation",
    "/by_category/job_posting",
    "/by_category/language",
    "/by_category/marital_family",
    "/by_category/nationality_location",
    "/by_category/other",
    "/by_category/paid_promotion",
    "/by_category/political_endorsement",
    "/by_category/prohibited_content",
    "/by_category/race_ethnicity",
    "/by_category/religion_politics",
    "/by_category/sex_gender",
    "/by_category/sexual_orientation",
    "/by_category/sharing_member_content",
    "/by_category/socioeconomic",
    "/by_moderation_level/C",
    "/by_moderation_level/unassigned",
    "/by_platform/blog",
    "/by_platform/online_publication",
    "/by_reporter_type/moderator",
    "/by_reporter_type/unassigned",
    "/cases/open_at_period_end",
    "/cases/resolved",
    "/monthly/1/resolved",
    "/monthly/10/reported",
    "/monthly/10/resolved",
    "/monthly/11/reported",
    "/monthly/11/resolved",
    "/monthly/2/reported",
    "/monthly/2/resolved",
    "/monthly/3/reported",
    "/monthly/3/resolved",
    "/monthly/4/reported",
    "/monthly/4/resolved",
    "/monthly/5/reported",
    "/monthly/6/reported",
    "/monthly/6/resolved",
    "/monthly/7/reported",
    "/monthly/7/resolved",
    "/monthly/8/reported",
    "/monthly/9/reported",
    "/monthly/9/resolved",
    "/resolution_days/by_moderation_level/C/count",
    "/resolution_days/count",
    "/resolution_days/histogram/7-30",
    "/resolution_days/histogram/90+",
    "/suspensions/interim",
];

/// Writes `cases.csv` (header + rows) and `report.toml` into a fresh folder.
fn export(rows: &[String], config: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    fs::write(d.path().join("cases.csv"), text).unwrap();
    fs::write(d.path().join("report.toml"), config).unwrap();
    d
}

/// `n` resolved cases in 2025 with the given platform, level, action and categories.
#[allow(clippy::too_many_arguments)]
fn cases(
    rows: &mut Vec<String>,
    n: usize,
    platform: &str,
    category: &str,
    level: &str,
    action: &str,
    days: &str,
    month: u32,
    resolved: bool,
) {
    for _ in 0..n {
        let i = rows.len() + 1;
        let res = if resolved {
            format!("2025-{month:02}-20T09:00")
        } else {
            String::new()
        };
        rows.push(format!(
            "K{i:03},2025-{month:02}-03T09:00,{platform},{category},{level},named,{action},{days},,2025-{month:02}-03T10:00,{res},{res},,,"
        ));
    }
}

fn build_both(d: &Path) -> (Value, Value) {
    let mut out = Vec::new();
    for min in ["0", "3"] {
        let o = common::run(
            d,
            &["build", "--min-cell", min, "--out", &format!("out{min}")],
        );
        ok(&o);
        out.push(json(&d.join(format!("out{min}"))));
    }
    let hidden = out.pop().unwrap();
    (out.pop().unwrap(), hidden)
}

const CONFIG: &str = "min_cell = 3\n[period]\nyear = 2025\n";

#[test]
fn suspensions_follow_the_action_table() {
    // Two temporary suspensions: hidden in by_action *and* in suspensions, with their median.
    let mut rows = Vec::new();
    cases(
        &mut rows,
        2,
        "ala_connect",
        "age",
        "C",
        "temporary_suspension",
        "14",
        3,
        true,
    );
    cases(
        &mut rows,
        6,
        "ala_connect",
        "age",
        "A",
        "warning",
        "",
        3,
        true,
    );
    cases(
        &mut rows,
        5,
        "ala_connect",
        "age",
        "B",
        "discussion",
        "",
        4,
        true,
    );
    let d = export(&rows, CONFIG);
    let (exact, s) = build_both(d.path());
    audit(&exact, &s, 3);
    assert_eq!(exact["suspensions"]["temporary"], 2);
    assert!(s["by_action"]["temporary_suspension"].is_null());
    assert!(s["suspensions"]["temporary"].is_null());
    assert!(s["suspensions"]["median_days"].is_null());
    // The complement is the next smallest action, in both places.
    assert!(s["by_action"]["discussion"].is_null());
    assert_eq!(s["by_action"]["warning"], 6);
    let md = text(&d.path().join("out3"), "report.md");
    assert!(md.contains("| Temporary suspensions | < 3 |"), "{md}");
}

#[test]
fn resolution_by_level_follows_the_level_table() {
    // Level C has 1 case: hidden. Its complement in the level table (B, 4 cases) must be
    // hidden in the resolution-by-level table too, or 4 would give 1 away by subtraction.
    let mut rows = Vec::new();
    cases(
        &mut rows,
        1,
        "ala_connect",
        "age",
        "C",
        "warning",
        "",
        2,
        true,
    );
    cases(
        &mut rows,
        4,
        "ala_connect",
        "age",
        "B",
        "warning",
        "",
        2,
        true,
    );
    cases(
        &mut rows,
        7,
        "ala_connect",
        "age",
        "A",
        "warning",
        "",
        3,
        true,
    );
    cases(
        &mut rows,
        6,
        "ala_connect",
        "age",
        "D",
        "warning",
        "",
        4,
        true,
    );
    let d = export(&rows, CONFIG);
    let (exact, s) = build_both(d.path());
    audit(&exact, &s, 3);
    let lv = |l: &str| s["resolution_days"]["by_moderation_level"][l]["count"].clone();
    assert!(s["by_moderation_level"]["C"].is_null() && lv("C").is_null());
    assert!(s["by_moderation_level"]["B"].is_null() && lv("B").is_null());
    assert_eq!((lv("A"), lv("D")), (Value::from(7), Value::from(6)));
    // C's median over 1 case is withheld; B's over 4 is not.
    assert!(s["resolution_days"]["by_moderation_level"]["C"]["median"].is_null());
    assert!(!s["resolution_days"]["by_moderation_level"]["B"]["median"].is_null());
}

#[test]
fn resolved_cases_and_the_monthly_resolved_counts() {
    // 2 cases open at period end: hidden, and so is "resolved" (the total gives it away).
    // The monthly resolved counts add up to "resolved", so at least two of them are hidden.
    let mut rows = Vec::new();
    cases(
        &mut rows,
        5,
        "ala_connect",
        "age",
        "A",
        "warning",
        "",
        2,
        true,
    );
    cases(
        &mut rows,
        6,
        "ala_connect",
        "age",
        "A",
        "warning",
        "",
        5,
        true,
    );
    cases(
        &mut rows,
        7,
        "ala_connect",
        "age",
        "A",
        "warning",
        "",
        9,
        true,
    );
    cases(&mut rows, 2, "ala_connect", "age", "", "", "", 11, false);
    let d = export(&rows, CONFIG);
    let (exact, s) = build_both(d.path());
    audit(&exact, &s, 3);
    assert!(s["cases"]["open_at_period_end"].is_null());
    assert!(s["cases"]["resolved"].is_null());
    let resolved: Vec<&Value> = s["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["resolved"])
        .collect();
    let hidden = resolved.iter().filter(|v| v.is_null()).count();
    assert!(hidden >= 1, "{resolved:?}");
    let published: u64 = resolved.iter().filter_map(|v| v.as_u64()).sum();
    let total = s["cases"]["total"].as_u64().unwrap();
    // Whatever is hidden, total − published resolved is not the open count alone.
    assert!(total - published >= 2 + 3, "{resolved:?}");
    // The resolution count repeats "resolved" (no case resolved after the period end).
    assert!(s["resolution_days"]["count"].is_null());
    let hist_hidden = s["resolution_days"]["histogram"]
        .as_object()
        .unwrap()
        .values()
        .filter(|v| v.is_null())
        .count();
    assert!(hist_hidden >= 1);
    // The median over 18 cases stays.
    assert!(!s["resolution_days"]["median"].is_null());
}

#[test]
fn appeals_filed_and_their_outcomes() {
    // 4 appeals: 3 upheld, 1 overturned. "overturned" is hidden; with the total published,
    // overturned = 4 − 3 whatever else is withheld beside upheld (a reader who knows that a
    // complement is 0 or at least 3 solves overturned + upheld = 4 as 1 + 3), so the total is
    // withheld, and with it the eligible and timely appeals that repeat it (none is late or
    // ineligible). The reversal rate would give the small cell away: withheld.
    let mut rows = Vec::new();
    cases(
        &mut rows,
        10,
        "ala_connect",
        "age",
        "A",
        "warning",
        "",
        3,
        true,
    );
    for (i, outcome) in ["upheld", "upheld", "upheld", "overturned"]
        .iter()
        .enumerate()
    {
        rows.push(format!(
            "P{i},2025-02-03T09:00,blog,age,D,named,full_suspension,,,2025-02-03T10:00,2025-02-10T09:00,2025-02-10T09:00,2025-02-20T09:00,2025-03-01T09:00,{outcome}"
        ));
    }
    let d = export(&rows, CONFIG);
    let (exact, s) = build_both(d.path());
    audit(&exact, &s, 3);
    assert_eq!(exact["appeals"]["filed"], 4);
    let a = &s["appeals"];
    assert!(a["filed"].is_null() && a["eligible"].is_null() && a["timely"].is_null());
    let o = &a["by_outcome"];
    assert!(o["overturned"].is_null(), "{o}");
    assert_eq!(o["upheld"], 3, "{o}");
    assert!(a["reversal_rate"].is_null());
    assert_eq!(exact["appeals"]["reversal_rate"], 0.25);
    let md = text(&d.path().join("out3"), "report.md");
    assert!(md.contains("| Appeals filed | suppressed |"), "{md}");
    assert!(md.contains("| Decision overturned | < 3 | n/a |"), "{md}");

    // With 6 upheld the complement is large enough: the total stays.
    for i in 4..7 {
        rows.push(format!(
            "P{i},2025-02-03T09:00,blog,age,D,named,full_suspension,,,2025-02-03T10:00,2025-02-10T09:00,2025-02-10T09:00,2025-02-20T09:00,2025-03-01T09:00,upheld"
        ));
    }
    let d = export(&rows, CONFIG);
    let (exact, s) = build_both(d.path());
    audit(&exact, &s, 3);
    assert_eq!(s["appeals"]["filed"], 7);
    let o = &s["appeals"]["by_outcome"];
    assert!(o["overturned"].is_null() && o["upheld"].is_null(), "{o}");
    assert_eq!(
        (o["modified"].as_u64(), o["withdrawn"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn a_group_with_one_section_repeats_it() {
    let config = r#"min_cell = 3
[period]
year = 2025
[taxonomy]
platforms = [{ key = "forum", label = "Forum" }]
category_groups = [{ key = "solo", label = "Solo group" }, { key = "many", label = "Many group" }]
categories = [
  { key = "only", label = "Only section", group = "solo" },
  { key = "a", label = "Section A", group = "many" },
  { key = "b", label = "Section B", group = "many" },
]
levels = [{ key = "A", label = "Level A" }, { key = "D", label = "Level D" }]
actions = [{ key = "warning", label = "Warning" }]
"#;
    let mut rows = Vec::new();
    cases(&mut rows, 2, "forum", "only", "A", "warning", "", 3, true);
    cases(&mut rows, 5, "forum", "a", "A", "warning", "", 3, true);
    cases(&mut rows, 4, "forum", "b", "D", "warning", "", 3, true);
    let d = export(&rows, config);
    let (exact, s) = build_both(d.path());
    assert_eq!(exact["by_category_group"]["solo"], 2);
    assert!(s["by_category"]["only"].is_null());
    assert!(s["by_category_group"]["solo"].is_null());
    // Every case cites one section, so the total is solo + many and many is a + b: the group
    // of 9 and one of its sections (the smaller, b = 4) are withheld too; a = 5 stays.
    assert!(s["by_category_group"]["many"].is_null());
    assert!(s["by_category"]["b"].is_null());
    assert_eq!(s["by_category"]["a"], 5);
    let csv = text(&d.path().join("out3"), "data/category_groups.csv");
    assert!(csv.contains("solo,Solo group,\n"), "{csv}");
}

#[test]
fn random_exports_pass_the_audit() {
    // Synthetic exports of many sizes: every small cell hidden everywhere, no relation
    // between published figures with exactly one hidden cell. Six cases, each citing its own
    // section, cannot be protected at any threshold (six cells of "< N" adding up to 6 are
    // all 1): the build stops and says so.
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("report.toml"), CONFIG).unwrap();
    for (rows, seed) in [
        (6, 1),
        (12, 2),
        (20, 3),
        (30, 4),
        (45, 5),
        (70, 6),
        (120, 7),
        (300, 8),
    ] {
        let o = common::run(
            d.path(),
            &[
                "sample",
                "--rows",
                &rows.to_string(),
                "--year",
                "2025",
                "--seed",
                &seed.to_string(),
                "--out",
                "cases.csv",
            ],
        );
        ok(&o);
        if rows == 6 {
            for min in ["3", "5", "10"] {
                let out = format!("m{min}");
                let o = common::run(d.path(), &["build", "--min-cell", min, "--out", &out]);
                assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
                assert!(
                    common::stderr(&o).contains("small-cell protection is impossible"),
                    "{}",
                    common::stderr(&o)
                );
                assert!(!d.path().join(&out).exists());
            }
            continue;
        }
        let (exact, s) = build_both(d.path());
        audit(&exact, &s, 3);
        for min in ["5", "10"] {
            let out = format!("m{min}");
            ok(&common::run(
                d.path(),
                &["build", "--min-cell", min, "--out", &out],
            ));
            audit(&exact, &json(&d.path().join(&out)), min.parse().unwrap());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Personal data and free text

const ROW: &str = "A1,2025-03-03T09:00,ala_connect,age,A,named,discussion,,,2025-03-03T10:00,2025-03-04T09:00,2025-03-04T09:00,,,";

#[test]
fn personal_data_columns_are_refused_unless_ignored() {
    for column in [
        "name",
        "Reporter Name",
        "email",
        "reporter_email",
        "E-Mail",
        "username",
        "user",
        "ip",
        "IP Address",
        "ip_address",
        "description",
        "notes",
        "text",
        "free_text",
        "comment",
        "Comments",
        "details",
        "message",
        "phone",
    ] {
        let marker = "Jane Q. Secret-Person jane@example.org 203.0.113.9";
        let d = tempfile::tempdir().unwrap();
        let csv = format!("{HEADER},\"{column}\"\n{ROW},\"{marker}\"\n");
        fs::write(d.path().join("cases.csv"), &csv).unwrap();
        fs::write(d.path().join("report.toml"), "[period]\nyear = 2025\n").unwrap();
        let o = common::run(d.path(), &["build"]);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{column}: {err}");
        assert!(!err.contains("panicked"));
        assert!(
            err.contains(&format!("cases.csv:1: column `{column}`")),
            "{err}"
        );
        assert!(err.contains("personal data or free text"), "{err}");
        assert!(err.contains("ignore_columns"), "the fix is named: {err}");
        assert!(!d.path().join("output").exists());
        // Listed in ignore_columns (any case): builds, and the values reach no output. (A
        // single case cannot be protected by small-cell suppression: the build would stop,
        // see tests/disclosure.rs, so this one publishes exact counts.)
        fs::write(
            d.path().join("report.toml"),
            format!(
                "ignore_columns = [\"{}\"]\nmin_cell = 0\n[period]\nyear = 2025\n",
                column.to_uppercase()
            ),
        )
        .unwrap();
        let o = common::run(d.path(), &["build"]);
        assert_eq!(o.status.code(), Some(0), "{column}: {}", common::stderr(&o));
        for (path, bytes) in common::snapshot(&d.path().join("output/2025")) {
            let text = String::from_utf8_lossy(&bytes);
            for part in ["Secret", "jane@", "203.0.113.9"] {
                assert!(!text.contains(part), "{path} contains `{part}`");
            }
        }
    }
}

#[test]
fn no_case_id_or_free_text_in_any_output() {
    // The sample export plus an ignored free-text column full of markers, with quotes,
    // commas and line breaks in the cells.
    let d = tempfile::tempdir().unwrap();
    let root = common::root();
    let sample = fs::read_to_string(root.join("sample_data/cases.csv")).unwrap();
    let mut lines = sample.lines();
    let mut csv = format!("{},Notes\n", lines.next().unwrap());
    let mut ids = Vec::new();
    for (i, line) in lines.enumerate() {
        ids.push(line.split(',').next().unwrap().to_string());
        csv.push_str(&format!(
            "{line},\"FREETEXT-MARKER-{i} said \"\"hi\"\", then\nleft\"\n"
        ));
    }
    assert_eq!(ids.len(), 300);
    fs::write(d.path().join("cases.csv"), csv).unwrap();
    let config = fs::read_to_string(root.join("sample_data/report.toml")).unwrap();
    fs::write(
        d.path().join("report.toml"),
        format!("ignore_columns = [\"notes\"]\n{config}"),
    )
    .unwrap();
    fs::copy(
        root.join("sample_data/narrative.md"),
        d.path().join("narrative.md"),
    )
    .unwrap();
    fs::create_dir(d.path().join("history")).unwrap();
    for y in ["2023", "2024"] {
        let name = format!("history/summary-{y}.json");
        fs::copy(root.join("sample_data").join(&name), d.path().join(&name)).unwrap();
    }
    let o = common::run(d.path(), &["build"]);
    ok(&o);
    let files = common::snapshot(&d.path().join("output/2025"));
    assert!(files.len() > 15);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("FREETEXT-MARKER"), "{path} leaks free text");
        assert!(!text.contains("said \"hi\""), "{path} leaks free text");
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{path} contains case id {id}");
        }
    }
    // Not on stderr either, and the report is the same as without the column.
    assert!(!common::stderr(&o).contains("FREETEXT"));
    let plain = common::run(
        &root,
        &["build", "--out", d.path().join("plain").to_str().unwrap()],
    );
    ok(&plain);
    let a = fs::read(d.path().join("output/2025/data/summary.json")).unwrap();
    let b = fs::read(d.path().join("plain/data/summary.json")).unwrap();
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------------
// Escaping

#[test]
fn hostile_config_text_is_inert_in_every_output() {
    let d = tempfile::tempdir().unwrap();
    let preset = fs::read_to_string(common::root().join("src/config/presets/ala.toml")).unwrap();
    let preset = preset
        .replacen(
            "label = \"Age\"",
            "label = \"{{ 7*7 }} {% raw %}AGE-LABEL\"",
            1,
        )
        .replacen(
            "label = \"Language\"",
            "label = '=HYPERLINK(\"http://evil.example\",\"click\")'",
            1,
        );
    assert!(preset.contains("AGE-LABEL") && preset.contains("HYPERLINK"));
    let config = format!(
        "organisation = '<script>alert(\"org\")</script>'\n\
         committee = '\"><img src=x onerror=alert(1)>'\n\
         contact = '{{{{ 7*7 }}}}@{{% raw %}}'\n\
         narrative = \"narrative.md\"\n\
         min_cell = 0\n[period]\nyear = 2025\n{preset}"
    );
    fs::write(d.path().join("report.toml"), config).unwrap();
    fs::write(
        d.path().join("narrative.md"),
        "# Our year\n\n<script>alert('narrative')</script>\n\nWe say {{ 7*7 }} and {% raw %} here.\n\n\
         <img src=x onerror=alert(2)> [click](javascript:alert(3))\n",
    )
    .unwrap();
    fs::copy(
        common::fixtures().join("cases.csv"),
        d.path().join("cases.csv"),
    )
    .unwrap();
    let o = common::run(d.path(), &["build"]);
    ok(&o);
    let out = d.path().join("output/2025");
    let html = text(&out, "index.html");
    let md = text(&out, "report.md");
    // Nothing executable in the page.
    assert!(!html.contains("<script"), "a script tag in index.html");
    assert!(!html.contains("<img"), "an img tag in index.html");
    assert!(
        !html.to_lowercase().contains("javascript:"),
        "a javascript: URL"
    );
    assert!(
        !html.contains("<img src=x onerror"),
        "an attribute was closed"
    );
    // The text is there, escaped.
    assert!(html.contains("&lt;script&gt;alert(&quot;org&quot;)&lt;&#x2F;script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Template syntax is shown as typed, never evaluated.
    assert!(
        html.contains("{{ 7*7 }} {% raw %}AGE-LABEL"),
        "label verbatim"
    );
    assert!(html.contains("We say {{ 7*7 }} and {% raw %} here."));
    assert!(!html.contains("49 {% raw") && !html.contains(">49<") && !html.contains("We say 49"));
    assert!(!md.contains("We say 49") && !md.contains("49 {%"));
    // Markdown: no raw tag a renderer would pass through.
    // (a backslash-escaped `\<` is literal text in CommonMark).
    let unescaped = md.replace("\\<", "");
    for tag in ["<script", "<img", "](javascript:"] {
        assert!(!unescaped.contains(tag), "report.md contains `{tag}`");
    }
    assert!(md.contains("\\<script\\>alert(\"org\")"));
    assert!(md.contains("We say {{ 7*7 }} and {% raw %} here."));
    assert!(md.contains("AGE-LABEL"));
    // SVG charts carry labels too.
    for (path, bytes) in common::snapshot(&out) {
        let t = String::from_utf8_lossy(&bytes);
        if path.ends_with(".svg") {
            assert!(!t.contains("<script") && !t.contains("<img"), "{path}");
        }
    }
    // CSV: the formula is neutralised.
    let cats = text(&out, "data/categories.csv");
    assert!(
        cats.contains(",'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")")
            || cats.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""),
        "{cats}"
    );
    assert!(!cats.contains(",=HYPERLINK") && !cats.contains(",\"=HYPERLINK"));
    // In JSON the name is data: a valid string, kept as typed.
    let dp: Value = serde_json::from_str(&text(&out, "data/datapackage.json")).unwrap();
    assert!(dp["title"]
        .as_str()
        .unwrap()
        .starts_with("<script>alert(\"org\")</script>"));
}

// ---------------------------------------------------------------------------------------------
// Zero cases

#[test]
fn a_period_without_cases_still_builds_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    for min in ["3", "0"] {
        let out = d.path().join(format!("out{min}"));
        let o = common::run(
            d.path(),
            &[
                "build",
                "--config",
                common::fixtures().join("report.toml").to_str().unwrap(),
                "--year",
                "2023",
                "--min-cell",
                min,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        ok(&o);
        let s = json(&out);
        assert_eq!(s["cases"]["total"], 0);
        assert_eq!(s["rows"]["outside_period"], 22);
        assert!(nulls(&s).is_empty(), "zeros are never suppressed");
        let html = text(&out, "index.html");
        let md = text(&out, "report.md");
        assert!(html.contains("<strong>The committee received no cases in this period.</strong>"));
        assert!(md.contains("**The committee received no cases in this period.**"));
        for (path, bytes) in common::snapshot(&out) {
            let t = String::from_utf8_lossy(&bytes);
            assert!(
                !t.contains("NaN") && !t.contains(",inf") && !t.contains(": inf"),
                "{path}"
            );
        }
    }
}
