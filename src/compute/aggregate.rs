//! Every SPEC §5 figure, computed with polars' lazy API over the validated case table.
//!
//! Determinism: every group-by result is read back by key into taxonomy order, sums are over
//! integers, and means are taken from integer sums, so thread count cannot change a digit.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use polars::prelude::*;

use crate::config::calendar::{Calendar, CE_DAY_OF_1970};
use crate::config::{Config, Period};
use crate::error::Result;
use crate::load::{
    CaseChunk, CaseTable, HAS_SUSPENSION_DAYS, INTERIM, NONE16, NONE8, NO_DAY, NO_INCIDENT, NO_SECS,
};
use crate::model::{
    self, round4, Acknowledgement, Appeals, CaseTotals, Counts, IncidentFigures, LevelResolution,
    Month, PeriodInfo, Resolution, Rows, Summary, Suspensions, APPEAL_OUTCOMES, REPORTER_TYPES,
    RESOLUTION_BINS, UNASSIGNED,
};

const DAY: f64 = 86_400.0;
const HOUR: f64 = 3_600.0;

/// How many values stand behind each median, for the suppression pass: a median of one or two
/// cases would publish those cases' own durations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Support {
    pub acknowledged: u64,
    pub appeals_decided: u64,
    pub suspension_days: u64,
}

fn month_index(day: i32) -> i32 {
    NaiveDate::from_num_days_from_ce_opt(day)
        .map(|d| d.year() * 12 + d.month0() as i32)
        .unwrap_or(0)
}

