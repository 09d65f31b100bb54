//! The downloadable data: `data/summary.json`, one tidy CSV per figure and a Frictionless
//! `datapackage.json` describing them. Suppressed cells are empty in CSV and `null` in JSON.

mod csv_file;
mod history_table;
mod settings_tables;

use serde_json::{json, Value};

use crate::compute::history::History;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Counts, IncidentFigures, Summary};
use crate::present::text::{
    action_label, bin_label, capitalise, channel_label, data_count, data_number, handler_label,
    level_label, outcome_label, referral_label, reporter_label, table_title, with_article,
    PEOPLE_NAMED,
};
use crate::summaries::Published;
pub use csv_file::neutralise;
use csv_file::to_csv;
use history_table::history_rows;
use settings_tables::{context_table, dsa_table, process_table, summaries_table};

/// A CSV table with its Frictionless field types.
struct DataTable {
    name: &'static str,
    title: String,
    fields: Vec<(&'static str, &'static str)>,
    rows: Vec<Vec<String>>,
}

/// One row per section of the Code, in taxonomy order: its group and labels, then its count in
/// each of `counts`.
fn section_rows(t: &crate::config::Taxonomy, counts: &[&Counts]) -> Vec<Vec<String>> {
    t.categories
        .iter()
        .map(|cat| {
            let mut row = vec![
                cat.group.clone(),
                t.group_label(&cat.group),
                cat.key.clone(),
                cat.label.clone(),
            ];
            row.extend(
                counts
                    .iter()
                    .map(|m| data_count(m.get(&cat.key).copied().flatten())),
            );
            row
        })
        .collect()
}

