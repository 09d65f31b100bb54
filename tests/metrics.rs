//! Every SPEC §5 figure on the hand-made fixture (tests/fixtures/cases.csv), computed by hand.
//!
//! The fixture: 22 rows in America/Chicago, 20 reported in 2025 (local). C16 is reported at
//! 22:30 on 31 Dec local (04:30 on 1 Jan UTC) and resolved in 2026; C17 is 2026 and C18 is
//! 23:30 on 31 Dec 2024 local (2025 in UTC): both outside. C04 and C15 are resolved across the
//! spring and autumn DST changes (47 h and 49 h), C22 across spring (107 days − 1 h).
//! Acknowledgement: C02 Friday → Monday (met), C03 Saturday → due Monday, acknowledged
//! Tuesday (not met), C05 Friday before Memorial Day (a configured holiday) → due Tuesday (met),
//! C06 Saturday before it → due Tuesday, acknowledged Wednesday (not met), C10 never (not met),
//! C16 due 1 Jan, acknowledged 2 Jan (not met). Appeals: C07 filed on day 60 (timely), C08 on
//! day 61 (late), C09 at level B (not eligible), C10 without a communicated decision (window
//! unknown, pending), C11 withdrawn.

mod common;

use transparency_report::commands::build::{compute, Options, Plan};
use transparency_report::model::Summary;

fn summary_with(f: impl FnOnce(&mut Options)) -> Summary {
    let mut o = Options {
        config: Some(common::fixtures().join("report.toml")),
        ..Options::default()
    };
    f(&mut o);
    let plan = Plan::resolve(&o).expect("plan");
    compute(&plan).expect("build").summary
}

fn counts(m: &indexmap::IndexMap<String, Option<u64>>) -> Vec<(&str, u64)> {
    m.iter()
        .map(|(k, v)| (k.as_str(), v.expect("not suppressed")))
        .collect()
}

