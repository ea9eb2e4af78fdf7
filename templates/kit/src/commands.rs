//! The plumbing of a service's `main` and its subcommands: configuration
//! errors exit 78 (EX_CONFIG) with a JSON log line, logging starts from the
//! settings, a failed command is logged and exits 1.
//!
//! ```no_run
//! use paved_kit::commands::{self, CommandError};
//! use paved_kit::config::{self, Log, Settings};
//!
//! #[derive(serde::Deserialize)]
//! struct MySettings {
//!     log: Log,
//! }
//!
//! impl Settings for MySettings {
//!     fn log(&self) -> &Log {
//!         &self.log
//!     }
//! }
//!
//! fn serve(_settings: MySettings) -> Result<(), CommandError> {
//!     Ok(())
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     commands::main(config::load::<MySettings>, serve)
//! }
//! ```

use crate::config::{self, ConfigError, Settings};
use crate::logging;
use std::process::ExitCode;
use tokio::net::TcpListener;

/// Any command failure; [`main`] logs it and exits non-zero.
pub type CommandError = Box<dyn std::error::Error + Send + Sync>;

/// Exit code for an invalid configuration (EX_CONFIG from sysexits.h), so a
/// supervisor can tell "fix the config" apart from a crash.
pub const EXIT_CONFIG: u8 = 78;

/// Loads the settings with `load`, starts logging, runs `command`.
pub fn main<S: Settings>(
    load: impl FnOnce() -> Result<S, ConfigError>,
    command: impl FnOnce(S) -> Result<(), CommandError>,
) -> ExitCode {
    let loaded = load().and_then(|settings| {
        let filter = config::log_filter(settings.log())?;
        Ok((settings, filter))
    });
    let (settings, filter) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            // Logging is configured from the settings we failed to read, so
            // report through a default subscriber: the line is still JSON.
            let _guard = logging::init(logging::FALLBACK_LEVEL);
            tracing::error!(%error, "invalid configuration, not starting");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let _guard = logging::init(filter.as_str());
    match command(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "command failed");
            ExitCode::FAILURE
        }
    }
}

/// The runtime `serve` runs on; build it after the blocking start-up work
/// (opening the database), so that work stays off the threads serving requests.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Resolves `server.host` and listens on the first address that works; each
/// error names the host or the address it is about.
pub async fn bind(server: &config::Server) -> Result<TcpListener, CommandError> {
    bind_to(&server.host, server.port, "server").await
}

/// [`bind`] for any `[section]` with a `host` and a `port` (a worker's `admin`).
pub async fn bind_to(host: &str, port: u16, section: &str) -> Result<TcpListener, CommandError> {
    let addresses: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| format!("cannot resolve {section}.host {host:?}: {error}"))?
        .collect();
    let mut last_error = None;
    for address in &addresses {
        match TcpListener::bind(address).await {
            Ok(listener) => {
                tracing::info!(address = %listener.local_addr()?, "listening");
                return Ok(listener);
            }
            Err(error) => last_error = Some(format!("cannot listen on {address}: {error}")),
        }
    }
    Err(last_error
        .unwrap_or_else(|| format!("{section}.host {host:?} resolves to no address"))
        .into())
}

/// `backup`: one consistent copy of the data plus its checksum.
#[cfg(feature = "sqlite")]
pub fn backup(hook: &impl crate::sqlite::BackupHook) -> Result<(), CommandError> {
    let file = hook.backup()?;
    tracing::info!(file = %file.display(), "backup written");
    Ok(())
}

/// `restore FILE`: verify a backup, then make it the live data.
#[cfg(feature = "sqlite")]
pub fn restore(
    hook: &impl crate::sqlite::BackupHook,
    file: &std::path::Path,
) -> Result<(), CommandError> {
    hook.restore(file)?;
    tracing::info!(file = %file.display(), "data restored");
    Ok(())
}
