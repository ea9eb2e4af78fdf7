//! Snapshots of everything `paved new` generates from the default template,
//! for `--storage sqlite` and `--storage none`: every template change shows up
//! in review as a diff of the generated service. Update with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test template_snapshots`).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Renders the template through the built binary into a temp dir and returns
/// the file list followed by every file's contents.
fn generated_tree(storage: &str) -> String {
    let root = tempfile::tempdir().expect("temp dir");
    let dest = root.path().join("notes-api");
    let output = Command::new(env!("CARGO_BIN_EXE_paved"))
        .args([
            "new",
            "notes-api",
            "--yes",
            "--vcs",
            "none",
            "--storage",
            storage,
        ])
        .arg("--dest")
        .arg(&dest)
        .output()
        .expect("paved runs");
    assert!(
        output.status.success(),
        "paved new failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut files = Vec::new();
    collect(&dest, &dest, &mut files);
    files.sort();

    let mut tree = String::from("# files\n");
    for (path, _) in &files {
        writeln!(tree, "{path}").unwrap();
    }
    for (path, contents) in &files {
        write!(tree, "\n# ===== {path} =====\n{contents}").unwrap();
        if !contents.ends_with('\n') {
            tree.push_str("\n# (no newline at end of file)\n");
        }
    }
    strip_paved_version(&tree)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("dir entry").path();
        // The house kit is the same for every service and tested on its own
        // (templates/kit): its folder is listed, not its files.
        if path.is_dir() && path == root.join("kit") {
            files.push((
                "kit/ (the house kit, templates/kit)".to_owned(),
                String::new(),
            ));
        } else if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&path).expect("readable file");
            let contents =
                String::from_utf8(bytes).unwrap_or_else(|_| panic!("{relative} is not UTF-8 text"));
            files.push((relative, contents));
        }
    }
}

/// The paved release generating the service changes with every release of
/// paved, not with the template: keep it out of the snapshots.
fn strip_paved_version(tree: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let pinned = format!("cargo install paved --version {version}");
    assert!(
        tree.contains(&pinned),
        "the CI workflow pins paved's version"
    );
    tree.replace(&pinned, "cargo install paved --version [paved_version]")
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/template"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[test]
fn service_with_sqlite_storage() {
    settings().bind(|| insta::assert_snapshot!("service_sqlite", generated_tree("sqlite")));
}

#[test]
fn service_without_storage() {
    settings().bind(|| insta::assert_snapshot!("service_none", generated_tree("none")));
}

/// `cargo generate` cannot strip `.tera` suffixes by itself: its post hook
/// lists every rendered file, and must not fall behind the template.
#[test]
fn cargo_generate_hook_knows_every_tera_file() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/service");
    let hook = std::fs::read_to_string(template.join("cargo-generate/post.rhai"))
        .expect("the post hook exists");
    let mut tera = Vec::new();
    collect(&template, &template, &mut tera);
    let mut missing = Vec::new();
    for (path, _) in tera {
        if let Some(rendered) = path.strip_suffix(".tera") {
            let entry = format!("`{}`", rendered.replace("{{name}}", "${name}"));
            if !hook.contains(&entry) {
                missing.push(entry);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add to templates/service/cargo-generate/post.rhai: {missing:?}"
    );
}

/// The post hook writes paved.toml as `paved new` does (it cannot read the template's);
/// its copy of the template's paved.toml and the version it records must stay in step.
#[test]
fn cargo_generate_hook_records_provenance_like_paved() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/service");
    let hook = std::fs::read_to_string(template.join("cargo-generate/post.rhai")).unwrap();
    let paved_toml = std::fs::read_to_string(template.join("paved.toml")).unwrap();
    let quoted: Vec<String> = paved_toml
        .lines()
        .map(|l| format!("    \"{}\",", l.replace('"', "\\\"")))
        .collect();
    let listed = format!("let paved_toml = [\n{}\n];", quoted.join("\n"));
    assert!(
        hook.contains(&listed),
        "update the paved_toml lines of templates/service/cargo-generate/post.rhai:\n{listed}"
    );
    let manifest = std::fs::read_to_string(template.join("template.toml")).unwrap();
    let version = manifest
        .lines()
        .find(|l| l.starts_with("version = "))
        .unwrap();
    assert!(
        hook.contains(&format!("{}\\n", version.replace('"', "\\\""))),
        "the post hook must record {version}"
    );
}
