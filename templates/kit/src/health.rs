//! What `/ping` answers. Probes run in the background and store their verdict
//! here, so a load balancer polling `/ping` never waits on (or loads) storage.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// What `/ping` says while the server drains before it stops.
pub const DRAINING: &str = "draining";

#[derive(Debug, Clone, Default)]
pub struct Health {
    /// `None` while healthy, otherwise why not.
    problem: Arc<RwLock<Option<Arc<str>>>>,
    /// Set on SIGTERM: load balancers must stop sending requests here.
    draining: Arc<AtomicBool>,
}

impl Health {
    pub fn new() -> Self {
        Self::default()
    }

    /// `Ok(())`, or the reason the service cannot do its job.
    pub fn status(&self) -> Result<(), Arc<str>> {
        if self.draining.load(Ordering::Relaxed) {
            return Err(Arc::from(DRAINING));
        }
        match &*self
            .problem
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
        {
            None => Ok(()),
            Some(reason) => Err(Arc::clone(reason)),
        }
    }

    pub fn set(&self, status: Result<(), String>) {
        let mut problem = self
            .problem
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *problem = status.err().map(Arc::from);
    }

    /// From now on `/ping` answers `NOK - draining`, whatever the probes say.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }
}
