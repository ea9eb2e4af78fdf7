//! The sections of a worker's configuration: `[broker]`, `[consumer]` and
//! `[admin]`. Names of streams, subjects and the broker's address live here,
//! never in code; each section checks itself in `validate`, naming the key.

use crate::config::{ConfigError, whole_number};
use serde::Deserialize;
use std::time::Duration;

/// `[broker]`: the NATS server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Broker {
    /// e.g. `nats://127.0.0.1:4222`; several servers separated by commas.
    pub url: String,
    /// How long one connection attempt may take.
    #[serde(deserialize_with = "whole_number")]
    pub connect_timeout_seconds: u64,
}

impl Broker {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.url.trim().is_empty() {
            return Err(ConfigError::key("broker.url", "must not be empty"));
        }
        at_least_one(
            "broker.connect_timeout_seconds",
            self.connect_timeout_seconds,
        )
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout_seconds)
    }
}

/// `[consumer]`: what to read, how many at once, how to retry, where failures go.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consumer {
    /// The JetStream stream to read; created with `subject` when missing.
    pub stream: String,
    /// The subject (wildcards allowed) the stream holds and this worker reads.
    pub subject: String,
    /// The durable consumer's name: every instance of the worker shares it, so
    /// each message goes to one of them.
    pub durable: String,
    /// The stream that keeps dead letters; created with `dead_letter_subject`.
    pub dead_letter_stream: String,
    /// Where a message goes when it failed for good.
    pub dead_letter_subject: String,
    /// After this many deliveries a failing message goes to the dead letters.
    #[serde(deserialize_with = "whole_number")]
    pub max_deliveries: u64,
    /// Messages handled at once, at most.
    #[serde(deserialize_with = "whole_number")]
    pub concurrency: usize,
    /// Messages asked of the server per pull request.
    #[serde(deserialize_with = "whole_number")]
    pub batch: usize,
    /// A message not acknowledged within this long is delivered again (to any
    /// instance): longer than the slowest handling, shorter than the patience of
    /// whoever waits for the result.
    #[serde(deserialize_with = "whole_number")]
    pub ack_wait_seconds: u64,
    /// The first retry waits about this long; each next one twice as long.
    #[serde(deserialize_with = "whole_number")]
    pub retry_initial_ms: u64,
    /// No retry waits longer.
    #[serde(deserialize_with = "whole_number")]
    pub retry_max_ms: u64,
    /// After SIGTERM, how long the messages in hand may take to finish.
    #[serde(deserialize_with = "whole_number")]
    pub shutdown_grace_seconds: u64,
}

/// Far above what one process should hold in flight.
const MAX_CONCURRENCY: usize = 100_000;

impl Consumer {
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (key, value) in [
            ("consumer.stream", &self.stream),
            ("consumer.durable", &self.durable),
            ("consumer.dead_letter_stream", &self.dead_letter_stream),
        ] {
            name(key, value)?;
        }
        for (key, value) in [
            ("consumer.subject", &self.subject),
            ("consumer.dead_letter_subject", &self.dead_letter_subject),
        ] {
            subject(key, value)?;
        }
        if self.stream == self.dead_letter_stream {
            return Err(ConfigError::key(
                "consumer.dead_letter_stream",
                "must differ from consumer.stream",
            ));
        }
        at_least_one("consumer.max_deliveries", self.max_deliveries)?;
        at_least_one("consumer.concurrency", self.concurrency as u64)?;
        at_least_one("consumer.batch", self.batch as u64)?;
        at_least_one("consumer.ack_wait_seconds", self.ack_wait_seconds)?;
        at_least_one("consumer.retry_initial_ms", self.retry_initial_ms)?;
        if self.concurrency > MAX_CONCURRENCY {
            return Err(ConfigError::key(
                "consumer.concurrency",
                format!("must be at most {MAX_CONCURRENCY}"),
            ));
        }
        if self.retry_max_ms < self.retry_initial_ms {
            return Err(ConfigError::key(
                "consumer.retry_max_ms",
                "must be at least consumer.retry_initial_ms",
            ));
        }
        Ok(())
    }

    pub fn ack_wait(&self) -> Duration {
        Duration::from_secs(self.ack_wait_seconds)
    }

    pub fn retry_initial(&self) -> Duration {
        Duration::from_millis(self.retry_initial_ms)
    }

    pub fn retry_max(&self) -> Duration {
        Duration::from_millis(self.retry_max_ms)
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_seconds)
    }
}

/// `[admin]`: the small HTTP listener for `/ping` and `/metrics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admin {
    pub host: String,
    #[serde(deserialize_with = "whole_number")]
    pub port: u16,
}

impl Admin {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.host.trim().is_empty() {
            return Err(ConfigError::key("admin.host", "must not be empty"));
        }
        Ok(())
    }
}

fn at_least_one(key: &str, value: u64) -> Result<(), ConfigError> {
    if value == 0 {
        return Err(ConfigError::key(key, "must be at least 1"));
    }
    Ok(())
}

/// Stream and consumer names: no whitespace, dots, wildcards or path separators
/// (the server refuses them, with a less helpful message).
fn name(key: &str, value: &str) -> Result<(), ConfigError> {
    let bad = |c: char| c.is_whitespace() || matches!(c, '.' | '*' | '>' | '/' | '\\');
    if value.is_empty() || value.contains(bad) {
        return Err(ConfigError::key(
            key,
            format!("{value:?} is not a name (no spaces, '.', '*', '>', '/' or '\\')"),
        ));
    }
    Ok(())
}

/// Subjects: dot-separated tokens, none empty, no whitespace.
fn subject(key: &str, value: &str) -> Result<(), ConfigError> {
    if value.is_empty()
        || value.contains(char::is_whitespace)
        || value.split('.').any(str::is_empty)
    {
        return Err(ConfigError::key(
            key,
            format!("{value:?} is not a subject (dot-separated tokens, e.g. jobs.created)"),
        ));
    }
    Ok(())
}
