//! `build --periods`: a site of seven years and a half-year split from one export, checked
//! against single-period builds of the same export, and verified as a whole.

#[allow(dead_code)]
#[path = "disclosure/attacker.rs"]
mod attacker;
mod common;

use std::path::{Path, PathBuf};

use common::{fixtures, json, run, snapshot, stderr, stdout};
use serde_json::Value;

const SPEC: &str = "2019..2025,2025H1,2025H2";
const YEARS: [&str; 7] = ["2019", "2020", "2021", "2022", "2023", "2024", "2025"];

fn export() -> PathBuf {
    fixtures().join("periods/cases.csv")
}

fn build_site(dir: &Path, out: &str) -> PathBuf {
    let input = export();
    let o = run(
        dir,
        &[
            "build",
            "--input",
            input.to_str().unwrap(),
            "--periods",
            SPEC,
            "--out",
            out,
        ],
    );
    assert!(o.status.success(), "site build failed: {}", stderr(&o));
    dir.join(out)
}

fn build_single(dir: &Path, out: &str, period: &[&str]) -> PathBuf {
    let input = export();
    let mut args = vec!["build", "--input", input.to_str().unwrap(), "--out", out];
    args.extend_from_slice(period);
    let o = run(dir, &args);
    assert!(o.status.success(), "single build failed: {}", stderr(&o));
    dir.join(out)
}

/// The figures of a summary.json, without the period's label (a `--from/--to` build names
/// its period by its dates).
fn figures(path: &Path) -> Value {
    let mut v = json(path);
    v["period"]["label"] = Value::Null;
    v
}

/// Paths (`table.key`) where `site` and `single` differ; fails where `site` publishes a value
/// that `single` does not have.
fn same_or_withheld(site: &Value, single: &Value, path: &str, out: &mut Vec<String>) {
    match (site, single) {
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.len(), b.len(), "{path}");
            for (k, v) in a {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                same_or_withheld(v, &b[k], &p, out);
            }
        }
        (Value::Null, Value::Number(_)) => out.push(path.to_string()),
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

/// The cells of a table row of the index, by the row's header.
fn index_row(html: &str, table_id: &str, header: &str) -> Vec<String> {
    let table = html
        .split(&format!("<table id=\"{table_id}\""))
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_else(|| panic!("no table {table_id}"));
    let row = table
        .split("<tr>")
        .find(|r| r.starts_with(&format!("<th scope=\"row\">{header}</th>")))
        .unwrap_or_else(|| panic!("no row {header} in {table_id}"));
    row.split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap().to_string())
        .collect()
}

