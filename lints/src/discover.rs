//! Walks the paths to lint (respecting `.gitignore`, skipping `target/`) and sorts what it
//! finds into the files the model is built from. The only place that lists folders.

use crate::paths::clean;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Discovered {
    pub rs_files: Vec<PathBuf>,
    pub manifests: Vec<PathBuf>,
    /// `config/*.toml` files (environment files, when next to a crate's `Cargo.toml`).
    pub env_files: Vec<PathBuf>,
    /// Files directly under a `deploy/` folder.
    pub deploy_files: Vec<PathBuf>,
    /// systemd units (`*.service`) anywhere else (`systemd/app.service`, `dist/`).
    pub unit_files: Vec<PathBuf>,
    /// For each of `unit_files`, the program its `ExecStart=` runs (read once here).
    pub unit_programs: Vec<Option<String>>,
    /// Shell and Python scripts of a test suite outside Rust
    /// (`api_tests/run-federation-test.sh`, `test_runner/fixtures/endpoint/http.py`).
    pub suite_scripts: Vec<PathBuf>,
    /// Other shell scripts (provisioning, packaging), read for the units they write.
    pub other_scripts: Vec<PathBuf>,
    /// The systemd units those scripts write, as the path they write them to
    /// (`/etc/systemd/system/edge.service` in `packer/provisioners/unit.sh`).
    pub scripted_units: Vec<PathBuf>,
    /// The programs those scripts run from cargo's `target/` folder (read once here).
    pub suite_programs: Vec<String>,
    /// The URL paths those scripts request (`curl "${REGISTRY_URL}/api/v1/account/register"`,
    /// `f"http://localhost:{self.port}/grants"`).
    pub suite_paths: Vec<String>,
    /// TOML files named as settings outside `config/` (`config.default.toml`,
    /// `settings.toml`): a layered configuration kept under another name.
    pub config_like_files: Vec<PathBuf>,
    /// Folders or files the walk could not read, and why.
    pub unreadable: Vec<(PathBuf, String)>,
}

pub fn walk(paths: &[PathBuf]) -> Result<Discovered, crate::LintError> {
    let found = std::sync::Mutex::new(Discovered::default());
    for root in paths {
        if !root.exists() {
            return Err(crate::LintError::PathNotFound(root.clone()));
        }
        // A parallel walk: a monorepo has tens of thousands of files in thousands of folders.
        ignore::WalkBuilder::new(root)
            .hidden(true)
            .parents(true)
            .require_git(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name() == "target"
                    && e.depth() > 0)
            })
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(entry) => {
                            // Symlinked files are linted (a shared module linked into a
                            // crate); symlinked folders are not followed, so no loop and no
                            // walk out of the tree.
                            let is_file = entry.file_type().is_some_and(|t| t.is_file())
                                || (entry.path_is_symlink()
                                    && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
                            if is_file {
                                sort_into(&found, entry.path());
                            }
                        }
                        // An unreadable folder is reported and the walk goes on.
                        Err(e) => found.lock().unwrap().unreadable.push((
                            error_path(&e).unwrap_or_else(|| root.clone()),
                            error_text(&e),
                        )),
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    let mut found = found.into_inner().unwrap();
    for list in [
        &mut found.rs_files,
        &mut found.manifests,
        &mut found.env_files,
        &mut found.deploy_files,
        &mut found.unit_files,
        &mut found.suite_scripts,
        &mut found.other_scripts,
        &mut found.config_like_files,
    ] {
        list.sort();
        list.dedup();
    }
    found.unit_programs = found
        .unit_files
        .iter()
        .map(|unit| {
            let text = std::fs::read_to_string(unit).unwrap_or_default();
            exec_start_program(&text).map(str::to_string)
        })
        .collect();
    let mut programs = Vec::new();
    let mut paths = Vec::new();
    for script in &found.suite_scripts {
        let text = std::fs::read_to_string(script).unwrap_or_default();
        programs.extend(programs_run_from_target(&text));
        paths.extend(paths_requested(&text));
    }
    for list in [&mut programs, &mut paths] {
        list.sort();
        list.dedup();
    }
    found.suite_programs = programs;
    found.suite_paths = paths;
    found.scripted_units = found
        .other_scripts
        .iter()
        .chain(&found.suite_scripts)
        .flat_map(|script| units_written(&std::fs::read_to_string(script).unwrap_or_default()))
        .collect();
    Ok(found)
}

/// The units a script writes into systemd's folder (`cat > /etc/systemd/system/edge.service
/// <<EOF`, `tee /etc/systemd/system/edge.service`), as the paths it names.
fn units_written(text: &str) -> Vec<PathBuf> {
    const FOLDER: &str = "/systemd/system/";
    let mut units = Vec::new();
    for (at, _) in text.match_indices(FOLDER) {
        let rest = &text[at + FOLDER.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
            .collect();
        if let Some(stem) = name.strip_suffix(".service").filter(|s| !s.is_empty()) {
            units.push(PathBuf::from(format!("/etc/systemd/system/{stem}.service")));
        }
    }
    units
}

/// `target/lemmy_server`, `./target/release/app --port 1`: the names of the programs a
/// script runs out of cargo's build folder.
fn programs_run_from_target(script: &str) -> Vec<String> {
    script
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | ';' | '&' | '|'))
        .filter_map(|word| {
            let after = &word[word.find("target/")? + "target/".len()..];
            let after = after
                .strip_prefix("debug/")
                .or_else(|| after.strip_prefix("release/"))
                .unwrap_or(after);
            let name = after.split('/').next()?;
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            (valid && !matches!(name, "debug" | "release")).then(|| name.to_string())
        })
        .collect()
}

