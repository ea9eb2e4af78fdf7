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
