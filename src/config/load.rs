//! Reading `report.toml`: the bytes, where they came from, the parse, and toml's errors made
//! to name the table at fault.

use std::path::{Path, PathBuf};

use super::Config;
use crate::error::ConfigError;

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

impl Config {
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
