//! The outputs of `paved check`: human, json, github, sarif.

use std::fmt::Write as _;

use paved_generator::lifecycle::{ServiceStatus, Status};
use paved_lints::output::github::{escape_data, escape_property};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Checked, display, file_path};

fn status_word(status: &ServiceStatus) -> &'static str {
    match status.status() {
        Status::Clean => "clean",
        Status::Outdated => "outdated",
        Status::Drift => "drift",
    }
}

fn versions(status: &ServiceStatus) -> String {
    if status.recorded == status.current {
        format!("{} {}", status.template, status.current)
    } else {
        format!(
            "{} {} (paved has {})",
            status.template, status.recorded, status.current
        )
    }
}

pub(super) fn human(checked: &[Checked]) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for service in checked {
        let dir = display(&service.dir);
        let status = match &service.result {
            Err((message, hint)) => {
                counts[3] += 1;
                let _ = writeln!(out, "{dir}: error: {message}");
                if let Some(hint) = hint {
                    let _ = writeln!(out, "  hint: {hint}");
                }
                continue;
            }
            Ok(status) => status,
        };
        let word = status_word(status);
        counts[match status.status() {
            Status::Clean => 0,
            Status::Drift => 1,
            Status::Outdated => 2,
        }] += 1;
        let _ = writeln!(out, "{dir}: {word} ({})", versions(status));
        if let Some(pending) = &status.pending {
            let _ = writeln!(
                out,
                "  an upgrade is in progress; conflict markers left in: {}",
                if pending.is_empty() {
                    "none (run `paved upgrade` to finish it)".to_owned()
                } else {
                    pending.join(", ")
                }
            );
        }
        for drift in &status.drifted {
            let _ = writeln!(out, "  drifted   {} (managed by paved)", drift.path);
            if let Some(diff) = &drift.diff {
                for line in diff.lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
        if status.kit_outdated {
            let _ = writeln!(out, "  outdated  the house kit");
        }
        for path in &status.outdated {
            let _ = writeln!(out, "  outdated  {path}");
        }
    }
    let _ = writeln!(
        out,
        "{} service(s): {} clean, {} drifted, {} outdated, {} failed",
        checked.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    if counts[1] + counts[2] > 0 {
        let _ = writeln!(
            out,
            "hint: `paved upgrade PATH` brings a service to this paved's template and kit (managed files are overwritten)"
        );
    }
    out
}

/// The JSON report (`version: 1`); field order is fixed, as in `paved lint --format json`.
#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    services: Vec<ServiceJson<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    path: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<&'a str>,
    drifted: Vec<Drifted<'a>>,
    outdated: &'a [String],
    kit_outdated: bool,
    pending_conflicts: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct Drifted<'a> {
    path: &'a str,
    diff: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    services: usize,
    clean: usize,
    drift: usize,
    outdated: usize,
    error: usize,
}

fn service_json(service: &Checked) -> ServiceJson<'_> {
    let path = display(&service.dir);
    match &service.result {
        Err((message, hint)) => ServiceJson {
            path,
            status: "error",
            template: None,
            recorded_version: None,
            current_version: None,
            drifted: Vec::new(),
            outdated: &[],
            kit_outdated: false,
            pending_conflicts: None,
            error: Some(message),
            hint: hint.as_deref(),
        },
        Ok(status) => ServiceJson {
            path,
            status: status_word(status),
            template: Some(&status.template),
            recorded_version: Some(&status.recorded),
            current_version: Some(&status.current),
            drifted: status
                .drifted
                .iter()
                .map(|d| Drifted {
                    path: &d.path,
                    diff: d.diff.as_deref(),
                })
                .collect(),
            outdated: &status.outdated,
            kit_outdated: status.kit_outdated,
            pending_conflicts: status.pending.as_deref(),
            error: None,
            hint: None,
        },
    }
}

pub(super) fn json(checked: &[Checked]) -> String {
    let count = |word: &str| {
        checked
            .iter()
            .filter(|c| match &c.result {
                Ok(s) => status_word(s) == word,
                Err(_) => word == "error",
            })
            .count()
    };
    let report = Report {
        version: 1,
        services: checked.iter().map(service_json).collect(),
        summary: Summary {
            services: checked.len(),
            clean: count("clean"),
            drift: count("drift"),
            outdated: count("outdated"),
            error: count("error"),
        },
    };
    let mut text = serde_json::to_string_pretty(&report).expect("the report serialises");
    text.push('\n');
    text
}

/// One finding of a CI format: (rule, level, file, message).
type Finding = (&'static str, &'static str, String, String);

fn findings(checked: &[Checked]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for service in checked {
        let manifest = file_path(&service.dir, "paved.toml");
        let status = match &service.result {
            Err((message, _)) => {
                findings.push(("check-error", "error", manifest, message.clone()));
                continue;
            }
            Ok(status) => status,
        };
        if let Some(pending) = &status.pending {
            for path in pending {
                findings.push((
                    "upgrade-conflict",
                    "error",
                    file_path(&service.dir, path),
                    "conflict markers of `paved upgrade` are left; resolve them, then run `paved upgrade` again".to_owned(),
                ));
            }
        }
        for drift in &status.drifted {
            findings.push((
                "template-drift",
                "error",
                file_path(&service.dir, &drift.path),
                "paved manages this file, and it differs from what paved wrote; send the change upstream (`paved upgrade` overwrites it)".to_owned(),
            ));
        }
        if status.status() == Status::Outdated {
            findings.push((
                "template-outdated",
                "warning",
                manifest,
                format!(
                    "{} is not up to date with template {} and the kit of this paved ({} file(s) would change); run `paved upgrade {}`",
                    display(&service.dir),
                    versions(status),
                    status.outdated.len(),
                    display(&service.dir)
                ),
            ));
        }
    }
    findings
}

pub(super) fn github(checked: &[Checked]) -> String {
    let mut out = String::new();
    for (rule, level, file, message) in findings(checked) {
        let _ = writeln!(
            out,
            "::{level} file={},title={}::{}",
            escape_property(&file),
            escape_property(&format!("paved({rule})")),
            escape_data(&message)
        );
    }
    out
}

const RULES: &[(&str, &str)] = &[
    (
        "template-drift",
        "A file paved manages (template policy `managed`, or the house kit) was edited in the service.",
    ),
    (
        "template-outdated",
        "The service is behind the template or kit of the running paved; `paved upgrade` brings it there.",
    ),
    (
        "upgrade-conflict",
        "An upgrade stopped on conflicts that are not resolved yet.",
    ),
    ("check-error", "The service could not be checked."),
];

pub(super) fn sarif(checked: &[Checked]) -> String {
    let results: Vec<Value> = findings(checked)
        .into_iter()
        .map(|(rule, level, file, message)| {
            json!({
                "ruleId": rule,
                "level": level,
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1}
                }}],
            })
        })
        .collect();
    let rules: Vec<Value> = RULES
        .iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "paved check",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/paved-rs/paved",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("a JSON value serialises");
    text.push('\n');
    text
}
