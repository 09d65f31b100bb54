//! Atomic write of `output/<label>/`: everything goes into a temporary folder beside the
//! target, which is renamed into place only once every file is written. A failure at any
//! earlier point leaves the previous report as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub mod manifest;
pub mod signature;

/// Writes `files` (relative path → bytes) as the folder `target`.
pub fn publish(target: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    publish_as(target, files, false)
}

/// Writes a site (`build --periods`: a report folder per period, the index and the site's
/// data) as the folder `target`, in one swap, so a failed period replaces nothing. Besides a
/// folder this tool wrote, it replaces a folder that holds only reports of this tool (an
/// `output/` of earlier single-period builds): the site is rebuilt whole, as static site
/// generators rebuild their output folder.
pub fn publish_site(target: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    publish_as(target, files, true)
}

fn publish_as(target: &Path, files: &BTreeMap<String, Vec<u8>>, site: bool) -> Result<()> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("`{}` is not a folder name", target.display())))?;
    fs::create_dir_all(&parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    let result = write_all(&tmp, files).and_then(|()| swap(&tmp, target, &old, site));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn write_all(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)
                .map_err(|e| Error::io(format!("cannot create {}", p.display()), e))?;
        }
        fs::write(&path, bytes)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    }
    Ok(())
}

/// Whether every entry of `dir` is a report folder of this tool (holds a manifest.json).
fn only_reports(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()).all(|e| {
                let p = e.path();
                p.is_dir() && p.join(crate::publish::manifest::FILE).is_file()
            })
        })
        .unwrap_or(false)
}

fn swap(tmp: &Path, target: &Path, old: &Path, site: bool) -> Result<()> {
    if target.exists() {
        if !target.join(crate::publish::manifest::FILE).exists()
            && fs::read_dir(target)
                .map(|mut d| d.next().is_some())
                .unwrap_or(false)
            && !(site && only_reports(target))
        {
            return Err(Error::Usage(format!(
                "{} exists and is not a report written by this tool (no manifest.json); refusing to replace it",
                target.display()
            )));
        }
        fs::rename(target, old).map_err(|e| {
            Error::io(
                format!("cannot move the previous report {} aside", target.display()),
                e,
            )
        })?;
        if let Err(e) = fs::rename(tmp, target) {
            // Put the previous report back before giving up.
            let _ = fs::rename(old, target);
            return Err(Error::io(
                format!("cannot move the new report into {}", target.display()),
                e,
            ));
        }
        let _ = fs::remove_dir_all(old);
    } else {
        fs::rename(tmp, target).map_err(|e| {
            Error::io(
                format!("cannot move the new report into {}", target.display()),
                e,
            )
        })?;
    }
    Ok(())
}

/// Every file under `dir`, as sorted relative paths with `/` separators.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries =
        fs::read_dir(dir).map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
