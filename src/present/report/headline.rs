//! The top of the report: its title, the key-figure cards and the incidents line.

use super::view::{Ctx, IncidentsView, Recorded, Stat};
use crate::config::CountBasis;
use crate::model::Count;
use crate::present::text::{capitalise, decimal1, join_and, percent, plural, thousands};

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
    // Nor about a section the config leaves out.
    let r = |c: &str| s.recorded(c);
    let rec = Recorded::of(s, cx.config);
    let keep = [
        true,
        r("resolved_at"),
        r("resolved_at"),
        rec.ack && !ack_target.is_empty(),
        rec.resolution_days,
        rec.appeals,
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

/// A number in a sentence: "20", or "fewer than 3" when it was withheld for being small ("a
/// withheld number of" when withheld to protect another).
pub(super) fn number(cx: &Ctx, table: &str, key: &str, c: Count) -> String {
    match c {
        Some(n) => thousands(n),
        None if cx.fmt.is_complementary(table, key) => "a withheld number of".into(),
        None => format!("fewer than {}", cx.fmt.suppression.min_cell),
    }
}

/// A count in a sentence: "20 reports", "1 report", "fewer than 3 reports".
pub(super) fn counted(cx: &Ctx, table: &str, key: &str, c: Count, one: &str, many: &str) -> String {
    match c {
        Some(n) => plural(n, one, many),
        None => format!("{} {many}", number(cx, table, key, None)),
    }
}

/// "A decision was also taken on 2 reports that reached the working group before the period
/// began (carried over)": shown
/// when the export records decisions and some were carried over.
pub(super) fn carried_over(cx: &Ctx) -> Option<String> {
    let (s, w) = (cx.summary, &cx.config.words);
    if !s.recorded("resolved_at") || s.cases.carried_over == Some(0) {
        return None;
    }
    Some(format!(
        "A decision was also taken on {} that reached {} before the period began (carried over), not counted in this period's figures.",
        counted(cx, "cases", "carried_over", s.cases.carried_over, &w.case, &w.cases()),
        w.committee,
    ))
}

/// The summary in sentences, for the compact style: what reached the committee, what was
/// decided, how fast, and what was appealed, each only where the export records it and the
/// report shows it. No verb agrees with the community's words ("the working group received",
/// "the moderators received").
pub(super) fn lead(cx: &Ctx, rec: &Recorded, ack_target: &str) -> Vec<String> {
    let (s, c, input) = (cx.summary, cx.config, cx.input);
    let w = &c.words;
    let (case, cases) = (w.case.as_str(), w.cases());
    // The sentence before it gives the period.
    let received = counted(cx, "cases", "total", s.cases.total, case, &cases);
    let mut out = vec![match input.incidents {
        Some(i) => format!(
            "{} received {received} about {}.",
            capitalise(&w.committee),
            plural(i.incidents, "distinct incident", "distinct incidents"),
        ),
        None => format!("{} received {received}.", capitalise(&w.committee)),
    }];
    if s.recorded("resolved_at") {
        out.push(format!(
            "By the end of the period {} had a decision and {} had none yet.",
            counted(cx, "cases", "resolved", s.cases.resolved, case, &cases),
            counted(
                cx,
                "cases",
                "open_at_period_end",
                s.cases.open_at_period_end,
                case,
                &cases
            ),
        ));
    }
    if let Some(sentence) = carried_over(cx) {
        out.push(sentence);
    }
    if rec.ack && !ack_target.is_empty() {
        out.push(format!(
            "{} of the {} {cases} had a first reply within {ack_target}.",
            capitalise(&number(cx, "acknowledgement", "met", s.acknowledgement.met)),
            number(cx, "cases", "total", s.cases.total),
        ));
    }
    if rec.resolution_days {
        if let Some(m) = s.resolution_days.median {
            out.push(format!(
                "The median time to a decision was {} days.",
                decimal1(Some(m))
            ));
        }
    }
    if rec.appeals {
        out.push(format!(
            "The decision was appealed in {}.",
            counted(cx, "appeals", "filed", s.appeals.filed, case, &cases)
        ));
    }
    out
}

/// The committee's own work in sentences, for the compact style.
pub(super) fn committee_prose(cx: &Ctx) -> Vec<String> {
    let c = cx.config;
    let Some(a) = &c.committee_activity else {
        return Vec::new();
    };
    let who = capitalise(&c.words.committee);
    let mut did = Vec::new();
    if let Some(n) = a.meetings {
        did.push(match n {
            1 => "met once".to_string(),
            2 => "met twice".to_string(),
            n => format!("met {} times", thousands(n)),
        });
    }
    if let Some(n) = a.votes {
        let mut v = format!("held {}", plural(n, "vote", "votes"));
        if let Some(q) = a.votes_quorate {
            v.push_str(&format!(", of which {} reached quorum", thousands(q)));
        }
        did.push(v);
    }
    if let Some(n) = a.members {
        did.push(format!(
            "had {} at the end of the period",
            plural(n, "member", "members")
        ));
    }
    let mut out = Vec::new();
    if !did.is_empty() {
        out.push(format!("{who} {}.", join_and(&did)));
    }
    if !a.joined.is_empty() {
        out.push(format!(
            "Joined {}: {}.",
            c.words.committee,
            join_and(&a.joined)
        ));
    }
    if !a.left.is_empty() {
        out.push(format!(
            "Left {}: {}.",
            c.words.committee,
            join_and(&a.left)
        ));
    }
    out
}
