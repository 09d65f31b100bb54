//! A workbook as an export (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`), read with calamine:
//! one worksheet (the config's `sheet`, else the first visible worksheet), its first non-empty
//! row the header and every row below it a record. Each cell becomes the text a CSV export
//! would carry (`cell_text`), and from there the rows take the CSV path (`RowParser::record`:
//! the same header mapping, validation, typed columns and content digest), so a workbook with
//! the same content as a CSV export gives the same case table, errors and content digest.
//! Problems name the sheet and its own row numbers.
//!
//! A workbook is small in practice and a zip or OLE container cannot be cut into pieces, so it
//! is read whole and on one thread: its bytes (hashed for the manifest), then the one sheet's
//! cells, the bytes dropped before the rows are validated.

use std::io::Cursor;
use std::path::Path;

use calamine::{
    open_workbook_from_rs, Data, Ods, Range, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsb,
    Xlsx,
};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use sha2::{Digest, Sha256};

use super::blocks::Progress;
use super::cells::TimestampParser;
use super::content::{self, Digest256};
use super::header::{empty_file, map_header};
use super::ids::Ids;
use super::pieces::{ChunkOut, FileOut};
use super::row::{Record, RowParser};
use super::sink::Sink;
use super::{Ctx, ExportContent};
use crate::error::{Error, Result, ValidationErrors};
use crate::hash::hex;
use crate::schema::{Column, N_COLUMNS};

/// The file name extensions read as workbooks (any case).
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// One worksheet row: the text of each cell, and the cells the spreadsheet marks as errors.
#[derive(Default)]
struct SheetRow {
    cells: Vec<String>,
    problems: Vec<(usize, String)>,
    /// The row's width as a record: the header's, or up to its last value beyond it.
    width: usize,
}

impl Record for SheetRow {
    fn fields(&self) -> usize {
        self.width
    }
    fn field(&self, i: usize) -> &[u8] {
        self.cells.get(i).map_or(b"", |s| s.as_bytes())
    }
    fn blank(&self) -> bool {
        self.problems.is_empty() && self.cells.iter().all(|c| c.trim().is_empty())
    }
    fn problem(&self, i: usize) -> Option<String> {
        self.problems
            .iter()
            .find(|(at, _)| *at == i)
            .map(|(_, m)| m.clone())
    }
}

impl SheetRow {
    /// Fills the row from the sheet's cells; `header` is the header's width.
    fn fill(&mut self, row: &[Data], header: usize) {
        self.problems.clear();
        self.cells.resize_with(row.len(), String::new);
        for (i, (cell, text)) in row.iter().zip(&mut self.cells).enumerate() {
            text.clear();
            if let Err(problem) = cell_text(cell, text) {
                self.problems.push((i, problem));
            }
        }
        let last = self
            .cells
            .iter()
            .enumerate()
            .rev()
            .find(|(i, c)| !c.trim().is_empty() || self.problems.iter().any(|(p, _)| p == i))
            .map_or(0, |(i, _)| i + 1);
        self.width = header.max(last);
    }
}

/// The text a CSV export would carry for a cell: text as it is; a whole number without a
/// decimal point; a date or date-time as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (a naive local
/// time, rounded to the second, as the sheet shows it: calamine applies the workbook's 1900
/// or 1904 date system); `true`/`false`; an empty cell empty. A spreadsheet error (`#DIV/0!`)
/// is written as shown and returned as a problem of the cell.
fn cell_text(cell: &Data, out: &mut String) -> std::result::Result<(), String> {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                let _ = write!(out, "{}", *f as i64);
            } else {
                let _ = write!(out, "{f}");
            }
        }
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(t) => push_datetime(out, t),
            None => {
                let _ = write!(out, "{}", d.as_f64());
            }
        },
        Data::DateTime(d) => {
            // A duration (`[h]:mm:ss`): shown as the sheet would, which no timestamp is.
            let secs = (d.as_f64() * 86_400.0).round() as i64;
            let _ = write!(
                out,
                "{}:{:02}:{:02}",
                secs / 3600,
                (secs / 60 % 60).abs(),
                (secs % 60).abs()
            );
        }
        Data::DateTimeIso(s) => {
            // ODS: `2025-03-04` or `2025-03-04T10:15:00[.fff]`.
            if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
                push_datetime(out, t);
            } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                let _ = write!(out, "{}", d.format("%Y-%m-%d"));
            } else {
                out.push_str(s);
            }
        }
        Data::DurationIso(s) => out.push_str(s),
        Data::Error(e) => {
            let _ = write!(out, "{e}");
            return Err(format!(
                "the cell holds the spreadsheet error {e} (a formula that could not be computed); correct the formula or type the value"
            ));
        }
    }
    Ok(())
}

