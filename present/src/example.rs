//! A rule's `## Example` and `## Use instead` as a real crate, linted (and fixed) while the
//! deck is built, so a slide shows what paved prints today rather than a pasted copy.
//!
//! The crate is built the way lints/tests/doc_examples.rs builds it (the test that keeps
//! the examples honest): a `Cargo.toml` (package `notes`, edition 2024, axum and tokio) and
//! `src/main.rs` with `fn main() {}`; ```` ```rust ```` blocks replace `src/main.rs`,
//! ```` ```toml ```` blocks `Cargo.toml`, ```` ```LANG,file=PATH ```` blocks write `PATH`.

use crate::Error;
use paved_lints::diagnostic::Applicability;
use paved_lints::fix::{self, FixMode};
use paved_lints::rule::RuleMeta;
use paved_lints::{Diagnostic, LintOptions, Report, docs, lint, output};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A code block as a slide shows it: rustdoc's hidden `# ` lines dropped.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShownBlock {
    /// `file=PATH` of the block, or the file it stands for (`src/main.rs`, `Cargo.toml`).
    pub file: Option<String>,
    pub lang: String,
    pub code: String,
}

/// One section linted: what it shows and what paved printed for the rule.
#[derive(Debug, Clone, Serialize)]
pub struct SectionRun {
    pub blocks: Vec<ShownBlock>,
    /// The rule's findings, as `paved lint --color never` prints them.
    pub findings_text: String,
    /// How many findings of the rule.
    pub findings: usize,
}

/// What `--fix` does to the example, when the rule's finding carries a fix.
#[derive(Debug, Clone, Serialize)]
pub struct FixRun {
    /// `paved lint --fix` or `paved lint --fix --unsafe-fixes`.
    pub command: String,
    /// An unsafe fix changes behaviour (the output of a print moves into the log, ...).
    pub is_unsafe: bool,
    /// The fix's own description, e.g. "use tracing::info!".
    pub message: String,
    pub diff: String,
    /// The rule's findings left after the fix (usually none).
    pub remaining: usize,
}

/// A rule's two sections, linted, and the fix of the first.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRun {
    pub example: SectionRun,
    pub house: SectionRun,
    pub fix: Option<FixRun>,
}

/// Lints the example and the house code of `rule` and applies its fix to the example.
pub fn run(rule: &RuleMeta) -> Result<RuleRun, Error> {
    let (example, example_dir, report) = lint_section(rule, "Example")?;
    let fix = fix_example(rule, example_dir.path(), &report)?;
    let (house, _, _) = lint_section(rule, "Use instead")?;
    Ok(RuleRun {
        example,
        house,
        fix,
    })
}

fn section_body(rule: &RuleMeta, section: &str) -> Result<String, Error> {
    docs::section(rule.doc, section).ok_or_else(|| Error::Docs {
        rule: rule.name,
        problem: format!("has no `## {section}` section"),
    })
}

/// Writes the section's crate into a temporary folder and lints it; the report's paths are
/// relative to the crate.
fn lint_section(
    rule: &RuleMeta,
    section: &str,
) -> Result<(SectionRun, tempfile::TempDir, Report), Error> {
    let body = section_body(rule, section)?;
    let dir = tempfile::tempdir().map_err(|e| Error::Io("a temporary folder".into(), e))?;
    for (path, text) in docs::example_crate(&docs::code_blocks(&body)) {
        if Path::new(&path).is_absolute() || path.split('/').any(|c| c == "..") {
            return Err(Error::Docs {
                rule: rule.name,
                problem: format!("`## {section}`: file={path} is not a path inside the crate"),
            });
        }
        let full = dir.path().join(&path);
        let parent = full.parent().expect("a file in the crate has a folder");
        std::fs::create_dir_all(parent).map_err(|e| Error::Io(parent.to_path_buf(), e))?;
        std::fs::write(&full, text).map_err(|e| Error::Io(full.clone(), e))?;
    }
    let mut report = lint(&LintOptions {
        paths: vec![dir.path().to_path_buf()],
        ..LintOptions::default()
    })
    .map_err(|e| Error::Docs {
        rule: rule.name,
        problem: format!("`## {section}` does not lint: {e}"),
    })?;
    for d in &mut report.diagnostics {
        if let Ok(rel) = d.path.strip_prefix(dir.path()) {
            d.path = rel.to_path_buf();
        }
    }
    let run = SectionRun {
        blocks: shown_blocks(&body),
        findings_text: findings_text(&report, rule.name),
        findings: report.active().filter(|d| d.rule == rule.name).count(),
    };
    Ok((run, dir, report))
}

