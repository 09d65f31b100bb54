//! What the cases were about and what was done: sections of the Code, moderation levels,
//! actions, suspensions, platforms, who reported.

use super::view::{
    count_table, num_col, recorded_rows, row, single_body, text_col, Body, Cell, Ctx,
    IncidentsView, Row, Table,
};
use crate::model::{Count, Counts, UNASSIGNED};
use crate::present::text::{
    action_label, capitalise, decimal1, handler_label, join_and, reporter_label, table_title,
    with_article, NO_LEVEL, PEOPLE_NAMED, SUPPRESSED,
};

/// Sections of the Code, grouped; with incidents, both counts, the configured one first.
pub(super) fn categories(cx: &Ctx, incidents: &Option<IncidentsView>) -> Table {
    let (s, t, f, total, input) = (cx.summary, &cx.config.taxonomy, &cx.fmt, cx.total, cx.input);
    let w = &cx.config.words;
    // A case may cite several sections, so the shares add up to more than 100%.
    let by_incident = incidents.as_ref().is_some_and(|i| i.by_incident);
    let cells = |table: &str, key: &str, reports: Count| -> Vec<String> {
        let mut out = vec![f.cell(table, key, reports), f.share(reports, total)];
        if let Some(i) = input.incidents {
            let (itable, ikey) = (format!("incidents.{table}"), key);
            let map = if table == "by_category" {
                &i.by_category
            } else {
                &i.by_category_group
            };
            let n = map.get(ikey).copied().unwrap_or(Some(0));
            let counted = vec![f.cell(&itable, ikey, n), f.share(n, Some(i.incidents))];
            if by_incident {
                out.splice(0..0, counted);
            } else {
                out.extend(counted);
            }
        }
        out
    };
    let mut cat_bodies = Vec::new();
    for g in &t.category_groups {
        let mut rows: Vec<Row> = t
            .categories
            .iter()
            .filter(|cat| cat.group == g.key)
            .map(|cat| {
                let n = s.by_category.get(&cat.key).copied().unwrap_or(Some(0));
                row(cat.label.clone(), cells("by_category", &cat.key, n))
            })
            .collect();
        let gt = s.by_category_group.get(&g.key).copied().unwrap_or(Some(0));
        let any = if incidents.is_some() {
            format!("Any of these ({})", g.label)
        } else {
            format!(
                "{} citing any of these ({})",
                capitalise(&w.cases()),
                g.label
            )
        };
        rows.push(Row {
            total: true,
            ..row(any, cells("by_category_group", &g.key, gt))
        });
        cat_bodies.push(Body {
            heading: Some(g.label.clone()),
            rows,
        });
    }
    // Keys the taxonomy does not list (a config changed between export and build) still show.
    let listed: Vec<&str> = t.categories.iter().map(|c| c.key.as_str()).collect();
    let extra: Vec<Row> = s
        .by_category
        .iter()
        .filter(|(k, _)| !listed.contains(&k.as_str()))
        .map(|(k, &n)| row(k.clone(), cells("by_category", k, n)))
        .collect();
    if !extra.is_empty() {
        cat_bodies.push(Body {
            heading: Some(format!("Other {}", w.sections())),
            rows: extra,
        });
    }
    let mut columns = vec![
        num_col(&capitalise(&w.cases())),
        num_col(&format!("% of {}", w.cases())),
    ];
    let by_section = format!("by {} of the {}", w.section, w.document);
    let caption = match &incidents {
        None => table_title("by_category", w),
        Some(i) => {
            let counted = vec![num_col("Incidents"), num_col("% of incidents")];
            if i.by_incident {
                columns.splice(0..0, counted);
                format!("Incidents and {} {by_section}", w.cases())
            } else {
                columns.extend(counted);
                format!("{} and incidents {by_section}", capitalise(&w.cases()))
            }
        }
    };
    columns.insert(0, text_col(&capitalise(&w.section)));
    Table {
        id: "table-categories",
        caption,
        columns,
        bodies: cat_bodies,
    }
}

