//! `paved lint --fix / --unsafe-fixes / --diff` through the binary, and the fix engine's
//! guarantees at the library level: before/after snapshots, a second `--fix` changes
//! nothing, `--diff` writes nothing, and a fix that would break the parse is dropped.

use assert_cmd::Command;
use paved_lints::diagnostic::{Applicability, Edit, Fix, Level, Position};
use paved_lints::fix::{self, FixMode};
use paved_lints::{Diagnostic, LintOptions, Report};
use std::fs;
use std::path::{Path, PathBuf};

const MANIFEST: &str = r#"[package]
name = "notes"
version = "0.1.0"
edition = "2024"

[dependencies]
axum = "0.8"
tokio = { version = "1", features = ["full"] }
tracing = "0.1"
"#;

const MAIN: &str = r#"use std::println as say;

fn main() {
    let port = 8080;
    println!("listening on {port}");
    ::std::eprintln!("failed: {}", 1);
    std::println!(
        "spread over {} lines",
        3
    );
    say!("aliased");
    print!("no newline, no fix");
    println!();
    let value = dbg!(2 + 2);
    if value > 3 { eprintln!("{value}") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prints_in_tests_are_fine() {
        println!("debugging a test");
    }
}
"#;

fn service() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Cargo.toml"), MANIFEST).unwrap();
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::write(dir.path().join("src/main.rs"), MAIN).unwrap();
    dir
}

fn paved(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn main_rs(dir: &Path) -> String {
    fs::read_to_string(dir.join("src/main.rs")).unwrap()
}

fn snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/fix"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn unsafe_fixes_rewrite_println_and_eprintln_and_report_what_remains() {
    let dir = service();
    let (code, stdout, stderr) = paved(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--format", "short"],
    );
    let after = main_rs(dir.path());
    snapshot(
        "print_logging_after",
        &format!("--- before\n{MAIN}--- after\n{after}"),
    );
    assert!(stderr.contains("fixed 5 findings in 1 file"), "{stderr}");
    // print!, println!() and dbg! have no fix and remain (deny: exit 1).
    assert_eq!(code, 1, "{stdout}{stderr}");
    let remaining: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("[print-logging]"))
        .collect();
    assert_eq!(remaining.len(), 3, "{stdout}");
    assert!(
        after.contains("        println!(\"debugging a test\");"),
        "test code is not touched"
    );
}

