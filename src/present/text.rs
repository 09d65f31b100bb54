//! Every word and number format the outputs share. The report pages, the data files and the
//! charts format through here, so a figure, a date or a label reads the same in all of them;
//! a wording changes in one place.
//!
//! Numbers are written the English way whatever the machine's locale ("1,234.5"), so a
//! build is byte-identical everywhere.

use crate::config::{Taxonomy, Words};
use crate::model::{Count, NOT_REFERRED, RESOLUTION_BINS, UNASSIGNED};

// ---------------------------------------------------------------------------------------
// Numbers

/// What a table shows for a figure that does not exist (a rate of nothing, a median of no
/// cases).
pub const NOT_AVAILABLE: &str = "n/a";

/// A suppressed count where the reader is not told how small it was: in the charts, and in
/// the tables for a cell hidden only to protect another one (which may be large).
pub const SUPPRESSED: &str = "suppressed";

/// An imported period's figure that its own report withheld (its rule is that report's).
pub const WITHHELD: &str = "withheld";

/// The mark of an imported period in a site's tables and charts, and what it means.
pub const IMPORTED_MARK: &str = "†";
pub const IMPORTED_NOTE: &str = "Imported from the published report, not rebuilt from the export";
/// The same, before the list of a report's earlier periods that were imported.
pub const IMPORTED_FROM: &str =
    "Not built from the export but imported from the reports that published them";

/// A count hidden for being small: "< 3".
pub fn below(min_cell: u64) -> String {
    format!("< {min_cell}")
}

/// Digits grouped by thousands with commas: "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Rounds half away from zero to one decimal, the rounding every shown figure gets, so a
/// table and a sentence never disagree about the last digit.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One decimal with thousands separators, for tables: the decimal stays ("5.0") so a
/// column's figures line up. `None` or a non-finite value is "n/a".
pub fn decimal1(x: Option<f64>) -> String {
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return NOT_AVAILABLE.into();
    };
    let s = format!("{:.1}", round1(x.abs()));
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), "0"));
    let int = int
        .parse::<u64>()
        .map(thousands)
        .unwrap_or_else(|_| int.to_string());
    // A value that rounds to zero is shown without a sign: "-0.0" would read as an error.
    let negative = x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    format!("{}{int}.{frac}", if negative { "-" } else { "" })
}

/// A share for tables: "87.5%", "100.0%"; "n/a" when there is none.
pub fn percent(rate: Option<f64>) -> String {
    match rate.filter(|r| r.is_finite()) {
        Some(r) => format!("{}%", decimal1(Some(r * 100.0))),
        None => NOT_AVAILABLE.into(),
    }
}

/// [`decimal1`] for prose: a whole number drops its ".0" ("5 days", "6.3 days"), as a
/// sentence would write it.
fn prose_decimal(x: f64) -> String {
    let s = decimal1(Some(x));
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// A rate per 1,000 people, to two decimals ("2.33"): rates of a few reports among
/// thousands of people are small, and one decimal would show most of them as 0.0.
pub fn per_thousand(rate: Option<f64>) -> String {
    match rate.filter(|r| r.is_finite()) {
        Some(r) => {
            let s = format!("{:.2}", (r * 100.0).round() / 100.0);
            let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), "00"));
            let int = int
                .parse::<u64>()
                .map(thousands)
                .unwrap_or_else(|_| int.to_string());
            format!("{int}.{frac}")
        }
        None => NOT_AVAILABLE.into(),
    }
}

/// A share for prose: "37.5%", "100%".
pub fn percent_in_prose(rate: f64) -> String {
    format!("{}%", prose_decimal(rate * 100.0))
}

/// Days for prose, to one decimal: "1 day", "6.3 days".
pub fn days(value: f64) -> String {
    match prose_decimal(value).as_str() {
        "1" => "1 day".into(),
        n => format!("{n} days"),
    }
}

