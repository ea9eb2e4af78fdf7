//! End to end: a service generated from an older release of the default template
//! (made here from templates/service: version 0.0.1 with a few differences), edited by
//! its team, then `paved upgrade`d to the template built into paved, is what paved
//! generates today where the team did not change it, keeps the team's change, and
//! builds, passes its tests and clippy, and lints clean.
//!
//! Shares the target dir of tests/e2e_service.rs (`PAVED_E2E_TARGET_DIR`, else
//! `target/e2e`), so the dependencies are built once.

#[path = "common/e2e.rs"]
mod e2e;

use e2e::{assert_success, cargo};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn paved(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paved"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("paved runs")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// templates/service as an "older release": another version, a file the current
/// template no longer has, a different managed file and a different merged one.
fn older_release(dir: &Path) -> PathBuf {
    let old = dir.join("service-0.0.1");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/service"),
        &old,
    );
    let manifest = old.join("template.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    let version = text
        .lines()
        .find(|l| l.starts_with("version = "))
        .unwrap()
        .to_owned();
    fs::write(&manifest, text.replacen(&version, "version = \"0.0.1\"", 1)).unwrap();
    fs::write(
        old.join("deploy/OLD-NOTES.md"),
        "Dropped by later versions.\n",
    )
    .unwrap();
    replace(
        &old.join("clippy.toml"),
        "# Belt and braces",
        "# Belt, braces",
    );
    replace(
        &old.join("src/routes/mod.rs"),
        "one file per resource",
        "a file per resource",
    );
    old
}

#[test]
fn an_upgraded_service_builds_tests_and_lints_clean() {
    let root = tempfile::tempdir().unwrap();
    let old = older_release(root.path());
    let out = paved(
        root.path(),
        &[
            "new",
            "upgraded",
            "--yes",
            "--vcs",
            "none",
            "--template",
            old.to_str().unwrap(),
        ],
    );
    assert_success(&out, "paved new from the older release");
    let dir = root.path().join("upgraded");
    // The team's own change, in a file the template does not change.
    replace(
        &dir.join("src/app.rs"),
        "//!",
        "//! (Maintained by the upgraded team.)\n//!",
    );

    let check = paved(&dir, &["check", "--from", old.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(3), "outdated before the upgrade");
    let out = paved(&dir, &["upgrade", "--from", old.to_str().unwrap()]);
    assert_success(&out, "paved upgrade");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("removed     deploy/OLD-NOTES.md"),
        "{stdout}"
    );
    assert!(stdout.contains("updated     clippy.toml"), "{stdout}");
    assert!(stdout.contains("updated     src/routes/mod.rs"), "{stdout}");

    // Where the team changed nothing, the tree is what paved generates today.
    let fresh = root.path().join("fresh");
    let out = paved(
        root.path(),
        &[
            "new", "upgraded", "--yes", "--vcs", "none", "--dest", "fresh",
        ],
    );
    assert_success(&out, "paved new");
    for file in [
        "clippy.toml",
        "src/routes/mod.rs",
        "paved.toml",
        "Cargo.toml",
    ] {
        assert_eq!(
            fs::read_to_string(dir.join(file)).unwrap(),
            fs::read_to_string(fresh.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(!dir.join("deploy/OLD-NOTES.md").exists());
    assert!(
        fs::read_to_string(dir.join("src/app.rs"))
            .unwrap()
            .contains("Maintained by the upgraded team")
    );
    let again = paved(&dir, &["upgrade"]);
    assert_success(&again, "a second paved upgrade");
    assert!(String::from_utf8_lossy(&again.stdout).contains("up to date"));
    assert_success(&paved(&dir, &["check"]), "paved check after the upgrade");

    cargo(&dir, &["build"]);
    cargo(&dir, &["test"]);
    cargo(&dir, &["clippy", "--all-targets", "--", "-D", "warnings"]);
    let lint = paved(&dir, &["lint", "--no-cache", "."]);
    assert_success(&lint, "paved lint of the upgraded service");
}
