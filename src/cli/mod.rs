//! Command-line interface: parses arguments, calls one library entry point, prints its result.

mod adopt;
mod check;
mod explain;
mod fix;
mod lint;
mod new;
mod report;
mod rules;
mod talk;
mod upgrade;

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
    /// Build a slide deck about the house idioms (one self-contained HTML file)
    #[command(long_about = talk::LONG_ABOUT, after_help = talk::EXAMPLES)]
    Talk(talk::TalkArgs),
    /// Score every service of a monorepo per idiom group (HTML, markdown or JSON)
    #[command(long_about = report::LONG_ABOUT, after_help = report::EXAMPLES)]
    Report(report::ReportArgs),
    /// Bring services to the template and kit of this paved (three-way merge)
    #[command(long_about = upgrade::LONG_ABOUT, after_help = upgrade::EXAMPLES)]
    Upgrade(upgrade::UpgradeArgs),
    /// Check services against the template and kit of this paved (for CI)
    #[command(long_about = check::LONG_ABOUT, after_help = check::EXAMPLES)]
    Check(check::CheckArgs),
    /// Record the template answers of a service paved did not generate
    #[command(long_about = adopt::LONG_ABOUT, after_help = adopt::EXAMPLES)]
    Adopt(adopt::AdoptArgs),
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
        Command::Talk(args) => talk::run(args),
        Command::Report(args) => report::run(args),
        Command::Upgrade(args) => upgrade::run(args),
        Command::Check(args) => check::run(args),
        Command::Adopt(args) => adopt::run(args),
    }
}

/// Writes a command's output to stdout. A reader that went away (`paved rules | head`)
/// is not an error worth a panic: what it did not read, it did not want.
pub fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes a document into `dir/name` (creating `dir`) and says so on stderr, or prints
/// it when `dir` is `-`.
pub fn write_output(dir: &std::path::Path, name: &str, text: &str) -> ExitCode {
    if dir == std::path::Path::new("-") {
        print_out(text);
        return ExitCode::SUCCESS;
    }
    let file = dir.join(name);
    match std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&file, text)) {
        Ok(()) => {
            eprintln!(
                "wrote {} ({} KB)",
                file.display(),
                text.len().div_ceil(1024)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(
            &format!("cannot write `{}`: {e}", file.display()),
            Some("pass a folder you can write to with -o, or `-o -` for stdout"),
        ),
    }
}

/// Prints an error the way cargo does (`error: ...` and a hint) and returns exit code 2.
pub fn fail(message: &str, hint: Option<&str>) -> ExitCode {
    eprintln!("error: {message}");
    if let Some(hint) = hint {
        eprintln!("  hint: {hint}");
    }
    ExitCode::from(EXIT_FAILURE)
}
