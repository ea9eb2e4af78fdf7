//! The paved linter: finds where Rust HTTP services drift from the house idioms.
//!
//! [`lint`] runs in two phases (docs/architecture.md "Two phases"): every `.rs` file is read, parsed
//! and walked once, in parallel, with all file rules; then crate rules run over the facts
//! phase 1 kept. The library returns a [`Report`]; rendering it is [`output`]'s job.

// The walker borrows the syntax trees it walks (`walk::Walker<'ast>`); nothing here needs
// `unsafe`, and this keeps it so.
#![forbid(unsafe_code)]

pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod fix;
pub mod output;
pub mod paths;
pub mod registry;
pub mod role;
pub mod rule;

mod analyze;
mod atomic;
mod binary_roles;
mod cache;
mod clients;
mod command_output;
mod comments;
mod context;
mod crate_role;
mod discover;
mod engine;
mod generated;
mod hot_path;
mod line_index;
mod manifest;
mod model;
mod resolve;
mod router;
mod rules;
mod run_facts;
mod suppress;
mod test_modules;
mod walk;

pub use config::{ConfigError, LevelSetting, Selector};
pub use context::{CrateCx, FileCx};
pub use crate_role::RoleDecision;
pub use diagnostic::{Diagnostic, Level};
pub use engine::{CrateSummary, LintOptions, Report, lint};
pub use router::RouterSummary;

/// Why a lint run could not be done at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("path `{}` does not exist", .0.display())]
    PathNotFound(std::path::PathBuf),
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("cannot read `{}`: {}", .0.display(), .1)]
    Io(std::path::PathBuf, String),
    #[error("cannot walk `{}`: {}", .0.display(), .1)]
    Walk(std::path::PathBuf, String),
}
