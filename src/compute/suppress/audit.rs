//! The disclosure audit (SPEC §7): for each withheld cell, the smallest and the largest value
//! a reader can give it, by linear programming over everything the report publishes.
//!
//! A reader knows every published figure (`figures`: cells, the DSA summary, the history,
//! rates), that a cell shown as "< N" lies in 1..N-1 and a "suppressed" one is 0 or at least
//! N, and every relation of `relations`. A withheld cell is *exposed* when the range left to
//! it holds a single integer (and its label alone allowed more than one). The solver is
//! `microlp`, a pure-Rust simplex with branch and bound, so every build can run the audit
//! without a native library.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use super::figures::Published;
use super::relations::{Kind, Row, Var};
use crate::config::Taxonomy;
use crate::model::{IncidentFigures, Summary};

/// A component's program, its counts as program variables, and the (count, up, down)
/// deviations of the counts allowed to move.
type Program = (
    Problem,
    Vec<(usize, Variable)>,
    Vec<(usize, Variable, Variable)>,
);

/// Slack for the solver's floating point: ranges are compared to integers within it.
const EPS: f64 = 1e-6;

/// Everything the audit needs besides the published figures: the exact counts, the
/// relations between them, and how the report derives its other figures from the cells.
#[derive(Debug, Clone)]
pub struct Model {
    pub(super) vars: Vec<Var>,
    pub(super) relations: Vec<Row>,
    /// The relations each count appears in.
    rows_of: Vec<Vec<usize>>,
    pub(super) min_cell: u64,
    /// The number of cases of each count's period: what bounds a count a reader cannot see
    /// (one period in a report; a site's counts are of several).
    pub(super) totals: Vec<f64>,
    /// A site's model: the period of each count, named in what the audit reports.
    pub(super) periods: Vec<String>,
    pub(super) tax: Taxonomy,
    /// Figures published elsewhere as sums of cells (the DSA summary), by their parts.
    pub(super) sums: Vec<Vec<(&'static str, String)>>,
    pub(super) previous: Option<Summary>,
}

/// The outcome of an audit over a report's published figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub figures: usize,
    pub relations: usize,
    pub exposed: Vec<Exposed>,
}

/// A withheld cell a reader can work out.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposed {
    /// Where the cell is in `data/summary.json` (or `incidents.json`), e.g. `by_platform.blog`.
    pub cell: String,
    pub value: i64,
}

/// The published figures contradict each other (a report edited after it was built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistent;

impl Model {
    pub(super) fn new(
        vars: Vec<Var>,
        relations: Vec<Row>,
        min_cell: u64,
        tax: &Taxonomy,
        sums: &[Vec<(&'static str, String)>],
        previous: Option<&Summary>,
    ) -> Model {
        let total = vars
            .iter()
            .find(|v| v.table == "cases" && v.key == "total")
            .map_or(0.0, |v| v.value as f64);
        let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); vars.len()];
        for (r, row) in relations.iter().enumerate() {
            for &(i, _) in &row.terms {
                rows_of[i].push(r);
            }
        }
        let totals = vec![total; vars.len()];
        Model {
            vars,
            relations,
            rows_of,
            min_cell,
            totals,
            periods: Vec::new(),
            tax: tax.clone(),
            sums: sums.to_vec(),
            previous: previous.cloned(),
        }
    }

    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    pub(super) fn index(&self, table: &str, key: &str) -> Option<usize> {
        self.vars
            .iter()
            .position(|v| v.table == table && v.key == key)
    }

    /// Whether the cell was small (shown as "< N" when withheld).
    pub(super) fn small(&self, i: usize) -> bool {
        let v = &self.vars[i];
        v.kind == Kind::Cell && v.value >= 1 && v.value < self.min_cell
    }

    /// What a reader knows of an unpublished count before any arithmetic: its bounds, and
    /// whether it is "0 or at least `min_cell`" within them (a count shown as "suppressed":
    /// a smaller one would read "< N").
    fn prior(&self, i: usize) -> (f64, f64, bool) {
        match self.vars[i].kind {
            Kind::Cell if self.small(i) => (1.0, (self.min_cell - 1) as f64, false),
            Kind::Cell => (0.0, self.totals[i].max(self.min_cell as f64), true),
            Kind::Total => (0.0, f64::INFINITY, false),
            Kind::Latent => (0.0, self.totals[i], false),
        }
    }

