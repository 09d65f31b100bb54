//! `report.toml`: the committee's settings (SPEC §4), with the ALA policy as the default.
//!
//! Unknown keys are errors (as mdBook does), because a misspelt key silently ignored would
//! publish a report under the wrong policy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

pub mod calendar;
pub mod context;
pub mod dsa;
mod layout;
mod period;
pub mod process;
pub mod site;
pub mod slide;
mod taxonomy;
mod words;

pub use layout::{EmptyPeriod, Layout, Section, Style};
use period::dates;
pub use period::{check_label, spec as periods, year_bounds, Period, PeriodConfig};
use taxonomy::keys;
pub use taxonomy::{
    Category, Entry, Level, SuspensionActions, Taxonomy, DEFAULT_FULL_SUSPENSION,
    DEFAULT_TEMPORARY_SUSPENSION,
};
pub use words::{capitalise, Words, DEFAULT_TITLE};

/// The ALA Online Code of Conduct taxonomy, embedded so a bare `build` needs no file.
pub const ALA_PRESET: &str = include_str!("config/presets/ala.toml");

/// A community's policy that `init --preset` writes out: its taxonomy and the settings that
/// go with it. `ala` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    /// Shown in `init --help`.
    pub description: &'static str,
    pub organisation: &'static str,
    pub committee: &'static str,
    pub timezone: &'static str,
    pub appealable_levels: &'static [&'static str],
    /// The acknowledgement promise, as its report.toml line ("ack_target_business_days = 1",
    /// "ack_target_calendar_days = 7", "ack_promise = false").
    pub ack: &'static str,
    /// `min_cell`: 0 where the community publishes small numbers openly.
    pub min_cell: u64,
    /// `appeal_any_decision` and `appeal_window` (see [`Config`]).
    pub appeal_any_decision: bool,
    pub appeal_window: bool,
    /// `[words] title`, when the community titles its report otherwise than the default.
    pub title: Option<&'static str>,
    /// `[words] document` and `section`.
    pub document: &'static str,
    pub section: &'static str,
    /// `[words] sections`, when the plural is not `section` + "s".
    pub sections: Option<&'static str>,
    /// `[words] case`: what the community calls one item it counts.
    pub case_word: &'static str,
    /// `[words] committee`: how a sentence names the group that handles cases.
    pub committee_word: &'static str,
    /// `[report] sections` and `style`, as init writes them: the sections the community's
    /// own reports publish, in their order.
    pub sections_line: &'static str,
    pub style: &'static str,
    /// TOML with the `[[taxonomy.*]]` tables (and any `[dsa]` mapping).
    pub text: &'static str,
}

/// `[report] sections` as init writes it by default: every section, in the default order.
pub const ALL_SECTIONS_LINE: &str = "sections = [\"history\", \"narrative\", \"process\", \"committee\", \"categories\", \"outcomes\", \"summaries\", \"platforms\", \"reporters\", \"channels\", \"referrals\", \"handlers\", \"people\", \"timeliness\", \"appeals\", \"monthly\", \"other_figures\"]";

