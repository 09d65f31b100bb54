//! Every SPEC §5 figure, computed in one pass over the validated case table.
//!
//! Plain loops over the compact columns of `load::CaseTable`, the pieces split between
//! threads: polars' lazy queries (one scan per figure, a frame copy per filter) cost more than
//! reading the export at ten million rows. Medians and p90 are linear interpolation between
//! closest ranks, computed exactly as polars 0.55 computes `median()` and
//! `quantile(…, Linear)` (same float operations, nulls counted the same way), so published
//! figures do not change.
//!
//! Determinism: counts are keyed by taxonomy code, sums are over integers, means are taken
//! from integer sums, and quantiles do not depend on the order of the values, so the thread
//! count cannot change a digit.

use chrono::{Datelike, NaiveDate, Weekday};
use indexmap::IndexMap;

use crate::config::{Config, Period};
use crate::error::Result;
use crate::load::{
    CaseChunk, CaseTable, HAS_SUSPENSION_DAYS, INTERIM, NONE16, NONE8, NO_DAY, NO_SECS,
};
use crate::model::{
    self, round4, Acknowledgement, Appeals, CaseTotals, Counts, LevelResolution, Month, PeriodInfo,
    Resolution, Rows, Summary, Suspensions, APPEAL_OUTCOMES, REPORTER_TYPES, RESOLUTION_BINS,
    UNASSIGNED,
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

/// Business-day calendar of the acknowledgement promise.
pub struct Calendar {
    weekdays: Vec<Weekday>,
    holidays: Vec<i32>,
}

impl Calendar {
    pub fn from_config(c: &Config) -> Result<Calendar> {
        let weekdays = c.weekdays().map_err(crate::error::Error::Usage)?;
        let mut holidays: Vec<i32> = c.holidays.iter().map(|d| d.num_days_from_ce()).collect();
        holidays.sort_unstable();
        Ok(Calendar { weekdays, holidays })
    }

    pub fn is_business_day(&self, day: i32) -> bool {
        let Some(d) = NaiveDate::from_num_days_from_ce_opt(day) else {
            return false;
        };
        self.weekdays.contains(&d.weekday()) && self.holidays.binary_search(&day).is_err()
    }

    /// The `n`-th business day after `day` (`n = 0` → the day itself).
    pub fn nth_business_day_after(&self, day: i32, n: u32) -> i32 {
        let mut d = day;
        let mut left = n;
        // At least one weekday is a business day, so each 7+holidays days makes progress;
        // the bound only guards against a pathological holiday list.
        let mut guard = 0u32;
        while left > 0 && guard < 100_000 {
            d += 1;
            guard += 1;
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }
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

/// Computes the unsuppressed Summary for `period` from all valid rows.
pub fn aggregate(
    table: &CaseTable,
    config: &Config,
    period: &Period,
    rows_read: u64,
    rows_rejected: u64,
) -> Result<(Summary, Support)> {
    let start = period.start.num_days_from_ce();
    let end = period.end.num_days_from_ce();
    let cal = Calendar::from_config(config)?;
    let tax = &config.taxonomy;
    let action = |key: &str| {
        tax.actions
            .iter()
            .position(|a| a.key == key)
            .map_or(NONE16, |i| i as u16)
    };
    let month_first = month_index(start);
    let months = (month_index(end) - month_first + 1).max(0) as usize;
    let mut month_of_day = Vec::with_capacity((end - start + 1).max(0) as usize);
    for d in start..=end {
        month_of_day.push(month_index(d) - month_first);
    }
    let shape = Shape {
        start,
        end,
        temp: action("temporary_suspension"),
        full: action("full_suspension"),
        window: config.appeal_window_days,
        appealable: tax
            .levels
            .iter()
            .map(|l| {
                config
                    .appealable_levels
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&l.key))
            })
            .collect(),
        group_of: tax
            .categories
            .iter()
            .map(|c| {
                tax.category_groups
                    .iter()
                    .position(|g| g.key == c.group)
                    .unwrap_or(0)
            })
            .collect(),
        platforms: tax.platforms.len(),
        levels: tax.levels.len(),
        actions: tax.actions.len(),
        categories: tax.categories.len(),
        groups: tax.category_groups.len(),
        months,
        month_of_day,
        month_first,
        cal: &cal,
        ack_n: config.ack_target_business_days,
    };

    // Split the pieces between threads by row count; partial results add up.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total_rows = table.len().max(1);
    let mut parts: Vec<&[CaseChunk]> = Vec::new();
    let mut from = 0;
    let mut acc_rows = 0;
    for (i, c) in table.chunks.iter().enumerate() {
        acc_rows += c.len();
        if acc_rows * threads >= total_rows * (parts.len() + 1) {
            parts.push(&table.chunks[from..=i]);
            from = i + 1;
        }
    }
    if from < table.chunks.len() {
        parts.push(&table.chunks[from..]);
    }
    let mut acc = Acc::new(&shape);
    if parts.len() <= 1 {
        for c in &table.chunks {
            acc.add(c, &shape);
        }
    } else {
        let partial: Vec<Acc> = std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .iter()
                .map(|part| {
                    let shape = &shape;
                    s.spawn(move || {
                        let mut a = Acc::new(shape);
                        for c in *part {
                            a.add(c, shape);
                        }
                        a
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("aggregation thread"))
                .collect()
        });
        for p in partial {
            acc.merge(p);
        }
    }

    let total = acc.total;
    let res_n = acc.res.len() as u64;
    let ack_n = acc.ack.len() as u64;
    let appeal_n = acc.appeal.len() as u64;
    let sdays_n = acc.sdays.len() as u64;
    let nulls = |n: u64| (total - n) as usize;
    // The quantiles, two threads: resolution overall; everything else.
    let (res_median, res_p90, rest) = std::thread::scope(|s| {
        let res = &mut acc.res;
        let h = s.spawn(move || {
            let m = quantile(res, nulls(res_n), 0.5);
            let p = quantile(res, nulls(res_n), 0.9);
            (m, p)
        });
        let sdays_median = quantile(&mut acc.sdays, nulls(sdays_n), 0.5);
        let ack_median = quantile(&mut acc.ack, nulls(ack_n), 0.5);
        let appeal_median = quantile(&mut acc.appeal, nulls(appeal_n), 0.5);
        let levels: Vec<(u64, Option<f64>, Option<f64>)> = acc
            .res_by_level
            .iter_mut()
            .map(|v| {
                let n = v.len() as u64;
                (n, quantile(v, 0, 0.5), quantile(v, 0, 0.9))
            })
            .collect();
        let (m, p) = h.join().expect("quantile thread");
        (m, p, (sdays_median, ack_median, appeal_median, levels))
    });
    let (sdays_median, ack_median, appeal_median, levels) = rest;
    let open = acc.open;
    let filed = acc.filed;
    let outside = table.len() as u64 - total;

    let by_platform = counts(
        &acc.by_platform,
        tax.platforms.iter().map(|p| p.key.as_str()),
        None,
    );
    let by_level = counts(
        &acc.by_level,
        tax.level_keys(),
        acc.by_level.last().copied(),
    );
    let by_action = counts(
        &acc.by_action,
        tax.actions.iter().map(|p| p.key.as_str()),
        acc.by_action.last().copied(),
    );
    let by_reporter = counts(
        &acc.by_reporter,
        REPORTER_TYPES.iter().copied(),
        acc.by_reporter.last().copied(),
    );
    let by_outcome = counts(&acc.by_outcome, APPEAL_OUTCOMES.iter().copied(), None);
    let by_category = counts(
        &acc.by_category,
        tax.categories.iter().map(|c| c.key.as_str()),
        None,
    );
    let by_group = counts(
        &acc.by_group,
        tax.category_groups.iter().map(|g| g.key.as_str()),
        None,
    );

    let mut by_level_res: IndexMap<String, LevelResolution> = IndexMap::new();
    for (k, (n, med, p90)) in tax.level_keys().zip(&levels) {
        by_level_res.insert(
            k.to_string(),
            LevelResolution {
                count: Some(*n),
                median: med.map(|x| round4(x / DAY)),
                p90: p90.map(|x| round4(x / DAY)),
            },
        );
    }

    let monthly: Vec<Month> = (0..months)
        .map(|m| Month {
            month: month_label(month_first + m as i32),
            reported: Some(acc.reported_m[m]),
            resolved: Some(acc.resolved_m[m]),
        })
        .collect();

    let mut histogram = Counts::new();
    for (i, (key, _, _)) in RESOLUTION_BINS.iter().enumerate() {
        histogram.insert(key.to_string(), Some(acc.bins[i]));
    }

    let count = |k: &str| by_outcome.get(k).copied().flatten().unwrap_or(0);
    let decided = count("upheld") + count("overturned") + count("modified");
    let reversal_rate = ratio(count("overturned") + count("modified"), decided);
    let eligible = acc.eligible;
    let met = acc.ack_met;

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
            counted: table.len() as u64,
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
            temporary: Some(acc.temporary),
            full: Some(acc.full),
            interim: Some(acc.interim),
            median_days: sdays_median.map(round4),
        },
        resolution_days: Resolution {
            count: Some(res_n),
            median: res_median.map(|x| round4(x / DAY)),
            p90: res_p90.map(|x| round4(x / DAY)),
            mean: (res_n > 0).then(|| round4(acc.res_sum as f64 / res_n as f64 / DAY)),
            by_moderation_level: by_level_res,
            histogram,
        },
        acknowledgement: Acknowledgement {
            met: Some(met),
            rate: ratio(met, total),
            median_hours: ack_median.map(|x| round4(x / HOUR)),
        },
        appeals: Appeals {
            filed: Some(filed),
            by_outcome,
            eligible: Some(eligible),
            not_eligible: Some(filed - eligible),
            timely: Some(acc.timely),
            late: Some(acc.late),
            window_unknown: Some(acc.window_unknown),
            reversal_rate,
            median_days_to_decision: appeal_median.map(|x| round4(x / DAY)),
        },
        monthly,
    };
    let support = Support {
        acknowledged: ack_n,
        appeals_decided: appeal_n,
        suspension_days: sdays_n,
    };
    Ok((summary, support))
}

