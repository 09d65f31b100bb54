//! `sample`: a deterministic synthetic case export (SPEC §3) for demos, tests and benchmarks.
//!
//! The same (rows, year, seed, config) must give a byte-identical file on every machine, for
//! ever, because published examples and benchmark baselines are pinned by hash. Hence:
//! - the PRNG (SplitMix64) lives here, not in `rand`, whose streams change between versions;
//! - every probability is an integer weight: no `ln`/`exp`, whose last bit differs between
//!   maths libraries, so no float ever decides a value;
//! - only ordered collections are iterated.
//!
//! The export looks like what a tracker gives on a day shortly after the year ends: rows in
//! the order cases arrived, case ids counting up, and whatever happened after that day not
//! yet recorded (open cases, pending appeals).
//!
//! Speed matters because the benchmarks use 10-million-row files: each row is formatted by
//! hand into one reused buffer, and time zone offsets come from a per-hour cache instead of
//! a chrono-tz lookup per timestamp.

use std::io::Write;

use chrono::{DateTime, Datelike, Offset, TimeZone};
use chrono_tz::Tz;

use crate::config::{year_bounds, Config};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Data rows, not counting the header.
    pub rows: u64,
    /// The year (local dates in `config.timezone`) the cases were reported in.
    pub year: i32,
    pub seed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error("cannot write the sample export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot generate a sample export: {0}")]
    Invalid(String),
}

/// The header row, in the column order of SPEC §3.
pub const HEADER: &str = "case_id,reported_at,platform,category,moderation_level,reporter_type,\
action,suspension_days,interim_suspension,acknowledged_at,resolved_at,\
decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome,incident_id\n";

