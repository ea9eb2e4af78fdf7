//! Queue consumers: acknowledge after the work, pull without fixed sleeps, bound the
//! messages in flight, and send what keeps failing to a dead letter (docs/worker.md).

pub mod ack_before_work;
pub mod consumer_without_dead_letter;
pub mod fixed_sleep_poll;
mod loops;
pub mod unbounded_spawn_per_message;
