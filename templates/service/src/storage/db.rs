//! The database handle shared by handlers: one connection behind a mutex,
//! used from tokio's blocking pool.

use super::migrations;
use crate::envelope::ApiError;
use crate::health::Health;
use rusqlite::Connection;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a statement waits for a lock held by another connection (a
/// running backup or restore) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    path: Arc<Path>,
}

#[derive(Debug)]
pub struct StorageError(String);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

impl Db {
    /// Opens (creating it and its folder if needed) the database at `path`,
    /// switches it to WAL and applies pending migrations.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let fail = |what: &str, error: &dyn fmt::Display| {
            StorageError(format!("{what} {}: {error}", path.display()))
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail("cannot create folder for", &e))?;
        }
        let mut conn = open_connection(path).map_err(|e| fail("cannot open", &e))?;
        migrations::run(&mut conn).map_err(|e| fail("cannot migrate", &e))?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: Arc::from(path),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `query` on the blocking pool. A failure is logged and answers 500.
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let outcome = tokio::task::spawn_blocking(move || {
            let conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            query(&conn)
        })
        .await;
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                tracing::error!(%error, "database query failed");
                Err(ApiError::internal())
            }
            Err(error) => {
                tracing::error!(%error, "database task failed");
                Err(ApiError::internal())
            }
        }
    }

    /// Is the database usable? Blocking; call from the blocking pool.
    pub fn check(&self) -> Result<(), String> {
        // A deleted file keeps working through the open handle while every
        // write goes to an unlinked inode: catch that, it loses data.
        if !self.path.exists() {
            return Err(format!("database file {} is missing", self.path.display()));
        }
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })
        .map(drop)
        .map_err(|error| format!("database query failed: {error}"))
    }
}

pub(super) fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers never block the writer, and backups run beside both.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Refreshes `health` from `db.check()` every `interval`, after a first check
/// right away.
pub fn spawn_health_probe(db: Db, health: Health, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        loop {
            ticks.tick().await;
            let probe = db.clone();
            let status = tokio::task::spawn_blocking(move || probe.check())
                .await
                .unwrap_or_else(|error| Err(format!("health probe failed: {error}")));
            if let Err(reason) = &status {
                tracing::warn!(%reason, "storage unhealthy");
            }
            health.set(status);
        }
    });
}
