//! `replay`: puts the dead letters back on the subjects they came from, once
//! whatever made them fail is fixed. Each is republished (and stored by the
//! work stream) before it is deleted from the dead-letter stream, so a replay
//! cut short loses nothing; at worst a message is replayed twice.

use super::process::HEADER_SUBJECT;
use super::settings::{Broker, Consumer};
use crate::commands::CommandError;
use crate::health::Health;
use async_nats::jetstream::{self, consumer::pull};
use futures_util::StreamExt;
use std::time::Duration;

const BATCH: usize = 100;

/// Replays up to `limit` dead letters (all with `None`); returns how many.
pub async fn replay(
    broker: &Broker,
    consumer: &Consumer,
    limit: Option<usize>,
) -> Result<usize, CommandError> {
    let client = super::broker::connect(broker, &consumer.durable, Health::new()).await?;
    let jetstream = jetstream::new(client.clone());
    let dead = jetstream
        .get_stream(&consumer.dead_letter_stream)
        .await
        .map_err(|error| {
            format!(
                "stream consumer.dead_letter_stream {:?}: {error}",
                consumer.dead_letter_stream
            )
        })?;
    let reader = dead
        .create_consumer(pull::Config {
            ack_policy: jetstream::consumer::AckPolicy::None,
            inactive_threshold: Duration::from_secs(60),
            ..Default::default()
        })
        .await?;
    let limit = limit.unwrap_or(usize::MAX);
    let mut replayed = 0;
    while replayed < limit {
        let mut batch = reader
            .fetch()
            .max_messages(BATCH.min(limit - replayed))
            .messages()
            .await?;
        let mut got_any = false;
        while let Some(message) = batch.next().await {
            let message = message?;
            got_any = true;
            let sequence = message.info()?.stream_sequence;
            let Some(subject) = message
                .headers
                .as_ref()
                .and_then(|headers| headers.get(HEADER_SUBJECT))
                .map(|subject| subject.as_str().to_owned())
            else {
                tracing::warn!(
                    sequence,
                    "dead letter without {HEADER_SUBJECT}, left in place"
                );
                continue;
            };
            jetstream
                .publish(subject.clone(), message.payload.clone())
                .await?
                .await?;
            dead.delete_message(sequence).await?;
            tracing::info!(sequence, %subject, "dead letter replayed");
            replayed += 1;
        }
        if !got_any {
            break;
        }
    }
    client.flush().await?;
    Ok(replayed)
}
