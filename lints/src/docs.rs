//! A rule's documentation is the doc comment of its file. This module reads it back:
//! sections, code examples (for the test that keeps them honest), and the pages of
//! `paved explain` and `docs/rules/`.

use crate::registry::RULES;
use crate::rule::{Group, RuleMeta};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The doc comment as written: `#[doc = " text"]` lines lose their leading space.
pub fn clean(doc: &str) -> String {
    doc.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
        + "\n"
}

/// The body of `## name`, up to the next `## ` heading.
pub fn section(doc: &str, name: &str) -> Option<String> {
    let doc = clean(doc);
    let heading = format!("## {name}\n");
    let start = doc.find(&heading)? + heading.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    Some(rest[..end].trim().to_string())
}

/// A fenced code block: ```` ```rust ```` or ```` ```toml,file=config/production.toml ````.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    pub lang: String,
    /// Where the example sits in its crate; defaults depend on the language.
    pub file: Option<String>,
    /// The code with rustdoc's hidden `# ` lines included.
    pub code: String,
}

pub fn code_blocks(markdown: &str) -> Vec<CodeBlock> {
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
            if l.trim() == "```" {
                break;
            }
            let l = if lang == "rust" { unhide(l) } else { l };
            code.push_str(l);
            code.push('\n');
        }
        out.push(CodeBlock { lang, file, code });
    }
    out
}

/// rustdoc's convention: `# line` is compiled (here: linted) but not shown.
const EXAMPLE_MANIFEST: &str = r#"[package]
name = "notes"
version = "0.1.0"
edition = "2024"

[dependencies]
axum = "0.8"
tokio = { version = "1", features = ["full"] }
"#;

const EXAMPLE_MAIN: &str = "fn main() {}\n";

/// The files of the crate a documentation section describes, by relative path: the base
/// crate (a `Cargo.toml` for package `notes`, edition 2024, depending on axum and tokio, and
/// a `src/main.rs` with `fn main() {}`) with the section's code blocks replacing or adding
/// files. ```` ```rust ```` is `src/main.rs`, ```` ```toml ```` is `Cargo.toml`,
/// ```` ```LANG,file=PATH ```` is `PATH`; other blocks without `file=` are prose; several
/// blocks for one file are joined in order. `paved talk` and the doc-example test lint it.
pub fn example_crate(blocks: &[CodeBlock]) -> BTreeMap<String, String> {
    let mut files = BTreeMap::from([
        ("Cargo.toml".to_string(), EXAMPLE_MANIFEST.to_string()),
        ("src/main.rs".to_string(), EXAMPLE_MAIN.to_string()),
    ]);
    let mut written: Vec<String> = Vec::new();
    for block in blocks {
        let Some(path) = example_path(block.file.as_deref(), &block.lang) else {
            continue;
        };
        if written.contains(&path) {
            files
                .get_mut(&path)
                .expect("written before")
                .push_str(&block.code);
        } else {
            files.insert(path.clone(), block.code.clone());
            written.push(path);
        }
    }
    files
}

/// The file of the example crate a code block is: its `file=`, or `src/main.rs` for Rust
/// and `Cargo.toml` for TOML; `None` for prose blocks.
pub fn example_path(file: Option<&str>, lang: &str) -> Option<String> {
    match (file, lang) {
        (Some(file), _) => Some(file.to_string()),
        (None, "rust") => Some("src/main.rs".to_string()),
        (None, "toml") => Some("Cargo.toml".to_string()),
        _ => None,
    }
}

fn unhide(line: &str) -> &str {
    let t = line.trim_start();
    if t == "#" {
        ""
    } else if let Some(rest) = t.strip_prefix("# ") {
        rest
    } else {
        line
    }
}

