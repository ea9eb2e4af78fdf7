//! `paved adopt`: a service paved did not generate gets a `[template]` record, with the
//! answers inferred from its code, so that `paved check` and `paved upgrade` work on it.
//! Nothing but `paved.toml` is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

use super::apply::write_atomic;
use super::plan::read_optional;
use super::shape::{Shape, render_for};
use super::unified_diff;
use crate::error::{Error, Result};
use crate::kit::CHECKSUMS_FILE;
use crate::provenance::{self, PAVED_TOML};
use crate::template::Template;

/// What `paved adopt` found and recorded.
#[derive(Debug, Clone)]
pub struct Adoption {
    /// The service folder.
    pub dir: PathBuf,
    /// The service name (its package name).
    pub name: String,
    /// The recorded answers, as text.
    pub answers: BTreeMap<String, String>,
    /// Where each inferred answer came from, by variable.
    pub inferred: BTreeMap<String, String>,
    /// Variables that took their default: nothing in the service said otherwise.
    pub defaulted: Vec<String>,
    /// Every file the template would generate, compared with the service's.
    pub files: Vec<FileComparison>,
}

/// One file the template would generate.
#[derive(Debug, Clone)]
pub struct FileComparison {
    /// Path relative to the service.
    pub path: String,
    /// The service has no such file.
    pub missing: bool,
    /// From the template's version to the service's (`None`: same, missing or binary).
    pub diff: Option<String>,
    /// The file differs.
    pub differs: bool,
}

/// Infers the answers of the service at `dir` for `template`, `given` winning, and, when
/// `write`, records them in its `paved.toml`.
pub fn adopt(
    dir: &Path,
    template: &Template,
    given: &BTreeMap<String, String>,
    write: bool,
) -> Result<Adoption> {
    let paved_toml = dir.join(PAVED_TOML);
    let existing = read_optional(&paved_toml)?.map(|b| String::from_utf8_lossy(&b).into_owned());
    if let Some(text) = &existing
        && provenance::read(text, &paved_toml)?.is_some()
    {
        return Err(Error::lifecycle(
            &paved_toml,
            "already records the template that made this service",
            "run `paved check` or `paved upgrade` on it instead",
        ));
    }
    let manifest = read_manifest(dir)?;
    let name = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::lifecycle(
                dir.join("Cargo.toml"),
                "has no `[package] name`",
                "adopt a service crate (the folder of its Cargo.toml), not a workspace root",
            )
        })?;
    crate::name::validate_name(&name)?;
    crate::answers::check_given(template.manifest(), given)?;

    let clues = clues(dir, &manifest);
    let mut answers = BTreeMap::new();
    let mut inferred = BTreeMap::new();
    let mut defaulted = Vec::new();
    for variable in &template.manifest().variables {
        if let Some(value) = given.get(&variable.name) {
            answers.insert(variable.name.clone(), value.clone());
            inferred.insert(variable.name.clone(), "--answer".to_owned());
            continue;
        }
        match clues.get(variable.name.as_str()) {
            Some((value, source)) if variable.parse_answer(value).is_ok() => {
                answers.insert(variable.name.clone(), value.clone());
                inferred.insert(variable.name.clone(), source.clone());
            }
            _ => defaulted.push(variable.name.clone()),
        }
    }

    let shape = Shape::read(dir);
    let rendered = render_for(template, &name, &answers, &shape)?;
    let kit_prefix = shape
        .kit_dir()
        .map(|k| format!("{}/", k.trim_end_matches('/')));
    let mut files = Vec::new();
    for file in &rendered.files {
        let in_kit = kit_prefix
            .as_deref()
            .is_some_and(|p| file.path.starts_with(p))
            || file.path.ends_with(CHECKSUMS_FILE);
        if file.path == PAVED_TOML || in_kit {
            continue;
        }
        let ours = read_optional(&dir.join(&file.path))?;
        let differs = ours.as_deref() != Some(file.contents.as_slice());
        files.push(FileComparison {
            path: file.path.clone(),
            missing: ours.is_none(),
            diff: match &ours {
                Some(ours) if differs => unified_diff(&file.path, Some(&file.contents), Some(ours)),
                _ => None,
            },
            differs,
        });
    }

    if write {
        let text = existing.unwrap_or_else(|| {
            "# paved configuration. `[template]` records the template this service follows\n# (`paved adopt`); `paved check` and `paved upgrade` read it, so keep it.\n".to_owned()
        });
        let m = template.manifest();
        let updated = provenance::with_table(
            &text,
            &paved_toml,
            &m.name,
            &m.version,
            &name,
            &rendered.answers,
        )?;
        write_atomic(&paved_toml, updated.as_bytes(), false)?;
    }
    Ok(Adoption {
        dir: dir.to_path_buf(),
        name,
        answers: rendered
            .answers
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        inferred,
        defaulted,
        files,
    })
}

fn read_manifest(dir: &Path) -> Result<DocumentMut> {
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::lifecycle(
            &path,
            format!("cannot be read ({e})"),
            "pass the folder of a Rust service (it holds Cargo.toml)",
        )
    })?;
    text.parse().map_err(|_| {
        Error::lifecycle(
            &path,
            "is not valid TOML",
            "fix Cargo.toml, then adopt again",
        )
    })
}

/// What the service's files say about the answers: variable -> (value, where from).
fn clues(dir: &Path, manifest: &DocumentMut) -> BTreeMap<&'static str, (String, String)> {
    let mut clues = BTreeMap::new();
    if let Some(description) = manifest
        .get("package")
        .and_then(|p| p.get("description"))
        .and_then(|d| d.as_str())
    {
        let value = (description.to_owned(), "Cargo.toml description".to_owned());
        clues.insert("description", value);
    }
    let dependencies = manifest.get("dependencies").and_then(|d| d.as_table_like());
    let uses_sqlite = dependencies.is_some_and(|deps| {
        deps.iter()
            .any(|(key, _)| ["rusqlite", "sqlx", "libsqlite3-sys"].contains(&key))
    });
    let storage = if uses_sqlite { "sqlite" } else { "none" };
    clues.insert(
        "storage",
        (storage.to_owned(), "Cargo.toml dependencies".to_owned()),
    );
    if let Some(port) = find_port(dir) {
        clues.insert("port", port);
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("CODEOWNERS")) {
        let owner = text
            .lines()
            .filter(|l| l.trim_start().starts_with('*'))
            .find_map(|l| l.split_whitespace().nth(1).map(str::to_owned));
        if let Some(owner) = owner {
            clues.insert("owner", (owner, "CODEOWNERS".to_owned()));
        }
    }
    clues
}

/// A `port = N` in the service's configuration, else an address literal in its code.
fn find_port(dir: &Path) -> Option<(String, String)> {
    let key = regex_lite::Regex::new(r"(?m)^\s*port\s*=\s*(\d{1,5})\s*$").expect("constant");
    let address =
        regex_lite::Regex::new(r#""(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]):(\d{1,5})""#)
            .expect("constant");
    let candidates: [(&str, &regex_lite::Regex); 5] = [
        ("config/default.toml", &key),
        ("config.toml", &key),
        ("src/main.rs", &address),
        ("src/config.rs", &address),
        ("src/lib.rs", &address),
    ];
    candidates.into_iter().find_map(|(file, re)| {
        let text = std::fs::read_to_string(dir.join(file)).ok()?;
        let port = re.captures(&text)?.get(1)?.as_str().to_owned();
        Some((port, file.to_owned()))
    })
}
