//! The house kit (`templates/kit` in the paved repository): the crate every generated
//! service depends on for what services share. It is not a template: its files are
//! written as they are, once per repository, and each service depends on it by path.
//!
//! Where it lives is recorded in the workspace root's `paved.toml` (`[kit] path`); a
//! second `paved new` in the same repository reuses it. A service generated outside any
//! workspace gets it as a member of its own workspace (`kit/`). Beside the files,
//! [`CHECKSUMS_FILE`] records their SHA-256 (`sha256sum` format) so `paved lint` can
//! report local edits (`kit-modified`): fixes go upstream.

use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, Item, Table, value};

use crate::error::{Error, Result};
use crate::provenance::PAVED_TOML;
use crate::render::OutputFile;

/// The kit's package name, as services depend on it.
pub const KIT_PACKAGE: &str = "paved-kit";
/// Where the kit goes when the repository has none yet, relative to the workspace root.
pub const DEFAULT_KIT_DIR: &str = "kit";
/// The checksums of the kit's files, in the kit's folder; `sha256sum -c` reads it too.
pub const CHECKSUMS_FILE: &str = ".paved-kit.sha256";

static KIT: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/kit.rs"));

/// The kit's files under `prefix` (`kit/`), and its checksums file.
pub fn files(prefix: &str) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = KIT
        .iter()
        .map(|(path, contents)| OutputFile {
            path: join(prefix, path),
            contents: contents.to_vec(),
            executable: false,
        })
        .collect();
    files.push(OutputFile {
        path: join(prefix, CHECKSUMS_FILE),
        contents: checksums().into_bytes(),
        executable: false,
    });
    files
}

/// `<sha256>  <path>` per kit file, sorted by path.
pub fn checksums() -> String {
    let mut text = String::new();
    for (path, contents) in KIT {
        let _ = writeln!(text, "{}  {path}", sha256_hex(contents));
    }
    text
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_owned()
    } else {
        format!("{}/{path}", prefix.trim_end_matches('/'))
    }
}

/// The kit folder recorded in `root/paved.toml` (`[kit] path`), relative to `root`.
pub(crate) fn recorded_dir(root: &Path) -> Result<Option<String>> {
    let file = root.join(PAVED_TOML);
    let Ok(text) = fs::read_to_string(&file) else {
        return Ok(None);
    };
    let fail = |message: String| Error::Kit {
        path: file.clone(),
        message,
    };
    let doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| fail(format!("is not valid TOML: {}", e.message())))?;
    let Some(kit) = doc.get("kit") else {
        return Ok(None);
    };
    let path = kit
        .get("path")
        .and_then(Item::as_str)
        .ok_or_else(|| fail("has a `[kit]` table without a `path` string".to_owned()))?;
    let relative = Path::new(path);
    let inside = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if path.is_empty() || !inside {
        return Err(fail(format!(
            "`[kit] path = {path:?}` must be a folder inside the repository, relative to it"
        )));
    }
    Ok(Some(path.trim_end_matches('/').to_owned()))
}

/// `text` (a `paved.toml`, or none) with `[kit] path = dir`.
pub(crate) fn record_dir(text: Option<&str>, dir: &str, file: &Path) -> Result<String> {
    const HEADER: &str = "# paved configuration of this repository. `[kit]` says where the house kit\n# lives; paved writes it once and every service depends on it by path.\n";
    let Some(text) = text else {
        let path = toml_edit::Value::from(dir);
        return Ok(format!("{HEADER}[kit]\npath = {path}\n"));
    };
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| Error::Kit {
        path: file.to_path_buf(),
        message: format!("is not valid TOML: {}", e.message()),
    })?;
    let entry = doc.entry("kit").or_insert(Item::Table(Table::new()));
    let table = entry.as_table_mut().ok_or_else(|| Error::Kit {
        path: file.to_path_buf(),
        message: "has a `kit` key that is not a table".to_owned(),
    })?;
    table.insert("path", value(dir));
    Ok(doc.to_string())
}

/// Whether `dir` holds a kit (its `Cargo.toml` names [`KIT_PACKAGE`]).
pub(crate) fn is_kit(dir: &Path) -> bool {
    fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|text| {
        text.parse::<DocumentMut>().is_ok_and(|doc| {
            doc.get("package")
                .and_then(|p| p.get("name"))
                .and_then(Item::as_str)
                == Some(KIT_PACKAGE)
        })
    })
}

/// Whether the rendered `Cargo.toml` in `files` depends on [`KIT_PACKAGE`].
pub(crate) fn is_dependency(files: &[OutputFile]) -> bool {
    files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .and_then(|f| std::str::from_utf8(&f.contents).ok())
        .and_then(|text| text.parse::<DocumentMut>().ok())
        .is_some_and(|doc| {
            doc.get("dependencies")
                .and_then(|d| d.get(KIT_PACKAGE))
                .is_some()
        })
}

/// Points the service's `paved-kit` dependency at `path` (relative to the service).
pub(crate) fn set_dependency_path(files: &mut [OutputFile], path: &str) -> Result<()> {
    let Some(file) = files.iter_mut().find(|f| f.path == "Cargo.toml") else {
        return Ok(());
    };
    let invalid = |message: &str| Error::Kit {
        path: PathBuf::from("Cargo.toml"),
        message: message.to_owned(),
    };
    let text = std::str::from_utf8(&file.contents).map_err(|_| invalid("is not UTF-8"))?;
    let mut doc: DocumentMut = text.parse().map_err(|_| invalid("is not valid TOML"))?;
    let Some(dep) = doc
        .get_mut("dependencies")
        .and_then(|d| d.get_mut(KIT_PACKAGE))
        .and_then(Item::as_table_like_mut)
    else {
        return Ok(());
    };
    dep.insert("path", value(path));
    file.contents = doc.to_string().into_bytes();
    Ok(())
}

/// The path from folder `from` to folder `to` (both relative to the same root,
/// `/`-separated), e.g. `services/notes` to `kit` is `../../kit`.
pub(crate) fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(relative_path("services/notes", "kit"), "../../kit");
        assert_eq!(relative_path("notes", "platform/kit"), "../platform/kit");
        assert_eq!(relative_path("platform/notes", "platform/kit"), "../kit");
    }

    #[test]
    fn checksums_cover_every_kit_file() {
        let text = checksums();
        assert_eq!(text.lines().count(), KIT.len());
        assert!(text.lines().any(|l| l.ends_with("  src/lib.rs")), "{text}");
        assert!(
            text.lines()
                .all(|l| l.split_once("  ").unwrap().0.len() == 64)
        );
    }

    #[test]
    fn kit_path_is_recorded_in_paved_toml() {
        let text = record_dir(Some("[lints]\n"), "kit", Path::new("paved.toml")).unwrap();
        assert!(
            text.contains("[lints]") && text.contains("[kit]\npath = \"kit\""),
            "{text}"
        );
        let new = record_dir(None, "platform/kit", Path::new("paved.toml")).unwrap();
        assert!(new.starts_with("# paved configuration"), "{new}");
        assert!(new.ends_with("\n[kit]\npath = \"platform/kit\"\n"), "{new}");
    }
}
