//! The export format of SPEC §3: its columns, the values of its fixed enums, and the range of
//! dates it may hold. Everything that reads or writes an export (load, config, synth) names a
//! column or a value from here, never by its position, so adding a column is one line below.
//!
//! At the floor of the crate: it imports no sibling module.

use std::ops::{Index, IndexMut};

use chrono::{Datelike, NaiveDate};

/// Declares `Column`, `COLUMNS` and `N_COLUMNS` from one list, so the names, the order and
/// the count cannot disagree.
macro_rules! columns {
    ($($column:ident = $name:literal, $need:ident;)*) => {
        /// A column of the export, in documentation order (the order of [`COLUMNS`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Column {
            $($column),*
        }

        impl Column {
            /// Every column, in documentation order.
            pub const ALL: [Column; N_COLUMNS] = [$(Column::$column),*];

            /// The column's name in the export's header.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Column::$column => $name),*
                }
            }

            /// A row without a value here is invalid (and a header without it, unreadable).
            pub const fn required(self) -> bool {
                match self {
                    $(Column::$column => matches!(Need::$need, Need::Required)),*
                }
            }
        }

        /// The column names of the export format, in documentation order.
        pub const COLUMNS: [&str; N_COLUMNS] = [$($name),*];
        pub const N_COLUMNS: usize = [$($name),*].len();
    };
}

enum Need {
    Required,
    Optional,
}

columns! {
    CaseId = "case_id", Required;
    ReportedAt = "reported_at", Required;
    Platform = "platform", Optional;
    Category = "category", Required;
    ModerationLevel = "moderation_level", Optional;
    ReporterType = "reporter_type", Optional;
    Action = "action", Optional;
    SuspensionDays = "suspension_days", Optional;
    InterimSuspension = "interim_suspension", Optional;
    AcknowledgedAt = "acknowledged_at", Optional;
    ResolvedAt = "resolved_at", Optional;
    DecisionCommunicatedAt = "decision_communicated_at", Optional;
    AppealFiledAt = "appeal_filed_at", Optional;
    AppealDecidedAt = "appeal_decided_at", Optional;
    AppealOutcome = "appeal_outcome", Optional;
    IncidentId = "incident_id", Optional;
    HandledBy = "handled_by", Optional;
    PersonRef = "person_ref", Optional;
    Channel = "channel", Optional;
    ReferredTo = "referred_to", Optional;
}

/// The required columns, in documentation order (the order their problems are listed in).
pub const REQUIRED: [Column; N_REQUIRED] = {
    let mut out = [Column::CaseId; N_REQUIRED];
    let (mut i, mut n) = (0, 0);
    while i < N_COLUMNS {
        if Column::ALL[i].required() {
            out[n] = Column::ALL[i];
            n += 1;
        }
        i += 1;
    }
    out
};
const N_REQUIRED: usize = {
    let (mut i, mut n) = (0, 0);
    while i < N_COLUMNS {
        n += Column::ALL[i].required() as usize;
        i += 1;
    }
    n
};

impl Column {
    /// Position in [`COLUMNS`] and in a [`ByColumn`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The column named `name` exactly (header names are lower case).
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// One value per column of the format, indexed by [`Column`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByColumn<T>(pub [T; N_COLUMNS]);

impl<T> ByColumn<T> {
    /// Each column with its value, in documentation order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, &T)> {
        Column::ALL.into_iter().zip(&self.0)
    }
}

impl<T> Index<Column> for ByColumn<T> {
    type Output = T;
    fn index(&self, c: Column) -> &T {
        &self.0[c.index()]
    }
}

impl<T> IndexMut<Column> for ByColumn<T> {
    fn index_mut(&mut self, c: Column) -> &mut T {
        &mut self.0[c.index()]
    }
}

/// Declares an enum of the export whose keys are fixed by the format (not by the taxonomy),
/// with its keys in order: a value's code in the case table is its position.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident, $keys:ident { $($value:ident = $key:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($value),*
        }

        impl $name {
            /// The value's key in the export.
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$value => $key),*
                }
            }

            /// The value's code in the case table: its position in the keys.
            pub const fn code(self) -> u8 {
                self as u8
            }
        }

        /// The keys, in the order of their codes (and of the published tables).
        pub const $keys: [&str; [$($key),*].len()] = [$($key),*];
    };
}

keys! {
    /// `reporter_type`: who reported the case.
    ReporterType, REPORTER_TYPES {
        Named = "named",
        Anonymous = "anonymous",
        Moderator = "moderator",
    }
}

keys! {
    /// `appeal_outcome`; `Pending` is also what an appeal filed without an outcome counts as.
    AppealOutcome, APPEAL_OUTCOMES {
        Upheld = "upheld",
        Overturned = "overturned",
        Modified = "modified",
        Withdrawn = "withdrawn",
        Pending = "pending",
    }
}

/// Oldest and newest years accepted: outside them a date is certainly a typo or a placeholder.
/// This is the one range of the tool: every date of the export (timestamps and date-only
/// values, by their local date in the configured time zone), the config's period and
/// `--year`/`--from`/`--to` must lie in 1900-01-01 ..= 2999-12-31.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2999;

/// A date outside [`MIN_YEAR`]..=[`MAX_YEAR`] is refused with this message.
pub fn check_date(d: NaiveDate) -> Result<NaiveDate, String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(year_out_of_range(d.year()))
    }
}

pub fn year_out_of_range(year: i32) -> String {
    format!("year {year} is outside {MIN_YEAR}–{MAX_YEAR}; check the date")
}

#[cfg(test)]
mod tests;
