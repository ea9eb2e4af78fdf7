//! Handlers do not panic, async code does not block, secrets are not in code.

pub mod blocking_in_async;
mod extractor_panics;
pub mod hardcoded_secret;
pub mod unwrap_in_handler;
