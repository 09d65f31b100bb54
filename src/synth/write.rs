//! The fast text of a row: dates, times and offsets from precomputed pieces, decimals by
//! hand. Byte for byte what chrono's RFC 3339 formatting gives (a test checks it).

use crate::config::calendar::civil_from_days;

use super::zone::Offsets;
use super::{DAY, MINUTE};

/// Adds one to the decimal number in `text[from..]`, growing it by a digit when all are 9.
pub(super) fn count_up(text: &mut Vec<u8>, from: usize) {
    for i in (from..text.len()).rev() {
        if text[i] == b'9' {
            text[i] = b'0';
        } else {
            text[i] += 1;
            return;
        }
    }
    text.insert(from, b'1');
}

/// Appends `n` in decimal.
pub(super) fn push_decimal(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// "00" to "99", so two digits cost one table lookup instead of two divisions.
const TWO_DIGITS: [[u8; 2]; 100] = {
    let mut table = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    table
};

fn two(n: u64) -> [u8; 2] {
    TWO_DIGITS[(n % 100) as usize]
}

/// Formats instants as RFC 3339 local time with offset, e.g. `2025-03-04T10:15:00-06:00`.
/// Six timestamps a row make this the hot spot, so it only copies precomputed pieces: the
/// date per local day, `HH:MM:` per minute of the day, and the text of each offset.
pub(super) struct Clock {
    pub(super) offsets: Offsets,
    first_day: i64,
    /// `YYYY-MM-DDT` from `first_day` on.
    dates: Vec<[u8; 11]>,
    /// `HH:MM:` for each minute of the day.
    minutes: Vec<[u8; 6]>,
    /// `±HH:MM` of the offsets met in the cached span (one or two in most zones).
    offset_texts: Vec<(i64, [u8; 6])>,
}

impl Clock {
    pub(super) fn new(offsets: Offsets, first_day: i64, last_day: i64) -> Clock {
        let dates = (first_day..=last_day)
            .map(|d| {
                let mut text = [b'T'; 11];
                text[..10].copy_from_slice(&date_text(d));
                text
            })
            .collect();
        let minutes = (0..1_440u64)
            .map(|m| {
                let (h, m) = (two(m / 60), two(m % 60));
                [h[0], h[1], b':', m[0], m[1], b':']
            })
            .collect();
        let mut offset_texts: Vec<(i64, [u8; 6])> = Vec::new();
        for o in offsets.steady() {
            let o = whole_minutes(o);
            if !offset_texts.iter().any(|&(known, _)| known == o) {
                offset_texts.push((o, offset_text(o)));
            }
        }
        Clock {
            offsets,
            first_day,
            dates,
            minutes,
            offset_texts,
        }
    }

    pub(super) fn push(&self, buf: &mut Vec<u8>, utc: i64) {
        let offset = whole_minutes(self.offsets.at(utc));
        let local = utc + offset;
        let day = local.div_euclid(DAY);
        let secs = (local - day * DAY) as usize;
        // Fixed-size pieces straight into the buffer: each is a couple of moves.
        match usize::try_from(day - self.first_day)
            .ok()
            .and_then(|i| self.dates.get(i))
        {
            Some(date) => buf.extend_from_slice(date),
            None => {
                buf.extend_from_slice(&date_text(day));
                buf.push(b'T');
            }
        }
        // `secs` < 86 400, so both indexes are in range.
        buf.extend_from_slice(&self.minutes[secs / 60]);
        buf.extend_from_slice(&TWO_DIGITS[secs % 60]);
        match self.offset_texts.iter().find(|&&(o, _)| o == offset) {
            Some((_, known)) => buf.extend_from_slice(known),
            None => buf.extend_from_slice(&offset_text(offset)),
        }
    }
}

/// RFC 3339 offsets have no seconds: the rare pre-1972 offsets with seconds are cut to whole
/// minutes, and the wall time is computed with the cut offset, so the instant stays exact.
fn whole_minutes(offset: i32) -> i64 {
    i64::from(offset) / MINUTE * MINUTE
}

fn offset_text(offset: i64) -> [u8; 6] {
    let abs = offset.unsigned_abs();
    let (h, m) = (two(abs / 3_600), two(abs / 60 % 60));
    let sign = if offset < 0 { b'-' } else { b'+' };
    [sign, h[0], h[1], b':', m[0], m[1]]
}

/// `YYYY-MM-DD` of a day number (years 0–9999, which covers every year accepted).
#[cold]
pub(super) fn date_text(day: i64) -> [u8; 10] {
    let (year, month, day) = civil_from_days(day);
    let (year, month, day) = (year.clamp(0, 9_999) as u64, month as u64, day as u64);
    let (y1, y2, m, d) = (two(year / 100), two(year), two(month), two(day));
    [
        y1[0], y1[1], y2[0], y2[1], b'-', m[0], m[1], b'-', d[0], d[1],
    ]
}
