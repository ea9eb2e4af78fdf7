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

const PRINTS: &[u8] = b"fn main() {\n    println!(\"hello\");\n}\n";

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
