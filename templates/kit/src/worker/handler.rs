//! What a worker implements: a [`Handler`] for its message type, and the
//! [`HandlerError`] that says whether a failure is worth a retry.

use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;

/// Any error a handler wraps.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One kind of message and what to do with it. The kit decodes the payload as
/// JSON into [`Handler::Message`] (a payload that does not decode is a permanent
/// failure), calls [`Handler::handle`], and acknowledges only when it returned `Ok`.
///
/// Handling must be idempotent: a message is delivered at least once, so after a
/// crash between the work and its acknowledgement it comes again. The messages in
/// hand are polled together on the consume loop's task: a handler that computes
/// for long moves that work to `tokio::task::spawn_blocking`.
pub trait Handler: Send + Sync + 'static {
    /// The JSON payload, decoded with serde.
    type Message: DeserializeOwned + Send + 'static;

    /// Does the work of one message. `delivery` says which attempt this is.
    fn handle(
        &self,
        message: Self::Message,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send;
}

/// Where and how often a message has been delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The subject the message was published on.
    pub subject: String,
    /// 1 on the first delivery, 2 on the first retry, ...
    pub attempt: u64,
    /// The message's sequence number in its stream: stable across redeliveries,
    /// so it can key idempotency.
    pub stream_sequence: u64,
}

/// Why a message could not be handled.
#[derive(Debug)]
pub enum HandlerError {
    /// Might work later (a dependency timed out, a lock was busy): the message is
    /// redelivered after a back-off, up to `consumer.max_deliveries` times.
    Transient(BoxError),
    /// Will never work (invalid content, a record that does not exist): the
    /// message goes to the dead-letter subject now.
    Permanent(BoxError),
}

impl HandlerError {
    /// A failure worth retrying.
    pub fn transient(error: impl Into<BoxError>) -> Self {
        Self::Transient(error.into())
    }

    /// A failure no retry will fix.
    pub fn permanent(error: impl Into<BoxError>) -> Self {
        Self::Permanent(error.into())
    }

    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transient(error) => write!(f, "transient: {error}"),
            Self::Permanent(error) => write!(f, "permanent: {error}"),
        }
    }
}

impl std::error::Error for HandlerError {}