fn month_label(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// What `aggregate` computes, before suppression.
#[derive(Debug, Clone)]
pub struct Aggregated {
    pub summary: Summary,
    pub support: Support,
    /// Reports vs incidents, when the export has an `incident_id` column.
    pub incidents: Option<IncidentFigures>,
}

/// Computes the unsuppressed figures for `period` from all valid rows.
pub fn aggregate(
    table: CaseTable,
    config: &Config,
    period: &Period,
    rows_read: u64,
    rows_rejected: u64,
) -> Result<Aggregated> {
    let start = period.start.num_days_from_ce();
    let end = period.end.num_days_from_ce();
    let cal = Calendar::from_config(config).map_err(crate::error::Error::Usage)?;
    let tax = &config.taxonomy;

    let counted = table.len() as u64;
    // The frames hold only the period's cases, built chunk by chunk while the table is freed,
    // so a 10-million-row export is never held twice.
    let Frames {
        cases,
        cats,
        case_groups,
        incidents,
    } = frames(table, config, &cal, start, end)?;
    let per = cases.lazy();

    // Suspensions are the actions the taxonomy names as such (ALA keys by default).
    let is_action_in = |keys: Vec<&str>| -> Expr {
        keys.iter().fold(lit(false), |e, k| {
            e.or(col("action").eq(lit(code_of(tax.actions.iter().map(|a| a.key.as_str()), k))))
        })
    };
    let temp = is_action_in(tax.temporary_suspension_actions());
    let full = is_action_in(tax.full_suspension_actions());
    let window = config.appeal_window_days;
    // Summing booleans counts the trues without materialising a u64 column per figure.
    let u64s = |e: Expr| e.sum().cast(DataType::UInt64);
    let res = || col("res_secs");
    let mut exprs = vec![
        len().cast(DataType::UInt64).alias("total"),
        u64s(col("res_day").is_null().or(col("res_day").gt(lit(end)))).alias("open"),
        u64s(temp).alias("temporary"),
        u64s(full).alias("full"),
        u64s(col("interim")).alias("interim"),
        col("sdays")
            .cast(DataType::Float64)
            .median()
            .alias("sdays_median"),
        col("sdays").count().cast(DataType::UInt64).alias("sdays_n"),
        res().count().cast(DataType::UInt64).alias("res_n"),
        res().sum().alias("res_sum"),
        res().cast(DataType::Float64).median().alias("res_median"),
        res()
            .cast(DataType::Float64)
            .quantile(lit(0.9), QuantileMethod::Linear)
            .alias("res_p90"),
        u64s(col("ack_day").lt_eq(col("ack_due"))).alias("ack_met"),
        col("ack_secs")
            .cast(DataType::Float64)
            .median()
            .alias("ack_median"),
        col("ack_secs")
            .count()
            .cast(DataType::UInt64)
            .alias("ack_n"),
        col("filed_day")
            .count()
            .cast(DataType::UInt64)
            .alias("filed"),
        u64s(col("filed_day").is_not_null().and(col("appealable"))).alias("eligible"),
        u64s((col("filed_day") - col("comm_day")).lt_eq(lit(window))).alias("timely"),
        u64s((col("filed_day") - col("comm_day")).gt(lit(window))).alias("late"),
        u64s(
            col("filed_day")
                .is_not_null()
                .and(col("comm_day").is_null()),
        )
        .alias("window_unknown"),
        col("appeal_secs")
            .cast(DataType::Float64)
            .median()
            .alias("appeal_median"),
        col("appeal_secs")
            .count()
            .cast(DataType::UInt64)
            .alias("appeal_n"),
    ];
    for (i, (_, lo, hi)) in RESOLUTION_BINS.iter().enumerate() {
        let lo = (lo * DAY) as i64;
        let cond = if hi.is_finite() {
            res().gt_eq(lit(lo)).and(res().lt(lit((hi * DAY) as i64)))
        } else {
            res().gt_eq(lit(lo))
        };
        exprs.push(u64s(cond).alias(format!("bin{i}")));
    }
    // A few figures at a time: evaluated all at once, their sort buffers and temporary
    // columns would sit in memory together (gigabytes at ten million cases).
    let mut parts: Vec<DataFrame> = Vec::new();
    for group in exprs.chunks(4) {
        parts.push(per.clone().select(group).collect()?);
    }
    let column = |name: &str| -> Result<&Column> {
        parts
            .iter()
            .find_map(|d| d.column(name).ok())
            .ok_or_else(|| crate::error::Error::Aggregate(format!("no figure `{name}`")))
    };
    let g_u64 = |name: &str| -> Result<u64> { Ok(column(name)?.u64()?.get(0).unwrap_or(0)) };
    let g_f64 = |name: &str| -> Result<Option<f64>> { Ok(column(name)?.f64()?.get(0)) };

    let total = g_u64("total")?;
    let open = g_u64("open")?;
    let res_n = g_u64("res_n")?;
    let res_sum = column("res_sum")?.i64()?.get(0).unwrap_or(0);
    let filed = g_u64("filed")?;
    let outside = counted - total;

    let by_platform = keyed(
        &group_counts(per.clone(), "platform")?,
        tax.platforms.iter().map(|p| p.key.as_str()),
        false,
    );
    let by_level = keyed(&group_counts(per.clone(), "level")?, tax.level_keys(), true);
    let by_action = keyed(
        &group_counts(per.clone(), "action")?,
        tax.actions.iter().map(|p| p.key.as_str()),
        true,
    );
    let by_reporter = keyed(
        &group_counts(per.clone(), "reporter")?,
        REPORTER_TYPES.iter().copied(),
        true,
    );
    let appeals_lf = per.clone().filter(col("filed_day").is_not_null());
    let by_outcome = keyed(
        &group_counts(appeals_lf, "outcome")?,
        APPEAL_OUTCOMES.iter().copied(),
        false,
    );

    // Categories: one row per (case, category); groups: one row per (case, group).
    let cats = cats.lazy();
    let by_category = keyed(
        &group_counts(cats.clone(), "cat")?,
        tax.categories.iter().map(|c| c.key.as_str()),
        false,
    );
    let by_group = keyed(
        &group_counts(case_groups.clone().lazy(), "grp")?,
        tax.category_groups.iter().map(|g| g.key.as_str()),
        false,
    );

    // Resolution by level.
    let lv = per
        .clone()
        .filter(res().is_not_null())
        .group_by([col("level")])
        .agg([
            len().cast(DataType::UInt64).alias("n"),
            res().cast(DataType::Float64).median().alias("med"),
            res()
                .cast(DataType::Float64)
                .quantile(lit(0.9), QuantileMethod::Linear)
                .alias("p90"),
        ])
        .select([
            col("level").cast(DataType::Int64),
            col("n"),
            col("med"),
            col("p90"),
        ])
        .sort(["level"], SortMultipleOptions::default())
        .collect()?;
    let mut by_level_res: IndexMap<String, LevelResolution> = IndexMap::new();
    for k in tax.level_keys() {
        by_level_res.insert(
            k.to_string(),
            LevelResolution {
                count: Some(0),
                median: None,
                p90: None,
            },
        );
    }
    {
        let key = lv.column("level")?.i64()?;
        let n = lv.column("n")?.u64()?;
        let med = lv.column("med")?.f64()?;
        let p90 = lv.column("p90")?.f64()?;
        for i in 0..lv.height() {
            // Resolved cases without a level are in the overall figures only.
            let Some(code) = key.get(i) else { continue };
            let Some(k) = tax.levels.get(code as usize) else {
                continue;
            };
            by_level_res.insert(
                k.key.clone(),
                LevelResolution {
                    count: Some(n.get(i).unwrap_or(0)),
                    median: med.get(i).map(|x| round4(x / DAY)),
                    p90: p90.get(i).map(|x| round4(x / DAY)),
                },
            );
        }
    }

    // Monthly.
    let reported_m = group_counts(per.clone(), "rmonth")?;
    let resolved_m = group_counts(
        per.filter(
            col("res_day")
                .is_not_null()
                .and(col("res_day").lt_eq(lit(end))),
        ),
        "res_month",
    )?;
    let lookup = |v: &[(Option<i64>, u64)], m: i32| -> u64 {
        v.iter()
            .find(|(k, _)| *k == Some(m as i64))
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let monthly: Vec<Month> = (month_index(start)..=month_index(end))
        .map(|m| Month {
            month: month_label(m),
            reported: Some(lookup(&reported_m, m)),
            resolved: Some(lookup(&resolved_m, m)),
        })
        .collect();

    let mut histogram = Counts::new();
    for (i, (key, _, _)) in RESOLUTION_BINS.iter().enumerate() {
        histogram.insert(key.to_string(), Some(g_u64(&format!("bin{i}"))?));
    }

    let count = |k: &str| by_outcome.get(k).copied().flatten().unwrap_or(0);
    let decided = count("upheld") + count("overturned") + count("modified");
    let reversal_rate = ratio(count("overturned") + count("modified"), decided);
    let eligible = g_u64("eligible")?;
    let met = g_u64("ack_met")?;

    let summary = Summary {
        schema_version: model::SCHEMA_VERSION,
        period: PeriodInfo {
            label: period.label.clone(),
            start: period.start.format("%Y-%m-%d").to_string(),
            end: period.end.format("%Y-%m-%d").to_string(),
            timezone: config.timezone.clone(),
        },
        rows: Rows {
            read: rows_read,
            counted,
            rejected: rows_rejected,
            outside_period: outside,
        },
        cases: CaseTotals {
            total: Some(total),
            resolved: Some(total - open),
            open_at_period_end: Some(open),
        },
        by_platform,
        by_moderation_level: by_level,
        by_category,
        by_category_group: by_group,
        by_action,
        by_reporter_type: by_reporter,
        suspensions: Suspensions {
            temporary: Some(g_u64("temporary")?),
            full: Some(g_u64("full")?),
            interim: Some(g_u64("interim")?),
            median_days: g_f64("sdays_median")?.map(round4),
        },
        resolution_days: Resolution {
            count: Some(res_n),
            median: g_f64("res_median")?.map(|x| round4(x / DAY)),
            p90: g_f64("res_p90")?.map(|x| round4(x / DAY)),
            mean: (res_n > 0).then(|| round4(res_sum as f64 / res_n as f64 / DAY)),
            by_moderation_level: by_level_res,
            histogram,
        },
        acknowledgement: Acknowledgement {
            met: Some(met),
            rate: ratio(met, total),
            median_hours: g_f64("ack_median")?.map(|x| round4(x / HOUR)),
        },
        appeals: Appeals {
            filed: Some(filed),
            by_outcome,
            eligible: Some(eligible),
            not_eligible: Some(filed - eligible),
            timely: Some(g_u64("timely")?),
            late: Some(g_u64("late")?),
            window_unknown: Some(g_u64("window_unknown")?),
            reversal_rate,
            median_days_to_decision: g_f64("appeal_median")?.map(|x| round4(x / DAY)),
        },
        monthly,
        // Set from the export's headers once suppression has run (`compute::recorded`).
        not_recorded: Vec::new(),
    };
    let support = Support {
        acknowledged: g_u64("ack_n")?,
        appeals_decided: g_u64("appeal_n")?,
        suspension_days: g_u64("sdays_n")?,
    };
    let incidents = match incidents {
        None => None,
        Some(n) => {
            let distinct = || col("inc").n_unique().cast(DataType::UInt64);
            Some(IncidentFigures {
                schema_version: model::INCIDENTS_SCHEMA_VERSION,
                period: summary.period.clone(),
                categories_counted_by: config.incidents.count_categories_by.key().to_string(),
                reports: total,
                incidents: n,
                by_category: keyed(
                    &group_agg(cats, "cat", distinct())?,
                    tax.categories.iter().map(|c| c.key.as_str()),
                    false,
                ),
                by_category_group: keyed(
                    &group_agg(case_groups.lazy(), "grp", distinct())?,
                    tax.category_groups.iter().map(|g| g.key.as_str()),
                    false,
                ),
            })
        }
    };
    Ok(Aggregated {
        summary,
        support,
        incidents,
    })
}

/// A rate with a zero denominator is n/a (`None`), never NaN.
fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| round4(num as f64 / den as f64))
}

