//! How the report was made: the policy it measures against, the committee's own figures,
//! what suppression withheld, the rows read.

use super::view::{
    row, single_body, text_col, Cell, Ctx, Policy, Row, RowsView, SuppressionView, Table,
};
use crate::present::text::{
    fact_name, join_and, ordinal, plural, table_title, thousands, weekdays,
};

pub(super) fn policy(cx: &Ctx, ack_target: &str, appealable_levels: &str) -> Policy {
    let c = cx.config;
    Policy {
        ack_target: ack_target.to_string(),
        ack_deadline: ack_deadline(c.ack_target_business_days),
        business_days: weekdays(&c.business_days),
        holidays: c.holidays.len(),
        appealable_levels: appealable_levels.to_string(),
        appeal_window_days: c.appeal_window_days,
    }
}

/// What the export does not record, named once (SPEC §3.1), or `None` when it records all.
pub(super) fn not_recorded(cx: &Ctx) -> Option<String> {
    let facts = not_recorded_facts(cx);
    (!facts.is_empty()).then(|| join_and(&facts))
}

/// The unrecorded facts the methodology names: not those that only add a table of their own
/// (`model::ADDED_FACTS`), whose absence leaves nothing out.
pub(super) fn not_recorded_facts(cx: &Ctx) -> Vec<String> {
    cx.summary
        .not_recorded
        .iter()
        .filter(|c| !crate::model::ADDED_FACTS.contains(&c.as_str()))
        .map(|c| fact_name(c).to_string())
        .collect()
}

pub(super) fn committee_activity(cx: &Ctx) -> Option<Table> {
    let c = cx.config;
    c.committee_activity.as_ref().map(|a| {
        let text = |header: &str, v: String| Row {
            header: header.into(),
            cells: vec![Cell { v, num: false }],
            total: false,
        };
        let mut rows = Vec::new();
        for (header, v) in [
            ("Meetings held", a.meetings),
            ("Votes taken", a.votes),
            ("Votes that reached quorum", a.votes_quorate),
            ("Members at the end of the period", a.members),
        ] {
            if let Some(n) = v {
                rows.push(row(header, vec![thousands(n)]));
            }
        }
        if !a.joined.is_empty() {
            rows.push(text("Joined the committee", join_and(&a.joined)));
        }
        if !a.left.is_empty() {
            rows.push(text("Left the committee", join_and(&a.left)));
        }
        Table {
            id: "table-committee",
            caption: format!("The work of the {}", c.committee),
            columns: vec![text_col("Measure"), text_col("Value")],
            bodies: single_body(rows),
        }
    })
}

pub(super) fn committee_note(cx: &Ctx) -> Option<String> {
    let c = cx.config;
    c.committee_activity
        .as_ref()
        .and_then(|a| a.note.clone())
        .filter(|n| !n.trim().is_empty())
}

pub(super) fn suppression(cx: &Ctx) -> SuppressionView {
    let sup = cx.input.suppression;
    SuppressionView {
        min_cell: sup.min_cell,
        mode: match sup.min_cell {
            0 => "off",
            1 => "none",
            _ => "on",
        },
        largest_hidden: sup.min_cell.saturating_sub(1),
        tables: sup.tables.iter().map(|t| table_title(t)).collect(),
        primary: plural(sup.primary, "cell was", "cells were"),
        complementary: plural(sup.complementary, "more cell was", "more cells were"),
        audit_figures: sup
            .audit
            .map(|a| plural(a.published_figures, "published figure", "published figures"))
            .unwrap_or_default(),
        audit_relations: sup
            .audit
            .map(|a| plural(a.relations, "relation", "relations"))
            .unwrap_or_default(),
    }
}

pub(super) fn rows(cx: &Ctx) -> RowsView {
    let (s, input) = (cx.summary, cx.input);
    RowsView {
        read: thousands(s.rows.read),
        counted: thousands(s.rows.counted),
        outside_period: thousands(s.rows.outside_period),
        rejected: plural(input.rows_rejected, "row", "rows"),
        rejected_verb: if input.rows_rejected == 1 {
            "was"
        } else {
            "were"
        },
        any_rejected: input.rows_rejected > 0,
        any_outside: s.rows.outside_period > 0,
        any_read: s.rows.read > 0,
    }
}

pub(super) fn ack_deadline(n: u32) -> String {
    match n {
        0 => "the end of the local day on which the report arrived".into(),
        1 => "the end of the next business day after the local date of the report".into(),
        n => format!(
            "the end of the {} business day after the local date of the report",
            ordinal(n)
        ),
    }
}
