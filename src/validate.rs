//! Cell-level rules of SPEC §3: timestamps, enums, integers, flags.
//!
//! Each parser returns a plain message on failure; `load` adds file, line, column and value.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Accepted timestamp forms, quoted in every timestamp error so the operator can fix the cell.
pub const TIMESTAMP_FORMS: &str =
    "accepted forms: 2025-03-04T10:15:00Z, 2025-03-04T10:15:00+01:00, \
2025-03-04T10:15[:00] or 2025-03-04 10:15[:00] (local time), 2025-03-04 (local midnight)";

/// Oldest and newest years accepted: outside them a date is certainly a typo or a placeholder.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2999;

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
    let stamp = parse_any(s, tz).ok_or_else(|| format!("not a timestamp; {TIMESTAMP_FORMS}"))?;
    let year = NaiveDate::from_num_days_from_ce_opt(stamp.day)
        .map(|d| d.year())
        .unwrap_or(0);
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!(
            "year {year} is outside {MIN_YEAR}–{MAX_YEAR}; check the date"
        ));
    }
    Ok(stamp)
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
pub fn parse_flag(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "" | "no" | "false" => Ok(false),
        "yes" | "true" => Ok(true),
        _ => Err("expected yes or no (also true or false; empty means no)".into()),
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
        let d = levenshtein(&s, &k.to_ascii_lowercase());
        let limit = (k.len().max(s.len()) / 3).max(1);
        let prefix =
            k.len() >= 4 && s.len() >= 4 && (k.starts_with(&s) || s.starts_with(k.as_str()));
        if (d <= limit || prefix) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
mod tests {
    use super::*;

    fn chicago() -> Tz {
        chrono_tz::America::Chicago
    }

    fn day(y: i32, m: u32, d: u32) -> i32 {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().num_days_from_ce()
    }

    #[test]
    fn rfc3339_with_offsets_and_local_date() {
        let tz = chicago();
        // 1 Jan 03:30 UTC is still 31 Dec in Chicago.
        let s = parse_timestamp("2026-01-01T03:30:00Z", &tz).unwrap();
        assert_eq!(s.secs, 1_767_238_200);
        assert_eq!(s.day, day(2025, 12, 31));
        let o = parse_timestamp("2025-03-04T10:15:00+01:00", &tz).unwrap();
        assert_eq!(
            o.secs,
            parse_timestamp("2025-03-04T09:15:00Z", &tz).unwrap().secs
        );
        assert_eq!(
            parse_timestamp("2025-03-04 09:15:00z", &tz).unwrap().secs,
            o.secs
        );
    }

    #[test]
    fn naive_and_date_only_are_local() {
        let tz = chicago();
        // CST is UTC-6 in March before the change.
        let a = parse_timestamp("2025-03-04T10:15", &tz).unwrap();
        let b = parse_timestamp("2025-03-04 10:15:00", &tz).unwrap();
        let c = parse_timestamp("2025-03-04T16:15:00Z", &tz).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.secs, c.secs);
        let d = parse_timestamp("2025-03-04", &tz).unwrap();
        assert_eq!(
            d.secs,
            parse_timestamp("2025-03-04T06:00:00Z", &tz).unwrap().secs
        );
        assert_eq!(d.day, day(2025, 3, 4));
    }

    #[test]
    fn dst_gap_and_overlap() {
        let tz = chicago();
        // 2025-03-09 02:30 does not exist in Chicago: read with CST (-6) → 08:30Z.
        let gap = parse_timestamp("2025-03-09T02:30", &tz).unwrap();
        assert_eq!(
            gap.secs,
            parse_timestamp("2025-03-09T08:30:00Z", &tz).unwrap().secs
        );
        // 2025-11-02 01:30 happens twice: the earlier (CDT, -5) → 06:30Z.
        let amb = parse_timestamp("2025-11-02T01:30", &tz).unwrap();
        assert_eq!(
            amb.secs,
            parse_timestamp("2025-11-02T06:30:00Z", &tz).unwrap().secs
        );
    }

    #[test]
    fn bad_timestamps_explain_the_forms() {
        let tz = chicago();
        for bad in [
            "03/04/2025",
            "2025-13-01",
            "2025-02-30T10:00",
            "yesterday",
            "2025-03-04T25:00",
        ] {
            let e = parse_timestamp(bad, &tz).unwrap_err();
            assert!(e.contains("accepted forms"), "{bad}: {e}");
        }
        assert!(parse_timestamp("0000-01-01", &tz)
            .unwrap_err()
            .contains("year 0"));
        assert!(parse_timestamp("9999-12-31T00:00:00Z", &tz)
            .unwrap_err()
            .contains("9999"));
    }

    #[test]
    fn enums_flags_days() {
        let keys: Vec<String> = ["intimidation", "impersonation", "age"]
            .map(String::from)
            .to_vec();
        assert_eq!(parse_enum("AGE", &keys, "category"), Ok(2));
        let e = parse_enum("intimdation", &keys, "category").unwrap_err();
        assert!(e.contains("did you mean `intimidation`?"), "{e}");
        assert!(!parse_enum("zzz", &keys, "category")
            .unwrap_err()
            .contains("did you mean"));
        assert_eq!(parse_flag("YES"), Ok(true));
        assert_eq!(parse_flag(""), Ok(false));
        assert!(parse_flag("maybe").is_err());
        assert_eq!(parse_days("14"), Ok(14));
        for bad in ["-1", "1.5", "1e3", "99999999999"] {
            assert!(parse_days(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shorten_long_values() {
        let long = "x".repeat(10_000_000);
        assert_eq!(shorten(&long).chars().count(), 58);
        assert_eq!(shorten("a\nb"), "a\u{fffd}b");
    }
}