fn code_of<'a>(mut keys: impl Iterator<Item = &'a str>, key: &str) -> i64 {
    keys.position(|k| k == key).map(|i| i as i64).unwrap_or(-1)
}

/// `(code, count)` per group, `None` = empty cell; sorted by code.
fn group_counts(lf: LazyFrame, key: &str) -> Result<Vec<(Option<i64>, u64)>> {
    group_agg(lf, key, len().cast(DataType::UInt64))
}

/// `(code, value of the u64 expression `agg`)` per group, sorted by code.
fn group_agg(lf: LazyFrame, key: &str, agg: Expr) -> Result<Vec<(Option<i64>, u64)>> {
    let df = lf
        .group_by([col(key)])
        .agg([agg.alias("n")])
        .select([col(key).cast(DataType::Int64), col("n")])
        .sort([key], SortMultipleOptions::default())
        .collect()?;
    let k = df.column(key)?.i64()?;
    let n = df.column("n")?.u64()?;
    Ok((0..df.height())
        .map(|i| (k.get(i), n.get(i).unwrap_or(0)))
        .collect())
}

/// Every taxonomy key in order, with 0 where nothing was counted (SPEC §5), plus
/// `unassigned` for empty cells when the column is optional.
fn keyed<'a>(
    groups: &[(Option<i64>, u64)],
    keys: impl Iterator<Item = &'a str>,
    unassigned: bool,
) -> Counts {
    let mut out: Counts = keys.map(|k| (k.to_string(), Some(0))).collect();
    let mut none = 0;
    for (code, n) in groups {
        match code {
            Some(c) => {
                if let Some((_, v)) = out.get_index_mut(*c as usize) {
                    *v = Some(*n);
                }
            }
            None => none += n,
        }
    }
    if unassigned {
        out.insert(UNASSIGNED.to_string(), Some(none));
    }
    out
}

