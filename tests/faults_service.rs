//! The generated sqlite service under faults, on a release build, over
//! loopback: slow and silent clients, the connection and file-descriptor
//! limits, requests hyper refuses, a drain under load (counting resets), a
//! backup under steady writes, kill -9 under writes, bad configuration.
//!
//! Every loop is bounded by a count or a deadline. The release build goes to
//! `PAVED_E2E_TARGET_DIR` (or `target/e2e`), shared with tests/e2e_service.rs.
//! Longer runs of the same attacks: bench/soak.sh.

#[path = "faults/harness.rs"]
mod harness;

use harness::{Client, Env, Failure, post_note, request, serial};
use std::collections::HashMap;
use std::io::Write;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PING: &str = "GET /ping HTTP/1.1\r\nhost: t\r\n\r\n";

#[test]
fn slow_and_silent_clients_are_closed_by_the_timeouts() {
    let _serial = serial();
    let env = Env::new(&[
        ("APP__SERVER__HEADER_READ_TIMEOUT_SECONDS", "1"),
        ("APP__SERVER__IDLE_TIMEOUT_SECONDS", "2"),
    ]);
    let server = env.start();
    let address = env.address();

    let opened = Instant::now();
    let silent = Client::connect(address).unwrap();
    let half_line = Client::connect(address).unwrap();
    half_line
        .stream()
        .try_clone()
        .unwrap()
        .write_all(b"GET /pi")
        .unwrap();
    // One header byte every 200 ms: never done, never quiet.
    let trickle = std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(b"GET /ping HTTP/1.1\r\n").unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(8) {
            if stream.write_all(b"x").is_err() {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        None
    });
    let mut idle = Client::connect(address).unwrap();
    assert_eq!(idle.send(PING.as_bytes()).unwrap().status, 200);
    let answered = Instant::now();

    for (what, mut client, since, min, max) in [
        ("silent", silent, opened, 0.9, 4.0),
        ("half a request line", half_line, opened, 0.9, 4.0),
        ("idle keep-alive", idle, answered, 1.9, 6.0),
    ] {
        let closed = client
            .wait_for_close(Duration::from_secs(8))
            .unwrap_or_else(|failure| panic!("{what}: {failure:?}"));
        let seconds = (closed - since).as_secs_f64();
        assert!(
            (min..=max).contains(&seconds),
            "{what} closed after {seconds:.2} s"
        );
    }
    let trickled = trickle
        .join()
        .unwrap()
        .expect("the trickling client was cut off");
    assert!(
        trickled < Duration::from_secs(5),
        "trickle cut after {trickled:?}"
    );

    let timeouts = server.wait_for_logs(
        "request headers incomplete in time",
        3,
        Duration::from_secs(5),
    );
    assert!(timeouts.len() >= 3, "{}", server.logs());
    assert!(
        !server
            .wait_for_log("connection closed: idle", Duration::from_secs(5))
            .is_empty()
    );
    assert!(server.metric(r#"http_connection_timeouts_total{timeout="header_read"}"#) >= 3.0);
    assert!(server.metric(r#"http_connection_timeouts_total{timeout="idle"}"#) >= 1.0);
}

#[test]
fn connection_limit_holds_new_connections_until_one_closes() {
    let _serial = serial();
    let env = Env::new(&[
        ("APP__SERVER__MAX_CONNECTIONS", "4"),
        ("APP__SERVER__HEADER_READ_TIMEOUT_SECONDS", "2"),
    ]);
    let server = env.start();
    // Startup's /ping connection may still hold its slot for a moment.
    std::thread::sleep(Duration::from_millis(200));
    let silent: Vec<Client> = (0..4)
        .map(|_| Client::connect(env.address()).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));

    let started = Instant::now();
    let reply = request(
        env.address(),
        "GET /ping HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
    )
    .expect("answered once the silent connections are closed");
    let waited = started.elapsed();
    assert_eq!(reply.status, 200);
    assert!(
        waited > Duration::from_millis(800) && waited < Duration::from_secs(8),
        "waited {waited:?}"
    );
    drop(silent);
    assert!(
        !server
            .wait_for_log("connection limit reached", Duration::from_secs(5))
            .is_empty(),
        "{}",
        server.logs()
    );
    assert!(server.metric("http_connection_limit_reached_total") >= 1.0);
}

#[test]
fn out_of_file_descriptors_is_logged_counted_and_survived() {
    let _serial = serial();
    let env = Env::new(&[("APP__SERVER__HEADER_READ_TIMEOUT_SECONDS", "1")]);
    let mut command = Command::new("prlimit");
    let inner = env.command();
    command
        .arg("--nofile=48:48")
        .arg(inner.get_program())
        .current_dir(inner.get_current_dir().unwrap())
        .env_remove("RUST_LOG");
    for (key, value) in inner.get_envs() {
        if let Some(value) = value {
            command.env(key, value);
        }
    }
    let server = env.start_with(command);

    // More connections than descriptors: accept fails with EMFILE.
    let flood: Vec<_> = (0..64)
        .filter_map(|_| std::net::TcpStream::connect(env.address()).ok())
        .collect();
    let lines = server.wait_for_log("cannot accept connections", Duration::from_secs(5));
    assert!(!lines.is_empty(), "{}", server.logs());
    drop(flood);

    // The header-read timeout frees the descriptors; the service recovers.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if request(
            env.address(),
            "GET /ping HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        )
        .is_ok_and(|reply| reply.status == 200)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never recovered:\n{}",
            server.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.metric("http_accept_errors_total") >= 1.0);
}

#[test]
fn requests_refused_by_the_http_parser_are_counted_and_logged() {
    let _serial = serial();
    let env = Env::new(&[("APP__LOG__LEVEL", "info")]);
    let server = env.start();
    let many_headers: String = (0..120).map(|n| format!("x-h{n}: v\r\n")).collect();
    let long_uri = "a".repeat(70_000);
    let cases = [
        (
            format!("GET /ping HTTP/1.1\r\nhost: t\r\n{many_headers}\r\n"),
            431,
        ),
        (format!("GET /{long_uri} HTTP/1.1\r\nhost: t\r\n\r\n"), 414),
        ("GET /pi\0ng HTTP/1.1\r\nhost: t\r\n\r\n".to_owned(), 400),
        ("HELLO THERE\r\n\r\n".to_owned(), 400),
        (
            "POST /v1/notes HTTP/1.1\r\nhost: t\r\ncontent-length: abc\r\n\r\n".to_owned(),
            400,
        ),
    ];
    for (raw, status) in &cases {
        let reply =
            request(env.address(), raw).unwrap_or_else(|failure| panic!("{status}: {failure:?}"));
        assert_eq!(reply.status, *status, "{}", &raw[..raw.len().min(60)]);
    }
    for (status, count) in [(431, 1.0), (414, 1.0), (400, 3.0)] {
        let series =
            format!(r#"http_requests_total{{method="OTHER",route="unparsed",status="{status}"}}"#);
        assert_eq!(server.metric(&series), count, "{series}");
    }
    let refused = server.wait_for_logs(
        "refused by the HTTP parser",
        cases.len(),
        Duration::from_secs(5),
    );
    assert_eq!(refused.len(), cases.len(), "{}", server.logs());
    let access = server
        .logs()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["target"] == "access" && line["route"] == "unparsed")
        .count();
    assert_eq!(access, cases.len(), "{}", server.logs());
}

#[test]
fn bad_configuration_is_refused_naming_the_key() {
    let _serial = serial();
    for (key, value, named) in [
        ("APP__LOG__LEVEL", "warning", "log.level"),
        ("APP__LOG__LEVEL", "verbose", "log.level"),
        ("APP__BACKUP__KEEP", "7.5", "backup.keep"),
        (
            "APP__SERVER__HEADER_READ_TIMEOUT_SECONDS",
            "0",
            "server.header_read_timeout_seconds",
        ),
        (
            "APP__STORAGE__SYNCHRONOUS",
            "sometimes",
            "storage.synchronous",
        ),
        ("APP__SERVER__IDLE_TIMEOUT", "5", "idle_timeout"),
    ] {
        let env = Env::new(&[(key, value)]);
        let output = env
            .run(&["serve"], Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{key}={value}: still running after 10 s"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(78), "{key}={value}: {stdout}");
        let line: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap_or(""))
            .unwrap_or_else(|error| panic!("{key}={value}: not one JSON line ({error}): {stdout}"));
        assert!(line.to_string().contains(named), "{key}={value}: {line}");
    }

    let env = Env::new(&[("APP__SERVER__HOST", "no-such-host.invalid")]);
    let output = env
        .run(&["serve"], Duration::from_secs(10))
        .expect("stops at once");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(stdout.contains("no-such-host.invalid"), "{stdout}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let env = Env::new(&[("APP__SERVER__PORT", &port)]);
    let output = env
        .run(&["serve"], Duration::from_secs(10))
        .expect("stops at once");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(stdout.contains(&format!("127.0.0.1:{port}")), "{stdout}");
}

/// What the load threads saw.
#[derive(Default)]
struct Tally {
    answered: AtomicU64,
    answered_after_signal: AtomicU64,
    closed_by_server: AtomicU64,
    failures: Mutex<Vec<Failure>>,
}

#[test]
fn drain_under_load_resets_no_request() {
    let _serial = serial();
    let env = Env::new(&[
        ("APP__SERVER__DRAIN_DELAY_SECONDS", "2"),
        ("APP__SERVER__SHUTDOWN_GRACE_SECONDS", "3"),
        ("APP__HTTP__REQUEST_TIMEOUT_SECONDS", "60"),
    ]);
    let mut server = env.start();
    let address = env.address();
    let signalled = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());

    // 16 keep-alive connections posting as fast as answers come.
    let load: Vec<_> = (0..16)
        .map(|n| {
            let (signalled, tally) = (Arc::clone(&signalled), Arc::clone(&tally));
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(20);
                let mut client = None;
                let mut sent = 0_u64;
                while Instant::now() < deadline {
                    let connection = match client.as_mut() {
                        Some(connection) => connection,
                        // Refused once the listener has closed: done.
                        None => match Client::connect(address) {
                            Ok(connection) => client.insert(connection),
                            Err(_) => return,
                        },
                    };
                    sent += 1;
                    match connection.send(&post_note(&format!("load {n} {sent}"))) {
                        Ok(reply) => {
                            assert_eq!(reply.status, 201, "{}", reply.body);
                            tally.answered.fetch_add(1, Ordering::Relaxed);
                            if signalled.load(Ordering::Relaxed) {
                                tally.answered_after_signal.fetch_add(1, Ordering::Relaxed);
                            }
                            if reply.closes() {
                                tally.closed_by_server.fetch_add(1, Ordering::Relaxed);
                                client = None;
                            }
                        }
                        Err(failure) => {
                            tally.failures.lock().unwrap().push(failure);
                            client = None;
                        }
                    }
                }
            })
        })
        .collect();

    // An idle keep-alive connection, and a request that never finishes
    // sending its body (still running when the grace ends).
    let mut idle = Client::connect(address).unwrap();
    assert_eq!(idle.send(PING.as_bytes()).unwrap().status, 200);
    let stuck = Client::connect(address).unwrap();
    stuck
        .stream()
        .try_clone()
        .unwrap()
        .write_all(b"POST /v1/notes HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"text\":")
        .unwrap();

    std::thread::sleep(Duration::from_secs(1));
    let signalled_at = Instant::now();
    server.signal("-TERM");
    signalled.store(true, Ordering::Relaxed);

    // During the drain delay /ping says so, on a new connection.
    std::thread::sleep(Duration::from_millis(300));
    let ping = request(
        address,
        "GET /ping HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
    )
    .expect("still serving during the drain delay");
    assert_eq!((ping.status, ping.body.as_str()), (500, "NOK - draining"));

    let idle_closed = idle.wait_for_close(Duration::from_secs(8));
    let status = server.wait(Duration::from_secs(15));
    let exited_after = signalled_at.elapsed();
    for thread in load {
        thread.join().unwrap();
    }

    let failures = tally.failures.lock().unwrap();
    let resets = failures.iter().filter(|f| **f == Failure::Reset).count();
    eprintln!(
        "faults: drain: {} answered ({} after SIGTERM), {} closed with Connection: close, {} resets, other failures {:?}, exit after {exited_after:.2?}",
        tally.answered.load(Ordering::Relaxed),
        tally.answered_after_signal.load(Ordering::Relaxed),
        tally.closed_by_server.load(Ordering::Relaxed),
        resets,
        failures
            .iter()
            .filter(|f| **f != Failure::Reset)
            .collect::<Vec<_>>()
    );
    assert_eq!(resets, 0, "requests reset by the drain");
    assert!(
        failures.is_empty(),
        "requests without an answer: {failures:?}"
    );
    assert!(
        tally.answered_after_signal.load(Ordering::Relaxed) > 0,
        "served during the delay"
    );
    assert!(
        tally.closed_by_server.load(Ordering::Relaxed) > 0,
        "Connection: close seen"
    );
    assert!(
        idle_closed.is_ok(),
        "idle connection closed cleanly: {idle_closed:?}"
    );
    assert_eq!(status.code(), Some(0), "{}", server.logs());
    assert!(
        exited_after >= Duration::from_secs(2) && exited_after < Duration::from_secs(12),
        "exit after {exited_after:?}"
    );
    let running = server.wait_for_log(
        "request still running at the end of the grace period",
        Duration::from_secs(2),
    );
    assert_eq!(running.len(), 1, "{}", server.logs());
    assert_eq!(running[0]["method"], "POST");
    assert!(!server.log_lines("listener closed").is_empty());
}

