//! The database handle shared by handlers. One thread owns the connection and
//! runs the queries sent to it, in order; handlers await the answers.
//!
//! Why a thread of its own rather than `spawn_blocking` per query: queries
//! never run on the threads that serve requests, and under load the database
//! thread takes query after query without sleeping in between, where a
//! blocking-pool task per query pays thread wake-ups and a fight over the one
//! connection every time.

use super::migrations;
use crate::envelope::ApiError;
use crate::health::Health;
use rusqlite::Connection;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::oneshot;

/// How long a statement waits for a lock held by another connection (a
/// running backup or restore) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// Cheap to clone; the database thread stops when the last clone is dropped.
#[derive(Clone)]
pub struct Db {
    jobs: mpsc::Sender<Job>,
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
    /// switches it to WAL, applies pending migrations and starts its thread.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let fail = |what: &str, error: &dyn fmt::Display| {
            StorageError(format!("{what} {}: {error}", path.display()))
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail("cannot create folder for", &e))?;
        }
        let mut conn = open_connection(path).map_err(|e| fail("cannot open", &e))?;
        migrations::run(&mut conn).map_err(|e| fail("cannot migrate", &e))?;

        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("db".into())
            .spawn(move || {
                for job in queue {
                    job(&mut conn);
                }
            })
            .map_err(|e| fail("cannot start the thread for", &e))?;
        Ok(Self {
            jobs,
            path: Arc::from(path),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `query` on the database thread. A failure is logged and answers
    /// 500.
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        match self.call(move |conn| query(conn)).await {
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => {
                tracing::error!(%error, "database query failed");
                Err(ApiError::internal())
            }
            None => {
                tracing::error!("database thread is gone");
                Err(ApiError::internal())
            }
        }
    }

    /// Is the database usable? `Err` says why not, for `/ping`.
    pub async fn check(&self) -> Result<(), String> {
        let path = Arc::clone(&self.path);
        self.call(move |conn| {
            // A deleted file keeps working through the open handle while every
            // write goes to an unlinked inode: catch that, it loses data.
            if !path.exists() {
                return Err(format!("database file {} is missing", path.display()));
            }
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(drop)
            .map_err(|error| format!("database query failed: {error}"))
        })
        .await
        .unwrap_or_else(|| Err("database thread is gone".to_owned()))
    }

    /// Sends `job` to the database thread and waits for its answer; `None`
    /// when the thread has stopped (it panicked).
    async fn call<T, F>(&self, job: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> T + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = answer.send(job(conn));
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
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
            let status = db.check().await;
            if let Err(reason) = &status {
                tracing::warn!(%reason, "storage unhealthy");
            }
            health.set(status);
        }
    });
}
