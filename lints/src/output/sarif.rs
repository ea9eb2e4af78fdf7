//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. One `rules[]` entry per
//! registry rule, findings as `results[]` with repository-relative locations, suppressed
//! findings kept with `suppressions[]`, and the baseline fingerprint as
//! `partialFingerprints.primaryLocationLineHash`.

use super::{Ci, error_or_warning};
use crate::diagnostic::Diagnostic;
use crate::docs;
use crate::engine::Report;
use crate::registry::RULES;
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Locations are relative to the repository root, named by this base id.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

/// The whole log, pretty-printed. Every finding of the report is included; suppressed ones
/// carry `suppressions`.
pub fn render(report: &Report, ci: &Ci) -> String {
    let results = report
        .diagnostics
        .iter()
        .zip(ci.fingerprints)
        .map(|(d, fp)| result(d, fp, ci))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "paved",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_string_pretty(&log).expect("a SARIF log always serializes") + "\n"
}

fn rules() -> Vec<ReportingDescriptor> {
    RULES
        .iter()
        .map(|r| {
            let page = docs::display(r.doc);
            ReportingDescriptor {
                id: r.name,
                name: r.name,
                short_description: Text {
                    text: r.summary.to_string(),
                },
                full_description: Text {
                    text: docs::section(r.doc, "What it does")
                        .unwrap_or_else(|| r.summary.to_string()),
                },
                help: Help {
                    text: page.clone(),
                    markdown: page,
                },
                help_uri: format!(
                    "{}/blob/main/docs/rules/{}.md",
                    env!("CARGO_PKG_REPOSITORY"),
                    r.name
                ),
                default_configuration: Configuration {
                    level: level_of(r.default_level),
                },
                properties: Properties {
                    tags: [r.group.as_str()],
                },
            }
        })
        .collect()
}

fn level_of(level: crate::Level) -> &'static str {
    match level {
        crate::Level::Allow => "none",
        other => error_or_warning(other),
    }
}

fn result<'a>(d: &Diagnostic, fingerprint: &'a str, ci: &Ci) -> SarifResult<'a> {
    let (uri, uri_base_id) = match ci.repo.relative(&d.path) {
        Some(rel) => (percent_encode(&rel), Some(SRCROOT)),
        // Outside the repository: a plain reference as shown (GitHub ignores such results).
        None => (percent_encode(&crate::paths::slash_path(&d.path)), None),
    };
    let start_line = d.start.line.max(1);
    let start_column = d.start.column.max(1);
    let (end_line, end_column) = if (d.end.line, d.end.column) > (start_line, start_column) {
        (d.end.line, d.end.column)
    } else {
        (start_line, start_column + 1)
    };
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    SarifResult {
        rule_id: d.rule.name(),
        rule_index: d.rule.index(),
        level: level_of(d.level),
        message: Text { text },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri, uri_base_id },
                region: Region {
                    start_line,
                    start_column,
                    end_line,
                    end_column,
                },
            },
        }],
        partial_fingerprints: BTreeMap::from([("primaryLocationLineHash", fingerprint)]),
        suppressions: d
            .suppressed
            .iter()
            .map(|s| Suppression {
                kind: "inSource",
                justification: s.reason.clone(),
            })
            .collect(),
    }
}

/// Percent-encodes what may not appear in a URI path (spaces, `%`, `#`, `?`, non-ASCII).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_encoded() {
        assert_eq!(super::percent_encode("a b/ü%#.rs"), "a%20b/%C3%BC%25%23.rs");
    }
}
