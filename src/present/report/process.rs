//! The section on how to report, who responded and what changed (`[process]`): the
//! committee's own plain text, shown where given. A list given empty says there were none.

use super::view::Ctx;
use crate::config::Section;

#[derive(serde::Serialize)]
pub(super) struct ProcessView {
    pub(super) how_to_report: Option<String>,
    pub(super) who_responded: Option<String>,
    /// Whether the config lists the changes (an empty list says there were none).
    pub(super) policy_given: bool,
    pub(super) policy_changes: Vec<String>,
    pub(super) no_policy_changes: String,
    pub(super) committee_given: bool,
    pub(super) committee_changes: Vec<String>,
    pub(super) no_committee_changes: String,
}

pub(super) fn process(cx: &Ctx) -> Option<ProcessView> {
    let p = cx.config.process.as_ref()?;
    if p.is_empty() || !cx.config.report.shows(Section::Process) {
        return None;
    }
    let w = &cx.config.words;
    Some(ProcessView {
        how_to_report: p.how_to_report.clone(),
        who_responded: p.who_responded.clone(),
        policy_given: p.policy_changes.is_some(),
        policy_changes: p.policy_changes.clone().unwrap_or_default(),
        no_policy_changes: format!(
            "There were no changes to the {} or to how {} are handled in this period.",
            w.document,
            w.cases()
        ),
        committee_given: p.committee_changes.is_some(),
        committee_changes: p.committee_changes.clone().unwrap_or_default(),
        no_committee_changes: format!("No one joined or left {} in this period.", w.committee),
    })
}
