//! SPEC §7 checked from outside the build's own audit: no withheld cell of a published report
//! can be worked out by linear reasoning.
//!
//! The attacker here shares no code with `suppress`: it reads the published files
//! (`summary.json`, `incidents.json`, `dsa_summary.csv`), builds its own constraints from
//! them and from what it knows about the export's rows, and solves them with its own exact
//! rational simplex (`disclosure/attacker.rs`).

#[path = "disclosure/attacker.rs"]
mod attacker;
mod common;
#[path = "disclosure/generate.rs"]
mod generate;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use attacker::{Known, Lin, Op, Unknown, Q};
use serde_json::Value;
use transparency_report::commands::build::{compute, Options, Plan};
use transparency_report::error::Error;

type Files = BTreeMap<String, Vec<u8>>;

/// Builds in memory, as `build` would publish.
fn build(csv: &Path, config: &Path, min: u64) -> Result<Files, Error> {
    let out = csv.with_file_name(format!("out{min}"));
    let plan = Plan::resolve(&Options {
        inputs: vec![csv.to_path_buf()],
        config: Some(config.to_path_buf()),
        min_cell: Some(min),
        out: Some(out),
        ..Options::default()
    })?;
    Ok(compute(&plan)?.files)
}

fn json(files: &Files, name: &str) -> Option<Value> {
    files
        .get(name)
        .map(|b| serde_json::from_slice(b).expect("valid JSON"))
}

