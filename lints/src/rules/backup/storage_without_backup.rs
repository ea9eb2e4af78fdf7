use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: the service depends on a storage crate (`rusqlite`, `sqlx`, `diesel`, `sled`, `redb`, `rocksdb`, `heed`, `fjall`) but has no backup hook: no type implementing the house backup trait (`house.backup_trait`, default `BackupHook`) and no `deploy/<crate-name>-backup.timer`
    pub struct StorageWithoutBackup {
        name: "storage-without-backup",
        group: Backup,
        level: Deny,
        scope: Service,
        summary: "the service depends on a storage crate",
    }
}

impl Rule for StorageWithoutBackup {}
