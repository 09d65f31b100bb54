//! Reads the export(s): one pass of the `csv` crate per file, so every problem can be named by
//! file, line and column (polars' reader only knows byte offsets and stops at the first error).
//! Valid rows become typed columns (`CaseTable`) that `aggregate` hands to polars.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{Error, Result, RowError, ValidationErrors};
use crate::validate::{self, Stamp};

/// The columns of the export format (SPEC §3), in documentation order.
pub const COLUMNS: [&str; 15] = [
    "case_id",
    "reported_at",
    "platform",
    "category",
    "moderation_level",
    "reporter_type",
    "action",
    "suspension_days",
    "interim_suspension",
    "acknowledged_at",
    "resolved_at",
    "decision_communicated_at",
    "appeal_filed_at",
    "appeal_decided_at",
    "appeal_outcome",
];
const REQUIRED: [usize; 4] = [0, 1, 2, 3];

/// How many errors are kept for display; the rest are only counted.
pub const SHOWN_ERRORS: usize = 50;

/// The widest header read cell by cell; a wider one is refused as a whole.
pub const MAX_HEADER_CELLS: usize = 1_000;

/// Header words that suggest personal data or free text (SPEC §7).
const PERSONAL: [&str; 30] = [
    "name",
    "names",
    "firstname",
    "lastname",
    "fullname",
    "surname",
    "email",
    "mail",
    "e-mail",
    "username",
    "user",
    "login",
    "handle",
    "ip",
    "ipaddress",
    "address",
    "phone",
    "telephone",
    "description",
    "notes",
    "note",
    "text",
    "comment",
    "comments",
    "details",
    "message",
    "body",
    "summary",
    "narrative",
    "content",
];

/// Valid cases as columns. Codes index the taxonomy lists of the config; `None` = empty cell.
#[derive(Debug, Clone, Default)]
pub struct CaseTable {
    pub reported: Vec<i64>,
    pub reported_day: Vec<i32>,
    pub platform: Vec<u32>,
    pub level: Vec<Option<u32>>,
    pub reporter: Vec<Option<u32>>,
    pub action: Vec<Option<u32>>,
    pub suspension_days: Vec<Option<u32>>,
    pub interim: Vec<bool>,
    pub acknowledged: Vec<Option<Stamp>>,
    pub resolved: Vec<Option<Stamp>>,
    pub communicated_day: Vec<Option<i32>>,
    pub appeal_filed: Vec<Option<Stamp>>,
    pub appeal_decided: Vec<Option<i64>>,
    pub appeal_outcome: Vec<Option<u32>>,
    /// Flattened case → categories: `category_case[i]` is the row of `category[i]`.
    pub category_case: Vec<u32>,
    pub category: Vec<u32>,
}

impl CaseTable {
    pub fn len(&self) -> usize {
        self.reported.len()
    }
    pub fn is_empty(&self) -> bool {
        self.reported.is_empty()
    }
}

/// Per-input accounting for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputStats {
    /// File name only, so the manifest does not depend on where the auditor keeps the file.
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
    pub rows_read: u64,
    pub rows_valid: u64,
    pub rows_rejected: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub table: CaseTable,
    pub inputs: Vec<InputStats>,
    pub errors: ValidationErrors,
}

impl Loaded {
    pub fn rows_read(&self) -> u64 {
        self.inputs.iter().map(|i| i.rows_read).sum()
    }
}

/// Keys of each enum column, lower-cased, in taxonomy order.
struct Vocab {
    platforms: Vec<String>,
    categories: Vec<String>,
    levels: Vec<String>,
    reporters: Vec<String>,
    actions: Vec<String>,
    outcomes: Vec<String>,
}

impl Vocab {
    fn new(c: &Config) -> Self {
        let t = &c.taxonomy;
        Vocab {
            platforms: t.platforms.iter().map(|e| e.key.clone()).collect(),
            categories: t.categories.iter().map(|e| e.key.clone()).collect(),
            levels: t.levels.iter().map(|e| e.key.clone()).collect(),
            reporters: crate::model::REPORTER_TYPES.map(String::from).to_vec(),
            actions: t.actions.iter().map(|e| e.key.clone()).collect(),
            outcomes: crate::model::APPEAL_OUTCOMES.map(String::from).to_vec(),
        }
    }
}

