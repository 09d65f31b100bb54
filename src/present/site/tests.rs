use serde_json::json;

use super::data::leaves;

#[test]
fn leaves_name_each_figure_by_its_path_and_leave_withheld_ones_empty() {
    let v = json!({
        "filed": 4,
        "by_outcome": {"upheld": 3, "modified": null},
        "rate": 0.25,
        "label": "not a figure",
    });
    let mut out = Vec::new();
    leaves("appeals", String::new(), &v, &mut out);
    let got: Vec<(&str, &str, &str)> = out
        .iter()
        .map(|(t, k, v)| (t.as_str(), k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("appeals", "by_outcome.modified", ""),
            ("appeals", "by_outcome.upheld", "3"),
            ("appeals", "filed", "4"),
            ("appeals", "rate", "0.25"),
        ]
    );
    // A list is keyed by each row's text field (a month).
    let months = json!([{"month": "2025-01", "reported": 7, "resolved": null}]);
    let mut out = Vec::new();
    leaves("monthly", String::new(), &months, &mut out);
    assert_eq!(
        out,
        [
            (
                "monthly".to_string(),
                "2025-01.reported".to_string(),
                "7".to_string()
            ),
            (
                "monthly".to_string(),
                "2025-01.resolved".to_string(),
                String::new()
            ),
        ]
    );
}
