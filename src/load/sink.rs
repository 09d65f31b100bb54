//! Where the loader's problems go: each becomes a `RowError` naming the file, the line, the
//! column (also by the operator's own header when `column_map` renamed it) and the value.

use super::cells;
use super::header::Renamed;
use crate::error::{RowError, Scope, ValidationErrors};
use crate::schema::Column;

pub(super) struct Sink<'a> {
    pub(super) file: &'a str,
    /// The worksheet, when the export is a workbook (`line` is then the sheet's row number).
    pub(super) sheet: Option<&'a str>,
    pub(super) errors: &'a mut ValidationErrors,
    /// Set once the header is read, so a cell's problem names the operator's column too.
    pub(super) renamed: Option<&'a Renamed>,
}

impl Sink<'_> {
    /// A problem with a row (which `--skip-invalid` may leave out).
    pub(super) fn push(
        &mut self,
        line: u64,
        column: Option<Column>,
        value: Option<&str>,
        message: String,
    ) {
        let (file, sheet, renamed) = (self.file, self.sheet, self.renamed);
        self.errors.push_with(Scope::Row, || RowError {
            file: file.to_string(),
            sheet: sheet.map(String::from),
            line,
            column: column.map(|c| c.name().to_string()),
            header: column.and_then(|c| renamed.and_then(|r| r[c].clone())),
            value: value.map(cells::shorten),
            message,
            scope: Scope::Row,
        });
    }

    /// A problem with the whole file (header, encoding): never skipped.
    pub(super) fn file(&mut self, column: Option<&str>, message: String) {
        let (file, sheet) = (self.file, self.sheet);
        self.errors.push_with(Scope::File, || RowError {
            file: file.to_string(),
            sheet: sheet.map(String::from),
            line: 1,
            column: column.map(String::from),
            message,
            scope: Scope::File,
            ..RowError::default()
        });
    }

    /// An explanation shared by several problems, shown once.
    pub(super) fn note(&mut self, text: String) {
        self.errors.note(text);
    }
}
