//! `publish URL STREAM SUBJECT COUNT`: COUNT small JSON messages into STREAM.
//! `consume URL STREAM DURABLE BATCH`: the minimal async-nats pull consumer: pull
//! BATCH at a time, acknowledge each message, forever.
//! `wait URL STREAM DURABLE COUNT`: polls the consumer; prints the seconds from its
//! first delivery until COUNT messages are acknowledged.

use async_nats::jetstream::{self, consumer::pull, stream};
use futures_util::StreamExt;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().ok_or("missing argument, see src/main.rs");
    let client = async_nats::connect(arg(1)?).await?;
    let js = jetstream::new(client.clone());
    match arg(0)?.as_str() {
        "publish" => publish(&js, &arg(2)?, &arg(3)?, arg(4)?.parse()?).await,
        "consume" => consume(&js, &arg(2)?, &arg(3)?, arg(4)?.parse()?).await,
        "wait" => wait(&js, &arg(2)?, &arg(3)?, arg(4)?.parse()?).await,
        other => Err(format!("unknown command {other}").into()),
    }
}

async fn publish(js: &jetstream::Context, name: &str, subject: &str, count: u64) -> Result<(), Error> {
    js.get_or_create_stream(stream::Config {
        name: name.to_owned(),
        subjects: vec![format!("{}.>", subject.split('.').next().unwrap_or(subject))],
        ..Default::default()
    })
    .await?;
    let mut acks = Vec::with_capacity(1000);
    for n in 0..count {
        let payload = format!(r#"{{"id":"job-{n}","items":1}}"#);
        acks.push(js.publish(subject.to_owned(), payload.into()).await?);
        if acks.len() == 1000 {
            for ack in acks.drain(..) {
                ack.await?;
            }
        }
    }
    for ack in acks {
        ack.await?;
    }
    Ok(())
}

async fn consume(js: &jetstream::Context, name: &str, durable: &str, batch: usize) -> Result<(), Error> {
    let consumer = js
        .get_stream(name)
        .await?
        .get_or_create_consumer(
            durable,
            pull::Config {
                durable_name: Some(durable.to_owned()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: Duration::from_secs(30),
                ..Default::default()
            },
        )
        .await?;
    // The generated worker's pull settings and its recovery from the stream's
    // stall (templates/kit/src/worker/consume.rs): a new stream after two
    // missed heartbeats.
    let subscribe = || {
        consumer
            .stream()
            .max_messages_per_batch(batch)
            .expires(Duration::from_secs(5))
            .heartbeat(Duration::from_secs(1))
            .messages()
    };
    let mut messages = subscribe().await?;
    while let Some(message) = messages.next().await {
        match message {
            Ok(message) => message.ack().await?,
            Err(error) if error.kind() == pull::MessagesErrorKind::MissingHeartbeat => {
                messages = subscribe().await?;
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

async fn wait(js: &jetstream::Context, name: &str, durable: &str, count: u64) -> Result<(), Error> {
    let mut started = None;
    loop {
        if let Ok(mut consumer) = js.get_consumer_from_stream::<pull::Config, _, _>(durable, name).await {
            let info = consumer.info().await?;
            if started.is_none() && info.delivered.stream_sequence > 0 {
                started = Some(Instant::now());
            }
            if info.ack_floor.stream_sequence >= count {
                let seconds = started.map_or(0.0, |s: Instant| s.elapsed().as_secs_f64());
                println!("{seconds:.3}");
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
