//! `paved lint --show-roles`: every crate's role and why; stated roles; bad role names.

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lints/tests/fixtures");

fn roles_of(case: &str) -> Vec<Value> {
    let out = Command::cargo_bin("paved")
        .unwrap()
        .args(["lint", "--show-roles", "--format", "json"])
        .arg(format!("{FIXTURES}/{case}"))
        .output()
        .unwrap();
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
        .as_array()
        .cloned()
        .unwrap()
}

fn role(crates: &[Value], name: &str) -> (String, String) {
    let c = crates
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no crate {name} in {crates:?}"));
    (
        c["role"].as_str().unwrap().into(),
        c["reason"].as_str().unwrap().into(),
    )
}

#[test]
fn demos_and_vendored_code_are_told_apart_from_the_service() {
    let crates = roles_of("print-logging/clean_vendored_and_demos");
    assert_eq!(role(&crates, "api").0, "library");
    assert_eq!(role(&crates, "example-hello").0, "example");
    let (vendored, why) = role(&crates, "leftpad");
    assert_eq!(vendored, "vendored");
    assert!(why.contains("vendor/"), "{why}");
}

#[test]
fn admin_binaries_of_a_service_crate_are_shown_as_commands() {
    let crates = roles_of("print-logging/flagged_service_with_admin");
    assert_eq!(role(&crates, "notes").0, "service");
    let binaries = crates[0]["binaries"].as_array().unwrap();
    let cli: Vec<&str> = binaries
        .iter()
        .filter(|b| b["role"] == "cli")
        .map(|b| b["path"].as_str().unwrap())
        .collect();
    assert_eq!(cli.len(), 3, "{binaries:?}");
    assert!(cli.iter().all(|p| p.contains("src/bin/")), "{cli:?}");
}

#[test]
fn stated_roles_win_and_say_where_they_were_stated() {
    let crates = roles_of("print-logging/flagged_stated_role");
    let (cli, why) = role(&crates, "looks-like-a-service");
    assert_eq!(cli, "cli");
    assert!(why.contains("[package.metadata.paved]"), "{why}");
    let (service, why) = role(&crates, "relay");
    assert_eq!(service, "service");
    assert!(why.contains("paved.toml"), "{why}");
}

#[test]
fn an_unknown_role_stops_the_run_with_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[package.metadata.paved]\nrole = \"servce\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("paved")
        .unwrap()
        .arg("lint")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Cargo.toml:6:1: unknown role `servce`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `service`?"), "{stderr}");
}

#[test]
fn explain_names_the_roles_a_rule_applies_to() {
    let out = Command::cargo_bin("paved")
        .unwrap()
        .args(["explain", "print-logging"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("applies to crates that are: service, worker, library"),
        "{text}"
    );
}

#[test]
fn a_crate_on_the_kits_worker_feature_is_a_worker() {
    let crates = roles_of("ack-before-work/clean_kit_worker");
    let (role, why) = role(&crates, "orders-worker");
    assert_eq!(role, "worker", "{why}");
}

#[test]
fn a_binary_whose_library_serves_is_the_service() {
    let crates = roles_of("blocking-in-async/flagged_server_in_library");
    let (role_of_binary, why) = role(&crates, "notesd");
    assert_eq!(role_of_binary, "service");
    assert!(why.contains("`notes-router` serves HTTP"), "{why}");
    // The library is the service's, not a command's.
    assert_eq!(role(&crates, "notes-router").0, "library");
}

#[test]
fn a_tool_linking_a_served_library_stays_a_command() {
    let crates = roles_of("print-logging/clean_tool_beside_gateway");
    assert_eq!(role(&crates, "gateway").0, "service");
    assert_eq!(role(&crates, "evaluate").0, "cli");
}
