//! Where a crate file sits in the module tree, from its path.

use std::path::{Path, PathBuf};

/// The module path of a crate file from its path relative to the crate root: `src/main.rs`,
/// `src/lib.rs` and `src/bin/*` are the root, `src/a.rs` and `src/a/mod.rs` are `a`. A
/// target root that `Cargo.toml` places elsewhere (`roots`: `main.rs`, `server/lib.rs`) is
/// a root too, and the files of its folder its modules. Other files are not in the tree.
pub fn file_module(rel: &Path, roots: &[PathBuf]) -> Option<Vec<String>> {
    if roots.iter().any(|r| r == rel) {
        return Some(Vec::new());
    }
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let dir_of_root = roots
        .iter()
        .filter_map(|r| r.parent())
        .find(|dir| rel.starts_with(dir));
    match dir_of_root {
        Some(dir) => {
            parts.drain(..dir.components().count());
        }
        None if parts.first().map(String::as_str) == Some("src") => {
            parts.remove(0);
        }
        None => return None,
    }
    if parts.first().map(String::as_str) == Some("bin") {
        return Some(Vec::new());
    }
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    match stem {
        "main" | "lib" if parts.is_empty() => {}
        "mod" => {}
        _ => parts.push(stem.to_string()),
    }
    Some(parts)
}

pub(super) fn relative(path: &Path, root: &Path) -> PathBuf {
    if root == Path::new(".") {
        return path.to_path_buf();
    }
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_modules() {
        let m = |p: &str| file_module(Path::new(p), &[]);
        assert_eq!(m("src/main.rs"), Some(vec![]));
        assert_eq!(m("src/lib.rs"), Some(vec![]));
        assert_eq!(m("src/bin/tool.rs"), Some(vec![]));
        assert_eq!(m("src/api.rs"), Some(vec!["api".to_string()]));
        assert_eq!(m("src/api/mod.rs"), Some(vec!["api".to_string()]));
        assert_eq!(
            m("src/api/users.rs"),
            Some(vec!["api".to_string(), "users".to_string()])
        );
        assert_eq!(m("tests/it.rs"), None);
    }

    #[test]
    fn roots_outside_src() {
        let roots = [PathBuf::from("main.rs")];
        let m = |p: &str| file_module(Path::new(p), &roots);
        assert_eq!(m("main.rs"), Some(vec![]));
        assert_eq!(m("handlers/mod.rs"), Some(vec!["handlers".to_string()]));
        assert_eq!(
            m("handlers/pipelines.rs"),
            Some(vec!["handlers".to_string(), "pipelines".to_string()])
        );
        let roots = [PathBuf::from("server/lib.rs")];
        let m = |p: &str| file_module(Path::new(p), &roots);
        assert_eq!(m("server/lib.rs"), Some(vec![]));
        assert_eq!(m("server/api.rs"), Some(vec!["api".to_string()]));
        assert_eq!(m("src/other.rs"), Some(vec!["other".to_string()]));
        assert_eq!(m("tools/gen.rs"), None);
    }
}
