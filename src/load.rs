//! Reads the export(s) in one streaming pass per file, so every problem can be named by file,
//! line and column (polars' reader only knows byte offsets and stops at the first error).
//! Valid rows become compact typed columns (`CaseTable`) for `aggregate`.
//!
//! How a big export is read (SPEC §3 semantics unchanged, outputs identical for any thread
//! count):
//! - the file is read in blocks (memory stays bounded, whatever the file size) and hashed
//!   (SHA-256) on the way (`blocks`);
//! - each block is cut after its last record end outside quotes (`scan::split_point`), and
//!   the pieces are validated by worker threads in parallel, then merged in file order, with
//!   line numbers shifted by the newlines of the pieces before (`pieces`);
//! - the header says where each column of the format is (`header`), and each row is checked
//!   and turned into typed columns (`row`, with the cell rules of `cells`);
//! - duplicate `case_id`s are found from a 64-bit hash per id (`ids`); in the rare case two
//!   ids share a hash (a real duplicate, or a collision) the exports are read again one piece
//!   after the other, comparing the ids themselves, so the verdict is always exact;
//! - a piece that does not end where a record ends (which the cut rule rules out) makes the
//!   file be read again as one piece.

mod blocks;
pub mod cells;
mod content;
mod header;
mod ids;
mod pieces;
mod row;
mod scan;
mod sheet;
mod sink;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::config::Config;
use crate::error::{Error, Result, ValidationErrors};
use crate::schema::{COLUMNS, N_COLUMNS};
use blocks::Progress;
pub use content::{line_ends, SCHEME as CONTENT_SCHEME};
use ids::{shared_hashes, Ids};
use pieces::read_file;
use row::Vocab;
pub use sheet::{is_workbook, EXTENSIONS as WORKBOOK_EXTENSIONS};

pub use crate::error::SHOWN_ERRORS;

/// An empty enum cell.
pub const NONE16: u16 = u16::MAX;
pub const NONE8: u8 = u8::MAX;
/// An empty timestamp cell.
pub const NO_DAY: i32 = i32::MIN;
pub const NO_SECS: i64 = i64::MIN;
/// An empty `incident_id` cell.
pub const NO_INCIDENT: u128 = 0;
/// An empty `person_ref` cell.
pub const NO_PERSON: u128 = 0;
/// `CaseChunk::flags` bits.
pub const INTERIM: u8 = 1;
pub const HAS_SUSPENSION_DAYS: u8 = 2;

/// Valid cases as columns, in pieces (one per piece of the file, in file order). Codes index
/// the taxonomy lists of the config, or (reporter, outcome) the keys of `schema`'s enums; the
/// `NONE*`/`NO_*` values stand for an empty cell.
#[derive(Debug, Clone, Default)]
pub struct CaseTable {
    pub chunks: Vec<CaseChunk>,
    /// Some export had an `incident_id` column (reports are grouped into incidents).
    pub incident_column: bool,
    /// Each export's name and which `COLUMNS` its header has (after `column_map`), in input
    /// order: a fact is recorded when any export has its column (SPEC §3.1).
    pub headers: Vec<(String, [bool; N_COLUMNS])>,
}

/// One piece of the table. Durations are already relative: `ack_secs` and `res_secs` are
/// seconds since `reported_at`, `appeal_secs` since `appeal_filed_at` (when decided).
#[derive(Debug, Clone, Default)]
pub struct CaseChunk {
    /// Local date of `reported_at` (days from CE).
    pub rday: Vec<i32>,
    pub platform: Vec<u16>,
    pub level: Vec<u16>,
    pub reporter: Vec<u8>,
    pub action: Vec<u16>,
    /// Who dealt with the case (`taxonomy.handlers`), `NONE16` when empty.
    pub handler: Vec<u16>,
    /// How the report arrived (`taxonomy.channels`), `NONE16` when empty.
    pub channel: Vec<u16>,
    /// Where the case was referred (`taxonomy.referrals`), `NONE16` when not referred.
    pub referral: Vec<u16>,
    /// `AppealOutcome::Pending` when an appeal was filed without an outcome.
    pub outcome: Vec<u8>,
    pub flags: Vec<u8>,
    pub suspension_days: Vec<u32>,
    pub ack_secs: Vec<i64>,
    pub ack_day: Vec<i32>,
    pub res_secs: Vec<i64>,
    pub res_day: Vec<i32>,
    pub comm_day: Vec<i32>,
    pub filed_day: Vec<i32>,
    pub appeal_secs: Vec<i64>,
    /// Flattened case → categories: `category_row[i]` is the row (in this chunk) of `category[i]`.
    pub category_row: Vec<u32>,
    pub category: Vec<u16>,
    /// A 128-bit hash of each row's `incident_id` (`NO_INCIDENT` = empty: the report is an
    /// incident of its own). Left empty when the export has no `incident_id` column.
    pub incident: Vec<u128>,
    /// A 128-bit hash of each row's `person_ref`, as `incident` (`NO_PERSON` = empty). Left
    /// empty when the export has no `person_ref` column.
    pub person: Vec<u128>,
}

impl CaseChunk {
    pub fn len(&self) -> usize {
        self.rday.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rday.is_empty()
    }
    fn reserve(&mut self, n: usize) {
        self.rday.reserve_exact(n);
        self.platform.reserve_exact(n);
        self.level.reserve_exact(n);
        self.reporter.reserve_exact(n);
        self.action.reserve_exact(n);
        self.handler.reserve_exact(n);
        self.channel.reserve_exact(n);
        self.referral.reserve_exact(n);
        self.outcome.reserve_exact(n);
        self.flags.reserve_exact(n);
        self.suspension_days.reserve_exact(n);
        self.ack_secs.reserve_exact(n);
        self.ack_day.reserve_exact(n);
        self.res_secs.reserve_exact(n);
        self.res_day.reserve_exact(n);
        self.comm_day.reserve_exact(n);
        self.filed_day.reserve_exact(n);
        self.appeal_secs.reserve_exact(n);
        self.category_row.reserve_exact(n + n / 4);
        self.category.reserve_exact(n + n / 4);
    }
}

