//! The access log: one JSON line per request, in the same shape as every
//! other log line, obeying the same filter (target `access`).
//!
//! Written straight to the log writer instead of through `tracing::info!`:
//! its fields are fixed, and skipping tracing's per-field visitor makes the
//! line several times cheaper, on the path of every request.

use super::json::{write_json_str, write_micros_as_seconds, write_timestamp, write_u64};
use super::writer::StdoutWriter;
use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;
use std::time::Duration;

/// The target to filter on: `log.level = "info,access=warn"` silences it.
pub const TARGET: &str = "access";

static WRITER: OnceLock<StdoutWriter> = OnceLock::new();

thread_local! {
    static LINE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Called by `logging::init` with the writer the subscriber uses.
pub(super) fn install(writer: StdoutWriter) {
    let _ = WRITER.set(writer);
}

/// What one access-log line says.
pub struct Access<'a> {
    pub method: &'a str,
    /// The route's pattern (`/v1/notes/{id}`), not the raw path.
    pub route: &'a str,
    pub status: u16,
    pub latency: Duration,
    pub request_id: &'a str,
}

pub fn log(access: &Access<'_>) {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return;
    }
    let Some(writer) = WRITER.get() else {
        let latency_seconds = access.latency.as_micros() as f64 / 1e6;
        // Logging was not started by `logging::init` (as in tests): let
        // whatever subscriber there is have the event.
        tracing::info!(
            target: TARGET,
            method = access.method,
            route = access.route,
            status = access.status,
            latency_seconds,
            request_id = access.request_id,
            "request"
        );
        return;
    };
    LINE.with_borrow_mut(|line| {
        line.clear();
        if format(line, access).is_ok() {
            writer.write_line(line.as_bytes());
        }
    });
}

fn format(line: &mut String, access: &Access<'_>) -> fmt::Result {
    line.push_str("{\"timestamp\":\"");
    write_timestamp(line)?;
    line.push_str(
        "\",\"level\":\"INFO\",\"target\":\"access\",\"message\":\"request\",\"method\":",
    );
    write_json_str(line, access.method)?;
    line.push_str(",\"route\":");
    write_json_str(line, access.route)?;
    line.push_str(",\"status\":");
    write_u64(line, u64::from(access.status))?;
    line.push_str(",\"latency_seconds\":");
    let micros = u64::try_from(access.latency.as_micros()).unwrap_or(u64::MAX);
    write_micros_as_seconds(line, micros)?;
    line.push_str(",\"request_id\":");
    write_json_str(line, access.request_id)?;
    line.write_str("}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_is_one_json_object() {
        let mut line = String::new();
        let access = Access {
            method: "GET",
            route: "/v1/notes/{id}",
            status: 200,
            latency: Duration::from_micros(1234),
            request_id: "abc\"def",
        };
        format(&mut line, &access).unwrap();
        assert!(line.ends_with("}\n"), "{line}");
        let rest = line.split_once("Z\",").unwrap().1;
        assert_eq!(
            rest,
            "\"level\":\"INFO\",\"target\":\"access\",\"message\":\"request\",\"method\":\"GET\",\
             \"route\":\"/v1/notes/{id}\",\"status\":200,\"latency_seconds\":0.001234,\
             \"request_id\":\"abc\\\"def\"}\n"
        );
    }
}
