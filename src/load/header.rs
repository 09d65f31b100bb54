//! The header: where each column of the format is in the export's records, under its own name
//! or one `column_map` gives it; columns to skip unread; and the guard that refuses a column
//! that looks like personal data (SPEC §7).

use super::cells;
use super::sink::Sink;
use crate::config::Config;
use crate::schema::{ByColumn, Column, COLUMNS, REQUIRED};

/// The widest header read cell by cell; a wider one is refused as a whole.
const MAX_HEADER_CELLS: usize = 1_000;

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

/// The export's own header of each column that `column_map` renamed.
pub(super) type Renamed = ByColumn<Option<String>>;

/// Position in the record of each SPEC column (`None` = not in the export).
pub(super) type ColumnMap = ByColumn<Option<usize>>;

pub(super) fn map_header(
    header: &[&[u8]],
    config: &Config,
    sink: &mut Sink,
) -> Option<(ColumnMap, Renamed)> {
    // A header far wider than the format (a wrong file, a runaway delimiter) is refused
    // before each of its cells is examined, so the message and the work stay small.
    if header.len() > MAX_HEADER_CELLS {
        sink.file(
            None,
            format!(
                "the header has {} cells, but the export format has {} columns (at most {MAX_HEADER_CELLS} with ignored ones); check that this is the comma-separated case export",
                header.len(),
                COLUMNS.len()
            ),
        );
        return None;
    }
    let mut map: ColumnMap = ByColumn::default();
    let mut renamed: Renamed = Default::default();
    let mut ok = true;
    let mut found = Vec::new();
    for (i, raw) in header.iter().copied().enumerate() {
        let Ok(cell) = std::str::from_utf8(raw) else {
            sink.file(
                None,
                "the header is not UTF-8 text; save the export as UTF-8 CSV".into(),
            );
            return None;
        };
        let cell = cell.trim();
        found.push(cell.to_string());
        let lower = cell.to_lowercase();
        let from_map = config
            .column_map
            .iter()
            .find(|(from, _)| from.trim().eq_ignore_ascii_case(cell))
            .map(|(_, to)| to.to_lowercase());
        let mapped = from_map.clone().unwrap_or_else(|| lower.clone());
        if let Some(c) = Column::from_name(&mapped) {
            if map[c].is_some() {
                sink.file(
                    Some(cell),
                    format!("column `{}` appears twice in the header", c.name()),
                );
                ok = false;
            }
            map[c] = Some(i);
            if from_map.is_some() {
                renamed[c] = Some(cell.to_string());
            }
        } else if config
            .ignore_columns
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(cell))
        {
            // Listed by the committee: never read, never published.
        } else if looks_personal(&lower) {
            sink.file(
                Some(cell),
                "this column looks like personal data or free text, which must not reach a public report; \
                 remove it from the export, or list it in `ignore_columns` in report.toml to have it skipped unread"
                    .into(),
            );
            ok = false;
        } else {
            let mut msg = String::from("unknown column");
            let cols: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            if cell.contains(';') || cell.contains('\t') || cell.contains('|') {
                msg.push_str("; the header looks like it uses another delimiter: the export must be comma-separated");
            } else if let Some(best) = cells::closest(&lower, &cols) {
                msg.push_str(&format!(" (did you mean `{best}`?)"));
            }
            sink.file(Some(cell), msg);
            sink.note(format!(
                "The export format has the columns: {}. To read a column under your tracker's own name, map it with `column_map` in report.toml; to skip a column unread, list it in `ignore_columns`.",
                COLUMNS.join(", ")
            ));
            ok = false;
        }
    }
    for r in REQUIRED {
        if map[r].is_none() {
            sink.file(Some(r.name()), "required column is missing".into());
            sink.note(format!(
                "{}: the header has: {}. If your tracker names a required column differently, map it with `column_map` in report.toml.",
                sink.file,
                found.join(", ")
            ));
            ok = false;
        }
    }
    ok.then_some((map, renamed))
}

fn looks_personal(header: &str) -> bool {
    header
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| PERSONAL.contains(&w))
        || PERSONAL
            .iter()
            .any(|p| p.len() >= 5 && header.replace(['_', ' ', '-'], "").contains(p))
}

/// A file without even a header line.
pub(super) fn empty_file(sink: &mut Sink) {
    sink.file(
        None,
        format!(
            "the file is empty; expected a header line with the columns {}",
            COLUMNS.join(", ")
        ),
    );
}