/// A signed change: "+3", "−1.5" (a true minus sign), "0"; `digits` is 0 for counts and 1
/// for days and percentages.
pub fn signed(x: f64, digits: usize) -> String {
    let text = if digits == 0 {
        thousands(x.abs().round() as u64)
    } else {
        decimal1(Some(x.abs()))
    };
    if text.bytes().all(|b| matches!(b, b'0' | b'.' | b',')) {
        text
    } else if x > 0.0 {
        format!("+{text}")
    } else if x < 0.0 {
        format!("\u{2212}{text}")
    } else {
        text
    }
}

/// "1st", "2nd", "11th", "23rd".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

// ---------------------------------------------------------------------------------------
// Numbers in the data files

/// A count in a CSV cell: plain digits for machines, empty when suppressed.
pub fn data_count(c: Count) -> String {
    c.map(|n| n.to_string()).unwrap_or_default()
}

/// A figure in a CSV cell: Rust's shortest round-trip form, empty when absent.
pub fn data_number(f: Option<f64>) -> String {
    f.map(|x| x.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Words

/// "1 case", "2,004 business days".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// [`plural`] for a noun that takes an "s": "1 case", "12 incidents".
pub fn counted(n: u64, noun: &str) -> String {
    plural(n, noun, &format!("{noun}s"))
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "the committee's", "the moderators'": a possessive that needs no verb to agree with
/// the words of the config.
pub fn possessive(text: &str) -> String {
    if text.ends_with('s') {
        format!("{text}'")
    } else {
        format!("{text}'s")
    }
}

/// "a case", "an incident", "a notice": the indefinite article by the first letter.
pub fn with_article(noun: &str) -> String {
    match noun.chars().next() {
        Some(c) if "aeiouAEIOU".contains(c) => format!("an {noun}"),
        _ => format!("a {noun}"),
    }
}

/// The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as
/// hyphens ("The committee's work" → "the-committees-work").
pub fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

pub use crate::config::capitalise;

// ---------------------------------------------------------------------------------------
// Dates

/// Month names, short (for chart axes, where twelve must fit side by side) and full.
const MONTHS: [(&str, &str); 12] = [
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("May", "May"),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
];

/// `YYYY-MM` → (year, short name, full name).
pub fn parse_month(month: &str) -> Option<(&str, &'static str, &'static str)> {
    let (year, number) = month.split_once('-')?;
    let index: usize = number.parse().ok()?;
    let (short, long) = MONTHS.get(index.checked_sub(1)?)?;
    Some((year, short, long))
}

/// A month's full name as the report spells it ("May"), for the slide's line breaking.
pub fn is_month_name(word: &str) -> bool {
    MONTHS.iter().any(|(_, long)| *long == word)
}

/// `2025-03` → `March 2025`; anything else is shown as given.
pub fn long_month(ym: &str) -> String {
    match parse_month(ym) {
        Some((year, _, long)) => format!("{long} {year}"),
        None => ym.to_string(),
    }
}

/// `2025-03` → `Mar`, or `Mar 2025` when the figure spans several years.
pub fn short_month(ym: &str, with_year: bool) -> String {
    match parse_month(ym) {
        Some((year, short, _)) if with_year => format!("{short} {year}"),
        Some((_, short, _)) => short.to_string(),
        None => ym.to_string(),
    }
}

/// `2025-03-04` → `4 March 2025`; anything else is shown as given.
pub fn long_date(iso: &str) -> String {
    use chrono::Datelike;
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => format!(
            "{} {} {}",
            d.day(),
            MONTHS[d.month0() as usize].1,
            d.format("%Y")
        ),
        Err(_) => iso.to_string(),
    }
}

/// A span of days as a reader says it, each part named once: `9–17 May 2018`,
/// `28 April – 3 May 2018`, `30 December 2025 – 2 January 2026`, one day `9 May 2018`.
/// Anything not a date is shown as given.
pub fn date_span(start: &str, end: &str) -> String {
    use chrono::Datelike;
    let parse = |iso: &str| chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok();
    let (Some(s), Some(e)) = (parse(start), parse(end)) else {
        return format!("{} to {}", long_date(start), long_date(end));
    };
    let month = |d: chrono::NaiveDate| MONTHS[d.month0() as usize].1;
    if s == e {
        long_date(start)
    } else if (s.year(), s.month()) == (e.year(), e.month()) {
        format!("{}–{} {} {}", s.day(), e.day(), month(e), e.format("%Y"))
    } else if s.year() == e.year() {
        format!("{} {} – {}", s.day(), month(s), long_date(end))
    } else {
        format!("{} – {}", long_date(start), long_date(end))
    }
}

/// The period line under the title: an event's name and its dates ("PyCon US 2018,
/// 9–17 May 2018"), else the period from its first to its last day.
pub fn period_line(event: Option<&str>, start: &str, end: &str) -> String {
    match event {
        Some(name) => format!("{name}, {}", date_span(start, end)),
        None => format!("{} to {}", long_date(start), long_date(end)),
    }
}

/// A weekday as the config spells it ("mon", "Monday") → (Monday = 0, its name).
fn weekday(key: &str) -> Option<(u8, &'static str)> {
    Some(match key.trim().to_lowercase().as_str() {
        "mon" | "monday" => (0, "Monday"),
        "tue" | "tuesday" => (1, "Tuesday"),
        "wed" | "wednesday" => (2, "Wednesday"),
        "thu" | "thursday" => (3, "Thursday"),
        "fri" | "friday" => (4, "Friday"),
        "sat" | "saturday" => (5, "Saturday"),
        "sun" | "sunday" => (6, "Sunday"),
        _ => return None,
    })
}

/// "Monday to Friday" for a run of days, otherwise a list.
pub fn weekdays(days: &[String]) -> String {
    let mut known: Vec<(u8, &str)> = days.iter().filter_map(|d| weekday(d)).collect();
    known.sort_unstable();
    known.dedup();
    let contiguous = known.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    match known.as_slice() {
        [first, .., last] if contiguous && known.len() > 2 => format!("{} to {}", first.1, last.1),
        _ => join_and(&known.iter().map(|d| d.1.to_string()).collect::<Vec<_>>()),
    }
}

// ---------------------------------------------------------------------------------------
// The export's fixed keys, in words
//
// One spelling per key, used by the report's tables and sentences, the data files and the
// charts' descriptions. A chart axis may use the short form defined beside a label: five
// labels share a 720-pixel row there, and the axis title says what they are.

/// The level of a case with none recorded (usually still open).
pub const NO_LEVEL: &str = "No level";
/// The action of a case with none recorded.
pub const NO_ACTION: &str = "No action recorded";
/// The reporter type of a case with none recorded.
pub const NOT_RECORDED: &str = "Not recorded";

/// A moderation level: the taxonomy's label, or [`NO_LEVEL`].
pub fn level_label(t: &Taxonomy, key: &str) -> String {
    if key == UNASSIGNED {
        NO_LEVEL.into()
    } else {
        t.level_label(key)
    }
}

/// An action: the taxonomy's label, or [`NO_ACTION`].
pub fn action_label(t: &Taxonomy, key: &str) -> String {
    if key == UNASSIGNED {
        NO_ACTION.into()
    } else {
        t.action_label(key)
    }
}

/// The headings and sentences of the sections on who handled the cases and the people
/// named (`handlers_anchor`: the Markdown heading's anchor).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HandlingWords {
    pub handlers_title: String,
    pub handlers_anchor: String,
    pub handlers_intro: String,
    pub people_title: &'static str,
    pub people_anchor: &'static str,
    pub people_intro: String,
}

pub fn handling_words(w: &Words) -> HandlingWords {
    let (case, cases, committees) = (w.case.as_str(), w.cases(), possessive(&w.committee));
    let handlers_title = format!("Who handled the {cases}");
    HandlingWords {
        handlers_anchor: slug(&handlers_title),
        handlers_title,
        handlers_intro: format!(
            "Who dealt with each {case}, as {committees} records give it: {} without a record counts as not assigned.",
            with_article(case)
        ),
        people_title: "People named",
        people_anchor: "people-named",
        people_intro: format!("How many different people the {cases} named, from a code the export gives each person (never published). A person named in several {cases} counts once, and once under each action any of those {cases} received, so the people by action may add up to more than the people named."),
    }
}

/// The row of distinct people named in the period's cases.
pub const PEOPLE_NAMED: &str = "People named";

/// The handler of a case with none recorded.
pub const UNASSIGNED_HANDLER: &str = "Not assigned";

/// Who handled a case: the taxonomy's label, or [`UNASSIGNED_HANDLER`].
pub fn handler_label(t: &Taxonomy, key: &str) -> String {
    if key == UNASSIGNED {
        UNASSIGNED_HANDLER.into()
    } else {
        t.handler_label(key)
    }
}

/// The headings and opening sentences of the sections on how the cases arrived and on the
/// cases referred elsewhere (`*_anchor`: the Markdown heading's anchor).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReferralWords {
    pub channels_title: String,
    pub channels_anchor: String,
    pub channels_intro: String,
    pub referrals_title: String,
    pub referrals_anchor: String,
    pub referrals_intro: String,
}

