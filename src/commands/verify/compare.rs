//! Two versions of a figure file, compared figure by figure, in words.

use serde_json::Value;

/// Figure-by-figure differences of two figure files (`summary.json`, `incidents.json`), in
/// words: "by_platform.blog: published 12, a fresh build gives 13".
pub(super) fn json_differences(name: &str, published: &[u8], fresh: &[u8]) -> Vec<String> {
    let (Ok(a), Ok(b)) = (
        serde_json::from_slice::<Value>(published),
        serde_json::from_slice::<Value>(fresh),
    ) else {
        return vec![format!("the published {name} is not valid JSON")];
    };
    let mut out = Vec::new();
    diff("", &a, &b, &mut out);
    out
}

/// Cell-by-cell differences of two data tables (CSV), each cell named by its row's first
/// cell and its column: "row blog, column cases: published 12, a fresh build gives 13".
pub(super) fn csv_differences(published: &[u8], fresh: &[u8]) -> Vec<String> {
    let read = |b: &[u8]| -> Option<Vec<Vec<String>>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(b)
            .records()
            .map(|r| r.ok().map(|r| r.iter().map(str::to_string).collect()))
            .collect()
    };
    let (Some(a), Some(b)) = (read(published), read(fresh)) else {
        return vec!["the published table cannot be read as CSV".into()];
    };
    let mut out = Vec::new();
    let (ha, hb) = (
        a.first().cloned().unwrap_or_default(),
        b.first().cloned().unwrap_or_default(),
    );
    if ha != hb {
        out.push(format!(
            "columns: published {}, a fresh build has {}",
            ha.join(","),
            hb.join(",")
        ));
        return out;
    }
    for (i, (ra, rb)) in a.iter().zip(&b).enumerate().skip(1) {
        let key = ra.first().map_or_else(|| format!("{i}"), Clone::clone);
        for (j, (ca, cb)) in ra.iter().zip(rb).enumerate() {
            if ca != cb {
                let col = ha.get(j).map_or("?", String::as_str);
                out.push(format!(
                    "row {key}, column {col}: published {}, a fresh build gives {}",
                    cell(ca),
                    cell(cb)
                ));
            }
        }
        if ra.len() != rb.len() {
            out.push(format!("row {key}: a different number of cells"));
        }
    }
    if a.len() != b.len() {
        out.push(format!(
            "published {} rows, a fresh build has {}",
            a.len().saturating_sub(1),
            b.len().saturating_sub(1)
        ));
    }
    out
}

fn cell(c: &str) -> String {
    if c.is_empty() {
        "withheld (empty)".into()
    } else {
        c.to_string()
    }
}

pub(super) fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => diff(&join(k), va, vb, out),
                    None => out.push(format!(
                        "{}: published {} but a fresh build has no such figure",
                        join(k),
                        show(va)
                    )),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(format!(
                        "{}: missing from the published file (fresh build: {})",
                        join(k),
                        show(vb)
                    ));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!(
            "{path}: published {}, a fresh build gives {}",
            show(a),
            show(b)
        )),
        _ => {}
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "n/a (null)".into(),
        Value::String(s) => format!("\"{s}\""),
        other => {
            let s = other.to_string();
            if s.chars().count() > 60 {
                format!("{}…", s.chars().take(57).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// A data file of figures (not the data package, whose hashes follow the bytes).
pub(super) fn is_figure_file(path: &str) -> bool {
    path.starts_with("data/")
        && path != "data/datapackage.json"
        && (path.ends_with(".json") || path.ends_with(".csv"))
}

pub(super) fn figure_differences(path: &str, published: &[u8], fresh: &[u8]) -> Vec<String> {
    if path.ends_with(".json") {
        json_differences(path.trim_start_matches("data/"), published, fresh)
    } else {
        csv_differences(published, fresh)
    }
}
