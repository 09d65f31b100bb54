//! The committee's public summaries of individual cases (`summaries = "summaries.csv"` in
//! report.toml): one or two sentences each, anonymised and written for publication, as
//! PyCon US and PyCascades list them under each report. They never come from the export,
//! whose free text stays refused.
//!
//! Three gates stand between a line of the file and the published report:
//! - **confirmation**: a summary is published only when its `confirmed` cell says `yes`;
//! - **screening** (`screen`): anything that looks like a name, an e-mail address, a
//!   @handle, a URL, a date or an id of the export is named with its line, confirmed or not
//!   (a confirmed summary is still published: the committee took responsibility for it);
//! - **suppression**: a summary whose kind is a section (or group) of the document, or whose
//!   outcome is an action, tells the reader that count is at least one (at least n, for n
//!   such summaries). It is published only when the report publishes that count, so no
//!   withheld cell gains a bound it did not have: the disclosure audit stays valid as it is.
//!
//! read.rs    the file → entries, every problem with its line
//! screen.rs  what looks identifying in a summary
//! ids.rs     the export's ids that occur in the summaries, read without keeping the rest

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::model::{Count, Counts, Summary};

mod ids;
mod read;
mod screen;

pub use ids::ids_in_exports;
pub use read::{parse, parse_with, COLUMNS};
pub use screen::{findings, tokens, Finding, Rule};

/// One line of the summaries file, as the committee wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// What the case was about: a section or group of the document (key or label), or the
    /// committee's own words; may be empty.
    pub kind: String,
    /// Its status or outcome: an action (key or label), or the committee's own words
    /// ("Open: following up"); may be empty.
    pub outcome: String,
    pub text: String,
    pub confirmed: bool,
    /// The period the summary belongs to (`period` column), when the file serves a series.
    pub period: Option<EntryPeriod>,
}

/// A `period` cell: its label as `--periods` spells it (`2025H1`) and its days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPeriod {
    pub label: String,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
}

impl Entry {
    /// Whether the summary is of the period from `start` to `end` (ISO dates): a named period
    /// with those days. A summary without a period is of none.
    pub fn is_of(&self, start: &str, end: &str) -> bool {
        self.period.as_ref().is_some_and(|p| {
            p.start.format("%Y-%m-%d").to_string() == start
                && p.end.format("%Y-%m-%d").to_string() == end
        })
    }
}

/// A summary as the report shows it: kind and outcome in the taxonomy's words where they
/// match one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    pub kind: String,
    pub outcome: String,
    pub text: String,
}

/// What the build publishes of the file and what it tells the committee.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decided {
    pub published: Vec<Published>,
    /// One line each: `summaries.csv:4: …`.
    pub warnings: Vec<String>,
    /// Summaries left out because they are not confirmed.
    pub unconfirmed: usize,
    /// Summaries left out because they name a withheld count.
    pub withheld: usize,
}

/// A count a summary names: a section, a group of sections or an action.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Named<'a> {
    /// Matched a taxonomy entry: its label, the table and the count the report publishes
    /// (`None` = withheld).
    Count {
        label: &'a str,
        what: &'static str,
        count: Count,
        key: &'a str,
    },
    /// Matched a taxonomy entry whose table the report does not publish (not recorded, or
    /// its section left out): a label, and no count to protect.
    Label(&'a str),
    /// The committee's own words (or nothing).
    Free,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn count_in(counts: &Counts, key: &str) -> Count {
    counts.get(key).copied().flatten()
}

fn kind_of<'a>(kind: &str, cfg: &'a Config, s: &Summary) -> Named<'a> {
    if kind.trim().is_empty() {
        return Named::Free;
    }
    let t = &cfg.taxonomy;
    if let Some(c) = t
        .categories
        .iter()
        .find(|c| same(&c.key, kind) || same(&c.label, kind))
    {
        return Named::Count {
            label: &c.label,
            what: "section",
            count: count_in(&s.by_category, &c.key),
            key: &c.key,
        };
    }
    if let Some(g) = t
        .category_groups
        .iter()
        .find(|g| same(&g.key, kind) || same(&g.label, kind))
    {
        return Named::Count {
            label: &g.label,
            what: "group of sections",
            count: count_in(&s.by_category_group, &g.key),
            key: &g.key,
        };
    }
    Named::Free
}

