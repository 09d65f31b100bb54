//! Earlier published figures in a site (`[[site.import]]`): periods whose export is gone come
//! in from what their reports published, a `data/summary.json` of any schema or a CSV of
//! published figures, and stand in the series beside the periods built from the export.
//!
//! Nothing is computed from them: a figure is taken as published, a figure not published is
//! absent (never 0), and a withheld one stays withheld.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::config::periods::{self, SpecPeriod};
use crate::config::site::Import;
use crate::config::Config;
use crate::error::{ConfigError, Error, Result};
use crate::model::{Summary, SCHEMA_VERSION, UNASSIGNED};
use crate::schema::{APPEAL_OUTCOMES, REPORTER_TYPES};

/// Where the site keeps its copies of the imported files.
pub const FOLDER: &str = "imported";

/// One figure as imported: table, key and value (`None`: withheld).
pub type Figure = (String, String, Option<f64>);

/// One imported period.
#[derive(Debug, Clone)]
pub struct Imported {
    pub period: SpecPeriod,
    /// As published; for a CSV, the figures it gives and `null` for every other one.
    pub summary: Summary,
    /// A CSV's figures as `table/key` (the others were not published); `None` for a
    /// summary.json, which published every figure it has.
    pub published: Option<BTreeSet<String>>,
    /// A CSV's figures as given, in the file's order.
    pub rows: Vec<Figure>,
    /// The site's copy of the file it came from, e.g. `imported/2016.json`.
    pub file: String,
    /// Where the figures were published (`source` in the config).
    pub source: Option<String>,
}

impl Imported {
    /// Whether the period published figure `key` of `table` (withheld or not).
    pub fn publishes(&self, table: &str, key: &str) -> bool {
        match &self.published {
            Some(set) => set.contains(&format!("{table}/{key}")),
            // A summary.json published every figure of a fact its export recorded.
            None => {
                let fact = match (table, key) {
                    ("cases", "resolved" | "open_at_period_end") => Some("resolved_at"),
                    ("resolution_days", _) => Some("resolved_at"),
                    ("acknowledgement", _) => Some("acknowledged_at"),
                    ("appeals", _) => Some("appeal_filed_at"),
                    ("by_action", _) => Some("action"),
                    ("by_platform", _) => Some("platform"),
                    ("by_moderation_level", _) => Some("moderation_level"),
                    ("by_reporter_type", _) => Some("reporter_type"),
                    ("by_handler", _) => Some("handled_by"),
                    ("people", _) => Some("person_ref"),
                    _ => None,
                };
                fact.is_none_or(|f| self.summary.recorded(f))
            }
        }
    }
}

/// A file imported, as the site copies it.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    /// In the site, e.g. `imported/2016.json`.
    pub path: String,
    /// Where it was read from (the config names it relative to its folder).
    pub from: PathBuf,
    pub bytes: Vec<u8>,
    /// The periods it gives, in order.
    pub labels: Vec<String>,
}

