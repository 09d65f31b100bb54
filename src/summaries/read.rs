//! The summaries file: CSV with a header, one summary per row. The committee keeps it in a
//! spreadsheet beside the export, so the reading is as forgiving as the export's (a
//! byte-order mark, CRLF, quoted cells, any letter case in the header, blank rows) and as
//! strict about what a cell may hold: every problem is listed with its line, and nothing
//! is written while one remains.

use chrono::NaiveDate;

use super::{Entry, EntryPeriod};
use crate::config::periods::one_period;

/// The header: `summary` and `confirmed` are required, `kind`, `outcome` and `period` may be
/// left out.
pub const COLUMNS: [&str; 5] = ["kind", "outcome", "summary", "confirmed", "period"];

/// A summary longer than this is not "one or two sentences": refused rather than published
/// as an essay no one re-read.
const MAX_CHARS: usize = 600;

/// The 1-based line of the record at byte `at`. The reader places a record after the end of
/// the one before, which for a CRLF file is before its `\n`: line ends there are skipped.
fn line_at(bytes: &[u8], at: u64) -> u64 {
    let mut at = (at as usize).min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64
}

/// The file's entries, or every problem (`name:line: …`, `name:line:cell: …` for a period).
pub fn parse(name: &str, bytes: &[u8]) -> Result<Vec<Entry>, Vec<String>> {
    parse_with(name, bytes, None)
}

/// As [`parse`], `fiscal` being the config's `[period]` that names a fiscal year (`FY2025`),
/// as for `--periods`.
pub fn parse_with(
    name: &str,
    bytes: &[u8],
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<Entry>, Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut problems = Vec::new();
    let mut records = rdr.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![format!("{name}:1: {e}")]),
        None => {
            return Err(vec![format!(
                "{name}: the file is empty; its first line names the columns: {}",
                COLUMNS.join(",")
            )])
        }
    };
    let mut at = [None; 5];
    for (i, cell) in header.iter().enumerate() {
        let Ok(h) = std::str::from_utf8(cell) else {
            problems.push(format!("{name}:1: the header is not UTF-8 text"));
            continue;
        };
        let h = h.trim().to_ascii_lowercase();
        // `status` is the word PyCon's reports use for the same column.
        let h = if h == "status" { "outcome".into() } else { h };
        match COLUMNS.iter().position(|c| *c == h) {
            Some(c) if at[c].is_some() => {
                problems.push(format!("{name}:1: column `{h}` appears twice"))
            }
            Some(c) => at[c] = Some(i),
            None => problems.push(format!(
                "{name}:1: unknown column `{h}`; the columns are {} (kind, outcome and period may be left out)",
                COLUMNS.join(", ")
            )),
        }
    }
    for required in [2, 3] {
        if at[required].is_none() {
            problems.push(format!(
                "{name}:1: missing column `{}`; the columns are {}",
                COLUMNS[required],
                COLUMNS.join(", ")
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let width = header.len();
    let mut entries = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(bytes, p.byte()));
                problems.push(format!("{name}:{line}: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| line_at(bytes, p.byte()));
        if rec.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if rec.len() != width {
            problems.push(format!(
                "{name}:{line}: the row has {} cells but the header {width} (a summary with a comma must be in double quotes)",
                rec.len()
            ));
            continue;
        }
        let before = problems.len();
        let mut cell = |c: usize| -> String {
            let Some(i) = at[c] else {
                return String::new();
            };
            match std::str::from_utf8(&rec[i]) {
                Ok(t) => t.trim().to_string(),
                Err(_) => {
                    problems.push(format!(
                        "{name}:{line}: column `{}`: the cell is not UTF-8 text",
                        COLUMNS[c]
                    ));
                    String::new()
                }
            }
        };
        let (kind, outcome, text, confirmed, period) =
            (cell(0), cell(1), cell(2), cell(3), cell(4));
        // A line break typed in a spreadsheet cell would break the Markdown list item.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if problems.len() > before {
            // The cell's encoding is the problem; it is not also "empty".
        } else if text.is_empty() {
            problems.push(format!(
                "{name}:{line}: column `summary` is empty: write the summary (one or two sentences), or delete the row"
            ));
        } else if text.chars().count() > MAX_CHARS {
            problems.push(format!(
                "{name}:{line}: column `summary`: {} characters; a summary is one or two sentences (at most {MAX_CHARS} characters)",
                text.chars().count()
            ));
        }
        let confirmed = match confirmed.to_ascii_lowercase().as_str() {
            "yes" | "true" => true,
            "" | "no" | "false" => false,
            other => {
                problems.push(format!(
                    "{name}:{line}: column `confirmed`: value \"{other}\": write `yes` once the committee has checked the summary for publication, or `no` (or leave it empty) until then"
                ));
                false
            }
        };
        // Spelled as `--periods` spells it, read by the same parser; the position is the
        // line and the cell (1-based, counted in the header's order).
        let period = match (period.is_empty(), at[4]) {
            (false, Some(i)) => match one_period(&period, fiscal) {
                Ok(p) => Some(EntryPeriod {
                    label: p.period.label,
                    start: p.period.start,
                    end: p.period.end,
                }),
                Err(m) => {
                    problems.push(format!("{name}:{line}:{}: column `period`: {m}", i + 1));
                    None
                }
            },
            _ => None,
        };
        entries.push(Entry {
            line,
            kind,
            outcome,
            text,
            confirmed,
            period,
        });
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}
