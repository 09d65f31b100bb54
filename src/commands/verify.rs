//! `verify`: rebuild a published report in memory from the export and compare every byte.
//! It has no metric code of its own: it calls `build::compute` with the manifest's settings.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::Value;

use crate::commands::build::{self, Options, Plan};
use crate::error::{Error, Result};
use crate::hash::{sha256_file, sha256_hex};
use crate::publish::list_files;
use crate::publish::manifest::{self, Manifest, TemplateRef};

#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub report: PathBuf,
    pub inputs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub templates: Option<PathBuf>,
}

/// Ok(number of files that match) or `Error::VerifyFailed` listing every difference.
pub fn run(opts: &VerifyOptions) -> Result<usize> {
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
    let published = Manifest::parse(&mbytes).map_err(|m| {
        Error::VerifyFailed(format!("manifest.json is damaged and cannot be read: {m}"))
    })?;
    let s = &published.settings;
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
        out: Some(dir.clone()),
        ..Options::default()
    };
    let plan = Plan::resolve(&build_opts)?;
    let mut problems: Vec<String> = Vec::new();

    // The inputs and config must be the ones the report was built from.
    let config_hash = match &plan.config.path {
        Some(_) => sha256_hex(&plan.config.bytes),
        None => sha256_hex(crate::config::ALA_PRESET.as_bytes()),
    };
    if config_hash != published.config.sha256 {
        problems.push(format!(
            "the configuration differs from the one the report was built with ({}: SHA-256 {} now, {} in the manifest)",
            published.config.name,
            short(&config_hash),
            short(&published.config.sha256)
        ));
    }
    for p in &plan.inputs {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let hash = sha256_file(p)
            .map_err(|e| Error::io(format!("cannot read export {}", p.display()), e))?;
        match published.inputs.iter().find(|i| i.name == name) {
            Some(i) if i.sha256 == hash => {}
            Some(i) => problems.push(format!(
                "the export {name} is not the one the report was built from: its SHA-256 is {} but the manifest records {}",
                short(&hash),
                short(&i.sha256)
            )),
            None => problems.push(format!("the export {name} is not listed in the manifest")),
        }
    }
    for i in &published.inputs {
        if !plan
            .inputs
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == i.name))
        {
            problems.push(format!(
                "the manifest lists the export {} but it was not given (--input)",
                i.name
            ));
        }
    }

    let rebuilt = match build::compute(&plan) {
        Ok(b) => b,
        Err(Error::InvalidData(errs)) => {
            problems.push(format!("the export no longer passes validation:\n{errs}"));
            return Err(Error::VerifyFailed(problems.join("\n")));
        }
        Err(e) => return Err(e),
    };

    let on_disk: BTreeSet<String> = list_files(dir)?.into_iter().collect();
    let mut matched = 0usize;
    for (path, bytes) in &rebuilt.files {
        let full = dir.join(path);
        if !on_disk.contains(path) {
            problems.push(format!("{path} is missing from the report folder"));
            continue;
        }
        let disk = std::fs::read(&full)
            .map_err(|e| Error::io(format!("cannot read {}", full.display()), e))?;
        if &disk == bytes {
            matched += 1;
            continue;
        }
        let listed = published.outputs.iter().find(|o| o.path == *path);
        let edited = listed.is_some_and(|o| o.sha256 != sha256_hex(&disk));
        let mut msg = if edited {
            format!("{path} was changed after it was published (its hash no longer matches manifest.json)")
        } else {
            format!("{path} differs from a fresh build")
        };
        if path.starts_with("data/") && path.ends_with(".json") && path != "data/datapackage.json" {
            let name = path.trim_start_matches("data/");
            for d in json_differences(name, &disk, bytes) {
                msg.push_str(&format!("\n    {d}"));
            }
        } else if path == manifest::FILE {
            let why = manifest_differences(&published, &rebuilt.manifest, &plan);
            msg = if why.is_empty() {
                "manifest.json differs from a fresh build (see the other differences)".into()
            } else {
                format!(
                    "manifest.json differs from a fresh build:\n    {}",
                    why.join("\n    ")
                )
            };
        }
        problems.push(msg);
    }
    if let Some(model) = &rebuilt.disclosure {
        problems.extend(disclosure_problems(dir, model));
    }
    for path in &on_disk {
        if !rebuilt.files.contains_key(path) {
            problems.push(format!(
                "{path} is in the report folder but is not part of the report"
            ));
        }
    }
    if problems.is_empty() {
        Ok(matched)
    } else {
        let n = problems.len();
        Err(Error::VerifyFailed(format!(
            "{}\nnot verified: {n} difference{} found",
            problems
                .iter()
                .map(|p| format!("- {p}"))
                .collect::<Vec<_>>()
                .join("\n"),
            if n == 1 { "" } else { "s" }
        )))
    }
}

/// What the manifest records beyond the files and the hashes of the export and the config
/// (each listed on its own elsewhere): the config's file name, the history files, the
/// narrative, the templates, the settings and the tool, in words.
fn manifest_differences(published: &Manifest, fresh: &Manifest, plan: &Plan) -> Vec<String> {
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
        });
        if let Some(s) = v.get_mut("settings").and_then(Value::as_object_mut) {
            for k in ["history", "templates", "narrative_sha256"] {
                s.remove(k);
            }
        }
        v
    };
    let mut rest = Vec::new();
    diff("", &value(published), &value(fresh), &mut rest);
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
    let read = |name: &str| std::fs::read(dir.join("data").join(name)).ok();
    let Some(summary) =
        read("summary.json").and_then(|b| serde_json::from_slice::<crate::model::Summary>(&b).ok())
    else {
        return Vec::new();
    };
    let incidents = read("incidents.json")
        .and_then(|b| serde_json::from_slice::<crate::model::IncidentFigures>(&b).ok());
    match model.check(&summary, incidents.as_ref()) {
        Ok(audit) if audit.exposed.is_empty() => Vec::new(),
        Ok(audit) => audit
            .exposed
            .iter()
            .map(|e| {
                format!(
                    "the published figures give away a withheld cell: {} can be worked out (= {})",
                    e.cell, e.value
                )
            })
            .collect(),
        Err(_) => vec!["the published figures contradict each other or the export".into()],
    }
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// Figure-by-figure differences of two figure files (`summary.json`, `incidents.json`), in
/// words: "by_platform.blog: 12 → 13".
fn json_differences(name: &str, published: &[u8], fresh: &[u8]) -> Vec<String> {
    let (Ok(a), Ok(b)) = (
        serde_json::from_slice::<Value>(published),
        serde_json::from_slice::<Value>(fresh),
    ) else {
        return vec![format!("the published {name} is not valid JSON")];
    };
    let mut out = Vec::new();
    diff("", &a, &b, &mut out);
    if out.is_empty() {
        out.push("same figures, different formatting".into());
    }
    out
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => diff(&join(k), va, vb, out),
                    None => out.push(format!(
                        "{}: published {} but a fresh build has no such figure",
                        join(k),
                        show(va)
                    )),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(format!(
                        "{}: missing from the published file (fresh build: {})",
                        join(k),
                        show(vb)
                    ));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!(
            "{path}: published {}, a fresh build gives {}",
            show(a),
            show(b)
        )),
        _ => {}
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "n/a (null)".into(),
        Value::String(s) => format!("\"{s}\""),
        other => {
            let s = other.to_string();
            if s.chars().count() > 60 {
                format!("{}…", s.chars().take(57).collect::<String>())
            } else {
                s
            }
        }
    }
}
