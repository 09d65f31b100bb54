//! The polars frames of one period's cases, built column by column from the case table
//! (each table column freed as it is read), and the dense numbering of incidents.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use polars::prelude::*;

use super::month_index;
use crate::config::calendar::{Calendar, CE_DAY_OF_1970};
use crate::config::{AckPromise, Config};
use crate::error::Result;
use crate::load::{
    CaseChunk, CaseTable, HAS_SUSPENSION_DAYS, INTERIM, NONE16, NONE8, NO_DAY, NO_INCIDENT,
    NO_PERSON, NO_SECS,
};

/// Per-day values shared by many cases, worked out once per day.
struct DayCache<'a> {
    cal: &'a Calendar,
    promise: AckPromise,
    due: HashMap<i32, i32>,
    month: HashMap<i32, i32>,
}

impl DayCache<'_> {
    fn due(&mut self, d: i32) -> i32 {
        let (cal, promise) = (self.cal, self.promise);
        *self.due.entry(d).or_insert_with(|| match promise {
            AckPromise::BusinessDays(n) => {
                // The table counts days from CE, the calendar from 1970.
                let day = i64::from(d - CE_DAY_OF_1970);
                let due = cal.nth_business_day_after(day, i64::from(n));
                d + (due - day) as i32
            }
            AckPromise::CalendarDays(n) => d.saturating_add(n as i32),
            // No promise: nothing is due; the met count is withheld after suppression
            // (`compute::recorded::not_applicable`).
            AckPromise::None => d,
        })
    }
    fn month(&mut self, d: i32) -> i32 {
        *self.month.entry(d).or_insert_with(|| month_index(d))
    }
}

/// The table, one column at a time: each column is moved out of the chunks (and freed as it
/// is read), keeping only the period's rows, so the frame never sits beside a full table.
struct Columns {
    chunks: Vec<CaseChunk>,
    keep: Vec<Vec<bool>>,
}

impl Columns {
    fn take<T: Copy + 'static>(
        &mut self,
        field: fn(&mut CaseChunk) -> &mut Vec<T>,
    ) -> impl Iterator<Item = T> + '_ {
        self.chunks
            .iter_mut()
            .zip(&self.keep)
            .flat_map(move |(c, k)| {
                std::mem::take(field(c))
                    .into_iter()
                    .zip(k.iter().copied())
                    .filter(|(_, k)| *k)
                    .map(|(v, _)| v)
            })
    }

    fn peek<T: Copy + 'static>(
        &self,
        field: fn(&CaseChunk) -> &Vec<T>,
    ) -> impl Iterator<Item = T> + '_ {
        self.chunks
            .iter()
            .zip(&self.keep)
            .flat_map(move |(c, k)| field(c).iter().zip(k).filter(|(_, k)| **k).map(|(v, _)| *v))
    }
}

fn opt_u32<T: Copy + PartialEq + Into<u32>>(
    name: &str,
    values: impl Iterator<Item = T>,
    none: T,
) -> Column {
    UInt32Chunked::from_iter_options(name.into(), values.map(|v| (v != none).then(|| v.into())))
        .into_column()
}

fn opt_i32(name: &str, values: impl Iterator<Item = i32>) -> Column {
    Int32Chunked::from_iter_options(name.into(), values.map(|d| (d != NO_DAY).then_some(d)))
        .into_column()
}

fn opt_i64(name: &str, values: impl Iterator<Item = i64>) -> Column {
    Int64Chunked::from_iter_options(name.into(), values.map(|s| (s != NO_SECS).then_some(s)))
        .into_column()
}

