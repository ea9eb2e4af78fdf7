//! All-or-nothing writing: the output goes into a temporary folder beside the
//! destination and is renamed into place, so a failure leaves nothing behind.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::OutputFile;

/// Prefix of the temporary folder created beside the destination.
pub const TEMP_PREFIX: &str = ".paved-new-";

/// Fails when anything (a folder, even empty, a file, a dangling symlink) is at `dest`,
/// or when the nearest existing ancestor of `dest` is not a folder.
pub(crate) fn ensure_absent(dest: &Path) -> Result<()> {
    if fs::symlink_metadata(dest).is_ok() {
        return Err(Error::DestinationExists {
            path: dest.to_path_buf(),
        });
    }
    for ancestor in dest.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        // Follows symlinks: a link to a folder is a folder.
        if let Ok(metadata) = fs::metadata(ancestor) {
            if !metadata.is_dir() {
                return Err(Error::NotAFolder {
                    file: ancestor.to_path_buf(),
                    dest: dest.to_path_buf(),
                });
            }
            break;
        }
    }
    Ok(())
}

/// `dest` as an absolute path with symlinks resolved in the part that exists, so it can
/// be compared with a workspace root.
pub(crate) fn resolve(dest: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(dest).map_err(|e| Error::io("resolve", dest, e))?;
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = fs::canonicalize(existing).map_err(|e| Error::io("resolve", existing, e))?;
    for name in missing.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => resolved.push(name),
        }
    }
    Ok(resolved)
}

/// Folders created for the destination's parent; removed again unless disarmed.
pub(crate) struct CreatedParents(Option<PathBuf>);

impl CreatedParents {
    /// Creates `parent` and any missing ancestors, remembering the topmost one created.
    pub(crate) fn create(parent: &Path) -> Result<CreatedParents> {
        let mut topmost = None;
        for ancestor in parent.ancestors() {
            if ancestor.as_os_str().is_empty() || fs::symlink_metadata(ancestor).is_ok() {
                break;
            }
            topmost = Some(ancestor.to_path_buf());
        }
        fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        Ok(CreatedParents(topmost))
    }

    pub(crate) fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for CreatedParents {
    fn drop(&mut self) {
        if let Some(topmost) = self.0.take() {
            let _ = fs::remove_dir_all(topmost);
        }
    }
}

/// Writes `files` into a fresh temporary folder in `parent`, runs `finish` on it (e.g.
/// `git init`), then renames it to `dest`. On any error the temporary folder is removed.
pub(crate) fn write_all<T>(
    parent: &Path,
    dest: &Path,
    files: &[OutputFile],
    finish: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempdir_in(parent)
        .map_err(|e| Error::io("create a temporary folder in", parent, e))?;
    for file in files {
        let path = temp.path().join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        fs::write(&path, &file.contents).map_err(|e| Error::io("write", &path, e))?;
        if file.executable {
            set_executable(&path)?;
        }
    }
    set_folder_mode(temp.path())?;
    let result = finish(temp.path())?;
    rename_into_place(temp.path(), dest)?;
    // The folder now lives at `dest`; nothing is left at the temporary path to clean up.
    let _ = temp.keep();
    Ok(result)
}

/// Renames without replacing: on Unix, claiming `dest` with `mkdir` first closes the race
/// in which another process creates it between the check and the rename (rename(2)
/// silently replaces an empty folder, so it then replaces only the one we made).
fn rename_into_place(from: &Path, dest: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        fs::create_dir(dest).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::DestinationExists {
                path: dest.to_path_buf(),
            },
            _ => Error::io("create", dest, e),
        })?;
        fs::rename(from, dest).map_err(|e| {
            let _ = fs::remove_dir(dest);
            Error::io("rename the generated folder to", dest, e)
        })
    }
    #[cfg(not(unix))]
    {
        ensure_absent(dest)?;
        fs::rename(from, dest).map_err(|e| Error::io("rename the generated folder to", dest, e))
    }
}

#[cfg(unix)]
pub(crate) fn set_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = fs::metadata(path)
        .map_err(|e| Error::io("read", path, e))?
        .permissions();
    permissions.set_mode(permissions.mode() | 0o111);
    fs::set_permissions(path, permissions).map_err(|e| Error::io("set permissions of", path, e))
}

#[cfg(not(unix))]
pub(crate) fn set_executable(_path: &Path) -> Result<()> {
    Ok(())
}

/// Gives the temporary folder the mode a plain `mkdir` would (tempfile makes it 0700);
/// a probe folder tells what the umask allows without calling libc.
#[cfg(unix)]
fn set_folder_mode(path: &Path) -> Result<()> {
    let probe = path.join(".paved-mode-probe");
    fs::create_dir(&probe).map_err(|e| Error::io("create", &probe, e))?;
    let permissions = fs::metadata(&probe).map(|m| m.permissions());
    let _ = fs::remove_dir(&probe);
    let permissions = permissions.map_err(|e| Error::io("read", &probe, e))?;
    fs::set_permissions(path, permissions).map_err(|e| Error::io("set permissions of", path, e))
}

#[cfg(not(unix))]
fn set_folder_mode(_path: &Path) -> Result<()> {
    Ok(())
}
