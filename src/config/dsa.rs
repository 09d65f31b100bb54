//! `[dsa]` in report.toml: how the sections of the Code map to the content categories of the
//! EU Digital Services Act transparency templates (`data/dsa_summary.csv` restates the
//! figures in that shape).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Taxonomy;

/// The DSA content categories (the statement-of-reasons categories of the Commission's
/// transparency templates), in template order: key → label.
/// The map target, and the row key, for the sections the map leaves out, so no citation
/// silently disappears.
pub const UNMAPPED: &str = "unmapped";

pub const DSA_CATEGORIES: [(&str, &str); 15] = [
    ("animal_welfare", "Animal welfare"),
    (
        "data_protection_and_privacy_violations",
        "Data protection and privacy violations",
    ),
    ("illegal_or_harmful_speech", "Illegal or harmful speech"),
    (
        "intellectual_property_infringements",
        "Intellectual property infringements",
    ),
    (
        "negative_effects_on_civic_discourse_or_elections",
        "Negative effects on civic discourse or elections",
    ),
    ("non_consensual_behaviour", "Non-consensual behaviour"),
    (
        "online_bullying_intimidation",
        "Online bullying/intimidation",
    ),
    (
        "pornography_or_sexualized_content",
        "Pornography or sexualized content",
    ),
    ("protection_of_minors", "Protection of minors"),
    ("risk_for_public_security", "Risk for public security"),
    ("scams_and_fraud", "Scams and/or fraud"),
    ("self_harm", "Self-harm"),
    ("scope_of_platform_service", "Scope of platform service"),
    (
        "unsafe_and_illegal_products",
        "Unsafe and/or illegal products",
    ),
    ("violence", "Violence"),
];

/// The ALA sections of the Code → DSA categories (the default of `[dsa] category_map`).
pub const ALA_CATEGORY_MAP: [(&str, &str); 22] = [
    ("race_ethnicity", "illegal_or_harmful_speech"),
    ("sex_gender", "illegal_or_harmful_speech"),
    ("language", "illegal_or_harmful_speech"),
    ("sexual_orientation", "illegal_or_harmful_speech"),
    ("disability", "illegal_or_harmful_speech"),
    ("appearance", "illegal_or_harmful_speech"),
    ("age", "illegal_or_harmful_speech"),
    ("religion_politics", "illegal_or_harmful_speech"),
    ("marital_family", "illegal_or_harmful_speech"),
    ("nationality_location", "illegal_or_harmful_speech"),
    ("employment_military", "illegal_or_harmful_speech"),
    ("socioeconomic", "illegal_or_harmful_speech"),
    ("prohibited_content", "pornography_or_sexualized_content"),
    ("intimidation", "online_bullying_intimidation"),
    (
        "intellectual_property",
        "intellectual_property_infringements",
    ),
    (
        "political_endorsement",
        "negative_effects_on_civic_discourse_or_elections",
    ),
    ("paid_promotion", "scope_of_platform_service"),
    ("job_posting", "scope_of_platform_service"),
    ("accessibility", "scope_of_platform_service"),
    ("impersonation", "scams_and_fraud"),
    (
        "sharing_member_content",
        "data_protection_and_privacy_violations",
    ),
    ("other", "scope_of_platform_service"),
];

/// `[dsa]` in report.toml.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DsaConfig {
    /// Section of the Code (taxonomy category key) → DSA category key. Categories left out
    /// are counted as `unmapped`.
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
    /// `false`: no `data/dsa_summary.csv` and no warning about it, for a community the DSA
    /// does not concern. Default: written (when a map covers the sections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<bool>,
}

/// Whether the committee wants `data/dsa_summary.csv` at all (`[dsa] summary`).
pub fn wanted(dsa: Option<&DsaConfig>) -> bool {
    dsa.and_then(|d| d.summary).unwrap_or(true)
}

/// Whether `data/dsa_summary.csv` is written: wanted, and a map covers every section.
pub fn written(dsa: Option<&DsaConfig>, t: &Taxonomy) -> bool {
    wanted(dsa) && uncovered(dsa, t).is_empty()
}

impl DsaConfig {
    pub fn check(&self, t: &Taxonomy) -> Result<(), String> {
        for (from, to) in &self.category_map {
            if !t.categories.iter().any(|c| c.key == *from) {
                return Err(format!(
                    "`dsa.category_map`: `{from}` is not one of the keys in `taxonomy.categories`"
                ));
            }
            if to != UNMAPPED && !DSA_CATEGORIES.iter().any(|(k, _)| k == to) {
                return Err(format!(
                    "`dsa.category_map`: `{from}` maps to `{to}`, which is not a DSA category ({}, or `{UNMAPPED}` to leave the section out)",
                    DSA_CATEGORIES.map(|(k, _)| k).join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The sections of the Code that no map covers: none with a `[dsa]` map (a section it leaves
/// out is counted as `unmapped`, as the committee chose); without one, every section the ALA
/// default does not know. Then `data/dsa_summary.csv` is not written, since its DSA categories
/// would read 0 for a taxonomy they were never mapped from.
pub fn uncovered<'a>(dsa: Option<&DsaConfig>, t: &'a Taxonomy) -> Vec<&'a str> {
    if dsa.is_some() {
        return Vec::new();
    }
    t.categories
        .iter()
        .map(|c| c.key.as_str())
        .filter(|k| !ALA_CATEGORY_MAP.iter().any(|(a, _)| a == k))
        .collect()
}

/// The warning for [`uncovered`] sections, if any.
pub fn coverage_warning(dsa: Option<&DsaConfig>, t: &Taxonomy) -> Option<String> {
    let missing = uncovered(dsa, t);
    if missing.is_empty() || !wanted(dsa) {
        return None;
    }
    let shown: Vec<String> = missing.iter().take(5).map(|k| format!("`{k}`")).collect();
    let more = if missing.len() > shown.len() {
        format!(" and {} more", missing.len() - shown.len())
    } else {
        String::new()
    };
    Some(format!(
        "data/dsa_summary.csv is not written: no [dsa.category_map] in report.toml, and the ALA mapping does not cover the sections {}{more}; map each section to a DSA category (or `{UNMAPPED}`) to publish it, or set `summary = false` under [dsa] if the DSA does not concern you",
        shown.join(", ")
    ))
}

/// The mapping in force: the config's, else the ALA default for the ALA keys the taxonomy has.
pub fn category_map(dsa: Option<&DsaConfig>, t: &Taxonomy) -> BTreeMap<String, String> {
    match dsa {
        Some(d) => d.category_map.clone(),
        None => ALA_CATEGORY_MAP
            .iter()
            .filter(|(k, _)| t.categories.iter().any(|c| c.key == *k))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
