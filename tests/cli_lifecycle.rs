//! `paved upgrade`, `paved check` and `paved adopt` through the binary: exit codes,
//! `--dry-run`, the CI formats, and a Cargo workspace whose services share one kit.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn version(n: u8) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("generator/tests/fixtures/lifecycle/v{n}"))
}

fn paved(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("paved")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `paved new NAME` from version `n` of the tiny fixture template, in `root`.
fn tiny(root: &Path, name: &str, n: u8) -> PathBuf {
    let v = version(n);
    let out = paved(
        root,
        &[
            "new",
            name,
            "--yes",
            "--vcs",
            "none",
            "--template",
            v.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    root.join(name)
}

/// The arguments that upgrade (or check) against version 2 with version 1 reachable.
fn to_v2(command: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        command.to_owned(),
        "--template".to_owned(),
        version(2).display().to_string(),
        "--from".to_owned(),
        version(1).display().to_string(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

fn run(dir: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    paved(dir, &args)
}

/// Every file below `dir` with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn dry_run_prints_the_unified_diff_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1);
    let before = snapshot(root.path());
    let out = run(&dir, &to_v2("upgrade", &["--dry-run"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with(". (tiny 1.0.0 -> 2.0.0)\n"), "{stdout}");
    assert!(
        stdout.contains(
            "  updated     untouched.txt\n--- a/untouched.txt\n+++ b/untouched.txt\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line 5, changed by version 2\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  added       added.txt\n"), "{stdout}");
    assert!(stdout.contains("  removed     removed.txt\n"), "{stdout}");
    assert!(stdout.contains("+version = \"2.0.0\""), "{stdout}");
    assert_eq!(snapshot(root.path()), before);
}

#[test]
fn conflicts_exit_1_and_the_next_run_finishes_once_resolved() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1);
    let conflict = dir.join("conflict.txt");
    let original = fs::read_to_string(&conflict).unwrap();
    fs::write(&conflict, original.replace("line 2\n", "line two\n")).unwrap();

    let out = run(root.path(), &to_v2("upgrade", &["svc"]));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: svc: 1 file(s) have conflicts: conflict.txt"),
        "{stderr}"
    );
    assert!(stderr.contains("run `paved upgrade svc` again"), "{stderr}");
    assert!(text(&out.stdout).contains("  conflict    conflict.txt\n"));
    let no_rej = snapshot(&dir)
        .iter()
        .all(|(p, _)| p.extension().is_none_or(|e| e != "rej"));
    assert!(no_rej);

    // check: drift while markers are left; the version is still the old one.
    let check = run(root.path(), &to_v2("check", &[]));
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    let again = run(root.path(), &to_v2("upgrade", &["svc"]));
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("conflict markers are left in conflict.txt"));

    fs::write(&conflict, original.replace("line 2\n", "line two\n")).unwrap();
    let finish = run(root.path(), &to_v2("upgrade", &["svc"]));
    assert_eq!(finish.status.code(), Some(0), "{}", text(&finish.stderr));
    assert_eq!(
        text(&finish.stdout),
        "svc: conflicts resolved; recorded template version 2.0.0\n"
    );
    let check = run(root.path(), &to_v2("check", &[]));
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn check_exit_codes_are_0_clean_3_outdated_1_drift_2_error() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1);
    let v1 = version(1).display().to_string();
    let clean = paved(&dir, &["check", "--template", &v1]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    assert_eq!(
        text(&clean.stdout),
        ".: clean (tiny 1.0.0)\n1 service(s): 1 clean, 0 drifted, 0 outdated, 0 failed\n"
    );

    let outdated = run(&dir, &to_v2("check", &[]));
    assert_eq!(outdated.status.code(), Some(3));
    assert!(text(&outdated.stdout).contains(".: outdated (tiny 1.0.0 (paved has 2.0.0))\n"));

    fs::write(dir.join("ci.yml"), "steps: []\n").unwrap();
    let drift = run(&dir, &to_v2("check", &[]));
    assert_eq!(drift.status.code(), Some(1));
    let stdout = text(&drift.stdout);
    assert!(
        stdout.contains("  drifted   ci.yml (managed by paved)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("    +steps: []\n"), "{stdout}");

    let error = paved(&dir, &["check"]);
    assert_eq!(error.status.code(), Some(2));
    assert!(text(&error.stdout).contains("no built-in template called `tiny`"));

    let nothing = tempfile::tempdir().unwrap();
    let none = paved(nothing.path(), &["check"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("paved adopt"));
}

#[test]
fn check_formats_for_ci() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1);
    fs::write(dir.join("ci.yml"), "steps: []\n").unwrap();
    tiny(root.path(), "other", 1);

    let json = run(root.path(), &to_v2("check", &["--format", "json"]));
    assert_eq!(json.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["drift"], 1);
    assert_eq!(report["summary"]["outdated"], 1);
    let services = report["services"].as_array().unwrap();
    assert_eq!(services[0]["path"], "other");
    assert_eq!(services[0]["status"], "outdated");
    assert_eq!(services[1]["status"], "drift");
    assert_eq!(services[1]["drifted"][0]["path"], "ci.yml");
    assert_eq!(services[1]["recorded_version"], "1.0.0");
    assert_eq!(services[1]["current_version"], "2.0.0");

    let github = run(root.path(), &to_v2("check", &["--format", "github"]));
    let lines = text(&github.stdout);
    assert!(
        lines.contains("::error file=svc/ci.yml,title=paved(template-drift)::"),
        "{lines}"
    );
    assert!(
        lines.contains("::warning file=other/paved.toml,title=paved(template-outdated)::"),
        "{lines}"
    );

    let sarif = run(root.path(), &to_v2("check", &["--format", "sarif"]));
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/sarif-schema-2.1.0.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
}

/// A Cargo workspace with three services sharing the kit at `kit/`.
fn workspace() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\nresolver = \"3\"\n",
    )
    .unwrap();
    for name in ["alpha", "bravo", "charlie"] {
        let dest = format!("services/{name}");
        let out = paved(
            root.path(),
            &["new", name, "--yes", "--vcs", "none", "--dest", &dest],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    root
}

#[test]
fn a_workspace_shares_one_kit_that_check_and_upgrade_handle_once() {
    let root = workspace();
    let clean = paved(root.path(), &["check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    assert!(
        text(&clean.stdout).ends_with("3 service(s): 3 clean, 0 drifted, 0 outdated, 0 failed\n")
    );

    let lib = root.path().join("kit/src/lib.rs");
    let original = fs::read_to_string(&lib).unwrap();
    fs::write(&lib, format!("{original}// local fix\n")).unwrap();
    let drift = paved(root.path(), &["check", "--format", "json"]);
    assert_eq!(drift.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&drift.stdout).unwrap();
    for service in report["services"].as_array().unwrap() {
        assert_eq!(service["drifted"][0]["path"], "../../kit/src/lib.rs");
    }

    let upgrade = paved(root.path(), &["upgrade"]);
    assert_eq!(upgrade.status.code(), Some(0), "{}", text(&upgrade.stderr));
    let stdout = text(&upgrade.stdout);
    assert_eq!(
        stdout.matches("overwritten ../../kit/src/lib.rs").count(),
        1,
        "{stdout}"
    );
    assert_eq!(fs::read_to_string(&lib).unwrap(), original);
    let clean = paved(root.path(), &["check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
}

#[test]
fn adopt_records_inferred_answers_without_changing_code() {
    let root = tempfile::tempdir().unwrap();
    let out = paved(
        root.path(),
        &["new", "legacy", "--yes", "--vcs", "none", "--port", "9300"],
    );
    assert!(out.status.success());
    let dir = root.path().join("legacy");
    let toml = fs::read_to_string(dir.join("paved.toml")).unwrap();
    let cut = toml.find("[template]").unwrap();
    let kit = toml.find("[kit]").unwrap();
    fs::write(
        dir.join("paved.toml"),
        format!("{}{}", &toml[..cut], &toml[kit..]),
    )
    .unwrap();
    let before = snapshot(&dir);

    let dry = paved(&dir, &["adopt", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert_eq!(snapshot(&dir), before);
    let stdout = text(&dry.stdout);
    assert!(
        stdout.contains("  port = 9300  (from config/default.toml)\n"),
        "{stdout}"
    );

    let adopt = paved(&dir, &["adopt"]);
    assert_eq!(adopt.status.code(), Some(0), "{}", text(&adopt.stderr));
    let after = snapshot(&dir);
    let changed: Vec<&PathBuf> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(changed, [&dir.join("paved.toml")]);
    assert!(
        fs::read_to_string(dir.join("paved.toml"))
            .unwrap()
            .contains("port = 9300")
    );
    let check = paved(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}
