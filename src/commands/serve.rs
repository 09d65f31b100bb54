//! `serve`: build into memory, serve the files on 127.0.0.1, and build again whenever a file
//! the build reads changes (as `zola serve` and `mdbook serve` do). Nothing is written to
//! disk: the report's files live in a map that is swapped whole after each build.
//!
//! A failed build does not stop the server: its error is served as a page at every path
//! until a build succeeds again, and the pages reload themselves after each build.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::commands::build::{self, Options, Plan};
use crate::error::{Error, Result};

pub mod http;
pub mod reload;
pub mod watch;

use http::{Pages, Shared, Site};
use watch::{Fingerprint, Watch};

/// The port when none is given: zola's, so a committee member who uses both finds it
/// familiar, and well away from the ports other development servers take (3000, 8000, 8080).
pub const DEFAULT_PORT: u16 = 1111;

/// How often the files are looked at. A change is built once two looks in a row agree, so an
/// editor that saves in several writes starts one build, not one per write.
const POLL: Duration = Duration::from_millis(300);

pub struct ServeOptions {
    /// The build's flags (`out` is ignored: nothing is written).
    pub build: Options,
    /// 0 for any free port.
    pub port: u16,
}

/// What `serve` has to tell the user; `cli` words it.
pub enum Event<'a> {
    /// Listening at `url` (printed once, before the first build).
    Listening { url: &'a str },
    /// A build finished; `changed` is empty for the first one. `warnings` are new since the
    /// last successful build.
    Built {
        changed: &'a [PathBuf],
        seconds: f64,
        warnings: &'a [String],
    },
    /// A build failed; its error is served until a build succeeds.
    Failed {
        changed: &'a [PathBuf],
        error: &'a Error,
    },
}

