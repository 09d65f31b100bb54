//! Typed errors of the library. `main.rs` turns them into messages and exit codes:
//! invalid data → 1, everything else a user can get wrong (usage, config, I/O) → 2.

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

/// One problem in one cell (or row, or header) of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    /// 1-based; the header is line 1.
    pub line: u64,
    pub column: Option<String>,
    /// The offending value, shortened for the screen. Shown to the operator only, never published.
    pub value: Option<String>,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:", self.file, self.line)?;
        if let Some(c) = &self.column {
            write!(f, " column `{c}`:")?;
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
        write!(
            f,
            "{} problem{} in {} row{} of the export",
            self.total,
            if self.total == 1 { "" } else { "s" },
            self.rejected_rows,
            if self.rejected_rows == 1 { "" } else { "s" }
        )
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
    #[error(transparent)]
    Chart(#[from] crate::chart::ChartError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Sample(#[from] crate::sample::SampleError),
    /// The settings (period, `min_cell`) cannot be honoured for this data without publishing
    /// a derivable cell (exit 2: a setting to change, not invalid data).
    #[error(transparent)]
    Protection(#[from] crate::suppress::ProtectionError),
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
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
