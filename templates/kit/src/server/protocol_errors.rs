//! Requests hyper refuses before the router sees them: a malformed request
//! line or header (400), a URI too long (414), headers too large (431).
//!
//! hyper writes those answers itself, with an empty body, and offers no hook
//! to change them: they cannot be put in the envelope. They are counted in
//! `http_requests_total` (route `unparsed`, method `OTHER`) and get an access
//! line, so error ratios and logs include them.

use crate::logging::access::{self, Access};
use crate::metrics::REQUESTS_TOTAL;
use std::net::SocketAddr;
use std::time::Duration;

/// Route label and access-log route of requests that could not be parsed.
pub const UNPARSED_ROUTE: &str = "unparsed";

/// Logs and counts a connection's end by `error`, when hyper answered it.
pub fn report(error: &hyper::Error, peer: SocketAddr) {
    let Some(status) = status_of(error) else {
        // A client that went away mid-request, or similar: its own business.
        tracing::debug!(%error, %peer, "connection ended with an error");
        return;
    };
    metrics::counter!(
        REQUESTS_TOTAL,
        "method" => "OTHER",
        "route" => UNPARSED_ROUTE,
        "status" => status.to_string()
    )
    .increment(1);
    access::log(&Access {
        method: "OTHER",
        route: UNPARSED_ROUTE,
        status,
        latency: Duration::ZERO,
        request_id: "",
    });
    tracing::info!(status, %error, %peer, "request refused by the HTTP parser");
}

/// The status hyper answered `error` with (see its `Server::on_error`).
fn status_of(error: &hyper::Error) -> Option<u16> {
    if error.is_parse_too_large() {
        // hyper's two "too large" kinds differ only in their message.
        let uri = error.to_string().to_ascii_lowercase().contains("uri");
        Some(if uri { 414 } else { 431 })
    } else if error.is_parse() && !error.is_parse_version_h2() {
        Some(400)
    } else {
        None
    }
}
