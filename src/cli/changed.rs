//! `paved lint --changed-since REV`: the files a pull request touched, from the git CLI.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Files that differ from `rev` in the working tree, plus untracked files that are not
/// ignored, as paths relative to the current folder (the way discovery walks them; `../`
/// for files outside it). Absolute spellings are included too, for absolute lint paths.
pub fn changed_files(rev: &str) -> Result<Vec<PathBuf>, String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let toplevel = git(Path::new("."), &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("--changed-since needs a git repository: {e}"))?;
    let root = PathBuf::from(toplevel.trim_end_matches(['\n', '\r']));
    let commit = format!("{rev}^{{commit}}");
    if git(
        &root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ],
    )
    .is_err()
    {
        return Err(format!("unknown git revision `{rev}`"));
    }
    let diff = git(
        &root,
        &["diff", "--name-only", "-z", "--no-renames", rev, "--"],
    )?;
    let untracked = git(&root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let mut files = Vec::new();
    for name in diff
        .split('\0')
        .chain(untracked.split('\0'))
        .filter(|n| !n.is_empty())
    {
        let abs = root.join(name);
        files.push(relative(&abs, &cwd));
        files.push(abs);
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Runs git in `dir`; stdout, or git's first line of complaint.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("fatal: ")
            .to_string();
        return Err(if first.is_empty() {
            format!("git {} failed", args[0])
        } else {
            first
        });
    }
    String::from_utf8(output.stdout).map_err(|_| "git printed a path that is not UTF-8".to_string())
}

/// `path` relative to `base` (both absolute), with `..` where it lies outside.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::{Path, PathBuf};

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/r/svc/src/a.rs"), Path::new("/r")),
            PathBuf::from("svc/src/a.rs")
        );
        assert_eq!(
            relative(Path::new("/r/svc/src/a.rs"), Path::new("/r/svc")),
            PathBuf::from("src/a.rs")
        );
        assert_eq!(
            relative(Path::new("/r/lib/b.rs"), Path::new("/r/svc")),
            PathBuf::from("../lib/b.rs")
        );
    }
}
