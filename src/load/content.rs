//! A digest of an export's content: its records as the loader reads them, so that a copy
//! re-saved by another program (a byte-order mark added, CRLF line ends, other quoting, padded
//! cells, enum values in another case, columns in another order or with other header case)
//! has the same digest, while any change to a value read changes it.
//!
//! Each record is encoded as the loader reads it. A valid row is encoded from its values
//! once parsed (`row`): the trimmed `case_id` and `incident_id`, `reported_at` as an instant
//! (seconds since the epoch; a local time read in the report's time zone) and the other
//! timestamps as seconds after it, each enum value as its position in the taxonomy's list of
//! keys (so case does not matter), the sections of `category` in the order first given,
//! without repeats, and `suspension_days` and `interim_suspension` as numbers; `channel` and
//! `referred_to` follow, as taxonomy positions, only when the header has them (so the digest
//! of an export without them is what scheme 1 always gave). (Enum values
//! and local times are read with the report's settings, which the manifest records too.) A rejected row (`--skip-invalid`) is encoded from its cells: quoting undone,
//! each cell trimmed, enum values in lower case; all its cells in file order when it has the
//! wrong number of them. Which columns the header has is part of the digest; their order,
//! their case and ignored columns are not.
//!
//! The digest must not depend on where the loader cut the file into pieces (pieces are byte
//! ranges, and a re-saved copy has other byte offsets), yet pieces are read in parallel. So
//! records are grouped by content: a record whose `case_id` hashes to 0 modulo [`GROUP`]
//! ends a group. A group's digest is the SHA-256 of its records' encodings; the content
//! digest is the SHA-256 of a scheme tag, the header's columns, the group digests in order
//! and the number of records. A piece hashes the groups that lie wholly inside it on its
//! worker thread and keeps the encodings of its first, partial group (about [`GROUP`]
//! records), which the merge, in file order, appends to the previous piece's open group.
//! Every step is SHA-256 over an unambiguous encoding (lengths before bytes), so two exports
//! with one digest have the same records in the same order.

use sha2::{Digest, Sha256};

use super::header::ColumnMap;
use super::ids::id_hash;
use super::row::Record;
use crate::hash::hex;
use crate::schema::Column;

/// The version of the encoding above; the manifest records it beside the digest, and a
/// digest of another scheme is not compared.
pub const SCHEME: u32 = 1;

/// Records per group, on average (a power of two).
const GROUP: u64 = 64;

/// Enum columns, whose values are matched without regard to case.
fn is_enum(c: Column) -> bool {
    matches!(
        c,
        Column::Platform
            | Column::ModerationLevel
            | Column::ReporterType
            | Column::Action
            | Column::InterimSuspension
            | Column::AppealOutcome
    )
}

/// The content of one piece of a file.
#[derive(Default)]
pub(super) struct Piece {
    /// Encodings of the records up to and including the first that ends a group (all of
    /// them when none does).
    head: Vec<u8>,
    /// A record of the piece ends a group.
    closed: bool,
    /// Digests of the groups that begin and end inside the piece.
    groups: Vec<[u8; 32]>,
    /// The open group after the last group end.
    tail: Sha256,
    /// One record's encoding (reused).
    row: Vec<u8>,
    /// `\r` bytes in the piece (line ends, for the auditor's message).
    pub(super) cr: u64,
}

impl Piece {
    pub(super) fn new(buf: &[u8]) -> Self {
        Piece {
            cr: memchr::memchr_iter(b'\r', buf).count() as u64,
            ..Piece::default()
        }
    }

    /// Starts the encoding of a valid row, to be written by [`Row`] and ended by [`Row::end`].
    pub(super) fn row(&mut self) -> Row<'_> {
        self.row.clear();
        self.row.push(1);
        Row { piece: self }
    }

    /// Adds the record `sc`, a rejected row, from its cells.
    pub(super) fn rejected(&mut self, sc: &impl Record, map: &ColumnMap, width: usize) {
        let row = &mut self.row;
        row.clear();
        row.push(2);
        let mut key: &[u8] = b"";
        if sc.fields() == width {
            row.extend_from_slice(&0u32.to_le_bytes());
            for (c, pos) in map.iter() {
                let Some(p) = *pos else { continue };
                let cell = trim(sc.field(p));
                if c == Column::CaseId {
                    key = cell;
                }
                if c == Column::Category {
                    push_sections(row, cell);
                } else if is_enum(c) {
                    push_len(row, cell.len());
                    row.extend(cell.iter().map(u8::to_ascii_lowercase));
                } else {
                    push_len(row, cell.len());
                    row.extend_from_slice(cell);
                }
            }
        } else {
            row.extend_from_slice(&(0x8000_0000 | sc.fields() as u32).to_le_bytes());
            for i in 0..sc.fields() {
                let cell = trim(sc.field(i));
                push_len(row, cell.len());
                row.extend_from_slice(cell);
            }
        }
        let ends_group = id_hash(key) % GROUP == 0;
        self.end(ends_group);
    }

    /// Adds the record encoded in `self.row`.
    fn end(&mut self, ends_group: bool) {
        if !self.closed {
            self.head.extend_from_slice(&self.row);
            self.closed = ends_group;
        } else {
            self.tail.update(&self.row);
            if ends_group {
                self.groups.push(self.tail.finalize_reset().into());
            }
        }
    }
}

