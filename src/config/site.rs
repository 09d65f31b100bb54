//! `[site]`: settings only a site (`build --periods`) uses: earlier periods whose export is
//! gone, imported from the figures their reports published.
//!
//! ```toml
//! [[site.import]]
//! file = "published/2016/summary.json"   # a data/summary.json of any schema
//!
//! [[site.import]]
//! file = "published/statistics.csv"      # a table of published figures, typed in
//! columns = { Year = "period", Reports = "cases.total", "People named" = "people.named" }
//! ignore_columns = ["Actions taken by us"]
//! source = "statistics.md of django/code-of-conduct, 24 March 2023"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// `[[site.import]]`, in the order given.
    #[serde(default, rename = "import", skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<Import>,
}

impl SiteConfig {
    pub fn is_empty(&self) -> bool {
        self.imports.is_empty()
    }
}

/// One file of earlier published figures.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Import {
    /// Relative to the config's folder: a `summary.json` (`.json`) or a CSV (`.csv`), either
    /// the site's own long table (`period,table,key,value`) or a wide table, one row per
    /// period and one column per figure.
    pub file: PathBuf,
    /// A summary.json only: the label the site gives its period (default: the file's own),
    /// written as `--periods` writes one period (`2016`, `2016H1`, `FY2016`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A wide CSV: its header → `period` or a figure `table.key` (`cases.total`,
    /// `by_action.warning`); a header that already is one needs no entry.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
    /// A wide CSV: columns that are not imported (a figure the tool has no table for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_columns: Vec<String>,
    /// Where the figures were published, shown beside them ("statistics.md, 24 March 2023").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}
