//! Renders a `Report` in the formats of `--format`. Renderers return strings; only the CLI prints.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod short;

use crate::diagnostic::Level;
use crate::engine::Report;

/// The closing line of human output: what was found, in how many files and crates.
pub fn summary_line(report: &Report) -> String {
    let deny = report.count(Level::Deny);
    let warn = report.count(Level::Warn);
    let suppressed = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_some())
        .count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = if deny + warn == 0 {
        "no problems found".to_string()
    } else {
        format!(
            "found {} and {}",
            plural(deny, "error"),
            plural(warn, "warning")
        )
    };
    line.push_str(&format!(
        " in {} ({})",
        plural(report.files, "file"),
        plural(report.crates, "crate")
    ));
    if suppressed > 0 {
        line.push_str(&format!("; {suppressed} suppressed"));
    }
    line
}

/// What the CI formats need beside the report: repository-relative paths and the baseline
/// fingerprint of every finding (`fingerprints[i]` belongs to `report.diagnostics[i]`).
pub struct Ci<'a> {
    pub repo: &'a crate::baseline::RepoPaths,
    pub fingerprints: &'a [String],
}

/// The level word of CI systems: `error` for deny, `warning` for warn.
fn error_or_warning(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "note",
    }
}
