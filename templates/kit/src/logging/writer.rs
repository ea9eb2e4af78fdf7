//! A non-blocking stdout writer. Log lines are appended to a shared buffer; a
//! background thread wakes when the buffer stops being empty, waits a moment
//! so lines pile up, and writes them with one system call.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;
use tracing_subscriber::fmt::MakeWriter;

/// How long the flusher lets lines accumulate before writing them.
const BATCH_WINDOW: Duration = Duration::from_millis(5);
/// If stdout stalls (a full pipe), lines beyond this are dropped and counted
/// rather than growing memory without bound.
const MAX_PENDING_BYTES: usize = 16 << 20;

#[derive(Default)]
struct State {
    pending: Vec<u8>,
    closed: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    dropped_lines: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Hands out writers to the formatter.
#[derive(Clone)]
pub struct StdoutWriter {
    shared: Arc<Shared>,
}

/// Keep alive for the life of the process: dropping it flushes and stops the
/// background thread.
pub struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

pub fn spawn() -> (StdoutWriter, LogGuard) {
    let shared = Arc::new(Shared::default());
    let thread = {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || flush_loop(&shared))
            .ok()
    };
    (
        StdoutWriter {
            shared: Arc::clone(&shared),
        },
        LogGuard { shared, thread },
    )
}

fn flush_loop(shared: &Shared) {
    let mut batch = Vec::new();
    let mut stdout = io::stdout();
    loop {
        let closed = {
            let mut state = shared.lock();
            while state.pending.is_empty() && !state.closed {
                state = shared
                    .wake
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if !state.closed {
                drop(state);
                std::thread::sleep(BATCH_WINDOW);
                state = shared.lock();
            }
            std::mem::swap(&mut batch, &mut state.pending);
            state.closed
        };
        let dropped = shared.dropped_lines.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            // Written piecewise: a JSON object in a format string needs
            // doubled braces, which template engines take for placeholders.
            batch.extend_from_slice(
                br#"{"level":"WARN","target":"log-writer","message":"stdout too slow, log lines dropped","dropped_lines":"#,
            );
            batch.extend_from_slice(dropped.to_string().as_bytes());
            batch.extend_from_slice(b"}\n");
        }
        // Nowhere left to report a failing stdout; carry on.
        let _ = stdout.write_all(&batch).and_then(|()| stdout.flush());
        batch.clear();
        if closed {
            return;
        }
    }
}

impl StdoutWriter {
    /// Queues one or more whole lines for stdout.
    pub fn write_line(&self, line: &[u8]) {
        let mut state = self.shared.lock();
        if state.pending.len() + line.len() > MAX_PENDING_BYTES {
            self.shared.dropped_lines.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let was_empty = state.pending.is_empty();
        state.pending.extend_from_slice(line);
        drop(state);
        if was_empty {
            self.shared.wake.notify_one();
        }
    }
}

impl io::Write for &StdoutWriter {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        self.write_line(line);
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for StdoutWriter {
    type Writer = &'a StdoutWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
