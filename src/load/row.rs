//! One row: each cell of the format checked by its rule (`cells`), the order of the events
//! checked, and a valid row pushed into the case table's columns.

use super::cells::{self, Stamp, TimestampParser};
use super::content;
use super::header::{ColumnMap, Renamed};
use super::ids::{id_hash, incident_hash, Ids};
use super::pieces::ChunkOut;
use super::scan::Scanner;
use super::sink::Sink;
use super::{CaseChunk, HAS_SUSPENSION_DAYS, INTERIM, NONE16, NONE8, NO_DAY, NO_SECS};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::schema::{AppealOutcome, ByColumn, Column, APPEAL_OUTCOMES, REPORTER_TYPES, REQUIRED};

/// Keys of one enum column in taxonomy order, with an index by length for the common exact
/// (case-insensitive) match; the full `cells::parse_enum` only runs to explain a miss.
struct Keys {
    keys: Vec<String>,
    by_len: Vec<Vec<u16>>,
    what: &'static str,
}

impl Keys {
    fn new(keys: Vec<String>, what: &'static str) -> Result<Self> {
        if keys.len() >= usize::from(NONE16) {
            return Err(Error::Usage(format!(
                "the taxonomy has {} {what} keys; at most {} are supported",
                keys.len(),
                NONE16 - 1
            )));
        }
        let mut by_len: Vec<Vec<u16>> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if by_len.len() <= k.len() {
                by_len.resize(k.len() + 1, Vec::new());
            }
            by_len[k.len()].push(i as u16);
        }
        Ok(Keys { keys, by_len, what })
    }

    fn parse(&self, s: &str) -> Result<u16, String> {
        if self.keys.is_empty() {
            return Err(format!(
                "unknown {}: the config's taxonomy lists none; add the values this column uses to it",
                self.what
            ));
        }
        if let Some(codes) = self.by_len.get(s.len()) {
            for &c in codes {
                if self.keys[usize::from(c)].eq_ignore_ascii_case(s) {
                    return Ok(c);
                }
            }
        }
        cells::parse_enum(s, &self.keys, self.what).map(|i| i as u16)
    }
}

/// Keys of each enum column, lower-cased, in taxonomy order.
pub(super) struct Vocab {
    platforms: Keys,
    categories: Keys,
    levels: Keys,
    reporters: Keys,
    actions: Keys,
    outcomes: Keys,
    handlers: Keys,
    channels: Keys,
    referrals: Keys,
}

impl Vocab {
    pub(super) fn new(c: &Config) -> Result<Self> {
        let t = &c.taxonomy;
        Ok(Vocab {
            platforms: Keys::new(
                t.platforms.iter().map(|e| e.key.clone()).collect(),
                "platform",
            )?,
            categories: Keys::new(
                t.categories.iter().map(|e| e.key.clone()).collect(),
                "category",
            )?,
            levels: Keys::new(
                t.levels.iter().map(|e| e.key.clone()).collect(),
                "moderation level",
            )?,
            reporters: Keys::new(REPORTER_TYPES.map(String::from).to_vec(), "reporter type")?,
            actions: Keys::new(t.actions.iter().map(|e| e.key.clone()).collect(), "action")?,
            outcomes: Keys::new(APPEAL_OUTCOMES.map(String::from).to_vec(), "appeal outcome")?,
            handlers: Keys::new(
                t.handlers.iter().map(|e| e.key.clone()).collect(),
                "handler",
            )?,
            channels: Keys::new(
                t.channels.iter().map(|e| e.key.clone()).collect(),
                "channel",
            )?,
            referrals: Keys::new(
                t.referrals.iter().map(|e| e.key.clone()).collect(),
                "referral",
            )?,
        })
    }
}

pub(super) struct RowParser<'a> {
    pub(super) vocab: &'a Vocab,
    pub(super) map: &'a ColumnMap,
    pub(super) renamed: &'a Renamed,
    pub(super) width: usize,
    pub(super) file: &'a str,
}

