//! Code knows the how; config files the where and how many.

mod address_sinks;
pub mod config_key_drift;
pub mod env_read_outside_config;
pub mod environment_branching;
pub mod hardcoded_address;
pub mod hardcoded_capacity;
mod xml_namespaces;