/// The encoding of one valid row, value by value.
pub(super) struct Row<'a> {
    piece: &'a mut Piece,
}

impl Row<'_> {
    pub(super) fn text(&mut self, s: &str) -> &mut Self {
        varint(&mut self.piece.row, s.len() as u64);
        self.piece.row.extend_from_slice(s.as_bytes());
        self
    }

    /// A number or none (`None` and every value have distinct encodings).
    pub(super) fn int(&mut self, v: Option<i64>) -> &mut Self {
        // Zig-zag, shifted by one so that 0 is left for `None`.
        let z = v.map_or(0, |v| ((v << 1) ^ (v >> 63)) as u64 + 1);
        varint(&mut self.piece.row, z);
        self
    }

    /// An enum value, as its index in the taxonomy's (or the format's) list of keys.
    pub(super) fn code(&mut self, c: u16) -> &mut Self {
        self.piece.row.extend_from_slice(&c.to_le_bytes());
        self
    }

    /// Ends the row; `case_id` places the group ends.
    pub(super) fn end(self, case_id: &str) {
        let ends_group = id_hash(case_id.as_bytes()) % GROUP == 0;
        self.piece.end(ends_group);
    }
}

/// LEB128: seven bits a byte, the high bit set on every byte but the last.
fn varint(row: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        row.push((v as u8) | 0x80);
        v >>= 7;
    }
    row.push(v as u8);
}

fn push_len(row: &mut Vec<u8>, n: usize) {
    row.extend_from_slice(&(n as u32).to_le_bytes());
}

/// `category`: the sections, trimmed and lower-cased, without empty ones, joined by `;`.
fn push_sections(row: &mut Vec<u8>, cell: &[u8]) {
    let at = row.len();
    push_len(row, 0);
    let start = row.len();
    for part in cell.split(|&b| b == b';') {
        let part = trim(part);
        if part.is_empty() {
            continue;
        }
        if row.len() > start {
            row.push(b';');
        }
        row.extend(part.iter().map(u8::to_ascii_lowercase));
    }
    let n = (row.len() - start) as u32;
    row[at..start].copy_from_slice(&n.to_le_bytes());
}

/// A cell as `row` reads it: trimmed of whitespace when it is UTF-8 text (bytes that are not
/// are kept as they are; the loader rejects them).
fn trim(cell: &[u8]) -> &[u8] {
    if cell.is_ascii() {
        // `str::trim`'s whitespace, in ASCII: tab, LF, vertical tab, form feed, CR, space.
        let ws = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
        let start = cell.iter().position(|b| !ws(b)).unwrap_or(cell.len());
        let end = cell.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
        &cell[start..end]
    } else {
        match std::str::from_utf8(cell) {
            Ok(s) => s.trim().as_bytes(),
            Err(_) => cell,
        }
    }
}

/// The digest of a whole file, fed its pieces in file order.
pub(super) struct Digest256 {
    outer: Sha256,
    open: Sha256,
    rows: u64,
}

impl Digest256 {
    /// `columns`: which columns of the format the header has.
    pub(super) fn new(columns: &[bool]) -> Self {
        let mut outer = Sha256::new();
        outer.update(b"transparency-report export content\0");
        outer.update(SCHEME.to_le_bytes());
        let bits = columns
            .iter()
            .enumerate()
            .fold(0u64, |acc, (i, &b)| acc | (u64::from(b) << i));
        outer.update(bits.to_le_bytes());
        Digest256 {
            outer,
            open: Sha256::new(),
            rows: 0,
        }
    }

    pub(super) fn add(&mut self, piece: Piece, rows: u64) {
        self.rows += rows;
        self.open.update(&piece.head);
        if piece.closed {
            let done = std::mem::replace(&mut self.open, piece.tail);
            self.outer.update(done.finalize());
            for g in &piece.groups {
                self.outer.update(g);
            }
        }
    }

    pub(super) fn finish(mut self) -> String {
        self.outer.update(self.open.finalize());
        self.outer.update(self.rows.to_le_bytes());
        hex(&self.outer.finalize())
    }
}

/// How the lines of a file end, for the auditor's message ("only the line ends differ").
pub fn line_ends(lf: u64, cr: u64) -> &'static str {
    match (lf, cr) {
        (0, 0) => "none",
        (_, 0) => "LF",
        (0, _) => "CR",
        (l, c) if l == c => "CRLF",
        _ => "mixed",
    }
}

#[cfg(test)]
mod tests;
