//! An attacker independent of the build's audit: exact rational arithmetic and its own simplex
//! (two phases, Bland's rule) with branch and bound for the counts shown as "suppressed"
//! (0 or at least min_cell), over constraints the test builds itself from the published
//! files. It answers one question per withheld cell: can its value be pinned down?

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// An exact rational `n / d` (`d > 0`, lowest terms). Overflow fails the test loudly rather
/// than give a wrong answer.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Q {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Q {
    pub const ZERO: Q = Q { n: 0, d: 1 };
    pub const ONE: Q = Q { n: 1, d: 1 };

    pub fn new(n: i128, d: i128) -> Q {
        assert!(d != 0, "zero denominator");
        let g = gcd(n, d).max(1);
        let s = if d < 0 { -1 } else { 1 };
        Q {
            n: s * n / g,
            d: s * d / g,
        }
    }

    pub fn int(n: i64) -> Q {
        Q::new(n.into(), 1)
    }

    pub fn is_zero(self) -> bool {
        self.n == 0
    }

    pub fn div(self, o: Q) -> Q {
        assert!(o.n != 0, "division by zero");
        let (a, b) = (self.n.checked_mul(o.d), self.d.checked_mul(o.n));
        Q::new(a.expect("rational overflow"), b.expect("rational overflow"))
    }
}

impl fmt::Debug for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.n, self.d)
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        if self.d == o.d {
            return Q::new(self.n.checked_add(o.n).expect("rational overflow"), self.d);
        }
        let g = gcd(self.d, o.d);
        let (a, b) = (self.d / g, o.d / g);
        let n = self
            .n
            .checked_mul(b)
            .and_then(|x| o.n.checked_mul(a).and_then(|y| x.checked_add(y)))
            .expect("rational overflow");
        Q::new(n, self.d.checked_mul(b).expect("rational overflow"))
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        Q {
            n: -self.n,
            d: self.d,
        }
    }
}

impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        self + (-o)
    }
}

impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        if self.n == 0 || o.n == 0 {
            return Q::ZERO;
        }
        let g1 = gcd(self.n, o.d);
        let g2 = gcd(o.n, self.d);
        let n = (self.n / g1)
            .checked_mul(o.n / g2)
            .expect("rational overflow");
        let d = (self.d / g2)
            .checked_mul(o.d / g1)
            .expect("rational overflow");
        Q::new(n, d)
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        (self.n.checked_mul(o.d).expect("rational overflow"))
            .cmp(&o.n.checked_mul(self.d).expect("rational overflow"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Le,
    Eq,
    Ge,
}

/// `Σ coefficient · cell  op  rhs`.
#[derive(Debug, Clone)]
pub struct Lin {
    pub terms: Vec<(usize, Q)>,
    pub op: Op,
    pub rhs: Q,
}

/// What the attacker knows of one count.
#[derive(Debug, Clone)]
pub struct Unknown {
    /// The exact value (from the unsuppressed build): the attacker only uses it to stop a
    /// search early once another value is proved possible.
    pub exact: i64,
    /// Published value, or the range the report's label gives a withheld one.
    pub known: Known,
}

#[derive(Debug, Clone, Copy)]
pub enum Known {
    Published(i64),
    /// Withheld, in `lo..=hi`; `gap`: and either 0 or at least `gap` (a "suppressed" count).
    Withheld {
        lo: i64,
        hi: i64,
        gap: Option<i64>,
    },
}

/// The withheld cells (indices) whose value is pinned down by `rows`.
pub fn pinned(cells: &[Unknown], rows: &[Lin]) -> Vec<usize> {
    // Substitute the published values; a row left with one unknown is still a row.
    let mut open: Vec<Option<usize>> = vec![None; cells.len()];
    let mut order = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        if let Known::Withheld { .. } = c.known {
            open[i] = Some(order.len());
            order.push(i);
        }
    }
    let mut reduced: Vec<Lin> = Vec::new();
    for r in rows {
        let mut rhs = r.rhs;
        let mut terms = Vec::new();
        for &(i, c) in &r.terms {
            match (open[i], cells[i].known) {
                (Some(j), _) => terms.push((j, c)),
                (None, Known::Published(v)) => rhs = rhs - c * Q::int(v),
                (None, Known::Withheld { .. }) => unreachable!(),
            }
        }
        if terms.is_empty() {
            let ok = match r.op {
                Op::Le => Q::ZERO <= rhs,
                Op::Ge => Q::ZERO >= rhs,
                Op::Eq => rhs.is_zero(),
            };
            assert!(ok, "the published figures contradict a relation: {r:?}");
            continue;
        }
        reduced.push(Lin {
            terms,
            op: r.op,
            rhs,
        });
    }
    // Independent parts: a cell only depends on the rows it is connected to.
    let n = order.len();
    let mut part: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for r in &reduced {
        let a = root(&mut part, r.terms[0].0);
        for &(j, _) in &r.terms[1..] {
            let b = root(&mut part, j);
            part[b] = a;
        }
    }
    let mut out = Vec::new();
    let roots: Vec<usize> = (0..n).map(|i| root(&mut part, i)).collect();
    let mut done = vec![false; n];
    for start in 0..n {
        if done[roots[start]] {
            continue;
        }
        done[roots[start]] = true;
        let members: Vec<usize> = (0..n).filter(|&j| roots[j] == roots[start]).collect();
        let local: Vec<Option<usize>> = {
            let mut m = vec![None; n];
            for (k, &j) in members.iter().enumerate() {
                m[j] = Some(k);
            }
            m
        };
        let rows: Vec<Lin> = reduced
            .iter()
            .filter(|r| local[r.terms[0].0].is_some())
            .map(|r| Lin {
                terms: r
                    .terms
                    .iter()
                    .map(|&(j, c)| (local[j].unwrap(), c))
                    .collect(),
                op: r.op,
                rhs: r.rhs,
            })
            .collect();
        let (bounds, gaps): (Vec<(i64, i64)>, Vec<Option<i64>>) = members
            .iter()
            .map(|&j| match cells[order[j]].known {
                Known::Withheld { lo, hi, gap } => ((lo, hi), gap),
                Known::Published(_) => unreachable!(),
            })
            .unzip();
        let exact: Vec<i64> = members.iter().map(|&j| cells[order[j]].exact).collect();
        let part = Part {
            rows: &rows,
            gaps: &gaps,
        };
        for (k, &j) in members.iter().enumerate() {
            let (lo, hi) = bounds[k];
            if hi - lo < 1 {
                continue; // the label alone says it ("< 2" is 1)
            }
            let up = part.reaches(&bounds, k, exact[k] + 1, true);
            let down = !up && part.reaches(&bounds, k, exact[k] - 1, false);
            if !up && !down {
                out.push(order[j]);
            }
        }
    }
    out.sort_unstable();
    out
}

/// One connected part of the unknowns, with the "0 or at least" gaps of its counts.
struct Part<'a> {
    rows: &'a [Lin],
    gaps: &'a [Option<i64>],
}

impl Part<'_> {
    /// Whether cell `k` can reach `target` (at least it when `up`, at most it otherwise) at a
    /// point where every gapped count is 0 or past its gap: branch and bound on the first
    /// count that falls inside its gap.
    fn reaches(&self, bounds: &[(i64, i64)], k: usize, target: i64, up: bool) -> bool {
        let Some(lp) = Feasible::new(self.rows, bounds) else {
            return false;
        };
        let Some(point) = lp.reaching(k, target, up) else {
            return false;
        };
        let inside = (0..bounds.len()).find(|&j| match self.gaps[j] {
            Some(g) => point[j] > Q::ZERO && point[j] < Q::int(g),
            None => false,
        });
        let Some(j) = inside else {
            return true;
        };
        let g = self.gaps[j].unwrap_or(0);
        let mut zero = bounds.to_vec();
        zero[j] = (bounds[j].0, 0);
        let mut past = bounds.to_vec();
        past[j] = (bounds[j].0.max(g), bounds[j].1);
        (zero[j].0 <= zero[j].1 && self.reaches(&zero, k, target, up))
            || (past[j].0 <= past[j].1 && self.reaches(&past, k, target, up))
    }
}

