//! Unit tests of `model` (kept in their own file).

use super::*;

#[test]
fn round4_keeps_four_decimals() {
    assert_eq!(round4(1.234_56), 1.2346);
    assert_eq!(round4(-0.000_01), 0.0);
    assert_eq!(round4(2.0 / 3.0), 0.6667);
    assert_eq!(format!("{}", round4(0.1 + 0.2)), "0.3");
}

#[test]
fn an_earlier_schema_records_none_of_the_facts_added_since() {
    // Schema 3 added who handled a case and who was reported; schema 5 how a report arrived
    // and where it was referred.
    let all = ["handled_by", "person_ref", "channel", "referred_to"];
    assert_eq!(facts_added_after(1), all);
    assert_eq!(facts_added_after(2), all);
    assert_eq!(facts_added_after(3), ["channel", "referred_to"]);
    assert_eq!(facts_added_after(4), ["channel", "referred_to"]);
    assert!(facts_added_after(5).is_empty());
    assert_eq!(SCHEMA_VERSIONS.last(), Some(&SCHEMA_VERSION));
}

#[test]
fn a_schema_4_summary_reads_with_channels_and_referrals_not_recorded() {
    let mut v: serde_json::Value = serde_json::from_str(
        r#"{"schema_version": 4,
            "period": {"label": "2024", "start": "2024-01-01", "end": "2024-12-31", "timezone": "UTC"},
            "rows": {"read": 0, "counted": 0, "rejected": 0, "outside_period": 0},
            "cases": {"total": 0, "resolved": 0, "open_at_period_end": 0, "carried_over": 0},
            "by_platform": {}, "by_moderation_level": {}, "by_category": {}, "by_category_group": {},
            "by_action": {}, "by_reporter_type": {}, "by_handler": null, "people": null,
            "suspensions": {"temporary": 0, "full": 0, "interim": 0, "median_days": null},
            "resolution_days": {"count": 0, "median": null, "p90": null, "mean": null,
                                "by_moderation_level": {}, "histogram": {}},
            "acknowledgement": {"met": 0, "rate": null, "median_hours": null},
            "appeals": {"filed": 0, "by_outcome": {}, "eligible": 0, "not_eligible": 0,
                        "timely": 0, "late": 0, "window_unknown": 0, "reversal_rate": null,
                        "median_days_to_decision": null},
            "monthly": [], "not_recorded": [], "left_out": []}"#,
    )
    .unwrap();
    let s: Summary = serde_json::from_value(v.clone()).unwrap();
    assert_eq!((s.by_channel, s.by_referral), (None, None));
    // A key unknown to every schema is still refused.
    v["by_channels"] = serde_json::json!({});
    assert!(serde_json::from_value::<Summary>(v).is_err());
}
