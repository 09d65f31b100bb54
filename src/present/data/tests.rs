//! Unit tests of `data` (kept in their own file).

use super::*;

#[test]
fn formula_cells_are_neutralised() {
    assert_eq!(neutralise("=1+1"), "'=1+1");
    assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(neutralise("-5"), "'-5");
    assert_eq!(neutralise("Age"), "Age");
}
