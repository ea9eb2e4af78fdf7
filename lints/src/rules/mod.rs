//! One folder per group, one file per rule. The registry lists them.

pub mod logging;
pub mod framework;
pub mod process;
pub mod envelope;
pub mod config;
pub mod monitoring;
pub mod backup;
pub mod testing;
pub mod reliability;
pub mod meta;
