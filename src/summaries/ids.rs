//! The export's ids that occur in the summaries. Only the summaries' own words are looked
//! for: the export is read once more, as plain CSV, and no id that is not in a summary is
//! kept. (A workbook export is not read again: its ids are not matched.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::Config;
use crate::error::{Error, Result};

/// The columns whose values name a case, an incident or a person.
const ID_COLUMNS: [&str; 3] = ["case_id", "incident_id", "person_ref"];

/// Whether an id is distinctive enough to look for: a short number ("12", "2023") is also
/// an ordinary word of a summary, so only ids of three characters or more, and numbers of
/// five digits or more, are matched.
fn distinctive(id: &str) -> bool {
    let n = id.chars().count();
    if id.chars().all(|c| c.is_ascii_digit()) {
        n >= 5
    } else {
        n >= 3
    }
}

/// Each token of `tokens` that is a value of an id column of one of the CSV exports
/// `paths`, with that column (the first one it was found in).
pub fn ids_in_exports(
    paths: &[impl AsRef<Path>],
    cfg: &Config,
    tokens: &BTreeSet<String>,
) -> Result<BTreeMap<String, &'static str>> {
    let mut found = BTreeMap::new();
    if tokens.is_empty() {
        return Ok(found);
    }
    for path in paths {
        let path = path.as_ref();
        if crate::load::is_workbook(path) {
            continue;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_path(path)
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
        let header = rdr
            .byte_headers()
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?
            .clone();
        let columns: Vec<(usize, &'static str)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| {
                let raw = String::from_utf8_lossy(raw);
                let cell = raw.trim().trim_start_matches('\u{feff}');
                let mapped = cfg
                    .column_map
                    .iter()
                    .find(|(from, _)| from.trim().eq_ignore_ascii_case(cell))
                    .map_or_else(|| cell.to_lowercase(), |(_, to)| to.to_lowercase());
                ID_COLUMNS.iter().find(|c| **c == mapped).map(|c| (i, *c))
            })
            .collect();
        if columns.is_empty() {
            continue;
        }
        // The export was validated before: a record that does not parse now ends the look.
        // One record, reused: this reads every row of the export once more.
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap_or(false) {
            for (i, column) in &columns {
                let Some(Ok(value)) = rec.get(*i).map(std::str::from_utf8) else {
                    continue;
                };
                let value = value.trim();
                if distinctive(value) && tokens.contains(value) {
                    found.entry(value.to_string()).or_insert(*column);
                }
            }
        }
    }
    Ok(found)
}
