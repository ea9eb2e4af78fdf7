//! The templates under `templates/<kind>/` in this repository, embedded at build time by
//! `build.rs`.

use crate::error::{Error, Result};
use crate::template::{Template, TemplateFile};

/// Kind used when none is asked for.
pub const DEFAULT_KIND: &str = "service";

struct EmbeddedFile {
    kind: &'static str,
    path: &'static str,
    contents: &'static [u8],
    executable: bool,
}

static EMBEDDED: &[EmbeddedFile] = include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

// `HISTORY`: `(template name, version, path, contents, executable)` of the released
// versions kept under `templates/history/<name>/<version>/`.
include!(concat!(env!("OUT_DIR"), "/history.rs"));

/// The kinds of template built into this binary, sorted.
pub fn embedded_kinds() -> Vec<&'static str> {
    let mut kinds: Vec<&str> = EMBEDDED.iter().map(|f| f.kind).collect();
    kinds.dedup();
    kinds
}

impl Template {
    /// Loads the built-in template of `kind` (e.g. [`DEFAULT_KIND`]). Errors name its files
    /// as `templates/<kind>/...`, where they live in the paved repository.
    pub fn embedded(kind: &str) -> Result<Template> {
        let files: Vec<TemplateFile> = EMBEDDED
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| TemplateFile {
                path: f.path.to_owned(),
                contents: f.contents.to_vec(),
                executable: f.executable,
            })
            .collect();
        if files.is_empty() {
            return Err(Error::UnknownKind {
                kind: kind.to_owned(),
                known: embedded_kinds().into_iter().map(str::to_owned).collect(),
            });
        }
        Template::from_files(format!("templates/{kind}"), files)
    }
}

/// The released versions of the template called `name` that this binary can render:
/// the built-in one of that name and every version under `templates/history/`.
pub fn embedded_versions(name: &str) -> Vec<String> {
    let mut versions: Vec<String> = HISTORY
        .iter()
        .filter(|f| f.0 == name)
        .map(|f| f.1.to_owned())
        .collect();
    if let Ok(current) = Template::embedded_named(name) {
        versions.push(current.manifest().version.clone());
    }
    versions.sort();
    versions.dedup();
    versions
}

impl Template {
    /// The built-in template whose manifest is called `name` (the kinds are named after
    /// their folder, so this is [`Template::embedded`] of the folder with that name).
    pub fn embedded_named(name: &str) -> Result<Template> {
        let kind = EMBEDDED
            .iter()
            .find(|f| {
                f.path == crate::template::MANIFEST_FILE
                    && manifest_name(f.contents).as_deref() == Some(name)
            })
            .map(|f| f.kind)
            .unwrap_or(name);
        Template::embedded(kind)
    }

    /// The template called `name` at `version`, as built into this binary: the current
    /// built-in template when its version matches, else the copy kept under
    /// `templates/history/<name>/<version>/`. `None` when this binary has neither.
    pub fn embedded_version(name: &str, version: &str) -> Result<Option<Template>> {
        if let Ok(current) = Template::embedded_named(name)
            && current.manifest().version == version
        {
            return Ok(Some(current));
        }
        let files: Vec<TemplateFile> = HISTORY
            .iter()
            .filter(|f| f.0 == name && f.1 == version)
            .map(|f| TemplateFile {
                path: f.2.to_owned(),
                contents: f.3.to_vec(),
                executable: f.4,
            })
            .collect();
        if files.is_empty() {
            return Ok(None);
        }
        Template::from_files(format!("templates/history/{name}/{version}"), files).map(Some)
    }
}

/// `[template] name` of a manifest, without checking the rest.
fn manifest_name(contents: &[u8]) -> Option<String> {
    let value: toml::Table = toml::from_str(std::str::from_utf8(contents).ok()?).ok()?;
    Some(value.get("template")?.get("name")?.as_str()?.to_owned())
}
