//! The numbers that shape a synthetic year: how often each kind of case comes, how severe it
//! is, how long each step takes. Tuned so the sample report shows every figure of SPEC §5
//! with plausible values; changing any of them changes every sample export byte for byte.

use super::{DAY, HOUR, MINUTE};

/// The export is taken at local midnight this many days into the next year: anything later
/// is simply not in the file yet (decisions, replies, appeals).
pub(super) const EXPORT_DAYS_AFTER_YEAR: i64 = 10;

/// Cases stuck without a decision at any time of the year (per mille).
pub(super) const STALLED_PER_MILLE: u64 = 10;
/// Cases of the year's last `BACKLOG_DAYS` days left for after the holidays (per mille):
/// with the natural lag this puts most open cases in December.
pub(super) const BACKLOG_PER_MILLE: u64 = 550;
pub(super) const BACKLOG_DAYS: i64 = 31;

/// Cases that list 2–3 Code sections (per mille).
pub(super) const MULTI_CATEGORY_PER_MILLE: u64 = 125;
/// Reports about an incident already reported shortly before (per mille).
pub(super) const SAME_INCIDENT_PER_MILLE: u64 = 110;
/// How many of the latest incidents a further report may be about.
pub(super) const RECENT_INCIDENTS: usize = 6;

// Severity profiles of categories: they tilt the moderation level.
pub(super) const MINOR: usize = 0;
pub(super) const USUAL: usize = 1;
pub(super) const SEVERE: usize = 2;

/// Relative frequency of the ALA categories; a key not listed here (another community's
/// taxonomy) gets `UNKNOWN_CATEGORY_WEIGHT`. Harassment grounds dominate, `other` is rare.
pub(super) const CATEGORY_WEIGHTS: [(&str, u32, usize); 22] = [
    ("race_ethnicity", 140, USUAL),
    ("sex_gender", 130, USUAL),
    ("language", 25, USUAL),
    ("sexual_orientation", 75, USUAL),
    ("disability", 55, USUAL),
    ("appearance", 40, USUAL),
    ("age", 35, USUAL),
    ("religion_politics", 110, USUAL),
    ("marital_family", 15, USUAL),
    ("nationality_location", 45, USUAL),
    ("employment_military", 20, USUAL),
    ("socioeconomic", 25, USUAL),
    ("prohibited_content", 80, SEVERE),
    ("intimidation", 85, SEVERE),
    ("intellectual_property", 30, MINOR),
    ("political_endorsement", 45, MINOR),
    ("paid_promotion", 60, MINOR),
    ("job_posting", 50, MINOR),
    ("accessibility", 20, MINOR),
    ("impersonation", 15, SEVERE),
    ("sharing_member_content", 35, MINOR),
    ("other", 8, USUAL),
];
pub(super) const UNKNOWN_CATEGORY_WEIGHT: u32 = 50;

pub(super) const PLATFORM_WEIGHTS: [(&str, u32); 5] = [
    ("ala_connect", 56),
    ("social_media", 19),
    ("website", 12),
    ("blog", 8),
    ("online_publication", 5),
];

/// Level weights by tier (A, B, C, D for the ALA levels) for each severity profile.
pub(super) const LEVEL_WEIGHTS: [[u32; 4]; 3] =
    [[60, 28, 9, 3], [34, 32, 21, 13], [14, 28, 30, 28]];

/// Action weights by tier: a minor case ends in a discussion, a severe one in a suspension.
pub(super) const ACTION_WEIGHTS: [(&str, [u32; 4]); 6] = [
    ("no_action", [30, 0, 0, 0]),
    ("discussion", [55, 5, 0, 0]),
    ("warning", [15, 45, 10, 0]),
    ("content_removed", [0, 50, 20, 0]),
    ("temporary_suspension", [0, 0, 70, 55]),
    ("full_suspension", [0, 0, 0, 45]),
];

/// Suspension lengths in days by tier (only tiers that suspend use theirs).
pub(super) const SUSPENSION_DAYS: [&[(u32, u64)]; 4] = [
    &[(1, 7)],
    &[(1, 7)],
    &[(35, 7), (25, 14), (10, 21), (30, 30)],
    &[(30, 30), (15, 45), (30, 60), (25, 90)],
];

/// Time from report to decision by tier, as (weight, from, to) spans: hours to days for the
/// minor cases, weeks to months for the severe ones, with a tail past 90 days.
pub(super) const RESOLUTION: [&[(u32, i64, i64)]; 4] = [
    &[
        (30, HOUR, 8 * HOUR),
        (30, 8 * HOUR, DAY),
        (28, DAY, 3 * DAY),
        (9, 3 * DAY, 7 * DAY),
        (3, 7 * DAY, 21 * DAY),
    ],
    &[
        (15, 6 * HOUR, DAY),
        (30, DAY, 3 * DAY),
        (30, 3 * DAY, 7 * DAY),
        (20, 7 * DAY, 21 * DAY),
        (5, 21 * DAY, 60 * DAY),
    ],
    &[
        (10, DAY, 3 * DAY),
        (25, 3 * DAY, 7 * DAY),
        (45, 7 * DAY, 30 * DAY),
        (17, 30 * DAY, 90 * DAY),
        (3, 90 * DAY, 150 * DAY),
    ],
    &[
        (15, 5 * DAY, 14 * DAY),
        (30, 14 * DAY, 30 * DAY),
        (30, 30 * DAY, 60 * DAY),
        (15, 60 * DAY, 90 * DAY),
        (10, 90 * DAY, 200 * DAY),
    ],
];

/// Decision taken → decision sent to the parties.
pub(super) const COMMUNICATION: [(u32, i64, i64); 4] = [
    (50, 2 * MINUTE, 2 * HOUR),
    (30, 2 * HOUR, DAY),
    (17, DAY, 4 * DAY),
    (3, 4 * DAY, 10 * DAY),
];

/// Appeal filed → decided.
pub(super) const APPEAL_DECISION: [(u32, i64, i64); 3] = [
    (35, 3 * DAY, 14 * DAY),
    (45, 14 * DAY, 35 * DAY),
    (20, 35 * DAY, 80 * DAY),
];

pub(super) const REPORTERS: [(u32, &str); 3] =
    [(65, "named"), (25, "anonymous"), (10, "moderator")];
pub(super) const OUTCOMES: [(u32, &str); 4] = [
    (58, "upheld"),
    (14, "modified"),
    (12, "overturned"),
    (16, "withdrawn"),
];
/// An appeal the Code does not allow (wrong level, too late) is dismissed or dropped.
pub(super) const DISMISSED_OUTCOMES: [(u32, &str); 2] = [(70, "upheld"), (30, "withdrawn")];

/// Appeal chance (per mille) after a communicated decision, on appealable levels and others.
pub(super) const APPEAL_PER_MILLE: u64 = 330;
pub(super) const INELIGIBLE_APPEAL_PER_MILLE: u64 = 5;
pub(super) const LATE_APPEAL_PER_MILLE: u64 = 60;
