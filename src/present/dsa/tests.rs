//! Unit tests of `dsa`.

use super::*;

#[test]
fn sums_are_hidden_when_any_part_is() {
    let m: Counts = [
        ("a".to_string(), Some(4)),
        ("b".to_string(), None),
        ("c".to_string(), Some(0)),
    ]
    .into_iter()
    .collect();
    assert_eq!(sum(&m, &["a", "c"]), Some(4));
    assert_eq!(sum(&m, &["a", "b"]), None);
    assert_eq!(sum(&m, &[]), Some(0));
    assert_eq!(sum(&m, &["missing"]), Some(0));
}
