//! The database threads: reads run beside a long read instead of behind it.

use crate::common::{MIGRATIONS, TempDir};
use std::time::{Duration, Instant};

use paved_kit::sqlite::{Db, DbOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_does_not_wait_for_a_long_read() {
    let dir = TempDir::new();
    let db = Db::open(
        &dir.path().join("live.db"),
        DbOptions::default(),
        MIGRATIONS,
    )
    .unwrap();
    let long = {
        let db = db.clone();
        tokio::spawn(async move {
            db.read(|_conn| {
                std::thread::sleep(Duration::from_millis(1500));
                Ok(())
            })
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let count: i64 = db
        .read(|conn| conn.query_row("SELECT count(*) FROM notes", [], |row| row.get(0)))
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(count, 0);
    assert!(waited < Duration::from_millis(1000), "waited {waited:?}");
    long.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_lookup_sees_every_acknowledged_write() {
    let dir = TempDir::new();
    let options = DbOptions {
        read_connections: 1,
        ..DbOptions::default()
    };
    let db = Db::open(&dir.path().join("live.db"), options, MIGRATIONS).unwrap();
    for n in 1..=3_i64 {
        let id = db
            .run(move |conn| {
                conn.execute("INSERT INTO notes (text) VALUES (?1)", [n.to_string()])?;
                Ok(conn.last_insert_rowid())
            })
            .await
            .unwrap();
        let text: String = db
            .lookup(move |conn| {
                conn.query_row("SELECT text FROM notes WHERE id = ?1", [id], |row| {
                    row.get(0)
                })
            })
            .await
            .unwrap();
        assert_eq!(text, n.to_string());
    }
}

#[tokio::test]
async fn a_lookup_cannot_write() {
    let dir = TempDir::new();
    let db = Db::open(
        &dir.path().join("live.db"),
        DbOptions::default(),
        MIGRATIONS,
    )
    .unwrap();
    let written = db
        .lookup(|conn| conn.execute("INSERT INTO notes (text) VALUES ('x')", []))
        .await;
    assert!(written.is_err());
    let count: i64 = db
        .read(|conn| conn.query_row("SELECT count(*) FROM notes", [], |row| row.get(0)))
        .await
        .unwrap();
    assert_eq!(count, 0);
}