/// Every import of the config, read and checked: the periods oldest first, and the files.
/// `fiscal` is the config's `[period]` (for `FY…` labels).
pub fn load(
    cfg: &Config,
    base: &Path,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<(Vec<Imported>, Vec<ImportedFile>)> {
    let mut periods: Vec<Imported> = Vec::new();
    let mut files: Vec<ImportedFile> = Vec::new();
    for import in &cfg.site.imports {
        let path = base.join(&import.file);
        let bytes = std::fs::read(&path).map_err(|source| {
            Error::Config(ConfigError::Read {
                path: path.clone(),
                source,
            })
        })?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let found = match ext.as_deref() {
            Some("json") => vec![summary_file(import, &path, &bytes, fiscal)?],
            Some("csv") => csv_file(import, cfg, &path, &bytes, fiscal)?,
            _ => {
                return Err(bad(
                    &path,
                    None,
                    "is neither a summary.json (.json) nor a CSV of published figures (.csv)"
                        .into(),
                ))
            }
        };
        let copy = match found.as_slice() {
            [one] if ext.as_deref() == Some("json") => {
                format!("{FOLDER}/{}.json", one.period.period.label)
            }
            _ => format!(
                "{FOLDER}/{}",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("figures.csv")
            ),
        };
        // The copy's name is a link of the site's index: letters, digits, `.`, `_`, `-`.
        let name = copy.rsplit('/').next().unwrap_or_default();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Err(bad(
                &path,
                None,
                format!("the site would publish it as {copy}: name the file with letters, digits, `.`, `_` and `-` only"),
            ));
        }
        if files.iter().any(|f| f.path == copy) {
            return Err(bad(
                &path,
                None,
                format!("its copy in the site, {copy}, would replace another imported file of the same name: rename one of them"),
            ));
        }
        for mut p in found {
            if let Some(o) = periods.iter().find(|o| overlap(&o.period, &p.period)) {
                return Err(bad(
                    &path,
                    None,
                    format!(
                        "period {} ({} to {}) overlaps period {} imported from {}",
                        p.period.period.label,
                        p.period.period.start,
                        p.period.period.end,
                        o.period.period.label,
                        o.file
                    ),
                ));
            }
            p.file = copy.clone();
            periods.push(p);
        }
        files.push(ImportedFile {
            labels: periods
                .iter()
                .filter(|p| p.file == copy)
                .map(|p| p.period.period.label.clone())
                .collect(),
            path: copy,
            from: path,
            bytes,
        });
    }
    periods.sort_by_key(|p| p.period.period.start);
    Ok((periods, files))
}

/// Whether two periods share a day.
pub fn overlap(a: &SpecPeriod, b: &SpecPeriod) -> bool {
    a.period.start <= b.period.end && b.period.start <= a.period.end
}

