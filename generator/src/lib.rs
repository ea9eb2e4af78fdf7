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
mod kit;
pub mod lifecycle;
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
pub use embedded::{DEFAULT_KIND, embedded_kinds, embedded_versions};
pub use error::{Error, Result};
pub use kit::{CHECKSUMS_FILE, DEFAULT_KIT_DIR, KIT_PACKAGE, sha256_hex as kit_sha256};
pub use manifest::{BUILTIN_VARIABLES, Conditional, Manifest, Policy, Value, VarType, Variable};
pub use name::validate_name;
pub use provenance::{PAVED_TOML, Recorded, read as read_provenance};
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
    /// Where the house kit the service depends on is, and whether it was written now.
    pub kit: KitPlacement,
}

/// Where the service's house kit is (see `docs/service.md`, "The house kit").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KitPlacement {
    /// The template's `Cargo.toml` does not depend on `paved-kit`.
    NotUsed,
    /// Written inside the service, a member of the service's own workspace.
    InService,
    /// Written now at this folder of the enclosing workspace, recorded in its `paved.toml`.
    Written(PathBuf),
    /// The repository's kit at this folder, already there, is reused.
    Reused(PathBuf),
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

    // Only a service whose Cargo.toml depends on the kit gets it (a fork may not).
    let uses_kit = kit::is_dependency(&files);
    let shared = match &plan {
        Some(plan) if plan.joins() && uses_kit => Some(shared_kit(plan)?),
        _ => None,
    };
    match &shared {
        Some(kit) => kit::set_dependency_path(&mut files, &kit.dependency_path)?,
        None if uses_kit => add_kit_to_service(&mut files)?,
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

    let mut manifest_text = plan.as_ref().and_then(|p| p.new_manifest_text.clone());
    if let Some(kit) = &shared
        && let Err(error) = write_shared_kit(kit, &mut manifest_text)
    {
        let _ = std::fs::remove_dir_all(&resolved);
        return Err(error);
    }
    if let (Some(plan), Some(text)) = (&plan, &manifest_text)
        && let Some(manifest) = plan.manifest()
        && let Err(error) = workspace::write_manifest(manifest, text)
    {
        // All or nothing: the service without its membership would not build.
        let _ = std::fs::remove_dir_all(&resolved);
        if let Some(kit) = shared.as_ref().filter(|k| !k.exists) {
            let _ = std::fs::remove_dir_all(&kit.dir);
        }
        return Err(error);
    }
    created.keep();
    let kit = match shared {
        None if !uses_kit => KitPlacement::NotUsed,
        None => KitPlacement::InService,
        Some(kit) if kit.exists => KitPlacement::Reused(kit.dir),
        Some(kit) => KitPlacement::Written(kit.dir),
    };

    Ok(Generated {
        dest: request.dest.clone(),
        files: files.into_iter().map(|f| f.path).collect(),
        answers,
        workspace: plan.and_then(|p| p.membership),
        vcs,
        kit,
    })
}

/// The repository's kit, for a service that joins the workspace at `plan`'s root.
struct SharedKit {
    root: PathBuf,
    /// The kit's folder, absolute.
    dir: PathBuf,
    /// The kit's folder relative to the root, `/`-separated.
    dir_rel: String,
    /// From the service to the kit, for its `Cargo.toml`.
    dependency_path: String,
    /// Already written by an earlier `paved new`.
    exists: bool,
}

fn shared_kit(plan: &workspace::Plan) -> Result<SharedKit> {
    let (manifest, member) = plan.manifest_and_member().ok_or_else(|| Error::Kit {
        path: PathBuf::from("Cargo.toml"),
        message: "a joined workspace has a manifest".to_owned(),
    })?;
    let root = manifest.parent().unwrap_or(Path::new("/")).to_path_buf();
    let dir_rel = kit::recorded_dir(&root)?.unwrap_or_else(|| DEFAULT_KIT_DIR.to_owned());
    let dir = root.join(&dir_rel);
    let exists = kit::is_kit(&dir);
    if !exists && dir.exists() {
        return Err(Error::Kit {
            path: dir,
            message: format!(
                "exists but is not the house kit (its Cargo.toml is not package `{KIT_PACKAGE}`); \
                 move it, or set `[kit] path` in the workspace's paved.toml to a free folder"
            ),
        });
    }
    Ok(SharedKit {
        dependency_path: kit::relative_path(member, &dir_rel),
        root,
        dir,
        dir_rel,
        exists,
    })
}

/// A service of its own gets the kit as a member of its workspace, recorded in its
/// `paved.toml`.
fn add_kit_to_service(files: &mut Vec<OutputFile>) -> Result<()> {
    files.extend(kit::files(DEFAULT_KIT_DIR));
    if let Some(file) = files.iter_mut().find(|f| f.path == PAVED_TOML) {
        let text = String::from_utf8_lossy(&file.contents).into_owned();
        file.contents =
            kit::record_dir(Some(&text), DEFAULT_KIT_DIR, Path::new(PAVED_TOML))?.into_bytes();
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(())
}

/// Writes a new kit at the workspace root, records it in the root's `paved.toml` and adds
/// it to `manifest_text` (the workspace `Cargo.toml`, read when not yet edited).
fn write_shared_kit(kit: &SharedKit, manifest_text: &mut Option<String>) -> Result<()> {
    if kit.exists {
        return Ok(());
    }
    let manifest = kit.root.join("Cargo.toml");
    let text = match manifest_text.take() {
        Some(text) => text,
        None => std::fs::read_to_string(&manifest)
            .map_err(|e| Error::io("read", manifest.clone(), e))?,
    };
    *manifest_text = Some(workspace::add_member(&text, &kit.dir_rel, &manifest)?);
    let files = kit::files("");
    let parent = kit.dir.parent().unwrap_or(&kit.root);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    write::write_all(parent, &kit.dir, &files, |_| Ok(VcsOutcome::Skipped))?;
    let paved_toml = kit.root.join(PAVED_TOML);
    let existing = std::fs::read_to_string(&paved_toml).ok();
    let recorded = kit::record_dir(existing.as_deref(), &kit.dir_rel, &paved_toml)?;
    if let Err(e) = std::fs::write(&paved_toml, recorded) {
        let _ = std::fs::remove_dir_all(&kit.dir);
        return Err(Error::io("write", paved_toml, e));
    }
    Ok(())
}
