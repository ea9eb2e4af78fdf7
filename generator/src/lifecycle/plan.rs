//! Planning an upgrade: every file's fate, computed in memory; nothing is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::kit_sync;
use super::merge::{Outcome, decide};
use super::pending;
use super::shape::{Shape, find, render_for};
use super::sources::Sources;
use crate::Rendered;
use crate::answers::Answers;
use crate::error::{Error, Result};
use crate::kit::CHECKSUMS_FILE;
use crate::provenance::{self, PAVED_TOML, Recorded};
use crate::template::Template;

/// What an upgrade does to one service.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The service folder.
    pub dir: PathBuf,
    /// The template's name.
    pub template: String,
    /// The recorded version.
    pub from: String,
    /// The version of the running paved's template.
    pub to: String,
    /// The answers after the upgrade, as text.
    pub answers: BTreeMap<String, String>,
    /// Files to write or remove, sorted by path.
    pub changes: Vec<Change>,
    /// Files left alone that a person should look at, and answers dropped.
    pub notes: Vec<Note>,
    /// The pending-upgrade record to write when there are conflicts.
    pub(crate) pending: Option<String>,
}

/// One file an upgrade writes or removes.
#[derive(Debug, Clone)]
pub struct Change {
    /// Path relative to the service folder, `/`-separated (the shared kit is `../..`).
    pub path: String,
    /// What happens to it.
    pub kind: ChangeKind,
    /// The file now (`None`: it does not exist).
    pub before: Option<Vec<u8>>,
    /// The file after the upgrade (`None`: removed).
    pub after: Option<Vec<u8>>,
    /// Whether a new file gets the executable bit.
    pub executable: bool,
}

/// Why a file changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// The template changed it; the service had not.
    Updated,
    /// The template added it.
    Added,
    /// The template removed it; the service had not changed it.
    Removed,
    /// Both changed it; merged cleanly.
    Merged,
    /// Both changed the same lines: written with conflict markers.
    Conflict,
    /// A managed file the service had edited, overwritten.
    Overwritten,
    /// The provenance in `paved.toml`.
    Provenance,
}

impl ChangeKind {
    /// One word for listings.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Updated => "updated",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Merged => "merged",
            ChangeKind::Conflict => "conflict",
            ChangeKind::Overwritten => "overwritten",
            ChangeKind::Provenance => "recorded",
        }
    }
}

/// Something the upgrade left alone on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file (or `paved.toml` for answers).
    pub path: String,
    /// Why.
    pub message: String,
}

impl Plan {
    /// The files written with conflict markers.
    pub fn conflicts(&self) -> Vec<&str> {
        self.changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Conflict)
            .map(|c| c.path.as_str())
            .collect()
    }
}

/// Reads the provenance of the service at `dir`.
pub(crate) fn recorded(dir: &Path) -> Result<Recorded> {
    let file = dir.join(PAVED_TOML);
    let text = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
    provenance::read(&text, &file)?.ok_or_else(|| {
        Error::lifecycle(
            &file,
            "has no `[template]` table: paved does not know which template made this service",
            format!("run `paved adopt {}` first", dir.display()),
        )
    })
}

/// Plans the upgrade of the service at `dir` to the running paved's template, with
/// `overrides` changing answers (`--answer KEY=VALUE`).
pub fn plan(
    dir: &Path,
    sources: &mut Sources,
    overrides: &BTreeMap<String, String>,
) -> Result<Plan> {
    if dir.join(pending::PENDING_FILE).exists() {
        return Err(Error::lifecycle(
            dir,
            "an upgrade is in progress (it stopped on conflicts)",
            format!(
                "resolve the conflicts listed in {}, then run `paved upgrade` again to finish it",
                pending::PENDING_FILE
            ),
        ));
    }
    let prepared = prepare(dir, sources, overrides)?;
    build_from(dir, prepared)
}

/// The three sides of an upgrade, before any file is compared.
pub(crate) struct Prepared {
    pub(crate) recorded: Recorded,
    pub(crate) base_template: Arc<Template>,
    pub(crate) current: Arc<Template>,
    pub(crate) base: Rendered,
    pub(crate) theirs: Rendered,
    pub(crate) notes: Vec<Note>,
    pub(crate) shape: Shape,
}

