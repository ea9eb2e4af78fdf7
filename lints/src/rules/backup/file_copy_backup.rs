use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a live database file copied with `std::fs::copy`/`tokio::fs::copy`/`fs::copy` where either path argument is a literal or a variable whose name mentions `db`/`sqlite`/`database`; use the online backup API
    pub struct FileCopyBackup {
        name: "file-copy-backup",
        group: Backup,
        level: Deny,
        scope: NotInTests,
        summary: "a live database file copied with `std::fs::copy`/`tokio::fs::copy`/`fs::copy` where either path argument is a literal or a variable whose na",
    }
}

impl Rule for FileCopyBackup {}
