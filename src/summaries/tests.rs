use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::config::Config;

fn entries(csv: &str) -> Vec<Entry> {
    parse("summaries.csv", csv.as_bytes()).unwrap()
}

fn problems(csv: &[u8]) -> Vec<String> {
    parse("summaries.csv", csv).unwrap_err()
}

fn found(text: &str) -> Vec<(String, String)> {
    found_with(text, &BTreeMap::new())
}

fn found_with(text: &str, ids: &BTreeMap<String, &'static str>) -> Vec<(String, String)> {
    let allowed = screen::allowed_words(&Config::default());
    findings(text, &allowed, ids)
        .into_iter()
        .map(|f| (f.rule.key(), f.found))
        .collect()
}

fn pair(rule: &str, text: &str) -> (String, String) {
    (format!("rule: {rule}"), text.to_string())
}

#[test]
fn a_file_is_read_with_lines_kinds_and_confirmation() {
    let e = entries(
        "\u{feff}Kind,Status,Summary,Confirmed\r\n\
         harassment,Warning,\"One sentence, with a comma.\",yes\r\n\
         \r\n\
         ,,\"Two\nlines typed in a cell.\",no\r\n\
         other,,Third.,\r\n",
    );
    assert_eq!(e.len(), 3);
    assert_eq!(
        e[0],
        Entry {
            line: 2,
            kind: "harassment".into(),
            outcome: "Warning".into(),
            text: "One sentence, with a comma.".into(),
            confirmed: true,
            period: None,
        }
    );
    // The blank line 3 is skipped; line 4's cell spans two lines and is one sentence.
    assert_eq!(e[1].line, 4);
    assert_eq!(e[1].text, "Two lines typed in a cell.");
    assert!(!e[1].confirmed);
    assert_eq!((e[2].line, e[2].confirmed), (6, false));
    // kind and outcome may be left out of the header.
    let bare = entries("summary,confirmed\nA sentence.,TRUE\n");
    assert_eq!((bare[0].kind.as_str(), bare[0].confirmed), ("", true));
}

#[test]
fn every_problem_is_named_with_its_line() {
    let p = problems(b"kind,summary,notes\n");
    assert_eq!(
        p,
        [
            "summaries.csv:1: unknown column `notes`; the columns are kind, outcome, summary, confirmed, period (kind, outcome and period may be left out)",
            "summaries.csv:1: missing column `confirmed`; the columns are kind, outcome, summary, confirmed, period",
        ]
    );
    let p =
        problems(b"kind,summary,confirmed\nx,,yes\nx,Fine.,maybe\nx,Too,many,cells\nx,\xff,yes\n");
    assert_eq!(p.len(), 4, "{p:?}");
    assert!(p[0].starts_with("summaries.csv:2: column `summary` is empty"));
    assert!(p[1].starts_with("summaries.csv:3: column `confirmed`: value \"maybe\""));
    assert!(p[2].starts_with("summaries.csv:4: the row has 4 cells but the header 3"));
    assert_eq!(
        p[3],
        "summaries.csv:5: column `summary`: the cell is not UTF-8 text"
    );
    let long = format!("summary,confirmed\n{},yes\n", "a".repeat(601));
    assert!(problems(long.as_bytes())[0].contains("601 characters"));
    assert!(problems(b"")[0].contains("the file is empty"));
    assert!(problems(b"summary,summary,confirmed\n")[0].contains("`summary` appears twice"));
}

#[test]
fn ordinary_prose_is_silent() {
    for text in [
        "The Code of Conduct committee reached out to these speakers after the event.",
        "An organizer's laptop was stolen. The organizing team worked with security on-site.",
        "Several speakers made comments; we may follow up in 2025.",
        "We would like to thank the Django and Write the Docs community.",
        "A sticker with inappropriate language was discovered in the snack/break room.",
        "I asked them to stop, and 1 of 12 reports was about slides.",
        "Harassment was reported twice in March.",
    ] {
        assert_eq!(found(text), [], "{text}");
    }
}