#[test]
fn every_figure_matches_the_hand_computation() {
    let s = summary_with(|_| {});
    assert_eq!(s.schema_version, 5);
    // The fixture's header has every column of schema 2: only who handled a case and who was
    // reported (schema 3), how a report arrived and where it was referred (schema 5) are left
    // unrecorded, and their figures are null.
    assert_eq!(
        s.not_recorded,
        vec!["handled_by", "person_ref", "channel", "referred_to"]
    );
    assert_eq!(s.by_handler, None);
    assert_eq!(
        (s.by_channel.as_ref(), s.by_referral.as_ref()),
        (None, None)
    );
    assert_eq!(s.people, None);
    assert_eq!(
        (
            s.period.label.as_str(),
            s.period.start.as_str(),
            s.period.end.as_str(),
            s.period.timezone.as_str()
        ),
        ("2025", "2025-01-01", "2025-12-31", "America/Chicago")
    );
    assert_eq!(
        (
            s.rows.read,
            s.rows.counted,
            s.rows.rejected,
            s.rows.outside_period
        ),
        (22, 22, 0, 2)
    );
    assert_eq!(
        (s.cases.total, s.cases.resolved, s.cases.open_at_period_end),
        (Some(20), Some(18), Some(2))
    );
    // C18, reported at 23:30 on 31 Dec 2024 local and decided on 2 Jan 2025, is carried over.
    assert_eq!(s.cases.carried_over, Some(1));
    assert!(s.left_out.is_empty());
    assert_eq!(
        counts(&s.by_platform),
        [
            ("ala_connect", 9),
            ("social_media", 5),
            ("website", 3),
            ("blog", 2),
            ("online_publication", 1)
        ]
    );
    assert_eq!(
        counts(&s.by_moderation_level),
        [("A", 5), ("B", 5), ("C", 4), ("D", 5), ("unassigned", 1)]
    );
    assert_eq!(
        counts(&s.by_category),
        [
            ("race_ethnicity", 2),
            ("sex_gender", 1),
            ("language", 1),
            ("sexual_orientation", 1),
            ("disability", 1),
            ("appearance", 1),
            ("age", 1),
            ("religion_politics", 1),
            ("marital_family", 1),
            ("nationality_location", 1),
            ("employment_military", 1),
            ("socioeconomic", 1),
            ("prohibited_content", 1),
            ("intimidation", 2),
            ("intellectual_property", 1),
            ("political_endorsement", 1),
            ("paid_promotion", 1),
            ("job_posting", 1),
            ("accessibility", 1),
            ("impersonation", 1),
            ("sharing_member_content", 1),
            ("other", 2),
        ]
    );
    // C15 cites two harassment grounds: counted once in its group. C02 and C05 are in both.
    assert_eq!(
        counts(&s.by_category_group),
        [("harassment", 12), ("conduct", 10)]
    );
    assert_eq!(
        counts(&s.by_action),
        [
            ("no_action", 2),
            ("discussion", 3),
            ("warning", 4),
            ("content_removed", 2),
            ("temporary_suspension", 4),
            ("full_suspension", 4),
            ("unassigned", 1)
        ]
    );
    assert_eq!(
        counts(&s.by_reporter_type),
        [
            ("named", 12),
            ("anonymous", 5),
            ("moderator", 2),
            ("unassigned", 1)
        ]
    );
    let su = &s.suspensions;
    // Lengths 7, 14, 30, 60 → median 22.
    assert_eq!(
        (su.temporary, su.full, su.interim, su.median_days),
        (Some(4), Some(4), Some(2), Some(22.0))
    );

    // 19 resolved cases, sorted (days): .25 .25 .75 1 47/24 49/24 3 4+11.5/24 5 5 14 16 17 28 30
    // 30 35 40 107-1/24. Median = 10th = 5; p90: rank 16.2 → 35 + .2·5 = 36; mean 340.6875/19.
    let r = &s.resolution_days;
    assert_eq!(r.count, Some(19));
    assert_eq!(r.median, Some(5.0));
    assert_eq!(r.p90, Some(36.0));
    assert_eq!(r.mean, Some(17.9309));
    let lv: Vec<_> = r
        .by_moderation_level
        .iter()
        .map(|(k, v)| (k.as_str(), v.count, v.median, v.p90))
        .collect();
    assert_eq!(
        lv,
        [
            // .25 .25 .75 1 49/24: p90 rank 3.6 → 1 + .6·25/24 = 1.625
            ("A", Some(5), Some(0.75), Some(1.625)),
            // 47/24 3 5 5 30: p90 5 + .6·25 = 20
            ("B", Some(5), Some(5.0), Some(20.0)),
            // 4.479 14 35 40: median 24.5, p90 rank 2.7 → 35 + .7·5 = 38.5
            ("C", Some(4), Some(24.5), Some(38.5)),
            // 16 17 28 30 106.9583: p90 30 + .6·76.9583 = 76.175
            ("D", Some(5), Some(28.0), Some(76.175)),
        ]
    );
    assert_eq!(
        counts(&r.histogram),
        [
            ("0-1", 3),
            ("1-7", 7),
            ("7-30", 4),
            ("30-90", 4),
            ("90+", 1)
        ]
    );

    let a = &s.acknowledgement;
    assert_eq!(a.met, Some(16));
    assert_eq!(a.rate, Some(0.8));
    // Hours: .5 1 1 1 2 3 6 12 19 [24] 24 24 34.5 43 48 66 69 95 96.
    assert_eq!(a.median_hours, Some(24.0));

    let ap = &s.appeals;
    assert_eq!(ap.filed, Some(5));
    assert_eq!(
        counts(&ap.by_outcome),
        [
            ("upheld", 1),
            ("overturned", 1),
            ("modified", 1),
            ("withdrawn", 1),
            ("pending", 1)
        ]
    );
    assert_eq!((ap.eligible, ap.not_eligible), (Some(4), Some(1)));
    assert_eq!(
        (ap.timely, ap.late, ap.window_unknown),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(ap.reversal_rate, Some(0.6667));
    // 5 5 10 20 days → 7.5.
    assert_eq!(ap.median_days_to_decision, Some(7.5));

    let monthly: Vec<_> = s
        .monthly
        .iter()
        .map(|m| (m.month.as_str(), m.reported.unwrap(), m.resolved.unwrap()))
        .collect();
    assert_eq!(
        monthly,
        [
            ("2025-01", 3, 3),
            ("2025-02", 3, 2),
            ("2025-03", 1, 1),
            ("2025-04", 2, 1),
            ("2025-05", 2, 1),
            ("2025-06", 2, 4),
            ("2025-07", 1, 1),
            ("2025-08", 1, 2),
            ("2025-09", 1, 0),
            ("2025-10", 1, 1),
            ("2025-11", 1, 1),
            ("2025-12", 2, 1),
        ]
    );
}

#[test]
fn an_empty_period_has_zeros_and_no_rates() {
    let s = summary_with(|o| o.year = Some(2023));
    assert_eq!(s.period.label, "2023");
    assert_eq!(
        (s.rows.read, s.rows.counted, s.rows.outside_period),
        (22, 22, 22)
    );
    assert_eq!(s.cases.total, Some(0));
    assert!(s.by_category.values().all(|v| *v == Some(0)));
    assert_eq!(s.by_category.len(), 22, "every taxonomy key appears");
    assert_eq!(s.by_moderation_level.len(), 5);
    assert_eq!(s.resolution_days.count, Some(0));
    assert_eq!(
        (
            s.resolution_days.median,
            s.resolution_days.p90,
            s.resolution_days.mean
        ),
        (None, None, None)
    );
    assert_eq!(s.acknowledgement.rate, None);
    assert_eq!(s.acknowledgement.median_hours, None);
    assert_eq!(s.appeals.reversal_rate, None);
    assert_eq!(s.appeals.median_days_to_decision, None);
    assert_eq!(s.suspensions.median_days, None);
    assert_eq!(s.monthly.len(), 12);
    assert!(s
        .monthly
        .iter()
        .all(|m| m.reported == Some(0) && m.resolved == Some(0)));
}

#[test]
fn the_year_boundary_follows_the_local_date() {
    // 2026: only C17 (C16 is 1 Jan in UTC but 31 Dec in Chicago).
    let s = summary_with(|o| o.year = Some(2026));
    assert_eq!(s.cases.total, Some(1));
    assert_eq!(s.rows.outside_period, 21);
    // In UTC, C16 moves into 2026 and C18 into 2025.
    let utc = summary_with(|o| {
        o.year = Some(2026);
        o.timezone = Some("UTC".into());
    });
    assert_eq!(utc.cases.total, Some(2));
    let utc25 = summary_with(|o| {
        o.year = Some(2025);
        o.timezone = Some("UTC".into());
    });
    assert_eq!(utc25.cases.total, Some(20));
    assert_eq!(
        utc25.by_platform["website"],
        Some(4),
        "C18 counts in 2025 in UTC"
    );
}

#[test]
fn a_fiscal_year_period() {
    // September 2025 – August 2026 holds C13 … C17 and C19: 6 cases.
    let s = summary_with(|o| {
        o.from = chrono::NaiveDate::from_ymd_opt(2025, 9, 1);
        o.to = chrono::NaiveDate::from_ymd_opt(2026, 8, 31);
    });
    assert_eq!(s.period.label, "2025-09-01_2026-08-31");
    assert_eq!(s.cases.total, Some(6));
    assert_eq!(s.monthly.first().map(|m| m.month.as_str()), Some("2025-09"));
    assert_eq!(s.monthly.len(), 12);
    // C14 is still open; C16 is resolved within this period (5 Jan 2026).
    assert_eq!(s.cases.open_at_period_end, Some(1));
    // Every case decided in this fiscal year was reported in it.
    assert_eq!(s.cases.carried_over, Some(0));
    let jan = s.monthly.iter().find(|m| m.month == "2026-01").unwrap();
    assert_eq!((jan.reported, jan.resolved), (Some(1), Some(2)));
}

#[test]
fn messy_but_valid_input_gives_the_same_summary() {
    let clean = summary_with(|_| {});
    let messy = summary_with(|o| o.inputs = vec![common::fixtures().join("messy/cases.csv")]);
    assert_eq!(clean, messy);
}
