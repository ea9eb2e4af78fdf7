//! `paved lint --fix / --unsafe-fixes / --diff`: applying the fixes findings carry.

use clap::Args;
use paved_lints::{LintOptions, Report};
use std::process::ExitCode;

#[derive(Debug, Args, Default)]
pub struct FixArgs {}

/// Applies the fixes `args` asks for and returns the report of what remains; `Err` carries
/// the exit code of a run that must stop here.
pub fn apply(_args: &FixArgs, _options: &LintOptions, report: Report) -> Result<Report, ExitCode> {
    Ok(report)
}
