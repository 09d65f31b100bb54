use super::*;

#[test]
fn a_cell_is_a_count_a_withheld_mark_or_an_error() {
    assert_eq!(value("13", Unit::Count), Ok(Some(13.0)));
    assert_eq!(value("0", Unit::Count), Ok(Some(0.0)));
    assert_eq!(value("< 3", Unit::Count), Ok(None));
    assert_eq!(value("withheld", Unit::Count), Ok(None));
    let neg = value("-1", Unit::Count).unwrap_err();
    assert!(neg.contains("`-1` is negative"), "{neg}");
    let frac = value("2.5", Unit::Count).unwrap_err();
    assert!(frac.contains("`2.5` is not a whole number"), "{frac}");
    assert!(value("many", Unit::Count)
        .unwrap_err()
        .contains("`many` is not a count"));
    assert_eq!(value("0.85", Unit::Rate), Ok(Some(0.85)));
    assert!(value("85", Unit::Rate).unwrap_err().contains("fraction"));
    assert_eq!(value("3.5", Unit::Duration), Ok(Some(3.5)));
}

#[test]
fn figures_are_checked_against_the_settings_taxonomy() {
    let cfg = Config::default();
    assert_eq!(unit("cases", "total", &cfg), Ok(Unit::Count));
    assert_eq!(unit("by_action", "warning", &cfg), Ok(Unit::Count));
    assert_eq!(unit("by_action", "unassigned", &cfg), Ok(Unit::Count));
    assert_eq!(unit("acknowledgement", "rate", &cfg), Ok(Unit::Rate));
    let e = unit("by_action", "ban", &cfg).unwrap_err();
    assert!(
        e.starts_with("`ban` is not a figure of table `by_action`"),
        "{e}"
    );
    let e = unit("actions", "ban", &cfg).unwrap_err();
    assert!(
        e.starts_with("`actions` is not a table of the report"),
        "{e}"
    );
}

#[test]
fn a_typed_in_table_becomes_a_summary_with_only_its_figures() {
    let cfg = Config::default();
    let sp = one_period("2016", None).unwrap();
    let rows = vec![
        ("cases".to_string(), "total".to_string(), Some(13.0)),
        ("by_action".to_string(), "no_action".to_string(), Some(1.0)),
        ("by_action".to_string(), "warning".to_string(), None),
    ];
    let s = summary_of(&sp, &rows, &cfg).unwrap();
    assert_eq!(s.period.start, "2016-01-01");
    assert_eq!(s.period.end, "2016-12-31");
    assert_eq!(s.cases.total, Some(13));
    assert_eq!(s.cases.resolved, None);
    // Taxonomy order (warning before no_action in ALA? follow the settings), only what was given.
    let keys: Vec<&str> = s.by_action.keys().map(String::as_str).collect();
    let order: Vec<&str> = cfg
        .taxonomy
        .actions
        .iter()
        .map(|a| a.key.as_str())
        .filter(|k| *k == "no_action" || *k == "warning")
        .collect();
    assert_eq!(keys, order);
    assert_eq!(s.by_action.get("no_action"), Some(&Some(1)));
    assert_eq!(s.by_action.get("warning"), Some(&None));
    assert!(s.by_category.is_empty());
    assert!(!s.recorded("resolved_at"));
    assert!(s.recorded("action"));
    assert_eq!(s.people, None);
}

#[test]
fn an_imported_period_is_one_period() {
    assert!(one_period("2015..2017", None)
        .unwrap_err()
        .contains("several periods"));
    assert_eq!(one_period("2016h1", None).unwrap().period.label, "2016H1");
}
