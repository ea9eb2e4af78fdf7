//! Writing a planned upgrade. Every new content is first written beside its file and
//! then renamed over it, so an error while writing leaves every file as it was.

use std::fs;
use std::path::{Path, PathBuf};

use super::pending::PENDING_FILE;
use super::plan::Plan;
use crate::error::{Error, Result};

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Files written (added, updated, merged, conflicted).
    pub written: usize,
    /// Files removed.
    pub removed: usize,
    /// Files left with conflict markers; when not empty the upgrade is pending.
    pub conflicts: Vec<String>,
}

/// Writes `plan` into its service.
pub fn apply(plan: &Plan) -> Result<Applied> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = stage_all(plan, &mut staged);
    if let Err(error) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(error);
    }
    let written = staged.len();
    for (temp, path) in staged {
        fs::rename(&temp, &path).map_err(|e| Error::io("rename into place", &path, e))?;
    }
    let mut removed = 0;
    for change in plan.changes.iter().filter(|c| c.after.is_none()) {
        let path = plan.dir.join(&change.path);
        match fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", &path, e)),
        }
    }
    Ok(Applied {
        written: written - usize::from(plan.pending.is_some()),
        removed,
        conflicts: plan.conflicts().into_iter().map(str::to_owned).collect(),
    })
}

fn stage_all(plan: &Plan, staged: &mut Vec<(PathBuf, PathBuf)>) -> Result<()> {
    for change in &plan.changes {
        if let Some(after) = &change.after {
            let path = plan.dir.join(&change.path);
            staged.push((stage(&path, after, change.executable)?, path));
        }
    }
    if let Some(text) = &plan.pending {
        let path = plan.dir.join(PENDING_FILE);
        staged.push((stage(&path, text.as_bytes(), false)?, path));
    }
    Ok(())
}

/// Writes `contents` to a temporary file beside `path`, with `path`'s permissions when it
/// exists; returns the temporary file.
fn stage(path: &Path, contents: &[u8], executable: bool) -> Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.paved-upgrade"));
    fs::write(&temp, contents).map_err(|e| Error::io("write", &temp, e))?;
    match fs::metadata(path) {
        Ok(metadata) => fs::set_permissions(&temp, metadata.permissions())
            .map_err(|e| Error::io("set permissions of", &temp, e))?,
        Err(_) if executable => crate::write::set_executable(&temp)?,
        Err(_) => {}
    }
    Ok(temp)
}

/// Writes one file through a temporary file and a rename.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], executable: bool) -> Result<()> {
    let temp = stage(path, contents, executable)?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        Error::io("rename into place", path, e)
    })
}