/// Writes a CSV export (header + `rows` rows) for cases reported in `year`, local time of
/// `config.timezone`, using `config.taxonomy` keys and `config.appealable_levels` /
/// `appeal_window_days`.
pub fn generate<W: Write>(
    opts: &SampleOptions,
    config: &Config,
    mut out: W,
) -> Result<(), SampleError> {
    let mut generator = Generator::new(opts, config)?;
    let mut buf = Vec::with_capacity(BUF_SIZE + 4096);
    buf.extend_from_slice(HEADER.as_bytes());
    for _ in 0..opts.rows {
        generator.write_row(&mut buf);
        if buf.len() >= BUF_SIZE {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(())
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Large writes, and a single allocation for the whole run.
const BUF_SIZE: usize = 1 << 20;

/// The export is taken at local midnight this many days into the next year: anything later
/// is simply not in the file yet (decisions, replies, appeals).
const EXPORT_DAYS_AFTER_YEAR: i64 = 10;

/// Cases stuck without a decision at any time of the year (per mille).
const STALLED_PER_MILLE: u64 = 10;
/// Cases of the year's last `BACKLOG_DAYS` days left for after the holidays (per mille):
/// with the natural lag this puts most open cases in December.
const BACKLOG_PER_MILLE: u64 = 550;
const BACKLOG_DAYS: i64 = 31;

/// Cases that list 2–3 Code sections (per mille).
const MULTI_CATEGORY_PER_MILLE: u64 = 125;
/// Reports about an incident already reported shortly before (per mille).
const SAME_INCIDENT_PER_MILLE: u64 = 110;
/// How many of the latest incidents a further report may be about.
const RECENT_INCIDENTS: usize = 6;

// Severity profiles of categories: they tilt the moderation level.
const MINOR: usize = 0;
const USUAL: usize = 1;
const SEVERE: usize = 2;

/// Relative frequency of the ALA categories; a key not listed here (another community's
/// taxonomy) gets `UNKNOWN_CATEGORY_WEIGHT`. Harassment grounds dominate, `other` is rare.
const CATEGORY_WEIGHTS: [(&str, u32, usize); 22] = [
    ("race_ethnicity", 140, USUAL),
    ("sex_gender", 130, USUAL),
    ("language", 25, USUAL),
    ("sexual_orientation", 75, USUAL),
    ("disability", 55, USUAL),
    ("appearance", 40, USUAL),
    ("age", 35, USUAL),
    ("religion_politics", 110, USUAL),
    ("marital_family", 15, USUAL),
    ("nationality_location", 45, USUAL),
    ("employment_military", 20, USUAL),
    ("socioeconomic", 25, USUAL),
    ("prohibited_content", 80, SEVERE),
    ("intimidation", 85, SEVERE),
    ("intellectual_property", 30, MINOR),
    ("political_endorsement", 45, MINOR),
    ("paid_promotion", 60, MINOR),
    ("job_posting", 50, MINOR),
    ("accessibility", 20, MINOR),
    ("impersonation", 15, SEVERE),
    ("sharing_member_content", 35, MINOR),
    ("other", 8, USUAL),
];
const UNKNOWN_CATEGORY_WEIGHT: u32 = 50;

const PLATFORM_WEIGHTS: [(&str, u32); 5] = [
    ("ala_connect", 56),
    ("social_media", 19),
    ("website", 12),
    ("blog", 8),
    ("online_publication", 5),
];

/// Level weights by tier (A, B, C, D for the ALA levels) for each severity profile.
const LEVEL_WEIGHTS: [[u32; 4]; 3] = [[60, 28, 9, 3], [34, 32, 21, 13], [14, 28, 30, 28]];

/// Action weights by tier: a minor case ends in a discussion, a severe one in a suspension.
const ACTION_WEIGHTS: [(&str, [u32; 4]); 6] = [
    ("no_action", [30, 0, 0, 0]),
    ("discussion", [55, 5, 0, 0]),
    ("warning", [15, 45, 10, 0]),
    ("content_removed", [0, 50, 20, 0]),
    ("temporary_suspension", [0, 0, 70, 55]),
    ("full_suspension", [0, 0, 0, 45]),
];

/// Suspension lengths in days by tier (only tiers that suspend use theirs).
const SUSPENSION_DAYS: [&[(u32, u64)]; 4] = [
    &[(1, 7)],
    &[(1, 7)],
    &[(35, 7), (25, 14), (10, 21), (30, 30)],
    &[(30, 30), (15, 45), (30, 60), (25, 90)],
];

/// Time from report to decision by tier, as (weight, from, to) spans: hours to days for the
/// minor cases, weeks to months for the severe ones, with a tail past 90 days.
const RESOLUTION: [&[(u32, i64, i64)]; 4] = [
    &[
        (30, HOUR, 8 * HOUR),
        (30, 8 * HOUR, DAY),
        (28, DAY, 3 * DAY),
        (9, 3 * DAY, 7 * DAY),
        (3, 7 * DAY, 21 * DAY),
    ],
    &[
        (15, 6 * HOUR, DAY),
        (30, DAY, 3 * DAY),
        (30, 3 * DAY, 7 * DAY),
        (20, 7 * DAY, 21 * DAY),
        (5, 21 * DAY, 60 * DAY),
    ],
    &[
        (10, DAY, 3 * DAY),
        (25, 3 * DAY, 7 * DAY),
        (45, 7 * DAY, 30 * DAY),
        (17, 30 * DAY, 90 * DAY),
        (3, 90 * DAY, 150 * DAY),
    ],
    &[
        (15, 5 * DAY, 14 * DAY),
        (30, 14 * DAY, 30 * DAY),
        (30, 30 * DAY, 60 * DAY),
        (15, 60 * DAY, 90 * DAY),
        (10, 90 * DAY, 200 * DAY),
    ],
];

/// Decision taken → decision sent to the parties.
const COMMUNICATION: [(u32, i64, i64); 4] = [
    (50, 2 * MINUTE, 2 * HOUR),
    (30, 2 * HOUR, DAY),
    (17, DAY, 4 * DAY),
    (3, 4 * DAY, 10 * DAY),
];

/// Appeal filed → decided.
const APPEAL_DECISION: [(u32, i64, i64); 3] = [
    (35, 3 * DAY, 14 * DAY),
    (45, 14 * DAY, 35 * DAY),
    (20, 35 * DAY, 80 * DAY),
];

const REPORTERS: [(u32, &str); 3] = [(65, "named"), (25, "anonymous"), (10, "moderator")];
const OUTCOMES: [(u32, &str); 4] = [
    (58, "upheld"),
    (14, "modified"),
    (12, "overturned"),
    (16, "withdrawn"),
];
/// An appeal the Code does not allow (wrong level, too late) is dismissed or dropped.
const DISMISSED_OUTCOMES: [(u32, &str); 2] = [(70, "upheld"), (30, "withdrawn")];

/// Appeal chance (per mille) after a communicated decision, on appealable levels and others.
const APPEAL_PER_MILLE: u64 = 330;
const INELIGIBLE_APPEAL_PER_MILLE: u64 = 5;
const LATE_APPEAL_PER_MILLE: u64 = 60;

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

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed here so streams never change.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` by multiply-shift; the bias (< n / 2^64) is far below what matters
    /// here, and it needs no rejection loop.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..hi`, or `lo` for an empty range.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi.abs_diff(lo)) as i64
        }
    }

    fn per_mille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }
}

