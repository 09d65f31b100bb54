//! Unit tests of `build` (kept in their own file).

use std::sync::{Arc, Mutex};

use std::io::Write;

use super::*;

/// A writer the test can read back: stands in for a terminal on stderr.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

fn fixture_options(out: &Path) -> Options {
    Options {
        config: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report.toml")),
        out: Some(out.to_path_buf()),
        ..Options::default()
    }
}

#[test]
fn each_phase_of_a_build_is_shown_while_it_runs_then_cleared() {
    let d = tempfile::tempdir().unwrap();
    let screen = Screen::default();
    let mut phases = Phases::to_writer(Box::new(screen.clone()));
    run_with(&fixture_options(&d.path().join("out")), &mut phases).unwrap();
    let text = screen.text();
    let steps: Vec<&str> = text
        .split('\r')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches("\x1b[K"))
        .collect();
    let out = d.path().join("out");
    assert_eq!(
        steps[..4],
        [
            "reading 1 export…",
            "computing the figures of 22 rows…",
            "checking for small counts (suppression and the disclosure audit)…",
            "rendering the charts and the report…",
        ],
        "{text:?}"
    );
    assert!(
        steps[4].starts_with("saving ")
            && steps[4].ends_with(&format!(" files to {}…", out.display())),
        "{text:?}"
    );
    assert_eq!(steps.len(), 6, "{text:?}");
    // The last thing written clears the line, so the summary line starts clean.
    assert!(text.ends_with("\r\x1b[K"), "{text:?}");
}

#[test]
fn a_failed_build_clears_the_phase_line_too() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("bad.csv"),
        "case_id,reported_at,platform,category\nX,never,blog,age\n",
    )
    .unwrap();
    let screen = Screen::default();
    {
        let mut phases = Phases::to_writer(Box::new(screen.clone()));
        let mut opts = fixture_options(&d.path().join("out"));
        opts.inputs = vec![d.path().join("bad.csv")];
        assert!(matches!(
            run_with(&opts, &mut phases),
            Err(Error::InvalidData(_))
        ));
    }
    let text = screen.text();
    assert!(text.starts_with("\rreading 1 export…"), "{text:?}");
    assert!(text.ends_with("\r\x1b[K"), "{text:?}");
}

#[test]
fn phases_are_silent_unless_enabled() {
    // `Phases::new(false)` (not a terminal, or --quiet) writes nowhere; this only checks
    // that starting and finishing steps without a writer is harmless.
    let mut p = Phases::new(false);
    p.start("reading");
    p.finish();
    assert!(p.out.is_none());
}
