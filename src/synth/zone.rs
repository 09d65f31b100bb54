//! The configured time zone, seen from the generator: UTC offsets cached per hour, and where
//! local days start.

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::Tz;

use super::{DAY, HOUR};

/// UTC offsets of the configured zone, cached per hour over the span the export covers.
pub(super) struct Offsets {
    tz: Tz,
    base: i64,
    hours: Vec<i32>,
}

/// Marks an hour with a DST change inside it: those few fall back to an exact lookup.
const MIXED: i32 = i32::MIN;

impl Offsets {
    pub(super) fn new(tz: Tz, from: i64, to: i64) -> Offsets {
        let n = usize::try_from((to - from) / HOUR + 1).unwrap_or(0);
        let hours = (0..n as i64)
            .map(|i| {
                let t = from + i * HOUR;
                let first = exact_offset(tz, t);
                // Zones change at most once within an hour, so equal ends mean a constant hour.
                if first == exact_offset(tz, t + HOUR - 1) {
                    first
                } else {
                    MIXED
                }
            })
            .collect();
        Offsets {
            tz,
            base: from,
            hours,
        }
    }

    /// The offsets of the cached hours without a change, in time order.
    pub(super) fn steady(&self) -> impl Iterator<Item = i32> + '_ {
        self.hours.iter().copied().filter(|&o| o != MIXED)
    }

    /// Seconds east of UTC at the instant `utc`.
    pub(super) fn at(&self, utc: i64) -> i32 {
        // Unsigned division by a constant is a multiplication; an instant before `base`
        // wraps to a huge index and misses the cache like one after the end.
        let hour = (utc.wrapping_sub(self.base) as u64) / HOUR as u64;
        let cached = usize::try_from(hour)
            .ok()
            .and_then(|h| self.hours.get(h).copied());
        match cached {
            Some(o) if o != MIXED => o,
            _ => exact_offset(self.tz, utc),
        }
    }

    /// The instant a wall-clock time (seconds as if it were UTC) means. A time inside a
    /// spring-forward gap lands an hour off, which is harmless for synthetic replies.
    pub(super) fn local_to_utc(&self, local: i64) -> i64 {
        let guess = local - i64::from(self.at(local));
        local - i64::from(self.at(guess))
    }
}

// Cold: the per-hour cache answers all but a handful of lookups, and keeping this out of
// line keeps the formatting loop small.
#[cold]
#[inline(never)]
pub(super) fn exact_offset(tz: Tz, utc: i64) -> i32 {
    // Instants here are within a few years of a year checked to be 1970–2999, which chrono
    // always represents; 0 is only a formal fallback.
    DateTime::from_timestamp(utc, 0).map_or(0, |dt| {
        tz.offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc()
    })
}

/// The first instant of local day `day` (days since 1970-01-01).
pub(super) fn start_of_local_day(tz: Tz, day: i64) -> i64 {
    let local = day * DAY;
    let first = DateTime::from_timestamp(local, 0)
        .and_then(|dt| tz.from_local_datetime(&dt.naive_utc()).earliest());
    match first {
        Some(dt) => dt.timestamp(),
        // Midnight skipped by a DST change: the day starts at the change, which is where the
        // previous offset's clock reads midnight.
        None => local - i64::from(exact_offset(tz, local - DAY)),
    }
}
