//! Recorded facts (SPEC §3.1): a figure resting on a column no export has is `null`, never
//! the 0 or "open" that the empty cells would otherwise add up to.
//!
//! Runs after suppression: the aggregate counts an unrecorded column as empty everywhere, and
//! those counts (0, or every case unassigned) must not take part in suppression as hidden
//! cells, or the methodology would report cells withheld from a table that is not published.

use crate::config::{AckPromise, Config, Layout, Section};
use crate::load::CaseTable;
use crate::model::{Counts, IncidentFigures, Summary, SuppressionReport, OPTIONAL_FACTS};

/// The columns of `OPTIONAL_FACTS` that no export has, in that order.
pub fn not_recorded(table: &CaseTable) -> Vec<String> {
    OPTIONAL_FACTS
        .iter()
        .filter(|c| !table.recorded(c))
        .map(|c| c.to_string())
        .collect()
}

/// One warning per column that some exports have and others lack: the cases of the latter
/// count as empty (unassigned, open) there, which the committee should know.
pub fn partly_recorded(table: &CaseTable) -> Vec<String> {
    OPTIONAL_FACTS
        .iter()
        .filter_map(|c| {
            let lacking = table.lacking(c);
            (!lacking.is_empty()).then(|| {
                format!(
                    "column `{c}` is missing from {}: its cases count as empty there (unassigned or open)",
                    lacking.join(", ")
                )
            })
        })
        .collect()
}

/// Sets `not_recorded` and nulls every figure resting on those columns; drops their tables
/// from the suppression note.
pub fn withhold(s: &mut Summary, report: &mut SuppressionReport, not_recorded: Vec<String>) {
    let gone = null(s, &not_recorded);
    report.tables.retain(|t| !gone.contains(&t.as_str()));
    report
        .complementary_cells
        .retain(|c| !gone.iter().any(|g| c.starts_with(&format!("{g}/"))));
    if gone.contains(&"by_handler") {
        s.by_handler = None;
    }
    if gone.contains(&"by_channel") {
        s.by_channel = None;
    }
    if gone.contains(&"by_referral") {
        s.by_referral = None;
    }
    if gone.contains(&"people") {
        s.people = None;
    }
    s.not_recorded = not_recorded;
}

/// Nulls every figure resting on the `not_recorded` columns; returns the tables that go.
pub fn null(s: &mut Summary, not_recorded: &[String]) -> Vec<&'static str> {
    let missing = |c: &str| not_recorded.iter().any(|n| n == c);
    let mut gone: Vec<&str> = Vec::new();
    let clear = |counts: &mut crate::model::Counts| counts.values_mut().for_each(|v| *v = None);
    if missing("platform") {
        clear(&mut s.by_platform);
        gone.push("by_platform");
    }
    if missing("handled_by") {
        // Kept as keys without values until the suppression pass is done (its cells are
        // positions in this table); `withhold` then publishes the table as `null`.
        if let Some(m) = &mut s.by_handler {
            clear(m);
        }
        gone.push("by_handler");
    }
    // As `handled_by`: kept as keys without values until suppression is done.
    for (column, table, counts) in [
        ("channel", "by_channel", &mut s.by_channel),
        ("referred_to", "by_referral", &mut s.by_referral),
    ] {
        if missing(column) {
            if let Some(m) = counts {
                clear(m);
            }
            gone.push(table);
        }
    }
    if missing("person_ref") {
        if let Some(p) = &mut s.people {
            p.named = None;
            clear(&mut p.by_action);
        }
        gone.extend(["people", "people.by_action"]);
    }
    if missing("moderation_level") {
        clear(&mut s.by_moderation_level);
        for lv in s.resolution_days.by_moderation_level.values_mut() {
            (lv.count, lv.median, lv.p90) = (None, None, None);
        }
        s.appeals.eligible = None;
        s.appeals.not_eligible = None;
        gone.extend([
            "by_moderation_level",
            "resolution_days.by_moderation_level",
            "appeals.eligibility",
        ]);
    }
    if missing("reporter_type") {
        clear(&mut s.by_reporter_type);
        gone.push("by_reporter_type");
    }
    if missing("action") {
        clear(&mut s.by_action);
        if let Some(p) = &mut s.people {
            clear(&mut p.by_action);
        }
        gone.push("people.by_action");
        s.suspensions.temporary = None;
        s.suspensions.full = None;
        gone.push("by_action");
    }
    if missing("suspension_days") {
        s.suspensions.median_days = None;
    }
    if missing("interim_suspension") {
        s.suspensions.interim = None;
    }
    if missing("action") && missing("interim_suspension") {
        gone.push("suspensions");
    }
    if missing("acknowledged_at") {
        let a = &mut s.acknowledgement;
        (a.met, a.rate, a.median_hours) = (None, None, None);
        gone.push("acknowledgement");
    }
    if missing("resolved_at") {
        s.cases.resolved = None;
        s.cases.open_at_period_end = None;
        s.cases.carried_over = None;
        let r = &mut s.resolution_days;
        (r.count, r.median, r.p90, r.mean) = (None, None, None, None);
        clear(&mut r.histogram);
        for lv in r.by_moderation_level.values_mut() {
            (lv.count, lv.median, lv.p90) = (None, None, None);
        }
        for m in &mut s.monthly {
            m.resolved = None;
        }
        gone.extend([
            "resolution_days",
            "resolution_days.by_moderation_level",
            "resolution_days.histogram",
            "monthly.resolved",
        ]);
    }
    let a = &mut s.appeals;
    if missing("decision_communicated_at") {
        (a.timely, a.late, a.window_unknown) = (None, None, None);
        gone.push("appeals.window");
    }
    if missing("appeal_decided_at") {
        a.median_days_to_decision = None;
    }
    if missing("appeal_outcome") {
        clear(&mut a.by_outcome);
        a.reversal_rate = None;
        gone.push("appeals.by_outcome");
    }
    if missing("appeal_filed_at") {
        gone.extend(null_appeals(a));
    }
    gone
}

