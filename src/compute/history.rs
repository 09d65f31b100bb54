//! Year over year: earlier periods' published `data/summary.json` files, listed in the
//! config's `history`, set against this period's figures.
//!
//! Only published figures are compared: a figure suppressed (or n/a) in either period has no
//! change. Nothing is recomputed from an export; an earlier report is taken as published.

use std::path::{Path, PathBuf};

use crate::error::{ConfigError, Error, Result};
use crate::model::{round4, Count, Counts, Summary, SCHEMA_VERSIONS};

/// How a key figure is read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count,
    /// A fraction in [0, 1]; its absolute change is in fraction units (0.05 = 5 points).
    Rate,
    Days,
}

/// The key figures compared across periods, by their key in `history.csv`; the words for
/// them are `present::text::figure_label`.
pub const FIGURES: [(&str, Kind); 10] = [
    ("cases_total", Kind::Count),
    ("cases_resolved", Kind::Count),
    ("open_at_period_end", Kind::Count),
    ("acknowledgement_rate", Kind::Rate),
    ("median_days_to_resolution", Kind::Days),
    ("p90_days_to_resolution", Kind::Days),
    ("appeals_filed", Kind::Count),
    ("reversal_rate", Kind::Rate),
    ("temporary_suspensions", Kind::Count),
    ("full_suspensions", Kind::Count),
];

fn c(x: Count) -> Option<f64> {
    x.map(|n| n as f64)
}

/// The value of key figure `key` in `s` (`None`: suppressed or n/a).
pub fn value(s: &Summary, key: &str) -> Option<f64> {
    match key {
        "cases_total" => c(s.cases.total),
        "cases_resolved" => c(s.cases.resolved),
        "open_at_period_end" => c(s.cases.open_at_period_end),
        "acknowledgement_rate" => s.acknowledgement.rate,
        "median_days_to_resolution" => s.resolution_days.median,
        "p90_days_to_resolution" => s.resolution_days.p90,
        "appeals_filed" => c(s.appeals.filed),
        "reversal_rate" => s.appeals.reversal_rate,
        "temporary_suspensions" => c(s.suspensions.temporary),
        "full_suspensions" => c(s.suspensions.full),
        _ => None,
    }
}

/// The tables compared key by key across periods (groups first, as the report shows them),
/// by their place in summary.json.
pub const TABLES: [&str; 2] = ["by_category_group", "by_category"];

/// Table `table` of `TABLES` in `s`.
pub fn counts<'a>(s: &'a Summary, table: &str) -> Option<&'a Counts> {
    match table {
        "by_category_group" => Some(&s.by_category_group),
        "by_category" => Some(&s.by_category),
        _ => None,
    }
}

/// Change from `prev` to `cur`: absolute, and relative in percent of `prev`
/// (n/a when `prev` is 0). Both rounded to 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub absolute: Option<f64>,
    pub percent: Option<f64>,
}

pub fn change(prev: Option<f64>, cur: Option<f64>) -> Change {
    match (prev, cur) {
        (Some(p), Some(c)) => Change {
            absolute: Some(round4(c - p)),
            percent: (p != 0.0).then(|| round4((c - p) / p * 100.0)),
        },
        _ => Change {
            absolute: None,
            percent: None,
        },
    }
}

/// Every period, oldest first, the current one last.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub periods: Vec<Summary>,
    /// Labels of the earlier periods imported from their published figures (a site's
    /// `[[site.import]]`), not built from the export.
    pub imported: Vec<String>,
}

impl History {
    /// `None` when there is no earlier period.
    pub fn new(mut earlier: Vec<Summary>, current: &Summary) -> Option<History> {
        if earlier.is_empty() {
            return None;
        }
        earlier.sort_by(|a, b| a.period.start.cmp(&b.period.start));
        earlier.push(current.clone());
        Some(History {
            periods: earlier,
            imported: Vec::new(),
        })
    }

    pub fn current(&self) -> &Summary {
        &self.periods[self.periods.len() - 1]
    }

