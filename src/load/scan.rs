//! CSV records, exactly as the `csv` crate reads them with the settings the loader always used
//! (`,` delimiter, `"` quotes with `""` escapes, CR, LF or CRLF line ends, empty lines skipped,
//! rows of any width), but faster, and in pieces that can be read in parallel.
//!
//! - A line without quotes or inner CR is split on commas in place (the common case); any
//!   other record is read by `csv_core::Reader`, the state machine under the `csv` crate.
//! - Line numbers follow csv-core's `position().line()` taken before each read: 1 + the number
//!   of `\n` bytes consumed when the previous record ended (a record ends right after its `\r`
//!   or `\n`; the `\n` of a CRLF and blank lines are consumed by the next read).
//! - [`split_point`] finds the last record end of a buffer that is outside quotes, so a file
//!   can be cut into chunks whose records are exactly the records of the whole file.
//!
//! The equivalence with the `csv` crate is checked by property tests (`scan/tests.rs`).

use memchr::{memchr, memchr2, memrchr2};

/// Reads the records of one chunk. The chunk must start where a record may start
/// (beginning of the data, or a position returned by [`split_point`]).
pub struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
    /// `\n` bytes consumed so far.
    newlines: u64,
    /// Line of the current record: `1 +` this is its line relative to the chunk start.
    captured: u64,
    /// Field `(start, end)`s, into `buf` (fast path) or `scratch` (quoted records). Offsets
    /// are `usize`, so a piece of any size (one unbalanced quote can make the rest of a file
    /// one record) cannot overflow them.
    ranges: Vec<(usize, usize)>,
    /// The fields of a record read by the careful path, unquoted, one after the other; grown
    /// (doubled) when full, never shrunk, so its zeroed tail costs nothing after the first
    /// long record.
    scratch: Vec<u8>,
    in_scratch: bool,
    /// The careful path, made on its first use (most pieces never need it).
    slow: Option<Box<Slow>>,
    /// The last record ran into the end of the buffer instead of a line end.
    ended_by_eof: bool,
}

impl<'a> Scanner<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Scanner {
            buf,
            pos: 0,
            newlines: 0,
            captured: 0,
            ranges: Vec::with_capacity(32),
            scratch: Vec::new(),
            in_scratch: false,
            slow: None,
            ended_by_eof: false,
        }
    }

    /// `\n` bytes consumed before the current record began to be read, relative to the chunk.
    pub fn line_offset(&self) -> u64 {
        self.captured
    }

    /// `\n` bytes consumed so far (all of them once the chunk is read to its end).
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The last record was cut by the end of the buffer rather than ended by CR or LF.
    pub fn ended_by_eof(&self) -> bool {
        self.ended_by_eof
    }

    /// Number of fields of the current record.
    pub fn fields(&self) -> usize {
        self.ranges.len()
    }

    pub fn field(&self, i: usize) -> &[u8] {
        let (s, e) = self.ranges[i];
        let src: &[u8] = if self.in_scratch {
            &self.scratch
        } else {
            self.buf
        };
        &src[s..e]
    }

    /// Reads the next record; `false` at the end of the buffer.
    pub fn next_record(&mut self) -> bool {
        let buf = self.buf;
        // Empty lines (CR and LF at the start of a record) are skipped.
        while self.pos < buf.len() && (buf[self.pos] == b'\n' || buf[self.pos] == b'\r') {
            self.newlines += u64::from(buf[self.pos] == b'\n');
            self.pos += 1;
        }
        // The record's line is the line of its first byte: the LF of a CRLF before it and
        // blank lines are counted (the csv crate's position before a read counts neither).
        self.captured = self.newlines;
        if self.pos >= buf.len() {
            return false;
        }
        self.ranges.clear();
        let start = self.pos;
        let (line_end, has_lf) = match memchr(b'\n', &buf[start..]) {
            Some(i) => (start + i, true),
            None => (buf.len(), false),
        };
        let line = &buf[start..line_end];
        let content_end = match memchr2(b'"', b'\r', line) {
            None => {
                self.pos = if has_lf { line_end + 1 } else { line_end };
                self.newlines += u64::from(has_lf);
                self.ended_by_eof = !has_lf;
                line_end
            }
            // CRLF: the record ends after the CR; the LF is consumed by the next read.
            Some(i) if line[i] == b'\r' && i + 1 == line.len() => {
                self.pos = start + i + 1;
                self.ended_by_eof = false;
                start + i
            }
            Some(_) => {
                self.read_slow(start);
                return true;
            }
        };
        self.in_scratch = false;
        let mut field_start = start;
        for c in memchr::memchr_iter(b',', &buf[start..content_end]) {
            self.ranges.push((field_start, start + c));
            field_start = start + c + 1;
        }
        self.ranges.push((field_start, content_end));
        true
    }

    /// A record that has quotes or a lone CR, read by csv-core from `start` (a record start
    /// that is not a line end) into the scratch buffer.
    fn read_slow(&mut self, start: usize) {
        let slow = self.slow.get_or_insert_with(|| Box::new(Slow::new()));
        self.in_scratch = true;
        let (consumed, newlines, ended_by_eof) =
            slow.read(&self.buf[start..], &mut self.scratch, &mut self.ranges);
        self.pos = start + consumed;
        self.newlines += newlines;
        self.ended_by_eof = ended_by_eof;
    }
}

