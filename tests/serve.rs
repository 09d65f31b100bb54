//! `serve` end to end: the binary on a free loopback port, asked over plain TCP as a browser
//! would, while the files it watches are edited.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use common::{root, run, stderr};

/// How long a change may take to show (a rebuild of the example takes a fraction of a second;
/// the margin is for a loaded machine).
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `serve`; killed when dropped, also when a test fails half-way.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_transparency-report"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs");
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr: Arc::default(),
        };
        // Both pipes are drained, so a chatty server never blocks on a full pipe.
        let err = server.child.stderr.take().unwrap();
        let log = Arc::clone(&server.stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                log.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let out = server.child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
            panic!(
                "serve printed no address; stderr:\n{}",
                server.stderr.lock().unwrap()
            )
        });
        let url = line
            .strip_prefix("Serving the report on http://")
            .and_then(|l| l.strip_suffix("/ — press Ctrl-C to stop"))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        server.addr = url.parse().expect("an address and port");
        assert!(server.addr.ip().is_loopback(), "{line}");
        assert_ne!(server.addr.port(), 0);
        server
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends `request` as it is and returns status, head and body.
    fn raw(&self, request: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
        let status = head[9..12].parse().unwrap();
        (status, head, bytes[split + 4..].to_vec())
    }

    fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", path);
        (status, String::from_utf8(body).unwrap())
    }

    /// GETs `path` until `ok` holds for the answer, for at most `PATIENCE`.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{what}: still {status} after {PATIENCE:?}:\n{body}\nstderr:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// A report folder as `init` makes it, for 2025.