impl RowParser<'_> {
    /// Validates every record of a piece.
    pub(super) fn chunk(&self, buf: &[u8], ts: &mut TimestampParser, ids: &mut Ids) -> ChunkOut {
        let mut out = ChunkOut::default();
        // Rows ≤ lines: reserve once, so the columns do not over-allocate.
        let lines = memchr::memchr_iter(b'\n', buf).count() + 1;
        out.table.reserve(lines);
        if self.map[Column::IncidentId].is_some() {
            out.table.incident.reserve_exact(lines);
        }
        out.content = content::Piece::new(buf);
        if self.map[Column::PersonRef].is_some() {
            out.table.person.reserve_exact(lines);
        }
        let mut sc = Scanner::new(buf);
        let mut errors = std::mem::take(&mut out.errors);
        let mut sink = Sink {
            file: self.file,
            sheet: None,
            errors: &mut errors,
            renamed: Some(self.renamed),
        };
        while sc.next_record() {
            let line = sc.line_offset();
            self.record(&sc, line, &mut sink, ts, ids, &mut out);
        }
        out.errors = errors;
        out.newlines = sc.newlines();
        out.clean = !sc.ended_by_eof();
        out
    }

    /// Validates one record of any source (a CSV line, a worksheet row): the seam where a
    /// record's cells become a row. Counts it in `out` (read, valid or rejected) and adds it
    /// to the content digest; a blank record is not a row.
    pub(super) fn record(
        &self,
        rec: &impl Record,
        line: u64,
        sink: &mut Sink,
        ts: &mut TimestampParser,
        ids: &mut Ids,
        out: &mut ChunkOut,
    ) {
        if rec.blank() {
            return;
        }
        out.rows_read += 1;
        let before = sink.errors.total;
        if rec.fields() != self.width {
            let message = match sink.sheet {
                // A worksheet row is as wide as the sheet: it only reaches past the header
                // with a value in a column that has no heading.
                Some(_) => format!(
                    "this row has a value in column {} of the sheet, which has no heading (the header has {} columns); move the value into a column of the header, or give the column a heading",
                    rec.fields(),
                    self.width
                ),
                None => format!(
                    "this row has {} cells but the header has {}; check for a missing or extra delimiter or an unbalanced quote",
                    rec.fields(),
                    self.width
                ),
            };
            sink.push(line, None, None, message);
        } else {
            self.parse(
                rec,
                line,
                sink,
                ts,
                ids,
                &mut out.table,
                &mut out.ids,
                &mut out.content,
            );
        }
        if sink.errors.total > before {
            out.content.rejected(rec, self.map, self.width);
            sink.errors.rejected_rows += 1;
        } else {
            out.rows_valid += 1;
        }
    }

    /// Validates one row; pushes it into `table` only when it has no error.
    #[allow(clippy::too_many_arguments)]
    fn parse(
        &self,
        rec: &impl Record,
        line: u64,
        sink: &mut Sink,
        ts: &mut TimestampParser,
        ids: &mut Ids,
        table: &mut CaseChunk,
        hashes: &mut Vec<u64>,
        content: &mut content::Piece,
    ) {
        let before = sink.errors.total;
        let mut cells: Cells = ByColumn::default();
        for (c, pos) in self.map.iter() {
            let Some(p) = pos else { continue };
            let raw = if *p < rec.fields() {
                rec.field(*p)
            } else {
                b""
            };
            if let Some(problem) = rec.problem(*p) {
                // A cell the source itself marks as invalid (a spreadsheet's error value).
                let value = std::str::from_utf8(raw).ok();
                sink.push(line, Some(c), value, problem);
                continue;
            }
            match std::str::from_utf8(raw) {
                Ok(s) => cells[c] = s.trim(),
                Err(_) => sink.push(
                    line,
                    Some(c),
                    None,
                    "the cell is not UTF-8 text; save the export as UTF-8 CSV".into(),
                ),
            }
        }
        if sink.errors.total > before {
            return;
        }
        let mut err = |col: Column, value: &str, msg: String| {
            sink.push(line, Some(col), Some(value), msg);
        };
        // Required values.
        let mut missing = false;
        for r in REQUIRED {
            if cells[r].is_empty() {
                err(r, "", "a value is required".into());
                missing = true;
            }
        }
        let case_id = cells[Column::CaseId];
        if !case_id.is_empty() {
            let h = id_hash(case_id.as_bytes());
            let duplicate = match ids {
                Ids::Hashes => {
                    hashes.push(h);
                    false
                }
                Ids::Exact { suspects, seen } => {
                    suspects.contains(&h) && !seen.insert(case_id.into())
                }
            };
            if duplicate {
                err(
                    Column::CaseId,
                    case_id,
                    "duplicate case_id: another row of the export has the same id".into(),
                );
            }
        }
        let v = self.vocab;
        let reported = optional(&cells, Column::ReportedAt, |c| ts.parse(c), &mut err);
        let acknowledged = optional(&cells, Column::AcknowledgedAt, |c| ts.parse(c), &mut err);
        let resolved = optional(&cells, Column::ResolvedAt, |c| ts.parse(c), &mut err);
        let communicated = optional(
            &cells,
            Column::DecisionCommunicatedAt,
            |c| ts.parse(c),
            &mut err,
        );
        let filed = optional(&cells, Column::AppealFiledAt, |c| ts.parse(c), &mut err);
        let decided = optional(&cells, Column::AppealDecidedAt, |c| ts.parse(c), &mut err);
        let en = |col: Column, keys: &Keys, err: &mut dyn FnMut(Column, &str, String)| {
            optional(&cells, col, |c| keys.parse(c), err)
        };
        let platform = en(Column::Platform, &v.platforms, &mut err);
        let level = en(Column::ModerationLevel, &v.levels, &mut err);
        let reporter = en(Column::ReporterType, &v.reporters, &mut err);
        let action = en(Column::Action, &v.actions, &mut err);
        let outcome = en(Column::AppealOutcome, &v.outcomes, &mut err);
        let handler = en(Column::HandledBy, &v.handlers, &mut err);
        let channel = en(Column::Channel, &v.channels, &mut err);
        let referral = en(Column::ReferredTo, &v.referrals, &mut err);
        let mut categories: [u16; 8] = [0; 8];
        let mut more: Vec<u16> = Vec::new();
        let mut n_cat = 0usize;
        if !cells[Column::Category].is_empty() {
            // A key was written, known or not (an unknown one is an error of its own).
            let mut given = false;
            for part in cells[Column::Category].split(';') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                given = true;
                match v.categories.parse(part) {
                    Ok(i) => {
                        let known = categories[..n_cat.min(8)].contains(&i) || more.contains(&i);
                        if !known {
                            if n_cat < 8 {
                                categories[n_cat] = i;
                            } else {
                                more.push(i);
                            }
                            n_cat += 1;
                        }
                    }
                    Err(m) => err(Column::Category, part, m),
                }
            }
            if !given && !missing {
                err(
                    Column::Category,
                    cells[Column::Category],
                    "no category given; list one or more, separated by `;`".into(),
                );
            }
        }
        let suspension_days = optional(&cells, Column::SuspensionDays, cells::parse_days, &mut err);
        let interim = cells::parse_flag(cells[Column::InterimSuspension]).unwrap_or_else(|m| {
            err(
                Column::InterimSuspension,
                cells[Column::InterimSuspension],
                m,
            );
            false
        });
        // Order of events.
        if let Some(r) = reported {
            for (col, t) in [
                (Column::ResolvedAt, resolved),
                (Column::AcknowledgedAt, acknowledged),
                (Column::DecisionCommunicatedAt, communicated),
            ] {
                if let Some(t) = t {
                    if t.secs < r.secs {
                        err(
                            col,
                            cells[col],
                            format!(
                                "{} is before reported_at ({}); {ORDER_FIX}",
                                col.name(),
                                cells[Column::ReportedAt]
                            ),
                        );
                    }
                }
            }
        }
        if let (Some(f), Some(d)) = (filed, decided) {
            if d.secs < f.secs {
                err(
                    Column::AppealDecidedAt,
                    cells[Column::AppealDecidedAt],
                    format!(
                        "appeal_decided_at is before appeal_filed_at ({}); {ORDER_FIX}",
                        cells[Column::AppealFiledAt]
                    ),
                );
            }
        }
        // An appeal answers a decision the appellant was told of: filed earlier, it would
        // count as timely although the dates are wrong.
        if let (Some(c), Some(f)) = (communicated, filed) {
            if f.secs < c.secs {
                err(
                    Column::AppealFiledAt,
                    cells[Column::AppealFiledAt],
                    format!(
                        "appeal_filed_at is before decision_communicated_at ({}); an appeal follows the decision: correct either date",
                        cells[Column::DecisionCommunicatedAt]
                    ),
                );
            }
        }
        if filed.is_none() && cells[Column::AppealFiledAt].is_empty() {
            if !cells[Column::AppealDecidedAt].is_empty() {
                err(
                    Column::AppealDecidedAt,
                    cells[Column::AppealDecidedAt],
                    "an appeal decision without appeal_filed_at; fill in when the appeal was filed"
                        .into(),
                );
            }
            if !cells[Column::AppealOutcome].is_empty() {
                err(
                    Column::AppealOutcome,
                    cells[Column::AppealOutcome],
                    "an appeal outcome without appeal_filed_at; fill in when the appeal was filed"
                        .into(),
                );
            }
        }
        if sink.errors.total > before {
            return;
        }
        let Some(reported) = reported else {
            return;
        };
        // The row's values, for the content digest (`content`).
        let mut enc = content.row();
        let after = |t: Option<Stamp>| t.map(|t| t.secs - reported.secs);
        enc.text(case_id)
            .int(Some(reported.secs))
            .int(after(acknowledged))
            .int(after(resolved))
            .int(after(communicated))
            .int(after(filed))
            .int(after(decided))
            .code(platform.unwrap_or(NONE16))
            .code(level.unwrap_or(NONE16))
            .code(reporter.unwrap_or(NONE16))
            .code(action.unwrap_or(NONE16))
            .code(outcome.unwrap_or(NONE16))
            .int(suspension_days.map(i64::from))
            .int(Some(i64::from(interim)))
            .int(Some(n_cat as i64));
        for &c in categories[..n_cat.min(8)].iter().chain(&more) {
            enc.code(c);
        }
        enc.text(cells[Column::IncidentId]);
        // Columns added since the digest's scheme 1, encoded only when the header has them, so
        // an export without them keeps the digest it had.
        for (column, code) in [(Column::Channel, channel), (Column::ReferredTo, referral)] {
            if self.map[column].is_some() {
                enc.code(code.unwrap_or(NONE16));
            }
        }
        enc.end(case_id);
        let row = table.len() as u32;
        let since = |t: Option<Stamp>| t.map_or(NO_SECS, |t| t.secs - reported.secs);
        let day = |t: Option<Stamp>| t.map_or(NO_DAY, |t| t.day);
        table.rday.push(reported.day);
        table.platform.push(platform.unwrap_or(NONE16));
        table.level.push(level.unwrap_or(NONE16));
        table.reporter.push(reporter.map_or(NONE8, |r| r as u8));
        table.action.push(action.unwrap_or(NONE16));
        table.handler.push(handler.unwrap_or(NONE16));
        table.channel.push(channel.unwrap_or(NONE16));
        table.referral.push(referral.unwrap_or(NONE16));
        // An appeal with no outcome yet is pending (SPEC §3).
        table.outcome.push(match (filed, outcome) {
            (Some(_), None) => AppealOutcome::Pending.code(),
            (_, o) => o.map_or(NONE8, |o| o as u8),
        });
        table.flags.push(
            if interim { INTERIM } else { 0 }
                | if suspension_days.is_some() {
                    HAS_SUSPENSION_DAYS
                } else {
                    0
                },
        );
        table.suspension_days.push(suspension_days.unwrap_or(0));
        table.ack_secs.push(since(acknowledged));
        table.ack_day.push(day(acknowledged));
        table.res_secs.push(since(resolved));
        table.res_day.push(day(resolved));
        table.comm_day.push(day(communicated));
        table.filed_day.push(day(filed));
        table.appeal_secs.push(match (filed, decided) {
            (Some(f), Some(d)) => d.secs - f.secs,
            _ => NO_SECS,
        });
        for &c in categories[..n_cat.min(8)].iter().chain(&more) {
            table.category_row.push(row);
            table.category.push(c);
        }
        if self.map[Column::IncidentId].is_some() {
            table
                .incident
                .push(incident_hash(cells[Column::IncidentId]));
        }
        // Hashed exactly as an incident id: the code itself is never kept.
        if self.map[Column::PersonRef].is_some() {
            table.person.push(incident_hash(cells[Column::PersonRef]));
        }
    }
}

