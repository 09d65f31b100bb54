//! Unit tests of `text`.

use super::*;

#[test]
fn numbers() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    assert_eq!(decimal1(Some(4.26)), "4.3");
    assert_eq!(decimal1(Some(5.0)), "5.0");
    assert_eq!(decimal1(Some(1234.56)), "1,234.6");
    assert_eq!(decimal1(Some(-2.26)), "-2.3");
    assert_eq!(decimal1(Some(-0.01)), "0.0");
    assert_eq!(decimal1(None), "n/a");
    assert_eq!(decimal1(Some(f64::INFINITY)), "n/a");
    assert_eq!(below(3), "< 3");
}

#[test]
fn shares_and_days_keep_a_decimal_in_tables_and_drop_it_in_prose() {
    assert_eq!(percent(Some(0.875)), "87.5%");
    assert_eq!(percent(Some(1.0)), "100.0%");
    assert_eq!(percent(None), "n/a");
    assert_eq!(percent(Some(f64::NAN)), "n/a");
    assert_eq!(percent_in_prose(0.375), "37.5%");
    assert_eq!(percent_in_prose(1.0), "100%");
    assert_eq!(days(1.04), "1 day");
    assert_eq!(days(5.0), "5 days");
    assert_eq!(days(6.25), "6.3 days");
}

#[test]
fn signed_changes_use_a_true_minus_and_no_sign_for_zero() {
    assert_eq!(signed(3.0, 0), "+3");
    assert_eq!(signed(-1234.0, 0), "\u{2212}1,234");
    assert_eq!(signed(-1.54, 1), "\u{2212}1.5");
    assert_eq!(signed(0.0, 1), "0.0");
    assert_eq!(signed(-0.01, 1), "0.0");
}

#[test]
fn words() {
    assert_eq!(ordinal(1), "1st");
    assert_eq!(ordinal(2), "2nd");
    assert_eq!(ordinal(3), "3rd");
    assert_eq!(ordinal(11), "11th");
    assert_eq!(ordinal(12), "12th");
    assert_eq!(ordinal(23), "23rd");
    assert_eq!(plural(1, "cell was", "cells were"), "1 cell was");
    assert_eq!(plural(1200, "byte", "bytes"), "1,200 bytes");
    assert_eq!(counted(1, "case"), "1 case");
    assert_eq!(counted(0, "incident"), "0 incidents");
    let list = |items: &[&str]| join_and(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(list(&[]), "");
    assert_eq!(list(&["a"]), "a");
    assert_eq!(list(&["a", "b"]), "a and b");
    assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    assert_eq!(capitalise("élan vital"), "Élan vital");
}

#[test]
fn dates() {
    assert_eq!(long_date("2025-03-04"), "4 March 2025");
    assert_eq!(long_date("not a date"), "not a date");
    assert_eq!(long_month("2025-11"), "November 2025");
    assert_eq!(long_month("2025-13"), "2025-13");
    assert_eq!(short_month("2025-09", false), "Sep");
    assert_eq!(short_month("2025-09", true), "Sep 2025");
    let days = |d: &[&str]| weekdays(&d.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(
        days(&["mon", "tue", "wed", "thu", "fri"]),
        "Monday to Friday"
    );
    assert_eq!(days(&["Wednesday", "mon"]), "Monday and Wednesday");
    assert_eq!(days(&["mon", "wed", "fri"]), "Monday, Wednesday and Friday");
}

#[test]
fn resolution_bins_read_as_half_open_ranges() {
    let labels: Vec<String> = RESOLUTION_BINS.iter().map(|b| bin_label(b.0)).collect();
    assert_eq!(
        labels,
        [
            "Under 1 day",
            "1 to under 7 days",
            "7 to under 30 days",
            "30 to under 90 days",
            "90 days or more"
        ]
    );
}

#[test]
fn keys_without_a_value_are_named_for_what_is_missing() {
    let t = Taxonomy::ala();
    assert_eq!(level_label(&t, UNASSIGNED), "No level");
    assert_eq!(level_label(&t, "A"), "Level A");
    assert_eq!(action_label(&t, UNASSIGNED), "No action recorded");
    let w = Words::default();
    assert_eq!(reporter_label(UNASSIGNED, &w), "Not recorded");
    assert_eq!(reporter_label("anonymous", &w), "Anonymous reporter");
    assert_eq!(reporter_label("moderator", &w), "Found by the committee");
    let mods = Words {
        committee: "the moderators".into(),
        ..Words::default()
    };
    assert_eq!(
        reporter_label("moderator", &mods),
        "Found by the moderators"
    );
}

#[test]
fn appeal_outcomes_have_a_label_and_an_axis_form() {
    for key in crate::model::APPEAL_OUTCOMES {
        let (long, short) = (outcome_label(key), outcome_axis_label(key));
        assert_ne!(long, key, "{key} has no label");
        assert!(
            long.to_lowercase().contains(&short.to_lowercase()),
            "{long} / {short}"
        );
    }
    assert_eq!(outcome_label("pending"), "Pending at period end");
    assert_eq!(outcome_axis_label("pending"), "Pending");
}

#[test]
fn tables_have_one_name() {
    let w = Words::default();
    assert_eq!(table_title("by_platform", &w), "Cases by platform");
    assert_eq!(
        table_title("resolution_days.histogram", &w),
        "Resolved cases by time to decision"
    );
    assert_eq!(
        table_title("by_category", &w),
        "Cases by section of the Code of Conduct"
    );
    assert_eq!(table_title("no_such_table", &w), "no_such_table");
}

#[test]
fn tables_are_named_in_the_communitys_words() {
    let w = Words {
        document: "Terms of Service".into(),
        section: "clause".into(),
        case: "notice".into(),
        ..Words::default()
    };
    assert_eq!(
        table_title("by_category", &w),
        "Notices by clause of the Terms of Service"
    );
    assert_eq!(
        table_title("by_category_group", &w),
        "Notices by group of clauses"
    );
    assert_eq!(
        table_title("resolution_days.histogram", &w),
        "Resolved notices by time to decision"
    );
    assert_eq!(figure_label("cases_total", &w), "Notices received");
    let irregular = Words {
        case: "matter".into(),
        cases: Some("matters".into()),
        section: "rule".into(),
        sections: Some("rules".into()),
        ..Words::default()
    };
    assert_eq!(
        table_title("by_category_group", &irregular),
        "Matters by group of rules"
    );
}

#[test]
fn words_without_a_verb_to_agree_with() {
    assert_eq!(possessive("the committee"), "the committee's");
    assert_eq!(possessive("the moderators"), "the moderators'");
    assert_eq!(with_article("case"), "a case");
    assert_eq!(with_article("incident"), "an incident");
    assert_eq!(slug("The committee's work"), "the-committees-work");
    assert_eq!(
        slug("Notices by clause of the Terms of Service"),
        "notices-by-clause-of-the-terms-of-service"
    );
}

#[test]
fn every_compared_figure_has_a_label() {
    for (key, _) in crate::compute::history::FIGURES {
        assert_ne!(
            figure_label(key, &Words::default()),
            key,
            "{key} has no label"
        );
    }
    assert_eq!(
        figure_label("reversal_rate", &Words::default()),
        "Appeal reversal rate"
    );
}
