//! A scripted handler for tests/e2e_worker.rs, written over the generated
//! worker's `src/handler.rs`: the payload says how to behave.

use crate::config::Jobs;
use paved_kit::worker::{Delivery, Handler, HandlerError};
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    pub id: String,
    /// Fail transiently on deliveries 1..=fail_times.
    #[serde(default)]
    pub fail_times: u64,
    /// Fail transiently on every delivery.
    #[serde(default)]
    pub poison: bool,
    /// Sleep this long on the first delivery.
    #[serde(default)]
    pub sleep_ms: u64,
}

pub struct JobHandler;

impl JobHandler {
    pub fn new(_jobs: &Jobs) -> Self {
        Self
    }
}

impl Handler for JobHandler {
    type Message = Job;

    async fn handle(&self, job: Job, delivery: &Delivery) -> Result<(), HandlerError> {
        tracing::info!(job = %job.id, attempt = delivery.attempt, "job started");
        if delivery.attempt == 1 && job.sleep_ms > 0 {
            tokio::time::sleep(Duration::from_millis(job.sleep_ms)).await;
        }
        if job.poison {
            return Err(HandlerError::transient("poisoned"));
        }
        if delivery.attempt <= job.fail_times {
            return Err(HandlerError::transient("failing on purpose"));
        }
        tracing::info!(job = %job.id, attempt = delivery.attempt, "job done");
        Ok(())
    }
}
