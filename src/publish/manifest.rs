//! `manifest.json`: what an auditor needs to re-run a build and check every byte.

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::load::InputStats;

pub const FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub tool: Tool,
    pub schema_version: u32,
    /// Only from `SOURCE_DATE_EPOCH`; otherwise absent so rebuilds stay byte-identical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_date: Option<String>,
    pub config: ConfigRef,
    pub settings: Settings,
    pub inputs: Vec<InputRef>,
    pub outputs: Vec<OutputRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRef {
    /// File name of the config, or `(embedded ALA default)`.
    pub name: String,
    pub sha256: String,
}

/// The effective settings after command-line flags, so `verify` can rebuild the same report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub label: String,
    pub start: String,
    pub end: String,
    pub timezone: String,
    pub min_cell: u64,
    pub skip_invalid: bool,
    pub business_days: Vec<String>,
    pub holidays: Vec<String>,
    /// The acknowledgement promise: in business days, in calendar days, or neither (none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_target_business_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_target_calendar_days: Option<u32>,
    pub appealable_levels: Vec<String>,
    pub appeal_window_days: i64,
    /// `(embedded)` or the SHA-256 of each template overridden from a directory.
    pub templates: Vec<TemplateRef>,
    pub narrative_sha256: Option<String>,
    /// `[incidents] count_categories_by`: what the figure of Code sections counts.
    #[serde(default = "reports")]
    pub count_categories_by: String,
    /// Earlier periods' `summary.json` files compared with this one (`history` in the config).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<TemplateRef>,
}

fn reports() -> String {
    "reports".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateRef {
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRef {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
    pub rows_read: u64,
    pub rows_counted: u64,
    pub rows_rejected: u64,
}

impl From<&InputStats> for InputRef {
    fn from(s: &InputStats) -> Self {
        InputRef {
            name: s.name.clone(),
            sha256: s.sha256.clone(),
            bytes: s.bytes,
            rows_read: s.rows_read,
            rows_counted: s.rows_valid,
            rows_rejected: s.rows_rejected,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputRef {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

impl OutputRef {
    pub fn of(path: &str, bytes: &[u8]) -> Self {
        OutputRef {
            path: path.to_string(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
        }
    }
}

impl Manifest {
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain structs of strings and integers cannot fail.
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }

    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}
