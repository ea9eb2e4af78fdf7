//! What one connection is doing, as its timeouts and the drain need to know:
//! waiting for a request (idle), receiving a request's headers, or running a
//! request. The socket wrapper ([`Tracked`]) notices a request's first bytes;
//! the per-connection service notices the request and its answer.
//!
//! Nothing here reads the system clock on the request path: times are in
//! milliseconds of a coarse clock ([`clock`]) that the reaper advances.

use crate::middleware::observe::REQUEST_ID;
use axum::http::{Method, Request};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const IDLE: u8 = 0;
const READING_HEAD: u8 = 1;
const IN_FLIGHT: u8 = 2;

/// What the reaper asks of a connection's task.
pub const RUN: u8 = 0;
/// Finish the answer being written, then close (hyper's graceful shutdown).
pub const FINISH: u8 = 1;
/// Close now.
pub const DROP: u8 = 2;

/// The coarse clock: milliseconds since the first server started, advanced
/// by each server's reaper on every tick.
pub mod clock {
    use super::*;

    static EPOCH: OnceLock<Instant> = OnceLock::new();
    static NOW_MS: AtomicU64 = AtomicU64::new(0);

    /// Reads the system clock and advances the coarse one; returns it.
    pub fn tick() -> u64 {
        let epoch = EPOCH.get_or_init(Instant::now);
        let ms = u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        NOW_MS.fetch_max(ms, Ordering::Relaxed).max(ms)
    }

    /// The coarse time, at most one reaper tick old.
    pub fn now() -> u64 {
        NOW_MS.load(Ordering::Relaxed)
    }
}

/// Longest request path and request id kept for the end-of-grace log line.
const KEPT: usize = 96;

/// The request a connection is running, for the log line at the end of the
/// grace period. Fixed-size copies: no allocation per request.
#[derive(Debug, Clone)]
pub struct Running {
    pub method: Method,
    path: [u8; KEPT],
    path_len: usize,
    request_id: [u8; KEPT],
    request_id_len: usize,
    pub started_ms: u64,
}

impl Running {
    pub fn path(&self) -> &str {
        std::str::from_utf8(&self.path[..self.path_len]).unwrap_or("")
    }

    pub fn request_id(&self) -> &str {
        std::str::from_utf8(&self.request_id[..self.request_id_len]).unwrap_or("")
    }
}

fn keep(from: &[u8]) -> ([u8; KEPT], usize) {
    let mut kept = [0u8; KEPT];
    // Cut at a byte count: a path is ASCII; a request id that is not is
    // shown empty (see `Running::request_id`).
    let len = from.len().min(KEPT);
    kept[..len].copy_from_slice(&from[..len]);
    (kept, len)
}

#[derive(Debug)]
pub struct Activity {
    pub peer: SocketAddr,
    phase: AtomicU8,
    /// When the phase last changed, on the coarse clock.
    since_ms: AtomicU64,
    running: Mutex<Option<Running>>,
    command: AtomicU8,
    /// When the reaper asked the connection to finish, on the coarse clock.
    finish_asked_ms: AtomicU64,
    waker: Mutex<Option<Waker>>,
}

/// What the reaper should do about a connection.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Fine,
    /// Headers did not arrive in time.
    HeaderTimeout,
    /// No request for too long.
    Idle,
    /// Asked to finish long ago and still open (e.g. a client not reading).
    Overdue,
}

impl Activity {
    pub fn new(peer: SocketAddr) -> Self {
        Self {
            peer,
            // A new connection owes its first request within the header-read
            // timeout, like a request that has begun: a client that connects
            // and says nothing is not idle, it is slow.
            phase: AtomicU8::new(READING_HEAD),
            since_ms: AtomicU64::new(clock::now()),
            running: Mutex::new(None),
            command: AtomicU8::new(RUN),
            finish_asked_ms: AtomicU64::new(0),
            waker: Mutex::new(None),
        }
    }

    fn enter(&self, phase: u8) {
        self.since_ms.store(clock::now(), Ordering::Relaxed);
        self.phase.store(phase, Ordering::Release);
    }

    /// Bytes arrived: when idle, a request has begun.
    fn bytes_read(&self) {
        if self.phase.load(Ordering::Relaxed) == IDLE {
            self.enter(READING_HEAD);
        }
    }

