//! One case's life, drawn column by column: report, categories, level, decision, reply,
//! appeal, incident. The order of the draws is part of the output: reordering them changes
//! every export.

use crate::config::calendar::{day_number, Calendar};
use crate::config::{year_bounds, Config};

use super::arrivals::Arrivals;
use super::rng::{Rng, Weighted};
use super::weights::*;
use super::write::{count_up, push_decimal, Clock};
use super::zone::{start_of_local_day, Offsets};
use super::{SampleError, SampleOptions, DAY, HOUR, MINUTE};

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

pub(super) struct Generator {
    rng: Rng,
    clock: Clock,
    calendar: Calendar,
    arrivals: Arrivals,
    cutoff: i64,
    /// The last case id written, `C{year}-` and at least seven digits; counted up in place.
    case_id: Vec<u8>,
    /// Where the digits of `case_id` start.
    case_digits: usize,
    platforms: Weighted<usize>,
    platform_text: Vec<Vec<u8>>,
    categories: Weighted<usize>,
    category_text: Vec<Vec<u8>>,
    category_profile: Vec<usize>,
    /// A category field of several keys is quoted as a whole if any key needs quoting.
    category_needs_quotes: Vec<bool>,
    levels: [Weighted<usize>; 3],
    level_text: Vec<Vec<u8>>,
    level_tier: Vec<usize>,
    level_appealable: Vec<bool>,
    actions: [Weighted<usize>; 4],
    action_text: Vec<Vec<u8>>,
    temporary: Option<usize>,
    suspension_days: [Weighted<u64>; 4],
    resolution: [Weighted<(i64, i64)>; 4],
    communication: Weighted<(i64, i64)>,
    appeal_decision: Weighted<(i64, i64)>,
    reporters: Weighted<&'static str>,
    outcomes: Weighted<&'static str>,
    dismissed: Weighted<&'static str>,
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
    pub(super) fn new(opts: &SampleOptions, config: &Config) -> Result<Generator, SampleError> {
        let (first, last) = year_bounds(opts.year).map_err(SampleError::Invalid)?;
        let tz = config.tz().map_err(SampleError::Invalid)?;
        let calendar = Calendar::from_config(config).map_err(SampleError::Invalid)?;

        let first_day = day_number(first);
        let last_day = day_number(last);
        let start = start_of_local_day(tz, first_day);
        let end = start_of_local_day(tz, last_day + 1);
        let cutoff = start_of_local_day(tz, last_day + 1 + EXPORT_DAYS_AFTER_YEAR);
        let offsets = Offsets::new(tz, start - 2 * DAY, cutoff + 2 * DAY);

        let mut setup_rng = Rng::new(opts.seed, 1);
        let arrivals = Arrivals::new(start, end, opts.rows, &offsets, &calendar, &mut setup_rng);

        let t = &config.taxonomy;
        let platforms = Weighted::new(
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
        let categories = Weighted::new(
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

        // Without levels every case is drawn as a middling one, and its level cell left empty.
        let n_levels = t.levels.len();
        let level_tier: Vec<usize> = if n_levels == 0 {
            vec![1]
        } else {
            (0..n_levels).map(|i| tier(i, n_levels)).collect()
        };
        let level_table = |profile: usize| {
            Weighted::new(
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
        let level_appealable = if n_levels == 0 {
            vec![config.appeal_any_decision]
        } else {
            t.levels
                .iter()
                .map(|l| {
                    config.appeal_any_decision
                        || config
                            .appealable_levels
                            .iter()
                            .any(|a| a.trim().eq_ignore_ascii_case(&l.key))
                })
                .collect()
        };

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
                Weighted::new("taxonomy.actions", weights.into_iter().zip(0..))
            } else {
                // Another community's actions, assumed listed mildest first like the ALA ones.
                let centre = if n_actions <= 1 {
                    0
                } else {
                    (tr * (n_actions - 1) + 1) / 3
                };
                Weighted::new(
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
            |tr: usize| Weighted::new("suspension days", SUSPENSION_DAYS[tr].iter().copied());

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
            level_text: if n_levels == 0 {
                vec![Vec::new()]
            } else {
                t.levels.iter().map(|l| csv_field(&l.key)).collect()
            },
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
                Weighted::spans("resolution", RESOLUTION[0])?,
                Weighted::spans("resolution", RESOLUTION[1])?,
                Weighted::spans("resolution", RESOLUTION[2])?,
                Weighted::spans("resolution", RESOLUTION[3])?,
            ],
            communication: Weighted::spans("communication", &COMMUNICATION)?,
            appeal_decision: Weighted::spans("appeal decision", &APPEAL_DECISION)?,
            reporters: Weighted::new("reporters", REPORTERS)?,
            outcomes: Weighted::new("outcomes", OUTCOMES)?,
            dismissed: Weighted::new("outcomes", DISMISSED_OUTCOMES)?,
            ack_target: match config.ack_promise() {
                crate::config::AckPromise::BusinessDays(n) => i64::from(n),
                crate::config::AckPromise::CalendarDays(n) => i64::from(n) * 5 / 7,
                crate::config::AckPromise::None => {
                    i64::from(crate::config::DEFAULT_ACK_TARGET_BUSINESS_DAYS)
                }
            },
            window_days: config.appeal_window_days.max(0),
            scratch: Vec::new(),
            incident_rng: Rng::new(opts.seed, 3),
            incident_prefix: format!("I{}-", opts.year).into_bytes(),
            incidents: 0,
            recent: [0; RECENT_INCIDENTS],
        })
    }

    pub(super) fn write_row(&mut self, buf: &mut Vec<u8>) {
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
                || (self.calendar.is_business_day(day)
                    && time_of_day < 15 * HOUR
                    && rng.per_mille(450))
            {
                local + rng.between(10 * MINUTE, 3 * HOUR)
            } else {
                let n = rng.between(1, target + 1);
                self.calendar.nth_business_day_after(day, n) * DAY + office_hours(rng)
            }
        } else if roll < 980 {
            let n = target + rng.between(1, 4);
            self.calendar.nth_business_day_after(day, n) * DAY + office_hours(rng)
        } else {
            let n = target + rng.between(4, 13);
            self.calendar.nth_business_day_after(day, n) * DAY + office_hours(rng)
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
