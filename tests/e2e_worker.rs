//! End to end: `paved new --kind worker`, then build, test, clippy, rustfmt and
//! `paved lint` the worker; then, with its handler replaced by a scripted one
//! (tests/e2e_worker/scripted_handler.rs), run it against a real
//! `nats-server -js` on a free loopback port: messages processed as expected,
//! retries with growing delays, poison and malformed messages dead-lettered
//! with their error, nothing lost on SIGTERM or kill -9, metrics that pass
//! `promtool check metrics`.
//!
//! Shares the target dir of tests/e2e_service.rs (`PAVED_E2E_TARGET_DIR`).
//! A missing nats-server fails the test with what to install, unless
//! `PAVED_E2E_ALLOW_MISSING_TOOLS=1`.

#[path = "common/e2e.rs"]
mod e2e;
#[path = "common/nats.rs"]
mod nats;

use e2e::{
    actionlint, assert_lints_clean, assert_success, cargo, free_port, promtool_check, step,
    target_dir, tool_available,
};
use nats::{Connection, NatsServer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const NAME: &str = "e2e-jobs";
const SCRIPTED_NAME: &str = "e2e-jobs-scripted";
const STREAM: &str = "JOBS";
const DEAD_LETTERS: &str = "dead.jobs";
/// config/test.toml of the template.
const MAX_DELIVERIES: u64 = 3;
const ACK_WAIT: Duration = Duration::from_secs(3);

/// The generated worker, checked with its own tools before anything is changed.
struct Generated {
    _root: tempfile::TempDir,
    dir: PathBuf,
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join(NAME);
        let output = Command::new(env!("CARGO_BIN_EXE_paved"))
            .args(["new", NAME, "--kind", "worker", "--yes", "--vcs", "none"])
            .arg("--dest")
            .arg(&dir)
            .output()
            .expect("paved runs");
        assert_success(&output, "paved new --kind worker");
        cargo(&dir, &["build"]);
        Generated { _root: root, dir }
    })
}

/// A second worker, generated under another name (so its binary does not
/// replace the first one's) with the scripted handler; its binary.
fn scripted() -> &'static Scripted {
    static SCRIPTED: OnceLock<Scripted> = OnceLock::new();
    SCRIPTED.get_or_init(|| {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join(SCRIPTED_NAME);
        let output = Command::new(env!("CARGO_BIN_EXE_paved"))
            .args([
                "new",
                SCRIPTED_NAME,
                "--kind",
                "worker",
                "--yes",
                "--vcs",
                "none",
            ])
            .arg("--dest")
            .arg(&dir)
            .output()
            .expect("paved runs");
        assert_success(&output, "paved new --kind worker");
        std::fs::write(
            dir.join("src/handler.rs"),
            include_str!("e2e_worker/scripted_handler.rs"),
        )
        .unwrap();
        cargo(&dir, &["build"]);
        let binary = target_dir().join("debug").join(SCRIPTED_NAME);
        assert!(binary.exists(), "{} was built", binary.display());
        Scripted {
            _root: root,
            dir,
            binary,
        }
    })
}

struct Scripted {
    _root: tempfile::TempDir,
    dir: PathBuf,
    binary: PathBuf,
}

#[test]
fn generated_worker_builds_tests_and_passes_clippy_rustfmt_and_lint() {
    let dir = &generated().dir;
    cargo(dir, &["fmt", "--check"]);
    cargo(dir, &["test"]);
    cargo(dir, &["clippy", "--all-targets", "--", "-D", "warnings"]);
    assert_lints_clean(dir);
}

#[test]
fn worker_unit_and_workflow_pass_their_tools() {
    let dir = &generated().dir;
    if let Some(findings) = actionlint(&dir.join(".github/workflows/ci.yml")) {
        assert!(findings.trim().is_empty(), "actionlint:\n{findings}");
    }
    if tool_available(
        "systemd-analyze",
        &["--version"],
        "apt-get install -y systemd",
    ) {
        let unit = dir.join(format!("deploy/{NAME}.service"));
        let output = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(&unit)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        let problems: Vec<&str> = said
            .lines()
            .filter(|line| line.contains(&format!("{NAME}.service")))
            .filter(|line| !line.contains("/usr/local/bin/"))
            .collect();
        assert!(problems.is_empty(), "systemd-analyze verify:\n{said}");
    }
}

