//! `verify --report SITE`: a site of `build --periods` checked in one run, every difference
//! named by its period and file.
//!
//! With the export, the whole site is rebuilt in memory (`build::site::compute_site`) and
//! compared byte for byte; without it, the site's own files and each report's manifest are
//! checked against the site's manifest.json, and each report is checked alone as
//! `verify --report DIR` checks one.

use std::collections::BTreeSet;
use std::path::Path;

use super::compare::{figure_differences, is_figure_file};
use super::{Findings, VerifyOptions};
use crate::commands::build::{self, Options, Plan, CONFIG_SEARCH, NO_EXPORT};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::publish::list_files;
use crate::publish::manifest::{self, Manifest, SiteManifest, SIGNATURE_FILE};

/// Where a file of the site belongs, for a message: "period 2025: data/summary.json" or
/// "the site's index.html".
fn place(site: &SiteManifest, path: &str) -> (Option<String>, String) {
    match path.split_once('/') {
        Some((label, rest)) if site.periods.iter().any(|p| p.label == label) => {
            (Some(label.to_string()), rest.to_string())
        }
        _ => (None, path.to_string()),
    }
}

fn named(site: &SiteManifest, path: &str) -> String {
    // A copy of earlier published figures: not rebuilt from the export, so named as such.
    if site.imported.iter().any(|i| i.path == path) {
        return format!("imported file {path}");
    }
    match place(site, path) {
        (Some(label), rest) => format!("period {label}: {rest}"),
        (None, rest) => format!("the site's {rest}"),
    }
}