#[test]
fn a_second_fix_changes_nothing() {
    let dir = service();
    paved(dir.path(), &["--fix", "--unsafe-fixes"]);
    let once = main_rs(dir.path());
    let (code, _, stderr) = paved(dir.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(main_rs(dir.path()), once);
    assert!(stderr.contains("fixed 0 findings in 0 files"), "{stderr}");
    assert_eq!(code, 1);
    let (_, diff, _) = paved(dir.path(), &["--diff", "--unsafe-fixes"]);
    assert_eq!(diff, "", "nothing left to fix");
}

#[test]
fn fix_without_unsafe_fixes_leaves_unsafe_fixes_alone_and_says_so() {
    let dir = service();
    let (code, _, stderr) = paved(dir.path(), &["--fix"]);
    assert_eq!(main_rs(dir.path()), MAIN);
    assert_eq!(code, 1);
    assert!(stderr.contains("fixed 0 findings in 0 files"), "{stderr}");
    assert!(
        stderr.contains("5 more fixes available with `--unsafe-fixes`"),
        "{stderr}"
    );
}

#[test]
fn diff_shows_the_change_and_writes_nothing() {
    let dir = service();
    let (code, stdout, stderr) = paved(dir.path(), &["--diff", "--unsafe-fixes"]);
    assert_eq!(main_rs(dir.path()), MAIN, "--diff must not write");
    assert_eq!(code, 1, "a diff that would change something exits 1");
    assert!(
        stderr.contains("would fix 5 findings in 1 file"),
        "{stderr}"
    );
    snapshot("print_logging_diff", &stdout);
    // Only safe fixes: none here, so nothing to show and exit 0.
    let (code, stdout, _) = paved(dir.path(), &["--diff"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn diff_applies_with_patch() {
    // The diff is a real unified diff: applying it gives what --fix writes.
    let Ok(status) = std::process::Command::new("patch")
        .arg("--version")
        .output()
    else {
        return;
    };
    if !status.status.success() {
        return;
    }
    let dir = service();
    let (_, diff, _) = paved(dir.path(), &["--diff", "--unsafe-fixes"]);
    let mut child = std::process::Command::new("patch")
        .current_dir(dir.path())
        .args(["-p1", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(diff.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let patched = main_rs(dir.path());
    let fixed = service();
    paved(fixed.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(patched, main_rs(fixed.path()));
}

/// A finding with a fix that replaces `range` on `line` by `content`.
fn finding(path: &Path, line: u32, columns: (u32, u32), content: &str) -> Diagnostic {
    Diagnostic {
        rule: paved_lints::registry::RuleId::PrintLogging,
        group: "logging",
        level: Level::Deny,
        path: path.to_path_buf(),
        start: Position::new(line, columns.0),
        end: Position::new(line, columns.1),
        message: "test finding".into(),
        help: None,
        fix: Some(Fix {
            applicability: Applicability::Safe,
            message: "test fix".into(),
            edits: vec![Edit {
                line,
                column: columns.0,
                end_line: line,
                end_column: columns.1,
                content: content.into(),
            }],
        }),
        source: String::new(),
        suppressed: None,
    }
}

#[test]
fn a_fix_that_would_not_parse_leaves_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("lib.rs");
    let text = "fn f() {\n    g(1);\n}\n";
    fs::write(&path, text).unwrap();
    // Replaces `g(1)` with `g(1` — the fixed file would not parse.
    let report = Report {
        diagnostics: vec![finding(&path, 2, (5, 9), "g(1")],
        files: 1,
        crates: 0,
        ..Report::default()
    };
    let options = LintOptions {
        paths: vec![path.clone()],
        ..LintOptions::default()
    };
    let (_, summary) = fix::fix(&options, report, FixMode::default()).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text,
        "the file is left as it was"
    );
    assert_eq!(summary.fixed, 0);
    assert!(summary.files.is_empty());
    assert_eq!(summary.dropped.len(), 1);
    assert_eq!(summary.dropped[0].start, Position::new(2, 5));
    assert!(
        summary.dropped[0].reason.contains("would not parse"),
        "{:?}",
        summary.dropped
    );
}

#[test]
fn overlapping_fixes_are_applied_over_rounds_and_good_fixes_survive_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("lib.rs");
    let text = "fn f() {\n    g(1);\n    h(2);\n}\n";
    fs::write(&path, text).unwrap();
    let good = finding(&path, 2, (5, 6), "k");
    let bad = finding(&path, 3, (5, 9), "h(2");
    let report = Report {
        diagnostics: vec![good, bad],
        files: 1,
        crates: 0,
        ..Report::default()
    };
    let plans = fix::plan(&report, FixMode::default()).unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].fixed, "fn f() {\n    k(1);\n    h(2);\n}\n");
    assert_eq!(plans[0].dropped.len(), 1);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text,
        "planning writes nothing"
    );
    plans[0].write().unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), plans[0].fixed);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left behind: {leftovers:?}"
    );
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let dir = service();
    let main = "fn main() {\n    // paved: allow(print-logging) -- the CLI banner goes to the terminal\n    println!(\"banner\");\n}\n";
    fs::write(dir.path().join("src/main.rs"), main).unwrap();
    let (_, stdout, stderr) = paved(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--format", "short"],
    );
    assert_eq!(main_rs(dir.path()), main);
    assert!(stderr.contains("fixed 0 findings in 0 files"), "{stderr}");
    assert!(!stdout.contains("[print-logging]"), "{stdout}");
}

/// `paved lint ARGS` in `dir` with `stdin` piped in.
fn paved_stdin(dir: &Path, args: &[&str], stdin: impl Into<Vec<u8>>) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .env("NO_COLOR", "1")
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