fn text(files: &Files, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

/// What a reader may know about the rows of the period beyond the published figures.
#[derive(Debug, Default)]
struct Facts {
    /// Per group: no case (incident) cites two of its sections.
    one_section_per_case: BTreeMap<String, bool>,
    one_section_per_incident: BTreeMap<String, bool>,
    /// Every case (incident) falls in exactly one group.
    one_group_per_case: bool,
    one_group_per_incident: bool,
    /// A case has a level (an action) exactly when it has a decision.
    level_iff_decided: bool,
    action_iff_decided: bool,
    /// Every appeal upheld, overturned or modified has a decision date.
    outcomes_dated: bool,
    /// Cases with an appeal decision date, and with an acknowledgement: the values behind
    /// two medians.
    appeals_dated: i64,
    acknowledged: i64,
}

/// The facts of an export's 2025 rows; `group_of`: section → group.
fn facts(csv: &str, group_of: &HashMap<String, String>) -> Facts {
    facts_of_year(csv, group_of, "2025")
}

/// The facts of an export's rows reported in `year`; a column the export lacks reads as
/// empty in every row, as the loader counts it.
fn facts_of_year(csv: &str, group_of: &HashMap<String, String>, year: &str) -> Facts {
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (rep, cat, lvl, act, res, inc) = (
        col("reported_at").unwrap(),
        col("category").unwrap(),
        col("moderation_level"),
        col("action"),
        col("resolved_at"),
        col("incident_id"),
    );
    let (outcome, decided_at, ack) = (
        col("appeal_outcome"),
        col("appeal_decided_at"),
        col("acknowledged_at"),
    );
    let at = |row: &csv::StringRecord, c: Option<usize>| -> String {
        c.map_or(String::new(), |c| row[c].trim().to_string())
    };
    let mut cases: Vec<Vec<String>> = Vec::new();
    let mut incidents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut f = Facts {
        level_iff_decided: true,
        action_iff_decided: true,
        outcomes_dated: true,
        ..Facts::default()
    };
    for (i, row) in r.records().enumerate() {
        let row = row.unwrap();
        if !row[rep].trim().starts_with(year) {
            continue;
        }
        let cited: Vec<String> = row[cat]
            .split(';')
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        let decided = !at(&row, res).is_empty();
        f.level_iff_decided &= at(&row, lvl).is_empty() != decided;
        f.action_iff_decided &= at(&row, act).is_empty() != decided;
        f.appeals_dated += i64::from(!at(&row, decided_at).is_empty());
        f.acknowledged += i64::from(!at(&row, ack).is_empty());
        let o = at(&row, outcome).to_lowercase();
        if ["upheld", "overturned", "modified"].contains(&o.as_str()) {
            f.outcomes_dated &= !at(&row, decided_at).is_empty();
        }
        let key = match inc.map(|c| row[c].trim()) {
            Some(id) if !id.is_empty() => format!("id:{id}"),
            _ => format!("row:{i}"),
        };
        let e = incidents.entry(key).or_default();
        for s in &cited {
            if !e.contains(s) {
                e.push(s.clone());
            }
        }
        cases.push(cited);
    }
    let groups: Vec<&String> = {
        let mut g: Vec<&String> = group_of.values().collect();
        g.sort();
        g.dedup();
        g
    };
    let in_group = |cited: &[String], g: &str| {
        cited
            .iter()
            .filter(|s| group_of.get(*s).is_some_and(|x| x == g))
            .count()
    };
    let spans = |cited: &[String]| groups.iter().filter(|g| in_group(cited, g) > 0).count();
    for g in &groups {
        f.one_section_per_case
            .insert((*g).clone(), cases.iter().all(|c| in_group(c, g) <= 1));
        f.one_section_per_incident.insert(
            (*g).clone(),
            incidents.values().all(|c| in_group(c, g) <= 1),
        );
    }
    f.one_group_per_case = cases.iter().all(|c| spans(c) == 1);
    f.one_group_per_incident = incidents.values().all(|c| spans(c) == 1);
    f
}

/// Section → group, as `data/categories.csv` lists them.
fn groups(files: &Files) -> HashMap<String, String> {
    let mut r = csv::Reader::from_reader(files["data/categories.csv"].as_slice());
    r.records()
        .map(|row| {
            let row = row.unwrap();
            (row[2].to_string(), row[0].to_string())
        })
        .collect()
}

/// The counts a reader can see, by name: a JSON pointer into `summary.json`, or
/// `inc` + a pointer into `incidents.json`.
struct Cells {
    names: Vec<String>,
    index: HashMap<String, usize>,
    cells: Vec<Unknown>,
}

fn keys(v: &Value, pointer: &str) -> Vec<String> {
    v.pointer(pointer)
        .and_then(Value::as_object)
        .map(|o| o.keys().map(|k| format!("{pointer}/{k}")).collect())
        .unwrap_or_default()
}

fn count_pointers(s: &Value) -> Vec<String> {
    let mut out: Vec<String> = [
        "/cases/total",
        "/cases/resolved",
        "/cases/open_at_period_end",
        // Cases of earlier periods decided in this one: tied to no other figure.
        "/cases/carried_over",
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
        "/people/named",
    ]
    .map(String::from)
    .to_vec();
    for t in [
        "/by_platform",
        "/by_moderation_level",
        "/by_category",
        "/by_category_group",
        "/by_action",
        "/by_reporter_type",
        "/by_channel",
        "/by_referral",
        "/by_handler",
        "/people/by_action",
        "/resolution_days/histogram",
        "/appeals/by_outcome",
    ] {
        out.extend(keys(s, t));
    }
    for k in keys(s, "/resolution_days/by_moderation_level") {
        out.push(format!("{k}/count"));
    }
    for i in 0..s["monthly"].as_array().map_or(0, Vec::len) {
        out.push(format!("/monthly/{i}/reported"));
        out.push(format!("/monthly/{i}/resolved"));
    }
    out
}

/// One export's report as a reader sees it, and the exact figures behind it.
struct Report {
    exact: Value,
    published: Value,
    inc_exact: Option<Value>,
    inc_published: Option<Value>,
    dsa: String,
    min: i64,
}

impl Report {
    fn value(v: &Value, inc: Option<&Value>, name: &str) -> Option<Value> {
        match name.strip_prefix("inc") {
            Some(p) => inc.and_then(|i| i.pointer(p)).cloned(),
            None => v.pointer(name).cloned(),
        }
    }

    fn cells(&self) -> Cells {
        let mut names = count_pointers(&self.exact);
        if let Some(i) = &self.inc_exact {
            names.push("inc/incidents".into());
            for t in [
                "/by_category",
                "/by_category_group",
                "/by_action",
                "/by_handler",
                "/by_platform",
                "/by_moderation_level",
                "/by_reporter_type",
            ] {
                names.extend(keys(i, t).into_iter().map(|k| format!("inc{k}")));
            }
        }
        // A count with no value even in the exact build rests on a column the export lacks:
        // never published, and the reader knows nothing of it (no row can use it).
        names.retain(|n| {
            Self::value(&self.exact, self.inc_exact.as_ref(), n).is_some_and(|v| v.is_i64())
                || !self.exact["not_recorded"].is_array()
        });
        let total = self.exact["cases"]["total"].as_i64().unwrap();
        let cells = names
            .iter()
            .map(|n| {
                let exact = Self::value(&self.exact, self.inc_exact.as_ref(), n)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_else(|| panic!("{n} has no exact value"));
                let shown = Self::value(&self.published, self.inc_published.as_ref(), n);
                let known = match shown.as_ref().and_then(Value::as_i64) {
                    Some(v) => {
                        assert_eq!(v, exact, "{n} is published with another value");
                        Known::Published(v)
                    }
                    // "< N": 1 to N − 1.
                    None if (1..self.min).contains(&exact) => Known::Withheld {
                        lo: 1,
                        hi: self.min - 1,
                        gap: None,
                    },
                    // "suppressed": 0, or at least N (else it would read "< N").
                    None => Known::Withheld {
                        lo: 0,
                        hi: total,
                        gap: Some(self.min),
                    },
                };
                Unknown { exact, known }
            })
            .collect();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        Cells {
            names,
            index,
            cells,
        }
    }
}

/// The attacker's constraints, built here from the published files and the row facts.
struct Knowledge<'a> {
    c: &'a Cells,
    rows: Vec<Lin>,
}