fn report_folder(parent: &Path) -> PathBuf {
    let o = run(parent, &["init", "report", "--year", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    parent.join("report")
}

fn names(dir: &Path) -> Vec<String> {
    common::snapshot(dir).into_iter().map(|(n, _)| n).collect()
}

/// The headline figure of the page.
fn received(n: u64) -> String {
    format!("<dt>Cases received</dt><dd class=\"stat-value\">{n}</dd>")
}

const TITLE: &str =
    "<title>American Library Association Code of Conduct transparency report 2025</title>";

#[test]
fn serve_shows_the_report_and_every_edit_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = report_folder(tmp.path());
    // What `build` writes, elsewhere, to compare the served files with.
    let built = tmp.path().join("built");
    let o = run(&dir, &["build", "--out", built.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files_before = names(&dir);

    let server = Server::start(&dir, &[]);
    let page = server.wait_for("/", "the first build", |s, _| s == 200);
    assert!(page.contains(TITLE), "{page}");

    // The served files are the built ones; only the HTML page gets the reload script.
    let (status, head, json) = server.request("GET", "/data/summary.json");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Content-Type"), Some("application/json"));
    assert_eq!(header(&head, "Cache-Control"), Some("no-store"));
    assert_eq!(
        json,
        std::fs::read(built.join("data/summary.json")).unwrap()
    );
    let (_, _, manifest) = server.request("GET", "/manifest.json");
    assert_eq!(
        manifest,
        std::fs::read(built.join("manifest.json")).unwrap()
    );
    let (_, head, svg) = server.request("GET", "/charts/categories.svg");
    assert_eq!(header(&head, "Content-Type"), Some("image/svg+xml"));
    assert_eq!(
        svg,
        std::fs::read(built.join("charts/categories.svg")).unwrap()
    );
    let written = std::fs::read_to_string(built.join("index.html")).unwrap();
    let script_at = page
        .find("<script data-version=\"1\">")
        .expect("the reload script");
    let script_end = page[script_at..].find("</script>").unwrap() + script_at + "</script>".len();
    let without_script = format!("{}{}", &page[..script_at], &page[script_end..]);
    let csp = "form-action 'none'";
    assert_eq!(
        without_script.replacen(
            &format!("{csp}; script-src 'sha256-75P29ftcOa7+UZw76lfkhfgsyp5rInCAmkoMFi1RfsY='; connect-src 'self'"),
            csp,
            1
        ),
        written
    );
    let (_, head, md) = server.request("GET", "/report.md");
    assert_eq!(
        header(&head, "Content-Type"),
        Some("text/markdown; charset=utf-8")
    );
    assert_eq!(md, std::fs::read(built.join("report.md")).unwrap());

    // HEAD: the same head, no body.
    let (status, head, body) = server.request("HEAD", "/");
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "Content-Length"),
        Some(page.len().to_string().as_str())
    );
    assert!(body.is_empty());

    // Only the build's files: nothing else on disk is reachable.
    assert_eq!(server.get("/nope").0, 404);
    assert_eq!(server.get("/../Cargo.toml").0, 404);
    assert_eq!(server.get("/%2e%2e/report.toml").0, 404);
    assert_eq!(server.get("/report.toml").0, 404);
    assert_eq!(server.get("/narrative.md").0, 404);
    let (status, head, _) = server.request("POST", "/");
    assert_eq!((status, header(&head, "Allow")), (405, Some("GET, HEAD")));
    assert_eq!(server.raw("nonsense\r\n\r\n").0, 400);
    assert_eq!(server.get("/__serve/version"), (200, "1".into()));

    // The narrative, edited: the page shows the new text after one rebuild.
    std::fs::write(
        dir.join("narrative.md"),
        "## A word from the committee\n\nThe committee met *eleven* times this year.\n",
    )
    .unwrap();
    let page = server.wait_for("/", "the new narrative", |s, b| {
        s == 200 && b.contains("<p>The committee met <em>eleven</em> times this year.</p>")
    });
    assert!(page.contains("<script data-version=\"2\">"));
    assert_eq!(server.get("/__serve/version"), (200, "2".into()));
    assert!(
        server.log().contains("narrative.md changed: rebuilt in "),
        "{}",
        server.log()
    );

    // A broken config: the error, escaped, at every path; the server goes on.
    let config = std::fs::read_to_string(dir.join("report.toml")).unwrap();
    std::fs::write(dir.join("report.toml"), format!("{config}\n<oops>\n")).unwrap();
    let error = server.wait_for("/", "the error page", |s, _| s == 500);
    assert!(
        error.contains("<pre>error: config report.toml: TOML parse error"),
        "{error}"
    );
    assert!(error.contains("&lt;oops&gt;"), "{error}");
    assert!(!error.contains("<oops>"), "{error}");
    assert_eq!(server.get("/data/summary.json"), (500, error.clone()));
    assert_eq!(server.get("/__serve/version"), (200, "3".into()));
    assert!(
        server
            .log()
            .contains("error: config report.toml: TOML parse error"),
        "{}",
        server.log()
    );

    // Fixed: the report again, with the edited narrative.
    std::fs::write(dir.join("report.toml"), &config).unwrap();
    let page = server.wait_for("/", "the report after the fix", |s, _| s == 200);
    assert!(page.contains(TITLE) && page.contains("<em>eleven</em>"));

    // Nothing was written: the same files, and no output/.
    drop(server);
    assert_eq!(names(&dir), files_before);
    assert!(!dir.join("output").exists());
}

#[test]
fn a_template_edit_and_a_new_export_are_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = report_folder(tmp.path());
    let server = Server::start(&dir, &[]);
    let page = server.wait_for("/", "the first build", |s, _| s == 200);
    assert!(page.contains(&received(60)), "{page}");

    let template = dir.join("templates/report.html.tera");
    let html = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        &template,
        html.replacen("<main", "<p id=\"draft\">DRAFT</p>\n<main", 1),
    )
    .unwrap();
    server.wait_for("/", "the edited template", |s, b| {
        s == 200 && b.contains("<p id=\"draft\">DRAFT</p>")
    });

    // Every *.csv beside report.toml is read: a second export is picked up when it appears.
    let export = std::fs::read_to_string(dir.join("cases.csv")).unwrap();
    let header_end = export.find('\n').unwrap() + 1;
    // The same 60 cases again under other ids: 120 cases in all.
    let second: String = export[header_end..]
        .lines()
        .map(|l| format!("X{l}\n"))
        .collect();
    std::fs::write(
        dir.join("more.csv"),
        format!("{}{second}", &export[..header_end]),
    )
    .unwrap();
    let page = server.wait_for("/", "the second export", |s, b| {
        s == 200 && b.contains(&received(120))
    });
    assert!(page.contains("<p id=\"draft\">DRAFT</p>"));
}

