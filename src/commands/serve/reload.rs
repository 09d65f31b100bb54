//! Live reload: the served copy of each HTML page gets a small script that asks the server
//! for the build number and reloads the page when it changes. The report's own files are
//! never touched: only what `serve` hands to the browser.
//!
//! The report page forbids every script (`default-src 'none'`), so the served copy's
//! Content-Security-Policy also allows this one script by its hash, and requests to the page's
//! own server. Nothing else is loosened.

use sha2::{Digest, Sha256};

use super::http::VERSION_PATH;

/// The script, as it stands between `<script>` and `</script>`: the CSP hash covers exactly
/// these bytes. The build number the page was served with is in its `data-version`
/// attribute, so a build finishing between the page's load and the first poll is not missed.
pub const SCRIPT: &str = "(function () {\n\
  var served = document.currentScript.getAttribute('data-version');\n\
  function poll(delay) {\n\
    setTimeout(function () {\n\
      fetch('/__serve/version', { cache: 'no-store' })\n\
        .then(function (r) { return r.text(); })\n\
        .then(function (v) { if (v !== served) { location.reload(); } else { poll(500); } },\n\
              function () { poll(2000); });\n\
    }, delay);\n\
  }\n\
  poll(500);\n\
})();";

/// The script's CSP source expression: `'sha256-…'` (base64 of the SHA-256 of `SCRIPT`).
pub fn script_source() -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(SCRIPT.as_bytes())))
}

/// The `<script>` element for a page served as build `version`.
pub fn script_tag(version: u64) -> String {
    debug_assert!(SCRIPT.contains(VERSION_PATH));
    format!("<script data-version=\"{version}\">{SCRIPT}</script>")
}

/// `html` with the reload script before its last `</body>` (at the end when there is none),
/// and every Content-Security-Policy `<meta>` widened just enough for it to run. A page that
/// is not UTF-8 is served unchanged.
pub fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(html) else {
        return html.to_vec();
    };
    let mut page = widen_csp_metas(text, &script_source());
    let at = page
        .to_ascii_lowercase()
        .rfind("</body")
        .unwrap_or(page.len());
    page.insert_str(at, &script_tag(version));
    page.into_bytes()
}

/// Every `<meta http-equiv="Content-Security-Policy" content="…">` with its policy passed
/// through [`allow_reload`].
pub fn widen_csp_metas(html: &str, hash: &str) -> String {
    // ASCII lowercasing keeps every byte offset, so positions found in `lower` hold in `html`.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + 200);
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find("<meta") {
        let start = from + found + "<meta".len();
        // `<metadata>` (in an SVG chart) is another element.
        if !html[start..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/') {
            from = start;
            continue;
        }
        let (attrs, end) = attributes(html, start);
        from = end;
        let is_csp = attrs.iter().any(|a| {
            a.name == "http-equiv"
                && html[a.value.clone()].eq_ignore_ascii_case("content-security-policy")
        });
        let Some(content) = attrs.iter().find(|a| a.name == "content") else {
            continue;
        };
        if !is_csp {
            continue;
        }
        let policy = allow_reload(&unescape(&html[content.value.clone()]), hash);
        out.push_str(&html[done..content.span.start]);
        out.push('"');
        out.push_str(&policy.replace('&', "&amp;").replace('"', "&quot;"));
        out.push('"');
        done = content.span.end;
    }
    out.push_str(&html[done..]);
    out
}

/// The character references a policy may be written with (`'` inside a single-quoted
/// attribute); others do not occur in a policy.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    [
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&apos;", "'"),
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(value.to_string(), |v, (from, to)| v.replace(from, to))
}

/// One attribute of a tag: its lowercased name, its value's bytes (without quotes) and the
/// bytes of the value as written (with quotes).
#[derive(Debug)]
struct Attribute {
    name: String,
    value: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
}

/// The attributes of the tag whose name ends at `start`, and where the tag ends (after `>`).
fn attributes(html: &str, start: usize) -> (Vec<Attribute>, usize) {
    let b = html.as_bytes();
    let mut i = start;
    let mut out = Vec::new();
    let skip_space = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        match b.get(i) {
            None => return (out, b.len()),
            Some(b'>') => return (out, i + 1),
            Some(b'/') => {
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        skip_space(&mut i);
        if b.get(i) != Some(&b'=') {
            out.push(Attribute {
                name,
                value: i..i,
                span: i..i,
            });
            continue;
        }
        i += 1;
        skip_space(&mut i);
        let span_start = i;
        let value = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let close = html[i + 1..]
                    .find(char::from(q))
                    .map_or(b.len(), |p| i + 1 + p);
                let v = i + 1..close;
                i = (close + 1).min(b.len());
                v
            }
            _ => {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                v_start..i
            }
        };
        out.push(Attribute {
            name,
            value,
            span: span_start..i,
        });
    }
}

/// `policy` with `hash` allowed as a script and the page's own server allowed for `fetch`.
/// A policy that already lets them through is left as it is in that respect: scripts allowed
/// by `'unsafe-inline'` (which a hash would switch off), or no `default-src` to fall back on.
pub fn allow_reload(policy: &str, hash: &str) -> String {
    let mut directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_ascii_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_string).collect()))
        })
        .collect();
    let default = directives
        .iter()
        .find(|(n, _)| n == "default-src")
        .map(|(_, s)| s.clone());
    let allow = |sources: &mut Vec<String>, add: &str| {
        let inline_allowed = sources.iter().any(|s| s == "'unsafe-inline'")
            && !sources.iter().any(|s| {
                let s = s.to_ascii_lowercase();
                s.starts_with("'sha") || s.starts_with("'nonce-") || s == "'strict-dynamic'"
            });
        if add.starts_with("'sha") && inline_allowed {
            return;
        }
        sources.retain(|s| !s.eq_ignore_ascii_case("'none'"));
        if !sources.iter().any(|s| s == add) {
            sources.push(add.to_string());
        }
    };
    for (names, add) in [
        (&["script-src", "script-src-elem"][..], hash),
        (&["connect-src"][..], "'self'"),
    ] {
        let mut present = false;
        for (name, sources) in directives.iter_mut() {
            if names.contains(&name.as_str()) {
                allow(sources, add);
                present = true;
            }
        }
        if let (false, Some(default)) = (present, &default) {
            // Without a directive of its own the kind falls back on default-src: start from it.
            let mut sources = default.clone();
            allow(&mut sources, add);
            directives.push((names[0].to_string(), sources));
        }
    }
    directives
        .iter()
        .map(|(name, sources)| {
            std::iter::once(name.as_str())
                .chain(sources.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Standard base64 with padding (RFC 4648 §4), as CSP hash sources are written.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
