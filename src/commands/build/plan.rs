//! What a build reads and where it writes: flags and config resolved into one plan.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::compute::history;
use crate::config::{self, LoadedConfig, Period};
use crate::error::{ConfigError, Error, Result};
use crate::hash::sha256_hex;
use crate::present::report;
use crate::publish::manifest::InputRef;

/// What the user asked for (flags of `build`, `validate` and `verify`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub year: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `--period`: one period of the `--periods` grammar (2025, 2025H1, 2025Q3, FY2025).
    pub period: Option<String>,
    pub out: Option<PathBuf>,
    pub min_cell: Option<u64>,
    pub timezone: Option<String>,
    pub skip_invalid: bool,
    pub templates: Option<PathBuf>,
    /// Label override (used by `verify` to rebuild under the published label).
    pub label: Option<String>,
    /// `build --periods`: several periods, one site (`config::periods`).
    pub periods: Option<String>,
    /// Show progress on stderr during long work (set when stderr is a terminal, not `--quiet`).
    pub progress: bool,
}

/// Everything resolved: which files, which settings.
#[derive(Debug, Clone)]
pub struct Plan {
    pub config: LoadedConfig,
    /// Always set for `build` and `verify`; `validate` may run without one.
    pub period: Option<Period>,
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub templates: Option<PathBuf>,
    pub skip_invalid: bool,
    pub progress: bool,
    /// `verify`: the exports the published manifest lists. An export read now whose records
    /// are those of a listed one (same name, same content digest) but whose bytes differ (a
    /// re-saved copy) is shown in the report and the manifest under the published byte hash,
    /// so the rebuilt files can be compared byte for byte.
    pub published_inputs: Vec<InputRef>,
}

/// The first words of the error for a build that finds no export (`verify` then checks the
/// report alone).
pub const NO_EXPORT: &str = "no export to read";

/// Where a config is looked for when `--config` is not given, in order.
pub const CONFIG_SEARCH: [&str; 2] = ["report.toml", "sample_data/report.toml"];

/// The configs looked for: the sample's only for the sample's own export, since with
/// `--input` its narrative and committee figures would land in someone else's report (SPEC §2).
fn config_search(with_inputs: bool) -> &'static [&'static str] {
    if with_inputs {
        &CONFIG_SEARCH[..1]
    } else {
        &CONFIG_SEARCH
    }
}

impl Plan {
    /// Resolves a plan for `build` and `verify`, which need a reporting period.
    pub fn resolve(opts: &Options) -> Result<Plan> {
        Plan::resolve_with(opts, true)
    }

    /// Resolves a plan for `validate`: checking rows needs no period; with one (flags or
    /// `[period]`), `validate` also counts the rows inside it.
    pub fn resolve_for_validate(opts: &Options) -> Result<Plan> {
        Plan::resolve_with(opts, false)
    }

    /// The reporting period (`build` and `verify` have one, see [`Plan::resolve`]).
    pub fn period(&self) -> Result<&Period> {
        self.period.as_ref().ok_or_else(no_period)
    }

    /// Resolves a plan for a site (`build --periods`): the periods come from the spec, the
    /// folder written is `--out`, else `output/`.
    pub fn resolve_site(opts: &Options) -> Result<Plan> {
        if opts.year.is_some() || opts.from.is_some() || opts.to.is_some() || opts.period.is_some()
        {
            return Err(Error::Usage(
                "give either --periods or --year/--period/--from/--to, not both".into(),
            ));
        }
        let mut plan = Plan::resolve_with(opts, false)?;
        plan.period = None;
        plan.out_dir = opts.out.clone().unwrap_or_else(|| PathBuf::from("output"));
        Ok(plan)
    }

    /// The periods of a `--periods` spec; a fiscal year (`FY2025`) takes its months from the
    /// config's `[period]`.
    pub fn site_periods(&self, spec: &str) -> Result<Vec<config::periods::SpecPeriod>> {
        config::periods::parse(spec, self.fiscal()?)
            .map_err(|m| Error::Usage(format!("--periods: {m}")))
    }

    /// The twelve months of the config's `[period]`, which name a fiscal year (`FY2025`).
    pub fn fiscal(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        match &self.config.config.period {
            Some(p) => {
                Ok(Some(p.resolve().map_err(|m| {
                    Error::Usage(format!("period in config: {m}"))
                })?))
            }
            None => Ok(None),
        }
    }

