//! `paved report`: the fleet scorecard of a monorepo. One row per service (or worker)
//! crate — the roles `paved lint --show-roles` prints — one column per idiom group, each
//! cell green (no finding), amber (warnings only) or red (errors), with the template
//! version from the service's `paved.toml`, its owners from CODEOWNERS and, against a
//! previous JSON report, the findings that are new and those that were fixed.
//!
//! [`fleet`] computes the data; [`render`] turns it into HTML, markdown or JSON.

mod owners;
mod render;

pub use render::{Format, render};

use owners::CodeOwners;
use paved_lints::baseline::{self, RepoPaths};
use paved_lints::role::Role;
use paved_lints::rule::Group;
use paved_lints::{Level, Report};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Version of the JSON report format; `--since` reads only this one.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub group: String,
    pub level: String,
    /// Relative to the report's root, `/`-separated.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The baseline fingerprint (no line number in it: moving code is not a new finding).
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cell {
    pub group: String,
    pub deny: usize,
    pub warn: usize,
    /// `green`, `amber` or `red`.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TemplateInfo {
    pub name: String,
    pub version: String,
}

/// Where a service stands against the templates of the running paved.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TemplateStatus {
    /// `[template]` of the service's `paved.toml`; `None` when it has none.
    pub recorded: Option<TemplateInfo>,
    /// `current`, `outdated`, `newer`, `unknown` (a template this paved does not ship)
    /// or `none` (no `[template]`: not made by `paved new`).
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Trend {
    pub new: usize,
    pub fixed: usize,
    /// The service was not in the previous report.
    pub new_service: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Service {
    pub name: String,
    /// The crate folder relative to the report's root (`.` for the root itself).
    pub path: String,
    pub role: String,
    pub owners: Vec<String>,
    pub template: TemplateStatus,
    pub cells: Vec<Cell>,
    pub deny: usize,
    pub warn: usize,
    pub findings: Vec<Finding>,
    pub trend: Option<Trend>,
}

/// Findings outside the service and worker crates (libraries, tools, ...).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Others {
    pub crates: usize,
    pub deny: usize,
    pub warn: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fleet {
    pub schema: u32,
    pub paved_version: String,
    /// The report's root as given on the command line.
    pub root: String,
    /// The templates this paved ships, by name.
    pub templates: BTreeMap<String, String>,
    pub groups: Vec<String>,
    pub services: Vec<Service>,
    pub others: Others,
    /// Whether `trend` was computed (a previous report was given).
    pub compared: bool,
}

/// What a fleet is computed from, beside the lint report.
pub struct FleetInput<'a> {
    /// The folder that was linted.
    pub root: &'a Path,
    /// The templates of the running paved: name to version.
    pub templates: BTreeMap<String, String>,
    pub previous: Option<&'a Fleet>,
}

