//! How the report was made: the policy it measures against, the committee's own figures,
//! what suppression withheld, the rows read.

use super::view::{
    row, single_body, text_col, Cell, Ctx, Policy, Row, RowsView, SigningView, SuppressionView,
    Table,
};
use crate::config::{AckPromise, Config};
use crate::present::text::{
    fact_name, join_and, ordinal, plural, table_title, thousands, weekdays,
};
use crate::publish::manifest::{SIGNATURE_FILE, SIGNATURE_NAMESPACE};

pub(super) fn policy(cx: &Ctx, ack_target: &str, appealable_levels: &str) -> Policy {
    let c = cx.config;
    let promise = c.ack_promise();
    let mut recorded = vec!["period", "time zone", "suppression threshold"];
    match promise {
        AckPromise::BusinessDays(_) => recorded.push("business days and holidays"),
        AckPromise::CalendarDays(_) => recorded.push("acknowledgement promise"),
        AckPromise::None => {}
    }
    if c.has_appeals() {
        recorded.push("appeal rules");
    }
    recorded.push("any template overrides");
    Policy {
        ack_promise: match promise {
            AckPromise::BusinessDays(_) => "business",
            AckPromise::CalendarDays(_) => "calendar",
            AckPromise::None => "none",
        },
        ack_target: ack_target.to_string(),
        ack_deadline: ack_deadline(promise),
        business_days: weekdays(&c.business_days),
        holidays: c.holidays.len(),
        appeals: c.has_appeals(),
        appealable_levels: appealable_levels.to_string(),
        appeal_window_days: c.appeal_window(),
        appealable: if c.appeal_any_decision {
            "any decision".to_string()
        } else {
            format!("decisions at {appealable_levels}")
        },
        appealable_cap: if c.appeal_any_decision {
            "Any decision".to_string()
        } else {
            format!("Decisions at {appealable_levels}")
        },
        appeal_any: c.appeal_any_decision,
        appeal_rule: appeal_rule(c, appealable_levels),
        manifest_settings: recorded.join(", "),
    }
}

/// The promise as the report states it: "1 business day", "7 days"; empty without one.
pub(super) fn ack_target(c: &Config) -> String {
    match c.ack_promise() {
        AckPromise::BusinessDays(n) => plural(u64::from(n), "business day", "business days"),
        AckPromise::CalendarDays(n) => plural(u64::from(n), "day", "days"),
        AckPromise::None => String::new(),
    }
}

/// What the export does not record, named once (SPEC §3.1), and how many facts that is;
/// `None` when it records all.
/// A fact the community's settings do not have is not named, as the export could not
/// record it: appeals without an appeal step, suspensions without suspension actions.
pub(super) fn not_recorded(cx: &Ctx) -> Option<(String, usize)> {
    let (c, t) = (cx.config, &cx.config.taxonomy);
    let listed = |keys: Vec<&str>| keys.iter().any(|k| t.actions.iter().any(|a| a.key == *k));
    let suspensions =
        listed(t.temporary_suspension_actions()) || listed(t.full_suspension_actions());
    let applies = |column: &str| match column {
        "decision_communicated_at" | "appeal_filed_at" | "appeal_decided_at" | "appeal_outcome" => {
            c.has_appeals()
        }
        "suspension_days" => listed(t.temporary_suspension_actions()),
        "interim_suspension" => suspensions,
        _ => true,
    };
    let facts: Vec<String> = cx
        .summary
        .not_recorded
        .iter()
        .filter(|c| applies(c))
        // A fact that only adds a table of its own leaves nothing out when absent.
        .filter(|c| !crate::model::ADDED_FACTS.contains(&c.as_str()))
        .map(|c| fact_name(c).to_string())
        .collect();
    (!facts.is_empty()).then(|| (join_and(&facts), facts.len()))
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
        let who = &c.words.committee;
        if !a.joined.is_empty() {
            rows.push(text(&format!("Joined {who}"), join_and(&a.joined)));
        }
        if !a.left.is_empty() {
            rows.push(text(&format!("Left {who}"), join_and(&a.left)));
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
        tables: sup
            .tables
            .iter()
            .map(|t| table_title(t, &cx.config.words))
            .collect(),
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

/// Who signs the report's manifest, and where the signature and the key are (`[signing]`).
/// The signature itself cannot be in the report: the manifest it signs holds the report's
/// hashes, so it is published beside it.
pub(super) fn signing(cx: &Ctx) -> Option<SigningView> {
    cx.config.signing.as_ref().map(|s| SigningView {
        identity: s.identity.clone(),
        key_published_at: s.key_published_at.clone().filter(|w| !w.trim().is_empty()),
        namespace: SIGNATURE_NAMESPACE,
        file: SIGNATURE_FILE,
    })
}

pub(super) fn ack_deadline(promise: AckPromise) -> String {
    let (n, kind) = match promise {
        AckPromise::BusinessDays(n) => (n, "business day"),
        AckPromise::CalendarDays(n) => (n, "day"),
        AckPromise::None => return String::new(),
    };
    match n {
        0 => "the end of the local day on which the report arrived".into(),
        1 => format!("the end of the next {kind} after the local date of the report"),
        n => format!(
            "the end of the {} {kind} after the local date of the report",
            ordinal(n)
        ),
    }
}

/// The appeal step in one sentence, as the settings give it; empty without one.
fn appeal_rule(c: &Config, appealable_levels: &str) -> String {
    if !c.has_appeals() {
        return String::new();
    }
    let who = if c.appeal_any_decision {
        "Any decision may be appealed".to_string()
    } else {
        format!("Only decisions at {appealable_levels} may be appealed")
    };
    match c.appeal_window() {
        Some(n) => format!("{who}, within {n} days of the day the decision was communicated."),
        None => format!("{who}; no time limit is set."),
    }
}