    /// The state in which exactly the cells flagged in `hidden` are withheld.
    pub(super) fn withholding(&self, hidden: &[bool]) -> Vec<Option<f64>> {
        self.vars
            .iter()
            .enumerate()
            .map(|(i, v)| match v.kind {
                Kind::Latent => None,
                Kind::Total => Some(v.value as f64),
                Kind::Cell if hidden.get(i).copied().unwrap_or(false) => None,
                Kind::Cell => Some(v.value as f64),
            })
            .collect()
    }

    /// Audits a report as published: its summary and incident figures, and the figures built
    /// from them. Fails when the published figures contradict each other or the relations.
    pub fn check(&self, s: &Summary, inc: Option<&IncidentFigures>) -> Result<Audit, Inconsistent> {
        let p = self.published(s, inc);
        // A report as built publishes exact values; one edited since may not.
        let exact = p
            .fixed
            .iter()
            .zip(&self.vars)
            .all(|(f, v)| f.is_none_or(|f| f == v.value as f64));
        self.audit(&p, exact)
    }

    /// Audits a report as a reader without the export sees it (`reader`): the counts of the
    /// model are the published ones, so no value of a withheld cell is known to be possible.
    pub(super) fn check_as_reader(
        &self,
        s: &Summary,
        inc: Option<&IncidentFigures>,
    ) -> Result<Audit, Inconsistent> {
        self.audit(&self.published(s, inc), false)
    }

    /// Audits every withheld cell of a published state. `truth_holds`: the published values
    /// are the exact ones (a build), so a cell's own value is known to be in its range.
    fn audit(&self, p: &Published, truth_holds: bool) -> Result<Audit, Inconsistent> {
        let targets: Vec<usize> = (0..self.vars.len())
            .filter(|&i| self.vars[i].kind == Kind::Cell && p.fixed[i].is_none())
            .collect();
        let exposed = self
            .exposed(&p.fixed, &p.figures, &targets, truth_holds)?
            .into_iter()
            .map(|(i, value)| Exposed {
                cell: self.describe(i),
                value,
            })
            .collect();
        Ok(Audit {
            figures: p.count,
            relations: self.relations.len(),
            exposed,
        })
    }

    /// The cells of `targets` a reader can work out, with their values, in `targets` order.
    pub(super) fn exposed(
        &self,
        fixed: &[Option<f64>],
        figures: &[Row],
        targets: &[usize],
        truth_holds: bool,
    ) -> Result<Vec<(usize, i64)>, Inconsistent> {
        let lp = Lp::new(self, fixed, figures)?;
        let mut out = Vec::new();
        if !truth_holds {
            for &t in targets {
                if let Some(v) = lp.pinned(t)? {
                    out.push((t, v));
                }
            }
            return Ok(out);
        }
        // The exact values are one point a reader cannot rule out; every optimum found is
        // another. A cell that differs by at least 1 between two such points has two integers
        // in its range, so each solve can clear many cells besides the one it was for.
        let mut safe = vec![false; self.vars.len()];
        let clear = |point: &[(usize, f64)], safe: &mut Vec<bool>| {
            for &(i, x) in point {
                if (x - self.vars[i].value as f64).abs() >= 1.0 - EPS {
                    safe[i] = true;
                }
            }
        };
        for &t in targets {
            let (lo, hi, _) = self.prior(t);
            if safe[t] || hi - lo < 1.0 {
                // hi − lo < 1: the label alone gives the value away ("< 2" is 1);
                // arithmetic adds nothing.
                continue;
            }
            for direction in [
                OptimizationDirection::Maximize,
                OptimizationDirection::Minimize,
            ] {
                // A failed solve proves nothing: unless the other direction clears the cell,
                // it counts as exposed.
                if let Some(point) = lp.extreme(t, direction)? {
                    clear(&point, &mut safe);
                }
                if safe[t] {
                    break;
                }
            }
            if !safe[t] {
                out.push((t, self.vars[t].value as i64));
            }
        }
        Ok(out)
    }

