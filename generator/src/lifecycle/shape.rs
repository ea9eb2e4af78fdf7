//! Renders a template for an existing service in the shape `paved new` gave it: the same
//! workspace table, the same path to the kit, the same `[kit]` record, so that a
//! rendering differs from the service only where the template or the service changed.

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::{DocumentMut, Item};

use crate::Rendered;
use crate::error::Result;
use crate::kit::{self, KIT_PACKAGE};
use crate::provenance::PAVED_TOML;
use crate::render::OutputFile;
use crate::template::Template;
use crate::workspace;

/// What `paved new` did to the rendering of this service, read from the service.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    /// The service's `Cargo.toml` has a `[workspace]` table (it is not a member of an
    /// enclosing workspace).
    own_workspace: Option<bool>,
    /// The `path` of its `paved-kit` dependency.
    kit_path: Option<String>,
    /// The `[kit] path` its own `paved.toml` records (the kit lives inside it).
    kit_record: Option<String>,
}

impl Shape {
    pub(crate) fn read(dir: &Path) -> Shape {
        let manifest = read_toml(&dir.join("Cargo.toml"));
        let own_workspace = manifest.as_ref().map(|doc| doc.contains_key("workspace"));
        let kit_path = manifest.as_ref().and_then(|doc| {
            doc.get("dependencies")?
                .get(KIT_PACKAGE)?
                .get("path")?
                .as_str()
                .map(str::to_owned)
        });
        let kit_record = read_toml(&dir.join(PAVED_TOML))
            .and_then(|doc| doc.get("kit")?.get("path")?.as_str().map(str::to_owned));
        Shape {
            own_workspace,
            kit_path,
            kit_record,
        }
    }

    /// The kit's folder relative to the service, when the service depends on it.
    pub(crate) fn kit_dir(&self) -> Option<&str> {
        self.kit_path.as_deref()
    }
}

fn read_toml(path: &Path) -> Option<DocumentMut> {
    std::fs::read_to_string(path).ok()?.parse().ok()
}

/// Renders `template` for the service `name` with `answers` (text, as `--define` takes
/// them) and gives the result the service's shape. Answers to variables the template does
/// not declare are left out.
pub(crate) fn render_for(
    template: &Template,
    name: &str,
    answers: &BTreeMap<String, String>,
    shape: &Shape,
) -> Result<Rendered> {
    let known: BTreeMap<String, String> = answers
        .iter()
        .filter(|(key, _)| template.manifest().variable(key).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut rendered = crate::render(template, name, &known)?;
    let files = &mut rendered.files;
    match shape.own_workspace {
        Some(false) => workspace::drop_nested_workspace(files, template.source())?,
        Some(true) => workspace::ensure_own_workspace(files, template.source())?,
        None => {}
    }
    if kit::is_dependency(files)
        && let Some(path) = &shape.kit_path
    {
        kit::set_dependency_path(files, path)?;
    }
    if let Some(dir) = &shape.kit_record
        && let Some(file) = files.iter_mut().find(|f| f.path == PAVED_TOML)
    {
        let text = String::from_utf8_lossy(&file.contents).into_owned();
        let has_kit = text
            .parse::<DocumentMut>()
            .is_ok_and(|doc| doc.get("kit").is_some_and(Item::is_table_like));
        if !has_kit {
            file.contents = kit::record_dir(Some(&text), dir, Path::new(PAVED_TOML))?.into_bytes();
        }
    }
    Ok(rendered)
}

/// The rendered file at `path`, if any.
pub(crate) fn find<'a>(files: &'a [OutputFile], path: &str) -> Option<&'a OutputFile> {
    files
        .binary_search_by(|f| f.path.as_str().cmp(path))
        .ok()
        .map(|i| &files[i])
}
