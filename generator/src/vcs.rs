//! `git init` and an initial commit in the new service, the way `cargo new` does it.

use std::path::Path;
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// Which version control to set up in the new service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vcs {
    /// `git init` and an initial commit, unless the destination already lies in a git
    /// work tree.
    Git,
    /// Nothing.
    None,
}

impl Vcs {
    /// `Git` when a `git` executable is on `PATH`, like `cargo new`.
    pub fn detect() -> Vcs {
        let found = std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths)
                .any(|dir| dir.join("git").is_file() || dir.join("git.exe").is_file())
        });
        if found { Vcs::Git } else { Vcs::None }
    }
}

/// What happened about version control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VcsOutcome {
    /// A new repository with one commit holding every generated file.
    Initialized,
    /// The destination is inside an existing work tree, so no nested repository.
    InsideWorkTree,
    /// `Vcs::None` was asked for.
    Skipped,
}

/// Environment that would point git at another repository than the one in `dir`
/// (set, for example, when paved runs from a git hook).
const GIT_LOCATION_ENV: &[&str] = &["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"];

fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(dir);
    for var in GIT_LOCATION_ENV {
        command.env_remove(var);
    }
    command
}

fn run(step: &'static str, command: &mut Command) -> Result<Output> {
    let output = command.output().map_err(|e| Error::Git {
        step,
        message: format!("could not run git: {e}"),
    })?;
    if !output.status.success() {
        return Err(Error::Git {
            step,
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(output)
}

/// Whether `dir` lies inside a git work tree.
fn inside_work_tree(dir: &Path) -> bool {
    git(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

fn config_is_set(dir: &Path, key: &str, env: &str) -> bool {
    std::env::var_os(env).is_some()
        || git(dir)
            .args(["config", "--get", key])
            .output()
            .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty())
}

/// Initialises `repo_dir` (the not yet renamed output) unless `location` (the folder that
/// will contain the service) is already in a work tree.
pub(crate) fn init(repo_dir: &Path, location: &Path, message: &str) -> Result<VcsOutcome> {
    if inside_work_tree(location) {
        return Ok(VcsOutcome::InsideWorkTree);
    }
    run("init", git(repo_dir).args(["init", "--quiet"]))?;
    run("add", git(repo_dir).args(["add", "--all"]))?;

    let mut commit = git(repo_dir);
    // Only fill in an identity git does not have, so a configured one is never replaced.
    if !config_is_set(repo_dir, "user.name", "GIT_AUTHOR_NAME") {
        commit.args(["-c", "user.name=paved"]);
    }
    if !config_is_set(repo_dir, "user.email", "GIT_AUTHOR_EMAIL") {
        commit.args(["-c", "user.email=paved@localhost"]);
    }
    commit.args(["commit", "--quiet", "--no-verify", "-m", message]);
    run("commit", &mut commit)?;
    Ok(VcsOutcome::Initialized)
}