pub fn referral_words(w: &Words) -> ReferralWords {
    let (case, cases, committees) = (w.case.as_str(), w.cases(), possessive(&w.committee));
    let channels_title = w
        .channels_title
        .clone()
        .unwrap_or_else(|| format!("How the {cases} arrived"));
    let referrals_title = w
        .referrals_title
        .clone()
        .unwrap_or_else(|| format!("{} referred elsewhere", capitalise(&cases)));
    ReferralWords {
        channels_anchor: slug(&channels_title),
        channels_title,
        channels_intro: format!(
            "How each {case} reached {}, as {committees} records give it: {} without a record counts as not recorded.",
            w.committee,
            with_article(case)
        ),
        referrals_anchor: slug(&referrals_title),
        referrals_title,
        // The PSF's guidance: say that law enforcement was called, and nothing more.
        referrals_intro: format!(
            "{} that {} referred to the police or to another body. This report counts them and describes them no further: no figure it publishes sets where {} was referred beside its {}, the action taken or its outcome.",
            capitalise(&cases),
            w.committee,
            with_article(case),
            w.section
        ),
    }
}

/// How a case arrived: the taxonomy's label (written as it reads after "arrived"),
/// capitalised for a table's row, or [`NOT_RECORDED`].
pub fn channel_label(t: &Taxonomy, key: &str) -> String {
    if key == UNASSIGNED {
        NOT_RECORDED.into()
    } else {
        capitalise(&t.channel_label(key))
    }
}

