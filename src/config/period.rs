//! The reporting period: `[period]` in report.toml, a year's bounds, the resolved period and
//! its label; the date form report.toml accepts.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PeriodConfig {
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "dates::optional")]
    pub start: Option<NaiveDate>,
    #[serde(default, deserialize_with = "dates::optional")]
    pub end: Option<NaiveDate>,
}

/// Dates in report.toml may be TOML dates (`2025-01-01`) or strings (`"2025-01-01"`).
pub(super) mod dates {
    use chrono::NaiveDate;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    fn convert<E: Error>(v: toml::Value) -> Result<NaiveDate, E> {
        let text = match v {
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            toml::Value::String(s) => s,
            other => {
                return Err(E::custom(format!(
                    "expected a date like 2025-01-31, found `{other}`"
                )))
            }
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| E::custom(format!("`{text}` is not a date like 2025-01-31")))
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<toml::Value>::deserialize(d)?
            .map(convert)
            .transpose()
    }

    pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<toml::Value>::deserialize(d)?
            .into_iter()
            .map(convert)
            .collect()
    }
}

/// Labels become folder names: keep them to a safe, portable character set.
pub fn check_label(label: &str) -> Result<(), String> {
    let ok = !label.is_empty()
        && label.len() <= 64
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !label.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{label}` must be 1–64 letters, digits, `-`, `_` or `.` (it becomes a folder name)"
        ))
    }
}

impl PeriodConfig {
    pub fn resolve(&self) -> Result<(NaiveDate, NaiveDate), String> {
        match (self.year, self.start, self.end) {
            (Some(y), None, None) => year_bounds(y),
            (None, Some(s), Some(e)) => {
                let check = crate::schema::check_date;
                check(s).map_err(|m| format!("start {s}: {m}"))?;
                check(e).map_err(|m| format!("end {e}: {m}"))?;
                if e < s {
                    Err(format!("end {e} is before start {s}"))
                } else {
                    Ok((s, e))
                }
            }
            _ => Err("give either `year`, or both `start` and `end`".into()),
        }
    }
}

pub fn year_bounds(y: i32) -> Result<(NaiveDate, NaiveDate), String> {
    use crate::schema::{MAX_YEAR, MIN_YEAR};
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(format!("year {y} is outside {MIN_YEAR}–{MAX_YEAR}"));
    }
    match (
        NaiveDate::from_ymd_opt(y, 1, 1),
        NaiveDate::from_ymd_opt(y, 12, 31),
    ) {
        (Some(s), Some(e)) => Ok((s, e)),
        _ => Err(format!("year {y} is not a valid year")),
    }
}

/// The reporting period after flags and config are combined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(label: Option<String>, start: NaiveDate, end: NaiveDate) -> Result<Period, String> {
        if end < start {
            return Err(format!(
                "the period ends ({end}) before it starts ({start})"
            ));
        }
        let label = label.unwrap_or_else(|| {
            if start.month() == 1
                && start.day() == 1
                && end.month() == 12
                && end.day() == 31
                && start.year() == end.year()
            {
                start.year().to_string()
            } else {
                format!("{}_{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d"))
            }
        });
        check_label(&label)?;
        Ok(Period { label, start, end })
    }
}

pub mod spec;
