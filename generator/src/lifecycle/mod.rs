//! The road after day one: `paved upgrade`, `paved check` and `paved adopt` (see
//! docs/templates.md, "Upgrading services").
//!
//! A service's `paved.toml` records the template name, version and answers that made it.
//! An upgrade renders that version again with those answers (the *base*), renders the
//! template of the running paved with the same answers (*theirs*), and merges the
//! template's change into the service as it is (*ours*) file by file, following each
//! file's policy (`[files]` in `template.toml`). The house kit is managed: it is brought
//! to the running paved's kit as a whole.

mod adopt;
mod apply;
mod check;
mod discover;
mod kit_sync;
mod merge;
mod pending;
mod plan;
mod shape;
mod sources;

pub use adopt::{Adoption, FileComparison, adopt};
pub use apply::{Applied, apply};
pub use check::{FileDrift, ServiceStatus, Status, check};
pub use discover::discover;
pub use merge::has_conflict_markers;
pub use pending::{Finished, PENDING_FILE, finish};
pub use plan::{Change, ChangeKind, Note, Plan, plan};
pub use sources::Sources;

/// A unified diff of two versions of a file, for `--dry-run` and `paved check`; `None`
/// when one side is not UTF-8 text.
pub fn unified_diff(path: &str, before: Option<&[u8]>, after: Option<&[u8]>) -> Option<String> {
    let before = std::str::from_utf8(before.unwrap_or_default()).ok()?;
    let after = std::str::from_utf8(after.unwrap_or_default()).ok()?;
    let mut options = diffy::DiffOptions::new();
    options
        .set_original_filename(format!("a/{path}"))
        .set_modified_filename(format!("b/{path}"));
    Some(options.create_patch(before, after).to_string())
}