/// What a case without a level is, in words: "usually" still open only where the period
/// ends with open cases, a claim the figures can back.
pub(super) fn no_level_note(cx: &Ctx) -> String {
    let s = cx.summary;
    let open = s.recorded("resolved_at") && s.cases.open_at_period_end != Some(0);
    if open {
        format!(
            "No level recorded, for instance because the {} was still open.",
            cx.config.words.case
        )
    } else {
        "No level recorded.".into()
    }
}

pub(super) fn levels(cx: &Ctx) -> Table {
    let (s, t, f, total) = (cx.summary, &cx.config.taxonomy, &cx.fmt, cx.total);
    let w = &cx.config.words;
    let inc = cx
        .input
        .incidents
        .and_then(|i| i.by_moderation_level.as_ref());
    let table = Table {
        id: "table-levels",
        caption: table_title("by_moderation_level", w),
        columns: vec![
            text_col("Level"),
            text_col("What it means"),
            num_col(&capitalise(&w.cases())),
            num_col(&format!("% of {}", w.cases())),
        ],
        bodies: single_body(
            s.by_moderation_level
                .iter()
                .map(|(k, &n)| {
                    let (label, desc) = match t.levels.iter().find(|l| &l.key == k) {
                        Some(l) => (l.label.clone(), l.description.clone()),
                        None if k == UNASSIGNED => (NO_LEVEL.into(), no_level_note(cx)),
                        None => (k.clone(), String::new()),
                    };
                    Row {
                        header: label,
                        cells: vec![
                            Cell {
                                v: desc,
                                num: false,
                            },
                            Cell {
                                v: f.cell("by_moderation_level", k, n),
                                num: true,
                            },
                            Cell {
                                v: f.share(n, total),
                                num: true,
                            },
                        ],
                        total: false,
                    }
                })
                .collect(),
        ),
    };
    beside_incidents_after(cx, table, "by_moderation_level", inc, 1)
}

/// With incidents, a table of cases by `table` also counts distinct incidents (PSF counts
/// outcomes per issue): two more columns, first when the config counts by incident.
fn beside_incidents(cx: &Ctx, t: Table, table: &str, counts: Option<&Counts>) -> Table {
    beside_incidents_after(cx, t, table, counts, 0)
}

/// [`beside_incidents`] for a table whose first `text` cells describe the row (the levels'
/// "What it means"): the incidents come after them.
fn beside_incidents_after(
    cx: &Ctx,
    mut t: Table,
    table: &str,
    counts: Option<&Counts>,
    text: usize,
) -> Table {
    let (Some(i), Some(counts)) = (cx.input.incidents, counts) else {
        return t;
    };
    let first = cx.config.incidents.count_categories_by == crate::config::CountBasis::Incidents;
    let id = format!("incidents.{table}");
    let f = &cx.fmt;
    for body in &mut t.bodies {
        for (r, (k, &n)) in body.rows.iter_mut().zip(counts) {
            let cells =
                [f.cell(&id, k, n), f.share(n, Some(i.incidents))].map(|v| Cell { v, num: true });
            if first {
                r.cells.splice(text..text, cells);
            } else {
                r.cells.extend(cells);
            }
        }
    }
    let columns = [num_col("Incidents"), num_col("% of incidents")];
    if first {
        t.columns.splice(1 + text..1 + text, columns);
    } else {
        t.columns.extend(columns);
    }
    t.caption = table_title(&format!("incidents_and_cases.{table}"), &cx.config.words);
    t
}

pub(super) fn actions(cx: &Ctx) -> Table {
    let (s, t, f, total) = (cx.summary, &cx.config.taxonomy, &cx.fmt, cx.total);
    let inc = cx.input.incidents.and_then(|i| i.by_action.as_ref());
    let table = count_table(
        "table-actions",
        table_title("by_action", &cx.config.words),
        "Action",
        "by_action",
        &s.by_action,
        total,
        f,
        |k| action_label(t, k),
    );
    beside_incidents(cx, table, "by_action", inc)
}

