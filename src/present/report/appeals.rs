//! Appeals: how many, their outcomes, their eligibility and timing.

use super::view::{num_col, recorded_rows, row, single_body, text_col, Body, Ctx, Row, Table};
use crate::model::APPEAL_OUTCOMES;
use crate::present::text::{
    decimal1, join_and, outcome_label, percent, table_title, NOT_AVAILABLE,
};

pub(super) fn summary(cx: &Ctx) -> Table {
    let (s, f) = (cx.summary, &cx.fmt);
    let ap = &s.appeals;
    Table {
        id: "table-appeals",
        caption: table_title("appeals", &cx.config.words),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(recorded_rows(vec![
            (
                true,
                row("Appeals filed", vec![f.cell("appeals", "filed", ap.filed)]),
            ),
            (
                s.recorded("appeal_outcome"),
                row(
                    "Reversal rate (overturned or modified, of decided appeals)",
                    vec![percent(ap.reversal_rate)],
                ),
            ),
            (
                s.recorded("appeal_decided_at"),
                row(
                    "Median days from appeal to decision",
                    vec![decimal1(ap.median_days_to_decision)],
                ),
            ),
        ])),
    }
}

pub(super) fn outcomes(cx: &Ctx) -> Table {
    let (s, f) = (cx.summary, &cx.fmt);
    let ap = &s.appeals;
    // The model lists outcomes in APPEAL_OUTCOMES order; keep any other key after them.
    let mut outcome_rows: Vec<Row> = APPEAL_OUTCOMES
        .iter()
        .filter_map(|k| ap.by_outcome.get(*k).map(|&n| (k.to_string(), n)))
        .chain(
            ap.by_outcome
                .iter()
                .filter(|(k, _)| !APPEAL_OUTCOMES.contains(&k.as_str()))
                .map(|(k, &n)| (k.clone(), n)),
        )
        .map(|(k, n)| {
            row(
                outcome_label(&k),
                vec![f.cell("appeals.by_outcome", &k, n), f.share(n, ap.filed)],
            )
        })
        .collect();
    if outcome_rows.is_empty() {
        outcome_rows = APPEAL_OUTCOMES
            .iter()
            .map(|k| {
                row(
                    outcome_label(k),
                    vec![f.count(Some(0)), NOT_AVAILABLE.into()],
                )
            })
            .collect();
    }
    Table {
        id: "table-appeal-outcomes",
        caption: table_title("appeals.by_outcome", &cx.config.words),
        columns: vec![
            text_col("Outcome"),
            num_col("Appeals"),
            num_col("% of appeals"),
        ],
        bodies: single_body(outcome_rows),
    }
}

/// The levels whose decisions may be appealed, as a list of words.
pub(super) fn appealable_levels(cx: &Ctx) -> String {
    let (c, t) = (cx.config, &cx.config.taxonomy);
    let appealable: Vec<String> = c
        .appealable_levels
        .iter()
        .map(|l| t.level_label(l))
        .collect();
    join_and(&appealable)
}

/// `level`: the report shows levels (recorded, and the taxonomy has some). Without an
/// appeal step every appeal is "not eligible", which says nothing: no eligibility rows.
pub(super) fn eligibility(cx: &Ctx, appealable_text: &str, level: bool) -> Table {
    let (s, c, f) = (cx.summary, cx.config, &cx.fmt);
    let ap = &s.appeals;
    Table {
        id: "table-appeal-eligibility",
        caption: "Appeals by eligibility and timing".into(),
        columns: vec![
            text_col("Appeals that were"),
            num_col("Appeals"),
            num_col("% of appeals"),
        ],
        bodies: [
            Body {
                heading: Some("Eligibility".into()),
                rows: vec![
                    row(
                        format!("Eligible (decision at {appealable_text})"),
                        vec![
                            f.cell("appeals.eligibility", "eligible", ap.eligible),
                            f.share(ap.eligible, ap.filed),
                        ],
                    ),
                    row(
                        "Not eligible",
                        vec![
                            f.cell("appeals.eligibility", "not_eligible", ap.not_eligible),
                            f.share(ap.not_eligible, ap.filed),
                        ],
                    ),
                ],
            },
            Body {
                heading: Some("Timing".into()),
                rows: vec![
                    row(
                        format!("Filed within {} days", c.appeal_window_days),
                        vec![
                            f.cell("appeals.window", "timely", ap.timely),
                            f.share(ap.timely, ap.filed),
                        ],
                    ),
                    row(
                        "Filed late",
                        vec![
                            f.cell("appeals.window", "late", ap.late),
                            f.share(ap.late, ap.filed),
                        ],
                    ),
                    row(
                        "Window unknown (no date the decision was communicated)",
                        vec![
                            f.cell("appeals.window", "window_unknown", ap.window_unknown),
                            f.share(ap.window_unknown, ap.filed),
                        ],
                    ),
                ],
            },
        ]
        .into_iter()
        .zip([
            level && c.has_appeals() && !c.appeal_any_decision,
            s.recorded("decision_communicated_at") && c.appeal_window().is_some(),
        ])
        .filter_map(|(body, recorded)| recorded.then_some(body))
        .collect(),
    }
}
