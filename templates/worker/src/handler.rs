//! The work on one message: replace [`Job`] with this worker's message type and
//! [`JobHandler::handle`] with what it does. Return
//! [`HandlerError::transient`] for what a retry may fix (a timeout, a busy
//! dependency) and [`HandlerError::permanent`] for what it never will; the kit
//! acknowledges after `Ok`, retries with back-off, and dead-letters the rest.
//!
//! Messages arrive at least once: handling the same job twice must be harmless
//! (`Delivery::stream_sequence` is stable across redeliveries). Up to
//! `consumer.concurrency` jobs are handled at once on one task: await I/O freely,
//! but move long computations to `tokio::task::spawn_blocking`.

use crate::config::Jobs;
use paved_kit::worker::{Delivery, Handler, HandlerError};
use serde::Deserialize;

/// The JSON payload of a message, e.g. `{"id": "job-1", "items": 3}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    pub id: String,
    pub items: usize,
}

pub struct JobHandler {
    max_items: usize,
}

impl JobHandler {
    pub fn new(jobs: &Jobs) -> Self {
        Self {
            max_items: jobs.max_items,
        }
    }
}

impl Handler for JobHandler {
    type Message = Job;

    async fn handle(&self, job: Job, delivery: &Delivery) -> Result<(), HandlerError> {
        if job.items > self.max_items {
            return Err(HandlerError::permanent(format!(
                "job {} asks for {} items, more than jobs.max_items ({})",
                job.id, job.items, self.max_items
            )));
        }
        tracing::debug!(job = %job.id, items = job.items, attempt = delivery.attempt, "job done");
        Ok(())
    }
}
