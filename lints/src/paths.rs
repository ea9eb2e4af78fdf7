//! Path helpers, in one place: how the linter spells, compares and shows paths. All of
//! them are lexical (they never touch the file system) except where they read the current
//! folder to show a path relative to it.

use std::path::{Component, Path, PathBuf};

/// `./src/main.rs` -> `src/main.rs`, so paths print the way users type them.
pub fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        if c != Component::CurDir {
            out.push(c);
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// A path as shown to the user: relative to the current folder when below it.
pub fn display_path(path: &Path) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    path.to_path_buf()
}

/// A folder as shown to the user; `.` for the current folder itself.
pub fn relative_if_below_cwd(dir: &Path) -> PathBuf {
    let rel = display_path(dir);
    if rel.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        rel
    }
}

/// A crate root as the ancestors of its files spell it (`.` is the empty path).
pub fn root_key(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

/// The folder of `path`; `.` for a bare file name.
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether two spellings name the same folder (`./a` and `a`).
pub fn same_dir(a: &Path, b: &Path) -> bool {
    clean(a) == clean(b)
}

/// Whether `path` lies below `root` (`.` holds every relative path).
pub fn path_is_under(path: &Path, root: &Path) -> bool {
    root == Path::new(".") && !path.is_absolute() || path.starts_with(root)
}

/// `path` relative to `root`, or `path` itself when it is not below it.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    if root == Path::new(".") {
        return path.to_path_buf();
    }
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `a/./b/../c` -> `a/c` without touching the file system.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Paths in machine output always use `/`, whatever the platform.
pub fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
/// The module a Rust file is: its stem, or its folder's name for `mod.rs`
/// (`src/admin/mod.rs` is `admin`).
pub fn module_name(path: &Path) -> &str {
    match path.file_stem().and_then(|s| s.to_str()) {
        Some("mod") => path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or(""),
        other => other.unwrap_or(""),
    }
}
