//! Helpers shared by the generator's integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use paved_generator::Template;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The `basic` fixture: every feature of the format in a few files.
pub fn basic() -> Template {
    Template::from_dir(&fixture("basic")).expect("the basic fixture loads")
}

pub fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A manifest with one string variable `greeting`, for small ad-hoc templates.
pub const SMALL_MANIFEST: &str = r#"[template]
name = "small"
version = "0.1.0"

[[variables]]
name = "greeting"
type = "string"
default = "hello"
"#;

/// Writes a template folder from `(path, contents)` pairs.
pub fn write_template(dir: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
}

/// A template from `(path, contents)` pairs, built in memory like the embedded one.
pub fn template(files: &[(&str, &str)]) -> paved_generator::Result<Template> {
    Template::from_files(
        "mem",
        files
            .iter()
            .map(|(path, contents)| paved_generator::TemplateFile {
                path: (*path).to_owned(),
                contents: contents.as_bytes().to_vec(),
                executable: false,
            })
            .collect(),
    )
}

pub fn snapshots() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Every entry below `dir`, relative and sorted, folders with a trailing `/`.
pub fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            if rel == ".git" {
                out.push(".git/".to_owned());
                continue;
            }
            out.push(format!("{rel}/"));
            walk(root, &path, out);
        } else {
            out.push(rel);
        }
    }
}
