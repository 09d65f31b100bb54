//! From the figures to what a reader sees: charts, the report pages, the data files.

pub mod chart;
pub mod data;
pub mod dsa;
pub mod report;
pub mod site;
pub mod text;