    /// Further cells to withhold so that exposed cell `e` is no longer exposed: a linear
    /// program lets every published non-zero count move off its value, at a cost per unit of
    /// that value, and finds the cheapest moves that take `e` one above or one below its value
    /// (the cheaper side); the counts that moved are the ones to withhold, since the point
    /// found stays possible for a reader once they are. Zeros stay: a published zero says
    /// something readers look for. `None` when no such moves exist: not even withholding
    /// every count would protect `e`.
    pub(super) fn cover(&self, hidden: &[bool], e: usize) -> Option<Vec<usize>> {
        let movable: Vec<bool> = (0..self.vars.len())
            .map(|i| self.vars[i].kind == Kind::Cell && !hidden[i] && self.vars[i].value > 0)
            .collect();
        let fixed: Vec<Option<f64>> = self
            .withholding(hidden)
            .into_iter()
            .zip(&movable)
            .map(|(f, &m)| if m { None } else { f })
            .collect();
        let lp = Lp::new(self, &fixed, &[]).ok()?;
        let c = lp.component[e]?;
        let value = self.vars[e].value as f64;
        let mut best: Option<(f64, Vec<usize>)> = None;
        // Moves that keep every withheld count on its side of the gap first (a plain linear
        // program); only when there are none, moves that may take one to 0.
        let tries = [
            (false, ComparisonOp::Ge, value + 1.0),
            (false, ComparisonOp::Le, value - 1.0),
            (true, ComparisonOp::Ge, value + 1.0),
            (true, ComparisonOp::Le, value - 1.0),
        ];
        for (either_or, op, goal) in tries {
            if either_or && best.is_some() {
                break;
            }
            let (mut problem, members, deviations) = lp.program(
                c,
                OptimizationDirection::Minimize,
                None,
                &movable,
                either_or,
            );
            let Some(&(_, x)) = members.iter().find(|(i, _)| *i == e) else {
                continue;
            };
            problem.add_constraint([(x, 1.0)], op, goal);
            let Ok(Ok(solution)) = problem.solve().map(|o| o.into_solution()) else {
                continue;
            };
            let moved: Vec<usize> = deviations
                .iter()
                .filter(|&&(_, up, down)| solution.var_value(up) + solution.var_value(down) > EPS)
                .map(|&(i, _, _)| i)
                .collect();
            let cost = solution.objective();
            if !moved.is_empty() && best.as_ref().is_none_or(|(b, _)| cost < *b - EPS) {
                best = Some((cost, moved));
            }
        }
        best.map(|(_, moved)| moved)
    }

    /// Where cell `i` is published, in words a reader of the data files recognises.
    pub fn describe(&self, i: usize) -> String {
        let path = cell_path(self.vars[i].table, &self.vars[i].key);
        match self.periods.get(i) {
            Some(label) => format!("{label}: {path}"),
            None => path,
        }
    }
}

/// A cell's place in `summary.json` (`incidents.*`: in `incidents.json`), e.g.
/// `by_platform.blog` or `monthly.2025-03.resolved`.
pub fn cell_path(table: &str, key: &str) -> String {
    match table {
        "appeals.eligibility" | "appeals.window" => format!("appeals.{key}"),
        "resolution_days.by_moderation_level" => {
            format!("resolution_days.by_moderation_level.{key}.count")
        }
        "monthly.reported" => format!("monthly.{key}.reported"),
        "monthly.resolved" => format!("monthly.{key}.resolved"),
        t => format!("{t}.{key}"),
    }
}

/// A latent count (a month's backlog) that an equation gives from published counts alone is
/// known to the reader: fixed here, so a long period's chain of months does not become one
/// large program.
fn settle_latent(model: &Model, fixed: &mut [Option<f64>]) {
    let rows = &model.relations;
    let mut work: Vec<usize> = (0..rows.len()).rev().collect();
    while let Some(r) = work.pop() {
        let row = &rows[r];
        if row.lo != row.hi {
            continue;
        }
        let mut open = row.terms.iter().filter(|&&(i, _)| fixed[i].is_none());
        let (Some(&(i, c)), None) = (open.next(), open.next()) else {
            continue;
        };
        if model.vars[i].kind != Kind::Latent {
            continue;
        }
        let rest: f64 = row
            .terms
            .iter()
            .filter_map(|&(j, c)| fixed[j].map(|v| c * v))
            .sum();
        fixed[i] = Some((row.lo - rest) / c);
        work.extend(model.rows_of[i].iter().copied());
    }
}