/// The documentation as shown to people: hidden lines dropped, `,file=..` turned into a caption.
pub fn display(doc: &str) -> String {
    let mut out = String::new();
    let mut in_rust = false;
    for line in clean(doc).lines() {
        let t = line.trim_start();
        if let Some(info) = t.strip_prefix("```") {
            if !info.is_empty() {
                let mut parts = info.split(',');
                let lang = parts.next().unwrap_or("");
                in_rust = lang == "rust";
                if let Some(file) = parts.find_map(|p| p.trim().strip_prefix("file=")) {
                    let _ = writeln!(out, "`{file}`:");
                }
                let _ = writeln!(out, "```{lang}");
                continue;
            }
            in_rust = false;
        } else if in_rust && (t == "#" || t.starts_with("# ")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `paved explain RULE`.
pub fn explain(rule: &RuleMeta) -> String {
    format!(
        "# {}\n\ngroup: {} · default level: {} · scope: {}\napplies to crates that are: {}\n\n{}\n\n{}",
        rule.name,
        rule.group,
        rule.default_level,
        rule.scope.as_str(),
        rule.roles.list(),
        rule.summary,
        display(rule.doc)
    )
}

/// `paved explain GROUP`: the group's rules.
pub fn explain_group(group: Group) -> String {
    let mut out = format!("# {group}\n\nRules in this group:\n\n");
    for r in RULES.iter().filter(|r| r.group == group) {
        let _ = writeln!(out, "- {} ({}): {}", r.name, r.default_level, r.summary);
    }
    out.push_str("\n`paved explain RULE` shows one rule's documentation.\n");
    out
}

/// `docs/rules/<rule>.md`.
pub fn rule_page(rule: &RuleMeta) -> String {
    format!(
        "<!-- Generated by `paved rules --write-docs docs/rules` from lints/src/rules/{}/{}.rs; do not edit. -->\n# `{}`\n\n| group | default level | scope | applies to crates that are |\n|---|---|---|---|\n| `{}` | `{}` | {} | {} |\n\n{}\n\n{}",
        rule.group,
        rule.name.replace('-', "_"),
        rule.name,
        rule.group,
        rule.default_level,
        rule.scope.as_str(),
        rule.roles.list(),
        rule.summary,
        display(rule.doc)
    )
}

/// `docs/rules/README.md`: every rule by group.
pub fn index_page() -> String {
    let mut out = String::from(
        "<!-- Generated by `paved rules --write-docs docs/rules`; do not edit. -->\n# paved rules\n\nEvery rule, by group. Rule names are a public interface: they are never renamed.\n`paved explain RULE` prints the same documentation in a terminal. Which crates a rule\nlooks at depends on their role (service, cli, library, ...): see each rule's page and\n`paved lint --show-roles`.\n",
    );
    for group in Group::ALL {
        let rules: Vec<_> = RULES.iter().filter(|r| r.group == group).collect();
        if rules.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n## {group}\n\n| rule | default | scope | what drifts |\n|---|---|---|---|\n"
        );
        for r in rules {
            let _ = writeln!(
                out,
                "| [`{}`]({}.md) | {} | {} | {} |",
                r.name,
                r.name,
                r.default_level,
                r.scope.as_str(),
                r.summary.replace('|', "\\|")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = " ## What it does\n Flags.\n\n ## Example\n ```rust,file=src/config.rs\n # use std::env;\n fn main() {}\n ```\n\n ## Use instead\n x\n";

    #[test]
    fn sections_and_hidden_lines() {
        assert_eq!(section(DOC, "What it does").as_deref(), Some("Flags."));
        let blocks = code_blocks(&section(DOC, "Example").unwrap());
        assert_eq!(blocks[0].file.as_deref(), Some("src/config.rs"));
        assert_eq!(blocks[0].code, "use std::env;\nfn main() {}\n");
        let shown = display(DOC);
        assert!(!shown.contains("use std::env"), "{shown}");
        assert!(
            shown.contains("`src/config.rs`:\n```rust\nfn main() {}"),
            "{shown}"
        );
    }
}
