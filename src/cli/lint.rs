//! `paved lint`: run the linter and print its report.

use clap::{Args, ValueEnum};
use paved_lints::output;
use paved_lints::{Level, LintOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style findings with the source line and a caret
    Human,
    /// `path:line:col: level[rule] message`, one line per finding
    Short,
    /// Machine-readable JSON (a stable contract, see docs)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint (a crate, a workspace or a whole monorepo)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(flatten)]
    pub fix: super::fix::FixArgs,
}

pub fn run(args: LintArgs) -> ExitCode {
    let options = LintOptions { paths: args.paths, ..LintOptions::default() };
    let report = match paved_lints::lint(&options) {
        Ok(r) => r,
        Err(e) => return super::fail(&e.to_string(), hint(&e)),
    };
    // With --fix/--diff: apply (or show) the fixes and report what remains.
    let report = match super::fix::apply(&args.fix, &options, report) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let text = match args.format {
        Format::Human => output::human::render(&report, use_color(args.color)),
        Format::Short => output::short::render(&report),
        Format::Json => output::json::render(&report),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`paved lint | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    if report.count(Level::Deny) > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn hint(e: &paved_lints::LintError) -> Option<&'static str> {
    match e {
        paved_lints::LintError::PathNotFound(_) => Some("pass a crate, workspace or monorepo folder, or a .rs file"),
        paved_lints::LintError::Config(_) => Some("fix paved.toml; `paved rules` lists rule and group names"),
        _ => None,
    }
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
}
