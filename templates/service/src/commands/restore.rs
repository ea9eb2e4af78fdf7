//! `restore FILE`: verify a backup, then make it the live database.

use super::CommandError;
use crate::config::Settings;
use crate::storage::{BackupHook, SqliteBackup};
use std::path::Path;

pub fn run(settings: &Settings, file: &Path) -> Result<(), CommandError> {
    let hook = SqliteBackup::new(
        &settings.storage.path,
        &settings.backup.dir,
        settings.backup.keep,
    );
    hook.restore(file)?;
    tracing::info!(
        file = %file.display(),
        database = %settings.storage.path.display(),
        "database restored"
    );
    Ok(())
}
