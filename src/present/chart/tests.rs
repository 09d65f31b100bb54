//! Unit tests of `chart`.

use super::figures::categories;
use super::layout::{Scale, STUB};
use super::style::{
    DARK_BACKGROUND, FONT_SENTINEL, GRID_SVG, HATCH_SVG, INK_SVG, LIGHT_BACKGROUND, PALETTE,
};
use super::*;
use crate::config::Taxonomy;
use crate::model::{
    Acknowledgement, Appeals, CaseTotals, Counts, LevelResolution, Month, PeriodInfo, Resolution,
    Rows, Suspensions, APPEAL_OUTCOMES, RESOLUTION_BINS, SCHEMA_VERSION, UNASSIGNED,
};
use crate::present::text::SUPPRESSED;
use indexmap::IndexMap;

fn counts<'a>(keys: impl IntoIterator<Item = &'a str>, value: impl Fn(usize) -> Count) -> Counts {
    keys.into_iter()
        .enumerate()
        .map(|(i, k)| (k.to_string(), value(i)))
        .collect()
}

fn fixture_summary() -> Summary {
    let t = Taxonomy::ala();
    let level_keys: Vec<&str> = t.level_keys().chain([UNASSIGNED]).collect();
    let monthly = (1..=12)
        .map(|m| Month {
            month: format!("2025-{m:02}"),
            reported: if m == 2 { None } else { Some(3 + (m * 7) % 11) },
            resolved: if m == 5 { None } else { Some(2 + (m * 5) % 9) },
        })
        .collect();
    Summary {
        schema_version: SCHEMA_VERSION,
        period: PeriodInfo {
            label: "2025".into(),
            start: "2025-01-01".into(),
            end: "2025-12-31".into(),
            timezone: "America/Chicago".into(),
        },
        rows: Rows {
            read: 130,
            counted: 124,
            rejected: 0,
            outside_period: 4,
        },
        cases: CaseTotals {
            total: Some(120),
            resolved: Some(101),
            open_at_period_end: Some(19),
            carried_over: Some(0),
        },
        by_platform: counts(t.platforms.iter().map(|p| p.key.as_str()), |i| {
            [Some(61), Some(27), Some(18), None, Some(10)][i % 5]
        }),
        by_moderation_level: counts(level_keys.iter().copied(), |i| {
            [Some(48), Some(31), Some(22), None, Some(15)][i % 5]
        }),
        by_category: counts(t.categories.iter().map(|c| c.key.as_str()), |i| match i {
            3 | 8 => None,
            10 => Some(0),
            _ => Some(3 + (i as u64 * 13) % 29),
        }),
        by_category_group: counts(t.category_groups.iter().map(|g| g.key.as_str()), |i| {
            Some([68, 91][i % 2])
        }),
        by_action: counts(
            t.actions.iter().map(|a| a.key.as_str()).chain([UNASSIGNED]),
            |_| Some(20),
        ),
        by_reporter_type: counts(["named", "anonymous", "moderator", UNASSIGNED], |_| {
            Some(30)
        }),
        by_channel: None,
        by_referral: None,
        by_handler: None,
        people: None,
        suspensions: Suspensions {
            temporary: Some(9),
            full: Some(3),
            interim: None,
            median_days: Some(14.0),
        },
        resolution_days: Resolution {
            count: Some(101),
            median: Some(6.25),
            p90: Some(40.0),
            mean: Some(12.5),
            by_moderation_level: t
                .level_keys()
                .map(|k| {
                    (
                        k.to_string(),
                        LevelResolution {
                            count: Some(20),
                            median: Some(5.0),
                            p90: Some(30.0),
                        },
                    )
                })
                .collect::<IndexMap<_, _>>(),
            histogram: counts(RESOLUTION_BINS.iter().map(|b| b.0), |i| {
                [Some(12), Some(41), Some(33), Some(13), None][i]
            }),
        },
        acknowledgement: Acknowledgement {
            met: Some(100),
            rate: Some(0.8333),
            median_hours: Some(20.5),
        },
        appeals: Appeals {
            filed: Some(11),
            by_outcome: counts(APPEAL_OUTCOMES, |i| {
                [Some(5), Some(3), None, Some(0), None][i]
            }),
            eligible: Some(11),
            not_eligible: Some(0),
            timely: Some(11),
            late: Some(0),
            window_unknown: Some(0),
            reversal_rate: Some(0.375),
            median_days_to_decision: Some(20.0),
        },
        monthly,
        not_recorded: Vec::new(),
        left_out: Vec::new(),
    }
}

