//! What the accept loop, the connections and the drain share: the connection
//! slots (the connection limit), the open connections, and whether the server
//! is closing.

use super::Limits;
use super::activity::{Activity, Running};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub struct Shared {
    pub limits: Limits,
    /// One permit per connection that may be open.
    pub slots: Arc<Semaphore>,
    /// Set once the listener has closed: every answer says `Connection: close`.
    closing: AtomicBool,
    connections: Mutex<HashMap<u64, Arc<Activity>>>,
    next_id: AtomicU64,
}

impl Shared {
    pub fn new(limits: Limits) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(limits.max_connections)),
            limits,
            closing: AtomicBool::new(false),
            connections: Mutex::default(),
            next_id: AtomicU64::new(0),
        }
    }

    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Relaxed)
    }

    /// Tells every connection to finish: busy ones after their request,
    /// idle ones soon (see `reaper::DRAIN_IDLE`).
    pub fn close_connections(&self) {
        self.closing.store(true, Ordering::Relaxed);
    }

    pub fn for_each_connection(&self, mut visit: impl FnMut(&Activity)) {
        for activity in self.lock().values() {
            visit(activity);
        }
    }

    pub fn register(&self, activity: Arc<Activity>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, activity);
        metrics::gauge!(super::CONNECTIONS_OPEN).increment(1.0);
        id
    }

    pub fn unregister(&self, id: u64) {
        self.lock().remove(&id);
        metrics::gauge!(super::CONNECTIONS_OPEN).decrement(1.0);
    }

    /// Requests running right now, with the peer that sent each.
    pub fn running(&self) -> Vec<(std::net::SocketAddr, Running)> {
        self.lock()
            .values()
            .filter_map(|activity| activity.running().map(|r| (activity.peer, r)))
            .collect()
    }

    /// Completes when every connection has closed.
    pub async fn all_closed(&self) {
        let all = u32::try_from(self.limits.max_connections).unwrap_or(u32::MAX);
        let _ = self.slots.acquire_many(all).await;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Activity>>> {
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
