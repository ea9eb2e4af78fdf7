//! The kit's behaviour over a router or a real socket, one test binary.

#[cfg(feature = "sqlite")]
mod backup;
mod common;
mod metrics;
mod middleware;
mod shutdown;
#[cfg(feature = "sqlite")]
mod storage;
