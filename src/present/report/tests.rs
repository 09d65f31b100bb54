//! Unit tests of `report`.
//!
//! Over 600 lines because of its fixture: a year's `Summary` written out field by field (and
//! an empty period derived from it), so every table of the page has known values to assert.

use super::markdown::is_safe_url;
use super::methodology::ack_deadline;
use super::view::Fmt;
use super::*;
use crate::model::{
    Acknowledgement, Appeals, CaseTotals, Count, Counts, LevelResolution, Month, PeriodInfo,
    Resolution, Rows, Suspensions, UNASSIGNED,
};
use indexmap::IndexMap;

fn counts(pairs: &[(&str, Count)]) -> Counts {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// A year of a mid-sized community, with a few suppressed cells.
fn fixture() -> Summary {
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
fn empty_fixture() -> Summary {
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

struct Owned {
    summary: Summary,
    config: Config,
    charts: Vec<(String, String, String, String)>,
    suppression: SuppressionReport,
    files: Vec<DataFile>,
    inputs: Vec<(String, String)>,
}

fn owned(summary: Summary, config: Config) -> Owned {
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

const NARRATIVE: &str = "This year the committee received more reports than in any year \
before, mostly about **promotion of paid products** in ALA Connect communities.\n\n\
# What changed\n\nWe now acknowledge reports the same day whenever we can, and we publish the \
[Code of Conduct](https://www.ala.org/) alongside this report.\n\n\
- Moderators took part in training on bias.\n- Appeals are now decided within 30 days.\n";

fn render_owned(
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

fn render_fixture(narrative: Option<&str>) -> Rendered {
    render_owned(&owned(fixture(), Config::default()), narrative, None).expect("renders")
}

#[test]
fn formats_numbers() {
    let sup = SuppressionReport {
        min_cell: 3,
        complementary_cells: ["t/big".to_string()].into_iter().collect(),
        ..SuppressionReport::default()
    };
    let words = crate::config::Words::default();
    let f = Fmt {
        suppression: &sup,
        words: &words,
    };
    assert_eq!(f.cell("t", "big", None), "suppressed");
    assert_eq!(f.cell("t", "small", None), "< 3");
    assert_eq!(f.cell("t", "big", Some(4)), "4");
    assert_eq!(f.count(Some(1_234_567)), "1,234,567");
    assert_eq!(f.count(Some(0)), "0");
    assert_eq!(f.count(Some(999)), "999");
    assert_eq!(f.count(None), "< 3");
    assert_eq!(f.share(Some(7), Some(8)), "87.5%");
    assert_eq!(f.share(None, Some(8)), "n/a");
    assert_eq!(f.share(Some(1), Some(0)), "n/a");
    use crate::config::AckPromise::{BusinessDays, CalendarDays, None as NoPromise};
    assert!(ack_deadline(BusinessDays(1)).starts_with("the end of the next business day after"));
    assert!(ack_deadline(BusinessDays(2)).starts_with("the end of the 2nd business day"));
    assert!(ack_deadline(BusinessDays(11)).starts_with("the end of the 11th business day"));
    assert_eq!(
        ack_deadline(CalendarDays(7)),
        "the end of the 7th day after the local date of the report"
    );
    assert_eq!(ack_deadline(NoPromise), "");
}

#[test]
fn suppressed_and_na_cells_show_in_both_outputs() {
    let r = render_fixture(None);
    // Blog is suppressed: "< 3" and no share that could give it away.
    assert!(
        r.html
            .contains("<th scope=\"row\">Blogs</th><td class=\"num\">&lt; 3</td><td class=\"num\">n&#x2F;a</td>"),
        "{}",
        r.html
    );
    assert!(
        r.markdown.contains("| Blogs | < 3 | n/a |"),
        "{}",
        r.markdown
    );
    assert!(r.markdown.contains("| ALA Connect | 142 | 66.4% |"));
    // A complementary cell may be large: "suppressed", never "< 3".
    assert!(r
        .markdown
        .contains("| Online publications | suppressed | n/a |"));
    assert!(r
        .markdown
        .contains("| 30 to under 90 days | suppressed | n/a |"));
    assert!(r.markdown.contains("| 90 days or more | < 3 | n/a |"));
    assert!(r.html.contains("<td class=\"num\">suppressed</td>"));
    assert!(r
        .markdown
        .contains("| Appeals filed | 9 | reversals withheld (small numbers) |"));
    assert!(r
        .markdown
        .contains("| Acknowledged within 1 business day | 87.4% |"));
    assert!(!r.html.contains("NaN") && !r.markdown.contains("NaN"));
}

#[test]
fn hostile_config_text_and_narrative_are_inert() {
    let mut config = Config {
        organisation: "<script>alert(1)</script>".into(),
        committee: "{{ 7*7 }} committee".into(),
        ..Config::default()
    };
    config.taxonomy.platforms[0].label = "\"><img src=x onerror=alert(1)>".into();
    config.taxonomy.categories[0].label = "a | b * c _d_ [x](y) `e`".into();
    let narrative = "Hello <script>alert(1)</script> and {{ 7*7 }}.\n\n\
<div onclick=\"alert(1)\">block</div>\n\n\
[click](javascript:alert(1)) [ok](https://example.org) ![img](https://example.org/x.png)\n\n\
<img src=x onerror=alert(1)>\n";
    let o = owned(fixture(), config);
    let r = render_owned(&o, Some(narrative), None).expect("renders");

    assert_eq!(raw_tags(&r.markdown), Vec::<&str>::new(), "{}", r.markdown);
    for out in [&r.html, &r.markdown.replace("\\<", "")] {
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<div onclick"), "{out}");
        assert!(!out.contains("](javascript:"), "{out}");
        assert!(!out.contains("href=\"javascript:"), "{out}");
        assert!(
            !out.contains("49 committee"),
            "tera evaluated config text: {out}"
        );
    }
    // The text itself survives, visibly.
    assert!(r
        .html
        .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    assert!(r.html.contains("{{ 7*7 }} committee"));
    assert!(r
        .html
        .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(r
        .html
        .contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}."));
    assert!(r.html.contains("<a href=\"https://example.org\">ok</a>"));
    assert!(r.html.contains(">click<") || r.html.contains("click "));
    assert!(
        !r.html.contains("example.org/x.png"),
        "images must not load"
    );
    assert!(
        r.markdown.contains("\\<script\\>alert(1)\\</script\\>"),
        "{}",
        r.markdown
    );
    assert!(r.markdown.contains("\\{\\{ 7\\*7 \\}\\} committee"));
    assert!(r.markdown.contains("\"\\>\\<img src=x onerror=alert(1)\\>"));
    assert!(r
        .markdown
        .contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}."));
    assert!(r.markdown.contains("[ok](https://example.org)"));
}

/// Unescaped `<` that a Markdown renderer would take as the start of an HTML tag.
fn raw_tags(md: &str) -> Vec<&str> {
    md.match_indices('<')
        .filter(|(i, _)| !md[..*i].ends_with('\\'))
        .filter(|(i, _)| {
            md[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
        })
        .map(|(i, _)| &md[i..md.len().min(i + 20)])
        .collect()
}

#[test]
fn markdown_cells_cannot_add_columns() {
    let mut config = Config::default();
    config.taxonomy.platforms[1].label = "one | two\nthree".into();
    let r = render_owned(&owned(fixture(), config), None, None).expect("renders");
    let line = r
        .markdown
        .lines()
        .find(|l| l.starts_with("| one \\| two"))
        .expect("row present");
    assert_eq!(line, "| one \\| two three | 41 | 19.2% |");
    let unescaped = line.replace("\\|", "");
    assert_eq!(unescaped.matches('|').count(), 4);
}

#[test]
fn empty_period_says_so_and_keeps_every_section() {
    // `[report] empty = "tables"`: the zeros are shown, as before short empty reports.
    let mut config = Config::default();
    config.report.empty = crate::config::EmptyPeriod::Tables;
    let r = render_owned(&owned(empty_fixture(), config), None, None).expect("renders");
    for out in [&r.html, &r.markdown] {
        assert!(out.contains("The committee received no cases in this period."));
        assert!(!out.contains("NaN") && !out.contains("inf"));
        for h in [
            "Cases by section of the Code",
            "Moderation levels and actions",
            "Platforms",
            "Who reported",
            "Timeliness",
            "Appeals",
            "Month by month",
            "Methodology and data",
        ] {
            assert!(out.contains(h), "missing {h}");
        }
    }
    assert!(r.markdown.contains("| Median days to resolution | n/a |"));
    assert!(r.markdown.contains("| ALA Connect | 0 | n/a |"));
    let full = render_fixture(None);
    assert!(!full.html.contains("No cases were reported"));
}

#[test]
fn empty_period_is_a_short_report_in_the_communitys_words() {
    let mut config = Config::default();
    config.words.case = "report".into();
    config.words.committee = "the Code of Conduct team".into();
    config.words.no_cases = Some("There were no reports in {label}.".into());
    let r = render_owned(
        &owned(empty_fixture(), config),
        Some("We met monthly."),
        None,
    )
    .expect("renders");
    let default =
        render_owned(&owned(empty_fixture(), Config::default()), None, None).expect("renders");
    for out in [&r.html, &r.markdown] {
        assert!(out.contains("There were no reports in 2025."), "{out}");
        assert!(out.contains(
            "This does not show that nothing against the Code of Conduct happened: only that no report reached the Code of Conduct team in this period."
        ));
        assert!(out.contains("We met monthly."));
        assert!(out.contains("Methodology and data"));
        // No table of zeros, no chart of zeros, no key figure of zeros.
        for gone in [
            "Moderation levels and actions",
            "Who reported",
            "<svg",
            "shown with zeros",
            "| Key figure |",
            "class=\"stats\"",
        ] {
            assert!(!out.contains(gone), "{gone} in the short report");
        }
    }
    for gone in [
        "id=\"categories\"",
        "id=\"timeliness\"",
        "id=\"monthly\"",
        "href=\"#categories\"",
    ] {
        assert!(!r.html.contains(gone), "{gone} in the short report");
    }
    for gone in [
        "## Reports by section",
        "## Timeliness",
        "## Month by month",
    ] {
        assert!(!r.markdown.contains(gone), "{gone} in the short report");
    }
    assert!(default
        .markdown
        .contains("**The committee received no cases in this period.**"));
    assert!(!default.markdown.contains("| Key figure |"));
}

#[test]
fn override_from_directory_replaces_only_that_template() {
    let dir = std::env::temp_dir().join(format!("tr-render-override-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join(MD_TEMPLATE),
        "# {{ title }} ({{ stats.0.value }} cases)\n",
    )
    .expect("write");
    let r = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
    let broken = {
        std::fs::write(dir.join(HTML_TEMPLATE), "<p>{{ title </p>").expect("write");
        render_owned(&owned(fixture(), Config::default()), None, Some(&dir))
    };
    let undefined = {
        std::fs::write(dir.join(HTML_TEMPLATE), "<p>{{ no_such_value }}</p>").expect("write");
        render_owned(&owned(fixture(), Config::default()), None, Some(&dir))
    };
    std::fs::remove_dir_all(&dir).ok();

    let r = r.expect("renders with override");
    assert_eq!(
        r.markdown,
        "# American Library Association Code of Conduct transparency report 2025 (214 cases)\n"
    );
    assert!(r.html.contains("<h1>American Library Association"));
    for e in [broken, undefined] {
        match e {
            Err(RenderError::Template { name, message }) => {
                assert_eq!(name, HTML_TEMPLATE);
                assert!(!message.is_empty());
            }
            Err(other) => panic!("wrong error: {other}"),
            Ok(_) => panic!("a broken template must fail"),
        }
    }
}

#[test]
fn missing_template_directory_is_an_error() {
    let dir = std::env::temp_dir().join("tr-render-no-such-dir-3f9a");
    let e = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
    assert!(matches!(e, Err(RenderError::Read { .. })));
}

#[test]
fn undefined_variable_error_names_the_variable() {
    let dir = std::env::temp_dir().join(format!("tr-render-undef-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join(MD_TEMPLATE), "{{ no_such_value }}").expect("write");
    let e = render_owned(&owned(fixture(), Config::default()), None, Some(&dir));
    std::fs::remove_dir_all(&dir).ok();
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("report.md.tera") && msg.contains("no_such_value"),
        "{msg}"
    );
}

#[test]
fn suppression_statement_follows_the_threshold() {
    let r = render_fixture(None);
    assert!(r.html.contains("a count from 1 to 2 is shown as “&lt; 3”"));
    assert!(r
        .html
        .contains("9 cells were withheld because they were small, and 4 more cells were"));
    assert!(r.markdown.contains("- Cases by platform\n"));
    assert!(r
        .markdown
        .contains("- Resolved cases by time to decision\n"));
    assert!(r.markdown.contains("- Appeals by timing\n"));

    let mut o = owned(fixture(), Config::default());
    o.suppression.tables.clear();
    let r = render_owned(&o, None, None).expect("renders");
    assert!(r.html.contains("no cell needed suppression"));
    assert!(r.markdown.contains("no cell needed suppression"));

    o.suppression.min_cell = 0;
    let r = render_owned(&o, None, None).expect("renders");
    // Publishing small numbers openly is the committee's stated choice (issue 15), not a
    // switch "turned off".
    let choice = "choice is to publish small numbers as they are: no figure is withheld";
    assert!(r.html.contains(&format!("The committee&#x27;s {choice}")));
    assert!(r.markdown.contains(&format!("The committee's {choice}")));
    assert!(!r.html.contains("turned off"));
}

#[test]
fn build_date_and_rejected_rows_are_stated_only_when_present() {
    let o = owned(fixture(), Config::default());
    let r = render_owned(&o, None, None).expect("renders");
    assert!(r.html.contains("4 rows of the export were invalid"));
    assert!(r.markdown.contains("4 rows of the export were invalid"));
    assert!(r.html.contains("Built with transparency-report 0.1.0.</p>"));

    let mut s = fixture();
    s.rows.rejected = 0;
    let o = owned(s, Config::default());
    let charts: Vec<ChartRef> = Vec::new();
    let input = ReportInput {
        event: None,
        summary: &o.summary,
        config: &o.config,
        charts: &charts,
        narrative_markdown: None,
        summaries: &[],
        suppression: &o.suppression,
        data_files: &o.files,
        tool_version: "0.1.0",
        build_date: Some("2026-01-15"),
        input_hashes: &o.inputs,
        rows_rejected: 0,
        history: None,
        incidents: None,
    };
    let r = render(&input, None).expect("renders");
    assert!(!r.html.contains("invalid and left out"));
    assert!(r.html.contains("transparency-report 0.1.0 on 2026-01-15."));
    assert!(r
        .markdown
        .contains("transparency-report 0.1.0 on 2026-01-15."));
}

#[test]
fn page_structure_is_one_h1_and_self_contained() {
    let r = render_fixture(Some(NARRATIVE));
    assert_eq!(
        r.html.matches("<h1").count(),
        1,
        "narrative # must not add an h1"
    );
    assert!(r.html.contains("<h3>What changed</h3>"));
    assert!(r.html.contains("<html lang=\"en\">"));
    assert!(r.html.contains("<main id=\"main\""));
    assert!(r.html.contains("<nav "));
    // The charts' hatching is `url(#…)`, a reference within the page, not a request.
    let html = r.html.replace("url(#", "");
    for forbidden in [
        "<script",
        "<link",
        "@import",
        "url(",
        "src=\"http",
        "<iframe",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // Every chart sits in the page and is followed by a table.
    assert_eq!(r.html.matches("<figure class=\"chart\"").count(), 6);
    assert!(r
        .markdown
        .contains("![Cases by platform](charts/platforms.svg)"));
    assert!(r
        .markdown
        .contains("*Chart description:* Cases by platform where the reported conduct"));
    assert!(r
        .html
        .contains("<caption id=\"table-platforms-caption\">Cases by platform</caption>"));
}

#[test]
fn unknown_chart_ids_are_still_published() {
    let mut o = owned(fixture(), Config::default());
    o.charts[0].0 = "extra_figure".into();
    let r = render_owned(&o, None, None).expect("renders");
    assert!(r.html.contains("id=\"other-figures\""));
    assert!(r.markdown.contains("](charts/extra\\_figure.svg)"));
}

#[test]
fn embedded_templates_are_listed_for_init() {
    let names: Vec<&str> = embedded_templates().iter().map(|(n, _)| *n).collect();
    assert_eq!(names, [HTML_TEMPLATE, MD_TEMPLATE, CSS_FILE]);
    assert!(embedded_templates().iter().all(|(_, s)| !s.is_empty()));
}

#[test]
fn url_safety() {
    for ok in [
        "https://x.org",
        "http://x",
        "mailto:a@b",
        "#top",
        "data/x.csv",
        "x/y:z",
    ] {
        assert!(is_safe_url(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:x",
        "java\tscript:x",
        "data:text/html,x",
        "vbscript:x",
    ] {
        assert!(!is_safe_url(bad), "{bad}");
    }
}

/// Writes the fixture report for the browser test:
/// `RENDER_FIXTURE_OUT=/tmp/report cargo test --lib write_fixture_report -- --ignored`
#[test]
#[ignore = "writes files; run by hand for the browser test"]
fn write_fixture_report() {
    let Ok(out) = std::env::var("RENDER_FIXTURE_OUT") else {
        return;
    };
    let out = PathBuf::from(out);
    let empty = std::env::var("RENDER_FIXTURE_EMPTY").is_ok();
    let summary = if empty { empty_fixture() } else { fixture() };
    let o = owned(summary, Config::default());
    let r = render_owned(&o, Some(NARRATIVE), None).expect("renders");
    std::fs::create_dir_all(out.join("charts")).expect("mkdir");
    std::fs::write(out.join("index.html"), r.html).expect("write");
    std::fs::write(out.join("report.md"), r.markdown).expect("write");
    let json = serde_json::to_string_pretty(&o.summary).expect("serialises");
    std::fs::write(out.join("summary.json"), json).expect("write");
    for (id, _, _, svg) in &o.charts {
        std::fs::write(out.join("charts").join(format!("{id}.svg")), svg).expect("write");
    }
}