/// A discrete distribution by integer weights.
struct Table<T> {
    cum: Vec<u32>,
    items: Vec<T>,
}

impl<T> Table<T> {
    /// Zero weights are dropped; `what` names the table if nothing is left.
    fn new(what: &str, pairs: impl IntoIterator<Item = (u32, T)>) -> Result<Table<T>, SampleError> {
        let mut cum = Vec::new();
        let mut items = Vec::new();
        let mut total = 0u32;
        for (w, item) in pairs {
            if w > 0 {
                total = total.saturating_add(w);
                cum.push(total);
                items.push(item);
            }
        }
        if items.is_empty() {
            return Err(SampleError::Invalid(format!(
                "{what}: nothing to choose from"
            )));
        }
        Ok(Table { cum, items })
    }

    fn pick(&self, rng: &mut Rng) -> &T {
        // `new` guarantees a non-empty table, and x < the last cumulative weight, so the
        // index is always in range.
        let total = self.cum[self.cum.len() - 1];
        let x = rng.below(u64::from(total)) as u32;
        &self.items[self.cum.partition_point(|&c| c <= x)]
    }
}

impl Table<(i64, i64)> {
    fn spans(what: &str, spans: &[(u32, i64, i64)]) -> Result<Table<(i64, i64)>, SampleError> {
        Table::new(what, spans.iter().map(|&(w, lo, hi)| (w, (lo, hi))))
    }

    fn duration(&self, rng: &mut Rng) -> i64 {
        let &(lo, hi) = self.pick(rng);
        rng.between(lo, hi)
    }
}

/// UTC offsets of the configured zone, cached per hour over the span the export covers.
struct Offsets {
    tz: Tz,
    base: i64,
    hours: Vec<i32>,
}

/// Marks an hour with a DST change inside it: those few fall back to an exact lookup.
const MIXED: i32 = i32::MIN;

