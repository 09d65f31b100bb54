//! When reports arrive: the year's hours weighted by season, business day and time of day.

use crate::config::calendar::{civil_from_days, Calendar};

use super::rng::Rng;
use super::zone::Offsets;
use super::{DAY, HOUR};

/// Seasonal weight of each month: the summer conference season is busy, August and the
/// holidays are quiet.
const MONTH_WEIGHTS: [u64; 12] = [100, 100, 105, 100, 105, 125, 110, 85, 100, 105, 95, 75];
/// Weight of each local hour of the day: reports follow working hours, with evenings.
const HOUR_WEIGHTS: [u64; 24] = [
    8, 8, 8, 8, 8, 8, 20, 45, 80, 100, 100, 100, 100, 100, 100, 100, 100, 80, 60, 50, 50, 50, 30,
    15,
];
const WORKDAY_WEIGHT: u64 = 100;
const DAY_OFF_WEIGHT: u64 = 45;

/// Report times: the year cut into hour cells weighted by season, weekday, hour and a
/// per-day noise; row k takes a jittered point of the k-th of `rows` equal strata of that
/// distribution, so rows come out in time order without storing or sorting them.
pub(super) struct Arrivals {
    start: i64,
    /// The instant the year ends (exclusive).
    pub(super) end: i64,
    /// Cumulative cell weights, starting with 0.
    cum: Vec<u64>,
    /// total / rows, and its remainder: the stratum width, stepped without a u128 division
    /// per row.
    width: u64,
    remainder: u64,
    rows: u64,
    /// ⌊k·total / rows⌋ and (k·total mod rows) for the next row k.
    stratum: u64,
    carry: u64,
    cell: usize,
}

impl Arrivals {
    pub(super) fn new(
        start: i64,
        end: i64,
        rows: u64,
        offsets: &Offsets,
        calendar: &Calendar,
        rng: &mut Rng,
    ) -> Arrivals {
        let first_day = (start + i64::from(offsets.at(start))).div_euclid(DAY);
        let last_day = (end - 1 + i64::from(offsets.at(end - 1))).div_euclid(DAY);
        // Day-to-day variation, with the odd flare-up (a heated thread brings many reports).
        let noise: Vec<u64> = (first_day..=last_day)
            .map(|_| {
                let base = 55 + rng.below(91);
                if rng.per_mille(15) {
                    base * 3
                } else {
                    base
                }
            })
            .collect();
        let mut cum = vec![0u64];
        let mut total = 0u64;
        let mut t = start;
        while t < end {
            let local = t + i64::from(offsets.at(t));
            let day = local.div_euclid(DAY);
            let hour = (local.rem_euclid(DAY) / HOUR) as usize;
            let (_, month, _) = civil_from_days(day);
            let rhythm = if calendar.is_business_day(day) {
                WORKDAY_WEIGHT
            } else {
                DAY_OFF_WEIGHT
            };
            let jitter = usize::try_from(day - first_day)
                .ok()
                .and_then(|i| noise.get(i).copied())
                .unwrap_or(100);
            let month_weight = MONTH_WEIGHTS[(month as usize + 11) % 12];
            total += month_weight * rhythm * HOUR_WEIGHTS[hour % 24] * jitter;
            cum.push(total);
            t += HOUR;
        }
        if cum.len() < 2 {
            // Only a zero-length year could get here; one empty cell keeps `next` simple.
            cum.push(1);
        }
        let total = cum[cum.len() - 1];
        let rows = rows.max(1);
        Arrivals {
            start,
            end,
            cum,
            width: total / rows,
            remainder: total % rows,
            rows,
            stratum: 0,
            carry: 0,
            cell: 0,
        }
    }

    /// Report instant of the next row; `r` is a uniform jitter. Never decreases.
    pub(super) fn next(&mut self, r: u64) -> i64 {
        // Within [⌊k·total/rows⌋, ⌊k·total/rows⌋ + ⌊total/rows⌋), which lies below the next
        // stratum's start and below total.
        let x = self.stratum + ((u128::from(r) * u128::from(self.width)) >> 64) as u64;
        self.stratum += self.width;
        self.carry += self.remainder;
        if self.carry >= self.rows {
            self.carry -= self.rows;
            self.stratum += 1;
        }
        while self.cell + 2 < self.cum.len() && self.cum[self.cell + 1] <= x {
            self.cell += 1;
        }
        let lo = self.cum[self.cell];
        let weight = (self.cum[self.cell + 1] - lo).max(1);
        let cell_start = self.start + self.cell as i64 * HOUR;
        let len = (self.end - cell_start).clamp(0, HOUR) as u64;
        // Cell weights stay below 2^30 and `len` ≤ 3600, so this cannot overflow.
        cell_start + (x.saturating_sub(lo).min(weight - 1) * len / weight) as i64
    }
}