#[test]
fn each_period_of_the_site_has_the_figures_of_its_own_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let mut listed: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "2019",
            "2020",
            "2021",
            "2022",
            "2023",
            "2024",
            "2025",
            "2025H1",
            "2025H2",
            "data",
            "index.html",
            "manifest.json"
        ]
    );
    // 2025 overlaps its halves: checked below with them.
    for y in YEARS.iter().filter(|y| **y != "2025") {
        let single = build_single(tmp.path(), &format!("single/{y}"), &["--year", y]);
        // The summary holds every figure and no comparison: the same bytes.
        assert_eq!(
            std::fs::read(site.join(y).join("data/summary.json")).unwrap(),
            std::fs::read(single.join("data/summary.json")).unwrap(),
            "{y}: summary.json differs from a single-period build"
        );
        for table in ["categories.csv", "category_groups.csv", "actions.csv"] {
            assert_eq!(
                std::fs::read(site.join(y).join("data").join(table)).unwrap(),
                std::fs::read(single.join("data").join(table)).unwrap(),
                "{y}: {table} differs"
            );
        }
    }
    for (label, from, to) in [
        ("2025", "2025-01-01", "2025-12-31"),
        ("2025H1", "2025-01-01", "2025-06-30"),
        ("2025H2", "2025-07-01", "2025-12-31"),
    ] {
        let single = build_single(
            tmp.path(),
            &format!("single/{label}"),
            &["--from", from, "--to", to],
        );
        // The same figures, except cells withheld further so that the year and its halves
        // together give no withheld cell away: each of those is a complementary cell. (In
        // 2025 that is the year's 4 of employment_military: H1 publishes 3 and H2 "< 3", so
        // the year's 4 gives H2's 1 away; withholding H1's 3 instead would not do, as it would
        // read "suppressed", 0 or at least 3, and 4 − 1..2 leaves only 3.)
        let withheld: Vec<String> = json(&site.join(label).join("data/disclosure.json"))
            ["withheld_to_protect_cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let mut differing = Vec::new();
        same_or_withheld(
            &figures(&site.join(label).join("data/summary.json")),
            &figures(&single.join("data/summary.json")),
            "",
            &mut differing,
        );
        for path in &differing {
            assert!(
                withheld.contains(path),
                "{label}: {path} differs and is not withheld"
            );
        }
        let s = json(&site.join(label).join("data/summary.json"));
        assert_eq!(s["period"]["label"], label);
        if label == "2025" {
            assert_eq!(differing, ["by_category.employment_military"]);
        }
    }
    // Each sample year holds 300 cases, reported in that year; its halves add up to it.
    for y in YEARS {
        let s = json(&site.join(y).join("data/summary.json"));
        assert_eq!(s["cases"]["total"], 300, "{y}");
        assert_eq!(s["rows"]["counted"], 2100, "{y}");
        assert_eq!(s["rows"]["outside_period"], 1800, "{y}");
    }
    let half = |l: &str| {
        json(&site.join(l).join("data/summary.json"))["cases"]["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(half("2025H1") + half("2025H2"), 300);
}

#[test]
fn each_period_is_compared_with_the_earlier_periods_of_its_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let page = |l: &str| std::fs::read_to_string(site.join(l).join("index.html")).unwrap();
    assert!(!page("2019").contains("Compared with earlier periods"));
    assert!(page("2020").contains("Key figures: 2020 compared with 2019"));
    assert!(page("2025").contains("Key figures: 2025 compared with 2024"));
    assert!(!page("2025H1").contains("Compared with earlier periods"));
    assert!(page("2025H2").contains("Key figures: 2025H2 compared with 2025H1"));
    // The comparison is made from the export, with no `history` in any config: the manifest
    // names the earlier periods of the site it was set against.
    let m = json(&site.join("2025/manifest.json"));
    let names: Vec<&str> = m["settings"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "2019/data/summary.json",
            "2020/data/summary.json",
            "2021/data/summary.json",
            "2022/data/summary.json",
            "2023/data/summary.json",
            "2024/data/summary.json"
        ]
    );
    let history = std::fs::read_to_string(site.join("2025/data/history.csv")).unwrap();
    assert!(history.contains("2024"), "{history}");
}

#[test]
fn the_index_shows_each_periods_published_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    let labels = [&YEARS[..], &["2025H1", "2025H2"]].concat();
    let summaries: Vec<Value> = labels
        .iter()
        .map(|l| json(&site.join(l).join("data/summary.json")))
        .collect();
    let received = index_row(&html, "series-key-figures", "Cases received");
    let expected: Vec<String> = summaries
        .iter()
        .map(|s| s["cases"]["total"].to_string())
        .collect();
    assert_eq!(received, expected);
    assert_eq!(&received[..7], ["300"; 7]);
    // A withheld cell reads as in the reports; a published one is the period's figure.
    let group = index_row(&html, "series-by-group", "Other conduct rules");
    for (cell, s) in group.iter().zip(&summaries) {
        match &s["by_category_group"]["conduct"] {
            Value::Null => assert!(cell == "&lt; 3" || cell == "suppressed", "{cell}"),
            v => assert_eq!(cell, &v.to_string()),
        }
    }
    for l in &labels {
        assert!(
            html.contains(&format!("<a href=\"{l}/index.html\">{l}</a>")),
            "{l}"
        );
    }
    // The charts: cases received and resolved, and the groups, each with its text alternative.
    assert!(html.contains("id=\"figure-history\""));
    assert!(html.contains("id=\"figure-series-groups\""));
    let groups_2019 = json(&site.join("2019/data/summary.json"))["by_category_group"].clone();
    assert!(html.contains(&format!(
        "2019: Harassment on protected grounds {}, Other conduct rules {}.",
        groups_2019["harassment"], groups_2019["conduct"]
    )));
    // The long table holds the same figure for every period.
    let csv = std::fs::read_to_string(site.join("data/figures.csv")).unwrap();
    assert!(csv.starts_with("period,table,key,value\n"));
    for (l, s) in labels.iter().zip(&summaries) {
        let line = format!("{l},cases,total,{}\n", s["cases"]["total"]);
        assert!(csv.contains(&line), "{line}");
    }
    // A figure the export does not record has no row (the fixture has no handled_by).
    assert!(!csv.contains(",by_handler,"));
    let m = json(&site.join("manifest.json"));
    assert_eq!(m["spec"], SPEC);
    assert_eq!(m["periods"].as_array().unwrap().len(), 9);
    assert_eq!(m["periods"][7]["kind"], "half_year");
}

