//! How fast: acknowledgement, days to decision, and the month-by-month counts.

use super::view::{count_table, num_col, recorded_rows, row, single_body, text_col, Ctx, Table};
use crate::present::text::{
    bin_label, capitalise, decimal1, level_label, long_month, percent, table_title,
};

/// `ack_target` is the promise ("1 business day"); empty without one, when only the time
/// to acknowledgement is shown.
pub(super) fn acknowledgement(cx: &Ctx, ack_target: &str) -> Table {
    let (s, f) = (cx.summary, &cx.fmt);
    let w = &cx.config.words;
    let ack = &s.acknowledgement;
    let promise = !ack_target.is_empty();
    Table {
        id: "table-acknowledgement",
        caption: if promise {
            format!("Acknowledgement within {ack_target}")
        } else {
            "Time to acknowledgement".into()
        },
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(recorded_rows(vec![
            (
                promise,
                row(
                    format!("{} acknowledged in time", capitalise(&w.cases())),
                    vec![f.count(ack.met)],
                ),
            ),
            (
                promise,
                row(
                    format!("Share of all {}", w.cases()),
                    vec![percent(ack.rate)],
                ),
            ),
            (
                true,
                row(
                    "Median hours to acknowledgement",
                    vec![decimal1(ack.median_hours)],
                ),
            ),
        ])),
    }
}

pub(super) fn resolution(cx: &Ctx) -> Table {
    let (s, f) = (cx.summary, &cx.fmt);
    let rd = &s.resolution_days;
    Table {
        id: "table-resolution",
        caption: table_title("resolution_days", &cx.config.words),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(vec![
            row(
                format!("Resolved {}", cx.config.words.cases()),
                vec![f.cell("resolution_days", "count", rd.count)],
            ),
            row("Median days", vec![decimal1(rd.median)]),
            row("90th percentile (days)", vec![decimal1(rd.p90)]),
            row("Mean days", vec![decimal1(rd.mean)]),
        ]),
    }
}

pub(super) fn resolution_histogram(cx: &Ctx) -> Table {
    let (s, f) = (cx.summary, &cx.fmt);
    let rd = &s.resolution_days;
    let resolution_histogram = count_table(
        "table-resolution-histogram",
        table_title("resolution_days.histogram", &cx.config.words),
        "Time to decision",
        "resolution_days.histogram",
        &rd.histogram,
        rd.count,
        f,
        bin_label,
    );
    Table {
        columns: vec![
            text_col("Time to decision"),
            num_col(&capitalise(&cx.config.words.cases())),
            num_col("% of resolved"),
        ],
        ..resolution_histogram
    }
}

pub(super) fn resolution_by_level(cx: &Ctx) -> Table {
    let (s, t, f) = (cx.summary, &cx.config.taxonomy, &cx.fmt);
    let rd = &s.resolution_days;
    Table {
        id: "table-resolution-levels",
        caption: table_title("resolution_days.by_moderation_level", &cx.config.words),
        columns: vec![
            text_col("Level"),
            num_col(&format!("Resolved {}", cx.config.words.cases())),
            num_col("Median days"),
            num_col("90th percentile (days)"),
        ],
        bodies: single_body(
            rd.by_moderation_level
                .iter()
                .map(|(k, l)| {
                    row(
                        level_label(t, k),
                        vec![
                            f.cell("resolution_days.by_moderation_level", k, l.count),
                            decimal1(l.median),
                            decimal1(l.p90),
                        ],
                    )
                })
                .collect(),
        ),
    }
}

pub(super) fn monthly(cx: &Ctx) -> Table {
    let (s, f) = (cx.summary, &cx.fmt);
    // Without a decision column there is no "Resolved" column, rather than one of zeros.
    let resolved = s.recorded("resolved_at");
    let mut columns = vec![text_col("Month"), num_col("Reported")];
    if resolved {
        columns.push(num_col("Resolved"));
    }
    Table {
        id: "table-monthly",
        caption: table_title(
            if resolved {
                "monthly"
            } else {
                "monthly.reported"
            },
            &cx.config.words,
        ),
        columns,
        bodies: single_body(
            s.monthly
                .iter()
                .map(|m| {
                    let mut cells = vec![f.cell("monthly.reported", &m.month, m.reported)];
                    if resolved {
                        cells.push(f.cell("monthly.resolved", &m.month, m.resolved));
                    }
                    row(long_month(&m.month), cells)
                })
                .collect(),
        ),
    }
}
