//! `sample`: a deterministic synthetic case export (SPEC §3) for demos, tests and benchmarks.
//!
//! The same (rows, year, seed, config) must give a byte-identical file on every machine, for
//! ever, because published examples and benchmark baselines are pinned by hash. Hence:
//! - the PRNG (SplitMix64) lives here, not in `rand`, whose streams change between versions;
//! - every probability is an integer weight: no `ln`/`exp`, whose last bit differs between
//!   maths libraries, so no float ever decides a value;
//! - only ordered collections are iterated.
//!
//! The export looks like what a tracker gives on a day shortly after the year ends: rows in
//! the order cases arrived, case ids counting up, and whatever happened after that day not
//! yet recorded (open cases, pending appeals).
//!
//! Speed matters because the benchmarks use 10-million-row files: each row is formatted by
//! hand into one reused buffer, and time zone offsets come from a per-hour cache instead of
//! a chrono-tz lookup per timestamp.
//!
//! ```text
//! mod.rs        options, errors, generate(): the buffered write loop
//! generator.rs  one case's life: the draws for each column, in a fixed order, into a row
//! weights.rs    the numbers that shape the year: frequencies, severities, durations
//! arrivals.rs   when reports arrive: season, weekday, hour, in time order
//! rng.rs        the PRNG and the weighted tables drawn from
//! zone.rs       UTC offsets of the configured zone, cached per hour
//! write.rs      the fast text: dates, times, offsets, decimals, case ids
//! ```
//! Business days and day numbers come from `config::calendar`, shared with the figures.

mod arrivals;
mod generator;
mod rng;
mod weights;
mod write;
mod zone;

use std::io::Write;

use crate::config::Config;

use generator::Generator;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Data rows, not counting the header.
    pub rows: u64,
    /// The year (local dates in `config.timezone`) the cases were reported in.
    pub year: i32,
    pub seed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error("{WRITE_FAILED}: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot generate a sample export: {0}")]
    Invalid(String),
}

// `error.rs` imports no sibling module, so the generator wraps its own errors for the
// commands. Writing is I/O (exit 2 like any other); bad options are usage errors.
impl From<SampleError> for crate::error::Error {
    fn from(e: SampleError) -> Self {
        match e {
            SampleError::Io(source) => crate::error::Error::io(WRITE_FAILED, source),
            invalid => crate::error::Error::Usage(invalid.to_string()),
        }
    }
}

const WRITE_FAILED: &str = "cannot write the sample export";

/// The header row, in the column order of SPEC §3.
pub const HEADER: &str = "case_id,reported_at,platform,category,moderation_level,reporter_type,\
action,suspension_days,interim_suspension,acknowledged_at,resolved_at,\
decision_communicated_at,appeal_filed_at,appeal_decided_at,appeal_outcome,incident_id\n";

/// Writes a CSV export (header + `rows` rows) for cases reported in `year`, local time of
/// `config.timezone`, using `config.taxonomy` keys and `config.appealable_levels` /
/// `appeal_window_days`.
pub fn generate<W: Write>(
    opts: &SampleOptions,
    config: &Config,
    mut out: W,
) -> Result<(), SampleError> {
    let mut generator = Generator::new(opts, config)?;
    let mut buf = Vec::with_capacity(BUF_SIZE + 4096);
    buf.extend_from_slice(HEADER.as_bytes());
    for _ in 0..opts.rows {
        generator.write_row(&mut buf);
        if buf.len() >= BUF_SIZE {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(())
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Large writes, and a single allocation for the whole run.
const BUF_SIZE: usize = 1 << 20;

#[cfg(test)]
mod tests;