pub(super) fn suspensions(cx: &Ctx) -> Table {
    let (s, t, f) = (cx.summary, &cx.config.taxonomy, &cx.fmt);
    let sp = &s.suspensions;
    // These repeat cells of the action table and are suppressed with them. The header names
    // the actions when the taxonomy counts other keys than the ALA ones; a kind of
    // suspension that no action of the taxonomy is has no row.
    let mut temporary = t.temporary_suspension_actions();
    temporary.retain(|k| t.actions.iter().any(|a| a.key == *k));
    let mut full = t.full_suspension_actions();
    full.retain(|k| t.actions.iter().any(|a| a.key == *k));
    let suspension_row = |header: &str, keys: Vec<&str>, default: &str, value: Count| {
        let header = if keys == [default] {
            header.to_string()
        } else {
            let labels: Vec<String> = keys.iter().map(|k| t.action_label(k)).collect();
            format!("{header} ({})", join_and(&labels))
        };
        let v = match keys.as_slice() {
            [one] => f.cell("by_action", one, value),
            // A sum of hidden cells may be large: never "< N".
            _ if value.is_none() => SUPPRESSED.into(),
            _ => f.count(value),
        };
        row(header, vec![v])
    };
    Table {
        id: "table-suspensions",
        caption: table_title("suspensions", &cx.config.words),
        columns: vec![text_col("Measure"), num_col("Value")],
        bodies: single_body(recorded_rows(vec![
            (
                s.recorded("action") && !temporary.is_empty(),
                suspension_row(
                    "Temporary suspensions",
                    temporary.clone(),
                    crate::config::DEFAULT_TEMPORARY_SUSPENSION,
                    sp.temporary,
                ),
            ),
            (
                s.recorded("action") && !full.is_empty(),
                suspension_row(
                    "Full suspensions",
                    full,
                    crate::config::DEFAULT_FULL_SUSPENSION,
                    sp.full,
                ),
            ),
            (
                s.recorded("interim_suspension"),
                row(
                    "Interim suspensions before the decision",
                    vec![f.count(sp.interim)],
                ),
            ),
            (
                s.recorded("action") && s.recorded("suspension_days") && !temporary.is_empty(),
                row(
                    "Median length of a temporary suspension (days)",
                    vec![decimal1(sp.median_days)],
                ),
            ),
        ])),
    }
}

/// The kinds of suspension the report counts: (temporary, full) actions the taxonomy lists,
/// the interim flag recorded.
fn suspension_kinds(cx: &Ctx) -> (bool, bool, bool) {
    let (s, t) = (cx.summary, &cx.config.taxonomy);
    let listed = |keys: Vec<&str>| keys.iter().any(|k| t.actions.iter().any(|a| a.key == *k));
    let action = s.recorded("action");
    (
        action && listed(t.temporary_suspension_actions()),
        action && listed(t.full_suspension_actions()),
        s.recorded("interim_suspension"),
    )
}

/// What the suspensions are, in one or two sentences that name only the kinds counted.
pub(super) fn suspension_note(cx: &Ctx) -> String {
    let (temporary, full, interim) = suspension_kinds(cx);
    let w = &cx.config.words;
    let mut sentences = Vec::new();
    match (temporary, full) {
        (true, true) => sentences.push(
            "A temporary suspension removes access for a set number of days; a full suspension removes it with no end date set.".to_string(),
        ),
        (true, false) => sentences
            .push("A temporary suspension removes access for a set number of days.".into()),
        (false, true) => sentences
            .push("A full suspension removes access with no end date set.".into()),
        (false, false) => {}
    }
    if interim {
        sentences.push(format!(
            "Access suspended while {} was still being decided counts as an interim suspension.",
            with_article(&w.case)
        ));
    }
    sentences.join(" ")
}

