//! Unit tests of `load`: pieces, threads and the fallbacks give what one whole read gives.

use super::ids::incident_hash;
use super::pieces::FileOut;
use super::*;
use crate::error::{RowError, Scope};

/// Every column of every piece, concatenated (pieces differ with the block size).
fn flat(t: &CaseTable) -> Vec<String> {
    let mut rows = Vec::new();
    for c in &t.chunks {
        for i in 0..c.len() {
            let cats: Vec<u16> = c
                .category_row
                .iter()
                .zip(&c.category)
                .filter(|(r, _)| **r as usize == i)
                .map(|(_, k)| *k)
                .collect();
            rows.push(format!(
                "{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {:?} {:?}",
                c.rday[i],
                c.platform[i],
                c.level[i],
                c.reporter[i],
                c.action[i],
                c.outcome[i],
                c.flags[i],
                c.suspension_days[i],
                c.ack_secs[i],
                c.ack_day[i],
                c.res_secs[i],
                c.res_day[i],
                c.comm_day[i],
                c.filed_day[i],
                c.appeal_secs[i],
                cats,
                c.incident.get(i)
            ));
        }
    }
    rows
}

/// Loads `paths` in blocks of `block` bytes on `threads` threads.
fn in_pieces(paths: &[PathBuf], config: &Config, block: usize, threads: usize) -> Loaded {
    let opts = LoadOptions {
        progress: false,
        threads,
        block,
    };
    load_with(paths, config, &opts).unwrap()
}

/// A messy export: CRLF and LF, blank lines, quoted fields with newlines and quotes,
/// errors everywhere, duplicate ids far apart.
fn messy(rows: usize, seed: u64) -> Vec<u8> {
    let mut s = seed;
    let mut rnd = |n: u64| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) % n
    };
    let mut out = b"\xEF\xBB\xBFcase_id,reported_at,platform,category,moderation_level,action,resolved_at,appeal_filed_at,appeal_outcome\r\n".to_vec();
    for i in 0..rows {
        let id = if rnd(50) == 0 {
            rnd(i as u64 + 1)
        } else {
            i as u64
        };
        let row = match rnd(12) {
            0 => format!("\"C{id}\",\"2025-03-0{}\nT09:00\",blog,\"age;\"\"x\"\"\",A,warning,,,", 1 + rnd(8)),
            1 => format!("C{id},2025-02-30,blog,age,A,warning,,,"),
            2 => format!("C{id},2025-03-03T09:00,blog,age,A,warning,2025-03-01,,"),
            3 => format!("C{id},2025-03-03T09:00,blog,age"),
            4 => String::new(),
            5 => format!("C{id},2025-03-03T09:00,blog,\"age\r\nx\",A,warning,,,"),
            6 => format!("C{id},2025-11-02T01:30,Blog,AGE ; intimidation,D,full_suspension,2025-11-20,2025-11-25,"),
            _ => format!(
                "C{id},2025-{:02}-{:02}T{:02}:15:00-06:00,website,language;age,B,discussion,2025-12-30T10:00:00Z,,",
                1 + rnd(12),
                1 + rnd(28),
                rnd(24)
            ),
        };
        out.extend_from_slice(row.as_bytes());
        out.extend_from_slice(if rnd(3) == 0 { b"\n" } else { b"\r\n" });
    }
    out
}

#[test]
fn pieces_and_threads_do_not_change_anything() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::default();
    for (seed, rows) in [(1u64, 400usize), (2, 1500), (3, 50)] {
        let a = dir.path().join(format!("a{seed}.csv"));
        let b = dir.path().join(format!("b{seed}.csv"));
        std::fs::write(&a, messy(rows, seed)).unwrap();
        std::fs::write(&b, messy(rows / 2, seed + 10)).unwrap();
        let paths = [a, b];
        let one = |block: usize, threads: usize| in_pieces(&paths, &config, block, threads);
        let reference = one(1 << 30, 1);
        assert!(reference.errors.total > 0);
        assert!(reference
            .errors
            .shown
            .iter()
            .any(|e| e.message.contains("duplicate")));
        for (block, threads) in [(64, 2), (100, 3), (997, 2), (4096, 1), (4096, 2)] {
            let got = one(block, threads);
            assert_eq!(got.errors, reference.errors, "block {block}");
            assert_eq!(got.inputs, reference.inputs, "block {block}");
            assert!(flat(&got.table) == flat(&reference.table), "block {block}");
        }
    }
}

#[test]
fn line_numbers_follow_the_csv_reader() {
    // The line of each row's first byte, with CRLF line ends and blank lines counted (a
    // lone CR ends a row but, as in most editors' line numbers, only LF starts a line).
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.csv");
    std::fs::write(
        &p,
        "case_id,reported_at,platform,category\r\nA1,2025-03-03T09:00,blog,age\r\nA2,bad,blog,age\r\n\r\nA3,bad,blog,age\r\nA4,2025-03-03T09:00,blog,age\rA5,bad,blog,age\n\nA6,bad,blog,age\n",
    )
    .unwrap();
    for block in [64, 1 << 20] {
        let opts = LoadOptions {
            progress: false,
            threads: 2,
            block,
        };
        let l = load_with(std::slice::from_ref(&p), &Config::default(), &opts).unwrap();
        let lines: Vec<u64> = l.errors.shown.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 5, 6, 8]);
    }
}

