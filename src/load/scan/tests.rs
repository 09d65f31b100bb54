//! Unit tests of `load::scan`: the same records and line numbers as the `csv` crate.

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

#[test]
fn long_quoted_records_grow_the_careful_path_buffers() {
    // More fields than csv-core is first given room for, and a field longer than its first
    // output buffer, in the middle of fast-path lines.
    let mut input = b"a,b\n".to_vec();
    let wide: Vec<String> = (0..100).map(|i| format!("\"f{i}\"")).collect();
    input.extend_from_slice(wide.join(",").as_bytes());
    input.extend_from_slice(b"\r\nc,d\n\"");
    input.extend(std::iter::repeat_n(b'x', 5000));
    input.extend_from_slice(b"\"\"y\",z\nlast");
    let expected = reference(&input);
    assert_eq!(expected.len(), 5);
    assert_eq!(expected[1].1.len(), 100);
    for block in [7, 64, 1 << 20] {
        assert_eq!(chunked(&input, block), expected, "block {block}");
    }
}
