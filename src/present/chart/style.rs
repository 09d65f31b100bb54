//! How the figures look: the palette, the sentinel colours the SVG pass rewrites, fonts.

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{
    Color, FontDesc, FontFamily, FontStyle, FontTransform, RGBColor, ShapeStyle, TextStyle,
};

/// Okabe–Ito colours whose relative luminance keeps at least 3:1 contrast (WCAG 1.4.11)
/// against both the light page (#ffffff) and the dark page (#16181d); the palette's
/// orange, sky blue and yellow are too light for white and are left out.
pub(super) const OI_BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub(super) const OI_VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub(super) const OI_BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub(super) const OI_REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub(super) const PALETTE: [RGBColor; 4] =
    [OI_BLUE, OI_VERMILLION, OI_BLUISH_GREEN, OI_REDDISH_PURPLE];

/// Page colours the palette is checked against.
#[cfg(test)]
pub(super) const LIGHT_BACKGROUND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
#[cfg(test)]
pub(super) const DARK_BACKGROUND: RGBColor = RGBColor(0x16, 0x18, 0x1D);

/// Sentinels: colours no figure uses for data, rewritten after drawing.
pub(super) const INK: RGBColor = RGBColor(0x01, 0x02, 0x03);
pub(super) const GRID: RGBColor = RGBColor(0x04, 0x05, 0x06);
pub(super) const HATCH: RGBColor = RGBColor(0x07, 0x08, 0x09);
pub(super) const INK_SVG: &str = "\"#010203\"";
pub(super) const GRID_SVG: &str = "\"#040506\"";
pub(super) const HATCH_SVG: &str = "\"#070809\"";
pub(super) const FONT_SENTINEL: &str = "chart-font";

/// Generic families only: the report ships no font files and must render offline.
pub(crate) const FONT_STACK: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// plotters' SVG backend writes `font-size` as the requested size divided by 1.24.
pub(super) const PLOTTERS_FONT_SCALE: f64 = 1.24;

pub(super) fn font(size: f64, style: FontStyle, transform: FontTransform) -> FontDesc<'static> {
    FontDesc::new(
        FontFamily::Name(FONT_SENTINEL),
        size * PLOTTERS_FONT_SCALE,
        style,
    )
    .transform(transform)
}

pub(super) fn text_style(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: font(size, FontStyle::Normal, FontTransform::None),
        color: INK.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

pub(super) fn grid_style() -> ShapeStyle {
    GRID.mix(0.22).stroke_width(1)
}
