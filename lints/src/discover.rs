//! Walks the paths to lint (respecting `.gitignore`, skipping `target/`) and sorts what it
//! finds into the files the model is built from. The only place that lists folders.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Default)]
pub struct Discovered {
    pub rs_files: Vec<PathBuf>,
    pub manifests: Vec<PathBuf>,
    /// `config/*.toml` files (environment files, when next to a crate's `Cargo.toml`).
    pub env_files: Vec<PathBuf>,
    /// Files directly under a `deploy/` folder.
    pub deploy_files: Vec<PathBuf>,
}

/// `./src/main.rs` -> `src/main.rs`, so paths print the way users type them.
pub fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        if c != Component::CurDir {
            out.push(c);
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

pub fn walk(paths: &[PathBuf]) -> Result<Discovered, crate::LintError> {
    let mut found = Discovered::default();
    for root in paths {
        if !root.exists() {
            return Err(crate::LintError::PathNotFound(root.clone()));
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .parents(true)
            .require_git(false)
            .filter_entry(|e| !(e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() == "target" && e.depth() > 0))
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| crate::LintError::Walk(root.clone(), e.to_string()))?;
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = clean(entry.path());
            let name = entry.file_name();
            let parent_name = path.parent().and_then(Path::file_name);
            if name == "Cargo.toml" {
                found.manifests.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.rs_files.push(path);
            } else if parent_name.is_some_and(|p| p == "config") && path.extension().is_some_and(|e| e == "toml") {
                found.env_files.push(path);
            } else if parent_name.is_some_and(|p| p == "deploy") {
                found.deploy_files.push(path);
            }
        }
    }
    for list in [&mut found.rs_files, &mut found.manifests, &mut found.env_files, &mut found.deploy_files] {
        list.sort();
        list.dedup();
    }
    Ok(found)
}

/// The nearest `name` file in `dir` or its ancestors, stopping after the folder that holds
/// `.git` (the repository root).
pub fn find_upward(dir: &Path, name: &str) -> Option<PathBuf> {
    let abs = std::path::absolute(dir).ok()?;
    for d in abs.ancestors() {
        let candidate = d.join(name);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            break;
        }
    }
    None
}