#[test]
fn incident_ids_follow_their_rows_in_every_piece() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::default();
    let path = dir.path().join("cases.csv");
    let mut csv = Vec::new();
    crate::synth::generate(
        &crate::synth::SampleOptions {
            rows: 3_000,
            year: 2025,
            seed: 7,
        },
        &config,
        &mut csv,
    )
    .unwrap();
    // Some cells padded or empty, as trackers write them.
    let text = String::from_utf8(csv)
        .unwrap()
        .replace(",I2025-12\n", ", I2025-12 \n")
        .replace(",I2025-40\n", ",\n");
    std::fs::write(&path, &text).unwrap();
    let paths = [path];
    let one = |block: usize, threads: usize| in_pieces(&paths, &config, block, threads);
    let reference = one(1 << 30, 1);
    assert!(reference.table.incident_column);
    assert_eq!(reference.errors.total, 0);
    let ids: Vec<u128> = reference
        .table
        .chunks
        .iter()
        .flat_map(|c| c.incident.iter().copied())
        .collect();
    assert_eq!(ids.len(), 3_000);
    let expected: Vec<u128> = text
        .lines()
        .skip(1)
        .map(|l| incident_hash(l.rsplit(',').next().unwrap().trim()))
        .collect();
    assert_eq!(ids, expected);
    assert!(ids.contains(&NO_INCIDENT));
    for (block, threads) in [(4096, 2), (10_000, 3), (65_536, 2)] {
        let got = one(block, threads);
        assert!(got.table.chunks.len() > 1, "block {block}");
        assert!(flat(&got.table) == flat(&reference.table), "block {block}");
    }
}

/// Reads one file as the loader does, in pieces of `block` bytes or (`whole`) as one piece.
fn read_one(path: &Path, block: usize, whole: bool) -> FileOut {
    let config = Config::default();
    let vocab = Vocab::new(&config).unwrap();
    let ctx = Ctx {
        config: &config,
        vocab: &vocab,
        tz: config.tz().unwrap(),
        block,
        threads: 2,
    };
    let mut progress = Progress::new(false, &[]);
    read_file(path, "x.csv", &ctx, &mut Ids::Hashes, &mut progress, whole).unwrap()
}

fn rows_of(f: &FileOut) -> Vec<String> {
    let table = CaseTable {
        chunks: f.chunks.iter().map(|c| c.table.clone()).collect(),
        incident_column: f.incident_column,
        headers: Vec::new(),
    };
    flat(&table)
}

#[test]
fn the_whole_file_fallback_reads_the_file_as_one_piece() {
    // The fallback once asked for a buffer of `usize::MAX / 4` bytes: an abort, not an error.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.csv");
    std::fs::write(&p, messy(400, 5)).unwrap();
    let pieces = read_one(&p, 64, false);
    let whole = read_one(&p, 64, true);
    assert!(pieces.chunks.len() > 10);
    assert_eq!(whole.chunks.len(), 1);
    assert_eq!(whole.stats, pieces.stats);
    assert_eq!(whole.errors, pieces.errors);
    assert_eq!(rows_of(&whole), rows_of(&pieces));
}

#[test]
fn one_unbalanced_quote_is_read_in_linear_time() {
    // An early quote that never closes makes the rest of the file one record: read with a
    // buffer that doubles (not one block more each time, searched again from the start),
    // and reported as one ragged row.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.csv");
    let mut text = String::from("case_id,reported_at,platform,category\nA1,2025-03-03T09:00,blog,age\nA2,\"2025-03-03T09:00,blog,age\n");
    for i in 0..200_000 {
        text.push_str(&format!("B{i},2025-03-03T09:00,blog,age\n"));
    }
    std::fs::write(&p, &text).unwrap();
    let start = std::time::Instant::now();
    let f = read_one(&p, 64, false);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(f.stats.rows_read, 2);
    assert_eq!(f.stats.rows_valid, 1);
    assert_eq!(f.errors.total, 1);
    assert!(f.errors.shown[0].message.contains("unbalanced quote"));
    assert_eq!(f.stats.bytes, text.len() as u64);
}

#[test]
fn file_problems_are_counted_and_shown_after_any_number_of_row_problems() {
    let row = |line| RowError {
        file: "a.csv".into(),
        line,
        message: "bad".into(),
        ..RowError::default()
    };
    let mut first = ValidationErrors::default();
    for line in 2..100 {
        first.push(row(line));
    }
    first.rejected_rows = 98;
    let mut second = ValidationErrors::default();
    second.push(RowError {
        file: "b.csv".into(),
        line: 1,
        message: "required column is missing".into(),
        scope: Scope::File,
        ..RowError::default()
    });
    second.note("b.csv: the header has: x".into());
    let mut all = ValidationErrors::default();
    all.merge(first, 0);
    all.merge(second, 0);
    assert_eq!(
        (all.total, all.rejected_rows, all.file_problems),
        (99, 98, 1)
    );
    assert!(all.has_file_problems());
    assert_eq!(all.shown.len(), SHOWN_ERRORS + 1);
    assert_eq!(all.shown.last().unwrap().file, "b.csv");
    let text = all.to_string();
    assert!(
        text.contains("… and 48 more\nb.csv: the header has: x\n"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "(1 in a header or the encoding of a file, which --skip-invalid never skips)"
        ),
        "{text}"
    );
}