#[test]
fn processes_retries_and_dead_letters_as_configured() {
    let Some(broker) = nats_server() else { return };
    let mut worker = Worker::start(&broker, "e2e-process");
    let (status, body) = worker.get("/ping");
    assert_eq!((status, body.as_str()), (200, "OK"));

    let mut dead_letters = Connection::open(broker.port);
    dead_letters.subscribe(DEAD_LETTERS);
    dead_letters.flush();
    publish_jobs(
        &broker,
        &[
            r#"{"id":"ok-1"}"#,
            r#"{"id":"ok-2"}"#,
            r#"{"id":"ok-3"}"#,
            r#"{"id":"flaky","fail_times":2}"#,
            r#"{"id":"poison","poison":true}"#,
            "{not json",
        ],
    );
    let info = wait_until_settled(&broker, "e2e-process", 6);
    step(&format!("consumer settled: {info}"));
    // The broker can report the consumer settled while a retry delay still runs.
    wait_for_done(&worker, 4);

    // Each good job done once, on its first delivery; the flaky one on its third.
    let done = worker.done();
    let expected: BTreeMap<String, Vec<u64>> = [
        ("flaky", vec![3]),
        ("ok-1", vec![1]),
        ("ok-2", vec![1]),
        ("ok-3", vec![1]),
    ]
    .into_iter()
    .map(|(job, attempts)| (job.to_owned(), attempts))
    .collect();
    assert_eq!(done, expected, "logs:\n{}", worker.dump());

    // flaky (stream sequence 4): retried twice with a growing delay, then acked.
    let flaky = worker.settled(4);
    let outcomes: Vec<&str> = flaky
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["retried", "retried", "acked"], "{flaky:?}");
    let delays: Vec<i64> = flaky[..2]
        .iter()
        .map(|l| l["retry_in_ms"].as_i64().unwrap())
        .collect();
    assert!(
        delays[0] >= 100 && delays[1] > delays[0],
        "delays {delays:?}"
    );
    for (before, after) in flaky.iter().zip(&flaky[1..]).zip(&delays) {
        let ((before, after), delay) = (before, after);
        let waited = millis(after) - millis(before);
        assert!(
            waited >= delay - 20,
            "redelivered after {waited} ms, NAK asked {delay} ms"
        );
    }
    assert_eq!(flaky[2]["delivery"], 3);

    // poison (5): retried until the last delivery, then dead-lettered with its error.
    let poison = worker.settled(5);
    let outcomes: Vec<&str> = poison
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        ["retried", "retried", "dead_lettered"],
        "{poison:?}"
    );
    // malformed (6): dead-lettered on its first delivery.
    let malformed = worker.settled(6);
    assert_eq!(malformed.len(), 1, "{malformed:?}");
    assert_eq!(malformed[0]["outcome"], "dead_lettered");
    assert!(
        malformed[0]["error"]
            .as_str()
            .unwrap()
            .contains("malformed payload")
    );

    let mut letters = Vec::new();
    while let Some(letter) = dead_letters.next_message(Duration::from_secs(2)) {
        letters.push(letter);
    }
    assert_eq!(letters.len(), 2, "{letters:?}");
    let by_payload = |payload: &str| {
        letters
            .iter()
            .find(|letter| letter.payload == payload.as_bytes())
            .unwrap_or_else(|| panic!("dead letter {payload} in {letters:?}"))
    };
    let poison = by_payload(r#"{"id":"poison","poison":true}"#);
    let error = poison.header("Paved-Error").unwrap();
    assert!(
        error.contains(&format!("gave up after {MAX_DELIVERIES} deliveries"))
            && error.contains("poisoned"),
        "{error}"
    );
    assert_eq!(poison.header("Paved-Deliveries"), Some("3"));
    assert_eq!(poison.header("Paved-Subject"), Some("jobs.created"));
    let malformed = by_payload("{not json");
    assert!(
        malformed
            .header("Paved-Error")
            .unwrap()
            .contains("malformed payload")
    );
    assert_eq!(malformed.header("Paved-Deliveries"), Some("1"));

    let (status, metrics) = worker.get("/metrics");
    assert_eq!(status, 200);
    promtool_check(&metrics);
    assert_eq!(
        metric(&metrics, r#"worker_messages_total{outcome="acked"}"#),
        4.0
    );
    assert_eq!(
        metric(&metrics, r#"worker_messages_total{outcome="retried"}"#),
        4.0
    );
    assert_eq!(
        metric(
            &metrics,
            r#"worker_messages_total{outcome="dead_lettered"}"#
        ),
        2.0
    );
    assert_eq!(metric(&metrics, "worker_redeliveries_total"), 4.0);
    assert_eq!(metric(&metrics, "worker_messages_in_flight"), 0.0);
    assert_eq!(
        metric(&metrics, "worker_message_duration_seconds_count"),
        10.0
    );

    assert!(worker.terminate().success(), "exit 0 on SIGTERM");
}

#[test]
fn sigterm_finishes_what_it_can_and_leaves_the_rest_for_the_next_worker() {
    let Some(broker) = nats_server() else { return };
    let durable = "e2e-drain";
    let mut first = Worker::start(&broker, durable);
    // config/test.toml: a 3 s grace. Quick jobs finish within it, slow ones do not.
    let mut payloads: Vec<String> = (0..10)
        .map(|n| format!(r#"{{"id":"quick-{n}","sleep_ms":1000}}"#))
        .collect();
    payloads.extend((0..3).map(|n| format!(r#"{{"id":"slow-{n}","sleep_ms":12000}}"#)));
    let payloads: Vec<&str> = payloads.iter().map(String::as_str).collect();
    publish_jobs(&broker, &payloads);
    let started = |worker: &Worker| {
        worker
            .logs()
            .iter()
            .filter(|line| line["message"] == "job started")
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while started(&first) < payloads.len() {
        assert!(
            Instant::now() < deadline,
            "all jobs started:\n{}",
            first.dump()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = first.terminate();
    assert!(status.success(), "exit 0 after the drain: {status}");
    let finished_first = first.done();
    let quick: Vec<String> = (0..10).map(|n| format!("quick-{n}")).collect();
    assert_eq!(
        finished_first.keys().cloned().collect::<Vec<_>>(),
        quick,
        "the quick jobs finish within the grace:\n{}",
        first.dump()
    );

    // The next worker gets the slow ones (after the ack wait), and only them.
    let second = Worker::start(&broker, durable);
    wait_until_settled(&broker, durable, 13);
    wait_for_done(&second, 3);
    let finished_second = second.done();
    let slow: Vec<String> = (0..3).map(|n| format!("slow-{n}")).collect();
    assert_eq!(
        finished_second.keys().cloned().collect::<Vec<_>>(),
        slow,
        "redelivered: only what the first did not finish:\n{}",
        second.dump()
    );
    assert!(
        finished_second.values().all(|attempts| attempts == &[2]),
        "each redelivered once: {finished_second:?}"
    );
}

#[test]
fn kill_9_mid_message_redelivers_it_after_the_ack_wait() {
    let Some(broker) = nats_server() else { return };
    let durable = "e2e-kill";
    let mut first = Worker::start(&broker, durable);
    publish_jobs(&broker, &[r#"{"id":"interrupted","sleep_ms":20000}"#]);
    first.wait_for("job started", |line| line["message"] == "job started");
    first.kill();
    let killed_at = Instant::now();

    let second = Worker::start(&broker, durable);
    let done = second.wait_for("job done", |line| line["message"] == "job done");
    assert_eq!(
        (done["job"].as_str(), done["attempt"].as_u64()),
        (Some("interrupted"), Some(2))
    );
    assert!(
        killed_at.elapsed() >= ACK_WAIT - Duration::from_millis(200),
        "redelivered after the ack wait, not before ({:?})",
        killed_at.elapsed()
    );
    wait_until_settled(&broker, durable, 1);
}

#[test]
fn ping_says_nok_while_the_broker_is_down() {
    let Some(broker) = nats_server() else { return };
    let worker = Worker::start(&broker, "e2e-ping");
    assert_eq!(worker.get("/ping").0, 200);
    drop(broker);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = worker.get("/ping");
        if status == 500 {
            assert_eq!(body, "NOK - broker connection down");
            break;
        }
        assert!(Instant::now() < deadline, "/ping still {status} {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------
// The running worker.

/// A worker process with its JSON log lines collected as they come.
struct Worker {
    child: Child,
    admin_port: u16,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl Worker {
    fn start(broker: &NatsServer, durable: &str) -> Self {
        let admin_port = free_port();
        let mut child = Command::new(&scripted().binary)
            .arg("run")
            .current_dir(&scripted().dir)
            .env("APP_ENV", "test")
            .env("APP__BROKER__URL", broker.url())
            .env("APP__ADMIN__PORT", admin_port.to_string())
            .env("APP__CONSUMER__DURABLE", durable)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the worker starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&lines);
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let value: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|error| panic!("log line is not JSON ({error}): {line}"));
                collected.lock().unwrap().push(value);
            }
        });
        let worker = Self {
            child,
            admin_port,
            lines,
        };
        worker.wait_for("consuming", |line| line["message"] == "consuming");
        worker
    }

    fn logs(&self) -> Vec<Value> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits (up to 30 s) until some log line matches.
    fn wait_for(&self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(line) = self.logs().into_iter().find(|line| matches(line)) {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no log line {what} within 30 s; logs:\n{}",
                self.dump()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn dump(&self) -> String {
        self.logs()
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The `job done` lines: job id -> attempts on which it succeeded.
    fn done(&self) -> BTreeMap<String, Vec<u64>> {
        let mut done: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for line in self.logs() {
            if line["message"] == "job done" {
                let job = line["job"].as_str().unwrap().to_owned();
                done.entry(job)
                    .or_default()
                    .push(line["attempt"].as_u64().unwrap());
            }
        }
        done
    }

    /// The `message settled` lines of one stream sequence, in order.
    fn settled(&self, stream_sequence: u64) -> Vec<Value> {
        self.logs()
            .into_iter()
            .filter(|line| line["message"] == "message settled")
            .filter(|line| line["stream_sequence"] == stream_sequence)
            .collect()
    }

    fn get(&self, path: &str) -> (u16, String) {
        http_get(self.admin_port, path)
    }

    fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.wait(Duration::from_secs(15))
    }

    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the worker exits within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` on the admin listener: status and body.
fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("admin listener");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned());
    (status, body.unwrap_or_default())
}

fn publish_jobs(broker: &NatsServer, payloads: &[&str]) {
    let mut connection = Connection::open(broker.port);
    for payload in payloads {
        connection.publish("jobs.created", payload.as_bytes());
    }
    connection.flush();
}

/// Waits until the consumer has acknowledged the first `published` messages of
/// the stream, with nothing pending and nothing unacknowledged.
/// Waits (10 s at most) until the worker's log shows `jobs` distinct jobs done; the
/// assertions after it say what is missing.
fn wait_for_done(worker: &Worker, jobs: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while worker.done().len() < jobs && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_until_settled(broker: &NatsServer, durable: &str, published: u64) -> Value {
    let mut connection = Connection::open(broker.port);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let info = connection.consumer_info(STREAM, durable);
        let acked = info["ack_floor"]["stream_seq"].as_u64().unwrap_or(0);
        if acked >= published && info["num_pending"] == 0 && info["num_ack_pending"] == 0 {
            return info;
        }
        assert!(Instant::now() < deadline, "consumer never settled: {info}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn nats_server() -> Option<NatsServer> {
    tool_available(
        "nats-server",
        &["--version"],
        "apt-get install -y nats-server",
    )
    .then(|| NatsServer::start(free_port()))
}

fn metric(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{series} in\n{metrics}"))
}

fn millis(line: &Value) -> i64 {
    // "2026-12-06T18:24:14.473985Z": compare within one test run (same day).
    let time = line["timestamp"].as_str().unwrap();
    let clock = &time[11..time.len() - 1];
    let parts: Vec<f64> = clock.split(':').map(|part| part.parse().unwrap()).collect();
    ((parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]) * 1000.0) as i64
}
