//! Unit tests of `report`: the figures and sections of the page (here), with the fixture, the
//! safety of what the page prints and the templates each in their own file.

mod fixture;
mod safety;
mod templates;

use super::methodology::ack_deadline;
use super::view::Fmt;
use super::*;
use fixture::*;

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
