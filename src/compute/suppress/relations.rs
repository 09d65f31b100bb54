//! The counts of a report as the unknowns of a reader's arithmetic, and the linear relations
//! between them that hold for this period's cases (SPEC §7).
//!
//! Every relation is a candidate a reader could know or guess (a table adds up to the total,
//! a group is the sum of its sections, levelled cases are decided, …), checked against the
//! exact figures before it is used: an inequality that is tight in the data is kept as an
//! equation (when every case cites one section, the group *is* the sum of its sections), one
//! that does not hold is dropped. Assuming more than a reader knows only hides more; assuming
//! less could publish a derivable cell.

use std::collections::{BTreeSet, HashMap};

use crate::compute::aggregate::Support;
use crate::config::Taxonomy;
use crate::model::{Count, IncidentFigures, Summary, UNASSIGNED};

/// What a count is to the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count the report publishes unless suppression withholds it.
    Cell,
    /// A total that is always published (cases, distinct incidents).
    Total,
    /// A count the report never publishes but that a reader knows exists: the number of
    /// values behind a median.
    Latent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub table: &'static str,
    pub key: String,
    /// The exact value, before suppression.
    pub value: u64,
    pub kind: Kind,
}

/// `lo ≤ Σ coefficient · var ≤ hi`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub terms: Vec<(usize, f64)>,
    pub lo: f64,
    pub hi: f64,
}

pub(super) type Slot<'a> = (&'static str, String, &'a mut Count);

/// Every suppressible count of the summary (and of the incident figures), in report order:
/// the order of the audit's cells, of `SuppressionReport::complementary_cells` ties, and of
/// the choice of complements.
pub(super) fn slots<'a>(s: &'a mut Summary, inc: Option<&'a mut IncidentFigures>) -> Vec<Slot<'a>> {
    let mut out: Vec<Slot<'_>> = Vec::new();
    out.push(("cases", "resolved".into(), &mut s.cases.resolved));
    out.push((
        "cases",
        "open_at_period_end".into(),
        &mut s.cases.open_at_period_end,
    ));
    // Cases of earlier periods: no relation ties them to this period's figures, but a small
    // number is withheld like any other.
    out.push(("cases", "carried_over".into(), &mut s.cases.carried_over));
    let mut tables = vec![
        ("by_platform", &mut s.by_platform),
        ("by_moderation_level", &mut s.by_moderation_level),
        ("by_category", &mut s.by_category),
        ("by_category_group", &mut s.by_category_group),
    ];
    let (mut inc_action, mut inc_handler) = (None, None);
    let mut inc_more = Vec::new();
    if let Some(i) = inc {
        tables.push(("incidents.by_category", &mut i.by_category));
        tables.push(("incidents.by_category_group", &mut i.by_category_group));
        inc_action = i.by_action.as_mut();
        inc_handler = i.by_handler.as_mut();
        for (name, t) in [
            ("incidents.by_platform", i.by_platform.as_mut()),
            (
                "incidents.by_moderation_level",
                i.by_moderation_level.as_mut(),
            ),
            ("incidents.by_reporter_type", i.by_reporter_type.as_mut()),
        ] {
            if let Some(t) = t {
                inc_more.push((name, t));
            }
        }
    }
    tables.push(("by_action", &mut s.by_action));
    if let Some(t) = inc_action {
        tables.push(("incidents.by_action", t));
    }
    tables.push(("by_reporter_type", &mut s.by_reporter_type));
    // `null` in a published summary when not recorded: then it has no cells to read.
    if let Some(t) = &mut s.by_channel {
        tables.push(("by_channel", t));
    }
    if let Some(t) = &mut s.by_referral {
        tables.push(("by_referral", t));
    }
    if let Some(h) = &mut s.by_handler {
        tables.push(("by_handler", h));
    }
    if let Some(t) = inc_handler {
        tables.push(("incidents.by_handler", t));
    }
    tables.extend(inc_more);
    let people = match &mut s.people {
        Some(p) => {
            out.push(("people", "named".into(), &mut p.named));
            Some(&mut p.by_action)
        }
        None => None,
    };
    if let Some(p) = people {
        tables.push(("people.by_action", p));
    }
    for (table, m) in tables {
        for (k, v) in m.iter_mut() {
            out.push((table, k.clone(), v));
        }
    }
    out.push(("suspensions", "interim".into(), &mut s.suspensions.interim));
    let r = &mut s.resolution_days;
    out.push(("resolution_days", "count".into(), &mut r.count));
    for (k, lv) in r.by_moderation_level.iter_mut() {
        out.push((
            "resolution_days.by_moderation_level",
            k.clone(),
            &mut lv.count,
        ));
    }
    for (k, v) in r.histogram.iter_mut() {
        out.push(("resolution_days.histogram", k.clone(), v));
    }
    out.push(("acknowledgement", "met".into(), &mut s.acknowledgement.met));
    let a = &mut s.appeals;
    out.push(("appeals", "filed".into(), &mut a.filed));
    for (k, v) in a.by_outcome.iter_mut() {
        out.push(("appeals.by_outcome", k.clone(), v));
    }
    out.push(("appeals.eligibility", "eligible".into(), &mut a.eligible));
    out.push((
        "appeals.eligibility",
        "not_eligible".into(),
        &mut a.not_eligible,
    ));
    out.push(("appeals.window", "timely".into(), &mut a.timely));
    out.push(("appeals.window", "late".into(), &mut a.late));
    out.push((
        "appeals.window",
        "window_unknown".into(),
        &mut a.window_unknown,
    ));
    let mut resolved = Vec::new();
    for m in s.monthly.iter_mut() {
        out.push(("monthly.reported", m.month.clone(), &mut m.reported));
        resolved.push(("monthly.resolved", m.month.clone(), &mut m.resolved));
    }
    out.extend(resolved);
    out
}