/// The scorecard of a lint run over a monorepo.
pub fn fleet(report: &Report, input: &FleetInput) -> Fleet {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs_root = std::path::absolute(input.root).unwrap_or_else(|_| input.root.to_path_buf());
    let repo = RepoPaths::new(&abs_root, &cwd);
    let groups: Vec<Group> = Group::ALL
        .into_iter()
        .filter(|g| paved_lints::registry::RULES.iter().any(|r| r.group == *g))
        .collect();
    let fingerprints = baseline::fingerprints(&report.diagnostics, &repo);

    // Every crate owns the findings under its folder, the deepest crate first, so a
    // library nested in a service's folder keeps its own findings.
    let mut crates: Vec<(usize, &Path)> = report
        .roles
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.root.as_path()))
        .collect();
    crates.sort_by_key(|(_, root)| std::cmp::Reverse(root.components().count()));
    let mut by_crate: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();
    let mut others = Others::default();
    for (d, fingerprint) in report.diagnostics.iter().zip(&fingerprints) {
        if d.suppressed.is_some() || d.level == Level::Allow {
            continue;
        }
        let owner = crates
            .iter()
            .find(|(_, root)| d.path.starts_with(root))
            .map(|(i, _)| *i);
        let finding = Finding {
            rule: d.rule.to_string(),
            group: d.group.to_string(),
            level: d.level.as_str().to_string(),
            path: repo.display(&d.path),
            line: d.start.line,
            column: d.start.column,
            message: d.message.clone(),
            fingerprint: fingerprint.clone(),
        };
        match owner {
            Some(i) if is_service(report, i) => by_crate.entry(i).or_default().push(finding),
            _ => match d.level {
                Level::Deny => others.deny += 1,
                _ => others.warn += 1,
            },
        }
    }
    others.crates = (0..report.roles.len())
        .filter(|&i| !is_service(report, i))
        .count();

    let repo_owners = CodeOwners::of_repository(&abs_root);
    let mut services: Vec<Service> = (0..report.roles.len())
        .filter(|&i| is_service(report, i))
        .map(|i| {
            let c = &report.roles[i];
            let findings = by_crate.remove(&i).unwrap_or_default();
            let folder = std::path::absolute(&c.root).unwrap_or_else(|_| c.root.clone());
            let mut service = Service {
                name: c.name.clone(),
                path: match repo.display(&c.root) {
                    p if p.is_empty() => ".".to_string(),
                    p => p,
                },
                role: service_role(report, i).as_str().to_string(),
                owners: owners_of(repo_owners.as_ref(), &folder),
                template: template_status(&folder, &input.templates),
                cells: cells(&groups, &findings),
                deny: count(&findings, "deny"),
                warn: count(&findings, "warn"),
                findings,
                trend: None,
            };
            if let Some(previous) = input.previous {
                service.trend = Some(trend(&service, previous));
            }
            service
        })
        .collect();
    services.sort_by(|a, b| a.path.cmp(&b.path));
    Fleet {
        schema: SCHEMA,
        paved_version: env!("CARGO_PKG_VERSION").to_string(),
        root: root_label(input.root, &abs_root),
        templates: input.templates.clone(),
        groups: groups.iter().map(|g| g.as_str().to_string()).collect(),
        services,
        others,
        compared: input.previous.is_some(),
    }
}

/// The root as given, or the folder's name for `.`: what a title can show.
fn root_label(given: &Path, absolute: &Path) -> String {
    let shown = given.display().to_string();
    if shown.is_empty() || shown == "." {
        let name = absolute.components().rev().find_map(|c| match c {
            std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        });
        return name.unwrap_or(shown);
    }
    shown
}

