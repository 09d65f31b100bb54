//! `[slide]`: an initial report for the closing session of an event (a conference gives one
//! at its closing session and publishes the full report within a month). When the table is
//! there, `build` also writes `slide.html` and `slide.svg`: one 1920×1080 page of the few
//! headline figures, from the same summary and with the same suppression as the report.

use serde::{Deserialize, Serialize};

/// The most sections and actions a slide lists: more would not be read from the back of a
/// room.
pub const MAX_LISTED: u8 = 4;
/// The longest note: one line under the figures.
pub const MAX_NOTE: usize = 160;

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Slide {
    /// How many of the largest published sections of the document to list (0 = none).
    pub sections: u8,
    /// How many of the largest published actions to list (0 = none).
    pub actions: u8,
    /// A sentence of the committee's own words at the foot of the slide, e.g. where and when
    /// the full report will be published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Default for Slide {
    fn default() -> Self {
        Slide {
            sections: 3,
            actions: 3,
            note: None,
        }
    }
}

impl Slide {
    pub fn check(&self) -> Result<(), String> {
        for (key, n) in [("sections", self.sections), ("actions", self.actions)] {
            if n > MAX_LISTED {
                return Err(format!(
                    "`slide.{key}` is {n}: a slide lists at most {MAX_LISTED}, to stay readable from the back of a room"
                ));
            }
        }
        if let Some(note) = &self.note {
            if note.trim().is_empty() {
                return Err("`slide.note` must not be empty (leave the key out)".into());
            }
            if note.trim() != note || note.chars().any(char::is_control) {
                return Err(
                    "`slide.note` has leading or trailing spaces, or a line break: it is one line"
                        .into(),
                );
            }
            if note.chars().count() > MAX_NOTE {
                return Err(format!(
                    "`slide.note` is longer than {MAX_NOTE} characters: a slide has room for one line"
                ));
            }
        }
        Ok(())
    }
}
