//! `report.toml`: the committee's settings (SPEC §4), with the ALA policy as the default.
//!
//! Unknown keys are errors (as mdBook does), because a misspelt key silently ignored would
//! publish a report under the wrong policy.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod calendar;
mod check;
pub mod context;
pub mod dsa;
mod layout;
mod load;
mod period;
mod preset;
pub mod process;
pub mod site;
pub mod slide;
mod taxonomy;
mod words;

pub use layout::{EmptyPeriod, Layout, Section, Style};
pub use load::LoadedConfig;
use period::dates;
pub use period::{check_label, spec as periods, year_bounds, Period, PeriodConfig};
use preset::PresetFile;
pub use preset::{preset, Preset, ALA_PRESET, ALL_SECTIONS_LINE, PRESETS, PRESET_NAMES};
pub use taxonomy::{
    Category, Entry, Level, SuspensionActions, Taxonomy, DEFAULT_FULL_SUSPENSION,
    DEFAULT_TEMPORARY_SUSPENSION,
};
pub use words::{capitalise, Words, DEFAULT_TITLE};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder name and title of the report; defaults to the year, or `start_end`.
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub period: Option<PeriodConfig>,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default = "default_business_days")]
    pub business_days: Vec<String>,
    #[serde(default, deserialize_with = "dates::list")]
    pub holidays: Vec<NaiveDate>,
    /// The acknowledgement promise in business days (1 when no promise key is given).
    /// Read it through [`Config::ack_promise`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_target_business_days: Option<u32>,
    /// The acknowledgement promise in calendar days ("within one week" = 7), instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_target_calendar_days: Option<u32>,
    /// `false`: the community promises no time to acknowledge a report; no target is
    /// stated and no rate computed.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub ack_promise: bool,
    #[serde(default = "default_appealable")]
    pub appealable_levels: Vec<String>,
    #[serde(default = "default_appeal_window")]
    pub appeal_window_days: i64,
    /// `true`: any decision may be appealed, whatever its level (Django's reconsideration by
    /// the board); `appealable_levels` is then not used.
    #[serde(default, skip_serializing_if = "is_false")]
    pub appeal_any_decision: bool,
    /// `false`: an appeal has no time limit; no timely/late figures, no window in the text.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub appeal_window: bool,
    #[serde(default = "default_min_cell")]
    pub min_cell: u64,
    #[serde(default)]
    pub ignore_columns: Vec<String>,
    /// Export header → SPEC column name.
    #[serde(default)]
    pub column_map: BTreeMap<String, String>,
    /// Exports to read when no `--input` is given, relative to this file.
    /// Empty: every `*.csv` beside the config file.
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    /// The worksheet read from a workbook export (`.xlsx`, `.ods`, …); `None`: the first
    /// visible worksheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default = "default_organisation")]
    pub organisation: String,
    #[serde(default = "default_committee")]
    pub committee: String,
    #[serde(default)]
    pub contact: String,
    /// The committee's own words, in Markdown, relative to this file.
    #[serde(default)]
    pub narrative: Option<PathBuf>,
    /// The committee's public summaries of individual cases (CSV: kind, outcome, summary,
    /// confirmed), relative to this file; never read as an export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summaries: Option<PathBuf>,
    #[serde(default = "Taxonomy::ala")]
    pub taxonomy: Taxonomy,
    /// What the community calls its document, a section, a case and its committee.
    #[serde(default)]
    pub words: Words,
    /// How sections of the Code map to the EU DSA categories of `data/dsa_summary.csv`.
    /// Absent: the ALA mapping, for the ALA sections the taxonomy lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dsa: Option<dsa::DsaConfig>,
    /// Earlier periods' published `data/summary.json` files (relative to this file), for
    /// the year-over-year comparison and `data/history.csv`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<PathBuf>,
    /// What the committee itself did in the period, shown in the report when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_activity: Option<CommitteeActivity>,
    /// Reports vs incidents, for exports with an `incident_id` column.
    #[serde(default, skip_serializing_if = "Incidents::is_default")]
    pub incidents: Incidents,
    /// Who signs the report's `manifest.json` (`sign`), named in the methodology.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing: Option<Signing>,
    /// `[slide]`: also write the closing-session slide (`slide.html`, `slide.svg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slide: Option<slide::Slide>,
    /// `[report]`: the sections the report has, in order, and how it reads.
    #[serde(default, skip_serializing_if = "Layout::is_default")]
    pub report: Layout,
    /// `[[context]]`: the populations the report covers, for rates per 1,000.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<context::Population>,
    /// `[process]`: how to report, who responded, policy and committee changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<process::Process>,
    /// `[site]`: what a site (`build --periods`) adds to the periods it builds: earlier
    /// periods imported from their published figures.
    #[serde(default, skip_serializing_if = "site::SiteConfig::is_empty")]
    pub site: site::SiteConfig,
}

/// `[signing]`: the committee signs `manifest.json` with its SSH key (`sign`, or
/// `ssh-keygen -Y sign`); the report says who signs and how to check. No key is ever here.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Signing {
    /// The signer's name in the allowed-signers file, e.g. `coc-committee@example.org`.
    pub identity: String,
    /// Where readers find the committee's allowed-signers line (its public key): a web
    /// address, or a sentence.
    #[serde(default)]
    pub key_published_at: Option<String>,
}