/// A case not referred elsewhere.
pub const NOT_REFERRED_LABEL: &str = "Not referred";

/// Where a case was referred: the taxonomy's label (written as it reads after "referred
/// to"), capitalised for a table's row, or [`NOT_REFERRED_LABEL`].
pub fn referral_label(t: &Taxonomy, key: &str) -> String {
    if key == NOT_REFERRED {
        NOT_REFERRED_LABEL.into()
    } else {
        capitalise(&t.referral_label(key))
    }
}

/// A reporter type; `moderator` (a case the committee opened itself) names the committee
/// in the config's words: "Found by the committee".
pub fn reporter_label(key: &str, w: &Words) -> String {
    match key {
        "named" => "Named reporter".into(),
        "anonymous" => "Anonymous reporter".into(),
        "moderator" => format!("Found by {}", w.committee),
        UNASSIGNED => NOT_RECORDED.into(),
        other => other.into(),
    }
}

/// Appeal outcomes: (key, label, axis label). The axis sits under the title "Outcome", so
/// "Upheld" there says what "Decision upheld" says.
const OUTCOMES: [(&str, &str, &str); 5] = [
    ("upheld", "Decision upheld", "Upheld"),
    ("overturned", "Decision overturned", "Overturned"),
    ("modified", "Decision modified", "Modified"),
    ("withdrawn", "Appeal withdrawn", "Withdrawn"),
    ("pending", "Pending at period end", "Pending"),
];