/// Per-day values shared by many cases, worked out once per day.
struct DayCache<'a> {
    cal: &'a Calendar,
    target: u32,
    due: HashMap<i32, i32>,
    month: HashMap<i32, i32>,
}

impl DayCache<'_> {
    fn due(&mut self, d: i32) -> i32 {
        let (cal, n) = (self.cal, self.target);
        *self.due.entry(d).or_insert_with(|| {
            // The table counts days from CE, the calendar from 1970.
            let day = i64::from(d - CE_DAY_OF_1970);
            let due = cal.nth_business_day_after(day, i64::from(n));
            d + (due - day) as i32
        })
    }
    fn month(&mut self, d: i32) -> i32 {
        *self.month.entry(d).or_insert_with(|| month_index(d))
    }
}

/// The table, one column at a time: each column is moved out of the chunks (and freed as it
/// is read), keeping only the period's rows, so the frame never sits beside a full table.
struct Columns {
    chunks: Vec<CaseChunk>,
    keep: Vec<Vec<bool>>,
}

impl Columns {
    fn take<T: Copy + 'static>(
        &mut self,
        field: fn(&mut CaseChunk) -> &mut Vec<T>,
    ) -> impl Iterator<Item = T> + '_ {
        self.chunks
            .iter_mut()
            .zip(&self.keep)
            .flat_map(move |(c, k)| {
                std::mem::take(field(c))
                    .into_iter()
                    .zip(k.iter().copied())
                    .filter(|(_, k)| *k)
                    .map(|(v, _)| v)
            })
    }

    fn peek<T: Copy + 'static>(
        &self,
        field: fn(&CaseChunk) -> &Vec<T>,
    ) -> impl Iterator<Item = T> + '_ {
        self.chunks
            .iter()
            .zip(&self.keep)
            .flat_map(move |(c, k)| field(c).iter().zip(k).filter(|(_, k)| **k).map(|(v, _)| *v))
    }
}

fn opt_u32<T: Copy + PartialEq + Into<u32>>(
    name: &str,
    values: impl Iterator<Item = T>,
    none: T,
) -> Column {
    UInt32Chunked::from_iter_options(name.into(), values.map(|v| (v != none).then(|| v.into())))
        .into_column()
}