/// Nulls every appeal figure (none recorded, or the section left out); returns their tables.
fn null_appeals(a: &mut crate::model::Appeals) -> [&'static str; 4] {
    a.filed = None;
    a.by_outcome.values_mut().for_each(|v| *v = None);
    (a.eligible, a.not_eligible) = (None, None);
    (a.timely, a.late, a.window_unknown) = (None, None, None);
    a.reversal_rate = None;
    a.median_days_to_decision = None;
    [
        "appeals",
        "appeals.by_outcome",
        "appeals.eligibility",
        "appeals.window",
    ]
}

/// Nulls the figures about something the community's settings do not have, whatever the
/// export records (SPEC §4): a rate of meeting an acknowledgement promise no one made,
/// counts by moderation level without levels, suspension counts without suspension actions.
/// Runs after suppression, like [`withhold`]: nothing is published that was hidden.
pub fn not_applicable(s: &mut Summary, report: &mut SuppressionReport, config: &Config) {
    let gone = null_not_applicable(s, config);
    report.tables.retain(|x| !gone.contains(&x.as_str()));
    report
        .complementary_cells
        .retain(|c| !gone.iter().any(|g| c.starts_with(&format!("{g}/"))));
}

/// Nulls the figures [`not_applicable`] leaves out; returns the tables that go.
pub fn null_not_applicable(s: &mut Summary, config: &Config) -> Vec<&'static str> {
    let mut gone: Vec<&'static str> = Vec::new();
    let t = &config.taxonomy;
    if config.ack_promise() == AckPromise::None {
        let a = &mut s.acknowledgement;
        (a.met, a.rate) = (None, None);
        if a.median_hours.is_some() {
            gone.push("acknowledgement");
        }
    }
    if t.levels.is_empty() {
        s.by_moderation_level.values_mut().for_each(|v| *v = None);
        for lv in s.resolution_days.by_moderation_level.values_mut() {
            (lv.count, lv.median, lv.p90) = (None, None, None);
        }
        s.appeals.eligible = None;
        s.appeals.not_eligible = None;
        gone.extend([
            "by_moderation_level",
            "resolution_days.by_moderation_level",
            "appeals.eligibility",
        ]);
    }
    let a = &mut s.appeals;
    if config.appeal_any_decision {
        // Every appeal is eligible: the split says nothing.
        (a.eligible, a.not_eligible) = (None, None);
        gone.push("appeals.eligibility");
    }
    if config.has_appeals() && !config.appeal_window {
        (a.timely, a.late, a.window_unknown) = (None, None, None);
        gone.push("appeals.window");
    }
    let listed = |keys: Vec<&str>| keys.iter().any(|k| t.actions.iter().any(|a| a.key == *k));
    let temporary = listed(t.temporary_suspension_actions());
    if !temporary {
        s.suspensions.temporary = None;
        s.suspensions.median_days = None;
    }
    if !listed(t.full_suspension_actions()) {
        s.suspensions.full = None;
    }
    gone
}

/// Nulls the figures of the sections the config leaves out (`[report] sections`), whatever
/// the export records, and lists those sections; drops their tables from the suppression
/// note. Runs after suppression, like [`withhold`]: the tables themselves go only now, since
/// the suppression pass addresses cells by their place in them.
pub fn left_out(
    s: &mut Summary,
    mut inc: Option<&mut IncidentFigures>,
    report: &mut SuppressionReport,
    layout: &Layout,
) {
    let gone = null_left_out(s, inc.as_deref_mut(), layout);
    report.tables.retain(|t| !gone.contains(&t.as_str()));
    report
        .complementary_cells
        .retain(|c| !gone.iter().any(|g| c.starts_with(&format!("{g}/"))));
    if !layout.shows(Section::Handlers) {
        s.by_handler = None;
    }
    if !layout.shows(Section::Channels) {
        s.by_channel = None;
    }
    if !layout.shows(Section::Referrals) {
        s.by_referral = None;
    }
    if !layout.shows(Section::People) {
        s.people = None;
    }
    if !layout.shows(Section::Monthly) {
        s.monthly.clear();
    }
    if let Some(i) = inc {
        if !layout.shows(Section::Outcomes) {
            i.by_action = None;
            i.by_moderation_level = None;
        }
        if !layout.shows(Section::Platforms) {
            i.by_platform = None;
        }
        if !layout.shows(Section::Reporters) {
            i.by_reporter_type = None;
        }
        if !layout.shows(Section::Handlers) {
            i.by_handler = None;
        }
    }
    s.left_out = layout
        .left_out()
        .iter()
        .map(|x| x.key().to_string())
        .collect();
}

