//! The polars frames of one period's cases, built column by column from the case table
//! (each column of an owned table freed as it is read), and the dense numbering of incidents.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use polars::prelude::*;
use polars_arrow::bitmap::MutableBitmap;

use super::month_index;
use crate::config::calendar::{Calendar, CE_DAY_OF_1970};
use crate::config::{AckPromise, Config};
use crate::error::Result;
use crate::load::{
    CaseChunk, CaseTable, HAS_SUSPENSION_DAYS, INTERIM, NONE16, NONE8, NO_DAY, NO_INCIDENT,
    NO_PERSON, NO_SECS,
};

/// Per-day values shared by many cases, worked out once per day: a slot per day from the
/// period's start to two years after its end (reports and their decisions), each filled on
/// first use; days outside are worked out each time.
struct DayCache<'a> {
    cal: &'a Calendar,
    promise: AckPromise,
    first: i32,
    due: Vec<i32>,
    month: Vec<i32>,
}

/// An empty slot of `DayCache` (no day or month index is this small).
const UNSET: i32 = i32::MIN;

impl<'a> DayCache<'a> {
    fn new(cal: &'a Calendar, promise: AckPromise, start: i32, end: i32) -> Self {
        let days = usize::try_from(end.saturating_sub(start)).unwrap_or(0) + 1 + 2 * 366;
        DayCache {
            cal,
            promise,
            first: start,
            due: vec![UNSET; days],
            month: vec![UNSET; days],
        }
    }

    fn slot(&self, d: i32) -> Option<usize> {
        usize::try_from(d.checked_sub(self.first)?)
            .ok()
            .filter(|&i| i < self.due.len())
    }

    fn due(&mut self, d: i32) -> i32 {
        let Some(i) = self.slot(d) else {
            return self.work_out_due(d);
        };
        if self.due[i] == UNSET {
            self.due[i] = self.work_out_due(d);
        }
        self.due[i]
    }

    fn work_out_due(&self, d: i32) -> i32 {
        match self.promise {
            AckPromise::BusinessDays(n) => {
                // The table counts days from CE, the calendar from 1970.
                let day = i64::from(d - CE_DAY_OF_1970);
                let due = self.cal.nth_business_day_after(day, i64::from(n));
                d + (due - day) as i32
            }
            AckPromise::CalendarDays(n) => d.saturating_add(n as i32),
            // No promise: nothing is due; the met count is withheld after suppression
            // (`compute::recorded::not_applicable`).
            AckPromise::None => d,
        }
    }

    fn month(&mut self, d: i32) -> i32 {
        let Some(i) = self.slot(d) else {
            return month_index(d);
        };
        if self.month[i] == UNSET {
            self.month[i] = month_index(d);
        }
        self.month[i]
    }
}

/// Which rows of a chunk are the period's.
enum Keep {
    None,
    All,
    Rows(Vec<bool>),
}

impl Keep {
    fn of(rday: &[i32], start: i32, end: i32) -> Keep {
        let inside = |d: &i32| (start..=end).contains(d);
        match (rday.iter().all(inside), rday.iter().any(inside)) {
            (true, _) => Keep::All,
            (false, false) => Keep::None,
            (false, true) => Keep::Rows(rday.iter().map(inside).collect()),
        }
    }

    fn row(&self, row: usize) -> bool {
        match self {
            Keep::None => false,
            Keep::All => true,
            Keep::Rows(rows) => rows.get(row).copied().unwrap_or(false),
        }
    }

    /// The period's values of `values`, appended to `out`.
    fn extend<T: Copy>(&self, values: &[T], out: &mut Vec<T>) {
        match self {
            Keep::None => {}
            Keep::All => out.extend_from_slice(values),
            Keep::Rows(rows) => out.extend(
                values
                    .iter()
                    .zip(rows)
                    .filter(|(_, k)| **k)
                    .map(|(v, _)| *v),
            ),
        }
    }
}

