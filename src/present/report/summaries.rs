//! "Reports and their outcomes": the committee's summaries of individual cases, one entry
//! each, as PyCon US and PyCascades list them. Only what `crate::summaries` let through
//! reaches this view (confirmed, naming no withheld count).

use super::view::Ctx;
use crate::config::Section;
use crate::present::text::capitalise;

#[derive(serde::Serialize)]
pub(super) struct SummaryView {
    /// "Harassment; outcome: Warning", "Harassment", "Outcome: Warning", or empty.
    pub(super) head: String,
    pub(super) text: String,
}

#[derive(serde::Serialize)]
pub(super) struct SummariesView {
    pub(super) heading: String,
    /// The Markdown anchor of `heading`.
    pub(super) anchor: String,
    pub(super) intro: String,
    /// ", besides the summaries …": where the report says it publishes counts only.
    pub(super) besides: String,
    pub(super) entries: Vec<SummaryView>,
}

pub(super) fn summaries(cx: &Ctx) -> Option<SummariesView> {
    let list = cx.input.summaries;
    if list.is_empty() || !cx.config.report.shows(Section::Summaries) {
        return None;
    }
    let w = &cx.config.words;
    let heading = format!("{} and their outcomes", capitalise(&w.cases()));
    Some(SummariesView {
        anchor: crate::present::text::slug(&heading),
        heading,
        intro: format!(
            "Summaries of individual {}, written and anonymised by {} for publication. They do not come from the export the figures are counted from.",
            w.cases(),
            w.committee
        ),
        besides: format!(
            ", besides the summaries of individual {} that {} wrote and anonymised for publication",
            w.cases(),
            w.committee
        ),
        entries: list
            .iter()
            .map(|p| SummaryView {
                head: match (p.kind.is_empty(), p.outcome.is_empty()) {
                    (false, false) => format!("{}; outcome: {}", p.kind, p.outcome),
                    (false, true) => p.kind.clone(),
                    (true, false) => format!("Outcome: {}", p.outcome),
                    (true, true) => String::new(),
                },
                text: p.text.clone(),
            })
            .collect(),
    })
}
