//! Service name validation: the name becomes a folder, a package, a binary and a systemd
//! unit, so it has to be acceptable to all of them.

use crate::error::{Error, Result};

/// Strict and reserved keywords of every edition up to 2024 (`gen` is reserved since 2024);
/// a package named after one has a library or binary target Cargo refuses to build.
const RUST_KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names that collide with the standard library crates or with folders Cargo creates
/// inside `target/<profile>/`.
const CARGO_RESERVED: &[&str] = &[
    "alloc",
    "build",
    "core",
    "debug",
    "deps",
    "doc",
    "examples",
    "incremental",
    "proc_macro",
    "proc-macro",
    "release",
    "std",
    "test",
];

/// Device names Windows refuses as file names, whatever the case or extension.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks that `name` can be a service name. The error says what is wrong and what a
/// valid name looks like.
pub fn validate_name(name: &str) -> Result<()> {
    match problem(name) {
        None => Ok(()),
        Some(problem) => Err(Error::InvalidName {
            name: name.to_owned(),
            problem,
        }),
    }
}

fn problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the name is empty".to_owned());
    }
    if name.contains(['/', '\\']) {
        return Some(format!("`{name}` contains a path separator"));
    }
    if name == "." || name.contains("..") {
        return Some(format!("`{name}` is a relative path, not a name"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        let shown = if bad.is_whitespace() {
            format!("{bad:?}")
        } else {
            format!("`{bad}`")
        };
        return Some(format!("`{name}` contains {shown}, which is not allowed"));
    }
    let first = name.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return Some(format!("`{name}` starts with `{first}`, not a letter"));
    }
    let crate_name = name.replace('-', "_");
    if RUST_KEYWORDS.contains(&name) || RUST_KEYWORDS.contains(&crate_name.as_str()) {
        return Some(format!("`{name}` is a Rust keyword"));
    }
    if CARGO_RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        return Some(format!(
            "`{name}` is reserved by Cargo (a standard library crate or a folder in `target/`)"
        ));
    }
    if WINDOWS_RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        return Some(format!("`{name}` is a reserved file name on Windows"));
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        // Cargo warns about a package name that is not snake case, and the generated CI
        // denies warnings.
        let lower = name.to_ascii_lowercase();
        return Some(match problem(&lower) {
            None => format!("`{name}` has uppercase letters; use `{lower}` instead"),
            Some(_) => format!("`{name}` has uppercase letters"),
        });
    }
    None
}
