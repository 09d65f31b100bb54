//! Thin entry point: parse arguments, run, turn errors into messages and exit codes
//! (0 success, 1 invalid data or failed verification, 2 usage/config/I/O, 3 partly verified).
//!
//! A closed pipe (`transparency-report validate … 2>&1 | head -3`) stops the program quietly
//! with exit 0, as ripgrep does: the reader has seen what it wanted. Every line the program
//! prints goes through `cli::out_line`/`cli::err_line`, whose broken pipe comes back here as
//! an error instead of a panic.

use clap::Parser;
use transparency_report::cli::{self, Cli};

fn main() {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(0) => {}
        Ok(code) => std::process::exit(code),
        Err(e) => {
            if e.is_broken_pipe() || cli::err_line(&format!("error: {e}")).is_err() {
                std::process::exit(0);
            }
            std::process::exit(e.exit_code());
        }
    }
}
