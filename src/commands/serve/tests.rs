use std::collections::BTreeMap;

use super::http::{
    content_type, encode, key_for, parse_request_line, respond, Pages, Request, Site,
};
use super::reload::{allow_reload, base64, inject, script_source, script_tag, widen_csp_metas};
use super::watch::Watch;
use super::{message_page, served_files};
use crate::commands::build::Options;

fn get(path: &str) -> Request {
    Request {
        method: "GET".into(),
        path: path.into(),
    }
}

fn site() -> Site {
    let files: BTreeMap<String, Vec<u8>> = [
        ("index.html", "<p>report</p>"),
        ("data/summary.json", "{}"),
        ("2025/index.html", "<p>2025</p>"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
    .collect();
    Site {
        version: 7,
        pages: Pages::Files(files),
    }
}

#[test]
fn request_lines() {
    let ok = |line: &str, method: &str, path: &str| {
        assert_eq!(
            parse_request_line(line.as_bytes()),
            Ok(Request {
                method: method.into(),
                path: path.into()
            }),
            "{line:?}"
        );
    };
    ok("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "GET", "/");
    ok("HEAD /index.html HTTP/1.0\r\n\r\n", "HEAD", "/index.html");
    ok(
        "GET /data/summary.json?download=1#top HTTP/1.1\r\n",
        "GET",
        "/data/summary.json",
    );
    ok("GET /a%20b/%C3%A9.csv HTTP/1.1\n\n", "GET", "/a b/é.csv");
    // Decoded, not resolved: the key `../Cargo.toml` is simply not in the map.
    ok(
        "GET /%2e%2e/Cargo.toml HTTP/1.1\r\n",
        "GET",
        "/../Cargo.toml",
    );
    // Parsed, so it can be answered with 405.
    ok("POST / HTTP/1.1\r\n", "POST", "/");
    for bad in [
        "",
        "GET /",
        "GET / HTTP/1.1 extra",
        "GET  / HTTP/1.1",
        "GET / HTTP/2.0",
        "GET http://example.org/ HTTP/1.1",
        "GET * HTTP/1.1",
        "GET /%zz HTTP/1.1",
        "GET /%4 HTTP/1.1",
        "GET /%ff HTTP/1.1",
        "G3T / HTTP/1.1",
    ] {
        assert_eq!(parse_request_line(bad.as_bytes()), Err(400), "{bad:?}");
    }
    assert_eq!(parse_request_line(b"GET /\xff HTTP/1.1"), Err(400));
}

#[test]
fn paths_map_to_keys() {
    assert_eq!(key_for("/"), "index.html");
    assert_eq!(key_for("/index.html"), "index.html");
    assert_eq!(key_for("/2025/"), "2025/index.html");
    assert_eq!(key_for("/charts/cases.svg"), "charts/cases.svg");
    assert_eq!(key_for("/../Cargo.toml"), "../Cargo.toml");
    assert_eq!(key_for("//etc/passwd"), "/etc/passwd");
}

#[test]
fn content_types() {
    assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
    assert_eq!(content_type("report.md"), "text/markdown; charset=utf-8");
    assert_eq!(content_type("charts/x.SVG"), "image/svg+xml");
    assert_eq!(content_type("data/summary.json"), "application/json");
    assert_eq!(content_type("data/cases.csv"), "text/csv; charset=utf-8");
    assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
    assert_eq!(
        content_type("manifest.json.sig"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(content_type("LICENSE"), "application/octet-stream");
}

#[test]
fn answers() {
    let s = site();
    let r = respond(&s, &get("/"));
    assert_eq!((r.status, r.body.as_slice()), (200, &b"<p>report</p>"[..]));
    assert_eq!(r.content_type, "text/html; charset=utf-8");
    assert_eq!(respond(&s, &get("/data/summary.json")).body, b"{}");
    assert_eq!(respond(&s, &get("/2025/")).body, b"<p>2025</p>");
    for missing in ["/nope", "/../Cargo.toml", "/data/", "/index.html/"] {
        assert_eq!(respond(&s, &get(missing)).status, 404, "{missing}");
    }
    // A folder without its slash: to the folder, so relative links resolve inside it.
    let r = respond(&s, &get("/2025"));
    assert_eq!(r.status, 302);
    assert_eq!(r.headers, [("Location", "/2025/".to_string())]);
    let post = Request {
        method: "POST".into(),
        path: "/".into(),
    };
    let r = respond(&s, &post);
    assert_eq!(r.status, 405);
    assert_eq!(r.headers, [("Allow", "GET, HEAD".to_string())]);
    assert_eq!(respond(&s, &get("/__serve/version")).body, b"7");
}

#[test]
fn a_message_is_served_at_every_path_but_the_version() {
    let s = Site {
        version: 3,
        pages: Pages::Message {
            status: 500,
            html: b"<p>broken</p>".to_vec(),
        },
    };
    for path in ["/", "/data/summary.json", "/nope"] {
        let r = respond(&s, &get(path));
        assert_eq!((r.status, r.body.as_slice()), (500, &b"<p>broken</p>"[..]));
    }
    let r = respond(&s, &get("/__serve/version"));
    assert_eq!((r.status, r.body.as_slice()), (200, &b"3"[..]));
}

#[test]
fn head_has_the_length_but_no_body() {
    let r = respond(&site(), &get("/data/summary.json"));
    let head = String::from_utf8(encode(&r, true)).unwrap();
    assert_eq!(
        head,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\
Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    );
    let full = encode(&r, false);
    assert_eq!(&full[full.len() - 6..], b"\r\n\r\n{}");
}

#[test]
fn base64_of_rfc_4648_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
    }
}

/// The hash Chromium computes for the script, worked out outside Rust (Python's hashlib and
/// base64 over the same text): what the page's policy has to name.
#[test]
fn the_script_hash_is_its_sha256() {
    assert_eq!(
        script_source(),
        "'sha256-75P29ftcOa7+UZw76lfkhfgsyp5rInCAmkoMFi1RfsY='"
    );
}

const REPORT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

#[test]
fn the_report_policy_lets_only_the_script_and_its_polls_through() {
    assert_eq!(
        allow_reload(REPORT_CSP, "'sha256-AAA='"),
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; \
form-action 'none'; script-src 'sha256-AAA='; connect-src 'self'"
    );
}

#[test]
fn other_policies() {
    let h = "'sha256-AAA='";
    // Own directives are extended; 'none' goes.
    assert_eq!(
        allow_reload("script-src 'self'; connect-src 'none'", h),
        "script-src 'self' 'sha256-AAA='; connect-src 'self'"
    );
    // A hash would switch 'unsafe-inline' off for the page's own scripts: left alone.
    assert_eq!(
        allow_reload("script-src 'unsafe-inline'", h),
        "script-src 'unsafe-inline'"
    );
    assert_eq!(
        allow_reload("script-src 'unsafe-inline' 'nonce-x'", h),
        "script-src 'unsafe-inline' 'nonce-x' 'sha256-AAA='"
    );
    // Without default-src nothing restricts scripts or requests.
    assert_eq!(allow_reload("img-src data:", h), "img-src data:");
    // Falling back on default-src: start from its sources.
    assert_eq!(
        allow_reload("default-src 'self' https://cdn.example", h),
        "default-src 'self' https://cdn.example; script-src 'self' https://cdn.example 'sha256-AAA='; \
connect-src 'self' https://cdn.example"
    );
    assert_eq!(
        allow_reload("DEFAULT-SRC 'none'; script-src-elem 'none';", h),
        "default-src 'none'; script-src-elem 'sha256-AAA='; connect-src 'self'"
    );
}

#[test]
fn csp_metas_are_found_however_written() {
    let h = "'sha256-AAA='";
    let html = "<head><META HTTP-EQUIV=Content-Security-Policy CONTENT=\"default-src 'none'\">\
<meta name=\"csp\" content=\"default-src 'none'\"><svg><metadata content=\"x\"></metadata></svg>\
<meta http-equiv='content-security-policy' content='default-src &#39;none&#39;' /></head>";
    assert_eq!(
        widen_csp_metas(html, h),
        "<head><META HTTP-EQUIV=Content-Security-Policy CONTENT=\"default-src 'none'; \
script-src 'sha256-AAA='; connect-src 'self'\">\
<meta name=\"csp\" content=\"default-src 'none'\"><svg><metadata content=\"x\"></metadata></svg>\
<meta http-equiv='content-security-policy' content=\"default-src 'none'; \
script-src 'sha256-AAA='; connect-src 'self'\" /></head>"
    );
}

#[test]
fn the_script_goes_before_the_last_body_end() {
    let html = b"<html><body><p>x</p><pre></body></pre></BODY></html>";
    let out = String::from_utf8(inject(html, 4)).unwrap();
    assert_eq!(
        out,
        format!(
            "<html><body><p>x</p><pre></body></pre>{}</BODY></html>",
            script_tag(4)
        )
    );
    assert!(script_tag(4).starts_with("<script data-version=\"4\">(function () {"));
    let bare = String::from_utf8(inject(b"<p>x</p>", 1)).unwrap();
    assert_eq!(bare, format!("<p>x</p>{}", script_tag(1)));
    assert_eq!(inject(b"\xff<p>", 1), b"\xff<p>");
}

#[test]
fn the_served_report_page_allows_the_script() {
    let page = format!(
        "<head><meta http-equiv=\"Content-Security-Policy\" content=\"{REPORT_CSP}\"></head><body></body>"
    );
    let files: BTreeMap<String, Vec<u8>> = [
        ("index.html".to_string(), page.clone().into_bytes()),
        ("report.md".to_string(), b"# Report </body>".to_vec()),
    ]
    .into();
    let served = served_files(files, 2);
    let html = String::from_utf8(served["index.html"].clone()).unwrap();
    assert!(
        html.contains(&format!(
            "script-src {}; connect-src 'self'\">",
            script_source()
        )),
        "{html}"
    );
    assert!(
        html.ends_with(&format!("{}</body>", script_tag(2))),
        "{html}"
    );
    assert_eq!(served["report.md"], b"# Report </body>");
}

#[test]
fn the_error_page_escapes_the_message() {
    let page = String::from_utf8(message_page(
        "The report could not be built",
        "Fix it.",
        Some("error: cases.csv:3: value \"<script>alert(1)</script>\": not a date & not a time"),
        5,
    ))
    .unwrap();
    assert!(page.contains(
        "<pre>error: cases.csv:3: value &quot;&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&quot;: not a date &amp; not a time</pre>"
    ), "{page}");
    assert!(!page.contains("<script>alert"));
    assert!(page.contains(&script_tag(5)));
    assert!(!page.contains("Content-Security-Policy"));
}

#[test]
fn edits_are_noticed_even_within_the_same_clock_tick() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("report.toml");
    std::fs::write(&config, "title = \"aaaa\"\n").unwrap();
    let opts = Options {
        config: Some(config.clone()),
        inputs: vec![dir.path().join("cases.csv")],
        ..Options::default()
    };
    let watch = Watch::of_options(&opts);
    let first = watch.fingerprint();
    assert_eq!(watch.fingerprint(), first);
    // Same length, same modification time: only the content tells.
    let modified = std::fs::metadata(&config).unwrap().modified().unwrap();
    std::fs::write(&config, "title = \"bbbb\"\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&config)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let second = watch.fingerprint();
    assert_eq!(first.changed(&second), [config]);
    // A named export that appears is a change too.
    std::fs::write(dir.path().join("cases.csv"), "case_id\n").unwrap();
    assert_eq!(
        second.changed(&watch.fingerprint()),
        [dir.path().join("cases.csv")]
    );
}

#[test]
fn a_new_export_beside_the_config_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("report.toml");
    std::fs::write(&config, "").unwrap();
    let watch = Watch::of_options(&Options {
        config: Some(config),
        ..Options::default()
    });
    let before = watch.fingerprint();
    std::fs::write(dir.path().join("notes.txt"), "not an export").unwrap();
    assert_eq!(watch.fingerprint(), before);
    std::fs::write(dir.path().join("more.CSV"), "case_id\n").unwrap();
    assert_eq!(
        before.changed(&watch.fingerprint()),
        [dir.path().join("more.CSV")]
    );
}
