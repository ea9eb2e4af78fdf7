//! One web framework (axum) on one async runtime (tokio).

pub mod foreign_async_runtime;
pub mod foreign_web_framework;
