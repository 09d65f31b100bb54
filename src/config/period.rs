//! The reporting period: `[period]` in report.toml, a year's bounds, the resolved period and
//! its label; the date form report.toml accepts.
//!
//! `[period]` names one period in one of these shapes: `year = 2025`; `half = "2025H1"`;
//! `quarter = "2025Q3"`; `start`/`end` (a fiscal year, any span); or an event, `name` with its
//! `start` and `end` ("PyCon US 2018", 2018-05-09 to 2018-05-17). Halves and quarters are
//! read by the `--periods` parser (`spec`), so `2025Q3` means one thing everywhere.

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
    /// A calendar half-year, `2025H1` or `2025H2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half: Option<String>,
    /// A calendar quarter, `2025Q1` to `2025Q4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarter: Option<String>,
    /// An event's name ("PyCon US 2018"), with its own dates in `start` and `end`: the report
    /// is titled after it and its period line reads as the event's dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The longest event name: it heads the report and the closing-session slide.
pub const MAX_EVENT_NAME: usize = 80;

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
    /// The first and last day of the period.
    pub fn resolve(&self) -> Result<(NaiveDate, NaiveDate), String> {
        Ok(self.resolved()?.0)
    }

    /// The period's bounds and its default label: the half-year or quarter as written in
    /// upper case (`2025Q3`), an event's name made folder-safe (`PyCon-US-2018`), else `None`
    /// (the year, or `start_end`, as [`Period::new`] names it).
    pub fn resolved(&self) -> Result<((NaiveDate, NaiveDate), Option<String>), String> {
        let shape = |found: &str| {
            format!("give one of `year`, `half`, `quarter`, or both `start` and `end` (with `name` for an event){found}")
        };
        if let Some(name) = &self.name {
            check_event_name(name)?;
            if self.year.is_some() || self.half.is_some() || self.quarter.is_some() {
                return Err(
                    "`name` is an event's name: give it with the event's own `start` and `end`, not with `year`, `half` or `quarter`".into(),
                );
            }
            if self.start.is_none() || self.end.is_none() {
                return Err(format!(
                    "the event `{name}` needs its dates: `start` and `end` (its first and last day)"
                ));
            }
        }
        match (
            self.year,
            self.start,
            self.end,
            self.half.as_deref(),
            self.quarter.as_deref(),
        ) {
            (Some(y), None, None, None, None) => Ok((year_bounds(y)?, None)),
            (None, Some(s), Some(e), None, None) => {
                let check = crate::schema::check_date;
                check(s).map_err(|m| format!("start {s}: {m}"))?;
                check(e).map_err(|m| format!("end {e}: {m}"))?;
                if e < s {
                    Err(format!("end {e} is before start {s}"))
                } else {
                    Ok(((s, e), self.name.as_deref().and_then(event_label)))
                }
            }
            (None, None, None, Some(h), None) => named(h, "half", spec::Kind::Half),
            (None, None, None, None, Some(q)) => named(q, "quarter", spec::Kind::Quarter),
            (None, Some(_), None, None, None) | (None, None, Some(_), None, None) => {
                Err(shape(": `start` and `end` go together"))
            }
            _ => Err(shape("")),
        }
    }

    /// The event's name, when `[period]` names an event.
    pub fn event(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// A half-year or quarter of `[period]`, read by the `--periods` parser.
fn named(
    item: &str,
    key: &str,
    kind: spec::Kind,
) -> Result<((NaiveDate, NaiveDate), Option<String>), String> {
    let p = spec::one_period(item, None).map_err(|m| format!("`{key}`: {m}"))?;
    if p.kind != kind {
        let want = match kind {
            spec::Kind::Half => "a half-year like 2025H1 or 2025H2",
            _ => "a quarter like 2025Q1 … 2025Q4",
        };
        return Err(format!("`{key}`: `{item}` is not {want}"));
    }
    Ok(((p.period.start, p.period.end), Some(p.period.label)))
}

/// An event's name heads the report: one line of ordinary text.
pub fn check_event_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the event's `name` must not be empty".into());
    }
    if name.trim() != name || name.contains("  ") || name.chars().any(char::is_control) {
        return Err(format!(
            "the event's `name` \"{}\" has leading, trailing or repeated spaces, or a line break",
            name.escape_debug()
        ));
    }
    if name.chars().count() > MAX_EVENT_NAME {
        return Err(format!(
            "the event's `name` is longer than {MAX_EVENT_NAME} characters: it heads the report and the slide"
        ));
    }
    Ok(())
}

/// The folder name an event gets unless `label` is set: its name's letters and digits, words
/// joined by `-` ("PyCon US 2018" → `PyCon-US-2018`); `None` when nothing of it is left.
fn event_label(name: &str) -> Option<String> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let label = words.join("-");
    check_label(&label).ok().map(|_| label)
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
    /// The event the period is, when `[period]` names one and the period has its dates.
    pub event: Option<String>,
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
        Ok(Period {
            label,
            start,
            end,
            event: None,
        })
    }

    /// The same period, as the event `name`.
    pub fn with_event(mut self, name: Option<String>) -> Period {
        self.event = name;
        self
    }
}

pub mod spec;
