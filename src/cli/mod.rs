//! Command-line interface: parses arguments, calls one library entry point, prints its result.

mod explain;
mod fix;
mod lint;
mod new;
mod rules;

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
    /// Check services for drift from the house idioms
    Lint(lint::LintArgs),
    /// Explain a rule (or list the rules of a group)
    Explain(explain::ExplainArgs),
    /// List every rule with its group, default level and summary
    Rules(rules::RulesArgs),
}

/// Exit code for a run that itself failed (bad arguments, unreadable input).
pub const EXIT_FAILURE: u8 = 2;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::New(args) => new::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules(args) => rules::run(args),
    }
}

/// Writes a command's output to stdout. A reader that went away (`paved rules | head`)
/// is not an error worth a panic: what it did not read, it did not want.
pub fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Prints an error the way cargo does (`error: ...` and a hint) and returns exit code 2.
pub fn fail(message: &str, hint: Option<&str>) -> ExitCode {
    eprintln!("error: {message}");
    if let Some(hint) = hint {
        eprintln!("  hint: {hint}");
    }
    ExitCode::from(EXIT_FAILURE)
}