/// Reads every export. Invalid rows are collected in `errors` and left out of the table;
/// whether that fails the build is the caller's decision (`--skip-invalid`).
pub fn load(paths: &[PathBuf], config: &Config) -> Result<Loaded> {
    let tz = config.tz().map_err(Error::Usage)?;
    let vocab = Vocab::new(config);
    let mut out = Loaded::default();
    let mut seen_ids: HashSet<Box<str>> = HashSet::new();
    let mut names = HashSet::new();
    for path in paths {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::io(format!("cannot read export {}", path.display()), e))?;
        let name = display_name(path);
        if !names.insert(name.clone()) {
            return Err(Error::Usage(format!(
                "two inputs are both named `{name}`; give each export a distinct file name"
            )));
        }
        let stats = load_one(&name, &bytes, config, &vocab, &tz, &mut seen_ids, &mut out)?;
        out.inputs.push(stats);
    }
    Ok(out)
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

struct Sink<'a> {
    file: &'a str,
    errors: &'a mut ValidationErrors,
}

impl Sink<'_> {
    fn push(&mut self, line: u64, column: Option<&str>, value: Option<&str>, message: String) {
        self.errors.total += 1;
        if self.errors.shown.len() < SHOWN_ERRORS {
            self.errors.shown.push(RowError {
                file: self.file.to_string(),
                line,
                column: column.map(String::from),
                value: value.map(validate::shorten),
                message,
            });
        }
    }
}

fn load_one(
    name: &str,
    bytes: &[u8],
    config: &Config,
    vocab: &Vocab,
    tz: &Tz,
    seen_ids: &mut HashSet<Box<str>>,
    out: &mut Loaded,
) -> Result<InputStats> {
    let mut stats = InputStats {
        name: name.to_string(),
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        rows_read: 0,
        rows_valid: 0,
        rows_rejected: 0,
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut sink = Sink {
        file: name,
        errors: &mut out.errors,
    };
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        sink.push(
            1,
            None,
            None,
            "the file is UTF-16; save the export as UTF-8 CSV".into(),
        );
        return Ok(stats);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut record = csv::ByteRecord::new();
    let header = match rdr.read_byte_record(&mut record) {
        Ok(true) => record.clone(),
        Ok(false) => {
            sink.push(
                1,
                None,
                None,
                format!(
                    "the file is empty; expected a header line with the columns {}",
                    COLUMNS.join(", ")
                ),
            );
            return Ok(stats);
        }
        Err(e) => {
            sink.push(1, None, None, format!("cannot read the header: {e}"));
            return Ok(stats);
        }
    };
    // A header far wider than the format (a wrong file, a runaway delimiter) is refused
    // before each of its cells is examined, so the message and the work stay small.
    if header.len() > MAX_HEADER_CELLS {
        sink.push(
            1,
            None,
            None,
            format!(
                "the header has {} cells, but the export format has {} columns (at most {MAX_HEADER_CELLS} with ignored ones); check that this is the comma-separated case export",
                header.len(),
                COLUMNS.len()
            ),
        );
        return Ok(stats);
    }
    let Some(map) = map_header(&header, config, &mut sink) else {
        return Ok(stats);
    };
    let width = header.len();
    let mut row = RowParser {
        vocab,
        tz,
        map: &map,
    };
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // The csv crate only fails on I/O or UTF-8 here, neither of which a byte slice
                // reader produces; count it as a bad row and stop reading this file.
                stats.rows_read += 1;
                stats.rows_rejected += 1;
                sink.errors.rejected_rows += 1;
                sink.push(line, None, None, format!("cannot read this row: {e}"));
                break;
            }
        }
        // A trailing blank line is not a row.
        if record.len() == 1 && record[0].iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        stats.rows_read += 1;
        let before = sink.errors.total;
        if record.len() != width {
            sink.push(
                line,
                None,
                None,
                format!(
                    "this row has {} cells but the header has {width}; check for a missing or extra delimiter or an unbalanced quote",
                    record.len()
                ),
            );
        } else {
            row.parse(&record, line, &mut sink, seen_ids, &mut out.table);
        }
        if sink.errors.total > before {
            stats.rows_rejected += 1;
            sink.errors.rejected_rows += 1;
        } else {
            stats.rows_valid += 1;
        }
    }
    Ok(stats)
}

/// Position in the record of each SPEC column (`None` = not in the export).
type ColumnMap = [Option<usize>; 15];

