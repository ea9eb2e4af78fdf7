//! SQLite storage: opening the database, migrations, health probe, backups.

pub mod backup;
mod checksum;
mod db;
mod migrations;
mod timestamp;

pub use backup::{BackupError, BackupHook, SqliteBackup};
pub use db::{Db, DbOptions, StorageError, spawn_health_probe};
