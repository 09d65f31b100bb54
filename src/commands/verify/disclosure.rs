//! The disclosure audit over the figures as published in the folder, with the export's model:
//! a withheld cell an edited report gives away, in words.

/// The disclosure audit over the figures as published in the folder (not as rebuilt): an
/// edited report may give a withheld cell away. A file that cannot be read as figures is
/// reported by the byte comparison already.
pub(super) fn disclosure_problems(
    dir: &std::path::Path,
    model: &crate::compute::suppress::Model,
) -> Vec<String> {
    let Some((summary, incidents)) = published_figures(dir) else {
        return Vec::new();
    };
    match model.check(&summary, incidents.as_ref()) {
        Ok(audit) if audit.exposed.is_empty() => Vec::new(),
        Ok(audit) => audit.exposed.iter().map(exposed_problem).collect(),
        Err(_) => vec!["the published figures contradict each other or the export".into()],
    }
}

/// The figures of `data/summary.json` and `data/incidents.json` (when published and
/// readable); `None` when `summary.json` cannot be read as figures.
fn published_figures(
    dir: &std::path::Path,
) -> Option<(crate::model::Summary, Option<crate::model::IncidentFigures>)> {
    let read = |name: &str| std::fs::read(dir.join("data").join(name)).ok();
    let summary = read("summary.json").and_then(|b| serde_json::from_slice(&b).ok())?;
    let incidents = read("incidents.json").and_then(|b| serde_json::from_slice(&b).ok());
    Some((summary, incidents))
}

/// A withheld cell the published figures give away, in words.
pub(super) fn exposed_problem(e: &crate::compute::suppress::Exposed) -> String {
    format!(
        "the published figures give away a withheld cell: {} can be worked out (= {})",
        e.cell, e.value
    )
}
