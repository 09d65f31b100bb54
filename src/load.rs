//! Reads the export(s) in one streaming pass per file, so every problem can be named by file,
//! line and column (polars' reader only knows byte offsets and stops at the first error).
//! Valid rows become compact typed columns (`CaseTable`) for `aggregate`.
//!
//! How a big export is read (SPEC §3 semantics unchanged, outputs identical for any thread
//! count):
//! - the file is read in blocks (memory stays bounded, whatever the file size) and hashed
//!   (SHA-256) on the way;
//! - each block is cut after its last record end outside quotes (`scan::split_point`), and
//!   the pieces are validated by worker threads in parallel, then merged in file order, with
//!   line numbers shifted by the newlines of the pieces before;
//! - duplicate `case_id`s are found from a 64-bit hash per id; in the rare case two ids share
//!   a hash (a real duplicate, or a collision) the exports are read again one piece after the
//!   other, comparing the ids themselves, so the verdict is always exact;
//! - a piece that does not end where a record ends (which the cut rule rules out) makes the
//!   file be read again as one piece.

pub mod cells;
mod scan;

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono_tz::Tz;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{Error, Result, RowError, Scope, ValidationErrors};
use cells::{Stamp, TimestampParser};
use scan::Scanner;

/// The columns of the export format (SPEC §3), in documentation order.
pub const COLUMNS: [&str; N_COLUMNS] = [
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
    "incident_id",
];
pub const N_COLUMNS: usize = 16;
/// Position of `incident_id` in `COLUMNS`.
const INCIDENT: usize = 15;
/// `case_id`, `reported_at`, `category` (SPEC §3.1): every other fact may be unrecorded.
const REQUIRED: [usize; 3] = [0, 1, 3];

pub use crate::error::SHOWN_ERRORS;

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

/// An empty enum cell (codes are taxonomy positions).
pub const NONE16: u16 = u16::MAX;
pub const NONE8: u8 = u8::MAX;
/// An empty timestamp cell.
pub const NO_DAY: i32 = i32::MIN;
pub const NO_SECS: i64 = i64::MIN;
/// An empty `incident_id` cell.
pub const NO_INCIDENT: u128 = 0;
/// `CaseChunk::flags` bits.
pub const INTERIM: u8 = 1;
pub const HAS_SUSPENSION_DAYS: u8 = 2;

/// Valid cases as columns, in pieces (one per piece of the file, in file order). Codes index
/// the taxonomy lists of the config; the `NONE*`/`NO_*` values stand for an empty cell.
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
    /// `pending` when an appeal was filed without an outcome.
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

/// Keys of one enum column in taxonomy order, with an index by length for the common exact
/// (case-insensitive) match; the full `cells::parse_enum` only runs to explain a miss.
struct Keys {
    keys: Vec<String>,
    by_len: Vec<Vec<u16>>,
    what: &'static str,
}

impl Keys {
    fn new(keys: Vec<String>, what: &'static str) -> Result<Self> {
        if keys.len() >= usize::from(NONE16) {
            return Err(Error::Usage(format!(
                "the taxonomy has {} {what} keys; at most {} are supported",
                keys.len(),
                NONE16 - 1
            )));
        }
        let mut by_len: Vec<Vec<u16>> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if by_len.len() <= k.len() {
                by_len.resize(k.len() + 1, Vec::new());
            }
            by_len[k.len()].push(i as u16);
        }
        Ok(Keys { keys, by_len, what })
    }

    fn parse(&self, s: &str) -> Result<u16, String> {
        if let Some(codes) = self.by_len.get(s.len()) {
            for &c in codes {
                if self.keys[usize::from(c)].eq_ignore_ascii_case(s) {
                    return Ok(c);
                }
            }
        }
        cells::parse_enum(s, &self.keys, self.what).map(|i| i as u16)
    }
}

