//! Backups: the `BackupHook` trait every stateful service implements, and its
//! SQLite implementation on SQLite's online backup API (a consistent copy while
//! the service keeps writing; never a file copy of a live database).
//!
//! The copy is made in one step, inside one read transaction: in WAL mode the
//! service's writes go on beside it, and the copy cannot be restarted by them
//! (copied page by page with pauses in between, SQLite starts over whenever
//! the database changes between two steps, so under steady writes it never
//! finishes). It is written under a `.partial` name and renamed when
//! complete; leftovers of a killed backup are removed by the next one.

use super::{checksum, db, timestamp};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, MAIN_DB, OpenFlags, backup::NO_PROGRESS};
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Marks files a backup writes before renaming them into place.
const PARTIAL: &str = ".partial";
/// Held while a backup runs, so two never write (or clean up) at once.
const LOCK_FILE: &str = ".backup.lock";
/// How long the copy waits for a lock it cannot get at once.
const BUSY_LIMIT: Duration = Duration::from_secs(30);

/// How a service's data is backed up and restored. `NAME backup` and
/// `NAME restore FILE` call it; `deploy/NAME-backup.timer` runs the former.
pub trait BackupHook {
    /// Writes a consistent copy of the data and its checksum file, deletes
    /// backups beyond the retention, and returns the copy's path.
    fn backup(&self) -> Result<PathBuf, BackupError>;

    /// Verifies `file` (checksum, integrity) and only then replaces the live
    /// data with it. Works when the live data is missing.
    fn restore(&self, file: &Path) -> Result<(), BackupError>;
}

#[derive(Debug)]
pub enum BackupError {
    /// The live database is not there to back up.
    MissingDatabase(PathBuf),
    /// Another backup into the same folder is running.
    AlreadyRunning(PathBuf),
    /// The file's contents do not match its `.sha256` file.
    ChecksumMismatch {
        file: PathBuf,
        expected: String,
        actual: String,
    },
    /// SQLite's `PRAGMA integrity_check` did not answer `ok`.
    Corrupt { file: PathBuf, report: String },
    Io {
        what: String,
        source: std::io::Error,
    },
    Sqlite {
        what: String,
        source: rusqlite::Error,
    },
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingDatabase(path) => write!(f, "no database at {}", path.display()),
            Self::AlreadyRunning(dir) => {
                write!(f, "another backup into {} is running", dir.display())
            }
            Self::ChecksumMismatch {
                file,
                expected,
                actual,
            } => write!(
                f,
                "{} does not match its checksum (expected {expected}, found {actual})",
                file.display()
            ),
            Self::Corrupt { file, report } => {
                write!(f, "{} fails the integrity check: {report}", file.display())
            }
            Self::Io { what, source } => write!(f, "{what}: {source}"),
            Self::Sqlite { what, source } => write!(f, "{what}: {source}"),
        }
    }
}

impl std::error::Error for BackupError {}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

fn sqlite(what: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Sqlite { what, source }
}

/// Backs up the SQLite database at `db_path` into `dir`, keeping `keep`.
#[derive(Debug, Clone)]
pub struct SqliteBackup {
    db_path: PathBuf,
    dir: PathBuf,
    keep: usize,
}

impl SqliteBackup {
    pub fn new(db_path: impl Into<PathBuf>, dir: impl Into<PathBuf>, keep: usize) -> Self {
        Self {
            db_path: db_path.into(),
            dir: dir.into(),
            keep: keep.max(1),
        }
    }

    /// Backup files are `<db stem>-<UTC timestamp>.db`.
    fn prefix(&self) -> String {
        let stem = self
            .db_path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".to_owned());
        format!("{stem}-")
    }

