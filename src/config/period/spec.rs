//! `--periods`: several reporting periods named in one spec, e.g. `2019..2025,2025H1,2025H2`.
//!
//! Items are separated by commas; each is one period or a range `A..B` of periods of the same
//! kind (both ends included). Kinds:
//!
//! - `2025`: the calendar year;
//! - `2025H1`, `2025H2`: the calendar half-years (January–June, July–December);
//! - `2025Q1` … `2025Q4`: the calendar quarters;
//! - `FY2025`: the fiscal year of the config's `[period]` (`start`/`end` spanning exactly twelve
//!   months), named by the calendar year it *ends* in, as governments and most organisations
//!   do: with `[period] start = 2024-09-01, end = 2025-08-31`, `FY2025` is 2024-09-01 to
//!   2025-08-31 and `FY2020..FY2025` the six fiscal years ending 2020 to 2025.
//!
//! The labels are the items as written in upper case (`2025H1`, `FY2025`): they become the
//! folder names of the site.

use chrono::{Datelike, Months, NaiveDate};

use super::{check_label, year_bounds, Period};

/// What kind of period a spec item names. Periods are compared with earlier periods of the
/// same kind only (a half-year with half-years, a year with years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Year,
    FiscalYear,
    Half,
    Quarter,
}

impl Kind {
    /// The word for the kind, for the site's index ("Years", "Half-years").
    pub fn key(self) -> &'static str {
        match self {
            Kind::Year => "year",
            Kind::FiscalYear => "fiscal_year",
            Kind::Half => "half_year",
            Kind::Quarter => "quarter",
        }
    }
}

/// One period of a spec, with its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecPeriod {
    pub kind: Kind,
    pub period: Period,
}

/// The longest a spec may be: a site of a century of quarters is surely a typo.
pub const MAX_PERIODS: usize = 400;

/// Parses a `--periods` spec. `fiscal` is the config's `[period]` start and end, the twelve
/// months that define a fiscal year (`None`: the config has none, and `FY…` is an error).
///
/// The result is sorted by start, a longer period before a shorter one starting the same
/// day (2025 before 2025H1); a period named twice is an error.
pub fn parse(
    spec: &str,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<SpecPeriod>, String> {
    let mut out: Vec<SpecPeriod> = Vec::new();
    if spec.trim().is_empty() {
        return Err("the spec is empty: give periods like 2019..2025, 2025H1 or FY2025".into());
    }
    for item in spec.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!(
                "`{spec}` has an empty item (two commas, or a comma at an end)"
            ));
        }
        let found = match item.split_once("..") {
            Some((a, b)) => range(a.trim(), b.trim(), fiscal)?,
            None => vec![one(item, fiscal)?],
        };
        for p in found {
            if out.iter().any(|o| o.period.label == p.period.label) {
                return Err(format!("{} is named twice", p.period.label));
            }
            out.push(p);
            if out.len() > MAX_PERIODS {
                return Err(format!("more than {MAX_PERIODS} periods"));
            }
        }
    }
    out.sort_by(|a, b| {
        a.period
            .start
            .cmp(&b.period.start)
            .then(b.period.end.cmp(&a.period.end))
    });
    Ok(out)
}