/// A dense simplex tableau over `y = x − lo ≥ 0`, feasible after phase 1.
struct Feasible {
    /// Rows of `[coefficients…, rhs]`; the basis variable of each row.
    t: Vec<Vec<Q>>,
    basis: Vec<usize>,
    /// Structural columns come first; `lo` shifts them back.
    lo: Vec<i64>,
    columns: usize,
}

impl Feasible {
    /// `None` when no point meets the rows and bounds.
    fn new(rows: &[Lin], bounds: &[(i64, i64)]) -> Option<Feasible> {
        let n = bounds.len();
        let lo: Vec<i64> = bounds.iter().map(|b| b.0).collect();
        // Every row as `a·y op b` with b ≥ 0, plus y_j ≤ hi − lo.
        let mut all: Vec<(Vec<Q>, Op, Q)> = Vec::new();
        for r in rows {
            let mut a = vec![Q::ZERO; n];
            let mut b = r.rhs;
            for &(j, c) in &r.terms {
                a[j] = a[j] + c;
                b = b - c * Q::int(lo[j]);
            }
            all.push((a, r.op, b));
        }
        for (j, &(l, h)) in bounds.iter().enumerate() {
            let mut a = vec![Q::ZERO; n];
            a[j] = Q::ONE;
            all.push((a, Op::Le, Q::int(h - l)));
        }
        for row in all.iter_mut() {
            if row.2 < Q::ZERO {
                row.0.iter_mut().for_each(|x| *x = -*x);
                row.2 = -row.2;
                row.1 = match row.1 {
                    Op::Le => Op::Ge,
                    Op::Ge => Op::Le,
                    Op::Eq => Op::Eq,
                };
            }
        }
        let slacks = all.iter().filter(|r| r.1 != Op::Eq).count();
        let artificials = all.iter().filter(|r| r.1 != Op::Le).count();
        let columns = n + slacks + artificials;
        let first_artificial = n + slacks;
        let mut t = Vec::new();
        let mut basis = Vec::new();
        let (mut s, mut a) = (n, first_artificial);
        for (coef, op, b) in all {
            let mut row = coef;
            row.resize(columns + 1, Q::ZERO);
            row[columns] = b;
            match op {
                Op::Le => {
                    row[s] = Q::ONE;
                    basis.push(s);
                    s += 1;
                }
                Op::Ge => {
                    row[s] = -Q::ONE;
                    s += 1;
                    row[a] = Q::ONE;
                    basis.push(a);
                    a += 1;
                }
                Op::Eq => {
                    row[a] = Q::ONE;
                    basis.push(a);
                    a += 1;
                }
            }
            t.push(row);
        }
        let mut f = Feasible {
            t,
            basis,
            lo,
            columns,
        };
        // Phase 1: maximise −Σ artificials.
        let mut cost = vec![Q::ZERO; columns];
        for c in cost.iter_mut().skip(first_artificial) {
            *c = -Q::ONE;
        }
        f.maximise(&cost, None, first_artificial);
        let infeasibility: Q = f
            .basis
            .iter()
            .zip(&f.t)
            .filter(|(b, _)| **b >= first_artificial)
            .map(|(_, r)| r[columns])
            .fold(Q::ZERO, |a, b| a + b);
        if !infeasibility.is_zero() {
            return None;
        }
        // Artificials left in the basis at zero: pivot them out, or drop a redundant row.
        let mut r = 0;
        while r < f.t.len() {
            if f.basis[r] >= first_artificial {
                match (0..first_artificial).find(|&j| !f.t[r][j].is_zero()) {
                    Some(j) => f.pivot(r, j),
                    None => {
                        f.t.remove(r);
                        f.basis.remove(r);
                        continue;
                    }
                }
            }
            r += 1;
        }
        // Artificial columns are out for good.
        for row in f.t.iter_mut() {
            let rhs = row[columns];
            row.truncate(first_artificial);
            row.push(rhs);
        }
        f.columns = first_artificial;
        Some(f)
    }