pub const PRESETS: [Preset; 4] = [
    Preset {
        name: "ala",
        description: "American Library Association Online Code of Conduct (levels A-D)",
        organisation: "American Library Association",
        committee: "Code of Conduct Committee",
        timezone: "America/Chicago",
        appealable_levels: &["D"],
        ack: "ack_target_business_days = 1",
        min_cell: 3,
        appeal_any_decision: false,
        appeal_window: true,
        title: None,
        document: "Code of Conduct",
        section: "section",
        sections: None,
        case_word: "case",
        committee_word: "the committee",
        sections_line: ALL_SECTIONS_LINE,
        style: "full",
        text: ALA_PRESET,
    },
    Preset {
        name: "psf",
        description: "Python Software Foundation Code of Conduct (psf/policies, read 2026-11-30)",
        organisation: "Python Software Foundation",
        committee: "Code of Conduct Working Group",
        timezone: "UTC",
        appealable_levels: &[],
        ack: "ack_target_calendar_days = 7",
        min_cell: 0,
        appeal_any_decision: false,
        appeal_window: true,
        title: Some("Code of Conduct WG transparency report {label}"),
        document: "PSF Code of Conduct",
        section: "kind of conduct",
        sections: Some("kinds of conduct"),
        case_word: "report",
        committee_word: "the working group",
        sections_line: "sections = [\"committee\", \"narrative\", \"process\", \"handlers\", \"categories\", \"outcomes\", \"summaries\", \"people\", \"platforms\", \"reporters\", \"timeliness\", \"appeals\", \"history\"]   # no month-by-month figures, as in the PSF's reports",
        style: "compact",
        text: include_str!("config/presets/psf.toml"),
    },
    Preset {
        name: "django",
        description: "Django Code of Conduct (django/code-of-conduct, read 2026-11-30)",
        organisation: "Django Software Foundation",
        committee: "Code of Conduct Working Group",
        timezone: "UTC",
        appealable_levels: &[],
        ack: "ack_promise = false",
        min_cell: 0,
        appeal_any_decision: true,
        appeal_window: false,
        title: Some("Django Code of Conduct transparency report {label}"),
        document: "Django Code of Conduct",
        section: "restricted behavior",
        sections: None,
        case_word: "report",
        committee_word: "the working group",
        sections_line: "sections = [\"history\", \"narrative\", \"process\", \"committee\", \"categories\", \"platforms\", \"handlers\", \"people\", \"outcomes\", \"summaries\", \"reporters\", \"timeliness\", \"appeals\"]   # no month-by-month figures, as in Django's statistics",
        style: "full",
        text: include_str!("config/presets/django.toml"),
    },
    Preset {
        name: "contributor-covenant",
        description: "Contributor Covenant 2.1 standards and enforcement ladder (EthicalSource/contributor_covenant)",
        organisation: "Our project",
        committee: "Community leaders",
        timezone: "UTC",
        appealable_levels: &[],
        ack: "ack_promise = false",
        min_cell: 3,
        appeal_any_decision: false,
        appeal_window: true,
        title: None,
        document: "Code of Conduct",
        section: "kind of unacceptable behavior",
        sections: Some("kinds of unacceptable behavior"),
        case_word: "report",
        committee_word: "the community leaders",
        sections_line: ALL_SECTIONS_LINE,
        style: "full",
        text: include_str!("config/presets/contributor-covenant.toml"),
    },
];

/// Preset names, for `init --preset`.
pub const PRESET_NAMES: [&str; 4] = ["ala", "psf", "django", "contributor-covenant"];

pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    pub fn taxonomy(&self) -> Result<Taxonomy, String> {
        toml::from_str::<PresetFile>(self.text)
            .map(|p| p.taxonomy)
            .map_err(|e| format!("preset `{}`: {e}", self.name))
    }

    /// The preset's `[dsa]` mapping, if it has one.
    pub fn dsa(&self) -> Result<Option<dsa::DsaConfig>, String> {
        toml::from_str::<PresetFile>(self.text)
            .map(|p| p.dsa)
            .map_err(|e| format!("preset `{}`: {e}", self.name))
    }
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PresetFile {
    taxonomy: Taxonomy,
    #[serde(default)]
    dsa: Option<dsa::DsaConfig>,
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

/// A config as loaded: the parsed settings, where they came from and the bytes hashed
/// into the manifest.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// `None` for the embedded default.
    pub path: Option<PathBuf>,
    /// The exact bytes read (empty for the embedded default).
    pub bytes: Vec<u8>,
}

