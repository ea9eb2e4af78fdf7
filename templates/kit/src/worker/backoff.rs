//! The delay before a failed message is delivered again: exponential in the
//! attempt, capped, with full jitter so a burst of failures does not come back as
//! a burst.

use std::time::Duration;

/// `initial * 2^(attempt-1)`, capped at `max`.
pub fn ceiling(attempt: u64, initial: Duration, max: Duration) -> Duration {
    let doublings = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(31);
    initial.saturating_mul(1 << doublings).min(max)
}

/// A delay between half the [`ceiling`] and the ceiling ("equal jitter"): it still
/// grows with every attempt, and retries of messages that failed together spread
/// out. `unit` is a random number in `[0, 1)`.
pub fn delay(attempt: u64, initial: Duration, max: Duration, unit: f64) -> Duration {
    let ceiling = ceiling(attempt, initial, max);
    let half = ceiling / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

/// [`delay`] with a fresh random number.
pub fn jittered(attempt: u64, initial: Duration, max: Duration) -> Duration {
    delay(attempt, initial, max, rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INITIAL: Duration = Duration::from_millis(100);
    const MAX: Duration = Duration::from_secs(5);

    #[test]
    fn ceiling_doubles_per_attempt_up_to_the_cap() {
        let ceilings: Vec<u128> = (1..=8)
            .map(|attempt| ceiling(attempt, INITIAL, MAX).as_millis())
            .collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
        assert_eq!(ceiling(u64::MAX, INITIAL, MAX), MAX);
    }

    #[test]
    fn jitter_stays_between_half_the_ceiling_and_the_ceiling() {
        assert_eq!(delay(3, INITIAL, MAX, 0.0), Duration::from_millis(200));
        assert_eq!(delay(3, INITIAL, MAX, 0.5), Duration::from_millis(300));
        assert_eq!(delay(3, INITIAL, MAX, 7.0), Duration::from_millis(400));
        let second = jittered(2, INITIAL, MAX);
        assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
    }

    #[test]
    fn the_shortest_delay_of_an_attempt_is_the_longest_of_the_one_before() {
        for attempt in 1..6 {
            assert!(delay(attempt + 1, INITIAL, MAX, 0.0) >= delay(attempt, INITIAL, MAX, 1.0));
        }
    }
}