    fn pivot(&mut self, r: usize, c: usize) {
        let p = self.t[r][c];
        let width = self.t[r].len();
        for j in 0..width {
            if !self.t[r][j].is_zero() {
                self.t[r][j] = self.t[r][j].div(p);
            }
        }
        let nonzero: Vec<usize> = (0..width).filter(|&j| !self.t[r][j].is_zero()).collect();
        let pivot_row = self.t[r].clone();
        for (i, row) in self.t.iter_mut().enumerate() {
            if i == r || row[c].is_zero() {
                continue;
            }
            let f = row[c];
            for &j in &nonzero {
                row[j] = row[j] - f * pivot_row[j];
            }
        }
        self.basis[r] = c;
    }

    /// The current value of `cost · x` over the first `usable` columns.
    fn value(&self, cost: &[Q]) -> Q {
        let w = self.t.first().map_or(0, |r| r.len() - 1);
        self.basis
            .iter()
            .zip(&self.t)
            .filter(|(b, _)| **b < cost.len())
            .map(|(&b, r)| cost[b] * r[w])
            .fold(Q::ZERO, |a, b| a + b)
    }

    /// Maximises `cost · y` over columns `< usable` (Bland's rule), stopping early once the
    /// value reaches `goal`. Returns whether the goal (or, without one, the optimum) is met.
    fn maximise(&mut self, cost: &[Q], goal: Option<Q>, usable: usize) -> bool {
        let w = self.t.first().map_or(0, |r| r.len() - 1);
        loop {
            if goal.is_some_and(|g| self.value(cost) >= g) {
                return true;
            }
            // Reduced cost of column j: c_j − Σ c_B · column.
            let entering = (0..usable).find(|&j| {
                if self.basis.contains(&j) {
                    return false;
                }
                let z = self
                    .basis
                    .iter()
                    .zip(&self.t)
                    .filter(|(_, r)| !r[j].is_zero())
                    .map(|(&b, r)| cost.get(b).copied().unwrap_or(Q::ZERO) * r[j])
                    .fold(Q::ZERO, |a, b| a + b);
                cost.get(j).copied().unwrap_or(Q::ZERO) > z
            });
            let Some(c) = entering else {
                return goal.is_none();
            };
            let leaving = (0..self.t.len())
                .filter(|&i| self.t[i][c] > Q::ZERO)
                .min_by(|&a, &b| {
                    let ra = self.t[a][w].div(self.t[a][c]);
                    let rb = self.t[b][w].div(self.t[b][c]);
                    ra.cmp(&rb).then(self.basis[a].cmp(&self.basis[b]))
                });
            match leaving {
                Some(r) => self.pivot(r, c),
                // Unbounded: every goal is reachable.
                None => return true,
            }
        }
    }

    /// A point where cell `k` reaches `target` (at least it when `up`, at most it
    /// otherwise), as the values of every cell; `None` when there is none.
    fn reaching(mut self, k: usize, target: i64, up: bool) -> Option<Vec<Q>> {
        let mut cost = vec![Q::ZERO; self.columns];
        let shifted = Q::int(target - self.lo[k]);
        let reached = if up {
            cost[k] = Q::ONE;
            self.maximise(&cost, Some(shifted), self.columns)
        } else {
            cost[k] = -Q::ONE;
            self.maximise(&cost, Some(-shifted), self.columns)
        };
        if !reached {
            return None;
        }
        let w = self.t.first().map_or(0, |r| r.len() - 1);
        let mut x: Vec<Q> = self.lo.iter().map(|&l| Q::int(l)).collect();
        for (row, &b) in self.t.iter().zip(&self.basis) {
            if b < x.len() {
                x[b] = x[b] + row[w];
            }
        }
        Some(x)
    }
}
