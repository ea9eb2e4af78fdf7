//! The house kit: what every paved service shares, so a service holds only its own
//! routes, settings and store.
//!
//! - [`envelope`]: [`Envelope`], [`ApiResult`], [`ApiError`]; [`ApiJson`] extracts JSON
//!   bodies and answers its rejections in the envelope;
//! - [`middleware`]: request id, access log, metrics by route pattern, and errors,
//!   panics, timeouts and oversize bodies answered in the envelope;
//! - [`logging`]: JSON lines on stdout; [`metrics`]: the Prometheus recorder;
//! - [`config`]: `config/default.toml` < `config/$APP_ENV.toml` < `APP__SECTION__KEY`,
//!   unknown keys refused, and the sections every service has;
//! - [`server`]: the accept loop with timeouts, a connection limit and a graceful drain;
//! - [`routes`]: `/ping`, `/metrics` and the 404 fallback;
//! - `sqlite` (feature `sqlite`): the database threads and the [`BackupHook`] with its
//!   online-backup implementation;
//! - [`commands`]: the plumbing of `main`, `serve`, `backup` and `restore`;
//! - `worker` (feature `worker`): the NATS JetStream consumer runtime of queue
//!   workers (`paved new NAME --kind worker`).
//!
//! A handler in a service:
//!
//! ```
//! use paved_kit::{ApiError, ApiJson, ApiResult, Envelope};
//!
//! #[derive(serde::Deserialize)]
//! struct Greet {
//!     name: Option<String>,
//! }
//!
//! async fn greet(ApiJson(body): ApiJson<Greet>) -> ApiResult<String> {
//!     let name = body.name.ok_or_else(|| ApiError::missing_arg("name"))?;
//!     Ok(Envelope::ok(format!("hello {name}")))
//! }
//! # let _ = axum::Router::<()>::new().route("/greet", axum::routing::post(greet));
//! ```
//!
//! paved writes this crate once per repository (`paved.toml`'s `[kit] path`) and
//! records a checksum of each file: edits are reported by `paved lint` (`kit-modified`),
//! since fixes belong upstream, in the paved repository's `templates/kit`.

pub mod commands;
pub mod config;
pub mod envelope;
pub mod extract;
pub mod health;
pub mod logging;
pub mod metrics;
pub mod middleware;
pub mod routes;
pub mod server;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(feature = "worker")]
pub mod worker;

mod clock;

pub use envelope::{ApiError, ApiResult, Envelope};
pub use extract::ApiJson;
#[cfg(feature = "sqlite")]
pub use sqlite::BackupHook;
