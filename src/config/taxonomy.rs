//! The taxonomy: platforms, sections of the Code and their groups, levels, actions, and which
//! actions count as suspensions.

use serde::{Deserialize, Serialize};

use super::{PresetFile, ALA_PRESET};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// May be empty: an export without a `platform` column needs none (SPEC §3.1).
    #[serde(default)]
    pub platforms: Vec<Entry>,
    pub category_groups: Vec<Entry>,
    pub categories: Vec<Category>,
    /// May be empty: a community without moderation levels (SPEC §4).
    #[serde(default)]
    pub levels: Vec<Level>,
    /// May be empty: an export without an `action` column needs none.
    #[serde(default)]
    pub actions: Vec<Entry>,
    /// Who may deal with a case (`handled_by`): the committee, the board, a local team, event
    /// staff. May be empty: an export without a `handled_by` column needs none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlers: Vec<Entry>,
    /// How a report may arrive (`channel`): e-mail, a web form, a hotline, in person. Each
    /// label is written as it reads after "arrived" ("by email", "in person"): the report's
    /// sentences use it so, and its table capitalises it. May be empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Entry>,
    /// Where a case may be referred (`referred_to`): the police, venue security, another
    /// body. Each label is written as it reads after "referred to" ("the police"). May be
    /// empty. The report counts each referral and says nothing else about those cases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<Entry>,
    /// Which action keys count as temporary and full suspensions. Absent: the ALA keys
    /// `temporary_suspension` and `full_suspension` (matching nothing if not listed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension_actions: Option<SuspensionActions>,
}

/// `[taxonomy.suspension_actions]`: another community's names for suspensions, e.g.
/// `temporary = ["temporary_ban"]`, `full = ["permanent_ban"]`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct SuspensionActions {
    #[serde(default)]
    pub temporary: Vec<String>,
    #[serde(default)]
    pub full: Vec<String>,
}

/// The ALA action keys that the suspension figures count by default.
pub const DEFAULT_TEMPORARY_SUSPENSION: &str = "temporary_suspension";
pub const DEFAULT_FULL_SUSPENSION: &str = "full_suspension";

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub key: String,
    pub label: String,
    pub group: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

impl Taxonomy {
    /// The embedded ALA taxonomy. The preset is a compile-time constant covered by a unit
    /// test, so a parse failure here is a bug in this crate, not a user error.
    pub fn ala() -> Taxonomy {
        match toml::from_str::<PresetFile>(ALA_PRESET) {
            Ok(p) => p.taxonomy,
            Err(e) => panic!("embedded ALA preset is invalid: {e}"),
        }
    }

    /// Action keys counted as temporary suspensions.
    pub fn temporary_suspension_actions(&self) -> Vec<&str> {
        match &self.suspension_actions {
            Some(s) => s.temporary.iter().map(String::as_str).collect(),
            None => vec![DEFAULT_TEMPORARY_SUSPENSION],
        }
    }

    /// Action keys counted as full suspensions.
    pub fn full_suspension_actions(&self) -> Vec<&str> {
        match &self.suspension_actions {
            Some(s) => s.full.iter().map(String::as_str).collect(),
            None => vec![DEFAULT_FULL_SUSPENSION],
        }
    }

    pub fn level_keys(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|l| l.key.as_str())
    }

    pub fn platform_label(&self, key: &str) -> String {
        label_of(&self.platforms, key)
    }
    pub fn handler_label(&self, key: &str) -> String {
        label_of(&self.handlers, key)
    }
    pub fn channel_label(&self, key: &str) -> String {
        label_of(&self.channels, key)
    }
    pub fn referral_label(&self, key: &str) -> String {
        label_of(&self.referrals, key)
    }
    pub fn action_label(&self, key: &str) -> String {
        label_of(&self.actions, key)
    }
    pub fn group_label(&self, key: &str) -> String {
        label_of(&self.category_groups, key)
    }
    pub fn category_label(&self, key: &str) -> String {
        self.categories
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| key.to_string())
    }
    pub fn level_label(&self, key: &str) -> String {
        self.levels
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| key.to_string())
    }
}

fn label_of(entries: &[Entry], key: &str) -> String {
    entries
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.label.clone())
        .unwrap_or_else(|| key.to_string())
}

pub(super) fn keys(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.key.as_str()).collect()
}
