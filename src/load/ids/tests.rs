//! Unit tests of `load::ids`.

use super::*;

#[test]
fn id_hashes_that_collide_are_compared_as_text() {
    // Typical tracker ids must not share hashes, or every big export would be read twice.
    let mut ids = Vec::new();
    for i in 0..1_500_000u32 {
        ids.push(id_hash(format!("C2025-{i:07}").as_bytes()));
    }
    for i in 0..300_000u32 {
        ids.push(id_hash(format!("{i}").as_bytes()));
        ids.push(id_hash(format!("case-{i}").as_bytes()));
        ids.push(id_hash(
            format!("2025/{:05}/{}", i % 99_991, i / 99_991).as_bytes(),
        ));
    }
    assert!(shared_hashes(vec![ids]).is_empty());
    let shared = shared_hashes(vec![vec![1, 5, 9], vec![5, 2], vec![9]]);
    assert_eq!(shared, HashSet::from([5, 9]));
}

#[test]
fn incident_ids_are_told_apart_exactly() {
    assert_eq!(incident_hash(""), NO_INCIDENT);
    let a = incident_hash("INC-1");
    assert_eq!(a, incident_hash("INC-1"));
    // Ids are compared as written (the loader trims the cell first).
    assert_ne!(a, incident_hash("inc-1"));
    assert_ne!(a, incident_hash("INC-1 "));
    let mut seen = HashSet::new();
    for i in 0..200_000u32 {
        for id in [
            format!("I2025-{i}"),
            format!("{i:08}"),
            format!("incident {i} of the year"),
        ] {
            let h = incident_hash(&id);
            assert_ne!(h, NO_INCIDENT, "{id}");
            assert!(seen.insert(h), "{id} shares a hash");
        }
    }
}