#[test]
fn what_looks_identifying_is_named_by_rule() {
    assert_eq!(
        found("Organizers then spoke with Jane Doe about it."),
        [pair("name", "Jane Doe")]
    );
    // The first word of a sentence is not part of the name, the rest of the run is.
    assert_eq!(
        found("After that, Maria Lopez Garcia left. Then Bob Smith's talk ran."),
        [
            pair("name", "Maria Lopez Garcia"),
            pair("name", "Bob Smith")
        ]
    );
    assert_eq!(found("It was Dr. Smith."), [pair("name", "Dr Smith")]);
    assert_eq!(
        found("Write to coc@example.org or @jdoe_42, see https://example.org/x."),
        [
            pair("email", "coc@example.org"),
            pair("handle", "@jdoe_42"),
            pair("url", "https://example.org/x"),
        ]
    );
    assert_eq!(
        found("Posted on example.com/coc."),
        [pair("url", "example.com/coc")]
    );
    assert_eq!(
        found("On 2019-03-20 and 3/4/2019, and again on March 3rd and 4 May."),
        [
            pair("date", "2019-03-20"),
            pair("date", "3/4/2019"),
            pair("date", "March 3rd"),
            pair("date", "4 May"),
        ]
    );
    // Short forms, with and without a full stop; "Sept" too. "May" is its own short form.
    assert_eq!(
        found("We met on Sept 3, Mar 4th, 5 Dec, 7 May and 2 Jan."),
        [
            pair("date", "Sept 3"),
            pair("date", "Mar 4th"),
            pair("date", "5 Dec"),
            pair("date", "7 May"),
            pair("date", "2 Jan"),
        ]
    );
    // A month is no person's name: "Jane" alone is one word, not a name of two.
    assert!(found("Jane August came in March.").is_empty());
    assert_eq!(
        found("It happened on Saturday."),
        [pair("date", "Saturday")]
    );
    // Ids the build found in the export, matched as whole words.
    let ids = BTreeMap::from([("C2023-017".to_string(), "case_id")]);
    assert_eq!(
        found_with("Case C2023-017, then C2023-0170.", &ids),
        [pair("export id", "C2023-017")]
    );
    assert_eq!(
        Rule::ExportId("person_ref").what(),
        "a person_ref of the export"
    );
}

#[test]
fn the_community_s_own_names_are_not_names_of_people() {
    let cfg = Config {
        organisation: "Django Software Foundation".into(),
        ..Config::default()
    };
    let allowed = screen::allowed_words(&cfg);
    let none = BTreeMap::new();
    assert!(findings(
        "We told the Django Software Foundation board.",
        &allowed,
        &none
    )
    .is_empty());
    // A run with one word that is not the community's own still reads as a name.
    assert_eq!(
        findings("We told Django Reinhardt.", &allowed, &none)[0].found,
        "Django Reinhardt"
    );
}

#[test]
fn tokens_cover_the_ways_an_id_is_written() {
    let t = tokens("(ref. C-17), INC-9; P-0193.");
    for id in ["C-17", "INC-9", "P-0193"] {
        assert!(t.contains(id), "{id}: {t:?}");
    }
    assert!(!t.contains(""));
    let _: &BTreeSet<String> = &t;
}

/// The ALA tables with 4 in every section and group, `withheld_category` withheld, and
/// `action_count` warnings (every other action 0).
fn summary_with(withheld_category: &str, action_count: Option<u64>) -> crate::model::Summary {
    let period = crate::config::Period::new(
        None,
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    )
    .unwrap();
    let mut s = crate::compute::aggregate::aggregate(
        crate::load::CaseTable::default(),
        &Config::default(),
        &period,
        0,
        0,
    )
    .unwrap()
    .summary;
    for (k, v) in s.by_category.iter_mut() {
        *v = if k == withheld_category {
            None
        } else {
            Some(4)
        };
    }
    for v in s.by_category_group.values_mut() {
        *v = Some(4);
    }
    for (k, v) in s.by_action.iter_mut() {
        *v = if k == "warning" {
            action_count
        } else {
            Some(0)
        };
    }
    s.cases.total = Some(20);
    s
}