fn map_header(header: &csv::ByteRecord, config: &Config, sink: &mut Sink) -> Option<ColumnMap> {
    let mut map: ColumnMap = [None; 15];
    let mut ok = true;
    let mut found = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let Ok(cell) = std::str::from_utf8(raw) else {
            sink.push(
                1,
                None,
                None,
                "the header is not UTF-8 text; save the export as UTF-8 CSV".into(),
            );
            return None;
        };
        let cell = cell.trim();
        found.push(cell.to_string());
        let lower = cell.to_lowercase();
        let mapped = config
            .column_map
            .iter()
            .find(|(from, _)| from.trim().eq_ignore_ascii_case(cell))
            .map(|(_, to)| to.to_lowercase())
            .unwrap_or_else(|| lower.clone());
        if let Some(c) = COLUMNS.iter().position(|c| *c == mapped) {
            if map[c].is_some() {
                sink.push(
                    1,
                    Some(cell),
                    None,
                    format!("column `{}` appears twice in the header", COLUMNS[c]),
                );
                ok = false;
            }
            map[c] = Some(i);
        } else if config
            .ignore_columns
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(cell))
        {
            // Listed by the committee: never read, never published.
        } else if looks_personal(&lower) {
            sink.push(
                1,
                Some(cell),
                None,
                "this column looks like personal data or free text, which must not reach a public report; \
                 remove it from the export, or list it in `ignore_columns` in report.toml to have it skipped unread"
                    .into(),
            );
            ok = false;
        } else {
            let mut msg = format!(
                "unknown column; the export format has: {}. To use your tracker's own header, map it with `column_map`; to skip it, list it in `ignore_columns`",
                COLUMNS.join(", ")
            );
            let cols: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            if cell.contains(';') || cell.contains('\t') || cell.contains('|') {
                msg.push_str(". The header looks like it uses another delimiter: the export must be comma-separated");
            } else if let Some(best) = validate::closest(&lower, &cols) {
                msg.push_str(&format!(" (did you mean `{best}`?)"));
            }
            sink.push(1, Some(cell), None, msg);
            ok = false;
        }
    }
    for &r in &REQUIRED {
        if map[r].is_none() {
            sink.push(
                1,
                Some(COLUMNS[r]),
                None,
                format!(
                    "required column is missing; the header has: {}. If your tracker names it differently, map it with `column_map` in report.toml",
                    found.join(", ")
                ),
            );
            ok = false;
        }
    }
    ok.then_some(map)
}

fn looks_personal(header: &str) -> bool {
    header
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| PERSONAL.contains(&w))
        || PERSONAL
            .iter()
            .any(|p| p.len() >= 5 && header.replace(['_', ' ', '-'], "").contains(p))
}

struct RowParser<'a> {
    vocab: &'a Vocab,
    tz: &'a Tz,
    map: &'a ColumnMap,
}

