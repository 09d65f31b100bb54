//! Dates as day numbers, and the business-day calendar of the acknowledgement promise.
//!
//! One arithmetic for the loader, the figures and the sample generator, so they can never
//! disagree on which day a timestamp falls on or when an acknowledgement is due (SPEC §5:
//! the target is the N-th business day after the local report date).
//!
//! A day number counts days since 1970-01-01, as Unix time does (`secs.div_euclid(86_400)`);
//! plain integers keep the per-row paths (parsing timestamps, writing the sample) free of
//! chrono calls. Those paths live in other modules, hence `#[inline]`: without it a release
//! build (several codegen units, no LTO) may keep them as calls.

use chrono::{Datelike, NaiveDate};

use super::Config;

/// chrono's `num_days_from_ce` of 1970-01-01: the loader's local dates count from CE.
pub const CE_DAY_OF_1970: i32 = 719_163;

/// Day number → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm: a few integer
/// operations instead of a chrono call per timestamp).
#[inline]
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) → day number; the inverse of [`civil_from_days`]. The date is not
/// checked: callers pass a real date.
#[inline]
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day number of a date.
pub fn day_number(date: NaiveDate) -> i64 {
    days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

/// The config's business days: its weekdays minus its holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Bit 0 = Monday; never empty, so every search for a business day ends.
    weekdays: u8,
    /// Sorted day numbers.
    holidays: Vec<i64>,
}

impl Calendar {
    /// Fails when `business_days` names no weekday or something that is not one.
    pub fn from_config(c: &Config) -> Result<Calendar, String> {
        let weekdays = c
            .weekdays()?
            .iter()
            .fold(0u8, |m, w| m | 1 << w.num_days_from_monday());
        let mut holidays: Vec<i64> = c.holidays.iter().map(|&d| day_number(d)).collect();
        holidays.sort_unstable();
        Ok(Calendar { weekdays, holidays })
    }

    #[inline]
    pub fn is_business_day(&self, day: i64) -> bool {
        // 1970-01-01 was a Thursday (3 days after Monday).
        let weekday = (day + 3).rem_euclid(7);
        self.weekdays & (1 << weekday) != 0 && self.holidays.binary_search(&day).is_err()
    }

    /// The `n`-th business day after `day`; `n` ≤ 0 gives `day` itself (a target of 0 days
    /// means the report date).
    pub fn nth_business_day_after(&self, day: i64, n: i64) -> i64 {
        let mut d = day;
        let mut left = n;
        // No iteration bound is needed: at least one weekday is a business day and the
        // holiday list is finite, so past its last entry every week brings one.
        while left > 0 {
            d += 1;
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests;
