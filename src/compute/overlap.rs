//! Protection across the periods of a site: a period that is exactly tiled by shorter periods
//! of the same site (a year and its two halves, a half-year and its quarters) satisfies, cell
//! by cell, `long = sum of the parts` for every count of cases by what the case is (section,
//! group, platform, level, action, who reported, channel, referral, appeal outcome). A cell withheld in one of
//! them can then be worked out from the others by subtraction. This finds such cells, and
//! names a published cell to withhold further in a part so that none can be worked out.
//!
//! Bounds follow what a reader knows: a published count is exact, a count withheld for being
//! small is 1..min_cell-1, a complementary one is any count.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Counts, Summary, SuppressionReport};

/// The tables whose cells add up across a split of a period: each case is counted in the
/// period it was reported in, by a fact of the case.
const ADDITIVE: [&str; 9] = [
    "by_platform",
    "by_moderation_level",
    "by_category",
    "by_category_group",
    "by_action",
    "by_reporter_type",
    "by_channel",
    "by_referral",
    "appeals.by_outcome",
];

fn table<'a>(s: &'a Summary, name: &str) -> Option<&'a Counts> {
    Some(match name {
        "by_platform" => &s.by_platform,
        "by_moderation_level" => &s.by_moderation_level,
        "by_category" => &s.by_category,
        "by_category_group" => &s.by_category_group,
        "by_action" => &s.by_action,
        "by_reporter_type" => &s.by_reporter_type,
        "by_channel" => s.by_channel.as_ref()?,
        "by_referral" => s.by_referral.as_ref()?,
        "appeals.by_outcome" => &s.appeals.by_outcome,
        _ => return None,
    })
}

/// One period as published.
pub struct Published<'a> {
    pub label: &'a str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub summary: &'a Summary,
    pub suppression: &'a SuppressionReport,
}

/// A withheld cell a reader could work out, and the published cell to withhold to stop it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exposed {
    /// `period: table/key` of the cell that could be worked out.
    pub cell: String,
    /// The period and (table, key) to withhold further; `None` when every other cell of the
    /// relation is withheld already (then nothing more can be done here).
    pub withhold: Option<(String, String, String)>,
}

#[derive(Clone, Copy)]
struct Bound {
    lo: f64,
    hi: f64,
    known: bool,
}

fn bound(p: &Published, t: &str, key: &str) -> Option<Bound> {
    let counts = table(p.summary, t)?;
    // A table of a fact the export does not record is not published at all; nor is the table
    // of levels without levels (all of it null), whereas a table whose every cell was
    // withheld is published, and takes part.
    let column = match t {
        "by_platform" => "platform",
        "by_moderation_level" => "moderation_level",
        "by_action" => "action",
        "by_reporter_type" => "reporter_type",
        "by_channel" => "channel",
        "by_referral" => "referred_to",
        "appeals.by_outcome" => "appeal_outcome",
        _ => "category",
    };
    let section = match t {
        "by_platform" => "platforms",
        "by_moderation_level" | "by_action" => "outcomes",
        "by_reporter_type" => "reporters",
        "by_channel" => "channels",
        "by_referral" => "referrals",
        "appeals.by_outcome" => "appeals",
        _ => "categories",
    };
    // Nor is the table of a section the config leaves out (`[report] sections`).
    if !p.summary.recorded(column)
        || !p.summary.shows(section)
        || (t == "by_moderation_level" && counts.values().all(Option::is_none))
    {
        return None;
    }
    Some(match counts.get(key).copied().flatten() {
        Some(v) => Bound {
            lo: v as f64,
            hi: v as f64,
            known: true,
        },
        None if p
            .suppression
            .complementary_cells
            .contains(&format!("{t}/{key}")) =>
        {
            Bound {
                lo: 0.0,
                hi: f64::INFINITY,
                known: false,
            }
        }
        None => Bound {
            lo: 1.0,
            hi: p.suppression.min_cell.saturating_sub(1) as f64,
            known: false,
        },
    })
}

/// The shorter periods of `periods` that tile `long` exactly (contiguous, same length kind
/// is not needed: any set of disjoint periods covering it day for day), by index.
fn tilings(periods: &[Published]) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for (i, long) in periods.iter().enumerate() {
        // Group the periods inside `long` by length in days, and try each group.
        let mut by_len: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for (j, p) in periods.iter().enumerate() {
            if j != i
                && p.start >= long.start
                && p.end <= long.end
                && (p.start, p.end) != (long.start, long.end)
            {
                by_len
                    .entry(((p.end - p.start).num_days() + 15) / 30)
                    .or_default()
                    .push(j);
            }
        }
        for (_, mut parts) in by_len {
            parts.sort_by_key(|&j| periods[j].start);
            let contiguous = parts
                .windows(2)
                .all(|w| periods[w[0]].end.succ_opt() == Some(periods[w[1]].start));
            if contiguous
                && parts.first().map(|&j| periods[j].start) == Some(long.start)
                && parts.last().map(|&j| periods[j].end) == Some(long.end)
            {
                out.push((i, parts));
            }
        }
    }
    out
}

/// Every withheld cell that `long = sum of parts` lets a reader work out exactly.
pub fn exposed(periods: &[Published]) -> Vec<Exposed> {
    let mut out = Vec::new();
    for (long, parts) in tilings(periods) {
        for t in ADDITIVE {
            let Some(keys) = table(periods[long].summary, t) else {
                continue;
            };
            for key in keys.keys() {
                let Some(whole) = bound(&periods[long], t, key) else {
                    continue;
                };
                let Some(bits) = parts
                    .iter()
                    .map(|&j| bound(&periods[j], t, key))
                    .collect::<Option<Vec<Bound>>>()
                else {
                    continue;
                };
                let sum = |skip: Option<usize>| {
                    bits.iter()
                        .enumerate()
                        .filter(|(n, _)| Some(*n) != skip)
                        .fold((0.0, 0.0), |(lo, hi), (_, b)| (lo + b.lo, hi + b.hi))
                };
                let mut found: Vec<String> = Vec::new();
                if !whole.known {
                    let (lo, hi) = sum(None);
                    if pinned(whole, lo, hi) {
                        found.push(format!("{}: {t}/{key}", periods[long].label));
                    }
                }
                for (n, b) in bits.iter().enumerate() {
                    if b.known {
                        continue;
                    }
                    let (lo, hi) = sum(Some(n));
                    if pinned(*b, whole.lo - hi, whole.hi - lo) {
                        found.push(format!("{}: {t}/{key}", periods[parts[n]].label));
                    }
                }
                if found.is_empty() {
                    continue;
                }
                // Withhold the smallest published part (it says least), else the whole.
                let part = bits
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.known)
                    .min_by(|a, b| a.1.lo.total_cmp(&b.1.lo))
                    .map(|(n, _)| parts[n]);
                let target = part.or(whole.known.then_some(long));
                for cell in found {
                    out.push(Exposed {
                        cell,
                        withhold: target
                            .map(|j| (periods[j].label.to_string(), t.to_string(), key.clone())),
                    });
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `b`, narrowed to `lo..=hi`, leaves one value only.
fn pinned(b: Bound, lo: f64, hi: f64) -> bool {
    let (lo, hi) = (lo.max(b.lo), hi.min(b.hi));
    lo.is_finite() && hi.is_finite() && lo == hi
}

#[cfg(test)]
mod tests;
