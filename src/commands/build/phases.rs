//! The step a build is at, on stderr.

use std::io::Write;

/// The step a build is at, shown on stderr while it runs (only when stderr is a terminal
/// and not `--quiet`, as the loader's progress): one line, rewritten at each step and
/// cleared at the end. The loader's percentage takes over the line while a large export is
/// read.
pub struct Phases {
    pub(super) out: Option<Box<dyn Write>>,
    shown: bool,
}

impl Phases {
    /// On stderr when `enabled`, else silent.
    pub fn new(enabled: bool) -> Self {
        Phases {
            out: enabled.then(|| Box::new(std::io::stderr()) as Box<dyn Write>),
            shown: false,
        }
    }

    /// To any writer (tests stand in for a terminal this way).
    pub fn to_writer(out: Box<dyn Write>) -> Self {
        Phases {
            out: Some(out),
            shown: false,
        }
    }

    /// Shows `what` as the step now running.
    pub fn start(&mut self, what: &str) {
        if let Some(out) = &mut self.out {
            // Progress is a courtesy: a closed or full stderr must not stop the build.
            let _ = write!(out, "\r{what}…\x1b[K").and_then(|()| out.flush());
            self.shown = true;
        }
    }

    /// Clears the line.
    pub fn finish(&mut self) {
        if let (Some(out), true) = (&mut self.out, self.shown) {
            let _ = write!(out, "\r\x1b[K").and_then(|()| out.flush());
            self.shown = false;
        }
    }
}

impl Drop for Phases {
    fn drop(&mut self) {
        self.finish();
    }
}
