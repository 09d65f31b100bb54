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
}

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
        Ok(())
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