fn opt_i32(name: &str, values: impl Iterator<Item = i32>) -> Column {
    Int32Chunked::from_iter_options(name.into(), values.map(|d| (d != NO_DAY).then_some(d)))
        .into_column()
}

fn opt_i64(name: &str, values: impl Iterator<Item = i64>) -> Column {
    Int64Chunked::from_iter_options(name.into(), values.map(|s| (s != NO_SECS).then_some(s)))
        .into_column()
}

/// The case frame, the category frame and the case-group frame of the period's cases.
fn frames(
    table: CaseTable,
    config: &Config,
    cal: &Calendar,
    start: i32,
    end: i32,
) -> Result<Frames> {
    let tax = &config.taxonomy;
    let appealable: Vec<u16> = tax
        .levels
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            config
                .appealable_levels
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&l.key))
        })
        .map(|(i, _)| i as u16)
        .collect();
    let group_of: Vec<u32> = tax
        .categories
        .iter()
        .map(|c| {
            tax.category_groups
                .iter()
                .position(|g| g.key == c.group)
                .unwrap_or(0) as u32
        })
        .collect();
    let mut days = DayCache {
        cal,
        target: config.ack_target_business_days,
        due: HashMap::new(),
        month: HashMap::new(),
    };
    let keep: Vec<Vec<bool>> = table
        .chunks
        .iter()
        .map(|c| c.rday.iter().map(|d| (start..=end).contains(d)).collect())
        .collect();
    let n = keep.iter().flatten().filter(|k| **k).count();

    // Categories first: they need each row's position, not its values.
    let mut cat: Vec<u32> = Vec::new();
    let mut offset = 0u32;
    let mut cols = Columns {
        chunks: table.chunks,
        keep,
    };
    // With incidents, each (case, category) and (case, group) row also carries the case's
    // incident number.
    let numbered = table.incident_column.then(|| number_incidents(&mut cols));
    let (mut cat_inc, mut grp_inc) = (Vec::new(), Vec::new());
    // A case counts once in each group any of its categories belongs to: a row's categories
    // are consecutive, so its groups are deduplicated as they come.
    let mut case_grp: Vec<u32> = Vec::new();
    let mut row_groups: Vec<u32> = Vec::new();
    let mut last_row: Option<u32> = None;
    for (i, (c, k)) in cols.chunks.iter_mut().zip(&cols.keep).enumerate() {
        let rows = std::mem::take(&mut c.category_row);
        let keys = std::mem::take(&mut c.category);
        let numbers = numbered.as_ref().map(|(n, _)| &n[i]);
        for (row, key) in rows.into_iter().zip(keys) {
            if k.get(row as usize).copied().unwrap_or(false) {
                let inc = numbers.map(|n| n[row as usize]);
                let g = group_of.get(usize::from(key)).copied().unwrap_or(0);
                if last_row != Some(offset + row) {
                    last_row = Some(offset + row);
                    row_groups.clear();
                }
                if !row_groups.contains(&g) {
                    row_groups.push(g);
                    case_grp.push(g);
                    grp_inc.extend(inc);
                }
                cat.push(u32::from(key));
                cat_inc.extend(inc);
            }
        }
        offset += c.len() as u32;
    }
    let with_incidents = |name: &str, codes: Vec<u32>, inc: Vec<u32>| -> Result<DataFrame> {
        let n = codes.len();
        let mut columns = vec![Column::new(name.into(), codes)];
        if numbered.is_some() {
            columns.push(Column::new("inc".into(), inc));
        }
        Ok(DataFrame::new(n, columns)?)
    };
    let case_groups = with_incidents("grp", case_grp, grp_inc)?;
    let cats = with_incidents("cat", cat, cat_inc)?;
    let incidents = numbered.map(|(_, total)| total);

    // Values derived from a column are computed before the column is moved out.
    let ack_due: Vec<i32> = cols.peek(|c| &c.rday).map(|d| days.due(d)).collect();
    let rmonth: Vec<i32> = cols.peek(|c| &c.rday).map(|d| days.month(d)).collect();
    let res_month = Int32Chunked::from_iter_options(
        "res_month".into(),
        cols.peek(|c| &c.res_day)
            .map(|d| (d != NO_DAY).then(|| days.month(d)))
            .collect::<Vec<_>>()
            .into_iter(),
    )
    .into_column();
    let is_appealable: Vec<bool> = cols
        .peek(|c| &c.level)
        .map(|l| l != NONE16 && appealable.contains(&l))
        .collect();
    let interim: Vec<bool> = cols.peek(|c| &c.flags).map(|f| f & INTERIM != 0).collect();
    let has_days: Vec<bool> = cols
        .take(|c| &mut c.flags)
        .map(|f| f & HAS_SUSPENSION_DAYS != 0)
        .collect();
    let sdays = UInt32Chunked::from_iter_options(
        "sdays".into(),
        cols.take(|c| &mut c.suspension_days)
            .zip(has_days)
            .map(|(d, has)| has.then_some(d)),
    )
    .into_column();
    let columns = vec![
        Column::new(
            "rday".into(),
            cols.take(|c| &mut c.rday).collect::<Vec<i32>>(),
        ),
        Column::new("rmonth".into(), rmonth),
        // An empty platform (the column is not in every export) is null, counted nowhere.
        opt_u32("platform", cols.take(|c| &mut c.platform), NONE16),
        opt_u32("level", cols.take(|c| &mut c.level), NONE16),
        opt_u32("reporter", cols.take(|c| &mut c.reporter), NONE8),
        opt_u32("action", cols.take(|c| &mut c.action), NONE16),
        sdays,
        Column::new("interim".into(), interim),
        opt_i64("ack_secs", cols.take(|c| &mut c.ack_secs)),
        opt_i32("ack_day", cols.take(|c| &mut c.ack_day)),
        Column::new("ack_due".into(), ack_due),
        opt_i64("res_secs", cols.take(|c| &mut c.res_secs)),
        opt_i32("res_day", cols.take(|c| &mut c.res_day)),
        res_month,
        opt_i32("comm_day", cols.take(|c| &mut c.comm_day)),
        opt_i32("filed_day", cols.take(|c| &mut c.filed_day)),
        opt_i64("appeal_secs", cols.take(|c| &mut c.appeal_secs)),
        opt_u32("outcome", cols.take(|c| &mut c.outcome), NONE8),
        Column::new("appealable".into(), is_appealable),
    ];
    Ok(Frames {
        cases: DataFrame::new(n, columns)?,
        cats,
        case_groups,
        incidents,
    })
}