/// The case frame, the category frame and the case-group frame of the period's cases.
pub(super) fn frames(
    table: CaseTable,
    people: bool,
    config: &Config,
    cal: &Calendar,
    start: i32,
    end: i32,
) -> Result<Frames> {
    let tax = &config.taxonomy;
    let appealable: Vec<u16> = tax
        .levels
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            config
                .appealable_levels
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&l.key))
        })
        .map(|(i, _)| i as u16)
        .collect();
    let group_of: Vec<u32> = tax
        .categories
        .iter()
        .map(|c| {
            tax.category_groups
                .iter()
                .position(|g| g.key == c.group)
                .unwrap_or(0) as u32
        })
        .collect();
    let mut days = DayCache {
        cal,
        promise: config.ack_promise(),
        due: HashMap::new(),
        month: HashMap::new(),
    };
    let keep: Vec<Vec<bool>> = table
        .chunks
        .iter()
        .map(|c| c.rday.iter().map(|d| (start..=end).contains(d)).collect())
        .collect();
    let n = keep.iter().flatten().filter(|k| **k).count();
    // Reported before the period and decided within it: the only figure about cases outside
    // the period, so it is counted here, before they are dropped.
    let carried_over = table.carried_over(start, end);

    // Categories first: they need each row's position, not its values.
    let mut cat: Vec<u32> = Vec::new();
    let mut offset = 0u32;
    let mut cols = Columns {
        chunks: table.chunks,
        keep,
    };
    // With incidents, each (case, category) and (case, group) row also carries the case's
    // incident number.
    let numbered = table.incident_column.then(|| number_incidents(&mut cols));
    let people = people.then(|| number_people(&mut cols));
    let (mut cat_inc, mut grp_inc) = (Vec::new(), Vec::new());
    // A case counts once in each group any of its categories belongs to: a row's categories
    // are consecutive, so its groups are deduplicated as they come.
    let mut case_grp: Vec<u32> = Vec::new();
    let mut row_groups: Vec<u32> = Vec::new();
    let mut last_row: Option<u32> = None;
    for (i, (c, k)) in cols.chunks.iter_mut().zip(&cols.keep).enumerate() {
        let rows = std::mem::take(&mut c.category_row);
        let keys = std::mem::take(&mut c.category);
        let numbers = numbered.as_ref().map(|(n, _)| &n[i]);
        for (row, key) in rows.into_iter().zip(keys) {
            if k.get(row as usize).copied().unwrap_or(false) {
                let inc = numbers.map(|n| n[row as usize]);
                let g = group_of.get(usize::from(key)).copied().unwrap_or(0);
                if last_row != Some(offset + row) {
                    last_row = Some(offset + row);
                    row_groups.clear();
                }
                if !row_groups.contains(&g) {
                    row_groups.push(g);
                    case_grp.push(g);
                    grp_inc.extend(inc);
                }
                cat.push(u32::from(key));
                cat_inc.extend(inc);
            }
        }
        offset += c.len() as u32;
    }
    let with_incidents = |name: &str, codes: Vec<u32>, inc: Vec<u32>| -> Result<DataFrame> {
        let n = codes.len();
        let mut columns = vec![Column::new(name.into(), codes)];
        if numbered.is_some() {
            columns.push(Column::new("inc".into(), inc));
        }
        Ok(DataFrame::new(n, columns)?)
    };
    let case_groups = with_incidents("grp", case_grp, grp_inc)?;
    let cats = with_incidents("cat", cat, cat_inc)?;
    // The case frame carries each case's incident number too (actions and handlers by incident).
    let case_inc = numbered.as_ref().map(|(n, _)| {
        let kept: Vec<u32> = n
            .iter()
            .zip(&cols.keep)
            .flat_map(|(n, k)| n.iter().zip(k).filter(|(_, k)| **k).map(|(v, _)| *v))
            .collect();
        Column::new("inc".into(), kept)
    });
    let incidents = numbered.map(|(_, total)| total);

    // Values derived from a column are computed before the column is moved out.
    let ack_due: Vec<i32> = cols.peek(|c| &c.rday).map(|d| days.due(d)).collect();
    let rmonth: Vec<i32> = cols.peek(|c| &c.rday).map(|d| days.month(d)).collect();
    let res_month = Int32Chunked::from_iter_options(
        "res_month".into(),
        cols.peek(|c| &c.res_day)
            .map(|d| (d != NO_DAY).then(|| days.month(d)))
            .collect::<Vec<_>>()
            .into_iter(),
    )
    .into_column();
    let is_appealable: Vec<bool> = cols
        .peek(|c| &c.level)
        .map(|l| l != NONE16 && appealable.contains(&l))
        .collect();
    let interim: Vec<bool> = cols.peek(|c| &c.flags).map(|f| f & INTERIM != 0).collect();
    let has_days: Vec<bool> = cols
        .take(|c| &mut c.flags)
        .map(|f| f & HAS_SUSPENSION_DAYS != 0)
        .collect();
    let sdays = UInt32Chunked::from_iter_options(
        "sdays".into(),
        cols.take(|c| &mut c.suspension_days)
            .zip(has_days)
            .map(|(d, has)| has.then_some(d)),
    )
    .into_column();
    let columns = vec![
        Column::new(
            "rday".into(),
            cols.take(|c| &mut c.rday).collect::<Vec<i32>>(),
        ),
        Column::new("rmonth".into(), rmonth),
        // An empty platform (the column is not in every export) is null, counted nowhere.
        opt_u32("platform", cols.take(|c| &mut c.platform), NONE16),
        opt_u32("level", cols.take(|c| &mut c.level), NONE16),
        opt_u32("reporter", cols.take(|c| &mut c.reporter), NONE8),
        opt_u32("action", cols.take(|c| &mut c.action), NONE16),
        opt_u32("handler", cols.take(|c| &mut c.handler), NONE16),
        opt_u32("channel", cols.take(|c| &mut c.channel), NONE16),
        opt_u32("referral", cols.take(|c| &mut c.referral), NONE16),
        sdays,
        Column::new("interim".into(), interim),
        opt_i64("ack_secs", cols.take(|c| &mut c.ack_secs)),
        opt_i32("ack_day", cols.take(|c| &mut c.ack_day)),
        Column::new("ack_due".into(), ack_due),
        opt_i64("res_secs", cols.take(|c| &mut c.res_secs)),
        opt_i32("res_day", cols.take(|c| &mut c.res_day)),
        res_month,
        opt_i32("comm_day", cols.take(|c| &mut c.comm_day)),
        opt_i32("filed_day", cols.take(|c| &mut c.filed_day)),
        opt_i64("appeal_secs", cols.take(|c| &mut c.appeal_secs)),
        opt_u32("outcome", cols.take(|c| &mut c.outcome), NONE8),
        Column::new("appealable".into(), is_appealable),
    ];
    let mut columns = columns;
    columns.extend(case_inc);
    if let Some(numbers) = people {
        columns.push(opt_u32("person", numbers.into_iter().flatten(), u32::MAX));
    }
    Ok(Frames {
        cases: DataFrame::new(n, columns)?,
        cats,
        case_groups,
        incidents,
        carried_over,
    })
}

