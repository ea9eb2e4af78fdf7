//! The consume loop: pull messages while fewer than `consumer.concurrency` are
//! in hand, handle each on its own task, and on shutdown stop pulling and let
//! the messages in hand finish within the grace period.

use super::handler::Handler;
use super::process::{self, Shared};
use async_nats::jetstream::consumer::PullConsumer;
use futures_util::StreamExt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// How often an idle pull request is renewed, and the server's heartbeat in it.
const PULL_EXPIRES: Duration = Duration::from_secs(30);
const PULL_HEARTBEAT: Duration = Duration::from_secs(5);

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
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(pull.batch)
        .expires(PULL_EXPIRES)
        .heartbeat(PULL_HEARTBEAT)
        .messages()
        .await?;
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => report_panic(joined),
            next = messages.next(), if tasks.len() < pull.concurrency => match next {
                Some(Ok(message)) => {
                    tasks.spawn(process::process(Arc::clone(&shared), message));
                }
                Some(Err(error)) => tracing::warn!(%error, "pulling messages failed, retrying"),
                None => return Err("the broker ended the subscription".into()),
            },
        }
    }
    // Stop pulling: what the server sent but nobody started is redelivered
    // after the ack wait.
    drop(messages);
    drain(tasks, pull.shutdown_grace).await;
    Ok(())
}

/// Waits for the tasks in hand up to `grace`; aborts the rest, which the broker
/// redelivers after the ack wait since they were never acknowledged.
async fn drain<T: 'static>(mut tasks: JoinSet<T>, grace: Duration) {
    let in_hand = tasks.len();
    tracing::info!(
        in_flight = in_hand,
        grace_seconds = grace.as_secs(),
        "shutting down: no more pulls, finishing the messages in hand"
    );
    let finished = tokio::time::timeout(grace, async {
        while let Some(joined) = tasks.join_next().await {
            report_panic(joined);
        }
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            abandoned = tasks.len(),
            "grace period over: messages still in hand are left for redelivery"
        );
        tasks.shutdown().await;
    }
}

fn report_panic<T>(joined: Result<T, tokio::task::JoinError>) {
    if let Err(error) = joined
        && error.is_panic()
    {
        tracing::error!(%error, "handler panicked; the message is redelivered after the ack wait");
    }
}