fn bad(path: &Path, line: Option<u64>, message: String) -> Error {
    Error::Config(ConfigError::Import {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// One period named as `--periods` names it.
fn one_period(
    label: &str,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> std::result::Result<SpecPeriod, String> {
    if label.contains("..") || label.contains(',') {
        return Err(format!(
            "`{label}` names several periods: an imported period is one year, half-year, quarter or fiscal year"
        ));
    }
    let mut found = periods::parse(label, fiscal)?;
    found
        .pop()
        .ok_or_else(|| format!("`{label}` names no period"))
}

fn summary_file(
    import: &Import,
    path: &Path,
    bytes: &[u8],
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<Imported> {
    if !import.columns.is_empty() || !import.ignore_columns.is_empty() {
        return Err(bad(
            path,
            None,
            "`columns` and `ignore_columns` are for a CSV; a summary.json names its figures itself"
                .into(),
        ));
    }
    let mut summary = crate::compute::history::parse(bytes).map_err(|m| bad(path, None, m))?;
    let label = import
        .label
        .clone()
        .unwrap_or_else(|| summary.period.label.clone());
    let period = one_period(&label, fiscal).map_err(|m| {
        bad(
            path,
            None,
            format!("label: {m} (give the period as --periods writes it with `label = \"2016\"`)"),
        )
    })?;
    let (start, end) = (
        period.period.start.format("%Y-%m-%d").to_string(),
        period.period.end.format("%Y-%m-%d").to_string(),
    );
    if summary.period.start != start || summary.period.end != end {
        return Err(bad(
            path,
            None,
            format!(
                "its period is {} to {}, but {} is {start} to {end}",
                summary.period.start, summary.period.end, period.period.label
            ),
        ));
    }
    summary.period.label = period.period.label.clone();
    Ok(Imported {
        period,
        summary,
        published: None,
        rows: Vec::new(),
        file: String::new(),
        source: import.source.clone(),
    })
}

/// What a figure's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Count,
    /// A fraction in [0, 1].
    Rate,
    /// Days or hours: a decimal ≥ 0.
    Duration,
}

/// The keys of `table` the config's taxonomy has, with their unit; `None`: no such table.
fn table_keys(table: &str, cfg: &Config) -> Option<Vec<(String, Unit)>> {
    let t = &cfg.taxonomy;
    let counts = |keys: Vec<&str>, unassigned: bool| -> Vec<(String, Unit)> {
        let mut v: Vec<(String, Unit)> = keys
            .into_iter()
            .map(|k| (k.to_string(), Unit::Count))
            .collect();
        if unassigned {
            v.push((UNASSIGNED.to_string(), Unit::Count));
        }
        v
    };
    let fixed = |keys: &[(&str, Unit)]| -> Vec<(String, Unit)> {
        keys.iter().map(|(k, u)| (k.to_string(), *u)).collect()
    };
    let actions: Vec<&str> = t.actions.iter().map(|e| e.key.as_str()).collect();
    Some(match table {
        "cases" => fixed(&[
            ("total", Unit::Count),
            ("resolved", Unit::Count),
            ("open_at_period_end", Unit::Count),
            ("carried_over", Unit::Count),
        ]),
        "by_platform" => counts(t.platforms.iter().map(|e| e.key.as_str()).collect(), false),
        "by_moderation_level" => counts(t.level_keys().collect(), true),
        "by_category" => counts(t.categories.iter().map(|e| e.key.as_str()).collect(), false),
        "by_category_group" => counts(
            t.category_groups.iter().map(|e| e.key.as_str()).collect(),
            false,
        ),
        "by_action" => counts(actions, true),
        "by_reporter_type" => counts(REPORTER_TYPES.to_vec(), true),
        "by_handler" => counts(t.handlers.iter().map(|e| e.key.as_str()).collect(), true),
        "people" => {
            let mut v = fixed(&[("named", Unit::Count)]);
            v.extend(
                counts(actions, true)
                    .into_iter()
                    .map(|(k, u)| (format!("by_action.{k}"), u)),
            );
            v
        }
        "suspensions" => fixed(&[
            ("temporary", Unit::Count),
            ("full", Unit::Count),
            ("interim", Unit::Count),
            ("median_days", Unit::Duration),
        ]),
        "resolution_days" => fixed(&[
            ("count", Unit::Count),
            ("median", Unit::Duration),
            ("p90", Unit::Duration),
            ("mean", Unit::Duration),
        ]),
        "acknowledgement" => fixed(&[
            ("met", Unit::Count),
            ("rate", Unit::Rate),
            ("median_hours", Unit::Duration),
        ]),
        "appeals" => {
            let mut v = fixed(&[
                ("filed", Unit::Count),
                ("eligible", Unit::Count),
                ("not_eligible", Unit::Count),
                ("timely", Unit::Count),
                ("late", Unit::Count),
                ("window_unknown", Unit::Count),
                ("reversal_rate", Unit::Rate),
                ("median_days_to_decision", Unit::Duration),
            ]);
            v.extend(
                APPEAL_OUTCOMES
                    .iter()
                    .map(|k| (format!("by_outcome.{k}"), Unit::Count)),
            );
            v
        }
        _ => return None,
    })
}

/// The tables a CSV may give, for a message.
const TABLES: &str = "cases, by_platform, by_moderation_level, by_category, by_category_group, by_action, by_reporter_type, by_handler, people, suspensions, resolution_days, acknowledgement, appeals";

/// The unit of figure `key` of `table`, or a message naming what is wrong.
fn unit(table: &str, key: &str, cfg: &Config) -> std::result::Result<Unit, String> {
    let keys = table_keys(table, cfg)
        .ok_or_else(|| format!("`{table}` is not a table of the report (one of: {TABLES})"))?;
    keys.iter()
        .find(|(k, _)| k == key)
        .map(|(_, u)| *u)
        .ok_or_else(|| {
            let list: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            format!(
                "`{key}` is not a figure of table `{table}` (the settings' keys: {})",
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(", ")
                }
            )
        })
}

/// A cell's value: a number, or withheld (`None`); `Err` says why it is neither.
fn value(cell: &str, u: Unit) -> std::result::Result<Option<f64>, String> {
    let lower = cell.to_ascii_lowercase();
    if lower == "withheld" || lower == "suppressed" || lower.starts_with('<') {
        return Ok(None);
    }
    match u {
        Unit::Count => {
            if let Some(rest) = cell.strip_prefix('-') {
                if rest.parse::<f64>().is_ok() {
                    return Err(format!(
                        "`{cell}` is negative: a count is a whole number, 0 or more"
                    ));
                }
            }
            if cell.bytes().all(|b| b.is_ascii_digit()) {
                return cell
                    .parse::<u64>()
                    .map(|n| Some(n as f64))
                    .map_err(|_| format!("`{cell}` is too large for a count"));
            }
            if cell.parse::<f64>().is_ok() {
                return Err(format!(
                    "`{cell}` is not a whole number: a count is a whole number, 0 or more"
                ));
            }
            Err(format!(
                "`{cell}` is not a count (a whole number, 0 or more; empty, `withheld` or `< N` for a withheld one)"
            ))
        }
        Unit::Rate | Unit::Duration => {
            let x: f64 = cell
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| format!("`{cell}` is not a number"))?;
            if x < 0.0 {
                return Err(format!("`{cell}` is negative"));
            }
            if u == Unit::Rate && x > 1.0 {
                return Err(format!(
                    "`{cell}` is not a rate: write a fraction from 0 to 1 (0.85, not 85%)"
                ));
            }
            Ok(Some(x))
        }
    }
}

/// The CSV's lines as (line number, cells), the header first; a UTF-8 BOM is dropped.
fn records(path: &Path, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| {
            let line = e.position().map(|p| p.line());
            bad(path, line, format!("cannot be read as CSV: {e}"))
        })?;
        let line = r.position().map(|p| p.line()).unwrap_or(0);
        let cells: Vec<String> = r.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        out.push((line, cells));
    }
    Ok(out)
}

