//! `paved lint --fix / --unsafe-fixes / --diff`: applying the fixes findings carry.

use clap::Args;
use paved_lints::fix::{self, FixMode};
use paved_lints::{LintOptions, Report};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args, Default)]
pub struct FixArgs {
    /// Apply the safe fixes, then report what remains (with --stdin-filename: print the fixed source on stdout, the report on stderr)
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, apply the unsafe fixes too (they change behaviour; review them)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would change, write nothing (exit 1 when it would change something)
    #[arg(long)]
    pub diff: bool,
}

/// Applies the fixes `args` asks for and returns the report of what remains; `Err` carries
/// the exit code of a run that must stop here.
pub fn apply(args: &FixArgs, options: &LintOptions, report: Report) -> Result<Report, ExitCode> {
    let mode = FixMode {
        unsafe_fixes: args.unsafe_fixes,
    };
    if args.diff {
        return Err(diff(mode, options, &report));
    }
    if !args.fix {
        if args.unsafe_fixes {
            eprintln!(
                "note: `--unsafe-fixes` only widens `--fix` and `--diff`; nothing was changed"
            );
        }
        return Ok(report);
    }
    let (report, summary) =
        fix::fix(options, report, mode).map_err(|e| super::fail(&e.to_string(), None))?;
    // Linting stdin (`--stdin-filename`): the fixed source goes to stdout, as ruff does.
    if let Some(text) = &summary.stdin {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
    for d in &summary.dropped {
        eprintln!(
            "warning: fix for {} at {}:{}:{} not applied: {}",
            d.rule,
            d.path.display(),
            d.start.line,
            d.start.column,
            d.reason
        );
    }
    for path in &summary.read_only {
        eprintln!(
            "warning: cannot write `{}`: read-only; its fixes were not applied",
            path.display()
        );
    }
    let mut line = summary_line(summary.fixed, summary.files.len(), &summary.dropped);
    if !summary.read_only.is_empty() {
        line.push_str(&format!(
            " ({} skipped: read-only)",
            plural(summary.read_only.len(), "file")
        ));
    }
    eprintln!("{line}");
    if !summary.failed.is_empty() {
        for (path, e) in &summary.failed {
            eprintln!("error: cannot write `{}`: {e}", path.display());
        }
        let list = |paths: &mut dyn Iterator<Item = &std::path::PathBuf>| {
            let names: Vec<String> = paths.map(|p| format!("`{}`", p.display())).collect();
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        };
        eprintln!("  written: {}", list(&mut summary.files.iter()));
        eprintln!(
            "  not written (left as they were): {}",
            list(
                &mut summary
                    .failed
                    .iter()
                    .map(|(p, _)| p)
                    .chain(&summary.read_only)
            )
        );
        return Err(ExitCode::from(2));
    }
    if !args.unsafe_fixes {
        hint_unsafe(&report);
    }
    Ok(report)
}

/// `--diff`: the diff of every file that would change on stdout; exit 1 when there is one.
fn diff(mode: FixMode, options: &LintOptions, report: &Report) -> ExitCode {
    let plans = match fix::plan_for(options, report, mode) {
        Ok(p) => p,
        Err(e) => return super::fail(&e.to_string(), None),
    };
    let mut stdout = std::io::stdout().lock();
    let changing: Vec<_> = plans.iter().filter(|p| p.changes()).collect();
    for p in &changing {
        let _ = stdout.write_all(p.diff().as_bytes());
    }
    let dropped: Vec<_> = plans
        .iter()
        .flat_map(|p| p.dropped.iter().cloned())
        .collect();
    for d in &dropped {
        eprintln!(
            "warning: fix for {} at {}:{}:{} would not be applied: {}",
            d.rule,
            d.path.display(),
            d.start.line,
            d.start.column,
            d.reason
        );
    }
    let fixed: usize = changing.iter().map(|p| p.applied).sum();
    let line = summary_line(fixed, changing.len(), &dropped);
    eprintln!("would {}", line.replacen("fixed", "fix", 1));
    if !mode.unsafe_fixes {
        hint_unsafe(report);
    }
    if changing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `fixed 3 findings in 2 files (1 fix skipped: would not parse)`.
fn summary_line(fixed: usize, files: usize, dropped: &[fix::DroppedFix]) -> String {
    let mut line = format!(
        "fixed {} in {}",
        plural(fixed, "finding"),
        plural(files, "file")
    );
    let unparsable = dropped
        .iter()
        .filter(|d| d.reason.contains("parse"))
        .count();
    let other = dropped.len() - unparsable;
    if unparsable > 0 {
        line.push_str(&format!(
            " ({} skipped: would not parse)",
            plural(unparsable, "fix")
        ));
    }
    if other > 0 {
        line.push_str(&format!(" ({} skipped: invalid)", plural(other, "fix")));
    }
    line
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Tells about the fixes `--unsafe-fixes` would add, as ruff does.
fn hint_unsafe(report: &Report) {
    let unsafe_fixable = report
        .active()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| !FixMode::default().admits(f))
        })
        .count();
    if unsafe_fixable > 0 {
        let fixes = if unsafe_fixable == 1 { "fix" } else { "fixes" };
        eprintln!("  hint: {unsafe_fixable} more {fixes} available with `--unsafe-fixes`");
    }
}