/// `[incidents]`: when several reports about one incident share an `incident_id`, the
/// report shows both reports received and distinct incidents; this says which of the two the
/// sections of the Code are counted in (the other is shown beside it).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Incidents {
    #[serde(default)]
    pub count_categories_by: CountBasis,
}

impl Incidents {
    fn is_default(&self) -> bool {
        *self == Incidents::default()
    }
}

/// What a per-category count counts.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CountBasis {
    /// Each report once in each section it cites (SPEC §5; `summary.json` always counts so).
    #[default]
    Reports,
    /// Each incident once in each section any of its reports cites.
    Incidents,
}

impl CountBasis {
    pub fn key(self) -> &'static str {
        match self {
            CountBasis::Reports => "reports",
            CountBasis::Incidents => "incidents",
        }
    }
}

/// `[committee_activity]`: the committee's own work in the period (as the PSF Code of
/// Conduct Working Group reports it). Every key is optional; only those given are shown.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct CommitteeActivity {
    /// Meetings held.
    #[serde(default)]
    pub meetings: Option<u64>,
    /// Votes (formal decisions) taken.
    #[serde(default)]
    pub votes: Option<u64>,
    /// Votes that reached quorum (the PSF: "27 votes of which 26 reached quorum").
    #[serde(default)]
    pub votes_quorate: Option<u64>,
    /// Members at the end of the period.
    #[serde(default)]
    pub members: Option<u64>,
    /// Who joined the committee in the period (names or roles, as the committee publishes them).
    #[serde(default)]
    pub joined: Vec<String>,
    /// Who left the committee in the period.
    #[serde(default)]
    pub left: Vec<String>,
    /// A sentence or two of plain text (not Markdown), e.g. about training or policy work.
    #[serde(default)]
    pub note: Option<String>,
}

fn default_timezone() -> String {
    "America/Chicago".into()
}
fn default_business_days() -> Vec<String> {
    ["mon", "tue", "wed", "thu", "fri"]
        .map(String::from)
        .to_vec()
}
/// The promise when the config names none: the ALA's, the next business day.
pub const DEFAULT_ACK_TARGET_BUSINESS_DAYS: u32 = 1;
fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn default_appealable() -> Vec<String> {
    vec!["D".into()]
}
fn default_appeal_window() -> i64 {
    60
}
fn default_min_cell() -> u64 {
    3
}

/// The largest small-cell threshold accepted (in `min_cell` and `--min-cell`). A threshold
/// above the number of cases already hides every breakdown; a larger one is a typo.
pub const MAX_MIN_CELL: u64 = 1_000_000;

/// Refuses a threshold above [`MAX_MIN_CELL`].
pub fn check_min_cell(n: u64) -> Result<u64, String> {
    if n > MAX_MIN_CELL {
        Err(format!(
            "{n} is larger than {MAX_MIN_CELL}, the largest threshold accepted (0 turns suppression off)"
        ))
    } else {
        Ok(n)
    }
}
fn default_organisation() -> String {
    "American Library Association".into()
}
fn default_committee() -> String {
    "Code of Conduct Committee".into()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            label: None,
            period: None,
            timezone: default_timezone(),
            business_days: default_business_days(),
            holidays: Vec::new(),
            ack_target_business_days: None,
            ack_target_calendar_days: None,
            ack_promise: true,
            appealable_levels: default_appealable(),
            appeal_window_days: default_appeal_window(),
            appeal_any_decision: false,
            appeal_window: true,
            min_cell: default_min_cell(),
            ignore_columns: Vec::new(),
            column_map: BTreeMap::new(),
            inputs: Vec::new(),
            sheet: None,
            organisation: default_organisation(),
            committee: default_committee(),
            contact: String::new(),
            narrative: None,
            summaries: None,
            taxonomy: Taxonomy::ala(),
            words: Words::default(),
            dsa: None,
            history: Vec::new(),
            committee_activity: None,
            incidents: Incidents::default(),
            signing: None,
            slide: None,
            report: Layout::default(),
            context: Vec::new(),
            process: None,
            site: site::SiteConfig::default(),
        }
    }
}

/// What the community promises about acknowledging a report (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckPromise {
    /// No promise: no target is stated and no rate computed.
    None,
    /// By the end of the N-th business day after the local report date.
    BusinessDays(u32),
    /// By the end of the N-th calendar day after the local report date.
    CalendarDays(u32),
}

impl Config {
    /// The acknowledgement promise in force.
    pub fn ack_promise(&self) -> AckPromise {
        match (
            self.ack_promise,
            self.ack_target_business_days,
            self.ack_target_calendar_days,
        ) {
            (false, _, _) => AckPromise::None,
            (true, _, Some(n)) => AckPromise::CalendarDays(n),
            (true, n, None) => {
                AckPromise::BusinessDays(n.unwrap_or(DEFAULT_ACK_TARGET_BUSINESS_DAYS))
            }
        }
    }

    /// The community has an appeal step: some level's decisions may be appealed.
    pub fn has_appeals(&self) -> bool {
        self.appeal_any_decision || !self.appealable_levels.is_empty()
    }

    /// The appeal window in days, when appeals have one.
    pub fn appeal_window(&self) -> Option<i64> {
        (self.has_appeals() && self.appeal_window).then_some(self.appeal_window_days)
    }
}

#[cfg(test)]
mod tests;
