//! `--format json`: the contract of docs/architecture.md "JSON output". Field order is fixed by the
//! struct definitions below; adding a field is fine, renaming one is not.

use crate::diagnostic::{Fix, Level};
use crate::engine::Report;
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    group: &'a str,
    level: Level,
    path: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    help: Option<&'a str>,
    fix: Option<&'a Fix>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    crates: usize,
    deny: usize,
    warn: usize,
}

pub fn render(report: &Report) -> String {
    let json = JsonReport {
        version: 1,
        diagnostics: report
            .active()
            .map(|d| JsonDiagnostic {
                rule: d.rule.name(),
                group: d.group,
                level: d.level,
                path: crate::paths::slash_path(&d.path),
                line: d.start.line,
                column: d.start.column,
                end_line: d.end.line,
                end_column: d.end.column,
                message: &d.message,
                help: d.help.as_deref(),
                fix: d.fix.as_ref(),
            })
            .collect(),
        summary: Summary {
            files: report.files,
            crates: report.crates,
            deny: report.count(Level::Deny),
            warn: report.count(Level::Warn),
        },
    };
    serde_json::to_string_pretty(&json).expect("a report always serializes") + "\n"
}
