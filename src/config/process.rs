//! `[process]`: how someone could report and who responded, and what changed in the period
//! (the policy, the committee), as good reports publish them (PyCon US 2022: "a total of 7
//! reports, all made via email"; The Carpentries: "There were 2 policy changes"). Plain
//! text the committee writes for publication, shown where given.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Process {
    /// How someone could report (email, form, hotline, in person) and where that was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_to_report: Option<String>,
    /// Who responded to reports (committee members, trained volunteers, staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who_responded: Option<String>,
    /// Changes to the policy or how reports are handled; `[]` says there were none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_changes: Option<Vec<String>>,
    /// Members who joined or left the committee; `[]` says no one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_changes: Option<Vec<String>>,
}

impl Process {
    /// Anything to show: an empty `[process]` table would be a section with no text.
    pub fn is_empty(&self) -> bool {
        self.how_to_report.is_none()
            && self.who_responded.is_none()
            && self.policy_changes.is_none()
            && self.committee_changes.is_none()
    }

    /// An empty text would leave an empty slot in the report.
    pub fn check(&self) -> Result<(), String> {
        let texts = [
            (
                "how_to_report",
                self.how_to_report.iter().collect::<Vec<_>>(),
            ),
            ("who_responded", self.who_responded.iter().collect()),
            (
                "policy_changes",
                self.policy_changes.iter().flatten().collect(),
            ),
            (
                "committee_changes",
                self.committee_changes.iter().flatten().collect(),
            ),
        ];
        for (key, values) in texts {
            if values.iter().any(|v| v.trim().is_empty()) {
                return Err(format!(
                    "`process.{key}` must not be empty (leave the key out, or for a list write [] to say there were none)"
                ));
            }
        }
        Ok(())
    }
}