const BUFFER: &str = "fn main() {\n    println!(\"x\");\n}\n";
const BUFFER_FIXED: &str = "fn main() {\n    tracing::info!(\"x\");\n}\n";

#[test]
fn stdin_diff_and_fix_apply_to_the_stdin_text_not_the_file_on_disk() {
    // The file on disk (MAIN) differs from the editor's buffer.
    let dir = service();
    for name in ["src/main.rs", "./src/main.rs", "src/not/saved/yet.rs"] {
        let (code, stdout, stderr) = paved_stdin(
            dir.path(),
            &["--stdin-filename", name, "--diff", "--unsafe-fixes"],
            BUFFER,
        );
        let shown = name.trim_start_matches("./");
        assert_eq!(
            String::from_utf8(stdout).unwrap(),
            format!(
                "--- a/{shown}\n+++ b/{shown}\n@@ -1,3 +1,3 @@\n fn main() {{\n-    println!(\"x\");\n+    tracing::info!(\"x\");\n }}\n"
            ),
            "{stderr}"
        );
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains("would fix 1 finding in 1 file"), "{stderr}");

        // --fix prints the fixed source on stdout (as ruff does) and writes no file.
        let (code, stdout, stderr) = paved_stdin(
            dir.path(),
            &[
                "--stdin-filename",
                name,
                "--fix",
                "--unsafe-fixes",
                "--format",
                "short",
            ],
            BUFFER,
        );
        assert_eq!(String::from_utf8(stdout).unwrap(), BUFFER_FIXED, "{stderr}");
        assert!(stderr.contains("fixed 1 finding in 1 file"), "{stderr}");
        assert!(!stderr.contains("[print-logging]"), "{stderr}");
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(main_rs(dir.path()), MAIN, "the file on disk is not touched");
        assert!(!dir.path().join("src/not").exists());
    }

    // What remains is reported on stderr; the source alone is on stdout.
    let buffer =
        format!("{BUFFER}fn f() {{\n    print!(\"no fix\");\n    tracing::info!(\"done\");\n}}\n");
    let (code, stdout, stderr) = paved_stdin(
        dir.path(),
        &[
            "--stdin-filename",
            "src/main.rs",
            "--fix",
            "--format",
            "short",
        ],
        buffer.clone(),
    );
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        buffer,
        "only safe fixes: none"
    );
    assert!(
        stderr.contains("src/main.rs:5:5: deny[print-logging]"),
        "{stderr}"
    );
    assert_eq!(code, 1);
    assert_eq!(main_rs(dir.path()), MAIN);
}

