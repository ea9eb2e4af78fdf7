//! The recorder behind the `metrics` facade: counters, gauges and histograms
//! by key (name and labels), each an `Arc` handed out once and updated with
//! atomics, and the descriptions `describe_*!` gives them.
//!
//! It replaces metrics-exporter-prometheus, whose exporter stack (metrics-util,
//! quanta, rand, crossbeam, evmap, sketches...) was about a seventh of a
//! generated service's cold build; `benches/metrics.rs` compares the two.

use super::histogram::{Buckets, DURATION_BUCKETS};
use super::render;
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, SharedString, Unit};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, PoisonError, RwLock};

/// Series of one kind by key. A `Key` hashes as its precomputed `u64`, so the
/// map's hasher passes it through.
pub(super) type Series<T> = RwLock<HashMap<Key, Arc<T>, BuildHasherDefault<KeyHash>>>;

#[derive(Default)]
pub(super) struct KeyHash(super::Fnv1a);

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0.finish()
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not reached for `Key` (it only calls `write_u64`); FNV-1a otherwise.
        self.0.write(bytes);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = super::Fnv1a(value);
    }
}

/// `# HELP` text and unit of a metric, by (sanitized) name.
pub(super) struct Description {
    pub unit: Option<Unit>,
    pub text: SharedString,
}

#[derive(Default)]
pub(super) struct Registry {
    pub counters: Series<AtomicU64>,
    /// Gauges hold `f64` bits (`metrics` implements `GaugeFn` for `AtomicU64`).
    pub gauges: Series<AtomicU64>,
    pub histograms: Series<Buckets>,
    pub descriptions: RwLock<HashMap<String, Description>>,
}

/// The kit's recorder. `metrics::install` installs one per process; tests and
/// benchmarks can build their own and use it with `metrics::with_local_recorder`.
#[derive(Clone, Default)]
pub struct PrometheusRecorder {
    registry: Arc<Registry>,
}

/// Renders what a recorder holds in the Prometheus text format (`/metrics`).
#[derive(Clone)]
pub struct PrometheusHandle {
    registry: Arc<Registry>,
}

impl PrometheusRecorder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn handle(&self) -> PrometheusHandle {
        PrometheusHandle {
            registry: self.registry.clone(),
        }
    }

    fn describe(&self, key: &KeyName, unit: Option<Unit>, text: SharedString) {
        self.registry
            .descriptions
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                render::sanitize_name(key.as_str()),
                Description { unit, text },
            );
    }
}

impl PrometheusHandle {
    /// The text exposition format (version 0.0.4), metrics sorted by name and
    /// series by labels.
    pub fn render(&self) -> String {
        render::render(&self.registry)
    }
}

/// The series of `key`, registered on first use.
fn series<T>(map: &Series<T>, key: &Key, make: impl FnOnce() -> T) -> Arc<T> {
    if let Some(found) = map.read().unwrap_or_else(PoisonError::into_inner).get(key) {
        return found.clone();
    }
    map.write()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key.clone())
        .or_insert_with(|| Arc::new(make()))
        .clone()
}

impl metrics::Recorder for PrometheusRecorder {
    fn describe_counter(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.describe(&key, unit, description);
    }

    fn describe_gauge(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.describe(&key, unit, description);
    }

    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.describe(&key, unit, description);
    }

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(series(&self.registry.counters, key, || AtomicU64::new(0)))
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        let zero = || AtomicU64::new(0f64.to_bits());
        Gauge::from_arc(series(&self.registry.gauges, key, zero))
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        let buckets = || Buckets::new(DURATION_BUCKETS);
        Histogram::from_arc(series(&self.registry.histograms, key, buckets))
    }
}
