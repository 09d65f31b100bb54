//! Drawing with plotters: one function per orientation, each laying the figure out with
//! `layout` and painting it in the sentinel colours of `style`.

use plotters::backend::SVGBackend;
use plotters::chart::ChartBuilder;
use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontStyle, FontTransform, ShapeStyle, TextStyle};

use super::describe::count_text;
use super::layout::*;
use super::style::*;
use super::{Figure, Fill, LegendItem};
use crate::present::text::{thousands, SUPPRESSED};

pub(super) type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

pub(super) fn fail<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

pub(super) fn draw_text(
    root: &Root,
    text: &str,
    at: (i32, i32),
    style: TextStyle<'static>,
) -> Result<(), String> {
    // A label from the config may hold a line break, which SVG text cannot show.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    root.draw(&Text::new(text, at, style)).map_err(fail)
}

/// Draws one bar from `from` to `to` (pixel corners), in the style its series uses.
pub(super) fn draw_bar(
    root: &Root,
    from: (i32, i32),
    to: (i32, i32),
    fill: Fill,
) -> Result<(), String> {
    match fill {
        Fill::Solid(c) => root
            .draw(&Rectangle::new([from, to], c.filled()))
            .map_err(fail),
        Fill::Tint(c) => {
            root.draw(&Rectangle::new([from, to], c.mix(0.3).filled()))
                .map_err(fail)?;
            // Inset by half the stroke so the outline stays inside the bar's extent.
            let (x0, x1) = (from.0.min(to.0) + 1, from.0.max(to.0) - 1);
            let (y0, y1) = (from.1.min(to.1) + 1, from.1.max(to.1) - 1);
            if x1 > x0 && y1 > y0 {
                root.draw(&Rectangle::new(
                    [(x0, y0), (x1, y1)],
                    ShapeStyle::from(&c).stroke_width(2),
                ))
                .map_err(fail)?;
            }
            Ok(())
        }
        Fill::Hatch => draw_placeholder(root, from, to),
    }
}

pub(super) fn draw_placeholder(
    root: &Root,
    from: (i32, i32),
    to: (i32, i32),
) -> Result<(), String> {
    root.draw(&Rectangle::new([from, to], HATCH.filled()))
        .map_err(fail)?;
    root.draw(&Rectangle::new([from, to], INK.mix(0.7).stroke_width(1)))
        .map_err(fail)
}

