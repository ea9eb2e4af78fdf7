//! Serving HTTP/1.1: what sits between the socket and the router.
//!
//! - [`accept`]: the connection limit, and accept errors (EMFILE) logged,
//!   counted and retried after a back-off;
//! - [`connection`]: hyper per connection, `Connection: close` while closing;
//! - [`reaper`]: the header-read and idle timeouts, for all connections;
//! - [`protocol_errors`]: hyper's own 400/414/431 answers, logged and counted;
//! - this module: the drain on SIGTERM, in steps a load balancer can follow:
//!   1. `/ping` answers `NOK - draining` for `server.drain_delay_seconds`
//!      while requests are still served;
//!   2. the listener closes; each keep-alive connection ends after its
//!      in-flight request, whose answer says `Connection: close`; idle ones
//!      are closed;
//!   3. after `server.shutdown_grace_seconds`, requests still running are
//!      logged and dropped.
//!
//! Written on hyper rather than `axum::serve`, which has no timeouts, no
//! connection limit and closes idle keep-alive connections at once on
//! shutdown (resetting requests that clients had already sent).

mod accept;
mod activity;
mod connection;
pub mod protocol_errors;
mod reaper;
mod shared;

use crate::config;
use crate::health::Health;
use axum::Router;
use metrics::Unit;
use shared::Shared;
use std::future::{Future, IntoFuture};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub const CONNECTION_TIMEOUTS: &str = "http_connection_timeouts_total";
pub const CONNECTION_LIMIT_REACHED: &str = "http_connection_limit_reached_total";
pub const ACCEPT_ERRORS: &str = "http_accept_errors_total";
pub const CONNECTIONS_OPEN: &str = "http_connections_open";

/// Describes the server's metrics; called once with the recorder.
pub fn describe_metrics() {
    metrics::describe_counter!(
        CONNECTION_TIMEOUTS,
        Unit::Count,
        "Connections closed by a timeout (label timeout: header_read, idle)"
    );
    metrics::describe_counter!(
        CONNECTION_LIMIT_REACHED,
        Unit::Count,
        "Times new connections had to wait for server.max_connections"
    );
    metrics::describe_counter!(
        ACCEPT_ERRORS,
        Unit::Count,
        "Failed accepts (e.g. out of file descriptors), each retried after a back-off"
    );
    metrics::describe_gauge!(CONNECTIONS_OPEN, Unit::Count, "Connections open now");
}

/// The server's limits and shutdown timings, from `[server]`.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub drain_delay: Duration,
    pub shutdown_grace: Duration,
}

impl From<&config::Server> for Limits {
    fn from(server: &config::Server) -> Self {
        Self {
            max_connections: server.max_connections,
            header_read_timeout: server.header_read_timeout(),
            idle_timeout: server.idle_timeout(),
            drain_delay: server.drain_delay(),
            shutdown_grace: server.shutdown_grace(),
        }
    }
}

/// Serves `app` on `listener` within `limits`; add the shutdown signal with
/// [`Serve::with_graceful_shutdown`], then `.await` it.
pub fn serve(listener: TcpListener, app: Router, limits: Limits) -> Serve {
    Serve {
        listener,
        app,
        limits,
    }
}

pub struct Serve {
    listener: TcpListener,
    app: Router,
    limits: Limits,
}

impl Serve {
    /// Drains when `signal` completes; `health` is what `/ping` answers from.
    pub fn with_graceful_shutdown<F>(self, signal: F, health: Health) -> GracefulServe<F>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        GracefulServe {
            serve: self,
            signal,
            health,
        }
    }
}

pub struct GracefulServe<F> {
    serve: Serve,
    signal: F,
    health: Health,
}

impl<F> IntoFuture for GracefulServe<F>
where
    F: Future<Output = ()> + Send + 'static,
{
    type Output = io::Result<()>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self))
    }
}

async fn run<F: Future<Output = ()>>(graceful: GracefulServe<F>) -> io::Result<()> {
    let GracefulServe {
        serve,
        signal,
        health,
    } = graceful;
    let limits = serve.limits.clone();
    let shared = Arc::new(Shared::new(serve.limits));
    let reaping = tokio::spawn(reaper::run(Arc::clone(&shared)));
    let (stop, stopped) = watch::channel(false);
    let accepting = tokio::spawn(accept::run(
        serve.listener,
        serve.app,
        Arc::clone(&shared),
        stopped,
    ));

    signal.await;
    health.start_draining();
    tracing::info!(
        drain_delay_seconds = limits.drain_delay.as_secs(),
        grace_seconds = limits.shutdown_grace.as_secs(),
        "shutting down: /ping answers NOK - draining, still serving"
    );
    tokio::time::sleep(limits.drain_delay).await;

    stop.send_replace(true);
    let _ = accepting.await;
    shared.close_connections();
    tracing::info!("listener closed, finishing the requests in flight");

    let all_closed = tokio::time::timeout(limits.shutdown_grace, shared.all_closed()).await;
    reaping.abort();
    if all_closed.is_ok() {
        tracing::info!("stopped");
        return Ok(());
    }
    let now_ms = activity::clock::tick();
    for (peer, running) in shared.running() {
        tracing::warn!(
            method = %running.method,
            path = running.path(),
            request_id = running.request_id(),
            %peer,
            running_seconds = now_ms.saturating_sub(running.started_ms) as f64 / 1000.0,
            "request still running at the end of the grace period, dropped"
        );
    }
    tracing::warn!("grace period over, dropping the connections still open");
    Ok(())
}

/// Completes on SIGTERM (systemd's stop) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
