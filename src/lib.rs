//! transparency-report: a Code of Conduct committee's anonymised case export in, a
//! reproducible, publishable transparency report out.
//!
//! The pipeline, top to bottom (a module only uses modules below it):
//!
//! ```text
//! cli                         clap definitions, dispatch
//! build verify init sample    one module per command
//! load validate               export → typed case table, every error with file:line:column
//! aggregate                   polars lazy queries → model::Summary (SPEC §5)
//! suppress                    small-cell suppression, proved by an LP disclosure audit (SPEC §7)
//! chart render data           Summary → SVG, HTML/Markdown (tera), JSON/CSV
//! publish manifest            atomic write of output/<label>/, hashes
//! config model error          settings, the typed result, error types
//! ```

pub mod aggregate;
pub mod build;
pub mod chart;
pub mod cli;
pub mod config;
pub mod data;
pub mod dsa;
pub mod error;
pub mod history;
pub mod init;
pub mod load;
pub mod manifest;
pub mod model;
pub mod publish;
pub mod render;
pub mod sample;
pub mod suppress;
pub mod validate;
pub mod verify;
