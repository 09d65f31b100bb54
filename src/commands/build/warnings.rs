//! Warnings of a build that succeeds: an export that does not reach the period's end, and the
//! unchanged example export `init` wrote.

use chrono::NaiveDate;

use super::Plan;
use crate::config::Period;
use crate::load::{self, InputStats};

/// An export whose last report is more than this many days before the period ends does not
/// cover the whole period (a year built in August, or an export cut short): the build warns.
/// A month leaves room for a quiet December; later reports are never a problem.
pub const PARTIAL_PERIOD_DAYS: i64 = 31;

/// The warning for an export that ends well before the period does (see
/// [`PARTIAL_PERIOD_DAYS`]); judged on every valid report, in the period or not.
pub(super) fn partial_period_warning(table: &load::CaseTable, period: &Period) -> Option<String> {
    let last = table
        .chunks
        .iter()
        .filter_map(|c| c.rday.iter().max())
        .max()?;
    let last = NaiveDate::from_num_days_from_ce_opt(*last)?;
    if last < period.start {
        return Some(format!(
            "the export's last report is from {last}, before the period starts ({}): no report falls in {}; check the period (--year, --from/--to or [period] in report.toml)",
            period.start, period.label
        ));
    }
    let gap = (period.end - last).num_days();
    (gap > PARTIAL_PERIOD_DAYS).then(|| {
        format!(
            "the export's last report is from {last}, {gap} days before the period ends ({}): the figures cover only part of {}; build again once the export covers the whole period, or give a period that ends earlier (--from/--to)",
            period.end, period.label
        )
    })
}

/// Warns about an input that is the unchanged example export `init` wrote: its synthetic
/// cases would be counted as the committee's (alone, or added to the real export beside it).
pub fn example_warnings(plan: &Plan, inputs: &[InputStats]) -> Vec<String> {
    use chrono::Datelike;
    // The example is made for the year `init` was given, which its report.toml names; the
    // period built may have been changed since.
    let mut years: Vec<i32> = plan
        .period
        .as_ref()
        .map(|p| (p.start.year()..=p.end.year()).take(3).collect())
        .unwrap_or_default();
    if let Some((start, _)) = plan
        .config
        .config
        .period
        .as_ref()
        .and_then(|p| p.resolve().ok())
    {
        years.push(start.year());
    }
    years.sort_unstable();
    years.dedup();
    let hashes = crate::commands::init::example_hashes(&plan.config.config, &years);
    let examples: Vec<&InputStats> = inputs
        .iter()
        .filter(|i| hashes.contains(&i.sha256))
        .collect();
    examples
        .iter()
        .map(|e| {
            let others: Vec<&str> = inputs
                .iter()
                .filter(|i| !examples.iter().any(|x| std::ptr::eq(*x, *i)))
                .map(|i| i.name.as_str())
                .collect();
            if others.is_empty() {
                format!(
                    "{} is the example export that `init` wrote (synthetic cases): replace it with your export before publishing",
                    e.name
                )
            } else {
                format!(
                    "{} is the example export that `init` wrote (synthetic cases) and is read together with {}: delete it, or list your exports in `inputs` in report.toml",
                    e.name,
                    others.join(", ")
                )
            }
        })
        .collect()
}
