//! One message from receipt to settlement: decode, handle, then acknowledge,
//! NAK with a delay, or dead-letter and acknowledge; one log line and the
//! metrics for each.

use super::decide::{self, Policy, Verdict};
use super::handler::{Delivery, Handler, HandlerError};
use super::metrics::{Outcome, WorkerMetrics};
use async_nats::HeaderMap;
use async_nats::jetstream::{self, AckKind};
use futures_util::FutureExt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Headers of a dead letter, for whoever reads or replays it.
pub const HEADER_ERROR: &str = "Paved-Error";
pub const HEADER_SUBJECT: &str = "Paved-Subject";
pub const HEADER_DELIVERIES: &str = "Paved-Deliveries";
pub const HEADER_STREAM_SEQUENCE: &str = "Paved-Stream-Sequence";

/// What every message task shares.
pub struct Shared<H> {
    pub handler: H,
    pub jetstream: jetstream::Context,
    pub dead_letter_subject: String,
    pub policy: Policy,
    pub metrics: WorkerMetrics,
    /// Half the ack wait: how often a slow handler's message is kept alive.
    pub progress_every: Duration,
}

/// Handles `message` and settles it; never fails (the outcome says how it went).
pub async fn process<H: Handler>(shared: Arc<Shared<H>>, message: jetstream::Message) -> Outcome {
    let _in_flight = shared.metrics.in_flight();
    let started = Instant::now();
    let delivery = delivery(&message);
    if delivery.attempt > 1 {
        shared.metrics.redelivered();
    }
    let result = match serde_json::from_slice::<H::Message>(&message.payload) {
        Ok(decoded) => {
            let handled = shared.handler.handle(decoded, &delivery);
            keep_alive(handled, &message, shared.progress_every).await
        }
        Err(error) => Err(HandlerError::permanent(format!(
            "malformed payload: {error}"
        ))),
    };
    let verdict = decide::decide(&result, delivery.attempt, &shared.policy, rand::random());
    let (outcome, problem) = settle(&shared, &message, &delivery, &verdict).await;
    let elapsed = started.elapsed();
    shared.metrics.settled(outcome, elapsed.as_secs_f64());
    log(
        &delivery,
        outcome,
        elapsed.as_secs_f64() * 1000.0,
        &result,
        &verdict,
        problem,
    );
    outcome
}

/// Awaits `handled`, telling the broker every `every` that the message is still
/// being worked on, so a handler slower than the ack wait is not delivered a
/// second time meanwhile. A crashed worker stops telling: then it is.
async fn keep_alive<F: Future<Output = Result<(), HandlerError>>>(
    handled: F,
    message: &jetstream::Message,
    every: Duration,
) -> Result<(), HandlerError> {
    tokio::pin!(handled);
    // A handler that is done at once (the common case) neither reads the clock
    // nor builds a timer: that cost is per message (bench/worker.sh).
    if let Some(result) = handled.as_mut().now_or_never() {
        return result;
    }
    // Boxed, as this path is not every message's: its timer and progress
    // acknowledgement would otherwise be part of every message's future.
    Box::pin(keep_telling(handled, message, every)).await
}

async fn keep_telling<F: Future<Output = Result<(), HandlerError>>>(
    mut handled: Pin<&mut F>,
    message: &jetstream::Message,
    every: Duration,
) -> Result<(), HandlerError> {
    loop {
        tokio::select! {
            biased;
            result = &mut handled => return result,
            () = tokio::time::sleep(every) => {
                if let Err(error) = message.ack_with(AckKind::Progress).await {
                    tracing::warn!(%error, "could not extend the ack wait");
                }
            }
        }
    }
}

fn delivery(message: &jetstream::Message) -> Delivery {
    let (attempt, stream_sequence) = message.info().map_or((1, 0), |info| {
        (
            u64::try_from(info.delivered).unwrap_or(1),
            info.stream_sequence,
        )
    });
    Delivery {
        subject: message.subject.to_string(),
        attempt,
        stream_sequence,
    }
}

/// Carries out `verdict`; the error text when the broker did not take it.
async fn settle<H>(
    shared: &Shared<H>,
    message: &jetstream::Message,
    delivery: &Delivery,
    verdict: &Verdict,
) -> (Outcome, Option<String>) {
    let sent = match verdict {
        Verdict::Ack => message.ack().await.map(|()| Outcome::Acked),
        Verdict::Retry(delay) => message
            .ack_with(AckKind::Nak(Some(*delay)))
            .await
            .map(|()| Outcome::Retried),
        Verdict::DeadLetter(reason) => {
            // Boxed: this rare path would otherwise be part of every message's
            // future, which is moved into the consume loop's set (with the slow
            // path below, 2,064 bytes instead of 1,632).
            if let Err(error) = Box::pin(dead_letter(shared, message, delivery, reason)).await {
                // Not acknowledged: the broker delivers it again and the dead
                // letter is tried again then.
                return (
                    Outcome::Unsettled,
                    Some(format!("dead letter not stored: {error}")),
                );
            }
            message.ack().await.map(|()| Outcome::DeadLettered)
        }
    };
    match sent {
        Ok(outcome) => (outcome, None),
        Err(error) => (Outcome::Unsettled, Some(error.to_string())),
    }
}

/// Publishes the payload to the dead-letter subject and waits until the
/// dead-letter stream has stored it.
async fn dead_letter<H>(
    shared: &Shared<H>,
    message: &jetstream::Message,
    delivery: &Delivery,
    reason: &str,
) -> Result<(), async_nats::Error> {
    let mut headers = HeaderMap::new();
    headers.insert(HEADER_ERROR, one_line(reason).as_str());
    headers.insert(HEADER_SUBJECT, delivery.subject.as_str());
    headers.insert(HEADER_DELIVERIES, delivery.attempt.to_string().as_str());
    headers.insert(
        HEADER_STREAM_SEQUENCE,
        delivery.stream_sequence.to_string().as_str(),
    );
    // The same message dead-lettered twice (crash before the ack) is stored once.
    headers.insert(
        async_nats::header::NATS_MESSAGE_ID,
        format!("{}-{}", delivery.subject, delivery.stream_sequence).as_str(),
    );
    shared
        .jetstream
        .publish_with_headers(
            shared.dead_letter_subject.clone(),
            headers,
            message.payload.clone(),
        )
        .await?
        .await?;
    Ok(())
}

/// Header values are one line of printable text.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn log(
    delivery: &Delivery,
    outcome: Outcome,
    latency_ms: f64,
    result: &Result<(), HandlerError>,
    verdict: &Verdict,
    problem: Option<String>,
) {
    let error = result.as_ref().err().map(ToString::to_string);
    let retry_in_ms = match verdict {
        Verdict::Retry(delay) => Some(delay.as_millis() as u64),
        _ => None,
    };
    match outcome {
        Outcome::Acked | Outcome::Retried => tracing::info!(
            subject = delivery.subject.as_str(),
            delivery = delivery.attempt,
            stream_sequence = delivery.stream_sequence,
            outcome = outcome.as_str(),
            latency_ms,
            error,
            retry_in_ms,
            "message settled"
        ),
        Outcome::DeadLettered | Outcome::Unsettled => tracing::warn!(
            subject = delivery.subject.as_str(),
            delivery = delivery.attempt,
            stream_sequence = delivery.stream_sequence,
            outcome = outcome.as_str(),
            latency_ms,
            error,
            problem,
            "message settled"
        ),
    }
}