/// Keys of each enum column, lower-cased, in taxonomy order.
struct Vocab {
    platforms: Keys,
    categories: Keys,
    levels: Keys,
    reporters: Keys,
    actions: Keys,
    outcomes: Keys,
}

impl Vocab {
    fn new(c: &Config) -> Result<Self> {
        let t = &c.taxonomy;
        Ok(Vocab {
            platforms: Keys::new(
                t.platforms.iter().map(|e| e.key.clone()).collect(),
                "platform",
            )?,
            categories: Keys::new(
                t.categories.iter().map(|e| e.key.clone()).collect(),
                "category",
            )?,
            levels: Keys::new(
                t.levels.iter().map(|e| e.key.clone()).collect(),
                "moderation level",
            )?,
            reporters: Keys::new(
                crate::model::REPORTER_TYPES.map(String::from).to_vec(),
                "reporter type",
            )?,
            actions: Keys::new(t.actions.iter().map(|e| e.key.clone()).collect(), "action")?,
            outcomes: Keys::new(
                crate::model::APPEAL_OUTCOMES.map(String::from).to_vec(),
                "appeal outcome",
            )?,
        })
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

/// How duplicate `case_id`s are detected.
enum Ids {
    /// Record a hash per id (pieces in parallel); duplicates are looked for afterwards.
    Hashes,
    /// Pieces in order; ids whose hash is shared are compared as text.
    Exact {
        suspects: HashSet<u64>,
        seen: HashSet<Box<str>>,
    },
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
        let mut file_out = read_file(path, &name, ctx, ids, progress, false)?;
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

/// Hash values that occur more than once.
fn shared_hashes(pieces: Vec<Vec<u64>>) -> HashSet<u64> {
    let total: usize = pieces.iter().map(Vec::len).sum();
    // Bucket by the top byte, then sort each (cache-sized) bucket and compare neighbours.
    let mut counts = [0usize; 257];
    for p in &pieces {
        for h in p {
            counts[(h >> 56) as usize + 1] += 1;
        }
    }
    for i in 1..257 {
        counts[i] += counts[i - 1];
    }
    let mut flat = vec![0u64; total];
    let mut next = counts;
    for p in pieces {
        for h in p {
            let b = (h >> 56) as usize;
            flat[next[b]] = h;
            next[b] += 1;
        }
    }
    let mut found = HashSet::new();
    for b in 0..256 {
        let bucket = &mut flat[counts[b]..counts[b + 1]];
        bucket.sort_unstable();
        for w in bucket.windows(2) {
            if w[0] == w[1] {
                found.insert(w[0]);
            }
        }
    }
    found
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of a file, read in blocks so an export of any size is hashed in bounded memory.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(digest: &[u8]) -> String {
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A file without even a header line.
fn empty_file(sink: &mut Sink) {
    sink.file(
        None,
        format!(
            "the file is empty; expected a header line with the columns {}",
            COLUMNS.join(", ")
        ),
    );
}

/// The export's own header of each column that `column_map` renamed.
type Renamed = [Option<String>; N_COLUMNS];

struct Sink<'a> {
    file: &'a str,
    errors: &'a mut ValidationErrors,
    /// Set once the header is read, so a cell's problem names the operator's column too.
    renamed: Option<&'a Renamed>,
}

impl Sink<'_> {
    /// A problem with a row (which `--skip-invalid` may leave out).
    fn push(&mut self, line: u64, column: Option<&str>, value: Option<&str>, message: String) {
        let (file, renamed) = (self.file, self.renamed);
        self.errors.push_with(Scope::Row, || RowError {
            file: file.to_string(),
            line,
            column: column.map(String::from),
            header: column
                .and_then(|c| COLUMNS.iter().position(|k| *k == c))
                .and_then(|i| renamed.and_then(|r| r[i].clone())),
            value: value.map(cells::shorten),
            message,
            scope: Scope::Row,
        });
    }

    /// A problem with the whole file (header, encoding): never skipped.
    fn file(&mut self, column: Option<&str>, message: String) {
        let file = self.file;
        self.errors.push_with(Scope::File, || RowError {
            file: file.to_string(),
            line: 1,
            column: column.map(String::from),
            message,
            scope: Scope::File,
            ..RowError::default()
        });
    }

    /// An explanation shared by several problems, shown once.
    fn note(&mut self, text: String) {
        self.errors.note(text);
    }
}

/// Bytes read so far, on stderr, for loads that take more than a second.
struct Progress {
    enabled: bool,
    total: u64,
    done: u64,
    start: Instant,
    last: Option<Instant>,
}

impl Progress {
    fn new(enabled: bool, paths: &[PathBuf]) -> Self {
        let total = if enabled {
            paths
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum()
        } else {
            0
        };
        Progress {
            enabled,
            total,
            done: 0,
            start: Instant::now(),
            last: None,
        }
    }

    fn restart(&mut self) {
        self.done = 0;
    }

    fn rewind(&mut self, bytes: u64) {
        self.done = self.done.saturating_sub(bytes);
    }

    fn add(&mut self, bytes: u64, name: &str) {
        self.done += bytes;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.start) < Duration::from_secs(1)
            || self
                .last
                .is_some_and(|l| now.duration_since(l) < Duration::from_millis(250))
        {
            return;
        }
        self.last = Some(now);
        let mb = |b: u64| b as f64 / 1e6;
        let pct = (self.done.min(self.total) * 100)
            .checked_div(self.total)
            .unwrap_or(0);
        // Progress is a courtesy: a closed stderr must not stop (or panic) the load.
        let _ = write!(
            std::io::stderr(),
            "\rreading {name}: {pct:>3}% ({:.0} of {:.0} MB)\x1b[K",
            mb(self.done),
            mb(self.total)
        );
    }

    fn finish(&mut self) {
        if self.last.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
            self.last = None;
        }
    }
}

/// A file, read in blocks cut at record ends.
struct Blocks {
    file: File,
    sha: Sha256,
    bytes: u64,
    carry: Vec<u8>,
    pool: Vec<Vec<u8>>,
    block: usize,
    /// Never cut: the whole file is one piece (the fallback when a cut went wrong).
    whole: bool,
    first: bool,
    done: bool,
}

/// What the start of a file says before any record is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    Csv,
    Utf16,
}