fn zero_summary() -> Summary {
    let mut s = fixture_summary();
    let zero = |c: &mut Counts| c.values_mut().for_each(|v| *v = Some(0));
    zero(&mut s.by_platform);
    zero(&mut s.by_moderation_level);
    zero(&mut s.by_category);
    zero(&mut s.by_category_group);
    zero(&mut s.resolution_days.histogram);
    zero(&mut s.appeals.by_outcome);
    s.cases.total = Some(0);
    s.resolution_days.count = Some(0);
    s.resolution_days.median = None;
    s.appeals.filed = Some(0);
    s.appeals.reversal_rate = None;
    s.monthly.clear();
    s
}

fn chart<'a>(charts: &'a [Chart], id: &str) -> &'a Chart {
    match charts.iter().find(|c| c.id == id) {
        Some(c) => c,
        None => panic!("no {id} chart"),
    }
}

/// `<rect .../>` elements of the SVG, one string each.
fn rects(svg: &str) -> Vec<&str> {
    svg.lines().filter(|l| l.starts_with("<rect ")).collect()
}

fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = element.find(&key)? + key.len();
    let len = element[start..].find('"')?;
    Some(&element[start..start + len])
}

/// Text content of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.lines()
        .filter(|l| l.starts_with("<text ") && l.ends_with("</text>"))
        .filter_map(|l| {
            let start = l.find('>')? + 1;
            Some(l[start..l.len() - "</text>".len()].to_string())
        })
        .collect()
}

/// Tags nest and close, and every `&` starts an entity: enough to catch broken
/// escaping or post-processing without an XML parser.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').unwrap();
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap());
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    for (i, _) in svg.match_indices('&') {
        let entity = &svg[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "bare & at {i}"
        );
    }
}

#[test]
fn renders_six_charts_in_order() {
    let charts = render_all(&fixture_summary(), None, &Config::default()).unwrap();
    let ids: Vec<&str> = charts.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "categories",
            "levels",
            "platforms",
            "resolution",
            "monthly",
            "appeals"
        ]
    );
    for c in &charts {
        assert!(!c.title.is_empty() && !c.description.is_empty(), "{}", c.id);
        assert!(c
            .svg
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(c.svg.trim_end().ends_with("</svg>"));
        assert!(c.svg.contains(&format!(
            "role=\"img\" aria-labelledby=\"chart-{0}-title chart-{0}-desc\"",
            c.id
        )));
        assert!(c
            .svg
            .contains(&format!("<title id=\"chart-{}-title\">", c.id)));
        assert!(c
            .svg
            .contains(&format!("<desc id=\"chart-{}-desc\">", c.id)));
        assert_well_formed(&c.svg);
    }
}

#[test]
fn colours_follow_the_page_and_background_is_transparent() {
    for c in render_all(&fixture_summary(), None, &Config::default()).unwrap() {
        for sentinel in [INK_SVG, GRID_SVG, HATCH_SVG] {
            assert!(!c.svg.contains(sentinel), "{} still has {sentinel}", c.id);
        }
        assert!(!c.svg.contains(FONT_SENTINEL));
        assert!(!c.svg.to_uppercase().contains("#FFFFFF"), "{}", c.id);
        assert!(c.svg.contains("fill=\"currentColor\""));
        assert!(c.svg.contains("stroke=\"currentColor\""));
        // No full-size background rectangle.
        for r in rects(&c.svg) {
            assert!(
                !(attr(r, "x") == Some("0") && attr(r, "width") == Some("720")),
                "{r}"
            );
        }
        for size in c.svg.split("font-size=\"").skip(1) {
            let value = &size[..size.find('"').unwrap()];
            // Whole pixels (or one decimal), never float noise like 13.000000000000002.
            assert!(value.parse::<f64>().is_ok(), "{value}");
            assert!(
                value.split('.').nth(1).is_none_or(|d| d.len() == 1),
                "{value}"
            );
        }
    }
}

#[test]
fn categories_show_every_label_and_value() {
    let summary = fixture_summary();
    let config = Config::default();
    let charts = render_all(&summary, None, &config).unwrap();
    let svg = &chart(&charts, "categories").svg;
    let shown = texts(svg).join(" ");
    for (key, value) in &summary.by_category {
        let label = config.taxonomy.category_label(key);
        // Long labels may be wrapped over two lines: every word must be there.
        for word in label.split_whitespace() {
            assert!(shown.contains(word), "missing {word} of {label}");
        }
        if let Some(v) = value {
            assert!(texts(svg).contains(&v.to_string()), "missing value {v}");
        }
    }
    for g in &config.taxonomy.category_groups {
        assert!(texts(svg).contains(&g.label), "legend lacks {}", g.label);
    }
}

