//! What to do with a message once its handling is over: a pure function, so
//! the retry policy is tested without a broker.

use super::handler::HandlerError;
use std::time::Duration;

/// The retry policy, from `[consumer]`.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub max_deliveries: u64,
    pub retry_initial: Duration,
    pub retry_max: Duration,
}

/// How to settle a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Done: acknowledge.
    Ack,
    /// Try again: NAK with this delay.
    Retry(Duration),
    /// Give up: publish to the dead letters with this reason, then acknowledge.
    DeadLetter(String),
}

/// The verdict on delivery `attempt` (1-based) that ended with `result`;
/// `unit` is a random number in `[0, 1)` for the jitter.
pub fn decide(
    result: &Result<(), HandlerError>,
    attempt: u64,
    policy: &Policy,
    unit: f64,
) -> Verdict {
    match result {
        Ok(()) => Verdict::Ack,
        Err(HandlerError::Permanent(error)) => Verdict::DeadLetter(format!("permanent: {error}")),
        Err(HandlerError::Transient(error)) if attempt >= policy.max_deliveries => {
            Verdict::DeadLetter(format!(
                "transient, gave up after {attempt} deliveries: {error}"
            ))
        }
        Err(HandlerError::Transient(_)) => Verdict::Retry(super::backoff::delay(
            attempt,
            policy.retry_initial,
            policy.retry_max,
            unit,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Policy = Policy {
        max_deliveries: 3,
        retry_initial: Duration::from_millis(100),
        retry_max: Duration::from_secs(1),
    };

    #[test]
    fn success_is_acknowledged_on_any_attempt() {
        assert_eq!(decide(&Ok(()), 1, &POLICY, 0.5), Verdict::Ack);
        assert_eq!(decide(&Ok(()), 9, &POLICY, 0.5), Verdict::Ack);
    }

    #[test]
    fn transient_failures_retry_with_growing_delay_until_the_last_delivery() {
        let failed = Err(HandlerError::transient("timeout"));
        assert_eq!(
            decide(&failed, 1, &POLICY, 1.0),
            Verdict::Retry(Duration::from_millis(100))
        );
        assert_eq!(
            decide(&failed, 2, &POLICY, 1.0),
            Verdict::Retry(Duration::from_millis(200))
        );
        assert_eq!(
            decide(&failed, 3, &POLICY, 1.0),
            Verdict::DeadLetter("transient, gave up after 3 deliveries: timeout".into())
        );
    }

    #[test]
    fn permanent_failures_go_to_the_dead_letters_at_once() {
        let failed = Err(HandlerError::permanent("no such account"));
        assert_eq!(
            decide(&failed, 1, &POLICY, 0.0),
            Verdict::DeadLetter("permanent: no such account".into())
        );
    }
}
