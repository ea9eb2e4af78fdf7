//! A fresh clone needs nothing beside it: no tracked file points outside the repository,
//! and every document that a comment or a doc cites exists.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Tracked files, or `None` outside a git work tree (a source tarball has no index).
fn tracked_files() -> Option<Vec<String>> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(ROOT)
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect()
    })
}

fn texts() -> Vec<(String, String)> {
    let files = tracked_files().expect("git ls-files in the repository");
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(Path::new(ROOT).join(&f)).ok()?;
            Some((f, text))
        })
        .collect()
}

#[test]
fn no_tracked_file_points_to_a_sibling_folder() {
    // Built at run time so this file does not match itself.
    let needle = ["..", "shared"].join("/");
    let offenders: Vec<String> = texts()
        .iter()
        .filter(|(_, text)| text.contains(&needle))
        .map(|(f, _)| f.clone())
        .collect();
    assert!(
        offenders.is_empty(),
        "these files refer to {needle}, outside the repository: {offenders:?}"
    );
}

#[test]
fn every_cited_document_exists() {
    let mut missing = Vec::new();
    for (file, text) in texts() {
        if file.starts_with("snapshots/")
            || file.ends_with(".snap")
            || file.starts_with("lints/tests/fixtures/")
        {
            continue;
        }
        for cited in cited_docs(&text) {
            if !Path::new(ROOT).join(&cited).exists() {
                missing.push(format!("{file} cites {cited}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "cited documents that do not exist:\n{}",
        missing.join("\n")
    );
}

/// `docs/....md` paths written in a text.
fn cited_docs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("docs/") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || "/-_.".contains(c)))
            .unwrap_or(tail.len());
        let path = tail[..end].trim_end_matches('.');
        let preceded_by_word =
            rest[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.');
        if path.ends_with(".md") && !path.contains("..") && !preceded_by_word {
            found.push(path.to_owned());
        }
        rest = &tail[end.max(5)..];
    }
    found
}

#[test]
fn cited_docs_are_found_in_prose() {
    assert_eq!(
        cited_docs("see docs/idioms.md \"Scope\", (docs/architecture.md). not mydocs/x.md"),
        vec!["docs/idioms.md", "docs/architecture.md"]
    );
}
