//! Thin entry point: parse arguments, run, turn errors into messages and exit codes
//! (0 success, 1 invalid data or failed verification, 2 usage/config/I/O).

use clap::Parser;
use transparency_report::cli::{self, Cli};

fn main() {
    let cli = Cli::parse();
    if let Err(e) = cli::run(cli) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