    /// The headers are in and the request goes to the router.
    pub fn request_started<B>(&self, request: &Request<B>) {
        let (path, path_len) = keep(request.uri().path().as_bytes());
        let (request_id, request_id_len) = request
            .headers()
            .get(&REQUEST_ID)
            .map_or(([0; KEPT], 0), |id| keep(id.as_bytes()));
        let running = Running {
            method: request.method().clone(),
            path,
            path_len,
            request_id,
            request_id_len,
            started_ms: clock::now(),
        };
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) = Some(running);
        self.phase.store(IN_FLIGHT, Ordering::Release);
    }

    /// The router answered; the connection waits for the next request.
    pub fn request_finished(&self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        self.enter(IDLE);
    }

    pub fn running(&self) -> Option<Running> {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Applies the header-read timeout and `idle_limit` (milliseconds) at
    /// `now_ms`. Deadlines get one `tick_ms` of slack: phase times are up to
    /// a tick old. A request in flight is bounded by the request timeout.
    pub fn verdict(&self, now_ms: u64, header_ms: u64, idle_ms: u64, tick_ms: u64) -> Verdict {
        if self.command.load(Ordering::Relaxed) == FINISH {
            let asked = self.finish_asked_ms.load(Ordering::Relaxed);
            return if now_ms >= asked + header_ms + tick_ms {
                Verdict::Overdue
            } else {
                Verdict::Fine
            };
        }
        let (limit, verdict) = match self.phase.load(Ordering::Acquire) {
            IN_FLIGHT => return Verdict::Fine,
            READING_HEAD => (header_ms, Verdict::HeaderTimeout),
            _ => (idle_ms, Verdict::Idle),
        };
        if now_ms >= self.since_ms.load(Ordering::Relaxed) + limit + tick_ms {
            verdict
        } else {
            Verdict::Fine
        }
    }

    /// Asks the connection's task to `FINISH` or `DROP`, and wakes it.
    pub fn command(&self, command: u8) {
        if command == FINISH {
            self.finish_asked_ms.store(clock::now(), Ordering::Relaxed);
        }
        self.command.store(command, Ordering::Release);
        if let Some(waker) = self.waker.lock().unwrap_or_else(|p| p.into_inner()).take() {
            waker.wake();
        }
    }

    /// The reaper's latest command; `waker` is woken when it changes.
    /// `registered` is the caller's copy of the waker last given, so the lock
    /// is only taken when the task's waker changes (for a spawned task:
    /// once).
    pub fn poll_command(&self, waker: &Waker, registered: &mut Option<Waker>) -> u8 {
        if !registered.as_ref().is_some_and(|old| old.will_wake(waker)) {
            *registered = Some(waker.clone());
            *self.waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(waker.clone());
        }
        self.command.load(Ordering::Acquire)
    }
}

/// The TCP stream, reporting reads to the connection's [`Activity`].
pub struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Tracked<S> {
    pub fn new(inner: S, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_read();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: u64 = 1000;
    const IDLE_LIMIT: u64 = 2000;
    const TICK: u64 = 100;

    #[test]
    fn silent_new_connection_is_a_slow_request() {
        let activity = Activity::new(([127, 0, 0, 1], 1).into());
        let start = clock::now();
        assert_eq!(
            activity.verdict(start + 500, HEADER, IDLE_LIMIT, TICK),
            Verdict::Fine
        );
        assert_eq!(
            activity.verdict(start + 3000, HEADER, IDLE_LIMIT, TICK),
            Verdict::HeaderTimeout
        );
    }

    #[test]
    fn idle_then_reading_then_in_flight() {
        let activity = Activity::new(([127, 0, 0, 1], 1).into());
        activity.request_started(&Request::get("/v1/notes").body(()).unwrap());
        assert_eq!(activity.running().unwrap().path(), "/v1/notes");
        assert_eq!(
            activity.verdict(clock::now() + 9000, HEADER, IDLE_LIMIT, TICK),
            Verdict::Fine,
            "in flight: the request timeout applies"
        );
        activity.request_finished();
        assert!(activity.running().is_none());
        let idle_since = clock::now();
        assert_eq!(
            activity.verdict(idle_since + 1500, HEADER, IDLE_LIMIT, TICK),
            Verdict::Fine
        );
        assert_eq!(
            activity.verdict(idle_since + 2500, HEADER, IDLE_LIMIT, TICK),
            Verdict::Idle
        );
        activity.bytes_read();
        assert_eq!(
            activity.verdict(idle_since + 2500, HEADER, IDLE_LIMIT, TICK),
            Verdict::HeaderTimeout
        );
    }

    #[test]
    fn asked_to_finish_and_still_open_is_overdue() {
        let activity = Activity::new(([127, 0, 0, 1], 1).into());
        activity.command(FINISH);
        let asked = clock::now();
        assert_eq!(
            activity.verdict(asked + 500, HEADER, IDLE_LIMIT, TICK),
            Verdict::Fine
        );
        assert_eq!(
            activity.verdict(asked + 1500, HEADER, IDLE_LIMIT, TICK),
            Verdict::Overdue
        );
    }
}