/// Writers posting notes until `stop`; returns the acknowledged (id, text).
fn writers(
    address: std::net::SocketAddr,
    threads: usize,
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<Vec<(i64, String)>>> {
    (0..threads)
        .map(|n| {
            let stop = Arc::clone(stop);
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                let Ok(mut client) = Client::connect(address) else {
                    return acked;
                };
                let deadline = Instant::now() + Duration::from_secs(60);
                let mut sent = 0;
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    sent += 1;
                    let text = format!("writer {n} note {sent}");
                    match client.send(&post_note(&text)) {
                        Ok(reply) if reply.status == 201 => {
                            let json: serde_json::Value =
                                serde_json::from_str(&reply.body).unwrap();
                            acked.push((json["data"]["id"].as_i64().unwrap(), text));
                        }
                        _ => return acked,
                    }
                }
                acked
            })
        })
        .collect()
}

#[test]
fn backup_under_steady_writes_finishes_in_bounded_time() {
    let _serial = serial();
    let env = Env::new(&[("APP__STORAGE__SYNCHRONOUS", "normal")]);
    let server = env.start();
    std::fs::create_dir_all(env.backup_dir()).unwrap();
    // What a backup killed half-way leaves behind.
    for leftover in [
        "notes-20260101T000000.000Z.db.partial",
        "notes-20260101T000000.000Z.db.partial-journal",
    ] {
        std::fs::write(env.backup_dir().join(leftover), b"half").unwrap();
    }

    let stop = Arc::new(AtomicBool::new(false));
    let writing = writers(env.address(), 8, &stop);
    std::thread::sleep(Duration::from_secs(2));
    let before =
        server.metric(r#"http_requests_total{method="POST",route="/v1/notes",status="201"}"#);
    let started = Instant::now();
    let output = env.run(&["backup"], Duration::from_secs(30));
    let took = started.elapsed();
    let during = server
        .metric(r#"http_requests_total{method="POST",route="/v1/notes",status="201"}"#)
        - before;
    stop.store(true, Ordering::Relaxed);
    let acked: usize = writing.into_iter().map(|w| w.join().unwrap().len()).sum();
    let output = output.expect("backup finished within 30 s under writes");
    harness::assert_success(&output, "backup under writes");
    eprintln!(
        "faults: backup took {took:.2?} while {during} notes were written ({:.0}/s); {acked} in all",
        during / took.as_secs_f64()
    );
    assert!(took < Duration::from_secs(20), "backup took {took:?}");
    let names: Vec<String> = std::fs::read_dir(env.backup_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|name| !name.contains(".partial")),
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|name| name.ends_with(".db")).count(),
        1,
        "{names:?}"
    );
}

