//! The text alternative of each figure: plain sentences with the key numbers.

use crate::config::Words;
use crate::model::Count;
use crate::present::text::{join_and, plural, thousands, SUPPRESSED};

pub(super) fn is_empty(rows: &[(String, Count)]) -> bool {
    rows.iter().all(|(_, v)| *v == Some(0))
}

/// "1 case", "12 notices": a number of cases in the config's words.
pub(super) fn cases(n: u64, w: &Words) -> String {
    plural(n, &w.case, &w.cases())
}

pub(super) fn count_text(value: Count) -> String {
    value.map_or_else(|| SUPPRESSED.to_string(), thousands)
}

pub(super) struct Leaders {
    pub(super) labels: Vec<String>,
    pub(super) value: u64,
    /// What the values count ("case", "incident"), singular and plural.
    pub(super) unit: (String, String),
}

impl Leaders {
    pub(super) fn amount(&self) -> String {
        plural(self.value, &self.unit.0, &self.unit.1)
    }

    /// `nouns`: what the rows are, in the plural ("sections", "platforms").
    pub(super) fn sentence(&self, what: &str, nouns: &str) -> String {
        let quoted: Vec<String> = self.labels.iter().map(|l| format!("“{l}”")).collect();
        if quoted.len() == 1 {
            format!("{what} was {} ({})", quoted[0], self.amount())
        } else if quoted.len() <= 3 {
            format!(
                "{what} was shared by {} ({} each)",
                join_and(&quoted),
                self.amount()
            )
        } else {
            format!(
                "{what} was shared by {} {nouns} ({} each)",
                quoted.len(),
                self.amount()
            )
        }
    }
}

/// The rows with the largest published positive count, in their given order, counting
/// cases in the config's words.
pub(super) fn leaders(rows: &[(String, Count)], w: &Words) -> Option<Leaders> {
    let max = rows
        .iter()
        .filter_map(|(_, v)| *v)
        .max()
        .filter(|m| *m > 0)?;
    Some(Leaders {
        labels: rows
            .iter()
            .filter(|(_, v)| *v == Some(max))
            .map(|(l, _)| l.clone())
            .collect(),
        value: max,
        unit: (w.case.clone(), w.cases()),
    })
}

/// The suppression rule of SPEC §7 in words; a complementary cell may be large, so the
/// wording never claims that every suppressed count is small.
pub(super) fn privacy_reason(min_cell: u64) -> String {
    if min_cell > 1 {
        format!(" (counts below {min_cell}, and counts that would reveal them)")
    } else {
        String::new()
    }
}

/// What a chart's text says of a figure a period did not publish.
pub(super) const NOT_PUBLISHED: &str = "not published";

/// "Not published by that period's report: …." for the figures drawn as no bar.
pub(super) fn absent_sentence(absent: &[String]) -> Option<String> {
    (!absent.is_empty()).then(|| {
        format!(
            "Not published by that period's report, so not drawn: {}.",
            join_and(absent)
        )
    })
}

pub(super) fn suppressed_sentence(hidden: &[String], min_cell: u64) -> Option<String> {
    if hidden.is_empty() {
        None
    } else {
        Some(format!(
            "Suppressed to protect privacy{}: {}.",
            privacy_reason(min_cell),
            join_and(hidden)
        ))
    }
}

/// "Lead: a: 3; b: 5; c: suppressed. Extra. Suppression note."
pub(super) fn list_description(
    rows: &[(String, Count)],
    min_cell: u64,
    lead: String,
    empty: &str,
    extra: Option<&str>,
) -> String {
    if is_empty(rows) {
        return empty.to_string();
    }
    let items: Vec<String> = rows
        .iter()
        .map(|(label, value)| format!("{label}: {}", count_text(*value)))
        .collect();
    // Semicolons, because labels themselves may contain commas.
    let mut text = format!("{lead}: {}.", items.join("; "));
    if let Some(extra) = extra {
        text.push(' ');
        text.push_str(extra);
    }
    if rows.iter().any(|(_, v)| v.is_none()) {
        text.push_str(&format!(
            " Counts shown as suppressed are withheld to protect privacy{}.",
            privacy_reason(min_cell)
        ));
    }
    text
}