impl Blocks {
    /// The next piece, ending at a record end (or at the end of the file: `last`).
    /// Returns `(buffer, length of the piece in it, last)`.
    fn next(
        &mut self,
        start: &mut Option<Start>,
    ) -> std::io::Result<Option<(Vec<u8>, usize, bool)>> {
        if self.done {
            return Ok(None);
        }
        let mut buf = self.pool.pop().unwrap_or_default();
        buf.clear();
        buf.append(&mut self.carry);
        let mut more = false;
        loop {
            // A block at first; then, while no record end is found (one very long record,
            // or the whole file wanted), as much again as is held, so a long stretch is
            // read and searched in linear time and the buffer grows geometrically.
            let step = if more {
                buf.len().max(self.block)
            } else {
                self.block
            };
            let want = buf.len().saturating_add(step);
            let eof = self.fill(&mut buf, want, more)?;
            if self.first {
                self.first = false;
                // The loader strips a UTF-8 BOM, and csv-core a second one.
                let mut skip = 0;
                if buf.starts_with(b"\xEF\xBB\xBF") {
                    skip = 3;
                }
                let body = &buf[skip..];
                if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
                    *start = Some(Start::Utf16);
                } else {
                    *start = Some(Start::Csv);
                    if body.starts_with(b"\xEF\xBB\xBF") {
                        skip += 3;
                    }
                }
                buf.drain(..skip);
            }
            if eof {
                self.done = true;
                let n = buf.len();
                return Ok(Some((buf, n, true)));
            }
            if !self.whole {
                if let Some(cut) = scan::split_point(&buf) {
                    self.carry.extend_from_slice(&buf[cut..]);
                    return Ok(Some((buf, cut, false)));
                }
            }
            // No record end yet (one very long record), or the whole file wanted: read on.
            more = true;
        }
    }

    /// Reads until `buf` holds `want` bytes or the file ends (`true`). `grow`: the buffer
    /// is growing past a block, so its capacity may double rather than fit exactly.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize, grow: bool) -> std::io::Result<bool> {
        if buf.len() >= want {
            return Ok(false);
        }
        if buf.capacity() < want {
            let extra = want - buf.len();
            if grow {
                buf.try_reserve(extra)
            } else {
                buf.try_reserve_exact(extra)
            }
            .map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::OutOfMemory,
                    format!("not enough memory to hold {want} bytes of one record; check the export for an unbalanced quote"),
                )
            })?;
        }
        let old = buf.len();
        // `read_to_end` fills spare capacity without zeroing it first.
        (&mut self.file)
            .take((want - old) as u64)
            .read_to_end(buf)?;
        self.sha.update(&buf[old..]);
        self.bytes += (buf.len() - old) as u64;
        Ok(buf.len() < want)
    }

    /// Reads (and hashes) the rest of the file without parsing it.
    fn drain(&mut self) -> std::io::Result<()> {
        let mut buf = self.pool.pop().unwrap_or_default();
        loop {
            buf.clear();
            if self.fill(&mut buf, self.block, false)? {
                return Ok(());
            }
        }
    }
}

