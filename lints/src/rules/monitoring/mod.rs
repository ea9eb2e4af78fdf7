//! Every service answers `/ping` and serves Prometheus metrics on `/metrics`.

pub mod foreign_metrics;
pub mod metric_naming;
pub mod missing_health_endpoint;
pub mod missing_metrics_endpoint;
mod probe;
