//! Serving with graceful shutdown: on SIGTERM or Ctrl-C stop accepting, let
//! in-flight requests finish, and give up on them after the grace period.

use axum::Router;
use std::future::{Future, IntoFuture};
use std::io;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Serves `app` on `listener` until `shutdown` completes, then drains for at
/// most `grace`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> io::Result<()> {
    let (draining_tx, draining_rx) = oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        tracing::info!(
            grace_seconds = grace.as_secs(),
            "shutting down, draining requests"
        );
        let _ = draining_tx.send(());
    };
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(signal)
        .into_future();
    let deadline = async move {
        if draining_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            // The server ended without a signal; let it report why.
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server => {
            tracing::info!("stopped");
            result
        }
        () = deadline => {
            tracing::warn!("grace period over, dropping the requests still running");
            Ok(())
        }
    }
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
