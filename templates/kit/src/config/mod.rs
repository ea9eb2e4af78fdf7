//! Configuration: `config/default.toml`, then `config/$APP_ENV.toml`, then
//! `APP__SECTION__KEY` environment variables, each layer overriding the last.
//! Unknown keys are refused (the settings structs say `deny_unknown_fields`).
//!
//! A service declares its settings with the kit's sections and its own:
//!
//! ```
//! use paved_kit::config::{self, ConfigError, Http, Log, Server, Settings};
//! use std::collections::HashMap;
//!
//! #[derive(serde::Deserialize)]
//! #[serde(deny_unknown_fields)]
//! struct MySettings {
//!     server: Server,
//!     http: Http,
//!     log: Log,
//! }
//!
//! impl Settings for MySettings {
//!     fn log(&self) -> &Log {
//!         &self.log
//!     }
//!
//!     fn validate(&self) -> Result<(), ConfigError> {
//!         self.server.validate()?;
//!         self.http.validate()
//!     }
//! }
//!
//! let dir = std::env::temp_dir().join(format!("kit-config-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("default.toml"), r#"
//!     [server]
//!     host = "127.0.0.1"
//!     port = 8080
//!     drain_delay_seconds = 5
//!     shutdown_grace_seconds = 10
//!     max_connections = 1024
//!     header_read_timeout_seconds = 10
//!     idle_timeout_seconds = 60
//!     [http]
//!     request_timeout_seconds = 30
//!     body_limit_bytes = 1048576
//!     [log]
//!     level = "info"
//! "#)?;
//! std::fs::write(dir.join("test.toml"), "[log]\nlevel = \"warn\"\n")?;
//! let vars = HashMap::from([("APP__SERVER__PORT".to_owned(), "9000".to_owned())]);
//! let settings: MySettings = config::load_from(&dir, "test", vars)?;
//! assert_eq!((settings.server.port, settings.log.level.as_str()), (9000, "warn"));
//!
//! std::fs::write(dir.join("test.toml"), "[log]\nlevle = \"warn\"\n")?;
//! let error = config::load_from::<MySettings>(&dir, "test", HashMap::new()).err().unwrap();
//! assert!(error.to_string().contains("levle"), "{error}");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This is the only module that reads the environment: everything that differs
//! between a laptop and production is a value here, never an `if` on the
//! environment's name elsewhere.

mod sections;
mod values;

#[cfg(feature = "sqlite")]
pub use sections::{Backup, Storage, Synchronous};
pub use sections::{Http, Log, Server};
pub use values::{LogLevel, whole_number};

use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Picks the environment file; unset means development.
pub const APP_ENV_VAR: &str = "APP_ENV";
/// Folder holding the TOML files; relative to the working directory.
pub const CONFIG_DIR_VAR: &str = "APP_CONFIG_DIR";
const DEFAULT_ENV: &str = "development";
const DEFAULT_CONFIG_DIR: &str = "config";
/// `APP__SERVER__PORT=9000` overrides `server.port`.
const ENV_PREFIX: &str = "APP";
const ENV_SEPARATOR: &str = "__";
/// The usual tracing filter variable wins over `log.level` when set.
const RUST_LOG_VAR: &str = "RUST_LOG";

/// A service's settings: what the kit needs to know of them.
pub trait Settings: DeserializeOwned {
    /// The `[log]` section, read to start logging.
    fn log(&self) -> &Log;

    /// Checks what the types alone cannot; each message names its key. Call the
    /// kit sections' own `validate` here.
    fn validate(&self) -> Result<(), ConfigError> {
        Ok(())
    }
}

/// Why the configuration could not be used; the message names the key or file.
#[derive(Debug)]
pub struct ConfigError(String);

impl ConfigError {
    /// An error about `key`: `server.host: must not be empty`.
    pub fn key(key: &str, why: impl fmt::Display) -> Self {
        Self(format!("{key}: {why}"))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl From<config::ConfigError> for ConfigError {
    fn from(error: config::ConfigError) -> Self {
        Self(error.to_string())
    }
}

/// Loads the configuration the process was started with (`APP_ENV`,
/// `APP_CONFIG_DIR`, `APP__*` variables).
pub fn load<S: Settings>() -> Result<S, ConfigError> {
    let env_name = std::env::var(APP_ENV_VAR).unwrap_or_else(|_| DEFAULT_ENV.to_owned());
    let dir = std::env::var_os(CONFIG_DIR_VAR)
        .map_or_else(|| PathBuf::from(DEFAULT_CONFIG_DIR), PathBuf::from);
    load_from(&dir, &env_name, std::env::vars().collect())
}

/// Loads `dir/default.toml`, `dir/<env_name>.toml` and the `APP__*` entries of
/// `vars` (other entries are ignored). Tests call this directly instead of
/// changing the process environment.
pub fn load_from<S: Settings>(
    dir: &Path,
    env_name: &str,
    vars: HashMap<String, String>,
) -> Result<S, ConfigError> {
    if env_name.is_empty()
        || !env_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ConfigError(format!(
            "{APP_ENV_VAR}={env_name:?} is not an environment name (letters, digits, - and _)"
        )));
    }
    let settings: S = config::Config::builder()
        .add_source(config::File::from(dir.join("default.toml")))
        .add_source(config::File::from(dir.join(format!("{env_name}.toml"))))
        .add_source(
            config::Environment::with_prefix(ENV_PREFIX)
                .separator(ENV_SEPARATOR)
                .try_parsing(true)
                .source(Some(vars)),
        )
        .build()?
        .try_deserialize()?;
    settings.validate()?;
    Ok(settings)
}

/// The `section.key` names `file` (TOML) sets, sorted: tests check with it that
/// every environment file sets only keys `default.toml` has.
pub fn keys_in(file: &Path) -> Result<Vec<String>, ConfigError> {
    let table: HashMap<String, HashMap<String, config::Value>> = config::Config::builder()
        .add_source(config::File::from(file))
        .build()?
        .try_deserialize()?;
    let mut keys: Vec<String> = table
        .into_iter()
        .flat_map(|(section, values)| {
            values
                .into_keys()
                .map(move |key| format!("{section}.{key}"))
        })
        .collect();
    keys.sort();
    Ok(keys)
}

/// The log filter to start with: `RUST_LOG` when set, else `log.level`.
pub fn log_filter(log: &Log) -> Result<LogLevel, ConfigError> {
    match std::env::var(RUST_LOG_VAR) {
        Ok(filter) if !filter.trim().is_empty() => LogLevel::parse(&filter)
            .map_err(|why| ConfigError(format!("{RUST_LOG_VAR} (replaces log.level): {why}"))),
        _ => Ok(log.level.clone()),
    }
}
