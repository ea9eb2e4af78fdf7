//! The documentation cannot lie: every rule's `## Example` must make the rule fire, and its
//! `## Use instead` must not.
//!
//! Each section becomes a small crate in a temporary folder (`docs::example_crate`: a
//! base crate whose files the section's code blocks replace or add).

use paved_lints::registry::RULES;
use paved_lints::rule::RuleMeta;
use paved_lints::{LintOptions, Report, docs, lint, output};
use std::path::Path;

/// Lints the crate of one section; `Err` says what is wrong with the section itself.
fn lint_section(rule: &RuleMeta, section: &str) -> Result<Report, String> {
    let body =
        docs::section(rule.doc, section).ok_or_else(|| format!("has no `## {section}` section"))?;
    let blocks = docs::code_blocks(&body);
    if blocks
        .iter()
        .all(|b| b.file.is_none() && b.lang != "rust" && b.lang != "toml")
    {
        return Err(format!(
            "`## {section}` has no code block (```rust, ```toml or ```LANG,file=PATH)"
        ));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in docs::example_crate(&blocks) {
        if Path::new(&path).is_absolute() || path.split('/').any(|c| c == "..") {
            return Err(format!(
                "`## {section}`: file={path} must be a relative path inside the crate"
            ));
        }
        let full = dir.path().join(&path);
        std::fs::create_dir_all(full.parent().expect("has a parent")).expect("create dirs");
        std::fs::write(&full, text).expect("write example file");
    }
    let mut report = lint(&LintOptions {
        paths: vec![dir.path().to_path_buf()],
        ..LintOptions::default()
    })
    .map_err(|e| format!("`## {section}` does not lint: {e}"))?;
    for d in &mut report.diagnostics {
        if let Ok(rel) = d.path.strip_prefix(dir.path()) {
            d.path = rel.to_path_buf();
        }
    }
    Ok(report)
}

fn findings(report: &Report) -> String {
    let text = output::short::render(report);
    if text.trim().is_empty() {
        "    (no findings)\n".to_string()
    } else {
        text.lines().map(|l| format!("    {l}\n")).collect()
    }
}

/// What is wrong with one rule's documentation, if anything.
fn check(rule: &RuleMeta) -> Vec<String> {
    let mut problems = Vec::new();
    match lint_section(rule, "Example") {
        Err(e) => problems.push(e),
        Ok(report) if !report.active().any(|d| d.rule == rule.name) => {
            problems.push(format!(
                "`## Example` is not flagged by `{}`; findings:\n{}",
                rule.name,
                findings(&report)
            ));
        }
        Ok(_) => {}
    }
    match lint_section(rule, "Use instead") {
        Err(e) => problems.push(e),
        Ok(report) if report.active().any(|d| d.rule == rule.name) => {
            problems.push(format!(
                "`## Use instead` is flagged by `{}`; findings:\n{}",
                rule.name,
                findings(&report)
            ));
        }
        Ok(_) => {}
    }
    problems
}

#[test]
fn every_rule_example_is_flagged_and_every_use_instead_is_clean() {
    let mut failures = String::new();
    let mut failed = Vec::new();
    for rule in RULES {
        let problems = check(rule);
        if !problems.is_empty() {
            failed.push(rule.name);
            failures.push_str(&format!(
                "\n{} (lints/src/rules/{}/{}.rs):\n",
                rule.name,
                rule.group,
                rule.name.replace('-', "_")
            ));
            for p in problems {
                failures.push_str(&format!("  - {p}\n"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rules have documentation that does not hold: {}\n{failures}",
        failed.len(),
        RULES.len(),
        failed.join(", ")
    );
}

#[test]
fn blocks_map_to_files() {
    let doc = "```rust\nfn main() { a(); }\n```\n\nprose\n\n```toml,file=config/production.toml\nport = 1\n```\n\n```ini,file=deploy/x.service\n[Unit]\n```\n\n```text\nignored\n```\n";
    let files = docs::example_crate(&docs::code_blocks(doc));
    assert_eq!(files["src/main.rs"], "fn main() { a(); }\n");
    assert!(
        files["Cargo.toml"].contains("name = \"notes\""),
        "the base manifest stays"
    );
    assert_eq!(files["config/production.toml"], "port = 1\n");
    assert_eq!(files["deploy/x.service"], "[Unit]\n");
    assert_eq!(files.len(), 4);
}
