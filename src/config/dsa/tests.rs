//! Unit tests of `config::dsa`.

use super::*;

#[test]
fn the_ala_default_maps_every_ala_section_to_a_dsa_category() {
    let t = Taxonomy::ala();
    let map = category_map(None, &t);
    assert_eq!(map.len(), t.categories.len());
    DsaConfig {
        category_map: map.clone(),
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
    };
    d.check(&t).unwrap();
    assert!(uncovered(Some(&d), &t).is_empty());
    assert!(uncovered(None, &t).is_empty(), "the ALA default covers ALA");
}
