//! Unit tests of `suppress` (kept in their own file).

use super::*;
use proptest::prelude::*;

/// One table whose cells add up to a published total; returns the cells after the pass.
fn run_table(v: &[(&str, u64)], min: u64) -> Vec<Cell> {
    let mut cells: Vec<Cell> = v
        .iter()
        .map(|(k, n)| Cell {
            table: "t",
            key: k.to_string(),
            value: *n,
            hidden: *n >= 1 && *n < min,
            primary: *n >= 1 && *n < min,
        })
        .collect();
    let r = Relation {
        total: Total::Fixed,
        parts: (0..cells.len()).collect(),
    };
    while needs_more(&cells, &r, min) {
        let Some(i) = pick(&cells, &r, min) else {
            break;
        };
        cells[i].hidden = true;
    }
    cells
}

fn shown(cells: &[Cell]) -> Vec<Option<u64>> {
    cells
        .iter()
        .map(|c| (!c.hidden).then_some(c.value))
        .collect()
}

#[test]
fn one_small_cell_gets_a_complement() {
    let c = run_table(&[("a", 10), ("b", 2), ("c", 5), ("d", 0)], 3);
    assert_eq!(shown(&c), vec![Some(10), None, None, Some(0)]);
    assert!(c[1].primary, "b is small");
    assert!(!c[2].primary, "the smallest non-zero cell c hides b");
}

#[test]
fn two_ones_are_not_enough() {
    // 1 + 1 = 2 would reveal both cells: a third is hidden.
    let c = run_table(&[("a", 1), ("b", 1), ("c", 7), ("d", 9)], 3);
    assert_eq!(shown(&c), vec![None, None, None, Some(9)]);
}

#[test]
fn a_complement_of_min_cell_is_not_enough() {
    // a = 1 and c = 3: a reader who knows c is 0 or ≥ 3 solves a + c = 4 as 1 + 3.
    // Hiding d = 6 instead leaves a + d = 7: 1 + 6 or 2 + 5.
    let c = run_table(&[("a", 1), ("c", 3), ("d", 6), ("e", 20)], 3);
    assert_eq!(shown(&c), vec![None, Some(3), None, Some(20)]);
    // Two twos: 2 + 2 = 4 is only 2 + 2 when both are "< 3".
    let c = run_table(&[("a", 2), ("b", 2), ("c", 9)], 3);
    assert_eq!(shown(&c), vec![None, None, None]);
}

#[test]
fn zeros_are_published_and_off_switch() {
    let c = run_table(&[("a", 0), ("b", 4)], 3);
    assert_eq!(shown(&c), vec![Some(0), Some(4)]);
    let config = crate::config::Config::default();
    let period = crate::config::Period::new(
        None,
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    )
    .unwrap();
    let mut s = crate::compute::aggregate::aggregate(
        crate::load::CaseTable::default(),
        &config,
        &period,
        0,
        0,
    )
    .unwrap()
    .summary;
    s.by_platform.insert("blog".into(), Some(1));
    s.appeals.filed = Some(2);
    let before = s.clone();
    let tax = config.taxonomy;
    let r = suppress(&mut s, None, &Support::default(), 0, &tax);
    assert_eq!(s, before);
    assert!(r.tables.is_empty());
    let r = suppress(&mut s, None, &Support::default(), 1, &tax);
    assert_eq!(s, before);
    assert_eq!(r.primary + r.complementary, 0);
}

/// All values a small hidden cell may take for a reader who sees the published cells, the
/// total, which cells are small ("< min") and which are complements (0 or ≥ min): brute
/// force over every assignment, independent of `protected`.
fn possible_values(cells: &[Cell], target: usize, min: u64) -> BTreeSet<u64> {
    let hidden: Vec<usize> = (0..cells.len()).filter(|&i| cells[i].hidden).collect();
    let sum: u64 = hidden.iter().map(|&i| cells[i].value).sum();
    let ranges: Vec<Vec<u64>> = hidden
        .iter()
        .map(|&i| {
            if cells[i].primary {
                (1..min).collect()
            } else {
                (0..=sum).filter(|&v| v == 0 || v >= min).collect()
            }
        })
        .collect();
    let mut out = BTreeSet::new();
    let mut idx = vec![0usize; hidden.len()];
    loop {
        let vals: Vec<u64> = idx.iter().zip(&ranges).map(|(&j, r)| r[j]).collect();
        if vals.iter().sum::<u64>() == sum {
            let pos = hidden.iter().position(|&h| h == target).unwrap();
            out.insert(vals[pos]);
        }
        let mut k = 0;
        loop {
            if k == idx.len() {
                return out;
            }
            idx[k] += 1;
            if idx[k] < ranges[k].len() {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_small_cell_can_be_narrowed_down(
        values in proptest::collection::vec(0u64..12, 2..6),
        min in 2u64..5,
    ) {
        let named: Vec<(String, u64)> =
            values.iter().enumerate().map(|(i, v)| (format!("k{i}"), *v)).collect();
        let refs: Vec<(&str, u64)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let cells = run_table(&refs, min);
        // Nothing left that could help: every non-zero cell hidden (zeros only help as a
        // first complement, which `pick` takes when it can).
        let all_hidden = cells.iter().all(|c| c.hidden || c.value == 0);
        for (i, c) in cells.iter().enumerate() {
            prop_assert!(!c.primary || c.hidden);
            if c.primary && !all_hidden {
                let got = possible_values(&cells, i, min);
                prop_assert_eq!(got.len() as u64, min - 1, "cell {} of {:?}", i, values);
            }
        }
    }
}
