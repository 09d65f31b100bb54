//! A small HTTP/1.1 server for files held in memory: GET and HEAD only, one request per
//! connection (`Connection: close`), each connection on its own thread with time limits.
//!
//! It knows nothing of reports: it serves the keys of a map of relative path → bytes, so a
//! whole site is served as well as one report. No filesystem path is ever built from a
//! request, so `..` and the like can reach nothing but a 404.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The path of the build counter the live-reload script polls. Outside any report's files
/// (their keys never start with `__`).
pub const VERSION_PATH: &str = "/__serve/version";

/// What is served now: one build's files, or a page served at every path instead (the
/// build is under way, or it failed and says why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    /// Relative path (`index.html`, `charts/x.svg`) → bytes.
    Files(BTreeMap<String, Vec<u8>>),
    /// An HTML page and its status (503 while building, 500 for a failed build).
    Message { status: u16, html: Vec<u8> },
}

/// One build as served, with its number (`VERSION_PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub version: u64,
    pub pages: Pages,
}

/// The site being served; the watcher swaps in a new one after each build, and a request
/// takes the one in place when it arrives.
pub type Shared = Arc<RwLock<Arc<Site>>>;

/// The longest request head read; a browser's is a few hundred bytes.
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request or read the answer, so a stuck client
/// holds one thread for a while and nothing else.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// At most this many connections are answered at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 64;

/// A parsed request line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded, without query or fragment; starts with `/`.
    pub path: String,
}

/// An answer, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (`Allow`, `Location`).
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status} {}: {body}\n", reason(status)).into_bytes(),
            headers: Vec::new(),
        }
    }
}

/// Parses the request head's first line. `Err` is the status to answer with (400).
pub fn parse_request_line(head: &[u8]) -> Result<Request, u16> {
    let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = std::str::from_utf8(&head[..line_end]).map_err(|_| 400u16)?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let is_token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    if !is_token(method) || !matches!(version, "HTTP/1.0" | "HTTP/1.1") {
        return Err(400);
    }
    // Origin form only (`/path?query`): this is no proxy.
    if !target.starts_with('/') {
        return Err(400);
    }
    let path = target.split(['?', '#']).next().unwrap_or_default();
    Ok(Request {
        method: method.to_string(),
        path: percent_decode(path).ok_or(400u16)?,
    })
}

/// `%xx` sequences decoded; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `path` with every byte but the unreserved ones and `/` as `%XX`, for a `Location` header.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The key of the map a decoded request path names: `/` and `/dir/` are the folder's
/// `index.html`. Nothing is normalised: `/a/../b` looks up the key `a/../b`, which no build
/// writes, so it is a 404 like any other unknown path.
pub fn key_for(path: &str) -> String {
    let rel = path.strip_prefix('/').unwrap_or(path);
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The media type of a served file, by its extension.
pub fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "txt" | "sig" => "text/plain; charset=utf-8",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// The answer to `req` from `site` (the body is dropped later for HEAD).
pub fn respond(site: &Site, req: &Request) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        let mut r = Response::text(405, "only GET and HEAD are served");
        r.headers.push(("Allow", "GET, HEAD".into()));
        return r;
    }
    if req.path == VERSION_PATH {
        return Response {
            status: 200,
            content_type: "text/plain; charset=utf-8",
            body: site.version.to_string().into_bytes(),
            headers: Vec::new(),
        };
    }
    let files = match &site.pages {
        Pages::Message { status, html } => {
            return Response {
                status: *status,
                content_type: "text/html; charset=utf-8",
                body: html.clone(),
                headers: Vec::new(),
            }
        }
        Pages::Files(files) => files,
    };
    let key = key_for(&req.path);
    if let Some(bytes) = files.get(&key) {
        return Response {
            status: 200,
            content_type: content_type(&key),
            body: bytes.clone(),
            headers: Vec::new(),
        };
    }
    // `/2025` for the folder `2025/`: send the browser to `/2025/`, so the page's relative
    // links (`data/…`) resolve inside the folder.
    if !req.path.ends_with('/') && files.contains_key(&format!("{key}/index.html")) {
        let mut r = Response::text(302, "the folder's page is at the address with a /");
        r.headers
            .push(("Location", format!("{}/", percent_encode(&req.path))));
        return r;
    }
    Response::text(404, &format!("nothing is served at {}", req.path))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// The bytes on the wire: status line, headers, and the body unless `head_only`.
pub fn encode(r: &Response, head_only: bool) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    for (name, value) in &r.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&r.body);
    }
    bytes
}

/// Reads the request head (up to the blank line). `Err` is the status to answer with, or
/// `None` when the client sent nothing usable and gets no answer.
fn read_head(stream: &mut impl Read) -> Result<Vec<u8>, Option<u16>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) if head.is_empty() => return Err(None),
            // A head cut short still has its request line, which is all that is used.
            Ok(0) | Err(_) => return Ok(head),
            Ok(n) => n,
        };
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") || head.windows(2).any(|w| w == b"\n\n") {
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(Some(431));
        }
    }
}

/// Answers one connection and closes it.
pub fn handle(mut stream: TcpStream, shared: &Shared) {
    // Time limits keep a silent or slow client from holding the thread for ever.
    let _ = stream.set_read_timeout(Some(CLIENT_TIMEOUT));
    let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
    let (response, head_only) = match read_head(&mut stream) {
        Err(None) => return,
        Err(Some(status)) => (
            Response::text(status, "the request head is too long"),
            false,
        ),
        Ok(head) => match parse_request_line(&head) {
            Err(status) => (
                Response::text(status, "not an HTTP/1.x request line"),
                false,
            ),
            Ok(req) => {
                // The site in place now; a build finishing meanwhile is for the next request.
                let site = Arc::clone(&shared.read().unwrap_or_else(|e| e.into_inner()));
                (respond(&site, &req), req.method == "HEAD")
            }
        },
    };
    if stream.write_all(&encode(&response, head_only)).is_err() {
        return;
    }
    let _ = stream.flush();
    // Closing with unread bytes (a POST's body) would reset the connection and could lose
    // the answer before the client reads it: end our side, then drain what is left.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 4096];
    let mut left: usize = 1 << 20;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Accepts connections for ever, each answered on a thread of its own (at most
/// `MAX_CONNECTIONS` at once).
pub fn serve(listener: TcpListener, shared: Shared) {
    let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            // Out of file descriptors, say: wait for connections to close rather than spin.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        use std::sync::atomic::Ordering;
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let busy = Response::text(503, "too many connections at once; try again");
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = stream.write_all(&encode(&busy, false));
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (shared, counter) = (Arc::clone(&shared), Arc::clone(&active));
        let spawned = std::thread::Builder::new()
            .name("serve-connection".into())
            .spawn(move || {
                handle(stream, &shared);
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread to be had: the connection was dropped with the closure.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