    /// The period just before the current one.
    pub fn previous(&self) -> &Summary {
        &self.periods[self.periods.len() - 2]
    }

    /// Each key figure in this period against the previous one.
    pub fn comparison(&self) -> Vec<Compared> {
        FIGURES
            .iter()
            .map(|&(key, kind)| {
                let previous = value(self.previous(), key);
                let current = value(self.current(), key);
                Compared {
                    key,
                    kind,
                    previous,
                    current,
                    change: change(previous, current),
                }
            })
            .collect()
    }
}

impl History {
    /// Each cell of `table` (`TABLES`) in this period against the previous one, in this
    /// period's key order. A key the previous period did not have (another taxonomy) or a
    /// cell withheld on either side has no change.
    pub fn table_comparison(&self, table: &str) -> Vec<ComparedCell> {
        let (Some(cur), prev) = (
            counts(self.current(), table),
            counts(self.previous(), table),
        ) else {
            return Vec::new();
        };
        cur.iter()
            .map(|(key, c)| {
                let previous = prev
                    .and_then(|p| p.get(key).copied().flatten())
                    .map(|n| n as f64);
                let current = c.map(|n| n as f64);
                ComparedCell {
                    key: key.clone(),
                    previous,
                    current,
                    change: change(previous, current),
                }
            })
            .collect()
    }
}

/// One cell of a compared table in the previous and the current period.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedCell {
    pub key: String,
    pub previous: Option<f64>,
    pub current: Option<f64>,
    pub change: Change,
}

/// One key figure in the previous and the current period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compared {
    pub key: &'static str,
    pub kind: Kind,
    pub previous: Option<f64>,
    pub current: Option<f64>,
    pub change: Change,
}

/// Reads the earlier periods' summaries; each must be of a known schema (1 has no
/// `not_recorded`: read as recording everything) and end before `start`
/// (`YYYY-MM-DD`), and no two may cover the same period.
pub fn load(paths: &[PathBuf], start: &str) -> Result<Vec<Summary>> {
    let mut out: Vec<Summary> = Vec::new();
    for path in paths {
        let bad = |message: String| {
            Error::Config(ConfigError::Invalid {
                path: path.clone(),
                message,
            })
        };
        let bytes = std::fs::read(path).map_err(|source| {
            Error::Config(ConfigError::Read {
                path: path.clone(),
                source,
            })
        })?;
        let s = parse(&bytes).map_err(|m| bad(format!("listed in `history`, but {m}")))?;
        if s.period.end.as_str() >= start {
            return Err(bad(format!(
                "its period ({} to {}) does not end before this report's period starts ({start})",
                s.period.start, s.period.end
            )));
        }
        if out.iter().any(|o| o.period.start == s.period.start) {
            return Err(bad(format!(
                "the period starting {} is listed twice in `history`",
                s.period.start
            )));
        }
        out.push(s);
    }
    Ok(out)
}

/// A published `data/summary.json` of any schema `history` reads, with the facts added to
/// the format since its schema marked as not recorded; the error says why it is not one.
pub fn parse(bytes: &[u8]) -> std::result::Result<Summary, String> {
    let mut s: Summary = serde_json::from_slice(bytes)
        .map_err(|e| format!("not a data/summary.json of schema {SCHEMA_VERSIONS:?}: {e}"))?;
    if !SCHEMA_VERSIONS.contains(&s.schema_version) {
        return Err(format!(
            "schema_version {} is not one of {SCHEMA_VERSIONS:?}",
            s.schema_version
        ));
    }
    // A fact added to the format since that schema was not recorded then.
    for fact in crate::model::facts_added_after(s.schema_version) {
        if !s.not_recorded.iter().any(|c| c == fact) {
            s.not_recorded.push(fact.to_string());
        }
    }
    Ok(s)
}

/// `history` entries resolved against the config's folder.
pub fn paths(base: &Path, history: &[PathBuf]) -> Vec<PathBuf> {
    history.iter().map(|p| base.join(p)).collect()
}

#[cfg(test)]
mod tests;
