//! Unit tests of `data` (kept in their own file).

use super::csv_file::guard;
use super::*;

#[test]
fn formula_cells_are_neutralised() {
    assert_eq!(neutralise("=1+1"), "'=1+1");
    assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(neutralise("-A1+1"), "'-A1+1");
    assert_eq!(neutralise("Age"), "Age");
}

#[test]
fn numbers_in_numeric_columns_stay_numbers() {
    assert_eq!(guard("number", "-0.0201"), "-0.0201");
    assert_eq!(guard("integer", "-11"), "-11");
    assert_eq!(guard("number", "12.5"), "12.5");
    assert_eq!(guard("integer", ""), "");
    // Text, wherever it stands, keeps the guard: only a plain decimal is a number.
    assert_eq!(guard("string", "-5"), "'-5");
    for cell in ["-1+1", "-A1", "-", "-.5", "-1.", "-inf", "-NaN", "+1", "=1"] {
        assert_eq!(guard("number", cell), format!("'{cell}"), "{cell}");
    }
}

#[test]
fn a_table_writes_negative_changes_as_numbers_and_guards_text() {
    let t = DataTable {
        name: "history",
        title: "t".into(),
        fields: vec![("label", "string"), ("change", "number")],
        rows: vec![vec!["-x".into(), "-0.0201".into()]],
    };
    let csv = String::from_utf8(to_csv(&t).unwrap()).unwrap();
    assert_eq!(csv, "label,change\n'-x,-0.0201\n");
}
