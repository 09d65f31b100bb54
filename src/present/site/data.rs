//! The site's data files: `data/figures.csv`, every published figure of every period in one
//! long table, and the data package that describes it.

use serde_json::{json, Value};

use super::{SitePeriod, FIGURES_FILE};
use crate::config::Config;
use crate::error::{Error, Result};

/// Every numeric leaf of `v` under `path`, as (table, key, value); `null` leaves are
/// withheld figures (empty value), a whole table that is `null` is not recorded (left out).
pub(super) fn leaves(table: &str, key: String, v: &Value, out: &mut Vec<(String, String, String)>) {
    match v {
        Value::Null if !key.is_empty() => out.push((table.into(), key, String::new())),
        Value::Number(n) => out.push((table.into(), key, n.to_string())),
        Value::Object(m) => {
            for (k, x) in m {
                let key = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                leaves(table, key, x, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                // A row of a list (a month) is named by its first text field.
                let id = item
                    .as_object()
                    .and_then(|m| m.values().find_map(Value::as_str))
                    .unwrap_or_default();
                let key = match (key.is_empty(), id.is_empty()) {
                    (true, _) => id.to_string(),
                    (false, true) => key.clone(),
                    (false, false) => format!("{key}.{id}"),
                };
                if let Some(m) = item.as_object() {
                    for (k, x) in m.iter().filter(|(_, x)| !x.is_string()) {
                        leaves(table, format!("{key}.{k}"), x, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The summary's parts that are not figures.
const NOT_FIGURES: [&str; 3] = ["schema_version", "period", "not_recorded"];

/// `data/figures.csv`: `period,table,key,value`, every published figure of every period in
/// site order (a withheld figure has an empty value).
pub fn figures_csv(periods: &[SitePeriod]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let bad = |e: csv::Error| Error::Present(format!("cannot write {FIGURES_FILE}: {e}").into());
    // The `source` column only where some period is imported: a site without imports
    // keeps the table it always had.
    let any_imported = periods.iter().any(|p| p.imported.is_some());
    if any_imported {
        w.write_record(["period", "table", "key", "value", "source"])
    } else {
        w.write_record(["period", "table", "key", "value"])
    }
    .map_err(bad)?;
    for p in periods {
        let mut rows = Vec::new();
        let summary = serde_json::to_value(p.summary)
            .map_err(|e| Error::Present(format!("cannot write {FIGURES_FILE}: {e}").into()))?;
        if let Value::Object(m) = &summary {
            for (table, v) in m.iter().filter(|(k, _)| !NOT_FIGURES.contains(&k.as_str())) {
                if v.is_null() {
                    continue;
                }
                leaves(table, String::new(), v, &mut rows);
                // A top-level number (none today) would have an empty key.
            }
        }
        if let Some(i) = p.incidents {
            let v = serde_json::to_value(i)
                .map_err(|e| Error::Present(format!("cannot write {FIGURES_FILE}: {e}").into()))?;
            if let Value::Object(m) = &v {
                for (k, x) in m.iter().filter(|(k, _)| !NOT_FIGURES.contains(&k.as_str())) {
                    match x {
                        Value::Number(n) => {
                            rows.push(("incidents".into(), k.clone(), n.to_string()))
                        }
                        Value::Null => {}
                        _ => leaves(&format!("incidents.{k}"), String::new(), x, &mut rows),
                    }
                }
            }
        }
        if let Some(i) = p.imported {
            // What the imported period did not publish has no row (never an empty value,
            // which would read as withheld).
            rows.retain(|(t, k, _)| i.publishes(t, k));
        }
        for (table, key, value) in rows {
            let key = crate::present::data::neutralise(&key);
            let mut record = vec![p.label(), table.as_str(), &key, value.as_str()];
            if any_imported {
                record.push(if p.imported.is_some() {
                    "imported"
                } else {
                    "built"
                });
            }
            w.write_record(record).map_err(bad)?;
        }
    }
    w.into_inner()
        .map_err(|e| Error::Present(format!("cannot write {FIGURES_FILE}: {e}").into()))
}

/// The site's Frictionless Data Package: the long table, and each period's own package.
pub fn datapackage(periods: &[SitePeriod], c: &Config, figures: &[u8]) -> Result<Vec<u8>> {
    let labels: Vec<&str> = periods.iter().map(|p| p.label()).collect();
    let any_imported = periods.iter().any(|p| p.imported.is_some());
    let mut fields = vec![
        json!({"name": "period", "type": "string"}),
        json!({"name": "table", "type": "string"}),
        json!({"name": "key", "type": "string"}),
        json!({"name": "value", "type": "number"}),
    ];
    if any_imported {
        fields.push(json!({
            "name": "source",
            "type": "string",
            "description": "built: the period was built from the export; imported: its figures are those its own report published, not rebuilt",
            "constraints": {"enum": ["built", "imported"]},
        }));
    }
    let pkg = json!({
        "profile": "tabular-data-package",
        "name": "coc-transparency-site",
        "title": c.words.title(&c.organisation, &labels.join(", "), None),
        "description": "Every published figure of every period, one row per figure. Aggregate counts only; an empty value was withheld to protect small groups (see each report's methodology).",
        "resources": [{
            "name": "figures",
            "path": "figures.csv",
            "title": "Every published figure of every period",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": figures.len(),
            "hash": format!("sha256:{}", crate::hash::sha256_hex(figures)),
            "schema": {
                "fields": fields,
                "missingValues": [""],
                "primaryKey": ["period", "table", "key"],
            },
        }],
        "periods": periods.iter().map(|p| match p.imported {
            Some(i) => json!({
                "label": p.label(),
                "kind": p.kind,
                "start": p.summary.period.start,
                "end": p.summary.period.end,
                "source": "imported",
                "imported_from": format!("../{}", i.file),
            }),
            None => json!({
                "label": p.label(),
                "kind": p.kind,
                "start": p.summary.period.start,
                "end": p.summary.period.end,
                "datapackage": format!("../{}/data/datapackage.json", p.label()),
            }),
        }).collect::<Vec<Value>>(),
    });
    let mut out = serde_json::to_vec_pretty(&pkg)
        .map_err(|e| Error::Present(format!("cannot write datapackage.json: {e}").into()))?;
    out.push(b'\n');
    Ok(out)
}
