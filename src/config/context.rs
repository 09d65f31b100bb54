//! `[[context]]`: the size of the event or community the report covers (PSF guideline:
//! in-person and online attendees separately), so that "7 reports" can be read against
//! 3,000 attendees. Each population given adds a rate per 1,000 beside the counts.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Its key in the data files: `in_person`, `online`, `members`.
    pub key: String,
    /// How a sentence names the people counted, plural: "in-person attendees".
    pub label: String,
    /// How many people it holds in the period.
    pub count: u64,
}

/// Rules serde cannot express: a rate per 1,000 of nobody would divide by zero, and a key
/// twice would be two rows of one population in the data.
pub fn check(populations: &[Population]) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for p in populations {
        let ok_key = !p.key.is_empty()
            && p.key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok_key {
            return Err(format!(
                "`context`: key `{}` must be lower-case letters, digits or `_`",
                p.key
            ));
        }
        if !seen.insert(p.key.as_str()) {
            return Err(format!("`context`: key `{}` is listed twice", p.key));
        }
        if p.label.trim().is_empty() {
            return Err(format!("`context` `{}`: `label` must not be empty", p.key));
        }
        if p.count == 0 {
            return Err(format!(
                "`context` `{}`: `count` must be at least 1 (a rate per 1,000 of nobody cannot be worked out)",
                p.key
            ));
        }
    }
    Ok(())
}

/// Cases per 1,000 people of a population.
pub fn per_thousand(cases: u64, people: u64) -> f64 {
    cases as f64 * 1000.0 / people as f64
}