pub(super) fn draw_legend(
    root: &Root,
    items: &[LegendItem],
    positions: &[(i32, i32)],
) -> Result<(), String> {
    for (item, (x, row)) in items.iter().zip(positions) {
        let cy = PAD + row * LEGEND_ROW_H + LEGEND_ROW_H / 2 - 2;
        draw_bar(
            root,
            (*x, cy - SWATCH / 2),
            (*x + SWATCH, cy + SWATCH / 2),
            item.fill,
        )?;
        draw_text(
            root,
            &item.label,
            (*x + SWATCH + 6, cy),
            text_style(LABEL_PX, HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// Horizontal bars: one row per slot, labels on the left, values after the bars.
pub(super) fn draw_horizontal(figure: &Figure) -> Result<String, String> {
    let n = figure.slots.len().max(1);
    let scale = Scale::for_peak(peak(figure));
    let budget = f64::from(WIDTH) * 0.45;
    let wrapped: Vec<Vec<String>> = figure
        .slots
        .iter()
        .map(|s| wrap(&s.label, LABEL_PX, budget))
        .collect();
    let label_col = wrapped
        .iter()
        .flatten()
        .map(|l| px(text_width(l, LABEL_PX)))
        .max()
        .unwrap_or(0);
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;
    let row_h = (lines * LINE_H + 10).max(26);
    let bar_h = 16;
    let value_col = figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter())
        .map(|b| px(text_width(&count_text(b.value), VALUE_PX)))
        .max()
        .unwrap_or(0)
        .max(px(text_width(&thousands(scale.max), TICK_PX)) / 2)
        + 14;

    let width = WIDTH as i32;
    let (legend_pos, legend_rows) = legend_layout(&figure.legend, PAD, width - PAD);
    let top = PAD + legend_height(legend_rows) + 4;
    let left = PAD + label_col + 12;
    let right = width - PAD - value_col;
    let bottom = top + n as i32 * row_h;
    let height = bottom + 8 + LINE_H + 10 + LINE_H + PAD;
    let (width_u, height_u) = (WIDTH, u32::try_from(height).map_err(fail)?);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width_u, height_u)).into_drawing_area();
        let ticks = scale.ticks();
        let mut chart = ChartBuilder::on(&root)
            .margin_left(left)
            .margin_right(width - right)
            .margin_top(top)
            .margin_bottom(height - bottom)
            .build_cartesian_2d(
                (0u64..scale.max).with_key_points(ticks.clone()),
                0f64..n as f64,
            )
            .map_err(fail)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_axes()
            .max_light_lines(0)
            .bold_line_style(grid_style())
            .draw()
            .map_err(fail)?;

        for tick in &ticks {
            let (x, _) = chart.backend_coord(&(*tick, 0.0));
            draw_text(
                &root,
                &thousands(*tick),
                (x, bottom + 8),
                text_style(TICK_PX, HPos::Center, VPos::Top),
            )?;
        }
        draw_text(
            &root,
            &figure.value_title,
            ((left + right) / 2, bottom + 8 + LINE_H + 10),
            text_style(AXIS_TITLE_PX, HPos::Center, VPos::Top),
        )?;

        for (i, (slot, label_lines)) in figure.slots.iter().zip(&wrapped).enumerate() {
            let centre = n as f64 - i as f64 - 0.5;
            let (x0, cy) = chart.backend_coord(&(0, centre));
            let first_line = cy - (label_lines.len() as i32 - 1) * LINE_H / 2;
            for (j, line) in label_lines.iter().enumerate() {
                draw_text(
                    &root,
                    line,
                    (left - 10, first_line + j as i32 * LINE_H),
                    text_style(LABEL_PX, HPos::Right, VPos::Center),
                )?;
            }
            let Some(bar) = slot.bars.first().filter(|b| !b.absent) else {
                continue;
            };
            let (y0, y1) = (cy - bar_h / 2, cy + bar_h / 2);
            let end = match bar.value {
                Some(v) => {
                    let (x1, _) = chart.backend_coord(&(v, centre));
                    if x1 > x0 {
                        draw_bar(&root, (x0, y0), (x1, y1), bar.fill)?;
                    }
                    x1
                }
                None => {
                    draw_placeholder(&root, (x0, y0), (x0 + STUB, y1))?;
                    x0 + STUB
                }
            };
            draw_text(
                &root,
                &count_text(bar.value),
                (end + 6, cy),
                text_style(VALUE_PX, HPos::Left, VPos::Center),
            )?;
        }

        let (x0, _) = chart.backend_coord(&(0, 0.0));
        root.draw(&PathElement::new(
            vec![(x0, top), (x0, bottom)],
            INK.stroke_width(1),
        ))
        .map_err(fail)?;
        draw_legend(&root, &figure.legend, &legend_pos)?;
        if !has_data(figure) {
            draw_text(
                &root,
                &figure.empty_message,
                ((left + right) / 2, (top + bottom) / 2),
                text_style(MESSAGE_PX, HPos::Center, VPos::Center),
            )?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

/// Vertical bars: one slot per category along the bottom, one or more bars per slot.
pub(super) fn draw_vertical(figure: &Figure) -> Result<String, String> {
    let n = figure.slots.len().max(1);
    let scale = Scale::for_peak(peak(figure));
    let ticks = scale.ticks();
    let width = WIDTH as i32;
    let tick_w = ticks
        .iter()
        .map(|t| px(text_width(&thousands(*t), TICK_PX)))
        .max()
        .unwrap_or(0);
    let left = PAD + LINE_H + 10 + tick_w + 8;
    let right = width - PAD;
    let slot_w = f64::from(right - left) / n as f64;

    let label_room = (slot_w - 8.0).max(1.0);
    let wrapped: Vec<Vec<String>> = figure
        .slots
        .iter()
        .map(|s| wrap(&s.label, LABEL_PX, label_room))
        .collect();
    // When even single words do not fit (many months), label every k-th slot only.
    let widest_line = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let label_every = ((widest_line + 6.0) / slot_w).ceil().max(1.0) as usize;
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;

    let per_slot = figure
        .slots
        .iter()
        .map(|s| s.bars.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let gap = if per_slot > 1 { 2.0 } else { 0.0 };
    let bar_w = if per_slot == 1 {
        (slot_w * 0.6).min(72.0)
    } else {
        ((slot_w * 0.76 - gap * (per_slot as f64 - 1.0)) / per_slot as f64).min(40.0)
    }
    .max(2.0);
    let pitch = bar_w + gap;
    let widest_value = |size: f64| {
        figure
            .slots
            .iter()
            .flat_map(|s| s.bars.iter())
            .filter_map(|b| b.value)
            .map(|v| text_width(&thousands(v), size))
            .fold(0.0, f64::max)
    };
    // Neighbouring labels are one pitch apart: shrink the numbers, then drop them, rather
    // than let them overlap.
    let room = if per_slot > 1 {
        pitch - 1.0
    } else {
        slot_w - 4.0
    };
    let value_px = if widest_value(VALUE_PX) <= room {
        Some(VALUE_PX)
    } else if widest_value(SMALL_VALUE_PX) <= room {
        Some(SMALL_VALUE_PX)
    } else {
        None
    };
    // The placeholder's word goes above it, upright if it fits, else turned to read
    // upwards; in very narrow slots it is left out and the legend explains the hatching.
    let placeholder_label = if text_width(SUPPRESSED, VALUE_PX) <= room {
        Some((VALUE_PX, false))
    } else if pitch >= SMALL_VALUE_PX + 4.0 {
        Some((SMALL_VALUE_PX, true))
    } else {
        None
    };
    let any_hidden = figure
        .slots
        .iter()
        .flat_map(|s| s.bars.iter())
        .any(|b| b.value.is_none() && !b.absent);
    let mut legend = figure.legend.clone();
    if any_hidden && placeholder_label.is_none() {
        legend.push(LegendItem {
            label: "Suppressed for privacy".into(),
            fill: Fill::Hatch,
        });
    }
    let (legend_pos, legend_rows) = legend_layout(&legend, left, right);
    let top = PAD + legend_height(legend_rows) + LINE_H + 6;
    let bottom = top + VERTICAL_PLOT_H;
    let mut height = bottom + 8 + lines * LINE_H + PAD;
    if figure.category_title.is_some() {
        height += 8 + LINE_H;
    }
    let height_u = u32::try_from(height).map_err(fail)?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height_u)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin_left(left)
            .margin_right(width - right)
            .margin_top(top)
            .margin_bottom(height - bottom)
            .build_cartesian_2d(
                0f64..n as f64,
                (0u64..scale.max).with_key_points(ticks.clone()),
            )
            .map_err(fail)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_axes()
            .max_light_lines(0)
            .bold_line_style(grid_style())
            .draw()
            .map_err(fail)?;

        for tick in &ticks {
            let (_, y) = chart.backend_coord(&(0.0, *tick));
            draw_text(
                &root,
                &thousands(*tick),
                (left - 8, y),
                text_style(TICK_PX, HPos::Right, VPos::Center),
            )?;
        }
        let mut title = text_style(AXIS_TITLE_PX, HPos::Center, VPos::Top);
        title.font = font(AXIS_TITLE_PX, FontStyle::Normal, FontTransform::Rotate270);
        draw_text(&root, &figure.value_title, (PAD, (top + bottom) / 2), title)?;

        for (i, (slot, label_lines)) in figure.slots.iter().zip(&wrapped).enumerate() {
            let centre_x = chart.backend_coord(&(i as f64 + 0.5, 0)).0;
            if i % label_every == 0 {
                for (j, line) in label_lines.iter().enumerate() {
                    draw_text(
                        &root,
                        line,
                        (centre_x, bottom + 8 + j as i32 * LINE_H),
                        text_style(LABEL_PX, HPos::Center, VPos::Top),
                    )?;
                }
            }
            let group_w = pitch * slot.bars.len() as f64 - gap;
            for (j, bar) in slot.bars.iter().enumerate() {
                // A figure the period did not publish leaves its place empty.
                if bar.absent {
                    continue;
                }
                let x0 = (f64::from(centre_x) - group_w / 2.0 + pitch * j as f64).round() as i32;
                let x1 = x0 + px(bar_w);
                let mid = (x0 + x1) / 2;
                match bar.value {
                    Some(v) => {
                        let (_, y1) = chart.backend_coord(&(0.0, v));
                        if v > 0 {
                            draw_bar(&root, (x0, y1), (x1, bottom), bar.fill)?;
                        }
                        if let Some(size) = value_px {
                            draw_text(
                                &root,
                                &thousands(v),
                                (mid, y1 - 4),
                                text_style(size, HPos::Center, VPos::Bottom),
                            )?;
                        }
                    }
                    None => {
                        draw_placeholder(&root, (x0, bottom - STUB), (x1, bottom))?;
                        if let Some((size, rotated)) = placeholder_label {
                            let mut style = text_style(size, HPos::Center, VPos::Bottom);
                            if rotated {
                                style.pos = Pos::new(HPos::Left, VPos::Center);
                                style.font =
                                    font(size, FontStyle::Normal, FontTransform::Rotate270);
                            }
                            draw_text(&root, SUPPRESSED, (mid, bottom - STUB - 4), style)?;
                        }
                    }
                }
            }
        }

        root.draw(&PathElement::new(
            vec![(left, bottom), (right, bottom)],
            INK.stroke_width(1),
        ))
        .map_err(fail)?;
        if let Some(title) = &figure.category_title {
            draw_text(
                &root,
                title,
                ((left + right) / 2, bottom + 8 + lines * LINE_H + 8),
                text_style(AXIS_TITLE_PX, HPos::Center, VPos::Top),
            )?;
        }
        draw_legend(&root, &legend, &legend_pos)?;
        if !has_data(figure) {
            draw_text(
                &root,
                &figure.empty_message,
                ((left + right) / 2, (top + bottom) / 2),
                text_style(MESSAGE_PX, HPos::Center, VPos::Center),
            )?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}