#[test]
fn the_site_verifies_and_a_changed_file_is_named_by_period_and_file() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let input = export();
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", "--report", "site"];
        args.extend_from_slice(extra);
        run(tmp.path(), &args)
    };
    let o = verify(&["--input", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("9 periods rebuilt from the export"));

    let path = site.join("2022/data/categories.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen(",1", ",2", 1)).unwrap();
    let o = verify(&["--input", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        said.contains("period 2022: data/categories.csv differs from a fresh build"),
        "{said}"
    );
    // Without the export, the hashes name it too.
    let o = verify(&[]);
    assert_eq!(o.status.code(), Some(1));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        said.contains("period 2022: data/categories.csv was changed after it was published"),
        "{said}"
    );
}

#[test]
fn a_site_is_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let a = snapshot(&build_site(tmp.path(), "a"));
    let b = snapshot(&build_site(tmp.path(), "b"));
    assert_eq!(a, b);
}

#[test]
fn bad_specs_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let input = export();
    for (spec, said) in [
        ("2025H3", "a year has two halves"),
        ("2024..2025H1", "one kind"),
        ("FY2025", "needs `[period] start`"),
        ("2025,2025", "named twice"),
    ] {
        let o = run(
            tmp.path(),
            &[
                "build",
                "--input",
                input.to_str().unwrap(),
                "--periods",
                spec,
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{spec}");
        assert!(stderr(&o).contains(said), "{spec}: {}", stderr(&o));
    }
    let o = run(
        tmp.path(),
        &[
            "build",
            "--input",
            input.to_str().unwrap(),
            "--periods",
            "2025",
            "--year",
            "2025",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn a_site_replaces_a_folder_of_reports_but_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    // An output/ of an earlier single-period build is replaced by the site.
    build_single(tmp.path(), "output/2024", &["--year", "2024"]);
    let input = export();
    let o = run(
        tmp.path(),
        &[
            "build",
            "--input",
            input.to_str().unwrap(),
            "--periods",
            "2024..2025",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tmp.path().join("output/manifest.json").is_file());
    assert!(tmp.path().join("output/2025/index.html").is_file());
    // A folder with someone's own files is left alone.
    std::fs::create_dir_all(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "mine").unwrap();
    let o = run(
        tmp.path(),
        &[
            "build",
            "--input",
            input.to_str().unwrap(),
            "--periods",
            "2025",
            "--out",
            "mine",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_year_and_its_halves_give_no_withheld_cell_away() {
    let tmp = tempfile::tempdir().unwrap();
    let cell =
        |dir: &Path, key: &str| json(&dir.join("data/summary.json"))["by_category"][key].clone();
    // Built alone, 2025 publishes 5 cases citing the socioeconomic section, its first half 3
    // and its second half "< 3": together they say the second half had 2.
    let year = build_single(tmp.path(), "single/2025", &["--year", "2025"]);
    let h1 = build_single(
        tmp.path(),
        "single/h1",
        &["--from", "2025-01-01", "--to", "2025-06-30"],
    );
    let h2 = build_single(
        tmp.path(),
        "single/h2",
        &["--from", "2025-07-01", "--to", "2025-12-31"],
    );
    assert_eq!(cell(&year, "socioeconomic"), 5);
    assert_eq!(cell(&h1, "socioeconomic"), 3);
    assert_eq!(cell(&h2, "socioeconomic"), Value::Null);
    // In one site, the first half's 3 is withheld too, as a complementary cell.
    let site = build_site(tmp.path(), "site");
    assert_eq!(cell(&site.join("2025"), "socioeconomic"), 5);
    assert_eq!(cell(&site.join("2025H1"), "socioeconomic"), Value::Null);
    assert_eq!(cell(&site.join("2025H2"), "socioeconomic"), Value::Null);
    let d = json(&site.join("2025H1/data/disclosure.json"));
    assert!(d["withheld_to_protect_cells"]
        .as_array()
        .unwrap()
        .contains(&Value::from("by_category.socioeconomic")));
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert_eq!(
        index_row(&html, "series-by-section", "Socioeconomic status")[6..],
        ["5", "suppressed", "&lt; 3"]
    );
}

#[test]
fn the_comparison_covers_groups_and_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let history = std::fs::read_to_string(site.join("2025/data/history.csv")).unwrap();
    // 2025 against 2024: harassment 202 from 193 (+9, +4.6632%), other conduct rules 115
    // from 126 (-11, -8.7302%); a section withheld in 2025 ("other", < 3) has no change.
    for line in [
        "2025,2025-01-01,2025-12-31,by_category_group.harassment,Harassment on protected grounds,202,9,4.6632\n",
        "2025,2025-01-01,2025-12-31,by_category_group.conduct,Other conduct rules,115,-11,-8.7302\n",
        "2025,2025-01-01,2025-12-31,by_category.other,Other breach of the Code,,,\n",
    ] {
        assert!(history.contains(line), "{line}");
    }
    // 2025H2 against 2025H1: a section published in H2 (0) beside one withheld in H1.
    let h2 = std::fs::read_to_string(site.join("2025H2/data/history.csv")).unwrap();
    assert!(h2
        .contains("2025H2,2025-07-01,2025-12-31,by_category.other,Other breach of the Code,0,,\n"));
    let page = std::fs::read_to_string(site.join("2025/index.html")).unwrap();
    assert!(page.contains("Cases by group of sections: 2025 compared with 2024"));
    assert!(page.contains("Cases by section of the Code of Conduct: 2025 compared with 2024"));
}

#[test]
fn verify_audits_the_withheld_cells_across_the_periods() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let verify = || run(tmp.path(), &["verify", "--report", "site"]);
    // As built: the site audit from the published files (no export) pins nothing (partly
    // verified: the figures against the export are not checked).
    let o = verify();
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(3), "{said}");
    assert!(
        said.contains("the withheld cells stay protected across the periods"),
        "{said}"
    );
    // Publish the year's employment_military again (4, as a build of 2025 alone has it):
    // with H1's 3, H2's "< 3" is 1.
    let path = site.join("2025/data/summary.json");
    let mut s = json(&path);
    s["by_category"]["employment_military"] = Value::from(4);
    std::fs::write(&path, serde_json::to_vec_pretty(&s).unwrap()).unwrap();
    let o = verify();
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains(
            "period 2025H2: data/summary.json: the periods together give away a withheld cell: by_category.employment_military can be worked out (= 1)"
        ),
        "{said}"
    );
}

/// The tables of cases by a fact of the case, as pointers into `summary.json`.
const ADDITIVE: [&str; 7] = [
    "/by_platform",
    "/by_moderation_level",
    "/by_category",
    "/by_category_group",
    "/by_action",
    "/by_reporter_type",
    "/appeals/by_outcome",
];

/// The independent attacker (`tests/disclosure/attacker.rs`) against the year and its halves
/// as published in `dirs` (label, folder), with the exact counts of `exact`: each table of
/// cases by a fact adds up, cell by cell, over the halves; the level, action and reporter
/// tables and the months add up to the total; a month is the same in the year and its half.
/// Returns the withheld cells it pins, as `label/pointer/key = value`.
fn attack_year_and_halves(dirs: &[(&str, PathBuf)], exact: &Path) -> Vec<String> {
    use attacker::{Known, Lin, Op, Unknown, Q};
    use std::collections::HashMap;
    let mut names: Vec<String> = Vec::new();
    let mut cells: Vec<Unknown> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut rows: Vec<Lin> = Vec::new();
    for (label, dir) in dirs {
        let shown = json(&dir.join("data/summary.json"));
        let ex = json(&exact.join(label).join("data/summary.json"));
        let min = json(&dir.join("data/disclosure.json"))["min_cell"]
            .as_i64()
            .unwrap();
        let total = ex["cases"]["total"].as_i64().unwrap();
        let mut add = |name: String, exact: i64, shown: &Value| {
            let known = match shown.as_i64() {
                Some(v) => {
                    assert_eq!(v, exact, "{name}");
                    Known::Published(v)
                }
                None if (1..min).contains(&exact) => Known::Withheld {
                    lo: 1,
                    hi: min - 1,
                    gap: None,
                },
                None => Known::Withheld {
                    lo: 0,
                    hi: total,
                    gap: Some(min),
                },
            };
            at.insert(name.clone(), cells.len());
            names.push(name);
            cells.push(Unknown { exact, known });
        };
        add(format!("{label}/total"), total, &shown["cases"]["total"]);
        for t in ADDITIVE {
            let (Some(Value::Object(e)), Some(Value::Object(p))) =
                (ex.pointer(t), shown.pointer(t))
            else {
                continue;
            };
            for (k, v) in e {
                if let Some(v) = v.as_i64() {
                    add(format!("{label}{t}/{k}"), v, &p[k]);
                }
            }
        }
        for (e, p) in ex["monthly"]
            .as_array()
            .unwrap()
            .iter()
            .zip(shown["monthly"].as_array().unwrap())
        {
            let m = e["month"].as_str().unwrap();
            add(
                format!("{label}/monthly/{m}"),
                e["reported"].as_i64().unwrap(),
                &p["reported"],
            );
        }
        // Each case has one level, one action, one reporter type (or "unassigned") and one
        // month: those tables add up to the total.
        for t in [
            "/by_moderation_level",
            "/by_action",
            "/by_reporter_type",
            "/monthly",
        ] {
            let prefix = format!("{label}{t}/");
            let mut terms: Vec<(usize, Q)> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.starts_with(&prefix))
                .map(|(i, _)| (i, Q::ONE))
                .collect();
            if terms.is_empty() {
                continue;
            }
            terms.push((at[&format!("{label}/total")], Q::int(-1)));
            rows.push(Lin {
                terms,
                op: Op::Eq,
                rhs: Q::ZERO,
            });
        }
    }
    // The year is its halves, cell by cell; a month is the same month in the year and a half.
    let (year, halves) = (dirs[0].0, [dirs[1].0, dirs[2].0]);
    for (i, name) in names.iter().enumerate() {
        let Some(rest) = name.strip_prefix(&format!("{year}/")) else {
            continue;
        };
        let parts: Vec<Option<usize>> = halves
            .iter()
            .map(|h| at.get(&format!("{h}/{rest}")).copied())
            .collect();
        let mut terms: Vec<(usize, Q)> = parts.iter().flatten().map(|&j| (j, Q::ONE)).collect();
        let month = rest.starts_with("monthly/");
        if terms.is_empty() || (!month && terms.len() < parts.len()) {
            continue;
        }
        terms.push((i, Q::int(-1)));
        rows.push(Lin {
            terms,
            op: Op::Eq,
            rhs: Q::ZERO,
        });
    }
    attacker::pinned(&cells, &rows)
        .into_iter()
        .map(|i| format!("{} = {}", names[i], cells[i].exact))
        .collect()
}

#[test]
fn an_independent_attacker_finds_nothing_across_the_year_and_its_halves() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_site(tmp.path(), "site");
    let input = export();
    let o = run(
        tmp.path(),
        &[
            "build",
            "--input",
            input.to_str().unwrap(),
            "--periods",
            SPEC,
            "--min-cell",
            "0",
            "--out",
            "exact",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let exact = tmp.path().join("exact");
    let labels = ["2025", "2025H1", "2025H2"];
    let in_site: Vec<(&str, PathBuf)> = labels.iter().map(|l| (*l, site.join(l))).collect();
    assert_eq!(
        attack_year_and_halves(&in_site, &exact),
        Vec::<String>::new()
    );
    // Built one by one, the three reports give four cells away (the year's 5 of
    // impersonation less H2's 3 is H1's "< 3"; marital_family likewise; the year's 4 and 5 of
    // employment_military and socioeconomic less H1's 3 are H2's "< 3"): the attacker has
    // teeth.
    let alone: Vec<(&str, PathBuf)> = [
        ("2025", "2025-01-01", "2025-12-31"),
        ("2025H1", "2025-01-01", "2025-06-30"),
        ("2025H2", "2025-07-01", "2025-12-31"),
    ]
    .iter()
    .map(|(l, from, to)| {
        (
            *l,
            build_single(
                tmp.path(),
                &format!("alone/{l}"),
                &["--from", from, "--to", to],
            ),
        )
    })
    .collect();
    assert_eq!(
        attack_year_and_halves(&alone, &exact),
        [
            "2025H1/by_category/impersonation = 2",
            "2025H1/by_category/marital_family = 2",
            "2025H2/by_category/employment_military = 1",
            "2025H2/by_category/socioeconomic = 2"
        ]
    );
}