/// Nulls the figures of the sections [`left_out`] leaves out, keeping every table's keys;
/// returns the tables that go.
pub fn null_left_out(
    s: &mut Summary,
    inc: Option<&mut IncidentFigures>,
    layout: &Layout,
) -> Vec<&'static str> {
    let mut gone: Vec<&'static str> = Vec::new();
    let clear = |counts: &mut Counts| counts.values_mut().for_each(|v| *v = None);
    let out = |x: Section| !layout.shows(x);
    let mut inc = inc;
    if out(Section::Outcomes) {
        clear(&mut s.by_moderation_level);
        clear(&mut s.by_action);
        let p = &mut s.suspensions;
        (p.temporary, p.full, p.interim, p.median_days) = (None, None, None, None);
        for t in inc
            .as_mut()
            .into_iter()
            .flat_map(|i| [i.by_action.as_mut(), i.by_moderation_level.as_mut()])
            .flatten()
        {
            clear(t);
        }
        gone.extend([
            "by_moderation_level",
            "by_action",
            "incidents.by_action",
            "incidents.by_moderation_level",
            "suspensions",
        ]);
    }
    if out(Section::Platforms) {
        clear(&mut s.by_platform);
        if let Some(t) = inc.as_mut().and_then(|i| i.by_platform.as_mut()) {
            clear(t);
        }
        gone.extend(["by_platform", "incidents.by_platform"]);
    }
    if out(Section::Reporters) {
        clear(&mut s.by_reporter_type);
        if let Some(t) = inc.as_mut().and_then(|i| i.by_reporter_type.as_mut()) {
            clear(t);
        }
        gone.extend(["by_reporter_type", "incidents.by_reporter_type"]);
    }
    if out(Section::Handlers) {
        if let Some(h) = &mut s.by_handler {
            clear(h);
        }
        if let Some(t) = inc.as_mut().and_then(|i| i.by_handler.as_mut()) {
            clear(t);
        }
        gone.extend(["by_handler", "incidents.by_handler"]);
    }
    for (section, table, counts) in [
        (Section::Channels, "by_channel", &mut s.by_channel),
        (Section::Referrals, "by_referral", &mut s.by_referral),
    ] {
        if out(section) {
            if let Some(m) = counts {
                clear(m);
            }
            gone.push(table);
        }
    }
    if out(Section::People) {
        if let Some(p) = &mut s.people {
            p.named = None;
            clear(&mut p.by_action);
        }
        gone.extend(["people", "people.by_action"]);
    }
    if out(Section::Timeliness) {
        let a = &mut s.acknowledgement;
        (a.met, a.rate, a.median_hours) = (None, None, None);
        let r = &mut s.resolution_days;
        (r.count, r.median, r.p90, r.mean) = (None, None, None, None);
        clear(&mut r.histogram);
        for lv in r.by_moderation_level.values_mut() {
            (lv.count, lv.median, lv.p90) = (None, None, None);
        }
        gone.extend([
            "acknowledgement",
            "resolution_days",
            "resolution_days.by_moderation_level",
            "resolution_days.histogram",
        ]);
    }
    if out(Section::Appeals) {
        gone.extend(null_appeals(&mut s.appeals));
    }
    if out(Section::Monthly) {
        for m in &mut s.monthly {
            (m.reported, m.resolved) = (None, None);
        }
        gone.extend(["monthly.reported", "monthly.resolved"]);
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::CaseTable;
    use crate::schema::{COLUMNS, N_COLUMNS};

    fn table(files: &[(&str, &[&str])]) -> CaseTable {
        CaseTable {
            headers: files
                .iter()
                .map(|(name, cols)| {
                    let mut h = [false; N_COLUMNS];
                    for (i, c) in COLUMNS.iter().enumerate() {
                        h[i] = cols.contains(c);
                    }
                    (name.to_string(), h)
                })
                .collect(),
            ..CaseTable::default()
        }
    }

    #[test]
    fn a_fact_is_recorded_when_any_export_has_its_column() {
        let t = table(&[
            (
                "a.csv",
                &["case_id", "reported_at", "category", "resolved_at"],
            ),
            ("b.csv", &["case_id", "reported_at", "category"]),
        ]);
        let missing = not_recorded(&t);
        assert!(!missing.contains(&"resolved_at".to_string()));
        assert_eq!(missing.len(), OPTIONAL_FACTS.len() - 1);
        assert_eq!(
            partly_recorded(&t),
            vec![
                "column `resolved_at` is missing from b.csv: its cases count as empty there (unassigned or open)"
                    .to_string()
            ]
        );
    }
}