pub(crate) fn prepare(
    dir: &Path,
    sources: &mut Sources,
    overrides: &BTreeMap<String, String>,
) -> Result<Prepared> {
    let recorded = recorded(dir)?;
    let base_template = sources.base(&recorded.template, &recorded.version)?;
    let current = sources.current(&recorded.template)?;
    let (answers, notes) = theirs_answers(&recorded, current.manifest(), overrides)?;
    let shape = Shape::read(dir);

    let base = render_for(&base_template, &recorded.name, &recorded.answers, &shape)?;
    let mut theirs = render_for(&current, &recorded.name, &answers, &shape)?;
    // Provenance is paved's to write, once the upgrade is complete: merge the rest.
    if let Some(file) = theirs.files.iter_mut().find(|f| f.path == PAVED_TOML) {
        let text = String::from_utf8_lossy(&file.contents).into_owned();
        let manifest = base_template.manifest();
        file.contents = provenance::with_table(
            &text,
            Path::new(PAVED_TOML),
            &manifest.name,
            &manifest.version,
            &recorded.name,
            &base.answers,
        )?
        .into_bytes();
    }
    Ok(Prepared {
        recorded,
        base_template,
        current,
        base,
        theirs,
        notes,
        shape,
    })
}

pub(crate) fn build_from(dir: &Path, prepared: Prepared) -> Result<Plan> {
    let Prepared {
        recorded,
        base_template,
        current,
        base,
        theirs,
        mut notes,
        shape,
        ..
    } = prepared;
    let paths: BTreeSet<&str> = base
        .files
        .iter()
        .chain(&theirs.files)
        .map(|f| f.path.as_str())
        .collect();
    let mut changes = Vec::new();
    for path in paths {
        let base_file = find(&base.files, path);
        let theirs_file = find(&theirs.files, path);
        let policy = match theirs_file {
            Some(_) => current.manifest().policy(&recorded.name, path),
            None => base_template.manifest().policy(&recorded.name, path),
        };
        let ours = read_optional(&dir.join(path))?;
        let outcome = decide(
            policy,
            base_file.map(|f| f.contents.as_slice()),
            theirs_file.map(|f| f.contents.as_slice()),
            ours.as_deref(),
        );
        let executable = theirs_file.is_some_and(|f| f.executable);
        let (kind, after) = match outcome {
            Outcome::Keep => continue,
            Outcome::Skip(reason) => {
                notes.push(Note {
                    path: path.to_owned(),
                    message: format!("kept: {reason}"),
                });
                continue;
            }
            Outcome::Take(after) => (ChangeKind::Updated, Some(after)),
            Outcome::Add(after) => (ChangeKind::Added, Some(after)),
            Outcome::Merged(after) => (ChangeKind::Merged, Some(after)),
            Outcome::Conflict(after) => (ChangeKind::Conflict, Some(after)),
            Outcome::Overwrite(after) => (ChangeKind::Overwritten, Some(after)),
            Outcome::Remove => (ChangeKind::Removed, None),
        };
        changes.push(Change {
            path: path.to_owned(),
            kind,
            before: ours,
            after,
            executable,
        });
    }
    if let Some(kit_dir) = shape.kit_dir() {
        kit_changes(dir, kit_dir, &mut changes, &mut notes);
    }

    let mut plan = Plan {
        dir: dir.to_path_buf(),
        template: recorded.template.clone(),
        from: recorded.version.clone(),
        to: current.manifest().version.clone(),
        answers: answers_text(&theirs.answers),
        changes,
        notes,
        pending: None,
    };
    record(&mut plan, &recorded, &theirs.answers)?;
    Ok(plan)
}

