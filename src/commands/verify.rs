//! `verify`: check a published report. With its export, rebuild it in memory and compare
//! every byte (figure by figure when the report was built by another version of the tool);
//! without, check what the folder says of itself: every hash in `manifest.json`, the sums and
//! tables of its data, and (with `--signers`) the committee's signature. It has no metric
//! code of its own: it calls `build::compute` with the manifest's settings.
//!
//! The order of what it says: which build made the report (when it is not this one), then
//! every difference, then what could not be checked, then the verdict.

mod compare;
mod consistency;
mod site;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use crate::commands::build::{self, Options, Plan, CONFIG_SEARCH, NO_EXPORT};
use crate::error::{Error, Result};
use crate::hash::{sha256_file, sha256_hex};
use crate::present::text::thousands;
use crate::publish::list_files;
use crate::publish::manifest::{
    self, InputRef, Manifest, TemplateRef, SIGNATURE_FILE, SIGNATURE_NAMESPACE,
};
use crate::publish::signature::{self, AllowedSigners, Check};
use crate::version::{cargo_lock_sha256, install_hint, NAME, VERSION};
use consistency::Protection;

#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub report: PathBuf,
    pub inputs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// An OpenSSH allowed-signers file: check `manifest.json.sig` against it.
    pub signers: Option<PathBuf>,
}

/// What `verify` established when it found no difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every file of the report rebuilt from the export and equal, byte for byte.
    Verified { files: usize, notes: Vec<String> },
    /// Nothing that was checked differs, but part could not be checked (`unchecked`): no
    /// export was given, the report was built by another version of the tool, or the
    /// signature is of a kind this tool cannot check.
    Partial {
        notes: Vec<String>,
        unchecked: Vec<String>,
        /// How to check the rest, when there is a way (install the version that built it).
        hint: Option<String>,
    },
}

/// What was found, in the order it is told.
#[derive(Debug, Default)]
struct Findings {
    notes: Vec<String>,
    problems: Vec<String>,
    unchecked: Vec<String>,
    /// The version that built the report, when it is not this build.
    other_build: Option<String>,
}

impl Findings {
    fn verdict(mut self, files: usize) -> Result<Verdict> {
        if !self.problems.is_empty() {
            let n = self.problems.len();
            let mut text: Vec<String> = std::mem::take(&mut self.notes);
            text.extend(self.problems.iter().map(|p| format!("- {p}")));
            text.extend(self.unchecked.iter().map(|u| format!("not checked: {u}")));
            text.extend(self.hint());
            text.push(format!(
                "not verified: {n} difference{} found",
                if n == 1 { "" } else { "s" }
            ));
            return Err(Error::VerifyFailed(text.join("\n")));
        }
        if self.unchecked.is_empty() {
            Ok(Verdict::Verified {
                files,
                notes: self.notes,
            })
        } else {
            let hint = self.hint();
            Ok(Verdict::Partial {
                notes: self.notes,
                unchecked: self.unchecked,
                hint,
            })
        }
    }

    /// How to install the version that built the report, when it is not this one.
    fn hint(&self) -> Option<String> {
        self.other_build.as_ref().map(|v| {
            format!(
                "to compare every byte, install the version that built the report ({NAME} {v}):\n  {}",
                install_hint(v)
            )
        })
    }
}

