//! Reading a file in blocks cut at record ends, hashing it on the way, and showing how far
//! the reading has got.

use std::fs::File;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::scan;

/// A file, read in blocks cut at record ends.
pub(super) struct Blocks {
    pub(super) file: File,
    pub(super) sha: Sha256,
    pub(super) bytes: u64,
    pub(super) carry: Vec<u8>,
    pub(super) pool: Vec<Vec<u8>>,
    pub(super) block: usize,
    /// Never cut: the whole file is one piece (the fallback when a cut went wrong).
    pub(super) whole: bool,
    pub(super) first: bool,
    pub(super) done: bool,
    /// The file began with a UTF-8 byte-order mark (dropped before reading).
    pub(super) bom: bool,
}

/// What the start of a file says before any record is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    Csv,
    Utf16,
}

impl Blocks {
    /// The next piece, ending at a record end (or at the end of the file: `last`).
    /// Returns `(buffer, length of the piece in it, last)`.
    pub(super) fn next(
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
                self.bom = skip > 0;
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
    pub(super) fn drain(&mut self) -> std::io::Result<()> {
        let mut buf = self.pool.pop().unwrap_or_default();
        loop {
            buf.clear();
            if self.fill(&mut buf, self.block, false)? {
                return Ok(());
            }
        }
    }
}

/// Bytes read so far, on stderr, for loads that take more than a second.
pub(super) struct Progress {
    enabled: bool,
    total: u64,
    done: u64,
    start: Instant,
    last: Option<Instant>,
}

impl Progress {
    pub(super) fn new(enabled: bool, paths: &[PathBuf]) -> Self {
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

    pub(super) fn restart(&mut self) {
        self.done = 0;
    }

    pub(super) fn rewind(&mut self, bytes: u64) {
        self.done = self.done.saturating_sub(bytes);
    }

    pub(super) fn add(&mut self, bytes: u64, name: &str) {
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

    pub(super) fn finish(&mut self) {
        if self.last.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
            self.last = None;
        }
    }
}