/// A rate with a zero denominator is n/a (`None`), never NaN.
fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| round4(num as f64 / den as f64))
}

/// Every taxonomy key in order, with 0 where nothing was counted (SPEC §5), plus
/// `unassigned` (the count of empty cells) when the column is optional.
fn counts<'a>(n: &[u64], keys: impl Iterator<Item = &'a str>, unassigned: Option<u64>) -> Counts {
    let mut out: Counts = keys
        .enumerate()
        .map(|(i, k)| (k.to_string(), Some(n.get(i).copied().unwrap_or(0))))
        .collect();
    if let Some(none) = unassigned {
        out.insert(UNASSIGNED.to_string(), Some(none));
    }
    out
}

/// The `q`-quantile of the values, linear between closest ranks, exactly as polars 0.55
/// computes it over a column with `nulls` missing values (`quantile_idx` and
/// `linear_interpol` in polars-core): the same index arithmetic and float operations.
fn quantile(vals: &mut [f64], nulls: usize, q: f64) -> Option<f64> {
    let n = vals.len();
    if n == 0 {
        return None;
    }
    let length = n + nulls;
    let float_idx = (n as f64 - 1.0) * q + nulls as f64;
    let idx = (float_idx as usize).clamp(0, length - 1);
    let top = float_idx.ceil() as usize;
    let (_, lower, rest) = vals.select_nth_unstable_by(idx - nulls, f64::total_cmp);
    let lower = *lower;
    if idx == top {
        return Some(lower);
    }
    let upper = rest.iter().copied().min_by(f64::total_cmp)?;
    Some(if lower == upper {
        lower
    } else {
        (float_idx - idx as f64) * (upper - lower) + lower
    })
}

