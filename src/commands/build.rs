//! `build`: load → validate → aggregate → suppress → chart + render → publish.
//!
//! `compute` does everything in memory and returns the report's files; `verify` calls it too,
//! so there is exactly one place where figures are made.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::compute::{aggregate, history, suppress};
use crate::config::{self, LoadedConfig, Period};
use crate::error::{ConfigError, Error, Result};
use crate::load::{self, sha256_hex, CaseTable, InputStats, Loaded};
use crate::model::{Summary, SuppressionReport};
use crate::present::{chart, data, report};
use crate::publish::manifest::{
    self, ConfigRef, InputRef, Manifest, OutputRef, Settings, TemplateRef, Tool,
};

/// What the user asked for (flags of `build`, `validate` and `verify`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub year: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub out: Option<PathBuf>,
    pub min_cell: Option<u64>,
    pub timezone: Option<String>,
    pub skip_invalid: bool,
    pub templates: Option<PathBuf>,
    /// Label override (used by `verify` to rebuild under the published label).
    pub label: Option<String>,
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
}

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
        let bounds = match (opts.year, opts.from, opts.to) {
            (Some(y), None, None) => {
                Some(config::year_bounds(y).map_err(|m| Error::Usage(format!("--year: {m}")))?)
            }
            (None, Some(f), Some(t)) => Some((flag_date("--from", f)?, flag_date("--to", t)?)),
            (None, None, None) => match &cfg.period {
                Some(p) => Some(
                    p.resolve()
                        .map_err(|m| Error::Usage(format!("period in config: {m}")))?,
                ),
                None if need_period => return Err(no_period()),
                None => None,
            },
            (Some(_), _, _) => {
                return Err(Error::Usage(
                    "give either --year or --from/--to, not both".into(),
                ))
            }
            _ => {
                return Err(Error::Usage(
                    "--from and --to must be given together".into(),
                ))
            }
        };
        // A period given on the command line names itself unless a label is forced.
        let label = if opts.label.is_some() {
            opts.label.clone()
        } else if opts.year.is_some() || opts.from.is_some() {
            None
        } else {
            cfg.label.clone()
        };
        let period = bounds
            .map(|(start, end)| Period::new(label, start, end).map_err(Error::Usage))
            .transpose()?;
        let base = loaded.base_dir();
        let inputs = if !opts.inputs.is_empty() {
            opts.inputs.clone()
        } else if !loaded.config.inputs.is_empty() {
            loaded.config.inputs.iter().map(|p| base.join(p)).collect()
        } else {
            csv_files_in(&base)?
        };
        if inputs.is_empty() {
            return Err(Error::Usage(format!(
                "no export to read: pass --input FILE, list `inputs` in report.toml, or put the export (*.csv) in {}",
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
        })
    }

    /// The settings in force, for the last line of `build`: the file as found or given, or
    /// `built-in defaults`.
    pub fn settings_name(&self) -> String {
        match &self.config.path {
            Some(p) => p.display().to_string(),
            None => "built-in defaults".into(),
        }
    }

    fn narrative(&self) -> Result<Option<(String, String)>> {
        let Some(rel) = &self.config.config.narrative else {
            return Ok(None);
        };
        let path = self.config.base_dir().join(rel);
        let bytes = std::fs::read(&path).map_err(|source| {
            Error::Config(ConfigError::Read {
                path: path.clone(),
                source,
            })
        })?;
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

fn csv_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
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

/// The result of a build, before anything is written.
#[derive(Debug, Clone)]
pub struct Built {
    /// Relative path → bytes, every file of the report including `manifest.json`.
    pub files: BTreeMap<String, Vec<u8>>,
    pub summary: Summary,
    pub suppression: SuppressionReport,
    pub inputs: Vec<InputStats>,
    pub manifest: Manifest,
    pub warnings: Vec<String>,
}

/// Loads and validates; fails with every problem listed unless `--skip-invalid`.
pub fn load_valid(plan: &Plan) -> Result<Loaded> {
    let opts = load::LoadOptions {
        progress: plan.progress,
        ..load::LoadOptions::default()
    };
    let loaded = load::load_with(&plan.inputs, &plan.config.config, &opts)?;
    // A file-level problem (header, encoding) rejects no single row but makes the whole
    // export unusable: never skipped. The loader counts them apart from row problems.
    if loaded.errors.total > 0 && (!plan.skip_invalid || loaded.errors.has_file_problems()) {
        return Err(Error::InvalidData(loaded.errors));
    }
    Ok(loaded)
}

/// How many valid rows were reported (local date of `reported_at`) within the period: the
/// rows a build of that period counts.
pub fn rows_in_period(table: &CaseTable, period: &Period) -> u64 {
    use chrono::Datelike;
    let (start, end) = (
        period.start.num_days_from_ce(),
        period.end.num_days_from_ce(),
    );
    table
        .chunks
        .iter()
        .flat_map(|c| &c.rday)
        .filter(|d| (start..=end).contains(*d))
        .count() as u64
}

/// The step a build is at, shown on stderr while it runs (only when stderr is a terminal
/// and not `--quiet`, as the loader's progress): one line, rewritten at each step and
/// cleared at the end. The loader's percentage takes over the line while a large export is
/// read.
pub struct Phases {
    out: Option<Box<dyn Write>>,
    shown: bool,
}

impl Phases {
    /// On stderr when `enabled`, else silent.
    pub fn new(enabled: bool) -> Self {
        Phases {
            out: enabled.then(|| Box::new(std::io::stderr()) as Box<dyn Write>),
            shown: false,
        }
    }

    /// To any writer (tests stand in for a terminal this way).
    pub fn to_writer(out: Box<dyn Write>) -> Self {
        Phases {
            out: Some(out),
            shown: false,
        }
    }

    /// Shows `what` as the step now running.
    pub fn start(&mut self, what: &str) {
        if let Some(out) = &mut self.out {
            // Progress is a courtesy: a closed or full stderr must not stop the build.
            let _ = write!(out, "\r{what}…\x1b[K").and_then(|()| out.flush());
            self.shown = true;
        }
    }

    /// Clears the line.
    pub fn finish(&mut self) {
        if let (Some(out), true) = (&mut self.out, self.shown) {
            let _ = write!(out, "\r\x1b[K").and_then(|()| out.flush());
            self.shown = false;
        }
    }
}

impl Drop for Phases {
    fn drop(&mut self) {
        self.finish();
    }
}

pub fn compute(plan: &Plan) -> Result<Built> {
    compute_with(plan, &mut Phases::new(plan.progress))
}

/// [`compute`], showing each step on `phases`.
pub fn compute_with(plan: &Plan, phases: &mut Phases) -> Result<Built> {
    let cfg = &plan.config.config;
    let period = plan.period()?;
    let narrative = plan.narrative()?;
    phases.start(&format!(
        "reading {} export{}",
        plan.inputs.len(),
        if plan.inputs.len() == 1 { "" } else { "s" }
    ));
    let mut loaded = load_valid(plan)?;
    let rows_read = loaded.rows_read();
    let incident_column = loaded.table.incident_column;
    let partial = partial_period_warning(&loaded.table, plan.period()?);
    phases.start(&format!("computing the figures of {rows_read} rows"));
    let aggregate::Aggregated {
        mut summary,
        support,
        mut incidents,
    } = aggregate::aggregate(
        std::mem::take(&mut loaded.table),
        cfg,
        period,
        rows_read,
        loaded.errors.rejected_rows,
    )?;
    phases.start("checking for small counts (suppression)");
    let suppression = suppress::suppress(
        &mut summary,
        incidents.as_mut(),
        &support,
        cfg.min_cell,
        &cfg.taxonomy,
    );

    phases.start("rendering the charts and the report");
    let history_paths = history::paths(&plan.config.base_dir(), &cfg.history);
    let earlier = history::load(&history_paths, &summary.period.start)?;
    let history_refs = history_paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p)
                .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?;
            Ok(TemplateRef {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sha256: sha256_hex(&bytes),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let history = history::History::new(earlier, &summary);

    let mut charts = chart::render_all(&summary, incidents.as_ref(), cfg)?;
    if let Some(h) = &history {
        let periods: Vec<_> = h
            .periods
            .iter()
            .map(|p| (p.period.label.clone(), p.cases.total, p.cases.resolved))
            .collect();
        charts.push(chart::history(&periods, cfg.min_cell)?);
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for c in &charts {
        files.insert(format!("charts/{}.svg", c.id), c.svg.clone().into_bytes());
    }
    let data = data::data_files(&summary, incidents.as_ref(), cfg, history.as_ref())?;
    let package = data::datapackage(&summary, incidents.as_ref(), cfg, history.as_ref(), &data)?;
    for (p, b) in data {
        files.insert(p, b);
    }
    files.insert("data/datapackage.json".into(), package);

    let data_refs: Vec<report::DataFile> = files
        .iter()
        .map(|(p, b)| report::DataFile {
            path: p.clone(),
            sha256: sha256_hex(b),
            bytes: b.len() as u64,
        })
        .collect();
    let chart_refs: Vec<report::ChartRef> = charts
        .iter()
        .map(|c| report::ChartRef {
            id: c.id,
            title: &c.title,
            description: &c.description,
            svg: &c.svg,
        })
        .collect();
    let input_hashes: Vec<(String, String)> = loaded
        .inputs
        .iter()
        .map(|i| (i.name.clone(), i.sha256.clone()))
        .collect();
    let build_date = source_date()?;
    let rendered = report::render(
        &report::ReportInput {
            summary: &summary,
            config: cfg,
            charts: &chart_refs,
            narrative_markdown: narrative.as_ref().map(|(t, _)| t.as_str()),
            suppression: &suppression,
            data_files: &data_refs,
            tool_version: env!("CARGO_PKG_VERSION"),
            build_date: build_date.as_deref(),
            input_hashes: &input_hashes,
            rows_rejected: loaded.errors.rejected_rows,
            history: history.as_ref(),
            incidents: incidents.as_ref(),
        },
        plan.templates.as_deref(),
    )?;
    files.insert("index.html".into(), rendered.html.into_bytes());
    files.insert("report.md".into(), rendered.markdown.into_bytes());

    let manifest = Manifest {
        tool: Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        schema_version: crate::model::SCHEMA_VERSION,
        build_date,
        config: ConfigRef {
            name: match &plan.config.path {
                Some(p) => p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                None => "(embedded ALA default)".into(),
            },
            sha256: if plan.config.path.is_some() {
                sha256_hex(&plan.config.bytes)
            } else {
                sha256_hex(config::ALA_PRESET.as_bytes())
            },
        },
        settings: Settings {
            label: period.label.clone(),
            start: period.start.format("%Y-%m-%d").to_string(),
            end: period.end.format("%Y-%m-%d").to_string(),
            timezone: cfg.timezone.clone(),
            min_cell: cfg.min_cell,
            skip_invalid: plan.skip_invalid,
            business_days: cfg.business_days.clone(),
            holidays: cfg
                .holidays
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect(),
            ack_target_business_days: cfg.ack_target_business_days,
            appealable_levels: cfg.appealable_levels.clone(),
            appeal_window_days: cfg.appeal_window_days,
            templates: template_refs(plan.templates.as_deref())?,
            narrative_sha256: narrative.as_ref().map(|(_, h)| h.clone()),
            count_categories_by: cfg.incidents.count_categories_by.key().to_string(),
            history: history_refs,
        },
        inputs: loaded.inputs.iter().map(InputRef::from).collect(),
        outputs: files.iter().map(|(p, b)| OutputRef::of(p, b)).collect(),
    };
    files.insert(manifest::FILE.into(), manifest.to_bytes());
    let mut warnings = Vec::new();
    if loaded.errors.total > 0 {
        warnings.push(format!(
            "{} invalid row(s) left out (--skip-invalid); the report says so",
            loaded.errors.rejected_rows
        ));
    }
    if cfg.incidents.count_categories_by == config::CountBasis::Incidents && !incident_column {
        warnings.push(
            "report.toml counts sections by incident, but the export has no incident_id column: each report is counted as an incident of its own".into(),
        );
    }
    warnings.extend(partial);
    warnings.extend(crate::present::dsa::coverage_warning(
        cfg.dsa.as_ref(),
        &cfg.taxonomy,
    ));
    warnings.extend(example_warnings(plan, &loaded.inputs));
    if let Some((text, _)) = &narrative {
        if text.contains(crate::commands::init::NARRATIVE_PLACEHOLDER) {
            let path = cfg
                .narrative
                .as_deref()
                .unwrap_or(Path::new("narrative.md"));
            warnings.push(format!(
                "{} still holds the placeholder text that `init` wrote (\"{}…\"): replace it with the committee's own words before publishing",
                path.display(),
                crate::commands::init::NARRATIVE_PLACEHOLDER
            ));
        }
    }
    Ok(Built {
        files,
        summary,
        suppression,
        inputs: loaded.inputs,
        manifest,
        warnings,
    })
}

/// An export whose last report is more than this many days before the period ends does not
/// cover the whole period (a year built in August, or an export cut short): the build warns.
/// A month leaves room for a quiet December; later reports are never a problem.
pub const PARTIAL_PERIOD_DAYS: i64 = 31;

/// The warning for an export that ends well before the period does (see
/// [`PARTIAL_PERIOD_DAYS`]); judged on every valid report, in the period or not.
fn partial_period_warning(table: &load::CaseTable, period: &Period) -> Option<String> {
    let last = table
        .chunks
        .iter()
        .filter_map(|c| c.rday.iter().max())
        .max()?;
    let last = NaiveDate::from_num_days_from_ce_opt(*last)?;
    if last < period.start {
        return Some(format!(
            "the export's last report is from {last}, before the period starts ({}): no report falls in {}; check the period (--year, --from/--to or [period] in report.toml)",
            period.start, period.label
        ));
    }
    let gap = (period.end - last).num_days();
    (gap > PARTIAL_PERIOD_DAYS).then(|| {
        format!(
            "the export's last report is from {last}, {gap} days before the period ends ({}): the figures cover only part of {}; build again once the export covers the whole period, or give a period that ends earlier (--from/--to)",
            period.end, period.label
        )
    })
}

/// Warns about an input that is the unchanged example export `init` wrote: its synthetic
/// cases would be counted as the committee's (alone, or added to the real export beside it).
pub fn example_warnings(plan: &Plan, inputs: &[InputStats]) -> Vec<String> {
    use chrono::Datelike;
    // The example is made for the year `init` was given, which its report.toml names; the
    // period built may have been changed since.
    let mut years: Vec<i32> = plan
        .period
        .as_ref()
        .map(|p| (p.start.year()..=p.end.year()).take(3).collect())
        .unwrap_or_default();
    if let Some((start, _)) = plan
        .config
        .config
        .period
        .as_ref()
        .and_then(|p| p.resolve().ok())
    {
        years.push(start.year());
    }
    years.sort_unstable();
    years.dedup();
    let hashes = crate::commands::init::example_hashes(&plan.config.config, &years);
    let examples: Vec<&InputStats> = inputs
        .iter()
        .filter(|i| hashes.contains(&i.sha256))
        .collect();
    examples
        .iter()
        .map(|e| {
            let others: Vec<&str> = inputs
                .iter()
                .filter(|i| !examples.iter().any(|x| std::ptr::eq(*x, *i)))
                .map(|i| i.name.as_str())
                .collect();
            if others.is_empty() {
                format!(
                    "{} is the example export that `init` wrote (synthetic cases): replace it with your export before publishing",
                    e.name
                )
            } else {
                format!(
                    "{} is the example export that `init` wrote (synthetic cases) and is read together with {}: delete it, or list your exports in `inputs` in report.toml",
                    e.name,
                    others.join(", ")
                )
            }
        })
        .collect()
}

/// `SOURCE_DATE_EPOCH`, the only clock a build may read, as `YYYY-MM-DD`.
fn source_date() -> Result<Option<String>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => {
            let secs: i64 = v.trim().parse().map_err(|_| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"
                ))
            })?;
            let d = chrono::DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH=`{v}` is out of range")))?;
            Ok(Some(d.format("%Y-%m-%d").to_string()))
        }
        _ => Ok(None),
    }
}

