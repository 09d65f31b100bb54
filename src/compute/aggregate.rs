//! Every SPEC §5 figure, computed with polars' lazy API over the validated case table.
//!
//! Determinism: every group-by result is read back by key into taxonomy order, sums are over
//! integers, and means are taken from integer sums, so thread count cannot change a digit.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use polars::prelude::*;

use crate::config::calendar::Calendar;
use crate::config::{Config, Period};
use crate::error::Result;
use crate::load::CaseTable;
use crate::model::{
    self, round4, Acknowledgement, Appeals, CaseTotals, Counts, IncidentFigures, LevelResolution,
    Month, People, PeriodInfo, Resolution, Rows, Summary, Suspensions, APPEAL_OUTCOMES,
    REPORTER_TYPES, RESOLUTION_BINS, UNASSIGNED,
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
    aggregate_counted(Cow::Owned(table), config, period, rows_read, rows_rejected)
}

/// [`aggregate`] of the whole table, owned (its columns are freed as the frames are built,
/// so a one-period build never holds the export twice) or shared (a site builds every
/// period from the same table, reading only each period's rows and copying nothing else).
pub fn aggregate_counted(
    table: Cow<'_, CaseTable>,
    config: &Config,
    period: &Period,
    rows_read: u64,
    rows_rejected: u64,
) -> Result<Aggregated> {
    let counted = table.len() as u64;
    let start = period.start.num_days_from_ce();
    let end = period.end.num_days_from_ce();
    let cal = Calendar::from_config(config).map_err(crate::error::Error::Usage)?;
    let tax = &config.taxonomy;

    // A table of a fact no export records is never built: it would only add unknowns (and
    // relations) to the disclosure audit that the report never mentions.
    let handled = table.recorded("handled_by");
    let channelled = table.recorded("channel");
    let referred = table.recorded("referred_to");
    let named = table.recorded("person_ref");
    let acted = table.recorded("action");
    let platformed = table.recorded("platform");
    let levelled = table.recorded("moderation_level");
    let reported = table.recorded("reporter_type");
    // The frames hold only the period's cases (an owned table is freed column by column as
    // they are built, so a 10-million-row export is never held twice).
    let Frames {
        cases,
        cats,
        case_groups,
        incidents,
        carried_over,
    } = frames(table, named, config, &cal, start, end)?;
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
    // The quantiles of a column's values: without its nulls, polars selects them in linear
    // time rather than sorting the column (the values, and so the figures, are the same).
    let known = |name: &str| col(name).drop_nulls().cast(DataType::Float64);
    let mut exprs = vec![
        len().cast(DataType::UInt64).alias("total"),
        u64s(col("res_day").is_null().or(col("res_day").gt(lit(end)))).alias("open"),
        u64s(temp).alias("temporary"),
        u64s(full).alias("full"),
        u64s(col("interim")).alias("interim"),
        known("sdays").median().alias("sdays_median"),
        col("sdays").count().cast(DataType::UInt64).alias("sdays_n"),
        res().count().cast(DataType::UInt64).alias("res_n"),
        res().sum().alias("res_sum"),
        known("res_secs").median().alias("res_median"),
        known("res_secs")
            .quantile(lit(0.9), QuantileMethod::Linear)
            .alias("res_p90"),
        u64s(col("ack_day").lt_eq(col("ack_due"))).alias("ack_met"),
        known("ack_secs").median().alias("ack_median"),
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
        known("appeal_secs").median().alias("appeal_median"),
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
    let outside = counted.saturating_sub(total);

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
    let by_handler = match handled {
        true => Some(keyed(
            &group_counts(per.clone(), "handler")?,
            tax.handlers.iter().map(|h| h.key.as_str()),
            true,
        )),
        false => None,
    };
    // Every case in one cell of each: its channel (`unassigned` when empty) and where it was
    // referred (`not_referred` when empty), so each table adds up to the total.
    let by_channel = match channelled {
        true => Some(keyed(
            &group_counts(per.clone(), "channel")?,
            tax.channels.iter().map(|h| h.key.as_str()),
            true,
        )),
        false => None,
    };
    let by_referral = match referred {
        true => {
            let mut counts = keyed(
                &group_counts(per.clone(), "referral")?,
                tax.referrals.iter().map(|h| h.key.as_str()),
                true,
            );
            let none = counts.shift_remove(UNASSIGNED).flatten().unwrap_or(0);
            counts.insert(model::NOT_REFERRED.to_string(), Some(none));
            Some(counts)
        }
        false => None,
    };
    let people = match named {
        true => {
            let with_person = per.clone().filter(col("person").is_not_null());
            let distinct = || col("person").n_unique().cast(DataType::UInt64);
            let n = with_person
                .clone()
                .select([distinct().alias("n")])
                .collect()?;
            Some(People {
                named: Some(n.column("n")?.u64()?.get(0).unwrap_or(0)),
                by_action: keyed(
                    &group_agg(with_person, "action", distinct())?,
                    tax.actions.iter().map(|a| a.key.as_str()),
                    true,
                ),
            })
        }
        false => None,
    };
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
        per.clone().filter(
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
            carried_over: Some(carried_over),
        },
        by_platform,
        by_moderation_level: by_level,
        by_category,
        by_category_group: by_group,
        by_action,
        by_reporter_type: by_reporter,
        by_channel,
        by_referral,
        by_handler,
        people,
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
        left_out: Vec::new(),
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
            // Tables other than the sections count incidents only when the config counts by
            // incident (PSF counts outcomes per issue).
            let by_incident =
                config.incidents.count_categories_by == crate::config::CountBasis::Incidents;
            let by_action = match acted && by_incident {
                true => Some(keyed(
                    &group_agg(per.clone(), "action", distinct())?,
                    tax.actions.iter().map(|a| a.key.as_str()),
                    true,
                )),
                false => None,
            };
            let by_handler = match handled && by_incident {
                true => Some(keyed(
                    &group_agg(per.clone(), "handler", distinct())?,
                    tax.handlers.iter().map(|h| h.key.as_str()),
                    true,
                )),
                false => None,
            };
            let by =
                |recorded: bool, column: &str, keys: Vec<&str>, unassigned: bool| match recorded
                    && by_incident
                {
                    true => group_agg(per.clone(), column, distinct())
                        .map(|g| Some(keyed(&g, keys.into_iter(), unassigned))),
                    false => Ok(None),
                };
            let by_platform = by(
                platformed,
                "platform",
                tax.platforms.iter().map(|p| p.key.as_str()).collect(),
                false,
            )?;
            let by_level = by(
                levelled && !tax.levels.is_empty(),
                "level",
                tax.level_keys().collect(),
                true,
            )?;
            let by_reporter = by(reported, "reporter", REPORTER_TYPES.to_vec(), true)?;
            let more = by_platform.is_some() || by_level.is_some() || by_reporter.is_some();
            Some(IncidentFigures {
                schema_version: if more {
                    model::INCIDENTS_SCHEMA_VERSION_ALL_TABLES
                } else if by_action.is_some() || by_handler.is_some() {
                    model::INCIDENTS_SCHEMA_VERSION_TABLES
                } else {
                    model::INCIDENTS_SCHEMA_VERSION
                },
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
                by_action,
                by_handler,
                by_platform,
                by_moderation_level: by_level,
                by_reporter_type: by_reporter,
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

mod frames;
use frames::{frames, Frames};

#[cfg(test)]
mod tests;
