//! `paved check`: is each service up to date with the running paved's template and kit,
//! and which files paved manages were edited.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::kit_sync;
use super::merge::has_conflict_markers;
use super::pending::PENDING_FILE;
use super::plan::{ChangeKind, build_from, prepare, read_optional, recorded};
use super::sources::Sources;
use super::unified_diff;
use crate::error::Result;
use crate::manifest::Policy;

/// The state of one service.
#[derive(Debug, Clone)]
pub struct ServiceStatus {
    /// The service folder.
    pub dir: PathBuf,
    /// The template's name.
    pub template: String,
    /// The version recorded in `paved.toml`.
    pub recorded: String,
    /// The version of the running paved's template.
    pub current: String,
    /// Managed files (the template's and the kit's) that differ from what paved wrote.
    pub drifted: Vec<FileDrift>,
    /// Files an upgrade would change.
    pub outdated: Vec<String>,
    /// The kit is not the running paved's.
    pub kit_outdated: bool,
    /// An upgrade stopped on conflicts; these files still hold conflict markers.
    pub pending: Option<Vec<String>>,
}

/// A managed file that differs from what paved wrote.
#[derive(Debug, Clone)]
pub struct FileDrift {
    /// Path relative to the service folder.
    pub path: String,
    /// From what paved wrote to the file as it is (`None` when not text, or unknown).
    pub diff: Option<String>,
}

/// The verdict for a service, in the order of precedence of `paved check`'s exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Up to date, nothing managed edited.
    Clean,
    /// A newer template or kit is available (exit code 3).
    Outdated,
    /// Managed files were edited, or conflicts are left (exit code 1).
    Drift,
}

impl ServiceStatus {
    /// The verdict.
    pub fn status(&self) -> Status {
        let conflicts = self.pending.as_ref().is_some_and(|p| !p.is_empty());
        if !self.drifted.is_empty() || conflicts {
            Status::Drift
        } else if self.pending.is_some()
            || self.recorded != self.current
            || self.kit_outdated
            || !self.outdated.is_empty()
        {
            Status::Outdated
        } else {
            Status::Clean
        }
    }
}

/// Checks the service at `dir`.
pub fn check(dir: &Path, sources: &mut Sources) -> Result<ServiceStatus> {
    if let Some(pending) = read_optional(&dir.join(PENDING_FILE))? {
        return pending_status(dir, sources, &pending);
    }
    let prepared = prepare(dir, sources, &BTreeMap::new())?;
    let mut drifted = Vec::new();
    let base_manifest = prepared.base_template.manifest();
    for file in &prepared.base.files {
        if base_manifest.policy(&prepared.recorded.name, &file.path) != Policy::Managed {
            continue;
        }
        let ours = read_optional(&dir.join(&file.path))?;
        if ours.as_deref() != Some(file.contents.as_slice()) {
            drifted.push(FileDrift {
                path: file.path.clone(),
                diff: unified_diff(&file.path, Some(&file.contents), ours.as_deref()),
            });
        }
    }
    let mut kit_outdated = false;
    if let Some(kit_dir) = prepared.shape.kit_dir() {
        let state = kit_sync::state(&dir.join(kit_dir));
        kit_outdated = state.outdated;
        let prefix = kit_dir.trim_end_matches('/');
        for file in state.files.iter().filter(|f| f.edited) {
            let path = format!("{prefix}/{}", file.path);
            // Only an up-to-date kit knows what paved wrote, byte for byte.
            let diff = (!state.outdated)
                .then(|| unified_diff(&path, file.theirs.as_deref(), file.ours.as_deref()))
                .flatten();
            drifted.push(FileDrift { path, diff });
        }
    }
    let recorded_version = prepared.recorded.version.clone();
    let template = prepared.recorded.template.clone();
    let plan = build_from(dir, prepared)?;
    let outdated = plan
        .changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Overwritten && c.kind != ChangeKind::Provenance)
        .filter(|c| !drifted.iter().any(|d| d.path == c.path))
        .map(|c| c.path.clone())
        .collect();
    Ok(ServiceStatus {
        dir: dir.to_path_buf(),
        template,
        recorded: recorded_version,
        current: plan.to,
        drifted,
        outdated,
        kit_outdated,
        pending: None,
    })
}

fn pending_status(dir: &Path, sources: &mut Sources, pending: &[u8]) -> Result<ServiceStatus> {
    let recorded = recorded(dir)?;
    let current = sources.current(&recorded.template)?;
    let text = String::from_utf8_lossy(pending);
    let listed: Vec<String> = text
        .parse::<toml_edit::DocumentMut>()
        .ok()
        .and_then(|doc| {
            let list = doc.get("conflicts")?.as_array()?.clone();
            Some(
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            )
        })
        .unwrap_or_default();
    let mut unresolved = Vec::new();
    for path in listed {
        if read_optional(&dir.join(&path))?.is_some_and(|b| has_conflict_markers(&b)) {
            unresolved.push(path);
        }
    }
    Ok(ServiceStatus {
        dir: dir.to_path_buf(),
        template: recorded.template,
        recorded: recorded.version,
        current: current.manifest().version.clone(),
        drifted: Vec::new(),
        outdated: Vec::new(),
        kit_outdated: false,
        pending: Some(unresolved),
    })
}