fn push_datetime(out: &mut String, t: NaiveDateTime) {
    use std::fmt::Write;
    // Excel keeps times as fractions of a day: 10:15 may come back as 10:14:59.999.
    let t = if t.nanosecond() >= 500_000_000 {
        t + chrono::Duration::seconds(1)
    } else {
        t
    };
    let t = t.with_nanosecond(0).unwrap_or(t);
    if t.time() == chrono::NaiveTime::MIN {
        let _ = write!(out, "{}", t.format("%Y-%m-%d"));
    } else {
        let _ = write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S"));
    }
}

/// Reads one workbook export.
pub(super) fn read_workbook(
    path: &Path,
    name: &str,
    ctx: &Ctx,
    ids: &mut Ids,
    progress: &mut Progress,
) -> Result<FileOut> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::io(format!("cannot read export {}", path.display()), e))?;
    progress.add(bytes.len() as u64, name);
    let mut out = FileOut::new(name);
    out.stats.sha256 = hex(&Sha256::digest(&bytes));
    out.stats.bytes = bytes.len() as u64;
    let (sheet, range) = match open_sheet(path, &bytes, ctx.config.sheet.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            Sink {
                file: name,
                sheet: None,
                errors: &mut out.errors,
                renamed: None,
            }
            .file(None, message);
            return Ok(out);
        }
    };
    drop(bytes);
    let (top, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let mut header_errors = ValidationErrors::default();
    let mut sink = Sink {
        file: name,
        sheet: Some(&sheet),
        errors: &mut header_errors,
        renamed: None,
    };
    let Some(first) = rows.next() else {
        empty_file(&mut sink);
        out.errors.merge(header_errors, u64::from(top));
        return Ok(out);
    };
    let mut header_row = SheetRow::default();
    header_row.fill(first, 0);
    let header: Vec<&[u8]> = (0..header_row.width).map(|i| header_row.field(i)).collect();
    // The header's line is 1 in the sink: the sheet's row is added when merging.
    let mapped = map_header(&header, ctx.config, &mut sink);
    out.errors.merge(header_errors, u64::from(top));
    let Some((map, renamed)) = mapped else {
        return Ok(out);
    };
    out.incident_column = map[Column::IncidentId].is_some();
    let columns: [bool; N_COLUMNS] = std::array::from_fn(|i| map.0[i].is_some());
    out.columns = Some(columns);
    let parser = RowParser {
        vocab: ctx.vocab,
        map: &map,
        renamed: &renamed,
        width: header.len(),
        file: name,
    };
    let mut chunk = ChunkOut {
        content: content::Piece::default(),
        clean: true,
        ..ChunkOut::default()
    };
    let n = range.height().saturating_sub(1);
    chunk.table.reserve(n);
    if out.incident_column {
        chunk.table.incident.reserve_exact(n);
    }
    let mut ts = TimestampParser::new(ctx.tz);
    let mut errors = ValidationErrors::default();
    let mut sink = Sink {
        file: name,
        sheet: Some(&sheet),
        errors: &mut errors,
        renamed: Some(&renamed),
    };
    let mut rec = SheetRow::default();
    for (i, row) in rows.enumerate() {
        rec.fill(row, parser.width);
        // The sheet's own row number: the header's row (1-based) + 1 + i.
        let line = u64::from(top) + 2 + i as u64;
        parser.record(&rec, line, &mut sink, &mut ts, ids, &mut chunk);
    }
    let mut digest = Digest256::new(&columns);
    digest.add(std::mem::take(&mut chunk.content), chunk.rows_read);
    out.stats.rows_read = chunk.rows_read;
    out.stats.rows_valid = chunk.rows_valid;
    out.stats.rows_rejected = errors.rejected_rows;
    out.stats.content = Some(ExportContent {
        sha256: digest.finish(),
        rows: chunk.rows_read,
        bom: false,
        line_ends: content::line_ends(0, 0).to_string(),
    });
    out.errors.merge(errors, 0);
    out.chunks.push(chunk);
    Ok(out)
}

