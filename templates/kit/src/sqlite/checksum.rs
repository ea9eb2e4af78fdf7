//! SHA-256 checksum files in `sha256sum` format (`<hex>  <file name>`), so an
//! operator can also check a backup with `sha256sum -c FILE.sha256`.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// `notes.db` -> `notes.db.sha256`.
pub fn path_for(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// Hex SHA-256 of the file's contents.
pub fn of_file(file: &Path) -> io::Result<String> {
    let mut reader = std::fs::File::open(file)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}

/// Writes `file.sha256` next to `file`: under a `.partial` name first, so
/// it is either whole or absent.
pub fn write_for(file: &Path) -> io::Result<PathBuf> {
    let sum = of_file(file)?;
    let name = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = path_for(file);
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, format!("{sum}  {name}\n"))?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// Reads the hex sum recorded for `file` in `file.sha256`.
pub fn recorded_for(file: &Path) -> io::Result<String> {
    let text = std::fs::read_to_string(path_for(file))?;
    text.split_whitespace()
        .next()
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "empty checksum file"))
}
