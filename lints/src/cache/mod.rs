//! The lint cache (docs/architecture.md "Cache"): phase 1's result for each file, kept
//! between runs and reused while nothing it was computed from changed.
//!
//! Phase 1 reads a file's path, its bytes, the house choices, the levels of the rules at
//! that path and whether the file is test or config code, and nothing else; an entry is
//! reused only when the file's content hash and the hash of all of those match, and only by
//! the build that wrote it. Everything after phase 1 (test modules, crate roles, crate
//! rules, suppressions, baselines, output) runs on every run, so it sees exactly what a run
//! without the cache sees.
//!
//! One file per bucket (a crate, or the folder of files outside any crate) under
//! `<cache dir>/<paved version>/`, so a run reads only the buckets it lints and rewrites only
//! those that changed. Files are replaced atomically, so concurrent runs never see a
//! partial file (the last writer wins), and a file that does not decode is read as empty.

pub(crate) mod codec;

use crate::analyze::{self, FileAnalysis, FileRole};
use crate::config::LevelSetting;
use codec::StoredEntry;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// The cache of one run.
pub(crate) struct Cache {
    root: PathBuf,
    /// `root/<paved version>`.
    dir: PathBuf,
    build: u128,
    /// Hash of the command-line levels: runs with other `--select`s keep their own files.
    run: u128,
}

/// The stored entries of one bucket, by path.
pub(crate) struct Bucket {
    file: PathBuf,
    entries: HashMap<Vec<u8>, StoredEntry>,
}

/// What the cache did for one file.
pub(crate) enum Lookup {
    /// The stored entry was used; it stays as it is.
    Hit,
    /// Analysed now; this entry replaces the stored one.
    Miss(StoredEntry),
    /// The file could not be read: nothing is stored for it.
    Unreadable,
}

impl Cache {
    /// The cache in folder `root`; `None` when this build cannot name itself (its
    /// executable cannot be found), as then no entry could be told apart from another
    /// build's.
    pub fn open(root: &Path, cli: &[LevelSetting]) -> Option<Cache> {
        let build = build_id()?;
        Some(Cache {
            root: root.to_path_buf(),
            dir: root.join(env!("CARGO_PKG_VERSION")),
            build,
            run: xxh3_128(format!("{cli:?}").as_bytes()),
        })
    }

    /// The hash of what phase 1 reads besides the file's bytes.
    pub fn settings_key(&self, role: &FileRole) -> u128 {
        let mut h = Xxh3::new();
        self.build.hash(&mut h);
        role.house.hash(&mut h);
        role.levels.hash(&mut h);
        (role.is_test, role.is_config).hash(&mut h);
        role.features.hash(&mut h);
        h.digest128()
    }

    /// The bucket of files owned by the crate or folder `owner`; empty when its file is
    /// missing or unreadable.
    pub fn load(&self, owner: &Path) -> Bucket {
        let abs = std::path::absolute(owner).unwrap_or_else(|_| owner.to_path_buf());
        let mut h = Xxh3::new();
        self.run.hash(&mut h);
        abs.hash(&mut h);
        let file = self.dir.join(format!("{:032x}.bin", h.digest128()));
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| codec::decode_file(self.build, &bytes))
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.path.clone(), e))
            .collect();
        Bucket { file, entries }
    }

    /// Writes a bucket back when this run changed it. `results` are the lookups of the files
    /// of the run in it; with `complete`, the run saw every file of the bucket, and entries
    /// of files it did not see (deleted, renamed) are dropped.
    pub fn save(
        &self,
        mut bucket: Bucket,
        results: Vec<(Vec<u8>, Lookup)>,
        complete: bool,
    ) -> std::io::Result<()> {
        let mut changed = false;
        let mut entries = Vec::with_capacity(results.len());
        for (key, lookup) in results {
            match lookup {
                Lookup::Hit => entries.extend(bucket.entries.remove(&key)),
                Lookup::Miss(entry) => {
                    bucket.entries.remove(&key);
                    entries.push(entry);
                    changed = true;
                }
                Lookup::Unreadable => changed |= bucket.entries.remove(&key).is_some(),
            }
        }
        if complete {
            changed |= !bucket.entries.is_empty();
        } else {
            entries.extend(bucket.entries.into_values());
        }
        if !changed {
            return Ok(());
        }
        self.prepare()?;
        crate::atomic::write(&bucket.file, &codec::encode_file(self.build, &entries))
    }

    /// Creates the folders, with a `.gitignore` that keeps the cache out of git and a
    /// `CACHEDIR.TAG` that keeps it out of backups, as other tools' caches do.
    fn prepare(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let marks: [(&str, &[u8]); 2] = [
            (".gitignore", b"# Created by paved: the lint cache is not shared.\n*\n"),
            (
                "CACHEDIR.TAG",
                b"Signature: 8a477f597d28d172789f06886806bc55\n# paved's lint cache (paved lint --no-cache skips it).\n",
            ),
        ];
        for (name, text) in marks {
            let path = self.root.join(name);
            if !path.exists() {
                crate::atomic::write(&path, text)?;
            }
        }
        Ok(())
    }
}

impl Bucket {
    /// Phase 1 for one file through the cache: the stored analysis when the file and the
    /// settings are those it was computed from, else a fresh one.
    pub fn analyze(&self, path: &Path, role: &FileRole, settings: u128) -> (FileAnalysis, Lookup) {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return (analyze::cannot_read(path, role, &e), Lookup::Unreadable),
        };
        let content = xxh3_128(&bytes);
        let key = path_key(path);
        let stored = self
            .entries
            .get(key)
            .filter(|e| e.content == content && e.settings == settings)
            .and_then(|e| postcard::from_bytes::<FileAnalysis>(&e.data).ok());
        if let Some(analysis) = stored {
            return (analysis, Lookup::Hit);
        }
        let analysis = analyze::analyze_bytes(path, bytes, role);
        let entry = StoredEntry {
            path: key.to_vec(),
            content,
            settings,
            data: postcard::to_allocvec(&analysis).unwrap_or_default(),
        };
        (analysis, Lookup::Miss(entry))
    }
}

/// A path as a key: its bytes as the walk spelled it.
pub(crate) fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// Names this build: the paved version and the size and time of its executable, so that a
/// rebuilt binary (a new rule, a fixed bug) never reads what an older one stored.
fn build_id() -> Option<u128> {
    static ID: OnceLock<Option<u128>> = OnceLock::new();
    *ID.get_or_init(|| {
        let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let modified = meta.modified().ok()?;
        let mut h = Xxh3::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        meta.len().hash(&mut h);
        modified.hash(&mut h);
        Some(h.digest128())
    })
}
