//! The service's HTTP handlers, one file per resource (`/ping` and `/metrics`
//! come from the kit).

pub mod notes;