/// One record's cells, as read from a CSV line (`Scanner`) or a worksheet row (`sheet`).
pub(super) trait Record {
    /// Number of cells.
    fn fields(&self) -> usize;
    /// The cell's text, as bytes (a CSV cell may not be UTF-8; the row rejects it).
    fn field(&self, i: usize) -> &[u8];
    /// Not a row at all: a blank line, an empty worksheet row.
    fn blank(&self) -> bool;
    /// A problem the source gives the cell itself (a spreadsheet's `#DIV/0!`).
    fn problem(&self, _i: usize) -> Option<String> {
        None
    }
}

impl Record for Scanner<'_> {
    fn fields(&self) -> usize {
        Scanner::fields(self)
    }
    fn field(&self, i: usize) -> &[u8] {
        Scanner::field(self, i)
    }
    fn blank(&self) -> bool {
        // A blank line (a trailing one, or whitespace only) is not a row.
        Scanner::fields(self) == 1
            && Scanner::field(self, 0)
                .iter()
                .all(|b| b.is_ascii_whitespace())
    }
}

/// The fix offered for two timestamps in the wrong order.
const ORDER_FIX: &str = "correct whichever of the two is wrong: were they swapped, or does \
one lack its UTC offset while the other has one (local times are read in the config's `timezone`)?";

/// A row's cells, trimmed (empty for a column the export does not have).
type Cells<'a> = ByColumn<&'a str>;

/// An optional cell: empty is `None`; otherwise its parsed value, or the problem reported
/// (with the cell's column and value) and `None`.
fn optional<T>(
    cells: &Cells,
    col: Column,
    parse: impl FnOnce(&str) -> std::result::Result<T, String>,
    err: &mut dyn FnMut(Column, &str, String),
) -> Option<T> {
    let s = cells[col];
    if s.is_empty() {
        return None;
    }
    parse(s).map_err(|m| err(col, s, m)).ok()
}