pub fn outcome_label(key: &str) -> String {
    match OUTCOMES.iter().find(|(k, _, _)| *k == key) {
        Some((_, label, _)) => label.to_string(),
        None => key.to_string(),
    }
}

/// The short form of [`outcome_label`] for a chart axis.
pub fn outcome_axis_label(key: &str) -> String {
    match OUTCOMES.iter().find(|(k, _, _)| *k == key) {
        Some((_, _, short)) => short.to_string(),
        None => key.to_string(),
    }
}

/// A `resolution_days.histogram` bin, from the model's bounds so the words cannot drift
/// from the arithmetic: "Under 1 day", "1 to under 7 days", "90 days or more". "Under"
/// because a bin holds its lower bound and not its upper one. The chart axis uses these
/// too, wrapped over two lines where needed: a short "1–7 days" next to "7–30 days" would
/// not say which bar a case of exactly 7 days is in.
pub fn bin_label(key: &str) -> String {
    let day = |d: f64| {
        if d == 1.0 {
            "1 day".to_string()
        } else {
            format!("{d} days")
        }
    };
    match RESOLUTION_BINS.iter().find(|(k, _, _)| *k == key) {
        Some((_, lo, hi)) if *lo == 0.0 => format!("Under {}", day(*hi)),
        Some((_, lo, hi)) if hi.is_infinite() => format!("{} or more", day(*lo)),
        Some((_, lo, hi)) => format!("{lo} to under {}", day(*hi)),
        None => key.to_string(),
    }
}