fn tables(
    s: &Summary,
    inc: Option<&IncidentFigures>,
    c: &Config,
    h: Option<&History>,
    sums: &[Published],
) -> Vec<DataTable> {
    let t = &c.taxonomy;
    let w = &c.words;
    let simple = |name,
                  title,
                  key: &'static str,
                  map: &crate::model::Counts,
                  label: &dyn Fn(&str) -> String| DataTable {
        name,
        title,
        fields: vec![(key, "string"), ("label", "string"), ("cases", "integer")],
        rows: map
            .iter()
            .map(|(k, v)| vec![k.clone(), label(k), data_count(*v)])
            .collect(),
    };
    let mut out = Vec::new();
    out.push(DataTable {
        name: "categories",
        title: format!(
            "{} ({} may cite several)",
            table_title("by_category", w),
            with_article(&w.case)
        ),
        fields: vec![
            ("group", "string"),
            ("group_label", "string"),
            ("category", "string"),
            ("label", "string"),
            ("cases", "integer"),
        ],
        rows: section_rows(t, &[&s.by_category]),
    });
    out.push(simple(
        "category_groups",
        format!(
            "{} ({} counts once per group)",
            table_title("by_category_group", w),
            with_article(&w.case)
        ),
        "group",
        &s.by_category_group,
        &|k| t.group_label(k),
    ));
    if let Some(i) = inc {
        out.push(DataTable {
            name: "incidents_by_category",
            title: format!(
                "Reports and distinct incidents by {} of the {}",
                w.section, w.document
            ),
            fields: vec![
                ("group", "string"),
                ("group_label", "string"),
                ("category", "string"),
                ("label", "string"),
                ("reports", "integer"),
                ("incidents", "integer"),
            ],
            rows: section_rows(t, &[&s.by_category, &i.by_category]),
        });
        out.push(DataTable {
            name: "incidents_by_category_group",
            title: format!(
                "Reports and distinct incidents by group of {}",
                w.sections()
            ),
            fields: vec![
                ("group", "string"),
                ("label", "string"),
                ("reports", "integer"),
                ("incidents", "integer"),
            ],
            rows: t
                .category_groups
                .iter()
                .map(|g| {
                    vec![
                        g.key.clone(),
                        g.label.clone(),
                        data_count(s.by_category_group.get(&g.key).copied().flatten()),
                        data_count(i.by_category_group.get(&g.key).copied().flatten()),
                    ]
                })
                .collect(),
        });
        // Actions and handlers by report and by incident, when the export records them.
        let by_key = |name,
                      title: String,
                      key,
                      reports: &Counts,
                      incidents: &Counts,
                      label: &dyn Fn(&str) -> String| DataTable {
            name,
            title,
            fields: vec![
                (key, "string"),
                ("label", "string"),
                ("reports", "integer"),
                ("incidents", "integer"),
            ],
            rows: reports
                .iter()
                .map(|(k, v)| {
                    vec![
                        k.clone(),
                        label(k),
                        data_count(*v),
                        data_count(incidents.get(k).copied().flatten()),
                    ]
                })
                .collect(),
        };
        if let Some(a) = &i.by_action {
            out.push(by_key(
                "incidents_by_action",
                "Reports and distinct incidents by action taken".into(),
                "action",
                &s.by_action,
                a,
                &|k| action_label(t, k),
            ));
        }
        if let (Some(h), Some(reports)) = (&i.by_handler, &s.by_handler) {
            out.push(by_key(
                "incidents_by_handler",
                "Reports and distinct incidents by who handled them".into(),
                "handler",
                reports,
                h,
                &|k| handler_label(t, k),
            ));
        }
        if let Some(p) = &i.by_platform {
            out.push(by_key(
                "incidents_by_platform",
                "Reports and distinct incidents by platform".into(),
                "platform",
                &s.by_platform,
                p,
                &|k| t.platform_label(k),
            ));
        }
        if let Some(l) = &i.by_moderation_level {
            out.push(by_key(
                "incidents_by_level",
                "Reports and distinct incidents by moderation level".into(),
                "level",
                &s.by_moderation_level,
                l,
                &|k| level_label(t, k),
            ));
        }
        if let Some(r) = &i.by_reporter_type {
            out.push(by_key(
                "incidents_by_reporter_type",
                "Reports and distinct incidents by who reported them".into(),
                "reporter_type",
                &s.by_reporter_type,
                r,
                &|k| reporter_label(k, w),
            ));
        }
    }
    out.push(DataTable {
        name: "levels",
        title: format!(
            "{} and resolution time by moderation level",
            capitalise(&w.cases())
        ),
        fields: vec![
            ("level", "string"),
            ("label", "string"),
            ("cases", "integer"),
            ("resolved_with_time", "integer"),
            ("median_days", "number"),
            ("p90_days", "number"),
        ],
        rows: s
            .by_moderation_level
            .iter()
            .map(|(k, v)| {
                let r = s.resolution_days.by_moderation_level.get(k);
                vec![
                    k.clone(),
                    level_label(t, k),
                    data_count(*v),
                    r.map(|r| data_count(r.count)).unwrap_or_default(),
                    r.map(|r| data_number(r.median)).unwrap_or_default(),
                    r.map(|r| data_number(r.p90)).unwrap_or_default(),
                ]
            })
            .collect(),
    });
    out.push(simple(
        "platforms",
        table_title("by_platform", w),
        "platform",
        &s.by_platform,
        &|k| t.platform_label(k),
    ));
    out.push(simple(
        "actions",
        table_title("by_action", w),
        "action",
        &s.by_action,
        &|k| action_label(t, k),
    ));
    out.push(simple(
        "reporter_types",
        table_title("by_reporter_type", w),
        "reporter_type",
        &s.by_reporter_type,
        &|k| reporter_label(k, w),
    ));
    // Not recorded: `null` in summary.json, and no file.
    if let Some(c) = &s.by_channel {
        out.push(simple(
            "channels",
            table_title("by_channel", w),
            "channel",
            c,
            &|k| channel_label(t, k),
        ));
    }
    if let Some(r) = &s.by_referral {
        out.push(simple(
            "referrals",
            table_title("by_referral", w),
            "referred_to",
            r,
            &|k| referral_label(t, k),
        ));
    }
    if let Some(h) = &s.by_handler {
        out.push(simple(
            "handlers",
            table_title("by_handler", w),
            "handler",
            h,
            &|k| handler_label(t, k),
        ));
    }
    if let Some(p) = &s.people {
        let mut rows = vec![vec![
            "named".to_string(),
            String::new(),
            PEOPLE_NAMED.to_string(),
            data_count(p.named),
        ]];
        if s.recorded("action") {
            rows.extend(p.by_action.iter().map(|(k, v)| {
                vec![
                    "by_action".to_string(),
                    k.clone(),
                    action_label(t, k),
                    data_count(*v),
                ]
            }));
        }
        out.push(DataTable {
            name: "people",
            title: table_title("people", w),
            fields: vec![
                ("figure", "string"),
                ("action", "string"),
                ("label", "string"),
                ("people", "integer"),
            ],
            rows,
        });
    }
    out.push(simple(
        "resolution",
        table_title("resolution_days.histogram", w),
        "bin",
        &s.resolution_days.histogram,
        &|k| bin_label(k),
    ));
    out.push(DataTable {
        name: "monthly",
        title: table_title("monthly", w),
        fields: vec![
            ("month", "yearmonth"),
            ("reported", "integer"),
            ("resolved", "integer"),
        ],
        rows: s
            .monthly
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    data_count(m.reported),
                    data_count(m.resolved),
                ]
            })
            .collect(),
    });
    out.push(DataTable {
        name: "appeals",
        title: table_title("appeals.by_outcome", w),
        fields: vec![
            ("outcome", "string"),
            ("label", "string"),
            ("appeals", "integer"),
        ],
        rows: s
            .appeals
            .by_outcome
            .iter()
            .map(|(k, v)| vec![k.clone(), outcome_label(k), data_count(*v)])
            .collect(),
    });
    // The committee's own figures, as the report shows them.
    if let Some(a) = &c.committee_activity {
        let mut rows = Vec::new();
        for (key, label, n) in [
            ("meetings", "Meetings held", a.meetings),
            ("votes", "Votes taken", a.votes),
            (
                "votes_quorate",
                "Votes that reached quorum",
                a.votes_quorate,
            ),
            ("members", "Members at the end of the period", a.members),
        ] {
            if let Some(n) = n {
                rows.push(vec![key.into(), label.into(), n.to_string(), String::new()]);
            }
        }
        for (key, label, names) in [
            ("joined", "Joined the committee", &a.joined),
            ("left", "Left the committee", &a.left),
        ] {
            if !names.is_empty() {
                rows.push(vec![
                    key.into(),
                    label.into(),
                    names.len().to_string(),
                    names.join("; "),
                ]);
            }
        }
        out.push(DataTable {
            name: "committee",
            title: format!("The work of the {}", c.committee),
            fields: vec![
                ("measure", "string"),
                ("label", "string"),
                ("count", "integer"),
                ("names", "string"),
            ],
            rows,
        });
    }
    if !c.context.is_empty() {
        out.push(context_table(s, c));
    }
    if let Some(p) = c.process.as_ref().filter(|p| !p.is_empty()) {
        out.push(process_table(p));
    }
    if !sums.is_empty() {
        out.push(summaries_table(sums));
    }
    if crate::config::dsa::written(c.dsa.as_ref(), t) {
        out.push(dsa_table(s, c));
    }
    // A file of a fact the export does not record would be a file of zeros or of
    // "unassigned" (SPEC §3.1): left out, and a column of one left out of its file.
    out.retain(|table| {
        let needs: &[&str] = match table.name {
            "levels" => &["moderation_level"],
            "platforms" => &["platform"],
            "actions" => &["action"],
            "reporter_types" => &["reporter_type"],
            "resolution" => &["resolved_at"],
            "appeals" => &["appeal_filed_at", "appeal_outcome"],
            _ => &[],
        };
        // Nor a file of something the community's settings do not have.
        let applies = match table.name {
            "levels" => !t.levels.is_empty(),
            "appeals" => c.has_appeals() || s.appeals.filed != Some(0),
            _ => true,
        };
        // Nor a file of a section the config leaves out (`[report] sections`).
        let shown = match table.name {
            "levels" | "actions" => s.shows("outcomes"),
            "platforms" => s.shows("platforms"),
            "reporter_types" => s.shows("reporters"),
            "resolution" => s.shows("timeliness"),
            "appeals" => s.shows("appeals"),
            "monthly" => s.shows("monthly"),
            "committee" => s.shows("committee"),
            "process" => s.shows("process"),
            _ => true,
        };
        applies && shown && needs.iter().all(|c| s.recorded(c))
    });
    if !s.recorded("resolved_at") {
        for table in &mut out {
            for field in ["resolved", "resolved_with_time", "median_days", "p90_days"] {
                drop_field(table, field);
            }
        }
    } else if !s.shows("timeliness") {
        for table in &mut out {
            for field in ["resolved_with_time", "median_days", "p90_days"] {
                drop_field(table, field);
            }
        }
    }
    if let Some(h) = h {
        out.push(DataTable {
            name: "history",
            title:
                "Key figures, groups and sections of this and earlier periods, with the change from the period before"
                    .into(),
            fields: vec![
                ("period", "string"),
                ("start", "date"),
                ("end", "date"),
                ("metric", "string"),
                ("label", "string"),
                ("value", "number"),
                ("change", "number"),
                ("change_percent", "number"),
            ],
            rows: history_rows(h, c),
        });
    }
    out
}

