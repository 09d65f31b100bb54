//! What a published report says of itself, checked without its export (`verify --report DIR`
//! alone): the figures of `data/summary.json` that must add up do, each data table gives the
//! figures `summary.json` gives, and the data package's hashes are those of its files; then
//! the disclosure audit as a reader without the export can run it (`withheld_cells_protected`).
//!
//! Each check reads only the published files, so it holds for a report of any version that
//! writes these files; a table or figure that is absent (not recorded) or withheld (`null`,
//! an empty cell) is left out of the sums (a sum with withheld parts may only fall short).

use std::path::Path;

use serde_json::Value;

use crate::hash::sha256_hex;

/// The problems found; `checked` counts the relations that held.
#[derive(Debug, Default)]
pub(super) struct Consistency {
    pub(super) problems: Vec<String>,
    pub(super) checked: usize,
}

/// A data table and the `summary.json` figures its rows restate: the table's key column,
/// its value column, and the figure map (a JSON pointer) keyed like the table.
const TABLES: [(&str, &str, &str, &str); 11] = [
    ("platforms.csv", "platform", "cases", "/by_platform"),
    ("levels.csv", "level", "cases", "/by_moderation_level"),
    ("actions.csv", "action", "cases", "/by_action"),
    (
        "reporter_types.csv",
        "reporter_type",
        "cases",
        "/by_reporter_type",
    ),
    ("channels.csv", "channel", "cases", "/by_channel"),
    ("referrals.csv", "referred_to", "cases", "/by_referral"),
    ("categories.csv", "category", "cases", "/by_category"),
    (
        "category_groups.csv",
        "group",
        "cases",
        "/by_category_group",
    ),
    (
        "resolution.csv",
        "bin",
        "cases",
        "/resolution_days/histogram",
    ),
    ("appeals.csv", "outcome", "appeals", "/appeals/by_outcome"),
    ("monthly.csv", "month", "reported", "/monthly"),
];

/// Figure maps (or parts) that add up to a total: (parts, total). A part that is an object
/// sums its values; a list of the form `a+b+c` sums those figures.
const SUMS: [(&str, &str); 14] = [
    ("/by_platform", "/cases/total"),
    ("/by_moderation_level", "/cases/total"),
    ("/by_action", "/cases/total"),
    ("/by_reporter_type", "/cases/total"),
    ("/by_channel", "/cases/total"),
    ("/by_referral", "/cases/total"),
    ("/resolution_days/histogram", "/resolution_days/count"),
    ("/appeals/by_outcome", "/appeals/filed"),
    ("/appeals/eligible+/appeals/not_eligible", "/appeals/filed"),
    (
        "/appeals/timely+/appeals/late+/appeals/window_unknown",
        "/appeals/filed",
    ),
    ("/cases/resolved+/cases/open_at_period_end", "/cases/total"),
    ("/rows/counted+/rows/rejected", "/rows/read"),
    ("/cases/total+/rows/outside_period", "/rows/counted"),
    ("/monthly/reported", "/cases/total"),
];

pub(super) fn check(dir: &Path) -> Consistency {
    let mut out = Consistency::default();
    let summary_path = dir.join("data/summary.json");
    let Ok(bytes) = std::fs::read(&summary_path) else {
        out.problems
            .push("data/summary.json is missing, so no figure can be checked".into());
        return out;
    };
    let Ok(summary) = serde_json::from_slice::<Value>(&bytes) else {
        out.problems
            .push("data/summary.json is not valid JSON".into());
        return out;
    };
    for (parts, total) in SUMS {
        sum_check(&summary, parts, total, &mut out);
    }
    if let Some(m) = summary.pointer("/monthly").and_then(Value::as_array) {
        let resolved: Vec<Option<u64>> = m
            .iter()
            .map(|x| x.get("resolved").and_then(Value::as_u64))
            .collect();
        let total = count(&summary, "/cases/resolved");
        compare_sum(
            "monthly[].resolved",
            &resolved,
            "cases.resolved",
            total,
            &mut out,
        );
    }
    for (file, key, value, pointer) in TABLES {
        table_check(dir, &summary, file, key, value, pointer, &mut out);
    }
    package_check(dir, &mut out);
    out
}

/// The figure at `pointer`, as a count (`None` when null or absent).
fn count(v: &Value, pointer: &str) -> Option<u64> {
    v.pointer(pointer).and_then(Value::as_u64)
}