/// The methodology's definition of the suspension figures, for the kinds counted; it
/// follows a colon in report.md, so it starts in lower case (the page capitalises it).
pub(super) fn suspension_definition(cx: &Ctx) -> String {
    let (temporary, full, interim) = suspension_kinds(cx);
    let w = &cx.config.words;
    let kinds = match (temporary, full) {
        (true, true) => Some("a temporary or a full suspension"),
        (true, false) => Some("a temporary suspension"),
        (false, true) => Some("a full suspension"),
        (false, false) => None,
    };
    let mut parts = Vec::new();
    if let Some(k) = kinds {
        parts.push(format!("{} whose action was {k}", w.cases()));
    }
    if interim {
        parts.push(format!(
            "{} where access was suspended before the decision",
            w.cases()
        ));
    }
    let mut text = parts.join(", and ");
    if !text.is_empty() {
        text.push('.');
    }
    if temporary && cx.summary.recorded("suspension_days") {
        text.push_str(
            " The median length is taken over the temporary suspensions whose length was recorded.",
        );
    }
    text
}

pub(super) fn platforms(cx: &Ctx) -> Table {
    let (s, t, f, total) = (cx.summary, &cx.config.taxonomy, &cx.fmt, cx.total);
    let inc = cx.input.incidents.and_then(|i| i.by_platform.as_ref());
    let table = count_table(
        "table-platforms",
        table_title("by_platform", &cx.config.words),
        "Platform",
        "by_platform",
        &s.by_platform,
        total,
        f,
        |k| t.platform_label(k),
    );
    beside_incidents(cx, table, "by_platform", inc)
}

pub(super) fn reporters(cx: &Ctx) -> Table {
    let (s, f, total) = (cx.summary, &cx.fmt, cx.total);
    let inc = cx.input.incidents.and_then(|i| i.by_reporter_type.as_ref());
    let table = count_table(
        "table-reporters",
        table_title("by_reporter_type", &cx.config.words),
        "Reported by",
        "by_reporter_type",
        &s.by_reporter_type,
        total,
        f,
        |k| reporter_label(k, &cx.config.words),
    );
    beside_incidents(cx, table, "by_reporter_type", inc)
}

/// People named, and people by action; `None` when the export has no `person_ref`.
pub(super) fn people(cx: &Ctx) -> Option<Table> {
    let (s, t, f) = (cx.summary, &cx.config.taxonomy, &cx.fmt);
    let p = s.people.as_ref()?;
    let mut bodies = single_body(vec![row(
        PEOPLE_NAMED,
        vec![f.cell("people", "named", p.named)],
    )]);
    if s.recorded("action") {
        bodies.push(Body {
            heading: Some(table_title("people.by_action", &cx.config.words)),
            rows: p
                .by_action
                .iter()
                .map(|(k, &n)| row(action_label(t, k), vec![f.cell("people.by_action", k, n)]))
                .collect(),
        });
    }
    Some(Table {
        id: "table-people",
        caption: table_title("people", &cx.config.words),
        columns: vec![text_col("Measure"), num_col("People")],
        bodies,
    })
}

/// Who handled the cases; `None` when the export does not record it.
pub(super) fn handlers(cx: &Ctx) -> Option<Table> {
    let (s, t, f, total) = (cx.summary, &cx.config.taxonomy, &cx.fmt, cx.total);
    let counts = s.by_handler.as_ref()?;
    let inc = cx.input.incidents.and_then(|i| i.by_handler.as_ref());
    let table = count_table(
        "table-handlers",
        table_title("by_handler", &cx.config.words),
        "Handled by",
        "by_handler",
        counts,
        total,
        f,
        |k| handler_label(t, k),
    );
    Some(beside_incidents(cx, table, "by_handler", inc))
}
