//! `paved rules`: every rule as a table or as JSON; `--write-docs DIR` regenerates `docs/rules/`.

use clap::{Args, ValueEnum};
use paved_lints::{docs, registry::RULES};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,

    /// Write one Markdown page per rule and an index into DIR (as checked in under docs/rules)
    #[arg(long, value_name = "DIR")]
    pub write_docs: Option<PathBuf>,
}

pub fn run(args: RulesArgs) -> ExitCode {
    if let Some(dir) = args.write_docs {
        return match write_docs(&dir) {
            Ok(n) => {
                super::print_out(&format!("wrote {n} pages to {}\n", dir.display()));
                ExitCode::SUCCESS
            }
            Err(e) => super::fail(
                &format!("cannot write docs to `{}`: {e}", dir.display()),
                None,
            ),
        };
    }
    match args.format {
        RulesFormat::Table => super::print_out(&table()),
        RulesFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|r| json!({"name": r.name, "group": r.group, "default_level": r.default_level, "scope": r.scope.as_str(), "summary": r.summary}))
                .collect();
            let json = serde_json::to_string_pretty(&rules).expect("rules serialize");
            super::print_out(&format!("{json}\n"));
        }
    }
    ExitCode::SUCCESS
}

fn table() -> String {
    let width = |f: fn(&paved_lints::rule::RuleMeta) -> String| {
        RULES.iter().map(|r| f(r).len()).max().unwrap_or(0)
    };
    let (wn, wg) = (
        width(|r| r.name.to_string()).max(4),
        width(|r| r.group.to_string()).max(5),
    );
    let mut out = format!(
        "{:wn$}  {:wg$}  {:7}  SUMMARY\n",
        "RULE", "GROUP", "DEFAULT"
    );
    for r in RULES {
        out.push_str(&format!(
            "{:wn$}  {:wg$}  {:7}  {}\n",
            r.name,
            r.group.as_str(),
            r.default_level.as_str(),
            r.summary
        ));
    }
    out
}

/// The pages of `docs/rules/`, by file name; the test that keeps the checked-in copy fresh uses it too.
pub fn doc_pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.name), docs::rule_page(r)))
        .collect();
    pages.push(("README.md".into(), docs::index_page()));
    pages
}

fn write_docs(dir: &std::path::Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let pages = doc_pages();
    for (name, text) in &pages {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(pages.len())
}
