//! SVG post-processing: the sentinel colours become `currentColor` and the hatch pattern,
//! plotters' number formatting is tidied, and the figure gets its title and description.

use super::style::{FONT_SENTINEL, FONT_STACK, GRID_SVG, HATCH_SVG, INK_SVG};

/// Escapes text for XML character data and double-quoted attributes.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// plotters writes `font-size` as a float (`13.000000000000002` for 13 px): round it so
/// the output does not depend on float formatting details.
pub(super) fn tidy_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        match value.parse::<f64>() {
            Ok(v) => {
                let tenths = (v * 10.0).round() / 10.0;
                out.push_str(format!("{tenths:.1}").trim_end_matches(".0"));
            }
            Err(_) => out.push_str(value),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// plotters writes `<text ...>\ncontent\n</text>`; the line breaks become spaces in the
/// rendered text, which shifts right-aligned labels, so they are removed.
pub(super) fn tighten_text(svg: &str) -> String {
    const OPEN: &str = "<text ";
    const CLOSE: &str = "\n</text>";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(OPEN) {
        let (before, element) = rest.split_at(at);
        out.push_str(before);
        let Some(open_end) = element.find(">\n") else {
            rest = element;
            break;
        };
        let Some(close) = element[open_end..].find(CLOSE).map(|i| i + open_end) else {
            rest = element;
            break;
        };
        out.push_str(&element[..=open_end]);
        out.push_str(&element[open_end + 2..close]);
        out.push_str("</text>");
        rest = &element[close + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

pub(super) fn finish_svg(
    raw: &str,
    id: &str,
    title: &str,
    description: &str,
) -> Result<String, String> {
    // plotters opens with `<svg width=".." height=".." viewBox=".." xmlns="..">\n`.
    let open_end = raw
        .find(">\n")
        .filter(|_| raw.starts_with("<svg "))
        .ok_or_else(|| "plotters produced an SVG without the expected root element".to_string())?;
    let open = &raw[..open_end];
    let attr = |name: &str| -> Result<&str, String> {
        let key = format!(" {name}=\"");
        let start = open
            .find(&key)
            .map(|i| i + key.len())
            .ok_or_else(|| format!("the SVG root has no {name}"))?;
        let len = open[start..]
            .find('"')
            .ok_or_else(|| format!("the SVG root's {name} is not closed"))?;
        Ok(&open[start..start + len])
    };
    let (width, height) = (attr("width")?, attr("height")?);

    let body = raw[open_end + 2..]
        .replace(INK_SVG, "\"currentColor\"")
        .replace(GRID_SVG, "\"currentColor\"")
        .replace(HATCH_SVG, &format!("\"url(#chart-{id}-hatch)\""))
        .replace(&format!(" font-family=\"{FONT_SENTINEL}\""), "")
        .replace(" opacity=\"1\"", "");
    let body = tighten_text(&tidy_font_sizes(&body));

    let mut svg = String::with_capacity(body.len() + 1024);
    svg.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"chart-{id}-title chart-{id}-desc\" \
         font-family=\"{}\">\n",
        escape_xml(FONT_STACK)
    ));
    svg.push_str(&format!(
        "<title id=\"chart-{id}-title\">{}</title>\n<desc id=\"chart-{id}-desc\">{}</desc>\n",
        escape_xml(title),
        escape_xml(description)
    ));
    // Stripes in currentColor so placeholders follow the page's light or dark text colour.
    svg.push_str(&format!(
        "<defs>\n<pattern id=\"chart-{id}-hatch\" width=\"6\" height=\"6\" \
         patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\n\
         <rect width=\"6\" height=\"6\" fill=\"currentColor\" opacity=\"0.08\"/>\n\
         <rect width=\"2\" height=\"6\" fill=\"currentColor\" opacity=\"0.55\"/>\n\
         </pattern>\n</defs>\n"
    ));
    svg.push_str(&body);
    Ok(svg)
}
