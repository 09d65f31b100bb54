//! `init DIR`: scaffold a report folder that `build` can run in straight away.

use std::path::{Path, PathBuf};

use crate::config::{self, Config, Preset};
use crate::error::{Error, Result};
use crate::sample::{self, SampleOptions};

pub const REPORT_TOML: &str = include_str!("presets/report.toml");

const NARRATIVE: &str = "\
## A word from the committee

Replace this text with the committee's own account of the year: what changed in the Code of
Conduct or in how reports are handled, what the numbers below do and do not show, and what the
committee plans next. It is Markdown; raw HTML is shown as text.
";

pub struct InitOptions {
    pub dir: PathBuf,
    pub year: i32,
    pub force: bool,
    /// One of `config::PRESET_NAMES`; `ala` by default.
    pub preset: String,
}

/// The scaffold's report.toml for `preset`: the commented settings with the community's
/// organisation, time zone and appealable levels, and its taxonomy tables written out.
pub fn report_toml(preset: &Preset, year: i32) -> Result<String> {
    let mut toml = REPORT_TOML.to_string();
    let levels: Vec<String> = preset
        .appealable_levels
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect();
    for (from, to) in [
        ("year = 2025".to_string(), format!("year = {year}")),
        (
            "timezone = \"America/Chicago\"".into(),
            format!("timezone = \"{}\"", preset.timezone),
        ),
        (
            "appealable_levels = [\"D\"]".into(),
            format!("appealable_levels = [{}]", levels.join(", ")),
        ),
        (
            "organisation = \"American Library Association\"".into(),
            format!("organisation = \"{}\"", preset.organisation),
        ),
        (
            "committee = \"Code of Conduct Committee\"".into(),
            format!("committee = \"{}\"", preset.committee),
        ),
        (TAXONOMY_NOTE.into(), taxonomy_note(preset)),
    ] {
        if !toml.contains(&from) {
            return Err(Error::Usage(format!(
                "internal: init template lacks `{from}`"
            )));
        }
        toml = toml.replacen(&from, &to, 1);
    }
    toml.push('\n');
    toml.push_str(preset.text);
    Ok(toml)
}

const TAXONOMY_NOTE: &str = "\
# The taxonomy (platforms, sections of the Code, levels, actions) defaults to the ALA
# Online Code of Conduct. To describe another community, copy the [[taxonomy.*]] tables
# from the tool's README and edit them.
";

fn taxonomy_note(preset: &Preset) -> String {
    format!(
        "# The taxonomy (platforms, sections of the Code, levels, actions) is written out at the\n\
         # end of this file, from the `{}` preset ({}). Edit it to match your tracker's values.\n",
        preset.name, preset.description
    )
}

/// Writes the scaffold and returns the files written, relative to `dir`.
pub fn run(opts: &InitOptions) -> Result<Vec<String>> {
    let dir = &opts.dir;
    let preset = config::preset(&opts.preset).ok_or_else(|| {
        Error::Usage(format!(
            "unknown preset `{}`; choose one of: {}",
            opts.preset,
            config::PRESET_NAMES.join(", ")
        ))
    })?;
    let toml = report_toml(preset, opts.year)?;
    // The scaffold must itself be a valid config: a broken template would fail every new user.
    let config =
        Config::parse(&toml).map_err(|m| Error::Usage(format!("internal: init config: {m}")))?;
    let mut export = Vec::new();
    sample::generate(
        &SampleOptions {
            rows: 60,
            year: opts.year,
            seed: 1,
        },
        &config,
        &mut export,
    )?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("report.toml".into(), toml.into_bytes()),
        ("narrative.md".into(), NARRATIVE.as_bytes().to_vec()),
        ("cases.csv".into(), export),
    ];
    for (name, body) in crate::render::embedded_templates() {
        files.push((format!("templates/{name}"), body.as_bytes().to_vec()));
    }
    if !opts.force {
        let existing: Vec<&str> = files
            .iter()
            .filter(|(n, _)| dir.join(n).exists())
            .map(|(n, _)| n.as_str())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Usage(format!(
                "{} already has {}; nothing was written (use --force to overwrite)",
                dir.display(),
                existing.join(", ")
            )));
        }
    }
    for (name, body) in &files {
        write(&dir.join(name), body)?;
    }
    Ok(files.into_iter().map(|(n, _)| n).collect())
}

fn write(path: &Path, body: &[u8]) -> Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)
            .map_err(|e| Error::io(format!("cannot create {}", p.display()), e))?;
    }
    std::fs::write(path, body).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

#[cfg(test)]
#[path = "tests/init.rs"]
mod tests;
