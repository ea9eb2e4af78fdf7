//! A template in memory, whether it was read from a folder or embedded in the binary:
//! both go through [`Template::from_files`], so they behave the same.

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::render::Compiled;

/// The manifest's file name at the root of a template.
pub const MANIFEST_FILE: &str = "template.toml";

/// Files at the template root that describe the template and are never copied.
const NOT_COPIED: &[&str] = &[MANIFEST_FILE, "cargo-generate.toml"];

/// Suffix of the files rendered with Tera; it is stripped from the output name.
pub const TERA_SUFFIX: &str = ".tera";

/// A loaded, checked template: manifest plus files, with every Tera file compiled.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    manifest: Manifest,
    files: Vec<TemplateFile>,
    pub(crate) compiled: Compiled,
}

/// One file of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    /// Path relative to the template root, `/`-separated, placeholders unrendered.
    pub path: String,
    /// The raw bytes.
    pub contents: Vec<u8>,
    /// Whether the generated file gets the executable bit.
    pub executable: bool,
}

impl TemplateFile {
    /// Whether this file is rendered with Tera (its name ends in `.tera`).
    pub fn is_templated(&self) -> bool {
        self.path.ends_with(TERA_SUFFIX)
    }
}

impl Template {
    /// Builds a template from its files. `source` names it in errors: errors point at
    /// `{source}/{path}`, so a folder path or `templates/<kind>` reads best.
    ///
    /// Parses the manifest and compiles every `.tera` file, path placeholder and
    /// condition, so a broken template fails here, before anyone is asked a question.
    pub fn from_files(source: impl Into<String>, files: Vec<TemplateFile>) -> Result<Template> {
        let source = source.into();
        let manifest_file = format!("{source}/{MANIFEST_FILE}");
        let manifest_bytes = files
            .iter()
            .find(|f| f.path == MANIFEST_FILE)
            .map(|f| &f.contents)
            .ok_or_else(|| Error::NotATemplate {
                dir: source.clone().into(),
            })?;
        let manifest_text = std::str::from_utf8(manifest_bytes)
            .map_err(|_| Error::manifest(&manifest_file, "is not valid UTF-8"))?;
        let manifest = Manifest::parse(&manifest_file, manifest_text)?;

        let mut files: Vec<TemplateFile> = files
            .into_iter()
            .filter(|f| !NOT_COPIED.contains(&f.path.as_str()))
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));

        let compiled = Compiled::new(&source, &manifest_file, &manifest, &files)?;
        Ok(Template {
            source,
            manifest,
            files,
            compiled,
        })
    }

    /// Reads a template folder (a platform team's fork, `--template DIR`).
    pub fn from_dir(dir: &Path) -> Result<Template> {
        if !dir.join(MANIFEST_FILE).is_file() {
            return Err(Error::NotATemplate {
                dir: dir.to_path_buf(),
            });
        }
        let mut files = Vec::new();
        read_dir_files(dir, dir, &mut files)?;
        // Normalised so that `tpl/` and `./tpl` name files as `tpl/...` in errors.
        let source: std::path::PathBuf = dir.components().collect();
        Template::from_files(source.display().to_string(), files)
    }

    /// Where the template came from, as used in error messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The files to render or copy (without `template.toml` and `cargo-generate.toml`),
    /// sorted by path.
    pub fn files(&self) -> &[TemplateFile] {
        &self.files
    }
}

fn read_dir_files(root: &Path, dir: &Path, out: &mut Vec<TemplateFile>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        // Same rule as the build script that embeds the built-in templates.
        if name == ".git" || (dir == root && name == "target") {
            continue;
        }
        let file_type = entry.file_type().map_err(|e| Error::io("read", &path, e))?;
        // Follow symlinks so a fork may share files between kinds.
        let is_dir = file_type.is_dir() || (file_type.is_symlink() && path.is_dir());
        if is_dir {
            read_dir_files(root, &path, out)?;
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let mut parts = Vec::new();
        for component in rel.components() {
            let part = component.as_os_str().to_str().ok_or_else(|| {
                Error::io(
                    "read",
                    &path,
                    std::io::Error::new(std::io::ErrorKind::InvalidData, "file name is not UTF-8"),
                )
            })?;
            parts.push(part);
        }
        let contents = fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        out.push(TemplateFile {
            path: parts.join("/"),
            contents,
            executable: is_executable(&path),
        });
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    false
}
