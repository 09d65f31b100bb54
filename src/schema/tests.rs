//! Unit tests of `schema`.

use super::*;

#[test]
fn columns_are_named_once_in_documentation_order() {
    for (i, c) in Column::ALL.into_iter().enumerate() {
        assert_eq!(c.index(), i);
        assert_eq!(COLUMNS[i], c.name());
        assert_eq!(Column::from_name(c.name()), Some(c));
    }
    let mut names = COLUMNS.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), N_COLUMNS);
    // The messages list required columns in this order.
    let required: Vec<&str> = REQUIRED.into_iter().map(Column::name).collect();
    assert_eq!(required, ["case_id", "reported_at", "category"]);
    assert!(Column::ALL
        .into_iter()
        .all(|c| c.required() == REQUIRED.contains(&c)));
}

#[test]
fn enum_codes_are_positions_of_their_keys() {
    assert_eq!(
        APPEAL_OUTCOMES[usize::from(AppealOutcome::Pending.code())],
        AppealOutcome::Pending.key()
    );
    assert_eq!(
        REPORTER_TYPES[usize::from(ReporterType::Moderator.code())],
        "moderator"
    );
}
