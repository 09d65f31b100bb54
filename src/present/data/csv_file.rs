//! A data table written as CSV: numbers in numeric columns stay numbers, any other cell a
//! spreadsheet would run as a formula is kept as text.

use super::DataTable;
use crate::error::{Error, Result};

/// Spreadsheets execute cells that start with these; a leading `'` keeps them text (SPEC §7).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A plain decimal as this module writes numbers (`-0.0201`, `12`): a spreadsheet reads it as
/// a number, never as a formula, so it needs no guard.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// The cell as written: a number in a numeric column stays a number (a guarded `'-0.02` would
/// be text to every reader of the data package); anything else gets the formula guard.
pub(super) fn guard(field_type: &str, cell: &str) -> String {
    if matches!(field_type, "integer" | "number") && is_plain_number(cell) {
        cell.to_string()
    } else {
        neutralise(cell)
    }
}

pub(super) fn to_csv(t: &DataTable) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let io =
        |e: csv::Error| Error::Present(format!("cannot write data/{}.csv: {e}", t.name).into());
    w.write_record(t.fields.iter().map(|(n, _)| *n))
        .map_err(io)?;
    for r in &t.rows {
        let ty = |i: usize| t.fields.get(i).map_or("string", |(_, ty)| *ty);
        w.write_record(r.iter().enumerate().map(|(i, c)| guard(ty(i), c)))
            .map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| Error::Present(format!("cannot write data/{}.csv: {e}", t.name).into()))
}
