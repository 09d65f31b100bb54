//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with a fixed environment so results do not depend on the caller's.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_transparency-report"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("binary runs")
}

/// `build --out out` with `args` in `dir`, which must succeed; the folder it wrote.
pub fn build(dir: &Path, args: &[&str]) -> PathBuf {
    let mut all = vec!["build", "--out", "out"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir.join("out")
}

/// Copies `tests/fixtures/<name>` into a temporary folder, appends `extra` to its report.toml
/// and builds it there (`build --out out`), as its committee would: the folder and the output.
pub fn build_fixture(name: &str, extra: &str) -> (TempDir, PathBuf) {
    let d = fixture(name, append(extra));
    let o = run(d.path(), &["build", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    let out = d.path().join("out");
    (d, out)
}

/// A copy of `tests/fixtures/<name>` in a temporary folder, its report.toml changed by `edit`.
pub fn fixture(name: &str, edit: impl FnOnce(String) -> String) -> TempDir {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(name, d.path(), edit);
    d
}

/// Copies `tests/fixtures/<name>` into `to`, its report.toml changed by `edit`.
pub fn copy_fixture(name: &str, to: &Path, edit: impl FnOnce(String) -> String) {
    copy_dir(&fixtures().join(name), to);
    edit_config(to, edit);
}

/// The ALA fixture (`tests/fixtures/cases.csv` and `report.toml`, 20 cases in 2025) in a
/// temporary folder, its report.toml changed by `edit`. The fixtures folder itself holds the
/// other fixtures too, so only these two files are copied.
pub fn ala_fixture(edit: impl FnOnce(String) -> String) -> TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in ["cases.csv", "report.toml"] {
        std::fs::copy(fixtures().join(f), d.path().join(f)).unwrap();
    }
    edit_config(d.path(), edit);
    d
}

/// Rewrites `dir/report.toml` as `edit` changes it.
pub fn edit_config(dir: &Path, edit: impl FnOnce(String) -> String) {
    let config = dir.join("report.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, edit(toml)).unwrap();
}

/// An edit of a report.toml that appends `extra` (settings of a test's own, as tables).
pub fn append(extra: &str) -> impl FnOnce(String) -> String + '_ {
    move |toml| format!("{toml}\n{extra}")
}

/// Every file and sub-folder of `from`, copied into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The text of the file `name` under `dir`.
pub fn text(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// The `data/summary.json` of a report folder.
pub fn summary(out: &Path) -> Value {
    serde_json::from_str(&text(out, "data/summary.json")).unwrap()
}

/// A JSON file.
pub fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir` with its bytes, sorted by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(root, &p, out);
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&p).unwrap()));
        }
    }
}

/// Compares `actual` with the golden file `tests/<dir>/<name>`; `UPDATE_SNAPSHOTS=1 cargo test
/// --release` rewrites it after a deliberate change.
pub fn golden(dir: &str, name: &str, actual: &str) {
    let path = root().join("tests").join(dir).join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
        let i = e
            .iter()
            .zip(&a)
            .position(|(x, y)| x != y)
            .unwrap_or(e.len().min(a.len()));
        panic!(
            "{dir}/{name} differs at line {}:\n  golden: {:?}\n  actual: {:?}\nreview and run with UPDATE_SNAPSHOTS=1 if intended",
            i + 1,
            e.get(i),
            a.get(i)
        );
    }
}
