//! `init DIR`: scaffold a report folder that `build` can run in straight away.

use std::path::{Path, PathBuf};

use crate::config::{self, Config, Preset};
use crate::error::{Error, Result};
use crate::synth::{self, SampleOptions};

pub const REPORT_TOML: &str = include_str!("../config/presets/report.toml");

const NARRATIVE: &str = "\
## A word from the committee

Replace this text with the committee's own account of the year: what changed in the Code of
Conduct or in how reports are handled, what the numbers below do and do not show, and what the
committee plans next. It is Markdown; raw HTML is shown as text.
";

/// A sentence of [`NARRATIVE`] that a committee's own text would not keep: `build` warns
/// while the narrative still holds it.
pub const NARRATIVE_PLACEHOLDER: &str =
    "Replace this text with the committee's own account of the year";

/// The example export: 60 synthetic cases, enough that small-cell protection can be honoured
/// (a dozen cases cannot publish a table without giving a withheld cell away).
const EXAMPLE_ROWS: u64 = 60;
const EXAMPLE_SEED: u64 = 1;

/// The example export `init` writes for `config` and `year`.
pub fn example_export(config: &Config, year: i32) -> Result<Vec<u8>> {
    let mut export = Vec::new();
    synth::generate(
        &SampleOptions {
            rows: EXAMPLE_ROWS,
            year,
            seed: EXAMPLE_SEED,
        },
        config,
        &mut export,
    )?;
    Ok(export)
}

/// The SHA-256 of the example `init` writes for `config` and each of `years`: an export with
/// one of them is that example, unchanged.
pub fn example_hashes(config: &Config, years: &[i32]) -> Vec<String> {
    years
        .iter()
        .filter_map(|&y| example_export(config, y).ok())
        .map(|bytes| crate::hash::sha256_hex(&bytes))
        .collect()
}

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
            if preset.appeal_any_decision {
                format!(
                    "appealable_levels = [{}]\nappeal_any_decision = true   # any decision, whatever its level",
                    levels.join(", ")
                )
            } else {
                format!("appealable_levels = [{}]", levels.join(", "))
            },
        ),
        (
            "appeal_window_days = 60".into(),
            if preset.appeal_window {
                "appeal_window_days = 60".into()
            } else {
                "appeal_window = false   # appeals have no time limit".into()
            },
        ),
        ("ack_target_business_days = 1".into(), preset.ack.into()),
        (
            "min_cell = 3".into(),
            format!("min_cell = {}", preset.min_cell),
        ),
        (
            "document = \"Code of Conduct\"".into(),
            format!("document = \"{}\"", preset.document),
        ),
        (
            "title = \"{organisation} {document} transparency report {label}\"".into(),
            format!(
                "title = \"{}\"",
                preset
                    .title
                    .unwrap_or("{organisation} {document} transparency report {label}")
            ),
        ),
        (
            "section = \"section\"".into(),
            format!("section = \"{}\"", preset.section),
        ),
        (
            "# sections = \"sections\"".into(),
            match preset.sections {
                Some(plural) => format!("sections = \"{plural}\""),
                None => "# sections = \"sections\"".into(),
            },
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
        (
            crate::config::ALL_SECTIONS_LINE.into(),
            preset.sections_line.into(),
        ),
        (
            "style = \"full\"".into(),
            format!("style = \"{}\"", preset.style),
        ),
        (
            "case = \"case\"".into(),
            format!("case = \"{}\"", preset.case_word),
        ),
        (
            "committee = \"the committee\"".into(),
            format!("committee = \"{}\"", preset.committee_word),
        ),
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
    if preset.dsa().map_err(Error::Usage)?.is_none() {
        toml.push_str(&commented_dsa_map(preset)?);
    }
    Ok(toml)
}

/// For a preset without a `[dsa]` table (ALA, whose mapping is the built-in default): that
/// default written out as comments, so the committee sees what `data/dsa_summary.csv` uses
/// and where to change it.
fn commented_dsa_map(preset: &Preset) -> Result<String> {
    let t = preset.taxonomy().map_err(Error::Usage)?;
    let map = crate::config::dsa::category_map(None, &t);
    let mut out = String::from(
        "\n# How the sections above map to the EU Digital Services Act categories of\n\
         # data/dsa_summary.csv (an aid for a DSA report, not a legal filing). Below is the\n\
         # built-in ALA mapping; uncomment the table to change it, and map a section to\n\
         # \"unmapped\" to leave it out. A section of your own that no table maps means the file\n\
         # is not written (the build says so).\n\
         # [dsa.category_map]\n",
    );
    for c in &t.categories {
        if let Some(to) = map.get(&c.key) {
            out.push_str(&format!("# {} = \"{to}\"\n", c.key));
        }
    }
    Ok(out)
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
    let export = example_export(&config, opts.year)?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("report.toml".into(), toml.into_bytes()),
        ("narrative.md".into(), NARRATIVE.as_bytes().to_vec()),
        ("cases.csv".into(), export),
    ];
    for (name, body) in crate::present::report::embedded_templates() {
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
mod tests;
