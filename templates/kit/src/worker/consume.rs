//! The consume loop: pull messages while fewer than `consumer.concurrency` are
//! in hand, handle them concurrently, and on shutdown stop pulling and let the
//! messages in hand finish within the grace period.
//!
//! The messages in hand are futures polled by this loop's task rather than one
//! spawned task each: no task per message, no hop between threads (that hop cost
//! a third of the throughput, bench/worker.sh). Handlers wait on I/O; one that
//! computes for long moves that work to `tokio::task::spawn_blocking`.

use super::handler::Handler;
use super::process::{self, Shared};
use async_nats::jetstream::consumer::PullConsumer;
use async_nats::jetstream::consumer::StreamError;
use async_nats::jetstream::consumer::pull::{MessagesErrorKind, Stream};
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

/// How often a pull request is renewed, and the server's heartbeat in it.
/// Short, because the pull stream of async-nats 0.52 can stall: it counts the
/// messages still owed to it, stopping at zero, and adds a pull request's
/// batch only once its task reports it sent; a message that comes in before
/// that, with the count at zero, is not subtracted, so the count drifts up
/// until the stream believes messages are owed that the broker will never
/// send, and pulls no more. The broker, with no pull request waiting, then
/// sends no heartbeats either: after two missed heartbeats the loop starts a
/// new pull stream (with a fresh count) instead of waiting for the stream's
/// own recovery at expiry + 5 s (bench/worker.sh saw 10 s stalls with a 5 s
/// expiry, 35 s with the default 30 s; 2.8 s with this).
const PULL_EXPIRES: Duration = Duration::from_secs(5);
const PULL_HEARTBEAT: Duration = Duration::from_secs(1);

/// Pull settings, from `[consumer]`.
#[derive(Debug, Clone, Copy)]
pub struct Pull {
    pub batch: usize,
    pub concurrency: usize,
    pub shutdown_grace: Duration,
}

/// Consumes until `shutdown` completes, then drains. Errors only when the
/// subscription cannot be made or ends on its own.
pub async fn run<H: Handler>(
    consumer: PullConsumer,
    shared: Arc<Shared<H>>,
    pull: Pull,
    shutdown: impl Future<Output = ()>,
) -> Result<(), crate::commands::CommandError> {
    let mut messages = subscribe(&consumer, pull.batch).await?;
    let mut in_hand = FuturesUnordered::new();
    let mut renew = false;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(done) = in_hand.next(), if !in_hand.is_empty() => report_panic(done),
            next = messages.next(), if in_hand.len() < pull.concurrency => match next {
                Some(Ok(message)) => {
                    // A panicking handler must not take the loop down with it.
                    let handled = process::process(Arc::clone(&shared), message);
                    in_hand.push(AssertUnwindSafe(handled).catch_unwind());
                }
                Some(Err(error)) if error.kind() == MessagesErrorKind::MissingHeartbeat => {
                    tracing::warn!(%error, "the broker went quiet: pulling afresh");
                    renew = true;
                }
                Some(Err(error)) => tracing::warn!(%error, "pulling messages failed, retrying"),
                None => return Err("the broker ended the subscription".into()),
            },
        }
        if std::mem::take(&mut renew) {
            // Messages the broker sent to the old stream and nobody read are
            // redelivered after the ack wait, like any unacknowledged message.
            messages = subscribe(&consumer, pull.batch).await?;
        }
    }
    // Stop pulling: what the server sent but nobody started is redelivered
    // after the ack wait.
    drop(messages);
    drain(in_hand, pull.shutdown_grace).await;
    Ok(())
}

/// A pull stream: `batch` messages per pull request, renewed when half are in.
async fn subscribe(consumer: &PullConsumer, batch: usize) -> Result<Stream, StreamError> {
    consumer
        .stream()
        .max_messages_per_batch(batch)
        .expires(PULL_EXPIRES)
        .heartbeat(PULL_HEARTBEAT)
        .messages()
        .await
}

/// Finishes the messages in hand within `grace`; drops the rest, which the
/// broker redelivers after the ack wait since they were never acknowledged.
async fn drain<F, T>(mut in_hand: FuturesUnordered<F>, grace: Duration)
where
    F: Future<Output = Result<T, Box<dyn Any + Send>>>,
{
    tracing::info!(
        in_flight = in_hand.len(),
        grace_seconds = grace.as_secs(),
        "shutting down: no more pulls, finishing the messages in hand"
    );
    let finished = tokio::time::timeout(grace, async {
        while let Some(done) = in_hand.next().await {
            report_panic(done);
        }
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            abandoned = in_hand.len(),
            "grace period over: messages still in hand are left for redelivery"
        );
    }
}

fn report_panic<T>(done: Result<T, Box<dyn Any + Send>>) {
    if let Err(panic) = done {
        let message = panic
            .downcast_ref::<&str>()
            .map(|message| (*message).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(
            panic = %message,
            "handler panicked; the message is redelivered after the ack wait"
        );
    }
}
