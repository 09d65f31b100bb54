//! Unit tests of `config::dsa`.

use super::*;

#[test]
fn the_ala_default_maps_every_ala_section_to_a_dsa_category() {
    let t = Taxonomy::ala();
    let map = category_map(None, &t);
    assert_eq!(map.len(), t.categories.len());
    DsaConfig {
        category_map: map.clone(),
        summary: None,
    }
    .check(&t)
    .unwrap();
    assert_eq!(map["intimidation"], "online_bullying_intimidation");
}

#[test]
fn bad_maps_name_the_key() {
    let t = Taxonomy::ala();
    let bad = |from: &str, to: &str| {
        DsaConfig {
            category_map: [(from.to_string(), to.to_string())].into(),
            summary: None,
        }
        .check(&t)
        .unwrap_err()
    };
    assert!(bad("nope", "violence").contains("`nope`"));
    assert!(bad("age", "hate").contains("`hate`"));
}

#[test]
fn unmapped_is_a_valid_target_and_counts_in_the_unmapped_row() {
    let t = Taxonomy::ala();
    let d = DsaConfig {
        category_map: [
            ("age".to_string(), UNMAPPED.to_string()),
            ("intimidation".to_string(), "violence".to_string()),
        ]
        .into(),
        summary: None,
    };
    d.check(&t).unwrap();
    assert!(uncovered(Some(&d), &t).is_empty());
    assert!(uncovered(None, &t).is_empty(), "the ALA default covers ALA");
}

#[test]
fn a_summary_the_committee_does_not_want_is_neither_written_nor_warned_about() {
    let mut t = Taxonomy::ala();
    t.categories[0].key = "vote_discussions".into();
    assert!(!written(None, &t));
    let warning = coverage_warning(None, &t).expect("an ALA map misses `vote_discussions`");
    assert!(warning.contains("`vote_discussions`"), "{warning}");
    assert!(
        warning.contains("set `summary = false` under [dsa]"),
        "{warning}"
    );

    let off = DsaConfig {
        summary: Some(false),
        ..DsaConfig::default()
    };
    assert!(!wanted(Some(&off)));
    assert!(!written(Some(&off), &Taxonomy::ala()));
    assert_eq!(coverage_warning(Some(&off), &t), None);

    let on = DsaConfig {
        summary: Some(true),
        ..DsaConfig::default()
    };
    assert!(
        written(Some(&on), &t),
        "an explicit (empty) map covers every section"
    );
}
