//! `build`: load → validate → aggregate → suppress → chart + render → publish.
//!
//! `compute` does everything in memory and returns the report's files; `verify` calls it too,
//! so there is exactly one place where figures are made.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::compute::{aggregate, history, recorded, suppress};
use crate::config::{self, Period};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::load::{self, CaseTable, InputStats, Loaded};
use crate::model::{Summary, SuppressionReport};
use crate::present::{chart, data, dsa, report};
use crate::publish::manifest::{
    self, ConfigRef, InputRef, Manifest, OutputRef, Settings, SigningRef, TemplateRef, Tool,
};

/// The closing-session slide's files (`[slide]`).
pub const SLIDE_HTML: &str = "slide.html";
pub const SLIDE_SVG: &str = "slide.svg";

/// The result of a build, before anything is written.
#[derive(Debug, Clone)]
pub struct Built {
    /// Relative path → bytes, every file of the report including `manifest.json`.
    pub files: BTreeMap<String, Vec<u8>>,
    pub summary: Summary,
    pub suppression: SuppressionReport,
    /// Each export as read (its own hashes, also for a re-saved copy that `verify` shows
    /// under the published ones: `Plan::published_inputs`).
    pub inputs: Vec<InputStats>,
    pub manifest: Manifest,
    pub warnings: Vec<String>,
    /// Reports vs incidents, when the export has an `incident_id` column (as published).
    pub incidents: Option<crate::model::IncidentFigures>,
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

pub fn compute(plan: &Plan) -> Result<Built> {
    compute_with(plan, &mut Phases::new(plan.progress))
}

/// What every period of a build shares: the export as read once, and what it records.
pub struct Source {
    /// The export; its table is taken by a single-period build (`compute_with`), and kept
    /// whole by a site, which copies each period's rows out of it.
    pub loaded: Loaded,
    pub rows_read: u64,
    /// Valid rows of the whole export.
    pub counted: u64,
    pub incident_column: bool,
    pub not_recorded: Vec<String>,
    pub partly_recorded: Vec<String>,
}

impl Source {
    /// Reads and validates the export(s) of `plan`.
    pub fn read(plan: &Plan, phases: &mut Phases) -> Result<Source> {
        phases.start(&format!(
            "reading {} export{}",
            plan.inputs.len(),
            if plan.inputs.len() == 1 { "" } else { "s" }
        ));
        let loaded = load_valid(plan)?;
        Ok(Source {
            rows_read: loaded.rows_read(),
            counted: loaded.table.len() as u64,
            incident_column: loaded.table.incident_column,
            not_recorded: recorded::not_recorded(&loaded.table),
            partly_recorded: recorded::partly_recorded(&loaded.table),
            loaded,
        })
    }
}

/// An earlier period of the same site, as published (its `data/summary.json`).
#[derive(Debug, Clone)]
pub struct Published {
    /// Where the site publishes it, e.g. `2024/data/summary.json` (named in the manifest).
    pub path: String,
    /// Imported from its published figures (`[[site.import]]`), not built from the export.
    pub imported: bool,
    pub summary: Summary,
    pub sha256: String,
}

/// Which earlier periods a report is compared with.
#[derive(Debug, Clone)]
pub enum Earlier {
    /// The published `data/summary.json` files the config lists in `history`.
    Config,
    /// Earlier periods built in the same run (a site): no config `history` needed.
    Site(Vec<Published>),
}

/// [`compute`], showing each step on `phases`.
pub fn compute_with(plan: &Plan, phases: &mut Phases) -> Result<Built> {
    let period = plan.period()?.clone();
    let mut source = Source::read(plan, phases)?;
    let partial = partial_period_warning(&source.loaded.table, &period);
    let table = std::mem::take(&mut source.loaded.table);
    compute_period(
        plan,
        &source,
        table,
        &period,
        Earlier::Config,
        partial,
        &[],
        phases,
    )
}

/// The report of `period` from `table` (the export's rows, or only the period's), with the
/// rest of what was read in `source`. `partial` is the warning of an export that ends before
/// the period does (judged on the whole export). `withhold` are cells (table, key) to
/// withhold besides the small ones (a site's protection across overlapping periods).
#[allow(clippy::too_many_arguments)]
pub fn compute_period(
    plan: &Plan,
    source: &Source,
    table: CaseTable,
    period: &Period,
    earlier: Earlier,
    partial: Option<String>,
    withhold: &[(String, String)],
    phases: &mut Phases,
) -> Result<Built> {
    phases.start(&format!(
        "computing the figures of {} rows",
        source.rows_read
    ));
    let aggregated = aggregate_period(plan, source, Cow::Owned(table), period)?;
    finish_period(
        plan, source, aggregated, period, earlier, partial, withhold, phases,
    )
}

/// The unsuppressed figures of `period` from `table` (see `compute_period`).
pub fn aggregate_period(
    plan: &Plan,
    source: &Source,
    table: Cow<'_, CaseTable>,
    period: &Period,
) -> Result<aggregate::Aggregated> {
    aggregate::aggregate_counted(
        table,
        &plan.config.config,
        period,
        source.rows_read,
        source.loaded.errors.rejected_rows,
    )
}

/// The report of `period` from its unsuppressed figures: suppression, the disclosure audit,
/// charts, pages, data files and manifest (see `compute_period`).
#[allow(clippy::too_many_arguments)]
pub fn finish_period(
    plan: &Plan,
    source: &Source,
    aggregated: aggregate::Aggregated,
    period: &Period,
    earlier: Earlier,
    partial: Option<String>,
    withhold: &[(String, String)],
    phases: &mut Phases,
) -> Result<Built> {
    let cfg = &plan.config.config;
    let narrative = plan.narrative()?;
    // Read before any figure is computed, so a malformed file fails fast.
    let summaries_file = plan.summaries()?;
    let in_site = matches!(earlier, Earlier::Site(_));
    let loaded = &source.loaded;
    let incident_column = source.incident_column;
    let not_recorded = source.not_recorded.clone();
    let partly_recorded = source.partly_recorded.clone();
    let aggregate::Aggregated {
        mut summary,
        support,
        mut incidents,
    } = aggregated;
    phases.start("checking for small counts (suppression and the disclosure audit)");
    // A report that leaves its comparison out reads no earlier period at all.
    let shows_history = cfg.report.shows(config::Section::History);
    let mut imported: Vec<String> = Vec::new();
    let (earlier, history_refs) = match earlier {
        _ if !shows_history => (Vec::new(), Vec::new()),
        Earlier::Config => {
            let history_paths = history::paths(&plan.config.base_dir(), &cfg.history);
            let earlier = history::load(&history_paths, &summary.period.start)?;
            (earlier, history_refs(&history_paths)?)
        }
        Earlier::Site(list) => {
            let refs = list
                .iter()
                .map(|p| TemplateRef {
                    name: p.path.clone(),
                    sha256: p.sha256.clone(),
                })
                .collect();
            imported = list
                .iter()
                .filter(|p| p.imported)
                .map(|p| p.summary.period.label.clone())
                .collect();
            (list.into_iter().map(|p| p.summary).collect(), refs)
        }
    };
    let previous = earlier
        .iter()
        .max_by(|a, b| a.period.start.cmp(&b.period.start));
    let beside = suppress::Beside {
        previous,
        sums: dsa::sums(&summary, &cfg.taxonomy, cfg.dsa.as_ref()),
        not_recorded: &not_recorded,
        withhold,
    };
    let suppress::Suppressed {
        report: mut suppression,
        model: disclosure,
    } = suppress::suppress(&mut summary, incidents.as_mut(), &support, cfg, &beside)?;
    recorded::withhold(&mut summary, &mut suppression, not_recorded);
    recorded::not_applicable(&mut summary, &mut suppression, cfg);
    recorded::left_out(
        &mut summary,
        incidents.as_mut(),
        &mut suppression,
        &cfg.report,
    );

    let mut summary_warnings = Vec::new();
    let published_summaries = match &summaries_file {
        Some((name, entries, _)) => {
            let (published, notes) = publish_summaries(plan, name, entries, &summary, in_site)?;
            summary_warnings = notes;
            published
        }
        None => Vec::new(),
    };

    phases.start("rendering the charts and the report");
    let history = history::History::new(earlier, &summary).map(|mut h| {
        h.imported = imported;
        h
    });

    let mut charts = chart::render_all(&summary, incidents.as_ref(), cfg)?;
    if let Some(h) = &history {
        let periods: Vec<_> = h
            .periods
            .iter()
            .map(|p| {
                // A period whose summary does not record decisions (an imported period that
                // did not publish them) draws no bar rather than a withheld one.
                let resolved = p.recorded("resolved_at").then_some(p.cases.resolved);
                (p.period.label.clone(), Some(p.cases.total), resolved)
            })
            .collect();
        charts.push(chart::history(&periods, cfg.min_cell, &cfg.words)?);
    }
    // A compact report is tables and prose: a chart no page shows is not published.
    if cfg.report.style == config::Style::Compact {
        charts.clear();
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for c in &charts {
        files.insert(format!("charts/{}.svg", c.id), c.svg.clone().into_bytes());
    }
    let data = data::data_files(
        &summary,
        incidents.as_ref(),
        cfg,
        history.as_ref(),
        &published_summaries,
    )?;
    let package = data::datapackage(
        &summary,
        period.event.as_deref(),
        incidents.as_ref(),
        cfg,
        history.as_ref(),
        &published_summaries,
        &data,
    )?;
    for (p, b) in data {
        files.insert(p, b);
    }
    files.insert(
        suppress::DISCLOSURE_FILE.into(),
        suppress::disclosure_json(&suppression),
    );
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
    // What the report and the manifest say of each export: as read, or for `verify`, a copy
    // with the same records as a published export, under that export's byte hash.
    let shown_inputs: Vec<InputRef> = loaded
        .inputs
        .iter()
        .map(|i| plan.as_published(InputRef::from(i)))
        .collect();
    let input_hashes: Vec<(String, String)> = shown_inputs
        .iter()
        .map(|i| (i.name.clone(), i.sha256.clone()))
        .collect();
    let build_date = source_date()?;
    let report_input = report::ReportInput {
        summary: &summary,
        event: period.event.as_deref(),
        config: cfg,
        charts: &chart_refs,
        narrative_markdown: narrative.as_ref().map(|(t, _)| t.as_str()),
        summaries: &published_summaries,
        suppression: &suppression,
        data_files: &data_refs,
        tool_version: crate::version::VERSION,
        build_date: build_date.as_deref(),
        input_hashes: &input_hashes,
        rows_rejected: loaded.errors.rejected_rows,
        history: history.as_ref(),
        incidents: incidents.as_ref(),
    };
    let rendered = report::render(&report_input, plan.templates.as_deref())?;
    if let Some(slide) = &cfg.slide {
        let s = report::render_slide(&report_input, slide);
        files.insert(SLIDE_HTML.into(), s.html.into_bytes());
        files.insert(SLIDE_SVG.into(), s.svg.into_bytes());
    }
    files.insert("index.html".into(), rendered.html.into_bytes());
    files.insert("report.md".into(), rendered.markdown.into_bytes());

    let manifest = Manifest {
        tool: Tool::this(),
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
            ack_target_business_days: match cfg.ack_promise() {
                config::AckPromise::BusinessDays(n) => Some(n),
                _ => None,
            },
            ack_target_calendar_days: match cfg.ack_promise() {
                config::AckPromise::CalendarDays(n) => Some(n),
                _ => None,
            },
            appealable_levels: cfg.appealable_levels.clone(),
            appeal_any_decision: cfg.appeal_any_decision,
            appeal_window_days: cfg.appeal_window(),
            templates: template_refs(plan.templates.as_deref())?,
            narrative_sha256: narrative.as_ref().map(|(_, h)| h.clone()),
            summaries_sha256: summaries_file.as_ref().map(|(_, _, h)| h.clone()),
            count_categories_by: cfg.incidents.count_categories_by.key().to_string(),
            history: history_refs,
        },
        inputs: shown_inputs,
        outputs: files.iter().map(|(p, b)| OutputRef::of(p, b)).collect(),
        signing: cfg.signing.as_ref().map(|s| SigningRef {
            identity: s.identity.clone(),
            namespace: manifest::SIGNATURE_NAMESPACE.into(),
            signature: manifest::SIGNATURE_FILE.into(),
            key_published_at: s.key_published_at.clone(),
        }),
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
    warnings.extend(partly_recorded);
    warnings.extend(crate::config::dsa::coverage_warning(
        cfg.dsa.as_ref(),
        &cfg.taxonomy,
    ));
    warnings.extend(example_warnings(plan, &loaded.inputs));
    warnings.extend(summary_warnings);
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
        inputs: loaded.inputs.clone(),
        manifest,
        warnings,
        incidents,
        disclosure,
    })
}