/// The worksheet to read and its cells (formulas as their last computed values), or why not.
fn open_sheet(
    path: &Path,
    bytes: &[u8],
    wanted: Option<&str>,
) -> std::result::Result<(String, Range<Data>), String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let rs = Cursor::new(bytes);
    let opened = match ext.as_str() {
        "ods" => open_workbook_from_rs::<Ods<_>, _>(rs)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        "xls" => open_workbook_from_rs::<Xls<_>, _>(rs)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
        "xlsb" => open_workbook_from_rs::<Xlsb<_>, _>(rs)
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string()),
        _ => open_workbook_from_rs::<Xlsx<_>, _>(rs)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
    };
    let mut book = opened.map_err(|e| {
        format!("cannot read the file as a .{ext} workbook ({e}); save it again from the spreadsheet program, or export the sheet as UTF-8 CSV")
    })?;
    let sheets = book.sheets_metadata().to_vec();
    let worksheets: Vec<&calamine::Sheet> = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let name = match wanted {
        Some(w) => worksheets
            .iter()
            .find(|s| s.name == w)
            .or_else(|| {
                worksheets
                    .iter()
                    .find(|s| s.name.trim().eq_ignore_ascii_case(w.trim()))
            })
            .map(|s| s.name.clone())
            .ok_or_else(|| {
                format!(
                    "the workbook has no worksheet named `{w}` (the config's `sheet`); it has: {}",
                    list(&worksheets)
                )
            })?,
        None => worksheets
            .iter()
            .find(|s| s.visible == SheetVisible::Visible)
            .or(worksheets.first())
            .map(|s| s.name.clone())
            .ok_or_else(|| "the workbook has no worksheet".to_string())?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("cannot read the worksheet `{name}`: {e}"))?;
    Ok((name, range))
}

fn list(sheets: &[&calamine::Sheet]) -> String {
    if sheets.is_empty() {
        return "no worksheet".into();
    }
    sheets
        .iter()
        .map(|s| format!("`{}`", s.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn text(d: Data) -> (String, bool) {
        let mut s = String::new();
        let ok = cell_text(&d, &mut s).is_ok();
        (s, ok)
    }

    #[test]
    fn cells_become_the_text_a_csv_carries() {
        assert_eq!(text(Data::Float(14.0)), ("14".into(), true));
        assert_eq!(text(Data::Float(1.5)), ("1.5".into(), true));
        assert_eq!(text(Data::Int(-3)), ("-3".into(), true));
        assert_eq!(text(Data::Bool(true)), ("true".into(), true));
        assert_eq!(text(Data::Empty), (String::new(), true));
        assert_eq!(
            text(Data::String(" a1 ".into())),
            (" a1 ".to_string(), true)
        );
        assert_eq!(
            text(Data::Error(calamine::CellErrorType::Div0)),
            ("#DIV/0!".into(), false)
        );
    }

    #[test]
    fn serial_dates_in_both_date_systems() {
        let dt = |v, is_1904| {
            Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904))
        };
        // 2025-03-04 = serial 45720 (1900 system) = 44258 (1904 system).
        assert_eq!(text(dt(45720.0, false)).0, "2025-03-04");
        assert_eq!(text(dt(44258.0, true)).0, "2025-03-04");
        // 10:15, stored a hair early as fractions of a day are.
        assert_eq!(
            text(dt(45720.0 + 10.25 / 24.0 - 1e-9, false)).0,
            "2025-03-04 10:15:00"
        );
        assert_eq!(
            text(Data::DateTimeIso("2025-03-04T10:15:00".into())).0,
            "2025-03-04 10:15:00"
        );
        assert_eq!(text(Data::DateTimeIso("2025-03-04".into())).0, "2025-03-04");
        let dur = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(text(dur).0, "36:00:00");
    }
}