/// The period's cases as frames, and the incident figures when the export has incidents.
pub(super) struct Frames {
    pub(super) cases: DataFrame,
    /// One row per (case, category), with the case's incident number (`inc`) if any.
    pub(super) cats: DataFrame,
    /// One row per (case, group), with `inc` if any.
    pub(super) case_groups: DataFrame,
    /// The number of distinct incidents, when the export has incidents.
    pub(super) incidents: Option<u64>,
    /// Cases reported before the period and decided in it.
    pub(super) carried_over: u64,
}

/// Numbers the period's cases by incident (`u32::MAX` outside the period): cases with the same
/// `incident_id` share a number, a case without one has its own. Returns the numbers per chunk
/// and how many were given (the distinct incidents). Consumes the incident column.
fn number_incidents(cols: &mut Columns) -> (Vec<Vec<u32>>, u64) {
    let period_ids: usize = cols
        .chunks
        .iter()
        .zip(&cols.keep)
        .map(|(c, k)| {
            c.incident
                .iter()
                .zip(k)
                .filter(|(id, keep)| **keep && **id != NO_INCIDENT)
                .count()
        })
        .sum();
    // Dense numbers, so polars counts distinct u32s rather than 128-bit hashes (which it has
    // no type for); the map is freed on return.
    let mut dense: HashMap<(u64, u64), u32, BuildHasherDefault<Prehashed>> =
        HashMap::with_capacity_and_hasher(period_ids, BuildHasherDefault::default());
    let mut next = 0u32;
    let mut numbers = Vec::with_capacity(cols.chunks.len());
    for (c, k) in cols.chunks.iter_mut().zip(&cols.keep) {
        // A chunk from an export without the column: every report is its own incident.
        let ids = std::mem::take(&mut c.incident);
        let chunk: Vec<u32> = k
            .iter()
            .enumerate()
            .map(|(row, keep)| {
                if !keep {
                    return u32::MAX;
                }
                let number = match ids.get(row).copied().unwrap_or(NO_INCIDENT) {
                    NO_INCIDENT => next,
                    id => *dense.entry(((id >> 64) as u64, id as u64)).or_insert(next),
                };
                if number == next {
                    next += 1;
                }
                number
            })
            .collect();
        numbers.push(chunk);
    }
    (numbers, u64::from(next))
}

/// Numbers the people named in the period's cases densely by their hashed `person_ref`,
/// keeping the period's rows only (`u32::MAX` = no person). Consumes the person column.
fn number_people(cols: &mut Columns) -> Vec<Vec<u32>> {
    let mut dense: HashMap<(u64, u64), u32, BuildHasherDefault<Prehashed>> = HashMap::default();
    let mut out = Vec::with_capacity(cols.chunks.len());
    for (c, k) in cols.chunks.iter_mut().zip(&cols.keep) {
        // A chunk from an export without the column names nobody.
        let ids = std::mem::take(&mut c.person);
        let chunk: Vec<u32> = k
            .iter()
            .enumerate()
            .filter(|(_, keep)| **keep)
            .map(
                |(row, _)| match ids.get(row).copied().unwrap_or(NO_PERSON) {
                    NO_PERSON => u32::MAX,
                    id => {
                        let next = dense.len() as u32;
                        *dense.entry(((id >> 64) as u64, id as u64)).or_insert(next)
                    }
                },
            )
            .collect();
        out.push(chunk);
    }
    out
}

/// The keys are hash values already: folding their two halves together is hash enough.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}
