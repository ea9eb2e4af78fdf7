//! An upgrade that stopped on conflicts: the files hold conflict markers, the new
//! provenance waits in [`PENDING_FILE`] until the conflicts are resolved and
//! `paved upgrade` runs again. Until then `paved.toml` keeps the old version, so the
//! upgrade counts as not done.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, value};

use super::merge::has_conflict_markers;
use super::plan::read_optional;
use crate::answers::Answers;
use crate::error::{Error, Result};
use crate::provenance::{self, PAVED_TOML};

/// The pending-upgrade record, at the root of the service.
pub const PENDING_FILE: &str = ".paved-upgrade.toml";

const HEADER: &str = "# `paved upgrade` stopped on conflicts. Resolve them in the files below (look for\n# <<<<<<<), then run `paved upgrade` again: it records the new version in paved.toml\n# and removes this file.\n";

/// The record's text: the new `[template]` table and the conflicted files.
pub(crate) fn text(
    template: &str,
    version: &str,
    name: &str,
    answers: &Answers,
    conflicts: &[String],
) -> Result<String> {
    let mut doc: DocumentMut = HEADER.parse().expect("comments only");
    let mut list = Array::new();
    list.extend(conflicts.iter().map(String::as_str));
    doc.insert("conflicts", value(list));
    let text = doc.to_string();
    provenance::with_table(
        &text,
        Path::new(PENDING_FILE),
        template,
        version,
        name,
        answers,
    )
}

/// What finishing a pending upgrade did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finished {
    /// No upgrade was pending.
    NothingPending,
    /// These files still hold conflict markers; nothing was changed.
    Unresolved(Vec<String>),
    /// The new version is recorded.
    Recorded {
        /// The version now recorded.
        version: String,
    },
}

/// Finishes the pending upgrade of the service at `dir` when its conflicts are resolved.
pub fn finish(dir: &Path) -> Result<Finished> {
    let pending_path = dir.join(PENDING_FILE);
    let Some(bytes) = read_optional(&pending_path)? else {
        return Ok(Finished::NothingPending);
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let corrupt = |what: &str| {
        Error::lifecycle(
            &pending_path,
            what.to_owned(),
            "fix the file, or remove it and run `paved upgrade` again from the start",
        )
    };
    let doc: DocumentMut = text.parse().map_err(|_| corrupt("is not valid TOML"))?;
    let conflicts: Vec<String> = doc
        .get("conflicts")
        .and_then(Item::as_array)
        .ok_or_else(|| corrupt("has no `conflicts` list"))?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut unresolved = Vec::new();
    for path in &conflicts {
        if read_optional(&dir.join(path))?.is_some_and(|b| has_conflict_markers(&b)) {
            unresolved.push(path.clone());
        }
    }
    if !unresolved.is_empty() {
        return Ok(Finished::Unresolved(unresolved));
    }
    let recorded = provenance::read(&text, &pending_path)?
        .ok_or_else(|| corrupt("has no `[template]` table"))?;
    let paved_toml = dir.join(PAVED_TOML);
    let current =
        std::fs::read_to_string(&paved_toml).map_err(|e| Error::io("read", &paved_toml, e))?;
    let updated = provenance::copy_table(&text, &current, &paved_toml)?;
    super::apply::write_atomic(&paved_toml, updated.as_bytes(), false)?;
    std::fs::remove_file(&pending_path).map_err(|e| Error::io("remove", &pending_path, e))?;
    Ok(Finished::Recorded {
        version: recorded.version,
    })
}
