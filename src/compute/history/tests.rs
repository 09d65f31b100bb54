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
