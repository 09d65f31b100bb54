//! Unit tests of `suppress` (kept in their own file).

use super::*;
use crate::config::Period;
use crate::model::CaseTotals;

fn config(min_cell: u64) -> Config {
    Config {
        min_cell,
        ..Config::default()
    }
}

/// The figures of a period without cases, every table keyed by the taxonomy.
fn empty(config: &Config) -> Summary {
    let period = Period::new(
        None,
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    )
    .unwrap();
    crate::compute::aggregate::aggregate(crate::load::CaseTable::default(), config, &period, 0, 0)
        .unwrap()
        .summary
}

fn set(m: &mut Counts, key: &str, n: u64) {
    m.insert(key.to_string(), Some(n));
}

/// `n` cases, all decided in January at level A with a warning, reported by name, split over
/// sections as given (each case cites one section).
fn one_section_per_case(config: &Config, sections: &[(&str, u64)]) -> (Summary, Support) {
    let mut s = empty(config);
    let n: u64 = sections.iter().map(|(_, k)| k).sum();
    s.cases = CaseTotals {
        total: Some(n),
        resolved: Some(n),
        open_at_period_end: Some(0),
        carried_over: Some(0),
    };
    set(&mut s.by_platform, "ala_connect", n);
    set(&mut s.by_moderation_level, "A", n);
    set(&mut s.by_action, "warning", n);
    set(&mut s.by_reporter_type, "named", n);
    for (k, c) in sections {
        set(&mut s.by_category, k, *c);
    }
    for g in &config.taxonomy.category_groups {
        let in_group: u64 = config
            .taxonomy
            .categories
            .iter()
            .filter(|c| c.group == g.key)
            .map(|c| s.by_category[&c.key].unwrap_or(0))
            .sum();
        set(&mut s.by_category_group, &g.key, in_group);
    }
    let r = &mut s.resolution_days;
    r.count = Some(n);
    r.by_moderation_level["A"].count = Some(n);
    set(&mut r.histogram, "1-7", n);
    s.acknowledgement.met = Some(n);
    s.monthly[0].reported = Some(n);
    s.monthly[0].resolved = Some(n);
    let support = Support {
        acknowledged: n,
        ..Support::default()
    };
    (s, support)
}

fn nulls(s: &Summary) -> Vec<String> {
    let mut s = s.clone();
    relations::slots(&mut s, None)
        .into_iter()
        .filter(|(_, _, v)| v.is_none())
        .map(|(t, k, _)| format!("{t}/{k}"))
        .collect()
}

#[test]
fn the_takedown_year_of_the_issue_gives_nothing_away() {
    // 2022 in the issue: sections 2,321 / 36 / 7 / "< 3" in a group of 2,365 and one more
    // case in the other group; the total 2,366. Each case cites one section.
    let c = config(3);
    let (mut s, support) = one_section_per_case(
        &c,
        &[
            ("race_ethnicity", 2321),
            ("sex_gender", 36),
            ("language", 7),
            ("age", 1),
            ("intimidation", 1),
        ],
    );
    let exact = s.clone();
    let out = suppress(&mut s, None, &support, &c, &Beside::default()).unwrap();
    // The two ones and the group of one are small; the 7 keeps "age" open (it may be 1 or 2),
    // and the group of 2,365 keeps the other group's case from being 2,366 − 2,365.
    assert_eq!(
        nulls(&s),
        [
            "by_category/language",
            "by_category/age",
            "by_category/intimidation",
            "by_category_group/harassment",
            "by_category_group/conduct",
        ]
    );
    assert_eq!((out.report.primary, out.report.complementary), (3, 2));
    assert_eq!(
        out.report.complementary_cells,
        BTreeSet::from([
            "by_category/language".to_string(),
            "by_category_group/harassment".to_string()
        ])
    );
    let model = out.model.unwrap();
    let audit = model.check(&s, None).unwrap();
    assert!(audit.exposed.is_empty());
    assert_eq!(
        out.report.audit,
        Some(crate::model::AuditFigures {
            published_figures: audit.figures as u64,
            relations: audit.relations as u64,
        })
    );
    // Published as the old pass did (the group of 2,365 and the 7 shown), the issue's
    // subtraction works again, and the audit says so.
    let mut leaky = s.clone();
    leaky.by_category_group["harassment"] = exact.by_category_group["harassment"];
    leaky.by_category["language"] = exact.by_category["language"];
    let exposed: Vec<(String, i64)> = model
        .check(&leaky, None)
        .unwrap()
        .exposed
        .into_iter()
        .map(|e| (e.cell, e.value))
        .collect();
    assert_eq!(
        exposed,
        [
            ("by_category.age".to_string(), 1),
            ("by_category.intimidation".to_string(), 1),
            ("by_category_group.conduct".to_string(), 1),
        ]
    );
}

