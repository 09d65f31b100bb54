//! Earlier published figures imported into a site (`[[site.import]]`): Django's statistics
//! table typed in beside a year built from an export, a summary.json of an earlier schema,
//! the checks on what is imported, and `verify` naming a changed imported file.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, fixtures, json, run, stderr, stdout};
use serde_json::Value;

/// A copy of `tests/fixtures/imports` in `dir`, so the site is written beside it.
fn django_folder(dir: &Path) -> PathBuf {
    let to = dir.join("django");
    copy_dir(&fixtures().join("imports"), &to);
    to
}

fn build_django(dir: &Path) -> PathBuf {
    let o = run(
        dir,
        &[
            "build",
            "--config",
            "report.toml",
            "--periods",
            "2025",
            "--out",
            "site",
        ],
    );
    assert!(o.status.success(), "site build failed: {}", stderr(&o));
    dir.join("site")
}

/// The cells of the row headed `header` in the table `id` of `html`.
fn row_cells(html: &str, id: &str, header: &str) -> Vec<String> {
    let table = &html[html.find(&format!("<table id=\"{id}\"")).expect(id)..];
    let table = &table[..table.find("</table>").unwrap()];
    let row = table
        .lines()
        .find(|l| l.starts_with(&format!("<tr><th scope=\"row\">{header}</th>")))
        .unwrap_or_else(|| panic!("no row {header} in {id}:\n{table}"));
    row.split("<td class=\"num\">")
        .skip(1)
        // Tera writes "/" as a character reference.
        .map(|c| c[..c.find("</td>").unwrap()].replace("&#x2F;", "/"))
        .collect()
}

const IMPORTED_YEARS: [&str; 10] = [
    "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024",
];

#[test]
fn djangos_published_statistics_stand_in_the_series_marked_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = django_folder(tmp.path());
    let site = build_django(&dir);

    // The series: the years Django published (statistics.md), then 2025 built from the export
    // (CoC-25-01 to CoC-25-04: four reports, four people, all decided within the year).
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let mut columns: Vec<String> = IMPORTED_YEARS.iter().map(|y| format!("{y}†")).collect();
    columns.push("2025".into());
    for c in &columns {
        assert!(
            index.contains(&format!("<th scope=\"col\" class=\"num\">{c}</th>")),
            "{c}"
        );
    }
    assert_eq!(
        row_cells(&index, "series-key-figures", "Reports received"),
        ["11", "13", "13", "6", "1", "4", "6", "2", "4", "10", "4"]
    );
    assert_eq!(
        row_cells(&index, "series-key-figures", "People named"),
        ["14", "10", "6", "4", "0", "1", "1", "1", "4", "9", "4"]
    );
    // Django published no count of decisions: n/a, never 0.
    let resolved = row_cells(&index, "series-key-figures", "Resolved by the period end");
    assert_eq!(resolved[..10], ["n/a"; 10]);
    assert_eq!(resolved[10], "4");
    // "Actions taken by local reps" up to 2022; the 2026 table's years, which did not type
    // it in, are left out of the table.
    let local = row_cells(
        &index,
        "series-by-handler",
        "Local representatives (online moderators, event organisers)",
    );
    assert_eq!(local, ["6", "11", "7", "6", "0", "1", "2", "1", "1"]);
    let none = row_cells(&index, "series-by-action", "No action taken");
    assert_eq!(none, ["4", "1", "1", "0", "0", "0", "2", "0", "1"]);
    // The mark is explained, with where each year was published.
    assert!(index.contains(
        "† Imported from the published report, not rebuilt from the export: 2015 to 2022 (Django&#x27;s statistics.md, last updated 24 March 2023); 2023 to 2024 (Django&#x27;s statistics.md of 10 February 2026)."
    ), "{index}");
    assert!(index.contains("1 report built from the export and 10 earlier periods imported"));
    // A series none of the imported years published shows only the year built.
    let groups = &index[index.find("<table id=\"series-by-group\"").unwrap()..];
    let groups = &groups[..groups.find("</table>").unwrap()];
    assert!(
        !groups.contains("2015†") && groups.contains(">2025</th>"),
        "{groups}"
    );
    assert!(index.contains("<a href=\"imported/statistics-2023-03-24.csv\">2015†</a>"));

    // The long table: imported rows marked, what Django did not publish has no row.
    let csv = std::fs::read_to_string(site.join("data/figures.csv")).unwrap();
    assert!(csv.starts_with("period,table,key,value,source\n"));
    for line in [
        "2015,cases,total,11,imported\n",
        "2015,people,named,14,imported\n",
        "2016,by_handler,local_event_reps,11,imported\n",
        "2021,by_action,no_action,2,imported\n",
        "2024,cases,total,10,imported\n",
        "2025,cases,total,4,built\n",
    ] {
        assert!(csv.contains(line), "{line}");
    }
    for absent in [
        "2015,cases,resolved",
        "2023,by_action,",
        "2019,by_category,",
    ] {
        assert!(!csv.contains(absent), "{absent}");
    }

    // The files are copied and hashed; the site's manifest names them apart.
    let m = json(&site.join("manifest.json"));
    let imported = m["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 2);
    assert_eq!(imported[0]["path"], "imported/statistics-2023-03-24.csv");
    assert_eq!(imported[0]["periods"].as_array().unwrap().len(), 8);
    assert_eq!(imported[1]["periods"], serde_json::json!(["2023", "2024"]));
    assert_eq!(
        std::fs::read(site.join("imported/statistics-2026-02-10.csv")).unwrap(),
        std::fs::read(dir.join("published/statistics-2026-02-10.csv")).unwrap()
    );
    // 2025 is compared with 2024 as Django published it.
    let page = std::fs::read_to_string(site.join("2025/index.html")).unwrap();
    assert!(page.contains("2025 compared with 2024"), "{page}");
    assert!(
        page.contains("<p>Not built from the export but imported from the reports that published them: 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023 and 2024. A figure such a report did not publish is n&#x2F;a.</p>"),
        "{page}"
    );
    let history = json(&site.join("2025/manifest.json"))["settings"]["history"].clone();
    assert!(
        history
            .to_string()
            .contains("imported/statistics-2026-02-10.csv"),
        "{history}"
    );
}

