//! `verify` with the export: the report rebuilt in memory and compared file by file, and the
//! export's hashes against the manifest's, in words.

use std::collections::BTreeSet;
use std::path::Path;

use super::compare::{figure_differences, is_figure_file};
use super::disclosure::disclosure_problems;
use super::manifest_diff::manifest_differences;
use super::{short, Findings};
use crate::commands::build::{self, Plan};
use crate::error::{Error, Result};
use crate::hash::{sha256_file, sha256_hex};
use crate::present::text::thousands;
use crate::publish::list_files;
use crate::publish::manifest::{self, InputRef, Manifest, SIGNATURE_FILE};
use crate::version::VERSION;

/// The report rebuilt from its export and compared. Returns how many files match.
pub(super) fn with_export(
    dir: &Path,
    plan: Plan,
    published: &Manifest,
    f: &mut Findings,
) -> Result<usize> {
    // The inputs and config must be the ones the report was built from.
    let config_hash = match &plan.config.path {
        Some(_) => sha256_hex(&plan.config.bytes),
        None => sha256_hex(crate::config::ALA_PRESET.as_bytes()),
    };
    if config_hash != published.config.sha256 {
        f.problems.push(format!(
            "the configuration differs from the one the report was built with ({}: SHA-256 {} now, {} in the manifest)",
            published.config.name,
            short(&config_hash),
            short(&published.config.sha256)
        ));
    }
    let rebuilt = match build::compute(&plan) {
        Ok(b) => b,
        Err(Error::InvalidData(errs)) => {
            for p in &plan.inputs {
                let hash = sha256_file(p)
                    .map_err(|e| Error::io(format!("cannot read export {}", p.display()), e))?;
                let name = file_name(p);
                if let Some(i) = published.inputs.iter().find(|i| i.name == name) {
                    if i.sha256 != hash {
                        f.problems.push(not_the_export(&name, &hash, i, None));
                    }
                }
            }
            f.problems
                .push(format!("the export no longer passes validation:\n{errs}"));
            return Ok(0);
        }
        Err(e) => return Err(e),
    };
    for i in &rebuilt.inputs {
        match published.inputs.iter().find(|p| p.name == i.name) {
            Some(p) if p.sha256 == i.sha256 => {}
            Some(p) => {
                let now = InputRef::from(i);
                match (&p.content, &now.content) {
                    (Some(a), Some(b)) if a.scheme == b.scheme && a.sha256 == b.sha256 => {
                        f.notes.push(resaved(p, &now))
                    }
                    _ => f
                        .problems
                        .push(not_the_export(&i.name, &i.sha256, p, Some(&now))),
                }
            }
            None => f.problems.push(format!(
                "the export {} is not listed in the manifest",
                i.name
            )),
        }
    }
    for i in &published.inputs {
        if !rebuilt.inputs.iter().any(|p| p.name == i.name) {
            f.problems.push(format!(
                "the manifest lists the export {} but it was not given (--input)",
                i.name
            ));
        }
    }

    let other = f.other_build.clone();
    let on_disk: BTreeSet<String> = list_files(dir)?.into_iter().collect();
    let listed = |path: &str| published.outputs.iter().find(|o| o.path == path);
    let mut matched = 0usize;
    let (mut same_figures, mut by_version, mut new_here) = (Vec::new(), Vec::new(), Vec::new());
    for (path, bytes) in &rebuilt.files {
        let full = dir.join(path);
        if !on_disk.contains(path) {
            if other.is_some() && listed(path).is_none() && path != manifest::FILE {
                new_here.push(path.clone());
            } else {
                f.problems
                    .push(format!("{path} is missing from the report folder"));
            }
            continue;
        }
        let disk = std::fs::read(&full)
            .map_err(|e| Error::io(format!("cannot read {}", full.display()), e))?;
        if &disk == bytes {
            matched += 1;
            continue;
        }
        let edited = listed(path).is_some_and(|o| o.sha256 != sha256_hex(&disk));
        let figures = is_figure_file(path);
        if other.is_some() && !edited {
            // Another build writes other bytes: compare what the report says, not how.
            if path == manifest::FILE {
                let why = manifest_differences(published, &rebuilt.manifest, &plan, true);
                if why.is_empty() {
                    by_version.push(path.clone());
                } else {
                    f.problems.push(format!(
                        "manifest.json differs from a fresh build:\n    {}",
                        why.join("\n    ")
                    ));
                }
            } else if figures {
                let d = figure_differences(path, &disk, bytes);
                if d.is_empty() {
                    same_figures.push(path.clone());
                } else {
                    f.problems.push(format!(
                        "{path}: the figures differ from a fresh build by {VERSION}:\n    {}",
                        d.join("\n    ")
                    ));
                }
            } else {
                by_version.push(path.clone());
            }
            continue;
        }
        let mut msg = if edited {
            format!("{path} was changed after it was published (its hash no longer matches manifest.json)")
        } else {
            format!("{path} differs from a fresh build")
        };
        if figures {
            let mut d = figure_differences(path, &disk, bytes);
            if d.is_empty() && path.ends_with(".json") {
                d.push("same figures, different formatting".into());
            }
            for line in d {
                msg.push_str(&format!("\n    {line}"));
            }
        } else if path == manifest::FILE {
            let why = manifest_differences(published, &rebuilt.manifest, &plan, false);
            msg = if why.is_empty() {
                "manifest.json differs from a fresh build (see the other differences)".into()
            } else {
                format!(
                    "manifest.json differs from a fresh build:\n    {}",
                    why.join("\n    ")
                )
            };
        }
        f.problems.push(msg);
    }
    if let Some(model) = &rebuilt.disclosure {
        f.problems.extend(disclosure_problems(dir, model));
    }
    let mut gone = Vec::new();
    for path in &on_disk {
        if path == SIGNATURE_FILE || rebuilt.files.contains_key(path) {
            continue;
        }
        let as_published = listed(path).is_some_and(|o| {
            std::fs::read(dir.join(path)).is_ok_and(|b| sha256_hex(&b) == o.sha256)
        });
        if other.is_some() && as_published {
            gone.push(path.clone());
        } else {
            f.problems.push(format!(
                "{path} is in the report folder but is not part of the report"
            ));
        }
    }
    if let Some(v) = &other {
        let figures = rebuilt
            .files
            .keys()
            .filter(|p| is_figure_file(p) && on_disk.contains(*p))
            .count();
        let differing = f.problems.iter().filter(|p| p.starts_with("data/")).count();
        if figures > 0 && differing == 0 {
            f.notes.push(format!(
                "the figures match: all {figures} data files give the figures of a fresh build by {VERSION} ({} of them byte for byte)",
                figures - same_figures.len()
            ));
        }
        if matched > 0 {
            f.notes.push(format!("{matched} files match byte for byte"));
        }
        if !by_version.is_empty() {
            f.unchecked.push(format!(
                "byte for byte, as they depend on the version that built them (each listed in manifest.json is as published): {}",
                by_version.join(", ")
            ));
        }
        if !gone.is_empty() {
            f.notes.push(format!(
                "published by {v} but not made by {VERSION} (as published, per manifest.json): {}",
                gone.join(", ")
            ));
        }
        if !new_here.is_empty() {
            f.notes.push(format!(
                "made by {VERSION} but not by {v}: {}",
                new_here.join(", ")
            ));
        }
    }
    Ok(matched)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// "the export cases.csv is not the one the report was built from", with what differs.
fn not_the_export(name: &str, hash: &str, published: &InputRef, now: Option<&InputRef>) -> String {
    let mut msg = format!(
        "the export {name} is not the one the report was built from: its SHA-256 is {} but the manifest records {}",
        short(hash),
        short(&published.sha256)
    );
    if published.content.is_none() {
        msg.push_str(
            "; the manifest records no digest of the export's content (it was built before 0.2.0), so a copy saved again with other line ends or quoting cannot be told from another export",
        );
    }
    if let (Some(p), Some(n)) = (&published.content, now.and_then(|n| n.content.as_ref())) {
        if p.scheme == n.scheme {
            msg.push_str(&if p.rows == n.rows {
                format!(
                    "; its {} rows differ from the published ones in content, not only in bytes",
                    thousands(n.rows)
                )
            } else {
                format!(
                    "; it has {} rows, the published export {}",
                    thousands(n.rows),
                    thousands(p.rows)
                )
            });
        }
    }
    msg
}

/// "cases.csv: the same 5,000 rows; only the bytes differ (line ends: CRLF here, LF when
/// published)".
fn resaved(published: &InputRef, now: &InputRef) -> String {
    let (Some(p), Some(n)) = (&published.content, &now.content) else {
        return String::new();
    };
    let mut what = Vec::new();
    if p.line_ends != n.line_ends {
        what.push(format!(
            "line ends: {} here, {} when published",
            n.line_ends, p.line_ends
        ));
    }
    if p.bom != n.bom {
        what.push(if n.bom {
            "a byte-order mark added".to_string()
        } else {
            "the byte-order mark removed".to_string()
        });
    }
    if what.is_empty() {
        what.push(
            if crate::load::is_workbook(Path::new(&published.name)) {
                "the workbook's formatting, cell types or layout, the case of values or the order of columns"
            } else {
                "quoting, padding, the case of values or the order of columns"
            }
            .into(),
        );
    }
    format!(
        "{}: the same {} rows; only the bytes differ ({}); SHA-256 {} here, {} as published, which the rebuilt report shows in its place",
        published.name,
        thousands(n.rows),
        what.join("; "),
        short(&now.sha256),
        short(&published.sha256)
    )
}