/// What the per-row loop needs to know about the period and the taxonomy.
struct Shape<'a> {
    start: i32,
    end: i32,
    temp: u16,
    full: u16,
    window: i64,
    appealable: Vec<bool>,
    group_of: Vec<usize>,
    platforms: usize,
    levels: usize,
    actions: usize,
    categories: usize,
    groups: usize,
    months: usize,
    /// Month (from the first of the period) of each day of the period.
    month_of_day: Vec<i32>,
    month_first: i32,
    cal: &'a Calendar,
    ack_n: u32,
}

impl Shape<'_> {
    fn month(&self, day: i32) -> Option<usize> {
        let m = if (self.start..=self.end).contains(&day) {
            self.month_of_day[(day - self.start) as usize]
        } else {
            month_index(day) - self.month_first
        };
        usize::try_from(m).ok().filter(|m| *m < self.months)
    }
}

/// Partial figures over some pieces of the table.
struct Acc {
    total: u64,
    open: u64,
    temporary: u64,
    full: u64,
    interim: u64,
    sdays: Vec<f64>,
    res: Vec<f64>,
    res_sum: i64,
    res_by_level: Vec<Vec<f64>>,
    bins: [u64; 5],
    ack_met: u64,
    ack: Vec<f64>,
    filed: u64,
    eligible: u64,
    timely: u64,
    late: u64,
    window_unknown: u64,
    appeal: Vec<f64>,
    /// Per code; the optional columns have one more slot, last, for empty cells.
    by_platform: Vec<u64>,
    by_level: Vec<u64>,
    by_action: Vec<u64>,
    by_reporter: Vec<u64>,
    by_outcome: Vec<u64>,
    by_category: Vec<u64>,
    by_group: Vec<u64>,
    reported_m: Vec<u64>,
    resolved_m: Vec<u64>,
    /// Acknowledgement due date per day of the period, filled on first use.
    due: Vec<i32>,
}

