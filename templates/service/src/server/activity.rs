//! What one connection is doing, as its timeouts and the drain need to know:
//! waiting for a request (idle), receiving a request's headers, or running a
//! request. The socket wrapper ([`Tracked`]) notices a request's first bytes;
//! the per-connection service notices the request and its answer.

use axum::http::{HeaderValue, Method, Request, Uri};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const IDLE: u8 = 0;
const READING_HEAD: u8 = 1;
const IN_FLIGHT: u8 = 2;

/// The request a connection is running, for the log line at the end of the
/// grace period.
#[derive(Debug, Clone)]
pub struct Running {
    pub method: Method,
    pub uri: Uri,
    pub request_id: Option<HeaderValue>,
    pub started: Instant,
}

#[derive(Debug)]
pub struct Activity {
    pub peer: SocketAddr,
    opened: Instant,
    phase: AtomicU8,
    /// When the phase last changed, in milliseconds since `opened`.
    since_ms: AtomicU64,
    running: Mutex<Option<Running>>,
}

/// What a connection's timer should do.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing yet; look again at this instant.
    CheckAt(Instant),
    /// Headers did not arrive in time.
    HeaderTimeout,
    /// No request for too long.
    Idle,
}

impl Activity {
    pub fn new(peer: SocketAddr) -> Self {
        Self {
            peer,
            opened: Instant::now(),
            // A new connection owes its first request within the
            // header-read timeout, like a request that has begun: a client
            // that connects and says nothing is not idle, it is slow.
            phase: AtomicU8::new(READING_HEAD),
            since_ms: AtomicU64::new(0),
            running: Mutex::new(None),
        }
    }

    fn enter(&self, phase: u8) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.since_ms.store(ms, Ordering::Relaxed);
        self.phase.store(phase, Ordering::Release);
    }

    fn since(&self) -> Instant {
        self.opened + Duration::from_millis(self.since_ms.load(Ordering::Relaxed))
    }

    /// Bytes arrived: when idle, a request has begun.
    fn bytes_read(&self) {
        if self.phase.load(Ordering::Relaxed) == IDLE {
            self.enter(READING_HEAD);
        }
    }

    /// The headers are in and the request goes to the router.
    pub fn request_started<B>(&self, request: &Request<B>) {
        let running = Running {
            method: request.method().clone(),
            uri: request.uri().clone(),
            request_id: request.headers().get("x-request-id").cloned(),
            started: Instant::now(),
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

    pub fn is_in_flight(&self) -> bool {
        self.phase.load(Ordering::Acquire) == IN_FLIGHT
    }

    pub fn running(&self) -> Option<Running> {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Applies the header-read timeout and `idle_limit` at `now`. A request
    /// in flight is bounded by the request timeout instead: look again after
    /// `recheck`.
    pub fn verdict(
        &self,
        now: Instant,
        header_timeout: Duration,
        idle_limit: Duration,
        recheck: Duration,
    ) -> Verdict {
        let since = self.since();
        let (limit, verdict) = match self.phase.load(Ordering::Acquire) {
            IN_FLIGHT => return Verdict::CheckAt(now + recheck),
            READING_HEAD => (header_timeout, Verdict::HeaderTimeout),
            _ => (idle_limit, Verdict::Idle),
        };
        let deadline = since + limit;
        if now >= deadline {
            verdict
        } else {
            Verdict::CheckAt(deadline)
        }
    }
}

/// The TCP stream, reporting reads to the connection's [`Activity`].
pub struct Tracked<S> {
    inner: S,
    activity: std::sync::Arc<Activity>,
}

impl<S> Tracked<S> {
    pub fn new(inner: S, activity: std::sync::Arc<Activity>) -> Self {
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

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn silent_new_connection_is_a_slow_request() {
        let activity = Activity::new(([127, 0, 0, 1], 1).into());
        let now = Instant::now();
        assert_eq!(
            activity.verdict(now + 3 * SECOND, SECOND, 9 * SECOND, SECOND),
            Verdict::HeaderTimeout
        );
    }

    #[test]
    fn idle_then_reading_then_in_flight() {
        let activity = Activity::new(([127, 0, 0, 1], 1).into());
        activity.request_started(&Request::new(()));
        activity.request_finished();
        let now = Instant::now();
        assert!(matches!(
            activity.verdict(now, SECOND, 2 * SECOND, SECOND),
            Verdict::CheckAt(_)
        ));
        assert_eq!(
            activity.verdict(now + 3 * SECOND, SECOND, 2 * SECOND, SECOND),
            Verdict::Idle
        );
        activity.bytes_read();
        assert_eq!(
            activity.verdict(now + 3 * SECOND, SECOND, 2 * SECOND, SECOND),
            Verdict::HeaderTimeout
        );
        activity.request_started(&Request::new(()));
        assert!(activity.is_in_flight());
        assert!(matches!(
            activity.verdict(now + 9 * SECOND, SECOND, 2 * SECOND, SECOND),
            Verdict::CheckAt(_)
        ));
        activity.request_finished();
        assert!(activity.running().is_none());
    }
}
