//! `paved lint`, `paved explain` and `paved rules` through the binary: exit codes 0/1/2,
//! the output formats (and the JSON contract of docs/architecture.md), the teaching commands, and the
//! inputs that must not take the run down (bad `paved.toml`, missing path, a file that is
//! not UTF-8, a file with a syntax error).

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// A library crate (no binary, so no service rules) with the given `src/lib.rs`.
fn library(lib_rs: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"example\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nserde = \"1\"\n").unwrap();
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::write(dir.path().join("src/lib.rs"), lib_rs).unwrap();
    dir
}

const CLEAN: &str = "/// Adds.
pub fn add(a: i32, b: i32) -> i32 {
    a + b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(super::add(1, 2), 3);
    }
}
";

/// A print beside a log event in the same function: `print-logging` has its evidence.
const PRINTS: &str = "pub fn start(port: u16) {
    println!(\"listening on {port}\");
    tracing::debug!(port, \"started\");
}

pub fn stop() {
    tracing::info!(\"stopping\");
}

#[cfg(test)]
mod tests {
    #[test]
    fn starts() {
        super::start(0);
    }
}
";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn paved(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "paved panicked:\n{}",
        run.stderr
    );
    run
}

fn lint(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["lint"];
    all.extend_from_slice(args);
    paved(dir, &all)
}

#[test]
fn exit_0_when_clean() {
    let dir = library(CLEAN);
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
}

