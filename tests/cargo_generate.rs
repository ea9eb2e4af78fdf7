//! Teams that already use cargo-generate: `cargo generate --path templates/service` makes
//! the same tree as `paved new` for the same answers, file by file, except `kit/`, which
//! the hook cannot copy (the service records it, and `paved upgrade` writes it). No hook
//! folder is left behind, and the provenance is recorded, so `paved upgrade` works.
//!
//! Needs `cargo-generate` 0.23 (scripts/test installs it into
//! `$CARGO_TARGET_DIR/tools`); without it the test fails with what to install, unless
//! `PAVED_E2E_ALLOW_MISSING_TOOLS=1`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cargo_generate() -> Option<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let cached = target.join("tools/bin/cargo-generate");
    if cached.is_file() {
        return Some(cached);
    }
    Command::new("cargo-generate")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("cargo-generate"))
}

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file below `root` except under `kit/`, relative and sorted.
fn files(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel == "kit" {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[test]
fn cargo_generate_makes_the_tree_paved_new_makes() {
    let Some(tool) = cargo_generate() else {
        assert!(
            std::env::var_os("PAVED_E2E_ALLOW_MISSING_TOOLS").is_some(),
            "cargo-generate is missing: cargo install --locked cargo-generate@~0.23 --root $CARGO_TARGET_DIR/tools (scripts/test does)"
        );
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/service");
    for storage in ["sqlite", "none"] {
        let name = format!("cg-{storage}");
        let answers = [
            "description=Notes from cargo-generate".to_owned(),
            "owner=@notes-team".to_owned(),
            format!("storage={storage}"),
            "port=9100".to_owned(),
        ];
        let ours = root.path().join(format!("ours-{storage}"));
        fs::create_dir_all(&ours).unwrap();
        let mut command = Command::new(&tool);
        if tool.ends_with("cargo-generate") {
            command.arg("generate");
        }
        command
            .args(["--path"])
            .arg(&template)
            .args([
                "--name",
                &name,
                "--vcs",
                "none",
                "--silent",
                "--destination",
            ])
            .arg(&ours);
        for answer in &answers {
            command.args(["--define", answer]);
        }
        assert_success(&command.output().unwrap(), "cargo generate");
        let generated = ours.join(&name);

        let theirs = root.path().join(format!("theirs-{storage}"));
        let mut paved = Command::new(env!("CARGO_BIN_EXE_paved"));
        paved
            .args(["new", &name, "--yes", "--vcs", "none", "--dest"])
            .arg(&theirs);
        for answer in &answers {
            paved.args(["--define", answer]);
        }
        assert_success(&paved.output().unwrap(), "paved new");

        assert!(!generated.join("cargo-generate").exists());
        assert_eq!(files(&generated), files(&theirs), "--storage {storage}");
        for file in files(&theirs) {
            assert_eq!(
                fs::read_to_string(generated.join(&file)).unwrap(),
                fs::read_to_string(theirs.join(&file)).unwrap(),
                "{file} (--storage {storage})"
            );
        }

        // The provenance works: an upgrade delivers the kit, and the service is clean.
        let upgrade = Command::new(env!("CARGO_BIN_EXE_paved"))
            .arg("upgrade")
            .arg(&generated)
            .output()
            .unwrap();
        assert_success(&upgrade, "paved upgrade");
        assert!(generated.join("kit/src/lib.rs").is_file());
        let check = Command::new(env!("CARGO_BIN_EXE_paved"))
            .arg("check")
            .arg(&generated)
            .output()
            .unwrap();
        assert_success(&check, "paved check");
    }
}