/// The reader's linear program for one published state, split into independent parts.
struct Lp<'a> {
    model: &'a Model,
    /// The published counts, and the latent ones a reader works out from them.
    fixed: Vec<Option<f64>>,
    /// Each row with the constant its published cells contribute, by component.
    rows: Vec<Vec<(&'a Row, f64)>>,
    /// The component of each unpublished count, and the counts of each component.
    component: Vec<Option<usize>>,
    members: Vec<Vec<usize>>,
}

impl<'a> Lp<'a> {
    fn new(
        model: &'a Model,
        fixed: &[Option<f64>],
        figures: &'a [Row],
    ) -> Result<Lp<'a>, Inconsistent> {
        let extra: Vec<&Row> = figures.iter().collect();
        let mut fixed = fixed.to_vec();
        settle_latent(model, &mut fixed);
        let component = Lp::components(model, &fixed, &extra);
        let all = model.relations.iter().chain(figures);
        let parts = component.iter().flatten().max().map_or(0, |m| m + 1);
        let mut rows: Vec<Vec<(&Row, f64)>> = vec![Vec::new(); parts];
        for r in all {
            let constant: f64 = r
                .terms
                .iter()
                .filter_map(|&(i, c)| fixed[i].map(|v| c * v))
                .sum();
            match r.terms.iter().find_map(|&(i, _)| component[i]) {
                Some(c) => rows[c].push((r, constant)),
                None => {
                    // Only published figures: they must agree with each other.
                    let slack = EPS * (1.0 + constant.abs());
                    if constant < r.lo - slack || constant > r.hi + slack {
                        return Err(Inconsistent);
                    }
                }
            }
        }
        let mut members = vec![Vec::new(); parts];
        for (i, c) in component.iter().enumerate() {
            if let Some(c) = c {
                members[*c].push(i);
            }
        }
        Ok(Lp {
            model,
            fixed,
            rows,
            component,
            members,
        })
    }

    /// Connected parts of the unpublished counts, joined by the rows they share (`extra`
    /// besides the relations); `None` for a published count.
    fn components(model: &Model, fixed: &[Option<f64>], extra: &[&Row]) -> Vec<Option<usize>> {
        let n = model.vars.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for r in model.relations.iter().chain(extra.iter().copied()) {
            let mut open = r
                .terms
                .iter()
                .map(|&(i, _)| i)
                .filter(|&i| fixed[i].is_none());
            if let Some(first) = open.next() {
                for other in open {
                    let (a, b) = (root(&mut parent, first), root(&mut parent, other));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut ids: Vec<Option<usize>> = vec![None; n];
        let mut next = 0;
        let mut by_root: Vec<Option<usize>> = vec![None; n];
        for i in 0..n {
            if fixed[i].is_some() {
                continue;
            }
            let r = root(&mut parent, i);
            let id = *by_root[r].get_or_insert_with(|| {
                next += 1;
                next - 1
            });
            ids[i] = Some(id);
        }
        ids
    }

    /// The extreme value of count `target` in `direction`; `None` when a solve fails
    /// (treated as "not proven safe").
    /// The program of component `c`: each unpublished count within what a reader knows of
    /// it, each row. A `movable` count (published, a candidate for withholding) lies in
    /// `min_cell..=total` (or, `either_or`, is 0 or in that range, as a reader would see it
    /// once withheld) and moves off its published value at a cost per unit of that value,
    /// through the returned (count, up, down) deviations.
    fn program(
        &self,
        c: usize,
        direction: OptimizationDirection,
        target: Option<usize>,
        movable: &[bool],
        either_or: bool,
    ) -> Program {
        let model = self.model;
        let mut problem = Problem::new(direction);
        let mut var_of: Vec<Option<Variable>> = vec![None; model.vars.len()];
        let (mut members, mut deviations) = (Vec::new(), Vec::new());
        let min = model.min_cell as f64;
        for &i in &self.members[c] {
            let objective = if Some(i) == target { 1.0 } else { 0.0 };
            let v = if movable.get(i).copied().unwrap_or(false) {
                let value = model.vars[i].value as f64;
                let top = model.totals[i].max(min);
                let v = if either_or {
                    let v = problem.add_var(objective, (0.0, top));
                    let on = problem.add_binary_var(0.0);
                    problem.add_constraint([(v, 1.0), (on, -min)], ComparisonOp::Ge, 0.0);
                    problem.add_constraint([(v, 1.0), (on, -top)], ComparisonOp::Le, 0.0);
                    v
                } else {
                    problem.add_var(objective, (min, top))
                };
                let up = problem.add_var(value, (0.0, f64::INFINITY));
                let down = problem.add_var(value, (0.0, f64::INFINITY));
                problem.add_constraint(
                    [(v, 1.0), (up, -1.0), (down, 1.0)],
                    ComparisonOp::Eq,
                    value,
                );
                deviations.push((i, up, down));
                v
            } else {
                let (lo, hi, either_or) = model.prior(i);
                let v = problem.add_var(objective, (lo, hi));
                if either_or {
                    // 0 when the switch is off, at least min_cell when it is on.
                    let on = problem.add_binary_var(0.0);
                    problem.add_constraint([(v, 1.0), (on, -min)], ComparisonOp::Ge, 0.0);
                    problem.add_constraint([(v, 1.0), (on, -hi)], ComparisonOp::Le, 0.0);
                }
                v
            };
            var_of[i] = Some(v);
            members.push((i, v));
        }
        for (r, constant) in &self.rows[c] {
            let terms: Vec<(Variable, f64)> = r
                .terms
                .iter()
                .filter_map(|&(i, coef)| var_of[i].map(|v| (v, coef)))
                .collect();
            let (lo, hi) = (r.lo - constant, r.hi - constant);
            if lo == hi {
                problem.add_constraint(terms.as_slice(), ComparisonOp::Eq, lo);
                continue;
            }
            if lo.is_finite() {
                problem.add_constraint(terms.as_slice(), ComparisonOp::Ge, lo);
            }
            if hi.is_finite() {
                problem.add_constraint(terms.as_slice(), ComparisonOp::Le, hi);
            }
        }
        (problem, members, deviations)
    }

    /// An optimum of count `target` in `direction`, as the point where it is reached (with
    /// the target alone, at infinity, when nothing bounds it); `None` when a solve fails.
    fn extreme(
        &self,
        target: usize,
        direction: OptimizationDirection,
    ) -> Result<Option<Vec<(usize, f64)>>, Inconsistent> {
        let Some(c) = self.component[target] else {
            return Ok(self.fixed[target].map(|v| vec![(target, v)]));
        };
        let (problem, members, _) = self.program(c, direction, Some(target), &[], false);
        match problem.solve() {
            Ok(outcome) => Ok(outcome
                .solution()
                .map(|s| members.iter().map(|&(i, v)| (i, s.var_value(v))).collect())),
            Err(microlp::Error::Unbounded) => Ok(Some(vec![(
                target,
                match direction {
                    OptimizationDirection::Maximize => f64::INFINITY,
                    OptimizationDirection::Minimize => f64::NEG_INFINITY,
                },
            )])),
            Err(microlp::Error::Infeasible) => Err(Inconsistent),
            Err(_) => Ok(None),
        }
    }

    /// `Some(value)` when count `t` can be worked out, from its smallest and largest value.
    fn pinned(&self, t: usize) -> Result<Option<i64>, Inconsistent> {
        let (lo, hi, _) = self.model.prior(t);
        if hi - lo < 1.0 {
            return Ok(None);
        }
        let at = |p: Option<Vec<(usize, f64)>>| {
            p.and_then(|p| p.iter().find(|(i, _)| *i == t).map(|&(_, x)| x))
        };
        let max = at(self.extreme(t, OptimizationDirection::Maximize)?);
        let min = at(self.extreme(t, OptimizationDirection::Minimize)?);
        Ok(match (min, max) {
            (Some(min), Some(max)) => {
                let (lo, hi) = ((min - EPS).ceil(), (max + EPS).floor());
                (lo >= hi).then_some(lo as i64)
            }
            // A failed solve proves nothing: the cell counts as exposed.
            _ => Some(self.model.vars[t].value as i64),
        })
    }
}
