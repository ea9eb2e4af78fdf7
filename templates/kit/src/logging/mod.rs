//! Logging: JSON lines on stdout, one object per event. Log with `tracing`'s
//! macros; the access log ([`access`]) is a `tracing` event too.
//!
//! Lines go to a writer that hands them to a background thread, which writes
//! them in batches: logging costs the request path no system call. stdout is
//! the only sink: the process manager (journald) owns files and rotation.

pub mod access;
mod json;
mod writer;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;

pub use json::JsonLines;
pub use writer::{LogGuard, StdoutWriter, spawn as spawn_writer};

/// Level used when the configured one cannot be read (e.g. invalid config).
pub const FALLBACK_LEVEL: &str = "info";

/// Starts logging at `filter` (a tracing filter such as `info` or
/// `warn,my_service=debug`). Keep the guard alive until the process ends: dropping
/// it writes out what is still buffered.
///
/// Also routes panic messages into the log instead of stderr. Calling it again
/// (as tests do) keeps the first subscriber.
pub fn init(filter: &str) -> LogGuard {
    // `Targets` rather than `EnvFilter`: the same `level,target=level` syntax
    // without span and field filters, and without a regex engine to compile.
    let filter: Targets = filter
        .parse()
        .or_else(|_| FALLBACK_LEVEL.parse())
        .unwrap_or_default();
    let (writer, guard) = writer::spawn();
    let subscriber = tracing_subscriber::fmt()
        .event_format(json::JsonLines)
        .with_writer(writer)
        // The fmt subscriber's own filter lets everything through; `Targets`
        // decides.
        .with_max_level(tracing::Level::TRACE)
        .finish()
        .with(filter);
    if tracing::subscriber::set_global_default(subscriber).is_ok() {
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|location| format!("{}:{}", location.file(), location.line()));
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|message| (*message).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned());
            tracing::error!(
                panic.message = message.as_deref().unwrap_or("(not a string)"),
                panic.location = location.as_deref().unwrap_or("(unknown)"),
                "panicked"
            );
        }));
    }
    guard
}
