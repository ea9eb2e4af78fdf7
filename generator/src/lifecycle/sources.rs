//! Where the templates of an upgrade come from: the running paved's built-in templates
//! and their released history, or folders given on the command line.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::embedded::embedded_versions;
use crate::error::{Error, Result};
use crate::template::Template;

/// The templates an upgrade or check renders, loaded once per name and version.
#[derive(Debug, Default)]
pub struct Sources {
    /// `--template DIR`: the version to upgrade to, instead of the built-in one.
    pub template_dir: Option<PathBuf>,
    /// `--from DIR`s: versions the services were made with, when this paved does not
    /// have them built in (a fork's older releases); the one whose name and version match
    /// the record is used.
    pub from_dirs: Vec<PathBuf>,
    current: HashMap<String, Arc<Template>>,
    base: HashMap<(String, String), Arc<Template>>,
}

impl Sources {
    /// Built-in templates only (no folders).
    pub fn embedded() -> Sources {
        Sources::default()
    }

    /// Templates from folders: `template` instead of the built-in one, `from` for the
    /// recorded versions.
    pub fn with_dirs(template: Option<PathBuf>, from: Vec<PathBuf>) -> Sources {
        Sources {
            template_dir: template,
            from_dirs: from,
            ..Sources::default()
        }
    }

    /// The template to upgrade a service made from the template `name` to.
    pub fn current(&mut self, name: &str) -> Result<Arc<Template>> {
        if let Some(template) = self.current.get(name) {
            return Ok(template.clone());
        }
        let template = match &self.template_dir {
            Some(dir) => Template::from_dir(dir)?,
            None => Template::embedded_named(name).map_err(|_| {
                Error::lifecycle(
                    "paved.toml",
                    format!("this paved has no built-in template called `{name}`"),
                    "pass the template's folder with --template DIR",
                )
            })?,
        };
        if template.manifest().name != name {
            return Err(Error::lifecycle(
                template.source(),
                format!(
                    "is the template `{}`, but the service was made from `{name}`",
                    template.manifest().name
                ),
                "pass the folder of the template the service was made from",
            ));
        }
        let template = Arc::new(template);
        self.current.insert(name.to_owned(), template.clone());
        Ok(template)
    }

    /// The template `name` as it was at `version`, rendered as the base of a merge.
    pub fn base(&mut self, name: &str, version: &str) -> Result<Arc<Template>> {
        let key = (name.to_owned(), version.to_owned());
        if let Some(template) = self.base.get(&key) {
            return Ok(template.clone());
        }
        let template = self.load_base(name, version)?;
        self.base.insert(key, template.clone());
        Ok(template)
    }

    fn load_base(&mut self, name: &str, version: &str) -> Result<Arc<Template>> {
        for dir in &self.from_dirs {
            let template = Template::from_dir(dir)?;
            let manifest = template.manifest();
            if manifest.name == name && manifest.version == version {
                return Ok(Arc::new(template));
            }
        }
        let current = self.current(name)?;
        if current.manifest().version == version {
            return Ok(current);
        }
        if self.template_dir.is_none()
            && let Some(template) = Template::embedded_version(name, version)?
        {
            return Ok(Arc::new(template));
        }
        let known = if self.template_dir.is_none() {
            embedded_versions(name).join(", ")
        } else {
            current.manifest().version.clone()
        };
        Err(Error::lifecycle(
            "paved.toml",
            format!(
                "records template `{name}` version {version}, which this paved cannot render (it has: {known})"
            ),
            format!(
                "pass that version's template folder with --from DIR (e.g. a checkout of the template at its {version} release)"
            ),
        ))
    }
}
