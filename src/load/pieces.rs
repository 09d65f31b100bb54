//! One file, read in pieces: the header from the first piece, then each piece validated on
//! worker threads (or in order, for small files, one core or exact ids), and the pieces
//! merged back in file order with their line numbers made final.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::blocks::{Blocks, Progress, Start};
use super::cells::TimestampParser;
use super::content::{self, Digest256};
use super::header::{empty_file, map_header};
use super::ids::Ids;
use super::row::RowParser;
use super::scan::Scanner;
use super::sink::Sink;
use super::{CaseChunk, Ctx, ExportContent, InputStats};
use crate::error::{Error, Result, ValidationErrors};
use crate::hash::hex;
use crate::schema::{Column, N_COLUMNS};

/// One file, read.
pub(super) struct FileOut {
    pub(super) stats: InputStats,
    /// Every error of the file, lines final.
    pub(super) errors: ValidationErrors,
    pub(super) chunks: Vec<ChunkOut>,
    /// Every piece ended at a record end (else the file must be read as one piece).
    pub(super) clean: bool,
    /// The header has an `incident_id` column.
    pub(super) incident_column: bool,
    /// Which columns the header has (`None`: the header was refused).
    pub(super) columns: Option<[bool; N_COLUMNS]>,
}

impl FileOut {
    /// Nothing read yet from the export `name` (CSV or workbook).
    pub(super) fn new(name: &str) -> Self {
        FileOut {
            stats: InputStats {
                name: name.to_string(),
                sha256: String::new(),
                bytes: 0,
                rows_read: 0,
                rows_valid: 0,
                rows_rejected: 0,
                content: None,
            },
            errors: ValidationErrors::default(),
            chunks: Vec::new(),
            clean: true,
            incident_column: false,
            columns: None,
        }
    }
}

/// One piece, validated.
#[derive(Default)]
pub(super) struct ChunkOut {
    pub(super) table: CaseChunk,
    /// Lines relative to the piece; `line_base` is added when merging.
    pub(super) errors: ValidationErrors,
    pub(super) line_base: u64,
    pub(super) ids: Vec<u64>,
    pub(super) newlines: u64,
    pub(super) rows_read: u64,
    pub(super) rows_valid: u64,
    pub(super) clean: bool,
    /// The piece's records, for the content digest.
    pub(super) content: content::Piece,
}

struct Job {
    seq: usize,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

pub(super) fn read_file(
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
        bom: false,
    };
    let mut out = FileOut::new(name);
    let mut start = None;
    let mut seen = 0;
    let first = blocks.next(&mut start).map_err(io_err)?;
    let mut sink = Sink {
        file: name,
        sheet: None,
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
                let header_cr = memchr::memchr_iter(b'\r', &buf[..sc.position()]).count() as u64;
                header_ok = Some((
                    map,
                    renamed,
                    header.len(),
                    (sc.newlines(), header_cr),
                    job,
                    last,
                ));
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
    if let Some((map, renamed, width, (header_newlines, header_cr), job, last)) = header_ok {
        out.incident_column = map[Column::IncidentId].is_some();
        let columns: [bool; N_COLUMNS] = std::array::from_fn(|i| map.0[i].is_some());
        out.columns = Some(columns);
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
        let mut digest = Digest256::new(&columns);
        let (mut lf, mut cr) = (header_newlines, header_cr);
        for (i, c) in chunks.iter_mut().enumerate() {
            c.line_base = base;
            base += c.newlines;
            lf += c.newlines;
            cr += c.content.cr;
            digest.add(std::mem::take(&mut c.content), c.rows_read);
            out.stats.rows_read += c.rows_read;
            out.stats.rows_valid += c.rows_valid;
            out.stats.rows_rejected += c.errors.rejected_rows;
            if i + 1 < n && !c.clean {
                out.clean = false;
            }
        }
        out.chunks = chunks;
        out.stats.content = Some(ExportContent {
            sha256: digest.finish(),
            rows: out.stats.rows_read,
            bom: blocks.bom,
            line_ends: content::line_ends(lf, cr).to_string(),
        });
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