fn name(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

fn sum_check(summary: &Value, parts: &str, total: &str, out: &mut Consistency) {
    let total_v = count(summary, total);
    let (values, label): (Vec<Option<u64>>, String) = if parts.contains('+') {
        let ps: Vec<&str> = parts.split('+').collect();
        if ps.iter().any(|p| summary.pointer(p).is_none()) {
            return;
        }
        (
            ps.iter().map(|p| count(summary, p)).collect(),
            ps.iter().map(|p| name(p)).collect::<Vec<_>>().join(" + "),
        )
    } else if let Some((list, field)) = parts
        .rsplit_once('/')
        .filter(|(l, _)| summary.pointer(l).is_some_and(Value::is_array))
    {
        let Some(items) = summary.pointer(list).and_then(Value::as_array) else {
            return;
        };
        (
            items
                .iter()
                .map(|x| x.get(field).and_then(Value::as_u64))
                .collect(),
            format!("{}[].{field}", name(list)),
        )
    } else {
        match summary.pointer(parts) {
            Some(Value::Object(m)) => (
                m.values().map(Value::as_u64).collect(),
                format!("the figures of {}", name(parts)),
            ),
            // Not recorded (null): nothing to add up.
            _ => return,
        }
    };
    if summary.pointer(total).is_none_or(Value::is_null) {
        return;
    }
    compare_sum(&label, &values, &name(total), total_v, out);
}

fn compare_sum(
    label: &str,
    values: &[Option<u64>],
    total_name: &str,
    total: Option<u64>,
    out: &mut Consistency,
) {
    let Some(total) = total else { return };
    // No parts (a section the report leaves out): nothing adds up to anything.
    if values.is_empty() {
        return;
    }
    let sum: u64 = values.iter().flatten().sum();
    let withheld = values.iter().filter(|v| v.is_none()).count();
    let holds = if withheld == 0 {
        sum == total
    } else {
        sum <= total
    };
    if holds {
        out.checked += 1;
    } else if withheld == 0 {
        out.problems.push(format!(
            "data/summary.json: {label} add up to {sum}, but {total_name} is {total}"
        ));
    } else {
        out.problems.push(format!(
            "data/summary.json: the published parts of {label} add up to {sum}, more than {total_name} ({total})"
        ));
    }
}

/// A data table restates the figures of `summary.json`, row by row.
fn table_check(
    dir: &Path,
    summary: &Value,
    file: &str,
    key: &str,
    value: &str,
    pointer: &str,
    out: &mut Consistency,
) {
    let path = dir.join("data").join(file);
    let Ok(bytes) = std::fs::read(&path) else {
        return; // Not published (a fact not recorded).
    };
    let figures = summary.pointer(pointer);
    if figures.is_none_or(Value::is_null) {
        out.problems.push(format!(
            "data/{file} is published, but data/summary.json has no {}",
            name(pointer)
        ));
        return;
    }
    let mut rd = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let Ok(header) = rd.headers().cloned() else {
        out.problems
            .push(format!("data/{file} cannot be read as CSV"));
        return;
    };
    let (Some(ki), Some(vi)) = (
        header.iter().position(|h| h == key),
        header.iter().position(|h| h == value),
    ) else {
        out.problems
            .push(format!("data/{file} has no `{key}` or `{value}` column"));
        return;
    };
    let mut differ = Vec::new();
    for rec in rd.records() {
        let Ok(rec) = rec else {
            out.problems
                .push(format!("data/{file} cannot be read as CSV"));
            return;
        };
        let (k, v) = (rec.get(ki).unwrap_or(""), rec.get(vi).unwrap_or(""));
        let fig = match figures {
            Some(Value::Array(items)) => items
                .iter()
                .find(|x| x.get(key).and_then(Value::as_str) == Some(k))
                .and_then(|x| x.get(value)),
            Some(Value::Object(m)) => m.get(k),
            _ => None,
        };
        let same = match fig {
            Some(Value::Null) => v.is_empty(),
            Some(n) => n.as_u64().is_some_and(|n| n.to_string() == v),
            None => false,
        };
        if !same {
            differ.push(format!(
                "{k}: {} in the table, {} in data/summary.json",
                if v.is_empty() { "withheld" } else { v },
                fig.map_or("nothing".into(), |f| if f.is_null() {
                    "withheld".to_string()
                } else {
                    f.to_string()
                })
            ));
        }
    }
    if differ.is_empty() {
        out.checked += 1;
    } else {
        out.problems.push(format!(
            "data/{file} does not give the figures of data/summary.json: {}",
            differ.join("; ")
        ));
    }
}

/// `data/datapackage.json` records each table's SHA-256.
fn package_check(dir: &Path, out: &mut Consistency) {
    let Ok(bytes) = std::fs::read(dir.join("data/datapackage.json")) else {
        return;
    };
    let Some(resources) = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("resources").and_then(Value::as_array).cloned())
    else {
        out.problems
            .push("data/datapackage.json cannot be read".into());
        return;
    };
    for r in resources {
        let (Some(path), Some(hash)) = (
            r.get("path").and_then(Value::as_str),
            r.get("hash").and_then(Value::as_str),
        ) else {
            continue;
        };
        match std::fs::read(dir.join("data").join(path)) {
            Ok(b) if format!("sha256:{}", sha256_hex(&b)) == hash => out.checked += 1,
            Ok(_) => out.problems.push(format!(
                "data/{path}: its SHA-256 is not the one data/datapackage.json records"
            )),
            Err(_) => out.problems.push(format!(
                "data/{path} is listed in data/datapackage.json but missing"
            )),
        }
    }
}

