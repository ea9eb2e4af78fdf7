//! The sections every service's configuration has: `[server]`, `[http]`,
//! `[log]`, and with SQLite `[storage]` and `[backup]`. Each checks itself in
//! `validate`, naming the key it refuses.

use super::ConfigError;
use super::values::{LogLevel, whole_number};
use serde::Deserialize;
#[cfg(feature = "sqlite")]
use std::path::PathBuf;
use std::time::Duration;

/// Far above what one process can hold open (file descriptors).
const MAX_CONNECTIONS: usize = 1_000_000;

/// `[server]`: where to listen, connection limits and timeouts, the drain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Interface to bind, e.g. 127.0.0.1 or 0.0.0.0.
    pub host: String,
    #[serde(deserialize_with = "whole_number")]
    pub port: u16,
    /// After SIGTERM, how long `/ping` answers `NOK - draining` while requests
    /// are still served, so load balancers take the instance out first.
    #[serde(deserialize_with = "whole_number")]
    pub drain_delay_seconds: u64,
    /// After the drain delay, how long in-flight requests may take to finish.
    #[serde(deserialize_with = "whole_number")]
    pub shutdown_grace_seconds: u64,
    /// Connections open at once; at the limit, new ones wait in the backlog.
    #[serde(deserialize_with = "whole_number")]
    pub max_connections: usize,
    /// A request's headers must arrive within this long of its first byte.
    #[serde(deserialize_with = "whole_number")]
    pub header_read_timeout_seconds: u64,
    /// A connection without a request for this long is closed.
    #[serde(deserialize_with = "whole_number")]
    pub idle_timeout_seconds: u64,
}

impl Server {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.host.trim().is_empty() {
            return Err(ConfigError::key("server.host", "must not be empty"));
        }
        at_least_one("server.max_connections", self.max_connections as u64)?;
        at_least_one(
            "server.header_read_timeout_seconds",
            self.header_read_timeout_seconds,
        )?;
        at_least_one("server.idle_timeout_seconds", self.idle_timeout_seconds)?;
        if self.max_connections > MAX_CONNECTIONS {
            return Err(ConfigError::key(
                "server.max_connections",
                format!("must be at most {MAX_CONNECTIONS}"),
            ));
        }
        Ok(())
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_seconds)
    }

    pub fn drain_delay(&self) -> Duration {
        Duration::from_secs(self.drain_delay_seconds)
    }

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_seconds)
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_seconds)
    }
}

/// `[http]`: per-request limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// A request that takes longer answers 408.
    #[serde(deserialize_with = "whole_number")]
    pub request_timeout_seconds: u64,
    /// A larger request body answers 413.
    #[serde(deserialize_with = "whole_number")]
    pub body_limit_bytes: usize,
}

impl Http {
    pub fn validate(&self) -> Result<(), ConfigError> {
        at_least_one("http.request_timeout_seconds", self.request_timeout_seconds)?;
        at_least_one("http.body_limit_bytes", self.body_limit_bytes as u64)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_seconds)
    }
}

/// `[log]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    /// A level, optionally with per-target levels: `info`, or
    /// `warn,my_service=debug`. Unknown level names are refused.
    pub level: LogLevel,
}

/// `[storage]` (SQLite).
#[cfg(feature = "sqlite")]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// The SQLite database file; its folder is created when missing.
    pub path: PathBuf,
    /// How often /ping's view of the database is refreshed.
    #[serde(deserialize_with = "whole_number")]
    pub health_check_interval_seconds: u64,
    /// What an acknowledged write survives: `full` (power loss too) or
    /// `normal` (a crash of the process, not of the machine).
    pub synchronous: Synchronous,
    /// Connections that serve reads beside the one that writes, so a long
    /// read never queues the others behind it; as many again are pooled for
    /// lookups by key (`Db::lookup`).
    #[serde(deserialize_with = "whole_number")]
    pub read_connections: usize,
}

#[cfg(feature = "sqlite")]
impl Storage {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.path.as_os_str().is_empty() {
            return Err(ConfigError::key("storage.path", "must not be empty"));
        }
        at_least_one(
            "storage.health_check_interval_seconds",
            self.health_check_interval_seconds,
        )?;
        at_least_one("storage.read_connections", self.read_connections as u64)
    }

    pub fn health_check_interval(&self) -> Duration {
        Duration::from_secs(self.health_check_interval_seconds)
    }
}

/// SQLite's `PRAGMA synchronous` in WAL mode.
#[cfg(feature = "sqlite")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// Every commit is synced to disk before it is acknowledged.
    Full,
    /// Commits are synced at checkpoints: a power loss can undo the last ones.
    Normal,
}

#[cfg(feature = "sqlite")]
impl Synchronous {
    pub fn pragma_value(self) -> &'static str {
        match self {
            Self::Full => "FULL",
            Self::Normal => "NORMAL",
        }
    }
}

/// `[backup]` (SQLite).
#[cfg(feature = "sqlite")]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Where `backup` writes its files.
    pub dir: PathBuf,
    /// How many backups to keep; older ones are deleted after a backup.
    #[serde(deserialize_with = "whole_number")]
    pub keep: usize,
}

#[cfg(feature = "sqlite")]
impl Backup {
    pub fn validate(&self) -> Result<(), ConfigError> {
        at_least_one("backup.keep", self.keep as u64)
    }
}

fn at_least_one(key: &str, value: u64) -> Result<(), ConfigError> {
    if value == 0 {
        return Err(ConfigError::key(key, "must be at least 1"));
    }
    Ok(())
}