/// The table, one column at a time, keeping only the period's rows. An owned table's
/// columns are freed as they are read, so the frame never sits beside a full table; a shared
/// one (a site's, read by every period) is only read, and its chunks without a row in the
/// period are skipped at once.
struct Columns<'a> {
    chunks: Cow<'a, [CaseChunk]>,
    keep: Vec<Keep>,
    /// The period's rows.
    n: usize,
}

/// A column of the table: read through `.0`, freed through `.1` (an owned table's).
type Field<T> = (fn(&CaseChunk) -> &Vec<T>, fn(&mut CaseChunk) -> &mut Vec<T>);

impl Columns<'_> {
    /// Calls `f` with each chunk's values of a column and which of them are the period's. An
    /// owned table's chunk loses the column as soon as it is read, so building a frame column
    /// never holds a second full copy of the table's.
    fn consume<T>(&mut self, (get, free): Field<T>, mut f: impl FnMut(&[T], &Keep)) {
        match &mut self.chunks {
            Cow::Owned(chunks) => {
                for (c, k) in chunks.iter_mut().zip(&self.keep) {
                    f(get(c), k);
                    *free(c) = Vec::new();
                }
            }
            Cow::Borrowed(chunks) => {
                for (c, k) in chunks.iter().zip(&self.keep) {
                    f(get(c), k);
                }
            }
        }
    }

    /// The period's values of a column, in table order (the column consumed).
    fn gather<T: Copy>(&mut self, field: Field<T>) -> Vec<T> {
        let mut out = Vec::with_capacity(self.n);
        self.consume(field, |values, k| k.extend(values, &mut out));
        out
    }

    /// A polars column of the period's values of `field` (see `nullable`), read straight from
    /// the chunks: no copy of the values in between (the column consumed).
    fn nullable<T, P>(
        &mut self,
        name: &str,
        field: Field<T>,
        none: T,
        to: fn(T) -> P::Native,
    ) -> Column
    where
        T: Copy + PartialEq,
        P: PolarsNumericType,
    {
        let mut column = Nullable::<P>::with_capacity(self.n);
        self.consume(field, |values, k| match k {
            Keep::None => {}
            Keep::All => column.extend_all(values, none, to),
            Keep::Rows(rows) => {
                for (&v, _) in values.iter().zip(rows).filter(|(_, k)| **k) {
                    column.push(v, none, to);
                }
            }
        });
        column.finish(name)
    }

    /// Frees a column read for the last time (an owned table only).
    fn free<T>(&mut self, field: fn(&mut CaseChunk) -> &mut Vec<T>) {
        if let Cow::Owned(chunks) = &mut self.chunks {
            for c in chunks {
                *field(c) = Vec::new();
            }
        }
    }
}

/// The period's values of `$field`, the table's column consumed.
macro_rules! take {
    ($cols:ident, $field:ident) => {
        $cols.gather((|c| &c.$field, |c| &mut c.$field))
    };
}

/// A polars column of `values`, null where a value is `none`, each other value made `P`'s by
/// `to`: the values and the validity bitmap in one piece each, not a value at a time.
fn nullable<T, P>(name: &str, values: &[T], none: T, to: fn(T) -> P::Native) -> Column
where
    T: Copy + PartialEq,
    P: PolarsNumericType,
{
    let mut column = Nullable::<P>::with_capacity(values.len());
    column.extend_all(values, none, to);
    column.finish(name)
}

/// A nullable column being built from a table's values (see `nullable`).
struct Nullable<P: PolarsNumericType> {
    native: Vec<P::Native>,
    valid: MutableBitmap,
}

impl<P: PolarsNumericType> Nullable<P> {
    fn with_capacity(n: usize) -> Self {
        Nullable {
            native: Vec::with_capacity(n),
            valid: MutableBitmap::with_capacity(n),
        }
    }

    /// Appends every value of `values`.
    fn extend_all<T: Copy + PartialEq>(&mut self, values: &[T], none: T, to: fn(T) -> P::Native) {
        // A null's slot holds 0, never the sentinel: kernels read it even though it is masked.
        self.native.extend(values.iter().map(|&v| {
            if v == none {
                P::Native::default()
            } else {
                to(v)
            }
        }));
        self.valid
            .extend_from_trusted_len_iter(values.iter().map(|v| *v != none));
    }

