//! The built-in presets (`init --preset`, and the ALA policy every build starts from): one
//! TOML per community under `presets/`, with the settings that go with it.

use serde::Deserialize;

use super::{dsa, Taxonomy};

/// The ALA Online Code of Conduct taxonomy, embedded so a bare `build` needs no file.
pub const ALA_PRESET: &str = include_str!("presets/ala.toml");

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
        text: include_str!("presets/psf.toml"),
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
        text: include_str!("presets/django.toml"),
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
        text: include_str!("presets/contributor-covenant.toml"),
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PresetFile {
    pub(super) taxonomy: Taxonomy,
    #[serde(default)]
    pub(super) dsa: Option<dsa::DsaConfig>,
}
