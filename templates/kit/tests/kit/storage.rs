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