    fn resolve_with(opts: &Options, need_period: bool) -> Result<Plan> {
        let search = config_search(!opts.inputs.is_empty());
        let mut loaded = match &opts.config {
            Some(p) => LoadedConfig::load(p)?,
            None => match search.iter().map(Path::new).find(|p| p.is_file()) {
                Some(p) => LoadedConfig::load(p)?,
                None => LoadedConfig::embedded(),
            },
        };
        let cfg = &mut loaded.config;
        if let Some(tz) = &opts.timezone {
            cfg.timezone = tz.clone();
            cfg.tz()
                .map_err(|m| Error::Usage(format!("--timezone: {m}")))?;
        }
        if let Some(m) = opts.min_cell {
            cfg.min_cell =
                config::check_min_cell(m).map_err(|e| Error::Usage(format!("--min-cell: {e}")))?;
        }
        let flag_date = |flag: &str, d: NaiveDate| {
            crate::schema::check_date(d).map_err(|m| Error::Usage(format!("{flag} {d}: {m}")))
        };
        // The config's period: its bounds, the label it gives itself (`2025Q3`, an event's
        // name) and the event it is.
        let configured = match &cfg.period {
            Some(p) => Some(
                p.resolved()
                    .map_err(|m| Error::Usage(format!("period in config: {m}")))?,
            ),
            None => None,
        };
        let (bounds, named) = match (opts.year, opts.from, opts.to, &opts.period) {
            (Some(y), None, None, None) => (
                Some(config::year_bounds(y).map_err(|m| Error::Usage(format!("--year: {m}")))?),
                None,
            ),
            (None, Some(f), Some(t), None) => {
                (Some((flag_date("--from", f)?, flag_date("--to", t)?)), None)
            }
            (None, None, None, Some(item)) => {
                let fiscal = configured.as_ref().map(|(b, _)| *b);
                let p = config::periods::one_period(item, fiscal)
                    .map_err(|m| Error::Usage(format!("--period: {m}")))?;
                (Some((p.period.start, p.period.end)), Some(p.period.label))
            }
            (None, None, None, None) => match &configured {
                Some((b, label)) => (Some(*b), cfg.label.clone().or_else(|| label.clone())),
                None if need_period => return Err(no_period()),
                None => (None, None),
            },
            (None, Some(_), None, _) | (None, None, Some(_), _) => {
                return Err(Error::Usage(
                    "--from and --to must be given together".into(),
                ))
            }
            _ => {
                return Err(Error::Usage(
                    "give one of --year, --period, or --from with --to".into(),
                ))
            }
        };
        // A period given on the command line names itself unless a label is forced.
        let label = opts.label.clone().or(named);
        // A period with the event's own dates is the event, however it was given (`verify`
        // rebuilds it from the manifest's dates).
        let event = match (&cfg.period, &configured, bounds) {
            (Some(p), Some((b, _)), Some(now)) if *b == now => p.event().map(str::to_string),
            _ => None,
        };
        let period = bounds
            .map(|(start, end)| {
                Period::new(label, start, end)
                    .map(|p| p.with_event(event))
                    .map_err(Error::Usage)
            })
            .transpose()?;
        let base = loaded.base_dir();
        let inputs = if !opts.inputs.is_empty() {
            opts.inputs.clone()
        } else if !loaded.config.inputs.is_empty() {
            loaded.config.inputs.iter().map(|p| base.join(p)).collect()
        } else {
            // Files of earlier published figures and the committee's summaries file are CSVs
            // beside the config but never the export.
            let imported: Vec<PathBuf> = loaded
                .config
                .site
                .imports
                .iter()
                .map(|i| base.join(&i.file))
                .collect();
            let summaries = loaded.config.summaries.as_ref().map(|s| base.join(s));
            csv_files_in(&base)?
                .into_iter()
                .filter(|p| !imported.iter().any(|i| same_file(p, i)))
                .filter(|p| summaries.as_ref().is_none_or(|s| !same_file(p, s)))
                .collect()
        };
        if inputs.is_empty() {
            return Err(Error::Usage(format!(
                "{NO_EXPORT}: pass --input FILE, list `inputs` in report.toml, or put the export (*.csv) in {}",
                base.display()
            )));
        }
        let templates = match &opts.templates {
            Some(t) => {
                if !t.is_dir() {
                    return Err(Error::Usage(format!(
                        "--templates: {} is not a folder",
                        t.display()
                    )));
                }
                Some(t.clone())
            }
            None => Some(base.join("templates")).filter(|t| t.is_dir() && loaded.path.is_some()),
        };
        let out_dir = opts.out.clone().unwrap_or_else(|| match &period {
            Some(p) => Path::new("output").join(&p.label),
            None => PathBuf::from("output"),
        });
        Ok(Plan {
            config: loaded,
            period,
            inputs,
            out_dir,
            templates,
            skip_invalid: opts.skip_invalid,
            progress: opts.progress,
            published_inputs: Vec::new(),
        })
    }