fn drop_field(table: &mut DataTable, field: &str) {
    if let Some(i) = table.fields.iter().position(|(name, _)| *name == field) {
        table.fields.remove(i);
        for row in &mut table.rows {
            row.remove(i);
        }
    }
}

/// `(path, bytes)` of `data/summary.json` (and `data/incidents.json`) and every CSV, sorted
/// by path.
pub fn data_files(
    s: &Summary,
    inc: Option<&IncidentFigures>,
    c: &Config,
    h: Option<&History>,
    sums: &[Published],
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut json = serde_json::to_vec_pretty(s)
        .map_err(|e| Error::Present(format!("cannot write summary.json: {e}").into()))?;
    json.push(b'\n');
    files.push(("data/summary.json".to_string(), json));
    if let Some(i) = inc {
        let mut json = serde_json::to_vec_pretty(i)
            .map_err(|e| Error::Present(format!("cannot write incidents.json: {e}").into()))?;
        json.push(b'\n');
        files.push(("data/incidents.json".to_string(), json));
    }
    for t in tables(s, inc, c, h, sums) {
        files.push((format!("data/{}.csv", t.name), to_csv(&t)?));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Frictionless Data Package (tabular) for the CSVs, with their hashes; titled as the report
/// is (`event`: the event the period is).
pub fn datapackage(
    s: &Summary,
    event: Option<&str>,
    inc: Option<&IncidentFigures>,
    c: &Config,
    h: Option<&History>,
    sums: &[Published],
    files: &[(String, Vec<u8>)],
) -> Result<Vec<u8>> {
    let mut resources = Vec::new();
    for t in tables(s, inc, c, h, sums) {
        let path = format!("data/{}.csv", t.name);
        let Some((_, bytes)) = files.iter().find(|(p, _)| *p == path) else {
            continue;
        };
        resources.push(json!({
            "name": t.name.replace('_', "-"),
            "path": format!("{}.csv", t.name),
            "title": t.title,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": bytes.len(),
            "hash": format!("sha256:{}", crate::hash::sha256_hex(bytes)),
            "schema": {
                "fields": t.fields.iter().map(|(n, ty)| json!({"name": n, "type": ty})).collect::<Vec<Value>>(),
                "missingValues": [""],
            },
        }));
    }
    let name: String = format!("coc-transparency-{}", s.period.label)
        .to_lowercase()
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '.' || ch == '_' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    let pkg = json!({
        "profile": "tabular-data-package",
        "name": name,
        "title": c.words.title(&c.organisation, &s.period.label, event),
        "description": "Aggregate counts only; empty cells were suppressed to protect small groups (see the report's methodology).",
        "resources": resources,
    });
    let mut out = serde_json::to_vec_pretty(&pkg)
        .map_err(|e| Error::Present(format!("cannot write datapackage.json: {e}").into()))?;
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests;
