//! Noticing that a file a build reads has changed, by polling: no platform file-event API,
//! so it behaves the same on every system and over network folders.
//!
//! Each file is stamped with its length and modification time, and a small file also with a
//! hash of its content: a coarse clock (whole seconds on some file systems) could otherwise
//! hide an edit that keeps the length within the same second.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::commands::build::{csv_files_in, Options, Plan, CONFIG_SEARCH};
use crate::present::report;

/// Files up to this size are hashed at every poll (a config, a narrative, a template); an
/// export is only stamped, since hashing millions of rows several times a second would cost
/// more than it finds.
const HASHED_UP_TO: u64 = 1 << 20;

/// What one file looked like at a poll; `None` when it did not exist (or could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    content: Option<u64>,
}

/// Every watched file's stamp, at one poll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint(BTreeMap<PathBuf, Option<Stamp>>);

impl Fingerprint {
    /// The files whose stamp differs, or that one of the two does not watch.
    pub fn changed(&self, other: &Fingerprint) -> Vec<PathBuf> {
        let keys: BTreeSet<&PathBuf> = self.0.keys().chain(other.0.keys()).collect();
        keys.into_iter()
            .filter(|k| self.0.get(*k) != other.0.get(*k))
            .cloned()
            .collect()
    }
}

/// The files to watch: those a build reads, and those whose creation would change what it
/// reads (a config found by search, a template, a new export beside the config).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    files: BTreeSet<PathBuf>,
    /// A folder whose `*.csv` files are all read (no `--input`, no `inputs` in the config).
    csv_dir: Option<PathBuf>,
}

impl Watch {
    /// What the flags alone name: for a build whose plan could not be resolved (a broken
    /// config), so that fixing any of them is noticed.
    pub fn of_options(opts: &Options) -> Watch {
        let mut files = BTreeSet::new();
        match &opts.config {
            Some(c) => {
                files.insert(c.clone());
            }
            None => files.extend(CONFIG_SEARCH.iter().map(PathBuf::from)),
        }
        files.extend(opts.inputs.iter().cloned());
        if let Some(dir) = &opts.templates {
            files.extend(
                report::embedded_templates()
                    .iter()
                    .map(|(n, _)| dir.join(n)),
            );
        }
        // "No export to read" is fixed by putting one beside the config.
        let csv_dir = opts.inputs.is_empty().then(|| match &opts.config {
            Some(c) => dir_of(c),
            None => PathBuf::from("."),
        });
        Watch { files, csv_dir }
    }

    /// What a build of `plan` reads, with what the flags name.
    pub fn of_plan(opts: &Options, plan: &Plan) -> Watch {
        let mut w = Watch::of_options(opts);
        w.files.extend(plan.sources());
        w.csv_dir = (opts.inputs.is_empty() && plan.config.config.inputs.is_empty())
            .then(|| plan.config.base_dir());
        w
    }

    /// The stamps now. A file already stamped in `taken` keeps that stamp: a build takes
    /// them before it reads, so an edit made while it reads is a change still to build.
    pub fn fingerprint_with(&self, taken: &Fingerprint) -> Fingerprint {
        let mut paths = self.files.clone();
        if let Some(dir) = &self.csv_dir {
            paths.extend(csv_files_in(dir).unwrap_or_default());
        }
        Fingerprint(
            paths
                .into_iter()
                .map(|p| {
                    let s = match taken.0.get(&p) {
                        Some(s) => s.clone(),
                        None => stamp(&p),
                    };
                    (p, s)
                })
                .collect(),
        )
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint_with(&Fingerprint::default())
    }
}

fn dir_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let content = if meta.len() <= HASHED_UP_TO {
        // The hash lives only as long as this process: the standard library's is enough.
        let bytes = std::fs::read(path).ok()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        Some(h.finish())
    } else {
        None
    };
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        content,
    })
}
