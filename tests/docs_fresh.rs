//! `docs/rules/` is generated from the rule registry; this test fails when the checked-in
//! pages differ from what `paved rules --write-docs` writes today.

use std::collections::BTreeMap;
use std::path::Path;

const HOW_TO_FIX: &str = "run `cargo run -- rules --write-docs docs/rules`";

fn pages(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.expect("read docs/rules entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path())
                .unwrap_or_else(|err| format!("<unreadable: {err}>"));
            (name, text)
        })
        .collect()
}

#[test]
fn docs_rules_are_fresh() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_paved"))
        .args(["rules", "--write-docs"])
        .arg(out.path())
        .output()
        .expect("run paved");
    assert!(
        status.status.success(),
        "paved rules --write-docs failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );

    let expected = pages(out.path());
    let checked_in = pages(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules"));
    let mut problems = Vec::new();
    for (name, text) in &expected {
        match checked_in.get(name) {
            None => problems.push(format!("docs/rules/{name} is missing")),
            Some(old) if old != text => problems.push(format!("docs/rules/{name} is stale")),
            Some(_) => {}
        }
    }
    for name in checked_in.keys().filter(|n| !expected.contains_key(*n)) {
        problems.push(format!(
            "docs/rules/{name} is not generated from any rule (renamed or removed?)"
        ));
    }
    assert!(
        problems.is_empty(),
        "docs/rules is out of date:\n  {}\n{HOW_TO_FIX}",
        problems.join("\n  ")
    );
}

#[test]
fn the_idioms_guide_names_every_rule() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paved"))
        .args(["rules", "--format", "json"])
        .output()
        .expect("run paved");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("rules as JSON");
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/idioms.md"))
            .expect("docs/idioms.md");
    let missing: Vec<&str> = rules
        .as_array()
        .expect("a list of rules")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .filter(|name| !guide.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/idioms.md does not name {missing:?}"
    );
}