fn csv_file(
    import: &Import,
    cfg: &Config,
    path: &Path,
    bytes: &[u8],
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<Imported>> {
    if import.label.is_some() {
        return Err(bad(
            path,
            None,
            "`label` is for a summary.json; a CSV names its periods in its `period` column".into(),
        ));
    }
    let lines = records(path, bytes)?;
    let Some((_, header)) = lines.first() else {
        return Err(bad(path, None, "is empty: it needs a header line".into()));
    };
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let long = lower.len() >= 4 && lower[..4] == ["period", "table", "key", "value"];
    // (line, period label, table, key, cell as written): one per figure given.
    let mut given: Vec<(u64, String, String, String, String)> = Vec::new();
    if long {
        // A `source` column (a site's own figures.csv) is allowed and not read.
        if lower.len() > 5 || (lower.len() == 5 && lower[4] != "source") {
            return Err(bad(
                path,
                Some(1),
                "a long table has the columns period,table,key,value (and source)".into(),
            ));
        }
        for (line, cells) in &lines[1..] {
            if cells.len() != header.len() {
                return Err(bad(
                    path,
                    Some(*line),
                    format!("has {} cells, the header {}", cells.len(), header.len()),
                ));
            }
            // An empty value is a withheld figure, as in the site's figures.csv.
            let cell = if cells[3].is_empty() {
                "withheld".to_string()
            } else {
                cells[3].clone()
            };
            given.push((
                *line,
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cell,
            ));
        }
    } else {
        // A wide table: which column is what.
        let mut period_col = None;
        let mut figure_cols: Vec<(usize, String, String)> = Vec::new();
        for (i, h) in header.iter().enumerate() {
            let mapped = import.columns.get(h).map(String::as_str);
            if mapped == Some("period")
                || (mapped.is_none() && matches!(lower[i].as_str(), "period" | "year"))
            {
                if period_col.is_some() {
                    return Err(bad(
                        path,
                        Some(1),
                        "has two columns of periods: map one to \"period\" in `columns`".into(),
                    ));
                }
                period_col = Some(i);
                continue;
            }
            if import.ignore_columns.iter().any(|c| c == h) {
                continue;
            }
            let figure = mapped.unwrap_or(h);
            let Some((table, key)) = figure.split_once('.') else {
                return Err(bad(
                    path,
                    Some(1),
                    format!(
                        "column `{h}` is not a figure: map it to one in `columns` (\"{h}\" = \"cases.total\"), or list it in `ignore_columns`"
                    ),
                ));
            };
            unit(table, key, cfg).map_err(|m| bad(path, Some(1), format!("column `{h}`: {m}")))?;
            figure_cols.push((i, table.to_string(), key.to_string()));
        }
        for k in import.columns.keys() {
            if !header.contains(k) {
                return Err(bad(
                    path,
                    Some(1),
                    format!("`columns` maps `{k}`, which is not a column of the header"),
                ));
            }
        }
        let Some(pc) = period_col else {
            return Err(bad(
                path,
                Some(1),
                "has no column of periods: name it `period` or `year`, or map it to \"period\" in `columns`".into(),
            ));
        };
        for (line, cells) in &lines[1..] {
            if cells.len() > header.len() {
                return Err(bad(
                    path,
                    Some(*line),
                    format!("has {} cells, the header {}", cells.len(), header.len()),
                ));
            }
            for (i, table, key) in &figure_cols {
                // An empty (or missing) cell of a typed-in table: not published.
                let cell = cells.get(*i).cloned().unwrap_or_default();
                if cell.is_empty() {
                    continue;
                }
                given.push((
                    *line,
                    cells.get(pc).cloned().unwrap_or_default(),
                    table.clone(),
                    key.clone(),
                    cell,
                ));
            }
            if cells.get(pc).is_none_or(String::is_empty) {
                return Err(bad(path, Some(*line), "has no period".into()));
            }
        }
    }

    // Figures by period, in the file's order of periods.
    let mut order: Vec<String> = Vec::new();
    let mut by: BTreeMap<String, (SpecPeriod, Vec<Figure>)> = BTreeMap::new();
    let mut seen: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for (line, label, table, key, cell) in given {
        let sp = one_period(&label, fiscal).map_err(|m| bad(path, Some(line), m))?;
        let label = sp.period.label.clone();
        let u = unit(&table, &key, cfg).map_err(|m| bad(path, Some(line), m))?;
        let v = value(&cell, u)
            .map_err(|m| bad(path, Some(line), format!("{table}.{key} of {label}: {m}")))?;
        if let Some(first) = seen.insert((label.clone(), table.clone(), key.clone()), line) {
            return Err(bad(
                path,
                Some(line),
                format!("{table}.{key} of {label} is given twice (first on line {first})"),
            ));
        }
        if !by.contains_key(&label) {
            order.push(label.clone());
        }
        by.entry(label)
            .or_insert_with(|| (sp, Vec::new()))
            .1
            .push((table, key, v));
    }
    if order.is_empty() {
        return Err(bad(path, None, "gives no figure".into()));
    }
    let mut out = Vec::new();
    for label in order {
        let Some((sp, rows)) = by.remove(&label) else {
            continue;
        };
        let summary = summary_of(&sp, &rows, cfg)
            .map_err(|m| bad(path, None, format!("period {label}: {m}")))?;
        out.push(Imported {
            published: Some(rows.iter().map(|(t, k, _)| format!("{t}/{k}")).collect()),
            period: sp,
            summary,
            rows,
            file: String::new(),
            source: import.source.clone(),
        });
    }
    Ok(out)
}

/// A summary holding `rows` and `null` for every other figure; the facts a figure it does
/// not give rests on are marked not recorded, so nothing reads them as withheld.
fn summary_of(
    sp: &SpecPeriod,
    rows: &[Figure],
    cfg: &Config,
) -> std::result::Result<Summary, String> {
    let num = |v: Option<f64>, u: Unit| match (v, u) {
        (None, _) => Value::Null,
        (Some(x), Unit::Count) => json!(x as u64),
        (Some(x), _) => json!(x),
    };
    let given = |table: &str| rows.iter().any(|(t, _, _)| t == table);
    let mut s = json!({
        "schema_version": SCHEMA_VERSION,
        "period": {
            "label": sp.period.label,
            "start": sp.period.start.format("%Y-%m-%d").to_string(),
            "end": sp.period.end.format("%Y-%m-%d").to_string(),
            "timezone": cfg.timezone,
        },
        "rows": {"read": 0, "counted": 0, "rejected": 0, "outside_period": 0},
        "cases": {"total": null, "resolved": null, "open_at_period_end": null, "carried_over": null},
        "by_platform": {}, "by_moderation_level": {}, "by_category": {}, "by_category_group": {},
        "by_action": {}, "by_reporter_type": {},
        "by_handler": if given("by_handler") { json!({}) } else { Value::Null },
        "people": if given("people") { json!({"named": null, "by_action": {}}) } else { Value::Null },
        "suspensions": {"temporary": null, "full": null, "interim": null, "median_days": null},
        "resolution_days": {"count": null, "median": null, "p90": null, "mean": null,
                            "by_moderation_level": {}, "histogram": {}},
        "acknowledgement": {"met": null, "rate": null, "median_hours": null},
        "appeals": {"filed": null, "by_outcome": {}, "eligible": null, "not_eligible": null,
                    "timely": null, "late": null, "window_unknown": null,
                    "reversal_rate": null, "median_days_to_decision": null},
        "monthly": [],
        "not_recorded": [],
        "left_out": [],
    });
    // In the taxonomy's order, so every period's table lists its keys alike.
    for table in [
        "cases",
        "by_platform",
        "by_moderation_level",
        "by_category",
        "by_category_group",
        "by_action",
        "by_reporter_type",
        "by_handler",
        "people",
        "suspensions",
        "resolution_days",
        "acknowledgement",
        "appeals",
    ] {
        for (key, u) in table_keys(table, cfg).unwrap_or_default() {
            let Some((_, _, v)) = rows.iter().find(|(t, k, _)| t == table && *k == key) else {
                continue;
            };
            let mut at: &mut Value = &mut s[table];
            let mut parts: Vec<&str> = key.split('.').collect();
            let last = parts.pop().unwrap_or_default();
            for p in parts {
                at = &mut at[p];
            }
            if let Value::Object(m) = at {
                m.insert(last.to_string(), num(*v, u));
            }
        }
    }
    // The facts behind figures not given: not recorded by this import.
    let mut not_recorded: Vec<&str> = Vec::new();
    let has = |t: &str, k: &str| rows.iter().any(|(a, b, _)| a == t && b == k);
    if !has("cases", "resolved") {
        not_recorded.push("resolved_at");
    }
    if !has("acknowledgement", "rate") {
        not_recorded.push("acknowledged_at");
    }
    if !given("by_action") {
        not_recorded.push("action");
    }
    if !given("by_platform") {
        not_recorded.push("platform");
    }
    if !given("by_moderation_level") {
        not_recorded.push("moderation_level");
    }
    if !given("by_reporter_type") {
        not_recorded.push("reporter_type");
    }
    if !given("by_handler") {
        not_recorded.push("handled_by");
    }
    if !given("people") {
        not_recorded.push("person_ref");
    }
    if !given("appeals") {
        not_recorded.push("appeal_filed_at");
    }
    if let Value::Object(m) = &mut s {
        m.insert("not_recorded".into(), json!(not_recorded));
    }
    serde_json::from_value(s).map_err(|e| format!("cannot hold these figures: {e}"))
}

#[cfg(test)]
mod tests;
