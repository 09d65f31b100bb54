//! The sections on how the cases arrived (`channel`) and on the cases referred to the police or
//! another body (`referred_to`): a small table each, and the same counts in sentences.
//!
//! A referral is counted and never described (the PSF's guidance: say that law enforcement
//! was called, and nothing more). Nothing here, or anywhere else in the report, sets where a
//! case was referred beside another fact of it: the only figures about referrals are the
//! counts of this one table.

use super::headline::{counted, number};
use super::view::{count_table, Ctx, Table};
use crate::config::Section;
use crate::model::{Counts, NOT_REFERRED, UNASSIGNED};
use crate::present::text::{
    capitalise, channel_label, join_and, referral_label, referral_words, table_title,
};

/// A section of one small table, with its counts in sentences.
#[derive(serde::Serialize)]
pub(super) struct FactSection {
    pub(super) title: String,
    /// The Markdown heading's anchor.
    pub(super) anchor: String,
    pub(super) intro: String,
    /// The table's counts in sentences (what the compact style shows).
    pub(super) prose: Vec<String>,
    pub(super) table: Table,
}

/// How the cases arrived; `None` when the export does not record it or the config leaves the
/// section out.
pub(super) fn channels(cx: &Ctx) -> Option<FactSection> {
    let counts = cx.summary.by_channel.as_ref()?;
    if !cx.config.report.shows(Section::Channels) {
        return None;
    }
    let (t, w) = (&cx.config.taxonomy, &cx.config.words);
    let words = referral_words(w);
    Some(FactSection {
        title: words.channels_title,
        anchor: words.channels_anchor,
        intro: words.channels_intro,
        prose: channel_prose(cx, counts).into_iter().collect(),
        table: count_table(
            "table-channels",
            table_title("by_channel", w),
            "How it arrived",
            "by_channel",
            counts,
            cx.total,
            &cx.fmt,
            |k| channel_label(t, k),
        ),
    })
}

/// "All 7 reports arrived by email.", "Of the 12 reports, 7 arrived by email and 5 in
/// person."; each label as the taxonomy writes it after "arrived".
fn channel_prose(cx: &Ctx, counts: &Counts) -> Option<String> {
    let total = cx.total.filter(|&n| n > 0)?;
    let (t, w) = (&cx.config.taxonomy, &cx.config.words);
    let (case, cases) = (w.case.as_str(), w.cases());
    let shown: Vec<(&String, _)> = counts
        .iter()
        .filter(|(k, v)| **v != Some(0) && k.as_str() != UNASSIGNED)
        .map(|(k, v)| (k, *v))
        .collect();
    let unrecorded = counts.get(UNASSIGNED).copied().flatten();
    if let [(k, Some(n))] = shown.as_slice() {
        if *n == total {
            let label = t.channel_label(k);
            return Some(if total == 1 {
                format!("The one {case} arrived {label}.")
            } else {
                format!(
                    "All {} {cases} arrived {label}.",
                    number(cx, "cases", "total", Some(total))
                )
            });
        }
    }
    if shown.is_empty() {
        return Some(format!(
            "How the {} arrived was not recorded.",
            counted(cx, "cases", "total", Some(total), case, &cases)
        ));
    }
    let parts: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let n = number(cx, "by_channel", k, *v);
            let label = t.channel_label(k);
            if i == 0 {
                format!("{n} arrived {label}")
            } else {
                format!("{n} {label}")
            }
        })
        .collect();
    let mut out = format!(
        "Of the {}, {}",
        counted(cx, "cases", "total", Some(total), case, &cases),
        join_and(&parts)
    );
    if let Some(v) = counts.get(UNASSIGNED).filter(|v| **v != Some(0)) {
        let how = if unrecorded == Some(1) {
            "how it arrived"
        } else {
            "how they arrived"
        };
        out.push_str(&format!(
            "; {how} was not recorded for {}",
            number(cx, "by_channel", UNASSIGNED, *v)
        ));
    }
    out.push('.');
    Some(out)
}

/// The cases referred elsewhere; `None` when the export does not record it or the config
/// leaves the section out.
pub(super) fn referrals(cx: &Ctx) -> Option<FactSection> {
    let counts = cx.summary.by_referral.as_ref()?;
    if !cx.config.report.shows(Section::Referrals) {
        return None;
    }
    let (t, w) = (&cx.config.taxonomy, &cx.config.words);
    let words = referral_words(w);
    Some(FactSection {
        title: words.referrals_title,
        anchor: words.referrals_anchor,
        intro: words.referrals_intro,
        prose: referral_prose(cx, counts),
        table: count_table(
            "table-referrals",
            table_title("by_referral", w),
            "Referred to",
            "by_referral",
            counts,
            cx.total,
            &cx.fmt,
            |k| referral_label(t, k),
        ),
    })
}

/// "2 reports were referred to the police.", one sentence per place any case was referred
/// to; "No report was referred to the police or another body." when none was.
fn referral_prose(cx: &Ctx, counts: &Counts) -> Vec<String> {
    let (t, w) = (&cx.config.taxonomy, &cx.config.words);
    let (case, cases) = (w.case.as_str(), w.cases());
    let referred: Vec<String> = counts
        .iter()
        .filter(|(k, v)| k.as_str() != NOT_REFERRED && **v != Some(0))
        .map(|(k, v)| {
            let verb = if *v == Some(1) { "was" } else { "were" };
            capitalise(&format!(
                "{} {verb} referred to {}.",
                counted(cx, "by_referral", k, *v, case, &cases),
                t.referral_label(k)
            ))
        })
        .collect();
    if !referred.is_empty() || cx.total == Some(0) {
        return referred;
    }
    let places: Vec<String> = t.referrals.iter().map(|r| r.label.clone()).collect();
    let to = match places.as_slice() {
        [] => "another body".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    vec![format!("No {case} was referred to {to}.")]
}