/// The published state of every cell of `slots`, in the same order.
pub(super) fn published(s: &Summary, inc: Option<&IncidentFigures>) -> Vec<Count> {
    let mut s = s.clone();
    let mut inc = inc.cloned();
    slots(&mut s, inc.as_mut())
        .into_iter()
        .map(|(_, _, v)| *v)
        .collect()
}

/// The published state of every cell of `slots`, by table and key: a table published as
/// `null` (its fact not recorded) has no cells here.
pub(super) fn published_by_key(
    s: &Summary,
    inc: Option<&IncidentFigures>,
) -> HashMap<(&'static str, String), Count> {
    let mut s = s.clone();
    let mut inc = inc.cloned();
    slots(&mut s, inc.as_mut())
        .into_iter()
        .map(|(t, k, v)| ((t, k), *v))
        .collect()
}

/// The unknowns: every cell of `slots` (exact values), then the totals, then the latent
/// counts behind the medians.
pub fn vars(s: &Summary, inc: Option<&IncidentFigures>, support: &Support) -> Vec<Var> {
    let mut exact = s.clone();
    let mut inc_exact = inc.cloned();
    let mut out: Vec<Var> = slots(&mut exact, inc_exact.as_mut())
        .into_iter()
        .map(|(table, key, v)| Var {
            table,
            key,
            value: v.unwrap_or(0),
            kind: Kind::Cell,
        })
        .collect();
    let mut fixed = |table, key: &str, value, kind| {
        out.push(Var {
            table,
            key: key.to_string(),
            value,
            kind,
        })
    };
    fixed("cases", "total", s.cases.total.unwrap_or(0), Kind::Total);
    if let Some(i) = inc {
        fixed("incidents", "incidents", i.incidents, Kind::Total);
    }
    fixed(
        "support",
        "acknowledged",
        support.acknowledged,
        Kind::Latent,
    );
    fixed(
        "support",
        "appeals_decided",
        support.appeals_decided,
        Kind::Latent,
    );
    fixed(
        "support",
        "suspension_days",
        support.suspension_days,
        Kind::Latent,
    );
    // Cases reported but not yet resolved at the end of each month with cases (and of the
    // last month): never negative. Months without any carry the backlog over, so a long
    // period with a few busy months keeps a short chain.
    let mut backlog: u64 = 0;
    for (k, m) in s.monthly.iter().enumerate() {
        let (reported, resolved) = (m.reported.unwrap_or(0), m.resolved.unwrap_or(0));
        backlog = (backlog + reported).saturating_sub(resolved);
        if reported + resolved > 0 || k + 1 == s.monthly.len() {
            fixed("backlog", &m.month, backlog, Kind::Latent);
        }
    }
    out
}

