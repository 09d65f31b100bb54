//! `build`: load → validate → aggregate → suppress → chart + render → publish.
//!
//! `compute` does everything in memory and returns the report's files; `verify` calls it too,
//! so there is exactly one place where figures are made.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{self, LoadedConfig, Period};
use crate::error::{ConfigError, Error, Result};
use crate::load::{self, sha256_hex, InputStats, Loaded};
use crate::manifest::{
    self, ConfigRef, InputRef, Manifest, OutputRef, Settings, TemplateRef, Tool,
};
use crate::model::{Summary, SuppressionReport};
use crate::{aggregate, chart, data, history, render, suppress};

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
    pub period: Period,
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub templates: Option<PathBuf>,
    pub skip_invalid: bool,
    pub progress: bool,
}

/// Where a config is looked for when `--config` is not given, in order.
pub const CONFIG_SEARCH: [&str; 2] = ["report.toml", "sample_data/report.toml"];

impl Plan {
    pub fn resolve(opts: &Options) -> Result<Plan> {
        let mut loaded = match &opts.config {
            Some(p) => LoadedConfig::load(p)?,
            None => match CONFIG_SEARCH.iter().map(Path::new).find(|p| p.is_file()) {
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
            cfg.min_cell = m;
        }
        let (start, end) = match (opts.year, opts.from, opts.to) {
            (Some(y), None, None) => config::year_bounds(y).map_err(|m| Error::Usage(format!("--year: {m}")))?,
            (None, Some(f), Some(t)) => (f, t),
            (None, None, None) => match &cfg.period {
                Some(p) => p
                    .resolve()
                    .map_err(|m| Error::Usage(format!("period in config: {m}")))?,
                None => {
                    return Err(Error::Usage(
                        "no reporting period: pass --year YYYY (or --from DATE --to DATE), or set [period] in report.toml".into(),
                    ))
                }
            },
            (Some(_), _, _) => return Err(Error::Usage("give either --year or --from/--to, not both".into())),
            _ => return Err(Error::Usage("--from and --to must be given together".into())),
        };
        // A period given on the command line names itself unless a label is forced.
        let label = if opts.label.is_some() {
            opts.label.clone()
        } else if opts.year.is_some() || opts.from.is_some() {
            None
        } else {
            cfg.label.clone()
        };
        let period = Period::new(label, start, end).map_err(Error::Usage)?;
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
        let out_dir = opts
            .out
            .clone()
            .unwrap_or_else(|| Path::new("output").join(&period.label));
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
    /// What the disclosure audit knows, to audit the published files again (`verify`);
    /// `None` when suppression is off.
    pub disclosure: Option<suppress::Model>,
}

/// Loads and validates; fails with every problem listed unless `--skip-invalid`.
pub fn load_valid(plan: &Plan) -> Result<Loaded> {
    let opts = load::LoadOptions {
        progress: plan.progress,
        ..load::LoadOptions::default()
    };
    let loaded = load::load_with(&plan.inputs, &plan.config.config, &opts)?;
    // A file-level problem (header, encoding) rejects no single row but makes the whole
    // export unusable: never skipped.
    let header_problem = loaded.errors.total > 0 && loaded.errors.rejected_rows == 0
        || loaded.errors.shown.iter().any(|e| e.line == 1);
    if loaded.errors.total > 0 && (!plan.skip_invalid || header_problem) {
        return Err(Error::InvalidData(loaded.errors));
    }
    Ok(loaded)
}

pub fn compute(plan: &Plan) -> Result<Built> {
    let cfg = &plan.config.config;
    let narrative = plan.narrative()?;
    let mut loaded = load_valid(plan)?;
    let rows_read = loaded.rows_read();
    let incident_column = loaded.table.incident_column;
    let aggregate::Aggregated {
        mut summary,
        support,
        mut incidents,
    } = aggregate::aggregate(
        std::mem::take(&mut loaded.table),
        cfg,
        &plan.period,
        rows_read,
        loaded.errors.rejected_rows,
    )?;
    let history_paths = history::paths(&plan.config.base_dir(), &cfg.history);
    let earlier = history::load(&history_paths, &summary.period.start)?;
    let previous = earlier
        .iter()
        .max_by(|a, b| a.period.start.cmp(&b.period.start));
    let suppress::Suppressed {
        report: suppression,
        model: disclosure,
    } = suppress::suppress(&mut summary, incidents.as_mut(), &support, cfg, previous)?;
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
    files.insert(
        suppress::DISCLOSURE_FILE.into(),
        suppress::disclosure_json(&suppression),
    );
    files.insert("data/datapackage.json".into(), package);

    let data_refs: Vec<render::DataFile> = files
        .iter()
        .map(|(p, b)| render::DataFile {
            path: p.clone(),
            sha256: sha256_hex(b),
            bytes: b.len() as u64,
        })
        .collect();
    let chart_refs: Vec<render::ChartRef> = charts
        .iter()
        .map(|c| render::ChartRef {
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
    let rendered = render::render(
        &render::ReportInput {
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
            label: plan.period.label.clone(),
            start: plan.period.start.format("%Y-%m-%d").to_string(),
            end: plan.period.end.format("%Y-%m-%d").to_string(),
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
    Ok(Built {
        files,
        summary,
        suppression,
        inputs: loaded.inputs,
        manifest,
        warnings,
        disclosure,
    })
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
        for (name, _) in render::embedded_templates() {
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
}

pub fn run(opts: &Options) -> Result<Outcome> {
    let plan = Plan::resolve(opts)?;
    let built = compute(&plan)?;
    crate::publish::publish(&plan.out_dir, &built.files)?;
    Ok(Outcome {
        out_dir: plan.out_dir,
        built,
    })
}