#[test]
fn stdin_filename_must_name_a_rust_file() {
    let dir = service();
    for name in ["Cargo.toml", "src/main", "notes.txt"] {
        let (code, stdout, stderr) = paved_stdin(
            dir.path(),
            &["--stdin-filename", name],
            "fn main(){ println!(\"x\"); }\n",
        );
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains(&format!(
                "--stdin-filename must name a Rust source file (`.rs`), not `{name}`"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn stdin_that_is_not_utf8_is_reported_like_such_a_file() {
    let dir = service();
    let bytes = b"fn main() {\n    let s = \"\xff\";\n}\n".to_vec();
    fs::write(dir.path().join("src/bad.rs"), &bytes).unwrap();
    let (code, from_file, _) = paved_stdin(dir.path(), &["src/bad.rs", "--format", "short"], "");
    assert_eq!(code, 1);
    let (code, from_stdin, stderr) = paved_stdin(
        dir.path(),
        &["--stdin-filename", "src/bad.rs", "--format", "short"],
        bytes.clone(),
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        String::from_utf8(from_stdin).unwrap(),
        "src/bad.rs:2:1: deny[parse-error] file is not valid UTF-8, so it cannot be parsed\n"
    );
    assert_eq!(
        String::from_utf8(from_file).unwrap(),
        "src/bad.rs:2:1: deny[parse-error] file is not valid UTF-8, so it cannot be parsed\n"
    );
    // --fix has nothing to fix: the bytes go back out unchanged.
    let (code, stdout, stderr) = paved_stdin(
        dir.path(),
        &[
            "--stdin-filename",
            "src/bad.rs",
            "--fix",
            "--format",
            "short",
        ],
        bytes.clone(),
    );
    assert_eq!(stdout, bytes);
    assert!(stderr.contains("deny[parse-error]"), "{stderr}");
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn fix_through_a_symlink_fixes_the_target_and_keeps_the_link() {
    let dir = service();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("main.rs");
    fs::write(&target, MAIN).unwrap();
    let link = dir.path().join("src/main.rs");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let (_, _, stderr) = paved(dir.path(), &["--fix", "--unsafe-fixes"]);
    assert!(stderr.contains("fixed 5 findings in 1 file"), "{stderr}");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(fs::read_link(&link).unwrap(), target);
    let plain = service();
    paved(plain.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(fs::read_to_string(&target).unwrap(), main_rs(plain.path()));
    let leftovers: Vec<_> = fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_skipped_and_the_others_are_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = service();
    let lib = "pub fn f() {\n    println!(\"y\");\n    tracing::info!(\"done\");\n}\n";
    let lib_path = dir.path().join("src/lib.rs");
    fs::write(&lib_path, lib).unwrap();
    set_mode(&lib_path, 0o444);

    let (code, stdout, stderr) = paved(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--format", "short"],
    );
    assert_eq!(fs::read_to_string(&lib_path).unwrap(), lib, "not rewritten");
    assert_eq!(
        fs::metadata(&lib_path).unwrap().permissions().mode() & 0o777,
        0o444
    );
    assert_ne!(main_rs(dir.path()), MAIN, "the other file is fixed");
    assert!(
        stderr
            .contains("warning: cannot write `src/lib.rs`: read-only; its fixes were not applied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixed 5 findings in 1 file (1 file skipped: read-only)"),
        "{stderr}"
    );
    assert!(
        stdout.contains("src/lib.rs:2:5: deny[print-logging]"),
        "{stdout}"
    );
    assert_eq!(code, 1, "findings remain; no write failed");
    set_mode(&lib_path, 0o644);
}

#[cfg(unix)]
#[test]
fn a_file_in_a_read_only_folder_is_skipped() {
    let dir = service();
    let src = dir.path().join("src");
    set_mode(&src, 0o555);
    let (code, _, stderr) = paved(dir.path(), &["--fix", "--unsafe-fixes"]);
    set_mode(&src, 0o755);
    assert_eq!(main_rs(dir.path()), MAIN);
    assert!(
        stderr.contains("cannot write `src/main.rs`: read-only"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixed 0 findings in 0 files (1 file skipped: read-only)"),
        "{stderr}"
    );
    assert_eq!(code, 1);
    let leftovers: Vec<_> = fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn a_failed_write_leaves_that_file_and_the_others_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.rs");
    let text = "fn f() {\n    g(1);\n}\n";
    fs::write(&good, text).unwrap();
    // A folder where the plan expects a file: renaming onto it fails, even for root.
    let bad = dir.path().join("bad.rs");
    fs::create_dir(&bad).unwrap();
    let plans = [
        fix::plan_file(
            &bad,
            text,
            &[&finding(&bad, 2, (5, 6), "k")],
            FixMode::default(),
        ),
        fix::plan_file(
            &good,
            text,
            &[&finding(&good, 2, (5, 6), "k")],
            FixMode::default(),
        ),
    ];
    let outcome = fix::write_plans(&plans.iter().collect::<Vec<_>>());
    assert_eq!(outcome.written, vec![good.clone()]);
    assert_eq!(outcome.failed.len(), 1, "{outcome:?}");
    assert_eq!(outcome.failed[0].0, bad);
    assert!(outcome.read_only.is_empty());
    assert_eq!(
        fs::read_to_string(&good).unwrap(),
        "fn f() {\n    k(1);\n}\n"
    );
    assert!(bad.is_dir());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary file is left: {leftovers:?}"
    );
}
