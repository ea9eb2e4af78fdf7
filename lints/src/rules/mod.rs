//! One folder per group, one file per rule. The registry lists them.

pub mod backup;
pub mod config;
pub mod envelope;
pub mod framework;
pub mod logging;
pub mod messaging;
pub mod meta;
pub mod monitoring;
pub mod process;
pub mod reliability;
pub mod testing;