impl CaseTable {
    /// How many cases were reported before `start` and decided within `start..=end` (days
    /// from CE): the one figure of a period about cases outside it.
    pub fn carried_over(&self, start: i32, end: i32) -> u64 {
        self.chunks
            .iter()
            .flat_map(|c| c.rday.iter().zip(&c.res_day))
            .filter(|(r, d)| **r < start && **d != NO_DAY && (start..=end).contains(*d))
            .count() as u64
    }

    pub fn len(&self) -> usize {
        self.chunks.iter().map(CaseChunk::len).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.chunks.iter().all(CaseChunk::is_empty)
    }

    /// Whether any export has `column` in its header.
    pub fn recorded(&self, column: &str) -> bool {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .is_some_and(|i| self.headers.iter().any(|(_, h)| h[i]))
    }

    /// The exports lacking `column` while another has it: their cases count as empty there.
    pub fn lacking(&self, column: &str) -> Vec<&str> {
        let Some(i) = COLUMNS.iter().position(|c| *c == column) else {
            return Vec::new();
        };
        if !self.recorded(column) {
            return Vec::new();
        }
        self.headers
            .iter()
            .filter(|(_, h)| !h[i])
            .map(|(n, _)| n.as_str())
            .collect()
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
    /// What the file holds once read (`None` when its header was refused).
    pub content: Option<ExportContent>,
}

/// An export's content as the loader reads it (`content`): a digest that a copy re-saved
/// with other line ends, quoting, padding or case keeps, and how its bytes are laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportContent {
    /// SHA-256 of the records after the loader's normalisation (scheme [`CONTENT_SCHEME`]).
    pub sha256: String,
    /// Records read (the header and blank lines are not records).
    pub rows: u64,
    /// The file starts with a UTF-8 byte-order mark.
    pub bom: bool,
    /// `LF`, `CRLF`, `CR`, `mixed` or `none` ([`line_ends`]).
    pub line_ends: String,
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

/// How to read: progress on stderr, threads, block size.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Show bytes read on stderr during long loads (the caller checks it is a terminal).
    pub progress: bool,
    /// Worker threads; 0 = one per available core.
    pub threads: usize,
    /// Bytes read at a time (tests use tiny blocks to exercise the cuts).
    pub block: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            progress: false,
            threads: 0,
            block: 4 << 20,
        }
    }
}

/// Reads every export. Invalid rows are collected in `errors` and left out of the table;
/// whether that fails the build is the caller's decision (`--skip-invalid`).
pub fn load(paths: &[PathBuf], config: &Config) -> Result<Loaded> {
    load_with(paths, config, &LoadOptions::default())
}

pub fn load_with(paths: &[PathBuf], config: &Config, opts: &LoadOptions) -> Result<Loaded> {
    let tz = config.tz().map_err(Error::Usage)?;
    let vocab = Vocab::new(config)?;
    let threads = if opts.threads > 0 {
        opts.threads
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    let ctx = Ctx {
        config,
        vocab: &vocab,
        tz,
        block: opts.block.max(64),
        threads,
    };
    let mut progress = Progress::new(opts.progress, paths);
    let first = read_all(paths, &ctx, &mut Ids::Hashes, &mut progress);
    let result = match first {
        Ok((loaded, hashes)) => {
            let suspects = shared_hashes(hashes);
            if suspects.is_empty() {
                Ok(loaded)
            } else {
                // Two rows share an id hash: read again, one piece after the other, comparing
                // those ids themselves.
                drop(loaded);
                let mut ids = Ids::Exact {
                    suspects,
                    seen: HashSet::new(),
                };
                read_all(paths, &ctx, &mut ids, &mut progress).map(|(l, _)| l)
            }
        }
        Err(e) => Err(e),
    };
    progress.finish();
    result
}

struct Ctx<'a> {
    config: &'a Config,
    vocab: &'a Vocab,
    tz: Tz,
    block: usize,
    threads: usize,
}

fn read_all(
    paths: &[PathBuf],
    ctx: &Ctx,
    ids: &mut Ids,
    progress: &mut Progress,
) -> Result<(Loaded, Vec<Vec<u64>>)> {
    let mut out = Loaded::default();
    let mut hashes = Vec::new();
    let mut names = HashSet::new();
    progress.restart();
    for path in paths {
        let name = display_name(path);
        let mut file_out = if is_workbook(path) {
            sheet::read_workbook(path, &name, ctx, ids, progress)?
        } else {
            read_file(path, &name, ctx, ids, progress, false)?
        };
        if !file_out.clean {
            progress.rewind(file_out.stats.bytes);
            file_out = read_file(path, &name, ctx, ids, progress, true)?;
        }
        if !names.insert(name.clone()) {
            return Err(Error::Usage(format!(
                "two inputs are both named `{name}`; give each export a distinct file name"
            )));
        }
        out.errors.merge(file_out.errors, 0);
        out.table.incident_column |= file_out.incident_column;
        if let Some(cols) = file_out.columns {
            out.table.headers.push((name.clone(), cols));
        }
        for c in file_out.chunks {
            if !c.table.is_empty() {
                out.table.chunks.push(c.table);
            }
            if !c.ids.is_empty() {
                hashes.push(c.ids);
            }
        }
        out.inputs.push(file_out.stats);
    }
    Ok((out, hashes))
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests;
