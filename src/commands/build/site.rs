//! `build --periods`: one read of the export, a report per period, and the site around them
//! (`index.html`, `data/figures.csv`, `data/datapackage.json`, `manifest.json`).
//!
//! Each period is the normal report of that period, computed from the rows of the same
//! loaded table; its comparison with earlier periods uses the earlier periods of the same
//! kind in this run, as published (after suppression), so no config `history` is needed.
//! The whole site is written in one swap: a period that fails replaces nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{
    finish_period, partial_period_warning, Built, Earlier, Phases, Plan, Published, Source,
};
use crate::compute::imports::{self, Imported, ImportedFile};
use crate::compute::suppress::{self, SiteProtection};
use crate::config::periods::SpecPeriod;
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::model::Summary;
use crate::present::site::{self, SitePeriod};
use crate::publish::manifest::{self, ImportedRef, OutputRef, SiteManifest, SitePeriodRef};

/// A site, before anything is written.
pub struct Site {
    /// Relative path → bytes: `<label>/…` for each report, and the site's own files.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Each period and its report, in site order.
    pub periods: Vec<(SpecPeriod, Built)>,
    /// Earlier periods imported from their published figures, oldest first.
    pub imported: Vec<Imported>,
    pub manifest: SiteManifest,
    pub warnings: Vec<String>,
}

/// What `build --periods` did, for the lines on stderr.
pub struct SiteOutcome {
    pub out_dir: PathBuf,
    pub site: Site,
    pub settings: String,
}

