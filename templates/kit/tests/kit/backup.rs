//! Backups: a round trip with the data checked, refusals that leave the live
//! database alone, restoring onto nothing, and retention.

use crate::common::{MIGRATIONS, TempDir};
use sha2::{Digest, Sha256};
use std::path::Path;

use paved_kit::sqlite::{BackupError, BackupHook, Db, DbOptions, SqliteBackup};

fn open(path: &Path) -> Db {
    Db::open(path, DbOptions::default(), MIGRATIONS).unwrap()
}

async fn texts(db: &Db) -> Vec<String> {
    db.read(|conn| {
        let mut statement = conn.prepare("SELECT text FROM notes ORDER BY id")?;
        statement.query_map([], |row| row.get(0))?.collect()
    })
    .await
    .unwrap()
}

async fn add(db: &Db, text: &str) {
    let text = text.to_owned();
    db.run(move |conn| conn.execute("INSERT INTO notes (text) VALUES (?1)", [text]))
        .await
        .unwrap();
}

fn backup_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        // The lock file that keeps two backups apart.
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn backup_then_restore_brings_the_data_back() {
    let dir = TempDir::new();
    let db_path = dir.path().join("live.db");
    let hook = SqliteBackup::new(&db_path, dir.path().join("backups"), 3);
    let store = open(&db_path);
    add(&store, "kept").await;

    let file = hook.backup().unwrap();
    assert!(file.exists());
    let sums = std::fs::read_to_string(file.with_extension("db.sha256")).unwrap();
    assert_eq!(
        sums.split_whitespace().count(),
        2,
        "sha256sum format: {sums}"
    );

    add(&store, "lost").await;
    assert_eq!(texts(&store).await, ["kept", "lost"]);

    hook.restore(&file).unwrap();
    // The running service's connection sees the restored data.
    assert_eq!(texts(&store).await, ["kept"]);
}

#[tokio::test]
async fn restore_works_without_a_live_database() {
    let dir = TempDir::new();
    let old_path = dir.path().join("old.db");
    let store = open(&old_path);
    add(&store, "survivor").await;
    let file = SqliteBackup::new(&old_path, dir.path().join("backups"), 3)
        .backup()
        .unwrap();

    let new_path = dir.path().join("fresh/host/live.db");
    SqliteBackup::new(&new_path, dir.path().join("backups"), 3)
        .restore(&file)
        .unwrap();
    let restored = open(&new_path);
    assert_eq!(texts(&restored).await, ["survivor"]);
}

#[tokio::test]
async fn tampered_backup_is_refused_and_nothing_is_replaced() {
    let dir = TempDir::new();
    let db_path = dir.path().join("live.db");
    let hook = SqliteBackup::new(&db_path, dir.path().join("backups"), 3);
    let store = open(&db_path);
    add(&store, "original").await;
    let file = hook.backup().unwrap();

    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    add(&store, "newer").await;

    let error = hook.restore(&file).unwrap_err();
    assert!(
        matches!(error, BackupError::ChecksumMismatch { .. }),
        "{error}"
    );
    assert_eq!(texts(&store).await, ["original", "newer"]);
}

#[tokio::test]
async fn corrupt_backup_with_matching_checksum_is_refused() {
    let dir = TempDir::new();
    let db_path = dir.path().join("live.db");
    let hook = SqliteBackup::new(&db_path, dir.path().join("backups"), 3);
    let store = open(&db_path);
    add(&store, "original").await;

    // Not a database at all, with a checksum that matches it.
    let bogus = dir.path().join("bogus.db");
    std::fs::write(&bogus, vec![0x42; 8192]).unwrap();
    let sum: String = Sha256::digest(std::fs::read(&bogus).unwrap())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    std::fs::write(
        dir.path().join("bogus.db.sha256"),
        format!("{sum}  bogus.db\n"),
    )
    .unwrap();

    let error = hook.restore(&bogus).unwrap_err();
    assert!(matches!(error, BackupError::Corrupt { .. }), "{error}");
    assert_eq!(texts(&store).await, ["original"]);
}

#[tokio::test]
async fn only_the_newest_backups_are_kept() {
    let dir = TempDir::new();
    let db_path = dir.path().join("live.db");
    let backups = dir.path().join("backups");
    let hook = SqliteBackup::new(&db_path, &backups, 2);
    let store = open(&db_path);
    add(&store, "x").await;

    let mut written = Vec::new();
    for _ in 0..4 {
        written.push(hook.backup().unwrap());
        // Backups are named by the millisecond.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let names = backup_files(&backups);
    assert_eq!(names.len(), 4, "two backups, two checksums: {names:?}");
    for kept in &written[2..] {
        assert!(kept.exists(), "{} kept", kept.display());
    }
    for gone in &written[..2] {
        assert!(!gone.exists(), "{} deleted", gone.display());
    }
}

#[tokio::test]
async fn leftovers_of_a_killed_backup_are_removed_by_the_next() {
    let dir = TempDir::new();
    let db_path = dir.path().join("live.db");
    let backups = dir.path().join("backups");
    let hook = SqliteBackup::new(&db_path, &backups, 3);
    let store = open(&db_path);
    add(&store, "x").await;
    std::fs::create_dir_all(&backups).unwrap();
    for leftover in [
        "live-20260101T000000.000Z.db.partial",
        "live-20260101T000000.000Z.db.partial-journal",
    ] {
        std::fs::write(backups.join(leftover), b"half a copy").unwrap();
    }

    let file = hook.backup().unwrap();
    let names = backup_files(&backups);
    assert!(
        names.iter().all(|name| !name.contains(".partial")),
        "{names:?}"
    );
    assert!(file.exists());
}

#[tokio::test]
async fn backup_finishes_while_another_connection_keeps_writing() {
    let dir = TempDir::new();
    let db_path = dir.path().join("live.db");
    let hook = SqliteBackup::new(&db_path, dir.path().join("backups"), 3);
    let store = open(&db_path);
    for n in 0..2_000 {
        add(&store, &format!("note {n}")).await;
    }
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (store, writing) = (store.clone(), std::sync::Arc::clone(&writing));
        tokio::spawn(async move {
            let mut written = 0_u64;
            while writing.load(std::sync::atomic::Ordering::Relaxed) {
                add(&store, "during the backup").await;
                written += 1;
            }
            written
        })
    };
    let started = std::time::Instant::now();
    let file = tokio::task::spawn_blocking(move || hook.backup())
        .await
        .unwrap()
        .unwrap();
    let took = started.elapsed();
    writing.store(false, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(file.exists());
    assert!(
        took < std::time::Duration::from_secs(10),
        "took {took:?} ({written} writes meanwhile)"
    );
}