/// `"${REGISTRY_URL}/api/v1/account/register"`, `http://localhost:8080/v1/notes?x=1`: the
/// path of each URL a script names, after a host or a variable that holds one.
fn paths_requested(script: &str) -> Vec<String> {
    script
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | ';' | '|'))
        .filter_map(|word| {
            let rest = match word.find("://") {
                Some(i) => &word[i + 3..],
                None => &word[word.find("}/")? + 1..],
            };
            let path = &rest[rest.find('/')?..];
            let path = path.split(['?', '#']).next().unwrap_or(path);
            path.chars()
                .any(|c| c.is_ascii_alphabetic())
                .then(|| path.to_string())
        })
        .collect()
}

/// `api_tests/run.sh`, `e2e/start.sh`, `test_runner/fixtures/endpoint/http.py`: a shell or
/// Python file in a folder named for tests, the suite of the service outside Rust.
fn is_suite_script(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "sh" || e == "py")
        && path
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .any(|c| {
                c.as_os_str().to_str().is_some_and(|name| {
                    name.split(['_', '-'])
                        .any(|w| matches!(w, "test" | "tests" | "e2e" | "integration"))
                })
            })
}

/// The program a unit's `ExecStart=` runs, by its file name (`/srv/bin/ui --port 80` ->
/// `ui`), without systemd's prefixes (`-`, `@`, `+`, `!`, `:`).
fn exec_start_program(unit: &str) -> Option<&str> {
    let line = unit
        .lines()
        .find_map(|l| l.trim().strip_prefix("ExecStart="))?;
    let command = line
        .trim_start_matches(['-', '@', '+', '!', ':'])
        .split_whitespace()
        .next()?;
    command.rsplit('/').next()
}

/// The path an error of the walker is about, if it says.
fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(clean(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(clean(child)),
        _ => None,
    }
}

/// The error without the path `error_path` already names.
fn error_text(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_text(err)
        }
        other => other.to_string(),
    }
}

/// Files into the lists of `Discovered` by name; anything else is not read.
fn sort_into(found: &std::sync::Mutex<Discovered>, path: &Path) {
    let path = clean(path);
    let parent_name = path.parent().and_then(Path::file_name);
    let is_manifest = path.file_name().is_some_and(|n| n == "Cargo.toml");
    let is_rs = path.extension().is_some_and(|e| e == "rs");
    let is_env =
        parent_name.is_some_and(|p| p == "config") && path.extension().is_some_and(|e| e == "toml");
    let is_deploy = parent_name.is_some_and(|p| p == "deploy");
    let is_unit = path.extension().is_some_and(|e| e == "service");
    let is_config_like = !is_env && !is_manifest && names_settings(&path);
    let is_script = is_suite_script(&path);
    let is_other_script = !is_script && path.extension().is_some_and(|e| e == "sh");
    if !(is_manifest
        || is_rs
        || is_env
        || is_deploy
        || is_unit
        || is_config_like
        || is_script
        || is_other_script)
    {
        return;
    }
    let mut found = found.lock().unwrap();
    let list = if is_manifest {
        &mut found.manifests
    } else if is_rs {
        &mut found.rs_files
    } else if is_env {
        &mut found.env_files
    } else if is_deploy {
        &mut found.deploy_files
    } else if is_unit {
        &mut found.unit_files
    } else if is_script {
        &mut found.suite_scripts
    } else if is_other_script {
        &mut found.other_scripts
    } else {
        &mut found.config_like_files
    };
    list.push(path);
}

/// `config.default.toml`, `settings.toml`, `app-config.toml`: a `.toml` whose name has the
/// word `config` or `settings`.
fn names_settings(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
        && path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|stem| {
                stem.split(['.', '-', '_'])
                    .any(|w| w == "config" || w == "settings")
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_a_suite_runs() {
        let script = "cargo build\n  target/lemmy_server >$LOG 2>&1 &\n\"./target/release/app\" --port 1\nls target/\n";
        assert_eq!(programs_run_from_target(script), ["lemmy_server", "app"]);
        assert!(is_suite_script(Path::new("repo/api_tests/run.sh")));
        assert!(is_suite_script(Path::new("repo/e2e/start.sh")));
        assert!(!is_suite_script(Path::new("repo/scripts/install.sh")));
        assert!(!is_suite_script(Path::new("repo/api_tests/run.ts")));
        assert!(is_suite_script(Path::new(
            "repo/test_runner/fixtures/endpoint/http.py"
        )));
        assert!(!is_suite_script(Path::new("repo/scripts/release.py")));
        assert_eq!(
            paths_requested(
                r#"TOKEN="$(curl -X POST "${REGISTRY_URL}/api/v1/account/register" -d x)"
curl http://localhost:8080/v1/notes?limit=1 && curl "$URL" && cp a/b c/d"#
            ),
            ["/api/v1/account/register", "/v1/notes"]
        );
    }
}
