//! The worker's tests, one binary (one link) for all of them. They need no
//! broker: pulling, retries, dead letters and the drain are the kit's, tested
//! in the paved repository against a real nats-server.

mod common;
mod config;
mod handler;