/// Reads a previous `paved report --format json`.
pub fn parse_previous(text: &str) -> Result<Fleet, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match value.get("schema").and_then(|s| s.as_u64()) {
        Some(s) if s == u64::from(SCHEMA) => {}
        Some(s) => return Err(format!("report format {s}, this paved reads {SCHEMA}")),
        None => return Err("no `schema` field".into()),
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// A service or a worker, by the crate's role or one of its binaries'.
fn service_role(report: &Report, i: usize) -> Role {
    let c = &report.roles[i];
    let serves = |r: Role| matches!(r, Role::Service | Role::Worker);
    if serves(c.role.role) {
        return c.role.role;
    }
    c.binaries
        .iter()
        .map(|(_, d)| d.role)
        .find(|r| serves(*r))
        .unwrap_or(c.role.role)
}

fn is_service(report: &Report, i: usize) -> bool {
    matches!(service_role(report, i), Role::Service | Role::Worker)
}

fn owners_of(repo: Option<&CodeOwners>, folder: &Path) -> Vec<String> {
    repo.and_then(|o| o.owners_of(folder))
        .or_else(|| CodeOwners::of_folder(folder).and_then(|o| o.owners_of(folder)))
        .unwrap_or_default()
}

fn count(findings: &[Finding], level: &str) -> usize {
    findings.iter().filter(|f| f.level == level).count()
}

fn cells(groups: &[Group], findings: &[Finding]) -> Vec<Cell> {
    groups
        .iter()
        .map(|g| {
            let of_group = |level: &str| {
                findings
                    .iter()
                    .filter(|f| f.group == g.as_str() && f.level == level)
                    .count()
            };
            let (deny, warn) = (of_group("deny"), of_group("warn"));
            let status = if deny > 0 {
                "red"
            } else if warn > 0 {
                "amber"
            } else {
                "green"
            };
            Cell {
                group: g.as_str().to_string(),
                deny,
                warn,
                status: status.to_string(),
            }
        })
        .collect()
}

/// `[template]` of `folder/paved.toml` against the templates this paved ships.
fn template_status(folder: &Path, shipped: &BTreeMap<String, String>) -> TemplateStatus {
    let recorded = std::fs::read_to_string(folder.join("paved.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|doc| {
            let t = doc.get("template")?.as_table()?;
            Some(TemplateInfo {
                name: t.get("name")?.as_str()?.to_string(),
                version: t.get("version")?.as_str()?.to_string(),
            })
        });
    let status = match &recorded {
        None => "none",
        Some(t) => match shipped.get(&t.name) {
            None => "unknown",
            Some(current) => match version_key(&t.version).cmp(&version_key(current)) {
                std::cmp::Ordering::Less => "outdated",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "newer",
            },
        },
    };
    TemplateStatus {
        recorded,
        status: status.to_string(),
    }
}

/// `1.10.0` after `1.9.2`: dotted numbers compare as numbers (a pre-release suffix is
/// ignored; templates are versioned `MAJOR.MINOR.PATCH`).
fn version_key(version: &str) -> Vec<u64> {
    version
        .split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

fn trend(service: &Service, previous: &Fleet) -> Trend {
    let Some(before) = previous.services.iter().find(|s| s.path == service.path) else {
        return Trend {
            new: service.findings.len(),
            fixed: 0,
            new_service: true,
        };
    };
    let then: HashSet<&str> = before
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let now: HashSet<&str> = service
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    Trend {
        new: now.difference(&then).count(),
        fixed: then.difference(&now).count(),
        new_service: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_crate_nested_in_a_service_keeps_its_findings() {
        let dir = tempfile::tempdir().unwrap();
        let svc = dir.path().join("svc");
        write(
            &svc.join("Cargo.toml"),
            "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\naxum = \"0.8\"\n",
        );
        write(
            &svc.join("src/main.rs"),
            "fn main() {\n    println!(\"up\");\n}\n",
        );
        write(
            &svc.join("paved.toml"),
            "[template]\nname = \"service\"\nversion = \"0.9.0\"\n",
        );
        let nested = svc.join("vendor-free/helper");
        write(
            &nested.join("Cargo.toml"),
            "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
        );
        write(
            &nested.join("src/lib.rs"),
            "pub fn dial() -> std::io::Result<std::net::TcpStream> {\n    std::net::TcpStream::connect(\"10.1.2.3:80\")\n}\n",
        );
        let report = paved_lints::lint(&paved_lints::LintOptions {
            paths: vec![dir.path().to_path_buf()],
            ..Default::default()
        })
        .unwrap();
        let fleet = fleet(
            &report,
            &FleetInput {
                root: dir.path(),
                templates: BTreeMap::from([("service".to_string(), "0.10.0".to_string())]),
                previous: None,
            },
        );
        assert_eq!(fleet.services.len(), 1, "{:?}", fleet.services);
        let service = &fleet.services[0];
        assert_eq!(service.path, "svc");
        assert_eq!(service.template.status, "outdated");
        assert!(
            service
                .findings
                .iter()
                .all(|f| !f.path.starts_with("svc/vendor-free/")),
            "{:?}",
            service.findings
        );
        assert!(service.findings.iter().any(|f| f.rule == "print-logging"));
        assert_eq!(fleet.others.crates, 1);
        assert!(
            fleet.others.deny + fleet.others.warn >= 1,
            "{:?}",
            fleet.others
        );
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_key("0.10.0") > version_key("0.9.3"));
        assert_eq!(version_key("1.2.0-rc1"), version_key("1.2.0"));
    }

    #[test]
    fn a_cell_is_red_with_an_error_amber_with_warnings_only() {
        let f = |group: &str, level: &str| Finding {
            rule: "r".into(),
            group: group.into(),
            level: level.into(),
            path: "p".into(),
            line: 1,
            column: 1,
            message: "m".into(),
            fingerprint: "x:1".into(),
        };
        let cells = cells(
            &[Group::Logging, Group::Config, Group::Backup],
            &[
                f("logging", "warn"),
                f("config", "deny"),
                f("config", "warn"),
            ],
        );
        let status: Vec<&str> = cells.iter().map(|c| c.status.as_str()).collect();
        assert_eq!(status, ["amber", "red", "green"]);
        assert_eq!((cells[1].deny, cells[1].warn), (1, 1));
    }
}