#[test]
fn a_stuck_client_does_not_hold_up_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = report_folder(tmp.path());
    let server = Server::start(&dir, &[]);
    server.wait_for("/", "the first build", |s, _| s == 200);
    // Connected, half a request line, then silence.
    let mut stuck = TcpStream::connect(server.addr).unwrap();
    stuck.write_all(b"GET /ind").unwrap();
    let start = Instant::now();
    assert_eq!(server.get("/data/summary.json").0, 200);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = run(&root(), &["serve", "--port", &port]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "error: cannot listen on 127.0.0.1:{port} (choose another port with --port N, or --port 0 for any free one): "
        )),
        "{}",
        stderr(&o)
    );
}

/// Ignored, like the accessibility check, since it needs Chromium and the npm modules of
/// tests/browser; `.ci/run` runs it with `--ignored`. The page's own Content-Security-Policy
/// is in force: the reload script must run under it and reach the server.
#[test]
#[ignore = "needs Chromium and the npm modules of tests/browser; .ci/run runs it with --ignored"]
fn the_page_reloads_itself_in_a_real_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = report_folder(tmp.path());
    let server = Server::start(&dir, &[]);
    server.wait_for("/", "the first build", |s, _| s == 200);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let o = Command::new("node")
        .arg(root().join("tests/browser/live-reload.mjs"))
        .arg(format!("http://{}/", server.addr))
        .arg(dir.join("narrative.md"))
        .arg(shots.join("serve-reloaded.png"))
        .output()
        .expect("node is installed (.ci/run installs the browser test's modules)");
    println!("{}", common::stdout(&o));
    assert!(
        o.status.success(),
        "live reload failed:\n{}\n{}\nserve:\n{}",
        common::stdout(&o),
        stderr(&o),
        server.log()
    );
    assert!(server.log().contains("narrative.md changed: rebuilt in "));
}

#[test]
fn serve_periods_shows_the_site_with_its_imported_years_and_every_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("django");
    std::fs::create_dir_all(dir.join("published")).unwrap();
    let from = common::fixtures().join("imports");
    for f in [
        "report.toml",
        "export.csv",
        "narrative.md",
        "published/statistics-2023-03-24.csv",
        "published/statistics-2026-02-10.csv",
    ] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
    }
    let before = names(&dir);
    let server = Server::start(&dir, &["--config", "report.toml", "--periods", "2025"]);
    let index = server.wait_for("/", "the site's index", |s, _| s == 200);
    assert!(
        index.contains("<th scope=\"col\" class=\"num\">2015†</th>"),
        "{index}"
    );
    assert!(
        index.contains("<a href=\"2025/index.html\">2025</a>"),
        "{index}"
    );
    assert!(index.contains("<script data-version=\"1\">"));
    let (status, page) = server.get("/2025/");
    assert_eq!(status, 200);
    assert!(page.contains("2025 compared with 2024"), "{page}");
    let (status, csv) = server.get("/imported/statistics-2026-02-10.csv");
    assert_eq!(
        (status, csv.as_str()),
        (200, "Year,Reports,People named\n2023,4,4\n2024,10,9\n")
    );

    std::fs::write(
        dir.join("narrative.md"),
        "## From the working group\n\nWe met *twelve* times in 2025.\n",
    )
    .unwrap();
    let page = server.wait_for("/2025/", "the new narrative", |s, b| {
        s == 200 && b.contains("<p>We met <em>twelve</em> times in 2025.</p>")
    });
    assert!(page.contains("<script data-version=\"2\">"));
    // An imported figure corrected: the index shows it after a rebuild.
    let stats = dir.join("published/statistics-2026-02-10.csv");
    std::fs::write(&stats, "Year,Reports,People named\n2023,5,4\n2024,10,9\n").unwrap();
    server.wait_for("/data/figures.csv", "the corrected import", |s, b| {
        s == 200 && b.contains("2023,cases,total,5,imported\n")
    });
    // Nothing was written.
    assert_eq!(names(&dir), before);
    assert!(!dir.join("output").exists());
}
