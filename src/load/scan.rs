//! CSV records, exactly as the `csv` crate (csv-core) reads them with the settings the loader
//! always used (`,` delimiter, `"` quotes with `""` escapes, CR, LF or CRLF line ends, empty
//! lines skipped, rows of any width), but faster, and in pieces that can be read in parallel.
//!
//! - A line without quotes or inner CR is split on commas in place (the common case); any
//!   other record goes through a byte-by-byte copy of csv-core's state machine.
//! - Line numbers follow csv-core's `position().line()` taken before each read: 1 + the number
//!   of `\n` bytes consumed when the previous record ended (a record ends right after its `\r`
//!   or `\n`; the `\n` of a CRLF and blank lines are consumed by the next read).
//! - [`split_point`] finds the last record end of a buffer that is outside quotes, so a file
//!   can be cut into chunks whose records are exactly the records of the whole file.
//!
//! The equivalence with the `csv` crate is checked by property tests (tests at the end).

use memchr::{memchr, memchr2, memrchr2};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted field: either the first of `""` or the closing quote.
    InQuotedQuote,
}

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
    scratch: Vec<u8>,
    in_scratch: bool,
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

    /// csv-core's state machine, byte by byte, from the start of a field.
    fn read_slow(&mut self, start: usize) {
        let buf = self.buf;
        self.scratch.clear();
        self.in_scratch = true;
        let mut state = State::StartField;
        let mut field_start = 0usize;
        let mut i = start;
        loop {
            if i >= buf.len() {
                // End of input inside a record: the record (and its last field) ends here.
                self.ranges.push((field_start, self.scratch.len()));
                self.ended_by_eof = true;
                break;
            }
            let b = buf[i];
            i += 1;
            self.newlines += u64::from(b == b'\n');
            let term = b == b'\r' || b == b'\n';
            if state == State::InQuotedQuote {
                if b == b'"' {
                    // `""` inside quotes is one quote.
                    self.scratch.push(b);
                    state = State::InQuoted;
                    continue;
                }
                // After a closing quote, a byte is read as in an unquoted field.
                state = State::InField;
            }
            match state {
                State::StartField | State::InField | State::InQuotedQuote => {
                    if state == State::StartField && b == b'"' {
                        state = State::InQuoted;
                    } else if b == b',' {
                        self.ranges.push((field_start, self.scratch.len()));
                        field_start = self.scratch.len();
                        state = State::StartField;
                    } else if term {
                        self.ranges.push((field_start, self.scratch.len()));
                        self.ended_by_eof = false;
                        break;
                    } else {
                        self.scratch.push(b);
                        state = State::InField;
                    }
                }
                State::InQuoted => {
                    if b == b'"' {
                        state = State::InQuotedQuote;
                    } else {
                        self.scratch.push(b);
                    }
                }
            }
        }
        self.pos = i;
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as the `csv` crate reads them: (line of the record's first byte, fields). The
    /// csv crate's position before a read is at the line end it left behind; the line ends and
    /// blank lines from there to the record's first byte are added.
    fn reference(input: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        loop {
            let before = rdr.position().clone();
            if !rdr.read_byte_record(&mut rec).unwrap() {
                break;
            }
            let mut at = before.byte() as usize;
            // The csv crate drops one byte-order mark at the very start.
            if at == 0 && input.starts_with(b"\xEF\xBB\xBF") {
                at = 3;
            }
            let skipped = input[at.min(input.len())..]
                .iter()
                .take_while(|b| **b == b'\n' || **b == b'\r')
                .filter(|b| **b == b'\n')
                .count() as u64;
            let line = before.line() + skipped;
            out.push((line, rec.iter().map(|f| f.to_vec()).collect()));
        }
        out
    }

    fn scan_all(buf: &[u8], base: u64, out: &mut Vec<(u64, Vec<Vec<u8>>)>) -> (u64, bool) {
        let mut s = Scanner::new(buf);
        while s.next_record() {
            let fields = (0..s.fields()).map(|i| s.field(i).to_vec()).collect();
            out.push((1 + base + s.line_offset(), fields));
        }
        (s.newlines(), s.ended_by_eof())
    }

    /// Reads `input` in pieces of about `block` bytes cut by `split_point`, like the loader.
    fn chunked(input: &[u8], block: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut base = 0;
        let mut end = block.min(input.len());
        loop {
            if end >= input.len() {
                scan_all(&input[start..], base, &mut out);
                return out;
            }
            match split_point(&input[start..end]) {
                Some(cut) => {
                    let piece = &input[start..start + cut];
                    let (nl, eof) = scan_all(piece, base, &mut out);
                    assert!(!eof, "a piece must end with a record end");
                    base += nl;
                    start += cut;
                    end = (start + block).min(input.len());
                }
                None => end = (end + block).min(input.len()),
            }
        }
    }

    fn csvish() -> impl Strategy<Value = Vec<u8>> {
        let atom = prop_oneof![
            4 => Just(b"a".to_vec()),
            1 => Just(b"xy z".to_vec()),
            3 => Just(b",".to_vec()),
            3 => Just(b"\"".to_vec()),
            2 => Just(b"\n".to_vec()),
            2 => Just(b"\r\n".to_vec()),
            1 => Just(b"\r".to_vec()),
            1 => Just(b"\"\"".to_vec()),
            1 => Just(b"\xEF\xBB\xBF".to_vec()),
            1 => Just(b" ".to_vec()),
        ];
        proptest::collection::vec(atom, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn same_records_and_lines_as_the_csv_crate(input in csvish(), block in 1usize..40) {
            // The loader strips a leading BOM; csv-core strips a second one, and so does the
            // loader before scanning.
            let once = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&input);
            let body = once.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(once);
            let expected = reference(once);
            let mut whole = Vec::new();
            scan_all(body, 0, &mut whole);
            prop_assert_eq!(&whole, &expected);
            prop_assert_eq!(&chunked(body, block), &expected);
        }
    }

    #[test]
    fn fields_beyond_4_gib_keep_their_offsets() {
        // One piece of more than 4 GiB (an early unbalanced quote can make the rest of a file
        // one record): offsets past `u32::MAX` once wrapped and named the wrong bytes. The
        // buffer is zeroed memory, which the system maps lazily: reading it costs no real
        // memory. (The quoted path keeps its offsets in the same `usize` ranges.)
        let len = (1usize << 32) + 64;
        let mut buf = vec![0u8; len];
        buf[..2].copy_from_slice(b"a,");
        buf[len - 5..].copy_from_slice(b",yz\r\n");
        let mut s = Scanner::new(&buf);
        assert!(s.next_record());
        assert_eq!(s.fields(), 3);
        assert_eq!(s.field(0), b"a");
        assert_eq!(s.field(1).len(), len - 7);
        assert_eq!(s.field(2), b"yz");
    }

    #[test]
    fn quoted_newlines_crlf_and_blank_lines() {
        let input = b"h1,h2\r\n\"a\nb\",\"c\"\"d\"\r\n\r\n\nx,y\rz\n\"open";
        let expected = reference(input);
        for block in 1..input.len() + 2 {
            assert_eq!(chunked(input, block), expected, "block {block}");
        }
        assert_eq!(expected.len(), 5);
    }
}