/// The summaries the report publishes, and what the build tells the committee about them
/// (`crate::summaries`). A summary naming a period (`period` column) is published only in
/// the report of that period; one naming none only by a one-period build (what a site says
/// of those, and of periods it does not build, is [`site_summary_warnings`]). Nothing is
/// published with the section left out or for a period without cases.
fn publish_summaries(
    plan: &Plan,
    name: &str,
    all: &[crate::summaries::Entry],
    summary: &Summary,
    in_site: bool,
) -> Result<(Vec<crate::summaries::Published>, Vec<String>)> {
    let cfg = &plan.config.config;
    let (start, end) = (&summary.period.start, &summary.period.end);
    let entries: Vec<crate::summaries::Entry> = all
        .iter()
        .filter(|e| match e.period {
            Some(_) => e.is_of(start, end),
            None => !in_site,
        })
        .cloned()
        .collect();
    let n = entries.len();
    if entries.is_empty() {
        if in_site || all.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        return Ok((
            Vec::new(),
            vec![format!(
                "{name}: none of its {} summaries is published: each names another period in its `period` column than this report's ({start} to {end})",
                all.len()
            )],
        ));
    }
    let not = |why: &str| {
        Ok((
            Vec::new(),
            vec![format!(
                "{name}: none of its {n} summaries is published: {why}"
            )],
        ))
    };
    let entries = &entries[..];
    if !cfg.report.shows(config::Section::Summaries) {
        return not("`[report] sections` leaves out \"summaries\"");
    }
    if summary.cases.total == Some(0) {
        return not("the period has no cases");
    }
    let tokens: std::collections::BTreeSet<String> = entries
        .iter()
        .flat_map(|e| crate::summaries::tokens(&e.text))
        .collect();
    let ids = crate::summaries::ids_in_exports(&plan.inputs, cfg, &tokens)?;
    let decided = crate::summaries::decide(name, entries, cfg, summary, &ids);
    let mut notes = decided.warnings;
    let held = decided.unconfirmed + decided.withheld;
    if held > 0 {
        notes.push(format!(
            "{name}: {} of {n} summaries published ({} not confirmed, {} naming a withheld count)",
            decided.published.len(),
            decided.unconfirmed,
            decided.withheld
        ));
    }
    Ok((decided.published, notes))
}