/// Records the new provenance: in `paved.toml` when the upgrade completes, in the
/// pending-upgrade file when it stops on conflicts.
fn record(plan: &mut Plan, recorded: &Recorded, answers: &Answers) -> Result<()> {
    let conflicts: Vec<String> = plan.conflicts().into_iter().map(str::to_owned).collect();
    if !conflicts.is_empty() {
        plan.pending = Some(pending::text(
            &plan.template,
            &plan.to,
            &recorded.name,
            answers,
            &conflicts,
        )?);
        return Ok(());
    }
    let unchanged = plan.from == plan.to && plan.answers == recorded.answers;
    if unchanged {
        return Ok(());
    }
    let index = plan.changes.iter().position(|c| c.path == PAVED_TOML);
    let current = match index {
        Some(i) => plan.changes[i].after.clone(),
        None => read_optional(&plan.dir.join(PAVED_TOML))?,
    };
    let text = String::from_utf8_lossy(current.as_deref().unwrap_or_default()).into_owned();
    let updated = provenance::with_table(
        &text,
        &plan.dir.join(PAVED_TOML),
        &plan.template,
        &plan.to,
        &recorded.name,
        answers,
    )?
    .into_bytes();
    match index {
        Some(i) => plan.changes[i].after = Some(updated),
        None => {
            let before = read_optional(&plan.dir.join(PAVED_TOML))?;
            plan.changes.push(Change {
                path: PAVED_TOML.to_owned(),
                kind: ChangeKind::Provenance,
                before,
                after: Some(updated),
                executable: false,
            });
            plan.changes.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }
    Ok(())
}

/// The answers for the new version: `--answer`, else the recorded answer (under the
/// variable's name or a name it had before), else the default.
fn theirs_answers(
    recorded: &Recorded,
    manifest: &crate::manifest::Manifest,
    overrides: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, String>, Vec<Note>)> {
    if overrides.contains_key("name") {
        return Err(Error::lifecycle(
            PAVED_TOML,
            "the service name cannot change in an upgrade",
            "rename the service by hand (package, binary, unit), then edit `[template.answers] name`",
        ));
    }
    crate::answers::check_given(manifest, overrides)?;
    let mut answers = BTreeMap::new();
    let mut used = BTreeSet::new();
    for variable in &manifest.variables {
        let names = std::iter::once(&variable.name).chain(&variable.renamed_from);
        let found = overrides.get(&variable.name).cloned().or_else(|| {
            names.clone().find_map(|n| {
                let value = recorded.answers.get(n)?;
                used.insert(n.clone());
                Some(value.clone())
            })
        });
        if let Some(value) = found {
            answers.insert(variable.name.clone(), value);
        }
    }
    let notes = recorded
        .answers
        .keys()
        .filter(|k| !used.contains(*k) && manifest.variable(k).is_none())
        .map(|key| Note {
            path: PAVED_TOML.to_owned(),
            message: format!(
                "answer `{key}` dropped: version {} of `{}` no longer asks it",
                manifest.version, manifest.name
            ),
        })
        .collect();
    Ok((answers, notes))
}

fn answers_text(answers: &Answers) -> BTreeMap<String, String> {
    answers
        .0
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

/// The kit's files as the running paved has them (the kit is managed).
fn kit_changes(dir: &Path, kit_dir: &str, changes: &mut Vec<Change>, notes: &mut Vec<Note>) {
    let state = kit_sync::state(&dir.join(kit_dir));
    let prefix = kit_dir.trim_end_matches('/');
    for file in state.files {
        let path = format!("{prefix}/{}", file.path);
        let kind = match (&file.ours, &file.theirs) {
            (Some(_), None) if file.edited => {
                notes.push(Note {
                    path,
                    message: "kept: the kit no longer has it, and it was edited".to_owned(),
                });
                continue;
            }
            (Some(_), None) => ChangeKind::Removed,
            (None, _) => ChangeKind::Added,
            _ if file.edited => ChangeKind::Overwritten,
            _ => ChangeKind::Updated,
        };
        changes.push(Change {
            path,
            kind,
            before: file.ours,
            after: file.theirs,
            executable: false,
        });
    }
    let (current, on_disk) = state.checksums;
    if on_disk.as_deref() != Some(current.as_bytes()) {
        changes.push(Change {
            path: format!("{prefix}/{CHECKSUMS_FILE}"),
            kind: if on_disk.is_some() {
                ChangeKind::Updated
            } else {
                ChangeKind::Added
            },
            before: on_disk,
            after: Some(current.into_bytes()),
            executable: false,
        });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
}

pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if path.is_dir() => Err(Error::lifecycle(
            path,
            format!("is a folder where the template has a file ({e})"),
            "move the folder away, then run the upgrade again",
        )),
        Err(e) => Err(Error::io("read", path, e)),
    }
}