    /// Appends one value.
    fn push<T: Copy + PartialEq>(&mut self, v: T, none: T, to: fn(T) -> P::Native) {
        self.native.push(if v == none {
            P::Native::default()
        } else {
            to(v)
        });
        self.valid.push(v != none);
    }

    fn finish(self, name: &str) -> Column {
        ChunkedArray::<P>::from_vec_validity(name.into(), self.native, Some(self.valid.into()))
            .into_column()
    }
}

/// The nullable polars column `$name` of the period's values of `$field` (null where `$none`,
/// as `$type`), the table's column consumed.
macro_rules! take_nullable {
    ($cols:ident, $name:literal, $field:ident, $none:expr, $type:ty, $to:expr) => {
        $cols.nullable::<_, $type>($name, (|c| &c.$field, |c| &mut c.$field), $none, $to)
    };
}

fn opt_u32<T: Copy + PartialEq + Into<u32>>(name: &str, values: &[T], none: T) -> Column {
    nullable::<T, UInt32Type>(name, values, none, Into::into)
}

fn opt_i32(name: &str, values: &[i32]) -> Column {
    nullable::<i32, Int32Type>(name, values, NO_DAY, |d| d)
}

/// The case frame, the category frame and the case-group frame of the period's cases.
pub(super) fn frames(
    table: Cow<'_, CaseTable>,
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
    let mut days = DayCache::new(cal, config.ack_promise(), start, end);
    let keep: Vec<Keep> = table
        .chunks
        .iter()
        .map(|c| Keep::of(&c.rday, start, end))
        .collect();
    // Reported before the period and decided within it: the only figure about cases outside
    // the period, so it is counted here, before they are dropped.
    let carried_over = table.carried_over(start, end);
    let incident_column = table.incident_column;
    let mut cols = Columns {
        chunks: match table {
            Cow::Owned(t) => Cow::Owned(t.chunks),
            Cow::Borrowed(t) => Cow::Borrowed(t.chunks.as_slice()),
        },
        n: 0,
        keep,
    };
    cols.n = cols
        .chunks
        .iter()
        .zip(&cols.keep)
        .map(|(c, k)| match k {
            Keep::None => 0,
            Keep::All => c.len(),
            Keep::Rows(rows) => rows.iter().filter(|k| **k).count(),
        })
        .sum();
    let n = cols.n;

    // With incidents, each case, (case, category) and (case, group) row carries the case's
    // incident number: the same for the cases of one incident.
    // A chunk from an export without the column has no ids: its reports are incidents of
    // their own, and name nobody.
    let numbered = incident_column.then(|| {
        let ids = Kept {
            cols: &cols,
            field: |c| &c.incident,
            empty: NO_INCIDENT,
        };
        let numbered = dense_numbers(&ids, NO_INCIDENT, true);
        cols.free(|c| &mut c.incident);
        numbered
    });
    let people = people.then(|| {
        let ids = Kept {
            cols: &cols,
            field: |c| &c.person,
            empty: NO_PERSON,
        };
        let numbers = dense_numbers(&ids, NO_PERSON, false).0;
        cols.free(|c| &mut c.person);
        numbers
    });

    // Categories: a row per (case, category). A case counts once in each group any of its
    // categories belongs to: a row's categories are consecutive, so its groups are
    // deduplicated as they come.
    // Most cases have a category or two: room for that, so the vectors seldom grow.
    let with_inc = |n: usize| Vec::with_capacity(if numbered.is_some() { n } else { 0 });
    let (mut cat, mut cat_inc) = (Vec::with_capacity(n + n / 2), with_inc(n + n / 2));
    let (mut case_grp, mut grp_inc) = (Vec::with_capacity(n + n / 4), with_inc(n + n / 4));
    let mut row_groups: Vec<u32> = Vec::new();
    // The case (its place among the period's cases) of the categories being read.
    let mut first_case = 0usize;
    for (c, k) in cols.chunks.iter().zip(&cols.keep) {
        if matches!(k, Keep::None) {
            continue;
        }
        // Each kept row's place among the period's cases.
        let place: Option<Vec<u32>> = match k {
            Keep::Rows(rows) => Some(
                rows.iter()
                    .scan(first_case as u32, |next, &kept| {
                        let here = *next;
                        *next += u32::from(kept);
                        Some(here)
                    })
                    .collect(),
            ),
            _ => None,
        };
        let mut last_case: Option<usize> = None;
        for (&row, &key) in c.category_row.iter().zip(&c.category) {
            let row = row as usize;
            if !k.row(row) {
                continue;
            }
            let case = place.as_ref().map_or(first_case + row, |p| p[row] as usize);
            let inc = numbered.as_ref().map(|(numbers, _)| numbers[case]);
            let g = group_of.get(usize::from(key)).copied().unwrap_or(0);
            if last_case != Some(case) {
                last_case = Some(case);
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
        first_case += match k {
            Keep::All => c.len(),
            Keep::Rows(rows) => rows.iter().filter(|k| **k).count(),
            Keep::None => 0,
        };
    }
    cols.free(|c| &mut c.category_row);
    cols.free(|c| &mut c.category);
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
    let (case_inc, incidents) = match numbered {
        Some((numbers, total)) => (Some(Column::new("inc".into(), numbers)), Some(total)),
        None => (None, None),
    };

    // Values derived from a column are computed before the column is freed.
    let rday = take!(cols, rday);
    let ack_due: Vec<i32> = rday.iter().map(|&d| days.due(d)).collect();
    let rmonth: Vec<i32> = rday.iter().map(|&d| days.month(d)).collect();
    let res_day = take!(cols, res_day);
    let res_month: Vec<i32> = res_day
        .iter()
        .map(|&d| if d == NO_DAY { NO_DAY } else { days.month(d) })
        .collect();
    let level = take!(cols, level);
    let is_appealable: Vec<bool> = level
        .iter()
        .map(|l| *l != NONE16 && appealable.contains(l))
        .collect();
    let flags = take!(cols, flags);
    let interim: Vec<bool> = flags.iter().map(|f| f & INTERIM != 0).collect();
    let suspension_days = take!(cols, suspension_days);
    let sdays = UInt32Chunked::from_iter_options(
        "sdays".into(),
        suspension_days
            .iter()
            .zip(&flags)
            .map(|(d, f)| (f & HAS_SUSPENSION_DAYS != 0).then_some(*d)),
    )
    .into_column();
    drop(flags);
    let mut columns = vec![
        Column::new("rday".into(), rday),
        Column::new("rmonth".into(), rmonth),
        // An empty platform (the column is not in every export) is null, counted nowhere.
        take_nullable!(cols, "platform", platform, NONE16, UInt32Type, u32::from),
        opt_u32("level", &level, NONE16),
        take_nullable!(cols, "reporter", reporter, NONE8, UInt32Type, u32::from),
        take_nullable!(cols, "action", action, NONE16, UInt32Type, u32::from),
        take_nullable!(cols, "handler", handler, NONE16, UInt32Type, u32::from),
        take_nullable!(cols, "channel", channel, NONE16, UInt32Type, u32::from),
        take_nullable!(cols, "referral", referral, NONE16, UInt32Type, u32::from),
        sdays,
        Column::new("interim".into(), interim),
        take_nullable!(cols, "ack_secs", ack_secs, NO_SECS, Int64Type, |s| s),
        take_nullable!(cols, "ack_day", ack_day, NO_DAY, Int32Type, |d| d),
        Column::new("ack_due".into(), ack_due),
        take_nullable!(cols, "res_secs", res_secs, NO_SECS, Int64Type, |s| s),
        opt_i32("res_day", &res_day),
        opt_i32("res_month", &res_month),
        take_nullable!(cols, "comm_day", comm_day, NO_DAY, Int32Type, |d| d),
        take_nullable!(cols, "filed_day", filed_day, NO_DAY, Int32Type, |d| d),
        take_nullable!(cols, "appeal_secs", appeal_secs, NO_SECS, Int64Type, |s| s),
        take_nullable!(cols, "outcome", outcome, NONE8, UInt32Type, u32::from),
        Column::new("appealable".into(), is_appealable),
    ];
    columns.extend(case_inc);
    if let Some(numbers) = people {
        columns.push(opt_u32("person", &numbers, u32::MAX));
    }
    Ok(Frames {
        cases: DataFrame::new(n, columns)?,
        cats,
        case_groups,
        incidents,
        carried_over,
    })
}

/// Ids in a fixed order, visited as many times as needed without a copy of them.
pub(super) trait Ids {
    /// How many ids (empty ones included).
    fn len(&self) -> usize;
    /// Calls `f` with each id's place and the id, in order.
    fn each(&self, f: impl FnMut(usize, u128));
}

impl Ids for [u128] {
    fn len(&self) -> usize {
        <[u128]>::len(self)
    }
    fn each(&self, mut f: impl FnMut(usize, u128)) {
        for (i, &id) in self.iter().enumerate() {
            f(i, id);
        }
    }
}

/// The period's values of an id column of the table, `empty` in the chunks of an export
/// without the column; placed among the period's cases.
struct Kept<'a> {
    cols: &'a Columns<'a>,
    field: fn(&CaseChunk) -> &Vec<u128>,
    empty: u128,
}

impl Ids for Kept<'_> {
    fn len(&self) -> usize {
        self.cols.n
    }
    fn each(&self, mut f: impl FnMut(usize, u128)) {
        let mut place = 0;
        for (c, k) in self.cols.chunks.iter().zip(&self.cols.keep) {
            let ids = (self.field)(c);
            let id = |row: usize| ids.get(row).copied().unwrap_or(self.empty);
            match k {
                Keep::None => {}
                Keep::All => {
                    for row in 0..c.len() {
                        f(place, id(row));
                        place += 1;
                    }
                }
                Keep::Rows(rows) => {
                    for (row, _) in rows.iter().enumerate().filter(|(_, k)| **k) {
                        f(place, id(row));
                        place += 1;
                    }
                }
            }
        }
    }
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

/// Dense numbers for hashed ids: equal ids share a number, `none` (an empty cell) gets a
/// number of its own each when `fresh`, else `u32::MAX`. Returns the numbers and how many
/// were given. Only which numbers are equal matters (polars counts distinct ones), so the
/// ids are numbered bucket by bucket of their leading bits: each bucket's map stays in the
/// cache, where one map of a million ids would miss it on every insert.
pub(super) fn dense_numbers<I: Ids + ?Sized>(ids: &I, none: u128, fresh: bool) -> (Vec<u32>, u64) {
    const BITS: u32 = 8;
    let bucket = |id: u128| (id >> (128 - BITS)) as usize;
    let mut starts = vec![0usize; (1 << BITS) + 1];
    ids.each(|_, id| {
        if id != none {
            starts[bucket(id) + 1] += 1;
        }
    });
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    // Each id with its row, grouped by bucket (the order within a bucket is the table's).
    let mut grouped: Vec<(u64, u64, u32)> = vec![(0, 0, 0); starts[starts.len() - 1]];
    let mut fill = starts.clone();
    ids.each(|row, id| {
        if id != none {
            let b = bucket(id);
            grouped[fill[b]] = ((id >> 64) as u64, id as u64, row as u32);
            fill[b] += 1;
        }
    });
    let mut numbers = vec![u32::MAX; ids.len()];
    let mut next = 0u32;
    let largest = starts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let mut seen: HashMap<(u64, u64), u32, BuildHasherDefault<Prehashed>> =
        HashMap::with_capacity_and_hasher(largest, BuildHasherDefault::default());
    for w in starts.windows(2) {
        seen.clear();
        for &(hi, lo, row) in &grouped[w[0]..w[1]] {
            numbers[row as usize] = *seen.entry((hi, lo)).or_insert_with(|| {
                next += 1;
                next - 1
            });
        }
    }
    if fresh {
        ids.each(|row, id| {
            if id == none {
                numbers[row] = next;
                next += 1;
            }
        });
    }
    (numbers, u64::from(next))
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
