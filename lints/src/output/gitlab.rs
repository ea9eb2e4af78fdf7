//! `--format gitlab`: the Code Climate JSON that GitLab reads as a code quality report
//! (`artifacts: reports: codequality`). Severity: deny findings are `major`, warn findings
//! `minor`. The fingerprint is the baseline fingerprint, stable across line shifts.

use super::Ci;
use crate::diagnostic::Level;
use crate::engine::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// A JSON array with one issue per active finding; paths relative to the repository root.
pub fn render(report: &Report, ci: &Ci) -> String {
    let issues: Vec<Issue> = report
        .diagnostics
        .iter()
        .zip(ci.fingerprints)
        .filter(|(d, _)| d.suppressed.is_none())
        .map(|(d, fp)| Issue {
            description: format!("{}: {}", d.rule, d.message),
            check_name: d.rule.name(),
            fingerprint: fp,
            severity: severity(d.level),
            location: Location {
                path: ci.repo.display(&d.path),
                lines: Lines {
                    begin: d.start.line,
                    end: d.end.line.max(d.start.line),
                },
            },
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("issues serialize") + "\n"
}

/// GitLab's scale is info, minor, major, critical, blocker.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Deny => "major",
        Level::Warn => "minor",
        Level::Allow => "info",
    }
}