fn outcome_of<'a>(outcome: &str, cfg: &'a Config, s: &Summary) -> Named<'a> {
    if outcome.trim().is_empty() {
        return Named::Free;
    }
    let Some(a) = cfg
        .taxonomy
        .actions
        .iter()
        .find(|a| same(&a.key, outcome) || same(&a.label, outcome))
    else {
        return Named::Free;
    };
    // The table of actions is published only when recorded and its section shown.
    if !s.recorded("action") || !s.shows("outcomes") {
        return Named::Label(&a.label);
    }
    Named::Count {
        label: &a.label,
        what: "action",
        count: count_in(&s.by_action, &a.key),
        key: &a.key,
    }
}

fn shown(named: &Named, written: &str) -> String {
    match named {
        Named::Count { label, .. } | Named::Label(label) => label.to_string(),
        Named::Free => written.trim().to_string(),
    }
}

/// What the committee should look at in one summary, whatever the period: what looks
/// identifying in it, and whether it is confirmed (`validate` says the same, without figures).
pub fn check(
    file: &str,
    e: &Entry,
    cfg: &Config,
    ids: &BTreeMap<String, &'static str>,
) -> Vec<String> {
    let allowed = screen::allowed_words(cfg);
    let mut out: Vec<String> = screen::findings(&e.text, &allowed, ids)
        .into_iter()
        .map(|f| {
            format!(
                "{file}:{}: \"{}\" looks like {} ({}); {}",
                e.line,
                f.found,
                f.rule.what(),
                f.rule.key(),
                if e.confirmed {
                    "the summary is confirmed, so it is published as written"
                } else {
                    "make sure the summary is anonymised before confirming it"
                }
            )
        })
        .collect();
    if !e.confirmed {
        out.push(format!(
            "{file}:{}: not published: not confirmed (write `yes` in its `confirmed` column once the committee has checked it for publication)",
            e.line
        ));
    }
    out
}

/// Which summaries the report publishes, and every warning for the committee. `file` names
/// the file in messages; `ids` are the export's ids found in the summaries (token → the
/// column it is a value of), from [`ids_in_exports`].
pub fn decide(
    file: &str,
    entries: &[Entry],
    cfg: &Config,
    s: &Summary,
    ids: &BTreeMap<String, &'static str>,
) -> Decided {
    let mut out = Decided::default();
    // How many published summaries name each count, to compare with the count itself.
    let mut naming: BTreeMap<(&'static str, String), (String, u64, u64)> = BTreeMap::new();
    for e in entries {
        out.warnings.extend(check(file, e, cfg, ids));
        if !e.confirmed {
            out.unconfirmed += 1;
            continue;
        }
        let kind = kind_of(&e.kind, cfg, s);
        let outcome = outcome_of(&e.outcome, cfg, s);
        let withheld = [&kind, &outcome].into_iter().find_map(|n| match n {
            Named::Count {
                label,
                what,
                count: None,
                ..
            } => Some((*label, *what)),
            _ => None,
        });
        if let Some((label, what)) = withheld {
            out.withheld += 1;
            out.warnings.push(format!(
                "{file}:{}: not published: the report withholds the count of the {what} \"{label}\" (a small count, or one withheld to protect it), and a published summary of it would tell readers that count is at least 1; describe it under a broader kind whose count is published, or leave kind and outcome empty",
                e.line
            ));
            continue;
        }
        for n in [&kind, &outcome] {
            if let Named::Count {
                label,
                what,
                count: Some(c),
                key,
            } = n
            {
                let slot = naming
                    .entry((what, key.to_string()))
                    .or_insert_with(|| (label.to_string(), *c, 0));
                slot.2 += 1;
            }
        }
        out.published.push(Published {
            kind: shown(&kind, &e.kind),
            outcome: shown(&outcome, &e.outcome),
            text: e.text.trim().to_string(),
        });
    }
    for ((what, _), (label, count, n)) in naming {
        if n > count {
            out.warnings.push(format!(
                "{file}: {n} published summaries are of the {what} \"{label}\", but the report counts {count}: check their kinds and outcomes"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests;