#[test]
fn verify_names_a_changed_imported_file_as_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = django_folder(tmp.path());
    let site = build_django(&dir);
    let verify = |args: &[&str]| run(&dir, args);
    let o = verify(&["verify", "--report", "site", "--config", "report.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));

    let copy = site.join("imported/statistics-2023-03-24.csv");
    let text = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(&copy, text.replace("2016,13,10", "2016,12,10")).unwrap();
    let o = verify(&["verify", "--report", "site", "--config", "report.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        said.contains("imported file imported/statistics-2023-03-24.csv changed after the site was published (its SHA-256 no longer matches manifest.json); the figures of 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022 come from it"),
        "{said}"
    );
    assert!(
        said.contains("imported file imported/statistics-2023-03-24.csv differs from the file the settings import"),
        "{said}"
    );
    assert!(!said.contains("the site's imported/"), "{said}");
    // Without the export (no settings here), the hash alone names it.
    let o = run(tmp.path(), &["verify", "--report", "django/site"]);
    assert_eq!(o.status.code(), Some(1));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        said.contains("imported file imported/statistics-2023-03-24.csv changed"),
        "{said}"
    );
}

/// A folder with `report.toml` (`config`) and the files `files`, for a site of the
/// synthetic seven-year export.
fn periods_folder(dir: &Path, config: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let to = dir.join("r");
    std::fs::create_dir_all(&to).unwrap();
    std::fs::write(to.join("report.toml"), config).unwrap();
    for (name, bytes) in files {
        let p = to.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    to
}

fn build_periods(dir: &Path, spec: &str) -> std::process::Output {
    let input = fixtures().join("periods/cases.csv");
    run(
        dir,
        &[
            "build",
            "--config",
            "report.toml",
            "--input",
            input.to_str().unwrap(),
            "--periods",
            spec,
            "--out",
            "site",
        ],
    )
}

#[test]
fn an_earlier_summary_json_of_schema_1_is_imported_as_published() {
    let tmp = tempfile::tempdir().unwrap();
    let summary =
        std::fs::read(common::root().join("sample_data/history/summary-2023.json")).unwrap();
    let dir = periods_folder(
        tmp.path(),
        "[[site.import]]\nfile = \"old/summary-2023.json\"\n",
        &[("old/summary-2023.json", &summary)],
    );
    let o = build_periods(&dir, "2024..2025");
    assert!(o.status.success(), "{}", stderr(&o));
    let site = dir.join("site");
    let published: Value = serde_json::from_slice(&summary).unwrap();
    assert_eq!(published["schema_version"], 1);
    let total = published["cases"]["total"].as_u64().unwrap();
    let resolved = published["cases"]["resolved"].as_u64().unwrap();
    let csv = std::fs::read_to_string(site.join("data/figures.csv")).unwrap();
    assert!(csv.contains(&format!("2023,cases,total,{total},imported\n")));
    assert!(csv.contains(&format!("2023,cases,resolved,{resolved},imported\n")));
    assert!(csv.contains("2024,cases,total,300,built\n"), "{csv}");
    // The copy is named by its period and is the file as published.
    assert_eq!(
        std::fs::read(site.join("imported/2023.json")).unwrap(),
        summary
    );
    let page = std::fs::read_to_string(site.join("2024/index.html")).unwrap();
    assert!(page.contains("2024 compared with 2023"));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert_eq!(
        row_cells(&index, "series-key-figures", "Cases received")[0],
        total.to_string()
    );
}

/// The error of a site build with `config` and `files`, which must fail with exit 2.
fn refused(config: &str, files: &[(&str, &[u8])], spec: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let dir = periods_folder(tmp.path(), config, files);
    let o = build_periods(&dir, spec);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!dir.join("site").exists());
    stderr(&o)
}

#[test]
fn what_cannot_be_imported_is_named_with_file_and_line() {
    let wide = "[[site.import]]\nfile = \"p/stats.csv\"\n";
    let e = refused(
        wide,
        &[("p/stats.csv", b"Year,cases.total\n2016,13\n2017,-1\n")],
        "2025",
    );
    assert!(
        e.contains("imported figures ")
            && e.contains("stats.csv:3: cases.total of 2017: `-1` is negative"),
        "{e}"
    );
    let e = refused(
        wide,
        &[("p/stats.csv", b"Year,cases.total\n2016,2.5\n")],
        "2025",
    );
    assert!(
        e.contains("stats.csv:2: cases.total of 2016: `2.5` is not a whole number"),
        "{e}"
    );
    let e = refused(wide, &[("p/stats.csv", b"Year,Reports\n2016,13\n")], "2025");
    assert!(
        e.contains("stats.csv:1: column `Reports` is not a figure: map it to one in `columns`"),
        "{e}"
    );
    let e = refused(
        wide,
        &[("p/stats.csv", b"Year,by_action.ban\n2016,1\n")],
        "2025",
    );
    assert!(
        e.contains(
            "stats.csv:1: column `by_action.ban`: `ban` is not a figure of table `by_action`"
        ),
        "{e}"
    );
    let long = "[[site.import]]\nfile = \"p/figures.csv\"\n";
    let e = refused(
        long,
        &[(
            "p/figures.csv",
            b"period,table,key,value\n2016,cases,total,13\n2016,by_categry,age,1\n",
        )],
        "2025",
    );
    assert!(
        e.contains("figures.csv:3: `by_categry` is not a table of the report"),
        "{e}"
    );
    let e = refused(
        long,
        &[(
            "p/figures.csv",
            b"period,table,key,value\n2016,cases,total,13\n2016,cases,total,14\n",
        )],
        "2025",
    );
    assert!(
        e.contains("figures.csv:3: cases.total of 2016 is given twice (first on line 2)"),
        "{e}"
    );
    // A period the site builds, or one overlapping it, is not imported as well.
    let e = refused(
        long,
        &[(
            "p/figures.csv",
            b"period,table,key,value\n2025,cases,total,13\n",
        )],
        "2024..2025",
    );
    assert!(
        e.contains("period 2025 is imported and also built from the export (--periods)"),
        "{e}"
    );
    let e = refused(
        long,
        &[(
            "p/figures.csv",
            b"period,table,key,value\n2025H1,cases,total,13\n",
        )],
        "2025",
    );
    assert!(
        e.contains("the imported period 2025H1 (2025-01-01 to 2025-06-30) overlaps period 2025 (2025-01-01 to 2025-12-31), built from the export"),
        "{e}"
    );
}

#[test]
#[ignore = "needs Chromium and the npm modules of tests/browser; .ci/run runs it with --ignored"]
fn the_site_index_with_imported_years_passes_axe_in_a_real_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = django_folder(tmp.path());
    let site = build_django(&dir);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots-imported-site");
    let o = std::process::Command::new("node")
        .arg(common::root().join("tests/browser/a11y.mjs"))
        .arg(site.join("index.html"))
        .arg(&shots)
        .output()
        .expect("node is installed (.ci/run installs the browser test's modules)");
    println!("{}", stdout(&o));
    assert!(
        o.status.success(),
        "browser check of the site's index failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(shots.join("light.png").is_file() && shots.join("dark.png").is_file());
}
