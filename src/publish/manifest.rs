//! `manifest.json`: what an auditor needs to re-run a build and check every byte.

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::load::{InputStats, CONTENT_SCHEME};

pub const FILE: &str = "manifest.json";
/// The detached signature of `manifest.json` (SSHSIG, written by `sign` or by
/// `ssh-keygen -Y sign`), published beside it.
pub const SIGNATURE_FILE: &str = "manifest.json.sig";
/// The SSHSIG namespace of the signature: `ssh-keygen -Y verify -n transparency-report`.
pub const SIGNATURE_NAMESPACE: &str = "transparency-report";

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
    /// Who signs the report (`[signing]` in the config): never a key, only the signer's
    /// name in the allowed-signers file and where readers find its public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing: Option<SigningRef>,
}

/// The `manifest.json` of a site (`build --periods`): the site's own files, and each
/// period's report folder with the hash of that report's `manifest.json`, which lists its
/// files in turn. A report manifest never has `periods`, so the two are told apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteManifest {
    pub tool: Tool,
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_date: Option<String>,
    pub config: ConfigRef,
    /// The `--periods` spec as given.
    pub spec: String,
    pub inputs: Vec<InputRef>,
    pub periods: Vec<SitePeriodRef>,
    /// The site's own files (index.html, data/…), not the reports'.
    pub outputs: Vec<OutputRef>,
    /// The files of earlier published figures the site imports (`[[site.import]]`), as it
    /// copies them (`imported/…`): not rebuilt from the export, so named apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported: Vec<ImportedRef>,
}

/// One imported file of a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportedRef {
    /// In the site, e.g. `imported/2016.json`.
    pub path: String,
    pub sha256: String,
    /// The periods it gives, by label.
    pub periods: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitePeriodRef {
    /// Also the report's folder.
    pub label: String,
    /// `year`, `half_year`, `quarter` or `fiscal_year`.
    pub kind: String,
    pub start: String,
    pub end: String,
    /// SHA-256 of `<label>/manifest.json`.
    pub manifest_sha256: String,
}

impl SiteManifest {
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain structs of strings and integers cannot fail.
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }

    pub fn parse(bytes: &[u8]) -> Result<SiteManifest, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
    /// SHA-256 of the `Cargo.lock` the tool was built with (absent before 0.2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_lock_sha256: Option<String>,
}

impl Tool {
    /// This build of the tool.
    pub fn this() -> Tool {
        Tool {
            name: crate::version::NAME.into(),
            version: crate::version::VERSION.into(),
            cargo_lock_sha256: Some(crate::version::cargo_lock_sha256()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningRef {
    /// The signer's principal in the allowed-signers file (`ssh-keygen -Y verify -I`).
    pub identity: String,
    pub namespace: String,
    /// The signature file, beside `manifest.json`.
    pub signature: String,
    /// Where the committee publishes its public key (text from the config), if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_published_at: Option<String>,
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
    /// `true` when any decision may be appealed, whatever its level.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub appeal_any_decision: bool,
    /// Absent when appeals have no time limit (or there is no appeal step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal_window_days: Option<i64>,
    /// `(embedded)` or the SHA-256 of each template overridden from a directory.
    pub templates: Vec<TemplateRef>,
    pub narrative_sha256: Option<String>,
    /// The committee's summaries file (`summaries`), when the config names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summaries_sha256: Option<String>,
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
    /// The export's records after the loader's normalisation (absent before 0.2.0): a copy
    /// re-saved with other line ends, byte-order mark, quoting, padding or case keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ContentRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentRef {
    /// Which encoding of the records the digest is of (`load::CONTENT_SCHEME`).
    pub scheme: u32,
    pub sha256: String,
    pub rows: u64,
    pub bom: bool,
    pub line_ends: String,
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
            content: s.content.as_ref().map(|c| ContentRef {
                scheme: CONTENT_SCHEME,
                sha256: c.sha256.clone(),
                rows: c.rows,
                bom: c.bom,
                line_ends: c.line_ends.clone(),
            }),
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