/// One file, read.
struct FileOut {
    stats: InputStats,
    /// Every error of the file, lines final.
    errors: ValidationErrors,
    chunks: Vec<ChunkOut>,
    /// Every piece ended at a record end (else the file must be read as one piece).
    clean: bool,
    /// The header has an `incident_id` column.
    incident_column: bool,
    /// Which columns the header has (`None`: the header was refused).
    columns: Option<[bool; N_COLUMNS]>,
}

/// One piece, validated.
#[derive(Default)]
struct ChunkOut {
    table: CaseChunk,
    /// Lines relative to the piece; `line_base` is added when merging.
    errors: ValidationErrors,
    line_base: u64,
    ids: Vec<u64>,
    newlines: u64,
    rows_read: u64,
    rows_valid: u64,
    clean: bool,
}

struct Job {
    seq: usize,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

fn read_file(
    path: &Path,
    name: &str,
    ctx: &Ctx,
    ids: &mut Ids,
    progress: &mut Progress,
    whole: bool,
) -> Result<FileOut> {
    let io_err = |e| Error::io(format!("cannot read export {}", path.display()), e);
    let file = File::open(path).map_err(io_err)?;
    let mut blocks = Blocks {
        file,
        sha: Sha256::new(),
        bytes: 0,
        carry: Vec::new(),
        pool: Vec::new(),
        block: ctx.block,
        whole,
        first: true,
        done: false,
    };
    let mut out = FileOut {
        stats: InputStats {
            name: name.to_string(),
            sha256: String::new(),
            bytes: 0,
            rows_read: 0,
            rows_valid: 0,
            rows_rejected: 0,
        },
        errors: ValidationErrors::default(),
        chunks: Vec::new(),
        clean: true,
        incident_column: false,
        columns: None,
    };
    let mut start = None;
    let mut seen = 0;
    let first = blocks.next(&mut start).map_err(io_err)?;
    let mut sink = Sink {
        file: name,
        errors: &mut out.errors,
        renamed: None,
    };
    let mut header_ok = None;
    if let (Some((buf, len, last)), Some(Start::Csv)) = (first, start) {
        let mut sc = Scanner::new(&buf[..len]);
        if sc.next_record() {
            let header: Vec<&[u8]> = (0..sc.fields()).map(|i| sc.field(i)).collect();
            if let Some((map, renamed)) = map_header(&header, ctx.config, &mut sink) {
                let job = Job {
                    seq: 0,
                    start: sc.position(),
                    end: len,
                    buf: Vec::new(),
                };
                header_ok = Some((map, renamed, header.len(), sc.newlines(), job, last));
            }
        } else {
            empty_file(&mut sink);
        }
        if let Some((_, _, _, _, job, _)) = header_ok.as_mut() {
            job.buf = buf;
        }
    } else if matches!(start, Some(Start::Utf16)) {
        sink.file(
            None,
            "the file is UTF-16; save the export as UTF-8 CSV".into(),
        );
    } else {
        empty_file(&mut sink);
    }
    if let Some((map, renamed, width, header_newlines, job, last)) = header_ok {
        out.incident_column = map[INCIDENT].is_some();
        out.columns = Some(map.map(|c| c.is_some()));
        let rows = RowParser {
            vocab: ctx.vocab,
            map: &map,
            renamed: &renamed,
            width,
            file: name,
        };
        progress.add(blocks.bytes - seen, name);
        seen = blocks.bytes;
        let mut chunks = match ids {
            Ids::Hashes if ctx.threads > 1 && !last => {
                read_parallel(&mut blocks, job, &rows, ctx, progress, name, &mut seen)
                    .map_err(io_err)?
            }
            _ => read_in_order(
                &mut blocks,
                job,
                last,
                &rows,
                ctx,
                ids,
                progress,
                name,
                &mut seen,
            )
            .map_err(io_err)?,
        };
        // Line numbers: 1 + the newlines before each piece.
        let mut base = 1 + header_newlines;
        let n = chunks.len();
        for (i, c) in chunks.iter_mut().enumerate() {
            c.line_base = base;
            base += c.newlines;
            out.stats.rows_read += c.rows_read;
            out.stats.rows_valid += c.rows_valid;
            out.stats.rows_rejected += c.errors.rejected_rows;
            if i + 1 < n && !c.clean {
                out.clean = false;
            }
        }
        out.chunks = chunks;
    }
    blocks.drain().map_err(io_err)?;
    progress.add(blocks.bytes - seen, name);
    out.stats.bytes = blocks.bytes;
    out.stats.sha256 = hex(&blocks.sha.finalize());
    // Header problems first, then each piece's, in file order.
    for c in &mut out.chunks {
        let e = std::mem::take(&mut c.errors);
        out.errors.merge(e, c.line_base);
    }
    Ok(out)
}

/// Pieces validated by worker threads, merged in order.
fn read_parallel(
    blocks: &mut Blocks,
    first: Job,
    rows: &RowParser,
    ctx: &Ctx,
    progress: &mut Progress,
    name: &str,
    seen: &mut u64,
) -> std::io::Result<Vec<ChunkOut>> {
    let workers = ctx.threads;
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(workers * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (done_tx, done_rx) = mpsc::channel::<(usize, ChunkOut, Vec<u8>)>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            let tz = ctx.tz;
            s.spawn(move || {
                let mut ts = TimestampParser::new(tz);
                let mut ids = Ids::Hashes;
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let out = rows.chunk(&job.buf[job.start..job.end], &mut ts, &mut ids);
                    if done_tx.send((job.seq, out, job.buf)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut results: Vec<Option<ChunkOut>> = Vec::new();
        let store = |results: &mut Vec<Option<ChunkOut>>,
                     pool: &mut Vec<Vec<u8>>,
                     (seq, out, buf): (usize, ChunkOut, Vec<u8>)| {
            if results.len() <= seq {
                results.resize_with(seq + 1, || None);
            }
            results[seq] = Some(out);
            pool.push(buf);
        };
        let mut sent = 1;
        let mut outcome = Ok(());
        if job_tx.send(first).is_ok() {
            let mut none = None;
            loop {
                while let Ok(d) = done_rx.try_recv() {
                    store(&mut results, &mut blocks.pool, d);
                }
                match blocks.next(&mut none) {
                    Ok(Some((buf, len, _))) => {
                        progress.add(blocks.bytes - *seen, name);
                        *seen = blocks.bytes;
                        let job = Job {
                            seq: sent,
                            buf,
                            start: 0,
                            end: len,
                        };
                        sent += 1;
                        if job_tx.send(job).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        outcome = Err(e);
                        break;
                    }
                }
            }
        }
        drop(job_tx);
        for d in done_rx.iter() {
            store(&mut results, &mut blocks.pool, d);
        }
        outcome?;
        Ok(results.into_iter().flatten().collect())
    })
}

/// Pieces validated one after the other on this thread (small files, one core, or exact ids).
#[allow(clippy::too_many_arguments)]
fn read_in_order(
    blocks: &mut Blocks,
    first: Job,
    last: bool,
    rows: &RowParser,
    ctx: &Ctx,
    ids: &mut Ids,
    progress: &mut Progress,
    name: &str,
    seen: &mut u64,
) -> std::io::Result<Vec<ChunkOut>> {
    let mut ts = TimestampParser::new(ctx.tz);
    let mut out = vec![rows.chunk(&first.buf[first.start..first.end], &mut ts, ids)];
    blocks.pool.push(first.buf);
    if last {
        return Ok(out);
    }
    let mut none = None;
    while let Some((buf, len, _)) = blocks.next(&mut none)? {
        progress.add(blocks.bytes - *seen, name);
        *seen = blocks.bytes;
        out.push(rows.chunk(&buf[..len], &mut ts, ids));
        blocks.pool.push(buf);
    }
    Ok(out)
}

/// Position in the record of each SPEC column (`None` = not in the export).
type ColumnMap = [Option<usize>; N_COLUMNS];

fn map_header(header: &[&[u8]], config: &Config, sink: &mut Sink) -> Option<(ColumnMap, Renamed)> {
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
    let mut map: ColumnMap = [None; N_COLUMNS];
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
        if let Some(c) = COLUMNS.iter().position(|c| *c == mapped) {
            if map[c].is_some() {
                sink.file(
                    Some(cell),
                    format!("column `{}` appears twice in the header", COLUMNS[c]),
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
    for &r in &REQUIRED {
        if map[r].is_none() {
            sink.file(Some(COLUMNS[r]), "required column is missing".into());
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

struct RowParser<'a> {
    vocab: &'a Vocab,
    map: &'a ColumnMap,
    renamed: &'a Renamed,
    width: usize,
    file: &'a str,
}

impl RowParser<'_> {
    /// Validates every record of a piece.
    fn chunk(&self, buf: &[u8], ts: &mut TimestampParser, ids: &mut Ids) -> ChunkOut {
        let mut out = ChunkOut::default();
        // Rows ≤ lines: reserve once, so the columns do not over-allocate.
        let lines = memchr::memchr_iter(b'\n', buf).count() + 1;
        out.table.reserve(lines);
        if self.map[INCIDENT].is_some() {
            out.table.incident.reserve_exact(lines);
        }
        let mut sc = Scanner::new(buf);
        let mut sink = Sink {
            file: self.file,
            errors: &mut out.errors,
            renamed: Some(self.renamed),
        };
        while sc.next_record() {
            let line = sc.line_offset();
            // A trailing blank line is not a row.
            if sc.fields() == 1 && sc.field(0).iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            out.rows_read += 1;
            let before = sink.errors.total;
            if sc.fields() != self.width {
                sink.push(
                    line,
                    None,
                    None,
                    format!(
                        "this row has {} cells but the header has {}; check for a missing or extra delimiter or an unbalanced quote",
                        sc.fields(),
                        self.width
                    ),
                );
            } else {
                self.parse(&sc, line, &mut sink, ts, ids, &mut out.table, &mut out.ids);
            }
            if sink.errors.total > before {
                sink.errors.rejected_rows += 1;
            } else {
                out.rows_valid += 1;
            }
        }
        out.newlines = sc.newlines();
        out.clean = !sc.ended_by_eof();
        out
    }

    /// Validates one row; pushes it into `table` only when it has no error.
    #[allow(clippy::too_many_arguments)]
    fn parse(
        &self,
        rec: &Scanner,
        line: u64,
        sink: &mut Sink,
        ts: &mut TimestampParser,
        ids: &mut Ids,
        table: &mut CaseChunk,
        hashes: &mut Vec<u64>,
    ) {
        let before = sink.errors.total;
        let mut cells: [&str; N_COLUMNS] = [""; N_COLUMNS];
        for (c, pos) in self.map.iter().enumerate() {
            let Some(p) = pos else { continue };
            let raw = if *p < rec.fields() {
                rec.field(*p)
            } else {
                b""
            };
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
        if !case_id.is_empty() {
            let h = id_hash(case_id.as_bytes());
            let duplicate = match ids {
                Ids::Hashes => {
                    hashes.push(h);
                    false
                }
                Ids::Exact { suspects, seen } => {
                    suspects.contains(&h) && !seen.insert(case_id.into())
                }
            };
            if duplicate {
                err(
                    0,
                    case_id,
                    "duplicate case_id: another row of the export has the same id".into(),
                );
            }
        }
        let v = self.vocab;
        let reported = optional(&cells, 1, |c| ts.parse(c), &mut err);
        let acknowledged = optional(&cells, 9, |c| ts.parse(c), &mut err);
        let resolved = optional(&cells, 10, |c| ts.parse(c), &mut err);
        let communicated = optional(&cells, 11, |c| ts.parse(c), &mut err);
        let filed = optional(&cells, 12, |c| ts.parse(c), &mut err);
        let decided = optional(&cells, 13, |c| ts.parse(c), &mut err);
        let en = |col: usize, keys: &Keys, err: &mut dyn FnMut(usize, &str, String)| {
            optional(&cells, col, |c| keys.parse(c), err)
        };
        let platform = en(2, &v.platforms, &mut err);
        let level = en(4, &v.levels, &mut err);
        let reporter = en(5, &v.reporters, &mut err);
        let action = en(6, &v.actions, &mut err);
        let outcome = en(14, &v.outcomes, &mut err);
        let mut categories: [u16; 8] = [0; 8];
        let mut more: Vec<u16> = Vec::new();
        let mut n_cat = 0usize;
        if !cells[3].is_empty() {
            // A key was written, known or not (an unknown one is an error of its own).
            let mut given = false;
            for part in cells[3].split(';') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                given = true;
                match v.categories.parse(part) {
                    Ok(i) => {
                        let known = categories[..n_cat.min(8)].contains(&i) || more.contains(&i);
                        if !known {
                            if n_cat < 8 {
                                categories[n_cat] = i;
                            } else {
                                more.push(i);
                            }
                            n_cat += 1;
                        }
                    }
                    Err(m) => err(3, part, m),
                }
            }
            if !given && !missing {
                err(
                    3,
                    cells[3],
                    "no category given; list one or more, separated by `;`".into(),
                );
            }
        }
        let suspension_days = optional(&cells, 7, cells::parse_days, &mut err);
        let interim = cells::parse_flag(cells[8]).unwrap_or_else(|m| {
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
                            format!("{what} is before reported_at ({}); {ORDER_FIX}", cells[1]),
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
                        "appeal_decided_at is before appeal_filed_at ({}); {ORDER_FIX}",
                        cells[12]
                    ),
                );
            }
        }
        // An appeal answers a decision the appellant was told of: filed earlier, it would
        // count as timely although the dates are wrong.
        if let (Some(c), Some(f)) = (communicated, filed) {
            if f.secs < c.secs {
                err(
                    12,
                    cells[12],
                    format!(
                        "appeal_filed_at is before decision_communicated_at ({}); an appeal follows the decision: correct either date",
                        cells[11]
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
        let Some(reported) = reported else {
            return;
        };
        let row = table.len() as u32;
        let since = |t: Option<Stamp>| t.map_or(NO_SECS, |t| t.secs - reported.secs);
        let day = |t: Option<Stamp>| t.map_or(NO_DAY, |t| t.day);
        table.rday.push(reported.day);
        table.platform.push(platform.unwrap_or(NONE16));
        table.level.push(level.unwrap_or(NONE16));
        table.reporter.push(reporter.map_or(NONE8, |r| r as u8));
        table.action.push(action.unwrap_or(NONE16));
        // An appeal with no outcome yet is pending (SPEC §3).
        table.outcome.push(match (filed, outcome) {
            (Some(_), None) => APPEAL_PENDING as u8,
            (_, o) => o.map_or(NONE8, |o| o as u8),
        });
        table.flags.push(
            if interim { INTERIM } else { 0 }
                | if suspension_days.is_some() {
                    HAS_SUSPENSION_DAYS
                } else {
                    0
                },
        );
        table.suspension_days.push(suspension_days.unwrap_or(0));
        table.ack_secs.push(since(acknowledged));
        table.ack_day.push(day(acknowledged));
        table.res_secs.push(since(resolved));
        table.res_day.push(day(resolved));
        table.comm_day.push(day(communicated));
        table.filed_day.push(day(filed));
        table.appeal_secs.push(match (filed, decided) {
            (Some(f), Some(d)) => d.secs - f.secs,
            _ => NO_SECS,
        });
        for &c in categories[..n_cat.min(8)].iter().chain(&more) {
            table.category_row.push(row);
            table.category.push(c);
        }
        if self.map[INCIDENT].is_some() {
            table.incident.push(incident_hash(cells[INCIDENT]));
        }
    }
}

/// Tells incidents apart without keeping their ids: two 64-bit hashes of different
/// construction, so two different ids of one export share the value with a chance of about
/// n² / 2¹²⁹ (below 10⁻²⁴ for ten million ids). An empty cell is `NO_INCIDENT`.
fn incident_hash(id: &str) -> u128 {
    if id.is_empty() {
        return NO_INCIDENT;
    }
    // FNV-1a, finished with the same avalanche step as `id_hash`, for the second half.
    let mut f = 0xCBF2_9CE4_8422_2325u64;
    for &b in id.as_bytes() {
        f = (f ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    let h = (u128::from(id_hash(id.as_bytes())) << 64) | u128::from(mix64(f));
    // The one value reserved for an empty cell.
    h.max(1)
}

/// A 64-bit hash of a case id (not for security: a shared value only triggers an exact check,
/// but a weak hash would trigger it for every large export). Each 8-byte word goes through a
/// full-avalanche mix, so differences in two words cannot cancel out.
fn id_hash(s: &[u8]) -> u64 {
    let mix = mix64;
    let mut h = 0x9E37_79B9_7F4A_7C15u64;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    mix(h ^ s.len() as u64)
}

/// MurmurHash3's 64-bit finaliser: a bijection in which every input bit flips about half of
/// the output bits.
fn mix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The fix offered for two timestamps in the wrong order.
const ORDER_FIX: &str = "correct whichever of the two is wrong: were they swapped, or does \
one lack its UTC offset while the other has one (local times are read in the config's `timezone`)?";

/// Index of `pending` in `model::APPEAL_OUTCOMES`.
pub const APPEAL_PENDING: u32 = 4;

/// An optional cell: empty is `None`; otherwise its parsed value, or the problem reported
/// (with the cell's column and value) and `None`.
fn optional<T>(
    cells: &[&str; N_COLUMNS],
    col: usize,
    parse: impl FnOnce(&str) -> std::result::Result<T, String>,
    err: &mut dyn FnMut(usize, &str, String),
) -> Option<T> {
    let s = cells[col];
    if s.is_empty() {
        return None;
    }
    parse(s).map_err(|m| err(col, s, m)).ok()
}

#[cfg(test)]
mod tests;
