//! The figures a report publishes, as a reader of the disclosure audit sees them: every count
//! as `data/summary.json` and `incidents.json` give it, and every figure built from counts
//! (the DSA summary, the suspension figures, rates, the key figure of reversed appeals, and the
//! history's changes), each as a linear row over the counts. The report only publishes a
//! built figure when all its parts are published, so these never add to what the counts say;
//! the audit takes them anyway, so that a change elsewhere cannot open a gap unnoticed.

use super::audit::Model;
use super::relations::{self, Kind, Row};
use crate::compute::history::{self, Kind as FigureKind};
use crate::model::{IncidentFigures, Summary};

/// Half of the last published decimal of a rate (4 decimals), plus round-off.
const RATE_HALF_UNIT: f64 = 0.000_05 + 1e-9;

/// What a reader sees: the value of every published count, and the published figures that
/// combine several (each one or two rows).
#[derive(Debug, Clone)]
pub(super) struct Published {
    pub fixed: Vec<Option<f64>>,
    pub figures: Vec<Row>,
    /// Published figures: counts and the figures built from them.
    pub count: usize,
}

impl Model {
    /// The published figures of a report: its counts (as `data/summary.json` and
    /// `incidents.json` give them) and every figure built from them.
    pub(super) fn published(&self, s: &Summary, inc: Option<&IncidentFigures>) -> Published {
        let cells = relations::published_by_key(s, inc);
        let mut fixed: Vec<Option<f64>> = Vec::with_capacity(self.vars.len());
        for v in &self.vars {
            fixed.push(match v.kind {
                Kind::Cell => cells
                    .get(&(v.table, v.key.clone()))
                    .copied()
                    .flatten()
                    .map(|n| n as f64),
                Kind::Total if v.table == "cases" => s.cases.total.map(|n| n as f64),
                Kind::Total => inc.map(|i| i.incidents as f64),
                Kind::Latent => None,
            });
        }
        let mut count = fixed
            .iter()
            .zip(&self.vars)
            .filter(|(f, v)| f.is_some() && v.kind != Kind::Latent)
            .count();
        let mut figures = Vec::new();
        let mut figure = |rows: Vec<Row>| {
            if !rows.is_empty() {
                count += 1;
                figures.extend(rows);
            }
        };
        let cells_of = |parts: &[(&str, &str)]| -> Option<Vec<(usize, f64)>> {
            parts
                .iter()
                .map(|(t, k)| self.index(t, k).map(|i| (i, 1.0)))
                .collect()
        };
        let exactly = |terms: Vec<(usize, f64)>, value: f64| Row {
            terms,
            lo: value,
            hi: value,
        };
        // Sums of cells published elsewhere (the DSA summary): shown only when every part is.
        for parts in &self.sums {
            let parts: Vec<(&str, &str)> = parts.iter().map(|(t, k)| (*t, k.as_str())).collect();
            let Some(terms) = cells_of(&parts) else {
                continue;
            };
            let value: Option<f64> = terms.iter().map(|&(i, _)| fixed[i]).sum();
            if let (false, Some(value)) = (terms.is_empty(), value) {
                figure(vec![exactly(terms, value)]);
            }
        }
        // The suspension figures restate cells of the action table.
        let temporary: Vec<(&str, &str)> = self
            .tax
            .temporary_suspension_actions()
            .into_iter()
            .map(|k| ("by_action", k))
            .collect();
        let full: Vec<(&str, &str)> = self
            .tax
            .full_suspension_actions()
            .into_iter()
            .map(|k| ("by_action", k))
            .collect();
        for (parts, value) in [
            (&temporary, s.suspensions.temporary),
            (&full, s.suspensions.full),
        ] {
            if let (Some(v), Some(terms)) = (value, cells_of(parts)) {
                figure(vec![exactly(terms, v as f64)]);
            }
        }
        // Rates, to their published precision.
        let met = [("acknowledgement", "met")];
        let all = [("cases", "total")];
        let reversed = [
            ("appeals.by_outcome", "overturned"),
            ("appeals.by_outcome", "modified"),
        ];
        let upheld = [("appeals.by_outcome", "upheld")];
        let rate = |num: &[(&str, &str)], rest: &[(&str, &str)], r: f64, half: f64| {
            // num / (num + rest) ∈ [r − half, r + half], as two linear rows.
            let (Some(n), Some(d)) = (cells_of(num), cells_of(rest)) else {
                return Vec::new();
            };
            let row = |q: f64, lo: f64, hi: f64| Row {
                terms: n
                    .iter()
                    .map(|&(i, _)| (i, 1.0 - q))
                    .chain(d.iter().map(|&(i, _)| (i, -q)))
                    .collect(),
                lo,
                hi,
            };
            vec![
                row(r + half, f64::NEG_INFINITY, 0.0),
                row(r - half, 0.0, f64::INFINITY),
            ]
        };
        // Acknowledged in time, of all cases: met / total, with total = met + (total − met).
        if let Some(r) = s.acknowledgement.rate {
            if let (Some(n), Some(t)) = (cells_of(&met), cells_of(&all)) {
                let row = |q: f64, lo: f64, hi: f64| Row {
                    terms: vec![(n[0].0, 1.0), (t[0].0, -q)],
                    lo,
                    hi,
                };
                figure(vec![
                    row(r + RATE_HALF_UNIT, f64::NEG_INFINITY, 0.0),
                    row(r - RATE_HALF_UNIT, 0.0, f64::INFINITY),
                ]);
            }
        }
        if let Some(r) = s.appeals.reversal_rate {
            figure(rate(&reversed, &upheld, r, RATE_HALF_UNIT));
        }
        // The key figure "n reversed" when both parts are published.
        let outcome = |k: &str| s.appeals.by_outcome.get(k).copied().flatten();
        if let (Some(o), Some(m), Some(terms)) = (
            outcome("overturned"),
            outcome("modified"),
            cells_of(&reversed),
        ) {
            figure(vec![exactly(terms, (o + m) as f64)]);
        }
        // History: an earlier period's published figure plus the published change.
        if let Some(prev) = &self.previous {
            for (key, kind) in history::FIGURES {
                let change = history::change(history::value(prev, key), history::value(s, key));
                let (Some(p), Some(d)) = (history::value(prev, key), change.absolute) else {
                    continue;
                };
                let now = p + d;
                let form: Vec<(&str, &str)> = match key {
                    "cases_total" => vec![("cases", "total")],
                    "cases_resolved" => vec![("cases", "resolved")],
                    "open_at_period_end" => vec![("cases", "open_at_period_end")],
                    "appeals_filed" => vec![("appeals", "filed")],
                    "temporary_suspensions" => temporary.clone(),
                    "full_suspensions" => full.clone(),
                    "acknowledgement_rate" => {
                        if let (Some(n), Some(t)) = (cells_of(&met), cells_of(&all)) {
                            // Two rounded rates: the change is exact to twice the unit.
                            let half = 2.0 * RATE_HALF_UNIT;
                            let row = |q: f64, lo: f64, hi: f64| Row {
                                terms: vec![(n[0].0, 1.0), (t[0].0, -q)],
                                lo,
                                hi,
                            };
                            figure(vec![
                                row(now + half, f64::NEG_INFINITY, 0.0),
                                row(now - half, 0.0, f64::INFINITY),
                            ]);
                        }
                        continue;
                    }
                    "reversal_rate" => {
                        figure(rate(&reversed, &upheld, now, 2.0 * RATE_HALF_UNIT));
                        continue;
                    }
                    _ => continue,
                };
                if kind == FigureKind::Count {
                    if let Some(terms) = cells_of(&form) {
                        figure(vec![exactly(terms, now.round())]);
                    }
                }
            }
        }
        Published {
            fixed,
            figures,
            count,
        }
    }
}
