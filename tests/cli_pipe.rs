//! A reader that went away (`paved rules | head -1`) must not make paved panic.

use std::process::{Command, Stdio};

/// Runs paved with stdout connected to a pipe whose reading end is already closed, so
/// its first write fails as it would once `head` has read enough.
fn with_reader_gone(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_paved"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run paved");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    for args in [
        &["rules"][..],
        &["rules", "--format", "json"],
        &["explain", "logging"],
        &[
            "lint",
            "--format",
            "json",
            "lints/tests/fixtures/print-logging",
        ],
        &["lint", "lints/tests/fixtures/print-logging"],
    ] {
        let (code, stderr) = with_reader_gone(args);
        assert!(
            !stderr.contains("panicked"),
            "paved {args:?} panicked: {stderr}"
        );
        assert_ne!(
            code,
            Some(101),
            "paved {args:?} exited like a panic: {stderr}"
        );
    }
}
