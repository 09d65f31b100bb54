//! `verify --report DIR` without the export: every hash in `manifest.json`, then what the
//! report says of itself (`consistency`).

use std::collections::BTreeSet;
use std::path::Path;

use super::consistency::{self, Protection};
use super::Findings;
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::publish::list_files;
use crate::publish::manifest::{self, Manifest, SIGNATURE_FILE};

/// Every file the manifest lists, against its hash; files it does not list. Returns how many
/// match.
fn integrity(dir: &Path, published: &Manifest, f: &mut Findings) -> Result<usize> {
    let on_disk: BTreeSet<String> = list_files(dir)?.into_iter().collect();
    let mut matched = 0;
    for o in &published.outputs {
        if !on_disk.contains(&o.path) {
            f.problems
                .push(format!("{} is missing from the report folder", o.path));
            continue;
        }
        let path = dir.join(&o.path);
        let disk = std::fs::read(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        if sha256_hex(&disk) == o.sha256 {
            matched += 1;
        } else {
            f.problems.push(format!(
                "{} was changed after it was published (its hash no longer matches manifest.json)",
                o.path
            ));
        }
    }
    for path in &on_disk {
        if path != manifest::FILE
            && path != SIGNATURE_FILE
            && !published.outputs.iter().any(|o| o.path == *path)
        {
            f.problems.push(format!(
                "{path} is in the report folder but is not part of the report"
            ));
        }
    }
    Ok(matched)
}

/// `verify --report DIR` without the export: hashes, internal consistency, the reader's LP audit.
pub(super) fn report_only(dir: &Path, published: &Manifest, f: &mut Findings) -> Result<usize> {
    let matched = integrity(dir, published, f)?;
    f.notes.push(format!(
        "{matched} of the {} files that manifest.json lists match their SHA-256",
        published.outputs.len()
    ));
    let c = consistency::check(dir);
    if c.problems.is_empty() {
        f.notes.push(format!(
            "the published figures are consistent: {} sums and tables agree with data/summary.json",
            c.checked
        ));
    }
    let sums_hold = c.problems.is_empty();
    f.problems.extend(c.problems);
    match consistency::withheld_cells_protected(dir, sums_hold) {
        Protection::Checked { problems, note } if problems.is_empty() => {
            f.notes.push(note);
            f.unchecked.push(consistency::FULL_AUDIT.into());
        }
        Protection::Checked { problems, .. } => f.problems.extend(problems),
        Protection::NotChecked(what) => f.unchecked.push(what),
    }
    let inputs: Vec<&str> = published.inputs.iter().map(|i| i.name.as_str()).collect();
    f.unchecked.push(format!(
        "the figures against the export, which was not given: run verify with --input {} and the settings the report was built with (--config {})",
        if inputs.is_empty() { "FILE".to_string() } else { inputs.join(" --input ") },
        published.config.name
    ));
    Ok(matched)
}