/// What the disclosure audit said of the published figures.
pub(super) enum Protection {
    /// The reader's audit ran: a problem per withheld cell it can work out (or per
    /// contradiction), and in words what it checked.
    Checked { problems: Vec<String>, note: String },
    /// The audit could not run; the words say what was not checked.
    NotChecked(String),
}

/// What the reader's audit leaves to the full one, which needs the export.
pub(super) const FULL_AUDIT: &str = "the full disclosure audit, which also uses the relations that hold only in this period's data (a group as the sum of its sections when no case cites two): verify runs it when given the export";

/// The LP disclosure audit (SPEC §7) as a reader without the export can run it: every
/// published count fixed (`data/summary.json`, `data/incidents.json`), every withheld one an
/// unknown within its label (`data/disclosure.json` says which cells were withheld to protect
/// others, and `min_cell`), every relation that holds by construction of the figures, and
/// the rates to their printed precision (`compute::suppress::reader_audit`). A withheld cell
/// whose range holds one value is a problem. `sums_hold`: `check` found no problem (when it
/// did, figures that contradict each other are named already, and the audit cannot run).
pub(super) fn withheld_cells_protected(dir: &Path, sums_hold: bool) -> Protection {
    use crate::compute::suppress::{reader_audit, ReaderError, Withheld};
    let read = |name: &str| std::fs::read(dir.join("data").join(name)).ok();
    let Some(summary) =
        read("summary.json").and_then(|b| serde_json::from_slice::<crate::model::Summary>(&b).ok())
    else {
        return Protection::NotChecked(
            "that the withheld cells stay protected: data/summary.json cannot be read as figures"
                .into(),
        );
    };
    let incidents = read("incidents.json")
        .and_then(|b| serde_json::from_slice::<crate::model::IncidentFigures>(&b).ok());
    let Some(withheld) = read("disclosure.json").and_then(|b| Withheld::from_json(&b)) else {
        return Protection::NotChecked(
            "that the withheld cells stay protected: data/disclosure.json, which says which cells were withheld and why, is missing or cannot be read".into(),
        );
    };
    match reader_audit(&summary, incidents.as_ref(), &withheld) {
        Ok(r) => Protection::Checked {
            problems: r
                .fewer_small
                .into_iter()
                .chain(r.audit.exposed.iter().map(super::disclosure::exposed_problem))
                .collect(),
            note: format!(
                "the withheld cells stay protected as a reader without the export sees them: the LP disclosure audit over the {} published figures and the {} relations that hold by construction (each table adds up to its total, the suspensions restate their actions, the rates to their printed precision) pins none of the {} withheld cells",
                r.audit.figures, r.audit.relations, r.withheld
            ),
        },
        Err(ReaderError::Inconsistent) if !sums_hold => Protection::NotChecked(
            "that the withheld cells stay protected: the published figures do not add up (see above)".into(),
        ),
        Err(ReaderError::Inconsistent) => Protection::Checked {
            problems: vec![format!("data/summary.json: {}", ReaderError::Inconsistent)],
            note: String::new(),
        },
        Err(e @ ReaderError::Labels(_)) => {
            Protection::NotChecked(format!("that the withheld cells stay protected: {e}"))
        }
    }
}