impl Offsets {
    fn new(tz: Tz, from: i64, to: i64) -> Offsets {
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

    /// Seconds east of UTC at the instant `utc`.
    fn at(&self, utc: i64) -> i32 {
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
    fn local_to_utc(&self, local: i64) -> i64 {
        let guess = local - i64::from(self.at(local));
        local - i64::from(self.at(guess))
    }
}

// Cold: the per-hour cache answers all but a handful of lookups, and keeping this out of
// line keeps the formatting loop small.
#[cold]
#[inline(never)]
fn exact_offset(tz: Tz, utc: i64) -> i32 {
    // Instants here are within a few years of a year checked to be 1970–2999, which chrono
    // always represents; 0 is only a formal fallback.
    DateTime::from_timestamp(utc, 0).map_or(0, |dt| {
        tz.offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc()
    })
}

/// The first instant of local day `day` (days since 1970-01-01).
fn start_of_local_day(tz: Tz, day: i64) -> i64 {
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

/// Business days of the config, for acknowledgement times and the weekly rhythm of reports.
struct Calendar {
    /// Bit 0 = Monday.
    weekdays: u8,
    /// Sorted local day numbers.
    holidays: Vec<i64>,
}

impl Calendar {
    fn is_business(&self, day: i64) -> bool {
        // 1970-01-01 was a Thursday (3 days after Monday).
        let weekday = (day + 3).rem_euclid(7);
        self.weekdays & (1 << weekday) != 0 && self.holidays.binary_search(&day).is_err()
    }

    /// The `n`-th business day after `day` (n ≥ 1).
    fn nth_after(&self, day: i64, n: i64) -> i64 {
        let mut d = day;
        let mut seen = 0;
        // A config of nothing but holidays cannot stall generation.
        for _ in 0..3_660 {
            d += 1;
            if self.is_business(d) {
                seen += 1;
                if seen >= n {
                    return d;
                }
            }
        }
        day + n
    }
}

/// Report times: the year cut into hour cells weighted by season, weekday, hour and a
/// per-day noise; row k takes a jittered point of the k-th of `rows` equal strata of that
/// distribution, so rows come out in time order without storing or sorting them.
struct Arrivals {
    start: i64,
    end: i64,
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
    fn new(
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
            let rhythm = if calendar.is_business(day) {
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
    fn next(&mut self, r: u64) -> i64 {
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

/// A taxonomy key as a CSV field.
fn csv_field(key: &str) -> Vec<u8> {
    if key.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", key.replace('"', "\"\"")).into_bytes()
    } else {
        key.as_bytes().to_vec()
    }
}

/// The tier (0 = mildest … 3 = most severe) of level `i` of `n`, so any number of levels
/// maps onto the four ALA tiers.
fn tier(i: usize, n: usize) -> usize {
    if n <= 1 {
        0
    } else {
        ((i * 3 + (n - 1) / 2) / (n - 1)).min(3)
    }
}

struct Generator {
    rng: Rng,
    clock: Clock,
    calendar: Calendar,
    arrivals: Arrivals,
    cutoff: i64,
    /// The last case id written, `C{year}-` and at least seven digits; counted up in place.
    case_id: Vec<u8>,
    /// Where the digits of `case_id` start.
    case_digits: usize,
    platforms: Table<usize>,
    platform_text: Vec<Vec<u8>>,
    categories: Table<usize>,
    category_text: Vec<Vec<u8>>,
    category_profile: Vec<usize>,
    /// A category field of several keys is quoted as a whole if any key needs quoting.
    category_needs_quotes: Vec<bool>,
    levels: [Table<usize>; 3],
    level_text: Vec<Vec<u8>>,
    level_tier: Vec<usize>,
    level_appealable: Vec<bool>,
    actions: [Table<usize>; 4],
    action_text: Vec<Vec<u8>>,
    temporary: Option<usize>,
    suspension_days: [Table<u64>; 4],
    resolution: [Table<(i64, i64)>; 4],
    communication: Table<(i64, i64)>,
    appeal_decision: Table<(i64, i64)>,
    reporters: Table<&'static str>,
    outcomes: Table<&'static str>,
    dismissed: Table<&'static str>,
    ack_target: i64,
    window_days: i64,
    /// Scratch for the rare category field that needs quoting.
    scratch: Vec<u8>,
    /// Incident ids come from a stream of their own, so the other columns are the same as
    /// an export without them.
    incident_rng: Rng,
    incident_prefix: Vec<u8>,
    incidents: u64,
    /// The latest incidents (numbers), the newest at `incidents % RECENT_INCIDENTS`.
    recent: [u64; RECENT_INCIDENTS],
}

impl Generator {
    fn new(opts: &SampleOptions, config: &Config) -> Result<Generator, SampleError> {
        let (first, last) = year_bounds(opts.year).map_err(SampleError::Invalid)?;
        let tz = config.tz().map_err(SampleError::Invalid)?;
        let weekdays = config
            .weekdays()
            .map_err(SampleError::Invalid)?
            .iter()
            .fold(0u8, |m, w| m | 1 << w.num_days_from_monday());
        let mut holidays: Vec<i64> = config
            .holidays
            .iter()
            .map(|d| days_from_civil(d.year(), d.month(), d.day()))
            .collect();
        holidays.sort_unstable();
        let calendar = Calendar { weekdays, holidays };

        let first_day = days_from_civil(first.year(), first.month(), first.day());
        let last_day = days_from_civil(last.year(), last.month(), last.day());
        let start = start_of_local_day(tz, first_day);
        let end = start_of_local_day(tz, last_day + 1);
        let cutoff = start_of_local_day(tz, last_day + 1 + EXPORT_DAYS_AFTER_YEAR);
        let offsets = Offsets::new(tz, start - 2 * DAY, cutoff + 2 * DAY);

        let mut setup_rng = Rng::new(opts.seed, 1);
        let arrivals = Arrivals::new(start, end, opts.rows, &offsets, &calendar, &mut setup_rng);

        let t = &config.taxonomy;
        let platforms = Table::new(
            "taxonomy.platforms",
            t.platforms.iter().enumerate().map(|(i, p)| {
                let w = PLATFORM_WEIGHTS
                    .iter()
                    .find(|(k, _)| *k == p.key)
                    .map_or_else(|| 20u32.saturating_sub(3 * i as u32).max(2), |&(_, w)| w);
                (w, i)
            }),
        )?;

        if let Some(c) = t.categories.iter().find(|c| c.key.contains(';')) {
            return Err(SampleError::Invalid(format!(
                "category key `{}` contains `;`, which separates categories in the export",
                c.key
            )));
        }
        let known = |key: &str| CATEGORY_WEIGHTS.iter().find(|(k, _, _)| *k == key);
        let categories = Table::new(
            "taxonomy.categories",
            t.categories.iter().enumerate().map(|(i, c)| {
                (
                    known(&c.key).map_or(UNKNOWN_CATEGORY_WEIGHT, |&(_, w, _)| w),
                    i,
                )
            }),
        )?;
        let category_profile = t
            .categories
            .iter()
            .map(|c| known(&c.key).map_or(USUAL, |&(_, _, p)| p))
            .collect();

        let n_levels = t.levels.len();
        let level_tier: Vec<usize> = (0..n_levels).map(|i| tier(i, n_levels)).collect();
        let level_table = |profile: usize| {
            Table::new(
                "taxonomy.levels",
                level_tier
                    .iter()
                    .enumerate()
                    .map(|(i, &tr)| (LEVEL_WEIGHTS[profile][tr], i)),
            )
        };
        let levels = [
            level_table(MINOR)?,
            level_table(USUAL)?,
            level_table(SEVERE)?,
        ];
        let level_appealable = t
            .levels
            .iter()
            .map(|l| {
                config
                    .appealable_levels
                    .iter()
                    .any(|a| a.trim().eq_ignore_ascii_case(&l.key))
            })
            .collect();

        let n_actions = t.actions.len();
        let action_table = |tr: usize| {
            let weights: Vec<u32> = t
                .actions
                .iter()
                .map(|a| {
                    ACTION_WEIGHTS
                        .iter()
                        .find(|(k, _)| *k == a.key)
                        .map_or(0, |(_, w)| w[tr])
                })
                .collect();
            if weights.iter().any(|&w| w > 0) {
                Table::new("taxonomy.actions", weights.into_iter().zip(0..))
            } else {
                // Another community's actions, assumed listed mildest first like the ALA ones.
                let centre = if n_actions <= 1 {
                    0
                } else {
                    (tr * (n_actions - 1) + 1) / 3
                };
                Table::new(
                    "taxonomy.actions",
                    (0..n_actions).map(|i| {
                        (
                            if i == centre {
                                6
                            } else if i.abs_diff(centre) == 1 {
                                2
                            } else {
                                0
                            },
                            i,
                        )
                    }),
                )
            }
        };
        let actions = [
            action_table(0)?,
            action_table(1)?,
            action_table(2)?,
            action_table(3)?,
        ];
        // Lengths are drawn for the first action the taxonomy counts as a temporary suspension.
        let temporary = t
            .temporary_suspension_actions()
            .first()
            .and_then(|k| t.actions.iter().position(|a| a.key == *k));
        let days_table =
            |tr: usize| Table::new("suspension days", SUSPENSION_DAYS[tr].iter().copied());

        Ok(Generator {
            rng: Rng::new(opts.seed, 2),
            clock: Clock::new(
                offsets,
                first_day - 3,
                last_day + EXPORT_DAYS_AFTER_YEAR + 3,
            ),
            calendar,
            arrivals,
            cutoff,
            case_id: format!("C{}-0000000", opts.year).into_bytes(),
            case_digits: format!("C{}-", opts.year).len(),
            platforms,
            platform_text: t.platforms.iter().map(|p| csv_field(&p.key)).collect(),
            categories,
            category_text: t.categories.iter().map(|c| csv_field(&c.key)).collect(),
            category_needs_quotes: t
                .categories
                .iter()
                .map(|c| csv_field(&c.key) != c.key.as_bytes())
                .collect(),
            category_profile,
            levels,
            level_text: t.levels.iter().map(|l| csv_field(&l.key)).collect(),
            level_tier,
            level_appealable,
            actions,
            action_text: t.actions.iter().map(|a| csv_field(&a.key)).collect(),
            temporary,
            suspension_days: [
                days_table(0)?,
                days_table(1)?,
                days_table(2)?,
                days_table(3)?,
            ],
            resolution: [
                Table::spans("resolution", RESOLUTION[0])?,
                Table::spans("resolution", RESOLUTION[1])?,
                Table::spans("resolution", RESOLUTION[2])?,
                Table::spans("resolution", RESOLUTION[3])?,
            ],
            communication: Table::spans("communication", &COMMUNICATION)?,
            appeal_decision: Table::spans("appeal decision", &APPEAL_DECISION)?,
            reporters: Table::new("reporters", REPORTERS)?,
            outcomes: Table::new("outcomes", OUTCOMES)?,
            dismissed: Table::new("outcomes", DISMISSED_OUTCOMES)?,
            ack_target: i64::from(config.ack_target_business_days),
            window_days: config.appeal_window_days.max(0),
            scratch: Vec::new(),
            incident_rng: Rng::new(opts.seed, 3),
            incident_prefix: format!("I{}-", opts.year).into_bytes(),
            incidents: 0,
            recent: [0; RECENT_INCIDENTS],
        })
    }

    fn write_row(&mut self, buf: &mut Vec<u8>) {
        let reported = self.arrivals.next(self.rng.next_u64());
        let rng = &mut self.rng;

        let platform = *self.platforms.pick(rng);
        let mut cats = [0usize; 3];
        let n_cats = if rng.per_mille(MULTI_CATEGORY_PER_MILLE) {
            if rng.per_mille(800) {
                2
            } else {
                3
            }
        } else {
            1
        }
        .min(self.category_text.len());
        let mut chosen = 0;
        // Redraw duplicates; the attempt bound only matters for tiny taxonomies.
        for _ in 0..32 {
            if chosen == n_cats {
                break;
            }
            let c = *self.categories.pick(rng);
            if !cats[..chosen].contains(&c) {
                cats[chosen] = c;
                chosen += 1;
            }
        }
        let cats = &cats[..chosen.max(1)];
        let profile = cats
            .iter()
            .map(|&c| self.category_profile[c])
            .max()
            .unwrap_or(USUAL);
        let level = *self.levels[profile].pick(rng);
        let tier = self.level_tier[level];
        let reporter = *self.reporters.pick(rng);

        let open_chance = if self.arrivals.end - reported < BACKLOG_DAYS * DAY {
            BACKLOG_PER_MILLE
        } else {
            STALLED_PER_MILLE
        };
        let resolved = if rng.per_mille(open_chance) {
            None
        } else {
            let taken = reported + self.resolution[tier].duration(rng);
            Some(awake(&self.clock.offsets, rng, taken, 7, 22)).filter(|&t| t <= self.cutoff)
        };
        let action = resolved.map(|_| *self.actions[tier].pick(rng));
        let suspension_days = match action {
            Some(a) if Some(a) == self.temporary => Some(*self.suspension_days[tier].pick(rng)),
            _ => None,
        };
        let interim: &[u8] = match tier {
            3 if rng.per_mille(180) => b"yes",
            2 if rng.per_mille(40) => b"yes",
            _ if rng.per_mille(750) => b"no",
            _ => b"",
        };
        let acknowledged = self
            .acknowledgement(reported)
            .map(|t| resolved.map_or(t, |r| t.min(r)))
            .filter(|&t| t <= self.cutoff);
        let rng = &mut self.rng;
        let communicated = resolved
            .filter(|_| !rng.per_mille(20))
            .map(|r| {
                let sent = r + self.communication.duration(rng);
                awake(&self.clock.offsets, rng, sent, 8, 20)
            })
            .filter(|&t| t <= self.cutoff);
        let mut dismissed = !self.level_appealable[level];
        let appeal_chance = if dismissed {
            INELIGIBLE_APPEAL_PER_MILLE
        } else {
            APPEAL_PER_MILLE
        };
        let filed = communicated
            .filter(|_| rng.per_mille(appeal_chance))
            .map(|c| {
                let w = self.window_days;
                // Whole days plus or minus a DST hour: `w + 2` days is always a local-date
                // difference over the window, `w - 1` days never.
                if rng.per_mille(LATE_APPEAL_PER_MILLE) {
                    dismissed = true;
                    c + rng.between((w + 2) * DAY, (w + 30) * DAY)
                } else {
                    let hi = ((w - 1) * DAY).max(3 * HOUR);
                    let roll = rng.below(100);
                    let (lo, hi) = if roll < 45 {
                        (2 * HOUR, hi.min(7 * DAY))
                    } else if roll < 75 {
                        (hi.min(7 * DAY), hi.min(21 * DAY))
                    } else {
                        (hi.min(21 * DAY), hi)
                    };
                    c + rng.between(lo, hi)
                }
            })
            .filter(|&t| t <= self.cutoff);
        let decided = filed
            .map(|f| f + self.appeal_decision.duration(rng))
            .filter(|&t| t <= self.cutoff);
        let outcome: &[u8] = match (filed, decided) {
            (None, _) => b"",
            (Some(_), Some(_)) if dismissed => self.dismissed.pick(rng).as_bytes(),
            (Some(_), Some(_)) => self.outcomes.pick(rng).as_bytes(),
            // A pending appeal is left empty by some trackers, spelt out by others.
            (Some(_), None) if rng.per_mille(500) => b"pending",
            (Some(_), None) => b"",
        };

        count_up(&mut self.case_id, self.case_digits);
        buf.extend_from_slice(&self.case_id);
        buf.push(b',');
        self.clock.push(buf, reported);
        buf.push(b',');
        buf.extend_from_slice(&self.platform_text[platform]);
        buf.push(b',');
        self.push_categories(buf, cats);
        buf.push(b',');
        if resolved.is_some() {
            buf.extend_from_slice(&self.level_text[level]);
        }
        buf.push(b',');
        buf.extend_from_slice(reporter.as_bytes());
        buf.push(b',');
        if let Some(a) = action {
            buf.extend_from_slice(&self.action_text[a]);
        }
        buf.push(b',');
        if let Some(d) = suspension_days {
            push_decimal(buf, d);
        }
        buf.push(b',');
        buf.extend_from_slice(interim);
        for t in [acknowledged, resolved, communicated, filed, decided] {
            buf.push(b',');
            if let Some(t) = t {
                self.clock.push(buf, t);
            }
        }
        buf.push(b',');
        buf.extend_from_slice(outcome);
        buf.push(b',');
        let incident = self.incident();
        buf.extend_from_slice(&self.incident_prefix);
        push_decimal(buf, incident);
        buf.push(b'\n');
    }

    /// The incident a report is about: now and then one of the latest incidents, else a new one.
    fn incident(&mut self) -> u64 {
        let rng = &mut self.incident_rng;
        if self.incidents > 0 && rng.per_mille(SAME_INCIDENT_PER_MILLE) {
            let known = self.incidents.min(RECENT_INCIDENTS as u64);
            let back = rng.below(known);
            return self.recent[((self.incidents - 1 - back) % RECENT_INCIDENTS as u64) as usize];
        }
        self.incidents += 1;
        self.recent[((self.incidents - 1) % RECENT_INCIDENTS as u64) as usize] = self.incidents;
        self.incidents
    }

    fn push_categories(&mut self, buf: &mut Vec<u8>, cats: &[usize]) {
        if cats.len() == 1 || !cats.iter().any(|&c| self.category_needs_quotes[c]) {
            for (i, &c) in cats.iter().enumerate() {
                if i > 0 {
                    buf.push(b';');
                }
                buf.extend_from_slice(&self.category_text[c]);
            }
            return;
        }
        // Keys that need quoting are quoted on their own in `category_text`; here the whole
        // list must be one quoted field instead.
        self.scratch.clear();
        for (i, &c) in cats.iter().enumerate() {
            if i > 0 {
                self.scratch.push(b';');
            }
            let text = &self.category_text[c];
            if self.category_needs_quotes[c] {
                let inner = &text[1..text.len() - 1];
                self.scratch.extend_from_slice(inner);
            } else {
                self.scratch.extend_from_slice(text);
            }
        }
        buf.push(b'"');
        buf.extend_from_slice(&self.scratch);
        buf.push(b'"');
    }

    /// First reply to the reporter: mostly by the target business day (often the same day
    /// for a report in working hours), sometimes days later, a few never.
    fn acknowledgement(&mut self, reported: i64) -> Option<i64> {
        let rng = &mut self.rng;
        let local = reported + i64::from(self.clock.offsets.at(reported));
        let day = local.div_euclid(DAY);
        let time_of_day = local - day * DAY;
        let office_hours =
            |rng: &mut Rng| rng.between(8 * HOUR + 30 * MINUTE, 17 * HOUR + 45 * MINUTE);
        let roll = rng.below(1000);
        let target = self.ack_target;
        let ack_local = if roll < 25 {
            return None;
        } else if roll < 875 {
            if target == 0
                || (self.calendar.is_business(day) && time_of_day < 15 * HOUR && rng.per_mille(450))
            {
                local + rng.between(10 * MINUTE, 3 * HOUR)
            } else {
                let n = rng.between(1, target + 1);
                self.calendar.nth_after(day, n) * DAY + office_hours(rng)
            }
        } else if roll < 980 {
            let n = target + rng.between(1, 4);
            self.calendar.nth_after(day, n) * DAY + office_hours(rng)
        } else {
            let n = target + rng.between(4, 13);
            self.calendar.nth_after(day, n) * DAY + office_hours(rng)
        };
        Some(
            self.clock
                .offsets
                .local_to_utc(ack_local)
                .max(reported + MINUTE),
        )
    }
}

/// `utc`, or if its local time is outside `from_hour..to_hour`, a time in the first half of
/// the next such span: decisions are taken and sent while people are awake. Never earlier.
fn awake(offsets: &Offsets, rng: &mut Rng, utc: i64, from_hour: i64, to_hour: i64) -> i64 {
    let local = utc + i64::from(offsets.at(utc));
    let day = local.div_euclid(DAY);
    let secs = local - day * DAY;
    let next_day = if secs < from_hour * HOUR {
        day
    } else if secs >= to_hour * HOUR {
        day + 1
    } else {
        return utc;
    };
    let moved =
        next_day * DAY + from_hour * HOUR + rng.between(0, (to_hour - from_hour) * HOUR / 2);
    offsets.local_to_utc(moved).max(utc)
}

/// Adds one to the decimal number in `text[from..]`, growing it by a digit when all are 9.
fn count_up(text: &mut Vec<u8>, from: usize) {
    for i in (from..text.len()).rev() {
        if text[i] == b'9' {
            text[i] = b'0';
        } else {
            text[i] += 1;
            return;
        }
    }
    text.insert(from, b'1');
}

/// Appends `n` in decimal.
fn push_decimal(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// "00" to "99", so two digits cost one table lookup instead of two divisions.
const TWO_DIGITS: [[u8; 2]; 100] = {
    let mut table = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    table
};

fn two(n: u64) -> [u8; 2] {
    TWO_DIGITS[(n % 100) as usize]
}

/// Formats instants as RFC 3339 local time with offset, e.g. `2025-03-04T10:15:00-06:00`.
/// Six timestamps a row make this the hot spot, so it only copies precomputed pieces: the
/// date per local day, `HH:MM:` per minute of the day, and the text of each offset.
struct Clock {
    offsets: Offsets,
    first_day: i64,
    /// `YYYY-MM-DDT` from `first_day` on.
    dates: Vec<[u8; 11]>,
    /// `HH:MM:` for each minute of the day.
    minutes: Vec<[u8; 6]>,
    /// `±HH:MM` of the offsets met in the cached span (one or two in most zones).
    offset_texts: Vec<(i64, [u8; 6])>,
}

impl Clock {
    fn new(offsets: Offsets, first_day: i64, last_day: i64) -> Clock {
        let dates = (first_day..=last_day)
            .map(|d| {
                let mut text = [b'T'; 11];
                text[..10].copy_from_slice(&date_text(d));
                text
            })
            .collect();
        let minutes = (0..1_440u64)
            .map(|m| {
                let (h, m) = (two(m / 60), two(m % 60));
                [h[0], h[1], b':', m[0], m[1], b':']
            })
            .collect();
        let mut offset_texts: Vec<(i64, [u8; 6])> = Vec::new();
        for &o in offsets.hours.iter().filter(|&&o| o != MIXED) {
            let o = whole_minutes(o);
            if !offset_texts.iter().any(|&(known, _)| known == o) {
                offset_texts.push((o, offset_text(o)));
            }
        }
        Clock {
            offsets,
            first_day,
            dates,
            minutes,
            offset_texts,
        }
    }

    fn push(&self, buf: &mut Vec<u8>, utc: i64) {
        let offset = whole_minutes(self.offsets.at(utc));
        let local = utc + offset;
        let day = local.div_euclid(DAY);
        let secs = (local - day * DAY) as usize;
        // Fixed-size pieces straight into the buffer: each is a couple of moves.
        match usize::try_from(day - self.first_day)
            .ok()
            .and_then(|i| self.dates.get(i))
        {
            Some(date) => buf.extend_from_slice(date),
            None => {
                buf.extend_from_slice(&date_text(day));
                buf.push(b'T');
            }
        }
        // `secs` < 86 400, so both indexes are in range.
        buf.extend_from_slice(&self.minutes[secs / 60]);
        buf.extend_from_slice(&TWO_DIGITS[secs % 60]);
        match self.offset_texts.iter().find(|&&(o, _)| o == offset) {
            Some((_, known)) => buf.extend_from_slice(known),
            None => buf.extend_from_slice(&offset_text(offset)),
        }
    }
}

/// RFC 3339 offsets have no seconds: the rare pre-1972 offsets with seconds are cut to whole
/// minutes, and the wall time is computed with the cut offset, so the instant stays exact.
fn whole_minutes(offset: i32) -> i64 {
    i64::from(offset) / MINUTE * MINUTE
}

fn offset_text(offset: i64) -> [u8; 6] {
    let abs = offset.unsigned_abs();
    let (h, m) = (two(abs / 3_600), two(abs / 60 % 60));
    let sign = if offset < 0 { b'-' } else { b'+' };
    [sign, h[0], h[1], b':', m[0], m[1]]
}

/// `YYYY-MM-DD` of a day number (years 0–9999, which covers every year accepted).
#[cold]
fn date_text(day: i64) -> [u8; 10] {
    let (year, month, day) = civil_from_days(day);
    let (year, month, day) = (year.clamp(0, 9_999) as u64, month as u64, day as u64);
    let (y1, y2, m, d) = (two(year / 100), two(year), two(month), two(day));
    [
        y1[0], y1[1], y2[0], y2[1], b'-', m[0], m[1], b'-', d[0], d[1],
    ]
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm:
/// a few integer operations instead of a chrono call per timestamp).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
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

/// (year, month, day) → days since 1970-01-01; the inverse of `civil_from_days`.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests;
