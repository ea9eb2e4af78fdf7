//! The access log: one line per request, an ordinary `tracing` event at target
//! `access`, so every layer a team adds (OpenTelemetry, Sentry) sees it and the
//! same filter governs it (`log.level = "info,access=warn"` silences it).

use std::time::Duration;

/// The target to filter on.
pub const TARGET: &str = "access";

/// What one access-log line says.
pub struct Access<'a> {
    pub method: &'a str,
    /// The route's pattern (`/v1/notes/{id}`), not the raw path.
    pub route: &'a str,
    pub status: u16,
    pub latency: Duration,
    pub request_id: &'a str,
}

/// Emits the access event; the JSON formatter prints `latency_seconds` with
/// microsecond resolution.
pub fn log(access: &Access<'_>) {
    let latency_seconds = access.latency.as_micros() as f64 / 1e6;
    tracing::info!(
        target: TARGET,
        method = access.method,
        route = access.route,
        status = access.status,
        latency_seconds,
        request_id = access.request_id,
        "request"
    );
}