/// Ok(what was verified) or `Error::VerifyFailed` listing every difference.
pub fn run(opts: &VerifyOptions) -> Result<Verdict> {
    let dir = &opts.report;
    let mpath = dir.join(manifest::FILE);
    let mbytes = std::fs::read(&mpath).map_err(|e| {
        Error::io(
            format!(
                "cannot read {} (is {} a report folder?)",
                mpath.display(),
                dir.display()
            ),
            e,
        )
    })?;
    let mut f = Findings::default();
    // Which build made the report comes first: it says what the rest can show.
    let raw: Option<Value> = serde_json::from_slice(&mbytes).ok();
    let tool = |k: &str| {
        raw.as_ref()
            .and_then(|r| r.pointer(&format!("/tool/{k}")))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mine = cargo_lock_sha256();
    match (tool("version"), tool("cargo_lock_sha256")) {
        (Some(v), _) if v != VERSION => {
            f.notes.push(format!(
                "this report was built by {NAME} {v}; you are running {VERSION}"
            ));
            f.other_build = Some(v);
        }
        (Some(v), Some(lock)) if lock != mine => {
            f.notes.push(format!(
                "this report was built by {NAME} {v} with other dependencies than this build (Cargo.lock SHA-256 {} in the manifest, {} here)",
                short(&lock),
                short(&mine)
            ));
            f.other_build = Some(v);
        }
        _ => {}
    }
    // A site of `build --periods`: every period in one run.
    if let Ok(site_manifest) = manifest::SiteManifest::parse(&mbytes) {
        let files = site::verify_site(opts, &site_manifest, &mut f)?;
        return f.verdict(files);
    }
    let published = match Manifest::parse(&mbytes) {
        Ok(m) => m,
        Err(m) => {
            let mut text = std::mem::take(&mut f.notes);
            text.push(match &f.other_build {
                Some(v) => format!(
                    "this version cannot read its manifest.json ({m}); check it with the version that built it:\n  {}",
                    install_hint(v)
                ),
                None => format!("manifest.json is damaged and cannot be read: {m}"),
            });
            return Err(Error::VerifyFailed(text.join("\n")));
        }
    };
    signature_check(dir, &mbytes, &published, opts.signers.as_deref(), &mut f)?;
    match export_plan(opts, &published)? {
        None => {
            let files = report_only(dir, &published, &mut f)?;
            f.verdict(files)
        }
        Some(plan) => {
            let files = with_export(dir, plan, &published, &mut f)?;
            f.verdict(files)
        }
    }
}

/// The plan that rebuilds the report from its export, or `None` when there is no export to
/// rebuild from: no `--input`, and no settings file given or found (`report.toml`, the
/// sample's), or settings that name no export.
fn export_plan(opts: &VerifyOptions, published: &Manifest) -> Result<Option<Plan>> {
    if opts.inputs.is_empty()
        && opts.config.is_none()
        && !CONFIG_SEARCH.iter().any(|p| Path::new(p).is_file())
    {
        return Ok(None);
    }
    let s = &published.settings;
    // A period of a site was compared with the site's earlier periods, not with the config's
    // `history`: only a rebuild of the whole site gives the same files.
    if s.history.iter().any(|h| h.name.contains('/')) {
        let site = opts
            .report
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ".".into());
        return Err(Error::Usage(format!(
            "{} is one period of a site built with --periods; verify the whole site: verify --report {site}",
            opts.report.display()
        )));
    }
    let date = |v: &str| {
        NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
            Error::VerifyFailed(format!("manifest.json has an invalid period date `{v}`"))
        })
    };
    let build_opts = Options {
        inputs: opts.inputs.clone(),
        config: opts.config.clone(),
        from: Some(date(&s.start)?),
        to: Some(date(&s.end)?),
        min_cell: Some(s.min_cell),
        timezone: Some(s.timezone.clone()),
        skip_invalid: s.skip_invalid,
        templates: opts.templates.clone(),
        label: Some(s.label.clone()),
        out: Some(opts.report.clone()),
        ..Options::default()
    };
    match Plan::resolve(&build_opts) {
        Ok(mut plan) => {
            plan.published_inputs = published.inputs.clone();
            Ok(Some(plan))
        }
        Err(Error::Usage(m)) if opts.inputs.is_empty() && m.starts_with(NO_EXPORT) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `manifest.json.sig`: checked against `--signers`, or said to be there unchecked.
fn signature_check(
    dir: &Path,
    manifest_bytes: &[u8],
    published: &Manifest,
    signers: Option<&Path>,
    f: &mut Findings,
) -> Result<()> {
    let sig_path = dir.join(SIGNATURE_FILE);
    let sig = match std::fs::read(&sig_path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(format!("cannot read {}", sig_path.display()), e)),
    };
    let identity = published.signing.as_ref().map(|s| s.identity.as_str());
    let says = identity.map_or(String::new(), |i| {
        format!(", though the report says {i} signs it")
    });
    match (signers, sig) {
        (None, None) => {
            if let Some(i) = identity {
                f.notes.push(format!(
                    "the report says {i} signs it, but {SIGNATURE_FILE} is not in the report folder"
                ));
            }
        }
        (None, Some(_)) => f.notes.push(format!(
            "{SIGNATURE_FILE} was not checked: give --signers FILE, an allowed-signers file with the committee's public key"
        )),
        (Some(_), None) => f.problems.push(format!(
            "{SIGNATURE_FILE} is missing from the report folder: the report is not signed{says}"
        )),
        (Some(file), Some(sig)) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
            let name = file.display().to_string();
            let allowed = AllowedSigners::parse(&text, &name);
            for s in &allowed.skipped {
                f.notes.push(format!("{s}: line left out"));
            }
            match signature::check(manifest_bytes, &sig, &allowed, identity, &name) {
                Check::Good {
                    principals,
                    fingerprint,
                } => f.notes.push(format!(
                    "the signature is good: manifest.json was signed by {} with the key {fingerprint} (namespace {SIGNATURE_NAMESPACE}), as {name} allows",
                    principals.join(", ")
                )),
                Check::Bad(m) => f.problems.push(m),
                Check::Unsupported(m) => f.unchecked.push(m),
            }
        }
    }
    Ok(())
}

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
fn report_only(dir: &Path, published: &Manifest, f: &mut Findings) -> Result<usize> {
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

/// The report rebuilt from its export and compared. Returns how many files match.
fn with_export(dir: &Path, plan: Plan, published: &Manifest, f: &mut Findings) -> Result<usize> {
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

/// A data file of figures (not the data package, whose hashes follow the bytes).
fn is_figure_file(path: &str) -> bool {
    path.starts_with("data/")
        && path != "data/datapackage.json"
        && (path.ends_with(".json") || path.ends_with(".csv"))
}

fn figure_differences(path: &str, published: &[u8], fresh: &[u8]) -> Vec<String> {
    if path.ends_with(".json") {
        compare::json_differences(path.trim_start_matches("data/"), published, fresh)
    } else {
        compare::csv_differences(published, fresh)
    }
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

/// What the manifest records beyond the files and the hashes of the export and the config
/// (each listed on its own elsewhere): the config's file name, the history files, the
/// narrative, the templates, the settings and the tool, in words.
fn manifest_differences(
    published: &Manifest,
    fresh: &Manifest,
    plan: &Plan,
    skip_tool: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let (pc, fc) = (&published.config, &fresh.config);
    if pc.name != fc.name {
        let content = if pc.sha256 == fc.sha256 {
            format!("the same content, SHA-256 {}", short(&fc.sha256))
        } else {
            "and a different content (see above)".to_string()
        };
        out.push(format!(
            "the settings were read from `{}` but the manifest names `{}` ({content}); give the settings file under its published name",
            fc.name, pc.name
        ));
    }
    let (ps, fs) = (&published.settings, &fresh.settings);
    let history_paths =
        crate::compute::history::paths(&plan.config.base_dir(), &plan.config.config.history);
    let history_path = |name: &str| {
        history_paths
            .iter()
            .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == name))
            .map_or_else(|| name.to_string(), |p| p.display().to_string())
    };
    out.extend(file_differences(
        "history file",
        &ps.history,
        &fs.history,
        &history_path,
    ));
    let templates = |name: &str| match &plan.templates {
        Some(dir) => dir.join(name).display().to_string(),
        None => name.to_string(),
    };
    out.extend(file_differences(
        "template",
        &ps.templates,
        &fs.templates,
        &templates,
    ));
    if ps.narrative_sha256 != fs.narrative_sha256 {
        let path = plan
            .config
            .config
            .narrative
            .as_ref()
            .map(|n| plan.config.base_dir().join(n).display().to_string());
        out.push(match (&ps.narrative_sha256, &fs.narrative_sha256, path) {
            (Some(p), Some(f), Some(path)) => format!(
                "the narrative {path} is not the one the report was built with: its SHA-256 is {} but the manifest records {}",
                short(f),
                short(p)
            ),
            (Some(p), _, _) => format!(
                "the manifest records a narrative (SHA-256 {}) but the settings name none",
                short(p)
            ),
            (None, _, path) => format!(
                "the settings name a narrative ({}) but the report was built without one",
                path.unwrap_or_default()
            ),
        });
    }
    // The remaining settings and the tool, figure by figure.
    let value = |m: &Manifest| {
        let mut v = serde_json::json!({
            "tool": m.tool,
            "build_date": m.build_date,
            "settings": m.settings,
            "signing": m.signing,
        });
        if skip_tool {
            if let Some(o) = v.as_object_mut() {
                o.remove("tool");
            }
        }
        if let Some(s) = v.get_mut("settings").and_then(Value::as_object_mut) {
            for k in ["history", "templates", "narrative_sha256"] {
                s.remove(k);
            }
        }
        v
    };
    let mut rest = Vec::new();
    compare::diff("", &value(published), &value(fresh), &mut rest);
    out.extend(rest.into_iter().map(|d| format!("{d} (in the manifest)")));
    out
}

/// Named files whose hashes the manifest records (history files, templates): each one that
/// differs, is missing or is new, with its path (from `path_of`) and both hashes.
fn file_differences(
    what: &str,
    published: &[TemplateRef],
    fresh: &[TemplateRef],
    path_of: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    for p in published {
        match fresh.iter().find(|f| f.name == p.name) {
            Some(f) if f.sha256 == p.sha256 => {}
            Some(f) => out.push(format!(
                "the {what} {} is not the one the report was built with: its SHA-256 is {} but the manifest records {}",
                path_of(&f.name),
                short(&f.sha256),
                short(&p.sha256)
            )),
            None => out.push(format!(
                "the manifest lists the {what} {} (SHA-256 {}), which this build does not use",
                p.name,
                short(&p.sha256)
            )),
        }
    }
    for f in fresh {
        if !published.iter().any(|p| p.name == f.name) {
            out.push(format!(
                "the {what} {} (SHA-256 {}) is used now but is not in the manifest",
                path_of(&f.name),
                short(&f.sha256)
            ));
        }
    }
    out
}

/// The disclosure audit over the figures as published in the folder (not as rebuilt): an
/// edited report may give a withheld cell away. A file that cannot be read as figures is
/// reported by the byte comparison already.
fn disclosure_problems(
    dir: &std::path::Path,
    model: &crate::compute::suppress::Model,
) -> Vec<String> {
    let Some((summary, incidents)) = published_figures(dir) else {
        return Vec::new();
    };
    match model.check(&summary, incidents.as_ref()) {
        Ok(audit) if audit.exposed.is_empty() => Vec::new(),
        Ok(audit) => audit.exposed.iter().map(exposed_problem).collect(),
        Err(_) => vec!["the published figures contradict each other or the export".into()],
    }
}

/// The figures of `data/summary.json` and `data/incidents.json` (when published and
/// readable); `None` when `summary.json` cannot be read as figures.
fn published_figures(
    dir: &std::path::Path,
) -> Option<(crate::model::Summary, Option<crate::model::IncidentFigures>)> {
    let read = |name: &str| std::fs::read(dir.join("data").join(name)).ok();
    let summary = read("summary.json").and_then(|b| serde_json::from_slice(&b).ok())?;
    let incidents = read("incidents.json").and_then(|b| serde_json::from_slice(&b).ok());
    Some((summary, incidents))
}

/// A withheld cell the published figures give away, in words.
fn exposed_problem(e: &crate::compute::suppress::Exposed) -> String {
    format!(
        "the published figures give away a withheld cell: {} can be worked out (= {})",
        e.cell, e.value
    )
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}