impl Acc {
    fn new(s: &Shape) -> Acc {
        Acc {
            total: 0,
            open: 0,
            temporary: 0,
            full: 0,
            interim: 0,
            sdays: Vec::new(),
            res: Vec::new(),
            res_sum: 0,
            res_by_level: vec![Vec::new(); s.levels],
            bins: [0; 5],
            ack_met: 0,
            ack: Vec::new(),
            filed: 0,
            eligible: 0,
            timely: 0,
            late: 0,
            window_unknown: 0,
            appeal: Vec::new(),
            by_platform: vec![0; s.platforms],
            by_level: vec![0; s.levels + 1],
            by_action: vec![0; s.actions + 1],
            by_reporter: vec![0; REPORTER_TYPES.len() + 1],
            by_outcome: vec![0; APPEAL_OUTCOMES.len()],
            by_category: vec![0; s.categories],
            by_group: vec![0; s.groups],
            reported_m: vec![0; s.months],
            resolved_m: vec![0; s.months],
            due: Vec::new(),
        }
    }

    fn add(&mut self, c: &CaseChunk, s: &Shape) {
        let bins: Vec<(i64, Option<i64>)> = RESOLUTION_BINS
            .iter()
            .map(|(_, lo, hi)| {
                (
                    (lo * DAY) as i64,
                    hi.is_finite().then_some((hi * DAY) as i64),
                )
            })
            .collect();
        if self.due.is_empty() {
            self.due = vec![NO_DAY; (s.end - s.start + 1).max(0) as usize];
        }
        let n = c.len();
        self.res.reserve(n);
        self.ack.reserve(n);
        let mut in_period = vec![false; n];
        for (i, inside) in in_period.iter_mut().enumerate() {
            let rday = c.rday[i];
            if rday < s.start || rday > s.end {
                continue;
            }
            *inside = true;
            self.total += 1;
            let level = c.level[i];
            let action = c.action[i];
            let flags = c.flags[i];
            self.by_platform[usize::from(c.platform[i])] += 1;
            let slot = |code: u16, len: usize| {
                if code == NONE16 {
                    len
                } else {
                    usize::from(code)
                }
            };
            self.by_level[slot(level, s.levels)] += 1;
            self.by_action[slot(action, s.actions)] += 1;
            let reporter = c.reporter[i];
            self.by_reporter[if reporter == NONE8 {
                REPORTER_TYPES.len()
            } else {
                usize::from(reporter)
            }] += 1;
            if action != NONE16 && action == s.temp {
                self.temporary += 1;
            }
            if action != NONE16 && action == s.full {
                self.full += 1;
            }
            if flags & INTERIM != 0 {
                self.interim += 1;
            }
            if flags & HAS_SUSPENSION_DAYS != 0 {
                self.sdays.push(f64::from(c.suspension_days[i]));
            }
            if let Some(m) = s.month(rday) {
                self.reported_m[m] += 1;
            }
            let res_day = c.res_day[i];
            if res_day == NO_DAY || res_day > s.end {
                self.open += 1;
            }
            if res_day != NO_DAY && res_day <= s.end {
                if let Some(m) = s.month(res_day) {
                    self.resolved_m[m] += 1;
                }
            }
            let res = c.res_secs[i];
            if res != NO_SECS {
                self.res.push(res as f64);
                self.res_sum += res;
                if level != NONE16 {
                    self.res_by_level[usize::from(level)].push(res as f64);
                }
                for (b, (lo, hi)) in bins.iter().enumerate() {
                    if res >= *lo && hi.is_none_or(|hi| res < hi) {
                        self.bins[b] += 1;
                    }
                }
            }
            let ack = c.ack_secs[i];
            if ack != NO_SECS {
                self.ack.push(ack as f64);
                let d = (rday - s.start) as usize;
                if self.due[d] == NO_DAY {
                    self.due[d] = s.cal.nth_business_day_after(rday, s.ack_n);
                }
                if c.ack_day[i] <= self.due[d] {
                    self.ack_met += 1;
                }
            }
            let filed = c.filed_day[i];
            if filed != NO_DAY {
                self.filed += 1;
                if level != NONE16 && s.appealable[usize::from(level)] {
                    self.eligible += 1;
                }
                let comm = c.comm_day[i];
                if comm == NO_DAY {
                    self.window_unknown += 1;
                } else if i64::from(filed - comm) <= s.window {
                    self.timely += 1;
                } else {
                    self.late += 1;
                }
                let outcome = c.outcome[i];
                if outcome != NONE8 {
                    self.by_outcome[usize::from(outcome)] += 1;
                }
            }
            let appeal = c.appeal_secs[i];
            if appeal != NO_SECS {
                self.appeal.push(appeal as f64);
            }
        }
        // Categories: a case counts once per category, and once per group.
        let mut last_row = vec![u32::MAX; s.groups];
        for (&row, &cat) in c.category_row.iter().zip(&c.category) {
            if !in_period[row as usize] {
                continue;
            }
            self.by_category[usize::from(cat)] += 1;
            let g = s.group_of[usize::from(cat)];
            if let Some(last) = last_row.get_mut(g) {
                if *last != row {
                    *last = row;
                    self.by_group[g] += 1;
                }
            }
        }
    }