/// The rule's findings of `report` as the human format prints them, without colour.
fn findings_text(report: &Report, rule: &str) -> String {
    let only = Report {
        diagnostics: report
            .active()
            .filter(|d| d.rule == rule)
            .cloned()
            .collect(),
        files: report.files,
        crates: report.crates,
        ..Report::default()
    };
    output::human::render(&only, false)
}

/// Applies every fix of the rule's findings (unsafe ones too: the slide says which command
/// does it), shows the diff, and lints the fixed crate again.
fn fix_example(rule: &RuleMeta, dir: &Path, report: &Report) -> Result<Option<FixRun>, Error> {
    let fixable: Vec<&Diagnostic> = report
        .active()
        .filter(|d| d.rule == rule.name && d.fix.is_some())
        .collect();
    let Some(first) = fixable.first().and_then(|d| d.fix.as_ref()) else {
        return Ok(None);
    };
    let mode = FixMode { unsafe_fixes: true };
    let mut by_file: BTreeMap<&PathBuf, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &fixable {
        by_file.entry(&d.path).or_default().push(d);
    }
    let mut diff = String::new();
    for (path, findings) in by_file {
        let full = dir.join(path);
        let text = std::fs::read_to_string(&full).map_err(|e| Error::Io(full.clone(), e))?;
        let plan = fix::plan_file(path, &text, &findings, mode);
        diff.push_str(&plan.diff());
        std::fs::write(&full, &plan.fixed).map_err(|e| Error::Io(full.clone(), e))?;
    }
    let after = lint(&LintOptions {
        paths: vec![dir.to_path_buf()],
        ..LintOptions::default()
    })
    .map_err(|e| Error::Docs {
        rule: rule.name,
        problem: format!("the fixed `## Example` does not lint: {e}"),
    })?;
    let unsafe_fix = fixable.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability != Applicability::Safe)
    });
    Ok(Some(FixRun {
        command: if unsafe_fix {
            "paved lint --fix --unsafe-fixes".into()
        } else {
            "paved lint --fix".into()
        },
        is_unsafe: unsafe_fix,
        message: first.message.clone(),
        diff,
        remaining: after.active().filter(|d| d.rule == rule.name).count(),
    }))
}

/// The code blocks of a section as people see them: the hidden lines of Rust blocks
/// dropped (the parse of [`docs::code_blocks`], which keeps them, since they are linted).
pub fn shown_blocks(markdown: &str) -> Vec<ShownBlock> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim().strip_prefix("```") else {
            continue;
        };
        let mut parts = info.split(',');
        let lang = parts.next().unwrap_or("").trim().to_string();
        let file = parts.find_map(|p| p.trim().strip_prefix("file=").map(String::from));
        let mut code = String::new();
        for l in lines.by_ref() {
            let t = l.trim_start();
            if l.trim() == "```" {
                break;
            }
            if lang == "rust" && (t == "#" || t.starts_with("# ")) {
                continue;
            }
            code.push_str(l);
            code.push('\n');
        }
        let file = docs::example_path(file.as_deref(), &lang);
        out.push(ShownBlock { file, lang, code });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_lines_are_not_shown_and_files_are_named() {
        let md = "```rust\n# use std::env;\nfn main() {}\n```\n\n```toml,file=config/a.toml\nport = 1\n```\n";
        let blocks = shown_blocks(md);
        assert_eq!(blocks[0].code, "fn main() {}\n");
        assert_eq!(blocks[0].file.as_deref(), Some("src/main.rs"));
        assert_eq!(blocks[1].file.as_deref(), Some("config/a.toml"));
    }

    #[test]
    fn print_logging_is_flagged_fixed_and_the_house_code_is_clean() {
        let rule = paved_lints::registry::get("print-logging").unwrap();
        let run = run(rule).unwrap();
        assert!(
            run.example.findings_text.contains("[print-logging]"),
            "{}",
            run.example.findings_text
        );
        assert!(run.example.findings >= 1);
        assert_eq!(run.house.findings, 0);
        let fix = run.fix.expect("print-logging has a fix");
        assert!(fix.command.contains("--unsafe-fixes"));
        assert!(
            fix.diff.contains("+") && fix.diff.contains("tracing::info!"),
            "{}",
            fix.diff
        );
        assert_eq!(fix.remaining, 0);
    }
}
