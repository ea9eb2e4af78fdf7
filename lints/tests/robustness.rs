//! Input that once stopped a whole run: every case here must end in findings, not an error.

use paved_lints::{LintOptions, Report, lint};
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, contents: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

fn lint_dir(root: &Path) -> Report {
    lint(&LintOptions {
        paths: vec![root.to_path_buf()],
        ..LintOptions::default()
    })
    .expect("the run goes on")
}

fn has(report: &Report, rule: &str, file: &str) -> bool {
    report
        .active()
        .any(|d| d.rule == rule && d.path.ends_with(file))
}

/// A print beside a log event: `print-logging` reports it wherever it is linted.
const PRINTS: &[u8] = b"fn main() {\n    tracing::info!(\"start\");\n    println!(\"hello\");\n}\n";

#[test]
fn a_non_utf8_manifest_or_environment_file_is_a_finding_and_the_others_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "good/Cargo.toml",
        b"[package]\nname = \"good\"\nversion = \"0.1.0\"\n[dependencies]\naxum = \"0.8\"\n",
    );
    write(dir.path(), "good/src/main.rs", PRINTS);
    write(dir.path(), "good/config/default.toml", b"a = \"\xff\"\n");
    write(
        dir.path(),
        "bad/Cargo.toml",
        b"[package]\nname = \"\xff\"\n",
    );
    write(dir.path(), "bad/src/main.rs", PRINTS);
    let report = lint_dir(dir.path());
    assert!(has(&report, "parse-error", "bad/Cargo.toml"));
    assert!(has(&report, "parse-error", "good/config/default.toml"));
    assert!(has(&report, "print-logging", "good/src/main.rs"));
    assert!(has(&report, "print-logging", "bad/src/main.rs"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_source_file_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shared/util.rs", PRINTS);
    write(
        dir.path(),
        "svc/Cargo.toml",
        b"[package]\nname = \"svc\"\nversion = \"0.1.0\"\n[dependencies]\naxum = \"0.8\"\n",
    );
    write(dir.path(), "svc/src/main.rs", b"mod util;\nfn main() {}\n");
    std::os::unix::fs::symlink(
        dir.path().join("shared/util.rs"),
        dir.path().join("svc/src/util.rs"),
    )
    .unwrap();
    let report = lint_dir(&dir.path().join("svc"));
    assert!(
        has(&report, "print-logging", "svc/src/util.rs"),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn deeply_nested_code_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 2000;
    let nested = format!(
        "fn f() -> i32 {{ {}1{} }}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    write(dir.path(), "deep.rs", nested.as_bytes());
    write(dir.path(), "other.rs", PRINTS);
    let report = lint_dir(dir.path());
    assert!(has(&report, "print-logging", "other.rs"));
}

/// Glob imports that reach each other from every module (`use super::*; use crate::*;`)
/// once made resolving an unknown handler path take minutes; it must stay a search of a
/// bounded size.
#[test]
fn glob_imports_in_every_module_do_not_explode_path_resolution() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        b"[package]\nname = \"svc\"\nversion = \"0.1.0\"\n[dependencies]\naxum = \"0.8\"\n",
    );
    let mut main = String::from("use axum::{Router, routing::get};\n");
    for i in 0..24 {
        main.push_str(&format!("mod m{i};\npub use m{i}::*;\n"));
        let mut module = String::from("use super::*;\nuse crate::*;\n");
        for j in 0..24 {
            module.push_str(&format!("pub use crate::m{j}::*;\n"));
        }
        write(dir.path(), &format!("src/m{i}.rs"), module.as_bytes());
    }
    main.push_str(
        "fn main() {\n    let _app: Router = Router::new().route(\"/x\", get(a::b::c::missing));\n}\n",
    );
    write(dir.path(), "src/main.rs", main.as_bytes());
    let report = lint_dir(dir.path());
    assert!(!has(&report, "parse-error", "main.rs"));
}
