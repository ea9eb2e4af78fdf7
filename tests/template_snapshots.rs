//! Snapshots of what `paved new` generates from the default template, for `--storage
//! sqlite` and `--storage none`: every template change shows up in review as a diff of the
//! generated service. What is rendered from a `.tera` file (or changed by `paved new`, such
//! as `paved.toml`'s provenance) is pinned in full; a file copied byte for byte from the
//! template is only listed with its hash, since the template file itself is in the diff.
//! Update with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test
//! template_snapshots`).

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "notes-api";

/// A file by its path below the service (or the template), with its bytes.
type File = (String, Vec<u8>);

fn template_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/service")
}

/// Renders the template through the built binary into a temp dir and returns the file
/// list (each copied file with its hash), then the text of every other file. A file
/// generated exactly as in `like` (another storage's files) is listed, not shown again.
fn generated_tree(storage: &str, like: Option<(&str, &[File])>) -> String {
    let files = generated_files(storage);
    let ci = files.iter().find(|(p, _)| p == ".github/workflows/ci.yml");
    assert!(
        ci.is_some_and(|(_, b)| String::from_utf8_lossy(b).contains(&pinned_paved())),
        "the CI workflow pins paved's version"
    );
    let sources = template_sources();
    let mut tree = String::from("# files (copied from the template: sha256 of the file)\n");
    let mut shown = Vec::new();
    for (path, bytes) in &files {
        if path.starts_with("kit/ ") {
            writeln!(tree, "{path}").unwrap();
            continue;
        }
        let same = like.and_then(|(other, files)| {
            files
                .iter()
                .any(|(p, b)| p == path && b == bytes)
                .then_some(other)
        });
        match (sources.get(path), same) {
            (Some(Source::Copied(original)), _) if original == bytes => {
                writeln!(tree, "{path}  copied  {}", sha256(bytes)).unwrap();
            }
            (_, Some(other)) => {
                writeln!(tree, "{path}  as with {other}").unwrap();
            }
            (Some(Source::Rendered), None) => {
                writeln!(tree, "{path}  rendered").unwrap();
                shown.push((path, bytes));
            }
            _ => {
                writeln!(tree, "{path}  written by paved new").unwrap();
                shown.push((path, bytes));
            }
        }
    }
    for (path, bytes) in shown {
        let contents =
            std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{path} is not UTF-8 text"));
        write!(tree, "\n# ===== {path} =====\n{contents}").unwrap();
        if !contents.ends_with('\n') {
            tree.push_str("\n# (no newline at end of file)\n");
        }
    }
    strip_paved_version(&tree)
}

/// The files `paved new --storage STORAGE` writes, by path (the kit as one entry).
fn generated_files(storage: &str) -> Vec<File> {
    let root = tempfile::tempdir().expect("temp dir");
    let dest = root.path().join(NAME);
    let output = Command::new(env!("CARGO_BIN_EXE_paved"))
        .args(["new", NAME, "--yes", "--vcs", "none", "--storage", storage])
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
    files
}

/// Where a generated file comes from in the template.
enum Source {
    /// A `.tera` file, rendered.
    Rendered,
    /// A plain file, with its bytes.
    Copied(Vec<u8>),
}

/// The template's files by the path they are generated at.
fn template_sources() -> BTreeMap<String, Source> {
    let template = template_dir();
    let mut files = Vec::new();
    collect(&template, &template, &mut files);
    files
        .into_iter()
        .map(|(path, bytes)| {
            let path = path.replace("{{name}}", NAME);
            match path.strip_suffix(".tera") {
                Some(rendered) => (rendered.to_owned(), Source::Rendered),
                None => (path, Source::Copied(bytes)),
            }
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            write!(s, "{b:02x}").unwrap();
            s
        })
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<File>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("dir entry").path();
        // The house kit is the same for every service and tested on its own
        // (templates/kit): its folder is listed, not its files.
        if path.is_dir() && path == root.join("kit") {
            files.push(("kit/ (the house kit, templates/kit)".to_owned(), Vec::new()));
        } else if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((relative, std::fs::read(&path).expect("readable file")));
        }
    }
}

/// The paved release generating the service changes with every release of
/// paved, not with the template: keep it out of the snapshots.
fn strip_paved_version(tree: &str) -> String {
    tree.replace(
        &pinned_paved(),
        "cargo install paved --version [paved_version]",
    )
}

fn pinned_paved() -> String {
    format!(
        "cargo install paved --version {}",
        env!("CARGO_PKG_VERSION")
    )
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/template"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[test]
fn service_with_sqlite_storage() {
    let tree = generated_tree("sqlite", None);
    settings().bind(|| insta::assert_snapshot!("service_sqlite", tree));
}

#[test]
fn service_without_storage() {
    // Only what differs from the sqlite service is shown (that snapshot has the rest).
    let sqlite = generated_files("sqlite");
    let tree = generated_tree("none", Some(("--storage sqlite", &sqlite)));
    assert!(
        tree.contains("  as with --storage sqlite\n"),
        "most files are the same"
    );
    settings().bind(|| insta::assert_snapshot!("service_none", tree));
}

/// `cargo generate` cannot strip `.tera` suffixes by itself: its post hook
/// lists every rendered file, and must not fall behind the template.
#[test]
fn cargo_generate_hook_knows_every_tera_file() {
    let template = template_dir();
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
    let template = template_dir();
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
