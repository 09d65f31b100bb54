//! transparency-report: a Code of Conduct committee's anonymised case export in, a
//! reproducible, publishable transparency report out.
//!
//! The pipeline, top to bottom. Data flows one way: a module only uses modules below it.
//!
//! ```text
//! cli                  clap definitions, dispatch to commands
//! commands/            build verify init: one module per subcommand
//!                      build = load → compute → present → publish
//! load/                export → typed case table; every error with file:line:column
//! compute/             aggregate (polars → model::Summary), suppress (proved by an LP
//!                      disclosure audit, SPEC §7), recorded facts, history
//! present/             Summary → charts (SVG), report pages (tera), data files, DSA figures;
//!                      text: every word and number format they share
//! publish/             atomic write of output/<label>/, the manifest
//! synth/               the deterministic sample export
//! summaries/           the committee's public summaries: read, screened, gated by
//!                      confirmation and by the counts the report withholds
//! config               settings, taxonomy, presets; calendar (day numbers, business days)
//! schema model         the floor: the export's columns and enums; the typed result of a
//! error hash version   build; error types (importing no sibling); SHA-256; the tool's
//!                      version and Cargo.lock hash
//! ```

pub mod cli;
pub mod commands;
pub mod compute;
pub mod config;
pub mod error;
pub mod hash;
pub mod load;
pub mod model;
pub mod present;
pub mod publish;
pub mod schema;
pub mod summaries;
pub mod synth;
pub mod version;
