//! The text alternative of each figure: plain sentences with the key numbers.

use crate::model::Count;

pub(super) const SUPPRESSED_TEXT: &str = "suppressed";

pub(super) fn is_empty(rows: &[(String, Count)]) -> bool {
    rows.iter().all(|(_, v)| *v == Some(0))
}

pub(super) fn cases(n: u64) -> String {
    counted(n, "case")
}

/// "1 case", "2,004 incidents".
pub(super) fn counted(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{} {unit}s", num(n))
    }
}

pub(super) fn count_text(value: Count) -> String {
    value.map_or_else(|| SUPPRESSED_TEXT.to_string(), num)
}

/// Digits grouped by thousands with commas, as English prose writes them; fixed, not
/// locale-dependent, so the output is the same on every machine.
pub(super) fn num(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

pub(super) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Days with one decimal: enough precision for prose, and the table has the rest.
pub(super) fn days(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 1.0 {
        "1 day".into()
    } else {
        format!("{} days", format!("{rounded:.1}").trim_end_matches(".0"))
    }
}

pub(super) fn percent(rate: f64) -> String {
    let p = (rate * 1000.0).round() / 10.0;
    format!("{p:.1}").trim_end_matches(".0").to_string()
}

pub(super) struct Leaders {
    pub(super) labels: Vec<String>,
    pub(super) value: u64,
    /// What the values count ("case", "incident").
    pub(super) unit: &'static str,
}

impl Leaders {
    pub(super) fn amount(&self) -> String {
        counted(self.value, self.unit)
    }

    pub(super) fn sentence(&self, what: &str, noun: &str) -> String {
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
                "{what} was shared by {} {noun}s ({} each)",
                quoted.len(),
                self.amount()
            )
        }
    }
}

/// The rows with the largest published positive count, in their given order.
pub(super) fn leaders(rows: &[(String, Count)]) -> Option<Leaders> {
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
        unit: "case",
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
