//! The reaper: one task per server that, every tick, advances the coarse
//! clock and looks at every connection: headers too slow, idle too long (one
//! second once the server is closing), or asked to finish and still open. It
//! logs and counts what it closes. One task looking five times a second costs
//! less than a timer per connection touched on every request.

use super::CONNECTION_TIMEOUTS;
use super::activity::{DROP, FINISH, Verdict, clock};
use super::shared::Shared;
use std::sync::Arc;
use std::time::Duration;

pub const TICK: Duration = Duration::from_millis(200);

/// Once the server is closing, an idle connection is closed after this long
/// without a request, instead of after `server.idle_timeout_seconds`: long
/// enough that a client which just got an answer has sent its next request
/// (which then gets `Connection: close`), short enough not to hold up the exit.
const DRAIN_IDLE: Duration = Duration::from_secs(1);

/// Runs until aborted.
pub async fn run(shared: Arc<Shared>) {
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        sweep(&shared, clock::tick());
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn sweep(shared: &Shared, now_ms: u64) {
    let limits = &shared.limits;
    let closing = shared.is_closing();
    let header_ms = millis(limits.header_read_timeout);
    let idle = if closing {
        DRAIN_IDLE.min(limits.idle_timeout)
    } else {
        limits.idle_timeout
    };
    shared.for_each_connection(|activity| {
        match activity.verdict(now_ms, header_ms, millis(idle), millis(TICK)) {
            Verdict::Fine => {}
            Verdict::HeaderTimeout => {
                metrics::counter!(CONNECTION_TIMEOUTS, "timeout" => "header_read").increment(1);
                tracing::warn!(
                    peer = %activity.peer,
                    timeout_seconds = limits.header_read_timeout.as_secs(),
                    "connection closed: request headers incomplete in time"
                );
                activity.command(DROP);
            }
            Verdict::Idle => {
                if !closing {
                    metrics::counter!(CONNECTION_TIMEOUTS, "timeout" => "idle").increment(1);
                    tracing::info!(
                        peer = %activity.peer,
                        timeout_seconds = limits.idle_timeout.as_secs(),
                        "connection closed: idle"
                    );
                }
                activity.command(FINISH);
            }
            Verdict::Overdue => {
                tracing::debug!(peer = %activity.peer, "connection did not finish in time, dropped");
                activity.command(DROP);
            }
        }
    });
}
