//! `paved report`: the markdown of a pull-request comment (snapshot), the JSON and its
//! trend against a previous report, the size of a 200-service page, bad input.

#[path = "common/monorepo.rs"]
mod monorepo;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn report(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("paved")
        .unwrap()
        .current_dir(dir)
        .arg("report")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "paved report {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/report"));
    settings.set_prepend_module_to_snapshot(false);
    // The paved version is not what the snapshot is about.
    // Nor are the versions of paved and of its service template, which move on their own.
    let template = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/service/template.toml"
    ))
    .unwrap();
    let template: toml::Table = template.parse().unwrap();
    let version = template["template"]["version"].as_str().unwrap();
    let text = text
        .replace(
            &format!("paved {}", env!("CARGO_PKG_VERSION")),
            "paved [VERSION]",
        )
        .replace(&format!("| {version} |"), "| [TEMPLATE] |")
        .replace(&format!("`service {version}`"), "`service [TEMPLATE]`");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn markdown_scorecard_and_trend_since_a_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    monorepo::fleet(&repo);
    snapshot(
        "markdown",
        &report(dir.path(), &["repo", "--format", "markdown"]),
    );

    report(
        dir.path(),
        &["repo", "--format", "json", "-o", "before.json"],
    );
    let before: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("before.json")).unwrap())
            .unwrap();
    assert_eq!(before["schema"], 1);
    let legacy = &before["services"][1];
    assert_eq!(legacy["name"], "legacy");
    assert_eq!(
        legacy["owners"],
        serde_json::json!(["@legacy-team", "@platform"])
    );
    assert_eq!(legacy["template"]["status"], "outdated");
    let findings = legacy["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["rule"] == "print-logging"
            && f["path"] == "services/legacy/src/main.rs"
            && f["line"] == 3),
        "{findings:#?}"
    );
    // The library and the house kit each service generated outside a workspace carries
    // (three here): none of them is a service.
    assert_eq!(
        before["others"]["crates"], 4,
        "the library and the kits are not services"
    );
    assert!(
        before["others"]["deny"].as_u64().unwrap() >= 1,
        "its finding is counted apart"
    );

    // notes fixes its print; billing drifts; legacy moves code down (not a new finding).
    let notes = repo.join("services/notes/src/main.rs");
    let text = std::fs::read_to_string(&notes).unwrap();
    std::fs::write(&notes, text.replace("println!(\"notes\");", "")).unwrap();
    let billing = repo.join("services/billing/src/main.rs");
    let mut text = std::fs::read_to_string(&billing).unwrap();
    text.push_str("\nfn debug() {\n    dbg!(1);\n    tracing::info!(\"done\");\n}\n");
    std::fs::write(&billing, text).unwrap();
    let legacy_main = repo.join("services/legacy/src/main.rs");
    let text = std::fs::read_to_string(&legacy_main).unwrap();
    std::fs::write(&legacy_main, format!("// moved\n\n{text}")).unwrap();

    let since = report(
        dir.path(),
        &["repo", "--format", "json", "--since", "before.json"],
    );
    let after: Value = serde_json::from_str(&since).unwrap();
    let trend = |name: &str| {
        let s = after["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap();
        (
            s["trend"]["new"].as_u64().unwrap(),
            s["trend"]["fixed"].as_u64().unwrap(),
        )
    };
    assert_eq!(trend("notes"), (0, 1));
    assert_eq!(trend("billing"), (1, 0));
    assert_eq!(trend("legacy"), (0, 0), "moved code is not new");
    snapshot(
        "markdown_since",
        &report(
            dir.path(),
            &["repo", "--format", "markdown", "--since", "before.json"],
        ),
    );
}

#[test]
fn the_html_of_200_drifting_services_stays_under_2_mb() {
    let dir = tempfile::tempdir().unwrap();
    let mut main = monorepo::DRIFTING_MAIN.to_string();
    // Forty prints more per service: more findings than a page lists per cell.
    main.push_str("fn chatty() {\n    tracing::info!(\"chatty\");\n");
    for i in 0..40 {
        main.push_str(&format!("    println!(\"step {i}\");\n"));
    }
    main.push_str("}\n");
    for i in 0..200 {
        monorepo::service_crate(dir.path(), &format!("service-{i:03}"), "0.0.1", &main);
    }
    let html = report(dir.path(), &["."]);
    let services = html.matches("<tr id=\"s").count();
    assert_eq!(services, 200, "one row per service");
    assert!(
        html.len() < 2 * 1024 * 1024,
        "the report of 200 services is {} bytes",
        html.len()
    );
    assert!(
        html.contains("more: <code>paved lint services/service-000 --select logging</code>"),
        "findings past the page's limit are counted and named"
    );
}

#[test]
fn bad_input_is_named_with_the_next_step() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.json"), "{\"services\": []}").unwrap();
    let out = Command::cargo_bin("paved")
        .unwrap()
        .current_dir(dir.path())
        .args(["report", ".", "--since", "old.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no `schema` field"), "{stderr}");
    assert!(stderr.contains("paved report --format json"), "{stderr}");

    let out = Command::cargo_bin("paved")
        .unwrap()
        .args(["report", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn a_monorepo_without_services_says_how_to_see_the_roles() {
    let dir = tempfile::tempdir().unwrap();
    monorepo::library_crate(dir.path(), "shared");
    let out = Command::cargo_bin("paved")
        .unwrap()
        .args(["report", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let fleet: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(fleet["services"], serde_json::json!([]));
    assert_eq!(fleet["others"]["crates"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("paved lint --show-roles"));
}
