//! Where a crate file sits in the module tree, from its path.

use std::path::{Path, PathBuf};

/// The module path of a crate file from its path relative to the crate root: `src/main.rs`,
/// `src/lib.rs` and `src/bin/*` are the root, `src/a.rs` and `src/a/mod.rs` are `a`.
/// Files outside `src/` are not in the module tree.
pub fn file_module(rel: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.first().map(String::as_str) != Some("src") {
        return None;
    }
    parts.remove(0);
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
        let m = |p: &str| file_module(Path::new(p));
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
}
