//! Cell-level rules of SPEC §3: timestamps, enums, integers, flags.
//!
//! Each parser returns a plain message on failure; `load` adds file, line, column and value.

use chrono::{DateTime, Datelike, LocalResult, Month, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::config::calendar::days_from_civil;
use crate::schema::{year_out_of_range, MAX_YEAR, MIN_YEAR};

/// Accepted timestamp forms, quoted in every timestamp error so the operator can fix the cell.
pub const TIMESTAMP_FORMS: &str =
    "accepted forms: 2025-03-04T10:15:00Z, 2025-03-04T10:15:00+01:00, \
2025-03-04T10:15[:00] or 2025-03-04 10:15[:00] (local time), 2025-03-04 (local midnight)";

/// An instant with its local calendar date in the configured timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Seconds since the Unix epoch (UTC).
    pub secs: i64,
    /// Local date as days since 0001-01-01 (chrono's `num_days_from_ce`).
    pub day: i32,
}

/// Parses one timestamp cell (already trimmed, non-empty).
pub fn parse_timestamp(s: &str, tz: &Tz) -> Result<Stamp, String> {
    let stamp = parse_any(s, tz).ok_or_else(|| not_a_timestamp(s))?;
    check_year(stamp)
}

/// Why a cell is not a timestamp: a date or time that cannot exist is named as such
/// ("February 2025 has 28 days"); anything else gets the accepted forms.
fn not_a_timestamp(s: &str) -> String {
    impossible_date(s.as_bytes()).unwrap_or_else(|| format!("not a timestamp; {TIMESTAMP_FORMS}"))
}

/// For a cell shaped like `YYYY-MM-DD[( |T)HH:MM…]` whose month, day, hour or minute cannot
/// exist, says which.
fn impossible_date(b: &[u8]) -> Option<String> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if !(1..=12).contains(&m) {
        return Some(format!(
            "there is no month {m:02} (months are 01–12; the form is YYYY-MM-DD)"
        ));
    }
    let last = (28..=31)
        .rev()
        .find(|&day| NaiveDate::from_ymd_opt(y as i32, m, day).is_some())?;
    // English, as every message of the tool; chrono holds the one list of month names.
    let month = Month::try_from(m as u8).ok()?.name();
    if d == 0 || d > last {
        return Some(format!("{month} {y} has {last} days"));
    }
    if b.len() >= 16 && b[13] == b':' {
        let (h, min) = (digits(11..13)?, digits(14..16)?);
        if h > 23 {
            return Some(format!("there is no hour {h:02} (hours are 00–23)"));
        }
        if min > 59 {
            return Some(format!("there is no minute {min:02} (minutes are 00–59)"));
        }
    }
    None
}

/// `num_days_from_ce` of 1970-01-01.
const UNIX_EPOCH_DAY: i32 = days_from_ce(1970, 1, 1);
/// `num_days_from_ce` of the first and the last accepted day.
const FIRST_DAY: i32 = days_from_ce(MIN_YEAR, 1, 1);
const LAST_DAY: i32 = days_from_ce(MAX_YEAR, 12, 31);

/// chrono's `num_days_from_ce` (0001-01-01 is day 1) of a real date, at compile time
/// (Howard Hinnant's `days_from_civil`).
const fn days_from_ce(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + 719_163
}

fn check_year(stamp: Stamp) -> Result<Stamp, String> {
    if (FIRST_DAY..=LAST_DAY).contains(&stamp.day) {
        return Ok(stamp);
    }
    let year = NaiveDate::from_num_days_from_ce_opt(stamp.day)
        .map(|d| d.year())
        .unwrap_or(0);
    Err(year_out_of_range(year))
}

/// [`parse_timestamp`] for many cells: the fixed-width forms (`2025-03-04`,
/// `2025-03-04T10:15[:00]`, `…T10:15:00Z`, `…T10:15:00+01:00`, `T`, `t` or space) are read by
/// hand, and the zone's UTC offset is cached per day, so chrono and chrono-tz only see the
/// rare other forms and the days of a clock change. Results are identical to
/// `parse_timestamp` (a property test checks it).
pub struct TimestampParser {
    tz: Tz,
    /// UTC day → offset in force for the whole day.
    utc_days: Box<[Slot]>,
    /// Local day → offset in force for the whole day (every local time of the day exists once).
    local_days: Box<[Slot]>,
}

#[derive(Clone, Copy)]
struct Slot {
    day: i64,
    /// Seconds east of UTC, or `MIXED` when the offset changes during the day.
    offset: i32,
}

const EMPTY_SLOT: Slot = Slot {
    day: i64::MIN,
    offset: 0,
};
const MIXED: i32 = i32::MIN;
const CACHE_DAYS: usize = 2048;