/// Builds the site of `plan` (resolved with `Plan::resolve_site`) in memory.
pub fn compute_site(plan: &Plan, spec: &str, phases: &mut Phases) -> Result<Site> {
    let cfg = &plan.config.config;
    let specs = plan.site_periods(spec)?;
    let (imported, imported_files) = imports::load(cfg, &plan.config.base_dir(), plan.fiscal()?)?;
    check_imports(&imported, &imported_files, &specs)?;
    let imported_earlier: Vec<(&SpecPeriod, Published)> = imported
        .iter()
        .map(|i| {
            let sha256 = imported_files
                .iter()
                .find(|f| f.path == i.file)
                .map(|f| sha256_hex(&f.bytes))
                .unwrap_or_default();
            let published = Published {
                path: i.file.clone(),
                imported: true,
                summary: i.summary.clone(),
                sha256,
            };
            (&i.period, published)
        })
        .collect();
    let source = Source::read(plan, phases)?;
    let mut warnings = Vec::new();
    if !cfg.history.is_empty() {
        warnings.push(
            "report.toml lists `history`, which a site does not use: each period is compared with the earlier periods of the same run".into(),
        );
    }
    // Protection across periods: build, audit the whole site as one linear program (each
    // period's counts and relations, and the relations between periods), withhold further
    // cells where a withheld one can be worked out, and build again.
    let mut force: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut rounds = 0;
    phases.start(&format!("computing the figures of {} periods", specs.len()));
    let aggregated = aggregate_periods(plan, &source, &specs)?;
    let periods = loop {
        let periods = build_periods(
            plan,
            &source,
            &specs,
            &imported_earlier,
            &aggregated,
            &force,
            phases,
        )?;
        phases.start("auditing the withheld cells across the periods");
        let site: Vec<suppress::SitePeriod> = periods
            .iter()
            .filter_map(|(sp, b)| {
                b.disclosure.as_ref().map(|m| {
                    suppress::SitePeriod::new(
                        &sp.period.label,
                        (sp.period.start, sp.period.end),
                        m,
                        &b.summary,
                        b.incidents.as_ref(),
                    )
                })
            })
            .collect();
        // Suppression off (`min_cell` 0 or 1): nothing is withheld, nothing to audit.
        if site.len() < periods.len() {
            drop(site);
            break periods;
        }
        let more = match suppress::protect_site(&site)? {
            SiteProtection::Safe(_) => None,
            SiteProtection::Withhold(more) => Some(more),
        };
        drop(site);
        let Some(more) = more else {
            break periods;
        };
        let mut added = false;
        for (label, t, k) in &more {
            let cells = force.entry(label.clone()).or_default();
            if !cells.iter().any(|(a, b)| a == t && b == k) {
                cells.push((t.clone(), k.clone()));
                added = true;
            }
        }
        rounds += 1;
        if !added || rounds > MAX_ROUNDS {
            let cells: Vec<String> = more
                .iter()
                .map(|(label, t, k)| format!("{label}: {}", suppress::cell_path(t, k)))
                .collect();
            return Err(Error::Protection(
                format!(
                    "small-cell protection across the periods of this site did not settle: after {rounds} rounds the site audit still asks to withhold {}. Leave out the shorter periods, or set a lower min_cell",
                    cells.join(", ")
                )
                .into(),
            ));
        }
    };
    if let Some((name, entries, _)) = plan.summaries()? {
        let built: Vec<&crate::config::Period> = specs.iter().map(|s| &s.period).collect();
        warnings.extend(super::site_summary_warnings(&name, &entries, &built));
    }
    // The same warning of every period (rows left out, a column missing) is said once.
    for (sp, b) in &periods {
        for w in &b.warnings {
            let same_everywhere = periods.iter().all(|(_, o)| o.warnings.contains(w));
            let line = if same_everywhere {
                w.clone()
            } else {
                format!("{}: {w}", sp.period.label)
            };
            if !warnings.contains(&line) {
                warnings.push(line);
            }
        }
    }

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (sp, b) in &periods {
        for (p, bytes) in &b.files {
            files.insert(format!("{}/{p}", sp.period.label), bytes.clone());
        }
    }
    for f in &imported_files {
        files.insert(f.path.clone(), f.bytes.clone());
    }
    let none = crate::model::SuppressionReport::default();
    let mut views: Vec<(&SpecPeriod, SitePeriod)> = periods
        .iter()
        .map(|(sp, b)| {
            (
                sp,
                SitePeriod {
                    kind: sp.kind.key(),
                    summary: &b.summary,
                    suppression: &b.suppression,
                    incidents: b.incidents.as_ref(),
                    imported: None,
                },
            )
        })
        .collect();
    views.extend(imported.iter().map(|i| {
        (
            &i.period,
            SitePeriod {
                kind: i.period.kind.key(),
                summary: &i.summary,
                suppression: &none,
                incidents: None,
                imported: Some(i),
            },
        )
    }));
    // Site order: by start, a longer period before a shorter one starting the same day.
    views.sort_by(|(a, _), (b, _)| {
        a.period
            .start
            .cmp(&b.period.start)
            .then(b.period.end.cmp(&a.period.end))
    });
    let views: Vec<SitePeriod> = views.into_iter().map(|(_, v)| v).collect();
    let first = periods
        .first()
        .map(|(_, b)| &b.manifest)
        .ok_or_else(|| Error::Usage("--periods names no period".into()))?;
    let build_date = first.build_date.clone();
    let index = site::index_html(&views, cfg, style(plan)?, build_date.as_deref())?;
    let figures = site::figures_csv(&views)?;
    let package = site::datapackage(&views, cfg, &figures)?;
    let own: BTreeMap<String, Vec<u8>> = BTreeMap::from([
        ("index.html".to_string(), index),
        (site::FIGURES_FILE.to_string(), figures),
        ("data/datapackage.json".to_string(), package),
    ]);
    let manifest = SiteManifest {
        tool: first.tool.clone(),
        schema_version: first.schema_version,
        build_date,
        config: first.config.clone(),
        spec: spec.trim().to_string(),
        inputs: first.inputs.clone(),
        periods: periods
            .iter()
            .map(|(sp, b)| SitePeriodRef {
                label: sp.period.label.clone(),
                kind: sp.kind.key().into(),
                start: sp.period.start.format("%Y-%m-%d").to_string(),
                end: sp.period.end.format("%Y-%m-%d").to_string(),
                manifest_sha256: b
                    .files
                    .get(manifest::FILE)
                    .map(|m| sha256_hex(m))
                    .unwrap_or_default(),
            })
            .collect(),
        outputs: own.iter().map(|(p, b)| OutputRef::of(p, b)).collect(),
        imported: imported_files
            .iter()
            .map(|f| ImportedRef {
                path: f.path.clone(),
                sha256: sha256_hex(&f.bytes),
                periods: f.labels.clone(),
            })
            .collect(),
    };
    files.extend(own);
    files.insert(manifest::FILE.into(), manifest.to_bytes());
    Ok(Site {
        files,
        periods,
        imported,
        manifest,
        warnings,
    })
}

/// An imported period may not stand in for a period the site builds, nor overlap one: the
/// series would hold two figures for the same cases.
fn check_imports(
    imported: &[Imported],
    files: &[ImportedFile],
    specs: &[SpecPeriod],
) -> Result<()> {
    for i in imported {
        let from = files
            .iter()
            .find(|f| f.path == i.file)
            .map(|f| f.from.clone())
            .unwrap_or_default();
        let bad = |message: String| {
            Err(Error::Config(crate::error::ConfigError::Import {
                path: from.clone(),
                line: None,
                message,
            }))
        };
        let label = &i.period.period.label;
        if specs.iter().any(|s| &s.period.label == label) {
            return bad(format!(
                "period {label} is imported and also built from the export (--periods): leave it out of one of them"
            ));
        }
        if let Some(s) = specs.iter().find(|s| imports::overlap(s, &i.period)) {
            return bad(format!(
                "the imported period {label} ({} to {}) overlaps period {} ({} to {}), built from the export: an imported period must lie outside the periods built",
                i.period.period.start,
                i.period.period.end,
                s.period.label,
                s.period.start,
                s.period.end
            ));
        }
    }
    Ok(())
}

/// How many times a site is built again to withhold cells across overlapping periods.
const MAX_ROUNDS: usize = 8;

