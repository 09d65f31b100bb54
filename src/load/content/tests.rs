//! The content digest: the same for a re-saved copy, whatever the pieces; different for any
//! changed value.

use std::path::PathBuf;

use crate::config::Config;
use crate::load::{load_with, ExportContent, LoadOptions};

fn synthetic(rows: u64) -> String {
    let mut csv = Vec::new();
    crate::synth::generate(
        &crate::synth::SampleOptions {
            rows,
            year: 2025,
            seed: 11,
        },
        &Config::default(),
        &mut csv,
    )
    .unwrap();
    String::from_utf8(csv).unwrap()
}

fn content_of(bytes: &[u8], block: usize, threads: usize) -> ExportContent {
    let dir = tempfile::tempdir().unwrap();
    let p: PathBuf = dir.path().join("cases.csv");
    std::fs::write(&p, bytes).unwrap();
    let opts = LoadOptions {
        progress: false,
        threads,
        block,
    };
    let l = load_with(&[p], &Config::default(), &opts).unwrap();
    l.inputs[0].content.clone().unwrap()
}

/// Each cell of each line quoted, padded, in upper case where case does not matter.
fn messed_up(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<String> = line
            .split(',')
            .enumerate()
            .map(|(j, c)| {
                if i == 0 {
                    c.to_uppercase()
                } else if j == 2 || j == 4 {
                    format!("\" {} \"", c.to_uppercase())
                } else {
                    format!("\"{c}\"")
                }
            })
            .collect();
        out.push_str(&cells.join(" ,"));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn a_resaved_copy_has_the_same_content() {
    let text = synthetic(6_000);
    let reference = content_of(text.as_bytes(), 1 << 30, 1);
    assert_eq!(reference.rows, 6_000);
    assert_eq!(reference.line_ends, "LF");
    assert!(!reference.bom);
    let crlf = text.replace('\n', "\r\n");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    for (what, bytes, ends, has_bom) in [
        ("CRLF", crlf.into_bytes(), "CRLF", false),
        ("BOM", bom, "LF", true),
        ("quoted", messed_up(&text).into_bytes(), "CRLF", false),
    ] {
        for (block, threads) in [(1 << 30, 1), (4096, 2), (10_000, 3), (65_536, 2)] {
            let c = content_of(&bytes, block, threads);
            assert_eq!(c.sha256, reference.sha256, "{what}, block {block}");
            assert_eq!(c.rows, 6_000, "{what}");
            assert_eq!(c.line_ends, ends, "{what}");
            assert_eq!(c.bom, has_bom, "{what}");
        }
    }
}

#[test]
fn any_changed_value_or_order_changes_the_content() {
    let text = synthetic(3_000);
    let reference = content_of(text.as_bytes(), 4096, 2).sha256;
    let mut lines: Vec<&str> = text.lines().collect();
    // Another value (the case of an id matters: ids are compared exactly).
    let changed = text.replacen("C2025-", "c2025-", 1);
    assert_ne!(content_of(changed.as_bytes(), 4096, 2).sha256, reference);
    // Two rows swapped.
    lines.swap(10, 2_000);
    let swapped = lines.join("\n") + "\n";
    assert_ne!(content_of(swapped.as_bytes(), 4096, 2).sha256, reference);
    // One row fewer.
    let fewer = text.lines().take(2_999).collect::<Vec<_>>().join("\n") + "\n";
    let c = content_of(fewer.as_bytes(), 4096, 2);
    assert_ne!(c.sha256, reference);
    assert_eq!(c.rows, 2_998);
}