/// Serves until the process is stopped (Ctrl-C). Returns only an error: the port cannot be
/// had, or `tell` failed (its output is gone).
pub fn run(opts: &ServeOptions, tell: &mut dyn FnMut(Event) -> Result<()>) -> Result<()> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).map_err(|e| {
        Error::io(
            format!(
                "cannot listen on 127.0.0.1:{} (choose another port with --port N, or --port 0 for any free one)",
                opts.port
            ),
            e,
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("cannot read the address listened on", e))?;
    let shared: Shared = Arc::new(RwLock::new(Arc::new(Site {
        version: 0,
        pages: Pages::Message {
            status: 503,
            html: message_page(
                "Building the report",
                "The first build is under way; this page reloads when it is done.",
                None,
                0,
            ),
        },
    })));
    let server = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("serve-listener".into())
        .spawn(move || http::serve(listener, server))
        .map_err(|e| Error::io("cannot start the server thread", e))?;
    tell(Event::Listening {
        url: &format!("http://{addr}/"),
    })?;

    let mut opts = opts.build.clone();
    // One line per build: the loader's progress would interleave with it.
    opts.progress = false;
    let mut builder = Builder {
        opts,
        version: 0,
        warnings: None,
    };
    let (mut watch, mut built) = builder.build(&shared, &[], tell)?;
    let mut pending: Option<Fingerprint> = None;
    loop {
        std::thread::sleep(POLL);
        let now = watch.fingerprint();
        if now == built {
            pending = None;
            continue;
        }
        if pending.as_ref() != Some(&now) {
            // Still changing, or just changed: look again before building.
            pending = Some(now);
            continue;
        }
        let changed = built.changed(&now);
        (watch, built) = builder.build(&shared, &changed, tell)?;
        pending = None;
    }
}

/// Builds in turn, numbering the builds and remembering what was last said.
struct Builder {
    opts: Options,
    version: u64,
    /// The warnings of the last successful build, so a rebuild repeats none of them.
    warnings: Option<Vec<String>>,
}

impl Builder {
    /// Builds, puts the result (files or error page) in place, tells the user, and returns
    /// what to watch with the stamps it had when the build read it.
    fn build(
        &mut self,
        shared: &Shared,
        changed: &[PathBuf],
        tell: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<(Watch, Fingerprint)> {
        let started = Instant::now();
        // Stamped before reading, so an edit made during the build starts another one.
        let before = Watch::of_options(&self.opts);
        let taken = before.fingerprint();
        // `--periods`: the whole site (its index, every period, the imported files).
        let resolved = match &self.opts.periods {
            Some(_) => Plan::resolve_site(&self.opts),
            None => Plan::resolve(&self.opts),
        };
        let (watch, outcome) = match resolved {
            Err(e) => (before, Err(e)),
            Ok(plan) => {
                let watch = Watch::of_plan(&self.opts, &plan);
                let taken = watch.fingerprint_with(&taken);
                let outcome = match &self.opts.periods {
                    Some(spec) => {
                        build::site::compute_site(&plan, spec, &mut build::Phases::new(false)).map(
                            |s| Built {
                                files: s.files,
                                warnings: s.warnings,
                            },
                        )
                    }
                    None => build::compute(&plan).map(|b| Built {
                        files: b.files,
                        warnings: b.warnings,
                    }),
                };
                (watch, outcome.map(|b| (b, taken)))
            }
        };
        self.version += 1;
        let shown: Vec<PathBuf> = changed.iter().map(|p| shown_path(p)).collect();
        match outcome {
            Ok((built, taken)) => {
                let fresh: Vec<String> = match &self.warnings {
                    Some(old) => built
                        .warnings
                        .iter()
                        .filter(|w| !old.contains(w))
                        .cloned()
                        .collect(),
                    None => built.warnings.clone(),
                };
                self.warnings = Some(built.warnings);
                put(
                    shared,
                    Site {
                        version: self.version,
                        pages: Pages::Files(served_files(built.files, self.version)),
                    },
                );
                tell(Event::Built {
                    changed: &shown,
                    seconds: started.elapsed().as_secs_f64(),
                    warnings: &fresh,
                })?;
                Ok((watch, taken))
            }
            Err(error) => {
                put(
                    shared,
                    Site {
                        version: self.version,
                        pages: Pages::Message {
                            status: 500,
                            html: message_page(
                                "The report could not be built",
                                "Fix the problem and save the file: this page reloads after the next build.",
                                Some(&format!("error: {error}")),
                                self.version,
                            ),
                        },
                    },
                );
                tell(Event::Failed {
                    changed: &shown,
                    error: &error,
                })?;
                Ok((watch, taken))
            }
        }
    }
}

/// What a build hands to the server: a report's files, or a whole site's.
struct Built {
    files: BTreeMap<String, Vec<u8>>,
    warnings: Vec<String>,
}

/// `./narrative.md` as `narrative.md`.
fn shown_path(p: &Path) -> PathBuf {
    p.strip_prefix(".").unwrap_or(p).to_path_buf()
}

fn put(shared: &Shared, site: Site) {
    *shared.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
}

/// A build's files as served: each HTML page with the reload script.
pub fn served_files(
    mut files: BTreeMap<String, Vec<u8>>,
    version: u64,
) -> BTreeMap<String, Vec<u8>> {
    for (key, bytes) in files.iter_mut() {
        if key.ends_with(".html") {
            *bytes = reload::inject(bytes, version);
        }
    }
    files
}

/// A page of the server's own (building, or a failed build's error, HTML-escaped), with the
/// reload script. It has no Content-Security-Policy, so the script runs as it is.
pub fn message_page(title: &str, lead: &str, detail: Option<&str>, version: u64) -> Vec<u8> {
    let esc = tera::escape_html;
    let detail = detail
        .map(|d| format!("<pre>{}</pre>\n", esc(d)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"color-scheme\" content=\"light dark\">\n\
<title>{title} · transparency-report serve</title>\n\
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
pre{{white-space:pre-wrap;overflow-wrap:anywhere;padding:1rem;border:1px solid currentColor;border-radius:.25rem}}</style>\n\
</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{lead}</p>\n{detail}</main>\n{script}\n</body>\n</html>\n",
        title = esc(title),
        lead = esc(lead),
        script = reload::script_tag(version),
    )
    .into_bytes()
}

#[cfg(test)]
mod tests;
