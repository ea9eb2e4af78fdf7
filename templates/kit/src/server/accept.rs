//! The accept loop: one connection slot per accepted connection (the
//! connection limit), and accept errors (out of file descriptors) logged,
//! counted and retried after a back-off instead of ending the loop.

use super::shared::Shared;
use super::{ACCEPT_ERRORS, CONNECTION_LIMIT_REACHED, connection};
use axum::Router;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, watch};

const FIRST_BACKOFF: Duration = Duration::from_millis(10);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Accepts connections on `listener` until `stop` turns true; dropping the
/// listener on return closes it.
pub async fn run(
    listener: TcpListener,
    app: Router,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        let Some(slot) = free_slot(&shared, &mut stop).await else {
            return;
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|stop| *stop) => return,
        };
        match accepted {
            Ok((stream, _)) => {
                backoff = FIRST_BACKOFF;
                connection::spawn(stream, app.clone(), Arc::clone(&shared), slot);
            }
            // The peer gave up before we took the connection: nothing to fix here.
            Err(error) if is_peer_error(&error) => {
                tracing::debug!(%error, "connection aborted before it was accepted");
            }
            Err(error) => {
                metrics::counter!(ACCEPT_ERRORS).increment(1);
                tracing::error!(
                    %error,
                    retry_in_ms = backoff.as_millis() as u64,
                    "cannot accept connections"
                );
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    _ = stop.wait_for(|stop| *stop) => return,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// A slot for the next connection; at the limit, waits for one (logged and
/// counted once per wait). `None` when told to stop.
async fn free_slot(
    shared: &Shared,
    stop: &mut watch::Receiver<bool>,
) -> Option<OwnedSemaphorePermit> {
    if let Ok(slot) = Arc::clone(&shared.slots).try_acquire_owned() {
        return Some(slot);
    }
    metrics::counter!(CONNECTION_LIMIT_REACHED).increment(1);
    tracing::warn!(
        max_connections = shared.limits.max_connections,
        "connection limit reached: new connections wait until one closes"
    );
    tokio::select! {
        slot = Arc::clone(&shared.slots).acquire_owned() => slot.ok(),
        _ = stop.wait_for(|stop| *stop) => None,
    }
}

fn is_peer_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}
