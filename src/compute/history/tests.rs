//! Unit tests of `history` (kept in their own file).

use super::*;

#[test]
fn changes_are_absolute_and_relative() {
    assert_eq!(
        change(Some(40.0), Some(50.0)),
        Change {
            absolute: Some(10.0),
            percent: Some(25.0)
        }
    );
    assert_eq!(
        change(Some(3.0), Some(2.0)),
        Change {
            absolute: Some(-1.0),
            percent: Some(-33.3333)
        }
    );
    assert_eq!(change(Some(0.0), Some(4.0)).percent, None);
    assert_eq!(change(Some(0.0), Some(4.0)).absolute, Some(4.0));
    assert_eq!(change(None, Some(4.0)).absolute, None);
    assert_eq!(change(Some(0.5), Some(0.75)).absolute, Some(0.25));
}

#[test]
fn tables_are_compared_cell_by_cell_and_withheld_cells_have_no_change() {
    let base: Summary = serde_json::from_str(include_str!(
        "../../../sample_data/history/summary-2024.json"
    ))
    .expect("a published summary");
    let mut prev = base.clone();
    prev.period.start = "2024-01-01".into();
    prev.by_category_group.clear();
    prev.by_category_group.insert("harassment".into(), Some(40));
    prev.by_category_group.insert("conduct".into(), None);
    let mut cur = base;
    cur.period.start = "2025-01-01".into();
    cur.by_category_group.clear();
    cur.by_category_group.insert("harassment".into(), Some(50));
    cur.by_category_group.insert("conduct".into(), Some(7));
    cur.by_category_group.insert("new_group".into(), Some(3));
    let h = History::new(vec![prev], &cur).expect("two periods");
    let got = h.table_comparison("by_category_group");
    let keys: Vec<&str> = got.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["harassment", "conduct", "new_group"]);
    assert_eq!(got[0].change, change(Some(40.0), Some(50.0)));
    assert_eq!(got[0].change.percent, Some(25.0));
    assert_eq!((got[1].previous, got[1].change.absolute), (None, None));
    assert_eq!((got[2].previous, got[2].change.absolute), (None, None));
    assert!(h.table_comparison("by_platform").is_empty());
}