#[test]
fn a_single_case_cannot_be_protected() {
    // One case: every table holds a 1 beside zeros, and the total says it is 1.
    let c = config(3);
    let (mut s, support) = one_section_per_case(&c, &[("age", 1)]);
    let err = suppress(&mut s, None, &support, &c, &Beside::default()).unwrap_err();
    assert!(matches!(err, ProtectionError::Impossible { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("by_platform.ala_connect (= 1)"), "{msg}");
    assert!(msg.contains("min_cell"), "{msg}");
    let e = crate::error::Error::from(err);
    assert_eq!(e.exit_code(), 2);
}

#[test]
fn large_cells_need_no_protection() {
    let c = config(3);
    let (mut s, support) = one_section_per_case(&c, &[("age", 40), ("intimidation", 12)]);
    let before = s.clone();
    let out = suppress(&mut s, None, &support, &c, &Beside::default()).unwrap();
    assert_eq!(s, before);
    assert_eq!((out.report.primary, out.report.complementary), (0, 0));
    let audit = out.report.audit.unwrap();
    assert!(
        audit.relations > 20 && audit.published_figures > 80,
        "{audit:?}"
    );
}

#[test]
fn the_threshold_switches_off() {
    let c = config(3);
    let (s, support) = one_section_per_case(&c, &[("age", 1), ("intimidation", 2)]);
    for min in [0, 1] {
        let mut t = s.clone();
        let out = suppress(&mut t, None, &support, &config(min), &Beside::default()).unwrap();
        assert_eq!(t, s);
        assert!(out.model.is_none() && out.report.audit.is_none());
        assert_eq!(out.report.primary + out.report.complementary, 0);
    }
}

#[test]
fn the_disclosure_file_states_the_audit() {
    let c = config(3);
    let (mut s, support) = one_section_per_case(
        &c,
        &[
            ("race_ethnicity", 30),
            ("language", 7),
            ("age", 1),
            ("intimidation", 10),
        ],
    );
    let out = suppress(&mut s, None, &support, &c, &Beside::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&disclosure_json(&out.report)).unwrap();
    assert_eq!(json["min_cell"], 3);
    assert_eq!(json["withheld_small"], out.report.primary);
    assert_eq!(json["withheld_to_protect"], out.report.complementary);
    assert_eq!(json["withheld_to_protect_cells"][0], "by_category.language");
    assert_eq!(json["audit"]["derivable_cells"], 0);
    let a = out.report.audit.unwrap();
    assert_eq!(json["audit"]["relations"], a.relations);
    assert_eq!(json["audit"]["published_figures"], a.published_figures);
}

/// Ten cases, seven appeals: three upheld, four overturned or modified, "overturned" shown
/// as "< 3" and "modified" withheld to protect it, as `data/disclosure.json` would say.
fn appeals_of_ten(filed: u64, upheld: u64) -> (Summary, Withheld) {
    let config = config(3);
    let (mut s, _) = one_section_per_case(&config, &[("age", 10)]);
    s.acknowledgement.rate = Some(1.0);
    let a = &mut s.appeals;
    a.filed = Some(filed);
    for (k, v) in [
        ("upheld", Some(upheld)),
        ("overturned", None),
        ("modified", None),
        ("withdrawn", Some(0)),
        ("pending", Some(0)),
    ] {
        a.by_outcome.insert(k.to_string(), v);
    }
    (a.eligible, a.not_eligible) = (Some(filed), Some(0));
    (a.timely, a.late, a.window_unknown) = (Some(filed), Some(0), Some(0));
    a.reversal_rate = None;
    let withheld = Withheld {
        min_cell: 3,
        small: 1,
        to_protect: vec!["appeals.by_outcome.modified".into()],
    };
    (s, withheld)
}

fn reader_exposed(s: &Summary, w: &Withheld) -> Vec<(String, i64)> {
    let r = reader_audit(s, None, w).unwrap();
    assert_eq!(r.withheld, 2);
    assert_eq!(r.fewer_small, None);
    r.audit
        .exposed
        .into_iter()
        .map(|e| (e.cell, e.value))
        .collect()
}

#[test]
fn the_reader_without_the_export_works_out_what_the_labels_and_sums_allow() {
    // overturned + modified = 7 − 3 = 4, overturned in 1..2, modified 0 or at least 3:
    // only 1 + 3 fits. (Without the either-or, 2 + 2 would fit too.)
    let (s, w) = appeals_of_ten(7, 3);
    assert_eq!(
        reader_exposed(&s, &w),
        [
            ("appeals.by_outcome.overturned".to_string(), 1),
            ("appeals.by_outcome.modified".to_string(), 3)
        ]
    );
    // overturned + modified = 5: 1 + 4 or 2 + 3, both open.
    let (s, w) = appeals_of_ten(8, 3);
    assert_eq!(reader_exposed(&s, &w), []);
    // A rate printed beside a withheld count gives it away: 2 of the 10 cases acknowledged
    // in time ("< 3") at a rate of 0.2000.
    let (mut s, mut w) = appeals_of_ten(8, 3);
    s.acknowledgement.met = None;
    s.acknowledgement.rate = Some(0.2);
    w.small = 2;
    let r = reader_audit(&s, None, &w).unwrap();
    assert_eq!(r.withheld, 3);
    assert_eq!(
        r.audit.exposed,
        [Exposed {
            cell: "acknowledgement.met".into(),
            value: 2
        }]
    );
    // The same null where the disclosure file counts one small cell: no acknowledgement
    // promise (neither the count nor the rate is published), an unknown like any other.
    w.small = 1;
    s.acknowledgement.rate = None;
    let r = reader_audit(&s, None, &w).unwrap();
    assert_eq!((r.withheld, r.audit.exposed), (2, vec![]));
    // A sum the labels cannot make: 9 − 3 = 6 with both cells "< 3" (2 + 2 at most).
    let (s, mut w) = appeals_of_ten(9, 3);
    w.small = 2;
    w.to_protect.clear();
    assert_eq!(reader_audit(&s, None, &w), Err(ReaderError::Inconsistent));
    // A null the disclosure file does not account for: not audited on a guess.
    let (s, mut w) = appeals_of_ten(8, 3);
    w.to_protect.clear();
    assert!(matches!(
        reader_audit(&s, None, &w),
        Err(ReaderError::Labels(_))
    ));
}