impl LoadedConfig {
    pub fn embedded() -> Self {
        LoadedConfig {
            config: Config::default(),
            path: None,
            bytes: Vec::new(),
        }
    }

    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: "the file is not UTF-8 text".into(),
        })?;
        let config = Config::parse(text).map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(LoadedConfig {
            config,
            path: Some(path.to_path_buf()),
            bytes,
        })
    }

    /// Directory that relative paths in the config are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("."))
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

    /// Parses and checks a config; the error names the key and line, as toml reports them.
    pub fn parse(text: &str) -> Result<Config, String> {
        let mut config: Config = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        // Without levels no decision can be appealed by level: the default `["D"]` then
        // means nothing, so a config that leaves both out has no appeal step.
        if config.taxonomy.levels.is_empty()
            && !toml::from_str::<toml::Table>(text)
                .map_err(|e| describe_toml_error(text, &e))?
                .contains_key("appealable_levels")
        {
            config.appealable_levels.clear();
        }
        config.check()?;
        Ok(config)
    }

    /// Consistency rules serde cannot express.
    pub fn check(&self) -> Result<(), String> {
        self.tz()?;
        self.report.check()?;
        context::check(&self.context)?;
        if let Some(s) = &self.slide {
            s.check()?;
        }
        if let Some(p) = &self.process {
            p.check()?;
        }
        self.weekdays()?;
        let t = &self.taxonomy;
        for (what, keys) in [
            ("taxonomy.platforms", keys(&t.platforms)),
            ("taxonomy.category_groups", keys(&t.category_groups)),
            ("taxonomy.actions", keys(&t.actions)),
            ("taxonomy.handlers", keys(&t.handlers)),
            ("taxonomy.channels", keys(&t.channels)),
            ("taxonomy.referrals", keys(&t.referrals)),
            (
                "taxonomy.categories",
                t.categories.iter().map(|c| c.key.as_str()).collect(),
            ),
            (
                "taxonomy.levels",
                t.levels.iter().map(|c| c.key.as_str()).collect(),
            ),
        ] {
            // Sections are what every report counts; the other lists may be empty when the
            // export does not record that fact.
            let required = matches!(what, "taxonomy.category_groups" | "taxonomy.categories");
            if keys.is_empty() && required {
                return Err(format!("`{what}` must list at least one entry"));
            }
            let mut seen = std::collections::BTreeSet::new();
            for k in keys {
                let norm = k.trim().to_lowercase();
                if norm.is_empty() || norm != k.trim().to_lowercase().replace(' ', "_") {
                    return Err(format!(
                        "`{what}`: key `{k}` must be non-empty and without spaces"
                    ));
                }
                if norm == crate::model::UNASSIGNED {
                    return Err(format!("`{what}`: `unassigned` is reserved"));
                }
                if what == "taxonomy.referrals" && norm == crate::model::NOT_REFERRED {
                    return Err(format!(
                        "`{what}`: `{}` is reserved (an empty `referred_to` cell counts there)",
                        crate::model::NOT_REFERRED
                    ));
                }
                if !seen.insert(norm) {
                    return Err(format!("`{what}`: key `{k}` is listed twice"));
                }
            }
        }
        for c in &t.categories {
            if !t.category_groups.iter().any(|g| g.key == c.group) {
                return Err(format!(
                    "`taxonomy.categories`: category `{}` names group `{}`, which is not in `taxonomy.category_groups`",
                    c.key, c.group
                ));
            }
        }
        if let Some(sa) = &t.suspension_actions {
            for (what, list) in [("temporary", &sa.temporary), ("full", &sa.full)] {
                for k in list {
                    if !t.actions.iter().any(|a| a.key == *k) {
                        return Err(format!(
                            "`taxonomy.suspension_actions.{what}`: `{k}` is not one of the keys in `taxonomy.actions`"
                        ));
                    }
                }
            }
            if let Some(k) = sa.temporary.iter().find(|k| sa.full.contains(k)) {
                return Err(format!(
                    "`taxonomy.suspension_actions`: `{k}` is listed as both a temporary and a full suspension"
                ));
            }
        }
        if let Some(d) = &self.dsa {
            d.check(t)?;
        }
        for l in &self.appealable_levels {
            if !t.levels.iter().any(|x| x.key.eq_ignore_ascii_case(l)) {
                return Err(format!(
                    "`appealable_levels`: `{l}` is not one of the levels in `taxonomy.levels` (name the levels whose decisions may be appealed, or write `appealable_levels = []` for a process with no appeal step)"
                ));
            }
        }
        if self.appeal_window_days < 0 {
            return Err("`appeal_window_days` must be 0 or more".into());
        }
        check_min_cell(self.min_cell).map_err(|e| format!("`min_cell`: {e}"))?;
        match (
            self.ack_promise,
            self.ack_target_business_days,
            self.ack_target_calendar_days,
        ) {
            (_, Some(_), Some(_)) => {
                return Err("`ack_target_business_days` and `ack_target_calendar_days` are two promises: keep one".into())
            }
            (false, Some(_), _) | (false, _, Some(_)) => {
                return Err("`ack_promise = false` says there is no acknowledgement promise, but a target is set: remove one of them".into())
            }
            _ => {}
        }
        for (key, n) in [
            ("ack_target_business_days", self.ack_target_business_days),
            ("ack_target_calendar_days", self.ack_target_calendar_days),
        ] {
            if n.is_some_and(|n| n > 366) {
                return Err(format!("`{key}` must be at most 366"));
            }
        }
        self.words.check()?;
        if let Some(p) = &self.period {
            p.resolve().map_err(|e| format!("`period`: {e}"))?;
        }
        if let Some(l) = &self.label {
            check_label(l).map_err(|e| format!("`label`: {e}"))?;
        }
        if let Some(s) = &self.signing {
            // A principal of the allowed-signers file: one name, no list, no pattern; shown
            // as it is in the report's commands.
            let id = &s.identity;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '+' | '-'))
            {
                return Err(format!(
                    "`signing.identity`: `{id}` must be one name of letters, digits and @ . _ + -, as in the allowed-signers file (e.g. coc-committee@example.org)"
                ));
            }
        }
        for (from, to) in &self.column_map {
            if !crate::schema::COLUMNS
                .iter()
                .any(|c| c.eq_ignore_ascii_case(to))
            {
                return Err(format!(
                    "`column_map`: `{from}` maps to `{to}`, which is not a column of the export format ({})",
                    crate::schema::COLUMNS.join(", ")
                ));
            }
        }
        Ok(())
    }

    pub fn tz(&self) -> Result<Tz, String> {
        self.timezone.parse::<Tz>().map_err(|_| {
            format!(
                "`timezone`: `{}` is not an IANA time zone name (e.g. `America/Chicago`, `Europe/Berlin`, `UTC`)",
                self.timezone
            )
        })
    }

    pub fn weekdays(&self) -> Result<Vec<Weekday>, String> {
        let mut out = Vec::new();
        for d in &self.business_days {
            let w = match d.trim().to_lowercase().as_str() {
                "mon" | "monday" => Weekday::Mon,
                "tue" | "tuesday" => Weekday::Tue,
                "wed" | "wednesday" => Weekday::Wed,
                "thu" | "thursday" => Weekday::Thu,
                "fri" | "friday" => Weekday::Fri,
                "sat" | "saturday" => Weekday::Sat,
                "sun" | "sunday" => Weekday::Sun,
                _ => {
                    return Err(format!(
                        "`business_days`: `{d}` is not a weekday (use mon, tue, wed, thu, fri, sat, sun)"
                    ))
                }
            };
            if !out.contains(&w) {
                out.push(w);
            }
        }
        if out.is_empty() {
            return Err("`business_days` must list at least one weekday".into());
        }
        Ok(out)
    }
}

