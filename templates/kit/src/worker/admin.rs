//! The admin listener: `/ping` (`NOK` while the broker connection is down or
//! the worker drains) and `/metrics`, on the house server with small limits.

use super::settings::Admin;
use crate::commands::{self, CommandError};
use crate::health::Health;
use crate::metrics::PrometheusHandle;
use crate::{routes, server};
use axum::Router;
use axum::routing::get;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// Scrapers and probes only: a few connections, short timeouts, no drain delay
/// (the worker drains its messages, not this listener).
const LIMITS: server::Limits = server::Limits {
    max_connections: 64, // paved: allow(hardcoded-capacity) -- probes and one scraper, the same everywhere
    header_read_timeout: Duration::from_secs(5),
    idle_timeout: Duration::from_secs(30),
    drain_delay: Duration::ZERO,
    shutdown_grace: Duration::from_secs(1),
};

/// The admin server, to be awaited (or spawned).
pub type Serving = Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>;

/// Binds `admin.host:admin.port` and serves until `stop` completes.
pub async fn serve(
    admin: &Admin,
    health: Health,
    metrics: PrometheusHandle,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Serving, CommandError> {
    let listener = commands::bind_to(&admin.host, admin.port, "admin").await?;
    let app = Router::new()
        .route("/ping", get(routes::ping).with_state(health.clone()))
        .route("/metrics", get(routes::metrics).with_state(metrics))
        .fallback(routes::not_found);
    Ok(server::serve(listener, app, LIMITS)
        .with_graceful_shutdown(stop, health)
        .into_future())
}
