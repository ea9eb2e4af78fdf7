//! The broker side: connect (with `/ping` following the connection), and make
//! sure the streams and the durable consumer exist.

use super::settings::{Broker, Consumer};
use crate::commands::CommandError;
use crate::health::Health;
use async_nats::jetstream::{self, consumer::PullConsumer, consumer::pull, stream};

/// Connects to `broker.url`; from then on `health` says whether the connection is up.
pub async fn connect(
    broker: &Broker,
    name: &str,
    health: Health,
) -> Result<async_nats::Client, CommandError> {
    let events = health.clone();
    let client = async_nats::ConnectOptions::new()
        .name(name)
        .connection_timeout(broker.connect_timeout())
        .event_callback(move |event| {
            let health = events.clone();
            async move {
                match event {
                    async_nats::Event::Connected => {
                        tracing::info!("broker connection up");
                        health.set(Ok(()));
                    }
                    async_nats::Event::Disconnected => {
                        tracing::warn!("broker connection down, reconnecting");
                        health.set(Err("broker connection down".to_owned()));
                    }
                    other => tracing::info!(event = %other, "broker event"),
                }
            }
        })
        .connect(broker.url.as_str())
        .await
        .map_err(|error| format!("cannot connect to broker.url {:?}: {error}", broker.url))?;
    health.set(Ok(()));
    tracing::info!(url = %broker.url, "connected to the broker");
    Ok(client)
}

/// Creates what is missing: the work stream, the dead-letter stream, the
/// durable pull consumer. Existing ones are used as they are.
pub async fn consumer(
    jetstream: &jetstream::Context,
    consumer: &Consumer,
) -> Result<PullConsumer, CommandError> {
    let work = jetstream
        .get_or_create_stream(stream::Config {
            name: consumer.stream.clone(),
            subjects: vec![consumer.subject.clone()],
            ..Default::default()
        })
        .await
        .map_err(|error| format!("stream consumer.stream {:?}: {error}", consumer.stream))?;
    jetstream
        .get_or_create_stream(stream::Config {
            name: consumer.dead_letter_stream.clone(),
            subjects: vec![consumer.dead_letter_subject.clone()],
            ..Default::default()
        })
        .await
        .map_err(|error| {
            format!(
                "stream consumer.dead_letter_stream {:?}: {error}",
                consumer.dead_letter_stream
            )
        })?;
    let config = pull::Config {
        durable_name: Some(consumer.durable.clone()),
        filter_subject: consumer.subject.clone(),
        ack_policy: jetstream::consumer::AckPolicy::Explicit,
        ack_wait: consumer.ack_wait(),
        // The worker dead-letters on the last delivery itself; a server-side
        // limit would stop redelivering a message whose dead letter failed.
        max_deliver: -1,
        ..Default::default()
    };
    work.get_or_create_consumer(&consumer.durable, config)
        .await
        .map_err(|error| {
            format!(
                "durable consumer consumer.durable {:?}: {error}",
                consumer.durable
            )
            .into()
        })
}