/// The parts of an item: kind, year and the number after `H`/`Q` (0 for a year).
fn parts(item: &str) -> Result<(Kind, i32, u32), String> {
    let up = item.to_ascii_uppercase();
    let bad = || {
        format!("`{item}` is not a period: write a year (2025), a half-year (2025H1), a quarter (2025Q3) or a fiscal year (FY2025)")
    };
    let year = |s: &str| -> Result<i32, String> {
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    if let Some(y) = up.strip_prefix("FY") {
        return Ok((Kind::FiscalYear, year(y)?, 0));
    }
    if up.len() == 4 {
        return Ok((Kind::Year, year(&up)?, 0));
    }
    if up.len() == 6 {
        let (y, rest) = up.split_at(4);
        let n = rest[1..].parse::<u32>().map_err(|_| bad())?;
        return match &rest[..1] {
            "H" if (1..=2).contains(&n) => Ok((Kind::Half, year(y)?, n)),
            "Q" if (1..=4).contains(&n) => Ok((Kind::Quarter, year(y)?, n)),
            "H" => Err(format!("`{item}`: a year has two halves, H1 and H2")),
            "Q" => Err(format!("`{item}`: a year has four quarters, Q1 to Q4")),
            _ => Err(bad()),
        };
    }
    Err(bad())
}

/// One period of the spec's grammar (`2025`, `2025H1`, `2025Q3`, `FY2025`): `[period] half`
/// and `quarter`, and `build --period`.
pub fn one_period(
    item: &str,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<SpecPeriod, String> {
    one(item.trim(), fiscal)
}

fn one(item: &str, fiscal: Option<(NaiveDate, NaiveDate)>) -> Result<SpecPeriod, String> {
    let (kind, y, n) = parts(item)?;
    make(kind, y, n, fiscal)
}

fn range(
    a: &str,
    b: &str,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<SpecPeriod>, String> {
    let (ka, ya, na) = parts(a)?;
    let (kb, yb, nb) = parts(b)?;
    if ka != kb {
        return Err(format!(
            "`{a}..{b}`: both ends of a range must be of one kind (years, half-years, quarters or fiscal years)"
        ));
    }
    let per_year = match ka {
        Kind::Half => 2,
        Kind::Quarter => 4,
        Kind::Year | Kind::FiscalYear => 1,
    };
    // Periods numbered from year 0, so a range of halves or quarters crosses years simply.
    let index = |y: i32, n: u32| i64::from(y) * per_year + i64::from(n.max(1)) - 1;
    let (from, to) = (index(ya, na), index(yb, nb));
    if to < from {
        return Err(format!("`{a}..{b}` ends before it starts"));
    }
    if to - from >= MAX_PERIODS as i64 {
        return Err(format!("`{a}..{b}` names more than {MAX_PERIODS} periods"));
    }
    (from..=to)
        .map(|i| {
            let y = i.div_euclid(per_year) as i32;
            let n = match ka {
                Kind::Year | Kind::FiscalYear => 0,
                _ => i.rem_euclid(per_year) as u32 + 1,
            };
            make(ka, y, n, fiscal)
        })
        .collect()
}

fn make(
    kind: Kind,
    y: i32,
    n: u32,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<SpecPeriod, String> {
    let (start, end) = match kind {
        Kind::Year => year_bounds(y)?,
        Kind::Half | Kind::Quarter => {
            year_bounds(y)?;
            let months = if kind == Kind::Half { 6 } else { 3 };
            let first = 1 + (n - 1) * months;
            let start = NaiveDate::from_ymd_opt(y, first, 1)
                .ok_or_else(|| format!("{y}: not a valid year"))?;
            let end = start
                .checked_add_months(Months::new(months))
                .and_then(|d| d.pred_opt())
                .ok_or_else(|| format!("{y}: not a valid year"))?;
            (start, end)
        }
        Kind::FiscalYear => fiscal_year(y, fiscal)?,
    };
    let label = match kind {
        Kind::Year => y.to_string(),
        Kind::Half => format!("{y}H{n}"),
        Kind::Quarter => format!("{y}Q{n}"),
        Kind::FiscalYear => format!("FY{y}"),
    };
    check_label(&label)?;
    crate::schema::check_date(start).map_err(|m| format!("{label}: {m}"))?;
    crate::schema::check_date(end).map_err(|m| format!("{label}: {m}"))?;
    Ok(SpecPeriod {
        kind,
        period: Period::new(Some(label), start, end)?,
    })
}

/// The fiscal year ending in `y`, with the config's `[period]` as the pattern.
fn fiscal_year(
    y: i32,
    fiscal: Option<(NaiveDate, NaiveDate)>,
) -> Result<(NaiveDate, NaiveDate), String> {
    let Some((start, end)) = fiscal else {
        return Err(format!(
            "FY{y}: a fiscal year needs `[period] start` and `end` in report.toml (one fiscal year, e.g. start = 2024-09-01, end = 2025-08-31)"
        ));
    };
    let twelve = start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt());
    if twelve != Some(end) {
        return Err(format!(
            "FY{y}: the config's [period] ({start} to {end}) is not twelve months, so it does not define a fiscal year"
        ));
    }
    // Shift the pattern by whole years so that it ends in `y`; 29 February is not a fiscal
    // boundary anyone uses, and chrono moves it to the 28th.
    let shift = y - end.year();
    let move_by = |d: NaiveDate| -> Option<NaiveDate> {
        if shift >= 0 {
            d.checked_add_months(Months::new(shift.unsigned_abs() * 12))
        } else {
            d.checked_sub_months(Months::new(shift.unsigned_abs() * 12))
        }
    };
    let s = move_by(start).ok_or_else(|| format!("FY{y} is out of range"))?;
    let e = s
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| format!("FY{y} is out of range"))?;
    year_bounds(e.year())?;
    Ok((s, e))
}

#[cfg(test)]
mod tests;