/// Every period's figures before suppression, in `specs` order: each from its own rows of
/// the table read once (shared, not copied), on as many threads as the machine has cores (`RAYON_NUM_THREADS`
/// caps them, as it caps polars' own). The periods are independent until suppression, which
/// reads the earlier periods as published; each result lands in its period's slot, so the
/// order of the threads changes nothing.
fn aggregate_periods(
    plan: &Plan,
    source: &Source,
    specs: &[SpecPeriod],
) -> Result<Vec<crate::compute::aggregate::Aggregated>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let cap = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cap.unwrap_or(cores).min(cores).min(specs.len()).max(1);
    let one = |sp: &SpecPeriod| {
        let table = std::borrow::Cow::Borrowed(&source.loaded.table);
        super::aggregate_period(plan, source, table, &sp.period)
            .map_err(|e| in_period(&sp.period.label, e))
    };
    if threads == 1 {
        return specs.iter().map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<_>>>> = specs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(sp) = specs.get(i) else {
                    break;
                };
                let result = one(sp);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(specs)
        .map(|(slot, sp)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(Error::Present(
                    format!("period {}: its figures were not computed", sp.period.label).into(),
                ))
            })
        })
        .collect()
}

/// Every period of `specs`, in order, each compared with the earlier periods of its kind
/// (built, or `imported` as published), from its figures `aggregated`; `force` names, by period, cells to withhold besides the
/// small ones.
fn build_periods(
    plan: &Plan,
    source: &Source,
    specs: &[SpecPeriod],
    imported: &[(&SpecPeriod, Published)],
    aggregated: &[crate::compute::aggregate::Aggregated],
    force: &BTreeMap<String, Vec<(String, String)>>,
    phases: &mut Phases,
) -> Result<Vec<(SpecPeriod, Built)>> {
    let mut periods: Vec<(SpecPeriod, Built)> = Vec::new();
    for (i, (sp, figures)) in specs.iter().zip(aggregated).enumerate() {
        phases.start(&format!(
            "period {} ({} of {})",
            sp.period.label,
            i + 1,
            specs.len()
        ));
        let mut earlier = periods
            .iter()
            .filter(|(k, _)| k.kind == sp.kind && k.period.end < sp.period.start)
            .map(|(k, b)| published(&k.period.label, b))
            .collect::<Result<Vec<_>>>()?;
        // Imported periods of the same kind stand beside them, as they were published.
        earlier.extend(
            imported
                .iter()
                .filter(|(p, _)| p.kind == sp.kind && p.period.end < sp.period.start)
                .map(|(_, published)| published.clone()),
        );
        let partial = partial_period_warning(&source.loaded.table, &sp.period);
        let withhold = force
            .get(&sp.period.label)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let built = finish_period(
            plan,
            source,
            figures.clone(),
            &sp.period,
            Earlier::Site(earlier),
            partial,
            withhold,
            phases,
        )
        .map_err(|e| in_period(&sp.period.label, e))?;
        periods.push((sp.clone(), built));
    }
    Ok(periods)
}

/// An error of one period, named by it (a usage or I/O error is the same in every period).
fn in_period(label: &str, e: Error) -> Error {
    match e {
        Error::Protection(p) => Error::Protection(format!("period {label}: {p}").into()),
        other => other,
    }
}

/// A built period as the site publishes it, for the later periods' comparison: the summary
/// is read back from the published bytes, so it is exactly what a reader sees.
fn published(label: &str, b: &Built) -> Result<Published> {
    let bytes = b
        .files
        .get("data/summary.json")
        .ok_or_else(|| Error::Usage(format!("period {label} has no data/summary.json")))?;
    let summary: Summary = serde_json::from_slice(bytes).map_err(|e| {
        Error::Present(format!("period {label}: cannot read back data/summary.json: {e}").into())
    })?;
    Ok(Published {
        path: format!("{label}/data/summary.json"),
        imported: false,
        summary,
        sha256: sha256_hex(bytes),
    })
}

/// The report's stylesheet: the committee's `style.css` from the templates folder, else the
/// embedded one, so the index looks like the reports it lists.
fn style(plan: &Plan) -> Result<String> {
    if let Some(dir) = &plan.templates {
        let p = dir.join("style.css");
        if p.is_file() {
            return std::fs::read_to_string(&p)
                .map_err(|e| Error::io(format!("cannot read {}", p.display()), e));
        }
    }
    Ok(crate::present::report::embedded_templates()
        .iter()
        .find(|(n, _)| *n == "style.css")
        .map(|(_, s)| s.to_string())
        .unwrap_or_default())
}

/// `build --periods SPEC`: builds the site and writes it.
pub fn run_site(opts: &super::Options, spec: &str, phases: &mut Phases) -> Result<SiteOutcome> {
    let plan = Plan::resolve_site(opts)?;
    let site = compute_site(&plan, spec, phases)?;
    phases.start(&format!(
        "saving {} files to {}",
        site.files.len(),
        plan.out_dir.display()
    ));
    crate::publish::publish_site(&plan.out_dir, &site.files)?;
    phases.finish();
    Ok(SiteOutcome {
        settings: plan.settings_name(),
        out_dir: plan.out_dir,
        site,
    })
}
