//! Typed errors of the library. `main.rs` turns them into messages and exit codes:
//! invalid data → 1, everything else a user can get wrong (usage, config, I/O) → 2.
//!
//! This is the floor: it imports no other module of the crate. A stage with errors of its
//! own (charts, templates) defines them beside its code and converts them into [`Error`].

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

/// What a problem is about: one row, which `--skip-invalid` may leave out, or a whole file
/// (its header or its encoding), which makes the file unusable and is never skipped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    Row,
    File,
}

/// How many row problems (and, besides them, file problems) are kept for display; all are
/// counted.
pub const SHOWN_ERRORS: usize = 50;

/// One problem in one cell (or row, or header) of an export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    /// The worksheet of a workbook export (`None` for a CSV file).
    pub sheet: Option<String>,
    /// 1-based; the header is line 1. In a worksheet, the sheet's own row number.
    pub line: u64,
    /// The column of the export format (SPEC §3).
    pub column: Option<String>,
    /// The export's own header for `column`, when `column_map` renamed it (the name the
    /// operator sees in their file).
    pub header: Option<String>,
    /// The offending value, shortened for the screen. Shown to the operator only, never published.
    pub value: Option<String>,
    pub message: String,
    pub scope: Scope,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "{}: sheet `{s}`, row {}:", self.file, self.line)?,
            None => write!(f, "{}:{}:", self.file, self.line)?,
        }
        match (&self.header, &self.column) {
            (Some(h), Some(c)) => write!(f, " column `{h}` → `{c}`:")?,
            (None, Some(c)) => write!(f, " column `{c}`:")?,
            _ => {}
        }
        if let Some(v) = self.value.as_ref().filter(|v| !v.is_empty()) {
            write!(f, " value \"{v}\":")?;
        }
        write!(f, " {}", self.message)
    }
}

/// All the problems found in the exports: the first ones kept for display, all counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    pub shown: Vec<RowError>,
    pub total: u64,
    /// Data rows with at least one error (a header problem rejects no row but fails the file).
    pub rejected_rows: u64,
    /// Problems with a whole file (header, encoding): counted here whether shown or not, so
    /// `--skip-invalid` can refuse them without looking at the displayed list.
    pub file_problems: u64,
    /// Explanations that several problems share (the accepted columns, a file's header),
    /// shown once after the list rather than on every line.
    pub notes: Vec<String>,
    /// How many of `shown` are file problems.
    shown_file: usize,
}

impl ValidationErrors {
    /// Counts a problem and keeps it for display while there is room: the first
    /// `SHOWN_ERRORS` row problems, and besides them the first `SHOWN_ERRORS` file problems
    /// (so a file's header problem is shown even after many bad rows of an earlier file).
    pub fn push(&mut self, e: RowError) {
        self.push_with(e.scope, || e);
    }

    /// [`push`](Self::push), building the problem only when it will be shown.
    pub fn push_with(&mut self, scope: Scope, make: impl FnOnce() -> RowError) {
        self.total += 1;
        if scope == Scope::File {
            self.file_problems += 1;
        }
        if self.has_room(scope) {
            let mut e = make();
            e.scope = scope;
            self.keep(e);
        }
    }

    fn has_room(&self, scope: Scope) -> bool {
        let limit = SHOWN_ERRORS;
        match scope {
            Scope::Row => self.shown.len() - self.shown_file < limit,
            Scope::File => self.shown_file < limit,
        }
    }

    fn keep(&mut self, e: RowError) {
        if e.scope == Scope::File {
            self.shown_file += 1;
        }
        self.shown.push(e);
    }

    /// Adds an explanation once.
    pub fn note(&mut self, text: String) {
        if !self.notes.contains(&text) {
            self.notes.push(text);
        }
    }

    /// Appends the problems of a later file or piece; `line_base` is added to their lines.
    pub fn merge(&mut self, from: ValidationErrors, line_base: u64) {
        self.total += from.total;
        self.rejected_rows += from.rejected_rows;
        self.file_problems += from.file_problems;
        for mut e in from.shown {
            if self.has_room(e.scope) {
                e.line += line_base;
                self.keep(e);
            }
        }
        for n in from.notes {
            self.note(n);
        }
    }

    /// The problems that no option may skip: a header or an encoding that makes a file unusable.
    pub fn has_file_problems(&self) -> bool {
        self.file_problems > 0
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.shown {
            writeln!(f, "{e}")?;
        }
        let hidden = self.total.saturating_sub(self.shown.len() as u64);
        if hidden > 0 {
            writeln!(f, "… and {hidden} more")?;
        }
        for n in &self.notes {
            writeln!(f, "{n}")?;
        }
        write!(
            f,
            "{} problem{} in {} row{} of the export",
            self.total,
            if self.total == 1 { "" } else { "s" },
            self.rejected_rows,
            if self.rejected_rows == 1 { "" } else { "s" }
        )?;
        if self.file_problems > 0 {
            write!(
                f,
                " ({} in a header or the encoding of a file, which --skip-invalid never skips)",
                self.file_problems
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    /// A file of earlier published figures (`[[site.import]]`) that cannot be used; `line`
    /// is 1-based (the header is line 1) where one line is at fault.
    #[error("imported figures {}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Import {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
}

#[derive(Debug, Error)]
pub enum Error {
    /// The export has invalid rows or headers (exit 1).
    #[error("the export is not valid:\n{0}")]
    InvalidData(ValidationErrors),
    /// `verify` found differences (exit 1).
    #[error("{0}")]
    VerifyFailed(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Usage(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("aggregation failed: {0}")]
    Aggregate(String),
    /// A report file could not be written out (charts, templates, data files).
    #[error("{0}")]
    Present(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The committee's summaries file has problems (exit 2): each `file:line: …`.
    #[error("the summaries file {file} is not valid (nothing was written):\n{}\n{} problem{} in {file}", problems.join("\n"), problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Summaries { file: String, problems: Vec<String> },
    /// The settings (period, `min_cell`) cannot be honoured for this data without publishing
    /// a derivable cell (exit 2: a setting to change, not invalid data).
    #[error("{0}")]
    Protection(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A write to a pipe whose reader has gone (`… | head`), anywhere in the chain of causes.
    pub fn is_broken_pipe(&self) -> bool {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cause {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return true;
            }
            cause = e.source();
        }
        false
    }

    /// The documented exit code (README "Exit codes").
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidData(_) | Error::VerifyFailed(_) => 1,
            _ => 2,
        }
    }
}

impl From<polars::error::PolarsError> for Error {
    fn from(e: polars::error::PolarsError) -> Self {
        Error::Aggregate(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