#[test]
fn a_summary_is_published_when_confirmed_and_naming_no_withheld_count() {
    let cfg = Config::default();
    let s = summary_with("age", Some(1));
    let e = entries(
        "kind,outcome,summary,confirmed\n\
         intimidation,warning,Confirmed and counted.,yes\n\
         age,,Of a withheld section.,yes\n\
         Intimidation,Warning,Two warnings but one counted.,yes\n\
         intimidation,,Not confirmed.,no\n\
         Something else,Open: following up,In the committee's own words.,yes\n",
    );
    let d = decide("summaries.csv", &e, &cfg, &s, &BTreeMap::new());
    let label = |k: &str| {
        cfg.taxonomy
            .categories
            .iter()
            .find(|c| c.key == k)
            .unwrap()
            .label
            .clone()
    };
    assert_eq!(
        d.published,
        [
            Published {
                kind: label("intimidation"),
                outcome: "Warning".into(),
                text: "Confirmed and counted.".into()
            },
            Published {
                kind: label("intimidation"),
                outcome: "Warning".into(),
                text: "Two warnings but one counted.".into()
            },
            Published {
                kind: "Something else".into(),
                outcome: "Open: following up".into(),
                text: "In the committee's own words.".into()
            },
        ]
    );
    assert_eq!((d.unconfirmed, d.withheld), (1, 1));
    assert_eq!(d.warnings.len(), 3, "{:#?}", d.warnings);
    assert!(d.warnings[0].starts_with(&format!(
        "summaries.csv:3: not published: the report withholds the count of the section \"{}\"",
        label("age")
    )));
    assert!(d.warnings[1].starts_with(
        "summaries.csv:5: not published: not confirmed (write `yes` in its `confirmed` column"
    ));
    assert_eq!(
        d.warnings[2],
        "summaries.csv: 2 published summaries are of the action \"Warning\", but the report counts 1: check their kinds and outcomes"
    );
}

#[test]
fn a_withheld_action_holds_its_summary_back_too() {
    let cfg = Config::default();
    let s = summary_with("", None);
    let e = entries("outcome,summary,confirmed\nwarning,A warning.,yes\n,No outcome.,yes\n");
    let d = decide("s.csv", &e, &cfg, &s, &BTreeMap::new());
    assert_eq!(d.published.len(), 1);
    assert_eq!(d.published[0].text, "No outcome.");
    assert!(d.warnings[0].contains("the count of the action \"Warning\""));
}

#[test]
fn a_confirmed_summary_with_a_warning_is_published_and_the_warning_printed() {
    let cfg = Config::default();
    let s = summary_with("", Some(5));
    let e = entries("summary,confirmed\nWe spoke with Jane Doe.,yes\nWe spoke with Jane Doe.,no\n");
    let d = decide("s.csv", &e, &cfg, &s, &BTreeMap::new());
    assert_eq!(d.published.len(), 1);
    assert_eq!(
        d.warnings[0],
        "s.csv:2: \"Jane Doe\" looks like a person's name (rule: name); the summary is confirmed, so it is published as written"
    );
    assert_eq!(
        d.warnings[1],
        "s.csv:3: \"Jane Doe\" looks like a person's name (rule: name); make sure the summary is anonymised before confirming it"
    );
}

#[test]
fn a_period_cell_is_read_as_periods_spells_it() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let fiscal = Some((d(2024, 9, 1), d(2025, 8, 31)));
    let e = parse_with(
        "summaries.csv",
        b"summary,period,confirmed\nA.,2025q3,yes\nB.,,yes\nC.,fy2025,no\n",
        fiscal,
    )
    .unwrap();
    let p = e[0].period.as_ref().unwrap();
    assert_eq!(
        (p.label.as_str(), p.start, p.end),
        ("2025Q3", d(2025, 7, 1), d(2025, 9, 30))
    );
    assert!(e[0].is_of("2025-07-01", "2025-09-30"));
    assert!(!e[0].is_of("2025-01-01", "2025-12-31"));
    assert_eq!(e[1].period, None);
    assert!(!e[1].is_of("2025-07-01", "2025-09-30"));
    let p = e[2].period.as_ref().unwrap();
    assert_eq!(
        (p.label.as_str(), p.start, p.end),
        ("FY2025", d(2024, 9, 1), d(2025, 8, 31))
    );
    // Without a fiscal year in the config, `FY2025` names no period: line 2, cell 2.
    let p = problems(b"summary,period,confirmed\nA.,FY2025,yes\n");
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("summaries.csv:2:2: column `period`: "),
        "{p:?}"
    );
}
