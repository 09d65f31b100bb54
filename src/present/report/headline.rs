//! The top of the report: its title, the key-figure cards and the incidents line.

use super::view::{Ctx, IncidentsView, Recorded, Stat};
use crate::config::CountBasis;
use crate::present::text::{capitalise, decimal1, percent, plural, thousands};

pub(super) fn title(cx: &Ctx) -> String {
    let (s, c) = (cx.summary, cx.config);
    c.words.title(&c.organisation, &s.period.label)
}

/// The key-figure cards; `ack_target` is the promise ("1 business day"), empty without one.
pub(super) fn stats(cx: &Ctx, ack_target: &str) -> Vec<Stat> {
    let (s, f, total, input) = (cx.summary, &cx.fmt, cx.total, cx.input);
    let w = &cx.config.words;
    // Overturned + modified, for the headline only. With one part hidden the sum is only
    // shown when the other is zero and the hidden one was hidden for being small (a
    // complementary cell may be large), so the sum cannot reveal what suppression hid.
    let small = |k: &str| !f.is_complementary("appeals.by_outcome", k);
    let reversed = match (
        s.appeals.by_outcome.get("overturned"),
        s.appeals.by_outcome.get("modified"),
    ) {
        (Some(Some(o)), Some(Some(m))) => Some(f.count(Some(o + m))),
        (Some(None), Some(Some(0))) if small("overturned") => Some(f.count(None)),
        (Some(Some(0)), Some(None)) if small("modified") => Some(f.count(None)),
        _ => None,
    };

    let mut stats = vec![
        Stat {
            label: format!("{} received", capitalise(&w.cases())),
            value: f.count(total),
            note: "reported in the period".into(),
        },
        Stat {
            label: "Resolved".into(),
            value: f.cell("cases", "resolved", s.cases.resolved),
            note: "decided by the period end".into(),
        },
        Stat {
            label: "Open at period end".into(),
            value: f.cell("cases", "open_at_period_end", s.cases.open_at_period_end),
            note: "no decision yet".into(),
        },
        Stat {
            label: format!("Acknowledged within {ack_target}"),
            value: percent(s.acknowledgement.rate),
            note: format!(
                "{} of {} {}",
                f.count(s.acknowledgement.met),
                f.count(total),
                w.cases()
            ),
        },
        Stat {
            label: "Median days to resolution".into(),
            value: decimal1(s.resolution_days.median),
            note: match s.resolution_days.p90 {
                Some(_) => format!("90th percentile: {} days", decimal1(s.resolution_days.p90)),
                None => "90th percentile: n/a".into(),
            },
        },
        Stat {
            label: "Appeals filed".into(),
            value: f.cell("appeals", "filed", s.appeals.filed),
            note: match (reversed, s.appeals.reversal_rate) {
                _ if !s.recorded("appeal_outcome") => "outcomes not recorded".into(),
                (Some(r), _) => format!("{r} reversed (overturned or modified)"),
                (None, Some(rate)) => format!("reversal rate {}", percent(Some(rate))),
                (None, None) => "reversals withheld (small numbers)".into(),
            },
        },
    ];

    // A card about a fact the export does not record would read 0, 0% or "open" (SPEC §3.1).
    let r = |c: &str| s.recorded(c);
    let keep = [
        true,
        r("resolved_at"),
        r("resolved_at"),
        r("acknowledged_at") && !ack_target.is_empty(),
        r("resolved_at"),
        Recorded::of(s, cx.config).appeals,
    ];
    let mut keep = keep.iter();
    stats.retain(|_| *keep.next().unwrap_or(&true));

    // A seventh card would stand alone on the grid: the incidents go in the first card's note.
    if let Some(i) = input.incidents {
        stats[0].note = format!(
            "reported in the period, concerning {}",
            plural(i.incidents, "distinct incident", "distinct incidents")
        );
    }
    stats
}

pub(super) fn incidents(cx: &Ctx) -> Option<IncidentsView> {
    let (c, input) = (cx.config, cx.input);
    input.incidents.map(|i| IncidentsView {
        reports: thousands(i.reports),
        incidents: thousands(i.incidents),
        by_incident: c.incidents.count_categories_by == CountBasis::Incidents,
    })
}
