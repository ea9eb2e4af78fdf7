//! `paved`: generate Rust HTTP services with the house idioms, and lint services for drift.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
