//! Command-line interface: parses arguments, calls one library entry point, prints its result.

mod new;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The paved road for Rust HTTP services.
#[derive(Debug, Parser)]
#[command(name = "paved", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new service that follows the house idioms
    New(new::NewArgs),
}

/// Exit code for a run that itself failed (bad arguments, unreadable input).
pub const EXIT_FAILURE: u8 = 2;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::New(args) => new::run(args),
    }
}
