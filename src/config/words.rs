//! `[words]`: the community's own words for what the report talks about: its document, a
//! section of it, a case and the group that handles cases, and the report's title.
//!
//! Every key is optional; the defaults are the words of the ALA Online Code of Conduct
//! ("Code of Conduct", "section", "case", "the committee"). Sentences are written so that
//! no verb agrees with these words ("the committee's promise", not "the committee
//! promises"), so "the moderators" reads as well as "the working group".

use serde::{Deserialize, Serialize};

/// The default title: each `{…}` is replaced by that setting.
pub const DEFAULT_TITLE: &str = "{organisation} {document} transparency report {label}";

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Words {
    /// The report's title. `{organisation}`, `{document}` and `{label}` are replaced by the
    /// organisation, the document's name and the period's label.
    pub title: String,
    /// The document whose breaches are counted: "Code of Conduct", "Terms of Service".
    pub document: String,
    /// What one part of the document is called: "section", "clause", "rule".
    pub section: String,
    /// Its plural; default: `section` + "s".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<String>,
    /// What one counted item is called: "case", "report", "notice".
    pub case: String,
    /// Its plural; default: `case` + "s".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases: Option<String>,
    /// How a sentence names the people who handle cases, with its article:
    /// "the committee", "the Code of Conduct Working Group", "the moderators".
    pub committee: String,
    /// What the report says when the period has no cases, in the community's words
    /// ("There were no reports in {label}."). `{case}`, `{cases}`, `{committee}`,
    /// `{document}` and `{label}` are replaced. Default: [`DEFAULT_NO_CASES`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_cases: Option<String>,
    /// What a period without cases does and does not mean, placed after it.
    /// Default: [`DEFAULT_NO_CASES_MEANING`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_cases_meaning: Option<String>,
    /// The heading of the section on how the cases arrived (`channel`); default "How the
    /// {cases} arrived".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels_title: Option<String>,
    /// The heading of the section on cases referred elsewhere (`referred_to`): "Police
    /// matters"; default "{Cases} referred elsewhere".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrals_title: Option<String>,
}

/// What a report of a period without cases says.
/// Said through the committee, because "No reports were reported" reads badly whatever a
/// case is called.
pub const DEFAULT_NO_CASES: &str = "{committee} received no {cases} in this period.";
/// What that does and does not mean: readers take "no reports" as "nothing happened".
pub const DEFAULT_NO_CASES_MEANING: &str = "This does not show that nothing against the {document} happened: only that no {case} reached {committee} in this period.";
/// The placeholders the sentences about a period without cases may hold.
const NO_CASES_PLACEHOLDERS: [&str; 5] =
    ["{case}", "{cases}", "{committee}", "{document}", "{label}"];

impl Default for Words {
    fn default() -> Self {
        Words {
            title: DEFAULT_TITLE.into(),
            document: "Code of Conduct".into(),
            section: "section".into(),
            sections: None,
            case: "case".into(),
            cases: None,
            committee: "the committee".into(),
            no_cases: None,
            no_cases_meaning: None,
            channels_title: None,
            referrals_title: None,
        }
    }
}

impl Words {
    /// The plural of [`Words::section`].
    pub fn sections(&self) -> String {
        self.sections
            .clone()
            .unwrap_or_else(|| format!("{}s", self.section))
    }

    /// The plural of [`Words::case`].
    pub fn cases(&self) -> String {
        self.cases
            .clone()
            .unwrap_or_else(|| format!("{}s", self.case))
    }

    /// Empty words would leave an empty slot in a sentence; a brace left in the title would
    /// be a misspelt placeholder.
    pub fn check(&self) -> Result<(), String> {
        for (key, value) in [
            ("title", Some(&self.title)),
            ("document", Some(&self.document)),
            ("section", Some(&self.section)),
            ("sections", self.sections.as_ref()),
            ("case", Some(&self.case)),
            ("cases", self.cases.as_ref()),
            ("committee", Some(&self.committee)),
            ("no_cases", self.no_cases.as_ref()),
            ("no_cases_meaning", self.no_cases_meaning.as_ref()),
            ("channels_title", self.channels_title.as_ref()),
            ("referrals_title", self.referrals_title.as_ref()),
        ] {
            let Some(value) = value else { continue };
            if value.trim().is_empty() {
                return Err(format!("`words.{key}` must not be empty"));
            }
            if value.trim() != value || value.contains("  ") || value.contains('\n') {
                return Err(format!(
                    "`words.{key}`: \"{value}\" has leading, trailing or repeated spaces, or a line break"
                ));
            }
        }
        let rest = ["{organisation}", "{document}", "{label}"]
            .iter()
            .fold(self.title.clone(), |t, p| t.replace(p, ""));
        if rest.contains('{') || rest.contains('}') {
            return Err(format!(
                "`words.title`: \"{}\" has a placeholder other than {{organisation}}, {{document}} and {{label}}",
                self.title
            ));
        }
        for (key, value) in [
            ("no_cases", self.no_cases.as_ref()),
            ("no_cases_meaning", self.no_cases_meaning.as_ref()),
        ] {
            let Some(value) = value else { continue };
            let rest = NO_CASES_PLACEHOLDERS
                .iter()
                .fold(value.clone(), |t, p| t.replace(p, ""));
            if rest.contains('{') || rest.contains('}') {
                return Err(format!(
                    "`words.{key}`: \"{value}\" has a placeholder other than {}",
                    NO_CASES_PLACEHOLDERS.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The sentence of a report without cases and what it means, placeholders filled in.
    pub fn no_cases(&self, label: &str) -> (String, String) {
        let fill = |t: &str| {
            capitalise(
                &t.replace("{cases}", &self.cases())
                    .replace("{case}", &self.case)
                    .replace("{committee}", &self.committee)
                    .replace("{document}", &self.document)
                    .replace("{label}", label),
            )
        };
        (
            fill(self.no_cases.as_deref().unwrap_or(DEFAULT_NO_CASES)),
            fill(
                self.no_cases_meaning
                    .as_deref()
                    .unwrap_or(DEFAULT_NO_CASES_MEANING),
            ),
        )
    }

    /// The default sentence for a period without cases, e.g. "The committee received no cases
    /// in this period." (chart descriptions say it whatever `no_cases` is set to, since theirs
    /// must not name the period's label twice).
    pub fn none_received(&self) -> String {
        capitalise(&format!(
            "{} received no {} in this period.",
            self.committee,
            self.cases()
        ))
    }

    /// The title with its placeholders filled in.
    pub fn title(&self, organisation: &str, label: &str) -> String {
        self.title
            .replace("{organisation}", organisation)
            .replace("{document}", &self.document)
            .replace("{label}", label)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// First letter upper case, the rest as given: a sentence may open with a placeholder
/// ("{committee} received …"), and a sentence opens with a capital.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
