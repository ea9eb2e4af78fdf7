//! A histogram with fixed buckets: one atomic counter per bucket, a count and
//! a sum, updated without locks. Nothing is buffered, so no upkeep task is
//! needed and memory does not grow between scrapes.

use metrics::HistogramFn;
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the latency buckets, in seconds: every histogram recorded
/// through the kit's recorder uses them (a histogram, not a summary).
pub const DURATION_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

pub struct Buckets {
    bounds: &'static [f64],
    /// Samples per bucket (not cumulative); the last one is `+Inf`.
    counts: Box<[AtomicU64]>,
    /// The sum of the samples, as `f64` bits.
    sum: AtomicU64,
}

/// What a scrape reads: cumulative counts per upper bound, then the sum.
pub struct Reading {
    pub cumulative: Vec<(f64, u64)>,
    /// Every sample, the `+Inf` bucket and `_count`.
    pub count: u64,
    pub sum: f64,
}

impl Buckets {
    pub fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum: AtomicU64::new(0f64.to_bits()),
        }
    }

    /// Reads every bucket once; the count is the sum of those reads, so the
    /// `+Inf` bucket and `_count` always agree with the finite buckets.
    pub fn read(&self) -> Reading {
        let mut running = 0;
        let mut cumulative = Vec::with_capacity(self.bounds.len());
        for (bound, count) in self.bounds.iter().zip(self.counts.iter()) {
            running += count.load(Ordering::Relaxed);
            cumulative.push((*bound, running));
        }
        let overflow = self.counts[self.bounds.len()].load(Ordering::Relaxed);
        Reading {
            cumulative,
            count: running + overflow,
            sum: f64::from_bits(self.sum.load(Ordering::Relaxed)),
        }
    }
}

impl HistogramFn for Buckets {
    fn record(&self, value: f64) {
        // `le` is inclusive; NaN lands in `+Inf` (and makes the sum NaN, as it should).
        let index = if value.is_nan() {
            self.bounds.len()
        } else {
            self.bounds.partition_point(|bound| *bound < value)
        };
        self.counts[index].fetch_add(1, Ordering::Relaxed);
        let _ = self
            .sum
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + value).to_bits())
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_land_in_the_first_bucket_whose_bound_they_do_not_exceed() {
        let buckets = Buckets::new(&[0.1, 1.0]);
        for value in [0.05, 0.1, 0.5, 1.0, 7.0] {
            buckets.record(value);
        }
        let reading = buckets.read();
        assert_eq!(reading.cumulative, vec![(0.1, 2), (1.0, 4)]);
        assert_eq!(reading.count, 5);
        assert!((reading.sum - 8.65).abs() < 1e-9, "{}", reading.sum);
    }

    #[test]
    fn nan_counts_in_inf_only() {
        let buckets = Buckets::new(&[1.0]);
        buckets.record(f64::NAN);
        let reading = buckets.read();
        assert_eq!(reading.cumulative, vec![(1.0, 0)]);
        assert_eq!(reading.count, 1);
        assert!(reading.sum.is_nan());
    }
}
