//! Unit tests of `model` (kept in their own file).

use super::*;

#[test]
fn round4_keeps_four_decimals() {
    assert_eq!(round4(1.234_56), 1.2346);
    assert_eq!(round4(-0.000_01), 0.0);
    assert_eq!(round4(2.0 / 3.0), 0.6667);
    assert_eq!(format!("{}", round4(0.1 + 0.2)), "0.3");
}
