//! Finding the services under the paths given to `paved upgrade` and `paved check`: every
//! folder whose `paved.toml` has a `[template]` table.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::provenance::PAVED_TOML;

/// Folders never searched: build output, version control, dependencies.
const SKIPPED: &[&str] = &["target", "node_modules"];

/// The service folders at or below each of `paths`, sorted and without duplicates. A
/// service's own folders are not searched further (a service does not hold services).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            return Err(Error::lifecycle(
                path,
                "is not a folder",
                "pass a service folder, or a repository that holds services",
            ));
        }
        walk(path, &mut found)?;
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    if is_service(dir) {
        found.push(dir.to_path_buf());
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || SKIPPED.contains(&name.as_ref()) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    for sub in dirs {
        walk(&sub, found)?;
    }
    Ok(())
}

/// Whether `dir/paved.toml` has a `[template]` table (a quick textual test: the table
/// header on a line of its own).
fn is_service(dir: &Path) -> bool {
    fs::read_to_string(dir.join(PAVED_TOML)).is_ok_and(|text| {
        text.lines()
            .any(|line| line.trim() == "[template]" || line.trim() == "[template.answers]")
    })
}
