//! From the typed case table to the published figures: aggregation, suppression, history.

pub mod aggregate;
pub mod history;
pub mod imports;
pub mod recorded;
pub mod suppress;
