//! `[report]`: which sections the report has, in which order, and how it reads.
//!
//! The summary opens every report and the methodology closes it (they say what the report
//! covers and how to read it); every other section can be moved or left out. A section left
//! out is not published anywhere: not on the page, in the Markdown, a chart, a data file or
//! `summary.json` (whose figures for it are `null`, and listed under `left_out`). A PSF-style
//! report, which publishes no month-by-month figures, leaves `monthly` out.

use serde::{Deserialize, Serialize};

/// A section of the report between the summary and the methodology.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Compared with earlier periods (with `history` in the config).
    History,
    /// The committee's own words.
    Narrative,
    /// How to report, who responded, policy and committee changes (`[process]`).
    Process,
    /// What the committee itself did (`[committee_activity]`).
    Committee,
    /// Sections of the document and their groups.
    Categories,
    /// Levels, actions and suspensions.
    Outcomes,
    /// The committee's public summaries of individual cases (`summaries` file).
    Summaries,
    Platforms,
    Reporters,
    /// How the reports arrived (`channel`).
    Channels,
    /// Cases referred to the police or another body (`referred_to`): counted, never described.
    Referrals,
    Handlers,
    People,
    /// Acknowledgement and time to a decision.
    Timeliness,
    Appeals,
    Monthly,
    /// Charts the template does not place elsewhere.
    OtherFigures,
}

impl Section {
    /// Every section, in the default order.
    pub const ALL: [Section; 17] = [
        Section::History,
        Section::Narrative,
        Section::Process,
        Section::Committee,
        Section::Categories,
        Section::Outcomes,
        Section::Summaries,
        Section::Platforms,
        Section::Reporters,
        Section::Channels,
        Section::Referrals,
        Section::Handlers,
        Section::People,
        Section::Timeliness,
        Section::Appeals,
        Section::Monthly,
        Section::OtherFigures,
    ];

    /// Its name in the config, `summary.json` and the templates.
    pub fn key(self) -> &'static str {
        match self {
            Section::History => "history",
            Section::Narrative => "narrative",
            Section::Process => "process",
            Section::Committee => "committee",
            Section::Categories => "categories",
            Section::Outcomes => "outcomes",
            Section::Summaries => "summaries",
            Section::Platforms => "platforms",
            Section::Reporters => "reporters",
            Section::Channels => "channels",
            Section::Referrals => "referrals",
            Section::Handlers => "handlers",
            Section::People => "people",
            Section::Timeliness => "timeliness",
            Section::Appeals => "appeals",
            Section::Monthly => "monthly",
            Section::OtherFigures => "other_figures",
        }
    }
}

/// How the report reads.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// Key figures, charts and tables, with a table of contents.
    #[default]
    Full,
    /// Prose first, as the PSF's reports read: the key figures in sentences, tables without
    /// charts, no table of contents.
    Compact,
}

/// What the report of a period without cases holds.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EmptyPeriod {
    /// A short report: the summary says so in the community's words (`[words] no_cases`,
    /// `no_cases_meaning`), followed by the sections that do not count cases (history, the
    /// committee's words and work) and the methodology. The data files still hold every
    /// table, with zeros, so that periods can be compared.
    #[default]
    Short,
    /// Every table, shown with zeros.
    Tables,
}

impl Section {
    /// The section counts cases, so a short report of a period without cases leaves it out.
    pub fn counts_cases(self) -> bool {
        !matches!(
            self,
            Section::History | Section::Narrative | Section::Process | Section::Committee
        )
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Layout {
    /// The sections between the summary and the methodology, in order. A section whose
    /// facts the export does not record is left out whether listed or not.
    pub sections: Vec<Section>,
    pub style: Style,
    /// A period without cases: a short report (default) or every table with zeros.
    pub empty: EmptyPeriod,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            sections: Section::ALL.to_vec(),
            style: Style::Full,
            empty: EmptyPeriod::Short,
        }
    }
}

impl Layout {
    /// The report has `section` (when its facts are recorded).
    pub fn shows(&self, section: Section) -> bool {
        self.sections.contains(&section)
    }

    /// The sections left out, in the default order.
    pub fn left_out(&self) -> Vec<Section> {
        Section::ALL
            .into_iter()
            .filter(|s| !self.shows(*s))
            .collect()
    }

    /// The layout of a published report from its `summary.json` `left_out`: every section
    /// but those (their order is not needed to read the figures).
    pub fn leaving_out(left_out: &[String]) -> Layout {
        Layout {
            sections: Section::ALL
                .into_iter()
                .filter(|s| !left_out.iter().any(|k| k == s.key()))
                .collect(),
            style: Style::Full,
            empty: EmptyPeriod::Short,
        }
    }

    pub fn is_default(&self) -> bool {
        *self == Layout::default()
    }

    /// Rules serde cannot express.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.sections {
            if !seen.insert(*s) {
                return Err(format!(
                    "`report.sections` lists \"{}\" twice; list each section once, in the order the report shows them",
                    s.key()
                ));
            }
        }
        if !self.shows(Section::Categories) {
            return Err(
                "`report.sections` must include \"categories\": every report counts the sections of its document"
                    .into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Layout, String> {
        let l: Layout = toml::from_str(text).map_err(|e| e.to_string())?;
        l.check()?;
        Ok(l)
    }

    #[test]
    fn the_default_shows_every_section_in_order() {
        let l = parse("").unwrap();
        assert_eq!(l.sections, Section::ALL.to_vec());
        assert!(l.left_out().is_empty());
        assert_eq!(l.style, Style::Full);
    }

    #[test]
    fn a_section_can_be_moved_or_left_out() {
        let l = parse(
            r#"sections = ["committee", "categories", "narrative"]
style = "compact""#,
        )
        .unwrap();
        assert!(l.shows(Section::Narrative));
        assert!(!l.shows(Section::Monthly));
        assert_eq!(l.left_out().len(), 14);
        assert_eq!(l.left_out()[0], Section::History);
        assert_eq!(l.style, Style::Compact);
    }

    #[test]
    fn bad_lists_are_refused_with_the_reason() {
        let twice = parse(r#"sections = ["categories", "monthly", "monthly"]"#).unwrap_err();
        assert!(twice.contains("\"monthly\" twice"), "{twice}");
        let no_categories = parse(r#"sections = ["monthly"]"#).unwrap_err();
        assert!(no_categories.contains("must include \"categories\""));
        let unknown = parse(r#"sections = ["categories", "summary"]"#).unwrap_err();
        assert!(unknown.contains("unknown variant `summary`"), "{unknown}");
        assert!(parse(r#"style = "short""#).is_err());
    }
}