#[test]
fn categories_are_sorted_by_count_then_taxonomy_order() {
    let summary = fixture_summary();
    let config = Config::default();
    let spec = categories(&Counted::reports(&summary, &config.words), &config);
    let values: Vec<Count> = spec.figure.slots.iter().map(|s| s.bars[0].value).collect();
    let published: Vec<u64> = values
        .iter()
        .take_while(|v| matches!(v, Some(x) if *x > 0))
        .flatten()
        .copied()
        .collect();
    assert!(published.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    assert_eq!(values.last(), Some(&Some(0)));
    assert_eq!(values.iter().filter(|v| v.is_none()).count(), 2);
}

#[test]
fn suppressed_cells_are_placeholders_not_bars() {
    let summary = fixture_summary();
    let config = Config::default();
    let charts = render_all(&summary, None, &config).unwrap();
    let cases: [(&str, Vec<Count>, usize); 5] = [
        (
            "categories",
            summary.by_category.values().copied().collect(),
            2,
        ),
        (
            "levels",
            summary.by_moderation_level.values().copied().collect(),
            0,
        ),
        (
            "platforms",
            summary.by_platform.values().copied().collect(),
            0,
        ),
        (
            "resolution",
            summary
                .resolution_days
                .histogram
                .values()
                .copied()
                .collect(),
            0,
        ),
        (
            "appeals",
            summary.appeals.by_outcome.values().copied().collect(),
            0,
        ),
    ];
    for (id, values, legend_swatches) in cases {
        let c = chart(&charts, id);
        let hidden = values.iter().filter(|v| v.is_none()).count();
        let drawn = values
            .iter()
            .filter(|v| matches!(v, Some(x) if *x > 0))
            .count();
        assert!(hidden > 0, "fixture should suppress a {id} cell");
        let hatch = format!("fill=\"url(#chart-{id}-hatch)\"");
        let placeholders: Vec<&str> = rects(&c.svg)
            .into_iter()
            .filter(|r| r.contains(&hatch))
            .collect();
        assert_eq!(placeholders.len(), hidden, "{id}");
        for p in &placeholders {
            let w: i32 = attr(p, "width").unwrap().parse().unwrap();
            let h: i32 = attr(p, "height").unwrap().parse().unwrap();
            assert!(w.min(h) <= STUB + 1 && w.min(h) > 0, "{id}: {p}");
            assert!(
                if id == "categories" || id == "platforms" {
                    w == STUB
                } else {
                    h == STUB
                },
                "{id}: {p}"
            );
        }
        let solid = rects(&c.svg)
            .into_iter()
            .filter(|r| {
                PALETTE.iter().any(|p| {
                    attr(r, "fill") == Some(format!("#{:02X}{:02X}{:02X}", p.0, p.1, p.2).as_str())
                })
            })
            .count();
        assert_eq!(
            solid,
            drawn + legend_swatches,
            "{id}: only published counts are bars"
        );
        let labels = texts(&c.svg);
        assert_eq!(
            labels.iter().filter(|t| *t == SUPPRESSED).count(),
            hidden,
            "{id}"
        );
        assert!(
            c.description.contains("uppressed"),
            "{id}: {}",
            c.description
        );
        assert!(c.description.contains("privacy"), "{id}: {}", c.description);
        assert!(
            c.description
                .contains(&format!("below {}", config.min_cell)),
            "{id}: {}",
            c.description
        );
    }
    let cat = chart(&charts, "categories");
    assert!(
        cat.description.contains("“Sexual orientation”"),
        "{}",
        cat.description
    );
    assert!(
        cat.description.contains("“Marital or family status”"),
        "{}",
        cat.description
    );
    let monthly = chart(&charts, "monthly");
    assert!(
        monthly.description.contains("reports in February 2025"),
        "{}",
        monthly.description
    );
    assert!(
        monthly.description.contains("decisions in May 2025"),
        "{}",
        monthly.description
    );
    assert_eq!(
        rects(&monthly.svg)
            .iter()
            .filter(|r| r.contains("url(#chart-monthly-hatch)"))
            .count(),
        2
    );
}

/// "No cases were resolved …" or "The committee received no cases …".
fn says_none(text: &str) -> bool {
    text.starts_with("No ") || text.contains(" received no ")
}

#[test]
fn all_zero_and_empty_data_still_draw() {
    // A report of a period without cases that shows every table with zeros (the short one
    // draws no chart, below).
    let mut config = Config::default();
    config.report.empty = crate::config::EmptyPeriod::Tables;
    let charts = render_all(&zero_summary(), None, &config).unwrap();
    assert_eq!(charts.len(), 6);
    assert!(render_all(&zero_summary(), None, &Config::default())
        .unwrap()
        .is_empty());
    for c in &charts {
        assert!(!c.svg.contains("NaN") && !c.svg.contains("inf"), "{}", c.id);
        let shown = texts(&c.svg);
        assert!(shown.iter().any(|t| says_none(t)), "{}: {shown:?}", c.id);
        // Axis 0..1.
        assert!(shown.contains(&"1".to_string()), "{}", c.id);
        assert!(says_none(&c.description), "{}: {}", c.id, c.description);
    }
    let summary = fixture_summary();
    let mut hidden = summary.clone();
    for c in [
        &mut hidden.by_category,
        &mut hidden.by_platform,
        &mut hidden.by_moderation_level,
        &mut hidden.appeals.by_outcome,
        &mut hidden.resolution_days.histogram,
    ] {
        c.values_mut().for_each(|v| *v = None);
    }
    hidden.monthly.iter_mut().for_each(|m| {
        m.reported = None;
        m.resolved = None;
    });
    assert_eq!(
        render_all(&hidden, None, &Config::default()).unwrap().len(),
        6
    );
}

#[test]
fn huge_counts_and_long_labels_do_not_panic() {
    let mut summary = fixture_summary();
    summary
        .by_platform
        .values_mut()
        .for_each(|v| *v = Some(u64::MAX));
    summary
        .by_moderation_level
        .values_mut()
        .for_each(|v| *v = Some(9_876_543_210));
    let mut config = Config::default();
    config.taxonomy.platforms[0].label = "A platform with a very long name that must wrap over more than one line of the label column & <escape>".into();
    let charts = render_all(&summary, None, &config).unwrap();
    let svg = &chart(&charts, "platforms").svg;
    assert!(svg.contains("&amp;"));
    assert!(svg.contains("&lt;escape&gt;"));
    assert!(!svg.contains("<escape>"));
    for c in &charts {
        assert_well_formed(&c.svg);
    }
}

#[test]
fn month_labels_add_the_year_only_when_the_period_spans_years() {
    let mut summary = fixture_summary();
    let charts = render_all(&summary, None, &Config::default()).unwrap();
    let shown = texts(&chart(&charts, "monthly").svg);
    assert!(shown.contains(&"Jan".to_string()) && shown.contains(&"Dec".to_string()));
    for (i, m) in summary.monthly.iter_mut().enumerate() {
        let (y, mo) = if i < 4 { (2024, i + 9) } else { (2025, i - 3) };
        m.month = format!("{y}-{mo:02}");
    }
    let charts = render_all(&summary, None, &Config::default()).unwrap();
    let shown = texts(&chart(&charts, "monthly").svg);
    assert!(
        shown.contains(&"Sep".to_string()) && shown.contains(&"2024".to_string()),
        "{shown:?}"
    );
    assert!(shown.contains(&"2025".to_string()), "{shown:?}");
}

#[test]
fn descriptions_carry_the_key_numbers() {
    let charts = render_all(&fixture_summary(), None, &Config::default()).unwrap();
    let d = |id| chart(&charts, id).description.clone();
    assert!(
        d("categories").contains("Harassment on protected grounds was cited in 68 cases"),
        "{}",
        d("categories")
    );
    assert!(
        d("levels").contains("Level A: 48") && d("levels").contains("Level D: suppressed"),
        "{}",
        d("levels")
    );
    assert!(
        d("platforms").contains("ALA Connect: 61"),
        "{}",
        d("platforms")
    );
    assert!(
        d("resolution").contains("Under 1 day: 12; 1 to under 7 days: 41"),
        "{}",
        d("resolution")
    );
    assert!(
        d("resolution").contains("median was 6.3 days"),
        "{}",
        d("resolution")
    );
    assert!(
        d("appeals").contains("Decision upheld: 5"),
        "{}",
        d("appeals")
    );
    assert!(d("appeals").contains("37.5%"), "{}", d("appeals"));
    assert!(
        d("monthly").contains("Reports peaked at 13 in March 2025"),
        "{}",
        d("monthly")
    );
}

fn luminance(c: RGBColor) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn palette_has_3_to_1_contrast_on_light_and_dark_pages() {
    for c in PALETTE {
        let light = contrast(c, LIGHT_BACKGROUND);
        let dark = contrast(c, DARK_BACKGROUND);
        assert!(light >= 3.0, "{c:?} on white: {light:.2}");
        assert!(dark >= 3.0, "{c:?} on dark: {dark:.2}");
    }
}

#[test]
fn scale_uses_whole_nice_steps() {
    let s = Scale::for_peak(0);
    assert_eq!((s.max, s.step), (1, 1));
    let s = Scale::for_peak(41);
    assert_eq!((s.max, s.step), (50, 10));
    let s = Scale::for_peak(7);
    assert_eq!((s.max, s.step), (8, 2));
    let s = Scale::for_peak(u64::MAX);
    assert!(s.max >= s.step && s.step > 0);
}