impl TimestampParser {
    pub fn new(tz: Tz) -> Self {
        TimestampParser {
            tz,
            utc_days: vec![EMPTY_SLOT; CACHE_DAYS].into_boxed_slice(),
            local_days: vec![EMPTY_SLOT; CACHE_DAYS].into_boxed_slice(),
        }
    }

    pub fn parse(&mut self, s: &str) -> Result<Stamp, String> {
        match self.fast(s.as_bytes()) {
            Some(stamp) => check_year(stamp),
            None => parse_timestamp(s, &self.tz),
        }
    }

    /// Local calendar day (days from CE) of an instant.
    pub fn local_day(&mut self, secs: i64) -> Option<i32> {
        let day = secs.div_euclid(86_400);
        let slot = &mut self.utc_days[day.rem_euclid(CACHE_DAYS as i64) as usize];
        if slot.day != day {
            let first = offset_at_utc(&self.tz, day * 86_400);
            let last = offset_at_utc(&self.tz, day * 86_400 + 86_399);
            *slot = Slot {
                day,
                offset: match (first, last) {
                    (Some(a), Some(b)) if a == b => a,
                    _ => MIXED,
                },
            };
        }
        if slot.offset == MIXED {
            return local_day(secs, &self.tz);
        }
        let local = (secs + i64::from(slot.offset)).div_euclid(86_400);
        i32::try_from(local).ok()?.checked_add(UNIX_EPOCH_DAY)
    }

    fn fast(&mut self, b: &[u8]) -> Option<Stamp> {
        let days = civil_days(b.get(..10)?)?;
        if b.len() == 10 {
            return self.local_stamp(days, 0);
        }
        if !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let hm = i64::from(two(b, 11, 23)?) * 3600 + i64::from(two(b, 14, 59)?) * 60;
        if b[13] != b':' {
            return None;
        }
        if b.len() == 16 {
            return self.local_stamp(days, hm);
        }
        if b.len() < 19 || b[16] != b':' {
            return None;
        }
        let time = hm + i64::from(two(b, 17, 59)?);
        let wall = days * 86_400 + time;
        match b.len() {
            19 => self.local_stamp(days, time),
            20 if matches!(b[19], b'Z' | b'z') => self.utc_stamp(wall),
            25 if matches!(b[19], b'+' | b'-') && b[22] == b':' => {
                let off = i64::from(two(b, 20, 23)?) * 3600 + i64::from(two(b, 23, 59)?) * 60;
                self.utc_stamp(if b[19] == b'+' {
                    wall - off
                } else {
                    wall + off
                })
            }
            _ => None,
        }
    }

    fn utc_stamp(&mut self, secs: i64) -> Option<Stamp> {
        Some(Stamp {
            secs,
            day: self.local_day(secs)?,
        })
    }

    /// Local wall-clock time (days since 1970-01-01, seconds into the day) → instant; `None`
    /// on a day with a clock change (the caller then asks chrono-tz, which knows the rules
    /// for gaps and overlaps).
    fn local_stamp(&mut self, days: i64, time: i64) -> Option<Stamp> {
        let slot = &mut self.local_days[days.rem_euclid(CACHE_DAYS as i64) as usize];
        if slot.day != days {
            let first = offset_at_local(&self.tz, days * 86_400);
            let last = offset_at_local(&self.tz, days * 86_400 + 86_399);
            *slot = Slot {
                day: days,
                offset: match (first, last) {
                    (Some(a), Some(b)) if a == b => a,
                    _ => MIXED,
                },
            };
        }
        if slot.offset == MIXED {
            return None;
        }
        Some(Stamp {
            secs: days * 86_400 + time - i64::from(slot.offset),
            day: i32::try_from(days).ok()?.checked_add(UNIX_EPOCH_DAY)?,
        })
    }
}

/// Two ASCII digits at `b[i..i + 2]`, at most `max`.
fn two(b: &[u8], i: usize, max: u32) -> Option<u32> {
    let (h, l) = (*b.get(i)?, *b.get(i + 1)?);
    if !h.is_ascii_digit() || !l.is_ascii_digit() {
        return None;
    }
    let v = u32::from(h - b'0') * 10 + u32::from(l - b'0');
    (v <= max).then_some(v)
}