fn template_refs(dir: Option<&Path>) -> Result<Vec<TemplateRef>> {
    let mut out = Vec::new();
    if let Some(dir) = dir {
        for (name, _) in report::embedded_templates() {
            let p = dir.join(name);
            if p.is_file() {
                let bytes = std::fs::read(&p)
                    .map_err(|e| Error::io(format!("cannot read template {}", p.display()), e))?;
                out.push(TemplateRef {
                    name: name.to_string(),
                    sha256: sha256_hex(&bytes),
                });
            }
        }
    }
    Ok(out)
}

/// What `build` did, for the one-line summary on stderr.
pub struct Outcome {
    pub out_dir: PathBuf,
    pub built: Built,
    /// Which settings the report was built with (`Plan::settings_name`).
    pub settings: String,
}

pub fn run(opts: &Options) -> Result<Outcome> {
    run_with(opts, &mut Phases::new(opts.progress))
}

/// [`run`], showing each step on `phases`.
pub fn run_with(opts: &Options, phases: &mut Phases) -> Result<Outcome> {
    let plan = Plan::resolve(opts)?;
    let built = compute_with(&plan, phases)?;
    phases.start(&format!(
        "saving {} files to {}",
        built.files.len(),
        plan.out_dir.display()
    ));
    crate::publish::publish(&plan.out_dir, &built.files)?;
    phases.finish();
    Ok(Outcome {
        settings: plan.settings_name(),
        out_dir: plan.out_dir,
        built,
    })
}

#[cfg(test)]
mod tests;