/// The period's cases as frames, and the incident figures when the export has incidents.
struct Frames {
    cases: DataFrame,
    /// One row per (case, category), with the case's incident number (`inc`) if any.
    cats: DataFrame,
    /// One row per (case, group), with `inc` if any.
    case_groups: DataFrame,
    /// The number of distinct incidents, when the export has incidents.
    incidents: Option<u64>,
}

/// Numbers the period's cases by incident (`u32::MAX` outside the period): cases with the same
/// `incident_id` share a number, a case without one has its own. Returns the numbers per chunk
/// and how many were given (the distinct incidents). Consumes the incident column.
fn number_incidents(cols: &mut Columns) -> (Vec<Vec<u32>>, u64) {
    let period_ids: usize = cols
        .chunks
        .iter()
        .zip(&cols.keep)
        .map(|(c, k)| {
            c.incident
                .iter()
                .zip(k)
                .filter(|(id, keep)| **keep && **id != NO_INCIDENT)
                .count()
        })
        .sum();
    // Dense numbers, so polars counts distinct u32s rather than 128-bit hashes (which it has
    // no type for); the map is freed on return.
    let mut dense: HashMap<(u64, u64), u32, BuildHasherDefault<Prehashed>> =
        HashMap::with_capacity_and_hasher(period_ids, BuildHasherDefault::default());
    let mut next = 0u32;
    let mut numbers = Vec::with_capacity(cols.chunks.len());
    for (c, k) in cols.chunks.iter_mut().zip(&cols.keep) {
        // A chunk from an export without the column: every report is its own incident.
        let ids = std::mem::take(&mut c.incident);
        let chunk: Vec<u32> = k
            .iter()
            .enumerate()
            .map(|(row, keep)| {
                if !keep {
                    return u32::MAX;
                }
                let number = match ids.get(row).copied().unwrap_or(NO_INCIDENT) {
                    NO_INCIDENT => next,
                    id => *dense.entry(((id >> 64) as u64, id as u64)).or_insert(next),
                };
                if number == next {
                    next += 1;
                }
                number
            })
            .collect();
        numbers.push(chunk);
    }
    (numbers, u64::from(next))
}

/// The keys are hash values already: folding their two halves together is hash enough.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

#[cfg(test)]
mod tests;
