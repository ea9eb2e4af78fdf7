//! systemd runs the service; it neither daemonizes itself nor dies mid-request.

pub mod missing_service_unit;
pub mod no_graceful_shutdown;
pub mod self_daemonizing;
