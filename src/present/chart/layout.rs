//! Where things go: sizes in pixels, text measurement and wrapping, the value axis, the
//! legend's rows.

use super::{Figure, LegendItem};

pub(super) const WIDTH: u32 = 720;
pub(super) const PAD: i32 = 16;
pub(super) const LABEL_PX: f64 = 13.0;
pub(super) const VALUE_PX: f64 = 12.0;
pub(super) const SMALL_VALUE_PX: f64 = 10.0;
pub(super) const TICK_PX: f64 = 12.0;
pub(super) const AXIS_TITLE_PX: f64 = 13.0;
pub(super) const MESSAGE_PX: f64 = 15.0;
pub(super) const LINE_H: i32 = 16;
/// Length of the placeholder drawn for a suppressed count: short and hatched, so it is
/// never read as a count.
pub(super) const STUB: i32 = 12;
pub(super) const SWATCH: i32 = 12;
pub(super) const VERTICAL_PLOT_H: i32 = 220;

/// Advance width in em of a character in a typical sans-serif UI font (Arial/Roboto/
/// Segoe metrics, rounded up): a real measurement is impossible without font files, and
/// over-estimating only costs a little white space while under-estimating overlaps text.
pub(super) fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' | '!' | '.' | ',' | ':' | ';' => 0.28,
        'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '[' | ']' | '-' | '/' => 0.36,
        'm' | 'w' | 'M' | 'W' | '@' | '—' | '%' => 0.92,
        'A'..='Z' => 0.7,
        '0'..='9' | '–' | '<' | '>' => 0.58,
        c if c.is_ascii() => 0.56,
        // Accented letters, CJK and the like: err wide.
        _ => 0.8,
    }
}

pub(super) fn text_width(text: &str, px: f64) -> f64 {
    // 8% margin for fonts wider than Arial (San Francisco, Segoe UI).
    text.chars().map(char_em).sum::<f64>() * px * 1.08
}

/// Greedy word wrap to `max_w` pixels; a single word wider than that keeps its own line.
pub(super) fn wrap(text: &str, px: f64, max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || text_width(&candidate, px) <= max_w {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

pub(super) fn px(value: f64) -> i32 {
    // Layout sizes are small positive numbers; the clamp documents that.
    value.ceil().clamp(0.0, 100_000.0) as i32
}

// ---------------------------------------------------------------------------------------
// Value axis

/// A value axis from 0 to `max` with ticks every `step`, both integers so tick labels
/// never show fractions of a case.
pub(super) struct Scale {
    pub(super) max: u64,
    pub(super) step: u64,
}

impl Scale {
    pub(super) fn for_peak(peak: u64) -> Scale {
        if peak == 0 {
            return Scale { max: 1, step: 1 };
        }
        let mut magnitude: u64 = 1;
        loop {
            for m in [1, 2, 5] {
                let Some(step) = magnitude.checked_mul(m) else {
                    return Scale {
                        max: peak,
                        step: peak,
                    };
                };
                let intervals = peak.div_ceil(step);
                if intervals <= 5 {
                    return match intervals.checked_mul(step) {
                        Some(max) => Scale { max, step },
                        None => Scale {
                            max: peak,
                            step: peak,
                        },
                    };
                }
            }
            match magnitude.checked_mul(10) {
                Some(next) => magnitude = next,
                None => {
                    return Scale {
                        max: peak,
                        step: peak,
                    }
                }
            }
        }
    }

    pub(super) fn ticks(&self) -> Vec<u64> {
        (0..=self.max / self.step).map(|i| i * self.step).collect()
    }
}

pub(super) fn peak(figure: &Figure) -> u64 {
    figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter().filter_map(|b| b.value))
        .max()
        .unwrap_or(0)
}

pub(super) fn has_data(figure: &Figure) -> bool {
    figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter())
        .any(|b| b.value != Some(0))
}

/// Lays legend items out left to right from `x`, wrapping at `max_x`; returns each
/// item's position and the number of rows used.
pub(super) fn legend_layout(items: &[LegendItem], x: i32, max_x: i32) -> (Vec<(i32, i32)>, i32) {
    let mut positions = Vec::new();
    let (mut cx, mut row) = (x, 0);
    for item in items {
        let w = SWATCH + 6 + px(text_width(&item.label, LABEL_PX));
        if cx > x && cx + w > max_x {
            cx = x;
            row += 1;
        }
        positions.push((cx, row));
        cx += w + 20;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (positions, rows)
}

pub(super) const LEGEND_ROW_H: i32 = 20;

pub(super) fn legend_height(rows: i32) -> i32 {
    if rows == 0 {
        0
    } else {
        rows * LEGEND_ROW_H + 8
    }
}
