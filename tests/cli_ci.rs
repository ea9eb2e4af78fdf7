//! `paved lint` in CI and on legacy code, through the binary: the CI formats (SARIF checked
//! against the official schema, the others pinned by snapshots), baselines, rule
//! selection, `--changed-since` on a real git repository, and `--stdin-filename`.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// A service with a crate-level finding (`actix-web` in Cargo.toml), two file findings,
/// a warning and a suppressed finding.
const CARGO_TOML: &str = "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nactix-web = \"4\"\n";
const MAIN_RS: &str = r#"fn main() {
    println!("starting");
    let addr = "127.0.0.1:8080";
    // paved: allow(print-logging) -- CLI banner, not a log line
    println!("listening on {addr}");
    let pool = Pool::builder().max_size(16).build();
    let listener = std::net::TcpListener::bind(addr);
}

#[test]
fn t() {}
"#;

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "svc/Cargo.toml", CARGO_TOML);
    write(dir.path(), "svc/src/main.rs", MAIN_RS);
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// `paved lint ARGS` in `dir`.
fn lint(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("lint")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/ci"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = fixture();
    let out = lint(dir.path(), &["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log: Value = serde_json::from_str(&stdout(&out)).unwrap();

    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif-schema-2.1.0.json"
    );
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(schema_path).expect("the SARIF schema in tests/data"),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output does not validate:\n{}",
        errors.join("\n")
    );

    // The validator is not vacuous: a level SARIF does not know is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains(':'),
            "not repository-relative: {uri}"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    let crate_level = results
        .iter()
        .find(|r| r["ruleId"] == "foreign-web-framework")
        .expect("crate-level finding");
    assert_eq!(
        crate_level["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "svc/Cargo.toml"
    );
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "CLI banner, not a log line"
    );

    // One descriptor per registry rule, in registry order (what `ruleIndex` points into).
    let listed = Command::new(env!("CARGO_BIN_EXE_paved"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let registry: Vec<Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let ids: Vec<&Value> = rules.iter().map(|r| &r["id"]).collect();
    let names: Vec<&Value> = registry.iter().map(|r| &r["name"]).collect();
    assert_eq!(ids, names);
    for r in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !r[key]["text"].as_str().unwrap().is_empty(),
                "{}: empty {key}",
                r["id"]
            );
        }
        assert!(
            ["error", "warning"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }

    // The rules belong to the registry and their own tests; pin the rest.
    let mut pinned = log.clone();
    pinned["runs"][0]["tool"]["driver"]["rules"] = Value::from("<one per registry rule>");
    for r in pinned["runs"][0]["results"].as_array_mut().unwrap() {
        r["ruleIndex"] = Value::from("<index of ruleId>");
    }
    snapshot("sarif", &serde_json::to_string_pretty(&pinned).unwrap());
}

#[test]
fn github_gitlab_junit_and_short_output() {
    let dir = fixture();
    for (format, name) in [
        ("github", "github"),
        ("gitlab", "gitlab"),
        ("junit", "junit"),
        ("short", "short"),
    ] {
        let out = lint(dir.path(), &["--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        snapshot(name, &stdout(&out));
    }
    let issues: Vec<Value> =
        serde_json::from_str(&stdout(&lint(dir.path(), &["--format", "gitlab"]))).unwrap();
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(
        fingerprints.len(),
        issues.len(),
        "GitLab needs unique fingerprints"
    );
}

#[test]
fn github_escapes_properties_and_data() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a,b:c/Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    write(
        dir.path(),
        "a,b:c/src/lib.rs",
        "pub fn f() {\n    println!(\"100%\");\n    tracing::info!(\"done\");\n}\n#[test]\nfn t() {}\n",
    );
    let out = stdout(&lint(
        dir.path(),
        &["--format", "github", "--select", "print-logging"],
    ));
    assert!(out.starts_with("::error file=a%2Cb%3Ac/src/lib.rs,line=2,col=5,endLine=2,endColumn=21,title=paved(print-logging)::"), "{out}");
    assert!(out.contains("%0Ahelp: "), "{out}");
}

/// The issue's scenario: write a baseline, shift a finding down, add a new finding and
/// fix an old one.
#[test]
fn baseline_reports_only_new_findings_and_counts_stale_entries() {
    let dir = fixture();
    let out = lint(dir.path(), &["--write-baseline", "paved-baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wrote 4 findings to paved-baseline.json"),
        "{}",
        stderr(&out)
    );
    let written = fs::read_to_string(dir.path().join("paved-baseline.json")).unwrap();
    let mut redacted = written.clone();
    for (i, fp) in fingerprints_in(&written).iter().enumerate() {
        redacted = redacted.replace(fp, &format!("<fingerprint {i}>"));
    }
    snapshot("baseline_file", &redacted);

    // Unchanged: nothing new.
    let out = lint(dir.path(), &["--baseline", "paved-baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("no problems found"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("4 findings in the baseline not shown"),
        "{}",
        stdout(&out)
    );

    // Lines above, one finding fixed (the address), one added (eprintln).
    let edited = MAIN_RS
        .replace(
            "fn main() {\n",
            "use std::fmt;\n\n\nfn main() {\n    // a comment\n",
        )
        .replace(
            "    let addr = \"127.0.0.1:8080\";\n",
            "    let addr = config.addr;\n    eprintln!(\"oops\");\n",
        );
    write(dir.path(), "svc/src/main.rs", &edited);
    let out = lint(
        dir.path(),
        &["--baseline", "paved-baseline.json", "--format", "short"],
    );
    assert_eq!(out.status.code(), Some(1));
    let findings = stdout(&out);
    assert_eq!(findings.lines().count(), 1, "{findings}");
    assert!(
        findings.starts_with("svc/src/main.rs:8:5: deny[print-logging] `eprintln!`"),
        "{findings}"
    );
    assert!(
        stderr(&out).contains("1 baseline entry no longer matches; --prune-baseline removes it"),
        "{}",
        stderr(&out)
    );

    let out = lint(
        dir.path(),
        &[
            "--baseline",
            "paved-baseline.json",
            "--prune-baseline",
            "--format",
            "short",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("removed 1 baseline entry from paved-baseline.json"),
        "{}",
        stderr(&out)
    );
    let pruned = fs::read_to_string(dir.path().join("paved-baseline.json")).unwrap();
    assert_eq!(fingerprints_in(&pruned).len(), 3);
    assert!(!pruned.contains("hardcoded-address"), "{pruned}");
    let out = lint(dir.path(), &["--baseline", "paved-baseline.json"]);
    assert!(
        !stdout(&out).contains("no longer match"),
        "{}",
        stdout(&out)
    );
}

fn fingerprints_in(baseline: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(baseline).unwrap();
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn bad_baseline_files_exit_2() {
    let dir = fixture();
    for (text, expected) in [
        ("this is not json", "not a paved baseline"),
        (
            "{\"version\": 2, \"findings\": []}",
            "baseline version 2 is not supported",
        ),
        ("{\"findings\": []}", "not a paved baseline"),
    ] {
        fs::write(dir.path().join("b.json"), text).unwrap();
        let out = lint(dir.path(), &["--baseline", "b.json"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(
            stderr(&out).starts_with("error: `b.json`: ") && stderr(&out).contains(expected),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    let out = lint(dir.path(), &["--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read baseline `missing.json`"),
        "{}",
        stderr(&out)
    );
    let out = lint(
        dir.path(),
        &["--write-baseline", "b.json", "--changed-since", "HEAD"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = lint(dir.path(), &["--prune-baseline"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--prune-baseline needs --baseline"
    );
}

#[test]
fn select_ignore_warn_deny_and_reporting_flags() {
    let dir = fixture();
    let rules_of = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "short"];
        all.extend_from_slice(args);
        stdout(&lint(dir.path(), &all))
            .lines()
            .map(|l| {
                l.split_once(": ")
                    .unwrap()
                    .1
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(rules_of(&["--select", "logging"]), ["deny[print-logging]"]);
    assert_eq!(
        rules_of(&["--select", "print-logging,config"]),
        [
            "deny[print-logging]",
            "deny[hardcoded-address]",
            "warn[hardcoded-capacity]"
        ]
    );
    assert_eq!(
        rules_of(&["--select", "framework", "--select", "hardcoded-capacity"]),
        ["deny[foreign-web-framework]", "warn[hardcoded-capacity]"]
    );
    assert_eq!(
        rules_of(&["--ignore", "config,framework"]),
        ["deny[print-logging]"]
    );
    assert_eq!(
        rules_of(&[
            "--ignore",
            "config",
            "--deny",
            "hardcoded-capacity",
            "--warn",
            "logging"
        ])
        .len(),
        3
    );
    assert!(
        rules_of(&[
            "--ignore",
            "config",
            "--deny",
            "hardcoded-capacity",
            "--warn",
            "logging"
        ])
        .contains(&"warn[print-logging]".to_string())
    );
    assert!(
        rules_of(&["--deny", "hardcoded-capacity"])
            .contains(&"deny[hardcoded-capacity]".to_string())
    );

    let out = lint(dir.path(), &["--select", "print-loging"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `print-logging`?"),
        "{}",
        stderr(&out)
    );

    let out = lint(dir.path(), &["--select", "hardcoded-capacity"]);
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let out = lint(dir.path(), &["--exit-zero"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("found 3 errors and 1 warning"));

    let out = lint(dir.path(), &["--quiet"]);
    assert!(
        stdout(&out).contains("error[print-logging]") && !stdout(&out).contains("found 3 errors"),
        "{}",
        stdout(&out)
    );

    write(
        dir.path(),
        "svc/src/extra.rs",
        "pub fn f() {\n    println!(\"a\");\n    println!(\"b\");\n    tracing::info!(\"done\");\n}\n",
    );
    let out = lint(dir.path(), &["--statistics"]);
    assert_eq!(out.status.code(), Some(1));
    snapshot("statistics", &stdout(&out));
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn changed_since_lints_changed_and_untracked_files_only() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("git is not installed; skipping");
        return;
    }
    let dir = fixture();
    let root = dir.path();
    write(
        root,
        "svc/src/old.rs",
        "pub fn f() {\n    println!(\"old\");\n    tracing::info!(\"done\");\n}\n",
    );
    write(root, "svc/src/touched.rs", "pub fn g() {}\n");
    write(
        root,
        "lib/Cargo.toml",
        "[package]\nname = \"lib\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nwarp = \"0.3\"\n",
    );
    write(
        root,
        "lib/src/lib.rs",
        "pub fn h() {\n    println!(\"lib\");\n    tracing::info!(\"done\");\n}\n#[test]\nfn t() {}\n",
    );
    write(root, ".gitignore", "ignored.rs\n");
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);
    let first = std::process::Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let first = String::from_utf8(first.stdout).unwrap().trim().to_string();
    write(
        root,
        "svc/src/touched.rs",
        "pub fn g() {\n    println!(\"touched\");\n    tracing::info!(\"done\");\n}\n",
    );
    git(root, &["commit", "-q", "-am", "second"]);
    write(
        root,
        "svc/src/new.rs",
        "pub fn n() {\n    dbg!(1);\n    tracing::info!(\"done\");\n}\n",
    );
    write(
        root,
        "svc/src/ignored.rs",
        "pub fn i() {\n    println!(\"ignored\");\n    tracing::info!(\"done\");\n}\n",
    );

    let out = lint(
        root,
        &[
            "--changed-since",
            &first,
            "--format",
            "short",
            "--select",
            "print-logging,framework",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The committed change and the untracked file, plus svc's crate rules; not `old.rs`,
    // not the ignored file, not the untouched `lib` crate.
    snapshot("changed_since", &stdout(&out));

    // From a subfolder, paths are relative to it.
    let out = lint(
        &root.join("svc"),
        &[
            "--changed-since",
            "HEAD",
            "--format",
            "short",
            "--select",
            "print-logging",
        ],
    );
    assert_eq!(
        stdout(&out),
        "src/new.rs:2:5: deny[print-logging] `dbg!` writes around the structured log\n",
        "{}",
        stderr(&out)
    );

    let out = lint(root, &["--changed-since", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown git revision `no-such-branch`"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty(), "never a silent full run");

    let outside = tempfile::tempdir().unwrap();
    let out = lint(outside.path(), &["--changed-since", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stdin_filename_lints_unsaved_buffers() {
    let dir = fixture();
    let source = "fn main() {\n    eprintln!(\"from the editor\");\n}\n";
    for args in [
        &["--stdin-filename", "svc/src/main.rs", "--format", "short"][..],
        &[
            "-",
            "--stdin-filename",
            "svc/src/main.rs",
            "--format",
            "short",
        ][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_paved"))
            .current_dir(dir.path())
            .arg("lint")
            .args(args)
            .write_stdin(source)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "svc/src/main.rs:2:5: deny[print-logging] `eprintln!` writes around the structured log\n"
        );
    }
    // A file that does not exist on disk (a new, unsaved buffer).
    let out = Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir.path())
        .args([
            "lint",
            "--stdin-filename",
            "svc/src/not/yet/saved.rs",
            "--format",
            "short",
        ])
        .write_stdin("pub fn f() {\n    let url = \"http://localhost:9000\";\n    let _ = reqwest::blocking::get(url);\n}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("svc/src/not/yet/saved.rs:2:15: deny[hardcoded-address]"),
        "{}",
        stdout(&out)
    );

    let out = lint(dir.path(), &["-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--stdin-filename"),
        "{}",
        stderr(&out)
    );
}

/// The workflows of docs/ci.md are meant to be copied: they must pass actionlint.
#[test]
fn documented_workflows_pass_actionlint() {
    if std::process::Command::new("actionlint")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("actionlint is not installed; skipping");
        return;
    }
    let doc = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, block) in doc.split("```yaml\n").skip(1).enumerate() {
        let yaml = block.split("```").next().unwrap();
        if yaml.starts_with("name:") {
            let rel = format!(".github/workflows/doc{i}.yml");
            write(dir.path(), &rel, yaml);
            files.push(rel);
        }
    }
    assert_eq!(files.len(), 2, "docs/ci.md has two complete workflows");
    let out = std::process::Command::new("actionlint")
        .current_dir(dir.path())
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
