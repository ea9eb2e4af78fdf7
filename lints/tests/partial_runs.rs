//! `only_files` (what `--changed-since` passes) lints a few files, but crate rules still
//! see the facts of the whole crate: a route or a test in an unchanged file is not missing.

use paved_lints::{LintOptions, lint};
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, contents: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

#[test]
fn crate_rules_see_unchanged_files_and_file_rules_only_changed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.8\"\n",
    );
    write(
        root,
        "src/main.rs",
        "mod extra;\n\nasync fn ping() -> &'static str {\n    \"OK\"\n}\n\nfn main() {\n    println!(\"unchanged file\");\n    let _app: axum::Router = axum::Router::new().route(\"/ping\", axum::routing::get(ping));\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn pings() {\n        assert_eq!(\"/ping\", \"/ping\");\n    }\n}\n",
    );
    write(
        root,
        "src/extra.rs",
        "pub fn changed() {\n    tracing::warn!(\"changed\");\n    println!(\"changed file\");\n}\n",
    );

    let changed = root.join("src/extra.rs");
    let report = lint(&LintOptions {
        paths: vec![root.to_path_buf()],
        only_files: Some(vec![changed]),
        ..LintOptions::default()
    })
    .unwrap();
    let rules: Vec<(&str, String)> = report
        .active()
        .map(|d| (d.rule.name(), d.path.to_string_lossy().into_owned()))
        .collect();

    assert!(
        rules
            .iter()
            .any(|(r, p)| *r == "print-logging" && p.ends_with("src/extra.rs")),
        "{rules:?}"
    );
    assert!(
        !rules
            .iter()
            .any(|(r, p)| *r == "print-logging" && p.ends_with("src/main.rs")),
        "unchanged files' findings are not reported: {rules:?}"
    );
    for rule in ["missing-tests", "missing-health-endpoint", "untested-route"] {
        assert!(
            !rules.iter().any(|(r, _)| *r == rule),
            "`{rule}` must see the unchanged files: {rules:?}"
        );
    }
    // The crate rules did run: the service has no metrics route and no systemd unit.
    assert!(
        rules.iter().any(|(r, _)| *r == "missing-metrics-endpoint"),
        "{rules:?}"
    );
    assert_eq!(report.files, 1);
}
