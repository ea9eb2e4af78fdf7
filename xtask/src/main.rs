//! `cargo xtask new-rule NAME --group GROUP`: adds a rule the way every rule is laid out
//! (docs/architecture.md "Rules"): its file under `lints/src/rules/GROUP/`, its `mod` line,
//! its registry line, a flagged and a clean fixture, then regenerates `docs/rules/`. The
//! rule starts with no hooks; the tests say what is left to do (its doc Example must fire).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask new-rule NAME --group GROUP";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["new-rule", name, "--group", group] | ["new-rule", "--group", group, name] => {
            new_rule(&repo_root(), name, group)
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `unwrap-in-handler` -> `unwrap_in_handler`.
fn snake(name: &str) -> String {
    name.replace('-', "_")
}

/// `unwrap-in-handler` -> `UnwrapInHandler`.
fn camel(name: &str) -> String {
    name.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

fn new_rule(root: &Path, name: &str, group: &str) -> Result<String, String> {
    if !valid_name(name) {
        return Err(format!(
            "`{name}` is not a rule name: lowercase words joined by `-` (kebab-case)"
        ));
    }
    let group_dir = root.join("lints/src/rules").join(group);
    if !group_dir.join("mod.rs").is_file() {
        return Err(format!(
            "no group `{group}`: the groups are the folders of lints/src/rules/"
        ));
    }
    let rule_file = group_dir.join(format!("{}.rs", snake(name)));
    if rule_file.exists() {
        return Err(format!("{} exists already", rule_file.display()));
    }
    let registry = root.join("lints/src/registry.rs");
    let registry_text = read(&registry)?;
    let line = format!("rules::{group}::{}::{},", snake(name), camel(name));
    let registry_text = with_registry_line(&registry_text, group, &line)
        .ok_or("cannot find the `registry! {` list in lints/src/registry.rs")?;
    let mod_rs = group_dir.join("mod.rs");
    let mod_text = with_mod_line(&read(&mod_rs)?, &snake(name));

    write(&rule_file, &rule_source(name, group))?;
    write(&mod_rs, &mod_text)?;
    write(&registry, &registry_text)?;
    let fixtures = root.join("lints/tests/fixtures").join(name);
    for (case, body) in [
        (
            "flagged",
            "// TODO: code the rule must flag.\nfn main() {}\n",
        ),
        (
            "clean",
            "// TODO: code the rule must leave alone.\nfn main() {}\n",
        ),
    ] {
        let manifest = format!(
            "[package]\nname = \"{case}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\naxum = \"0.8\"\n"
        );
        write(&fixtures.join(case).join("Cargo.toml"), &manifest)?;
        write(&fixtures.join(case).join("src/main.rs"), body)?;
    }
    let docs = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--",
            "rules",
            "--write-docs",
            "docs/rules",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut done = format!(
        "added `{name}`:\n  {}\n  {} (mod line), lints/src/registry.rs (registry line)\n  lints/tests/fixtures/{name}/flagged and clean\n",
        rule_file.strip_prefix(root).unwrap_or(&rule_file).display(),
        mod_rs.strip_prefix(root).unwrap_or(&mod_rs).display(),
    );
    if docs.success() {
        let _ = writeln!(done, "  docs/rules/{name}.md");
    } else {
        done.push_str(
            "  docs/rules/ not regenerated: run `cargo run -- rules --write-docs docs/rules`\n",
        );
    }
    done.push_str("next: write the doc comment and the hooks, fill both fixtures, then `cargo test -p paved-lints` (accept the flagged snapshot with `cargo insta review`)");
    Ok(done)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The registry with `line` after the last rule of `group` (before the `meta` rules, which
/// stay last, when the group has none yet).
fn with_registry_line(text: &str, group: &str, line: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let open = lines.iter().position(|l| l.trim() == "registry! {")?;
    let close = open + lines[open..].iter().position(|l| l.trim() == "}")?;
    let in_list = |prefix: &str| {
        (open + 1..close)
            .filter(|&i| lines[i].trim().starts_with(prefix))
            .collect::<Vec<_>>()
    };
    let at = match in_list(&format!("rules::{group}::")).last() {
        Some(&last) => last + 1,
        None => in_list("rules::meta::").first().copied().unwrap_or(close),
    };
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out.insert(at, format!("    {line}"));
    Some(out.join("\n") + "\n")
}

/// The group's `mod.rs` with `pub mod NAME;` among the others, in order.
fn with_mod_line(text: &str, module: &str) -> String {
    let new = format!("pub mod {module};");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("pub mod ") && l.as_str() > new.as_str())
        .or_else(|| {
            lines
                .iter()
                .rposition(|l| l.starts_with("pub mod "))
                .map(|i| i + 1)
        })
        .unwrap_or(lines.len());
    lines.insert(at, new);
    lines.join("\n") + "\n"
}

fn rule_source(name: &str, group: &str) -> String {
    format!(
        r#"use crate::rule::Rule;

crate::declare_rule! {{
    /// ## What it does
    /// TODO: what the rule reports, in one or two sentences.
    ///
    /// ## Why
    /// TODO: which house idiom it protects (docs/idioms.md) and what goes wrong without it.
    ///
    /// ## Example
    /// ```rust
    /// // TODO: code the rule flags (lints/tests/doc_examples.rs checks it fires).
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// // TODO: the same code in the house idiom (checked to be clean).
    /// ```
    pub struct {camel} {{
        name: "{name}",
        group: {group_camel},
        level: Warn,
        scope: All,
        summary: "TODO: one line for `paved rules`",
    }}
}}

// TODO: implement the hooks the rule needs (see `Rule` in lints/src/rule.rs).
impl Rule for {camel} {{}}
"#,
        camel = camel(name),
        group_camel = camel(group),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert() {
        assert_eq!(snake("unwrap-in-handler"), "unwrap_in_handler");
        assert_eq!(camel("unwrap-in-handler"), "UnwrapInHandler");
        assert!(
            valid_name("a-b") && !valid_name("A-b") && !valid_name("a--b") && !valid_name("a_b")
        );
    }

    #[test]
    fn the_registry_line_goes_after_its_group_and_before_meta() {
        let text = "registry! {\n    rules::logging::a::A,\n    rules::config::b::B,\n    rules::meta::z::Z,\n}\n";
        let after = with_registry_line(text, "logging", "rules::logging::c::C,").unwrap();
        assert_eq!(after.lines().nth(2), Some("    rules::logging::c::C,"));
        let new_group = with_registry_line(text, "backup", "rules::backup::d::D,").unwrap();
        assert_eq!(new_group.lines().nth(3), Some("    rules::backup::d::D,"));
    }

    #[test]
    fn the_mod_line_is_kept_in_order() {
        let text = "//! Doc.\n\npub mod alpha;\npub mod gamma;\n";
        assert_eq!(
            with_mod_line(text, "beta"),
            "//! Doc.\n\npub mod alpha;\npub mod beta;\npub mod gamma;\n"
        );
        assert!(with_mod_line(text, "zeta").ends_with("pub mod gamma;\npub mod zeta;\n"));
    }

    #[test]
    fn the_generated_rule_uses_the_declared_layout() {
        let source = rule_source("slow-thing", "reliability");
        assert!(source.contains("pub struct SlowThing {"));
        assert!(source.contains("group: Reliability,"));
        for section in ["## What it does", "## Why", "## Example", "## Use instead"] {
            assert!(source.contains(section), "{section}");
        }
    }
}