/// csv-core's reader, and where it writes the ends of a record's fields.
struct Slow {
    reader: csv_core::Reader,
    /// Where each field ends in the scratch buffer.
    ends: Vec<usize>,
}

impl Slow {
    fn new() -> Self {
        let mut reader = csv_core::Reader::new();
        // csv-core drops a byte-order mark at the start of its first read; here a read starts
        // inside a file whose marks the loader has already dropped, so a mark is text. A blank
        // line read first uses that up and leaves the reader at a record start.
        let (mut out, mut ends) = ([0u8; 1], [0usize; 1]);
        reader.read_record(b"\n", &mut out, &mut ends);
        Slow {
            reader,
            ends: vec![0; 32],
        }
    }

    /// Reads one record from `input`, which starts at a record start that is not a line end:
    /// its fields into `scratch`, their bounds into `ranges`. Returns (bytes consumed, `\n`
    /// bytes among them, whether the input ran out before the record's line end).
    ///
    /// Records are fed one at a time, with fast-path records left out between them: after a
    /// record's line end csv-core is in the same state as at the start of the input, so what
    /// it skipped does not change how it reads the next one.
    fn read(
        &mut self,
        input: &[u8],
        scratch: &mut Vec<u8>,
        ranges: &mut Vec<(usize, usize)>,
    ) -> (usize, u64, bool) {
        use csv_core::ReadRecordResult as R;
        let lines_before = self.reader.line();
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        let eof = loop {
            // Empty once the input is used up: csv-core then ends the record there.
            let rest = &input[nin..];
            let (res, i, o, e) =
                self.reader
                    .read_record(rest, &mut scratch[nout..], &mut self.ends[nend..]);
            nin += i;
            nout += o;
            nend += e;
            match res {
                R::Record => break rest.is_empty(),
                R::OutputFull => scratch.resize((scratch.len() * 2).max(1024), 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::InputEmpty => {}
                // Only for an input that holds no record, which `next_record` rules out.
                R::End => break true,
            }
        };
        ranges.clear();
        let mut field_start = 0;
        for &end in &self.ends[..nend] {
            ranges.push((field_start, end));
            field_start = end;
        }
        (nin, self.reader.line() - lines_before, eof)
    }
}

/// The end (exclusive) of the last record of `buf` that is ended by CR or LF outside quotes,
/// for a buffer that starts where a record may start. Cutting there gives two pieces whose
/// records, read separately, are those of the whole: the state after a record's line end is
/// the same as at the start. `None` when no such record end is certain (a buffer that is one
/// record, or ends in a quoted field spanning all of it).
pub fn split_point(buf: &[u8]) -> Option<usize> {
    let mut best = None;
    let mut pos = 0;
    loop {
        // An unquoted stretch: from `pos` to the next quote.
        let quote = memchr(b'"', &buf[pos..]).map(|i| pos + i);
        let stretch_end = quote.unwrap_or(buf.len());
        if let Some(t) = last_record_end(buf, pos, stretch_end) {
            best = Some(t + 1);
        }
        let Some(q) = quote else { return best };
        // A quote opens a quoted field only at the start of a field; elsewhere it is a
        // literal character of an unquoted field.
        let field_start = q == 0 || matches!(buf[q - 1], b',' | b'\r' | b'\n');
        if !field_start {
            pos = q + 1;
            continue;
        }
        let mut p = q + 1;
        loop {
            let Some(i) = memchr(b'"', &buf[p..]) else {
                return best;
            };
            let c = p + i;
            if c + 1 >= buf.len() {
                // `"` or `""`? The next buffer will tell.
                return best;
            }
            if buf[c + 1] == b'"' {
                p = c + 2;
            } else {
                pos = c + 1;
                break;
            }
        }
    }
}

/// The last CR or LF in `buf[lo..hi]` (unquoted) that ends a record: one that follows a byte
/// of the record rather than another line end or the start of the buffer.
fn last_record_end(buf: &[u8], lo: usize, hi: usize) -> Option<usize> {
    let mut hi = hi;
    while let Some(i) = memrchr2(b'\r', b'\n', &buf[lo..hi]) {
        let t = lo + i;
        if t > 0 && buf[t - 1] != b'\r' && buf[t - 1] != b'\n' {
            return Some(t);
        }
        hi = t;
    }
    None
}

#[cfg(test)]
mod tests;
