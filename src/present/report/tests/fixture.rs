//! The fixture of the report's unit tests: a year's `Summary` written out field by field (and
//! an empty period derived from it), so every table of the page has known values to assert,
//! and the calls that render it.

use super::*;
use crate::model::{
    Acknowledgement, Appeals, CaseTotals, Count, Counts, LevelResolution, Month, PeriodInfo,
    Resolution, Rows, Suspensions, UNASSIGNED,
};
use indexmap::IndexMap;

pub(super) fn counts(pairs: &[(&str, Count)]) -> Counts {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// A year of a mid-sized community, with a few suppressed cells.
pub(super) fn fixture() -> Summary {
    let monthly = [
        (17, 15),
        (19, 18),
        (22, 20),
        (16, 19),
        (18, 16),
        (14, 15),
        (12, 13),
        (15, 14),
        (21, 17),
        (24, 22),
        (20, 19),
        (16, 10),
    ];
    Summary {
        schema_version: crate::model::SCHEMA_VERSION,
        period: PeriodInfo {
            label: "2025".into(),
            start: "2025-01-01".into(),
            end: "2025-12-31".into(),
            timezone: "America/Chicago".into(),
        },
        rows: Rows {
            read: 230,
            counted: 226,
            rejected: 4,
            outside_period: 12,
        },
        cases: CaseTotals {
            total: Some(214),
            resolved: Some(198),
            open_at_period_end: Some(16),
            carried_over: Some(0),
        },
        by_platform: counts(&[
            ("ala_connect", Some(142)),
            ("social_media", Some(41)),
            ("website", Some(19)),
            ("blog", None),
            ("online_publication", None),
        ]),
        by_moderation_level: counts(&[
            ("A", Some(96)),
            ("B", Some(58)),
            ("C", Some(31)),
            ("D", Some(13)),
            (UNASSIGNED, Some(16)),
        ]),
        by_category: counts(&[
            ("race_ethnicity", Some(18)),
            ("sex_gender", Some(27)),
            ("language", Some(4)),
            ("sexual_orientation", Some(11)),
            ("disability", Some(6)),
            ("appearance", Some(5)),
            ("age", None),
            ("religion_politics", Some(22)),
            ("marital_family", Some(0)),
            ("nationality_location", Some(9)),
            ("employment_military", Some(0)),
            ("socioeconomic", Some(3)),
            ("prohibited_content", Some(31)),
            ("intimidation", Some(24)),
            ("intellectual_property", Some(12)),
            ("political_endorsement", Some(15)),
            ("paid_promotion", Some(38)),
            ("job_posting", Some(29)),
            ("accessibility", Some(7)),
            ("impersonation", None),
            ("sharing_member_content", Some(10)),
            ("other", Some(8)),
        ]),
        by_category_group: counts(&[("harassment", Some(89)), ("conduct", Some(171))]),
        by_action: counts(&[
            ("no_action", Some(21)),
            ("discussion", Some(64)),
            ("warning", Some(47)),
            ("content_removed", Some(38)),
            ("temporary_suspension", Some(19)),
            ("full_suspension", Some(9)),
            (UNASSIGNED, Some(16)),
        ]),
        by_reporter_type: counts(&[
            ("named", Some(118)),
            ("anonymous", Some(61)),
            ("moderator", None),
            (UNASSIGNED, None),
        ]),
        by_channel: None,
        by_referral: None,
        by_handler: None,
        people: None,
        suspensions: Suspensions {
            temporary: Some(19),
            full: Some(9),
            interim: Some(4),
            median_days: Some(14.0),
        },
        resolution_days: Resolution {
            count: Some(198),
            median: Some(4.6),
            p90: Some(21.3),
            mean: Some(8.94),
            by_moderation_level: [
                ("A", Some(96), Some(1.8), Some(6.2)),
                ("B", Some(58), Some(5.1), Some(14.7)),
                ("C", Some(31), Some(12.4), Some(33.0)),
                ("D", Some(13), Some(27.5), Some(61.25)),
            ]
            .into_iter()
            .map(|(k, count, median, p90)| (k.to_string(), LevelResolution { count, median, p90 }))
            .collect::<IndexMap<_, _>>(),
            histogram: counts(&[
                ("0-1", Some(38)),
                ("1-7", Some(92)),
                ("7-30", Some(51)),
                ("30-90", None),
                ("90+", None),
            ]),
        },
        acknowledgement: Acknowledgement {
            met: Some(187),
            rate: Some(0.8738),
            median_hours: Some(9.5),
        },
        appeals: Appeals {
            filed: Some(9),
            by_outcome: counts(&[
                ("upheld", Some(4)),
                ("overturned", None),
                ("modified", None),
                ("withdrawn", Some(0)),
                ("pending", Some(3)),
            ]),
            eligible: Some(7),
            not_eligible: None,
            timely: Some(6),
            late: None,
            window_unknown: None,
            reversal_rate: None,
            median_days_to_decision: Some(18.0),
        },
        monthly: monthly
            .iter()
            .enumerate()
            .map(|(i, &(r, d))| Month {
                month: format!("2025-{:02}", i + 1),
                reported: Some(r),
                resolved: Some(d),
            })
            .collect(),
        not_recorded: Vec::new(),
        left_out: Vec::new(),
    }
}

/// The same period with no case at all: zeros, and n/a for every rate and median.
pub(super) fn empty_fixture() -> Summary {
    let mut s = fixture();
    let zero = |c: &mut Counts| c.values_mut().for_each(|v| *v = Some(0));
    s.rows = Rows {
        read: 0,
        counted: 0,
        rejected: 0,
        outside_period: 0,
    };
    s.cases = CaseTotals {
        total: Some(0),
        resolved: Some(0),
        open_at_period_end: Some(0),
        carried_over: Some(0),
    };
    for c in [
        &mut s.by_platform,
        &mut s.by_moderation_level,
        &mut s.by_category,
        &mut s.by_category_group,
        &mut s.by_action,
        &mut s.by_reporter_type,
        &mut s.resolution_days.histogram,
        &mut s.appeals.by_outcome,
    ] {
        zero(c);
    }
    s.suspensions = Suspensions {
        temporary: Some(0),
        full: Some(0),
        interim: Some(0),
        median_days: None,
    };
    s.resolution_days.count = Some(0);
    s.resolution_days.median = None;
    s.resolution_days.p90 = None;
    s.resolution_days.mean = None;
    for l in s.resolution_days.by_moderation_level.values_mut() {
        *l = LevelResolution {
            count: Some(0),
            median: None,
            p90: None,
        };
    }
    s.acknowledgement = Acknowledgement {
        met: Some(0),
        rate: None,
        median_hours: None,
    };
    s.appeals = Appeals {
        filed: Some(0),
        by_outcome: s.appeals.by_outcome.clone(),
        eligible: Some(0),
        not_eligible: Some(0),
        timely: Some(0),
        late: Some(0),
        window_unknown: Some(0),
        reversal_rate: None,
        median_days_to_decision: None,
    };
    for m in &mut s.monthly {
        m.reported = Some(0);
        m.resolved = Some(0);
    }
    s
}

pub(super) struct Owned {
    pub(super) summary: Summary,
    pub(super) config: Config,
    pub(super) charts: Vec<(String, String, String, String)>,
    pub(super) suppression: SuppressionReport,
    pub(super) files: Vec<DataFile>,
    pub(super) inputs: Vec<(String, String)>,
}

pub(super) fn owned(summary: Summary, config: Config) -> Owned {
    // The real figures: the report inlines them, so the page tests see what readers get.
    let charts = crate::present::chart::render_all(&summary, None, &config)
        .expect("charts draw")
        .into_iter()
        .map(|c| (c.id.to_string(), c.title, c.description, c.svg))
        .collect();
    let mut files: Vec<DataFile> = [
        "charts/appeals.svg",
        "charts/categories.svg",
        "data/by_category.csv",
        "data/datapackage.json",
        "data/summary.json",
    ]
    .iter()
    .enumerate()
    .map(|(i, p)| DataFile {
        path: p.to_string(),
        sha256: format!("{:064x}", 0xdead_beef_u64 * (i as u64 + 3)),
        bytes: 812 + 1000 * i as u64,
    })
    .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Owned {
        summary,
        suppression: SuppressionReport {
            min_cell: config.min_cell,
            tables: [
                "by_platform",
                "by_category",
                "by_reporter_type",
                "resolution_days.histogram",
                "appeals.by_outcome",
                "appeals.eligibility",
                "appeals.window",
            ]
            .map(String::from)
            .to_vec(),
            primary: 9,
            complementary: 4,
            complementary_cells: [
                "by_platform/online_publication",
                "by_reporter_type/moderator",
                "resolution_days.histogram/30-90",
                "appeals.window/window_unknown",
            ]
            .map(String::from)
            .into_iter()
            .collect(),
            audit: Some(crate::model::AuditFigures {
                published_figures: 212,
                relations: 143,
            }),
        },
        config,
        charts,
        files,
        inputs: vec![(
            "cases-2025.csv".into(),
            "9f2c4e1a7b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8".into(),
        )],
    }
}

pub(super) const NARRATIVE: &str =
    "This year the committee received more reports than in any year \
before, mostly about **promotion of paid products** in ALA Connect communities.\n\n\
# What changed\n\nWe now acknowledge reports the same day whenever we can, and we publish the \
[Code of Conduct](https://www.ala.org/) alongside this report.\n\n\
- Moderators took part in training on bias.\n- Appeals are now decided within 30 days.\n";

pub(super) fn render_owned(
    o: &Owned,
    narrative: Option<&str>,
    dir: Option<&Path>,
) -> Result<Rendered, RenderError> {
    let charts: Vec<ChartRef> = o
        .charts
        .iter()
        .map(|(id, title, description, svg)| ChartRef {
            id,
            title,
            description,
            svg,
        })
        .collect();
    let input = ReportInput {
        event: None,
        summary: &o.summary,
        config: &o.config,
        charts: &charts,
        narrative_markdown: narrative,
        summaries: &[],
        suppression: &o.suppression,
        data_files: &o.files,
        tool_version: "0.1.0",
        build_date: None,
        input_hashes: &o.inputs,
        rows_rejected: o.summary.rows.rejected,
        history: None,
        incidents: None,
    };
    render(&input, dir)
}

pub(super) fn render_fixture(narrative: Option<&str>) -> Rendered {
    render_owned(&owned(fixture(), Config::default()), narrative, None).expect("renders")
}
