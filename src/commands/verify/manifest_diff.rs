//! The manifest of a fresh build against the published one: what it records beyond the files
//! (settings file name, history files, templates, narrative, settings, tool), in words.

use serde_json::Value;

use super::{compare, short};
use crate::commands::build::Plan;
use crate::publish::manifest::{Manifest, TemplateRef};

/// What the manifest records beyond the files and the hashes of the export and the config
/// (each listed on its own elsewhere): the config's file name, the history files, the
/// narrative, the templates, the settings and the tool, in words.
pub(super) fn manifest_differences(
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
