//! Queue workers (feature `worker`): a durable pull consumer on a NATS
//! JetStream stream, with the same retry, back-off, dead letters, logging,
//! metrics and drain for every consumer. A worker implements [`Handler`] for
//! its message type and calls [`run`]:
//!
//! ```no_run
//! use paved_kit::worker::{self, Delivery, Handler, HandlerError, Sections};
//!
//! #[derive(serde::Deserialize)]
//! struct Resize {
//!     image: String,
//! }
//!
//! struct Resizer;
//!
//! impl Handler for Resizer {
//!     type Message = Resize;
//!
//!     async fn handle(&self, job: Resize, _delivery: &Delivery) -> Result<(), HandlerError> {
//!         if job.image.is_empty() {
//!             return Err(HandlerError::permanent("no image named"));
//!         }
//!         Ok(())
//!     }
//! }
//!
//! # fn sections() -> Sections<'static> { unimplemented!() }
//! # async fn example() -> Result<(), paved_kit::commands::CommandError> {
//! worker::run(Resizer, sections()).await
//! # }
//! ```
//!
//! Per message: the JSON payload is decoded (a malformed one is a permanent
//! failure), handled, and then acknowledged; a transient failure is NAKed with
//! an exponential, jittered delay; a permanent failure, or a transient one on
//! delivery `consumer.max_deliveries`, is published to
//! `consumer.dead_letter_subject` with the error in its headers and then
//! acknowledged. One JSON log line per message (subject, delivery, outcome,
//! latency). On SIGTERM: no more pulls, the messages in hand finish within
//! `consumer.shutdown_grace_seconds`, the rest is redelivered by the broker.

mod admin;
pub mod backoff;
mod broker;
mod consume;
pub mod decide;
mod handler;
pub mod metrics;
mod process;
mod replay;
mod settings;

pub use handler::{BoxError, Delivery, Handler, HandlerError};
pub use process::{HEADER_DELIVERIES, HEADER_ERROR, HEADER_STREAM_SEQUENCE, HEADER_SUBJECT};
pub use replay::replay;
pub use settings::{Admin, Broker, Consumer};

use crate::commands::CommandError;
use crate::health::Health;
use std::sync::Arc;
use tokio::sync::{oneshot, watch};

/// How long the last acknowledgements may take to leave on shutdown.
const FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The kit's sections of a worker's settings.
#[derive(Debug, Clone, Copy)]
pub struct Sections<'a> {
    pub broker: &'a Broker,
    pub consumer: &'a Consumer,
    pub admin: &'a Admin,
}

/// Runs the worker until SIGTERM or Ctrl-C, then drains and returns `Ok`.
pub async fn run<H: Handler>(handler: H, sections: Sections<'_>) -> Result<(), CommandError> {
    let Sections {
        broker,
        consumer,
        admin,
    } = sections;
    let prometheus = crate::metrics::install()?;
    let worker_metrics = metrics::WorkerMetrics::register();
    let health = Health::new();
    health.set(Err("broker not connected yet".to_owned()));

    let (stopping, mut stop_requested) = watch::channel(false);
    let draining = health.clone();
    tokio::spawn(async move {
        crate::server::shutdown_signal().await;
        draining.start_draining();
        stopping.send_replace(true);
    });
    let (admin_stop, admin_stopped) = oneshot::channel::<()>();
    let admin_stopped = async move {
        let _ = admin_stopped.await;
    };
    let admin = tokio::spawn(admin::serve(admin, health.clone(), prometheus, admin_stopped).await?);

    let client = broker::connect(broker, &consumer.durable, health).await?;
    let jetstream = async_nats::jetstream::new(client.clone());
    let pull_consumer = broker::consumer(&jetstream, consumer).await?;
    let shared = Arc::new(process::Shared {
        handler,
        jetstream,
        dead_letter_subject: consumer.dead_letter_subject.clone(),
        policy: decide::Policy {
            max_deliveries: consumer.max_deliveries,
            retry_initial: consumer.retry_initial(),
            retry_max: consumer.retry_max(),
        },
        metrics: worker_metrics,
        // Three reports per ack wait: one may arrive late on a busy machine and the
        // message is still not delivered twice.
        progress_every: consumer.ack_wait() / 3,
    });
    let pull = consume::Pull {
        batch: consumer.batch,
        concurrency: consumer.concurrency,
        shutdown_grace: consumer.shutdown_grace(),
    };
    tracing::info!(
        stream = %consumer.stream,
        subject = %consumer.subject,
        durable = %consumer.durable,
        concurrency = consumer.concurrency,
        "consuming"
    );
    let shutdown = async move {
        let _ = stop_requested.wait_for(|stop| *stop).await;
    };
    // On the runtime's worker threads rather than this (blocked-on) thread: the
    // connection task that receives a message then wakes the loop on its own
    // thread, without a hand-off between threads per message (bench/worker.sh).
    let consumed = tokio::spawn(consume::run(pull_consumer, shared, pull, shutdown))
        .await
        .unwrap_or_else(|panicked| Err(format!("the consume loop failed: {panicked}").into()));
    // Acknowledgements are buffered by the client: send them before leaving.
    // Bounded: with the broker down the flush would wait for a reconnection.
    match tokio::time::timeout(FLUSH_TIMEOUT, client.flush()).await {
        Ok(Ok(())) => {}
        Ok(Err(_)) | Err(_) => tracing::warn!(
            "could not flush the last acknowledgements; those messages are redelivered"
        ),
    }
    let _ = admin_stop.send(());
    let _ = admin.await;
    consumed?;
    tracing::info!("stopped");
    Ok(())
}