/// What a site (`--periods`) tells the committee about the summaries file as a whole: the
/// summaries naming no period (a site publishes none of them) and those naming a period the
/// site does not build, of the site's `periods`.
pub fn site_summary_warnings(
    name: &str,
    entries: &[crate::summaries::Entry],
    periods: &[&Period],
) -> Vec<String> {
    let mut out = Vec::new();
    let n = entries.len();
    let without = entries.iter().filter(|e| e.period.is_none()).count();
    let why = "a site (--periods) publishes no summaries without a period; add a `period` column naming the period each describes (2025, 2025H1, 2025Q3, FY2025)";
    if without == n && n > 0 {
        out.push(format!(
            "{name}: none of its {n} summaries is published: {why}"
        ));
    } else if without > 0 {
        let verb = if without == 1 { "is" } else { "are" };
        out.push(format!(
            "{name}: {without} of its {n} summaries {verb} not published: {why}"
        ));
    }
    for e in entries {
        if let Some(p) = &e.period {
            if !periods.iter().any(|s| s.start == p.start && s.end == p.end) {
                let built: Vec<&str> = periods.iter().map(|s| s.label.as_str()).collect();
                out.push(format!(
                    "{name}:{}: not published: its period {} is not one of this site's ({})",
                    e.line,
                    p.label,
                    built.join(", ")
                ));
            }
        }
    }
    out
}

/// The config's `history` files as the manifest names them: file name and hash.
fn history_refs(paths: &[PathBuf]) -> Result<Vec<TemplateRef>> {
    paths
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
    /// What the community calls the items counted, singular and plural ("case", "notices").
    pub case_words: (String, String),
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
    let w = &plan.config.config.words;
    let case_words = (w.case.clone(), w.cases());
    Ok(Outcome {
        case_words,
        settings: plan.settings_name(),
        out_dir: plan.out_dir,
        built,
    })
}

mod phases;
mod plan;
pub mod site;
mod warnings;

pub use phases::Phases;
pub use plan::{csv_files_in, Options, Plan, CONFIG_SEARCH, NO_EXPORT};
use warnings::partial_period_warning;
pub use warnings::{example_warnings, PARTIAL_PERIOD_DAYS};

#[cfg(test)]
mod tests;
