//! Unit tests of `publish` (kept in their own file).

use super::*;

#[test]
fn replaces_old_report_and_cleans_up() {
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("2025");
    let mut files = BTreeMap::new();
    files.insert("manifest.json".to_string(), b"{}".to_vec());
    files.insert("data/a.csv".to_string(), b"x\n".to_vec());
    publish(&target, &files).unwrap();
    files.insert("data/a.csv".to_string(), b"y\n".to_vec());
    publish(&target, &files).unwrap();
    assert_eq!(fs::read(target.join("data/a.csv")).unwrap(), b"y\n");
    let names: Vec<_> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary folders left: {names:?}");
    assert_eq!(
        list_files(&target).unwrap(),
        ["data/a.csv", "manifest.json"]
    );
}
