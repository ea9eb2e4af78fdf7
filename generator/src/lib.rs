//! Renders paved service templates: manifest, Tera rendering, all-or-nothing writing.
//!
//! A template is a folder with a `template.toml` manifest and files; `*.tera` files are
//! rendered with Tera, everything else is copied byte for byte (see `docs/templates.md`).
//! The built-in templates under `templates/<kind>/` are embedded at build time.
//!
//! The library never prints and never prompts: the `paved new` command does that and
//! then calls [`generate`]. Tests and tools call the same functions:
//!
//! ```no_run
//! use std::collections::BTreeMap;
//! use paved_generator::{GenerateRequest, Template, Vcs, generate};
//!
//! let template = Template::embedded(paved_generator::DEFAULT_KIND)?;
//! let request = GenerateRequest {
//!     name: "notes-api".to_owned(),
//!     dest: "/tmp/somewhere/notes-api".into(),
//!     answers: BTreeMap::from([("storage".to_owned(), "sqlite".to_owned())]),
//!     vcs: Vcs::None,
//! };
//! // or: GenerateRequest::new("notes-api", "/tmp/somewhere/notes-api").answer("storage", "sqlite")
//! let generated = generate(&template, &request)?;
//! assert!(generated.files.contains(&"Cargo.toml".to_owned()));
//! # Ok::<(), paved_generator::Error>(())
//! ```
//!
//! To look at the output without touching the disk (snapshot tests), use [`render`]:
//!
//! ```no_run
//! # use std::collections::BTreeMap;
//! let template = paved_generator::Template::embedded("service")?;
//! let answers = BTreeMap::from([("storage".to_owned(), "none".to_owned())]);
//! for file in paved_generator::render(&template, "notes-api", &answers)?.files {
//!     println!("{}: {} bytes", file.path, file.contents.len());
//! }
//! # Ok::<(), paved_generator::Error>(())
//! ```
//!
//! Destinations inside a Cargo workspace join it (see [`Membership`]); generate into a
//! folder outside any workspace, e.g. [`std::env::temp_dir`], or under the workspace's
//! `target/`, when that is not wanted. A service inside a workspace it does not join
//! (excluded, or under `target/`) gets an empty `[workspace]` table so Cargo accepts it.

#![warn(missing_docs)]

mod answers;
mod embedded;
mod error;
mod manifest;
mod name;
mod provenance;
mod render;
mod template;
mod vcs;
mod workspace;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use answers::Answers;
pub use embedded::{DEFAULT_KIND, embedded_kinds};
pub use error::{Error, Result};
pub use manifest::{BUILTIN_VARIABLES, Conditional, Manifest, Value, VarType, Variable};
pub use name::validate_name;
pub use provenance::PAVED_TOML;
pub use render::OutputFile;
pub use template::{MANIFEST_FILE, TERA_SUFFIX, Template, TemplateFile};
pub use vcs::{Vcs, VcsOutcome};
pub use workspace::Membership;
pub use write::TEMP_PREFIX;

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct GenerateRequest {
    /// The service name (package, binary, systemd unit); checked with [`validate_name`].
    pub name: String,
    /// Folder to create; must not exist. Missing parent folders are created.
    pub dest: PathBuf,
    /// Answers as text, by variable name; variables left out take their default.
    pub answers: BTreeMap<String, String>,
    /// Version control to set up in the new folder.
    pub vcs: Vcs,
}

impl GenerateRequest {
    /// A request with no answers (every variable takes its default) and no version
    /// control: what tests and tools usually want.
    pub fn new(name: impl Into<String>, dest: impl Into<PathBuf>) -> GenerateRequest {
        GenerateRequest {
            name: name.into(),
            dest: dest.into(),
            answers: BTreeMap::new(),
            vcs: Vcs::None,
        }
    }

    /// Adds the answer `value` for the variable `key`.
    pub fn answer(mut self, key: impl Into<String>, value: impl Into<String>) -> GenerateRequest {
        self.answers.insert(key.into(), value.into());
        self
    }
}