/// `YYYY-MM-DD` (a real date) → days since 1970-01-01.
fn civil_days(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = i64::from(two(b, 0, 99)? * 100 + two(b, 2, 99)?);
    let m = i64::from(two(b, 5, 12)?);
    let d = i64::from(two(b, 8, 31)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > dim {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn offset_at_utc(tz: &Tz, secs: i64) -> Option<i32> {
    use chrono::Offset;
    let t = DateTime::from_timestamp(secs, 0)?;
    Some(
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

/// The offset of a local time that exists exactly once.
fn offset_at_local(tz: &Tz, local_secs: i64) -> Option<i32> {
    use chrono::Offset;
    let ndt = DateTime::from_timestamp(local_secs, 0)?.naive_utc();
    match tz.offset_from_local_datetime(&ndt) {
        LocalResult::Single(o) => Some(o.fix().local_minus_utc()),
        _ => None,
    }
}

fn parse_any(s: &str, tz: &Tz) -> Option<Stamp> {
    let b = s.as_bytes();
    if b.len() == 10 {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        return local_to_stamp(d.and_hms_opt(0, 0, 0)?, tz);
    }
    if b.len() < 16 || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    // Normalise the separator so one RFC 3339 parser covers `T`, `t` and space.
    let mut norm = String::with_capacity(s.len());
    norm.push_str(&s[..10]);
    norm.push('T');
    norm.push_str(&s[11..]);
    let rest = &norm[11..];
    let has_offset = rest.ends_with('Z')
        || rest.ends_with('z')
        || rest.rfind(['+', '-']).is_some_and(|i| i >= 5);
    if has_offset {
        let norm = if norm.ends_with('z') {
            format!("{}Z", &norm[..norm.len() - 1])
        } else {
            norm
        };
        let dt = DateTime::parse_from_rfc3339(&norm)
            .or_else(|_| DateTime::parse_from_str(&norm, "%Y-%m-%dT%H:%M%:z"))
            .ok()?;
        let secs = dt.timestamp();
        return Some(Stamp {
            secs,
            day: local_day(secs, tz)?,
        });
    }
    let ndt = NaiveDateTime::parse_from_str(&norm, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(&norm, "%Y-%m-%dT%H:%M"))
        .ok()?;
    local_to_stamp(ndt, tz)
}

/// Local wall-clock time → instant. In the autumn overlap the earlier instant is taken; a time
/// in the spring gap (which no clock showed) is read with the offset in force before the change.
fn local_to_stamp(ndt: NaiveDateTime, tz: &Tz) -> Option<Stamp> {
    let secs = match tz.from_local_datetime(&ndt) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, _) => a.timestamp(),
        LocalResult::None => {
            let before = ndt - chrono::Duration::hours(3);
            let off = match tz.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    t.naive_local() - t.naive_utc()
                }
                LocalResult::None => return None,
            };
            (ndt - off).and_utc().timestamp()
        }
    };
    Some(Stamp {
        secs,
        day: ndt.date().num_days_from_ce(),
    })
}

/// Local calendar day (days from CE) of an instant in `tz`.
pub fn local_day(secs: i64, tz: &Tz) -> Option<i32> {
    let t = DateTime::from_timestamp(secs, 0)?;
    Some(t.with_timezone(tz).date_naive().num_days_from_ce())
}

/// `yes`/`no`/`true`/`false` (any case); empty = no.
#[inline]
pub fn parse_flag(s: &str) -> Result<bool, String> {
    let is = |w: &str| s.eq_ignore_ascii_case(w);
    if s.is_empty() || is("no") || is("false") {
        Ok(false)
    } else if is("yes") || is("true") {
        Ok(true)
    } else {
        Err("expected yes or no (also true or false; empty means no)".into())
    }
}

/// A whole number of days, 0 or more.
pub fn parse_days(s: &str) -> Result<u32, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must be a whole number of days, 0 or more".into());
    }
    s.parse::<u32>()
        .map_err(|_| "is too large for a number of days".into())
}

/// Matches a cell against a list of keys, case-insensitively; on failure the message lists the
/// keys and, when one is close, suggests it.
pub fn parse_enum(s: &str, keys: &[String], what: &str) -> Result<u32, String> {
    if let Some(i) = keys.iter().position(|k| k.eq_ignore_ascii_case(s)) {
        return Ok(i as u32);
    }
    let mut msg = format!("unknown {what}; expected one of: {}", keys.join(", "));
    if let Some(best) = closest(s, keys) {
        msg.push_str(&format!(" (did you mean `{best}`?)"));
    }
    Err(msg)
}

/// The key within a small edit distance of `s`, if any.
pub fn closest<'a>(s: &str, keys: &'a [String]) -> Option<&'a str> {
    let s = s.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in keys {
        let d = distance(&s, &k.to_ascii_lowercase());
        let limit = (k.len().max(s.len()) / 3).max(1);
        let prefix =
            k.len() >= 4 && s.len() >= 4 && (k.starts_with(&s) || s.starts_with(k.as_str()));
        if (d <= limit || prefix) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Edit distance over the first 64 characters of each: a hostile header cell of megabytes
/// must not cost a quadratic comparison with every key.
fn distance(a: &str, b: &str) -> usize {
    let head = |s: &str| -> String { s.chars().take(64).collect() };
    strsim::levenshtein(&head(a), &head(b))
}

/// Shortens a cell for an error message: long or control-laden values must not flood the screen.
pub fn shorten(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .take(61)
        .collect();
    if clean.chars().count() > 60 {
        let cut: String = clean.chars().take(57).collect();
        format!("{cut}…")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests;
