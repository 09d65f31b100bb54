//! The disclosure audit as a reader without the export can run it (`verify --report DIR`
//! alone): the same program as the build's (`audit`), over the counts as the published files
//! give them (`figures`), with only the relations known by construction of the figures
//! (`relations::by_construction`). A withheld cell's label says what it can be: one listed in
//! `data/disclosure.json` as withheld to protect others is 0 or at least `min_cell` (an
//! either-or, as in the build's audit); any other withheld count is "< min_cell", 1..min_cell−1.
//!
//! Fewer relations than the build's audit uses (it also knows those that hold in this
//! period's data), so a report this check passes may still fail the full audit; a cell this
//! check finds exposed is exposed for every reader.

use super::audit::{Audit, Inconsistent, Model};
use super::relations::{self, Kind};
use crate::compute::aggregate::Support;
use crate::compute::recorded;
use crate::config::Taxonomy;
use crate::model::{IncidentFigures, Summary, UNASSIGNED};

/// What `data/disclosure.json` says of the withheld cells.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Withheld {
    pub min_cell: u64,
    /// How many small counts were withheld (shown as "< min_cell").
    #[serde(rename = "withheld_small")]
    pub small: u64,
    /// The cells withheld to protect others, as paths into the data files.
    #[serde(rename = "withheld_to_protect_cells")]
    pub to_protect: Vec<String>,
}

impl Withheld {
    /// Reads `data/disclosure.json` (`None` when it cannot be read as such).
    pub fn from_json(bytes: &[u8]) -> Option<Withheld> {
        serde_json::from_slice(bytes).ok()
    }
}

/// The outcome of the reader's audit.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderAudit {
    pub audit: Audit,
    /// The withheld cells audited.
    pub withheld: usize,
    /// Fewer cells are withheld as small than `data/disclosure.json` says: some were
    /// published since (the audit treats the ones still withheld as it would otherwise).
    pub fewer_small: Option<String>,
}

/// Why the reader's audit could not be run as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReaderError {
    /// The withheld cells do not match what `data/disclosure.json` says of them.
    #[error("{0}")]
    Labels(String),
    /// No values of the withheld cells within their labels make the published figures add up.
    #[error(
        "the published figures contradict each other: no values of the withheld cells within their labels (\"< N\" is 1 to N−1, \"suppressed\" is 0 or at least N) make every table add up"
    )]
    Inconsistent,
}

impl From<Inconsistent> for ReaderError {
    fn from(_: Inconsistent) -> Self {
        ReaderError::Inconsistent
    }
}

/// Audits the published figures `s` (and `inc`) as a reader without the export can.
pub fn reader_audit(
    s: &Summary,
    inc: Option<&IncidentFigures>,
    withheld: &Withheld,
) -> Result<ReaderAudit, ReaderError> {
    let min = withheld.min_cell;
    // Counts that are null because the export has no such column, or the settings rule them
    // out (a taxonomy without levels keeps only "unassigned"): unknowns like any other the
    // report does not publish, never withheld cells.
    let mut absent = s.not_recorded.clone();
    let no_levels = s.by_moderation_level.keys().all(|k| k == UNASSIGNED);
    if no_levels {
        absent.push("moderation_level".into());
    }
    let mut probe = s.clone();
    let mut probe_inc = inc.cloned();
    for (_, _, v) in relations::slots(&mut probe, probe_inc.as_mut()) {
        *v = Some(0);
    }
    recorded::null(&mut probe, &absent);
    // Sections the report leaves out, and figures its schema did not have yet, are not
    // published either.
    let layout = crate::config::Layout::leaving_out(&s.left_out);
    recorded::null_left_out(&mut probe, probe_inc.as_mut(), &layout);
    if s.schema_version < 4 {
        probe.cases.carried_over = None;
    }
    let applies = relations::published(&probe, probe_inc.as_ref());

    let mut vars = relations::vars(s, inc, &Support::default());
    let shown = relations::published(s, inc);
    let mut small = Vec::new();
    for (i, v) in vars.iter_mut().enumerate() {
        if v.kind != Kind::Cell || shown[i].is_some() {
            continue;
        }
        if applies[i].is_none() {
            v.kind = Kind::Latent;
        } else if withheld
            .to_protect
            .contains(&super::audit::cell_path(v.table, &v.key))
        {
            // 0 or at least min_cell: any value outside 1..min_cell−1 stands for it.
            v.value = min;
        } else {
            v.value = 1;
            small.push(i);
        }
    }
    // Without an acknowledgement promise the count of cases acknowledged in time is not
    // published (no setting of the report says so); only the count of small cells tells it
    // from a "< N".
    let met = vars
        .iter()
        .position(|v| v.table == "acknowledgement" && v.key == "met");
    if small.len() as u64 == withheld.small + 1 {
        if let Some(m) = met.filter(|m| small.contains(m)) {
            vars[m].kind = Kind::Latent;
            small.retain(|&i| i != m);
        }
    }
    let labels = format!(
        "data/disclosure.json says {} small counts were withheld (shown as \"< {min}\"), but the data files withhold {} counts that it does not list as withheld to protect others",
        withheld.small,
        small.len()
    );
    // More nulls than small cells: some are not what their label would say (a setting this
    // check cannot see), so their bounds are unknown.
    if small.len() as u64 > withheld.small {
        return Err(ReaderError::Labels(labels));
    }
    let fewer_small = (small.len() as u64) < withheld.small;
    let rels = relations::by_construction(&vars);
    // The suspension figures restate the action cells with the built-in keys
    // (`temporary_suspension`, `full_suspension`); another community's keys are in its
    // settings, not in the published files, so those figures then restate nothing here.
    let tax = Taxonomy {
        platforms: Vec::new(),
        category_groups: Vec::new(),
        categories: Vec::new(),
        levels: Vec::new(),
        actions: Vec::new(),
        handlers: Vec::new(),
        channels: Vec::new(),
        referrals: Vec::new(),
        suspension_actions: None,
    };
    let model = Model::new(vars, rels, min, &tax, &[], None);
    let audit = model.check_as_reader(s, inc)?;
    let withheld = model
        .vars
        .iter()
        .zip(&shown)
        .filter(|(v, shown)| v.kind == Kind::Cell && shown.is_none())
        .count();
    Ok(ReaderAudit {
        audit,
        withheld,
        fewer_small: fewer_small.then_some(labels),
    })
}
