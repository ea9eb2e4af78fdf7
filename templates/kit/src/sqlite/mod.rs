//! SQLite storage (feature `sqlite`): the database threads ([`Db`]), migrations,
//! the health probe, and backups ([`BackupHook`], [`SqliteBackup`]).
//!
//! ```
//! use paved_kit::sqlite::{BackupHook, Db, DbOptions, SqliteBackup};
//!
//! let dir = std::env::temp_dir().join(format!("kit-sqlite-doc-{}", std::process::id()));
//! let _ = std::fs::remove_dir_all(&dir);
//! let path = dir.join("notes.db");
//! const MIGRATIONS: &[&str] = &["CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"];
//! let db = Db::open(&path, DbOptions::default(), MIGRATIONS)?;
//! drop(db);
//!
//! let hook = SqliteBackup::new(&path, dir.join("backups"), 7);
//! let file = hook.backup()?;
//! hook.restore(&file)?;
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod backup;
mod checksum;
mod db;
mod migrations;
mod timestamp;

pub use backup::{BackupError, BackupHook, SqliteBackup};
pub use db::{Db, DbOptions, StorageError, spawn_health_probe};
