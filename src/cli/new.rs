//! `paved new`: placeholder until the generator lands.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Name of the service (a valid crate name)
    pub name: String,
}

pub fn run(_args: NewArgs) -> ExitCode {
    ExitCode::from(super::EXIT_FAILURE)
}
