//! The house kit in an upgrade and a check: managed as a whole. Its recorded checksums
//! (`.paved-kit.sha256`) say what paved wrote; the running paved's kit is what it would
//! write now.

use std::collections::BTreeMap;
use std::path::Path;

use crate::kit::{CHECKSUMS_FILE, checksums, files, sha256_hex};

/// One kit file that differs from the running paved's kit.
#[derive(Debug, Clone)]
pub(crate) struct KitFile {
    /// Path inside the kit folder.
    pub(crate) path: String,
    /// On disk now.
    pub(crate) ours: Option<Vec<u8>>,
    /// What the running paved's kit has (`None`: the kit no longer has it).
    pub(crate) theirs: Option<Vec<u8>>,
    /// The file on disk is not what paved wrote (local edit, or gone).
    pub(crate) edited: bool,
}

/// The kit at `dir` compared with the running paved's kit.
#[derive(Debug, Clone, Default)]
pub(crate) struct KitState {
    /// Files to write or remove to bring the kit to the running paved's.
    pub(crate) files: Vec<KitFile>,
    /// The recorded checksums are not the running paved's (the kit is outdated).
    pub(crate) outdated: bool,
    /// The checksums file as the running paved writes it, and as it is.
    pub(crate) checksums: (String, Option<Vec<u8>>),
}

/// Reads `sha256sum` lines into path -> hash.
fn recorded(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(hash, path)| (path.to_owned(), hash.to_owned()))
        .collect()
}

pub(crate) fn state(dir: &Path) -> KitState {
    let current_sums = checksums();
    let on_disk_sums = std::fs::read(dir.join(CHECKSUMS_FILE)).ok();
    let recorded = recorded(&String::from_utf8_lossy(
        on_disk_sums.as_deref().unwrap_or_default(),
    ));
    let mut state = KitState {
        outdated: on_disk_sums.as_deref() != Some(current_sums.as_bytes()),
        checksums: (current_sums, on_disk_sums),
        ..KitState::default()
    };
    let current = files("");
    for file in current.iter().filter(|f| f.path != CHECKSUMS_FILE) {
        let ours = std::fs::read(dir.join(&file.path)).ok();
        let edited = is_edited(&recorded, &file.path, ours.as_deref());
        if ours.as_deref() != Some(file.contents.as_slice()) {
            state.files.push(KitFile {
                path: file.path.clone(),
                ours,
                theirs: Some(file.contents.clone()),
                edited,
            });
        }
    }
    for path in recorded.keys() {
        if current.iter().any(|f| &f.path == path) {
            continue;
        }
        let ours = std::fs::read(dir.join(path)).ok();
        if ours.is_some() {
            state.files.push(KitFile {
                path: path.clone(),
                edited: is_edited(&recorded, path, ours.as_deref()),
                ours,
                theirs: None,
            });
        }
    }
    state
}

/// Whether the file is not what paved recorded writing.
fn is_edited(recorded: &BTreeMap<String, String>, path: &str, ours: Option<&[u8]>) -> bool {
    match (recorded.get(path), ours) {
        (Some(hash), Some(ours)) => *hash != sha256_hex(ours),
        (Some(_), None) => true,
        // Not recorded: a file the recorded kit did not have.
        (None, ours) => ours.is_some(),
    }
}
