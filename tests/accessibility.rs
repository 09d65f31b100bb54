//! Every community shape the tool supports, in a real browser: each fixture community's report
//! (and the closing-session slide) is built as its committee would build it and checked by
//! axe in light and dark, offline and at a narrow width (`tests/browser/a11y.mjs`).
//!
//! The checks need Debian's Chromium and the npm modules of tests/browser, so they are
//! `#[ignore]`d in a plain `cargo test`; `.ci/run` runs them with `--ignored`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{build_fixture, root, stderr, stdout};

/// Runs the browser check on `page`, screenshots under the target's tmp dir.
fn axe(page: &Path, shots: &str, slide: bool) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("screenshots")
        .join(shots);
    let mut cmd = Command::new("node");
    cmd.arg(root().join("tests/browser/a11y.mjs"))
        .arg(page)
        .arg(&dir);
    if slide {
        cmd.arg("--slide");
    }
    let o = cmd
        .output()
        .expect("node is installed (.ci/run installs the browser test's modules)");
    assert!(
        o.status.success(),
        "{shots}: browser check failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(dir.join("light.png").is_file() && dir.join("dark.png").is_file());
}

#[test]
#[ignore = "needs Chromium and the npm modules of tests/browser; .ci/run runs it with --ignored"]
fn every_community_report_passes_axe_in_a_real_browser() {
    for name in [
        "psf",
        "django-2025",
        "pycon-us-2018",
        "pycascades-2023",
        "carpentries-2020q2",
        "notice_log",
    ] {
        let (_d, out) = build_fixture(name, "");
        axe(&out.join("index.html"), name, false);
    }
}

#[test]
#[ignore = "needs Chromium and the npm modules of tests/browser; .ci/run runs it with --ignored"]
fn the_closing_session_slide_fits_1920_by_1080_and_passes_axe() {
    // The longest labels of the fixtures (PSF's) and a period without cases.
    for name in ["psf", "carpentries-2020q2"] {
        let (_d, out) = build_fixture(name, "[slide]\n");
        assert!(out.join("slide.svg").is_file(), "{name}");
        axe(&out.join("slide.html"), &format!("{name}-slide"), true);
    }
}