/// The output of a template in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Every file, sorted by path, including the `paved.toml` provenance.
    pub files: Vec<OutputFile>,
    /// The answers used, defaults filled in.
    pub answers: Answers,
}

/// What [`generate`] made.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The destination as requested.
    pub dest: PathBuf,
    /// Paths of the generated files relative to `dest`, sorted.
    pub files: Vec<String>,
    /// The answers used, defaults filled in.
    pub answers: Answers,
    /// Membership in an enclosing Cargo workspace, if there is one.
    pub workspace: Option<Membership>,
    /// What happened about version control.
    pub vcs: VcsOutcome,
}

/// Checks the answers given so far (unknown names, types, choices, regex, bounds) without
/// requiring every variable, so that a bad flag is refused before any prompt.
pub fn check_answers(template: &Template, answers: &BTreeMap<String, String>) -> Result<()> {
    answers::check_given(template.manifest(), answers)
}

/// Fails when something already exists at `dest` (the generator never writes into an
/// existing path, even an empty folder) or when a folder on the way to it is a file. [`generate`] checks again; calling this first lets
/// a front end refuse before asking questions.
pub fn check_destination(dest: &Path) -> Result<()> {
    write::ensure_absent(dest)
}

/// Renders `template` for a service called `name` in memory, with the provenance in
/// `paved.toml`. Nothing touches the disk. Fails when `name` equals a dependency of the
/// rendered `Cargo.toml` ([`Error::NameClash`]).
pub fn render(
    template: &Template,
    name: &str,
    answers: &BTreeMap<String, String>,
) -> Result<Rendered> {
    validate_name(name)?;
    let answers = answers::resolve(template.manifest(), answers)?;
    let context = render::context(name, &answers);
    let mut files = render::render(template, &context)?;
    workspace::check_name_clash(&files, name)?;
    provenance::record(
        &mut files,
        template.source(),
        template.manifest(),
        name,
        &answers,
    )?;
    Ok(Rendered { files, answers })
}

/// Generates a service: validates, renders in memory, writes into a temporary folder
/// beside `dest`, sets up version control there, renames it to `dest`, and adds it to an
/// enclosing workspace. On error nothing is left behind.
pub fn generate(template: &Template, request: &GenerateRequest) -> Result<Generated> {
    validate_name(&request.name)?;
    write::ensure_absent(&request.dest)?;
    let Rendered { mut files, answers } = render(template, &request.name, &request.answers)?;

    let resolved = write::resolve(&request.dest)?;
    let plan = workspace::plan(&resolved)?;
    match &plan {
        Some(plan) if plan.joins() => {
            workspace::drop_nested_workspace(&mut files, template.source())?;
        }
        // Inside a workspace it does not join, the crate must be a workspace of its own.
        Some(_) => workspace::ensure_own_workspace(&mut files, template.source())?,
        None => {}
    }

    let parent = resolved.parent().unwrap_or(Path::new("/")).to_path_buf();
    let created = write::CreatedParents::create(&parent)?;
    let message = format!(
        "Generate {} from template {} {} with paved {}",
        request.name,
        template.manifest().name,
        template.manifest().version,
        env!("CARGO_PKG_VERSION"),
    );
    let vcs = write::write_all(&parent, &resolved, &files, |dir| match request.vcs {
        Vcs::Git => vcs::init(dir, &parent, &message),
        Vcs::None => Ok(VcsOutcome::Skipped),
    })?;

    if let Some(workspace::Plan {
        membership: Some(Membership::Added { manifest, .. }),
        new_manifest_text: Some(text),
    }) = &plan
        && let Err(error) = workspace::write_manifest(manifest, text)
    {
        // All or nothing: the service without its membership would not build.
        let _ = std::fs::remove_dir_all(&resolved);
        return Err(error);
    }
    created.keep();

    Ok(Generated {
        dest: request.dest.clone(),
        files: files.into_iter().map(|f| f.path).collect(),
        answers,
        workspace: plan.and_then(|p| p.membership),
        vcs,
    })
}
