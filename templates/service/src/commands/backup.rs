//! `backup`: one consistent copy of the database plus its checksum.

use super::CommandError;
use crate::config::Settings;
use crate::storage::{BackupHook, SqliteBackup};

pub fn run(settings: &Settings) -> Result<(), CommandError> {
    let hook = SqliteBackup::new(
        &settings.storage.path,
        &settings.backup.dir,
        settings.backup.keep,
    );
    let file = hook.backup()?;
    tracing::info!(file = %file.display(), keep = settings.backup.keep, "backup written");
    Ok(())
}