    fn merge(&mut self, o: Acc) {
        let add = |a: &mut Vec<u64>, b: &[u64]| {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        };
        self.total += o.total;
        self.open += o.open;
        self.temporary += o.temporary;
        self.full += o.full;
        self.interim += o.interim;
        self.sdays.extend_from_slice(&o.sdays);
        self.res.extend_from_slice(&o.res);
        self.res_sum += o.res_sum;
        for (a, b) in self.res_by_level.iter_mut().zip(&o.res_by_level) {
            a.extend_from_slice(b);
        }
        for (a, b) in self.bins.iter_mut().zip(o.bins) {
            *a += b;
        }
        self.ack_met += o.ack_met;
        self.ack.extend_from_slice(&o.ack);
        self.filed += o.filed;
        self.eligible += o.eligible;
        self.timely += o.timely;
        self.late += o.late;
        self.window_unknown += o.window_unknown;
        self.appeal.extend_from_slice(&o.appeal);
        add(&mut self.by_platform, &o.by_platform);
        add(&mut self.by_level, &o.by_level);
        add(&mut self.by_action, &o.by_action);
        add(&mut self.by_reporter, &o.by_reporter);
        add(&mut self.by_outcome, &o.by_outcome);
        add(&mut self.by_category, &o.by_category);
        add(&mut self.by_group, &o.by_group);
        add(&mut self.reported_m, &o.reported_m);
        add(&mut self.resolved_m, &o.resolved_m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> i32 {
        NaiveDate::from_ymd_opt(y, m, dd)
            .unwrap()
            .num_days_from_ce()
    }

    #[test]
    fn next_business_day_skips_weekends_and_holidays() {
        let c = Config {
            holidays: vec![NaiveDate::from_ymd_opt(2025, 5, 26).unwrap()], // Memorial Day
            ..Config::default()
        };
        let cal = Calendar::from_config(&c).unwrap();
        // Friday → Monday.
        assert_eq!(cal.nth_business_day_after(d(2025, 3, 7), 1), d(2025, 3, 10));
        // Saturday → Monday.
        assert_eq!(cal.nth_business_day_after(d(2025, 3, 8), 1), d(2025, 3, 10));
        // Friday before a Monday holiday → Tuesday.
        assert_eq!(
            cal.nth_business_day_after(d(2025, 5, 23), 1),
            d(2025, 5, 27)
        );
        assert_eq!(
            cal.nth_business_day_after(d(2025, 5, 23), 2),
            d(2025, 5, 28)
        );
        assert_eq!(
            cal.nth_business_day_after(d(2025, 5, 23), 0),
            d(2025, 5, 23)
        );
    }

    #[test]
    fn month_labels() {
        assert_eq!(month_label(month_index(d(2025, 12, 31))), "2025-12");
        assert_eq!(month_index(d(2026, 1, 1)) - month_index(d(2025, 12, 31)), 1);
    }
}
