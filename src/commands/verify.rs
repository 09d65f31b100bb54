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
mod disclosure;
mod integrity;
mod manifest_diff;
mod rebuild;
mod site;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use crate::commands::build::{Options, Plan, CONFIG_SEARCH, NO_EXPORT};
use crate::error::{Error, Result};
use crate::publish::manifest::{self, Manifest, SIGNATURE_FILE, SIGNATURE_NAMESPACE};
use crate::publish::signature::{self, AllowedSigners, Check};
use crate::version::{cargo_lock_sha256, install_hint, NAME, VERSION};
use integrity::report_only;
use rebuild::with_export;

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

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}
