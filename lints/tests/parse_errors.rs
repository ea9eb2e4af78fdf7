//! A file that cannot be parsed is reported as `parse-error`, and the run goes on: the
//! other files of the crate are still linted.

use paved_lints::{LintOptions, lint};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse-error/flagged")
}

#[test]
fn broken_files_are_reported_and_the_others_still_linted() {
    let report = lint(&LintOptions {
        paths: vec![fixture()],
        ..LintOptions::default()
    })
    .expect("lint runs");
    let found = |rule: &str, file: &str| {
        report
            .active()
            .any(|d| d.rule == rule && d.path.ends_with(file))
    };
    assert!(
        found("parse-error", "src/broken.rs"),
        "syntax error reported"
    );
    assert!(
        found("parse-error", "src/latin1.rs"),
        "non-UTF-8 file reported"
    );
    assert!(
        found("parse-error", "broken-crate/Cargo.toml"),
        "invalid Cargo.toml reported"
    );
    assert!(
        found("parse-error", "config/production.toml"),
        "invalid environment file reported"
    );
    // The good file beside the broken ones is still linted.
    assert!(
        found("print-logging", "src/main.rs"),
        "the good file's findings are kept"
    );
    assert_eq!(
        report.active().filter(|d| d.rule == "parse-error").count(),
        4
    );
}
