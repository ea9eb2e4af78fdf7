//! Services with state back it up consistently, on a schedule.

pub mod file_copy_backup;
pub mod storage_without_backup;