impl RowParser<'_> {
    /// Validates one row; pushes it into `table` only when it has no error.
    fn parse(
        &mut self,
        rec: &csv::ByteRecord,
        line: u64,
        sink: &mut Sink,
        seen_ids: &mut HashSet<Box<str>>,
        table: &mut CaseTable,
    ) {
        let before = sink.errors.total;
        let mut cells: [&str; 15] = [""; 15];
        for (c, pos) in self.map.iter().enumerate() {
            let Some(p) = pos else { continue };
            let raw = rec.get(*p).unwrap_or(b"");
            match std::str::from_utf8(raw) {
                Ok(s) => cells[c] = s.trim(),
                Err(_) => sink.push(
                    line,
                    Some(COLUMNS[c]),
                    None,
                    "the cell is not UTF-8 text; save the export as UTF-8 CSV".into(),
                ),
            }
        }
        if sink.errors.total > before {
            return;
        }
        let mut err = |col: usize, value: &str, msg: String| {
            sink.push(line, Some(COLUMNS[col]), Some(value), msg);
        };
        // Required values.
        let mut missing = false;
        for &r in &REQUIRED {
            if cells[r].is_empty() {
                err(r, "", "a value is required".into());
                missing = true;
            }
        }
        let case_id = cells[0];
        if !case_id.is_empty() && !seen_ids.insert(case_id.into()) {
            err(
                0,
                case_id,
                "duplicate case_id: another row of the export has the same id".into(),
            );
        }
        let v = self.vocab;
        let tz = self.tz;
        let ts = |col: usize, err: &mut dyn FnMut(usize, &str, String)| -> Option<Stamp> {
            let s = cells[col];
            if s.is_empty() {
                return None;
            }
            match validate::parse_timestamp(s, tz) {
                Ok(t) => Some(t),
                Err(m) => {
                    err(col, s, m);
                    None
                }
            }
        };
        let reported = ts(1, &mut err);
        let acknowledged = ts(9, &mut err);
        let resolved = ts(10, &mut err);
        let communicated = ts(11, &mut err);
        let filed = ts(12, &mut err);
        let decided = ts(13, &mut err);
        let en = |col: usize,
                  keys: &[String],
                  what: &str,
                  err: &mut dyn FnMut(usize, &str, String)|
         -> Option<u32> {
            let s = cells[col];
            if s.is_empty() {
                return None;
            }
            match validate::parse_enum(s, keys, what) {
                Ok(i) => Some(i),
                Err(m) => {
                    err(col, s, m);
                    None
                }
            }
        };
        let platform = en(2, &v.platforms, "platform", &mut err);
        let level = en(4, &v.levels, "moderation level", &mut err);
        let reporter = en(5, &v.reporters, "reporter type", &mut err);
        let action = en(6, &v.actions, "action", &mut err);
        let outcome = en(14, &v.outcomes, "appeal outcome", &mut err);
        let mut categories: Vec<u32> = Vec::with_capacity(2);
        if !cells[3].is_empty() {
            for part in cells[3].split(';') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                match validate::parse_enum(part, &v.categories, "category") {
                    Ok(i) => {
                        if !categories.contains(&i) {
                            categories.push(i);
                        }
                    }
                    Err(m) => err(3, part, m),
                }
            }
            if categories.is_empty() && !missing {
                err(
                    3,
                    cells[3],
                    "no category given; list one or more, separated by `;`".into(),
                );
            }
        }
        let suspension_days = if cells[7].is_empty() {
            None
        } else {
            match validate::parse_days(cells[7]) {
                Ok(d) => Some(d),
                Err(m) => {
                    err(7, cells[7], m);
                    None
                }
            }
        };
        let interim = validate::parse_flag(cells[8]).unwrap_or_else(|m| {
            err(8, cells[8], m);
            false
        });
        // Order of events.
        if let Some(r) = reported {
            for (col, t, what) in [
                (10, resolved, "resolved_at"),
                (9, acknowledged, "acknowledged_at"),
                (11, communicated, "decision_communicated_at"),
            ] {
                if let Some(t) = t {
                    if t.secs < r.secs {
                        err(
                            col,
                            cells[col],
                            format!("{what} is before reported_at ({})", cells[1]),
                        );
                    }
                }
            }
        }
        if let (Some(f), Some(d)) = (filed, decided) {
            if d.secs < f.secs {
                err(
                    13,
                    cells[13],
                    format!(
                        "appeal_decided_at is before appeal_filed_at ({})",
                        cells[12]
                    ),
                );
            }
        }
        if filed.is_none() && cells[12].is_empty() {
            if !cells[13].is_empty() {
                err(
                    13,
                    cells[13],
                    "an appeal decision without appeal_filed_at; fill in when the appeal was filed"
                        .into(),
                );
            }
            if !cells[14].is_empty() {
                err(
                    14,
                    cells[14],
                    "an appeal outcome without appeal_filed_at; fill in when the appeal was filed"
                        .into(),
                );
            }
        }
        if sink.errors.total > before {
            return;
        }
        let (Some(reported), Some(platform)) = (reported, platform) else {
            return;
        };
        let row = table.len() as u32;
        table.reported.push(reported.secs);
        table.reported_day.push(reported.day);
        table.platform.push(platform);
        table.level.push(level);
        table.reporter.push(reporter);
        table.action.push(action);
        table.suspension_days.push(suspension_days);
        table.interim.push(interim);
        table.acknowledged.push(acknowledged);
        table.resolved.push(resolved);
        table.communicated_day.push(communicated.map(|c| c.day));
        table.appeal_filed.push(filed);
        table.appeal_decided.push(decided.map(|d| d.secs));
        // An appeal with no outcome yet is pending (SPEC §3).
        let pending = APPEAL_PENDING;
        table.appeal_outcome.push(match (filed, outcome) {
            (Some(_), None) => Some(pending),
            (_, o) => o,
        });
        for c in categories {
            table.category_case.push(row);
            table.category.push(c);
        }
    }
}

/// Index of `pending` in `model::APPEAL_OUTCOMES`.
pub const APPEAL_PENDING: u32 = 4;