/// Checks the site in `opts.report`, whose manifest is `site`. Returns how many files match.
pub(super) fn verify_site(
    opts: &VerifyOptions,
    site: &SiteManifest,
    f: &mut Findings,
) -> Result<usize> {
    let dir = &opts.report;
    let mut matched = 0;
    // The site's manifest names each report's manifest by hash: a report swapped for
    // another, even a consistent one, is found here.
    for p in &site.periods {
        let path = dir.join(&p.label).join(manifest::FILE);
        match std::fs::read(&path) {
            Ok(b) if sha256_hex(&b) == p.manifest_sha256 => {}
            Ok(_) => f.problems.push(format!(
                "period {}: manifest.json does not match the site's manifest.json (the report was changed or replaced after the site was published)",
                p.label
            )),
            Err(_) => f.problems.push(format!(
                "period {}: the report folder {}/ is missing",
                p.label, p.label
            )),
        }
    }
    for o in &site.outputs {
        match std::fs::read(dir.join(&o.path)) {
            Ok(b) if sha256_hex(&b) == o.sha256 => {}
            Ok(_) => f.problems.push(format!(
                "{} was changed after it was published (its hash no longer matches manifest.json)",
                named(site, &o.path)
            )),
            Err(_) => f
                .problems
                .push(format!("{} is missing", named(site, &o.path))),
        }
    }
    for i in &site.imported {
        match std::fs::read(dir.join(&i.path)) {
            Ok(b) if sha256_hex(&b) == i.sha256 => {}
            Ok(_) => f.problems.push(format!(
                "imported file {} changed after the site was published (its SHA-256 no longer matches manifest.json); the figures of {} come from it",
                i.path,
                i.periods.join(", ")
            )),
            Err(_) => f.problems.push(format!("imported file {} is missing", i.path)),
        }
    }
    audit_across_periods(dir, site, f);
    let with_export = !(opts.inputs.is_empty()
        && opts.config.is_none()
        && !CONFIG_SEARCH.iter().any(|p| Path::new(p).is_file()));
    if with_export {
        if let Some(n) = rebuild(opts, site, f)? {
            f.notes.push(format!(
                "{} periods rebuilt from the export: {}",
                site.periods.len(),
                site.periods
                    .iter()
                    .map(|p| p.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return Ok(n);
        }
    }
    // Without the export: each report alone.
    for p in &site.periods {
        let one = VerifyOptions {
            report: dir.join(&p.label),
            templates: opts.templates.clone(),
            signers: opts.signers.clone(),
            ..VerifyOptions::default()
        };
        match super::run(&one) {
            Ok(super::Verdict::Verified { files, .. }) => matched += files,
            Ok(super::Verdict::Partial { unchecked, .. }) => {
                // What no report can show without the export is said once for the site.
                for u in unchecked {
                    let line = format!("every period: {u}");
                    if !f.unchecked.contains(&line) {
                        f.unchecked.push(line);
                    }
                }
            }
            Err(Error::VerifyFailed(text)) => {
                for line in text.lines().filter(|l| l.starts_with("- ")) {
                    f.problems
                        .push(format!("period {}: {}", p.label, &line[2..]));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(matched)
}

/// The site rebuilt from its export and compared file by file; `None` when the settings
/// name no export after all.
fn rebuild(opts: &VerifyOptions, site: &SiteManifest, f: &mut Findings) -> Result<Option<usize>> {
    let dir = &opts.report;
    // The settings every report of the site shares, from its first report's manifest.
    let first = site
        .periods
        .first()
        .ok_or_else(|| Error::VerifyFailed("the site's manifest.json lists no period".into()))?;
    let mpath = dir.join(&first.label).join(manifest::FILE);
    let m = std::fs::read(&mpath)
        .map_err(|e| Error::io(format!("cannot read {}", mpath.display()), e))
        .and_then(|b| {
            Manifest::parse(&b).map_err(|m| {
                Error::VerifyFailed(format!(
                    "period {}: manifest.json cannot be read: {m}",
                    first.label
                ))
            })
        })?;
    let s = &m.settings;
    let build_opts = Options {
        inputs: opts.inputs.clone(),
        config: opts.config.clone(),
        min_cell: Some(s.min_cell),
        timezone: Some(s.timezone.clone()),
        skip_invalid: s.skip_invalid,
        templates: opts.templates.clone(),
        out: Some(dir.clone()),
        periods: Some(site.spec.clone()),
        ..Options::default()
    };
    let mut plan = match Plan::resolve_site(&build_opts) {
        Ok(p) => p,
        Err(Error::Usage(m)) if opts.inputs.is_empty() && m.starts_with(NO_EXPORT) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    plan.published_inputs = site.inputs.clone();
    let rebuilt = match build::site::compute_site(&plan, &site.spec, &mut build::Phases::new(false))
    {
        Ok(s) => s,
        Err(Error::InvalidData(errs)) => {
            f.problems
                .push(format!("the export no longer passes validation:\n{errs}"));
            return Ok(Some(0));
        }
        Err(e) => return Err(e),
    };
    let on_disk: BTreeSet<String> = list_files(dir)?.into_iter().collect();
    let mut matched = 0;
    for (path, bytes) in &rebuilt.files {
        if !on_disk.contains(path) {
            f.problems.push(format!("{} is missing", named(site, path)));
            continue;
        }
        let full = dir.join(path);
        let disk = std::fs::read(&full)
            .map_err(|e| Error::io(format!("cannot read {}", full.display()), e))?;
        if &disk == bytes {
            matched += 1;
            continue;
        }
        if site.imported.iter().any(|i| &i.path == path) {
            f.problems.push(format!(
                "imported file {path} differs from the file the settings import ([[site.import]]): one of the two was changed after the site was published"
            ));
            continue;
        }
        let (_, rest) = place(site, path);
        let mut msg = format!("{} differs from a fresh build", named(site, path));
        if is_figure_file(&rest) {
            for line in figure_differences(&rest, &disk, bytes) {
                msg.push_str(&format!("\n    {line}"));
            }
        }
        f.problems.push(msg);
    }
    for path in &on_disk {
        let (_, rest) = place(site, path);
        if rest == SIGNATURE_FILE || rebuilt.files.contains_key(path) {
            continue;
        }
        f.problems.push(format!(
            "{} is in the site folder but is not part of the site",
            named(site, path)
        ));
    }
    Ok(Some(matched))
}

/// The site's disclosure audit as a reader without the export runs it
/// (`suppress::reader_site_audit`): every period's published figures in one linear program,
/// with the relations between periods; an exposed cell is a problem named by period and file.
fn audit_across_periods(dir: &Path, site: &SiteManifest, f: &mut Findings) {
    use crate::compute::suppress::{reader_site_audit, ReaderError, ReaderPeriod, Withheld};
    const WHAT: &str = "that the withheld cells stay protected across the periods";
    let mut periods = Vec::new();
    for p in &site.periods {
        let read = |name: &str| std::fs::read(dir.join(&p.label).join("data").join(name)).ok();
        let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let summary = read("summary.json")
            .and_then(|b| serde_json::from_slice::<crate::model::Summary>(&b).ok());
        let withheld = read("disclosure.json").and_then(|b| Withheld::from_json(&b));
        let (Some(summary), Some(withheld), Some(start), Some(end)) =
            (summary, withheld, date(&p.start), date(&p.end))
        else {
            f.unchecked.push(format!(
                "{WHAT}: period {}: data/summary.json or data/disclosure.json cannot be read",
                p.label
            ));
            return;
        };
        // Suppression off: nothing is withheld anywhere.
        if withheld.min_cell <= 1 {
            return;
        }
        let incidents = read("incidents.json")
            .and_then(|b| serde_json::from_slice::<crate::model::IncidentFigures>(&b).ok());
        periods.push(ReaderPeriod {
            label: p.label.clone(),
            start,
            end,
            summary,
            incidents,
            withheld,
        });
    }
    match reader_site_audit(&periods) {
        Ok(r) => {
            for e in &r.audit.exposed {
                let (label, path) = e.cell.split_once(": ").unwrap_or(("", &e.cell));
                let file = if path.starts_with("incidents.") {
                    "data/incidents.json"
                } else {
                    "data/summary.json"
                };
                f.problems.push(format!(
                    "period {label}: {file}: the periods together give away a withheld cell: {path} can be worked out (= {})",
                    e.value
                ));
            }
            if !r.audit.exposed.is_empty() {
                return;
            }
            f.notes.push(format!(
                "the withheld cells stay protected across the periods as a reader without the export sees them: one LP over the {} published figures of the {} periods and the {} relations that hold by construction ({} of them between periods: a period and the shorter periods that tile it, a period inside another, the months two periods share) pins none of the {} withheld cells",
                r.audit.figures,
                periods.len(),
                r.audit.relations,
                r.across,
                r.withheld
            ));
        }
        // Each report's own check names figures that do not add up, or labels that do not
        // match, already.
        Err(ReaderError::Labels(_)) => f.unchecked.push(format!(
            "{WHAT}: some withheld cells do not match what data/disclosure.json says of them"
        )),
        Err(ReaderError::Inconsistent) => f.problems.push(
            "the periods' published figures contradict each other: no values of the withheld cells make each period add up to the shorter periods inside it".into(),
        ),
    }
}