    /// `input` as the report shows it: under the published byte hash and size when it is a
    /// re-saved copy of a published export (see `published_inputs`).
    pub fn as_published(&self, mut input: InputRef) -> InputRef {
        let same_records = |p: &InputRef| match (&p.content, &input.content) {
            (Some(a), Some(b)) => a.scheme == b.scheme && a.sha256 == b.sha256,
            _ => false,
        };
        if let Some(p) = self
            .published_inputs
            .iter()
            .find(|p| p.name == input.name && p.sha256 != input.sha256 && same_records(p))
        {
            input.sha256 = p.sha256.clone();
            input.bytes = p.bytes;
            input.content = p.content.clone();
        }
        input
    }

    /// The settings in force, for the last line of `build`: the file as found or given, or
    /// `built-in defaults`.
    pub fn settings_name(&self) -> String {
        match &self.config.path {
            Some(p) => p.display().to_string(),
            None => "built-in defaults".into(),
        }
    }

    /// Every file a build of this plan reads, and the templates it would read if they were
    /// created (a template added to the folder replaces the embedded one): what `serve`
    /// watches. Files that do not exist are listed too, so their creation is noticed.
    pub fn sources(&self) -> Vec<PathBuf> {
        let base = self.config.base_dir();
        let mut out: Vec<PathBuf> = self.config.path.iter().cloned().collect();
        out.extend(self.inputs.iter().cloned());
        out.extend(self.narrative_path());
        out.extend(self.summaries_path());
        out.extend(history::paths(&base, &self.config.config.history));
        out.extend(
            self.config
                .config
                .site
                .imports
                .iter()
                .map(|i| base.join(&i.file)),
        );
        // As in `resolve_with`: the folder given, else the `templates/` beside a config file.
        let dir = match (&self.templates, &self.config.path) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(_)) => Some(base.join("templates")),
            (None, None) => None,
        };
        if let Some(dir) = dir {
            out.extend(
                report::embedded_templates()
                    .iter()
                    .map(|(name, _)| dir.join(name)),
            );
        }
        out
    }

    fn narrative_path(&self) -> Option<PathBuf> {
        let rel = self.config.config.narrative.as_ref()?;
        Some(self.config.base_dir().join(rel))
    }

    pub(super) fn summaries_path(&self) -> Option<PathBuf> {
        let rel = self.config.config.summaries.as_ref()?;
        Some(self.config.base_dir().join(rel))
    }

    /// The summaries file named in the config: (its name as messages show it, its entries,
    /// its SHA-256). A malformed file is an error listing every problem with its line.
    pub fn summaries(&self) -> Result<Option<(String, Vec<crate::summaries::Entry>, String)>> {
        let Some(path) = self.summaries_path() else {
            return Ok(None);
        };
        let bytes = read_beside_config(&path)?;
        // As the committee sees it from the config's folder: `summaries.csv`, not `./summaries.csv`.
        let name = path
            .strip_prefix(".")
            .unwrap_or(&path)
            .display()
            .to_string();
        let entries =
            crate::summaries::parse_with(&name, &bytes, self.fiscal()?).map_err(|problems| {
                Error::Summaries {
                    file: name.clone(),
                    problems,
                }
            })?;
        Ok(Some((name, entries, sha256_hex(&bytes))))
    }

    pub(super) fn narrative(&self) -> Result<Option<(String, String)>> {
        let Some(path) = self.narrative_path() else {
            return Ok(None);
        };
        let bytes = read_beside_config(&path)?;
        let hash = sha256_hex(&bytes);
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::Config(ConfigError::Invalid {
                path: path.clone(),
                message: "the narrative is not UTF-8 text".into(),
            })
        })?;
        Ok(Some((text, hash)))
    }
}

fn no_period() -> Error {
    Error::Usage(
        "no reporting period: pass --year YYYY (or --from DATE --to DATE), or set [period] in report.toml".into(),
    )
}

/// Two paths name one file (compared as given when either cannot be resolved).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Every `*.csv` file in `dir`, sorted: the exports read when none is named.
pub fn csv_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => return Ok(Vec::new()),
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    out.sort();
    Ok(out)
}

/// A file the config names (the summaries, the narrative), read whole; a failure names it.
fn read_beside_config(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| {
        Error::Config(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })
    })
}