/// Collects candidate relations, keeping those the data satisfies.
struct Builder<'a> {
    vars: &'a [Var],
    index: HashMap<(&'a str, &'a str), usize>,
    rows: Vec<Row>,
    /// Each relation once: its terms, bound and whether it is an equation.
    seen: BTreeSet<(Terms, i64, bool)>,
}

type Terms = Vec<(usize, i64)>;

/// How a candidate relation is checked against the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// An inequality that always holds; an equation where it is tight.
    Tight,
    /// An equation that holds only in some periods: kept where it does.
    Exactly,
    /// A bound a reader knows as a bound (from a published median, a positive count):
    /// never turned into an equation.
    Bound,
    /// Known to hold whatever the data (by construction of the figures): kept as stated,
    /// an equation when `true`, without looking at the values (a reader without the export
    /// has none).
    Always(bool),
}

impl<'a> Builder<'a> {
    fn new(vars: &'a [Var]) -> Self {
        let index = vars
            .iter()
            .enumerate()
            .map(|(i, v)| ((v.table, v.key.as_str()), i))
            .collect();
        Builder {
            vars,
            index,
            rows: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    fn at(&self, table: &str, key: &str) -> Option<usize> {
        self.index.get(&(table, key)).copied()
    }

    fn table(&self, table: &str) -> Vec<usize> {
        (0..self.vars.len())
            .filter(|&i| self.vars[i].table == table)
            .collect()
    }

    /// `Σ terms ≤ bound`, kept as the data has it (see `Holds`).
    fn add(&mut self, terms: Terms, bound: i64, holds: Holds) {
        let mut merged: std::collections::BTreeMap<usize, i64> = Default::default();
        for (i, c) in terms {
            *merged.entry(i).or_default() += c;
        }
        let terms: Terms = merged.into_iter().filter(|&(_, c)| c != 0).collect();
        if terms.is_empty() {
            return;
        }
        let value: i128 = terms
            .iter()
            .map(|&(i, c)| i128::from(c) * i128::from(self.vars[i].value))
            .sum();
        let bound128 = i128::from(bound);
        let tight = match holds {
            Holds::Always(equation) => equation,
            Holds::Bound => false,
            Holds::Tight | Holds::Exactly => value == bound128,
        };
        let checked = !matches!(holds, Holds::Always(_));
        if checked && (value > bound128 || (holds == Holds::Exactly && !tight)) {
            return;
        }
        if !self.seen.insert((terms.clone(), bound, tight)) {
            return;
        }
        self.rows.push(Row {
            terms: terms.iter().map(|&(i, c)| (i, c as f64)).collect(),
            lo: if tight {
                bound as f64
            } else {
                f64::NEG_INFINITY
            },
            hi: bound as f64,
        });
    }

    /// `Σ small ≤ Σ big`. A side without cells (a key the taxonomy does not have) makes no
    /// relation, rather than one that says the other side is 0.
    fn at_most(&mut self, small: &[usize], big: &[usize]) {
        if small.is_empty() || big.is_empty() {
            return;
        }
        let terms = plus(small).into_iter().chain(minus(big)).collect();
        self.add(terms, 0, Holds::Tight);
    }

    /// `Σ parts = Σ whole` (`equation`) or `Σ parts ≤ Σ whole`, as known whatever the data.
    fn always(&mut self, parts: &[usize], whole: &[usize], equation: bool) {
        if parts.is_empty() || whole.is_empty() {
            return;
        }
        let terms = plus(parts).into_iter().chain(minus(whole)).collect();
        self.add(terms, 0, Holds::Always(equation));
    }

    /// `Σ a = Σ b`, when it holds.
    fn equal_if(&mut self, a: &[usize], b: &[usize]) {
        if a.is_empty() || b.is_empty() {
            return;
        }
        let terms = plus(a).into_iter().chain(minus(b)).collect();
        self.add(terms, 0, Holds::Exactly);
    }
}

fn plus(v: &[usize]) -> Terms {
    v.iter().map(|&i| (i, 1)).collect()
}

fn minus(v: &[usize]) -> Terms {
    v.iter().map(|&i| (i, -1)).collect()
}

/// The tables of the period's cases, each a part of the total: every case is in one cell of
/// each (by platform only when it names one: an empty platform is in no cell).
const CASE_TABLES: [&str; 8] = [
    "by_platform",
    "by_moderation_level",
    "by_action",
    "by_reporter_type",
    "by_channel",
    "by_referral",
    "by_handler",
    "monthly.reported",
];

/// The tables of the appeals filed: every appeal is in one cell of each.
const APPEAL_TABLES: [&str; 3] = [
    "appeals.by_outcome",
    "appeals.eligibility",
    "appeals.window",
];

/// The relations a reader knows without the export: those that hold by construction of the
/// figures, whatever the cases. Every case of the period is in one cell of each table of
/// `CASE_TABLES` (its level, action, reporter type "unassigned" when empty; a platform only
/// when named, so that table is at most the total) and resolved or open; each resolved case in
/// one month; each decided case in one bin of the histogram; each appeal in one cell of each
/// table of `APPEAL_TABLES`; an incident is counted in a section (group) only where one of its
/// reports is. Relations that hold only in some periods' data (a group as the sum of its
/// sections when no case cites two) are not known to a reader and are left out: the build's
/// `relations` checks those against the export.
pub fn by_construction(vars: &[Var]) -> Vec<Row> {
    let mut b = Builder::new(vars);
    let one = |i: Option<usize>| -> Vec<usize> { i.into_iter().collect() };
    let total = one(b.at("cases", "total"));
    let resolved = one(b.at("cases", "resolved"));
    let open = one(b.at("cases", "open_at_period_end"));
    b.always(&[resolved.clone(), open].concat(), &total, true);
    for t in CASE_TABLES {
        let parts = b.table(t);
        b.always(&parts, &total, t != "by_platform");
    }
    let monthly_resolved = b.table("monthly.resolved");
    b.always(&monthly_resolved, &resolved, true);
    let histogram = b.table("resolution_days.histogram");
    let decided = one(b.at("resolution_days", "count"));
    b.always(&histogram, &decided, true);
    let filed = one(b.at("appeals", "filed"));
    for t in APPEAL_TABLES {
        let parts = b.table(t);
        b.always(&parts, &filed, true);
    }
    let incidents = one(b.at("incidents", "incidents"));
    b.always(&incidents, &total, false);
    for (reports, counted) in [
        ("by_category", "incidents.by_category"),
        ("by_category_group", "incidents.by_category_group"),
    ] {
        for i in b.table(counted) {
            let r = one(b.at(reports, &vars[i].key));
            b.always(&[i], &r, false);
        }
    }
    b.rows
}

/// The relations between `vars` that hold for this period's cases; `appealable` are the
/// level keys an appeal is open to.
pub fn relations(vars: &[Var], tax: &Taxonomy, appealable: &[String], min: u64) -> Vec<Row> {
    let mut b = Builder::new(vars);
    let one = |i: Option<usize>| -> Vec<usize> { i.into_iter().collect() };
    let total = one(b.at("cases", "total"));
    let resolved = one(b.at("cases", "resolved"));
    let open = one(b.at("cases", "open_at_period_end"));
    let res_count = one(b.at("resolution_days", "count"));

    // Tables of the cases of the period, and the resolved cases month by month.
    b.at_most(&[resolved.clone(), open.clone()].concat(), &total);
    for t in CASE_TABLES {
        let parts = b.table(t);
        b.at_most(&parts, &total);
    }
    let monthly_resolved = b.table("monthly.resolved");
    b.at_most(&monthly_resolved, &resolved);
    // A case is resolved after it is reported: up to any month, no more resolved than
    // reported. Said month by month through the backlog (reported minus resolved so far, never
    // negative), so the relations grow with the months, not their square. (That the backlog
    // happens to be 0 at some month's end is not something a reader could know.)
    let backlog = b.table("backlog");
    let (mut before, mut pending): (Option<usize>, Terms) = (None, Vec::new());
    for i in b.table("monthly.reported") {
        let month = vars[i].key.clone();
        pending.push((i, -1));
        pending.extend(b.at("monthly.resolved", &month).map(|r| (r, 1)));
        let Some(now) = b.at("backlog", &month) else {
            continue;
        };
        let mut terms = std::mem::take(&mut pending);
        terms.push((now, 1));
        terms.extend(before.map(|p| (p, -1)));
        b.add(terms, 0, Holds::Exactly);
        before = Some(now);
    }
    if let Some(&last) = backlog.last() {
        b.equal_if(&[last], &open);
    }

    // The resolution figures count every case with a decision, also one taken after the
    // period end.
    b.at_most(&resolved, &res_count);
    b.at_most(&res_count, &total);
    let histogram = b.table("resolution_days.histogram");
    b.at_most(&histogram, &res_count);
    let res_levels = b.table("resolution_days.by_moderation_level");
    b.at_most(&res_levels, &res_count);
    let no_level = one(b.at("by_moderation_level", UNASSIGNED));
    // Decided cases without a level are among the cases without a level.
    b.at_most(&res_count, &[res_levels.clone(), no_level.clone()].concat());
    for &i in &res_levels {
        let level = one(b.at("by_moderation_level", &vars[i].key));
        b.at_most(&[i], &level);
    }
    // Cases without a level or action against the cases without a decision.
    let no_action = one(b.at("by_action", UNASSIGNED));
    for missing in [&no_level, &no_action] {
        if missing.is_empty() {
            continue;
        }
        if !res_count.is_empty() && !total.is_empty() {
            // total − missing ≤ decided: every case with a level (an action) is decided.
            b.add(
                plus(&total)
                    .into_iter()
                    .chain(minus(missing))
                    .chain(minus(&res_count))
                    .collect(),
                0,
                Holds::Tight,
            );
        }
        b.equal_if(missing, &open);
    }
    b.equal_if(&no_level, &no_action);

    // Appeals: outcomes, eligibility and timing each add up to the appeals filed.
    let filed = one(b.at("appeals", "filed"));
    for t in APPEAL_TABLES {
        let parts = b.table(t);
        b.at_most(&parts, &filed);
    }
    b.at_most(&filed, &total);
    b.at_most(&filed, &res_count);
    let appealable_levels: Vec<usize> = tax
        .levels
        .iter()
        .filter(|l| appealable.iter().any(|a| a.eq_ignore_ascii_case(&l.key)))
        .filter_map(|l| b.at("by_moderation_level", &l.key))
        .collect();
    let eligible = one(b.at("appeals.eligibility", "eligible"));
    let not_eligible = one(b.at("appeals.eligibility", "not_eligible"));
    b.at_most(&eligible, &appealable_levels);
    b.at_most(&[not_eligible, appealable_levels].concat(), &total);
    let decided_appeals = one(b.at("support", "appeals_decided"));
    b.at_most(&decided_appeals, &filed);
    let decided_outcomes: Vec<usize> = ["upheld", "overturned", "modified"]
        .iter()
        .filter_map(|k| b.at("appeals.by_outcome", k))
        .collect();
    b.at_most(&decided_outcomes, &decided_appeals);

    // Acknowledgement and suspensions.
    let met = one(b.at("acknowledgement", "met"));
    let acknowledged = one(b.at("support", "acknowledged"));
    b.at_most(&met, &acknowledged);
    b.at_most(&acknowledged, &total);
    let interim = one(b.at("suspensions", "interim"));
    b.at_most(&interim, &total);
    let temporary: Vec<usize> = tax
        .temporary_suspension_actions()
        .iter()
        .filter_map(|k| b.at("by_action", k))
        .collect();
    let with_days = one(b.at("support", "suspension_days"));
    b.at_most(&with_days, &temporary);

    // People: each is named in at least one case of the period, and under at least one action
    // (or none recorded) of those cases; an action's people are no more than its cases.
    let named = one(b.at("people", "named"));
    let people_by_action = b.table("people.by_action");
    b.at_most(&named, &total);
    b.at_most(&named, &people_by_action);
    for &i in &people_by_action {
        b.at_most(&[i], &named);
        let cases = one(b.at("by_action", &vars[i].key));
        b.at_most(&[i], &cases);
    }

    // Sections and groups, for the reports and for the incidents.
    let incidents = one(b.at("incidents", "incidents"));
    for (sections, groups, whole) in [
        ("by_category", "by_category_group", &total),
        (
            "incidents.by_category",
            "incidents.by_category_group",
            &incidents,
        ),
    ] {
        let all_groups: Vec<usize> = tax
            .category_groups
            .iter()
            .filter_map(|g| b.at(groups, &g.key))
            .collect();
        let all_sections: Vec<usize> = tax
            .categories
            .iter()
            .filter_map(|c| b.at(sections, &c.key))
            .collect();
        if all_groups.is_empty() || whole.is_empty() {
            continue;
        }
        // Every case (incident) cites at least one section, so is in at least one group.
        b.at_most(whole, &all_groups);
        b.at_most(whole, &all_sections);
        for g in &tax.category_groups {
            let group = one(b.at(groups, &g.key));
            let members: Vec<usize> = tax
                .categories
                .iter()
                .filter(|c| c.group == g.key)
                .filter_map(|c| b.at(sections, &c.key))
                .collect();
            for &m in &members {
                b.at_most(&[m], &group);
            }
            b.at_most(&group, &members);
            b.at_most(&group, whole);
        }
    }
    // An incident counts once in each section its reports cite: never more often than the
    // reports, and at least once where a report does.
    if !incidents.is_empty() {
        b.at_most(&incidents, &total);
        // Every incident has at least one report, so at least one action (or none recorded)
        // and one handler (or none): the incidents by action or handler add up to at least all
        // incidents, each at most all of them.
        // Levels and reporter types too (an empty cell is "unassigned"); not platforms,
        // which a report may leave unnamed.
        for t in [
            "incidents.by_action",
            "incidents.by_handler",
            "incidents.by_moderation_level",
            "incidents.by_reporter_type",
        ] {
            let cells = b.table(t);
            b.at_most(&incidents, &cells);
            for &i in &cells {
                b.at_most(&[i], &incidents);
            }
        }
        for &i in &b.table("incidents.by_platform") {
            b.at_most(&[i], &incidents);
        }
        for (reports, counted) in [
            ("by_category", "incidents.by_category"),
            ("by_category_group", "incidents.by_category_group"),
            ("by_action", "incidents.by_action"),
            ("by_handler", "incidents.by_handler"),
            ("by_platform", "incidents.by_platform"),
            ("by_moderation_level", "incidents.by_moderation_level"),
            ("by_reporter_type", "incidents.by_reporter_type"),
        ] {
            for i in b.table(counted) {
                let r = one(b.at(reports, &vars[i].key));
                b.at_most(&[i], &r);
                if r.iter().any(|&r| vars[r].value > 0) {
                    b.add(vec![(i, -1)], -1, Holds::Bound);
                }
            }
        }
    }

    // A median, percentile or mean is published only over at least `min` values: whether
    // it is shown tells a reader which side of `min` its count lies.
    if min > 1 {
        let counted: Vec<usize> = [
            b.at("resolution_days", "count"),
            b.at("support", "acknowledged"),
            b.at("support", "appeals_decided"),
        ]
        .into_iter()
        .flatten()
        .chain(b.table("resolution_days.by_moderation_level"))
        .collect();
        for i in counted {
            if vars[i].value >= min {
                b.add(vec![(i, -1)], -(min as i64), Holds::Bound);
            } else {
                b.add(vec![(i, 1)], min as i64 - 1, Holds::Bound);
            }
        }
        // The median length of a suspension is also withheld with a small number of
        // suspensions, so only a published one says something.
        if let Some(i) = b.at("support", "suspension_days") {
            if vars[i].value >= min {
                b.add(vec![(i, -1)], -(min as i64), Holds::Bound);
            }
        }
    }
    b.rows
}

#[cfg(test)]
mod tests;