#[test]
fn exit_1_on_a_deny_finding() {
    let dir = library(PRINTS);
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("error[print-logging]"),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_2_on_a_path_that_does_not_exist() {
    let dir = library(CLEAN);
    let run = lint(dir.path(), &["no/such/dir"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("error: path `no/such/dir` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn exit_2_on_bad_arguments() {
    let dir = library(CLEAN);
    assert_eq!(lint(dir.path(), &["--format", "xml"]).code, 2);
    assert_eq!(paved(dir.path(), &["frobnicate"]).code, 2);
}

#[test]
fn bad_paved_toml_names_file_line_column_and_the_closest_rule() {
    let dir = library(PRINTS);
    fs::write(
        dir.path().join("paved.toml"),
        "[lints]\nlogging = \"deny\"\nprint-loging = \"allow\"\n",
    )
    .unwrap();
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "nothing linted: {}", run.stdout);
    assert!(
        run.stderr.starts_with("error: paved.toml:3:1:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("print-loging"),
        "names the unknown rule: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`print-logging`"),
        "suggests the closest rule: {}",
        run.stderr
    );
}

#[test]
fn short_format_is_one_line_per_finding() {
    let dir = library(PRINTS);
    let run = lint(dir.path(), &["--format", "short"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with("src/lib.rs:2:5: deny[print-logging] "),
        "{}",
        run.stdout
    );
}

/// The keys of the JSON object that starts at line `at` of pretty-printed `lines`, in order.
fn keys_at(lines: &[&str], at: usize) -> Vec<String> {
    let indent = lines[at].len() - lines[at].trim_start().len() + 2;
    let mut keys = Vec::new();
    for line in &lines[at + 1..] {
        let depth = line.len() - line.trim_start().len();
        if depth < indent {
            break;
        }
        if depth == indent
            && let Some(rest) = line.trim_start().strip_prefix('"')
        {
            keys.push(rest.split('"').next().unwrap().to_string());
        }
    }
    keys
}

#[test]
fn json_format_follows_the_contract_field_by_field() {
    let dir = library(PRINTS);
    let run = lint(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(keys_at(&lines, 0), ["version", "diagnostics", "summary"]);
    let first = lines
        .iter()
        .position(|l| l.trim() == "{" && l.starts_with("    {"))
        .expect("a diagnostic object");
    assert_eq!(
        keys_at(&lines, first),
        [
            "rule",
            "group",
            "level",
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "help",
            "fix"
        ]
    );
    let summary = lines
        .iter()
        .position(|l| l.starts_with("  \"summary\""))
        .unwrap();
    assert_eq!(
        keys_at(&lines, summary),
        ["files", "crates", "deny", "warn"]
    );

    assert_eq!(value["version"], 1);
    let d = &value["diagnostics"][0];
    assert_eq!(d["rule"], "print-logging");
    assert_eq!(d["group"], "logging");
    assert_eq!(d["level"], "deny");
    assert_eq!(d["path"], "src/lib.rs");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(d["end_line"], 2);
    assert!(d["end_column"].as_u64().unwrap() > 5);
    assert!(d["message"].is_string() && d["help"].is_string());
    assert_eq!(value["summary"]["files"], 1);
    assert_eq!(value["summary"]["crates"], 1);
    assert_eq!(value["summary"]["deny"], 1);
    assert_eq!(value["summary"]["warn"], 0);
}

#[test]
fn json_of_a_clean_run_is_still_a_report() {
    let dir = library(CLEAN);
    let run = lint(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["diagnostics"], serde_json::json!([]));
}

#[test]
fn human_format_is_pinned() {
    let dir = library(PRINTS);
    fs::write(
        dir.path().join("src/net.rs"),
        "pub fn bind() -> std::io::Result<std::net::TcpListener> {\n    let addr = \"0.0.0.0:8080\";\n    std::net::TcpListener::bind(addr)\n}\n",
    )
    .unwrap();
    let run = lint(dir.path(), &["--format", "human", "--color", "never"]);
    assert_eq!(run.code, 1);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("lint_human", run.stdout));
}

#[test]
fn non_utf8_and_syntax_errors_are_parse_errors_and_the_rest_is_still_linted() {
    let dir = library(PRINTS);
    fs::write(
        dir.path().join("src/latin1.rs"),
        b"// caf\xe9\npub fn f() {}\n",
    )
    .unwrap();
    fs::write(dir.path().join("src/broken.rs"), "pub fn g( {\n").unwrap();
    let run = lint(dir.path(), &["--format", "short"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let has = |prefix: &str, rule: &str| {
        run.stdout
            .lines()
            .any(|l| l.starts_with(prefix) && l.contains(&format!("[{rule}]")))
    };
    assert!(has("src/latin1.rs:1:", "parse-error"), "{}", run.stdout);
    assert!(has("src/broken.rs:1:", "parse-error"), "{}", run.stdout);
    assert!(
        has("src/lib.rs:2:5:", "print-logging"),
        "the other files are still linted: {}",
        run.stdout
    );
    let json = lint(dir.path(), &["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["summary"]["files"], 3);
}

#[test]
fn explain_a_rule() {
    let dir = library(CLEAN);
    let run = paved(dir.path(), &["explain", "print-logging"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("# print-logging\n"),
        "{}",
        run.stdout
    );
    for section in ["## What it does", "## Why", "## Example", "## Use instead"] {
        assert!(
            run.stdout.contains(section),
            "{section} missing:\n{}",
            run.stdout
        );
    }
}

#[test]
fn explain_a_group_lists_its_rules() {
    let dir = library(CLEAN);
    let run = paved(dir.path(), &["explain", "logging"]);
    assert_eq!(run.code, 0);
    for rule in paved_lints::registry::RULES
        .iter()
        .filter(|r| r.group.as_str() == "logging")
    {
        assert!(
            run.stdout.contains(&format!("- {} (", rule.name)),
            "{} missing:\n{}",
            rule.name,
            run.stdout
        );
    }
}

#[test]
fn explain_unknown_suggests_the_closest_name() {
    let dir = library(CLEAN);
    let run = paved(dir.path(), &["explain", "print-loging"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("unknown rule or group `print-loging`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `print-logging`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_table_lists_every_rule() {
    let dir = library(CLEAN);
    let run = paved(dir.path(), &["rules"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("RULE")
            && lines[0].contains("GROUP")
            && lines[0].contains("DEFAULT")
            && lines[0].ends_with("SUMMARY"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), paved_lints::registry::RULES.len() + 1);
    for rule in paved_lints::registry::RULES {
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().next() == Some(rule.name)),
            "{} missing",
            rule.name
        );
    }
}

#[test]
fn rules_as_json() {
    let dir = library(CLEAN);
    let run = paved(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = value.as_array().unwrap();
    assert_eq!(rules.len(), paved_lints::registry::RULES.len());
    for (json, rule) in rules.iter().zip(paved_lints::registry::RULES) {
        assert_eq!(json["name"], rule.name);
        assert_eq!(json["group"], rule.group.as_str());
        assert_eq!(json["default_level"], rule.default_level.as_str());
        assert_eq!(json["summary"], rule.summary);
        assert!(json["scope"].is_string());
    }
}

#[test]
fn verbose_says_what_the_router_index_found_and_could_not_follow() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\naxum = \"0.8\"\n").unwrap();
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::write(
        dir.path().join("src/main.rs"),
        "use axum::{Router, routing::get};\n\nasync fn ping() -> &'static str { \"OK\" }\n\nfn main() {\n    let app: Router = Router::new()\n        .route(\"/ping\", get(ping))\n        .route(\"/users\", get(users::list));\n    let _ = app;\n}\n",
    )
    .unwrap();
    let run = lint(dir.path(), &["--verbose", "--format", "json"]);
    assert!(
        run.stderr
            .contains("router index: crate `svc` (.): 2 routes (2 with a full path), 1 handlers"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("  route: /ping (src/main.rs:7)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "src/main.rs:8: handler `users::list` not resolved to an `async fn` of the crate"
        ),
        "{}",
        run.stderr
    );
    // The report itself stays valid JSON on stdout.
    assert!(run.stdout.trim_start().starts_with('{'), "{}", run.stdout);
    let quiet = lint(dir.path(), &["--format", "json"]);
    assert!(!quiet.stderr.contains("router index"), "{}", quiet.stderr);
}

fn lint_with_env(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paved"));
    cmd.current_dir(dir)
        .arg("lint")
        .args(args)
        .env("NO_COLOR", "1");
    cmd.env_remove("PAVED_CACHE_DIR");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn the_cache_lives_at_the_repository_root_and_is_reused() {
    let repo = library(PRINTS);
    fs::create_dir(repo.path().join(".git")).unwrap();
    fs::create_dir(repo.path().join("src/inner")).unwrap();
    let inner = repo.path().join("src/inner");
    let first = lint_with_env(&inner, &["-v", ".."], &[]);
    assert!(
        repo.path().join(".paved_cache").is_dir(),
        "{}",
        first.stderr
    );
    assert!(!inner.join(".paved_cache").exists());
    assert!(
        first.stderr.contains("cache: 0 of 1 file reused"),
        "{}",
        first.stderr
    );
    let second = lint_with_env(&inner, &["-v", ".."], &[]);
    assert!(
        second.stderr.contains("cache: 1 of 1 file reused"),
        "{}",
        second.stderr
    );
    assert_eq!((first.code, &first.stdout), (second.code, &second.stdout));
    assert_eq!(first.code, 1, "{}", first.stdout);
}

#[test]
fn paved_cache_dir_moves_the_cache_and_no_cache_skips_it() {
    let crate_dir = library(PRINTS);
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = lint_with_env(
        crate_dir.path(),
        &[],
        &[("PAVED_CACHE_DIR", elsewhere.path())],
    );
    assert_eq!(moved.code, 1);
    assert!(elsewhere.path().join("CACHEDIR.TAG").is_file());
    assert!(!crate_dir.path().join(".paved_cache").exists());

    let skipped = lint_with_env(crate_dir.path(), &["--no-cache", "-v"], &[]);
    assert_eq!((skipped.code, &skipped.stdout), (moved.code, &moved.stdout));
    assert!(!crate_dir.path().join(".paved_cache").exists());
    assert!(!skipped.stderr.contains("cache:"), "{}", skipped.stderr);
}

#[test]
fn an_unwritable_cache_is_a_warning_not_a_failure() {
    let crate_dir = library(PRINTS);
    let blocked = crate_dir.path().join("blocked");
    fs::write(&blocked, "a file, not a folder").unwrap();
    let run = lint_with_env(crate_dir.path(), &[], &[("PAVED_CACHE_DIR", &blocked)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("print-logging"), "{}", run.stdout);
    assert!(
        run.stderr.contains("warning: cannot write the cache"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_no_color_does_not_turn_colour_off() {
    let crate_dir = library(PRINTS);
    let run = |no_color: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_paved"))
            .current_dir(crate_dir.path())
            .args(["lint", "--no-cache"])
            .env("NO_COLOR", no_color)
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        run("").contains('\u{1b}'),
        "empty NO_COLOR: colour stays on"
    );
    assert!(!run("1").contains('\u{1b}'), "NO_COLOR=1: no colour");
}