#[test]
fn kill_9_under_writes_loses_no_acknowledged_write() {
    let _serial = serial();
    // The default durability (`full`), as shipped.
    let env = Env::new(&[("APP__STORAGE__SYNCHRONOUS", "full")]);
    let server = env.start();
    let stop = Arc::new(AtomicBool::new(false));
    let writing = writers(env.address(), 8, &stop);
    std::thread::sleep(Duration::from_millis(1500));
    server.signal("-KILL");
    let acked: Vec<(i64, String)> = writing
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    drop(server);
    assert!(acked.len() > 10, "only {} writes acknowledged", acked.len());

    let server = env.start();
    let mut found: HashMap<i64, String> = HashMap::new();
    let mut after = 0;
    for _page in 0..10_000 {
        let reply = request(
            server.address,
            &format!("GET /v1/notes?limit=1000&after={after} HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n"),
        )
        .expect("list answers");
        let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        for note in json["data"]["notes"].as_array().unwrap() {
            found.insert(
                note["id"].as_i64().unwrap(),
                note["text"].as_str().unwrap().to_owned(),
            );
        }
        match json["data"]["next_after"].as_i64() {
            Some(next) => after = next,
            None => break,
        }
    }
    let lost: Vec<_> = acked
        .iter()
        .filter(|(id, text)| found.get(id) != Some(text))
        .collect();
    eprintln!(
        "faults: kill -9: {} acknowledged, {} found, {} lost",
        acked.len(),
        found.len(),
        lost.len()
    );
    assert!(
        lost.is_empty(),
        "acknowledged but lost: {:?}",
        &lost[..lost.len().min(10)]
    );
}
