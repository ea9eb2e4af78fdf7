//! The database handle shared by handlers. One thread owns the connection
//! that writes and runs the writes sent to it, in order; a few more threads
//! each own a read-only connection and take reads from one shared queue, so a
//! long read never holds up the others (WAL lets them all run beside the
//! writer). Handlers await the answers.
//!
//! Why a thread of its own rather than `spawn_blocking` per query: queries
//! never run on the threads that serve requests, and under load the database
//! thread takes query after query without sleeping in between, where a
//! blocking-pool task per query pays thread wake-ups and a fight over the one
//! connection every time.
//!
//! The exception is [`Db::lookup`], for reads bounded by an index (a row by
//! its key): it runs on the calling thread with an idle read-only connection
//! from a small pool, because sending it to a reader thread and waking the
//! handler again costs more than the query (two thread hand-offs against a
//! few microseconds of SQLite; `bench/service.sh` in paved measures it).
//! When every pooled connection is in use it goes to the reader threads.

use super::migrations;
use crate::config::{self, Synchronous};
use crate::envelope::ApiError;
use crate::health::Health;
use rusqlite::{Connection, OpenFlags};
use std::fmt;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long a statement waits for a lock held by another connection (a
/// running backup or restore) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// How the database is opened; `config::Storage` has the documented values.
#[derive(Debug, Clone, Copy)]
pub struct DbOptions {
    pub synchronous: Synchronous,
    pub read_connections: usize,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            synchronous: Synchronous::Full,
            read_connections: 2,
        }
    }
}

impl From<&config::Storage> for DbOptions {
    fn from(storage: &config::Storage) -> Self {
        Self {
            synchronous: storage.synchronous,
            read_connections: storage.read_connections,
        }
    }
}

/// Cheap to clone; the database threads stop when the last clone is dropped.
#[derive(Clone)]
pub struct Db {
    jobs: mpsc::Sender<Job>,
    reads: mpsc::Sender<Job>,
    /// Idle read-only connections for [`Db::lookup`].
    lookups: Arc<Mutex<Vec<Connection>>>,
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
    /// switches it to WAL, applies the `migrations` not applied yet (the n-th
    /// is schema version n) and starts its threads.
    pub fn open(
        path: &Path,
        options: DbOptions,
        migrations: &[&str],
    ) -> Result<Self, StorageError> {
        let fail = |what: &str, error: &dyn fmt::Display| {
            StorageError(format!("{what} {}: {error}", path.display()))
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail("cannot create folder for", &e))?;
        }
        let mut conn = open_connection(path).map_err(|e| fail("cannot open", &e))?;
        conn.pragma_update(None, "synchronous", options.synchronous.pragma_value())
            .map_err(|e| fail("cannot configure", &e))?;
        migrations::run(&mut conn, migrations).map_err(|e| fail("cannot migrate", &e))?;

        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                for job in queue {
                    job(&mut conn);
                }
            })
            .map_err(|e| fail("cannot start the thread for", &e))?;

        let (reads, read_queue) = mpsc::channel::<Job>();
        let read_queue = Arc::new(Mutex::new(read_queue));
        for n in 0..options.read_connections.max(1) {
            let mut reader = open_reader(path).map_err(|e| fail("cannot open", &e))?;
            let queue = Arc::clone(&read_queue);
            std::thread::Builder::new()
                .name(format!("db-reader-{n}"))
                .spawn(move || {
                    while let Some(job) = next_job(&queue) {
                        job(&mut reader);
                    }
                })
                .map_err(|e| fail("cannot start a reader thread for", &e))?;
        }
        let lookups = (0..options.read_connections.max(1))
            .map(|_| open_reader(path))
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| fail("cannot open", &e))?;
        Ok(Self {
            jobs,
            reads,
            lookups: Arc::new(Mutex::new(lookups)),
            path: Arc::from(path),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `query` on the writer's thread. A failure is logged and answers
    /// 500.
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        answer(self.call(&self.jobs, move |conn| query(conn)).await)
    }

    /// Runs `query`, which only reads, on one of the read-only connections.
    pub async fn read<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        answer(self.call(&self.reads, move |conn| query(conn)).await)
    }

    /// Runs `query`, a read bounded by an index (one row by its key), on the
    /// calling thread with an idle read-only connection; when none is idle,
    /// on a reader thread like [`Db::read`]. Never use it for a scan or a
    /// read whose cost grows with the data: that blocks the thread serving
    /// requests.
    pub async fn lookup<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let Some(conn) = self.idle_lookup() else {
            return self.read(query).await;
        };
        let outcome = query(&conn);
        self.lookups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(conn);
        answer(Some(outcome))
    }

    fn idle_lookup(&self) -> Option<Connection> {
        self.lookups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop()
    }

    /// Is the database usable? `Err` says why not, for `/ping`.
    pub async fn check(&self) -> Result<(), String> {
        let path = Arc::clone(&self.path);
        self.call(&self.jobs, move |conn| {
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

    /// Sends `job` to `queue`'s threads and waits for its answer; `None`
    /// when they have stopped (they panicked).
    async fn call<T, F>(&self, queue: &mpsc::Sender<Job>, job: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> T + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = answer.send(job(conn));
        });
        queue.send(job).ok()?;
        answered.await.ok()
    }
}

/// A query's answer, or 500 with the failure logged.
fn answer<T>(outcome: Option<rusqlite::Result<T>>) -> Result<T, ApiError> {
    match outcome {
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

/// The next read for a reader thread; `None` once the `Db` is dropped. The
/// lock is held only while waiting, so an idle reader takes the next job.
fn next_job(queue: &Mutex<mpsc::Receiver<Job>>) -> Option<Job> {
    queue
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .recv()
        .ok()
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

pub(super) fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers never block the writer, and backups run beside both.
    conn.pragma_update(None, "journal_mode", "WAL")?;
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
