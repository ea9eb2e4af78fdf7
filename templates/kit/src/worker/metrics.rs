//! The worker's Prometheus metrics, registered once so every outcome renders
//! (at zero) from the first scrape.

use metrics::{Counter, Gauge, Histogram, Unit};

pub use crate::metrics::MESSAGE_DURATION;
pub const MESSAGES_TOTAL: &str = "worker_messages_total";
pub const IN_FLIGHT: &str = "worker_messages_in_flight";
pub const REDELIVERIES: &str = "worker_redeliveries_total";

/// What became of a message: the `outcome` label and the log field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Handled and acknowledged.
    Acked,
    /// Failed transiently; asked to be delivered again after a back-off.
    Retried,
    /// Failed for good (or too often); published to the dead letters, then acknowledged.
    DeadLettered,
    /// The acknowledgement or the dead letter could not be sent: the broker
    /// delivers the message again after the ack wait.
    Unsettled,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Acked,
        Outcome::Retried,
        Outcome::DeadLettered,
        Outcome::Unsettled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Acked => "acked",
            Outcome::Retried => "retried",
            Outcome::DeadLettered => "dead_lettered",
            Outcome::Unsettled => "unsettled",
        }
    }
}

/// Handles to the worker's metrics.
#[derive(Clone)]
pub struct WorkerMetrics {
    outcomes: [Counter; 4],
    duration: Histogram,
    in_flight: Gauge,
    redeliveries: Counter,
}

impl WorkerMetrics {
    /// Describes and registers the metrics on the installed recorder.
    pub fn register() -> Self {
        metrics::describe_counter!(MESSAGES_TOTAL, Unit::Count, "Messages settled, by outcome");
        metrics::describe_histogram!(
            MESSAGE_DURATION,
            Unit::Seconds,
            "Time from receiving a message to settling it"
        );
        metrics::describe_gauge!(IN_FLIGHT, Unit::Count, "Messages being handled now");
        metrics::describe_counter!(
            REDELIVERIES,
            Unit::Count,
            "Messages received again after an earlier delivery"
        );
        let outcomes = Outcome::ALL.map(|outcome| {
            let counter = metrics::counter!(MESSAGES_TOTAL, "outcome" => outcome.as_str());
            counter.increment(0);
            counter
        });
        let metrics = Self {
            outcomes,
            duration: metrics::histogram!(MESSAGE_DURATION),
            in_flight: metrics::gauge!(IN_FLIGHT),
            redeliveries: metrics::counter!(REDELIVERIES),
        };
        metrics.in_flight.set(0.0);
        metrics.redeliveries.increment(0);
        metrics
    }

    pub fn settled(&self, outcome: Outcome, seconds: f64) {
        self.outcomes[outcome as usize].increment(1);
        self.duration.record(seconds);
    }

    pub fn redelivered(&self) {
        self.redeliveries.increment(1);
    }

    /// Counts a message in flight until the returned guard drops (also when its
    /// task panics or is aborted).
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.increment(1.0);
        InFlight(self.in_flight.clone())
    }
}

pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}