/// A key figure of the year-over-year comparison (`compute::history::FIGURES`).
pub fn figure_label(key: &str, w: &Words) -> String {
    match key {
        "cases_total" => format!("{} received", capitalise(&w.cases())),
        "cases_resolved" => "Resolved by the period end".into(),
        "open_at_period_end" => "Open at period end".into(),
        "acknowledgement_rate" => "Share acknowledged in time".into(),
        "median_days_to_resolution" => "Median days to resolution".into(),
        "p90_days_to_resolution" => "90th percentile days to resolution".into(),
        "appeals_filed" => "Appeals filed".into(),
        "reversal_rate" => "Appeal reversal rate".into(),
        "temporary_suspensions" => "Temporary suspensions".into(),
        "full_suspensions" => "Full suspensions".into(),
        other => other.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Names of the tables

/// A table's name, by its place in summary.json (as the suppression pass names it), in the
/// config's words: the report's captions, the charts' titles, the methodology's list of
/// suppressed tables and the data package's titles all call a table this.
pub fn table_title(id: &str, w: &Words) -> String {
    let cases = capitalise(&w.cases());
    let by_section = format!("by {} of the {}", w.section, w.document);
    let by_group = format!("by group of {}", w.sections());
    match id {
        "cases" => format!("{cases} resolved and open at period end"),
        "by_platform" => format!("{cases} by platform"),
        "by_moderation_level" => format!("{cases} by moderation level"),
        "by_category" => format!("{cases} {by_section}"),
        "by_category_group" => format!("{cases} {by_group}"),
        "incidents.by_category" => format!("Incidents {by_section}"),
        "incidents.by_category_group" => format!("Incidents {by_group}"),
        "incidents.by_action" => "Incidents by action taken".into(),
        "incidents_and_cases.by_action" => format!("Incidents and {} by action taken", w.cases()),
        "incidents_and_cases.by_handler" => {
            format!("Incidents and {} by who handled them", w.cases())
        }
        "incidents.by_handler" => "Incidents by who handled them".into(),
        "incidents.by_platform" => "Incidents by platform".into(),
        "incidents.by_moderation_level" => "Incidents by moderation level".into(),
        "incidents.by_reporter_type" => "Incidents by who reported them".into(),
        "incidents_and_cases.by_platform" => format!("Incidents and {} by platform", w.cases()),
        "incidents_and_cases.by_moderation_level" => {
            format!("Incidents and {} by moderation level", w.cases())
        }
        "incidents_and_cases.by_reporter_type" => {
            format!("Incidents and {} by who reported them", w.cases())
        }
        "by_action" => format!("{cases} by action taken"),
        "by_reporter_type" => format!("{cases} by who reported them"),
        "by_handler" => format!("{cases} by who handled them"),
        "by_channel" => format!("{cases} by how they arrived"),
        "by_referral" => format!("{cases} by where they were referred"),
        "people" => format!("People named in the {}, and people by action", w.cases()),
        "people.by_action" => "People by action".into(),
        "suspensions" => "Suspensions".into(),
        "resolution_days" => "Days from report to decision".into(),
        "resolution_days.histogram" => format!("Resolved {} by time to decision", w.cases()),
        "resolution_days.by_moderation_level" => "Days to decision by moderation level".into(),
        "acknowledgement" => "Acknowledgement".into(),
        "appeals" => "Appeals".into(),
        "appeals.by_outcome" => "Appeals by outcome".into(),
        "appeals.eligibility" => "Appeals by eligibility".into(),
        "appeals.window" => "Appeals by timing".into(),
        "monthly.reported" => format!("{cases} reported each month"),
        "monthly.resolved" => format!("{cases} resolved each month"),
        "monthly" => format!("{cases} reported and resolved each month"),
        "history" => format!("{cases} received and resolved, period by period"),
        other => other.into(),
    }
}

/// What an optional export column records, for the methodology's "the export does not
/// record …" sentence.
pub fn fact_name(column: &str) -> &str {
    match column {
        "platform" => "the platform",
        "moderation_level" => "the moderation level",
        "reporter_type" => "who reported",
        "action" => "the action taken",
        "suspension_days" => "the length of suspensions",
        "interim_suspension" => "interim suspensions",
        "acknowledged_at" => "when a report was acknowledged",
        "resolved_at" => "when a decision was taken",
        "decision_communicated_at" => "when a decision was communicated",
        "appeal_filed_at" => "appeals",
        "appeal_decided_at" => "when an appeal was decided",
        "appeal_outcome" => "the outcome of appeals",
        "handled_by" => "who handled a case",
        "person_ref" => "who was reported",
        "channel" => "how a report arrived",
        "referred_to" => "where a case was referred",
        other => other,
    }
}

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------
// The closing-session slide (`[slide]`)

/// What the slide calls its parts, in the config's words.
pub struct SlideWords {
    /// "Reports received".
    pub received: String,
    /// "Distinct incidents".
    pub incidents: &'static str,
    /// "Reports by kind of conduct" (or "Incidents by …" when sections are counted by incident).
    pub by_section: String,
    /// "Actions taken".
    pub actions: &'static str,
    /// "Initial figures", the slide's own kicker before the organisation.
    pub initial: &'static str,
}

pub fn slide_words(w: &Words, by_incident: bool) -> SlideWords {
    SlideWords {
        received: format!("{} received", capitalise(&w.cases())),
        incidents: "Distinct incidents",
        by_section: format!(
            "{} by {}",
            if by_incident {
                "Incidents".to_string()
            } else {
                capitalise(&w.cases())
            },
            w.section
        ),
        actions: "Actions taken",
        initial: "Initial figures",
    }
}

/// A withheld count in a sentence or on the slide: "fewer than 3" for a small one, "withheld"
/// for one hidden to protect another (which may be large).
pub fn withheld(min_cell: u64, complementary: bool) -> String {
    if complementary {
        "withheld".into()
    } else {
        format!("fewer than {min_cell}")
    }
}

/// The rule under a slide that shows a withheld figure or lists only part of a table.
pub fn withheld_rule(min_cell: u64) -> String {
    format!("Counts below {min_cell} are withheld to protect the people involved: the lists show only published counts.")
}