impl Knowledge<'_> {
    fn terms(&self, plus: &[String], minus: &[String]) -> Option<Vec<(usize, Q)>> {
        let mut t = Vec::new();
        for (names, q) in [(plus, Q::ONE), (minus, -Q::ONE)] {
            for n in names {
                t.push((*self.c.index.get(n)?, q));
            }
        }
        Some(t)
    }

    fn exact(&self, names: &[String]) -> i64 {
        names
            .iter()
            .map(|n| self.c.cells[self.c.index[n]].exact)
            .sum()
    }

    /// `Σ plus = Σ minus`.
    fn equal(&mut self, plus: &[String], minus: &[String]) {
        // An empty side is a table that is not published (its column is not recorded).
        if plus.is_empty() || minus.is_empty() {
            return;
        }
        if let Some(terms) = self.terms(plus, minus) {
            self.rows.push(Lin {
                terms,
                op: Op::Eq,
                rhs: Q::ZERO,
            });
        }
    }

    /// `Σ small ≤ Σ big`, an equation where the exact figures make it one.
    fn at_most(&mut self, small: &[String], big: &[String]) {
        if small.is_empty() || big.is_empty() {
            return;
        }
        let Some(terms) = self.terms(small, big) else {
            return;
        };
        let (a, b) = (self.exact(small), self.exact(big));
        assert!(a <= b, "{small:?} ≤ {big:?} fails in the exact figures");
        self.rows.push(Lin {
            terms,
            op: if a == b { Op::Eq } else { Op::Le },
            rhs: Q::ZERO,
        });
    }

    fn bound(&mut self, name: &str, op: Op, value: i64) {
        if let Some(&i) = self.c.index.get(name) {
            self.rows.push(Lin {
                terms: vec![(i, Q::ONE)],
                op,
                rhs: Q::int(value),
            });
        }
    }

    /// `num / den` published as `rate` to 4 decimals: `num − q · den` on either side of 0.
    fn ratio(&mut self, num: &[String], den: &[String], rate: &Value) {
        let Some(r) = rate.as_f64() else { return };
        let r = Q::new((r * 10_000.0).round() as i128, 10_000);
        let half = Q::new(1, 20_000);
        for (q, op) in [(r + half, Op::Le), (r - half, Op::Ge)] {
            let mut terms: BTreeMap<usize, Q> = BTreeMap::new();
            for n in num {
                let e = terms.entry(self.c.index[n]).or_insert(Q::ZERO);
                *e = *e + Q::ONE;
            }
            for n in den {
                let e = terms.entry(self.c.index[n]).or_insert(Q::ZERO);
                *e = *e - q;
            }
            self.rows.push(Lin {
                terms: terms.into_iter().collect(),
                op,
                rhs: Q::ZERO,
            });
        }
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn knowledge(
    report: &Report,
    cells: &Cells,
    facts: &Facts,
    group_of: &HashMap<String, String>,
) -> Vec<Lin> {
    let e = &report.exact;
    let p = &report.published;
    let mut k = Knowledge {
        c: cells,
        rows: Vec::new(),
    };
    let total = s(&["/cases/total"]);
    let res_count = s(&["/resolution_days/count"]);
    let filed = s(&["/appeals/filed"]);
    // Tables that split the cases, the decided cases or the appeals.
    k.equal(
        &s(&["/cases/resolved", "/cases/open_at_period_end"]),
        &total,
    );
    for t in [
        "/by_platform",
        "/by_moderation_level",
        "/by_action",
        "/by_reporter_type",
        "/by_channel",
        "/by_referral",
        "/by_handler",
    ] {
        k.equal(&keys(e, t), &total);
    }
    // People: no more than the cases, each under at least one action, and an action's
    // people no more than its cases or the people named.
    let named = s(&["/people/named"]);
    let people_by_action = keys(e, "/people/by_action");
    k.at_most(&named, &total);
    k.at_most(&named, &people_by_action);
    for p in &people_by_action {
        let key = p.rsplit('/').next().unwrap_or_default();
        k.at_most(std::slice::from_ref(p), &named);
        k.at_most(std::slice::from_ref(p), &[format!("/by_action/{key}")]);
    }
    let months = e["monthly"].as_array().map_or(0, Vec::len);
    let monthly =
        |f: &str| -> Vec<String> { (0..months).map(|i| format!("/monthly/{i}/{f}")).collect() };
    k.equal(&monthly("reported"), &total);
    k.equal(&monthly("resolved"), &s(&["/cases/resolved"]));
    // A case is resolved after it is reported: by any month's end, no more resolved than
    // reported. (Never an equation: that every case so far was resolved is not something a
    // reader could know.)
    for m in 1..=months {
        if let Some(terms) = k.terms(&monthly("resolved")[..m], &monthly("reported")[..m]) {
            k.rows.push(Lin {
                terms,
                op: Op::Le,
                rhs: Q::ZERO,
            });
        }
    }
    k.equal(&keys(e, "/resolution_days/histogram"), &res_count);
    k.equal(&keys(e, "/appeals/by_outcome"), &filed);
    k.equal(&s(&["/appeals/eligible", "/appeals/not_eligible"]), &filed);
    k.equal(
        &s(&[
            "/appeals/timely",
            "/appeals/late",
            "/appeals/window_unknown",
        ]),
        &filed,
    );
    k.equal(
        &s(&["/suspensions/temporary"]),
        &s(&["/by_action/temporary_suspension"]),
    );
    k.equal(
        &s(&["/suspensions/full"]),
        &s(&["/by_action/full_suspension"]),
    );
    // Decided cases by level, and the decided cases.
    let res_levels: Vec<String> = keys(e, "/resolution_days/by_moderation_level")
        .into_iter()
        .map(|l| format!("{l}/count"))
        .collect();
    for l in &res_levels {
        let level = l
            .trim_start_matches("/resolution_days/by_moderation_level/")
            .trim_end_matches("/count");
        k.at_most(
            std::slice::from_ref(l),
            &[format!("/by_moderation_level/{level}")],
        );
    }
    k.at_most(&res_levels, &res_count);
    k.at_most(&s(&["/cases/resolved"]), &res_count);
    for c in [
        "/appeals/filed",
        "/suspensions/interim",
        "/acknowledgement/met",
    ] {
        k.at_most(&s(&[c]), &total);
    }
    if facts.level_iff_decided {
        k.equal(
            &s(&["/by_moderation_level/unassigned", "/resolution_days/count"]),
            &total,
        );
    }
    if facts.action_iff_decided {
        k.equal(
            &s(&["/by_action/unassigned", "/resolution_days/count"]),
            &total,
        );
    }
    // Sections and groups, from what the rows say about them.
    let mut group_names: Vec<&String> = group_of.values().collect();
    group_names.sort();
    group_names.dedup();
    for (prefix, whole, per_group, one_group) in [
        (
            "",
            total.clone(),
            &facts.one_section_per_case,
            facts.one_group_per_case,
        ),
        (
            "inc",
            s(&["inc/incidents"]),
            &facts.one_section_per_incident,
            facts.one_group_per_incident,
        ),
    ] {
        if prefix == "inc" && report.inc_exact.is_none() {
            continue;
        }
        let groups: Vec<String> = group_names
            .iter()
            .map(|g| format!("{prefix}/by_category_group/{g}"))
            .collect();
        if one_group {
            k.equal(&whole, &groups);
        } else {
            k.at_most(&whole, &groups);
        }
        for g in &group_names {
            let group = vec![format!("{prefix}/by_category_group/{g}")];
            let sections: Vec<String> = group_of
                .iter()
                .filter(|(_, x)| x == g)
                .map(|(sec, _)| format!("{prefix}/by_category/{sec}"))
                .collect();
            if per_group[*g] {
                k.equal(&group, &sections);
            } else {
                k.at_most(&group, &sections);
            }
            for sec in &sections {
                k.at_most(std::slice::from_ref(sec), &group);
            }
            k.at_most(&group, &whole);
        }
    }
    if report.inc_exact.is_some() {
        k.at_most(&s(&["inc/incidents"]), &total);
        // Each incident got at least one action (or none), one handler (or none), one level
        // (or none) and one reporter type (or none); it may name no platform.
        if let Some(i) = &report.inc_exact {
            for t in [
                "/by_action",
                "/by_handler",
                "/by_moderation_level",
                "/by_reporter_type",
                "/by_platform",
            ] {
                let cells: Vec<String> = keys(i, t).iter().map(|n| format!("inc{n}")).collect();
                if t != "/by_platform" {
                    k.at_most(&s(&["inc/incidents"]), &cells);
                }
                for c in &cells {
                    k.at_most(std::slice::from_ref(c), &s(&["inc/incidents"]));
                }
            }
        }
        for t in [
            "/by_category",
            "/by_category_group",
            "/by_action",
            "/by_handler",
            "/by_platform",
            "/by_moderation_level",
            "/by_reporter_type",
        ] {
            for name in keys(e, t) {
                let inc = format!("inc{name}");
                k.at_most(std::slice::from_ref(&inc), std::slice::from_ref(&name));
                // A section some report cites is cited by at least one incident.
                if k.exact(&[name]) > 0 {
                    k.bound(&inc, Op::Ge, 1);
                }
            }
        }
    }
    // Medians are shown over at least min_cell values (and withheld below).
    let min = report.min;
    for (stat, count) in std::iter::once((
        "/resolution_days/median".to_string(),
        "/resolution_days/count".to_string(),
    ))
    .chain(
        keys(e, "/resolution_days/by_moderation_level")
            .into_iter()
            .map(|l| (format!("{l}/median"), format!("{l}/count"))),
    ) {
        if min > 1 {
            match p.pointer(&stat) {
                Some(v) if !v.is_null() => k.bound(&count, Op::Ge, min),
                _ => k.bound(&count, Op::Le, min - 1),
            }
        }
    }
    // A median over too few values is withheld: then fewer than min_cell appeals were
    // decided (so no more were upheld, overturned or modified, when those are all dated), and
    // fewer than min_cell cases acknowledged (so no more acknowledged in time).
    if min > 1 {
        if p["appeals"]["median_days_to_decision"].is_null() && facts.outcomes_dated {
            let decided = s(&[
                "/appeals/by_outcome/upheld",
                "/appeals/by_outcome/overturned",
                "/appeals/by_outcome/modified",
            ]);
            if let Some(terms) = k.terms(&decided, &[]) {
                k.rows.push(Lin {
                    terms,
                    op: Op::Le,
                    rhs: Q::int(min - 1),
                });
            }
        }
        if p["acknowledgement"]["median_hours"].is_null() {
            k.bound("/acknowledgement/met", Op::Le, min - 1);
        }
    }
    // Rates.
    k.ratio(
        &s(&["/acknowledgement/met"]),
        &total,
        &p["acknowledgement"]["rate"],
    );
    let reversed = s(&[
        "/appeals/by_outcome/overturned",
        "/appeals/by_outcome/modified",
    ]);
    let decided = [reversed.clone(), s(&["/appeals/by_outcome/upheld"])].concat();
    k.ratio(&reversed, &decided, &p["appeals"]["reversal_rate"]);
    // The DSA summary restates sums of cells.
    let dsa_map: BTreeMap<&str, &str> = transparency_report::config::dsa::ALA_CATEGORY_MAP
        .iter()
        .copied()
        .filter(|(sec, _)| group_of.contains_key(*sec))
        .collect();
    let mut r = csv::Reader::from_reader(report.dsa.as_bytes());
    for row in r.records() {
        let row = row.unwrap();
        let Ok(value) = row[3].parse::<i64>() else {
            continue;
        };
        let (section, item) = (&row[0], &row[1]);
        let parts: Vec<String> = match (section, item) {
            ("overview", "cases") => total.clone(),
            ("notices", "received") => {
                s(&["/by_reporter_type/named", "/by_reporter_type/anonymous"])
            }
            ("own_initiative", "cases") => s(&["/by_reporter_type/moderator"]),
            ("notices", "source_unknown") => s(&["/by_reporter_type/unassigned"]),
            ("category", "unmapped") => group_of
                .keys()
                .filter(|sec| !dsa_map.contains_key(sec.as_str()))
                .map(|sec| format!("/by_category/{sec}"))
                .collect(),
            ("category", dsa) => dsa_map
                .iter()
                .filter(|(_, d)| **d == dsa)
                .map(|(sec, _)| format!("/by_category/{sec}"))
                .collect(),
            ("action", "decisions") => s(&["/cases/resolved"]),
            ("measures", action) => vec![format!("/by_action/{action}")],
            ("complaints", "received") => filed.clone(),
            ("complaints", "reversed") => s(&[
                "/appeals/by_outcome/overturned",
                "/appeals/by_outcome/modified",
            ]),
            ("complaints", outcome) => vec![format!("/appeals/by_outcome/{outcome}")],
            ("suspensions", kind) => vec![format!("/suspensions/{kind}")],
            _ => continue,
        };
        if parts.is_empty() {
            assert_eq!(value, 0, "{section}/{item}");
            continue;
        }
        if let Some(terms) = k.terms(&parts, &[]) {
            k.rows.push(Lin {
                terms,
                op: Op::Eq,
                rhs: Q::int(value),
            });
        }
    }
    k.rows
}

/// The names of the withheld cells the attacker pins down.
fn attack(report: &Report, group_of: &HashMap<String, String>, facts: &Facts) -> Vec<String> {
    let cells = report.cells();
    let rows = knowledge(report, &cells, facts, group_of);
    attacker::pinned(&cells.cells, &rows)
        .into_iter()
        .map(|i| format!("{} = {}", cells.names[i], cells.cells[i].exact))
        .collect()
}

fn report(exact: &Files, published: &Files, min: u64) -> Report {
    Report {
        exact: json(exact, "data/summary.json").unwrap(),
        published: json(published, "data/summary.json").unwrap(),
        inc_exact: json(exact, "data/incidents.json"),
        inc_published: json(published, "data/incidents.json"),
        // No DSA file when no DSA map covers the taxonomy.
        dsa: published
            .get("data/dsa_summary.csv")
            .map(|_| text(published, "data/dsa_summary.csv"))
            .unwrap_or_default(),
        min: min as i64,
    }
}

fn withheld(files: &Files) -> (u64, u64) {
    let d = json(files, "data/disclosure.json").unwrap();
    (
        d["withheld_small"].as_u64().unwrap(),
        d["withheld_to_protect"].as_u64().unwrap(),
    )
}

/// The build's audit as a reader without the export runs it (`verify --report DIR` alone):
/// the cells it works out from the published files, and how many withheld cells it audited.
/// It knows fewer relations than the build's audit, so on a report as built it pins none.
fn reader_pins(files: &Files) -> (Vec<String>, usize) {
    use transparency_report::compute::suppress::{reader_audit, Withheld};
    let summary = serde_json::from_slice(&files["data/summary.json"]).unwrap();
    let incidents = files
        .get("data/incidents.json")
        .map(|b| serde_json::from_slice(b).unwrap());
    let withheld = Withheld::from_json(&files["data/disclosure.json"]).unwrap();
    let r = reader_audit(&summary, incidents.as_ref(), &withheld)
        .unwrap_or_else(|e| panic!("the reader's audit cannot run: {e}"));
    let pinned = r
        .audit
        .exposed
        .iter()
        .map(|e| format!("{} = {}", e.cell, e.value))
        .collect();
    (pinned, r.withheld)
}

/// The withheld counts that are cells of their own: the suspension figures restate the
/// action table (withheld with it).
fn cells(r: &Report) -> usize {
    nulls(r)
        .iter()
        .filter(|n| !n.starts_with("/suspensions/") || n.as_str() == "/suspensions/interim")
        .count()
}

fn nulls(r: &Report) -> Vec<String> {
    let cells = r.cells();
    cells
        .names
        .iter()
        .zip(&cells.cells)
        .filter(|(_, c)| matches!(c.known, Known::Withheld { .. }))
        .map(|(n, _)| n.clone())
        .collect()
}

#[test]
fn the_takedown_year_gives_nothing_away() {
    let fx = common::fixtures().join("takedown");
    let (csv, config) = (fx.join("cases.csv"), fx.join("report.toml"));
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(&csv, d.path().join("cases.csv")).unwrap();
    let csv = d.path().join("cases.csv");
    let exact = build(&csv, &config, 0).unwrap();
    let published = build(&csv, &config, 3).unwrap();
    let r = report(&exact, &published, 3);
    // The two ones and the group of one are small; the 5 keeps "age" open (1 or 2 beside
    // 4 or 3), the group of 55 keeps "intimidation" from being 56 − 55.
    assert_eq!(
        nulls(&r),
        [
            "/by_category/age",
            "/by_category/intimidation",
            "/by_category/language",
            "/by_category_group/conduct",
            "/by_category_group/harassment",
        ]
    );
    assert_eq!(withheld(&published), (3, 2));
    let group_of = groups(&exact);
    let facts = facts(&std::fs::read_to_string(&csv).unwrap(), &group_of);
    assert!(facts.one_group_per_case && facts.one_section_per_case["harassment"]);
    assert_eq!(attack(&r, &group_of, &facts), Vec::<String>::new());
    assert_eq!(reader_pins(&published), (Vec::new(), 5));
    let md = text(&published, "report.md");
    assert!(
        md.contains("In this report 3 cells were withheld because they were small, and 2 more cells were withheld to protect them"),
        "{md}"
    );
    assert!(md.contains("found no withheld cell that can be worked out"));

    // Published the way the interval check did (both group totals shown), the issue's
    // subtraction works and the attacker finds it.
    let mut leaky = report(&exact, &published, 3);
    leaky.published["by_category_group"]["harassment"] = 55.into();
    leaky.published["by_category"]["language"] = 5.into();
    assert_eq!(
        attack(&leaky, &group_of, &facts),
        [
            "/by_category/age = 1",
            "/by_category/intimidation = 1",
            "/by_category_group/conduct = 1",
        ]
    );
}

#[test]
fn the_fixtures_publish_no_derivable_cell() {
    // Withheld as small, and to protect them (the incident fixture counts by incident, so its
    // actions by incident add 3 small cells, and its platforms, levels and reporter types by
    // incident 5 more; the one case each carries over from 2024 is a
    // small count too): the interval check withheld 60 + 7 and 82 + 7, and its report gave
    // cells away (below).
    for (fixture, expected) in [("", (61, 6)), ("incidents", (91, 6))] {
        let fx = common::fixtures().join(fixture);
        let d = tempfile::tempdir().unwrap();
        let csv = d.path().join("cases.csv");
        std::fs::copy(fx.join("cases.csv"), &csv).unwrap();
        let config = fx.join("report.toml");
        let exact = build(&csv, &config, 0).unwrap();
        let group_of = groups(&exact);
        let facts = facts(&std::fs::read_to_string(&csv).unwrap(), &group_of);
        for min in [3, 5] {
            let published = build(&csv, &config, min).unwrap();
            let r = report(&exact, &published, min);
            assert_eq!(
                attack(&r, &group_of, &facts),
                Vec::<String>::new(),
                "{fixture} at min_cell {min}"
            );
            let (pinned, audited) = reader_pins(&published);
            assert_eq!(pinned, Vec::<String>::new(), "{fixture} at min_cell {min}");
            assert_eq!(audited, cells(&r), "{fixture} at min_cell {min}");
            if min == 3 {
                assert_eq!(withheld(&published), expected, "{fixture}");
                // The interval check withheld level A (and its decided cases) where this
                // build withholds the 7-to-30-day bin; from its report the note worked
                // out the case without a level and the one over 90 days, and so does the
                // attacker.
                let mut leaky = report(&exact, &published, min);
                // That report had no actions by incident (incidents.json schema 1).
                for inc in [leaky.inc_exact.as_mut(), leaky.inc_published.as_mut()]
                    .into_iter()
                    .flatten()
                {
                    if let Some(o) = inc.as_object_mut() {
                        for t in [
                            "by_action",
                            "by_handler",
                            "by_platform",
                            "by_moderation_level",
                            "by_reporter_type",
                        ] {
                            o.remove(t);
                        }
                    }
                }
                // (This build may protect with the 30-to-90-day bin instead: the interval
                // check published every bin not small, so both are shown as they were.)
                for bin in [
                    "/resolution_days/histogram/7-30",
                    "/resolution_days/histogram/30-90",
                ] {
                    let exact = leaky.exact.pointer(bin).unwrap().clone();
                    if exact.as_i64().is_some_and(|v| v >= min as i64) {
                        *leaky.published.pointer_mut(bin).unwrap() = exact;
                    }
                }
                for p in [
                    "/by_moderation_level/A",
                    "/resolution_days/by_moderation_level/A/count",
                ] {
                    *leaky.published.pointer_mut(p).unwrap() = Value::Null;
                }
                assert_eq!(
                    attack(&leaky, &group_of, &facts),
                    [
                        "/resolution_days/count = 19",
                        "/by_moderation_level/unassigned = 1",
                        "/by_action/content_removed = 2",
                        "/by_action/no_action = 2",
                        "/by_action/unassigned = 1",
                        "/resolution_days/histogram/90+ = 1",
                    ],
                    "{fixture}"
                );
            }
        }
    }
}

#[test]
fn verify_names_a_cell_an_edited_report_gives_away() {
    let fx = common::fixtures().join("takedown");
    let d = tempfile::tempdir().unwrap();
    for f in ["cases.csv", "report.toml"] {
        std::fs::copy(fx.join(f), d.path().join(f)).unwrap();
    }
    let o = common::run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let path = d.path().join("out/data/summary.json");
    let published = std::fs::read_to_string(&path).unwrap();
    // Show the group of 55 that was withheld to protect the other group's single case.
    let edited = published.replacen("\"harassment\": null", "\"harassment\": 55", 1);
    assert_ne!(edited, published);
    std::fs::write(&path, edited).unwrap();
    let o = common::run(d.path(), &["verify", "--report", "out"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("data/summary.json was changed after it was published"),
        "{err}"
    );
    assert!(
        err.contains("by_category_group.conduct can be worked out (= 1)"),
        "{err}"
    );
    assert!(
        err.contains("by_category.intimidation can be worked out (= 1)"),
        "{err}"
    );
    // The unedited report verifies.
    std::fs::write(&path, published).unwrap();
    let o = common::run(d.path(), &["verify", "--report", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
}

/// How many random exports the property test builds (`TR_DISCLOSURE_EXPORTS`, default 300),
/// starting at seed `TR_DISCLOSURE_SEED` (default 0).
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_exports_publish_no_derivable_cell() {
    let exports = setting("TR_DISCLOSURE_EXPORTS", 300);
    let first = setting("TR_DISCLOSURE_SEED", 0);
    let d = tempfile::tempdir().unwrap();
    let (mut built, mut refused, mut withheld_cells) = (0u64, 0u64, 0u64);
    let mut reader_time = std::time::Duration::ZERO;
    for seed in first..first + exports {
        let shape = generate::Shape::random(seed);
        let csv_text = generate::export(&shape);
        let csv = d.path().join("cases.csv");
        let config = d.path().join("report.toml");
        std::fs::write(&csv, &csv_text).unwrap();
        std::fs::write(&config, shape.config()).unwrap();
        let exact = build(&csv, &config, 0).unwrap_or_else(|e| panic!("{shape:?}: {e}"));
        let group_of = groups(&exact);
        let facts = facts(&csv_text, &group_of);
        match build(&csv, &config, shape.min_cell) {
            Ok(published) => {
                built += 1;
                let r = report(&exact, &published, shape.min_cell);
                withheld_cells += nulls(&r).len() as u64;
                let pinned = attack(&r, &group_of, &facts);
                assert!(pinned.is_empty(), "{shape:?}: {pinned:?}");
                let started = std::time::Instant::now();
                let (pinned, audited) = reader_pins(&published);
                reader_time += started.elapsed();
                assert!(pinned.is_empty(), "{shape:?}: the reader pins {pinned:?}");
                assert_eq!(audited, cells(&r), "{shape:?}");
            }
            Err(Error::Protection(e)) => {
                // The claim checked: with every non-zero count withheld but the totals, the
                // attacker still pins one down.
                refused += 1;
                let mut r = report(&exact, &exact, shape.min_cell);
                let withhold = |v: &mut Value| {
                    if v.as_u64() != Some(0) {
                        *v = Value::Null;
                    }
                };
                for name in count_pointers(&r.exact) {
                    if name != "/cases/total" {
                        if let Some(v) = r.published.pointer_mut(&name) {
                            withhold(v);
                        }
                    }
                }
                if let Some(i) = r.inc_published.as_mut() {
                    for t in [
                        "by_category",
                        "by_category_group",
                        "by_action",
                        "by_handler",
                    ] {
                        if let Some(o) = i.get_mut(t).and_then(Value::as_object_mut) {
                            o.values_mut().for_each(withhold);
                        }
                    }
                }
                // The medians as the build withholds them: over fewer than min_cell values.
                let n = shape.min_cell as i64;
                let few = |count: i64| count < n;
                let res = r.exact["resolution_days"]["count"].as_i64().unwrap();
                for stat in ["median", "p90", "mean"] {
                    if few(res) {
                        r.published["resolution_days"][stat] = Value::Null;
                    }
                }
                let levels = r.exact["resolution_days"]["by_moderation_level"].clone();
                for (l, v) in levels.as_object().into_iter().flatten() {
                    if few(v["count"].as_i64().unwrap()) {
                        r.published["resolution_days"]["by_moderation_level"][l]["median"] =
                            Value::Null;
                    }
                }
                if few(facts.appeals_dated) {
                    r.published["appeals"]["median_days_to_decision"] = Value::Null;
                }
                if few(facts.acknowledged) {
                    r.published["acknowledgement"]["median_hours"] = Value::Null;
                }
                r.published["acknowledgement"]["rate"] = Value::Null;
                r.published["appeals"]["reversal_rate"] = Value::Null;
                r.dsa = String::from("section,item,label,value,unit\n");
                let pinned = attack(&r, &group_of, &facts);
                assert!(
                    !pinned.is_empty(),
                    "{shape:?}: refused ({e}) but nothing is pinned"
                );
            }
            Err(e) => panic!("{shape:?}: {e}"),
        }
    }
    eprintln!(
        "disclosure property test: {exports} random exports from seed {first}: {built} built ({withheld_cells} withheld cells, none derivable, nor by the reader's audit without the export: {:.2} ms a report), {refused} refused as impossible to protect",
        reader_time.as_secs_f64() * 1000.0 / built.max(1) as f64
    );
}

/// A notice log records only dates and sections: its unrecorded figures are `null` in every
/// build, and the attacker, who reads the exact build beside the published one, pins down
/// none of the withheld counts.
#[test]
fn a_notice_log_gives_nothing_away() {
    let fx = common::fixtures().join("notice_log");
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("notices.csv");
    std::fs::copy(fx.join("notices.csv"), &csv).unwrap();
    let config = fx.join("report.toml");
    let exact = build(&csv, &config, 0).unwrap();
    let group_of = groups(&exact);
    let facts = facts_of_year(&std::fs::read_to_string(&csv).unwrap(), &group_of, "2024");
    for min in [3, 5, 8] {
        let published = build(&csv, &config, min).unwrap();
        let r = report(&exact, &published, min);
        assert_eq!(
            attack(&r, &group_of, &facts),
            Vec::<String>::new(),
            "notice log at min_cell {min}"
        );
        assert_eq!(reader_pins(&published).0, Vec::<String>::new());
    }
    let published = build(&csv, &config, 5).unwrap();
    assert_eq!(withheld(&published), (12, 0));
}
