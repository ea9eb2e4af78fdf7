//! HTTP handlers, one file per resource.

pub mod metrics;
pub mod notes;
pub mod ping;