    /// Deletes the oldest backups (and their checksums) beyond `keep`.
    fn prune(&self) -> Result<(), BackupError> {
        let prefix = self.prefix();
        let mut backups: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map_err(io(format!("cannot list {}", self.dir.display())))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with(&prefix) && name.ends_with(".db"))
            })
            .collect();
        // Timestamps sort as text: oldest first.
        backups.sort();
        let excess = backups.len().saturating_sub(self.keep);
        for old in &backups[..excess] {
            for path in [old.clone(), checksum::path_for(old)] {
                match std::fs::remove_file(&path) {
                    Ok(()) => tracing::info!(path = %path.display(), "old backup deleted"),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => {
                        return Err(io(format!("cannot delete {}", path.display()))(error));
                    }
                }
            }
        }
        Ok(())
    }

    /// Takes the backup folder's lock; released when the file is dropped.
    fn lock(&self) -> Result<File, BackupError> {
        let path = self.dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(format!("cannot open {}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(BackupError::AlreadyRunning(self.dir.clone()))
            }
            Err(std::fs::TryLockError::Error(error)) => {
                Err(io(format!("cannot lock {}", path.display()))(error))
            }
        }
    }

    /// Deletes what killed backups left behind (`*.partial*`). Only called
    /// with the lock held, so never another backup's files.
    fn remove_partials(&self) -> Result<(), BackupError> {
        let entries = std::fs::read_dir(&self.dir)
            .map_err(io(format!("cannot list {}", self.dir.display())))?;
        for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
            let is_partial = path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.contains(PARTIAL));
            if is_partial {
                std::fs::remove_file(&path)
                    .map_err(io(format!("cannot delete {}", path.display())))?;
                tracing::info!(path = %path.display(), "unfinished backup deleted");
            }
        }
        Ok(())
    }

    /// Copies the live database into `partial` in one step.
    fn copy_to(&self, partial: &Path) -> Result<(), BackupError> {
        let source = db::open_connection(&self.db_path).map_err(sqlite("cannot open database"))?;
        let mut copy = Connection::open(partial)
            .map_err(sqlite(format!("cannot create {}", partial.display())))?;
        {
            let backup = Backup::new(&source, &mut copy).map_err(sqlite(format!(
                "cannot start writing {}",
                partial.display()
            )))?;
            let started = Instant::now();
            loop {
                // -1: every page in one step, under one read transaction.
                match backup.step(-1) {
                    Ok(StepResult::Done) => break,
                    Ok(_) if started.elapsed() < BUSY_LIMIT => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Ok(_) => {
                        return Err(BackupError::Io {
                            what: format!("cannot write {}", partial.display()),
                            source: std::io::Error::new(
                                std::io::ErrorKind::TimedOut,
                                "the database stayed locked",
                            ),
                        });
                    }
                    Err(error) => {
                        return Err(sqlite(format!("cannot write {}", partial.display()))(error));
                    }
                }
            }
        }
        // The copy inherits WAL mode; a self-contained file is easier to
        // move around and to verify.
        copy.pragma_update(None, "journal_mode", "DELETE")
            .map_err(sqlite(format!("cannot finish {}", partial.display())))?;
        copy.close()
            .map_err(|(_, error)| sqlite(format!("cannot close {}", partial.display()))(error))?;
        File::open(partial)
            .and_then(|file| file.sync_all())
            .map_err(io(format!("cannot sync {}", partial.display())))
    }
}

impl BackupHook for SqliteBackup {
    fn backup(&self) -> Result<PathBuf, BackupError> {
        if !self.db_path.exists() {
            return Err(BackupError::MissingDatabase(self.db_path.clone()));
        }
        std::fs::create_dir_all(&self.dir)
            .map_err(io(format!("cannot create {}", self.dir.display())))?;
        let _lock = self.lock()?;
        self.remove_partials()?;
        let file = self
            .dir
            .join(format!("{}{}.db", self.prefix(), timestamp::now_utc()));
        // Written under a temporary name, so a crash never leaves a file
        // that looks like a finished backup.
        let partial = file.with_extension("db.partial");
        self.copy_to(&partial)?;
        std::fs::rename(&partial, &file)
            .map_err(io(format!("cannot rename {}", partial.display())))?;
        checksum::write_for(&file).map_err(io(format!("cannot checksum {}", file.display())))?;
        self.prune()?;
        Ok(file)
    }

    fn restore(&self, file: &Path) -> Result<(), BackupError> {
        let expected = checksum::recorded_for(file).map_err(io(format!(
            "cannot read {}",
            checksum::path_for(file).display()
        )))?;
        let actual =
            checksum::of_file(file).map_err(io(format!("cannot read {}", file.display())))?;
        if expected != actual {
            return Err(BackupError::ChecksumMismatch {
                file: file.to_owned(),
                expected,
                actual,
            });
        }

        let copy = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sqlite(format!("cannot open {}", file.display())))?;
        let report: String = copy
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|source| BackupError::Corrupt {
                file: file.to_owned(),
                report: source.to_string(),
            })?;
        if report != "ok" {
            return Err(BackupError::Corrupt {
                file: file.to_owned(),
                report,
            });
        }
        drop(copy);

        // Verified: now replace. Through SQLite rather than a file rename, so
        // a stale -wal file can never be replayed onto the restored data.
        if let Some(dir) = self
            .db_path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))?;
        }
        let mut live =
            db::open_connection(&self.db_path).map_err(sqlite("cannot open database"))?;
        live.restore(MAIN_DB, file, NO_PROGRESS)
            .map_err(sqlite(format!("cannot restore from {}", file.display())))?;
        Ok(())
    }
}