/// toml's message, except for a missing field: toml points at the first line that opens the
/// table, which for a table opened only by a sub-table (`[[taxonomy.platforms]]` opens
/// `[taxonomy]`) is a line that has nothing to do with the field. The message then names the
/// table that lacks the field, with its line only where that line is the table's own header.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message();
    if message.starts_with("missing field") {
        if let Some(table) = e.span().and_then(|span| table_at(text, span)) {
            return format!("{message} in {table}");
        }
    }
    e.to_string()
}

/// The table a toml span opens: `[a.b] (line N)` or `[[a.b]] (line N)` when the span is that
/// header, `[a]` when it is the first part of a longer header that opens `[a]` implicitly,
/// `` `key` (line N) `` for an inline table.
fn table_at(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text.get(start..end)?.trim_end_matches('\r');
    let number = text[..start].matches('\n').count() + 1;
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let (open, close) = if body.starts_with("[[") {
        ("[[", "]]")
    } else if body.starts_with('[') {
        ("[", "]")
    } else {
        // A key with an inline table (`taxonomy = { … }`).
        let key = body.split('=').next()?.trim();
        return (!key.is_empty()).then(|| format!("`{key}` (line {number})"));
    };
    let name_start = start + indent + open.len();
    let name_end = start + indent + body.find(close)?;
    if span.start <= start + indent {
        // The span is the whole header: this table is written out here.
        let name = text.get(name_start..name_end)?.trim();
        return Some(format!("{open}{name}{close} (line {number})"));
    }
    // The span is a leading part of a longer header's name: the table it opens is not
    // written out anywhere, so no line is given.
    let name = text.get(name_start..span.end.min(name_end))?.trim();
    (!name.is_empty()).then(|| format!("[{name}]"))
}

#[cfg(test)]
mod tests;
